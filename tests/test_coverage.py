"""SDG 1.3.1 coverage: hand-worked cases, properties, error paths and published values."""

import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialprotection import coverage as cv
from socialprotection import demography as dm

METHODS = Path(__file__).resolve().parents[2] / "shared" / "reference" / "methods.md"


def admin_frame(rows, index=None):
    columns = ["scheme", "contingency", "contributory", "measure", "sex", "count"]
    return pd.DataFrame(rows, columns=columns, index=index)


# A small country: one scheme or two per contingency, both sexes together.
ADMIN = admin_frame(
    [
        ("child allowance", "children", False, "recipients", "both", 150),
        ("maternity insurance", "maternity", True, "recipients", "female", 30),
        ("maternity grant", "maternity", False, "recipients", "both", 20),
        ("disability pension", "disability", True, "recipients", "both", 40),
        ("unemployment insurance", "unemployment", True, "recipients", "both", 10),
        ("work injury insurance", "employment_injury", True, "protected", "both", 300),
        ("work injury insurance", "employment_injury", True, "recipients", "both", 5),
        ("old-age insurance", "old_age", True, "recipients", "both", 200),
        ("old-age insurance", "old_age", True, "contributors", "both", 900),
        ("social pension", "old_age", False, "recipients", "both", 50),
        ("targeted social assistance", "social_assistance", False, "recipients", "both", 120),
    ]
)
DENOMINATORS = pd.DataFrame(
    {
        "denominator": [
            "children",
            "women_giving_birth",
            "severe_disability",
            "unemployed",
            "labour_force",
            "above_pension_age",
            "vulnerable",
            "poor",
        ],
        "sex": ["both", "female", "both", "both", "both", "both", "both", "both"],
        "value": [1000, 100, 80, 50, 1200, 400, 600, 240],
    }
)


# ---- the SERIES table --------------------------------------------------------------------


def test_series_table_has_the_nine_ilo_series_in_order():
    assert list(cv.SERIES) == [
        "SI_COV_BENFTS",
        "SI_COV_CHLD",
        "SI_COV_MATNL",
        "SI_COV_DISAB",
        "SI_COV_UEMP",
        "SI_COV_WKINJRY",
        "SI_COV_PENSN",
        "SI_COV_VULN",
        "SI_COV_POOR",
    ]
    for series in cv.SERIES.values():
        assert series.denominator_key in cv.DENOMINATORS
        assert series.contingency is None or series.contingency in cv.CONTINGENCIES
    assert cv.SERIES["SI_COV_WKINJRY"].measure == "protected"
    assert cv.SERIES["SI_COV_VULN"].contingency == cv.SERIES["SI_COV_POOR"].contingency


@pytest.mark.skipif(not METHODS.exists(), reason="shared/reference/methods.md is not beside")
def test_series_definitions_are_word_for_word_those_of_methods_md():
    table = {}
    for line in METHODS.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\| (SI_COV_\w+), (.+?) \| (.+?) \| (.+) \|$", line)
        if match:
            table[match[1]] = (match[2], match[3], match[4])
    assert set(table) == set(cv.SERIES)
    for code, (title, numerator, denominator) in table.items():
        series = cv.SERIES[code]
        assert (series.title, series.numerator, series.denominator) == (
            title,
            numerator,
            denominator,
        )


# ---- admin and denominators validation ---------------------------------------------------


def test_validate_admin_returns_typed_copy_with_the_original_index():
    frame = ADMIN.copy()
    frame.index = [f"r{i}" for i in range(len(frame))]
    frame["contributory"] = frame["contributory"].astype(int)  # 1/0 is accepted
    clean = cv.validate_admin(frame)
    assert list(clean.index) == list(frame.index)
    assert clean["contributory"].dtype == bool
    assert clean["count"].dtype == float


