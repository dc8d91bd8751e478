"""No number typed by hand in the prose of lessons and exercises.

A number in a lesson comes from a bundled dataset through the library at build time
(``{glue:text}``), or its sentence carries a citation (``{cite:p}``).
Names that contain digits (SDG 1.3.1, Convention No. 102, C102, R202, ISO3, M49...)
are allowed, and so are the numbers of numbered lists and headings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p
    for folder in ("modules", "exercises")
    for p in (ROOT / folder).rglob("*.md")
    if p.name != "README.md"
)

REMOVE = [
    r"^---\n.*?\n---\n",  # front matter
    r"^(`{3,}|:{3,})\{(code-cell|quiz)\}.*?^\1\s*$",  # code cells and quiz bodies
    r"^(`{3,})[^\n{]*\n.*?^\1\s*$",  # plain code blocks
    r"^:[\w-]+:.*$",  # directive options
    r"\$\$.*?\$\$",  # display math
    r"\$[^$\n]+\$",  # inline math
    r"\{[\w:-]+\}`[^`]*`",  # roles: glue, cite, ref, term, numref...
    r"`[^`\n]*`",  # inline code
    r"\]\([^)]*\)",  # link targets
    r"^\([\w-]+\)=\s*$",  # labels
    r"<!--.*?-->",  # comments
]
ALLOWED = [
    r"SDGs?( indicator| target)? \d+(\.\d+)*(\.\d+)?",
    r"indicators? \d+\.\d+\.\d+",
    r"target \d+\.\d+",
    r"\b\d\.\d\.\d\b",
    r"No\. ?(102|202)",
    r"\b[CR](102|202)\b",
    r"\bISO ?3(166)?(-1)?\b",
    r"\bM49\b",
    r"\balpha-3\b",
    r"\bCC BY \d\.\d\b",
    r"\b2030 Agenda\b",
    r"^#+ \d+\.",  # numbered headings
    r"^\s*\d+\. ",  # numbered lists
    r"\bWPP ?20\d\d\b|\bWorld Population Prospects 20\d\d\b",  # data vintages (names)
    r"\bPython 3\.\d+\b",
    r"between 0 and 1",  # what a share is
]
# An exercise names the year it asks about; a lesson glues or cites its years.
ALLOWED_IN_EXERCISES = [r"\b(19|20)\d\d\b"]


def prose_lines(path: Path) -> list[tuple[int, str]]:
    text = path.read_text(encoding="utf-8")
    for pattern in REMOVE:
        text = re.sub(
            pattern,
            lambda m: "\n" * m.group(0).count("\n"),
            text,
            flags=re.DOTALL | re.MULTILINE,
        )
    return list(enumerate(text.splitlines(), start=1))


def typed_numbers(path: Path) -> list[str]:
    found = []
    for number, line in prose_lines(path):
        if "{cite" in path.read_text(encoding="utf-8").splitlines()[number - 1]:
            continue
        stripped = line
        extra = ALLOWED_IN_EXERCISES if "exercises" in path.parts else []
        for pattern in [*ALLOWED, *extra]:
            stripped = re.sub(pattern, " ", stripped)
        if re.search(r"\d", stripped):
            where = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            found.append(f"{where}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_number_is_typed_by_hand(page):
    assert typed_numbers(page) == []


def test_the_rule_can_fail(tmp_path):
    page = tmp_path / "lesson.md"
    page.write_text(
        "# Title\n\nCoverage was 29.8 percent in Tajikistan.\n"
        "Coverage was {glue:text}`tjk:.1f` percent.\n"
        "SDG indicator 1.3.1 is defined in Convention No. 102 and R202.\n"
        "The world covered 52.4 percent {cite:p}`ilo`.\n"
    )
    assert typed_numbers(page) == [f"{page}:3: Coverage was 29.8 percent in Tajikistan."]
