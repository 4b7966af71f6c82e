"""tools/build_slides.py's offline guards, without a browser: what counts as a network load, a widget's static
snapshot (tools/refresh_notebooks.py stores it, the deck draws it) and when a deck is stale."""

from __future__ import annotations

import nbformat
import pytest
from slides_support import PLOTLY, load_build_slides, load_refresh_notebooks

build_slides = load_build_slides()
refresh_notebooks = load_refresh_notebooks()


def test_external_loads_finds_scripts_styles_and_images_but_not_links():
    page = """
    <script src="vendor/requirejs/require.js"></script>
    <script src="https://cdn.example.org/x.js"></script>
    <link rel="stylesheet" href="//fonts.example.org/f.css">
    <img src="http://example.org/i.png">
    <a href="https://docs.aws.amazon.com/">a link a reader may click</a>
    <link rel="stylesheet" href="vendor/reveal.js/dist/reveal.css">
    """
    assert build_slides.external_loads(page) == [
        "https://cdn.example.org/x.js", "//fonts.example.org/f.css", "http://example.org/i.png"]


def _view(model_id, snapshot=None):
    metadata = {} if snapshot is None else {"dynalab": {"snapshot": snapshot}}
    return nbformat.v4.new_output("display_data", metadata=metadata, data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2, "version_minor": 0}})


_FIGURE = {"data": [{"type": "bar", "x": ["a"], "y": [3]}], "layout": {"title": {"text": "FIGURE-TITLE"}}}


def _model(name, **state):
    return {"model_name": name, "state": state}


def test_a_widget_snapshot_holds_its_controls_figure_and_readout_as_the_kernel_left_them():
    models = {
        "box": _model("VBoxModel", children=["IPY_MODEL_row", "IPY_MODEL_out", "IPY_MODEL_readout", "IPY_MODEL_gone"]),
        "row": _model("HBoxModel", children=["IPY_MODEL_slider", "IPY_MODEL_pick", "IPY_MODEL_go"]),
        "slider": _model("IntSliderModel", value=70, min=20, max=90, step=1, readout_format="d",
                         description="target %", _dom_classes=["dynalab-main-control"]),
        "pick": _model("DropdownModel", _options_labels=["steady", "flash sale"], index=1, description="workload"),
        "go": _model("ButtonModel", description="Fire", button_style="danger"),
        "out": _model("OutputModel", outputs=[{"output_type": "display_data", "data": {PLOTLY: _FIGURE},
                                               "metadata": {}}]),
        "readout": _model("HTMLModel", value="throttled <b>25 %</b>", _dom_classes=["dynalab-main-readout"]),
        "gone": _model("LabelModel", value="HIDDEN", layout="IPY_MODEL_hidden"),
        "hidden": _model("LayoutModel", display="none"),
    }
    snapshot = refresh_notebooks.widget_snapshot("box", models)
    assert snapshot == {"box": "column", "children": [
        {"box": "row", "children": [
            {"slider": "70", "min": 20, "max": 90, "step": 1, "at": 70, "description": "target %",
             "classes": ["dynalab-main-control"]},
            {"choice": ["steady", "flash sale"], "style": "dropdown", "index": 1, "description": "workload"},
            {"button": "Fire", "style": "danger"}]},
        {"outputs": [{"output_type": "display_data", "data": {PLOTLY: _FIGURE}, "metadata": {}}]},
        {"html": "throttled <b>25 %</b>", "classes": ["dynalab-main-readout"]}]}

    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [_view("box")]
    notebook.cells = [cell]
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": models}}
    assert refresh_notebooks.store_widget_snapshots(notebook) == 1
    assert cell.outputs[0].metadata["dynalab"]["snapshot"] == snapshot


