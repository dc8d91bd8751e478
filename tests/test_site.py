"""The built site: pages, offline assets, links, anchors, headings and alt text."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

LOADING_LINK_RELS = {"stylesheet", "icon", "preload", "modulepreload", "prefetch", "manifest"}
EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)


def pages(html: Path) -> list[Path]:
    return sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_expected_pages_exist(built_site):
    for page in [
        "index.html",
        "book/index.html",
        "book/running-the-exercises.html",
        "modules/sdg131/headline-coverage.html",
        "search.html",
        "searchindex.js",
    ]:
        assert (built_site / page).exists(), page


def test_landing_page_numbers_come_from_the_data(built_site):
    import socialprotection as sp

    text = " ".join(soup(built_site / "book/index.html").get_text(" ").split())
    for code in ["TJK", "LAO"]:
        latest = sp.headline_coverage([code]).iloc[-1]
        assert f"{latest['coverage_pct']:.1f} percent" in text
        assert f"{100 - latest['coverage_pct']:.1f} percent" in text


def test_lesson_has_a_figure_with_alt_text_and_caption(built_site):
    page = soup(built_site / "modules/sdg131/headline-coverage.html")
    figure = page.find("figure", id="fig-headline-coverage")
    assert figure is not None
    image = figure.find("img")
    assert len(image.get("alt", "")) > 100
    assert "SDG indicator 1.3.1" in figure.find("figcaption").get_text()


def external_assets(html: Path) -> list[str]:
    found = []
    for path in pages(html):
        page = soup(path)
        for tag in page.find_all(src=True):
            if EXTERNAL.match(tag["src"]):
                found.append(f"{path.name}: <{tag.name} src={tag['src']}>")
        for tag in page.find_all("link", href=True):
            if LOADING_LINK_RELS & set(tag.get("rel", [])) and EXTERNAL.match(tag["href"]):
                found.append(f"{path.name}: <link href={tag['href']}>")
        for tag in page.find_all(["script", "style"]):
            for url in re.findall(r"https?://[^\s\"'<>)]+", tag.string or ""):
                found.append(f"{path.name}: inline <{tag.name}> uses {url}")
    for css in html.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(
            r"(?:url\(\s*['\"]?|@import\s+['\"])((?:https?:)?//[^'\")\s]+)", text
        ):
            found.append(f"{css.name}: {url}")
    return found


def test_no_page_loads_anything_from_another_host(built_site):
    assert external_assets(built_site) == []


def test_the_external_asset_check_can_fail(tmp_path):
    (tmp_path / "a.html").write_text(
        '<html><head><script src="https://cdn.example.org/x.js"></script>'
        '<link rel="stylesheet" href="//fonts.example.org/f.css"></head></html>'
    )
    (tmp_path / "s.css").write_text("@font-face{src:url(https://fonts.example.org/f.woff2)}")
    assert len(external_assets(tmp_path)) == 3


def broken_links(html: Path) -> list[str]:
    ids: dict[Path, set[str]] = {}

    def anchors(path: Path) -> set[str]:
        if path not in ids:
            page = soup(path)
            ids[path] = {t["id"] for t in page.find_all(id=True)} | {
                t["name"] for t in page.find_all("a", attrs={"name": True})
            }
        return ids[path]

    broken = []
    for path in pages(html):
        page = soup(path)
        refs = [(t.name, t["href"]) for t in page.find_all(href=True)]
        refs += [(t.name, t["src"]) for t in page.find_all(src=True)]
        for tag, ref in refs:
            if EXTERNAL.match(ref) or ref.startswith(("mailto:", "javascript:", "data:")):
                continue
            parts = urlsplit(ref)
            target = (path.parent / unquote(parts.path)).resolve() if parts.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(html)}: <{tag}> {ref} (no file)")
            elif parts.fragment and target.suffix == ".html":
                if unquote(parts.fragment) not in anchors(target):
                    broken.append(f"{path.relative_to(html)}: <{tag}> {ref} (no anchor)")
    return broken


def test_every_internal_link_and_anchor_resolves(built_site):
    assert broken_links(built_site) == []


def test_the_link_check_can_fail(tmp_path):
    (tmp_path / "b.html").write_text('<p id="here">x</p>')
    (tmp_path / "a.html").write_text(
        '<a href="b.html#here">ok</a><a href="b.html#gone">bad</a><a href="c.html">bad</a>'
    )
    assert len(broken_links(tmp_path)) == 2


@pytest.mark.parametrize(
    "page",
    [
        "book/index.html",
        "book/running-the-exercises.html",
        "modules/sdg131/headline-coverage.html",
        "book/glossary.html",
    ],
)
def test_headings_are_in_order_and_images_have_alt_text(built_site, page):
    main = soup(built_site / page).find("article")
    levels = [int(h.name[1]) for h in main.find_all(re.compile(r"^h[1-6]$"))]
    assert levels[0] == 1 and levels.count(1) == 1
    for before, after in zip(levels, levels[1:], strict=False):
        assert after <= before + 1, f"{page}: h{before} followed by h{after}"
    for image in main.find_all("img"):
        assert image.get("alt", "").strip(), f"{page}: image {image.get('src')} has no alt text"


def test_a_second_build_with_nothing_changed_succeeds_and_changes_nothing(built_site, root):
    from build_book import build

    def snapshot():
        return {
            p.relative_to(built_site): p.read_bytes()
            for p in (built_site / "_static").rglob("*")
            if p.is_file()
        }

    before = snapshot()
    assert build(root, builddir=built_site.parent.parent) == 0
    after = snapshot()
    changed = sorted(str(k) for k in before.keys() | after.keys() if before.get(k) != after.get(k))
    assert changed == []


def test_explorer_selectors_have_plain_labels(built_site):
    """Each selector of a what-if explorer is named in words, not by a variable name."""
    found = 0
    for page in pages(built_site):
        text = page.read_text(encoding="utf-8")
        if "explorer-static" not in text:
            continue
        for label in soup(page).select(".explorer-static label"):
            select = label.find("select")
            words = "".join(s for s in label.strings if s.parent is label).strip()
            found += 1
            assert select is not None, (page.name, words)
            assert words and "_" not in words and words != select["data-name"], (page.name, words)
    assert found >= 8, "every explorer of the book has labelled selectors"
