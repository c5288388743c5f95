"""Small command-line leftovers of session 53: messages naming what the user wrote, one rule each, plurals."""

from __future__ import annotations

import pytest

from simulator.errors import InputError, worded
from simulator.sweep.grid import fixed_and_varied
from tests.helpers import ROOT, assert_bad_input, invoke, no_run

CLEAN = str(ROOT / "scenarios" / "long_embargo_6m.yaml")
DAYS = "regions.japan.commercial_stock.light_ree.days"


def _said(problems):
    return [worded(p.render(None), python=False) for p in problems]


def test_a_sweep_files_set_on_its_own_grid_names_the_files_grid_not_an_option(tmp_path, monkeypatch):
    """No --grid was given: the clash is between two keys of the file, and both are named as keys."""
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"grid:\n  {DAYS}: [60, 90]\nset:\n  {DAYS}: 30\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {spec}: set.{DAYS}: the same path is varied by grid.{DAYS}: each run would use the value grid: "
        "gives, not the fixed one; give the path to set: or to grid:, not both\n",
    )
    assert "--grid" not in result.output
    assert not (tmp_path / "out").exists()


def test_a_sweep_files_set_containing_its_grids_path_names_the_files_grid(tmp_path, monkeypatch):
    no_run(monkeypatch)
    stock = DAYS.rpartition(".")[0]
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"grid:\n  {DAYS}: [60, 90]\nset:\n  {stock}: {{days: 30}}\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {spec}: set.{stock}: contains a path varied by grid.{DAYS}: each run would use the value grid: "
        f"gives there, not the fixed one; to keep the rest of the value, set its other fields one by one "
        f"(set.{stock}.FIELD: VALUE, each FIELD but days) and leave days to grid:\n",
    )


def test_a_sweep_files_set_on_a_grid_option_still_names_the_option(tmp_path, monkeypatch):
    """The file's set: against the command's own --grid: there the option is what the user wrote."""
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"set:\n  {DAYS}: 30\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--grid", f"{DAYS}=60,90", "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {spec}: set.{DAYS}: the same path is varied by --grid {DAYS}: ")


def test_a_set_option_on_the_files_grid_names_the_files_grid(tmp_path, monkeypatch):
    """--set against the file's grid: the file holds the varied path: it is named, by its key."""
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"grid:\n  {DAYS}: [60, 90]\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--set", f"{DAYS}=30", "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: --set {DAYS}: the same path is varied by grid.{DAYS}: each run would use the value grid: "
        "gives, not the fixed one; give the path to --set or to grid:, not both\n",
    )


def test_the_rule_names_each_varied_path_where_it_was_given():
    """One call, two varied paths: the file's (``grid.x``) and the option's (``--grid y``)."""
    assert _said(fixed_and_varied(["x", "y"], ["x", "y"], file_key="set", file_varied=["x"])) == [
        "set.x: the same path is varied by grid.x: each run would use the value grid: gives, not the fixed one; "
        "give the path to set: or to grid:, not both",
        "set.y: the same path is varied by --grid y: each run would use the value --grid gives, not the fixed one; "
        "give the path to set: or to --grid, not both",
    ]


def _malformed_baseline(tmp_path):
    """A copy of the clean scenario with one bad field: found, read, refused on validation."""
    text = (ROOT / "scenarios" / "long_embargo_6m.yaml").read_text()
    lines = [("horizon_days: 0" if line.startswith("horizon_days:") else line) for line in text.splitlines()]
    assert "horizon_days: 0" in lines
    baseline = tmp_path / "base.yaml"
    baseline.write_text("\n".join(lines) + "\n")
    return baseline


def test_a_malformed_compare_baseline_is_named_as_the_compare_baseline(tmp_path):
    """Exit 2, one line: the file, then --compare, then the field (the file alone reads as the scenario run)."""
    baseline = _malformed_baseline(tmp_path)
    result = invoke("run", CLEAN, "--compare", baseline, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, f"error: {baseline}: --compare: horizon_days: must be >= 1\n")
    assert result.output.count("\n") == 1
    assert not (tmp_path / "out").exists()


def test_a_compare_baseline_of_broken_yaml_is_named_as_the_compare_baseline(tmp_path):
    baseline = tmp_path / "base.yaml"
    baseline.write_text("name: [x\n")
    result = invoke("report", CLEAN, "--compare", baseline, "-o", tmp_path / "r.html")
    assert_bad_input(result, f"error: {baseline}: --compare: malformed YAML: ")
    assert result.output.count("\n") == 1


def test_a_one_run_sweep_says_one_run_and_one_point(tmp_path):
    """One value, one run: "1 run (1 point x 1)", as "2 runs (2 points x 1)" with two values."""
    for values, line in (("0.5", "1 run (1 point x 1)"), ("0.4,0.6", "2 runs (2 points x 1)")):
        out = tmp_path / values
        result = invoke("sweep", CLEAN, "--grid", f"agreement.ratio.japan={values}", "--no-plots", "-o", out)
        assert result.exit_code == 0, result.output
        assert f"{line} written to {out}/sweep.parquet" in result.output


