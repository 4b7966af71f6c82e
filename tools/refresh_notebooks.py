"""Re-execute lesson notebooks in place, so their stored outputs (what nbval compares) are fresh.

    python tools/refresh_notebooks.py [notebooks/01_capacity_units.ipynb ...]   (default: every lesson of both
                                                                              editions, notebooks/ and notebooks/ja/)

Each notebook runs top to bottom in a new kernel, from its own folder, against the embedded engine
(DYNALAB_ENDPOINT is cleared, so stored outputs never name a user's own endpoint), with DYNALAB_I18N_STRICT=1 unless
it is set (a Japanese lesson showing a string without a Japanese entry fails instead of storing English, as nbval
would). Afterwards the widget state
(``metadata.widgets``, megabytes of JavaScript state that nbval never reads) is stripped to keep the files small.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def refresh(path: Path) -> float:
    started = time.monotonic()
    notebook = nbformat.read(path, as_version=4)
    os.environ.pop("DYNALAB_ENDPOINT", None)
    os.environ.setdefault("DYNALAB_I18N_STRICT", "1")
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
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
