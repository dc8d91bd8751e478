"""Quiz questions for the static site: a simple source format and its HTML.

A question is written in a lesson or exercise file as a ``quiz`` directive whose body
is YAML. Multiple choice::

    ```{quiz} q-headline-union
    question: A person receives a pension and also pays contributions. How often does the
      headline count this person?
    options:
      - text: Once
        correct: true
        explain: The headline counts persons with at least one benefit or contribution.
      - text: Twice
        explain: That would count benefits, not persons.
    ```

Numeric, with a tolerance and optional typical wrong answers::

    ```{quiz} q-gap
    type: numeric
    question: How many percentage points separate ...?
    answer: 51.6
    tolerance: 0.1
    explain: Subtract the two percentages.
    wrong:
      - value: 0.516
        explain: Give percentage points, not a share.
    ```

The page shows a form that keyboard and screen-reader users can answer; a small
script (``coursekit-quiz.js``) gives the feedback in the browser, with no server, and
keeps the reader's progress in the browser's local storage only.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass, field

import yaml

__all__ = ["Quiz", "QuizError", "parse_quiz", "render_quiz"]


class QuizError(ValueError):
    """A quiz question is written in a way the site cannot show."""


@dataclass
class Quiz:
    """One quiz question, checked for completeness."""

    label: str
    kind: str
    question: str
    options: list[dict] = field(default_factory=list)
    answer: float | None = None
    tolerance: float = 0.0
    explain: str = ""
    wrong: list[dict] = field(default_factory=list)


def parse_quiz(label: str, body: str) -> Quiz:
    r"""Read a quiz question from its YAML body and check that it is complete.

    Every question needs an answer and an explanation: a choice question at least one
    correct option and an explanation for every option; a numeric question an answer,
    a tolerance and an explanation.

    Examples
    --------
    >>> quiz = parse_quiz("q1", "question: 1 + 1?\ntype: numeric\nanswer: 2\n"
    ...                   "tolerance: 0\nexplain: Add them.")
    >>> quiz.kind, quiz.answer
    ('numeric', 2.0)
    >>> parse_quiz("q2", "question: Which?\noptions:\n  - text: A\n    explain: no\n"
    ...                  "  - text: B\n    explain: no")
    Traceback (most recent call last):
    ...
    coursekit.quiz.QuizError: quiz 'q2': no option is marked `correct: true`
    """
    if not re.fullmatch(r"[A-Za-z][\w-]*", label or ""):
        raise QuizError(f"quiz label {label!r} must start with a letter: letters, digits, - or _")
    try:
        spec = yaml.safe_load(body) or {}
    except yaml.YAMLError as error:
        raise QuizError(f"quiz '{label}': the body is not valid YAML ({error})") from error
    if not isinstance(spec, dict) or not str(spec.get("question", "")).strip():
        raise QuizError(f"quiz '{label}': a `question:` is needed")
    kind = spec.get("type", "choice")
    quiz = Quiz(label, kind, str(spec["question"]).strip(), explain=str(spec.get("explain", "")))
    if kind == "choice":
        options = spec.get("options") or []
        if len(options) < 2:
            raise QuizError(f"quiz '{label}': a choice question needs at least two options")
        for number, option in enumerate(options, start=1):
            if not isinstance(option, dict) or not str(option.get("text", "")).strip():
                raise QuizError(f"quiz '{label}': option {number} needs a `text:`")
            if not str(option.get("explain", "")).strip():
                raise QuizError(f"quiz '{label}': option {number} needs an `explain:`")
            quiz.options.append(
                {
                    "text": str(option["text"]),
                    "correct": bool(option.get("correct")),
                    "explain": str(option["explain"]),
                }
            )
        if not any(o["correct"] for o in quiz.options):
            raise QuizError(f"quiz '{label}': no option is marked `correct: true`")
    elif kind == "numeric":
        try:
            quiz.answer = float(spec["answer"])
            quiz.tolerance = float(spec.get("tolerance", 0))
        except (KeyError, TypeError, ValueError) as error:
            raise QuizError(f"quiz '{label}': a numeric `answer:` is needed") from error
        if quiz.tolerance < 0:
            raise QuizError(f"quiz '{label}': the tolerance must not be negative")
        if not quiz.explain.strip():
            raise QuizError(f"quiz '{label}': an `explain:` is needed")
        for wrong in spec.get("wrong") or []:
            quiz.wrong.append({"value": float(wrong["value"]), "explain": str(wrong["explain"])})
    else:
        raise QuizError(f"quiz '{label}': type must be choice or numeric, not {kind!r}")
    return quiz


def _inline(text: str) -> str:
    """Escape text for HTML, keeping `code` spans."""
    parts = re.split(r"`([^`]+)`", text)
    return "".join(
        f"<code>{html.escape(p)}</code>" if i % 2 else html.escape(p) for i, p in enumerate(parts)
    )


def render_quiz(quiz: Quiz, page: str) -> str:
    """Return the HTML form of one question (works without JavaScript as a plain form)."""
    uid = f"quiz-{quiz.label}"
    data = {"type": quiz.kind, "id": f"{page}#{quiz.label}"}
    if quiz.kind == "choice":
        data["options"] = [{"correct": o["correct"], "explain": o["explain"]} for o in quiz.options]
        several = sum(o["correct"] for o in quiz.options) > 1
        data["several"] = several
        kind = "checkbox" if several else "radio"
        choices = "".join(
            f'<div class="quiz-option"><input type="{kind}" name="{uid}" id="{uid}-{i}" '
            f'value="{i}"><label for="{uid}-{i}">{_inline(o["text"])}</label></div>'
            for i, o in enumerate(quiz.options)
        )
        note = " (choose all that apply)" if several else ""
        body = (
            f'<fieldset><legend id="{uid}-q">{_inline(quiz.question)}{note}</legend>'
            f"{choices}</fieldset>"
        )
    else:
        data.update(
            answer=quiz.answer, tolerance=quiz.tolerance, explain=quiz.explain, wrong=quiz.wrong
        )
        body = (
            f'<p id="{uid}-q" class="quiz-question">{_inline(quiz.question)}</p>'
            f'<label for="{uid}-input">Your answer</label> '
            f'<input type="text" inputmode="decimal" id="{uid}-input" autocomplete="off">'
        )
    payload = html.escape(json.dumps(data), quote=True)
    return (
        f'<form class="quiz" id="{uid}" data-quiz="{payload}" aria-labelledby="{uid}-q">'
        f"{body}"
        '<button type="submit" class="quiz-check">Check my answer</button>'
        '<div class="quiz-feedback" role="status" aria-live="polite"></div>'
        "</form>"
    )
