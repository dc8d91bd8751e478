"""Print what pages of the built site transfer, on a first visit and as a second page.

Run with ``make bench`` after ``make book``.
Each page is loaded in headless Chromium from a local server on 127.0.0.1 that does not
compress. A first visit starts with an empty cache and counts every response body. A
second page is opened after the landing page in the same browser, and counts the bodies
that the server sent for it (what the browser kept in its cache costs nothing).

The browser window is 1280 by 720 pixels; pictures load when they come near the screen
(``loading="lazy"``), so the charts further down a page are not counted until a
reader scrolls to them.

Every lesson, exercise and quiz page (in ``modules/`` and ``exercises/``) is measured,
then the worst page of each kind is named. Budgets for readers on slow, costly
connections: at most 600 KiB on a first visit and 100 KiB as a second page. The exit
status is 1 when a page is over either budget, and every such page is named.
"""

from __future__ import annotations

import re
import sys
from html import unescape
from pathlib import Path
from urllib.parse import unquote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_probe import (  # noqa: E402
    CHROMIUM_ARGS,
    PageVisit,
    chromium_path,
    serve_directory,
    visit,
)

HTML = ROOT / "_build" / "html"
OTHER_PAGES = {"landing page": "book/index.html", "library reference": "book/api.html"}
FIRST_VISIT_KIB = 600
SECOND_PAGE_KIB = 100
KIB = 1024


def lesson_and_exercise_pages(html: Path = HTML) -> list[str]:
    """Every built page of a module or an exercise, as a path relative to the site."""
    return sorted(
        page.relative_to(html).as_posix()
        for folder in ("modules", "exercises")
        for page in (html / folder).rglob("*.html")
    )


