"""Every exercise: solutions pass, wrong answers get their hint, notebooks run, labels match."""

from __future__ import annotations

import os
import re
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
import pytest
from nbclient import NotebookClient

import coursekit
from coursekit.notebooks import exercise_notebooks
from coursekit.quiz import parse_quiz

ROOT = Path(__file__).resolve().parents[1]
# Every exercise of every module, and the template (which must work as it is).
EXERCISES = [
    *sorted((ROOT / "exercises").glob("*/*.md")),
    ROOT / "book" / "templates" / "exercise.md",
]
CONTENT = [
    *EXERCISES,
    *sorted((ROOT / "modules").rglob("*.md")),
    *sorted((ROOT / "book").glob("*.md")),
]


def cells(path: Path, tag: str) -> list[str]:
    notebook = jupytext.read(path)
    return [
        c.source
        for c in notebook.cells
        if c.cell_type == "code" and tag in c.get("metadata", {}).get("tags", [])
    ]


class Recorder:
    """Stands in for coursekit.check and keeps every feedback."""

    def __init__(self) -> None:
        self.results: list[coursekit.Feedback] = []

    def __call__(self, label, answer):
        feedback = coursekit.check(label, answer)
        self.results.append(feedback)
        return feedback


def run(path: Path, *tags: str) -> tuple[dict, Recorder]:
    coursekit.clear()
    namespace: dict = {}
    recorder = Recorder()
    for tag in ("setup", "checks", *tags):
        for source in cells(path, tag):
            exec(compile(source, f"{path.name}[{tag}]", "exec"), namespace)  # noqa: S102
            namespace["check"] = recorder
    return namespace, recorder


@pytest.fixture(params=EXERCISES, ids=lambda p: f"{p.parent.name}/{p.stem}")
def exercise(request) -> Path:
    return request.param


def test_there_are_exercises():
    assert len(EXERCISES) > 1


def test_exercises_live_in_the_folder_of_their_module(root):
    """``exercises/<module>/<exercise>.md``, where ``<module>`` is a folder of ``modules/``."""
    folder = root / "exercises"
    assert sorted(p.name for p in folder.iterdir() if p.is_file()) == ["README.md"]
    modules = {p.name for p in (root / "modules").iterdir() if p.is_dir()}
    for path in folder.iterdir():
        if path.is_dir():
            assert path.name in modules | {"start"}, f"exercises/{path.name}/ has no module"
            assert all(p.suffix == ".md" for p in path.iterdir()), path
    toc = (root / "_toc.yml").read_text()
    for path in folder.glob("*/*.md"):
        assert f"file: {path.relative_to(root).with_suffix('').as_posix()}\n" in toc, path


def test_every_module_exercise_sits_in_its_module_part_of_the_toc(root):
    import yaml

    toc = yaml.safe_load((root / "_toc.yml").read_text())
    for part in toc["parts"]:
        files = []
        for chapter in part["chapters"]:
            # a section may be a glob (the pages of the knowledge base's cases)
            files += [
                chapter["file"],
                *(s["file"] for s in chapter.get("sections", []) if "file" in s),
            ]
        modules = {f.split("/")[1] for f in files if f.startswith("modules/")}
        for file in files:
            if file.startswith("exercises/") and not file.startswith("exercises/start/"):
                assert file.split("/")[1] in modules, f"{file} is not in its module's part"


def test_reference_solutions_pass_every_check(exercise):
    _, recorder = run(exercise, "solution")
    assert recorder.results, "the solution cells call no check"
    assert [str(r) for r in recorder.results if not r.correct] == []
    assert {r.label for r in recorder.results} == set(coursekit.registered())


def test_placeholders_are_not_attempted(exercise):
    _, recorder = run(exercise, "learner")
    assert recorder.results
    assert {r.status for r in recorder.results} == {"not attempted"}
    assert {r.label for r in recorder.results} == set(coursekit.registered())


def test_typical_wrong_answers_get_their_hint(exercise):
    namespace, _ = run(exercise, "wrong-answers")
    table = namespace.get("WRONG_ANSWERS")
    assert table, "the exercise needs a wrong-answers cell with WRONG_ANSWERS"
    for label, value, misconception in table:
        feedback = coursekit.check(label, value)
        assert feedback.status == "not yet", (label, misconception)
        assert feedback.misconception == misconception, (label, misconception, str(feedback))
    # the expected answer never appears in the feedback text
    for label, item in coursekit.registered().items():
        if isinstance(item.expected, float):
            shown = coursekit.check(label, item.expected + 1).message
            assert f"{item.expected:.3f}" not in shown and f"{item.expected:.2f}" not in shown


