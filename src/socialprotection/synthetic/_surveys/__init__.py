r"""Synthetic household surveys shaped like Tajikistan or Lao PDR, for teaching and testing.

:func:`household_survey` returns one person-level table (household columns repeated
on every member) with survey weights, demography, per-capita consumption, receipt of
six social protection programmes and the labour and disability status needed for the
SDG 1.3.1 denominators.
**The data are synthetic.** Every frame says so: a ``synthetic`` column that is all
True and ``frame.attrs["synthetic"] = True``. Never quote a number computed from it
as a fact about the country.

What is calibrated on bundled, published data (see :data:`CALIBRATION`)
-----------------------------------------------------------------------
- Age and sex: UN World Population Prospects 2022 (probabilistic median), year 2022,
  dataset ``pop_age_sex_wpp2022_projections``. Five-year groups are split uniformly
  into single years; the open group 100+ becomes age 100. Ages are drawn by
  systematic sampling, so the unweighted count of each single-year age-sex cell is
  within two persons of n_persons x its WPP share; weighted shares match in
  expectation (the weights do not depend on age).
- Total population: the weights sum to the WPP 2022 total population (both sexes),
  so weighted totals are national totals.
- Programme coverage: the latest year of each SDG 1.3.1 contingency series in
  ``sdg_social_protection_poverty_labour`` (UN SDG Global Database, custodian ILO),
  both sexes. With :math:`w_i` the person weight:

  * SI_COV_PENSN = sum w_i [age_i >= a_s and (old_age_pension_i or social_pension_i)]
    / sum w_i [age_i >= a_s], with :math:`a_s` the statutory pensionable age of the
    person's sex (``statutory_pension_age``: Tajikistan men 63, women 58; Lao PDR 60
    for both sexes). "Above pensionable age" is read as "at or above".
  * SI_COV_CHLD = sum w_i [age_i <= 15 and child_benefit_i] / sum w_i [age_i <= 15]
    (children aged 0-15, the ILO-UNICEF convention in the methods reference).
    The benefit is paid for every child aged 0-15 of a selected household, and
    households are selected at random among households with children, so the share of
    households with children that receive it equals the same target in expectation:
    the child-based and the household-based readings of the series agree.
  * SI_COV_DISAB = sum w_i [severe_disability_i and disability_benefit_i]
    / sum w_i severe_disability_i. Only persons with a severe disability receive it.
  * SI_COV_UEMP = sum w_i [unemployed_i and unemployment_benefit_i] / sum w_i unemployed_i.
  * SI_COV_VULN = sum w_i social_assistance_i / sum w_i vulnerable_i, where vulnerable
    = neither contributing nor receiving a contributory benefit
    (:data:`CONTRIBUTORY_PROGRAMMES`: old_age_pension, unemployment_benefit). This is
    the ILO definition (total population minus working-age persons contributing to or
    receiving contributory benefits, minus persons above pensionable age receiving a
    contributory pension): children are all vulnerable, because nobody under 15
    contributes or draws a contributory benefit. The numerator counts all recipients,
    as the ILO counts administrative recipients.

  Lao PDR publishes no SI_COV_CHLD in the bundled data: its child benefit coverage is
  an illustrative parameter (see :data:`ILLUSTRATIVE`).
- Labour force participation (% of population 15+) and unemployment rate
  (% of labour force), by sex: WDI modelled ILO estimates for 2022
  (``wdi_macro_poverty_labour``: SL.TLF.CACT.FE.ZS, SL.TLF.CACT.MA.ZS,
  SL.UEM.TOTL.FE.ZS, SL.UEM.TOTL.MA.ZS). They define ``in_labour_force`` and
  ``unemployed``.
- Consumption: the spread of log pre-transfer per-capita consumption is set from the
  WDI Gini index (SI.POV.GINI, year nearest 2022) through the log-normal relation
  :math:`G = 2\Phi(\sigma/\sqrt{2}) - 1`; its mean is an illustrative 70 % of GDP per
  capita (NY.GDP.PCAP.CD x PA.NUS.FCRF, 2022) in local currency: Tajik somoni (TJS) or
  Lao kip (LAK). **The consumption level is illustrative**: it is not calibrated on any
  consumption survey.

How the targets are hit
-----------------------
Recipients are chosen by exact-share assignment: the eligible persons (or households)
are put in a random order (a weighted random order where a priority applies, for
example poorer households first for social assistance, with noise), and the first ones
are taken until their summed weight is as close as possible to target x the weighted
size of the group. The weighted coverage then equals the target to within one
person's (or household's) weight, at any sample size and for every seed.

What is illustrative (no bundled source)
----------------------------------------
Household size, urban share, regional shares, severe disability prevalence,
contributor share, split between contributory and social pensions, benefit amounts,
urban premium and targeting noise: keyword arguments or documented constants
(:data:`ILLUSTRATIVE`, :data:`REGIONS`, :data:`BENEFIT_LEVELS`). Fixed in the code, also
illustrative: household size 1 + Poisson(mean - 1); heads are adults, more often men
and older; age profiles of labour force participation, unemployment (twice as likely
under 25) and severe disability (more frequent with age); contributors more likely in
richer and urban households; a sample allocation proportional to the square root of
each region's population with a log-normal non-response factor (sd 0.25) before
post-stratification on region x area; per-capita consumption lower in larger
households; contributory pensions spread log-normally (sd 0.3) around their level.
Benefit amounts are set as shares of the mean pre-transfer per-capita consumption and
are therefore illustrative amounts in local currency.
The contributor share defaults are set so that the union of all flags (the SDG 1.3.1
headline) lands near the published SI_COV_BENFTS; the headline is reported in
``attrs["calibration"]`` for comparison but is not a calibration target.

Warnings
--------
The Lao PDR statutory pension age (60 for both sexes) comes from the 2006 edition of
*Social Security Programs Throughout the World*, which the bundled file flags as
OUTDATED (a later Social Security Law and a 2025 regulation are not captured).
Tajikistan's social pension ages (65 men, 60 women) come from the 2012 edition.
Lao region names are the 17 provinces and Vientiane Capital; Tajikistan's are its
four first-level regions and the capital. Their population shares are rough,
illustrative values, not census figures.

Sources: UN DESA, World Population Prospects 2022; UN SDG Global Database (ILO series
for SDG 1.3.1); World Bank, World Development Indicators; US SSA, Social Security
Programs Throughout the World: Asia and the Pacific (2006, 2012, 2018 editions).
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Mapping
from statistics import NormalDist

import numpy as np
import pandas as pd

from socialprotection.datasets import load

__all__ = [
    "BENEFIT_LEVELS",
    "CALIBRATION",
    "COUNTRIES",
    "CONTRIBUTORY_PROGRAMMES",
    "DTYPES",
    "ILLUSTRATIVE",
    "PROGRAMMES",
    "REGIONS",
    "calibration_targets",
    "household_survey",
]

COUNTRIES = ("TJK", "LAO")

#: The six programmes; each has a ``{p}_recipient`` (bool) and ``{p}_amount`` column.
PROGRAMMES = (
    "old_age_pension",
    "social_pension",
    "social_assistance",
    "child_benefit",
    "unemployment_benefit",
    "disability_benefit",
)

#: Programmes financed by contributions: their recipients are not "vulnerable" (SI_COV_VULN).
CONTRIBUTORY_PROGRAMMES = ("old_age_pension", "unemployment_benefit")

CALIBRATION_YEAR = 2022
CHILD_MAX_AGE = 15
WORKING_AGE_MIN = 15
MAX_AGE = 100
MIN_HOUSEHOLDS = 100
MAX_HOUSEHOLDS = 5_000_000
MAX_HOUSEHOLD_SIZE = 30

#: What each target is, its source (bundled dataset and series) and how the year is chosen.
CALIBRATION = {
    "population": {
        "source": "UN DESA, World Population Prospects 2022 (probabilistic median)",
        "dataset": "pop_age_sex_wpp2022_projections",
        "year": CALIBRATION_YEAR,
        "use": "age-sex structure (five-year groups split uniformly) and sum of weights",
    },
    "SI_COV_PENSN": {
        "source": "UN SDG Global Database, ILO series, both sexes",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
        "numerator": "persons at or above statutory pensionable age receiving "
        "old_age_pension or social_pension",
        "denominator": "persons at or above statutory pensionable age (by sex)",
    },
    "SI_COV_CHLD": {
        "source": "UN SDG Global Database, ILO series, both sexes",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
        "numerator": "children aged 0-15 receiving child_benefit",
        "denominator": "children aged 0-15",
    },
    "SI_COV_DISAB": {
        "source": "UN SDG Global Database, ILO series, both sexes",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
        "numerator": "persons with severe disability receiving disability_benefit",
        "denominator": "persons with severe disability",
    },
    "SI_COV_UEMP": {
        "source": "UN SDG Global Database, ILO series, both sexes",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
        "numerator": "unemployed persons receiving unemployment_benefit",
        "denominator": "unemployed persons",
    },
    "SI_COV_VULN": {
        "source": "UN SDG Global Database, ILO series, both sexes",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
        "numerator": "social_assistance recipients (all members of recipient households)",
        "denominator": "vulnerable persons: not contributor and not receiving "
        "old_age_pension or unemployment_benefit",
    },
    "statutory_pension_age": {
        "source": "US SSA, Social Security Programs Throughout the World: Asia and the Pacific",
        "dataset": "statutory_pension_age",
        "year": "edition in the file (TJK 2018; LAO 2006, flagged OUTDATED)",
    },
    "labour_force_participation": {
        "source": "World Bank WDI, modelled ILO estimates, % of population 15+",
        "dataset": "wdi_macro_poverty_labour",
        "indicator": {"female": "SL.TLF.CACT.FE.ZS", "male": "SL.TLF.CACT.MA.ZS"},
        "year": CALIBRATION_YEAR,
    },
    "unemployment_rate": {
        "source": "World Bank WDI, modelled ILO estimates, % of labour force",
        "dataset": "wdi_macro_poverty_labour",
        "indicator": {"female": "SL.UEM.TOTL.FE.ZS", "male": "SL.UEM.TOTL.MA.ZS"},
        "year": CALIBRATION_YEAR,
    },
    "gini": {
        "source": "World Bank WDI, Gini index (sets the log-normal spread of consumption)",
        "dataset": "wdi_macro_poverty_labour",
        "indicator": "SI.POV.GINI",
        "year": f"nearest to {CALIBRATION_YEAR}",
    },
    "mean_consumption_pc": {
        "source": "illustrative: 70 % of GDP per capita in local currency",
        "dataset": "wdi_macro_poverty_labour",
        "indicator": "NY.GDP.PCAP.CD x PA.NUS.FCRF",
        "year": CALIBRATION_YEAR,
    },
    "SI_COV_BENFTS": {
        "source": "UN SDG Global Database, ILO series, both sexes (reported, not calibrated)",
        "dataset": "sdg_social_protection_poverty_labour",
        "year": "latest available",
    },
}

#: Illustrative parameters without a bundled source (defaults of the keyword arguments).
ILLUSTRATIVE = {
    "TJK": {
        "currency": "TJS (Tajik somoni)",
        "mean_household_size": 6.0,
        "urban_share": 0.28,
        "capital_urban_share": 1.0,
        "severe_disability_prevalence": 0.02,
        "contributor_share": 0.43,
        "social_pension_share": 0.10,
        "child_benefit_coverage": None,  # published SI_COV_CHLD is used
        "urban_premium": 0.30,
        "targeting_noise": 0.60,
        "consumption_share_of_gdp": 0.70,
    },
    "LAO": {
        "currency": "LAK (Lao kip)",
        "mean_household_size": 5.0,
        "urban_share": 0.37,
        "capital_urban_share": 0.80,
        "severe_disability_prevalence": 0.02,
        "contributor_share": 0.065,
        "social_pension_share": 0.10,
        "child_benefit_coverage": 0.05,  # no published SI_COV_CHLD for Lao PDR
        "urban_premium": 0.35,
        "targeting_noise": 0.60,
        "consumption_share_of_gdp": 0.70,
    },
}

#: First-level regions and illustrative population shares (rough, not census figures).
#: The first region is the capital.
REGIONS = {
    "TJK": {
        "Dushanbe": 0.11,
        "Sughd": 0.27,
        "Khatlon": 0.36,
        "Districts of Republican Subordination": 0.235,
        "Gorno-Badakhshan": 0.025,
    },
    "LAO": {
        "Vientiane Capital": 0.13,
        "Phongsaly": 0.027,
        "Luang Namtha": 0.027,
        "Oudomxay": 0.046,
        "Bokeo": 0.027,
        "Luang Prabang": 0.065,
        "Houaphanh": 0.044,
        "Xayabouly": 0.056,
        "Xiangkhouang": 0.037,
        "Vientiane Province": 0.06,
        "Borikhamxay": 0.04,
        "Khammouane": 0.058,
        "Savannakhet": 0.14,
        "Salavan": 0.06,
        "Sekong": 0.017,
        "Champasak": 0.10,
        "Attapeu": 0.02,
        "Xaisomboun": 0.013,
    },
}

#: Annual benefit per recipient as a share of the mean pre-transfer per-capita consumption
#: (illustrative). social_assistance is per household, split equally among its members.
BENEFIT_LEVELS = {
    "old_age_pension": 0.60,
    "social_pension": 0.30,
    "social_assistance": 0.40,
    "child_benefit": 0.08,
    "unemployment_benefit": 0.35,
    "disability_benefit": 0.45,
}

#: Column names and dtypes of :func:`household_survey`, in order. Categories: region as in
#: :data:`REGIONS`, area "rural"/"urban", sex "female"/"male".
DTYPES = {
    "hh_id": "int32",
    "person_id": "int32",
    "weight": "float64",
    "region": "category",
    "area": "category",
    "hh_size": "int16",
    "age": "int16",
    "sex": "category",
    "consumption_pc": "float64",
    **{
        f"{p}_{suffix}": dtype
        for p in PROGRAMMES
        for suffix, dtype in (("recipient", "bool"), ("amount", "float32"))
    },
    "contributor": "bool",
    "severe_disability": "bool",
    "in_labour_force": "bool",
    "unemployed": "bool",
    "synthetic": "bool",
}

SEXES = ("female", "male")
AREAS = ("rural", "urban")
_SERIES = ("SI_COV_PENSN", "SI_COV_CHLD", "SI_COV_DISAB", "SI_COV_UEMP", "SI_COV_VULN")


# --------------------------------------------------------------------------- inputs


def _latest_series(sdg: pd.DataFrame, country: str, series: str) -> tuple[float, int] | None:
    rows = sdg[
        (sdg["iso3"] == country)
        & (sdg["series_code"] == series)
        & (sdg["disaggregation"] == "sex=bothsex")
    ].dropna(subset=["value"])
    if rows.empty:
        return None
    row = rows.sort_values("year").iloc[-1]
    return float(row["value"]) / 100, int(row["year"])


def _wdi_value(wdi: pd.DataFrame, country: str, code: str, *, nearest: bool) -> tuple[float, int]:
    rows = wdi[(wdi["iso3"] == country) & (wdi["indicator_code"] == code)].dropna(subset=["value"])
    if rows.empty:
        raise ValueError(f"wdi_macro_poverty_labour has no value of {code} for {country}")
    if not nearest:
        exact = rows[rows["year"] == CALIBRATION_YEAR]
        if exact.empty:
            raise ValueError(f"wdi_macro_poverty_labour has no {code} for {country} in 2022")
        return float(exact["value"].iloc[0]), CALIBRATION_YEAR
    distance = (rows["year"].astype(int) - CALIBRATION_YEAR).abs()
    best = rows.assign(distance=distance).sort_values(["distance", "year"]).iloc[0]
    return float(best["value"]), int(best["year"])


@functools.cache
def _inputs(country: str) -> dict:
    """Read every published input for ``country`` from the bundled datasets (cached)."""
    wpp = load("pop_age_sex_wpp2022_projections")
    wpp = wpp[(wpp["iso3"] == country) & (wpp["year"] == CALIBRATION_YEAR)]
    cells = np.zeros((2, MAX_AGE + 1))
    for sex_code, sex in enumerate(SEXES):
        rows = wpp[wpp["sex"] == sex]
        for start, thousands in zip(
            rows["age_start"].astype(int), rows["pop_thousands"].astype(float), strict=True
        ):
            if start >= MAX_AGE:
                cells[sex_code, MAX_AGE] += thousands * 1000
            else:
                cells[sex_code, start : start + 5] += thousands * 1000 / 5
    population = float(cells.sum())

    ages = load("statutory_pension_age")
    ages = ages[ages["iso3"] == country]

    def _age(benefit: str, sex: str) -> int | None:
        rows = ages[(ages["benefit"] == benefit) & ages["sex"].isin([sex, "both"])]
        return None if rows.empty else int(rows["age"].iloc[0])

    pension_age = {s: _age("old-age pension", s) for s in SEXES}
    social_age = {s: _age("old-age social pension", s) or pension_age[s] for s in SEXES}

    sdg = load("sdg_social_protection_poverty_labour")
    coverage = {s: _latest_series(sdg, country, s) for s in (*_SERIES, "SI_COV_BENFTS")}

    wdi = load("wdi_macro_poverty_labour")
    lfp = {
        s: _wdi_value(wdi, country, f"SL.TLF.CACT.{code}.ZS", nearest=False)
        for s, code in zip(SEXES, ("FE", "MA"), strict=True)
    }
    unemployment = {
        s: _wdi_value(wdi, country, f"SL.UEM.TOTL.{code}.ZS", nearest=False)
        for s, code in zip(SEXES, ("FE", "MA"), strict=True)
    }
    gini = _wdi_value(wdi, country, "SI.POV.GINI", nearest=True)
    gdp_pc = _wdi_value(wdi, country, "NY.GDP.PCAP.CD", nearest=False)
    exchange = _wdi_value(wdi, country, "PA.NUS.FCRF", nearest=False)
    cells.setflags(write=False)
    return {
        "cells": cells,
        "population": population,
        "pension_age": pension_age,
        "social_pension_age": social_age,
        "coverage": coverage,
        "lfp": lfp,
        "unemployment": unemployment,
        "gini": gini,
        "gdp_pc_lcu": gdp_pc[0] * exchange[0],
    }


def _check_country(country: object) -> str:
    if not isinstance(country, str) or country.upper() not in COUNTRIES:
        raise ValueError(
            f"country must be one of {', '.join(map(repr, COUNTRIES))} (ISO3 codes); "
            f"got {country!r}"
        )
    return country.upper()


def calibration_targets(country: str = "TJK") -> pd.DataFrame:
    """Return the published calibration targets for one country, one row per target.

    Parameters
    ----------
    country : {"TJK", "LAO"}
        ISO3 code.

    Returns
    -------
    pandas.DataFrame
        Columns ``target`` (series code or parameter), ``sex`` ("both", "female" or
        "male"), ``value`` (a share between 0 and 1, an age in years, or a Gini
        index), ``year`` and ``dataset`` (the bundled dataset it comes from).
        A series without published data for the country is absent.

    Examples
    --------
    >>> targets = calibration_targets("TJK").set_index("target")
    >>> float(targets.loc["SI_COV_PENSN", "value"]), int(targets.loc["SI_COV_PENSN", "year"])
    (0.937, 2020)
    >>> "SI_COV_CHLD" in calibration_targets("LAO")["target"].tolist()
    False
    """
    country = _check_country(country)
    inputs = _inputs(country)
    rows = []
    for series, found in inputs["coverage"].items():
        if found is not None:
            rows.append(
                (series, "both", found[0], found[1], CALIBRATION["SI_COV_PENSN"]["dataset"])
            )
    for sex in SEXES:
        for name, key in (
            ("labour_force_participation", "lfp"),
            ("unemployment_rate", "unemployment"),
        ):
            value, year = inputs[key][sex]
            rows.append((name, sex, value / 100, year, "wdi_macro_poverty_labour"))
        rows.append(
            (
                "statutory_pension_age",
                sex,
                inputs["pension_age"][sex],
                None,
                "statutory_pension_age",
            )
        )
    rows.append(("gini", "both", inputs["gini"][0], inputs["gini"][1], "wdi_macro_poverty_labour"))
    rows.append(
        (
            "population",
            "both",
            inputs["population"],
            CALIBRATION_YEAR,
            "pop_age_sex_wpp2022_projections",
        )
    )
    frame = pd.DataFrame(rows, columns=["target", "sex", "value", "year", "dataset"])
    frame["year"] = frame["year"].astype("Int64")
    return frame


# ------------------------------------------------------------------------- sampling


def _systematic(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    """Draw ``n`` cell codes whose counts match ``n * probs`` to within one, in random order.

    Systematic sampling: cell k gets floor(n F_k + u) - floor(n F_{k-1} + u) draws, with F
    the cumulative shares and u one uniform random number.
    """
    cdf = np.cumsum(probs / probs.sum())
    cdf[-1] = 1.0
    bounds = np.floor(n * cdf + rng.random()).astype(np.int64)
    bounds[-1] = n
    counts = np.diff(bounds, prepend=0)
    cells = np.repeat(np.arange(len(probs), dtype=np.int16), counts)
    rng.shuffle(cells)
    return cells


def _take(
    keys: np.ndarray, candidates: np.ndarray, unit_weight: np.ndarray, target: float
) -> np.ndarray:
    """Candidates with the smallest keys, in key order, whose weight sum is closest to ``target``.

    Only the smallest keys are sorted (a partial sort, grown until the target is reached),
    so taking a small share of ten million units stays fast; the result is the same as
    with a full sort.
    """
    n = candidates.size
    if n == 0 or target <= 0:
        return candidates[:0]
    weights = unit_weight[candidates]
    mean = float(weights.mean()) or 1.0
    size = min(n, int(1.2 * target / mean) + 256)
    while True:
        if size < n:
            part = np.argpartition(keys, size - 1)[:size]
            part = part[np.argsort(keys[part])]
        else:
            part = np.argsort(keys)
        cumulative = np.cumsum(weights[part])
        if cumulative[-1] >= target or size == n:
            break
        size = min(n, 2 * size)
    k = int(np.searchsorted(cumulative, target))
    if k >= cumulative.size:
        return candidates[part]
    below = cumulative[k - 1] if k > 0 else 0.0
    count = k + 1 if cumulative[k] - target < target - below else k
    return candidates[part[:count]]


def _select_share(
    rng: np.random.Generator,
    eligible: np.ndarray | None,
    weight: np.ndarray,
    share: float,
    priority: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask: a ``share`` of the weighted ``eligible`` units, chosen at random.

    Without ``priority`` every eligible unit has the same chance. With a priority, each
    unit gets the key E / priority (E exponential) and the smallest keys are taken:
    sequential sampling without replacement with probability proportional to priority.
    """
    if eligible is None:  # everyone is eligible
        candidates = np.arange(weight.size)
        keys = rng.standard_exponential(weight.size) if priority is not None else None
        keys = rng.random(weight.size) if keys is None else keys / priority
        target = share * float(weight.sum())
    else:
        candidates = np.flatnonzero(eligible)
        if priority is None:
            keys = rng.random(candidates.size)
        else:
            keys = rng.standard_exponential(candidates.size) / priority[candidates]
        target = share * float(weight.sum(where=eligible))
    chosen = _take(keys, candidates, weight, target)
    mask = np.zeros(weight.size, dtype=bool)
    mask[chosen] = True
    return mask


