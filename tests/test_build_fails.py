"""A cell error or a Sphinx warning fails the build: checked on a one-page book."""

import shutil

import pytest
from build_book import build

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# A page
"""

PAGES = {
    "fine": HEADER + "\n```{code-cell} ipython3\nprint(1 + 1)\n```\n",
    "cell error": HEADER + "\n```{code-cell} ipython3\nraise ValueError('boom')\n```\n",
    "warning": HEADER + "\nSee {ref}`a-label-that-does-not-exist`.\n",
}


@pytest.mark.parametrize("case", PAGES)
def test_build_outcome(case, root, tmp_path):
    shutil.copy(root / "_config.yml", tmp_path / "_config.yml")
    shutil.copytree(root / "book" / "_ext", tmp_path / "book" / "_ext")
    shutil.copytree(root / "book" / "_static", tmp_path / "book" / "_static")
    (tmp_path / "book" / "references.bib").write_text("")
    (tmp_path / "_toc.yml").write_text("format: jb-book\nroot: page\n")
    (tmp_path / "page.md").write_text(PAGES[case])
    code = build(tmp_path, rebuild_all=True)
    assert (code == 0) == (case == "fine")
