"""SDG indicator 1.3.1: effective coverage of social protection, all nine ILO series.

Effective coverage counts people who are **receiving** a cash benefit (contributory or
not) or **actively contributing** to a social insurance scheme; health protection is
not part of these series.
Each series divides a number of covered persons (the numerator) by the population the
benefit is meant for (the denominator).

Sources: UN SDG metadata for indicator 1.3.1, series a (custodian ILO; metadata update
2021-01-01), sections 2.a, 4.c, 4.f and 4.g; ILO World Social Protection Database
notes.
The administrative input follows the spirit of the ILO Social Security Inquiry: one
row per scheme, contingency, measure and sex.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from socialprotection import demography
from socialprotection._validation import (
    as_list,
    boolean_column,
    choice_column,
    numeric_column,
    require_columns,
    weights_of,
)
from socialprotection.datasets import load

__all__ = [
    "CONTINGENCIES",
    "MEASURES",
    "DENOMINATORS",
    "SERIES",
    "Series",
    "validate_admin",
    "validate_denominators",
    "demographic_denominators",
    "contingency_coverage",
    "vulnerable_population",
    "headline_from_persons",
    "headline_life_cycle",
    "weighted_aggregate",
    "published_series",
]

#: Contingencies (branches) of the administrative input.
CONTINGENCIES = (
    "children",
    "maternity",
    "disability",
    "unemployment",
    "employment_injury",
    "old_age",
    "social_assistance",
)
#: What an administrative row counts: benefit recipients, active contributors, or
#: workers protected by employment-injury insurance.
MEASURES = ("recipients", "contributors", "protected")
#: Population groups that serve as denominators.
DENOMINATORS = (
    "total_population",
    "children",
    "women_giving_birth",
    "severe_disability",
    "unemployed",
    "labour_force",
    "above_pension_age",
    "vulnerable",
    "poor",
)
_SEXES = ("female", "male", "both")
_ADMIN_COLUMNS = ("scheme", "contingency", "contributory", "measure", "sex", "count")
_DENOMINATOR_COLUMNS = ("denominator", "sex", "value")


@dataclass(frozen=True)
class Series:
    """One UN series of SDG indicator 1.3.1, as defined in the UN SDG metadata.

    Attributes
    ----------
    code : str
        UN series code, for example ``"SI_COV_PENSN"``.
    title : str
        Short name of the population covered.
    numerator : str
        Who is counted as covered.
    denominator : str
        The population of reference.
    contingency : str or None
        The contingency of the administrative input it draws on (None for the
        headline, which draws on all of them).
    measure : str or None
        What the administrative rows must count: ``"recipients"`` or ``"protected"``.
    denominator_key : str
        Name of the denominator in the denominators frame.
    """

    code: str
    title: str
    numerator: str
    denominator: str
    contingency: str | None
    measure: str | None
    denominator_key: str


#: The nine ILO series of SDG 1.3.1, keyed by UN code.
SERIES: dict[str, Series] = {
    s.code: s
    for s in (
        Series(
            "SI_COV_BENFTS",
            "population covered by at least one benefit",
            "persons receiving at least one cash benefit, or actively contributing to at "
            "least one scheme",
            "total population",
            None,
            None,
            "total_population",
        ),
        Series(
            "SI_COV_CHLD",
            "children",
            "children (or households) receiving child or family cash benefits",
            "all children (or households with children); the ILO-UNICEF work uses ages 0-15",
            "children",
            "recipients",
            "children",
        ),
        Series(
            "SI_COV_MATNL",
            "mothers with newborns",
            "women receiving maternity cash benefits",
            "women giving birth in the year (from age-specific fertility rates, or live "
            "births corrected for twins and triplets)",
            "maternity",
            "recipients",
            "women_giving_birth",
        ),
        Series(
            "SI_COV_DISAB",
            "persons with severe disabilities",
            "persons receiving disability cash benefits",
            "WHO prevalence ratio of severe disability x population",
            "disability",
            "recipients",
            "severe_disability",
        ),
        Series(
            "SI_COV_UEMP",
            "unemployed",
            "recipients of unemployment cash benefits",
            "unemployed persons",
            "unemployment",
            "recipients",
            "unemployed",
        ),
        Series(
            "SI_COV_WKINJRY",
            "employment injury",
            "workers protected by employment-injury insurance",
            "total employment or labour force (WSPR 2024-26 figures use the labour force aged 15+)",
            "employment_injury",
            "protected",
            "labour_force",
        ),
        Series(
            "SI_COV_PENSN",
            "older persons",
            "persons above statutory pensionable age receiving an old-age pension "
            "(contributory or not)",
            "persons above statutory pensionable age",
            "old_age",
            "recipients",
            "above_pension_age",
        ),
        Series(
            "SI_COV_VULN",
            "vulnerable persons",
            "social assistance recipients",
            '"vulnerable": total population minus working-age people contributing to or '
            "receiving contributory benefits, minus people above retirement age receiving "
            "contributory benefits (WSPDB words it as: all children, plus adults not covered "
            "by contributory benefits, plus people above retirement age without a "
            "contributory pension)",
            "social_assistance",
            "recipients",
            "vulnerable",
        ),
        Series(
            "SI_COV_POOR",
            "poor",
            "social assistance recipients",
            "population below the national poverty line",
            "social_assistance",
            "recipients",
            "poor",
        ),
    )
}


def _listed(values: Iterable[object]) -> str:
    return ", ".join(f"'{v}'" for v in values)


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.4g}"


# ---- input frames ----------------------------------------------------------------------


def validate_admin(admin: pd.DataFrame) -> pd.DataFrame:
    """Check administrative counts and return a clean copy.

    One row per scheme, contingency, measure and sex, in the spirit of the ILO
    Social Security Inquiry.

    Columns
    -------
    scheme : str
        Name of the scheme (not empty).
    contingency : str
        One of :data:`CONTINGENCIES`.
    contributory : bool
        True for social insurance, False for tax-financed benefits (``True``/``False``
        or 1/0).
    measure : str
        ``"recipients"`` (persons receiving a cash benefit), ``"contributors"``
        (persons actively contributing; contributory schemes only) or ``"protected"``
        (workers protected by employment-injury insurance; contingency
        ``employment_injury`` only).
    sex : str
        ``"female"``, ``"male"`` or ``"both"``.
    count : number
        Persons; not negative, not missing.

    Social assistance is non-contributory by definition, and maternity benefits
    count women, so ``social_assistance`` rows with ``contributory=True`` and
    ``maternity`` rows with sex ``male`` are refused.

    Returns
    -------
    pandas.DataFrame
        The six columns, with ``contributory`` as bool and ``count`` as float; the
        index labels are kept so that later messages name the original rows.

    Raises
    ------
    KeyError
        A missing column.
    ValueError or TypeError
        A value that is missing, unknown (the message lists the valid ones), negative,
        or inconsistent with the rules above; the message names the row.

    Examples
    --------
    >>> admin = pd.DataFrame({"scheme": ["child benefit"], "contingency": ["child"],
    ...     "contributory": [False], "measure": ["recipients"], "sex": ["both"],
    ...     "count": [1000]})
    >>> validate_admin(admin)
    Traceback (most recent call last):
    ...
    ValueError: column 'contingency': row 0 holds 'child'; expected one of: 'children', ...
    """
    require_columns(
        admin, _ADMIN_COLUMNS, what="admin", one_row_per="scheme, contingency, measure and sex"
    )
    clean = pd.DataFrame(index=admin.index)
    schemes = admin["scheme"]
    missing = schemes.isna().to_numpy()
    if missing.any():
        row = admin.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(
            f"column 'scheme' has {int(missing.sum())} missing value(s), the first in row {row}; "
            "every row needs the name of its scheme"
        )
    for row, name in schemes.items():
        if not isinstance(name, str) or not name.strip():
            raise TypeError(f"column 'scheme' must hold scheme names; row {row} holds {name!r}")
    clean["scheme"] = schemes.astype(object)
    clean["contingency"] = choice_column(admin, "contingency", CONTINGENCIES)
    clean["contributory"] = boolean_column(admin, "contributory")
    clean["measure"] = choice_column(admin, "measure", MEASURES)
    clean["sex"] = choice_column(admin, "sex", _SEXES)
    clean["count"] = numeric_column(admin, "count", non_negative=True)
    rules = [
        (
            (clean["measure"] == "protected") & (clean["contingency"] != "employment_injury"),
            "measure 'protected' is only for contingency 'employment_injury'",
        ),
        (
            (clean["measure"] == "contributors") & ~clean["contributory"],
            "measure 'contributors' needs a contributory scheme (contributory=True)",
        ),
        (
            (clean["contingency"] == "social_assistance") & clean["contributory"],
            "social assistance is non-contributory: contingency 'social_assistance' needs "
            "contributory=False",
        ),
        (
            (clean["contingency"] == "maternity") & (clean["sex"] == "male"),
            "maternity benefits count women (SI_COV_MATNL): sex must be 'female' or 'both'",
        ),
    ]
    for broken, rule in rules:
        if broken.any():
            row = broken.index[int(np.flatnonzero(broken.to_numpy())[0])]
            raise ValueError(f"admin row {row} (scheme {clean.at[row, 'scheme']!r}): {rule}")
    return clean


def validate_denominators(denominators: pd.DataFrame) -> pd.DataFrame:
    """Check a denominators frame and return a clean copy.

    Columns: ``denominator`` (one of :data:`DENOMINATORS`), ``sex`` (``"female"``,
    ``"male"`` or ``"both"``) and ``value`` (persons, not negative, not missing).
    Each (denominator, sex) pair may appear once.
    Other columns (such as ``source``) are kept.

    Examples
    --------
    >>> frame = pd.DataFrame({"denominator": ["poor", "poor"], "sex": ["both", "both"],
    ...     "value": [10.0, 12.0]})
    >>> validate_denominators(frame)
    Traceback (most recent call last):
    ...
    ValueError: denominators: 'poor' for sex 'both' appears twice, in rows 0 and 1
    """
    require_columns(
        denominators, _DENOMINATOR_COLUMNS, what="denominators", one_row_per="denominator and sex"
    )
    clean = denominators.copy()
    clean["denominator"] = choice_column(denominators, "denominator", DENOMINATORS)
    clean["sex"] = choice_column(denominators, "sex", _SEXES)
    clean["value"] = numeric_column(denominators, "value", non_negative=True)
    twice = clean.duplicated(["denominator", "sex"], keep=False)
    if twice.any():
        first = clean[twice].iloc[0]
        rows = clean.index[
            (clean["denominator"] == first["denominator"]) & (clean["sex"] == first["sex"])
        ]
        raise ValueError(
            f"denominators: '{first['denominator']}' for sex '{first['sex']}' appears twice, "
            f"in rows {rows[0]} and {rows[1]}"
        )
    return clean


def _persons(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number of persons; got {value!r}")
    value = float(value)
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of persons, 0 or more; got {value}")
    return value


def _share(value: object, name: str) -> float:
    value = _persons(value, name)
    if value > 1:
        raise ValueError(
            f"{name} must be a share between 0 and 1; got {value} (a percentage? divide by 100)"
        )
    return value


def demographic_denominators(
    iso3: str,
    year: int,
    *,
    source: str = "wpp2022",
    child_age_max: int = 15,
    pension_age: int | Mapping[str, int] | None = None,
    births_per_mother: float = 1.0,
    unemployed: float | None = None,
    labour_force: float | None = None,
    severe_disability_prevalence: float | None = None,
    poverty_headcount_ratio: float | None = None,
    vulnerable: float | None = None,
) -> pd.DataFrame:
    r"""Build the denominators of SDG 1.3.1 for one country and year.

    From the bundled UN data (:mod:`socialprotection.demography`), by sex:

    - ``total_population``: all ages (WPP, 1 July);
    - ``children``: ages 0 to ``child_age_max`` inclusive (default 15, as in the
      ILO-UNICEF work); age 15 is one fifth of the 15-19 group (uniform split);
    - ``above_pension_age``: at or above the statutory pensionable age of each sex
      (bundled SSA ages for TJK and LAO, or ``pension_age``);

    for women only:

    - ``women_giving_birth`` = live births in the calendar year (WPP 2024) /
      ``births_per_mother``.

    From the arguments, for both sexes (rows left out when the argument is None):

    - ``unemployed`` and ``labour_force``, in persons (for example ILO modelled estimates);
    - ``severe_disability`` = ``severe_disability_prevalence`` x total population
      (WHO prevalence ratio, a share between 0 and 1);
    - ``poor`` = ``poverty_headcount_ratio`` x total population (national poverty
      headcount ratio, a share; SDG series SI_POV_NAHC is in percent: divide by 100);
    - ``vulnerable``, in persons (see :func:`vulnerable_population`).

    Parameters
    ----------
    iso3 : str
        ISO3 code of the country.
    year : int
        Year; population and births must both be in the bundled data for that year.
    source : {"wpp2022", "wpp2019"}, default "wpp2022"
        Population source, as in :func:`socialprotection.demography.population`.
        Births always come from WPP 2024: the vintages differ.
    child_age_max : int, default 15
        Last age of childhood.
    pension_age : int or mapping, optional
        Pensionable age for both sexes, or ``{"female": 58, "male": 63}``; by default
        the bundled statutory ages (Lao PDR's are outdated and warn).
    births_per_mother : float, default 1.0
        Average number of live births per woman giving birth in the year.
        Births count babies: with twins and triplets there are more births than mothers,
        and ``women giving birth = births / births_per_mother``.
        The default 1.0 makes no correction (it slightly overstates the mothers, so it
        slightly understates SI_COV_MATNL); a value such as 1.01 to 1.02 corrects for a
        twin rate of 1 to 2 % of deliveries. Must be 1 or more.
    unemployed, labour_force, vulnerable : float, optional
        Persons.
    severe_disability_prevalence, poverty_headcount_ratio : float, optional
        Shares between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        Columns ``denominator``, ``sex``, ``value`` (persons) and ``source`` (how the
        value was obtained), ready for :func:`contingency_coverage`.

    Examples
    --------
    >>> frame = demographic_denominators("TJK", 2025, births_per_mother=1.02)
    >>> frame.columns.tolist()
    ['denominator', 'sex', 'value', 'source']
    >>> row = frame[frame["denominator"] == "women_giving_birth"]
    >>> row["value"].item() == demography.births("TJK", 2025) / 1.02
    True
    """
    if isinstance(births_per_mother, bool) or not isinstance(births_per_mother, numbers.Real):
        raise TypeError(f"births_per_mother must be a number; got {births_per_mother!r}")
    if not (math.isfinite(births_per_mother) and births_per_mother >= 1):
        raise ValueError(
            "births_per_mother is the average number of live births per woman giving birth; "
            f"it must be 1 or more, got {births_per_mother}"
        )
    if pension_age is None:
        ages = None
    elif isinstance(pension_age, Mapping):
        if set(pension_age) != {"female", "male"}:
            raise ValueError(
                "pension_age as a mapping needs exactly the keys 'female' and 'male'; got "
                + _listed(pension_age)
            )
        ages = {s: int(demography._check_integer(a, "pension_age")) for s, a in pension_age.items()}
    else:
        age = demography._check_integer(pension_age, "pension_age")
        ages = {"female": age, "male": age}

    rows: list[tuple[str, str, float, str]] = []
    wpp = f"{source} (UN WPP), 1 July {year}"
    for sex in ("both", "female", "male"):
        rows.append(
            (
                "total_population",
                sex,
                demography.population(iso3, year, sex=sex, source=source),
                f"{wpp}, all ages",
            )
        )
    for sex in ("both", "female", "male"):
        rows.append(
            (
                "children",
                sex,
                demography.population(iso3, year, age_max=child_age_max, sex=sex, source=source),
                f"{wpp}, ages 0-{child_age_max} (uniform split of five-year groups)",
            )
        )
    if ages is None:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            female = demography.population_above_pension_age(
                iso3, year, sex="female", source=source
            )
            male = demography.population_above_pension_age(iso3, year, sex="male", source=source)
        for message in dict.fromkeys(str(w.message) for w in caught):  # once each, in order
            warnings.warn(message, UserWarning, stacklevel=2)
        pension_source = f"{wpp}, at or above the statutory pensionable age (SSA SSPTW)"
    else:
        female = demography.population(
            iso3, year, age_min=ages["female"], sex="female", source=source
        )
        male = demography.population(iso3, year, age_min=ages["male"], sex="male", source=source)
        pension_source = (
            f"{wpp}, at or above the pensionable age given (women {ages['female']}, "
            f"men {ages['male']})"
        )
    rows += [
        ("above_pension_age", "both", female + male, pension_source),
        ("above_pension_age", "female", female, pension_source),
        ("above_pension_age", "male", male, pension_source),
    ]
    rows.append(
        (
            "women_giving_birth",
            "female",
            demography.births(iso3, year) / births_per_mother,
            f"live births {year} (UN WPP 2024) / births_per_mother {births_per_mother}",
        )
    )
    total = rows[0][2]
    if unemployed is not None:
        rows.append(("unemployed", "both", _persons(unemployed, "unemployed"), "given"))
    if labour_force is not None:
        rows.append(("labour_force", "both", _persons(labour_force, "labour_force"), "given"))
    if severe_disability_prevalence is not None:
        ratio = _share(severe_disability_prevalence, "severe_disability_prevalence")
        rows.append(
            (
                "severe_disability",
                "both",
                ratio * total,
                f"severe disability prevalence {ratio} x total population",
            )
        )
    if poverty_headcount_ratio is not None:
        ratio = _share(poverty_headcount_ratio, "poverty_headcount_ratio")
        rows.append(
            ("poor", "both", ratio * total, f"poverty headcount ratio {ratio} x total population")
        )
    if vulnerable is not None:
        rows.append(("vulnerable", "both", _persons(vulnerable, "vulnerable"), "given"))
    return pd.DataFrame(rows, columns=["denominator", "sex", "value", "source"])


# ---- contingency series ----------------------------------------------------------------


def _numerator(
    admin: pd.DataFrame, contingency: str, measure: str, sex: str
) -> tuple[float, int, str]:
    """Sum of counts over schemes for one contingency and measure; (value, n_schemes, note)."""
    rows = admin[(admin["contingency"] == contingency) & (admin["measure"] == measure)]
    if rows.empty:
        return (
            math.nan,
            0,
            f"no admin rows with contingency '{contingency}' and measure '{measure}'",
        )
    total, unsplit = 0.0, []
    for scheme, group in rows.groupby("scheme", sort=True):
        has_both = (group["sex"] == "both").any()
        if sex == "both":
            used = group[group["sex"] == "both"] if has_both else group
        else:
            used = group[group["sex"] == sex]
            if used.empty and has_both:
                unsplit.append(scheme)
        total += float(used["count"].sum())
    n_schemes = rows["scheme"].nunique()
    if unsplit:
        return (
            math.nan,
            n_schemes,
            f"scheme(s) {_listed(unsplit)} report only both sexes: no {sex} count",
        )
    return total, n_schemes, ""


def _denominator(dens: pd.DataFrame, key: str, sexes: tuple[str, ...]) -> tuple[float, str]:
    for sex in sexes:
        match = dens[(dens["denominator"] == key) & (dens["sex"] == sex)]
        if not match.empty:
            return float(match["value"].item()), ""
    return math.nan, f"no denominator '{key}' for sex {' or '.join(map(repr, sexes))}"


def contingency_coverage(
    admin: pd.DataFrame,
    denominators: pd.DataFrame,
    *,
    sex: str = "both",
    over_coverage: str = "raise",
) -> pd.DataFrame:
    r"""Compute the eight contingency series of SDG 1.3.1 from administrative counts.

    For each series (all of :data:`SERIES` but the headline SI_COV_BENFTS):

    .. math::

        r_s = \frac{\sum_{k \in K_s} N_k}{D_s}

    where :math:`K_s` are the schemes of the series' contingency, :math:`N_k` the
    recipients of scheme k (workers protected, for employment injury), contributory
    and non-contributory alike, and :math:`D_s` the series' denominator.
    SI_COV_VULN and SI_COV_POOR both use the ``social_assistance`` recipients.

    **Double counting.** The counts of schemes are added: a person who receives from
    two schemes of the same contingency (a contributory old-age pension and a social
    pension, two family allowances) is counted twice, so the numerator is an upper
    bound of the persons covered unless the schemes' lists were de-duplicated first.
    Old-age rows must count recipients above the pensionable age only (SI_COV_PENSN).

    Sex: for ``sex="both"`` a scheme's ``both`` rows are used when it has them, else
    the sum of its female and male rows. For ``"female"`` or ``"male"`` a scheme that
    reports only both sexes makes the numerator unknown (NaN, explained in ``note``).
    SI_COV_MATNL counts women: its row has sex ``female`` (maternity rows reported as
    ``both`` count as women), its denominator is ``women_giving_birth`` for ``female``
    (or else ``both``), and it is not defined for ``sex="male"``.

    Parameters
    ----------
    admin : pandas.DataFrame
        Administrative counts; see :func:`validate_admin`.
    denominators : pandas.DataFrame
        Columns ``denominator``, ``sex``, ``value``; see :func:`validate_denominators`
        and :func:`demographic_denominators`.
    sex : {"both", "female", "male"}, default "both"
    over_coverage : {"raise", "warn"}, default "raise"
        What to do when recipients exceed their population (rate above 1), which
        points to double counting or to a denominator that is too small: raise a
        ``ValueError``, or emit a ``UserWarning`` and keep the rate above 1.

    Returns
    -------
    pandas.DataFrame
        One row per series: ``series``, ``sex``, ``numerator``, ``denominator``,
        ``rate`` (share between 0 and 1), ``n_schemes`` (schemes summed), ``method``
        and ``note``. A series without admin rows or without a denominator is kept,
        with NaN and a ``note`` that says what is missing.

    Examples
    --------
    >>> admin = pd.DataFrame({
    ...     "scheme": ["social insurance pension", "social pension", "unemployment insurance"],
    ...     "contingency": ["old_age", "old_age", "unemployment"],
    ...     "contributory": [True, False, True],
    ...     "measure": ["recipients", "recipients", "recipients"],
    ...     "sex": ["both", "both", "both"],
    ...     "count": [600, 150, 20]})
    >>> dens = pd.DataFrame({"denominator": ["above_pension_age", "unemployed"],
    ...     "sex": ["both", "both"], "value": [1000, 100]})
    >>> table = contingency_coverage(admin, dens).set_index("series")
    >>> table.loc["SI_COV_PENSN", ["numerator", "denominator", "rate"]].tolist()
    [750.0, 1000.0, 0.75]
    >>> print(table.loc["SI_COV_UEMP", "rate"])
    0.2
    """
    if sex not in _SEXES:
        raise ValueError(f"unknown sex {sex!r}; expected one of: {_listed(_SEXES)}")
    if over_coverage not in ("raise", "warn"):
        raise ValueError(f"over_coverage must be 'raise' or 'warn'; got {over_coverage!r}")
    admin = validate_admin(admin)
    dens = validate_denominators(denominators)
    records = []
    for code, series in SERIES.items():
        if series.contingency is None:
            continue
        what = "protected workers" if series.measure == "protected" else "recipients"
        method = f"{what} summed over schemes (administrative counts)"
        row_sex, note = sex, ""
        if code == "SI_COV_MATNL":
            row_sex = "female"
            if sex == "male":
                records.append(
                    (code, "male", math.nan, math.nan, math.nan, 0, method, "counts women only")
                )
                continue
            numerator, n_schemes, note = _numerator(
                admin, series.contingency, series.measure, "both"
            )
            denominator, missing = _denominator(dens, series.denominator_key, ("female", "both"))
        else:
            numerator, n_schemes, note = _numerator(admin, series.contingency, series.measure, sex)
            denominator, missing = _denominator(dens, series.denominator_key, (sex,))
        note = "; ".join(n for n in (note, missing) if n)
        rate = math.nan
        if not (math.isnan(numerator) or math.isnan(denominator)):
            if denominator == 0:
                raise ValueError(
                    f"{code}: the denominator '{series.denominator_key}' for sex '{row_sex}' is "
                    "zero; the rate is undefined"
                )
            rate = numerator / denominator
            if rate > 1:
                message = (
                    f"{code}: {what} ({_fmt(numerator)}) exceed their population "
                    f"'{series.denominator_key}' ({_fmt(denominator)}), rate {rate:.4f}; "
                    "persons counted in several schemes, or a denominator that is too small?"
                )
                if over_coverage == "raise":
                    raise ValueError(message)
                warnings.warn(message, UserWarning, stacklevel=2)
        records.append((code, row_sex, numerator, denominator, rate, n_schemes, method, note))
    return pd.DataFrame(
        records,
        columns=[
            "series",
            "sex",
            "numerator",
            "denominator",
            "rate",
            "n_schemes",
            "method",
            "note",
        ],
    )


def vulnerable_population(
    total_population: float,
    contributors_working_age: float,
    contributory_recipients_working_age: float,
    contributory_pensioners: float,
) -> float:
    r"""Return the "vulnerable" population, the denominator of SI_COV_VULN, in persons.

    The UN SDG metadata define it as the total population minus the working-age
    people contributing to or receiving contributory benefits, minus the people above
    retirement age receiving contributory benefits:

    .. math::

        V = P - C_{wa} - R_{wa} - R_{old}

    The ILO World Social Protection Database words the same group as all children,
    plus adults not covered by contributory benefits, plus people above retirement
    age without a contributory pension.
    The two wordings agree because the total population is children + working age +
    older persons, and children are neither contributors nor contributory recipients
    in their own right.
    The subtraction assumes each covered person is counted once: a person who both
    contributes and receives a contributory benefit (a working disability
    pensioner), or who receives two contributory benefits, is subtracted twice, which
    makes V too small. De-duplicate the counts first when you can.

    Parameters
    ----------
    total_population : float
        Persons, all ages.
    contributors_working_age : float
        Working-age persons actively contributing to social insurance.
    contributory_recipients_working_age : float
        Working-age persons receiving a contributory benefit and not contributing.
    contributory_pensioners : float
        Persons above retirement age receiving a contributory pension.

    Returns
    -------
    float
        Persons.

    Raises
    ------
    ValueError
        A negative or non-finite count, or covered persons above the total population.

    Examples
    --------
    >>> vulnerable_population(1000, 300, 50, 100)
    550.0
    """
    total = _persons(total_population, "total_population")
    covered = (
        _persons(contributors_working_age, "contributors_working_age")
        + _persons(contributory_recipients_working_age, "contributory_recipients_working_age")
        + _persons(contributory_pensioners, "contributory_pensioners")
    )
    if covered > total:
        raise ValueError(
            f"contributors and contributory recipients ({_fmt(covered)}) exceed the total "
            f"population ({_fmt(total)}): persons counted twice?"
        )
    return total - covered


# ---- headline --------------------------------------------------------------------------


def headline_from_persons(
    frame: pd.DataFrame,
    flags: str | Iterable[str],
    *,
    weight: str | None = "weight",
    by: str | Iterable[str] | None = None,
) -> pd.DataFrame:
    r"""Compute the SDG 1.3.1 headline exactly, as a union of person-level flags.

    A person is covered when **any** of the flags is true (receives a cash benefit,
    actively contributes, ...); each person counts once however many flags are true:

    .. math::

        r = \frac{\sum_i w_i \, 1[\max_f B_{if} = 1]}{\sum_i w_i}

    This is exact for person-level data (a survey or a linked registry) and is
    the method to prefer over :func:`headline_life_cycle`.
    The weighted rate equals the unweighted rate on the sample replicated by integer
    weights (no small-sample correction).

    Parameters
    ----------
    frame : pandas.DataFrame or a frame of another engine
        One row per person.
        A polars DataFrame or LazyFrame, a DuckDB relation or a Spark DataFrame is
        computed inside its engine (through narwhals) with the same checks and result.
    flags : str or list of str
        Columns of True/False (or 1/0), one per benefit or contribution.
    weight : str or None, default "weight"
        Survey weight column; None gives every row weight 1.
    by : str or list of str, optional
        Group columns (sex, region...); missing group values are refused.

    Returns
    -------
    pandas.DataFrame
        ``series`` (SI_COV_BENFTS), the ``by`` columns, ``numerator`` (weighted persons
        covered), ``denominator`` (weighted persons), ``rate``, ``n_obs`` (rows) and
        ``method`` ("union of person-level flags").

    Examples
    --------
    >>> people = pd.DataFrame({"pension": [1, 0, 0, 1], "child_benefit": [1, 1, 0, 0],
    ...     "weight": [1.0, 2.0, 3.0, 4.0]})
    >>> result = headline_from_persons(people, ["pension", "child_benefit"])
    >>> row = result.iloc[0]
    >>> print(row["numerator"], row["denominator"], row["rate"], row["n_obs"], row["method"])
    7.0 10.0 0.7 4 union of person-level flags
    """
    flags = as_list(flags)
    by = as_list(by)
    if not flags:
        raise ValueError("flags: give at least one column of person-level flags")
    if not isinstance(frame, pd.DataFrame):
        from socialprotection.coverage import _lazy

        return _lazy.headline_from_persons(frame, flags, weight=weight, by=by)
    require_columns(
        frame, flags + by + ([weight] if weight else []), what="persons", one_row_per="person"
    )
    weights = weights_of(frame, weight)
    covered = np.zeros(len(frame), dtype=bool)
    for flag in flags:
        covered |= boolean_column(frame, flag)
    for column in by:
        missing = frame[column].isna().to_numpy()
        if missing.any():
            row = frame.index[int(np.flatnonzero(missing)[0])]
            raise ValueError(
                f"group column '{column}' has {int(missing.sum())} missing value(s), the first "
                f"in row {row}; fill or drop them explicitly"
            )
    work = pd.DataFrame(
        {"_covered": weights * covered, "_all": weights, "_n": 1}, index=frame.index
    )
    for column in by:
        work[column] = frame[column].to_numpy()
    if by:
        summed = work.groupby(by, sort=True)[["_covered", "_all", "_n"]].sum().reset_index()
    else:
        summed = work[["_covered", "_all", "_n"]].sum().to_frame().T
    zero = summed["_all"] == 0
    if zero.any():
        group = summed.loc[zero, by].iloc[0].to_dict()
        raise ValueError(f"the weights of group {group} sum to zero: the rate is undefined")
    result = pd.DataFrame({"series": "SI_COV_BENFTS"}, index=summed.index)
    for column in by:
        result[column] = summed[column]
    result["numerator"] = summed["_covered"].astype(float)
    result["denominator"] = summed["_all"].astype(float)
    result["rate"] = result["numerator"] / result["denominator"]
    result["n_obs"] = summed["_n"].astype(int)
    result["method"] = "union of person-level flags"
    return result.reset_index(drop=True)


_LIFE_CYCLE_GROUPS = ("children", "working_age", "older")


def headline_life_cycle(
    children_covered: float,
    working_age_covered: float,
    older_covered: float,
    populations: Mapping[str, float],
) -> pd.DataFrame:
    r"""Approximate the SDG 1.3.1 headline from administrative counts (life-cycle sum).

    .. math::

        r \approx \frac{\min(C_{ch}, P_{ch}) + \min(C_{wa}, P_{wa}) + \min(C_{old}, P_{old})}
        {P_{ch} + P_{wa} + P_{old}}

    with :math:`C` the persons covered and :math:`P` the population of each group:
    children covered by child or family benefits; working-age persons contributing or
    receiving a benefit; persons above the pensionable age receiving a pension.
    The three groups must split the whole population (for example children 0-15,
    older persons at or above the pensionable age, working age the rest), so their sum
    is the total population.
    Each group is capped at its own population; a ``UserWarning`` says when a cap binds.

    **Why it differs from the exact union** (:func:`headline_from_persons`).
    Administrative counts are counts of benefits, not of persons: a worker who
    contributes and also receives a disability or survivors' benefit, a mother who
    receives maternity and family benefits, a pensioner who also receives social
    assistance, is counted two or three times.
    The cap removes only the excess above a whole group, not double counting below it,
    so the approximation tends to be **higher** than the union; on the other hand a
    household benefit counted once per household, not per member, pulls it down.
    The ILO de-duplicates the headline with a method described in an annex of the
    World Social Protection Report that we could not read: this function is a
    documented approximation, not the ILO's method.

    Parameters
    ----------
    children_covered, working_age_covered, older_covered : float
        Persons covered in each group (sums of administrative counts).
    populations : mapping
        ``{"children": ..., "working_age": ..., "older": ...}``, in persons.

    Returns
    -------
    pandas.DataFrame
        Rows ``children``, ``working_age``, ``older`` and ``total`` with columns
        ``series`` (SI_COV_BENFTS), ``group``, ``reported`` (count before the cap),
        ``numerator`` (after the cap), ``denominator``, ``rate``, ``capped`` and
        ``method`` ("life-cycle approximation").

    Examples
    --------
    >>> table = headline_life_cycle(100, 250, 90, {"children": 400, "working_age": 500,
    ...     "older": 100})
    >>> total = table.iloc[-1]
    >>> print(total["group"], total["numerator"], total["denominator"], total["rate"])
    total 440.0 1000.0 0.44
    """
    if not isinstance(populations, Mapping) or set(populations) != set(_LIFE_CYCLE_GROUPS):
        keys = list(populations) if isinstance(populations, Mapping) else populations
        raise ValueError(
            f"populations must map exactly {_listed(_LIFE_CYCLE_GROUPS)} to persons; got {keys!r}"
        )
    covered = dict(
        zip(_LIFE_CYCLE_GROUPS, (children_covered, working_age_covered, older_covered), strict=True)
    )
    records = []
    for group in _LIFE_CYCLE_GROUPS:
        reported = _persons(covered[group], f"{group}_covered")
        population = _persons(populations[group], f"populations['{group}']")
        capped = reported > population
        if capped:
            warnings.warn(
                f"life-cycle approximation: {group} covered ({_fmt(reported)}) exceed their "
                f"population ({_fmt(population)}); capped at {_fmt(population)}. Persons are "
                "probably counted in several schemes.",
                UserWarning,
                stacklevel=2,
            )
        numerator = min(reported, population)
        rate = numerator / population if population > 0 else math.nan
        records.append((group, reported, numerator, population, rate, capped))
    total_population = sum(r[3] for r in records)
    if total_population == 0:
        raise ValueError("populations sum to zero: the headline rate is undefined")
    total_covered = sum(r[2] for r in records)
    records.append(
        (
            "total",
            sum(r[1] for r in records),
            total_covered,
            total_population,
            total_covered / total_population,
            any(r[5] for r in records),
        )
    )
    result = pd.DataFrame(
        records, columns=["group", "reported", "numerator", "denominator", "rate", "capped"]
    )
    result.insert(0, "series", "SI_COV_BENFTS")
    result["method"] = "life-cycle approximation"
    return result


# ---- aggregates ------------------------------------------------------------------------


def weighted_aggregate(
    frame: pd.DataFrame,
    *,
    rate: str,
    weight: str,
    by: str | Iterable[str] | None = None,
    member: str | None = None,
) -> pd.DataFrame:
    r"""Aggregate national rates into a regional or global rate (UN SDG metadata 4.g).

    The weights are each series' denominator (for example the population above
    pensionable age for SI_COV_PENSN):

    .. math::

        R = \frac{\sum_c r_c D_c}{\sum_c D_c} = \frac{\sum_c N_c}{\sum_c D_c}

    A member whose rate is missing is left out of both sums and **reported**: the
    output counts and lists such members.
    The ILO fills missing countries with model estimates before aggregating, so an
    aggregate of reported values alone differs from the published one.
    An aggregate of one member equals that member's rate.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per member (country).
    rate : str
        Column of rates, shares between 0 and 1 (missing allowed: reported).
    weight : str
        Column of denominators :math:`D_c` (persons, not negative; may be missing only
        where the rate is missing).
    by : str or list of str, optional
        Group columns (region...); missing group values are refused.
    member : str, optional
        Column naming the members; the index labels by default.

    Returns
    -------
    pandas.DataFrame
        The ``by`` columns, ``numerator`` (sum of r D), ``denominator`` (sum of D),
        ``rate``, ``n_obs`` (members with a value), ``n_missing`` and
        ``missing_members`` (comma-separated), and ``method``.

    Examples
    --------
    >>> countries = pd.DataFrame({"iso3": ["A", "B", "C"], "rate": [0.5, 0.2, None],
    ...     "pop": [100.0, 400.0, 50.0]})
    >>> out = weighted_aggregate(countries, rate="rate", weight="pop", member="iso3")
    >>> row = out.iloc[0]
    >>> print(row["numerator"], row["denominator"], row["rate"])
    130.0 500.0 0.26
    >>> print(row["n_obs"], row["n_missing"], row["missing_members"])
    2 1 C
    """
    by = as_list(by)
    require_columns(
        frame,
        [rate, weight] + by + ([member] if member else []),
        what="aggregate",
        one_row_per="member (country)",
    )
    rates = numeric_column(frame, rate, allow_missing=True)
    weights = numeric_column(frame, weight, allow_missing=True, non_negative=True)
    outside = (rates < 0) | (rates > 1)
    if outside.any():
        row = frame.index[int(np.flatnonzero(outside)[0])]
        raise ValueError(
            f"column '{rate}' must hold shares between 0 and 1; row {row} holds "
            f"{frame.loc[row, rate]} (a percentage? divide by 100)"
        )
    present = ~np.isnan(rates)
    no_weight = present & np.isnan(weights)
    if no_weight.any():
        row = frame.index[int(np.flatnonzero(no_weight)[0])]
        raise ValueError(
            f"column '{weight}' is missing in row {row}, which has a rate: every member with a "
            "rate needs its denominator"
        )
    for column in by:
        missing = frame[column].isna().to_numpy()
        if missing.any():
            row = frame.index[int(np.flatnonzero(missing)[0])]
            raise ValueError(
                f"group column '{column}' has {int(missing.sum())} missing value(s), the first "
                f"in row {row}; fill or drop them explicitly"
            )
    names = frame[member].to_numpy() if member else frame.index.to_numpy()
    work = pd.DataFrame(
        {
            "_num": np.where(present, rates * np.nan_to_num(weights), 0.0),
            "_den": np.where(present, np.nan_to_num(weights), 0.0),
            "_present": present,
            "_name": names,
        }
    )
    for column in by:
        work[column] = frame[column].to_numpy()
    groups = work.groupby(by, sort=True) if by else [((), work)]
    records = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        n_obs = int(group["_present"].sum())
        numerator, denominator = float(group["_num"].sum()), float(group["_den"].sum())
        if n_obs and denominator == 0:
            label = dict(zip(by, key, strict=True)) if by else "all members"
            raise ValueError(
                f"the weights in column '{weight}' of {label} sum to zero: nothing to average over"
            )
        absent = [str(n) for n in group.loc[~group["_present"], "_name"]]
        records.append(
            (
                *key,
                numerator,
                denominator,
                numerator / denominator if n_obs else math.nan,
                n_obs,
                len(absent),
                ", ".join(absent),
            )
        )
    result = pd.DataFrame(
        records,
        columns=[
            *by,
            "numerator",
            "denominator",
            "rate",
            "n_obs",
            "n_missing",
            "missing_members",
        ],
    )
    result["method"] = "denominator-weighted mean of member rates"
    return result


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
