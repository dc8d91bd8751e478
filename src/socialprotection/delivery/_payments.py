"""Payments: timeliness, reconciliation and the cost per transfer."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import _show, numeric_column, require_columns
from socialprotection.delivery._flow import _ratio
from socialprotection.delivery._log import _NEVER, _NS_PER_DAY, _month_label, _read

__all__ = ["cost_per_transfer", "payment_timeliness", "reconciliation"]


def _payment_keys(log, rows: dict[str, np.ndarray], cycle: str) -> dict[str, np.ndarray]:
    """Case code and cycle of the payment rows of each role as one int64 key.

    Missing cycles are refused with their count and first row.
    """
    series = log.frame[cycle]
    values = {}
    for role, where in rows.items():
        part = series.iloc[where]
        missing = part.isna().to_numpy()
        if missing.any():
            raise ValueError(
                f"column '{cycle}' has {int(missing.sum())} missing value(s) on {role} events, "
                f"the first in row {part.index[int(np.flatnonzero(missing)[0])]}; every "
                "payment event needs its cycle"
            )
        values[role] = part.to_numpy()
    codes, _ = pd.factorize(np.concatenate(list(values.values())))
    width = int(codes.max()) + 2 if len(codes) else 1
    out, start = {}, 0
    for role, where in rows.items():
        out[role] = log.case[where] * width + codes[start : start + len(where)]
        start += len(where)
    return out


def payment_timeliness(
    events: pd.DataFrame,
    *,
    scheduled: str = "payment_scheduled",
    paid: str = "payment_paid",
    cycle: str = "cycle",
    by: str | Iterable[str] | None = None,
    month: bool = False,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Share of scheduled payments paid on or before their scheduled date, by group.

    A payment is one case in one cycle. It is on time when its first ``paid`` event falls
    on or before the calendar day of its ``scheduled`` event.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity``, ``timestamp`` and
        ``cycle``.
    scheduled, paid : str
        The activities of the schedule and of the payment.
    cycle : str, default "cycle"
        The column that identifies the payment cycle (read on payment events only).
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    month : bool, default False
        Also group by the month of the scheduled date (``month``).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``scheduled`` (the denominator), ``paid``, ``on_time`` (the
        numerator), ``late``, ``not_paid``, ``on_time_share`` and ``paid_unscheduled``
        (paid events with no schedule, reported and not counted).

    Raises
    ------
    ValueError
        A case has two schedules for one cycle: the payment is ambiguous.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 1, 1, 2, 2],
    ...     "activity": ["payment_scheduled", "payment_paid"] * 3,
    ...     "timestamp": pd.to_datetime(["2024-01-15 09:00", "2024-01-15 16:00",
    ...                                  "2024-02-15 09:00", "2024-02-18 10:00",
    ...                                  "2024-01-15 09:00", "2024-01-14 12:00"]),
    ...     "cycle": [1, 1, 2, 2, 1, 1],
    ... })
    >>> payment_timeliness(log)[["scheduled", "paid", "on_time", "late", "on_time_share"]]
       scheduled  paid  on_time  late  on_time_share
    0          3     3        2     1       0.666667
    """
    log = _read(
        events,
        what="payment_timeliness",
        case=case,
        activity=activity,
        timestamp=timestamp,
        by=by,
        extra=[cycle],
    )
    s_rows = log.rows_of(log.code(scheduled, "scheduled"))
    p_code = log.optional_code(paid)
    p_rows = log.rows_of(p_code) if p_code >= 0 else np.array([], dtype=np.int64)
    keys = _payment_keys(log, {scheduled: s_rows, paid: p_rows}, cycle)
    s_index = pd.Index(keys[scheduled])
    if not s_index.is_unique:
        dup = s_index.duplicated()
        row = log.frame.index[s_rows[int(np.flatnonzero(dup)[0])]]
        raise ValueError(
            f"{int(dup.sum())} duplicated '{scheduled}' event(s) (same case and "
            f"'{cycle}'), the first in row {row}; check_event_log lists them"
        )
    match = s_index.get_indexer(keys[paid])
    unscheduled = match < 0
    t_paid = np.full(len(s_rows), _NEVER, dtype=np.int64)
    np.minimum.at(t_paid, match[~unscheduled], log.time[p_rows][~unscheduled])
    is_paid = t_paid != _NEVER
    on_time = is_paid & (
        np.floor_divide(t_paid, _NS_PER_DAY) <= np.floor_divide(log.time[s_rows], _NS_PER_DAY)
    )
    g_s = log.group[log.case[s_rows]]
    frame = pd.DataFrame({"g": g_s, "paid": is_paid, "on_time": on_time})
    keys = ["g"]
    if month:
        frame["month"] = _month_label(log.time[s_rows])
        keys.append("month")
    table = frame.groupby(keys, sort=True).agg(
        scheduled=("paid", "size"), paid=("paid", "sum"), on_time=("on_time", "sum")
    )
    extra = pd.DataFrame({"g": log.group[log.case[p_rows]], "u": unscheduled})
    if month:
        extra["month"] = _month_label(log.time[p_rows])
    extra = extra.groupby(keys, sort=True)["u"].sum().rename("paid_unscheduled")
    if not month:
        table = table.reindex(range(log.n_groups), fill_value=0)
        table.index.name = "g"
    table = table.join(extra, how="outer").fillna(0).astype(np.int64).reset_index()
    table["late"] = table["paid"] - table["on_time"]
    table["not_paid"] = table["scheduled"] - table["paid"]
    table["on_time_share"] = _ratio(table["on_time"], table["scheduled"])
    labels = log.group_labels.reset_index(drop=True).iloc[table["g"].to_numpy()]
    out = pd.concat([labels.reset_index(drop=True), table.drop(columns="g")], axis=1)
    first = [*log.names["by"], *(["month"] if month else [])]
    return out[
        [
            *first,
            "scheduled",
            "paid",
            "on_time",
            "late",
            "not_paid",
            "on_time_share",
            "paid_unscheduled",
        ]
    ]


