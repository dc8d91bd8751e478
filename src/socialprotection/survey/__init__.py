"""Social protection indicators from household-survey microdata (ASPIRE / ADePT style).

The frame has one row per person; household columns (identifier, weight, welfare)
are repeated on each member.
A programme ``p`` is read from two columns: ``{p}_recipient`` (the person receives
it directly) and ``{p}_amount`` (the annual amount the person receives, 0 for a
non-recipient).

Notation, as in the World Bank ASPIRE indicators and the ADePT Social Protection
module: person ``i`` with survey weight ``w_i``, post-transfer welfare ``y_i``
(household consumption per capita), per-capita transfer ``T_i`` (the household's
total from the programme divided by the number of household members) and
beneficiary flag ``B_i`` (1 when anyone in the household receives the programme:
ASPIRE counts direct and indirect beneficiaries).
Every indicator is a ratio of weighted sums over persons, with no small-sample
correction, so a weighted estimate equals the unweighted estimate on the sample in
which each household is replicated as many times as its (integer) weight.

**Engines.** ``programme_coverage``, ``beneficiary_incidence``, ``benefit_incidence``,
``adequacy`` and ``transfer_impact`` take a pandas DataFrame (computed in memory with
numpy) or the same table in another engine: a polars DataFrame or LazyFrame, a DuckDB
relation or a Spark DataFrame. That engine computes the indicator (through narwhals,
one expression code path; numpy stays the reference of the tests) and the small result
comes back as the same pandas table. ``fgt``, ``gini`` and ``quintiles`` take arrays,
or a frame with ``column=`` (and ``weights=`` a column name). The checks are the same on
every engine; a message names the first row only on pandas (other engines have no row
order), and groups come sorted by value (pandas sorts a categorical column in the order
of its categories). polars, DuckDB and Spark are optional: the extras ``polars``,
``duckdb`` and ``spark`` of the package install them.

Sources: UN SDG metadata for indicator 1.3.1, series b (World Bank, ASPIRE);
World Bank ASPIRE indicator definitions; ADePT Social Protection documentation;
Foster, Greer and Thorbecke (1984), Econometrica 52(3), for the poverty measures.
"""

from socialprotection.survey import _checks
from socialprotection.survey._adequacy import (
    adequacy,
)
from socialprotection.survey._checks import (
    programmes_in,
)

# Private helpers that other modules import from here (migration._shock, the engine path).
from socialprotection.survey._checks import (  # isort: skip
    _columns,  # noqa: F401
    _household_column,  # noqa: F401
    _households,  # noqa: F401
    _programme_names,  # noqa: F401
    _tidy,  # noqa: F401
)
from socialprotection.survey._coverage import (
    household_transfers,
    programme_coverage,
)
from socialprotection.survey._impact import (
    transfer_impact,
)
from socialprotection.survey._incidence import (
    beneficiary_incidence,
    benefit_incidence,
)
from socialprotection.survey._poverty import (
    fgt,
    gini,
    quintiles,
)

#: Name of the row that takes the programmes given together (their union for
#: coverage and incidence, the sum of their transfers for amounts).
ANY = _checks.ANY

__all__ = [
    "ANY",
    "programmes_in",
    "quintiles",
    "household_transfers",
    "programme_coverage",
    "beneficiary_incidence",
    "benefit_incidence",
    "adequacy",
    "fgt",
    "gini",
    "transfer_impact",
]
