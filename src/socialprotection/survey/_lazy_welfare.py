"""Adequacy, poverty, inequality and simulated impact on the engine path.

See :mod:`socialprotection.survey._lazy` for how the engine path works.
"""

from __future__ import annotations

import math

import narwhals.stable.v2 as nw
import pandas as pd

from socialprotection._validation import (
    LazyChecks,
    lazy_frame,
)
from socialprotection.survey._lazy_checks import (
    _SNAP,
    BAD_ANY,
    GROUP,
    KEY,
    S_HI,
    S_LO,
    Y_HI,
    Y_LO,
    C,
    M,
    T,
    V,
    W,
    X,
    Y,
    _a,
    _agg,
    _aggregate,
    _any_of,
    _cells,
    _flag,
    _group,
    _household_checks,
    _HouseholdRules,
    _labels,
    _matrix,
    _num,
    _programme_checks,
    _r,
    _refuse_empty,
    _refuse_zero_weights,
    _sorted,
    _start,
    _sum_of,
    collect,
)
from socialprotection.survey._lazy_incidence import _with_quantile_groups

# ---------------------------------------------------------------------------
# Adequacy
# ---------------------------------------------------------------------------


def adequacy(frame, names, *, welfare, weight, household, by, size) -> pd.DataFrame:
    from socialprotection.survey import ANY, _tidy

    columns = [
        household,
        weight,
        welfare,
        *by,
        *(c for p in names for c in (f"{p}_recipient", f"{p}_amount")),
    ]
    lf, schema, checks = _start(frame, columns, "adequacy", optional=(size,))
    checks.numeric(weight, non_negative=True)
    _household_checks(checks, household)
    use_size = size is not None and size in schema.names()
    if use_size:
        checks.numeric(size)
    checks.numeric(welfare, non_negative=True)
    for column in by:
        checks.group(column)
    _programme_checks(checks, names)
    k = len(names)
    person = lf.with_columns(
        _num(weight).alias(W),
        _num(welfare).alias(Y),
        *[_flag(f"{p}_recipient", schema).alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(names)],
        *checks.columns(),
    )
    person = person.with_columns(
        _any_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
        _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(_a(k)),
        (nw.col(W) * nw.col(Y)).alias("_sp_wy"),
    )
    rules = _HouseholdRules(lf, household)
    aggregations = [
        _agg("sum", W),
        _agg("len", None, M),
        _agg("len", None, "_sp_cell_m"),
        _agg("sum", "_sp_wy"),
        _agg("min", Y, Y_LO),
        _agg("max", Y, Y_HI),
        *[_agg("any", _r(i)) for i in range(k + 1)],
        *[_agg("sum", _a(i)) for i in range(k + 1)],
        BAD_ANY,
    ]
    lifted = [M, Y_LO, Y_HI, *(_r(i) for i in range(k + 1)), *(_a(i) for i in range(k + 1))]
    rules.constant(welfare, Y_LO, Y_HI)
    if use_size:
        aggregations += [_agg("min", size, S_LO), _agg("max", size, S_HI)]
        lifted += [S_LO, S_HI]
        rules.size(size, S_LO, S_HI, M)
    cells = _cells(person, household, by, aggregations, lifted)
    cells = cells.with_columns(*[_num(_r(i)).alias(_r(i)) for i in range(k + 1)])
    terms = []
    for i in range(k + 1):
        terms += [
            (nw.col(W) * nw.col(_a(i)) / nw.col(M)).alias(f"_sp_num{i}"),
            (nw.col("_sp_wy") * nw.col(_r(i))).alias(f"_sp_den{i}"),
            (nw.col("_sp_cell_m") * nw.col(_r(i))).alias(f"_sp_cnt{i}"),
        ]
    cells = cells.with_columns(*terms, *rules.columns())
    result = _aggregate(
        cells,
        by,
        [
            *[
                nw.col(f"_sp_{t}{i}").sum().alias(f"{t}{i}")
                for t in ("num", "den", "cnt")
                for i in range(k + 1)
            ],
            nw.col("_sp_cell_m").sum().alias("n"),
            nw.col(W).sum().alias("w"),
            *checks.sums(),
            *rules.sums(),
        ],
    )
    result = _sorted(collect(result), by)
    _refuse_empty(result, "n", columns, "adequacy")
    checks.raise_first(result, lf)
    rules.raise_first(result)
    _refuse_zero_weights(pd.to_numeric(result["w"]).fillna(0).sum(), weight)
    return _tidy(
        _labels(result, by),
        [*names, ANY],
        {
            "numerator": _matrix(result, "num", k + 1),
            "denominator": _matrix(result, "den", k + 1),
            "n_obs": _matrix(result, "cnt", k + 1),
        },
        "rate",
    )


