"""Country facts that the costing needs: currency, GDP, exchange rate, government expense."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialprotection.datasets import load

#: Currency of each of the book's ten countries: ISO 4217 alphabetic codes, checked in the tests
#: against the Unicode CLDR data (ISO 4217, Codes for the representation of currencies).
CURRENCIES = {
    "TJK": "TJS",  # Tajik somoni
    "LAO": "LAK",  # Lao kip
    "KGZ": "KGS",  # Kyrgyz som
    "UZB": "UZS",  # Uzbek sum
    "KAZ": "KZT",  # Kazakh tenge
    "KHM": "KHR",  # Cambodian riel
    "VNM": "VND",  # Vietnamese dong
    "THA": "THB",  # Thai baht
    "MMR": "MMK",  # Myanmar kyat
    "CHN": "CNY",  # Chinese yuan renminbi
}

GDP_USD = "NY.GDP.MKTP.CD"
EXCHANGE_RATE = "PA.NUS.FCRF"
EXPENSE_PCT_GDP = "GC.XPN.TOTL.GD.ZS"
REAL_GROWTH = "NY.GDP.MKTP.KD.ZG"
DEFLATOR = "NY.GDP.DEFL.KD.ZG"


def country_code(country: object) -> str:
    """Return an ISO3 code in upper case after checking it is one of the book's countries."""
    if not isinstance(country, str):
        raise TypeError(f"country must be an ISO3 code such as 'TJK'; got {country!r}")
    code = country.upper()
    if code not in CURRENCIES:
        raise ValueError(
            f"country {country!r} is not one of the book's countries: " + ", ".join(CURRENCIES)
        )
    return code


def check_currency(country: str, currency: object, *, where: str = "currency") -> str:
    """Raise ``ValueError`` when ``currency`` is not the currency of ``country``.

    Examples
    --------
    >>> check_currency("TJK", "TJS")
    'TJS'
    >>> check_currency("LAO", "TJS")
    Traceback (most recent call last):
    ...
    ValueError: currency: 'TJS' is not the currency of LAO; expected 'LAK' (ISO 4217)
    """
    code = country_code(country)
    expected = CURRENCIES[code]
    if not isinstance(currency, str) or currency.strip().upper() != expected:
        raise ValueError(
            f"{where}: {currency!r} is not the currency of {code}; expected {expected!r} (ISO 4217)"
        )
    return expected


def wdi_series(country: str, indicator: str) -> pd.Series:
    """One WDI indicator of one country, indexed by year, from the bundled 2026 vintage."""
    data = load("wdi_macro_poverty_labour")
    rows = data[(data["iso3"] == country_code(country)) & (data["indicator_code"] == indicator)]
    return rows.set_index("year")["value"].astype(float).sort_index()


def base_year_macro(country: str, base_year: int | None = None) -> dict:
    """GDP in local currency, the exchange rate and the government expense of a base year.

    GDP in local currency = GDP in current US dollars (WDI NY.GDP.MKTP.CD) x the official
    exchange rate (PA.NUS.FCRF, local currency per US dollar, period average). The base
    year is, by default, the latest year with both. Government expense is the central
    government's "Expense" in percent of GDP (GC.XPN.TOTL.GD.ZS), latest year up to the
    base year: it is not the spending of general government.

    Examples
    --------
    >>> macro = base_year_macro("TJK", 2023)
    >>> macro["base_year"], round(macro["gdp_lcu"] / macro["gdp_usd"], 2)
    (2023, 10.84)
    """
    code = country_code(country)
    gdp = wdi_series(code, GDP_USD)
    fx = wdi_series(code, EXCHANGE_RATE)
    both = sorted(set(gdp.dropna().index) & set(fx.dropna().index))
    if not both:
        raise ValueError(f"{code}: no year with both GDP and the exchange rate in the WDI")
    if base_year is None:
        base_year = both[-1]
    if base_year not in both:
        raise ValueError(
            f"{code}: base_year {base_year} lacks GDP or the exchange rate in the WDI; "
            f"years with both: {both[0]} to {both[-1]}"
        )
    expense = wdi_series(code, EXPENSE_PCT_GDP).dropna()
    expense = expense[expense.index <= base_year]
    return {
        "country": code,
        "currency": CURRENCIES[code],
        "base_year": int(base_year),
        "gdp_usd": float(gdp[base_year]),
        "exchange_rate": float(fx[base_year]),
        "gdp_lcu": float(gdp[base_year] * fx[base_year]),
        "expense_pct_gdp": float(expense.iloc[-1]) if len(expense) else np.nan,
        "expense_year": int(expense.index[-1]) if len(expense) else None,
    }


def average_growth(country: str, first: int, last: int) -> dict:
    """Average real GDP growth and GDP-deflator inflation (percent a year) over past years.

    Geometric means of the WDI series NY.GDP.MKTP.KD.ZG and NY.GDP.DEFL.KD.ZG over the
    years ``first`` to ``last``; years without a value are counted in ``missing_years``.
    A projection's assumption must be stated: this helper gives one that is easy to explain.

    Examples
    --------
    >>> past = average_growth("LAO", 2015, 2019)
    >>> round(past["real_growth_pct"], 2), past["missing_years"]
    (6.58, 0)
    """
    code = country_code(country)
    if last < first:
        raise ValueError(f"last ({last}) must not be before first ({first})")
    out = {"first": int(first), "last": int(last)}
    missing = 0
    for key, indicator in (("real_growth_pct", REAL_GROWTH), ("inflation_pct", DEFLATOR)):
        series = wdi_series(code, indicator).reindex(range(first, last + 1))
        missing = max(missing, int(series.isna().sum()))
        values = series.dropna().to_numpy() / 100
        out[key] = (
            float(100 * (np.prod(1 + values) ** (1 / len(values)) - 1)) if len(values) else np.nan
        )
    out["missing_years"] = missing
    return out
