"""Drawing programmes of the synthetic survey.

Who receives each programme, and the benefit amounts.
"""

from __future__ import annotations

import numpy as np

from socialprotection.synthetic._surveys._calibration import (
    BENEFIT_LEVELS,
    CHILD_MAX_AGE,
    PROGRAMMES,
)
from socialprotection.synthetic._surveys._households import _Draw, _select_share, _take


def _draw_programmes(draw: _Draw, par: dict) -> None:
    """Recipients of the six programmes, by exact-share assignment on the targets."""
    rng, age, weight, hh, targets = draw.rng, draw.age, draw.weight, draw.hh, par["targets"]
    recipient = draw.recipient
    recipient["disability_benefit"] = _select_share(
        rng, draw.severe, weight, targets["SI_COV_DISAB"]
    )
    recipient["unemployment_benefit"] = _select_share(
        rng, draw.unemployed, weight, targets["SI_COV_UEMP"]
    )
    # Pensions: persons at or above pensionable age; part of them get the social pension.
    pensioner = _select_share(rng, age >= draw.pension_age, weight, targets["SI_COV_PENSN"])
    social_target = par["social_pension_share"] * float(weight.sum(where=pensioner))
    eligible = np.flatnonzero(pensioner & (age >= draw.social_age))
    social = np.zeros(draw.N, dtype=bool)
    social[_take(rng.random(eligible.size), eligible, weight, social_target)] = True
    recipient["social_pension"] = social
    recipient["old_age_pension"] = pensioner & ~social
    # Child benefit: households with children aged 0-15; paid for each of their children.
    child = age <= CHILD_MAX_AGE
    children_h = np.bincount(hh, weights=child, minlength=draw.H)
    chosen_h = _select_share(
        rng, children_h > 0, draw.weight_h * children_h, targets["SI_COV_CHLD"]
    )
    recipient["child_benefit"] = chosen_h[hh] & child
    # Social assistance: households ranked on noisy pre-transfer consumption, poorest
    # first, until recipients (all members) reach the target share of the vulnerable.
    draw.vulnerable = ~(
        draw.contributor | recipient["old_age_pension"] | recipient["unemployment_benefit"]
    )
    target = targets["SI_COV_VULN"] * float(weight.sum(where=draw.vulnerable))
    key = np.log(draw.pre_h) + par["targeting_noise"] * rng.standard_normal(draw.H)
    assisted_h = np.zeros(draw.H, dtype=bool)
    assisted_h[_take(key, np.arange(draw.H), draw.weight_h * draw.sizes, target)] = True
    recipient["social_assistance"] = assisted_h[hh]


def _draw_amounts(draw: _Draw, par: dict) -> None:
    """Annual amounts (illustrative, local currency) and post-transfer consumption."""
    transfers = np.zeros(draw.N)
    for programme in PROGRAMMES:
        values = np.zeros(draw.N, dtype=np.float32)
        level = BENEFIT_LEVELS[programme] * par["mean_consumption_pc"]
        mask = draw.recipient[programme]
        if programme == "old_age_pension":  # earnings-related: varies between recipients
            values[mask] = level * np.exp(0.3 * draw.rng.standard_normal(int(mask.sum())) - 0.045)
        elif programme == "social_assistance":  # per household, split among its members
            values[mask] = level / draw.sizes[draw.hh[mask]]
        else:
            values[mask] = level
        draw.amount[programme] = values
        transfers += values
    transfers_h = np.bincount(draw.hh, weights=transfers, minlength=draw.H)
    draw.consumption_pc = (draw.pre_h + transfers_h / draw.sizes)[draw.hh]
