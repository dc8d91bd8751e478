r"""Deduplication and record linkage with splink, and their scores against a ground truth.

The model (:func:`linkage_settings`) is one splink ``SettingsCreator``, so the same
definition runs on DuckDB (the default) and on Spark: pass
``db_api=splink.SparkAPI(spark_session=spark)``, with a session started with
``.config("spark.jars", splink.backends.spark.similarity_jar_location())`` (splink's
string-similarity functions) and a checkpoint directory
(``spark.sparkContext.setCheckpointDir(...)``). On a small registry both engines give
the same clusters (``tests/test_registry.py``, marked slow); the probabilities of pairs
in doubt differ a little, because the random sample behind the u probabilities differs.
A model saved as JSON on one engine does not load on the other: the portable unit is
:func:`linkage_settings`, retrained on each engine.

Names are compared on a key, not on the spelling: ``anyascii`` romanises the name
(Tajik Cyrillic, Lao script or Latin), lower case, letters only, kept beside the original
as ``*_latin``; then :data:`NAME_FOLDING` folds the spellings clerks use for one sound
(``dzh`` and ``j``, ``kh`` and ``h``, ``ou`` and ``u``...), and doubled letters become one
(``*_key``). Джамшед, Ҷамшед and Dzhamshed all have the key ``jamshed``.

The model compares (each with a level for a missing value):

- ``given_name_key`` and ``family_name_key``: exact, Jaro-Winkler at least 0.92, at
  least 0.8, other;
- ``birth_date``: exact, day and month swapped, one character different (Damerau-
  Levenshtein), within one year, other;
- ``sex``: exact, other; ``district`` and ``national_id`` when the frame has them:
  ``district`` exact, other; ``national_id`` exact, one character different, other.

Two records that both hold a national ID, with IDs more than one character apart, are
almost never one person (a mistyped ID is one character off): the m probability of that
level is fixed at :data:`PRIOR_M` and not trained. Trained, it is a trap in a large
registry: namesakes born on the same day agree on everything else, expectation
maximisation takes them for matches, and learns that matches often differ in ID.

Blocking (which pairs are scored at all, and so what the run costs): records with the
same birth date; or with the same two name keys and birth year; or with the same
national ID. A pair that differs on all three is never scored: the blocking rules set
the recall ceiling as well as the cost.

Training, on a frame of at least :data:`MIN_TRAINING_RECORDS` records: the prior
probability that two records match from deterministic rules (same national ID and birth
date, or same name keys and birth date; recall 0.8), the u probabilities from a random
sample of one million pairs (seeded), and the m probabilities by expectation
maximisation, blocked on birth date (which trains every comparison but the birth date)
and, when the frame has national IDs, on the national ID (which trains the birth date),
on a sample of at most :data:`EM_RECORDS` records on each side of the join.
Levels never seen in training keep the documented prior values (:data:`PRIOR_M`,
:data:`PRIOR_U`), and a smaller frame uses the priors only. Blocking EM on the names
instead would be a trap with short name lists: pairs of namesakes outnumber the true
pairs, and EM learns "same name" rather than "same person".

Clusters are the connected components of the pairs at or above the threshold (as
splink's ``cluster_pairwise_predictions_at_threshold``); ``cluster_id`` is the smallest
identifier of the cluster.

Scores (:func:`match_quality`): with :math:`TP` the predicted pairs that are the same
person, precision :math:`TP / \text{predicted}`, recall :math:`TP / \text{true pairs}`
and :math:`F_1 = 2PR/(P+R)`. For deduplication the predicted pairs are all pairs inside a
cluster (:math:`\sum_c \binom{n_c}{2}`), the true pairs all pairs of records of one
person (:math:`\sum_p \binom{n_p}{2}`) and :math:`TP = \sum_{c,p} \binom{n_{cp}}{2}`.
"""

from __future__ import annotations

