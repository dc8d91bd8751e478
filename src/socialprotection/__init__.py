"""Indicators for universal social protection, with the real data of the training book.

Every public function is available from the package itself::

    import socialprotection as sp

    sp.load("countries")                                  # bundled, checked data
    sp.headline_coverage(["TJK", "LAO", "World"])         # published SDG 1.3.1 headline
    survey = sp.household_survey("TJK", n_households=2000, seed=1)   # SYNTHETIC data
    sp.programme_coverage(survey, "social_assistance")    # ASPIRE coverage
    sp.headline_from_persons(survey, ["contributor", "social_assistance_recipient"])

The modules group them by topic: ``datasets``, ``published``, ``demography``,
``coverage`` (SDG 1.3.1), ``survey`` (household-survey indicators), ``synthetic`` and
``migration`` (migrant workers and their families) and ``assessment`` (institutional and
functional assessment, costed roadmap).
"""

from socialprotection.assessment import (
    ROLES,
    STATUSES,
    assessment_matrix,
    assessment_table,
    critical_path,
    draft_matrix,
    mandate_findings,
    mandate_map,
    plot_mandate_map,
    plot_roadmap,
    roadmap_cost_by_year,
    roadmap_schedule,
)
from socialprotection.coverage import (
    CONTINGENCIES,
    DENOMINATORS,
    MEASURES,
    SERIES,
    contingency_coverage,
    demographic_denominators,
    headline_from_persons,
    headline_life_cycle,
    published_series,
    validate_admin,
    validate_denominators,
    vulnerable_population,
    weighted_aggregate,
)
from socialprotection.datasets import (
    Citation,
    DataIntegrityError,
    citation,
    data_dir,
    list_datasets,
    load,
)
from socialprotection.demography import (
    births,
    dependency_ratio,
    percent_of_population,
    population,
    population_above_pension_age,
    statutory_pension_age,
)
from socialprotection.migration import (
    REGIMES,
    REMITTANCE_PARAMETERS,
    SDG_10C_TARGET_PCT,
    add_remittances,
    emigrant_share,
    emigrant_stock,
    origin_population,
    pension_entitlements,
    remittance_cost,
    remittance_shock,
    remittances_share_of_gdp,
)
from socialprotection.published import SDG_REGION, WORLD, headline_coverage
from socialprotection.survey import (
    adequacy,
    beneficiary_incidence,
    benefit_incidence,
    fgt,
    gini,
    household_transfers,
    programme_coverage,
    programmes_in,
    quintiles,
    transfer_impact,
)
from socialprotection.synthetic import PROGRAMMES, calibration_targets, household_survey

__all__ = [
    "CONTINGENCIES",
    "DENOMINATORS",
    "MEASURES",
    "PROGRAMMES",
    "SDG_REGION",
    "SERIES",
    "WORLD",
    "Citation",
    "DataIntegrityError",
    "adequacy",
    "beneficiary_incidence",
    "benefit_incidence",
    "births",
    "calibration_targets",
    "citation",
    "contingency_coverage",
    "data_dir",
    "demographic_denominators",
    "dependency_ratio",
    "fgt",
    "gini",
    "headline_coverage",
    "headline_from_persons",
    "headline_life_cycle",
    "household_survey",
    "household_transfers",
    "list_datasets",
    "load",
    "percent_of_population",
    "population",
    "population_above_pension_age",
    "programme_coverage",
    "programmes_in",
    "published_series",
    "quintiles",
    "statutory_pension_age",
    "transfer_impact",
    "validate_admin",
    "validate_denominators",
    "vulnerable_population",
    "weighted_aggregate",
    # migration: migrant workers and their families
    "REGIMES",
    "REMITTANCE_PARAMETERS",
    "SDG_10C_TARGET_PCT",
    "add_remittances",
    "emigrant_share",
    "emigrant_stock",
    "origin_population",
    "pension_entitlements",
    "remittance_cost",
    "remittance_shock",
    "remittances_share_of_gdp",
    # assessment: institutional and functional assessment, costed roadmap
    "ROLES",
    "STATUSES",
    "assessment_matrix",
    "assessment_table",
    "critical_path",
    "draft_matrix",
    "mandate_findings",
    "mandate_map",
    "plot_mandate_map",
    "plot_roadmap",
    "roadmap_cost_by_year",
    "roadmap_schedule",
]
__version__ = "0.1.0"
