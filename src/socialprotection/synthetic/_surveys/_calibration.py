"""Calibration of the synthetic survey: countries, programmes, targets and their sources.

The targets come from the bundled datasets (UN SDG Global Database, World Development
Indicators, World Population Prospects); the illustrative parameters have no bundled source.
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from socialprotection.datasets import load

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
