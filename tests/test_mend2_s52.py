"""Fixes from review 2 of session 52 (folder inputs, signals, record checks, report wording)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import TINY_SCENARIO_TEXT

ROOT = Path(__file__).resolve().parents[1]

CTRL_C_AT = """
import os, signal, sys

real_unlink = os.unlink

def unlink(path, *args, **kwargs):
    if "{when}" == "check" and ".write-check-" in str(path):  # the check's file is being removed
        os.kill(os.getpid(), signal.SIGINT)
    return real_unlink(path, *args, **kwargs)

os.unlink = unlink  # before tempfile is imported: it binds os.unlink when it is
import simulator.scenario as scenario

real_load = scenario.load_raw

def load_raw(*args, **kwargs):
    if "{when}" == "load":  # the scenario is being read
        os.kill(os.getpid(), signal.SIGINT)
    return real_load(*args, **kwargs)

scenario.load_raw = load_raw
from simulator.cli import main
main(sys.argv[1:], prog_name="stockpile")
"""


def _ctrl_c(when: str, args: list[str]) -> subprocess.CompletedProcess[str]:
    code = CTRL_C_AT.replace("{when}", when)
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300, cwd=ROOT)


EXPLORE = ["explore", "scenarios/long_embargo_6m.yaml", "--axis", "shocks.china_embargo.severity=0.5,1"]


def test_explore_interrupted_at_its_write_check_leaves_nothing_and_exits_130(tmp_path):
    """M1: explore's write check ran before its signal handlers: Ctrl-C there left the check's
    file and folder and ended "Aborted!" with exit 1."""
    child = _ctrl_c("check", [*EXPLORE, "-o", str(tmp_path / "new" / "e.html")])
    assert child.returncode == 130, child.stderr
    assert child.stderr.strip().splitlines()[-1] == "explore interrupted by SIGINT: nothing written"
    assert list(tmp_path.iterdir()) == []


def test_explore_interrupted_while_reading_the_scenario_exits_130(tmp_path):
    """M1: the reading of the scenario is covered too (it was before the handlers)."""
    child = _ctrl_c("load", [*EXPLORE, "-o", str(tmp_path / "e.html")])
    assert child.returncode == 130, child.stderr
    assert "Aborted!" not in child.stderr
    assert list(tmp_path.iterdir()) == []


def test_check_interrupted_at_the_junit_write_check_leaves_nothing(tmp_path):
    """M1: check's write check ran under its own SIGTERM handler only, not interruptible():
    Ctrl-C as the check removed its file left it (and the folder it made) behind."""
    scenario = ROOT / "scenarios" / "long_embargo_6m.yaml"
    child = _ctrl_c("check", ["check", str(scenario), "--junit", str(tmp_path / "new" / "junit.xml")])
    assert child.returncode == 130, child.stderr
    assert "check interrupted by Ctrl-C after 0 scenarios checked; no report written" in child.stdout
    assert list(tmp_path.iterdir()) == []


def _positional_embargo_2010(tmp_path: Path) -> Path:
    """embargo_2010 with two uncertain paths naming their shock by position, not by id."""
    from simulator.scenario import load_scenario

    text = (ROOT / "scenarios" / "embargo_2010.yaml").read_text()
    ids = [s.id for s in load_scenario(ROOT / "scenarios" / "embargo_2010.yaml").shocks]
    for shock, field in (("china_japan_halt", "leak_share"), ("china_quota_2011", "tonnes_per_period")):
        written = f"path: shocks.{shock}.{field}"
        assert written in text
        text = text.replace(written, f"path: shocks.{ids.index(shock)}.{field}")
    path = tmp_path / "positional.yaml"
    path.write_text(text)
    return path


def test_held_fixed_matches_an_uncertain_path_that_names_its_shock_by_position(tmp_path):
    """M2: the held-fixed row compared paths as written, so a sampled shock field given by
    position (shocks.1.leak_share) was listed as held fixed; written either way, the list is
    the same 29 inputs (docs/uncertainty.md) and has neither sampled field."""
    from simulator.report.uncertainty import held_fixed
    from simulator.scenario import load_scenario

    by_id = held_fixed(load_scenario(ROOT / "scenarios" / "embargo_2010.yaml"))
    by_position = held_fixed(load_scenario(_positional_embargo_2010(tmp_path)))
    assert len(by_id) == 29
    assert by_position == by_id
    assert "shocks.china_japan_halt.leak_share" not in by_position
    assert "shocks.china_quota_2011.tonnes_per_period" not in by_position


def test_a_folders_scenario_json_is_reproduced_into_another_folder_as_the_docs_say(tmp_path):
    """M3: a command never overwrites its own input, so a folder's scenario.json run again into
    the same folder is refused even with --force; docs/outputs.md said scenario.json reproduces
    the folder without saying where, and its --force paragraph did not give this case."""
    from click.testing import CliRunner

    from simulator.cli import main

    runner = CliRunner()
    first, again = tmp_path / "out1", tmp_path / "out2"
    scenario = ROOT / "scenarios" / "long_embargo_6m.yaml"
    assert runner.invoke(main, ["run", str(scenario), "-o", str(first), "--no-plots"]).exit_code == 0
    own = first / "scenario.json"
    refused = runner.invoke(main, ["run", str(own), "-o", str(first), "--no-plots", "--force"])
    assert refused.exit_code == 2
    assert "write the output to another folder" in refused.output
    assert runner.invoke(main, ["run", str(own), "-o", str(again), "--no-plots"]).exit_code == 0
    assert (again / "summary.csv").read_bytes() == (first / "summary.csv").read_bytes()
    docs = " ".join((ROOT / "docs" / "outputs.md").read_text().split())
    assert (
        "(`stockpile run DIR/scenario.json -o DIR2`, `stockpile compare DIR/scenario.json -o DIR2`): a command never "
        "overwrites its own input"
    ) in docs
    assert (
        "a folder's own `scenario.json` run again into the same folder (`stockpile run DIR/scenario.json -o DIR`)"
        in docs
    )


def test_a_command_puts_the_matplotlib_logger_level_back(tmp_path):
    """L6: main() set the matplotlib logger to ERROR for the rest of the process, so after an
    in-process command the API's Matplotlib logging stayed silenced."""
    import logging

    from click.testing import CliRunner

    from simulator.cli import main

    logger = logging.getLogger("matplotlib")
    before = logger.level
    try:
        logger.setLevel(logging.INFO)
        result = CliRunner().invoke(main, ["validate", str(ROOT / "scenarios" / "long_embargo_6m.yaml")])
        assert result.exit_code == 0, result.output
        assert logger.level == logging.INFO
    finally:
        logger.setLevel(before)


