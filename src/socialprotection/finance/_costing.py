"""Costing a social protection floor in the style of the ILO Rapid Assessment Protocol.

For each benefit and year::

    cost = eligible population x take-up x monthly benefit x months x (1 + administration)

The eligible population comes from World Population Prospects 2024 (an age band, with a
prevalence for disability, or the births of the year for maternity); the monthly benefit
is set in the base year (in local currency, or as a share of GDP per capita or of a
poverty line) and indexed; GDP grows at an explicit real growth rate and inflation.
"""

from __future__ import annotations

import numbers
from collections.abc import Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from socialprotection._validation import _show, choice_column, numeric_column, require_columns
from socialprotection.datasets import load
from socialprotection.finance._checks import text_column
from socialprotection.finance._country import (
    CURRENCIES,
    base_year_macro,
    check_currency,
    country_code,
)

POPULATION_DATASET = "wpp2024_pop_age5_sex_1july_5y"
VARIANTS = ("median", "low_minus_half_child", "high_plus_half_child")
_OPEN = 100  # first age of the open group 100+
_FIRST_YEAR, _LAST_YEAR = 1990, 2100

#: Columns of a benefits table, with their meaning (see :func:`validate_benefits`).
BENEFIT_COLUMNS = {
    "benefit": "name of the benefit",
    "kind": "'age' (an age band of the population) or 'births' (births of the year)",
    "age_min": "first age of the band, in completed years (kind 'age')",
    "age_max": "last age of the band; empty for 'and over' (kind 'age')",
    "sex": "'both', 'female' or 'male' (kind 'age')",
    "prevalence": "share of the age band that is eligible, between 0 and 1 (1 for all)",
    "take_up": "share of the eligible who receive the benefit, between 0 and 1",
    "level": "benefit level in the base year, in the unit of level_unit",
    "level_unit": "'lcu_month' (local currency a month), 'gdp_per_capita_pct' (percent of "
    "GDP per capita a year) or 'poverty_line_pct' (percent of the monthly poverty line)",
    "indexation": "'prices', 'gdp_per_capita' or 'none' (the level stays fixed in money)",
    "admin_rate": "administrative cost as a share of the benefits paid (0.05 = 5 percent)",
    "months": "months of benefit a year (12 for a pension, 4 for maternity...)",
}
KINDS = ("age", "births")
SEXES = ("both", "female", "male")
LEVEL_UNITS = ("lcu_month", "gdp_per_capita_pct", "poverty_line_pct")
INDEXATIONS = ("prices", "gdp_per_capita", "none")


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {value!r}")
    return int(value)


def _grid(country: str, variant: str) -> pd.DataFrame:
    data = load(POPULATION_DATASET)
    rows = data[data["iso3"] == country]
    estimate = rows[rows["variant"] == "estimate"]
    projected = rows[rows["variant"] == variant]
    return pd.concat([estimate, projected], ignore_index=True)


def _band_share(start: np.ndarray, age_min: int, age_max: int | None) -> np.ndarray:
    """Share of each five-year group that lies in the band (uniform within a group)."""
    last = start + 4
    high = last if age_max is None else np.minimum(last, age_max)
    share = np.clip(high - np.maximum(start, age_min) + 1, 0, 5) / 5.0
    open_group = start >= _OPEN
    share[open_group] = 1.0 if (age_max is None and age_min <= _OPEN) else 0.0
    return share


