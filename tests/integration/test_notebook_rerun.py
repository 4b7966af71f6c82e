"""Re-running a lesson in the same kernel must succeed: tables are reset, the engine is reused."""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


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