def test_the_held_fixed_row_says_a_shocks_drawn_value_is_not_held():
    """L1: embargo_stochastic's row listed start.low, duration_days.sd and severity.high under
    "Held fixed, not sampled", so a reader could take the embargo's start as fixed; it is drawn
    in every run, and the row now says only the parameters listed are held."""
    from simulator.report.uncertainty import _held_fixed_row, held_fixed
    from simulator.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "embargo_stochastic.yaml")
    shock = "shocks.china_embargo_both"
    drawn = [p for p in held_fixed(scenario) if p.startswith(f"{shock}.")]
    assert drawn == [f"{shock}.start.low", f"{shock}.duration_days.sd", f"{shock}.severity.high"]
    row = _held_fixed_row(scenario)
    assert (
        f"Of <code>{shock}.start</code>, <code>{shock}.duration_days</code> and <code>{shock}.severity</code>, "
        "drawn in every run, only the parameters listed are held, not the draws." in row
    )
    # a scenario without drawn shocks has no such sentence
    assert "drawn in every run" not in _held_fixed_row(load_scenario(ROOT / "scenarios" / "embargo_2010.yaml"))


def test_the_held_fixed_note_names_the_materials_and_the_agreement_too():
    """L2: the note said only the regions' and suppliers' figures are held besides the list;
    embargo_2010's material prices (and its agreement's ratio) are held too, unlisted."""
    from simulator.report.uncertainty import _held_fixed_row, held_fixed
    from simulator.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "embargo_2010.yaml")
    assert scenario.materials["light_ree"].price_usd_per_kg is not None
    assert not [p for p in held_fixed(scenario) if p.startswith(("materials.", "agreement."))]
    said = "The regions\u2019, suppliers\u2019, materials\u2019 and the agreement\u2019s figures not marked uncertain"
    assert said in _held_fixed_row(scenario)
    docs = " ".join((ROOT / "docs" / "uncertainty.md").read_text().split())
    assert "The regions', suppliers', materials' and the agreement's figures not listed are held too." in docs


def test_the_signals_paragraph_says_what_the_commands_print():
    """L3: docs/outputs.md said the single-file commands print "the same line" as report (check
    and explore print their own) and that a swallowed signal is sent again "at once" (it is sent
    again IMPORT_WAIT_S later)."""
    from simulator.interrupt import IMPORT_WAIT_S

    docs = " ".join((ROOT / "docs" / "outputs.md").read_text().split())
    assert f"is sent again {IMPORT_WAIT_S * 1000:g} ms later" in docs
    assert "sent again at once" not in docs and "the same line (`report interrupted" not in docs
    # each line as the command prints it (the M1 tests above run explore and check to see them)
    for line in (
        "`report interrupted by SIGINT`",
        "`explore interrupted by SIGINT: nothing written`",
        "`check interrupted by Ctrl-C after 3 scenarios checked; no report written`",
    ):
        assert line in docs


