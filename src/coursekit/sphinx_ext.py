"""Sphinx extension: quizzes, notebook downloads and explorer scripts on the book's pages.

Enable it in ``_config.yml`` (``sphinx: extra_extensions: [coursekit.sphinx_ext]``).

Directives
----------
``quiz``
    One quiz question (see :mod:`coursekit.quiz` for the format).
``quiz-progress``
    A line that tells the reader how many questions of the page they answered correctly.
``notebook-downloads``
    On an exercise page: links to the learner and answer-key notebooks, which this
    extension makes from the page's own source (see :mod:`coursekit.notebooks`).

After the build, the pictures of the explorers' precomputed scenarios, which the
notebooks embed in the page, become files of their own: a page loads the picture of
the scenario it shows first, and the others only when a reader chooses them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
from pathlib import Path

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from coursekit.notebooks import notebook_name, write_exercise_notebooks
from coursekit.quiz import QuizError, parse_quiz, render_quiz

STATIC = Path(__file__).parent / "static"
NOTEBOOK_FOLDER = "_notebooks"
EXPLORER_IMAGES = "_images/explorer"
_SCENARIO_IMAGE = re.compile(
    r'(<div class="explorer-scenario"[^>]*>)<img src="data:image/png;base64,([A-Za-z0-9+/=]+)"'
)


def _env_data(env) -> dict:  # noqa: ANN001
    if not hasattr(env, "coursekit_quizzes"):
        env.coursekit_quizzes = {}
    return env.coursekit_quizzes


class QuizDirective(SphinxDirective):
    """Render one quiz question; its body is YAML."""

    required_arguments = 1
    has_content = True

    def run(self) -> list[nodes.Node]:
        """Check the question and return its HTML form."""
        label = self.arguments[0]
        try:
            quiz = parse_quiz(label, "\n".join(self.content))
        except QuizError as error:
            raise self.error(str(error)) from error
        quizzes = _env_data(self.env).setdefault(self.env.docname, {})
        if label in quizzes:
            raise self.error(f"quiz label '{label}' is used twice on this page")
        quizzes[label] = {
            "kind": quiz.kind,
            "options": len(quiz.options),
            "explained": bool(quiz.explain or quiz.options),
        }
        return [nodes.raw("", render_quiz(quiz, self.env.docname), format="html")]


class QuizProgressDirective(SphinxDirective):
    """A line showing the reader's progress on the page's quiz questions."""

    def run(self) -> list[nodes.Node]:
        """Return the (empty) progress line that the quiz script fills in."""
        html = '<p class="quiz-progress" aria-live="polite"></p>'
        return [nodes.raw("", html, format="html")]


class NotebookDownloadsDirective(SphinxDirective):
    """Links to the learner and answer-key notebooks made from this page's source."""

    def run(self) -> list[nodes.Node]:
        """Write the two notebooks next to the built page and link to them."""
        source = Path(self.env.doc2path(self.env.docname))
        folder = Path(self.env.app.outdir) / NOTEBOOK_FOLDER / Path(self.env.docname).parent
        paths = write_exercise_notebooks(source, folder, notebook_name(self.env.docname))
        depth = "../" * self.env.docname.count("/")
        folder_url = f"{depth}{NOTEBOOK_FOLDER}/{Path(self.env.docname).parent.as_posix()}/"
        links, copies = [], []
        for kind, text in (
            ("learner", "Download the learner notebook (.ipynb)"),
            ("answer-key", "Download the answer key (.ipynb)"),
        ):
            path = paths[kind]
            links.append(
                f'<a href="{folder_url}{path.name}" download data-notebook="notebook-{kind}">'
                f"{text}</a>".replace("/./", "/")
            )
            # A copy in the page, saved by coursekit-downloads.js when the site is opened
            # from disk (file://), where browsers ignore "download" on a link to a file.
            data = path.read_text(encoding="utf-8").replace("</", "<\\/")
            copies.append(f'<script type="application/json" id="notebook-{kind}">{data}</script>')
        html = (
            f'<nav class="notebook-downloads" aria-label="Notebook downloads">{"".join(links)}'
            f"</nav>{''.join(copies)}"
        )
        return [nodes.raw("", html, format="html")]


def _purge(app: Sphinx, env, docname: str) -> None:  # noqa: ANN001
    _env_data(env).pop(docname, None)


def _merge(app: Sphinx, env, docnames, other) -> None:  # noqa: ANN001
    _env_data(env).update(_env_data(other))


def _page_scripts(app: Sphinx, pagename, templatename, context, doctree) -> None:  # noqa: ANN001
    body = context.get("body", "")
    if 'class="quiz"' in body:
        app.add_js_file("coursekit-quiz.js")
    if "explorer-static" in body:
        app.add_js_file("coursekit-explorer.js")
    if 'class="notebook-downloads"' in body:
        app.add_js_file("coursekit-downloads.js")


def explorer_images_as_files(html_dir: Path) -> int:
    """Move the explorers' scenario pictures out of the pages into files; return how many.

    The picture of a scenario shown first keeps ``src``; the hidden ones get
    ``data-src``, which ``coursekit-explorer.js`` turns into ``src`` when a reader
    chooses the scenario. Files are named by their content, so a rebuild writes the
    same names, and a page already done has nothing left to move.
    """
    folder = html_dir / EXPLORER_IMAGES
    moved = 0

    def save(match: re.Match, page: Path) -> str:
        nonlocal moved
        head, data = match.group(1), base64.b64decode(match.group(2))
        path = folder / (hashlib.sha256(data).hexdigest()[:20] + ".png")
        folder.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_bytes(data)
        url = Path(os.path.relpath(path, page.parent)).as_posix()
        moved += 1
        shown = not re.search(r"\shidden\b", head)
        return f'{head}<img {"src" if shown else "data-src"}="{url}"'

    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        if "explorer-scenario" not in text:
            continue
        new = _SCENARIO_IMAGE.sub(lambda m, page=page: save(m, page), text)
        if new != text:
            page.write_text(new, encoding="utf-8")
    return moved


def _explorer_images(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        explorer_images_as_files(Path(app.outdir))


def _static_path(app: Sphinx) -> None:
    app.config.html_static_path.append(str(STATIC))


def setup(app: Sphinx) -> dict:
    """Register the directives, the static files and the per-page scripts."""
    app.add_directive("quiz", QuizDirective)
    app.add_directive("quiz-progress", QuizProgressDirective)
    app.add_directive("notebook-downloads", NotebookDownloadsDirective)
    app.add_css_file("coursekit.css")
    app.connect("builder-inited", _static_path)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_scripts)
    # Before the book's offline_site extension (priority 500), which shrinks the pictures.
    app.connect("build-finished", _explorer_images, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
