"""Refresh the vendored ipywidgets scripts in book/_static/vendor from the npm registry.

The site must work offline, so the scripts that render widget outputs on a static page
are committed to the repository instead of being loaded from a CDN.
Run this only to change their versions (needs ``npm``); the build never downloads anything.

    python tools/vendor_widget_js.py
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path

PACKAGES = {
    # npm package@version: {file inside the package: name in book/_static/vendor}
    "@jupyter-widgets/html-manager@1.0.6": {"package/dist/embed-amd.js": "embed-amd.js"},
    "requirejs@2.3.7": {"package/require.js": "require.js"},
}
VENDOR = Path(__file__).resolve().parents[1] / "book" / "_static" / "vendor"


def main() -> None:
    VENDOR.mkdir(parents=True, exist_ok=True)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        for spec, files in PACKAGES.items():
            out = subprocess.run(
                ["npm", "pack", spec, "--silent"], cwd=tmp, check=True, capture_output=True
            )
            tarball = Path(tmp) / out.stdout.decode().strip().splitlines()[-1]
            with tarfile.open(tarball) as archive:
                archive.extractall(Path(tmp) / spec.replace("/", "_"), filter="data")
                root = Path(tmp) / spec.replace("/", "_")
                dist = root / "package" / "dist"
                wanted = dict(files)
                if "html-manager" in spec:
                    # the widget stylesheet inside embed-amd.js loads these icon fonts
                    for font in dist.glob("*.woff*"):
                        wanted[str(font.relative_to(root))] = font.name
                for inner, name in wanted.items():
                    shutil.copyfile(root / inner, VENDOR / name)
                    digest = hashlib.sha256((VENDOR / name).read_bytes()).hexdigest()
                    lines.append(f"| `{name}` | `{spec}` | `{inner}` | `{digest}` |")
    table = "\n".join(sorted(lines))
    (VENDOR / "MANIFEST.md").write_text(
        "# Vendored scripts\n\n"
        "Copied from the npm registry by `python tools/vendor_widget_js.py`.\n"
        "They render ipywidgets outputs on the static site without a CDN.\n"
        "Licences: @jupyter-widgets/html-manager BSD-3-Clause; requirejs MIT;"
        " the icon fonts are Font Awesome 4 (SIL OFL 1.1).\n\n"
        "| file | npm package | path in package | sha256 |\n|---|---|---|---|\n"
        f"{table}\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
