"""The person-level indicators give the same numbers on every dataframe engine.

Every hand-worked case and every property test of tests/test_survey.py and of the
headline in tests/test_coverage.py runs again here on polars (eager and lazy) and
DuckDB: the test module is loaded afresh and its library functions are replaced by
wrappers that call the function twice, on the pandas frame (the numpy path, the
oracle) and on the same data in the engine, check that both agree within 1e-9, and
hand the engine's result to the test's own assertions.
Array forms of fgt, gini and quintiles are run through their frame forms.
A slow test runs the same cases on Spark in local mode.
Then: the input checks raise the same errors on every engine, column names that
differ only in case and reserved words as column names, and a pandas-only session.
"""

from __future__ import annotations

import importlib.util
import inspect
import subprocess
import sys
import types
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import socialprotection as sp

pl = pytest.importorskip("polars")
duckdb = pytest.importorskip("duckdb")
nw = pytest.importorskip("narwhals.stable.v2")

HERE = Path(__file__).resolve().parent
ENGINES = ["polars", "polars_lazy", "duckdb"]
FRAME_FUNCTIONS = [
    "programme_coverage",
    "beneficiary_incidence",
    "benefit_incidence",
    "adequacy",
    "transfer_impact",
]
SURVEY_CASES = [
    # hand-worked cases
    "test_coverage_household_level_by_hand",
    "test_coverage_person_level_by_hand",
    "test_coverage_by_sex_by_hand",
    "test_coverage_by_two_columns_and_person_level",
    "test_quintiles_by_hand",
    "test_quintiles_equal_weights_and_boundaries",
    "test_beneficiary_incidence_by_hand",
    "test_benefit_incidence_by_hand",
    "test_benefit_incidence_person_level_and_given_groups",
    "test_incidence_pre_or_post_transfer_ranking",
    "test_adequacy_by_hand",
    "test_adequacy_by_area_reports_empty_groups_as_nan",
    "test_fgt_by_hand",
    "test_gini_by_hand",
    "test_transfer_impact_by_hand",
    "test_rows_in_any_order_and_any_index",
    "test_gini_matches_the_pairwise_definition_on_replicated_data",
    "test_gini_matches_duckdb_sql_with_weights",
    "test_fgt_matches_duckdb_sql",
    # properties
    "test_coverage_properties",
    "test_weights_scale_and_row_order_do_not_matter",
    "test_integer_weights_equal_replication",
    "test_incidence_shares_sum_to_one",
    "test_adequacy_and_impact_bounds",
    "test_quintiles_properties",
    "test_fgt_properties",
    "test_gini_properties",
]
HEADLINE_CASES = [
    "test_headline_from_persons_hand_worked_union",
    "test_headline_from_persons_by_sex_and_unweighted",
    "test_headline_properties",
    "test_life_cycle_counts_twice_what_the_union_counts_once",
]
EXAMPLES = 12  # hypothesis examples per property test and engine (60 on pandas)


# ---------------------------------------------------------------------------
# Engines
# ---------------------------------------------------------------------------


def to_engine(frame: pd.DataFrame, engine: str, spark=None):
    """The same data in another engine (the pandas index is not data: it is dropped)."""
    frame = frame.reset_index(drop=True)
    if engine == "polars":
        return pl.from_pandas(frame)
    if engine == "polars_lazy":
        return pl.from_pandas(frame).lazy()
    if engine == "duckdb":
        return duckdb.from_df(frame)
    if engine == "spark":
        for column in frame.columns:  # Spark takes text, not pandas categories
            if isinstance(frame[column].dtype, pd.CategoricalDtype):
                frame[column] = frame[column].astype(str)
        return spark.createDataFrame(frame)
    raise ValueError(engine)


def to_pandas(native) -> pd.DataFrame:
    data = nw.from_native(native)
    if isinstance(data, nw.LazyFrame):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # PySpark and pandas 3
            return data.collect(backend="pandas").to_native()
    return data.to_pandas()


