"""The built site in headless Chromium: no other host, no console error, works from disk."""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

import pytest
from site_probe import CHROMIUM_ARGS, serve_directory, sweep, visit


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


def test_every_page_requests_only_its_own_host_without_errors(chromium, base_url, built_site):
    # index.html only redirects to book/index.html: test_site_works_from_disk_with_search opens it.
    pages = site_pages(built_site)
    assert len(pages) >= 8
    own = base_url.rstrip("/")

    async def requests(browser, url: str) -> tuple[set, list, list]:
        """Load ``url`` in a fresh context (an empty cache): hosts, failures, errors."""
        context = await browser.new_context()
        tab = await context.new_page()
        hosts, failed, errors = set(), [], []
        tab.on("request", lambda r: hosts.add("{0.scheme}://{0.netloc}".format(urlsplit(r.url))))
        tab.on("response", lambda r: failed.append(r.url) if r.status >= 400 else None)
        tab.on("requestfailed", lambda r: failed.append(r.url))
        tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        tab.on("pageerror", lambda e: errors.append(str(e)))
        await tab.goto(url, wait_until="networkidle")
        await tab.wait_for_timeout(100)
        await context.close()
        return hosts, failed, errors

    async def check(browser, share: list[str]) -> dict:
        problems = {}
        for page in share:
            hosts, failed, errors = await requests(browser, base_url + page)
            if hosts - {own} or failed or errors:
                problems[page] = (sorted(hosts - {own}), failed, errors)
        return problems

    shares = [functools.partial(check, share=pages[i::4]) for i in range(4)]
    problems = {k: v for part in sweep(chromium, shares) for k, v in part.items()}
    assert problems == {}


def test_a_lesson_page_without_figures_is_under_600_kb(browser, base_url):
    """Readers on slow, costly connections: see benchmarks/page_weight.py for the figures."""
    result = visit(browser, base_url + "book/running-the-exercises.html")
    print(f"first visit: {result.total_bytes / 1000:.1f} KB in {len(result.responses)} requests")
    assert result.total_bytes < 600_000, result.by_type()


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_every_page_passes_axe_without_critical_or_serious_violations(
    browser, base_url, built_site, theme
):
    """The axe-core engine on every page: a critical or serious violation fails."""
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    pages = sorted(
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if "_static" not in p.parts and p != built_site / "index.html"
    )
    # Reduced motion: the theme switches to dark after the page loads, and the buttons
    # fade to their dark colours in 0.15 s; axe must read the colours a reader sees
    # once the page is still, not halfway (a flaky "color-contrast" of the Search button).
    context = browser.new_context(color_scheme=theme, reduced_motion="reduce")
    tab = context.new_page()
    problems = {}
    for page in pages:
        tab.goto(base_url + page)
        assert tab.evaluate("document.documentElement.dataset.theme") == theme
        results = axe.run(tab)
        found = [
            f"{v['id']} ({v['impact']}): {v['nodes'][0]['html'][:120]}"
            for v in results.response["violations"]
            if v["impact"] in ("critical", "serious")
        ]
        if found:
            problems[page] = found
    context.close()
    assert problems == {}


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
    figure = page.locator("figure img")
    figure.scroll_into_view_if_needed()  # pictures load lazily, when they come near
    figure.evaluate("img => img.complete || new Promise(done => img.onload = done)")
    assert figure.evaluate("img => img.complete && img.naturalWidth > 0")
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


def site_pages(built_site):
    """Every page of the site but the redirect at its root (and the theme's files)."""
    return sorted(
        p.relative_to(built_site).as_posix()
        for p in built_site.rglob("*.html")
        if "_static" not in p.parts and p != built_site / "index.html"
    )


# Every picture of a page: where it comes from and how wide it is shown. A hidden
# explorer scenario is shown as wide as its explorer's box.
PICTURES = """
() => [...document.querySelectorAll("article img")].map(img => ({
  src: img.getAttribute("src") || img.dataset.src || "",
  width: img.offsetWidth
    || (img.closest(".explorer-static, figure, .cell_output") || img.parentElement).clientWidth,
}))
"""


@pytest.fixture(scope="module")
def phone(browser, base_url, built_site):
    """Every page at 360 px: its width, its text size and the label size of its charts."""
    from urllib.parse import urljoin, urlsplit

    from coursekit.figures import label_css_px

    pages = site_pages(built_site)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    tab = context.new_page()
    found = {"width": {}, "font": {}, "labels": {}}
    for page in pages:
        tab.goto(base_url + page)
        found["width"][page] = tab.evaluate("document.scrollingElement.scrollWidth")
        found["font"][page] = tab.evaluate(
            "(p => p ? parseFloat(getComputedStyle(p).fontSize) : 16)"
            "(document.querySelector('article p'))"
        )
        for picture in tab.evaluate(PICTURES):
            path = urlsplit(urljoin(base_url + page, picture["src"])).path
            file = built_site / path.lstrip("/")
            if file.suffix != ".png" or "_images" not in file.parts:  # charts, not icons
                continue
            label = label_css_px(file.read_bytes(), picture["width"])
            found["labels"][f"{page}: {file.name}"] = label
    context.close()
    return found