# ---------------------------------------------------------------------------
# Poverty and inequality
# ---------------------------------------------------------------------------


def _poverty_sums(units, z: float, keys: list[str]):
    """FGT, money gap and Gini sums of ``X`` weighted by ``W``, per ``keys``.

    Values are pooled into blocks of equal value first: the Gini sum over blocks,
    sum_b x_b v_b (2 C_b + v_b - W) with C_b the weight before block b, is the sum
    over persons whatever the order of ties, and the running sum needs no tie rule.
    """
    blocks = units.group_by([*keys, X]).agg(nw.col(W).sum().alias(V))
    cumulative = nw.col(V).cum_sum().over(*keys, order_by=X)
    total = nw.col(V).sum().over(*keys) if keys else nw.col(V).sum()
    blocks = blocks.with_columns(cumulative.alias(C), total.alias(T))
    gap = nw.when(nw.col(X) < z).then((z - nw.col(X)) / z).otherwise(nw.lit(0.0))
    poor = nw.when(nw.col(X) < z).then(nw.lit(1.0)).otherwise(nw.lit(0.0))
    blocks = blocks.with_columns(
        (nw.col(V) * poor).alias("_sp_p0"),
        (nw.col(V) * gap).alias("_sp_p1"),
        (nw.col(V) * gap * gap).alias("_sp_p2"),
        (nw.col(V) * nw.col(X)).alias("_sp_mass"),
        (nw.col(V) * nw.col(X) * (2 * (nw.col(C) - nw.col(V)) + nw.col(V) - nw.col(T))).alias(
            "_sp_gini"
        ),
    )
    return _aggregate(
        blocks,
        keys,
        [
            nw.col(V).sum().alias("w"),
            *[nw.col(f"_sp_{t}").sum().alias(t) for t in ("p0", "p1", "p2", "mass", "gini")],
        ],
    )


def _gini_of(row) -> float:
    return float(row["gini"] / (row["w"] * row["mass"])) if row["mass"] > 0 else math.nan


def _values_frame(frame, column: str, weights: str | None, what: str):
    if not isinstance(column, str):
        raise TypeError(
            f"{what} of a frame: name its column of values with column=, e.g. "
            f"column='consumption_pc'; got column={column!r}"
        )
    if weights is not None and not isinstance(weights, str):
        raise TypeError(
            f"{what} of a frame: weights= names a column of the frame (or is None); "
            f"got {type(weights).__name__}"
        )
    lf, _, checks = _start(frame, [column, *([weights] if weights else [])], what)
    checks.numeric(column, non_negative=what != "quintiles")
    if weights is not None:
        checks.numeric(weights, non_negative=True)
    person = lf.with_columns(
        _num(column).alias(X),
        (_num(weights) if weights else nw.lit(1.0)).alias(W),
        *checks.columns(),
    )
    return lf, person, checks


def _refuse_no_values(result: pd.DataFrame, checks: LazyChecks, lf, weights, empty: str) -> None:
    if pd.to_numeric(result["n"]).fillna(0).sum() == 0:
        raise ValueError(f"no values: {empty}")
    checks.raise_first(result, lf)
    _refuse_zero_weights(pd.to_numeric(result["w_all"]).fillna(0).sum(), weights)


def fgt(frame, z: float, alpha: float, weights, column) -> float:
    lf, person, checks = _values_frame(frame, column, weights, "fgt")
    gap = nw.when(nw.col(X) < z).then(((z - nw.col(X)) / z) ** alpha).otherwise(nw.lit(0.0))
    person = person.with_columns((nw.col(W) * gap).alias("_sp_g"))
    result = collect(
        person.select(
            nw.len().alias("n"),
            nw.col(W).sum().alias("w_all"),
            nw.col("_sp_g").sum().alias("g"),
            *checks.sums(),
        )
    )
    _refuse_no_values(
        result, checks, lf, weights, "the poverty measure of an empty sample is undefined"
    )
    return float(result["g"].iloc[0] / result["w_all"].iloc[0])


