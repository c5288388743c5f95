"""A sweep file's ``set:`` on a swept path: one rule, each value named where it was given.

The rule is :func:`simulator.sweep.grid.fixed_and_varied`; a value of the file's ``set:``
is named by the file and its key (``spec.yaml: set.PATH``, "give ... to set:"), a ``--set``
by the option and the scenario (``scenario.yaml: --set PATH``). Every refusal comes before any run.
"""

from __future__ import annotations

from simulator.errors import worded
from simulator.sweep.grid import fixed_and_varied
from tests.helpers import ROOT, assert_bad_input, invoke, no_run

CLEAN = str(ROOT / "scenarios" / "long_embargo_6m.yaml")
STOCK = "regions.japan.commercial_stock.light_ree"


def _said(problems):
    return [worded(p.render(None), python=False) for p in problems]


def test_the_rule_names_a_files_values_by_its_key_and_the_option_otherwise():
    """The same clashes, worded for the file (``set.a.b``, ``set:``) and for ``--set``."""
    fixed, varied = ["a.b", "s.tonnes", "x"], ["a.b.c", "s.days", "x"]
    assert _said(fixed_and_varied(fixed, varied, file_key="set")) == [
        "set.a.b: contains a path varied by --grid a.b.c: each run would use the value --grid gives there, not the "
        "fixed one; to keep the rest of the value, set its other fields one by one (set.a.b.FIELD: VALUE, each "
        "FIELD but c) and leave c to --grid",
        "set.s.tonnes: the stock's other unit is varied by --grid s.days: a stock has one unit, so each run would "
        "drop the fixed value for the one --grid gives; give the stock's size to set: or to --grid, not both",
        "set.x: the same path is varied by --grid x: each run would use the value --grid gives, not the fixed one; "
        "give the path to set: or to --grid, not both",
    ]
    assert _said(fixed_and_varied(["x"], ["x"], "axis")) == [
        "--set x: the same path is varied by --axis x: each run would use the value --axis gives, not the fixed "
        "one; give the path to --set or to --axis, not both"
    ]


def test_a_ratio_in_the_files_set_while_the_grid_varies_another_is_the_files_problem(tmp_path, monkeypatch):
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text("grid:\n  agreement.ratio.eu: [0.3, 0.4]\nset:\n  agreement.ratio.japan: 0.6\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {spec}: set.agreement.ratio.japan: fixes an agreement ratio while grid.agreement.ratio.eu varies "
        "another: each run would rescale the fixed one to make room for the varied one; give all the ratios to set: "
        "or all to grid:, so that the others are rescaled once\n",
    )
    assert not (tmp_path / "out").exists()


def test_a_stocks_other_unit_in_the_files_set_is_the_files_problem_and_a_set_option_the_scenarios(
    tmp_path, monkeypatch
):
    no_run(monkeypatch)
    spec = tmp_path / "spec.yaml"
    spec.write_text(f"grid:\n  {STOCK}.days: [60, 90]\nset:\n  {STOCK}.tonnes: 500\n")
    result = invoke("sweep", CLEAN, "--spec", spec, "--no-plots", "-o", tmp_path / "out")
    assert_bad_input(
        result,
        f"error: {spec}: set.{STOCK}.tonnes: the stock's other unit is varied by grid.{STOCK}.days: a stock has one "
        "unit, so each run would drop the fixed value for the one grid: gives; give the stock's size to set: or to "
        "grid:, not both\n",
    )
    spec.write_text(f"grid:\n  {STOCK}.days: [60, 90]\n")  # the same value given by the option instead
    result = invoke("sweep", CLEAN, "--spec", spec, "--set", f"{STOCK}.tonnes=500", "--no-plots", "-o", tmp_path / "o")
    assert_bad_input(
        result,
        f"error: --set {STOCK}.tonnes: the stock's other unit is varied by grid.{STOCK}.days: a stock has "
        "one unit, so each run would drop the fixed value for the one grid: gives; give the stock's size to --set or "
        "to grid:, not both\n",
    )
