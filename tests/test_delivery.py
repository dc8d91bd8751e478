"""socialprotection.delivery: hand-worked cases, bad input, and agreement with DuckDB SQL.

The DuckDB queries are written here independently of the library, from the definitions
in the docstrings, and run on the same perturbed synthetic log (rows shuffled, events
moved out of order, duplicated events), so that both must treat the problems alike.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pytest

import socialprotection as sp
from socialprotection import delivery

DECISIONS = ["decision_eligible", "decision_not_eligible"]


def frame(rows: list[tuple]) -> pd.DataFrame:
    """Events from (case, activity, day of January 2024 or a timestamp text, district)."""
    out = pd.DataFrame(
        rows, columns=["case_id", "activity", "timestamp", "district"][: len(rows[0])]
    )
    out["timestamp"] = pd.to_datetime(
        [f"2024-01-{d:02d}" if isinstance(d, int) else d for d in out["timestamp"]]
    )
    return out


# ---- hand-worked cases ---------------------------------------------------------------------


def test_funnel_hand_worked():
    log = frame(
        [
            (1, "application", 1, "A"),
            (1, "assessment", 3, "A"),
            (1, "enrolment", 5, "A"),
            (2, "assessment", 1, "A"),  # before its application: out of order
            (2, "application", 2, "A"),
            (3, "application", 1, "B"),
            (3, "enrolment", 2, "B"),  # no assessment: enrolment out of order
            (4, "enrolment", 1, "B"),  # never applied
        ]
    )
    out = sp.funnel(log, ["application", "assessment", "enrolment"], by="district")
    a = out[out["district"] == "A"].set_index("step")
    assert a["reached"].tolist() == [2, 1, 1]
    assert a["previous"].tolist() == [2, 2, 1]
    assert a["out_of_order"].tolist() == [0, 1, 0]
    b = out[out["district"] == "B"].set_index("step")
    assert b["reached"].tolist() == [1, 0, 0]
    assert b["dropped"].tolist() == [1, 1, 0]
    assert b["out_of_order"].tolist() == [0, 0, 2]
    assert b["share_of_previous"].iloc[0] == 0.5
    # alternatives in one step
    both = sp.funnel(log, ["application", ["assessment", "enrolment"]])
    assert both["reached"].tolist() == [3, 2]
    assert both["step"].tolist() == ["application", "assessment or enrolment"]


def test_processing_times_hand_worked():
    log = frame(
        [
            (1, "application", 1),
            (1, "decision_eligible", 3),  # 2 days
            (2, "application", 1),
            (2, "decision_not_eligible", 5),  # 4 days
            (3, "application", 1),
            (3, "decision_eligible", 11),  # 10 days
            (4, "decision_eligible", 1),  # before its application
            (4, "application", 2),
            (5, "application", 2),  # still open
        ]
    )
    out = sp.processing_times(log, "application", DECISIONS)
    row = out.iloc[0]
    assert (row["started"], row["completed"], row["open"], row["out_of_order"]) == (5, 3, 2, 1)
    assert row["median_days"] == 4.0
    assert row["p90_days"] == pytest.approx(4 + 0.8 * 6)
    assert row["mean_days"] == pytest.approx(16 / 3)
    per_case = sp.case_durations(log, "application", DECISIONS)
    assert per_case["days"].tolist()[:3] == [2.0, 4.0, 10.0]
    assert per_case["out_of_order"].tolist() == [False, False, False, True, False]
    monthly = sp.processing_times(log, "application", DECISIONS, month=True)
    assert monthly["month"].tolist() == ["2024-01"]
    assert monthly["completed"].tolist() == [3]


def test_backlog_and_past_standard_hand_worked():
    log = frame(
        [
            (1, "application", 10),
            (1, "decision_eligible", "2024-02-03"),  # 24 days
            (2, "application", 20),
            (2, "decision_eligible", 25),  # 5 days
            (3, "application", "2024-02-10"),  # open
        ]
    )
    out = sp.backlog(log, "application", "decision_eligible")
    assert out["month"].tolist() == ["2024-01", "2024-02"]
    assert out["opened"].tolist() == [2, 1]
    assert out["closed"].tolist() == [1, 1]
    assert out["open_at_end"].tolist() == [1, 1]
    late = sp.past_standard(log, "application", "decision_eligible", 14, as_of="2024-03-01")
    assert late[["started", "completed_late", "open_late", "past_standard"]].iloc[0].tolist() == [
        3,
        1,
        1,
        2,
    ]
    early = sp.past_standard(log, "application", "decision_eligible", 14, as_of="2024-02-15")
    assert early["open_late"].iloc[0] == 0


def test_payments_hand_worked():
    log = frame(
        [
            (1, "payment_scheduled", "2024-01-15 09:00"),
            (1, "payment_paid", "2024-01-15 18:00"),  # same day: on time
            (1, "payment_scheduled", "2024-02-15 09:00"),
            (1, "payment_paid", "2024-02-16 08:00"),  # late
            (2, "payment_scheduled", "2024-01-15 09:00"),
            (2, "payment_failed", "2024-01-16 09:00"),  # not paid
            (3, "payment_paid", "2024-01-15 09:00"),  # no schedule
            (3, "payment_returned", "2024-01-20 09:00"),
        ]
    )
    log["cycle"] = [1, 1, 2, 2, 1, 1, 1, 1]
    log["amount"] = [100.0] * 8
    out = sp.payment_timeliness(log).iloc[0]
    assert (out["scheduled"], out["paid"], out["on_time"], out["late"], out["not_paid"]) == (
        3,
        2,
        1,
        1,
        1,
    )
    assert out["paid_unscheduled"] == 1
    assert out["on_time_share"] == pytest.approx(1 / 3)
    rec = sp.reconciliation(log).iloc[0]
    assert rec["scheduled_amount"] == 300.0
    assert rec["paid_n"] == 3 and rec["failed_n"] == 1 and rec["returned_n"] == 1
    assert rec["disbursed_amount"] == 200.0
    assert rec["undisbursed_share"] == pytest.approx(100 / 300)
    log["district"] = ["A"] * 6 + ["B"] * 2
    costs = pd.DataFrame({"district": ["A", "B"], "cost": [40.0, 10.0]})
    cpt = sp.cost_per_transfer(log, costs, amount="amount").set_index("district")
    assert cpt.loc["A", "transfers"] == 2 and cpt.loc["A", "cost_per_transfer"] == 20.0
    assert cpt.loc["B", "transfers"] == 0 and np.isnan(cpt.loc["B", "cost_per_transfer"])
    assert cpt.loc["A", "admin_cost_ratio"] == pytest.approx(40 / 240)


def test_duplicated_schedule_is_refused():
    log = frame([(1, "payment_scheduled", 15), (1, "payment_scheduled", 15)])
    log["cycle"] = [1, 1]
    with pytest.raises(ValueError, match=r"1 duplicated 'payment_scheduled'.*row 1"):
        sp.payment_timeliness(log)


def test_grievances_hand_worked():
    log = frame(
        [
            (1, "enrolment", 1),
            (1, "grievance_opened", 2),
            (1, "grievance_resolved", 4),  # 2 days
            (1, "grievance_opened", 10),
            (1, "grievance_resolved", 30),  # 20 days
            (2, "enrolment", 1),
            (2, "grievance_resolved", 2),  # before its opening: out of order
            (2, "grievance_opened", 5),
            (3, "enrolment", 1),
            (4, "enrolment", 1),
        ]
    )
    log["category"] = ["x", "delay", "delay", "info", "info", "x", "delay", "delay", "x", "x"]
    rates = sp.grievance_rates(log).iloc[0]
    assert (rates["grievances"], rates["beneficiaries"]) == (3, 4)
    assert rates["per_thousand"] == 750.0
    by_cat = sp.grievance_rates(log, category="category").set_index("category")
    assert by_cat["grievances"].to_dict() == {"delay": 2, "info": 1}
    res = sp.grievance_resolution(log, [3, 30]).set_index("tier_days")
    assert res.loc[3.0, "grievances"] == 3
    assert res.loc[3.0, "resolved_within"] == 1
    assert res.loc[30.0, "resolved_within"] == 2
    assert res.loc[30.0, "out_of_order"] == 1
    assert res.loc[30.0, "unresolved"] == 0


def test_targeting_errors_hand_worked():
    # Grosh et al. 2022 style: 10 persons, 4 eligible; 3 enrolled of whom 1 not eligible.
    truth = pd.DataFrame(
        {"case_id": range(1, 11), "eligible": [True] * 4 + [False] * 6, "district": ["A"] * 10}
    )
    log = frame([(1, "enrolment", 1), (2, "enrolment", 1), (5, "enrolment", 1), (6, "outreach", 1)])
    out = sp.targeting_errors(log, truth, by="district").iloc[0]
    assert (out["eligible"], out["enrolled"]) == (4, 3)
    assert out["eligible_not_enrolled"] == 2 and out["exclusion_error"] == 0.5
    assert out["enrolled_not_eligible"] == 1 and out["inclusion_error"] == pytest.approx(1 / 3)
    with pytest.raises(ValueError, match="not in truth, the first 99"):
        sp.targeting_errors(frame([(99, "enrolment", 1)]), truth)


def test_process_map_hand_worked():
    log = frame(
        [
            (1, "application", 1),
            (1, "enrolment", 3),
            (1, "assessment", 2),  # rows out of time order: taken in time order
            (2, "application", 1),
            (2, "assessment", 1),  # same time: row order
            (3, "application", 1),
        ]
    )
    dfg = sp.directly_follows(log)
    assert dfg[["source", "target", "count"]].values.tolist() == [
        ["application", "assessment", 2],
        ["assessment", "enrolment", 1],
    ]
    assert dfg["median_days"].tolist() == [0.5, 1.0]
    var = sp.variants(log)
    assert var["variant"].tolist() == [
        "application",
        "application > assessment",
        "application > assessment > enrolment",
    ]
    assert var["cases"].tolist() == [1, 1, 1]


# ---- bad input -------------------------------------------------------------------------------


def test_check_event_log_names_and_counts_every_problem():
    log = pd.DataFrame(
        {
            "case_id": [1, 1, 1, 1, 2, 2, 2, 3, None],
            "activity": [
                "application",
                "application",
                "payment_paid",
                "enrolment",
                "application",
                "aplication",
                "assessment",
                "application",
                "application",
            ],
            "timestamp": [
                "2024-01-05",
                "2024-01-05",  # duplicate
                "2024-01-06",  # payment before enrolment
                "2024-01-09",
                "2024-01-04",
                "2024-01-05",
                "2024-01-03",  # earlier than the previous row of case 2
                "tomorrow",
                "2024-01-01",
            ],
            "district": ["A", "A", "A", "A", "A", "B", "A", "A", "A"],
        }
    )
    problems = sp.check_event_log(log, by="district").set_index("problem")
    assert problems.loc["missing value", "count"] == 1
    assert problems.loc["unknown activity", "count"] == 1
    assert problems.loc["unknown activity", "first_row"] == 5
    assert problems.loc["timestamp not a date or time", "first_row"] == 7
    assert problems.loc["duplicated event", "count"] == 1
    assert problems.loc["duplicated event", "first_row"] == 1
    assert problems.loc["row earlier than the case's previous row", "first_row"] == 6
    assert problems.loc["payment before enrolment", "count"] == 1
    assert problems.loc["assessment before application", "count"] == 1
    assert problems.loc["case in several values of 'district'", "count"] == 1
    # nothing was changed in the input
    assert log["timestamp"].iloc[7] == "tomorrow"


def test_mixed_time_zones_and_unreadable_times():
    log = pd.DataFrame(
        {
            "case_id": [1, 1, 2],
            "activity": ["application", "enrolment", "application"],
            "timestamp": ["2024-01-01T09:00+05:00", "2024-01-02T09:00", "2024-01-03T09:00+05:00"],
        }
    )
    problems = sp.check_event_log(log)
    assert problems["problem"].tolist() == ["timestamps with and without a time zone"]
    assert problems["first_row"].tolist() == [1]
    with pytest.raises(ValueError, match=r"mixes times with and without a time zone.*row 1"):
        sp.funnel(log, ["application"])
    log.loc[1, "timestamp"] = "2024-13-45"
    log["timestamp"] = ["2024-01-01", "2024-13-45", "2024-01-03"]
    with pytest.raises(ValueError, match=r"1 value\(s\) that are not dates and times.*row 1"):
        sp.funnel(log, ["application"])
    log["timestamp"] = [1, 2, 3]
    with pytest.raises(TypeError, match="must hold dates and times"):
        sp.funnel(log, ["application"])


def test_one_time_zone_is_read_in_utc():
    log = pd.DataFrame(
        {
            "case_id": [1, 1],
            "activity": ["application", "enrolment"],
            "timestamp": ["2024-01-01T23:00+05:00", "2024-01-02T01:00+05:00"],
        }
    )
    assert sp.processing_times(log, "application", "enrolment")["median_days"].iloc[0] == (
        pytest.approx(2 / 24)
    )


def test_unknown_step_lists_the_activities():
    log = frame([(1, "application", 1)])
    with pytest.raises(ValueError, match="step 'aplication' is not an activity.*'application'"):
        sp.funnel(log, ["aplication"])


def test_configurable_column_names():
    log = frame([(1, "application", 1), (1, "enrolment", 4)]).rename(
        columns={"case_id": "dossier", "activity": "step", "timestamp": "at"}
    )
    out = sp.funnel(
        log, ["application", "enrolment"], case="dossier", activity="step", timestamp="at"
    )
    assert out["reached"].tolist() == [1, 1]


# ---- agreement with DuckDB ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def logs():
    """A synthetic log made untidy: moved and duplicated events, rows shuffled."""
    made = sp.event_log("TJK", n_cases=3_000, seed=5)
    events = made.events.copy()
    rng = np.random.default_rng(0)
    moved = events[events["activity"].isin(["assessment", "grievance_resolved"])].sample(
        120, random_state=1
    )
    events.loc[moved.index, "timestamp"] -= pd.Timedelta(days=40)
    dup = events.sample(40, random_state=2)
    untidy = pd.concat([events, dup[dup["activity"] != "payment_scheduled"]])
    untidy = untidy.iloc[rng.permutation(len(untidy))].reset_index(drop=True)
    untidy["row"] = np.arange(len(untidy))
    con = duckdb.connect()
    ev = untidy.assign(
        activity=untidy["activity"].astype(str),
        district=untidy["district"].astype(str),
        category=untidy["category"].astype(str).where(untidy["category"].notna()),
    )
    con.register("ev", ev)
    con.register("truth", made.truth.assign(district=made.truth["district"].astype(str)))
    con.register("costs", made.costs)
    con.execute(
        "CREATE TEMP TABLE grp AS SELECT case_id, arg_min(district, row) AS district "
        "FROM ev GROUP BY case_id"
    )
    return untidy, made, con


def test_funnel_agrees_with_duckdb(logs):
    events, _, con = logs
    steps = list(delivery.FUNNEL_STEPS)
    ctes = [
        f"s1 AS (SELECT case_id, min(timestamp) AS t FROM ev WHERE activity = '{steps[0]}' "
        "GROUP BY case_id)"
    ]
    for k, step in enumerate(steps[1:], start=2):
        ctes.append(
            f"s{k} AS (SELECT e.case_id, min(e.timestamp) AS t FROM ev e JOIN s{k - 1} p "
            f"ON e.case_id = p.case_id WHERE e.activity = '{step}' AND e.timestamp >= p.t "
            "GROUP BY e.case_id)"
        )
    selects = []
    for k, step in enumerate(steps, start=1):
        selects.append(
            f"SELECT g.district, {k} AS position, "
            f"(SELECT count(*) FROM s{k} JOIN grp x USING (case_id) "
            "WHERE x.district = g.district) AS reached, "
            f"(SELECT count(DISTINCT e.case_id) FROM ev e JOIN grp x USING (case_id) "
            f"WHERE x.district = g.district AND e.activity = '{step}' AND e.case_id NOT IN "
            f"(SELECT case_id FROM s{k})) AS out_of_order "
            "FROM (SELECT DISTINCT district FROM grp) g"
        )
    sql = "WITH " + ", ".join(ctes) + " " + " UNION ALL ".join(selects)
    expected = con.execute(sql).df().sort_values(["district", "position"], ignore_index=True)
    got = sp.funnel(events, steps, by="district")
    got = got.sort_values(["district", "position"], ignore_index=True)
    assert got["out_of_order"].sum() > 0  # the untidy log has events out of order
    assert got["reached"].tolist() == expected["reached"].tolist()
    assert got["out_of_order"].tolist() == expected["out_of_order"].tolist()


def _durations_sql(start: str, ends: list[str]) -> str:
    listed = ", ".join(f"'{e}'" for e in ends)
    return (
        f"WITH st AS (SELECT case_id, min(timestamp) AS t0 FROM ev WHERE activity = '{start}' "
        "GROUP BY case_id), "
        "en AS (SELECT st.case_id, min(e.timestamp) AS t1 FROM st JOIN ev e "
        f"ON e.case_id = st.case_id AND e.activity IN ({listed}) AND e.timestamp >= st.t0 "
        "GROUP BY st.case_id), "
        "d AS (SELECT st.case_id, g.district, st.t0, en.t1, "
        "(epoch_ns(en.t1) - epoch_ns(st.t0)) / 86400e9 AS days "
        "FROM st LEFT JOIN en USING (case_id) JOIN grp g USING (case_id)) "
    )


def test_processing_times_agree_with_duckdb(logs):
    events, _, con = logs
    sql = _durations_sql("application", DECISIONS) + (
        "SELECT district, count(*) AS started, count(days) AS completed, "
        "quantile_cont(days, 0.5) AS median_days, quantile_cont(days, 0.9) AS p90_days "
        "FROM d GROUP BY district ORDER BY district"
    )
    expected = con.execute(sql).df()
    got = sp.processing_times(events, "application", DECISIONS, by="district")
    got = got.sort_values("district", ignore_index=True)
    assert got["started"].tolist() == expected["started"].tolist()
    assert got["completed"].tolist() == expected["completed"].tolist()
    np.testing.assert_allclose(got["median_days"], expected["median_days"], rtol=1e-9)
    np.testing.assert_allclose(got["p90_days"], expected["p90_days"], rtol=1e-9)


def test_backlog_and_past_standard_agree_with_duckdb(logs):
    events, _, con = logs
    got = sp.backlog(events, "application", DECISIONS, by="district")
    got = got.sort_values(["district", "month"], ignore_index=True)
    months = pd.DataFrame({"month": got["month"].unique()})
    months["month_end"] = pd.to_datetime(months["month"]) + pd.offsets.MonthBegin(1)
    con.register("months", months)
    sql = _durations_sql("application", DECISIONS) + (
        "SELECT g.district, m.month, count(d.case_id) AS open_at_end "
        "FROM (SELECT DISTINCT district FROM grp) g CROSS JOIN months m "
        "LEFT JOIN d ON d.district = g.district AND d.t0 < m.month_end "
        "AND (d.t1 IS NULL OR d.t1 >= m.month_end) "
        "GROUP BY g.district, m.month ORDER BY g.district, m.month"
    )
    expected = con.execute(sql).df()
    assert got["open_at_end"].tolist() == expected["open_at_end"].tolist()
    as_of = events["timestamp"].max()
    late = sp.past_standard(events, "application", DECISIONS, 30, by="district")
    sql = _durations_sql("application", DECISIONS) + (
        "SELECT district, count(*) FILTER (WHERE days > 30 OR (days IS NULL AND "
        f"(epoch_ns(TIMESTAMP '{as_of}') - epoch_ns(t0)) / 86400e9 > 30)) AS n "
        "FROM d GROUP BY district ORDER BY district"
    )
    expected = con.execute(sql).df()
    late = late.sort_values("district", ignore_index=True)
    assert late["past_standard"].tolist() == expected["n"].tolist()


def test_payments_agree_with_duckdb(logs):
    events, made, con = logs
    sql = (
        "WITH s AS (SELECT case_id, cycle, timestamp AS ts FROM ev "
        "WHERE activity = 'payment_scheduled'), "
        "p AS (SELECT case_id, cycle, min(timestamp) AS tp FROM ev "
        "WHERE activity = 'payment_paid' GROUP BY case_id, cycle) "
        "SELECT g.district, count(*) AS scheduled, count(p.tp) AS paid, "
        "count(*) FILTER (WHERE CAST(p.tp AS DATE) <= CAST(s.ts AS DATE)) AS on_time "
        "FROM s LEFT JOIN p USING (case_id, cycle) JOIN grp g USING (case_id) "
        "GROUP BY g.district ORDER BY g.district"
    )
    expected = con.execute(sql).df()
    got = sp.payment_timeliness(events, by="district").sort_values("district", ignore_index=True)
    for column in ("scheduled", "paid", "on_time"):
        assert got[column].tolist() == expected[column].tolist()
    sql = (
        "SELECT g.district, "
        "sum(amount) FILTER (WHERE activity = 'payment_scheduled') AS scheduled_amount, "
        "count(*) FILTER (WHERE activity = 'payment_failed') AS failed_n, "
        "coalesce(sum(amount) FILTER (WHERE activity = 'payment_paid'), 0) "
        "- coalesce(sum(amount) FILTER (WHERE activity = 'payment_returned'), 0) AS disbursed "
        "FROM ev JOIN grp g USING (case_id) GROUP BY g.district ORDER BY g.district"
    )
    expected = con.execute(sql).df()
    got = sp.reconciliation(events, by="district").sort_values("district", ignore_index=True)
    np.testing.assert_allclose(got["scheduled_amount"], expected["scheduled_amount"])
    np.testing.assert_allclose(got["disbursed_amount"], expected["disbursed"])
    assert got["failed_n"].tolist() == expected["failed_n"].tolist()
    sql = (
        "SELECT c.district, c.cost / nullif(count(*) FILTER (WHERE e.activity = 'payment_paid') "
        "- count(*) FILTER (WHERE e.activity = 'payment_returned'), 0) AS cpt "
        "FROM costs c LEFT JOIN grp g ON g.district = c.district "
        "LEFT JOIN ev e ON e.case_id = g.case_id GROUP BY c.district, c.cost ORDER BY c.district"
    )
    expected = con.execute(sql).df()
    got = sp.cost_per_transfer(events, made.costs)
    np.testing.assert_allclose(got["cost_per_transfer"], expected["cpt"])


def test_grievances_agree_with_duckdb(logs):
    events, _, con = logs
    sql = (
        "SELECT g.district, count(*) FILTER (WHERE activity = 'grievance_opened') AS n, "
        "count(DISTINCT ev.case_id) FILTER (WHERE activity = 'enrolment') AS b "
        "FROM ev JOIN grp g USING (case_id) GROUP BY g.district ORDER BY g.district"
    )
    expected = con.execute(sql).df()
    got = sp.grievance_rates(events, by="district").sort_values("district", ignore_index=True)
    np.testing.assert_allclose(got["per_thousand"], 1000 * expected["n"] / expected["b"])
    sql = (
        "WITH o AS (SELECT case_id, timestamp AS t, row_number() OVER "
        "(PARTITION BY case_id ORDER BY timestamp, row) AS k FROM ev "
        "WHERE activity = 'grievance_opened'), "
        "r AS (SELECT case_id, timestamp AS t, row_number() OVER "
        "(PARTITION BY case_id ORDER BY timestamp, row) AS k FROM ev "
        "WHERE activity = 'grievance_resolved') "
        "SELECT g.district, count(*) AS grievances, "
        "count(*) FILTER (WHERE r.t >= o.t AND (epoch_ns(r.t) - epoch_ns(o.t)) / 86400e9 <= 7) "
        "AS within7 FROM o LEFT JOIN r USING (case_id, k) JOIN grp g USING (case_id) "
        "GROUP BY g.district ORDER BY g.district"
    )
    expected = con.execute(sql).df()
    got = sp.grievance_resolution(events, [7], by="district")
    got = got.sort_values("district", ignore_index=True)
    assert got["grievances"].tolist() == expected["grievances"].tolist()
    assert got["resolved_within"].tolist() == expected["within7"].tolist()


def test_targeting_errors_agree_with_duckdb(logs):
    events, made, con = logs
    sql = (
        "WITH en AS (SELECT DISTINCT case_id FROM ev WHERE activity = 'enrolment') "
        "SELECT t.district, "
        "count(*) FILTER (WHERE t.eligible AND en.case_id IS NULL) / "
        "count(*) FILTER (WHERE t.eligible) AS exclusion, "
        "count(*) FILTER (WHERE NOT t.eligible AND en.case_id IS NOT NULL) / "
        "count(en.case_id) AS inclusion "
        "FROM truth t LEFT JOIN en USING (case_id) GROUP BY t.district ORDER BY t.district"
    )
    expected = con.execute(sql).df()
    got = sp.targeting_errors(events, made.truth, by="district")
    got = got.sort_values("district", ignore_index=True)
    np.testing.assert_allclose(got["exclusion_error"], expected["exclusion"])
    np.testing.assert_allclose(got["inclusion_error"], expected["inclusion"])


def test_process_map_agrees_with_duckdb(logs):
    events, _, con = logs
    sql = (
        "WITH x AS (SELECT activity AS source, lead(activity) OVER w AS target, "
        "(epoch_ns(lead(timestamp) OVER w) - epoch_ns(timestamp)) / 86400e9 AS d FROM ev "
        "WINDOW w AS (PARTITION BY case_id ORDER BY timestamp, row)) "
        "SELECT source, target, count(*) AS n, median(d) AS median_days FROM x "
        "WHERE target IS NOT NULL GROUP BY source, target ORDER BY n DESC, source, target"
    )
    expected = con.execute(sql).df()
    got = sp.directly_follows(events)
    assert (
        got[["source", "target"]].values.tolist() == expected[["source", "target"]].values.tolist()
    )
    assert got["count"].tolist() == expected["n"].tolist()
    np.testing.assert_allclose(got["median_days"], expected["median_days"], rtol=1e-9)
    sql = (
        "WITH v AS (SELECT case_id, string_agg(activity, ' > ' ORDER BY timestamp, row) AS p "
        "FROM ev GROUP BY case_id) "
        "SELECT p AS variant, count(*) AS cases FROM v GROUP BY p ORDER BY cases DESC, p"
    )
    expected = con.execute(sql).df()
    got = sp.variants(events, top=None)
    assert got["variant"].tolist() == expected["variant"].tolist()
    assert got["cases"].tolist() == expected["cases"].tolist()


def test_check_event_log_agrees_with_duckdb(logs):
    events, _, con = logs
    problems = sp.check_event_log(events).set_index("problem")["count"]
    dup = con.execute(
        "SELECT sum(n - 1) FROM (SELECT count(*) AS n FROM ev "
        "GROUP BY case_id, activity, timestamp)"
    ).fetchone()[0]
    assert problems["duplicated event"] == dup
    before = con.execute(
        "WITH a AS (SELECT case_id, min(timestamp) AS t FROM ev WHERE activity = 'application' "
        "GROUP BY case_id) SELECT count(DISTINCT e.case_id) FROM ev e LEFT JOIN a USING (case_id) "
        "WHERE e.activity = 'assessment' AND (a.t IS NULL OR e.timestamp < a.t)"
    ).fetchone()[0]
    assert problems["assessment before application"] == before
