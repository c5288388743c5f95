"""Error messages: list items named by id, settings named as each front end spells them, limits of 0 refused."""

from __future__ import annotations

import math
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml

import simulator
from simulator.errors import InputError, ScenarioError
from simulator.scenario import validate_data
from simulator.scenario.load import STARTING_POINT
from simulator.scenario.schema import Shock
from tests.helpers import ONE_REGION, ROOT, TINY_SCENARIO_TEXT, TWO_MEMBERS, assert_bad_input, build, invoke


def embargo(ident: str, start: int, end: int, **extra: Any) -> dict[str, Any]:
    """A full embargo of china on japan from day ``start`` to day ``end``."""
    return {
        "id": ident,
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": start,
        "end": end,
        **extra,
    }


THREE_SHOCKS = build(ONE_REGION, shocks=[embargo("first_halt", 1, 3), embargo("second_halt", 5, 7)])
"""ONE_REGION with two valid shocks; a test appends a third (position 2)."""


def with_third(shock: dict[str, Any]) -> dict[str, Any]:
    return build(THREE_SHOCKS, shocks=[*THREE_SHOCKS["shocks"], shock])


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


# --- defect 1: list items named by id, not by position ----------------------------------------------

LATE_END = embargo("late_halt", 9, 5)
"""Ends on day 5, before its start on day 9: 'must be after start (day 5 <= day 9)'."""


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_cross_field_problem_names_the_shock_by_its_id(tmp_path, command):
    path = write(tmp_path, with_third(LATE_END))
    extra = ["-o", tmp_path / "out"] if command == "run" else []
    result = invoke(command, path, *extra)
    assert_bad_input(result, f"{path}: shocks.late_halt.end: must be after start (day 5 <= day 9)")
    assert "shocks.2" not in result.output


def test_a_field_problem_names_the_shock_by_its_id(tmp_path):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12, severity=1.5)))
    result = invoke("run", path, "-o", tmp_path / "out")
    assert_bad_input(result, f"{path}: shocks.late_halt.severity: must be <= 1")
    assert "shocks.2" not in result.output


def test_set_by_position_is_reported_by_id(tmp_path):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12)))
    result = invoke("run", path, "-o", tmp_path / "out", "--set", "shocks.2.end=5")
    assert_bad_input(result, f"{path} [set shocks.2.end=5]: shocks.late_halt.end: must be after start (day 5 <= day 9)")


@pytest.mark.parametrize("given", ["shocks.2.end", "shocks.-1.end", "shocks.late_halt.end"])
def test_sweep_set_names_the_set_and_the_shock_by_id(tmp_path, given):
    path = write(tmp_path, with_third(embargo("late_halt", 9, 12)))
    out = tmp_path / "out"
    result = invoke("sweep", path, "--grid", "shocks.first_halt.severity=0.5,1", "--set", f"{given}=5", "-o", out)
    # the fixed value is the culprit, not the first grid point
    assert_bad_input(result, f"{path} [set {given}=5]: shocks.late_halt.end: must be after start (day 5 <= day 9)")
    assert not out.exists()


SHOCK_OF_EACH_KIND = {
    "embargo": {"supplier": "china", "regions": ["japan"], "severity": 2.0},
    "quota_cut": {"supplier": "china", "severity": 2.0},
    "delay": {"supplier": "china", "extra_days": -1},
    "demand_surge": {"factor": -1.0},
    "export_quota": {"supplier": "china", "tonnes_per_period": 100.0, "period_days": 0},
    "licensing": {"supplier": "china", "approval_share": 2.0},
}
"""One bad field per shock kind (the last key of each)."""


def test_every_shock_kind_has_a_bad_field_case():
    assert set(SHOCK_OF_EACH_KIND) == {
        typing.get_args(m.model_fields["kind"].annotation)[0] for m in typing.get_args(typing.get_args(Shock)[0])
    }


