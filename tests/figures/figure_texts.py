"""What a plotly figure shows a learner in words (the Japanese-mode tests of the figures and widgets read it)."""

from __future__ import annotations

import re
from typing import Any


def learner_texts_of_figure(figure: dict[str, Any]) -> list[str]:
    """What a plotly figure (its JSON) shows in words: titles, axis titles, legends, annotations, shape labels,
    play buttons and slider prefixes, hover templates, text labels, and the titles of its animation frames."""
    texts: list[str] = []

    def title(node: Any) -> None:
        if isinstance(node, dict):
            node = node.get("text")
        if isinstance(node, str):
            texts.append(node)

    def layout_texts(layout: dict[str, Any]) -> None:
        title(layout.get("title"))
        for key, value in layout.items():
            if key.startswith(("xaxis", "yaxis")) and isinstance(value, dict):
                title(value.get("title"))
        texts.extend(a.get("text", "") for a in layout.get("annotations", ()))
        texts.extend(s.get("label", {}).get("text", "") for s in layout.get("shapes", ()))
        texts.extend(b.get("label", "") for menu in layout.get("updatemenus", ()) for b in menu.get("buttons", ()))
        texts.extend(s.get("currentvalue", {}).get("prefix", "") for s in layout.get("sliders", ()))

    layout_texts(figure.get("layout", {}))
    for frame in figure.get("frames", ()):
        layout_texts(frame.get("layout", {}))
    for trace in figure.get("data", ()):
        for key in ("name", "hovertemplate"):
            if isinstance(trace.get(key), str):
                texts.append(re.sub(r"%\{[^}]*\}", " ", trace[key]))
        for key in ("text", "x", "y"):  # bar labels, hover texts, and the categories an axis shows
            value = trace.get(key)
            texts.extend(v for v in (value if isinstance(value, list | tuple) else [value]) if isinstance(v, str))
    return [text for text in texts if isinstance(text, str) and text.strip()]