@pytest.mark.parametrize(
    ("column", "value", "error", "message"),
    [
        ("contingency", "old age", ValueError, r"row r2 holds 'old age'; expected one of: 'child"),
        ("measure", "beneficiaries", ValueError, r"row r2 holds 'beneficiaries'.*'recipients'"),
        ("sex", "women", ValueError, r"column 'sex': row r2 holds 'women'"),
        ("contributory", "yes", TypeError, r"column 'contributory'.*row r2 holds 'yes'"),
        ("count", -5, ValueError, r"column 'count' must not be negative; row r2 holds -5"),
        (
            "count",
            None,
            ValueError,
            r"column 'count' has 1 missing value\(s\), the first in row r2",
        ),
        ("count", "many", TypeError, r"column 'count' must hold numbers; row r2 holds 'many'"),
        (
            "scheme",
            None,
            ValueError,
            r"column 'scheme' has 1 missing value\(s\), the first in row r2",
        ),
        ("scheme", 7, TypeError, r"column 'scheme' must hold scheme names; row r2 holds 7"),
    ],
)
def test_validate_admin_names_the_column_the_row_and_the_value(column, value, error, message):
    frame = ADMIN.copy().astype({column: object})
    frame.index = [f"r{i}" for i in range(len(frame))]
    frame.loc["r2", column] = value
    with pytest.raises(error, match=message):
        cv.validate_admin(frame)


def test_unknown_contingency_lists_every_valid_one():
    frame = admin_frame([("x", "health", False, "recipients", "both", 1)])
    with pytest.raises(ValueError, match=re.escape(", ".join(f"'{c}'" for c in cv.CONTINGENCIES))):
        cv.validate_admin(frame)


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (("x", "old_age", True, "protected", "both", 1), "'protected' is only for contingency"),
        (("x", "old_age", False, "contributors", "both", 1), "needs a contributory scheme"),
        (("x", "social_assistance", True, "recipients", "both", 1), "non-contributory"),
        (("x", "maternity", True, "recipients", "male", 1), "maternity benefits count women"),
    ],
)
def test_validate_admin_refuses_inconsistent_rows(row, message):
    with pytest.raises(ValueError, match=rf"admin row 0 \(scheme 'x'\): .*{message}"):
        cv.validate_admin(admin_frame([row]))


def test_validate_admin_missing_column():
    with pytest.raises(KeyError, match="admin: missing column 'count'"):
        cv.validate_admin(ADMIN.drop(columns="count"))


def test_validate_denominators_errors():
    with pytest.raises(ValueError, match=r"row 0 holds 'elderly'; expected one of: 'total_pop"):
        cv.validate_denominators(
            pd.DataFrame({"denominator": ["elderly"], "sex": ["both"], "value": [1]})
        )
    twice = pd.DataFrame(
        {"denominator": ["poor", "poor"], "sex": ["both", "both"], "value": [1, 2]}
    )
    with pytest.raises(ValueError, match="'poor' for sex 'both' appears twice, in rows 0 and 1"):
        cv.validate_denominators(twice)
    negative = pd.DataFrame({"denominator": ["poor"], "sex": ["both"], "value": [-1]})
    with pytest.raises(ValueError, match="column 'value' must not be negative; row 0 holds -1"):
        cv.validate_denominators(negative)
    with pytest.raises(KeyError, match="denominators: missing column 'value'"):
        cv.validate_denominators(negative.drop(columns="value"))


# ---- demographic denominators ------------------------------------------------------------


def test_demographic_denominators_come_from_demography():
    frame = cv.demographic_denominators(
        "TJK",
        2025,
        births_per_mother=1.015,
        unemployed=150_000,
        labour_force=2_600_000,
        severe_disability_prevalence=0.04,
        poverty_headcount_ratio=0.2,
        vulnerable=7_000_000,
    )
    value = frame.set_index(["denominator", "sex"])["value"]
    total = dm.population("TJK", 2025)
    assert value[("total_population", "both")] == total
    assert value[("children", "female")] == dm.population("TJK", 2025, age_max=15, sex="female")
    assert value[("above_pension_age", "male")] == pytest.approx(
        dm.population("TJK", 2025, age_min=63, sex="male")
    )
    assert value[("above_pension_age", "both")] == pytest.approx(
        dm.population_above_pension_age("TJK", 2025)
    )
    # births count babies; 1.015 births per mother corrects for twins and triplets
    assert value[("women_giving_birth", "female")] == dm.births("TJK", 2025) / 1.015
    assert value[("severe_disability", "both")] == pytest.approx(0.04 * total)
    assert value[("poor", "both")] == pytest.approx(0.2 * total)
    assert value[("unemployed", "both")] == 150_000
    assert value[("labour_force", "both")] == 2_600_000
    assert value[("vulnerable", "both")] == 7_000_000
    assert not frame.duplicated(["denominator", "sex"]).any()
    cv.validate_denominators(frame)


