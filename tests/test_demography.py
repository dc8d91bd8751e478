"""Population denominators, checked against sums of the raw UN CSV rows."""

import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from socialprotection import demography as dm
from socialprotection.datasets import data_dir


def raw(name: str) -> pd.DataFrame:
    """The bundled CSV as it is on disk, read with plain pandas (no library code)."""
    return pd.read_csv(data_dir() / f"{name}.csv", keep_default_na=False, na_values=[""])


WPP2022 = raw("pop_age_sex_wpp2022_projections")
WPP2019 = raw("pop_age_sex_wpp2019")


def groups(iso3, year, sex=None, table=WPP2022):
    """Population in thousands by age_start (summed over sexes unless one is given)."""
    rows = table[(table["iso3"] == iso3) & (table["year"] == year)]
    if sex is not None:
        rows = rows[rows["sex"] == sex]
    return rows.groupby("age_start")["pop_thousands"].sum()


# ---- population -----------------------------------------------------------------------


@pytest.mark.parametrize(("iso3", "year"), [("TJK", 2025), ("LAO", 2022), ("CHN", 2100)])
def test_all_ages_equal_the_sum_of_every_group_in_persons(iso3, year):
    expected = groups(iso3, year).sum() * 1000  # thousands -> persons
    assert dm.population(iso3, year) == pytest.approx(expected, rel=1e-12)


def test_children_0_15_take_one_fifth_of_the_15_19_group():
    g = groups("TJK", 2025)
    # ages 0-14 are three whole groups; age 15 is 1 of the 5 single years of 15-19
    expected = (g[0] + g[5] + g[10] + g[15] * 1 / 5) * 1000
    assert dm.population("TJK", 2025, age_min=0, age_max=15) == pytest.approx(expected)


def test_a_range_inside_one_group_takes_its_share_of_years():
    g = groups("LAO", 2030, sex="female")
    # ages 61 to 63 are 3 of the 5 years of 60-64
    expected = g[60] * 3 / 5 * 1000
    assert dm.population("LAO", 2030, age_min=61, age_max=63, sex="female") == pytest.approx(
        expected
    )


def test_a_single_year_is_one_fifth_of_its_group():
    g = groups("TJK", 2022, sex="male")
    assert dm.population("TJK", 2022, age_min=37, age_max=37, sex="male") == pytest.approx(
        g[35] / 5 * 1000
    )


def test_open_group_100_plus_is_included_whole_when_age_max_is_none():
    g = groups("THA", 2050)
    expected = (g[95] * 2 / 5 + g[100]) * 1000  # ages 98, 99, then 100+
    assert dm.population("THA", 2050, age_min=98) == pytest.approx(expected)
    assert dm.population("THA", 2050, age_min=100) == pytest.approx(g[100] * 1000)


@pytest.mark.parametrize(("age_min", "age_max"), [(0, None), (0, 15), (58, None), (63, 99)])
def test_female_plus_male_equals_both(age_min, age_max):
    kwargs = {"age_min": age_min, "age_max": age_max}
    female = dm.population("TJK", 2030, sex="female", **kwargs)
    male = dm.population("TJK", 2030, sex="male", **kwargs)
    assert female + male == pytest.approx(dm.population("TJK", 2030, **kwargs), rel=1e-12)


def test_splitting_at_63_is_additive():
    total = dm.population("TJK", 2025)
    below = dm.population("TJK", 2025, age_min=0, age_max=62)
    above = dm.population("TJK", 2025, age_min=63)
    assert below + above == pytest.approx(total, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    cut=st.integers(min_value=1, max_value=100),
    sex=st.sampled_from(["both", "female", "male"]),
    iso3=st.sampled_from(["TJK", "LAO", "KGZ"]),
)
def test_any_cut_splits_the_population_into_two_parts_that_add_up(cut, sex, iso3):
    total = dm.population(iso3, 2026, sex=sex)
    below = dm.population(iso3, 2026, age_max=cut - 1, sex=sex)
    above = dm.population(iso3, 2026, age_min=cut, sex=sex)
    assert below + above == pytest.approx(total, rel=1e-12)
    assert 0 <= below <= total * (1 + 1e-12)


