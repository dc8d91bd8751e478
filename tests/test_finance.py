"""Financing social protection: budget review, PEFA composition variance, adequacy, costing.

Hand-worked cases for each indicator; the bundled WPP 2024 totals for the population of
the costing; and an independent implementation of every computation in DuckDB SQL or
numpy.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

import socialprotection as sp

POP = sp.data_dir() / "wpp2024_pop_age5_sex_1july_5y.csv"
ANNUAL = sp.data_dir() / "wpp2024_annual_indicators.csv"


def budget(*rows, **extra):
    frame = pd.DataFrame(rows, columns=["programme", "year", "approved", "executed"])
    return frame.assign(**extra)


# ---------------------------------------------------------------- budget: hand-worked


def test_execution_rate_by_hand():
    out = sp.execution_rates(budget(("A", 2023, 200.0, 180.0), ("B", 2023, 50.0, 55.0)))
    assert out["execution_rate_pct"].tolist() == [90.0, 110.0]
    assert out["deviation_pct"].tolist() == [-10.0, 10.0]


def test_composition_variance_by_hand():
    # Totals equal: the adjusted budget is the budget; |120-100| + |80-100| = 40 of 200.
    same = sp.composition_variance(budget(("A", 2023, 100.0, 120.0), ("B", 2023, 100.0, 80.0)))
    assert same["composition_variance_pct"].item() == pytest.approx(20.0)
    # Totals differ: outturn 90 of 100 -> adjusted 45 and 45; |60-45| + |30-45| = 30 of 90.
    scaled = sp.composition_variance(budget(("A", 2023, 50.0, 60.0), ("B", 2023, 50.0, 30.0)))
    assert scaled["composition_variance_pct"].item() == pytest.approx(100 * 30 / 90)
    assert scaled["execution_rate_pct"].item() == pytest.approx(90.0)
    # A uniform cut changes the aggregate, not the composition.
    cut = sp.composition_variance(budget(("A", 2023, 100.0, 80.0), ("B", 2023, 50.0, 40.0)))
    assert cut["composition_variance_pct"].item() == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("variances", "score"),
    [
        ([4.9, 4.9, 40.0], "A"),  # two of three years below 5
        ([5.0, 4.0, 9.0], "B"),  # "less than 5": 5.0 is not below
        ([9.9, 14.9, 50.0], "C"),
        ([14.9, 15.0, 16.0], "D"),
        ([1.0, 20.0, 9.0], "B"),
    ],
)
def test_pefa_composition_score_follows_the_band_text(variances, score):
    assert sp.pefa_composition_score(variances) == score


def test_pefa_bands_are_the_verified_ceilings():
    assert sp.PEFA_PI2_BANDS == {"A": 5.0, "B": 10.0, "C": 15.0}


# ---------------------------------------------------------------- PEFA PI-1: execution bands


def test_pefa_pi1_bands_are_the_quoted_ones_with_their_source():
    # Quoted in reference_tables.yaml from NSO Malta's SDG 16.6.1 page (a secondary source).
    assert sp.PEFA_PI1_BANDS == {"A": (95.0, 105.0), "B": (90.0, 110.0), "C": (85.0, 115.0)}
    from socialprotection.finance._reference import _tables

    table = _tables()["pefa_pi1"]
    for row in table["bands"]:
        assert row["source"] == "nso_malta_sdg_16_6_1"
        assert f"{row['lower_pct']:g}%" in row["quote"] and f"{row['upper_pct']:g}%" in row["quote"]
        assert "at least two of the last three years" in row["quote"]
    assert "SECONDARY" in sp.reference_table_sources()["pefa_pi1"]


@pytest.mark.parametrize(
    ("rate", "band"),
    [
        (95.0, "A"),  # "between 95% and 105%": both limits included
        (105.0, "A"),
        (100.0, "A"),
        (94.99, "B"),
        (105.01, "B"),
        (90.0, "B"),
        (110.0, "B"),
        (89.99, "C"),
        (115.0, "C"),
        (85.0, "C"),
        (84.99, "D"),
        (115.01, "D"),
        (0.0, "D"),
    ],
)
def test_pefa_execution_band_by_hand(rate, band):
    assert sp.pefa_execution_band(rate) == band


@pytest.mark.parametrize(
    ("rates", "score"),
    [
        ([95.0, 105.0, 50.0], "A"),  # two of three exactly at the limits of A
        ([94.99, 105.0, 100.0], "A"),  # 105 and 100 are in A
        ([94.99, 105.01, 100.0], "B"),  # only one year in A; all three in B
        ([100.0, 80.0, 120.0], "D"),  # one good year is not enough
        ([100.0, 88.0, 112.0], "C"),  # A once, B once, C three times
        ([86.0, 114.0, 60.0], "C"),
        ([84.99, 115.01, 100.0], "D"),
        ([50.0, 96.0, 104.0], "A"),  # the order of the years does not matter
    ],
)
def test_pefa_execution_score_two_of_three_years(rates, score):
    assert sp.pefa_execution_score(rates) == score


def test_pefa_execution_score_takes_the_last_three_years_of_a_series():
    rates = pd.Series({2018: 100.0, 2019: 100.0, 2020: 70.0, 2021: 120.0, 2022: 99.0})
    assert sp.pefa_execution_score(rates) == "D"  # 2018 and 2019 are not scored
    shuffled = rates.iloc[[4, 0, 3, 1, 2]]
    assert sp.pefa_execution_score(shuffled) == "D"


@pytest.mark.parametrize(
    ("rates", "error", "match"),
    [
        ([96.0, 97.0], ValueError, "give three rates.*got 2"),
        ([96.0, 97.0, 98.0, 99.0], ValueError, "got 4"),
        (pd.Series({2021: 96.0, 2022: 97.0}, name="rate"), ValueError, r"2 year\(s\).*needs three"),
        (pd.Series({2019: 96.0, 2021: 97.0, 2022: 98.0}), ValueError, "not consecutive"),
        (pd.Series(dtype=float, name="rate"), ValueError, "no values"),
        ([96.0, float("nan"), 98.0], ValueError, "position 1 is missing"),
        ([96.0, -1.0, 98.0], ValueError, "-1.0"),
        ([96.0, "97", 98.0], TypeError, "'97'"),
        ([0.96, 0.97, 1.02], ValueError, "look like shares"),
        (pd.DataFrame({"r": [1.0, 2.0, 3.0]}), TypeError, "not a DataFrame"),
    ],
)
def test_pefa_execution_score_refuses_bad_input(rates, error, match):
    with pytest.raises(error, match=match):
        sp.pefa_execution_score(rates)


def test_pefa_execution_score_agrees_with_duckdb():
    rng = np.random.default_rng(12)
    n = 400
    rates = rng.choice([85.0, 90.0, 95.0, 105.0, 110.0, 115.0], size=(n, 3))
    rates = (
        rates
        + rng.choice([-0.01, 0.0, 0.01, 0.0], size=(n, 3))
        + rng.normal(0, 6, (n, 3)) * (rng.random((n, 3)) < 0.5)
    )
    rates = np.clip(rates, 0, None)
    long = pd.DataFrame({"id": np.repeat(np.arange(n), 3), "rate": rates.ravel()})
    bands = pd.DataFrame(
        [(k, lo, hi) for k, (lo, hi) in sp.PEFA_PI1_BANDS.items()], columns=["score", "lo", "hi"]
    )
    con = duckdb.connect()
    con.register("long", long)
    con.register("bands", bands)
    sql = con.sql(
        """
        WITH met AS (
            SELECT l.id, b.score, count(*) AS years
            FROM long AS l JOIN bands AS b ON l.rate BETWEEN b.lo AND b.hi
            GROUP BY l.id, b.score
        ), ids AS (SELECT DISTINCT id FROM long)
        SELECT ids.id, coalesce(min(met.score) FILTER (WHERE met.years >= 2), 'D') AS score
        FROM ids LEFT JOIN met ON ids.id = met.id
        GROUP BY ids.id ORDER BY ids.id
        """
    ).df()
    ours = [sp.pefa_execution_score(row) for row in rates]
    assert ours == sql["score"].tolist()
    # numpy, a second way: the best band whose count of years inside is at least two.
    lo = np.array([b[0] for b in sp.PEFA_PI1_BANDS.values()])
    hi = np.array([b[1] for b in sp.PEFA_PI1_BANDS.values()])
    inside = (rates[:, :, None] >= lo) & (rates[:, :, None] <= hi)
    met = inside.sum(axis=1) >= 2
    letters = np.array(list(sp.PEFA_PI1_BANDS))
    by_numpy = np.where(met.any(axis=1), letters[met.argmax(axis=1)], "D")
    assert ours == by_numpy.tolist()


def test_budget_review_gives_the_pi1_band_of_each_year():
    table = budget(("A", 2022, 100.0, 95.0), ("A", 2023, 100.0, 89.0), ("A", 2024, 100.0, None))
    review = sp.budget_review(table)
    assert review["pefa_pi1_band"].tolist() == ["A", "C"]


# ---------------------------------------------------------------- ILO C102: Schedule to Part XI


def test_c102_schedule_is_the_convention_text():
    # Schedule to Part XI, read in the English text (BWBV0004942), row by row.
    expected = [
        ("III", "Sickness", "Man with wife and two children", 45),
        ("IV", "Unemployment", "Man with wife and two children", 45),
        ("V", "Old age", "Man with wife of pensionable age", 40),
        ("VI", "Employment injury: incapacity for work", "Man with wife and two children", 50),
        ("VI", "Employment injury: invalidity", "Man with wife and two children", 50),
        ("VI", "Employment injury: survivors", "Widow with two children", 40),
        ("VIII", "Maternity", "Woman", 45),
        ("IX", "Invalidity", "Man with wife and two children", 40),
        ("X", "Survivors", "Widow with two children", 40),
    ]
    table = sp.c102_minimum_rates()
    got = list(
        table[["part", "contingency", "standard_beneficiary", "percentage"]].itertuples(
            index=False, name=None
        )
    )
    assert got == expected
    assert set(table["source"]) == {"ilo_c102"}
    assert table["article_basis"].str.contains("Articles 65 to 67").all()


@pytest.mark.parametrize(
    ("rate", "part", "contingency", "minimum", "gap"),
    [
        (35.0, "V", None, 40.0, -5.0),
        (40.0, "v", None, 40.0, 0.0),  # exactly at the minimum meets it
        (45.0, 3, None, 45.0, 0.0),
        (60.0, "Part VI", "Survivors", 40.0, 20.0),
        (30.0, "VI", "incapacity for work", 50.0, -20.0),
        (0.0, "VIII", "Maternity", 45.0, -45.0),
    ],
)
def test_c102_gap_by_hand(rate, part, contingency, minimum, gap):
    out = sp.c102_gap(rate, part, contingency)
    assert out["minimum_pct"] == minimum
    assert out["gap_pct"] == pytest.approx(gap)
    assert out["meets_minimum"] == (gap >= 0)


@pytest.mark.parametrize(
    ("args", "error", "match"),
    [
        ((35.0, "VII"), ValueError, "part 'VII' has no row"),
        ((35.0, 2), ValueError, "part 2 has no row"),
        ((35.0, "XI"), ValueError, "part 'XI'"),
        ((35.0, 1.5), TypeError, "1.5"),
        ((35.0, "VI"), ValueError, "give contingency"),
        ((35.0, "VI", "old age"), ValueError, "'old age' is not in Part VI"),
        ((35.0, "V", "Maternity"), ValueError, "'Maternity' does not match Part V"),
        ((-3.0, "V"), ValueError, "-3.0"),
        ((float("nan"), "V"), ValueError, "missing"),
        ((float("inf"), "V"), ValueError, "inf"),
        ((0.4, "V"), ValueError, "0.4 looks like a share"),
        (("40", "V"), TypeError, "'40'"),
    ],
)
def test_c102_gap_refuses_bad_input(args, error, match):
    with pytest.raises(error, match=match):
        sp.c102_gap(*args)


def test_benefit_adequacy_with_the_c102_minimum():
    out = sp.benefit_adequacy(90.0, reference_earnings_month=200.0, c102_part="IV")
    assert out.to_dict() == {
        "replacement_rate_pct": 45.0,
        "c102_minimum_pct": 45.0,
        "c102_gap_pct": 0.0,
    }
    with pytest.raises(ValueError, match="give reference_earnings_month"):
        sp.benefit_adequacy(90.0, poverty_line_month=100.0, c102_part="V")
    with pytest.raises(ValueError, match="needs c102_part"):
        sp.benefit_adequacy(90.0, reference_earnings_month=200.0, c102_contingency="survivors")
    with pytest.raises(ValueError, match="'XII'"):
        sp.benefit_adequacy(90.0, reference_earnings_month=200.0, c102_part="XII")


def test_budget_review_by_hand():
    table = budget(
        ("Pensions", 2023, 300.0, 330.0),
        ("Child benefit", 2023, 100.0, 70.0),
        admin_cost=[9.0, 11.0],
    )
    out = sp.budget_review(table, gdp={2023: 10_000.0}, government_expenditure={2023: 2_000.0})
    row = out.iloc[0]
    assert row["execution_rate_pct"] == pytest.approx(100.0)
    assert row["admin_cost_ratio_pct"] == pytest.approx(100 * 20 / 400)
    assert row["pct_of_gdp"] == pytest.approx(4.0)
    assert row["pct_of_government_expenditure"] == pytest.approx(20.0)


def test_spending_composition_by_hand():
    table = budget(("P", 2023, 1.0, 30.0), ("C", 2023, 1.0, 10.0), function=["old", "fam"])
    out = sp.spending_composition(table, by="function")
    assert out.set_index("function")["share_pct"].to_dict() == {"old": 75.0, "fam": 25.0}


def test_missing_amounts_are_counted_not_dropped_silently():
    table = budget(("A", 2022, 100.0, 90.0), ("A", 2023, 100.0, None), ("B", 2023, None, None))
    assert sp.validate_budget(table).attrs["missing"] == {"approved": 1, "executed": 2}
    assert sp.composition_variance(table).attrs["left_out"] == 2
    assert sp.execution_rates(table).attrs["missing_executed"] == 2


# ---------------------------------------------------------------- budget: independent SQL


def random_budgets(seed):
    rng = np.random.default_rng(seed)
    rows = []
    for year in (2021, 2022, 2023):
        for k in range(rng.integers(2, 7)):
            approved = float(rng.uniform(10, 500))
            rows.append((f"P{k}", year, approved, float(approved * rng.uniform(0.6, 1.4))))
    return budget(*rows)


@pytest.mark.parametrize("seed", range(5))
def test_composition_variance_against_sql(seed):
    table = random_budgets(seed)
    con = duckdb.connect()
    con.register("budgets", table)
    mine = sp.composition_variance(table).set_index("year")["composition_variance_pct"]
    sql = (
        con.sql(
            """
        WITH t AS (SELECT year, SUM(approved) AS b, SUM(executed) AS x FROM budgets GROUP BY year)
        SELECT year,
               100 * SUM(ABS(executed - approved * x / b)) / MAX(x) AS v
        FROM budgets JOIN t USING (year) GROUP BY year ORDER BY year
        """
        )
        .df()
        .set_index("year")["v"]
    )
    np.testing.assert_allclose(mine.to_numpy(), sql.to_numpy(), rtol=1e-12)
    shares = sp.spending_composition(table)
    np.testing.assert_allclose(shares.groupby("year")["share_pct"].sum(), 100.0)


# ---------------------------------------------------------------- budget: bad input


def test_negative_budget_names_column_row_and_value():
    with pytest.raises(ValueError, match=r"column 'approved' must not be negative; row 1 holds -5"):
        sp.validate_budget(budget(("A", 2022, 10.0, 9.0), ("A", 2023, -5.0, 9.0)))


def test_execution_without_approved_budget_is_refused():
    with pytest.raises(ValueError, match=r"row 1 \(B, 2023\) has an executed amount of 40"):
        sp.execution_rates(budget(("A", 2023, 10.0, 9.0), ("B", 2023, None, 40.0)))


def test_currency_must_match_the_country():
    table = budget(("A", 2023, 10.0, 9.0), currency=["TJS"])
    assert sp.validate_budget(table, country="TJK").shape == (1, 5)
    with pytest.raises(ValueError, match=r"'currency', row 0: 'TJS' is not the currency of LAO"):
        sp.validate_budget(table, country="LAO")


def test_duplicate_programme_year_and_bad_year_are_refused():
    with pytest.raises(ValueError, match="appears twice in year 2023"):
        sp.validate_budget(budget(("A", 2023, 1.0, 1.0), ("A", 2023, 2.0, 2.0)))
    with pytest.raises(TypeError, match="column 'year' must hold numbers; row 0 holds 'last'"):
        sp.validate_budget(budget(("A", "last", 1.0, 1.0)))


def test_read_budget_from_the_template(tmp_path):
    path = tmp_path / "budget.csv"
    sp.budget_template("LAO").to_csv(path, index=False)
    with pytest.raises(ValueError, match="still an EXAMPLE row"):
        sp.read_budget(path, "LAO")
    filled = sp.budget_template("LAO").assign(programme=["Pension", "Child"])
    filled.to_csv(path, index=False)
    assert sp.read_budget(path, "LAO")["executed"].sum() == pytest.approx(1250.0)
    filled.drop(columns="admin_cost").to_csv(path, index=False)
    with pytest.raises(KeyError, match="missing column"):
        sp.read_budget(path, "LAO")


def test_the_template_file_of_the_book_matches_the_library():
    from pathlib import Path

    book = Path(__file__).resolve().parents[1] / "book" / "trainers" / "finance-budget-template.csv"
    pd.testing.assert_frame_equal(pd.read_csv(book), sp.budget_template("TJK"))


# ---------------------------------------------------------------- adequacy


def test_adequacy_by_hand():
    out = sp.benefit_adequacy(
        50.0,
        poverty_line_month=200.0,
        minimum_wage_month=400.0,
        gdp_per_capita_year=6000.0,
        reference_earnings_month=125.0,
    )
    assert out.to_dict() == {
        "pct_of_poverty_line": 25.0,
        "pct_of_minimum_wage": 12.5,
        "pct_of_gdp_per_capita": 10.0,
        "replacement_rate_pct": 40.0,
    }
    with pytest.raises(ValueError, match="poverty_line_month must be positive; got 0"):
        sp.benefit_adequacy(1.0, poverty_line_month=0)


def test_real_value_against_numpy():
    prices = pd.Series({2020: 100.0, 2021: 110.0, 2022: 121.0})
    np.testing.assert_allclose(sp.real_value(121.0, prices), 121.0 / (prices.to_numpy() / 100))


# ---------------------------------------------------------------- population: bundled WPP


@pytest.mark.parametrize("country", ["TJK", "LAO", "KAZ"])
def test_five_year_totals_are_mid_year_means_of_the_annual_file(country):
    """PROVENANCE: 1 July total of year t = mean of the end-of-year totals of t-1 and t."""
    annual = sp.load("wpp2024_annual_indicators")
    pop = annual[
        (annual["iso3"] == country)
        & (annual["indicator"] == "population_thousands")
        & (annual["sex"] == "both")
    ].set_index("year")["value"]
    for year in range(2025, 2101, 5):
        expected = 1000 * (pop[year - 1] + pop[year]) / 2
        assert sp.population_by_age(country, year) == pytest.approx(expected, rel=5e-7)


def test_provenance_totals_of_tajikistan():
    assert sp.population_by_age("TJK", 2025) / 1e3 == pytest.approx(10786.7, abs=0.05)
    assert sp.population_by_age("TJK", 2050) / 1e3 == pytest.approx(15574.6, abs=0.05)


def sql_band(country, year, age_min, age_max, variant="median", sex=None):
    """Population of a band on a grid year, in persons, in SQL (uniform split of groups)."""
    top = 10_000 if age_max is None else age_max
    sex_filter = "" if sex is None else f"AND sex = '{sex}'"
    return duckdb.sql(
        f"""
        SELECT 1000 * SUM(pop_thousands * CASE
                 WHEN age_start >= 100 THEN CASE WHEN {top} >= 10000 THEN 1 ELSE 0 END
                 ELSE GREATEST(0, LEAST(age_start + 4, {top}) - GREATEST(age_start, {age_min}) + 1)
                      / 5.0 END)
        FROM read_csv_auto('{POP}')
        WHERE iso3 = '{country}' AND year = {year}
          AND variant IN ('{variant}', 'estimate') {sex_filter}
        """
    ).fetchall()[0][0]


@pytest.mark.parametrize(
    ("country", "year", "age_min", "age_max", "sex"),
    [
        ("TJK", 2030, 65, None, None),
        ("LAO", 2025, 0, 17, None),
        ("LAO", 2050, 15, 49, "female"),
        ("TJK", 2020, 0, 2, None),
        ("TJK", 2100, 97, None, "male"),
    ],
)
def test_population_band_against_sql(country, year, age_min, age_max, sex):
    mine = sp.population_by_age(country, year, age_min, age_max, sex=sex or "both")
    assert mine == pytest.approx(sql_band(country, year, age_min, age_max, sex=sex), rel=1e-12)


def test_population_between_grid_years_is_linear():
    a, b = sp.population_by_age("LAO", 2025, 60), sp.population_by_age("LAO", 2030, 60)
    assert sp.population_by_age("LAO", 2027, 60) == pytest.approx(0.6 * a + 0.4 * b)


def test_variants_differ_only_for_the_young():
    old = [sp.population_by_age("TJK", 2040, 20, variant=v) for v in sp.finance._costing.VARIANTS]
    young = [
        sp.population_by_age("TJK", 2040, 0, 9, variant=v)
        for v in ("median", "low_minus_half_child")
    ]
    assert old[0] == pytest.approx(old[1]) == pytest.approx(old[2])
    assert young[0] > young[1]


# ---------------------------------------------------------------- costing: hand-worked


PENSION = {
    "benefit": "Social pension",
    "age_min": 65,
    "take_up": 0.5,
    "level": 100.0,
    "level_unit": "lcu_month",
    "indexation": "prices",
    "admin_rate": 0.1,
}
ASSUME = {"real_growth_pct": 5.0, "inflation_pct": 4.0, "base_year": 2025}


def test_cost_floor_hand_worked_case():
    """eligible x benefit x take-up x (1 + administration), projected."""
    out = sp.cost_floor("TJK", [PENSION], [2025, 2030], **ASSUME).set_index("year")
    macro = sp.base_year_macro("TJK", 2025)
    for year in (2025, 2030):
        eligible = sql_band("TJK", year, 65, None)
        monthly = 100.0 * 1.04 ** (year - 2025)
        cost = eligible * 0.5 * monthly * 12 * (1 + 0.1)
        gdp = macro["gdp_lcu"] * (1.05 * 1.04) ** (year - 2025)
        assert out.loc[year, "eligible"] == pytest.approx(eligible, rel=1e-12)
        assert out.loc[year, "cost_lcu"] == pytest.approx(cost, rel=1e-12)
        assert out.loc[year, "cost_pct_gdp"] == pytest.approx(100 * cost / gdp, rel=1e-12)
        usd = cost / 1.04 ** (year - 2025) / macro["exchange_rate"]
        assert out.loc[year, "cost_usd_base_prices"] == pytest.approx(usd, rel=1e-12)
        expense = gdp * macro["expense_pct_gdp"] / 100
        assert out.loc[year, "cost_pct_government_expense"] == pytest.approx(100 * cost / expense)
    # every parameter is named in the output
    for column in (
        "take_up",
        "level",
        "level_unit",
        "indexation",
        "admin_rate",
        "months",
        "real_growth_pct",
        "inflation_pct",
        "base_year",
        "currency",
        "variant",
    ):
        assert column in out.columns


def test_indexation_rules():
    def cost(indexation):
        one = {**PENSION, "indexation": indexation}
        return sp.cost_floor("TJK", [one], [2035], **ASSUME)["benefit_lcu_month"].item()

    assert cost("none") == pytest.approx(100.0)
    assert cost("prices") == pytest.approx(100.0 * 1.04**10)
    gdp_pc = sp.macro_projection("TJK", [2035], **ASSUME).set_index("year")["gdp_per_capita_lcu"]
    assert cost("gdp_per_capita") == pytest.approx(100.0 * gdp_pc[2035] / gdp_pc[2025])


def test_share_of_gdp_per_capita_gives_a_share_of_gdp():
    """A pension of 10 % of GDP per capita to all over 65: 10 % x their share of people."""
    one = {
        **PENSION,
        "take_up": 1.0,
        "level": 10.0,
        "level_unit": "gdp_per_capita_pct",
        "indexation": "gdp_per_capita",
        "admin_rate": 0.0,
    }
    out = sp.cost_floor(
        "LAO", [one], [2024, 2040], real_growth_pct=4, inflation_pct=3, base_year=2024
    ).set_index("year")
    for year in (2024, 2040):
        share = sp.population_by_age("LAO", year, 65) / sp.population_by_age("LAO", year)
        assert out.loc[year, "cost_pct_gdp"] == pytest.approx(10 * share, rel=1e-10)


def test_maternity_uses_the_births_of_the_year():
    maternity = {
        "benefit": "Maternity",
        "kind": "births",
        "take_up": 0.8,
        "level": 50.0,
        "level_unit": "poverty_line_pct",
        "months": 4,
        "indexation": "none",
    }
    out = sp.cost_floor(
        "LAO",
        [maternity],
        [2030],
        real_growth_pct=4,
        inflation_pct=3,
        base_year=2024,
        poverty_line_lcu_month=1000.0,
    )
    births = duckdb.sql(
        f"SELECT 1000 * value FROM read_csv_auto('{ANNUAL}') WHERE iso3 = 'LAO' AND "
        "year = 2030 AND indicator = 'births_thousands' AND sex = 'both'"
    ).fetchall()[0][0]
    assert out["cost_lcu"].item() == pytest.approx(births * 0.8 * 500.0 * 4)


def test_disability_uses_a_prevalence():
    disability = {
        "benefit": "Disability",
        "age_min": 18,
        "age_max": 64,
        "prevalence": 0.02,
        "take_up": 1.0,
        "level": 100.0,
        "level_unit": "lcu_month",
    }
    out = sp.cost_floor("TJK", [disability], [2030], **ASSUME)
    assert out["eligible"].item() == pytest.approx(0.02 * sql_band("TJK", 2030, 18, 64))


def test_scenarios_and_totals_against_numpy():
    child = {
        "benefit": "Child",
        "age_min": 0,
        "age_max": 5,
        "take_up": 0.9,
        "level": 5.0,
        "level_unit": "gdp_per_capita_pct",
        "admin_rate": 0.05,
    }
    both = sp.cost_floor("TJK", [PENSION, child], range(2025, 2051, 5), **ASSUME)
    totals = sp.floor_totals(both).set_index("year")["cost_pct_gdp"]
    by_hand = both.pivot(index="year", columns="benefit", values="cost_pct_gdp").to_numpy().sum(1)
    np.testing.assert_allclose(totals.to_numpy(), by_hand)
    low = sp.cost_floor("TJK", [{**PENSION, "take_up": 0.25}], [2030], **ASSUME)
    side = sp.compare_scenarios({"half": both[both["benefit"] == "Social pension"], "low": low})
    assert side.loc[2030, "low"] == pytest.approx(side.loc[2030, "half"] / 2)


def test_sensitivity_elasticities():
    table = sp.cost_sensitivity("TJK", [PENSION], 2040, **ASSUME)
    e = table.set_index("parameter")["elasticity"]
    assert e["take_up"] == pytest.approx(1.0)
    # admin: cost proportional to 1 + a, so the elasticity is a / (1 + a)
    assert e["admin_rate"] == pytest.approx(0.1 / 1.1)
    # a benefit fixed in prices loses against real growth: elasticity is negative
    assert e["real_growth_pct"] < 0
    full = sp.cost_sensitivity(
        "TJK", [{**PENSION, "take_up": 1.0}], 2040, parameters=["take_up"], **ASSUME
    )
    assert np.isnan(full["cost_if_higher"].item()) and "above 1" in full["note"].item()


# ---------------------------------------------------------------- costing: bad input


def test_take_up_above_one_is_refused():
    message = r"'take_up', row 0 \(benefit 'Social pension'\) holds 1.2"
    with pytest.raises(ValueError, match=message):
        sp.cost_floor("TJK", [{**PENSION, "take_up": 1.2}], [2030], **ASSUME)


@pytest.mark.parametrize(("age_min", "age_max"), [(60, 120), (-1, 5), (110, None), (30, 20)])
def test_age_band_outside_the_data_is_refused(age_min, age_max):
    one = {**PENSION, "age_min": age_min, "age_max": age_max}
    with pytest.raises(ValueError, match="outside the data: WPP 2024"):
        sp.cost_floor("TJK", [one], [2030], **ASSUME)


def test_currency_of_a_costing_must_match():
    with pytest.raises(ValueError, match="'LAK' is not the currency of TJK; expected 'TJS'"):
        sp.cost_floor("TJK", [PENSION], [2030], currency="LAK", **ASSUME)


def test_years_before_the_base_year_and_missing_poverty_line_are_refused():
    with pytest.raises(ValueError, match="starts in the base year 2025"):
        sp.cost_floor("TJK", [PENSION], [2020], **ASSUME)
    line = {**PENSION, "level_unit": "poverty_line_pct"}
    with pytest.raises(ValueError, match="needs poverty_line_lcu_month"):
        sp.cost_floor("TJK", [line], [2030], **ASSUME)
    with pytest.raises(ValueError, match="column 'level_unit': row 0 holds 'usd'"):
        sp.cost_floor("TJK", [{**PENSION, "level_unit": "usd"}], [2030], **ASSUME)


def test_international_poverty_line_against_numpy():
    wdi = sp.load("wdi_macro_poverty_labour")
    tjk = wdi[wdi["iso3"] == "TJK"].pivot(index="year", columns="indicator_code", values="value")
    factor = tjk.loc[2021, "NY.GDP.PCAP.CD"] * tjk.loc[2021, "PA.NUS.FCRF"]
    factor /= tjk.loc[2021, "NY.GDP.PCAP.PP.CD"]
    line = sp.international_poverty_line("TJK", 2023)
    moved = np.prod(1 + tjk.loc[[2022, 2023], "NY.GDP.DEFL.KD.ZG"].to_numpy() / 100)
    assert line["lcu_per_month"] == pytest.approx(3.0 * factor * 365 / 12 * moved)
    back = sp.international_poverty_line("TJK", 2020)
    assert back["lcu_per_month"] == pytest.approx(
        3.0 * factor * 365 / 12 / (1 + tjk.loc[2021, "NY.GDP.DEFL.KD.ZG"] / 100)
    )


def test_currencies_match_the_unicode_cldr_data():
    """sp.CURRENCIES against CLDR (via babel): ISO3 -> ISO 3166 alpha-2 -> legal tender."""
    import datetime

    from babel.core import get_global
    from babel.numbers import get_territory_currencies

    aliases = get_global("territory_aliases")
    for iso3, currency in sp.CURRENCIES.items():
        (alpha2,) = aliases[iso3]
        assert get_territory_currencies(alpha2, datetime.date(2024, 7, 1)) == [currency], iso3
    assert set(sp.CURRENCIES) == set(sp.load("countries")["iso3"])
