"""Input is finite, bounded and unambiguous, and bad input never gives a traceback.

One test (or parametrized case) per failure reported in issue 20 (items 4, 5, 10 and 11)
and issue 17 (item 7, bad dates), and each limit checked on both sides.
"""

from __future__ import annotations

import contextlib
import copy
import math
import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pytest
import yaml

from simulator.errors import InputError, ScenarioError
from simulator.scenario import load_scenario, strict_yaml, validate_data
from simulator.scenario.checks import MAX_RESULT_ROWS
from simulator.scenario.schema import MAX_DAYS, MAX_TRANSIT_DAYS
from simulator.scenario.strict_yaml import MAX_DEPTH, MAX_EXPANDED_VALUES, MAX_INTEGER_DIGITS, load_yaml
from tests.helpers import ONE_REGION, TWO_MEMBERS, assert_bad_input, build, invoke
from tests.helpers import TINY_SCENARIO_TEXT as SCENARIO_TEXT

HALT = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 20}


def problems(data: dict[str, Any]) -> dict[str, str]:
    """Problems of raw scenario data as {field path: message} (empty when valid)."""
    try:
        validate_data(data, "x.yaml")
    except ScenarioError as exc:
        return {p.path: p.message for p in exc.problems}
    return {}


def write_text(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- issue 20, item 4: non-finite and overflowing numbers -----------------------------------

AUCTION = {"bids": {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 10.0}]}}}
SURGE = {"id": "surge", "kind": "demand_surge", "start": 1, "end": 9, "factor": 1.5}
RANDOM_DURATION = {**HALT, "end": None, "duration_days": {"distribution": "lognormal", "mean": 10, "sd": 5}}
# (base scenario, changes that make a valid scenario, path of the number under test)
NUMBERS = [
    (ONE_REGION, {}, "regions.japan.demand.ree.noise_cv"),
    (ONE_REGION, {}, "regions.japan.demand.ree.tonnes_per_day"),
    (ONE_REGION, {}, "regions.japan.demand.ree.growth_per_year"),
    (ONE_REGION, {}, "regions.japan.commercial_stock.ree.tonnes"),
    (ONE_REGION, {}, "materials.ree.price_usd_per_kg"),
    (ONE_REGION, {}, "materials.ree.holding_cost_usd_per_t_year"),
    (ONE_REGION, {"shocks": [SURGE]}, "shocks.surge.factor"),
    (ONE_REGION, {"shocks": [RANDOM_DURATION]}, "shocks.halt.duration_days.sd"),
    (TWO_MEMBERS, {}, "agreement.pool.contributions.japan.ree.tonnes"),
    (TWO_MEMBERS, {"agreement__auction": AUCTION}, "agreement.auction.bids.japan.ree.0.price_usd_per_kg"),
]


@pytest.mark.parametrize("value", [math.inf, -math.inf, math.nan, 1e200, 1e300])
@pytest.mark.parametrize(("base", "changes", "path"), NUMBERS, ids=[n[2] for n in NUMBERS])
def test_non_finite_and_huge_numbers_are_refused_at_their_field(base, changes, path, value):
    valid = build(base, **changes)
    assert problems(valid) == {}
    found = problems(build(valid, **{path.replace(".", "__"): value}))
    assert path in found, found
    assert ("finite" in found[path]) or ("<=" in found[path]) or (">" in found[path]), found


@pytest.mark.parametrize(
    ("path", "largest", "unit"),
    [
        ("regions.japan.demand.ree.tonnes_per_day", 1e7, "t/day"),
        ("regions.japan.commercial_stock.ree.tonnes", 1e9, "t"),
        ("materials.ree.price_usd_per_kg", 1e7, "USD/kg"),
        ("regions.japan.demand.ree.noise_cv", 10, "fraction"),
        ("regions.japan.demand.ree.growth_per_year", 1, "fraction/year"),
        ("suppliers.china.lead_time_days.japan", 3650, "days"),
    ],
)
def test_each_limit_on_both_sides(path, largest, unit):
    assert problems(build(ONE_REGION, **{path.replace(".", "__"): largest})) == {}
    above = largest + 1 if isinstance(largest, int) and unit == "days" else largest * 1.001
    found = problems(build(ONE_REGION, **{path.replace(".", "__"): above}))
    assert found.get(path) == f"must be <= {largest:g}", found