def check_age_band(age_min: object, age_max: object, *, where: str = "age band") -> tuple:
    """Check that an age band lies in the ages of WPP 2024 (0 to 99, and the open 100+).

    Examples
    --------
    >>> check_age_band(65, None)
    (65, None)
    >>> check_age_band(60, 120)
    Traceback (most recent call last):
    ...
    ValueError: age band: ages 60 to 120 are outside the data: WPP 2024 has single ages 0 to 99 ...
    """
    low = _whole(age_min, "age_min") if not isinstance(age_min, float) else age_min
    if isinstance(low, float):
        if not low.is_integer():
            raise ValueError(f"{where}: age_min must be a whole age; got {age_min!r}")
        low = int(low)
    high = age_max
    if high is not None and not (isinstance(high, float) and np.isnan(high)):
        if isinstance(high, float) and not high.is_integer():
            raise ValueError(f"{where}: age_max must be a whole age; got {age_max!r}")
        high = int(high)
    else:
        high = None
    outside = low < 0 or low > _OPEN or (high is not None and (high > _OPEN - 1 or high < low))
    if outside:
        shown = f"{low} to {high}" if high is not None else f"{low} and over"
        raise ValueError(
            f"{where}: ages {shown} are outside the data: WPP 2024 has single ages 0 to "
            f"{_OPEN - 1} in five-year groups and an open group {_OPEN}+; leave age_max "
            "empty for 'and over'"
        )
    return low, high


def population_by_age(
    country: str,
    year: int,
    age_min: int = 0,
    age_max: int | None = None,
    *,
    sex: str = "both",
    variant: str = "median",
) -> float:
    """Return the population of an age band on 1 July, in persons, from WPP 2024 five-year groups.

    The bundled file has five-year age groups every five years (1 July values). A group
    that the band cuts is split uniformly over its five ages; a year between two grid
    years is interpolated linearly. Estimates are used up to 2020 and ``variant`` from
    2025. The open group 100+ is counted when ``age_max`` is None.

    Parameters
    ----------
    country : str
        ISO3 code.
    year : int
        1990 to 2100.
    age_min, age_max : int
        The band, in completed years; ``age_max=None`` for "and over".
    sex : {"both", "female", "male"}
    variant : {"median", "low_minus_half_child", "high_plus_half_child"}

    Examples
    --------
    >>> round(population_by_age("TJK", 2025) / 1e3, 1)  # thousands, as in PROVENANCE.md
    10786.7
    >>> population_by_age("TJK", 2027, 0, 4) > 0
    True
    """
    code = country_code(country)
    year = _whole(year, "year")
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise ValueError(f"year {year} is outside the data: WPP 2024 covers 1990 to 2100")
    if sex not in SEXES:
        raise ValueError(f"sex must be one of {SEXES}; got {sex!r}")
    if variant not in VARIANTS:
        raise ValueError(f"variant must be one of {VARIANTS}; got {variant!r}")
    low, high = check_age_band(age_min, age_max)
    totals = _band_totals(code, variant, sex, low, high)
    return 1000.0 * float(np.interp(year, totals[0], totals[1]))


