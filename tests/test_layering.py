"""Layers never import backwards; only model/solve import ortools, only cli imports typer."""

from __future__ import annotations

import ast
from pathlib import Path

PKG = Path(__file__).parents[1] / "planner"

# Lower number = lower layer. A module may import only from its layer or below.
LAYERS = {
    "planner.exceptions": 0,
    "planner.constants": 0,
    "planner.scenario": 1,
    "planner.calendar": 2,
    "planner.data": 3,
    "planner.verify": 4,
    "planner.model": 5,
    "planner.solve": 6,
    "planner.heuristics": 7,
    "planner.plan": 8,
    "planner.analysis": 9,
    "planner.report": 10,
    "planner.interop": 11,
    "planner.bench": 12,
    "planner.cli": 13,
    "planner.__main__": 14,
}
ORTOOLS_OK = ("planner.model", "planner.solve")


def _layer(module: str) -> int | None:
    best = None
    for prefix, layer in LAYERS.items():
        matches = module == prefix or module.startswith(prefix + ".")
        if matches and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    return None if best is None else best[1]


def _modules() -> list[tuple[str, Path]]:
    out = []
    for path in PKG.rglob("*.py"):
        rel = path.relative_to(PKG.parent).with_suffix("")
        parts = list(rel.parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out.append((".".join(parts), path))
    return out


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.append(node.module)
    return names


def test_no_backward_imports() -> None:
    """Tests that no module imports from a higher layer."""
    bad = []
    for module, path in _modules():
        mine = _layer(module)
        if mine is None:
            continue
        for imp in _imports(path):
            if imp.startswith("planner"):
                theirs = _layer(imp)
                if theirs is not None and theirs > mine:
                    bad.append(f"{module} (layer {mine}) imports {imp} (layer {theirs})")
    assert bad == []


def test_only_model_and_solve_import_ortools() -> None:
    """Tests that ortools stays inside the model/solve layer."""
    bad = [
        module
        for module, path in _modules()
        if any(i.startswith("ortools") for i in _imports(path)) and not module.startswith(ORTOOLS_OK)
    ]
    assert bad == []


def test_only_cli_imports_typer() -> None:
    """Tests that typer stays in the CLI package."""
    bad = [
        module
        for module, path in _modules()
        if any(i.startswith("typer") for i in _imports(path)) and not module.startswith("planner.cli")
    ]
    assert bad == []
