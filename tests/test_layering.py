"""The architecture's rules, checked on the source: layers, cycles, module size, third-party fences.

The import graph is read from the AST of every module under planner/, with
imports inside functions counted (they run, later) and imports under
``if TYPE_CHECKING:`` left out (they never run; type checkers need them).
Each rule is a small function over that graph, so the last tests can show
that the rules catch a broken layout by feeding them synthetic graphs.
"""

from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping
from pathlib import Path

PKG = Path(__file__).parents[1] / "planner"
ROOT = "planner"

# Lower number = lower layer. A module may import only from its layer or below.
# One entry per top-level package or module of planner/: a package has one layer,
# shared by all its modules and sub-packages (a deeper entry is an error).
LAYERS: dict[str, int] = {
    ROOT: 0,  # planner/__init__.py itself (empty); never a fallback for the packages below
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
TYPER_OK = ("planner.cli",)
MAX_LINES = 500

# Import cycles allowed (none since issue 16: every cycle fails the test).
# An entry that no longer occurs fails too, so the list cannot go stale.
KNOWN_CYCLES: set[frozenset[str]] = set()

# Modules allowed over MAX_LINES (none since issue 16); stale entries fail as well.
OVERSIZED_OK: set[str] = set()

Graph = Mapping[str, Iterable[str]]


# -- reading the source ------------------------------------------------------------------


def _modules() -> dict[str, Path]:
    """Dotted name -> file of every module under planner/ (a package is its __init__)."""
    out = {}
    for path in sorted(PKG.rglob("*.py")):
        parts = list(path.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _raw_imports(tree: ast.AST, module: str, is_package: bool) -> list[str]:
    """Absolute names imported anywhere in ``tree`` except under ``if TYPE_CHECKING:``.

    ``from a import b`` yields ``a.b`` (b may be a submodule; resolved later).
    """
    names: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            for stmt in node.orelse:
                visit(stmt)
            return
        if isinstance(node, ast.Import):
            names.extend(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # Relative: a module's package is its parent, a package's is itself.
                here = module.split(".") if is_package else module.split(".")[:-1]
                here = here[: len(here) - (node.level - 1)]
                base = ".".join([*here, base]) if base else ".".join(here)
            names.extend(f"{base}.{a.name}" for a in node.names)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(tree)
    return names


def _resolve(name: str, modules: Iterable[str]) -> str:
    """The longest prefix of ``name`` that is a module (``a.b.func`` -> ``a.b``); else ``name``."""
    known = set(modules)
    parts = name.split(".")
    for k in range(len(parts), 0, -1):
        if ".".join(parts[:k]) in known:
            return ".".join(parts[:k])
    return name


def import_graph() -> dict[str, set[str]]:
    """Module -> every module (of planner or third-party, top name) it imports."""
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for module, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        targets = set()
        for name in _raw_imports(tree, module, path.name == "__init__.py"):
            if name == ROOT or name.startswith(ROOT + "."):
                targets.add(_resolve(name, modules))
            else:
                targets.add(name.split(".")[0])
        targets.discard(module)
        graph[module] = targets
    return graph


# -- the rules (pure functions over a graph) ---------------------------------------------


def _planner(graph: Graph) -> dict[str, set[str]]:
    """The graph restricted to planner's own modules."""
    return {m: {t for t in ts if t == ROOT or t.startswith(ROOT + ".")} for m, ts in graph.items()}


def layer_of(module: str, layers: Mapping[str, int]) -> int | None:
    """Layer of ``module``: its longest declared prefix (the root entry matches only itself)."""
    best: tuple[int, int] | None = None
    for prefix, layer in layers.items():
        inside = module.startswith(prefix + ".") and prefix != ROOT
        if (module == prefix or inside) and (best is None or len(prefix) > best[0]):
            best = (len(prefix), layer)
    return None if best is None else best[1]


def unmapped(modules: Iterable[str], layers: Mapping[str, int]) -> list[str]:
    """Modules that belong to no declared layer."""
    return sorted(m for m in modules if layer_of(m, layers) is None)


def split_packages(layers: Mapping[str, int]) -> list[str]:
    """Declarations below a top-level package: they would give a package a second layer."""
    return sorted(k for k in layers if k.count(".") > 1)


def backward_imports(graph: Graph, layers: Mapping[str, int]) -> list[str]:
    """Every import of a higher layer, as 'importer (layer) imports imported (layer)'."""
    bad = []
    for module, targets in sorted(_planner(graph).items()):
        mine = layer_of(module, layers)
        for target in sorted(targets):
            theirs = layer_of(target, layers)
            if mine is not None and theirs is not None and theirs > mine:
                bad.append(f"{module} (layer {mine}) imports {target} (layer {theirs})")
    return bad


def cycles(graph: Graph) -> list[list[str]]:
    """One cycle per strongly connected component of more than one module, as a path
    ``[a, b, ..., a]`` through it (Tarjan's algorithm, then a walk inside the component)."""
    nodes = sorted(set(graph) | {t for ts in graph.values() for t in ts})
    succ = {n: sorted(graph.get(n, ())) for n in nodes}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[set[str]] = []

    def connect(v: str) -> None:  # recursion depth is bounded by the module count
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in succ[v]:
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.add(w)
                if w == v:
                    break
            components.append(comp)

    for n in nodes:
        if n not in index:
            connect(n)
    out = []
    for comp in components:
        if len(comp) < 2:
            continue
        # Breadth-first from the smallest name back to itself, inside the component.
        start = min(comp)
        parent: dict[str, str] = {}
        frontier = [start]
        while frontier and start not in parent:
            nxt = []
            for v in frontier:
                for w in succ[v]:
                    if w in comp and w not in parent:
                        parent[w] = v
                        nxt.append(w)
            frontier = nxt
        path = [start]
        v = parent[start]
        while v != start:
            path.append(v)
            v = parent[v]
        path.append(start)
        out.append(path[::-1])
    return sorted(out)


def oversized(sizes: Mapping[str, int], limit: int = MAX_LINES) -> list[str]:
    """Modules over ``limit`` lines, with their size."""
    return sorted(f"{m} ({n} lines)" for m, n in sizes.items() if n > limit)


def fenced(graph: Graph, package: str, allowed: tuple[str, ...]) -> list[str]:
    """Modules outside ``allowed`` that import the third-party ``package``."""
    return sorted(m for m, ts in graph.items() if package in ts and not m.startswith(allowed))


# -- the rules on planner/ ---------------------------------------------------------------


def test_every_module_has_a_layer() -> None:
    """Tests that every module under planner/ belongs to a declared layer."""
    assert unmapped(_modules(), LAYERS) == []


def test_one_layer_per_package() -> None:
    """Tests that layers are declared per top-level package, so a package's modules share one layer."""
    assert split_packages(LAYERS) == []
    tops = {".".join(m.split(".")[:2]) for m in _modules()}
    assert set(LAYERS) == tops  # and no declaration names a package that is gone


def test_no_backward_imports() -> None:
    """Tests that no module imports from a higher layer (imports inside functions included)."""
    assert backward_imports(import_graph(), LAYERS) == []


def test_no_import_cycles() -> None:
    """Tests that planner/ has no import cycle beyond the known ones, and that those still exist."""
    found = cycles(_planner(import_graph()))
    new = [" -> ".join(c) for c in found if frozenset(c) not in KNOWN_CYCLES]
    assert new == []
    gone = KNOWN_CYCLES - {frozenset(c) for c in found}
    assert gone == set(), "fixed: remove these from KNOWN_CYCLES"


def test_modules_stay_small() -> None:
    """Tests that no module is over 500 lines beyond the allow-list, and that every listed one still is."""
    sizes = {m: len(p.read_text(encoding="utf-8").splitlines()) for m, p in _modules().items()}
    assert [s for s in oversized(sizes) if s.split(" ")[0] not in OVERSIZED_OK] == []
    assert sorted(m for m in OVERSIZED_OK if sizes.get(m, 0) <= MAX_LINES) == [], "split: remove from OVERSIZED_OK"


def test_only_model_and_solve_import_ortools() -> None:
    """Tests that ortools stays inside the model and solve packages."""
    assert fenced(import_graph(), "ortools", ORTOOLS_OK) == []


def test_only_cli_imports_typer() -> None:
    """Tests that typer stays in the CLI package."""
    assert fenced(import_graph(), "typer", TYPER_OK) == []


# -- the rules have teeth: synthetic layouts ----------------------------------------------

FAKE_LAYERS = {ROOT: 0, "planner.data": 3, "planner.model": 5, "planner.solve": 6}


def test_reports_a_cycle_with_its_path() -> None:
    """Tests that a three-module cycle is reported as a closed path and an acyclic chain is not."""
    graph = {
        "planner.a": {"planner.b"},
        "planner.b": {"planner.c", "planner.d"},
        "planner.c": {"planner.a"},  # a -> b -> c -> a
        "planner.d": set(),
        "planner.x": {"planner.y"},  # x -> y: no cycle
    }
    assert cycles(graph) == [["planner.a", "planner.b", "planner.c", "planner.a"]]
    assert cycles({"planner.x": {"planner.y"}, "planner.y": set()}) == []


def test_reports_two_separate_cycles() -> None:
    """Tests that two disjoint two-module cycles are both reported."""
    graph = {"p.a": {"p.b"}, "p.b": {"p.a"}, "p.c": {"p.d"}, "p.d": {"p.c"}}
    assert cycles(graph) == [["p.a", "p.b", "p.a"], ["p.c", "p.d", "p.c"]]


def test_reports_a_backward_import() -> None:
    """Tests that data (3) importing solve (6) is reported and model (5) importing data (3) is not."""
    graph = {
        "planner.data.problem": {"planner.solve.run"},
        "planner.model.context": {"planner.data.problem"},
    }
    assert backward_imports(graph, FAKE_LAYERS) == [
        "planner.data.problem (layer 3) imports planner.solve.run (layer 6)"
    ]


def test_reports_unmapped_and_split_packages() -> None:
    """Tests that a module of an undeclared package is unmapped and a module-level declaration is flagged."""
    # planner.extra is declared nowhere; the root entry must not adopt it.
    assert unmapped(["planner", "planner.data.problem", "planner.extra.thing"], FAKE_LAYERS) == ["planner.extra.thing"]
    # Declaring solve.run on its own would put one module of planner.solve in another layer.
    layers = {**FAKE_LAYERS, "planner.solve.run": 5}
    assert split_packages(layers) == ["planner.solve.run"]
    assert layer_of("planner.solve.run", layers) == 5 != layer_of("planner.solve.budget", layers)


def test_reports_oversized_and_fenced_modules() -> None:
    """Tests that a 501-line module is reported (500 is not) and that ortools outside model/solve is."""
    assert oversized({"planner.a": 501, "planner.b": 500}) == ["planner.a (501 lines)"]
    graph = {"planner.plan.readiness": {"ortools"}, "planner.model.context": {"ortools"}}
    assert fenced(graph, "ortools", ORTOOLS_OK) == ["planner.plan.readiness"]


def test_function_level_imports_count_and_type_checking_ones_do_not() -> None:
    """Tests that an import inside a function is an edge, one under TYPE_CHECKING is not, and relative ones resolve."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n"
        "    from planner.model.context import Context\n"
        "def f():\n"
        "    from planner.solve.run import solve\n"
        "from .problem import Job\n"
    )
    names = _raw_imports(ast.parse(source), "planner.data.result", is_package=False)
    assert "planner.solve.run.solve" in names
    assert "planner.data.problem.Job" in names
    assert not any(n.startswith("planner.model") for n in names)
    assert _resolve("planner.solve.run.solve", ["planner.solve", "planner.solve.run"]) == "planner.solve.run"
