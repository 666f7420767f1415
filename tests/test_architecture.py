"""The packages depend one way (docs/architecture.md): conversations <- stats <- storage <-
admin <- bot, and no module imports itself round a circle."""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Each package, with the project's packages it may import: only those below it.
LAYERS = ["conversations", "stats", "storage", "admin", "bot"]


def _modules() -> dict[str, Path]:
    found = {}
    for package in LAYERS:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            found[name] = path
    return found


def _imports(path: Path, modules: dict[str, Path]) -> set[str]:
    """The project's modules that ``path`` imports anywhere: at the top, in a function, or
    for type checking only (a circle through those is a circle to a reader all the same)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return {name for name in found if name in modules}


def test_packages_import_only_the_layers_below_them():
    modules = _modules()
    upward = []
    for name, path in modules.items():
        layer = LAYERS.index(name.split(".")[0])
        for imported in _imports(path, modules):
            if LAYERS.index(imported.split(".")[0]) > layer:
                upward.append(f"{name} -> {imported}")
    assert upward == []


def test_no_module_imports_itself_round_a_circle():
    modules = _modules()
    graph = {name: _imports(path, modules) - {name}
             for name, path in modules.items()}
    circles = []
    state: dict[str, str] = {}

    def visit(name: str, trail: list[str]) -> None:
        state[name] = "open"
        for imported in sorted(graph[name]):
            if state.get(imported) == "open":
                circles.append(" -> ".join([*trail[trail.index(imported):], imported]))
            elif imported not in state:
                visit(imported, [*trail, imported])
        state[name] = "done"

    for name in sorted(graph):
        if name not in state:
            visit(name, [name])
    assert circles == []


def _naming(symbol: str, where: Callable[[str], bool]) -> list[str]:
    """The modules (among those ``where`` picks) that name ``symbol`` or import it."""
    found = []
    for name, path in _modules().items():
        if where(name) and any(
                isinstance(node, ast.Name | ast.alias)
                and symbol in (getattr(node, "id", None), getattr(node, "name", None))
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))):
            found.append(name)
    return found


def test_the_survey_registry_is_loaded_at_the_start_and_passed_in():
    """Storage, statistics and the admin side get the surveys from whoever started them (the
    bot, a command), never load them on their own."""
    assert _naming("builtin_surveys", lambda name: name.split(".")[0] in (
        "stats", "storage", "admin")) == []


def test_only_the_inbox_touches_the_table_of_updates():
    """An update's row is stored, claimed, closed, replayed and purged by storage.inbox
    alone (its model is declared in storage.models, its table made by the migrations)."""
    assert _naming("ProcessedEvent", lambda name: name not in (
        "storage.inbox", "storage.models") and not name.startswith("storage.migrations")) == []
