"""k-anonymity, l-diversity, records at risk, generalisation and suppression."""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from socialprotection._validation import as_list, numeric_column, require_columns

_MISSING = "(missing)"


def _check(frame: pd.DataFrame, quasi_identifiers, what: str, extra: Sequence[str] = ()) -> list:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what}: expected a pandas DataFrame; got {type(frame).__name__}")
    columns = as_list(quasi_identifiers)
    if not columns:
        raise ValueError(f"{what}: give at least one quasi-identifier column")
    require_columns(frame, [*columns, *extra], what=what, one_row_per="record")
    return columns


def _check_k(k: object, what: str) -> int:
    if isinstance(k, bool) or not isinstance(k, (int, np.integer)):
        raise TypeError(f"{what}: k must be a whole number of 2 or more; got {k!r}")
    if k < 2:
        raise ValueError(
            f"{what}: k = {k} protects no one (every record is in a group of at least 1); "
            "expected k of 2 or more, usually 3, 5 or 10"
        )
    return int(k)


def _keys(frame: pd.DataFrame, columns: list) -> pd.DataFrame:
    """Return the quasi-identifiers as text, a missing value being a value of its own."""
    out = {}
    for column in columns:
        series = frame[column]
        out[column] = series.astype(object).where(series.notna(), _MISSING).astype(str)
    return pd.DataFrame(out, index=frame.index)


def group_sizes(frame: pd.DataFrame, quasi_identifiers: str | Sequence[str]) -> pd.Series:
    """Return, for each record, the number of records that share all its quasi-identifiers.

    A missing value is a value of its own: two records with a missing district and the
    same sex and age are in one group.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    quasi_identifiers : str or list of str
        The columns that someone could know from elsewhere (district, sex, age...).

    Returns
    -------
    pandas.Series
        The size of each record's group, on the frame's index.

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["A", "A", "B", None], "sex": ["f", "f", "m", "m"]})
    >>> group_sizes(frame, ["district", "sex"]).tolist()
    [2, 2, 1, 1]
    """
    columns = _check(frame, quasi_identifiers, "group_sizes")
    keys = _keys(frame, columns)
    return keys.groupby(columns, sort=False)[columns[0]].transform("size").rename("group_size")


def k_anonymity(frame: pd.DataFrame, quasi_identifiers: str | Sequence[str]) -> int:
    """Return the table's k: the size of the smallest group sharing every quasi-identifier.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    quasi_identifiers : str or list of str
        The columns that someone could know from elsewhere. A missing value is a value
        of its own.

    Returns
    -------
    int
        k (1 means that at least one record is unique, hence at risk).

    Raises
    ------
    KeyError
        A quasi-identifier column is missing.
    ValueError
        The frame has no rows, or no quasi-identifier is given.

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["A", "A", "B", "B", "B"],
    ...                       "sex": ["f", "f", "m", "m", "m"]})
    >>> k_anonymity(frame, ["district", "sex"])
    2
    """
    return int(group_sizes(frame, quasi_identifiers).min())


def l_diversity(frame: pd.DataFrame, quasi_identifiers: str | Sequence[str], sensitive: str) -> int:
    """Return the table's l: the number of distinct sensitive values in the least diverse group.

    If l is 1, everyone in some group has the same sensitive value: knowing that a person
    is in the group tells it (attribute disclosure), however large the group.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    quasi_identifiers : str or list of str
        The quasi-identifier columns (a missing value is a value of its own).
    sensitive : str
        The sensitive column (a programme, a disability); a missing value counts as one
        distinct value.

    Returns
    -------
    int
        l.

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["A", "A", "B", "B"],
    ...                       "programme": ["pension", "pension", "pension", "child"]})
    >>> l_diversity(frame, "district", "programme")
    1
    """
    columns = _check(frame, quasi_identifiers, "l_diversity", [sensitive])
    if sensitive in columns:
        raise ValueError(
            f"l_diversity: column '{sensitive}' is both a quasi-identifier and the sensitive "
            "column; expected a sensitive column outside the quasi-identifiers"
        )
    keys = _keys(frame, columns)
    keys["_sensitive"] = _keys(frame, [sensitive])[sensitive]
    return int(keys.groupby(columns, sort=False)["_sensitive"].nunique().min())


def records_at_risk(
    frame: pd.DataFrame, quasi_identifiers: str | Sequence[str], k: int
) -> pd.DataFrame:
    """Return the records in groups smaller than ``k``, with the size of their group.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    quasi_identifiers : str or list of str
        The quasi-identifier columns (a missing value is a value of its own).
    k : int
        The smallest group size accepted, 2 or more.

    Returns
    -------
    pandas.DataFrame
        The rows at risk (all columns, original index) and a column ``group_size``,
        smallest groups first. Their number is the risk count of the SDC practice guide.

    Raises
    ------
    ValueError
        k is below 2, or the frame has no rows.

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["A", "A", "B"], "sex": ["f", "f", "m"]})
    >>> records_at_risk(frame, ["district", "sex"], k=2)
      district sex  group_size
    2        B   m           1
    """
    k = _check_k(k, "records_at_risk")
    sizes = group_sizes(frame, quasi_identifiers)
    risky = frame.assign(group_size=sizes)[sizes < k]
    return risky.sort_values("group_size", kind="stable")


@functools.cache
def _regions() -> dict:
    return yaml.safe_load((Path(__file__).parent / "regions.yaml").read_text(encoding="utf-8"))


def regions(country: str = "TJK") -> dict[str, str]:
    """Return the region of each district of the synthetic registries (generalisation level 1).

    Examples
    --------
    >>> regions("TJK")["Rasht"], regions("LAO")["Pakse"]
    ('DRS', 'Champasak')
    """
    table = _regions()
    if country not in table:
        raise ValueError(f"regions: unknown country {country!r}; expected one of {sorted(table)}")
    return dict(table[country])


