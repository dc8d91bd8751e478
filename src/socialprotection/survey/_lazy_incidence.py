"""Coverage, weighted quantile groups and incidence on the engine path.

See :mod:`socialprotection.survey._lazy` for how the engine path works.
"""

from __future__ import annotations

import math

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from socialprotection._validation import (
    BAD,
    lazy_frame,
    require_names,
)
from socialprotection.survey._lazy_checks import (
    _SNAP,
    ANY_AMOUNT,
    BAD_ANY,
    GROUP,
    HOUSEHOLDS,
    QC,
    QT,
    QV,
    S_HI,
    S_LO,
    Y_HI,
    Y_LO,
    M,
    T,
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
    _pools,
    _programme_checks,
    _r,
    _refuse_empty,
    _refuse_zero_weights,
    _sorted,
    _start,
    _sum_of,
    collect,
)

# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


def programme_coverage(frame, names, *, weight, by, household, level, size) -> pd.DataFrame:
    from socialprotection.survey import ANY, _tidy

    columns = [weight, *by, *(f"{p}_recipient" for p in names)]
    if level == "household":
        columns.insert(0, household)
    lf, schema, checks = _start(frame, columns, "coverage", optional=(size,))
    checks.numeric(weight, non_negative=True)
    for column in by:
        checks.group(column)
    _programme_checks(checks, names, amount=False)
    k = len(names)
    flags = [_flag(f"{p}_recipient", schema).alias(_r(i)) for i, p in enumerate(names)]
    if level == "household":
        _household_checks(checks, household)
        use_size = size is not None and size in schema.names()
        if use_size:
            checks.numeric(size)
    person = lf.with_columns(_num(weight).alias(W), *flags, *checks.columns())
    any_flag = _any_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k))
    rules = _HouseholdRules(lf, household)
    if level == "person":
        person = person.with_columns(any_flag).with_columns(
            *[(nw.col(W) * _num(_r(i))).alias(_a(i)) for i in range(k + 1)]
        )
        result = _aggregate(
            person,
            by,
            [
                nw.col(W).sum().alias("den"),
                nw.len().alias("n"),
                *[nw.col(_a(i)).sum().alias(f"num{i}") for i in range(k + 1)],
                *checks.sums(),
            ],
        )
    else:
        # The household's flag: any of its members' flags.
        aggregations = [
            _agg("sum", W),
            _agg("len", None, M),
            *[_agg("any", _r(i)) for i in range(k)],
            BAD_ANY,
        ]
        lifted = [_r(i) for i in range(k)]
        if use_size:
            aggregations += [_agg("min", size, S_LO), _agg("max", size, S_HI)]
            lifted += [S_LO, S_HI]
            if by:  # the household's persons, over its cells
                aggregations.append(_agg("len", None, "_sp_members"))
                lifted.append("_sp_members")
            rules.size(size, S_LO, S_HI, "_sp_members" if by else M)
        # Without groups, only sums over households follow: DuckDB pools the
        # households alike in flags, sizes and members (_group), each row counting
        # the households it stands for in HOUSEHOLDS.
        pooled = not by and _pools(person, aggregations)
        if pooled:
            cells = _group(person, [household], aggregations, pool=HOUSEHOLDS)
        else:
            cells = _cells(person, household, by, aggregations, lifted)
        # On households, "any" is the union of their flags; the weighted flags are
        # taken in the sums (each step of a DuckDB relation is bound on its own).
        union = _any_of(*[nw.col(_r(i)) for i in range(k)])
        household_flags = [*(nw.col(_r(i)) for i in range(k)), union]
        per = nw.col(HOUSEHOLDS) if pooled else None
        result = _aggregate(
            cells,
            by,
            [
                nw.col(W).sum().alias("den"),
                (nw.col(M) if per is None else nw.col(M) * per).sum().alias("n"),
                *[
                    (nw.col(W) * f.cast(nw.Float64)).sum().alias(f"num{i}")
                    for i, f in enumerate(household_flags)
                ],
                *checks.sums(),
                *rules.counts(per),
            ],
        )
    result = _sorted(collect(result), by)
    _refuse_empty(result, "n", columns, "coverage")
    checks.raise_first(result, lf)
    rules.raise_first(result)
    denominator = pd.to_numeric(result["den"]).fillna(0).to_numpy(dtype=float)
    _refuse_zero_weights(denominator.sum(), weight)
    n_obs = pd.to_numeric(result["n"]).to_numpy(dtype=np.int64)
    return _tidy(
        _labels(result, by),
        [*names, ANY],
        {
            "numerator": _matrix(result, "num", k + 1),
            "denominator": np.repeat(denominator[:, None], k + 1, axis=1),
            "n_obs": np.repeat(n_obs[:, None], k + 1, axis=1),
        },
        "rate",
    )


