"""Immediate feedback on exercise answers, without giving the answer away.

An exercise registers its checks once, in one cell that a trainer can read::

    from coursekit import register, Misconception

    register(
        "weighted-coverage",
        expected=0.301,
        tolerance=0.0005,
        misconceptions=[
            Misconception("unweighted", 0.256, "Did you forget the survey weights?"),
        ],
    )

and the learner calls ``check(label, answer)`` below each answer.
The feedback is one of three kinds:

- **correct**;
- **not attempted**: the answer is still the placeholder ``...``;
- **not yet**: with a hint tied to the likely misconception when the answer matches a
  known wrong answer (unweighted instead of weighted, a percentage instead of a share,
  households instead of persons...), or with a description of the first difference.

The expected answer is never shown.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["Check", "Feedback", "Misconception", "check", "clear", "register", "registered"]

CORRECT, NOT_ATTEMPTED, WRONG = "correct", "not attempted", "not yet"


@dataclass(frozen=True)
class Misconception:
    """A typical wrong answer and the hint it deserves.

    Parameters
    ----------
    name : str
        A short name, such as ``"unweighted"`` or ``"percent"``.
    value : object
        The wrong answer that this misconception produces (a number, Series or DataFrame).
    hint : str
        What to tell the learner. It must not contain the expected answer.
    """

    name: str
    value: Any
    hint: str


@dataclass(repr=False)
class Check:
    """What one exercise question expects; built by :func:`register`.

    Its printed form never shows the expected answer, so a notebook cell that ends
    with ``register(...)`` gives nothing away.

    >>> register("demo-repr", 0.3)
    <check 'demo-repr': 0 misconception(s)>
    """

    label: str
    expected: Any
    tolerance: float = 1e-6
    relative: bool = False
    misconceptions: list[Misconception] = field(default_factory=list)
    hint: str = ""
    check_dtype: bool = False

    def __repr__(self) -> str:
        return f"<check '{self.label}': {len(self.misconceptions)} misconception(s)>"


@dataclass(frozen=True)
class Feedback:
    """The result of :func:`check`: a status and a message for the learner.

    In Jupyter it shows as a coloured box with an icon and a word (so colour never carries
    the meaning alone); in a terminal, as one line of text.
    """

    label: str
    status: str
    message: str
    misconception: str | None = None

    @property
    def correct(self) -> bool:
        """True when the answer is right."""
        return self.status == CORRECT

    def __str__(self) -> str:
        return f"[{self.label}] {self.status.upper()}: {self.message}"

    __repr__ = __str__

    def _repr_html_(self) -> str:
        icon = {CORRECT: "✔", NOT_ATTEMPTED: "…", WRONG: "✘"}[self.status]
        # The colour for a light page; the site's stylesheet (coursekit.css) sets a
        # lighter one for dark mode through the variable, with the same contrast.
        kind = {CORRECT: "correct", NOT_ATTEMPTED: "not-attempted", WRONG: "wrong"}[self.status]
        light = {CORRECT: "#1a7f37", NOT_ATTEMPTED: "#6e7781", WRONG: "#b35900"}[self.status]
        colour = f"var(--coursekit-{kind}, {light})"
        return (
            f'<div class="coursekit-feedback" role="status" '
            f'style="border-left:4px solid {colour};padding:.4em .8em;margin:.3em 0">'
            f'<strong style="color:{colour}">{icon} {html.escape(self.status.capitalize())}'
            f"</strong> <code>{html.escape(self.label)}</code><br>{html.escape(self.message)}"
            "</div>"
        )


_REGISTRY: dict[str, Check] = {}


def register(
    label: str,
    expected: Any,
    *,
    tolerance: float = 1e-6,
    relative: bool = False,
    misconceptions: list[Misconception] | None = None,
    hint: str = "",
    check_dtype: bool = False,
) -> Check:
    """Register what the question ``label`` expects.

    Parameters
    ----------
    label : str
        The question's label, used again in :func:`check`.
    expected : object
        The right answer: a number, a string, a pandas Series or DataFrame, or a list.
    tolerance : float, default 1e-6
        Numbers within this distance of the expected value are right (absolute, or
        relative to the expected value when ``relative`` is True).
    relative : bool, default False
        Read ``tolerance`` as a share of the expected value.
    misconceptions : list of Misconception, optional
        Typical wrong answers with their hints. They are tried in order.
        A percentage given instead of a share is always recognised.
    hint : str, optional
        A general hint shown when the answer is wrong and matches no misconception.
    check_dtype : bool, default False
        For Series and DataFrames, also compare the column types.

    Examples
    --------
    >>> _ = register("demo-share", 0.25, tolerance=0.001)
    >>> check("demo-share", 0.2501).status
    'correct'
    """
    item = Check(
        label, expected, tolerance, relative, list(misconceptions or []), hint, check_dtype
    )
    _REGISTRY[label] = item
    return item


def registered() -> dict[str, Check]:
    """Return the checks registered so far, by label."""
    return dict(_REGISTRY)


def clear() -> None:
    """Forget every registered check (used by tests)."""
    _REGISTRY.clear()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float | np.integer | np.floating) and not isinstance(value, bool)


def _close(a: float, b: float, item: Check) -> bool:
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    allowed = item.tolerance * abs(b) if item.relative else item.tolerance
    return abs(a - b) <= allowed + 1e-12


def _difference(answer: Any, expected: Any, item: Check) -> str | None:
    """Return None when ``answer`` matches ``expected``, else the first difference in words."""
    if _is_number(expected):
        if not _is_number(answer):
            return f"expected a number, got {type(answer).__name__}"
        if _close(float(answer), float(expected), item):
            return None
        return "the number is not right yet"
    if isinstance(expected, pd.DataFrame):
        if not isinstance(answer, pd.DataFrame):
            return f"expected a DataFrame, got {type(answer).__name__}"
        if list(answer.columns) != list(expected.columns):
            missing = [c for c in expected.columns if c not in answer.columns]
            extra = [c for c in answer.columns if c not in expected.columns]
            if missing or extra:
                return f"columns differ: missing {missing}, unexpected {extra}"
            return "the columns are right but in another order"
        for column in expected.columns:
            found = _difference(answer[column], expected[column], item)
            if found:
                return f"column '{column}': {found}"
        return None
    if isinstance(expected, pd.Series):
        if not isinstance(answer, pd.Series):
            return f"expected a Series, got {type(answer).__name__}"
        if len(answer) != len(expected):
            return f"expected {len(expected)} values, got {len(answer)}"
        if not answer.index.equals(expected.index):
            for position, (a, b) in enumerate(zip(answer.index, expected.index, strict=True)):
                if a != b:
                    return f"the index differs at position {position}: {a!r}"
        if item.check_dtype and answer.dtype != expected.dtype:
            return f"values should be of type {expected.dtype}, got {answer.dtype}"
        if pd.api.types.is_numeric_dtype(expected.dtype):
            if not pd.api.types.is_numeric_dtype(answer.dtype):
                return "values should be numbers"
            for label, a, b in zip(
                expected.index, answer.to_numpy(), expected.to_numpy(), strict=True
            ):
                if not _close(float(a), float(b), item):
                    return f"the value for {label!r} is not right yet"
            return None
        unequal = answer.to_numpy() != expected.to_numpy()
        if unequal.any():
            return f"the value for {expected.index[int(np.flatnonzero(unequal)[0])]!r} differs"
        return None
    if isinstance(expected, list | tuple):
        if not isinstance(answer, list | tuple) or len(answer) != len(expected):
            return f"expected a list of {len(expected)} items"
        for position, (a, b) in enumerate(zip(answer, expected, strict=True)):
            found = _difference(a, b, item)
            if found:
                return f"item {position + 1}: {found}"
        return None
    return None if answer == expected else "the answer is not right yet"


def _as_percent(value: Any) -> Any:
    if _is_number(value):
        return float(value) * 100
    if isinstance(value, pd.Series) and pd.api.types.is_numeric_dtype(value.dtype):
        return value * 100
    return None


def check(label: str, answer: Any) -> Feedback:
    """Give feedback on ``answer`` to the question ``label``; never reveal the expected answer.

    Parameters
    ----------
    label : str
        The question's label, as registered.
    answer : object
        The learner's answer. The placeholder ``...`` means "not attempted".

    Returns
    -------
    Feedback
        Shown as HTML in Jupyter and as text in a terminal.

    Examples
    --------
    >>> _ = register("demo", 0.5, tolerance=0.01,
    ...              misconceptions=[Misconception("unweighted", 0.4, "Use the weights.")])
    >>> print(check("demo", ...))
    [demo] NOT ATTEMPTED: Replace ... with your answer, then run the cell again.
    >>> print(check("demo", 0.4))
    [demo] NOT YET: Use the weights.
    >>> check("demo", 50).misconception
    'percent'
    >>> print(check("demo", 0.5))
    [demo] CORRECT: Well done.
    """
    if label not in _REGISTRY:
        known = ", ".join(sorted(_REGISTRY)) or "none yet (run the exercise's first cells)"
        raise KeyError(f"no check is registered for '{label}'; registered checks: {known}")
    item = _REGISTRY[label]
    if answer is ...:
        return Feedback(
            label, NOT_ATTEMPTED, "Replace ... with your answer, then run the cell again."
        )
    difference = _difference(answer, item.expected, item)
    if difference is None:
        return Feedback(label, CORRECT, "Well done.")
    for wrong in item.misconceptions:
        if _difference(answer, wrong.value, item) is None:
            return Feedback(label, WRONG, wrong.hint, wrong.name)
    percent = _as_percent(item.expected)
    scaled = replace(item, tolerance=item.tolerance * (1 if item.relative else 100))
    if percent is not None and _difference(answer, percent, scaled) is None:
        return Feedback(
            label,
            WRONG,
            "This looks like a percentage. Give a share between 0 and 1 "
            "(for example 0.25 for 25 %).",
            "percent",
        )
    message = f"Not yet: {difference}."
    if item.hint:
        message += f" Hint: {item.hint}"
    return Feedback(label, WRONG, message)
