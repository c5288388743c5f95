"""The documentation: the site builds in strict mode, the generated references are complete,
every output column is documented, and the docs' examples and commands run."""

from __future__ import annotations

import contextlib
import doctest
import importlib
import inspect
import json
import logging
import os
import re
import select
import shlex
import shutil
import signal
import subprocess
import sys
import zlib
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any, ClassVar

import click
import markdown
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.docs_reference import cli_reference, outputs_reference, scenario_reference
from simulator.scenario import json_schema, validate_data
from tests.helpers import TWO_MEMBERS, build

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PAGES = sorted(DOCS.glob("*.md"))
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
SHELL = {"sh", "console", "bash", "yaml"}
STOP_TOKENS = {"|", "||", "&&", ";", ">", ">>", "2>", "2>&1"}
MAX_IMAGE_BYTES = 200_000


def blocks(*languages: str) -> list[tuple[Path, int, str]]:
    """(page, line, code) of every fenced block in ``docs/`` with one of ``languages``."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for match in FENCE.finditer(text):
            if match.group(1) in languages:
                found.append((page, text.count("\n", 0, match.start()) + 1, match.group(2)))
    return found


def sections(markdown: str) -> dict[str, str]:
    """Body of every ``## title {#id}`` section, by title."""
    out: dict[str, str] = {}
    title = None
    for line in markdown.splitlines():
        if line.startswith("## "):
            title = re.sub(r"\s*\{#[^}]*\}\s*$", "", line[3:]).strip()
            out[title] = ""
        elif title is not None:
            out[title] += line + "\n"
    return out


# --- the site ---------------------------------------------------------------------------------


class _Page(HTMLParser):
    """The ids, links and loaded sources of one HTML page."""

    SOURCES: ClassVar[dict[str, str]] = {
        "script": "src",
        "img": "src",
        "link": "href",
        "iframe": "src",
        "source": "src",
    }

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()
        self.links: list[str] = []
        self.sources: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "href" in values:
            self.links.append(values["href"])
        elif tag in self.SOURCES and self.SOURCES[tag] in values:
            self.sources.append(values[self.SOURCES[tag]])


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


class _Logged(logging.Handler):
    """Every record of level WARNING and above, as its level and message."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        line = f"{record.levelname} {record.name}: {record.getMessage()}"
        if line not in self.lines:  # a record that reaches both loggers below, once
            self.lines.append(line)


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """The site built as ``mkdocs build --strict`` builds it, into a temporary folder.

    Built once: the tests that read it share ``xdist_group("docs-site")``, so that under
    ``pytest -n`` they run in one process. Built in this process (MkDocs' own ``build`` on the
    config ``mkdocs build --strict`` loads), not by a new Python, which would import MkDocs and the
    package again (about a second of CPU): the same pages, and any warning of any logger, not only
    MkDocs', fails it. No ``docs/__pycache__`` is written (``hooks.py`` is imported).
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    site = tmp_path_factory.mktemp("docs") / "site"
    logged = _Logged()
    loggers = [logging.getLogger(), logging.getLogger("mkdocs")]  # MkDocs' command line stops "mkdocs" propagating
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        patch.setattr(sys, "dont_write_bytecode", True)
        patch.setattr(sys, "path", list(sys.path))  # put back after the hook's import
        for logger in loggers:
            logger.addHandler(logged)
        try:
            build(load_config(str(ROOT / "mkdocs.yml"), strict=True, site_dir=str(site)))
        except MkDocsException as exc:  # strict mode: a warning aborts the build
            pytest.fail(f"{exc}\n" + "\n".join(logged.lines))
        finally:
            for logger in loggers:
                logger.removeHandler(logged)
    assert not logged.lines, "\n".join(logged.lines)
    return site


@pytest.mark.xdist_group("docs-site")
def test_site_builds_in_strict_mode_without_warnings(site):
    reference = (site / "scenario-reference.html").read_text(encoding="utf-8")
    assert "horizon_days" in reference and "donor_floor_days" in reference
    assert "--grid" in (site / "cli-reference.html").read_text(encoding="utf-8")
    # the generated pages are added at build time, never written into docs/
    assert not (DOCS / "scenario-reference.md").exists()
    assert not (DOCS / "cli-reference.md").exists()


@pytest.mark.xdist_group("docs-site")
def test_site_opened_from_disk_loads_nothing_from_the_network(site):
    pages = sorted(site.rglob("*.html"))
    assert len(pages) > len(PAGES)
    for path in pages:
        remote = [s for s in _parse(path).sources if re.match(r"(https?:)?//", s)]
        assert not remote, f"{path.relative_to(site)} loads {remote}"
    # code is coloured at build time, with a local style sheet
    page = (site / "writing-scenarios.html").read_text(encoding="utf-8")
    assert '<div class="codehilite">' in page and 'href="css/pygments.css"' in page
    assert ".codehilite .nt" in (site / "css" / "pygments.css").read_text(encoding="utf-8")