# ---------------------------------------------------------------------------
# Weighted quantile groups
# ---------------------------------------------------------------------------


def _group_of_position(position, n: int):
    """Group 1..n of a block whose midpoint is at ``position`` (0..n), snapped as numpy."""
    nearest = position.round(0)
    snapped = nw.when((position - nearest).abs() <= _SNAP * n).then(nearest).otherwise(position)
    return nw.min_horizontal(snapped.floor() + 1, nw.lit(float(n))).cast(nw.Int64)


def _cut_values(blocks, value: str, weight: str, n: int):
    """Return a one-row table of the n - 1 cut values of a table of distinct ``value``.

    ``blocks`` has one row per distinct value and its ``weight``. A value's group
    (the rule of :func:`quintiles`) never falls as the value rises, so the groups are
    told apart by n - 1 cut values: cut j is the largest value in groups 1 to j (minus
    infinity when they are empty), and a value's group is 1 plus the number of cuts
    below it.
    """
    blocks = blocks.with_columns(
        nw.col(weight).cum_sum().over(order_by=value).alias(QC), nw.col(weight).sum().alias(QT)
    )
    position = n * (nw.col(QC) - nw.col(weight) / 2) / nw.col(QT)
    blocks = blocks.with_columns(_group_of_position(position, n).alias(GROUP))
    return blocks.select(
        *[
            nw.when(nw.col(GROUP) <= j)
            .then(nw.col(value))
            .max()
            .fill_null(-math.inf)
            .alias(f"_sp_cut{j}")
            for j in range(1, n)
        ]
    )


def _with_cut_groups(units, value: str, weight: str, n: int):
    """Add ``GROUP`` to ``units``: the group 1..n of each row's ``value``.

    The running weight runs over a narrow table of the distinct values and their
    weight; each unit then takes its group from the n - 1 cut values
    (:func:`_cut_values`), a comparison, not a join on its value.
    A missing value gets no group; the marker of bad input keeps every unit.
    """
    blocks = units.group_by(value).agg(nw.col(weight).sum().alias(weight))
    cuts = _cut_values(blocks, value, weight, n)
    group = nw.lit(1)
    for j in range(1, n):
        group = group + (nw.col(value) > nw.col(f"_sp_cut{j}")).cast(nw.Int64)
    units = units.join(cuts, how="cross").with_columns(group.cast(nw.Int64).alias(GROUP))
    return units.drop(*[f"_sp_cut{j}" for j in range(1, n)])


BUCKETS = 65_536  # equal-width value ranges of the DuckDB cut values
_MARGIN = 1e-6  # positions this close to a group boundary are worked out value by value


