"""Grievances: how many, and how fast they are resolved."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from socialprotection.delivery._flow import _ratio
from socialprotection.delivery._log import _NS_PER_DAY, _has, _month_label, _read

__all__ = ["GRIEVANCE_TIERS", "grievance_rates", "grievance_resolution"]

#: Default service-level tiers in days. They follow one software product's example of
#: service levels by severity (OpenSPP: 1, 3, 7 and 14 days), not a standard.
GRIEVANCE_TIERS = (1, 3, 7, 14)


def _category_of(log, rows: np.ndarray, category: str | None) -> np.ndarray | None:
    if category is None:
        return None
    series = log.frame[category].iloc[rows]
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{category}' has {int(missing.sum())} missing value(s) on grievance "
            f"events, the first in row {series.index[int(np.flatnonzero(missing)[0])]}; "
            "every grievance needs its category"
        )
    return series.astype(str).to_numpy()


def grievance_rates(
    events: pd.DataFrame,
    *,
    opened: str = "grievance_opened",
    beneficiary: str = "enrolment",
    category: str | None = None,
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Grievances opened per thousand beneficiaries, by group (and category).

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    opened : str, default "grievance_opened"
        The activity that opens a grievance.
    beneficiary : str, default "enrolment"
        The activity that makes a case a beneficiary.
    category : str, optional
        A column of grievance categories (read on ``opened`` events only): one row per
        group and category.
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group (and category): ``grievances`` (the numerator),
        ``beneficiaries`` (the denominator) and ``per_thousand``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 3, 3],
    ...     "activity": ["enrolment", "grievance_opened", "enrolment", "enrolment",
    ...                  "grievance_opened"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-02-01", "2024-01-01",
    ...                                  "2024-01-01", "2024-03-01"]),
    ... })
    >>> grievance_rates(log)
       grievances  beneficiaries  per_thousand
    0           2              3    666.666667
    """
    log = _read(
        events,
        what="grievance_rates",
        case=case,
        activity=activity,
        timestamp=timestamp,
        by=by,
        extra=[category] if category else [],
    )
    beneficiaries = np.bincount(
        log.group, weights=_has(log, log.code(beneficiary, "beneficiary")), minlength=log.n_groups
    ).astype(np.int64)
    code = log.optional_code(opened)
    rows = log.rows_of(code) if code >= 0 else np.array([], dtype=np.int64)
    groups = log.group[log.case[rows]]
    if category is None:
        counts = np.bincount(groups, minlength=log.n_groups)
        return log.table(
            {
                "grievances": counts,
                "beneficiaries": beneficiaries,
                "per_thousand": 1000 * _ratio(counts, beneficiaries),
            }
        )
    cats = _category_of(log, rows, category)
    table = pd.DataFrame({"g": groups, category: cats}).groupby(["g", category]).size()
    table = table.rename("grievances").reset_index()
    table["beneficiaries"] = beneficiaries[table["g"].to_numpy()]
    table["per_thousand"] = 1000 * _ratio(table["grievances"], table["beneficiaries"])
    labels = log.group_labels.reset_index(drop=True).iloc[table["g"].to_numpy()]
    return pd.concat([labels.reset_index(drop=True), table.drop(columns="g")], axis=1)