def test_a_sweep_over_its_runs_names_one_point_as_one():
    from simulator.sweep.grid import Axis, SweepSpec
    from simulator.sweep.runner import check_size

    for values, size in (((0.5,), "1 point x 3 runs = 3 runs"), ((0.4, 0.6), "2 points x 3 runs = 6 runs")):
        with pytest.raises(InputError) as caught:
            check_size(SweepSpec((Axis("agreement.ratio.japan", values),), runs=3), max_runs=2)
        assert worded(str(caught.value), python=False) == f"--runs: {size}, more than 2 (raise --max-runs)"


def test_resumed_and_discarded_chunks_are_counted_in_words():
    from simulator.sweep.runner import resumed_text

    assert resumed_text(1, 0, 1) == "resumed: 1 finished chunk kept, 1 still to do"
    assert resumed_text(2, 1, 3) == "resumed: 2 finished chunks kept, 1 computed again (damaged), 2 still to do"


def test_list_of_a_folder_whose_one_or_two_files_are_invalid(tmp_path):
    for count, message in (
        (1, "the one scenario file here is not valid"),
        (2, "none of the 2 scenario files here is valid"),
    ):
        folder = tmp_path / str(count)
        folder.mkdir()
        for k in range(count):
            (folder / f"s{k}.yaml").write_text("x: [\n")
        assert_bad_input(invoke("list", folder), f"error: {folder}: {message}\n")


def _apart_by_price_only_elsewhere():
    """long_embargo_12m with NdFeB magnets counted in oxide at 15 USD/kg: light rare earths (12) and magnets may
    be added, but the scenario's heavy rare earths (330 > 2 x 12) may not be added to either."""
    from types import SimpleNamespace

    from simulator.scenario import load_raw, validate_data

    overrides = [
        ("materials.ndfeb_magnets.tonnes_of", "oxide"),
        ("market.ndfeb_magnets.reference_price_usd_per_kg", 15),
    ]
    scenario = validate_data(load_raw(str(ROOT / "scenarios" / "long_embargo_12m.yaml"), overrides), "x")
    return SimpleNamespace(scenario=scenario, structure=SimpleNamespace(member_names=("japan", "eu")))


def test_the_compare_line_splits_by_material_where_the_run_line_does():
    """Only light rare earths and magnets short (heavy rare earths in no row compared): the run's last line
    splits them, since the scenario's tonnes are apart (heavy rare earths); the compare line gave one total
    of 300 t against 130 t, since the rows' two materials alone may be added. One rule now: both split."""
    from simulator.console import _rows_total_text, _total_text

    result = _apart_by_price_only_elsewhere()
    rows = [
        {"region": "all", "material": "light_ree", "total_shortfall_t": 100.0},
        {"region": "all", "material": "ndfeb_magnets", "total_shortfall_t": 200.0},
        {"region": "all", "material": "heavy_ree", "total_shortfall_t": 0.0},
    ]
    run_line = _total_text(result, rows, 300.0)
    compare_line = _rows_total_text(result, {"light_ree": [100.0, 50.0], "ndfeb_magnets": [200.0, 80.0]}, 300, 130)
    why = "not added: tonnes of materials priced far apart"
    assert run_line.startswith("members' shortfall 100.0 t of ") and run_line.endswith(f" ({why})")
    assert compare_line.startswith(f"shortfall of these rows by material ({why}): ")
    assert " 100.0 t against 50.0 t and " in compare_line and " 200.0 t against 80.0 t in the baseline" in compare_line


def _rule_sweep():
    from simulator.scenario import load_raw
    from simulator.sweep import plan_sweep
    from simulator.sweep.grid import Axis, SweepSpec

    source = str(ROOT / "scenarios" / "long_embargo_12m.yaml")
    axes = (Axis("agreement.ratio.japan", (0.4, 0.6)), Axis("materials.ndfeb_magnets.tonnes_of", ("oxide", "magnet")))
    return plan_sweep(load_raw(source, []), source, SweepSpec(axes))


def test_the_tonnes_rule_axes_are_worked_out_once_per_sweep(monkeypatch):
    """Read twice (the explorer's page reads them beside tonnes_rule): the axes' paths are tested once each."""
    import simulator.sweep.runner as runner

    sweep = _rule_sweep()
    tested: list[str] = []
    real = runner.moves_rule
    monkeypatch.setattr(runner, "moves_rule", lambda path: tested.append(path) or real(path))
    assert sweep.tonnes_rule_axes == [1]  # the ratio does not move the rule, tonnes_of does
    assert sweep.tonnes_rule_axes is sweep.tonnes_rule_axes
    assert len(sweep.tonnes_rule) == 2  # one scenario per value of the one axis that moves it
    assert tested == ["agreement.ratio.japan", "materials.ndfeb_magnets.tonnes_of"]


