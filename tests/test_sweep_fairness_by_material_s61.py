"""The sweep figures' fairness where the scenario's tonnes may not be added (``sweep.json``'s ``shortfall_adds``).

A small world: Japan uses rare earths (``ree``, 20 t/day, from a supplier nobody halts) and gallium (``ga``,
2 t/day), the EU gallium only (1 t/day); China halts all gallium all along, so only gallium is short. Over all
materials Jain's index divides Japan's gallium shortfall by its 22 t/day of demand and the EU's by 1 t/day: the EU
looks as if it bore nearly everything, where gallium's own index shows the two sharing it about evenly.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.sweep.figures import _draws

POOL = "agreement.pool.contributions.japan.ga.tonnes"


def world(apart: bool, ree_halted: bool = False) -> dict[str, Any]:
    """The two members' world; ``apart``: gallium in tonnes of metal, rare earths of oxide (may not be added).

    Without ``apart`` both are plain tonnes at 50 and 60 USD/kg: tonnes that may be added. ``ree_halted``: the
    rare earths' supplier is halted too, so both materials are short.
    """
    kinds = ({"tonnes_of": "oxide"}, {"tonnes_of": "metal"}) if apart else ({}, {})
    halted = ["china", "lynas"] if ree_halted else ["china"]
    return {
        "name": "gallium_pair",
        "horizon_days": 60,
        "materials": {"ree": {"price_usd_per_kg": 50, **kinds[0]}, "ga": {"price_usd_per_kg": 60, **kinds[1]}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5, "eu": 5}},
            "lynas": {"lead_time_days": {"japan": 5}},
        },
        "regions": {
            "japan": {
                "demand": {"ree": {"tonnes_per_day": 20}, "ga": {"tonnes_per_day": 2}},
                "commercial_stock": {"ree": {"tonnes": 0}, "ga": {"tonnes": 0}},
                "sourcing": {"ree": {"lynas": 1.0}, "ga": {"china": 1.0}},
            },
            "eu": {
                "demand": {"ga": {"tonnes_per_day": 1}},
                "commercial_stock": {"ga": {"tonnes": 0}},
                "sourcing": {"ga": {"china": 1.0}},
            },
        },
        "shocks": [
            {
                "id": f"halt_{s}",
                "kind": "embargo",
                "supplier": s,
                "regions": ["japan", "eu"],
                "start": -100,
                "end": 1000,
            }
            for s in halted
        ],
        "agreement": {
            "members": ["japan", "eu"],
            "mechanism": "fair_ratio",
            "ratio": {"japan": 0.5, "eu": 0.5},
            "pool": {"contributions": {"japan": {"ga": {"tonnes": 10}}, "eu": {"ga": {"tonnes": 10}}}},
        },
    }


def swept(tmp_path: Path, data: dict[str, Any], name: str) -> tuple[pd.DataFrame, dict[str, Any], list[str]]:
    """``stockpile sweep`` of ``data`` over Japan's gallium in the pool (0, 30, 60 t): table, ``sweep.json``, notes."""
    scenario, out = tmp_path / f"{name}.yaml", tmp_path / name
    scenario.write_text(yaml.safe_dump(data))
    grid = ("--grid", f"{POOL}=0,30,60", "--no-plots", "-o", str(out))
    result = CliRunner().invoke(main, ["sweep", str(scenario), *grid])
    assert result.exit_code == 0, result.output
    notes = [line.removeprefix("note: ") for line in result.output.splitlines() if line.startswith("note: ")]
    return pd.read_parquet(out / "sweep.parquet"), json.loads((out / "sweep.json").read_text()), notes


def frontier_drawn(table: pd.DataFrame, info: dict[str, Any]) -> tuple[dict[float, float], str]:
    """The frontier the sweep would draw: each dot's total shortfall -> its fairness, and the fairness axis's label."""
    draw, _why = _draws(table, info)["sweep_frontier.png"]
    ax = draw().axes[0]
    dots = {round(float(x), 6): round(float(y), 6) for c in ax.collections for x, y in c.get_offsets()}
    return dots, ax.get_ylabel()


def medians(table: pd.DataFrame, column: str) -> dict[float, float]:
    """Each grid point's median total shortfall -> its median of ``column`` (one run a point: its value)."""
    by_point = table.groupby("point")[["total_shortfall_t", column]].median()
    return {round(t, 6): round(f, 6) for t, f in zip(by_point["total_shortfall_t"], by_point[column], strict=True)}


def test_one_material_short_with_tonnes_apart_draws_that_material_s_index_and_added_tonnes_the_index_over_all(
    tmp_path,
):
    apart, apart_info, _ = swept(tmp_path, world(apart=True), "apart")
    assert apart_info["shortfall_adds"] == "tonnes of metal and tonnes of oxide"
    assert (apart["shortfall_t.japan.ree"] == 0).all() and (apart["shortfall_t.eu.ga"] > 0).all()
    dots, label = frontier_drawn(apart, apart_info)
    assert len(dots) == 3
    assert dots == medians(apart, "fairness_jain.all.ga")
    assert label.startswith("Fairness of ga (Jain's index)")
    # Over all materials the EU looks as if it bore everything: the index is far below gallium's own, which the
    # figure must not draw. Japan's ~2/3 of the gallium short over 22 t/day, the EU's ~1/3 over 1 t/day: shares of
    # ~0.09 and ~0.94, an index of (0.09 + 0.94)^2 / (2 x (0.09^2 + 0.94^2)) = ~0.59 (1/n = 0.5 at the worst).
    assert (apart["fairness_jain"] < 0.65).all() and (apart["fairness_jain.all.ga"] > 0.9).all()

    added, added_info, _ = swept(tmp_path, world(apart=False), "added")
    assert added_info.get("shortfall_adds") is None
    dots, label = frontier_drawn(added, added_info)
    assert dots == medians(added, "fairness_jain")  # unchanged: the index over all materials
    assert label.startswith("Fairness (Jain's index)")


def test_two_materials_short_with_tonnes_apart_keep_the_index_over_all_and_say_so(tmp_path):
    table, info, printed = swept(tmp_path, world(apart=True, ree_halted=True), "both")
    assert (table["shortfall_t.japan.ree"] > 0).all() and (table["shortfall_t.eu.ga"] > 0).all()
    dots, label = frontier_drawn(table, info)
    assert dots == medians(table, "fairness_jain") and label.startswith("Fairness (Jain's index)")
    said = [note for note in printed if note.startswith("fairness_jain ")]
    assert len(said) == 1 and "tonnes of metal and tonnes of oxide" in said[0]
    assert "fairness_jain.all.<material>" in said[0]
    assert said[0] in info["notes"]  # kept in sweep.json, as the sweep's other notes


def test_one_material_short_is_told_over_the_whole_table_not_point_by_point(tmp_path):
    """Rare earths short at one point only (a hand-edited copy of the sweep's table): two materials are short
    somewhere, so no one material's index stands for every point and the index over all materials is drawn."""
    table, info, _ = swept(tmp_path, world(apart=True), "edited")
    assert frontier_drawn(table, info)[1].startswith("Fairness of ga")  # as the sweep wrote it: gallium alone short
    table.loc[table.index[0], "shortfall_t.japan.ree"] = 5.0
    dots, label = frontier_drawn(table, info)
    assert dots == medians(table, "fairness_jain") and label.startswith("Fairness (Jain's index)")
