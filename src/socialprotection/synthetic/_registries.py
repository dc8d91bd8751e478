r"""Synthetic administrative registries of one hidden population, with errors and the truth.

:func:`registry_ecosystem` draws one hidden "true" population shaped like Tajikistan or
Lao PDR and the administrative systems that see it, each with its own records, spellings
and mistakes:

===================  =====================================================================
table                what it holds (DCI field names)
===================  =====================================================================
``civil_births``     birth registrations of the persons born in the last five years
``civil_deaths``     death registrations of the persons who died in the last two years
``national_ids``     the national ID register: persons aged 16 or more who hold an ID
``social_registry``  members of the households that registered (``group_identifier``,
                     ``group_head``, ``poverty_score``)
``beneficiaries``    the beneficiary lists of :data:`REGISTRY_PROGRAMMES`
                     (``programme_identifier``, ``enrollment_date``, ``enrollment_status``)
``payroll``          one payment per active beneficiary record in the last month, with the
                     bank's Latin ``account_name``
===================  =====================================================================

Person records carry ``identifier`` (the record's key in its system), ``given_name``,
``family_name``, ``sex``, ``birth_date``, ``district`` and ``national_id`` where the
system holds one. Names are written in the country's script (Tajik Cyrillic with ҷ қ ғ ҳ
ӯ ӣ, or Lao script) from the short lists in ``names.yaml`` written for the book.

**The data are synthetic.** Every table has a ``synthetic`` column that is all True and
``frame.attrs["synthetic"] = True``. The ground truth is returned separately:
``population`` (the hidden persons) and ``truth`` (for every record of every table, the
person it belongs to and the errors injected into it).

The hidden population
---------------------
- Age and sex: UN World Population Prospects 2022 (median), 2022, split into single years
  and drawn by systematic sampling, as in :func:`household_survey`. A person of age
  :math:`a` is born on ``as_of`` minus :math:`a` years minus a uniform part of a year.
- Deaths in the two years before ``as_of``: each person dies with probability
  :math:`1 - e^{-2 m_x}`, with :math:`m_x` the WPP 2024 central death rate of the
  person's five-year age group and sex for 2020-2025 (``wpp2024_mx5_age_specific_mortality``),
  on a day drawn uniformly in the window.
- Households (illustrative): the number of households is the number of persons divided
  by the country's mean household size (:data:`ILLUSTRATIVE`); one adult (18 or more) is
  drawn as head of each household, every other person joins a household drawn at random.
  A household has one district (drawn uniformly from ``names.yaml``), one family name
  (Tajik women take the -ова form) and a per-capita welfare drawn log-normal
  (sigma 0.6). Given names are drawn uniformly by sex.

The systems (illustrative rates, keyword ``coverage``)
------------------------------------------------------
Birth registration 95 %, death registration 80 %, national ID holding 95 % of persons
aged 16 or more, social registry: a household registers with probability
``2 x 0.5 x (1 - welfare rank)``, so half of the households, poorer ones more often.
``poverty_score`` is 100 x the rank of log welfare plus normal noise (sd 0.3), rounded;
lower is poorer. Programme rules are in :data:`REGISTRY_PROGRAMMES`. Persons who died before
enrolment are never enrolled; a beneficiary who died is still ``active`` (and paid) with
probability ``error_rates["deceased_paid"]``, otherwise ``ended``.

The national ID
---------------
Ten digits with a Luhn check digit; see ``socialprotection.synthetic._national_id``
(:func:`national_id_check_digit`, :func:`valid_national_id`).

Errors (:data:`REGISTRY_ERROR_RATES`, adjustable with ``error_rates``)
-----------------------------------------------------------------------
Each rate is the probability that one record gets that error, independently:

- ``typo``: one of the two names gets one typo (a letter dropped, doubled, swapped with
  its neighbour or replaced); the typos are drawn once per name in the lists.
- ``transliteration``: the record is written as another clerk would: Tajik names typed on
  a Russian keyboard (ҷ as дж, қ as к, ғ as г, ҳ as х, ӯ as у, ӣ as и), Lao names in
  one of their Latin spellings. A name without those letters is unchanged, so the
  realised rate is lower; ``truth`` flags only the records that changed.
- ``day_month_swap``: day and month of birth exchanged; only possible when the day is
  12 or less and differs from the month, so the realised rate is about 0.36 x the rate.
- ``missing_id`` and ``wrong_id``: the national ID left empty, or one body digit
  mistyped (the check digit then always fails), on records of persons who hold one.
- ``moved``: the household moved; the record keeps another district.
- ``duplicate``: the person is recorded twice in the same system (the second record gets
  its own errors); not applied to the national ID register.
- ``deceased_paid``: see above.

Typo and transliteration do not hit the same name field: a typo wins. The civil
registers, written from documents at the time, take only typos; the national ID register
takes typos, transliterations and day/month swaps (its IDs are the true ones, and it has
no duplicates); the social registry and the beneficiary lists take every error.
"""

