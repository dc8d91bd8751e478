"""What-if explorers: controls that drive a chart and a small table.

One function computes a table from the control values; one function draws it.
In Jupyter the explorer is live (ipywidgets sliders and dropdowns).
On the static site, where no Python runs, it shows the same computation done at build
time for a few scenarios, and a small script switches between them; a note says how to
make it live. The formula is written once, in the compute function.
"""

from __future__ import annotations

import base64
import html
import io
import itertools
import os
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from coursekit.figures import png_metadata

__all__ = ["Explorer"]

#: Set by the book's build (tools/build_book.py): explorers then render only their static form.
STATIC_SITE_VARIABLE = "COURSEKIT_STATIC_SITE"

LIVE_NOTE = (
    "On the website this explorer shows scenarios computed when the book was built. "
    "To move the controls freely, open the notebook in Jupyter and run it."
)


def _control(name: str, spec: Any, label: str):  # noqa: ANN202
    import ipywidgets as widgets

    style = {"description_width": "initial"}
    layout = widgets.Layout(width="min(100%, 28rem)")
    if isinstance(spec, tuple) and len(spec) == 3:
        low, high, step = spec
        kind = widgets.IntSlider if all(isinstance(v, int) for v in spec) else widgets.FloatSlider
        return kind(
            value=low, min=low, max=high, step=step, description=label, style=style, layout=layout
        )
    if isinstance(spec, list | tuple) and spec:
        return widgets.Dropdown(options=list(spec), description=label, style=style, layout=layout)
    raise ValueError(
        f"control '{name}': give (min, max, step) for a slider or a list of choices, not {spec!r}"
    )


