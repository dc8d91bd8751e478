"""Input checks shared by the indicator modules.

Every check raises an error written for a person: it names the column, the row
(the frame's index label) or the value, and says what was expected.
Missing values are never dropped silently: a check either refuses them, with
their count, or the caller counts and reports them.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pandas as pd

__all__ = [
    "require_columns",
    "numeric_column",
    "boolean_column",
    "choice_column",
    "weights_of",
    "as_list",
]


def as_list(names: str | Iterable[str] | None) -> list[str]:
    """Return ``names`` as a list: one name, several names, or none.

    Examples
    --------
    >>> as_list("sex"), as_list(["sex", "region"]), as_list(None)
    (['sex'], ['sex', 'region'], [])
    """
    if names is None:
        return []
    if isinstance(names, str):
        return [names]
    return list(names)


def require_columns(
    frame: pd.DataFrame,
    columns: Iterable[str],
    *,
    what: str = "data",
    one_row_per: str | None = None,
) -> None:
    """Raise ``KeyError`` naming every column of ``columns`` that ``frame`` lacks.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    columns : iterable of str
        The columns that the computation reads.
    what : str, default "data"
        The name of the data (or of the computation) that starts the message.
    one_row_per : str, optional
        What one row is, for example ``"person"``. When given, a frame without rows
        raises ``ValueError``: an empty frame has no rate, share or total to compute.

    Examples
    --------
    >>> frame = pd.DataFrame({"weight": [1.0]})
    >>> require_columns(frame, ["weight", "sex"], what="survey")
    Traceback (most recent call last):
    ...
    KeyError: "survey: missing column 'sex'; the columns are: weight"
    >>> require_columns(frame.iloc[:0], ["weight"], what="survey", one_row_per="person")
    Traceback (most recent call last):
    ...
    ValueError: survey: the frame has no rows; expected one row per person, with the column 'weight'
    """
    columns = list(columns)
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        plural = "s" if len(missing) > 1 else ""
        raise KeyError(
            f"{what}: missing column{plural} {listed}; the columns are: "
            + ", ".join(map(str, frame.columns))
        )
    if one_row_per is not None and len(frame) == 0:
        listed = ", ".join(f"'{c}'" for c in dict.fromkeys(columns))
        plural = "s" if len(set(columns)) > 1 else ""
        raise ValueError(
            f"{what}: the frame has no rows; expected one row per {one_row_per}, "
            f"with the column{plural} {listed}"
        )


def _show(value: object) -> str:
    """Show a value as a person reads it: text in quotes, numbers plain."""
    return repr(value) if isinstance(value, str) else str(value)


def _first_label(frame: pd.DataFrame | pd.Series, mask: np.ndarray) -> object:
    return frame.index[int(np.flatnonzero(mask)[0])]


def _first(series: pd.Series, mask: np.ndarray) -> tuple[object, str]:
    """Return the row label and the shown value of the first row where ``mask`` is True."""
    position = int(np.flatnonzero(mask)[0])
    return series.index[position], _show(series.iloc[position])


def numeric_column(
    frame: pd.DataFrame,
    column: str,
    *,
    allow_missing: bool = False,
    non_negative: bool = False,
    allow_infinite: bool = False,
) -> np.ndarray:
    """Return a column as a float array after checking that it holds finite numbers.

    Parameters
    ----------
    frame : pandas.DataFrame
        The data.
    column : str
        The column to check.
    allow_missing : bool, default False
        When False, missing values raise an error that gives their count and the first row.
    non_negative : bool, default False
        When True, negative values raise an error that names the first one.
    allow_infinite : bool, default False
        When True, infinite values are kept (for a cap that may be "none"); with
        ``non_negative``, minus infinity is still refused as negative.

    Raises
    ------
    KeyError
        The column is missing.
    TypeError
        A value is not a number (text, a date, a complex number); the message names
        the first such row.
    ValueError
        A value is missing (unless ``allow_missing``), infinite, or negative (with
        ``non_negative``); the message names the first such row.

    Examples
    --------
    >>> frame = pd.DataFrame({"amount": [10, 0, 5]})
    >>> numeric_column(frame, "amount")
    array([10.,  0.,  5.])
    >>> numeric_column(pd.DataFrame({"amount": ["10", "ten"]}), "amount")
    Traceback (most recent call last):
    ...
    TypeError: column 'amount' must hold numbers; row 1 holds 'ten'
    >>> numeric_column(pd.DataFrame({"amount": [10, np.inf]}), "amount")
    Traceback (most recent call last):
    ...
    ValueError: column 'amount' must hold finite numbers, not infinity; row 1 holds inf
    """
    require_columns(frame, [column])
    series = frame[column]
    if pd.api.types.is_bool_dtype(series.dtype) or (
        pd.api.types.is_numeric_dtype(series.dtype)
        and not pd.api.types.is_complex_dtype(series.dtype)
    ):
        values = series.to_numpy(dtype=float, na_value=np.nan)
    else:
        if series.dtype.kind in "mM" or isinstance(series.dtype, pd.PeriodDtype):
            # pandas would turn dates and durations into counts of (nano)seconds.
            raise TypeError(
                f"column '{column}' must hold numbers; it holds dates or durations ({series.dtype})"
            )
        converted = pd.to_numeric(series, errors="coerce")
        bad = (converted.isna() & series.notna()).to_numpy()
        complex_values = pd.api.types.is_complex_dtype(converted.dtype)
        if complex_values:
            bad |= np.iscomplex(converted.to_numpy())
        if bad.any():
            row, shown = _first(series, bad)
            raise TypeError(f"column '{column}' must hold numbers; row {row} holds {shown}")
        if complex_values:
            values = converted.to_numpy().real.astype(float)
        else:
            values = converted.to_numpy(dtype=float, na_value=np.nan)
    # One pass over the values: their sum is finite unless one is missing or infinite
    # (or the sum overflows, and then the checks below find nothing to refuse).
    with np.errstate(over="ignore", invalid="ignore"):
        total = values.sum()
    if not np.isfinite(total):
        missing = np.isnan(values)
        if missing.any() and not allow_missing:
            raise ValueError(
                f"column '{column}' has {int(missing.sum())} missing value(s), the first in row "
                f"{_first_label(series, missing)}; fill or drop them explicitly before computing"
            )
        infinite = np.isinf(values)
        if infinite.any() and not allow_infinite:
            row, shown = _first(series, infinite)
            raise ValueError(
                f"column '{column}' must hold finite numbers, not infinity; row {row} holds {shown}"
            )
    if non_negative:
        negative = values < 0
        if negative.any():
            row, shown = _first(series, negative)
            raise ValueError(f"column '{column}' must not be negative; row {row} holds {shown}")
    return values


def weights_of(frame: pd.DataFrame, weight: str | None) -> np.ndarray:
    """Return survey weights as a float array, or ones when ``weight`` is None.

    Weights must be numbers, not missing, not negative, and must not all be zero.

    Examples
    --------
    >>> weights_of(pd.DataFrame({"w": [1, 2]}), "w")
    array([1., 2.])
    >>> weights_of(pd.DataFrame({"w": [1, -3]}), "w")
    Traceback (most recent call last):
    ...
    ValueError: column 'w' must not be negative; row 1 holds -3
    >>> weights_of(pd.DataFrame({"w": [0, 0]}), "w")
    Traceback (most recent call last):
    ...
    ValueError: the weights in column 'w' sum to zero: nothing to average over
    """
    if weight is None:
        return np.ones(len(frame))
    values = numeric_column(frame, weight, non_negative=True)
    if len(values) and values.sum() == 0:
        raise ValueError(f"the weights in column '{weight}' sum to zero: nothing to average over")
    return values


def boolean_column(frame: pd.DataFrame, column: str) -> np.ndarray:
    """Return a column of yes/no flags as a bool array after checking it.

    Accepted: a bool column, a nullable boolean column without missing values, or
    numbers (or Python objects) that are all ``True``/``False`` or 1/0.
    Missing values raise an error with their count and the first row; any other
    value raises an error that names its row.

    Examples
    --------
    >>> boolean_column(pd.DataFrame({"receives": [True, False]}), "receives")
    array([ True, False])
    >>> boolean_column(pd.DataFrame({"receives": [1, 0]}), "receives")
    array([ True, False])
    >>> boolean_column(pd.DataFrame({"receives": [True, "yes"]}), "receives")
    Traceback (most recent call last):
    ...
    TypeError: column 'receives' must hold true/false flags; row 1 holds 'yes'
    """
    require_columns(frame, [column])
    series = frame[column]
    if series.dtype == bool:
        return series.to_numpy()
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{column}' has {int(missing.sum())} missing value(s), the first in row "
            f"{_first_label(series, missing)}; a flag must be true or false"
        )
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=bool)
    bad = ~series.isin([True, False]).to_numpy()
    if bad.any():
        row, shown = _first(series, bad)
        raise TypeError(f"column '{column}' must hold true/false flags; row {row} holds {shown}")
    return series.to_numpy(dtype=bool)


def _refuse_missing(series: pd.Series, column: str, expected: str) -> None:
    missing = series.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{column}' has {int(missing.sum())} missing value(s), the first in row "
            f"{_first_label(series, missing)}; expected {expected}"
        )


def choice_column(frame: pd.DataFrame, column: str, allowed: Iterable[str]) -> np.ndarray:
    """Return a column of labels after checking that every value is one of ``allowed``.

    Missing values raise an error with their count and the first row; an unknown
    value raises an error that names its row and lists the valid values.

    Examples
    --------
    >>> frame = pd.DataFrame({"sex": ["female", "men"]})
    >>> choice_column(frame, "sex", ["female", "male", "both"])
    Traceback (most recent call last):
    ...
    ValueError: column 'sex': row 1 holds 'men'; expected one of: 'female', 'male', 'both'
    """
    require_columns(frame, [column])
    allowed = list(allowed)
    listed = ", ".join(_show(a) for a in allowed)
    series = frame[column]
    _refuse_missing(series, column, f"one of: {listed}")
    values = series.to_numpy(dtype=object)
    bad = np.array([v not in allowed for v in values], dtype=bool)
    if bad.any():
        row, shown = _first(series, bad)
        raise ValueError(f"column '{column}': row {row} holds {shown}; expected one of: {listed}")
    return values


# ---------------------------------------------------------------------------
# Checks on any dataframe engine (polars, DuckDB, Spark...), through narwhals
# ---------------------------------------------------------------------------

ENGINES = "a pandas or polars DataFrame, a polars LazyFrame, a DuckDB relation or a Spark DataFrame"


def is_pandas(frame: object) -> bool:
    """Whether ``frame`` is a pandas DataFrame (computed in memory with numpy, as always)."""
    return isinstance(frame, pd.DataFrame)


def lazy_frame(frame: object):
    """Return ``frame`` as a narwhals LazyFrame that computes inside its own engine.

    Examples
    --------
    >>> lazy_frame(pd.DataFrame({"a": [1]})).collect_schema().names()
    ['a']
    >>> lazy_frame([1, 2])
    Traceback (most recent call last):
    ...
    TypeError: expected a pandas or polars DataFrame, ... or a Spark DataFrame; got list
    """
    import narwhals.stable.v2 as nw

    try:
        data = nw.from_native(frame)
    except TypeError:
        raise TypeError(f"expected {ENGINES}; got {type(frame).__name__}") from None
    if isinstance(data, nw.Series):
        raise TypeError(f"expected {ENGINES}; got a series")
    return data.lazy() if isinstance(data, nw.DataFrame) else data


def collect_small(lf) -> pd.DataFrame:
    """Compute a lazy query whose result is small and return it as a pandas DataFrame.

    polars runs it on its streaming engine: the data pass through in batches, so
    memory does not grow with the number of rows (an operation the streaming engine
    lacks runs in memory, with the same result). Other engines run it as they are.

    Examples
    --------
    >>> import narwhals.stable.v2 as nw
    >>> collect_small(lazy_frame(pd.DataFrame({"a": [1, 2]})).select(nw.col("a").sum()))
       a
    0  3
    """
    import narwhals.stable.v2 as nw

    if lf.implementation is nw.Implementation.POLARS:
        return lf.collect(backend="pandas", engine="streaming").to_native()
    return lf.collect(backend="pandas").to_native()


def require_names(names: list[str], columns: Iterable[str], *, what: str = "data") -> None:
    """Raise ``KeyError`` naming every column of ``columns`` not in ``names`` (exact case).

    DuckDB and Spark resolve a column name whatever its case; the library does not,
    so a frame gives the same answer, or the same error, on every engine.
    Names that begin with ``_sp_`` are refused: the library's working columns do.
    """
    present = set(names)
    reserved = [c for c in columns if str(c).lower().startswith("_sp_")]
    if reserved:
        raise ValueError(
            f"{what}: column '{reserved[0]}': names that begin with '_sp_' (in any case) are "
            "kept for the library's working columns; rename it"
        )
    missing = [c for c in columns if c not in present]
    if missing:
        listed = ", ".join(f"'{c}'" for c in missing)
        plural = "s" if len(missing) > 1 else ""
        raise KeyError(
            f"{what}: missing column{plural} {listed}; the columns are: " + ", ".join(names)
        )


BAD = "_sp_bad"  # rows that break at least one check


class LazyChecks:
    """Input checks computed in the same pass as the result.

    Each check is a per-row true/false expression. One marker, true on the rows that
    break at least one check, is carried through every aggregation (``any``), so
    the engine reads the data once. After the result is collected, :meth:`raise_first`
    raises the first failed check with the same message as the pandas path, less the
    row label (a lazy engine has no row order).
    """

    def __init__(self, schema) -> None:
        self.schema = schema
        self.checks: list[tuple[str, object, type, str]] = []
        # What the marker of :meth:`columns` reads: one cheap expression per column
        # where one suffices (a range test), else each check's own expression.
        self.broken: list = []

    def _add(self, expression, error: type, message: str, *, counted: bool = True) -> None:
        self.checks.append((f"_sp_check_{len(self.checks)}", expression, error, message))
        if counted:
            self.broken.append(expression)

    def numeric(
        self, column: str, *, non_negative: bool = False, allow_missing: bool = False
    ) -> None:
        """Check that ``column`` holds finite numbers (not negative with ``non_negative``)."""
        import narwhals.stable.v2 as nw

        dtype = self.schema[column]
        if not (dtype.is_numeric() or dtype == nw.Boolean):
            raise TypeError(f"column '{column}' must hold numbers; it holds {dtype}")
        value = nw.col(column)
        floating = dtype.is_float()
        negative = non_negative and dtype != nw.Boolean
        # Without missing values allowed, one range test finds every bad value: a
        # missing value, NaN (false in any comparison, or above infinity where NaN
        # sorts last, as in DuckDB, polars and Spark), infinity and, with
        # ``non_negative``, a negative number.
        fast = not allow_missing and (floating or negative)
        missing = value.is_null() | value.is_nan() if floating else value.is_null()
        if not allow_missing:
            self._add(
                missing,
                ValueError,
                f"column '{column}' has {{count}} missing value(s); "
                "fill or drop them explicitly before computing",
                counted=not fast,
            )
        if floating:
            self._add(
                (~value.is_finite() & ~value.is_nan()).fill_null(False),
                ValueError,
                f"column '{column}' must hold finite numbers, not infinity; "
                "{count} value(s) are infinite",
                counted=not fast,
            )
        if negative:
            self._add(
                (value < 0).fill_null(False),
                ValueError,
                f"column '{column}' must not be negative; {{count}} value(s) are negative",
                counted=not fast,
            )
        if fast:
            inside = value >= 0 if negative else value > -math.inf
            if floating:
                inside = inside & (value < math.inf)
            self.broken.append(~inside.fill_null(False))

    def flag(self, column: str) -> None:
        """Check that ``column`` holds true/false flags (or 1/0), none missing."""
        import narwhals.stable.v2 as nw

        dtype = self.schema[column]
        value = nw.col(column)
        if dtype == nw.Boolean:
            missing = value.is_null()
        elif dtype.is_numeric():
            missing = value.is_null() | value.is_nan() if dtype.is_float() else value.is_null()
        else:
            raise TypeError(f"column '{column}' must hold true/false flags; it holds {dtype}")
        coded = dtype != nw.Boolean
        self._add(
            missing,
            ValueError,
            f"column '{column}' has {{count}} missing value(s); a flag must be true or false",
            counted=not coded,
        )
        if coded:
            self._add(
                (~value.is_in([0, 1])).fill_null(False),
                TypeError,
                f"column '{column}' must hold true/false flags; {{count}} value(s) are not 0 or 1",
                counted=False,
            )
            self.broken.append(~value.is_in([0, 1]).fill_null(False))  # missing too

    def group(self, column: str) -> None:
        """Check that a group (or household identifier) column has no missing value."""
        import narwhals.stable.v2 as nw

        value = nw.col(column)
        dtype = self.schema[column]
        missing = value.is_null() | value.is_nan() if dtype.is_float() else value.is_null()
        self._add(
            missing,
            ValueError,
            f"column '{column}' has {{count}} missing value(s); give them a group of their own "
            "(e.g. 'unknown') before computing",
        )

    def rule(self, expression, error: type, message: str) -> None:
        """Any other per-row rule: ``expression`` is true on a row that breaks it."""
        self._add(expression.fill_null(False), error, message)

    def columns(self) -> list:
        """Return one marker column: true on a row that breaks any check, else false.

        One value travels through the aggregations, whatever the number of checks;
        only when it is true somewhere does :meth:`raise_first` count each check.
        """
        import functools
        import operator

        broken = functools.reduce(operator.or_, self.broken)
        # Every part is true or false, never missing (``fill_null``). It stays true/false:
        # engines aggregate that faster than a number, and faster than a CASE.
        return [broken.alias(BAD)]

    def sums(self) -> list:
        """Return the aggregation that carries the marker through a ``group_by``.

        Whether any row breaks a check, not how many: the counts come from the second
        pass of :meth:`raise_first`, and a true/false keeps a small state in every
        group of the engine's hash table.
        """
        import narwhals.stable.v2 as nw

        return [nw.col(BAD).any().alias(BAD)]  # true when any row breaks a check

    def raise_first(self, result: pd.DataFrame, frame) -> None:
        """Raise the first failed check when the marker is true in a row of ``result``.

        ``frame`` is the lazy frame that the checks read: a second pass over it
        counts the rows that break each check, for the message.
        """
        if not len(result) or not result[BAD].fillna(False).astype(bool).any():
            return
        import narwhals.stable.v2 as nw

        counts = frame.select(
            *[
                nw.when(e).then(nw.lit(1)).otherwise(nw.lit(0)).cast(nw.Int64).sum().alias(n)
                for n, e, _, _ in self.checks
            ]
        )
        counts = collect_small(counts)
        for name, _, error, message in self.checks:
            count = int(counts[name].iloc[0])
            if count:
                raise error(message.format(count=count))
