"""Mandate map: which institution is mandated for which function, and on what legal basis."""

from __future__ import annotations

import pandas as pd

from socialprotection._validation import choice_column, require_columns
from socialprotection.assessment._tables import check_declared, declared, keys, text_or_blank

ROLES = ("lead", "support")
NONE = "none"
LETTERS = {"lead": "L", "support": "S"}  # the cells of the mandate map (plot_mandate_map)
FINDING_COLUMNS = ("finding", "issue", "function", "institutions", "detail")


def _tables(
    mandates: pd.DataFrame, institutions: pd.DataFrame, functions: pd.DataFrame
) -> tuple[list[str], list[str], pd.DataFrame]:
    """Check the three tables; return the institutions, the functions and the mandates."""
    known_institutions = declared(
        institutions, "institution", what="institutions", one_row_per="institution"
    )
    known_functions = declared(functions, "function", what="functions", one_row_per="function")
    require_columns(
        mandates,
        ["institution", "function", "role", "legal_basis"],
        what="mandates",
        one_row_per="mandate (an institution and a function)",
    )
    institution = keys(mandates, "institution", what="mandates", expected="an institution")
    function = keys(mandates, "function", what="mandates", expected="a function")
    check_declared(
        mandates, "institution", institution, known_institutions,
        what="mandates", kind="institution",
    )  # fmt: skip
    check_declared(
        mandates, "function", function, known_functions, what="mandates", kind="function"
    )
    role = choice_column(mandates, "role", ROLES)
    legal = text_or_blank(mandates, "legal_basis", what="mandates")
    table = pd.DataFrame(
        {
            "institution": institution.to_numpy(),
            "function": function.to_numpy(),
            "role": role,
            "legal_basis": legal,
        }
    )
    return known_institutions, known_functions, table


def mandate_map(
    mandates: pd.DataFrame, institutions: pd.DataFrame, functions: pd.DataFrame
) -> pd.DataFrame:
    """Map every declared function against every declared institution: the mandate map.

    The map is the first table of an institutional and functional assessment: for each
    function (a task of government, such as job placement), which institution leads,
    which supports, and which legal act gives it that role.
    It follows the functional reviews of the World Bank (functions against the units
    that perform them) and the institution-by-function matrix of the IOM assessment of
    migration governance in Tajikistan; see :func:`mandate_findings` for what to read
    in it.

    Parameters
    ----------
    mandates : pandas.DataFrame
        One row per mandate: ``institution`` and ``function`` (both declared),
        ``role`` (``"lead"`` or ``"support"``) and ``legal_basis`` (the act that gives
        the mandate; a blank or missing cell means none is known).
    institutions : pandas.DataFrame
        The declared institutions, one row each, in column ``institution``.
    functions : pandas.DataFrame
        The declared functions, one row each, in column ``function``.

    Returns
    -------
    pandas.DataFrame
        One row per function and institution, functions and institutions in the order
        declared: ``function``, ``institution``, ``role`` (``"lead"``, ``"support"`` or
        ``"none"``) and ``legal_basis`` (the acts, joined by ``"; "``; blank if none).
        A pair listed twice keeps the stronger role and both acts.

    Raises
    ------
    KeyError
        A missing column (named).
    ValueError
        An empty table; an institution or a function that is not declared, a role
        other than lead or support, or a missing name (the message names the column,
        the row and the value); a name declared twice.

    Examples
    --------
    >>> institutions = pd.DataFrame({"institution": ["A", "B"]})
    >>> functions = pd.DataFrame({"function": ["placement", "training"]})
    >>> mandates = pd.DataFrame({"institution": ["A", "B"], "function": ["placement"] * 2,
    ...                          "role": ["lead", "support"], "legal_basis": ["Law 1", None]})
    >>> mandate_map(mandates, institutions, functions)
        function institution     role legal_basis
    0  placement           A     lead       Law 1
    1  placement           B  support
    2   training           A     none
    3   training           B     none
    >>> mandates.loc[1, "institution"] = "C"
    >>> mandate_map(mandates, institutions, functions)
    Traceback (most recent call last):
    ...
    ValueError: mandates: column 'institution': row 1 holds 'C', which is not a declared institution; the declared institutions are: 'A', 'B'
    """  # noqa: E501
    known_institutions, known_functions, table = _tables(mandates, institutions, functions)
    rows = []
    for function in known_functions:
        for institution in known_institutions:
            held = table[(table["function"] == function) & (table["institution"] == institution)]
            if held.empty:
                role = NONE
            else:
                role = "lead" if (held["role"] == "lead").any() else "support"
            acts = list(dict.fromkeys(a for a in held["legal_basis"] if a))
            rows.append((function, institution, role, "; ".join(acts)))
    return pd.DataFrame(rows, columns=["function", "institution", "role", "legal_basis"])


