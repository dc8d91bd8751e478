"""Time the survey indicators on synthetic surveys of 1 and 10 million persons, against DuckDB.

Run from the repository root::

    .venv/bin/python benchmarks/survey_speed.py            # 1 and 10 million persons
    .venv/bin/python benchmarks/survey_speed.py --persons 1000000 --repeat 3

For each size the script builds a synthetic Tajikistan survey
(:func:`socialprotection.synthetic.household_survey`), then computes

(a) headline coverage, two ways: the SDG 1.3.1 headline, the weighted share of persons
    who receive any of the six programmes or actively contribute
    (:func:`socialprotection.coverage.headline_from_persons`, a union of person flags);
    and programme coverage at the household level (ASPIRE: every member of a household
    with a recipient is covered) for the six programmes, with its ``"any"`` row
    (:func:`socialprotection.survey.programme_coverage`);
(b) benefit incidence by quintile of pre-transfer per-capita welfare for the six
    programmes and ``"any"``: :func:`socialprotection.survey.benefit_incidence`;

and the same two results in DuckDB, with SQL over the same pandas frame (registered,
not copied), in the same process. The SQL reproduces the library's rules: household
beneficiary flag = any member receives; per-capita transfer = household total / members;
quintiles from the cumulative household weight of the distinct pre-transfer values,
each value going to the group that holds its midpoint.
The script checks that both give the same numbers (numerators and denominators to a
relative 1e-9, counts exactly) and prints seconds, peak memory and the ratio
library / DuckDB.

Seconds: best of ``--repeat`` runs (wall clock). Peak MB: the highest resident memory
of the process (sampled every 2 ms from /proc/self/statm) during the first run, minus
the resident memory at its start, after freed memory is handed back to the system
(``malloc_trim``); it counts numpy, pandas and DuckDB alike. It is a sampled figure, so
a very short spike can be missed.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import platform
import resource
import sys
import threading
import time
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialprotection.coverage import headline_from_persons  # noqa: E402
from socialprotection.survey import benefit_incidence, programme_coverage  # noqa: E402
from socialprotection.synthetic import ILLUSTRATIVE, PROGRAMMES, household_survey  # noqa: E402

PROGRAMME_LIST = list(PROGRAMMES)
QUINTILES = 5
SNAP = 1e-9  # the library's relative tolerance for a midpoint on a group boundary
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _rss() -> int:
    """Resident memory of this process in bytes (Linux)."""
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[1]) * _PAGE


def _trim() -> None:
    """Collect garbage and return freed heap memory to the system, so RSS deltas show."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class PeakMemory:
    """Context manager: highest resident memory above the start, sampled every 2 ms."""

    def __init__(self) -> None:
        self._stop = threading.Event()
        self.start = self.peak = 0

    def _sample(self) -> None:
        while not self._stop.wait(0.002):
            self.peak = max(self.peak, _rss())

    def __enter__(self) -> PeakMemory:
        _trim()
        self.start = self.peak = _rss()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

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
    seconds = []
    peak = 0.0
    result = None
    for run in range(repeat):
        result = None
        with PeakMemory() as memory:
            start = time.perf_counter()
            result = function()
            seconds.append(time.perf_counter() - start)
        if run == 0:
            peak = memory.mb
    return result, min(seconds), peak


# ----------------------------------------------------------------------- DuckDB


FLAGS = [f"{p}_recipient" for p in PROGRAMME_LIST] + ["contributor"]


