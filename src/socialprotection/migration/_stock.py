"""Who migrates, and what the families receive: migrant stock, remittances and their cost."""

from __future__ import annotations

import numbers

import pandas as pd

from socialprotection.datasets import load
from socialprotection.demography import population as _population

#: SDG target 10.c: reduce the transaction costs of migrant remittances to less than 3 %.
SDG_10C_TARGET_PCT = 3.0

STOCK_CAVEAT = (
    "International Migrant Stock 2019 counts people by country of birth (or citizenship "
    "where the birthplace is unknown) living abroad at mid-year: seasonal and circular "
    "labour migrants are largely missing, so labour migration can be much larger than this "
    "stock; sums per origin leave out the UN's 'Other North' and 'Other South' residual "
    "columns; the 2019 row for Lao-born people in Bangladesh looks doubtful."
)
STOCK_SOURCE = (
    "UN DESA Population Division, International Migrant Stock 2019 "
    "(dataset ims2019_emigrant_stock_by_destination)"
)
REMITTANCES = "BX.TRF.PWKR.DT.GD.ZS"
VINTAGES = ("WDI_2025_opennumbers", "WDI_2022-05-25")


def _iso3(value: object, what: str = "origin") -> str:
    if not isinstance(value, str):
        raise TypeError(f"{what} must be an ISO3 code such as 'TJK'; got {value!r}")
    return value.upper()


def _year(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"year must be a whole number such as 2019; got {value!r}")
    return int(value)


def _stock(origin: str, year: int) -> pd.DataFrame:
    data = load("ims2019_emigrant_stock_by_destination")
    of_origin = data[data["origin_iso3"] == origin]
    if of_origin.empty:
        raise ValueError(
            f"no emigrant stock for origin {origin!r}; the origins are: "
            + ", ".join(sorted(data["origin_iso3"].unique()))
        )
    rows = of_origin[of_origin["year"] == year]
    if rows.empty:
        years = ", ".join(map(str, sorted(of_origin["year"].unique())))
        raise ValueError(f"no emigrant stock for {origin} in {year}; the years are: {years}")
    return rows


def origin_population(origin: str, year: int) -> tuple[float, str]:
    """Mid-year population of a country of origin, from WPP 2019, in persons.

    The International Migrant Stock 2019 was made with World Population Prospects 2019,
    so the same revision is used: :func:`socialprotection.population` with
    ``source="wpp2019"``. A year between two bundled five-year values is interpolated
    geometrically: :math:`P_t = P_a (P_b / P_a)^{(t-a)/(b-a)}`.

    Returns
    -------
    tuple of (float, str)
        The population and a sentence that says where it comes from.

    Examples
    --------
    >>> persons, note = origin_population("TJK", 2020)
    >>> round(persons), note
    (9537642, 'UN DESA, World Population Prospects 2019, 1 July 2020')
    >>> round(origin_population("TJK", 2019)[0])
    9310338
    """
    origin, year = _iso3(origin), _year(year)
    note = "UN DESA, World Population Prospects 2019, 1 July"
    available = sorted(load("pop_age_sex_wpp2019").query("iso3 == @origin")["year"].unique())
    if year in available:
        return _population(origin, year, source="wpp2019"), f"{note} {year}"
    before = [y for y in available if y < year]
    after = [y for y in available if y > year]
    if not before or not after:
        raise ValueError(
            f"no WPP 2019 population for {origin} in {year}, and no bundled years on both sides "
            f"to interpolate (years: {', '.join(map(str, available)) or 'none'}); give the "
            "population yourself with population=..."
        )
    a, b = before[-1], after[0]
    pa, pb = _population(origin, a, source="wpp2019"), _population(origin, b, source="wpp2019")
    value = pa * (pb / pa) ** ((year - a) / (b - a))
    return float(value), f"{note} {year}, interpolated geometrically between {a} and {b}"


