"""Beneficiary and benefit incidence (ASPIRE incidence).

How recipients and transfers are distributed across welfare groups.
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
    _NAMED_GROUPS,
    ANY,
    _cells,
    _check_level,
    _columns,
    _group_codes,
    _household_column,
    _Households,
    _households,
    _programme,
    _programme_names,
    _quantile_groups,
    _tidy,
    programmes_in,
)

# ---------------------------------------------------------------------------
# Incidence
# ---------------------------------------------------------------------------


def _welfare_groups(
    frame: pd.DataFrame,
    hh: _Households,
    w: np.ndarray,
    *,
    welfare: str,
    per_capita: np.ndarray | None,
    n: int,
) -> np.ndarray:
    """Quantile group (1..n) of each household, ranked on welfare minus ``per_capita``.

    Welfare per capita is a household value, the same on every member (checked): the
    members are ties, so households are ranked with the weight of their members (the
    same groups as ranking persons, a fraction of the sorting).
    """
    y = _household_column(frame, welfare, hh)[hh.first]
    ranking = y if per_capita is None else y - per_capita
    household_weight = np.bincount(hh.codes, weights=w, minlength=hh.count)
    return _quantile_groups(ranking, household_weight, n)


def _incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    money: bool,
    group: str,
    weight: str,
    household: str,
    welfare: str,
    pre_transfer: bool,
    level: str,
    size: str | None,
    what: str,
) -> pd.DataFrame:
    names = _programme_names(programmes)
    level = _check_level(level)
    if not is_pandas(frame):
        from socialprotection.survey import _lazy

        return _lazy.incidence(
            frame,
            names,
            money=money,
            group=group,
            weight=weight,
            household=household,
            welfare=welfare,
            pre_transfer=pre_transfer,
            level=level,
            size=size,
            what=what,
            named_groups=_NAMED_GROUPS,
            programmes_in=lambda columns: programmes_in(pd.DataFrame(columns=columns)),
        )
    computed = group not in frame.columns
    if computed and group not in _NAMED_GROUPS:
        require_columns(frame, [group], what=what)
    needed = [household, weight, *_columns(names)]
    if computed:
        needed += [welfare] + (
            _columns(programmes_in(frame), recipient=False) if pre_transfer else []
        )
    require_columns(frame, needed, what=what, one_row_per="person")
    w = weights_of(frame, weight)
    hh = _households(frame, household, size)
    progs = {name: _programme(frame, name, hh) for name in names}
    household_groups = None
    if computed:
        n = _NAMED_GROUPS[group]
        per_capita = None
        if pre_transfer:
            for name in programmes_in(frame):
                if name not in progs:
                    progs[name] = _programme(frame, name, hh)
            per_capita = np.sum([prog.total for prog in progs.values()], axis=0) / hh.members
        household_groups = (
            _welfare_groups(frame, hh, w, welfare=welfare, per_capita=per_capita, n=n) - 1
        )
        codes = household_groups[hh.codes] if level == "person" else None
        labels = pd.DataFrame({group: np.arange(1, n + 1)})
    else:
        codes, labels = _group_codes(frame, [group])
    n_groups = len(labels)
    cells = _cells(hh, codes, n_groups, w, household_groups)
    numerators, counts = [], []
    any_recipient = np.zeros(len(frame), dtype=bool)
    any_total = np.zeros(hh.count)
    any_amount = np.zeros(len(frame))
    for name in [*names, None]:
        if name is None:
            recipient, amount = any_recipient, any_amount
            receives, total = np.bincount(hh.codes[recipient], minlength=hh.count) > 0, any_total
        else:
            prog = progs[name]
            recipient, amount, total = prog.recipient, prog.amount, prog.total
            receives = prog.recipients > 0
            any_recipient |= recipient
            any_total = any_total + total
            if money and level == "person":
                any_amount = any_amount + amount
        if level == "household":
            counts.append(cells.total(cells.count * receives[cells.household], n_groups))
            per_person = (total / hh.members) if money else receives
            numerators.append(cells.total(cells.weight * per_person[cells.household], n_groups))
        else:
            counts.append(np.bincount(codes[recipient], minlength=n_groups))
            values = w * amount if money else w * recipient
            numerators.append(np.bincount(codes, weights=values, minlength=n_groups))
    numerator = np.column_stack(numerators)
    return _tidy(
        labels,
        [*names, ANY],
        {
            "numerator": numerator,
            "denominator": np.repeat(numerator.sum(axis=0)[None, :], n_groups, axis=0),
            "n_obs": np.column_stack(counts),
        },
        "share",
    )


_INCIDENCE_PARAMETERS = """
    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person, with ``household``, ``weight``, ``{p}_recipient``,
        ``{p}_amount`` and, for computed quantile groups, ``welfare``.
    programmes : str or list of str
        Programme names ``p``.
    group : str, default "quintile"
        A column of ``frame`` that holds precomputed groups (used as it is: quintiles
        made elsewhere, region, sex...). When the frame has no such column, ``"quintile"``,
        ``"quartile"`` or ``"decile"`` computes the weighted quantile groups of welfare
        per capita with :func:`quintiles` (all persons, weighted), pre-transfer by
        default: ``welfare`` minus the per-capita transfers of ALL the programmes in
        the frame (:func:`programmes_in`), not only the ones given, so the ranking does
        not depend on which programmes are studied.
    weight : str, default "weight"
        Survey weight column.
    household : str, default "hh_id"
        Household identifier column.
    welfare : str, default "consumption_pc"
        Post-transfer welfare per capita, used only to compute the groups: a household
        value, the same on every member (a value that differs is refused).
    pre_transfer : bool, default True
        Rank on ``welfare`` minus all transfers (True) or on ``welfare`` as it is (False);
        ASPIRE publishes both.
    level : {"household", "person"}, default "household"
        ``"household"``: every member of a receiving household is a beneficiary and
        receives the per-capita transfer T_i (ASPIRE); ``"person"``: direct recipients
        and their own amounts only.
    size : str or None, default "hh_size"
        Declared household size, checked against each household's number of rows
        when the frame has that column.