def test_demographic_denominators_leave_out_what_is_not_given():
    frame = cv.demographic_denominators("TJK", 2020, source="wpp2019")
    assert set(frame["denominator"]) == {
        "total_population",
        "children",
        "above_pension_age",
        "women_giving_birth",
    }
    # without data the series is kept, with NaN and a note
    table = cv.contingency_coverage(ADMIN, frame).set_index("series")
    assert np.isnan(table.loc["SI_COV_UEMP", "rate"])
    assert table.loc["SI_COV_UEMP", "note"] == "no denominator 'unemployed' for sex 'both'"


def test_demographic_denominators_with_a_given_pension_age():
    frame = cv.demographic_denominators("KGZ", 2025, pension_age={"female": 58, "male": 63})
    value = frame.set_index(["denominator", "sex"])["value"]
    assert value[("above_pension_age", "female")] == dm.population(
        "KGZ", 2025, age_min=58, sex="female"
    )
    frame = cv.demographic_denominators("KGZ", 2025, pension_age=60)
    value = frame.set_index(["denominator", "sex"])["value"]
    assert value[("above_pension_age", "both")] == pytest.approx(
        dm.population("KGZ", 2025, age_min=60)
    )


def test_demographic_denominators_warn_once_for_lao():
    with pytest.warns(UserWarning, match="OUTDATED") as caught:
        cv.demographic_denominators("LAO", 2025)
    assert len([w for w in caught if "OUTDATED" in str(w.message)]) == 1


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"births_per_mother": 0.9}, ValueError, "births_per_mother .* must be 1 or more, got 0.9"),
        ({"births_per_mother": "1"}, TypeError, "births_per_mother must be a number"),
        (
            {"severe_disability_prevalence": 4.0},
            ValueError,
            "between 0 and 1; got 4.0 .*percentage",
        ),
        ({"poverty_headcount_ratio": 26.5}, ValueError, "poverty_headcount_ratio must be a share"),
        ({"unemployed": -1}, ValueError, "unemployed must be a finite number of persons"),
        ({"labour_force": "2m"}, TypeError, "labour_force must be a number of persons"),
        ({"pension_age": {"men": 63}}, ValueError, "exactly the keys 'female' and 'male'"),
        ({"pension_age": 62.5}, TypeError, "pension_age must be a whole number"),
    ],
)
def test_demographic_denominators_errors(kwargs, error, message):
    with pytest.raises(error, match=message):
        cv.demographic_denominators("TJK", 2025, **kwargs)


def test_demographic_denominators_need_a_pension_age_where_the_file_has_none():
    with pytest.raises(ValueError, match=r"no statutory pensionable age for 'KGZ'.*LAO, TJK"):
        cv.demographic_denominators("KGZ", 2025)


# ---- contingency coverage ----------------------------------------------------------------


def test_contingency_coverage_hand_worked():
    table = cv.contingency_coverage(ADMIN, DENOMINATORS)
    assert list(table.columns) == [
        "series",
        "sex",
        "numerator",
        "denominator",
        "rate",
        "n_schemes",
        "method",
        "note",
    ]
    assert list(table["series"]) == [c for c in cv.SERIES if c != "SI_COV_BENFTS"]
    got = table.set_index("series")
    expected = {
        "SI_COV_CHLD": (150, 1000, 150 / 1000, 1),
        "SI_COV_MATNL": (30 + 20, 100, 50 / 100, 2),  # insurance + grant
        "SI_COV_DISAB": (40, 80, 40 / 80, 1),
        "SI_COV_UEMP": (10, 50, 10 / 50, 1),
        "SI_COV_WKINJRY": (300, 1200, 300 / 1200, 1),  # protected workers, not the 5 recipients
        "SI_COV_PENSN": (200 + 50, 400, 250 / 400, 2),  # contributors (900) are not counted
        "SI_COV_VULN": (120, 600, 120 / 600, 1),
        "SI_COV_POOR": (120, 240, 120 / 240, 1),
    }
    for code, (numerator, denominator, rate, n_schemes) in expected.items():
        row = got.loc[code]
        assert (row["numerator"], row["denominator"], row["n_schemes"]) == (
            numerator,
            denominator,
            n_schemes,
        )
        assert row["rate"] == pytest.approx(rate)
        assert row["note"] == ""
    assert got.loc["SI_COV_MATNL", "sex"] == "female"
    assert got.loc["SI_COV_PENSN", "sex"] == "both"
    assert got.loc["SI_COV_WKINJRY", "method"].startswith("protected workers summed")


