"""Printable handouts (``make handouts``): what each module's learner and trainer PDF holds.

The PDFs are printed from the session's full build with headless Chromium, and read back
with poppler's ``pdftotext`` and ``pdfinfo``.
"""

from __future__ import annotations

import functools
import json
import re
import shutil
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from handouts import (
    ANSWER_BOX,
    Handout,
    HandoutError,
    handout_html,
    handouts_for,
    modules_from_toc,
    print_handouts,
)

ROOT = Path(__file__).resolve().parents[1]
MODULES = list(modules_from_toc(ROOT))
A4_POINTS = (595.28, 841.89)


def flat(text: str) -> str:
    """Text without whitespace, typographic quotes or ligatures: line breaks fall anywhere."""
    text = unicodedata.normalize("NFKC", text)
    text = text.translate(
        str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
    )
    # pdftotext joins a word split at a line's end by its hyphen: hyphens are left out.
    return re.sub(r"[\s\-\u00ad\u2010\u2011]+", "", text)


def pdf_text(path: Path) -> str:
    return subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def pdf_info(path: Path) -> dict[str, str]:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return dict(line.split(":", 1) for line in out.splitlines() if ":" in line)


@functools.cache
def built_page(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / f"{page}.html").read_text(encoding="utf-8"), "html.parser")


def title_of(soup: BeautifulSoup) -> str:
    heading = soup.select_one("article.bd-article h1")
    for link in heading.select(".headerlink"):
        link.decompose()
    return heading.get_text(" ", strip=True)


def solution_markers(site: Path, pages: list[str]) -> dict[str, list[str]]:
    """What only a trainer may read, from the built pages: by kind of marker."""
    markers: dict[str, list[str]] = {"solution": [], "quiz explanation": [], "answer key": []}
    for page in pages:
        soup = built_page(site, page)
        for block in soup.select("article div.solution"):
            title = block.select_one(".admonition-title").get_text(" ", strip=True)
            markers["solution"].append(title)
        for form in soup.select("article form.quiz[data-quiz]"):
            data = json.loads(form["data-quiz"])
            texts = [o["explain"] for o in data.get("options", [])] + [data.get("explain", "")]
            markers["quiz explanation"] += [t for t in texts if len(t) >= 30]
        if soup.select("article a[data-notebook=notebook-answer-key]"):
            markers["answer key"].append("Download the answer key")
    markers["answer key"].append(ANSWER_BOX)  # the trainer's box under each quiz question
    return markers


def leaks(text: str, markers: dict[str, list[str]]) -> list[str]:
    """Every marker of a solution found in ``text`` (a learner handout must have none)."""
    flat_text = flat(text)
    return [
        f"{kind}: {marker[:60]}"
        for kind, found in markers.items()
        for marker in found
        if flat(marker) in flat_text
    ]


@pytest.fixture(scope="module")
def printed(built_site, chromium, poppler, tmp_path_factory) -> dict[tuple[str, str], Path]:
    out = tmp_path_factory.mktemp("handouts")
    handouts = [h for module in MODULES for h in handouts_for(module, ROOT)]
    times: list[str] = []

    def report(handout: Handout, path: Path, seconds: float) -> None:
        times.append(f"{handout.name}: {path.stat().st_size / 1000:.0f} KB, {seconds:.1f} s")

    start = time.perf_counter()
    paths = print_handouts(built_site, out, handouts, chromium=chromium, report=report)
    print("\n".join(times), f"\n{len(paths)} handouts in {time.perf_counter() - start:.1f} s")
    assert not list(built_site.glob("_handout-*.html")), "the handouts' HTML stays in the site"
    return {(h.module, h.kind): path for h, path in zip(handouts, paths, strict=True)}


@pytest.fixture(scope="module")
def raw_texts(printed) -> dict[tuple[str, str], str]:
    return {key: pdf_text(path) for key, path in printed.items()}


FOOTER = re.compile(r"^(.*: handout for (learners|trainers)|page \d+ of \d+)$", re.MULTILINE)


@pytest.fixture(scope="module")
def texts(raw_texts) -> dict[tuple[str, str], str]:
    """The text of each handout without its page footers (a paragraph may cross a page)."""
    return {key: FOOTER.sub("", text) for key, text in raw_texts.items()}