@pytest.mark.parametrize(("kind", "fields"), SHOCK_OF_EACH_KIND.items(), ids=list(SHOCK_OF_EACH_KIND))
def test_a_bad_field_of_any_shock_kind_is_named_as_set_would_name_it(kind, fields):
    """Pydantic puts the kind in the error's location (``shocks.2.export_quota.period_days``); the
    message leaves it out, for every kind, so the path can be pasted into ``--set``."""
    data = with_third({"id": "odd", "kind": kind, "start": 1, "end": 3, **fields})
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert f"s.yaml: shocks.odd.{list(fields)[-1]}: " in caught.value.render()


def test_the_python_api_names_the_shock_by_its_id():
    with pytest.raises(ScenarioError) as caught:
        simulator.run(with_third(LATE_END))
    assert str(caught.value) == "<scenario data>: shocks.late_halt.end: must be after start (day 5 <= day 9)"


def test_shocks_sharing_an_id_keep_their_positions():
    # an id two shocks share names neither: the positions tell them apart
    with pytest.raises(ScenarioError) as caught:
        simulator.run(with_third(embargo("first_halt", 9, 12)))
    assert [p.render(None) for p in caught.value.problems] == ["shocks.2.id: duplicate shock id 'first_halt'"]


# --- defect 2: the Python API names its arguments, the command line its options ------------------

HALT_SEVERITY = "shocks.halt.severity"
"""A path of TWO_MEMBERS's one shock."""
POOL_JAPAN = "agreement.pool.contributions.japan.ree.tonnes"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (  # 2 x 2 = 4 points against a limit of 3
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: [0.5, 1], POOL_JAPAN: [1, 2]}, max_points=3),
            "grid: 2 x 2 = 4 grid points, more than 3 (raise max_points=)",
        ),
        (  # 2 points x 2 runs = 4 runs against a limit of 3
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: [0.5, 1]}, runs=2, max_runs=3),
            "runs: 2 points x 2 runs = 4 runs, more than 3 (raise max_runs=)",
        ),
        (  # 0, 0.5 and 1: three values against a limit of 2
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: "0:1:0.5"}, max_points=2),
            "grid['shocks.halt.severity']: '0:1:0.5' has 3 values, more than a grid may have points "
            "(2; raise max_points=)",
        ),
        (
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: [0.2, 0.5, 1]}, max_points=2),
            "grid['shocks.halt.severity']: 3 values, more than a grid may have points (2; raise max_points=)",
        ),
        (
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: "0:x:0.5"}),
            "grid['shocks.halt.severity']: 'x' is not a number",
        ),
        (
            lambda: simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: []}),
            "grid['shocks.halt.severity']: no values given",
        ),
        (lambda: simulator.run(TWO_MEMBERS, set=["horizon_days"]), "set: expected PATH=VALUE, got 'horizon_days'"),
        (lambda: simulator.run(TWO_MEMBERS, set=["horizon_days=[1"]), "set['horizon_days']: "),
        (lambda: simulator.compare(TWO_MEMBERS, "lottery"), "mechanisms: unknown mechanism(s) lottery (known: "),
        (lambda: simulator.check(rtol=math.inf), "rtol: must be a finite number >= 0, not inf"),
        (lambda: simulator.check(atol=-1.0), "atol: must be a finite number >= 0, not -1.0"),
        (
            lambda: simulator.run(
                build(TWO_MEMBERS, uncertain=[{"path": "horizon_days", "source": "assumption", "low": 50, "high": 60}])
            ),
            "(give the horizon with set=)",
        ),
    ],
)
def test_python_messages_name_the_argument_not_the_option(call, message):
    with pytest.raises(InputError) as raised:
        call()
    assert str(raised.value).startswith(message) or message in str(raised.value), str(raised.value)
    assert "--" not in str(raised.value)


def test_write_advises_force_as_an_argument(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "summary.csv").write_text("my own notes\n")
    with pytest.raises(InputError) as raised:
        simulator.run(TWO_MEMBERS).write(tmp_path / "out", plots=False)
    assert str(raised.value).endswith("pass force= to overwrite it")


