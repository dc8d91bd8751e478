"""A costed roadmap: the schedule of its activities, the critical path and the cost by year."""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from socialprotection._validation import numeric_column, require_columns
from socialprotection.assessment._tables import check_declared, declared, keys

ROADMAP_COLUMNS = ("activity", "institution", "cost", "duration", "depends_on")
MONTHS = 12
_SEPARATOR = re.compile(r"[;,]")


def _dependencies(value: object) -> list[str]:
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return [str(v).strip() for v in value if str(v).strip()]
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return []
    return [p.strip() for p in _SEPARATOR.split(str(value)) if p.strip()]


def _cycle(graph: dict[str, list[str]], left: list[str]) -> list[str]:
    """Find a cycle among ``left``, the activities that a topological sort could not order."""
    inside = set(left)
    start = left[0]
    path, seen = [start], {start: 0}
    while True:
        nxt = next(d for d in graph[path[-1]] if d in inside)
        if nxt in seen:
            # In the order of the work (each waits for the one before it), starting with
            # the activity that comes first in the table.
            cycle = path[seen[nxt] :][::-1]
            k = min(range(len(cycle)), key=lambda i: left.index(cycle[i]))
            cycle = cycle[k:] + cycle[:k]
            return [*cycle, cycle[0]]
        seen[nxt] = len(path)
        path.append(nxt)


def _read(
    activities: pd.DataFrame, institutions: pd.DataFrame | None
) -> tuple[pd.DataFrame, dict[str, list[str]], list[str]]:
    """Check the roadmap; return it, the dependencies and a topological order."""
    require_columns(activities, ROADMAP_COLUMNS, what="activities", one_row_per="activity")
    names = declared(activities, "activity", what="activities", one_row_per="activity")
    institution = keys(
        activities, "institution", what="activities", expected="the responsible institution"
    )
    if institutions is not None:
        known = declared(
            institutions, "institution", what="institutions", one_row_per="institution"
        )
        check_declared(
            activities, "institution", institution, known, what="activities", kind="institution"
        )
    cost = numeric_column(activities, "cost", non_negative=True)
    duration = numeric_column(activities, "duration", non_negative=True)
    graph: dict[str, list[str]] = {}
    for k, (name, cell) in enumerate(zip(names, activities["depends_on"], strict=True)):
        graph[name] = list(dict.fromkeys(_dependencies(cell)))
        for dependency in graph[name]:
            if dependency not in names:
                raise ValueError(
                    f"activities: column 'depends_on': row {activities.index[k]} (activity "
                    f"{name!r}) depends on {dependency!r}, which is not an activity; the "
                    f"activities are: {', '.join(map(repr, names))}"
                )
    # Kahn's topological sort, keeping the order of the table among the ready activities.
    waiting = {a: len(graph[a]) for a in names}
    followers: dict[str, list[str]] = {a: [] for a in names}
    for a in names:
        for d in graph[a]:
            followers[d].append(a)
    order = [a for a in names if waiting[a] == 0]
    for a in order:  # the list grows while it is read
        for f in followers[a]:
            waiting[f] -= 1
            if waiting[f] == 0:
                order.append(f)
    if len(order) < len(names):
        done = set(order)
        cycle = _cycle(graph, [a for a in names if a not in done])
        raise ValueError(
            "activities: column 'depends_on' makes a dependency cycle: "
            + " -> ".join(repr(a) for a in cycle)
            + "; an activity cannot wait for itself, remove one of these dependencies"
        )
    table = pd.DataFrame(
        {
            "activity": names,
            "institution": institution.to_numpy(),
            "cost": cost,
            "duration": duration,
            "depends_on": ["; ".join(graph[a]) for a in names],
        }
    )
    return table, graph, order


