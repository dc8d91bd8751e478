"""Print each module's handouts, A4 PDFs for learners and for trainers (``make handouts``).

The handouts are printed from the built site (``_build/html``, written by ``make book``)
with Debian's headless Chromium through Playwright, and the print stylesheet
``book/_static/print.css``.
For each module of ``_toc.yml`` (a part whose first chapter is ``modules/<module>/index``):

- ``<module>-learner.pdf``: the landing page (objectives), the lessons, the exercise
  statements and the quiz questions, in the order of the table of contents, with no
  solution, no answer key and no quiz answer;
- ``<module>-trainer.pdf``: the same pages with the solutions and the quiz answers, then
  the session plan (``book/trainers/<module>-session-plan``) and the own-data page.

The article bodies of a handout's pages are put together into one HTML document in the
built site's folder (so that images and style sheets are found), printed once, and the
document is removed.
A page that is missing, has no article, or shows a figure that does not load stops the
printing with an error that names the page; the exit code is then 1.

    python tools/handouts.py                      # every module into _build/handouts
    python tools/handouts.py --module sdg131      # one module
    python tools/handouts.py --html DIR --out DIR
"""

from __future__ import annotations

import argparse
import html
import json
import posixpath
import queue
import re
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

from site_probe import CHROMIUM_ARGS, chromium_path  # noqa: E402

KINDS = ("learner", "trainer")
# The title of the box that gives a quiz question's answer, in the trainer handout only.
ANSWER_BOX = "Answer key for this question"
KIND_TITLES = {"learner": "Handout for learners", "trainer": "Handout for trainers"}
# Attributes that hold a path relative to the page that carries them.
URL_ATTRIBUTES = ("src", "href", "data-src", "poster")
FOOTER = (
    '<div style="font-size:8pt;width:100%;margin:0 12mm;display:flex;'
    'justify-content:space-between;font-family:sans-serif;color:#444">'
    "<span>{title}</span>"
    '<span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span>'
    "</div>"
)


HANDOUT_CSS = """
/* The handout's own layout: a cover, then each page of the site on a new sheet.
   (Kept here: the site's build purges style rules whose classes no page uses.) */
.handout-cover { margin-top: 30vh; text-align: center; }
.handout-cover h1 { font-size: 2em; }
.handout-kind { font-size: 1.3em; font-weight: 600; }
.handout-page { break-before: page; }
/* The theme hides a page's title in print (it prints its own header instead): show it. */
.bd-main .bd-content .handout-page h1:first-of-type { display: block !important; }
.handout-answer { border-left: 4px solid #1a7f37; padding: 0.3em 0.8em; margin: 0.3em 0 1em; }
.handout-answer ul { margin: 0.2em 0 0; }
"""
ARTICLE = re.compile(r"""<article\b[^>]*\bclass=["']bd-article\b""")
SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL | re.IGNORECASE)


class HandoutError(RuntimeError):
    """A handout cannot be printed; the message names the page."""


@dataclass
class Handout:
    """One PDF: a module, a kind (learner or trainer) and its pages in print order."""

    module: str
    kind: str
    title: str
    pages: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        """File name of the PDF, without its folder."""
        return f"{self.module}-{self.kind}.pdf"


def modules_from_toc(root: Path = ROOT) -> dict[str, tuple[str, list[str]]]:
    """Return ``{module: (caption, pages)}`` for every module part of ``_toc.yml``.

    The pages are document names without extension, in the order of the table of contents:
    the landing page, then its sections (lessons, exercises, quiz).
    """
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    modules: dict[str, tuple[str, list[str]]] = {}
    for part in toc.get("parts", []):
        for chapter in part.get("chapters", []):
            landing = chapter.get("file", "")
            parts = landing.split("/")
            if len(parts) == 3 and parts[0] == "modules" and parts[2] == "index":
                pages = [landing] + [s["file"] for s in chapter.get("sections", []) if "file" in s]
                modules[parts[1]] = (str(part.get("caption", parts[1])), pages)
    return modules