def test_contingency_coverage_by_sex():
    admin = admin_frame(
        [
            ("old-age insurance", "old_age", True, "recipients", "female", 60),
            ("old-age insurance", "old_age", True, "recipients", "male", 90),
            ("social pension", "old_age", False, "recipients", "female", 30),
            ("child allowance", "children", False, "recipients", "both", 100),
            ("maternity insurance", "maternity", True, "recipients", "female", 20),
        ]
    )
    dens = pd.DataFrame(
        {
            "denominator": ["above_pension_age"] * 3 + ["children", "women_giving_birth"],
            "sex": ["both", "female", "male", "female", "female"],
            "value": [300, 180, 120, 500, 80],
        }
    )
    both = cv.contingency_coverage(admin, dens).set_index("series")
    assert both.loc["SI_COV_PENSN", "numerator"] == 60 + 90 + 30
    assert both.loc["SI_COV_PENSN", "rate"] == pytest.approx(180 / 300)
    female = cv.contingency_coverage(admin, dens, sex="female").set_index("series")
    assert female.loc["SI_COV_PENSN", "rate"] == pytest.approx((60 + 30) / 180)
    male = cv.contingency_coverage(admin, dens, sex="male").set_index("series")
    assert male.loc["SI_COV_PENSN", "rate"] == pytest.approx(90 / 120)
    # a scheme reported for both sexes together cannot be split
    assert np.isnan(female.loc["SI_COV_CHLD", "numerator"])
    assert female.loc["SI_COV_CHLD", "note"] == (
        "scheme(s) 'child allowance' report only both sexes: no female count"
    )
    # maternity counts women, whatever sex is asked for, and is undefined for men
    assert both.loc["SI_COV_MATNL", "rate"] == pytest.approx(20 / 80)
    assert female.loc["SI_COV_MATNL", "rate"] == pytest.approx(20 / 80)
    assert np.isnan(male.loc["SI_COV_MATNL", "rate"])
    assert male.loc["SI_COV_MATNL", "note"] == "counts women only"


def test_a_scheme_with_both_and_split_rows_uses_its_both_row_for_both_sexes():
    admin = admin_frame(
        [
            ("pension", "old_age", True, "recipients", "both", 100),
            ("pension", "old_age", True, "recipients", "female", 40),
            ("pension", "old_age", True, "recipients", "male", 60),
        ]
    )
    dens = pd.DataFrame({"denominator": ["above_pension_age"], "sex": ["both"], "value": [200]})
    table = cv.contingency_coverage(admin, dens).set_index("series")
    assert table.loc["SI_COV_PENSN", "numerator"] == 100  # not 200


def test_two_schemes_of_one_contingency_are_added_even_for_the_same_person():
    # one older person gets a contributory pension and a social pension: counted twice
    admin = admin_frame(
        [
            ("insurance pension", "old_age", True, "recipients", "both", 1),
            ("social pension", "old_age", False, "recipients", "both", 1),
        ]
    )
    dens = pd.DataFrame({"denominator": ["above_pension_age"], "sex": ["both"], "value": [2]})
    table = cv.contingency_coverage(admin, dens).set_index("series")
    assert table.loc["SI_COV_PENSN", "rate"] == 1.0  # although only 1 of the 2 is covered


def test_recipients_above_their_population_raise_or_warn():
    admin = admin_frame([("pension", "old_age", True, "recipients", "both", 450)])
    dens = pd.DataFrame({"denominator": ["above_pension_age"], "sex": ["both"], "value": [400]})
    message = (
        r"SI_COV_PENSN: recipients \(450\) exceed their population 'above_pension_age' \(400\)"
    )
    with pytest.raises(ValueError, match=message):
        cv.contingency_coverage(admin, dens)
    with pytest.warns(UserWarning, match=message):
        table = cv.contingency_coverage(admin, dens, over_coverage="warn")
    assert table.set_index("series").loc["SI_COV_PENSN", "rate"] == pytest.approx(450 / 400)


