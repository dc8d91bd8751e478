"""How cases move along the chain: the funnel, processing times, backlog, service standards."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from socialprotection.delivery._log import (
    _NEVER,
    _NS_PER_DAY,
    FUNNEL_STEPS,
    _first_time,
    _has,
    _month_label,
    _per_group,
    _read,
)

__all__ = ["backlog", "case_durations", "funnel", "past_standard", "processing_times"]


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    out = np.full(numerator.shape, np.nan)
    np.divide(numerator, denominator, out=out, where=denominator > 0)
    return out


def funnel(
    events: pd.DataFrame,
    steps: Sequence[str] = FUNNEL_STEPS,
    *,
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Count the cases that reach each step of the chain, and the drop at each step.

    A case reaches step *k* when it has an event of that step at or after the time it
    reached step *k - 1* (the first step: any event of it). An event of a step that
    comes before the case reached the previous step (or for a case that never reached
    it) does not count as progress: those cases are counted in ``out_of_order``.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    steps : sequence of str, default FUNNEL_STEPS
        The activities of the steps, in order; a step may be a list of alternative
        activities (any of them reaches the step). A name that is not an activity of the
        log is an error (a typo), unless it is one of :data:`DELIVERY_ACTIVITIES`: then
        no case reaches it.
    by : str or list of str, optional
        Group the cases (for example by ``district``); a case takes the values of its
        first row.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group and step: ``position`` (from 1), ``step``, ``reached`` (the
        numerator), ``previous`` (the denominator: cases at the previous step, or every
        case of the log for the first step), ``share_of_previous``, ``share_of_first``,
        ``dropped`` (``previous - reached``) and ``out_of_order``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 1, 2, 2, 3],
    ...     "activity": ["application", "assessment", "enrolment", "application",
    ...                  "enrolment", "enrolment"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-05", "2024-01-09",
    ...                                  "2024-01-02", "2024-01-04", "2024-01-01"]),
    ... })
    >>> funnel(log, ["application", "assessment", "enrolment"])[
    ...     ["step", "reached", "previous", "dropped", "out_of_order"]]
              step  reached  previous  dropped  out_of_order
    0  application        2         3        1             0
    1   assessment        1         2        1             0
    2    enrolment        1         1        0             2
    """
    steps = list(steps) if not isinstance(steps, str) else [steps]
    if not steps:
        raise ValueError("funnel: give at least one step")
    log = _read(events, what="funnel", case=case, activity=activity, timestamp=timestamp, by=by)
    codes = [log.code(s, "step") for s in steps]
    all_cases = np.bincount(log.group, minlength=log.n_groups)
    blocks = []
    reached_before = None
    previous = all_cases.astype(np.int64)
    first = None
    for position, (step, code) in enumerate(zip(steps, codes, strict=True), start=1):
        reach = _first_time(log, code, reached_before)
        reached = reach != _NEVER
        out = _has(log, code) & ~reached
        counts = _per_group(log, reached.astype(float)).astype(np.int64)
        if first is None:
            first = counts
        blocks.append(
            log.table(
                {
                    "position": position,
                    "step": step if isinstance(step, str) else " or ".join(step),
                    "reached": counts,
                    "previous": previous,
                    "share_of_previous": _ratio(counts, previous),
                    "share_of_first": _ratio(counts, first),
                    "dropped": previous - counts,
                    "out_of_order": _per_group(log, out.astype(float)).astype(np.int64),
                }
            )
        )
        previous = counts
        reached_before = reach
    out = pd.concat(blocks, ignore_index=True)
    # group by group (in the order of the groups), then step by step
    order = np.argsort(np.tile(np.arange(log.n_groups), len(steps)), kind="stable")
    return out.iloc[order].reset_index(drop=True)