def test_wpp2019_source_covers_tajikistan_in_2020():
    g = groups("TJK", 2020, table=WPP2019)
    assert dm.population("TJK", 2020, source="wpp2019") == pytest.approx(g.sum() * 1000)


# ---- population: errors -----------------------------------------------------------------


def test_unknown_country_lists_the_available_codes():
    with pytest.raises(ValueError, match=r"unknown country 'XYZ'.*available ISO3 codes: CHN, KAZ"):
        dm.population("XYZ", 2025)


def test_unknown_year_lists_the_years_of_that_country():
    with pytest.raises(ValueError, match=r"no data for TJK in 2021 .*2022, 2023"):
        dm.population("TJK", 2021)
    with pytest.raises(ValueError, match=r"no data for KGZ in 2025 .*years for KGZ: 2020, 2030$"):
        dm.population("KGZ", 2025, source="wpp2019")


def test_unknown_source_lists_the_sources():
    with pytest.raises(ValueError, match=r"unknown population source 'wpp2024'.*'wpp2022'"):
        dm.population("TJK", 2025, source="wpp2024")


def test_age_min_above_age_max_is_refused():
    with pytest.raises(ValueError, match=r"age_min \(65\) must not exceed age_max \(60\)"):
        dm.population("TJK", 2025, age_min=65, age_max=60)


def test_negative_or_fractional_ages_are_refused():
    with pytest.raises(ValueError, match="age_min must be 0 or more; got -1"):
        dm.population("TJK", 2025, age_min=-1)
    with pytest.raises(TypeError, match="age_max must be a whole number; got 15.5"):
        dm.population("TJK", 2025, age_max=15.5)
    with pytest.raises(TypeError, match="year must be a whole number"):
        dm.population("TJK", "2025")


def test_the_open_group_cannot_be_cut():
    with pytest.raises(ValueError, match=r"age_max=104 cuts the open age group 100\+"):
        dm.population("TJK", 2025, age_min=90, age_max=104)
    with pytest.raises(ValueError, match=r"age_min=101 cuts the open age group 100\+"):
        dm.population("TJK", 2025, age_min=101)


def test_unknown_sex_is_refused():
    with pytest.raises(ValueError, match="unknown sex 'women'; expected one of: both, female"):
        dm.population("TJK", 2025, sex="women")


# ---- statutory pensionable age -----------------------------------------------------------


def test_tajikistan_pension_ages_are_63_for_men_and_58_for_women():
    assert dm.statutory_pension_age("TJK", sex="male") == 63
    assert dm.statutory_pension_age("TJK", sex="female") == 58
    assert dm.statutory_pension_age("TJK", sex="female", benefit="old-age social pension") == 60


def test_population_above_pension_age_hand_sum_for_tajikistan():
    men, women = groups("TJK", 2025, sex="male"), groups("TJK", 2025, sex="female")
    # men 63+: ages 63 and 64 are 2/5 of 60-64, then every group from 65 (100+ included)
    men_63 = men[60] * 2 / 5 + men[men.index >= 65].sum()
    # women 58+: ages 58 and 59 are 2/5 of 55-59, then every group from 60
    women_58 = women[55] * 2 / 5 + women[women.index >= 60].sum()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # Tajikistan's rows are not outdated: no warning
        assert dm.population_above_pension_age("TJK", 2025, sex="male") == pytest.approx(
            men_63 * 1000
        )
        assert dm.population_above_pension_age("TJK", 2025, sex="female") == pytest.approx(
            women_58 * 1000
        )
        assert dm.population_above_pension_age("TJK", 2025) == pytest.approx(
            (men_63 + women_58) * 1000
        )


