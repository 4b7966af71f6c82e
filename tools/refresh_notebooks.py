"""Re-execute lesson notebooks in place, so their stored outputs (what nbval compares and the slides show) are fresh.

    python tools/refresh_notebooks.py [notebooks/01_capacity_units.ipynb ...]   (default: every lesson of both
                                                                              editions, notebooks/ and notebooks/ja/)

Each notebook runs top to bottom in a new kernel, from its own folder, against the embedded engine
(DYNALAB_ENDPOINT is cleared, so stored outputs never name a user's own endpoint), with DYNALAB_I18N_STRICT=1 unless
it is set (a Japanese lesson showing a string without a Japanese entry fails instead of storing English, as nbval
would).

Widgets: a displayed widget's output is only a reference to a model in the kernel, which a static page cannot draw.
So each one also gets a **static snapshot** of what the learner sees after Run All, in the output's metadata
(``metadata.dynalab.snapshot``, see ``widget_snapshot``; nbval never compares output metadata): its controls and
their values, its readouts' HTML and the outputs its ``Output`` widgets hold (a lesson widget's plotly figure, as
plotly's JSON). ``tools/build_slides.py`` draws the decks from the stored outputs and these snapshots, without
executing anything. Afterwards the widget state (``metadata.widgets``, megabytes of JavaScript state that nbval never
reads) is stripped to keep the files small.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
#: where a widget output keeps its static snapshot: ``output.metadata[SNAPSHOT_KEY]["snapshot"]``
SNAPSHOT_KEY = "dynalab"

_BOXES = {"VBoxModel": "column", "BoxModel": "column", "GridBoxModel": "column", "HBoxModel": "row",
          "AccordionModel": "column", "TabModel": "column", "StackModel": "column"}
_SLIDERS = {"IntSliderModel", "FloatSliderModel", "FloatLogSliderModel", "IntRangeSliderModel",
            "FloatRangeSliderModel", "SelectionSliderModel", "SelectionRangeSliderModel", "PlayModel"}
_CHOICES = {"DropdownModel": "dropdown", "ToggleButtonsModel": "toggle", "RadioButtonsModel": "radio",
            "SelectModel": "dropdown", "SelectMultipleModel": "dropdown"}
_TEXTS = {"TextModel", "TextareaModel", "IntTextModel", "FloatTextModel", "BoundedIntTextModel",
          "BoundedFloatTextModel", "PasswordModel", "ComboboxModel"}


def _shown(value: Any, fmt: str | None) -> str:
    """A control's value as its readout shows it (ipywidgets' readout_format is a d3 format: '.2f', 'd', ...)."""
    if isinstance(value, list):
        return " – ".join(_shown(v, fmt) for v in value)
    try:
        return format(value, fmt or "")
    except (TypeError, ValueError):
        return str(value)


def widget_snapshot(model_id: str, models: dict[str, Any], _seen: frozenset[str] = frozenset()) -> dict | None:
    """What widget ``model_id`` shows, from the kernel's widget state (``models``: model id -> {model_name, state}),
    as a small JSON tree for the slides: ``{"box": "row"|"column", "children": [...]}``, ``{"html": ...}`` (an
    HTML widget's own HTML), ``{"label": ...}`` (text), ``{"slider": value shown, "min", "max", "step", "at"}``,
    ``{"choice": options, "index": i, "style": "dropdown"|"toggle"|"radio"}``, ``{"checkbox": bool}``,
    ``{"button": label}``, ``{"text": value}``, ``{"progress": value, "min", "max"}``, ``{"outputs": [...]}``
    (an Output widget's nbformat outputs); each with its ``description`` and CSS ``classes`` when it has them.
    A hidden widget (``layout.display`` none) or an unknown model gives None."""
    model = models.get(model_id)
    if model is None or model_id in _seen:
        return None
    seen = _seen | {model_id}
    name, state = model.get("model_name", ""), model.get("state", {})
    layout = models.get(str(state.get("layout", "")).removeprefix("IPY_MODEL_"), {}).get("state", {})
    if layout.get("display") == "none" or layout.get("visibility") == "hidden":
        return None
    node: dict[str, Any]
    if name in _BOXES:
        children = [widget_snapshot(str(child).removeprefix("IPY_MODEL_"), models, seen)
                    for child in state.get("children", [])]
        node = {"box": _BOXES[name], "children": [child for child in children if child]}
    elif name == "OutputModel":
        node = {"outputs": [_snapshot_output(output, models, seen) for output in state.get("outputs", [])]}
    elif name in {"HTMLModel", "HTMLMathModel"}:
        node = {"html": state.get("value", "")}
    elif name == "LabelModel":
        node = {"label": state.get("value", "")}
    elif name in _SLIDERS:
        labels = state.get("_options_labels")
        value = state.get("index" if labels else "value")
        shown = ([labels[i] for i in value] if isinstance(value, list) else labels[value]) if labels else value
        low, high = (0, len(labels) - 1) if labels else (state.get("min", 0), state.get("max", 100))
        node = {"slider": _shown(shown, None if labels else state.get("readout_format")), "min": low, "max": high,
                "step": 1 if labels else state.get("step", 1), "at": value[0] if isinstance(value, list) else value}
    elif name in _CHOICES:
        index = state.get("index")
        node = {"choice": list(state.get("_options_labels", [])), "style": _CHOICES[name],
                "index": index if isinstance(index, int) else (index or [None])[0]}
    elif name in {"IntProgressModel", "FloatProgressModel"}:
        node = {"progress": state.get("value", 0), "min": state.get("min", 0), "max": state.get("max", 100)}
    elif name in {"CheckboxModel", "ToggleButtonModel", "ValidModel"}:
        node = {"checkbox": bool(state.get("value"))}
    elif name == "ButtonModel":
        node = {"button": state.get("description", ""), "style": state.get("button_style", "")}
    elif name in _TEXTS:
        node = {"text": str(state.get("value", ""))}
    elif "value" in state and isinstance(state["value"], str | int | float | bool):
        node = {"label": str(state["value"])}
    else:
        return None
    if state.get("description") and name != "ButtonModel":
        node["description"] = state["description"]
    if state.get("_dom_classes"):
        node["classes"] = list(state["_dom_classes"])
    return node


def _snapshot_output(output: dict, models: dict[str, Any], seen: frozenset[str]) -> dict:
    """An output an Output widget holds; a widget displayed inside it becomes its snapshot too."""
    view = output.get("data", {}).get(WIDGET_VIEW)
    if view is None:
        return output
    inner = widget_snapshot(view.get("model_id", ""), models, seen)
    return {"output_type": "display_data", "data": {}, "metadata": {SNAPSHOT_KEY: {"snapshot": inner}}}


def store_widget_snapshots(notebook) -> int:
    """Give every widget output of ``notebook`` its snapshot (from ``metadata.widgets``, the state nbclient kept at
    the end of the run: what the learner sees after Run All); returns how many."""
    models = notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    stored = 0
    for cell in notebook.cells:
        for output in cell.get("outputs", []) if cell.cell_type == "code" else []:
            view = output.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                continue
            snapshot = widget_snapshot(view.get("model_id", ""), models)
            output.setdefault("metadata", {})[SNAPSHOT_KEY] = {"snapshot": snapshot}
            stored += 1
    return stored


def refresh(path: Path) -> float:
    started = time.monotonic()
    notebook = nbformat.read(path, as_version=4)
    os.environ.pop("DYNALAB_ENDPOINT", None)
    os.environ.setdefault("DYNALAB_I18N_STRICT", "1")
    client = NotebookClient(notebook, timeout=600, kernel_name="python3", store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    store_widget_snapshots(notebook)
    notebook.metadata.pop("widgets", None)
    nbformat.write(notebook, path)
    return time.monotonic() - started


def main(argv: list[str]) -> None:
    paths = [Path(p) for p in argv] or [path for folder in (ROOT / "notebooks", ROOT / "notebooks" / "ja")
                                        for path in sorted(folder.glob("[0-9]*.ipynb"))]
    for path in paths:
        print(f"{path}: executed in {refresh(path):.1f} s", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