def case_durations(
    events: pd.DataFrame,
    start: str | Sequence[str],
    end: str | Sequence[str],
    *,
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Return, for each case that started, the days from ``start`` to ``end``.

    The start is the case's first ``start`` event; the end is its first ``end`` event at
    or after the start. A case with ``end`` events only before its start is flagged
    ``out_of_order`` (and counted as not completed).

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    start, end : str or list of str
        The activities that open and close the stage (such as ``"application"`` and
        ``["decision_eligible", "decision_not_eligible"]``: a list means any of them).
    by : str or list of str, optional
        Group columns carried to the result (a case takes the values of its first row).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per case with a ``start`` event, in the order the cases first appear:
        the case, the ``by`` columns, ``started``, ``ended`` (NaT when not completed),
        ``days`` (NaN when not completed), ``completed`` and ``out_of_order``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": ["a", "a", "b", "b", "c"],
    ...     "activity": ["application", "decision", "decision", "application", "application"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-11", "2024-01-02",
    ...                                  "2024-01-03", "2024-01-05"]),
    ... })
    >>> case_durations(log, "application", "decision")[["case_id", "days", "out_of_order"]]
      case_id  days  out_of_order
    0       a  10.0         False
    1       b   NaN          True
    2       c   NaN         False
    """
    log = _read(
        events, what="case_durations", case=case, activity=activity, timestamp=timestamp, by=by
    )
    return _durations(log, start, end)


def _durations(log, start, end) -> pd.DataFrame:
    t_start = _first_time(log, log.code(start, "start"))
    code_end = log.code(end, "end")
    t_end = _first_time(log, code_end, t_start)
    started = t_start != _NEVER
    completed = started & (t_end != _NEVER)
    out_of_order = started & ~completed & _has(log, code_end)
    rows = np.flatnonzero(started)
    days = np.full(len(rows), np.nan)
    done = completed[rows]
    days[done] = (t_end[rows][done] - t_start[rows][done]) / _NS_PER_DAY
    ended = np.where(done, t_end[rows], np.iinfo(np.int64).min).view("datetime64[ns]")
    out = pd.DataFrame({log.names["case"]: log.case_labels[rows]})
    for column in log.names["by"]:
        out[column] = log.groups[column].to_numpy()[rows]
    out["started"] = t_start[rows].view("datetime64[ns]")
    out["ended"] = ended
    out["days"] = days
    out["completed"] = done
    out["out_of_order"] = out_of_order[rows]
    out.attrs["group"] = log.group[rows]
    return out


def processing_times(
    events: pd.DataFrame,
    start: str | Sequence[str],
    end: str | Sequence[str],
    *,
    by: str | Iterable[str] | None = None,
    month: bool = False,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Median and 90th percentile of the days from ``start`` to ``end``, by group.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    start, end : str or list of str
        The activities that open and close the stage (see :func:`case_durations`).
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    month : bool, default False
        Also group by the month in which the stage was completed (``month``, such as
        ``"2024-03"``); then ``started`` and ``open`` count only the completed cases.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``started`` (cases with a start event, the denominator),
        ``completed`` (the numerator), ``open``, ``out_of_order``, ``median_days``,
        ``p90_days`` and ``mean_days`` of the completed cases (linear interpolation
        between order statistics, as numpy and DuckDB ``quantile_cont``; NaN when no
        case completed).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 3, 3, 4],
    ...     "activity": ["application", "decision"] * 3 + ["application"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-01",
    ...                                  "2024-01-05", "2024-01-01", "2024-01-11",
    ...                                  "2024-01-01"]),
    ... })
    >>> processing_times(log, "application", "decision")[
    ...     ["started", "completed", "open", "median_days", "p90_days"]]
       started  completed  open  median_days  p90_days
    0        4          3     1          4.0       8.8
    """
    log = _read(
        events, what="processing_times", case=case, activity=activity, timestamp=timestamp, by=by
    )
    per_case = _durations(log, start, end)
    group = per_case.attrs["group"]
    keys = {"g": group}
    if month:
        per_case = per_case[per_case["completed"].to_numpy()]
        group = group[per_case.index.to_numpy()]
        keys = {"g": group, "month": _month_label(per_case["ended"].to_numpy().view(np.int64))}
    frame = pd.DataFrame(
        {
            **keys,
            "days": per_case["days"].to_numpy(),
            "completed": per_case["completed"].to_numpy(),
            "out_of_order": per_case["out_of_order"].to_numpy(),
        }
    )
    grouped = frame.groupby(list(keys), sort=True, observed=True)
    table = grouped.agg(
        started=("completed", "size"),
        completed=("completed", "sum"),
        out_of_order=("out_of_order", "sum"),
        median_days=("days", "median"),
        p90_days=("days", lambda d: d.quantile(0.9)),
        mean_days=("days", "mean"),
    ).reset_index()
    if not month:
        # every group, also those where no case started
        table = table.set_index("g").reindex(range(log.n_groups)).rename_axis("g").reset_index()
        for column in ("started", "completed", "out_of_order"):
            table[column] = table[column].fillna(0)
    table["open"] = table["started"] - table["completed"]
    labels = log.group_labels.reset_index(drop=True)
    out = pd.concat(
        [labels.iloc[table["g"].to_numpy()].reset_index(drop=True), table.drop(columns="g")],
        axis=1,
    )
    for column in ("started", "completed", "open", "out_of_order"):
        out[column] = out[column].astype(np.int64)
    first = [*log.names["by"], *(["month"] if month else [])]
    return out[
        [
            *first,
            "started",
            "completed",
            "open",
            "out_of_order",
            "median_days",
            "p90_days",
            "mean_days",
        ]
    ]


def _month_ends(first_ns: int, last_ns: int) -> tuple[np.ndarray, np.ndarray]:
    first = np.datetime64(first_ns, "ns").astype("datetime64[M]")
    last = np.datetime64(last_ns, "ns").astype("datetime64[M]")
    months = np.arange(first, last + 1)
    ends = (months + 1).astype("datetime64[ns]").view(np.int64)
    return months.astype(str), ends