def roadmap_schedule(
    activities: pd.DataFrame, institutions: pd.DataFrame | None = None
) -> pd.DataFrame:
    """Schedule a roadmap: when each activity can start at the earliest, and its slack.

    This is the critical path method.
    An activity starts when all the activities it depends on are finished:
    its earliest start is the latest earliest finish of its dependencies (0 without
    any), and its earliest finish is its earliest start plus its duration.
    The roadmap lasts as long as the latest earliest finish.
    Working back from that end, an activity's latest finish is the earliest latest start
    of the activities that depend on it; its slack (total float) is its latest start
    minus its earliest start.
    An activity without slack is **critical**: any delay in it delays the whole roadmap.

    Parameters
    ----------
    activities : pandas.DataFrame
        One row per activity: ``activity`` (a unique name), ``institution`` (the
        responsible institution), ``cost`` (not negative, in any currency unit),
        ``duration`` (not negative, in months; 0 for a milestone) and ``depends_on``
        (the activities that must finish first, separated by ``;`` or ``,``, or a
        list; blank or missing for none).
    institutions : pandas.DataFrame, optional
        The declared institutions, in column ``institution``; when given, every
        responsible institution must be one of them.

    Returns
    -------
    pandas.DataFrame
        One row per activity, in the order of the table: ``activity``,
        ``institution``, ``cost``, ``duration``, ``depends_on`` (as ``"a; b"``),
        ``start`` and ``finish`` (earliest, in months from the start of the roadmap),
        ``slack`` (months) and ``critical`` (bool).
        ``attrs["duration"]`` is the length of the whole roadmap in months.

    Raises
    ------
    KeyError
        A missing column (named).
    ValueError
        An empty table; a negative, missing or infinite cost or duration; an activity
        named twice; a dependency on an unknown activity (the message names the row,
        the activity and the dependency); a dependency cycle (the message names the
        activities in the cycle); an institution that is not declared.
    TypeError
        A cost or a duration that is not a number (the message names the row).

    Examples
    --------
    Two activities in parallel, then a third that needs both:

    >>> plan = pd.DataFrame({"activity": ["law", "system", "launch"],
    ...                      "institution": ["MoL", "Agency", "Agency"],
    ...                      "cost": [10.0, 50.0, 5.0], "duration": [6, 9, 3],
    ...                      "depends_on": [None, None, "law; system"]})
    >>> roadmap_schedule(plan)[["activity", "start", "finish", "slack", "critical"]]
      activity  start  finish  slack  critical
    0      law    0.0     6.0    3.0     False
    1   system    0.0     9.0    0.0      True
    2   launch    9.0    12.0    0.0      True
    >>> plan.loc[0, "depends_on"] = "launch"
    >>> roadmap_schedule(plan)
    Traceback (most recent call last):
    ...
    ValueError: activities: column 'depends_on' makes a dependency cycle: 'law' -> 'launch' -> 'law'; an activity cannot wait for itself, remove one of these dependencies
    """  # noqa: E501
    table, graph, order = _read(activities, institutions)
    duration = dict(zip(table["activity"], table["duration"], strict=True))
    start: dict[str, float] = {}
    finish: dict[str, float] = {}
    for a in order:
        start[a] = max((finish[d] for d in graph[a]), default=0.0)
        finish[a] = start[a] + duration[a]
    end = max(finish.values())
    followers: dict[str, list[str]] = {a: [] for a in order}
    for a in order:
        for d in graph[a]:
            followers[d].append(a)
    latest_start: dict[str, float] = {}
    for a in reversed(order):
        latest_finish = min((latest_start[f] for f in followers[a]), default=end)
        latest_start[a] = latest_finish - duration[a]
    table["start"] = [start[a] for a in table["activity"]]
    table["finish"] = [finish[a] for a in table["activity"]]
    slack = np.array([latest_start[a] - start[a] for a in table["activity"]])
    tolerance = 1e-9 * max(1.0, end)
    slack[np.abs(slack) <= tolerance] = 0.0
    table["slack"] = slack
    table["critical"] = slack == 0.0
    table.attrs["duration"] = end
    return table


