"""Sphinx extension that keeps every page light on a slow connection.

Readers open the site on slow, costly connections, often from a plain server that does
not compress, so what counts is the bytes of each file. After the HTML build this
extension:

- removes the indentation and empty lines of every page (outside ``<pre>``, scripts
  and styles), and the spaces between the cells of tables; pictures load lazily (when
  they come near the screen);
- writes highlighted code with fewer tags: a token whose colour is the colour of the
  code block's text in every theme (names, punctuation, spaces) loses its ``<span>``,
  and neighbouring tokens of the same class share one ``<span>`` (the text and the
  colours on screen do not change; highlighted code was most of the bytes of the
  heaviest lessons);
- removes from the site the files that no page loads or links to (for example the
  ipywidgets scripts, which pages with a precomputed explorer do not load, and the
  theme's translation catalogues, which are used while building only).

A file is referenced when the value of any attribute of an HTML page (``src``, ``href``,
``data-src``...), a ``srcset`` entry, or a CSS ``url()`` names it, or when a referenced
stylesheet names it, or when a referenced script contains its file name. Every HTML
page is kept, and so are the files in ``KEEP`` (the build's record for incremental
builds, and the Sphinx inventory that other documentation links through) and the
execution reports of notebooks that failed (``reports/``).
"""

from __future__ import annotations

import html
import posixpath
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from sphinx.application import Sphinx
from sphinx.util import logging

LOGGER = logging.getLogger(__name__)

KEEP = {".buildinfo", "objects.inv", ".nojekyll"}
KEEP_FOLDERS = ("reports/",)  # execution reports of notebooks that failed

# --------------------------------------------------------------------------- code
_THEME_RULE = re.compile(
    r'html\[data-theme="(?P<theme>[a-z]+)"\]\s*\.highlight(?:\s+\.(?P<cls>[\w-]+))?\s*'
    r"\{(?P<body>[^}]*)\}"
)
_DECLARATION = re.compile(r"([\w-]+)\s*:\s*([^;]+)")


def _declarations(body: str) -> dict[str, str]:
    body = re.sub(r"/\*.*?\*/", "", body)
    return {k.strip().lower(): v.strip().lower() for k, v in _DECLARATION.findall(body)}


def plain_token_classes(pygments_css: str) -> tuple[set[str], set[str]]:
    """Return the token classes drawn as plain text, and those styled by colour only.

    ``pygments_css`` is the site's ``pygments.css``, with one block of rules per theme
    (``html[data-theme="light"] .highlight .n { color: #080808 }``). A class is plain
    when, in every theme, its only declaration is the colour of the code block's text.
    """
    base: dict[str, str] = {}
    rules: dict[str, dict[str, dict[str, str]]] = {}
    for match in _THEME_RULE.finditer(pygments_css):
        theme, cls = match.group("theme"), match.group("cls")
        declarations = _declarations(match.group("body"))
        if cls is None:
            if "color" in declarations:
                base[theme] = declarations["color"]
        else:
            rules.setdefault(cls, {})[theme] = declarations
    plain, colour_only = set(), set()
    for cls, by_theme in rules.items():
        if set(by_theme) != set(base):
            continue
        if all(set(d) == {"color"} for d in by_theme.values()):
            colour_only.add(cls)
            if all(d["color"] == base[t] for t, d in by_theme.items()):
                plain.add(cls)
    return plain, colour_only - plain


_PRE = re.compile(r'(<div class="highlight"><pre>)(.*?)(</pre></div>)', re.S)
_TOKEN = re.compile(r'<span class="([\w-]+)">([^<]*)</span>')


def compact_code(text: str, plain: set[str], colour_only: set[str]) -> str:
    """Write the highlighted code blocks of a page with fewer ``<span>`` tags.

    Tokens of a ``plain`` class become bare text; neighbouring tokens of one class
    share a ``<span>``, also across spaces when the class sets a colour only.

    >>> code = '<div class="highlight"><pre><span class="n">x</span><span class="o">=</span>'
    >>> code += '<span class="s2">"a"</span> <span class="s2">"b"</span></pre></div>'
    >>> compact_code(code, {"n"}, {"s2", "o"})[28:-12]
    'x<span class="o">=</span><span class="s2">"a" "b"</span>'
    """

    def block(match: re.Match) -> str:
        body = _TOKEN.sub(
            lambda m: m.group(2) if m.group(1) in plain else m.group(0), match.group(2)
        )
        out: list[str] = []
        current: str | None = None  # class of the span left open at the end of ``out``
        pos = 0
        for token in _TOKEN.finditer(body):
            between = body[pos : token.start()]
            cls, inner = token.group(1), token.group(2)
            joinable = between == "" or (between.isspace() and cls in colour_only)
            if current == cls and joinable and "<" not in between:
                out[-1] = out[-1][: -len("</span>")] + between + inner + "</span>"
            else:
                out.append(between)
                out.append(token.group(0))
            current = cls
            pos = token.end()
        out.append(body[pos:])
        return match.group(1) + "".join(out) + match.group(3)

    return _PRE.sub(block, text)