_LOADED = re.compile(r"<(script|link|img|source|video|audio|iframe|embed)\b([^>]*)>", re.I)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)["']?\s*\)|@import\s+["']([^"']+)""")
_LOADING_RELS = {"stylesheet", "preload", "modulepreload", "icon", "manifest"}


def _local(value: str, folder: Path, html: Path) -> Path | None:
    value = unescape(value).strip()
    if not value or re.match(r"^(?:[a-z][a-z0-9+.-]*:|//|#)", value, re.I):
        return None
    path = (folder / unquote(urlsplit(value).path)).resolve()
    return path if path.is_file() and html in path.parents else None


def _loaded_files(page: Path, html: Path) -> set[Path]:
    """Files that opening ``page`` can load: an upper bound of what a browser fetches.

    Scripts, stylesheets, preloads, icons, pictures (``src`` and every ``srcset`` entry;
    the pictures of an explorer's other scenarios, in ``data-src``, load only when
    chosen), and every ``url()`` of the stylesheets loaded (fonts that a browser fetches
    only when a glyph needs them count too).
    """
    text = page.read_text(encoding="utf-8")
    found: set[Path] = set()
    for tag, attributes in _LOADED.findall(text):
        attrs = {k.lower(): a if a else b for k, a, b in _ATTR.findall(attributes)}
        values = [attrs.get("src", ""), attrs.get("poster", "")]
        if tag.lower() == "link":
            if _LOADING_RELS & set(attrs.get("rel", "").lower().split()):
                values.append(attrs.get("href", ""))
        values += [part.split()[0] for part in attrs.get("srcset", "").split(",") if part.split()]
        found |= {f for v in values if v and (f := _local(v, page.parent, html)) is not None}
    for value in re.findall(r"<style[^>]*>(.*?)</style>", text, re.S):
        for a, b in _CSS_URL.findall(value):
            if (f := _local(a or b, page.parent, html)) is not None:
                found.add(f)
    queue = [f for f in found if f.suffix == ".css"]
    while queue:
        css = queue.pop()
        for a, b in _CSS_URL.findall(css.read_text(encoding="utf-8", errors="replace")):
            f = _local(a or b, css.parent, html)
            if f is not None and f not in found:
                found.add(f)
                if f.suffix == ".css":
                    queue.append(f)
    return found


def estimated_weights(html: Path = HTML) -> dict[str, tuple[int, int]]:
    """First-visit and second-page bytes of every lesson, exercise and quiz page, from the files.

    No browser: the page's HTML and every file it can load (see ``_loaded_files``); as a
    second page, without what the landing page loaded already. An upper bound of what
    Chromium fetches (it fetches no font that no glyph needs, and pictures marked
    ``loading="lazy"`` only near the screen), and fast enough for the tests.
    """
    html = html.resolve()
    landing = _loaded_files(html / OTHER_PAGES["landing page"], html)
    weights = {}
    for path in lesson_and_exercise_pages(html):
        page = html / path
        files = _loaded_files(page, html)
        own = page.stat().st_size
        weights[path] = (
            own + sum(f.stat().st_size for f in files),
            own + sum(f.stat().st_size for f in files - landing),
        )
    return weights


def second_page_bytes(browser, base: str, served: list[int], path: str) -> int:  # noqa: ANN001
    """Bytes the server sends for ``path`` opened after the landing page."""
    context = browser.new_context()
    page = context.new_page()
    page.goto(base + OTHER_PAGES["landing page"], wait_until="networkidle")
    served.clear()
    page.goto(base + path, wait_until="networkidle")
    page.wait_for_timeout(300)
    total = sum(served)
    context.close()
    return total


def weigh(browser, base: str, served: list[int], path: str) -> tuple[int, int, PageVisit]:  # noqa: ANN001
    """Return the first-visit bytes, the second-page bytes and the first visit of ``path``."""
    result = visit(browser, base + path)
    return result.total_bytes, second_page_bytes(browser, base, served, path), result


def over_budget(first: int, second: int) -> list[str]:
    """Name the budgets that a page of ``first`` and ``second`` bytes is over."""
    over = []
    if first > FIRST_VISIT_KIB * KIB:
        over.append(f"first visit {first / KIB:.1f} KiB > {FIRST_VISIT_KIB} KiB")
    if second > SECOND_PAGE_KIB * KIB:
        over.append(f"second page {second / KIB:.1f} KiB > {SECOND_PAGE_KIB} KiB")
    return over


def main(argv: list[str] | None = None) -> int:
    """Measure each page and print a table; exit 1 when a page is over either budget."""
    import argparse

    from playwright.sync_api import sync_playwright

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--largest",
        type=int,
        metavar="N",
        help="measure only the N pages that the files make heaviest (a quick check; "
        "tests/test_site_weight.py estimates every page from the files)",
    )
    args = parser.parse_args(argv)

    executable = chromium_path()
    if executable is None:
        print("Chromium not found: install Debian's chromium (apt-get install chromium).")
        return 2
    if not (HTML / "index.html").exists():
        print("No built site: run `make book` first.")
        return 2
    pages = lesson_and_exercise_pages()
    estimates = estimated_weights()
    if args.largest is not None:
        heaviest = sorted(pages, key=lambda p: estimates[p], reverse=True)[: args.largest]
        print(f"the {len(heaviest)} heaviest of {len(pages)} pages by their files (--largest)")
        pages = [p for p in pages if p in heaviest]
    served: list[int] = []
    over: dict[str, list[str]] = {}
    worst = {"first": (0, ""), "second": (0, "")}
    with serve_directory(HTML, served) as base, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        print(
            f"{'page':52} {'requests':>8} {'first KiB':>9} {'second KiB':>10} "
            f"{'scrolled':>8}  largest types"
        )
        for label, path in [(p, p) for p in pages] + [(k, v) for k, v in OTHER_PAGES.items()]:
            first, second, result = weigh(browser, base, served, path)
            kinds = ", ".join(f"{k} {v / KIB:.0f}" for k, v in list(result.by_type().items())[:3])
            flag = ""
            if path in pages:
                worst["first"] = max(worst["first"], (first, path))
                worst["second"] = max(worst["second"], (second, path))
                if over_budget(first, second):
                    over[path] = over_budget(first, second)
                    flag = "  OVER: " + "; ".join(over[path])
            scrolled = f"{estimates[path][1] / KIB:8.1f}" if path in estimates else f"{'':8}"
            print(
                f"{label:52} {len(result.responses):8d} {first / KIB:9.1f} "
                f"{second / KIB:10.1f} {scrolled}  {kinds}{flag}"
            )
            foreign = result.hosts() - {base.rstrip("/")}
            if foreign:
                print(f"  requests to other hosts: {sorted(foreign)}")
        browser.close()
    print(
        f"{len(pages)} lesson, exercise and quiz pages; budgets: {FIRST_VISIT_KIB} KiB on a "
        f"first visit, {SECOND_PAGE_KIB} KiB as a second page (1 KiB = 1024 bytes)"
    )
    print(
        "scrolled: the second page with every picture, once a reader has scrolled to the end "
        "(estimated from the files: an upper bound)"
    )
    print(f"worst first visit: {worst['first'][1]} ({worst['first'][0] / KIB:.1f} KiB)")
    print(f"worst second page: {worst['second'][1]} ({worst['second'][0] / KIB:.1f} KiB)")
    for path, reasons in over.items():
        print(f"OVER THE BUDGET: {path}: " + "; ".join(reasons))
    if not over:
        print("every page is within both budgets")
    return 1 if over else 0


if __name__ == "__main__":
    sys.exit(main())
