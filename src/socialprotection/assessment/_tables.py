"""Shared checks of the assessment tables, and the tables that ship with the library."""

from __future__ import annotations

from importlib import resources

import numpy as np
import pandas as pd

from socialprotection._validation import _refuse_missing, require_columns

#: The tables of ``socialprotection/assessment/data``: name -> (file, what it is).
TABLES = {
    "spf_guarantees": (
        "spf_guarantees.csv",
        "the four basic social security guarantees of a social protection floor (ILO "
        "Recommendation No. 202, paragraph 5, in the book's own words)",
    ),
    "migration_governance_functions": (
        "migration_governance_functions.csv",
        "the seven areas of service delivery mapped by the IOM assessment of labour "
        "migration governance in Tajikistan",
    ),
    "tjk_institutions": (
        "tjk_institutions_illustrative.csv",
        "the Tajik institutions named in the IOM assessment notice and the ILO budget review",
    ),
    "tjk_mandates": (
        "tjk_mandates_illustrative.csv",
        "ILLUSTRATIVE mandates of the Tajik institutions, made up for the book",
    ),
    "tjk_roadmap": (
        "tjk_roadmap_illustrative.csv",
        "ILLUSTRATIVE costed roadmap (cost in thousands of US dollars, duration in months), "
        "made up for the book",
    ),
}


def assessment_table(name: str) -> pd.DataFrame:
    """Read one of the small tables that ship with :mod:`socialprotection.assessment`.

    Parameters
    ----------
    name : str
        One of ``"spf_guarantees"``, ``"migration_governance_functions"``,
        ``"tjk_institutions"``, ``"tjk_mandates"`` (ILLUSTRATIVE) and ``"tjk_roadmap"``
        (ILLUSTRATIVE).

    Returns
    -------
    pandas.DataFrame
        The table, with every column read as text except ``cost`` and ``duration``;
        empty cells are missing values. ``attrs["about"]`` says what it is and
        ``attrs["illustrative"]`` whether it was made up for the book.

    Examples
    --------
    >>> assessment_table("spf_guarantees")["guarantee"].tolist()
    ['health', 'children', 'working_age', 'old_age']
    >>> assessment_table("tjk_mandates").attrs["illustrative"]
    True
    """
    if name not in TABLES:
        raise ValueError(
            f"unknown assessment table {name!r}; the tables are: {', '.join(map(repr, TABLES))}"
        )
    file, about = TABLES[name]
    with (
        resources.files("socialprotection.assessment")
        .joinpath("data", file)
        .open(encoding="utf-8") as handle
    ):
        frame = pd.read_csv(handle, dtype=str)
    for column in ("cost", "duration"):
        if column in frame:
            frame[column] = frame[column].astype(float)
    frame.attrs["about"] = about
    frame.attrs["illustrative"] = "illustrative" in file
    return frame


def _first(frame: pd.DataFrame, mask: np.ndarray) -> int:
    """Position of the first row where ``mask`` is true."""
    return int(np.flatnonzero(mask)[0])


def keys(frame: pd.DataFrame, column: str, *, what: str, expected: str) -> pd.Series:
    """Return a column of names (institutions, functions, activities) as text.

    Missing values are refused with their count and first row.
    """
    require_columns(frame, [column], what=what)
    _refuse_missing(frame[column], column, expected)
    return frame[column].map(str)


def declared(frame: pd.DataFrame, column: str, *, what: str, one_row_per: str) -> list[str]:
    """Return the names declared in ``frame[column]``: one row each, none missing or repeated."""
    require_columns(frame, [column], what=what, one_row_per=one_row_per)
    names = keys(frame, column, what=what, expected=f"the name of a {one_row_per}")
    repeated = names.duplicated().to_numpy()
    if repeated.any():
        k = _first(frame, repeated)
        raise ValueError(
            f"{what}: column '{column}': row {frame.index[k]} holds {names.iloc[k]!r} again; "
            f"declare each {one_row_per} once"
        )
    return names.tolist()


def check_declared(
    frame: pd.DataFrame, column: str, names: pd.Series, known: list[str], *, what: str, kind: str
) -> None:
    """Refuse a name in ``names`` (the column ``column`` of ``frame``) that is not in ``known``."""
    unknown = ~names.isin(known).to_numpy()
    if unknown.any():
        k = _first(frame, unknown)
        raise ValueError(
            f"{what}: column '{column}': row {frame.index[k]} holds {names.iloc[k]!r}, which is "
            f"not a declared {kind}; the declared {kind}s are: {', '.join(map(repr, known))}"
        )


def text_or_blank(frame: pd.DataFrame, column: str, *, what: str) -> list[str]:
    """Return a free-text column as stripped text, with a blank for a missing value."""
    require_columns(frame, [column], what=what)
    return ["" if _blank(v) else str(v).strip() for v in frame[column]]


def _blank(value: object) -> bool:
    if isinstance(value, (list, tuple, set, np.ndarray)):
        return False
    return bool(pd.isna(value)) or not str(value).strip()
