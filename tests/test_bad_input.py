"""Every bad input gives a clear error: a property-based test over every public frame function.

The registry below lists every public function of ``socialprotection`` that takes a frame
(or a column of one), with a strategy for valid small inputs and the columns it reads,
each with its kind. For each class of bad input that applies, hypothesis builds a valid
input, corrupts it (which column, which row, which value) and the function must raise

- ``KeyError`` for a missing column, ``TypeError`` for a value of the wrong type (a label
  outside the valid list is a ``ValueError``), ``ValueError`` for every other bad value;
- with a message that names the column and the row (the index label) or the household,
  or, for an empty frame, says that there are no rows (no values);
- from inside the package: the last frame of the traceback is in ``socialprotection``,
  so the error is ours and not one from numpy or pandas internals;
- and never a warning (numpy's RuntimeWarning is turned into an error) or a result.

The raising frame alone is not enough, since numpy's C functions raise from the line
of our code that calls them (``np.bincount`` on a negative code raises a ``ValueError``
from ``survey.py``): the message must also name the column and the row.

A class that does not apply to a function is listed, with the reason, in the
function's ``not_applicable``; every other class is tried, and there is no list of
tolerated gaps. :func:`test_registry_lists_every_public_frame_function` fails when a new
public function that takes a frame is not in the registry.
"""

from __future__ import annotations

import inspect
import itertools
import re
import traceback
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import socialprotection as sp
from socialprotection import coverage as cv
from socialprotection.assessment._matrix import MATRIX_TEXT

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PACKAGE = Path(sp.__file__).resolve().parent
SETTINGS = settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# ---- classes of bad input ----------------------------------------------------------------

MISSING_COLUMN = "missing column"
WRONG_TYPE = "wrong type"
MISSING_VALUE = "missing value"
NEGATIVE = "negative value"
NON_FINITE = "non-finite value"
EMPTY = "empty frame"
HOUSEHOLD = "inconsistent household values"
CLASSES = (MISSING_COLUMN, WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, EMPTY, HOUSEHOLD)

#: The classes that each kind of column must refuse (besides a missing column, which
#: every required column must refuse, and inconsistent household values, for household
#: columns).
KINDS = {
    "amount": {WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE},  # a number, 0 or more
    "number": {WRONG_TYPE, MISSING_VALUE, NON_FINITE},  # a number of any sign
    "share": {WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE},  # a number from 0 to 1
    "flag": {WRONG_TYPE, MISSING_VALUE},  # true/false or 1/0; inf is a wrong type here
    "choice": {WRONG_TYPE, MISSING_VALUE},  # one of a list of labels
    "text": {WRONG_TYPE, MISSING_VALUE},  # a name
    "key": {MISSING_VALUE},  # any label (household, group): no type, sign or finiteness
    "label": set(),  # names used only to list members in the output
}


@dataclass(frozen=True)
class Column:
    """A column that a function reads."""

    name: str
    kind: str
    frame: str = "data"  # which input frame holds it
    household: bool = False  # the function assumes it is the same on every member
    optional: str | None = None  # why a missing column is not an error
    missing_allowed: str | None = None  # why missing values are counted, not refused
    choices: tuple[str, ...] = ()  # the valid labels of a "choice" column
    infinite_allowed: str | None = None  # why +inf is a valid value (minus inf is refused)

    def refuses(self, bad: str) -> bool:
        if bad == MISSING_COLUMN:
            return self.optional is None
        if bad == HOUSEHOLD:
            return self.household
        if bad == MISSING_VALUE and self.missing_allowed:
            return False
        return bad in KINDS[self.kind]


@dataclass(frozen=True)
class Entry:
    """A public function that takes a frame, called on valid inputs from ``inputs``."""

    function: Callable
    call: Callable[[dict[str, pd.DataFrame]], object]
    inputs: Callable[[], st.SearchStrategy[dict[str, pd.DataFrame]]]
    columns: tuple[Column, ...]
    variant: str = ""
    not_applicable: dict[str, str] = field(default_factory=dict)

    @property
    def id(self) -> str:
        return self.function.__name__ + (f"[{self.variant}]" if self.variant else "")

    def targets(self, bad: str) -> list[Column]:
        """The columns on which to try ``bad``: none when it does not apply to the function."""
        if bad in self.not_applicable:
            return []
        return [c for c in self.columns if c.refuses(bad)]

    def applies(self, bad: str) -> bool:
        if bad in self.not_applicable:
            return False
        return bad == EMPTY or bool(self.targets(bad))


# ---- valid inputs ------------------------------------------------------------------------

PROGRAMMES = ["sa", "cb"]  # two programmes: {p}_recipient and {p}_amount


@st.composite
def index_for(draw, n: int) -> pd.Index:
    """Row labels: positions, text labels, or numbers that are not positions."""
    style = draw(st.sampled_from(["range", "text", "numbers"]))
    if style == "range":
        return pd.RangeIndex(n)
    if style == "text":
        return pd.Index([f"p{i}" for i in range(n)])
    return pd.Index(list(range(100 + 3 * n, 100, -3)))


@st.composite
def surveys(draw) -> dict[str, pd.DataFrame]:
    """Small valid surveys: one row per person, welfare post-transfer, one household of 2+."""
    sizes = draw(st.lists(st.integers(1, 4), min_size=2, max_size=5))
    if max(sizes) < 2:
        sizes[0] = 2
    text_ids = draw(st.booleans())
    records = []
    for h, size in enumerate(sizes):
        weight = draw(st.integers(1, 5000)) / 10
        pre = draw(st.integers(1, 300))
        region = draw(st.sampled_from(["north", "south"]))
        members = []
        for _ in range(size):
            person = {
                "sex": draw(st.sampled_from(["female", "male"])),
                "contributor": draw(st.booleans()),
            }
            for p in PROGRAMMES:
                receives = draw(st.booleans())
                person[f"{p}_recipient"] = receives
                person[f"{p}_amount"] = float(draw(st.integers(1, 90))) if receives else 0.0
            members.append(person)
        total = sum(m[f"{p}_amount"] for m in members for p in PROGRAMMES)
        for person in members:
            person.update(
                hh_id=f"H{h + 1}" if text_ids else h + 1,
                weight=weight,
                hh_size=size,
                region=region,
                consumption_pc=pre + total / size,
            )
            records.append(person)
    frame = pd.DataFrame.from_records(records)
    if draw(st.booleans()):  # households need not be on consecutive rows
        frame = frame.iloc[draw(st.permutations(range(len(frame))))].reset_index(drop=True)
    if draw(st.booleans()):  # the compact types of household_survey
        frame = frame.astype(
            {"hh_size": "int16", "region": "category", "sex": "category"}
            | {f"{p}_amount": "float32" for p in PROGRAMMES}
        )
    frame.index = draw(index_for(len(frame)))
    return {"data": frame}


ADMIN_ROWS = [
    ("child benefit", "children", False, "recipients", "both"),
    ("maternity insurance", "maternity", True, "recipients", "female"),
    ("disability pension", "disability", True, "recipients", "both"),
    ("unemployment insurance", "unemployment", True, "recipients", "male"),
    ("injury insurance", "employment_injury", True, "protected", "both"),
    ("old-age pension", "old_age", True, "recipients", "both"),
    ("old-age pension", "old_age", True, "contributors", "both"),
    ("social assistance", "social_assistance", False, "recipients", "both"),
]
DENOMINATOR_ROWS = [(d, "both") for d in cv.DENOMINATORS] + [("women_giving_birth", "female")]


@st.composite
def admin_frames(draw) -> pd.DataFrame:
    chosen = draw(st.lists(st.sampled_from(ADMIN_ROWS), min_size=1, max_size=6, unique=True))
    counts = draw(st.lists(st.integers(0, 1000), min_size=len(chosen), max_size=len(chosen)))
    frame = pd.DataFrame(
        [(*row, count) for row, count in zip(chosen, counts, strict=True)],
        columns=["scheme", "contingency", "contributory", "measure", "sex", "count"],
    )
    frame.index = draw(index_for(len(frame)))
    return frame


@st.composite
def denominator_frames(draw) -> pd.DataFrame:
    chosen = draw(st.lists(st.sampled_from(DENOMINATOR_ROWS), min_size=1, max_size=8, unique=True))
    values = draw(st.lists(st.integers(10_000, 10**7), min_size=len(chosen), max_size=len(chosen)))
    frame = pd.DataFrame(
        [(*row, float(v), "given") for row, v in zip(chosen, values, strict=True)],
        columns=["denominator", "sex", "value", "source"],
    )
    frame.index = draw(index_for(len(frame)))
    return frame


