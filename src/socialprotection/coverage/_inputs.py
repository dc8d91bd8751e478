"""Input frames of the coverage series: the administrative and denominator tables.

Their validation, and denominators taken from the population estimates of
:mod:`socialprotection.demography`.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Mapping

import numpy as np
import pandas as pd

from socialprotection import demography
from socialprotection._validation import (
    boolean_column,
    choice_column,
    numeric_column,
    require_columns,
)
from socialprotection.coverage._series import (
    _ADMIN_COLUMNS,
    _DENOMINATOR_COLUMNS,
    _SEXES,
    CONTINGENCIES,
    DENOMINATORS,
    MEASURES,
    _listed,
)

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
