"""The nine SDG 1.3.1 series: contingencies, measures, denominators and their rules.

Declarations shared by the other private modules of :mod:`socialprotection.coverage`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

#: Contingencies (branches) of the administrative input.
CONTINGENCIES = (
    "children",
    "maternity",
    "disability",
    "unemployment",
    "employment_injury",
    "old_age",
    "social_assistance",
)
#: What an administrative row counts: benefit recipients, active contributors, or
#: workers protected by employment-injury insurance.
MEASURES = ("recipients", "contributors", "protected")
#: Population groups that serve as denominators.
DENOMINATORS = (
    "total_population",
    "children",
    "women_giving_birth",
    "severe_disability",
    "unemployed",
    "labour_force",
    "above_pension_age",
    "vulnerable",
    "poor",
)
_SEXES = ("female", "male", "both")
_ADMIN_COLUMNS = ("scheme", "contingency", "contributory", "measure", "sex", "count")
_DENOMINATOR_COLUMNS = ("denominator", "sex", "value")


@dataclass(frozen=True)
class Series:
    """One UN series of SDG indicator 1.3.1, as defined in the UN SDG metadata.

    Attributes
    ----------
    code : str
        UN series code, for example ``"SI_COV_PENSN"``.
    title : str
        Short name of the population covered.
    numerator : str
        Who is counted as covered.
    denominator : str
        The population of reference.
    contingency : str or None
        The contingency of the administrative input it draws on (None for the
        headline, which draws on all of them).
    measure : str or None
        What the administrative rows must count: ``"recipients"`` or ``"protected"``.
    denominator_key : str
        Name of the denominator in the denominators frame.
    """

    code: str
    title: str
    numerator: str
    denominator: str
    contingency: str | None
    measure: str | None
    denominator_key: str


#: The nine ILO series of SDG 1.3.1, keyed by UN code.
SERIES: dict[str, Series] = {
    s.code: s
    for s in (
        Series(
            "SI_COV_BENFTS",
            "population covered by at least one benefit",
            "persons receiving at least one cash benefit, or actively contributing to at "
            "least one scheme",
            "total population",
            None,
            None,
            "total_population",
        ),
        Series(
            "SI_COV_CHLD",
            "children",
            "children (or households) receiving child or family cash benefits",
            "all children (or households with children); the ILO-UNICEF work uses ages 0-15",
            "children",
            "recipients",
            "children",
        ),
        Series(
            "SI_COV_MATNL",
            "mothers with newborns",
            "women receiving maternity cash benefits",
            "women giving birth in the year (from age-specific fertility rates, or live "
            "births corrected for twins and triplets)",
            "maternity",
            "recipients",
            "women_giving_birth",
        ),
        Series(
            "SI_COV_DISAB",
            "persons with severe disabilities",
            "persons receiving disability cash benefits",
            "WHO prevalence ratio of severe disability x population",
            "disability",
            "recipients",
            "severe_disability",
        ),
        Series(
            "SI_COV_UEMP",
            "unemployed",
            "recipients of unemployment cash benefits",
            "unemployed persons",
            "unemployment",
            "recipients",
            "unemployed",
        ),
        Series(
            "SI_COV_WKINJRY",
            "employment injury",
            "workers protected by employment-injury insurance",
            "total employment or labour force (WSPR 2024-26 figures use the labour force aged 15+)",
            "employment_injury",
            "protected",
            "labour_force",
        ),
        Series(
            "SI_COV_PENSN",
            "older persons",
            "persons above statutory pensionable age receiving an old-age pension "
            "(contributory or not)",
            "persons above statutory pensionable age",
            "old_age",
            "recipients",
            "above_pension_age",
        ),
        Series(
            "SI_COV_VULN",
            "vulnerable persons",
            "social assistance recipients",
            '"vulnerable": total population minus working-age people contributing to or '
            "receiving contributory benefits, minus people above retirement age receiving "
            "contributory benefits (WSPDB words it as: all children, plus adults not covered "
            "by contributory benefits, plus people above retirement age without a "
            "contributory pension)",
            "social_assistance",
            "recipients",
            "vulnerable",
        ),
        Series(
            "SI_COV_POOR",
            "poor",
            "social assistance recipients",
            "population below the national poverty line",
            "social_assistance",
            "recipients",
            "poor",
        ),
    )
}


def _listed(values: Iterable[object]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"
