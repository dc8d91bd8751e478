"""Safe publication of counts: small-cell suppression, and differential privacy with OpenDP."""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence

import numpy as np
import pandas as pd

from socialprotection._validation import numeric_column, require_columns

#: The rule that :func:`suppress_small_cells` applies, as a published table's note states it.
SMALL_CELL_RULE = (
    "threshold rule (minimum frequency rule): a cell that counts from 1 to threshold - 1 "
    "persons is not published (primary suppression); when the row and column totals are "
    "published, a row or column with a single suppressed cell has its smallest other "
    "non-zero cell suppressed too, so that no suppressed cell can be recomputed by "
    "subtraction (secondary suppression)"
)
#: Whether OpenDP (the optional extra ``privacy``) is installed.
HAS_OPENDP = importlib.util.find_spec("opendp") is not None
_MISSING = "(missing)"


def suppress_small_cells(
    table: pd.DataFrame, threshold: int = 10, *, secondary: bool = True
) -> pd.DataFrame:
    """Apply the threshold rule to a table of counts before it is published.

    Parameters
    ----------
    table : pandas.DataFrame
        Counts of persons (whole numbers, 0 or more), one row per area (or group), one
        column per category. Totals must not be in the table.
    threshold : int, default 10
        The smallest count that may be published (zero is published: it reveals no one).
    secondary : bool, default True
        Protect the suppressed cells from being recomputed from published totals
        (see :data:`SMALL_CELL_RULE`).

    Returns
    -------
    pandas.DataFrame
        The counts with suppressed cells missing (``Int64``), same index and columns;
        ``attrs["suppression"]`` gives the rule, the threshold and the number of primary
        and secondary suppressions.

    Raises
    ------
    KeyError, TypeError, ValueError
        A count is missing, not a number, negative, infinite or not whole (the message
        names the column and the row), the table is empty, or the threshold is below 2.

    Examples
    --------
    >>> counts = pd.DataFrame({"female": [40, 3, 25], "male": [38, 30, 12]},
    ...                       index=["Rasht", "Hisor", "Kulob"])
    >>> out = suppress_small_cells(counts, threshold=5)

    Hisor's 3 women are suppressed (primary); then Hisor's men, else 3 = total - 30; then
    a second cell in each column, else Hisor's cells = column total - the others.

    >>> out
           female  male
    Rasht      40    38
    Hisor    <NA>  <NA>
    Kulob    <NA>  <NA>
    >>> out.attrs["suppression"]["primary"], out.attrs["suppression"]["secondary"]
    (1, 3)
    """
    if isinstance(threshold, bool) or not isinstance(threshold, (int, np.integer)) or threshold < 2:
        raise ValueError(
            "suppress_small_cells: threshold must be a whole number of 2 or more; "
            f"got {threshold!r}"
        )
    require_columns(table, list(table.columns), what="suppress_small_cells", one_row_per="area")
    if table.shape[1] == 0:
        raise ValueError("suppress_small_cells: the table has no columns (no values)")
    values = np.column_stack([numeric_column(table, c, non_negative=True) for c in table.columns])
    fractional = values != np.round(values)
    if fractional.any():
        row, col = np.argwhere(fractional)[0]
        raise ValueError(
            f"suppress_small_cells: column '{table.columns[col]}' must hold whole counts of "
            f"persons; row {table.index[row]} holds {values[row, col]}"
        )
    primary = (values > 0) & (values < threshold)
    hidden = primary.copy()
    if secondary:
        changed = True
        while changed:
            changed = False
            for axis in (0, 1):
                lines = hidden if axis == 1 else hidden.T
                data = values if axis == 1 else values.T
                for i in range(lines.shape[0]):
                    if lines[i].sum() == 1:
                        candidates = np.flatnonzero(~lines[i] & (data[i] > 0))
                        if len(candidates):
                            j = candidates[np.argmin(data[i][candidates])]
                            if axis == 1:
                                hidden[i, j] = True
                            else:
                                hidden[j, i] = True
                            changed = True
    out = pd.DataFrame(
        np.where(hidden, np.nan, values), index=table.index, columns=table.columns
    ).astype("Int64")
    out.attrs["suppression"] = {
        "rule": SMALL_CELL_RULE,
        "threshold": int(threshold),
        "primary": int(primary.sum()),
        "secondary": int((hidden & ~primary).sum()),
    }
    return out