@pytest.mark.xdist_group("docs-site")
def test_site_links_name_existing_html_files_and_anchors(site):
    parsed = {path: _parse(path) for path in site.rglob("*.html")}
    checked = 0
    for path, page in parsed.items():
        if path.name == "404.html":  # shown by a web server for a missing page, never opened from disk
            continue
        for link in page.links:
            if re.match(r"[a-z]+:", link):  # http:, https:, mailto: links in the text are fine
                continue
            target, _, anchor = link.partition("#")
            where = f"{path.relative_to(site)} -> {link}"
            resolved = (path.parent / target).resolve() if target else path
            assert resolved.is_file(), f"{where}: no such file (a folder opens as a listing from disk)"
            if resolved.suffix == ".html" and anchor:
                assert anchor in parsed[resolved].ids, f"{where}: no such anchor"
            checked += 1
    assert checked > 100


def test_every_page_is_in_the_navigation():
    nav = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    for page in [*PAGES, DOCS / "scenario-reference.md", DOCS / "cli-reference.md"]:
        assert f": {page.name}" in nav, page.name


def test_readme_links_and_pictures_exist():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)", readme)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert any(t.endswith(".png") for t in local)
    for target in local:
        assert (ROOT / target).exists(), target
    for command in ("make run", "make test"):
        assert command in readme


def test_pictures_are_small_enough_to_commit():
    pictures = sorted((DOCS / "images").glob("*.png"))
    assert pictures
    for picture in pictures:
        assert picture.stat().st_size < MAX_IMAGE_BYTES, picture.name


# --- the generated references -----------------------------------------------------------------


def _units(schema: Any) -> set[str]:
    """Every ``unit`` in a field's schema, not following references."""
    if isinstance(schema, dict):
        found = {str(schema["unit"])} if "unit" in schema else set()
        for key, value in schema.items():
            if key not in ("unit", "default"):
                found |= _units(value)
        return found
    if isinstance(schema, list):
        return set().union(*(_units(item) for item in schema)) if schema else set()
    return set()


def test_scenario_reference_lists_every_field_of_every_model_with_unit_and_default():
    schema = json_schema()
    by_model = sections(scenario_reference(schema))
    models = [("Scenario", schema), *schema["$defs"].items()]
    assert len(models) > 20
    for name, model in models:
        assert name in by_model, f"no section for {name}"
        rows = {line.split("|")[1].strip(): line for line in by_model[name].splitlines() if line.startswith("| `")}
        required = set(model.get("required", []))
        for field, spec in model["properties"].items():
            row = rows.get(f"`{field}`")
            assert row is not None, f"{name}.{field} missing"
            for unit in _units(spec):
                assert unit in row, f"{name}.{field}: unit {unit}"
            if field in required:
                assert "| required |" in row, f"{name}.{field} should be required"
            else:
                assert "| required |" not in row, f"{name}.{field} has a default"
            words = re.sub(r"``?", "", spec.get("description", "")).split()[:4]
            assert " ".join(words) in re.sub(r"`", "", row), f"{name}.{field}: description"


def test_scenario_reference_locates_models_by_their_override_paths():
    by_model = sections(scenario_reference())
    assert "`regions.*.demand.*`" in by_model["Demand"]
    assert "`shocks[]`" in by_model["Embargo"]
    assert "`agreement.auction.bids.*.*[]`" in by_model["BidSegment"]


def test_cli_reference_documents_every_command_argument_and_option():
    text = cli_reference()
    by_command = sections(text)
    root = click.Context(main, info_name="stockpile", **main.context_settings)
    for param in main.get_params(root):
        for opt in [*param.opts, *param.secondary_opts]:
            assert f"{opt}" in by_command["stockpile"], opt
    names = main.list_commands(root)
    assert {"run", "validate", "sweep", "check", "schema"} <= set(names)
    for name in names:
        command = main.get_command(root, name)
        assert command is not None
        body = by_command.get(f"stockpile {name}")
        assert body is not None, f"no section for {name}"
        ctx = click.Context(command, info_name=name, parent=root)
        assert " ".join(command.get_usage(ctx).split()) in body
        for param in command.get_params(ctx):
            if isinstance(param, click.Argument):
                assert f"`{param.human_readable_name}`" in body, (name, param.name)
            else:
                for opt in [*param.opts, *param.secondary_opts]:
                    assert opt in body, (name, opt)


class _Text(HTMLParser):
    """The text a browser shows of an HTML fragment (entities decoded, tags dropped)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _shown(markdown_text: str) -> str:
    """``markdown_text`` rendered with the site's Markdown extensions, as the visible text."""
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    names = [e if isinstance(e, str) else next(iter(e)) for e in config["markdown_extensions"]]
    options = {next(iter(e)): next(iter(e.values())) for e in config["markdown_extensions"] if isinstance(e, dict)}
    html = markdown.markdown(markdown_text, extensions=names, extension_configs=options)
    text = _Text()
    text.feed(html)
    return " ".join("".join(text.parts).split())


def test_cli_reference_shows_placeholders_and_help_as_written():
    shown = _shown(cli_reference())
    for placeholder in ("results/<name>/report.html", "results/<name>_compare", "[<scenarios>/baselines]"):
        assert placeholder in shown
    assert "<folder>/baselines/<file name>.json" in shown
    assert "--set PATH=VALUE" in shown and "--grid PATH=SPEC" in shown
    root = click.Context(main, info_name="stockpile", **main.context_settings)
    for name in main.list_commands(root):
        command = main.get_command(root, name)
        assert command is not None
        ctx = click.Context(command, info_name=name, parent=root)
        for param in command.get_params(ctx):
            record = param.get_help_record(ctx)
            if record is not None:
                assert " ".join(record[1].split()) in shown, (name, record)


