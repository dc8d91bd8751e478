"""Survey (microdata) indicators: hand-worked cases, properties, cross-checks and errors.

The hand-worked survey used throughout has three households:

    household  members  weight  area   consumption_pc (post)  receives (person, amount)
    1 (A)      2        1       urban  200                    old_age_pension: person 1, 120
    2 (B)      1        2       rural  90                     social_assistance: person 3, 30
    3 (C)      3        3       rural  60                     social_assistance: person 4, 45
                                                              child_benefit: person 5, 36

Weighted persons: A 2 x 1 = 2, B 1 x 2 = 2, C 3 x 3 = 9; total W = 13.
Per-capita transfers T (household total / members):
    A: pension 120 / 2 = 60
    B: social assistance 30 / 1 = 30
    C: social assistance 45 / 3 = 15, child benefit 36 / 3 = 12, together 27
Pre-transfer welfare y - T (all programmes): A 200 - 60 = 140, B 90 - 30 = 60, C 60 - 27 = 33.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialprotection.survey import (
    ANY,
    adequacy,
    beneficiary_incidence,
    benefit_incidence,
    fgt,
    gini,
    household_transfers,
    programme_coverage,
    programmes_in,
    quintiles,
    transfer_impact,
)

PROGRAMMES = ["old_age_pension", "social_assistance", "child_benefit"]
W = 13.0


def three_households() -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "hh_id": [1, 1, 2, 3, 3, 3],
            "person_id": [1, 2, 3, 4, 5, 6],
            "weight": [1.0, 1.0, 2.0, 3.0, 3.0, 3.0],
            "region": ["north", "north", "south", "south", "south", "south"],
            "area": ["urban", "urban", "rural", "rural", "rural", "rural"],
            "hh_size": [2, 2, 1, 3, 3, 3],
            "age": [70, 40, 35, 40, 8, 5],
            "sex": ["female", "male", "female", "male", "female", "male"],
            "consumption_pc": [200.0, 200.0, 90.0, 60.0, 60.0, 60.0],
            "contributor": [False, True, False, False, False, False],
        }
    )
    for p in PROGRAMMES:
        frame[f"{p}_recipient"] = False
        frame[f"{p}_amount"] = 0.0
    frame.loc[0, ["old_age_pension_recipient", "old_age_pension_amount"]] = [True, 120.0]
    frame.loc[2, ["social_assistance_recipient", "social_assistance_amount"]] = [True, 30.0]
    frame.loc[3, ["social_assistance_recipient", "social_assistance_amount"]] = [True, 45.0]
    frame.loc[4, ["child_benefit_recipient", "child_benefit_amount"]] = [True, 36.0]
    return frame


def rows(out: pd.DataFrame, keys: list[str], value: str) -> dict:
    """Map (key values) -> value, e.g. {("any",): 1.0}."""
    return {tuple(r[k] for k in keys): r[value] for _, r in out.iterrows()}


# ---------------------------------------------------------------------------
# Hand-worked cases
# ---------------------------------------------------------------------------


def test_programmes_in_finds_pairs_of_columns():
    assert programmes_in(three_households()) == PROGRAMMES


def test_household_transfers_by_hand():
    out = household_transfers(three_households(), PROGRAMMES)
    got = out.set_index(["hh_id", "programme"])
    # A: pension 120 over 2 members = 60 per capita; B: 30 / 1; C: 45 / 3 = 15 and 36 / 3 = 12.
    assert got.loc[(1, "old_age_pension"), "per_capita"] == 60.0
    assert got.loc[(2, "social_assistance"), "per_capita"] == 30.0
    assert got.loc[(3, "social_assistance"), "per_capita"] == 15.0
    assert got.loc[(3, "child_benefit"), "per_capita"] == 12.0
    # "any": C receives 45 + 36 = 81, that is 27 per capita, from 2 direct recipients.
    assert got.loc[(3, ANY), ["total", "per_capita", "recipients", "members"]].tolist() == [
        81.0,
        27.0,
        2,
        3,
    ]
    assert got.loc[(1, "social_assistance"), "beneficiary"] is np.False_
    # Beneficiary pairs: A pension, B and C social assistance, C child benefit (4), and all
    # three households under "any" (3).
    assert got["beneficiary"].sum() == 4 + 3
    assert len(out) == 3 * 4


def test_coverage_household_level_by_hand():
    out = programme_coverage(three_households(), PROGRAMMES)
    # Everyone in a receiving household is covered (ASPIRE, direct and indirect):
    # pension: A (2 weighted persons) -> 2/13; social assistance: B + C = 2 + 9 = 11 -> 11/13;
    # child benefit: C = 9 -> 9/13; any: all 13 -> 1.
    assert out["programme"].tolist() == [*PROGRAMMES, ANY]
    assert out["numerator"].tolist() == [2.0, 11.0, 9.0, 13.0]
    assert out["denominator"].tolist() == [W] * 4
    assert out["rate"].tolist() == pytest.approx([2 / 13, 11 / 13, 9 / 13, 1.0])
    assert out["n_obs"].tolist() == [6] * 4


def test_coverage_person_level_by_hand():
    out = programme_coverage(three_households(), PROGRAMMES, level="person")
    # Direct recipients only: pension person 1 (weight 1) -> 1/13; social assistance persons
    # 3 (weight 2) and 4 (weight 3) -> 5/13; child benefit person 5 (weight 3) -> 3/13;
    # any: 1 + 2 + 3 + 3 = 9 -> 9/13.
    assert out["numerator"].tolist() == [1.0, 5.0, 3.0, 9.0]
    assert out["rate"].tolist() == pytest.approx([1 / 13, 5 / 13, 3 / 13, 9 / 13])


def test_coverage_by_sex_by_hand():
    out = programme_coverage(three_households(), PROGRAMMES, by="sex")
    assert list(out.columns) == ["sex", "programme", "numerator", "denominator", "rate", "n_obs"]
    got = rows(out, ["sex", "programme"], "rate")
    # Women: person 1 (w 1, household A), 3 (w 2, B), 5 (w 3, C): 6 weighted persons.
    # Men: person 2 (w 1, A), 4 and 6 (w 3 each, C): 7 weighted persons.
    assert got[("female", "old_age_pension")] == pytest.approx(1 / 6)  # person 1
    assert got[("male", "old_age_pension")] == pytest.approx(1 / 7)  # person 2, indirect
    assert got[("female", "social_assistance")] == pytest.approx(5 / 6)  # persons 3 and 5
    assert got[("male", "social_assistance")] == pytest.approx(6 / 7)  # persons 4 and 6
    assert got[("female", "child_benefit")] == pytest.approx(3 / 6)
    assert got[("male", "child_benefit")] == pytest.approx(6 / 7)
    assert got[("female", ANY)] == 1.0 and got[("male", ANY)] == 1.0
    assert rows(out, ["sex", "programme"], "denominator")[("female", ANY)] == 6.0
    assert rows(out, ["sex", "programme"], "n_obs")[("male", ANY)] == 3


def test_coverage_by_two_columns_and_person_level():
    out = programme_coverage(three_households(), PROGRAMMES, by=["area", "sex"], level="person")
    got = rows(out, ["area", "sex", "programme"], "rate")
    # Rural men: persons 4 and 6 (w 3 each); only person 4 receives social assistance -> 3/6.
    assert got[("rural", "male", "social_assistance")] == pytest.approx(0.5)
    # Urban women: person 1, the pensioner -> 1/1.
    assert got[("urban", "female", "old_age_pension")] == 1.0
    assert out[["area", "sex"]].drop_duplicates().values.tolist() == [
        ["rural", "female"],
        ["rural", "male"],
        ["urban", "female"],
        ["urban", "male"],
    ]


def test_quintiles_by_hand():
    # Pre-transfer welfare per person: C 33 (3 persons of weight 3), B 60 (1 of weight 2),
    # A 140 (2 of weight 1). Cumulative weight: C covers [0, 9], B [9, 11], A [11, 13].
    # Midpoints 4.5, 10, 12; group = 1 + floor(5 x midpoint / 13):
    # C: 1 + floor(1.73) = 2; B: 1 + floor(3.85) = 4; A: 1 + floor(4.62) = 5.
    values = pd.Series([140, 140, 60, 33, 33, 33], index=list("abcdef"))
    got = quintiles(values, weights=[1, 1, 2, 3, 3, 3])
    assert got.tolist() == [5, 5, 4, 2, 2, 2]
    assert got.index.tolist() == list("abcdef") and got.name == "quintile"


def test_quintiles_equal_weights_and_boundaries():
    # Ten equal observations: two per quintile.
    assert quintiles(np.arange(10)).tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    # Terciles of 1, 2, 3 with weights 1, 1, 1: midpoints 0.5, 1.5, 2.5 of 3 -> 1, 2, 3.
    assert quintiles([3, 1, 2], n=3).tolist() == [3, 1, 2]
    # Two halves, 4 observations: midpoint of the second is exactly 1.5 of 4 -> 1 + floor(0.75)
    # = 1; the third: midpoint 2.5 -> 1 + floor(1.25) = 2.
    assert quintiles([1, 2, 3, 4], n=2).tolist() == [1, 1, 2, 2]
    # A midpoint exactly on a boundary goes up: values 1, 2, 3 with weights 1, 2, 1 and n = 2:
    # block 2 spans [1, 3], midpoint 2 = W / 2 -> 1 + floor(2 x 2 / 4) = 2.
    assert quintiles([1, 2, 3], weights=[1, 2, 1], n=2).tolist() == [1, 2, 2]
    # Ties share a group even when the group gets more than its share.
    assert quintiles([5, 5, 5, 5, 9]).tolist() == [3, 3, 3, 3, 5]


def test_beneficiary_incidence_by_hand():
    out = beneficiary_incidence(three_households(), PROGRAMMES)
    assert list(out.columns) == ["quintile", "programme", "numerator", "denominator", "share"] + [
        "n_obs"
    ]
    assert sorted(out["quintile"].unique()) == [1, 2, 3, 4, 5]  # empty quintiles are listed
    share = rows(out, ["quintile", "programme"], "share")
    # Quintiles on pre-transfer welfare: C in 2, B in 4, A in 5 (see test_quintiles_by_hand).
    # Pension: only A's 2 weighted persons -> all in quintile 5.
    assert share[(5, "old_age_pension")] == 1.0
    # Social assistance: B (2) and C (9) of 11 beneficiaries -> q2 9/11, q4 2/11.
    assert share[(2, "social_assistance")] == pytest.approx(9 / 11)
    assert share[(4, "social_assistance")] == pytest.approx(2 / 11)
    assert share[(1, "social_assistance")] == 0.0
    # Any: 9, 2, 2 of 13.
    assert [share[(q, ANY)] for q in (1, 2, 3, 4, 5)] == pytest.approx(
        [0, 9 / 13, 0, 2 / 13, 2 / 13]
    )
    n_obs = rows(out, ["quintile", "programme"], "n_obs")
    assert n_obs[(2, "social_assistance")] == 3 and n_obs[(4, "social_assistance")] == 1
    assert rows(out, ["quintile", "programme"], "denominator")[(1, "social_assistance")] == 11.0


def test_benefit_incidence_by_hand():
    out = benefit_incidence(three_households(), PROGRAMMES)
    share = rows(out, ["quintile", "programme"], "share")
    numerator = rows(out, ["quintile", "programme"], "numerator")
    # Social assistance money: B 2 weighted persons x 30 = 60; C 9 x 15 = 135; total 195.
    assert numerator[(2, "social_assistance")] == 135.0
    assert numerator[(4, "social_assistance")] == 60.0
    assert share[(2, "social_assistance")] == pytest.approx(135 / 195)
    assert share[(4, "social_assistance")] == pytest.approx(60 / 195)
    # Any: A 2 x 60 = 120, B 60, C 9 x 27 = 243; total 423.
    assert [share[(q, ANY)] for q in (1, 2, 3, 4, 5)] == pytest.approx(
        [0, 243 / 423, 0, 60 / 423, 120 / 423]
    )
    assert rows(out, ["quintile", "programme"], "denominator")[(1, ANY)] == 423.0


def test_benefit_incidence_person_level_and_given_groups():
    frame = three_households()
    frame["tercile"] = [3, 3, 2, 1, 1, 1]
    out = benefit_incidence(frame, PROGRAMMES, group="tercile", level="person")
    share = rows(out, ["tercile", "programme"], "share")
    # Own amounts x weights: social assistance person 3: 30 x 2 = 60 (tercile 2), person 4:
    # 45 x 3 = 135 (tercile 1): the same money as at the household level.
    assert share[(1, "social_assistance")] == pytest.approx(135 / 195)
    n_obs = rows(out, ["tercile", "programme"], "n_obs")
    assert n_obs[(1, "social_assistance")] == 1  # only person 4 is a direct recipient
    person = beneficiary_incidence(frame, PROGRAMMES, group="tercile", level="person")
    # Direct recipients of any programme: persons 1 (w 1, t3), 3 (w 2, t2), 4 and 5 (w 3, t1).
    assert rows(person, ["tercile", "programme"], "share")[(1, ANY)] == pytest.approx(6 / 9)


def test_incidence_pre_or_post_transfer_ranking():
    # Household 1: welfare 100, no transfer. Household 2: 50 before, 130 after a transfer of 80.
    frame = pd.DataFrame(
        {
            "hh_id": [1, 2],
            "weight": [1.0, 1.0],
            "consumption_pc": [100.0, 130.0],
            "social_assistance_recipient": [False, True],
            "social_assistance_amount": [0.0, 80.0],
        }
    )
    # Midpoints 0.5 and 1.5 of 2 -> quintiles 1 + floor(1.25) = 2 and 1 + floor(3.75) = 4.
    pre = benefit_incidence(frame, "social_assistance")
    post = benefit_incidence(frame, "social_assistance", pre_transfer=False)
    assert rows(pre, ["quintile", "programme"], "share")[(2, "social_assistance")] == 1.0
    assert rows(post, ["quintile", "programme"], "share")[(4, "social_assistance")] == 1.0
    deciles = beneficiary_incidence(frame, "social_assistance", group="decile")
    assert deciles["decile"].nunique() == 10


def test_adequacy_by_hand():
    out = adequacy(three_households(), PROGRAMMES)
    got = out.set_index("programme")
    # Pension: beneficiaries A (2 weighted persons): transfers 2 x 60 = 120, welfare 2 x 200
    # = 400 -> 0.3.
    assert got.loc["old_age_pension", ["numerator", "denominator", "rate"]].tolist() == [
        120.0,
        400.0,
        0.3,
    ]
    # Social assistance: transfers 2 x 30 + 9 x 15 = 195; welfare 2 x 90 + 9 x 60 = 720.
    assert got.loc["social_assistance", "rate"] == pytest.approx(195 / 720)
    # Child benefit: 9 x 12 = 108 over 9 x 60 = 540 -> 0.2.
    assert got.loc["child_benefit", "rate"] == pytest.approx(0.2)
    # Any: 120 + 60 + 243 = 423 over 400 + 180 + 540 = 1120.
    assert got.loc[ANY, "rate"] == pytest.approx(423 / 1120)
    assert got["n_obs"].tolist() == [2, 4, 3, 6]


def test_adequacy_by_area_reports_empty_groups_as_nan():
    out = adequacy(three_households(), PROGRAMMES, by="area")
    got = out.set_index(["area", "programme"])
    assert got.loc[("urban", "old_age_pension"), "rate"] == pytest.approx(0.3)
    # No urban household receives social assistance: 0 / 0 is shown as NaN, with n_obs 0.
    assert np.isnan(got.loc[("urban", "social_assistance"), "rate"])
    assert got.loc[("urban", "social_assistance"), "n_obs"] == 0
    # Rural, any programme: (60 + 135 + 108) / (180 + 540) = 303 / 720.
    assert got.loc[("rural", ANY), "rate"] == pytest.approx(303 / 720)


def test_fgt_by_hand():
    # Post-transfer welfare with line z = 100: A 200 (w 2), B 90 (w 2), C 60 (w 9), W = 13.
    y, w = [200, 90, 60], [2, 2, 9]
    assert fgt(y, 100, 0, w) == pytest.approx(11 / 13)  # B and C are poor
    # Gaps (z - y)/z: B 0.1, C 0.4 -> P1 = (2 x 0.1 + 9 x 0.4) / 13 = 3.8 / 13.
    assert fgt(y, 100, 1, w) == pytest.approx(3.8 / 13)
    # P2 = (2 x 0.01 + 9 x 0.16) / 13 = 1.46 / 13.
    assert fgt(y, 100, 2, w) == pytest.approx(1.46 / 13)
    # Strict inequality: a person exactly on the line is not poor.
    assert fgt([100, 50], 100) == 0.5
    assert fgt([100, 50], 100, alpha=0.5) == pytest.approx(0.5 * 0.5**0.5)


def test_gini_by_hand():
    # Replicated sample: 9 x 60, 2 x 90, 2 x 200; W = 13, mean = 1120 / 13.
    # Sum over ordered pairs of w_i w_j |x_i - x_j|: 2 x (18 x 30 + 18 x 140 + 4 x 110) = 7000.
    # G = 7000 / (2 x 13^2 x 1120 / 13) = 7000 / 29120.
    assert gini([200, 90, 60], weights=[2, 2, 9]) == pytest.approx(7000 / 29120)
    # The sorted-sum form: sum w x (2 C_prev + w - W) / (W sum w x)
    # = (540 x -4 + 180 x 7 + 400 x 11) / (13 x 1120) = 3500 / 14560, the same number.
    assert 3500 / 14560 == pytest.approx(7000 / 29120)
    assert gini([5, 5, 5]) == 0.0
    assert gini([0, 0, 0, 10]) == pytest.approx(0.75)  # (n - 1) / n for one holder of all


def test_transfer_impact_by_hand():
    out = transfer_impact(three_households(), PROGRAMMES, poverty_line=100)
    assert list(out.columns) == [
        "programme",
        "indicator",
        "pre",
        "post",
        "absolute_reduction",
        "relative_reduction",
        "numerator",
        "denominator",
        "rate",
        "n_obs",
    ]
    got = out.set_index(["programme", "indicator"])
    # All programmes removed: pre-transfer A 140 (w 2), B 60 (w 2), C 33 (w 9).
    # P0 pre: B, C poor = 11/13; post: B (90), C (60) poor = 11/13 -> no reduction.
    assert got.loc[(ANY, "headcount_p0"), ["pre", "post"]].tolist() == pytest.approx(
        [11 / 13, 11 / 13]
    )
    assert got.loc[(ANY, "headcount_p0"), "relative_reduction"] == 0.0
    # P1 pre = (2 x 0.4 + 9 x 0.67) / 13 = 6.83 / 13; post 3.8 / 13.
    p1 = got.loc[(ANY, "poverty_gap_p1")]
    assert [p1["pre"], p1["post"]] == pytest.approx([6.83 / 13, 3.8 / 13])
    assert p1["absolute_reduction"] == pytest.approx(3.03 / 13)
    assert p1["relative_reduction"] == pytest.approx(3.03 / 6.83)
    # P2 pre = (2 x 0.16 + 9 x 0.4489) / 13 = 4.3601 / 13; post 1.46 / 13.
    p2 = got.loc[(ANY, "severity_p2")]
    assert [p2["pre"], p2["post"]] == pytest.approx([4.3601 / 13, 1.46 / 13])
    # Gini pre: ordered-pair sum 2 x (18 x 27 + 18 x 107 + 4 x 80) = 5464; mean 697 / 13;
    # G = 5464 / (2 x 13 x 697) = 5464 / 18122. Post: 7000 / 29120 (test_gini_by_hand).
    g = got.loc[(ANY, "gini")]
    assert [g["pre"], g["post"]] == pytest.approx([5464 / 18122, 7000 / 29120])
    # Benefit-cost ratio: money gap pre 2 x 40 + 9 x 67 = 683, post 2 x 10 + 9 x 40 = 380,
    # reduction 303, for 423 spent.
    bcr = got.loc[(ANY, "benefit_cost_ratio")]
    assert [bcr["numerator"], bcr["denominator"]] == pytest.approx([303, 423])
    assert bcr["rate"] == pytest.approx(303 / 423)
    assert bcr["n_obs"] == 6
    # Exclusion: the poor (B, C: 11) all receive something -> 0 / 11; n_obs 4 poor persons.
    exclusion = got.loc[(ANY, "exclusion_error")]
    assert exclusion[["numerator", "denominator", "rate", "n_obs"]].tolist() == [0, 11, 0, 4]
    # Inclusion: non-poor A (2) among 13 beneficiaries.
    assert got.loc[(ANY, "inclusion_error"), "rate"] == pytest.approx(2 / 13)
    # The pension alone: pre A 140, B 90, C 60; nobody poor is lifted or reached.
    assert got.loc[("old_age_pension", "benefit_cost_ratio"), "rate"] == 0.0
    assert got.loc[("old_age_pension", "exclusion_error"), "rate"] == 1.0  # 11 / 11
    assert got.loc[("old_age_pension", "inclusion_error"), "rate"] == 1.0  # 2 / 2
    assert got.loc[("old_age_pension", "headcount_p0"), "absolute_reduction"] == 0.0
    # Pre-transfer welfare that is 0 is allowed: the transfer is the whole welfare.
    zero = three_households()
    zero["consumption_pc"] = [200.0, 200.0, 30.0, 60.0, 60.0, 60.0]
    impact = transfer_impact(zero, "social_assistance", poverty_line=100)
    assert impact.set_index(["programme", "indicator"]).loc[
        ("social_assistance", "headcount_p0"), "pre"
    ] == pytest.approx(11 / 13)


def test_welfare_that_differs_within_a_household_is_refused():
    # Welfare is household consumption per capita: one value per household. A value that
    # differs between members is a data error, named with the household and both rows.
    frame = three_households()
    frame.index = [f"p{i}" for i in range(6)]
    frame["consumption_pc"] = [200.0, 200.0, 90.0, 60.0, 60.0, 60.5]
    message = (
        r"household 3: 'consumption_pc' is 60 in row p3 but 60\.5 in row p5; "
        "a household column must be the same on every member"
    )
    for compute in (
        lambda f: benefit_incidence(f, PROGRAMMES),
        lambda f: beneficiary_incidence(f, PROGRAMMES, pre_transfer=False),
        lambda f: adequacy(f, PROGRAMMES),
        lambda f: transfer_impact(f, PROGRAMMES, poverty_line=100),
    ):
        with pytest.raises(ValueError, match=message):
            compute(frame)
    # Precomputed groups do not read welfare: nothing to refuse.
    frame["tercile"] = [3, 3, 2, 1, 1, 1]
    assert len(benefit_incidence(frame, PROGRAMMES, group="tercile")) == 12


def test_rows_in_any_order_and_any_index():
    frame = three_households().sample(frac=1, random_state=3)
    frame.index = [f"r{i}" for i in range(6)]
    assert programme_coverage(frame, PROGRAMMES)["numerator"].tolist() == [2.0, 11.0, 9.0, 13.0]
    share = rows(benefit_incidence(frame, PROGRAMMES), ["quintile", "programme"], "share")
    assert share[(2, "social_assistance")] == pytest.approx(135 / 195)


# ---------------------------------------------------------------------------
# Cross-checks with independent implementations
# ---------------------------------------------------------------------------


def _gini_by_pairs(values) -> float:
    """The definition, not the sorted formula: mean absolute difference over twice the mean.

    An independent implementation (every pair, in numpy); it replaced pysal's
    ``inequality.gini.Gini``, whose geospatial dependencies were most of the environment.
    """
    x = np.asarray(values, dtype=float)
    return float(np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean()))


def test_gini_matches_the_pairwise_definition_on_replicated_data():
    rng = np.random.default_rng(7)
    values = rng.lognormal(5, 0.8, size=300).round(2)
    weights = rng.integers(1, 6, size=300)
    expected = _gini_by_pairs(np.repeat(values, weights))
    assert gini(values, weights) == pytest.approx(expected, rel=1e-12)
    assert gini(values) == pytest.approx(_gini_by_pairs(values), rel=1e-12)


def test_gini_matches_duckdb_sql_with_weights():
    rng = np.random.default_rng(8)
    data = pd.DataFrame(
        {"x": rng.lognormal(5, 0.8, size=200).round(2), "w": rng.uniform(0.2, 9, size=200)}
    )
    con = duckdb.connect()
    con.register("s", data)
    sql = (
        "SELECT SUM(a.w * b.w * ABS(a.x - b.x)) / (2 * POW(SUM(a.w), 2) / COUNT(*) "
        "* (SELECT SUM(w * x) / SUM(w) FROM s)) FROM s a CROSS JOIN s b"
    )
    assert gini(data["x"], data["w"]) == pytest.approx(con.execute(sql).fetchone()[0], rel=1e-9)


def test_fgt_matches_duckdb_sql():
    # No FGT implementation is installed in the environment: the same definition written
    # in SQL and run by DuckDB is the independent check.
    rng = np.random.default_rng(11)
    data = pd.DataFrame(
        {"y": rng.lognormal(5, 0.7, size=500).round(1), "w": rng.uniform(0.5, 40, size=500)}
    )
    data.loc[:9, "y"] = 150.0  # some persons exactly on the line: not poor (strict y < z)
    con = duckdb.connect()
    con.register("survey", data)
    sql = (
        "SELECT SUM(w * CASE WHEN y < $z THEN POW(($z - y) / $z, $alpha) ELSE 0 END) / SUM(w) "
        "FROM survey"
    )
    for alpha in (0, 1, 2):
        (expected,) = con.execute(sql, {"z": 150.0, "alpha": float(alpha)}).fetchone()
        assert fgt(data["y"], 150.0, alpha, data["w"]) == pytest.approx(expected, rel=1e-12)


# ---------------------------------------------------------------------------
# Properties
# ---------------------------------------------------------------------------

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
SMALL = ["social_assistance", "child_benefit"]


@st.composite
def surveys(draw):
    """Small surveys with integer weights; consumption_pc is post-transfer by construction."""
    n_households = draw(st.integers(1, 7))
    records = []
    for h in range(n_households):
        size = draw(st.integers(1, 4))
        weight = draw(st.integers(1, 5))
        pre = draw(st.sampled_from([0, 20, 50, 80, 100, 150, 300]))
        area = draw(st.sampled_from(["urban", "rural"]))
        members = []
        for _ in range(size):
            person = {"sex": draw(st.sampled_from(["female", "male"]))}
            for p in SMALL:
                receives = draw(st.booleans())
                person[f"{p}_recipient"] = receives
                person[f"{p}_amount"] = float(draw(st.integers(0, 90))) if receives else 0.0
            members.append(person)
        total = sum(m[f"{p}_amount"] for m in members for p in SMALL)
        for m in members:
            m.update(
                hh_id=100 + h,
                weight=float(weight),
                area=area,
                hh_size=size,
                consumption_pc=pre + total / size,
            )
            records.append(m)
    return pd.DataFrame.from_records(records)


def replicate(frame: pd.DataFrame) -> pd.DataFrame:
    """Copy each household as many times as its integer weight, each copy of weight 1."""
    copies = []
    for copy in range(int(frame["weight"].max())):
        part = frame[frame["weight"] > copy].copy()
        part["hh_id"] = part["hh_id"] * 1000 + copy
        part["weight"] = 1.0
        copies.append(part)
    return pd.concat(copies, ignore_index=True)


def compare(a: pd.DataFrame, b: pd.DataFrame, keys: list[str], values: list[str]) -> None:
    a = a.sort_values(keys).reset_index(drop=True)
    b = b.sort_values(keys).reset_index(drop=True)
    pd.testing.assert_frame_equal(a[keys], b[keys], check_dtype=False)
    for v in values:
        np.testing.assert_allclose(a[v], b[v], rtol=1e-9, atol=1e-12, equal_nan=True)


@SETTINGS
@given(surveys(), st.sampled_from(["household", "person"]))
def test_coverage_properties(frame, level):
    out = programme_coverage(frame, SMALL, by="area", level=level)
    assert out["rate"].between(0, 1).all()
    assert (out["numerator"] <= out["denominator"] + 1e-9).all()
    by_group = out.pivot(index="area", columns="programme", values="rate")
    assert (by_group[ANY] >= by_group[SMALL].max(axis=1) - 1e-12).all()
    if level == "household":
        person = programme_coverage(frame, SMALL, by="area", level="person")
        assert (out["rate"] >= person["rate"] - 1e-12).all()


@SETTINGS
@given(surveys(), st.floats(0.001, 1000))
def test_weights_scale_and_row_order_do_not_matter(frame, scale):
    scaled = frame.assign(weight=frame["weight"] * scale).sample(frac=1, random_state=1)
    checks = [
        (lambda f: programme_coverage(f, SMALL, by="sex"), ["sex", "programme"], ["rate"]),
        (lambda f: beneficiary_incidence(f, SMALL), ["quintile", "programme"], ["share"]),
        (lambda f: benefit_incidence(f, SMALL), ["quintile", "programme"], ["share"]),
        (lambda f: adequacy(f, SMALL, by="area"), ["area", "programme"], ["rate"]),
        (
            lambda f: transfer_impact(f, SMALL, poverty_line=100),
            ["programme", "indicator"],
            ["pre", "post", "rate"],
        ),
    ]
    for compute, keys, values in checks:
        compare(compute(frame), compute(scaled), keys, values)


@SETTINGS
@given(surveys())
def test_integer_weights_equal_replication(frame):
    copies = replicate(frame)
    checks = [
        (
            lambda f: programme_coverage(f, SMALL, by="sex"),
            ["sex", "programme"],
            ["numerator", "rate"],
        ),
        (
            lambda f: beneficiary_incidence(f, SMALL),
            ["quintile", "programme"],
            ["numerator", "share"],
        ),
        (lambda f: benefit_incidence(f, SMALL), ["quintile", "programme"], ["numerator", "share"]),
        (lambda f: adequacy(f, SMALL, by="area"), ["area", "programme"], ["numerator", "rate"]),
        (
            lambda f: transfer_impact(f, SMALL, poverty_line=100),
            ["programme", "indicator"],
            ["pre", "post", "numerator", "denominator", "rate"],
        ),
    ]
    for compute, keys, values in checks:
        compare(compute(frame), compute(copies), keys, values)


@SETTINGS
@given(surveys(), st.sampled_from(["household", "person"]))
def test_incidence_shares_sum_to_one(frame, level):
    for function in (beneficiary_incidence, benefit_incidence):
        out = function(frame, SMALL, level=level)
        assert out["share"].dropna().between(0, 1).all()
        for _, part in out.groupby("programme"):
            if part["denominator"].iloc[0] > 0:
                assert part["share"].sum() == pytest.approx(1.0)
                assert part["numerator"].sum() == pytest.approx(part["denominator"].iloc[0])
            else:
                assert part["share"].isna().all()


@SETTINGS
@given(surveys())
def test_adequacy_and_impact_bounds(frame):
    out = adequacy(frame, SMALL)
    # Post-transfer welfare includes the transfer, so the share is at most 1.
    assert out["rate"].dropna().between(0, 1 + 1e-12).all()
    impact = transfer_impact(frame, SMALL, poverty_line=100)
    assert impact["rate"].dropna().between(-1e-12, 1 + 1e-12).all()
    fgt_rows = impact[impact["indicator"] != "gini"].dropna(subset=["pre"])
    # Transfers never raise FGT poverty.
    assert (fgt_rows["absolute_reduction"] >= -1e-12).all()


values_and_weights = st.integers(1, 40).flatmap(
    lambda n: st.tuples(
        st.lists(st.integers(0, 12).map(float), min_size=n, max_size=n),
        st.lists(st.integers(1, 6), min_size=n, max_size=n),
    )
)


@SETTINGS
@given(values_and_weights, st.integers(1, 10))
def test_quintiles_properties(data, n):
    values, weights = np.array(data[0]), np.array(data[1])
    groups = quintiles(values, weights, n=n)
    assert groups.min() >= 1 and groups.max() <= n
    # Ordered by value; ties in one group.
    order = np.argsort(values, kind="stable")
    assert (np.diff(groups[order]) >= 0).all()
    for v in np.unique(values):
        assert len(set(groups[values == v])) == 1
    # Each cut is the block edge nearest to k/n of the total weight.
    total = weights.sum()
    edges = np.concatenate(
        [[0], np.cumsum([weights[values == v].sum() for v in np.unique(values)])]
    )
    for k in range(1, n):
        cut = weights[groups <= k].sum()
        assert abs(cut - k * total / n) <= np.abs(edges - k * total / n).min() + 1e-9
    # Replication, scaling and row order.
    replicated = quintiles(np.repeat(values, weights), n=n)
    assert (replicated == np.repeat(groups, weights)).all()
    assert (quintiles(values, weights * 0.37, n=n) == groups).all()
    perm = np.random.default_rng(0).permutation(len(values))
    assert (quintiles(values[perm], weights[perm], n=n) == groups[perm]).all()


@SETTINGS
@given(values_and_weights, st.sampled_from([0, 1, 2]), st.sampled_from([1.0, 5.0, 7.5, 100.0]))
def test_fgt_properties(data, alpha, line):
    values, weights = np.array(data[0]), np.array(data[1])
    p = fgt(values, line, alpha, weights)
    assert 0 <= p <= 1
    assert fgt(values, line, 1, weights) <= fgt(values, line, 0, weights) + 1e-12
    assert fgt(values, line, 2, weights) <= fgt(values, line, 1, weights) + 1e-12
    assert p == pytest.approx(fgt(np.repeat(values, weights), line, alpha))
    assert p == pytest.approx(fgt(values, line, alpha, weights * 2.5))
    assert p == pytest.approx(fgt(values * 3, line * 3, alpha, weights))


@SETTINGS
@given(values_and_weights)
def test_gini_properties(data):
    values, weights = np.array(data[0]), np.array(data[1])
    if values.sum() == 0:
        return
    g = gini(values, weights)
    assert 0 <= g < 1
    assert g == pytest.approx(_gini_by_pairs(np.repeat(values, weights)), abs=1e-12)
    assert g == pytest.approx(gini(values * 4.2, weights * 0.3), abs=1e-12)
    perm = np.random.default_rng(0).permutation(len(values))
    assert g == pytest.approx(gini(values[perm], weights[perm]), abs=1e-12)


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


def test_missing_columns_are_listed():
    frame = three_households().drop(columns=["weight", "child_benefit_recipient"])
    with pytest.raises(KeyError, match="coverage: missing columns 'weight', 'child_benefit_rec"):
        programme_coverage(frame, PROGRAMMES)
    with pytest.raises(KeyError, match="missing columns 'unknown_recipient', 'unknown_amount'"):
        household_transfers(three_households(), ["unknown"])
    with pytest.raises(KeyError, match="missing column 'tercile'"):
        benefit_incidence(three_households(), PROGRAMMES, group="tercile")
    with pytest.raises(KeyError, match="missing column 'income_pc'"):
        beneficiary_incidence(three_households(), PROGRAMMES, welfare="income_pc")
    with pytest.raises(KeyError, match="adequacy: missing column 'income_pc'"):
        adequacy(three_households(), PROGRAMMES, welfare="income_pc")
    with pytest.raises(KeyError, match="transfer_impact: missing column 'hh'"):
        transfer_impact(three_households(), PROGRAMMES, poverty_line=100, household="hh")


@pytest.mark.parametrize(
    ("change", "error", "message"),
    [
        ({"weight": [1.0, 1.0, -2.0, 3.0, 3.0, 3.0]}, ValueError, "'weight' must not be negative"),
        ({"weight": [1.0, 1.0, np.nan, 3.0, 3.0, 3.0]}, ValueError, "1 missing value.*row 2"),
        ({"weight": [0.0] * 6}, ValueError, "sum to zero"),
        (
            {"social_assistance_recipient": [False, False, True, None, False, False]},
            ValueError,
            "'social_assistance_recipient' has 1 missing value.*row 3",
        ),
        (
            {"social_assistance_recipient": [False, False, "yes", True, False, False]},
            TypeError,
            "true/false flags; row 2 holds 'yes'",
        ),
        ({"hh_id": [1, 1, 2, None, 3, 3]}, ValueError, "'hh_id' has 1 missing household"),
        (
            {"hh_size": [2, 2, 1, 3, 3, 4]},
            ValueError,
            "household 3: 'hh_size' is 3 in row 3 but 4 in row 5",
        ),
        ({"area": ["urban", None, "rural", "rural", "rural", "rural"]}, ValueError, "'area' has 1"),
    ],
)
def test_bad_survey_values_are_refused(change, error, message):
    frame = three_households().assign(**change)
    with pytest.raises(error, match=message):
        programme_coverage(frame, PROGRAMMES, by="area")


def test_hh_size_check_catches_filtered_frames():
    adults = three_households().query("age >= 18")
    with pytest.raises(ValueError, match="household 3 has 1 row.*use by= instead"):
        programme_coverage(adults, PROGRAMMES)
    # Without the column (or with size=None) the members present are the household.
    assert programme_coverage(adults, PROGRAMMES, size=None)["n_obs"].iloc[0] == 4


@pytest.mark.parametrize(
    ("column", "values", "error", "message"),
    [
        ("child_benefit_amount", [0, 0, 0, 0, "36", "x"], TypeError, "must hold numbers; row 5"),
        ("child_benefit_amount", [0, 0, 0, 0, -36.0, 0], ValueError, "must not be negative"),
        (
            "child_benefit_amount",
            [0, 0, 0, 0, 36.0, 10.0],
            ValueError,
            "row 5: 'child_benefit_amount' is 10 but 'child_benefit_recipient' is false",
        ),
        ("consumption_pc", [200, 200, 90, 60, 60, None], ValueError, "'consumption_pc' has 1"),
    ],
)
def test_bad_amounts_and_welfare_are_refused(column, values, error, message):
    frame = three_households()
    frame[column] = values
    for compute in (
        lambda f: benefit_incidence(f, PROGRAMMES),
        lambda f: adequacy(f, PROGRAMMES),
        lambda f: transfer_impact(f, PROGRAMMES, poverty_line=100),
    ):
        with pytest.raises(error, match=message):
            compute(frame)


def test_bad_programme_names_and_levels():
    frame = three_households()
    with pytest.raises(ValueError, match="no programme given"):
        programme_coverage(frame, [])
    with pytest.raises(ValueError, match="'child_benefit' is given twice"):
        programme_coverage(frame, ["child_benefit", "child_benefit"])
    with pytest.raises(ValueError, match="'any' is the name of the row"):
        programme_coverage(frame, ["any"])
    with pytest.raises(TypeError, match="named by a string; got 3"):
        programme_coverage(frame, [3])
    with pytest.raises(ValueError, match="level must be 'household'.*got 'persons'"):
        programme_coverage(frame, PROGRAMMES, level="persons")
    with pytest.raises(ValueError, match="level must be"):
        benefit_incidence(frame, PROGRAMMES, level="family")


def test_negative_pre_transfer_welfare_is_refused():
    frame = three_households()
    frame["consumption_pc"] = [200.0, 200.0, 20.0, 60.0, 60.0, 60.0]  # below B's transfer of 30
    with pytest.raises(ValueError, match=r"pre-transfer welfare .* negative in row 2 \(20 - 30\)"):
        transfer_impact(frame, PROGRAMMES, poverty_line=100)


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"poverty_line": 0}, ValueError, "poverty line must be a positive number; got 0"),
        ({"poverty_line": float("nan")}, ValueError, "positive number"),
        ({"poverty_line": "100"}, TypeError, "poverty line must be a number; got '100'"),
        ({"poverty_line": 100, "alpha": -1}, ValueError, "alpha must be .* at least 0"),
        ({"poverty_line": 100, "alpha": "2"}, TypeError, "alpha must be a number"),
        ({"poverty_line": 100, "alpha": True}, TypeError, "alpha must be a number"),
        ({"poverty_line": 100, "weights": [1, 2]}, ValueError, "one value per observation"),
        ({"poverty_line": 100, "weights": [1, -2, 1]}, ValueError, "row 1 holds -2"),
    ],
)
def test_fgt_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        fgt([10.0, 20.0, 30.0], **kwargs)


def test_fgt_and_gini_refuse_bad_values():
    with pytest.raises(ValueError, match="'values' must not be negative; row 1 holds -5"):
        fgt([10, -5], 100)
    with pytest.raises(ValueError, match="'values' has 1 missing value"):
        fgt(pd.Series([10, np.nan], index=["a", "b"]), 100)
    with pytest.raises(ValueError, match="empty sample"):
        fgt([], 100)
    with pytest.raises(ValueError, match="'values' must not be negative; row b holds -5"):
        gini(pd.Series([10.0, -5.0], index=["a", "b"]))
    with pytest.raises(ValueError, match="Gini is undefined when .* all values are 0"):
        gini([0, 0])
    with pytest.raises(ValueError, match="empty sample"):
        gini([])
    with pytest.raises(TypeError, match="must hold numbers; row 1 holds 'x'"):
        gini(["1", "x"])
    with pytest.raises(ValueError, match="'weights' sum to zero"):
        gini([1, 2], weights=[0, 0])


def test_quintiles_errors():
    with pytest.raises(ValueError, match="n must be a whole number of groups.*got 0"):
        quintiles([1, 2], n=0)
    with pytest.raises(ValueError, match="got 2.5"):
        quintiles([1, 2], n=2.5)
    with pytest.raises(ValueError, match="'values' has 1 missing value"):
        quintiles([1, np.nan])
    with pytest.raises(ValueError, match="'weights' must not be negative"):
        quintiles([1, 2], weights=[1, -1])
    with pytest.raises(ValueError, match="one value per observation"):
        quintiles([1, 2], weights=[1])