def test_modules_are_found_in_the_table_of_contents():
    assert {"sdg131", "migration", "finance"} <= set(MODULES)
    for module in MODULES:
        assert (ROOT / "book" / "trainers" / f"{module}-session-plan.md").exists()


@pytest.mark.parametrize("module", MODULES)
def test_learner_handout_holds_every_lesson_and_exercise(module, texts, built_site):
    learner, trainer = handouts_for(module, ROOT)
    text = flat(texts[module, "learner"])
    missing = [
        title_of(built_page(built_site, page))
        for page in learner.pages
        if flat(title_of(built_page(built_site, page))) not in text
    ]
    assert missing == []
    # Every exercise statement, and every quiz question.
    for page in learner.pages:
        soup = built_page(built_site, page)
        for block in soup.select("article div.exercise section"):
            statement = block.get_text(" ", strip=True)[:80]
            assert flat(statement) in text, (page, statement)
        for caption in soup.select("article figure figcaption"):
            assert flat(caption.get_text(" ", strip=True)[:80]) in text, (page, caption.get_text())
        for legend in soup.select("article form.quiz legend, article form.quiz .quiz-question"):
            assert flat(legend.get_text(" ", strip=True)) in text, (page, legend.get_text())
    # The objectives of the landing page.
    assert flat("What you will be able to do") in text


@pytest.mark.parametrize("module", MODULES)
def test_learner_handout_holds_no_solution(module, texts, built_site):
    learner, trainer = handouts_for(module, ROOT)
    markers = solution_markers(built_site, learner.pages)
    assert markers["solution"], f"{module}: no solution block found in the built pages"
    assert leaks(texts[module, "learner"], markers) == []


@pytest.mark.parametrize("module", MODULES)
def test_trainer_handout_holds_the_solutions_quiz_answers_and_session_plan(
    module, texts, built_site
):
    learner, trainer = handouts_for(module, ROOT)
    text = texts[module, "trainer"]
    plan = title_of(built_page(built_site, f"book/trainers/{module}-session-plan"))
    assert flat(plan) in flat(text)
    markers = solution_markers(built_site, learner.pages)
    assert flat(text).count(flat("Solution to")) == len(markers["solution"])
    assert not [m for m in markers["quiz explanation"] if flat(m) not in flat(text)]
    quizzes = sum(
        len(built_page(built_site, page).select("article form.quiz")) for page in learner.pages
    )
    assert flat(text).count(flat(ANSWER_BOX)) == quizzes


def test_the_learner_check_catches_a_planted_solution(texts, built_site):
    """The check above can fail: a solution planted in a learner's text is found."""
    module = MODULES[0]
    learner, _ = handouts_for(module, ROOT)
    markers = solution_markers(built_site, learner.pages)
    clean = texts[module, "learner"]
    assert leaks(clean, markers) == []
    planted = clean + "\n" + markers["solution"][0] + "\n"
    assert leaks(planted, markers) == [f"solution: {markers['solution'][0][:60]}"]
    planted = clean + "\n" + markers["quiz explanation"][-1].replace(" ", "\n") + "\n"
    assert len(leaks(planted, markers)) == 1
    # The trainer's handout, printed from the same pages, holds every kind of marker.
    found = leaks(texts[module, "trainer"], markers)
    assert {line.split(":")[0] for line in found} == {"solution", "quiz explanation", "answer key"}


@pytest.mark.parametrize("kind", ["learner", "trainer"])
def test_handouts_are_a4_with_page_numbers_and_selectable_text(printed, raw_texts, kind):
    for module in MODULES:
        path = printed[module, kind]
        info = pdf_info(path)
        assert "A4" in info["Page size"], (path.name, info["Page size"])
        width, height = (float(v) for v in re.findall(r"[\d.]+", info["Page size"])[:2])
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2
        pages = raw_texts[module, kind].split("\f")[: int(info["Pages"])]
        assert len(pages) == int(info["Pages"]) > 3
        numbered = [i for i, page in enumerate(pages, 1) if f"page {i} of {len(pages)}" in page]
        assert numbered == list(range(1, len(pages) + 1)), path.name
        assert 50_000 < path.stat().st_size < 10_000_000, path.name


