"""Deduplicate a synthetic social registry with splink on DuckDB: seconds, peak memory, F1.

Run from the repository root::

    .venv/bin/python benchmarks/registry_dedup.py                   # 100,000 records
    .venv/bin/python benchmarks/registry_dedup.py --records 20000 --country LAO

The script draws a synthetic Tajikistan (or Lao PDR) registry ecosystem
(:func:`socialprotection.synthetic.registry_ecosystem`, seed 1, default error rates) large
enough for its social registry to hold the requested number of records, keeps the first
``--records`` records, deduplicates them (:func:`socialprotection.registry.deduplicate`,
threshold 0.9, DuckDB) and scores the clusters against the ground truth
(:func:`socialprotection.registry.match_quality`).

Seconds: wall clock of ``deduplicate`` alone (training, blocking, scoring, clustering),
and of drawing the data. Peak MB: the maximum resident memory of the process
(``ru_maxrss``), data included.
"""

from __future__ import annotations

import argparse
import platform
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from socialprotection.registry import deduplicate, match_quality  # noqa: E402
from socialprotection.synthetic import registry_ecosystem  # noqa: E402

#: Social registry records per person of the hidden population (about 0.49 with the
#: default coverage and duplicate rate); the population is drawn a little larger.
RECORDS_PER_PERSON = 0.45


def main() -> None:
    """Run the benchmark and print one table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--country", default="TJK", choices=["TJK", "LAO"])
    args = parser.parse_args()
    start = time.perf_counter()
    persons = max(1_000, int(args.records / RECORDS_PER_PERSON))
    eco = registry_ecosystem(args.country, n_persons=persons, seed=1)
    frame = eco.social_registry.iloc[: args.records]
    truth = eco.truth_of("social_registry").iloc[: args.records]
    drawn = time.perf_counter() - start
    start = time.perf_counter()
    clusters, pairs = deduplicate(frame, return_pairs=True)
    seconds = time.perf_counter() - start
    table = match_quality(pairs, truth, thresholds=[0.9]).iloc[0]
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"Registry deduplication (splink on DuckDB), {platform.node()}, synthetic data")
    print(f"country {args.country}, population {persons:,}, records {len(frame):,}")
    print(f"drawing the data      {drawn:8.1f} s")
    print(f"deduplicate           {seconds:8.1f} s")
    print(f"peak memory           {peak_mb:8.0f} MB")
    print(f"scored pairs (p>=0.01){len(pairs):9,}")
    print(
        f"at threshold 0.9: precision {table['precision']:.4f}, recall {table['recall']:.4f}, "
        f"F1 {table['f1']:.4f}; clusters {int(table['clusters']):,}, "
        f"true persons {int(table['persons']):,}"
    )


if __name__ == "__main__":
    main()
