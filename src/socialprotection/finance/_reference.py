"""Reference tables, read from ``reference_tables.yaml``: PEFA PI-1 and PI-2, ILO C102.

Each row of the data file carries its source. The functions here score a budget's
aggregate execution with the PEFA PI-1 bands and compare a replacement rate with the
minimum of ILO Convention No. 102 for its branch.
"""

from __future__ import annotations

import numbers
from functools import cache
from importlib import resources

import numpy as np
import pandas as pd
import yaml

from socialprotection._validation import numeric_column


@cache
def _tables() -> dict:
    text = resources.files("socialprotection.finance").joinpath("reference_tables.yaml")
    return yaml.safe_load(text.read_text("utf-8"))


def reference_table_sources() -> dict[str, str]:
    """Where each reference table comes from, as the data file states it.

    Examples
    --------
    >>> sorted(reference_table_sources())
    ['c102_schedule', 'pefa_pi1', 'pefa_pi2']
    >>> "SECONDARY" in reference_table_sources()["pefa_pi1"]
    True
    """
    return {name: " ".join(table["source"].split()) for name, table in _tables().items()}


#: PEFA 2016 indicator PI-1, dimension 1.1: for each score, the lowest and highest aggregate
#: execution rate (outturn in percent of the approved budget, both limits included) that
#: meets it; a score needs the rate in its band in at least two of the last three years,
#: D otherwise. Read from ``reference_tables.yaml``. Source: National Statistics Office
#: Malta, SDG indicator 16.6.1 page (https://nsomalta.github.io/sdgsite/16-6-1), a
#: SECONDARY source that restates the PEFA 2016 criterion of PI-1
#: (https://www.pefa.org/node/4762); check the PEFA Framework's own table.
PEFA_PI1_BANDS: dict[str, tuple[float, float]] = {
    row["score"]: (float(row["lower_pct"]), float(row["upper_pct"]))
    for row in _tables()["pefa_pi1"]["bands"]
}

#: PEFA 2016 indicator PI-2, dimensions 2.1 and 2.2: the score is the best band whose
#: ceiling the composition variance stays below in at least two of the last three years.
#: Read from ``reference_tables.yaml``. Source: PEFA Secretariat (2016), Framework for
#: assessing public financial management, PI-2 "Expenditure composition outturn",
#: dimension 2.1 scoring table (https://www.pefa.org/node/4627): A "less than 5%",
#: B "less than 10%", C "less than 15%" "in at least two of the last three years";
#: D "performance is less than required for a C score".
PEFA_PI2_BANDS: dict[str, float] = {
    row["score"]: float(row["below_pct"]) for row in _tables()["pefa_pi2"]["bands"]
}


