"""Social protection for migrant workers and their families.

Three parts, one private file each:

- who migrates and what the families receive: :func:`emigrant_stock`,
  :func:`emigrant_share`, :func:`origin_population`, :func:`remittances_share_of_gdp`
  and :func:`remittance_cost` (SDG 10.c.1 against the target of 3 %), on bundled data;
- what a career split between countries yields under each coordination rule:
  :func:`pension_entitlements` (no agreement, totalisation with pro-rata
  apportionment, residence principle);
- what a fall in remittances does to poor households: :func:`add_remittances` (on the
  SYNTHETIC survey, illustrative parameters) and :func:`remittance_shock`.

Sources: UN DESA, International Migrant Stock 2019; World Bank, World Development
Indicators; UN Global SDG Indicators Database (SI_RMT_COST); ILO Conventions No. 102,
118 and 157 and Recommendation No. 167 for the coordination principles; the book's
reference on migrant workers for the coordination rules written as a calculation.
"""

from socialprotection.migration._pensions import REGIMES, pension_entitlements
from socialprotection.migration._shock import (
    REMITTANCE_PARAMETERS,
    add_remittances,
    remittance_shock,
)
from socialprotection.migration._stock import (
    SDG_10C_TARGET_PCT,
    emigrant_share,
    emigrant_stock,
    origin_population,
    remittance_cost,
    remittances_share_of_gdp,
)

__all__ = [
    "REGIMES",
    "REMITTANCE_PARAMETERS",
    "SDG_10C_TARGET_PCT",
    "add_remittances",
    "emigrant_share",
    "emigrant_stock",
    "origin_population",
    "pension_entitlements",
    "remittance_cost",
    "remittance_shock",
    "remittances_share_of_gdp",
]
