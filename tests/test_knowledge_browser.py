"""The index of the knowledge base in headless Chromium, opened from disk with no network."""

from __future__ import annotations

import re

import pytest
from site_probe import CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def index(browser, built_site):
    """The index page from file://, every request to the network refused, errors recorded."""
    context = browser.new_context()
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:"))
            else route.abort()
        ),
    )
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
    page.goto((built_site / "knowledge" / "index.html").as_uri())
    yield page
    context.close()


def visible_titles(page) -> list[str]:  # noqa: ANN001
    return page.locator(".case-list > li:visible .case-title").all_inner_texts()


def test_the_index_filters_by_country_and_searches_offline(index):
    page = index
    every = page.locator(".case-list > li").count()
    assert every >= 24
    assert len(visible_titles(page)) == every
    assert page.get_by_role("search", name="Filter the cases").is_visible()

    page.get_by_label("Country").select_option("TJK")
    shown = page.locator(".case-list > li:visible")
    assert 1 <= shown.count() < every
    for i in range(shown.count()):
        assert "TJK" in shown.nth(i).get_attribute("data-country").split()
    assert f"of {every} cases are shown" in page.locator(".case-count").inner_text()

    page.get_by_label("Governance function").select_option("ict-data")
    both = page.locator(".case-list > li:visible").count()
    assert 1 <= both <= shown.count()

    page.get_by_role("button", name="Show every case").click()
    page.get_by_label("Search the cases").fill("pension agreement")
    titles = visible_titles(page)
    assert titles and all("agreement" in t.lower() for t in titles), titles
    assert any("Tajikistan and Russia" in t for t in titles)

    page.get_by_label("Search the cases").fill("no such words anywhere")
    assert visible_titles(page) == []
    assert page.locator(".case-count").inner_text().startswith("0 of")
    assert page.errors == []


def test_a_link_can_open_the_index_already_filtered(browser, built_site, index):
    page = index
    page.goto((built_site / "knowledge" / "index.html").as_uri() + "?region=south-east-asia")
    assert page.get_by_label("Region").input_value() == "south-east-asia"
    shown = page.locator(".case-list > li:visible")
    assert shown.count() >= 1
    for i in range(shown.count()):
        assert "south-east-asia" in shown.nth(i).get_attribute("data-region").split()
    assert page.errors == []


def test_the_index_fits_a_360_pixel_phone(index):
    page = index
    page.set_viewport_size({"width": 360, "height": 740})
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_tag_on_a_case_page_opens_the_filtered_index(index, built_site):
    page = index
    page.goto((built_site / "knowledge/cases/tajikistan-targeted-social-assistance.html").as_uri())
    page.locator("article dd a", has_text="Tajikistan").click()
    page.wait_for_url(re.compile(r"knowledge/index\.html\?country=TJK$"))
    assert page.get_by_label("Country").input_value() == "TJK"
    assert page.locator(".case-list > li:visible").count() >= 1
    assert page.errors == []


def test_the_book_search_finds_the_cases_offline(index, built_site):
    page = index
    page.goto((built_site / "search.html").as_uri() + "?q=pensioners")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=10_000)
    links = results.locator("a").evaluate_all("links => links.map(a => a.href)")
    assert any("knowledge/cases/" in link for link in links), links
