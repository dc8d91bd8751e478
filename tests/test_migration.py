"""Migrant workers: migrant stock, remittances, coordination of pensions, remittance shock.

Hand-worked cases for each regime of :func:`sp.pension_entitlements` (the rules of the
reference on migrant workers, last section), an independent implementation in DuckDB
SQL on random careers, a hand-worked household table for the remittance shock and an
independent SQL computation on the synthetic survey.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

import socialprotection as sp


def career(*periods):
    return pd.DataFrame(periods, columns=["country", "years", "reference_earnings"])


def rules(*rows):
    return pd.DataFrame(
        rows, columns=["country", "min_years", "accrual_rate", "max_years", "minimum_pension"]
    )


def paid(history, table, regime, residence=None):
    out = sp.pension_entitlements(history, table, regime, residence)
    return out.set_index("country")["paid"].round(10).to_dict()


# ---------------------------------------------------------------- hand-worked careers

# 10 years in A and 10 in B; each country needs 15 years.
SHORT = career(("A", 10, 100.0), ("B", 10, 100.0))
SHORT_RULES = rules(("A", 15, 0.01, 40, 0.0), ("B", 15, 0.02, 40, 0.0))


def test_a_career_that_qualifies_nowhere_without_totalisation():
    assert paid(SHORT, SHORT_RULES, "none") == {"A": 0.0, "B": 0.0, "total": 0.0}
    out = sp.pension_entitlements(SHORT, SHORT_RULES, "none")
    assert out["eligible"].tolist() == [False, False, False]
    assert out["theoretical"].isna().all()
    # Totalisation: T = 20 >= 15 in both. A: 0.01 x 20 x 100 = 20, pays 10/20 of it.
    # B: 0.02 x 20 x 100 = 40, pays half: 20.
    out = sp.pension_entitlements(SHORT, SHORT_RULES, "pro_rata")
    assert out["theoretical"].tolist()[:2] == [20.0, 40.0]
    assert paid(SHORT, SHORT_RULES, "pro_rata") == {"A": 10.0, "B": 20.0, "total": 30.0}
    assert out["eligible"].tolist() == [True, True, True]
    # Residence in B: only B pays, on the whole career: 0.02 x 20 x 100 = 40.
    assert paid(SHORT, SHORT_RULES, "residence", "B") == {"A": 0.0, "B": 40.0, "total": 40.0}
    assert paid(SHORT, SHORT_RULES, "residence", "A") == {"A": 20.0, "B": 0.0, "total": 20.0}


def test_a_minimum_pension_makes_pro_rata_differ_from_territoriality():
    history = career(("A", 30, 100.0), ("B", 20, 100.0))
    table = rules(("A", 15, 0.01, 50, 60.0), ("B", 15, 0.01, 50, 0.0))
    # None: A max(60, 0.01 x 30 x 100 = 30) = 60; B 0.01 x 20 x 100 = 20.
    assert paid(history, table, "none") == {"A": 60.0, "B": 20.0, "total": 80.0}
    # Pro-rata: T = 50. A theoretical max(60, 50) = 60, pays 30/50: 36. B 50 x 20/50 = 20.
    assert paid(history, table, "pro_rata") == {"A": 36.0, "B": 20.0, "total": 56.0}
    # Without the minimum the formula is linear in years: pro-rata equals territoriality.
    linear = table.assign(minimum_pension=0.0)
    assert paid(history, linear, "pro_rata") == paid(history, linear, "none")


def test_a_cap_on_counted_years():
    history = career(("A", 30, 100.0), ("B", 20, 100.0))
    table = rules(("A", 10, 0.01, 35, 0.0), ("B", 10, 0.01, 35, 0.0))
    assert paid(history, table, "none") == {"A": 30.0, "B": 20.0, "total": 50.0}
    # T = 50 is capped at 35: theoretical 35 in each, paid 35 x 30/50 = 21 and 35 x 20/50 = 14.
    out = sp.pension_entitlements(history, table, "pro_rata")
    assert out["theoretical"].tolist()[:2] == [35.0, 35.0]
    assert paid(history, table, "pro_rata") == {"A": 21.0, "B": 14.0, "total": 35.0}
    assert paid(history, table, "residence", "A") == {"A": 35.0, "B": 0.0, "total": 35.0}


def test_residence_uses_the_years_weighted_mean_earnings():
    history = career(("A", 10, 100.0), ("B", 30, 200.0))
    table = rules(("A", 15, 0.01, 40, 0.0), ("B", 15, 0.02, 40, 0.0))
    # mean earnings (10 x 100 + 30 x 200) / 40 = 175; A: 0.01 x 40 x 175 = 70.
    assert paid(history, table, "residence", "A") == {"A": 70.0, "B": 0.0, "total": 70.0}
    assert paid(history, table, "residence", "B") == {"A": 0.0, "B": 140.0, "total": 140.0}
    # Pro-rata uses each country's own earnings: A 0.01 x 40 x 100 x 10/40 = 10;
    # B 0.02 x 40 x 200 x 30/40 = 120.
    assert paid(history, table, "pro_rata") == {"A": 10.0, "B": 120.0, "total": 130.0}


def test_several_periods_in_one_country_and_a_residence_without_periods():
    history = career(("A", 5, 100.0), ("B", 10, 100.0), ("A", 5, 300.0))
    table = rules(("A", 10, 0.01, 40, 0.0), ("B", 15, 0.01, 40, 0.0), ("C", 15, 0.01, 40, 25.0))
    out = sp.pension_entitlements(history, table, "none")
    assert out["country"].tolist() == ["A", "B", "total"]
    assert out["years"].tolist() == [10.0, 10.0, 20.0]
    # A: 10 years at mean earnings 200: 0.01 x 10 x 200 = 20; B: 10 < 15, nothing.
    assert paid(history, table, "none") == {"A": 20.0, "B": 0.0, "total": 20.0}
    # C, the country of residence, has no period but pays on the whole career:
    # max(25, 0.01 x 20 x 150) = 30.
    assert paid(history, table, "residence", "C") == {"A": 0.0, "B": 0.0, "C": 30.0, "total": 30.0}


def test_the_cliff_of_a_minimum_qualifying_period():
    table = rules(("A", 15, 0.01, 40, 0.0))
    just_short = paid(career(("A", 14.9, 100.0)), table, "none")["A"]
    enough = paid(career(("A", 15, 100.0)), table, "none")["A"]
    assert just_short == 0.0 and enough == 15.0


# ---------------------------------------------------------------- independent implementation


SQL = """
WITH c AS (
  SELECT country, SUM(years) AS n,
         CASE WHEN SUM(years) > 0 THEN SUM(years * reference_earnings) / SUM(years) ELSE 0 END AS e
  FROM history GROUP BY country
), t AS (
  SELECT SUM(years) AS total,
         CASE WHEN SUM(years) > 0 THEN SUM(years * reference_earnings) / SUM(years)
              ELSE 0 END AS ebar
  FROM history
)
SELECT c.country,
  CASE WHEN c.n >= r.min_years AND c.n > 0
       THEN GREATEST(r.minimum_pension, r.accrual_rate * LEAST(c.n, r.max_years) * c.e)
       ELSE 0 END AS none,
  CASE WHEN t.total >= r.min_years AND c.n > 0
       THEN GREATEST(r.minimum_pension, r.accrual_rate * LEAST(t.total, r.max_years) * c.e)
            * c.n / t.total
       ELSE 0 END AS pro_rata,
  CASE WHEN c.country = $residence AND t.total >= r.min_years
       THEN GREATEST(r.minimum_pension, r.accrual_rate * LEAST(t.total, r.max_years) * t.ebar)
       ELSE 0 END AS residence