def test_every_exercise_label_has_checks_and_a_solution(exercise):
    text = exercise.read_text()
    exercises = re.findall(r"\{exercise-start\}\n:label: ([\w-]+)", text)
    solutions = re.findall(r"\{solution-start\} ([\w-]+)", text)
    assert exercises and sorted(exercises) == sorted(solutions)
    checked_by_learner = set(
        re.findall(r'check\("([\w-]+)"', "\n".join(cells(exercise, "learner")))
    )
    checked_by_solution = set(
        re.findall(r'check\("([\w-]+)"', "\n".join(cells(exercise, "solution")))
    )
    run(exercise)
    assert checked_by_learner == checked_by_solution == set(coursekit.registered())
    assert len(checked_by_learner) == len(exercises)


def execute(notebook: nbformat.NotebookNode, folder: Path) -> nbformat.NotebookNode:
    client = NotebookClient(
        notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    )
    return client.execute()


@pytest.fixture(scope="session")
def executed(request, tmp_path_factory) -> dict[tuple[Path, str], Future]:
    """The learner notebooks and answer keys of the selected tests, run a few at a time.

    Each kernel is a process of its own: while pytest waits for one, the other cores run
    the next (``SP_NOTEBOOK_WORKERS``, 2 by default, as many as a CI machine has cores).
    Notebooks are submitted in the order of the tests that read them.
    """
    kinds = {
        "test_learner_notebook_runs_top_to_bottom": "learner",
        "test_answer_key_runs_and_is_all_correct": "answer-key",
    }
    workers = int(os.environ.get("SP_NOTEBOOK_WORKERS", "2"))
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="notebook")
    futures = {}
    for item in request.session.items:
        kind = kinds.get(getattr(item, "originalname", ""))
        if kind is None:
            continue
        exercise = item.callspec.params["exercise"]
        folder = tmp_path_factory.mktemp(f"{exercise.stem}-{kind}")
        notebook = exercise_notebooks(exercise)[kind]
        futures[exercise, kind] = pool.submit(execute, notebook, folder)
    yield futures
    pool.shutdown(wait=True, cancel_futures=True)


def outputs_text(notebook: nbformat.NotebookNode) -> str:
    parts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            parts.append(str(output.get("data", {}).get("text/plain", output.get("text", ""))))
    return "\n".join(parts)


def test_learner_notebook_runs_top_to_bottom(exercise, executed):
    books = exercise_notebooks(exercise)
    learner = books["learner"]
    assert not [c for c in learner.cells if "solution" in c.metadata.get("tags", [])]
    assert "{solution" not in "\n".join(c.source for c in learner.cells)
    text = outputs_text(executed[exercise, "learner"].result())
    assert "NOT ATTEMPTED" in text and "CORRECT" not in text
    # the learner's notebook never prints an expected answer in full
    run(exercise)
    for label, item in coursekit.registered().items():
        if isinstance(item.expected, float):
            assert repr(item.expected) not in text, label


def test_answer_key_runs_and_is_all_correct(exercise, executed):
    books = exercise_notebooks(exercise)
    key = books["answer-key"]
    assert not [c for c in key.cells if "learner" in c.metadata.get("tags", [])]
    text = outputs_text(executed[exercise, "answer-key"].result())
    assert "CORRECT" in text and "NOT YET" not in text and "NOT ATTEMPTED" not in text


def test_every_quiz_question_has_an_answer_and_explanations():
    found = 0
    for path in CONTENT:
        for match in re.finditer(r"```\{quiz\} ([\w-]+)\n(.*?)\n```", path.read_text(), re.DOTALL):
            quiz = parse_quiz(match.group(1), match.group(2))
            found += 1
            if quiz.kind == "choice":
                assert any(o["correct"] for o in quiz.options)
                assert all(o["explain"] for o in quiz.options)
            else:
                assert quiz.answer is not None and quiz.explain
    assert found >= 3


def test_demo_page_offers_downloads_quiz_and_explorer(built_site):
    from bs4 import BeautifulSoup

    page = BeautifulSoup(
        (built_site / "exercises/start/coverage-gaps.html").read_text(), "html.parser"
    )
    links = {a["href"] for a in page.select(".notebook-downloads a")}
    assert links == {
        "../../_notebooks/exercises/start/start-coverage-gaps-learner.ipynb",
        "../../_notebooks/exercises/start/start-coverage-gaps-answer-key.ipynb",
    }
    for href in links:
        notebook = nbformat.read(built_site / "exercises" / "start" / href, as_version=4)
        assert notebook.cells
    assert len(page.select("form.quiz")) >= 3
    scenarios = page.select(".explorer-static .explorer-scenario img")
    assert len(scenarios) >= 2 and all(img.get("alt") for img in scenarios)
    assert page.select(".explorer-note")
    assert "widget-state" not in str(page)