def _rate(value: object, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be a number in percent; got {value!r}")
    value = float(value)
    if np.isnan(value):
        raise ValueError(f"{name} is missing (NaN); give a number in percent")
    if np.isinf(value) or value < 0:
        raise ValueError(f"{name} must be a finite number of 0 percent or more; got {value!r}")
    return value


def pefa_execution_band(rate_pct: float) -> str:
    """Return the PEFA PI-1 band (A to D) that one year's aggregate execution rate falls in.

    The rate is the aggregate outturn in percent of the approved budget. A year is in
    band A when the rate is between 95 and 105 percent, B between 90 and 110, C between
    85 and 115 (both limits included, :data:`PEFA_PI1_BANDS`), and D otherwise. One year
    does not make a PEFA score: :func:`pefa_execution_score` applies the rule of two years
    out of three. The bands are quoted from a secondary source, the National Statistics
    Office of Malta, which restates the PEFA 2016 criterion of PI-1; check the PEFA
    Framework's own table before you publish a score.

    Parameters
    ----------
    rate_pct : float
        Aggregate execution rate of one year, in percent (not a share).

    Examples
    --------
    >>> pefa_execution_band(95.0), pefa_execution_band(105.0), pefa_execution_band(94.99)
    ('A', 'A', 'B')
    >>> pefa_execution_band(120.0)
    'D'
    """
    rate = _rate(rate_pct, "rate_pct")
    for score, (low, high) in PEFA_PI1_BANDS.items():
        if low <= rate <= high:
            return score
    return "D"


def _last_three(rates_pct) -> tuple[np.ndarray, list]:
    if isinstance(rates_pct, pd.DataFrame):
        raise TypeError(
            "rates_pct must be three rates or a Series of rates indexed by year, not a "
            "DataFrame; pass one column, for example review['execution_rate_pct']"
        )
    if isinstance(rates_pct, pd.Series):
        name = str(rates_pct.name) if rates_pct.name is not None else "rates_pct"
        if rates_pct.empty:
            raise ValueError(
                f"rates '{name}' has no values; PEFA scores the last three completed years"
            )
        try:
            years = [int(y) for y in rates_pct.index]
        except (TypeError, ValueError):
            raise TypeError(
                f"rates '{name}' must be indexed by year; got the index {list(rates_pct.index)!r}"
            ) from None
        if len(set(years)) != len(years):
            raise ValueError(
                f"rates '{name}': a year appears twice in the index {years}; give one rate per year"
            )
        checked = numeric_column(rates_pct.to_frame(name), name, non_negative=True)
        order = np.argsort(years)
        years = [years[i] for i in order]
        if len(years) < 3:
            raise ValueError(
                f"PEFA scores the last three completed years; rates '{name}' has "
                f"{len(years)} year(s) ({years}); a score needs three"
            )
        if years[-1] - years[-3] != 2:
            raise ValueError(
                f"rates '{name}': the last three years {years[-3:]} are not consecutive; PEFA "
                "scores the last three completed years: give the missing year"
            )
        return checked[order][-3:], years[-3:]
    values = list(rates_pct)
    years = [f"position {i}" for i in range(len(values))]
    if len(values) != 3:
        raise ValueError(
            f"PEFA scores the last three completed years: give three rates, or a Series "
            f"indexed by year; got {len(values)}"
        )
    clean = [_rate(v, f"rate_pct of {y}") for v, y in zip(values, years, strict=True)]
    return np.asarray(clean, dtype=float), years


def pefa_execution_score(rates_pct) -> str:
    """PEFA PI-1 score (A to D) of the aggregate execution rates of the last three years.

    A score is met when the rate lies within its band in at least two of the three
    years: A between 95 and 105 percent, B between 90 and 110, C between 85 and 115 (both
    limits included, :data:`PEFA_PI1_BANDS`); the score is the best band met, and D
    otherwise. The bands are quoted from a secondary source, the National Statistics
    Office of Malta's page on SDG indicator 16.6.1, which restates the PEFA 2016
    criterion of PI-1 (https://www.pefa.org/node/4762); check the PEFA Framework's own
    table before you publish a score.

    Parameters
    ----------
    rates_pct : sequence of three numbers, or pandas.Series indexed by year
        Aggregate execution rates in percent. A Series may hold more years: the three
        latest are scored, and they must be consecutive. Fewer than three years, a
        missing, negative or non-numeric rate, or rates given as shares are refused with
        an error that names the value.

    Returns
    -------
    str
        "A", "B", "C" or "D".

    Examples
    --------
    >>> pefa_execution_score([95.0, 105.0, 80.0])
    'A'
    >>> pefa_execution_score([94.99, 96.0, 120.0])
    'B'
    >>> pefa_execution_score(pd.Series({2019: 70.0, 2020: 88.0, 2021: 112.0, 2022: 99.0}))
    'C'
    >>> pefa_execution_score([96.0, 97.0])
    Traceback (most recent call last):
    ...
    ValueError: PEFA scores the last three completed years: give three rates, or a Series ...
    """
    values, _ = _last_three(rates_pct)
    if (values <= 2).all():
        raise ValueError(
            f"the rates {values.tolist()} look like shares; give them in percent (x 100)"
        )
    for score, (low, high) in PEFA_PI1_BANDS.items():
        if int(((values >= low) & (values <= high)).sum()) >= 2:
            return score
    return "D"


_PARTS = {"III": 3, "IV": 4, "V": 5, "VI": 6, "VIII": 8, "IX": 9, "X": 10}
_ROMAN = {3: "III", 4: "IV", 5: "V", 6: "VI", 7: "VII", 8: "VIII", 9: "IX", 10: "X", 2: "II"}


def c102_minimum_rates() -> pd.DataFrame:
    """Return the Schedule to Part XI of ILO Convention No. 102, the minimum rates of benefits.

    For each branch (Part of the Convention), the benefit paid to the standard beneficiary,
    increased by any family allowances, must attain at least the percentage of the total
    of previous earnings (Article 65) or of the wage of an ordinary adult male labourer
    (Article 66), with the family allowances of the same family; Article 67 applies to
    benefits for residents whose means do not exceed prescribed limits. Read from
    ``reference_tables.yaml``; source: ILO (1952), Social Security (Minimum Standards)
    Convention, No. 102, Schedule to Part XI, English text in the Dutch treaty database
    BWBV0004942.

    Returns
    -------
    pandas.DataFrame
        ``part`` (Roman numeral), ``contingency``, ``standard_beneficiary``,
        ``percentage``, ``article_basis`` and ``source`` (a key of the book's references).

    Examples
    --------
    >>> table = c102_minimum_rates()
    >>> table.loc[table["part"] == "V", ["contingency", "percentage"]].to_numpy().tolist()
    [['Old age', 40]]
    >>> len(table), sorted(table["percentage"].unique().tolist())
    (9, [40, 45, 50])
    """
    rows = _tables()["c102_schedule"]["rows"]
    out = pd.DataFrame(rows, columns=["part", "contingency", "standard_beneficiary", "percentage"])
    out["percentage"] = out["percentage"].astype(int)
    out["article_basis"] = "Part XI, Articles 65 to 67 and Schedule"
    out["source"] = [row["source"] for row in rows]
    return out


def _part(part: object) -> str:
    if isinstance(part, bool):
        raise TypeError(f"part must be a Roman numeral such as 'V' or a number; got {part!r}")
    if isinstance(part, numbers.Integral):
        roman = _ROMAN.get(int(part))
    elif isinstance(part, str):
        roman = part.strip().upper().removeprefix("PART ").strip()
    else:
        raise TypeError(f"part must be a Roman numeral such as 'V' or a number; got {part!r}")
    if roman not in _PARTS:
        raise ValueError(
            f"part {part!r} has no row in the Schedule to Part XI of Convention No. 102; "
            f"expected one of {list(_PARTS)} (Parts II and VII have no percentage there)"
        )
    return roman


def _schedule_row(part: object, contingency: str | None) -> pd.Series:
    roman = _part(part)
    table = c102_minimum_rates()
    rows = table[table["part"] == roman]
    if len(rows) > 1:
        choices = [c.split(": ")[-1] for c in rows["contingency"]]
        if contingency is None:
            raise ValueError(
                f"Part {roman} has {len(rows)} rows in the Schedule; give contingency, one of "
                f"{choices}"
            )
        wanted = str(contingency).strip().lower()
        hit = rows[[c.lower() == wanted for c in choices]]
        if hit.empty:
            raise ValueError(
                f"contingency {contingency!r} is not in Part {roman} of the Schedule; "
                f"expected one of {choices}"
            )
        return hit.iloc[0]
    if contingency is not None:
        listed = rows["contingency"].iloc[0]
        if str(contingency).strip().lower() != listed.lower():
            raise ValueError(
                f"contingency {contingency!r} does not match Part {roman}, which is {listed!r}"
            )
    return rows.iloc[0]


def c102_gap(
    replacement_rate_pct: float, part: object, contingency: str | None = None
) -> pd.Series:
    """Compare a replacement rate with the minimum of ILO Convention No. 102 for its branch.

    The replacement rate is the benefit (with any family allowances) in percent of the
    reference earnings, as Article 65 or 66 defines them, for the standard beneficiary of
    the Schedule to Part XI (:func:`c102_minimum_rates`). The gap is the rate minus the
    minimum, in percentage points: negative when the benefit falls short. A benefit for
    another family type is not the standard beneficiary: Articles 65 and 66 ask only that
    it bear a reasonable relation to the standard benefit.

    Parameters
    ----------
    replacement_rate_pct : float
        The replacement rate, in percent (0 or more).
    part : str or int
        The Part of the Convention: "III" (sickness), "IV" (unemployment), "V" (old age),
        "VI" (employment injury), "VIII" (maternity), "IX" (invalidity), "X" (survivors),
        or its number.
    contingency : str, optional
        For Part VI only: "incapacity for work", "invalidity" or "survivors".

    Returns
    -------
    pandas.Series
        ``part``, ``contingency``, ``standard_beneficiary``, ``minimum_pct``,
        ``replacement_rate_pct``, ``gap_pct`` and ``meets_minimum``.

    Examples
    --------
    >>> gap = c102_gap(35.0, "V")
    >>> gap["minimum_pct"], gap["gap_pct"], gap["meets_minimum"]
    (40.0, -5.0, False)
    >>> c102_gap(50.0, "VI", "survivors")["gap_pct"]
    10.0
    >>> c102_gap(-3.0, "V")
    Traceback (most recent call last):
    ...
    ValueError: replacement_rate_pct must be a finite number of 0 percent or more; got -3.0
    """
    rate = _rate(replacement_rate_pct, "replacement_rate_pct")
    if 0 < rate < 1:
        raise ValueError(
            f"replacement_rate_pct {rate!r} looks like a share; give the rate in percent (x 100)"
        )
    row = _schedule_row(part, contingency)
    minimum = float(row["percentage"])
    return pd.Series(
        {
            "part": row["part"],
            "contingency": row["contingency"],
            "standard_beneficiary": row["standard_beneficiary"],
            "minimum_pct": minimum,
            "replacement_rate_pct": rate,
            "gap_pct": rate - minimum,
            "meets_minimum": bool(rate >= minimum),
        },
        dtype=object,
    )
