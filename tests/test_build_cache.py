"""Parallel build processes share one execution cache without reading a half-stored notebook.

Pages whose code cells are the same (every page of prose alone, for one) share one record of
jupyter-cache, which each of them replaces when it runs.
Storing is two steps, a database record and then the notebook file: a process reading between
the two failed the build in CI ("Notebook file does not exist for cache record").
Here one process stores such a notebook with its file written one second late, while another
reads the record back.
"""

from __future__ import annotations

import multiprocessing
import os
import pathlib
import subprocess
import sys
import time

import nbformat
import pytest
from build_book import serialise_jupyter_cache
from jupyter_cache.base import CacheBundleIn
from jupyter_cache.cache.main import JupyterCacheBase

pytestmark = pytest.mark.skipif(os.name != "posix", reason="Sphinx builds in parallel on POSIX")

KERNEL = {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}


def prose_page(title: str) -> nbformat.NotebookNode:
    """A page without code: its hash in the cache is the same as every other such page."""
    return nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_markdown_cell(f"# {title}")], metadata=KERNEL
    )


def store_slowly(cache_folder: str, record_written: multiprocessing.Event) -> None:
    """Store a second prose page, writing its notebook file one second after its record."""
    write_text = pathlib.Path.write_text

    def late_write(self, *args, **kwargs):
        if self.name == "base.ipynb":
            record_written.set()
            time.sleep(1.0)
        return write_text(self, *args, **kwargs)

    pathlib.Path.write_text = late_write
    JupyterCacheBase(cache_folder).cache_notebook_bundle(
        CacheBundleIn(prose_page("Second page"), "second.md"),
        check_validity=False,
        overwrite=True,
    )


def read_while_another_stores(cache_folder: pathlib.Path) -> nbformat.NotebookNode:
    """Store one prose page, then read it back while another process replaces its record."""
    cache = JupyterCacheBase(str(cache_folder))
    first = prose_page("First page")
    cache.cache_notebook_bundle(
        CacheBundleIn(first, "first.md"), check_validity=False, overwrite=True
    )
    fork = multiprocessing.get_context("fork")
    record_written = fork.Event()
    writer = fork.Process(target=store_slowly, args=(str(cache_folder), record_written))
    writer.start()
    try:
        assert record_written.wait(timeout=30), "the second page was never stored"
        _, merged = cache.merge_match_into_notebook(first)
    finally:
        writer.join(timeout=30)
    assert writer.exitcode == 0
    return merged


def test_unserialised_cache_shows_the_race(tmp_path):
    """The setting reproduces the failure seen in CI when nothing orders the two processes."""
    with pytest.raises(KeyError, match="Notebook file does not exist for cache record"):
        read_while_another_stores(tmp_path / "cache")


def test_serialised_cache_waits_for_the_notebook_file(tmp_path, monkeypatch):
    for name in ("cache_notebook_bundle", "merge_match_into_notebook"):
        monkeypatch.setattr(JupyterCacheBase, name, getattr(JupyterCacheBase, name))
    serialise_jupyter_cache()
    serialise_jupyter_cache()  # a second call wraps nothing twice (the lock is not re-entrant)
    assert JupyterCacheBase.merge_match_into_notebook.__wrapped__.__name__ == (
        "merge_match_into_notebook"
    )
    start = time.perf_counter()
    merged = read_while_another_stores(tmp_path / "cache")
    assert time.perf_counter() - start >= 0.9, "the reader did not wait for the writer"
    assert [cell.source for cell in merged.cells] == ["# First page"]
    assert (tmp_path / "cache.lock").exists()


def test_the_build_command_serialises_the_cache(root):
    """The process that runs Jupyter Book is prepared with the lock."""
    script = (
        f"import sys; sys.path.insert(0, {str(root / 'tools')!r})\n"
        "from build_book import prepare_parallel_build\n"
        "prepare_parallel_build()\n"
        "from jupyter_cache.cache.main import JupyterCacheBase as Cache\n"
        "assert Cache.cache_notebook_bundle.serialised\n"
        "assert Cache.merge_match_into_notebook.serialised\n"
    )
    env = {**os.environ, "SP_BUILD_JOBS": "2"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
