"""Financing social protection: budget review, adequacy and costing a floor.

Four parts, one private file each:

- reading a budget: :func:`validate_budget`, :func:`execution_rates`,
  :func:`spending_composition`, :func:`composition_variance` with
  :func:`pefa_composition_score` (PEFA 2016, PI-2), :func:`budget_review` (percent of
  GDP and of government expenditure, administrative cost ratio);
- a SYNTHETIC budget to practise on: :func:`synthetic_budget`;
- bringing your own budget: :func:`budget_template` and :func:`read_budget`;
- adequacy: :func:`benefit_adequacy`, :func:`international_poverty_line` and
  :func:`real_value`;
- costing a floor in the style of the ILO Rapid Assessment Protocol (RAP):
  :func:`population_by_age` (WPP 2024, 1 July), :func:`macro_projection` (the GDP path,
  an explicit assumption), :func:`cost_floor`, :func:`floor_totals`,
  :func:`compare_scenarios` and :func:`cost_sensitivity`.

Reference values printed by the library are only those checked against their source:
the PEFA PI-2 bands (:data:`PEFA_PI2_BANDS`). The PEFA PI-1 bands and the minimum rates of
ILO Convention No. 102 are not included, because their text could not be checked.
"""

from socialprotection.finance._adequacy import (
    benefit_adequacy,
    international_poverty_line,
    real_value,
)
from socialprotection.finance._budget import (
    BUDGET_COLUMNS,
    PEFA_PI2_BANDS,
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
from socialprotection.finance._synthetic import SYNTHETIC_PROGRAMMES, synthetic_budget
from socialprotection.finance._template import TEMPLATE_COLUMNS, budget_template, read_budget

__all__ = [
    "BENEFIT_COLUMNS",
    "BUDGET_COLUMNS",
    "CURRENCIES",
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
    "population_by_age",
    "read_budget",
    "real_value",
    "spending_composition",
    "synthetic_budget",
    "validate_benefits",
    "validate_budget",
]