def age_bands(ages: pd.Series, width: int = 10, *, top: int | None = None) -> pd.Series:
    """Generalise ages (whole years) to bands of ``width`` years, such as "30-39".

    Parameters
    ----------
    ages : pandas.Series
        Ages in completed years, 0 or more. A missing age stays missing.
    width : int, default 10
        The width of a band in years.
    top : int, optional
        Ages from ``top`` on share one open band, such as "80+".

    Returns
    -------
    pandas.Series
        The band of each age, as text.

    Examples
    --------
    >>> age_bands(pd.Series([3, 37, 85, None], name="age"), 10, top=80).tolist()
    ['0-9', '30-39', '80+', None]
    """
    if isinstance(width, bool) or not isinstance(width, (int, np.integer)) or width < 1:
        raise ValueError(
            f"age_bands: width must be a whole number of years, 1 or more; got {width!r}"
        )
    name = ages.name if ages.name is not None else "age"
    if len(ages) == 0:
        raise ValueError(f"age_bands: column '{name}' has no values; expected ages in years")
    values = numeric_column(ages.to_frame(name), name, allow_missing=True, non_negative=True)
    out = []
    for age in values:
        if np.isnan(age):
            out.append(None)
        elif top is not None and age >= top:
            out.append(f"{top}+")
        else:
            low = int(age // width * width)
            out.append(f"{low}-{low + width - 1}")
    return pd.Series(out, index=ages.index, name=ages.name, dtype=object)


def age_in_years(birth_dates: pd.Series, as_of: str = "2024-12-31") -> pd.Series:
    """Return age in completed years on ``as_of`` from ISO birth dates (missing stays missing).

    Examples
    --------
    >>> age_in_years(pd.Series(["1980-12-31", "1981-01-01"])).tolist()
    [44, 43]
    """
    name = birth_dates.name if birth_dates.name is not None else "birth_date"
    if len(birth_dates) == 0:
        raise ValueError(f"age_in_years: column '{name}' has no values; expected birth dates")
    raw = birth_dates.to_numpy(dtype=object)
    missing = pd.isna(raw)
    text = pd.Series(
        [v if isinstance(v, str) else None for v in raw], index=birth_dates.index, dtype=object
    )
    born = pd.to_datetime(text, format="ISO8601", errors="coerce")
    bad = born.isna().to_numpy() & ~missing
    if bad.any():
        position = int(np.flatnonzero(bad)[0])
        raise TypeError(
            f"age_in_years: column '{name}' must hold dates written YYYY-MM-DD; "
            f"row {birth_dates.index[position]} holds {raw[position]!r}"
        )
    day = pd.Timestamp(as_of)
    years = (
        day.year - born.dt.year - ((born.dt.month * 100 + born.dt.day) > day.month * 100 + day.day)
    )
    return years.astype("Int64").rename("age")


def k_anonymise(
    frame: pd.DataFrame,
    quasi_identifiers: str | Sequence[str],
    k: int,
    steps: Sequence[tuple[str, Mapping | Callable]] = (),
) -> pd.DataFrame:
    """Generalise step by step until k holds, then suppress the records still at risk.

    Each step replaces one column by a coarser one: a mapping (district to region) or a
    function of the column (ages to bands). The steps are applied in order, and only
    while k is not reached. The records still in groups smaller than ``k`` are then
    removed (suppression). What was done is in ``result.attrs["k_anonymise"]``.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per record.
    quasi_identifiers : str or list of str
        The quasi-identifier columns.
    k : int
        The k to reach, 2 or more.
    steps : sequence of (column, mapping or function)
        The generalisations to try, in order.

    Returns
    -------
    pandas.DataFrame
        The generalised records that remain (original index), with k at least ``k``.

    Examples
    --------
    >>> frame = pd.DataFrame({"district": ["Rasht", "Hisor", "Kulob", "Kulob", "Khorugh"],
    ...                       "age": [31, 35, 52, 58, 70]})
    >>> out = k_anonymise(frame, ["district", "age"], 2,
    ...                   [("age", lambda a: age_bands(a, 10)), ("district", regions("TJK"))])
    >>> out.to_dict("list")
    {'district': ['DRS', 'DRS', 'Khatlon', 'Khatlon'], 'age': ['30-39', '30-39', '50-59', '50-59']}
    >>> out.attrs["k_anonymise"]["suppressed"], out.attrs["k_anonymise"]["steps_applied"]
    (1, ['age', 'district'])
    """
    columns = _check(frame, quasi_identifiers, "k_anonymise")
    k = _check_k(k, "k_anonymise")
    out = frame.copy()
    applied = []
    for column, rule in steps:
        if k_anonymity(out, columns) >= k:
            break
        require_columns(out, [column], what="k_anonymise")
        if callable(rule):
            out[column] = rule(out[column])
        else:
            unknown = sorted({str(v) for v in out[column].dropna()} - {str(x) for x in rule})
            if unknown:
                raise ValueError(
                    f"k_anonymise: the mapping for column '{column}' has no entry for "
                    f"{unknown[:5]}; expected every value of the column"
                )
            out[column] = out[column].map(lambda v, rule=rule: rule.get(v, v) if pd.notna(v) else v)
        applied.append(column)
    at_risk = group_sizes(out, columns) < k
    result = out[~at_risk.to_numpy()].copy()
    result.attrs["k_anonymise"] = {
        "k": k,
        "steps_applied": applied,
        "suppressed": int(at_risk.sum()),
        "kept": len(result),
    }
    return result