# ---------------------------------------------------------------------- parameters


def _share(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1; got {value!r}")
    return float(value)


def _by_sex(name: str, value: object) -> dict[str, float]:
    if isinstance(value, Mapping):
        if set(value) != set(SEXES):
            raise ValueError(
                f"{name} must give a share for 'female' and 'male'; got keys {sorted(value)}"
            )
        return {s: _share(f"{name}[{s!r}]", value[s]) for s in SEXES}
    return dict.fromkeys(SEXES, _share(name, value))


def _number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}; got {value!r}")
    return float(value)


def _check_size(n_households: object, seed: object) -> tuple[int, int]:
    if isinstance(n_households, bool) or not isinstance(n_households, numbers.Integral):
        raise TypeError(f"n_households must be an integer; got {n_households!r}")
    if not MIN_HOUSEHOLDS <= n_households <= MAX_HOUSEHOLDS:
        raise ValueError(
            f"n_households must be between {MIN_HOUSEHOLDS:,} and {MAX_HOUSEHOLDS:,}; "
            f"got {n_households:,}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    return int(n_households), int(seed)


def _parameters(country: str, inputs: dict, given: dict) -> dict:
    """Merge the keyword arguments with the published values and illustrative defaults."""
    defaults = ILLUSTRATIVE[country]

    def pick(name: str) -> object:
        return defaults[name] if given.get(name) is None else given[name]

    targets = {s: (None if v is None else v[0]) for s, v in inputs["coverage"].items()}
    if targets["SI_COV_CHLD"] is None:
        targets["SI_COV_CHLD"] = defaults["child_benefit_coverage"]
    overridden = dict(given.get("coverage") or {})
    for series, value in overridden.items():
        if series not in _SERIES:
            raise ValueError(
                f"coverage: unknown series {series!r}; expected one of {', '.join(_SERIES)}"
            )
        targets[series] = _share(f"coverage[{series!r}]", value)

    def wdi_share(name: str, key: str) -> dict[str, float]:
        value = given.get(name)
        if value is None:
            value = {s: v / 100 for s, (v, _) in inputs[key].items()}
        return _by_sex(name, value)

    mean_c = given.get("mean_consumption_pc")
    if mean_c is None:
        mean_c = defaults["consumption_share_of_gdp"] * inputs["gdp_pc_lcu"]
    return {
        "targets": targets,
        "overridden": sorted(overridden),
        "labour_force_participation": wdi_share("labour_force_participation", "lfp"),
        "unemployment_rate": wdi_share("unemployment_rate", "unemployment"),
        "contributor_share": _share("contributor_share", pick("contributor_share")),
        "severe_disability_prevalence": _share(
            "severe_disability_prevalence", pick("severe_disability_prevalence")
        ),
        "social_pension_share": _share("social_pension_share", pick("social_pension_share")),
        "mean_household_size": _number("mean_household_size", pick("mean_household_size"), 2, 15),
        "urban_share": _share("urban_share", pick("urban_share")),
        "mean_consumption_pc": _number("mean_consumption_pc", mean_c, 1e-9, math.inf),
        "targeting_noise": _number("targeting_noise", pick("targeting_noise"), 0, math.inf),
        "urban_premium": float(defaults["urban_premium"]),
    }


# ------------------------------------------------------------------------ generator


class _Draw:
    """The arrays of one synthetic survey while it is built (households h, persons i)."""

    def __init__(self, rng: np.random.Generator, n_households: int) -> None:
        self.rng = rng
        self.H = n_households
        self.recipient: dict[str, np.ndarray] = {}
        self.amount: dict[str, np.ndarray] = {}


def _draw_households(draw: _Draw, country: str, inputs: dict, par: dict) -> None:
    """Household sizes, members' age and sex, region, area and weights."""
    rng, H = draw.rng, draw.H
    # Size 1 + Poisson(mean - 1); the first member of each household is its head.
    sizes = np.minimum(1 + rng.poisson(par["mean_household_size"] - 1, H), MAX_HOUSEHOLD_SIZE)
    sizes = sizes.astype(np.int16)
    N = int(sizes.sum())
    hh = np.repeat(np.arange(H, dtype=np.int32), sizes)
    is_head = np.zeros(N, dtype=bool)
    is_head[np.cumsum(sizes, dtype=np.int64) - sizes] = True

    # Age and sex: heads drawn from adults with illustrative propensities, the other
    # members from the remainder, so that the counts of all persons follow WPP 2022.
    cells = np.asarray(inputs["cells"]).ravel()  # female ages 0..100, then male ages 0..100
    age_of_cell = np.tile(np.arange(MAX_AGE + 1), 2)
    propensity = np.select(
        [age_of_cell < 18, age_of_cell < 25, age_of_cell < 35, age_of_cell < 65],
        [0.0, 0.15, 0.5, 1.0],
        1.2,
    ) * np.repeat([0.3, 1.0], MAX_AGE + 1)
    head_probs = cells * propensity / (cells * propensity).sum()
    rest = np.clip(N * cells / cells.sum() - H * head_probs, 0, None)
    cell = np.empty(N, dtype=np.int16)
    cell[is_head] = _systematic(rng, head_probs, H)
    cell[~is_head] = _systematic(rng, rest, N - H)
    draw.age = (cell % (MAX_AGE + 1)).astype(np.int16)
    draw.sex = (cell // (MAX_AGE + 1)).astype(np.int8)

    # Region and area: sample allocation proportional to the square root of the
    # population share (small regions oversampled), then weights post-stratified on
    # region x area so that they add up to the population of each stratum.
    names = list(REGIONS[country])
    shares = np.array(list(REGIONS[country].values()))
    shares = shares / shares.sum()
    urban = par["urban_share"]
    capital_urban = min(ILLUSTRATIVE[country]["capital_urban_share"], urban / shares[0])
    other_urban = (urban - shares[0] * capital_urban) / (1 - shares[0])
    urban_prob = np.r_[capital_urban, np.full(len(names) - 1, other_urban)]
    allocation = np.sqrt(shares) / np.sqrt(shares).sum()
    region_h = rng.choice(len(names), size=H, p=allocation).astype(np.int8)
    urban_h = rng.random(H) < urban_prob[region_h]
    stratum = region_h.astype(np.int64) * 2 + urban_h
    population = inputs["population"]
    stratum_pop = population * np.column_stack([shares * (1 - urban_prob), shares * urban_prob])
    base = np.exp(0.25 * rng.standard_normal(H))  # illustrative non-response adjustment
    sampled = np.bincount(stratum, weights=base * sizes, minlength=2 * len(names))
    factor = np.divide(stratum_pop.ravel(), sampled, out=np.zeros_like(sampled), where=sampled > 0)
    weight_h = base * factor[stratum]
    weight_h *= population / (weight_h * sizes).sum()  # strata left empty by a tiny sample

    draw.N, draw.sizes, draw.hh = N, sizes, hh
    draw.region_names, draw.region_h, draw.urban_h = names, region_h, urban_h
    draw.weight_h, draw.weight = weight_h, weight_h[hh]


def _draw_consumption(draw: _Draw, inputs: dict, par: dict) -> None:
    """Pre-transfer consumption per capita: log-normal, spread from the WDI Gini."""
    sizes = draw.sizes
    sigma = math.sqrt(2) * NormalDist().inv_cdf((inputs["gini"][0] / 100 + 1) / 2)
    log_size = np.log(sizes)
    fixed = par["urban_premium"] * draw.urban_h - 0.2 * (log_size - log_size.mean())
    spread = np.average((fixed - np.average(fixed, weights=sizes)) ** 2, weights=sizes)
    residual = math.sqrt(max(sigma**2 - float(spread), 0.01))
    pre_h = np.exp(fixed + residual * draw.rng.standard_normal(draw.H))
    mean = np.dot(draw.weight_h * sizes, pre_h) / inputs["population"]
    draw.pre_h = pre_h * (par["mean_consumption_pc"] / mean)


def _draw_statuses(draw: _Draw, inputs: dict, par: dict) -> None:
    """Labour force, unemployment, contributors and severe disability."""
    rng, age, sex, weight = draw.rng, draw.age, draw.sex, draw.weight
    ages = np.arange(MAX_AGE + 1)
    lf_profile = np.select(
        [ages < WORKING_AGE_MIN, ages < 20, ages < 55, ages < 65, ages < 75],
        [0.0, 0.4, 1.0, 0.7, 0.2],
        0.05,
    ).astype(np.float32)
    in_lf = np.zeros(draw.N, dtype=bool)
    unemployed = np.zeros(draw.N, dtype=bool)
    adult = age >= WORKING_AGE_MIN
    youth_priority = np.where(age < 25, np.float32(2), np.float32(1))
    for code, name in enumerate(SEXES):
        of_sex = sex == code
        share = par["labour_force_participation"][name]
        in_lf |= _select_share(rng, of_sex & adult, weight, share, lf_profile[age])
        share = par["unemployment_rate"][name]
        unemployed |= _select_share(rng, of_sex & in_lf, weight, share, youth_priority)
    del youth_priority
    draw.pension_age = np.array([inputs["pension_age"][s] for s in SEXES], np.int16)[sex]
    draw.social_age = np.array([inputs["social_pension_age"][s] for s in SEXES], np.int16)[sex]
    # Contributors: employed, of working age; richer and urban households more likely.
    employed_working_age = in_lf & ~unemployed & adult & (age < draw.pension_age)
    priority = (np.sqrt(draw.pre_h) * np.where(draw.urban_h, 2.0, 1.0)).astype(np.float32)
    draw.contributor = _select_share(
        rng, employed_working_age, weight, par["contributor_share"], priority[draw.hh]
    )
    disability_profile = np.select([ages < 15, ages < 50, ages < 65], [0.3, 1.0, 2.0], 4.0).astype(
        np.float32
    )
    draw.severe = _select_share(
        rng, None, weight, par["severe_disability_prevalence"], disability_profile[age]
    )
    draw.in_lf, draw.unemployed = in_lf, unemployed


def _draw_programmes(draw: _Draw, par: dict) -> None:
    """Recipients of the six programmes, by exact-share assignment on the targets."""
    rng, age, weight, hh, targets = draw.rng, draw.age, draw.weight, draw.hh, par["targets"]
    recipient = draw.recipient
    recipient["disability_benefit"] = _select_share(
        rng, draw.severe, weight, targets["SI_COV_DISAB"]
    )
    recipient["unemployment_benefit"] = _select_share(
        rng, draw.unemployed, weight, targets["SI_COV_UEMP"]
    )
    # Pensions: persons at or above pensionable age; part of them get the social pension.
    pensioner = _select_share(rng, age >= draw.pension_age, weight, targets["SI_COV_PENSN"])
    social_target = par["social_pension_share"] * float(weight.sum(where=pensioner))
    eligible = np.flatnonzero(pensioner & (age >= draw.social_age))
    social = np.zeros(draw.N, dtype=bool)
    social[_take(rng.random(eligible.size), eligible, weight, social_target)] = True
    recipient["social_pension"] = social
    recipient["old_age_pension"] = pensioner & ~social
    # Child benefit: households with children aged 0-15; paid for each of their children.
    child = age <= CHILD_MAX_AGE
    children_h = np.bincount(hh, weights=child, minlength=draw.H)
    chosen_h = _select_share(
        rng, children_h > 0, draw.weight_h * children_h, targets["SI_COV_CHLD"]
    )
    recipient["child_benefit"] = chosen_h[hh] & child
    # Social assistance: households ranked on noisy pre-transfer consumption, poorest
    # first, until recipients (all members) reach the target share of the vulnerable.
    draw.vulnerable = ~(
        draw.contributor | recipient["old_age_pension"] | recipient["unemployment_benefit"]
    )
    target = targets["SI_COV_VULN"] * float(weight.sum(where=draw.vulnerable))
    key = np.log(draw.pre_h) + par["targeting_noise"] * rng.standard_normal(draw.H)
    assisted_h = np.zeros(draw.H, dtype=bool)
    assisted_h[_take(key, np.arange(draw.H), draw.weight_h * draw.sizes, target)] = True
    recipient["social_assistance"] = assisted_h[hh]


def _draw_amounts(draw: _Draw, par: dict) -> None:
    """Annual amounts (illustrative, local currency) and post-transfer consumption."""
    transfers = np.zeros(draw.N)
    for programme in PROGRAMMES:
        values = np.zeros(draw.N, dtype=np.float32)
        level = BENEFIT_LEVELS[programme] * par["mean_consumption_pc"]
        mask = draw.recipient[programme]
        if programme == "old_age_pension":  # earnings-related: varies between recipients
            values[mask] = level * np.exp(0.3 * draw.rng.standard_normal(int(mask.sum())) - 0.045)
        elif programme == "social_assistance":  # per household, split among its members
            values[mask] = level / draw.sizes[draw.hh[mask]]
        else:
            values[mask] = level
        draw.amount[programme] = values
        transfers += values
    transfers_h = np.bincount(draw.hh, weights=transfers, minlength=draw.H)
    draw.consumption_pc = (draw.pre_h + transfers_h / draw.sizes)[draw.hh]


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
