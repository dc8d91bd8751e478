"""The assessment matrix, in the style of the ILO assessment-based national dialogue."""

from __future__ import annotations

import pandas as pd

from socialprotection._validation import choice_column, require_columns
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


FINDINGS = ("overlap", "gap", "inconsistency")


def draft_matrix(findings: pd.DataFrame) -> pd.DataFrame:
    """Draft the rows of an assessment matrix from the findings of a mandate map.

    Each finding about a function (see :func:`mandate_findings`) becomes one row, with
    the function as the ``guarantee``, the institutions that hold it as the
    ``existing_provision`` and the finding as a ``policy_gap`` (overlaps, gaps and
    inconsistencies of mandates are gaps in the legal framework).
    The ``implementation_issue`` and the ``recommendation`` are left blank, for the
    people who know the delivery to write; :func:`assessment_matrix` then marks each row
    "recommendation missing" until they do.
    A finding about an institution that holds no function (no function named) has no
    row: it belongs to the inventory of institutions.

    Parameters
    ----------
    findings : pandas.DataFrame
        As returned by :func:`mandate_findings`: ``finding`` (``"overlap"``, ``"gap"`` or
        ``"inconsistency"``), ``function``, ``institutions`` and ``detail`` (blank or
        missing cells are read as blank). With no rows, the draft has no rows.

    Returns
    -------
    pandas.DataFrame
        One row per finding about a function, in the order of ``findings``:
        ``guarantee``, ``existing_provision``, ``policy_gap``, ``implementation_issue``
        and ``recommendation``, ready for :func:`assessment_matrix`.

    Examples
    --------
    >>> institutions = pd.DataFrame({"institution": ["A", "B", "C"]})
    >>> functions = pd.DataFrame({"function": ["placement", "training"]})
    >>> mandates = pd.DataFrame({"institution": ["A", "B"], "function": ["placement"] * 2,
    ...                          "role": ["lead", "lead"], "legal_basis": ["Law 1", "Law 2"]})
    >>> from socialprotection.assessment import mandate_findings
    >>> draft = draft_matrix(mandate_findings(mandates, institutions, functions))
    >>> draft[["guarantee", "existing_provision"]].values.tolist()
    [['placement', 'held by A; B'], ['training', 'held by no institution']]
    >>> draft["policy_gap"].tolist()
    ["overlap: 2 institutions lead 'placement': A (Law 1), B (Law 2)", "gap: no institution is mandated for 'training'"]
    """  # noqa: E501
    require_columns(
        findings, ["finding", "issue", "function", "institutions", "detail"], what="findings"
    )
    columns = ["guarantee", *MATRIX_TEXT]
    if len(findings) == 0:
        return pd.DataFrame(columns=columns, dtype=object)
    choice_column(findings, "finding", FINDINGS)
    issue = text_or_blank(findings, "issue", what="findings")
    function = text_or_blank(findings, "function", what="findings")
    held = text_or_blank(findings, "institutions", what="findings")
    detail = text_or_blank(findings, "detail", what="findings")
    rows = [
        (f, f"held by {h}" if h else "held by no institution", f"{i}: {d}" if d else i, "", "")
        for i, f, h, d in zip(issue, function, held, detail, strict=True)
        if f
    ]
    return pd.DataFrame(rows, columns=columns)
