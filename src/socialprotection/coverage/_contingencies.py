"""Coverage by contingency: one SDG 1.3.1 series from administrative counts.

Also the vulnerable population, the denominator of the social assistance series.
"""

from __future__ import annotations

import math
import warnings

import pandas as pd

from socialprotection.coverage._inputs import _persons, validate_admin, validate_denominators
from socialprotection.coverage._series import _SEXES, SERIES, _fmt, _listed

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
