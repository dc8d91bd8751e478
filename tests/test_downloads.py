"""Every exercise page offers both notebooks as downloads that also work from disk.

The browser test ``test_notebook_links_save_the_notebooks_from_disk`` clicks both links
of one page in Chromium; this checks every exercise page from its files.
"""

from __future__ import annotations

import json

from bs4 import BeautifulSoup


def download_problems(html) -> tuple[int, list[str]]:  # noqa: ANN001
    """Return the number of exercise pages with notebook links, and what is wrong."""
    problems, count = [], 0
    for path in sorted(html.rglob("*.html")):
        page = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
        nav = page.find("nav", class_="notebook-downloads")
        if nav is None:
            continue
        count += 1
        name = path.relative_to(html).as_posix()
        kinds = {a.get("data-notebook"): a for a in nav.find_all("a")}
        if set(kinds) != {"notebook-learner", "notebook-answer-key"}:
            problems.append(f"{name}: links {sorted(kinds)}")
            continue
        for kind, link in kinds.items():
            target = (path.parent / link["href"]).resolve()
            if not link.has_attr("download"):
                problems.append(f"{name}: {kind} link has no download attribute")
            if target.suffix != ".ipynb" or not target.exists():
                problems.append(f"{name}: {kind} link to {link['href']}: no notebook")
                continue
            # The copy that coursekit-downloads.js saves when the page is opened from disk.
            copy = page.find("script", id=kind, type="application/json")
            if copy is None:
                problems.append(f"{name}: no copy of the {kind} in the page")
            elif json.loads(copy.string) != json.loads(target.read_text(encoding="utf-8")):
                problems.append(f"{name}: the copy of the {kind} differs from the file")
    return count, problems


def test_every_exercise_page_offers_both_notebooks_from_disk(built_site):
    count, problems = download_problems(built_site)
    assert count >= 30
    assert problems == []


def test_the_download_check_can_fail(tmp_path):
    folder = tmp_path / "_notebooks"
    folder.mkdir()
    (folder / "a-learner.ipynb").write_text('{"cells": []}')
    (tmp_path / "a.html").write_text(
        '<nav class="notebook-downloads">'
        '<a href="_notebooks/a-learner.ipynb" download data-notebook="notebook-learner">L</a>'
        '<a href="_notebooks/a-key.ipynb" data-notebook="notebook-answer-key">K</a></nav>'
        '<script type="application/json" id="notebook-learner">{"cells": [1]}</script>'
    )
    count, problems = download_problems(tmp_path)
    assert count == 1
    assert problems == [
        "a.html: the copy of the notebook-learner differs from the file",
        "a.html: notebook-answer-key link has no download attribute",
        "a.html: notebook-answer-key link to _notebooks/a-key.ipynb: no notebook",
    ]
