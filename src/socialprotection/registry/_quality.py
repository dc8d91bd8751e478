"""Data quality of a registry: rules declared with pandera, a tidy profile, the bad rows.

The rules (:data:`QUALITY_RULES`) are declared as a ``pandera`` schema
(:func:`registry_schema`); each applies when the frame has its columns. A rule that a
record breaks lists the record (:func:`quality_failures`); nothing is dropped. The
profile (:func:`quality_profile`) counts, per dimension, column and rule, the values
checked and the values that fail:

- completeness: the values present (one row per column);
- validity: a value of the expected form (ID check digit, plausible dates, known codes);
- uniqueness: no repeated record identifier or national ID;
- consistency: one head per household, the head an adult, births before registration
  and deaths after birth;
- timeliness: the record registered or updated within ``max_age_years`` of ``as_of``.
"""

from __future__ import annotations

import contextlib
import functools
import warnings
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from socialprotection._validation import require_columns
from socialprotection.registry._records import SEXES, refuse_empty
from socialprotection.synthetic._national_id import valid_national_id

if TYPE_CHECKING:
    import pandera.pandas

__all__ = ["QUALITY_RULES", "quality_failures", "quality_profile", "registry_schema"]

#: The rules: name -> (dimension, column, what it checks).
QUALITY_RULES = {
    "national_id_check_digit": (
        "validity",
        "national_id",
        "ten digits of text whose last is the Luhn check digit of the first nine",
    ),
    "birth_date_plausible": (
        "validity",
        "birth_date",
        "a date YYYY-MM-DD, not after as_of and at most 120 years before",
    ),
    "sex_code": ("validity", "sex", "one of 'female', 'male'"),
    "poverty_score_range": ("validity", "poverty_score", "a number from 0 to 100"),
    "registration_date_plausible": (
        "validity",
        "registration_date",
        "a date YYYY-MM-DD, not after as_of",
    ),
    "enrollment_date_plausible": (
        "validity",
        "enrollment_date",
        "a date YYYY-MM-DD, not after as_of",
    ),
    "identifier_unique": ("uniqueness", "identifier", "no other record has the same identifier"),
    "national_id_unique": ("uniqueness", "national_id", "no other record has the same national ID"),
    "one_head_per_household": (
        "consistency",
        "group_head",
        "exactly one record of the household (group_identifier) is its head",
    ),
    "head_is_adult": ("consistency", "group_head", "a household head is 15 or older at as_of"),
    "born_before_registration": (
        "consistency",
        "registration_date",
        "the person was born on or before the registration date",
    ),
    "death_after_birth": (
        "consistency",
        "death_date",
        "the death date is on or after the birth date",
    ),
    "registration_recent": (
        "timeliness",
        "registration_date",
        "registered (or last updated) within max_age_years before as_of",
    ),
}


@contextlib.contextmanager
def _without_pyspark_warning():
    """Silence pyspark's warning about pandas 3 while pandera imports pyspark.pandas.

    pandera imports ``pyspark.pandas`` when pyspark is installed (at import and when it
    registers its checks), and pyspark warns that its pandas API does not support
    pandas 3. That API is not used here.
    """
    with warnings.catch_warnings():
        warnings.filterwarnings(
            "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
        )
        yield


@functools.cache
def _pandera():
    """Import pandera's pandas API on first use (see :func:`_without_pyspark_warning`)."""
    with _without_pyspark_warning():
        import pandera.pandas as pa
    return pa


HEAD_MIN_AGE = 15
MAX_AGE = 120
_DATE_COLUMNS = ("birth_date", "registration_date", "enrollment_date", "death_date", "last_updated")


def _dates(values: pd.Series) -> pd.Series:
    """Parse dates; anything that is not a date becomes NaT (a validity failure)."""
    if values.dtype.kind == "M":
        return values
    text = values.where(values.map(lambda v: isinstance(v, str)), None)
    return pd.to_datetime(text, format="ISO8601", errors="coerce")


def _age(frame: pd.DataFrame, as_of: pd.Timestamp) -> pd.Series:
    birth = _dates(frame["birth_date"])
    return (as_of - birth).dt.days / 365.2425


