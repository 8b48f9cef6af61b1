"""The package's layers: imports flow one way (cli/web → corpus/analysis/quality → parsing → knowledge → model),
lazy imports inside functions included, and no two modules import each other even indirectly."""

from __future__ import annotations

import ast
from pathlib import Path

import govreport

ROOT = Path(govreport.__file__).parent
LAYER = {"model": 0, "knowledge": 1, "parsing": 2, "analysis": 3, "quality": 3, "corpus": 4, "web": 5, "cli": 6}


def _modules() -> dict[str, Path]:
    out = {}
    for path in ROOT.rglob("*.py"):
        parts = path.relative_to(ROOT).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(("govreport",) + parts)] = path
    return out


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """Every govreport module a file imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        found |= {n for n in names if n in modules and n.startswith("govreport.")}
    return found


def _layer(module: str) -> int | None:
    parts = module.split(".")
    return LAYER.get(parts[1]) if len(parts) > 1 else None


def test_imports_flow_from_the_interfaces_down_to_the_model() -> None:
    modules = _modules()
    upward = []
    for name, path in modules.items():
        mine = _layer(name)
        for target in _imports(path, modules):
            theirs = _layer(target)
            if mine is not None and theirs is not None and theirs > mine:
                upward.append(f"{name} imports {target}")
    assert not upward, upward


def test_no_module_imports_itself_through_others() -> None:
    modules = _modules()
    graph = {name: _imports(path, modules) - {name} for name, path in modules.items()}
    # a package's __init__ is imported with any of its modules: leave those edges out
    graph = {n: {t for t in ts if not n.startswith(t + ".")} for n, ts in graph.items()}
    state: dict[str, int] = {}
    cycles = []

    def visit(node: str, stack: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == 1:
                cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = 2

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert not cycles, cycles


def test_every_module_lives_in_a_layer() -> None:
    loose = [n for n in _modules() if n.count(".") == 1 and n.split(".")[1] not in LAYER
             and n.split(".")[1] not in ("__main__",)]
    assert not loose, f"modules outside the layers: {loose}"
