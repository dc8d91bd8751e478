"""The offline workshop kit (tools/kit.py, `make kit`) and the learner environment (`make lab`).

The kit's site does not matter for the install test, so it is built from a small site
made here; the answer-key scan runs on the kit of that site and, once, on the learner copy
of the full build (`built_site`, shared with the other site tests).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest
from kit import (
    ANSWER_KEY_REFERENCE,
    DEFAULT_PYTHONS,
    LEARNER_KIT,
    LEARNER_LOCK,
    PYTHON_EMBED,
    ROOT,
    Kit,
    KitError,
    answer_key_problems,
    build,
    check_handouts,
    check_official_python,
    download_wheels,
    fetch_pip_wheel,
    learner_site,
    library_wheel,
    main,
    pe_machine,
    read_lock,
    requirements_for,
    select_wheels,
    this_platform,
    windows_python,
)

from coursekit.lab import write_learner_notebooks

THIS_PYTHON = f"{sys.version_info.major}.{sys.version_info.minor}"
EXERCISE_PAGE = """<!DOCTYPE html><html><body><main>
<nav class="notebook-downloads" aria-label="Notebook downloads">
<a href="../../_notebooks/exercises/demo/demo-one-learner.ipynb" download
 data-notebook="notebook-learner">Download the learner notebook (.ipynb)</a>
<a href="../../_notebooks/exercises/demo/demo-one-answer-key.ipynb" download
 data-notebook="notebook-answer-key">Download the answer key (.ipynb)</a></nav>
<script type="application/json" id="notebook-learner">{"cells": []}</script>
<script type="application/json" id="notebook-answer-key">{"cells": [{"metadata":
 {"tags": ["solution"]}, "source": "answer = 42"}]}</script>
<div class="solution dropdown admonition" id="s1"><p class="admonition-title">Solution</p>
<div class="cell tag_solution"><pre>answer = 42</pre></div></div>
<p>After the exercise.</p>
</main></body></html>
"""


@pytest.fixture(scope="session")
def small_site(tmp_path_factory) -> Path:
    """A built site in miniature: an exercise page with every kind of answer key."""
    html = tmp_path_factory.mktemp("small-site")
    files = {
        "index.html": "<!DOCTYPE html><html><body><h1>Book</h1></body></html>",
        "exercises/demo/one.html": EXERCISE_PAGE,
        "_notebooks/exercises/demo/demo-one-learner.ipynb": '{"cells": []}',
        "_notebooks/exercises/demo/demo-one-answer-key.ipynb": '{"cells": []}',
        "_sources/exercises/demo/one.md": "answer = 42",
        "book/trainers/index.html": "<html><body>Answer keys: demo-one-answer-key.ipynb</body>",
        "_static/site.css": "body {}",
    }
    for name, text in files.items():
        (html / name).parent.mkdir(parents=True, exist_ok=True)
        (html / name).write_text(text, encoding="utf-8")
    return html


@pytest.fixture(scope="session")
def wheel_cache() -> Path:
    """Downloaded wheels and the Windows Python, kept between runs (as `make kit` keeps them).

    Only what is missing is downloaded, and each file is checked by its locked hash.
    ``SP_KIT_CACHE=<folder>`` uses another folder (an empty one measures a first run).
    """
    cache = Path(os.environ.get("SP_KIT_CACHE") or ROOT / "_build" / "kit-wheels")
    cache.mkdir(parents=True, exist_ok=True)
    return cache


@pytest.fixture(scope="session")
def kit_python(wheel_cache, tmp_path_factory) -> Path:
    """The checked Windows Python of a kit."""
    return windows_python(tmp_path_factory.mktemp("kit-python") / "python", wheel_cache)


@pytest.fixture(scope="session")
def learner_archive(small_site, wheel_cache, tmp_path_factory) -> Path:
    """The learner kit for this machine's platform and Python, from the small site."""
    platform = this_platform()
    locked = read_lock(LEARNER_LOCK)
    download_wheels(locked, wheel_cache, [platform], [THIS_PYTHON])
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    for wheel in select_wheels(wheel_cache, locked, [platform], [THIS_PYTHON]):
        os.link(wheel, wheelhouse / wheel.name)
    library_wheel(wheelhouse)
    out = tmp_path_factory.mktemp("kit")
    kit = Kit(
        html=small_site,
        out=out,
        platforms=[platform],
        pythons=[THIS_PYTHON],
        wheelhouse=wheelhouse,
        trainer=False,
    )
    return build(kit)["learner"]


