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

from __future__ import annotations

import numbers
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    boolean_column,
    is_pandas,
    numeric_column,
    require_columns,
    weights_of,
)

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

#: Name of the row that takes the programmes given together (their union for
#: coverage and incidence, the sum of their transfers for amounts).
ANY = "any"

_LEVELS = ("household", "person")
_NAMED_GROUPS = {"quartile": 4, "quintile": 5, "decile": 10}
_SNAP = 1e-9  # relative tolerance when a cumulative weight lands on a group boundary


# ---------------------------------------------------------------------------
# Input handling
# ---------------------------------------------------------------------------


def programmes_in(frame: pd.DataFrame) -> list[str]:
    """Return the programmes in a survey frame: each ``p`` with ``{p}_recipient`` and ``_amount``.

    Examples
    --------
    >>> frame = pd.DataFrame(
    ...     columns=["hh_id", "child_benefit_recipient", "child_benefit_amount", "x_amount"]
    ... )
    >>> programmes_in(frame)
    ['child_benefit']
    """
    columns = set(map(str, frame.columns))
    return [
        str(c)[: -len("_recipient")]
        for c in frame.columns
        if str(c).endswith("_recipient") and f"{str(c)[: -len('_recipient')]}_amount" in columns
    ]


def _programme_names(programmes: str | Iterable[str]) -> list[str]:
    names = as_list(programmes)
    if not names:
        raise ValueError("no programme given: name at least one, e.g. 'social_pension'")
    seen: set[str] = set()
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"a programme is named by a string; got {name!r}")
        if name == ANY:
            raise ValueError(
                f"'{ANY}' is the name of the row for the programmes taken together; "
                "it cannot be a programme"
            )
        if name in seen:
            raise ValueError(f"programme '{name}' is given twice")
        seen.add(name)
    return names


def _check_level(level: str) -> str:
    if level not in _LEVELS:
        raise ValueError(
            f"level must be 'household' (anyone in the household receives: ASPIRE) or "
            f"'person' (direct recipients only); got {level!r}"
        )
    return level


def _columns(programmes: Sequence[str], *, recipient: bool = True, amount: bool = True) -> list:
    out = []
    for p in programmes:
        if recipient:
            out.append(f"{p}_recipient")
        if amount:
            out.append(f"{p}_amount")
    return out


@dataclass(frozen=True)
class _Households:
    codes: np.ndarray  # household code (0..H-1) of each row
    labels: pd.Index  # household identifier of each code
    members: np.ndarray  # rows per household
    first: np.ndarray  # position of each household's first row
    contiguous: bool  # True when each household's rows are next to each other

    @property
    def count(self) -> int:
        return len(self.labels)

    def is_constant(self, values: np.ndarray) -> bool:
        """Whether ``values`` is the same on every row of each household."""
        if self.contiguous:
            same = self.codes[1:] == self.codes[:-1]
            return bool(np.all((values[1:] == values[:-1]) | ~same))
        return bool(np.array_equal(values[self.first][self.codes], values))


def _households(frame: pd.DataFrame, household: str, size: str | None) -> _Households:
    series = frame[household]
    codes, labels = pd.factorize(series)
    if len(codes) and codes.min() < 0:
        missing = codes < 0
        raise ValueError(
            f"column '{household}' has {int(missing.sum())} missing household identifier(s), "
            f"the first in row {frame.index[int(np.flatnonzero(missing)[0])]}"
        )
    members = np.bincount(codes, minlength=len(labels))
    # factorize numbers households in order of first appearance, so a row opens a
    # household exactly when its code exceeds every code seen before it.
    if len(codes):
        opens = np.empty(len(codes), dtype=bool)
        opens[0] = True
        opens[1:] = codes[1:] > np.maximum.accumulate(codes)[:-1]
        first = np.flatnonzero(opens)
        contiguous = bool(np.all(codes[1:] >= codes[:-1]))
    else:
        first = np.zeros(0, dtype=np.intp)
        contiguous = True
    households = _Households(codes, labels, members, first, contiguous)
    if size is not None and size in frame.columns:
        _check_size(frame, size, households)
    return households


def _name(label: object) -> str:
    return repr(label) if isinstance(label, str) else str(label)


def _number(value: float) -> str:
    """Show a number as a person reads it: 2 rather than 2.0, every digit that differs."""
    short = f"{value:g}"
    return short if float(short) == value else repr(float(value))


def _household_column(
    frame: pd.DataFrame, column: str, hh: _Households, *, non_negative: bool = False
) -> np.ndarray:
    """Return a household column (welfare, size) after checking it is the same on all members.

    The value checks are those of :func:`numeric_column`; a household whose members
    differ raises an error that names the household, the two rows and their values.
    """
    values = numeric_column(frame, column, non_negative=non_negative)
    if not hh.is_constant(values):
        row = int(np.flatnonzero(values != values[hh.first][hh.codes])[0])
        k = hh.codes[row]
        raise ValueError(
            f"household {_name(hh.labels[k])}: '{column}' is {_number(values[hh.first[k]])} in "
            f"row {frame.index[hh.first[k]]} but {_number(values[row])} in row "
            f"{frame.index[row]}; a household column must be the same on every member"
        )
    return values


def _check_size(frame: pd.DataFrame, size: str, hh: _Households) -> None:
    """Check that every household has as many rows as its declared size."""
    declared = _household_column(frame, size, hh)
    wrong = declared[hh.first] != hh.members
    if wrong.any():
        k = int(np.flatnonzero(wrong)[0])
        raise ValueError(
            f"household {_name(hh.labels[k])} has {int(hh.members[k])} row(s) in the frame but "
            f"'{size}' = {_number(declared[hh.first[k]])} (row {frame.index[hh.first[k]]}); "
            "household indicators need every member: do not filter persons out, use by= instead"
        )


@dataclass(frozen=True)
class _Programme:
    recipient: np.ndarray  # bool per row
    amount: np.ndarray  # float per row
    recipients: np.ndarray  # direct recipients per household
    total: np.ndarray  # amount per household