from __future__ import annotations

import dataclasses
import functools
import numbers
from collections.abc import Mapping
from importlib import resources

import numpy as np
import pandas as pd
import yaml
from anyascii import anyascii

from socialprotection.datasets import load
from socialprotection.synthetic._national_id import _digits, _make_ids
from socialprotection.synthetic._surveys import ILLUSTRATIVE, _inputs, _systematic

__all__ = [
    "REGISTRY_ERROR_RATES",
    "REGISTRY_PROGRAMMES",
    "RegistryEcosystem",
    "registry_ecosystem",
]

#: Default error rates: probability that a record gets each error (see the module text).
REGISTRY_ERROR_RATES = {
    "typo": 0.03,
    "transliteration": 0.05,
    "day_month_swap": 0.02,
    "missing_id": 0.05,
    "wrong_id": 0.01,
    "moved": 0.03,
    "duplicate": 0.03,
    "deceased_paid": 0.30,
}

#: The programmes and who is enrolled (illustrative): eligibility, take-up and the
#: monthly amount in local currency units.
REGISTRY_PROGRAMMES = {
    "social_assistance": {
        "who": "head of a registered household with poverty_score at most 25",
        "take_up": 0.8,
        "monthly_amount": {"TJK": 400, "LAO": 300_000},
    },
    "child_benefit": {
        "who": "child aged 0-15 of a registered household with poverty_score at most 40",
        "take_up": 0.8,
        "monthly_amount": {"TJK": 100, "LAO": 100_000},
    },
    "social_pension": {
        "who": "person at or above the social pension age (statutory_pension_age)",
        "take_up": 0.7,
        "monthly_amount": {"TJK": 300, "LAO": 250_000},
    },
}

#: Illustrative coverage of the systems.
COVERAGE = {
    "birth_registration": 0.95,
    "death_registration": 0.80,
    "national_id": 0.95,
    "social_registry": 0.50,
}

MIN_PERSONS = 1_000
MAX_PERSONS = 10_000_000
ID_AGE = 16
ADULT_AGE = 18
CHILD_MAX_AGE = 15
BIRTH_WINDOW_YEARS = 5
DEATH_WINDOW_YEARS = 2
N_TYPOS = 4
_DAYS_PER_YEAR = 365.2425


# -- names ------------------------------------------------------------------------------


