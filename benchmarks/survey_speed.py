"""Time the survey indicators on each dataframe engine, beside a hand-written DuckDB query.

Run from the repository root::

    .venv/bin/python benchmarks/survey_speed.py            # 1 and 10 million persons
    .venv/bin/python benchmarks/survey_speed.py --persons 100000 --rounds 1   # a quick check

For each size the script builds the synthetic Tajikistan survey once
(:func:`socialprotection.synthetic.household_survey`, seeded) and keeps it in a file.
Each engine then measures each task in a process of its own, which loads the survey
into its engine; the tasks:

(a) headline coverage, two ways: the SDG 1.3.1 headline, the weighted share of persons
    who receive any of the six programmes or actively contribute
    (:func:`socialprotection.coverage.headline_from_persons`, a union of person flags);
    and programme coverage at the household level (ASPIRE: every member of a household
    with a recipient is covered) for the six programmes, with its ``"any"`` row
    (:func:`socialprotection.survey.programme_coverage`);
(b) benefit incidence by quintile of pre-transfer per-capita welfare for the six
    programmes and ``"any"``: :func:`socialprotection.survey.benefit_incidence`.

The engines: ``pandas`` (the library on a pandas DataFrame: numpy), ``polars`` (the
library on a polars DataFrame, computed by polars through narwhals), ``duckdb`` (the
library on a DuckDB relation over a table of an in-memory DuckDB database), and
``sql``: the same three results written by hand in DuckDB SQL over the same DuckDB
table, the reference. The SQL reproduces the library's rules: household beneficiary
flag = any member receives; per-capita transfer = household total / members; quintiles
from the cumulative household weight of the distinct pre-transfer values, each value
going to the group that holds its midpoint.
The script checks that every engine gives the hand-written query's numbers
(numerators and denominators to a relative 1e-9, counts exactly) and prints seconds,
peak memory and the ratios engine / hand-written DuckDB.

Warm-up: in its fresh process, each engine first runs the task on the first 50,000
households of the survey (about 300,000 persons), in the same engine: the code the call
needs is imported, a first query planned, and the engine's working batches reach their
full size and number (polars' streaming engine reads batches of up to 100,000 rows,
DuckDB vectors of 2,048), so that what is measured next grows with the data, not with
the code loaded or buffers of fixed size. Measured: after a warm-up of 20,000
households (two polars batches), the polars headline's first call on the whole survey
took 3.6 MB, and a first call on a second frame of the same size after it 0.02 MB (an
allocation made once per process, when polars first runs more batches); after 50,000
households or more, 0.1 to 1.0 MB.

Memory: the first call of the task on the whole survey: the highest resident memory
of the process (sampled every 2 ms from /proc/self/statm) during the call, minus the
resident memory just before it (the data already in the engine, freed memory handed
back to the system with ``malloc_trim``). It counts numpy, pandas, polars and DuckDB
alike (DuckDB's memory is native, outside Python's allocator), and every engine,
the hand-written SQL included, is measured the same way: nothing of an earlier query
on the whole survey is left in the process to be reused (an allocator keeps freed
memory, so a second call would show only what the first one did not leave behind).
It is a sampled figure, so a very short spike can be missed.

Seconds: ``--repeat`` timed calls after that first one, median. ``--rounds`` rounds:
in each, every engine measures every task, in a rotated order, so that a busy spell
of a shared machine does not fall on one engine; each ratio engine / SQL is taken within its
round, and the table gives the median over the rounds and the range.
"""

from __future__ import annotations

import argparse
import ctypes
import gc
import os
import pickle
import platform
import statistics
import subprocess
import sys
import tempfile
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
FLOOR_MB = 1.0  # memory below this counts as this much in the ratios
WARM_UP = 50_000  # households of the warm-up call: about 300,000 persons
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
    """Run ``function`` ``repeat`` times; return its result, median seconds and peak MB."""
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
    return result, statistics.median(seconds), peak


# ----------------------------------------------------------------------- DuckDB


FLAGS = [f"{p}_recipient" for p in PROGRAMME_LIST] + ["contributor"]


def duckdb_headline(con: duckdb.DuckDBPyConnection, table: str = "survey") -> pd.DataFrame:
    """SDG 1.3.1 headline in SQL: weighted share of persons with at least one flag."""
    covered = " OR ".join(FLAGS)
    return con.execute(
        f"SELECT sum(CASE WHEN {covered} THEN weight ELSE 0 END) AS numerator, "
        "sum(weight) AS denominator, count(*) AS n_obs, "
        f"sum(CASE WHEN {covered} THEN weight ELSE 0 END) / sum(weight) AS rate FROM {table}"
    ).df()


