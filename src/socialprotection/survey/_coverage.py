"""Programme coverage from survey microdata (ASPIRE coverage).

Household transfers and the share of persons (or households) reached by each programme.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    boolean_column,
    is_pandas,
    require_columns,
    weights_of,
)
from socialprotection.survey._checks import (
    ANY,
    _cells,
    _check_level,
    _columns,
    _group_codes,
    _households,
    _programme,
    _programme_names,
    _tidy,
)

# ---------------------------------------------------------------------------
# Household transfers
# ---------------------------------------------------------------------------


def household_transfers(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    household: str = "hh_id",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    """Return each household's transfers: total, per-capita transfer and beneficiary flag.

    For household h with ``m_h`` members (its rows in ``frame``):
    total_h = sum of ``{p}_amount`` over its members;
    per-capita transfer T_h = total_h / m_h (the T_i of every member);
    beneficiary B_h = 1 when at least one member is a direct recipient, so every member
    counts as a (direct or indirect) beneficiary, as in ASPIRE.
    The row ``programme = "any"`` sums the amounts of the programmes given and flags a
    household that receives at least one of them.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person, with ``household`` and ``{p}_recipient``, ``{p}_amount``.
    programmes : str or list of str
        Programme names ``p``.
    household : str, default "hh_id"
        Household identifier column.
    size : str or None, default "hh_size"
        Column of declared household sizes; when the frame has it, each household's
        number of rows must equal it (a frame filtered to some members would silently
        lose the other members' benefits). None skips the check.

    Returns
    -------
    pandas.DataFrame
        One row per household and programme (households in order of first appearance):
        ``household``, ``programme``, ``members``, ``recipients`` (direct recipients),
        ``total``, ``per_capita`` and ``beneficiary``.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2],
    ...     "child_benefit_recipient": [True, False, False],
    ...     "child_benefit_amount": [90.0, 0.0, 0.0],
    ... })
    >>> out = household_transfers(frame, "child_benefit")
    >>> out[["hh_id", "programme", "members", "total", "per_capita", "beneficiary"]].values.tolist()
    [[1, 'child_benefit', 2, 90.0, 45.0, True], [1, 'any', 2, 90.0, 45.0, True], \
[2, 'child_benefit', 1, 0.0, 0.0, False], [2, 'any', 1, 0.0, 0.0, False]]
    """
    names = _programme_names(programmes)
    require_columns(
        frame, [household, *_columns(names)], what="household_transfers", one_row_per="person"
    )
    hh = _households(frame, household, size)
    recipients, totals = [], []
    any_recipient = np.zeros(len(frame), dtype=bool)
    for name in names:
        prog = _programme(frame, name, hh)
        recipients.append(prog.recipients)
        totals.append(prog.total)
        any_recipient |= prog.recipient
    recipients.append(np.bincount(hh.codes[any_recipient], minlength=hh.count))
    totals.append(np.sum(totals, axis=0))
    recipients_h = np.column_stack(recipients)
    total_h = np.column_stack(totals)
    k = len(names) + 1
    return pd.DataFrame(
        {
            household: np.repeat(np.asarray(hh.labels), k),
            "programme": np.tile(np.array([*names, ANY], dtype=object), hh.count),
            "members": np.repeat(hh.members, k),
            "recipients": recipients_h.ravel(),
            "total": total_h.ravel(),
            "per_capita": (total_h / hh.members[:, None]).ravel(),
            "beneficiary": (recipients_h > 0).ravel(),
        }
    )


# ---------------------------------------------------------------------------
# Coverage
# ---------------------------------------------------------------------------


def programme_coverage(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    weight: str = "weight",
    by: str | Iterable[str] | None = None,
    household: str = "hh_id",
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Coverage: the weighted share of persons who benefit from each programme.

    .. math:: \mathrm{coverage}_g = \sum_{i \in g} w_i B_i \Big/ \sum_{i \in g} w_i

    With ``level="household"`` (ASPIRE), ``B_i = 1`` when anyone in person i's household
    receives the programme (direct and indirect beneficiaries); with
    ``level="person"``, ``B_i`` is the person's own ``{p}_recipient`` flag.
    The row ``programme = "any"`` is the union of the programmes given: a person is
    counted once however many programmes reach them (or their household).
    No small-sample correction: integer weights give the coverage of the sample
    replicated by its weights.

    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``weight``, ``{p}_recipient`` and (for the household
        level) ``household``.
    programmes : str or list of str
        Programme names ``p``.
    weight : str, default "weight"
        Survey weight column.
    by : str or list of str, optional
        Columns that define population groups (e.g. ``"area"``, ``["region", "sex"]``);
        groups are person attributes, while ``B_i`` still looks at the whole household.
    household : str, default "hh_id"
        Household identifier column (only read at the household level).
    level : {"household", "person"}, default "household"
        Who counts as covered (see above).
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column (see :func:`household_transfers`).

    Returns
    -------
    pandas.DataFrame
        Columns ``[*by, "programme", "numerator", "denominator", "rate", "n_obs"]``:
        numerator = weighted persons covered, denominator = weighted persons in the
        group, rate = numerator / denominator (NaN when the denominator is 0), n_obs =
        persons in the group in the sample (unweighted). Sorted by group, then
        programme in the order given, ``"any"`` last.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "social_pension_recipient": [True, False, False, False, False, False],
    ...     "social_pension_amount": [600.0, 0, 0, 0, 0, 0],
    ... })
    >>> out = programme_coverage(frame, "social_pension")
    >>> row = out.iloc[0]  # household 1 (2 persons of weight 1) out of 13 weighted persons
    >>> print(row.programme, row.numerator, row.denominator, f"{row.rate:.4f}", row.n_obs)
    social_pension 2.0 13.0 0.1538 6
    >>> direct = programme_coverage(frame, "social_pension", level="person")
    >>> print(f'{direct.loc[0, "rate"]:.4f}')  # 1/13
    0.0769
    """
    names = _programme_names(programmes)
    level = _check_level(level)
    by = as_list(by)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.programme_coverage(
            frame, names, weight=weight, by=by, household=household, level=level, size=size
        )
    needed = [weight, *by, *_columns(names, amount=False)]
    if level == "household":
        needed.insert(0, household)
    require_columns(frame, needed, what="coverage", one_row_per="person")
    w = weights_of(frame, weight)
    groups, labels = _group_codes(frame, by)
    n_groups = len(labels)
    if groups is None:
        denominator = np.array([w.sum()])
        n_obs = np.array([len(frame)])
    else:
        denominator = np.bincount(groups, weights=w, minlength=n_groups)
        n_obs = np.bincount(groups, minlength=n_groups)
    numerators = []
    if level == "household":
        hh = _households(frame, household, size)
        cells = _cells(hh, groups, n_groups, w)
        any_h = np.zeros(hh.count, dtype=bool)
        for name in names:
            recipient = boolean_column(frame, f"{name}_recipient")
            receives = np.bincount(hh.codes[recipient], minlength=hh.count) > 0
            any_h |= receives
            numerators.append(cells.total(cells.weight * receives[cells.household], n_groups))
        numerators.append(cells.total(cells.weight * any_h[cells.household], n_groups))
    else:
        any_person = np.zeros(len(frame), dtype=bool)
        for name in [*names, None]:
            if name is None:
                recipient = any_person
            else:
                recipient = boolean_column(frame, f"{name}_recipient")
                any_person |= recipient
            if groups is None:
                numerators.append(np.array([w[recipient].sum()]))
            else:
                numerators.append(
                    np.bincount(groups[recipient], weights=w[recipient], minlength=n_groups)
                )
    k = len(names) + 1
    return _tidy(
        labels,
        [*names, ANY],
        {
            "numerator": np.column_stack(numerators),
            "denominator": np.repeat(denominator[:, None], k, axis=1),
            "n_obs": np.repeat(n_obs[:, None], k, axis=1),
        },
        "rate",
    )
