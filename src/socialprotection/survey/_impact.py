"""Simulated impact of transfers on poverty and inequality.

Each indicator before and after removing a programme's transfers from welfare.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import (
    is_pandas,
    require_columns,
    weights_of,
)
from socialprotection.survey._checks import (
    _SNAP,
    ANY,
    _columns,
    _household_column,
    _households,
    _programme,
    _programme_names,
    _ratio,
)
from socialprotection.survey._poverty import _fgt, _gini, _poverty_line

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
