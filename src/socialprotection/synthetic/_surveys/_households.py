"""Drawing households of the synthetic survey.

Systematic sampling, household members, consumption and statuses.
"""

from __future__ import annotations

import math
from statistics import NormalDist

import numpy as np

from socialprotection.synthetic._surveys._calibration import (
    ILLUSTRATIVE,
    MAX_AGE,
    MAX_HOUSEHOLD_SIZE,
    REGIONS,
    SEXES,
    WORKING_AGE_MIN,
)

# ------------------------------------------------------------------------- sampling


def _systematic(rng: np.random.Generator, probs: np.ndarray, n: int) -> np.ndarray:
    """Draw ``n`` cell codes whose counts match ``n * probs`` to within one, in random order.

    Systematic sampling: cell k gets floor(n F_k + u) - floor(n F_{k-1} + u) draws, with F
    the cumulative shares and u one uniform random number.
    """
    cdf = np.cumsum(probs / probs.sum())
    cdf[-1] = 1.0
    bounds = np.floor(n * cdf + rng.random()).astype(np.int64)
    bounds[-1] = n
    counts = np.diff(bounds, prepend=0)
    cells = np.repeat(np.arange(len(probs), dtype=np.int16), counts)
    rng.shuffle(cells)
    return cells


def _take(
    keys: np.ndarray, candidates: np.ndarray, unit_weight: np.ndarray, target: float
) -> np.ndarray:
    """Candidates with the smallest keys, in key order, whose weight sum is closest to ``target``.

    Only the smallest keys are sorted (a partial sort, grown until the target is reached),
    so taking a small share of ten million units stays fast; the result is the same as
    with a full sort.
    """
    n = candidates.size
    if n == 0 or target <= 0:
        return candidates[:0]
    weights = unit_weight[candidates]
    mean = float(weights.mean()) or 1.0
    size = min(n, int(1.2 * target / mean) + 256)
    while True:
        if size < n:
            part = np.argpartition(keys, size - 1)[:size]
            part = part[np.argsort(keys[part])]
        else:
            part = np.argsort(keys)
        cumulative = np.cumsum(weights[part])
        if cumulative[-1] >= target or size == n:
            break
        size = min(n, 2 * size)
    k = int(np.searchsorted(cumulative, target))
    if k >= cumulative.size:
        return candidates[part]
    below = cumulative[k - 1] if k > 0 else 0.0
    count = k + 1 if cumulative[k] - target < target - below else k
    return candidates[part[:count]]


def _select_share(
    rng: np.random.Generator,
    eligible: np.ndarray | None,
    weight: np.ndarray,
    share: float,
    priority: np.ndarray | None = None,
) -> np.ndarray:
    """Boolean mask: a ``share`` of the weighted ``eligible`` units, chosen at random.

    Without ``priority`` every eligible unit has the same chance. With a priority, each
    unit gets the key E / priority (E exponential) and the smallest keys are taken:
    sequential sampling without replacement with probability proportional to priority.
    """
    if eligible is None:  # everyone is eligible
        candidates = np.arange(weight.size)
        keys = rng.standard_exponential(weight.size) if priority is not None else None
        keys = rng.random(weight.size) if keys is None else keys / priority
        target = share * float(weight.sum())
    else:
        candidates = np.flatnonzero(eligible)
        if priority is None:
            keys = rng.random(candidates.size)
        else:
            keys = rng.standard_exponential(candidates.size) / priority[candidates]
        target = share * float(weight.sum(where=eligible))
    chosen = _take(keys, candidates, weight, target)
    mask = np.zeros(weight.size, dtype=bool)
    mask[chosen] = True
    return mask


# ------------------------------------------------------------------------ generator


class _Draw:
    """The arrays of one synthetic survey while it is built (households h, persons i)."""

    def __init__(self, rng: np.random.Generator, n_households: int) -> None:
        self.rng = rng
        self.H = n_households
        self.recipient: dict[str, np.ndarray] = {}
        self.amount: dict[str, np.ndarray] = {}