def reconciliation(
    events: pd.DataFrame,
    *,
    amount: str = "amount",
    scheduled: str = "payment_scheduled",
    paid: str = "payment_paid",
    failed: str = "payment_failed",
    returned: str = "payment_returned",
    by: str | Iterable[str] | None = None,
    month: bool = False,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Scheduled against paid, failed and returned payments, in number and amount.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity``, ``timestamp`` and
        ``amount`` (read on the payment events only: a number, 0 or more).
    amount : str, default "amount"
        The column of the amounts.
    scheduled, paid, failed, returned : str
        The activities of the payment cycle (an activity absent from the log counts 0).
    by : str or list of str, optional
        Group the cases (a case takes the values of its first row).
    month : bool, default False
        Also group by the month of each payment event (``month``).
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: for each of scheduled, paid, failed and returned the number
        (``scheduled_n`` ...) and the amount (``scheduled_amount`` ...), then
        ``disbursed_amount`` (paid minus returned), ``undisbursed_amount`` (scheduled
        minus disbursed) and ``undisbursed_share`` (of the scheduled amount).

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 1, 2, 2, 2],
    ...     "activity": ["payment_scheduled", "payment_paid", "payment_scheduled",
    ...                  "payment_paid", "payment_returned"],
    ...     "timestamp": pd.to_datetime(["2024-01-15", "2024-01-15", "2024-01-15",
    ...                                  "2024-01-16", "2024-01-30"]),
    ...     "amount": [400, 400, 400, 400, 400],
    ... })
    >>> reconciliation(log)[["scheduled_amount", "disbursed_amount", "undisbursed_share"]]
       scheduled_amount  disbursed_amount  undisbursed_share
    0             800.0             400.0                0.5
    """
    log = _read(
        events,
        what="reconciliation",
        case=case,
        activity=activity,
        timestamp=timestamp,
        by=by,
        extra=[amount],
    )
    log.code(scheduled, "scheduled")
    kinds = {"scheduled": scheduled, "paid": paid, "failed": failed, "returned": returned}
    codes = {k: log.optional_code(v) for k, v in kinds.items()}
    rows = np.flatnonzero(np.isin(log.activity, [c for c in codes.values() if c >= 0]))
    values = numeric_column(log.frame[[amount]].iloc[rows], amount, non_negative=True)
    if not month:
        kind_of = np.full(len(log.activity_labels) + 2, -1)
        for k, code in enumerate(codes.values()):
            if code >= 0:
                kind_of[code] = k
        cell = log.group[log.case[rows]] * 4 + kind_of[log.activity[rows]]
        size = log.n_groups * 4
        counts = np.bincount(cell, minlength=size).reshape(log.n_groups, 4)
        sums = np.bincount(cell, weights=values, minlength=size).reshape(log.n_groups, 4)
        out = pd.DataFrame({"g": range(log.n_groups)})
        for k, kind in enumerate(kinds):
            out[f"{kind}_n"] = counts[:, k].astype(np.int64)
            out[f"{kind}_amount"] = sums[:, k]
        return _reconciled(log, out)
    frame = pd.DataFrame({"g": log.group[log.case[rows]], "a": log.activity[rows], "v": values})
    keys = ["g"]
    if month:
        frame["month"] = _month_label(log.time[rows])
        keys.append("month")
    base = frame[keys].drop_duplicates().sort_values(keys) if month else None
    out = pd.DataFrame({"g": range(log.n_groups)}) if not month else base.reset_index(drop=True)
    for kind, code in codes.items():
        part = frame[frame["a"] == code].groupby(keys)["v"].agg(["size", "sum"])
        part.columns = [f"{kind}_n", f"{kind}_amount"]
        out = out.merge(part.reset_index(), on=keys, how="left")
    for kind in kinds:
        out[f"{kind}_n"] = out[f"{kind}_n"].fillna(0).astype(np.int64)
        out[f"{kind}_amount"] = out[f"{kind}_amount"].fillna(0.0).astype(float)
    return _reconciled(log, out)


def _reconciled(log, out: pd.DataFrame) -> pd.DataFrame:
    out["disbursed_amount"] = out["paid_amount"] - out["returned_amount"]
    out["undisbursed_amount"] = out["scheduled_amount"] - out["disbursed_amount"]
    out["undisbursed_share"] = _ratio(out["undisbursed_amount"], out["scheduled_amount"])
    labels = log.group_labels.reset_index(drop=True).iloc[out["g"].to_numpy()]
    return pd.concat([labels.reset_index(drop=True), out.drop(columns="g")], axis=1)


def cost_per_transfer(
    events: pd.DataFrame,
    costs: pd.DataFrame,
    *,
    by: str = "district",
    cost: str = "cost",
    amount: str | None = None,
    paid: str = "payment_paid",
    returned: str = "payment_returned",
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Administrative cost per transfer made, by group, from a table of costs.

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity``, ``timestamp`` and
        ``by``.
    costs : pandas.DataFrame
        One row per group: ``by`` and ``cost`` (the administrative cost of the period,
        a number, 0 or more).
    by : str, default "district"
        The group column, in both tables.
    cost : str, default "cost"
        The column of the costs.
    amount : str, optional
        The column of the amounts; when given, the result also has the administrative
        cost ratio (cost / (cost + amount disbursed)).
    paid, returned : str
        The activities of a payment made and of a payment returned.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group of ``costs``: ``cost`` (the numerator), ``transfers`` (paid
        minus returned, the denominator), ``cost_per_transfer`` (NaN without transfers)
        and, with ``amount``, ``disbursed_amount`` and ``admin_cost_ratio``.

    Examples
    --------
    >>> log = pd.DataFrame({
    ...     "case_id": [1, 2, 3, 3],
    ...     "district": ["Rasht", "Rasht", "Hisor", "Hisor"],
    ...     "activity": ["payment_paid", "payment_paid", "payment_paid", "payment_returned"],
    ...     "timestamp": pd.to_datetime(["2024-01-15", "2024-01-15", "2024-01-15",
    ...                                  "2024-01-25"]),
    ... })
    >>> costs = pd.DataFrame({"district": ["Hisor", "Rasht"], "cost": [50.0, 30.0]})
    >>> cost_per_transfer(log, costs)
      district  cost  transfers  cost_per_transfer
    0    Hisor  50.0          0                NaN
    1    Rasht  30.0          2               15.0
    """
    if not isinstance(costs, pd.DataFrame):
        raise TypeError(f"costs must be a pandas DataFrame; got {type(costs).__name__}")
    require_columns(costs, [by, cost], what="cost_per_transfer: costs", one_row_per="group")
    values = numeric_column(costs, cost, non_negative=True)
    labels = costs[by]
    missing = labels.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{by}' of costs has {int(missing.sum())} missing value(s), the first in "
            f"row {costs.index[int(np.flatnonzero(missing)[0])]}; expected a group label"
        )
    dup = labels.astype(str).duplicated().to_numpy()
    if dup.any():
        first = int(np.flatnonzero(dup)[0])
        raise ValueError(
            f"column '{by}' of costs: row {costs.index[first]} repeats "
            f"{_show(labels.tolist()[first])}; expected one row per group"
        )
    log = _read(
        events,
        what="cost_per_transfer",
        case=case,
        activity=activity,
        timestamp=timestamp,
        by=by,
        extra=[amount] if amount else [],
    )
    keys = labels.astype(str).to_numpy()
    event_groups = log.group_labels[by].astype(str).to_numpy()
    unknown = ~np.isin(event_groups, keys)
    if unknown.any():
        raise ValueError(
            f"column '{by}': the events hold {event_groups[unknown][0]!r}, which has no row in "
            "costs; give the cost of every group"
        )
    signs = np.zeros(len(log.activity_labels))
    for name, sign in ((paid, 1.0), (returned, -1.0)):
        code = log.optional_code(name)
        if code >= 0:
            signs[code] = sign
    weight = signs[log.activity]
    rows = np.flatnonzero(weight != 0)
    transfers = np.bincount(log.group[log.case[rows]], weights=weight[rows], minlength=log.n_groups)
    position = pd.Index(event_groups).get_indexer(keys)
    n = np.where(position >= 0, transfers[np.maximum(position, 0)], 0).astype(np.int64)
    out = pd.DataFrame({by: labels.to_numpy(), "cost": values, "transfers": n})
    out["cost_per_transfer"] = _ratio(values, n)
    if amount:
        money = numeric_column(log.frame[[amount]].iloc[rows], amount, non_negative=True)
        money = money * weight[rows]
        disbursed = np.bincount(log.group[log.case[rows]], weights=money, minlength=log.n_groups)
        out["disbursed_amount"] = np.where(position >= 0, disbursed[np.maximum(position, 0)], 0.0)
        out["admin_cost_ratio"] = _ratio(values, values + out["disbursed_amount"].to_numpy())
    return out.sort_values(by, kind="stable", ignore_index=True)
