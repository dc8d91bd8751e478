"""Unit tests of the build extension that keeps the site offline and light."""

import importlib.util
from pathlib import Path

import pytest


@pytest.fixture(scope="module")
def ext(root):
    spec = importlib.util.spec_from_file_location(
        "offline_site", root / "book/_ext/offline_site.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_purge_reads_whole_words_not_pieces_of_random_identifiers(ext):
    # A notebook embedded in a page has random cell ids such as 5b4f95fa: the piece
    # "fa" kept the Font Awesome rule .fa in one build and not in the next.
    words = ext.site_words('<i class="fa-solid x"></i> {"id": "5b4f95fa", "k": "00fa"}')
    assert "fa" not in words and "fa-solid" in words and "x" in words
    assert "fa" in ext.site_words('<i class="fa fa-solid">')


def test_unused_css_rules_are_removed_and_used_ones_kept(ext):
    text = ext.purge_stylesheet(
        ".used{color:red}.unused{color:blue}.used .unused,.used>p{margin:0}"
        "@media (max-width:10px){.unused{x:y}.used{x:z}}p:not(.unused){a:b}"
        "html[data-theme=dark]{--c:1}",
        {"used"},
    )
    assert ".unused{color:blue}" not in text
    assert ".used{color:red}" in text
    assert ".used>p" in text and ".used .unused" not in text
    assert ".used{x:z}" in text and "{x:y}" not in text
    assert "p:not(.unused)" in text and "data-theme=dark" in text


def test_fontawesome_subset_keeps_only_named_icons(ext):
    icons = ",".join(f'"i{n}":[512,512,[],"f{n:03x}","M0 0h{n}"]' for n in range(60))
    script = f'var a=1;var p={{{icons},bars:[448,512,["navicon"],"f0c9","M0 96"]}};d("fas",p)'
    assert ext.subset_fontawesome_script(script, {"bars", "i7"}) == (
        'var a=1;var p={"i7":[512,512,[],"f007","M0 0h7"],'
        'bars:[448,512,["navicon"],"f0c9","M0 96"]};d("fas",p)'
    )


def test_fontawesome_subset_refuses_an_unknown_bundle(ext):
    with pytest.raises(Exception, match="no Font Awesome icon pack"):
        ext.subset_fontawesome_script("console.log(1)", {"bars"})


def test_icon_font_keeps_only_the_glyphs_asked_for(ext, root):
    import pydata_sphinx_theme

    fonts = Path(pydata_sphinx_theme.__file__).parent / "theme/pydata_sphinx_theme/static/vendor"
    original = (fonts / "fontawesome/webfonts/fa-solid-900.woff2").read_bytes()
    smaller = ext.subset_icon_font(original, {0xF05A}, woff2=True)
    assert smaller[:4] == b"wOF2" and len(smaller) < len(original) / 20


def test_math_becomes_mathml(ext):
    assert ext._mathml(r"\frac{a}{b}", "inline").startswith("<math")


def _chart_png(transparent: bool) -> bytes:
    import io

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(4, 3))
    ax.bar(["a", "b", "c"], [3, 1, 2], color=["#1f77b4", "#ff7f0e", "#2ca02c"])
    ax.set_title("Coverage, per cent")
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=80, transparent=transparent)
    plt.close(fig)
    return buffer.getvalue()


@pytest.mark.parametrize("transparent", [False, True])
def test_charts_get_a_palette_smaller_and_alike(ext, transparent):
    import io

    import numpy as np
    from PIL import Image

    data = _chart_png(transparent)
    smaller = ext.palette_png(data)
    assert smaller is not None and len(smaller) < 0.7 * len(data)
    before = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"), dtype=int)
    after = np.asarray(Image.open(io.BytesIO(smaller)).convert("RGBA"), dtype=int)
    assert before.shape == after.shape
    # Every pixel keeps its colour within a few levels (and its transparency).
    assert np.abs(before - after).max(axis=-1).mean() < 2
    assert ext.palette_png(smaller) is None, "a picture with a palette is left as it is"


def test_palette_pictures_rewrites_the_site_pictures_once(ext, tmp_path):
    folder = tmp_path / "_images" / "explorer"
    folder.mkdir(parents=True)
    (folder / "a.png").write_bytes(_chart_png(False))
    before, after = ext.palette_pictures(tmp_path)
    assert after < before
    assert ext.palette_pictures(tmp_path) == (after, after)


def test_navigation_buttons_get_names_and_references_list_items(ext, tmp_path):
    page = tmp_path / "book" / "page.html"
    page.parent.mkdir()
    page.write_text(
        '<li><a class="reference internal" href="m.html">Module: <em>A &amp; B</em></a>'
        '<details><summary><span class="toctree-toggle"></span></summary><ul></ul></details>'
        '<li class="current"><a class="current reference internal" href="#">Here</a>'
        '<details open="open"><summary><span></span></summary></details></li>'
        '<div role="list" class="citation-list">\n'
        '<div class="citation" id="id3" role="doc-biblioentry">x</div></div>',
        encoding="utf-8",
    )
    ext.name_page_controls(tmp_path)
    text = page.read_text(encoding="utf-8")
    assert '<summary aria-label="Pages of: Module: A &amp; B">' in text
    assert '<details open="open"><summary aria-label="Pages of: Here">' in text
    assert '<div class="citation" role="listitem" id="id3">' in text
    ext.name_page_controls(tmp_path)
    assert page.read_text(encoding="utf-8") == text, "a second build changes nothing"


def test_block_formulas_are_named_focusable_regions(ext):
    class Writer:
        body: list

    writer = Writer()
    writer.body = []
    node = ext.nodes.math_block("", "x^2", number=3)
    with pytest.raises(ext.nodes.SkipNode):
        ext._visit_block_math(writer, node)
    assert writer.body[0] == (
        '<div class="math-wrapper" tabindex="0" role="region" aria-label="Formula (3)">'
    )
