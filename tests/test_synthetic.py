"""Tests of the synthetic household survey generator (socialprotection.synthetic)."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from socialprotection import load
from socialprotection.synthetic import (
    CONTRIBUTORY_PROGRAMMES,
    DTYPES,
    PROGRAMMES,
    REGIONS,
    calibration_targets,
    household_survey,
)

# The calibration test size: 20,000 households (about 120,000 persons for TJK).
CALIBRATION_HOUSEHOLDS = 20_000
PENSION_AGE = {"TJK": {"female": 58, "male": 63}, "LAO": {"female": 60, "male": 60}}


@pytest.fixture(scope="module")
def tjk() -> pd.DataFrame:
    return household_survey("TJK", n_households=CALIBRATION_HOUSEHOLDS, seed=7)


@pytest.fixture(scope="module")
def lao() -> pd.DataFrame:
    return household_survey("LAO", n_households=CALIBRATION_HOUSEHOLDS, seed=7)


def published(country: str) -> dict[str, float]:
    """Latest published SDG 1.3.1 contingency value per series (both sexes), as a share."""
    sdg = load("sdg_social_protection_poverty_labour")
    rows = sdg[
        (sdg["iso3"] == country)
        & sdg["series_code"].str.startswith("SI_COV_")
        & (sdg["disaggregation"] == "sex=bothsex")
    ]
    latest = rows.sort_values("year").groupby("series_code").tail(1)
    return {
        str(s): float(v) / 100 for s, v in zip(latest["series_code"], latest["value"], strict=True)
    }


def weighted_share(frame: pd.DataFrame, numerator, denominator) -> float:
    w = frame["weight"].to_numpy()
    numerator, denominator = np.asarray(numerator), np.asarray(denominator)
    return float(w[numerator & denominator].sum() / w[denominator].sum())


def contingency_coverage(frame: pd.DataFrame, country: str) -> dict[str, float]:
    """SDG 1.3.1 contingency coverage computed from the person-level definitions.

    PENSN = sum w [age >= a_sex and (old_age_pension or social_pension)] / sum w [age >= a_sex]
    CHLD  = sum w [age <= 15 and child_benefit] / sum w [age <= 15]
    DISAB = sum w [severe_disability and disability_benefit] / sum w [severe_disability]
    UEMP  = sum w [unemployed and unemployment_benefit] / sum w [unemployed]
    VULN  = sum w [social_assistance] / sum w [vulnerable],
            vulnerable = not (contributor or old_age_pension or unemployment_benefit)
    """
    ages = PENSION_AGE[country]
    pension_age = np.where(frame["sex"] == "female", ages["female"], ages["male"])
    older = frame["age"].to_numpy() >= pension_age
    pension = frame["old_age_pension_recipient"] | frame["social_pension_recipient"]
    vulnerable = ~(
        frame["contributor"]
        | frame["old_age_pension_recipient"]
        | frame["unemployment_benefit_recipient"]
    )
    w = frame["weight"].to_numpy()
    return {
        "SI_COV_PENSN": weighted_share(frame, pension, older),
        "SI_COV_CHLD": weighted_share(frame, frame["child_benefit_recipient"], frame["age"] <= 15),
        "SI_COV_DISAB": weighted_share(
            frame, frame["disability_benefit_recipient"], frame["severe_disability"]
        ),
        "SI_COV_UEMP": weighted_share(
            frame, frame["unemployment_benefit_recipient"], frame["unemployed"]
        ),
        "SI_COV_VULN": float(
            w[frame["social_assistance_recipient"].to_numpy()].sum()
            / w[vulnerable.to_numpy()].sum()
        ),
    }


# ----------------------------------------------------------------- reproducibility


def test_same_seed_gives_identical_frames():
    first = household_survey("TJK", n_households=300, seed=11)
    second = household_survey("TJK", n_households=300, seed=11)
    pd.testing.assert_frame_equal(first, second)
    assert first.attrs == second.attrs


def test_another_seed_gives_different_data():
    first = household_survey("TJK", n_households=300, seed=11)
    other = household_survey("TJK", n_households=300, seed=12)
    assert first.attrs["seed"] == 11 and other.attrs["seed"] == 12
    same_length = len(first) == len(other)
    assert not same_length or not first["age"].equals(other["age"])
    assert not np.isclose(first["consumption_pc"].sum(), other["consumption_pc"].sum())


# ------------------------------------------------------------------------- shape


def test_columns_and_dtypes_are_as_documented(tjk):
    assert list(tjk.columns) == list(DTYPES)
    for column, dtype in DTYPES.items():
        assert str(tjk[column].dtype) == dtype, column
    assert list(tjk["sex"].cat.categories) == ["female", "male"]
    assert list(tjk["area"].cat.categories) == ["rural", "urban"]
    assert list(tjk["region"].cat.categories) == list(REGIONS["TJK"])
    assert set(PROGRAMMES) >= set(CONTRIBUTORY_PROGRAMMES)


def test_synthetic_flag_and_attrs(tjk):
    assert tjk["synthetic"].all()
    attrs = tjk.attrs
    assert attrs["synthetic"] is True
    assert attrs["country"] == "TJK"
    assert attrs["seed"] == 7
    assert attrs["n_households"] == CALIBRATION_HOUSEHOLDS == tjk["hh_id"].nunique()
    assert attrs["n_persons"] == len(tjk)
    assert attrs["currency"].startswith("TJS")
    for series in ("SI_COV_PENSN", "SI_COV_CHLD", "SI_COV_DISAB", "SI_COV_UEMP", "SI_COV_VULN"):
        entry = attrs["calibration"][series]
        assert set(entry) == {"target", "year", "source", "achieved"}
    assert attrs["calibration"]["SI_COV_BENFTS"]["calibrated"] is False


def test_households_are_consistent(tjk):
    assert tjk["person_id"].is_unique
    assert tjk["hh_id"].is_monotonic_increasing
    by_household = tjk.groupby("hh_id", observed=True)
    assert (by_household.size() == by_household["hh_size"].first()).all()
    for column in ("weight", "region", "area", "hh_size", "consumption_pc"):
        assert (by_household[column].nunique() == 1).all(), column
    # every household has an adult (its head, the first member)
    assert (by_household["age"].max() >= 18).all()
    assert (by_household["age"].first() >= 18).all()
    assert tjk["age"].between(0, 100).all()


def test_weights_sum_to_the_wpp_population(tjk, lao):
    wpp = load("pop_age_sex_wpp2022_projections")
    for frame, country in ((tjk, "TJK"), (lao, "LAO")):
        rows = wpp[(wpp["iso3"] == country) & (wpp["year"] == 2022)]
        population = rows["pop_thousands"].sum() * 1000
        assert frame["weight"].sum() == pytest.approx(population, rel=1e-9)
        assert (frame["weight"] > 0).all()


def test_age_sex_shares_match_wpp(tjk):
    """Weighted five-year age-group x sex shares within 0.5 percentage point of WPP 2022."""
    wpp = load("pop_age_sex_wpp2022_projections")
    rows = wpp[(wpp["iso3"] == "TJK") & (wpp["year"] == 2022)]
    expected = rows.set_index(["sex", "age_start"])["pop_thousands"]
    expected = expected / expected.sum()
    group = (tjk["age"] // 5 * 5).clip(upper=100).astype(int)
    observed = tjk.groupby([tjk["sex"].astype(str), group])["weight"].sum()
    observed = observed / observed.sum()
    observed.index.names = ["sex", "age_start"]
    differences = (observed - expected.rename(index=int, level=1)).abs()
    assert differences.max() < 0.005, differences.sort_values().tail()


def test_labour_force_and_unemployment_match_wdi(tjk):
    wdi = load("wdi_macro_poverty_labour")
    wdi = wdi[(wdi["iso3"] == "TJK") & (wdi["year"] == 2022)].set_index("indicator_code")
    for sex, code in (("female", "FE"), ("male", "MA")):
        of_sex = tjk["sex"] == sex
        lfp = weighted_share(tjk, tjk["in_labour_force"], of_sex & (tjk["age"] >= 15))
        unemployment = weighted_share(tjk, tjk["unemployed"], of_sex & tjk["in_labour_force"])
        assert lfp == pytest.approx(wdi.loc[f"SL.TLF.CACT.{code}.ZS", "value"] / 100, abs=0.01)
        assert unemployment == pytest.approx(
            wdi.loc[f"SL.UEM.TOTL.{code}.ZS", "value"] / 100, abs=0.01
        )


def test_flags_respect_eligibility(tjk):
    age = tjk["age"]
    female = tjk["sex"] == "female"
    pension_age = np.where(female, 58, 63)
    assert not (tjk["unemployed"] & ~tjk["in_labour_force"]).any()
    assert not (tjk["in_labour_force"] & (age < 15)).any()
    assert not (tjk["contributor"] & ~tjk["in_labour_force"]).any()
    assert not (tjk["contributor"] & tjk["unemployed"]).any()
    assert not (tjk["contributor"] & (age >= pension_age)).any()
    pension = tjk["old_age_pension_recipient"] | tjk["social_pension_recipient"]
    assert not (pension & (age < pension_age)).any()
    assert not (tjk["old_age_pension_recipient"] & tjk["social_pension_recipient"]).any()
    social_age = np.where(female, 60, 65)  # SSPTW 2012 for the social pension
    assert not (tjk["social_pension_recipient"] & (age < social_age)).any()
    assert not (tjk["child_benefit_recipient"] & (age > 15)).any()
    assert not (tjk["disability_benefit_recipient"] & ~tjk["severe_disability"]).any()
    assert not (tjk["unemployment_benefit_recipient"] & ~tjk["unemployed"]).any()
    # social assistance is a household benefit: all members or none
    by_household = tjk.groupby("hh_id")["social_assistance_recipient"]
    assert (by_household.all() == by_household.any()).all()


def test_amounts_are_zero_exactly_for_non_recipients(tjk):
    for programme in PROGRAMMES:
        recipient = tjk[f"{programme}_recipient"]
        amount = tjk[f"{programme}_amount"]
        assert recipient.any(), programme
        assert (amount[~recipient] == 0).all(), programme
        assert (amount[recipient] > 0).all(), programme


def test_consumption_is_pre_transfer_welfare_plus_transfers_per_capita(tjk):
    amounts = tjk[[f"{p}_amount" for p in PROGRAMMES]].astype(float).sum(axis=1)
    transfers_pc = amounts.groupby(tjk["hh_id"]).transform("sum") / tjk["hh_size"]
    pre = tjk["consumption_pc"] - transfers_pc
    assert (pre > 0).all()
    # the weighted mean pre-transfer consumption is the stated mean
    mean = tjk.attrs["calibration"]["illustrative"]["mean_consumption_pc"]
    assert np.average(pre, weights=tjk["weight"]) == pytest.approx(mean, rel=1e-9)


def test_social_assistance_goes_mostly_to_the_poorest(tjk):
    amounts = tjk[[f"{p}_amount" for p in PROGRAMMES]].astype(float).sum(axis=1)
    pre = tjk["consumption_pc"] - amounts.groupby(tjk["hh_id"]).transform("sum") / tjk["hh_size"]
    poorest_fifth = pre <= pre.quantile(0.2)
    share = tjk.loc[poorest_fifth, "social_assistance_recipient"].mean()
    rest = tjk.loc[~poorest_fifth, "social_assistance_recipient"].mean()
    assert share > 2 * rest


# ------------------------------------------------------------------- calibration


def test_tjk_contingency_coverage_within_one_point_of_published(tjk):
    """At 20,000 households, each calibrated series is within 1 percentage point."""
    target = published("TJK")
    achieved = contingency_coverage(tjk, "TJK")
    for series, value in achieved.items():
        assert abs(value - target[series]) < 0.01, (series, value, target[series])
    # the published values the generator uses (latest year, 2020 for all five)
    assert target["SI_COV_PENSN"] == pytest.approx(0.937)
    assert target["SI_COV_CHLD"] == pytest.approx(0.14)
    assert target["SI_COV_VULN"] == pytest.approx(0.075)
    for series, value in achieved.items():
        assert tjk.attrs["calibration"][series]["achieved"] == pytest.approx(value)
        assert tjk.attrs["calibration"][series]["year"] == 2020


def test_lao_builds_and_is_calibrated(lao):
    assert list(lao.columns) == list(DTYPES)
    assert lao.attrs["country"] == "LAO"
    assert lao.attrs["calibration"]["statutory_pension_age"]["outdated"] is True
    assert set(lao["region"].cat.categories) == set(REGIONS["LAO"])
    target = published("LAO")
    assert "SI_COV_CHLD" not in target  # no published series: illustrative parameter
    achieved = contingency_coverage(lao, "LAO")
    for series in ("SI_COV_PENSN", "SI_COV_DISAB", "SI_COV_UEMP", "SI_COV_VULN"):
        assert abs(achieved[series] - target[series]) < 0.01, series
    assert lao.attrs["calibration"]["SI_COV_CHLD"]["year"] is None


def test_headline_union_is_near_the_published_value(tjk):
    """Not a calibration target: the default contributor share puts it within 2 points."""
    flags = tjk["contributor"].copy()
    for programme in PROGRAMMES:
        flags |= tjk[f"{programme}_recipient"]
    headline = float(np.average(flags, weights=tjk["weight"]))
    assert headline == pytest.approx(tjk.attrs["calibration"]["SI_COV_BENFTS"]["achieved"])
    assert abs(headline - published("TJK")["SI_COV_BENFTS"]) < 0.02


def test_coverage_targets_can_be_replaced():
    frame = household_survey("TJK", 3_000, seed=3, coverage={"SI_COV_CHLD": 0.5})
    achieved = contingency_coverage(frame, "TJK")["SI_COV_CHLD"]
    assert achieved == pytest.approx(0.5, abs=0.01)
    assert frame.attrs["calibration"]["SI_COV_CHLD"]["source"] == "keyword argument `coverage`"


def test_calibration_targets_table():
    targets = calibration_targets("TJK")
    assert list(targets.columns) == ["target", "sex", "value", "year", "dataset"]
    ages = targets[targets["target"] == "statutory_pension_age"].set_index("sex")["value"]
    assert ages.to_dict() == {"female": 58, "male": 63}
    assert calibration_targets("lao")["target"].str.contains("SI_COV_VULN").any()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    country=st.sampled_from(["TJK", "LAO"]),
    n_households=st.integers(min_value=100, max_value=600),
    seed=st.integers(min_value=0, max_value=2**32),
)
def test_invariants_hold_for_any_seed_and_size(country, n_households, seed):
    frame = household_survey(country, n_households=n_households, seed=seed)
    assert frame["hh_id"].nunique() == n_households
    assert frame["weight"].sum() == pytest.approx(
        frame.attrs["calibration"]["population"]["value"], rel=1e-9
    )
    for programme in PROGRAMMES:
        amount = frame[f"{programme}_amount"]
        assert (amount >= 0).all()
        assert (amount[~frame[f"{programme}_recipient"]] == 0).all()
    for series, entry in frame.attrs["calibration"].items():
        if series.startswith("SI_COV_") and series != "SI_COV_BENFTS":
            assert 0 <= entry["achieved"] <= 1 or np.isnan(entry["achieved"])


# ------------------------------------------------------------------------ errors


@pytest.mark.parametrize("country", ["KGZ", "tajikistan", "", None, 762])
def test_unknown_country_is_refused(country):
    with pytest.raises(ValueError, match=r"country must be one of 'TJK', 'LAO'.*got"):
        household_survey(country, n_households=200)


@pytest.mark.parametrize("n_households", [0, -5, 99, 5_000_001])
def test_n_households_out_of_range_is_refused(n_households):
    with pytest.raises(ValueError, match=r"n_households must be between 100 and 5,000,000"):
        household_survey("TJK", n_households=n_households)


@pytest.mark.parametrize("n_households", [1000.0, "1000", True])
def test_n_households_must_be_an_integer(n_households):
    with pytest.raises(TypeError, match=r"n_households must be an integer; got"):
        household_survey("TJK", n_households=n_households)


def test_negative_seed_is_refused():
    with pytest.raises(ValueError, match=r"seed must be a non-negative integer; got -1"):
        household_survey("TJK", n_households=200, seed=-1)


@pytest.mark.parametrize(
    ("keyword", "value", "message"),
    [
        ("contributor_share", 1.5, r"contributor_share must be a share between 0 and 1; got 1.5"),
        ("severe_disability_prevalence", -0.1, r"severe_disability_prevalence must be a share"),
        ("urban_share", "high", r"urban_share must be a share between 0 and 1; got 'high'"),
        ("coverage", {"SI_COV_KIDS": 0.2}, r"coverage: unknown series 'SI_COV_KIDS'"),
        ("coverage", {"SI_COV_CHLD": 14}, r"coverage\['SI_COV_CHLD'\] must be a share.*got 14"),
        ("unemployment_rate", {"female": 0.1}, r"unemployment_rate must give a share for"),
        ("labour_force_participation", {"female": 0.2, "male": 2}, r"\['male'\] must be"),
        ("mean_household_size", 1, r"mean_household_size must be a number from 2 to 15; got 1"),
        ("mean_consumption_pc", 0, r"mean_consumption_pc must be a number from"),
        ("targeting_noise", -1, r"targeting_noise must be a number from 0 to inf; got -1"),
    ],
)
def test_invalid_parameters_are_refused(keyword, value, message):
    with pytest.raises(ValueError, match=message):
        household_survey("TJK", n_households=200, **{keyword: value})


def test_calibration_targets_refuses_unknown_country():
    with pytest.raises(
        ValueError, match=r"country must be one of 'TJK', 'LAO' \(ISO3 codes\); got 'XYZ'"
    ):
        calibration_targets("XYZ")


# ---------------------------------------------------------------------- big build


@pytest.mark.slow
def test_one_million_persons_build_quickly():
    """About one million persons (166,667 households of 6.0 on average) in a few seconds."""
    start = time.perf_counter()
    frame = household_survey("TJK", n_households=166_667, seed=1)
    seconds = time.perf_counter() - start
    assert 990_000 < len(frame) < 1_010_000
    assert seconds < 20, f"{seconds:.1f} s"
    assert frame.memory_usage(deep=True).sum() < 100e6  # compact dtypes: about 66 bytes a person
    achieved = contingency_coverage(frame, "TJK")
    target = published("TJK")
    for series, value in achieved.items():
        assert abs(value - target[series]) < 0.001, series


# -- the synthetic registry ecosystem (socialprotection.synthetic._registries) -----------

from socialprotection.synthetic import (  # noqa: E402
    REGISTRY_ERROR_RATES,
    national_id_check_digit,
    registry_ecosystem,
    valid_national_id,
)


@pytest.fixture(scope="module")
def eco():
    return registry_ecosystem("TJK", n_persons=20_000, seed=3)


def luhn_by_hand(body: str) -> int:
    """An independent Luhn: plain Python, right to left."""
    total = 0
    for position, char in enumerate(reversed(body)):
        digit = int(char)
        if position % 2 == 0:
            digit = digit * 2
            digit = digit - 9 if digit > 9 else digit
        total += digit
    return (10 - total % 10) % 10


def test_check_digit_hand_worked():
    # 7992739871: doubled from the right 1,8,3,2,9 -> 2,16->7,6,4,18->9; sum 67; check 3
    assert national_id_check_digit("7992739871") == 3
    assert luhn_by_hand("7992739871") == 3
    assert list(
        valid_national_id(["1234567897", "1234567890", None, "12345678 7", 1234567897])
    ) == [
        True,
        False,
        False,
        False,
        False,
    ]


def test_every_true_id_is_valid_and_unique(eco):
    ids = eco.population["national_id"].dropna()
    assert ids.is_unique and len(ids) > 0
    assert valid_national_id(ids).all()
    sample = ids.iloc[:300]
    assert all(int(i[-1]) == luhn_by_hand(i[:9]) for i in sample)
    assert (ids.str.len() == 10).all()


def test_same_seed_same_data_other_seed_other_data():
    one = registry_ecosystem("LAO", n_persons=2_000, seed=5)
    two = registry_ecosystem("LAO", n_persons=2_000, seed=5)
    three = registry_ecosystem("LAO", n_persons=2_000, seed=6)
    for name, frame in one.tables().items():
        pd.testing.assert_frame_equal(frame, two.tables()[name])
    pd.testing.assert_frame_equal(one.truth, two.truth)
    assert not one.social_registry.equals(three.social_registry)


def test_every_table_is_labelled_synthetic(eco):
    for name, frame in {**eco.tables(), "population": eco.population, "truth": eco.truth}.items():
        assert frame.attrs["synthetic"] is True, name
        assert frame["synthetic"].all(), name


def test_person_columns_and_scripts():
    for country, block in (("TJK", ("\u0400", "\u04ff")), ("LAO", ("\u0e80", "\u0eff"))):
        eco = registry_ecosystem(
            country, n_persons=1_000, seed=2, error_rates={"transliteration": 0}
        )
        frame = eco.social_registry
        for column in ["identifier", "given_name", "family_name", "birth_date", "sex", "district"]:
            assert column in frame.columns
        assert "national_id" in frame.columns
        first = frame["given_name"].str[0]
        assert ((first >= block[0]) & (first <= block[1])).all(), country
    tjk = registry_ecosystem("TJK", n_persons=2_000, seed=2)
    letters = "".join(tjk.population["given_name"]) + "".join(tjk.population["family_name"])
    assert all(c in letters.lower() for c in "ҷқғҳӯ")


def test_truth_matches_every_table(eco):
    for name, frame in eco.tables().items():
        truth = eco.truth_of(name)
        assert len(truth) == len(frame), name
        assert frame["identifier"].is_unique, name
        assert (truth["identifier"].to_numpy() == frame["identifier"].to_numpy()).all()


def test_records_without_errors_equal_the_hidden_person(eco):
    frame = eco.social_registry
    truth = eco.truth_of("social_registry")
    person = eco.population.set_index("person_id").loc[truth["person_id"]].reset_index()
    clean_name = ~(truth["typo"] | truth["transliteration"]).to_numpy()
    assert (
        frame["given_name"].to_numpy()[clean_name] == person["given_name"].to_numpy()[clean_name]
    ).all()
    assert (
        frame["family_name"].to_numpy()[clean_name] == person["family_name"].to_numpy()[clean_name]
    ).all()
    # a name flagged as changed really differs
    changed = (truth["typo"] | truth["transliteration"]).to_numpy()
    differs = (frame["given_name"] != person["given_name"]) | (
        frame["family_name"] != person["family_name"]
    )
    assert differs.to_numpy()[changed].all()
    swap = truth["day_month_swap"].to_numpy()
    assert (frame["birth_date"].to_numpy()[~swap] == person["birth_date"].to_numpy()[~swap]).all()
    assert (frame["birth_date"].to_numpy()[swap] != person["birth_date"].to_numpy()[swap]).all()
    ok_id = ~(truth["missing_id"] | truth["wrong_id"]).to_numpy()
    a, b = frame["national_id"].to_numpy()[ok_id], person["national_id"].to_numpy()[ok_id]
    assert all((x == y) or (pd.isna(x) and pd.isna(y)) for x, y in zip(a, b, strict=True))
    # a mistyped digit always fails the check digit
    wrong = truth["wrong_id"].to_numpy()
    assert wrong.sum() > 0 and not valid_national_id(frame["national_id"][wrong]).any()
    assert frame["national_id"][truth["missing_id"].to_numpy()].isna().all()
    moved = truth["moved"].to_numpy()
    assert (frame["district"].to_numpy()[moved] != person["district"].to_numpy()[moved]).all()
    assert (frame["district"].to_numpy()[~moved] == person["district"].to_numpy()[~moved]).all()
    # duplicates are extra records of a person already in the table
    counts = truth.groupby("person_id")["duplicate"].agg(["size", "sum"])
    assert ((counts["size"] - 1) == counts["sum"]).all()


def test_error_rates_within_tolerance():
    rates = {"typo": 0.10, "transliteration": 0.20, "day_month_swap": 0.30, "missing_id": 0.10}
    rates |= {"wrong_id": 0.05, "moved": 0.08, "duplicate": 0.06}
    eco = registry_ecosystem("TJK", n_persons=40_000, seed=11, error_rates=rates)
    truth = eco.truth_of("social_registry")
    frame = eco.social_registry
    n = len(truth)
    person = eco.population.set_index("person_id").loc[truth["person_id"]]

    def near(observed: float, expected: float, count: int) -> None:
        sd = np.sqrt(expected * (1 - expected) / count)
        assert abs(observed - expected) < 4 * sd + 1e-9, (observed, expected)

    near(truth["typo"].mean(), rates["typo"], n)
    near(truth["moved"].mean(), rates["moved"], n)
    first = ~truth["duplicate"]
    near(truth["duplicate"].sum() / first.sum(), rates["duplicate"], int(first.sum()))
    # day/month swap: only dates with day <= 12 and day != month can be swapped
    date = pd.to_datetime(person["birth_date"])
    possible = ((date.dt.day <= 12) & (date.dt.day != date.dt.month)).to_numpy()
    near(truth["day_month_swap"][possible].mean(), rates["day_month_swap"], int(possible.sum()))
    assert not truth["day_month_swap"][~possible].any()
    holds = person["national_id"].notna().to_numpy()
    near(truth["missing_id"][holds].mean(), rates["missing_id"], int(holds.sum()))
    assert not truth["missing_id"][~holds].any()
    near(
        truth["wrong_id"][holds].mean(),
        rates["wrong_id"] * (1 - rates["missing_id"]),
        int(holds.sum()),
    )
    assert len(frame) == n


def test_zero_error_rates_give_clean_records():
    zero = dict.fromkeys(REGISTRY_ERROR_RATES, 0.0)
    eco = registry_ecosystem("LAO", n_persons=3_000, seed=1, error_rates=zero)
    flags = [
        "typo",
        "transliteration",
        "day_month_swap",
        "missing_id",
        "wrong_id",
        "moved",
        "duplicate",
    ]
    assert not eco.truth[flags].to_numpy().any()
    # no ghost: nobody deceased is paid
    assert not eco.truth.loc[eco.truth["table"] == "payroll", "deceased"].any()


def test_ghosts_on_the_payroll_at_the_documented_rate():
    eco = registry_ecosystem("TJK", n_persons=200_000, seed=4, error_rates={"deceased_paid": 0.5})
    truth = eco.truth_of("beneficiaries")
    dead = truth["deceased"].to_numpy()
    active = (eco.beneficiaries["enrollment_status"] == "active").to_numpy()
    assert dead.sum() > 100
    share = active[dead].mean()
    assert abs(share - 0.5) < 4 * np.sqrt(0.25 / dead.sum())
    assert active[~dead].all()
    paid = eco.truth_of("payroll")
    assert paid["deceased"].sum() == (dead & active).sum()


def test_population_follows_wpp_age_and_sex(eco):
    wpp = load("pop_age_sex_wpp2022_projections")
    wpp = wpp[(wpp["iso3"] == "TJK") & (wpp["year"] == 2022)]
    female_share = (
        wpp.loc[wpp["sex"] == "female", "pop_thousands"].sum() / wpp["pop_thousands"].sum()
    )
    pop = eco.population
    assert abs((pop["sex"] == "female").mean() - female_share) < 0.001
    under15 = wpp.loc[wpp["age_start"] < 15, "pop_thousands"].sum() / wpp["pop_thousands"].sum()
    age = (pd.Timestamp("2024-12-31") - pd.to_datetime(pop["birth_date"])).dt.days / 365.2425
    assert abs((age < 15).mean() - under15) < 0.005
    heads = pop.groupby("group_identifier")["group_head"].sum()
    assert (heads == 1).all()
    assert (age[pop["group_head"]] >= 18).all()


@pytest.mark.parametrize(
    ("kwargs", "error", "text"),
    [
        ({"country": "FRA"}, ValueError, "country must be"),
        ({"n_persons": 10}, ValueError, "n_persons must be between"),
        ({"n_persons": 1000.0}, TypeError, "n_persons must be an integer"),
        ({"seed": -1}, ValueError, "seed"),
        ({"error_rates": {"typos": 0.1}}, ValueError, "unknown error rate"),
        ({"error_rates": {"typo": 2}}, ValueError, "from 0 to 1"),
    ],
)
def test_registry_ecosystem_refuses_bad_arguments(kwargs, error, text):
    with pytest.raises(error, match=text):
        registry_ecosystem(**{"n_persons": 1_000, **kwargs})