def require_opendp() -> None:
    """Raise a clear ``ImportError`` if OpenDP is not installed; otherwise do nothing.

    OpenDP is an optional extra (about 266 MB installed): ``pip install
    "socialprotection[privacy]"``.
    """
    if not HAS_OPENDP:
        raise ImportError(
            "differential privacy needs OpenDP, which is not installed. Install the extra "
            '"privacy": pip install "socialprotection[privacy]" (about 266 MB). '
            "The rest of the module works without it."
        )


def dp_scale(epsilon: float) -> float:
    """Return the Laplace scale that OpenDP needs for one count to be epsilon-DP.

    A count changes by at most 1 when one person is added or removed; OpenDP searches the
    smallest noise scale whose privacy loss is at most ``epsilon``.

    Examples
    --------
    >>> dp_scale(0.5)  # doctest: +SKIP
    2.0
    """
    require_opendp()
    import opendp.prelude as dp

    dp.enable_features("contrib")
    _positive(epsilon)
    space = dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance()
    return float(
        dp.binary_search_param(
            lambda s: space >> dp.t.then_count() >> dp.m.then_laplace(scale=s),
            d_in=1,
            d_out=float(epsilon),
        )
    )


def _positive(epsilon: object) -> float:
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float, np.number)):
        raise TypeError(f"epsilon must be a number above 0; got {epsilon!r}")
    if not np.isfinite(epsilon) or epsilon <= 0:
        raise ValueError(
            f"epsilon must be a finite number above 0, usually 0.1 to 2; got {epsilon}"
        )
    return float(epsilon)


def dp_counts(
    frame: pd.DataFrame,
    by: str,
    epsilon: float,
    categories: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Count records by category with differential privacy (OpenDP, Laplace noise).

    Adding or removing one person changes one count by one; the noise makes the whole
    published table epsilon-differentially private. The categories are public: give
    them (all districts, even those with no record), or they are taken from the data.
    A missing value is counted in the category "(missing)".

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per person.
    by : str
        The column to count by (a district).
    epsilon : float
        The privacy-loss budget spent on the table, above 0 (smaller is more private).
    categories : sequence of str, optional
        The categories to publish.

    Returns
    -------
    pandas.DataFrame
        Columns ``by`` and ``noisy_count`` (whole numbers; they can be negative: the
        noise is not clipped, to keep the counts unbiased); ``attrs`` holds ``epsilon`` and
        ``scale``. Every call draws new noise (OpenDP uses a secure random source that
        cannot be seeded).

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["Rasht"] * 50 + ["Hisor"] * 20})
    >>> table = dp_counts(frame, "district", epsilon=1.0)  # doctest: +SKIP
    >>> table.attrs["scale"]  # doctest: +SKIP
    1.0
    """
    require_columns(frame, [by], what="dp_counts", one_row_per="person")
    epsilon = _positive(epsilon)
    require_opendp()
    import opendp.prelude as dp

    dp.enable_features("contrib")
    series = frame[by]
    values = series.astype(object).where(series.notna(), _MISSING).astype(str).tolist()
    if categories is None:
        categories = sorted(set(values))
    categories = [str(c) for c in categories]
    unknown = sorted(set(values) - set(categories))
    if unknown:
        raise ValueError(
            f"dp_counts: column '{by}' holds {unknown[:5]}, not in the categories; expected "
            "every value among the published categories"
        )
    scale = dp_scale(epsilon)
    space = dp.vector_domain(dp.atom_domain(T=str)), dp.symmetric_distance()
    measurement = (
        space
        >> dp.t.then_count_by_categories(categories=categories, null_category=False)
        >> dp.m.then_laplace(scale=scale)
    )
    noisy = measurement(values)
    out = pd.DataFrame({by: categories, "noisy_count": [int(v) for v in noisy]})
    out.attrs.update(epsilon=float(measurement.map(1)), scale=scale)
    return out