def test_run_result_write_never_writes_over_the_scenario_it_was_read_from(tmp_path):
    """L7: RunResult.write passed only its record as an input, so a run read from a folder's
    file could overwrite that file with force=True, which the CLI refuses."""

    import pytest

    import simulator
    from simulator.errors import InputError

    folder = tmp_path / "out"
    folder.mkdir()
    scenario = folder / "summary.csv"  # the scenario under the name of a file run writes
    scenario.write_text(TINY_SCENARIO_TEXT)  # any scenario: the file is what is protected
    before = scenario.read_bytes()
    result = simulator.run(scenario)
    assert result.source == str(scenario)
    with pytest.raises(InputError, match="is the input"):
        result.write(folder, plots=False, force=True)
    assert scenario.read_bytes() == before
    # data given, not a file: nothing to protect
    assert simulator.run(result.data).source is None


def test_iea_ess_supply_measure_is_worded_once_as_the_code_passes_it():
    """N8: iea_ess's supply was worded four ways ("by the IEP's rules", "what its stock can give",
    "what a member's commercial stock gives", "commercial-stock draw"); the code passes today's
    actual draw (supplied_t), and the docstring, the mechanism's description, the report's rule
    section and release-rules.md now say it in one wording."""
    import inspect

    from simulator.mechanisms import MECHANISMS
    from simulator.release import ess

    words = "what a member drew from its commercial stock each day"
    assert "x.supplied_t + x.gaps_t,\n        x.supplied_t," in inspect.getsource(ess.allocate_iea_ess)
    assert words in " ".join(ess.iea_ess.__doc__.split())
    assert words in next(m for m in MECHANISMS if m.name == "iea_ess").description
    # the report's rule section: test_the_iea_ess_rule_says_its_supply_is_commercial_stock_not_the_ieps_arrivals
    # (test_cal_report_s52.py) asserts its text
    table_row = next(
        line for line in (ROOT / "docs" / "release-rules.md").read_text().splitlines() if line.startswith("| `iea_ess`")
    )
    assert words in table_row


def test_output_folders_docstrings_name_every_input_the_cli_passes():
    """N9: the module docstring and open_folder's listed the inputs as scenario, --record,
    --compare, --spec, leaving out --explorer, which run --report passes (as outputs.md says)."""
    import simulator.output_folder as output_folder

    for doc in (output_folder.__doc__, output_folder.open_folder.__doc__):
        assert "``--record``, ``--compare``, ``--explorer``, ``--spec``" in doc


def test_no_docs_paragraph_runs_on_from_a_closing_fence():
    """N10: outputs.md resumed its paragraph right after a closing fence, with a leading space
    (" A manifest counts only if it"); a closing fence is followed by a blank line (or the end)."""
    import glob

    run_on = []
    for path in sorted(glob.glob(str(ROOT / "docs" / "*.md"))):
        lines = Path(path).read_text().splitlines()
        inside = False
        for at, line in enumerate(lines):
            if line.lstrip().startswith("```"):
                if inside and at + 1 < len(lines) and lines[at + 1].strip():
                    run_on.append(f"{Path(path).name}:{at + 2}: {lines[at + 1][:40]!r}")
                inside = not inside
    assert run_on == []


@pytest.mark.parametrize(
    ("header", "said"),
    [
        (
            "date;quantity;region;material;value",
            "its columns are separated by ';': save it with commas (date, quantity, region, material, value)",
        ),
        (
            "date\tquantity\tregion\tmaterial\tvalue",
            "its columns are separated by tabs: save it with commas (date, quantity, region, material, value)",
        ),
        (
            "DATE,QUANTITY,REGION,MATERIAL,VALUE",
            "column names are lower case: write date, quantity, region, material, value "
            "(need date, quantity, region, material, value)",
        ),
    ],
)
def test_a_record_with_semicolons_or_upper_case_names_is_told_how_to_mend_it(tmp_path, header, said):
    """L5: such a record was told it "is not a record" (its first line names none of the columns)."""
    from simulator.calibrate import read_record
    from simulator.errors import InputError
    from simulator.scenario import load_scenario

    scenario = load_scenario(ROOT / "scenarios" / "embargo_2010_historical.yaml")
    separator = ";" if ";" in header else "\t" if "\t" in header else ","
    path = tmp_path / "record.csv"
    path.write_text(f"{header}\n2010-07-26{separator}price{separator}world{separator}heavy_ree{separator}280\n")
    with pytest.raises(InputError) as caught:
        read_record(path, scenario)
    assert str(caught.value) == f"{path}: {said}"