def duckdb_headline(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """SDG 1.3.1 headline in SQL: weighted share of persons with at least one flag."""
    covered = " OR ".join(FLAGS)
    return con.execute(
        f"SELECT sum(CASE WHEN {covered} THEN weight ELSE 0 END) AS numerator, "
        "sum(weight) AS denominator, count(*) AS n_obs, "
        f"sum(CASE WHEN {covered} THEN weight ELSE 0 END) / sum(weight) AS rate FROM survey"
    ).df()


def duckdb_coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Household-level coverage of each programme and of their union, in SQL."""
    flags = ",\n".join(f"bool_or({p}_recipient) AS r_{p}" for p in PROGRAMME_LIST)
    any_flag = " OR ".join(f"r_{p}" for p in PROGRAMME_LIST)
    numerators = ",\n".join(
        f"coalesce(sum(w) FILTER (WHERE r_{p}), 0) AS {p}" for p in PROGRAMME_LIST
    )
    sql = f"""
        WITH hh AS (
            SELECT sum(weight) AS w, count(*) AS m, {flags}
            FROM survey GROUP BY hh_id
        )
        SELECT sum(w) AS denominator, sum(m) AS n_obs, {numerators},
               coalesce(sum(w) FILTER (WHERE {any_flag}), 0) AS "any"
        FROM hh
    """
    wide = con.execute(sql).fetchdf().iloc[0]
    names = [*PROGRAMME_LIST, "any"]
    numerator = np.array([wide[p] for p in names], dtype=float)
    denominator = float(wide["denominator"])
    return pd.DataFrame(
        {
            "programme": names,
            "numerator": numerator,
            "denominator": denominator,
            "rate": numerator / denominator,
            "n_obs": int(wide["n_obs"]),
        }
    )


def duckdb_benefit_incidence(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Benefit incidence by quintile of pre-transfer per-capita welfare, in SQL."""
    per_household = ",\n".join(
        f"sum(CAST({p}_amount AS DOUBLE)) AS t_{p}, bool_or({p}_recipient) AS r_{p}"
        for p in PROGRAMME_LIST
    )
    total = " + ".join(f"t_{p}" for p in PROGRAMME_LIST)
    any_flag = " OR ".join(f"r_{p}" for p in PROGRAMME_LIST)
    sums = ",\n".join(
        f"sum(w * (t_{p} / m)) AS num_{p}, sum(CASE WHEN r_{p} THEN m ELSE 0 END) AS n_{p}"
        for p in PROGRAMME_LIST
    )
    sql = f"""
        WITH hh AS (
            SELECT sum(weight) AS w, count(*) AS m, first(consumption_pc) AS y,
                   {per_household}
            FROM survey GROUP BY hh_id
        ),
        ranked AS (SELECT *, y - ({total}) / m AS pre FROM hh),
        blocks AS (SELECT pre, sum(w) AS v FROM ranked GROUP BY pre),
        cumulative AS (
            SELECT pre, v,
                   sum(v) OVER (ORDER BY pre ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
                       AS c,
                   sum(v) OVER () AS total
            FROM blocks
        ),
        positions AS (
            SELECT pre, {QUINTILES} * (c - v / 2) / total AS position FROM cumulative
        ),
        groups AS (
            SELECT pre,
                   least(
                       CAST(floor(CASE WHEN abs(position - round(position)) <= {SNAP * QUINTILES}
                                       THEN round(position) ELSE position END) AS INTEGER) + 1,
                       {QUINTILES}
                   ) AS quintile
            FROM positions
        )
        SELECT quintile, {sums},
               sum(w * (({total}) / m)) AS num_any,
               sum(CASE WHEN {any_flag} THEN m ELSE 0 END) AS n_any
        FROM ranked JOIN groups USING (pre)
        GROUP BY quintile ORDER BY quintile
    """
    wide = con.execute(sql).fetchdf().set_index("quintile")
    wide = wide.reindex(range(1, QUINTILES + 1), fill_value=0)
    names = [*PROGRAMME_LIST, "any"]
    denominator = {p: float(wide[f"num_{p}"].sum()) for p in names}
    rows = [
        (q, p, float(wide.loc[q, f"num_{p}"]), denominator[p], int(wide.loc[q, f"n_{p}"]))
        for q in range(1, QUINTILES + 1)
        for p in names
    ]
    out = pd.DataFrame(rows, columns=["quintile", "programme", "numerator", "denominator", "n_obs"])
    out.insert(4, "share", out["numerator"] / out["denominator"])
    return out


# ---------------------------------------------------------------------- checks


def compare(library: pd.DataFrame, sql: pd.DataFrame, keys: list[str], rate: str) -> str:
    """Return "yes" when both results agree, else a description of the largest difference."""
    merged = library.merge(sql, on=keys, suffixes=("_lib", "_sql"), how="outer", indicator=True)
    if (merged["_merge"] != "both").any():
        return "NO: different rows"
    problems = []
    for column in ("numerator", "denominator"):
        a, b = merged[f"{column}_lib"].to_numpy(), merged[f"{column}_sql"].to_numpy()
        if not np.allclose(a, b, rtol=1e-9, atol=0):
            problems.append(f"{column} max rel diff {np.max(np.abs(a - b) / np.abs(b)):.2e}")
    a, b = merged[f"{rate}_lib"].to_numpy(), merged[f"{rate}_sql"].to_numpy()
    if not np.allclose(a, b, rtol=0, atol=1e-12):
        problems.append(f"{rate} max abs diff {np.max(np.abs(a - b)):.2e}")
    if not np.array_equal(merged["n_obs_lib"].to_numpy(), merged["n_obs_sql"].to_numpy()):
        problems.append("n_obs differ")
    return "yes" if not problems else "NO: " + "; ".join(problems)


# ------------------------------------------------------------------------ main


def run(persons: int, repeat: int, threads: int) -> list[tuple]:
    """Build one survey, time each computation in both engines and return table rows."""
    n_households = round(persons / ILLUSTRATIVE["TJK"]["mean_household_size"])
    frame, build_s, build_mb = measure(
        lambda: household_survey("TJK", n_households=n_households, seed=2022), 1
    )
    frame_mb = frame.memory_usage(deep=True).sum() / 1e6
    label = f"{len(frame):,}"
    rows = [
        (label, "build synthetic survey", build_s, build_mb, None, None, f"frame {frame_mb:.0f} MB")
    ]

    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    con.register("survey", frame)  # a view over the pandas frame: no copy

    lib_head, lib_head_s, lib_head_mb = measure(lambda: headline_from_persons(frame, FLAGS), repeat)
    sql_head, sql_head_s, sql_head_mb = measure(lambda: duckdb_headline(con), repeat)
    lib_cov, lib_cov_s, lib_cov_mb = measure(
        lambda: programme_coverage(frame, PROGRAMME_LIST, level="household"), repeat
    )
    sql_cov, sql_cov_s, sql_cov_mb = measure(lambda: duckdb_coverage(con), repeat)
    lib_inc, lib_inc_s, lib_inc_mb = measure(
        lambda: benefit_incidence(frame, PROGRAMME_LIST), repeat
    )
    sql_inc, sql_inc_s, sql_inc_mb = measure(lambda: duckdb_benefit_incidence(con), repeat)
    con.close()

    lib_head = lib_head.assign(key="headline")
    agree_head = compare(lib_head, sql_head.assign(key="headline"), ["key"], "rate")
    agree_cov = compare(lib_cov, sql_cov, ["programme"], "rate")
    rows.append(
        (
            label,
            "SDG 1.3.1 headline (union)",
            lib_head_s,
            lib_head_mb,
            sql_head_s,
            sql_head_mb,
            agree_head,
        )
    )
    agree_inc = compare(lib_inc, sql_inc, ["quintile", "programme"], "share")
    rows.append(
        (
            label,
            "coverage (household, 6 + any)",
            lib_cov_s,
            lib_cov_mb,
            sql_cov_s,
            sql_cov_mb,
            agree_cov,
        )
    )
    rows.append(
        (
            label,
            "benefit incidence (quintiles)",
            lib_inc_s,
            lib_inc_mb,
            sql_inc_s,
            sql_inc_mb,
            agree_inc,
        )
    )
    rows.append(
        (
            label,
            "all three",
            lib_head_s + lib_cov_s + lib_inc_s,
            max(lib_head_mb, lib_cov_mb, lib_inc_mb),
            sql_head_s + sql_cov_s + sql_inc_s,
            max(sql_head_mb, sql_cov_mb, sql_inc_mb),
            "yes" if agree_head == agree_cov == agree_inc == "yes" else "NO",
        )
    )
    any_rate = lib_cov.loc[lib_cov["programme"] == "any", "rate"].item()
    poorest = (lib_inc["quintile"] == 1) & (lib_inc["programme"] == "social_assistance")
    print(
        f"{label} persons: SDG 1.3.1 headline {lib_head['rate'].item():.4f}; "
        f"coverage by any of the six programmes (household level) "
        f"{any_rate:.4f}; share of social assistance going to the poorest quintile "
        f"{lib_inc.loc[poorest, 'share'].item():.4f}",
        flush=True,
    )
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 when the libraries disagree."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=2, help="runs per computation (best kept)")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    args = parser.parse_args(argv)

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"duckdb {duckdb.__version__}; {os.cpu_count()} CPU(s), DuckDB threads {args.threads}; "
        f"best of {args.repeat} run(s)",
        flush=True,
    )
    rows = []
    for persons in args.persons:
        rows += run(persons, args.repeat, args.threads)

    header = (
        f"{'persons':>11}  {'task':31} {'library s':>9} {'lib MB':>8} "
        f"{'DuckDB s':>9} {'DuckDB MB':>9} {'ratio':>6}  agree"
    )
    print()
    print(header)
    print("-" * len(header))
    for label, task, lib_s, lib_mb, sql_s, sql_mb, agree in rows:
        sql_text = (
            f"{sql_s:9.2f} {sql_mb:9.0f} {lib_s / sql_s:6.2f}" if sql_s else f"{'':9} {'':9} {'':6}"
        )
        print(f"{label:>11}  {task:31} {lib_s:9.2f} {lib_mb:8.0f} {sql_text}  {agree}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nprocess peak resident memory (ru_maxrss): {peak:.0f} MB")
    disagree = [r for r in rows if r[6] not in ("yes",) and not str(r[6]).startswith("frame")]
    return 1 if disagree else 0


if __name__ == "__main__":
    sys.exit(main())
