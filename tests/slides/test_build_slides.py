"""tools/build_slides.py's offline guards, without a browser: what counts as a network load, and which widget
models a deck keeps."""

from __future__ import annotations

import nbformat
from slides_support import load_build_slides

build_slides = load_build_slides()


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


def _view(model_id):
    return nbformat.v4.new_output("display_data", data={
        "application/vnd.jupyter.widget-view+json": {"model_id": model_id, "version_major": 2, "version_minor": 0}})


def test_prune_widget_state_keeps_displayed_models_and_what_they_reference():
    notebook = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("form")
    cell.outputs = [_view("aa01")]
    notebook.cells = [cell]
    state = {
        "aa01": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_bb02"], "layout": "IPY_MODEL_cc03"}},
        "bb02": {"model_name": "ButtonModel", "state": {}},
        "cc03": {"model_name": "LayoutModel", "state": {}},
        "dd04": {"model_name": "AnyModel", "state": {"_esm": "x" * 1000}},  # a FigureWidget never displayed
    }
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    build_slides.prune_widget_state(notebook)
    kept = notebook.metadata["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    assert sorted(kept) == ["aa01", "bb02", "cc03"]


def test_prune_widget_state_drops_the_state_when_nothing_is_displayed():
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {"x": {}}}}
    build_slides.prune_widget_state(notebook)
    assert "widgets" not in notebook.metadata


def test_template_loads_nothing_from_a_cdn():
    assert "http" not in build_slides.TEMPLATE


def test_a_deck_is_stale_when_a_cell_or_its_slide_type_changes_not_when_outputs_do():
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell("# Title"), nbformat.v4.new_code_cell("print(1)")]
    first = build_slides.source_digest(notebook)
    notebook.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    assert build_slides.source_digest(notebook) == first
    notebook.cells[1].metadata["slideshow"] = {"slide_type": "subslide"}
    assert build_slides.source_digest(notebook) != first
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
