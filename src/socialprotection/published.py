"""Published SDG indicator 1.3.1 figures, in a tidy shape.

The ILO is the custodian of SDG indicator 1.3.1, "proportion of population covered
by social protection floors/systems".
Its headline series (UN code SI_COV_BENFTS) is the share of the total population
receiving at least one cash social protection benefit or actively contributing to
a social insurance scheme.
The bundled file holds the published values for every country with data and for
the UN and UN SDG regional aggregates, 2015 to 2023.
"""

from __future__ import annotations

import difflib

import pandas as pd

from socialprotection.datasets import load

__all__ = ["SDG_REGION", "WORLD", "headline_coverage"]

WORLD = "World"

#: UN SDG regional grouping (UN M49) of the book's ten countries, as named in the headline data.
SDG_REGION = {
    "TJK": "Central and Southern Asia (UN SDG)",
    "KGZ": "Central and Southern Asia (UN SDG)",
    "KAZ": "Central and Southern Asia (UN SDG)",
    "UZB": "Central and Southern Asia (UN SDG)",
    "LAO": "Eastern and South-Eastern Asia (UN SDG)",
    "KHM": "Eastern and South-Eastern Asia (UN SDG)",
    "VNM": "Eastern and South-Eastern Asia (UN SDG)",
    "THA": "Eastern and South-Eastern Asia (UN SDG)",
    "MMR": "Eastern and South-Eastern Asia (UN SDG)",
    "CHN": "Eastern and South-Eastern Asia (UN SDG)",
}


def headline_coverage(entities: list[str] | None = None) -> pd.DataFrame:
    """Return the published SDG 1.3.1 headline (SI_COV_BENFTS, both sexes) in long form.

    Parameters
    ----------
    entities : list of str, optional
        Country ISO3 codes (``"TJK"``) or region names (``"World"``,
        ``"Central and Southern Asia (UN SDG)"``).
        All countries and regions when omitted.

    Returns
    -------
    pandas.DataFrame
        Columns ``entity`` (name as published), ``code`` (ISO3 for countries, a
        region code or missing for groups), ``year`` and ``coverage_pct``
        (percent of the total population), sorted by entity and year.
        Countries appear only in the years for which they reported data.

    Raises
    ------
    ValueError
        If an entity is neither a code nor a name in the data.

    Examples
    --------
    >>> tjk = headline_coverage(["TJK"])
    >>> tjk["year"].tolist(), tjk["coverage_pct"].tolist()
    ([2019, 2021], [26.62, 29.78])
    """
    data = load("sdg131_headline_all_countries")
    data.columns = ["entity", "code", "year", "coverage_pct"]
    if entities is not None:
        known = set(data["entity"]) | set(data["code"].dropna())
        unknown = [e for e in entities if e not in known]
        if unknown:
            hints = {e: difflib.get_close_matches(e, sorted(known), n=3) for e in unknown}
            raise ValueError(
                "not in the SDG 1.3.1 headline data: "
                + "; ".join(f"'{e}' (close: {', '.join(h) or 'none'})" for e, h in hints.items())
            )
        data = data[data["entity"].isin(entities) | data["code"].isin(entities)]
    return data.sort_values(["entity", "year"]).reset_index(drop=True)
