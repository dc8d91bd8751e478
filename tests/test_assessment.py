"""The institutional and functional assessment: hand-worked cases and independent oracles.

Mandates: overlaps, gaps and inconsistencies worked out by hand on small maps.
Roadmap: the critical path and the schedule worked out by hand, then checked on random
roadmaps against a brute-force enumeration of every chain of dependencies; the cost by
year checked against DuckDB SQL.
"""

from __future__ import annotations

import itertools

import duckdb
import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialprotection as sp

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

SETTINGS = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


def frame(column: str, names: list[str]) -> pd.DataFrame:
    return pd.DataFrame({column: names})


INSTITUTIONS = frame("institution", ["A", "B", "C"])
FUNCTIONS = frame("function", ["placement", "training", "data"])


def mandates(rows: list[tuple[str, str, str, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["institution", "function", "role", "legal_basis"])


# ---- mandates: hand-worked ---------------------------------------------------------------


def test_overlap_gap_and_inconsistencies_by_hand():
    # placement: A and B both lead (overlap); training: C supports, nobody leads;
    # data: nobody (gap). C supports training without a legal basis.
    # Every institution holds something.
    found = sp.mandate_findings(
        mandates(
            [
                ("A", "placement", "lead", "Law 1"),
                ("B", "placement", "lead", "Decree 2"),
                ("C", "training", "support", None),
            ]
        ),
        INSTITUTIONS,
        FUNCTIONS,
    )
    assert found[["finding", "issue", "function", "institutions"]].values.tolist() == [
        ["overlap", "overlap", "placement", "A; B"],
        ["gap", "gap", "data", ""],
        ["inconsistency", "no lead", "training", "C"],
        ["inconsistency", "no legal basis", "training", "C"],
    ]
    assert "Law 1" in found["detail"].iloc[0] and "Decree 2" in found["detail"].iloc[0]


def test_lead_and_support_is_not_an_overlap():
    found = sp.mandate_findings(
        mandates(
            [
                ("A", "placement", "lead", "Law 1"),
                ("B", "placement", "support", "Law 1"),
                ("C", "training", "lead", "Law 2"),
                ("C", "data", "lead", "Law 2"),
            ]
        ),
        INSTITUTIONS,
        FUNCTIONS,
    )
    assert found.empty
    assert list(found.columns) == ["finding", "issue", "function", "institutions", "detail"]


def test_pair_listed_twice_and_institution_without_function():
    found = sp.mandate_findings(
        mandates(
            [
                ("A", "placement", "lead", "Law 1"),
                ("A", "placement", "support", "Decree 7"),
                ("A", "training", "lead", "Law 1"),
                ("B", "data", "lead", "Law 3"),
            ]
        ),
        INSTITUTIONS,
        FUNCTIONS,
    )
    assert found[["issue", "function", "institutions"]].values.tolist() == [
        ["listed twice", "placement", "A"],
        ["no function", "", "C"],
    ]
    assert "Decree 7" in found["detail"].iloc[0]


def test_mandate_map_is_the_full_grid_with_legal_bases():
    grid = sp.mandate_map(
        mandates(
            [
                ("B", "data", "support", "Law 3"),
                ("B", "data", "lead", "Decree 4"),
                ("A", "placement", "lead", None),
            ]
        ),
        INSTITUTIONS,
        FUNCTIONS,
    )
    assert len(grid) == 9
    assert grid["function"].tolist()[:3] == ["placement"] * 3  # the declared order
    row = grid[(grid["function"] == "data") & (grid["institution"] == "B")].iloc[0]
    assert (row["role"], row["legal_basis"]) == ("lead", "Law 3; Decree 4")
    assert grid.loc[0, "legal_basis"] == ""
    assert (grid["role"] == "none").sum() == 7


def test_the_tajik_illustrative_map():
    institutions = sp.assessment_table("tjk_institutions")
    functions = sp.assessment_table("migration_governance_functions")
    mapping = sp.assessment_table("tjk_mandates")
    assert mapping.attrs["illustrative"] and not functions.attrs["illustrative"]
    found = sp.mandate_findings(mapping, institutions, functions)
    assert found.loc[found["finding"] == "overlap", "function"].tolist() == [
        "pre_departure",
        "job_placement",
        "data",
    ]
    assert found.loc[found["finding"] == "gap", "function"].tolist() == ["reintegration"]
    assert set(found["issue"]) == {"overlap", "gap", "no lead", "no legal basis", "no function"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("institution", "Z"), r"column 'institution': row 1 holds 'Z', which is not a declared"),
        (("function", "audit"), r"column 'function': row 1 holds 'audit', which is not a decl"),
        (("role", "chair"), r"column 'role': row 1 holds 'chair'; expected one of: 'lead'"),
        (
            ("institution", None),
            r"column 'institution' has 1 missing value\(s\), the first in row 1",
        ),
    ],
)
def test_undeclared_names_are_refused_with_column_row_and_value(change, message):
    table = mandates([("A", "placement", "lead", "Law 1"), ("B", "training", "lead", "Law 2")])
    table.loc[1, change[0]] = change[1]
    with pytest.raises(ValueError, match=message):
        sp.mandate_map(table, INSTITUTIONS, FUNCTIONS)


