"""The survey indicators computed inside any dataframe engine, through narwhals.

One expression code path serves a polars DataFrame or LazyFrame, a DuckDB relation,
a Spark DataFrame (and other engines that narwhals supports with ordered windows):
the engine aggregates persons into households, households into groups, and only the
small table of results comes back, as pandas.
A pandas DataFrame does not come here: it keeps the numpy path of the package, which
is also the reference that the tests compare this path with.

The input checks are counters (rows that break a rule) carried through each
aggregation, so the engine reads the data once; see
:class:`socialprotection._validation.LazyChecks`.
Helper columns start with ``_sp_`` and are lower case: DuckDB folds the case of
column names, so ``w`` and ``W`` would be the same column there.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from socialprotection._validation import (
    BAD,
    LazyChecks,
    lazy_frame,
    require_columns,
    require_names,
)

_SNAP = 1e-9
W, M, Y, X, V, C, T = "_sp_w", "_sp_m", "_sp_y", "_sp_x", "_sp_v", "_sp_c", "_sp_t"
Y_LO, Y_HI, S_LO, S_HI = "_sp_y_lo", "_sp_y_hi", "_sp_s_lo", "_sp_s_hi"
GROUP, KEY = "_sp_group", "_sp_key"
ANY_AMOUNT = "_sp_a_any"
QC, QV, QT = "_sp_qc", "_sp_qv", "_sp_qt"  # running, block and total weight of quantiles


def _r(i: int) -> str:
    return f"_sp_r{i}"


def _a(i: int) -> str:
    return f"_sp_a{i}"


def _max_of(*expressions):
    """Return the largest of the expressions (Spark's ``greatest`` needs at least two)."""
    return expressions[0] if len(expressions) == 1 else nw.max_horizontal(*expressions)


def _sum_of(*expressions):
    return expressions[0] if len(expressions) == 1 else nw.sum_horizontal(*expressions)


def _num(column: str):
    return nw.col(column).cast(nw.Float64)


def _start(frame, columns: list[str], what: str, optional: tuple = ()):
    """Return the frame as a narwhals LazyFrame, its schema, and an empty set of checks.

    ``optional`` columns (the declared household size) are read when present.
    """
    lf = lazy_frame(frame)
    present = lf.collect_schema().names()
    require_names(present, columns, what=what)
    columns = [*columns, *(c for c in optional if c is not None and c in present)]
    # Only the columns read: no other column can meet a working column, whatever
    # its case (DuckDB and Spark fold it), and the engine reads no more than needed.
    lf = lf.select(*dict.fromkeys(columns))
    schema = lf.collect_schema()
    return lf, schema, LazyChecks(schema)


def collect(lf) -> pd.DataFrame:
    """Compute a (small) lazy result in its engine and return it as pandas."""
    return lf.collect(backend="pandas").to_native()


def _aggregate(lf, keys: list[str], aggregations: list):
    return lf.group_by(keys).agg(*aggregations) if keys else lf.select(*aggregations)


def _refuse_empty(result: pd.DataFrame, n_column: str, columns: list[str], what: str) -> None:
    """Raise the error of the pandas path for a frame without rows."""
    n = pd.to_numeric(result[n_column]).fillna(0).sum() if len(result) else 0
    if n == 0:
        require_columns(pd.DataFrame(columns=columns), columns, what=what, one_row_per="person")


def _refuse_zero_weights(total: float, weight: str | None) -> None:
    if weight is not None and total == 0:
        raise ValueError(f"the weights in column '{weight}' sum to zero: nothing to average over")


def _label(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _shown(value: float) -> str:
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


class _HouseholdRules:
    """Rules on households (a household value the same on every member, the size).

    Each rule is a counter over households; when it is not zero, a second, small
    query finds the first household that breaks it, for the message.
    """

    def __init__(self, lf, household: str) -> None:
        self.lf, self.household = lf, household
        self.rules: list[tuple[str, object, Callable[[], str]]] = []

    def constant(self, column: str, lo: str, hi: str) -> None:
        """``column`` must be the same on every member (its min ``lo`` and max ``hi``)."""

        def explain() -> str:
            found = self._first(
                nw.col(column).min().alias("lo"),
                nw.col(column).max().alias("hi"),
                condition=nw.col("lo") != nw.col("hi"),
            )
            return (
                f"household {_label(found[self.household])}: '{column}' is "
                f"{_shown(found['lo'])} on one member but {_shown(found['hi'])} on another; "
                "a household column must be the same on every member"
            )

        self.rules.append((f"_sp_rule_{len(self.rules)}", nw.col(lo) != nw.col(hi), explain))

    def size(self, column: str, lo: str, hi: str, members: str) -> None:
        """Check that the declared size ``column`` equals the household's rows ``members``."""

        def explain() -> str:
            found = self._first(
                nw.len().alias("rows"),
                nw.col(column).min().alias("declared"),
                condition=nw.col("rows") != nw.col("declared"),
            )
            return (
                f"household {_label(found[self.household])} has {int(found['rows'])} row(s) in "
                f"the frame but '{column}' = {_shown(found['declared'])}; household indicators "
                "need every member: do not filter persons out, use by= instead"
            )

        self.rules.append(
            (
                f"_sp_rule_{len(self.rules)}",
                (nw.col(lo) != nw.col(members)) | (nw.col(hi) != nw.col(members)),
                explain,
            )
        )

    def _first(self, *aggregations, condition) -> dict:
        found = collect(
            self.lf.group_by(self.household)
            .agg(*aggregations)
            .filter(condition)
            .sort(self.household)
            .head(1)
        )
        return found.iloc[0].to_dict()

    @property
    def names(self) -> list[str]:
        return [name for name, *_ in self.rules]

    def columns(self) -> list:
        return [
            nw.when(rule).then(nw.lit(1)).otherwise(nw.lit(0)).cast(nw.Int64).alias(name)
            for name, rule, _ in self.rules
        ]

    def sums(self) -> list:
        return [nw.col(name).sum().alias(name) for name, *_ in self.rules]

    def raise_first(self, result: pd.DataFrame) -> None:
        for name, _, explain in self.rules:
            if len(result) and pd.to_numeric(result[name]).fillna(0).sum() > 0:
                raise ValueError(explain())


def _programme_checks(checks: LazyChecks, names: list[str], *, amount: bool = True) -> None:
    for p in names:
        checks.flag(f"{p}_recipient")
        if amount:
            checks.numeric(f"{p}_amount", non_negative=True)
            checks.rule(
                (nw.col(f"{p}_amount") != 0) & (_num(f"{p}_recipient") == 0),
                ValueError,
                f"'{p}_amount' is not 0 for {{count}} person(s) whose '{p}_recipient' is "
                "false; a non-recipient must have amount 0",
            )


def _household_checks(checks: LazyChecks, household: str) -> None:
    dtype = checks.schema[household]
    value = nw.col(household)
    missing = value.is_null() | value.is_nan() if dtype.is_float() else value.is_null()
    checks.rule(
        missing, ValueError, f"column '{household}' has {{count}} missing household identifier(s)"
    )


def _cells(person, household: str, by: list[str], aggregations: list, lifted: list[str]):
    """Pool persons by (household, group); ``lifted`` columns become household values.

    Each name in ``lifted`` is aggregated per cell already (a max, a sum, a min); over
    the cells of a household it becomes the household's value with a window (max for
    ``_sp_r``, ``_sp_y_hi``, ``_sp_s_hi``, min for ``*_lo``, sum otherwise).
    """
    cells = person.group_by([household, *by]).agg(*aggregations)
    if not by:
        return cells
    windows = []
    for name in lifted:
        if name.startswith("_sp_r") or name.endswith("_hi"):
            windows.append(nw.col(name).max().over(household).alias(name))
        elif name.endswith("_lo"):
            windows.append(nw.col(name).min().over(household).alias(name))
        else:
            windows.append(nw.col(name).sum().over(household).alias(name))
    return cells.with_columns(*windows)


def _matrix(result: pd.DataFrame, prefix: str, k: int) -> np.ndarray:
    return np.column_stack(
        [pd.to_numeric(result[f"{prefix}{i}"]).fillna(0).to_numpy(dtype=float) for i in range(k)]
    )


def _sorted(result: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Rows in the sorted order of the group values (categories as their values)."""
    if not keys:
        return result
    for key in keys:
        if isinstance(result[key].dtype, pd.CategoricalDtype):
            result[key] = result[key].astype(result[key].cat.categories.dtype)
    return result.sort_values(keys).reset_index(drop=True)


def _labels(result: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    if not keys:
        return pd.DataFrame(index=range(1))
    return result[keys].reset_index(drop=True)


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
    flags = [_num(f"{p}_recipient").alias(_r(i)) for i, p in enumerate(names)]
    if level == "household":
        _household_checks(checks, household)
        use_size = size is not None and size in schema.names()
        if use_size:
            checks.numeric(size)
    person = lf.with_columns(_num(weight).alias(W), *flags, *checks.columns())
    any_flag = _max_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k))
    rules = _HouseholdRules(lf, household)
    if level == "person":
        person = person.with_columns(any_flag).with_columns(
            *[(nw.col(W) * nw.col(_r(i))).alias(_a(i)) for i in range(k + 1)]
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
        aggregations = [
            nw.col(W).sum().alias(W),
            nw.len().alias(M),
            *[nw.col(_r(i)).max().alias(_r(i)) for i in range(k)],
            *checks.sums(),
        ]
        lifted = [_r(i) for i in range(k)]
        if use_size:
            aggregations += [nw.col(size).min().alias(S_LO), nw.col(size).max().alias(S_HI)]
            lifted += [S_LO, S_HI]
            if by:  # the household's persons, over its cells
                aggregations.append(nw.len().alias("_sp_members"))
                lifted.append("_sp_members")
            rules.size(size, S_LO, S_HI, "_sp_members" if by else M)
        cells = _cells(person, household, by, aggregations, lifted)
        cells = cells.with_columns(any_flag)  # on households: the union of their flags
        cells = cells.with_columns(
            *[(nw.col(W) * nw.col(_r(i))).alias(_a(i)) for i in range(k + 1)], *rules.columns()
        )
        result = _aggregate(
            cells,
            by,
            [
                nw.col(W).sum().alias("den"),
                nw.col(M).sum().alias("n"),
                *[nw.col(_a(i)).sum().alias(f"num{i}") for i in range(k + 1)],
                *checks.sums(),
                *rules.sums(),
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


def _with_block_groups(blocks, value: str, weight: str, n: int):
    """Add ``GROUP`` to a table with one row per distinct ``value`` and its ``weight``."""
    blocks = blocks.with_columns(
        nw.col(weight).cum_sum().over(order_by=value).alias(QC), nw.col(weight).sum().alias(QT)
    )
    position = n * (nw.col(QC) - nw.col(weight) / 2) / nw.col(QT)
    return blocks.with_columns(_group_of_position(position, n).alias(GROUP))


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
        *[_num(f"{p}_recipient").alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(every)],
        *checks.columns(),
    )
    person = person.with_columns(
        _max_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
        _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(ANY_AMOUNT),
    )
    rules = _HouseholdRules(lf, household)
    aggregations = [
        nw.col(W).sum().alias(W),
        nw.len().alias(M),
        *[nw.col(_r(i)).max().alias(_r(i)) for i in range(k + 1)],
        *[nw.col(_a(i)).sum().alias(_a(i)) for i in range(len(every))],
        nw.col(ANY_AMOUNT).sum().alias(T),
        nw.len().alias("_sp_cell_m"),
        *checks.sums(),
    ]
    if level == "person":
        # What a person-level indicator sums: w x own amount (or flag), direct recipients.
        own = [
            (nw.col(W) * nw.col((_a(i) if i < k else ANY_AMOUNT) if money else _r(i)))
            for i in range(k + 1)
        ]
        person = person.with_columns(*[o.alias(f"_sp_o{i}") for i, o in enumerate(own)])
        aggregations += [
            *[nw.col(_r(i)).sum().alias(f"_sp_d{i}") for i in range(k + 1)],
            *[nw.col(f"_sp_o{i}").sum().alias(f"_sp_o{i}") for i in range(k + 1)],
        ]
    lifted = [*(_r(i) for i in range(k + 1)), *(_a(i) for i in range(len(every))), T, M]
    if use_size:
        aggregations += [
            nw.col(size).min().alias(S_LO),
            nw.col(size).max().alias(S_HI),
            nw.len().alias("_sp_members"),
        ]
        lifted += [S_LO, S_HI, "_sp_members"]
        rules.size(size, S_LO, S_HI, "_sp_members")
    if computed:
        aggregations += [_num(welfare).min().alias(Y_LO), _num(welfare).max().alias(Y_HI)]
        rules.constant(welfare, Y_LO, Y_HI)
        units = person.group_by(household).agg(*aggregations)
        ranking = nw.col(Y_LO)
        if pre_transfer:
            every_total = _sum_of(*[nw.col(_a(i)) for i in range(len(every))])
            ranking = ranking - every_total / nw.col(M)
        units = units.with_columns(ranking.alias(X))
        n = named_groups[group]
        keys = [GROUP]
    else:
        # The household's members may sit in several groups: pool by (household, group).
        units = _cells(person, household, [group], aggregations, lifted)
        keys = [group]
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
        # Every sum is additive: pool the households by their ranking value first, so
        # the running weight (a window) runs over the distinct values only.
        additive = [
            *(f"_sp_num{i}" for i in range(k + 1)),
            *(f"_sp_cnt{i}" for i in range(k + 1)),
            "_sp_cell_m",
            W,
            BAD,
            *rules.names,
        ]
        blocks = units.group_by(X).agg(*[nw.col(c).sum().alias(c) for c in additive])
        units = _with_block_groups(blocks, X, W, n)
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
        *[_num(f"{p}_recipient").alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(names)],
        *checks.columns(),
    )
    person = person.with_columns(
        _max_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
        _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(_a(k)),
        (nw.col(W) * nw.col(Y)).alias("_sp_wy"),
    )
    rules = _HouseholdRules(lf, household)
    aggregations = [
        nw.col(W).sum().alias(W),
        nw.len().alias(M),
        nw.len().alias("_sp_cell_m"),
        nw.col("_sp_wy").sum().alias("_sp_wy"),
        nw.col(Y).min().alias(Y_LO),
        nw.col(Y).max().alias(Y_HI),
        *[nw.col(_r(i)).max().alias(_r(i)) for i in range(k + 1)],
        *[nw.col(_a(i)).sum().alias(_a(i)) for i in range(k + 1)],
        *checks.sums(),
    ]
    lifted = [M, Y_LO, Y_HI, *(_r(i) for i in range(k + 1)), *(_a(i) for i in range(k + 1))]
    rules.constant(welfare, Y_LO, Y_HI)
    if use_size:
        aggregations += [nw.col(size).min().alias(S_LO), nw.col(size).max().alias(S_HI)]
        lifted += [S_LO, S_HI]
        rules.size(size, S_LO, S_HI, M)
    cells = _cells(person, household, by, aggregations, lifted)
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
        *[_num(f"{p}_recipient").alias(_r(i)) for i, p in enumerate(names)],
        *[_num(f"{p}_amount").alias(_a(i)) for i, p in enumerate(names)],
        *checks.columns(),
    )
    rules = _HouseholdRules(lf, household)
    rules.constant(welfare, Y_LO, Y_HI)
    aggregations = [
        nw.col(W).sum().alias(W),
        nw.len().alias(M),
        nw.col(Y).min().alias(Y_LO),
        nw.col(Y).max().alias(Y_HI),
        *[nw.col(_r(i)).max().alias(_r(i)) for i in range(k)],
        *[nw.col(_a(i)).sum().alias(_a(i)) for i in range(k)],
        *checks.sums(),
    ]
    if use_size:
        aggregations += [nw.col(size).min().alias(S_LO), nw.col(size).max().alias(S_HI)]
        rules.size(size, S_LO, S_HI, M)
    units = person.group_by(household).agg(*aggregations)
    units = units.with_columns(
        _max_of(*[nw.col(_r(i)) for i in range(k)]).alias(_r(k)),
        _sum_of(*[nw.col(_a(i)) for i in range(k)]).alias(_a(k)),
        *rules.columns(),
    )
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