def _duckdb_block_groups(units, value: str, weight: str, n: int):
    """Add ``GROUP`` to ``units`` in DuckDB: the rule of :func:`_with_cut_groups`.

    The cut values come from a histogram, not from a running weight over every
    distinct value (a sort of the whole table):

    1. the finite values are pooled into ``BUCKETS`` ranges of equal width; the
       running weight over the ranges gives the positions (0 to n) that each range
       spans;
    2. a range whose positions stay clear of every group boundary 1 .. n - 1 (by
       ``_MARGIN``, far more than the snap of the boundary rule) lies in one group;
    3. in the few ranges that reach a boundary, the running weight runs over their
       distinct values, from the weight before the range: each value's group by the
       rule of :func:`quintiles`;
    4. cut j is the largest value in groups 1 to j: the top of the ranges wholly
       below boundary j, or a value of a range worked out in step 3.

    The result is that of the running weight over every distinct value (the sums
    differ only in their order of addition). A value that is missing, NaN or infinite
    (input that the checks refuse) gets no range: its group comes from the cuts.
    narwhals writes every use of a frame as its own subquery, so the units are
    computed once here, in a materialised common table expression.
    """
    half_lo, half_hi = "(k.lo / 2)", "(k.hi / 2)"
    # Halves: the width of the range of two finite numbers stays finite.
    bucket = (
        f"CASE WHEN {half_hi} > {half_lo} THEN least(CAST(floor(({value} / 2 - {half_lo}) / "
        f"({half_hi} - {half_lo}) * {BUCKETS}) AS BIGINT), {BUCKETS - 1}) ELSE 0 END"
    )
    position = f"{n} * (c.{QC} - c.{QV} / 2) / k.t"
    nearest = f"round({position}, 0)"
    snapped = (
        f"CASE WHEN abs({position} - {nearest}) <= {_SNAP * n!r} THEN {nearest} ELSE {position} END"
    )
    margin = _MARGIN * n
    cuts = ", ".join(
        f"""coalesce(greatest(
                (SELECT max(top) FROM s WHERE NOT critical AND p_hi < {j}),
                (SELECT max({value}) FROM g WHERE g <= {j})
            ), '-Infinity'::DOUBLE) AS _sp_cut{j}"""
        for j in range(1, n)
    )
    group = " + ".join(["1", *(f"CAST(u.{value} > z._sp_cut{j} AS BIGINT)" for j in range(1, n))])
    sql = f"""
        WITH u AS MATERIALIZED (SELECT * FROM _sp_units),
        k AS (
            SELECT min({value}) AS lo, max({value}) AS hi, sum({weight}) AS t
            FROM u WHERE isfinite({value})
        ),
        h AS (
            SELECT {bucket} AS bk, sum({weight}) AS v, max({value}) AS top
            FROM u, k WHERE isfinite({value}) GROUP BY bk
        ),
        b AS (
            SELECT bk, v, top, coalesce(sum(v) OVER (
                ORDER BY bk ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
            ), 0) AS before
            FROM h
        ),
        s AS (
            SELECT bk, top, before, {n} * (before + v) / k.t AS p_hi,
                   greatest(ceil({n} * before / k.t - {margin!r}), 1)
                       <= least(floor({n} * (before + v) / k.t + {margin!r}), {n - 1})
                       AS critical
            FROM b, k
        ),
        e AS (
            SELECT u.{value}, sum(u.{weight}) AS {QV}, s.bk, any_value(s.before) AS before
            FROM u, k, s
            WHERE isfinite(u.{value}) AND s.critical AND {bucket} = s.bk
            GROUP BY s.bk, u.{value}
        ),
        c AS (
            SELECT {value}, {QV}, before + sum({QV}) OVER (
                PARTITION BY bk ORDER BY {value} ROWS UNBOUNDED PRECEDING
            ) AS {QC}
            FROM e
        ),
        g AS (
            SELECT c.{value}, CAST(least(floor({snapped}) + 1, {float(n)!r}) AS BIGINT) AS g
            FROM c, k
        ),
        z AS (SELECT {cuts})
        SELECT u.*, CAST({group} AS BIGINT) AS {GROUP} FROM u CROSS JOIN z
    """
    return nw.from_native(units.to_native().query("_sp_units", sql))