# --- the Python API page ---------------------------------------------------------------------------


def _api_entries() -> dict[str, Any]:
    """The objects docs/api.md renders (``::: module.name`` lines), by their short name."""
    page = (DOCS / "api.md").read_text(encoding="utf-8")
    found = {}
    for path in re.findall(r"^::: ([\w.]+)\s*$", page, re.M):
        module, _, name = path.rpartition(".")
        found[name] = inspect.unwrap(getattr(importlib.import_module(module), name))
    return found


@pytest.mark.parametrize("package", ["simulator", "simulator.api"])
def test_the_api_page_renders_every_public_name(package):
    """Every name of ``simulator.__all__`` (and ``simulator.api.__all__``) has a ``:::`` entry in docs/api.md."""
    module = importlib.import_module(package)
    rendered = _api_entries()
    for name in module.__all__:
        if name == "__version__":  # a string: the page says where it is
            assert f"simulator.{name}" in (DOCS / "api.md").read_text(encoding="utf-8")
            continue
        assert name in rendered, (
            f"{package}.{name} is public ({package}.__all__): add '::: <module>.{name}' to docs/api.md"
        )
        assert rendered[name] is inspect.unwrap(getattr(module, name)), f"docs/api.md renders another {name}"


# --- every output column is documented -----------------------------------------------------------


def _member_form(column: str, members: list[str], materials: tuple[str, ...] = ("ree",)) -> str:
    head, _, tail = column.rpartition(".")
    name, _, who = head.rpartition(".")
    if name and tail in materials and (who in members or who == "all"):  # compare.csv's, as sweep.parquet's
        return f"{name}.{'all' if who == 'all' else '<member>'}.<material>"
    return f"{head}.<member>" if head and tail in members else column


def test_outputs_page_documents_every_file_and_column(tmp_path):
    bids = [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]
    auction = {"every_days": 7, "bids": {"japan": {"ree": bids}, "eu": {"ree": bids}}}
    variants = {
        "ratio": build(TWO_MEMBERS, start_date="2010-07-01"),
        "auction": build(
            TWO_MEMBERS, start_date="2010-07-01", agreement__mechanism="auction", agreement__auction=auction
        ),
    }
    documented = (DOCS / "outputs.md").read_text(encoding="utf-8") + outputs_reference()
    members = ["japan", "eu"]
    columns: set[str] = set()
    for label, data in variants.items():
        path = tmp_path / f"{label}.yaml"
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        out = tmp_path / label
        result = CliRunner().invoke(main, ["run", str(path), "-o", str(out), "--no-plots"])
        assert result.exit_code == 0, result.output
        for csv in out.glob("*.csv"):
            assert f"`{csv.name}`" in documented, csv.name
            if csv.stat().st_size > 1:
                columns |= set(pd.read_csv(csv, nrows=0).columns)
        for name in ("manifest.json", "summary.json"):
            assert f"`{name}`" in documented
            columns |= set(json.loads((out / name).read_text()))
        metrics = json.loads((out / "summary.json").read_text())["metrics"]
        columns |= {key.split(".", 1)[0] for key in metrics}
    compared = CliRunner().invoke(
        main,
        [
            "compare",
            str(tmp_path / "auction.yaml"),
            "--mechanisms",
            "fair_ratio,auction",
            "--no-plots",
            "-o",
            str(tmp_path / "c"),
        ],
    )
    assert compared.exit_code == 0, compared.output
    columns |= set(pd.read_csv(tmp_path / "c" / "compare.csv", nrows=0).columns)
    assert {"gap_t.japan", "won_t.eu", "clearing_price_usd_per_kg", "sold_t"} <= columns
    missing = sorted({c for c in columns if f"`{_member_form(c, members)}`" not in documented})
    assert not missing, f"columns not in docs/outputs.md or the outputs reference: {missing}"


# --- docs that run ---------------------------------------------------------------------------------


def _pages_with(language: str) -> list[Path]:
    return sorted({page for page, _line, _code in blocks(language)})


@pytest.mark.parametrize("page", _pages_with("pycon"), ids=lambda p: p.name)
def test_pycon_examples_give_the_output_shown(page, monkeypatch):
    """The ``pycon`` blocks of a page, in order and sharing names, as one doctest."""
    monkeypatch.chdir(ROOT)
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    names: dict[str, Any] = {}
    report: list[str] = []
    for _page, line, code in [b for b in blocks("pycon") if b[0] == page]:
        test = parser.get_doctest(code, names, f"{page.name}:{line}", str(page), line)
        assert test.examples, f"{page.name}:{line}: no examples"
        runner.run(test, out=report.append, clear_globs=False)
        names = test.globs  # a DocTest copies its globals: carry them to the next block
    assert runner.failures == 0, "".join(report)


AFTER = "# after: stockpile "


def _after(code: str) -> str | None:
    """The command of a block's first line ``# after: stockpile ...`` (without ``stockpile``), if any."""
    first = code.splitlines()[0]
    return first.removeprefix(AFTER) if first.startswith(AFTER) else None


def _python_cases() -> list[Any]:
    """The ``python`` blocks; blocks after the same command share an ``xdist_group``, so that
    under ``pytest -n`` they run in one process and the command runs once."""
    found = blocks("python")
    uses = Counter(_after(code) for _page, _line, code in found)
    cases = []
    for page, line, code in found:
        command = _after(code)
        shared = command is not None and uses[command] > 1
        marks = [pytest.mark.xdist_group(f"docs-after-{zlib.crc32(command.encode()):08x}")] if shared else []
        cases.append(pytest.param(page, line, code, id=f"{page.name}:{line}", marks=marks))
    return cases