def duckdb_coverage(con: duckdb.DuckDBPyConnection, table: str = "survey") -> pd.DataFrame:
    """Household-level coverage of each programme and of their union, in SQL."""
    flags = ",\n".join(f"bool_or({p}_recipient) AS r_{p}" for p in PROGRAMME_LIST)
    any_flag = " OR ".join(f"r_{p}" for p in PROGRAMME_LIST)
    numerators = ",\n".join(
        f"coalesce(sum(w) FILTER (WHERE r_{p}), 0) AS {p}" for p in PROGRAMME_LIST
    )
    sql = f"""
        WITH hh AS (
            SELECT sum(weight) AS w, count(*) AS m, {flags}
            FROM {table} GROUP BY hh_id
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


def duckdb_benefit_incidence(con: duckdb.DuckDBPyConnection, table: str = "survey") -> pd.DataFrame:
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
            FROM {table} GROUP BY hh_id
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

ENGINES = ("pandas", "polars", "duckdb", "sql")
TASKS = (
    ("headline", "SDG 1.3.1 headline (union)", ["key"], "rate"),
    ("coverage", "coverage (household, 6 + any)", ["programme"], "rate"),
    ("incidence", "benefit incidence (quintiles)", ["quintile", "programme"], "share"),
)


def build(persons: int, path: str) -> float:
    """Build the seeded survey once and keep it in ``path`` (a pickle) for every worker."""
    n_households = round(persons / ILLUSTRATIVE["TJK"]["mean_household_size"])
    start = time.perf_counter()
    frame = household_survey("TJK", n_households=n_households, seed=2022)
    seconds = time.perf_counter() - start
    with open(path, "wb") as handle:
        pickle.dump(frame, handle, protocol=5)
    return seconds


def worker(engine: str, task: str, data: str, repeat: int, threads: int, output: str) -> None:
    """In its own process: load the survey into ``engine`` and measure one ``task``.

    A first call on the first ``WARM_UP`` households, in the same engine, is the
    warm-up (see the module docstring), so that the memory measured next is that of
    the computation, not of loading code. The next call, on the whole
    survey, is measured for memory (a fresh process: nothing of an earlier query on
    the data is left in the allocator of any engine); the ``repeat`` calls after it
    are timed.
    """
    with open(data, "rb") as handle:
        frame = pickle.load(handle)
    n_persons = len(frame)
    small = frame[frame["hh_id"].isin(frame["hh_id"].unique()[:WARM_UP])]  # whole households
    con = None
    if engine == "polars":
        import polars as pl

        data_, small_ = pl.from_pandas(frame), pl.from_pandas(small)
        del frame
    elif engine in ("duckdb", "sql"):
        con = duckdb.connect()
        con.execute(f"SET threads TO {threads}")
        con.execute("CREATE TABLE survey AS SELECT * FROM frame")
        con.execute("CREATE TABLE warm AS SELECT * FROM small")
        del frame
        data_, small_ = con.table("survey"), con.table("warm")
    else:
        data_, small_ = frame, small
    del small
    if engine == "sql":
        function = {
            "headline": duckdb_headline,
            "coverage": duckdb_coverage,
            "incidence": duckdb_benefit_incidence,
        }[task]
        call = lambda: function(con)  # noqa: E731
        function(con, "warm")
    else:
        import narwhals.stable.v2  # noqa: F401  (imported before the baseline, as duckdb)

        function = {
            "headline": lambda d: headline_from_persons(d, FLAGS),
            "coverage": lambda d: programme_coverage(d, PROGRAMME_LIST, level="household"),
            "incidence": lambda d: benefit_incidence(d, PROGRAMME_LIST),
        }[task]
        call = lambda: function(data_)  # noqa: E731
        function(small_)
    del small_
    result, _, mb = measure(call, 1)
    seconds = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - start)
    with open(output, "wb") as handle:
        pickle.dump({"persons": n_persons, "result": result, "mb": mb, "s": seconds}, handle)


def run_worker(engine: str, task: str, data: str, repeat: int, threads: int) -> dict:
    """Run :func:`worker` in a new Python process and return what it measured."""
    with tempfile.TemporaryDirectory() as folder:
        output = str(Path(folder) / "result.pkl")
        command = [sys.executable, __file__, "--worker", engine, "--task", task, "--data", data]
        command += ["--repeat", str(repeat), "--threads", str(threads), "--output", output]
        subprocess.run(command, check=True)
        with open(output, "rb") as handle:
            return pickle.load(handle)


def _spread(values: list[float]) -> str:
    return f"{min(values):.2f}-{max(values):.2f}"


def run(
    persons: int, rounds: int, repeat: int, threads: int, engines: list[str], tasks: list[str]
) -> list[tuple]:
    """Measure every engine on one survey size and return the table rows.

    ``rounds`` rounds; in each, every task runs in a fresh process per engine, the
    engines in a rotated order (so that a busy spell of the machine does not fall on
    one engine), and the time ratio engine / SQL is taken within the round.
    """
    everyone = [*engines, "sql"]
    measured: dict = {(e, t): [] for e in everyone for t in tasks}
    with tempfile.TemporaryDirectory() as folder:
        data = str(Path(folder) / "survey.pkl")
        build_s = build(persons, data)
        print(f"  {persons:,} persons: survey built in {build_s:.0f} s", flush=True)
        for r in range(rounds):
            order = everyone[r % len(everyone) :] + everyone[: r % len(everyone)]
            for task in tasks:
                for engine in order:
                    measured[engine, task].append(run_worker(engine, task, data, repeat, threads))
            print(f"  {persons:,} persons: round {r + 1} of {rounds} done", flush=True)
    rows = []
    for task, title, keys, rate in TASKS:
        if task not in tasks:
            continue
        sql = measured["sql", task]
        label = f"{sql[0]['persons']:,}"
        sql_s = [statistics.median(m["s"]) for m in sql]
        sql_mb = [m["mb"] for m in sql]
        reference = sql[0]["result"]
        for engine in engines:
            runs = measured[engine, task]
            result = runs[0]["result"]
            if task == "headline":
                result, reference_ = result.assign(key="h"), reference.assign(key="h")
            else:
                reference_ = reference
            agree = compare(result, reference_, keys, rate)
            seconds = [statistics.median(m["s"]) for m in runs]
            mb = [m["mb"] for m in runs]
            time_x = [s / q for s, q in zip(seconds, sql_s, strict=True)]
            mem_x = [max(m, FLOOR_MB) / max(q, FLOOR_MB) for m, q in zip(mb, sql_mb, strict=True)]
            rows.append(
                (label, title, engine, statistics.median(seconds), statistics.median(mb),
                 statistics.median(sql_s), statistics.median(sql_mb), time_x, mem_x, agree)
            )  # fmt: skip
    return rows


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the table; exit 1 when an engine disagrees."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds, each a fresh process per engine and task"
    )
    parser.add_argument("--repeat", type=int, default=1, help="timed runs per process")
    parser.add_argument("--threads", type=int, default=2, help="DuckDB threads")
    parser.add_argument(
        "--engines", nargs="+", default=["pandas", "polars", "duckdb"], choices=ENGINES[:3]
    )
    parser.add_argument(
        "--tasks", nargs="+", default=[t for t, *_ in TASKS], choices=[t for t, *_ in TASKS]
    )
    parser.add_argument("--worker", choices=ENGINES, help=argparse.SUPPRESS)
    parser.add_argument("--task", choices=[t for t, *_ in TASKS], help=argparse.SUPPRESS)
    parser.add_argument("--data", help=argparse.SUPPRESS)
    parser.add_argument("--output", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        worker(args.worker, args.task, args.data, args.repeat, args.threads, args.output)
        return 0

    import narwhals
    import polars

    print(
        f"Python {platform.python_version()}, numpy {np.__version__}, pandas {pd.__version__}, "
        f"polars {polars.__version__}, duckdb {duckdb.__version__}, narwhals "
        f"{narwhals.__version__}; {os.cpu_count()} CPU(s), DuckDB threads {args.threads}; "
        f"{args.rounds} round(s) of a fresh process per engine and task, "
        f"{args.repeat} timed run(s) each",
        flush=True,
    )
    rows = []
    for persons in args.persons:
        rows += run(persons, args.rounds, args.repeat, args.threads, args.engines, args.tasks)

    header = (
        f"{'persons':>11}  {'task':31} {'engine':7} {'seconds':>8} {'MB':>6} "
        f"{'SQL s':>7} {'SQL MB':>6} {'time x':>6} {'(range)':>11} {'mem x':>6} {'(range)':>11}"
        "  agree"
    )
    print()
    print(header)
    print("-" * len(header))
    failed = False
    for label, task, engine, seconds, mb, sql_s, sql_mb, time_x, mem_x, agree in rows:
        failed |= agree != "yes"
        memory = f"{statistics.median(mem_x):6.2f} {_spread(mem_x):>11}"
        print(
            f"{label:>11}  {task:31} {engine:7} {seconds:8.2f} {mb:6.1f} "
            f"{sql_s:7.2f} {sql_mb:6.1f} {statistics.median(time_x):6.2f} "
            f"{_spread(time_x):>11} {memory:18}  {agree}"
        )
    print(
        "\nseconds, MB: medians over the rounds; time x, mem x: the median, over the rounds, "
        "of the engine's seconds and peak MB over those of the hand-written DuckDB query (SQL) "
        f"in the same round, with their range (memory under {FLOOR_MB:g} MB counts as "
        f"{FLOOR_MB:g} MB: the sampling cannot tell smaller amounts apart); "
        "targets for polars and DuckDB: at most 1.0 and 1.5"
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