_KEPT_AS_WRITTEN = re.compile(r"<(pre|textarea|script|style)\b.*?</\1>", re.S | re.I)
_TABLE_TAG = r"</?(?:table|thead|tbody|tfoot|tr|th|td|caption|colgroup|col)\b[^>]*>"
_BETWEEN_TABLE_TAGS = re.compile(rf"({_TABLE_TAG})\s+(?={_TABLE_TAG})", re.I)


def trim_whitespace(text: str) -> str:
    r"""Remove indentation, empty lines and spaces between table cells; pictures load lazily.

    Outside ``<pre>``, ``<textarea>``, scripts and styles (which are left as written),
    a run of spaces is drawn as one space, so a line's indentation is never seen; a
    line break stays where there was one. Spaces between the tags of a table's rows and
    cells are not drawn at all. Every picture gets ``loading="lazy"``: the browser
    fetches it when it comes near the screen, so a reader who reads the top of a page
    does not pay for the charts at its bottom. A ``<style>`` block that is a copy of
    an earlier one in the page is dropped.

    >>> trim_whitespace("<p>\n  a\n\n  b</p>\n<pre>\n  x</pre><table>\n <tr> <td>1</td>\n</tr>")
    '<p>\na\nb</p>\n<pre>\n  x</pre><table><tr><td>1</td></tr>'
    >>> trim_whitespace('<img src="a.png" alt="A"><img loading="eager" src="b.png">')
    '<img loading="lazy" src="a.png" alt="A"><img loading="eager" src="b.png">'
    >>> trim_whitespace("<style>p{}</style>x<style>p{}</style><style>a{}</style>")
    '<style>p{}</style>x<style>a{}</style>'
    """
    out, pos, styles = [], 0, set()
    for kept in _KEPT_AS_WRITTEN.finditer(text):
        out.append(_trim(text[pos : kept.start()]))
        block = kept.group(0)
        if block[:6].lower() == "<style":
            # Browsers apply every <style> to the whole page ("scoped" is ignored), so
            # a copy of one seen already (pandas writes one per table) does nothing.
            if block not in styles:
                out.append(block)
            styles.add(block)
        else:
            out.append(block)
        pos = kept.end()
    out.append(_trim(text[pos:]))
    return "".join(out)


def _trim(part: str) -> str:
    part = re.sub(r"\n\s+", "\n", part)  # indentation, and empty lines
    return _LAZY.sub('<img loading="lazy" ', _BETWEEN_TABLE_TAGS.sub(r"\1", part))


# A picture without a loading attribute waits until it is near the screen.
_LAZY = re.compile(r"<img (?![^>]*\bloading=)")


def compact_site_code(html_dir: Path) -> tuple[int, int]:
    """Compact the code and whitespace of every page; return the bytes before and after."""
    css = html_dir / "_static" / "pygments.css"
    if not css.exists():
        return 0, 0
    plain, colour_only = plain_token_classes(css.read_text(encoding="utf-8"))
    before = after = 0
    for page in html_dir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        new = trim_whitespace(compact_code(text, plain, colour_only))
        before += len(text.encode("utf-8"))
        after += len(new.encode("utf-8"))
        if new != text:
            page.write_text(new, encoding="utf-8")
    return before, after


# --------------------------------------------------------------------------- references
_ATTRIBUTE = re.compile(r"""\s[\w:.-]+\s*=\s*(?:"([^"]*)"|'([^']*)')""")
_CSS_URL = re.compile(
    r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]+))\s*\)|@import\s+["']([^"']+)"""
)
_EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.IGNORECASE)


def _resolve(value: str, base: str) -> str | None:
    """Return the site path (``a/b.css``) that ``value``, written in folder ``base``, names."""
    value = html.unescape(value).strip()
    if not value or value.startswith("#") or _EXTERNAL.match(value):
        return None
    path = unquote(urlsplit(value).path)
    if not path:
        return None
    joined = path.lstrip("/") if path.startswith("/") else posixpath.join(base, path)
    return posixpath.normpath(joined)


