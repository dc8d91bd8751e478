"""Population denominators from the bundled UN World Population Prospects data.

Coverage rates divide the people who receive a benefit by the people the benefit is
meant for: all children, everyone above the statutory pensionable age, all mothers of
newborns.
This module reads those denominators from the bundled UN DESA World Population
Prospects (WPP) files and returns **persons**: the files count thousands of persons,
and every function here multiplies by 1,000.

Sources
-------
- ``"wpp2022"``: WPP 2022 probabilistic projections (median), five-year age groups by
  sex, 1 July, every year 2022-2030 and every fifth year 2035-2100, ten countries
  (dataset ``pop_age_sex_wpp2022_projections``).
- ``"wpp2019"``: WPP 2019 estimates (up to 2020) and medium variant (from 2025),
  five-year age groups by sex; Tajikistan and Lao PDR every fifth year 2000-2100, the
  other eight countries 2020 and 2030 only (dataset ``pop_age_sex_wpp2019``).
- Births: WPP 2024 estimates (1990-2023) and probabilistic median (2024-2100)
  (dataset ``wpp2024_annual_indicators``).
- Dependency ratios: WPP 2022 probabilistic median (dataset ``wpp2022_dependency_ratios``).
- Statutory pensionable ages: US SSA and ISSA, *Social Security Programs Throughout the
  World: Asia and the Pacific* (dataset ``statutory_pension_age``).
"""

from __future__ import annotations

import functools
import numbers
import warnings

import pandas as pd

from socialprotection.datasets import load

__all__ = [
    "POPULATION_SOURCES",
    "DEPENDENCY_RATIOS",
    "population",
    "statutory_pension_age",
    "population_above_pension_age",
    "births",
    "dependency_ratio",
    "percent_of_population",
]

#: Population sources: name accepted by ``source`` -> bundled dataset.
POPULATION_SOURCES = {
    "wpp2022": "pop_age_sex_wpp2022_projections",
    "wpp2019": "pop_age_sex_wpp2019",
}

#: Dependency ratios: kind -> (indicator, age definition) in ``wpp2022_dependency_ratios``.
DEPENDENCY_RATIOS = {
    "child": ("child_dependency_ratio", "0-14 / 15-64"),
    "old_age_65": ("old_age_dependency_ratio", "65+ / 15-64"),
    "old_age_60": ("old_age_dependency_ratio", "60+ / 15-59"),
    "total": ("total_dependency_ratio", "(0-14 & 65+) / 15-64"),
}

_SEXES = ("both", "female", "male")
_OPEN_GROUP = 100  # first age of the open age group 100+
_GROUP_WIDTH = 5
_PERSONS_PER_THOUSAND = 1000.0


@functools.cache
def _dataset(name: str) -> pd.DataFrame:
    """Load a bundled dataset once per session (never modified, never returned)."""
    return load(name)


def _listed(values: object) -> str:
    return ", ".join(str(v) for v in sorted(set(values)))