def test_report_names_its_explorer_argument(tmp_path):
    page = tmp_path / "explorer.html"
    page.write_text("<html>not a page of stockpile explore</html>")
    with pytest.raises(InputError) as raised:
        simulator.report(TWO_MEMBERS, tmp_path / "r.html", explorer=page)
    assert str(raised.value) == f"{page}: explorer: cannot link it: not an explorer page written by stockpile explore"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--grid", f"{HALT_SEVERITY}=0.5,1", "--grid", f"{POOL_JAPAN}=1,2", "--max-points", "3"],
            "error: --grid: 2 x 2 = 4 grid points, more than 3 (raise --max-points)",
        ),
        (
            ["--grid", f"{HALT_SEVERITY}=0.5,1", "--runs", "2", "--max-runs", "3"],
            "error: --runs: 2 points x 2 runs = 4 runs, more than 3 (raise --max-runs)",
        ),
        (["--grid", f"{HALT_SEVERITY}=0:x:0.5"], "error: --grid shocks.halt.severity: 'x' is not a number"),
        (["--grid", HALT_SEVERITY], f"error: --grid: expected PATH=SPEC, got '{HALT_SEVERITY}'"),
        (["--set", "horizon_days"], "error: --set: expected PATH=VALUE, got 'horizon_days'"),
    ],
)
def test_the_command_line_still_names_its_options(tmp_path, args, message):
    result = invoke("sweep", write(tmp_path, TWO_MEMBERS), *args, "-o", tmp_path / "out")
    assert_bad_input(result, message)


# --- defect 3: a limit of 0 is bad input, not the default -------------------------------------------


@pytest.mark.parametrize("name", ["max_points", "max_runs"])
@pytest.mark.parametrize("value", [0, -1, 2.5, True])
def test_a_sweep_limit_below_one_or_not_whole_is_refused(name, value):
    with pytest.raises(InputError) as raised:
        simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: [0.5, 1]}, workers=1, **{name: value})
    assert str(raised.value) == f"{name}: must be a whole number >= 1, got {value!r}"


@pytest.mark.parametrize("name", ["max_points", "max_runs"])
def test_a_sweep_limit_of_none_is_the_default(name):
    # two points, one run each: far below 100,000 points and 10,000,000 runs
    table = simulator.sweep(TWO_MEMBERS, {HALT_SEVERITY: [0.5, 1]}, workers=1, **{name: None})
    assert table[HALT_SEVERITY].tolist() == [0.5, 1.0]


@pytest.mark.parametrize("option", ["--max-points", "--max-runs"])
@pytest.mark.parametrize("value", ["0", "-1"])
def test_the_command_refuses_a_limit_below_one(tmp_path, option, value):
    out = tmp_path / "out"
    result = invoke("sweep", write(tmp_path, TWO_MEMBERS), "--grid", f"{HALT_SEVERITY}=0.5,1", option, value, "-o", out)
    assert_bad_input(result, option, f"{value} is not in the range x>=1")
    assert not out.exists()


def test_an_error_from_a_worker_process_is_still_worded_by_the_front_end():
    import pickle

    from simulator.errors import Problem, setting

    sent = ScenarioError([Problem(setting("grid"), f"too large (raise {setting('max_points')})")], "s.yaml")
    back = pickle.loads(pickle.dumps(sent))
    assert type(back) is ScenarioError and str(back) == "s.yaml: --grid: too large (raise --max-points)"
    assert str(back.in_python_words()) == "s.yaml: grid: too large (raise max_points=)"


@pytest.mark.parametrize(
    ("where", "key", "message"),
    [
        ("uncertain", "low", "uncertain.0.low: unknown key for 'lognormal'"),
        ("shock", "tonnes_per_period", "shocks.first_halt.tonnes_per_period: unknown key for 'embargo'"),
        ("shock", "tonnes_per_dya", "shocks.first_halt.tonnes_per_dya: unknown key; did you mean 'tonnes_per_day'?"),
    ],
)
def test_a_key_of_another_kind_of_entry_is_named_as_such_not_suggested_as_itself(where, key, message):
    """'low' on a lognormal entry used to read "unknown key; did you mean 'low'?"."""
    if where == "uncertain":
        entry = {"path": "regions.japan.demand.ree.tonnes_per_day", "source": "a", "distribution": "lognormal"}
        data = build(THREE_SHOCKS, uncertain=[{**entry, "mean": 10, "sd": 2, key: 1}])
    else:
        data = build(THREE_SHOCKS, shocks=[{**THREE_SHOCKS["shocks"][0], key: 5}, THREE_SHOCKS["shocks"][1]])
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert f"s.yaml: {message}" in caught.value.render()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (30, "must be <= 1 (a share: 30% is 0.3)"),
        (2.5, "must be <= 1 (a share: 2.5% is 0.025)"),
        (1.5, "must be <= 1"),
        (300, "must be <= 1"),
    ],
)
def test_a_share_written_as_a_percentage_is_told_how_to_write_it(value, message):
    data = with_third({"id": "odd", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 1,
                       "end": 3, "severity": value})  # fmt: skip
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert caught.value.render().endswith(f"s.yaml: shocks.odd.severity: {message}")


