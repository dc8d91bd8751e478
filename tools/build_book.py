"""Build the site into _build/html with every notebook executed (``make book``).

Warnings fail the build, and so does an error in any code cell.
Executed notebooks are cached in _build/.jupyter_cache, so a second build with
nothing changed only re-renders what changed and finishes in seconds.

    python tools/build_book.py                 # incremental build into _build/html
    python tools/build_book.py --all           # rebuild every page (shows every warning again)
    python tools/build_book.py --output DIR    # full build into DIR/_build/html, with its own
                                               # execution cache (safe beside another build)
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


# Jupyter Book 1 has no option for Sphinx's parallel jobs: its command line runs in a child
# process that first calls ``prepare_parallel_build``, so that notebooks are read and executed
# by several processes at once.
_PARALLEL_JUPYTER_BOOK = """
import sys
sys.path.insert(0, {tools!r})
from build_book import prepare_parallel_build
from jupyter_book.cli.main import main

prepare_parallel_build()
sys.argv[0] = "jupyter-book"
sys.exit(main())
"""


def prepare_parallel_build() -> None:
    """Patch Jupyter Book and its extensions for a parallel build, in this process only.

    - Sphinx gets ``SP_BUILD_JOBS`` processes.
    - Every extension declares itself safe for parallel reading except
      sphinx-multitoc-numbering (loaded by sphinx-external-toc), which declares nothing: it
      only replaces how section numbers are assigned after reading, in the main process, so
      it is declared safe here (else Sphinx warns, and reads in one process).
    - The execution cache is read and written by one process at a time
      (``serialise_jupyter_cache``).
    """
    import jupyter_book.sphinx
    import sphinx_multitoc_numbering

    multitoc_setup = sphinx_multitoc_numbering.setup

    def parallel_safe_multitoc_setup(app):
        multitoc_setup(app)
        return {"parallel_read_safe": True, "parallel_write_safe": True}

    sphinx_multitoc_numbering.setup = parallel_safe_multitoc_setup

    build_sphinx = jupyter_book.sphinx.build_sphinx

    def build_sphinx_with_jobs(*args, **kwargs):
        kwargs["jobs"] = int(os.environ["SP_BUILD_JOBS"])
        return build_sphinx(*args, **kwargs)

    jupyter_book.sphinx.build_sphinx = build_sphinx_with_jobs
    serialise_jupyter_cache()


def serialise_jupyter_cache() -> None:
    """Let one process at a time store an executed notebook in the cache or read one back.

    jupyter-cache stores a notebook in two steps: a database record, then the notebook file.
    Pages whose code cells are the same (every page without code, for one) share one record,
    which each of them replaces when it is executed: a parallel reader could find the new record
    before its file was written and fail with "Notebook file does not exist for cache record"
    (seen in CI with three pages of prose).
    A lock on a file beside the cache folder makes both steps one, seen from the other processes.
    Sphinx builds in parallel only on POSIX systems (it forks), where ``fcntl`` exists.
    """
    try:
        import fcntl
    except ImportError:  # Windows: Sphinx reads in one process, so there is nothing to order.
        return
    from jupyter_cache.cache.main import JupyterCacheBase

    def locked(method):
        if getattr(method, "serialised", False):
            return method

        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            folder = Path(self.path)
            with open(folder.with_name(folder.name + ".lock"), "a") as handle:
                fcntl.flock(handle, fcntl.LOCK_EX)
                try:
                    return method(self, *args, **kwargs)
                finally:
                    fcntl.flock(handle, fcntl.LOCK_UN)

        wrapper.serialised = True
        return wrapper

    # The two public steps myst-nb calls; neither calls the other, so the lock is never nested.
    for name in ("cache_notebook_bundle", "merge_match_into_notebook"):
        setattr(JupyterCacheBase, name, locked(getattr(JupyterCacheBase, name)))


def build_jobs() -> int:
    """Processes that read and execute pages: ``SP_BUILD_JOBS``, or one per core up to 4."""
    value = os.environ.get("SP_BUILD_JOBS", str(min(os.cpu_count() or 1, 4)))
    if not value.isdigit() or int(value) < 1:
        raise SystemExit(f"SP_BUILD_JOBS must be a whole number of at least 1, not {value!r}")
    return int(value)


def build(root: Path = ROOT, *, rebuild_all: bool = False, builddir: Path | None = None) -> int:
    """Run Jupyter Book with warnings as errors; return its exit code.

    With ``builddir``, the output and the execution cache both go there, so that
    several builds can run at the same time.
    """
    command = [
        sys.executable,
        "-c",
        _PARALLEL_JUPYTER_BOOK.format(tools=str(Path(__file__).resolve().parent)),
        "build",
        str(root),
        "--warningiserror",
        "--keep-going",
    ]
    if rebuild_all:
        command.append("--all")
    # Explorers render their precomputed static form, so pages load no widget scripts.
    # Every chart records its smallest text, for the test of label sizes on phones.
    env = {
        **os.environ,
        "COURSEKIT_STATIC_SITE": "1",
        "MATPLOTLIBRC": str(root / "book" / "matplotlibrc"),
        "SP_BUILD_JOBS": str(build_jobs()),
    }
    if builddir is None:
        return subprocess.run(command, cwd=root, env=env, check=False).returncode
    builddir.mkdir(parents=True, exist_ok=True)
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    config["execute"]["cache"] = str(builddir / "_build" / ".jupyter_cache")
    # The configuration stays beside _config.yml, so that its relative paths still hold.
    with tempfile.NamedTemporaryFile(
        "w", prefix=".build-config-", suffix=".yml", dir=root, delete=False
    ) as handle:
        yaml.safe_dump(config, handle, sort_keys=False)
    command += ["--path-output", str(builddir), "--config", handle.name]
    try:
        return subprocess.run(command, cwd=root, env=env, check=False).returncode
    finally:
        Path(handle.name).unlink()


def main() -> int:
    args = sys.argv[1:]
    builddir = Path(args[args.index("--output") + 1]).resolve() if "--output" in args else None
    start = time.perf_counter()
    code = build(rebuild_all="--all" in args, builddir=builddir)
    seconds = time.perf_counter() - start
    index = (builddir or ROOT) / "_build" / "html" / "index.html"
    if code != 0:
        print(f"\nBuild FAILED after {seconds:.0f} s (see the warnings or cell errors above).")
        print("Execution reports of failed notebooks are in _build/html/reports/.")
        return code
    print(f"\nBuilt in {seconds:.1f} s. Open this file in a browser:\n{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