def registry_schema(
    columns: list[str] | pd.Index,
    *,
    as_of: str | pd.Timestamp,
    max_age_years: float = 3.0,
) -> pandera.pandas.DataFrameSchema:
    """Return the pandera schema of :data:`QUALITY_RULES` for a frame with ``columns``.

    Each check returns True or False per row; missing values pass (they count under
    completeness instead). The rule name is the check's name.

    Parameters
    ----------
    columns : list of str
        The column names of the registry: a rule applies when all its columns are there.
    as_of : str or pandas.Timestamp
        The date of the extract.
    max_age_years : float, default 3
        Timeliness: a registration older than this is out of date.

    Examples
    --------
    >>> schema = registry_schema(["identifier", "sex"], as_of="2024-12-31")
    >>> sorted(check.name for check in schema.checks)
    ['identifier_unique', 'sex_code']
    """
    pa = _pandera()
    as_of = pd.Timestamp(as_of)
    present = set(columns)
    checks = []

    def add(name: str, function, needs: tuple[str, ...]) -> None:
        if set(needs) <= present:
            checks.append(pa.Check(function, name=name, element_wise=False))

    def missing(frame: pd.DataFrame, column: str) -> pd.Series:
        return frame[column].isna()

    add(
        "national_id_check_digit",
        lambda f: (
            missing(f, "national_id") | pd.Series(valid_national_id(f["national_id"]), f.index)
        ),
        ("national_id",),
    )

    def plausible(column: str, oldest: pd.Timestamp | None):
        def check(frame: pd.DataFrame) -> pd.Series:
            date = _dates(frame[column])
            ok = date.notna() & (date <= as_of)
            if oldest is not None:
                ok &= date >= oldest
            return missing(frame, column) | ok

        return check

    add(
        "birth_date_plausible",
        plausible("birth_date", as_of - pd.DateOffset(years=MAX_AGE)),
        ("birth_date",),
    )
    add("sex_code", lambda f: missing(f, "sex") | f["sex"].isin(SEXES), ("sex",))

    def score(frame: pd.DataFrame) -> pd.Series:
        value = pd.to_numeric(frame["poverty_score"], errors="coerce")
        return missing(frame, "poverty_score") | value.between(0, 100)

    add("poverty_score_range", score, ("poverty_score",))
    add("registration_date_plausible", plausible("registration_date", None), ("registration_date",))
    add("enrollment_date_plausible", plausible("enrollment_date", None), ("enrollment_date",))
    add(
        "identifier_unique",
        lambda f: ~f["identifier"].duplicated(keep=False) | missing(f, "identifier"),
        ("identifier",),
    )
    add(
        "national_id_unique",
        lambda f: missing(f, "national_id") | ~f["national_id"].duplicated(keep=False),
        ("national_id",),
    )

    def heads(frame: pd.DataFrame) -> pd.Series:
        head = frame["group_head"].eq(True).astype(int)
        count = head.groupby(frame["group_identifier"], dropna=False).transform("sum")
        return missing(frame, "group_identifier") | (count == 1)

    add("one_head_per_household", heads, ("group_identifier", "group_head"))

    def adult(frame: pd.DataFrame) -> pd.Series:
        age = _age(frame, as_of)
        return ~frame["group_head"].eq(True) | age.isna() | (age >= HEAD_MIN_AGE)

    add("head_is_adult", adult, ("group_head", "birth_date"))

    def ordered(first: str, second: str):
        def check(frame: pd.DataFrame) -> pd.Series:
            a, b = _dates(frame[first]), _dates(frame[second])
            return a.isna() | b.isna() | (a <= b)

        return check

    add(
        "born_before_registration",
        ordered("birth_date", "registration_date"),
        ("birth_date", "registration_date"),
    )
    add("death_after_birth", ordered("birth_date", "death_date"), ("birth_date", "death_date"))

    def recent(frame: pd.DataFrame) -> pd.Series:
        column = "last_updated" if "last_updated" in frame.columns else "registration_date"
        date = _dates(frame[column])
        return date.isna() | (date >= as_of - pd.DateOffset(days=round(max_age_years * 365.2425)))

    add("registration_recent", recent, ("registration_date",))
    return pa.DataFrameSchema(checks=checks, name="registry")


def _check_frame(frame: object, what: str) -> pd.DataFrame:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a pandas DataFrame; got {type(frame).__name__}")
    require_columns(frame, ["identifier"], what=what)
    refuse_empty(frame, what, ["identifier"])
    return frame


def _failing(frame: pd.DataFrame, as_of, max_age_years: float) -> dict[str, np.ndarray]:
    """Run the schema (lazily, every check) and return the failing positions per rule."""
    positional = frame.reset_index(drop=True)
    schema = registry_schema(list(frame.columns), as_of=as_of, max_age_years=max_age_years)
    failing = {check.name: np.zeros(len(frame), dtype=bool) for check in schema.checks}
    try:
        with _without_pyspark_warning():
            schema.validate(positional, lazy=True)
    except _pandera().errors.SchemaErrors as errors:
        cases = errors.failure_cases
        for rule, index in zip(cases["check"], cases["index"], strict=True):
            if rule in failing and index is not None and not pd.isna(index):
                failing[rule][int(index)] = True
    return failing


