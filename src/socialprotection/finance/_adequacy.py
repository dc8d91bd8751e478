"""Adequacy of a benefit: against the poverty line, the minimum wage, GDP per capita."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd


def _amount(value: object, name: str, *, positive: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or np.isnan(value):
        raise TypeError(f"{name} must be a number; got {value!r}")
    if value < 0 or (positive and value == 0):
        raise ValueError(
            f"{name} must be {'positive' if positive else 'not negative'}; got {value!r}"
        )
    return float(value)


def benefit_adequacy(
    benefit_month: float,
    *,
    poverty_line_month: float | None = None,
    minimum_wage_month: float | None = None,
    gdp_per_capita_year: float | None = None,
    reference_earnings_month: float | None = None,
) -> pd.Series:
    """Compare a benefit with the usual yardsticks of adequacy, in percent.

    - against the poverty line: benefit / poverty line per person and month x 100;
    - against the minimum wage: benefit / monthly minimum wage x 100;
    - against GDP per capita: 12 x benefit / GDP per capita x 100 (a year);
    - replacement rate: benefit / reference earnings (previous or average earnings) x 100.

    All amounts are in the same currency and price year. Give only the yardsticks you have.
    ILO Convention No. 102 sets minimum replacement rates for a standard beneficiary in
    each branch; the book does not print them, because they were not checked against the
    Convention's text.

    Examples
    --------
    >>> benefit_adequacy(50.0, poverty_line_month=200.0, gdp_per_capita_year=6000.0)
    pct_of_poverty_line       25.0
    pct_of_gdp_per_capita     10.0
    dtype: float64
    """
    benefit = _amount(benefit_month, "benefit_month")
    out = {}
    pairs = (
        ("pct_of_poverty_line", poverty_line_month, 1.0, "poverty_line_month"),
        ("pct_of_minimum_wage", minimum_wage_month, 1.0, "minimum_wage_month"),
        ("pct_of_gdp_per_capita", gdp_per_capita_year, 12.0, "gdp_per_capita_year"),
        ("replacement_rate_pct", reference_earnings_month, 1.0, "reference_earnings_month"),
    )
    for key, yardstick, months, name in pairs:
        if yardstick is not None:
            out[key] = 100 * months * benefit / _amount(yardstick, name, positive=True)
    if not out:
        raise ValueError(
            "give at least one yardstick: a poverty line, a minimum wage, GDP "
            "per capita or reference earnings"
        )
    return pd.Series(out, dtype=float)


def real_value(benefit: float, price_index) -> pd.Series:
    """Real value of a benefit fixed in money, when prices move: benefit / (P_t / P_0).

    Parameters
    ----------
    benefit : float
        The nominal benefit, unchanged over the years.
    price_index : pandas.Series
        A price index by year (any base); the first year is the reference.

    Examples
    --------
    >>> real_value(100.0, pd.Series({2020: 1.0, 2021: 1.25})).tolist()
    [100.0, 80.0]
    """
    amount = _amount(benefit, "benefit")
    if not isinstance(price_index, pd.Series) or price_index.empty:
        raise TypeError("price_index must be a pandas Series of prices by year")
    values = pd.to_numeric(price_index, errors="coerce")
    if values.isna().any():
        row = values[values.isna()].index[0]
        raise ValueError(f"price_index: year {row} holds {price_index[row]!r}; expected a number")
    if (values <= 0).any():
        row = values[values <= 0].index[0]
        raise ValueError(
            f"price_index: year {row} holds {price_index[row]!r}; expected a positive index"
        )
    return amount / (values / values.iloc[0])