def _with_quantile_groups(units, value: str, weight: str, n: int):
    """Add the column ``GROUP``: the group 1..n of each row (the rule of :func:`quintiles`).

    With windows, not a join back from the distinct values (a join would compute the
    units twice in DuckDB): the running weight in order of ``value`` (ties in any
    order), its largest value among the ties (the weight up to the end of the block of
    ties), the weight of the block, and the total weight.
    """
    units = units.with_columns(
        nw.col(weight).cum_sum().over(order_by=value).alias(QC),
        nw.col(weight).sum().over(value).alias(QV),
        nw.col(weight).sum().alias(QT),
    )
    units = units.with_columns(nw.col(QC).max().over(value).alias(QC))
    position = n * (nw.col(QC) - nw.col(QV) / 2) / nw.col(QT)
    units = units.with_columns(position.alias("_sp_p")).with_columns(
        nw.col("_sp_p").round(0).alias("_sp_near")
    )
    snapped = (
        nw.when((nw.col("_sp_p") - nw.col("_sp_near")).abs() <= _SNAP * n)
        .then(nw.col("_sp_near"))
        .otherwise(nw.col("_sp_p"))
    )
    group = nw.min_horizontal(snapped.floor() + 1, nw.lit(float(n))).cast(nw.Int64)
    return units.with_columns(group.alias(GROUP))


# ---------------------------------------------------------------------------
# Incidence
# ---------------------------------------------------------------------------


