"""The survey indicators computed inside any dataframe engine, through narwhals.

One expression code path serves a polars DataFrame or LazyFrame, a DuckDB relation,
a Spark DataFrame (and other engines that narwhals supports with ordered windows):
the engine aggregates persons into households, households into groups, and only the
small table of results comes back, as pandas.
A pandas DataFrame does not come here: it keeps the numpy path of the package, which
is also the reference that the tests compare this path with.

The input checks are one true/false marker (the row breaks a rule) carried through
each aggregation with ``any``, so the engine reads the data once; see
:class:`socialprotection._validation.LazyChecks`.

Two steps are written in DuckDB SQL when the data are a DuckDB relation, because
narwhals cannot say them and DuckDB computes them much faster so: the household step
packs the household's flags, the marker and the declared sizes into one ``bit_or``
(:func:`socialprotection.survey._lazy_checks._group`), and the quantile groups take
their cut values from a histogram of the values
(:func:`socialprotection.survey._lazy_incidence._duckdb_block_groups`). Both give the
numbers of the expression path, which the tests check on every engine.
Helper columns start with ``_sp_`` and are lower case: DuckDB folds the case of
column names, so ``w`` and ``W`` would be the same column there.

The code lives in :mod:`socialprotection.survey._lazy_checks` (helper columns and checks),
:mod:`socialprotection.survey._lazy_incidence` (coverage and incidence) and
:mod:`socialprotection.survey._lazy_welfare` (adequacy, poverty, inequality and impact).
"""

from socialprotection.survey._lazy_checks import collect
from socialprotection.survey._lazy_incidence import incidence, programme_coverage
from socialprotection.survey._lazy_welfare import adequacy, fgt, gini, quintiles, transfer_impact

__all__ = [
    "adequacy",
    "collect",
    "fgt",
    "gini",
    "incidence",
    "programme_coverage",
    "quintiles",
    "transfer_impact",
]