import logging
import numbers
import time
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from socialprotection._validation import numeric_column, require_columns
from socialprotection.registry._records import (
    key_column,
    person_records,
    refuse_empty,
    text_column,
)

__all__ = [
    "EM_RECORDS",
    "MIN_TRAINING_RECORDS",
    "NAME_FOLDING",
    "PRIOR_M",
    "PRIOR_U",
    "deduplicate",
    "link",
    "linkage_settings",
    "match_quality",
    "name_key",
]

#: Spellings of one sound folded into one, in this order, after anyascii (lower case).
NAME_FOLDING = (
    ("dzh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("q", "k"),
    ("ck", "k"),
    ("ph", "p"),
    ("th", "t"),
    ("ou", "u"),
    ("x", "s"),
    ("w", "v"),
    ("y", "i"),
    ("'", ""),
)

#: A smaller frame is matched with the prior m and u values, without training.
MIN_TRAINING_RECORDS = 1_000
#: Expectation maximisation samples this many records (of the larger frame), on each
#: side of the blocking join, so a frame of a million records trains on about a tenth of
#: its pairs: the m probabilities are as good and training is several times faster.
EM_RECORDS = 300_000

#: Prior m probabilities (illustrative), per comparison level, best level first.
PRIOR_M = {
    "name": [0.93, 0.04, 0.02, 0.01],
    "birth_date": [0.93, 0.01, 0.03, 0.02, 0.01],
    "sex": [0.99, 0.01],
    "district": [0.95, 0.05],
    "national_id": [0.96, 0.039999, 0.000001],
}
#: Prior u probabilities (illustrative): how often two different persons agree so.
PRIOR_U = {
    "name": [0.03, 0.01, 0.06, 0.90],
    "birth_date": [0.0001, 0.0001, 0.002, 0.03, 0.9678],
    "sex": [0.5, 0.5],
    "district": [0.1, 0.9],
    "national_id": [0.000001, 0.00001, 0.999989],
}
_PRIOR_MATCH = 1e-4
_THRESHOLDS = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)


def name_key(latin: pd.Series) -> pd.Series:
    """Fold romanised names (from anyascii) into comparison keys, missing kept.

    Parameters
    ----------
    latin : pandas.Series
        Names in Latin letters (text; missing values are kept as missing).

    Examples
    --------
    >>> name_key(pd.Series(["dzhamshed", "jamshed", "akhmadov", "souksavanh", None])).tolist()
    ['jamshed', 'jamshed', 'ahmadov', 'suksavanh', None]
    """
    if not isinstance(latin, pd.Series):
        raise TypeError(f"name_key needs a pandas Series of names; got {type(latin).__name__}")
    name = latin.name if isinstance(latin.name, str) else "names"
    latin = text_column(latin.to_frame(name), name, "name_key")
    unique = pd.unique(latin.dropna())
    table = {}
    for name in unique:
        key = str(name)
        for old, new in NAME_FOLDING:
            key = key.replace(old, new)
        table[name] = "".join(c for i, c in enumerate(key) if i == 0 or c != key[i - 1])
    return latin.map(table).astype(object).where(latin.notna(), None)


def _prepared(frame: object, what: str) -> pd.DataFrame:
    records = person_records(frame, what)
    for part in ("given_name", "family_name"):
        records[f"{part}_key"] = name_key(records[f"{part}_latin"])
    return records


def _used(records: Sequence[pd.DataFrame]) -> list[str]:
    """Return the optional columns that hold at least one value in every frame."""
    return [c for c in ("district", "national_id") if all(r[c].notna().any() for r in records)]


