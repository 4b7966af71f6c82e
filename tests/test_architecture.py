"""The layers hold: no import cycle among dynalab's modules (function-level imports included).

The import-linter contracts in pyproject.toml (run by ``make lint``) keep each arrow pointing the right way; this
test adds what a "forbidden" contract cannot say: that no chain of imports ever comes back to where it started.
"""

from __future__ import annotations

import grimp


def _cycles(graph: grimp.ImportGraph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), i.e. the import cycles."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = 0

    def visit(module: str) -> None:
        nonlocal counter
        index[module] = low[module] = counter
        counter += 1
        stack.append(module)
        on_stack.add(module)
        for target in graph.find_modules_directly_imported_by(module):
            if target not in graph.modules:
                continue
            if target not in index:
                visit(target)
                low[module] = min(low[module], low[target])
            elif target in on_stack:
                low[module] = min(low[module], index[target])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycle_among_dynalab_modules():
    graph = grimp.build_graph("dynalab", cache_dir=None)
    # The package's face imports every layer by design; nothing below it may import it back.
    importers_of_face = graph.find_modules_that_directly_import("dynalab")
    assert not importers_of_face, f"modules importing the package face instead of a module: {importers_of_face}"
    assert _cycles(graph) == []


def test_models_import_no_io_or_ui():
    graph = grimp.build_graph("dynalab", "boto3", "botocore", "ipywidgets", "plotly", cache_dir=None)
    models = {m for m in graph.modules if m == "dynalab.models" or m.startswith("dynalab.models.")}
    for model in sorted(models):
        imported = graph.find_modules_directly_imported_by(model)
        bad = {m for m in imported if m.split(".")[0] in {"boto3", "botocore", "ipywidgets", "plotly"}
               or m.startswith(("dynalab.engine", "dynalab.fidelity", "dynalab.lessons", "dynalab.widgets",
                                "dynalab.figures"))}
        assert not bad, f"{model} imports {sorted(bad)}"
