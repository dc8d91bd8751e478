"""Tests of socialprotection.registry: data quality, deduplication, linkage, persons covered.

Counts are checked against independent implementations: DuckDB SQL for the quality
profile, explicit pair enumeration and a plain union-find for the clustering scores.
"""

from __future__ import annotations

import itertools
import time

import duckdb
import numpy as np
import pandas as pd
import pytest

import socialprotection as sp
from socialprotection.registry import (
    QUALITY_RULES,
    deduplicate,
    link,
    match_quality,
    name_key,
    persons_covered,
    quality_failures,
    quality_profile,
)
from socialprotection.registry._linkage import _components
from socialprotection.registry._records import latin

AS_OF = "2024-12-31"


@pytest.fixture(scope="module")
def eco():
    return sp.registry_ecosystem("TJK", n_persons=10_000, seed=1)


@pytest.fixture(scope="module")
def deduplicated(eco):
    return deduplicate(eco.social_registry, return_pairs=True)


# -- data quality -----------------------------------------------------------------------


def small_registry() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "identifier": ["r1", "r2", "r3", "r4", "r5", "r5"],
            "national_id": ["1234567897", "1234567898", None, "1234567897", "7992739871", None],
            "birth_date": [
                "1980-01-31",
                "2031-01-01",
                "1990-05-05",
                "1800-02-02",
                "2015-01-01",
                None,
            ],
            "sex": ["female", "male", "x", None, "male", "female"],
            "group_identifier": ["H1", "H1", "H2", "H2", "H3", "H3"],
            "group_head": [True, True, False, False, True, False],
            "registration_date": [
                "2023-01-01",
                "2023-01-01",
                "2019-01-01",
                "2024-01-01",
                "2020-06-01",
                None,
            ],
        },
        index=[10, 11, 12, 13, 14, 15],
    )


def test_quality_profile_hand_worked():
    profile = quality_profile(small_registry(), as_of=AS_OF).set_index("rule")
    present = quality_profile(small_registry(), as_of=AS_OF)
    completeness = present[present["dimension"] == "completeness"].set_index("column")
    assert completeness.loc["national_id", "failed"] == 2
    assert completeness.loc["sex", "failed"] == 1
    assert completeness.loc["birth_date", "checked"] == 6
    # 1234567898 fails; 7992739871 is 10 digits whose 10th is not the check of the first 9
    assert profile.loc["national_id_check_digit", ["checked", "failed"]].tolist() == [4, 2]
    # 2031 (future) and 1800 (older than 120 years)
    assert profile.loc["birth_date_plausible", ["checked", "failed"]].tolist() == [5, 2]
    assert profile.loc["sex_code", ["checked", "failed"]].tolist() == [5, 1]
    assert profile.loc["identifier_unique", "failed"] == 2
    assert profile.loc["national_id_unique", "failed"] == 2
    # H1 has two heads, H2 none, H3 one: four records fail
    assert profile.loc["one_head_per_household", "failed"] == 4
    # r2 (born 2031) and r5 (born 2015) are heads under 15
    assert profile.loc["head_is_adult", "failed"] == 2
    # r2 born (2031) after its registration (2023)
    assert profile.loc["born_before_registration", "failed"] == 1
    # 2019-01-01 and 2020-06-01 are more than 3 years before the end of 2024
    assert profile.loc["registration_recent", "failed"] == 2
    assert profile.loc["registration_recent", "dimension"] == "timeliness"
    assert profile["share_failed"].between(0, 1).all()


def test_every_failure_is_listed_with_its_row():
    frame = small_registry()
    failures = quality_failures(frame, as_of=AS_OF)
    profile = quality_profile(frame, as_of=AS_OF).set_index("rule")
    counts = failures.groupby("rule").size()
    for rule, failed in profile["failed"].items():
        if rule != "present":
            assert counts.get(rule, 0) == failed, rule
    plausible = failures[failures["rule"] == "birth_date_plausible"]
    assert plausible["row"].tolist() == [11, 13]
    assert plausible["value"].tolist() == ["2031-01-01", "1800-02-02"]
    assert set(failures["rule"]) <= set(QUALITY_RULES)
    assert len(frame) == 6  # the frame is not changed