def linkage_settings(
    link_type: str = "dedupe_only",
    *,
    optional_columns: Iterable[str] = ("district", "national_id"),
):
    """Return the splink model: comparisons, blocking rules and prior m and u values.

    Parameters
    ----------
    link_type : {"dedupe_only", "link_only"}
        Deduplicate one frame or link two.
    optional_columns : iterable of str
        Which of ``district`` and ``national_id`` to compare.

    Returns
    -------
    splink.SettingsCreator
        The same definition runs on DuckDB and on Spark.

    Examples
    --------
    >>> settings = linkage_settings()
    >>> [c.output_column_name for c in settings.get_settings("duckdb").comparisons]
    ['given_name_key', 'family_name_key', 'birth_date', 'sex', 'district', 'national_id']
    """
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    if link_type not in ("dedupe_only", "link_only"):
        raise ValueError(f"link_type must be 'dedupe_only' or 'link_only'; got {link_type!r}")
    optional = list(optional_columns)

    def names(column: str):
        return cl.JaroWinklerAtThresholds(column, [0.92, 0.8]).configure(
            m_probabilities=PRIOR_M["name"], u_probabilities=PRIOR_U["name"]
        )

    swapped = (
        "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4) AND "
        "substr(birth_date_l, 6, 2) = substr(birth_date_r, 9, 2) AND "
        "substr(birth_date_l, 9, 2) = substr(birth_date_r, 6, 2)"
    )
    birth = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(swapped, label_for_charts="day and month swapped"),
            cll.DamerauLevenshteinLevel("birth_date", 1),
            cll.CustomLevel(
                "substr(birth_date_l, 1, 4) = substr(birth_date_r, 1, 4)",
                label_for_charts="same birth year",
            ),
            cll.ElseLevel(),
        ],
    ).configure(m_probabilities=PRIOR_M["birth_date"], u_probabilities=PRIOR_U["birth_date"])
    comparisons = [
        names("given_name_key"),
        names("family_name_key"),
        birth,
        cl.ExactMatch("sex").configure(
            m_probabilities=PRIOR_M["sex"], u_probabilities=PRIOR_U["sex"]
        ),
    ]
    if "district" in optional:
        comparisons.append(
            cl.ExactMatch("district").configure(
                m_probabilities=PRIOR_M["district"], u_probabilities=PRIOR_U["district"]
            )
        )
    blocking = [
        block_on("birth_date"),
        block_on("given_name_key", "family_name_key", "substr(birth_date, 1, 4)"),
    ]
    if "national_id" in optional:
        m, u = PRIOR_M["national_id"], PRIOR_U["national_id"]
        comparisons.append(
            cl.CustomComparison(
                output_column_name="national_id",
                comparison_levels=[
                    cll.NullLevel("national_id"),
                    cll.ExactMatchLevel("national_id").configure(
                        m_probability=m[0], u_probability=u[0]
                    ),
                    cll.LevenshteinLevel("national_id", 1).configure(
                        m_probability=m[1], u_probability=u[1]
                    ),
                    # Two different valid IDs: fixed, not trained (see the module text).
                    cll.ElseLevel().configure(
                        m_probability=m[2], u_probability=u[2], fix_m_probability=True
                    ),
                ],
            )
        )
        blocking.append(block_on("national_id"))
    return SettingsCreator(
        link_type=link_type,
        unique_id_column_name="identifier",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=blocking,
        probability_two_random_records_match=_PRIOR_MATCH,
        retain_matching_columns=False,
        retain_intermediate_calculation_columns=False,
    )


def _check_threshold(threshold: object) -> float:
    if isinstance(threshold, bool) or not isinstance(threshold, numbers.Real):
        raise TypeError(f"threshold must be a number from 0 to 1; got {threshold!r}")
    if not 0 < threshold < 1:
        raise ValueError(f"threshold must be between 0 and 1 (exclusive); got {threshold!r}")
    return float(threshold)


_COLUMNS = [
    "identifier",
    "given_name_key",
    "family_name_key",
    "birth_date",
    "sex",
    "district",
    "national_id",
]