def incidence(
    frame,
    names,
    *,
    money,
    group,
    weight,
    household,
    welfare,
    pre_transfer,
    level,
    size,
    what,
    named_groups,
    programmes_in,
) -> pd.DataFrame:
    from socialprotection.survey import ANY, _tidy

    lf = lazy_frame(frame)
    present = lf.collect_schema().names()
    computed = group not in present
    if computed and group not in named_groups:
        require_names(present, [group], what=what)
    columns = [household, weight, *(c for p in names for c in (f"{p}_recipient", f"{p}_amount"))]
    every = list(names)
    if computed:
        columns.append(welfare)
        if pre_transfer:
            every += [p for p in programmes_in(present) if p not in names]
            extra = every[len(names) :]
            columns += [c for p in extra for c in (f"{p}_recipient", f"{p}_amount")]
    else:
        columns.append(group)
    lf, schema, checks = _start(lf, columns, what, optional=(size,))
    checks.numeric(weight, non_negative=True)
    _household_checks(checks, household)
    _programme_checks(checks, every)
    use_size = size is not None and size in schema.names()
    if use_size:
        checks.numeric(size)
    if computed:
        checks.numeric(welfare)
    else:
        checks.group(group)
    k = len(names)
    person = lf.with_columns(
        _num(weight).alias(W),
        *[_flag(f"{p}_recipient", schema).alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(every)],
        *checks.columns(),
    )
    # Households ranked by welfare, household level: the union flag and the total
    # transfer are the household's, so they are taken from its sums (fewer sums).
    fold = computed and level == "household"
    if not fold:
        person = person.with_columns(
            _any_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
            _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(ANY_AMOUNT),
        )
    rules = _HouseholdRules(lf, household)
    # One row per household when the groups are computed: its persons, counted once,
    # are also the cell's persons and the members that the size rule compares.
    aggregations = [
        _agg("sum", W),
        _agg("len", None, M),
        *[_agg("any", _r(i)) for i in range(k if fold else k + 1)],
        *[_agg("sum", _a(i)) for i in range(len(every))],
        *([] if fold else [_agg("sum", ANY_AMOUNT, T)]),
        *([] if computed else [_agg("len", None, "_sp_cell_m")]),
        BAD_ANY,
    ]
    if level == "person":
        # What a person-level indicator sums: w x own amount (or flag), direct recipients.
        own = [
            nw.col(W) * ((nw.col(_a(i) if i < k else ANY_AMOUNT)) if money else _num(_r(i)))
            for i in range(k + 1)
        ]
        person = person.with_columns(
            *[o.alias(f"_sp_o{i}") for i, o in enumerate(own)],
            *[nw.col(_r(i)).cast(nw.Int64).alias(f"_sp_d{i}") for i in range(k + 1)],
        )
        aggregations += [
            *[_agg("sum", f"_sp_d{i}") for i in range(k + 1)],
            *[_agg("sum", f"_sp_o{i}") for i in range(k + 1)],
        ]
    lifted = [*(_r(i) for i in range(k + 1)), *(_a(i) for i in range(len(every))), T, M]
    if use_size:
        aggregations += [_agg("min", size, S_LO), _agg("max", size, S_HI)]
        if computed:
            rules.size(size, S_LO, S_HI, M)
        else:
            aggregations.append(_agg("len", None, "_sp_members"))
            lifted += [S_LO, S_HI, "_sp_members"]
            rules.size(size, S_LO, S_HI, "_sp_members")
    if computed:
        person = person.with_columns(_num(welfare).alias(Y))
        aggregations += [_agg("min", Y, Y_LO), _agg("max", Y, Y_HI)]
        rules.constant(welfare, Y_LO, Y_HI)
        units = _group(person, [household], aggregations)
        ranking = nw.col(Y_LO)
        if pre_transfer:
            every_total = _sum_of(*[nw.col(_a(i)) for i in range(len(every))])
            ranking = ranking - every_total / nw.col(M)
        units = units.with_columns(ranking.alias(X), nw.col(M).alias("_sp_cell_m"))
        if fold:
            units = units.with_columns(
                _any_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
                _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(T),
            )
        n = named_groups[group]
        keys = [GROUP]
    else:
        # The household's members may sit in several groups: pool by (household, group).
        units = _cells(person, household, [group], aggregations, lifted)
        keys = [group]
    units = units.with_columns(*[_num(_r(i)).alias(_r(i)) for i in range(k + 1)])
    members_h, cell_m = nw.col(M), nw.col("_sp_cell_m")  # household's persons, cell's
    terms = []
    for i in range(k + 1):
        if level == "household":
            if money:
                per_person = (nw.col(T) if i == k else nw.col(_a(i))) / members_h
            else:
                per_person = nw.col(_r(i))
            terms.append((nw.col(W) * per_person).alias(f"_sp_num{i}"))
            terms.append((cell_m * nw.col(_r(i))).alias(f"_sp_cnt{i}"))
        else:
            terms.append(nw.col(f"_sp_o{i}").alias(f"_sp_num{i}"))
            terms.append(nw.col(f"_sp_d{i}").alias(f"_sp_cnt{i}"))
    units = units.with_columns(*terms, *rules.columns())
    if computed:
        # Only the columns summed by group travel on; the running weight (a window)
        # runs over a narrow table of the distinct ranking values.
        additive = [
            *(f"_sp_num{i}" for i in range(k + 1)),
            *(f"_sp_cnt{i}" for i in range(k + 1)),
            "_sp_cell_m",
            W,
            BAD,
            *rules.names,
        ]
        units = units.select(X, *additive)
        if units.implementation is nw.Implementation.DUCKDB:
            units = _duckdb_block_groups(units, X, W, n)
        else:
            units = _with_cut_groups(units, X, W, n)
    result = _aggregate(
        units,
        keys,
        [
            *[nw.col(f"_sp_num{i}").sum().alias(f"num{i}") for i in range(k + 1)],
            *[nw.col(f"_sp_cnt{i}").sum().alias(f"cnt{i}") for i in range(k + 1)],
            nw.col("_sp_cell_m").sum().alias("n"),
            nw.col(W).sum().alias("den"),
            *checks.sums(),
            *rules.sums(),
        ],
    )
    result = _sorted(collect(result), keys)
    _refuse_empty(result, "n", columns, what)
    checks.raise_first(result, lf)
    rules.raise_first(result)
    _refuse_zero_weights(pd.to_numeric(result["den"]).fillna(0).sum(), weight)
    if computed:
        result = result.set_index(GROUP).reindex(range(1, n + 1)).rename_axis(group).reset_index()
    numerator = _matrix(result, "num", k + 1)
    counts = _matrix(result, "cnt", k + 1)
    n_groups = len(result)
    return _tidy(
        _labels(result, [group]),
        [*names, ANY],
        {
            "numerator": numerator,
            "denominator": np.repeat(numerator.sum(axis=0)[None, :], n_groups, axis=0),
            "n_obs": counts,
        },
        "share",
    )
