"""`stockpile compare`: a former rule name, a rule that cannot run, a member without demand (audit 41)."""

from __future__ import annotations

import csv

import pytest
import yaml
from matplotlib.lines import Line2D
from matplotlib.text import Text

from simulator.compare import compare, mechanism_notes, parse_mechanisms
from simulator.plots import compare_figure
from tests.helpers import TWO_MEMBERS, build, invoke


def _write(tmp_path, data, name="s.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_a_former_rule_name_is_compared_once_under_its_current_name(tmp_path):
    """proportional is proportional_to_demand's former name: one row, not two identical ones."""
    assert parse_mechanisms("proportional,proportional_to_demand,fair_ratio") == [
        "proportional_to_demand",
        "fair_ratio",
    ]
    assert parse_mechanisms("fair_ratio, proportional") == ["fair_ratio", "proportional_to_demand"]  # order kept
    assert mechanism_notes("proportional,proportional_to_demand,fair_ratio") == [
        "proportional is the former name of proportional_to_demand: compared as proportional_to_demand",
        "proportional_to_demand is given more than once: compared once",
    ]
    out = tmp_path / "cmp"
    args = ["compare", _write(tmp_path, TWO_MEMBERS), "--mechanisms", "proportional,proportional_to_demand,fair_ratio"]
    result = invoke(*args, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    with (out / "compare.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [row["mechanism"] for row in rows] == [
        "no agreement",
        "own shares alone",
        "proportional_to_demand",
        "fair_ratio",
    ]
    # proportional to baseline demand: day 0's 60 t of pool split 20:80, so Japan is 12 t less short than 20 t x 60 days
    assert float(rows[0]["shortfall_t.japan"]) == pytest.approx(20 * 60)
    assert float(rows[1]["shortfall_t.japan"]) == pytest.approx(20 * 60 - 30)  # its own 30 t alone
    assert float(rows[2]["shortfall_t.japan"]) == pytest.approx(20 * 60 - 12)


def test_a_rule_that_cannot_run_leaves_the_others_whole_numbers_whole(tmp_path):
    """TWO_MEMBERS has no bids, so auction cannot run; fair_ratio's first short day is 1 (its 50:50 split of
    the 60 t pool covers Japan's 20 t on day 0), and it stays 1 in compare.csv, not 1.0."""
    out = tmp_path / "cmp"
    result = invoke(
        "compare", _write(tmp_path, TWO_MEMBERS), "--mechanisms", "fair_ratio,auction", "--no-plots", "-o", out
    )
    assert result.exit_code == 0, result.output
    with (out / "compare.csv").open() as f:
        rows = {row["mechanism"]: row for row in csv.DictReader(f)}
    assert rows["fair_ratio"]["first_shortfall_day.japan"] == "1"
    assert rows["fair_ratio"]["first_shortfall_day.eu"] == "0"
    assert rows["fair_ratio"]["envious_members"].isdigit()  # a count of members, written whole (not "0.0")
    # a rule not run: empty, not -1, which would read "never short" (tests/test_tables_s62.py)
    assert rows["auction"]["first_shortfall_day.japan"] == "" and "bids" in rows["auction"]["skipped"]
    table = compare(build(TWO_MEMBERS), ["fair_ratio", "auction"], "s.yaml").table()
    assert str(table["first_shortfall_day.japan"].dtype) == "Int64"
    assert str(table["envious_members"].dtype) == "Int64"


def _panel(fig, title: str):
    return next(ax for ax in fig.axes if ax.get_title() == title)


def test_the_figure_names_the_rules_it_leaves_out(tmp_path):
    comparison = compare(build(TWO_MEMBERS), ["fair_ratio", "auction"], "s.yaml")
    assert list(comparison.skipped) == ["auction"]
    fig = compare_figure(comparison.results, comparison.skipped)
    title = " ".join(fig._suptitle.get_text().split())  # wrapped to the figure's width
    assert title == "pair: release rules compared; not run: auction (why: compare.csv's skipped column)"
    assert compare_figure(comparison.results)._suptitle.get_text() == "pair: release rules compared"


def test_a_member_without_demand_for_a_material_gets_a_panel_that_says_so():
    """Only the EU uses magnets here: Japan's magnet panel says "No demand for mag.", not a flat 0 t line."""
    data = build(
        TWO_MEMBERS,
        materials__mag={"price_usd_per_kg": 50},
        regions__eu__demand__mag={"tonnes_per_day": 10},
        regions__eu__commercial_stock__mag={"tonnes": 0},
        regions__eu__sourcing__mag={"china": 1.0},
    )
    fig = compare_figure(compare(data, ["fair_ratio", "proportional_to_demand"], "s.yaml").results)
    japan, eu = _panel(fig, "Japan, mag"), _panel(fig, "EU, mag")
    assert [t.get_text() for t in japan.findobj(Text) if t.get_text() == "No demand for mag."] == ["No demand for mag."]
    assert [line for line in japan.get_lines() if isinstance(line, Line2D)] == []
    # the EU is 10 t a day short of magnets for the 60 days under both rules (no stock, no pool of them)
    assert [line.get_ydata()[-1] for line in eu.get_lines()] == [pytest.approx(600), pytest.approx(600)]
    assert len(_panel(fig, "Japan, rare earths").get_lines()) == 2