def test_a_records_hidden_problems_say_how_many_are_in_the_rows_named():
    """N4: "and 29 more problem(s), in rows 12 to 39" read as if every hidden problem were a row's,
    though one (a series with no row) was not: 28 of the 29 are."""
    from simulator.calibrate import PROBLEMS_SHOWN, _at_most
    from simulator.errors import Problem

    rows = [Problem(f"row {k}.date", "outside the horizon") for k in range(2, 40)]  # 38 problems, rows 2 to 39
    shown = _at_most([*rows, Problem("price.world", "no such series")])
    assert len(shown) == PROBLEMS_SHOWN + 1 == 11
    assert shown[-1].render("r.csv") == "r.csv: and 29 more problem(s), 28 of them in rows 12 to 39"
    assert _at_most(rows)[-1].render("r.csv") == "r.csv: and 28 more problem(s), in rows 12 to 39"


def test_a_sweep_interrupted_before_its_folder_exists_claims_no_chunks_kept(tmp_path):
    """Outside the commits reviewed: a sweep stopped while it read its scenario said "0 finished
    chunks kept in DIR/.chunks; run the same command to resume", of a folder never made."""
    out = tmp_path / "sw"
    child = _ctrl_c("load", ["sweep", *EXPLORE[1:2], "--grid", "shocks.china_embargo.severity=0.5,1", "-o", str(out)])
    assert child.returncode == 130, child.stderr
    assert child.stderr.strip().splitlines()[-1] == "sweep interrupted by SIGINT: nothing written"
    assert not out.exists()


def test_a_report_with_set_does_not_open_with_the_scenario_as_written(tmp_path):
    """Outside the commits reviewed: a report run with --set opened its headline "In the scenario
    as written", though the run is not at the values the scenario writes."""
    import re

    import yaml
    from click.testing import CliRunner

    from simulator.cli import main
    from tests.helpers import TWO_MEMBERS, build

    # the two members' 60 days, with an uncertain input: the headline is led by the words for the run
    scenario = tmp_path / "pair.yaml"
    uncertain = [{"path": "regions.eu.demand.ree.tonnes_per_day", "low": 60, "high": 100, "source": "test"}]
    scenario.write_text(yaml.safe_dump(build(TWO_MEMBERS, uncertain=uncertain)))

    def headline(*more: str) -> str:
        page = tmp_path / f"r{len(more)}.html"
        args = ["report", str(scenario), "-o", str(page), *more]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        found = re.search(r'<p class="headline">(.*?)</p>', page.read_text(), re.DOTALL)
        assert found is not None
        return re.sub(r"<[^>]+>", "", found.group(1))

    assert headline().startswith("In the scenario as written \u2014 ")
    changed = headline("--set", "shocks.halt.severity=0")
    assert changed.startswith("In the scenario as changed for this run \u2014 ")


@pytest.mark.parametrize("link", ["symbolic", "hard"])
def test_a_link_to_an_input_at_an_outputs_name_is_refused_as_the_docs_say(tmp_path, link):
    """L4: a link at an output's name to an input elsewhere is refused even with --force, though
    writing would replace only the link; kept (conservative) and now written down."""
    import os
    import shutil

    from click.testing import CliRunner

    from simulator.cli import main

    scenario = tmp_path / "in.yaml"
    shutil.copy(ROOT / "scenarios" / "long_embargo_6m.yaml", scenario)
    out = tmp_path / "out"
    out.mkdir()
    (os.symlink if link == "symbolic" else os.link)(scenario, out / "summary.csv")
    done = CliRunner().invoke(main, ["run", str(scenario), "-o", str(out), "--no-plots", "--force"])
    assert done.exit_code == 2
    assert f"is the input {scenario}" in done.output
    docs = " ".join((ROOT / "docs" / "outputs.md").read_text().split())
    assert "a link (symbolic or hard) in `DIR` to an input elsewhere is refused too" in docs


def test_an_input_in_the_output_folder_under_a_name_no_output_uses_still_runs(tmp_path):
    """N7 (a missing test): the inputs rule refuses only an input at a name the command writes or
    the manifest lists; one kept in the folder under another name runs, and is left as it was."""

    from click.testing import CliRunner

    from simulator.cli import main

    out = tmp_path / "out"
    out.mkdir()
    scenario = out / "my_scenario.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)  # any scenario: where it is kept is what is tested
    before = scenario.read_bytes()
    done = CliRunner().invoke(main, ["run", str(scenario), "-o", str(out), "--no-plots"])
    assert done.exit_code == 0, done.output
    assert (out / "summary.csv").is_file() and scenario.read_bytes() == before