def test_quality_profile_agrees_with_sql(eco):
    frame = eco.social_registry
    profile = quality_profile(frame, as_of=AS_OF)
    rules = profile.set_index("rule")
    con = duckdb.connect()
    con.register("r", frame.drop(columns="synthetic"))
    completeness = profile[profile["dimension"] == "completeness"].set_index("column")["failed"]
    for column in ["national_id", "given_name", "birth_date"]:
        sql = con.execute(f"select count(*) - count({column}) from r").fetchone()[0]
        assert completeness[column] == sql
    repeated = con.execute(
        "select count(*) from r where national_id in "
        "(select national_id from r where national_id is not null "
        " group by national_id having count(*) > 1)"
    ).fetchone()[0]
    assert rules.loc["national_id_unique", "failed"] == repeated > 0
    heads = con.execute(
        "select count(*) from r where group_identifier in (select group_identifier from r "
        "group by group_identifier having sum(case when group_head then 1 else 0 end) <> 1)"
    ).fetchone()[0]
    assert rules.loc["one_head_per_household", "failed"] == heads > 0
    # the check digit, computed in SQL (Luhn, rightmost body digit doubled)
    terms = []
    for position in range(1, 10):
        digit = f"cast(substr(national_id, {position}, 1) as integer)"
        if (9 - position) % 2 == 0:
            terms.append(f"(case when 2*{digit} > 9 then 2*{digit} - 9 else 2*{digit} end)")
        else:
            terms.append(digit)
    bad = con.execute(
        "select count(*) from r where national_id is not null and "
        f"(10 - ({' + '.join(terms)}) % 10) % 10 <> cast(substr(national_id, 10, 1) as integer)"
    ).fetchone()[0]
    assert rules.loc["national_id_check_digit", "failed"] == bad
    truth = eco.truth_of("social_registry")
    assert bad == truth["wrong_id"].sum()


def test_quality_refuses_a_frame_without_identifier_or_rows():
    with pytest.raises(KeyError, match="missing column 'identifier'"):
        quality_profile(pd.DataFrame({"sex": ["male"]}), as_of=AS_OF)
    with pytest.raises(ValueError, match="no rows"):
        quality_failures(pd.DataFrame({"identifier": []}), as_of=AS_OF)


# -- names --------------------------------------------------------------------------------


def test_names_romanised_and_folded():
    names = pd.Series(["Ҷамшед", "Джамшед", "Ғуломҷон", "ສົມສັກ", "Somsack", None])
    romanised = latin(names)
    assert romanised.tolist() == ["jamshed", "dzhamshed", "ghulomjon", "somsak", "somsack", None]
    keys = name_key(romanised).tolist()
    assert keys[0] == keys[1] == "jamshed"
    assert keys[2] == "gulomjon"
    assert keys[3] == keys[4] == "somsak"
    assert keys[5] is None


# -- deduplication --------------------------------------------------------------------------


def union_find_clusters(identifiers: list[str], edges: list[tuple[str, str]]) -> dict[str, str]:
    parent = {i: i for i in identifiers}

    def root(i):
        while parent[i] != i:
            i = parent[i]
        return i

    for a, b in edges:
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {i: root(i) for i in identifiers}


def test_components_agree_with_union_find():
    rng = np.random.default_rng(0)
    n = 300
    left, right = rng.integers(0, n, 250), rng.integers(0, n, 250)
    label = _components(n, left, right)
    names = [f"{i:04d}" for i in range(n)]
    expected = union_find_clusters(
        names, [(names[a], names[b]) for a, b in zip(left, right, strict=True)]
    )
    assert [names[x] for x in label] == [expected[name] for name in names]