"""


def beneficiary_incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    group: str = "quintile",
    weight: str = "weight",
    household: str = "hh_id",
    welfare: str = "consumption_pc",
    pre_transfer: bool = True,
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Beneficiary incidence: the share of a programme's beneficiaries in each group.

    .. math:: \mathrm{incidence}_q = \sum_{i \in q} w_i B_i \Big/ \sum_i w_i B_i
    {params}

    Returns
    -------
    pandas.DataFrame
        Columns ``[group, "programme", "numerator", "denominator", "share", "n_obs"]``:
        numerator = weighted beneficiaries in the group, denominator = weighted
        beneficiaries in all groups, share = numerator / denominator (shares sum to 1
        over the groups of a programme; NaN when the programme has no beneficiary),
        n_obs = beneficiaries in the group in the sample (unweighted).
        Computed quantile groups are all listed, 1..n, even when empty.
        The row ``"any"`` takes the beneficiaries of at least one of the programmes.
        Integer weights give the incidence of the sample replicated by its weights.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "tercile": [3, 3, 2, 1, 1, 1],
    ...     "social_assistance_recipient": [False, False, True, True, False, False],
    ...     "social_assistance_amount": [0.0, 0.0, 30.0, 45.0, 0.0, 0.0],
    ... })
    >>> out = beneficiary_incidence(frame, "social_assistance", group="tercile")
    >>> out.query("programme == 'social_assistance'")["share"].round(4).tolist()  # 9/11, 2/11, 0
    [0.8182, 0.1818, 0.0]
    """
    return _incidence(
        frame,
        programmes,
        money=False,
        group=group,
        weight=weight,
        household=household,
        welfare=welfare,
        pre_transfer=pre_transfer,
        level=level,
        size=size,
        what="beneficiary_incidence",
    )


def benefit_incidence(
    frame: pd.DataFrame,
    programmes: str | Iterable[str],
    *,
    group: str = "quintile",
    weight: str = "weight",
    household: str = "hh_id",
    welfare: str = "consumption_pc",
    pre_transfer: bool = True,
    level: str = "household",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Benefit incidence: the share of a programme's money that goes to each group.

    .. math:: \mathrm{incidence}_q = \sum_{i \in q} w_i T_i \Big/ \sum_i w_i T_i

    With per-capita transfers T_i and household weights, the denominator is the
    programme's total weighted spending in the survey.
    {params}

    Returns
    -------
    pandas.DataFrame
        Columns ``[group, "programme", "numerator", "denominator", "share", "n_obs"]``:
        numerator = weighted transfers received in the group, denominator = weighted
        transfers in all groups, share = numerator / denominator (shares sum to 1 over
        the groups of a programme; NaN when the programme pays nothing), n_obs =
        beneficiaries in the group in the sample (unweighted).
        Computed quantile groups are all listed, 1..n, even when empty.
        The row ``"any"`` sums the programmes given.
        Integer weights give the incidence of the sample replicated by its weights.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "hh_id": [1, 1, 2, 3, 3, 3],
    ...     "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
    ...     "tercile": [3, 3, 2, 1, 1, 1],
    ...     "social_assistance_recipient": [False, False, True, True, False, False],
    ...     "social_assistance_amount": [0.0, 0.0, 30.0, 45.0, 0.0, 0.0],
    ... })
    >>> out = benefit_incidence(frame, "social_assistance", group="tercile")
    >>> shares = out.query("programme == 'social_assistance'")
    >>> shares[["numerator", "share"]].round(4).values.tolist()  # 135/195, 60/195, 0
    [[135.0, 0.6923], [60.0, 0.3077], [0.0, 0.0]]
    """
    return _incidence(
        frame,
        programmes,
        money=True,
        group=group,
        weight=weight,
        household=household,
        welfare=welfare,
        pre_transfer=pre_transfer,
        level=level,
        size=size,
        what="benefit_incidence",
    )


beneficiary_incidence.__doc__ = beneficiary_incidence.__doc__.replace(
    "{params}", _INCIDENCE_PARAMETERS
)
benefit_incidence.__doc__ = benefit_incidence.__doc__.replace("{params}", _INCIDENCE_PARAMETERS)
