"""Reading an event log: the columns, their checks, and the problems report.

Every indicator reads the log through :func:`_read`, which checks the columns it needs
and returns numpy arrays (case codes, activity codes, times in nanoseconds) without
reordering or dropping a row. :func:`check_event_log` reports the problems that do not
stop a computation (rows out of time order, duplicated events, unknown activities,
broken orders such as a payment before enrolment).
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from socialprotection._validation import _first, _first_label, as_list, require_columns

__all__ = ["DELIVERY_ACTIVITIES", "FUNNEL_STEPS", "RULES", "check_event_log"]

_NS_PER_DAY = 86_400 * 10**9
_NEVER = np.iinfo(np.int64).max
_ABSENT = -2  # the code of a chain activity that the log does not hold: no row has it
_OFFSET = re.compile(r"(?:Z|[+-]\d\d(?::?\d\d)?)$")


@functools.cache
def _chain() -> dict:
    text = resources.files("socialprotection.delivery").joinpath("chain.yaml").read_text("utf-8")
    return yaml.safe_load(text)


#: The activity names of the delivery chain (those of the synthetic event log).
DELIVERY_ACTIVITIES: tuple[str, ...] = tuple(_chain()["activities"])
#: The default funnel, from the intended population to the paid beneficiaries.
FUNNEL_STEPS: tuple[str, ...] = tuple(_chain()["funnel"])
#: The orders a case must respect (see ``chain.yaml``): name, before, after.
RULES: tuple[dict, ...] = tuple(_chain()["rules"])


@dataclasses.dataclass
class Log:
    """The checked columns of an event log, in the row order of the frame."""

    frame: pd.DataFrame
    case: np.ndarray  # int64 codes 0..n_cases-1
    case_labels: pd.Index
    activity: np.ndarray  # int codes into activity_labels
    activity_labels: pd.Index
    time: np.ndarray  # int64 nanoseconds (UTC when the log has time zones)
    groups: pd.DataFrame  # one row per case code: the ``by`` values of its first row
    group: np.ndarray  # int64 group code of each case
    group_labels: pd.DataFrame  # one row per group code
    names: dict

    @property
    def n_cases(self) -> int:
        return len(self.case_labels)

    def code(self, name: str | Sequence[str], role: str) -> int | np.ndarray:
        """Return the code of activity ``name`` (-2 for a chain activity absent from the log).

        A name that is neither in the log nor in :data:`DELIVERY_ACTIVITIES` (a typo) raises
        an error that lists the activities. A list of names (alternatives, such as both
        decisions) gives an array of codes.
        """
        if isinstance(name, (list, tuple)) and name:
            return np.array([self.code(n, role) for n in name], dtype=np.int64)
        if not isinstance(name, str):
            raise TypeError(f"{role} must be an activity name (text); got {name!r}")
        where = self.activity_labels.get_indexer([name])[0]
        if where < 0 and name in DELIVERY_ACTIVITIES:
            return _ABSENT
        if where < 0:
            listed = ", ".join(repr(a) for a in self.activity_labels)
            raise ValueError(
                f"{role} {name!r} is not an activity of the log (column "
                f"'{self.names['activity']}'); the activities are: {listed}"
            )
        return int(where)

    def optional_code(self, name: str) -> int:
        where = self.activity_labels.get_indexer([name])[0]
        return int(where)

    def rows_of(self, code: int | np.ndarray) -> np.ndarray:
        if np.ndim(code):
            return np.flatnonzero(np.isin(self.activity, code))
        return np.flatnonzero(self.activity == code)

    def table(self, columns: Mapping[str, np.ndarray], per_group: bool = True) -> pd.DataFrame:
        """Return a tidy table: the group columns (when grouped) then ``columns``."""
        out = pd.DataFrame(columns)
        if per_group and len(self.group_labels.columns):
            labels = self.group_labels.reset_index(drop=True)
            out = pd.concat([labels, out.reset_index(drop=True)], axis=1)
        return out

    @property
    def n_groups(self) -> int:
        return max(len(self.group_labels), 1)


def _missing(series: pd.Series, column: str, expected: str) -> None:
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{column}' has {int(missing.sum())} missing value(s), the first in row "
            f"{_first_label(series, missing)}; expected {expected}"
        )


def _activity_codes(series: pd.Series, column: str) -> tuple[np.ndarray, pd.Index]:
    _missing(series, column, "an activity name in every row")
    if isinstance(series.dtype, pd.CategoricalDtype):
        labels = pd.Index(series.cat.categories)
        codes = series.cat.codes.to_numpy()
        used = labels[np.unique(codes)]
    else:
        codes, labels = pd.factorize(series, sort=False)
        labels = pd.Index(labels)
        used = labels
    bad = [v for v in used if not isinstance(v, str) or not v.strip()]
    if bad:
        values = series.to_numpy(dtype=object)
        mask = np.array([v is bad[0] or v == bad[0] for v in values], dtype=bool)
        row, shown = _first(series, mask)
        raise TypeError(
            f"column '{column}' must hold activity names (non-empty text); row {row} holds {shown}"
        )
    return np.asarray(codes, dtype=np.int64), labels


def _timestamps(series: pd.Series, column: str) -> np.ndarray:
    """Return the times as int64 nanoseconds; an error naming the row if one is unusable."""
    _missing(series, column, "a date and time in every row")
    dtype = series.dtype
    if isinstance(dtype, pd.DatetimeTZDtype):
        return (
            series.dt.tz_convert("UTC")
            .dt.tz_localize(None)
            .to_numpy("datetime64[ns]")
            .view(np.int64)
        )
    if dtype.kind == "M":
        return series.to_numpy("datetime64[ns]").view(np.int64)
    if pd.api.types.is_numeric_dtype(dtype) or pd.api.types.is_bool_dtype(dtype):
        raise TypeError(
            f"column '{column}' must hold dates and times; it holds numbers ({dtype}), "
            f"for example row {series.index[0]} holds {series.iloc[0]!r}"
        )
    values = series.to_numpy(dtype=object)
    kinds = pd.Series(values).map(type)
    stamp_types = (str, pd.Timestamp)
    wrong = ~kinds.map(lambda t: issubclass(t, stamp_types)).to_numpy()
    if wrong.any():
        row, shown = _first(series, wrong)
        raise TypeError(
            f"column '{column}' must hold dates and times (text such as '2024-03-01 09:30' "
            f"or timestamps); row {row} holds {shown}"
        )
    text = pd.Series(values).astype(str)
    zoned = text.str.contains(_OFFSET).to_numpy() | np.array(
        [isinstance(v, pd.Timestamp) and v.tzinfo is not None for v in values]
    )
    if zoned.any() and not zoned.all():
        row, shown = _first(series, ~zoned if zoned.sum() > (~zoned).sum() else zoned)
        raise ValueError(
            f"column '{column}' mixes times with and without a time zone "
            f"({int(zoned.sum())} with, {int((~zoned).sum())} without); row {row} holds {shown}; "
            "write every time in one convention"
        )
    parsed = pd.to_datetime(text, errors="coerce", format="ISO8601", utc=bool(zoned.any()))
    bad = parsed.isna().to_numpy()
    if bad.any():
        row, shown = _first(series, bad)
        raise ValueError(
            f"column '{column}' has {int(bad.sum())} value(s) that are not dates and times, "
            f"the first in row {row}: {shown}; expected ISO 8601 such as '2024-03-01 09:30'"
        )
    if zoned.any():
        parsed = parsed.dt.tz_localize(None)
    return parsed.to_numpy("datetime64[ns]").view(np.int64)


def _read(
    events: pd.DataFrame,
    *,
    what: str,
    case: str,
    activity: str,
    timestamp: str,
    by: str | Iterable[str] | None = None,
    extra: Iterable[str] = (),
) -> Log:
    """Check the columns of an event log and return them as arrays (no row moved)."""
    by = as_list(by)
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"{what}: events must be a pandas DataFrame; got {type(events).__name__}")
    require_columns(
        events, [case, activity, timestamp, *by, *extra], what=what, one_row_per="event"
    )
    case_series = events[case]
    _missing(case_series, case, "a case identifier in every row")
    codes, labels = pd.factorize(case_series, sort=False)
    codes = np.asarray(codes, dtype=np.int64)
    act, act_labels = _activity_codes(events[activity], activity)
    time = _timestamps(events[timestamp], timestamp)
    n_cases = len(labels)
    if by:
        first = np.full(n_cases, len(codes), dtype=np.int64)
        np.minimum.at(first, codes, np.arange(len(codes)))
        groups = events[by].iloc[first].reset_index(drop=True)
        for column in by:
            _missing(events[column], column, "a group label in every row")
        group_codes, group_labels = _group_codes(groups)
    else:
        groups = pd.DataFrame(index=range(n_cases))
        group_codes = np.zeros(n_cases, dtype=np.int64)
        group_labels = pd.DataFrame(index=range(1))
    return Log(
        frame=events,
        case=codes,
        case_labels=pd.Index(labels),
        activity=act,
        activity_labels=act_labels,
        time=time,
        groups=groups,
        group=group_codes,
        group_labels=group_labels,
        names={"case": case, "activity": activity, "timestamp": timestamp, "by": by},
    )


def _group_codes(groups: pd.DataFrame) -> tuple[np.ndarray, pd.DataFrame]:
    """Codes of the distinct rows of ``groups``, and those rows sorted."""
    if len(groups.columns) == 1:
        column = groups.columns[0]
        codes, uniques = pd.factorize(groups[column], sort=True)
        labels = pd.DataFrame({column: uniques})
        if isinstance(groups[column].dtype, pd.CategoricalDtype):
            labels[column] = labels[column].astype(str)
        return np.asarray(codes, dtype=np.int64), labels
    keys = groups.astype(str).apply(tuple, axis=1)
    codes, uniques = pd.factorize(keys, sort=True)
    labels = pd.DataFrame(list(uniques), columns=groups.columns)
    return np.asarray(codes, dtype=np.int64), labels


def _first_time(log: Log, code: int | np.ndarray, after: np.ndarray | None = None) -> np.ndarray:
    """Per case, the first time of activity ``code`` at or after ``after`` (or never)."""
    rows = log.rows_of(code)
    cases, times = log.case[rows], log.time[rows]
    if after is not None:
        keep = times >= after[cases]
        cases, times = cases[keep], times[keep]
    out = np.full(log.n_cases, _NEVER, dtype=np.int64)
    np.minimum.at(out, cases, times)
    return out


def _has(log: Log, code: int | np.ndarray) -> np.ndarray:
    out = np.zeros(log.n_cases, dtype=bool)
    out[log.case[log.rows_of(code)]] = True
    return out


def _per_group(log: Log, mask_or_weights: np.ndarray, per_case: bool = True) -> np.ndarray:
    """Sum a per-case array over the groups."""
    return np.bincount(log.group, weights=mask_or_weights, minlength=log.n_groups)


def _month_label(ns: np.ndarray) -> np.ndarray:
    return ns.astype("datetime64[ns]").astype("datetime64[M]").astype(str)


def check_event_log(
    events: pd.DataFrame,
    *,
    activities: Sequence[str] | None = DELIVERY_ACTIVITIES,
    rules: Sequence[Mapping] | None = RULES,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
    by: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    """Report the problems of an event log by name and count, without changing a row.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    activities : sequence of str or None, default DELIVERY_ACTIVITIES
        The known activity names; others are reported. None skips the check.
    rules : sequence of mappings or None, default RULES
        Orders a case must respect (``name``, ``before``, ``after``), such as "payment
        before enrolment": a case breaks the rule when it has an ``after`` event earlier
        than its first ``before`` event, or no ``before`` event at all.
    case, activity, timestamp : str
        The names of the columns.
    by : str or list of str, optional
        Columns that must be the same on every event of a case (such as ``district``).

    Returns
    -------
    pandas.DataFrame
        One row per problem found: ``problem``, ``column``, ``count`` (rows, or cases for
        the rules and the groups), ``first_row`` (the index label of the first row
        concerned) and ``example``. No rows when the log has no problem.

    Raises
    ------
    KeyError
        A column is missing.
    ValueError
        The frame has no rows.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 1, 2, 2],
    ...     "activity": ["application", "payment_paid", "enrolment", "application", "aplication"],
    ...     "timestamp": ["2024-01-05", "2024-01-02", "2024-01-09", "2024-01-03", "soon"],
    ... })
    >>> check_event_log(log)[["problem", "count", "first_row"]]
                                        problem  count  first_row
    0                          unknown activity      1          4
    1              timestamp not a date or time      1          4
    2  row earlier than the case's previous row      1          1
    3                  payment before enrolment      1          1
    """
    by = as_list(by)
    require_columns(
        events, [case, activity, timestamp, *by], what="check_event_log", one_row_per="event"
    )
    found: list[dict] = []
    index = events.index

    def report(problem: str, column: str, mask: np.ndarray, example: object = None, count=None):
        if mask.any():
            position = int(np.flatnonzero(mask)[0])
            found.append(
                {
                    "problem": problem,
                    "column": column,
                    "count": int(mask.sum()) if count is None else int(count),
                    "first_row": index[position],
                    "example": str(events[column].iloc[position]) if example is None else example,
                }
            )

    usable = np.ones(len(events), dtype=bool)
    for column in (case, activity, timestamp, *by):
        missing = events[column].isna().to_numpy()
        report("missing value", column, missing)
        usable &= ~missing
    # activities
    act = events[activity]
    if isinstance(act.dtype, pd.CategoricalDtype):
        act_codes, labels = act.cat.codes.to_numpy().astype(np.int64), list(act.cat.categories)
    else:
        act_codes, labels = pd.factorize(act)
        act_codes, labels = np.asarray(act_codes, dtype=np.int64), list(labels)
    # each distinct value is checked once, then mapped back to the rows (-1: missing)
    label_ok = np.array([isinstance(v, str) and bool(v.strip()) for v in labels] + [False])
    is_text = label_ok[act_codes]
    report("activity not a name", activity, ~is_text & ~act.isna().to_numpy())
    usable &= is_text
    if activities is not None:
        known = np.array([v in set(activities) for v in labels] + [False])
        report("unknown activity", activity, is_text & ~known[act_codes])

    def codes_of(names: Iterable[str]) -> list[int]:
        return [labels.index(n) for n in names if n in labels]

    # timestamps
    series = events[timestamp]
    time = np.zeros(len(events), dtype=np.int64)
    ok = ~series.isna().to_numpy()
    if isinstance(series.dtype, pd.DatetimeTZDtype) or series.dtype.kind == "M":
        time[ok] = _timestamps(series[ok], timestamp)
    else:
        values = series.to_numpy(dtype=object)
        text = pd.Series(values).astype(str)
        wrong_type = ok & ~np.array(
            [isinstance(v, (str, pd.Timestamp)) for v in values], dtype=bool
        )
        zoned = text.str.contains(_OFFSET).to_numpy() & ok & ~wrong_type
        naive = ok & ~wrong_type & ~zoned
        parsed = pd.Series(pd.NaT, index=range(len(events)), dtype="datetime64[ns]")
        if naive.any():
            parsed[naive] = pd.to_datetime(text[naive], errors="coerce", format="ISO8601")
        if zoned.any():
            parsed[zoned] = pd.to_datetime(
                text[zoned], errors="coerce", format="ISO8601", utc=True
            ).dt.tz_localize(None)
        bad = ok & parsed.isna().to_numpy()
        report("timestamp not a date or time", timestamp, bad)
        if zoned.any() and naive.any():
            report(
                "timestamps with and without a time zone",
                timestamp,
                zoned if zoned.sum() <= naive.sum() else naive & ~bad,
            )
        usable &= ~bad
        good = ~parsed.isna().to_numpy()
        time[good] = parsed[good].to_numpy("datetime64[ns]").view(np.int64)
    usable &= ok
    # duplicated events and rows out of time order (among usable rows)
    codes = pd.factorize(events[case])[0]
    keys = pd.DataFrame({"c": codes, "a": act_codes, "t": time})
    duplicated = usable & keys.duplicated(keep="first").to_numpy() & (codes >= 0)
    report("duplicated event", case, duplicated)
    positions = np.flatnonzero(usable)
    order = positions[np.argsort(codes[positions], kind="stable")]
    same = codes[order][1:] == codes[order][:-1]
    earlier = np.zeros(len(events), dtype=bool)
    earlier[order[1:][same & (time[order][1:] < time[order][:-1])]] = True
    report("row earlier than the case's previous row", timestamp, earlier)
    # rules
    for rule in rules or ():
        before = usable & np.isin(act_codes, codes_of([rule["before"]]))
        first = pd.Series(time[before]).groupby(codes[before]).min()
        after = usable & np.isin(act_codes, codes_of(rule["after"]))
        start = first.reindex(codes[after]).to_numpy()
        broken_rows = np.zeros(len(events), dtype=bool)
        broken_rows[np.flatnonzero(after)[np.isnan(start) | (time[after] < start)]] = True
        n_cases = len(np.unique(codes[broken_rows]))
        report(rule["name"], activity, broken_rows, count=n_cases)
    # one group per case
    for column in by:
        values = events[column]
        counts = values.groupby(codes).nunique()
        several = np.isin(codes, counts.index[counts.to_numpy() > 1])
        report(
            f"case in several values of '{column}'", column, several, count=int((counts > 1).sum())
        )
    out = pd.DataFrame(found, columns=["problem", "column", "count", "first_row", "example"])
    return out