def test_contingency_coverage_errors():
    with pytest.raises(ValueError, match="unknown sex 'all'"):
        cv.contingency_coverage(ADMIN, DENOMINATORS, sex="all")
    with pytest.raises(ValueError, match="over_coverage must be 'raise' or 'warn'; got 'cap'"):
        cv.contingency_coverage(ADMIN, DENOMINATORS, over_coverage="cap")
    zero = DENOMINATORS.copy()
    zero.loc[zero["denominator"] == "poor", "value"] = 0
    with pytest.raises(
        ValueError, match="SI_COV_POOR: the denominator 'poor' for sex 'both' is zero"
    ):
        cv.contingency_coverage(ADMIN, zero)


@settings(max_examples=80, deadline=None)
@given(
    counts=st.lists(st.integers(min_value=0, max_value=10**7), min_size=1, max_size=5),
    extra=st.integers(min_value=0, max_value=10**7),
)
def test_rate_is_a_share_when_recipients_do_not_exceed_the_population(counts, extra):
    admin = admin_frame(
        [
            (f"scheme {i}", "unemployment", True, "recipients", "both", c)
            for i, c in enumerate(counts)
        ]
    )
    population = sum(counts) + extra
    if population == 0:
        population = 1
    dens = pd.DataFrame({"denominator": ["unemployed"], "sex": ["both"], "value": [population]})
    rate = cv.contingency_coverage(admin, dens).set_index("series").loc["SI_COV_UEMP", "rate"]
    assert 0 <= rate <= 1
    assert rate == pytest.approx(sum(counts) / population)


# ---- vulnerable population ----------------------------------------------------------------


def test_vulnerable_population_both_wordings():
    children, working_age, older = 400, 450, 150
    contributors, contributory_recipients, contributory_pensioners = 200, 30, 100
    total = children + working_age + older
    # UN metadata: total minus covered working age minus older with contributory benefits
    un = cv.vulnerable_population(
        total, contributors, contributory_recipients, contributory_pensioners
    )
    assert un == 1000 - 200 - 30 - 100 == 670
    # WSPDB: all children + adults not covered + older persons without a contributory pension
    wspdb = (
        children
        + (working_age - contributors - contributory_recipients)
        + (older - contributory_pensioners)
    )
    assert un == wspdb


def test_vulnerable_population_errors():
    with pytest.raises(ValueError, match=r"\(1,200\) exceed the total population \(1,000\)"):
        cv.vulnerable_population(1000, 1000, 100, 100)
    with pytest.raises(ValueError, match="contributory_pensioners must be a finite number"):
        cv.vulnerable_population(1000, 10, 10, -1)
    with pytest.raises(TypeError, match="total_population must be a number of persons"):
        cv.vulnerable_population("1000", 10, 10, 10)


# ---- headline from persons ----------------------------------------------------------------

PEOPLE = pd.DataFrame(
    {
        "pension": [True, False, False, True, False],
        "contributes": [True, True, False, False, False],
        "child_benefit": [0, 0, 1, 0, 0],
        "sex": ["female", "male", "female", "male", "female"],
        "weight": [1.0, 2.0, 3.0, 4.0, 5.0],
    }
)
FLAGS = ["pension", "contributes", "child_benefit"]


def test_headline_from_persons_hand_worked_union():
    result = cv.headline_from_persons(PEOPLE, FLAGS)
    assert list(result.columns) == [
        "series",
        "numerator",
        "denominator",
        "rate",
        "n_obs",
        "method",
    ]
    row = result.iloc[0]
    # persons 0 to 3 are covered (person 0 twice over, counted once); person 4 is not
    assert row["numerator"] == 1 + 2 + 3 + 4
    assert row["denominator"] == 1 + 2 + 3 + 4 + 5
    assert row["rate"] == pytest.approx(10 / 15)
    assert row["n_obs"] == 5
    assert row["method"] == "union of person-level flags"
    assert row["series"] == "SI_COV_BENFTS"


def test_headline_from_persons_by_sex_and_unweighted():
    result = cv.headline_from_persons(PEOPLE, FLAGS, by="sex").set_index("sex")
    assert result.loc["female", "rate"] == pytest.approx((1 + 3) / (1 + 3 + 5))
    assert result.loc["male", "rate"] == pytest.approx((2 + 4) / (2 + 4))
    assert result.loc["female", "n_obs"] == 3
    unweighted = cv.headline_from_persons(PEOPLE, FLAGS, weight=None).iloc[0]
    assert unweighted["rate"] == pytest.approx(4 / 5)