class Explorer:
    """A what-if explorer.

    Parameters
    ----------
    compute : callable
        ``compute(**values) -> pandas.DataFrame``: the table for one set of control values.
    controls : dict
        Control name -> ``(min, max, step)`` for a slider or a list of choices for a dropdown.
        The names are the keyword arguments of ``compute``.
    labels : dict
        Control name -> what a reader sees beside the control: plain words with the unit,
        such as ``"Take-up (share of the eligible, 0 to 1)"``. Every control needs one.
    plot : callable
        ``plot(table, ax, **values)`` draws the table on a matplotlib axis.
    scenarios : dict, optional
        Control name -> the few values to precompute for the static site.
        By default: the dropdown choices, and five evenly spaced slider positions.
    alt : callable, optional
        ``alt(table, **values) -> str``: the alternative text of a chart, for readers who
        cannot see it. By default it names the scenario and says that the table below the
        chart holds the same numbers.
    initial : dict, optional
        The control values shown first.

    Examples
    --------
    >>> def compute(rate):
    ...     return pd.DataFrame({"group": ["a", "b"], "value": [rate, 1 - rate]})
    >>> def plot(table, ax, rate):
    ...     ax.bar(table["group"], table["value"])
    >>> explorer = Explorer(compute, {"rate": (0.0, 1.0, 0.5)}, plot,
    ...                     labels={"rate": "Rate (share, 0 to 1)"})
    >>> [values["rate"] for values in explorer.scenario_values()]
    [0.0, 0.25, 0.5, 0.75, 1.0]
    """

    def __init__(
        self,
        compute: Callable[..., pd.DataFrame],
        controls: dict[str, Any],
        plot: Callable[..., None],
        *,
        labels: dict[str, str],
        scenarios: dict[str, Sequence] | None = None,
        alt: Callable[..., str] | None = None,
        initial: dict[str, Any] | None = None,
        figsize: tuple[float, float] = (4.3, 3.0),
    ) -> None:
        self.compute, self.controls, self.plot = compute, dict(controls), plot
        missing = [name for name in self.controls if not str(labels.get(name, "")).strip()]
        if missing:
            raise ValueError(
                f"explorer controls {missing} have no label: give labels={{name: text}} in plain "
                "words with the unit, for example 'Take-up (share of the eligible, 0 to 1)'"
            )
        unknown = sorted(set(labels) - set(self.controls))
        if unknown:
            raise ValueError(
                f"labels {unknown} name no control; the controls are {list(self.controls)}"
            )
        self.labels = {name: str(labels[name]).strip() for name in self.controls}
        self.figsize = figsize
        self.alt = alt or (
            lambda table, **values: (
                "Chart for the scenario "
                + ", ".join(f"{k} = {v}" for k, v in values.items())
                + ". The table below the chart gives the same numbers."
            )
        )
        self.scenarios = {name: list(v) for name, v in (scenarios or {}).items()}
        for name, spec in self.controls.items():
            if name in self.scenarios:
                continue
            if isinstance(spec, tuple) and len(spec) == 3:
                low, high, _ = spec
                steps = [low + (high - low) * i / 4 for i in range(5)]
                if all(isinstance(v, int) for v in spec):
                    steps = sorted({round(v) for v in steps})
                else:
                    steps = sorted({round(v, 10) for v in steps})
                self.scenarios[name] = steps if high != low else [low]
            else:
                self.scenarios[name] = list(spec)
        first = {name: values[0] for name, values in self.scenarios.items()}
        self.initial = {**first, **(initial or {})}

    # ------------------------------------------------------------------ shared
    def _figure(self, values: dict) -> tuple[pd.DataFrame, plt.Figure]:
        table = self.compute(**values)
        fig, ax = plt.subplots(figsize=self.figsize, layout="constrained")
        self.plot(table, ax, **values)
        return table, fig

    def scenario_values(self) -> list[dict]:
        """Return the control values of every precomputed scenario."""
        names = list(self.scenarios)
        combos = itertools.product(*(self.scenarios[n] for n in names))
        return [dict(zip(names, combo, strict=True)) for combo in combos]

    def scenario_tables(self) -> list[tuple[dict, pd.DataFrame]]:
        """Compute the table of every precomputed scenario."""
        return [(values, self.compute(**values)) for values in self.scenario_values()]

    # ------------------------------------------------------------------ live (Jupyter)
    def widget(self):  # noqa: ANN201
        """Return the live ipywidgets explorer (controls above a chart and a table)."""
        import ipywidgets as widgets
        from IPython.display import display

        controls = {
            name: _control(name, spec, self.labels[name]) for name, spec in self.controls.items()
        }
        for name, control in controls.items():
            if name in self.initial:
                control.value = self.initial[name]
        output = widgets.Output()

        def redraw(**values: Any) -> None:
            output.clear_output(wait=True)
            with output:
                table, fig = self._figure(values)
                display(fig)
                plt.close(fig)
                display(table.style.hide(axis="index").format(precision=3))

        interactive = widgets.interactive_output(redraw, controls)
        return widgets.VBox([*controls.values(), output, interactive])

    # ------------------------------------------------------------------ static (site)
    def static_html(self) -> str:
        """Return the precomputed scenarios as HTML, switched by a small script."""
        parts = ['<div class="explorer-static">']
        for name, values in self.scenarios.items():
            options = "".join(
                f'<option value="{html.escape(str(v))}"'
                f"{' selected' if v == self.initial.get(name) else ''}>{html.escape(str(v))}"
                "</option>"
                for v in values
            )
            parts.append(
                f"<label>{html.escape(self.labels[name])} "
                f'<select data-name="{html.escape(name)}">{options}</select></label>'
            )
        for values in self.scenario_values():
            table, fig = self._figure(values)
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png", dpi=80, metadata=png_metadata(fig, dpi=80))
            plt.close(fig)
            image = base64.b64encode(buffer.getvalue()).decode()
            key = "|".join(str(values[n]) for n in self.scenarios)
            hidden = "" if values == {n: self.initial[n] for n in self.scenarios} else " hidden"
            parts.append(
                f'<div class="explorer-scenario" data-key="{html.escape(key)}"{hidden}>'
                f'<img src="data:image/png;base64,{image}" '
                f'alt="{html.escape(self.alt(table, **values))}">'
                + table.to_html(index=False, float_format=lambda x: f"{x:.3f}", border=0)
                + "</div>"
            )
        parts.append('<p class="explorer-status visually-hidden" aria-live="polite"></p>')
        parts.append(f'<p class="explorer-note"><em>{html.escape(LIVE_NOTE)}</em></p></div>')
        return "".join(parts)

    def _repr_mimebundle_(self, include=None, exclude=None) -> dict:  # noqa: ANN001
        """Show the live widget in Jupyter, and the static scenarios everywhere else."""
        bundle = {"text/html": self.static_html(), "text/plain": LIVE_NOTE}
        if os.environ.get(STATIC_SITE_VARIABLE):
            # The book's build: no widget state, so pages load no widget scripts.
            return bundle
        try:
            view = self.widget()._repr_mimebundle_()
        except Exception:  # no ipywidgets front end: the static version is enough
            return bundle
        if view:
            bundle.update(view)
        return bundle
