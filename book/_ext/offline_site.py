"""Sphinx extension that keeps the built site offline and light.

Readers are often on slow, costly connections and open the site from disk.
This extension runs inside the Jupyter Book build and:

- renders math to MathML at build time (no MathJax download, read aloud by screen readers);
- drops the Thebe launcher assets, which need a remote server and are disabled in this book;
- after the build, names the navigation's expand buttons and gives the list of
  references the roles of a list (for screen readers),
- loads the search index on the search page only, and
  shrinks the theme's assets to what the site uses:
  the Font Awesome script keeps only the icons that appear in the site,
  the icon fonts keep only the glyphs the stylesheets use,
  stylesheet rules whose classes appear nowhere in the site's HTML or scripts are removed,
  and source maps are deleted;
- stores the pictures (charts) in ``_images`` with a palette of 256 colours, about a
  third of the bytes for the same chart.

Nothing here downloads anything: every asset comes from the installed packages
or from ``book/_static/vendor``.
"""

from __future__ import annotations

import hashlib
import html
import io
import json
import re
from pathlib import Path

import tinycss2
from docutils import nodes
from latex2mathml.converter import convert as latex_to_mathml
from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

# Classes that scripts build by string concatenation, or that browsers add, and so
# cannot be found by searching the site's text for the whole class name.
SAFE_CLASS_PREFIXES = ("bd-", "pst-", "sbt-", "theme-", "dropdown", "show", "collapsing")


# --------------------------------------------------------------------------- math to MathML
def _mathml(latex: str, display: str) -> str:
    try:
        return latex_to_mathml(latex, display=display)
    except Exception as error:  # latex2mathml raises many exception types
        raise ExtensionError(f"cannot convert this math to MathML: {latex!r} ({error})") from error


def _visit_inline_math(self, node: nodes.Element) -> None:  # noqa: ANN001
    self.body.append(f'<span class="math">{_mathml(node.astext(), "inline")}</span>')
    raise nodes.SkipNode


def _visit_block_math(self, node: nodes.Element) -> None:  # noqa: ANN001
    # A wide formula scrolls sideways on a phone: a named region that a keyboard can
    # focus, and so scroll.
    number = f" ({node['number']})" if node.get("number") else ""
    region = f'tabindex="0" role="region" aria-label="Formula{number}"'
    if node.get("label"):
        self.body.append(f'<div class="math-wrapper" id="equation-{node["label"]}" {region}>')
    else:
        self.body.append(f'<div class="math-wrapper" {region}>')
    if node.get("number"):
        self.body.append(f'<span class="eqno">({node["number"]})</span>')
    latex = node.astext()
    if node.get("nowrap"):
        self.body.append(_mathml(latex, "block"))
    else:
        for part in [p for p in re.split(r"\n\s*\n", latex) if p.strip()]:
            self.body.append(_mathml(part, "block"))
    self.body.append("</div>\n")
    raise nodes.SkipNode


# --------------------------------------------------------------------------- page assets
def _asset_text(asset: object) -> str:
    """Return the file name and inline body of a page's script or stylesheet entry."""
    attributes = getattr(asset, "attributes", {}) or {}
    return f"{getattr(asset, 'filename', asset)} {attributes.get('body', '')}"


def _drop_remote_launchers(app: Sphinx, pagename, templatename, context, doctree) -> None:  # noqa: ANN001
    """Remove the Thebe launcher from every page: it needs a remote kernel."""
    for key in ("script_files", "css_files"):
        files = context.get(key)
        if files is None:
            continue
        files[:] = [f for f in files if "thebe" not in _asset_text(f).lower()]


# --------------------------------------------------------------------------- Font Awesome
_ICON_ENTRY = re.compile(
    r'(?:"(?P<q>[^"]+)"|(?P<b>[A-Za-z0-9_$]+)):\[\d+,\d+,\[[^\]]*\],"[0-9a-f]+",'
    r'(?:"[^"]*"|\["[^"]*","[^"]*"\])\]'
)
_PACK_START = re.compile(r"var p=\{")


