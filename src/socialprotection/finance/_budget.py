"""Budget review: execution, composition, PEFA composition variance, administrative cost.

A budget table has one row per programme and year, with the approved (original) budget,
the executed amount (the outturn), and optionally the administrative cost, the function
and the currency. Amounts are in local currency, never negative.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from socialprotection._validation import _show, numeric_column, require_columns
from socialprotection.finance._checks import key_column, text_column
from socialprotection.finance._country import check_currency
from socialprotection.finance._reference import PEFA_PI2_BANDS, pefa_execution_band

#: Columns that every budget table must have.
BUDGET_COLUMNS = ("programme", "year", "approved", "executed")
#: Columns that a budget table may have.
BUDGET_OPTIONAL = ("function", "admin_cost", "currency")


def validate_budget(budget: pd.DataFrame, *, country: str | None = None) -> pd.DataFrame:
    """Check a budget table and return a clean copy, with missing amounts counted.

    Checks, each with an error that names the column, the row and the value:

    - the columns ``programme``, ``year``, ``approved`` and ``executed`` are present;
    - ``year`` holds whole numbers and every row has a programme;
    - amounts (``approved``, ``executed``, ``admin_cost``) are numbers and not negative;
    - no row has an executed amount without an approved budget (an execution year without
      an approved budget);
    - no programme appears twice in the same year;
    - when ``country`` is given and the table has a ``currency`` column, every currency is
      the country's currency (ISO 4217 code).

    A row with neither an approved nor an executed amount is kept; the number of missing
    values of each amount column is stored in ``result.attrs["missing"]``, never dropped
    silently.

    Parameters
    ----------
    budget : pandas.DataFrame
        One row per programme and year.
    country : str, optional
        ISO3 code of the country, to check the currency.

    Returns
    -------
    pandas.DataFrame
        A copy with ``year`` as integers and the amounts as floats.

    Examples
    --------
    >>> table = pd.DataFrame({"programme": ["Pensions", "Pensions"], "year": [2022, 2023],
    ...                       "approved": [100.0, 110.0], "executed": [96.0, None]})
    >>> validate_budget(table).attrs["missing"]
    {'approved': 0, 'executed': 1}
    >>> table.loc[1, "approved"] = -5
    >>> validate_budget(table)
    Traceback (most recent call last):
    ...
    ValueError: column 'approved' must not be negative; row 1 holds -5.0
    """
    if not isinstance(budget, pd.DataFrame):
        raise TypeError(f"budget must be a pandas DataFrame; got {type(budget).__name__}")
    require_columns(budget, BUDGET_COLUMNS, what="budget", one_row_per="programme and year")
    out = budget.copy()
    text_column(out, "programme", what="budget")
    years = numeric_column(out, "year")
    if not np.all(years == np.round(years)):
        row = out.index[int(np.flatnonzero(years != np.round(years))[0])]
        raise ValueError(
            f"budget: column 'year' must hold whole years; row {row} holds "
            f"{_show(out.loc[row, 'year'])}"
        )
    out["year"] = years.astype(int)
    missing = {}
    amounts = [c for c in ("approved", "executed", "admin_cost") if c in out.columns]
    for column in amounts:
        values = numeric_column(out, column, allow_missing=True, non_negative=True)
        out[column] = values
        missing[column] = int(np.isnan(values).sum())
    orphan = out["approved"].isna() & out["executed"].notna()
    if orphan.any():
        row = orphan[orphan].index[0]
        raise ValueError(
            f"budget: row {row} ({out.loc[row, 'programme']!s}, {out.loc[row, 'year']}) has an "
            f"executed amount of {out.loc[row, 'executed']:g} but no approved budget; an "
            "execution rate needs the approved budget of the same year"
        )
    twice = out.duplicated(["programme", "year"], keep="first")
    if twice.any():
        row = twice[twice].index[0]
        raise ValueError(
            f"budget: programme {out.loc[row, 'programme']!r} appears twice in year "
            f"{out.loc[row, 'year']} (row {row}); give one row per programme and year"
        )
    if country is not None and "currency" in out.columns:
        for row, code in out["currency"].items():
            if not isinstance(code, str) and pd.isna(code):
                raise ValueError(
                    f"budget: column 'currency' has a missing value in row {row}; expected "
                    f"the currency of {country}"
                )
            check_currency(country, code, where=f"budget: column 'currency', row {row}")
    out.attrs["missing"] = missing
    return out


def execution_rates(budget: pd.DataFrame) -> pd.DataFrame:
    """Compute the execution rate of each programme and year: executed / approved x 100.

    The execution rate is the outturn in percent of the original approved budget, the
    basis of SDG indicator 16.6.1 and of PEFA indicator PI-1 (there for the aggregate
    budget). Rows whose executed amount is missing get a missing rate, and are counted
    in ``result.attrs["missing_executed"]``.

    Parameters
    ----------
    budget : pandas.DataFrame
        A budget table (see :func:`validate_budget`).

    Returns
    -------
    pandas.DataFrame
        ``programme``, ``year``, ``approved``, ``executed``, ``execution_rate_pct`` and
        ``deviation_pct`` (rate minus 100: negative for underspending).

    Examples
    --------
    >>> table = pd.DataFrame({"programme": ["A", "B"], "year": [2023, 2023],
    ...                       "approved": [200.0, 50.0], "executed": [180.0, 55.0]})
    >>> execution_rates(table)[["programme", "execution_rate_pct", "deviation_pct"]]
      programme  execution_rate_pct  deviation_pct
    0         A                90.0          -10.0
    1         B               110.0           10.0
    """
    clean = validate_budget(budget)
    out = clean[["programme", "year", "approved", "executed"]].copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = np.where(out["approved"] > 0, 100 * out["executed"] / out["approved"], np.nan)
    out["execution_rate_pct"] = rate
    out["deviation_pct"] = rate - 100
    out.attrs["missing_executed"] = int(out["executed"].isna().sum())
    return out.reset_index(drop=True)


def _complete(clean: pd.DataFrame) -> pd.DataFrame:
    return clean[clean["approved"].notna() & clean["executed"].notna()]


def composition_variance(budget: pd.DataFrame, by: str = "programme") -> pd.DataFrame:
    r"""Compute the composition variance of each year, the measure of PEFA PI-2 (dimension 2.1).

    For each year, the approved budget of each head (programme or function) is first
    scaled by the ratio of total outturn to total approved budget, to remove the change
    in the aggregate; the variance is the sum of the absolute deviations of the outturn
    from this adjusted budget, in percent of the adjusted total:

    .. math:: v = 100 \sum_i |x_i - b_i X / B| \,/\, X

    where :math:`x_i` is the outturn and :math:`b_i` the approved budget of head
    :math:`i`, and :math:`X`, :math:`B` their totals. Source: PEFA Secretariat (2016),
    PI-2, dimension 2.1, measurement guidance 2.1:3 (https://www.pefa.org/node/4765).
    Rows with a missing amount are left out of the year and counted in
    ``result.attrs["left_out"]``.

    Parameters
    ----------
    budget : pandas.DataFrame
        A budget table (see :func:`validate_budget`).
    by : {"programme", "function"}, default "programme"
        The heads to compare.

    Returns
    -------
    pandas.DataFrame
        One row per year: ``approved``, ``executed``, ``execution_rate_pct`` (aggregate)
        and ``composition_variance_pct``.

    Examples
    --------
    >>> table = pd.DataFrame({"programme": ["A", "B"], "year": [2023, 2023],
    ...                       "approved": [100.0, 100.0], "executed": [120.0, 80.0]})
    >>> composition_variance(table)["composition_variance_pct"].round(1).tolist()
    [20.0]
    """
    clean = validate_budget(budget)
    if by not in ("programme", "function"):
        raise ValueError(f"by must be 'programme' or 'function'; got {by!r}")
    key_column(clean, by, what="budget")
    used = _complete(clean)
    rows = []
    for year, part in used.groupby("year", sort=True):
        heads = part.groupby(by)[["approved", "executed"]].sum()
        total_b, total_x = heads["approved"].sum(), heads["executed"].sum()
        if total_b <= 0 or total_x <= 0:
            variance = np.nan
        else:
            adjusted = heads["approved"] * total_x / total_b
            variance = 100 * (heads["executed"] - adjusted).abs().sum() / adjusted.sum()
        rate = 100 * total_x / total_b if total_b > 0 else np.nan
        rows.append((int(year), total_b, total_x, rate, variance))
    out = pd.DataFrame(
        rows,
        columns=["year", "approved", "executed", "execution_rate_pct", "composition_variance_pct"],
    )
    out.attrs["left_out"] = int(len(clean) - len(used))
    return out


def pefa_composition_score(variances_pct) -> str:
    """PEFA PI-2 score (A to D) from the composition variances of the last three years.

    A year meets a band when its variance is less than the band's ceiling
    (:data:`PEFA_PI2_BANDS`: A 5 %, B 10 %, C 15 %); the score is the best band met in at
    least two of the three years, and D otherwise. Source: PEFA Secretariat (2016), PI-2,
    dimension 2.1 scoring table (https://www.pefa.org/node/4627).

    Parameters
    ----------
    variances_pct : sequence of three numbers
        The composition variances, in percent, of the last three completed years.

    Examples
    --------
    >>> pefa_composition_score([4.0, 12.0, 8.0])
    'B'
    >>> pefa_composition_score([4.0, 3.0, 30.0])
    'A'
    >>> pefa_composition_score([16.0, 20.0, 4.0])
    'D'
    """
    values = np.asarray(list(variances_pct), dtype=float)
    if values.shape != (3,):
        raise ValueError(
            f"PEFA scores the last three completed years: give three variances; got {values.size}"
        )
    if np.isnan(values).any():
        raise ValueError("a variance is missing; PEFA needs all three years")
    if (values < 0).any():
        raise ValueError(f"a variance cannot be negative; got {values.tolist()}")
    for band, ceiling in PEFA_PI2_BANDS.items():
        if int((values < ceiling).sum()) >= 2:
            return band
    return "D"


def spending_composition(
    budget: pd.DataFrame, by: str = "programme", *, basis: str = "executed"
) -> pd.DataFrame:
    """Share of each programme (or function) in the total of each year, in percent.

    Parameters
    ----------
    budget : pandas.DataFrame
        A budget table (see :func:`validate_budget`).
    by : {"programme", "function"}, default "programme"
    basis : {"executed", "approved"}, default "executed"
        Which amounts to compare. Missing amounts are left out and counted in
        ``result.attrs["left_out"]``.

    Returns
    -------
    pandas.DataFrame
        ``year``, the head, the amount and ``share_pct``.

    Examples
    --------
    >>> table = pd.DataFrame({"programme": ["Pensions", "Child benefit"],
    ...                       "year": [2023, 2023], "approved": [300.0, 100.0],
    ...                       "executed": [300.0, 100.0]})
    >>> spending_composition(table)["share_pct"].tolist()
    [75.0, 25.0]
    """
    clean = validate_budget(budget)
    if by not in ("programme", "function"):
        raise ValueError(f"by must be 'programme' or 'function'; got {by!r}")
    if basis not in ("executed", "approved"):
        raise ValueError(f"basis must be 'executed' or 'approved'; got {basis!r}")
    key_column(clean, by, what="budget")
    used = clean[clean[basis].notna()]
    sums = used.groupby(["year", by], sort=True)[basis].sum().reset_index()
    totals = sums.groupby("year")[basis].transform("sum")
    sums["share_pct"] = 100 * sums[basis] / totals
    sums = sums.sort_values(["year", "share_pct"], ascending=[True, False], ignore_index=True)
    sums.attrs["left_out"] = int(len(clean) - len(used))
    return sums


def _by_year(values: Mapping | pd.Series | None, name: str) -> dict[int, float]:
    if values is None:
        return {}
    if isinstance(values, pd.Series):
        values = values.to_dict()
    if not isinstance(values, Mapping):
        raise TypeError(f"{name} must map years to amounts, for example {{2023: 1.2e11}}")
    out = {}
    for year, value in values.items():
        value = float(value)
        if not value > 0:
            raise ValueError(f"{name} for {year} must be a positive amount; got {value!r}")
        out[int(year)] = value
    return out


def budget_review(
    budget: pd.DataFrame,
    *,
    gdp: Mapping | pd.Series | None = None,
    government_expenditure: Mapping | pd.Series | None = None,
) -> pd.DataFrame:
    """Budget-review indicators of each year of a social protection budget.

    - execution rate = executed / approved x 100, with the band of the year on the PEFA
      PI-1 scale (``pefa_pi1_band``, see :func:`pefa_execution_band`; the score needs three
      years, see :func:`pefa_execution_score`);
    - composition variance (PEFA PI-2, see :func:`composition_variance`);
    - administrative cost ratio = administrative cost / executed x 100 (when the table has
      ``admin_cost``);
    - spending in percent of GDP and of government expenditure (when they are given, in
      the budget's currency, by year).

    Parameters
    ----------
    budget : pandas.DataFrame
        A budget table (see :func:`validate_budget`).
    gdp, government_expenditure : mapping or pandas.Series, optional
        Amounts by year, in the same currency and unit as the budget.

    Returns
    -------
    pandas.DataFrame
        One row per year.

    Examples
    --------
    >>> table = pd.DataFrame({"programme": ["A", "B"], "year": [2023, 2023],
    ...                       "approved": [100.0, 100.0], "executed": [90.0, 110.0],
    ...                       "admin_cost": [4.0, 6.0]})
    >>> review = budget_review(table, gdp={2023: 5000.0}, government_expenditure={2023: 1000.0})
    >>> review.loc[0, ["execution_rate_pct", "admin_cost_ratio_pct", "pct_of_gdp",
    ...                "pct_of_government_expenditure"]].tolist()
    [100.0, 5.0, 4.0, 20.0]
    """
    clean = validate_budget(budget)
    out = composition_variance(clean)
    out.insert(
        out.columns.get_loc("execution_rate_pct") + 1,
        "pefa_pi1_band",
        [None if np.isnan(r) else pefa_execution_band(float(r)) for r in out["execution_rate_pct"]],
    )
    gdp_by_year = _by_year(gdp, "gdp")
    gov_by_year = _by_year(government_expenditure, "government_expenditure")
    if "admin_cost" in clean.columns:
        used = _complete(clean)
        admin = used.groupby("year")["admin_cost"].sum(min_count=1)
        out["admin_cost"] = out["year"].map(admin)
        out["admin_cost_ratio_pct"] = 100 * out["admin_cost"] / out["executed"]
    out["pct_of_gdp"] = 100 * out["executed"] / out["year"].map(gdp_by_year)
    out["pct_of_government_expenditure"] = 100 * out["executed"] / out["year"].map(gov_by_year)
    return out
