"""Every bundled file validates against its schema and checksum (Frictionless)."""

import json
import shutil

import pytest
from frictionless import Package, validate


@pytest.fixture(scope="module")
def descriptor(root):
    return root / "datasets" / "datapackage.json"


def test_package_is_valid(descriptor):
    report = validate(str(descriptor))
    errors = [f"{e.type}: {e.note}" for task in report.tasks for e in task.errors]
    assert report.valid, errors


def test_every_resource_has_source_licence_and_sha256(descriptor):
    package = json.loads(descriptor.read_text())
    for resource in package["resources"]:
        assert resource["hash"].startswith("sha256:"), resource["name"]
        assert resource["licenses"], resource["name"]
        assert resource["publisher"] and resource["citation"], resource["name"]
        for source in resource["sources"]:
            assert source["title"] and source["path"], resource["name"]
            if "repository" in source:
                assert len(source["commit"]) == 40, resource["name"]
        for field in resource["schema"]["fields"]:
            assert field.get("description"), (resource["name"], field["name"])
    assert {r["path"] for r in package["resources"]} == {
        p.name for p in descriptor.parent.glob("*.csv")
    }


def test_validator_detects_a_changed_file(descriptor, tmp_path):
    copy = tmp_path / "datasets"
    shutil.copytree(descriptor.parent, copy)
    path = copy / "countries.csv"
    path.write_text(path.read_text().replace("762", "763"))
    report = validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert "hash-count" in {e.type for task in report.tasks for e in task.errors}


def test_package_reads_as_frictionless_package(descriptor):
    package = Package(str(descriptor))
    assert len(package.resources) == len(list(descriptor.parent.glob("*.csv")))
