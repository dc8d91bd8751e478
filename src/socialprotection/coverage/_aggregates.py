"""Regional and global aggregates: coverage rates weighted by their denominators."""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    numeric_column,
    require_columns,
)

# ---- aggregates ------------------------------------------------------------------------


def weighted_aggregate(
    frame: pd.DataFrame,
    *,
    rate: str,
    weight: str,
    by: str | Iterable[str] | None = None,
    member: str | None = None,
) -> pd.DataFrame:
    r"""Aggregate national rates into a regional or global rate (UN SDG metadata 4.g).

    The weights are each series' denominator (for example the population above
    pensionable age for SI_COV_PENSN):

    .. math::

        R = \frac{\sum_c r_c D_c}{\sum_c D_c} = \frac{\sum_c N_c}{\sum_c D_c}

    A member whose rate is missing is left out of both sums and **reported**: the
    output counts and lists such members.
    The ILO fills missing countries with model estimates before aggregating, so an
    aggregate of reported values alone differs from the published one.
    An aggregate of one member equals that member's rate.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member (country).
    rate : str
        Column of rates, shares between 0 and 1 (missing allowed: reported).
    weight : str
        Column of denominators :math:`D_c` (persons, not negative; may be missing only
        where the rate is missing).
    by : str or list of str, optional
        Group columns (region...); missing group values are refused.
    member : str, optional
        Column naming the members; the index labels by default.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``numerator`` (sum of r D), ``denominator`` (sum of D),
        ``rate``, ``n_obs`` (members with a value), ``n_missing`` and
        ``missing_members`` (comma-separated), and ``method``.

    Examples
    --------
    >>> countries = pd.DataFrame({"iso3": ["A", "B", "C"], "rate": [0.5, 0.2, None],
    ...     "pop": [100.0, 400.0, 50.0]})
    >>> out = weighted_aggregate(countries, rate="rate", weight="pop", member="iso3")
    >>> row = out.iloc[0]
    >>> print(row["numerator"], row["denominator"], row["rate"])
    130.0 500.0 0.26
    >>> print(row["n_obs"], row["n_missing"], row["missing_members"])
    2 1 C
    """
    by = as_list(by)
    require_columns(
        frame,
        [rate, weight] + by + ([member] if member else []),
        what="aggregate",
        one_row_per="member (country)",
    )
    rates = numeric_column(frame, rate, allow_missing=True)
    weights = numeric_column(frame, weight, allow_missing=True, non_negative=True)
    outside = (rates < 0) | (rates > 1)
    if outside.any():
        row = frame.index[int(np.flatnonzero(outside)[0])]
        raise ValueError(
            f"column '{rate}' must hold shares between 0 and 1; row {row} holds "
            f"{frame.loc[row, rate]} (a percentage? divide by 100)"
        )
    present = ~np.isnan(rates)
    no_weight = present & np.isnan(weights)
    if no_weight.any():
        row = frame.index[int(np.flatnonzero(no_weight)[0])]
        raise ValueError(
            f"column '{weight}' is missing in row {row}, which has a rate: every member with a "
            "rate needs its denominator"
        )
    for column in by:
        missing = frame[column].isna().to_numpy()
        if missing.any():
            row = frame.index[int(np.flatnonzero(missing)[0])]
            raise ValueError(
                f"group column '{column}' has {int(missing.sum())} missing value(s), the first "
                f"in row {row}; fill or drop them explicitly"
            )
    names = frame[member].to_numpy() if member else frame.index.to_numpy()
    work = pd.DataFrame(
        {
            "_num": np.where(present, rates * np.nan_to_num(weights), 0.0),
            "_den": np.where(present, np.nan_to_num(weights), 0.0),
            "_present": present,
            "_name": names,
        }
    )
    for column in by:
        work[column] = frame[column].to_numpy()
    groups = work.groupby(by, sort=True) if by else [((), work)]
    records = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        n_obs = int(group["_present"].sum())
        numerator, denominator = float(group["_num"].sum()), float(group["_den"].sum())
        if n_obs and denominator == 0:
            label = dict(zip(by, key, strict=True)) if by else "all members"
            raise ValueError(
                f"the weights in column '{weight}' of {label} sum to zero: nothing to average over"
            )
        absent = [str(n) for n in group.loc[~group["_present"], "_name"]]
        records.append(
            (
                *key,
                numerator,
                denominator,
                numerator / denominator if n_obs else math.nan,
                n_obs,
                len(absent),
                ", ".join(absent),
            )
        )
    result = pd.DataFrame(
        records,
        columns=[
            *by,
            "numerator",
            "denominator",
            "rate",
            "n_obs",
            "n_missing",
            "missing_members",
        ],
    )
    result["method"] = "denominator-weighted mean of member rates"
    return result