def test_deduplicate_keeps_every_record_in_order(eco, deduplicated):
    clusters, pairs = deduplicated
    frame = eco.social_registry
    assert len(clusters) == len(frame)
    assert (clusters.index == frame.index).all()
    assert (clusters["identifier"].to_numpy() == frame["identifier"].to_numpy()).all()
    sizes = clusters.groupby("cluster_id")["identifier"].transform("size")
    assert (sizes == clusters["cluster_size"]).all()
    assert clusters.loc[clusters["cluster_size"] == 1, "match_probability"].isna().all()
    assert (clusters.loc[clusters["cluster_size"] > 1, "match_probability"] >= 0.9).all()
    assert pairs["match_probability"].between(0.01, 1).all()


def test_f1_is_high_on_the_default_error_mix(eco, deduplicated):
    _, pairs = deduplicated
    table = match_quality(pairs, eco.truth_of("social_registry")).set_index("threshold")
    f1 = table.loc[0.9, "f1"]
    print(f"\nTJK social registry, {table.loc[0.9, 'persons']} persons: F1 at 0.9 = {f1:.4f}")
    assert f1 >= 0.95
    assert table.loc[0.9, "precision"] >= 0.97
    # the trade-off: recall does not rise with the threshold, predicted pairs fall
    assert table["recall"].is_monotonic_decreasing
    assert table["predicted_pairs"].is_monotonic_decreasing


def test_f1_is_high_in_lao_script():
    eco = sp.registry_ecosystem("LAO", n_persons=6_000, seed=2)
    _, pairs = deduplicate(eco.social_registry, return_pairs=True)
    table = match_quality(pairs, eco.truth_of("social_registry"), thresholds=[0.9])
    assert table["f1"].iloc[0] >= 0.95


def test_match_quality_agrees_with_explicit_pairs(eco, deduplicated):
    clusters, pairs = deduplicated
    truth = eco.truth_of("social_registry")
    table = match_quality(pairs, truth, thresholds=[0.9]).iloc[0]
    person = dict(zip(truth["identifier"], truth["person_id"], strict=True))
    predicted = set()
    for _, members in clusters.groupby("cluster_id")["identifier"]:
        predicted |= {tuple(sorted(p)) for p in itertools.combinations(members, 2)}
    true = set()
    for _, members in truth.groupby("person_id")["identifier"]:
        true |= {tuple(sorted(p)) for p in itertools.combinations(members, 2)}
    assert table["predicted_pairs"] == len(predicted)
    assert table["true_pairs"] == len(true)
    assert table["true_positives"] == len(predicted & true)
    assert table["clusters"] == clusters["cluster_id"].nunique()
    assert table["persons"] == len(set(person.values()))
    # the clusters are those of a union-find over the kept pairs
    kept = pairs[pairs["match_probability"] >= 0.9]
    expected = union_find_clusters(
        list(truth["identifier"]),
        list(zip(kept["identifier_l"], kept["identifier_r"], strict=True)),
    )
    assert clusters.set_index("identifier")["cluster_id"].to_dict() == expected


def test_deduplicate_is_deterministic():
    eco = sp.registry_ecosystem("LAO", n_persons=3_000, seed=8)
    one = deduplicate(eco.social_registry)
    two = deduplicate(eco.social_registry)
    pd.testing.assert_frame_equal(one, two)


def test_deduplicate_reports_the_time_of_each_phase():
    eco = sp.registry_ecosystem("TJK", n_persons=3_000, seed=2)
    timings: dict = {}
    start = time.perf_counter()
    clusters = deduplicate(eco.social_registry, timings=timings)
    total = time.perf_counter() - start
    assert set(timings) == {"preparing", "training", "blocking and scoring", "clustering"}
    assert all(seconds >= 0 for seconds in timings.values())
    assert sum(timings.values()) <= total
    assert len(clusters) == len(eco.social_registry)
    with pytest.raises(TypeError, match="timings must be a dict"):
        deduplicate(eco.social_registry, timings=[])


