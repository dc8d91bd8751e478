"""Time the delivery indicators on a synthetic MIS event log, against hand-written DuckDB SQL.

Run from the repository root::

    .venv/bin/python benchmarks/delivery_indicators.py                  # about 10 million events
    .venv/bin/python benchmarks/delivery_indicators.py --events 200000  # small, for CI

The script draws a synthetic Tajikistan event log (:func:`socialprotection.synthetic.event_log`)
of about ``--events`` events, then computes every indicator of ``socialprotection.delivery``
by district (the funnel, processing times, backlog, cases past a standard, payment
timeliness, reconciliation, cost per transfer, grievance rates and resolution within
tiers, targeting errors, directly-follows counts, variants and the problems report) and
the same numbers with one DuckDB query each, written here from the definitions, over the
same pandas frame (registered, not copied), in the same process. It checks that the
headline numbers agree and prints, per indicator and in total, seconds and peak memory
for both, and the ratio library / DuckDB (target: 2 or less in total).

Seconds: best of ``--repeat`` runs (wall clock). Peak MB: the highest resident memory of
the process above its start, sampled every 2 ms (see benchmarks/survey_speed.py). DuckDB
uses every core it is given (``--threads``, default all); the library uses one.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import platform
import sys
import threading
import time
from pathlib import Path

import duckdb
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialprotection import delivery  # noqa: E402
from socialprotection.synthetic import event_log  # noqa: E402

EVENTS_PER_CASE = 5.1  # about, for the default parameters (measured)
DECIDED = ["decision_eligible", "decision_not_eligible"]
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss() -> int:
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[1]) * _PAGE


def _trim() -> None:
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakMemory:
    """Highest resident memory above the start, sampled every 2 ms."""

    def __enter__(self) -> PeakMemory:
        _trim()
        self._stop = threading.Event()
        self.start = self.peak = _rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _rss())

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, _rss())

    @property
    def mb(self) -> float:
        """Peak resident memory above the start, in MB (10^6 bytes)."""
        return (self.peak - self.start) / 1e6


def measure(function, repeat: int):
    """Run ``function`` ``repeat`` times; return its result, best seconds and peak MB."""
    best, peak, result = float("inf"), 0.0, None
    for _ in range(repeat):
        result = None
        with PeakMemory() as memory:
            start = time.perf_counter()
            result = function()
            best = min(best, time.perf_counter() - start)
        peak = max(peak, memory.mb)
    return result, best, peak


def _durations(start: str, ends: list[str]) -> str:
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


def queries(as_of: str) -> dict[str, str]:
    """Return one hand-written DuckDB query per indicator, by district."""
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
    funnel = (
        "WITH "
        + ", ".join(ctes)
        + " "
        + " UNION ALL ".join(
            f"SELECT g.district, {k} AS position, count(*) AS reached FROM s{k} "
            "JOIN grp g USING (case_id) GROUP BY g.district"
            for k in range(1, len(steps) + 1)
        )
    )
    return {
        "funnel": funnel,
        "processing_times": _durations("application", DECIDED)
        + "SELECT district, count(*), count(days), quantile_cont(days, 0.5), "
        "quantile_cont(days, 0.9) FROM d GROUP BY district",
        "backlog": _durations("application", DECIDED)
        + "SELECT g.district, m.m, count(d.case_id) FROM (SELECT DISTINCT district FROM grp) g "
        "CROSS JOIN (SELECT DISTINCT date_trunc('month', timestamp) + INTERVAL 1 MONTH AS m "
        "FROM ev) m LEFT JOIN d ON d.district = g.district AND d.t0 < m.m "
        "AND (d.t1 IS NULL OR d.t1 >= m.m) GROUP BY ALL",
        "past_standard": _durations("application", DECIDED)
        + "SELECT district, count(*) FILTER (WHERE days > 30 OR (days IS NULL AND "
        f"(epoch_ns(TIMESTAMP '{as_of}') - epoch_ns(t0)) / 86400e9 > 30)) FROM d "
        "GROUP BY district",
        "payment_timeliness": "WITH s AS (SELECT case_id, cycle, timestamp AS ts FROM ev "
        "WHERE activity = 'payment_scheduled'), p AS (SELECT case_id, cycle, "
        "min(timestamp) AS tp FROM ev WHERE activity = 'payment_paid' GROUP BY ALL) "
        "SELECT g.district, count(*), count(p.tp), count(*) FILTER "
        "(WHERE CAST(p.tp AS DATE) <= CAST(s.ts AS DATE)) FROM s LEFT JOIN p "
        "USING (case_id, cycle) JOIN grp g USING (case_id) GROUP BY g.district",
        "reconciliation": "SELECT g.district, activity, count(*), sum(amount) FROM ev "
        "JOIN grp g USING (case_id) WHERE activity IN ('payment_scheduled', 'payment_paid', "
        "'payment_failed', 'payment_returned') GROUP BY ALL",
        "cost_per_transfer": "SELECT c.district, c.cost / nullif(count(*) FILTER "
        "(WHERE e.activity = 'payment_paid') - count(*) FILTER "
        "(WHERE e.activity = 'payment_returned'), 0) FROM ev e JOIN grp g USING (case_id) "
        "JOIN costs c ON c.district = g.district GROUP BY c.district, c.cost",
        "grievance_rates": "SELECT g.district, count(*) FILTER "
        "(WHERE activity = 'grievance_opened'), count(DISTINCT ev.case_id) FILTER "
        "(WHERE activity = 'enrolment') FROM ev JOIN grp g USING (case_id) GROUP BY g.district",
        "grievance_resolution": "WITH o AS (SELECT case_id, timestamp AS t, row_number() OVER "
        "(PARTITION BY case_id ORDER BY timestamp, row) AS k FROM ev "
        "WHERE activity = 'grievance_opened'), r AS (SELECT case_id, timestamp AS t, "
        "row_number() OVER (PARTITION BY case_id ORDER BY timestamp, row) AS k FROM ev "
        "WHERE activity = 'grievance_resolved'), x AS (SELECT g.district, "
        "(epoch_ns(r.t) - epoch_ns(o.t)) / 86400e9 AS d FROM o LEFT JOIN r USING (case_id, k) "
        "JOIN grp g USING (case_id)) SELECT district, t.tier, count(*), "
        "count(*) FILTER (WHERE d >= 0 AND d <= t.tier) FROM x CROSS JOIN "
        "(SELECT unnest([1, 3, 7, 14]) AS tier) t GROUP BY ALL",
        "targeting_errors": "WITH en AS (SELECT DISTINCT case_id FROM ev "
        "WHERE activity = 'enrolment') SELECT t.district, count(*) FILTER "
        "(WHERE t.eligible AND en.case_id IS NULL), count(*) FILTER (WHERE t.eligible), "
        "count(*) FILTER (WHERE NOT t.eligible AND en.case_id IS NOT NULL), count(en.case_id) "
        "FROM truth t LEFT JOIN en USING (case_id) GROUP BY t.district",
        "directly_follows": "WITH x AS (SELECT g.district, activity AS s, lead(activity) OVER w "
        "AS t, (epoch_ns(lead(timestamp) OVER w) - epoch_ns(timestamp)) / 86400e9 AS d "
        "FROM ev JOIN grp g USING (case_id) WINDOW w AS (PARTITION BY ev.case_id "
        "ORDER BY timestamp, row)) SELECT district, s, t, count(*), median(d) FROM x "
        "WHERE t IS NOT NULL GROUP BY ALL",
        "variants": "WITH v AS (SELECT case_id, string_agg(activity, ' > ' "
        "ORDER BY timestamp, row) AS p FROM ev GROUP BY case_id) SELECT p, count(*) AS n "
        "FROM v GROUP BY p ORDER BY n DESC LIMIT 10",
        "check_event_log": "SELECT (SELECT sum(n - 1) FROM (SELECT count(*) AS n FROM ev "
        "GROUP BY case_id, activity, timestamp)), (SELECT count(*) FROM (SELECT timestamp < "
        "lag(timestamp) OVER (PARTITION BY case_id ORDER BY row) AS back FROM ev) WHERE back), "
        "(WITH a AS (SELECT case_id, min(timestamp) AS t FROM ev WHERE activity = 'enrolment' "
        "GROUP BY case_id) SELECT count(DISTINCT e.case_id) FROM ev e LEFT JOIN a "
        "USING (case_id) WHERE e.activity LIKE 'payment%' AND (a.t IS NULL OR e.timestamp < a.t))",
    }


def library(made) -> dict:
    """Return one call of the library per indicator, by district."""
    events = made.events
    return {
        "funnel": lambda: delivery.funnel(events, by="district"),
        "processing_times": lambda: delivery.processing_times(
            events, "application", DECIDED, by="district"
        ),
        "backlog": lambda: delivery.backlog(events, "application", DECIDED, by="district"),
        "past_standard": lambda: delivery.past_standard(
            events, "application", DECIDED, 30, by="district"
        ),
        "payment_timeliness": lambda: delivery.payment_timeliness(events, by="district"),
        "reconciliation": lambda: delivery.reconciliation(events, by="district"),
        "cost_per_transfer": lambda: delivery.cost_per_transfer(events, made.costs),
        "grievance_rates": lambda: delivery.grievance_rates(events, by="district"),
        "grievance_resolution": lambda: delivery.grievance_resolution(events, by="district"),
        "targeting_errors": lambda: delivery.targeting_errors(events, made.truth, by="district"),
        "directly_follows": lambda: delivery.directly_follows(events, by="district"),
        "variants": lambda: delivery.variants(events),
        "check_event_log": lambda: delivery.check_event_log(events),
    }


def main(argv: list[str] | None = None) -> int:
    """Draw the log, time both sides and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="DuckDB threads (0: all)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    n_cases = max(10, int(args.events / EVENTS_PER_CASE))
    start = time.perf_counter()
    made = event_log("TJK", n_cases=n_cases, seed=args.seed)
    drawn = time.perf_counter() - start
    events = made.events
    events["row"] = np.arange(len(events))
    print(
        f"delivery indicators: {len(events):,} events of {n_cases:,} cases "
        f"(drawn in {drawn:.1f} s); {platform.python_implementation()} "
        f"{platform.python_version()}, {os.cpu_count()} cores (shared with other jobs)"
    )
    con = duckdb.connect()
    if args.threads:
        con.execute(f"SET threads TO {args.threads}")
    con.register("ev", events)
    con.register("truth", made.truth)
    con.register("costs", made.costs)
    grp_sql = (
        "CREATE OR REPLACE TEMP TABLE grp AS SELECT case_id, arg_min(district, row) AS district "
        "FROM ev GROUP BY case_id"
    )
    _, grp_seconds, grp_mb = measure(lambda: con.execute(grp_sql), args.repeat)
    sql = queries(str(events["timestamp"].max()))
    header = f"{'indicator':<22}{'library s':>10}{'MB':>8}{'DuckDB s':>10}{'MB':>8}{'ratio':>7}"
    print(header)
    print("-" * len(header))
    total_lib = 0.0
    total_db = grp_seconds
    for name, function in library(made).items():
        _, seconds, mb = measure(function, args.repeat)
        _, db_seconds, db_mb = measure(lambda q=sql[name]: con.execute(q).fetchall(), args.repeat)
        total_lib += seconds
        total_db += db_seconds
        print(
            f"{name:<22}{seconds:>10.2f}{mb:>8.0f}{db_seconds:>10.2f}{db_mb:>8.0f}"
            f"{seconds / db_seconds:>7.1f}"
        )
    print(f"{'(DuckDB: case groups)':<22}{'':>10}{'':>8}{grp_seconds:>10.2f}{grp_mb:>8.0f}")
    print("-" * len(header))
    ratio = total_lib / total_db
    print(
        f"{'total':<22}{total_lib:>10.2f}{'':>8}{total_db:>10.2f}{'':>8}{ratio:>7.1f}"
        f"   target <= 2: {'met' if ratio <= 2 else 'NOT met'}"
    )
    # the headline numbers agree
    reached = delivery.funnel(events, by="district")["reached"].sum()
    expected = sum(row[2] for row in con.execute(sql["funnel"]).fetchall())
    assert reached == expected, (reached, expected)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