def _programme(frame: pd.DataFrame, name: str, hh: _Households) -> _Programme:
    recipient = boolean_column(frame, f"{name}_recipient")
    amount = numeric_column(frame, f"{name}_amount", non_negative=True)
    paid = amount[recipient]
    if np.count_nonzero(amount) != np.count_nonzero(paid):
        position = int(np.flatnonzero((amount != 0) & ~recipient)[0])
        raise ValueError(
            f"row {frame.index[position]}: '{name}_amount' is {amount[position]:g} but "
            f"'{name}_recipient' is false; a non-recipient must have amount 0"
        )
    codes = hh.codes[recipient]
    recipients = np.bincount(codes, minlength=hh.count)
    total = np.bincount(codes, weights=paid, minlength=hh.count)
    return _Programme(recipient, amount, recipients, total)


def _group_codes(frame: pd.DataFrame, columns: list[str]) -> tuple[np.ndarray | None, pd.DataFrame]:
    """Integer group of each row for the columns ``columns``, and the groups' labels."""
    if not columns:
        return None, pd.DataFrame(index=range(1))
    codes = np.zeros(len(frame), dtype=np.int64)
    uniques = []
    for column in columns:
        c, u = pd.factorize(frame[column], sort=True)
        if len(c) and c.min() < 0:
            missing = c < 0
            raise ValueError(
                f"column '{column}' has {int(missing.sum())} missing value(s), the first in row "
                f"{frame.index[int(np.flatnonzero(missing)[0])]}; give them a group of their own "
                "(e.g. 'unknown') before computing"
            )
        codes = codes * len(u) + c
        uniques.append(u)
    if len(columns) > 1:
        codes, present = pd.factorize(codes, sort=True)
        parts = np.unravel_index(np.asarray(present), [len(u) for u in uniques])
        labels = pd.DataFrame(
            {col: u[i] for col, u, i in zip(columns, uniques, parts, strict=True)}
        )
    else:
        labels = pd.DataFrame({columns[0]: uniques[0]})
    return codes, labels.reset_index(drop=True)


@dataclass(frozen=True)
class _Cells:
    """Persons pooled by (household, group): sums over persons become sums over cells."""

    codes: np.ndarray  # cell of each row
    household: np.ndarray  # household code of each cell
    group: np.ndarray  # group code of each cell
    weight: np.ndarray  # sum of the weights of the cell's persons
    count: np.ndarray  # persons in the cell

    def total(self, values: np.ndarray, n_groups: int) -> np.ndarray:
        """Sum per group of a per-cell quantity."""
        return np.bincount(self.group, weights=values, minlength=n_groups)


def _cells(
    hh: _Households,
    groups: np.ndarray | None,
    n_groups: int,
    w: np.ndarray,
    household_groups: np.ndarray | None = None,
) -> _Cells:
    if household_groups is None and groups is not None and hh.is_constant(groups):
        household_groups = groups[hh.first]
    if groups is None or household_groups is not None:
        # One cell per household: by=None, or groups shared by all members.
        codes = hh.codes
        household = np.arange(hh.count)
        if household_groups is None:
            group = np.zeros(hh.count, dtype=np.intp)
        else:
            group = household_groups
    else:
        key = hh.codes.astype(np.int64) * n_groups + groups
        codes, present = pd.factorize(key)
        present = np.asarray(present)
        household = present // n_groups
        group = present % n_groups
    n_cells = len(household)
    return _Cells(
        codes,
        household,
        group,
        np.bincount(codes, weights=w, minlength=n_cells),
        np.bincount(codes, minlength=n_cells),
    )


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator != 0)
    return out


def _tidy(
    labels: pd.DataFrame, names: list[str], columns: dict[str, np.ndarray], rate: str
) -> pd.DataFrame:
    """Rows group-major, programme-minor; ``columns`` hold arrays of shape (groups, programmes)."""
    n_groups, n_names = len(labels), len(names)
    out = {c: np.repeat(labels[c].to_numpy(), n_names) for c in labels.columns}
    out["programme"] = np.tile(np.array(names, dtype=object), n_groups)
    numerator = np.asarray(columns["numerator"], dtype=float)
    denominator = np.asarray(columns["denominator"], dtype=float)
    out["numerator"] = numerator.ravel()
    out["denominator"] = denominator.ravel()
    out[rate] = _ratio(numerator, denominator).ravel()
    out["n_obs"] = np.asarray(columns["n_obs"], dtype=np.int64).ravel()
    return pd.DataFrame(out)


# ---------------------------------------------------------------------------
# Weighted quantile groups
# ---------------------------------------------------------------------------


def _quantile_groups(values: np.ndarray, weights: np.ndarray, n: int) -> np.ndarray:
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    order = np.argsort(values)
    ordered = values[order]
    opens = np.empty(len(ordered), dtype=bool)
    opens[0] = True
    opens[1:] = ordered[1:] != ordered[:-1]
    starts = np.flatnonzero(opens)
    block = np.add.reduceat(weights[order], starts)
    cumulative = np.cumsum(block)
    position = n * (cumulative - block / 2) / cumulative[-1]
    nearest = np.round(position)
    position = np.where(np.abs(position - nearest) <= _SNAP * n, nearest, position)
    group = np.minimum(np.floor(position).astype(np.int64) + 1, n)
    out = np.empty(len(values), dtype=np.int64)
    out[order] = np.repeat(group, np.diff(np.append(starts, len(ordered))))
    return out


def _series_name(data, default: str) -> str:
    name = data.name if isinstance(data, pd.Series) else None
    return name if isinstance(name, str) and name else default


def _as_frame(values, weights, empty: str) -> tuple[pd.DataFrame, str, str | None]:
    """Values (and weights) as a frame whose columns are named as the user named them.

    A Series keeps its name (``survey["consumption_pc"]`` is column 'consumption_pc' in
    the messages) and its index; other arrays are 'values' and 'weights'. ``empty`` ends
    the message for an empty sample.
    """
    index = values.index if isinstance(values, pd.Series) else None
    data = np.asarray(values)
    if data.ndim != 1:
        raise ValueError(f"values must be one-dimensional; got an array of shape {data.shape}")
    if len(data) == 0:
        raise ValueError(f"no values: {empty}")
    name = _series_name(values, "values")
    frame = pd.DataFrame({name: data}, index=index)
    if weights is None:
        return frame, name, None
    weight = _series_name(weights, "weights")
    if weight == name:
        name, weight = "values", "weights"
        frame.columns = [name]
    weights = np.asarray(weights)
    if weights.shape != (len(frame),):
        raise ValueError(
            f"weights must have one value per observation: {len(frame)} values but "
            f"weights of shape {weights.shape}"
        )
    frame[weight] = weights
    return frame, name, weight


