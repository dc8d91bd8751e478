"""Parameters of the synthetic survey.

Checks of the keyword arguments of :func:`household_survey` and the parameters they give.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Mapping

from socialprotection.synthetic._surveys._calibration import (
    _SERIES,
    ILLUSTRATIVE,
    MAX_HOUSEHOLDS,
    MIN_HOUSEHOLDS,
    SEXES,
)

# ---------------------------------------------------------------------- parameters


def _share(name: str, value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
        raise ValueError(f"{name} must be a share between 0 and 1; got {value!r}")
    return float(value)


def _by_sex(name: str, value: object) -> dict[str, float]:
    if isinstance(value, Mapping):
        if set(value) != set(SEXES):
            raise ValueError(
                f"{name} must give a share for 'female' and 'male'; got keys {sorted(value)}"
            )
        return {s: _share(f"{name}[{s!r}]", value[s]) for s in SEXES}
    return dict.fromkeys(SEXES, _share(name, value))


def _number(name: str, value: object, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or not low <= value <= high:
        raise ValueError(f"{name} must be a number from {low:g} to {high:g}; got {value!r}")
    return float(value)


def _check_size(n_households: object, seed: object) -> tuple[int, int]:
    if isinstance(n_households, bool) or not isinstance(n_households, numbers.Integral):
        raise TypeError(f"n_households must be an integer; got {n_households!r}")
    if not MIN_HOUSEHOLDS <= n_households <= MAX_HOUSEHOLDS:
        raise ValueError(
            f"n_households must be between {MIN_HOUSEHOLDS:,} and {MAX_HOUSEHOLDS:,}; "
            f"got {n_households:,}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    return int(n_households), int(seed)


def _parameters(country: str, inputs: dict, given: dict) -> dict:
    """Merge the keyword arguments with the published values and illustrative defaults."""
    defaults = ILLUSTRATIVE[country]

    def pick(name: str) -> object:
        return defaults[name] if given.get(name) is None else given[name]

    targets = {s: (None if v is None else v[0]) for s, v in inputs["coverage"].items()}
    if targets["SI_COV_CHLD"] is None:
        targets["SI_COV_CHLD"] = defaults["child_benefit_coverage"]
    overridden = dict(given.get("coverage") or {})
    for series, value in overridden.items():
        if series not in _SERIES:
            raise ValueError(
                f"coverage: unknown series {series!r}; expected one of {', '.join(_SERIES)}"
            )
        targets[series] = _share(f"coverage[{series!r}]", value)

    def wdi_share(name: str, key: str) -> dict[str, float]:
        value = given.get(name)
        if value is None:
            value = {s: v / 100 for s, (v, _) in inputs[key].items()}
        return _by_sex(name, value)

    mean_c = given.get("mean_consumption_pc")
    if mean_c is None:
        mean_c = defaults["consumption_share_of_gdp"] * inputs["gdp_pc_lcu"]
    return {
        "targets": targets,
        "overridden": sorted(overridden),
        "labour_force_participation": wdi_share("labour_force_participation", "lfp"),
        "unemployment_rate": wdi_share("unemployment_rate", "unemployment"),
        "contributor_share": _share("contributor_share", pick("contributor_share")),
        "severe_disability_prevalence": _share(
            "severe_disability_prevalence", pick("severe_disability_prevalence")
        ),
        "social_pension_share": _share("social_pension_share", pick("social_pension_share")),
        "mean_household_size": _number("mean_household_size", pick("mean_household_size"), 2, 15),
        "urban_share": _share("urban_share", pick("urban_share")),
        "mean_consumption_pc": _number("mean_consumption_pc", mean_c, 1e-9, math.inf),
        "targeting_noise": _number("targeting_noise", pick("targeting_noise"), 0, math.inf),
        "urban_premium": float(defaults["urban_premium"]),
    }