def _as_run_here(command: str) -> list[str]:
    """The arguments of a ``# after:`` command as these tests run it: a sweep draws no figure
    (the blocks read tables; the sweep figures have their own tests)."""
    args = shlex.split(command)
    if args[0] == "sweep" and "--no-plots" not in args:
        args.append("--no-plots")
    return args


class _NoFigure:
    """What :func:`no_sensitivity_figure` draws: a figure that saves nothing."""

    def savefig(self, *_args: Any, **_kwargs: Any) -> None:
        pass


def no_sensitivity_figure(patch: pytest.MonkeyPatch) -> None:
    """``stockpile sensitivity`` under ``patch`` draws no ``sensitivity.png`` (its other files and what it prints are
    the same): for tests that read its tables or its terminal only. Drawing and saving the figure of a study is a
    second or more of CPU; the figure has its own tests (test_sensitivity_figure.py and others)."""
    patch.setattr("simulator.sensitivity.figures.sensitivity_figure", lambda *_args, **_kwargs: _NoFigure())


@pytest.fixture(scope="module")
def after_outputs(tmp_path_factory) -> Callable[[str], Path]:
    """The folder a ``# after:`` command wrote its outputs in, the command run once per module
    (in this process: starting one more Python would only cost time).

    A sensitivity study runs on one worker, as on a one-core machine: the same files to the
    byte as on many (test_sensitivity.py::test_forty_workers_on_six_runs_start_six_processes_and_change_no_number),
    without forking this process for each, and draws no figure (the blocks read its tables:
    :func:`no_sensitivity_figure`). ``run --uncertainty`` keeps the default workers,
    so that a study sampling dates and mappings still runs across processes here."""
    folders: dict[str, Path] = {}

    def folder(command: str) -> Path:
        if command not in folders:
            where = tmp_path_factory.mktemp("after")
            (where / "scenarios").symlink_to(ROOT / "scenarios")
            args = _as_run_here(command)
            with pytest.MonkeyPatch.context() as patch:
                patch.chdir(where)
                if args[0] == "sensitivity":
                    patch.setattr("simulator.cli.default_workers", lambda: 1)
                    no_sensitivity_figure(patch)
                done = CliRunner().invoke(main, args)
            assert done.exit_code == 0, done.output
            folders[command] = where
        return folders[command]

    return folder


FORK_SERVER = """
import json, os, runpy, sys

import pandas  # noqa: F401  (every block loads it: its first import or simulator's)

for line in sys.stdin:
    script, out, err = json.loads(line)
    pid = os.fork()
    if pid == 0:  # the block's process: as `python script` in the script's folder
        for fd, path in ((0, os.devnull), (1, out), (2, err)):
            opened = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC if fd else os.O_RDONLY, 0o644)
            os.dup2(opened, fd)
            os.close(opened)  # the block sees only 0, 1 and 2, as a new Python does
        os.chdir(os.path.dirname(script))
        sys.argv, sys.path[0] = [script], os.path.dirname(script)
        runpy.run_path(script, run_name="__main__")  # an exception ends it as Python does: traceback, exit 1
        raise SystemExit(0)
    sys.stdout.write(f"{os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])}\\n")
    sys.stdout.flush()
"""
"""A Python that has imported pandas and nothing of stockpile's, and forks a process for each
script it is sent: a new Python for each block, without loading pandas again for each."""


BLOCK_TIMEOUT_S = 300
"""Seconds a docs block may run before it fails (its process and the fork server are killed)."""


def _fork_server() -> subprocess.Popen[str]:
    """A :data:`FORK_SERVER` in a session of its own (so that a block that hangs is killed with it)."""
    return subprocess.Popen(
        [sys.executable, "-c", FORK_SERVER],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )


def _end(server: subprocess.Popen[str]) -> None:
    """Close a fork server's input and wait for it (killed already, or ending at the end of its input)."""
    with contextlib.suppress(OSError):
        server.stdin.close()  # type: ignore[union-attr]
    server.wait(timeout=60)


@pytest.fixture(scope="module")
def new_python() -> Iterator[Callable[[Path], tuple[int, str]]]:
    """Run a script in a new Python process (forked from :data:`FORK_SERVER`): its exit code and output.

    The output goes to files beside the script's folder, not in it (a block that lists its folder
    sees what it made). A block that does not end in :data:`BLOCK_TIMEOUT_S` fails alone: the server is killed with
    it and the next block gets a new one.
    """
    servers = [_fork_server()]

    def run(script: Path) -> tuple[int, str]:
        if servers[-1].poll() is not None:
            servers.append(_fork_server())
        server = servers[-1]
        assert server.stdin is not None and server.stdout is not None
        out, err = (script.parent.with_name(f"{script.parent.name}.{stream}") for stream in ("out", "err"))
        server.stdin.write(json.dumps([str(script), str(out), str(err)]) + "\n")
        server.stdin.flush()
        if not select.select([server.stdout], [], [], BLOCK_TIMEOUT_S)[0]:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait(timeout=60)
            pytest.fail(f"{script}: no end after {BLOCK_TIMEOUT_S} s")
        status = server.stdout.readline()
        assert status, "the fork server ended"
        return int(status), out.read_text() + err.read_text()

    yield run
    for server in servers:
        _end(server)