def emigrant_stock(origin: str, year: int = 2019, *, population: float | None = None):
    r"""Emigrants born in ``origin``, by country of destination, and as a share of the origin.

    .. math:: \text{share of emigrants}_d = M_d / \sum_d M_d, \qquad
              \text{pct of origin population}_d = 100 \, M_d / P_{origin}

    with :math:`M_d` the migrant stock born in the origin and living in destination d,
    and :math:`P_{origin}` the resident population of the origin at mid-year (see
    :func:`origin_population`; the emigrants are not part of it).

    Parameters
    ----------
    origin : str
        ISO3 code of the country of birth, one of the ten countries of the book.
    year : int, default 2019
        1990, 1995, 2000, 2005, 2010, 2015 or 2019.
    population : float, optional
        Population of the origin, in persons, to use instead of WPP 2019.

    Returns
    -------
    pandas.DataFrame
        One row per destination, largest first: ``destination_iso3``,
        ``destination_name``, ``migrants``, ``share_of_emigrants`` (0 to 1) and
        ``pct_of_origin_population``. ``attrs`` holds ``origin``, ``year``,
        ``total_migrants``, ``origin_population``, ``population_source``, ``source``
        and ``caveat`` (a birthplace stock: seasonal migrants are missing).

    Examples
    --------
    >>> out = emigrant_stock("TJK", 2019)
    >>> str(out.loc[0, "destination_iso3"]), int(out.loc[0, "migrants"])
    ('RUS', 466399)
    >>> "seasonal" in out.attrs["caveat"]
    True
    """
    origin, year = _iso3(origin), _year(year)
    rows = _stock(origin, year)
    if population is None:
        pop, pop_source = origin_population(origin, year)
    else:
        if isinstance(population, bool) or not isinstance(population, numbers.Real):
            raise TypeError(f"population must be a number of persons; got {population!r}")
        if not population > 0:
            raise ValueError(f"population must be a positive number of persons; got {population}")
        pop, pop_source = float(population), "given by the caller"
    migrants = rows["migrant_stock_persons"].astype("int64").to_numpy()
    total = int(migrants.sum())
    out = pd.DataFrame(
        {
            "destination_iso3": rows["destination_iso3"].astype(str).to_numpy(),
            "destination_name": rows["destination_name"].astype(str).to_numpy(),
            "migrants": migrants,
            "share_of_emigrants": migrants / total,
            "pct_of_origin_population": 100 * migrants / pop,
        }
    )
    out = out.sort_values("migrants", ascending=False, kind="stable").reset_index(drop=True)
    out.attrs.update(
        origin=origin,
        year=year,
        total_migrants=total,
        origin_population=pop,
        population_source=pop_source,
        source=STOCK_SOURCE,
        caveat=STOCK_CAVEAT,
    )
    return out


def emigrant_share(origins, year: int = 2019) -> pd.DataFrame:
    r"""Total emigrant stock of each origin and its share of the origin's population.

    .. math:: \text{pct} = 100 \, \sum_d M_d / P_{origin}

    Parameters
    ----------
    origins : str or list of str
        ISO3 codes of the countries of birth.
    year : int, default 2019

    Returns
    -------
    pandas.DataFrame
        One row per origin: ``origin``, ``year``, ``migrants``, ``origin_population``,
        ``pct_of_origin_population``, ``top_destination`` and
        ``top_destination_share`` (0 to 1). ``attrs["caveat"]`` and
        ``attrs["source"]`` as in :func:`emigrant_stock`.

    Examples
    --------
    >>> out = emigrant_share(["TJK", "LAO"])
    >>> out[["origin", "top_destination"]].values.tolist()
    [['TJK', 'RUS'], ['LAO', 'THA']]
    """
    origins = [origins] if isinstance(origins, str) else list(origins)
    rows = []
    for origin in origins:
        stock = emigrant_stock(origin, year)
        rows.append(
            {
                "origin": stock.attrs["origin"],
                "year": stock.attrs["year"],
                "migrants": stock.attrs["total_migrants"],
                "origin_population": stock.attrs["origin_population"],
                "pct_of_origin_population": 100
                * stock.attrs["total_migrants"]
                / stock.attrs["origin_population"],
                "top_destination": stock.loc[0, "destination_iso3"],
                "top_destination_share": float(stock.loc[0, "share_of_emigrants"]),
            }
        )
    out = pd.DataFrame(rows)
    out.attrs.update(source=STOCK_SOURCE, caveat=STOCK_CAVEAT)
    return out