def _is_frame(data: object) -> bool:
    """Whether ``data`` is a data frame (of any engine) rather than an array of values."""
    if isinstance(data, pd.DataFrame):
        return True
    if isinstance(data, (pd.Series, np.ndarray, list, tuple, range)):
        return False
    import narwhals.stable.v2 as nw

    try:
        return not isinstance(nw.from_native(data), nw.Series)
    except TypeError:
        return False


def _pandas_values(
    frame: pd.DataFrame, column, weights, what: str, empty: str
) -> tuple[pd.DataFrame, str, str | None]:
    """Check the columns of the frame form (values in ``column``, ``weights`` a column)."""
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
    require_columns(frame, [column, *([weights] if weights else [])], what=what)
    if len(frame) == 0:
        raise ValueError(f"no values: {empty}")
    return frame, column, weights


def quintiles(values, weights=None, n: int = 5, *, column: str | None = None):
    """Assign weighted quantile groups 1..n (quintiles by default), ordered by value.

    Rule: sort the distinct values; each distinct value is a block whose weight is the
    sum of the weights of the observations holding it, so ties always share a group.
    A block occupies the interval ``[C_before, C_before + v]`` of the cumulative weight
    (``v`` its weight, ``W`` the total) and goes to the group that holds its midpoint::

        group = min(n, 1 + floor(n * (C_before + v / 2) / W))

    Equivalently, each cut between groups ``k`` and ``k + 1`` is the block edge whose
    cumulative weight is nearest to ``k * W / n``, so every group holds as close as
    possible to ``1/n`` of the total weight.
    A midpoint exactly on a boundary (within a relative 1e-9, to absorb rounding in the
    cumulative sums) goes to the upper group.
    A block heavier than ``W / n`` can leave a neighbouring group empty.
    The rule is symmetric (reversing the order of the values reverses the groups,
    except for midpoints exactly on a boundary), and because it only looks at blocks,
    integer weights give the same groups as the sample replicated by its weights.
    Other software may place a block that straddles a boundary differently.

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        The ranking variable (e.g. pre-transfer welfare per capita); no missing values.
        Or a frame (pandas, polars, DuckDB, Spark) that holds it in the column ``column``.
    weights : array-like or str, optional
        Non-negative weights, not all zero; equal weights when omitted. With a frame:
        the name of its weight column.
    n : int, default 5
        Number of groups (5 quintiles, 10 deciles).
    column : str, optional
        With a frame: the column of the ranking variable (required).

    Returns
    -------
    numpy.ndarray, pandas.Series or a frame
        Integer groups 1..n; a Series with the same index when ``values`` is a Series.
        For a frame: the frame with a new column of groups (``quintile``, ``quartile``,
        ``decile``, else ``group``), in the same engine; a lazy engine (a polars
        LazyFrame, DuckDB, Spark) returns a lazy table, whose row order is the engine's.

    Examples
    --------
    >>> quintiles([50, 10, 40, 20, 30]).tolist()
    [5, 1, 4, 2, 3]
    >>> quintiles([1, 2, 3], weights=[3, 1, 1]).tolist()  # blocks [0,3], [3,4], [4,5]
    [2, 4, 5]
    >>> people = pd.DataFrame({"y": [1, 2, 3], "w": [3, 1, 1]})
    >>> quintiles(people, weights="w", column="y")["quintile"].tolist()
    [2, 4, 5]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number of groups, at least 1; got {n!r}")
    empty = "the quantile groups of an empty sample are undefined"
    label = {v: k for k, v in _NAMED_GROUPS.items()}.get(int(n), "group")
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.quintiles(values, weights, int(n), column, label)
        if label in values.columns:
            raise ValueError(
                f"the frame already has a column '{label}'; drop or rename it before computing "
                "groups"
            )
        frame, name, weight = _pandas_values(values, column, weights, "quintiles", empty)
        groups = _quantile_groups(numeric_column(frame, name), weights_of(frame, weight), int(n))
        return values.assign(**{label: groups})
    frame, name, weight = _as_frame(values, weights, empty)
    x = numeric_column(frame, name)
    w = weights_of(frame, weight)
    groups = _quantile_groups(x, w, int(n))
    if isinstance(values, pd.Series):
        return pd.Series(groups, index=values.index, name=label)
    return groups


# ---------------------------------------------------------------------------
# Household transfers
# ---------------------------------------------------------------------------


def household_transfers(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    household: str = "hh_id",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    """Return each household's transfers: total, per-capita transfer and beneficiary flag.

    For household h with ``m_h`` members (its rows in ``frame``):
    total_h = sum of ``{p}_amount`` over its members;
    per-capita transfer T_h = total_h / m_h (the T_i of every member);
    beneficiary B_h = 1 when at least one member is a direct recipient, so every member
    counts as a (direct or indirect) beneficiary, as in ASPIRE.
    The row ``programme = "any"`` sums the amounts of the programmes given and flags a
    household that receives at least one of them.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person, with ``household`` and ``{p}_recipient``, ``{p}_amount``.
    programmes : str or list of str
        Programme names ``p``.
    household : str, default "hh_id"
        Household identifier column.
    size : str or None, default "hh_size"
        Column of declared household sizes; when the frame has it, each household's
        number of rows must equal it (a frame filtered to some members would silently
        lose the other members' benefits). None skips the check.

    Returns
    -------
    pandas.DataFrame
        One row per household and programme (households in order of first appearance):
        ``household``, ``programme``, ``members``, ``recipients`` (direct recipients),
        ``total``, ``per_capita`` and ``beneficiary``.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2],
    ...     "child_benefit_recipient": [True, False, False],
    ...     "child_benefit_amount": [90.0, 0.0, 0.0],
    ... })
    >>> out = household_transfers(frame, "child_benefit")
    >>> out[["hh_id", "programme", "members", "total", "per_capita", "beneficiary"]].values.tolist()
    [[1, 'child_benefit', 2, 90.0, 45.0, True], [1, 'any', 2, 90.0, 45.0, True], \
[2, 'child_benefit', 1, 0.0, 0.0, False], [2, 'any', 1, 0.0, 0.0, False]]
    """
    names = _programme_names(programmes)
    require_columns(
        frame, [household, *_columns(names)], what="household_transfers", one_row_per="person"
    )
    hh = _households(frame, household, size)
    recipients, totals = [], []
    any_recipient = np.zeros(len(frame), dtype=bool)
    for name in names:
        prog = _programme(frame, name, hh)
        recipients.append(prog.recipients)
        totals.append(prog.total)
        any_recipient |= prog.recipient
    recipients.append(np.bincount(hh.codes[any_recipient], minlength=hh.count))
    totals.append(np.sum(totals, axis=0))
    recipients_h = np.column_stack(recipients)
    total_h = np.column_stack(totals)
    k = len(names) + 1
    return pd.DataFrame(
        {
            household: np.repeat(np.asarray(hh.labels), k),
            "programme": np.tile(np.array([*names, ANY], dtype=object), hh.count),
            "members": np.repeat(hh.members, k),
            "recipients": recipients_h.ravel(),
            "total": total_h.ravel(),
            "per_capita": (total_h / hh.members[:, None]).ravel(),
            "beneficiary": (recipients_h > 0).ravel(),
        }
    )


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


def programme_coverage(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    weight: str = "weight",
    by: str | Iterable[str] | None = None,
    household: str = "hh_id",
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Coverage: the weighted share of persons who benefit from each programme.

    .. math:: \mathrm{coverage}_g = \sum_{i \in g} w_i B_i \Big/ \sum_{i \in g} w_i

    With ``level="household"`` (ASPIRE), ``B_i = 1`` when anyone in person i's household
    receives the programme (direct and indirect beneficiaries); with
    ``level="person"``, ``B_i`` is the person's own ``{p}_recipient`` flag.
    The row ``programme = "any"`` is the union of the programmes given: a person is
    counted once however many programmes reach them (or their household).
    No small-sample correction: integer weights give the coverage of the sample
    replicated by its weights.

    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``weight``, ``{p}_recipient`` and (for the household
        level) ``household``.
    programmes : str or list of str
        Programme names ``p``.
    weight : str, default "weight"
        Survey weight column.
    by : str or list of str, optional
        Columns that define population groups (e.g. ``"area"``, ``["region", "sex"]``);
        groups are person attributes, while ``B_i`` still looks at the whole household.
    household : str, default "hh_id"
        Household identifier column (only read at the household level).
    level : {"household", "person"}, default "household"
        Who counts as covered (see above).
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column (see :func:`household_transfers`).

    Returns
    -------
    pandas.DataFrame
        Columns ``[*by, "programme", "numerator", "denominator", "rate", "n_obs"]``:
        numerator = weighted persons covered, denominator = weighted persons in the
        group, rate = numerator / denominator (NaN when the denominator is 0), n_obs =
        persons in the group in the sample (unweighted). Sorted by group, then
        programme in the order given, ``"any"`` last.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "social_pension_recipient": [True, False, False, False, False, False],
    ...     "social_pension_amount": [600.0, 0, 0, 0, 0, 0],
    ... })
    >>> out = programme_coverage(frame, "social_pension")
    >>> row = out.iloc[0]  # household 1 (2 persons of weight 1) out of 13 weighted persons
    >>> print(row.programme, row.numerator, row.denominator, f"{row.rate:.4f}", row.n_obs)
    social_pension 2.0 13.0 0.1538 6
    >>> direct = programme_coverage(frame, "social_pension", level="person")
    >>> print(f'{direct.loc[0, "rate"]:.4f}')  # 1/13
    0.0769
    """
    names = _programme_names(programmes)
    level = _check_level(level)
    by = as_list(by)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.programme_coverage(
            frame, names, weight=weight, by=by, household=household, level=level, size=size
        )
    needed = [weight, *by, *_columns(names, amount=False)]
    if level == "household":
        needed.insert(0, household)
    require_columns(frame, needed, what="coverage", one_row_per="person")
    w = weights_of(frame, weight)
    groups, labels = _group_codes(frame, by)
    n_groups = len(labels)
    if groups is None:
        denominator = np.array([w.sum()])
        n_obs = np.array([len(frame)])
    else:
        denominator = np.bincount(groups, weights=w, minlength=n_groups)
        n_obs = np.bincount(groups, minlength=n_groups)
    numerators = []
    if level == "household":
        hh = _households(frame, household, size)
        cells = _cells(hh, groups, n_groups, w)
        any_h = np.zeros(hh.count, dtype=bool)
        for name in names:
            recipient = boolean_column(frame, f"{name}_recipient")
            receives = np.bincount(hh.codes[recipient], minlength=hh.count) > 0
            any_h |= receives
            numerators.append(cells.total(cells.weight * receives[cells.household], n_groups))
        numerators.append(cells.total(cells.weight * any_h[cells.household], n_groups))
    else:
        any_person = np.zeros(len(frame), dtype=bool)
        for name in [*names, None]:
            if name is None:
                recipient = any_person
            else:
                recipient = boolean_column(frame, f"{name}_recipient")
                any_person |= recipient
            if groups is None:
                numerators.append(np.array([w[recipient].sum()]))
            else:
                numerators.append(
                    np.bincount(groups[recipient], weights=w[recipient], minlength=n_groups)
                )
    k = len(names) + 1
    return _tidy(
        labels,
        [*names, ANY],
        {
            "numerator": np.column_stack(numerators),
            "denominator": np.repeat(denominator[:, None], k, axis=1),
            "n_obs": np.repeat(n_obs[:, None], k, axis=1),
        },
        "rate",
    )


