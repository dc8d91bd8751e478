"""Sphinx extension: the knowledge base of good practices, built from one YAML file per case.

Each case is a small YAML file in ``knowledge/cases/<slug>.yaml``.
The build reads it as a page of its own (``knowledge/cases/<slug>.html``): nothing is generated
into the source tree, so a fresh clone builds with ``make book``.
A case is checked when it is read, against ``knowledge/case.schema.json`` (JSON Schema), the
controlled vocabularies of ``knowledge/vocabulary.yaml``, the folders of ``modules/`` and the
keys of ``book/references.bib``; a bad case is a warning, so it fails the build.

Directives
----------
``case-index``
    The filterable list of every case (the index page of the knowledge base).
    A few kilobytes of script (``book/_static/knowledge.js``) filter it by country, region,
    delivery-chain phase, governance function and digital component, and search its text;
    the script is loaded on that page only, and works from disk.
``knowledge-cases``
    On a module's landing page: the list of the cases that illustrate the module
    (the cases whose field ``modules`` names the module's folder).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path
from typing import Any

import yaml
from docutils import nodes
from myst_parser.parsers.sphinx_ import MystParser
from sphinx import addnodes
from sphinx.application import Sphinx
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

LOGGER = logging.getLogger(__name__)

CASES = "knowledge/cases"
VOCABULARIES = ("region", "country", "phase", "function", "digital", "module")
SECTIONS = (
    ("problem", "The problem"),
    ("what_was_done", "What was done"),
    ("results", "Results"),
    ("conditions_and_costs", "Conditions and costs"),
)
FILTERS = (
    ("country", "Country", "All countries"),
    ("region", "Region", "All regions"),
    ("phase", "Delivery-chain phase", "All phases"),
    ("function", "Governance function", "All functions"),
    ("digital", "Digital component", "All components"),
    ("evidence", "Evidence", "Any evidence"),
)
EVIDENCE = {
    "documented": {"label": "Documented, with figures"},
    "thin": {"label": "Thin evidence"},
}


class CaseError(ValueError):
    """A case file that does not follow the schema, the vocabularies or the references."""


# --------------------------------------------------------------------------- loading
def load_vocabulary(root: Path) -> dict[str, dict[str, dict[str, str]]]:
    """Return the controlled vocabularies of ``knowledge/vocabulary.yaml``, with the modules.

    The keys are the singular names used in the schema (``region``, ``country``, ``phase``,
    ``function``, ``digital``, ``module``); each maps a tag to its ``label`` (and, for a
    country, its ``region``). The modules are the folders of ``modules/`` with an ``index.md``.
    """
    data = yaml.safe_load((root / "knowledge" / "vocabulary.yaml").read_text(encoding="utf-8"))
    vocabulary = {
        "region": data["regions"],
        "country": data["countries"],
        "phase": data["phases"],
        "function": data["functions"],
        "digital": data["digital"],
    }
    vocabulary["acronyms"] = data.get("acronyms", {})
    vocabulary["currencies"] = {code: {"label": code} for code in data.get("currencies", [])}
    vocabulary["module"] = {
        path.parent.name: {"label": path.parent.name}
        for path in sorted((root / "modules").glob("*/index.md"))
    }
    return vocabulary


def load_schema(root: Path, vocabulary: dict[str, dict[str, Any]] | None = None) -> dict:
    """Return the case schema with the enums of its vocabularies filled in."""
    schema = json.loads((root / "knowledge" / "case.schema.json").read_text(encoding="utf-8"))
    vocabulary = vocabulary or load_vocabulary(root)
    for name in VOCABULARIES:
        schema["$defs"][name]["enum"] = sorted(vocabulary[name])
    return schema


def bib_keys(path: Path) -> set[str]:
    """Return the citation keys of a BibTeX file."""
    return set(re.findall(r"^@\w+\{\s*([^,\s]+)\s*,", path.read_text(encoding="utf-8"), re.M))


def case_sources(case: dict) -> list[str]:
    """Return every reference key that a case cites, in order of first use."""
    keys: list[str] = []
    for field, _ in SECTIONS:
        for claim in case.get(field) or []:
            for key in claim.get("sources", []) if isinstance(claim, dict) else []:
                if key not in keys:
                    keys.append(key)
    return keys


def validate_case(
    case: Any, schema: dict, vocabulary: dict[str, dict[str, Any]], keys: set[str]
) -> list[str]:
    """Return the problems of one case (an empty list when it is valid).

    Checks the schema (with its controlled vocabularies), that every source is a key of
    ``book/references.bib``, that the region is the region of its countries, that the summary
    holds no figure (nor the lessons, and the title and the evidence note only years, since they
    carry no source), and that a case with no result is flagged ``thin``.
    """
    import jsonschema  # installed with the book (nbformat needs it)

    validator = jsonschema.Draft202012Validator(schema)
    problems = [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(case)'}: {error.message}"
        for error in sorted(validator.iter_errors(case), key=lambda e: list(e.absolute_path))
    ]
    if problems or not isinstance(case, dict):
        return problems
    for key in case_sources(case):
        if key not in keys:
            problems.append(f"source {key!r} is not a key of book/references.bib")
    regions = {vocabulary["country"][c].get("region") for c in case["countries"]}
    if len(case["countries"]) == 1 and case["region"] not in regions:
        problems.append(f"region {case['region']!r} is not the region of {case['countries'][0]}")
    if re.search(r"\d", case["summary"]):
        problems.append("summary: put no figure in the summary (it is shown without sources)")
    for i, lesson in enumerate(case["lessons"]):
        if re.search(r"\d", lesson):
            problems.append(f"lessons/{i}: put no figure in a lesson (lessons carry no source)")
    for field in ("title", "evidence"):
        text = case[field] if field == "title" else case[field]["note"]
        if re.search(r"\d", re.sub(r"\b(19|20)\d\d\b", "", text)):
            problems.append(f"{field}: only years may be written in figures here")
    if not case["results"] and case["evidence"]["level"] != "thin":
        problems.append("results: a case with no result must have evidence level 'thin'")
    for token in undefined_acronyms(case, vocabulary):
        problems.append(
            f"acronym {token!r} is not defined: write 'Full name ({token})' at its first use, "
            "or add it to acronyms in knowledge/vocabulary.yaml"
        )
    return problems


def _prose(case: dict) -> str:
    parts = [case["summary"]]
    for field, _ in SECTIONS:
        parts += [claim["text"] for claim in case[field]]
    return "\n".join([*parts, *case["lessons"], case["evidence"]["note"]])


def undefined_acronyms(case: dict, vocabulary: dict[str, dict[str, Any]]) -> list[str]:
    """Return the acronyms of a case that its page would use before defining them.

    Known acronyms are spelled out by the page itself; codes of currencies and parts of
    document numbers (224/PM, PF-258) are not acronyms to define.
    """
    known = {word for name in vocabulary.get("acronyms", {}) for word in name.split()}
    text = _prose(case)
    found = []
    for token in dict.fromkeys(re.findall(r"(?<![\w/-])[A-Z]{2,}(?![\w/-])", text)):
        if token in known or token in vocabulary.get("currencies", {}):
            continue
        bare, defined = _acronym(token).search(text), text.find(f"({token})")
        if defined < 0 or (bare is not None and bare.start() < defined):
            found.append(token)
    return found


def load_cases(root: Path) -> dict[str, dict]:
    """Read and check every case; return them by slug, in file-name order.

    Raises
    ------
    CaseError
        When a case breaks a rule; the message names the file and every problem.
    """
    vocabulary = load_vocabulary(root)
    schema = load_schema(root, vocabulary)
    keys = bib_keys(root / "book" / "references.bib")
    cases, problems = {}, []
    for path in sorted((root / CASES).glob("*.yaml")):
        case = yaml.safe_load(path.read_text(encoding="utf-8"))
        found = validate_case(case, schema, vocabulary, keys)
        problems += [f"{path.relative_to(root)}: {p}" for p in found]
        cases[path.stem] = case
    if problems:
        raise CaseError("\n".join(problems))
    return cases


# --------------------------------------------------------------------------- one case page
def _years(years: dict) -> str:
    start, end = years["from"], years.get("to")
    if start is None:
        return "years not known"
    if end is None:
        return f"since {start}"
    return str(start) if end == start else f"{start} to {end}"


def _labels(vocabulary: dict, name: str, tags: list[str]) -> str:
    return ", ".join(vocabulary[name][t]["label"] for t in tags) or "none in particular"


def _tag_links(vocabulary: dict, name: str, tags: list[str]) -> str:
    """Each tag as a link to the index, filtered on it (``../index.html?country=TJK``)."""
    links = [
        f'<a href="../index.html?{name}={t}">{html.escape(vocabulary[name][t]["label"])}</a>'
        for t in tags
    ]
    return ", ".join(links) or "none in particular"


def _acronym(name: str) -> re.Pattern:
    """Match a bare use of an acronym: not inside a word, a code (224/PM) or parentheses."""
    return re.compile(rf"(?<![\w/(-]){re.escape(name)}(?![\w/-])")


def spell_out_acronyms(case: dict, acronyms: dict[str, str]) -> dict:
    """Return a copy of the case with each known acronym spelled out at its first use.

    The text is read in the order of the page (summary, the four parts of facts, lessons,
    evidence note). An acronym that the case defines itself, as "Full name (ACRONYM)",
    before any bare use, is left alone.
    """
    case = json.loads(json.dumps(case))
    slots: list[tuple[dict | list, str | int]] = [(case, "summary")]
    for field, _ in SECTIONS:
        slots += [(claim, "text") for claim in case[field]]
    slots += [(case["lessons"], i) for i in range(len(case["lessons"]))]
    slots.append((case["evidence"], "note"))
    for name, full in acronyms.items():
        for holder, key in slots:
            text = holder[key]
            bare, defined = _acronym(name).search(text), text.find(f"({name})")
            if defined >= 0 and (bare is None or defined < bare.start()):
                break
            if bare is not None:
                holder[key] = f"{text[: bare.start()]}{full} ({name}){text[bare.end() :]}"
                break
    return case


def case_markdown(slug: str, case: dict, vocabulary: dict[str, dict[str, Any]]) -> str:
    """Return the MyST Markdown of a case page: one sentence per line, a citation on each.

    Known acronyms (``acronyms`` in ``knowledge/vocabulary.yaml``) are spelled out at their
    first use on the page.
    """
    case = spell_out_acronyms(case, vocabulary.get("acronyms", {}))
    lines = [
        f"(case-{slug})=",
        f"# {case['title']}",
        "",
        case["summary"],
        "",
        "Countries",
        f": {_tag_links(vocabulary, 'country', case['countries'])}",
        "",
        "Region",
        f": {_tag_links(vocabulary, 'region', [case['region']])}",
        "",
        "Years",
        f": {_years(case['years'])}",
        "",
        "Delivery-chain phases",
        f": {_tag_links(vocabulary, 'phase', case['phases'])}",
        "",
        "Governance functions",
        f": {_tag_links(vocabulary, 'function', case['functions'])}",
        "",
        "Digital components",
        f": {_tag_links(vocabulary, 'digital', case['digital'])}",
        "",
    ]
    if case["evidence"]["level"] == "thin":
        lines += ["```{admonition} Thin evidence", ":class: warning", "", case["evidence"]["note"]]
        lines += ["```", ""]
    for field, heading in SECTIONS:
        lines += [f"## {heading}", ""]
        claims = case[field]
        if not claims:
            lines += ["The stored sources give no figures for this part of the case.", ""]
        for claim in claims:
            lines.append(f"- {claim['text'].strip()} {{cite:p}}`{','.join(claim['sources'])}`")
        lines.append("")
    lines += ["## What other countries can take from it", ""]
    lines += [f"- {lesson.strip()}" for lesson in case["lessons"]]
    lines.append("")
    if case["evidence"]["level"] != "thin":
        lines += ["## How strong the evidence is", "", case["evidence"]["note"], ""]
    lines += ["## Modules it illustrates", ""]
    modules = case.get("modules") or []
    lines += [f"- {{doc}}`/modules/{m}/index`" for m in modules]
    if not modules:
        lines.append("No module of the book uses this case yet.")
    lines += ["", "[All the cases of the knowledge base](../index.md)", ""]
    return "\n".join(lines)


class CaseParser(MystParser):
    """Read a case file (YAML), check it, and parse the page made from it as MyST Markdown."""

    supported = ("knowledge-case",)

    def parse(self, inputstring: str, document: nodes.document) -> None:
        """Check the case and render its page; a bad case is a warning (so a failed build)."""
        env = document.settings.env
        root = Path(env.srcdir)
        slug = Path(env.docname).name
        if not env.docname.startswith(CASES + "/"):
            LOGGER.warning(f"a YAML page outside {CASES}/ is not a case", location=env.docname)
            return
        vocabulary = load_vocabulary(root)
        case = yaml.safe_load(inputstring)
        problems = validate_case(
            case, load_schema(root, vocabulary), vocabulary, bib_keys(root / "book/references.bib")
        )
        for name in ("knowledge/vocabulary.yaml", "knowledge/case.schema.json"):
            env.note_dependency(str(root / name))
        env.note_dependency(__file__)  # a change in how pages are made remakes them
        if problems:
            for problem in problems:
                LOGGER.warning(f"bad case: {problem}", location=env.docname)
            return
        super().parse(case_markdown(slug, case, vocabulary), document)


# --------------------------------------------------------------------------- directives
def _env_pages(env) -> set[str]:  # noqa: ANN001
    if not hasattr(env, "knowledge_pages"):
        env.knowledge_pages = set()
    return env.knowledge_pages


class _CaseDirective(SphinxDirective):
    def cases(self) -> dict[str, dict]:
        root = Path(self.env.srcdir)
        _env_pages(self.env).add(self.env.docname)
        for path in sorted((root / CASES).glob("*.yaml")):
            self.env.note_dependency(str(path))
        self.env.note_dependency(str(root / "knowledge" / "vocabulary.yaml"))
        self.env.note_dependency(__file__)
        try:
            return load_cases(root)
        except CaseError as error:
            raise self.error(str(error)) from error


def _tags(case: dict, vocabulary: dict) -> dict[str, list[str]]:
    regions = {case["region"]} | {vocabulary["country"][c]["region"] for c in case["countries"]}
    return {
        "country": case["countries"],
        "region": sorted(regions),
        "phase": case["phases"],
        "function": case["functions"],
        "digital": case["digital"],
        "evidence": [case["evidence"]["level"]],
    }


def case_index_html(cases: dict[str, dict], vocabulary: dict, prefix: str) -> str:
    """Return the HTML of the filterable list; ``prefix`` leads from the page to ``cases/``."""
    tags = {slug: _tags(case, vocabulary) for slug, case in cases.items()}
    vocabulary = {**vocabulary, "evidence": EVIDENCE}
    esc = html.escape
    out = [
        '<div class="case-index">',
        '<form class="case-filters" role="search" aria-label="Filter the cases" hidden>',
        '<div class="case-filter case-filter-text"><label for="case-q">Search the cases</label>',
        '<input id="case-q" type="search" autocomplete="off"></div>',
    ]
    for key, label, everything in FILTERS:
        counts: dict[str, int] = {}
        for slug in cases:
            for tag in tags[slug][key]:
                counts[tag] = counts.get(tag, 0) + 1
        options = "".join(
            f'<option value="{esc(tag)}">{esc(vocabulary[key][tag]["label"])} ({counts[tag]})'
            "</option>"
            for tag in vocabulary[key]
            if tag in counts
        )
        out.append(
            f'<div class="case-filter"><label for="case-{key}">{label}</label>'
            f'<select id="case-{key}" data-key="{key}"><option value="">{everything}</option>'
            f"{options}</select></div>"
        )
    out += [
        '<div class="case-filter case-filter-reset"><button type="reset">Show every case'
        "</button></div>",
        "</form>",
        f'<p class="case-count" aria-live="polite">{len(cases)} cases.</p>',
        '<ul class="case-list">',
    ]
    for slug, case in cases.items():
        attributes = " ".join(f'data-{k}="{esc(" ".join(v))}"' for k, v in tags[slug].items())
        countries = ", ".join(vocabulary["country"][c]["label"] for c in case["countries"])
        thin = (
            ' <span class="case-thin">thin evidence</span>'
            if case["evidence"]["level"] == "thin"
            else ""
        )
        described = [
            f"Phases: {_labels(vocabulary, 'phase', case['phases'])}.",
            f"Functions: {_labels(vocabulary, 'function', case['functions'])}.",
            f"Digital: {_labels(vocabulary, 'digital', case['digital'])}.",
        ]
        out.append(
            f'<li id="case-item-{esc(slug)}" {attributes}>'
            f'<a class="case-title" href="{prefix}{esc(slug)}.html">{esc(case["title"])}</a>'
            f'<span class="case-where"> ({esc(countries)}, {_years(case["years"])}){thin}</span>'
            f'<span class="case-summary">{esc(case["summary"])}</span>'
            f'<span class="case-tags">{esc(" ".join(described))}</span></li>'
        )
    out += ["</ul>", "</div>"]
    return "\n".join(out)


class CaseIndexDirective(_CaseDirective):
    """The filterable, searchable list of every case of the knowledge base."""

    def run(self) -> list[nodes.Node]:
        """Return the list and its filter form as HTML."""
        cases = self.cases()
        vocabulary = load_vocabulary(Path(self.env.srcdir))
        folder = Path(self.env.docname).parent
        prefix = "../" * len(folder.parts) + CASES + "/"
        return [nodes.raw("", case_index_html(cases, vocabulary, prefix), format="html")]


class KnowledgeCasesDirective(_CaseDirective):
    """The cases that illustrate a module: a list of links to their pages.

    The argument is the module's folder in ``modules/``; without it, the folder of the page.
    """

    optional_arguments = 1

    def run(self) -> list[nodes.Node]:
        """Return a bullet list of links (or a sentence when no case names the module)."""
        parts = Path(self.env.docname).parts
        module = self.arguments[0] if self.arguments else parts[1] if len(parts) > 2 else ""
        if module not in load_vocabulary(Path(self.env.srcdir))["module"]:
            raise self.error(f"{module!r} is not a folder of modules/")
        chosen = {s: c for s, c in self.cases().items() if module in (c.get("modules") or [])}
        if not chosen:
            return [nodes.paragraph(text="No case of the knowledge base illustrates it yet.")]
        items = nodes.bullet_list()
        for slug, case in chosen.items():
            ref = addnodes.pending_xref(
                "",
                refdomain="std",
                reftype="doc",
                reftarget=f"/{CASES}/{slug}",
                refexplicit=True,
                refwarn=True,
                refdoc=self.env.docname,
            )
            ref += nodes.inline(text=case["title"])
            items += nodes.list_item("", nodes.paragraph("", "", ref))
        return [items]


# --------------------------------------------------------------------------- events
def _outdated(app: Sphinx, env, added, changed, removed) -> list[str]:  # noqa: ANN001
    """Rebuild the pages that list cases when a case is added, changed or removed."""
    touched = {d for d in (*added, *changed, *removed) if d.startswith(CASES + "/")}
    return sorted(_env_pages(env)) if touched else []


def _purge(app: Sphinx, env, docname: str) -> None:  # noqa: ANN001
    _env_pages(env).discard(docname)


def _merge(app: Sphinx, env, docnames, other) -> None:  # noqa: ANN001
    _env_pages(env).update(_env_pages(other))


def _page_script(app: Sphinx, pagename, templatename, context, doctree) -> None:  # noqa: ANN001
    if 'class="case-index"' in context.get("body", ""):
        app.add_js_file("knowledge.js")


def setup(app: Sphinx) -> dict:
    """Register the case pages (YAML files), the two directives and the index script."""
    app.add_source_suffix(".yaml", "knowledge-case")
    app.add_source_parser(CaseParser)
    app.add_directive("case-index", CaseIndexDirective)
    app.add_directive("knowledge-cases", KnowledgeCasesDirective)
    app.connect("env-get-outdated", _outdated)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("html-page-context", _page_script)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "env_version": 1}
