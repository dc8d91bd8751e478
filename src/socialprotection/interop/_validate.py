"""Validate exchange messages against the bundled DCI extract or the book's record schema."""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import pandas as pd

from socialprotection.datasets import data_dir

#: The schemas that :func:`validate` knows, with what each one checks.
SCHEMAS: dict[str, str] = {
    "search": "the body of a POST /registry/search (header with action 'search', SearchRequest)",
    "on-search": "the body of a POST /registry/on-search (callback header, SearchResponse)",
    "SearchRequest": "the message part of a search request",
    "SearchResponse": "the message part of a search response",
    "MsgHeader": "the header of a request",
    "MsgCallbackHeader": "the header of a callback (on-search)",
    "Group": "a group (household) record; the book's schema derived from the DCI vocabulary",
    "Member": "a member record; the book's schema derived from the DCI vocabulary",
    "Person": "a person record; the book's schema derived from the DCI vocabulary",
}
_BODY = "/post/requestBody/content/application~1json/schema"
_POINTERS = {
    "search": "#/paths/~1registry~1search" + _BODY,
    "on-search": "#/paths/~1registry~1on-search" + _BODY,
    "SearchRequest": "#/components/schemas/SearchRequest",
    "SearchResponse": "#/components/schemas/SearchResponse",
    "MsgHeader": "#/components/schemas/MsgHeader_V1.0.0",
    "MsgCallbackHeader": "#/components/schemas/MsgCallbackHeader_V1.0.0",
}
_SPEC_URI = "urn:socialprotection:dci:social_api_extract"
_RECORDS_URI = "urn:socialprotection:dci:registry_records"
ERROR_COLUMNS = ["path", "reason", "detail", "rule"]


def dci_folder() -> Path:
    """Return the folder of the bundled DCI extract, record schema, samples, LICENSE and NOTICE.

    Examples
    --------
    >>> sorted(p.name for p in dci_folder().glob("*.json"))
    ['registry_records.schema.json', 'social_api_extract.json']
    """
    return data_dir() / "dci"


@functools.cache
def _read(name: str) -> dict:
    return json.loads((dci_folder() / name).read_text(encoding="utf-8"))


def dci_spec() -> dict:
    """Return the bundled extract of the DCI Social Registry API (OpenAPI 3.0.3), as a dict.

    It is a copy: change it freely. Its ``NOTICE`` gives the upstream commit and every repair.

    Examples
    --------
    >>> spec = dci_spec()
    >>> spec["openapi"], spec["info"]["version"], sorted(spec["paths"])
    ('3.0.3', '1.0.0', ['/registry/on-search', '/registry/search'])
    """
    return json.loads(json.dumps(_read("social_api_extract.json")))


def record_schema() -> dict:
    """Return the book's JSON Schema of person, group and member records, as a dict.

    It is derived from the DCI vocabulary and is **not an official schema**.

    Examples
    --------
    >>> "not an official schema" in record_schema()["title"]
    True
    """
    return json.loads(json.dumps(_read("registry_records.schema.json")))


@functools.cache
def _validator(schema: str):
    from jsonschema import Draft202012Validator
    from openapi_schema_validator import OAS30Validator, oas30_format_checker
    from referencing import Registry, Resource
    from referencing.jsonschema import DRAFT4, DRAFT202012

    if schema in _POINTERS:
        resource = Resource.from_contents(
            _read("social_api_extract.json"), default_specification=DRAFT4
        )
        registry = Registry().with_resource(_SPEC_URI, resource)
        return OAS30Validator(
            {"$ref": _SPEC_URI + _POINTERS[schema]},
            registry=registry,
            format_checker=oas30_format_checker,
        )
    resource = Resource.from_contents(
        _read("registry_records.schema.json"), default_specification=DRAFT202012
    )
    registry = Registry().with_resource(_RECORDS_URI, resource)
    return Draft202012Validator(
        {"$ref": f"{_RECORDS_URI}#/$defs/{schema}"},
        registry=registry,
        format_checker=Draft202012Validator.FORMAT_CHECKER,
    )


def _parse(message: Any) -> Any:
    if isinstance(message, bytes):
        try:
            message = message.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ValueError(
                f"the message is not JSON: its bytes are not UTF-8 ({error.reason} at byte "
                f"{error.start}); expected a JSON object as text, or a dict"
            ) from None
    if isinstance(message, str):
        try:
            return json.loads(message)
        except json.JSONDecodeError as error:
            raise ValueError(
                f"the message is not JSON: {error.msg} at line {error.lineno}, column "
                f"{error.colno}; expected a JSON object such as "
                '{"header": {...}, "message": {...}}'
            ) from None
    if isinstance(message, (dict, list)):
        return message
    raise TypeError(
        f"the message is a {type(message).__name__}; expected a dict, or a JSON object as text"
    )


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 40 else text[:37] + "..."