@pytest.mark.parametrize(("page", "line", "code"), _python_cases())
def test_python_examples_run(page, line, code, tmp_path, after_outputs, new_python):
    """Run a block in a new Python; a first line ``# after: stockpile ...`` is run first and
    its outputs copied into the block's folder (each block gets its own copy to read)."""
    (tmp_path / "scenarios").symlink_to(ROOT / "scenarios")
    if (command := _after(code)) is not None:
        outputs = after_outputs(command)
        for item in outputs.iterdir():
            if item.name != "scenarios":
                copy = shutil.copytree if item.is_dir() else shutil.copy2
                copy(item, tmp_path / item.name)
    script = tmp_path / "example.py"
    script.write_text(code)
    status, output = new_python(script)
    assert status == 0, f"{page.name}:{line}\n{output}"


def test_a_block_sees_a_new_pythons_files_and_a_hung_block_fails_alone(tmp_path, new_python, monkeypatch):
    """What a block sees of its process (descriptors 0-2 only, its folder as it made it), and a
    block that hangs failing without failing the next."""
    probe = tmp_path / "probe" / "example.py"
    probe.parent.mkdir()
    probe.write_text(
        "import os, sys\n"
        "print(sorted(os.listdir('.')), sys.argv == [__file__], 'simulator' in sys.modules)\n"
        "for fd in (3, 4, 5):\n"
        "    try:\n"
        "        os.fstat(fd)\n"
        "        print('open', fd)\n"
        "    except OSError:\n"
        "        pass\n"
    )
    assert new_python(probe) == (0, "['example.py'] True False\n")
    hung, after = tmp_path / "hung" / "example.py", tmp_path / "after" / "example.py"
    for script, code in ((hung, "import time\ntime.sleep(60)\n"), (after, "print('next')\n")):
        script.parent.mkdir()
        script.write_text(code)
    with monkeypatch.context() as short:  # a fifth of a second: the hung block sleeps a minute, so it never ends in it
        short.setattr(sys.modules[__name__], "BLOCK_TIMEOUT_S", 0.2)
        with pytest.raises(pytest.fail.Exception, match=r"no end after 0\.2 s"):
            new_python(hung)
    assert new_python(after) == (0, "next\n")  # with the usual time: a loaded machine may take over 0.2 s


def test_scenarios_in_the_docs_are_valid():
    examples = [(p, n, c) for p, n, c in blocks("yaml") if re.search(r"^horizon_days:", c, re.M)]
    assert examples
    for page, line, code in examples:
        validate_data(yaml.safe_load(code), f"{page.name}:{line}")


def _invocations() -> list[tuple[str, list[str]]]:
    """Every ``stockpile ...`` command in shell and YAML blocks and in inline code, as arguments."""
    lines = [(f"{p.name}:{n}", line) for p, n, code in blocks(*SHELL) for line in code.splitlines()]
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        lines += [(page.name, span) for span in re.findall(r"`(stockpile [^`]+)`", FENCE.sub("", text))]
    lines += [("README.md", span) for span in re.findall(r"`(stockpile [^`]+)`", (ROOT / "README.md").read_text())]
    found = []
    for where, line in lines:
        try:
            tokens = shlex.split(line.strip().removeprefix("$ "), comments=True)
        except ValueError:
            continue
        for i, token in enumerate(tokens):
            starts = i == 0 or tokens[i - 1] in {"-", "run:", "$", *STOP_TOKENS}
            if starts and (token == "stockpile" or token.endswith("/stockpile")):
                args = []
                for arg in tokens[i + 1 :]:
                    if arg in STOP_TOKENS:
                        break
                    args.append(arg)
                found.append((where, args))
                break
    return found


def test_documented_commands_and_options_exist():
    root = click.Context(main, info_name="stockpile", **main.context_settings)
    group_opts = {opt for p in main.get_params(root) for opt in [*p.opts, *p.secondary_opts]}
    invocations = _invocations()
    assert len(invocations) > 20
    for where, args in invocations:
        while args and args[0].startswith("-"):
            assert args.pop(0) in group_opts, where
        if not args or args[0].isupper() or args[0] in ("...", "COMMAND"):
            continue  # a placeholder such as `stockpile COMMAND --help`
        command = main.get_command(root, args[0])
        assert command is not None, f"{where}: no command '{args[0]}'"
        ctx = click.Context(command, info_name=args[0], parent=root)
        opts = {opt for p in command.get_params(ctx) for opt in [*p.opts, *p.secondary_opts]}
        for arg in args[1:]:
            if arg.startswith("-") and arg not in ("-", "--"):
                assert arg.split("=", 1)[0] in opts, f"{where}: stockpile {args[0]} has no option {arg}"


def test_documented_make_targets_exist():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][\w-]*):", makefile, re.M))
    used = set()
    for _page, _line, code in blocks(*SHELL):
        used |= set(re.findall(r"^\s*make ([a-z][\w-]*)", code, re.M))
    used |= set(re.findall(r"`make ([a-z][\w-]*)`", (ROOT / "README.md").read_text()))
    assert {"run", "test"} <= used
    assert used <= targets, used - targets


