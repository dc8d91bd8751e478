"""Time message validation, the DCI mapping and the disclosure-risk measures.

Run from the repository root::

    .venv/bin/python benchmarks/privacy_interop_speed.py
    .venv/bin/python benchmarks/privacy_interop_speed.py --persons 100000 --repeat 3

It builds a synthetic Tajikistan registry ecosystem, then times (best of ``--repeat``):

- ``sp.validate`` of one on-search message (the research notes found "under 10 ms"),
- ``sp.to_dci`` and ``sp.from_dci`` of the whole social registry,
- ``sp.k_anonymity`` on district, sex and age, against the same in DuckDB SQL,
- ``sp.reidentify`` of a plain hash with five known digits (the enumeration of the lesson).

It checks that the library and DuckDB give the same k, and prints seconds.
"""

from __future__ import annotations

import argparse
import time

import duckdb
import pandas as pd

import socialprotection as sp


def best(function, repeat: int) -> tuple[float, object]:
    """Return the best time of ``repeat`` runs, and the result."""
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    return min(times), result


def main() -> None:
    """Build the registry, time each step and print the results."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    eco = sp.registry_ecosystem("TJK", n_persons=args.persons, seed=1)
    registry = eco.social_registry
    print(f"synthetic registry: {len(registry):,} person records")
    request = sp.search_request([("poverty_score", "le", 5)])
    answer = sp.answer_search(request, registry)
    records = len(answer["message"]["search_response"][0]["data"]["reg_records"])
    sp.validate(answer, "on-search")  # build the validator once
    seconds, _ = best(lambda: sp.validate(answer, "on-search"), args.repeat)
    print(f"validate one on-search message ({records} groups): {1000 * seconds:.1f} ms")
    seconds, groups = best(lambda: sp.to_dci(registry), args.repeat)
    print(f"to_dci: {seconds:.2f} s; ", end="")
    seconds, _ = best(lambda: sp.from_dci(groups), args.repeat)
    print(f"from_dci: {seconds:.2f} s")
    frame = registry.assign(age=sp.age_in_years(registry["birth_date"]).astype(float))
    qi = ["district", "sex", "age"]
    seconds, k = best(lambda: sp.k_anonymity(frame, qi), args.repeat)
    sql = (
        "SELECT min(n) FROM (SELECT count(*) AS n FROM frame "
        "GROUP BY district, sex, coalesce(CAST(age AS VARCHAR), '<NULL>'))"
    )
    con = duckdb.connect()
    con.register("frame", frame)
    seconds_sql, k_sql = best(lambda: con.sql(sql).fetchall()[0][0], args.repeat)
    assert k == k_sql, (k, k_sql)
    print(f"k_anonymity: {seconds:.3f} s, DuckDB {seconds_sql:.3f} s (k = {k} both)")
    ids = registry["national_id"].dropna().head(5)
    published = sp.unkeyed_hash(pd.Series(ids))
    seconds, found = best(lambda: sp.reidentify(published, ids.iloc[0][:5]), args.repeat)
    print(f"reidentify with five known digits: {seconds:.3f} s, found {found.notna().sum()}")


if __name__ == "__main__":
    main()
