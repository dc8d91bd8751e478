"""A SYNTHETIC social protection budget, for the lessons and exercises (seeded)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from socialprotection.finance._country import CURRENCIES, country_code

#: The programmes of the synthetic budget: (programme, function, illustrative weight).
SYNTHETIC_PROGRAMMES = (
    ("Old-age pensions", "old age", 0.52),
    ("Disability pensions", "disability", 0.12),
    ("Survivors' pensions", "survivors", 0.07),
    ("Targeted social assistance", "social assistance", 0.10),
    ("Child and family benefits", "family and children", 0.06),
    ("Maternity benefits", "family and children", 0.04),
    ("Employment programmes", "labour market", 0.04),
    ("Social services", "social assistance", 0.05),
)


def synthetic_budget(
    country: str = "TJK",
    years=(2021, 2022, 2023),
    *,
    total_approved: float = 1_000.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Return a SYNTHETIC budget table: eight programmes, approved and executed amounts.

    Made up with a seeded random generator, to practise the budget-review indicators: the
    weights of the programmes (:data:`SYNTHETIC_PROGRAMMES`), the execution rates (drawn
    around 95 percent, with one programme, social assistance, spending much less in one
    year) and the administrative costs (2 to 6 percent of the executed amount) are
    ILLUSTRATIVE, not facts about any country. Amounts are in millions of the country's
    currency; the approved total grows by 8 percent a year.

    Examples
    --------
    >>> table = synthetic_budget("TJK", seed=1)
    >>> table.shape, table["currency"].unique().tolist(), table.attrs["synthetic"]
    ((24, 7), ['TJS'], True)
    """
    code = country_code(country)
    years = [int(y) for y in years]
    rng = np.random.default_rng(seed)
    rows = []
    weak_year = years[len(years) // 2]
    for k, year in enumerate(years):
        total = total_approved * 1.08**k
        for programme, function, weight in SYNTHETIC_PROGRAMMES:
            approved = total * weight * rng.uniform(0.9, 1.1)
            rate = rng.normal(0.95, 0.04)
            if programme == "Targeted social assistance" and year == weak_year:
                rate = rng.uniform(0.55, 0.7)
            executed = approved * min(rate, 1.15)
            admin = executed * rng.uniform(0.02, 0.06)
            rows.append(
                (programme, function, year, round(approved, 1), round(executed, 1), round(admin, 1))
            )
    frame = pd.DataFrame(
        rows, columns=["programme", "function", "year", "approved", "executed", "admin_cost"]
    )
    frame["currency"] = CURRENCIES[code]
    frame.attrs["synthetic"] = True
    frame.attrs["unit"] = f"millions of {CURRENCIES[code]} (SYNTHETIC)"
    return frame
