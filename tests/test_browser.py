"""The built site in headless Chromium: no other host, no console error, works from disk."""

from __future__ import annotations

import pytest
from site_probe import CHROMIUM_ARGS, serve_directory, visit


@pytest.fixture(scope="module")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def base_url(built_site):
    with serve_directory(built_site) as url:
        yield url


def test_every_page_requests_only_its_own_host_without_errors(browser, base_url, built_site):
    # index.html only redirects to book/index.html: test_site_works_from_disk_with_search opens it.
    pages = sorted(
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if "_static" not in p.parts and p != built_site / "index.html"
    )
    assert len(pages) >= 8
    problems = {}
    for page in pages:
        result = visit(browser, base_url + page)
        foreign = result.hosts() - {base_url.rstrip("/")}
        if foreign or result.failed or result.console_errors:
            problems[page] = (sorted(foreign), result.failed, result.console_errors)
    assert problems == {}


def test_a_lesson_page_without_figures_is_under_600_kb(browser, base_url):
    """Readers on slow, costly connections: see benchmarks/page_weight.py for the figures."""
    result = visit(browser, base_url + "book/running-the-exercises.html")
    print(f"first visit: {result.total_bytes / 1000:.1f} KB in {len(result.responses)} requests")
    assert result.total_bytes < 600_000, result.by_type()


def offline_context(browser, **options):
    """A browser context in which every request to the network is refused."""
    context = browser.new_context(**options)
    context.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("file:", "data:", "blob:"))
            else route.abort()
        ),
    )
    return context


def test_site_works_from_disk_with_search(browser, built_site):
    context = offline_context(browser)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto((built_site / "index.html").as_uri())
    page.wait_for_url("**/book/index.html")
    assert "Universal social protection" in page.title()
    page.goto((built_site / "search.html").as_uri() + "?q=coverage")
    results = page.locator("#search-results li")
    results.first.wait_for(timeout=10_000)
    assert results.count() >= 2
    page.goto((built_site / "modules/sdg131/headline-coverage.html").as_uri())
    assert page.locator("figure img").evaluate("img => img.complete && img.naturalWidth > 0")
    assert page.locator(".bd-sidebar-primary a", has_text="Running the exercises").count() == 1
    assert errors == []
    context.close()


def test_dark_mode_toggle(browser, base_url):
    context = browser.new_context()
    page = context.new_page()
    page.goto(base_url + "book/index.html")
    before = page.evaluate("document.documentElement.dataset.theme")
    page.locator(".theme-switch-button").first.click()
    after = page.evaluate("document.documentElement.dataset.theme")
    assert before != after and {before, after} <= {"light", "dark"}
    context.close()


@pytest.mark.parametrize("page", ["book/index.html", "modules/sdg131/headline-coverage.html"])
def test_readable_on_a_360_pixel_phone(browser, base_url, page):
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    tab.goto(base_url + page)
    width = tab.evaluate("document.documentElement.scrollWidth")
    font = tab.evaluate(
        "parseFloat(getComputedStyle(document.querySelector('article p')).fontSize)"
    )
    assert width <= 360, "the page scrolls sideways on a phone"
    assert font >= 14
    context.close()


def test_quiz_works_offline_from_disk_and_keeps_progress(browser, built_site):
    context = offline_context(browser)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((built_site / "exercises/start/coverage-gaps.html").as_uri())
    union = page.locator("#quiz-q-union")
    feedback = union.locator(".quiz-feedback")
    union.get_by_label("Twice").check()
    union.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✘ Not yet.")
    assert "counts persons" in feedback.inner_text() or "not persons" in feedback.inner_text()
    union.get_by_label("Once").check()
    union.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✔ Correct.")

    numeric = page.locator("#quiz-q-weights")
    numeric.get_by_label("Your answer").fill("40")
    numeric.get_by_role("button", name="Check my answer").click()
    assert "simple average" in numeric.locator(".quiz-feedback").inner_text()

    # keyboard only: focus the first option, choose it with Space, submit with Enter
    effective = page.locator("#quiz-q-effective")
    effective.locator("input").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")  # leaves the radio group for the button
    assert page.evaluate("document.activeElement.className") == "quiz-check"
    page.keyboard.press("Enter")
    assert effective.locator(".quiz-feedback").inner_text().startswith("✔ Correct.")

    page.reload()
    assert feedback.inner_text().startswith("✔ Correct.")
    assert union.get_by_label("Once").is_checked()
    assert "2 of 3 questions" in page.locator(".quiz-progress").inner_text()
    assert errors == []
    context.close()


def test_assessment_quiz_works_offline_from_disk(browser, built_site):
    """The quiz of the module on institutional assessment: numeric and choice, from disk."""
    context = offline_context(browser)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto((built_site / "modules/assessment/quiz.html").as_uri())
    length = page.locator("#quiz-q-aq-length")
    feedback = length.locator(".quiz-feedback")
    length.get_by_label("Your answer").fill("15")
    length.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✘ Not yet.")
    assert "adds all four durations" in feedback.inner_text()
    length.get_by_label("Your answer").fill("12")
    length.get_by_role("button", name="Check my answer").click()
    assert feedback.inner_text().startswith("✔ Correct.")

    overlap = page.locator("#quiz-q-aq-overlap")
    overlap.locator("input").first.check()
    overlap.get_by_role("button", name="Check my answer").click()
    assert overlap.locator(".quiz-feedback").inner_text().startswith("✔ Correct.")

    page.reload()
    assert feedback.inner_text().startswith("✔ Correct.")
    assert "2 of 10 questions" in page.locator(".quiz-progress").inner_text()
    assert errors == []
    context.close()
