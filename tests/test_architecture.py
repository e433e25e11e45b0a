"""The shape of the code: one flow, layers that point one way, no import cycles.

    errors/settings/model/vocab/dateline/dates -> ingest -> analyse -> store -> resolve -> query -> flow
        -> eval, export, scale, watch, report -> api, web -> cli

A module may import its own layer or any layer to its left, never one to its right; imports
inside functions count. Cycles between modules are refused whatever the layers. The store keeps
no ImportError guard (a broken import must fail loudly, not switch a feature off)."""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wirescope"

LAYERS: list[tuple[str, ...]] = [
    ("", "errors", "settings", "model", "vocab", "dateline", "dates", "lexicon"),
    ("ingest",),
    ("analyse",),
    ("store",),
    ("resolve",),
    ("query",),
    ("flow",),
    ("eval", "export", "scale", "watch", "report"),
    ("api", "web"),
    ("cli", "clidoc", "__main__"),
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}


def _modules() -> dict[str, Path]:
    out = {}
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return {m for m in found if m in MODULES and m != name}


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def test_every_module_has_a_layer():
    assert {layer(m) for m in MODULES} <= set(RANK), sorted({layer(m) for m in MODULES} - set(RANK))


def test_no_import_points_up_the_flow():
    breaches = [f"{m} ({layer(m)}) imports {d} ({layer(d)})"
                for m, deps in GRAPH.items() for d in deps if RANK[layer(d)] > RANK[layer(m)]]
    assert breaches == []


def test_no_import_cycles():
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in GRAPH[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in GRAPH:
        if module not in index:
            visit(module)
    assert cycles == []


@pytest.mark.parametrize("module", sorted(m for m in MODULES if layer(m) == "store"))
def test_store_hides_no_import_error(module):
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    guards = [node.lineno for node in ast.walk(tree) if isinstance(node, ast.ExceptHandler)
              and isinstance(node.type, ast.Name) and node.type.id in ("ImportError", "ModuleNotFoundError")]
    assert guards == []


def test_the_checker_sees_a_breach():
    """The rules bite: a store module importing the resolver would be refused."""
    assert RANK[layer("wirescope.resolve")] > RANK[layer("wirescope.store.kb")]
    assert "wirescope.store.kb" in GRAPH and "wirescope.flow" in GRAPH
    assert "wirescope.store.kb" in GRAPH["wirescope.flow"]


@pytest.mark.parametrize("module", sorted(MODULES))
def test_modules_stay_readable(module):
    assert MODULES[module].read_text(encoding="utf-8").count("\n") <= 900