def test_a_demand_too_small_to_divide_by_is_refused():
    # days of cover = stock / demand: 300 t over 1e-308 t/day overflowed to infinity
    assert problems(build(ONE_REGION, regions__japan__demand__ree__tonnes_per_day=1e-6)) == {}
    assert problems(build(ONE_REGION, regions__japan__demand__ree__tonnes_per_day=0)) == {}
    found = problems(build(ONE_REGION, regions__japan__demand__ree__tonnes_per_day=1e-308))
    assert found == {"regions.japan.demand.ree.tonnes_per_day": "must be 0 or at least 1e-06"}


def test_a_demand_decline_is_bounded_on_both_sides():
    assert problems(build(ONE_REGION, regions__japan__demand__ree__growth_per_year=-0.99)) == {}
    found = problems(build(ONE_REGION, regions__japan__demand__ree__growth_per_year=-0.999))
    assert found == {"regions.japan.demand.ree.growth_per_year": "must be >= -0.99"}


def test_the_json_schema_states_every_limit():
    from simulator.scenario import json_schema

    defs = json_schema()["$defs"]
    assert defs["Demand"]["properties"]["noise_cv"]["maximum"] == 10
    assert defs["Demand"]["properties"]["tonnes_per_day"]["maximum"] == 1e7
    assert defs["Uniform"]["properties"]["low"]["minimum"] == -1e9
    assert json_schema()["properties"]["horizon_days"]["maximum"] == MAX_DAYS


def unbounded_numbers(schema: dict[str, Any], where: str = "") -> list[str]:
    """Paths of number fields in a JSON Schema without a maximum."""
    found = []
    if schema.get("type") in ("number", "integer") and "maximum" not in schema:
        found.append(where)
    for key, child in schema.items():
        if isinstance(child, dict):
            found += unbounded_numbers(child, f"{where}/{key}")
        elif isinstance(child, list):
            found += [
                p for i, c in enumerate(child) if isinstance(c, dict) for p in unbounded_numbers(c, f"{where}/{i}")
            ]
    return found


def test_no_number_in_the_schema_is_unbounded():
    from simulator.scenario import json_schema

    assert unbounded_numbers(json_schema()) == []


# --- issue 20, item 5: YAML ambiguities -----------------------------------------------------