def _site_text(html_dir: Path, skip: Path) -> str:
    """Return the text of every HTML and script file in the site.

    ``skip`` (the icon bundle itself) and the vendored widget scripts, which carry
    their own styles, are left out.
    """
    parts = []
    vendor = html_dir / "_static" / "vendor"
    for path in html_dir.rglob("*"):
        if path == skip or vendor in path.parents or not path.is_file():
            continue
        if path.suffix in {".html", ".js"}:
            parts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(parts)


def site_words(text: str) -> set[str]:
    """Return the words of ``text`` that may name a class or an element of a stylesheet.

    Whole words only: a name inside a run of letters and digits (a hash, a random
    identifier such as ``5b4f95fa``) does not keep a rule of the same name, so the
    purge does not change from one build to the next.

    Examples
    --------
    >>> sorted(site_words('<i class="fa fa-solid"></i> "id": "5b4f95fa"'))
    ['class', 'fa', 'fa-solid', 'i', 'id']
    """
    return set(re.findall(r"(?<![_a-zA-Z0-9-])[_a-zA-Z][_a-zA-Z0-9-]*", text))


def _used_icon_names(text: str) -> set[str]:
    return set(re.findall(r"fa-([a-z0-9][a-z0-9-]*)", text))


def subset_fontawesome_script(text: str, used: set[str]) -> str:
    """Keep in the theme's Font Awesome bundle only the icons named in ``used``."""
    out, pos, packs = [], 0, 0
    for start in _PACK_START.finditer(text):
        body_start = start.end()
        if body_start < pos:
            continue
        entries, cursor = [], body_start
        while True:
            match = _ICON_ENTRY.match(text, cursor)
            if match is None:
                break
            entries.append(match)
            cursor = match.end()
            if text[cursor] == ",":
                cursor += 1
            elif text[cursor] == "}":
                break
            else:
                raise ExtensionError(f"unexpected text in the Font Awesome bundle at {cursor}")
        if len(entries) < 50:  # not an icon pack: leave it alone
            continue
        if text[cursor] != "}":
            raise ExtensionError(f"could not parse the Font Awesome icon pack at {cursor}")
        kept = [m.group(0) for m in entries if (m.group("q") or m.group("b")) in used]
        out.append(text[pos:body_start])
        out.append(",".join(kept))
        pos = cursor
        packs += 1
    if packs == 0:
        raise ExtensionError(
            "no Font Awesome icon pack found in fontawesome.js; has the theme changed?"
        )
    out.append(text[pos:])
    return "".join(out).replace("//# sourceMappingURL=fontawesome.js.map", "")


def subset_icon_font(data: bytes, codepoints: set[int], woff2: bool) -> bytes:
    """Keep in a Font Awesome font only the glyphs for ``codepoints``."""
    from fontTools import subset

    options = subset.Options()
    options.flavor = "woff2" if woff2 else None
    options.layout_features = ["*"]
    font = subset.load_font(io.BytesIO(data), options)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(codepoints) or [0x20])
    subsetter.subset(font)
    out = io.BytesIO()
    subset.save_font(font, out, options)
    return out.getvalue()


# --------------------------------------------------------------------------- CSS purge
_CLASS = re.compile(r"\.(-?[_a-zA-Z][_a-zA-Z0-9-]*)")


def _selector_is_used(selector: str, words: set[str]) -> bool:
    # Classes inside :not(...) and other functional pseudo-classes do not need to be present.
    plain = re.sub(r":[a-z-]+\([^()]*\)", "", selector)
    for name in _CLASS.findall(plain):
        if name not in words and not name.startswith(SAFE_CLASS_PREFIXES):
            return False
    return True