people_strategy = st.lists(
    st.tuples(st.booleans(), st.booleans(), st.integers(min_value=1, max_value=5)),
    min_size=1,
    max_size=20,
)


@settings(max_examples=60, deadline=None)
@given(
    people=people_strategy, scale=st.floats(min_value=0.01, max_value=1000), seed=st.integers(0, 99)
)
def test_headline_properties(people, scale, seed):
    frame = pd.DataFrame(people, columns=["a", "b", "weight"])
    rate = cv.headline_from_persons(frame, ["a", "b"])["rate"].item()
    assert 0 <= rate <= 1
    # at least the rate of each flag alone, at most their sum
    alone = [cv.headline_from_persons(frame, f)["rate"].item() for f in ("a", "b")]
    assert max(alone) - 1e-12 <= rate <= sum(alone) + 1e-12
    # integer weights equal replication
    replicated = frame.loc[frame.index.repeat(frame["weight"])]
    assert cv.headline_from_persons(replicated, ["a", "b"], weight=None)["rate"].item() == (
        pytest.approx(rate)
    )
    # invariant to scaling the weights and to row order
    scaled = frame.assign(weight=frame["weight"] * scale)
    assert cv.headline_from_persons(scaled, ["a", "b"])["rate"].item() == pytest.approx(rate)
    shuffled = frame.sample(frac=1, random_state=seed)
    assert cv.headline_from_persons(shuffled, ["a", "b"])["rate"].item() == pytest.approx(rate)


def test_headline_from_persons_errors():
    with pytest.raises(KeyError, match="persons: missing column 'disability'"):
        cv.headline_from_persons(PEOPLE, ["pension", "disability"])
    bad = PEOPLE.astype({"pension": object})
    bad.loc[2, "pension"] = "yes"
    with pytest.raises(TypeError, match="column 'pension' must hold true/false flags; row 2"):
        cv.headline_from_persons(bad, FLAGS)
    bad.loc[2, "pension"] = None
    with pytest.raises(
        ValueError, match=r"column 'pension' has 1 missing value\(s\), the first in row 2"
    ):
        cv.headline_from_persons(bad, FLAGS)
    with pytest.raises(ValueError, match="column 'weight' must not be negative; row 1 holds -2"):
        cv.headline_from_persons(PEOPLE.assign(weight=[1, -2, 3, 4, 5]), FLAGS)
    with pytest.raises(ValueError, match=r"weights of group \{'sex': 'male'\} sum to zero"):
        cv.headline_from_persons(PEOPLE.assign(weight=[1, 0, 3, 0, 5]), FLAGS, by="sex")
    with pytest.raises(
        ValueError, match=r"group column 'sex' has 1 missing value\(s\), the first in row 4"
    ):
        cv.headline_from_persons(PEOPLE.assign(sex=["f", "m", "f", "m", None]), FLAGS, by="sex")
    with pytest.raises(ValueError, match="give at least one column"):
        cv.headline_from_persons(PEOPLE, [])


# ---- headline, life-cycle approximation -----------------------------------------------------


def test_headline_life_cycle_hand_worked():
    populations = {"children": 400, "working_age": 500, "older": 100}
    table = cv.headline_life_cycle(100, 250, 90, populations)
    assert list(table["group"]) == ["children", "working_age", "older", "total"]
    total = table.set_index("group").loc["total"]
    assert total["numerator"] == 100 + 250 + 90
    assert total["denominator"] == 400 + 500 + 100
    assert total["rate"] == pytest.approx(440 / 1000)
    assert not total["capped"]
    assert set(table["method"]) == {"life-cycle approximation"}
    assert table.set_index("group").loc["older", "rate"] == pytest.approx(90 / 100)


def test_headline_life_cycle_caps_each_group_and_warns():
    populations = {"children": 400, "working_age": 500, "older": 100}
    with pytest.warns(UserWarning, match=r"older covered \(130\) exceed their population \(100\)"):
        table = cv.headline_life_cycle(100, 250, 130, populations)
    by_group = table.set_index("group")
    assert by_group.loc["older", "reported"] == 130
    assert by_group.loc["older", "numerator"] == 100
    assert by_group.loc["older", "capped"]
    assert by_group.loc["total", "capped"]
    assert by_group.loc["total", "reported"] == 100 + 250 + 130
    assert by_group.loc["total", "rate"] == pytest.approx((100 + 250 + 100) / 1000)


