"""The process map: directly-follows counts and the most common paths (variants).

The same counts that process-mining software (such as pm4py, which is AGPL and not a
dependency) computes, in plain pandas and numpy.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection.delivery._log import _NS_PER_DAY, _read

__all__ = ["directly_follows", "variants"]


def _in_case_order(log) -> np.ndarray:
    """Row positions sorted by case, time and row (ties keep the row order)."""
    case, time = log.case, log.time
    same = case[1:] == case[:-1]
    if (case[1:] >= case[:-1]).all() and (time[1:][same] >= time[:-1][same]).all():
        return np.arange(len(case))  # already in order: the usual export of an MIS
    return np.lexsort((time, case))  # a stable sort: ties keep the row order


def directly_follows(
    events: pd.DataFrame,
    *,
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Count how often one activity directly follows another in the same case.

    The events of each case are taken in time order (events at the same time in the
    order of the rows); the input frame is not changed.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group and pair: ``source``, ``target``, ``count``, ``cases`` (the
        count's denominator: cases in the group), ``median_days`` between the two events,
        sorted by falling count.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 1, 2, 2],
    ...     "activity": ["application", "assessment", "enrolment", "application", "assessment"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-04",
    ...                                  "2024-01-01", "2024-01-06"]),
    ... })
    >>> directly_follows(log)
            source      target  count  cases  median_days
    0  application  assessment      2      2          3.5
    1   assessment   enrolment      1      2          1.0
    """
    log = _read(
        events, what="directly_follows", case=case, activity=activity, timestamp=timestamp, by=by
    )
    order = _in_case_order(log)
    c, a, t = log.case[order], log.activity[order], log.time[order]
    same = c[1:] == c[:-1]
    n_act = len(log.activity_labels)
    pair = (log.group[c[1:][same]] * n_act + a[:-1][same]) * n_act + a[1:][same]
    days = (t[1:][same] - t[:-1][same]) / _NS_PER_DAY
    grouped = pd.Series(days).groupby(pair, sort=True)
    table = pd.DataFrame({"count": grouped.size(), "median_days": grouped.median()})
    key = table.index.to_numpy()
    table = table.reset_index(drop=True)
    table["g"], rest = np.divmod(key, n_act * n_act)
    table["s"], table["t"] = np.divmod(rest, n_act)
    cases = np.bincount(log.group, minlength=log.n_groups)
    labels = log.group_labels.reset_index(drop=True).iloc[table["g"].to_numpy()]
    out = pd.concat(
        [
            labels.reset_index(drop=True),
            pd.DataFrame(
                {
                    "source": log.activity_labels[table["s"].to_numpy()].astype(str),
                    "target": log.activity_labels[table["t"].to_numpy()].astype(str),
                    "count": table["count"].to_numpy(np.int64),
                    "cases": cases[table["g"].to_numpy()],
                    "median_days": table["median_days"].to_numpy(),
                }
            ),
        ],
        axis=1,
    )
    keys = log.names["by"]
    return out.sort_values(
        [*keys, "count", "source", "target"],
        ascending=[True] * len(keys) + [False, True, True],
        kind="stable",
        ignore_index=True,
    )


def variants(
    events: pd.DataFrame,
    *,
    top: int | None = 10,
    separator: str = " > ",
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Count the most common paths: the sequence of activities of each case.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    top : int or None, default 10
        Keep the most common ``top`` paths (None: all).
    separator : str, default " > "
        Written between the activities of a path.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per path: ``variant``, ``events`` (its length), ``cases`` (the numerator),
        ``all_cases`` (the denominator) and ``share``, by falling count (ties by path).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 3],
    ...     "activity": ["application", "enrolment", "application", "enrolment", "application"],
    ...     "timestamp": pd.to_datetime(["2024-01-01", "2024-01-03", "2024-01-01",
    ...                                  "2024-01-06", "2024-01-02"]),
    ... })
    >>> variants(log)
                       variant  events  cases  all_cases     share
    0  application > enrolment       2      2          3  0.666667
    1              application       1      1          3  0.333333
    """
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ValueError(f"top must be a positive integer or None; got {top!r}")
    log = _read(events, what="variants", case=case, activity=activity, timestamp=timestamp)
    order = _in_case_order(log)
    c, a = log.case[order], log.activity[order].astype(np.uint64)
    starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]])
    lengths = np.diff(np.r_[starts, len(c)])
    position = np.arange(len(c)) - np.repeat(starts, lengths)
    # Two polynomial hashes of each path (mod 2**64), then one text per distinct path.
    hashes = []
    for base in (np.uint64(1_000_003), np.uint64(911_382_323)):
        powers = np.cumprod(np.r_[np.uint64(1), np.full(lengths.max(), base, np.uint64)])
        with np.errstate(over="ignore"):
            terms = (a + np.uint64(1)) * powers[position]
            hashes.append(np.add.reduceat(terms, starts))
    with np.errstate(over="ignore"):
        key = hashes[0] ^ (lengths.astype(np.uint64) * np.uint64(0x9E3779B97F4A7C15))
    codes, _ = pd.factorize(key)
    first_case = np.full(codes.max() + 1, len(starts))
    np.minimum.at(first_case, codes, np.arange(len(starts)))
    if (hashes[1] != hashes[1][first_case][codes]).any() or (
        lengths != lengths[first_case][codes]
    ).any():  # a collision of the first hash (never seen): use both hashes and the length
        keys = pd.DataFrame({"h1": hashes[0], "h2": hashes[1], "n": lengths})
        codes, _ = pd.factorize(pd.MultiIndex.from_frame(keys))
        first_case = np.full(codes.max() + 1, len(starts))
        np.minimum.at(first_case, codes, np.arange(len(starts)))
    counts = np.bincount(codes)
    names = log.activity_labels.astype(str).to_numpy()
    text = [
        separator.join(names[a[starts[k] : starts[k] + lengths[k]].astype(np.int64)])
        for k in first_case
    ]
    out = pd.DataFrame(
        {
            "variant": text,
            "events": lengths[first_case],
            "cases": counts,
            "all_cases": len(starts),
        }
    )
    out["share"] = out["cases"] / out["all_cases"]
    out = out.sort_values(["cases", "variant"], ascending=[False, True], ignore_index=True)
    return out if top is None else out.head(top)
