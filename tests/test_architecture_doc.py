"""Every file, module and name docs/architecture.md cites in backticks exists.

The contributor page tells the next engineer which file to open and which function to
edit; a renamed function or a moved module must fail here rather than send them to
something that is gone. ``tests/test_layers.py`` checks the module map; this checks the
rest of the page: paths (``kernel/procure.py``, ``tests/helpers.py``), dotted names
(``quantities.SUMMARY``, ``kernel/shocks.ShockEffects._compute``), test names
(``tests/test_registry.py::test_...``) and bare names of constants and classes
(``NOT_SUPPLY``, ``MarketDay``). A method cited by its class (``Kernel.conditions``) must be in
the file that defines the class. A lowercase bare word (``run_points``, ``each_shipped()``) is
a quantity name, a scenario field or a table name as often as a Python name: it is read only
in a sentence that cites a module or file (``sweep.runner.plan_points``, ``tests/helpers.py``),
and must then be defined in one of them, or, if the project defines no function or class of
that name, be written in one of them (a field, a quantity, a literal); a call cited without a
module (``run_batch(metrics=...)``) must be a function defined somewhere.
"""

from __future__ import annotations

import ast
import builtins
import functools
import importlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "simulator"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
IDENTIFIER = r"[A-Za-z_]\w*"

# files_defining() parses every Python file of the package and the tests (~3 s): under pytest -n the module's tests run
# in one process, which parses them once
pytestmark = pytest.mark.xdist_group("architecture-doc")


