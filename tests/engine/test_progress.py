"""The progress bar (dynalab.progress): counts without a kernel, refuses a negative total."""

from __future__ import annotations

import pytest

from dynalab.progress import Progress


def test_progress_counts_without_a_kernel():
    with Progress(10, "x") as bar:
        bar.advance(4)
        bar.advance(6)
    assert bar.done == 10
    with pytest.raises(ValueError, match="total must be an integer from 0 to"):
        Progress(-1, "x")


@pytest.mark.parametrize("total", [1.5, True, float("inf"), float("nan"), None, "abc"])
def test_progress_refuses_a_total_that_is_not_a_count(total):
    with pytest.raises(ValueError, match="total must be an integer"):
        Progress(total, "x")


@pytest.mark.parametrize("count", [-10, float("nan"), None, "abc"])
def test_advance_refuses_what_is_not_a_count(count):
    with pytest.raises(ValueError, match="count must be an integer"), Progress(10, "x") as bar:
        bar.advance(count)
