"""The wheelhouse: the learner lock, the targets' marker environments and their wheels.

:func:`read_lock` reads ``requirements-learner.lock``; :func:`requirements_for` evaluates
each requirement's environment markers for a target platform and Python version (pip
would evaluate them for this machine); :func:`download_wheels` fetches exactly the locked
files with ``pip download``, and :func:`select_wheels` picks those that serve the targets;
:func:`library_wheel` builds the wheel of ``socialprotection`` itself.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from packaging.markers import Marker
from packaging.requirements import Requirement

from . import ROOT, KitError


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