def test_a_window_ending_before_it_starts_gives_the_dates_when_the_scenario_has_them():
    data = build(with_third(LATE_END), start_date="2010-07-01")
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert (
        "shocks.late_halt.end: must be after start (2010-07-06 (day 5) <= 2010-07-10 (day 9))" in caught.value.render()
    )


def test_a_number_where_a_mapping_of_fields_is_needed_is_shown_the_field_to_use():
    data = build(THREE_SHOCKS, regions__japan__demand={"ree": 0.2})
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert "s.yaml: regions.japan.demand.ree: must be a mapping of fields, not 0.2: e.g. {tonnes_per_day: 0.2}" in (
        caught.value.render()
    )


@pytest.mark.parametrize(("written", "meant"), [("Ree", "ree"), ("Light REE", "light_ree"), ("light-ree", "light_ree")])
def test_an_id_with_capitals_or_spaces_is_shown_the_id_it_may_mean(written, meant):
    data = with_third({**embargo("odd", 1, 3), "materials": [written]})
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    assert f"shocks.odd.materials.0: must be lower-case letters, digits and '_', starting with a letter; " \
        f"did you mean '{meant}'?" in caught.value.render()  # fmt: skip


# --- defect 4: every line of a bad-input message says error:, whichever command printed it ----------

TWO_PROBLEMS = build(ONE_REGION, materials__ree__price_usd_per_kg=-50, regions__japan__demand__ree__tonnes_per_day=-10)
"""ONE_REGION (no agreement) with a negative price and a negative demand: two schema problems."""

COMMANDS_WITH_A_SCENARIO = {
    "run": [],
    "report": [],
    "compare": [],  # the scenario's own problems come before "no agreement"
    "sweep": ["--grid", "horizon_days=30,40"],
    "explore": ["--axis", "horizon_days=30,40"],
    "sensitivity": ["--samples", "4"],
    "calibrate": ["--fit", "horizon_days=30:40"],
}
"""What each command needs besides SCENARIO and -o (calibrate's --record is added in the test)."""


@pytest.mark.parametrize("command", [*COMMANDS_WITH_A_SCENARIO, "validate"])
def test_each_problem_of_a_scenario_is_a_line_of_its_own_starting_with_error(tmp_path, command):
    path = write(tmp_path, TWO_PROBLEMS)
    args = [*COMMANDS_WITH_A_SCENARIO.get(command, [])]
    if command == "calibrate":
        record = tmp_path / "record.csv"
        record.write_text("date,quantity,value\n2010-07-01,stock.japan.ree,100\n")
        args += ["--record", record]
    if command != "validate":
        args += ["-o", tmp_path / "out"]
    # a grid is checked on its first point: the sweep and the explorer name it
    label = {"sweep": " [horizon_days=30]", "explore": " [horizon_days=30]"}.get(command, "")
    result = invoke(command, path, *args)
    assert result.exit_code == 2
    assert result.output == (
        f"error: {path}{label}: materials.ree.price_usd_per_kg: must be >= 0\n"
        f"error: {path}{label}: regions.japan.demand.ree.tonnes_per_day: must be >= 0\n"
    )
    assert not (tmp_path / "out").exists()


