"""Build the site into _build/html with every notebook executed (``make book``).

Warnings fail the build, and so does an error in any code cell.
Executed notebooks are cached in _build/.jupyter_cache, so a second build with
nothing changed only re-renders what changed and finishes in seconds.

    python tools/build_book.py           # incremental build
    python tools/build_book.py --all     # rebuild every page (shows every warning again)
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def build(root: Path = ROOT, *, rebuild_all: bool = False, builddir: Path | None = None) -> int:
    """Run Jupyter Book with warnings as errors; return its exit code."""
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
        "build",
        str(root),
        "--warningiserror",
        "--keep-going",
    ]
    if rebuild_all:
        command.append("--all")
    if builddir is not None:
        command += ["--path-output", str(builddir)]
    # Explorers render their precomputed static form, so pages load no widget scripts.
    env = {**os.environ, "COURSEKIT_STATIC_SITE": "1"}
    return subprocess.run(command, cwd=root, env=env, check=False).returncode


def main() -> int:
    start = time.perf_counter()
    code = build(rebuild_all="--all" in sys.argv)
    seconds = time.perf_counter() - start
    index = ROOT / "_build" / "html" / "index.html"
    if code != 0:
        print(f"\nBuild FAILED after {seconds:.0f} s (see the warnings or cell errors above).")
        print("Execution reports of failed notebooks are in _build/html/reports/.")
        return code
    print(f"\nBuilt in {seconds:.1f} s. Open this file in a browser:\n{index}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
