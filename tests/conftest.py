"""Shared fixtures: the repository paths, one build of the book per session, Debian programs.

The programs some tests drive: Chromium, Firefox ESR and poppler-utils; ``.ci/run`` installs them.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from build_book import build  # noqa: E402
from site_probe import chromium_path, firefox_path  # noqa: E402


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Build every page from scratch, with warnings as errors, into a temporary folder.

    ``SP_BUILT_SITE=<folder>`` uses a site built just before instead (``.ci/run`` builds
    ``_build/html`` from a fresh clone with ``make book``, also with warnings as errors),
    so that CI executes every notebook once and not twice.
    """
    prebuilt = os.environ.get("SP_BUILT_SITE")
    if prebuilt:
        html = Path(prebuilt).resolve()
        assert (html / "index.html").exists(), f"SP_BUILT_SITE={prebuilt} holds no built site"
        assert html.parent.name == "_build", f"SP_BUILT_SITE={prebuilt} is not a _build/html"
        return html
    out = tmp_path_factory.mktemp("book")
    code = build(ROOT, rebuild_all=True, builddir=out)
    assert code == 0, "the book build failed: see the warnings or cell errors above"
    html = out / "_build" / "html"
    assert (html / "index.html").exists()
    return html


def installed(path: str | None, package: str) -> str:
    """Return ``path``; if None, fail in CI (``.ci/run`` installs ``package``), else skip."""
    if path is None:
        message = f"{package} is not installed (apt-get install {package}); .ci/run installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return path


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of Debian's Chromium. Missing is a failure in CI and a skip elsewhere."""
    return installed(chromium_path(), "chromium")


@pytest.fixture(scope="session")
def firefox() -> str:
    """Path of Debian's Firefox ESR. Missing is a failure in CI and a skip elsewhere."""
    return installed(firefox_path(), "firefox-esr")


@pytest.fixture(scope="session")
def poppler() -> None:
    """poppler-utils (pdftotext, pdfinfo): missing is a failure in CI and a skip elsewhere."""
    for program in ("pdftotext", "pdfinfo"):
        installed(shutil.which(program), "poppler-utils")


@pytest.fixture(scope="session")
def spark_session(tmp_path_factory: pytest.TempPathFactory):
    """One local Spark session for every slow Spark test of the run.

    A Java virtual machine starts once per process, and a second session created after
    ``stop()`` would not load splink's similarity functions (``spark.jars``): so every test
    shares this one, which carries them.
    """
    pytest.importorskip("pyspark")
    from pyspark.sql import SparkSession

    builder = (
        SparkSession.builder.master("local[2]")
        .appName("socialprotection-tests")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
    )
    try:
        from splink.backends.spark import similarity_jar_location
    except ImportError:  # splink is an extra: the engine tests run without it
        pass
    else:
        builder = builder.config("spark.jars", similarity_jar_location())
    spark = builder.getOrCreate()
    spark.sparkContext.setCheckpointDir(str(tmp_path_factory.mktemp("spark-checkpoints")))
    yield spark
    spark.stop()
