"""The room's board as a picture: each question's share of learners whose answer is right, hardest first."""

from __future__ import annotations

from typing import Any

from dynalab.figures import fit_title, labels, same_length, series
from dynalab.i18n import tr
from dynalab.i18n.text_width import truncate_to_width


def questions_figure(questions: Any, shares: Any, answered: Any) -> Any:
    """Horizontal bars, one per question (``questions``: their labels, hardest first), the share correct (0 to 1)
    and, in the hover, how many learners answered. No questions yet: an empty figure that says so."""
    import plotly.graph_objects as go

    names = labels("questions", questions, min_length=0)
    values = series("shares", shares, low=0, high=1, min_length=0)
    counts = series("answered", answered, low=0, integer=True, min_length=0)
    same_length(("questions", names), ("shares", values), ("answered", counts))
    figure = go.Figure(go.Bar(
        x=[round(100 * share, 1) for share in values], y=[truncate_to_width(name, 60) for name in names],
        orientation="h",
        customdata=counts, marker_color=["#d62728" if share < 0.5 else "#2ca02c" for share in values],
        hovertemplate=tr("%{{y}}: %{{x}} % right, of %{{customdata}} learner(s)") + "<extra></extra>"))
    figure.update_layout(
        title=tr("Questions, hardest first") if names else tr("No answers yet"),
        xaxis=dict(title=tr("learners whose answer is right (%)"), range=[0, 100]),
        yaxis=dict(autorange="reversed"), height=max(220, 60 + 28 * len(names)), template="plotly_white",
        margin=dict(l=20, r=20, t=50, b=40))
    return fit_title(figure)
