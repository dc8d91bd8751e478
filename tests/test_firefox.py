"""The notebook links of a copied site opened from disk save files in Firefox too.

Playwright cannot drive Debian's Firefox ESR (it needs its own patched build), so this
drives it through Firefox's own remote protocol, Marionette, with Mozilla's Python client.
The Chromium side is ``test_notebook_links_save_the_notebooks_from_disk`` in test_browser.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from pathlib import Path

# Firefox downloads into this folder without asking, and never opens a notebook itself.
PREFS = {
    "browser.download.folderList": 2,
    "browser.download.useDownloadDir": True,
    "browser.download.always_ask_before_handling_new_types": False,
    "browser.download.start_downloads_in_tmp_dir": False,
    "browser.download.alwaysOpenPanel": False,
    "browser.download.panel.shown": True,
    "browser.helperApps.neverAsk.saveToDisk": (
        "application/x-ipynb+json,application/json,application/octet-stream"
    ),
    "pdfjs.disabled": True,
    # A quiet first start: no first-run pages, no updates, no reports, no network.
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "browser.startup.page": 0,
    "startup.homepage_welcome_url": "about:blank",
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "browser.safebrowsing.downloads.enabled": False,
    "browser.safebrowsing.malware.enabled": False,
    "browser.safebrowsing.phishing.enabled": False,
    "extensions.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def saved_file(path: Path, timeout: float = 20.0) -> dict:
    """Wait until Firefox has finished writing ``path``, and return the notebook it holds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        partial = path.with_name(path.name + ".part")
        if path.exists() and not partial.exists():
            try:
                return json.loads(path.read_text(encoding="utf-8"))
            except (json.JSONDecodeError, UnicodeDecodeError):
                pass  # still being written
        time.sleep(0.2)
    found = sorted(p.name for p in path.parent.iterdir())
    raise AssertionError(f"Firefox saved no {path.name}; the download folder holds {found}")


def test_notebook_links_save_the_notebooks_from_disk_in_firefox(firefox, built_site, tmp_path):
    """From a copied site opened with file://, both links save a notebook, not show it."""
    from marionette_driver.by import By
    from marionette_driver.marionette import Marionette

    profile = tmp_path / "profile"
    downloads = tmp_path / "downloads"
    profile.mkdir()
    downloads.mkdir()
    port = free_port()
    prefs = {**PREFS, "marionette.port": port, "browser.download.dir": str(downloads)}
    (profile / "user.js").write_text(
        "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in prefs.items()),
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [firefox, "--headless", "--marionette", "--no-remote", "--profile", str(profile)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "MOZ_HEADLESS": "1"},
    )
    client = Marionette(host="127.0.0.1", port=port)
    try:
        client.raise_for_port(timeout=60)
        client.start_session()
        client.timeout.page_load = 30
        page = (built_site / "exercises/sdg131/weighted-headline.html").as_uri()
        client.navigate(page)
        folder = built_site / "_notebooks/exercises/sdg131"
        for name, kind in (("learner notebook", "learner"), ("answer key", "answer-key")):
            link = client.find_element(By.PARTIAL_LINK_TEXT, f"Download the {name}")
            link.click()
            expected = f"sdg131-weighted-headline-{kind}.ipynb"
            original = json.loads((folder / expected).read_text(encoding="utf-8"))
            assert saved_file(downloads / expected) == original
        assert client.get_url() == page, "the page was left for the notebook"
        assert len(client.window_handles) == 1, "a notebook was opened in a new tab"
        client.delete_session()
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