def _purge_rules(rules: list, words: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            prelude = tinycss2.serialize(rule.prelude)
            selectors = [s.strip() for s in _split_selectors(prelude)]
            used = [s for s in selectors if _selector_is_used(s, words)]
            if not used:
                continue
            if len(used) < len(selectors):
                rule.prelude = tinycss2.parse_component_value_list(",".join(used))
        elif rule.type == "at-rule" and rule.lower_at_keyword in {"media", "supports", "layer"}:
            if rule.content is not None:
                inner = tinycss2.parse_rule_list(rule.content)
                inner = _purge_rules(inner, words)
                if not [r for r in inner if r.type != "whitespace"]:
                    continue
                rule.content = tinycss2.parse_component_value_list(tinycss2.serialize(inner))
        kept.append(rule)
    return kept


def _split_selectors(prelude: str) -> list[str]:
    parts, depth, current = [], 0, []
    for char in prelude:
        if char in "([":
            depth += 1
        elif char in ")]":
            depth -= 1
        if char == "," and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return parts


def purge_stylesheet(text: str, words: set[str]) -> str:
    """Remove the rules of a stylesheet whose classes are used nowhere in the site."""
    rules = tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)
    kept = _purge_rules(rules, words)
    return "\n".join(tinycss2.serialize([r]) for r in kept)


# --------------------------------------------------------------------------- build-finished
_SEARCH_SCRIPTS = re.compile(
    r'\s*<script src="[^"]*(?:_static/searchtools\.js|_static/language_data\.js|searchindex\.js)'
    r'[^"]*"></script>'
)


def drop_search_index_from_pages(html_dir: Path) -> None:
    """Load the search index on the search page only.

    The theme loads the whole search index on every page, for a search-as-you-type
    box that this book does not enable; the index grows with the book.
    The search box of every page opens ``search.html``, which loads it.
    """
    for page in html_dir.rglob("*.html"):
        if page.name == "search.html" and page.parent == html_dir:
            continue
        text = page.read_text(encoding="utf-8")
        new = _SEARCH_SCRIPTS.sub("", text)
        if new != text:
            page.write_text(new, encoding="utf-8")


_NAV_TOGGLE = re.compile(
    r'(<a class="[^"]*reference internal[^"]*"[^>]*>(.*?)</a><details[^>]*>)<summary>'
)
_TAG = re.compile(r"<[^>]+>")
_CITATION = re.compile(r'<div class="citation"([^>]*) role="doc-biblioentry">')


def name_page_controls(html_dir: Path) -> None:
    """Give the controls that the theme and docutils leave unnamed a name or a role.

    - the buttons that expand a section of the navigation get the name "Pages of"
      and the section's title (the theme renders an icon only);
    - the entries of the references list get the role ``listitem`` that their list's
      role ``list`` requires.
    """
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = _NAV_TOGGLE.sub(
            lambda m: (
                m.group(1)
                + '<summary aria-label="Pages of: '
                + html.escape(html.unescape(_TAG.sub("", m.group(2))), quote=True)
                + '">'
            ),
            text,
        )
        if 'class="citation-list"' in new:
            new = _CITATION.sub(r'<div class="citation" role="listitem"\1>', new)
        if new != text:
            page.write_text(new, encoding="utf-8")


class _Originals:
    """The theme's assets as Sphinx copied them, before this extension shrank them.

    Sphinx does not copy an unchanged asset again on an incremental build, so the file
    in the output may already be shrunk. The originals are kept beside the build, with
    the digest of what was written, so every build shrinks from the original again
    (with the classes and icons of the whole site as it is now).
    """

    def __init__(self, html_dir: Path, store: Path) -> None:
        self.html_dir, self.store = html_dir, store
        self.index_path = store / "written.json"
        self.written = json.loads(self.index_path.read_text()) if self.index_path.exists() else {}

    def read(self, path: Path) -> bytes:
        key = path.relative_to(self.html_dir).as_posix()
        data = path.read_bytes()
        kept = self.store / key
        if self.written.get(key) == hashlib.sha256(data).hexdigest() and kept.exists():
            return kept.read_bytes()
        kept.parent.mkdir(parents=True, exist_ok=True)
        kept.write_bytes(data)  # a fresh copy from Sphinx: it is the original
        return data

    def write(self, path: Path, data: bytes) -> None:
        path.write_bytes(data)
        key = path.relative_to(self.html_dir).as_posix()
        self.written[key] = hashlib.sha256(data).hexdigest()

    def save(self) -> None:
        self.store.mkdir(parents=True, exist_ok=True)
        self.index_path.write_text(json.dumps(self.written, indent=1, sort_keys=True))


