"""Published SDG 1.3.1 headline values, checked against the figures the ILO published."""

import pytest

import socialprotection as sp

# SI_COV_BENFTS, both sexes, percent (ILO, SDG global database; see shared/reference/methods.md)
PUBLISHED = [
    ("TJK", 2019, 26.62),
    ("TJK", 2021, 29.78),
    ("LAO", 2019, 12.09),
    ("LAO", 2021, 15.51),
    ("World", 2023, 52.4),
]


@pytest.mark.parametrize(("entity", "year", "value"), PUBLISHED)
def test_headline_matches_published_values(entity, year, value):
    frame = sp.headline_coverage([entity])
    assert frame.loc[frame["year"] == year, "coverage_pct"].item() == pytest.approx(value)


def test_headline_is_tidy_and_sorted():
    frame = sp.headline_coverage()
    assert list(frame.columns) == ["entity", "code", "year", "coverage_pct"]
    assert frame["coverage_pct"].between(0, 100).all()
    assert not frame.duplicated(["entity", "year"]).any()


def test_every_region_of_the_ten_countries_is_in_the_data():
    regions = sp.headline_coverage(sorted(set(sp.SDG_REGION.values())))
    assert set(regions["entity"]) == set(sp.SDG_REGION.values())
    assert set(regions["year"]) == set(range(2015, 2024))


def test_unknown_entity_is_named_with_close_matches():
    with pytest.raises(ValueError, match=r"'Tajikstan' \(close: Tajikistan,"):
        sp.headline_coverage(["Tajikstan"])


def test_what_the_first_lesson_says_about_the_data():
    """The lesson's prose and alt text describe these facts; they must stay true."""
    frame = sp.headline_coverage()
    value = frame.set_index(["entity", "year"])["coverage_pct"]
    csa, esea = sp.SDG_REGION["TJK"], sp.SDG_REGION["LAO"]
    assert value[("Tajikistan", 2019)] > value[(csa, 2019)]
    assert value[("Tajikistan", 2021)] < value[(csa, 2021)]
    assert value[("Laos", 2021)] < value[("Tajikistan", 2021)]
    assert value[(esea, 2021)] - value[("Laos", 2021)] > 40
    for region in (csa, esea, sp.WORLD):
        assert value[region].is_monotonic_increasing