def _draw_households(draw: _Draw, country: str, inputs: dict, par: dict) -> None:
    """Household sizes, members' age and sex, region, area and weights."""
    rng, H = draw.rng, draw.H
    # Size 1 + Poisson(mean - 1); the first member of each household is its head.
    sizes = np.minimum(1 + rng.poisson(par["mean_household_size"] - 1, H), MAX_HOUSEHOLD_SIZE)
    sizes = sizes.astype(np.int16)
    N = int(sizes.sum())
    hh = np.repeat(np.arange(H, dtype=np.int32), sizes)
    is_head = np.zeros(N, dtype=bool)
    is_head[np.cumsum(sizes, dtype=np.int64) - sizes] = True

    # Age and sex: heads drawn from adults with illustrative propensities, the other
    # members from the remainder, so that the counts of all persons follow WPP 2022.
    cells = np.asarray(inputs["cells"]).ravel()  # female ages 0..100, then male ages 0..100
    age_of_cell = np.tile(np.arange(MAX_AGE + 1), 2)
    propensity = np.select(
        [age_of_cell < 18, age_of_cell < 25, age_of_cell < 35, age_of_cell < 65],
        [0.0, 0.15, 0.5, 1.0],
        1.2,
    ) * np.repeat([0.3, 1.0], MAX_AGE + 1)
    head_probs = cells * propensity / (cells * propensity).sum()
    rest = np.clip(N * cells / cells.sum() - H * head_probs, 0, None)
    cell = np.empty(N, dtype=np.int16)
    cell[is_head] = _systematic(rng, head_probs, H)
    cell[~is_head] = _systematic(rng, rest, N - H)
    draw.age = (cell % (MAX_AGE + 1)).astype(np.int16)
    draw.sex = (cell // (MAX_AGE + 1)).astype(np.int8)

    # Region and area: sample allocation proportional to the square root of the
    # population share (small regions oversampled), then weights post-stratified on
    # region x area so that they add up to the population of each stratum.
    names = list(REGIONS[country])
    shares = np.array(list(REGIONS[country].values()))
    shares = shares / shares.sum()
    urban = par["urban_share"]
    capital_urban = min(ILLUSTRATIVE[country]["capital_urban_share"], urban / shares[0])
    other_urban = (urban - shares[0] * capital_urban) / (1 - shares[0])
    urban_prob = np.r_[capital_urban, np.full(len(names) - 1, other_urban)]
    allocation = np.sqrt(shares) / np.sqrt(shares).sum()
    region_h = rng.choice(len(names), size=H, p=allocation).astype(np.int8)
    urban_h = rng.random(H) < urban_prob[region_h]
    stratum = region_h.astype(np.int64) * 2 + urban_h
    population = inputs["population"]
    stratum_pop = population * np.column_stack([shares * (1 - urban_prob), shares * urban_prob])
    base = np.exp(0.25 * rng.standard_normal(H))  # illustrative non-response adjustment
    sampled = np.bincount(stratum, weights=base * sizes, minlength=2 * len(names))
    factor = np.divide(stratum_pop.ravel(), sampled, out=np.zeros_like(sampled), where=sampled > 0)
    weight_h = base * factor[stratum]
    weight_h *= population / (weight_h * sizes).sum()  # strata left empty by a tiny sample

    draw.N, draw.sizes, draw.hh = N, sizes, hh
    draw.region_names, draw.region_h, draw.urban_h = names, region_h, urban_h
    draw.weight_h, draw.weight = weight_h, weight_h[hh]


def _draw_consumption(draw: _Draw, inputs: dict, par: dict) -> None:
    """Pre-transfer consumption per capita: log-normal, spread from the WDI Gini."""
    sizes = draw.sizes
    sigma = math.sqrt(2) * NormalDist().inv_cdf((inputs["gini"][0] / 100 + 1) / 2)
    log_size = np.log(sizes)
    fixed = par["urban_premium"] * draw.urban_h - 0.2 * (log_size - log_size.mean())
    spread = np.average((fixed - np.average(fixed, weights=sizes)) ** 2, weights=sizes)
    residual = math.sqrt(max(sigma**2 - float(spread), 0.01))
    pre_h = np.exp(fixed + residual * draw.rng.standard_normal(draw.H))
    mean = np.dot(draw.weight_h * sizes, pre_h) / inputs["population"]
    draw.pre_h = pre_h * (par["mean_consumption_pc"] / mean)


def _draw_statuses(draw: _Draw, inputs: dict, par: dict) -> None:
    """Labour force, unemployment, contributors and severe disability."""
    rng, age, sex, weight = draw.rng, draw.age, draw.sex, draw.weight
    ages = np.arange(MAX_AGE + 1)
    lf_profile = np.select(
        [ages < WORKING_AGE_MIN, ages < 20, ages < 55, ages < 65, ages < 75],
        [0.0, 0.4, 1.0, 0.7, 0.2],
        0.05,
    ).astype(np.float32)
    in_lf = np.zeros(draw.N, dtype=bool)
    unemployed = np.zeros(draw.N, dtype=bool)
    adult = age >= WORKING_AGE_MIN
    youth_priority = np.where(age < 25, np.float32(2), np.float32(1))
    for code, name in enumerate(SEXES):
        of_sex = sex == code
        share = par["labour_force_participation"][name]
        in_lf |= _select_share(rng, of_sex & adult, weight, share, lf_profile[age])
        share = par["unemployment_rate"][name]
        unemployed |= _select_share(rng, of_sex & in_lf, weight, share, youth_priority)
    del youth_priority
    draw.pension_age = np.array([inputs["pension_age"][s] for s in SEXES], np.int16)[sex]
    draw.social_age = np.array([inputs["social_pension_age"][s] for s in SEXES], np.int16)[sex]
    # Contributors: employed, of working age; richer and urban households more likely.
    employed_working_age = in_lf & ~unemployed & adult & (age < draw.pension_age)
    priority = (np.sqrt(draw.pre_h) * np.where(draw.urban_h, 2.0, 1.0)).astype(np.float32)
    draw.contributor = _select_share(
        rng, employed_working_age, weight, par["contributor_share"], priority[draw.hh]
    )
    disability_profile = np.select([ages < 15, ages < 50, ages < 65], [0.3, 1.0, 2.0], 4.0).astype(
        np.float32
    )
    draw.severe = _select_share(
        rng, None, weight, par["severe_disability_prevalence"], disability_profile[age]
    )
    draw.in_lf, draw.unemployed = in_lf, unemployed