def admin_inputs():
    return admin_frames().map(lambda f: {"admin": f})


def denominator_inputs():
    return denominator_frames().map(lambda f: {"denominators": f})


def contingency_inputs():
    return st.tuples(admin_frames(), denominator_frames()).map(
        lambda t: {"admin": t[0], "denominators": t[1]}
    )


@st.composite
def member_inputs(draw) -> dict[str, pd.DataFrame]:
    n = draw(st.integers(1, 6))
    frame = pd.DataFrame(
        {
            "iso3": [f"C{i}" for i in range(n)],
            "region": draw(st.lists(st.sampled_from(["a", "b"]), min_size=n, max_size=n)),
            "rate": [
                r / 1000 for r in draw(st.lists(st.integers(0, 1000), min_size=n, max_size=n))
            ],
            "pop": draw(st.lists(st.integers(1, 10**7), min_size=n, max_size=n)),
        }
    )
    frame.index = draw(index_for(n))
    return {"data": frame}


def remittance_inputs():
    """Valid surveys with remittances, as :func:`socialprotection.add_remittances` adds them."""
    return surveys().map(lambda d: {"data": sp.add_remittances(d["data"], seed=1)})


COUNTRIES = ("TJK", "RUS", "KAZ")


@st.composite
def pension_inputs(draw) -> dict[str, pd.DataFrame]:
    """A career in up to five periods, and the rules of the three countries it may touch."""
    n = draw(st.integers(1, 5))

    def numbers(low: int, high: int, k: int, scale: float = 1.0) -> list[float]:
        ints = draw(st.lists(st.integers(low, high), min_size=k, max_size=k))
        return [i / scale for i in ints]

    history = pd.DataFrame(
        {
            "country": draw(st.lists(st.sampled_from(COUNTRIES), min_size=n, max_size=n)),
            "years": numbers(0, 25, n),
            "reference_earnings": numbers(1, 2000, n),
        }
    )
    history.index = draw(index_for(n))
    k = len(COUNTRIES)
    max_years = numbers(20, 45, k)
    if draw(st.booleans()):
        max_years[draw(st.integers(0, k - 1))] = np.inf  # no cap: documented
    rules = pd.DataFrame(
        {
            "country": list(COUNTRIES),
            "min_years": numbers(0, 25, k),
            "accrual_rate": numbers(0, 30, k, scale=1000),
            "max_years": max_years,
            "minimum_pension": numbers(0, 100, k),
        }
    )
    rules.index = draw(index_for(k))
    return {"history": history, "rules": rules}


# ---- finance: budgets, benefits, costings -------------------------------------------------


@st.composite
def budget_inputs(draw) -> dict[str, pd.DataFrame]:
    """A budget of one to three programmes over one to three years, with every column."""
    programmes = draw(st.integers(1, 3))
    years = draw(st.integers(1, 3))
    rows = []
    for k in range(programmes):
        for y in range(years):
            approved = float(draw(st.integers(1, 10_000)))
            rows.append(
                {
                    "programme": f"Programme {k}",
                    "function": draw(st.sampled_from(["old age", "family and children"])),
                    "year": 2021 + y,
                    "approved": approved,
                    "executed": float(draw(st.integers(0, 12_000))),
                    "admin_cost": float(draw(st.integers(0, 500))),
                    "currency": "TJS",
                }
            )
    frame = pd.DataFrame(rows)
    frame.index = draw(index_for(len(frame)))
    return {"budget": frame}


@st.composite
def benefit_inputs(draw) -> dict[str, pd.DataFrame]:
    """One to three benefits of kind 'age', with every column of sp.BENEFIT_COLUMNS."""
    n = draw(st.integers(1, 3))
    rows = []
    for k in range(n):
        age_min = draw(st.sampled_from([0, 6, 15, 60, 65]))
        top = draw(st.sampled_from([None, 4, 10, 30]))
        rows.append(
            {
                "benefit": f"Benefit {k}",
                "kind": "age",
                "age_min": float(age_min),
                "age_max": np.nan if top is None else float(min(age_min + top, 99)),
                "sex": draw(st.sampled_from(["both", "female", "male"])),
                "prevalence": draw(st.integers(1, 100)) / 100,
                "take_up": draw(st.integers(0, 100)) / 100,
                "level": float(draw(st.integers(0, 50))),
                "level_unit": draw(st.sampled_from(list(FINANCE_UNITS))),
                "indexation": draw(st.sampled_from(["prices", "gdp_per_capita", "none"])),
                "admin_rate": draw(st.integers(0, 20)) / 100,
                "months": float(draw(st.integers(1, 12))),
            }
        )
    frame = pd.DataFrame(rows)
    frame.index = draw(index_for(n))
    return {"benefits": frame}


@st.composite
def cost_inputs(draw) -> dict[str, pd.DataFrame]:
    """A costing result: one or two benefits over one or two years, costs 0 or more."""
    rows = []
    for benefit in range(draw(st.integers(1, 2))):
        for year in (2030, 2040)[: draw(st.integers(1, 2))]:
            values = [float(draw(st.integers(0, 10**6))) / 100 for _ in range(4)]
            rows.append((f"B{benefit}", year, *values))
    frame = pd.DataFrame(rows, columns=["benefit", "year", *COST_COLUMNS])
    frame.index = draw(index_for(len(frame)))
    return {"costs": frame}


@st.composite
def price_inputs(draw) -> dict[str, pd.DataFrame]:
    n = draw(st.integers(1, 5))
    prices = [float(draw(st.integers(1, 500))) for _ in range(n)]
    return {"data": pd.DataFrame({"price_index": prices}, index=range(2020, 2020 + n))}


@st.composite
def execution_rate_inputs(draw) -> dict[str, pd.DataFrame]:
    """Aggregate execution rates in percent, three to five consecutive years."""
    n = draw(st.integers(3, 5))
    rates = [float(draw(st.integers(50, 150))) for _ in range(n)]
    return {"data": pd.DataFrame({"execution_rate_pct": rates}, index=range(2018, 2018 + n))}


FINANCE_UNITS = ("lcu_month", "gdp_per_capita_pct", "poverty_line_pct")
COST_COLUMNS = ("cost_lcu", "cost_usd_base_prices", "cost_pct_gdp", "cost_pct_government_expense")
COUNTED = "missing amounts are counted in the result's attrs and left out (documented)"
DEFAULT = "an empty cell takes the documented default"
NO_HOUSEHOLDS_FINANCE = "budgets and benefits: no households"
BUDGET_COLUMNS = (
    Column("programme", "text", "budget"),
    Column("year", "number", "budget"),
    Column("approved", "amount", "budget", missing_allowed=COUNTED),
    Column("executed", "amount", "budget", missing_allowed=COUNTED),
)
ADMIN_COST = Column(
    "admin_cost",
    "amount",
    "budget",
    optional="the administrative cost ratio is left out without the column (documented)",
    missing_allowed=COUNTED,
)
BENEFIT_COLUMNS = (
    Column("benefit", "text", "benefits"),
    Column(
        "kind",
        "choice",
        "benefits",
        optional=DEFAULT,
        missing_allowed=DEFAULT,
        choices=("age", "births"),
    ),
    Column("age_min", "amount", "benefits"),
    Column(
        "age_max",
        "amount",
        "benefits",
        optional="no upper age: 'and over' (documented)",
        missing_allowed="an empty age_max means 'and over' (documented)",
    ),
    Column(
        "sex",
        "choice",
        "benefits",
        optional=DEFAULT,
        missing_allowed=DEFAULT,
        choices=("both", "female", "male"),
    ),
    Column("prevalence", "share", "benefits", optional=DEFAULT, missing_allowed=DEFAULT),
    Column("take_up", "share", "benefits"),
    Column("level", "amount", "benefits"),
    Column("level_unit", "choice", "benefits", choices=FINANCE_UNITS),
    Column(
        "indexation",
        "choice",
        "benefits",
        optional=DEFAULT,
        missing_allowed=DEFAULT,
        choices=("prices", "gdp_per_capita", "none"),
    ),
    Column("admin_rate", "amount", "benefits", optional=DEFAULT, missing_allowed=DEFAULT),
    Column("months", "amount", "benefits", optional=DEFAULT, missing_allowed=DEFAULT),
)
COSTING = {
    "real_growth_pct": 5.0,
    "inflation_pct": 5.0,
    "base_year": 2025,
    "poverty_line_lcu_month": 500.0,
}
COST_FRAME = (
    Column("year", "number", "costs"),
    *(Column(c, "amount", "costs") for c in COST_COLUMNS),
)


