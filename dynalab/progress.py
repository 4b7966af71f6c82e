"""A progress bar for anything slow: a widget in a notebook, silent in scripts and tests.

Its displayed text is fixed when it appears (the description and the total), so a notebook that shows one
still compares equal under nbval whatever the timing.
"""

from __future__ import annotations

from typing import Any

from dynalab.models import checks

#: The largest total a bar counts to (a count of items or calls; far above any lesson's load).
MAX_TOTAL = 10**12


def _in_kernel() -> bool:
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    return shell is not None and shell.__class__.__name__ == "ZMQInteractiveShell"


class Progress:
    """``with Progress(total, "Loading votes") as bar: ... bar.advance(n)``"""

    def __init__(self, total: int, description: str, *, show: bool | None = None) -> None:
        total = checks.number("total", total, low=0, high=MAX_TOTAL, integer=True)
        description = checks.text("description", description, max_length=200)
        checks.optional(checks.flag, "show", show)
        self.total = total
        self.done = 0
        self.description = description
        self._bar: Any = None
        if show if show is not None else _in_kernel():
            import ipywidgets as widgets
            from IPython.display import display

            self._bar = widgets.IntProgress(
                value=0, min=0, max=max(total, 1), description=description,
                style={"description_width": "initial"},
                layout=widgets.Layout(width="60%"),
            )
            display(self._bar)

    def advance(self, count: int = 1) -> None:
        self.done += checks.number("count", count, low=0, high=MAX_TOTAL, integer=True)
        if self._bar is not None:
            self._bar.value = min(self.done, self._bar.max)

    def __enter__(self) -> Progress:
        return self

    def __exit__(self, exc_type: Any, *_: Any) -> None:
        if self._bar is not None:
            # Green when all went through, red when it stopped early: the learner sees which at a glance.
            self._bar.bar_style = "success" if exc_type is None else "danger"
