"""Coordination of pension rights between countries: territoriality, pro-rata, residence."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialprotection._validation import numeric_column, require_columns

REGIMES = ("none", "pro_rata", "residence")
HISTORY_COLUMNS = ("country", "years", "reference_earnings")
RULES_COLUMNS = ("country", "min_years", "accrual_rate", "max_years", "minimum_pension")
TOTAL = "total"


def _rules_table(rules: pd.DataFrame) -> pd.DataFrame:
    require_columns(rules, RULES_COLUMNS, what="rules", one_row_per="country")
    if rules["country"].isna().any():
        row = rules.index[int(np.flatnonzero(rules["country"].isna().to_numpy())[0])]
        raise ValueError(f"rules: column 'country' is missing in row {row}")
    duplicated = rules["country"].duplicated().to_numpy()
    if duplicated.any():
        k = int(np.flatnonzero(duplicated)[0])
        raise ValueError(
            f"rules: country {str(rules['country'].iloc[k])!r} has more than one row (row "
            f"{rules.index[k]}); give one row per country"
        )
    out = pd.DataFrame(index=rules["country"].astype(str).to_numpy())
    for column in ("min_years", "max_years", "minimum_pension"):
        # No cap on the years counted is max_years = inf.
        out[column] = numeric_column(
            rules, column, non_negative=True, allow_infinite=column == "max_years"
        )
    rate = numeric_column(rules, "accrual_rate")
    bad = (rate < 0) | (rate > 1)
    if bad.any():
        k = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"rules: column 'accrual_rate' must be between 0 and 1 (a share of the reference "
            f"earnings per year counted); row {rules.index[k]} (country "
            f"{rules['country'].iloc[k]!r}) holds {rate[k]:g}"
        )
    out["accrual_rate"] = rate
    return out


def _benefit(rules: pd.DataFrame, country: str, years: float, earnings: float) -> float:
    """benefit_c(n, e) = max(minimum_pension_c, accrual_rate_c x min(n, max_years_c) x e)."""
    rule = rules.loc[country]
    counted = min(years, rule["max_years"])
    return float(max(rule["minimum_pension"], rule["accrual_rate"] * counted * earnings))


def pension_entitlements(
    history: pd.DataFrame,
    rules: pd.DataFrame,
    regime: str,
    residence: str | None = None,
) -> pd.DataFrame:
    r"""Pension paid by each country for a career split between countries, under one regime.

    With :math:`T` the total years in all countries and

    .. math:: b_c(n, e) = \max\bigl(m_c,\ a_c \times \min(n, N_c) \times e\bigr)

    (:math:`m_c` the minimum pension, :math:`a_c` the accrual rate a year, :math:`N_c`
    the maximum years counted, :math:`e` the reference earnings):

    - ``"none"`` (no agreement, territoriality): country c pays
      :math:`b_c(n_c, e_c)` if :math:`n_c \ge` ``min_years`` of c, otherwise nothing.
      ``theoretical`` is not defined (NaN).
    - ``"pro_rata"`` (totalisation with pro-rata apportionment: ILO C157 and R167, the
      Eurasian Economic Union's agreement, the Tajik-Russian agreement as reported):
      c qualifies the person if :math:`T \ge` ``min_years`` of c, computes the
      theoretical amount :math:`b_c(T, e_c)` as if the whole career had been under its
      law, and pays the share :math:`n_c / T` of it.
    - ``"residence"`` (the 1992 CIS agreement): only the country of residence r pays,
      :math:`b_r(T, \bar e)` if :math:`T \ge` ``min_years`` of r, with :math:`\bar e`
      the years-weighted mean of the reference earnings over the whole career.
      The other countries have ``theoretical`` NaN and pay nothing.

    This is the calculation of the book's reference on migrant workers, last section.
    A country with several periods has :math:`n_c` the sum of their years and
    :math:`e_c` the years-weighted mean of their reference earnings.
    Amounts are in the unit of ``reference_earnings`` and ``minimum_pension`` (for
    example a month's earnings in one currency); the rules are usually illustrative.

    Parameters
    ----------
    history : pandas.DataFrame
        One row per insurance period: ``country``, ``years`` (not negative) and
        ``reference_earnings`` (not negative).
    rules : pandas.DataFrame
        One row per country: ``country``, ``min_years`` (years needed to qualify),
        ``accrual_rate`` (share of the reference earnings per year counted, 0 to 1),
        ``max_years`` (cap on the years counted; ``numpy.inf`` for none) and
        ``minimum_pension``.
    regime : {"none", "pro_rata", "residence"}
        The coordination rule.
    residence : str, optional
        Country of residence at pension age; required by ``"residence"``, which needs
        its rules; ignored by the other regimes.

    Returns
    -------
    pandas.DataFrame
        One row per country (in order of first appearance in ``history``, then the
        country of residence if it has no period), then a row ``"total"``:
        ``country``, ``years`` (:math:`n_c`; T on the total row), ``eligible`` (bool;
        on the total row: any country pays), ``theoretical`` (NaN where not defined)
        and ``paid``. ``attrs["regime"]`` and ``attrs["total_years"]`` say how it was
        computed.

    Raises
    ------
    KeyError
        A missing column (named).
    ValueError
        A period in a country without rules, negative years or earnings, an accrual
        rate outside 0 to 1, an unknown regime, or a residence regime without a
        residence country (or without rules for it).

    Examples
    --------
    A career of 10 years in A and 10 in B; each country needs 15 years.

    >>> history = pd.DataFrame({"country": ["A", "B"], "years": [10, 10],
    ...                         "reference_earnings": [100.0, 100.0]})
    >>> rules = pd.DataFrame({"country": ["A", "B"], "min_years": [15, 15],
    ...                       "accrual_rate": [0.01, 0.02], "max_years": [40, 40],
    ...                       "minimum_pension": [0.0, 0.0]})
    >>> pension_entitlements(history, rules, "none")["paid"].tolist()  # qualifies nowhere
    [0.0, 0.0, 0.0]
    >>> out = pension_entitlements(history, rules, "pro_rata")  # 0.01x20x100/2, 0.02x20x100/2
    >>> out[["country", "theoretical", "paid"]].values.tolist()
    [['A', 20.0, 10.0], ['B', 40.0, 20.0], ['total', nan, 30.0]]
    >>> pension_entitlements(history, rules, "residence", residence="B")["paid"].tolist()
    [0.0, 40.0, 40.0]
    """
    if regime not in REGIMES:
        raise ValueError(f"regime must be one of {', '.join(map(repr, REGIMES))}; got {regime!r}")
    require_columns(history, HISTORY_COLUMNS, what="history", one_row_per="insurance period")
    table = _rules_table(rules)
    countries = history["country"]
    if countries.isna().any():
        row = history.index[int(np.flatnonzero(countries.isna().to_numpy())[0])]
        raise ValueError(f"history: column 'country' is missing in row {row}")
    countries = countries.astype(str)
    unknown = ~countries.isin(table.index).to_numpy()
    if unknown.any():
        k = int(np.flatnonzero(unknown)[0])
        raise ValueError(
            f"history: row {history.index[k]} is a period in {countries.iloc[k]!r}, which has "
            f"no rules; the rules cover: {', '.join(map(repr, table.index))}"
        )
    years = numeric_column(history, "years", non_negative=True)
    earnings = numeric_column(history, "reference_earnings", non_negative=True)
    if regime == "residence":
        if residence is None:
            raise ValueError(
                "regime 'residence' needs the country of residence: give residence='...'"
            )
        if str(residence) not in table.index:
            raise ValueError(
                f"residence {residence!r} has no rules; the rules cover: "
                f"{', '.join(map(repr, table.index))}"
            )
        residence = str(residence)

    order = list(dict.fromkeys(countries))
    if regime == "residence" and residence not in order:
        order.append(residence)
    n = {c: float(years[(countries == c).to_numpy()].sum()) for c in order}
    e = {}
    for c in order:
        mask = (countries == c).to_numpy()
        e[c] = float(np.dot(years[mask], earnings[mask]) / n[c]) if n[c] > 0 else 0.0
    total = float(years.sum())
    mean_earnings = float(np.dot(years, earnings) / total) if total > 0 else 0.0

    rows = []
    for c in order:
        minimum = table.loc[c, "min_years"]
        if regime == "none":
            eligible = n[c] >= minimum and n[c] > 0
            theoretical = np.nan
            paid = _benefit(table, c, n[c], e[c]) if eligible else 0.0
        elif regime == "pro_rata":
            eligible = total >= minimum and n[c] > 0
            theoretical = _benefit(table, c, total, e[c]) if n[c] > 0 else np.nan
            paid = theoretical * n[c] / total if eligible else 0.0
        elif c == residence:
            eligible = total >= minimum
            theoretical = _benefit(table, c, total, mean_earnings)
            paid = theoretical if eligible else 0.0
        else:
            eligible, theoretical, paid = False, np.nan, 0.0
        rows.append((c, n[c], bool(eligible), float(theoretical), float(paid)))
    paid_total = float(sum(r[4] for r in rows))
    rows.append((TOTAL, total, any(r[2] for r in rows), np.nan, paid_total))
    out = pd.DataFrame(rows, columns=["country", "years", "eligible", "theoretical", "paid"])
    out.attrs.update(regime=regime, residence=residence, total_years=total)
    return out