def test_lao_pension_age_warns_that_it_is_outdated():
    with pytest.warns(UserWarning, match=r"LAO .*female 60, male 60.*2006 edition.*OUTDATED"):
        value = dm.population_above_pension_age("LAO", 2025)
    assert value == pytest.approx(groups("LAO", 2025)[lambda g: g.index >= 60].sum() * 1000)
    with pytest.warns(UserWarning, match="OUTDATED"):
        dm.statutory_pension_age("LAO", sex="male")


def test_pension_age_errors_name_what_is_available():
    with pytest.raises(ValueError, match=r"no statutory pensionable age for 'KGZ'.*LAO, TJK"):
        dm.population_above_pension_age("KGZ", 2025)
    with pytest.raises(ValueError, match=r"no benefit 'disability pension' for TJK.*'old-age"):
        dm.statutory_pension_age("TJK", sex="male", benefit="disability pension")
    with pytest.raises(ValueError, match="sex must be 'female' or 'male'; got 'both'"):
        dm.statutory_pension_age("TJK", sex="both")
    with pytest.raises(ValueError, match="no data for TJK in 2021"):
        dm.population_above_pension_age("TJK", 2021)


# ---- births, dependency ratios ------------------------------------------------------------


def test_births_are_the_raw_thousands_times_1000():
    table = raw("wpp2024_annual_indicators")
    row = table[
        (table["iso3"] == "LAO")
        & (table["year"] == 2019)
        & (table["indicator"] == "births_thousands")
    ]
    assert dm.births("LAO", 2019) == pytest.approx(row["value"].item() * 1000)


def test_births_errors():
    with pytest.raises(ValueError, match=r"no data for TJK in 1980 .*1990, 1991"):
        dm.births("TJK", 1980)
    with pytest.raises(ValueError, match="unknown country 'Tajikistan'"):
        dm.births("Tajikistan", 2020)


@pytest.mark.parametrize(
    ("kind", "indicator", "ages"),
    [
        ("old_age_65", "old_age_dependency_ratio", "65+ / 15-64"),
        ("old_age_60", "old_age_dependency_ratio", "60+ / 15-59"),
        ("child", "child_dependency_ratio", "0-14 / 15-64"),
        ("total", "total_dependency_ratio", "(0-14 & 65+) / 15-64"),
    ],
)
def test_dependency_ratio_reads_the_right_row(kind, indicator, ages):
    table = raw("wpp2022_dependency_ratios")
    row = table[
        (table["iso3"] == "VNM")
        & (table["year"] == 2040)
        & (table["indicator"] == indicator)
        & (table["age_definition"] == ages)
    ]
    assert dm.dependency_ratio("VNM", 2040, kind) == row["value"].item()


def test_dependency_ratio_is_close_to_the_ratio_of_median_populations():
    # median of a ratio is not the ratio of medians: close, not equal
    older = dm.population("TJK", 2030, age_min=65)
    working = dm.population("TJK", 2030, age_min=15, age_max=64)
    children = dm.population("TJK", 2030, age_max=14)
    assert dm.dependency_ratio("TJK", 2030) == pytest.approx(100 * older / working, rel=2e-3)
    assert dm.dependency_ratio("TJK", 2030, "child") == pytest.approx(
        100 * children / working, rel=2e-3
    )


def test_percent_of_population_groups_add_up_to_100():
    parts = [dm.percent_of_population("LAO", 2050, ages) for ages in ("0-14", "15-64", "65-99")]
    assert sum(parts) == pytest.approx(100, abs=0.01)


def test_dependency_errors_list_the_kinds_and_age_groups():
    with pytest.raises(ValueError, match=r"unknown dependency ratio kind 'old'.*'old_age_65'"):
        dm.dependency_ratio("TJK", 2025, "old")
    with pytest.raises(ValueError, match=r"unknown age group '65\+'.*0-14, 15-64, 60-99, 65-99"):
        dm.percent_of_population("TJK", 2025, "65+")
    with pytest.raises(ValueError, match="no data for TJK in 2020"):
        dm.dependency_ratio("TJK", 2020)