def _predict(
    records: list[pd.DataFrame],
    link_type: str,
    db_api,
    seed: int,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame:
    """Train (when large enough) and score the blocked pairs; return them as pandas.

    ``timings``, when given, receives the wall-clock seconds of ``training`` and of
    ``blocking and scoring`` (splink generates and scores the blocked pairs in one query).
    """
    from splink import DuckDBAPI, Linker, block_on

    clock = time.perf_counter()

    optional = _used(records)
    settings = linkage_settings(link_type, optional_columns=optional)
    db_api = db_api if db_api is not None else DuckDBAPI()
    columns = [c for c in _COLUMNS if c in ("identifier",) or c in records[0].columns]
    columns = [c for c in columns if c not in ("district", "national_id") or c in optional]
    inputs = [db_api.register(r[columns].reset_index(drop=True)) for r in records]
    linker = Linker(inputs if len(inputs) > 1 else inputs[0], settings, log_level=logging.ERROR)
    logging.getLogger("splink").setLevel(logging.ERROR)
    if min(len(r) for r in records) >= MIN_TRAINING_RECORDS:
        training = linker.training
        rules = [block_on("given_name_key", "family_name_key", "birth_date")]
        if "national_id" in optional:
            rules.insert(0, block_on("national_id", "birth_date"))
        training.estimate_probability_two_random_records_match(rules, recall=0.8)
        training.estimate_u_using_random_sampling(max_pairs=1e6, seed=seed)
        em_rules = [block_on("birth_date")]
        if "national_id" in optional:
            em_rules.append(block_on("national_id"))
        sample = min(1.0, EM_RECORDS / max(len(r) for r in records))
        for rule in em_rules:
            training.estimate_parameters_using_expectation_maximisation(
                rule, record_sample_proportion=sample
            )
    trained = time.perf_counter()
    pairs = linker.inference.predict(threshold_match_probability=0.01).as_pandas_dataframe()
    if timings is not None:
        timings["training"] = trained - clock
        timings["blocking and scoring"] = time.perf_counter() - trained
    return pairs[["identifier_l", "identifier_r", "match_weight", "match_probability"]]


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Label each of n nodes with the smallest node of its connected component."""
    label = np.arange(n)
    if len(left) == 0:
        return label
    while True:
        low = np.minimum(label[left], label[right])
        new = label.copy()
        np.minimum.at(new, left, low)
        np.minimum.at(new, right, low)
        new = new[new]  # pointer jumping
        if np.array_equal(new, label):
            return label
        label = new


def _clusters(identifiers: pd.Series, pairs: pd.DataFrame, threshold: float) -> pd.DataFrame:
    order = np.argsort(identifiers.to_numpy(dtype=str), kind="stable")
    ranked = identifiers.to_numpy(dtype=str)[order]
    position = pd.Series(np.arange(len(ranked)), index=ranked)
    kept = pairs[pairs["match_probability"] >= threshold]
    left = position.loc[kept["identifier_l"].astype(str)].to_numpy()
    right = position.loc[kept["identifier_r"].astype(str)].to_numpy()
    label = _components(len(ranked), left, right)
    best = np.full(len(ranked), np.nan)
    probability = kept["match_probability"].to_numpy(dtype=float)
    np.fmax.at(best, left, probability)
    np.fmax.at(best, right, probability)
    size = np.bincount(label, minlength=len(ranked))[label]
    out = pd.DataFrame(
        {
            "identifier": ranked,
            "cluster_id": ranked[label],
            "cluster_size": size,
            "match_probability": best,
        }
    )
    back = np.empty(len(order), dtype=np.int64)
    back[order] = np.arange(len(order))
    return out.iloc[back].set_axis(identifiers.index)


def deduplicate(
    frame: pd.DataFrame,
    *,
    threshold: float = 0.9,
    db_api=None,
    seed: int = 0,
    return_pairs: bool = False,
    timings: dict[str, float] | None = None,
) -> pd.DataFrame | tuple[pd.DataFrame, pd.DataFrame]:
    """Find the records of one registry that are the same person (splink).

    Parameters
    ----------
    frame : pandas.DataFrame
        Person records with ``identifier`` (unique), ``given_name``, ``family_name``,
        ``birth_date`` (YYYY-MM-DD), ``sex`` ('female' or 'male'), and ``district`` and
        ``national_id`` (text) when the registry holds them. Names may be in any script;
        missing values are allowed except in ``identifier``.
    threshold : float, default 0.9
        The match probability at or above which two records are joined.
    db_api : splink database API, optional
        Where splink runs: ``DuckDBAPI()`` by default, ``SparkAPI(spark_session=...)``
        for a cluster.
    seed : int, default 0
        Seed of the random sample that estimates the u probabilities.
    return_pairs : bool, default False
        Also return the scored pairs (``identifier_l``, ``identifier_r``,
        ``match_weight``, ``match_probability``, every pair at 0.01 or more), for
        :func:`match_quality`.
    timings : dict, optional
        A dict that receives the wall-clock seconds of each phase: ``preparing``
        (checks and name keys), ``training`` (the model, including loading the records
        into the engine), ``blocking and scoring`` and ``clustering``. For benchmarks.

    Returns
    -------
    pandas.DataFrame
        One row per record, with the frame's index: ``identifier``, ``cluster_id``,
        ``cluster_size`` and ``match_probability`` (the highest probability of a pair
        that joins the record to its cluster; missing for a record alone).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "identifier": ["a", "b", "c"],
    ...     "given_name": ["Ҷамшед", "Джамшед", "Зарина"],
    ...     "family_name": ["Қодиров", "Кодиров", "Раҳимова"],
    ...     "birth_date": ["1980-03-14", "1980-03-14", "1991-11-02"],
    ...     "sex": ["male", "male", "female"],
    ... })
    >>> deduplicate(frame)[["identifier", "cluster_id", "cluster_size"]]
      identifier cluster_id  cluster_size
    0          a          a             2
    1          b          a             2
    2          c          c             1
    """
    threshold = _check_threshold(threshold)
    if timings is not None and not isinstance(timings, dict):
        raise TypeError(f"timings must be a dict or None; got {type(timings).__name__}")
    clock = time.perf_counter()
    records = _prepared(frame, "deduplicate")
    prepared = time.perf_counter()
    pairs = _predict([records], "dedupe_only", db_api, seed, timings)
    scored = time.perf_counter()
    clusters = _clusters(records["identifier"], pairs, threshold)
    if timings is not None:
        timings["preparing"] = prepared - clock
        timings["clustering"] = time.perf_counter() - scored
    return (clusters, pairs) if return_pairs else clusters


def link(
    left: pd.DataFrame,
    right: pd.DataFrame,
    *,
    threshold: float = 0.5,
    db_api=None,
    seed: int = 0,
) -> pd.DataFrame:
    """Find the pairs of records, one in each registry, that are the same person (splink).

    For example a payroll against death records (ghosts), or two programme lists
    (double enrolment).

    Parameters
    ----------
    left, right : pandas.DataFrame
        Person records, each with the columns of :func:`deduplicate`.
    threshold : float, default 0.5
        The lowest match probability returned.
    db_api : splink database API, optional
        ``DuckDBAPI()`` by default.
    seed : int, default 0
        Seed of the random sample that estimates the u probabilities.

    Returns
    -------
    pandas.DataFrame
        One row per matched pair, most probable first: ``identifier_l``,
        ``identifier_r``, ``match_weight``, ``match_probability``, and the names and
        birth dates of both records as written (``given_name_l``...).

    Examples
    --------
    >>> payroll = pd.DataFrame({
    ...     "identifier": ["P1", "P2"],
    ...     "given_name": ["ສົມສັກ", "ວິໄລ"],
    ...     "family_name": ["ພົມມະວົງ", "ວົງສາ"],
    ...     "birth_date": ["1950-02-01", "1948-07-30"],
    ...     "sex": ["male", "female"],
    ... })
    >>> deaths = pd.DataFrame({
    ...     "identifier": ["D9"],
    ...     "given_name": ["Somsak"],
    ...     "family_name": ["Phommavong"],
    ...     "birth_date": ["1950-01-02"],
    ...     "sex": ["male"],
    ... })
    >>> link(payroll, deaths)[["identifier_l", "identifier_r"]]
      identifier_l identifier_r
    0           P1           D9
    """
    threshold = _check_threshold(threshold)
    a = _prepared(left, "link (left)")
    b = _prepared(right, "link (right)")
    pairs = _predict([a, b], "link_only", db_api, seed)
    pairs = pairs[pairs["match_probability"] >= threshold]
    shown = ["identifier", "given_name", "family_name", "birth_date"]
    out = pairs.merge(
        a[shown].add_suffix("_l"), on="identifier_l", how="left", validate="many_to_one"
    ).merge(b[shown].add_suffix("_r"), on="identifier_r", how="left", validate="many_to_one")
    out = out.sort_values(
        ["match_probability", "identifier_l", "identifier_r"],
        ascending=[False, True, True],
        kind="stable",
    )
    return out.reset_index(drop=True)


def _truth(truth: object, name: str) -> pd.Series:
    what = f"match_quality ({name})"
    if not isinstance(truth, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame; got {type(truth).__name__}")
    require_columns(truth, ["identifier", "person_id"], what=what)
    refuse_empty(truth, what, ["identifier", "person_id"])
    identifier = key_column(truth, "identifier", what)
    person = truth["person_id"]
    missing = person.isna().to_numpy()
    if missing.any():
        row = truth.index[int(np.flatnonzero(missing)[0])]
        raise ValueError(
            f"{what}: column 'person_id' has {int(missing.sum())} missing "
            f"value(s), the first in row {row}; expected the person of every record"
        )
    return pd.Series(person.to_numpy(), index=identifier.to_numpy())


def _pairs_of(counts: np.ndarray) -> int:
    counts = counts.astype(np.int64)
    return int((counts * (counts - 1) // 2).sum())


def match_quality(
    pairs: pd.DataFrame,
    truth: pd.DataFrame,
    truth_right: pd.DataFrame | None = None,
    *,
    thresholds: Iterable[float] = _THRESHOLDS,
) -> pd.DataFrame:
    """Score scored pairs against the truth at several thresholds: the trade-off table.

    Parameters
    ----------
    pairs : pandas.DataFrame
        ``identifier_l``, ``identifier_r`` and ``match_probability``: the pairs of
        :func:`deduplicate` (``return_pairs=True``) or of :func:`link`.
    truth : pandas.DataFrame
        ``identifier`` and ``person_id`` of every record of the deduplicated frame, or of
        the left frame of a linkage, for example ``eco.truth_of("social_registry")``.
    truth_right : pandas.DataFrame, optional
        The same for the right frame of a linkage. Given, the pairs are scored as a
        linkage (pair by pair); otherwise as a deduplication (the clusters).
    thresholds : iterable of float
        The thresholds, each between 0 and 1.

    Returns
    -------
    pandas.DataFrame
        One row per threshold: ``predicted_pairs``, ``true_pairs``, ``true_positives``,
        ``precision``, ``recall``, ``f1``; for deduplication also ``clusters`` and
        ``persons`` (the true number of distinct persons among the records).

    Examples
    --------
    Three records of two persons; the model joined a-b (0.95) and b-c (0.6):

    >>> pairs = pd.DataFrame({"identifier_l": ["a", "b"], "identifier_r": ["b", "c"],
    ...                       "match_probability": [0.95, 0.6]})
    >>> truth = pd.DataFrame({"identifier": ["a", "b", "c"], "person_id": [1, 1, 2]})
    >>> table = match_quality(pairs, truth, thresholds=[0.5, 0.9])
    >>> table[["threshold", "predicted_pairs", "true_positives", "precision", "f1"]].round(3)
       threshold  predicted_pairs  true_positives  precision   f1
    0        0.5                3               1      0.333  0.5
    1        0.9                1               1      1.000  1.0
    >>> table[["clusters", "persons"]]
       clusters  persons
    0         1        2
    1         2        2
    """
    if not isinstance(pairs, pd.DataFrame):
        raise TypeError(f"pairs must be a pandas DataFrame; got {type(pairs).__name__}")
    require_columns(
        pairs, ["identifier_l", "identifier_r", "match_probability"], what="match_quality"
    )
    person = _truth(truth, "truth")
    other = person if truth_right is None else _truth(truth_right, "truth_right")
    values = numeric_column(pairs, "match_probability", non_negative=True)
    above = values > 1
    if above.any():
        row = pairs.index[int(np.flatnonzero(above)[0])]
        raise ValueError(
            f"match_quality: column 'match_probability' must hold numbers from 0 to 1; "
            f"row {row} holds {values[above][0]}"
        )
    probability = pd.Series(values, index=pairs.index)
    for side, known in (("identifier_l", person), ("identifier_r", other)):
        missing = pairs[side].isna().to_numpy()
        if missing.any():
            row = pairs.index[int(np.flatnonzero(missing)[0])]
            raise ValueError(
                f"match_quality: column '{side}' has {int(missing.sum())} missing value(s), "
                f"the first in row {row}; expected an identifier in every pair"
            )
        unknown = ~pairs[side].astype(str).isin(known.index)
        if unknown.any():
            row = pairs.index[int(np.flatnonzero(unknown.to_numpy())[0])]
            raise ValueError(
                f"match_quality: column '{side}': row {row} holds {pairs[side].loc[row]!r}, "
                "which is not in the truth"
            )
    left = person.loc[pairs["identifier_l"].astype(str)].to_numpy()
    right = other.loc[pairs["identifier_r"].astype(str)].to_numpy()
    same = left == right
    rows = []
    if truth_right is None:
        true_pairs = _pairs_of(person.value_counts().to_numpy())
        persons = person.nunique()
        ids = pd.Series(person.index)
        for t in thresholds:
            t = _check_threshold(t)
            scored = pairs.assign(match_probability=values)
            clusters = _clusters(ids, scored, t)
            cells = pd.DataFrame({"c": clusters["cluster_id"].to_numpy(), "p": person.to_numpy()})
            predicted = _pairs_of(cells.groupby("c").size().to_numpy())
            tp = _pairs_of(cells.groupby(["c", "p"]).size().to_numpy())
            rows.append((t, predicted, true_pairs, tp, clusters["cluster_id"].nunique(), persons))
        columns = ["threshold", "predicted_pairs", "true_pairs", "true_positives"]
        out = pd.DataFrame(rows, columns=[*columns, "clusters", "persons"])
    else:
        left_counts = person.value_counts()
        right_counts = other.value_counts()
        true_pairs = int(
            (left_counts * right_counts.reindex(left_counts.index, fill_value=0)).sum()
        )
        for t in thresholds:
            t = _check_threshold(t)
            kept = (probability >= t).to_numpy()
            rows.append((t, int(kept.sum()), true_pairs, int((kept & same).sum())))
        out = pd.DataFrame(
            rows, columns=["threshold", "predicted_pairs", "true_pairs", "true_positives"]
        )
    tp = out["true_positives"].to_numpy(dtype=float)
    predicted = out["predicted_pairs"].to_numpy(dtype=float)
    true = out["true_pairs"].to_numpy(dtype=float)
    precision = np.divide(tp, predicted, out=np.full(len(out), np.nan), where=predicted > 0)
    recall = np.divide(tp, true, out=np.full(len(out), np.nan), where=true > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.full(len(out), np.nan), where=total > 0)
    out.insert(4, "precision", precision)
    out.insert(5, "recall", recall)
    out.insert(6, "f1", f1)
    return out