def mandate_findings(
    mandates: pd.DataFrame, institutions: pd.DataFrame, functions: pd.DataFrame
) -> pd.DataFrame:
    """Overlaps, gaps and inconsistencies in a mandate map.

    - **overlap**: two or more institutions lead the same function;
    - **gap**: no institution is mandated for a declared function;
    - **inconsistency**, of four kinds (column ``issue``):

      - ``"no lead"``: institutions support a function that nobody leads;
      - ``"no legal basis"``: a mandate without a known legal act;
      - ``"listed twice"``: the same institution and function appear in more than one
        row (two acts may say different things: check which prevails);
      - ``"no function"``: a declared institution holds no function.

    Overlaps, gaps and inconsistencies are the findings that the IOM assessment of
    migration governance in Tajikistan asks a legal and mandate review to identify.

    Parameters
    ----------
    mandates, institutions, functions : pandas.DataFrame
        As for :func:`mandate_map`.

    Returns
    -------
    pandas.DataFrame
        One row per finding, overlaps first, then gaps, then inconsistencies, each in
        the order the functions (or institutions) are declared: ``finding``
        (``"overlap"``, ``"gap"`` or ``"inconsistency"``), ``issue`` (the kind, as
        above), ``function`` (blank for ``"no function"``), ``institutions`` (joined by
        ``"; "``) and ``detail`` (a sentence). No rows when nothing is found.

    Raises
    ------
    KeyError, ValueError
        As for :func:`mandate_map`.

    Examples
    --------
    >>> institutions = pd.DataFrame({"institution": ["A", "B", "C"]})
    >>> functions = pd.DataFrame({"function": ["placement", "training"]})
    >>> mandates = pd.DataFrame({"institution": ["A", "B"], "function": ["placement"] * 2,
    ...                          "role": ["lead", "lead"], "legal_basis": ["Law 1", "Decree 2"]})
    >>> mandate_findings(mandates, institutions, functions)[["finding", "issue", "function",
    ...                                                        "institutions"]]
             finding        issue   function institutions
    0        overlap      overlap  placement         A; B
    1            gap          gap   training
    2  inconsistency  no function                       C
    """
    known_institutions, known_functions, table = _tables(mandates, institutions, functions)
    overlaps, gaps, inconsistencies = [], [], []
    for function in known_functions:
        held = table[table["function"] == function]
        leads = list(dict.fromkeys(held.loc[held["role"] == "lead", "institution"]))
        if len(leads) > 1:
            acts = [
                f"{i} ({', '.join(a for a in held.loc[held['institution'] == i, 'legal_basis'] if a) or 'no legal basis'})"  # noqa: E501
                for i in leads
            ]
            overlaps.append(
                (
                    "overlap",
                    "overlap",
                    function,
                    "; ".join(leads),
                    f"{len(leads)} institutions lead '{function}': {', '.join(acts)}",
                )
            )
        if held.empty:
            gaps.append(
                ("gap", "gap", function, "", f"no institution is mandated for '{function}'")
            )
        elif not leads:
            supporters = list(dict.fromkeys(held["institution"]))
            inconsistencies.append(
                (
                    "inconsistency",
                    "no lead",
                    function,
                    "; ".join(supporters),
                    f"'{function}' has supporting institutions but no lead",
                )
            )
        for institution in dict.fromkeys(held["institution"]):
            rows = held[held["institution"] == institution]
            if len(rows) > 1:
                inconsistencies.append(
                    (
                        "inconsistency",
                        "listed twice",
                        function,
                        institution,
                        f"{institution} is given '{function}' in {len(rows)} rows ("
                        + ", ".join(
                            f"{r} by {a or 'no legal basis'}"
                            for r, a in zip(rows["role"], rows["legal_basis"], strict=True)
                        )
                        + "): check which act prevails",
                    )
                )
            if not any(rows["legal_basis"]):
                inconsistencies.append(
                    (
                        "inconsistency",
                        "no legal basis",
                        function,
                        institution,
                        f"{institution} holds '{function}' with no known legal basis",
                    )
                )
    for institution in known_institutions:
        if not (table["institution"] == institution).any():
            inconsistencies.append(
                (
                    "inconsistency",
                    "no function",
                    "",
                    institution,
                    f"{institution} holds none of the declared functions: check its statute",
                )
            )
    return pd.DataFrame(overlaps + gaps + inconsistencies, columns=list(FINDING_COLUMNS))


