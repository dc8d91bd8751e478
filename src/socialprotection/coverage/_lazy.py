"""The SDG 1.3.1 headline from person-level flags, computed inside any dataframe engine.

The same rules as the pandas path of :func:`socialprotection.coverage.headline_from_persons`,
as narwhals expressions: polars, DuckDB or Spark computes the sums and only the small
table of results comes back, as pandas.
"""

from __future__ import annotations

import narwhals.stable.v2 as nw
import pandas as pd

from socialprotection._validation import (
    LazyChecks,
    collect_small,
    lazy_frame,
    require_columns,
    require_names,
)
from socialprotection.survey._lazy_checks import _any_of, _flag

_COVERED, _WEIGHT = "_sp_covered", "_sp_w"


def headline_from_persons(frame, flags: list[str], *, weight: str | None, by: list[str]):
    columns = flags + by + ([weight] if weight else [])
    lf = lazy_frame(frame)
    schema = lf.collect_schema()
    require_names(schema.names(), columns, what="persons")
    lf = lf.select(*dict.fromkeys(columns))
    schema = lf.collect_schema()
    checks = LazyChecks(schema)
    if weight:
        checks.numeric(weight, non_negative=True)
    for flag in flags:
        checks.flag(flag)
    for column in by:
        dtype = schema[column]
        value = nw.col(column)
        missing = value.is_null() | value.is_nan() if dtype.is_float() else value.is_null()
        checks.rule(
            missing,
            ValueError,
            f"group column '{column}' has {{count}} missing value(s); fill or drop them explicitly",
        )
    w = nw.col(weight).cast(nw.Float64) if weight else nw.lit(1.0)
    # The union as a true/false expression (OR), cast to 1/0 and multiplied by the
    # weight: engines compute this faster than a CASE, or than the largest of numbers.
    covered = _any_of(*[_flag(f, schema) for f in flags])
    persons = lf.with_columns(w.alias(_WEIGHT), covered.cast(nw.Float64).alias(_COVERED))
    persons = persons.with_columns(
        (nw.col(_WEIGHT) * nw.col(_COVERED)).alias(_COVERED), *checks.columns()
    )
    aggregations = [
        nw.col(_COVERED).sum().alias("_covered"),
        nw.col(_WEIGHT).sum().alias("_all"),
        nw.len().alias("_n"),
        *checks.sums(),
    ]
    query = persons.group_by(by).agg(*aggregations) if by else persons.select(*aggregations)
    summed = collect_small(query)
    if not len(summed) or pd.to_numeric(summed["_n"]).fillna(0).sum() == 0:
        require_columns(
            pd.DataFrame(columns=columns), columns, what="persons", one_row_per="person"
        )
    checks.raise_first(summed, lf)
    if by:
        for key in by:
            if isinstance(summed[key].dtype, pd.CategoricalDtype):
                summed[key] = summed[key].astype(summed[key].cat.categories.dtype)
        summed = summed.sort_values(by).reset_index(drop=True)
    if weight and summed["_all"].sum() == 0:
        raise ValueError(f"the weights in column '{weight}' sum to zero: nothing to average over")
    zero = summed["_all"] == 0
    if zero.any():
        group = summed.loc[zero, by].iloc[0].to_dict()
        raise ValueError(f"the weights of group {group} sum to zero: the rate is undefined")
    result = pd.DataFrame({"series": "SI_COV_BENFTS"}, index=summed.index)
    for column in by:
        result[column] = summed[column]
    result["numerator"] = pd.to_numeric(summed["_covered"]).astype(float)
    result["denominator"] = pd.to_numeric(summed["_all"]).astype(float)
    result["rate"] = result["numerator"] / result["denominator"]
    result["n_obs"] = pd.to_numeric(summed["_n"]).astype(int)
    result["method"] = "union of person-level flags"
    return result.reset_index(drop=True)