def grievance_resolution(
    events: pd.DataFrame,
    tiers: Sequence[float] = GRIEVANCE_TIERS,
    *,
    opened: str = "grievance_opened",
    resolved: str = "grievance_resolved",
    category: str | None = None,
    by: str | Iterable[str] | None = None,
    month: bool = False,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Share of grievances resolved within each service-level tier, by group.

    The grievances of a case are matched in time order: its *k*-th ``opened`` event with
    its *k*-th ``resolved`` event. A resolution earlier than its opening is counted in
    ``out_of_order`` and not as resolved; a resolution without an opening also (in the
    table by group only: with ``category`` or ``month`` it has no category or month).

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    tiers : sequence of float, default GRIEVANCE_TIERS
        Service levels in days.
    opened, resolved : str
        The activities that open and resolve a grievance.
    category : str, optional
        A column of categories, read on ``opened`` events: one row per group, category
        and tier.
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    month : bool, default False
        Also group by the month in which the grievance was opened (``month``).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group (category, month) and tier: ``tier_days``, ``grievances``
        (the denominator), ``resolved_within`` (the numerator), ``share``, ``resolved``
        (at any time), ``unresolved`` and ``out_of_order``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 3],
    ...     "activity": ["grievance_opened", "grievance_resolved"] * 2 + ["grievance_opened"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-01",
    ...                                  "2024-01-11", "2024-01-05"]),
    ... })
    >>> grievance_resolution(log, [3, 14])[["tier_days", "grievances", "resolved_within",
    ...                                     "unresolved"]]
       tier_days  grievances  resolved_within  unresolved
    0        3.0           3                1           1
    1       14.0           3                2           1
    """
    tiers = [tiers] if isinstance(tiers, (int, float)) else list(tiers)
    if not tiers or any(
        isinstance(t, bool)
        or not isinstance(t, (int, float, np.integer, np.floating))
        or not np.isfinite(t)
        or t < 0
        for t in tiers
    ):
        raise ValueError(f"tiers must be numbers of days, 0 or more; got {tiers!r}")
    log = _read(
        events,
        what="grievance_resolution",
        case=case,
        activity=activity,
        timestamp=timestamp,
        by=by,
        extra=[category] if category else [],
    )
    o_code = log.code(opened, "opened")
    r_code = log.optional_code(resolved)
    o_rows = log.rows_of(o_code)
    r_rows = log.rows_of(r_code) if r_code >= 0 else np.array([], dtype=np.int64)

    def ranked(rows):
        frame = pd.DataFrame({"c": log.case[rows], "t": log.time[rows], "r": rows})
        frame = frame.sort_values(["c", "t", "r"], kind="stable")
        frame["k"] = frame.groupby("c").cumcount()
        return frame

    o = ranked(o_rows)
    r = ranked(r_rows)
    pairs = o.merge(r, on=["c", "k"], how="left", suffixes=("", "_r"))
    days = (pairs["t_r"].to_numpy(dtype=float) - pairs["t"].to_numpy(dtype=float)) / _NS_PER_DAY
    backwards = days < 0
    done = ~np.isnan(days) & ~backwards
    extra_resolutions = r.merge(o[["c", "k"]], on=["c", "k"], how="left", indicator=True)
    orphan = extra_resolutions[extra_resolutions["_merge"] == "left_only"]
    frame = pd.DataFrame(
        {
            "g": log.group[pairs["c"].to_numpy()],
            "done": done,
            "out": backwards,
            "days": np.where(done, days, np.inf),
        }
    )
    keys = ["g"]
    if category:
        frame[category] = _category_of(log, pairs["r"].to_numpy(), category)
        keys.append(category)
    if month:
        frame["month"] = _month_label(pairs["t"].to_numpy())
        keys.append("month")
    blocks = []
    for tier in tiers:
        frame["within"] = frame["days"] <= tier
        part = frame.groupby(keys, sort=True).agg(
            grievances=("done", "size"),
            resolved_within=("within", "sum"),
            resolved=("done", "sum"),
            out_of_order=("out", "sum"),
        )
        if keys == ["g"]:
            part = part.reindex(range(log.n_groups), fill_value=0)
            part.index.name = "g"
        part = part.reset_index()
        part.insert(len(keys), "tier_days", float(tier))
        blocks.append(part)
    table = pd.concat(blocks, ignore_index=True).sort_values(
        [*keys, "tier_days"], kind="stable", ignore_index=True
    )
    for column in ("grievances", "resolved_within", "resolved", "out_of_order"):
        table[column] = table[column].astype(np.int64)
    table["share"] = _ratio(table["resolved_within"], table["grievances"])
    table["unresolved"] = table["grievances"] - table["resolved"] - table["out_of_order"]
    if keys == ["g"]:
        # resolutions without an opening are out of order too, in their case's group
        orphans = np.bincount(log.group[orphan["c"].to_numpy()], minlength=log.n_groups)
        table["out_of_order"] += orphans[table["g"].to_numpy()]
    labels = log.group_labels.reset_index(drop=True).iloc[table["g"].to_numpy()]
    out = pd.concat([labels.reset_index(drop=True), table.drop(columns="g")], axis=1)
    first = [*log.names["by"], *([category] if category else []), *(["month"] if month else [])]
    return out[
        [
            *first,
            "tier_days",
            "grievances",
            "resolved_within",
            "share",
            "resolved",
            "unresolved",
            "out_of_order",
        ]
    ]
