"""Welfare distribution: quantile groups, the FGT poverty measures and the Gini index.

Foster, Greer and Thorbecke (1984), Econometrica 52(3), for the poverty measures.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from socialprotection._validation import (
    is_pandas,
    numeric_column,
    weights_of,
)
from socialprotection.survey._checks import (
    _NAMED_GROUPS,
    _as_frame,
    _is_frame,
    _pandas_values,
    _quantile_groups,
)


def quintiles(values, weights=None, n: int = 5, *, column: str | None = None):
    """Assign weighted quantile groups 1..n (quintiles by default), ordered by value.

    Rule: sort the distinct values; each distinct value is a block whose weight is the
    sum of the weights of the observations holding it, so ties always share a group.
    A block occupies the interval ``[C_before, C_before + v]`` of the cumulative weight
    (``v`` its weight, ``W`` the total) and goes to the group that holds its midpoint::

        group = min(n, 1 + floor(n * (C_before + v / 2) / W))

    Equivalently, each cut between groups ``k`` and ``k + 1`` is the block edge whose
    cumulative weight is nearest to ``k * W / n``, so every group holds as close as
    possible to ``1/n`` of the total weight.
    A midpoint exactly on a boundary (within a relative 1e-9, to absorb rounding in the
    cumulative sums) goes to the upper group.
    A block heavier than ``W / n`` can leave a neighbouring group empty.
    The rule is symmetric (reversing the order of the values reverses the groups,
    except for midpoints exactly on a boundary), and because it only looks at blocks,
    integer weights give the same groups as the sample replicated by its weights.
    Other software may place a block that straddles a boundary differently.

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        The ranking variable (e.g. pre-transfer welfare per capita); no missing values.
        Or a frame (pandas, polars, DuckDB, Spark) that holds it in the column ``column``.
    weights : array-like or str, optional
        Non-negative weights, not all zero; equal weights when omitted. With a frame:
        the name of its weight column.
    n : int, default 5
        Number of groups (5 quintiles, 10 deciles).
    column : str, optional
        With a frame: the column of the ranking variable (required).

    Returns
    -------
    numpy.ndarray, pandas.Series or a frame
        Integer groups 1..n; a Series with the same index when ``values`` is a Series.
        For a frame: the frame with a new column of groups (``quintile``, ``quartile``,
        ``decile``, else ``group``), in the same engine; a lazy engine (a polars
        LazyFrame, DuckDB, Spark) returns a lazy table, whose row order is the engine's.

    Examples
    --------
    >>> quintiles([50, 10, 40, 20, 30]).tolist()
    [5, 1, 4, 2, 3]
    >>> quintiles([1, 2, 3], weights=[3, 1, 1]).tolist()  # blocks [0,3], [3,4], [4,5]
    [2, 4, 5]
    >>> people = pd.DataFrame({"y": [1, 2, 3], "w": [3, 1, 1]})
    >>> quintiles(people, weights="w", column="y")["quintile"].tolist()
    [2, 4, 5]
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a whole number of groups, at least 1; got {n!r}")
    empty = "the quantile groups of an empty sample are undefined"
    label = {v: k for k, v in _NAMED_GROUPS.items()}.get(int(n), "group")
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.quintiles(values, weights, int(n), column, label)
        if label in values.columns:
            raise ValueError(
                f"the frame already has a column '{label}'; drop or rename it before computing "
                "groups"
            )
        frame, name, weight = _pandas_values(values, column, weights, "quintiles", empty)
        groups = _quantile_groups(numeric_column(frame, name), weights_of(frame, weight), int(n))
        return values.assign(**{label: groups})
    frame, name, weight = _as_frame(values, weights, empty)
    x = numeric_column(frame, name)
    w = weights_of(frame, weight)
    groups = _quantile_groups(x, w, int(n))
    if isinstance(values, pd.Series):
        return pd.Series(groups, index=values.index, name=label)
    return groups


# ---------------------------------------------------------------------------
# Poverty and inequality
# ---------------------------------------------------------------------------


def _poverty_line(poverty_line) -> float:
    if isinstance(poverty_line, bool) or not isinstance(poverty_line, numbers.Real):
        raise TypeError(f"the poverty line must be a number; got {poverty_line!r}")
    z = float(poverty_line)
    if not np.isfinite(z) or z <= 0:
        raise ValueError(f"the poverty line must be a positive number; got {poverty_line!r}")
    return z


def _fgt(y: np.ndarray, z: float, alpha: float, w: np.ndarray) -> float:
    poor = y < z
    gap = (z - y[poor]) / z
    return float(np.dot(w[poor], gap**alpha) / w.sum())


