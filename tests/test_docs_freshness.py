"""Figures the docs quote from runs of the shipped scenarios, checked against those runs.

The runs are the tests' shared reference runs (``tests/helpers.py::shipped_result``, made
once per test process and grouped with the other tests of the same scenario), so these
tests start no process and make no run the suite does not already make. A failure means
the page shows what the tool no longer gives: rerun the command the page names and paste
what it gives.
"""

from __future__ import annotations

import copy
import html
import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.gate.baseline import run_record
from simulator.names import Names
from simulator.output import manifest, run_files, run_options, summary_json
from simulator.report.findings import Run
from simulator.report.verdict import headline, one_run_headline
from simulator.scenario.schema import Scenario
from simulator.scenario.tonnes import tonnes_apart
from tests.helpers import SCENARIOS, each_shipped, shipped_alone, shipped_group, shipped_result

DOCS = Path(__file__).resolve().parent.parent / "docs"
ELIDED = "\u2026"
"""What an example's ``...`` becomes once parsed: a key (with any value) or a list item."""


def _glance() -> dict[str, str]:
    """The 'shortfall' cell of each row of the table 'At a glance' in docs/scenarios.md, by file."""
    text = (DOCS / "scenarios.md").read_text(encoding="utf-8")
    table = text.split("## At a glance\n", 1)[1].strip().split("\n\n", 1)[0]
    lines = table.splitlines()
    header = [cell.strip() for cell in lines[0].strip("|").split("|")]
    assert header[0] == "file" and header[-1] == "shortfall", header
    rows = [[cell.strip() for cell in line.strip("|").split("|")] for line in lines[2:]]
    names = [row[0].strip("`") for row in rows]
    assert len(set(names)) == len(names), f"a file listed twice: {names}"
    return {name: row[-1] for name, row in zip(names, rows, strict=True)}


def _within_shown_digits(shown: str, value: float) -> bool:
    """Whether ``value`` rounds to ``shown`` (a number as written: ``8,276``, ``0.0``, ``45710.061575052256``)."""
    number = shown.replace(",", "")
    decimals = len(number.partition(".")[2])
    return abs(float(number) - value) <= max(0.5 * 10**-decimals, 1e-12 * abs(value))


def test_the_library_table_lists_every_shipped_scenario():
    assert sorted(_glance()) == sorted(path.stem for path in SCENARIOS)


_TONNES = r"[0-9][0-9,]*(?:\.[0-9]+)?"
_NOTE = r"(?: \((?:seed ([0-9]+)|[^()]+)\))?"
"""A note in brackets may qualify a cell: the seed, or how fragile it is (``0 t (6,402 t at ...)``)."""


def _short_by_material(result: Any) -> tuple[float, dict[str, float]]:
    """The run's total shortfall (summary row all/all) and the materials short in it, with theirs (rows all/<m>)."""
    rows = result.tables["summary"].rows()
    total = next(r["total_shortfall_t"] for r in rows if r["region"] == "all" and r["material"] == "all")
    short = {
        r["material"]: r["total_shortfall_t"]
        for r in rows
        if r["region"] == "all" and r["material"] != "all" and r["total_shortfall_t"] > 0
    }
    return total, short


@pytest.mark.parametrize("name", each_shipped())
def test_the_library_tables_shortfall_is_the_scenarios(name):
    """docs/scenarios.md, 'At a glance': each cell, to the digits shown, is what `stockpile run` prints last.

    One total where the tonnes short may be added; where they may not (``tonnes_apart``: oxide and
    magnet, or prices more than twice apart), each material short, in the summary's order, as
    ``N t of <material> / ...``, and no total (it would add unlike tonnes).
    """
    cell = _glance()[name]
    result = shipped_result(name)
    total, short = _short_by_material(result)
    # the invariant the cells rest on: the materials' figures add up to the summary's total, which is the run's
    assert sum(short.values()) == pytest.approx(total, rel=1e-9, abs=1e-9)
    assert total == pytest.approx(result.metrics["total_shortfall_t"], rel=1e-12, abs=1e-12)
    where = f"docs/scenarios.md, 'At a glance', {name} (stockpile run scenarios/{name}.yaml)"
    if len(short) >= 2 and tonnes_apart(result.scenario, list(result.structure.materials)):
        names = Names.of(result.scenario)
        parts = [rf"({_TONNES}) t of {re.escape(names.material_text(m))}" for m in short]
        found = re.fullmatch(" / ".join(parts) + _NOTE, cell)
        printed = " / ".join(f"{t:,.1f} t of {names.material_text(m)}" for m, t in short.items())
        assert found, f"{where}: '{cell}' is not by material, as the run gives it: {printed}"
        for i, (material, tonnes) in enumerate(short.items(), start=1):
            assert _within_shown_digits(found.group(i), tonnes), f"{where}: {material} is {tonnes:,.1f} t, not {cell}"
        seed = found.group(len(short) + 1)
    else:
        found = re.fullmatch(f"({_TONNES}) t{_NOTE}", cell)
        assert found, f"{name}: the cell '{cell}' is not 'N t', 'N t (seed S)' or 'N t (a note)'"
        assert _within_shown_digits(found.group(1), total), (
            f"{where}: the total shortfall is {total:,.1f} t, not {cell}"
        )
        seed = found.group(2)
    if seed is not None:
        assert int(seed) == result.seed