def test_no_page_scrolls_sideways_on_a_360_pixel_phone(phone):
    """Every lesson, exercise, quiz, API page (and every other page) fits a 360 px phone."""
    pages = list(phone["width"])
    for kind in ("modules/", "exercises/", "book/api/"):
        assert any(p.startswith(kind) for p in pages), kind
    wide = {page: width for page, width in phone["width"].items() if width > 360}
    assert wide == {}, f"these pages scroll sideways on a phone (page width in px): {wide}"
    small = {page: font for page, font in phone["font"].items() if font < 14}
    assert small == {}, f"text under 14 px: {small}"


def test_chart_labels_are_at_least_9_pixels_on_a_360_pixel_phone(phone):
    """Every chart records its smallest text (coursekit.figures); shown, it is >= 9 CSS px."""
    labels = phone["labels"]
    assert len(labels) >= 20, "the site has charts"
    unrecorded = sorted(name for name, px in labels.items() if px is None)
    assert unrecorded == [], "these pictures do not record their smallest text"
    small = {name: round(px, 1) for name, px in labels.items() if px < 9}
    print(f"smallest chart label on a 360 px phone: {min(labels.values()):.1f} CSS px")
    assert small == {}, f"chart labels under 9 CSS px on a 360 px phone: {small}"


@pytest.mark.parametrize("width", [360, 768])
def test_the_menu_button_opens_and_closes_the_contents_on_phones_and_tablets(
    browser, base_url, width
):
    context = browser.new_context(viewport={"width": width, "height": 800})
    tab = context.new_page()
    tab.goto(base_url + "modules/sdg131/headline-coverage.html")
    button = tab.locator("button.primary-toggle:visible")
    assert button.count() == 1, "one menu button is visible"
    menu = tab.locator("#pst-primary-sidebar-modal")
    assert not menu.evaluate("dialog => dialog.open")
    button.click()
    assert menu.evaluate("dialog => dialog.open"), "the menu button did not open the contents"
    link = menu.get_by_role("link", name="Running the exercises")
    assert link.is_visible()
    tab.keyboard.press("Escape")
    assert not menu.evaluate("dialog => dialog.open"), "Escape did not close the contents"
    button.click()
    link.click()
    tab.wait_for_url("**/book/running-the-exercises.html")
    context.close()


def test_the_menu_button_hides_and_shows_the_sidebar_on_a_desktop(browser, base_url):
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = context.new_page()
    tab.goto(base_url + "modules/sdg131/headline-coverage.html")
    from playwright.sync_api import expect

    sidebar = tab.locator("#pst-primary-sidebar")
    expect(sidebar).to_be_visible()
    tab.locator("button.primary-toggle:visible").click()
    expect(sidebar).to_be_hidden()  # after the theme's transition
    assert not tab.locator("#pst-primary-sidebar-modal").evaluate("dialog => dialog.open")
    tab.locator("button.primary-toggle:visible").click()
    expect(sidebar).to_be_visible()
    context.close()