def test_a_deck_draws_each_widget_from_its_snapshot_and_each_stored_figure(tmp_path):
    snapshot = {"box": "column", "children": [
        {"slider": "70", "min": 20, "max": 90, "step": 1, "at": 70, "description": "target %"},
        {"outputs": [{"output_type": "display_data", "data": {PLOTLY: _FIGURE}, "metadata": {}}]},
        {"html": "READOUT-TEXT"}]}
    notebook = nbformat.v4.new_notebook()
    widget = nbformat.v4.new_code_cell("explorer")
    widget.outputs = [_view("aa01", snapshot)]
    figure = nbformat.v4.new_code_cell("figure")
    figure.outputs = [nbformat.v4.new_output("display_data", data={PLOTLY: _FIGURE})]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), widget, figure]
    path = tmp_path / "01_lesson.ipynb"
    nbformat.write(notebook, path)
    static, traces = build_slides.static_notebook(path)
    assert traces == {"bar"} and "widgets" not in static.metadata
    shown = static.cells[1].outputs[0]["data"]
    assert list(shown) == ["text/html"]
    assert build_slides.SNAPSHOT_CLASS in shown["text/html"] and "READOUT-TEXT" in shown["text/html"]
    assert 'type="range"' in shown["text/html"] and "target %" in shown["text/html"]
    assert shown["text/html"].count("plotly-graph-div") == 1
    assert "Plotly.newPlot" in static.cells[2].outputs[0]["data"]["text/html"]


def test_a_widget_without_a_snapshot_fails_the_build_naming_the_refresh(tmp_path):
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("explorer")
    cell.outputs = [_view("aa01")]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), cell]
    path = tmp_path / "02_lesson.ipynb"
    nbformat.write(notebook, path)
    with pytest.raises(build_slides.SlidesBuildError, match=r"02_lesson.ipynb cell 1: .*make refresh-notebooks"):
        build_slides.static_notebook(path)


def test_template_loads_nothing_from_a_cdn():
    assert "http" not in build_slides.TEMPLATE


def test_a_deck_is_stale_when_a_cell_its_slide_type_or_its_stored_outputs_change():
    """The deck shows the stored outputs: new ones (``make refresh-notebooks``) make it stale too."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("print(1)")]
    first = build_slides.source_digest(notebook)
    assert build_slides.source_digest(notebook) == first
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    with_output = build_slides.source_digest(notebook)
    assert with_output != first
    notebook.cells[1].metadata["slideshow"] = {"slide_type": "subslide"}
    assert build_slides.source_digest(notebook) not in {first, with_output}
    notebook.cells[1].source = "print(2)"
    assert build_slides.source_digest(notebook) not in {first, with_output}
    page = "<head>" + build_slides._DIGEST_META.format(first) + "</head>"
    assert build_slides.deck_digest(page) == first


def test_a_hidden_cell_stays_out_of_the_deck_whatever_its_slide_type(tmp_path):
    notebook = nbformat.v4.new_notebook()
    shown = nbformat.v4.new_code_cell("print('on the slide')", metadata={"slideshow": {"slide_type": "slide"}})
    shown.outputs = [nbformat.v4.new_output("stream", name="stdout", text="SHOWN-OUTPUT\n")]
    hidden = nbformat.v4.new_code_cell("dynalab.verify_self_check('03')  # HIDDEN-SOURCE", metadata={
        "slideshow": {"slide_type": "-"}, "tags": list(build_slides.HIDDEN_CELL_TAGS)})
    hidden.outputs = [nbformat.v4.new_output("stream", name="stdout", text="HIDDEN-OUTPUT\n")]
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
                      shown, hidden]
    (tmp_path / "dynalab_offline.html.j2").write_text(build_slides.TEMPLATE.replace("JAPANESE_FONTS", "serif"))
    page, _ = build_slides._exporter(tmp_path).from_notebook_node(notebook, resources={"metadata": {"name": "t"}})
    assert "SHOWN-OUTPUT" in page
    assert "HIDDEN-OUTPUT" not in page and "HIDDEN-SOURCE" not in page
