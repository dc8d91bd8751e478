"""The wheel carries the data, and the installed package works outside the repository."""

import subprocess
import sys
import zipfile

import pytest


@pytest.fixture(scope="module")
def wheel(root, tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out)],
        cwd=root,
        check=True,
        capture_output=True,
    )
    (path,) = out.glob("socialprotection-*.whl")
    return path


def test_wheel_contains_every_data_file(wheel, root):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "socialprotection/data/datapackage.yaml" in names
    for csv in (root / "datasets").glob("*.csv"):
        assert f"socialprotection/data/{csv.name}" in names
    tables = root / "src" / "socialprotection" / "assessment" / "data"
    for csv in tables.glob("*.csv"):  # the tables of sp.assessment_table
        assert f"socialprotection/assessment/data/{csv.name}" in names


def test_installed_wheel_loads_data_outside_the_repository(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = (
        "import socialprotection as sp; "
        "print(sp.__file__); print(sp.data_dir()); "
        "print(len(sp.load('sdg131_headline_all_countries'))); "
        "print(len(sp.assessment_table('tjk_mandates')))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=elsewhere,
        env={"PYTHONPATH": str(target), "PATH": ""},
        capture_output=True,
        text=True,
        check=True,
    )
    module_file, data_dir, rows, mandates = result.stdout.split()
    assert module_file.startswith(str(target))
    assert data_dir == str(target / "socialprotection" / "data")
    assert int(rows) > 600
    assert int(mandates) > 0
