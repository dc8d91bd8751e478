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

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def build(root: Path = ROOT, *, rebuild_all: bool = False, builddir: Path | None = None) -> int:
    """Run Jupyter Book with warnings as errors; return its exit code.

    With ``builddir``, the output and the execution cache both go there, so that
    several builds can run at the same time.
    """
    command = [
        str(Path(sys.executable).parent / "jupyter-book"),
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
