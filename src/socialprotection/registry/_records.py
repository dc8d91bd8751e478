"""Checks and normalisation of person records, shared by the registry functions.

Every check raises an error that names the column, the row (the frame's index label)
and what was expected. Missing values are allowed where a record may lack the field
(a name, a date, an ID); they are counted by the caller, never dropped.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd
from anyascii import anyascii

from socialprotection._validation import require_columns

#: The person columns: required ones first, then those used when present.
PERSON_COLUMNS = ("identifier", "given_name", "family_name", "birth_date", "sex")
OPTIONAL_PERSON_COLUMNS = ("district", "national_id")
SEXES = ("female", "male")


def _show(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _first(series: pd.Series, mask: np.ndarray) -> tuple[object, str]:
    position = int(np.flatnonzero(mask)[0])
    return series.index[position], _show(series.iloc[position])


def refuse_empty(frame: pd.DataFrame, what: str, columns: Iterable[str]) -> None:
    """Raise ``ValueError`` for a frame without rows, naming the columns expected."""
    if len(frame) == 0:
        listed = ", ".join(f"'{c}'" for c in columns)
        raise ValueError(
            f"{what}: the frame has no rows; expected one row per person record, "
            f"with the columns {listed}"
        )


def key_column(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Return a record key as text after checking that none is missing or repeated."""
    series = frame[column]
    missing = series.isna().to_numpy()
    if missing.any():
        row, _ = _first(series, missing)
        raise ValueError(
            f"{what}: column '{column}' has {int(missing.sum())} missing value(s), the first "
            f"in row {row}; expected a key for every record"
        )
    text = series.astype(str)
    repeated = text.duplicated().to_numpy()
    if repeated.any():
        row, shown = _first(series, repeated)
        raise ValueError(f"{what}: column '{column}' must be unique; row {row} repeats {shown}")
    return text


def text_column(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Return a text column (missing kept as missing) after checking every value is text.

    A number, or an empty or blank text, is refused: write a missing value (None) for an
    unknown value.
    """
    series = frame[column]
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    is_text = np.array([isinstance(v, str) for v in values], dtype=bool) if len(values) else missing
    bad = ~missing & ~is_text
    if bad.any():
        row, shown = _first(series, bad)
        raise TypeError(f"{what}: column '{column}' must hold text; row {row} holds {shown}")
    blank = is_text & (series.astype(object).where(is_text, "x").str.strip() == "").to_numpy()
    if blank.any():
        row, shown = _first(series, blank)
        raise TypeError(
            f"{what}: column '{column}' must hold text; row {row} holds {shown} "
            "(write a missing value for an unknown value)"
        )
    return pd.Series(np.where(missing, None, values), index=series.index, dtype=object)


def date_column(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Return dates as ISO text (YYYY-MM-DD; missing kept) after checking they parse.

    Accepted: a datetime column, or text YYYY-MM-DD (or ISO 8601 with a time), or date
    objects. Anything else (a number, a blank, 31/02/1985) is refused with its row.
    """
    series = frame[column]
    if series.dtype.kind == "M":
        out = series.dt.strftime("%Y-%m-%d")
        return out.astype(object).where(series.notna(), None)
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    text = np.array(
        [
            v if isinstance(v, str) else (v.isoformat() if hasattr(v, "isoformat") else None)
            for v in values
        ],
        dtype=object,
    )
    parsed = pd.to_datetime(pd.Series(text, dtype=object), format="ISO8601", errors="coerce")
    bad = ~missing & parsed.isna().to_numpy()
    if bad.any():
        row, shown = _first(series, bad)
        raise TypeError(
            f"{what}: column '{column}' must hold dates written YYYY-MM-DD; row {row} holds {shown}"
        )
    out = pd.Series(parsed.dt.strftime("%Y-%m-%d").to_numpy(dtype=object), index=series.index)
    return out.where(~missing, None)


def choice_column(frame: pd.DataFrame, column: str, what: str, allowed: Iterable[str]) -> pd.Series:
    """Return a label column (missing kept) after checking every value is in ``allowed``."""
    allowed = list(allowed)
    series = frame[column]
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    bad = ~missing & ~np.isin(values.astype(str), allowed)
    bad |= ~missing & np.array([not isinstance(v, str) for v in values], dtype=bool)
    if bad.any():
        row, shown = _first(series, bad)
        listed = ", ".join(repr(a) for a in allowed)
        raise ValueError(
            f"{what}: column '{column}': row {row} holds {shown}; expected one of: {listed}"
        )
    return pd.Series(np.where(missing, None, values), index=series.index, dtype=object)


def id_column(frame: pd.DataFrame, column: str, what: str) -> pd.Series:
    """Return national IDs as text (missing kept); numbers are refused (leading zeros)."""
    series = frame[column]
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    is_text = np.array([isinstance(v, str) for v in values], dtype=bool)
    blank = np.zeros(len(values), dtype=bool)
    if is_text.any():
        blank[is_text] = pd.Series(values[is_text], dtype=object).str.strip().eq("").to_numpy()
    bad = (~missing & ~is_text) | blank
    if bad.any():
        row, shown = _first(series, bad)
        raise TypeError(
            f"{what}: column '{column}' must hold IDs as text (a number loses leading "
            f"zeros; a blank is a missing value); row {row} holds {shown}"
        )
    return pd.Series(np.where(missing, None, values), index=series.index, dtype=object)


def latin(names: pd.Series) -> pd.Series:
    """Romanise names with anyascii, lower case, letters and spaces only (missing kept).

    Each distinct name is romanised once.

    Examples
    --------
    >>> latin(pd.Series(["Ҷамшед", "Ғуломҷон", None, "ສົມສັກ"])).tolist()
    ['jamshed', 'ghulomjon', None, 'somsak']
    """
    unique = pd.unique(names.dropna())
    table = {
        n: " ".join("".join(c if c.isalpha() else " " for c in anyascii(n).lower()).split())
        for n in unique
    }
    out = names.map(table)
    return out.astype(object).where(names.notna(), None)


def person_records(frame: object, what: str, *, extra: Iterable[str] = ()) -> pd.DataFrame:
    """Check person records and return them normalised for linkage.

    The result has the frame's index, ``identifier`` as text, the names as given with
    their romanised forms beside them (``given_name_latin``, ``family_name_latin``),
    ``birth_date`` as ISO text, ``sex``, and ``district`` and ``national_id`` when the
    frame has them (missing otherwise).
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    required = [*PERSON_COLUMNS, *extra]
    require_columns(frame, required, what=what)
    refuse_empty(frame, what, required)
    out = pd.DataFrame(index=frame.index)
    out["identifier"] = key_column(frame, "identifier", what)
    for column in ("given_name", "family_name"):
        out[column] = text_column(frame, column, what)
        out[f"{column}_latin"] = latin(out[column])
    out["birth_date"] = date_column(frame, "birth_date", what)
    out["sex"] = choice_column(frame, "sex", what, SEXES)
    out["district"] = text_column(frame, "district", what) if "district" in frame.columns else None
    out["national_id"] = (
        id_column(frame, "national_id", what) if "national_id" in frame.columns else None
    )
    return out
