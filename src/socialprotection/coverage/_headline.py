"""Headline coverage: the share of the population covered by at least one benefit.

From person-level flags, overall and by life-cycle group.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from socialprotection._validation import (
    as_list,
    boolean_column,
    require_columns,
    weights_of,
)
from socialprotection.coverage._inputs import _persons
from socialprotection.coverage._series import _fmt, _listed

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