def test_validate_says_ok_for_a_good_file_and_error_for_each_problem_of_a_bad_one(tmp_path):
    good = tmp_path / "good.yaml"
    good.write_text(yaml.safe_dump(ONE_REGION))
    bad = write(tmp_path, TWO_PROBLEMS)
    result = invoke("validate", good, bad)
    assert result.exit_code == 2
    assert result.stdout == f"{good}: ok\n"
    assert result.stderr == (
        f"error: {bad}: materials.ree.price_usd_per_kg: must be >= 0\n"
        f"error: {bad}: regions.japan.demand.ree.tonnes_per_day: must be >= 0\n"
    )


def test_the_python_api_keeps_the_problems_without_error():
    with pytest.raises(ScenarioError) as caught:
        simulator.run(TWO_PROBLEMS)
    assert str(caught.value) == (
        "<scenario data>: materials.ree.price_usd_per_kg: must be >= 0\n"
        "<scenario data>: regions.japan.demand.ree.tonnes_per_day: must be >= 0"
    )


# --- defect 5: broken YAML told in plain words, at its line and column --------------------------------


def tiny(old: str, new: str) -> str:
    """TINY_SCENARIO_TEXT with ``old`` (found once) replaced by ``new``."""
    assert TINY_SCENARIO_TEXT.count(old) == 1, old
    return TINY_SCENARIO_TEXT.replace(old, new)


BROKEN_FILES = {
    # line 5 is "  ree: {price_usd_per_kg: 50}": a tab instead of its two spaces
    "tab": (tiny("  ree: {price", "\tree: {price"), "line 5, column 1: a tab character; YAML indents with spaces only"),
    # "name: 'tiny": the quote is the 7th character of line 1
    "quote": (tiny("name: tiny", "name: 'tiny"), "line 1, column 7: the quoted text opened here is never closed"),
    # line 17 "  - {id: halt, kind: embargo, supplier: china, regions: [japan, start: 5, end: 20}": '[' is
    # character 57 (5 + 10 + 15 + 17 + 9 before it) and '}' character 82 (57 + 7 + 10 + 8)
    "bracket": (
        tiny("[japan], start", "[japan, start"),
        "line 17, column 82: '}' before the list opened with '[' at line 17, column 57 is closed with ']'",
    ),
    # line 12 indented 3 spaces: japan's keys (line 9) start at column 3, demand's at column 5
    "indentation": (
        tiny("    commercial_stock:", "   commercial_stock:"),
        "line 12, column 4: this line starts at column 4, which lines up with nothing above it "
        "(the mapping from line 9 starts its keys at column 3)",
    ),
    # a key at line 18 between the shocks (a list from line 17)
    "key among list items": (
        TINY_SCENARIO_TEXT + "  end: 30\n",
        "line 18, column 3: a key among the items of the list from line 17; each item starts with '- '",
    ),
    # "name: tiny: small": the second ':' is character 11
    "second colon": (
        tiny("name: tiny", "name: tiny: small"),
        "line 1, column 11: a second ': ' on one line; put a value that holds ': ' in quotes",
    ),
    # '*' is character 7 of "name: *nope"
    "alias": (
        tiny("name: tiny", "name: *nope"),
        "line 1, column 7: '*nope' refers to no anchor '&nope' above it; put a value starting with '*' in quotes",
    ),
    # NUL is character 9 of "name: ti\0ny"
    "NUL": (
        tiny("name: tiny", "name: ti\x00ny"),
        "line 1, column 9: the character U+0000 is not allowed in YAML (a control character, not text)",
    ),
}


@pytest.mark.parametrize(("text", "words"), BROKEN_FILES.values(), ids=list(BROKEN_FILES))
def test_broken_yaml_is_told_in_plain_words_at_its_line_and_column(tmp_path, text, words):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    result = invoke("run", path, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"error: {path}: malformed YAML: {words}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # "name: ti" is 8 characters: the Latin-1 e-acute is the 9th
        (
            tiny("name: tiny", "name: ti\xe9ny").encode("latin-1"),
            "not UTF-8 text: byte 0xE9 at line 1, column 9; save the file as UTF-8",
        ),
        (b"", f"a scenario must be a YAML mapping of fields, but the file holds no data: {STARTING_POINT}"),
        (
            b"# only a comment\n",
            f"a scenario must be a YAML mapping of fields, but the file holds no data: {STARTING_POINT}",
        ),
        (b"- name: tiny\n", "a scenario must be a YAML mapping of fields, not a list"),
        (b"horizon_days: 40\nhorizon_days: 50\n", "horizon_days: key given twice (lines 1 and 2)"),
    ],
)
def test_a_file_that_is_no_scenario_at_all_is_named_with_what_it_holds(tmp_path, content, message):
    path = tmp_path / "bad.yaml"
    path.write_bytes(content)
    result = invoke("validate", path)
    assert result.exit_code == 2
    assert result.output == f"error: {path}: {message}\n"