# The WCAG contrast ratio of an element's text against the first opaque background
# behind it (the page's when every ancestor is transparent).
CONTRAST = """
element => {
  const rgb = text => text.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => {
    const [R, G, B] = [r, g, b].map(v => {
      v /= 255;
      return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  let node = element, background = null;
  while (node && node.nodeType === 1) {
    const colour = rgb(getComputedStyle(node).backgroundColor);
    if (colour.length < 4 || colour[3] > 0) { background = colour; break; }
    node = node.parentElement;
  }
  background = background || rgb(getComputedStyle(document.body).backgroundColor);
  const a = luminance(rgb(getComputedStyle(element).color));
  const b = luminance(background);
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}
"""


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_check_results_quiz_feedback_and_explorers_are_readable_in_both_themes(
    browser, base_url, theme
):
    context = browser.new_context(color_scheme=theme)
    tab = context.new_page()
    tab.goto(base_url + "exercises/sdg131/weighted-headline.html")
    assert tab.evaluate("document.documentElement.dataset.theme") == theme
    results = tab.locator(".coursekit-feedback strong")
    assert results.count() >= 2  # "Not attempted" and "Correct"
    for k in range(results.count()):
        ratio = results.nth(k).evaluate(CONTRAST)
        assert ratio >= 4.5, f"{theme}: '{results.nth(k).inner_text()}' has contrast {ratio:.2f}"
    tab.goto(base_url + "exercises/start/coverage-gaps.html")
    union = tab.locator("#quiz-q-union")
    union.get_by_label("Twice").check()
    union.get_by_role("button", name="Check my answer").click()
    ratio = union.locator(".quiz-feedback").evaluate(CONTRAST)
    assert ratio >= 4.5, f"{theme}: quiz feedback has contrast {ratio:.2f}"
    low = {}
    for page in EXPLORER_PAGES:
        tab.goto(base_url + page)
        box = tab.locator(".explorer-static").first
        select = box.locator("select").first
        options = select.locator("option")
        select.select_option(options.nth(options.count() - 1).get_attribute("value"))
        shown = box.locator(".explorer-scenario:not([hidden])")
        parts = {
            "label": box.locator("label").first,
            "selector": select,
            "chosen option": select.locator("option:checked"),
            "announcement": box.locator(".explorer-status"),
            "table heading": shown.locator("th").first,
            "table cell": shown.locator("td").first,
            "note": box.locator(".explorer-note em"),
        }
        assert box.locator(".explorer-status").inner_text(), "the choice is announced"
        for name, element in parts.items():
            ratio = element.evaluate(CONTRAST)
            if ratio < 7:
                low[f"{page} {name}"] = round(ratio, 2)
    context.close()
    # 7:1 (the enhanced level of WCAG), which the page's text has in both themes: the
    # browser's own selector box had 5.3:1 in dark mode against 18:1 in light mode.
    assert low == {}, f"{theme}: explorer text under 7:1 contrast: {low}"


# One explorer of each kind of control: a list of values, several lists, a range.
EXPLORER_PAGES = [
    "exercises/start/coverage-gaps.html",
    "modules/sdg131/gaps-tjk-lao.html",
    "modules/finance/costing-a-floor.html",
    "modules/delivery/dashboard.html",
]


def test_notebook_links_save_the_notebooks_from_disk(browser, built_site, tmp_path):
    """From a copied site opened with file://, both links save a notebook, not show it."""
    import json

    context = offline_context(browser, accept_downloads=True)
    tab = context.new_page()
    tab.goto((built_site / "exercises/sdg131/weighted-headline.html").as_uri())
    folder = built_site / "_notebooks/exercises/sdg131"
    for name, kind in (("learner notebook", "learner"), ("answer key", "answer-key")):
        with tab.expect_download(timeout=10_000) as info:
            tab.get_by_role("link", name=f"Download the {name}").click()
        download = info.value
        expected = f"sdg131-weighted-headline-{kind}.ipynb"
        assert download.suggested_filename == expected
        saved = tmp_path / expected
        download.save_as(saved)
        original = json.loads((folder / expected).read_text(encoding="utf-8"))
        assert json.loads(saved.read_text(encoding="utf-8")) == original
    assert tab.url.endswith("weighted-headline.html"), "the page was left for the notebook"
    context.close()


def test_explorer_loads_a_scenario_picture_when_chosen_and_announces_it(browser, base_url):
    context = browser.new_context()
    tab = context.new_page()
    pictures = []
    tab.on("request", lambda r: pictures.append(r.url) if "/_images/explorer/" in r.url else None)
    tab.goto(base_url + "modules/sdg131/gaps-tjk-lao.html", wait_until="networkidle")
    box = tab.locator(".explorer-static").first
    # Pictures load lazily: the shown scenario's picture when the explorer comes near.
    box.scroll_into_view_if_needed()
    tab.wait_for_load_state("networkidle")
    shown = box.locator(".explorer-scenario:visible img")
    assert shown.count() == 1
    shown.evaluate("img => img.complete || new Promise(done => img.onload = done)")
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    scenarios = box.locator(".explorer-scenario").count()
    assert scenarios > 2
    loaded = len(pictures)
    assert 1 <= loaded <= tab.locator(".explorer-static").count(), "one picture per explorer"
    select = box.locator("select").first
    options = select.locator("option")
    current = select.input_value()
    other = next(
        options.nth(k).get_attribute("value")
        for k in range(options.count())
        if options.nth(k).get_attribute("value") != current
    )
    select.select_option(other)
    tab.wait_for_load_state("networkidle")
    assert len(pictures) == loaded + 1, "choosing a scenario loads its picture, and only it"
    assert shown.evaluate("img => img.complete && img.naturalWidth > 0")
    status = box.locator(".explorer-status")
    assert status.get_attribute("aria-live") == "polite"
    assert other in status.inner_text()
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
