"""The command line: outputs of `run`, and exit code 2 with a clear message for bad input."""

from __future__ import annotations

import json
import signal
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from tests.helpers import ONE_REGION, TWO_MEMBERS, build, invoke, manifest_of, no_traceback

TIMESERIES_COLUMNS = [
    "day",
    "date",
    "region",
    "material",
    "baseline_demand_t",
    "demand_t",
    "arrivals_t",
    "supplied_t",
    "released_t",
    "shortfall_t",
    "shortfall_cum_t",
    "commercial_stock_t",
    "reserve_stock_t",
    "in_transit_t",
    "days_of_cover",
]
SUMMARY_COLUMNS = [
    "demand_t",
    "shortfall_t",
    "shortfall_share",
    "max_daily_shortfall_t",
    "shortfall_days",
    "first_shortfall_day",
    "min_days_of_cover",
    "released_t",
    "end_reserve_t",
]


def write(tmp_path: Path, data: dict[str, Any], name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_run_writes_the_output_contract(tmp_path):
    scenario = write(tmp_path, build(TWO_MEMBERS, start_date="2010-07-01"))
    out = tmp_path / "out"
    result = invoke("run", scenario, "-o", out)
    assert result.exit_code == 0, result.output
    for name in (
        "timeseries.csv",
        "summary.csv",
        "summary.json",
        "days_of_cover.png",
        "shortfall.png",
        "releases.csv",
        "manifest.json",
    ):
        assert (out / name).is_file(), name
    ts = pd.read_csv(out / "timeseries.csv")
    assert list(ts.columns[: len(TIMESERIES_COLUMNS)]) == TIMESERIES_COLUMNS, (
        "the first 15 timeseries columns are a contract (docs/outputs.md): register new daily quantities after them"
    )
    assert {"released_national_t", "released_joint_t"} <= set(ts.columns)
    assert len(ts) == 60 * 2  # days x regions x materials
    summary = pd.read_csv(out / "summary.csv")
    assert set(SUMMARY_COLUMNS) <= set(summary.columns)
    overall = json.loads((out / "summary.json").read_text())["agreement"]
    assert {"total_shortfall_t", "fairness_jain"} <= set(overall)
    assert "eu" in result.output and "japan" in result.output  # the printed summary table
    manifest = manifest_of(out)
    assert len(manifest["scenario_hash"]) == 64 and manifest["seed"] == 0


def test_run_with_set_and_seed_overrides(tmp_path):
    scenario = write(tmp_path, ONE_REGION)
    out = tmp_path / "out"
    result = invoke("run", scenario, "-o", out, "--set", "horizon_days=12", "--seed", "5", "--no-plots")
    assert result.exit_code == 0, result.output
    assert len(pd.read_csv(out / "timeseries.csv")) == 12
    assert manifest_of(out)["seed"] == 5


def assert_bad_input(result: Any, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    assert no_traceback(result)
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_malformed_yaml(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\nregions: [unclosed\n")
    assert_bad_input(invoke("run", path), str(path), "malformed YAML", "line")


def test_missing_file(tmp_path):
    assert_bad_input(invoke("run", tmp_path / "none.yaml"), "none.yaml", "file not found")


def test_unknown_key(tmp_path):
    path = write(tmp_path, build(ONE_REGION, regions__japan__colour="red"))
    assert_bad_input(invoke("run", path), str(path), "regions.japan.colour: unknown key")


def test_negative_horizon(tmp_path):
    path = write(tmp_path, build(ONE_REGION, horizon_days=-5))
    assert_bad_input(invoke("run", path), str(path), "horizon_days: must be >= 1")


def test_sourcing_share_above_one(tmp_path):
    path = write(tmp_path, build(ONE_REGION, regions__japan__sourcing__ree__china=1.5))
    assert_bad_input(invoke("run", path), "regions.japan.sourcing.ree.china: must be <= 1")


def test_shock_with_unknown_region(tmp_path):
    shock = {"id": "h", "kind": "embargo", "supplier": "china", "regions": ["korea"], "start": 1, "end": 9}
    path = write(tmp_path, build(ONE_REGION, shocks=[shock]))
    assert_bad_input(invoke("run", path), "shocks.h.regions.0: unknown region 'korea'")


def test_bad_set_value_names_the_path(tmp_path):
    path = write(tmp_path, ONE_REGION)
    assert_bad_input(
        invoke("run", path, "--set", "regions.japan.demand.ree.tonnes_per_day=-2"),
        str(path),
        "regions.japan.demand.ree.tonnes_per_day: must be >= 0",
    )


def test_unwritable_output_folder(tmp_path):
    path = write(tmp_path, ONE_REGION)
    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    assert_bad_input(invoke("run", path, "-o", blocker / "out"), "cannot write to output folder")


def test_failure_while_writing_leaves_earlier_outputs_untouched(tmp_path, monkeypatch):
    path = write(tmp_path, ONE_REGION)
    out = tmp_path / "out"
    assert invoke("run", path, "-o", out, "--no-plots").exit_code == 0
    earlier = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*_args: Any, **_kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("simulator.plots.write_figures", broken)
    result = invoke("run", path, "-o", out, "--seed", 5)
    assert_bad_input(result, "cannot write outputs: disk full")
    # the earlier outputs byte for byte, and nothing else: no staging folder, no lock
    assert {p.name: p.read_bytes() for p in out.iterdir()} == earlier
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "s.yaml"]


def test_validate_reports_each_file(tmp_path):
    good = write(tmp_path, ONE_REGION, "good.yaml")
    bad = write(tmp_path, build(ONE_REGION, horizon_days=0), "bad.yaml")
    result = invoke("validate", good, bad)
    assert result.exit_code == 2
    assert "good.yaml: ok" in result.output and "bad.yaml: horizon_days: must be >= 1" in result.output
    assert invoke("validate", good).exit_code == 0


def test_schema_prints_json_schema():
    result = invoke("schema")
    assert result.exit_code == 0
    assert json.loads(result.output)["title"] == "Scenario"


@pytest.mark.parametrize("args", [["run"], ["run", "x.yaml", "--seed", "-1"], ["nonsense"]])
def test_usage_errors_exit_2(args):
    assert invoke(*args).exit_code == 2


def test_compare_runs_every_mechanism_side_by_side(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS)
    out = tmp_path / "cmp"
    result = invoke("compare", scenario, "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "compare.csv")
    ran = table[table["skipped"].isna()].set_index("mechanism")
    # the worked example of tests/test_agreement.py, summed over the 60 days
    assert ran.loc["equal_losses", "shortfall_t.japan"] == pytest.approx(20 * 60)
    assert ran.loc["talmud", "shortfall_t.japan"] == pytest.approx(20 * 60 - 10)
    assert set(table[table["skipped"].notna()]["mechanism"]) == {"auction", "hybrid"}  # no bids here
    assert (out / "compare.png").stat().st_size > 10_000


def test_compare_rejects_an_unknown_mechanism_and_a_scenario_without_agreement(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS)
    assert_bad_input(invoke("compare", scenario, "--mechanisms", "fair_ratio,lottery"), "unknown mechanism(s) lottery")
    # a text naming no rule was every rule (',,', '') or "no mechanism could run: " with no reason
    for empty in (",,", "", " "):
        assert_bad_input(invoke("compare", scenario, "--mechanisms", empty), "--mechanisms: names no mechanism")
    lone = write(tmp_path, ONE_REGION, "lone.yaml")
    assert_bad_input(invoke("compare", lone), "no agreement")


def test_run_writes_a_report_compared_with_a_baseline(tmp_path):
    scenario = write(tmp_path, build(TWO_MEMBERS, start_date="2010-07-01"), "joint.yaml")
    lone = build(TWO_MEMBERS, name="no_pool", start_date="2010-07-01")
    lone.pop("agreement")
    baseline = write(tmp_path, lone, "lone.yaml")
    # without --report: the shortfalls side by side (TWO_MEMBERS worked in tests/test_verdict_pooling.py:
    # 1,180 and 4,760 t with the 60 t pool, 1,200 and 4,800 t without it; Japan short from day 1 with it)
    printed = invoke("run", scenario, "--compare", baseline, "-o", tmp_path / "x", "--no-plots")
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    at = lines.index("against no_pool:")
    assert [line.split() for line in lines[at + 2 : at + 4]] == [
        ["japan", "ree", "1,180.0", "1,200.0", "-20.0", "2", "Jul", "2010", "1", "Jul", "2010"],
        ["eu", "ree", "4,760.0", "4,800.0", "-40.0", "1", "Jul", "2010", "1", "Jul", "2010"],
    ]
    assert lines[at + 4] == "shortfall of these rows 5,940.0 t against 6,000.0 t in the baseline"
    # the other way round the change is positive; a pair in one run only is named, not dropped in silence
    extra = build(lone, materials__magnets={}, regions__eu__demand__magnets={"tonnes_per_day": 1})
    extra = write(tmp_path, build(extra, regions__eu__sourcing__magnets={"china": 1.0}), "extra.yaml")
    printed = invoke("run", extra, "--compare", scenario, "-o", tmp_path / "y", "--no-plots")
    assert printed.exit_code == 0, printed.output
    lines = printed.output.splitlines()
    at = lines.index("against pair:")
    assert lines[at + 2].split()[:5] == ["japan", "ree", "1,200.0", "1,180.0", "+20.0"]
    assert "only in this run, not compared: eu magnets" in lines
    shorter = write(tmp_path, build(lone, horizon_days=30), "shorter.yaml")
    printed = invoke("run", scenario, "--compare", shorter, "-o", tmp_path / "z", "--no-plots")
    assert (
        "the runs cover different periods (60 days from 1 Jul 2010 against 30 days from 1 Jul 2010): "
        "the totals are not like for like" in printed.output.splitlines()
    )
    out = tmp_path / "out"
    result = invoke("run", scenario, "--report", "--compare", baseline, "-o", out, "--no-plots")
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text()
    assert "no_pool" in html and "days_of_cover.png" not in {p.name for p in out.iterdir()}


def test_reserve_commitments_missing_a_member(tmp_path):
    data = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__iea_ess__commitments={"eu": 2})
    path = write(tmp_path, data)
    assert_bad_input(
        invoke("run", path),
        "agreement.iea_ess.commitments: reserve commitments must cover every member; missing: japan",
    )


def test_emergency_release_time_longer_than_normal(tmp_path):
    path = write(tmp_path, build(TWO_MEMBERS, agreement__release_times={"normal_days": 8, "emergency_days": 30}))
    assert_bad_input(invoke("run", path), "agreement.release_times.emergency_days: must not exceed normal_days")


def test_compare_reports_a_problem_of_the_scenario_once_not_once_per_rule(tmp_path):
    # an unknown key added by --set is the scenario's problem, not a rule's: said once, as run says it
    result = invoke("compare", write(tmp_path, TWO_MEMBERS), "--set", "agreement.foo=1", "-o", str(tmp_path / "out"))
    assert result.exit_code == 2
    assert result.output.count("agreement.foo: unknown key") == 1
    assert "no mechanism could run" not in result.output
    assert not (tmp_path / "out").exists()


def _stop_with(kind: str) -> Exception:
    from simulator.interrupt import Interrupted

    return Interrupted(signal.SIGTERM) if kind == "signal" else RuntimeError("boom")


@pytest.mark.parametrize("kind", ["error", "signal"])
@pytest.mark.parametrize("command", ["explore", "sensitivity"])
def test_a_study_stopped_by_an_error_or_a_signal_says_nothing_was_written(tmp_path, monkeypatch, command, kind):
    """Exit 3 on an unexpected error, 143 on SIGTERM; one line naming the command; no output."""
    import simulator.explore
    import simulator.sensitivity

    def stopped(*_args: Any, **_kwargs: Any) -> None:
        raise _stop_with(kind)

    if command == "explore":
        monkeypatch.setattr(simulator.explore, "run_grid", stopped)
        args = ["explore", write(tmp_path, TWO_MEMBERS), "--axis", "agreement.ratio.japan=0.2,0.8", "--workers", 1]
        out = tmp_path / "explorer.html"
    else:
        monkeypatch.setattr(simulator.sensitivity, "run_sensitivity", stopped)
        uncertain = [{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"}]
        args = ["sensitivity", write(tmp_path, build(ONE_REGION, uncertain=uncertain)), "--samples", 4]
        args += ["--workers", 1]
        out = tmp_path / "study"
    result = invoke(*args, "-o", out)
    expected = (
        "interrupted by SIGTERM: nothing written"
        if kind == "signal"
        else "stopped by an error: RuntimeError('boom'); nothing written"
    )
    assert (result.exit_code, result.output) == (
        143 if kind == "signal" else 3,
        f"{command} {expected}\n",
    )
    assert not out.exists()


def test_a_baseline_invalid_as_written_is_not_blamed_on_set(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS, "joint.yaml")
    broken = build(TWO_MEMBERS, name="broken", horizon_days=0)
    baseline = write(tmp_path, broken, "broken.yaml")
    for extra in ((), ("--set", "agreement.ratio.japan=0.4", "--set", "agreement.ratio.eu=0.6")):
        result = invoke("run", scenario, "--compare", baseline, "-o", tmp_path / "x", "--no-plots", *extra)
        assert_bad_input(result, "broken.yaml: --compare: horizon_days: must be >= 1")
        assert "--set applies" not in result.output


@pytest.mark.parametrize(
    "arguments",
    [
        ("run", "{s}", "-o", ""),
        ("run", "{s}", "--compare", " ", "-o", "{o}"),
        ("report", "{s}", "--explorer", "", "-o", "{o}/r.html"),
        ("report", "{s}", "-o", ""),
        ("compare", "{s}", "-o", ""),
        ("sweep", "{s}", "--grid", "agreement.ratio.japan=0.2,0.8", "-o", ""),
        ("list", ""),
    ],
    ids=["run-out", "run-compare", "report-explorer", "report-out", "compare-out", "sweep-out", "list"],
)
def test_an_empty_path_option_is_refused_not_taken_for_its_default(tmp_path, monkeypatch, arguments):
    """``-o ''`` wrote into results/<name> (or the current folder); ``--compare ''`` was ignored."""
    monkeypatch.chdir(tmp_path)
    scenario = write(tmp_path, TWO_MEMBERS)
    given = [a.format(s=scenario, o=tmp_path / "out") for a in arguments]
    result = invoke(*given)
    assert_bad_input(result, "an empty path names no file or folder; give one")
    assert sorted(p.name for p in tmp_path.iterdir()) == [scenario.name]  # nothing written


def test_no_traceback_sees_an_exception_that_the_output_never_shows(monkeypatch):
    """CliRunner keeps an escaping exception in ``result.exception`` and prints no traceback, so
    ``"Traceback" not in result.output`` passed even for a crash: tests assert :func:`no_traceback`."""
    import simulator.scenario

    def crash() -> None:
        raise RuntimeError("a bug")

    assert no_traceback(invoke("schema")) and no_traceback(invoke("validate", "no_such_file.yaml"))  # exit 0, exit 2
    monkeypatch.setattr(simulator.scenario, "json_schema", crash)
    crashed = invoke("schema")
    assert crashed.exit_code == 1 and "Traceback" not in crashed.output  # what the old assertion saw: nothing
    assert not no_traceback(crashed) and isinstance(crashed.exception, RuntimeError)
