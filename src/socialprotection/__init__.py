"""Indicators for universal social protection, with the real data of the training book.

Every public function is available from the package itself::

    import socialprotection as sp

    sp.load("countries")                                  # bundled, checked data
    sp.headline_coverage(["TJK", "LAO", "World"])         # published SDG 1.3.1 headline
    survey = sp.household_survey("TJK", n_households=2000, seed=1)   # SYNTHETIC data
    eco = sp.registry_ecosystem("TJK", n_persons=10_000, seed=1)     # SYNTHETIC registries
    sp.programme_coverage(survey, "social_assistance")    # ASPIRE coverage
    sp.headline_from_persons(survey, ["contributor", "social_assistance_recipient"])

The modules group them by topic: ``datasets``, ``published``, ``demography``,
``coverage`` (SDG 1.3.1), ``survey`` (household-survey indicators), ``synthetic``
(surveys and registries), ``migration`` (migrant workers and their families) and
``registry`` (data quality, deduplication and linkage of registries).
"""

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
from socialprotection.registry import (
    deduplicate,
    link,
    linkage_settings,
    match_quality,
    name_key,
    persons_covered,
    quality_failures,
    quality_profile,
    registry_schema,
)
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
from socialprotection.synthetic import (
    PROGRAMMES,
    calibration_targets,
    household_survey,
    national_id_check_digit,
    registry_ecosystem,
    valid_national_id,
)

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
    # synthetic registries
    "national_id_check_digit",
    "registry_ecosystem",
    "valid_national_id",
    # registry: data quality, deduplication and linkage
    "deduplicate",
    "link",
    "linkage_settings",
    "match_quality",
    "name_key",
    "persons_covered",
    "quality_failures",
    "quality_profile",
    "registry_schema",
]
__version__ = "0.1.0"