def cited(text: str) -> list[str]:
    """The backticked spans of a page, outside fenced code blocks, once each and in order."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return list(dict.fromkeys(re.findall(r"`([^`\n]+)`", prose)))


@dataclass(frozen=True)
class FileNames:
    """The names one Python file defines, read in one parse."""

    defined: frozenset[str]  # functions, classes, methods, assigned names and attributes
    classes: frozenset[str]
    functions_and_classes: frozenset[str]  # functions, methods and classes


def statements(tree: ast.Module) -> Iterator[ast.AST]:
    """Every statement of a module, however deeply nested (with the except and case clauses that hold some).

    Definitions and assignments are statements, and no expression holds a statement, so this finds every one
    ast.walk finds while visiting a tenth of the nodes.
    """
    pending: list[ast.AST] = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        for field in ("body", "orelse", "finalbody", "handlers", "cases"):
            pending.extend(getattr(node, field, ()))


@functools.cache
def file_names(path: Path) -> FileNames:
    """The names ``path`` defines; each file is parsed and walked once, however many questions are asked of it."""
    defined: set[str] = set()
    classes: set[str] = set()
    functions_and_classes: set[str] = set()
    for node in statements(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            functions_and_classes.add(node.name)
            if isinstance(node, ast.ClassDef):
                classes.add(node.name)
        targets = (
            node.targets if isinstance(node, ast.Assign) else [node.target] if isinstance(node, ast.AnnAssign) else []
        )
        for target in targets:
            for part in ast.walk(target):
                if isinstance(part, ast.Name):
                    defined.add(part.id)
                elif isinstance(part, ast.Attribute):
                    defined.add(part.attr)
    defined |= functions_and_classes
    return FileNames(frozenset(defined), frozenset(classes), frozenset(functions_and_classes))


def defined(path: Path) -> frozenset[str]:
    """Every name a Python file defines: functions, classes, methods, assigned names and attributes."""
    return file_names(path).defined


@functools.cache
def functions_and_classes() -> frozenset[str]:
    """The functions, methods and classes of the package and of tests/helpers.py (a test file's own functions and
    fixtures are named as often for the word as for the function: ``licensing``)."""
    paths = [*sorted(PACKAGE.rglob("*.py")), ROOT / "tests" / "helpers.py"]
    return frozenset(name for path in paths for name in file_names(path).functions_and_classes)


@functools.cache
def quantity_names() -> frozenset[str]:
    """The names of the registry of quantities (``pool_stock_t``, ``shortfall_share``): data, cited as such."""
    from simulator import quantities

    tables = [value for value in vars(quantities).values() if isinstance(value, tuple)]
    return frozenset(entry.name for table in tables for entry in table if isinstance(getattr(entry, "name", None), str))


@functools.cache
def _python_files() -> tuple[Path, ...]:
    return (*sorted(PACKAGE.rglob("*.py")), *sorted((ROOT / "tests").glob("*.py")))


@functools.cache
def files_defining() -> dict[str, tuple[Path, ...]]:
    """Each name defined in the package or the tests, with the files that define it, in _python_files() order."""
    homes: dict[str, list[Path]] = {}
    for path in _python_files():
        for name in defined(path):
            homes.setdefault(name, []).append(path)
    return {name: tuple(paths) for name, paths in homes.items()}


@functools.cache
def files_defining_class() -> dict[str, tuple[Path, ...]]:
    """Each class of the package or the tests, with the files that define it, in _python_files() order."""
    homes: dict[str, list[Path]] = {}
    for path in _python_files():
        for name in file_names(path).classes:
            homes.setdefault(name, []).append(path)
    return {name: tuple(paths) for name, paths in homes.items()}


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
            if re.fullmatch(r"[A-Z]\w*|_\w+", parts[0]):  # Class.method: the file defining the class has the rest
                homes = files_defining_class().get(parts[0]) or files_defining().get(parts[0], ())  # or a private table
                found = any(all(part in defined(path) for part in parts[1:]) for path in homes)
                return None if found else f"no {parts[0]} defining {'.'.join(parts[1:])}"
            return None  # not ours: summary.csv, result.timeseries, np.nan
        longest = max(k for k in range(1, len(parts) + 1) if module_path(".".join(parts[:k])) or k == 1)
        return None if resolve("simulator." + ".".join(parts[:longest]), parts[longest:]) else "no such name"
    if re.fullmatch(r"[A-Z]\w*|_\w+", token):  # a constant, a class or a private name
        known = token in files_defining() or hasattr(builtins, token)
        return None if known else "defined nowhere in simulator/ or tests/"
    return None


def files_named(token: str) -> list[Path]:
    """The files a cited token names: ``kernel/procure.py``, ``tests/helpers.py::shipped_run``,
    ``sweep.runner.plan_points`` (the module's file), ``helpers.BROWSER``, ``pyproject.toml``; none for others."""
    match = re.fullmatch(r"((?:\w+/)*[\w.-]+\.\w+)(::\w+)?", token)  # a file of the package or the root
    files = [path for path in (PACKAGE / match[1], ROOT / match[1]) if path.is_file()] if match else []
    if files:
        return files[:1]
    if match := re.fullmatch(rf"((?:\w+/)+\w+)\.({IDENTIFIER}(?:\.{IDENTIFIER})*)", token):
        return [path] if (path := module_path(match[1].replace("/", "."))) else []
    parts = token.removeprefix("simulator.").split(".")
    if len(parts) > 1 and re.fullmatch(rf"{IDENTIFIER}(\.{IDENTIFIER})+", token):
        if parts[0] == "helpers":
            return [ROOT / "tests" / "helpers.py"]
        modules = [path for k in range(len(parts), 0, -1) if (path := module_path(".".join(parts[:k])))]
        return modules[:1]
    return []


def sentences(text: str) -> list[str]:
    """The page's prose cut into sentences (clauses after a semicolon count as one), code blocks and table rows
    (the module map, which tests/test_layers.py reads) left out."""
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    prose = "\n".join(line for line in prose.splitlines() if not line.lstrip().startswith("|"))
    return re.split(r"(?<=[.;:!?])\s+(?=[A-Z`(\[*])|\n\s*\n|\n(?=\s*(?:- |\d+\. ))", prose)


@functools.cache
def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def bare_problem(token: str, files: list[Path]) -> str | None:
    """Why a lowercase bare name cited in a sentence that names ``files`` is wrong there (None when right).

    Defined or written in one of the files (a function, or a quantity, a field, a literal that the file
    reads). A call (``name(...)``) in a sentence naming no file must be a
    function or class defined somewhere.
    """
    name = re.sub(r"\(.*\)$", "", token)
    if not re.fullmatch(r"[a-z]\w*", name) or module_path(name) or name in quantity_names():
        return None  # not a lowercase name, a module of the package (sweep, compare) or a quantity
    if not files:
        if name != token and name not in functions_and_classes():
            return "called, but no function or class of that name exists"
        return None
    if any(
        (path.suffix == ".py" and name in defined(path)) or re.search(rf"\b{name}\b", _text(path)) for path in files
    ):
        return None
    where = ", ".join(str(path.relative_to(ROOT)) for path in files)
    return f"defined elsewhere than {where}" if name in functions_and_classes() else f"not in {where}"


def missing(text: str) -> list[str]:
    wrong = [f"`{token}`: {why}" for token in cited(text) if (why := problem(token))]
    for sentence in sentences(text):
        tokens = re.findall(r"`([^`\n]+)`", sentence)
        files = list(dict.fromkeys(path for token in tokens for path in files_named(token)))
        wrong += [f"`{token}`: {why}" for token in tokens if (why := bare_problem(token, files))]
    return list(dict.fromkeys(wrong))


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


@pytest.mark.parametrize(
    "sentence",
    [
        "Both call `sweep.runner.plan_points` and `run_nowhere`.",  # a function renamed, cited beside its module
        "Share a run with `tests/helpers.py::shipped_run` and `shipped_nothing`.",
        "In `kernel/procure.py`, `jain_index` weighs the members.",  # in metrics.py, not there
        "A batch asks `nowhere_at_all(metrics=...)` for some.",  # a call of nothing
        "Read `Record.AGREEMENT_DAY`.",  # report/record.py's class Record has no such name (quantities.py has)
    ],
)
def test_a_name_its_sentence_s_module_does_not_have_is_found(sentence):
    assert len(missing(sentence)) == 1, (sentence, missing(sentence))


@pytest.mark.parametrize(
    "sentence",
    [
        "It runs them (`sweep.runner.plan_points`, `run_points`).",
        "Use `tests/helpers.py::shipped_run` and `shipped_result`, or `each_shipped()`.",
        "Its rule in `metrics._AGREEMENT` is `_over_materials`, as for `unused_release_t`.",  # a quantity
        "The list `only_mutate` in `pyproject.toml` gives them.",  # a key of a file cited
        "Three names, `sweep`, `compare` and `report`, are also modules (`compare.py`).",
        "A factor there (`demand_multiplier`, None while no such shock is on).",  # no module cited: not read
        "Give it `shipped_group(name)`.",
    ],
)
def test_a_name_its_sentence_s_module_has_is_accepted(sentence):
    assert missing(sentence) == [], missing(sentence)


def test_the_log_code_the_page_gives_a_new_rule_is_free():
    from simulator import mechanisms

    free = max(m.code for m in mechanisms.MECHANISMS) + 1
    assert f"max(code) + 1 ({free} today" in ARCHITECTURE.read_text(encoding="utf-8"), (
        f"docs/architecture.md, '... a release rule' step 3: the next free log code is {free}"
    )