def critical_path(activities: pd.DataFrame, institutions: pd.DataFrame | None = None) -> list[str]:
    """List the activities of the critical path, first to last: the longest chain of work.

    The length of the roadmap is the sum of the durations along this chain.
    When several chains are equally long, the one returned ends with the first of the
    activities that finish last (in the order of the table), and goes back through
    the first dependency (in the order given) that finishes just when it starts; all the
    critical activities are flagged by :func:`roadmap_schedule`.

    Parameters
    ----------
    activities, institutions : pandas.DataFrame
        As for :func:`roadmap_schedule`.

    Returns
    -------
    list of str

    Examples
    --------
    >>> plan = pd.DataFrame({"activity": ["law", "system", "launch"],
    ...                      "institution": ["MoL", "Agency", "Agency"],
    ...                      "cost": [10.0, 50.0, 5.0], "duration": [6, 9, 3],
    ...                      "depends_on": [None, None, "law; system"]})
    >>> critical_path(plan)
    ['system', 'launch']
    """
    schedule = roadmap_schedule(activities, institutions)
    start = dict(zip(schedule["activity"], schedule["start"], strict=True))
    finish = dict(zip(schedule["activity"], schedule["finish"], strict=True))
    depends = {
        a: [d for d in deps.split("; ") if d]
        for a, deps in zip(schedule["activity"], schedule["depends_on"], strict=True)
    }
    last = next(a for a in schedule["activity"] if finish[a] == schedule.attrs["duration"])
    path = [last]
    while True:
        before = next((d for d in depends[path[-1]] if finish[d] == start[path[-1]]), None)
        if before is None:
            return path[::-1]
        path.append(before)