def test_empty_tables_and_repeated_declarations_are_refused():
    table = mandates([("A", "placement", "lead", "Law 1")])
    with pytest.raises(ValueError, match="mandates: the frame has no rows"):
        sp.mandate_findings(table.iloc[:0], INSTITUTIONS, FUNCTIONS)
    with pytest.raises(ValueError, match="functions: the frame has no rows"):
        sp.mandate_findings(table, INSTITUTIONS, FUNCTIONS.iloc[:0])
    with pytest.raises(ValueError, match=r"row 3 holds 'A' again; declare each institution once"):
        sp.mandate_map(table, frame("institution", ["A", "B", "C", "A"]), FUNCTIONS)
    with pytest.raises(KeyError, match="missing column 'legal_basis'"):
        sp.mandate_map(table.drop(columns="legal_basis"), INSTITUTIONS, FUNCTIONS)


def test_the_mandate_chart_writes_words_not_only_colours():
    table = mandates([("A", "placement", "lead", "Law 1"), ("B", "placement", "lead", "Law 2")])
    ax = sp.plot_mandate_map(table, INSTITUTIONS, FUNCTIONS)
    texts = [t.get_text() for t in ax.texts]
    assert texts.count("L") == 2 and "OVERLAP" in texts and texts.count("GAP") == 2
    assert "L leads, S supports" in ax.get_title()
    assert ax.get_xlabel() == "Institution" and ax.get_ylabel() == "Function"
    plt.close(ax.figure)


# ---- the assessment matrix -----------------------------------------------------------------


def test_assessment_matrix_statuses_by_hand():
    guarantees = sp.assessment_table("spf_guarantees")
    entries = pd.DataFrame(
        {
            "guarantee": ["old_age", "children", "old_age", "health"],
            "existing_provision": ["pension", "child benefit", "social pension", "clinics"],
            "policy_gap": ["informal workers", None, "", None],
            "implementation_issue": [None, "low take-up", None, None],
            "recommendation": [None, "simplify the claim", "raise the amount", "  "],
        }
    )
    out = sp.assessment_matrix(entries, guarantees)
    assert out[["guarantee", "status"]].values.tolist() == [
        ["health", "no gap found"],
        ["children", "complete"],
        ["working_age", "not assessed"],
        ["old_age", "recommendation missing"],
        ["old_age", "recommendation without a finding"],
    ]
    assert out.loc[2, "existing_provision"] == "" and out.loc[0, "recommendation"] == ""
    assert set(out["status"]) <= set(sp.STATUSES)


def test_draft_matrix_from_the_tajik_findings():
    functions = sp.assessment_table("migration_governance_functions")
    found = sp.mandate_findings(
        sp.assessment_table("tjk_mandates"), sp.assessment_table("tjk_institutions"), functions
    )
    draft = sp.draft_matrix(found)
    # every finding about a function has a row; the institution without a function has none
    assert len(draft) == (found["function"] != "").sum() == len(found) - 1
    assert draft["policy_gap"].str.startswith(("overlap:", "gap:", "no lead:", "no legal")).all()
    matrix = sp.assessment_matrix(draft, functions.rename(columns={"function": "guarantee"}))
    # skills and protection have no finding: "not assessed", never "no problem"
    assert set(matrix["status"]) == {"recommendation missing", "not assessed"}
    assert sp.draft_matrix(found.iloc[:0]).empty
    bad = found.copy()
    bad.loc[2, "finding"] = "duplicate"
    with pytest.raises(ValueError, match="column 'finding': row 2 holds 'duplicate'"):
        sp.draft_matrix(bad)