def _check_integer(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number; got {value!r}")
    return int(value)


def _check_sex(sex: str) -> None:
    if sex not in _SEXES:
        raise ValueError(f"unknown sex {sex!r}; expected one of: {', '.join(_SEXES)}")


def _rows_for(table: pd.DataFrame, iso3: str, year: int, *, what: str) -> pd.DataFrame:
    """Rows of ``table`` for one country and year; errors list what is available."""
    year = _check_integer(year, "year")
    country = table[table["iso3"] == iso3]
    if country.empty:
        raise ValueError(
            f"unknown country {iso3!r} in {what}; available ISO3 codes: {_listed(table['iso3'])}"
        )
    rows = country[country["year"] == year]
    if rows.empty:
        raise ValueError(
            f"no data for {iso3} in {year} in {what}; available years for {iso3}: "
            f"{_listed(country['year'])}"
        )
    return rows


def _population_rows(iso3: str, year: int, source: str) -> pd.DataFrame:
    if source not in POPULATION_SOURCES:
        raise ValueError(
            f"unknown population source {source!r}; available sources: "
            + ", ".join(f"'{s}' ({d})" for s, d in POPULATION_SOURCES.items())
        )
    name = POPULATION_SOURCES[source]
    return _rows_for(_dataset(name), iso3, year, what=f"source '{source}' ({name})")


def _share_of_group(start: int, age_min: int, age_max: int | None) -> float:
    """Share of a five-year group [start, start + 4] that lies in [age_min, age_max].

    The group is split uniformly over its five single years; the open group 100+
    is either wholly in the range or wholly out of it.
    """
    if start >= _OPEN_GROUP:
        if age_max is not None and age_max >= _OPEN_GROUP:
            raise ValueError(
                f"age_max={age_max} cuts the open age group 100+, whose single ages are "
                "unknown; use age_max=None (all ages above) or an age_max of 99 or less"
            )
        if age_min > _OPEN_GROUP:
            raise ValueError(
                f"age_min={age_min} cuts the open age group 100+, whose single ages are "
                "unknown; use an age_min of 100 or less"
            )
        return 1.0 if age_max is None else 0.0
    last = start + _GROUP_WIDTH - 1
    low = max(start, age_min)
    high = last if age_max is None else min(last, age_max)
    return max(0, high - low + 1) / _GROUP_WIDTH


def population(
    iso3: str,
    year: int,
    *,
    age_min: int = 0,
    age_max: int | None = None,
    sex: str = "both",
    source: str = "wpp2022",
) -> float:
    r"""Return the population of a country in an age range, in persons.

    The bundled UN data give five-year age groups in thousands; this function
    multiplies by 1,000 and returns persons.
    A range that cuts a five-year group takes a share of it: the group is split
    **uniformly** over its five single years of age, so ages 15 to 17 take 3/5 of the
    15-19 group.
    This is an approximation (real single-year populations are not flat within a
    group); the open group 100+ cannot be cut and is either wholly in or wholly out.

    .. math::

        P[a_{min}, a_{max}] = 1000 \times \sum_g P_g \,
        \frac{|\{a_{min},\dots,a_{max}\} \cap \{s_g,\dots,s_g+4\}|}{5}

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country, for example ``"TJK"``.
    year : int
        Year (population at 1 July).
    age_min, age_max : int, optional
        First and last age of the range, in completed years, both included.
        ``age_max=None`` takes all ages from ``age_min`` up, including 100+.
    sex : {"both", "female", "male"}, default "both"
        Both sexes is the sum of the female and male groups.
    source : {"wpp2022", "wpp2019"}, default "wpp2022"
        ``"wpp2022"``: WPP 2022 probabilistic median, 2022-2030 each year, then every
        fifth year to 2100. ``"wpp2019"``: WPP 2019, Tajikistan and Lao PDR 2000-2100
        every fifth year, the other countries 2020 and 2030.

    Returns
    -------
    float
        Persons.

    Raises
    ------
    ValueError
        Unknown source, country, year or sex (the message lists the available ones),
        ``age_min > age_max``, a negative age, or a range that cuts the open group 100+.
    TypeError
        An age or year that is not a whole number.

    Examples
    --------
    >>> round(population("TJK", 2025))
    10516939
    >>> round(population("TJK", 2025, age_min=0, age_max=15))
    3921484
    >>> women = population("TJK", 2025, age_min=63, sex="female")
    >>> men = population("TJK", 2025, age_min=63, sex="male")
    >>> abs(population("TJK", 2025, age_min=63) - (women + men)) < 1e-6
    True
    """
    age_min = _check_integer(age_min, "age_min")
    if age_min < 0:
        raise ValueError(f"age_min must be 0 or more; got {age_min}")
    if age_max is not None:
        age_max = _check_integer(age_max, "age_max")
        if age_min > age_max:
            raise ValueError(f"age_min ({age_min}) must not exceed age_max ({age_max})")
    _check_sex(sex)
    rows = _population_rows(iso3, year, source)
    if sex != "both":
        rows = rows[rows["sex"] == sex]
    total = 0.0
    for start, thousands in zip(rows["age_start"], rows["pop_thousands"], strict=True):
        share = _share_of_group(int(start), age_min, age_max)
        total += float(thousands) * share
    return total * _PERSONS_PER_THOUSAND


def _pension_rows(iso3: str, benefit: str) -> pd.DataFrame:
    table = _dataset("statutory_pension_age")
    country = table[table["iso3"] == iso3]
    if country.empty:
        raise ValueError(
            f"no statutory pensionable age for {iso3!r} in statutory_pension_age; "
            f"available ISO3 codes: {_listed(table['iso3'])}"
        )
    rows = country[country["benefit"] == benefit]
    if rows.empty:
        raise ValueError(
            f"no benefit {benefit!r} for {iso3} in statutory_pension_age; available benefits: "
            + ", ".join(f"'{b}'" for b in sorted(set(country["benefit"])))
        )
    return rows


def _ages_by_sex(iso3: str, benefit: str) -> dict[str, int]:
    """Pensionable age for women and for men; warns once when the rows are outdated."""
    rows = _pension_rows(iso3, benefit)
    ages = {}
    for sex in ("female", "male"):
        match = rows[rows["sex"] == sex]
        if match.empty:
            match = rows[rows["sex"] == "both"]
        if len(match) != 1:
            raise ValueError(
                f"statutory_pension_age has {len(match)} rows for {iso3}, {benefit!r}, "
                f"{sex}; expected one"
            )
        ages[sex] = int(match["age"].item())
    notes = rows["note"].fillna("")
    outdated = rows[notes.str.contains("OUTDATED")]
    if not outdated.empty:
        editions = _listed(outdated["edition_year"])
        warnings.warn(
            f"the statutory pensionable age of {iso3} ({benefit}, "
            + ", ".join(f"{s} {a}" for s, a in ages.items())
            + f") comes from the {editions} edition of Social Security Programs Throughout "
            "the World and is flagged OUTDATED in statutory_pension_age: later laws changed "
            "it; check the current law before using these figures",
            UserWarning,
            stacklevel=3,
        )
    return ages


def statutory_pension_age(iso3: str, *, sex: str, benefit: str = "old-age pension") -> int:
    """Return the statutory pensionable age of a country for one sex.

    Read from the bundled ``statutory_pension_age`` (US SSA and ISSA, *Social Security
    Programs Throughout the World: Asia and the Pacific*, 2006, 2012 and 2018
    editions).
    A row with sex ``both`` applies to women and men.
    The Lao PDR rows come from the 2006 edition (1999 law) and are flagged outdated:
    using them emits a ``UserWarning``.

    Parameters
    ----------
    iso3 : str
        ISO3 code; the file holds Tajikistan (``"TJK"``) and Lao PDR (``"LAO"``).
    sex : {"female", "male"}
        The age differs by sex in Tajikistan (63 men, 58 women).
    benefit : str, default "old-age pension"
        ``"old-age pension"`` (the statutory pensionable age used by SDG 1.3.1),
        ``"early old-age pension"`` or ``"old-age social pension"`` where the file has them.

    Returns
    -------
    int
        Age in completed years.

    Examples
    --------
    >>> statutory_pension_age("TJK", sex="male"), statutory_pension_age("TJK", sex="female")
    (63, 58)
    """
    if sex not in ("female", "male"):
        raise ValueError(f"sex must be 'female' or 'male'; got {sex!r}")
    return _ages_by_sex(iso3, benefit)[sex]


def population_above_pension_age(
    iso3: str,
    year: int,
    *,
    sex: str = "both",
    source: str = "wpp2022",
    benefit: str = "old-age pension",
) -> float:
    r"""Return the persons at or above the statutory pensionable age, in persons.

    This is the denominator of SDG series SI_COV_PENSN.
    Each sex takes its own pensionable age from :func:`statutory_pension_age`
    (Tajikistan: men 63, women 58); both sexes is the sum of the two.

    .. math::

        P_{pens} = P_{women}[a_{women}, \infty) + P_{men}[a_{men}, \infty)

    A pensionable age that is not a multiple of five cuts a five-year age group: the
    group is split uniformly over its five single years (see :func:`population`).
    Men at 63 take 2/5 of the 60-64 group (ages 63 and 64) and women at 58 take 2/5 of
    the 55-59 group (ages 58 and 59): an approximation.
    The Lao PDR pension ages in the bundled file are outdated (2006 edition): using
    them emits a ``UserWarning``.

    Parameters
    ----------
    iso3 : str
        ISO3 code of a country in ``statutory_pension_age`` (TJK, LAO).
    year : int
        Year (population at 1 July).
    sex : {"both", "female", "male"}, default "both"
    source : {"wpp2022", "wpp2019"}, default "wpp2022"
        Population source, as in :func:`population`.
    benefit : str, default "old-age pension"
        Which pensionable age to use, as in :func:`statutory_pension_age`.

    Returns
    -------
    float
        Persons.

    Examples
    --------
    >>> older = population_above_pension_age("TJK", 2025)
    >>> men = population("TJK", 2025, age_min=63, sex="male")
    >>> women = population("TJK", 2025, age_min=58, sex="female")
    >>> abs(older - (men + women)) < 1e-6
    True
    """
    _check_sex(sex)
    _population_rows(iso3, year, source)  # unknown country or year first, with the list
    ages = _ages_by_sex(iso3, benefit)
    sexes = ("female", "male") if sex == "both" else (sex,)
    return sum(population(iso3, year, age_min=ages[s], sex=s, source=source) for s in sexes)


def births(iso3: str, year: int) -> float:
    """Return the live births of a country in a calendar year, in persons.

    From WPP 2024 (``wpp2024_annual_indicators``, indicator ``births_thousands``,
    multiplied by 1,000): estimates for 1990-2023, probabilistic median for 2024-2100.
    Births count babies, not mothers: twins and triplets make births exceed the women
    giving birth (see ``births_per_mother`` in
    :func:`socialprotection.coverage.demographic_denominators`).

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country.
    year : int
        Calendar year.

    Returns
    -------
    float
        Live births during the year.

    Examples
    --------
    >>> round(births("TJK", 2020))
    276503
    """
    table = _dataset("wpp2024_annual_indicators")
    table = table[(table["indicator"] == "births_thousands") & (table["sex"] == "both")]
    rows = _rows_for(table, iso3, year, what="wpp2024_annual_indicators (births_thousands)")
    return float(rows["value"].item()) * _PERSONS_PER_THOUSAND


def dependency_ratio(iso3: str, year: int, kind: str = "old_age_65") -> float:
    """Return a dependency ratio, in dependants per 100 persons of working age.

    From WPP 2022 probabilistic projections, median (``wpp2022_dependency_ratios``),
    2022-2030 each year and every fifth year to 2100.
    The kinds are named after the file's indicators:

    - ``"old_age_65"``: old-age dependency ratio, persons 65+ / persons 15-64 x 100
    - ``"old_age_60"``: old-age dependency ratio, persons 60+ / persons 15-59 x 100
    - ``"child"``: child dependency ratio, persons 0-14 / persons 15-64 x 100
    - ``"total"``: total dependency ratio, persons 0-14 and 65+ / persons 15-64 x 100

    The value is the median of the ratio over the UN's simulated trajectories, so it
    can differ slightly (about 0.1 %) from the ratio of the median populations
    returned by :func:`population`.

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country.
    year : int
        Year.
    kind : str, default "old_age_65"
        One of the keys of :data:`DEPENDENCY_RATIOS`.

    Returns
    -------
    float
        Dependants per 100 persons of working age (a ratio times 100, as the UN publishes it).

    Examples
    --------
    >>> dependency_ratio("TJK", 2025), dependency_ratio("TJK", 2025, "child")
    (6.691, 58.447)
    """
    if kind not in DEPENDENCY_RATIOS:
        raise ValueError(
            f"unknown dependency ratio kind {kind!r}; available kinds: "
            + ", ".join(f"'{k}' ({a})" for k, (_, a) in DEPENDENCY_RATIOS.items())
        )
    indicator, ages = DEPENDENCY_RATIOS[kind]
    table = _dataset("wpp2022_dependency_ratios")
    table = table[(table["indicator"] == indicator) & (table["age_definition"] == ages)]
    rows = _rows_for(table, iso3, year, what=f"wpp2022_dependency_ratios ({indicator} {ages})")
    return float(rows["value"].item())


def percent_of_population(iso3: str, year: int, ages: str = "65-99") -> float:
    """Return the percentage of the population in an age group (WPP 2022 median).

    From ``wpp2022_dependency_ratios`` (indicator ``percent_of_population``), with the
    age labels of the source: ``"0-14"``, ``"15-64"``, ``"60-99"``, ``"65-99"``.
    The groups ``0-14``, ``15-64`` and ``65-99`` add up to 100, so ``65-99`` stands
    for all persons aged 65 and over.

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country.
    year : int
        Year.
    ages : {"0-14", "15-64", "60-99", "65-99"}, default "65-99"
        Age group, as labelled in the source.

    Returns
    -------
    float
        Percent of the total population (0 to 100).

    Examples
    --------
    >>> percent_of_population("TJK", 2025, "0-14")
    35.392
    """
    table = _dataset("wpp2022_dependency_ratios")
    table = table[table["indicator"] == "percent_of_population"]
    labels = sorted(set(table["age_definition"]))
    if ages not in labels:
        raise ValueError(f"unknown age group {ages!r}; available age groups: {', '.join(labels)}")
    table = table[table["age_definition"] == ages]
    rows = _rows_for(table, iso3, year, what=f"wpp2022_dependency_ratios (percent aged {ages})")
    return float(rows["value"].item())