# ---- registries (socialprotection.registry) ----------------------------------------------

GIVEN = ["Зарина", "Ниссо", "Умед", "Ҷамшед", "ສົມສັກ", "Somsak"]
FAMILY = ["Саидова", "Қодиров", "ພົມມະວົງ", "Phommavong"]


@st.composite
def person_frames(draw, prefix: str = "r", programmes: bool = False) -> pd.DataFrame:
    """Small valid person records: unique identifiers, names in any script, ISO dates."""
    n = draw(st.integers(2, 6))
    frame = pd.DataFrame(
        {
            "identifier": [f"{prefix}{i}" for i in range(n)],
            "given_name": draw(st.lists(st.sampled_from(GIVEN), min_size=n, max_size=n)),
            "family_name": draw(st.lists(st.sampled_from(FAMILY), min_size=n, max_size=n)),
            "birth_date": [
                f"{1940 + y}-{m:02d}-{d:02d}"
                for y, m, d in draw(
                    st.lists(
                        st.tuples(st.integers(0, 80), st.integers(1, 12), st.integers(1, 28)),
                        min_size=n,
                        max_size=n,
                    )
                )
            ],
            "sex": draw(st.lists(st.sampled_from(["female", "male"]), min_size=n, max_size=n)),
            "district": draw(st.lists(st.sampled_from(["Rasht", "Pakse"]), min_size=n, max_size=n)),
            "national_id": draw(
                st.lists(
                    st.sampled_from(["1234567897", "7992739871", None]), min_size=n, max_size=n
                )
            ),
        }
    )
    if programmes:
        frame["programme_identifier"] = draw(
            st.lists(st.sampled_from(["pension", "assistance"]), min_size=n, max_size=n)
        )
    frame.index = draw(index_for(n))
    return frame


def person_inputs():
    return person_frames().map(lambda f: {"data": f})


def two_registries():
    return st.tuples(person_frames("l"), person_frames("r")).map(
        lambda t: {"left": t[0], "right": t[1]}
    )


def beneficiary_inputs():
    return person_frames(programmes=True).map(lambda f: {"data": f})


@st.composite
def scored_pairs(draw) -> dict[str, pd.DataFrame]:
    """Pairs of records with a probability, and the truth of every record."""
    n = draw(st.integers(2, 6))
    ids = [f"r{i}" for i in range(n)]
    truth = pd.DataFrame(
        {"identifier": ids, "person_id": draw(st.lists(st.integers(0, 3), min_size=n, max_size=n))}
    )
    truth.index = draw(index_for(n))
    k = draw(st.integers(1, 5))
    left = draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k))
    right = draw(st.lists(st.sampled_from(ids), min_size=k, max_size=k))
    pairs = pd.DataFrame(
        {
            "identifier_l": left,
            "identifier_r": right,
            "match_probability": [
                p / 100 for p in draw(st.lists(st.integers(0, 100), min_size=k, max_size=k))
            ],
        }
    )
    pairs.index = draw(index_for(k))
    return {"pairs": pairs, "truth": truth}


def registry_tables():
    def table(f: pd.DataFrame) -> pd.DataFrame:
        return f.assign(
            group_identifier=["H1"] * len(f),
            group_head=[True] + [False] * (len(f) - 1),
            registration_date=["2023-05-01"] * len(f),
        )

    return person_frames().map(lambda f: {"data": table(f)})


def person_columns(frame: str = "data") -> tuple[Column, ...]:
    name_missing = "a record may lack a name: splink compares what is there (documented)"
    return (
        Column("identifier", "key", frame),
        Column("given_name", "text", frame, missing_allowed=name_missing),
        Column("family_name", "text", frame, missing_allowed=name_missing),
        Column(
            "birth_date",
            "text",
            frame,
            missing_allowed="a record may lack a birth date (documented)",
        ),
        Column(
            "sex",
            "choice",
            frame,
            choices=("female", "male"),
            missing_allowed="a record may lack its sex (documented)",
        ),
        Column(
            "district",
            "text",
            frame,
            optional="compared only when the registry holds it (documented)",
            missing_allowed="a record may lack a district (documented)",
        ),
        Column(
            "national_id",
            "text",
            frame,
            optional="compared only when the registry holds it (documented)",
            missing_allowed="children and many adults hold no ID (documented)",
        ),
    )


PERSONS = "person records: no numbers to be negative or infinite"
PROFILED = (
    "the profile counts and lists bad values, which is its purpose (documented); only a "
    "missing identifier column or an empty frame is refused"
)


INSTITUTION_NAMES = ("MoLMEP", "MS", "ALE", "AEA")
FUNCTION_NAMES = ("pre_departure", "job_placement", "data")


@st.composite
def mandate_inputs(draw) -> dict[str, pd.DataFrame]:
    """Declared institutions and functions, and some mandates among them (repeats allowed)."""
    pairs = list(itertools.product(INSTITUTION_NAMES, FUNCTION_NAMES))
    chosen = draw(st.lists(st.sampled_from(pairs), min_size=1, max_size=8))
    mandates = pd.DataFrame(
        {
            "institution": [i for i, _ in chosen],
            "function": [f for _, f in chosen],
            "role": draw(
                st.lists(st.sampled_from(sp.ROLES), min_size=len(chosen), max_size=len(chosen))
            ),
            "legal_basis": draw(
                st.lists(
                    st.sampled_from(["Law 1", "Decree 2", None, ""]),
                    min_size=len(chosen),
                    max_size=len(chosen),
                )
            ),
        }
    )
    mandates.index = draw(index_for(len(mandates)))
    institutions = pd.DataFrame({"institution": list(INSTITUTION_NAMES)})
    institutions.index = draw(index_for(len(institutions)))
    functions = pd.DataFrame({"function": list(FUNCTION_NAMES)})
    functions.index = draw(index_for(len(functions)))
    return {"mandates": mandates, "institutions": institutions, "functions": functions}


@st.composite
def matrix_inputs(draw) -> dict[str, pd.DataFrame]:
    guarantees = pd.DataFrame({"guarantee": ["health", "children", "working_age", "old_age"]})
    guarantees.index = draw(index_for(len(guarantees)))
    n = draw(st.integers(1, 6))
    texts = st.sampled_from(["a scheme", "a gap", None, "", "do this"])
    entries = pd.DataFrame(
        {
            "guarantee": draw(
                st.lists(st.sampled_from(list(guarantees["guarantee"])), min_size=n, max_size=n)
            ),
            **{c: draw(st.lists(texts, min_size=n, max_size=n)) for c in MATRIX_TEXT},
        }
    )
    entries.index = draw(index_for(n))
    return {"entries": entries, "guarantees": guarantees}


def findings_inputs():
    """The findings of valid mandate maps that have at least one."""
    return (
        mandate_inputs()
        .map(lambda d: {"findings": sp.mandate_findings(**d)})
        .filter(lambda d: len(d["findings"]) > 0)
    )


@st.composite
def roadmap_inputs(draw) -> dict[str, pd.DataFrame]:
    """Up to six activities, each depending on some earlier ones, and the institutions."""
    n = draw(st.integers(1, 6))
    names = [f"step{k}" for k in range(n)]
    depends = [
        "; ".join(draw(st.lists(st.sampled_from(names[:k]), unique=True))) if k else None
        for k in range(n)
    ]
    activities = pd.DataFrame(
        {
            "activity": names,
            "institution": draw(
                st.lists(st.sampled_from(INSTITUTION_NAMES), min_size=n, max_size=n)
            ),
            "cost": [c / 4 for c in draw(st.lists(st.integers(0, 4000), min_size=n, max_size=n))],
            "duration": draw(st.lists(st.integers(0, 30), min_size=n, max_size=n)),
            "depends_on": [d or None for d in depends],
        }
    )
    activities.index = draw(index_for(n))
    institutions = pd.DataFrame({"institution": list(INSTITUTION_NAMES)})
    institutions.index = draw(index_for(len(institutions)))
    return {"activities": activities, "institutions": institutions}


# ---- event logs (socialprotection.delivery) ----------------------------------------------

CHAIN = ["application", "assessment", "decision_eligible", "enrolment", "notification"]