# --- docs/outputs.md's examples of summary.json and manifest.json ---------------------------------


class _Number(str):
    """A number of an example as written (so that it is compared to the digits shown)."""


def _example(anchor: str) -> str:
    """The first fenced block of docs/outputs.md after the text ``anchor``."""
    text = (DOCS / "outputs.md").read_text(encoding="utf-8")
    assert anchor in text, f"docs/outputs.md no longer says {anchor!r}"
    after = text.split(anchor, 1)[1]
    return after.split("```", 2)[1].split("\n", 1)[1]


def _parsed(example: str) -> Any:
    """An example with ``...`` elisions as JSON: objects as lists of (key, value), numbers as written."""
    text = example.replace("{...}", f'{{"{ELIDED}": 0}}')
    text = re.sub(r",\s*\.\.\.(\s*)\]", rf', "{ELIDED}"\1]', text)
    text = re.sub(r"\.\.\.,", f'"{ELIDED}": 0,', text)
    text = re.sub(r",\s*\.\.\.(\s*)\}", rf', "{ELIDED}": 0\1}}', text)
    return json.loads(text, object_pairs_hook=list, parse_float=_Number, parse_int=_Number)


def _agrees(shown: Any, real: Any, where: str) -> list[str]:
    """How the parsed example ``shown`` differs from the real JSON ``real``: keys, their order, values."""
    if isinstance(shown, list) and all(isinstance(p, tuple) for p in shown) and shown:  # an object
        if not isinstance(real, dict):
            return [f"{where}: an object in the example, {real!r} in the file"]
        keys = [key for key, _ in shown if key != ELIDED]
        if len(keys) == len(shown):
            problems = [] if keys == list(real) else [f"{where}: keys {keys}, the file has {list(real)}"]
        else:
            order = [key for key in real if key in keys]
            problems = [] if keys == order else [f"{where}: keys {keys} not among {list(real)} in that order"]
        for key, value in shown:
            if key != ELIDED and key in real:
                problems += _agrees(value, real[key], f"{where}.{key}")
        return problems
    if isinstance(shown, list):
        items = [item for item in shown if item != ELIDED]
        if not isinstance(real, list) or (len(items) == len(shown) and len(real) != len(items)):
            return [f"{where}: {len(items)} items in the example, {real!r} in the file"]
        return [p for i, item in enumerate(items) for p in _agrees(item, real[i], f"{where}[{i}]")]
    if isinstance(shown, _Number):
        ok = isinstance(real, int | float) and not isinstance(real, bool) and _within_shown_digits(shown, real)
        return [] if ok else [f"{where}: {shown} in the example, {real!r} in the file"]
    return [] if shown == real else [f"{where}: {shown!r} in the example, {real!r} in the file"]


def test_the_elided_json_parser_reads_what_it_leaves_out():
    shown = _parsed('{"a": [{"x": 1.50, ...}, ...], "b": {...}, "c": {"y": 2, ..., "z": "s", ...}}')
    real = {"a": [{"x": 1.5, "w": 0}, {}], "b": {"q": 1}, "c": {"y": 2, "v": 0, "z": "s", "u": None}}
    assert _agrees(shown, real, "") == []
    assert _agrees(shown, real | {"c": {"z": "s", "y": 2}}, "") == [
        ".c: keys ['y', 'z'] not among ['z', 'y'] in that order"
    ]
    assert _agrees(_parsed('{"x": 1.5, "y": 2}'), {"x": 1.5, "y": 2, "z": 3}, "") == [
        ": keys ['x', 'y'], the file has ['x', 'y', 'z']"
    ]
    assert _agrees(_parsed('{"x": 1.54}'), {"x": 1.5}, "") == [".x: 1.54 in the example, 1.5 in the file"]
    assert _agrees(_parsed('{"x": 1.5}'), {"x": 1.54}, "") == []


