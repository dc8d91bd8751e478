"""Financing social protection: budget review, adequacy and costing a floor.

Four parts, one private file each:

- reading a budget: :func:`validate_budget`, :func:`execution_rates`,
  :func:`spending_composition`, :func:`composition_variance` with
  :func:`pefa_composition_score` (PEFA 2016, PI-2), :func:`pefa_execution_score` and
  :func:`pefa_execution_band` (PEFA 2016, PI-1, the aggregate execution rate),
  :func:`budget_review` (percent of GDP and of government expenditure, administrative
  cost ratio);
- a SYNTHETIC budget to practise on: :func:`synthetic_budget`;
- bringing your own budget: :func:`budget_template` and :func:`read_budget`;
- adequacy: :func:`benefit_adequacy`, :func:`international_poverty_line`,
  :func:`real_value`, and the minimum rates of ILO Convention No. 102:
  :func:`c102_minimum_rates` and :func:`c102_gap`;
- costing a floor in the style of the ILO Rapid Assessment Protocol (RAP):
  :func:`population_by_age` (WPP 2024, 1 July), :func:`macro_projection` (the GDP path,
  an explicit assumption), :func:`cost_floor`, :func:`floor_totals`,
  :func:`compare_scenarios` and :func:`cost_sensitivity`.

Reference values printed by the library are only those checked against their source,
and they are data, not code: ``reference_tables.yaml`` in this package holds each row
with its source (:func:`reference_table_sources`).

- PEFA PI-2 bands (:data:`PEFA_PI2_BANDS`): the PEFA Secretariat's scoring table for
  dimension 2.1 (https://www.pefa.org/node/4627).
- PEFA PI-1 bands (:data:`PEFA_PI1_BANDS`): quoted from a SECONDARY source, the National
  Statistics Office of Malta's page on SDG indicator 16.6.1
  (https://nsomalta.github.io/sdgsite/16-6-1), which restates the PEFA 2016 criterion of
  PI-1 (https://www.pefa.org/node/4762); check the PEFA Framework's own table before you
  publish a score.
- ILO Convention No. 102 (1952), Schedule to Part XI, with Articles 65 to 67
  (:func:`c102_minimum_rates`): from the English text of the Convention in the Dutch
  treaty database (BWBV0004942).
"""

from socialprotection.finance._adequacy import (
    benefit_adequacy,
    international_poverty_line,
    real_value,
)
from socialprotection.finance._budget import (
    BUDGET_COLUMNS,
    budget_review,
    composition_variance,
    execution_rates,
    pefa_composition_score,
    spending_composition,
    validate_budget,
)
from socialprotection.finance._costing import (
    BENEFIT_COLUMNS,
    SENSITIVITY_PARAMETERS,
    births_in,
    compare_scenarios,
    cost_floor,
    cost_sensitivity,
    floor_totals,
    macro_projection,
    population_by_age,
    validate_benefits,
)
from socialprotection.finance._country import (
    CURRENCIES,
    average_growth,
    base_year_macro,
    check_currency,
)
from socialprotection.finance._reference import (
    PEFA_PI1_BANDS,
    PEFA_PI2_BANDS,
    c102_gap,
    c102_minimum_rates,
    pefa_execution_band,
    pefa_execution_score,
    reference_table_sources,
)
from socialprotection.finance._synthetic import SYNTHETIC_PROGRAMMES, synthetic_budget
from socialprotection.finance._template import TEMPLATE_COLUMNS, budget_template, read_budget

__all__ = [
    "BENEFIT_COLUMNS",
    "BUDGET_COLUMNS",
    "CURRENCIES",
    "PEFA_PI1_BANDS",
    "PEFA_PI2_BANDS",
    "SENSITIVITY_PARAMETERS",
    "SYNTHETIC_PROGRAMMES",
    "TEMPLATE_COLUMNS",
    "average_growth",
    "base_year_macro",
    "benefit_adequacy",
    "births_in",
    "budget_review",
    "budget_template",
    "c102_gap",
    "c102_minimum_rates",
    "check_currency",
    "compare_scenarios",
    "composition_variance",
    "cost_floor",
    "cost_sensitivity",
    "execution_rates",
    "floor_totals",
    "international_poverty_line",
    "macro_projection",
    "pefa_composition_score",
    "pefa_execution_band",
    "pefa_execution_score",
    "population_by_age",
    "read_budget",
    "real_value",
    "reference_table_sources",
    "spending_composition",
    "synthetic_budget",
    "validate_benefits",
    "validate_budget",
]
