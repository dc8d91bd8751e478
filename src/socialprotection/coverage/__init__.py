"""SDG indicator 1.3.1: effective coverage of social protection, all nine ILO series.

Effective coverage counts people who are **receiving** a cash benefit (contributory or
not) or **actively contributing** to a social insurance scheme; health protection is
not part of these series.
Each series divides a number of covered persons (the numerator) by the population the
benefit is meant for (the denominator).

Sources: UN SDG metadata for indicator 1.3.1, series a (custodian ILO; metadata update
2021-01-01), sections 2.a, 4.c, 4.f and 4.g; ILO World Social Protection Database
notes.
The administrative input follows the spirit of the ILO Social Security Inquiry: one
row per scheme, contingency, measure and sex.
"""

from socialprotection.coverage import _series
from socialprotection.coverage._aggregates import (
    weighted_aggregate,
)
from socialprotection.coverage._contingencies import (
    contingency_coverage,
    vulnerable_population,
)
from socialprotection.coverage._headline import (
    headline_from_persons,
    headline_life_cycle,
)
from socialprotection.coverage._inputs import (
    demographic_denominators,
    validate_admin,
    validate_denominators,
)
from socialprotection.coverage._published import (
    published_series,
)
from socialprotection.coverage._series import (
    Series,
)

#: Contingencies (branches) of the administrative input.
CONTINGENCIES = _series.CONTINGENCIES
#: What an administrative row counts: benefit recipients, active contributors, or
#: workers protected by employment-injury insurance.
MEASURES = _series.MEASURES
#: Population groups that serve as denominators.
DENOMINATORS = _series.DENOMINATORS
#: The nine ILO series of SDG 1.3.1, keyed by UN code.
SERIES = _series.SERIES

__all__ = [
    "CONTINGENCIES",
    "MEASURES",
    "DENOMINATORS",
    "SERIES",
    "Series",
    "validate_admin",
    "validate_denominators",
    "demographic_denominators",
    "contingency_coverage",
    "vulnerable_population",
    "headline_from_persons",
    "headline_life_cycle",
    "weighted_aggregate",
    "published_series",
]