def test_a_duplicate_key_is_an_error_naming_file_line_and_key(tmp_path):
    text = SCENARIO_TEXT.replace(
        "ree: {tonnes_per_day: 10}", "ree:\n        tonnes_per_day: 47.7\n        tonnes_per_day: 4770"
    )
    path = write_text(tmp_path, text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert (
        caught.value.render() == f"{path}: regions.japan.demand.ree.tonnes_per_day: key given twice (lines 12 and 13)"
    )
    assert_bad_input(invoke("run", path, "--no-plots", "-o", tmp_path / "out"), "key given twice")
    assert not (tmp_path / "out").exists()


def test_duplicate_keys_on_one_line_and_at_the_top_level():
    with pytest.raises(InputError) as caught:
        load_yaml("a: {b: 1, b: 2}\nc: 1\nc: 2\n")
    assert [p.render(None) for p in caught.value.problems] == [
        "a.b: key given twice (line 1, columns 5 and 11)",
        "c: key given twice (lines 2 and 3)",
    ]


def test_a_merge_key_may_still_be_overridden():
    assert load_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n")["use"] == {"x": 1, "y": 3}


@pytest.mark.parametrize("word", ["yes", "no", "on", "true", "True"])
def test_booleans_are_not_numbers(tmp_path, word):
    path = write_text(tmp_path, SCENARIO_TEXT.replace("start: 5, end: 20}", f"start: 5, end: 20, severity: {word}}}"))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems[0].path == "shocks.halt.severity"
    assert "not true/false" in caught.value.problems[0].message


def test_whole_numbers_still_pass_for_numbers_and_exponents_are_numbers(tmp_path):
    text = SCENARIO_TEXT.replace("start: 5, end: 20}", "start: 5, end: 20, severity: 1}")
    text = text.replace("tonnes_per_day: 10}", "tonnes_per_day: 1e1}").replace("horizon_days: 40", "horizon_days: 4e1")
    scenario = load_scenario(write_text(tmp_path, text))
    assert scenario.shocks[0].severity == 1.0
    assert scenario.regions["japan"].demand["ree"].tonnes_per_day == 10.0
    assert scenario.horizon_days == 40


def test_text_is_not_a_number():
    found = problems(build(ONE_REGION, regions__japan__demand__ree__tonnes_per_day="47.7"))
    assert found == {"regions.japan.demand.ree.tonnes_per_day": "must be a number, not text: write 47.7 without quotes"}


def test_booleans_are_not_numbers_in_set_values(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "shocks.halt.severity=yes")
    assert_bad_input(result, str(path), "shocks.halt.severity: must be a number, not true/false")


# --- issue 20, item 10: sizes -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("assignment", "message"),
    [
        ("horizon_days=10000000", "horizon_days: must be <= 36500"),
        ("suppliers.china.lead_time_days.japan=1000000000", "suppliers.china.lead_time_days.japan: must be <= 3650"),
    ],
)
def test_huge_horizons_and_lead_times_are_refused_before_any_work(tmp_path, assignment, message):
    path = write_text(tmp_path, SCENARIO_TEXT)
    out = tmp_path / "out"
    assert_bad_input(invoke("run", path, "--no-plots", "-o", out, "--set", assignment), message)
    assert not out.exists()


def many_regions(count: int, horizon_days: int) -> dict[str, Any]:
    data = copy.deepcopy(ONE_REGION)
    data["horizon_days"] = horizon_days
    region = data["regions"].pop("japan")
    data["regions"] = {f"r{i}": region for i in range(count)}
    data["suppliers"]["china"]["lead_time_days"] = {f"r{i}": 5 for i in range(count)}
    return data


