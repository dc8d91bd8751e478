"""Inclusion and exclusion errors against the true eligibility."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from socialprotection._validation import _show, as_list, boolean_column, require_columns
from socialprotection.delivery._flow import _ratio
from socialprotection.delivery._log import _group_codes, _has, _read

__all__ = ["targeting_errors"]


def targeting_errors(
    events: pd.DataFrame,
    truth: pd.DataFrame,
    *,
    eligible: str = "eligible",
    enrolled: str = "enrolment",
    by: str | Iterable[str] | None = None,
    case: str = "case_id",
    activity: str = "activity",
    timestamp: str = "timestamp",
) -> pd.DataFrame:
    """Inclusion and exclusion errors of the enrolment, against the true eligibility.

    The exclusion error is the share of the truly eligible who are not enrolled; the
    inclusion error is the share of the enrolled who are not eligible (Sabates-Wheeler
    et al. 2014; Slater and Farrington 2009, via socialprotection.org).

    Parameters
    ----------
    events : pandas.DataFrame
        One row per event, with the columns ``case``, ``activity`` and ``timestamp``.
    truth : pandas.DataFrame
        One row per case of the intended population: ``case`` and ``eligible``
        (true/false), and the ``by`` columns. A case of the truth without events is
        not enrolled; a case of the events that is not in the truth is an error.
    eligible : str, default "eligible"
        The column of the true eligibility in ``truth``.
    enrolled : str, default "enrolment"
        The activity that makes a case enrolled.
    by : str or list of str, optional
        Columns of ``truth`` to group by.
    case, activity, timestamp : str
        The names of the columns.

    Returns
    -------
    pandas.DataFrame
        One row per group: ``population``, ``eligible``, ``enrolled``,
        ``eligible_not_enrolled`` and ``exclusion_error`` (of ``eligible``),
        ``enrolled_not_eligible`` and ``inclusion_error`` (of ``enrolled``).

    Examples
    --------
    >>> events = pd.DataFrame({
    ...     "case_id": [1, 2, 3],
    ...     "activity": ["enrolment", "enrolment", "application"],
    ...     "timestamp": pd.to_datetime(["2024-01-01"] * 3),
    ... })
    >>> truth = pd.DataFrame({"case_id": [1, 2, 3, 4], "eligible": [True, False, True, True]})
    >>> targeting_errors(events, truth)[["eligible", "enrolled", "exclusion_error",
    ...                                  "inclusion_error"]]
       eligible  enrolled  exclusion_error  inclusion_error
    0         3         2         0.666667              0.5
    """
    by = as_list(by)
    if not isinstance(truth, pd.DataFrame):
        raise TypeError(f"truth must be a pandas DataFrame; got {type(truth).__name__}")
    require_columns(
        truth, [case, eligible, *by], what="targeting_errors: truth", one_row_per="case"
    )
    is_eligible = boolean_column(truth, eligible)
    ids = truth[case]
    missing = ids.isna().to_numpy()
    if missing.any():
        raise ValueError(
            f"column '{case}' of truth has {int(missing.sum())} missing value(s), the first in "
            f"row {truth.index[int(np.flatnonzero(missing)[0])]}; expected a case identifier"
        )
    dup = ids.duplicated().to_numpy()
    if dup.any():
        position = int(np.flatnonzero(dup)[0])
        raise ValueError(
            f"column '{case}' of truth: row {truth.index[position]} repeats case "
            f"{_show(ids.tolist()[position])}; expected one row per case"
        )
    for column in by:
        gone = truth[column].isna().to_numpy()
        if gone.any():
            raise ValueError(
                f"column '{column}' of truth has {int(gone.sum())} missing value(s), the first "
                f"in row {truth.index[int(np.flatnonzero(gone)[0])]}; expected a group label"
            )
    log = _read(events, what="targeting_errors", case=case, activity=activity, timestamp=timestamp)
    position = pd.Index(ids).get_indexer(log.case_labels)
    if (position < 0).any():
        unknown = log.case_labels[position < 0]
        raise ValueError(
            f"column '{case}': {len(unknown)} case(s) of the events are not in truth, "
            f"the first {_show(unknown.tolist()[0])}; the truth must list every case"
        )
    is_enrolled = np.zeros(len(truth), dtype=bool)
    is_enrolled[position[_has(log, log.code(enrolled, "enrolled"))]] = True
    if by:
        group, labels = _group_codes(truth[by].reset_index(drop=True))
    else:
        group, labels = np.zeros(len(truth), dtype=np.int64), pd.DataFrame(index=range(1))
    n = max(len(labels), 1)

    def count(mask):
        return np.bincount(group, weights=mask, minlength=n).astype(np.int64)

    eligible_n = count(is_eligible)
    enrolled_n = count(is_enrolled)
    excluded = count(is_eligible & ~is_enrolled)
    included = count(~is_eligible & is_enrolled)
    out = pd.DataFrame(
        {
            "population": np.bincount(group, minlength=n),
            "eligible": eligible_n,
            "enrolled": enrolled_n,
            "eligible_not_enrolled": excluded,
            "exclusion_error": _ratio(excluded, eligible_n),
            "enrolled_not_eligible": included,
            "inclusion_error": _ratio(included, enrolled_n),
        }
    )
    if by:
        out = pd.concat([labels.reset_index(drop=True), out], axis=1)
    return out
