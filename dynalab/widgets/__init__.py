"""ipywidgets UIs that compose lessons, figures and models (a module per lesson topic). No rules, no boto3 client.

Conventions every lesson widget follows, so the three ways the course is used all work:

* A widget is a ``LessonWidget``: ``container`` (what a notebook cell shows), ``figure`` (the plotly figure it
  redraws), ``readout`` (an ``ipywidgets.HTML`` with the numbers the figure shows, in words) and ``update()``
  (recompute and redraw; the benchmarks time it).
* Its main control (the slider, picker or button a learner moves first) carries the CSS class
  ``MAIN_CONTROL`` and its readout ``MAIN_READOUT``: the browser tests find them by those names.
* Its controls are built with ``checked(kind, parameter, value, ...)``: a value given to the constructor or set
  from the kernel (``explorer.slider.value = 95``) is checked first by ``dynalab.models.checks`` against the
  control's own range (a slider's min/max, a picker's options), so a bad one is a ValueError/TypeError naming
  the parameter, the value and what is allowed, never a silent clamp or a traitlets error. A widget checks its
  constructor's arguments (same ranges) before it builds any control.
* Labels, buttons, toggles and dropdowns are as wide as their text in either language (``sizing.fit_to_text``):
  ``checked`` fits each control it builds, and a ``LessonWidget`` fits its whole container (plain buttons too)
  before it is shown. A dropdown's options are words; the ids they stand for are its values, never shown.
* The offline slides draw a widget from the static snapshot ``make refresh-notebooks`` stores with its output
  (``tools/refresh_notebooks.py``): a widget needs no slides mode of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from dynalab.i18n import tr, yes_no  # noqa: F401 - yes_no: the widgets' readouts import it from here
from dynalab.models import checks
from dynalab.widgets.sizing import fit_to_text

MAIN_CONTROL = "dynalab-main-control"
MAIN_READOUT = "dynalab-main-readout"


# --- checked controls -------------------------------------------------------------------------------------------


def check_value(control: Any, value: Any) -> Any:
    """``value`` as ``control`` would take it from the kernel (cleaned), else the clear error ``checked`` promises.

    The rule follows the control: a bounded number its live ``min``/``max`` (a whole number for an int slider), a
    picker one of its option values, a checkbox a real bool, a text box a str.
    """
    import traitlets

    parameter = control._dynalab_parameter
    if control.description:
        parameter = tr("{parameter} (the {description!r} control)", parameter=parameter,
                       description=control.description)
    rule: Callable[[str, Any], Any] | None = getattr(control, "_dynalab_rule", None)
    if rule is not None:
        return rule(parameter, value)
    if hasattr(control, "_options_values"):
        return checks.choice(parameter, value, control._options_values)
    trait = control.traits()["value"]
    if isinstance(trait, traitlets.Bool):
        return checks.flag(parameter, value)
    if isinstance(trait, traitlets.Unicode):
        return checks.text(parameter, value)
    integer = isinstance(trait, traitlets.Int)  # CInt is an Int
    return checks.number(parameter, value, low=getattr(control, "min", None), high=getattr(control, "max", None),
                         integer=integer)


class _CheckedValue:
    """Mixed into a control's class by ``checked``: ``control.value = x`` from the kernel is checked first.

    The browser's own moves arrive through ``set_state`` (``set_trait``), not here: they are in range already.
    """

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "value" and self.__dict__.get("_dynalab_parameter"):
            value = check_value(self, value)
        super().__setattr__(name, value)


_CHECKED_KINDS: dict[type, type] = {}


def checked(kind: type, parameter: str, value: Any, *, rule: Callable[[str, Any], Any] | None = None,
            **options: Any) -> Any:
    """An ipywidgets control ``kind(**options)`` holding ``value``, whose value is checked whenever it is set from
    the kernel (``check_value``; ``rule(name, value)`` replaces the control's own rule). ``parameter`` is the
    constructor parameter the control stands for: the errors name it."""
    if kind not in _CHECKED_KINDS:
        _CHECKED_KINDS[kind] = type(kind.__name__, (_CheckedValue, kind), {"__module__": kind.__module__})
    control = _CHECKED_KINDS[kind](**options)  # its default value first: the checked one is set next
    control._dynalab_parameter = parameter
    control._dynalab_rule = rule
    try:
        control.value = value
    except Exception:  # no half-built control (nor the layout and style it made) left registered with the kernel
        import ipywidgets as widgets

        for part in ("layout", "style"):
            made = getattr(control, part, None)
            if isinstance(made, widgets.Widget) and not isinstance(options.get(part), widgets.Widget):
                made.close()
        control.close()
        raise
    return fit_to_text(control)


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

    @staticmethod
    def set_controls(*settings: tuple[Any, Any]) -> None:
        """Set controls from the kernel, all or none: each ``(control, value)`` is checked before any is set (a
        value of None leaves its control as it is)."""
        wanted = [(control, check_value(control, value)) for control, value in settings if value is not None]
        for control, value in wanted:
            control.value = value

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(fit_to_text(self.container))