@lru_cache(maxsize=512)
def _band_totals(
    code: str, variant: str, sex: str, low: int, high: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Grid years and the band's totals in thousands (cached: the data never change)."""
    grid = _grid(code, variant)
    if sex != "both":
        grid = grid[grid["sex"] == sex]
    weights = _band_share(grid["age_start"].to_numpy(), low, high)
    totals = grid.assign(v=grid["pop_thousands"].to_numpy() * weights).groupby("year")["v"].sum()
    return totals.index.to_numpy(), totals.to_numpy()


@lru_cache(maxsize=1)
def _annual() -> pd.DataFrame:
    data = load("wpp2024_annual_indicators")
    return data[data["indicator"] == "births_thousands"]


def births_in(country: str, year: int) -> float:
    """Live births in a calendar year, in persons (WPP 2024 median, annual file).

    Examples
    --------
    >>> births_in("LAO", 2030) > 0
    True
    """
    code = country_code(country)
    year = _whole(year, "year")
    data = _annual()
    rows = data[
        (data["iso3"] == code)
        & (data["indicator"] == "births_thousands")
        & (data["sex"] == "both")
        & (data["year"] == year)
    ]
    if rows.empty:
        raise ValueError(f"no births for {code} in {year}: WPP 2024 covers 1990 to 2100")
    return 1000.0 * float(rows["value"].iloc[0])


def _years(years: object, base_year: int) -> list[int]:
    if isinstance(years, numbers.Integral):
        years = [years]
    out = sorted({_whole(y, "each year") for y in years})
    if not out:
        raise ValueError("give at least one year to cost")
    if out[0] < base_year or out[-1] > _LAST_YEAR:
        raise ValueError(
            f"years {out[0]} to {out[-1]} are outside the projection: it starts in the base "
            f"year {base_year} and the population data end in {_LAST_YEAR}"
        )
    return out


def _rate(value: object, name: str, *, low: float = -50.0, high: float = 100.0) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise TypeError(f"{name} must be a number, in percent a year; got {value!r}")
    if not low < float(value) < high:
        raise ValueError(f"{name} must be between {low} and {high} percent; got {value!r}")
    return float(value)


def macro_projection(
    country: str,
    years,
    *,
    real_growth_pct: float,
    inflation_pct: float,
    base_year: int | None = None,
    government_expense_pct_gdp: float | None = None,
    variant: str = "median",
) -> pd.DataFrame:
    r"""Project the GDP path of a costing: an explicit assumption, year by year.

    From the base year's GDP in local currency (WDI GDP in US dollars x exchange rate),
    GDP grows each year by ``real_growth_pct`` in volume and ``inflation_pct`` in prices:

    .. math:: GDP_t = GDP_b\,[(1 + g)(1 + \pi)]^{t - b}, \quad P_t = (1 + \pi)^{t - b}

    GDP per capita divides by the WPP 2024 population on 1 July. Government expense is a
    constant share of GDP: ``government_expense_pct_gdp``, or by default the latest WDI
    value of the central government's expense (GC.XPN.TOTL.GD.ZS). US dollars are
    *constant base-year dollars*: the amount deflated by :math:`P_t` and converted at the
    base year's exchange rate.

    Returns
    -------
    pandas.DataFrame
        ``year``, ``population``, ``price_index``, ``gdp_lcu``, ``gdp_per_capita_lcu``,
        ``gdp_usd_base_prices``, ``government_expense_lcu``; the assumptions are in
        ``result.attrs``.

    Examples
    --------
    >>> path = macro_projection("TJK", [2025, 2030], real_growth_pct=5.0, inflation_pct=4.0,
    ...                         base_year=2025)
    >>> gdp = path.set_index("year")["gdp_lcu"]
    >>> bool(abs(gdp[2030] / gdp[2025] - (1.05 * 1.04) ** 5) < 1e-9)
    True
    """
    code = country_code(country)
    macro = base_year_macro(code, base_year)
    b = macro["base_year"]
    g = _rate(real_growth_pct, "real_growth_pct") / 100
    pi = _rate(inflation_pct, "inflation_pct") / 100
    if government_expense_pct_gdp is None:
        expense = macro["expense_pct_gdp"]
        if np.isnan(expense):
            raise ValueError(
                f"{code}: the WDI has no government expense; give government_expense_pct_gdp"
            )
        expense_source = f"WDI GC.XPN.TOTL.GD.ZS, {macro['expense_year']}"
    else:
        expense = _rate(government_expense_pct_gdp, "government_expense_pct_gdp", low=0)
        expense_source = "given"
    wanted = _years(years, b)
    span = list(range(b, wanted[-1] + 1))
    t = np.array(span) - b
    population = np.array([population_by_age(code, y, variant=variant) for y in span])
    price = (1 + pi) ** t
    gdp = macro["gdp_lcu"] * ((1 + g) * (1 + pi)) ** t
    out = pd.DataFrame(
        {
            "year": span,
            "population": population,
            "price_index": price,
            "gdp_lcu": gdp,
            "gdp_per_capita_lcu": gdp / population,
            "gdp_usd_base_prices": gdp / price / macro["exchange_rate"],
            "government_expense_lcu": gdp * expense / 100,
        }
    )
    out.attrs["assumptions"] = {
        "country": code,
        "currency": CURRENCIES[code],
        "base_year": b,
        "base_gdp_lcu": macro["gdp_lcu"],
        "base_exchange_rate": macro["exchange_rate"],
        "real_growth_pct": 100 * g,
        "inflation_pct": 100 * pi,
        "government_expense_pct_gdp": float(expense),
        "government_expense_source": expense_source,
        "population": f"WPP 2024 ({POPULATION_DATASET}), variant {variant}",
        "usd": "constant US dollars of the base year",
    }
    return out


def validate_benefits(benefits: pd.DataFrame | Sequence[Mapping]) -> pd.DataFrame:
    """Check a benefits table (one row per benefit) and return it with defaults filled.

    The columns are in :data:`BENEFIT_COLUMNS`. Defaults: ``kind`` 'age', ``sex`` 'both',
    ``prevalence`` 1, ``indexation`` 'prices', ``admin_rate`` 0, ``months`` 12. Errors
    name the column, the benefit and the value: a take-up or a prevalence outside 0 to
    1, an age band outside the data, an unknown unit, a negative level or rate.

    Examples
    --------
    >>> table = validate_benefits([{"benefit": "Social pension", "age_min": 65,
    ...     "take_up": 0.9, "level": 10, "level_unit": "gdp_per_capita_pct"}])
    >>> table.loc[0, ["kind", "sex", "indexation"]].tolist(), float(table.loc[0, "months"])
    (['age', 'both', 'prices'], 12.0)
    >>> validate_benefits([{"benefit": "Child", "age_min": 0, "age_max": 5,
    ...     "take_up": 1.2, "level": 100, "level_unit": "lcu_month"}])
    Traceback (most recent call last):
    ...
    ValueError: benefits: column 'take_up', row 0 (benefit 'Child') holds 1.2; expected a share ...
    """
    if isinstance(benefits, pd.DataFrame):
        table = benefits.copy()
    elif isinstance(benefits, Mapping):
        raise TypeError("benefits must be a table or a list of dicts, one per benefit")
    else:
        table = pd.DataFrame(list(benefits))
    what = "benefits"
    require_columns(
        table, ["benefit", "take_up", "level", "level_unit"], what=what, one_row_per="benefit"
    )
    defaults = {
        "kind": "age",
        "sex": "both",
        "prevalence": 1.0,
        "indexation": "prices",
        "admin_rate": 0.0,
        "months": 12.0,
    }
    for column, value in defaults.items():
        if column not in table.columns:
            table[column] = value
        else:
            table[column] = table[column].astype(object).where(table[column].notna(), value)
    if "age_max" not in table.columns:
        table["age_max"] = np.nan
    names = text_column(table, "benefit", what=what)
    twice = pd.Series(names).duplicated().to_numpy()
    if twice.any():
        row = table.index[int(np.flatnonzero(twice)[0])]
        raise ValueError(
            f"benefits: column 'benefit': row {row} repeats the name {names[twice][0]!r}; "
            "give every benefit a name of its own"
        )
    kinds = choice_column(table, "kind", KINDS)
    for column, allowed in (
        ("sex", SEXES),
        ("level_unit", LEVEL_UNITS),
        ("indexation", INDEXATIONS),
    ):
        choice_column(table, column, allowed)
    for column in ("take_up", "prevalence"):
        values = numeric_column(table, column, non_negative=True)
        above = values > 1
        if above.any():
            row = table.index[int(np.flatnonzero(above)[0])]
            raise ValueError(
                f"benefits: column '{column}', row {row} (benefit '{table.loc[row, 'benefit']}') "
                f"holds {_show(table.loc[row, column])}; expected a share between 0 and 1"
            )
        table[column] = values
    for column in ("level", "admin_rate", "months"):
        table[column] = numeric_column(table, column, non_negative=True)
    too_long = (table["months"] > 12).to_numpy()
    if too_long.any():
        row = table.index[int(np.flatnonzero(too_long)[0])]
        raise ValueError(
            f"benefits: column 'months', row {row} holds {table.loc[row, 'months']:g}; "
            "expected 0 to 12 months a year"
        )
    by_age = kinds == "age"
    if by_age.any() and "age_min" not in table.columns:
        raise KeyError(
            "benefits: missing column 'age_min'; a benefit of kind 'age' needs its first age"
        )
    if "age_min" not in table.columns:
        table["age_min"] = np.nan
    low = numeric_column(table, "age_min", allow_missing=True)
    high = numeric_column(table, "age_max", allow_missing=True)
    for position in np.flatnonzero(by_age):
        row = table.index[position]
        name = table.loc[row, "benefit"]
        if np.isnan(low[position]):
            raise ValueError(
                f"benefits: column 'age_min' has a missing value in row {row} (benefit "
                f"'{name}'); a benefit of kind 'age' needs its first age"
            )
        for column, value in (("age_min", low[position]), ("age_max", high[position])):
            if not np.isnan(value) and not float(value).is_integer():
                raise ValueError(
                    f"benefits: column '{column}', row {row} holds {value:g}; expected a whole age"
                )
        bad = (
            low[position] < 0
            or low[position] > _OPEN
            or (
                not np.isnan(high[position])
                and (high[position] > _OPEN - 1 or high[position] < low[position])
            )
        )
        if bad:
            column = "age_min" if (low[position] < 0 or low[position] > _OPEN) else "age_max"
            shown = (
                f"{low[position]:g} to {high[position]:g}"
                if not np.isnan(high[position])
                else f"{low[position]:g} and over"
            )
            raise ValueError(
                f"benefits: column '{column}', row {row} (benefit '{name}'): ages {shown} are "
                f"outside the data: WPP 2024 has single ages 0 to {_OPEN - 1} in five-year "
                f"groups and an open group {_OPEN}+; leave age_max empty for 'and over'"
            )
    table["age_min"], table["age_max"] = low, high
    return table


def cost_floor(
    country: str,
    benefits: pd.DataFrame | Sequence[Mapping],
    years,
    *,
    real_growth_pct: float,
    inflation_pct: float,
    base_year: int | None = None,
    poverty_line_lcu_month: float | None = None,
    government_expense_pct_gdp: float | None = None,
    variant: str = "median",
    currency: str | None = None,
) -> pd.DataFrame:
    r"""Cost each benefit of a social protection floor, year by year (RAP style).

    For benefit :math:`k` in year :math:`t`:

    .. math::

        C_{k,t} = N_{k,t} \times u_k \times B_{k,t} \times m_k \times (1 + a_k)

    where :math:`N` is the eligible population (the WPP 2024 population of the age band,
    on 1 July, times the prevalence; or the births of the year), :math:`u` the take-up,
    :math:`B` the monthly benefit, :math:`m` the months a year and :math:`a` the
    administrative cost as a share of benefits. :math:`B_{k,t} = B_{k,b} I_t`, where the
    base-year level :math:`B_{k,b}` is given in local currency, or as a percent of the
    base year's GDP per capita (a year) or of the poverty line (a month), and the index
    :math:`I_t` follows prices, nominal GDP per capita, or stays 1. The GDP path is the
    explicit assumption of :func:`macro_projection`. Source of the method: ILO Rapid
    Assessment Protocol; Ortiz et al. (2017), ILO Extension of Social Security paper 58.

    Parameters
    ----------
    country : str
        ISO3 code.
    benefits : pandas.DataFrame or list of dicts
        One row per benefit; see :func:`validate_benefits`.
    years : int or sequence of int
        Years to cost, from the base year to 2100.
    real_growth_pct, inflation_pct : float
        Assumed real GDP growth and inflation, in percent a year.
    base_year : int, optional
        Year of the GDP and of the benefit levels; by default the latest with WDI data.
    poverty_line_lcu_month : float, optional
        Poverty line per person and month in the base year, in local currency; needed
        for a level in 'poverty_line_pct'.
    government_expense_pct_gdp : float, optional
        Government expense in percent of GDP; by default the latest WDI value.
    variant : str, default "median"
        WPP 2024 projection variant (births are the median only).
    currency : str, optional
        When given, it must be the country's currency (ISO 4217 code).

    Returns
    -------
    pandas.DataFrame
        One row per benefit and year, with every parameter named, and ``eligible``,
        ``beneficiaries``, ``benefit_lcu_month``, ``benefits_lcu``, ``admin_lcu``,
        ``cost_lcu``, ``cost_usd_base_prices``, ``cost_pct_gdp`` and
        ``cost_pct_government_expense``. The macro assumptions are in
        ``result.attrs["assumptions"]``.

    Examples
    --------
    >>> pension = {"benefit": "Social pension", "age_min": 65, "take_up": 1.0,
    ...            "level": 10.0, "level_unit": "gdp_per_capita_pct",
    ...            "indexation": "gdp_per_capita", "admin_rate": 0.0}
    >>> out = cost_floor("TJK", [pension], [2025], real_growth_pct=5, inflation_pct=5,
    ...                  base_year=2025)
    >>> share_65 = population_by_age("TJK", 2025, 65) / population_by_age("TJK", 2025)
    >>> round(float(out["cost_pct_gdp"].iloc[0]), 6) == round(10 * share_65, 6)
    True
    """
    code = country_code(country)
    if currency is not None:
        check_currency(code, currency)
    table = validate_benefits(benefits)
    if variant != "median" and (table["kind"] == "births").any():
        raise ValueError("births are bundled for the median variant only; use variant='median'")
    macro = macro_projection(
        code,
        years,
        real_growth_pct=real_growth_pct,
        inflation_pct=inflation_pct,
        base_year=base_year,
        government_expense_pct_gdp=government_expense_pct_gdp,
        variant=variant,
    )
    assumptions = dict(macro.attrs["assumptions"])
    b = assumptions["base_year"]
    wanted = _years(years, b)
    path = macro.set_index("year")
    gdp_pc_base = float(path.loc[b, "gdp_per_capita_lcu"])
    if (table["level_unit"] == "poverty_line_pct").any():
        if poverty_line_lcu_month is None or not float(poverty_line_lcu_month) > 0:
            raise ValueError(
                "a level in 'poverty_line_pct' needs poverty_line_lcu_month, the poverty line "
                f"per person and month in {b}, in local currency; got {poverty_line_lcu_month!r}"
            )
        assumptions["poverty_line_lcu_month"] = float(poverty_line_lcu_month)
    rows = []
    for _, k in table.iterrows():
        if k["level_unit"] == "lcu_month":
            base_level = float(k["level"])
        elif k["level_unit"] == "gdp_per_capita_pct":
            base_level = k["level"] / 100 * gdp_pc_base / 12
        else:
            base_level = k["level"] / 100 * float(poverty_line_lcu_month)
        for year in wanted:
            if k["indexation"] == "prices":
                index = path.loc[year, "price_index"]
            elif k["indexation"] == "gdp_per_capita":
                index = path.loc[year, "gdp_per_capita_lcu"] / gdp_pc_base
            else:
                index = 1.0
            if k["kind"] == "births":
                eligible = births_in(code, year) * k["prevalence"]
            else:
                age_max = None if pd.isna(k["age_max"]) else int(k["age_max"])
                eligible = k["prevalence"] * population_by_age(
                    code, year, int(k["age_min"]), age_max, sex=k["sex"], variant=variant
                )
            beneficiaries = eligible * k["take_up"]
            monthly = base_level * index
            paid = beneficiaries * monthly * k["months"]
            admin = paid * k["admin_rate"]
            rows.append(
                {
                    "benefit": k["benefit"],
                    "year": year,
                    "kind": k["kind"],
                    "age_min": k["age_min"],
                    "age_max": k["age_max"],
                    "sex": k["sex"],
                    "prevalence": k["prevalence"],
                    "take_up": k["take_up"],
                    "level": k["level"],
                    "level_unit": k["level_unit"],
                    "indexation": k["indexation"],
                    "admin_rate": k["admin_rate"],
                    "months": k["months"],
                    "eligible": eligible,
                    "beneficiaries": beneficiaries,
                    "benefit_lcu_month": monthly,
                    "benefits_lcu": paid,
                    "admin_lcu": admin,
                    "cost_lcu": paid + admin,
                }
            )
    out = pd.DataFrame(rows)
    out["currency"] = assumptions["currency"]
    on = out["year"]
    out["cost_usd_base_prices"] = (
        out["cost_lcu"] / on.map(path["price_index"]) / assumptions["base_exchange_rate"]
    )
    out["gdp_lcu"] = on.map(path["gdp_lcu"])
    out["cost_pct_gdp"] = 100 * out["cost_lcu"] / out["gdp_lcu"]
    out["cost_pct_government_expense"] = (
        100 * out["cost_lcu"] / on.map(path["government_expense_lcu"])
    )
    for key in ("base_year", "real_growth_pct", "inflation_pct", "government_expense_pct_gdp"):
        out[key] = assumptions[key]
    out["variant"] = variant
    out.attrs["assumptions"] = assumptions
    return out


def floor_totals(costs: pd.DataFrame) -> pd.DataFrame:
    """Total of all benefits of a costing, by year: local currency, US dollars, percents.

    Examples
    --------
    >>> costs = pd.DataFrame({"year": [2030, 2030], "cost_lcu": [1.0, 2.0],
    ...     "cost_usd_base_prices": [0.1, 0.2], "cost_pct_gdp": [0.5, 1.0],
    ...     "cost_pct_government_expense": [2.0, 4.0]})
    >>> floor_totals(costs)["cost_pct_gdp"].tolist()
    [1.5]
    """
    columns = ["cost_lcu", "cost_usd_base_prices", "cost_pct_gdp", "cost_pct_government_expense"]
    require_columns(costs, ["year", *columns], what="costs", one_row_per="benefit and year")
    numeric_column(costs, "year")
    for column in columns:
        numeric_column(costs, column, non_negative=True)
    return costs.groupby("year", as_index=False)[columns].sum()


def compare_scenarios(
    scenarios: Mapping[str, pd.DataFrame], measure: str = "cost_pct_gdp"
) -> pd.DataFrame:
    """Scenarios side by side: the total of each scenario (columns) by year (rows).

    Parameters
    ----------
    scenarios : mapping of name to the result of :func:`cost_floor`
    measure : str, default "cost_pct_gdp"
        One of ``cost_lcu``, ``cost_usd_base_prices``, ``cost_pct_gdp``,
        ``cost_pct_government_expense``.

    Examples
    --------
    >>> low = pd.DataFrame({"year": [2030], "cost_lcu": [1.0], "cost_usd_base_prices": [1.0],
    ...                     "cost_pct_gdp": [0.5], "cost_pct_government_expense": [2.0]})
    >>> high = low.assign(cost_pct_gdp=[1.5])
    >>> compare_scenarios({"low": low, "high": high}).loc[2030].tolist()
    [0.5, 1.5]
    """
    if not isinstance(scenarios, Mapping) or not scenarios:
        raise TypeError("scenarios must map names to costings, for example {'base': costs}")
    allowed = ("cost_lcu", "cost_usd_base_prices", "cost_pct_gdp", "cost_pct_government_expense")
    if measure not in allowed:
        raise ValueError(f"measure must be one of {allowed}; got {measure!r}")
    columns = {
        name: floor_totals(costs).set_index("year")[measure] for name, costs in scenarios.items()
    }
    table = pd.DataFrame(columns)
    table.columns.name = "scenario"
    return table


#: Parameters that :func:`cost_sensitivity` varies: benefit columns and macro assumptions.
SENSITIVITY_PARAMETERS = (
    "take_up",
    "level",
    "admin_rate",
    "prevalence",
    "real_growth_pct",
    "inflation_pct",
)


def cost_sensitivity(
    country: str,
    benefits: pd.DataFrame | Sequence[Mapping],
    year: int,
    *,
    change_pct: float = 10.0,
    parameters: Sequence[str] = SENSITIVITY_PARAMETERS,
    **assumptions,
) -> pd.DataFrame:
    r"""Measure how much the total cost (percent of GDP) of one year moves with each parameter.

    Each parameter is multiplied by :math:`1 \pm c` (``change_pct``), for all benefits
    at once, the others held; the elasticity is the percent change of the cost divided
    by the percent change of the parameter (the mean of the two directions). A change
    that takes a share above 1 gives a missing cost, with a note.

    Parameters
    ----------
    country, benefits : see :func:`cost_floor`
    year : int
        The year whose cost is compared.
    change_pct : float, default 10
    parameters : sequence of str
        Names among :data:`SENSITIVITY_PARAMETERS`.
    **assumptions
        The keyword arguments of :func:`cost_floor` (``real_growth_pct`` and
        ``inflation_pct`` are required).

    Examples
    --------
    >>> pension = {"benefit": "Social pension", "age_min": 65, "take_up": 0.8,
    ...            "level": 10.0, "level_unit": "gdp_per_capita_pct", "admin_rate": 0.05}
    >>> table = cost_sensitivity("TJK", [pension], 2030, parameters=["take_up", "level"],
    ...                          real_growth_pct=5, inflation_pct=5, base_year=2025)
    >>> table["elasticity"].round(6).tolist()
    [1.0, 1.0]
    """
    year = _whole(year, "year")
    if not 0 < change_pct < 100:
        raise ValueError(f"change_pct must be between 0 and 100; got {change_pct!r}")
    unknown = [p for p in parameters if p not in SENSITIVITY_PARAMETERS]
    if unknown:
        raise ValueError(f"unknown parameter(s) {unknown}; choose among {SENSITIVITY_PARAMETERS}")
    table = validate_benefits(benefits)

    def total(frame: pd.DataFrame, extra: dict) -> float:
        costs = cost_floor(country, frame, [year], **{**assumptions, **extra})
        return float(costs["cost_pct_gdp"].sum())

    base = total(table, {})
    c = change_pct / 100
    rows = []
    for name in parameters:
        costs, note = [], ""
        for factor in (1 - c, 1 + c):
            if name in ("real_growth_pct", "inflation_pct"):
                costs.append(total(table, {name: assumptions[name] * factor}))
                continue
            changed = table.assign(**{name: table[name] * factor})
            if name in ("take_up", "prevalence") and (changed[name] > 1).any():
                costs.append(np.nan)
                note = f"{name} above 1 after the change: not computed"
                continue
            costs.append(total(changed, {}))
        moves = (
            [
                (v / base - 1) / (f - 1)
                for v, f in zip(costs, (1 - c, 1 + c), strict=True)
                if not np.isnan(v)
            ]
            if base > 0
            else []
        )
        rows.append(
            {
                "parameter": name,
                "cost_pct_gdp": base,
                "cost_if_lower": costs[0],
                "cost_if_higher": costs[1],
                "elasticity": float(np.mean(moves)) if moves else np.nan,
                "note": note,
            }
        )
    return pd.DataFrame(rows)