@functools.cache
def _name_lists() -> dict:
    text = resources.files("socialprotection.synthetic").joinpath("names.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _typos(name: str, rng: np.random.Generator, alphabet: list[str]) -> list[str]:
    """N_TYPOS misspellings of one name (drop, double, swap, replace a letter)."""
    out = []
    for kind in range(N_TYPOS):
        i = int(rng.integers(1, max(len(name) - 1, 2)))
        i = min(i, len(name) - 1)
        if kind == 0:
            typo = name[:i] + name[i + 1 :]
        elif kind == 1:
            typo = name[:i] + name[i] + name[i:]
        elif kind == 2 and i + 1 < len(name):
            typo = name[:i] + name[i + 1] + name[i] + name[i + 2 :]
        else:
            choices = [a for a in alphabet if a != name[i]]
            typo = name[:i] + choices[int(rng.integers(len(choices)))] + name[i + 1 :]
        out.append(typo if typo != name else name + name[-1])
    return out


def _replace(name: str, table: Mapping[str, str]) -> str:
    return "".join(table.get(c, c) for c in name)


@functools.cache
def _vocabulary(country: str) -> dict:
    """Build the name forms of a country: native, clerk variants, typos, Latin spellings.

    Returns, for ``given`` and ``family``: ``forms`` (vocabulary x columns: native, the
    variants, the typos), ``n_variants`` per name, and ``latin`` (the bank's spelling).
    Given codes: males first, then females. Family codes: TJK stem x (male, female form).
    """
    lists = _name_lists()[country]
    rng = np.random.default_rng(20240917)
    vocab = {}
    if country == "TJK":
        given = [*lists["given_male"], *lists["given_female"]]
        family = [
            stem + suffix
            for stem in lists["family_stems"]
            for suffix in (lists["male_suffix"], lists["female_suffix"])
        ]
        variants = {n: [_replace(n, lists["russian_keyboard"])] for n in given + family}
        latin = {n: anyascii(_replace(n, lists["latin_variants"][1])) for n in given + family}
        vocab["n_given_male"] = len(lists["given_male"])
    else:
        given_map = {**lists["given_male"], **lists["given_female"]}
        given, family = list(given_map), list(lists["family"])
        spellings = {**given_map, **lists["family"]}
        variants = {n: list(spellings[n]) for n in given + family}
        latin = {n: spellings[n][0] for n in given + family}
        vocab["n_given_male"] = len(lists["given_male"])
    for part, names in (("given", given), ("family", family)):
        alphabet = sorted({c for n in names for c in n})
        width = max(len(variants[n]) for n in names)
        rows, counts = [], []
        for name in names:
            own = variants[name]
            rows.append([name, *own, *[own[-1]] * (width - len(own)), *_typos(name, rng, alphabet)])
            counts.append(len(own))
        vocab[part] = {
            "forms": np.array(rows, dtype=object),
            "n_variants": np.array(counts),
            "latin": np.array([latin[n].upper() for n in names], dtype=object),
        }
    vocab["districts"] = np.array(lists["districts"], dtype=object)
    return vocab


# -- the ecosystem ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RegistryEcosystem:
    """The registries of one synthetic population, with the ground truth.

    Attributes are pandas DataFrames (all SYNTHETIC): the observed tables
    ``civil_births``, ``civil_deaths``, ``national_ids``, ``social_registry``,
    ``beneficiaries`` and ``payroll``; the truth ``population`` (one row per hidden
    person) and ``truth`` (one row per record of every observed table: ``table``,
    ``identifier``, ``person_id`` and one flag per injected error); ``parameters``
    (country, seed, sizes, error rates and coverage).
    """

    civil_births: pd.DataFrame
    civil_deaths: pd.DataFrame
    national_ids: pd.DataFrame
    social_registry: pd.DataFrame
    beneficiaries: pd.DataFrame
    payroll: pd.DataFrame
    population: pd.DataFrame
    truth: pd.DataFrame
    parameters: dict

    #: The observed tables, in the order of the module text.
    TABLES = (
        "civil_births",
        "civil_deaths",
        "national_ids",
        "social_registry",
        "beneficiaries",
        "payroll",
    )

    def tables(self) -> dict[str, pd.DataFrame]:
        """Return the observed tables by name (not the truth)."""
        return {name: getattr(self, name) for name in self.TABLES}

    def programme(self, name: str) -> pd.DataFrame:
        """Return the beneficiary list of one programme of :data:`REGISTRY_PROGRAMMES`."""
        if name not in REGISTRY_PROGRAMMES:
            raise ValueError(
                f"unknown programme {name!r}; expected one of: "
                + ", ".join(repr(p) for p in REGISTRY_PROGRAMMES)
            )
        frame = self.beneficiaries
        out = frame[frame["programme_identifier"] == name].reset_index(drop=True)
        out.attrs = dict(frame.attrs)
        return out

    def truth_of(self, table: str) -> pd.DataFrame:
        """Return the truth rows of one table, in the table's row order."""
        if table not in self.TABLES:
            raise ValueError(f"unknown table {table!r}; expected one of: {', '.join(self.TABLES)}")
        rows = self.truth[self.truth["table"] == table].set_index("identifier")
        return rows.loc[getattr(self, table)["identifier"]].reset_index()


def _check(country: object, n_persons: object, seed: object, rates: object) -> dict[str, float]:
    if country not in ("TJK", "LAO"):
        raise ValueError(f"country must be 'TJK' or 'LAO'; got {country!r}")
    if isinstance(n_persons, bool) or not isinstance(n_persons, numbers.Integral):
        raise TypeError(f"n_persons must be an integer; got {n_persons!r}")
    if not MIN_PERSONS <= n_persons <= MAX_PERSONS:
        raise ValueError(
            f"n_persons must be between {MIN_PERSONS:,} and {MAX_PERSONS:,}; got {n_persons:,}"
        )
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer; got {seed!r}")
    given = dict(rates or {})
    unknown = sorted(set(given) - set(REGISTRY_ERROR_RATES))
    if unknown:
        raise ValueError(
            f"unknown error rate(s) {unknown}; expected among: {', '.join(REGISTRY_ERROR_RATES)}"
        )
    out = {**REGISTRY_ERROR_RATES, **given}
    for name, value in out.items():
        if isinstance(value, bool) or not isinstance(value, numbers.Real) or not 0 <= value <= 1:
            raise ValueError(f"error rate {name!r} must be a number from 0 to 1; got {value!r}")
    return {k: float(v) for k, v in out.items()}


def _mortality(country: str) -> np.ndarray:
    """Central death rate by sex (female, male) and single age 0-100."""
    mx = load("wpp2024_mx5_age_specific_mortality")
    mx = mx[(mx["iso3"] == country) & (mx["period"] == "2020-2025")]
    out = np.zeros((2, 101))
    for code, sex in enumerate(("female", "male")):
        rows = mx[mx["sex"] == sex].sort_values("age_start")
        starts = rows["age_start"].to_numpy(int)
        idx = np.searchsorted(starts, np.arange(101), side="right") - 1
        out[code] = rows["mx"].to_numpy(float)[idx]
    return out


def _population(country: str, n: int, rng: np.random.Generator, as_of: np.datetime64) -> dict:
    inputs = _inputs(country)
    cells = inputs["cells"]
    code = _systematic(rng, cells.ravel(), n)
    female = code < cells.shape[1]
    age = (code % cells.shape[1]).astype(np.int64)
    days = np.floor((age + rng.random(n)) * _DAYS_PER_YEAR).astype("timedelta64[D]")
    birth = as_of - days
    # deaths in the window before as_of
    m = _mortality(country)[np.where(female, 0, 1), np.minimum(age, 100)]
    dies = rng.random(n) < 1 - np.exp(-DEATH_WINDOW_YEARS * m)
    window = int(DEATH_WINDOW_YEARS * _DAYS_PER_YEAR)
    death = as_of - rng.integers(1, window + 1, n).astype("timedelta64[D]")
    death = np.where(dies & (death > birth), death, np.datetime64("NaT"))
    dies = ~np.isnat(death)
    # households: one adult head each, others join at random
    mean_size = ILLUSTRATIVE[country]["mean_household_size"]
    adults = rng.permutation(np.flatnonzero(age >= ADULT_AGE))
    n_households = int(min(len(adults), max(1, round(n / mean_size))))
    household = rng.integers(0, n_households, n)
    household[adults[:n_households]] = np.arange(n_households)
    head = np.zeros(n, dtype=bool)
    head[adults[:n_households]] = True
    vocab = _vocabulary(country)
    districts = rng.integers(0, len(vocab["districts"]), n_households)
    welfare = rng.normal(0.0, 0.6, n_households)
    n_family = len(vocab["family"]["forms"])
    if country == "TJK":
        stem = rng.integers(0, n_family // 2, n_households)
        family = stem[household] * 2 + female
    else:
        family = rng.integers(0, n_family, n_households)[household]
    n_male = vocab["n_given_male"]
    n_female = len(vocab["given"]["forms"]) - n_male
    given = np.where(female, n_male + rng.integers(0, n_female, n), rng.integers(0, n_male, n))
    holds_id = (age >= ID_AGE) & (rng.random(n) < COVERAGE["national_id"])
    ids = np.full(n, None, dtype=object)
    ids[holds_id] = _make_ids(rng.permutation(int(holds_id.sum())))
    return {
        "n": n,
        "female": female,
        "age": age,
        "birth": birth,
        "death": death,
        "dead": dies,
        "household": household,
        "head": head,
        "district": districts[household],
        "household_district": districts,
        "welfare": welfare,
        "family": family,
        "given": given,
        "national_id": ids,
        "vocab": vocab,
        "inputs": inputs,
    }


def _date_text(dates: np.ndarray) -> np.ndarray:
    """ISO dates (YYYY-MM-DD) as text, missing for NaT."""
    out = pd.Series(pd.to_datetime(dates)).dt.strftime("%Y-%m-%d")
    return out.to_numpy(dtype=object)


def _observe(
    pop: dict,
    person: np.ndarray,
    table: str,
    rates: dict,
    rng: np.random.Generator,
    *,
    kinds: tuple[str, ...],
    prefix: str,
) -> tuple[pd.DataFrame, pd.DataFrame, np.ndarray]:
    """Write the records of ``person`` (indices) in one table, with errors of ``kinds``.

    Returns the person columns, the truth rows, and the row order (positions in
    ``person`` after duplicates are appended).
    """
    source = np.arange(len(person))
    is_dup = np.zeros(len(person), dtype=bool)
    if "duplicate" in kinds and len(person):
        copies = np.flatnonzero(rng.random(len(person)) < rates["duplicate"])
        source = np.concatenate([source, copies])
        is_dup = np.concatenate([is_dup, np.ones(len(copies), dtype=bool)])
        order = rng.permutation(len(source))
        source, is_dup = source[order], is_dup[order]
    who = person[source]
    n = len(who)
    flags = {}

    def draw(kind: str) -> np.ndarray:
        hit = rng.random(n) < rates[kind] if kind in kinds else np.zeros(n, dtype=bool)
        return hit

    vocab = pop["vocab"]
    typo = draw("typo")
    typo_given = typo & (rng.random(n) < 0.5)
    typo_family = typo & ~typo_given
    translit = draw("transliteration")
    names = {}
    changed = np.zeros(n, dtype=bool)
    for part, typo_part in (("given", typo_given), ("family", typo_family)):
        forms = vocab[part]["forms"]
        width = forms.shape[1]
        n_var = width - 1 - N_TYPOS
        code = pop[part][who]
        column = np.zeros(n, dtype=np.int64)
        variant = 1 + (rng.random(n) * vocab[part]["n_variants"][code]).astype(np.int64)
        column = np.where(translit, variant, column)
        column = np.where(typo_part, 1 + n_var + rng.integers(0, N_TYPOS, n), column)
        names[part] = forms.ravel()[code * width + column]
        changed |= translit & ~typo_part & (names[part] != forms[code, 0])
    flags["typo"] = typo
    flags["transliteration"] = changed
    birth = pop["birth"][who]
    swap = draw("day_month_swap")
    stamp = pd.DatetimeIndex(birth)
    day, month, year = stamp.day.to_numpy(), stamp.month.to_numpy(), stamp.year.to_numpy()
    swap &= (day <= 12) & (day != month)
    swapped = pd.to_datetime(
        pd.DataFrame(
            {"year": year, "month": np.where(swap, day, month), "day": np.where(swap, month, day)}
        ),
    ).to_numpy()
    birth = np.where(swap, swapped.astype("datetime64[D]"), birth)
    flags["day_month_swap"] = swap
    ids = pop["national_id"][who].copy()
    has_id = pd.notna(ids)
    missing = draw("missing_id") & has_id
    wrong = draw("wrong_id") & has_id & ~missing
    if wrong.any():
        digits = _digits(ids[wrong].astype("U10"))
        pos = rng.integers(0, 9, len(digits))
        rows = np.arange(len(digits))
        digits[rows, pos] = (digits[rows, pos] + rng.integers(1, 10, len(digits))) % 10
        text = np.frombuffer((digits + 48).astype(np.uint8).tobytes(), dtype="S10")
        ids[wrong] = text.astype("U10").astype(object)
    ids[missing] = None
    flags["missing_id"], flags["wrong_id"] = missing, wrong
    district_code = pop["household_district"][pop["household"][who]]
    moved = draw("moved")
    n_districts = len(vocab["districts"])
    other = (district_code + rng.integers(1, n_districts, n)) % n_districts
    district_code = np.where(moved, other, district_code)
    flags["moved"] = moved
    identifier = np.char.add(prefix, np.char.zfill((np.arange(n) + 1).astype(str), 8))
    records = pd.DataFrame(
        {
            "identifier": identifier.astype(object),
            "given_name": names["given"],
            "family_name": names["family"],
            "sex": np.where(pop["female"][who], "female", "male"),
            "birth_date": _date_text(birth),
            "district": vocab["districts"][district_code],
            "national_id": ids,
        }
    )
    truth = pd.DataFrame(
        {
            "table": table,
            "identifier": records["identifier"],
            "person_id": who,
            "duplicate": is_dup,
            **flags,
        }
    )
    return records, truth, source


def _label(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame["synthetic"] = True
    frame.attrs["synthetic"] = True
    frame.attrs["table"] = name
    return frame


def _dates(as_of: np.datetime64, before: np.ndarray) -> np.ndarray:
    return as_of - before.astype("timedelta64[D]")


def registry_ecosystem(
    country: str = "TJK",
    n_persons: int = 10_000,
    *,
    seed: int = 0,
    error_rates: Mapping[str, float] | None = None,
    as_of: str = "2024-12-31",
) -> RegistryEcosystem:
    """Draw a SYNTHETIC population and its administrative registries, with the truth.

    Parameters
    ----------
    country : {"TJK", "LAO"}
        Tajikistan (Tajik Cyrillic names) or Lao PDR (Lao script).
    n_persons : int, default 10,000
        Size of the hidden population, from 1,000 to 10,000,000.
    seed : int, default 0
        Same seed, same data.
    error_rates : mapping, optional
        Rates that replace those of :data:`REGISTRY_ERROR_RATES`.
    as_of : str, default "2024-12-31"
        The date the registries are extracted.

    Returns
    -------
    RegistryEcosystem
        The observed tables and the ground truth; see the module text.

    Examples
    --------
    >>> eco = registry_ecosystem("TJK", n_persons=1_000, seed=1)
    >>> list(eco.social_registry.columns[:7])
    ['identifier', 'given_name', 'family_name', 'sex', 'birth_date', 'district', 'national_id']
    >>> bool(eco.payroll["synthetic"].all()), eco.payroll.attrs["synthetic"]
    (True, True)
    >>> sorted(eco.beneficiaries["programme_identifier"].unique())
    ['child_benefit', 'social_assistance', 'social_pension']
    """
    rates = _check(country, n_persons, seed, error_rates)
    date = np.datetime64(pd.Timestamp(as_of).date(), "D")
    rng = np.random.default_rng([int(seed), 9])
    pop = _population(country, int(n_persons), rng, date)
    n, vocab = pop["n"], pop["vocab"]
    truths = []

    def observe(person, table, kinds, prefix):
        records, truth, source = _observe(
            pop, person, table, rates, rng, kinds=kinds, prefix=prefix
        )
        truths.append(truth)
        return records, source

    everything = tuple(k for k in REGISTRY_ERROR_RATES if k != "deceased_paid")
    # civil registration: births in the window, deaths in the window
    born = np.flatnonzero(
        (pop["birth"] > _dates(date, np.array(int(BIRTH_WINDOW_YEARS * _DAYS_PER_YEAR))))
        & (rng.random(n) < COVERAGE["birth_registration"])
    )
    births, src = observe(born, "civil_births", ("typo",), "B")
    births = births.drop(columns="national_id")
    births["registration_date"] = _date_text(
        pop["birth"][born[src]] + rng.integers(0, 60, len(src)).astype("timedelta64[D]")
    )
    died = np.flatnonzero(pop["dead"] & (rng.random(n) < COVERAGE["death_registration"]))
    deaths, src = observe(died, "civil_deaths", ("typo",), "D")
    deaths["death_date"] = _date_text(pop["death"][died[src]])
    # national ID register
    holders = np.flatnonzero(pd.notna(pop["national_id"]))
    nid, src = observe(holders, "national_ids", ("typo", "transliteration", "day_month_swap"), "N")
    nid["national_id"] = pop["national_id"][holders[src]]
    registered_death = np.zeros(n, dtype=bool)
    registered_death[died] = True
    nid["status"] = np.where(registered_death[holders[src]], "deceased", "active")
    # social registry: households register, poorer ones more often
    n_households = len(pop["welfare"])
    rank = pop["welfare"].argsort().argsort() / max(n_households - 1, 1)
    joins = rng.random(n_households) < 2 * COVERAGE["social_registry"] * (1 - rank)
    registered_on = date - rng.integers(30, 3 * 365, n_households).astype("timedelta64[D]")
    noisy = pop["welfare"] + rng.normal(0, 0.3, n_households)
    score = np.round(noisy.argsort().argsort() / max(n_households - 1, 1) * 100)
    hh = pop["household"]
    alive_then = np.isnat(pop["death"]) | (pop["death"] > registered_on[hh])
    born_then = pop["birth"] <= registered_on[hh]
    members = np.flatnonzero(joins[hh] & alive_then & born_then)
    members = members[np.argsort(hh[members], kind="stable")]
    social, src = observe(members, "social_registry", everything, "S")
    who = members[src]
    social["group_identifier"] = np.char.add("H", np.char.zfill(hh[who].astype(str), 7))
    social["group_head"] = pop["head"][who]
    social["poverty_score"] = score[hh[who]]
    social["registration_date"] = _date_text(registered_on[hh[who]])
    # beneficiary lists
    lists, payrolls = [], []
    ages = np.floor((date - pop["birth"]).astype(int) / _DAYS_PER_YEAR)
    social_age = pop["inputs"]["social_pension_age"]
    pension_age = np.where(pop["female"], social_age["female"], social_age["male"])
    in_registry = np.zeros(n, dtype=bool)
    in_registry[members] = True
    eligible = {
        "social_assistance": in_registry & pop["head"] & (score[hh] <= 25),
        "child_benefit": in_registry & (ages <= CHILD_MAX_AGE) & (score[hh] <= 40),
        "social_pension": ages >= pension_age,
    }
    prefixes = {"social_assistance": "SA", "child_benefit": "CB", "social_pension": "SP"}
    for name, rule in REGISTRY_PROGRAMMES.items():
        chosen = np.flatnonzero(eligible[name] & (rng.random(n) < rule["take_up"]))
        if name == "social_pension":
            years = (pension_age[chosen] * _DAYS_PER_YEAR).astype("timedelta64[D]")
            start = pop["birth"][chosen] + years
        else:
            start = registered_on[hh[chosen]]
        start = np.maximum(start, date - np.timedelta64(4 * 365, "D"))
        span = np.maximum((date - start).astype(int), 1)
        enrolled = start + (rng.random(len(chosen)) * span).astype("timedelta64[D]")
        keep = np.isnat(pop["death"][chosen]) | (pop["death"][chosen] > enrolled)
        chosen, enrolled = chosen[keep], enrolled[keep]
        frame, src = observe(chosen, "beneficiaries", everything, prefixes[name])
        who = chosen[src]
        frame["programme_identifier"] = name
        if name != "social_pension":
            frame["group_identifier"] = np.char.add("H", np.char.zfill(hh[who].astype(str), 7))
        else:
            frame["group_identifier"] = None
        frame["enrollment_date"] = _date_text(enrolled[src])
        dead = ~np.isnat(pop["death"][who])
        still = rng.random(len(who)) < rates["deceased_paid"]
        frame["enrollment_status"] = np.where(dead & ~still, "ended", "active")
        lists.append(frame)
        active = frame[frame["enrollment_status"] == "active"]
        act = who[(frame["enrollment_status"] == "active").to_numpy()]
        payrolls.append(
            pd.DataFrame(
                {
                    "beneficiary_identifier": active["identifier"].to_numpy(),
                    "programme_identifier": name,
                    "given_name": active["given_name"].to_numpy(),
                    "family_name": active["family_name"].to_numpy(),
                    "sex": active["sex"].to_numpy(),
                    "birth_date": active["birth_date"].to_numpy(),
                    "national_id": active["national_id"].to_numpy(),
                    "account_name": np.char.add(
                        np.char.add(vocab["given"]["latin"][pop["given"][act]].astype(str), " "),
                        vocab["family"]["latin"][pop["family"][act]].astype(str),
                    ).astype(object),
                    "amount": rule["monthly_amount"][country],
                    "person_id": act,
                }
            )
        )
    beneficiaries = pd.concat(lists, ignore_index=True)
    payroll = pd.concat(payrolls, ignore_index=True)
    serial = np.char.zfill((np.arange(len(payroll)) + 1).astype(str), 8)
    payroll.insert(0, "identifier", np.char.add("P", serial).astype(object))
    payroll["payment_date"] = _date_text(np.full(len(payroll), date))
    truths.append(
        pd.DataFrame(
            {
                "table": "payroll",
                "identifier": payroll["identifier"],
                "person_id": payroll.pop("person_id"),
            }
        )
    )
    truth = pd.concat(truths, ignore_index=True)
    flags = [c for c in truth.columns if c not in ("table", "identifier", "person_id")]
    truth[flags] = truth[flags].fillna(False).astype(bool)
    truth["deceased"] = ~np.isnat(pop["death"][truth["person_id"].to_numpy()])
    population = pd.DataFrame(
        {
            "person_id": np.arange(n),
            "given_name": vocab["given"]["forms"][pop["given"], 0],
            "family_name": vocab["family"]["forms"][pop["family"], 0],
            "sex": np.where(pop["female"], "female", "male"),
            "birth_date": _date_text(pop["birth"]),
            "death_date": _date_text(pop["death"]),
            "district": vocab["districts"][pop["district"]],
            "group_identifier": np.char.add("H", np.char.zfill(hh.astype(str), 7)),
            "group_head": pop["head"],
            "national_id": pop["national_id"],
        }
    )
    tables = {
        "civil_births": births,
        "civil_deaths": deaths,
        "national_ids": nid,
        "social_registry": social,
        "beneficiaries": beneficiaries,
        "payroll": payroll,
        "population": population,
        "truth": truth,
    }
    for name, frame in tables.items():
        _label(frame, name)
    parameters = {
        "country": country,
        "n_persons": int(n_persons),
        "seed": int(seed),
        "as_of": str(date),
        "error_rates": rates,
        "coverage": dict(COVERAGE),
        "programmes": {k: dict(v) for k, v in REGISTRY_PROGRAMMES.items()},
    }
    return RegistryEcosystem(**tables, parameters=parameters)