def roadmap_cost_by_year(
    activities: pd.DataFrame,
    start_year: int,
    institutions: pd.DataFrame | None = None,
    *,
    by: str | None = None,
) -> pd.DataFrame:
    r"""Sum the cost of a roadmap by calendar year, every activity starting at the earliest.

    The roadmap starts on 1 January of ``start_year``.
    Each activity's cost is spread evenly over its months, from its earliest start
    (see :func:`roadmap_schedule`); a milestone (duration 0) costs everything in the
    year it falls in.
    The cost of year :math:`y` is

    .. math:: C_y = \sum_a c_a \, \frac{|[s_a, f_a) \cap [12(y - y_0), 12(y - y_0 + 1))|}{d_a}

    with :math:`c_a, d_a, s_a, f_a` the cost, duration, earliest start and finish of
    activity :math:`a`, in months from the start.
    The years sum to the total cost.

    Parameters
    ----------
    activities, institutions : pandas.DataFrame
        As for :func:`roadmap_schedule`.
    start_year : int
        The calendar year in which the roadmap starts.
    by : {None, "institution"}
        With ``"institution"``, one row per year and responsible institution.

    Returns
    -------
    pandas.DataFrame
        ``year`` (every year from ``start_year`` to the last year with work),
        ``institution`` (with ``by="institution"``) and ``cost``.

    Examples
    --------
    >>> plan = pd.DataFrame({"activity": ["law", "system", "launch"],
    ...                      "institution": ["MoL", "Agency", "Agency"],
    ...                      "cost": [12.0, 90.0, 6.0], "duration": [6, 18, 3],
    ...                      "depends_on": [None, None, "law; system"]})
    >>> roadmap_cost_by_year(plan, 2026)
       year  cost
    0  2026  72.0
    1  2027  36.0
    """
    if by not in (None, "institution"):
        raise ValueError(f"by must be None or 'institution'; got {by!r}")
    if isinstance(start_year, bool) or not isinstance(start_year, (int, np.integer)):
        raise TypeError(f"start_year must be a whole year such as 2027; got {start_year!r}")
    schedule = roadmap_schedule(activities, institutions)
    last = max(
        (int(math.ceil(f / MONTHS)) - 1 if d > 0 else int(s // MONTHS))
        for s, f, d in zip(schedule["start"], schedule["finish"], schedule["duration"], strict=True)
    )
    years = range(max(last, 0) + 1)
    rows = []
    for _, a in schedule.iterrows():
        for k in years:
            if a["duration"] > 0:
                low, high = max(a["start"], MONTHS * k), min(a["finish"], MONTHS * (k + 1))
                share = max(0.0, high - low) / a["duration"]
            else:
                share = 1.0 if int(a["start"] // MONTHS) == k else 0.0
            rows.append((start_year + k, a["institution"], a["cost"] * share))
    spread = pd.DataFrame(rows, columns=["year", "institution", "cost"])
    keys_ = ["year"] if by is None else ["year", "institution"]
    out = spread.groupby(keys_, sort=by is None).agg(cost=("cost", "sum")).reset_index()
    if by is not None:
        order = list(dict.fromkeys(schedule["institution"]))
        out["_order"] = out["institution"].map(order.index)
        out = out.sort_values(["year", "_order"]).drop(columns="_order").reset_index(drop=True)
    return out


def plot_roadmap(
    activities: pd.DataFrame,
    start_year: int | None = None,
    institutions: pd.DataFrame | None = None,
    *,
    ax=None,
):
    """Draw the roadmap as a bar chart of time (a Gantt chart), critical activities marked.

    Each bar runs from the earliest start to the earliest finish of an activity.
    The critical activities are drawn dark and hatched, and their label says
    ``(critical)``, so that the chart reads without colour; each bar carries its
    responsible institution and cost. The new figure is drawn for the book's column:
    4.3 inches wide, no text under 10 points.

    Parameters
    ----------
    activities, institutions : pandas.DataFrame
        As for :func:`roadmap_schedule`.
    start_year : int, optional
        When given, the time axis is labelled in calendar years, not in months.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> plan = pd.DataFrame({"activity": ["law", "system", "launch"],
    ...                      "institution": ["MoL", "Agency", "Agency"],
    ...                      "cost": [10.0, 50.0, 5.0], "duration": [6, 9, 3],
    ...                      "depends_on": [None, None, "law; system"]})
    >>> ax = plot_roadmap(plan, 2026)
    >>> [t.get_text() for t in ax.get_yticklabels()]
    ['law', 'system (critical)', 'launch (critical)']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt

    schedule = roadmap_schedule(activities, institutions)
    n = len(schedule)
    if ax is None:
        _, ax = plt.subplots(figsize=(4.3, 1.6 + 0.5 * n), layout="constrained")
    positions = np.arange(n)
    critical = schedule["critical"].to_numpy()
    bars = ax.barh(
        positions,
        schedule["duration"],
        left=schedule["start"],
        color=np.where(critical, "#1b4f9c", "#b9cde5"),
        edgecolor="#333333",
        hatch=[("//" if c else "") for c in critical],
    )
    for bar in bars:  # light hatching on the dark bars, so that it shows in black and white
        bar.set_hatchcolor("white")
    for y, (_, a) in zip(positions, schedule.iterrows(), strict=True):
        ax.text(
            a["finish"] + 0.2, y, f"{a['institution']}, cost {a['cost']:g}",
            va="center", fontsize=10,
        )  # fmt: skip
    labels = [
        f"{a} (critical)" if c else a for a, c in zip(schedule["activity"], critical, strict=True)
    ]
    ax.set_yticks(positions, labels)
    ax.invert_yaxis()
    end = schedule.attrs["duration"]
    ax.set_xlim(0, end * 1.9 + 1)
    if start_year is None:
        ax.set_xlabel("Months from the start of the roadmap")
    else:
        ticks = np.arange(0, end + MONTHS, MONTHS)
        ax.set_xticks(ticks, [str(start_year + int(t // MONTHS)) for t in ticks])
        ax.set_xlabel("Year (each tick is 1 January)")
    ax.set_title(f"Roadmap: {n} activities, {end:g} months;\ncritical path hatched", fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    return ax