def backlog(
    events: pd.DataFrame,
    start: str | Sequence[str],
    end: str | Sequence[str],
    *,
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Cases opened, closed and still open at the end of each month, by group.

    A case opens at its first ``start`` event and closes at its first ``end`` event
    at or after it (see :func:`case_durations`). The months run from the first start to
    the last event of the log.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    start, end : str or list of str
        The activities that open and close a case's wait (a list means any of them).
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group and month: ``month`` (such as ``"2024-03"``), ``opened``,
        ``closed`` and ``open_at_end`` (opened by the end of the month and not closed).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 3],
    ...     "activity": ["application", "decision", "application", "decision", "application"],
    ...     "timestamp": pd.to_datetime(["2024-01-10", "2024-02-03", "2024-01-20",
    ...                                  "2024-01-25", "2024-02-10"]),
    ... })
    >>> backlog(log, "application", "decision")
         month  opened  closed  open_at_end
    0  2024-01       2       1            1
    1  2024-02       1       1            1
    """
    log = _read(events, what="backlog", case=case, activity=activity, timestamp=timestamp, by=by)
    per_case = _durations(log, start, end)
    group = per_case.attrs["group"]
    t_start = per_case["started"].to_numpy().view(np.int64)
    t_end = per_case["ended"].to_numpy().view(np.int64)
    done = per_case["completed"].to_numpy()
    months, ends = _month_ends(int(t_start.min()), int(log.time.max()))
    n_months = len(months)
    m_open = np.searchsorted(ends, t_start, side="right")
    opened = np.bincount(group * n_months + m_open, minlength=log.n_groups * n_months)
    m_close = np.searchsorted(ends, t_end[done], side="right")
    closed = np.bincount(group[done] * n_months + m_close, minlength=log.n_groups * n_months)
    opened = opened.reshape(log.n_groups, n_months)
    closed = closed.reshape(log.n_groups, n_months)
    open_at_end = np.cumsum(opened, axis=1) - np.cumsum(closed, axis=1)
    labels = log.group_labels.reset_index(drop=True)
    out = labels.loc[np.repeat(np.arange(len(labels)), n_months)].reset_index(drop=True)
    out["month"] = np.tile(months, log.n_groups)
    out["opened"] = opened.ravel()
    out["closed"] = closed.ravel()
    out["open_at_end"] = open_at_end.ravel()
    return out


def past_standard(
    events: pd.DataFrame,
    start: str | Sequence[str],
    end: str | Sequence[str],
    days: float,
    *,
    by: str | Iterable[str] | None = None,
    as_of: str | pd.Timestamp | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Count the cases that took, or have waited, longer than a service standard.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    start, end : str or list of str
        The activities that open and close the stage (a list means any of them).
    days : float
        The service standard: the most days the stage may take.
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    as_of : str or Timestamp, optional
        The date at which open cases are measured; default the last event of the log.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``started`` (the denominator), ``completed_late``,
        ``open_late`` (still open and waiting longer than ``days`` at ``as_of``),
        ``past_standard`` (the numerator: both) and ``share``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 3],
    ...     "activity": ["application", "decision", "application", "decision", "application"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-31", "2024-01-01",
    ...                                  "2024-01-05", "2024-01-01"]),
    ... })
    >>> past_standard(log, "application", "decision", 14, as_of="2024-02-01")
       started  completed_late  open_late  past_standard      share
    0        3               1          1              2  0.666667
    """
    if isinstance(days, bool) or not isinstance(days, (int, float, np.integer, np.floating)):
        raise TypeError(f"days must be a number of days; got {days!r}")
    if not np.isfinite(days) or days < 0:
        raise ValueError(f"days must be a finite number, 0 or more; got {days!r}")
    log = _read(
        events, what="past_standard", case=case, activity=activity, timestamp=timestamp, by=by
    )
    per_case = _durations(log, start, end)
    group = per_case.attrs["group"]
    when = (
        log.time.max()
        if as_of is None
        else pd.Timestamp(as_of).to_datetime64().astype("datetime64[ns]").view(np.int64)
    )
    done = per_case["completed"].to_numpy()
    waited = (when - per_case["started"].to_numpy().view(np.int64)) / _NS_PER_DAY
    late = done & (per_case["days"].to_numpy() > days)
    open_late = ~done & (waited > days)
    started = np.bincount(group, minlength=log.n_groups)
    n_late = np.bincount(group, weights=late, minlength=log.n_groups).astype(np.int64)
    n_open = np.bincount(group, weights=open_late, minlength=log.n_groups).astype(np.int64)
    return log.table(
        {
            "started": started,
            "completed_late": n_late,
            "open_late": n_open,
            "past_standard": n_late + n_open,
            "share": _ratio(n_late + n_open, started),
        }
    )