# ---------------------------------------------------------------------------
# Incidence
# ---------------------------------------------------------------------------


def _welfare_groups(
    frame: pd.DataFrame,
    hh: _Households,
    w: np.ndarray,
    *,
    welfare: str,
    per_capita: np.ndarray | None,
    n: int,
) -> np.ndarray:
    """Quantile group (1..n) of each household, ranked on welfare minus ``per_capita``.

    Welfare per capita is a household value, the same on every member (checked): the
    members are ties, so households are ranked with the weight of their members (the
    same groups as ranking persons, a fraction of the sorting).
    """
    y = _household_column(frame, welfare, hh)[hh.first]
    ranking = y if per_capita is None else y - per_capita
    household_weight = np.bincount(hh.codes, weights=w, minlength=hh.count)
    return _quantile_groups(ranking, household_weight, n)


def _incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    money: bool,
    group: str,
    weight: str,
    household: str,
    welfare: str,
    pre_transfer: bool,
    level: str,
    size: str | None,
    what: str,
) -> pd.DataFrame:
    names = _programme_names(programmes)
    level = _check_level(level)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.incidence(
            frame,
            names,
            money=money,
            group=group,
            weight=weight,
            household=household,
            welfare=welfare,
            pre_transfer=pre_transfer,
            level=level,
            size=size,
            what=what,
            named_groups=_NAMED_GROUPS,
            programmes_in=lambda columns: programmes_in(pd.DataFrame(columns=columns)),
        )
    computed = group not in frame.columns
    if computed and group not in _NAMED_GROUPS:
        require_columns(frame, [group], what=what)
    needed = [household, weight, *_columns(names)]
    if computed:
        needed += [welfare] + (
            _columns(programmes_in(frame), recipient=False) if pre_transfer else []
        )
    require_columns(frame, needed, what=what, one_row_per="person")
    w = weights_of(frame, weight)
    hh = _households(frame, household, size)
    progs = {name: _programme(frame, name, hh) for name in names}
    household_groups = None
    if computed:
        n = _NAMED_GROUPS[group]
        per_capita = None
        if pre_transfer:
            for name in programmes_in(frame):
                if name not in progs:
                    progs[name] = _programme(frame, name, hh)
            per_capita = np.sum([prog.total for prog in progs.values()], axis=0) / hh.members
        household_groups = (
            _welfare_groups(frame, hh, w, welfare=welfare, per_capita=per_capita, n=n) - 1
        )
        codes = household_groups[hh.codes] if level == "person" else None
        labels = pd.DataFrame({group: np.arange(1, n + 1)})
    else:
        codes, labels = _group_codes(frame, [group])
    n_groups = len(labels)
    cells = _cells(hh, codes, n_groups, w, household_groups)
    numerators, counts = [], []
    any_recipient = np.zeros(len(frame), dtype=bool)
    any_total = np.zeros(hh.count)
    any_amount = np.zeros(len(frame))
    for name in [*names, None]:
        if name is None:
            recipient, amount = any_recipient, any_amount
            receives, total = np.bincount(hh.codes[recipient], minlength=hh.count) > 0, any_total
        else:
            prog = progs[name]
            recipient, amount, total = prog.recipient, prog.amount, prog.total
            receives = prog.recipients > 0
            any_recipient |= recipient
            any_total = any_total + total
            if money and level == "person":
                any_amount = any_amount + amount
        if level == "household":
            counts.append(cells.total(cells.count * receives[cells.household], n_groups))
            per_person = (total / hh.members) if money else receives
            numerators.append(cells.total(cells.weight * per_person[cells.household], n_groups))
        else:
            counts.append(np.bincount(codes[recipient], minlength=n_groups))
            values = w * amount if money else w * recipient
            numerators.append(np.bincount(codes, weights=values, minlength=n_groups))
    numerator = np.column_stack(numerators)
    return _tidy(
        labels,
        [*names, ANY],
        {
            "numerator": numerator,
            "denominator": np.repeat(numerator.sum(axis=0)[None, :], n_groups, axis=0),
            "n_obs": np.column_stack(counts),
        },
        "share",
    )