FROM c JOIN rules r USING (country), t
ORDER BY c.country
"""


def test_pension_entitlements_agrees_with_sql_on_random_careers():
    rng = np.random.default_rng(2026)
    countries = ["RUS", "TJK", "KAZ"]
    con = duckdb.connect()
    for _ in range(60):
        k = int(rng.integers(1, 6))
        history = career(
            *[
                (
                    str(rng.choice(countries)),
                    float(rng.integers(0, 25)),
                    float(rng.uniform(50, 500)),
                )
                for _ in range(k)
            ]
        )
        table = rules(
            *[
                (
                    c,
                    float(rng.integers(0, 26)),
                    float(rng.uniform(0, 0.03)),
                    float(rng.integers(10, 45)),
                    float(rng.choice([0.0, 40.0, 80.0])),
                )
                for c in countries
            ]
        )
        residence = str(history["country"].iloc[0])
        con.register("history", history)
        con.register("rules", table)
        expected = con.execute(SQL, {"residence": residence}).df().set_index("country")
        for regime in ("none", "pro_rata", "residence"):
            out = sp.pension_entitlements(history, table, regime, residence).set_index("country")
            got = out["paid"].drop("total").sort_index()
            np.testing.assert_allclose(got.to_numpy(), expected[regime].to_numpy(), rtol=1e-12)
            assert out.loc["total", "paid"] == pytest.approx(got.sum())


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("history", "table", "regime", "residence", "error", "words"),
    [
        (career(("X", 5, 100.0)), SHORT_RULES, "none", None, ValueError, ["'X'", "no rules"]),
        (career(("A", -5, 100.0)), SHORT_RULES, "none", None, ValueError, ["'years'", "-5"]),
        (
            SHORT,
            SHORT_RULES.assign(accrual_rate=[0.01, 1.5]),
            "none",
            None,
            ValueError,
            ["accrual_rate", "1.5", "'B'"],
        ),
        (SHORT, SHORT_RULES, "residence", None, ValueError, ["residence="]),
        (SHORT, SHORT_RULES, "residence", "Z", ValueError, ["'Z'", "no rules"]),
        (SHORT, SHORT_RULES, "totalisation", None, ValueError, ["'pro_rata'"]),
        (SHORT.drop(columns="years"), SHORT_RULES, "none", None, KeyError, ["'years'"]),
        (
            SHORT,
            SHORT_RULES.drop(columns="max_years"),
            "none",
            None,
            KeyError,
            ["'max_years'"],
        ),
        (
            SHORT,
            pd.concat([SHORT_RULES, SHORT_RULES]),
            "none",
            None,
            ValueError,
            ["'A'", "one row"],
        ),
        (career(("A", 5, np.nan)), SHORT_RULES, "none", None, ValueError, ["missing"]),
    ],
)
def test_pension_entitlements_bad_input(history, table, regime, residence, error, words):
    with pytest.raises(error) as caught:
        sp.pension_entitlements(history, table, regime, residence)
    for word in words:
        assert word in str(caught.value)


# ---------------------------------------------------------------- stock, remittances, cost


def test_emigrant_stock_of_tajikistan():
    out = sp.emigrant_stock("TJK", 2019)
    data = sp.load("ims2019_emigrant_stock_by_destination")
    mine = data[(data["origin_iso3"] == "TJK") & (data["year"] == 2019)]
    assert out.attrs["total_migrants"] == int(mine["migrant_stock_persons"].sum())
    first = out.iloc[0]
    assert (first["destination_iso3"], int(first["migrants"])) == ("RUS", 466399)  # PROVENANCE
    population = out.attrs["origin_population"]
    assert first["pct_of_origin_population"] == pytest.approx(100 * 466399 / population)
    assert out["share_of_emigrants"].sum() == pytest.approx(1.0)
    assert "seasonal" in out.attrs["caveat"] and "birth" in out.attrs["caveat"]
    # 2019 lies between the WPP 2019 values of 2015 and 2020 (geometric interpolation).
    p15 = sp.population("TJK", 2015, source="wpp2019")
    p20 = sp.population("TJK", 2020, source="wpp2019")
    assert population == pytest.approx(p15 * (p20 / p15) ** 0.8)
    assert "interpolated" in out.attrs["population_source"]


def test_emigrant_stock_bad_input():
    with pytest.raises(ValueError, match="2019"):
        sp.emigrant_stock("TJK", 2018)
    with pytest.raises(ValueError, match="origins"):
        sp.emigrant_stock("FRA", 2019)
    with pytest.raises(ValueError, match="population="):
        sp.emigrant_stock("TJK", 1990)
    assert sp.emigrant_stock("TJK", 1990, population=5.3e6).attrs["population_source"]


def test_remittances_and_their_cost():
    share = sp.remittances_share_of_gdp("TJK")
    data = sp.load("wdi_remittances_govspend_official_vintages")
    row = data[
        (data["iso3"] == "TJK")
        & (data["year"] == 2024)
        & (data["indicator_code"] == "BX.TRF.PWKR.DT.GD.ZS")
        & (data["vintage"] == "WDI_2025_opennumbers")
    ]
    assert share.loc[share["year"] == 2024, "pct_of_gdp"].item() == row["value"].item()
    cost = sp.remittance_cost("LAO")
    assert not cost["meets_target"].any()
    assert cost["points_above_target"].tolist() == pytest.approx((cost["cost_pct"] - 3.0).tolist())
    with pytest.raises(ValueError, match="vintage"):
        sp.remittances_share_of_gdp("TJK", vintage="2024")


# ---------------------------------------------------------------- remittances in the survey


def test_add_remittances_keeps_the_survey_and_is_seeded():
    survey = sp.household_survey("TJK", n_households=400, seed=5)
    out = sp.add_remittances(survey, seed=1)
    pd.testing.assert_frame_equal(out[survey.columns], survey)
    again = sp.add_remittances(sp.household_survey("TJK", n_households=400, seed=5), seed=1)
    pd.testing.assert_frame_equal(out, again)
    homes = out.drop_duplicates("hh_id")
    share = homes.loc[homes["migrant_member"], "weight"].sum() / homes["weight"].sum()
    assert share == pytest.approx(0.40, abs=0.01)
    assert ((out["remittances_pc"] > 0) == out["migrant_member"]).all()
    transfers = out[[c for c in out.columns if c.endswith("_amount")]].sum(axis=1)
    per_capita = transfers.groupby(out["hh_id"]).transform("sum") / out["hh_size"]
    assert (out["remittances_pc"] < out["consumption_pc"] - per_capita + 1e-6).all()
    assert out.attrs["remittances"]["illustrative"] is True
    assert out.attrs["synthetic"] is True
    with pytest.raises(ValueError, match="1.2"):
        sp.add_remittances(survey, migrant_household_share=1.2)


def hand_table():
    """Four households; poverty line 100, remittances fall by half, response 20 a person."""
    rows = [
        # hh, weight, y, remittances, social assistance amount
        (1, 1.0, 120.0, 60.0, 0.0),
        (1, 1.0, 120.0, 60.0, 0.0),
        (2, 2.0, 80.0, 0.0, 10.0),
        (3, 1.0, 150.0, 40.0, 0.0),
        (4, 1.0, 100.0, 10.0, 0.0),
        (4, 1.0, 100.0, 10.0, 0.0),
    ]
    frame = pd.DataFrame(
        rows, columns=["hh_id", "weight", "consumption_pc", "remittances_pc", "sa"]
    )
    frame["hh_size"] = frame.groupby("hh_id")["hh_id"].transform("size")
    frame["social_assistance_recipient"] = frame["sa"] > 0
    return frame.rename(columns={"sa": "social_assistance_amount"})


def test_remittance_shock_on_a_hand_worked_table():
    out = sp.remittance_shock(hand_table(), 0.5, poverty_line=100, response_pc=20)
    # Before: only household 2 (80) is poor (100 is not below 100): weight 2 of 7.
    # Shock: 120 - 30 = 90, 80, 150 - 20 = 130, 100 - 5 = 95: households 1, 2, 4 poor.
    # Response (horizontal): households 1 and 4 (remittances, poor) get 20: 110 and 115.
    expected = pd.DataFrame(
        {
            "headcount_p0": [2 / 7, 6 / 7, 2 / 7],
            "poverty_gap_p1": [0.4 / 7, 0.7 / 7, 0.4 / 7],
            "severity_p2": [0.08 / 7, 0.105 / 7, 0.08 / 7],
            "poor_persons": [2.0, 6.0, 2.0],
            # The poor before the response: household 2 receives social assistance.
            "coverage_gap": [0.0, 4 / 6, 0.0],
            "response_cost": [0.0, 0.0, 80.0],
            # Money gap 70 before the response, 40 after: 30 of the 80 close gaps.
            "benefit_cost_ratio": [np.nan, np.nan, 30 / 80],
        },
        index=pd.Index(["before", "shock", "shock_and_response"], name="scenario"),
    )
    pd.testing.assert_frame_equal(out, expected, check_exact=False, rtol=1e-12)
    # A vertical response tops up household 2 (80 + 20 = 100: no longer poor).
    vertical = sp.remittance_shock(
        hand_table(), 0.5, poverty_line=100, response_pc=20, response="vertical"
    )
    row = vertical.loc["shock_and_response"]
    assert row["headcount_p0"] == pytest.approx(4 / 7)
    assert row["response_cost"] == pytest.approx(40.0)
    assert row["coverage_gap"] == pytest.approx(4 / 6)
    # No response: the last row equals the shock.
    none = sp.remittance_shock(hand_table(), 0.5, poverty_line=100)
    assert none.loc["shock_and_response", "headcount_p0"] == pytest.approx(6 / 7)
    assert none.loc["shock_and_response", "coverage_gap"] == pytest.approx(4 / 6)


def test_remittance_shock_agrees_with_sql_on_the_synthetic_survey():
    survey = sp.add_remittances(sp.household_survey("TJK", n_households=1500, seed=11), seed=4)
    z = float(survey["consumption_pc"].median())
    fall, response_pc = 0.6, 0.15 * z
    out = sp.remittance_shock(survey, fall, poverty_line=z, response_pc=response_pc)
    con = duckdb.connect()
    con.register(
        "s",
        survey[
            ["hh_id", "weight", "consumption_pc", "remittances_pc", "social_assistance_recipient"]
        ],
    )
    got = (
        con.execute(
            """
        WITH p AS (
          SELECT *, consumption_pc - $fall * remittances_pc AS after,
                 BOOL_OR(social_assistance_recipient) OVER (PARTITION BY hh_id) AS sa_home
          FROM s
        ), q AS (
          SELECT *, after < $z AS poor_after,
                 after + CASE WHEN after < $z AND remittances_pc > 0 THEN $r ELSE 0 END AS final
          FROM p
        )
        SELECT
          SUM(weight * (after < $z)::INT) / SUM(weight) AS p0_shock,
          SUM(weight * GREATEST($z - after, 0) / $z) / SUM(weight) AS p1_shock,
          SUM(weight * POW(GREATEST($z - after, 0) / $z, 2)) / SUM(weight) AS p2_shock,
          SUM(weight * (final < $z)::INT) / SUM(weight) AS p0_response,
          SUM(weight * POW(GREATEST($z - final, 0) / $z, 2)) / SUM(weight) AS p2_response,
          1 - SUM(weight * (poor_after AND sa_home)::INT)
              / SUM(weight * poor_after::INT) AS gap_shock,
          1 - SUM(weight * (poor_after AND (sa_home OR remittances_pc > 0))::INT)
              / SUM(weight * poor_after::INT) AS gap_response,
          SUM(weight * CASE WHEN poor_after AND remittances_pc > 0 THEN $r ELSE 0 END) AS cost
        FROM q
        """,
            {"fall": fall, "z": z, "r": response_pc},
        )
        .df()
        .iloc[0]
    )
    shock, response = out.loc["shock"], out.loc["shock_and_response"]
    assert shock["headcount_p0"] == pytest.approx(got["p0_shock"], rel=1e-9)
    assert shock["poverty_gap_p1"] == pytest.approx(got["p1_shock"], rel=1e-9)
    assert shock["severity_p2"] == pytest.approx(got["p2_shock"], rel=1e-9)
    assert response["headcount_p0"] == pytest.approx(got["p0_response"], rel=1e-9)
    assert response["severity_p2"] == pytest.approx(got["p2_response"], rel=1e-9)
    assert shock["coverage_gap"] == pytest.approx(got["gap_shock"], rel=1e-9)
    assert response["coverage_gap"] == pytest.approx(got["gap_response"], rel=1e-9)
    assert response["response_cost"] == pytest.approx(got["cost"], rel=1e-9)
    assert shock["headcount_p0"] > out.loc["before", "headcount_p0"]


def test_remittance_shock_bad_input():
    frame = hand_table()
    with pytest.raises(KeyError, match="'remittances_pc'"):
        sp.remittance_shock(frame.drop(columns="remittances_pc"), 0.5, poverty_line=100)
    for bad in (1.5, -0.1):
        with pytest.raises(ValueError, match=str(bad)):
            sp.remittance_shock(frame, bad, poverty_line=100)
    with pytest.raises(ValueError, match="'vertical'"):
        sp.remittance_shock(frame, 0.5, poverty_line=100, response="both")
    with pytest.raises(ValueError, match="row 0"):
        sp.remittance_shock(frame.assign(remittances_pc=500.0), 0.5, poverty_line=100)
