"""Registry rows to DCI records and back; a search request and its answer, in-process."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from socialprotection._validation import boolean_column, numeric_column, require_columns

#: The columns of a social registry that :func:`to_dci` reads and :func:`from_dci` returns.
REGISTRY_COLUMNS = [
    "identifier",
    "given_name",
    "family_name",
    "sex",
    "birth_date",
    "district",
    "national_id",
    "group_identifier",
    "group_head",
    "poverty_score",
    "registration_date",
]
SEXES = ("female", "male")
#: The attributes a search can use, with the group field each one reads.
SEARCH_ATTRIBUTES = {
    "poverty_score": "poverty_score",
    "district": "geographical_location",
    "group_size": "group_size",
    "registration_date": "registration_date",
}
OPERATORS = ("eq", "lt", "le", "gt", "ge", "in")
RECORD_ID = "SR_RECORD"
NATIONAL_ID = "NATIONAL_ID"
GROUP_ID = "SR_GROUP"
_WHAT = "to_dci"


def _first(series: pd.Series, mask: np.ndarray) -> tuple[object, str]:
    position = int(np.flatnonzero(mask)[0])
    value = series.iloc[position]
    return series.index[position], repr(value) if isinstance(value, str) else str(value)


def _text(frame: pd.DataFrame, column: str, *, missing_ok: bool = False) -> list[Any]:
    series = frame[column]
    values = series.to_numpy(dtype=object)
    missing = pd.isna(values)
    if missing.any() and not missing_ok:
        row, _ = _first(series, missing)
        raise ValueError(
            f"{_WHAT}: column '{column}' has {int(missing.sum())} missing value(s), the first in "
            f"row {row}; expected text in every record"
        )
    bad = np.array(
        [
            not m and (not isinstance(v, str) or not v.strip())
            for v, m in zip(values, missing, strict=True)
        ],
        dtype=bool,
    )
    if bad.any():
        row, shown = _first(series, bad)
        raise TypeError(
            f"{_WHAT}: column '{column}' must hold text (not a number, not blank); "
            f"row {row} holds {shown}"
        )
    return [None if m else v for v, m in zip(values, missing, strict=True)]


def _dates(frame: pd.DataFrame, column: str) -> list[str]:
    values = _text(frame, column)
    parsed = pd.to_datetime(pd.Series(values, dtype=object), format="%Y-%m-%d", errors="coerce")
    bad = parsed.isna().to_numpy()
    if bad.any():
        row, shown = _first(frame[column], bad)
        raise TypeError(
            f"{_WHAT}: column '{column}' must hold dates written YYYY-MM-DD; "
            f"row {row} holds {shown}"
        )
    return values


def _identifier(kind: str, value: str) -> dict:
    return {"identifier_type": kind, "identifier_value": value}


def to_dci(registry: pd.DataFrame) -> list[dict]:
    """Turn social registry rows (one per person) into DCI group records with their members.

    Each household (``group_identifier``) becomes one DCI ``Group``; each row one
    ``Member`` whose ``demographic_info`` is a DCI ``Person``. The record follows the
    book's schema derived from the DCI vocabulary (:func:`record_schema`). Each registry
    column goes to a DCI field (column: field):

    - ``identifier``: ``member_identifier`` (type ``SR_RECORD``);
    - ``given_name``, ``family_name``: ``demographic_info.name.given_name`` and ``surname``;
    - ``sex``, ``birth_date``: ``demographic_info.sex`` and ``birth_date``;
    - ``national_id``: ``demographic_info.identifier`` (type ``NATIONAL_ID``; an empty list
      when missing);
    - ``district``: ``demographic_info.address.district``; the group's
      ``geographical_location`` is its head's district;
    - ``group_identifier``: ``group_identifier`` (type ``SR_GROUP``);
    - ``group_head``: ``group_head_info`` (a copy of the head's member record); further
      heads, an error in the data, are listed in ``additional_attributes``;
    - ``poverty_score``, ``registration_date``: the group's fields of the same names, the
      same for every member of a household.

    Parameters
    ----------
    registry : pandas.DataFrame
        One row per person record, with the columns :data:`REGISTRY_COLUMNS` (other
        columns are ignored).

    Returns
    -------
    list of dict
        One DCI group record per household, in the order of first appearance.

    Raises
    ------
    KeyError
        A column is missing.
    ValueError, TypeError
        A value is missing or of the wrong kind, a record identifier is repeated, or a
        household has two poverty scores or registration dates; the message names the
        column and the row or the household.

    Examples
    --------
    >>> import socialprotection as sp
    >>> registry = sp.registry_ecosystem("TJK", n_persons=1_000, seed=1).social_registry
    >>> groups = to_dci(registry)
    >>> sorted(groups[0])[:4]
    ['geographical_location', 'group_head_info', 'group_identifier', 'group_size']
    >>> sum(g["group_size"] for g in groups) == len(registry)
    True
    """
    require_columns(registry, REGISTRY_COLUMNS, what=_WHAT, one_row_per="person record")
    ids = _text(registry, "identifier")
    repeated = pd.Series(ids).duplicated().to_numpy()
    if repeated.any():
        row, shown = _first(registry["identifier"], repeated)
        raise ValueError(f"{_WHAT}: column 'identifier' must be unique; row {row} repeats {shown}")
    given = _text(registry, "given_name")
    family = _text(registry, "family_name")
    sex_column = registry["sex"]
    missing_sex = sex_column.isna().to_numpy()
    if missing_sex.any():
        row, _ = _first(sex_column, missing_sex)
        raise ValueError(
            f"{_WHAT}: column 'sex' has {int(missing_sex.sum())} missing value(s), the first in "
            f"row {row}; expected 'female' or 'male'"
        )
    sex = list(sex_column.to_numpy(dtype=object))
    wrong = np.array([not isinstance(s, str) or s not in SEXES for s in sex], dtype=bool)
    if wrong.any():
        row, shown = _first(registry["sex"], wrong)
        raise ValueError(
            f"{_WHAT}: column 'sex': row {row} holds {shown}; expected one of: "
            + ", ".join(repr(s) for s in SEXES)
        )
    birth = _dates(registry, "birth_date")
    district = _text(registry, "district")
    national = _text(registry, "national_id", missing_ok=True)
    group = _text(registry, "group_identifier")
    head = boolean_column(registry, "group_head")
    score = numeric_column(registry, "poverty_score")
    registered = _dates(registry, "registration_date")
    for column, values in (("poverty_score", score), ("registration_date", registered)):
        per_group = pd.DataFrame({"g": group, "v": values}).groupby("g", sort=False)["v"]
        several = per_group.nunique()
        if (several > 1).any():
            name = several.index[int(np.argmax(several.to_numpy() > 1))]
            rows = registry.index[np.asarray(group, dtype=object) == name]
            shown = sorted({str(v) for v, g in zip(values, group, strict=True) if g == name})
            raise ValueError(
                f"{_WHAT}: column '{column}' differs within household '{name}' "
                f"(rows {', '.join(map(str, rows))}: {', '.join(shown)}); "
                "expected one value per household"
            )
    groups: dict[str, dict] = {}
    for i in range(len(registry)):
        member = {
            "member_identifier": [_identifier(RECORD_ID, ids[i])],
            "demographic_info": {
                "identifier": []
                if national[i] is None
                else [_identifier(NATIONAL_ID, national[i])],
                "name": {"given_name": given[i], "surname": family[i]},
                "sex": sex[i],
                "birth_date": birth[i],
                "address": {"district": district[i]},
            },
        }
        record = groups.get(group[i])
        if record is None:
            record = groups[group[i]] = {
                "group_identifier": [_identifier(GROUP_ID, group[i])],
                "group_type": "household",
                "poverty_score": float(score[i]),
                "registration_date": registered[i],
                "member_list": [],
            }
        record["member_list"].append(member)
        if head[i]:
            if "group_head_info" not in record:
                record["group_head_info"] = json.loads(json.dumps(member))
                record["geographical_location"] = district[i]
            else:
                extra = record.setdefault(
                    "additional_attributes", [{"name": "other_heads_recorded", "value": []}]
                )
                extra[0]["value"].append(ids[i])
    out = []
    for record in groups.values():
        record["group_size"] = len(record["member_list"])
        if "geographical_location" not in record:
            record["geographical_location"] = record["member_list"][0]["demographic_info"][
                "address"
            ]["district"]
        out.append(dict(sorted(record.items())))
    return out


def _value(identifiers: Sequence[dict], kind: str) -> str | None:
    for identifier in identifiers:
        if identifier.get("identifier_type") == kind:
            return identifier.get("identifier_value")
    return None


def from_dci(groups: Iterable[dict]) -> pd.DataFrame:
    """Turn DCI group records back into registry rows, one per member.

    The inverse of :func:`to_dci`: ``from_dci(to_dci(registry))`` gives back the
    columns :data:`REGISTRY_COLUMNS` of ``registry``, row for row (in the order of the
    groups, then of their members).

    Parameters
    ----------
    groups : iterable of dict
        DCI group records as made by :func:`to_dci` (or found in ``reg_records``).

    Returns
    -------
    pandas.DataFrame
        One row per member, with the columns :data:`REGISTRY_COLUMNS`.

    Raises
    ------
    ValueError
        A record lacks a field that the mapping needs; the message names the record.

    Examples
    --------
    >>> import socialprotection as sp
    >>> registry = sp.registry_ecosystem("TJK", n_persons=1_000, seed=1).social_registry
    >>> back = from_dci(to_dci(registry))
    >>> mine = registry[REGISTRY_COLUMNS].set_index("identifier").sort_index()
    >>> mine.equals(back.set_index("identifier").sort_index())
    True
    """
    rows = []
    for number, group in enumerate(groups):
        try:
            group_id = _value(group["group_identifier"], GROUP_ID)
            heads = set()
            if "group_head_info" in group:
                heads.add(_value(group["group_head_info"]["member_identifier"], RECORD_ID))
            for extra in group.get("additional_attributes", []):
                if extra.get("name") == "other_heads_recorded":
                    heads.update(extra["value"])
            for member in group["member_list"]:
                person = member["demographic_info"]
                record_id = _value(member["member_identifier"], RECORD_ID)
                rows.append(
                    {
                        "identifier": record_id,
                        "given_name": person["name"]["given_name"],
                        "family_name": person["name"]["surname"],
                        "sex": person["sex"],
                        "birth_date": person["birth_date"],
                        "district": person.get("address", {}).get(
                            "district", group.get("geographical_location")
                        ),
                        "national_id": _value(person.get("identifier", []), NATIONAL_ID),
                        "group_identifier": group_id,
                        "group_head": record_id in heads,
                        "poverty_score": float(group["poverty_score"]),
                        "registration_date": group["registration_date"],
                    }
                )
        except (KeyError, TypeError) as error:
            raise ValueError(
                f"from_dci: group record {number} lacks the field {error}; expected a group "
                "as made by to_dci (see record_schema())"
            ) from None
    frame = pd.DataFrame(rows, columns=REGISTRY_COLUMNS)
    for column in REGISTRY_COLUMNS:
        if column not in ("group_head", "poverty_score"):
            frame[column] = frame[column].astype("str").where(frame[column].notna(), None)
    frame["group_head"] = frame["group_head"].astype(bool)
    frame["poverty_score"] = frame["poverty_score"].astype(float)
    return frame


def search_request(
    conditions: Sequence[tuple[str, str, Any]],
    *,
    sender_id: str = "spmis.example.org",
    receiver_id: str = "social-registry.example.org",
    transaction_id: str = "T1",
    message_id: str = "M1",
    timestamp: str = "2024-12-31T12:00:00Z",
    page_size: int = 100,
) -> dict:
    """Build a DCI search request for households that meet every condition.

    Parameters
    ----------
    conditions : sequence of (attribute, operator, value)
        ``attribute`` is one of :data:`SEARCH_ATTRIBUTES`; ``operator`` one of
        :data:`OPERATORS` (``"in"`` takes a list). All conditions must hold ("and").
        The standard lists the operator ``in`` but does not allow a list as its value:
        the list is sent as an object ``{"values": [...]}``.
    sender_id, receiver_id : str
        The systems that send and receive the request.
    transaction_id, message_id : str
        Identifiers of the business transaction and of this message.
    timestamp : str
        ISO 8601 date and time, with its time zone.
    page_size : int, default 100
        The largest number of households in one answer.

    Returns
    -------
    dict
        A whole message (``header`` and ``message``), valid against the ``"search"``
        schema of :func:`validate`.

    Examples
    --------
    >>> request = search_request([("poverty_score", "le", 25), ("district", "eq", "Rasht")])
    >>> request["header"]["action"], len(request["message"]["search_request"][0]
    ...     ["search_criteria"]["query"])
    ('search', 2)
    """
    predicates = []
    for number, condition in enumerate(conditions, start=1):
        if not isinstance(condition, (tuple, list)) or len(condition) != 3:
            raise ValueError(
                f"search_request: condition {number} is {condition!r}; expected a tuple "
                "(attribute, operator, value), for example ('poverty_score', 'le', 25)"
            )
        attribute, operator, value = condition
        if attribute not in SEARCH_ATTRIBUTES:
            raise ValueError(
                f"search_request: unknown attribute {attribute!r} in condition {number}; "
                f"expected one of {sorted(SEARCH_ATTRIBUTES)}"
            )
        if operator not in OPERATORS:
            raise ValueError(
                f"search_request: unknown operator {operator!r} in condition {number}; "
                f"expected one of {list(OPERATORS)}"
            )
        predicate = {
            "seq_num": number,
            "expression1": {
                "attribute_name": attribute,
                "operator": operator,
                # the standard lists the operator "in" but its attribute_value cannot be a
                # list: the book sends the values as an object {"values": [...]}
                "attribute_value": {"values": list(value)} if operator == "in" else value,
            },
        }
        if number < len(conditions):
            predicate["condition"] = "and"
        predicates.append(predicate)
    return {
        "header": {
            "version": "1.0.0",
            "message_id": message_id,
            "message_ts": timestamp,
            "action": "search",
            "sender_id": sender_id,
            "receiver_id": receiver_id,
            "total_count": 1,
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": transaction_id,
            "search_request": [
                {
                    "reference_id": f"{transaction_id}-1",
                    "timestamp": timestamp,
                    "search_criteria": {
                        "version": "1.0.0",
                        "reg_event_type": "REGISTER",
                        "query_type": "predicate",
                        "response_entity": "Group",
                        "query": predicates,
                        "pagination": {"page_size": page_size, "page_number": 1},
                    },
                    "locale": "eng",
                }
            ],
        },
    }


def _holds(value: Any, operator: str, wanted: Any) -> bool:
    if operator == "in":
        return value in (wanted.get("values", []) if isinstance(wanted, dict) else wanted)
    if operator == "eq":
        return value == wanted
    try:
        return {
            "lt": value < wanted,
            "le": value <= wanted,
            "gt": value > wanted,
            "ge": value >= wanted,
        }[operator]
    except TypeError:
        return False


def answer_search(
    request: dict,
    registry: pd.DataFrame,
    *,
    correlation_id: str = "C1",
    timestamp: str = "2024-12-31T12:00:01Z",
) -> dict:
    """Answer a DCI search request from a registry, as a social registry would (in-process).

    The request is validated first: an invalid request gets an answer with status
    ``rjct`` and the reason code ``rjct.search_criteria.invalid``, and no records.

    Parameters
    ----------
    request : dict
        A search request (see :func:`search_request`).
    registry : pandas.DataFrame
        The social registry, one row per person (see :func:`to_dci`).
    correlation_id : str, default "C1"
        The receiver's identifier of the transaction.
    timestamp : str
        When the answer is sent (ISO 8601 with a time zone).

    Returns
    -------
    dict
        The on-search message: a callback ``header`` and a ``message`` whose
        ``search_response[0]["data"]["reg_records"]`` holds the matching DCI groups (the
        first page).

    Examples
    --------
    >>> import socialprotection as sp
    >>> from socialprotection.interop import validate
    >>> registry = sp.registry_ecosystem("TJK", n_persons=1_000, seed=1).social_registry
    >>> answer = answer_search(search_request([("poverty_score", "le", 10)]), registry)
    >>> answer["header"]["status"], validate(answer, "on-search").empty
    ('succ', True)
    """
    from socialprotection.interop._validate import validate

    groups = to_dci(registry)
    errors = validate(request, "search")
    header = request.get("header", {}) if isinstance(request, dict) else {}
    message = request.get("message", {}) if isinstance(request, dict) else {}
    item = {"reference_id": "unknown", "timestamp": timestamp}
    matched: list[dict] = []
    page_size = 100
    if errors.empty:
        item = message["search_request"][0]
        criteria = item["search_criteria"]
        page_size = int(criteria.get("pagination", {}).get("page_size", page_size))
        for group in groups:
            keep = True
            for predicate in criteria["query"]:
                expression = predicate["expression1"]
                field = SEARCH_ATTRIBUTES.get(expression["attribute_name"])
                value = group.get(field) if field else None
                keep = (
                    keep
                    and field is not None
                    and _holds(value, expression["operator"], expression["attribute_value"])
                )
            if keep:
                matched.append(group)
    status = "succ" if errors.empty else "rjct"
    response = {
        "reference_id": str(item.get("reference_id", "unknown")),
        "timestamp": timestamp,
        "status": status,
    }
    if errors.empty:
        response["data"] = {"version": "1.0.0", "reg_records": matched[:page_size]}
        response["pagination"] = {
            "page_size": page_size,
            "page_number": 1,
            "total_count": len(matched),
        }
    else:
        response["status_reason_code"] = "rjct.search_criteria.invalid"
        first = errors.iloc[0]
        response["status_reason_message"] = f"{first['path']}: {first['reason']}"[:999]
    return {
        "header": {
            "version": "1.0.0",
            "message_id": f"{header.get('message_id', 'unknown')}-answer",
            "message_ts": timestamp,
            "action": "on-search",
            "status": status,
            "total_count": 1,
            "completed_count": 1,
            "sender_id": str(header.get("receiver_id", "social-registry.example.org")),
            "receiver_id": str(header.get("sender_id", "unknown")),
            "is_msg_encrypted": False,
        },
        "message": {
            "transaction_id": str(message.get("transaction_id", "unknown")),
            "correlation_id": correlation_id,
            "search_response": [response],
        },
    }
