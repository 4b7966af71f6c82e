"""Re-running a lesson in the same kernel must succeed: tables are reset, the engine is reused."""

from __future__ import annotations

import os

import nbformat
import pytest
from nbclient import NotebookClient
from support import NOTEBOOKS


@pytest.mark.skipif(bool(os.environ.get("DYNALAB_ENDPOINT")), reason="nbval covers notebooks on the embedded engine")
def test_start_here_runs_twice_in_one_kernel():
    notebook = nbformat.read(NOTEBOOKS / "00_start_here.ipynb", as_version=4)
    client = NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    with client.setup_kernel():
        for run in (1, 2):
            for index, cell in enumerate(notebook.cells):
                if cell.cell_type == "code":
                    client.execute_cell(cell, index)  # raises CellExecutionError on any error
            outputs = [o for c in notebook.cells if c.cell_type == "code" for o in c.outputs]
            assert not [o for o in outputs if o.get("output_type") == "error"], f"run {run} failed"
    query = next(c for c in notebook.cells if "between(" in c.source)
    assert "'Call Me Today', 'Hey Now', 'Lucky'" in query.outputs[0]["data"]["text/plain"]


@pytest.mark.skipif(bool(os.environ.get("DYNALAB_ENDPOINT")), reason="kills the embedded engine")
def test_a_dead_engine_in_a_notebook_gives_one_line_then_recovers():
    cells = [
        "import dynalab\nlab = dynalab.connect()\nfrom dynalab import engine\n"
        "engine._embedded.process.kill(); engine._embedded.process.wait()",
        "lab.client.list_tables()",
        "lab = dynalab.connect()\nprint(lab.client.list_tables()['TableNames'])",
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source) for source in cells])
    client = NotebookClient(notebook, timeout=120, kernel_name="python3", allow_errors=True)
    client.execute()
    dead, recovered = notebook.cells[1].outputs, notebook.cells[2].outputs
    text = "".join(o.get("text", "") for o in dead)
    assert "refuses connections: nothing listens there (it stopped?)" in text and "dynalab.connect()" in text
    assert not [o for o in dead if o["output_type"] == "error"], "a botocore traceback reached the learner"
    assert len(text.strip().splitlines()) == 1
    printed = "".join(o.get("text", "") for o in recovered)
    assert "has stopped; starting a fresh one" in printed and "[]" in printed
