"""The knowledge base of good practices: case files, their schema, and the pages built from them."""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "book" / "_ext"))

import knowledge_base as kb  # noqa: E402

CASE_FILES = sorted((ROOT / "knowledge" / "cases").glob("*.yaml"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --------------------------------------------------------------------------- the case files
def test_every_case_follows_the_schema_and_there_are_at_least_24():
    cases = kb.load_cases(ROOT)  # raises CaseError, naming each problem, on a bad case
    assert len(cases) >= 24
    countries = [c for case in cases.values() for c in case["countries"]]
    assert countries.count("CHN") >= 4
    assert countries.count("TJK") >= 1 and countries.count("LAO") >= 1


def test_every_source_is_a_key_of_the_references():
    keys = kb.bib_keys(ROOT / "book" / "references.bib")
    cited = {k for path in CASE_FILES for k in kb.case_sources(yaml.safe_load(path.read_text()))}
    assert cited and cited <= keys, sorted(cited - keys)


def test_the_vocabularies_hang_together():
    vocabulary = kb.load_vocabulary(ROOT)
    for code, country in vocabulary["country"].items():
        assert re.fullmatch(r"[A-Z]{3}", code)
        assert country["region"] in vocabulary["region"], code
    modules = {p.name for p in (ROOT / "modules").iterdir() if (p / "index.md").exists()}
    assert set(vocabulary["module"]) == modules
    schema = kb.load_schema(ROOT, vocabulary)
    assert schema["$defs"]["phase"]["enum"] == sorted(vocabulary["phase"])


@pytest.fixture
def book_copy(tmp_path: Path) -> Path:
    """A copy of what the case checks read, with one good case, in a temporary folder."""
    for name in ("knowledge/vocabulary.yaml", "knowledge/case.schema.json", "book/references.bib"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    for index in (ROOT / "modules").glob("*/index.md"):
        (tmp_path / "modules" / index.parent.name).mkdir(parents=True)
        (tmp_path / "modules" / index.parent.name / "index.md").write_text("# Module\n")
    (tmp_path / kb.CASES).mkdir(parents=True)
    shutil.copy(ROOT / kb.CASES / "china-social-security-card.yaml", tmp_path / kb.CASES)
    assert len(kb.load_cases(tmp_path)) == 1
    return tmp_path


def write_bad_case(root: Path, change) -> None:  # noqa: ANN001
    case = yaml.safe_load((ROOT / kb.CASES / "china-social-security-card.yaml").read_text())
    change(case)
    (root / kb.CASES / "bad-case.yaml").write_text(yaml.safe_dump(case, allow_unicode=True))


def _no_sources(case: dict) -> None:
    for field in ("problem", "what_was_done", "results", "conditions_and_costs"):
        for claim in case[field]:
            claim.pop("sources")


BAD_CASES = {
    "no sources": (_no_sources, "'sources' is a required property"),
    "empty sources": (
        lambda c: c["results"][0].update(sources=[]),
        "results/0/sources: [] should be non-empty",
    ),
    "unknown source": (
        lambda c: c["results"][0].update(sources=["nobody_2099"]),
        "source 'nobody_2099' is not a key of book/references.bib",
    ),
    "unknown phase": (
        lambda c: c["phases"].append("teleportation"),
        "phases/3: 'teleportation' is not one of",
    ),
    "unknown country": (lambda c: c.update(countries=["XXX"]), "countries/0: 'XXX' is not one of"),
    "unknown digital component": (
        lambda c: c.update(digital=["blockchain"]),
        "digital/0: 'blockchain' is not one of",
    ),
    "unknown module": (
        lambda c: c.update(modules=["astrology"]),
        "modules/0: 'astrology' is not one of",
    ),
    "unknown field": (lambda c: c.update(rating=5), "Additional properties are not allowed"),
    "region of another country": (
        lambda c: c.update(region="africa"),
        "region 'africa' is not the region of CHN",
    ),
    "figure in the summary": (
        lambda c: c.update(summary="China issued 1.38 billion cards to its people."),
        "summary: put no figure",
    ),
    "figure in a lesson": (lambda c: c["lessons"].append("Issue 100 cards a day."), "lessons/3"),
    "no result but not thin": (lambda c: c.update(results=[]), "must have evidence level 'thin'"),
    "undefined acronym": (
        lambda c: c["lessons"].append("Ask the CNSS how it registers people."),
        "acronym 'CNSS' is not defined",
    ),
}


@pytest.mark.parametrize("name", BAD_CASES)
def test_a_bad_case_fails_with_a_clear_message(book_copy, name):
    change, message = BAD_CASES[name]
    write_bad_case(book_copy, change)
    with pytest.raises(kb.CaseError) as error:
        kb.load_cases(book_copy)
    assert "bad-case.yaml" in str(error.value)
    assert message in str(error.value)


def test_known_acronyms_are_spelled_out_at_their_first_use():
    vocabulary = kb.load_vocabulary(ROOT)
    case = yaml.safe_load((ROOT / kb.CASES / "tajikistan-budget-review.yaml").read_text())
    page = kb.case_markdown("tajikistan-budget-review", case, vocabulary)
    first = page.index("ILO")
    assert page[first - len("International Labour Organization (") : first].startswith(
        "International Labour Organization"
    )
    assert page.count("International Labour Organization") == 1


# --------------------------------------------------------------------------- the built pages
def test_site_has_a_page_for_every_case_with_its_sources(built_site):
    pages = sorted((built_site / "knowledge" / "cases").glob("*.html"))
    assert len(pages) == len(CASE_FILES) >= 24
    for path in pages:
        article = soup(path).find("article")
        levels = [int(h.name[1]) for h in article.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1 and max(levels) == 2, path.name
        claims = [
            li
            for h2 in article.find_all("h2")
            if h2.get_text().rstrip("#") in {t for _, t in kb.SECTIONS}
            for li in h2.find_parent("section").find_all("li")
        ]
        assert claims, path.name
        for li in claims:  # every fact, and so every figure, carries its citation
            assert li.find("a", href=re.compile(r"references\.html#")), (path.name, li.get_text())


def test_site_index_lists_every_case_with_its_tags(built_site):
    page = soup(built_site / "knowledge" / "index.html")
    items = page.select(".case-list > li")
    assert len(items) == len(CASE_FILES)
    for item in items:
        href = item.find("a")["href"]
        assert (built_site / "knowledge" / href).exists(), href
        assert item["data-country"] and item["data-region"] and item["data-function"]
    for key, label, _ in kb.FILTERS:
        select = page.find("select", id=f"case-{key}")
        assert page.find("label", attrs={"for": f"case-{key}"}).get_text() == label
        assert len(select.find_all("option")) >= 2
    scripts = [s.get("src", "") for s in page.find_all("script")]
    assert any("_static/knowledge.js" in s for s in scripts)
    other = soup(built_site / "book" / "index.html").find_all("script")
    assert not any("knowledge.js" in s.get("src", "") for s in other)


@pytest.mark.parametrize(
    "module",
    ["sdg131", "migration", "finance", "assessment", "registries", "interop", "delivery"],
)
def test_site_module_lists_the_cases_that_name_it(built_site, module):
    cases = kb.load_cases(ROOT)
    expected = {s for s, c in cases.items() if module in (c.get("modules") or [])}
    assert expected
    page = soup(built_site / "modules" / module / "index.html")
    section = page.find("section", id="cases-from-the-knowledge-base")
    linked = {Path(a["href"]).stem for a in section.find_all("a", href=re.compile("cases/"))}
    assert linked == expected
    for slug in expected:  # and each case links back to the module
        case = soup(built_site / "knowledge" / "cases" / f"{slug}.html")
        assert case.find("a", href=re.compile(rf"modules/{module}/index\.html"))


def test_the_case_script_is_small():
    assert (ROOT / "book" / "_static" / "knowledge.js").stat().st_size < 4_000
