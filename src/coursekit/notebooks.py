"""Make the learner and answer-key notebooks from one exercise source.

An exercise is one MyST Markdown notebook. Its code cells carry tags:

``setup``
    imports and data; kept in both notebooks.
``checks``
    registers the checks (:func:`coursekit.register`); kept in both notebooks, folded
    in the learner's, and removed from the site page with ``remove-cell``.
``learner``
    the placeholder cell (``answer = ...`` then ``check(...)``); kept in the learner's
    notebook only.
``solution``
    the reference solution; kept in the answer key only. On the site it sits between
    ``solution-start`` and ``solution-end`` and is folded.
``wrong-answers``
    typical wrong answers, used by the tests; removed from both notebooks.

Cells without these tags are kept in both. Outputs are never kept.
"""

from __future__ import annotations

import re
from pathlib import Path

import jupytext
import nbformat

__all__ = ["exercise_notebooks", "notebook_name", "write_exercise_notebooks", "TAGS"]

TAGS = ("setup", "checks", "learner", "solution", "wrong-answers")

_FENCE = re.compile(r"(`{3,}|:{3,})\{(?P<name>[\w-]+)\}[^\n]*\n(?P<body>.*?)\n?\1", re.DOTALL)
_OPTION = re.compile(r"^:(\w[\w-]*):\s*(.*)$", re.MULTILINE)


def _tags(cell: nbformat.NotebookNode) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def _plain_markdown(source: str, *, keep_solutions: bool) -> tuple[str, bool]:
    """Turn the book's directives into plain Markdown that any Jupyter shows well.

    Returns the new text and whether the cell opens a solution block.
    """
    opens_solution = False

    def replace(match: re.Match) -> str:
        nonlocal opens_solution
        name, body = match.group("name"), match.group("body")
        text = _OPTION.sub("", body).strip()
        if name in {"exercise-start", "exercise"}:
            return "**Exercise.** " + text if text else "**Exercise.**"
        if name in {"exercise-end", "solution-end", "notebook-downloads"}:
            return ""
        if name in {"solution-start", "solution"}:
            opens_solution = name == "solution-start"
            return "**Solution.**" if keep_solutions else ""
        if name == "quiz":
            return "*A quiz question is here on the book's website.*"
        if name in {"note", "tip", "warning", "important", "admonition", "hint"}:
            return f"> **{name.capitalize()}.** " + text.replace("\n", "\n> ")
        return match.group(0)

    return _FENCE.sub(replace, source).strip(), opens_solution


def exercise_notebooks(source: Path) -> dict[str, nbformat.NotebookNode]:
    r"""Return the ``learner`` and ``answer-key`` notebooks of an exercise source file.

    Examples
    --------
    >>> import tempfile, textwrap
    >>> text = textwrap.dedent('''\
    ...     ---
    ...     kernelspec: {name: python3, display_name: Python 3, language: python}
    ...     ---
    ...     # Demo
    ...     ```{code-cell} ipython3
    ...     :tags: [learner]
    ...     answer = ...
    ...     ```
    ...     ```{code-cell} ipython3
    ...     :tags: [solution]
    ...     answer = 42
    ...     ```
    ...     ''')
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     path = Path(folder) / "demo.md"
    ...     _ = path.write_text(text)
    ...     books = exercise_notebooks(path)
    >>> [c.source for c in books["learner"].cells if c.cell_type == "code"]
    ['answer = ...']
    >>> [c.source for c in books["answer-key"].cells if c.cell_type == "code"]
    ['answer = 42']
    >>> [c.id for c in books["learner"].cells]
    ['cell-1', 'cell-2']
    """
    notebook = jupytext.read(source)
    result = {}
    for kind in ("learner", "answer-key"):
        learner = kind == "learner"
        cells, in_solution = [], False
        for cell in notebook.cells:
            tags = _tags(cell)
            if cell.cell_type == "markdown":
                if in_solution and "solution-end" in cell.source:
                    in_solution = False
                    text, _ = _plain_markdown(cell.source, keep_solutions=not learner)
                    if not text:
                        continue
                    cell = nbformat.v4.new_markdown_cell(text)
                    cells.append(cell)
                    continue
                if in_solution and learner:
                    continue
                text, opens = _plain_markdown(cell.source, keep_solutions=not learner)
                in_solution = in_solution or opens
                if text:
                    cells.append(nbformat.v4.new_markdown_cell(text))
                continue
            if "wrong-answers" in tags:
                continue
            if learner and ("solution" in tags or in_solution):
                continue
            if not learner and "learner" in tags:
                continue
            new = nbformat.v4.new_code_cell(cell.source)
            new.metadata["tags"] = sorted(tags - {"remove-cell", "remove-input", "hide-input"})
            if "checks" in tags:
                new.metadata["jupyter"] = {"source_hidden": True}
            cells.append(new)
        # Cell ids numbered, not random: the same source gives the same notebook, so a
        # rebuilt site or kit does not change (nbformat draws random ids otherwise).
        for number, cell in enumerate(cells, start=1):
            cell["id"] = f"cell-{number}"
        book = nbformat.v4.new_notebook(cells=cells)
        book.metadata["kernelspec"] = notebook.metadata.get(
            "kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"}
        )
        book.metadata["language_info"] = {"name": "python"}
        result[kind] = book
    return result


def notebook_name(docname: str) -> str:
    """Return the file-name stem of an exercise's notebooks, unique across modules.

    Exercises live in ``exercises/<module>/<exercise>.md``; their notebooks are named
    ``<module>-<exercise>``, so that notebooks of every module can share one folder
    (a learner's downloads, a workshop kit).

    Examples
    --------
    >>> notebook_name("exercises/sdg131/weighted-headline")
    'sdg131-weighted-headline'
    >>> notebook_name("demo")
    'demo'
    """
    parts = Path(docname).parts
    if len(parts) >= 3 and parts[0] == "exercises":
        return f"{parts[-2]}-{parts[-1]}"
    return parts[-1]


def write_exercise_notebooks(
    source: Path, folder: Path, name: str | None = None
) -> dict[str, Path]:
    """Write ``<name>-learner.ipynb`` and ``<name>-answer-key.ipynb`` into ``folder``.

    ``name`` defaults to the source file's stem; the site uses :func:`notebook_name`.
    """
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, book in exercise_notebooks(source).items():
        path = folder / f"{name or source.stem}-{kind}.ipynb"
        nbformat.write(book, path)
        paths[kind] = path
    return paths