def toc_files(root: Path = ROOT) -> set[str]:
    """Every ``file:`` named anywhere in ``_toc.yml``."""
    found: set[str] = set()

    def walk(node: object) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("file"), str):
                found.add(node["file"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")))
    return found


def handouts_for(module: str, root: Path = ROOT) -> list[Handout]:
    """The learner and the trainer handout of ``module``."""
    modules = modules_from_toc(root)
    if module not in modules:
        raise HandoutError(f"module {module!r} is not a part of _toc.yml: {sorted(modules)}")
    caption, pages = modules[module]
    trainer_pages = [f"book/trainers/{module}-session-plan"]
    own_data = f"book/trainers/{module}-own-data"
    if own_data in toc_files(root):
        trainer_pages.append(own_data)
    return [
        Handout(module, "learner", caption, list(pages)),
        Handout(module, "trainer", caption, list(pages) + trainer_pages),
    ]


def _relocate(soup: Tag, page: str) -> None:
    """Rewrite the relative addresses of ``page``'s elements to start from the site root."""
    folder = posixpath.dirname(page)
    for element in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = element.get(attribute)
            if not isinstance(value, str) or not value or value.startswith(("#", "/")):
                continue
            if urlsplit(value).scheme:
                continue
            path, _, fragment = value.partition("#")
            resolved = posixpath.normpath(posixpath.join(folder, path)) if path else page
            element[attribute] = resolved + (f"#{fragment}" if fragment else "")


def _remove(soup: Tag, selector: str) -> int:
    found = soup.select(selector)
    for element in found:
        element.decompose()
    return len(found)


def _learner_only(article: Tag) -> None:
    """Remove solutions, answer keys and quiz answers from a page's article."""
    # Solution blocks (sphinx-exercise) and any cell tagged as a solution.
    _remove(article, "div.solution, .tag_solution")
    # Links to answer keys, wherever they are.
    for link in article.select("a[href]"):
        if "answer-key" in link["href"] or link.get("data-notebook") == "notebook-answer-key":
            link.decompose()
    # Quiz answers live in the form's data and appear in its feedback.
    for form in article.select("form.quiz"):
        del form["data-quiz"]
    _remove(article, ".quiz-feedback")


def _quiz_answers(article: Tag, soup: BeautifulSoup) -> None:
    """Write each quiz question's answer and explanations under it (trainer handout)."""
    for form in article.select("form.quiz[data-quiz]"):
        data = json.loads(form["data-quiz"])
        box = soup.new_tag("div", attrs={"class": "handout-answer"})
        box.append(soup.new_tag("strong"))
        box.strong.string = ANSWER_BOX
        items = soup.new_tag("ul")
        if data.get("type") == "choice":
            labels = form.select(".quiz-option label")
            for option, label in zip(data.get("options", []), labels, strict=False):
                mark = "Correct" if option.get("correct") else "Wrong"
                item = soup.new_tag("li")
                item.append(
                    f"{mark}: {label.get_text(' ', strip=True)}. {option.get('explain', '')}"
                )
                items.append(item)
        else:
            item = soup.new_tag("li")
            tolerance = data.get("tolerance") or 0
            within = f" (within {tolerance:g})" if tolerance else ""
            item.append(f"Answer: {data.get('answer'):g}{within}. {data.get('explain', '')}")
            items.append(item)
            for wrong in data.get("wrong", []):
                item = soup.new_tag("li")
                item.append(f"Wrong: {wrong['value']:g}. {wrong['explain']}")
                items.append(item)
        box.append(items)
        form.insert_after(box)


def _article(html_dir: Path, page: str) -> tuple[BeautifulSoup, Tag]:
    path = html_dir / f"{page}.html"
    if not path.is_file():
        raise HandoutError(f"page {page}: {path} is missing (run `make book` first)")
    text = path.read_text(encoding="utf-8")
    head = text[: max(text.find("</head>"), 0)]
    opening = ARTICLE.search(text)
    start, end = (opening.start() if opening else -1), text.rfind("</article>")
    if start < 0 or end < start:
        raise HandoutError(f"page {page}: {path} has no article body")
    # Only the article is parsed; its scripts (notebooks, widget state) are never printed.
    body = SCRIPT.sub("", text[start : end + len("</article>")])
    soup = BeautifulSoup(f"{head}</head><body>{body}</body></html>", "html.parser")
    return soup, soup.select_one("article.bd-article")


def _stylesheets(soup: BeautifulSoup, page: str) -> list[str]:
    sheets = []
    for link in soup.select('link[rel="stylesheet"]'):
        href = link.get("href", "")
        if href and not urlsplit(href).scheme:
            sheets.append(posixpath.normpath(posixpath.join(posixpath.dirname(page), href)))
    return sheets


def handout_html(html_dir: Path, handout: Handout) -> str:
    """Return the HTML document of one handout, with addresses relative to ``html_dir``."""
    if handout.kind not in KINDS:
        raise HandoutError(f"handout kind {handout.kind!r}: expected one of {KINDS}")
    sheets: list[str] = []
    sections: list[str] = []
    for page in handout.pages:
        soup, article = _article(html_dir, page)
        if not sheets:
            sheets = _stylesheets(soup, page)
        # Scripts hold the notebooks (answer keys included) and widgets: never printed.
        _remove(article, "script, noscript, nav.notebook-downloads, .quiz-progress")
        if handout.kind == "learner":
            _learner_only(article)
        else:
            _quiz_answers(article, soup)
        # Hidden explorer scenarios stay hidden; a shown picture that loads late is loaded now.
        for image in article.select("img[data-src]"):
            if not image.get("src") and not image.find_parent(attrs={"hidden": True}):
                image["src"] = image["data-src"]
        for image in article.select("img[loading]"):
            del image["loading"]  # every figure is loaded before the sheet is printed
        _relocate(article, f"{page}.html")
        article.name = "section"
        article["class"] = ["bd-article", "handout-page"]
        article["data-page"] = page
        sections.append(str(article))
    if not any(sheet.startswith("_static/print.css") for sheet in sheets):
        sheets.append("_static/print.css")
    links = "\n".join(f'<link rel="stylesheet" href="{html.escape(s)}">' for s in sheets)
    title = html.escape(f"{handout.title}: {KIND_TITLES[handout.kind].lower()}")
    cover = (
        '<section class="handout-cover">'
        "<p>Universal social protection: governance and digital transformation</p>"
        f"<h1>{html.escape(handout.title)}</h1>"
        f'<p class="handout-kind">{KIND_TITLES[handout.kind]}</p>'
        "<p>Printed from the book's website. "
        + (
            "Solutions, answer keys and quiz answers are in the trainers' handout."
            if handout.kind == "learner"
            else "With the solutions, the quiz answers and the session plan: for the trainer."
        )
        + "</p></section>"
    )
    return (
        '<!DOCTYPE html>\n<html lang="en" data-theme="light" data-mode="light">\n<head>\n'
        f'<meta charset="utf-8">\n<title>{title}</title>\n{links}\n'
        f"<style>{HANDOUT_CSS}</style>\n</head>\n"
        f'<body class="handout handout-{handout.kind}">\n<main class="bd-main">'
        f'<div class="bd-content"><div class="bd-article-container">\n{cover}\n'
        + "\n".join(sections)
        + "\n</div></div></main>\n</body>\n</html>\n"
    )


def _broken_images(page) -> list[dict[str, str]]:  # noqa: ANN001
    return page.evaluate(
        """() => Array.from(document.images)
            .filter(img => img.getAttribute('src') && img.offsetParent !== null
                    && !(img.complete && img.naturalWidth > 0))
            .map(img => ({src: img.getAttribute('src'),
                          page: img.closest('[data-page]')?.dataset.page || '?'}))"""
    )


def print_handout(browser, html_dir: Path, handout: Handout, out_dir: Path) -> Path:  # noqa: ANN001
    """Print one handout into ``out_dir`` and return the PDF's path."""
    document = html_dir / f"_handout-{handout.module}-{handout.kind}.html"
    document.write_text(handout_html(html_dir, handout), encoding="utf-8")
    context = browser.new_context(color_scheme="light")
    try:
        tab = context.new_page()
        tab.goto(document.resolve().as_uri(), wait_until="load")
        broken = _broken_images(tab)
        if broken:
            first = broken[0]
            raise HandoutError(
                f"page {first['page']}: the figure {first['src']} does not load "
                f"({len(broken)} broken in the {handout.name} handout)"
            )
        tab.emulate_media(media="print", color_scheme="light")
        out_dir.mkdir(parents=True, exist_ok=True)
        target = out_dir / handout.name
        footer = FOOTER.format(
            title=html.escape(f"{handout.title}: {KIND_TITLES[handout.kind].lower()}")
        )
        try:
            tab.pdf(
                path=str(target),
                format="A4",
                print_background=True,
                display_header_footer=True,
                header_template="<span></span>",
                footer_template=footer,
                margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"},
            )
        except Exception as error:
            raise HandoutError(
                f"pages {', '.join(handout.pages)}: Chromium could not print {handout.name} "
                f"({error})"
            ) from error
        return target
    finally:
        context.close()
        document.unlink(missing_ok=True)


def print_handouts(
    html_dir: Path,
    out_dir: Path,
    handouts: list[Handout],
    *,
    chromium: str | None = None,
    report=None,  # noqa: ANN001
    workers: int = 2,
) -> list[Path]:
    """Print every handout with headless Chromium; return the PDFs' paths, in order.

    ``workers`` browsers print at the same time, each in its own thread (Playwright's
    synchronous API wants one instance per thread).
    ``report(handout, path, seconds)`` is called after each PDF, when given.
    The first handout that fails stops the printing, and its error is raised.
    """
    executable = chromium or chromium_path()
    if executable is None:
        raise HandoutError("Chromium is not installed (apt-get install chromium)")
    todo: queue.Queue[int] = queue.Queue()
    for index in range(len(handouts)):
        todo.put(index)
    printed: dict[int, Path] = {}
    errors: dict[int, BaseException] = {}

    def work() -> None:
        from playwright.sync_api import sync_playwright

        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            try:
                while not errors:
                    try:
                        index = todo.get_nowait()
                    except queue.Empty:
                        return
                    handout = handouts[index]
                    begin = time.perf_counter()
                    try:
                        printed[index] = print_handout(browser, html_dir, handout, out_dir)
                    except BaseException as error:  # noqa: BLE001 - raised again below
                        errors[index] = error
                        return
                    if report is not None:
                        report(handout, printed[index], time.perf_counter() - begin)
            finally:
                browser.close()

    threads = [
        threading.Thread(target=work, daemon=True)
        for _ in range(max(1, min(workers, len(handouts))))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[min(errors)]
    return [printed[index] for index in range(len(handouts))]


def _report(handout: Handout, path: Path, seconds: float) -> None:
    print(
        f"{path}: {path.stat().st_size / 1000:.0f} KB, {_pdf_pages(path)} A4 pages "
        f"from {len(handout.pages)} pages of the site, {seconds:.1f} s",
        flush=True,
    )


def _pdf_pages(path: Path) -> str:
    """The number of pages of a PDF, read from its page tree (no extra tool needed)."""
    counts = re.findall(rb"/Type\s*/Pages\b[^>]*?/Count\s+(\d+)", path.read_bytes())
    return str(max(int(c) for c in counts)) if counts else "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "handouts")
    parser.add_argument("--module", action="append", help="print only this module (repeatable)")
    parser.add_argument(
        "--workers", type=int, default=2, help="browsers printing at once (default 2)"
    )
    args = parser.parse_args(argv)
    try:
        modules = args.module or list(modules_from_toc())
        handouts = [h for module in modules for h in handouts_for(module)]
        start = time.perf_counter()
        print_handouts(args.html, args.out, handouts, report=_report, workers=args.workers)
    except HandoutError as error:
        print(f"handouts: {error}", file=sys.stderr)
        return 1
    print(f"{len(handouts)} handouts in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