@shipped_group("embargo_2010")
def test_the_summary_json_example_is_what_embargo_2010_writes():
    """docs/outputs.md: every key and number of the excerpt of summary.json, as the run writes it."""
    example = _example("`stockpile run scenarios/embargo_2010.yaml`:\n")
    real = json.loads(json.dumps(summary_json(shipped_result("embargo_2010"))))
    problems = _agrees(_parsed(example), real, "summary.json")
    assert not problems, "docs/outputs.md's summary.json example:\n" + "\n".join(problems)
    record_columns = list(shipped_result("embargo_2010").summary.columns)
    # the prose: a record holds summary.csv's columns from region to peak_price_date
    assert list(real["records"][0]) == record_columns[: record_columns.index("peak_price_date") + 1]
    assert list(real["agreement"]) == record_columns[record_columns.index("total_shortfall_t") :]


@shipped_group("embargo_2010")
def test_the_manifest_example_is_what_embargo_2010_writes():
    """docs/outputs.md: the manifest's keys and values, no hash (it changes with every edit of the scenario)."""
    shown = json.loads(_example("rather than shown (any edit of the scenario changes it) and `files` cut short:\n"))
    result = shipped_result("embargo_2010")
    made = manifest(result, "reference", run_options([], None, None))  # as the command gives them
    assert set(shown) == set(made) | {"command", "files"}
    varies = ("scenario_hash", "written_at", "made_with")  # made_with: facts of the machine, its keys compared
    assert {key: shown[key] for key in made if key not in varies} == {
        key: value for key, value in made.items() if key not in varies
    }
    assert set(shown["made_with"]) == set(made["made_with"])
    assert set(shown["made_with"]["libraries"]) == set(made["made_with"]["libraries"])
    assert shown["command"] == "run"
    assert not re.fullmatch(r"[0-9a-f]{64}", shown["scenario_hash"]), "a hash that goes stale at the next edit"
    files = sorted(run_files(agreement=True, figures=True, report=False, market=bool(result.structure.market)))
    written = sorted([*files, "manifest.json"])
    assert shown["files"][-1] == "..." and shown["files"][:-1] == written[: len(shown["files"]) - 1]


# --- docs/writing-scenarios.md's override errors --------------------------------------------------


def test_the_override_errors_shown_are_what_run_prints(tmp_path, monkeypatch):
    """'Errors in overrides': the command, its one error line, and the line once the bad path is dropped.

    The file is the page's first scenario with its shock's id changed to ``halt``, as the
    page says; validation refuses it before any run.
    """
    text = (DOCS / "writing-scenarios.md").read_text(encoding="utf-8")
    first = text.split("```yaml\n", 1)[1].split("```", 1)[0]
    body = text.split("Errors in overrides name the override in brackets", 1)[1]
    command, alone, after = (code.strip() for code in re.findall(r"^```\w*\n(.*?)^```", body, re.M | re.S)[:3])
    args = shlex.split(command)
    assert args[:3] == ["stockpile", "run", "bad.yaml"] and args.count("--set") == 2, command
    (tmp_path / "bad.yaml").write_text(re.sub(r"(?m)^  - id: \w+$", "  - id: halt", first, count=1))
    monkeypatch.chdir(tmp_path)
    bad_path = args.index("shocks.nohalt.severity=1")
    runs = [args[1:], args[1 : bad_path - 1] + args[bad_path + 1 :]]
    for argv, shown in zip(runs, (alone, after), strict=True):
        done = CliRunner().invoke(main, [*argv, "--no-plots", "-o", str(tmp_path / "out")])
        assert done.exit_code == 2, done.output
        assert done.stderr.strip() == shown, f"stockpile {shlex.join(argv)} prints:\n{done.stderr}"


# --- docs/getting-started-policy.md's quote of the report's answer ---------------------------------


@shipped_group("embargo_2010")
def test_the_policy_guide_quotes_the_embargo_2010_reports_answer():
    """The box's answer, as the guide quotes it (in italics), opens the report's headline."""
    text = (DOCS / "getting-started-policy.md").read_text(encoding="utf-8")
    quoted = text.split("The box at the top answers *", 1)[1].split("*", 1)[0]
    result = shipped_result("embargo_2010")
    answer = one_run_headline(Run.of(result), headline(Run.of(result), Run.of(shipped_alone("embargo_2010"))))
    plain = html.unescape(re.sub(r"<[^>]+>", "", answer)).replace("\u00a0", " ")
    assert plain.startswith(" ".join(quoted.split())), f"the report's answer now reads: {plain}"


# --- docs/ci.md's drift report ------------------------------------------------------------------

TIMING = re.compile(r"checked in [0-9.]+ s")