def plot_mandate_map(
    mandates: pd.DataFrame,
    institutions: pd.DataFrame,
    functions: pd.DataFrame,
    *,
    ax=None,
):
    """Draw the mandate map as a grid: functions in rows, institutions in columns.

    Each cell holds a letter, ``L`` for lead or ``S`` for support (the title says so),
    so that the chart reads without colour; a function with two leads is marked
    ``OVERLAP`` and one that nobody holds ``GAP``, at the end of its row. The new figure
    is drawn for the book's column: 4.3 inches wide, no text under 10 points, so that its
    labels are 9 CSS pixels or more on a 360 pixel phone.

    Parameters
    ----------
    mandates, institutions, functions : pandas.DataFrame
        As for :func:`mandate_map`.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure when not given.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> institutions = pd.DataFrame({"institution": ["A", "B"]})
    >>> functions = pd.DataFrame({"function": ["placement", "training"]})
    >>> mandates = pd.DataFrame({"institution": ["A", "B"], "function": ["placement"] * 2,
    ...                          "role": ["lead", "lead"], "legal_basis": ["Law 1", "Law 2"]})
    >>> ax = plot_mandate_map(mandates, institutions, functions)
    >>> sorted(t.get_text() for t in ax.texts)
    ['GAP', 'L', 'L', 'OVERLAP']
    >>> import matplotlib.pyplot as plt; plt.close(ax.figure)
    """
    import matplotlib.pyplot as plt
    import numpy as np

    grid = mandate_map(mandates, institutions, functions)
    findings = mandate_findings(mandates, institutions, functions)
    known_functions = list(dict.fromkeys(grid["function"]))
    known_institutions = list(dict.fromkeys(grid["institution"]))
    shade = {"lead": 2, "support": 1, NONE: 0}
    values = np.array(
        [[shade[r] for r in grid.loc[grid["function"] == f, "role"]] for f in known_functions]
    )
    if ax is None:
        height = 1.6 + 0.45 * len(known_functions)
        _, ax = plt.subplots(figsize=(4.3, height), layout="constrained")
    ax.imshow(values, cmap="Blues", vmin=0, vmax=3, aspect="auto")
    for i, f in enumerate(known_functions):
        roles = grid.loc[grid["function"] == f, "role"].tolist()
        for j, role in enumerate(roles):
            if role != NONE:
                ax.text(j, i, LETTERS[role], ha="center", va="center", fontsize=10)
        issues = set(findings.loc[findings["function"] == f, "finding"])
        mark = " ".join(w for w in ("overlap", "gap") if w in issues).upper()
        if mark:
            ax.text(
                len(known_institutions) - 0.4, i, mark, ha="left", va="center",
                fontsize=10, fontweight="bold",
            )  # fmt: skip
    ax.set_xticks(range(len(known_institutions)), known_institutions, rotation=45, ha="right")
    ax.set_yticks(range(len(known_functions)), known_functions)
    ax.set_xlabel("Institution")
    ax.set_ylabel("Function")
    ax.set_title("Mandate map: L leads, S supports", fontsize=10)
    return ax
