"""A swept ``agreement.members``: each point's fairness and holding costs are its own members' (session 60).

``sweep.json``'s ``members`` are every region that is a member at some grid point (the frontier's choices are
theirs). The figures read that list as each point's members too: where the EU is short but joins only at the
second point, the first point's fairness counted it, and kept Jain's index of 1 (a run where no one is short)
though no member was short; the pool frontier added the holding cost of a reserve an outsider keeps for itself.
``members_by_point`` records each point's own members; a ``sweep.json`` without it reads as before.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pytest

from simulator.api.sweeps import _in_memory
from simulator.errors import InputError
from simulator.sweep import describe
from simulator.sweep.figures import NONE_SHORT, _draws, _labelled, redraw
from simulator.sweep.grid import Axis, SweepSpec
from simulator.sweep.runner import plan_sweep
from tests.test_sweep_members_core60 import LARGE, SMALL, three_regions

POOL_JAPAN = "agreement.pool.contributions.japan.ree.tonnes"


def _swept(data: dict[str, Any], *axes: Axis) -> tuple[Any, dict[str, Any]]:
    """The table of a one-run-per-point sweep of ``data`` over ``axes``, and its ``sweep.json``."""
    sweep = plan_sweep(data, "three.yaml", SweepSpec(axes))
    return _in_memory(sweep, 1, None), describe(sweep, 0.0, "this process", 1, None)


def _drawn(table: Any, info: dict[str, Any], name: str) -> Any:
    """The figure ``name`` as a sweep draws it from its table and ``sweep.json``."""
    draw, why = _draws(_labelled(table, list(info["grid"])), info)[name]
    assert draw is not None, why
    return draw()


def eu_joins_second() -> tuple[Any, dict[str, Any]]:
    """The review's world: Japan and Korea hold 100,000 t each (60 days of 20 t/d need 1,200 t: never short), the
    EU none (80 t/d, all 4,800 t of its 60 days short); the EU joins at the second point."""
    data = three_regions()
    for region in ("japan", "korea"):
        data["regions"][region]["commercial_stock"]["ree"]["tonnes"] = 100_000
    return _swept(data, Axis("agreement.members", (SMALL, LARGE)))


def test_sweep_json_records_each_points_members_beside_every_member():
    table, info = eu_joins_second()
    assert info["members"] == ["japan", "korea", "eu"]
    assert info["members_by_point"] == [SMALL, LARGE]
    # the runs as the review found them: at point 0 only the outsider EU is short
    assert table["shortfall_t.eu"].tolist() == [4800.0, 4770.0]  # the 30 t pool meets 30 t once it joins
    assert (table[["shortfall_t.japan", "shortfall_t.korea"]].to_numpy() == 0).all()
    _, unswept = _swept(three_regions(), Axis(POOL_JAPAN, (30, 60)))
    assert unswept["members"] == SMALL and "members_by_point" not in unswept  # every point's are members


def test_a_point_where_no_member_is_short_shows_none_short():
    table, info = eu_joins_second()
    fig = _drawn(table, info, "sweep_metrics.png")
    (fairness,) = [ax for ax in fig.axes if ax.get_visible() and ax.get_title().startswith("Fairness")]
    assert [text.get_text() for text in fairness.texts] == [NONE_SHORT]  # point 0 only
    assert fairness.texts[0].get_position()[0] == 0
    # point 1: the EU bears all 4,770 t of the members' shortfall, Japan and Korea none: Jain = 1/3
    medians = fairness.lines[0].get_ydata()
    assert np.isnan(medians[0]) and medians[1] == pytest.approx(1 / 3)
    assert "over runs with a member short" in fairness.get_title()


def test_the_pool_frontier_counts_a_reserve_only_where_its_holder_is_a_member():
    """Korea (never short: 100,000 t) keeps 100 t of reserve at 3,650 USD/t/year: 10 USD/t/day x 100 t x 60 days
    = 60,000 USD, its own where it is an outsider (points 0 and 1), the club's where it joins (points 2 and 3).
    Japan's 30 t or 60 t in the pool go on day one (the EU and Japan are short from the start: 0 USD held)."""
    data = three_regions()
    data["agreement"]["members"] = ["japan", "eu"]
    data["materials"]["ree"]["holding_cost_usd_per_t_year"] = 3650
    data["regions"]["korea"]["commercial_stock"]["ree"]["tonnes"] = 100_000
    data["regions"]["korea"]["reserve"] = {"ree": {"tonnes": 100}}
    members = Axis("agreement.members", (["japan", "eu"], ["japan", "eu", "korea"]))
    table, info = _swept(data, members, Axis(POOL_JAPAN, (30, 60)))
    assert table["holding_cost_usd.korea"].tolist() == [60_000.0] * 4
    fig = _drawn(table, info, "sweep_pool_frontier.png")
    dots = {tuple(xy) for c in fig.axes[0].collections for xy in np.round(c.get_offsets(), 9).tolist()}
    # shortfall: 6,000 t of Japan's and the EU's 60 days, less the 30 t or 60 t pool
    assert dots == {(0.0, 5970.0), (0.0, 5940.0), (0.06, 5970.0), (0.06, 5940.0)}


def test_plot_sweep_refuses_members_by_point_without_a_points_members(tmp_path):
    table, info = eu_joins_second()
    table.to_parquet(tmp_path / "sweep.parquet", index=False)
    (tmp_path / "sweep.json").write_text(json.dumps({**info, "members_by_point": [SMALL]}, default=str))
    with pytest.raises(InputError, match="members_by_point: no members listed for grid point 1 of the table"):
        redraw(tmp_path)


def test_a_sweep_json_without_members_by_point_reads_every_points_members_as_members():
    """A sweep.json written before members_by_point is read as before: ``members`` at every point (the EU counted
    at point 0, its Jain's index of 1 kept)."""
    table, info = eu_joins_second()
    del info["members_by_point"]
    fig = _drawn(table, info, "sweep_metrics.png")
    (fairness,) = [ax for ax in fig.axes if ax.get_visible() and ax.get_title().startswith("Fairness")]
    assert len(fairness.texts) == 0 and fairness.lines[0].get_ydata()[0] == 1.0
