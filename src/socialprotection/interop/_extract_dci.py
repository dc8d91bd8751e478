"""How the bundled DCI extract was made from the published specification (kept for the record).

The book ships a small extract of the Digital Convergence Initiative (DCI) social registry
API, ``spdci/standards`` at commit :data:`COMMIT`, file :data:`SOURCE`. This module is the
transformation, run once by a maintainer on the upstream file::

    python -m socialprotection.interop._extract_dci social_api_v1.0.0.yaml datasets/dci

It writes ``social_api_extract.json`` and prints the list of repairs that ``NOTICE`` repeats.
The book never runs it: it reads the extract.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Any

COMMIT = "b4816e1ecf415a5ac6635085fec0656160d285ea"
SOURCE = "release/yaml/social_api_v1.0.0.yaml"
PATHS = ("/registry/search", "/registry/on-search")
SCHEMAS = (
    "SearchRequest",
    "SearchResponse",
    "SearchStatusReasonCode",
    "MsgHeader_V1.0.0",
    "MsgCallbackHeader_V1.0.0",
    "MsgHeaderStatusReasonCode",
    "MsgSignature",
    "EncryptedMessage",
    "Error",
)
_QUERY = "#/components/schemas/SearchRequest/properties/search_request/items/properties/search_criteria/properties/query"  # noqa: E501
_OLD_QUERY = "#/paths/~1registry~1search/post/requestBody/content/application~1json/schema/properties/message/oneOf/0/properties/search_request/items/properties/search_criteria/properties/query"  # noqa: E501
_TXN = "#/components/schemas/TxnStatusRequest/properties/txnstatus_request/properties/"


def _walk(node: Any, visit) -> Any:
    node = visit(node)
    if isinstance(node, dict):
        return {k: _walk(v, visit) for k, v in node.items()}
    if isinstance(node, list):
        return [_walk(v, visit) for v in node]
    return node


def extract(spec: dict) -> tuple[dict, list[str]]:
    """Return the extract of the upstream specification and the list of repairs made."""
    repairs: list[str] = []
    info = copy.deepcopy(spec["info"])
    description = info.get("description", "")
    if "version" not in info and "version: 1.0.0" in description:
        info["description"] = description.replace("  version: 1.0.0", "").rstrip()
        info["version"] = "1.0.0"
        repairs.append(
            "info.version: restored as 1.0.0; upstream, a YAML indentation slip puts "
            "'version: 1.0.0' inside info.description, so the file has no info.version and "
            "is not valid OpenAPI 3.0.3"
        )
    info["description"] = (
        "EXTRACT for the training book on universal social protection: the message "
        "headers and the search / on-search messages of the DCI Social Registry API "
        f"(spdci/standards@{COMMIT}:{SOURCE}), repaired as listed in NOTICE.\n\n"
        + info["description"]
    )
    schemas = spec["components"]["schemas"]
    txn = schemas["TxnStatusRequest"]["properties"]["txnstatus_request"]["properties"]
    out = {
        "openapi": spec["openapi"],
        "info": info,
        "servers": spec.get("servers", []),
        "paths": {},
        "components": {
            "schemas": {name: copy.deepcopy(schemas[name]) for name in SCHEMAS},
            "responses": copy.deepcopy(spec["components"]["responses"]),
            "securitySchemes": copy.deepcopy(spec["components"]["securitySchemes"]),
        },
    }
    for path in PATHS:
        operation = copy.deepcopy(spec["paths"][path])
        content = operation["post"]["requestBody"]["content"]
        content.pop("multipart/form-data", None)
        operation["post"]["tags"] = []
        out["paths"][path] = operation
    repairs.append(
        "reduced: only the paths /registry/search and /registry/on-search, with their "
        "application/json body (the multipart/form-data file upload and its FileInfo schema "
        "are left out), and the schemas " + ", ".join(SCHEMAS) + "; tags removed"
    )

    def fix_refs(node):
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = node["$ref"]
            if ref.startswith(_OLD_QUERY):
                fixed = dict(node, **{"$ref": _QUERY + ref[len(_OLD_QUERY) :]})
                if "query refs" not in done:
                    done.add("query refs")
                    repairs.append(
                        "dangling $ref: two references in the 'predicate' query "
                        "(attribute_value, expression2) point through "
                        "'#/paths/~1registry~1search/.../message/oneOf/0/...', a path that "
                        "crosses a $ref and so points to nothing (PointerToNowhere); "
                        "rewritten to the same place under '#/components/schemas/"
                        "SearchRequest/...'"
                    )
                return fixed
            if ref.startswith(_TXN):
                name = ref[len(_TXN) :]
                if f"txn {name}" not in done:
                    done.add(f"txn {name}")
                    repairs.append(
                        f"reference to TxnStatusRequest ({name}), a schema the extract leaves "
                        "out: replaced by a copy of its target"
                    )
                return copy.deepcopy(txn[name])
        return node

    def fix_examples(node):
        # $ref inside an example is literal text for OpenAPI, but validators follow it
        if isinstance(node, dict) and "example" in node:
            text = json.dumps(node["example"])
            if '"$ref"' in text:
                node = dict(node)
                node["example"] = _walk(
                    node["example"],
                    lambda n: (
                        "2022-12-04T17:20:07-04:00" if isinstance(n, dict) and "$ref" in n else n
                    ),
                )
                if "example refs" not in done:
                    done.add("example refs")
                    repairs.append(
                        "$ref inside the examples of consent and authorize: replaced by an "
                        "example timestamp (an example is data, not a schema)"
                    )
        return node

    def fix_one_of(node):
        if isinstance(node, dict) and "oneOf" in node:
            variants = node["oneOf"]
            simple = [v.get("type") for v in variants if isinstance(v, dict)]
            overlapping = ("integer" in simple and "number" in simple) or (
                simple.count("object") > 1 and not any("required" in v for v in variants)
            )
            if overlapping:
                node = dict(node)
                node["anyOf"] = node.pop("oneOf")
                if "oneOf" not in done:
                    done.add("oneOf")
                    repairs.append(
                        "oneOf changed to anyOf where the alternatives overlap, so that a "
                        "valid value matched more than one and was refused: the three forms "
                        "of search_criteria.query (every object matches both object forms) "
                        "and the identifier value (an integer is also a number); OpenSPP's "
                        "compliance suite makes the same change (spdci/api-standards#45-47)"
                    )
        return node

    done: set[str] = set()
    out = _walk(out, fix_refs)
    out = _walk(out, fix_examples)
    out = _walk(out, fix_one_of)
    # the rewritten references follow the query's oneOf, now anyOf
    out = _walk(
        out,
        lambda n: (
            dict(n, **{"$ref": n["$ref"].replace("/query/oneOf/", "/query/anyOf/")})
            if isinstance(n, dict) and isinstance(n.get("$ref"), str)
            else n
        ),
    )
    return out, repairs


def main(argv: list[str]) -> None:  # pragma: no cover - a maintainer's tool
    import yaml

    source, target = Path(argv[1]), Path(argv[2])
    spec = yaml.safe_load(source.read_text(encoding="utf-8"))
    result, repairs = extract(spec)
    text = json.dumps(result, indent=1, ensure_ascii=False) + "\n"
    (target / "social_api_extract.json").write_text(text, encoding="utf-8")
    for number, repair in enumerate(repairs, start=1):
        print(f"{number}. {repair}")


if __name__ == "__main__":  # pragma: no cover
    main(sys.argv)
