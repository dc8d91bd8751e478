"""What the learner gets: the site without answer keys, and the exercise notebooks.

:func:`learner_site` copies the built site without answer-key files, links to them,
embedded copies, folded solutions or trainers' pages; :func:`answer_key_problems` scans a
folder for anything that still looks like an answer key; :func:`write_notebooks` writes
the learner or answer-key notebook of every exercise.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

from coursekit.notebooks import exercise_notebooks, notebook_name

from . import ROOT, KitError

_ANSWER_LINK = re.compile(r"<a\b[^>]*answer-key[^>]*>.*?</a>", re.DOTALL | re.IGNORECASE)
_ANSWER_COPY = re.compile(r"<script\b[^>]*answer-key[^>]*>.*?</script>", re.DOTALL | re.IGNORECASE)
_SOLUTION_OPEN = re.compile(r'<div\b[^>]*class="[^"]*\bsolution\b[^"]*"[^>]*>')
_DIV = re.compile(r"<(/?)div\b[^>]*>")
_TRAINER_PAGES = ("book/trainers/",)
_STUB = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Trainers' guide</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><main><h1>Trainers' guide</h1>
<p>This page is in the trainer kit only.
Go back to the <a href="{home}">start of the book</a>.</p></main></body></html>
"""


def _drop_divs(html: str, opening: re.Pattern) -> str:
    """Remove every ``<div>`` whose opening tag matches, with all it holds."""
    while match := opening.search(html):
        depth, end = 0, None
        for tag in _DIV.finditer(html, match.start()):
            depth += -1 if tag.group(1) else 1
            if depth == 0:
                end = tag.end()
                break
        if end is None:  # unbalanced: stop rather than cut the page short
            break
        html = html[: match.start()] + html[end:]
    return html


def learner_page(html: str) -> str:
    """A built page without answer keys: no links to them, no embedded copies, no solutions.

    Examples
    --------
    >>> page = (
    ...     '<nav><a href="x-learner.ipynb">L</a><a href="x-answer-key.ipynb">K</a></nav>'
    ...     '<script type="application/json" id="notebook-answer-key">{}</script>'
    ...     '<div class="solution dropdown"><div>42</div></div><p>end</p>'
    ... )
    >>> learner_page(page)
    '<nav><a href="x-learner.ipynb">L</a></nav><p>end</p>'
    """
    html = _ANSWER_LINK.sub("", html)
    html = _ANSWER_COPY.sub("", html)
    return _drop_divs(html, _SOLUTION_OPEN)


def learner_site(html_dir: Path, dest: Path) -> None:
    """Copy the built site into dest, without answer keys and without the trainers' pages."""
    if not (html_dir / "index.html").exists():
        raise KitError(f"{html_dir}/index.html not found: build the site first (make book)")
    for path in sorted(html_dir.rglob("*")):
        rel = path.relative_to(html_dir).as_posix()
        if path.is_dir() or "answer-key" in path.name or rel.startswith("_sources/"):
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if rel.startswith(_TRAINER_PAGES):
            if path.suffix == ".html":
                home = "../" * rel.count("/") + "index.html"
                target.write_text(_STUB.format(home=home), encoding="utf-8")
            continue
        if path.suffix == ".html":
            target.write_text(learner_page(path.read_text(encoding="utf-8")), encoding="utf-8")
        else:
            shutil.copy2(path, target)


#: A link to an answer key, or an answer key embedded in a page (the build's own markup).
#: The pages that explain how answer keys are named mention them in prose: that is fine.
ANSWER_KEY_REFERENCE = re.compile(
    r"(?:href|src|data-src)=\"[^\"]*answer-key[^\"]*\"|(?:id|data-notebook)=\"[^\"]*answer-key"
)


def answer_key_problems(folder: Path) -> list[str]:
    """What in a folder looks like an answer key (empty for a clean learner kit)."""
    problems = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        if path.is_dir():
            continue
        if "answer-key" in path.name:
            problems.append(f"{rel}: an answer-key file")
        elif path.suffix in {".html", ".ipynb", ".json", ".js"}:
            text = path.read_text(encoding="utf-8", errors="replace")
            if ANSWER_KEY_REFERENCE.search(text):
                problems.append(f"{rel}: links to or embeds an answer key")
            if path.suffix == ".ipynb" and re.search(r'"solution"', text):
                problems.append(f"{rel}: a notebook with a solution cell")
            if path.suffix == ".html" and _SOLUTION_OPEN.search(text):
                problems.append(f"{rel}: a page with a solution")
    return problems


def exercise_sources(root: Path = ROOT) -> list[Path]:
    """The exercise files that have notebooks (those with a ``notebook-downloads`` block)."""
    return [
        path
        for path in sorted((root / "exercises").rglob("*.md"))
        if "{notebook-downloads}" in path.read_text(encoding="utf-8")
    ]


def write_notebooks(
    dest: Path, kind: str, root: Path = ROOT, *, overwrite: bool = True
) -> list[Path]:
    """Write the ``learner`` or ``answer-key`` notebook of every exercise, by module.

    With ``overwrite=False`` a notebook already there is kept (a learner's edits).
    """
    import nbformat

    written = []
    for source in exercise_sources(root):
        docname = source.relative_to(root).with_suffix("").as_posix()
        path = dest / source.parent.name / f"{notebook_name(docname)}-{kind}.ipynb"
        if path.exists() and not overwrite:
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(exercise_notebooks(source)[kind], path)
        written.append(path)
    return written