def quality_failures(
    frame: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    max_age_years: float = 3.0,
) -> pd.DataFrame:
    """List every record that breaks a rule of :data:`QUALITY_RULES`: one row per break.

    Parameters
    ----------
    frame : pandas.DataFrame
        A registry with an ``identifier`` column; the rules whose columns it has apply.
    as_of : str or pandas.Timestamp
        The date of the extract (dates after it are not plausible).
    max_age_years : float, default 3
        Timeliness: a registration older than this is out of date.

    Returns
    -------
    pandas.DataFrame
        ``dimension``, ``rule``, ``column``, ``row`` (the frame's index label),
        ``identifier`` and ``value`` (the value of ``column`` in that row).

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "identifier": ["a", "b", "c"],
    ...     "national_id": ["1234567897", "1234567898", None],
    ...     "birth_date": ["1980-01-31", "2031-01-01", "1990-05-05"],
    ... })
    >>> quality_failures(frame, as_of="2024-12-31")[["rule", "row", "value"]]
                          rule  row       value
    0  national_id_check_digit    1  1234567898
    1     birth_date_plausible    1  2031-01-01
    """
    _check_frame(frame, "quality_failures")
    failing = _failing(frame, as_of, max_age_years)
    parts = []
    for rule, mask in failing.items():
        if not mask.any():
            continue
        dimension, column, _ = QUALITY_RULES[rule]
        rows = np.flatnonzero(mask)
        parts.append(
            pd.DataFrame(
                {
                    "dimension": dimension,
                    "rule": rule,
                    "column": column,
                    "row": frame.index[rows],
                    "identifier": frame["identifier"].to_numpy()[rows],
                    "value": frame[column].to_numpy(dtype=object)[rows],
                }
            )
        )
    columns = ["dimension", "rule", "column", "row", "identifier", "value"]
    if not parts:
        return pd.DataFrame({c: pd.Series([], dtype=object) for c in columns})
    return pd.concat(parts, ignore_index=True)[columns]


def quality_profile(
    frame: pd.DataFrame,
    *,
    as_of: str | pd.Timestamp,
    max_age_years: float = 3.0,
) -> pd.DataFrame:
    """Profile a registry by completeness, validity, uniqueness, consistency and timeliness.

    Parameters
    ----------
    frame : pandas.DataFrame
        A registry with an ``identifier`` column (for example a table of
        :func:`registry_ecosystem`); every other column is profiled when present.
    as_of : str or pandas.Timestamp
        The date of the extract.
    max_age_years : float, default 3
        Timeliness: a registration older than this is out of date.

    Returns
    -------
    pandas.DataFrame
        One row per (dimension, column, rule): ``checked`` (values checked: every row for
        completeness, the values present otherwise), ``failed`` and ``share_failed``
        (failed / checked; missing when nothing was checked). Completeness has one row
        per column, with rule ``present``. The records behind each count are listed by
        :func:`quality_failures`.

    Examples
    --------
    >>> frame = pd.DataFrame({
    ...     "identifier": ["a", "b", "c", "c"],
    ...     "sex": ["female", "male", "M", None],
    ... })
    >>> quality_profile(frame, as_of="2024-12-31").round(2)
          dimension      column               rule  checked  failed  share_failed
    0  completeness  identifier            present        4       0          0.00
    1  completeness         sex            present        4       1          0.25
    2      validity         sex           sex_code        3       1          0.33
    3    uniqueness  identifier  identifier_unique        4       2          0.50
    """
    _check_frame(frame, "quality_profile")
    rows = []
    for column in frame.columns:
        if column == "synthetic":
            continue
        missing = int(frame[column].isna().sum())
        rows.append(("completeness", column, "present", len(frame), missing))
    failing = _failing(frame, as_of, max_age_years)
    for rule, mask in failing.items():
        dimension, column, _ = QUALITY_RULES[rule]
        if dimension in ("validity", "uniqueness"):
            checked = int(frame[column].notna().sum())
        else:
            checked = len(frame)
        rows.append((dimension, column, rule, checked, int(mask.sum())))
    out = pd.DataFrame(rows, columns=["dimension", "column", "rule", "checked", "failed"])
    order = ["completeness", "validity", "uniqueness", "consistency", "timeliness"]
    out["dimension"] = pd.Categorical(out["dimension"], order, ordered=True)
    out = out.sort_values(["dimension"], kind="stable").reset_index(drop=True)
    out["dimension"] = out["dimension"].astype(str)
    checked = out["checked"].to_numpy(dtype=float)
    share = np.full(len(out), np.nan)
    np.divide(out["failed"].to_numpy(dtype=float), checked, out=share, where=checked > 0)
    out["share_failed"] = share
    return out