def gini(frame, weights, column) -> float:
    lf, person, checks = _values_frame(frame, column, weights, "gini")
    blocks = person.group_by(X).agg(
        nw.col(W).sum().alias(V), nw.len().alias("_sp_n"), *checks.sums()
    )
    blocks = blocks.with_columns(
        nw.col(V).cum_sum().over(order_by=X).alias(C), nw.col(V).sum().alias(T)
    ).with_columns(
        (nw.col(V) * nw.col(X)).alias("_sp_mass"),
        (nw.col(V) * nw.col(X) * (2 * (nw.col(C) - nw.col(V)) + nw.col(V) - nw.col(T))).alias(
            "_sp_gini"
        ),
    )
    result = collect(
        blocks.select(
            nw.col("_sp_n").sum().alias("n"),
            nw.col(V).sum().alias("w_all"),
            nw.col("_sp_mass").sum().alias("mass"),
            nw.col("_sp_gini").sum().alias("gini"),
            *checks.sums(),
        )
    )
    _refuse_no_values(result, checks, lf, weights, "the Gini of an empty sample is undefined")
    row = result.iloc[0]
    if row["mass"] == 0:
        raise ValueError("the Gini is undefined when the (weighted) mean is 0: all values are 0")
    return float(row["gini"] / (row["w_all"] * row["mass"]))


def quintiles(frame, weights, n: int, column, name: str):
    """Return the frame with a column ``name`` of groups 1..n, in the frame's own engine."""
    lf, person, checks = _values_frame(frame, column, weights, "quintiles")
    if name in lazy_frame(frame).collect_schema().names():
        raise ValueError(
            f"the frame already has a column '{name}'; drop or rename it before computing groups"
        )
    result = collect(
        person.select(nw.len().alias("n"), nw.col(W).sum().alias("w_all"), *checks.sums())
    )
    _refuse_no_values(
        result, checks, lf, weights, "the quantile groups of an empty sample are undefined"
    )
    table = lazy_frame(frame)
    out = _with_quantile_groups(
        table.with_columns(
            _num(column).alias(X), (_num(weights) if weights else nw.lit(1.0)).alias(W)
        ),
        X,
        W,
        n,
    )
    out = out.with_columns(nw.col(GROUP).alias(name)).select(*table.collect_schema().names(), name)
    native = nw.from_native(frame)
    if isinstance(native, nw.DataFrame):
        return out.collect(backend=native.implementation).to_native()
    return out.to_native()


# ---------------------------------------------------------------------------
# Simulated impact
# ---------------------------------------------------------------------------


