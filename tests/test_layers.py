"""The package's layers (docs/architecture.md#layers-and-modules): imports go only downward, and there are no cycles.

The table of that section names every module in the row of the layer its docstring states.
"""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

import simulator

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
ARCHITECTURE = PACKAGE.parent / "docs" / "architecture.md"
LAYERS = ("ground", "rules", "model", "engines", "studies", "face")
"""From the bottom up: a module may import its own layer or lower ones."""


def module_name(path: Path) -> str:
    """``simulator/kernel/market.py`` is ``simulator.kernel.market``; a package's ``__init__.py`` the package."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def modules() -> dict[str, Path]:
    return {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


@functools.cache
def _parsed(text: str) -> ast.Module:
    """The syntax tree of a module's text, parsed once per test process: each test of a module reads the
    layers of all it imports, so without it every module was parsed again for each module importing it.
    Keyed by the text, so a file written by a test is parsed as it is then. Only read, never changed."""
    return ast.parse(text)


def _imported_from(node: ast.ImportFrom, module: str, package: bool) -> str:
    """The absolute name ``from ... import`` reads (``from .engine`` in ``simulator.numeric``: ``simulator.engine``)."""
    if not node.level:
        return node.module or ""
    base = module if package else module.rpartition(".")[0]
    for _ in range(node.level - 1):
        base = base.rpartition(".")[0]
    return f"{base}.{node.module}" if node.module else base


def layer_of(path: Path) -> str:
    """The layer a module states in its opening docstring (``Layer: model.``)."""
    doc = ast.get_docstring(_parsed(path.read_text())) or ""
    for line in doc.splitlines():
        if line.startswith("Layer: "):
            word = line.removeprefix("Layer: ").split()[0].strip(".")
            assert word in LAYERS, f"{path}: unknown layer {word!r}"
            return word
    raise AssertionError(f"{path}: the opening docstring does not state its layer ('Layer: ...')")


def imports(path: Path, known: set[str], top_level_only: bool = False, module: str | None = None) -> set[str]:
    """Project modules imported by a module (function-level imports included unless ``top_level_only``).

    Relative imports count as their absolute names, and a name the package ``simulator``
    loads on first use (``from simulator import simulate``) as the module it comes from.
    ``module``: the module's name, when ``path`` is not under the package.
    """
    tree = _parsed(path.read_text())
    nodes = tree.body if top_level_only else list(ast.walk(tree))
    name_of_module = module or module_name(path)
    found = set()
    for node in nodes:
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            source = _imported_from(node, name_of_module, path.name == "__init__.py")
            # "from package import module" depends on the module, "from module import name" on the module
            names = [
                f"{source}.{alias.name}"
                if f"{source}.{alias.name}" in known
                else simulator._HOMES.get(alias.name, source)
                if source == "simulator"
                else source
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


def test_the_checker_sees_relative_imports_and_names_the_package_loads(tmp_path):
    # both once passed unseen from the ground layer: "from .engine import" and "from simulator import simulate"
    source = tmp_path / "numeric.py"
    source.write_text("from .engine import simulate\nfrom simulator import Result\nfrom . import plan\n")
    found = imports(source, set(MODULES), module="simulator.numeric")
    assert found == {"simulator.engine", "simulator.results", "simulator.plan"}
    inside = tmp_path / "__init__.py"
    inside.write_text("from ..plan import Plan\nfrom .shocks import Effects\n")
    assert imports(inside, set(MODULES), module="simulator.kernel") == {"simulator.plan", "simulator.kernel.shocks"}


# --- the module map of docs/architecture.md -------------------------------------------------------

ENTRY = re.compile(r"`([\w.]+/|[\w.]+\.py)`(?:\s*\(([^)]*)\))?")
"""A module (``plan.py``) or package (``kernel/``) of the map, with what follows it in brackets."""


def module_map(text: str) -> list[tuple[str, str, set[str] | None]]:
    """Rows of the map as (layer, module or package name, submodules named in brackets or None).

    ``plan.py`` is ``simulator.plan``, ``__init__.py`` the package itself, ``kernel/`` the
    package ``simulator.kernel``; ``scenario/`` (`schema`, `load`) names two of its modules.
    """
    section = text.split("## Layers and modules", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and not line.startswith("| layer")]
    found = []
    for row in rows:
        layer, cell = (part.strip() for part in row.strip("|").split("|")[:2])
        for match in ENTRY.finditer(cell):
            token, brackets = match.groups()
            if token == "__init__.py":
                name = "simulator"
            else:
                name = "simulator." + token.removesuffix("/").removesuffix(".py")
            named = set(re.findall(r"`(\w+)`", brackets or ""))
            found.append((layer, name, named if token.endswith("/") and named else None))
    return found


def test_module_map_rows_are_the_layers_from_the_top():
    layers = list(dict.fromkeys(layer for layer, _, _ in module_map(ARCHITECTURE.read_text(encoding="utf-8"))))
    assert layers == list(reversed(LAYERS)), f"docs/architecture.md, 'Layers and modules': rows {layers}"


def test_module_map_names_every_module_in_the_layer_its_docstring_states():
    """Every module of ``simulator/`` is in the map, in its layer's row; nothing the map names is missing."""
    where = "the table in docs/architecture.md, 'Layers and modules'"
    documented: dict[str, str] = {}
    for layer, name, named in module_map(ARCHITECTURE.read_text(encoding="utf-8")):
        assert name in MODULES, f"{where} names {name}, which is not a module of simulator/: remove or rename it"
        inside = {m for m in MODULES if m == name or m.startswith(name + ".")} if name != "simulator" else {name}
        if named is not None:
            modules = {m.rpartition(".")[2] for m in inside - {name}}
            assert named == modules, (
                f"{where}: the modules of {name} in brackets should be {sorted(modules)}; "
                f"missing {sorted(modules - named)}, not modules {sorted(named - modules)}"
            )
        for module in inside:
            assert module not in documented, f"{where} names {module} twice"
            documented[module] = layer
    missing = sorted(set(MODULES) - set(documented))
    assert not missing, f"{where} does not name {missing}: add each to the row of the layer its docstring states"
    wrong = [
        f"{m} (table: {documented[m]}, docstring: {layer_of(path)})"
        for m, path in sorted(MODULES.items())
        if documented[m] != layer_of(path)
    ]
    assert not wrong, f"{where} puts modules in another layer than their docstrings: {wrong}"


def test_the_module_map_reader_sees_modules_packages_and_their_named_modules():
    text = (
        "## Layers and modules\n\n| layer | modules | job |\n|---|---|---|\n"
        "| face | `cli.py`, `api/` and `__init__.py` (the Python API) | x |\n"
        "| ground | `scenario/` (`schema`, `load`), `engine.py` (SimPy, one run) | y |\n\n"
        "## Next\n\n| z | `plan.py` | |\n"
    )
    assert module_map(text) == [
        ("face", "simulator.cli", None),
        ("face", "simulator.api", None),
        ("face", "simulator", None),
        ("ground", "simulator.scenario", {"schema", "load"}),
        ("ground", "simulator.engine", None),
    ]
