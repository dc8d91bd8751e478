"""The assessment matrix, in the style of the ILO assessment-based national dialogue."""

from __future__ import annotations

import pandas as pd

from socialprotection._validation import require_columns
from socialprotection.assessment._tables import check_declared, declared, keys, text_or_blank

MATRIX_TEXT = ("existing_provision", "policy_gap", "implementation_issue", "recommendation")
STATUSES = (
    "not assessed",
    "recommendation missing",
    "recommendation without a finding",
    "no gap found",
    "complete",
)


def assessment_matrix(entries: pd.DataFrame, guarantees: pd.DataFrame) -> pd.DataFrame:
    """Put the entries of an assessment in a matrix, and say which rows are incomplete.

    In the ILO assessment-based national dialogue (ABND), the first step is an
    assessment matrix: for each guarantee of the social protection floor, the existing
    provision, the policy gaps, the implementation issues and the recommendations.
    The same matrix serves an institutional assessment, with the functions of
    government (see :func:`mandate_findings`) in place of the guarantees.
    ``assessment_table("spf_guarantees")`` gives the four guarantees of Recommendation
    No. 202.

    The ``status`` of a row is:

    - ``"not assessed"``: a declared guarantee with no entry (a row is added for it);
    - ``"recommendation missing"``: a gap or an issue with no recommendation;
    - ``"recommendation without a finding"``: a recommendation with no gap or issue
      to justify it;
    - ``"no gap found"``: neither a gap nor an issue nor a recommendation;
    - ``"complete"``: a gap or an issue, and a recommendation.

    Parameters
    ----------
    entries : pandas.DataFrame
        One row per finding: ``guarantee`` (declared), and the free texts
        ``existing_provision``, ``policy_gap``, ``implementation_issue`` and
        ``recommendation`` (a blank or missing cell means none).
    guarantees : pandas.DataFrame
        The declared guarantees (or functions), one row each, in column ``guarantee``.

    Returns
    -------
    pandas.DataFrame
        The entries in the order of the declared guarantees (and, within one, in their
        own order), with the added rows: ``guarantee``, the four texts (blank for none)
        and ``status``.

    Raises
    ------
    KeyError
        A missing column (named).
    ValueError
        An empty table, a guarantee that is not declared or is missing (the message
        names the column, the row and the value), or a guarantee declared twice.

    Examples
    --------
    >>> guarantees = pd.DataFrame({"guarantee": ["children", "old_age"]})
    >>> entries = pd.DataFrame({
    ...     "guarantee": ["old_age"], "existing_provision": ["Contributory pension"],
    ...     "policy_gap": ["No pension for informal workers"], "implementation_issue": [None],
    ...     "recommendation": [None]})
    >>> assessment_matrix(entries, guarantees)[["guarantee", "status"]]
      guarantee                  status
    0  children            not assessed
    1   old_age  recommendation missing
    """
    known = declared(guarantees, "guarantee", what="guarantees", one_row_per="guarantee")
    require_columns(entries, ["guarantee", *MATRIX_TEXT], what="entries", one_row_per="finding")
    guarantee = keys(entries, "guarantee", what="entries", expected="a guarantee")
    check_declared(entries, "guarantee", guarantee, known, what="entries", kind="guarantee")
    table = pd.DataFrame({"guarantee": guarantee.to_numpy()})
    for column in MATRIX_TEXT:
        table[column] = text_or_blank(entries, column, what="entries")
    finding = (table["policy_gap"] != "") | (table["implementation_issue"] != "")
    recommended = table["recommendation"] != ""
    table["status"] = "complete"
    table.loc[finding & ~recommended, "status"] = "recommendation missing"
    table.loc[~finding & recommended, "status"] = "recommendation without a finding"
    table.loc[~finding & ~recommended, "status"] = "no gap found"
    rows = []
    for name in known:
        mine = table[table["guarantee"] == name]
        if mine.empty:
            rows.append(
                pd.DataFrame(
                    [{"guarantee": name, **dict.fromkeys(MATRIX_TEXT, ""), "status": STATUSES[0]}]
                )
            )
        else:
            rows.append(mine)
    return pd.concat(rows, ignore_index=True)