_INCIDENCE_PARAMETERS = """
    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``household``, ``weight``, ``{p}_recipient``,
        ``{p}_amount`` and, for computed quantile groups, ``welfare``.
    programmes : str or list of str
        Programme names ``p``.
    group : str, default "quintile"
        A column of ``frame`` that holds precomputed groups (used as it is: quintiles
        made elsewhere, region, sex...). When the frame has no such column, ``"quintile"``,
        ``"quartile"`` or ``"decile"`` computes the weighted quantile groups of welfare
        per capita with :func:`quintiles` (all persons, weighted), pre-transfer by
        default: ``welfare`` minus the per-capita transfers of ALL the programmes in
        the frame (:func:`programmes_in`), not only the ones given, so the ranking does
        not depend on which programmes are studied.
    weight : str, default "weight"
        Survey weight column.
    household : str, default "hh_id"
        Household identifier column.
    welfare : str, default "consumption_pc"
        Post-transfer welfare per capita, used only to compute the groups: a household
        value, the same on every member (a value that differs is refused).
    pre_transfer : bool, default True
        Rank on ``welfare`` minus all transfers (True) or on ``welfare`` as it is (False);
        ASPIRE publishes both.
    level : {"household", "person"}, default "household"
        ``"household"``: every member of a receiving household is a beneficiary and
        receives the per-capita transfer T_i (ASPIRE); ``"person"``: direct recipients
        and their own amounts only.
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column.
"""


def beneficiary_incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    group: str = "quintile",
    weight: str = "weight",
    household: str = "hh_id",
    welfare: str = "consumption_pc",
    pre_transfer: bool = True,
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Beneficiary incidence: the share of a programme's beneficiaries in each group.

    .. math:: \mathrm{incidence}_q = \sum_{i \in q} w_i B_i \Big/ \sum_i w_i B_i
    {params}

    Returns
    -------
    pandas.DataFrame
        Columns ``[group, "programme", "numerator", "denominator", "share", "n_obs"]``:
        numerator = weighted beneficiaries in the group, denominator = weighted
        beneficiaries in all groups, share = numerator / denominator (shares sum to 1
        over the groups of a programme; NaN when the programme has no beneficiary),
        n_obs = beneficiaries in the group in the sample (unweighted).
        Computed quantile groups are all listed, 1..n, even when empty.
        The row ``"any"`` takes the beneficiaries of at least one of the programmes.
        Integer weights give the incidence of the sample replicated by its weights.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "tercile": [3, 3, 2, 1, 1, 1],
    ...     "social_assistance_recipient": [False, False, True, True, False, False],
    ...     "social_assistance_amount": [0.0, 0.0, 30.0, 45.0, 0.0, 0.0],
    ... })
    >>> out = beneficiary_incidence(frame, "social_assistance", group="tercile")
    >>> out.query("programme == 'social_assistance'")["share"].round(4).tolist()  # 9/11, 2/11, 0
    [0.8182, 0.1818, 0.0]
    """
    return _incidence(
        frame,
        programmes,
        money=False,
        group=group,
        weight=weight,
        household=household,
        welfare=welfare,
        pre_transfer=pre_transfer,
        level=level,
        size=size,
        what="beneficiary_incidence",
    )


def benefit_incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    group: str = "quintile",
    weight: str = "weight",
    household: str = "hh_id",
    welfare: str = "consumption_pc",
    pre_transfer: bool = True,
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Benefit incidence: the share of a programme's money that goes to each group.

    .. math:: \mathrm{incidence}_q = \sum_{i \in q} w_i T_i \Big/ \sum_i w_i T_i

    With per-capita transfers T_i and household weights, the denominator is the
    programme's total weighted spending in the survey.
    {params}

    Returns
    -------
    pandas.DataFrame
        Columns ``[group, "programme", "numerator", "denominator", "share", "n_obs"]``:
        numerator = weighted transfers received in the group, denominator = weighted
        transfers in all groups, share = numerator / denominator (shares sum to 1 over
        the groups of a programme; NaN when the programme pays nothing), n_obs =
        beneficiaries in the group in the sample (unweighted).
        Computed quantile groups are all listed, 1..n, even when empty.
        The row ``"any"`` sums the programmes given.
        Integer weights give the incidence of the sample replicated by its weights.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "tercile": [3, 3, 2, 1, 1, 1],
    ...     "social_assistance_recipient": [False, False, True, True, False, False],
    ...     "social_assistance_amount": [0.0, 0.0, 30.0, 45.0, 0.0, 0.0],
    ... })
    >>> out = benefit_incidence(frame, "social_assistance", group="tercile")
    >>> shares = out.query("programme == 'social_assistance'")
    >>> shares[["numerator", "share"]].round(4).values.tolist()  # 135/195, 60/195, 0
    [[135.0, 0.6923], [60.0, 0.3077], [0.0, 0.0]]
    """
    return _incidence(
        frame,
        programmes,
        money=True,
        group=group,
        weight=weight,
        household=household,
        welfare=welfare,
        pre_transfer=pre_transfer,
        level=level,
        size=size,
        what="benefit_incidence",
    )