def fgt(
    values, poverty_line: float, alpha: float = 0, weights=None, *, column: str | None = None
) -> float:
    r"""Foster-Greer-Thorbecke poverty measure P_alpha.

    .. math:: P_\alpha = \sum_i w_i \, 1[y_i < z] \left(\frac{z - y_i}{z}\right)^\alpha
              \Big/ \sum_i w_i

    alpha = 0 gives the headcount ratio (P0), 1 the poverty gap index (P1), 2 the
    squared poverty gap or severity (P2). A person is poor when strictly below the line
    (``y < z``), as in the methods reference. No small-sample correction: integer weights
    give the measure of the sample replicated by its weights.
    Source: Foster, Greer and Thorbecke (1984), Econometrica 52(3): 761-766.

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        Welfare per capita (non-negative, no missing values); or a frame (pandas,
        polars, DuckDB, Spark) that holds them in the column ``column``.
    poverty_line : float
        The poverty line z, in the same unit (positive).
    alpha : float, default 0
        Poverty aversion, at least 0.
    weights : array-like or str, optional
        Non-negative survey weights, not all zero; equal weights when omitted. With a
        frame: the name of its weight column.
    column : str, optional
        With a frame: the column of welfare values (required).

    Returns
    -------
    float
        P_alpha, between 0 and 1.

    Examples
    --------
    >>> y = [50, 80, 100, 200]
    >>> fgt(y, 100), fgt(y, 100, alpha=1), round(fgt(y, 100, alpha=2), 4)  # 2/4, 0.7/4, 0.29/4
    (0.5, 0.175, 0.0725)
    >>> fgt(pd.DataFrame({"y": y, "w": [1, 1, 1, 1]}), 100, weights="w", column="y")
    0.5
    """
    z = _poverty_line(poverty_line)
    if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
        raise TypeError(f"alpha must be a number (0, 1 or 2); got {alpha!r}")
    if not np.isfinite(alpha) or alpha < 0:
        raise ValueError(f"alpha must be a number of at least 0 (0, 1 or 2); got {alpha!r}")
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.fgt(values, z, float(alpha), weights, column)
        frame, name, weight = _pandas_values(
            values, column, weights, "fgt", "the poverty measure of an empty sample is undefined"
        )
    else:
        frame, name, weight = _as_frame(
            values, weights, "the poverty measure of an empty sample is undefined"
        )
    y = numeric_column(frame, name, non_negative=True)
    w = weights_of(frame, weight)
    return _fgt(y, z, float(alpha), w)


def _gini(x: np.ndarray, w: np.ndarray) -> float:
    order = np.argsort(x)
    x, w = x[order], w[order]
    total_weight = w.sum()
    before = np.cumsum(w) - w
    mass = w * x
    return float(np.dot(mass, 2 * before + w - total_weight) / (total_weight * mass.sum()))


def gini(values, weights=None, *, column: str | None = None) -> float:
    r"""Gini coefficient, weighted.

    .. math:: G = \frac{\sum_i \sum_j w_i w_j |x_i - x_j|}{2 W^2 \mu}
              = \frac{\sum_i w_i x_i (2 C_{i-1} + w_i - W)}{W \sum_i w_i x_i}

    with W the total weight, mu the weighted mean, and the x_i sorted in increasing
    order with C_{i-1} the weight of the observations before i (ties may be in any
    order). This is the mean absolute difference over twice the mean, with no
    small-sample correction, so integer weights give exactly the unweighted Gini of the
    sample replicated by its weights (the form that pysal's ``inequality.gini.Gini``
    computes without weights).

    Parameters
    ----------
    values : array-like, pandas.Series or a frame
        Non-negative values (welfare per capita), not all zero, no missing values; or a
        frame (pandas, polars, DuckDB, Spark) that holds them in the column ``column``.
    weights : array-like or str, optional
        Non-negative weights, not all zero; equal weights when omitted. With a frame:
        the name of its weight column.
    column : str, optional
        With a frame: the column of values (required).

    Returns
    -------
    float
        G, at least 0 (all values equal) and below 1 (at most 1 minus the weight share
        of the observation that holds everything).

    Examples
    --------
    >>> gini([1, 2, 3, 4])  # 2 x (1+2+3+1+2+1) / (2 x 16 x 2.5)
    0.25
    >>> gini([1, 2], weights=[2, 1]) == gini([1, 1, 2])
    True
    >>> gini(pd.DataFrame({"consumption_pc": [1, 2, 3, 4]}), column="consumption_pc")
    0.25
    """
    empty = "the Gini of an empty sample is undefined"
    if _is_frame(values):
        if not is_pandas(values):
            from socialprotection.survey import _lazy

            return _lazy.gini(values, weights, column)
        frame, name, weight = _pandas_values(values, column, weights, "gini", empty)
    else:
        frame, name, weight = _as_frame(values, weights, empty)
    x = numeric_column(frame, name, non_negative=True)
    w = weights_of(frame, weight)
    if np.dot(w, x) == 0:
        raise ValueError("the Gini is undefined when the (weighted) mean is 0: all values are 0")
    return _gini(x, w)