def test_life_cycle_counts_twice_what_the_union_counts_once():
    # 4 working-age persons: person 0 contributes AND receives a disability benefit
    people = pd.DataFrame(
        {"contributes": [1, 1, 0, 0], "disability_benefit": [1, 0, 0, 0], "weight": [1, 1, 1, 1]}
    )
    union = cv.headline_from_persons(people, ["contributes", "disability_benefit"])
    # administrative counts: 2 contributors + 1 disability recipient = 3 "covered"
    life_cycle = cv.headline_life_cycle(0, 2 + 1, 0, {"children": 0, "working_age": 4, "older": 0})
    assert union["rate"].item() == pytest.approx(2 / 4)
    assert life_cycle.set_index("group").loc["total", "rate"] == pytest.approx(3 / 4)


def test_headline_life_cycle_errors():
    with pytest.raises(
        ValueError, match=r"populations must map exactly 'children'.*got \['children'\]"
    ):
        cv.headline_life_cycle(1, 1, 1, {"children": 10})
    with pytest.raises(ValueError, match="working_age_covered must be a finite number of persons"):
        cv.headline_life_cycle(1, -1, 1, {"children": 10, "working_age": 10, "older": 10})
    with pytest.raises(ValueError, match="populations sum to zero"):
        cv.headline_life_cycle(0, 0, 0, {"children": 0, "working_age": 0, "older": 0})


# ---- weighted aggregate -------------------------------------------------------------------

COUNTRIES = pd.DataFrame(
    {
        "iso3": ["TJK", "KGZ", "UZB", "LAO", "KHM", "VNM"],
        "region": ["CSA", "CSA", "CSA", "ESEA", "ESEA", "ESEA"],
        "rate": [0.937, 0.8, None, 0.063, None, 0.5],
        "older": [600.0, 700.0, 3000.0, 400.0, None, 9000.0],
    }
)


def test_weighted_aggregate_hand_worked_with_missing_members_listed():
    out = cv.weighted_aggregate(COUNTRIES, rate="rate", weight="older", by="region", member="iso3")
    assert list(out.columns) == [
        "region",
        "numerator",
        "denominator",
        "rate",
        "n_obs",
        "n_missing",
        "missing_members",
        "method",
    ]
    csa, esea = out.set_index("region").loc["CSA"], out.set_index("region").loc["ESEA"]
    assert csa["numerator"] == pytest.approx(0.937 * 600 + 0.8 * 700)
    assert csa["denominator"] == 600 + 700
    assert csa["rate"] == pytest.approx((0.937 * 600 + 0.8 * 700) / 1300)
    assert (csa["n_obs"], csa["n_missing"], csa["missing_members"]) == (2, 1, "UZB")
    assert esea["rate"] == pytest.approx((0.063 * 400 + 0.5 * 9000) / 9400)
    assert (esea["n_missing"], esea["missing_members"]) == (1, "KHM")


def test_weighted_aggregate_of_a_group_without_any_value_is_missing_not_zero():
    frame = pd.DataFrame({"rate": [None, None], "w": [1.0, 2.0]}, index=["A", "B"])
    out = cv.weighted_aggregate(frame, rate="rate", weight="w").iloc[0]
    assert np.isnan(out["rate"])
    assert (out["n_obs"], out["n_missing"], out["missing_members"]) == (0, 2, "A, B")


members_strategy = st.lists(
    st.tuples(st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=10**6)),
    min_size=1,
    max_size=12,
)


@settings(max_examples=80, deadline=None)
@given(members=members_strategy, seed=st.integers(0, 99))
def test_weighted_aggregate_properties(members, seed):
    # members: (numerator N_c, denominator D_c) with N_c <= D_c
    frame = pd.DataFrame(
        [(min(n, d), d) for n, d in members],
        columns=["N", "D"],
        index=[f"c{i}" for i in range(len(members))],
    )
    frame["r"] = frame["N"] / frame["D"]
    out = cv.weighted_aggregate(frame, rate="r", weight="D").iloc[0]
    assert out["rate"] == pytest.approx(frame["N"].sum() / frame["D"].sum())
    assert 0 <= out["rate"] <= 1 + 1e-12
    shuffled = frame.sample(frac=1, random_state=seed)
    assert cv.weighted_aggregate(shuffled, rate="r", weight="D")["rate"].item() == pytest.approx(
        out["rate"]
    )
    one = cv.weighted_aggregate(frame.iloc[[0]], rate="r", weight="D").iloc[0]
    assert one["rate"] == pytest.approx(frame["r"].iloc[0], rel=1e-12)
    assert one["n_obs"] == 1 and one["missing_members"] == ""