def test_assessment_matrix_refuses_an_undeclared_guarantee():
    entries = pd.DataFrame(
        {
            "guarantee": ["old_age", "housing"],
            **{c: ["x", "y"] for c in ("existing_provision", "policy_gap")},
            **{c: ["x", "y"] for c in ("implementation_issue", "recommendation")},
        }
    )
    with pytest.raises(ValueError, match=r"column 'guarantee': row 1 holds 'housing'"):
        sp.assessment_matrix(entries, sp.assessment_table("spf_guarantees"))


# ---- the roadmap: hand-worked ----------------------------------------------------------------


def roadmap(rows: list[tuple[str, float, float, str | None]], institution="MoL") -> pd.DataFrame:
    return pd.DataFrame(
        [(a, institution, c, d, dep) for a, c, d, dep in rows],
        columns=["activity", "institution", "cost", "duration", "depends_on"],
    )


# A diamond with a tail: a (2) -> b (4) -> d (1), a -> c (5) -> d; c -> e (1).
# Chains: a-b-d = 7, a-c-d = 8, a-c-e = 8. Two critical paths; b has 1 month of slack.
DIAMOND = roadmap(
    [
        ("a", 10, 2, None),
        ("b", 20, 4, "a"),
        ("c", 30, 5, "a"),
        ("d", 40, 1, "b; c"),
        ("e", 5, 1, "c"),
    ]
)


def test_schedule_and_critical_path_by_hand():
    schedule = sp.roadmap_schedule(DIAMOND).set_index("activity")
    assert schedule["start"].to_dict() == {"a": 0, "b": 2, "c": 2, "d": 7, "e": 7}
    assert schedule["finish"].to_dict() == {"a": 2, "b": 6, "c": 7, "d": 8, "e": 8}
    assert schedule["slack"].to_dict() == {"a": 0, "b": 1, "c": 0, "d": 0, "e": 0}
    assert schedule["critical"].to_dict() == {"a": 1, "b": 0, "c": 1, "d": 1, "e": 1}
    assert schedule.attrs["duration"] == 8
    assert sp.critical_path(DIAMOND) == ["a", "c", "d"]  # the first of the two, d before e


def test_cost_by_year_by_hand():
    # Start in 2026. a: months 0-2, b: 2-6, c: 2-7, d: 7-8, e: 7-8: all in 2026.
    assert sp.roadmap_cost_by_year(DIAMOND, 2026).values.tolist() == [[2026, 105.0]]
    # One activity of 24 months, then one of 6: 120 spread over 2 years, then 60.
    plan = roadmap([("system", 120, 24, None), ("launch", 60, 6, "system")])
    out = sp.roadmap_cost_by_year(plan, 2030)
    assert out.values.tolist() == [[2030, 60.0], [2031, 60.0], [2032, 60.0]]
    # A milestone at month 12 costs all in the second year; an idle year shows zero.
    plan = roadmap([("wait", 0, 12, None), ("sign", 9, 0, "wait")])
    assert sp.roadmap_cost_by_year(plan, 2030).values.tolist() == [[2030, 0.0], [2031, 9.0]]


def test_cost_by_year_by_institution():
    plan = pd.DataFrame(
        {
            "activity": ["law", "system"],
            "institution": ["MoL", "Agency"],
            "cost": [12.0, 24.0],
            "duration": [6, 24],
            "depends_on": [None, "law"],
        }
    )
    out = sp.roadmap_cost_by_year(plan, 2026, by="institution")
    assert out.values.tolist() == [
        [2026, "MoL", 12.0],
        [2026, "Agency", 6.0],  # months 6 to 12 of 24
        [2027, "MoL", 0.0],
        [2027, "Agency", 12.0],
        [2028, "MoL", 0.0],
        [2028, "Agency", 6.0],
    ]


