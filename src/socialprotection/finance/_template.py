"""Bring your own budget: a template that a trainer fills, and a reader that checks it."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from socialprotection.finance._budget import validate_budget
from socialprotection.finance._country import CURRENCIES, country_code

#: The columns of the budget template, in order, with what each holds.
TEMPLATE_COLUMNS = {
    "programme": "name of the programme, as in the budget law",
    "function": "its function: for example old age, disability, family and children, "
    "social assistance, labour market, administration",
    "year": "fiscal year",
    "approved": "original approved budget, in local currency (not the revised budget)",
    "executed": "executed amount (outturn) in local currency; empty if not yet known",
    "admin_cost": "administrative cost of the programme in local currency; empty if unknown",
    "currency": "ISO 4217 code of the currency, for example TJS or LAK",
}


def budget_template(country: str = "TJK") -> pd.DataFrame:
    """Return a budget template, with two SYNTHETIC example rows to overwrite.

    Write it to a file with ``budget_template("LAO").to_csv("budget.csv", index=False)``,
    fill one row per programme and year, and read it back with :func:`read_budget`.

    Examples
    --------
    >>> list(budget_template("LAO").columns) == list(TEMPLATE_COLUMNS)
    True
    >>> budget_template("LAO")["currency"].unique().tolist()
    ['LAK']
    """
    code = country_code(country)
    rows = [
        ("EXAMPLE (synthetic): social pension", "old age", 2023, 1000.0, 950.0, 30.0),
        ("EXAMPLE (synthetic): child benefit", "family and children", 2023, 400.0, 300.0, 20.0),
    ]
    frame = pd.DataFrame(rows, columns=list(TEMPLATE_COLUMNS)[:-1])
    frame["currency"] = CURRENCIES[code]
    return frame


def read_budget(source: str | Path | pd.DataFrame, country: str) -> pd.DataFrame:
    """Read a filled budget template (a CSV file or a table) and check it.

    Every column of :data:`TEMPLATE_COLUMNS` must be present. The checks of
    :func:`validate_budget` apply, with the currency checked against ``country``; the
    error names the column, the row and the value. Rows still marked "EXAMPLE" are
    refused, so that the synthetic examples never reach a report.

    Examples
    --------
    >>> read_budget(budget_template("TJK"), "TJK")
    Traceback (most recent call last):
    ...
    ValueError: budget: row 0 is still an EXAMPLE row of the template (...); replace it ...
    >>> filled = budget_template("TJK").assign(programme=["Pension", "Child benefit"])
    >>> read_budget(filled, "LAO")
    Traceback (most recent call last):
    ...
    ValueError: budget: column 'currency', row 0: 'TJS' is not the currency of LAO; ...
    """
    if isinstance(source, pd.DataFrame):
        frame = source.copy()
    else:
        frame = pd.read_csv(source, dtype={"programme": str, "function": str, "currency": str})
    missing = [c for c in TEMPLATE_COLUMNS if c not in frame.columns]
    if missing:
        raise KeyError(
            "budget: missing column(s) "
            + ", ".join(repr(c) for c in missing)
            + "; the template's columns are: "
            + ", ".join(TEMPLATE_COLUMNS)
        )
    example = frame["programme"].astype(str).str.startswith("EXAMPLE")
    if example.any():
        row = example[example].index[0]
        raise ValueError(
            f"budget: row {row} is still an EXAMPLE row of the template "
            f"({frame.loc[row, 'programme']!r}); replace it with your data or delete it"
        )
    return validate_budget(frame, country=country)