def test_two_different_valid_ids_keep_namesakes_apart():
    """Namesakes born the same day in the same district, each with their own valid ID."""
    eco = sp.registry_ecosystem("TJK", n_persons=3_000, seed=2)
    frame = eco.social_registry.copy()
    ids = frame["national_id"].dropna()
    first, second = ids.index[0], ids.index[1]
    for column in ("given_name", "family_name", "birth_date", "sex", "district"):
        frame.loc[second, column] = frame.loc[first, column]
    clusters = deduplicate(frame).set_index("identifier")["cluster_id"]
    assert clusters[frame.loc[first, "identifier"]] != clusters[frame.loc[second, "identifier"]]
    # the same two records with one ID missing are joined: nothing tells them apart
    frame.loc[second, "national_id"] = None
    clusters = deduplicate(frame).set_index("identifier")["cluster_id"]
    assert clusters[frame.loc[first, "identifier"]] == clusters[frame.loc[second, "identifier"]]


# -- linkage --------------------------------------------------------------------------------


def test_link_finds_ghosts_on_the_payroll():
    eco = sp.registry_ecosystem("TJK", n_persons=40_000, seed=5, error_rates={"deceased_paid": 0.5})
    pairs = link(eco.payroll, eco.civil_deaths, threshold=0.5)
    truth_pay, truth_death = eco.truth_of("payroll"), eco.truth_of("civil_deaths")
    table = match_quality(pairs, truth_pay, truth_death, thresholds=[0.5, 0.9]).set_index(
        "threshold"
    )
    # independent count of the true pairs: payroll rows of a person with a death record
    dead = set(truth_death["person_id"])
    expected = sum(
        (truth_death["person_id"] == p).sum() for p in truth_pay["person_id"] if p in dead
    )
    assert table.loc[0.5, "true_pairs"] == expected > 0
    assert table.loc[0.5, "recall"] >= 0.9
    assert table.loc[0.5, "precision"] >= 0.9
    assert pairs["match_probability"].is_monotonic_decreasing
    assert {"given_name_l", "given_name_r", "birth_date_l"} <= set(pairs.columns)


def test_link_finds_double_enrolment_between_two_programmes(eco):
    assistance = eco.programme("social_assistance")
    pension = eco.programme("social_pension")
    pairs = link(assistance, pension, threshold=0.5)
    truth = eco.truth_of("beneficiaries").set_index("identifier")["person_id"]
    left = truth.loc[assistance["identifier"]].reset_index()
    right = truth.loc[pension["identifier"]].reset_index()
    table = match_quality(pairs, left, right, thresholds=[0.9]).iloc[0]
    # independent count: persons on both lists, times their records on each
    both = set(left["person_id"]) & set(right["person_id"])
    expected = sum((left["person_id"] == p).sum() * (right["person_id"] == p).sum() for p in both)
    assert table["true_pairs"] == expected > 0
    assert table["f1"] >= 0.9
    with pytest.raises(ValueError, match="unknown programme 'pension'"):
        eco.programme("pension")


# -- from lists to people -------------------------------------------------------------------


def test_persons_covered_against_the_truth(eco):
    lists = eco.beneficiaries
    table = persons_covered(lists, population=10_000).set_index("programme")
    truth = eco.truth_of("beneficiaries")
    assert table.loc["sum of the lists", "records"] == len(lists)
    true_persons = truth["person_id"].nunique()
    assert abs(table.loc["any programme", "persons"] - true_persons) <= 0.02 * true_persons
    assert table.loc["any programme", "persons"] < table.loc["sum of the lists", "records"]
    per = lists.groupby("programme_identifier").size()
    for name, records in per.items():
        assert table.loc[name, "records"] == records
    in_several = truth.assign(p=lists["programme_identifier"].to_numpy()).groupby("person_id")["p"]
    several = (in_several.nunique() >= 2).sum()
    assert abs(table.loc["two or more programmes", "persons"] - several) <= max(3, 0.1 * several)
    assert table.loc["any programme", "share_of_population"] == pytest.approx(
        table.loc["any programme", "persons"] / 10_000
    )


# -- bad input ------------------------------------------------------------------------------


def person_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "identifier": ["a", "b", "c"],
            "given_name": ["Зарина", "Ниссо", "Умед"],
            "family_name": ["Саидова", "Саидова", "Саидов"],
            "birth_date": ["1980-01-01", "1985-02-02", "1990-03-03"],
            "sex": ["female", "female", "male"],
            "national_id": ["1234567897", None, "1234567897"],
        },
        index=[5, 6, 7],
    )