def remittances_share_of_gdp(iso3: str, vintage: str = "WDI_2025_opennumbers") -> pd.DataFrame:
    """Personal remittances received, in percent of GDP, over time (WDI BX.TRF.PWKR.DT.GD.ZS).

    Parameters
    ----------
    iso3 : str
        ISO3 code of the receiving country.
    vintage : {"WDI_2025_opennumbers", "WDI_2022-05-25"}
        The World Bank release to read; the two differ where the World Bank revised GDP
        or remittances. Always say which one you use.

    Returns
    -------
    pandas.DataFrame
        ``year`` and ``pct_of_gdp``, sorted by year; ``attrs`` holds ``source``,
        ``vintage`` and ``indicator``.

    Examples
    --------
    >>> out = remittances_share_of_gdp("TJK")
    >>> int(out["year"].min()), int(out["year"].max())
    (2002, 2024)
    """
    iso3 = _iso3(iso3, "iso3")
    if vintage not in VINTAGES:
        raise ValueError(
            f"vintage must be one of {', '.join(map(repr, VINTAGES))}; got {vintage!r}"
        )
    data = load("wdi_remittances_govspend_official_vintages")
    rows = data[
        (data["iso3"] == iso3)
        & (data["indicator_code"] == REMITTANCES)
        & (data["vintage"] == vintage)
    ]
    if rows.empty:
        raise ValueError(
            f"no remittance series for {iso3!r} in vintage {vintage}; the countries are: "
            + ", ".join(sorted(data["iso3"].unique()))
        )
    out = pd.DataFrame(
        {
            "year": rows["year"].astype("int64").to_numpy(),
            "pct_of_gdp": rows["value"].astype(float).to_numpy(),
        }
    ).sort_values("year", ignore_index=True)
    out.attrs.update(
        source="World Bank, World Development Indicators (personal remittances received, % of GDP)",
        vintage=vintage,
        indicator=REMITTANCES,
    )
    return out


def remittance_cost(iso3: str) -> pd.DataFrame:
    """Cost of sending USD 200 to a country (SDG 10.c.1), against the target of 3 %.

    SDG series SI_RMT_COST: the average cost of sending USD 200 *to* the country (the
    receiving side), in percent of the amount sent. SDG target 10.c asks to bring the
    transaction costs of migrant remittances below 3 % by 2030
    (:data:`SDG_10C_TARGET_PCT`).

    Returns
    -------
    pandas.DataFrame
        ``year``, ``cost_pct``, ``target_pct``, ``points_above_target`` (cost minus
        target; negative when below) and ``meets_target`` (cost below the target),
        sorted by year; ``attrs`` holds ``source`` and ``caveat``.

    Examples
    --------
    >>> out = remittance_cost("TJK")
    >>> out.loc[out["year"] == 2021, ["cost_pct", "meets_target"]].values.tolist()
    [[2.99, True]]
    """
    iso3 = _iso3(iso3, "iso3")
    data = load("sdg_budget_execution_revenue_remittance_cost")
    rows = data[(data["iso3"] == iso3) & (data["series_code"] == "SI_RMT_COST")]
    if rows.empty:
        have = data.loc[data["series_code"] == "SI_RMT_COST", "iso3"].dropna().unique()
        raise ValueError(
            f"no remittance cost (SI_RMT_COST) for {iso3!r}; {len(have)} countries have one, "
            "for example " + ", ".join(sorted(have)[:5])
        )
    cost = rows["value"].astype(float).to_numpy()
    out = pd.DataFrame(
        {
            "year": rows["year"].astype("int64").to_numpy(),
            "cost_pct": cost,
            "target_pct": SDG_10C_TARGET_PCT,
            "points_above_target": cost - SDG_10C_TARGET_PCT,
            "meets_target": cost < SDG_10C_TARGET_PCT,
        }
    ).sort_values("year", ignore_index=True)
    out.attrs.update(
        source="UN Global SDG Indicators Database, series SI_RMT_COST (custodian: World Bank)",
        caveat="Cost of sending USD 200 to the country (receiving side); years with no "
        "survey are absent, not zero.",
    )
    return out
