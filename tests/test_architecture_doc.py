"""Every file, module and name docs/architecture.md cites in backticks exists.

The contributor page tells the next engineer which file to open and which function to
edit; a renamed function or a moved module must fail here rather than send them to
something that is gone. ``tests/test_layers.py`` checks the module map; this checks the
rest of the page: paths (``kernel/procure.py``, ``tests/helpers.py``), dotted names
(``quantities.SUMMARY``, ``kernel/shocks.ShockEffects._compute``), test names
(``tests/test_registry.py::test_...``) and bare names of constants and classes
(``NOT_SUPPLY``, ``MarketDay``). Lowercase bare words are left alone: they are quantity
names, scenario fields and table names as often as Python names.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simulator"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
IDENTIFIER = r"[A-Za-z_]\w*"

# everywhere() parses every Python file of the package and the tests (~3 s): under pytest -n the module's tests run
# in one process, which parses them once
pytestmark = pytest.mark.xdist_group("architecture-doc")


def cited(text: str) -> list[str]:
    """The backticked spans of a page, outside fenced code blocks, once each and in order."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return list(dict.fromkeys(re.findall(r"`([^`\n]+)`", prose)))


@functools.cache
def defined(path: Path) -> frozenset[str]:
    """Every name a Python file defines: functions, classes, methods, assigned names and attributes."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.add(node.name)
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Name):
                    names.add(part.id)
                elif isinstance(part, ast.Attribute):
                    names.add(part.attr)
    return frozenset(names)


def _python_files() -> list[Path]:
    return [*sorted(PACKAGE.rglob("*.py")), *sorted((ROOT / "tests").glob("*.py"))]


@functools.cache
def everywhere() -> frozenset[str]:
    """The names defined anywhere in the package or the tests."""
    return frozenset(name for path in _python_files() for name in defined(path))


def module_path(dotted: str) -> Path | None:
    """The file of module ``simulator.<dotted>`` (``kernel.market``: ``simulator/kernel/market.py``), or None."""
    base = PACKAGE.joinpath(*dotted.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def resolve(module: str, attributes: list[str]) -> bool:
    """Whether ``attributes`` can be looked up one after the other on module ``module``.

    Imported and looked up for real; a name the import does not show (an annotated field of a
    dataclass, a method of a class built at run time) counts if its module's file defines it.
    """
    value = importlib.import_module(module)
    for k, name in enumerate(attributes):
        if not hasattr(value, name):
            path = Path(getattr(importlib.import_module(module), "__file__", "") or "")
            return all(rest in defined(path) for rest in attributes[k:]) if path.suffix == ".py" else False
        value = getattr(value, name)
    return True


def problem(token: str) -> str | None:
    """Why ``token`` names nothing that exists (None when it does, or when it is not a name this test reads)."""
    token = re.sub(r"\(.*\)$", "", token)  # run_batch(metrics=...) is run_batch
    if re.fullmatch(r"(tests|docs|tools|scenarios|benchmarks)(/[\w.-]+)*/?", token):
        return None if (ROOT / token).exists() else "no such file or folder"
    if match := re.fullmatch(r"(tests/\w+\.py)::(\w+)", token):
        path = ROOT / match[1]
        if not path.is_file():
            return f"no file {match[1]}"
        return None if match[2] in defined(path) else f"{match[1]} defines no {match[2]}"
    if re.fullmatch(r"(\w+/)*\w+\.py|(\w+/)+", token):  # in the package (kernel/procure.py, release/) or the root
        return None if (PACKAGE / token).exists() or (ROOT / token).exists() else f"no simulator/{token}"
    if match := re.fullmatch(rf"((?:\w+/)+\w+)\.({IDENTIFIER}(?:\.{IDENTIFIER})*)", token):  # kernel/shocks.X.y
        dotted = match[1].replace("/", ".")
        if module_path(dotted) is None:
            return f"no module simulator/{match[1]}.py"
        return None if resolve(f"simulator.{dotted}", match[2].split(".")) else "not in that module"
    if re.fullmatch(rf"{IDENTIFIER}(\.{IDENTIFIER})+", token):
        parts = token.removeprefix("simulator.").split(".")
        if parts[0] == "helpers":  # tests/helpers.py
            return None if parts[1] in defined(ROOT / "tests" / "helpers.py") else "not in tests/helpers.py"
        if module_path(parts[0]) is None:
            if re.fullmatch(r"[A-Z]\w*|_\w+", parts[0]):  # Class.method: some file defining the class has the rest
                homes = [path for path in _python_files() if parts[0] in defined(path)]
                found = any(all(part in defined(path) for part in parts[1:]) for path in homes)
                return None if found else f"no {parts[0]} defining {'.'.join(parts[1:])}"
            return None  # not ours: summary.csv, result.timeseries, np.nan
        longest = max(k for k in range(1, len(parts) + 1) if module_path(".".join(parts[:k])) or k == 1)
        return None if resolve("simulator." + ".".join(parts[:longest]), parts[longest:]) else "no such name"
    if re.fullmatch(r"[A-Z]\w*|_\w+", token):  # a constant, a class or a private name
        known = token in everywhere() or hasattr(builtins, token)
        return None if known else "defined nowhere in simulator/ or tests/"
    return None


def missing(text: str) -> list[str]:
    return [f"`{token}`: {why}" for token in cited(text) if (why := problem(token))]


def test_every_name_the_architecture_page_cites_exists():
    wrong = missing(ARCHITECTURE.read_text(encoding="utf-8"))
    assert not wrong, "docs/architecture.md cites what does not exist (rename or remove it):\n" + "\n".join(wrong)


@pytest.mark.parametrize(
    "token",
    [
        "kernel/nowhere.py",  # a module moved away
        "tests/test_nowhere.py",
        "tests/test_registry.py::test_nothing_of_the_kind",  # a test renamed
        "quantities.NOT_A_TABLE",  # a registry table renamed
        "kernel.market.NOT_REPORTED",
        "kernel/shocks.ShockEffects._not_compute",  # a method renamed
        "plots.shock_nothing",
        "metrics._NO_FORMULAS",  # a private table renamed
        "NoSuchDataclass",
        "SummaryAccumulator.unfinished",  # a method renamed, cited by its class
    ],
)
def test_a_wrong_name_is_found(token):
    assert problem(token) is not None, token
    assert missing(f"See `{token}`, and `quantities.SUMMARY`.") == [f"`{token}`: {problem(token)}"]


@pytest.mark.parametrize(
    "token",
    [
        "kernel/procure.py",
        "scenario/",
        "tests/test_registry.py::test_every_derived_metric_has_its_formula",
        "kernel/shocks.ShockEffects._compute",
        "kernel.Kernel.market",
        "metrics.SummaryAccumulator.finish",
        "quantities.SUMMARY",
        "sweep.runner.plan_points",
        "helpers.BROWSER",
        "run_batch(metrics=...)",
        "MarketDay",
        "SummaryAccumulator.finish",
        "Kernel.conditions",
        "summary.csv",  # not a name: left alone
    ],
)
def test_a_right_name_is_accepted(token):
    assert problem(token) is None, (token, problem(token))


def test_names_in_a_code_block_are_not_read():
    # the worked example's diff shows the entry to add; it is not a name that must exist yet
    assert missing("```diff\n+ `quantities.NOT_YET`\n```\n") == []
