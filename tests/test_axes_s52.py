"""Audit s52 (fuzz): axes that overlap, --set with --fit, empty --set path parts, --fit/--hold-out/--grid wording."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import assert_bad_input, invoke, no_run

SCENARIO = "scenarios/long_embargo_6m.yaml"
STOCK = "regions.japan.commercial_stock.light_ree"


# D1: two axes that overlap are refused, both named, by sweep (--grid, sweep files) and explore (--axis)
@pytest.mark.parametrize(
    ("axes", "named", "relation"),
    [
        ([f"{STOCK}.days=10,200", f"{STOCK}.tonnes=100,50000"], (f"{STOCK}.tonnes", f"{STOCK}.days"), "other unit"),
        (
            ["agreement.ratio={japan: 0.9, eu: 0.1}", "agreement.ratio.japan=0.2,0.8"],
            ("--grid agreement.ratio.japan: lies inside", "--grid agreement.ratio:"),
            "lies inside",
        ),
        (
            ["agreement.ratio.japan=0.2,0.8", "agreement.ratio={japan: 0.9, eu: 0.1}"],
            ("--grid agreement.ratio: contains", "--grid agreement.ratio.japan:"),
            "contains",
        ),
        # the same shock by position and by id
        (
            ["shocks.0.severity=0.2,1", "shocks.china_embargo.severity=0.3,0.5"],
            ("shocks.china_embargo.severity", "shocks.0.severity"),
            "the same path",
        ),
    ],
)
def test_sweep_refuses_overlapping_axes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, axes: list[str], named: tuple[str, str], relation: str
) -> None:
    grids = [part for axis in axes for part in ("--grid", axis)]
    no_run(monkeypatch)
    result = invoke("sweep", SCENARIO, *grids, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, *named, relation)
    assert not (tmp_path / "out").exists()


def test_sweep_file_axes_overlap(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("grid:\n  shocks.china_embargo.severity: [0.2, 1]\n  shocks.china_embargo: ['{severity: 1}']\n")
    no_run(monkeypatch)
    result = invoke("sweep", SCENARIO, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(result, "shocks.china_embargo: contains", "shocks.china_embargo.severity")


def test_explore_refuses_overlapping_axes(tmp_path: Path) -> None:
    page = tmp_path / "e.html"
    result = invoke(
        "explore", SCENARIO, "--axis", f"{STOCK}.days=10,200", "--axis", f"{STOCK}.tonnes=100,50000", "-o", page
    )
    assert_bad_input(result, f"--axis {STOCK}.tonnes", f"--axis {STOCK}.days", "other unit")
    assert not page.exists()


@pytest.mark.parametrize(
    ("scenario", "axes"),
    [
        # two members' ratios (the other three members rescaled to what is left)
        ("scenarios/club_of_five.yaml", ("agreement.ratio.japan=0.3,0.4", "agreement.ratio.eu=0.2,0.3")),
        (SCENARIO, ("shocks.china_embargo.severity=0.5,1", "shocks.china_embargo.end=2026-06-01,2026-09-01")),
        (SCENARIO, (f"{STOCK}.days=10,200", "regions.eu.commercial_stock.light_ree.days=10,200")),  # two regions
    ],
)
def test_axes_apart_still_sweep(tmp_path: Path, scenario: str, axes: tuple[str, str]) -> None:
    """Two ratio members, a shock's severity and its end, or a stock in two regions overlap nothing: the
    sweep runs, exit 0, its table 2 x 2 points (one run each), each value of each axis at two of them."""
    import pandas as pd

    out = tmp_path / "out"
    grids = [part for axis in axes for part in ("--grid", axis)]
    result = invoke("sweep", scenario, *grids, "--runs", 1, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    table = pd.read_parquet(out / "sweep.parquet")
    assert len(table) == 4
    for axis in axes:
        assert table[axis.partition("=")[0]].value_counts().tolist() == [2, 2]


HISTORICAL = "scenarios/embargo_2010_historical.yaml"
RECORD = "scenarios/records/rare_earths_2010_2012.csv"
SENSITIVITY = "market.light_ree.price.sensitivity"


def _calibrate(tmp_path: Path, *args: str) -> object:
    return invoke(
        "calibrate", HISTORICAL, "--record", RECORD, "--iterations", 1, "--population", 4, "-o", tmp_path / "c", *args
    )


# D3: calibrate refuses a --set on (or around) a fitted path, as sweep and sensitivity do
@pytest.mark.parametrize(
    ("fixed", "relation"),
    [(f"{SENSITIVITY}=1", "the same path is varied by --fit"), ("market.light_ree.price={}", "contains a path")],
)
def test_calibrate_refuses_set_on_fitted_path(tmp_path: Path, fixed: str, relation: str) -> None:
    result = _calibrate(tmp_path, "--fit", f"{SENSITIVITY}=0.5:2", "--set", fixed)
    assert_bad_input(result, f"--set {fixed.partition('=')[0]}: {relation}", f"--fit {SENSITIVITY}")
    assert not (tmp_path / "c").exists()


# borderline: a --fit the scenario cannot take names the --fit, not a --set the user never gave
@pytest.mark.parametrize(
    ("fit", "fragments"),
    [
        ("bogus.path=0:1", ("[fit bogus.path=0:1]", "bogus: unknown key")),
        ("agreement.mechanism=0:1", ("[fit agreement.mechanism=0:1]", "agreement.mechanism: must be one of")),
        (f"{SENSITIVITY}=-1:2", (f"[fit {SENSITIVITY}=-1:2]", f"{SENSITIVITY}: must be > 0")),
    ],
)
def test_fit_the_scenario_cannot_take_names_the_fit(tmp_path: Path, fit: str, fragments: tuple[str, ...]) -> None:
    result = _calibrate(tmp_path, "--fit", fit)
    assert_bad_input(result, *fragments)
    assert "[set " not in result.output


# borderline: an impossible day in --hold-out is told as one, not as a wrong format
def test_hold_out_impossible_day(tmp_path: Path) -> None:
    from simulator.calibrate import parse_hold_out

    result = _calibrate(tmp_path, "--fit", f"{SENSITIVITY}=0.5:2", "--hold-out", "2011-02-30:2011-03-01")
    assert_bad_input(result, "not a valid date '2011-02-30': day is out of range for month")
    with pytest.raises(Exception, match=r"not a valid date .2011-13-01.: month must be in 1\.\.12"):
        parse_hold_out("price@2011-01-01:2011-13-01")
    with pytest.raises(Exception, match=r"write \[QUANTITY@\]YYYY-MM-DD:YYYY-MM-DD"):
        parse_hold_out("2011-2-3:2011-03-01")  # not written YYYY-MM-DD: the format is the problem
    assert parse_hold_out("2011-02-01:2011-02-28").last.day == 28


# D7: an empty part in a --set path is named, with the [set ...] tag, not "unknown key" with no field
@pytest.mark.parametrize("path", ["..", "agreement..ratio", ".horizon_days", "horizon_days."])
def test_set_path_with_empty_part(tmp_path: Path, path: str) -> None:
    result = invoke("run", SCENARIO, "--no-plots", "-o", tmp_path / "r", "--set", f"{path}=3")
    assert_bad_input(result, f"[set {path}=3]: {path}: empty part in the path")
    assert "unknown key" not in result.output


def test_set_path_with_empty_part_leaves_data() -> None:
    from simulator.errors import InputError
    from simulator.scenario.overrides import apply_overrides

    data = {"horizon_days": 10}
    with pytest.raises(InputError, match="empty part in the path"):
        apply_overrides(data, [("a..b", 1)])
    assert data == {"horizon_days": 10}
    assert apply_overrides(data, [("horizon_days", 20)]) == {"horizon_days": 20}


# borderline: a range of dates is told that a date axis takes a list, not that a date "is not a number"
def test_date_range_axis_says_list(tmp_path: Path) -> None:
    from simulator.errors import InputError
    from simulator.sweep.grid import parse_values

    result = invoke("sweep", SCENARIO, "--grid", "shocks.0.end=2026-04-01:2026-05-01:10", "-o", tmp_path / "s")
    assert_bad_input(result, "--grid shocks.0.end:", "give the dates as a list a,b,c", "range of day numbers")
    assert "not a number" not in result.output
    with pytest.raises(InputError, match="give the dates as a list"):
        parse_values("0:2026-05-01:10", "x")
    assert parse_values("150:170:10", "x") == (150, 160, 170)  # day numbers still take a range
