"""The package's layers (DESIGN §2): imports go only downward, and there are no cycles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
LAYERS = ("ground", "rules", "model", "engines", "studies", "face")
"""From the bottom up: a module may import its own layer or lower ones."""


def modules() -> dict[str, Path]:
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def layer_of(path: Path) -> str:
    """The layer a module states in its opening docstring (``Layer: model.``)."""
    doc = ast.get_docstring(ast.parse(path.read_text())) or ""
    for line in doc.splitlines():
        if line.startswith("Layer: "):
            word = line.removeprefix("Layer: ").split()[0].strip(".")
            assert word in LAYERS, f"{path}: unknown layer {word!r}"
            return word
    raise AssertionError(f"{path}: the opening docstring does not state its layer ('Layer: ...')")


def imports(path: Path, known: set[str], top_level_only: bool = False) -> set[str]:
    """Project modules imported by a module (function-level imports included unless ``top_level_only``)."""
    tree = ast.parse(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    found = set()
    for node in nodes:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            # "from package import module" depends on the module, "from module import name" on the module
            names = [
                f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in known else node.module
                for alias in node.names
            ]
        for name in names:
            while name and name not in known:
                name = name.rpartition(".")[0]
            if name.startswith("simulator"):
                found.add(name)
    return found


MODULES = modules()


def test_every_module_states_its_layer():
    for path in MODULES.values():
        layer_of(path)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_imports_only_go_down(name):
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    mine = rank[layer_of(MODULES[name])]
    upward = [
        f"{target} ({layer_of(MODULES[target])})"
        for target in imports(MODULES[name], set(MODULES))
        if target != "simulator" and rank[layer_of(MODULES[target])] > mine
    ]
    assert not upward, f"{name} ({LAYERS[mine]}) imports upward: {upward}"


def test_no_import_cycles():
    graph = {name: imports(path, set(MODULES), top_level_only=True) - {name} for name, path in MODULES.items()}
    done: set[str] = set()

    def visit(node: str, trail: tuple[str, ...]) -> None:
        assert node not in trail, "import cycle: " + " -> ".join((*trail[trail.index(node) :], node))
        if node in done:
            return
        for nxt in sorted(graph[node]):
            visit(nxt, (*trail, node))
        done.add(node)

    for name in sorted(graph):
        visit(name, ())


def test_the_checker_sees_an_upward_import(tmp_path):
    # the test above would pass vacuously if imports() found nothing
    assert "simulator.plan" in imports(MODULES["simulator.kernel.state"], set(MODULES))
    assert "simulator.engine" in imports(MODULES["simulator.gate.baseline"], set(MODULES))  # a function-level import
