"""Input handling shared by the survey indicators (pandas path).

Programme and column names, household aggregation, grouping cells, quantile groups
and the checks that give a clear error naming the column, the row or the value.
The public functions live in the sibling modules and are exported by
:mod:`socialprotection.survey`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    boolean_column,
    numeric_column,
    require_columns,
)

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