def assert_same(got: pd.DataFrame, expected: pd.DataFrame, keys: list[str] = ()) -> None:
    """Same columns and rows; numbers within 1e-9 (relative), labels equal.

    ``keys``: group columns to sort by first (pandas orders a categorical column by its
    categories, the other engines by value).
    """
    if keys:
        got = got.astype({k: str for k in keys}).sort_values(list(keys), kind="stable")
        expected = expected.astype({k: str for k in keys}).sort_values(list(keys), kind="stable")
        got, expected = got.reset_index(drop=True), expected.reset_index(drop=True)
    assert list(got.columns) == list(expected.columns)
    assert len(got) == len(expected)
    for column in expected.columns:
        a, b = got[column], expected[column]
        if column == "relative_reduction":
            # (pre - post) / pre with pre 0 up to rounding (a Gini of equal values) is
            # NaN or the rounding noise of that engine: compare where pre is not 0.
            defined = (expected["pre"].abs() > 1e-12) & (got["pre"].abs() > 1e-12)
            a, b = a[defined], b[defined]
        if b.dtype.kind in "fiub" and not isinstance(b.dtype, pd.CategoricalDtype):
            np.testing.assert_allclose(
                a.to_numpy(dtype=float),
                b.to_numpy(dtype=float),
                rtol=1e-9,
                atol=1e-12,
                equal_nan=True,
                err_msg=column,
            )
        else:
            assert a.astype(str).tolist() == b.astype(str).tolist(), column


def frame_function(function, engine: str, spark=None):
    def on_engine(frame, *args, **kwargs):
        expected = function(frame, *args, **kwargs)
        got = function(to_engine(frame, engine, spark), *args, **kwargs)
        assert_same(got, expected)
        return got

    return on_engine


def values_function(function, engine: str, spark=None):
    """fgt(values, ...), gini(values, ...), quintiles(values, ...) through the frame form."""
    signature = inspect.signature(function)

    def on_engine(values, *args, **kwargs):
        expected = function(values, *args, **kwargs)
        bound = signature.bind(values, *args, **kwargs)
        weights = bound.arguments.get("weights")
        data = pd.DataFrame({"v": np.asarray(values, dtype=float)})
        if weights is not None:
            data["w"] = np.asarray(weights, dtype=float)
        data["row"] = np.arange(len(data))
        bound.arguments["values"] = to_engine(data, engine, spark)
        bound.arguments["weights"] = "w" if weights is not None else None
        got = function(*bound.args, **bound.kwargs, column="v")
        if function is sp.survey.quintiles:
            table = to_pandas(got).sort_values("row")
            name = [c for c in table.columns if c not in data.columns][0]
            assert (table[name].to_numpy() == np.asarray(expected)).all()
            return expected
        assert got == pytest.approx(expected, rel=1e-9, abs=1e-12)
        return got

    return on_engine


def load_on_engine(filename: str, engine: str, spark=None) -> types.ModuleType:
    """A fresh copy of a test module whose library functions run on ``engine``."""
    path = HERE / filename
    source = path.read_text().replace("max_examples=60", f"max_examples={EXAMPLES}")
    module = types.ModuleType(f"_{path.stem}_on_{engine}")
    module.__file__ = str(path)
    exec(compile(source, str(path), "exec"), module.__dict__)
    for name in FRAME_FUNCTIONS:
        if name in module.__dict__:
            module.__dict__[name] = frame_function(getattr(sp.survey, name), engine, spark)
    for name in ("fgt", "gini", "quintiles"):
        if name in module.__dict__:
            module.__dict__[name] = values_function(getattr(sp.survey, name), engine, spark)
    if "cv" in module.__dict__:
        module.cv = types.SimpleNamespace(
            **{
                **vars(sp.coverage),
                "headline_from_persons": frame_function(
                    sp.coverage.headline_from_persons, engine, spark
                ),
            }
        )
    return module


@pytest.fixture(scope="module", params=ENGINES)
def engine(request):
    return request.param


@pytest.mark.parametrize("case", SURVEY_CASES)
def test_survey_case_on_every_engine(engine, case):
    getattr(load_on_engine("test_survey.py", engine), case)()


@pytest.mark.parametrize("case", HEADLINE_CASES)
def test_headline_case_on_every_engine(engine, case):
    getattr(load_on_engine("test_coverage.py", engine), case)()