def test_a_sweep_file_that_is_a_list_is_called_a_sweep_file(tmp_path):
    spec = tmp_path / "sweep.yaml"
    spec.write_text("- grid: {horizon_days: [30, 40]}\n")
    result = invoke("sweep", write(tmp_path, ONE_REGION), "--spec", spec, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"error: {spec}: a sweep file must be a YAML mapping of fields, not a list\n"


def test_broken_yaml_in_a_set_value_names_the_option(tmp_path):
    result = invoke("run", write(tmp_path, ONE_REGION), "--set", "shocks=[x", "-o", tmp_path / "out")
    assert result.exit_code == 2
    # the value "[x" is its own text: its '[' is line 1, column 1
    words = "line 1, column 1: the list opened with '[' here is never closed with ']'"
    assert result.output == f"error: --set shocks: malformed YAML: {words}\n"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        # "2010-07-10,stock,japan,ree,10" is 29 characters: the Latin-1 e-acute after it is the 30th
        (
            b"date,quantity,region,material,value\n2010-07-10,stock,japan,ree,10\xe9\n",
            "cannot read the record: not UTF-8 text: byte 0xE9 at line 2, column 30; save the file as UTF-8",
        ),
        (None, "file not found"),
    ],
)
def test_a_record_that_cannot_be_read_is_told_like_a_scenario_that_cannot(tmp_path, content, message):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    record = tmp_path / "record.csv"
    if content is not None:
        record.write_bytes(content)
    fit = ["--fit", "shocks.halt.severity=0.1:0.9"]
    result = invoke("calibrate", scenario, "--record", record, *fit, "-o", tmp_path / "out")
    assert result.exit_code == 2
    assert result.output == f"error: {record}: {message}\n"


def test_validate_takes_a_folder_as_check_finds_its_scenarios(tmp_path):
    (tmp_path / "eu").mkdir()
    (tmp_path / "_drafts").mkdir()
    (tmp_path / "a.yaml").write_text(yaml.safe_dump(TWO_MEMBERS))
    (tmp_path / "eu" / "b.yml").write_text("name: b\nhorizon_days: 0\n")
    (tmp_path / "_drafts" / "c.yaml").write_text("not: [a scenario\n")  # skipped, as check skips it
    result = invoke("validate", tmp_path)
    assert_bad_input(result, f"{tmp_path / 'eu' / 'b.yml'}: horizon_days: must be >= 1")
    assert f"{tmp_path / 'a.yaml'}: ok" in result.output
    assert "c.yaml" not in result.output
    empty = tmp_path / "empty"
    empty.mkdir()
    assert_bad_input(invoke("validate", empty), f"{empty}: no scenario files (*.yaml, *.yml) in this folder")


def test_a_bare_name_finds_yml_and_refuses_a_stem_that_names_two_files(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "x.yml").write_text(yaml.safe_dump(TWO_MEMBERS))
    assert invoke("validate", "x").output == f"{Path('scenarios') / 'x.yml'}: ok\n"
    (tmp_path / "scenarios" / "x.yaml").write_text(yaml.safe_dump(TWO_MEMBERS))
    assert_bad_input(
        invoke("validate", "x"), "x: a bare name that means two files (scenarios/x.yaml and scenarios/x.yml)"
    )


def test_validate_refuses_a_folder_of_baselines():
    folder = ROOT / "scenarios" / "baselines"  # it holds tolerances.yaml, which was read as a scenario
    assert_bad_input(invoke("validate", folder), f"{folder}: a folder of baselines or records, not of scenarios")
