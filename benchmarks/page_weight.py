"""Print what a first visit to pages of the built site transfers.

Run with ``make bench`` after ``make book``.
Each page is loaded in headless Chromium with an empty cache from a local server on 127.0.0.1;
the figure is the sum of all response bodies (the server does not compress).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_probe import CHROMIUM_ARGS, chromium_path, serve_directory, visit  # noqa: E402

HTML = ROOT / "_build" / "html"
PAGES = {
    "lesson (no figure): running the exercises": "book/running-the-exercises.html",
    "landing page": "book/index.html",
    "lesson with figure: SDG 1.3.1 headline": "modules/sdg131/headline-coverage.html",
    "exercise with quiz and explorer": "exercises/start/coverage-gaps.html",
    "module quiz": "modules/sdg131/quiz.html",
    "library reference": "book/api.html",
}
BUDGET_KB = 600


def main() -> int:
    """Measure each page and print a table; exit 1 when the lesson page is over budget."""
    from playwright.sync_api import sync_playwright

    executable = chromium_path()
    if executable is None:
        print("Chromium not found: install Debian's chromium (apt-get install chromium).")
        return 2
    if not (HTML / "index.html").exists():
        print("No built site: run `make book` first.")
        return 2
    over = False
    with serve_directory(HTML) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        print(f"{'page':45} {'requests':>8} {'KB':>8}  largest types")
        for label, path in PAGES.items():
            result = visit(browser, base + path)
            kinds = ", ".join(f"{k} {v / 1000:.0f}" for k, v in list(result.by_type().items())[:4])
            kb = result.total_bytes / 1000
            print(f"{label:45} {len(result.responses):8d} {kb:8.1f}  {kinds}")
            if path == PAGES["lesson (no figure): running the exercises"] and kb > BUDGET_KB:
                over = True
            foreign = result.hosts() - {base.rstrip("/")}
            if foreign:
                print(f"  requests to other hosts: {sorted(foreign)}")
        browser.close()
    print(f"budget for a lesson page without figures: {BUDGET_KB} KB (1 KB = 1000 bytes)")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
