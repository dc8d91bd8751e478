"""Privacy: keyed hashing, minimisation, k-anonymity and l-diversity against DuckDB, publication."""

from __future__ import annotations

import hashlib
import hmac

import duckdb
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import socialprotection as sp
from socialprotection import privacy as pv

KEY = b"a secret key of thirty-two bytes"

# ---- an independent implementation: DuckDB SQL ------------------------------------------------


def _sql_keys(columns: list[str]) -> str:
    # a missing value is a value of its own: coalesce to a label no real value uses
    return ", ".join(f"coalesce(CAST(\"{c}\" AS VARCHAR), '<NULL>')" for c in columns)


def duckdb_k(frame: pd.DataFrame, qi: list[str]) -> int:
    return int(
        duckdb.sql(
            f"SELECT min(n) FROM (SELECT count(*) AS n FROM frame GROUP BY {_sql_keys(qi)})"
        ).fetchall()[0][0]
    )


def duckdb_l(frame: pd.DataFrame, qi: list[str], sensitive: str) -> int:
    return int(
        duckdb.sql(
            f"SELECT min(l) FROM (SELECT count(DISTINCT {_sql_keys([sensitive])}) AS l "
            f"FROM frame GROUP BY {_sql_keys(qi)})"
        ).fetchall()[0][0]
    )


def duckdb_at_risk(frame: pd.DataFrame, qi: list[str], k: int) -> int:
    keys = _sql_keys(qi)
    return int(
        duckdb.sql(
            f"SELECT count(*) FROM (SELECT count(*) OVER (PARTITION BY {keys}) AS n FROM frame) "
            f"WHERE n < {k}"
        ).fetchall()[0][0]
    )


# ---- hand-worked tables --------------------------------------------------------------------------

HAND = pd.DataFrame(
    {
        "district": ["Rasht", "Rasht", "Rasht", "Hisor", "Hisor", None, None],
        "sex": ["female", "female", "male", "male", "male", "female", "female"],
        "programme": ["pension", "child", "pension", "pension", "pension", "child", "child"],
    }
)


def test_hand_worked_k_and_l():
    # groups: (Rasht, f) 2, (Rasht, m) 1, (Hisor, m) 2, (missing, f) 2
    assert pv.k_anonymity(HAND, ["district", "sex"]) == 1
    assert pv.k_anonymity(HAND, ["sex"]) == 3
    # (Hisor, m) all pension; (missing, f) all child
    assert pv.l_diversity(HAND, ["district", "sex"], "programme") == 1
    assert pv.l_diversity(HAND, "sex", "programme") == 1  # the three men: all pension
    other = HAND.assign(
        programme=["pension", "child", "pension", "child", "pension"] + ["child"] * 2
    )
    assert pv.l_diversity(other, "sex", "programme") == 2
    risky = pv.records_at_risk(HAND, ["district", "sex"], k=2)
    assert list(risky.index) == [2] and risky["group_size"].tolist() == [1]
    assert len(pv.records_at_risk(HAND, ["district", "sex"], k=3)) == 7


def test_missing_is_a_value_of_its_own():
    frame = pd.DataFrame({"district": [None, np.nan, "A", "A"]})
    assert pv.k_anonymity(frame, "district") == 2
    assert pv.group_sizes(frame, "district").tolist() == [2, 2, 2, 2]


def test_hand_worked_k_against_duckdb():
    for qi in (["district"], ["sex"], ["district", "sex"]):
        assert pv.k_anonymity(HAND, qi) == duckdb_k(HAND, qi)
        assert pv.l_diversity(HAND, qi, "programme") == duckdb_l(HAND, qi, "programme")


def test_synthetic_registry_against_duckdb():
    registry = sp.registry_ecosystem("TJK", n_persons=3_000, seed=2).social_registry
    frame = registry.assign(age=pv.age_in_years(registry["birth_date"]).astype(float))
    frame["age_band"] = pv.age_bands(frame["age"], 10)
    for qi in (["district", "sex", "age"], ["district", "sex", "age_band"], ["district"]):
        assert pv.k_anonymity(frame, qi) == duckdb_k(frame, qi)
        assert pv.l_diversity(frame, qi, "group_head") == duckdb_l(frame, qi, "group_head")
        for k in (2, 5):
            assert len(pv.records_at_risk(frame, qi, k)) == duckdb_at_risk(frame, qi, k)


VALUES = st.sampled_from(["a", "b", "c", None])