@st.composite
def event_logs(draw, kind: str = "chain") -> dict[str, pd.DataFrame]:
    """Small valid event logs: a few cases, each a run of the chain in time order.

    ``kind`` is "chain" (intake to notification), "payments" (schedules and payments),
    "transfers" (payments made) or "grievances" (enrolment then grievance events).
    """
    n_cases = draw(st.integers(1, 4))
    rows = []
    for c in range(n_cases):
        day = draw(st.integers(1, 20))
        district = draw(st.sampled_from(["Rasht", "Hisor"]))
        if kind == "payments":
            steps = []
            for cycle in range(1, draw(st.integers(1, 2)) + 1):
                steps.append(("payment_scheduled", cycle))
                if draw(st.booleans()):  # paid, or not (yet)
                    steps.append(("payment_paid", cycle))
        elif kind == "transfers":
            steps = [("payment_paid", cycle) for cycle in range(1, draw(st.integers(1, 3)) + 1)]
        elif kind == "grievances":
            steps = [("enrolment", 0), ("grievance_opened", 0), ("grievance_resolved", 0)]
        else:
            steps = [(a, 0) for a in CHAIN[: draw(st.integers(1, len(CHAIN)))]]
        for activity, cycle in steps:
            day += draw(st.integers(0, 5))
            rows.append(
                {
                    "case_id": f"c{c}",
                    "activity": activity,
                    "timestamp": pd.Timestamp("2024-01-01") + pd.Timedelta(days=day),
                    "district": district,
                    "cycle": cycle,
                    "amount": float(draw(st.integers(0, 500))),
                    "category": draw(st.sampled_from(["payment_delay", "information"])),
                }
            )
    frame = pd.DataFrame(rows)
    frame.index = draw(index_for(len(frame)))
    return {"events": frame}


def chain_logs():
    return event_logs("chain")


def payment_logs():
    return event_logs("payments")


def grievance_logs():
    return event_logs("grievances")


@st.composite
def logs_with_costs(draw) -> dict[str, pd.DataFrame]:
    data = draw(event_logs("transfers"))
    districts = sorted(set(data["events"]["district"]))
    costs = pd.DataFrame(
        {"district": districts, "cost": [float(draw(st.integers(0, 9000))) for _ in districts]}
    )
    costs.index = draw(index_for(len(costs)))
    return {**data, "costs": costs}


@st.composite
def logs_with_truth(draw) -> dict[str, pd.DataFrame]:
    data = draw(chain_logs())
    cases = list(dict.fromkeys(data["events"]["case_id"])) + ["never_reached"]
    truth = pd.DataFrame(
        {
            "case_id": cases,
            "eligible": [draw(st.booleans()) for _ in cases],
            "district": [draw(st.sampled_from(["Rasht", "Hisor"])) for _ in cases],
        }
    )
    truth.index = draw(index_for(len(truth)))
    return {**data, "truth": truth}


# ---- interoperability and privacy (socialprotection.interop, socialprotection.privacy) -----


def dci_tables():
    """Social registry rows that to_dci maps: one household, one head, one poverty score."""

    def table(f: pd.DataFrame) -> pd.DataFrame:
        return f.assign(
            group_identifier=["H1"] * len(f),
            group_head=[True] + [False] * (len(f) - 1),
            poverty_score=[12.0] * len(f),
            registration_date=["2023-05-01"] * len(f),
        )

    return person_frames().map(lambda f: {"data": table(f)})


@st.composite
def quasi_identifier_frames(draw) -> dict[str, pd.DataFrame]:
    """Records with quasi-identifiers, an age, a sensitive value and ID-like text."""
    n = draw(st.integers(2, 8))
    labels = st.lists(st.sampled_from(["Rasht", "Hisor", None]), min_size=n, max_size=n)
    frame = pd.DataFrame(
        {
            "district": draw(labels),
            "sex": draw(st.lists(st.sampled_from(["female", "male"]), min_size=n, max_size=n)),
            "age": draw(st.lists(st.integers(0, 99), min_size=n, max_size=n)),
            "birth_date": draw(
                st.lists(
                    st.sampled_from(["1980-02-01", "2015-12-31", None]), min_size=n, max_size=n
                )
            ),
            "programme": draw(
                st.lists(st.sampled_from(["pension", "child"]), min_size=n, max_size=n)
            ),
            "national_id": draw(
                st.lists(
                    st.sampled_from(["1234567897", "7992739871", None]), min_size=n, max_size=n
                )
            ),
            "hash": draw(st.lists(st.sampled_from(["ab" * 32, "cd" * 32]), min_size=n, max_size=n)),
        }
    )
    frame.index = draw(index_for(n))
    return {"data": frame}


@st.composite
def count_tables(draw) -> dict[str, pd.DataFrame]:
    """A table of counts of persons: areas by sex."""
    n = draw(st.integers(1, 5))
    counts = st.lists(st.integers(0, 60), min_size=n, max_size=n)
    table = pd.DataFrame({"female": draw(counts), "male": draw(counts)})
    table.index = draw(index_for(n))
    return {"data": table}


QI_LABELS = (
    "quasi-identifiers are labels of any type, and a missing value is a value of its own "
    "(documented): only a missing column or an empty frame is refused"
)
QI_COLUMNS = (
    Column("district", "label", missing_allowed=QI_LABELS),
    Column("sex", "label"),
)
NOT_QI = {bad: QI_LABELS for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)}
ONE_SERIES = {
    MISSING_COLUMN: "takes one column (a Series): the caller selects it, so a missing column "
    "is the caller's own KeyError",
    HOUSEHOLD: "one column: no households",
}
ID_TEXT = "a missing identifier stays missing: it is no identifier to protect (documented)"
KEY32 = b"k" * 32
DCI_COLUMNS = (
    Column("identifier", "key"),
    Column("given_name", "text"),
    Column("family_name", "text"),
    Column("sex", "choice", choices=("female", "male")),
    Column("birth_date", "text"),
    Column("district", "text"),
    Column(
        "national_id",
        "label",
        missing_allowed="a person without an ID has an empty identifier list (documented)",
    ),
    Column("group_identifier", "key"),
    Column("group_head", "flag"),
    Column("poverty_score", "number"),
    Column("registration_date", "text"),
)
DCI_NOT = {
    NEGATIVE: "a poverty score may be of any sign; no other numbers",
    HOUSEHOLD: "two poverty scores in one household are refused by household name, "
    "tested in test_interop.py",
}


# ---- the registry ------------------------------------------------------------------------

HH_ID = Column("hh_id", "key")
HH_SIZE = Column(
    "hh_size",
    "amount",
    household=True,
    optional="the size check is skipped without the column (documented)",
)
WEIGHT = Column("weight", "amount")
RECIPIENTS = tuple(Column(f"{p}_recipient", "flag") for p in PROGRAMMES)
AMOUNTS = tuple(Column(f"{p}_amount", "amount") for p in PROGRAMMES)
WELFARE_RANK = Column("consumption_pc", "number", household=True)  # ranked: any sign
WELFARE = Column("consumption_pc", "amount", household=True)
NO_HOUSEHOLD = "reads no household column"
ARRAYS = (
    "takes arrays (here the columns of a frame): the caller selects the column, so a "
    "missing column is the caller's own KeyError"
)
SEXES = ("female", "male", "both")
ADMIN_COLUMNS = (
    Column("scheme", "text", "admin"),
    Column("contingency", "choice", "admin", choices=cv.CONTINGENCIES),
    Column("contributory", "flag", "admin"),
    Column("measure", "choice", "admin", choices=cv.MEASURES),
    Column("sex", "choice", "admin", choices=SEXES),
    Column("count", "amount", "admin"),
)
DENOMINATOR_COLUMNS = (
    Column("denominator", "choice", "denominators", choices=cv.DENOMINATORS),
    Column("sex", "choice", "denominators", choices=SEXES),
    Column("value", "amount", "denominators"),
)

NO_NUMBERS = "reads names and text only, no numbers"
BLANK_TEXT = "free text: a blank or missing cell means none (documented)"
MANDATE_COLUMNS = (
    Column("institution", "key", "mandates"),
    Column("function", "key", "mandates"),
    Column("role", "choice", "mandates", choices=sp.ROLES),
    Column("legal_basis", "label", "mandates", missing_allowed=BLANK_TEXT),
    Column("institution", "key", "institutions"),
    Column("function", "key", "functions"),
)
ROADMAP_COLUMNS = (
    Column("activity", "key", "activities"),
    Column("institution", "key", "activities"),
    Column("cost", "amount", "activities"),
    Column("duration", "amount", "activities"),
    Column(
        "depends_on",
        "label",
        "activities",
        missing_allowed="no dependency: a blank or missing cell means none (documented)",
    ),
    Column("institution", "key", "institutions"),
)

