"""Deduplicate synthetic social registries with splink on DuckDB: time, peak memory, F1.

Run from the repository root::

    .venv/bin/python benchmarks/registry_dedup.py                        # 100,000 and 1,000,000
    .venv/bin/python benchmarks/registry_dedup.py --sizes 20000 --country LAO

For each size, in its own process (so that the peak memory is that size's alone), the
script draws a synthetic Tajikistan (or Lao PDR) registry ecosystem
(:func:`socialprotection.synthetic.registry_ecosystem`, seed 1, default error rates) large
enough for its social registry to hold the requested number of records, keeps the first
records, deduplicates them (:func:`socialprotection.registry.deduplicate`, threshold
0.9, DuckDB) and scores the clusters against the ground truth
(:func:`socialprotection.registry.match_quality`). The data are synthetic.

Where the time goes, in seconds of wall clock (``deduplicate(..., timings=...)``):

- preparing: checks of the columns and the name keys (anyascii, then folding);
- training: the prior match probability from deterministic rules, the u probabilities
  from one million random pairs, the m probabilities by expectation maximisation (on a
  sample of at most ``EM_RECORDS`` records per side of the join, 300,000);
- blocking and scoring: splink generates the candidate pairs of the blocking rules and
  scores them in one query; *blocking alone* is measured apart, before the run, by
  counting the candidate pairs of each rule with splink's blocking analysis (it joins
  the records as the predictions do, without scoring them);
- clustering: connected components of the pairs at or above the threshold.

The blocking rules (which pairs are scored at all), from
:func:`socialprotection.registry.linkage_settings`:

1. the same birth date: with dates spread over about a century, each record meets the
   few dozen records born the same day; catches typos, transliterations and moves;
2. the same two name keys and birth year: catches day/month swaps and other date errors
   of a person whose names agree;
3. the same national ID: catches the records whose date and names both differ.

A pair is scored once, by the first rule that selects it. The cost grows with the sum
over blocks of (block size squared): a rule divides the n(n - 1) / 2 pairs of the
registry by about the number of values of its field. A birth date has some tens of
thousands of values (every day of a century), so at a million records each record meets
a few dozen others born the same day, instead of a million; the pairs still grow with
the square of the records, so at tens of millions a finer rule (birth date and sex, or
district) keeps blocks small. A rule on a coarse field alone (the district, the sex, a
family name from a short list) makes blocks of thousands or more and saves little.

Peak memory is the maximum resident memory of the child process (``ru_maxrss``), data
drawing included. Timings depend on what else runs on the machine: the line "drawing
the data" (about 17 seconds for a million records on an idle 2-core machine) shows how
busy it was.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

#: Social registry records per person of the hidden population (about 0.49 with the
#: default coverage and duplicate rate); the population is drawn a little larger.
RECORDS_PER_PERSON = 0.45
DEFAULT_SIZES = (100_000, 1_000_000)
PHASES = ("preparing", "training", "blocking and scoring", "clustering")


def one(records: int, country: str) -> dict:
    """Run one size in this process and return its figures."""
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    from socialprotection.registry import deduplicate, linkage_settings, match_quality
    from socialprotection.registry._linkage import _prepared
    from socialprotection.synthetic import registry_ecosystem

    start = time.perf_counter()
    persons = max(1_000, int(records / RECORDS_PER_PERSON))
    eco = registry_ecosystem(country, n_persons=persons, seed=1)
    frame = eco.social_registry.iloc[:records]
    truth = eco.truth_of("social_registry").iloc[:records]
    del eco
    drawn = time.perf_counter() - start

    start = time.perf_counter()
    prepared = _prepared(frame, "benchmark")
    columns = ["identifier", "given_name_key", "family_name_key", "birth_date", "sex"]
    columns += ["district", "national_id"]
    rules = linkage_settings().blocking_rules_to_generate_predictions
    counted = count_comparisons_from_blocking_rules(
        DuckDBAPI().register(prepared[columns].reset_index(drop=True)),
        blocking_rules=rules,
        link_type="dedupe_only",
        unique_id_column_name="identifier",
        record_sample_proportion=1.0,
    )
    blocking = time.perf_counter() - start
    del prepared

    timings: dict[str, float] = {}
    start = time.perf_counter()
    _, pairs = deduplicate(frame, return_pairs=True, timings=timings)
    seconds = time.perf_counter() - start
    table = match_quality(pairs, truth, thresholds=[0.9]).iloc[0]
    return {
        "records": len(frame),
        "persons_drawn": persons,
        "drawing": drawn,
        "seconds": seconds,
        "timings": {phase: timings[phase] for phase in PHASES},
        "blocking alone": blocking,
        "rules": [str(c["blocking_rule"]) for c in counted],
        "pairs by rule": [int(c["marginal_comparison_count"]) for c in counted],
        "scored pairs": len(pairs),
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "precision": float(table["precision"]),
        "recall": float(table["recall"]),
        "f1": float(table["f1"]),
        "clusters": int(table["clusters"]),
        "true persons": int(table["persons"]),
    }


def report(r: dict) -> None:
    """Print the figures of one size."""
    print(f"\n{r['records']:,} records (population drawn {r['persons_drawn']:,})")
    print(f"  drawing the data            {r['drawing']:8.1f} s (not counted)")
    print(f"  deduplicate                 {r['seconds']:8.1f} s")
    for phase, seconds in r["timings"].items():
        print(f"    {phase:<25} {seconds:8.1f} s")
    print(f"    (blocking alone           {r['blocking alone']:8.1f} s, measured apart)")
    print(f"  peak memory                 {r['peak_mb']:8.0f} MB")
    print("  candidate pairs by blocking rule (each pair counted once, by its first rule):")
    for rule, count in zip(r["rules"], r["pairs by rule"], strict=True):
        print(f"    {count:>12,}  {rule}")
    print(f"  scored pairs with p >= 0.01 {r['scored pairs']:>12,}")
    print(
        f"  at threshold 0.9: precision {r['precision']:.4f}, recall {r['recall']:.4f}, "
        f"F1 {r['f1']:.4f}; clusters {r['clusters']:,}, true persons {r['true persons']:,}"
    )


def main() -> None:
    """Run each size in its own process and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sizes",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="comma-separated numbers of records (default: 100000,1000000)",
    )
    parser.add_argument("--country", default="TJK", choices=["TJK", "LAO"])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(one(args.one, args.country)))
        return
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    print(
        f"Registry deduplication (splink on DuckDB), {platform.node()}, "
        f"{os.cpu_count()} cores, synthetic data, country {args.country}"
    )
    rules = __doc__.split("The blocking rules")[1].split("Peak memory")[0]
    print("\nThe blocking rules" + rules.replace(":func:", "").replace("`", "").rstrip())
    for size in sizes:
        child = subprocess.run(
            [sys.executable, __file__, "--one", str(size), "--country", args.country],
            capture_output=True,
            text=True,
            check=False,
        )
        if child.returncode != 0:
            print(child.stderr, file=sys.stderr)
            sys.exit(f"the run with {size:,} records failed")
        report(json.loads(child.stdout.strip().splitlines()[-1]))


if __name__ == "__main__":
    main()
