"""From lists to people: persons covered by any programme, against the sum of the lists.

The SDG 1.3.1 headline counts **persons** receiving at least one benefit. Adding up the
beneficiary lists of several programmes counts a person once per list, and once more per
duplicate record within a list; linking the lists first (:func:`deduplicate` on the
stacked lists) counts each person once.
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd

from socialprotection._validation import require_columns
from socialprotection.registry._linkage import deduplicate
from socialprotection.registry._records import PERSON_COLUMNS, refuse_empty, text_column

__all__ = ["persons_covered"]


def persons_covered(
    beneficiaries: pd.DataFrame,
    *,
    programme: str = "programme_identifier",
    threshold: float = 0.9,
    population: float | None = None,
    db_api=None,
) -> pd.DataFrame:
    """Count the persons covered by each programme and by any, after linking the lists.

    Parameters
    ----------
    beneficiaries : pandas.DataFrame
        The stacked beneficiary lists: the person columns of :func:`deduplicate`
        (``identifier`` unique across the lists) and a column naming the programme.
    programme : str, default "programme_identifier"
        The column that names each record's programme.
    threshold : float, default 0.9
        The match probability at or above which two records are one person.
    population : float, optional
        The population the lists are drawn from; given, ``share_of_population`` is
        persons / population (the SDG 1.3.1 headline when the lists hold every
        benefit).
    db_api : splink database API, optional
        ``DuckDBAPI()`` by default.

    Returns
    -------
    pandas.DataFrame
        One row per programme, then ``sum of the lists`` (records and the sum of the
        programmes' persons), ``any programme`` (distinct persons after linkage) and
        ``two or more programmes``: ``records`` and ``persons`` (and
        ``share_of_population``).

    Examples
    --------
    >>> lists = pd.DataFrame({
    ...     "identifier": ["SA1", "SP1", "SP2"],
    ...     "programme_identifier": ["assistance", "pension", "pension"],
    ...     "given_name": ["Зарина", "Зарина", "Ниссо"],
    ...     "family_name": ["Раҳимова", "Рахимова", "Саидова"],
    ...     "birth_date": ["1950-04-01", "1950-04-01", "1949-12-12"],
    ...     "sex": ["female", "female", "female"],
    ... })
    >>> persons_covered(lists)
                    programme  records  persons
    0              assistance        1        1
    1                 pension        2        2
    2       sum of the lists        3        3
    3           any programme        3        2
    4  two or more programmes        2        1
    """
    if not isinstance(beneficiaries, pd.DataFrame):
        raise TypeError(
            f"beneficiaries must be a pandas DataFrame; got {type(beneficiaries).__name__}"
        )
    require_columns(beneficiaries, [*PERSON_COLUMNS, programme], what="persons_covered")
    refuse_empty(beneficiaries, "persons_covered", [*PERSON_COLUMNS, programme])
    names = text_column(beneficiaries, programme, "persons_covered")
    missing = names.isna().to_numpy()
    if missing.any():
        row = beneficiaries.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(
            f"persons_covered: column '{programme}' has {int(missing.sum())} missing "
            f"value(s), the first in row {row}; expected the programme of every record"
        )
    if population is not None and (
        isinstance(population, bool)
        or not isinstance(population, numbers.Real)
        or not np.isfinite(population)
        or population <= 0
    ):
        raise ValueError(f"population must be a positive number; got {population!r}")
    clusters = deduplicate(beneficiaries, threshold=threshold, db_api=db_api)
    cells = pd.DataFrame(
        {"programme": names.to_numpy(), "person": clusters["cluster_id"].to_numpy()}
    )
    per = cells.groupby("programme", sort=True).agg(
        records=("person", "size"), persons=("person", "nunique")
    )
    programmes_of = cells.groupby("person")["programme"].nunique()
    several = programmes_of[programmes_of >= 2].index
    rows = [
        *((name, int(r), int(p)) for name, r, p in per.itertuples()),
        ("sum of the lists", len(cells), int(per["persons"].sum())),
        ("any programme", len(cells), int(cells["person"].nunique())),
        (
            "two or more programmes",
            int(cells["person"].isin(several).sum()),
            len(several),
        ),
    ]
    out = pd.DataFrame(rows, columns=["programme", "records", "persons"])
    if population is not None:
        out["share_of_population"] = out["persons"] / float(population)
    return out
