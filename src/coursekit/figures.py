"""Charts drawn for the column they sit in: a record of the smallest text of every figure.

A label of ``F`` points on a figure ``W`` inches wide, shown ``w`` CSS pixels wide, is
``F * w / (72 * W)`` CSS pixels high, whatever the resolution of the picture. On a
360 px phone the book's column is about 330 px wide, so a figure needs ``F / W`` of at
least about 2 points per inch (10 pt labels on a 5 inch figure) for labels of 9 px.

When the book is built, ``tools/build_book.py`` points matplotlib at ``book/matplotlibrc``,
whose ``figure.hooks`` call :func:`record_text_size` on every figure made with pyplot:
every PNG saved from the figure then carries, in its metadata under :data:`TEXT_KEY`, the
height in image pixels of its smallest text. The explorers write the same record
(:mod:`coursekit.explore`), and ``tests/test_browser.py`` turns it into CSS pixels on a
phone for every picture of the built site.

    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import matplotlib.pyplot as plt
    >>> fig, ax = plt.subplots(figsize=(5, 3))
    >>> _ = ax.set_title("Coverage", fontsize=12)
    >>> _ = ax.set_xlabel("Year", fontsize=8)
    >>> smallest_text_pt(fig)
    8.0
    >>> smallest_text_px(fig, dpi=90)
    10.0
    >>> plt.close(fig)
"""

from __future__ import annotations

import functools

import matplotlib as mpl
from matplotlib.figure import Figure
from matplotlib.text import Text

TEXT_KEY = "coursekit:smallest-text-px"
"""PNG metadata key: the height of the figure's smallest text, in pixels of the picture."""


def smallest_text_pt(fig: Figure) -> float:
    """Return the size in points of the smallest visible, non-empty text of a figure.

    Raises
    ------
    ValueError
        When the figure has no text at all (a chart always has labels).
    """
    fig.draw_without_rendering()  # tick labels get their text when the figure is drawn
    sizes = [
        float(text.get_fontsize())
        for text in fig.findobj(Text)
        if text.get_visible() and text.get_text().strip() and _shown(text)
    ]
    if not sizes:
        raise ValueError("the figure has no text: a chart needs labels")
    return min(sizes)


def _shown(text: Text) -> bool:
    """Tell whether a text is drawn: not when its axes are hidden."""
    axes = text.axes
    return axes is None or axes.get_visible()


def smallest_text_px(fig: Figure, dpi: float | None = None) -> float:
    """Return the height in picture pixels of the smallest text, saved at ``dpi``."""
    return round(smallest_text_pt(fig) / 72 * _dpi(fig, dpi), 2)


def _dpi(fig: Figure, dpi: float | str | None) -> float:
    if dpi is None or dpi == "figure":
        dpi = mpl.rcParams["savefig.dpi"]
    return float(fig.dpi if dpi == "figure" else dpi)


def png_metadata(fig: Figure, dpi: float | None = None) -> dict[str, str]:
    """Return the PNG metadata that records the figure's smallest text."""
    return {TEXT_KEY: f"{smallest_text_px(fig, dpi):.2f}"}


def record_text_size(fig: Figure) -> None:
    """Make every PNG saved from ``fig`` record its smallest text (a ``figure.hooks`` entry)."""
    canvas = fig.canvas
    original = canvas.print_figure

    @functools.wraps(original)
    def print_figure(filename, *args, **kwargs):  # noqa: ANN001, ANN202
        fmt = kwargs.get("format") or (
            str(filename).rsplit(".", 1)[-1] if isinstance(filename, str) else "png"
        )
        if str(fmt).lower() == "png":
            metadata = dict(kwargs.get("metadata") or {})
            try:
                metadata.update(png_metadata(canvas.figure, kwargs.get("dpi")))
            except ValueError:  # no text to record: the label test reports the picture
                pass
            kwargs["metadata"] = metadata
        return original(filename, *args, **kwargs)

    canvas.print_figure = print_figure


def recorded_text_px(png: bytes) -> float | None:
    """Return the smallest text (picture pixels) recorded in a PNG, or None if it has none."""
    import io

    from PIL import Image

    value = Image.open(io.BytesIO(png)).text.get(TEXT_KEY)
    return None if value is None else float(value)


def label_css_px(png: bytes, shown_width: float) -> float | None:
    """Return the CSS pixel height of a PNG's smallest text when shown ``shown_width`` wide.

    A picture is never shown wider than its own pixels (``max-width: 100%``), so
    ``shown_width`` is capped at the picture's width.
    """
    import io

    from PIL import Image

    text = recorded_text_px(png)
    if text is None:
        return None
    width = Image.open(io.BytesIO(png)).width
    return text * min(shown_width, width) / width
