"""The synthetic household survey.

The frame, its calibration report and :func:`household_survey`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import pandas as pd

from socialprotection.synthetic._surveys._calibration import (
    _SERIES,
    AREAS,
    BENEFIT_LEVELS,
    CALIBRATION,
    CALIBRATION_YEAR,
    CHILD_MAX_AGE,
    ILLUSTRATIVE,
    PROGRAMMES,
    SEXES,
    _check_country,
    _inputs,
)
from socialprotection.synthetic._surveys._households import (
    _Draw,
    _draw_consumption,
    _draw_households,
    _draw_statuses,
)
from socialprotection.synthetic._surveys._parameters import _check_size, _parameters
from socialprotection.synthetic._surveys._programmes import _draw_amounts, _draw_programmes


def _frame(draw: _Draw) -> pd.DataFrame:
    hh = draw.hh
    columns: dict[str, object] = {
        "hh_id": hh + 1,
        "person_id": np.arange(1, draw.N + 1, dtype=np.int32),
        "weight": draw.weight,
        "region": pd.Categorical.from_codes(draw.region_h[hh], categories=draw.region_names),
        "area": pd.Categorical.from_codes(draw.urban_h.astype(np.int8)[hh], categories=AREAS),
        "hh_size": draw.sizes[hh],
        "age": draw.age,
        "sex": pd.Categorical.from_codes(draw.sex, categories=SEXES),
        "consumption_pc": draw.consumption_pc,
    }
    for programme in PROGRAMMES:
        columns[f"{programme}_recipient"] = draw.recipient[programme]
        columns[f"{programme}_amount"] = draw.amount[programme]
    columns.update(
        contributor=draw.contributor,
        severe_disability=draw.severe,
        in_labour_force=draw.in_lf,
        unemployed=draw.unemployed,
        synthetic=np.ones(draw.N, dtype=bool),
    )
    return pd.DataFrame(columns, copy=False)


def _calibration_report(draw: _Draw, country: str, inputs: dict, par: dict) -> dict:
    """Targets, their sources and the weighted values achieved in this frame."""
    weight, recipient = draw.weight, draw.recipient

    def rate(numerator: np.ndarray, denominator: np.ndarray) -> float:
        total = float(weight.sum(where=denominator))
        return float(weight.sum(where=numerator & denominator)) / total if total else math.nan

    achieved = {
        "SI_COV_PENSN": rate(
            recipient["old_age_pension"] | recipient["social_pension"],
            draw.age >= draw.pension_age,
        ),
        "SI_COV_CHLD": rate(recipient["child_benefit"], draw.age <= CHILD_MAX_AGE),
        "SI_COV_DISAB": rate(recipient["disability_benefit"], draw.severe),
        "SI_COV_UEMP": rate(recipient["unemployment_benefit"], draw.unemployed),
        "SI_COV_VULN": float(weight.sum(where=recipient["social_assistance"]))
        / float(weight.sum(where=draw.vulnerable)),
    }
    report: dict[str, object] = {}
    for series in _SERIES:
        published = inputs["coverage"][series]
        if series in par["overridden"]:
            year, source = None, "keyword argument `coverage`"
        elif published is None:
            year, source = None, "illustrative (no published series bundled)"
        else:
            year, source = published[1], CALIBRATION[series]["source"]
        report[series] = {
            "target": par["targets"][series],
            "year": year,
            "source": source,
            "achieved": achieved[series],
        }
    covered = draw.contributor.copy()
    for programme in PROGRAMMES:
        covered |= recipient[programme]
    headline = inputs["coverage"]["SI_COV_BENFTS"]
    report["SI_COV_BENFTS"] = {
        "published": None if headline is None else headline[0],
        "year": None if headline is None else headline[1],
        "source": CALIBRATION["SI_COV_BENFTS"]["source"],
        "achieved": float(weight.sum(where=covered)) / inputs["population"],
        "calibrated": False,
    }
    report["population"] = {
        "value": inputs["population"],
        "year": CALIBRATION_YEAR,
        "source": CALIBRATION["population"]["source"],
    }
    report["statutory_pension_age"] = {
        **inputs["pension_age"],
        "social_pension": dict(inputs["social_pension_age"]),
        "outdated": country == "LAO",
    }
    for name in ("labour_force_participation", "unemployment_rate"):
        report[name] = {**par[name], "year": CALIBRATION_YEAR}
    report["gini"] = {"value": inputs["gini"][0], "year": inputs["gini"][1]}
    report["illustrative"] = {
        name: par[name]
        for name in (
            "contributor_share",
            "severe_disability_prevalence",
            "social_pension_share",
            "mean_household_size",
            "urban_share",
            "mean_consumption_pc",
            "targeting_noise",
            "urban_premium",
        )
    }
    report["illustrative"]["benefit_amounts"] = {
        p: BENEFIT_LEVELS[p] * par["mean_consumption_pc"] for p in PROGRAMMES
    }
    return report


def household_survey(
    country: str = "TJK",
    n_households: int = 2_000,
    seed: int = 0,
    *,
    coverage: Mapping[str, float] | None = None,
    contributor_share: float | None = None,
    severe_disability_prevalence: float | None = None,
    labour_force_participation: float | Mapping[str, float] | None = None,
    unemployment_rate: float | Mapping[str, float] | None = None,
    social_pension_share: float | None = None,
    mean_household_size: float | None = None,
    urban_share: float | None = None,
    mean_consumption_pc: float | None = None,
    targeting_noise: float | None = None,
) -> pd.DataFrame:
    """Build a synthetic person-level household survey shaped like Tajikistan or Lao PDR.

    The data are synthetic: see the module docstring for what is calibrated on
    published data (age-sex structure, population, SDG 1.3.1 contingency coverage,
    labour force and unemployment) and what is illustrative. One row per person, with
    the household columns repeated on each member. Persons are sorted by household;
    households are numbered from 1. Everything is vectorised: ten million persons take
    a few seconds.

    Parameters
    ----------
    country : {"TJK", "LAO"}
        ISO3 code of the country the survey is shaped like.
    n_households : int, default 2000
        Number of households, from 100 to 5,000,000. The number of persons is about
        ``n_households`` x the mean household size (6.0 for TJK, 5.0 for LAO by default).
    seed : int, default 0
        Seed of ``numpy.random.default_rng``: the same arguments give the same frame.
    coverage : mapping of str to float, optional
        Replace published coverage targets, as shares between 0 and 1, keyed by series
        code (``"SI_COV_PENSN"``, ``"SI_COV_CHLD"``, ``"SI_COV_DISAB"``,
        ``"SI_COV_UEMP"``, ``"SI_COV_VULN"``), for what-if exercises.
    contributor_share : float, optional
        Share of employed persons of working age (15 to pensionable age) who contribute
        to social insurance. Illustrative default: 0.43 (TJK), 0.065 (LAO), chosen so
        that the headline (union of all flags) lands near the published SI_COV_BENFTS.
    severe_disability_prevalence : float, optional
        Share of the population with a severe disability. Illustrative default 0.02,
        more frequent with age. The ILO uses WHO prevalence ratios, which are not bundled.
    labour_force_participation, unemployment_rate : float or mapping, optional
        Shares (not percent), one for both sexes or ``{"female": .., "male": ..}``.
        Participation is a share of the population aged 15+, unemployment a share of
        the labour force. Default: WDI modelled ILO estimates for 2022.
    social_pension_share : float, optional
        Share of pension recipients who get the non-contributory social pension rather
        than the contributory pension (only persons at or above the social pension age
        qualify). Illustrative default 0.10.
    mean_household_size : float, optional
        Mean number of persons per household, from 2 to 15. Illustrative.
    urban_share : float, optional
        Share of the population living in urban areas. Illustrative: 0.28 (TJK), 0.37 (LAO).
    mean_consumption_pc : float, optional
        Weighted mean pre-transfer consumption per capita per year, in local currency.
        Default: 70 % of 2022 GDP per capita in local currency (illustrative).
    targeting_noise : float, optional
        Standard deviation of the noise added to log consumption when households are
        ranked for social assistance (0: perfect targeting on pre-transfer consumption).
        Illustrative default 0.6.

    Returns
    -------
    pandas.DataFrame
        Columns and dtypes as in :data:`DTYPES`:

        - ``hh_id``, ``person_id`` (unique), ``weight`` (household weight repeated on
          each member; person weights sum to the WPP 2022 population);
        - ``region``, ``area`` ("rural"/"urban"), ``hh_size``, ``age`` (0..100),
          ``sex`` ("female"/"male");
        - ``consumption_pc``: household consumption per capita per year after transfers,
          in TJS or LAK (illustrative level). Pre-transfer welfare is ``consumption_pc``
          minus the household's summed ``*_amount`` divided by ``hh_size``; it is
          always positive;
        - ``{p}_recipient`` and ``{p}_amount`` (annual, local currency, 0 when not a
          recipient; float32) for each programme in :data:`PROGRAMMES`. The child
          benefit is recorded on each child aged 0-15 of a recipient household; social
          assistance on every member of a recipient household, with the household
          amount split equally;
        - ``contributor``, ``severe_disability``, ``in_labour_force``, ``unemployed``;
        - ``synthetic`` (all True).

        ``frame.attrs`` holds ``synthetic`` (True), ``country``, ``seed``,
        ``n_households``, ``n_persons``, ``currency`` and ``calibration``: for each
        target its value, year, source and the weighted value achieved in this frame,
        and the illustrative parameters used.

    Raises
    ------
    ValueError
        If ``country`` is not "TJK" or "LAO", ``n_households`` is out of range, the seed
        is negative, a share is outside [0, 1] or a ``coverage`` key is unknown.
    TypeError
        If ``n_households`` is not an integer.

    Examples
    --------
    >>> frame = household_survey("TJK", n_households=500, seed=1)
    >>> frame.attrs["synthetic"], bool(frame["synthetic"].all())
    (True, True)
    >>> population = frame.attrs["calibration"]["population"]["value"]
    >>> round(float(frame["weight"].sum()) / population, 9)
    1.0
    >>> pensn = frame.attrs["calibration"]["SI_COV_PENSN"]
    >>> pensn["target"], pensn["year"], abs(pensn["achieved"] - pensn["target"]) < 0.01
    (0.937, 2020, True)
    """
    country = _check_country(country)
    n_households, seed = _check_size(n_households, seed)
    inputs = _inputs(country)
    par = _parameters(
        country,
        inputs,
        {
            "coverage": coverage,
            "contributor_share": contributor_share,
            "severe_disability_prevalence": severe_disability_prevalence,
            "labour_force_participation": labour_force_participation,
            "unemployment_rate": unemployment_rate,
            "social_pension_share": social_pension_share,
            "mean_household_size": mean_household_size,
            "urban_share": urban_share,
            "mean_consumption_pc": mean_consumption_pc,
            "targeting_noise": targeting_noise,
        },
    )
    draw = _Draw(np.random.default_rng(seed), n_households)
    _draw_households(draw, country, inputs, par)
    _draw_consumption(draw, inputs, par)
    _draw_statuses(draw, inputs, par)
    _draw_programmes(draw, par)
    _draw_amounts(draw, par)
    frame = _frame(draw)
    frame.attrs.update(
        synthetic=True,
        country=country,
        seed=seed,
        n_households=n_households,
        n_persons=draw.N,
        currency=ILLUSTRATIVE[country]["currency"],
        calibration=_calibration_report(draw, country, inputs, par),
    )
    return frame
