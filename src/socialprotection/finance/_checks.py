"""Checks of text and key columns, in the style of :mod:`socialprotection._validation`."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialprotection._validation import _show, require_columns


def text_column(frame: pd.DataFrame, column: str, *, what: str) -> np.ndarray:
    """Return a column of names after checking that each is non-empty text.

    Examples
    --------
    >>> text_column(pd.DataFrame({"programme": ["Pensions", 3]}), "programme", what="budget")
    Traceback (most recent call last):
    ...
    TypeError: budget: column 'programme' must hold names (text); row 1 holds 3
    """
    require_columns(frame, [column], what=what)
    series = frame[column]
    missing = series.isna().to_numpy()
    if missing.any():
        row = series.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(
            f"{what}: column '{column}' has {int(missing.sum())} missing value(s), the first in "
            f"row {row}; expected a name"
        )
    bad = np.array([not isinstance(v, str) or not v.strip() for v in series], dtype=bool)
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise TypeError(
            f"{what}: column '{column}' must hold names (text); row {series.index[position]} "
            f"holds {_show(series.iloc[position])}"
        )
    return series.to_numpy(dtype=object)


def key_column(frame: pd.DataFrame, column: str, *, what: str) -> None:
    """Refuse missing values in a column used to group rows, naming the first row.

    Examples
    --------
    >>> key_column(pd.DataFrame({"function": ["old age", None]}), "function", what="budget")
    Traceback (most recent call last):
    ...
    ValueError: budget: column 'function' has 1 missing value(s), the first in row 1; ...
    """
    require_columns(frame, [column], what=what)
    missing = frame[column].isna().to_numpy()
    if missing.any():
        row = frame.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(
            f"{what}: column '{column}' has {int(missing.sum())} missing value(s), the first in "
            f"row {row}; every row needs a value to be grouped"
        )