beneficiary_incidence.__doc__ = beneficiary_incidence.__doc__.replace(
    "{params}", _INCIDENCE_PARAMETERS
)
benefit_incidence.__doc__ = benefit_incidence.__doc__.replace("{params}", _INCIDENCE_PARAMETERS)


# ---------------------------------------------------------------------------
# Adequacy
# ---------------------------------------------------------------------------


def adequacy(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    welfare: str = "consumption_pc",
    weight: str = "weight",
    household: str = "hh_id",
    by: str | Iterable[str] | None = None,
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Adequacy: transfers as a share of the beneficiaries' welfare.

    .. math:: \mathrm{adequacy} = \sum_{B_i = 1} w_i T_i \Big/ \sum_{B_i = 1} w_i y_i

    T_i is the per-capita transfer of person i's household and B_i = 1 for every member
    of a receiving household (ASPIRE). Following the methods reference, y_i is
    **post-transfer** welfare (the survey's ``welfare`` column as it is), so the ratio is
    the share of the beneficiaries' total welfare that the programme provides.
    The row ``"any"`` sums the transfers of the programmes given over the households
    that receive at least one of them.
    Integer weights give the adequacy of the sample replicated by its weights.

    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``household``, ``weight``, ``welfare``,
        ``{p}_recipient`` and ``{p}_amount``.
    programmes : str or list of str
        Programme names ``p``.
    welfare : str, default "consumption_pc"
        Post-transfer welfare per capita: a household value, the same on every member
        (a value that differs is refused).
    weight : str, default "weight"
        Survey weight column.
    household : str, default "hh_id"
        Household identifier column.
    by : str or list of str, optional
        Columns that define population groups.
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column.

    Returns
    -------
    pandas.DataFrame
        Columns ``[*by, "programme", "numerator", "denominator", "rate", "n_obs"]``:
        numerator = weighted transfers to beneficiaries, denominator = weighted welfare
        of beneficiaries, rate = numerator / denominator (NaN for a group without
        beneficiaries), n_obs = beneficiaries in the sample (unweighted).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2],
    ...     "weight": [1.0, 1.0, 2.0],
    ...     "consumption_pc": [200.0, 200.0, 90.0],
    ...     "old_age_pension_recipient": [True, False, False],
    ...     "old_age_pension_amount": [120.0, 0.0, 0.0],
    ... })
    >>> out = adequacy(frame, "old_age_pension")  # (2 x 60) / (2 x 200)
    >>> row = out.iloc[0]
    >>> print(row.programme, row.numerator, row.denominator, row.rate, row.n_obs)
    old_age_pension 120.0 400.0 0.3 2
    """
    names = _programme_names(programmes)
    by = as_list(by)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.adequacy(
            frame, names, welfare=welfare, weight=weight, household=household, by=by, size=size
        )
    require_columns(
        frame,
        [household, weight, welfare, *by, *_columns(names)],
        what="adequacy",
        one_row_per="person",
    )
    w = weights_of(frame, weight)
    hh = _households(frame, household, size)
    y = _household_column(frame, welfare, hh, non_negative=True)
    groups, labels = _group_codes(frame, by)
    n_groups = len(labels)
    cells = _cells(hh, groups, n_groups, w)
    cell_welfare = np.bincount(cells.codes, weights=w * y, minlength=len(cells.household))
    numerators, denominators, counts = [], [], []
    any_h = np.zeros(hh.count, dtype=bool)
    any_total = np.zeros(hh.count)
    for name in [*names, None]:
        if name is None:
            receives, total = any_h, any_total
        else:
            prog = _programme(frame, name, hh)
            receives, total = prog.recipients > 0, prog.total
            any_h = any_h | receives
            any_total = any_total + total
        on = receives[cells.household]
        numerators.append(
            cells.total(cells.weight * (total / hh.members)[cells.household], n_groups)
        )
        denominators.append(cells.total(cell_welfare * on, n_groups))
        counts.append(cells.total(cells.count * on, n_groups))
    return _tidy(
        labels,
        [*names, ANY],
        {
            "numerator": np.column_stack(numerators),
            "denominator": np.column_stack(denominators),
            "n_obs": np.column_stack(counts),
        },
        "rate",
    )


# ---------------------------------------------------------------------------
# Poverty and inequality
# ---------------------------------------------------------------------------


def _poverty_line(poverty_line) -> float:
    if isinstance(poverty_line, bool) or not isinstance(poverty_line, numbers.Real):
        raise TypeError(f"the poverty line must be a number; got {poverty_line!r}")
    z = float(poverty_line)
    if not np.isfinite(z) or z <= 0:
        raise ValueError(f"the poverty line must be a positive number; got {poverty_line!r}")
    return z


def _fgt(y: np.ndarray, z: float, alpha: float, w: np.ndarray) -> float:
    poor = y < z
    gap = (z - y[poor]) / z
    return float(np.dot(w[poor], gap**alpha) / w.sum())


def fgt(
    values, poverty_line: float, alpha: float = 0, weights=None, *, column: str | None = None
) -> float:
    r"""Foster-Greer-Thorbecke poverty measure P_alpha.

    .. math:: P_\alpha = \sum_i w_i \, 1[y_i < z] \left(\frac{z - y_i}{z}\right)^\alpha
              \Big/ \sum_i w_i

    alpha = 0 gives the headcount ratio (P0), 1 the poverty gap index (P1), 2 the
    squared poverty gap or severity (P2). A person is poor when strictly below the line
    (``y < z``), as in the methods reference. No small-sample correction: integer weights
    give the measure of the sample replicated by its weights.
    Source: Foster, Greer and Thorbecke (1984), Econometrica 52(3): 761-766.

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        Welfare per capita (non-negative, no missing values); or a frame (pandas,
        polars, DuckDB, Spark) that holds them in the column ``column``.
    poverty_line : float
        The poverty line z, in the same unit (positive).
    alpha : float, default 0
        Poverty aversion, at least 0.
    weights : array-like or str, optional
        Non-negative survey weights, not all zero; equal weights when omitted. With a
        frame: the name of its weight column.
    column : str, optional
        With a frame: the column of welfare values (required).

    Returns
    -------
    float
        P_alpha, between 0 and 1.

    Examples
    --------
    >>> y = [50, 80, 100, 200]
    >>> fgt(y, 100), fgt(y, 100, alpha=1), round(fgt(y, 100, alpha=2), 4)  # 2/4, 0.7/4, 0.29/4
    (0.5, 0.175, 0.0725)
    >>> fgt(pd.DataFrame({"y": y, "w": [1, 1, 1, 1]}), 100, weights="w", column="y")
    0.5
    """
    z = _poverty_line(poverty_line)
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a number (0, 1 or 2); got {alpha!r}")
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a number of at least 0 (0, 1 or 2); got {alpha!r}")
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.fgt(values, z, float(alpha), weights, column)
        frame, name, weight = _pandas_values(
            values, column, weights, "fgt", "the poverty measure of an empty sample is undefined"
        )
    else:
        frame, name, weight = _as_frame(
            values, weights, "the poverty measure of an empty sample is undefined"
        )
    y = numeric_column(frame, name, non_negative=True)
    w = weights_of(frame, weight)
    return _fgt(y, z, float(alpha), w)


def _gini(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x)
    x, w = x[order], w[order]
    total_weight = w.sum()
    before = np.cumsum(w) - w
    mass = w * x
    return float(np.dot(mass, 2 * before + w - total_weight) / (total_weight * mass.sum()))


def gini(values, weights=None, *, column: str | None = None) -> float:
    r"""Gini coefficient, weighted.

    .. math:: G = \frac{\sum_i \sum_j w_i w_j |x_i - x_j|}{2 W^2 \mu}
              = \frac{\sum_i w_i x_i (2 C_{i-1} + w_i - W)}{W \sum_i w_i x_i}

    with W the total weight, mu the weighted mean, and the x_i sorted in increasing
    order with C_{i-1} the weight of the observations before i (ties may be in any
    order). This is the mean absolute difference over twice the mean, with no
    small-sample correction, so integer weights give exactly the unweighted Gini of the
    sample replicated by its weights (the form that pysal's ``inequality.gini.Gini``
    computes without weights).

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        Non-negative values (welfare per capita), not all zero, no missing values; or a
        frame (pandas, polars, DuckDB, Spark) that holds them in the column ``column``.
    weights : array-like or str, optional
        Non-negative weights, not all zero; equal weights when omitted. With a frame:
        the name of its weight column.
    column : str, optional
        With a frame: the column of values (required).

    Returns
    -------
    float
        G, at least 0 (all values equal) and below 1 (at most 1 minus the weight share
        of the observation that holds everything).

    Examples
    --------
    >>> gini([1, 2, 3, 4])  # 2 x (1+2+3+1+2+1) / (2 x 16 x 2.5)
    0.25
    >>> gini([1, 2], weights=[2, 1]) == gini([1, 1, 2])
    True
    >>> gini(pd.DataFrame({"consumption_pc": [1, 2, 3, 4]}), column="consumption_pc")
    0.25
    """
    empty = "the Gini of an empty sample is undefined"
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.gini(values, weights, column)
        frame, name, weight = _pandas_values(values, column, weights, "gini", empty)
    else:
        frame, name, weight = _as_frame(values, weights, empty)
    x = numeric_column(frame, name, non_negative=True)
    w = weights_of(frame, weight)
    if np.dot(w, x) == 0:
        raise ValueError("the Gini is undefined when the (weighted) mean is 0: all values are 0")
    return _gini(x, w)


# ---------------------------------------------------------------------------
# Simulated impact
# ---------------------------------------------------------------------------

_IMPACT_COLUMNS = [
    "programme",
    "indicator",
    "pre",
    "post",
    "absolute_reduction",
    "relative_reduction",
    "numerator",
    "denominator",
    "rate",
    "n_obs",
]


def transfer_impact(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    welfare: str = "consumption_pc",
    poverty_line: float,
    weight: str = "weight",
    household: str = "hh_id",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    """Simulate the impact of transfers on poverty and inequality, with targeting errors.

    Each programme is removed in turn (and the programmes given all together, row
    ``"any"``), with no behavioural response: pre-transfer welfare is y_i - T_i, with
    y_i the post-transfer welfare per capita and T_i the per-capita transfer of the
    household. All measures are over persons, weighted, with no small-sample correction.

    Rows (``indicator``), for each programme:

    - ``headcount_p0``, ``poverty_gap_p1``, ``severity_p2`` (:func:`fgt`, poor when
      y < z) and ``gini`` (:func:`gini`): ``pre`` (of y - T), ``post`` (of y),
      ``absolute_reduction`` = pre - post, ``relative_reduction`` = (pre - post) / pre
      (NaN when pre is 0; the Gini is NaN when all welfare is 0).
    - ``benefit_cost_ratio``: (poverty gap pre - poverty gap post, in money) / total
      transfers, with the money gap sum_i w_i max(z - y_i, 0): the share of the money
      that closes poverty gaps (between 0 and 1). n_obs: beneficiaries.
    - ``exclusion_error``: poor (pre-transfer, y - T < z) non-beneficiaries / poor.
      n_obs: poor persons.
    - ``inclusion_error``: non-poor (pre-transfer) beneficiaries / beneficiaries.
      n_obs: beneficiaries.

    Beneficiaries are the members of receiving households (ASPIRE's B_i).
    The benefit-cost ratio and the two targeting errors are the standard textbook
    definitions, not read verbatim from a World Bank text; ASPIRE itself reports
    beneficiary and benefit incidence (:func:`beneficiary_incidence`,
    :func:`benefit_incidence`) instead of targeting errors.

    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``household``, ``weight``, ``welfare``,
        ``{p}_recipient`` and ``{p}_amount``.
    programmes : str or list of str
        Programme names ``p``.
    welfare : str, default "consumption_pc"
        Post-transfer welfare per capita: a household value, the same on every member
        (a value that differs is refused).
    poverty_line : float
        Poverty line z, per capita per year, in the unit of ``welfare``.
    weight : str, default "weight"
        Survey weight column.
    household : str, default "hh_id"
        Household identifier column.
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column.

    Returns
    -------
    pandas.DataFrame
        Columns ``programme``, ``indicator``, ``pre``, ``post``, ``absolute_reduction``,
        ``relative_reduction`` (filled for the poverty and Gini rows), ``numerator``,
        ``denominator``, ``rate`` (filled for the ratio rows) and ``n_obs``.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 2],
    ...     "weight": [1.0, 1.0],
    ...     "consumption_pc": [120.0, 80.0],
    ...     "social_assistance_recipient": [False, True],
    ...     "social_assistance_amount": [0.0, 30.0],
    ... })
    >>> out = transfer_impact(frame, "social_assistance", poverty_line=100).set_index(
    ...     ["programme", "indicator"])
    >>> out.loc[("any", "poverty_gap_p1"), ["pre", "post"]].tolist()  # (50/100)/2, (20/100)/2
    [0.25, 0.1]
    >>> out.loc[("any", "benefit_cost_ratio"), ["numerator", "denominator", "rate"]].tolist()
    [30.0, 30.0, 1.0]
    """
    names = _programme_names(programmes)
    z = _poverty_line(poverty_line)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.transfer_impact(
            frame,
            names,
            welfare=welfare,
            z=z,
            weight=weight,
            household=household,
            size=size,
            impact_frame=_impact_frame,
        )
    require_columns(
        frame,
        [household, weight, welfare, *_columns(names)],
        what="transfer_impact",
        one_row_per="person",
    )
    w = weights_of(frame, weight)
    hh = _households(frame, household, size)
    y = _household_column(frame, welfare, hh, non_negative=True)
    progs = {name: _programme(frame, name, hh) for name in names}
    # Members of a household share welfare and transfers: work on households, each
    # weighted by its members' weights (the same sums as over persons, fewer terms).
    unit_y = y[hh.first]
    unit_w = np.bincount(hh.codes, weights=w, minlength=hh.count)
    unit_n = hh.members
    n_persons = len(frame)
    post = {a: _fgt(unit_y, z, a, unit_w) for a in (0.0, 1.0, 2.0)}
    post_gini = _gini(unit_y, unit_w) if np.dot(unit_w, unit_y) > 0 else np.nan
    gap_post = float(np.dot(unit_w, np.maximum(z - unit_y, 0)))
    rows = []
    for name in [*names, ANY]:
        if name == ANY:
            total = np.sum([p.total for p in progs.values()], axis=0)
            receives = np.sum([p.recipients for p in progs.values()], axis=0) > 0
        else:
            total, receives = progs[name].total, progs[name].recipients > 0
        transfer = total / hh.members
        beneficiary = receives
        pre_y = unit_y - transfer
        # Rounding (e.g. amounts stored as float32) may leave -1e-12 where the transfer
        # is the whole welfare: that is 0. A real shortfall is a data error.
        short = pre_y < -_SNAP * np.maximum(unit_y, 1.0)
        if short.any():
            k = int(np.flatnonzero(short)[0])
            raise ValueError(
                f"'{name}': pre-transfer welfare ({welfare} - transfer) is negative in row "
                f"{frame.index[hh.first[k]]} ({unit_y[k]:g} - {transfer[k]:g}); '{welfare}' must "
                "be post-transfer welfare that includes the transfers"
            )
        pre_y = np.maximum(pre_y, 0.0)
        for alpha, label in ((0.0, "headcount_p0"), (1.0, "poverty_gap_p1"), (2.0, "severity_p2")):
            rows.append((name, label, _fgt(pre_y, z, alpha, unit_w), post[alpha], n_persons))
        pre_gini = _gini(pre_y, unit_w) if np.dot(unit_w, pre_y) > 0 else np.nan
        rows.append((name, "gini", pre_gini, post_gini, n_persons))
        poor = pre_y < z
        gap_pre = float(np.dot(unit_w, np.maximum(z - pre_y, 0)))
        ratios = (
            ("benefit_cost_ratio", gap_pre - gap_post, np.dot(unit_w, transfer), beneficiary),
            ("exclusion_error", np.dot(unit_w, poor & ~beneficiary), np.dot(unit_w, poor), poor),
            (
                "inclusion_error",
                np.dot(unit_w, ~poor & beneficiary),
                np.dot(unit_w, beneficiary),
                beneficiary,
            ),
        )
        for label, numerator, denominator, counted in ratios:
            rows.append(
                (name, label, float(numerator), float(denominator), int(unit_n[counted].sum()))
            )
    return _impact_frame(rows)


def _impact_frame(rows: list[tuple]) -> pd.DataFrame:
    records = []
    for name, label, a, b, n_obs in rows:
        record = dict.fromkeys(_IMPACT_COLUMNS, np.nan)
        record.update(programme=name, indicator=label, n_obs=n_obs)
        if label in ("benefit_cost_ratio", "exclusion_error", "inclusion_error"):
            record.update(numerator=a, denominator=b, rate=_ratio(a, b).item())
        else:
            record.update(
                pre=a,
                post=b,
                absolute_reduction=a - b,
                relative_reduction=_ratio(a - b, a).item(),
            )
        records.append(record)
    out = pd.DataFrame.from_records(records, columns=_IMPACT_COLUMNS)
    out["n_obs"] = out["n_obs"].astype(np.int64)
    return out