# --- tables of numbers a command gives -------------------------------------------------------------

COMPARISON_COLUMNS = {
    "light REE short (t)": ("total_shortfall_t.all.light_ree", 1.0),
    "heavy REE short (t)": ("total_shortfall_t.all.heavy_ree", 1.0),
    "magnets short (t)": ("total_shortfall_t.all.ndfeb_magnets", 1.0),
    "Japan short (%)": ("shortfall_share.japan", 100.0),
    "EU short (%)": ("shortfall_share.eu", 100.0),
    "Jain's index": ("fairness_jain", 1.0),
    "Jain, light REE": ("fairness_jain.all.light_ree", 1.0),
    "Jain, heavy REE": ("fairness_jain.all.heavy_ree", 1.0),
    "largest gap": ("max_shortfall_share_gap", 1.0),
    "Japan drawn/paid in, light REE": ("draw_to_contribution.japan.light_ree", 1.0),
    "EU drawn/paid in, light REE": ("draw_to_contribution.eu.light_ree", 1.0),
    "draw-contribution gap, light REE": ("draw_contribution_gap.all.light_ree", 1.0),
    "envious members": ("envious_members", 1.0),
    "Japan net position (USD m)": ("net_position_usd.japan", 1e-6),
    "EU net position (USD m)": ("net_position_usd.eu", 1e-6),
    "light REE left (t)": ("pool_end_t.all.light_ree", 1.0),
    "heavy REE left (t)": ("pool_end_t.all.heavy_ree", 1.0),
    "magnets left (t)": ("pool_end_t.all.ndfeb_magnets", 1.0),
}
"""Header of the rules comparison in docs/release-rules.md -> (``compare.csv`` column, scale to the unit shown)."""


EMPTY_CELL = "\u2014"
"""A cell of the rules comparison with no value (the row ``no agreement`` has no pool to measure)."""


def _comparison_row(written: pd.DataFrame, mechanism: str, header: list[str], like: list[str] | None) -> str:
    """The table row of ``mechanism`` from ``compare.csv``, with as many decimals as the row ``like``."""
    cells = [f"`{mechanism}`"]
    for k, title in enumerate(header[1:], start=1):
        column, scale = COMPARISON_COLUMNS[title]
        if pd.isna(written.loc[mechanism, column]):  # the row without the agreement has no pool to measure
            cells.append(EMPTY_CELL)
            continue
        decimals = len(like[k].replace(",", "").partition(".")[2]) if like else 3
        number = round(float(written.loc[mechanism, column]) * scale, decimals) + 0.0  # no -0.0
        cells.append(f"{number:,.{decimals}f}".replace("-", "\u2212"))
    return "| " + " | ".join(cells) + " |"


@pytest.fixture(scope="module")
def release_rules_comparison(tmp_path_factory) -> tuple[str, pd.DataFrame]:
    """The section "Comparing the rules" and the ``compare.csv`` its command writes, run from the root once for the
    three tests that read them (about 3 s a run)."""
    body = sections((DOCS / "release-rules.md").read_text(encoding="utf-8"))["Comparing the rules"]
    (command,) = [line for _lang, code in FENCE.findall(body) for line in code.splitlines() if "stockpile" in line]
    out = tmp_path_factory.mktemp("compare")
    # only compare.csv is read here: its figure is not drawn (test_cli and test_compare_printed check compare.png)
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(ROOT)
        done = CliRunner().invoke(main, [*shlex.split(command)[1:], "--no-plots", "-o", str(out), "--force"])
    assert done.exit_code == 0, done.output
    return body, pd.read_csv(out / "compare.csv").set_index("mechanism")