@pytest.mark.slow
def test_every_case_on_spark(spark_session):
    spark = spark_session
    survey = load_on_engine("test_survey.py", "spark", spark)
    coverage = load_on_engine("test_coverage.py", "spark", spark)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", FutureWarning)  # PySpark and pandas 3
        for case in SURVEY_CASES:
            if "properties" in case or "replication" in case or "scale" in case:
                continue  # hypothesis on Spark takes minutes: hand-worked cases only
            getattr(survey, case)()
        for case in HEADLINE_CASES:
            if "properties" not in case:
                getattr(coverage, case)()


# ---------------------------------------------------------------------------
# The same input checks on every engine
# ---------------------------------------------------------------------------


def three_households() -> pd.DataFrame:
    spec = importlib.util.spec_from_file_location("_survey_cases", HERE / "test_survey.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.three_households()


PROGRAMMES = ["old_age_pension", "social_assistance", "child_benefit"]
CALLS = {
    "programme_coverage": lambda d: sp.programme_coverage(d, PROGRAMMES, by="area"),
    "beneficiary_incidence": lambda d: sp.beneficiary_incidence(d, PROGRAMMES),
    "benefit_incidence": lambda d: sp.benefit_incidence(d, PROGRAMMES, level="person"),
    "adequacy": lambda d: sp.adequacy(d, PROGRAMMES, by="area"),
    "transfer_impact": lambda d: sp.transfer_impact(d, PROGRAMMES, poverty_line=100),
    "headline_from_persons": lambda d: sp.headline_from_persons(
        d, ["social_assistance_recipient", "contributor"], by="sex"
    ),
    "fgt": lambda d: sp.fgt(d, 100, weights="weight", column="consumption_pc"),
    "gini": lambda d: sp.gini(d, weights="weight", column="consumption_pc"),
    "quintiles": lambda d: to_pandas(sp.quintiles(d, weights="weight", column="consumption_pc")),
}
WELFARE = {"beneficiary_incidence", "adequacy", "transfer_impact", "fgt", "gini", "quintiles"}


def breakages():
    """(name, change, error, words in the message, functions concerned)."""

    def set_value(column, value, row=1):
        def change(frame):
            frame = frame.copy()
            if value is None and frame[column].dtype == bool:
                frame[column] = frame[column].astype(object)
            frame.loc[row, column] = value
            return frame

        return change

    everyone = set(CALLS)
    persons = everyone - {"fgt", "gini", "quintiles"}
    households = persons - {"headline_from_persons"}
    flag, amount = "social_assistance_recipient", "child_benefit_amount"
    texts = ["1", "heavy", "2", "3", "3", "3"]
    return [
        ("missing column", lambda f: f.drop(columns="weight"), KeyError, ["'weight'"], everyone),
        ("negative weight", set_value("weight", -1.0), ValueError, ["negative"], everyone),
        ("missing weight", set_value("weight", np.nan), ValueError, ["1 missing"], everyone),
        ("infinite weight", set_value("weight", np.inf), ValueError, ["infinit"], everyone),
        ("zero weights", lambda f: f.assign(weight=0.0), ValueError, ["sum to zero"], everyone),
        ("empty frame", lambda f: f.iloc[:0], ValueError, ["no rows"], persons),
        ("missing flag", set_value(flag, None), ValueError, [f"'{flag}'", "1 missing"], persons),
        (
            "missing welfare",
            set_value("consumption_pc", np.nan),
            ValueError,
            ["1 missing"],
            WELFARE,
        ),
        (
            "negative amount",
            set_value(amount, -5.0),
            ValueError,
            [f"'{amount}'", "negative"],
            households - {"programme_coverage"},
        ),
        (
            "welfare differs in a household",
            set_value("consumption_pc", 150.0, row=1),
            ValueError,
            ["household 1", "'consumption_pc'"],
            {"beneficiary_incidence", "adequacy", "transfer_impact"},
        ),
        (
            "filtered household",
            lambda f: f.drop(index=5),
            ValueError,
            ["household 3", "'hh_size'"],
            households,
        ),
        (
            "size differs in a household",
            set_value("hh_size", 4, row=4),  # household 3: 3 rows, sizes 3, 4, 3
            ValueError,
            ["household 3", "'hh_size'", "same on every member"],
            households,
        ),
        (
            "size 0 declared",
            lambda f: f.assign(hh_size=f["hh_size"].where(f["hh_id"] != 2, 0)),
            ValueError,
            ["household 2 has 1 row", "'hh_size' = 0"],
            households,
        ),
        (
            "negative size declared",
            lambda f: f.assign(hh_size=f["hh_size"].where(f["hh_id"] != 2, -1)),
            ValueError,
            ["household 2 has 1 row", "'hh_size' = -1"],
            households,
        ),
        ("text weights", lambda f: f.assign(weight=texts), TypeError, ["numbers"], everyone),
    ]


CASES = [(b[0], name) for b in breakages() for name in CALLS if name in b[4]]


@pytest.mark.parametrize(("breakage", "function"), CASES)
def test_bad_input_gives_the_same_error_on_every_engine(engine, breakage, function):
    name, change, error, words, _ = next(b for b in breakages() if b[0] == breakage)
    if "weight" in name:
        words = [*words, "'weight'"]
    broken = change(three_households())
    call = CALLS[function]
    with pytest.raises(error) as on_pandas:
        call(broken)
    with pytest.raises(error) as on_engine:
        call(to_engine(broken, engine))
    for text in (str(on_pandas.value), str(on_engine.value)):
        for word in words:
            assert word in text, (name, text)


# ---------------------------------------------------------------------------
# Column names
# ---------------------------------------------------------------------------


def test_column_names_that_differ_only_in_case(engine):
    # The weight is 'W'; a column 'w' holds other numbers. DuckDB folds the case of
    # identifiers (it renames 'w' to 'w_1' when it reads the frame), the library does
    # not: each engine must read the weights from 'W'.
    frame = three_households().rename(columns={"weight": "W"})
    frame["w"] = 1000.0
    expected = sp.programme_coverage(frame, PROGRAMMES, weight="W")
    if engine == "duckdb":
        frame = frame.drop(columns="w")
    got = sp.programme_coverage(to_engine(frame, engine), PROGRAMMES, weight="W")
    assert_same(got, expected)
    assert got["denominator"].iloc[0] == 13.0
    # A column named as the library's helpers, in upper case, changes nothing.
    frame = three_households().assign(_SP_W=7.0, _SP_R0=1.0)
    assert_same(sp.adequacy(to_engine(frame, engine), PROGRAMMES), sp.adequacy(frame, PROGRAMMES))
    # A weight column spelled in another case is missing, on every engine.
    with pytest.raises(KeyError, match="'weight'"):
        sp.programme_coverage(
            to_engine(frame.rename(columns={"weight": "Weight"}), engine), PROGRAMMES
        )


def test_reserved_words_as_column_names(engine):
    frame = three_households().rename(
        columns={"hh_id": "order", "area": "group", "weight": "select", "consumption_pc": "from"}
    )
    keywords = {"household": "order", "weight": "select"}
    for call in (
        lambda d: sp.programme_coverage(d, PROGRAMMES, by="group", **keywords),
        lambda d: sp.benefit_incidence(d, PROGRAMMES, welfare="from", **keywords),
        lambda d: sp.beneficiary_incidence(d, PROGRAMMES, group="group", **keywords),
        lambda d: sp.adequacy(d, PROGRAMMES, welfare="from", by="group", **keywords),
        lambda d: sp.transfer_impact(d, PROGRAMMES, welfare="from", poverty_line=100, **keywords),
        lambda d: sp.headline_from_persons(d, ["contributor"], weight="select", by="group"),
    ):
        assert_same(call(to_engine(frame, engine)), call(frame))
    assert sp.gini(to_engine(frame, engine), weights="select", column="from") == pytest.approx(
        sp.gini(frame, weights="select", column="from"), rel=1e-12
    )


# ---------------------------------------------------------------------------
# Frame forms and pandas-only use
# ---------------------------------------------------------------------------


def test_frame_forms_on_pandas_equal_the_array_forms():
    frame = three_households()
    y, w = frame["consumption_pc"], frame["weight"]
    assert sp.fgt(frame, 100, 1, weights="weight", column="consumption_pc") == sp.fgt(
        y, 100, 1, weights=w
    )
    assert sp.gini(frame, column="consumption_pc") == sp.gini(y)
    out = sp.quintiles(frame, weights="weight", column="consumption_pc")
    assert out["quintile"].tolist() == sp.quintiles(y, w).tolist()
    assert "quintile" not in frame.columns  # a new frame, not the caller's
    with pytest.raises(TypeError, match="column="):
        sp.gini(frame)
    with pytest.raises(ValueError, match="already has a column 'quintile'"):
        sp.quintiles(out, column="consumption_pc")


def test_quintiles_of_a_frame_stay_in_the_engine(engine):
    native = sp.quintiles(to_engine(three_households(), engine), column="consumption_pc", n=10)
    assert type(native) is type(to_engine(three_households(), engine))
    assert "decile" in to_pandas(native).columns


def test_anything_else_is_refused_with_a_clear_message():
    with pytest.raises(TypeError, match="a DuckDB relation or a Spark DataFrame; got dict"):
        sp.programme_coverage({"weight": [1.0]}, PROGRAMMES)


def test_pandas_alone_imports_no_other_engine():
    script = (
        "import sys; import socialprotection as sp; "
        "from socialprotection.synthetic import household_survey; "
        "f = household_survey('TJK', n_households=200, seed=1); "
        "sp.programme_coverage(f, 'social_assistance'); sp.benefit_incidence(f, 'child_benefit'); "
        "sp.headline_from_persons(f, ['contributor']); sp.fgt(f['consumption_pc'], 100); "
        "print(sorted(m for m in ('polars', 'duckdb', 'pyspark', 'narwhals') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


def test_a_synthetic_survey_with_some_of_its_programmes(engine):
    # Incidence ranks on welfare minus ALL the programmes of the frame, also those
    # not given; categories, int32 identifiers and float32 amounts as in a real file.
    frame = sp.synthetic.household_survey("TJK", n_households=400, seed=5)
    some = ["social_assistance", "child_benefit"]
    data = to_engine(frame, engine)
    for call, keys in (
        (lambda d: sp.programme_coverage(d, some, by=["region", "sex"]), ["region", "sex"]),
        (lambda d: sp.beneficiary_incidence(d, some), []),
        (lambda d: sp.benefit_incidence(d, some, level="person", group="decile"), []),
        (lambda d: sp.benefit_incidence(d, some, group="region"), ["region"]),
        (lambda d: sp.adequacy(d, some, by="area"), ["area"]),
        (lambda d: sp.transfer_impact(d, some, poverty_line=3000), []),
        (lambda d: sp.headline_from_persons(d, ["contributor", "social_pension_recipient"]), []),
    ):
        assert_same(call(data), call(frame), keys)


@pytest.mark.parametrize("seed", range(6))
def test_incidence_groups_with_ties_and_empty_groups(engine, seed):
    # The engine path gives each household its group from the n - 1 cut values of
    # the distinct ranking values; few distinct values and uneven weights make ties,
    # blocks wider than a group (so empty groups) and midpoints on group boundaries.
    rng = np.random.default_rng(seed)
    n_households = int(rng.integers(1, 40))
    size = rng.integers(1, 4, n_households)
    household = np.repeat(np.arange(n_households), size)
    welfare = rng.integers(0, 4, n_households).astype(float) * 10
    amount = np.where(rng.random(n_households) < 0.5, 0.0, 5.0)
    frame = pd.DataFrame(
        {
            "hh_id": household,
            "weight": np.repeat(rng.choice([1.0, 2.0, 7.0], n_households), size),
            "consumption_pc": np.repeat(welfare, size),
            "social_assistance_recipient": np.repeat(amount > 0, size),
            "social_assistance_amount": np.repeat(amount, size),
        }
    )
    data = to_engine(frame, engine)
    for group in ("quintile", "decile"):
        for function in (sp.beneficiary_incidence, sp.benefit_incidence):
            assert_same(
                function(data, "social_assistance", group=group),
                function(frame, "social_assistance", group=group),
            )


def _incidence_frame(rng, welfare_values, n_households: int) -> pd.DataFrame:
    size = rng.integers(1, 4, n_households)
    welfare = rng.choice(welfare_values, n_households)
    amount = np.where(rng.random(n_households) < 0.5, 0.0, rng.choice([1.0, 5.0], n_households))
    return pd.DataFrame(
        {
            "hh_id": np.repeat(np.arange(n_households), size),
            "weight": np.repeat(rng.choice([0.0, 1.0, 2.0, 7.0], n_households), size),
            "consumption_pc": np.repeat(welfare, size),
            "social_assistance_recipient": np.repeat(amount > 0, size),
            "social_assistance_amount": np.repeat(amount, size),
        }
    )


@pytest.mark.parametrize("buckets", [1, 2, 3, 65_536])
@pytest.mark.parametrize("seed", range(3))
def test_duckdb_cut_values_from_any_number_of_value_ranges(monkeypatch, buckets, seed):
    # DuckDB takes the cut values from a histogram of equal-width value ranges and
    # works out, value by value, only the ranges that reach a group boundary. With
    # one range everything is worked out; with a few, boundaries fall inside ranges,
    # between them, and several in one range; zero weights, ties and heavy values
    # put midpoints on boundaries. Any number of ranges gives the numpy groups.
    from socialprotection.survey import _lazy_incidence

    monkeypatch.setattr(_lazy_incidence, "BUCKETS", buckets)
    rng = np.random.default_rng(seed)
    frame = _incidence_frame(rng, np.arange(0.0, 40.0, 2.5), int(rng.integers(1, 60)))
    data = to_engine(frame, "duckdb")
    for group in ("quintile", "decile"):
        for function in (sp.beneficiary_incidence, sp.benefit_incidence):
            assert_same(
                function(data, "social_assistance", group=group),
                function(frame, "social_assistance", group=group),
            )


def _refuse_regrouping(patched: pytest.MonkeyPatch) -> None:
    """Make the query that groups every household again fail (a narrower one may run)."""
    from socialprotection.survey._lazy_checks import _HouseholdRules

    first = _HouseholdRules._first

    def narrower_only(self, *aggregations, condition, lf=None):
        if lf is None:
            raise AssertionError("every household grouped again")
        return first(self, *aggregations, condition=condition, lf=lf)

    patched.setattr(_HouseholdRules, "_first", narrower_only)


def _with_household(frame: pd.DataFrame, members: int, hh_id: int = 9) -> pd.DataFrame:
    """``frame`` and one more complete household of ``members`` persons."""
    big = frame.iloc[[3] * members].assign(hh_id=hh_id, hh_size=members, person_id=range(members))
    return pd.concat([frame, big], ignore_index=True)


@pytest.mark.parametrize("members", [23, 24, 46, 60])
def test_households_of_any_size(engine, members):
    # DuckDB screens the declared size with one bit per size from 1 to 23 (or more)
    # and checks households with any other size in a second query: a household of
    # any size passes when complete and is named when a member is missing.
    frame = _with_household(three_households(), members)
    for name in FRAME_FUNCTIONS:
        assert_same(CALLS[name](to_engine(frame, engine)), CALLS[name](frame))
    short = frame.drop(index=len(frame) - 1)
    for name in FRAME_FUNCTIONS:
        with pytest.raises(ValueError, match=f"household 9 has {members - 1} row"):
            CALLS[name](to_engine(short, engine))


def test_duckdb_checks_again_only_the_households_outside_its_screen(monkeypatch):
    # Two complete households of 30 and 50 members: DuckDB checks them in a second
    # query over their persons only, never by grouping every person again (the
    # query that names a broken household); a size that differs among the members
    # of such a household is still named.
    frame = _with_household(_with_household(three_households(), 30), 50, hh_id=10)
    data = to_engine(frame, "duckdb")
    with monkeypatch.context() as patched:
        _refuse_regrouping(patched)
        for name in FRAME_FUNCTIONS:
            assert_same(CALLS[name](data), CALLS[name](frame))
    differs = frame.copy()
    differs.loc[len(differs) - 1, "hh_size"] = 51
    for name in FRAME_FUNCTIONS:
        with pytest.raises(ValueError, match="household 10: 'hh_size' is 50 on one member but 51"):
            CALLS[name](to_engine(differs, "duckdb"))


def test_duckdb_pools_alike_households_for_coverage_without_groups(monkeypatch):
    # Without by=, DuckDB pools the households alike in flags, declared size and
    # members, and weights each pooled row by the households it stands for: the
    # numbers are those of pandas, with many households to a pooled row.
    from socialprotection.survey import _lazy_checks

    frame = sp.synthetic.household_survey("TJK", n_households=600, seed=11)
    names = ["old_age_pension", "social_assistance", "child_benefit"]
    pooled = []
    group = _lazy_checks._duckdb_group

    def counted(lf, keys, aggregations, flags, pool=None):
        out = group(lf, keys, aggregations, flags, pool)
        if pool is not None:
            pooled.append(to_pandas(out.to_native())[pool])
        return out

    monkeypatch.setattr(_lazy_checks, "_duckdb_group", counted)
    # Without the declared size, the pooled rows differ in members only; a size in
    # floating point is not packed, its min and max are pooled as they are.
    for data in (frame, frame.drop(columns="hh_size"), frame.astype({"hh_size": float})):
        for level in ("household", "person"):
            got = sp.programme_coverage(to_engine(data, "duckdb"), names, level=level)
            assert_same(got, sp.programme_coverage(data, names, level=level))
    assert len(pooled) == 3  # households only; with by= or on persons nothing is pooled
    for counts in pooled:
        assert counts.sum() == frame["hh_id"].nunique()
        assert len(counts) < frame["hh_id"].nunique() / 4
    sp.programme_coverage(to_engine(frame, "duckdb"), names, by="area")
    assert len(pooled) == 3
    # A household with a member filtered out is named from the pooled counts too.
    short = frame.drop(index=frame.index[frame["hh_size"] > 3][0])
    with pytest.raises(ValueError, match=r"household \d+ has \d+ row\(s\) in the frame"):
        sp.programme_coverage(to_engine(short, "duckdb"), names)


@pytest.mark.parametrize("copies", [1, 3])
def test_duckdb_screen_for_few_and_many_programmes(monkeypatch, copies):
    # 3 programmes and the marker of bad input fit a 32-bit mask with the sizes 1
    # to 26; 9 programmes need the 64-bit one (sizes 1 to 46). Either way, with
    # households of 1 to 50 members, DuckDB gives the numbers of pandas, and no
    # complete household sends every household to the exact query.
    frame = three_households()
    for members, hh_id in [(20, 8), (23, 11), (24, 12), (26, 13), (27, 14), (30, 9), (50, 10)]:
        frame = _with_household(frame, members, hh_id)
    names = []
    for c in range(copies):
        for p in PROGRAMMES:
            name = f"{p}{c}"
            frame[f"{name}_recipient"] = frame[f"{p}_recipient"].to_numpy()[::-1]
            frame[f"{name}_amount"] = frame[f"{p}_amount"].to_numpy()[::-1]
            names.append(name)
    data = to_engine(frame, "duckdb")
    with monkeypatch.context() as patched:
        _refuse_regrouping(patched)
        for call in (
            lambda d: sp.programme_coverage(d, names, by="area"),
            lambda d: sp.benefit_incidence(d, names),
        ):
            assert_same(call(data), call(frame))
    short = frame.drop(index=len(frame) - 1)
    with pytest.raises(ValueError, match="household 10 has 49 row"):
        sp.programme_coverage(to_engine(short, "duckdb"), names)


def test_duckdb_cut_values_over_the_widest_range_of_finite_values():
    # Welfare from -1e308 to 1e308: the width of the range overflows unless halved.
    rng = np.random.default_rng(7)
    frame = _incidence_frame(rng, np.array([-1e308, -1.0, 0.0, 3.0, 1e308]), 40)
    frame["social_assistance_amount"] = 0.0
    frame["social_assistance_recipient"] = False
    frame.loc[frame["hh_id"] % 3 == 0, ["social_assistance_recipient"]] = True
    data = to_engine(frame, "duckdb")
    assert_same(
        sp.beneficiary_incidence(data, "social_assistance"),
        sp.beneficiary_incidence(frame, "social_assistance"),
    )