# Bad input: a page that cannot be printed is named (no full build needed).


def tiny_site(folder: Path, *, image: str = "") -> Path:
    """A built site with one page holding an exercise, its solution and a quiz question."""
    (folder / "_static").mkdir(parents=True)
    shutil.copy(ROOT / "book" / "_static" / "print.css", folder / "_static" / "print.css")
    quiz = json.dumps(
        {"type": "choice", "options": [{"correct": True, "explain": "Right, because of X."}]}
    )
    page = folder / "modules" / "tiny" / "index.html"
    page.parent.mkdir(parents=True)
    page.write_text(
        "<html><body><article class='bd-article'><h1>Tiny lesson</h1>"
        "<div class='exercise admonition'><section>Compute the share.</section></div>"
        "<div class='solution dropdown admonition'><p class='admonition-title'>Solution to"
        " Exercise 1</p><pre>share = 0.4</pre></div>"
        "<a href='x-answer-key.ipynb' data-notebook='notebook-answer-key'>key</a>"
        f"<form class='quiz' data-quiz='{quiz}'><fieldset><legend>Which?</legend>"
        "<div class='quiz-option'><input type='radio'><label>This one</label></div>"
        "</fieldset><div class='quiz-feedback'></div></form>"
        "<p>See <a class='reference external' href='https://example.org/guide'>the guide</a>"
        " and <a class='reference internal' href='other.html'>the next lesson</a>.</p>"
        f"{image}</article></body></html>",
        encoding="utf-8",
    )
    return folder


def test_the_learner_html_drops_solutions_and_the_trainer_html_keeps_them(tmp_path):
    site = tiny_site(tmp_path)
    pages = ["modules/tiny/index"]
    learner = handout_html(site, Handout("tiny", "learner", "Tiny", pages))
    trainer = handout_html(site, Handout("tiny", "trainer", "Tiny", pages))
    for text in ("Tiny lesson", "Compute the share.", "Which?", "This one"):
        assert text in learner and text in trainer
    for secret in ("Solution to", "share = 0.4", "answer-key", "Right, because of X."):
        assert secret not in learner
        assert secret in trainer
    assert "Correct: This one. Right, because of X." in trainer


def test_a_missing_page_fails_with_its_name(tmp_path, chromium):
    site = tiny_site(tmp_path / "site")
    handout = Handout("tiny", "learner", "Tiny", ["modules/tiny/index", "modules/tiny/gone"])
    with pytest.raises(HandoutError, match="page modules/tiny/gone: .* is missing"):
        print_handouts(site, tmp_path / "out", [handout], chromium=chromium)
    assert not (tmp_path / "out" / "tiny-learner.pdf").exists()


def test_a_figure_that_does_not_load_fails_with_the_page_name(tmp_path, chromium):
    site = tiny_site(tmp_path / "site", image="<img src='../../_images/gone.png' alt='gone'>")
    handout = Handout("tiny", "learner", "Tiny", ["modules/tiny/index"])
    with pytest.raises(HandoutError, match="page modules/tiny/index: the figure .*gone.png"):
        print_handouts(site, tmp_path / "out", [handout], chromium=chromium)
    assert not list(site.glob("_handout-*.html"))


def test_the_command_exits_non_zero_naming_the_page(tmp_path, chromium):
    empty = tmp_path / "html"
    empty.mkdir()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "handouts.py"), "--html", str(empty)]
        + ["--out", str(tmp_path / "out"), "--module", "sdg131"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 1
    assert "page modules/sdg131/index:" in result.stderr


def test_the_print_stylesheet_shows_link_addresses_and_page_numbers(tmp_path, chromium, poppler):
    site = tiny_site(tmp_path / "site")
    handout = Handout("tiny", "learner", "Tiny", ["modules/tiny/index"])
    [pdf] = print_handouts(site, tmp_path / "out", [handout], chromium=chromium)
    text = pdf_text(pdf)
    assert "the guide (https://example.org/guide)" in " ".join(text.split())
    assert "the next lesson." in " ".join(text.split())  # a link inside the site: no address
    assert "Tiny lesson" in text  # the page's title, which the theme hides in print
    assert "page 1 of 2" in text and "page 2 of 2" in text  # the cover, then the page
    assert "Solution to" not in text