@pytest.mark.xdist_group("release-rules-comparison")  # one worker makes the rerun once
def test_release_rules_comparison_gives_what_stockpile_compare_writes(release_rules_comparison):
    """Every number of the table in "Comparing the rules", to the digits shown, from a rerun of the command above it."""
    body, written = release_rules_comparison
    # oxide and magnet: compare.csv leaves the total empty and gives each material, and so does the table
    assert written["total_shortfall_t"].isna().all()
    lines = [line for line in body.splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[0] == "rule" and set(header[1:]) == set(COMPARISON_COLUMNS), header
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    shown, ran = [row[0].strip("`") for row in rows], list(written.index)
    assert shown == ran, (  # every rule that ran, none left out
        "docs/release-rules.md, 'Comparing the rules': the table needs one row per rule that `stockpile compare` "
        f"ran, in the order of simulator/mechanisms.py: {ran}; add {[m for m in ran if m not in shown]}, "
        f"remove {[m for m in shown if m not in ran]}. Rows with the numbers the command gives:\n"
        + "\n".join(_comparison_row(written, m, header, rows[0] if rows else None) for m in ran if m not in shown)
    )
    for row in rows:
        mechanism = row[0].strip("`")
        for title, text in zip(header[1:], row[1:], strict=True):
            column, scale = COMPARISON_COLUMNS[title]
            if text == EMPTY_CELL:
                assert pd.isna(written.loc[mechanism, column]), (mechanism, title, written.loc[mechanism, column])
                continue
            if text == "above 0.9999":  # an index 1 to four decimals that is not 1 (names.index_text)
                assert 0.9999 < float(written.loc[mechanism, column]) < 1.0, (mechanism, title)
                continue
            number = text.replace(",", "").replace("\u2212", "-")
            decimals = len(number.partition(".")[2])
            expected = float(written.loc[mechanism, column]) * scale
            assert abs(float(number) - expected) <= 0.5 * 10**-decimals + 1e-9, (mechanism, title, text, expected)


def _whole_tonnes(written: pd.DataFrame, mechanism: str, material: str) -> str:
    """The members' shortfall of ``material`` in ``mechanism``'s row, in whole tonnes as the page writes them."""
    return f"{written.loc[mechanism, f'total_shortfall_t.all.{material}']:,.0f}"


def _rules_range(written: pd.DataFrame, material: str) -> str:
    """The members' shortfall of ``material`` from the lowest rule to the highest (the baselines left out), as
    "low–high"."""
    rules = written.drop(index=["no agreement", "stocks held today", "own shares alone"])
    column = rules[f"total_shortfall_t.all.{material}"]
    return f"{column.min():,.0f}\u2013{column.max():,.0f}"


@pytest.mark.xdist_group("release-rules-comparison")  # one worker makes the rerun once
def test_release_rules_comparison_text_gives_each_materials_shortfall_from_a_rerun(release_rules_comparison):
    """The section's sentences on the baselines give each material's tonnes, never their sum: from the same rerun."""
    body, written = release_rules_comparison
    text = " ".join(body.split())
    held = [_whole_tonnes(written, "stocks held today", m) for m in ("light_ree", "heavy_ree", "ndfeb_magnets")]
    assert f"{held[0]} t of light and {held[1]} t of heavy rare earths and {held[2]} t of magnets short" in text, held
    alone = [_whole_tonnes(written, "own shares alone", m) for m in ("heavy_ree", "ndfeb_magnets", "light_ree")]
    ranges = [_rules_range(written, m) for m in ("heavy_ree", "ndfeb_magnets", "light_ree")]
    assert (
        f"fewer heavy rare earths and far fewer magnets than every rule ({alone[0]} t and {alone[1]} t, against "
        f"{ranges[0]} t and {ranges[1]} t), though more light rare earths ({alone[2]} t against {ranges[2]} t)"
    ) in text, (alone, ranges)
    # what the sentence claims, the right way round
    rules = written.drop(index=["no agreement", "stocks held today", "own shares alone"])

    def own_share(material: str) -> float:
        return written.loc["own shares alone", f"total_shortfall_t.all.{material}"]

    assert (own_share("heavy_ree") < rules["total_shortfall_t.all.heavy_ree"]).all()
    assert (own_share("ndfeb_magnets") < rules["total_shortfall_t.all.ndfeb_magnets"]).all()
    assert (own_share("light_ree") > rules["total_shortfall_t.all.light_ree"]).all()
    assert "all materials added" not in text


@pytest.mark.xdist_group("release-rules-comparison")  # one worker makes the rerun once
def test_release_rules_comparison_costs_give_each_materials_shortfall_from_a_rerun(release_rules_comparison):
    """ "What evenness costs" and "Whatever the rule" give each material's tonnes (light, heavy, magnets), never their
    sum, from a rerun of the section's command."""
    body, written = release_rules_comparison
    text = " ".join(body.split())
    materials = ("light_ree", "heavy_ree", "ndfeb_magnets")
    rules = written.drop(index=["no agreement", "stocks held today", "own shares alone"])

    def whole(tonnes: float) -> str:
        return f"{tonnes:,.0f}"

    def short(mechanism: str, material: str, member: str = "all") -> float:
        column = f"total_shortfall_t.all.{material}" if member == "all" else f"shortfall_t.{member}.{material}"
        return written.loc[mechanism, column]

    def span(low: float, high: float) -> str:
        return f"{whole(low)}\u2013{whole(high)}"

    low = {m: rules[f"total_shortfall_t.all.{m}"].min() for m in materials}
    high = {m: rules[f"total_shortfall_t.all.{m}"].max() for m in materials}
    none_, own = ({m: short(row, m) for m in materials} for row in ("no agreement", "own shares alone"))
    light, heavy, magnets = materials

    def left(mechanism: str) -> str:  # the pool at the end, material by material (its total adds oxide and magnet)
        tonnes = [whole(written.loc[mechanism, f"pool_end_t.all.{m}"]) for m in materials]
        return f"{tonnes[0]} t of light and {tonnes[1]} t of heavy rare earths and {tonnes[2]} t of magnets"

    left_span = {m: span(rules[f"pool_end_t.all.{m}"].min(), rules[f"pool_end_t.all.{m}"].max()) for m in materials}
    expected = [
        # What evenness costs
        f"short of {whole(short('iea_ess', light) - short('fair_ratio', light))} t more light rare earths than under "
        f"the fair ratio ({whole(short('iea_ess', light))} t), "
        f"{whole(short('iea_ess', heavy) - short('fair_ratio', heavy))} t more heavy ({whole(short('iea_ess', heavy))} "
        f"t) and {whole(short('iea_ess', magnets) - short('fair_ratio', magnets))} t more magnets "
        f"({whole(short('iea_ess', magnets))} t;",
        f"{left('iea_ess')} stay in the pool",
        f"short only of {whole(short('fair_ratio', magnets, 'eu'))} t of magnets under the fair ratio, is short of "
        f"{whole(short('iea_ess', light, 'eu'))} t of light and {whole(short('iea_ess', heavy, 'eu'))} t of heavy rare "
        f"earths besides (and {whole(short('iea_ess', magnets, 'eu'))} t of magnets)",
        f"Japan's shortfall falls from {whole(short('fair_ratio', light, 'japan'))} t to "
        f"{whole(short('iea_ess', light, 'japan'))} t of light and from {whole(short('fair_ratio', heavy, 'japan'))} t "
        f"to {whole(short('iea_ess', heavy, 'japan'))} t of heavy rare earths",
        f"least shortfall of every material ({whole(short('auction', light))} t, {whole(short('auction', heavy))} t "
        f"and {whole(short('auction', magnets))} t) and the least in the pool "
        f"({left('auction')}), because",
        f"{left_span[light]} t of light and {left_span[heavy]} t of heavy rare earths and {left_span[magnets]} t of "
        "magnets are left at the end while "
        f"the members were short of {span(low[light], high[light])} t of light rare earths and "
        f"{span(low[magnets], high[magnets])} t of magnets",
        # Whatever the rule
        f"short of {whole(none_[light])} t, {whole(none_[heavy])} t and {whole(none_[magnets])} t",
        f"under the rules of {span(low[light], high[light])} t, {span(low[heavy], high[heavy])} t and "
        f"{span(low[magnets], high[magnets])} t",
        f"({whole(own[light])} t, {whole(own[heavy])} t and {whole(own[magnets])} t), it saves "
        f"{span(own[light] - high[light], own[light] - low[light])} t of light rare earths but loses "
        f"{span(low[heavy] - own[heavy], high[heavy] - own[heavy])} t of heavy and "
        f"{span(low[magnets] - own[magnets], high[magnets] - own[magnets])} t of magnets",
        f"by at most {whole(high[light] - low[light])} t, {whole(high[heavy] - low[heavy])} t and "
        f"{whole(high[magnets] - low[magnets])} t",
    ]
    assert [fragment for fragment in expected if fragment not in text] == []
    # what the words claim: the EU is short only of magnets under the fair ratio, auction is the least short of each
    assert short("fair_ratio", light, "eu") == short("fair_ratio", heavy, "eu") == 0
    assert all(short("auction", m) == low[m] for m in materials)
    assert all(written.loc["auction", f"pool_end_t.all.{m}"] == rules[f"pool_end_t.all.{m}"].min() for m in materials)
    # iea_ess: "the largest shortfall of every material (of light rare earths shared with `need_with_restraint`)"
    assert all(short("iea_ess", m) == pytest.approx(high[m], abs=1e-6) for m in materials)
    assert short("need_with_restraint", light) == pytest.approx(high[light], abs=1e-6)
    assert "largest shortfall of every material (of light rare earths shared with `need_with_restraint`)" in text


def test_the_list_of_mechanisms_names_every_rule_once():
    """The one-line list at the top of docs/release-rules.md, against simulator/mechanisms.py."""
    from simulator.mechanisms import NAMES

    text = (DOCS / "release-rules.md").read_text(encoding="utf-8")
    table = text.split("| mechanism | in one line |", 1)[1].split("\n\n", 1)[0]
    listed = [name for line in table.splitlines()[2:] for name in re.findall(r"`(\w+)`", line.split("|")[1])]
    assert sorted(listed) == sorted(NAMES), (
        "docs/release-rules.md: the table of mechanisms should name each rule of simulator/mechanisms.py once; "
        f"add {sorted(set(NAMES) - set(listed))}, remove {sorted(set(listed) - set(NAMES))}"
    )


def test_the_policy_guides_rule_comparison_is_what_stockpile_compare_writes(tmp_path, monkeypatch):
    """The output pasted under 'Which release rule would have served best?' in getting-started-policy.md.

    The columns shown, cell for cell as the command prints them (a ``-`` for Jain's index
    where nobody is short, compare.csv's 1 not shown), and the lines under the table shown,
    each one the command prints."""
    text = (DOCS / "getting-started-policy.md").read_text(encoding="utf-8")
    after = text.split("stockpile compare scenarios/embargo_2010_scarce.yaml\n```", 1)[1]
    (shown,) = [code for lang, code in FENCE.findall(after)[:1] if lang == "text"]
    monkeypatch.chdir(ROOT)
    args = ["compare", "scenarios/embargo_2010_scarce.yaml", "--no-plots", "-o", str(tmp_path / "c")]
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    ran = len(pd.read_csv(tmp_path / "c" / "compare.csv"))  # one table row per row of compare.csv

    def cells(line: str, columns: int) -> list[str]:
        """A table line's cells: the mechanism (one or two words), then a cell per column after it."""
        words = line.split()
        return [" ".join(words[: len(words) - columns + 1]), *words[len(words) - columns + 1 :]]

    pasted, printed = shown.strip().splitlines(), done.output.splitlines()
    header, everything = pasted[0].split(), printed[0].split()
    rows = [cells(line, len(header)) for line in pasted[1 : 1 + ran]]
    expected = [[cells(line, len(everything))[everything.index(c)] for c in header] for line in printed[1 : 1 + ran]]
    under = pasted[1 + ran :]
    assert rows == expected and under == [line for line in printed[1 + ran :] if line in under], (
        "docs/getting-started-policy.md: rerun `stockpile compare scenarios/embargo_2010_scarce.yaml` and paste "
        "its rows (the columns shown) and the lines under the table shown"
    )