def _reason(error) -> str:
    rule, value, expected = error.validator, error.instance, error.validator_value
    if rule == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"the field '{missing}' is missing; the standard requires it here"
    if rule == "type":
        kinds = expected if isinstance(expected, list) else [expected]
        names = {
            "string": "text",
            "integer": "a whole number",
            "number": "a number",
            "boolean": "true or false",
            "object": "an object",
            "array": "a list",
        }
        wanted = " or ".join(names.get(k, k) for k in kinds)
        return f"must be {wanted}, but is {_json_type(value)}: {_short(value)}"
    if rule == "enum":
        allowed = ", ".join(_short(v) for v in expected)
        return f"{_short(value)} is not an allowed value; allowed values are {allowed}"
    if rule == "format":
        return f"{_short(value)} is not a valid {expected} (ISO 8601, for example 2024-12-31)"
    if rule == "pattern":
        return f"{_short(value)} does not have the expected form ({expected})"
    if rule in ("maxLength", "minLength"):
        side = "at most" if rule == "maxLength" else "at least"
        return f"must have {side} {expected} characters; it has {len(value)}"
    if rule in ("minItems", "maxItems"):
        side = "at least" if rule == "minItems" else "at most"
        return f"must list {side} {expected} items; it lists {len(value)}"
    if rule in ("minimum", "maximum"):
        side = "at least" if rule == "minimum" else "at most"
        return f"must be {side} {expected}; it is {_short(value)}"
    if rule == "additionalProperties":
        return f"has a field that the schema does not allow: {error.message}"
    if rule in ("oneOf", "anyOf"):
        return "matches none of the allowed forms of this part of the message"
    if rule == "$ref":
        return f"the schema itself is broken here: {error.message}"
    return error.message


def _flatten(errors) -> list:
    """Every error; a failed choice (oneOf, anyOf) is replaced by the errors of its nearest form."""
    out = []
    for error in errors:
        if error.validator in ("oneOf", "anyOf") and error.context:
            branches: dict[int, list] = {}
            for sub in error.context:
                branches.setdefault(sub.schema_path[0], []).append(sub)
            if error.validator == "oneOf" and len(branches) < len(error.validator_value):
                # some form matched: more than one matched, the choice is ambiguous
                out.append(error)
                continue
            # the nearest form: fewest errors on the value itself (a wrong type, a missing
            # field), then fewest errors in all
            depth = len(error.absolute_path)
            best = min(
                branches.values(),
                key=lambda subs: (sum(len(e.absolute_path) <= depth for e in subs), len(subs)),
            )
            out.extend(_flatten(best))
        else:
            out.append(error)
    return out


def validate(message: Any, schema: str = "on-search") -> pd.DataFrame:
    """Check a message against the DCI extract or the book's record schema; return every error.

    A valid message gives an empty table. An invalid message is never an exception: each
    error is one row, with where it is and why, in plain words.

    Parameters
    ----------
    message : dict, list, str or bytes
        The message, as parsed JSON or as JSON text.
    schema : str, default "on-search"
        One of :data:`SCHEMAS`: ``"search"`` and ``"on-search"`` are whole messages (a
        ``header`` and a ``message``); the others are one part of one.

    Returns
    -------
    pandas.DataFrame
        One row per error, columns ``path`` (a JSON path such as ``$.header.status``),
        ``reason`` (plain words), ``detail`` (the validator's own message) and ``rule``
        (the JSON Schema keyword that failed), ordered by path.

    Raises
    ------
    ValueError
        If the message is text that is not JSON, or the schema name is unknown.
    TypeError
        If the message is neither a dict, a list nor text.

    Examples
    --------
    >>> header = {"message_id": "1", "message_ts": "2024-12-31T10:00:00Z",
    ...           "action": "on-search", "status": "done"}
    >>> errors = validate(header, "MsgCallbackHeader")
    >>> errors.loc[0, "path"], errors.loc[0, "reason"]  # doctest: +NORMALIZE_WHITESPACE
    ('$.status',
     '"done" is not an allowed value; allowed values are "rcvd", "pdng", "succ", "rjct"')
    >>> validate(header | {"status": "succ"}, "MsgCallbackHeader").empty
    True
    """
    if schema not in SCHEMAS:
        raise ValueError(f"unknown schema {schema!r}; expected one of {sorted(SCHEMAS)}")
    parsed = _parse(message)
    errors = _flatten(_validator(schema).iter_errors(parsed))
    rows = [
        {"path": e.json_path, "reason": _reason(e), "detail": e.message, "rule": e.validator}
        for e in errors
    ]
    table = pd.DataFrame(rows, columns=ERROR_COLUMNS).drop_duplicates(["path", "detail"])
    return table.sort_values("path", kind="stable").reset_index(drop=True)


def official_samples() -> dict[str, dict]:
    """Return the official DCI sample messages bundled with the book, by file name.

    They are copied unchanged from ``spdci/standards`` (see ``NOTICE``).

    Examples
    --------
    >>> sorted(official_samples())[:2]
    ['processflow1-1req.json', 'processflow1-1res.json']
    """
    folder = dci_folder() / "samples"
    return {
        p.name: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))
    }


def conformance(samples: dict[str, Any] | None = None) -> pd.DataFrame:
    """Validate each sample message against its schema and count the errors.

    A file whose name ends in ``req.json`` is a search request, ``res.json`` a response.

    Parameters
    ----------
    samples : dict, optional
        Messages by name; by default :func:`official_samples`.

    Returns
    -------
    pandas.DataFrame
        One row per error (``sample``, ``schema`` and the columns of :func:`validate`); a
        sample without errors has one row whose ``path`` is empty.

    Examples
    --------
    >>> table = conformance()
    >>> sorted(table["sample"].unique())[:2]
    ['processflow1-1req.json', 'processflow1-1res.json']
    """
    samples = official_samples() if samples is None else samples
    frames = []
    for name, message in samples.items():
        schema = "search" if name.endswith("req.json") else "on-search"
        errors = validate(message, schema)
        if errors.empty:
            errors = pd.DataFrame([dict.fromkeys(ERROR_COLUMNS, "")])
        frames.append(errors.assign(sample=name, schema=schema))
    return pd.concat(frames, ignore_index=True)[["sample", "schema", *ERROR_COLUMNS]]