@pytest.mark.parametrize(
    ("dependencies", "cycle"),
    [
        (["c", "a", "b"], "'a' -> 'b' -> 'c' -> 'a'"),
        (["a", None, None], "'a' -> 'a'"),
        ([None, "c", "b"], "'b' -> 'c' -> 'b'"),
    ],
)
def test_a_cycle_is_refused_and_named(dependencies, cycle):
    plan = roadmap([(name, 1, 1, dep) for name, dep in zip("abc", dependencies, strict=True)])
    with pytest.raises(ValueError, match="dependency cycle: " + cycle):
        sp.roadmap_schedule(plan)


def test_unknown_dependency_and_bad_numbers_are_refused():
    plan = DIAMOND.copy()
    plan.loc[3, "depends_on"] = "b; z"
    with pytest.raises(ValueError, match=r"row 3 \(activity 'd'\) depends on 'z', which is not"):
        sp.roadmap_schedule(plan)
    plan = DIAMOND.copy()
    plan.loc[1, "cost"] = -5
    with pytest.raises(ValueError, match="column 'cost' must not be negative; row 1 holds -5"):
        sp.roadmap_cost_by_year(plan, 2026)
    plan = DIAMOND.copy()
    plan.loc[2, "duration"] = -1
    with pytest.raises(ValueError, match="column 'duration' must not be negative; row 2"):
        sp.critical_path(plan)
    with pytest.raises(ValueError, match="activities: the frame has no rows"):
        sp.roadmap_schedule(DIAMOND.iloc[:0])
    plan = DIAMOND.copy()
    plan.loc[4, "activity"] = "a"
    with pytest.raises(ValueError, match="row 4 holds 'a' again"):
        sp.roadmap_schedule(plan)
    with pytest.raises(ValueError, match=r"column 'institution': row 0 holds 'MoL', which is not"):
        sp.roadmap_schedule(DIAMOND, frame("institution", ["Agency"]))


def test_start_year_and_by_are_checked():
    with pytest.raises(TypeError, match="start_year must be a whole year"):
        sp.roadmap_cost_by_year(DIAMOND, "2026")
    with pytest.raises(ValueError, match="by must be None or 'institution'"):
        sp.roadmap_cost_by_year(DIAMOND, 2026, by="activity")


def test_dependencies_as_lists_commas_or_blanks():
    plan = DIAMOND.astype({"depends_on": object})
    plan.at[3, "depends_on"] = ["b", "c"]
    plan.at[4, "depends_on"] = " c , "
    plan.at[0, "depends_on"] = "  "
    assert sp.roadmap_schedule(plan)["depends_on"].tolist() == ["", "a", "a", "b; c", "c"]


def test_the_roadmap_chart_marks_the_critical_activities_in_words():
    ax = sp.plot_roadmap(DIAMOND, 2026)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["a (critical)", "b", "c (critical)", "d (critical)", "e (critical)"]
    assert ax.get_xlabel().startswith("Year")
    plt.close(ax.figure)


# ---- the roadmap: independent oracles on random roadmaps -------------------------------------


@st.composite
def random_roadmaps(draw) -> pd.DataFrame:
    """Up to seven activities; each may depend on any earlier one (so there is no cycle)."""
    n = draw(st.integers(1, 7))
    names = [f"x{k}" for k in range(n)]
    order = draw(st.permutations(names))  # the table need not be in the order of work
    rows = []
    for k, name in enumerate(order):
        deps = draw(st.lists(st.sampled_from(order[:k]), unique=True)) if k else []
        rows.append(
            (
                name,
                draw(st.integers(0, 500)) / 2,
                float(draw(st.integers(0, 30))),
                "; ".join(deps) if deps else None,
            )
        )
    table = roadmap(rows)
    return table.iloc[draw(st.permutations(range(n)))].reset_index(drop=True)


def brute_force(table: pd.DataFrame) -> tuple[float, dict[str, float], set[str]]:
    """Enumerate every chain of dependencies: the length, each earliest start, the critical set.

    A chain is a sequence of activities in which each depends on the one before.
    The earliest start of an activity is the longest chain that ends just before it; the
    roadmap lasts as long as the longest chain; an activity is critical when it lies on a
    chain of that length.
    """
    duration = dict(zip(table["activity"], table["duration"], strict=True))
    deps = {
        a: d.split("; ") if isinstance(d, str) else []
        for a, d in zip(table["activity"], table["depends_on"], strict=True)
    }

    def chains_ending_at(a: str) -> list[list[str]]:
        if not deps[a]:
            return [[a]]
        return [c + [a] for d in deps[a] for c in chains_ending_at(d)]

    chains = [c for a in duration for c in chains_ending_at(a)]
    length = {tuple(c): sum(duration[x] for x in c) for c in chains}
    longest = max(length.values())
    start = {a: max(length[tuple(c)] - duration[a] for c in chains_ending_at(a)) for a in duration}
    critical = {x for c, n in length.items() if n == longest for x in c}
    return longest, start, critical