# --------------------------------------------------------------------------- pictures
def palette_png(data: bytes) -> bytes | None:
    """Return a PNG with a palette of at most 256 colours, or None when it has one already.

    Charts hold few colours, so the palette keeps them (antialiased edges take the
    nearest one) at about a third of the bytes. Transparency is kept.
    """
    from PIL import Image, PngImagePlugin

    image = Image.open(io.BytesIO(data))
    if image.mode in ("P", "1", "L"):
        return None
    if image.mode in ("RGBA", "LA") and image.getchannel("A").getextrema()[0] < 255:
        quantized = image.convert("RGBA").quantize(256, method=Image.Quantize.FASTOCTREE)
    else:
        quantized = image.convert("RGB").quantize(
            256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE
        )
    # Text chunks stay: a chart's record of its smallest text (src/coursekit/figures.py).
    info = PngImagePlugin.PngInfo()
    for key, value in getattr(image, "text", {}).items():
        info.add_text(key, value)
    out = io.BytesIO()
    quantized.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def palette_pictures(html_dir: Path) -> tuple[int, int]:
    """Store every PNG of ``_images`` with a palette; return the bytes before and after."""
    before = after = 0
    for path in sorted((html_dir / "_images").rglob("*.png")):
        data = path.read_bytes()
        smaller = palette_png(data)
        before += len(data)
        if smaller is not None and len(smaller) < len(data):
            path.write_bytes(smaller)
            data = smaller
        after += len(data)
    return before, after


def shrink_site(app: Sphinx, exception: Exception | None) -> None:
    """Shrink the theme assets of the finished HTML build (see the module docstring)."""
    if exception is not None or app.builder.format != "html":
        return
    html_dir = Path(app.outdir)
    static = html_dir / "_static"
    originals = _Originals(html_dir, Path(app.doctreedir).parent / "offline_site_originals")
    for source_map in static.rglob("*.map"):
        source_map.unlink()
    script = static / "scripts" / "fontawesome.js"
    site = _site_text(html_dir, skip=script)
    words = site_words(site)
    if script.exists():
        text = originals.read(script).decode("utf-8")
        new = subset_fontawesome_script(text, _used_icon_names(site))
        originals.write(script, new.encode("utf-8"))
        LOGGER.info(
            f"[offline_site] fontawesome.js {len(text) // 1000} KB -> {len(new) // 1000} KB"
        )
    codepoints: set[int] = set()
    vendor = static / "vendor"
    for css in sorted(static.rglob("*.css")):
        if vendor in css.parents and "fontawesome" not in css.parts:
            continue
        text = originals.read(css).decode("utf-8")
        new = purge_stylesheet(text, words)
        originals.write(css, new.encode("utf-8"))
        # Icon glyphs sit in the Unicode private use area, written raw or as escapes.
        codepoints |= {ord(c) for c in new if 0xE000 <= ord(c) <= 0xF8FF}
        codepoints |= {int(h, 16) for h in re.findall(r"\\(f[0-9a-f]{3})\b", new)}
    for font in sorted((vendor / "fontawesome" / "webfonts").glob("fa-*")):
        data = originals.read(font)
        originals.write(font, subset_icon_font(data, codepoints, woff2=font.suffix == ".woff2"))
    originals.save()
    drop_search_index_from_pages(html_dir)
    name_page_controls(html_dir)
    before, after = palette_pictures(html_dir)
    LOGGER.info(f"[offline_site] pictures {before // 1000} KB -> {after // 1000} KB")


def _use_mathml(app: Sphinx, config) -> None:  # noqa: ANN001
    config.html_math_renderer = "mathml"


def setup(app: Sphinx) -> dict:
    """Register the MathML renderer and the asset hooks."""
    app.add_html_math_renderer(
        "mathml",
        inline_renderers=(_visit_inline_math, None),
        block_renderers=(_visit_block_math, None),
    )
    app.connect("config-inited", _use_mathml)
    app.connect("html-page-context", _drop_remote_launchers)
    app.connect("build-finished", shrink_site)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