EVENTS = "an event log: dates and names, no number to be negative or infinite"
NO_HOUSEHOLDS = "an event log: cases, not households"
LOG_COLUMNS = (
    Column("case_id", "key", "events"),
    Column("activity", "text", "events"),
    Column("timestamp", "key", "events"),
)
DISTRICT = Column("district", "key", "events")
LOG_NA = {NEGATIVE: EVENTS, NON_FINITE: EVENTS, HOUSEHOLD: NO_HOUSEHOLDS}
DECIDED = ["decision_eligible", "decision_not_eligible"]

REGISTRY: list[Entry] = [
    Entry(
        sp.programme_coverage,
        lambda d: sp.programme_coverage(d["data"], PROGRAMMES, by="region"),
        surveys,
        (HH_ID, HH_SIZE, WEIGHT, Column("region", "key"), *RECIPIENTS),
        variant="household",
    ),
    Entry(
        sp.programme_coverage,
        lambda d: sp.programme_coverage(d["data"], PROGRAMMES, level="person"),
        surveys,
        (WEIGHT, *RECIPIENTS),
        variant="person",
        not_applicable={HOUSEHOLD: "level='person' " + NO_HOUSEHOLD},
    ),
    Entry(
        sp.beneficiary_incidence,
        lambda d: sp.beneficiary_incidence(d["data"], PROGRAMMES),
        surveys,
        (HH_ID, HH_SIZE, WEIGHT, WELFARE_RANK, *RECIPIENTS, *AMOUNTS),
    ),
    Entry(
        sp.benefit_incidence,
        lambda d: sp.benefit_incidence(d["data"], PROGRAMMES, level="person"),
        surveys,
        (HH_ID, HH_SIZE, WEIGHT, WELFARE_RANK, *RECIPIENTS, *AMOUNTS),
    ),
    Entry(
        sp.adequacy,
        lambda d: sp.adequacy(d["data"], PROGRAMMES, by="region"),
        surveys,
        (HH_ID, HH_SIZE, WEIGHT, WELFARE, Column("region", "key"), *RECIPIENTS, *AMOUNTS),
    ),
    Entry(
        sp.transfer_impact,
        lambda d: sp.transfer_impact(d["data"], PROGRAMMES, poverty_line=100),
        surveys,
        (HH_ID, HH_SIZE, WEIGHT, WELFARE, *RECIPIENTS, *AMOUNTS),
    ),
    Entry(
        sp.household_transfers,
        lambda d: sp.household_transfers(d["data"], PROGRAMMES),
        surveys,
        (HH_ID, HH_SIZE, *RECIPIENTS, *AMOUNTS),
    ),
    Entry(
        sp.quintiles,
        lambda d: sp.quintiles(d["data"]["consumption_pc"], d["data"]["weight"]),
        surveys,
        (Column("consumption_pc", "number"), WEIGHT),
        not_applicable={MISSING_COLUMN: ARRAYS, HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.fgt,
        lambda d: sp.fgt(d["data"]["consumption_pc"], 100, alpha=1, weights=d["data"]["weight"]),
        surveys,
        (Column("consumption_pc", "amount"), WEIGHT),
        not_applicable={MISSING_COLUMN: ARRAYS, HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.gini,
        lambda d: sp.gini(d["data"]["consumption_pc"], weights=d["data"]["weight"]),
        surveys,
        (Column("consumption_pc", "amount"), WEIGHT),
        not_applicable={MISSING_COLUMN: ARRAYS, HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.quintiles,
        lambda d: sp.quintiles(d["data"], weights="weight", column="consumption_pc"),
        surveys,
        (Column("consumption_pc", "number"), WEIGHT),
        variant="frame",
        not_applicable={HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.fgt,
        lambda d: sp.fgt(d["data"], 100, alpha=1, weights="weight", column="consumption_pc"),
        surveys,
        (Column("consumption_pc", "amount"), WEIGHT),
        variant="frame",
        not_applicable={HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.gini,
        lambda d: sp.gini(d["data"], weights="weight", column="consumption_pc"),
        surveys,
        (Column("consumption_pc", "amount"), WEIGHT),
        variant="frame",
        not_applicable={HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.headline_from_persons,
        lambda d: sp.headline_from_persons(d["data"], ["sa_recipient", "contributor"], by="sex"),
        surveys,
        (
            WEIGHT,
            Column("sa_recipient", "flag"),
            Column("contributor", "flag"),
            Column("sex", "key"),
        ),
        not_applicable={HOUSEHOLD: "person-level flags: " + NO_HOUSEHOLD},
    ),
    Entry(
        sp.validate_admin,
        lambda d: sp.validate_admin(d["admin"]),
        admin_inputs,
        ADMIN_COLUMNS,
        not_applicable={HOUSEHOLD: "administrative counts: no households"},
    ),
    Entry(
        sp.validate_denominators,
        lambda d: sp.validate_denominators(d["denominators"]),
        denominator_inputs,
        DENOMINATOR_COLUMNS,
        not_applicable={HOUSEHOLD: "population totals: no households"},
    ),
    Entry(
        sp.contingency_coverage,
        lambda d: sp.contingency_coverage(d["admin"], d["denominators"]),
        contingency_inputs,
        ADMIN_COLUMNS + DENOMINATOR_COLUMNS,
        not_applicable={HOUSEHOLD: "administrative counts: no households"},
    ),
    Entry(
        sp.weighted_aggregate,
        lambda d: sp.weighted_aggregate(
            d["data"], rate="rate", weight="pop", by="region", member="iso3"
        ),
        member_inputs,
        (
            Column(
                "rate",
                "share",
                missing_allowed="a member without a rate is counted and listed (documented)",
            ),
            Column("pop", "amount"),
            Column("region", "key"),
            Column("iso3", "label"),
        ),
        not_applicable={HOUSEHOLD: "one row per country: no households"},
    ),
    Entry(
        sp.add_remittances,
        lambda d: sp.add_remittances(d["data"], seed=3),
        surveys,
        (
            HH_ID,
            Column("hh_size", "amount", household=True),
            Column("weight", "amount", household=True),  # households are drawn by weight
            WELFARE,
            *(
                Column(
                    c.name,
                    c.kind,
                    optional="programmes are found by the suffix '_amount': without the "
                    "column there is no such programme",
                )
                for c in AMOUNTS
            ),
        ),
    ),
    Entry(
        sp.remittance_shock,
        lambda d: sp.remittance_shock(
            d["data"], 0.5, poverty_line=100, response_pc=10, programmes=["sa"]
        ),
        remittance_inputs,
        (
            HH_ID,
            HH_SIZE,
            WEIGHT,
            WELFARE,
            Column("remittances_pc", "amount", household=True),
            Column("sa_recipient", "flag"),  # coverage reads the flags, not the amounts
        ),
    ),
    Entry(
        sp.pension_entitlements,
        lambda d: sp.pension_entitlements(d["history"], d["rules"], "pro_rata"),
        pension_inputs,
        (
            Column("country", "key", "history"),
            Column("years", "amount", "history"),
            Column("reference_earnings", "amount", "history"),
            Column("country", "key", "rules"),
            Column("min_years", "amount", "rules"),
            Column("accrual_rate", "share", "rules"),
            Column(
                "max_years",
                "amount",
                "rules",
                infinite_allowed="no cap on the years counted is max_years = inf (documented)",
            ),
            Column("minimum_pension", "amount", "rules"),
        ),
        not_applicable={HOUSEHOLD: "insurance periods and national rules: no households"},
    ),
    *(
        Entry(
            function,
            call,
            mandate_inputs,
            MANDATE_COLUMNS,
            not_applicable={
                HOUSEHOLD: "institutions and functions: no households",
                NEGATIVE: NO_NUMBERS,
                NON_FINITE: NO_NUMBERS,
            },
        )
        for function, call in (
            (sp.mandate_map, lambda d: sp.mandate_map(**d)),
            (sp.mandate_findings, lambda d: sp.mandate_findings(**d)),
            (sp.plot_mandate_map, lambda d: plt.close(sp.plot_mandate_map(**d).figure)),
        )
    ),
    Entry(
        sp.assessment_matrix,
        lambda d: sp.assessment_matrix(d["entries"], d["guarantees"]),
        matrix_inputs,
        (
            Column("guarantee", "key", "entries"),
            *(Column(c, "label", "entries", missing_allowed=BLANK_TEXT) for c in MATRIX_TEXT),
            Column("guarantee", "key", "guarantees"),
        ),
        not_applicable={
            HOUSEHOLD: "guarantees and findings: no households",
            NEGATIVE: NO_NUMBERS,
            NON_FINITE: NO_NUMBERS,
            WRONG_TYPE: "names and free text: any value is a name or a text",
        },
    ),
    Entry(
        sp.draft_matrix,
        lambda d: sp.draft_matrix(d["findings"]),
        findings_inputs,
        (
            Column("finding", "choice", "findings", choices=("overlap", "gap", "inconsistency")),
            *(
                Column(c, "label", "findings", missing_allowed=BLANK_TEXT)
                for c in ("issue", "function", "institutions", "detail")
            ),
        ),
        not_applicable={
            HOUSEHOLD: "findings of a mandate map: no households",
            NEGATIVE: NO_NUMBERS,
            NON_FINITE: NO_NUMBERS,
            EMPTY: "no findings is a valid input, from a map without problems: the draft has "
            "no rows (documented)",
        },
    ),
    *(
        Entry(
            function,
            call,
            roadmap_inputs,
            ROADMAP_COLUMNS,
            not_applicable={HOUSEHOLD: "activities of a roadmap: no households"},
        )
        for function, call in (
            (
                sp.roadmap_schedule,
                lambda d: sp.roadmap_schedule(d["activities"], d["institutions"]),
            ),
            (sp.critical_path, lambda d: sp.critical_path(d["activities"], d["institutions"])),
            (
                sp.roadmap_cost_by_year,
                lambda d: sp.roadmap_cost_by_year(d["activities"], 2026, d["institutions"]),
            ),
            (
                sp.plot_roadmap,
                lambda d: plt.close(
                    sp.plot_roadmap(d["activities"], 2026, d["institutions"]).figure
                ),
            ),
        )
    ),
    Entry(
        sp.programmes_in,
        lambda d: sp.programmes_in(d["data"]),
        surveys,
        (),
        not_applicable={
            bad: "reads only the column names, to list the programmes in them" for bad in CLASSES
        },
    ),
    Entry(
        sp.validate_budget,
        lambda d: sp.validate_budget(d["budget"]),
        budget_inputs,
        (*BUDGET_COLUMNS, ADMIN_COST),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.execution_rates,
        lambda d: sp.execution_rates(d["budget"]),
        budget_inputs,
        (*BUDGET_COLUMNS, ADMIN_COST),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.composition_variance,
        lambda d: sp.composition_variance(d["budget"], by="function"),
        budget_inputs,
        (*BUDGET_COLUMNS, ADMIN_COST, Column("function", "key", "budget")),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.spending_composition,
        lambda d: sp.spending_composition(d["budget"], by="function"),
        budget_inputs,
        (*BUDGET_COLUMNS, ADMIN_COST, Column("function", "key", "budget")),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.budget_review,
        lambda d: sp.budget_review(d["budget"], gdp={2021: 1e6, 2022: 1e6, 2023: 1e6}),
        budget_inputs,
        (*BUDGET_COLUMNS, ADMIN_COST),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.read_budget,
        lambda d: sp.read_budget(d["budget"], "TJK"),
        budget_inputs,
        (
            *BUDGET_COLUMNS,
            Column("admin_cost", "amount", "budget", missing_allowed=COUNTED),
            Column("function", "label", "budget"),
            Column("currency", "choice", "budget", choices=("TJS",)),
        ),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.validate_benefits,
        lambda d: sp.validate_benefits(d["benefits"]),
        benefit_inputs,
        BENEFIT_COLUMNS,
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.cost_floor,
        lambda d: sp.cost_floor("TJK", d["benefits"], [2030], **COSTING),
        benefit_inputs,
        BENEFIT_COLUMNS,
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.cost_sensitivity,
        lambda d: sp.cost_sensitivity(
            "TJK", d["benefits"], 2030, parameters=["take_up", "level"], **COSTING
        ),
        benefit_inputs,
        BENEFIT_COLUMNS,
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.floor_totals,
        lambda d: sp.floor_totals(d["costs"]),
        cost_inputs,
        COST_FRAME,
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.compare_scenarios,
        lambda d: sp.compare_scenarios({"base": d["costs"]}),
        cost_inputs,
        COST_FRAME,
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS_FINANCE},
    ),
    Entry(
        sp.real_value,
        lambda d: sp.real_value(100.0, d["data"]["price_index"]),
        price_inputs,
        (Column("price_index", "amount"),),
        not_applicable={MISSING_COLUMN: ARRAYS, HOUSEHOLD: "takes values, not households"},
    ),
    Entry(
        sp.pefa_execution_score,
        lambda d: sp.pefa_execution_score(d["data"]["execution_rate_pct"]),
        execution_rate_inputs,
        (Column("execution_rate_pct", "amount"),),
        not_applicable={MISSING_COLUMN: ARRAYS, HOUSEHOLD: "takes values, not households"},
    ),
    # registries: data quality, deduplication and linkage
    Entry(
        sp.valid_national_id,
        lambda d: sp.valid_national_id(d["data"]["national_id"]),
        person_inputs,
        (Column("national_id", "label"),),
        not_applicable={
            bad: "a check: every value that is not a valid ID, of any type, missing or none, "
            "gives False, which is the answer (documented)"
            for bad in CLASSES
        },
    ),
    Entry(
        sp.quality_profile,
        lambda d: sp.quality_profile(d["data"], as_of="2024-12-31"),
        registry_tables,
        (
            Column("identifier", "label"),
            *(
                Column(c, "label", optional="each rule applies when its columns are there")
                for c in ("national_id", "birth_date", "sex", "group_identifier", "group_head")
            ),
        ),
        not_applicable={
            bad: PROFILED for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)
        },
    ),
    Entry(
        sp.quality_failures,
        lambda d: sp.quality_failures(d["data"], as_of="2024-12-31"),
        registry_tables,
        (
            Column("identifier", "label"),
            *(
                Column(c, "label", optional="each rule applies when its columns are there")
                for c in ("national_id", "birth_date", "sex", "group_identifier", "group_head")
            ),
        ),
        not_applicable={
            bad: PROFILED for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)
        },
    ),
    Entry(
        sp.deduplicate,
        lambda d: sp.deduplicate(d["data"]),
        person_inputs,
        person_columns(),
        not_applicable={NEGATIVE: PERSONS, NON_FINITE: PERSONS, HOUSEHOLD: PERSONS},
    ),
    Entry(
        sp.link,
        lambda d: sp.link(d["left"], d["right"]),
        two_registries,
        (*person_columns("left"), *person_columns("right")),
        not_applicable={NEGATIVE: PERSONS, NON_FINITE: PERSONS, HOUSEHOLD: PERSONS},
    ),
    Entry(
        sp.persons_covered,
        lambda d: sp.persons_covered(d["data"]),
        beneficiary_inputs,
        (*person_columns(), Column("programme_identifier", "text")),
        not_applicable={NEGATIVE: PERSONS, NON_FINITE: PERSONS, HOUSEHOLD: PERSONS},
    ),
    Entry(
        sp.match_quality,
        lambda d: sp.match_quality(d["pairs"], d["truth"], thresholds=[0.5]),
        scored_pairs,
        (
            Column("identifier_l", "key", "pairs"),
            Column("identifier_r", "key", "pairs"),
            Column("match_probability", "share", "pairs"),
            Column("identifier", "key", "truth"),
            Column("person_id", "key", "truth"),
        ),
        not_applicable={
            EMPTY: "no pairs is a valid result of a linkage (recall 0); an empty truth is "
            "refused, tested in test_registry.py",
            HOUSEHOLD: "pairs of records: no households",
        },
    ),
    Entry(
        sp.name_key,
        lambda d: sp.name_key(d["data"]["given_name"]),
        person_inputs,
        (
            Column(
                "given_name",
                "text",
                missing_allowed="a missing name has a missing key (documented)",
            ),
        ),
        not_applicable={
            MISSING_COLUMN: ARRAYS,
            MISSING_VALUE: "a missing name has a missing key (documented)",
            EMPTY: "takes one column: no names, no keys",
            NEGATIVE: PERSONS,
            NON_FINITE: PERSONS,
            HOUSEHOLD: PERSONS,
        },
    ),
    Entry(
        sp.check_event_log,
        lambda d: sp.check_event_log(d["events"], by="district"),
        chain_logs,
        (
            Column("case_id", "label", "events"),
            Column("activity", "label", "events"),
            Column("timestamp", "label", "events"),
            Column("district", "label", "events"),
        ),
        not_applicable={
            bad: "the check reports bad values by name and count, which is its purpose "
            "(tested in test_delivery.py); only a missing column or an empty frame is refused"
            for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)
        },
    ),
    Entry(
        sp.funnel,
        lambda d: sp.funnel(d["events"], ["application", "assessment"], by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.case_durations,
        lambda d: sp.case_durations(d["events"], "application", "enrolment", by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.processing_times,
        lambda d: sp.processing_times(d["events"], "application", "assessment", by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.backlog,
        lambda d: sp.backlog(d["events"], "application", DECIDED, by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.past_standard,
        lambda d: sp.past_standard(d["events"], "application", "enrolment", 3, by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.directly_follows,
        lambda d: sp.directly_follows(d["events"], by="district"),
        chain_logs,
        (*LOG_COLUMNS, DISTRICT),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.variants,
        lambda d: sp.variants(d["events"]),
        chain_logs,
        LOG_COLUMNS,
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.payment_timeliness,
        lambda d: sp.payment_timeliness(d["events"], by="district"),
        payment_logs,
        (*LOG_COLUMNS, DISTRICT, Column("cycle", "key", "events")),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.reconciliation,
        lambda d: sp.reconciliation(d["events"], by="district"),
        payment_logs,
        (*LOG_COLUMNS, DISTRICT, Column("amount", "amount", "events")),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS},
    ),
    Entry(
        sp.cost_per_transfer,
        lambda d: sp.cost_per_transfer(d["events"], d["costs"], amount="amount"),
        logs_with_costs,
        (
            *LOG_COLUMNS,
            DISTRICT,
            Column("amount", "amount", "events"),
            Column("district", "key", "costs"),
            Column("cost", "amount", "costs"),
        ),
        not_applicable={HOUSEHOLD: NO_HOUSEHOLDS},
    ),
    Entry(
        sp.grievance_rates,
        lambda d: sp.grievance_rates(d["events"], category="category", by="district"),
        grievance_logs,
        (
            *LOG_COLUMNS,
            DISTRICT,
            Column(
                "category",
                "key",
                "events",
                missing_allowed="read on grievance events only; tested in test_delivery.py",
            ),
        ),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.grievance_resolution,
        lambda d: sp.grievance_resolution(d["events"], [1, 7], category="category", by="district"),
        grievance_logs,
        (
            *LOG_COLUMNS,
            DISTRICT,
            Column(
                "category",
                "key",
                "events",
                missing_allowed="read on grievance events only; tested in test_delivery.py",
            ),
        ),
        not_applicable=LOG_NA,
    ),
    Entry(
        sp.targeting_errors,
        lambda d: sp.targeting_errors(d["events"], d["truth"], by="district"),
        logs_with_truth,
        (
            *LOG_COLUMNS,
            Column("case_id", "key", "truth"),
            Column("eligible", "flag", "truth"),
            Column("district", "key", "truth"),
        ),
        not_applicable=LOG_NA,
    ),
    # ---- interop and privacy ----
    Entry(
        sp.to_dci, lambda d: sp.to_dci(d["data"]), dci_tables, DCI_COLUMNS, not_applicable=DCI_NOT
    ),
    Entry(
        sp.answer_search,
        lambda d: sp.answer_search(sp.search_request([("poverty_score", "le", 20)]), d["data"]),
        dci_tables,
        DCI_COLUMNS,
        not_applicable=DCI_NOT,
    ),
    Entry(
        sp.group_sizes,
        lambda d: sp.group_sizes(d["data"], ["district", "sex"]),
        quasi_identifier_frames,
        QI_COLUMNS,
        not_applicable=NOT_QI,
    ),
    Entry(
        sp.k_anonymity,
        lambda d: sp.k_anonymity(d["data"], ["district", "sex"]),
        quasi_identifier_frames,
        QI_COLUMNS,
        not_applicable=NOT_QI,
    ),
    Entry(
        sp.l_diversity,
        lambda d: sp.l_diversity(d["data"], ["district", "sex"], "programme"),
        quasi_identifier_frames,
        (*QI_COLUMNS, Column("programme", "label")),
        not_applicable=NOT_QI,
    ),
    Entry(
        sp.records_at_risk,
        lambda d: sp.records_at_risk(d["data"], ["district", "sex"], 2),
        quasi_identifier_frames,
        QI_COLUMNS,
        not_applicable=NOT_QI,
    ),
    Entry(
        sp.k_anonymise,
        lambda d: sp.k_anonymise(d["data"], ["district", "sex"], 2),
        quasi_identifier_frames,
        QI_COLUMNS,
        not_applicable=NOT_QI,
    ),
    Entry(
        sp.minimise,
        lambda d: sp.minimise(d["data"], "statistics"),
        quasi_identifier_frames,
        (
            Column("district", "label"),
            Column("sex", "label"),
            Column("birth_date", "label"),
        ),
        not_applicable={
            bad: "minimise selects columns and reads no value (documented)"
            for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)
        },
    ),
    Entry(
        sp.dp_counts,
        lambda d: sp.dp_counts(d["data"], "district", epsilon=1.0),
        quasi_identifier_frames,
        (Column("district", "label", missing_allowed=QI_LABELS),),
        not_applicable={
            bad: "the categories are labels of any type; a missing value is counted as "
            "'(missing)' (documented)"
            for bad in (WRONG_TYPE, MISSING_VALUE, NEGATIVE, NON_FINITE, HOUSEHOLD)
        },
    ),
    Entry(
        sp.suppress_small_cells,
        lambda d: sp.suppress_small_cells(d["data"], threshold=5),
        count_tables,
        (Column("female", "amount"), Column("male", "amount")),
        not_applicable={
            MISSING_COLUMN: "every column of the table is a count: the table has no "
            "required columns",
            HOUSEHOLD: "a table of counts: no households",
        },
    ),
    Entry(
        sp.age_bands,
        lambda d: sp.age_bands(d["data"]["age"], 10),
        quasi_identifier_frames,
        (Column("age", "amount", missing_allowed="a missing age stays missing (documented)"),),
        not_applicable={**ONE_SERIES, MISSING_VALUE: "a missing age stays missing (documented)"},
    ),
    Entry(
        sp.age_in_years,
        lambda d: sp.age_in_years(d["data"]["birth_date"]),
        quasi_identifier_frames,
        (
            Column(
                "birth_date",
                "text",
                missing_allowed="a missing birth date gives a missing age (documented)",
            ),
        ),
        not_applicable={
            **ONE_SERIES,
            MISSING_VALUE: "a missing birth date gives a missing age (documented)",
            NEGATIVE: "dates: no numbers",
            NON_FINITE: "dates: no numbers",
        },
    ),
    *(
        Entry(
            function,
            call,
            quasi_identifier_frames,
            (Column(column, "text", missing_allowed=ID_TEXT),),
            not_applicable={
                **ONE_SERIES,
                MISSING_VALUE: ID_TEXT,
                NEGATIVE: "identifiers: no numbers",
                NON_FINITE: "identifiers: no numbers",
            },
        )
        for function, call, column in (
            (
                sp.pseudonymise,
                lambda d: sp.pseudonymise(d["data"]["national_id"], KEY32),
                "national_id",
            ),
            (sp.unkeyed_hash, lambda d: sp.unkeyed_hash(d["data"]["national_id"]), "national_id"),
            (sp.reidentify, lambda d: sp.reidentify(d["data"]["hash"], "1234567"), "hash"),
        )
    ),
]


def _takes_a_frame(function: Callable) -> bool:
    """Whether a parameter is annotated, or documented, as a DataFrame or a Series."""
    parameters = inspect.signature(function).parameters
    doc = inspect.getdoc(function) or ""
    for name, parameter in parameters.items():
        if re.search(r"DataFrame|Series", str(parameter.annotation)):
            return True
        if re.search(rf"^{name}(, \w+)* : .*pandas\.(DataFrame|Series)", doc, re.MULTILINE):
            return True
    return False


def test_registry_lists_every_public_frame_function():
    public = [getattr(sp, name) for name in sp.__all__]
    frame_functions = {f.__name__ for f in public if inspect.isfunction(f) and _takes_a_frame(f)}
    registered = {entry.function.__name__ for entry in REGISTRY}
    assert frame_functions - registered == set(), (
        "public functions that take a frame but are not in the registry of "
        "tests/test_bad_input.py: add them, with their columns"
    )
    assert registered - frame_functions == set()
    for entry in REGISTRY:
        assert getattr(sp, entry.function.__name__) is entry.function


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.id)
def test_registry_says_what_each_class_does(entry):
    """Each class is tried on a column, or the registry says why it is not."""
    for bad in CLASSES:
        assert entry.applies(bad) or bad in entry.not_applicable, (
            f"{entry.id}: say why '{bad}' does not apply"
        )
        assert all(reason.strip() for reason in entry.not_applicable.values())
    # The columns are those the function reads: dropping one is an error, except for an
    # optional one (and a function of arrays, whose caller selects the columns).
    assert len({(c.frame, c.name) for c in entry.columns}) == len(entry.columns)


# ---- corrupting valid inputs -------------------------------------------------------------


@dataclass
class Expected:
    error: type[Exception]
    column: str | None
    patterns: list[str] = field(default_factory=list)  # regular expressions
    numbers: list[float] = field(default_factory=list)  # values the message must show


def _row(label: object) -> str:
    return rf"\brow {re.escape(str(label))}(?![\w.])"


def _with(frame: pd.DataFrame, column: str, position: int, value: object, dtype) -> pd.DataFrame:
    """A copy of ``frame`` whose column holds ``value`` in row ``position``, as ``dtype``."""
    values = frame[column].astype(object).to_numpy(copy=True)
    values[position] = value
    out = frame.copy()
    out[column] = pd.Series(values, index=frame.index, dtype=dtype)
    return out


def _not_a_number(text: str) -> bool:
    return bool(pd.isna(pd.to_numeric(pd.Series([text], dtype=object), errors="coerce")[0]))


WORDS = st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=6)


def _wrong_value(draw, column: Column) -> object:
    if column.kind in ("amount", "number", "share"):
        return draw(
            st.one_of(
                st.sampled_from(["ten", "", "n/a", "1,000", "12 TJS", "-"]),
                WORDS.filter(_not_a_number),
            )
        )
    if column.kind == "flag":
        return draw(
            st.one_of(
                st.sampled_from(["yes", "no", "True", "1", ""]),
                st.integers(2, 9),
                st.floats(0.1, 0.9),
                WORDS,
            )
        )
    if column.kind == "choice":
        return draw(st.one_of(WORDS, st.integers(0, 9)).filter(lambda v: v not in column.choices))
    if column.kind == "text":
        return draw(st.one_of(st.integers(0, 9), st.just(""), st.just("  ")))
    raise AssertionError(column.kind)


def corrupt(data, inputs: dict[str, pd.DataFrame], column: Column, bad: str):
    """Return the corrupted inputs and what the error must say."""
    frame = inputs[column.frame]
    name = column.name
    position = data.draw(st.integers(0, len(frame) - 1), label="row")
    label = frame.index[position]
    if bad == MISSING_COLUMN:
        inputs[column.frame] = frame.drop(columns=name)
        return inputs, Expected(KeyError, name, ["missing column"])
    if bad == WRONG_TYPE:
        if column.kind in ("amount", "number", "share") and data.draw(st.booleans()):
            # A whole column of dates: pandas would turn them into nanosecond counts.
            dates = pd.Series(pd.date_range("2024-01-01", periods=len(frame)), index=frame.index)
            inputs[column.frame] = frame.assign(**{name: dates})
            return inputs, Expected(TypeError, name, ["must hold numbers"])
        value = _wrong_value(data.draw, column)
        inputs[column.frame] = _with(frame, name, position, value, object)
        error = ValueError if column.kind == "choice" else TypeError
        return inputs, Expected(error, name, [_row(label)])
    if bad == MISSING_VALUE:
        if column.kind in ("amount", "number", "share"):
            options = [("float64", np.nan), (object, None), ("Float64", pd.NA)]
        elif column.kind == "flag":
            options = [(object, None), ("boolean", pd.NA), ("float64", np.nan)]
        else:
            options = [(object, None), (object, np.nan)]
        dtype, value = data.draw(st.sampled_from(options), label="missing as")
        inputs[column.frame] = _with(frame, name, position, value, dtype)
        return inputs, Expected(ValueError, name, [_row(label), "missing"])
    if bad == NEGATIVE:
        value = -data.draw(st.one_of(st.integers(1, 10**6), st.floats(1e-6, 1e6)), label="value")
        inputs[column.frame] = _with(frame, name, position, value, "float64")
        return inputs, Expected(ValueError, name, [_row(label)])
    if bad == NON_FINITE:
        values = [-np.inf] + ([] if column.infinite_allowed else [np.inf])
        values += [] if column.missing_allowed else [np.nan]
        value = data.draw(st.sampled_from(values), label="value")
        as_text = not np.isnan(value) and data.draw(st.booleans(), label="as text")
        if column.infinite_allowed and column.kind == "amount" and value < 0:
            # Minus infinity is refused as a negative value: the message says so.
            expected = Expected(ValueError, name, [_row(label), "negative"])
        else:
            expected = Expected(ValueError, name, [_row(label)])
        if as_text:
            text = data.draw(st.sampled_from(["inf", "Infinity", "1e999"]))
            inputs[column.frame] = _with(
                frame, name, position, text if value > 0 else "-" + text, object
            )
        else:
            inputs[column.frame] = _with(frame, name, position, value, "float64")
        return inputs, expected
    if bad == HOUSEHOLD:
        households = frame["hh_id"]
        shared = households[households.duplicated(keep=False)]
        position = frame.index.get_loc(data.draw(st.sampled_from(list(shared.index))))
        label = frame.index[position]
        household = households.iloc[position]
        old = float(frame[name].iloc[position])
        new = old + data.draw(st.integers(1, 50), label="difference")
        inputs[column.frame] = _with(frame, name, position, new, "float64")
        shown = re.escape(str(household))
        return inputs, Expected(
            ValueError, name, [rf"household '?{shown}'?(?![\w.])", _row(label)], [old, new]
        )
    raise AssertionError(bad)


def _shows(message: str, number: float) -> bool:
    found = re.findall(r"-?\d+(?:\.\d+)?(?:e[-+]?\d+)?", message)
    return any(float(token) == number for token in found)


def check_refused(entry: Entry, inputs: dict[str, pd.DataFrame], expected: Expected) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            result = entry.call(inputs)
    except Exception as error:  # noqa: BLE001 - every exception is inspected below
        message = str(error.args[0]) if error.args else ""
        where = traceback.extract_tb(error.__traceback__)[-1]
        assert isinstance(error, expected.error), (
            f"{entry.id}: expected {expected.error.__name__}, got "
            f"{type(error).__name__}: {message} (raised in {where.filename}:{where.lineno})"
        )
        assert Path(where.filename).resolve().is_relative_to(PACKAGE), (
            f"{entry.id}: the error is raised in {where.filename}, not by socialprotection: "
            f"{message}"
        )
        if expected.column is not None:
            assert f"'{expected.column}'" in message, (
                f"{entry.id}: the message does not name column '{expected.column}': {message}"
            )
        for pattern in expected.patterns:
            assert re.search(pattern, message), f"{entry.id}: no {pattern!r} in: {message}"
        for number in expected.numbers:
            assert _shows(message, number), f"{entry.id}: the message does not show {number}"
        return
    nan = ""
    if isinstance(result, pd.DataFrame) and result.isna().to_numpy().any():
        nan = " (with NaN)"
    elif isinstance(result, float) and np.isnan(result):
        nan = " (NaN)"
    raise AssertionError(
        f"{entry.id}: bad input gave a result{nan} instead of an error: {result!r}"
    )


def _bad_input(entry: Entry, bad: str, data) -> None:
    inputs = dict(data.draw(entry.inputs(), label="valid inputs"))
    if bad == EMPTY:
        which = data.draw(st.sampled_from(sorted(inputs)), label="emptied")
        inputs[which] = inputs[which].iloc[:0]
        expected = Expected(ValueError, None, [r"no rows|no values"])
    else:
        column = data.draw(st.sampled_from(entry.targets(bad)), label="column")
        inputs, expected = corrupt(data, inputs, column, bad)
    check_refused(entry, inputs, expected)


CASES = [
    pytest.param(entry, bad, id=f"{entry.id}-{bad}")
    for entry in REGISTRY
    for bad in CLASSES
    if entry.applies(bad)
]


@pytest.mark.parametrize("entry", REGISTRY, ids=lambda e: e.id)
@SETTINGS
@given(data=st.data())
def test_valid_inputs_give_a_result_without_warnings(entry, data):
    # Otherwise the errors below could come from the "valid" inputs, not the corruption.
    inputs = data.draw(entry.inputs())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        entry.call(inputs)


@pytest.mark.parametrize(("entry", "bad"), CASES)
@SETTINGS
@given(data=st.data())
def test_bad_input_gives_a_clear_error(entry, bad, data):
    _bad_input(entry, bad, data)
