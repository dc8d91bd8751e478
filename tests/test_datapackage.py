"""The hand-written descriptor is current, complete and valid (Frictionless, with checksums)."""

import importlib.util
import re
import shutil

import pytest
import yaml
from frictionless import Package, validate


@pytest.fixture(scope="module")
def descriptor(root):
    return root / "datasets" / "datapackage.yaml"


@pytest.fixture(scope="module")
def tool(root):
    """The maintenance script ``tools/update_datapackage.py``, imported as a module."""
    spec = importlib.util.spec_from_file_location(
        "update_datapackage", root / "tools" / "update_datapackage.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def copy(descriptor, tmp_path):
    """A writable copy of the datasets folder."""
    folder = tmp_path / "datasets"
    shutil.copytree(descriptor.parent, folder)
    return folder / "datapackage.yaml"


def errors_of(report):
    return [f"{e.type}: {e.note}" for task in report.tasks for e in task.errors]


def test_package_is_valid(descriptor):
    report = validate(str(descriptor))
    assert report.valid, errors_of(report)


def test_bytes_and_hash_are_current(tool, descriptor):
    text, new = tool.updated(descriptor)
    assert text == new, "bytes or hash in datasets/datapackage.yaml are out of date: run make data"


def test_no_schema_is_written_as_code(root):
    """The descriptor is the one place where a dataset is described."""
    declared = re.compile(r"""["'](type|description|primaryKey|licenses)["']\s*:""")
    for path in (root / "tools").glob("*.py"):
        assert not declared.search(path.read_text()), path.name
    assert not (root / "datasets" / "datapackage.json").exists()


def test_every_resource_has_source_licence_and_sha256(descriptor):
    package = yaml.safe_load(descriptor.read_text())
    for resource in package["resources"]:
        assert resource["hash"].startswith("sha256:"), resource["name"]
        assert resource["licenses"], resource["name"]
        assert resource["publisher"] and resource["citation"], resource["name"]
        for source in resource["sources"]:
            assert source["title"] and source["path"], resource["name"]
            if "repository" in source:
                assert len(source["commit"]) == 40, resource["name"]
        if resource.get("format") != "csv":
            # a document (the DCI exchange standard): a file, not a table
            assert resource["type"] == "file" and "schema" not in resource, resource["name"]
            continue
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])
            # YAML reads yes/no/on/off as booleans: every name and type must stay text
            assert isinstance(field["name"], str) and isinstance(field["type"], str)
    assert {r["path"] for r in package["resources"] if r.get("format") == "csv"} == {
        p.name for p in descriptor.parent.glob("*.csv")
    }
    documents = {r["path"] for r in package["resources"] if r.get("format") != "csv"}
    assert documents == {
        p.relative_to(descriptor.parent).as_posix() for p in descriptor.parent.rglob("*.json")
    }


def test_source_file_lists_match_the_metadata_files(root, descriptor):
    """The files named in each source agree with the companion metadata tables."""
    import socialprotection as sp

    package = {r["name"]: r for r in yaml.safe_load(descriptor.read_text())["resources"]}
    codes = list(sp.load("wdi_indicator_metadata")["indicator_code"])
    files = package["wdi_macro_poverty_labour"]["sources"][0]["files"]
    assert files == [f"indicators/{code}/data.csv" for code in codes]
    sdg_files = list(sp.load("sdg_series_metadata")["source_file"])
    assert package["sdg_social_protection_poverty_labour"]["sources"][0]["files"] == sdg_files


def test_validator_detects_a_changed_file(copy):
    path = copy.parent / "countries.csv"
    path.write_text(path.read_text().replace("762", "763"))
    report = validate(str(copy))
    assert not report.valid
    assert "hash-count" in {e.type for task in report.tasks for e in task.errors}


def test_package_reads_as_frictionless_package(descriptor):
    package = Package(str(descriptor))
    tables = [r for r in package.resources if r.type == "table"]
    assert len(tables) == len(list(descriptor.parent.glob("*.csv")))


# The tool: it writes bytes and hash, and nothing else ------------------------------------------


def test_tool_writes_only_bytes_and_hash(tool, copy):
    original = copy.read_text()
    path = copy.parent / "countries.csv"
    path.write_text(path.read_text().replace("762", "763"))
    text, new = tool.updated(copy)
    assert text == original and new != original
    changed = [
        (a, b) for a, b in zip(original.splitlines(), new.splitlines(), strict=True) if a != b
    ]
    assert len(changed) == 1 and changed[0][0].startswith("    hash: sha256:"), changed
    assert "# The book's data" in new  # comments are kept


def test_tool_restores_a_deleted_hash_line(tool, copy):
    original = copy.read_text()
    lines = original.splitlines(keepends=True)
    first_hash = next(i for i, line in enumerate(lines) if line.startswith("    hash:"))
    copy.write_text("".join(lines[:first_hash] + lines[first_hash + 1 :]))
    assert tool.updated(copy)[1] == original


def test_tool_refuses_a_wrong_header(tool, copy):
    path = copy.parent / "countries.csv"
    path.write_text(path.read_text().replace("iso3,un_m49", "iso,un_m49", 1))
    with pytest.raises(SystemExit, match=r"(?s)header of countries.csv.*column 1: file 'iso'"):
        tool.updated(copy)


def test_tool_refuses_an_undeclared_file(tool, copy):
    (copy.parent / "my_budget.csv").write_text("year,amount\n2024,1\n")
    with pytest.raises(SystemExit, match=r"no block in datapackage.yaml: \['my_budget.csv'\]"):
        tool.updated(copy)


def test_tool_refuses_a_file_that_is_not_utf8(tool, copy):
    path = copy.parent / "countries.csv"
    path.write_bytes(path.read_bytes().replace(b"Tajikistan", "Tadjikistán".encode("latin-1")))
    with pytest.raises(SystemExit, match=r"countries.csv is not valid UTF-8: line \d+"):
        tool.updated(copy)


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("    licenses:\n", "resource 'countries': 'licenses' must be a list"),
        ("          type: integer\n", "field 'un_m49': type 'date'"),
    ],
)
def test_tool_names_the_resource_and_key_of_a_bad_block(tool, copy, edit, message):
    text = copy.read_text()
    if edit.startswith("    licenses"):
        start = text.index("    licenses:\n")
        end = text.index("    schema:\n", start)
        text = text[:start] + "    licenses: []\n" + text[end:]
    else:
        text = text.replace(edit, "          type: date\n", 1)
    copy.write_text(text)
    with pytest.raises(SystemExit, match=message):
        tool.updated(copy)