def _html_references(text: str) -> list[str]:
    values = []
    for match in _ATTRIBUTE.finditer(text):
        value = match.group(1) if match.group(1) is not None else match.group(2)
        if "," in value and " " in value:  # srcset: "a.png 1x, b.png 2x"
            values += [part.split()[0] for part in value.split(",") if part.split()]
        values.append(value)
    values += _css_references(text)
    return values


def _css_references(text: str) -> list[str]:
    return [next(g for g in m.groups() if g is not None) for m in _CSS_URL.finditer(text)]


def referenced_files(html_dir: Path) -> set[str]:
    """Every file of the site (as ``a/b.css``) that a page loads or links to.

    Directly, or through the stylesheets and scripts that pages load.
    """
    files = {p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*") if p.is_file()}
    folders = {posixpath.dirname(f) for f in files}
    pages = {f for f in files if f.endswith(".html")}
    found: set[str] = set(pages)
    queue: list[str] = []

    def add(target: str | None) -> None:
        if target is None:
            return
        if target in folders:
            target = posixpath.join(target, "index.html")
        if target in files and target not in found:
            found.add(target)
            queue.append(target)

    for page in pages:
        text = (html_dir / page).read_text(encoding="utf-8", errors="replace")
        folder = posixpath.dirname(page)
        for value in set(_html_references(text)):
            add(_resolve(value, folder))
    while queue:
        path = queue.pop()
        if path.endswith(".css"):
            text = (html_dir / path).read_text(encoding="utf-8", errors="replace")
            for value in _css_references(text):
                add(_resolve(value, posixpath.dirname(path)))
        elif path.endswith((".js", ".mjs")):
            # A script names the files it loads in ways no parser can follow (relative to
            # the page, or built from pieces): keep every file whose name it contains.
            text = (html_dir / path).read_text(encoding="utf-8", errors="replace")
            for other in sorted(files - found):
                if posixpath.basename(other) in text:
                    add(other)
    return found


def unreferenced_files(html_dir: Path) -> list[Path]:
    """Files of the site that no page loads or links to (``KEEP`` aside), sorted."""
    found = referenced_files(html_dir)
    return sorted(
        p
        for p in html_dir.rglob("*")
        if p.is_file()
        and p.name not in KEEP
        and (name := p.relative_to(html_dir).as_posix()) not in found
        and not name.startswith(KEEP_FOLDERS)
    )


def prune_unreferenced(html_dir: Path) -> tuple[int, int]:
    """Delete the files that no page loads or links to; return their number and bytes."""
    removed = unreferenced_files(html_dir)
    size = 0
    for path in removed:
        size += path.stat().st_size
        path.unlink()
    for folder in sorted((p for p in html_dir.rglob("*") if p.is_dir()), reverse=True):
        if not any(folder.iterdir()):
            folder.rmdir()
    return len(removed), size


# --------------------------------------------------------------------------- build-finished
def compact_after_build(app: Sphinx, exception: Exception | None) -> None:
    """Compact the highlighted code of the finished HTML build."""
    if exception is not None or app.builder.format != "html":
        return
    # The theme writes pygments.css, with its light and dark rules, at build-finished
    # too; write it now, so that the classes are read from the final file (the theme
    # writes the same file again later).
    try:
        from pydata_sphinx_theme.pygments import overwrite_pygments_css
    except ImportError:  # another theme: its pygments.css is final already
        pass
    else:
        overwrite_pygments_css(app)
    before, after = compact_site_code(Path(app.outdir))
    LOGGER.info(f"[site_weight] pages with code {before // 1000} KB -> {after // 1000} KB")


def prune_after_build(app: Sphinx, exception: Exception | None) -> None:
    """Remove from the finished HTML build the files that no page uses."""
    if exception is not None or app.builder.format != "html":
        return
    count, size = prune_unreferenced(Path(app.outdir))
    LOGGER.info(f"[site_weight] removed {count} files ({size // 1000} KB) that no page uses")


def setup(app: Sphinx) -> dict:
    """Compact the code before the other build-finished steps; prune after them."""
    # After coursekit moves the explorer pictures out of the pages (priority 400), and
    # before offline_site's stylesheet purge (priority 500), so that every build purges
    # with the classes of the compacted pages.
    app.connect("build-finished", compact_after_build, priority=450)
    app.connect("build-finished", prune_after_build, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
