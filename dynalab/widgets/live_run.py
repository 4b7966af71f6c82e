"""A demo that shows real seconds passing, run when its button is pressed (``LiveRun``).

A lesson's Run All stays within 15 s: a demo whose point is time passing (a throttled table refilling, users
waiting on a Scan) is a button, and the seconds are spent when the learner presses it, not on Run All. While the
slides are built, it runs once as it is displayed, so the static slide shows a real run.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from dynalab.i18n import tr
from dynalab.models import checks

__all__ = ["LiveRun"]

#: dynalab's bound on what a demo may announce (a lesson's live demos take seconds, not minutes)
MAX_ANNOUNCED_SECONDS = 120


def _lines(result: Any) -> list[str]:
    describe = getattr(result, "describe", None)
    shown = describe() if callable(describe) else result
    return [str(line) for line in shown] if isinstance(shown, list | tuple) else [str(shown)]


class LiveRun:
    """A button that runs ``run()`` (a demo taking about ``seconds`` of real time) and shows what it returned
    (its ``describe()`` lines, else its text). ``result`` holds the last run's result for later cells."""

    def __init__(self, run: Callable[[], Any], *, button: str, seconds: float,
                 describe: Callable[[Any], Sequence[str]] | None = None) -> None:
        import ipywidgets as widgets

        if not callable(run):
            raise checks.ParameterTypeError(tr("run must be a function that runs the demo; got {run!r:.80}", run=run))
        if describe is not None and not callable(describe):
            raise checks.ParameterTypeError(tr("describe must be a function of the demo's result; got {describe!r:.80}",
                                               describe=describe))
        self._run, self._describe = run, describe or _lines
        self.seconds = checks.number("seconds", seconds, low=0, high=MAX_ANNOUNCED_SECONDS, unit="seconds")
        label = checks.text("button", button, min_length=1, max_length=60)
        self.result: Any = None
        self.button = widgets.Button(description=label, button_style="warning",
                                     layout=widgets.Layout(width="auto"))
        self.button.on_click(lambda _: self.run())
        self.readout = widgets.HTML(html.escape(tr(
            "Press {button}: about {seconds:g} s of real time, on purpose (Run All leaves it for you).",
            button=label, seconds=self.seconds)))
        self.container = widgets.VBox([self.button, self.readout])

    def run(self) -> Any:
        """Run the demo now (what pressing the button does); return its result."""
        self.button.disabled = True
        self.readout.value = html.escape(tr("running... (about {seconds:g} s)", seconds=self.seconds))
        try:
            self.result = self._run()
        except Exception as error:
            self.readout.value = html.escape(tr("the demo stopped: {error}", error=f"{type(error).__name__}: {error}"))
            raise
        finally:
            self.button.disabled = False
        self.readout.value = "<br>".join(html.escape(line) for line in self._describe(self.result))
        return self.result

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.container)
