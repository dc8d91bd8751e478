"""Data minimisation: keep only the fields that a purpose needs."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import yaml

from socialprotection._validation import require_columns

#: Each purpose, what it is for, and the fields it needs (from ``purposes.yaml``).
PURPOSES: dict[str, dict] = yaml.safe_load(
    (Path(__file__).parent / "purposes.yaml").read_text(encoding="utf-8")
)


def minimise(frame: pd.DataFrame, purpose: str) -> pd.DataFrame:
    """Keep only the columns that ``purpose`` needs (see :data:`PURPOSES`), in that order.

    Parameters
    ----------
    frame : pandas.DataFrame
        Registry records.
    purpose : str
        A key of :data:`PURPOSES`, such as ``"payment"`` or ``"statistics"``.

    Returns
    -------
    pandas.DataFrame
        A copy with the purpose's columns only; ``attrs["purpose"]`` names the purpose and
        ``attrs["dropped"]`` lists the columns left out.

    Raises
    ------
    ValueError
        The purpose is unknown (the message lists the known ones).
    KeyError
        The frame lacks a column that the purpose needs.

    Examples
    --------
    >>> frame = pd.DataFrame({"identifier": ["S1"], "given_name": ["Ниссо"],
    ...     "family_name": ["Саидова"], "national_id": ["1234567897"], "poverty_score": [12.0]})
    >>> list(minimise(frame, "payment").columns)
    ['identifier', 'given_name', 'family_name', 'national_id']
    """
    if purpose not in PURPOSES:
        raise ValueError(
            f"minimise: unknown purpose {purpose!r}; expected one of {sorted(PURPOSES)}"
        )
    fields = list(PURPOSES[purpose]["fields"])
    require_columns(frame, fields, what=f"minimise for {purpose!r}", one_row_per="record")
    out = frame[fields].copy()
    out.attrs["purpose"] = purpose
    out.attrs["dropped"] = [c for c in frame.columns if c not in fields]
    return out
