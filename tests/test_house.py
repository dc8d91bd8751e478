"""The layout rules of the page "How to add ...": every addition lands in one obvious place."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import yaml

import socialprotection as sp


def toc_files(root) -> set[str]:
    toc = yaml.safe_load((root / "_toc.yml").read_text())
    found = {toc["root"]}

    def walk(entries):
        for entry in entries:
            if "file" in entry:
                found.add(entry["file"])
            walk(entry.get("sections", []))

    for part in toc["parts"]:
        walk(part["chapters"])
    return found


def test_every_module_page_and_exercise_is_in_the_toc(root):
    """``only_build_toc_files`` skips a page that is not in ``_toc.yml`` without a word."""
    listed = toc_files(root)
    pages = [*(root / "modules").rglob("*.md"), *(root / "exercises").glob("*/*.md")]
    missing = [
        p.relative_to(root).as_posix()
        for p in pages
        if p.relative_to(root).with_suffix("").as_posix() not in listed
    ]
    assert missing == [], f"add these pages to _toc.yml: {missing}"
    assert all((root / f"{file}.md").exists() for file in listed), "a _toc.yml entry has no file"


def public_modules() -> list:
    return [
        importlib.import_module(f"socialprotection.{info.name}")
        for info in pkgutil.iter_modules(sp.__path__)
        if not info.name.startswith("_")
    ]


def test_every_public_function_is_exported_flat():
    for module in public_modules():
        for name in getattr(module, "__all__", []):
            value = getattr(module, name)
            if inspect.isfunction(value):
                assert name in sp.__all__, f"sp.{name} is missing: export it in __init__.py"
                assert getattr(sp, name) is value, f"sp.{name} is not {module.__name__}.{name}"


def test_every_library_module_has_a_section_in_the_reference(root):
    # book/api.md links one page per topic in book/api/.
    index = (root / "book" / "api.md").read_text()
    documented = set()
    for page in sorted((root / "book" / "api").glob("*.md")):
        assert f"](api/{page.name})" in index, f"link book/api/{page.name} from book/api.md"
        text = page.read_text()
        documented |= set(re.findall(r"automodule:: (socialprotection\.[\w.]+)", text))
    for module in public_modules():
        assert module.__name__ in documented, f"add {module.__name__} to a page in book/api/"