@pytest.mark.xdist_group("docs-quota-cut")
def test_the_drift_report_shown_is_what_check_prints(tmp_path, monkeypatch):
    """'Reading a drift report': embargo_2010_historical's 2011 quota cut from 20,223 t to 18,200 t.

    Every line of the (shortened) output shown is a line check prints, in its order (the
    time taken aside), and every count of moved numbers the page gives for this example
    is the one check gives. Two scenarios, checked in this process (``--workers 1``).
    """
    _quota_cut(tmp_path, monkeypatch)
    done = CliRunner().invoke(main, ["check", "--workers", "1"])
    assert done.exit_code == 1, done.output
    page = (DOCS / "ci.md").read_text(encoding="utf-8")
    _shown_in_order(page, "## Reading a drift report\n", done.output)
    (moved,) = re.findall(r"embargo_2010_historical: ([0-9]+) numbers? moved", done.output)
    # the Markdown example escapes the _ (china\_quota\_2011)
    counts = re.findall(r"([0-9]+) numbers? moved[^\n]*shocks\.china\\?_quota\\?_2011", page)
    assert len(counts) == 4 and set(counts) == {moved}, f"check says {moved} numbers moved; docs/ci.md says {counts}"


_RECORDS: dict[str, dict[str, Any]] = {}
"""check's record of each scenario these tests check, by the scenario as JSON (see :func:`_quota_cut`)."""


def _record_once(scenario: Scenario) -> dict[str, Any]:
    """:func:`simulator.gate.baseline.run_record` of ``scenario``, made once per process; a fresh copy each time."""
    key = scenario.model_dump_json()
    if key not in _RECORDS:
        _RECORDS[key] = run_record(scenario)
    return copy.deepcopy(_RECORDS[key])


def _quota_cut(tmp_path: Path, monkeypatch: Any) -> None:
    """A folder of embargo_2010_historical (its 2011 quota cut from 20,223 t to 18,200 t) and embargo_2010_scarce,
    with their shipped baselines, made the working folder.

    The four checks of this folder (one per output format) run each scenario once between them: a
    scenario's record is a function of the scenario (what check itself rests on), so each check after
    the first is given a copy of the record the first made (the tests share
    ``xdist_group("docs-quota-cut")``), and compares and prints its own report from it.
    """
    monkeypatch.setattr("simulator.gate.compare.run_record", _record_once)
    root = Path(__file__).resolve().parent.parent
    (tmp_path / "scenarios" / "baselines").mkdir(parents=True)
    for name in ("embargo_2010_historical", "embargo_2010_scarce"):
        text = (root / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
        if name == "embargo_2010_historical":
            assert text.count("\n    tonnes_per_period: 20223\n") == 1
            text = text.replace("\n    tonnes_per_period: 20223\n", "\n    tonnes_per_period: 18200\n")
        (tmp_path / "scenarios" / f"{name}.yaml").write_text(text, encoding="utf-8")
        baseline = root / "scenarios" / "baselines" / f"{name}.json"
        (tmp_path / "scenarios" / "baselines" / baseline.name).write_bytes(baseline.read_bytes())
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("GITHUB_WORKSPACE", raising=False)  # annotations name files as given


def _shown_in_order(page: str, after: str, output: str) -> None:
    """Every line of the first ``text`` block of ``page`` after ``after`` is a line ``output`` prints, in order.

    The time taken aside; a line ``...`` alone stands for lines left out.
    """
    printed = [TIMING.sub("checked in _ s", line.rstrip()) for line in output.splitlines()]
    shown = page.split(after, 1)[1].split("```text\n", 1)[1].split("```", 1)[0].splitlines()
    at = 0
    for line in shown:
        line = TIMING.sub("checked in _ s", line.rstrip())
        if line == "...":
            continue
        assert line in printed[at:], f"docs/ci.md shows a line check does not print (in this order):\n{line}"
        at = printed.index(line, at) + 1


@pytest.mark.xdist_group("docs-quota-cut")
def test_the_quiet_github_and_markdown_examples_are_what_check_prints(tmp_path, monkeypatch):
    """'Output formats': the -q, annotation and Markdown examples of the same quota cut, line for line."""
    _quota_cut(tmp_path, monkeypatch)
    page = (DOCS / "ci.md").read_text(encoding="utf-8")
    for options, after in (
        (["-q"], "With `--quiet`, for the\nexample of [Reading a drift report](#reading-a-drift-report):\n"),
        (["--format", "github"], "**GitHub annotations.**"),
        (["--format", "markdown"], "**Markdown.**"),
    ):
        done = CliRunner().invoke(main, ["check", "--workers", "1", *options])
        assert done.exit_code == 1, done.output
        _shown_in_order(page, after, done.output)