def test_the_size_of_a_run_is_bounded_on_both_sides():
    regions = 20
    at_limit = many_regions(regions, MAX_RESULT_ROWS // regions)
    assert problems(at_limit) == {}
    found = problems(many_regions(regions, MAX_RESULT_ROWS // regions + 1))
    assert found["horizon_days"].endswith("rows of daily results; at most 500,000"), found


def test_lead_time_and_delays_add_up_to_a_bounded_transit():
    def delay(days: Any) -> dict[str, Any]:
        return {"id": "d", "kind": "delay", "supplier": "china", "start": 1, "end": 9, "extra_days": days}

    lead = 3000
    base = build(ONE_REGION, suppliers__china__lead_time_days__japan=lead)
    assert problems(build(base, shocks=[delay(MAX_TRANSIT_DAYS - lead)])) == {}
    found = problems(build(base, shocks=[delay(MAX_TRANSIT_DAYS - lead + 1)]))
    assert "more than 3,650 days" in found["shocks"], found
    uniform = {"distribution": "uniform", "low": 0, "high": MAX_TRANSIT_DAYS - lead + 1}
    assert "shocks" in problems(build(base, shocks=[delay(uniform)]))


# --- issue 20, item 11: tracebacks where exit 2 is promised ----------------------------------


@pytest.mark.parametrize("day", [-1_000_000, 1_000_000, -(10**18), 10**18])
def test_shock_days_far_out_are_refused(day):
    start = problems(build(ONE_REGION, shocks=[{**HALT, "start": day, "end": None, "duration_days": 5}]))
    assert start["shocks.halt.start"] in ("must be >= -100000", "must be <= 100000"), start
    end = problems(build(ONE_REGION, shocks=[{**HALT, "start": 5, "end": day}]))
    assert end["shocks.halt.end"] in ("must be >= -100000", "must be <= 100000"), end


def test_shock_days_at_the_limit_are_accepted():
    shock = {**HALT, "start": -100_000, "end": 100_000}
    assert problems(build(ONE_REGION, shocks=[shock])) == {}


@pytest.mark.parametrize(
    ("line", "path", "message"),
    [
        ("start_date: 9999-12-20", "start_date", "must be <= 2200-12-31"),
        ("start_date: 2201-01-01", "start_date", "must be <= 2200-12-31"),
        ("start_date: 1899-12-31", "start_date", "must be >= 1900-01-01"),
        ("start_date: 10000-01-01", "start_date", "not a valid date '10000-01-01' (write YYYY-MM-DD)"),
        ("start_date: 0", "start_date", "must be a date (YYYY-MM-DD)"),
    ],
)
def test_dates_out_of_range_are_refused(tmp_path, line, path, message):
    text = SCENARIO_TEXT.replace("start_date: 2010-07-01", line)
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_text(tmp_path, text))
    assert {p.path: p.message for p in caught.value.problems}[path] == message


def test_dates_at_the_limits_are_accepted(tmp_path):
    for first, last in (("1900-01-01", "1900-02-01"), ("2200-11-01", "2200-12-31")):
        text = SCENARIO_TEXT.replace("start_date: 2010-07-01", f"start_date: {first}")
        text = text.replace("end: 20}", f"end: {last}}}")
        assert load_scenario(write_text(tmp_path, text)).start_date.isoformat() == first


def test_a_shock_date_past_9999_is_refused(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "shocks.halt.end=10000-01-01")
    assert_bad_input(result, "shocks.halt.end: not a valid date '10000-01-01'")


@pytest.mark.parametrize(
    ("distribution", "path", "message"),
    [
        (
            {"distribution": "uniform", "low": math.nan, "high": 1},
            "shocks.halt.severity.low",
            "must be a finite number",
        ),
        (
            {"distribution": "uniform", "low": 0, "high": math.inf},
            "shocks.halt.severity.high",
            "must be a finite number",
        ),
        (
            {"distribution": "triangular", "low": 0, "mode": 0.5, "high": 1e30},
            "shocks.halt.severity.high",
            "must be <= 1e+09",
        ),
        ({"distribution": "lognormal", "mean": 0.5, "sd": 1e30}, "shocks.halt.severity.sd", "must be <= 1e+09"),
        (
            {"distribution": "lognormal", "mean": math.nan, "sd": 1},
            "shocks.halt.severity.mean",
            "must be a finite number",
        ),
        ({"distribution": "uniform", "low": 0.5, "high": 1.5}, "shocks.halt.severity", "high must be within [0, 1]"),
    ],
)
def test_distribution_parameters_are_finite_and_within_the_fields_range(distribution, path, message):
    found = problems(build(ONE_REGION, shocks=[{**HALT, "severity": distribution}]))
    assert found.get(path, "").startswith(message), found


def test_a_random_delay_is_bounded_like_a_fixed_one():
    shock = {"id": "d", "kind": "delay", "supplier": "china", "start": 1, "end": 9}
    ok = {"distribution": "uniform", "low": 0, "high": 30}
    assert problems(build(ONE_REGION, shocks=[{**shock, "extra_days": ok}])) == {}
    too_long = {"distribution": "lognormal", "mean": 1e6, "sd": 1}
    found = problems(build(ONE_REGION, shocks=[{**shock, "extra_days": too_long}]))
    assert found["shocks.d.extra_days"].startswith("mean must be within [0, 3650]"), found


def test_deep_nesting_is_refused_with_a_stated_limit(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT.replace("horizon_days: 40", "horizon_days: " + "[" * 5000 + "]" * 5000))
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.problems[0].message == "more than 32 nested lists or mappings (line 3)"
    assert_bad_input(invoke("validate", path), "nested lists or mappings")


def test_nesting_up_to_the_limit_is_read():
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    with pytest.raises(InputError):
        load_yaml("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))


def test_a_5000_digit_integer_is_refused_naming_the_field(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT + "seed: " + "9" * 5000 + "\n")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    assert caught.value.render() == f"{path}: seed: an integer of 5,000 digits is too large (line 18)"


def test_integers_up_to_the_digit_limit_are_read():
    assert load_yaml("9" * MAX_INTEGER_DIGITS) == int("9" * MAX_INTEGER_DIGITS)
    with pytest.raises(InputError, match="too large"):
        load_yaml("9" * (MAX_INTEGER_DIGITS + 1))


def test_one_bad_file_does_not_take_down_list_or_validate(tmp_path):
    write_text(tmp_path, SCENARIO_TEXT, "good.yaml")
    write_text(tmp_path, SCENARIO_TEXT + "seed: " + "9" * 5000 + "\n", "huge.yaml")
    write_text(tmp_path, "a: " + "[" * 5000 + "]" * 5000 + "\n", "deep.yaml")
    write_text(tmp_path, SCENARIO_TEXT.replace("2010-07-01", "2010-07-32"), "date.yaml")
    listed = invoke("list", tmp_path)
    assert listed.exit_code == 2, listed.output  # every file listed, then exit 2 as validate (audit out2, 7)
    assert "good (name: tiny)  (" in listed.output
    assert "huge.yaml: invalid (seed: an integer of 5,000 digits is too large" in listed.output
    assert "deep.yaml: invalid (a.0" in listed.output
    assert "date.yaml: invalid (start_date: not a valid date '2010-07-32'" in listed.output
    validated = invoke("validate", *sorted(tmp_path.glob("*.yaml")))
    assert_bad_input(validated, "good.yaml: ok", "huge.yaml: seed:", "deep.yaml: a.0", "date.yaml: start_date:")


def test_one_bad_file_does_not_take_down_check_of_its_folder_and_junit_is_written(tmp_path):
    good = write_text(tmp_path, SCENARIO_TEXT, "good.yaml")
    assert invoke("check", "--update", good).exit_code == 0
    write_text(tmp_path, SCENARIO_TEXT + "seed: " + "9" * 5000 + "\n", "huge.yaml")
    report = tmp_path / "check.xml"
    checked = invoke("check", tmp_path, "--junit", report)
    assert_bad_input(
        checked, "ok           good (name: tiny)", "huge.yaml: seed: an integer of 5,000 digits is too large (line 18)"
    )
    cases = {case.get("name"): case for case in ElementTree.parse(report).getroot().iter("testcase")}
    assert set(cases) == {"good", "huge"}
    assert cases["good"].find("error") is None and "5,000 digits" in cases["huge"].find("error").get("message")


def test_a_huge_set_value_is_refused_naming_the_option(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "seed=" + "9" * 5000)
    assert_bad_input(result, "--set seed: an integer of 5,000 digits is too large")


def test_a_huge_list_index_in_a_set_path_is_an_unknown_id(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "shocks." + "9" * 5000 + ".end=3")
    assert_bad_input(result, "no item with id")


def test_eighty_regions_with_plots_are_refused_before_any_work(tmp_path):
    path = write_text(tmp_path, yaml.safe_dump(many_regions(80, 10)))
    out = tmp_path / "out"
    assert_bad_input(
        invoke("run", path, "-o", out), "regions: figures tell at most 72 regions apart and this scenario has 80"
    )
    assert not out.exists()
    assert invoke("run", path, "--no-plots", "-o", out).exit_code == 0


def test_max_regions_are_drawn_apart_with_room_for_the_legend():
    from simulator.engine import simulate
    from simulator.palette import MAX_REGIONS
    from simulator.plots import MIN_PANEL_IN, days_of_cover_figure

    figure = days_of_cover_figure(simulate(validate_data(many_regions(MAX_REGIONS, 10))))
    height_in = figure.get_size_inches()[1]
    axes = figure.axes[0]
    assert axes.get_position().height * height_in >= MIN_PANEL_IN - 1e-9
    # legends show display names: region r07 is "R07"
    # a line's dash pattern, read from Matplotlib's private _unscaled_dash_pattern: Line2D has no public getter of it
    # (set_dashes has no get_dashes; get_linestyle() says "--" of every custom pattern, the regions' dash-dot-dot
    # alike, and is_dashed() only whether it is dashed), and (colour, get_linestyle()) pairs tell only 54 apart
    styles = {
        (line.get_color(), line._unscaled_dash_pattern) for line in axes.get_lines() if line.get_label()[0] == "R"
    }
    assert len(styles) == MAX_REGIONS


# --- issue 17, item 7 (and issue 20, item 11): bad dates ------------------------------------


def test_an_impossible_date_in_set_is_exit_2_naming_the_field(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "shocks.halt.end=2011-13-01")
    assert_bad_input(
        result,
        f"{path} [set shocks.halt.end=2011-13-01]: shocks.halt.end: "
        "not a valid date '2011-13-01': month must be in 1..12",
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2010-07-32", "not a valid date '2010-07-32': day is out of range for month"),
        ("2010-13-01", "not a valid date '2010-13-01': month must be in 1..12"),
        ("2011-02-29", "not a valid date '2011-02-29': day is out of range for month"),
    ],
)
def test_an_impossible_start_date_in_a_file_is_exit_2_naming_the_field(tmp_path, text, message):
    path = write_text(tmp_path, SCENARIO_TEXT.replace("2010-07-01", text))
    assert_bad_input(invoke("run", path, "--no-plots", "-o", tmp_path / "out"), f"{path}: start_date: {message}")
    assert_bad_input(invoke("validate", path), f"start_date: {message}")


def test_a_real_leap_day_is_a_date(tmp_path):
    path = write_text(tmp_path, SCENARIO_TEXT.replace("2010-07-01", "2012-02-29"))
    assert load_scenario(path).start_date.isoformat() == "2012-02-29"


def test_an_impossible_date_in_a_description_is_just_text():
    assert load_yaml("description: 2010-13-01") == {"description": "2010-13-01"}


# --- inputs are regular files, capped at the bytes read (audit 38, finding 4) --------------------


@contextlib.contextmanager
def guarded_fifo(path: Path) -> Iterator[list[bool]]:
    """Make ``path`` a FIFO; yield a list that says whether anything opened it to read.

    A reader's ``open`` of a FIFO waits for a writer: a guard thread plays the writer (opens
    and closes at once), so a command that does open it sees an empty file and the test
    fails instead of hanging; the list then holds True.
    """
    os.mkfifo(path)
    opened: list[bool] = []
    done = threading.Event()

    def guard() -> None:
        while not done.wait(0.02):
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # ENXIO while no reader waits
            except OSError:
                continue
            opened.append(True)

    thread = threading.Thread(target=guard, daemon=True)
    thread.start()
    try:
        yield opened
    finally:
        done.set()
        thread.join(5)


@pytest.fixture
def fifo(tmp_path):
    """A guarded FIFO named ``fifo.yaml`` in a folder of its own (:func:`guarded_fifo`)."""
    folder = tmp_path / "pipes"
    folder.mkdir()
    with guarded_fifo(folder / "fifo.yaml") as opened:
        yield folder / "fifo.yaml", opened


def _fifo_commands(tmp_path: Path, pipe: Path) -> dict[str, list[Any]]:
    scenario = write_text(tmp_path, SCENARIO_TEXT)
    out = tmp_path / "out"
    return {
        "scenario": ["run", pipe, "--no-plots", "-o", out],
        "--compare": ["run", scenario, "--no-plots", "--compare", pipe, "-o", out],
        "--spec": ["sweep", "--spec", pipe, "--workers", 1, "-o", out],
        "--explorer": ["report", scenario, "--explorer", pipe, "-o", tmp_path / "r.html"],
        "--tolerances": ["check", scenario, "--tolerances", pipe],
        "--record": ["calibrate", scenario, "--record", pipe, "--fit", "market.ree.price.sensitivity=0.5:8", "-o", out],
        "validate": ["validate", scenario, pipe],
        "check of its folder": ["check", pipe.parent],
    }


@pytest.mark.parametrize(
    "where",
    ["scenario", "--compare", "--spec", "--explorer", "--tolerances", "--record", "validate", "check of its folder"],
)
def test_a_fifo_given_as_any_input_is_refused_without_opening_it(tmp_path, fifo, where):
    """Audit 38 #4: ``run /tmp/ff`` (and each input option, and a folder holding ``fifo.yaml``) waited forever."""
    pipe, opened = fifo
    result = invoke(*_fifo_commands(tmp_path, pipe)[where])
    assert_bad_input(result, f"{pipe}: ", "not a regular file (it is a FIFO (named pipe))")
    assert not opened


def test_list_marks_a_fifo_in_its_folder_invalid_without_opening_it(tmp_path, fifo):
    pipe, opened = fifo
    write_text(pipe.parent, SCENARIO_TEXT, "good.yaml")
    listed = invoke("list", pipe.parent)
    assert listed.exit_code == 2, listed.output  # list shows every file, a bad one as invalid; then exit 2
    assert "good (name: tiny)  (" in listed.output
    assert f"{pipe}: invalid (not a regular file (it is a FIFO (named pipe)))" in listed.output
    assert not opened


def test_a_fifo_in_the_baselines_folder_is_refused_without_opening_it(tmp_path):
    scenario = write_text(tmp_path, SCENARIO_TEXT)
    assert invoke("check", "--update", scenario).exit_code == 0
    baseline = tmp_path / "baselines" / "s.json"
    baseline.unlink()
    with guarded_fifo(baseline) as opened:
        result = invoke("check", scenario, "--workers", 1)
    assert_bad_input(result, f"{baseline}: not a regular file")
    assert not opened


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_refused_by_the_shared_reader_before_it_is_opened(monkeypatch):
    """Audit 38 #4: ``validate /dev/zero`` read until killed (stat gives a device 0 bytes)."""
    from simulator.scenario import load

    monkeypatch.setattr(load.os, "open", lambda *a, **k: pytest.fail("opened a device"))
    with pytest.raises(InputError, match="not a regular file") as caught:
        load.read_input(Path("/dev/zero"))
    assert caught.value.render() == "/dev/zero: not a regular file (it is a device)"
    with pytest.raises(ScenarioError, match="/dev/zero: not a regular file"):
        load_scenario(Path("/dev/zero"))


def test_dev_zero_as_the_tolerance_file_is_not_called_missing(tmp_path):
    """Audit 38 #18: ``check --tolerances /dev/zero`` said "no such tolerance file"."""
    scenario = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("check", scenario, "--tolerances", "/dev/zero")
    assert_bad_input(result, "/dev/zero: not a regular file (it is a device)")
    assert "no such tolerance file" not in result.output


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs Linux /proc")
def test_the_byte_limit_holds_for_the_bytes_read_not_the_size_stat_gives():
    """A regular file whose stated size is 0 (as /proc's) but which holds more than the limit is refused."""
    from simulator.scenario.load import read_input

    path = Path("/proc/self/status")
    assert path.stat().st_size == 0 and len(path.read_bytes()) > 100
    with pytest.raises(InputError) as caught:
        read_input(path, limit=100)
    assert caught.value.render() == f"{path}: file of more than 100 bytes is too large (at most 100)"
    assert len(read_input(path, limit=100_000)) > 100


# --- YAML alias bombs and long --set values (audit 38, finding 3) --------------------------------


def alias_bomb(levels: int) -> str:
    """A flow list of ``levels`` anchored lists, each holding nine aliases of the one before: 9**levels values."""
    lists = ["&l0 [x, x, x, x, x, x, x, x, x]"]
    lists += [f"&l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, levels)]
    return f"[{', '.join(lists)}]"


def test_the_alias_limit_on_both_sides():
    """999 aliases of a 999-item list stand for 1 + 999 * 1,000 values; one more alias is over the limit."""
    assert MAX_EXPANDED_VALUES == 1_000_000
    under = f"[&a [{', '.join(['1'] * 999)}], {', '.join(['*a'] * 998)}]"
    data = load_yaml(under)
    assert len(data) == 999 and all(item is data[0] for item in data) and len(data[0]) == 999
    with pytest.raises(InputError) as caught:
        load_yaml(under[:-1] + ", *a]", prefix="description")
    assert caught.value.problems[0].path == "description"
    assert "stand for more than 1,000,000 values" in caught.value.problems[0].message


def test_the_careful_reader_refuses_an_alias_bomb_too(monkeypatch):
    """A text the quick reader leaves to the careful one (a composing error libyaml alone sees) is counted there.

    Without the check, nine levels (387 million values) would be built before any message.
    """
    monkeypatch.setattr(strict_yaml, "_quick", lambda text, prefix="": strict_yaml._UNSURE)
    with pytest.raises(InputError) as caught:
        load_yaml(alias_bomb(9), prefix="description")
    assert caught.value.problems[0].path == "description"
    assert "stand for more than 1,000,000 values" in caught.value.problems[0].message
    assert load_yaml(alias_bomb(3)) == [["x"] * 9, [["x"] * 9] * 9, [[["x"] * 9] * 9] * 9]


def test_an_alias_bomb_in_set_is_refused_as_in_a_file(tmp_path):
    """Audit 38 #3: nine levels in --set took 2.4 GB and 36 s, then a MemoryError traceback.

    Refused from the text's 90 nodes, before any value is built; the same words as for the file.
    """
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", f"description={alias_bomb(9)}")
    assert_bad_input(result, "--set description: its aliases ('*') stand for more than 1,000,000 values")
    assert len(result.output) < 1_000
    bombed = write_text(
        tmp_path, SCENARIO_TEXT.replace("name: tiny", f"name: tiny\ndescription: {alias_bomb(9)}"), "b.yaml"
    )
    assert_bad_input(invoke("validate", bombed), f"{bombed}: its aliases ('*') stand for more than 1,000,000 values")


def test_an_alias_bomb_in_a_sweep_files_set_is_refused(tmp_path):
    scenario = write_text(tmp_path, SCENARIO_TEXT)
    spec = write_text(tmp_path, f"scenario: {scenario}\nset:\n  description: {alias_bomb(9)}\n", "spec.yaml")
    result = invoke("sweep", "--spec", spec, "--workers", 1, "-o", tmp_path / "out")
    assert_bad_input(result, str(spec), "stand for more than 1,000,000 values")
    assert len(result.output) < 1_000


def test_a_message_quoting_a_long_set_value_shortens_it(tmp_path):
    """Six levels (531,441 values, under the limit) made a message of megabytes (seven made 28 MB)."""
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", f"description={alias_bomb(6)}")
    assert_bad_input(result, "[set description=[[x, x, ", "...]: description: must be text")  # as YAML, not Python
    assert len(result.output) < 1_000
    long_text = "no_equals_sign_" * 20
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", long_text)
    assert_bad_input(result, f"--set: expected PATH=VALUE, got '{long_text[:77]}...'")


# --- messages for numbers too large and infinity written as text (audit 38, finding 18) ----------


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("horizon_days: 1e300", ("horizon_days", f"must be <= {MAX_DAYS}")),
        ("horizon_days: -1e300", ("horizon_days", "must be >= 1")),
        ("seed: 1e20", ("seed", "must be <= 4294967295")),
    ],
)
def test_a_whole_number_field_given_a_huge_number_names_its_limit(tmp_path, line, problem):
    """Audit 38 #18: ``horizon_days: 1e300`` said "Unable to parse input string as an integer, exceeded maximum
    size"."""
    field = line.split(":")[0]
    text = SCENARIO_TEXT.replace("horizon_days: 40", line) if field == "horizon_days" else SCENARIO_TEXT + line + "\n"
    with pytest.raises(ScenarioError) as caught:
        load_scenario(write_text(tmp_path, text))
    assert [(p.path, p.message) for p in caught.value.problems] == [problem]


@pytest.mark.parametrize("word", ["inf", "-inf", "Infinity", "nan", "NaN"])
def test_infinity_written_as_text_in_set_asks_for_a_finite_number(tmp_path, word):
    """``--set horizon_days=inf`` said "must be a number, not text" (YAML reads inf as text, .inf as infinity)."""
    path = write_text(tmp_path, SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", f"horizon_days={word}")
    assert_bad_input(result, f"[set horizon_days={word}]: horizon_days: must be a finite number")
    assert "not text" not in result.output
    other = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "horizon_days=infinite")
    assert_bad_input(other, "horizon_days: must be a number, not text")  # other text is still text