def test_the_closing_notes_read_the_sweep_as_sweep_json_describes_it(tmp_path):
    """The notes a finished sweep prints are those plot-sweep's reading of its sweep.json gives (the same dict)."""
    import json

    import pandas as pd

    from simulator.scenario import load_raw
    from simulator.sweep import closing_notes, plan_sweep
    from simulator.sweep.figures import sweep_notes
    from simulator.sweep.grid import Axis, SweepSpec

    source, out = str(ROOT / "scenarios" / "long_embargo_12m.yaml"), tmp_path / "sw"
    result = invoke("sweep", source, "--grid", "agreement.ratio.japan=0.4,0.6", "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sweep.json").read_text())
    table = pd.read_parquet(out / "sweep.parquet")
    assert info["members"] == ["japan", "eu"] and info["shortfall_adds"] == "tonnes of magnet and tonnes of oxide"
    sweep = plan_sweep(load_raw(source, []), source, SweepSpec((Axis("agreement.ratio.japan", (0.4, 0.6)),)))
    notes = closing_notes(sweep, table, figures=True, unchanged=[])
    assert notes == sweep_notes(table, info)
    assert any("add tonnes of magnet and tonnes of oxide: " in note for note in notes)


def test_the_client_docs_give_the_chunks_the_code_cuts():
    """The numbers client= and docs/api.md give: one batch of the first point, ceil(runs / batch) chunks."""
    import math

    from simulator.api.sweeps import sweep as api_sweep
    from simulator.scenario import load_raw, load_scenario
    from simulator.sweep import plan_sweep
    from simulator.sweep.grid import Axis, SweepSpec
    from simulator.sweep.runner import MAX_BATCH_RUNS, MIN_BATCH_RUNS, ROUTE_RUNS_PER_BATCH, scenario_batch_runs

    assert (ROUTE_RUNS_PER_BATCH, MIN_BATCH_RUNS, MAX_BATCH_RUNS) == (60_000, 250, 5_000)
    club = load_scenario(str(ROOT / "scenarios" / "club_of_five.yaml"))
    assert scenario_batch_runs(club) == 60_000 // (5 * 2 * 5) == 1_200  # regions x materials x suppliers
    source = str(ROOT / "scenarios" / "embargo_stochastic.yaml")  # the 2010 replay with random inputs
    assert scenario_batch_runs(load_scenario(source)) == 5_000  # 60,000 / 12 = 5,000, the cap
    for runs, chunks in ((1_000, 1), (12_000, 3)):
        spec = SweepSpec((Axis("agreement.ratio.japan", (0.4, 0.6)),), runs=runs // 2)
        planned = plan_sweep(load_raw(source, []), source, spec)
        assert planned.n_runs == runs and len(planned.chunks()) == chunks == math.ceil(runs / 5_000)
    docstring = " ".join(api_sweep.__doc__.split())
    page = " ".join((ROOT / "docs" / "api.md").read_text().split())
    for text in (docstring, page):
        assert "60,000" in text and "250 to 5,000" in text and "1,200 for" in text
    assert "a sweep of 1,000 runs of the 2010 replay is one task" in docstring
    assert "`ceil(n / batch)` tasks" in page and "1,000 runs of the 2010 replay are one task" in page


def test_a_date_axis_counts_its_rows_without_a_date_in_words():
    """A swept date column with 1 or 2 rows without a date: "1 row has", "2 rows have"."""
    import datetime as dt

    import pandas as pd

    from simulator.sweep.figures import _bad_dates

    path = "shocks.china_embargo.start"
    for missing, words in ((1, "1 row has no date"), (2, "2 rows have no date")):
        dates = [dt.datetime(2010, 9, 7)] + [None] * missing
        table = pd.DataFrame({path: pd.array(dates, dtype="datetime64[ms]")})
        assert _bad_dates(table, path) == f"{words}: a sweep writes a date in every row"


def test_the_metrics_figure_title_counts_runs_per_point(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import pandas as pd

    from simulator.sweep.figures import metrics_figure

    source = str(ROOT / "scenarios" / "embargo_stochastic.yaml")
    for runs, title in ((1, "1 run per point"), (2, "2 runs per point")):
        out = tmp_path / str(runs)
        args = ("--grid", "shocks.china_embargo_both.duration_days.mean=60,300", "--runs", runs, "--no-plots")
        assert invoke("sweep", source, *args, "-o", out).exit_code == 0
        table = pd.read_parquet(out / "sweep.parquet")
        figure = metrics_figure(table, "shocks.china_embargo_both.duration_days.mean", ["japan", "eu"])
        assert figure.get_suptitle().endswith(f": {title}")