@st.composite
def random_tables(draw) -> pd.DataFrame:
    n = draw(st.integers(1, 40))
    column = st.lists(VALUES, min_size=n, max_size=n)
    return pd.DataFrame(
        {
            "q1": draw(column),
            "q2": draw(st.lists(st.sampled_from([1, 2, None]), min_size=n, max_size=n)),
            "s": draw(column),
        }
    )


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(random_tables(), st.sampled_from([["q1"], ["q2"], ["q1", "q2"]]), st.integers(2, 6))
def test_random_tables_agree_with_duckdb(frame, qi, k):
    assert pv.k_anonymity(frame, qi) == duckdb_k(frame, qi)
    assert pv.l_diversity(frame, qi, "s") == duckdb_l(frame, qi, "s")
    assert len(pv.records_at_risk(frame, qi, k)) == duckdb_at_risk(frame, qi, k)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(random_tables(), st.integers(2, 6))
def test_random_tables_agree_with_a_plain_python_count(frame, k):
    keys = [tuple("<NULL>" if pd.isna(v) else v for v in row) for row in frame[["q1", "q2"]].values]
    counts = {key: keys.count(key) for key in keys}
    assert pv.k_anonymity(frame, ["q1", "q2"]) == min(counts.values())
    assert len(pv.records_at_risk(frame, ["q1", "q2"], k)) == sum(counts[x] < k for x in keys)


# ---- generalisation and suppression -----------------------------------------------------------


def test_k_anonymise_reaches_k_on_the_registry():
    registry = sp.registry_ecosystem("TJK", n_persons=3_000, seed=2).social_registry
    frame = registry.assign(age=pv.age_in_years(registry["birth_date"]).astype(float))
    qi = ["district", "sex", "age"]
    assert pv.k_anonymity(frame, qi) < 5
    out = pv.k_anonymise(
        frame,
        qi,
        5,
        [("age", lambda a: pv.age_bands(a, 10, top=70)), ("district", pv.regions("TJK"))],
    )
    assert pv.k_anonymity(out, qi) >= 5
    report = out.attrs["k_anonymise"]
    assert report["kept"] + report["suppressed"] == len(frame)
    assert duckdb_k(out, qi) >= 5


def test_k_anonymise_stops_generalising_once_k_holds():
    frame = pd.DataFrame({"district": ["Rasht"] * 3, "age": [30, 31, 32]})
    out = pv.k_anonymise(frame, ["district"], 3, [("district", pv.regions("TJK"))])
    assert out.attrs["k_anonymise"]["steps_applied"] == []
    assert out["district"].tolist() == ["Rasht"] * 3


def test_age_bands_and_regions():
    assert pv.age_bands(pd.Series([0, 9, 10, 79, 80]), 10, top=80).tolist() == [
        "0-9",
        "0-9",
        "10-19",
        "70-79",
        "80+",
    ]
    districts = sp.registry_ecosystem("LAO", n_persons=1_000, seed=1).social_registry["district"]
    assert set(districts) <= set(pv.regions("LAO"))


@pytest.mark.parametrize("k", [1, 0, -3])
def test_k_below_two_is_refused(k):
    with pytest.raises(ValueError, match=r"expected k of 2 or more"):
        pv.records_at_risk(HAND, "sex", k)
    with pytest.raises(ValueError, match=r"expected k of 2 or more"):
        pv.k_anonymise(HAND, "sex", k)


def test_missing_quasi_identifier_is_refused():
    with pytest.raises(KeyError, match=r"missing column 'age'"):
        pv.k_anonymity(HAND, ["district", "age"])
    with pytest.raises(KeyError, match=r"missing column 'disability'"):
        pv.l_diversity(HAND, "district", "disability")


def test_empty_frame_is_refused():
    with pytest.raises(ValueError, match="no rows"):
        pv.k_anonymity(HAND.iloc[:0], "sex")


# ---- pseudonymisation -------------------------------------------------------------------------


def test_pseudonym_is_hmac_sha256():
    ids = pd.Series(["1234567897", "7992739871", None])
    out = pv.pseudonymise(ids, KEY)
    assert out[0] == hmac.new(KEY, b"1234567897", hashlib.sha256).hexdigest()
    assert out[2] is None
    assert pv.pseudonymise(ids, KEY)[1] == out[1]  # same key, same pseudonym: linkable
    assert pv.pseudonymise(ids, KEY[::-1])[1] != out[1]


def test_short_key_is_refused():
    with pytest.raises(ValueError, match="at least 32 bytes"):
        pv.pseudonymise(pd.Series(["1"]), b"secret")


def test_unkeyed_hashes_of_the_registry_are_reidentified():
    registry = sp.registry_ecosystem("TJK", n_persons=1_000, seed=1).social_registry
    ids = registry["national_id"].dropna().iloc[:5]
    published = pv.unkeyed_hash(ids)
    for full, found in zip(ids, [pv.reidentify(published, i[:5]) for i in ids], strict=True):
        assert full in set(found.dropna())
    keyed = pv.pseudonymise(ids, KEY)
    assert pv.reidentify(keyed, ids.iloc[0][:5]).isna().all()


def test_candidates_have_a_valid_check_digit():
    candidates = pv.candidate_ids("123456")
    assert len(candidates) == 1_000
    assert sp.valid_national_id(candidates).all()


