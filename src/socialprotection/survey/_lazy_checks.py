"""Helper columns, input checks and household rules of the engine path.

Shared by :mod:`socialprotection.survey._lazy_incidence` and
:mod:`socialprotection.survey._lazy_welfare`; see :mod:`socialprotection.survey._lazy`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import NamedTuple

import narwhals.stable.v2 as nw
import numpy as np
import pandas as pd

from socialprotection._validation import (
    BAD,
    LazyChecks,
    collect_small,
    lazy_frame,
    require_columns,
    require_names,
)

_SNAP = 1e-9
W, M, Y, X, V, C, T = "_sp_w", "_sp_m", "_sp_y", "_sp_x", "_sp_v", "_sp_c", "_sp_t"
Y_LO, Y_HI, S_LO, S_HI = "_sp_y_lo", "_sp_y_hi", "_sp_s_lo", "_sp_s_hi"
GROUP, KEY = "_sp_group", "_sp_key"
HOUSEHOLDS = "_sp_households"  # households that a pooled row stands for
ANY_AMOUNT = "_sp_a_any"
QC, QV, QT = "_sp_qc", "_sp_qv", "_sp_qt"  # running, block and total weight of quantiles


def _r(i: int) -> str:
    return f"_sp_r{i}"


def _a(i: int) -> str:
    return f"_sp_a{i}"


def _any_of(*expressions):
    """Return true where any of the true/false expressions is true (a missing one stays)."""
    if len(expressions) == 1:
        return expressions[0]
    return nw.any_horizontal(*expressions, ignore_nulls=False)


def _flag(column: str, schema):
    """Return the flag ``column`` as true/false: itself, or ``!= 0`` when coded 1/0.

    Flags stay true/false until the household's flag is taken (``any``): engines
    aggregate true/false values faster than numbers.
    """
    return nw.col(column) if schema[column] == nw.Boolean else nw.col(column) != 0


def _sum_of(*expressions):
    return expressions[0] if len(expressions) == 1 else nw.sum_horizontal(*expressions)


def _num(column: str):
    return nw.col(column).cast(nw.Float64)


class _Source:
    """The caller's frame, narrowed to the columns a function reads.

    :meth:`with_columns` reads those columns and adds working ones in one step (a
    DuckDB relation binds each step on its own, about 1 ms for each). Anything else,
    such as the second pass that counts the rows breaking a check, runs on the frame
    of the columns read (:attr:`lf`), built only when it is needed.
    """

    def __init__(self, frame, columns: list[str]) -> None:
        self.frame, self.names = frame, columns

    def with_columns(self, *expressions):
        """Return the columns read and ``expressions`` (named ``_sp_*``), in one step."""
        return self.frame.select(*self.names, *expressions)

    @functools.cached_property
    def lf(self):
        """The frame of the columns read.

        No other column can meet a working column, whatever its case (DuckDB and
        Spark fold it), and the engine reads no more than needed.
        """
        return self.frame.select(*self.names)

    def __getattr__(self, name: str):
        return getattr(self.lf, name)


def _start(frame, columns: list[str], what: str, optional: tuple = ()):
    """Return the frame as a :class:`_Source`, its schema, and an empty set of checks.

    ``optional`` columns (the declared household size) are read when present.
    """
    lf = lazy_frame(frame)
    full = lf.collect_schema()
    present = full.names()
    require_names(present, columns, what=what)
    read = [*columns, *(c for c in optional if c is not None and c in present)]
    columns = list(dict.fromkeys(read))
    schema = nw.Schema({c: full[c] for c in columns})
    return _Source(lf, columns), schema, LazyChecks(schema)


def collect(lf) -> pd.DataFrame:
    """Compute a (small) lazy result in its engine and return it as pandas."""
    return collect_small(lf)


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

        def explain() -> str | None:
            found = self._first(
                nw.col(column).min().alias("lo"),
                nw.col(column).max().alias("hi"),
                condition=nw.col("lo") != nw.col("hi"),
            )
            if found is None:
                return None
            return (
                f"household {_label(found[self.household])}: '{column}' is "
                f"{_shown(found['lo'])} on one member but {_shown(found['hi'])} on another; "
                "a household column must be the same on every member"
            )

        self.rules.append((f"_sp_rule_{len(self.rules)}", nw.col(lo) != nw.col(hi), explain))

    def size(self, column: str, lo: str, hi: str, members: str) -> None:
        """Check that the declared size ``column`` equals the household's rows ``members``.

        ``lo`` and ``hi`` are the least and largest declared size of the household.
        On DuckDB they come from a screen (:func:`_duckdb_group`) that holds the
        sizes 1 to :data:`SCREENED` exactly and reads back ``lo`` = -1 for a household
        with any other size: such households are "unsure", and a second query checks
        only them (the households with a member whose size is outside 1 ..
        ``SCREENED``), so that a few large households cost a filtered pass, not a
        second grouping of every person. The query that names the household is
        exact, and when it finds none, nothing is raised.
        """
        counted = (
            nw.len().alias("rows"),
            nw.col(column).min().alias("lo"),
            nw.col(column).max().alias("hi"),
        )
        broken = (nw.col("lo") != nw.col("hi")) | (nw.col("rows") != nw.col("lo"))

        def explain() -> str | None:
            found = self._first(*counted, condition=broken)
            if found is None:
                return None
            name = _label(found[self.household])
            if found["lo"] != found["hi"]:
                return (
                    f"household {name}: '{column}' is {_shown(found['lo'])} on one member but "
                    f"{_shown(found['hi'])} on another; a household column must be the same "
                    "on every member"
                )
            return (
                f"household {name} has {int(found['rows'])} row(s) in the frame but "
                f"'{column}' = {_shown(found['lo'])}; household indicators need every member: "
                "do not filter persons out, use by= instead"
            )

        def explain_unsure() -> str | None:
            outside = ~nw.col(column).is_between(1, SCREENED)
            suspects = self.lf.filter(outside).select(self.household).unique()
            among = self.lf.join(suspects, on=self.household, how="semi")
            return None if self._first(*counted, condition=broken, lf=among) is None else explain()

        wrong = (nw.col(lo) != nw.col(members)) | (nw.col(hi) != nw.col(members))
        unsure = nw.col(lo) == -1
        self.rules.append((f"_sp_rule_{len(self.rules)}", wrong & ~unsure, explain))
        self.rules.append((f"_sp_rule_{len(self.rules)}", unsure, explain_unsure))

    def _first(self, *aggregations, condition, lf=None) -> dict | None:
        """Return the first household of ``lf`` (all persons) that meets ``condition``, in order."""
        found = collect(
            (self.lf if lf is None else lf)
            .group_by(self.household)
            .agg(*aggregations)
            .filter(condition)
            .sort(self.household)
            .head(1)
        )
        return found.iloc[0].to_dict() if len(found) else None

    @property
    def names(self) -> list[str]:
        return [name for name, *_ in self.rules]

    def columns(self) -> list:
        return [rule.fill_null(False).cast(nw.Int64).alias(name) for name, rule, _ in self.rules]

    def sums(self) -> list:
        return [nw.col(name).sum().alias(name) for name, *_ in self.rules]

    def counts(self, per=None) -> list:
        """Return, as aggregations, the number of households that break each rule.

        ``per`` is the expression of the households each row stands for (pooled
        rows, see :func:`_group`); without it, each row is one household.
        """
        counts = [rule.fill_null(False).cast(nw.Int64) for _, rule, _ in self.rules]
        if per is not None:
            counts = [count * per for count in counts]
        return [count.sum().alias(name) for count, name in zip(counts, self.names, strict=True)]

    def raise_first(self, result: pd.DataFrame) -> None:
        for name, _, explain in self.rules:
            if len(result) and pd.to_numeric(result[name]).fillna(0).sum() > 0:
                message = explain()
                if message is not None:
                    raise ValueError(message)


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


class Agg(NamedTuple):
    """One aggregation of a household step: ``kind`` of ``column``, named ``alias``.

    ``kind`` is ``"sum"``, ``"len"`` (rows; no column), ``"min"``, ``"max"`` or
    ``"any"`` (of a true/false column). Declared, not written as a narwhals
    expression, so that :func:`_group` can also write it in DuckDB SQL.
    """

    kind: str
    column: str | None
    alias: str

    def expression(self):
        """Return the aggregation as a narwhals expression."""
        if self.kind == "len":
            return nw.len().alias(self.alias)
        return getattr(nw.col(self.column), self.kind)().alias(self.alias)


def _agg(kind: str, column: str | None, alias: str | None = None) -> Agg:
    return Agg(kind, column, alias or column)


BAD_ANY = Agg("any", BAD, BAD)  # the marker of bad input, carried through a group
_PACKED = 62  # true/false aggregations that one 64-bit mask can carry


def _group(lf, keys: list[str], aggregations: list[Agg], pool: str | None = None):
    """Group ``lf`` by ``keys`` (never empty) with the :class:`Agg` ``aggregations``.

    On DuckDB, several ``any`` of true/false columns are one aggregation: each
    person's flags are bits of one integer, the household's flags the bitwise OR
    (``bit_or``) of its persons' integers, read back bit by bit. DuckDB updates one
    aggregate state per row instead of one per flag: the household step of
    coverage and incidence, with the marker of bad input among the flags, takes
    less time than six ``bool_or`` (see ``benchmarks/survey_speed.py``). narwhals has
    no bitwise OR, so this step is written in SQL; every other engine, and DuckDB
    with fewer than two flags, takes the narwhals expressions.

    With ``pool`` (only where :func:`_pools` is true), the groups come pooled: see
    :func:`_duckdb_group`.
    """
    flags = [a for a in aggregations if a.kind == "any"]
    if _pools(lf, aggregations):
        return _duckdb_group(lf, keys, aggregations, flags, pool)
    if pool is not None:
        raise ValueError("only the DuckDB household step pools its groups")
    return lf.group_by(keys).agg(*[a.expression() for a in aggregations])


def _pools(lf, aggregations: list[Agg]) -> bool:
    """Whether :func:`_group` packs the flags of ``aggregations`` (and can pool groups)."""
    flags = sum(a.kind == "any" for a in aggregations)
    return lf.implementation is nw.Implementation.DUCKDB and 2 <= flags <= _PACKED


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


# A sum over a group is never empty; a missing value is refused by the checks.
_SQL = {"sum": "sum({})", "len": "count(*)", "min": "min({})", "max": "max({})"}
_FLAG_BITS = 16  # flags in a 64-bit DuckDB mask (bits 0 .. 15); the bits above hold sizes
SCREENED = 23  # declared sizes 1 .. SCREENED are held exactly by every DuckDB screen


def _span(lf, aggregations: list[Agg]) -> tuple[Agg, Agg] | None:
    """Return the min and max of the declared size that :func:`_duckdb_group` packs.

    Only the pair named ``S_LO`` and ``S_HI`` (the rule that a household's declared
    size is the same on every member and equals its rows, :meth:`_HouseholdRules.size`),
    and only when the column holds integers: the pair read back serves that rule's
    equality test, not as values (a household's welfare keeps its true min and max).
    """
    low = next((a for a in aggregations if a.kind == "min" and a.alias == S_LO), None)
    high = next((a for a in aggregations if a.kind == "max" and a.alias == S_HI), None)
    if low is None or high is None or low.column != high.column:
        return None
    return (low, high) if lf.collect_schema()[low.column].is_integer() else None


def _duckdb_group(
    lf, keys: list[str], aggregations: list[Agg], flags: list[Agg], pool: str | None = None
):
    """:func:`_group` in DuckDB SQL, the ``flags`` packed into one ``bit_or``.

    A missing flag counts as false, as in ``any``. The flags are the low bits of a
    32-bit integer (up to 31 flags; a 64-bit one above), the narrowest that holds
    them: DuckDB groups a narrower integer faster (about 5 % of the household step
    of coverage on 10 million persons, measured with ``benchmarks/survey_speed.py``).

    With at most 16 flags, a pair of min and max of one integer column
    (:func:`_span`: the declared household size) rides in the same integer, as the
    set of the sizes present. Above the ``f`` flags, bit ``f`` marks a size outside
    the screen and size v in 1 .. ``top`` sets bit ``f + v``; ``top`` is
    30 - ``f`` in a 32-bit integer (at most 7 flags: 23 sizes or more, see
    :data:`SCREENED`), else 46 in a 64-bit one with ``f`` = 16. The OR over the
    group has one bit per size present, read back as (the least size, the same size
    when it is the only one, else ``top + 1``): equal exactly when every member
    declares the same size, as min and max, which is all that the size rule reads.
    A household with any other size (0, negative, above ``top``, missing) reads back
    (-1, -1), "unsure", and the size rule checks it exactly
    (:meth:`_HouseholdRules.size`).

    With ``pool``, groups alike in everything but their sums (the same integer of
    flags and sizes, the same rows, min and max) are pooled into one row that sums
    their sums and counts them in the column ``pool``; the keys are dropped. A
    caller that only adds up over the groups (coverage without ``by``) then reads a
    few hundred rows instead of one per household: with the counts as weights, its
    sums are those over the households. On the 10 million persons of
    ``benchmarks/survey_speed.py``, the query of coverage alone takes about 300 ms
    instead of 317 ms (medians of 11 runs, alternated with the query without pooling).
    """
    bit = {a.alias: 1 << i for i, a in enumerate(flags)}
    span = _span(lf, aggregations) if len(flags) <= _FLAG_BITS else None
    if len(flags) <= (7 if span is not None else 31):
        kind, base, top = "INTEGER", len(flags), 30 - len(flags)
    else:
        kind, base, top = "BIGINT", _FLAG_BITS, 62 - _FLAG_BITS
    parts = [f"CASE WHEN {_quoted(a.column)} THEN {bit[a.alias]}::{kind} ELSE 0 END" for a in flags]
    read = {}
    if span is not None:
        low, high = span
        value = _quoted(low.column)
        parts.append(
            f"CASE WHEN {value} BETWEEN 1 AND {top} "
            f"THEN 1::{kind} << CAST({value} + {base} AS INTEGER) ELSE {1 << base}::{kind} END"
        )
        unsure = f"(_sp_mask & {1 << base}) <> 0"
        sizes = f"(_sp_mask >> {base + 1})"  # bit 0: size 1
        lowest = f"({sizes} & -{sizes})"
        least = f"bit_count({lowest} - 1) + 1"  # the bits below the lowest set bit, + 1
        read[low.alias] = f"CASE WHEN {unsure} THEN -1 ELSE {least} END"
        read[high.alias] = (
            f"CASE WHEN {unsure} THEN -1 WHEN {sizes} = {lowest} THEN {least} ELSE {top + 1} END"
        )
    key_list = ", ".join(_quoted(k) for k in keys)
    computed = [a for a in aggregations if a.kind != "any" and a.alias not in read]
    inner = [
        f"{_SQL[a.kind].format(_quoted(a.column or ''))} AS {_quoted(a.alias)}" for a in computed
    ]
    outer = []
    for a in aggregations:
        if a.kind == "any":
            outer.append(f"(_sp_mask & {bit[a.alias]}) <> 0 AS {_quoted(a.alias)}")
        else:
            outer.append(f"{read.get(a.alias, _quoted(a.alias))} AS {_quoted(a.alias)}")
    inner = ", ".join([key_list, *inner, f"bit_or({' | '.join(parts)}) AS _sp_mask"])
    # The relation's own steps, not a query over it: each step of a relation is
    # bound (checked) once, and a query binds the whole text several times.
    grouped = lf.to_native().aggregate(inner, key_list)
    if pool is not None:
        # Groups alike in every value but their sums are pooled: one row per such
        # class, its sums summed, its groups counted in ``pool``, and its values read
        # back in the same step. The classes are few (the flags, sizes and members
        # seen), so what follows reads a few rows instead of one per household.
        alike = ["_sp_mask", *(_quoted(a.alias) for a in computed if a.kind != "sum")]
        pooled = [
            f"sum({_quoted(a.alias)}) AS {_quoted(a.alias)}" if a.kind == "sum" else text
            for a, text in zip(aggregations, outer, strict=True)
        ]
        counted = f"count(*) AS {_quoted(pool)}"
        return nw.from_native(grouped.aggregate(", ".join([*pooled, counted]), ", ".join(alike)))
    return nw.from_native(grouped.select(", ".join([key_list, *outer])))


def _cells(person, household: str, by: list[str], aggregations: list[Agg], lifted: list[str]):
    """Pool persons by (household, group); ``lifted`` columns become household values.

    Each name in ``lifted`` is aggregated per cell already (a max, a sum, a min); over
    the cells of a household it becomes the household's value with a window (max for
    ``_sp_r``, ``_sp_y_hi``, ``_sp_s_hi``, min for ``*_lo``, sum otherwise).
    """
    cells = _group(person, [household, *by], aggregations)
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
    return result[[f"{prefix}{i}" for i in range(k)]].to_numpy(dtype=float, na_value=0.0)


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