def transfer_impact(
    frame, names, *, welfare, z, weight, household, size, impact_frame
) -> pd.DataFrame:
    from socialprotection.survey import ANY

    columns = [
        household,
        weight,
        welfare,
        *(c for p in names for c in (f"{p}_recipient", f"{p}_amount")),
    ]
    lf, schema, checks = _start(frame, columns, "transfer_impact", optional=(size,))
    checks.numeric(weight, non_negative=True)
    _household_checks(checks, household)
    use_size = size is not None and size in schema.names()
    if use_size:
        checks.numeric(size)
    checks.numeric(welfare, non_negative=True)
    _programme_checks(checks, names)
    k = len(names)
    person = lf.with_columns(
        _num(weight).alias(W),
        _num(welfare).alias(Y),
        *[_flag(f"{p}_recipient", schema).alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(names)],
        *checks.columns(),
    )
    rules = _HouseholdRules(lf, household)
    rules.constant(welfare, Y_LO, Y_HI)
    aggregations = [
        _agg("sum", W),
        _agg("len", None, M),
        _agg("min", Y, Y_LO),
        _agg("max", Y, Y_HI),
        *[_agg("any", _r(i)) for i in range(k)],
        *[_agg("sum", _a(i)) for i in range(k)],
        BAD_ANY,
    ]
    if use_size:
        aggregations += [_agg("min", size, S_LO), _agg("max", size, S_HI)]
        rules.size(size, S_LO, S_HI, M)
    units = _group(person, [household], aggregations)
    units = units.with_columns(
        _any_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
        _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(_a(k)),
        *rules.columns(),
    )
    units = units.with_columns(*[_num(_r(i)).alias(_r(i)) for i in range(k + 1)])
    y = nw.col(Y_LO)
    pre, sums = {}, []
    for i in range(k + 1):
        transfer = nw.col(_a(i)) / nw.col(M)
        raw = y - transfer
        pre[i] = nw.when(raw < 0).then(nw.lit(0.0)).otherwise(raw)
        short = nw.when(raw < -_SNAP * nw.max_horizontal(y, nw.lit(1.0))).then(1).otherwise(0)
        poor = nw.when(pre[i] < z).then(nw.lit(1.0)).otherwise(nw.lit(0.0))
        ben = nw.col(_r(i))
        sums += [
            (nw.col(W) * transfer).sum().alias(f"transfer{i}"),
            (nw.col(W) * poor * (1 - ben)).sum().alias(f"excluded{i}"),
            (nw.col(W) * poor).sum().alias(f"poor{i}"),
            (nw.col(W) * (1 - poor) * ben).sum().alias(f"included{i}"),
            (nw.col(W) * ben).sum().alias(f"beneficiaries{i}"),
            (nw.col(M) * ben).sum().alias(f"n_beneficiaries{i}"),
            (nw.col(M) * poor).sum().alias(f"n_poor{i}"),
            short.cast(nw.Int64).sum().alias(f"short{i}"),
        ]
    ratios = collect(
        units.select(
            nw.col(M).sum().alias("n"),
            nw.col(W).sum().alias("w"),
            *sums,
            *checks.sums(),
            *rules.sums(),
        )
    )
    _refuse_empty(ratios, "n", columns, "transfer_impact")
    checks.raise_first(ratios, lf)
    rules.raise_first(ratios)
    _refuse_zero_weights(pd.to_numeric(ratios["w"]).fillna(0).sum(), weight)
    labels = [*names, ANY]
    for i, name in enumerate(labels):
        count = int(ratios[f"short{i}"].iloc[0])
        if count:
            raise ValueError(
                f"'{name}': pre-transfer welfare ({welfare} - transfer) is negative in {count} "
                f"household(s); '{welfare}' must be post-transfer welfare that includes the "
                "transfers"
            )
    long = nw.concat(
        [units.select(nw.lit("post").alias(KEY), y.alias(X), nw.col(W))]
        + [
            units.select(nw.lit(f"pre{i}").alias(KEY), pre[i].alias(X), nw.col(W))
            for i in range(k + 1)
        ],
        how="vertical",
    )
    poverty = collect(_poverty_sums(long, z, [KEY])).set_index(KEY)
    row = ratios.iloc[0]
    n_persons = int(row["n"])
    post = poverty.loc["post"]
    gap_post = z * post["p1"]
    rows = []
    for i, name in enumerate(labels):
        measures = poverty.loc[f"pre{i}"]
        for t, label in (("p0", "headcount_p0"), ("p1", "poverty_gap_p1"), ("p2", "severity_p2")):
            rows.append((name, label, measures[t] / measures["w"], post[t] / post["w"], n_persons))
        rows.append((name, "gini", _gini_of(measures), _gini_of(post), n_persons))
        gap_pre = z * measures["p1"]
        rows += [
            (
                name,
                "benefit_cost_ratio",
                float(gap_pre - gap_post),
                float(row[f"transfer{i}"]),
                int(row[f"n_beneficiaries{i}"]),
            ),
            (
                name,
                "exclusion_error",
                float(row[f"excluded{i}"]),
                float(row[f"poor{i}"]),
                int(row[f"n_poor{i}"]),
            ),
            (
                name,
                "inclusion_error",
                float(row[f"included{i}"]),
                float(row[f"beneficiaries{i}"]),
                int(row[f"n_beneficiaries{i}"]),
            ),
        ]
    return impact_frame(rows)
