"""The layout's rules, checked: one-way imports, no cycles, small modules and functions.

`make test` runs `lint-imports` for the contracts in pyproject.toml; these tests add what a
contract cannot say: that every module of the project is placed in the layers (a new module must
be given its place), that no two modules import each other even through function-level imports,
and the size limits the README's Layout section states.
"""

import ast
import tomllib
from pathlib import Path

import grimp
import pytest

from tests.support.servers import ROOT

APPS = [
    "accounts", "api", "articles", "audit", "core", "media", "notifications", "people",
    "previews", "qr", "readership", "search",
]  # fmt: skip
PACKAGES = [*APPS, "newsroom"]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph(*PACKAGES, cache_dir=None)


def contracts():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def layered_modules():
    layers = next(c for c in contracts() if c["id"] == "layers")["layers"]
    return {name.strip("() ") for layer in layers for name in layer.replace("|", ":").split(":")}


def strongly_connected(graph):
    """Tarjan's components of the import graph with more than one module: the cycles."""
    index, low, on_stack, stack, found = {}, {}, set(), [], []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in graph.modules:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    return found


def test_no_import_cycles_among_the_projects_modules(graph):
    assert strongly_connected(graph) == []


def test_the_cycle_check_finds_a_cycle():
    made_up = grimp.ImportGraph()
    made_up.add_import(importer="core.pagecache", imported="articles.cached")
    made_up.add_import(importer="articles.cached", imported="articles.models")
    made_up.add_import(importer="articles.models", imported="core.pagecache")
    made_up.add_import(importer="articles.views", imported="articles.models")
    assert strongly_connected(made_up) == [["articles.cached", "articles.models", "core.pagecache"]]


def test_every_module_has_its_place_in_the_layers(graph):
    """Each app's top-level modules (and subpackages) are named in the layers contract."""
    placed = layered_modules()
    unplaced = [
        child
        for app in APPS
        for child in sorted(graph.find_children(app))
        if child.rsplit(".", 1)[1] not in ("migrations", "tests")
        and child not in placed
        and not any(child.startswith(p + ".") for p in placed)
    ]
    assert unplaced == [], "name these modules in pyproject.toml's layers contract"


def python_files():
    for package in [*PACKAGES, "bench"]:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_over_the_size_limit():
    big = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in python_files()
        if (lines := path.read_text().count("\n")) > MAX_MODULE_LINES
    ]
    assert big == []


def long_functions(path: Path):
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = node.end_lineno - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                yield f"{path.relative_to(ROOT)}:{node.lineno} {node.name}: {length} lines"


def test_no_function_over_the_size_limit():
    assert [found for path in python_files() for found in long_functions(path)] == []
