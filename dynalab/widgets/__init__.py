"""ipywidgets UIs that compose models, engine I/O and figures (a module per lesson topic). They hold no rules.

Conventions every lesson widget follows, so the three ways the course is used all work:

* A widget is a ``LessonWidget``: ``container`` (what a notebook cell shows), ``figure`` (the plotly figure it
  redraws), ``readout`` (an ``ipywidgets.HTML`` with the numbers the figure shows, in words) and ``update()``
  (recompute and redraw; the benchmarks time it).
* Its main control (the slider, picker or button a learner moves first) carries the CSS class
  ``MAIN_CONTROL`` and its readout ``MAIN_READOUT``: the browser tests find them by those names.
* For the offline slides (``DYNALAB_SLIDES=1`` while they are built) a widget shows a static ``go.Figure`` of its
  current state instead: an interactive FigureWidget cannot draw in a static HTML page.
"""

from __future__ import annotations

import os
from typing import Any

MAIN_CONTROL = "dynalab-main-control"
MAIN_READOUT = "dynalab-main-readout"


def static_figures() -> bool:
    """True while the slides are built: show plain figures, not live widgets."""
    return os.environ.get("DYNALAB_SLIDES") == "1"


class FigureView:
    """A plotly figure in an ``ipywidgets.Output``, redrawn by replacing the output.

    A plain ``go.Figure`` through plotly's default kernel renderer (deterministic JSON, so nbval can compare it),
    not a FigureWidget: the first FigureWidget of a kernel costs seconds (anywidget ships its JavaScript bundle),
    and a plain figure also draws in the offline slides.
    """

    def __init__(self, figure: Any) -> None:
        import ipywidgets as widgets

        self.output = widgets.Output()
        self.show(figure)

    def show(self, figure: Any) -> None:
        import plotly.io as pio

        self.figure = figure
        # Built here, not displayed: displaying the figure object would also publish it to the running cell.
        bundle = pio.renderers["plotly_mimetype"].to_mimebundle(figure.to_dict())
        self.output.outputs = ({"output_type": "display_data", "data": bundle, "metadata": {}},)


class LessonWidget:
    """Base class: subclasses set ``container``, ``figure`` and ``readout`` and implement ``update()``."""

    container: Any
    figure: Any
    readout: Any

    def update(self, *_: Any) -> None:
        raise NotImplementedError

    def _ipython_display_(self) -> None:
        from IPython.display import display

        if static_figures():
            self.show_in_slides()
        else:
            display(self.container)

    def show_in_slides(self) -> None:
        """While the slides are built, show the figure's current state and its readout as static output.

        A widget whose figure fills in later (a live run started from a later cell) calls this once it is done,
        so its slide shows the result, not the empty figure it started with.
        """
        if not static_figures():
            return
        import plotly.graph_objects as go
        from IPython.display import HTML, display

        display(go.Figure(self.figure))
        if self.readout is not None:
            display(HTML(self.readout.value))
