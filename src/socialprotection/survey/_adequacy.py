"""Adequacy of benefits from survey microdata (ASPIRE adequacy).

The transfer as a share of the welfare of the persons who receive it.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    is_pandas,
    require_columns,
    weights_of,
)
from socialprotection.survey._checks import (
    ANY,
    _cells,
    _columns,
    _group_codes,
    _household_column,
    _households,
    _programme,
    _programme_names,
    _tidy,
)

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
