"""Start JupyterLab on the learner notebooks, with nothing fetched from the internet.

``python -m coursekit.lab --folder lab --exercises exercises`` writes the learner
notebook of every exercise into ``lab/<module>/`` when it is not there yet (a learner's
edits are never overwritten), then starts JupyterLab in that folder. ``make lab`` runs
it from the learner environment; the workshop kit's ``start-lab`` scripts run it on the
kit's ``notebooks`` folder (already written) without ``--exercises``.

JupyterLab is told not to fetch news, not to check for updates, and to use the
read-only extension manager (no search of the package index); it opens the browser.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

__all__ = ["OFFLINE_OPTIONS", "write_learner_notebooks", "offline_settings", "main"]

#: JupyterLab options that keep it from reaching the internet.
OFFLINE_OPTIONS = (
    "--LabApp.news_url=None",
    "--LabApp.check_for_updates_class=jupyterlab.handlers.announcements.NeverCheckForUpdate",
    "--LabApp.extension_manager=readonly",
    "--ServerApp.ip=127.0.0.1",
)

#: Settings that switch the news and update notifications off in the user interface.
SETTINGS = {
    "@jupyterlab/apputils-extension:notification": {
        "fetchNews": "false",
        "checkForUpdates": False,
    },
}


def write_learner_notebooks(exercises: Path, folder: Path) -> tuple[list[Path], list[Path]]:
    r"""Write each exercise's learner notebook into ``folder/<module>/`` unless it exists.

    ``exercises`` is the folder of exercise sources (``exercises/<module>/<name>.md``);
    only files with a ``notebook-downloads`` block are exercises. Returns the notebooks
    written and the ones kept as they were.

    Examples
    --------
    >>> import tempfile, textwrap
    >>> text = textwrap.dedent('''\
    ...     # Demo
    ...     ```{notebook-downloads}
    ...     ```
    ...     ```{code-cell} ipython3
    ...     :tags: [learner]
    ...     answer = ...
    ...     ```
    ...     ''')
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     source = Path(tmp) / "exercises" / "demo" / "first.md"
    ...     source.parent.mkdir(parents=True)
    ...     _ = source.write_text(text)
    ...     written, kept = write_learner_notebooks(source.parents[1], Path(tmp) / "lab")
    ...     print([p.name for p in written], kept)
    ...     written, kept = write_learner_notebooks(source.parents[1], Path(tmp) / "lab")
    ...     print(written, [p.name for p in kept])
    ['demo-first-learner.ipynb'] []
    [] ['demo-first-learner.ipynb']
    """
    import nbformat

    from coursekit.notebooks import exercise_notebooks, notebook_name

    written, kept = [], []
    for source in sorted(exercises.rglob("*.md")):
        if "{notebook-downloads}" not in source.read_text(encoding="utf-8"):
            continue
        module = source.parent.name
        name = notebook_name(f"exercises/{module}/{source.stem}")
        path = folder / module / f"{name}-learner.ipynb"
        if path.exists():
            kept.append(path)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(exercise_notebooks(source)["learner"], path)
        written.append(path)
    return written, kept


def offline_settings(prefix: Path | None = None) -> Path:
    """Write JupyterLab's settings overrides (no news, no update check) into the environment.

    Returns the path of ``overrides.json`` (under ``share/jupyter/lab/settings`` of the
    environment's prefix).
    """
    folder = Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "overrides.json"
    current = json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}
    for plugin, values in SETTINGS.items():
        current.setdefault(plugin, {}).update(values)
    path.write_text(json.dumps(current, indent=2) + "\n", encoding="utf-8")
    return path


def main(argv: list[str] | None = None) -> int:
    """Write missing learner notebooks, then run JupyterLab until it is stopped."""
    parser = argparse.ArgumentParser(prog="python -m coursekit.lab", description=__doc__)
    parser.add_argument("--folder", type=Path, default=Path("lab"), help="working folder")
    parser.add_argument(
        "--exercises", type=Path, default=None, help="exercise sources to write notebooks from"
    )
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser")
    parser.add_argument(
        "--prepare-only", action="store_true", help="write notebooks and settings, do not start"
    )
    args, extra = parser.parse_known_args(argv)
    args.folder.mkdir(parents=True, exist_ok=True)
    if args.exercises is not None:
        written, kept = write_learner_notebooks(args.exercises, args.folder)
        print(
            f"{len(written)} learner notebooks written into {args.folder}, "
            f"{len(kept)} already there kept as they are"
        )
    offline_settings()
    if args.prepare_only:
        return 0
    command = [
        sys.executable,
        "-m",
        "jupyter",
        "lab",
        *OFFLINE_OPTIONS,
        f"--ServerApp.root_dir={args.folder.resolve()}",
        f"--ServerApp.open_browser={not args.no_browser}",
        *extra,
    ]
    if hasattr(os, "geteuid") and os.geteuid() == 0:  # a container or a test machine
        command.append("--ServerApp.allow_root=True")
    if os.name == "posix":  # JupyterLab takes this process's place: signals reach it
        os.execv(sys.executable, command)
    try:
        return subprocess.call(command)
    except KeyboardInterrupt:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
