"""Adequacy of a benefit: against the poverty line, the minimum wage, GDP per capita."""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from socialprotection._validation import numeric_column
from socialprotection.finance._reference import c102_gap


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
    c102_part: str | int | None = None,
    c102_contingency: str | None = None,
) -> pd.Series:
    """Compare a benefit with the usual yardsticks of adequacy, in percent.

    - against the poverty line: benefit / poverty line per person and month x 100;
    - against the minimum wage: benefit / monthly minimum wage x 100;
    - against GDP per capita: 12 x benefit / GDP per capita x 100 (a year);
    - replacement rate: benefit / reference earnings (previous or average earnings) x 100.

    All amounts are in the same currency and price year. Give only the yardsticks you have.

    With ``c102_part`` (and reference earnings), the replacement rate is compared with the
    minimum of ILO Convention No. 102 for that branch, from the Schedule to Part XI
    (:func:`c102_minimum_rates`, :func:`c102_gap`): the result adds ``c102_minimum_pct``
    and ``c102_gap_pct`` (rate minus minimum, in percentage points). The minimum holds for
    the standard beneficiary of the Schedule, with any family allowances added to the
    benefit and to the earnings.

    Parameters
    ----------
    benefit_month : float
        The benefit a month, not negative.
    poverty_line_month, minimum_wage_month, gdp_per_capita_year, reference_earnings_month
        The yardsticks, each positive; give only those you have.
    c102_part : str or int, optional
        The Part of Convention No. 102 of the benefit ("III" to "X", see :func:`c102_gap`);
        needs ``reference_earnings_month``.
    c102_contingency : str, optional
        For Part VI only: "incapacity for work", "invalidity" or "survivors".

    Examples
    --------
    >>> benefit_adequacy(50.0, poverty_line_month=200.0, gdp_per_capita_year=6000.0)
    pct_of_poverty_line       25.0
    pct_of_gdp_per_capita     10.0
    dtype: float64
    >>> benefit_adequacy(70.0, reference_earnings_month=200.0, c102_part="V")
    replacement_rate_pct    35.0
    c102_minimum_pct        40.0
    c102_gap_pct            -5.0
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
    if c102_part is None and c102_contingency is not None:
        raise ValueError(
            f"c102_contingency {c102_contingency!r} needs c102_part, the Part of Convention "
            "No. 102 (for example 'VI')"
        )
    if c102_part is not None:
        if "replacement_rate_pct" not in out:
            raise ValueError(
                f"c102_part {c102_part!r} compares a replacement rate with the minimum of "
                "Convention No. 102: give reference_earnings_month too"
            )
        gap = c102_gap(out["replacement_rate_pct"], c102_part, c102_contingency)
        out["c102_minimum_pct"] = gap["minimum_pct"]
        out["c102_gap_pct"] = gap["gap_pct"]
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
    if not isinstance(price_index, pd.Series):
        raise TypeError("price_index must be a pandas Series of prices by year")
    name = str(price_index.name) if price_index.name is not None else "price_index"
    if price_index.empty:
        raise ValueError(f"price_index '{name}' has no values; expected prices by year")
    values = pd.Series(
        numeric_column(price_index.to_frame(name), name, non_negative=True),
        index=price_index.index,
    )
    zero = (values == 0).to_numpy()
    if zero.any():
        row = price_index.index[int(np.flatnonzero(zero)[0])]
        raise ValueError(f"column '{name}': row {row} holds 0; a price index must be positive")
    return amount / (values / values.iloc[0])


def international_poverty_line(country: str, year: int | None = None) -> dict:
    """Convert the World Bank's international poverty line to local currency a month.

    The line and its price year are read from the name of WDI indicator SI.POV.DDAY in
    the bundled metadata (in this vintage, "$3.00 a day (2021 PPP)"). The purchasing
    power parity (PPP) conversion factor of that year is GDP per capita in local currency
    (NY.GDP.PCAP.CD x PA.NUS.FCRF) divided by GDP per capita in PPP dollars
    (NY.GDP.PCAP.PP.CD). For another ``year``, the line is moved with the GDP deflator
    (NY.GDP.DEFL.KD.ZG), because consumer prices are missing for some countries; say so
    when you use it.

    Returns
    -------
    dict
        ``dollars_a_day``, ``ppp_year``, ``ppp_factor`` (local currency per PPP dollar),
        ``year`` and ``lcu_per_month`` (x 365 / 12).

    Examples
    --------
    >>> line = international_poverty_line("TJK")
    >>> line["dollars_a_day"], line["ppp_year"], line["year"]
    (3.0, 2021, 2021)
    >>> round(line["lcu_per_month"], 2) == round(3.0 * line["ppp_factor"] * 365 / 12, 2)
    True
    """
    import re

    from socialprotection.datasets import load
    from socialprotection.finance._country import country_code, wdi_series

    code = country_code(country)
    meta = load("wdi_indicator_metadata")
    name = str(meta.loc[meta["indicator_code"] == "SI.POV.DDAY", "indicator_name"].iloc[0])
    found = re.search(r"\$(\d+(?:\.\d+)?) a day \((\d{4}) PPP\)", name)
    if found is None:
        raise ValueError(f"cannot read the poverty line from the indicator name {name!r}")
    dollars, ppp_year = float(found.group(1)), int(found.group(2))
    lcu_pc = wdi_series(code, "NY.GDP.PCAP.CD") * wdi_series(code, "PA.NUS.FCRF")
    ppp_pc = wdi_series(code, "NY.GDP.PCAP.PP.CD")
    if ppp_year not in lcu_pc.dropna().index or ppp_year not in ppp_pc.dropna().index:
        raise ValueError(f"{code}: the WDI lacks GDP per capita in {ppp_year} for the PPP factor")
    factor = float(lcu_pc[ppp_year] / ppp_pc[ppp_year])
    year = ppp_year if year is None else int(year)
    deflator = wdi_series(code, "NY.GDP.DEFL.KD.ZG")
    step = range(ppp_year + 1, year + 1) if year >= ppp_year else range(year + 1, ppp_year + 1)
    missing = [y for y in step if y not in deflator.dropna().index]
    if missing:
        raise ValueError(f"{code}: the GDP deflator is missing for {missing}")
    moved = float(np.prod([1 + deflator[y] / 100 for y in step]))
    moved = moved if year >= ppp_year else 1 / moved
    return {
        "dollars_a_day": dollars,
        "ppp_year": ppp_year,
        "ppp_factor": factor,
        "year": year,
        "lcu_per_month": dollars * factor * 365 / 12 * moved,
    }