def test_enumeration_is_capped():
    with pytest.raises(ValueError, match="give at least 3 known digits"):
        pv.candidate_ids("12")


# ---- minimisation -----------------------------------------------------------------------------


def test_minimise_keeps_the_purpose_fields_only():
    registry = sp.registry_ecosystem("TJK", n_persons=1_000, seed=1).social_registry
    for purpose, spec in pv.PURPOSES.items():
        out = pv.minimise(registry, purpose)
        assert list(out.columns) == spec["fields"]
        assert "national_id" not in pv.minimise(registry, "statistics")


def test_minimise_refuses_an_unknown_purpose_or_missing_field():
    with pytest.raises(ValueError, match="unknown purpose 'marketing'"):
        pv.minimise(HAND, "marketing")
    with pytest.raises(KeyError, match="missing column"):
        pv.minimise(HAND, "payment")


# ---- publication ------------------------------------------------------------------------------


def test_small_cells_hand_worked():
    counts = pd.DataFrame(
        {"female": [40, 0, 25, 9], "male": [38, 30, 12, 50]},
        index=["Rasht", "Hisor", "Kulob", "Vahdat"],
    )
    out = pv.suppress_small_cells(counts, threshold=10)
    # Vahdat's 9 women (primary); Vahdat's men, else 9 = total - 50; then Kulob's 25 women
    # (the smallest other non-zero woman count), and Kulob's 12 men to protect the column
    assert out.isna().sum().sum() == 4
    assert out.loc["Hisor", "female"] == 0  # a zero reveals no one
    assert out.attrs["suppression"]["primary"] == 1
    assert out.attrs["suppression"]["secondary"] == 3
    assert "threshold rule" in out.attrs["suppression"]["rule"]
    primary_only = pv.suppress_small_cells(counts, threshold=10, secondary=False)
    assert primary_only.isna().sum().sum() == 1


@settings(max_examples=40, deadline=None, derandomize=True, database=None)
@given(st.lists(st.lists(st.integers(0, 30), min_size=3, max_size=3), min_size=2, max_size=6))
def test_no_suppressed_cell_can_be_recomputed_from_totals(rows):
    counts = pd.DataFrame(rows, columns=["a", "b", "c"])
    out = pv.suppress_small_cells(counts, threshold=5)
    hidden = out.isna().to_numpy()
    small = (counts.to_numpy() > 0) & (counts.to_numpy() < 5)
    assert (hidden | ~small).all()  # every small cell is hidden
    for lines in (hidden, hidden.T):
        for line, values in zip(
            lines, (counts.to_numpy() if lines is hidden else counts.to_numpy().T), strict=True
        ):
            if line.sum() == 1:
                # a single hidden cell in a line is possible only when the others are all 0
                assert (values[~line] == 0).all()


def test_threshold_below_two_is_refused():
    with pytest.raises(ValueError, match="threshold must be a whole number of 2 or more"):
        pv.suppress_small_cells(pd.DataFrame({"a": [1]}), threshold=1)


@pytest.mark.skipif(not pv.HAS_OPENDP, reason="OpenDP (the extra 'privacy') is not installed")
def test_dp_counts_with_opendp():
    frame = pd.DataFrame({"district": ["Rasht"] * 500 + ["Hisor"] * 300 + [None] * 5})
    out = pv.dp_counts(frame, "district", epsilon=1.0, categories=["Rasht", "Hisor", "(missing)"])
    assert out["district"].tolist() == ["Rasht", "Hisor", "(missing)"]
    assert out.attrs["epsilon"] == pytest.approx(1.0)
    assert out.attrs["scale"] == pytest.approx(1.0)
    # Laplace noise of scale 1: |noise| > 20 has probability e^-20
    assert (out["noisy_count"] - [500, 300, 5]).abs().max() < 20
    assert pv.dp_scale(0.5) == pytest.approx(2.0)


@pytest.mark.skipif(not pv.HAS_OPENDP, reason="OpenDP (the extra 'privacy') is not installed")
def test_dp_counts_refuses_bad_epsilon_and_unknown_categories():
    frame = pd.DataFrame({"district": ["Rasht", "Hisor"]})
    with pytest.raises(ValueError, match="epsilon must be a finite number above 0"):
        pv.dp_counts(frame, "district", epsilon=0)
    with pytest.raises(ValueError, match=r"holds \['Hisor'\], not in the categories"):
        pv.dp_counts(frame, "district", epsilon=1.0, categories=["Rasht"])


def test_without_opendp_the_error_says_how_to_install(monkeypatch):
    from socialprotection.privacy import _publish

    monkeypatch.setattr(_publish, "HAS_OPENDP", False)
    with pytest.raises(ImportError, match=r'pip install "socialprotection\[privacy\]"'):
        _publish.dp_counts(pd.DataFrame({"d": ["a"]}), "d", epsilon=1.0)
