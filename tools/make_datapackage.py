"""Regenerate ``datasets/datapackage.json``, the Frictionless Data Package of the book's data.

The CSV files in ``datasets/`` are copied unchanged from the project's shared data folder.
Their provenance (source repository, commit, path, publisher, licence, transformation) is
recorded in ``PROVENANCE.md`` of that folder; this script holds the same facts as Python
data and writes them, with the schema of every file, into a Data Package (v1 specification,
as read by frictionless 5).

The script infers nothing.
For every CSV file it

* checks that the file is valid UTF-8,
* checks that the header row equals the declared field names, in order,
* computes the size in bytes and the SHA-256 hash.

It stops with a clear message when a file is missing, undeclared or has another header.
Column types, primary keys, units and descriptions are written by hand below; run
``frictionless validate datasets/datapackage.json`` afterwards to check every cell against
them (this also checks ``bytes`` and the ``sha256`` hash).

Usage
-----
``python tools/make_datapackage.py``
    Write ``datasets/datapackage.json``.
``python tools/make_datapackage.py --check``
    Exit with status 1 when ``datasets/datapackage.json`` is missing or out of date.

Notes
-----
The script uses only the Python standard library.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import sys
from pathlib import Path
from typing import Any, NoReturn

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
OUTPUT = DATASETS / "datapackage.json"

Descriptor = dict[str, Any]

# ---------------------------------------------------------------------------------------------
# Licences
# ---------------------------------------------------------------------------------------------

CC_BY_3_IGO: Descriptor = {
    "name": "CC-BY-3.0-IGO",
    "path": "https://creativecommons.org/licenses/by/3.0/igo/",
    "title": "Creative Commons Attribution 3.0 IGO",
}
CC_BY_4: Descriptor = {
    "name": "CC-BY-4.0",
    "path": "https://creativecommons.org/licenses/by/4.0/",
    "title": "Creative Commons Attribution 4.0 International",
}
US_GOV_PD: Descriptor = {
    "name": "other-pd",
    "path": "https://www.usa.gov/government-copyright",
    "title": "US federal government work, public domain in the United States (17 U.S.C. 105)",
}
ILO_VIA_OWID: Descriptor = {
    "path": "https://ourworldindata.org/faqs",
    "title": (
        "Licence of the original source: the data are produced by the International Labour "
        "Organization (ILO), which is the source to cite; Our World in Data asks users to follow "
        "the licence terms of the original third-party source"
    ),
}
SDG_DDF_CC_BY_4: Descriptor = {
    **CC_BY_4,
    "title": (
        "Creative Commons Attribution 4.0 International, as declared by the open-numbers DDF "
        "package; ILOSTAT and World Bank data are also CC BY 4.0; cite the UN Global SDG "
        "Indicators Database"
    ),
}

# ---------------------------------------------------------------------------------------------
# Source repositories (full commits from PROVENANCE.md)
# ---------------------------------------------------------------------------------------------

WPP2024_REPO = ("PPgp/wpp2024", "2da7768ae64fc74105d3f9e98f9a74d37b62f99a")
WPP2022_REPO = ("PPgp/wpp2022extra", "a1411c71ed80c869e91e5761d5876d2508e5007c")
WPP2019_REPO = ("cran/wpp2019", "a1693cc46274ad5905bd93327e988f91692fb4da")
WDI_REPO = ("datasets/world-development-indicators", "4ebec5a2273f531ba238a34dbe440394dc5a6c4b")
AID_REPO = ("DSKUS-Foreign-Aid/Foreign_Aid", "52256addb8d282adec8746e44168d05a6bec84e5")
ON_WDI_REPO = (
    "open-numbers/ddf--world_bank--world_development_indicators",
    "0f0d0962479dd72d29a3b725072fefa1da633c99",
)
SDG_REPO = ("open-numbers/ddf--unstats--sdg_indicators", "e0117e9f1c068be8379f0ad94a07d2839c79a60b")
OWID_REPO = ("Jayyoo07/BA-Final-Project", "d5e557b6a84ab31de3d544e136b57bdeebdcf36e")

UN_DESA = "UN DESA Population Division"
WORLD_BANK = "World Bank"
UNSD = "UN Statistics Division"
ILO = "International Labour Organization (ILO)"
SSA = "US Social Security Administration (SSA), with the International Social Security Association"


def repo_source(
    repo: tuple[str, str], title: str, publisher: str, files: list[str], **extra: Any
) -> Descriptor:
    """Return a ``sources`` entry for a file read from a GitHub repository.

    Parameters
    ----------
    repo : tuple of str
        ``("OWNER/REPO", full 40-hex commit)``.
    title : str
        Original publisher and product.
    publisher : str
        Original publisher of the data.
    files : list of str
        Paths inside the repository that were read.
    **extra
        Further custom keys (for example ``branch`` or ``note``).

    Returns
    -------
    dict
        The source descriptor.
    """
    name, commit = repo
    if len(commit) != 40 or any(c not in "0123456789abcdef" for c in commit):
        raise SystemExit(f"make_datapackage: commit {commit!r} of {name} is not a full 40-hex id")
    return {
        "title": title,
        "path": f"https://github.com/{name}",
        "repository": name,
        "commit": commit,
        "files": files,
        "publisher": publisher,
        **extra,
    }


def field(name: str, type_: str, description: str, unit: str | None = None) -> Descriptor:
    """Return a Table Schema field descriptor.

    Parameters
    ----------
    name : str
        Column name, exactly as in the CSV header.
    type_ : str
        ``"string"``, ``"integer"`` or ``"number"``.
    description : str
        Plain-English description.
    unit : str, optional
        Unit of measurement (custom key ``unit``).

    Returns
    -------
    dict
        The field descriptor.
    """
    if type_ not in {"string", "integer", "number"}:
        raise SystemExit(f"make_datapackage: field {name!r} has unsupported type {type_!r}")
    out: Descriptor = {"name": name, "type": type_, "description": description}
    if unit is not None:
        out["unit"] = unit
    return out


# Reusable fields -------------------------------------------------------------------------------

ISO3 = field("iso3", "string", "ISO 3166-1 alpha-3 country code (ISO3), for example TJK or LAO.")
YEAR = field("year", "integer", "Calendar year.")
YEAR_MID = field(
    "year", "integer", "Calendar year; populations refer to 1 July of that year (mid-year)."
)
SEX_MF = field("sex", "string", "Sex: female or male.")
SEX_BMF = field("sex", "string", "Sex: both (both sexes together), female or male.")
AGE_GROUP5 = field(
    "age_group", "string", "Five-year age group in completed years: 0-4, 5-9, ..., 95-99, 100+."
)
AGE_START5 = field(
    "age_start", "integer", "First age of the age group (0, 5, ..., 100).", "years of age"
)
POP_THOUSANDS = field(
    "pop_thousands", "number", "Population in the age group.", "thousands of persons"
)

# WDI indicators, in the order of wdi_indicator_metadata.csv (checked against that file).
WDI_CODES = [
    "NY.GDP.MKTP.CD",
    "NY.GDP.PCAP.CD",
    "NY.GDP.PCAP.PP.CD",
    "NY.GDP.MKTP.KD.ZG",
    "NY.GDP.PCAP.KD.ZG",
    "FP.CPI.TOTL.ZG",
    "NY.GDP.DEFL.KD.ZG",
    "PA.NUS.FCRF",
    "GC.XPN.TOTL.GD.ZS",
    "GC.REV.XGRT.GD.ZS",
    "GC.TAX.TOTL.GD.ZS",
    "GC.DOD.TOTL.GD.ZS",
    "SE.XPD.TOTL.GD.ZS",
    "BX.TRF.PWKR.CD.DT",
    "SI.POV.DDAY",
    "SI.POV.NAHC",
    "SI.POV.GINI",
    "SI.POV.RUHC",
    "SI.POV.URHC",
    "SL.UEM.TOTL.ZS",
    "SL.UEM.TOTL.FE.ZS",
    "SL.UEM.TOTL.MA.ZS",
    "SL.UEM.1524.FE.ZS",
    "SL.UEM.1524.MA.ZS",
    "SL.TLF.CACT.FE.ZS",
    "SL.TLF.CACT.MA.ZS",
    "SL.EMP.TOTL.SP.ZS",
    "SL.TLF.TOTL.IN",
    "SL.EMP.VULN.FE.ZS",
    "SL.EMP.VULN.MA.ZS",
    "SL.EMP.WORK.FE.ZS",
    "SL.EMP.WORK.MA.ZS",
    "SL.AGR.EMPL.FE.ZS",
    "SL.AGR.EMPL.MA.ZS",
    "SP.POP.65UP.TO.ZS",
    "SP.POP.DPND",
]

# SDG source files, in the order of sdg_series_metadata.csv (checked against that file).
SDG_FILES = [
    "ddf--datapoints--sd_xpd_mnpo--by--geo_area--nature--units--year.csv",
    "ddf--datapoints--si_cov_benfts--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_chld--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_disab--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_lmkt--by--geo_area--nature--quantile--units--year.csv",
    "ddf--datapoints--si_cov_matnl--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_pensn--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_poor--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_socast--by--geo_area--nature--quantile--units--year.csv",
    "ddf--datapoints--si_cov_socins--by--geo_area--nature--quantile--units--year.csv",
    "ddf--datapoints--si_cov_uemp--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_vuln--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_cov_wkinjry--by--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_pov_day1--by--age--geo_area--location--nature--sex--units--year.csv",
    "ddf--datapoints--si_pov_emp1--by--age--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--si_pov_nahc--by--age--geo_area--location--nature--sex--units--year.csv",
    "ddf--datapoints--sl_isv_ifem--by--activity--geo_area--nature--observation_status--sex--units--year.csv",
    "ddf--datapoints--sl_tlf_uem--by--age--geo_area--nature--observation_status--sex--units--year.csv",
]

SDG131_VALUE_COLUMN = (
    "1.3.1 - [ILO] Proportion of population covered by at least one social protection benefit, "
    "by sex (%) - SI_COV_BENFTS - Both sexes"
)

SSPTW_URLS = {
    2018: "https://www.ssa.gov/policy/docs/progdesc/ssptw/2018-2019/asia/tajikistan.html",
    2012: "https://ssa.gov/policy/docs/progdesc/ssptw/2012-2013/asia/tajikistan.html",
    2006: "http://ssa.gov/policy/docs/progdesc/ssptw/2006-2007/asia/laos.html",
}

# ---------------------------------------------------------------------------------------------
# Resources (one per CSV file)
# ---------------------------------------------------------------------------------------------

RESOURCES: list[Descriptor] = [
    {
        "name": "countries",
        "title": "The ten countries of the book: codes, names and groups",
        "description": (
            "One row per country: the two focus countries, Tajikistan (TJK) and Lao PDR (LAO), "
            "and eight comparators in Central, South-East and East Asia. "
            "Codes and names are those of UN DESA World Population Prospects (WPP) 2024; "
            "the column group was added by the book."
        ),
        "publisher": UN_DESA,
        "year": 2024,
        "citation": (
            "UN DESA Population Division (2024). World Population Prospects 2024 (country "
            "names and codes). CC BY 3.0 IGO. Column group added by the book."
        ),
        "sources": [
            repo_source(
                WPP2024_REPO,
                "UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
                UN_DESA,
                ["data-raw/popprojMed.txt"],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [
            ISO3,
            field(
                "un_m49",
                "integer",
                "UN M49 numeric country code (written without leading zeros).",
            ),
            field("wpp2024_name", "string", "Country name as written in WPP 2024."),
            field(
                "group",
                "string",
                "Region group used in the book; '(focus)' marks the two focus countries. "
                "Added by the book, not part of the source.",
            ),
        ],
        "primaryKey": ["iso3"],
    },
    {
        "name": "pop_age_sex_wpp2019",
        "title": "Population by five-year age group and sex, WPP 2019",
        "description": (
            "One row per country, year, sex and five-year age group: the population in "
            "thousands on 1 July. "
            "Tajikistan and Lao PDR: 2000 to 2100 every 5 years (estimates up to 2020, medium "
            "variant projection from 2025). "
            "The other eight countries: 2020 (estimate) and 2030 (medium variant) only. "
            "This is an older vintage (WPP 2019), kept so that the book can compare vintages; "
            "use WPP 2022 or 2024 for current numbers."
        ),
        "publisher": UN_DESA,
        "year": 2019,
        "citation": (
            "UN DESA Population Division (2019). World Population Prospects 2019, estimates "
            "and medium variant. CC BY 3.0 IGO."
        ),
        "sources": [
            repo_source(
                WPP2019_REPO,
                "UN DESA Population Division, World Population Prospects 2019 (R package wpp2019)",
                UN_DESA,
                [
                    "data/popM.txt",
                    "data/popF.txt",
                    "data/popMprojMed.txt",
                    "data/popFprojMed.txt",
                ],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [
            ISO3,
            YEAR_MID,
            SEX_MF,
            AGE_GROUP5,
            AGE_START5,
            POP_THOUSANDS,
            field(
                "type",
                "string",
                "estimate (years up to 2020) or projection_medium (medium variant, from 2025).",
            ),
        ],
        "primaryKey": ["iso3", "year", "sex", "age_group"],
    },
    {
        "name": "pop_age_sex_wpp2022_projections",
        "title": "Projected population by five-year age group and sex, WPP 2022 (median)",
        "description": (
            "One row per country, year, sex and five-year age group: the projected population "
            "in thousands on 1 July. "
            "All ten countries; 2022 to 2030 every year, then 2035 to 2100 every 5 years. "
            "The values are the median of the UN probabilistic projections (UN PPP2022). "
            "They are very close to, but not identical with, the deterministic 'Medium variant' "
            "published in the WPP 2022 CSV files. "
            "Check done at extraction: male + female equals the source both-sexes file "
            "(popage5BprojMed.txt) to within 0.001 thousand."
        ),
        "publisher": UN_DESA,
        "year": 2022,
        "citation": (
            "UN DESA Population Division (2022). World Population Prospects 2022, "
            "probabilistic projections (median). CC BY 3.0 IGO."
        ),
        "sources": [
            repo_source(
                WPP2022_REPO,
                "UN DESA Population Division, World Population Prospects 2022 probabilistic "
                "projections (R package wpp2022extra)",
                UN_DESA,
                ["data-raw/popage5MprojMed.txt", "data-raw/popage5FprojMed.txt"],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [ISO3, YEAR_MID, SEX_MF, AGE_GROUP5, AGE_START5, POP_THOUSANDS],
        "primaryKey": ["iso3", "year", "sex", "age_group"],
    },
    {
        "name": "wpp2022_dependency_ratios",
        "title": "Dependency ratios and age structure, WPP 2022 (median)",
        "description": (
            "One row per country, year and indicator: old-age dependency ratio (65+ / 15-64 and "
            "60+ / 15-59), child dependency ratio (0-14 / 15-64), total dependency ratio, and "
            "the percentage of the population aged 0-14, 15-64, 60-99 and 65-99. "
            "All ten countries; 2022 to 2030 every year, then 2035 to 2100 every 5 years. "
            "Median of the UN probabilistic projections (UN PPP2022). "
            "Age labels are kept as in the source: 65-99 and 60-99 mean 65+ and 60+ "
            "(0-14, 15-64 and 65-99 add up to 100)."
        ),
        "publisher": UN_DESA,
        "year": 2022,
        "citation": (
            "UN DESA Population Division (2022). World Population Prospects 2022, "
            "probabilistic projections (median): dependency ratios and age structure. "
            "CC BY 3.0 IGO."
        ),
        "sources": [
            repo_source(
                WPP2022_REPO,
                "UN DESA Population Division, World Population Prospects 2022 probabilistic "
                "projections (R package wpp2022extra)",
                UN_DESA,
                [
                    "data-raw/oadrBprojMed.txt",
                    "data-raw/childdrBprojMed.txt",
                    "data-raw/tdrBprojMed.txt",
                    "data-raw/percagegrpBprojMed.txt",
                ],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [
            ISO3,
            YEAR_MID,
            field(
                "indicator",
                "string",
                "child_dependency_ratio, old_age_dependency_ratio, total_dependency_ratio or "
                "percent_of_population.",
            ),
            field(
                "age_definition",
                "string",
                "Age groups used: 'numerator / denominator' for ratios (for example "
                "'65+ / 15-64'), or the age group for percent_of_population (for example "
                "'65-99').",
            ),
            field(
                "value",
                "number",
                "Value of the indicator. Ratios are persons in the dependent ages per 100 "
                "persons in the working ages; percent_of_population is a percentage of the "
                "total population.",
                "per 100 persons of working age (ratios); percent (percent_of_population)",
            ),
        ],
        "primaryKey": ["iso3", "year", "indicator", "age_definition"],
    },
    {
        "name": "wpp2024_annual_indicators",
        "title": "Births, deaths, fertility, life expectancy, migration and population, WPP 2024",
        "description": (
            "One row per country, year, indicator and sex. "
            "All ten countries, 1990 to 2100 every year. "
            "type is estimate for 1990-2023 and projection_median (median of the probabilistic "
            "projections) for 2024-2100. "
            "The unit is part of the indicator name (births_thousands, deaths_thousands, "
            "net_migration_thousands, population_thousands: thousands of persons; e0_years: "
            "years; tfr: live births per woman). "
            "Only population_thousands and e0_years are given by sex. "
            "population_thousands exists only for 2024-2100: total-population estimates for "
            "1950-2023 are missing from the source repository copy. "
            "Values are rounded to 4 decimals."
        ),
        "publisher": UN_DESA,
        "year": 2024,
        "citation": (
            "UN DESA Population Division (2024). World Population Prospects 2024, estimates "
            "and probabilistic projections (median). CC BY 3.0 IGO."
        ),
        "sources": [
            repo_source(
                WPP2024_REPO,
                "UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
                UN_DESA,
                [
                    "data-raw/births.txt",
                    "data-raw/birthsprojMed.txt",
                    "data-raw/deaths.txt",
                    "data-raw/deathsprojMed.txt",
                    "data-raw/tfr.txt",
                    "data-raw/tfrprojMed.txt",
                    "data-raw/e0B.txt",
                    "data-raw/e0M.txt",
                    "data-raw/e0F.txt",
                    "data-raw/e0Bproj.txt",
                    "data-raw/e0Mproj.txt",
                    "data-raw/e0Fproj.txt",
                    "data-raw/migration.txt",
                    "data-raw/migrationprojMed.txt",
                    "data-raw/popprojMed.txt",
                    "data/popproj1dt.rda",
                ],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [
            ISO3,
            YEAR,
            field(
                "indicator",
                "string",
                "births_thousands, deaths_thousands, e0_years (life expectancy at birth), "
                "net_migration_thousands, population_thousands (1 July) or tfr (total "
                "fertility rate).",
            ),
            SEX_BMF,
            field(
                "value",
                "number",
                "Value of the indicator, rounded to 4 decimals; the unit is in the indicator name.",
                "thousands of persons; years (e0_years); live births per woman (tfr)",
            ),
            field(
                "type",
                "string",
                "estimate (1990-2023) or projection_median (2024-2100).",
            ),
        ],
        "primaryKey": ["iso3", "year", "indicator", "sex"],
    },
    {
        "name": "wpp2024_mx5_age_specific_mortality",
        "title": "Age-specific death rates by five-year period, WPP 2024",
        "description": (
            "One row per country, five-year period, sex and age group: the central death rate "
            "mx (deaths per person-year lived). "
            "Tajikistan and Lao PDR: all periods 1950-1955 to 2095-2100; other countries: "
            "2015-2020, 2020-2025 and 2025-2030. "
            "Age groups are 0 (under 1), 1 (1-4), 5 (5-9), ..., 95 (95-99) and 100+. "
            "These five-year 'legacy' tables were supplied to the wpp2024 R package by "
            "P. Gerland; the package README says they are not official UN datasets."
        ),
        "publisher": UN_DESA,
        "year": 2024,
        "citation": (
            "UN DESA Population Division (2024). World Population Prospects 2024, age-specific "
            "death rates by five-year period (unofficial legacy tables in the R package "
            "wpp2024). CC BY 3.0 IGO."
        ),
        "sources": [
            repo_source(
                WPP2024_REPO,
                "UN DESA Population Division, World Population Prospects 2024 (R package wpp2024)",
                UN_DESA,
                ["data-raw/mxB5.txt", "data-raw/mxM5.txt", "data-raw/mxF5.txt"],
            )
        ],
        "licenses": [CC_BY_3_IGO],
        "fields": [
            ISO3,
            field("period", "string", "Five-year period, for example 2015-2020."),
            SEX_BMF,
            field(
                "age_group",
                "string",
                "Age group label: 0 (under 1), 1 (1-4), 5 (5-9), ..., 95 (95-99), 100+.",
            ),
            field(
                "age_start",
                "integer",
                "First age of the age group (0, 1, 5, ..., 100).",
                "years of age",
            ),
            field("mx", "number", "Central death rate.", "deaths per person-year"),
        ],
        "primaryKey": ["iso3", "period", "sex", "age_group"],
    },
    {
        "name": "wdi_macro_poverty_labour",
        "title": "Macroeconomic, fiscal, poverty and labour indicators, World Bank WDI",
        "description": (
            "One row per country, year and World Development Indicators (WDI) indicator: "
            "36 indicators for the ten countries, 1990 to 2025 (names in "
            "wdi_indicator_metadata). "
            "Caveats: SI.POV.DDAY in this 2026 vintage is the $3.00 a day (2021 PPP) poverty "
            "line, not $2.15 (2017 PPP); GC.XPN.TOTL.GD.ZS is central-government 'Expense', not "
            "total general-government spending; FP.CPI.TOTL.ZG has no values for Tajikistan "
            "after 2016; values for 2025 are early, provisional estimates. "
            "Missing values are absent rows."
        ),
        "publisher": WORLD_BANK,
        "year": 2026,
        "citation": (
            "World Bank (2026). World Development Indicators (copy updated 2026-07-01 in "
            "github.com/datasets/world-development-indicators). CC BY 4.0."
        ),
        "sources": [
            repo_source(
                WDI_REPO,
                "World Bank, World Development Indicators",
                WORLD_BANK,
                [f"indicators/{code}/data.csv" for code in WDI_CODES],
                note="automated update of 2026-07-01",
            )
        ],
        "licenses": [CC_BY_4],
        "fields": [
            ISO3,
            YEAR,
            field("indicator_code", "string", "WDI indicator code; see wdi_indicator_metadata."),
            field(
                "value",
                "number",
                "Value of the indicator, as published.",
                "depends on the indicator (see indicator_name in wdi_indicator_metadata)",
            ),
        ],
        "primaryKey": ["iso3", "year", "indicator_code"],
    },
    {
        "name": "wdi_indicator_metadata",
        "title": "List of the WDI indicators in wdi_macro_poverty_labour",
        "description": (
            "One row per World Development Indicators (WDI) indicator: code, name (with "
            "unit), theme, number of observations for the ten countries and the latest year "
            "with data for Tajikistan and Lao PDR. "
            "latest_year_LAO is written with a decimal point (for example 2025.0) because it is "
            "blank for GC.DOD.TOTL.GD.ZS (no Lao PDR data); it is declared as a number."
        ),
        "publisher": WORLD_BANK,
        "year": 2026,
        "citation": (
            "World Bank (2026). World Development Indicators, indicator metadata (copy updated "
            "2026-07-01 in github.com/datasets/world-development-indicators). CC BY 4.0."
        ),
        "sources": [
            repo_source(
                WDI_REPO,
                "World Bank, World Development Indicators",
                WORLD_BANK,
                [f"indicators/{code}/datapackage.json" for code in WDI_CODES],
                note="automated update of 2026-07-01",
            )
        ],
        "licenses": [CC_BY_4],
        "fields": [
            field("indicator_code", "string", "WDI indicator code."),
            field("indicator_name", "string", "WDI indicator name, including the unit."),
            field(
                "theme",
                "string",
                "Theme used in the book: macro, fiscal, remittances, poverty, labour or "
                "demography.",
            ),
            field("licence", "string", "Licence of the indicator data (CC-BY-4.0)."),
            field(
                "n_obs_10countries",
                "integer",
                "Number of rows for this indicator in wdi_macro_poverty_labour.",
                "rows",
            ),
            field("latest_year_TJK", "integer", "Latest year with data for Tajikistan."),
            field(
                "latest_year_LAO",
                "number",
                "Latest year with data for Lao PDR, written as a decimal number (for example "
                "2025.0); blank when there are no data.",
            ),
            field(
                "source_commit",
                "string",
                "Commit of github.com/datasets/world-development-indicators that was read.",
            ),
        ],
        "primaryKey": ["indicator_code"],
    },
    {
        "name": "wdi_remittances_govspend_official_vintages",
        "title": "Remittances and government spending (% of GDP), two WDI vintages",
        "description": (
            "One row per country, year, indicator and vintage. "
            "Vintage WDI_2022-05-25: raw World Bank API files last updated 2022-05-25, for "
            "BX.TRF.PWKR.DT.GD.ZS (personal remittances received), NE.CON.GOVT.ZS (general "
            "government final consumption expenditure, to 2020) and SH.XPD.GHED.GD.ZS "
            "(domestic general government health expenditure), 1990 onwards. "
            "Vintage WDI_2025_opennumbers: BX.TRF.PWKR.DT.GD.ZS only, data to 2024 "
            "(Tajikistan 2002-2024, Lao PDR 2000-2024, other countries 2015-2024); these rows "
            "were transcribed by hand from the open-numbers copy of WDI. "
            "The two vintages differ for some countries and years because the World Bank "
            "revised the data (for example Viet Nam)."
        ),
        "publisher": WORLD_BANK,
        "year": 2025,
        "citation": (
            "World Bank. World Development Indicators, vintages of 2022-05-25 and 2025 "
            "(open-numbers copy). CC BY 4.0."
        ),
        "sources": [
            repo_source(
                AID_REPO,
                "World Bank, World Development Indicators (API download, last updated 2022-05-25)",
                WORLD_BANK,
                [
                    "data/BX.TRF.PWKR.DT.GD.ZS.csv",
                    "data/NE.CON.GOVT.ZS.csv",
                    "data/SH.XPD.GHED.GD.ZS.csv",
                ],
                branch="spoorthi",
                vintage="WDI_2022-05-25",
            ),
            repo_source(
                ON_WDI_REPO,
                "World Bank, World Development Indicators (open-numbers DDF copy, data to 2024)",
                WORLD_BANK,
                ["datapoints/ddf--datapoints--bx_trf_pwkr_dt_gd_zs--by--economy--year.csv"],
                vintage="WDI_2025_opennumbers",
                note="commit of the stored file version; rows transcribed by hand",
            ),
        ],
        "licenses": [CC_BY_4],
        "fields": [
            ISO3,
            YEAR,
            field(
                "indicator_code",
                "string",
                "WDI indicator code: BX.TRF.PWKR.DT.GD.ZS, NE.CON.GOVT.ZS or SH.XPD.GHED.GD.ZS.",
            ),
            field("value", "number", "Value of the indicator.", "percent of GDP"),
            field(
                "vintage",
                "string",
                "Data vintage: WDI_2022-05-25 or WDI_2025_opennumbers.",
            ),
        ],
        "primaryKey": ["iso3", "year", "indicator_code", "vintage"],
    },
    {
        "name": "sdg_social_protection_poverty_labour",
        "title": "SDG social protection, poverty and labour series, UN Global SDG Database",
        "description": (
            "One row per country, year, Sustainable Development Goal (SDG) series and "
            "disaggregation, for the ten countries (18 series, listed in "
            "sdg_series_metadata). "
            "Vintage of December 2023 of the UN Global SDG Indicators Database. "
            "Series custodians: the International Labour Organization (ILO) for the SI_COV_* "
            "series marked [ILO], SL_ISV_IFEM, SL_TLF_UEM and SI_POV_EMP1; the World Bank for "
            "SI_POV_DAY1, SI_POV_NAHC and SI_COV_SOCAST, SI_COV_SOCINS and SI_COV_LMKT (from "
            "ASPIRE). "
            "SI_POV_DAY1 here is the $2.15 a day (2017 PPP) line. "
            "SI_POV_EMP1 is kept only for age 15+ and both sexes. "
            "The columns iso3, year, series_code and disaggregation identify a row, but no "
            "primary key is declared because disaggregation is blank for the single "
            "SD_XPD_MNPO row."
        ),
        "publisher": UNSD,
        "year": 2023,
        "citation": (
            "United Nations Statistics Division (2023). Global SDG Indicators Database, "
            "December 2023 vintage (series custodians ILO and World Bank). CC BY 4.0."
        ),
        "sources": [
            repo_source(
                SDG_REPO,
                "UN Statistics Division, Global SDG Indicators Database (open-numbers DDF copy)",
                UNSD,
                SDG_FILES,
                branch="autogenerated",
                note="vintage of 2023-12-17",
            )
        ],
        "licenses": [SDG_DDF_CC_BY_4],
        "fields": [
            ISO3,
            YEAR,
            field("sdg_indicator", "string", "SDG indicator number, for example 1.3.1."),
            field("series_code", "string", "SDG series code; see sdg_series_metadata."),
            field(
                "disaggregation",
                "string",
                "Dimensions of the source as name=value pairs joined by ';' (for example "
                "'sex=bothsex' or 'age=15;sex=bothsex'); blank when the series has none.",
            ),
            field("value", "number", "Value of the series.", "percent"),
            field("units", "string", "Unit as given in the source (always percent)."),
            field(
                "nature",
                "string",
                "SDG 'nature' code, as in the source: c = country data, ca = country adjusted, "
                "e = estimated, g = global monitoring data, m = modelled.",
            ),
            field(
                "observation_status",
                "string",
                "Observation status code, as in the source (a, e, u or notspec); blank when "
                "the source file has no such dimension.",
            ),
        ],
    },
    {
        "name": "sdg_series_metadata",
        "title": "List of the SDG series in sdg_social_protection_poverty_labour",
        "description": (
            "One row per Sustainable Development Goal (SDG) series: code, SDG indicator, "
            "description (from ddf--concepts--continuous.csv) and the source file and commit "
            "that were read. "
            "Descriptions that start with [ILO] or [World Bank] name the series custodian."
        ),
        "publisher": UNSD,
        "year": 2023,
        "citation": (
            "United Nations Statistics Division (2023). Global SDG Indicators Database, "
            "series descriptions, December 2023 vintage. CC BY 4.0."
        ),
        "sources": [
            repo_source(
                SDG_REPO,
                "UN Statistics Division, Global SDG Indicators Database (open-numbers DDF copy)",
                UNSD,
                ["ddf--concepts--continuous.csv"],
                branch="autogenerated",
                note="vintage of 2023-12-17",
            )
        ],
        "licenses": [SDG_DDF_CC_BY_4],
        "fields": [
            field("series_code", "string", "SDG series code."),
            field("sdg_indicator", "string", "SDG indicator number."),
            field("series_description", "string", "Series description, including the unit."),
            field("source_file", "string", "File of the open-numbers repository that was read."),
            field("source_commit", "string", "Commit of that repository."),
        ],
        "primaryKey": ["series_code"],
    },
    {
        "name": "sdg131_headline_all_countries",
        "title": "SDG 1.3.1 headline: population covered by at least one social protection benefit",
        "description": (
            "One row per country or region and year: the percentage of the population covered "
            "by at least one social protection benefit (SDG 1.3.1 headline, series "
            "SI_COV_BENFTS, both sexes), 2015 to 2023, for all countries with data and for UN "
            "and UN-SDG regional aggregates. "
            "Source: International Labour Organization (ILO) modelled estimates 2024 and ILO "
            "estimates based on national sources, as packaged by Our World in Data (OWID), "
            "retrieved 2025-10-29. "
            "The file is copied as published (column names too, including the long value "
            "column name). "
            "Region rows have OWID or UN codes (for example OWID_WRL, UN_ASI) or a blank Code "
            "(Developing regions, Least Developed Countries, Small Island Developing States). "
            "Country names are OWID's (for example 'Laos')."
        ),
        "publisher": ILO,
        "year": 2024,
        "citation": (
            "International Labour Organization (2024). SDG indicator 1.3.1, proportion of the "
            "population covered by at least one social protection benefit (ILO modelled "
            "estimates), via Our World in Data (retrieved 2025-10-29)."
        ),
        "sources": [
            repo_source(
                OWID_REPO,
                "International Labour Organization, SDG 1.3.1 coverage estimates, packaged by "
                "Our World in Data",
                ILO,
                [
                    "share-covered-by-one-social-protection-benefit/"
                    "share-covered-by-one-social-protection-benefit.csv"
                ],
                packager="Our World in Data",
                retrieved="2025-10-29",
            )
        ],
        "licenses": [ILO_VIA_OWID],
        "fields": [
            field("Entity", "string", "Country or region name, as written by OWID."),
            field(
                "Code",
                "string",
                "ISO3 code for countries; UN_*, UNSDG_* or OWID_WRL for regions; blank for "
                "some groups.",
            ),
            field("Year", "integer", "Calendar year."),
            field(
                SDG131_VALUE_COLUMN,
                "number",
                "Percentage of the population covered by at least one social protection "
                "benefit (both sexes).",
                "percent",
            ),
        ],
        "primaryKey": ["Entity", "Year"],
    },
    {
        "name": "statutory_pension_age",
        "title": "Statutory pension ages in Tajikistan and Lao PDR (SSA, SSPTW)",
        "description": (
            "One row per country, benefit and sex: the statutory age and minimum years of "
            "covered employment, hand-copied from the US Social Security Administration (SSA) "
            "publication Social Security Programs Throughout the World (SSPTW): Asia and the "
            "Pacific. "
            "The edition year is given in each row; the note column quotes the rule. "
            "Warning: the Lao PDR rows come from the 2006 edition (1999 law) and are OUTDATED; "
            "they were superseded by a later Social Security Law and a 2025 regulation, which "
            "are not captured here. "
            "The Tajikistan social pension rows come from the 2012 edition and were not "
            "re-checked for later years."
        ),
        "publisher": SSA,
        "year": 2018,
        "citation": (
            "US Social Security Administration and International Social Security Association. "
            "Social Security Programs Throughout the World: Asia and the Pacific, 2006, 2012 "
            "and 2018 editions. US federal government work (public domain)."
        ),
        "sources": [
            {
                "title": f"US SSA, Social Security Programs Throughout the World: Asia and the "
                f"Pacific, {edition} edition",
                "path": url,
                "publisher": SSA,
                "edition_year": edition,
            }
            for edition, url in SSPTW_URLS.items()
        ],
        "licenses": [US_GOV_PD],
        "fields": [
            ISO3,
            field("scheme", "string", "Pension scheme, with the law and start year."),
            field(
                "benefit",
                "string",
                "old-age pension, early old-age pension or old-age social pension.",
            ),
            field("sex", "string", "male, female or both."),
            field("age", "integer", "Statutory pensionable age.", "years of age"),
            field(
                "min_covered_years",
                "integer",
                "Minimum years of covered employment; blank when the rule states none.",
                "years",
            ),
            field("edition_year", "integer", "Year of the SSPTW edition that was used."),
            field("source_url", "string", "Address of the SSPTW page."),
            field("note", "string", "Quoted rule and warnings."),
        ],
        "primaryKey": ["iso3", "benefit", "sex"],
    },
]

PACKAGE: Descriptor = {
    "profile": "tabular-data-package",
    "name": "universal-social-protection-book-data",
    "title": "Data of the training book on universal social protection",
    "description": (
        "Real, published data used by the training book on universal social protection: "
        "population by age and sex, dependency ratios, mortality and other demographic "
        "indicators (UN DESA World Population Prospects, WPP), macroeconomic, fiscal, poverty "
        "and labour indicators (World Bank World Development Indicators, WDI), Sustainable "
        "Development Goal (SDG) social protection coverage series (UN Global SDG Indicators "
        "Database, ILO) and statutory pension ages (US Social Security Administration, SSA). "
        "Focus countries: Tajikistan and Lao PDR, with eight comparators. "
        "The files are copied unchanged from the project's shared data folder; nothing was "
        "imputed, interpolated or filled in, and missing values are absent rows. "
        "Each file keeps the licence of its original publisher; see each resource. "
        "Synthetic data used in the book are not in this package."
    ),
    "contributors": [
        {
            "title": "Universal social protection training book contributors",
            "role": "wrangler",
        }
    ],
    "licenses": [CC_BY_3_IGO, CC_BY_4, US_GOV_PD, ILO_VIA_OWID],
}


# ---------------------------------------------------------------------------------------------
# Checks and assembly
# ---------------------------------------------------------------------------------------------


def fail(message: str) -> NoReturn:
    """Stop the script with a clear error message.

    Parameters
    ----------
    message : str
        What went wrong and what to do.
    """
    raise SystemExit(f"make_datapackage: ERROR: {message}")


def read_text(path: Path) -> tuple[bytes, str]:
    """Read a file as bytes and as strictly decoded UTF-8 text.

    Parameters
    ----------
    path : Path
        File to read.

    Returns
    -------
    tuple of (bytes, str)
        The raw bytes and the decoded text.
    """
    raw = path.read_bytes()
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{path.name} starts with a byte-order mark; the package declares plain utf-8")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        fail(f"{path.name} is not valid UTF-8 ({err})")
    return raw, text


def csv_header(text: str) -> list[str]:
    """Return the header row of a CSV text.

    Parameters
    ----------
    text : str
        Whole CSV file.

    Returns
    -------
    list of str
        Column names, with CSV quoting removed.
    """
    reader = csv.reader(io.StringIO(text, newline=""))
    return next(reader, [])


def check_header(name: str, header: list[str], fields: list[Descriptor]) -> None:
    """Fail unless the CSV header equals the declared field names, in order.

    Parameters
    ----------
    name : str
        File name, for the message.
    header : list of str
        Column names read from the file.
    fields : list of dict
        Declared fields.
    """
    declared = [f["name"] for f in fields]
    if header == declared:
        return
    lines = [f"header of {name} does not match the declared fields (in order)."]
    for i in range(max(len(header), len(declared))):
        got = header[i] if i < len(header) else "<none>"
        want = declared[i] if i < len(declared) else "<none>"
        mark = "  " if got == want else "!!"
        lines.append(f"  {mark} column {i + 1}: file {got!r}  declared {want!r}")
    lines.append("Fix the field list in tools/make_datapackage.py (never the data).")
    fail("\n".join(lines))


def column_values(text: str, column: str) -> list[str]:
    """Return all values of one column of a CSV text.

    Parameters
    ----------
    text : str
        Whole CSV file.
    column : str
        Column name.

    Returns
    -------
    list of str
        The values, in file order.
    """
    return [row[column] for row in csv.DictReader(io.StringIO(text, newline=""))]


def check_cross_lists(texts: dict[str, str]) -> None:
    """Check the hand-written source file lists against the companion metadata files.

    Parameters
    ----------
    texts : dict
        Decoded text of each CSV file, keyed by resource name.
    """
    codes = column_values(texts["wdi_indicator_metadata"], "indicator_code")
    if codes != WDI_CODES:
        fail(
            "WDI_CODES in tools/make_datapackage.py differs from indicator_code in "
            f"wdi_indicator_metadata.csv:\n  script: {WDI_CODES}\n  file:   {codes}"
        )
    files = column_values(texts["sdg_series_metadata"], "source_file")
    if files != SDG_FILES:
        fail(
            "SDG_FILES in tools/make_datapackage.py differs from source_file in "
            f"sdg_series_metadata.csv:\n  script: {SDG_FILES}\n  file:   {files}"
        )


def build_resource(spec: Descriptor, raw: bytes, text: str) -> Descriptor:
    """Assemble one tabular data resource descriptor.

    Parameters
    ----------
    spec : dict
        Hand-written metadata from ``RESOURCES``.
    raw : bytes
        File content, for ``bytes`` and ``hash``.
    text : str
        Decoded file content, for the header check.

    Returns
    -------
    dict
        The resource descriptor.
    """
    filename = f"{spec['name']}.csv"
    check_header(filename, csv_header(text), spec["fields"])
    schema: Descriptor = {"fields": spec["fields"], "missingValues": [""]}
    if "primaryKey" in spec:
        schema["primaryKey"] = spec["primaryKey"]
    return {
        "name": spec["name"],
        "path": filename,
        "profile": "tabular-data-resource",
        "title": spec["title"],
        "description": spec["description"],
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "bytes": len(raw),
        "hash": f"sha256:{hashlib.sha256(raw).hexdigest()}",
        "publisher": spec["publisher"],
        "year": spec["year"],
        "citation": spec["citation"],
        "sources": spec["sources"],
        "licenses": spec["licenses"],
        "schema": schema,
    }


def package_sources() -> list[Descriptor]:
    """Return the distinct sources of all resources, in first-seen order.

    Returns
    -------
    list of dict
        One entry per source repository or page, with title, path and publisher.
    """
    seen: dict[str, Descriptor] = {}
    for spec in RESOURCES:
        for src in spec["sources"]:
            seen.setdefault(
                src["path"],
                {"title": src["title"], "path": src["path"], "publisher": src["publisher"]},
            )
    return list(seen.values())


def build_package() -> Descriptor:
    """Check every CSV file and assemble the whole Data Package descriptor.

    Returns
    -------
    dict
        The Data Package descriptor.
    """
    declared = [f"{spec['name']}.csv" for spec in RESOURCES]
    if len(set(declared)) != len(declared):
        fail("a resource name is declared twice in RESOURCES")
    present = sorted(p.name for p in DATASETS.glob("*.csv"))
    missing = sorted(set(declared) - set(present))
    undeclared = sorted(set(present) - set(declared))
    if missing:
        fail(f"declared but not found in {DATASETS}: {missing}")
    if undeclared:
        fail(f"CSV files in {DATASETS} with no entry in RESOURCES: {undeclared}")

    contents = {spec["name"]: read_text(DATASETS / f"{spec['name']}.csv") for spec in RESOURCES}
    check_cross_lists({name: text for name, (_, text) in contents.items()})
    resources = [build_resource(spec, *contents[spec["name"]]) for spec in RESOURCES]
    package = dict(PACKAGE)
    package["sources"] = package_sources()
    package["resources"] = resources
    return package


def render(package: Descriptor) -> str:
    """Serialise the package as stable, human-readable JSON.

    Parameters
    ----------
    package : dict
        The Data Package descriptor.

    Returns
    -------
    str
        JSON text ending with a newline.
    """
    return json.dumps(package, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Write or check ``datasets/datapackage.json``.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 when ``--check`` finds the file out of date.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 when datasets/datapackage.json is missing or out of date",
    )
    args = parser.parse_args(argv)
    text = render(build_package())
    if args.check:
        current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
        if current != text:
            print(f"{OUTPUT} is out of date; run python tools/make_datapackage.py", file=sys.stderr)
            return 1
        print(f"{OUTPUT} is up to date ({len(RESOURCES)} resources)")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUTPUT} ({len(RESOURCES)} resources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
