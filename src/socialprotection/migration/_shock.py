"""Remittances in the synthetic household survey, and a fall in remittances."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from socialprotection._validation import (
    boolean_column,
    numeric_column,
    require_columns,
    weights_of,
)
from socialprotection.survey import (
    _columns,
    _household_column,
    _households,
    _programme_names,
    fgt,
    programme_coverage,
    programmes_in,
    transfer_impact,
)
from socialprotection.synthetic._surveys import _select_share

REMITTANCE_COLUMN = "remittances_pc"
RESPONSE = "shock_response"
RESPONSES = ("horizontal", "vertical")

#: Illustrative remittance parameters of :func:`add_remittances` (no bundled source):
#: the share of households with a migrant member abroad who sends money, and the mean
#: share of the household's consumption before transfers that remittances finance.
REMITTANCE_PARAMETERS = {
    "TJK": {"migrant_household_share": 0.40, "remittance_share": 0.45},
    "LAO": {"migrant_household_share": 0.15, "remittance_share": 0.25},
}


def _share(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1; got {value!r}")
    return float(value)


def add_remittances(
    survey: pd.DataFrame,
    seed: int = 0,
    *,
    migrant_household_share: float | None = None,
    remittance_share: float | None = None,
) -> pd.DataFrame:
    r"""Add remittance income to a synthetic household survey (illustrative, seeded).

    A separate seeded step after :func:`socialprotection.household_survey`, so that
    the survey's own columns stay exactly as they were for the same seed.
    A weighted share ``migrant_household_share`` of households (chosen at random, to
    within one household's weight) has a member working abroad who sends money.
    In each of them, remittances finance a share :math:`s_h` of the household's
    consumption before social protection transfers, with :math:`s_h` drawn from
    Beta(4m, 4(1-m)) and m = ``remittance_share``:

    .. math:: r_h = s_h \, (y_h - T_h)

    with :math:`y_h` the consumption per capita (``consumption_pc``, which already
    includes the remittances) and :math:`T_h` the transfers per capita.
    ``consumption_pc`` is not changed: the remittances are a part of it.

    **Both parameters are illustrative**, not calibrated on any survey: the defaults
    are in :data:`REMITTANCE_PARAMETERS`. A survey of the country (a labour force or
    household budget survey with a migration module) gives the real ones.

    Parameters
    ----------
    survey : pandas.DataFrame
        A frame from :func:`socialprotection.household_survey` (``hh_id``, ``weight``,
        ``hh_size``, ``consumption_pc`` and the programmes' ``_amount`` columns).
    seed : int, default 0
        Seed of this step, independent of the survey's seed.
    migrant_household_share : float, optional
        Share (0 to 1) of households, weighted, with a migrant member abroad.
    remittance_share : float, optional
        Mean share (0 to 1, exclusive) of pre-transfer consumption that remittances
        finance in those households.

    Returns
    -------
    pandas.DataFrame
        A copy with two more columns, repeated on every member: ``migrant_member``
        (bool) and ``remittances_pc`` (remittance income per capita per year, in the
        survey's currency, 0 without a migrant). ``attrs["remittances"]`` holds the
        parameters, the seed and ``illustrative: True``.

    Examples
    --------
    >>> import socialprotection as sp
    >>> survey = add_remittances(sp.household_survey("TJK", 300, seed=1), seed=2)
    >>> homes = survey.drop_duplicates("hh_id")
    >>> round(float(homes["weight"][homes["migrant_member"]].sum() / homes["weight"].sum()), 2)
    0.4
    >>> bool((survey["remittances_pc"] < survey["consumption_pc"]).all())
    True
    """
    require_columns(
        survey,
        ["hh_id", "weight", "hh_size", "consumption_pc"],
        what="survey",
        one_row_per="person",
    )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    country = survey.attrs.get("country", "TJK")
    defaults = REMITTANCE_PARAMETERS.get(country, REMITTANCE_PARAMETERS["TJK"])
    share_h = _share(
        "migrant_household_share",
        defaults["migrant_household_share"]
        if migrant_household_share is None
        else migrant_household_share,
    )
    mean = _share(
        "remittance_share",
        defaults["remittance_share"] if remittance_share is None else remittance_share,
    )
    if not 0 < mean < 1:
        raise ValueError(f"remittance_share must be strictly between 0 and 1; got {mean!r}")
    weights_of(survey, "weight")  # numbers, not negative, not all zero
    hh = _households(survey, "hh_id", "hh_size")
    # The draws are per household: its weight and welfare must be the same on every member.
    weight = _household_column(survey, "weight", hh)
    y = _household_column(survey, "consumption_pc", hh, non_negative=True)
    codes, first, n_households = hh.codes, hh.first, hh.count
    amounts = [c for c in survey.columns if str(c).endswith("_amount")]
    transfers = np.zeros(len(survey))
    for column in amounts:
        transfers += numeric_column(survey, column, non_negative=True)
    members = np.bincount(codes, minlength=n_households)
    transfers_pc = np.bincount(codes, weights=transfers, minlength=n_households) / members
    rng = np.random.default_rng(seed)
    migrant_h = _select_share(rng, None, weight[first], share_h)
    s = rng.beta(4 * mean, 4 * (1 - mean), n_households)
    pre_transfer = np.maximum(y[first] - transfers_pc, 0.0)
    remittances_h = np.where(migrant_h, s * pre_transfer, 0.0)
    out = survey.copy()
    out["migrant_member"] = migrant_h[codes]
    out[REMITTANCE_COLUMN] = remittances_h[codes]
    out.attrs = {
        **survey.attrs,
        "remittances": {
            "seed": int(seed),
            "migrant_household_share": share_h,
            "remittance_share": mean,
            "illustrative": True,
            "note": "illustrative parameters, not calibrated on a survey; remittances are "
            "part of consumption_pc",
        },
    }
    return out


def _shock_frame(
    survey: pd.DataFrame,
    fall: float,
    *,
    poverty_line: float,
    response: str,
    response_pc: float,
    remittances: str,
    welfare: str,
    household: str,
    size: str | None,
) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
    require_columns(
        survey, [remittances, household, welfare], what="remittance_shock", one_row_per="person"
    )
    hh = _households(survey, household, size)
    # Remittances and welfare are per capita in the household: the same on every member.
    r = _household_column(survey, remittances, hh, non_negative=True)
    y = _household_column(survey, welfare, hh, non_negative=True)
    over = r > y * (1 + 1e-12)
    if over.any():
        k = int(np.flatnonzero(over)[0])
        raise ValueError(
            f"row {survey.index[k]}: '{remittances}' ({r[k]:g}) is more than '{welfare}' "
            f"({y[k]:g}); remittances must be a part of the welfare measure"
        )
    shocked = y - fall * r
    poor_after = shocked < poverty_line
    if response == "horizontal":
        receives = poor_after & (r > 0)
    else:
        receives = numeric_column(survey, "social_assistance_amount", non_negative=True) > 0
        receives = (np.bincount(hh.codes, weights=receives, minlength=hh.count) > 0)[hh.codes]
    receives = receives & (response_pc > 0)  # no amount, no response
    frame = survey.copy()
    frame[f"{RESPONSE}_recipient"] = receives
    frame[f"{RESPONSE}_amount"] = np.where(receives, response_pc, 0.0)
    frame["_welfare_after"] = shocked + frame[f"{RESPONSE}_amount"].to_numpy()
    return frame, y, poor_after


def remittance_shock(
    survey: pd.DataFrame,
    fall: float,
    *,
    poverty_line: float,
    response_pc: float = 0.0,
    response: str = "horizontal",
    programmes=("social_assistance",),
    remittances: str = REMITTANCE_COLUMN,
    welfare: str = "consumption_pc",
    weight: str = "weight",
    household: str = "hh_id",
    size: str | None = "hh_size",
) -> pd.DataFrame:
    r"""Poverty and the coverage gap of the poor when remittances fall, with and without a response.

    Remittances per capita :math:`r_i` are part of the welfare :math:`y_i`. A fall by
    the share ``fall`` (0 to 1) gives :math:`y_i - \text{fall} \times r_i`, with no other
    change (no saving, borrowing or new work: an upper bound of the first-round effect).
    A social assistance response pays ``response_pc`` per person per year to every member
    of the households it reaches:

    - ``"horizontal"``: new recipients, the households with remittances that are poor
      after the shock (:math:`y - \text{fall} \, r < z`);
    - ``"vertical"``: a top-up to the households that already receive social assistance.

    Three rows: ``before`` the shock, ``shock`` without response and
    ``shock_and_response``. Poverty is :func:`socialprotection.fgt` (P0, P1, P2; poor
    when strictly below the line) for ``before``; for the two others, it is read from
    :func:`socialprotection.transfer_impact` with the response as the programme
    (``pre`` = without it, ``post`` = with it).
    The coverage gap is in the style of SDG series SI_COV_POOR: the share of poor persons
    whose household receives none of ``programmes`` (ASPIRE household level,
    :func:`socialprotection.programme_coverage`), plus the response in the last row.
    The poor are those below the line before the response (after the shock in the two
    last rows), so that a response that lifts people out of poverty closes the gap by
    reaching them, not by removing them from the count.

    Parameters
    ----------
    survey : pandas.DataFrame
        One row per person, with ``remittances`` (from :func:`add_remittances`),
        ``welfare``, ``weight``, ``household`` and the ``_recipient`` and ``_amount``
        columns of ``programmes``.
    fall : float
        Share of remittances lost, from 0 (no fall) to 1 (all lost).
    poverty_line : float
        Poverty line per capita per year, in the unit of ``welfare``.
    response_pc : float, default 0
        Amount of the response per person per year (0: no response).
    response : {"horizontal", "vertical"}
        Who receives the response (see above).
    programmes : str or list of str, default ("social_assistance",)
        Programmes counted as covering a poor person.

    Returns
    -------
    pandas.DataFrame
        Index ``scenario``; columns ``headcount_p0``, ``poverty_gap_p1``,
        ``severity_p2``, ``poor_persons`` (weighted), ``coverage_gap`` (0 to 1, among
        the poor), ``response_cost`` (weighted total per year) and
        ``benefit_cost_ratio`` (share of the response that closes poverty gaps).

    Examples
    --------
    Two households of one person; the first lives on 60 of remittances out of 100.

    >>> frame = pd.DataFrame({"hh_id": [1, 2], "weight": [1.0, 1.0],
    ...     "consumption_pc": [100.0, 120.0], "remittances_pc": [60.0, 0.0],
    ...     "social_assistance_recipient": [False, False],
    ...     "social_assistance_amount": [0.0, 0.0]})
    >>> out = remittance_shock(frame, 0.5, poverty_line=90, response_pc=10)
    >>> out["headcount_p0"].tolist()  # 100 - 30 = 70 < 90, then 70 + 10 = 80 < 90
    [0.0, 0.5, 0.5]
    >>> [round(v, 4) for v in out["poverty_gap_p1"]]  # (20/90)/2, then (10/90)/2
    [0.0, 0.1111, 0.0556]
    >>> out["coverage_gap"].tolist()
    [nan, 1.0, 0.0]
    """
    fall = _share("the fall in remittances (fall)", fall)
    if response not in RESPONSES:
        raise ValueError(
            f"response must be one of {', '.join(map(repr, RESPONSES))}; got {response!r}"
        )
    if isinstance(response_pc, bool) or not isinstance(response_pc, numbers.Real):
        raise TypeError(f"response_pc must be a number; got {response_pc!r}")
    if not np.isfinite(response_pc) or response_pc < 0:
        raise ValueError(f"response_pc must be a number of at least 0; got {response_pc!r}")
    names = _programme_names(programmes)
    # Read the flags now: the coverage gap does not read them when no one is poor.
    flags = _columns(names, amount=False)
    require_columns(survey, flags, what="remittance_shock")
    for flag in flags:
        boolean_column(survey, flag)
    if response == "vertical" and "social_assistance" not in programmes_in(survey):
        raise KeyError(
            "a vertical response tops up social assistance: the survey needs the columns "
            "'social_assistance_recipient' and 'social_assistance_amount'"
        )
    frame, y, poor_after = _shock_frame(
        survey,
        fall,
        poverty_line=poverty_line,
        response=response,
        response_pc=float(response_pc),
        remittances=remittances,
        welfare=welfare,
        household=household,
        size=size,
    )
    w = weights_of(survey, weight)
    impact = transfer_impact(
        frame,
        RESPONSE,
        welfare="_welfare_after",
        poverty_line=poverty_line,
        weight=weight,
        household=household,
        size=size,
    ).set_index(["programme", "indicator"])

    def gap(poor: np.ndarray, covering: list[str]) -> float:
        if not poor.any():
            return np.nan
        table = programme_coverage(
            frame.assign(_poor=poor),
            covering,
            weight=weight,
            by="_poor",
            household=household,
            size=size,
        )
        row = table[(table["_poor"]) & (table["programme"] == "any")]
        return float(1 - row["rate"].iloc[0])

    poor_before = y < poverty_line
    indicators = ("headcount_p0", "poverty_gap_p1", "severity_p2")
    rows = {
        "before": [fgt(y, poverty_line, a, weights=w) for a in (0, 1, 2)]
        + [float(w[poor_before].sum()), gap(poor_before, names), 0.0, np.nan],
        "shock": [float(impact.loc[(RESPONSE, i), "pre"]) for i in indicators]
        + [float(w[poor_after].sum()), gap(poor_after, names), 0.0, np.nan],
    }
    ratio = impact.loc[(RESPONSE, "benefit_cost_ratio")]
    with_response = frame["_welfare_after"].to_numpy() < poverty_line
    rows["shock_and_response"] = [float(impact.loc[(RESPONSE, i), "post"]) for i in indicators] + [
        float(w[with_response].sum()),
        gap(poor_after, [*names, RESPONSE]),
        float(ratio["denominator"]),
        float(ratio["rate"]),
    ]
    out = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=[
            *indicators,
            "poor_persons",
            "coverage_gap",
            "response_cost",
            "benefit_cost_ratio",
        ],
    )
    out.index.name = "scenario"
    out.attrs.update(
        fall=fall,
        poverty_line=float(poverty_line),
        response=response,
        response_pc=float(response_pc),
        programmes=names,
        synthetic=bool(survey.attrs.get("synthetic", False)),
    )
    return out
