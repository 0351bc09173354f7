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
ORTOOLS_OK = ("planner.model", "planner.solve.run")


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


# -- import cycles -------------------------------------------------------------------

# Cycles found on main when the check was added, each through a function-level import
# that hides it from a plain import; listed so that any new cycle fails at once. Fixing
# one makes the test fail too, until it is removed here (the list can only shrink).
KNOWN_CYCLES: set[tuple[str, ...]] = {
    ("planner.model.families", "planner.model.families.bounds"),  # bounds reads allowed_days from the registry
    ("planner.scenario.edits", "planner.scenario.load"),  # load applies edits and variants
}


def _type_checking_nodes(tree: ast.AST) -> set[int]:
    """ids of the nodes inside ``if TYPE_CHECKING:`` blocks (annotations only, never run)."""
    out: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            out |= {id(sub) for stmt in node.body for sub in ast.walk(stmt)}
    return out


def _import_graph() -> dict[str, set[str]]:
    """Module -> the planner modules it imports when it runs, at any depth (function-level
    imports count: they only delay a cycle); ``from pkg import name`` points at the
    submodule ``pkg.name`` when there is one, else at ``pkg``."""
    paths = dict(_modules())
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _type_checking_nodes(tree)
        package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
        out: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in skip:
                continue
            if isinstance(node, ast.Import):
                out |= {a.name for a in node.names if a.name in paths}
            elif isinstance(node, ast.ImportFrom):
                base = package[: len(package) - node.level + 1] if node.level else []
                target = ".".join([*base, *([node.module] if node.module else [])])
                for a in node.names:
                    sub = f"{target}.{a.name}"
                    out.add(sub if sub in paths else target)
        graph[module] = {m for m in out if m in paths and m != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[tuple[str, ...]]:
    """The strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[tuple[str, ...]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                found.append(tuple(sorted(comp)))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def _path(graph: dict[str, set[str]], cycle: tuple[str, ...]) -> str:
    """One loop through ``cycle``'s first module, as ``a -> b -> a``, for the message."""
    members, start = set(cycle), cycle[0]
    trail, seen = [start], {start}
    while True:
        nxt = sorted(graph[trail[-1]] & members)
        if start in nxt:
            return " -> ".join([*trail, start])
        fresh = [m for m in nxt if m not in seen]
        if not fresh:  # a dead end inside the component: name its modules instead
            return ", ".join(cycle)
        trail.append(fresh[0])
        seen.add(fresh[0])


def test_cycle_finder_on_a_tiny_graph() -> None:
    """Tests the finder: a -> b -> c -> a is one cycle of three, d -> a and e -> e are none."""
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert _cycles(graph) == [("a", "b", "c")]
    assert _path(graph, ("a", "b", "c")) == "a -> b -> c -> a"


def test_no_import_cycles() -> None:
    """Tests that no planner modules import each other in a loop (apart from KNOWN_CYCLES)."""
    graph = _import_graph()
    assert graph["planner.bench.ga"] >= {"planner.bench.instance"}  # the graph sees from-imports
    cycles = set(_cycles(graph))
    new = [f"import cycle: {_path(graph, c)}" for c in sorted(cycles - KNOWN_CYCLES)]
    gone = [f"no longer a cycle, remove from KNOWN_CYCLES: {c}" for c in sorted(KNOWN_CYCLES - cycles)]
    assert new + gone == []
