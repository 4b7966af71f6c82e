"""What a lesson's hidden cells show: their text for nbval, nothing for the learner.

A lesson's hidden cell (tag ``remove-cell``, collapsed in JupyterLab) checks something for nbval: a self-check's
count (``verify_self_check``), a copy of a widget driven the way the learner would. JupyterLab opens such a cell's
output again whenever it runs (Run All), so the cell shows its text as a bundle: ``text/plain`` (what nbval
compares) and ``text/html`` that is hidden (what JupyterLab draws: nothing).
"""

from __future__ import annotations

import contextlib
import html
import io
from collections.abc import Iterator

__all__ = ["HIDDEN_ELEMENT", "hidden_bundle", "hidden_check", "show_hidden"]


#: the element a hidden cell's HTML is: hidden, and left alone by MathJax (JupyterLab typesets an HTML output's
#: text, where two dollar amounts would pair as maths; MathJax 2 skips ``tex2jax_ignore``, MathJax 3 ``mathjax_ignore``)
HIDDEN_ELEMENT = '<pre class="dynalab-hidden-check tex2jax_ignore mathjax_ignore" hidden>'


def hidden_bundle(text: str) -> dict[str, str]:
    """``text`` as a display bundle nbval compares (``text/plain``) and JupyterLab does not show (``text/html``)."""
    return {"text/plain": text, "text/html": f"{HIDDEN_ELEMENT}{html.escape(text)}</pre>"}


def show_hidden(text: str) -> None:
    from IPython.display import display

    display(hidden_bundle(text), raw=True)


@contextlib.contextmanager
def hidden_check() -> Iterator[io.StringIO]:
    """``with dynalab.hidden_check(): ...`` in a hidden cell: what the block prints is shown as a hidden bundle
    (nbval compares it; the learner's Run All shows nothing). The block's errors are raised as usual."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            yield printed
    finally:
        text = printed.getvalue()
        if text:
            show_hidden(text.rstrip("\n"))
