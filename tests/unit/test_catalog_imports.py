"""catalog/ is a set of one-job modules that import each other in one direction only."""

from __future__ import annotations

import ast
from pathlib import Path

CATALOG = Path(__file__).resolve().parents[2] / "src" / "dlreader" / "catalog"
PACKAGE = "dlreader.catalog"


def imports_of(path: Path) -> set[str]:
    """The catalog modules this file imports, at module level or inside functions."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        else:
            continue
        for name in names:
            if name.startswith(PACKAGE + ".") and (CATALOG / f"{name.split('.')[2]}.py").exists():
                found.add(name.split(".")[2])
    return found


def test_catalog_modules_have_no_import_cycle() -> None:
    graph = {path.stem: imports_of(path) - {path.stem}
             for path in CATALOG.glob("*.py") if path.stem != "__init__"}
    state: dict[str, str] = {}

    def visit(module: str, chain: list[str]) -> None:
        if state.get(module) == "done":
            return
        assert state.get(module) != "open", "import cycle: " + " -> ".join(chain + [module])
        state[module] = "open"
        for imported in sorted(graph.get(module, ())):
            visit(imported, chain + [module])
        state[module] = "done"

    for module in sorted(graph):
        visit(module, [])
    assert "parser" not in graph["outline"]


def test_the_cycle_check_can_fail(tmp_path: Path) -> None:
    source = tmp_path / "a.py"
    source.write_text("from dlreader.catalog.model import Item\n", encoding="utf-8")
    assert imports_of(source) == {"model"}