def test_learner_site_keeps_the_exercise_and_drops_every_answer_key(small_site, tmp_path):
    found = "\n".join(answer_key_problems(small_site))  # the scan sees each kind
    assert "an answer-key file" in found and "a page with a solution" in found
    assert "exercises/demo/one.html: links to or embeds an answer key" in found
    learner_site(small_site, tmp_path)
    assert answer_key_problems(tmp_path) == []
    page = (tmp_path / "exercises/demo/one.html").read_text(encoding="utf-8")
    assert "demo-one-learner.ipynb" in page and 'id="notebook-learner"' in page
    assert "After the exercise." in page and "answer = 42" not in page
    assert not (tmp_path / "_sources").exists()
    assert "trainer kit only" in (tmp_path / "book/trainers/index.html").read_text()


def test_learner_copy_of_the_full_site_has_no_answer_key(built_site, tmp_path):
    assert answer_key_problems(built_site), "the full site should offer answer keys"
    learner_site(built_site, tmp_path)
    assert answer_key_problems(tmp_path) == []
    assert (tmp_path / "index.html").exists()


def test_learner_archive_has_no_answer_key(learner_archive, tmp_path):
    with zipfile.ZipFile(learner_archive) as archive:
        names = archive.namelist()
        assert not [n for n in names if "answer-key" in n.lower()]
        for name in names:
            if name.endswith((".html", ".ipynb", ".js", ".json")):
                text = archive.read(name).decode("utf-8", errors="replace")
                assert not ANSWER_KEY_REFERENCE.search(text), name
                assert "answer = 42" not in text, name
        archive.extractall(tmp_path)
    assert answer_key_problems(tmp_path / LEARNER_KIT) == []
    top = {n.split("/")[1] for n in names}
    assert {"site", "notebooks", "datasets", "wheelhouse", "README.txt"} <= top
    assert {"install.sh", "install.bat", "start-lab.sh", "start-lab.bat"} <= top
    assert any(n.endswith("-learner.ipynb") for n in names)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_learner_kit_installs_without_network_and_runs_a_notebook(learner_archive, tmp_path):
    with zipfile.ZipFile(learner_archive) as archive:
        archive.extractall(tmp_path)
    kit = tmp_path / LEARNER_KIT
    (kit / "install.sh").chmod(0o755)  # zipfile does not restore the execute bit
    offline = {
        "PATH": os.environ["PATH"],
        "HOME": str(tmp_path),
        "PYTHON": sys.executable,
        "PIP_CONFIG_FILE": os.devnull,  # no find-links or index from this machine's pip
        "PIP_NO_INDEX": "1",
        "PIP_NO_COMPILE": "1",  # quicker; the kit's users get compiled files
        "http_proxy": "http://127.0.0.1:9",  # any attempt to reach the network fails
        "https_proxy": "http://127.0.0.1:9",
    }
    subprocess.run(["sh", "install.sh"], cwd=kit, env=offline, check=True)
    python = kit / "env" / "bin" / "python"
    where = subprocess.run(
        [python, "-c", "import coursekit, ipywidgets, socialprotection as sp; print(sp.__file__)"],
        cwd=tmp_path,
        env=offline,
        capture_output=True,
        text=True,
        check=True,
    )
    assert where.stdout.startswith(str(kit / "env"))
    (notebook,) = (kit / "notebooks" / "sdg131").glob("sdg131-weighted-headline-learner.ipynb")
    subprocess.run(
        [
            python,
            "-m",
            "jupyter",
            "nbconvert",
            "--to",
            "notebook",
            "--execute",
            "--output",
            "done.ipynb",
            str(notebook),
        ],
        cwd=kit,
        env=offline,
        check=True,
        capture_output=True,
    )
    done = json.loads((notebook.parent / "done.ipynb").read_text(encoding="utf-8"))
    outputs = [o for c in done["cells"] if c["cell_type"] == "code" for o in c["outputs"]]
    assert outputs and not [o for o in outputs if o["output_type"] == "error"]

    # The start script's JupyterLab answers, offline, with the widgets extension.
    port = _free_port()
    server = subprocess.Popen(
        [
            "sh",
            "start-lab.sh",
            "--no-browser",
            f"--ServerApp.port={port}",
            "--IdentityProvider.token=kit-test",
        ],
        cwd=kit,
        env=offline | {"no_proxy": "127.0.0.1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        page = ""
        for _ in range(60):
            try:
                url = f"http://127.0.0.1:{port}/lab?token=kit-test"
                opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
                page = opener.open(url, timeout=2).read().decode()
                break
            except OSError:
                time.sleep(1)
        assert "@jupyter-widgets/jupyterlab-manager" in page  # the widgets' front end
        assert '"news":{"disabled":true}' in page.replace(" ", "")
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_a_platform_without_wheels_is_named(tmp_path):
    locked = [item for item in read_lock(LEARNER_LOCK) if item.requirement.name == "pyyaml"]
    assert locked
    with pytest.raises(KitError, match=r"no wheel of pyyaml.* platform impossible_os_x86"):
        download_wheels(locked, tmp_path, ["impossible_os_x86"], ["3.11"])


def test_trainer_kit_needs_the_handouts(tmp_path):
    with pytest.raises(KitError, match="does not exist"):
        check_handouts(tmp_path / "handouts")
    (tmp_path / "handouts").mkdir()
    with pytest.raises(KitError, match="is empty"):
        check_handouts(tmp_path / "handouts")
    (tmp_path / "handouts" / "sdg131-learner.pdf").write_bytes(b"%PDF-1.7")
    assert len(check_handouts(tmp_path / "handouts")) == 1


def test_windows_markers_are_evaluated_for_windows():
    locked = read_lock(LEARNER_LOCK)
    windows = {item.requirement.name for item in requirements_for(locked, "win_amd64", "3.12")}
    linux = {item.requirement.name for item in requirements_for(locked, this_platform(), "3.12")}
    assert "pywinpty" in windows and "pywinpty" not in linux
    assert "colorama" in windows


def pinned_versions(lock: Path) -> dict[str, set[str]]:
    versions: dict[str, set[str]] = {}
    for item in read_lock(lock):
        (specifier,) = item.requirement.specifier
        assert specifier.operator == "==", f"{lock.name}: {item.requirement} is not pinned"
        versions.setdefault(item.requirement.name.lower(), set()).add(specifier.version)
    return versions


def test_learners_get_the_versions_the_tests_ran(root):
    """Every package in both locks has the same version: learners run what CI tested."""
    tested = pinned_versions(root / "requirements.lock")
    learner = pinned_versions(LEARNER_LOCK)
    differ = {
        name: (tested[name], learner[name])
        for name in tested.keys() & learner.keys()
        if tested[name] != learner[name]
    }
    assert not differ, f"re-run `make lock` (tests ran, learners get): {differ}"
    # The library's own dependencies are all shared; JupyterLab is the learner's alone.
    assert {"pandas", "numpy", "duckdb", "splink", "narwhals"} <= learner.keys() & tested.keys()
    assert "jupyterlab" in learner.keys() - tested.keys()


def test_lab_never_overwrites_a_learners_notebook(root, tmp_path):
    written, kept = write_learner_notebooks(root / "exercises", tmp_path)
    assert written and not kept
    edited = written[0]
    edited.write_text(edited.read_text(encoding="utf-8").replace("...", "42"), encoding="utf-8")
    before = edited.read_text(encoding="utf-8")
    again, kept = write_learner_notebooks(root / "exercises", tmp_path)
    assert again == [] and len(kept) == len(written)
    assert edited.read_text(encoding="utf-8") == before


def test_the_windows_python_is_the_official_x86_64_build_and_uses_site(kit_python):
    assert pe_machine(kit_python / "python.exe") == 0x8664
    assert pe_machine(kit_python / "python313.dll") == 0x8664
    pth = (kit_python / "python313._pth").read_text(encoding="utf-8").splitlines()
    assert "import site" in pth and "#import site" not in pth
    assert "Lib\\site-packages" in pth and "python313.zip" in pth
    check_official_python(kit_python)  # no error


@pytest.mark.parametrize("name", ["python.exe", "python313.dll"])
def test_a_changed_windows_python_fails_the_check(kit_python, tmp_path, name):
    copy = tmp_path / "python"
    shutil.copytree(kit_python, copy)
    data = bytearray((copy / name).read_bytes())
    data[4096] ^= 0xFF  # one byte of code
    (copy / name).write_bytes(bytes(data))
    with pytest.raises(KitError, match=f"{name}: its content does not match its signature"):
        check_official_python(copy)


def test_a_python_not_signed_by_the_psf_fails_the_check(kit_python, tmp_path):
    copy = tmp_path / "python"
    shutil.copytree(kit_python, copy)
    (copy / "python.cat").write_bytes(b"0\x03\x02\x01\x00")
    with pytest.raises(KitError, match="python.cat: not a PKCS#7 signature"):
        check_official_python(copy)
    (copy / "python.exe").write_bytes((copy / "python.exe").read_bytes()[:4096])
    with pytest.raises(KitError, match="python.exe: no embedded signature"):
        check_official_python(copy)


def test_the_windows_kit_ships_its_python_and_pip(small_site, kit_python, wheel_cache, tmp_path):
    wheelhouse = tmp_path / "wheelhouse"
    wheelhouse.mkdir()
    pip_wheel = fetch_pip_wheel(wheel_cache)
    shutil.copy2(pip_wheel, wheelhouse)
    kit = Kit(
        html=small_site,
        out=tmp_path / "kit",
        platforms=["win_amd64"],
        pythons=[PYTHON_EMBED["python"]],
        wheelhouse=wheelhouse,
        trainer=False,
        windows_python=kit_python,
    )
    archive = build(kit)["learner"]
    with zipfile.ZipFile(archive) as kit_zip:
        kit_zip.extractall(tmp_path)
    folder = tmp_path / LEARNER_KIT
    assert pe_machine(folder / "python" / "python.exe") == 0x8664
    check_official_python(folder / "python")
    assert (folder / "wheelhouse" / pip_wheel.name).exists()
    install = (folder / "install.bat").read_text(encoding="utf-8")
    assert "python\\python.exe" in install and "--no-index" in install
    assert "wheelhouse\\pip-*-py3-none-any.whl" in install and "env\\Scripts" not in install
    assert "python\\python.exe -m coursekit.lab" in (folder / "start-lab.bat").read_text()
    assert "kit's own Python" in (folder / "README.txt").read_text(encoding="utf-8")


def test_a_windows_kit_without_the_python_it_ships_is_refused(capsys):
    assert main(["--learner-only", "--platform", "win_amd64", "--python", "3.12"]) == 1
    assert "the Windows kit ships Python 3.13" in capsys.readouterr().err


@pytest.mark.slow
def test_windows_wheelhouse_resolves(wheel_cache):
    # The Windows kit ships Python 3.13, so its wheelhouse is resolved for that version only.
    locked = read_lock(LEARNER_LOCK)
    version = PYTHON_EMBED["python"]
    assert version in DEFAULT_PYTHONS
    download_wheels(locked, wheel_cache, ["win_amd64"], [version])
    wanted = requirements_for(locked, "win_amd64", version)
    wheels = select_wheels(wheel_cache, wanted, ["win_amd64"], [version])
    names = {w.name.split("-")[0].lower() for w in wheels}
    missing = [
        i.requirement.name
        for i in wanted
        if i.requirement.name.lower().replace("-", "_") not in names
    ]
    assert missing == [], f"Python {version}: no Windows wheel for {missing}"
