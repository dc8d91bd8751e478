"""No number typed by hand in the prose of lessons and exercises.

A number in a lesson comes from a bundled dataset through the library at build time
(``{glue:text}``), or its sentence carries a citation (``{cite:p}``).
Names that contain digits (SDG 1.3.1, Convention No. 102, C102, R202, PI-1, ISO3, M49...)
are allowed, and so are the numbers of numbered lists and headings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PAGES = sorted(
    p
    for folder in ("modules", "exercises", "knowledge")
    for p in (ROOT / folder).rglob("*.md")
    if p.name != "README.md"
)

SKIPPED_DIRECTIVES = {"code-cell", "quiz", "eval-rst", "bibliography"}
FENCE = re.compile(r"^(?P<fence>`{3,}|:{3,})(?:\{(?P<name>[\w:-]+)\})?(?P<rest>.*)$")
INLINE = [
    r"^:[\w-]+:.*$",  # directive options
    r"\$\$.*?\$\$",  # display math on one line
    r"\$[^$\n]+\$",  # inline math
    r"\{[\w:-]+\}`[^`]*`",  # roles: glue, cite, ref, term, numref...
    r"`[^`\n]*`",  # inline code
    r"\]\([^)]*\)",  # link targets
    r"^\([\w-]+\)=[ \t]*$",  # labels
    r"<!--.*?-->",  # comments on one line
]


ALLOWED = [
    r"SDGs?( indicator| target)? \d+(\.\d+)*(\.\d+)?",
    r"indicators? \d+\.\d+\.\d+",
    r"target \d+\.\d+",
    r"\b\d\.\d\.\d\b",
    r"No\. ?(102|202)",
    r"\b[CR](102|202)\b",
    r"\bPI-\d\b",  # PEFA indicator names (PI-1, PI-2)
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
    r"\b[Qq]uestions? \d+( and \d+)?",  # references to an exercise's own questions
    r"about \d+(\.\d+)? (minutes|hours)",  # time to learn: an estimate of the authors
]
# An exercise names the year it asks about; a lesson glues or cites its years.
ALLOWED_IN_EXERCISES = [r"\b(19|20)\d\d\b"]


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """Return (line number, text) of the prose: code, quiz bodies and front matter blanked.

    Fences are followed with a stack, so that the closing fence of a directive
    (an admonition, an exercise) is not mistaken for the opening of a code block.
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    out: list[tuple[int, str]] = []
    stack: list[tuple[str, bool]] = []  # (fence, skipped)
    in_front_matter = bool(lines) and lines[0].strip() == "---"
    in_math = False
    for number, line in enumerate(lines, start=1):
        if in_front_matter:
            if number > 1 and line.strip() == "---":
                in_front_matter = False
            continue
        match = FENCE.match(line.strip())
        if match:
            fence, name = match.group("fence"), match.group("name")
            if stack and not name and not match.group("rest").strip() and stack[-1][0] == fence:
                stack.pop()
                continue
            skipped = name is None or name in SKIPPED_DIRECTIVES or any(s for _, s in stack)
            stack.append((fence, skipped))
            continue
        if any(skipped for _, skipped in stack):
            continue
        if line.strip() == "$$":
            in_math = not in_math
            continue
        if in_math:
            continue
        for pattern in INLINE:
            line = re.sub(pattern, " ", line)
        out.append((number, line))
    return out


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
        "```{admonition} Note\n:class: tip\n\nIn 2019 coverage was 26.6 percent.\n```\n"
    )
    assert typed_numbers(page) == [
        f"{page}:3: Coverage was 29.8 percent in Tajikistan.",
        f"{page}:10: In 2019 coverage was 26.6 percent.",
    ]
