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
            import plotly.graph_objects as go

            display(go.Figure(self.figure))
            if self.readout is not None:
                from IPython.display import HTML

                display(HTML(self.readout.value))
        else:
            display(self.container)
