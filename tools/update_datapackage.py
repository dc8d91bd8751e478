"""Check the data files against ``datasets/datapackage.yaml`` and write their size and hash.

``datasets/datapackage.yaml`` is written by hand: it is the one place where a dataset is
described (schema, units, source, licence, provenance).
This script does only what a machine must do. For every resource it

* checks that the file exists, and that every data file in ``datasets/`` is declared,
* checks that a CSV file is UTF-8 without a byte-order mark and that its header equals the
  declared field names, in order,
* computes the size in bytes and the SHA-256 hash, and writes them into the ``bytes`` and
  ``hash`` lines of the resource, leaving every other line (and every comment) as it is.

It stops with a message that names the file, the column or the key when something is wrong.
Values are checked against their declared types by frictionless in the tests
(``frictionless validate datasets/datapackage.yaml``).

Usage
-----
``python tools/update_datapackage.py`` (or ``make data``)
    Check the files and write ``bytes`` and ``hash``.
``python tools/update_datapackage.py --check``
    Write nothing; exit with status 1 when a ``bytes`` or ``hash`` line is out of date.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

import yaml

ROOT = Path(__file__).resolve().parents[1]
DATASETS = ROOT / "datasets"
DESCRIPTOR = DATASETS / "datapackage.yaml"

# Files in datasets/ that are not data resources.
NOT_DATA = {"datapackage.yaml", "README.md"}
FIELD_TYPES = {"string", "integer", "number"}
REQUIRED = ["name", "path", "title", "description", "publisher", "year", "citation"]
REQUIRED_LISTS = ["sources", "licenses"]

Descriptor = dict[str, Any]


class DescriptorError(SystemExit):
    """The descriptor or a data file is wrong; the message says where and what to do."""


def fail(message: str) -> NoReturn:
    """Stop with a clear message.

    Parameters
    ----------
    message : str
        What is wrong and what to do.
    """
    raise DescriptorError(f"update_datapackage: ERROR: {message}")


def read_descriptor(path: Path = DESCRIPTOR) -> tuple[str, Descriptor]:
    """Return the descriptor's text and its parsed content.

    Parameters
    ----------
    path : Path
        The YAML descriptor.

    Returns
    -------
    tuple of (str, dict)
        The text, as written by hand, and the parsed package.
    """
    if not path.exists():
        fail(f"{path} is missing")
    text = path.read_text(encoding="utf-8")
    try:
        package = yaml.safe_load(text)
    except yaml.YAMLError as err:
        fail(f"{path.name} is not valid YAML: {err}")
    if not isinstance(package, dict) or not isinstance(package.get("resources"), list):
        fail(f"{path.name} must be a mapping with a list 'resources'")
    return text, package


def check_resource(resource: Any, position: int) -> None:
    """Fail unless a resource block has every key that the book relies on.

    Parameters
    ----------
    resource : dict
        One entry of ``resources``.
    position : int
        Its position in the list, from 1, for the message.
    """
    if not isinstance(resource, dict):
        fail(f"resource {position} is not a mapping of keys to values")
    name = resource.get("name", f"number {position}")
    for key in REQUIRED:
        if resource.get(key) in (None, ""):
            fail(f"resource '{name}': key '{key}' is missing or empty")
    for key in REQUIRED_LISTS:
        if not isinstance(resource.get(key), list) or not resource[key]:
            fail(f"resource '{name}': '{key}' must be a list with at least one entry")
    for source in resource["sources"]:
        commit = str(source.get("commit", ""))
        if "repository" in source and not re.fullmatch(r"[0-9a-f]{40}", commit):
            fail(f"resource '{name}': source {source['repository']} needs a full 40-hex commit")
    if resource.get("format") != "csv":
        return
    fields = resource.get("schema", {}).get("fields")
    if not isinstance(fields, list) or not fields:
        fail(f"resource '{name}': a CSV resource needs schema.fields")
    for field in fields:
        label = f"resource '{name}', field '{field.get('name')}'"
        if field.get("type") not in FIELD_TYPES:
            fail(f"{label}: type {field.get('type')!r} is not one of {sorted(FIELD_TYPES)}")
        if not field.get("description"):
            fail(f"{label}: a description is needed")


def check_csv(resource: Descriptor, raw: bytes) -> None:
    """Fail unless a CSV file is UTF-8 and its header equals the declared fields, in order.

    Parameters
    ----------
    resource : dict
        The resource block.
    raw : bytes
        The file's content.
    """
    path = resource["path"]
    if raw.startswith(b"\xef\xbb\xbf"):
        fail(f"{path} starts with a byte-order mark; save it as UTF-8 without BOM")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        fail(f"{path} is not valid UTF-8: line {line}, byte {err.start} ({err.reason})")
    header = next(csv.reader(io.StringIO(text, newline="")), [])
    declared = [f["name"] for f in resource["schema"]["fields"]]
    if header == declared:
        return
    lines = [f"the header of {path} does not match the fields declared for it, in order:"]
    for i in range(max(len(header), len(declared))):
        got = header[i] if i < len(header) else "<none>"
        want = declared[i] if i < len(declared) else "<none>"
        mark = "  " if got == want else "!!"
        lines.append(f"  {mark} column {i + 1}: file {got!r}, declared {want!r}")
    lines.append(f"Fix the fields of '{resource['name']}' in {DESCRIPTOR.name} (never the data).")
    fail("\n".join(lines))


def measure(package: Descriptor, folder: Path = DATASETS) -> dict[str, tuple[int, str]]:
    """Check every resource and return its size in bytes and its ``sha256:`` hash.

    Parameters
    ----------
    package : dict
        The parsed descriptor.
    folder : Path
        The folder of the data files.

    Returns
    -------
    dict
        ``{resource name: (bytes, "sha256:...")}``.
    """
    resources = package["resources"]
    for position, resource in enumerate(resources, start=1):
        check_resource(resource, position)
    names = [r["name"] for r in resources]
    paths = [r["path"] for r in resources]
    for label, values in (("name", names), ("path", paths)):
        twice = sorted({v for v in values if values.count(v) > 1})
        if twice:
            fail(f"resource {label} declared twice: {twice}")
    present = {p.name for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")}
    undeclared = sorted(present - NOT_DATA - set(paths))
    if undeclared:
        fail(
            f"files in {folder} with no block in {DESCRIPTOR.name}: {undeclared}; "
            "describe each one under 'resources'"
        )
    sizes = {}
    for resource in resources:
        file = folder / resource["path"]
        if not file.is_file():
            fail(f"resource '{resource['name']}': file {file} is missing")
        raw = file.read_bytes()
        if resource.get("format") == "csv":
            check_csv(resource, raw)
        sizes[resource["name"]] = (len(raw), f"sha256:{hashlib.sha256(raw).hexdigest()}")
    return sizes


_ITEM = re.compile(r"^  - name: *(?P<name>.+?) *$")
_KEY = re.compile(r"^    (?P<key>bytes|hash|path):")


def rewrite(text: str, sizes: dict[str, tuple[int, str]]) -> str:
    """Return the descriptor text with each resource's ``bytes`` and ``hash`` lines updated.

    Only those two lines change; a resource without them gets them after its ``path`` line.
    A resource block starts with ``  - name: ...`` and its keys are indented by four spaces,
    the layout of ``datapackage.yaml``.

    Parameters
    ----------
    text : str
        The descriptor as written by hand.
    sizes : dict
        The output of :func:`measure`.

    Returns
    -------
    str
        The updated text.
    """
    out: list[str] = []
    current: str | None = None
    in_resources = False
    done: set[str] = set()

    def emit(name: str) -> None:
        size, digest = sizes[name]
        out.extend([f"    bytes: {size}", f"    hash: {digest}"])
        done.add(name)

    for line in text.splitlines():
        if line and not line[0].isspace() and not line.startswith("#"):
            in_resources = line.startswith("resources:")
            current = None
        item = _ITEM.match(line) if in_resources else None
        if item:
            current = item["name"].strip("'\"")
            if current not in sizes:
                fail(f"cannot find resource '{current}' of {DESCRIPTOR.name} in the package")
        key = _KEY.match(line) if current else None
        if key and key["key"] in ("bytes", "hash"):
            continue  # written again after the path line
        out.append(line)
        if key and key["key"] == "path" and current not in done:
            emit(current)
    missing = sorted(set(sizes) - done)
    if missing:
        fail(
            f"resources {missing} have no '    path:' line at the layout {DESCRIPTOR.name} "
            "expects (keys indented by four spaces under '  - name:')"
        )
    return "\n".join(out) + "\n"


def updated(path: Path = DESCRIPTOR) -> tuple[str, str]:
    """Return the descriptor's current text and the text it should have.

    Parameters
    ----------
    path : Path
        The YAML descriptor; its data files are in the same folder.

    Returns
    -------
    tuple of (str, str)
        The text now, and the text with every ``bytes`` and ``hash`` line current.
    """
    text, package = read_descriptor(path)
    new = rewrite(text, measure(package, path.parent))
    after = yaml.safe_load(new)
    for before_resource, after_resource in zip(
        package["resources"], after["resources"], strict=True
    ):
        for key in ("bytes", "hash"):
            before_resource.pop(key, None)
            after_resource.pop(key, None)
    if after != package:
        fail("internal error: rewriting would change more than the bytes and hash lines")
    return text, new


def main(argv: list[str] | None = None) -> int:
    """Check the data files and write, or check, ``bytes`` and ``hash``.

    Parameters
    ----------
    argv : list of str, optional
        Command-line arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        Exit status: 0 on success, 1 when ``--check`` finds a line out of date.
    """
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    text, new = updated()
    n = len(yaml.safe_load(new)["resources"])
    if args.check:
        if text != new:
            print(f"{DESCRIPTOR} is out of date: run make data", file=sys.stderr)
            return 1
        print(f"{DESCRIPTOR} is up to date ({n} resources)")
        return 0
    if text != new:
        DESCRIPTOR.write_text(new, encoding="utf-8")
        print(f"updated bytes and hash in {DESCRIPTOR} ({n} resources)")
    else:
        print(f"{DESCRIPTOR} was already up to date ({n} resources)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