def test_weighted_aggregate_errors():
    with pytest.raises(
        ValueError, match=r"shares between 0 and 1; row 0 holds 93.7 \(a percentage"
    ):
        cv.weighted_aggregate(
            COUNTRIES.assign(rate=[93.7, 80, None, 6.3, None, 50]), rate="rate", weight="older"
        )
    with pytest.raises(ValueError, match="column 'older' is missing in row 4, which has a rate"):
        cv.weighted_aggregate(COUNTRIES.assign(rate=0.5), rate="rate", weight="older")
    with pytest.raises(ValueError, match="column 'older' must not be negative; row 1 holds -700"):
        cv.weighted_aggregate(
            COUNTRIES.assign(older=[600, -700, 1, 1, 1, 1]), rate="rate", weight="older"
        )
    with pytest.raises(ValueError, match=r"weights in column 'w' of \{'g': 'x'\} sum to zero"):
        cv.weighted_aggregate(
            pd.DataFrame({"r": [0.5], "w": [0.0], "g": ["x"]}), rate="r", weight="w", by="g"
        )
    with pytest.raises(
        ValueError, match=r"group column 'region' has 1 missing value\(s\), the first in row 5"
    ):
        cv.weighted_aggregate(
            COUNTRIES.assign(region=["a", "a", "a", "b", "b", None]),
            rate="rate",
            weight="older",
            by="region",
        )
    with pytest.raises(KeyError, match="aggregate: missing column 'population'"):
        cv.weighted_aggregate(COUNTRIES, rate="rate", weight="population")


# ---- published series ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("iso3", "series", "sex", "value"),
    [
        ("TJK", "SI_COV_PENSN", "both", 93.7),
        ("TJK", "SI_COV_CHLD", "both", 14.0),
        ("LAO", "SI_COV_PENSN", "both", 6.3),
        ("TJK", "SI_COV_MATNL", "female", 66.5),
        ("LAO", "SI_COV_MATNL", "female", 12.7),
        ("TJK", "SI_COV_DISAB", "both", 49.0),
        ("LAO", "SI_COV_DISAB", "both", 0.3),
        ("TJK", "SI_COV_UEMP", "both", 20.8),
        ("LAO", "SI_COV_UEMP", "both", 7.6),
        ("TJK", "SI_COV_VULN", "both", 7.5),
        ("LAO", "SI_COV_VULN", "both", 7.7),
    ],
)
def test_published_series_match_methods_md_for_2020(iso3, series, sex, value):
    frame = cv.published_series(iso3)
    row = frame[(frame["series"] == series) & (frame["sex"] == sex) & (frame["year"] == 2020)]
    assert row["value_pct"].item() == pytest.approx(value)


def test_published_series_is_tidy_and_parses_sex():
    frame = cv.published_series("TJK", ["SI_COV_UEMP"])
    assert list(frame.columns) == ["series", "sex", "year", "value_pct"]
    assert set(frame["series"]) == {"SI_COV_UEMP"}
    in_2016 = frame[frame["year"] == 2016].set_index("sex")["value_pct"]
    assert in_2016.to_dict() == {"both": 17.3, "female": 18.2, "male": 16.2}
    everything = cv.published_series("LAO")
    assert not everything.duplicated(["series", "sex", "year"]).any()
    assert set(everything["series"]) <= set(cv.SERIES)
    assert everything["value_pct"].between(0, 100).all()


def test_published_series_errors():
    with pytest.raises(ValueError, match=r"unknown country 'Laos'; available ISO3 codes: CHN"):
        cv.published_series("Laos")
    with pytest.raises(
        ValueError, match=r"unknown series 'SI_COV_SOCAST'; the ILO series.*'SI_COV_BENFTS'"
    ):
        cv.published_series("TJK", "SI_COV_SOCAST")


def test_no_warning_from_a_normal_tajik_computation():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        dens = cv.demographic_denominators(
            "TJK", 2020, source="wpp2019", unemployed=1, labour_force=1
        )
        cv.contingency_coverage(ADMIN.iloc[[0, 7]], dens)
