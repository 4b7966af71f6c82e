"""No figure's text runs past the figure or over other text, where that can be computed from the figure itself.

Every builder of ``dynalab.figures`` (``FIGURES``, and the lessons' own calls with the lessons' data), in both
languages, drawn at the width a lesson draws figures at (``FIGURE_WIDTH_PX``), text widths estimated generously
(``dynalab.i18n.text_width``):

* **titles**: each line fits the figure's width; a one-line title in the top strip ends before plotly's mode bar
  (top right), which covers it when the pointer is over the figure (lesson 8's replay title was cut and covered);
* **category labels**: each line of an axis's category label fits its slot (the axis's width over its categories),
  so no label runs into the next or past the plot (lesson 8's plan: a slanted label past the right edge);
* **text on points**: the labels drawn at points do not overlap and stay inside the plot (lesson 7's batching figure
  drew "B=10" twice on itself, "B=100" over "B=1000", and cut the last label);
* **log axes** say their numbers (ticks at the powers of ten, no unlabelled 2s and 5s between them);
* **dollars stay dollars**: no text holds two "$" (plotly in JupyterLab typesets what lies between them as maths:
  lesson 8's plan title, "provisioned $54.57, on-demand $188.89", vanished).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

import pytest

import dynalab
from dynalab.figures import FIGURE_WIDTH_PX, MODEBAR_WIDTH_PX, TITLE_X, lambda_triggers, planner, title_font_px
from dynalab.i18n.text_width import text_width_em
from figures.figure_texts import learner_texts_of_figure
from figures.test_japanese_figures import FIGURES

DEFAULT_MARGIN = {"l": 80, "r": 80, "t": 100, "b": 80}  # plotly's


def _lesson_7_batching() -> Any:
    from dynalab.models.event_source_mapping import simulate_batching

    return lambda_triggers.batching_figure([simulate_batching(100, 60, batch_size=b, window_seconds=w)
                                            for w in (0, 1, 5, 30) for b in (10, 100, 1000)])


def _lesson_8_replay() -> Any:
    from dynalab.lessons.sample_data import course_file
    from dynalab.lessons.workloads import load_workload
    from dynalab.widgets.autoscaling import AutoscalingExplorer

    workload = load_workload(course_file("data/cloudwatch/orders_get_metric_data.json"),
                             metric="ConsumedWriteCapacityUnits")
    return AutoscalingExplorer(workload, target_utilization=70).figure


def _lesson_2_explorer(workload: str) -> Callable[[], Any]:
    def build() -> Any:
        from dynalab.widgets.autoscaling import AutoscalingExplorer

        return AutoscalingExplorer(workload, target_utilization=70).figure
    return build


#: every figure builder (toy data) and the lessons' own figures (the lessons' data)
ALL: dict[str, Callable[[], Any]] = {
    **FIGURES,
    "lesson 7: batching": _lesson_7_batching,
    "lesson 8: plan": lambda: planner.plan_figure(dynalab.plan_table("orders"), 70),
    "lesson 8: key load": lambda: planner.key_load_figure(dynalab.plan_table("orders")),
    "lesson 8: replay": _lesson_8_replay,
    **{f"lesson 2: explorer ({name})": _lesson_2_explorer(name) for name in dynalab.workload_names()},
}


def _plot_width(layout: Any) -> float:
    margin = layout.margin
    left = DEFAULT_MARGIN["l"] if margin.l is None else margin.l
    right = DEFAULT_MARGIN["r"] if margin.r is None else margin.r
    return (layout.width or FIGURE_WIDTH_PX) - left - right


def _axes(figure: Any, letter: str) -> dict[str, Any]:
    """Axis name as traces give it ("x", "x2") -> the layout's axis."""
    found = {}
    for key in figure.layout:
        if key.startswith(f"{letter}axis"):
            found[letter + key[len(letter) + 4:]] = figure.layout[key]
    return found


def _width_px(text: str, font_px: float) -> float:
    return max(text_width_em(line) for line in str(text).split("<br>")) * font_px


@pytest.fixture(params=["en", "ja"])
def language(request):
    dynalab.set_language(request.param)
    yield request.param
    dynalab.set_language("en")