@SETTINGS
@given(table=random_roadmaps())
def test_schedule_and_critical_path_against_brute_force(table):
    longest, start, critical = brute_force(table)
    schedule = sp.roadmap_schedule(table).set_index("activity")
    assert schedule.attrs["duration"] == longest
    assert schedule["start"].to_dict() == start
    assert set(schedule.index[schedule["critical"]]) == critical
    path = sp.critical_path(table)
    assert sum(schedule.loc[a, "duration"] for a in path) == longest
    deps = schedule["depends_on"].str.split("; ")
    assert all(a in deps[b] for a, b in itertools.pairwise(path))  # a chain of dependencies
    assert set(path) <= critical and schedule.loc[path[0], "depends_on"] == ""


def duckdb_cost_by_year(table: pd.DataFrame, start: dict[str, float], year0: int) -> pd.DataFrame:
    """The cost by year in SQL, from the earliest starts of the brute force."""
    acts = table.assign(start=table["activity"].map(start))  # noqa: F841 - read by DuckDB
    return duckdb.sql(
        f"""
        WITH spans AS (
            SELECT cost, duration, start, start + duration AS finish,
                   CASE WHEN duration > 0 THEN CAST(ceil((start + duration) / 12) AS INT) - 1
                        ELSE CAST(floor(start / 12) AS INT) END AS last_k
            FROM acts
        ),
        years AS (SELECT range AS k FROM range(0, (SELECT max(last_k) + 1 FROM spans)))
        SELECT {year0} + k AS year,
               sum(CASE WHEN duration > 0
                        THEN cost * greatest(0, least(finish, 12 * (k + 1))
                                                - greatest(start, 12 * k)) / duration
                        WHEN floor(start / 12) = k THEN cost ELSE 0 END) AS cost
        FROM years CROSS JOIN spans GROUP BY k ORDER BY k
        """
    ).df()


@SETTINGS
@given(table=random_roadmaps(), year0=st.integers(2020, 2030))
def test_cost_by_year_against_duckdb(table, year0):
    _, start, _ = brute_force(table)
    expected = duckdb_cost_by_year(table, start, year0)
    out = sp.roadmap_cost_by_year(table, year0)
    assert out["year"].tolist() == expected["year"].astype(int).tolist()
    np.testing.assert_allclose(out["cost"], expected["cost"], rtol=1e-9, atol=1e-9)
    assert out["cost"].sum() == pytest.approx(table["cost"].sum())
    by = sp.roadmap_cost_by_year(table, year0, by="institution")
    np.testing.assert_allclose(by.groupby("year")["cost"].sum(), out["cost"], atol=1e-9)


@SETTINGS
@given(table=random_roadmaps(), data=st.data())
def test_a_back_edge_always_makes_a_named_cycle(table, data):
    """Make the first activity of a chain depend on its last one: the message names the cycle."""
    deps = {
        a: d.split("; ") if isinstance(d, str) else []
        for a, d in zip(table["activity"], table["depends_on"], strict=True)
    }
    last = data.draw(st.sampled_from(list(deps)))
    chain = [last]
    while deps[chain[-1]]:
        chain.append(data.draw(st.sampled_from(deps[chain[-1]])))
    first = chain[-1]
    row = table.index[table["activity"] == first][0]
    table = table.copy()
    table.loc[row, "depends_on"] = "; ".join([*deps[first], last])
    with pytest.raises(ValueError, match="dependency cycle") as error:
        sp.roadmap_schedule(table)
    named = str(error.value).split("cycle: ")[1].split(";")[0].split(" -> ")
    assert named[0] == named[-1] and len(named) >= 2
    for before, after in itertools.pairwise(named):  # each waits for the one before it
        after_deps = table.loc[table["activity"] == after.strip("'"), "depends_on"].iloc[0]
        assert before.strip("'") in after_deps.split("; ")
