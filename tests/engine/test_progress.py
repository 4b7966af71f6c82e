"""The progress bar (dynalab.progress): counts without a kernel, refuses a negative total."""

from __future__ import annotations

import pytest

from dynalab.progress import Progress


def test_progress_counts_without_a_kernel():
    with Progress(10, "x") as bar:
        bar.advance(4)
        bar.advance(6)
    assert bar.done == 10
    with pytest.raises(ValueError, match="total must be >= 0"):
        Progress(-1, "x")
