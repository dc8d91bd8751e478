"""Published SDG 1.3.1 values from the UN SDG Global Database, as a tidy table."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from socialprotection._validation import (
    as_list,
)
from socialprotection.coverage._series import SERIES, _listed
from socialprotection.datasets import load

# ---- published values ------------------------------------------------------------------

_SEX_CODES = {"bothsex": "both", "female": "female", "male": "male"}


def published_series(iso3: str, series: str | Iterable[str] | None = None) -> pd.DataFrame:
    """Return the published SDG 1.3.1 series (ILO) of a country, in long form.

    From the bundled UN SDG Global Database extract (December 2023 vintage,
    ``sdg_social_protection_poverty_labour``).
    Only the nine ILO series of :data:`SERIES` are returned; the World Bank's ASPIRE
    series of 1.3.1 (SI_COV_SOCAST, SI_COV_SOCINS, SI_COV_LMKT) are split by quintile,
    not by sex, and are left out.
    Series without a published value for the country are simply absent.

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country.
    series : str or list of str, optional
        UN series codes; all nine when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``series``, ``sex`` (``both``, ``female`` or ``male``, read from the
        ``disaggregation`` column), ``year`` and ``value_pct`` (percent), sorted in
        the order of :data:`SERIES`, then sex and year.

    Examples
    --------
    >>> tjk = published_series("TJK", "SI_COV_PENSN")
    >>> tjk.loc[tjk["year"] == 2020, "value_pct"].item()
    93.7
    """
    codes = list(SERIES) if series is None else as_list(series)
    unknown = [c for c in codes if c not in SERIES]
    if unknown:
        raise ValueError(
            f"unknown series {_listed(unknown)}; the ILO series of SDG 1.3.1 are: "
            + _listed(SERIES)
        )
    data = load("sdg_social_protection_poverty_labour")
    if iso3 not in set(data["iso3"]):
        raise ValueError(
            f"unknown country {iso3!r}; available ISO3 codes: "
            + ", ".join(sorted(set(data["iso3"])))
        )
    rows = data[(data["iso3"] == iso3) & data["series_code"].isin(codes)]
    sexes = []
    for row, text in rows["disaggregation"].fillna("").items():
        parts = dict(p.split("=", 1) for p in str(text).split(";") if p)
        if set(parts) != {"sex"} or parts["sex"] not in _SEX_CODES:
            raise ValueError(
                f"sdg_social_protection_poverty_labour row {row}: expected a disaggregation "
                f"by sex only, got {text!r}"
            )
        sexes.append(_SEX_CODES[parts["sex"]])
    result = pd.DataFrame(
        {
            "series": rows["series_code"].astype(object).to_numpy(),
            "sex": sexes,
            "year": rows["year"].astype(int).to_numpy(),
            "value_pct": rows["value"].astype(float).to_numpy(),
        }
    )
    order = {code: i for i, code in enumerate(SERIES)}
    result = result.sort_values(
        ["series", "sex", "year"], key=lambda c: c.map(order) if c.name == "series" else c
    )
    return result.reset_index(drop=True)