@pytest.mark.parametrize("name", sorted(ALL))
def test_the_title_fits_and_stays_clear_of_the_mode_bar(name, language):
    figure = ALL[name]()
    layout = figure.layout
    text = (layout.title.text or "").replace("&#36;", "$")  # an entity plotly draws as "$"
    if not text:
        return
    width = layout.width or FIGURE_WIDTH_PX
    font = title_font_px(layout)
    start = TITLE_X * width
    for line in text.split("<br>"):
        assert start + text_width_em(line) * font <= width, f"{name} ({language}): title line {line!r} runs past"
    in_top_strip = layout.title.yanchor != "top" or layout.title.yref != "container" or (layout.title.y or 1) > 0.99
    if in_top_strip:
        assert "<br>" not in text and start + text_width_em(text) * font <= width - MODEBAR_WIDTH_PX, (
            f"{name} ({language}): the title {text!r} reaches under the mode bar")


@pytest.mark.parametrize("name", sorted(ALL))
def test_category_labels_fit_their_slots(name, language):
    figure = ALL[name]()
    font = figure.layout.font.size or 12
    plot = _plot_width(figure.layout)
    axes = _axes(figure, "x")
    categories: dict[str, list[str]] = {}
    for trace in figure.data:
        values = getattr(trace, "x", None)
        if trace.type in ("bar", "scatter") and values is not None and getattr(trace, "orientation", None) != "h":
            if any(isinstance(v, str) for v in values):
                found = categories.setdefault(trace.xaxis or "x", [])
                found += [v for v in values if v not in found]
    for axis_name, labels in categories.items():
        axis = axes.get(axis_name)
        domain = axis.domain if axis is not None and axis.domain else (0, 1)
        slot = plot * (domain[1] - domain[0]) / len(labels)
        for label in labels:
            assert _width_px(label, font) <= slot, (
                f"{name} ({language}): the category {label!r} ({_width_px(label, font):.0f} px) is wider than its "
                f"slot ({slot:.0f} px) on {axis_name}: it runs into its neighbour or past the plot")


def _position(value: float, low: float, high: float, log: bool) -> float:
    if log:
        value, low, high = math.log10(value), math.log10(low), math.log10(high)
    return 0.5 if high == low else (value - low) / (high - low)


@pytest.mark.parametrize("name", sorted(ALL))
def test_labels_on_points_do_not_overlap_and_stay_inside(name, language):
    figure = ALL[name]()
    font = figure.layout.font.size or 12
    plot = _plot_width(figure.layout)
    height = (figure.layout.height or 450) - 160
    boxes = []
    for trace in figure.data:
        if trace.type != "scatter" or "text" not in (trace.mode or "") or trace.text is None:
            continue
        x_axis = _axes(figure, "x").get(trace.xaxis or "x")
        y_axis = _axes(figure, "y").get(trace.yaxis or "y")
        points = [(x, y, t) for x, y, t in zip(trace.x, trace.y, trace.text, strict=False)
                  if isinstance(x, int | float) and isinstance(y, int | float)]
        if not points:
            continue
        xs = [v for t in figure.data if t.type == "scatter" and t.x is not None for v in t.x
              if isinstance(v, int | float)]
        ys = [v for t in figure.data if t.type == "scatter" and t.y is not None for v in t.y
              if isinstance(v, int | float)]
        for x, y, text in points:
            left = _position(x, min(xs), max(xs), x_axis is not None and x_axis.type == "log") * plot
            top = _position(y, min(ys), max(ys), y_axis is not None and y_axis.type == "log") * height
            width = _width_px(text, font)
            if "right" in (trace.textposition or "middle center"):
                box = (left, left + width, top, top + font)
            else:
                box = (left - width / 2, left + width / 2, top, top + font)
            assert box[1] <= plot + 20, f"{name} ({language}): the label {text!r} runs past the plot's right edge"
            boxes.append((text, box))
    for (first, a), (second, b) in itertools.combinations(boxes, 2):
        overlap = a[0] < b[1] and b[0] < a[1] and a[2] < b[3] and b[2] < a[3]
        assert not overlap, f"{name} ({language}): the labels {first!r} and {second!r} are drawn over each other"


@pytest.mark.parametrize("name", sorted(ALL))
def test_log_axes_label_their_powers_of_ten(name, language):
    figure = ALL[name]()
    for letter in ("x", "y"):
        for axis_name, axis in _axes(figure, letter).items():
            if axis.type == "log":
                assert axis.dtick in (1, "1"), (f"{name} ({language}): log axis {axis_name} draws digits between the "
                                                "powers of ten (set dtick=1)")


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_text_is_typeset_as_maths(name, language):
    figure = ALL[name]()
    for text in learner_texts_of_figure(figure.to_dict()):
        assert text.count("$") < 2, f"{name} ({language}): {text!r} would be typeset as maths between its dollars"