@pytest.mark.parametrize(
    ("change", "error", "pattern"),
    [
        (lambda f: f.drop(columns="birth_date"), KeyError, "missing column 'birth_date'"),
        (lambda f: f.iloc[:0], ValueError, "no rows"),
        (
            lambda f: f.assign(birth_date=["1980-01-01", "31/02/1985", "1990-03-03"]),
            TypeError,
            r"column 'birth_date' must hold dates written YYYY-MM-DD; row 6 holds '31/02/1985'",
        ),
        (
            lambda f: f.assign(national_id=[1234567897, None, 55]),
            TypeError,
            r"column 'national_id' must hold IDs as text .*row 5 holds 1234567897",
        ),
        (
            lambda f: f.assign(identifier=["a", "b", "a"]),
            ValueError,
            r"column 'identifier' must be unique; row 7 repeats 'a'",
        ),
        (
            lambda f: f.assign(sex=["female", "F", "male"]),
            ValueError,
            r"column 'sex': row 6 holds 'F'; expected one of",
        ),
        (
            lambda f: f.assign(given_name=["Зарина", 7, "Умед"]),
            TypeError,
            r"column 'given_name' must hold text; row 6 holds 7",
        ),
    ],
)
def test_bad_registries_get_errors_that_name_column_and_row(change, error, pattern):
    frame = change(person_frame())
    for function in (deduplicate, lambda f: link(f, person_frame())):
        with pytest.raises(error, match=pattern):
            function(frame)


def test_bad_threshold_and_truth():
    with pytest.raises(ValueError, match="threshold"):
        deduplicate(person_frame(), threshold=1.5)
    pairs = pd.DataFrame({"identifier_l": ["a"], "identifier_r": ["z"], "match_probability": [0.9]})
    truth = pd.DataFrame({"identifier": ["a", "b"], "person_id": [1, 2]})
    with pytest.raises(ValueError, match="'identifier_r': row 0 holds 'z'"):
        match_quality(pairs, truth)


# -- the same model on Spark (slow: starts a local Spark session) ---------------------------


@pytest.mark.slow
def test_same_model_same_clusters_on_duckdb_and_spark(spark_session):
    pyspark = pytest.importorskip("pyspark")
    from splink import SparkAPI

    eco = sp.registry_ecosystem("LAO", n_persons=2_200, seed=3)
    frame = eco.social_registry
    assert len(frame) >= sp.registry.MIN_TRAINING_RECORDS  # both engines train the model
    on_spark, spark_pairs = deduplicate(
        frame, db_api=SparkAPI(spark_session=spark_session), return_pairs=True
    )
    on_duckdb, duckdb_pairs = deduplicate(frame, return_pairs=True)
    assert pyspark.__version__ >= "4"
    pd.testing.assert_series_equal(on_spark["cluster_id"], on_duckdb["cluster_id"])

    def ordered(pairs: pd.DataFrame) -> pd.DataFrame:
        left = pairs["identifier_l"].to_numpy(dtype=str)
        right = pairs["identifier_r"].to_numpy(dtype=str)
        low, high = np.where(left < right, left, right), np.where(left < right, right, left)
        return pd.DataFrame({"a": low, "b": high, "p": pairs["match_probability"].to_numpy()})

    both = ordered(duckdb_pairs).merge(ordered(spark_pairs), on=["a", "b"], how="outer")
    both = both.fillna({"p_x": 0.0, "p_y": 0.0})
    strong = both[(both["p_x"] >= 0.5) | (both["p_y"] >= 0.5)]
    assert len(strong) > 20
    # The random sample behind the u probabilities differs between the engines: the
    # probabilities of the pairs in doubt differ a little (0.035 at most when written).
    differ = strong[(strong["p_x"] - strong["p_y"]).abs() > 0.05]
    assert differ.empty, differ.to_string()
    truth = eco.truth_of("social_registry")
    f1 = [
        match_quality(p, truth, thresholds=[0.9])["f1"].iloc[0] for p in (duckdb_pairs, spark_pairs)
    ]
    assert f1[0] == pytest.approx(f1[1], abs=0.005)
