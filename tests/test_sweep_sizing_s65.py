"""Sweep figures that do not mislead a question of how large a joint pool must be (a cobalt analyst's, session 65).

Without a holding cost (``materials.<m>.holding_cost_usd_per_t_year``) the cost frontier put every pool size at x = 0
on an axis of 0 to 1e-9 and called each one efficient: its x axis is then what buying the pool costs. A label's
``(+7 alike)`` counted grey dominated dots beside one red efficient dot. A swept mapping was labelled by its text
cut at 40 characters, before the days that change. A swept ratio that moved who is short but not the members'
total said nothing.
"""

from __future__ import annotations

import copy

import pandas as pd
import pytest

from simulator.names import number_text
from simulator.sweep import figures
from simulator.sweep.figures import _labels

COBALT = {
    "name": "tiny_pool",
    "description": "How large a joint cobalt pool gets two members through a 40-day halt?",
    "horizon_days": 90,
    "materials": {"cobalt": {"price_usd_per_kg": 33}},
    "suppliers": {
        "drc": {"lead_time_days": {"korea": 20, "japan": 20}},
        "others": {"lead_time_days": {"korea": 20, "japan": 20}},
    },
    "regions": {
        region: {
            "demand": {"cobalt": {"tonnes_per_day": demand}},
            "commercial_stock": {"cobalt": {"days": 10}},
            "sourcing": {"cobalt": {"drc": 0.7, "others": 0.3}},
        }
        for region, demand in (("korea", 10.0), ("japan", 5.0))
    },
    "shocks": [
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "drc",
            "regions": ["korea", "japan"],
            "start": 5,
            "duration_days": 40,
        }
    ],
    "agreement": {
        "members": ["korea", "japan"],
        "mechanism": "fair_ratio",
        "pool": {
            "mode": "joint",
            "contributions": {"korea": {"cobalt": {"tonnes": 1}}, "japan": {"cobalt": {"tonnes": 1}}},
        },
        "ratio": {"korea": 0.5, "japan": 0.5},
    },
}
"""Two members short of cobalt in a 40-day halt of 70% of their supply; no holding cost set (0 USD/t/yr)."""
POOL = "agreement.pool.contributions"
SIZES_T = [(100, 50), (200, 100), (400, 200)]
"""Korea's and Japan's contributions (t) at the three grid points."""


def _pools() -> list[dict]:
    return [{"korea": {"cobalt": {"tonnes": k}}, "japan": {"cobalt": {"tonnes": j}}} for k, j in SIZES_T]


def test_without_holding_cost_the_pool_frontier_is_what_buying_the_pool_costs(tmp_path, monkeypatch):
    from simulator.api import sweep

    sweep(copy.deepcopy(COBALT), {POOL: _pools()}, out=tmp_path / "sw", plots=False)
    drawn = {}
    frontier = figures._frontier

    def spy(stats, paths, x, y, *args, **kwargs):
        if y == figures.TOTAL:  # the cost frontier (the other one's y is fairness)
            drawn["x"], drawn["label"] = stats[x].to_numpy(float), args[1]
        return frontier(stats, paths, x, y, *args, **kwargs)

    monkeypatch.setattr(figures, "_frontier", spy)
    written, notes = figures.redraw(tmp_path / "sw")
    assert "sweep_pool_frontier.png" in [p.name for p in written]
    # (100 + 50) t x 33 USD/kg x 1,000 kg/t = 4.95 million USD; 300 t 9.9; 600 t 19.8: not 0 at every point
    assert drawn["x"] == pytest.approx([4.95, 9.9, 19.8])
    assert "buying the joint pool" in drawn["label"]
    assert any("materials.cobalt.holding_cost_usd_per_t_year" in note for note in notes)


def test_a_label_counts_only_dots_drawn_as_its_own():
    # a made-up cluster: ratio 1's dot efficient (fairness 0.925), ratios 0.3 to 0.9 dominated a hair below it
    # (0.9249: 0.03 points away on a 0.3-1.0 axis 4.4 inches tall), the same 1,500 t short; 0 and 0.1 well apart
    ratios = [0.0, 0.1, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0]
    fairness = [0.80, 0.85, *[0.9249] * 7, 0.925]
    table = pd.DataFrame(
        {"agreement.ratio.korea": ratios, "point": range(10), "run": 0, "total_shortfall_t": 1500.0}
    ).assign(fairness_jain=fairness)
    fig = figures.frontier_figure(table, ["agreement.ratio.korea"], ["korea", "japan", "eu"])
    labels = sorted(text.get_text() for text in fig.axes[0].texts)
    assert labels == ["0", "0.1", "0.3 (+6 alike)", "1"]  # was "1 (+7 alike)": seven hollow dots counted as its own


def test_a_swept_mapping_is_labelled_by_the_leaves_that_change():
    values = pd.Series(
        [
            {"korea": {"cobalt": {"days": d}}, "japan": {"cobalt": {"days": d}}, "eu": {"cobalt": {"days": 45}}}
            for d in (30, 60, 90)
        ]
    )
    assert _labels(values).tolist() == ["cobalt.days=30", "cobalt.days=60", "cobalt.days=90"]
    alone = pd.Series([{"korea": {"cobalt": {"days": d}}, "japan": {"cobalt": {"days": 30}}} for d in (30, 60)])
    assert _labels(alone).tolist() == ["korea.cobalt.days=30", "korea.cobalt.days=60"]


def test_a_ratio_that_moves_who_is_short_but_not_the_total_says_so(tmp_path):
    from simulator.api import sweep

    scenario = copy.deepcopy(COBALT)
    scenario["agreement"]["pool"]["contributions"] = {
        "korea": {"cobalt": {"tonnes": 60}},
        "japan": {"cobalt": {"tonnes": 30}},
    }
    with pytest.warns(UserWarning, match="total shortfall the same") as caught:
        table = sweep(scenario, {"agreement.ratio.korea": [0.2, 0.8]})
    member_t = table[["shortfall_t.korea.cobalt", "shortfall_t.japan.cobalt"]].to_numpy()
    (k0, j0), (k1, j1) = member_t
    assert abs(member_t[0] - member_t[1]).max() > 0.001 * member_t[0].sum()  # shares move beyond 0.1%
    notes = [str(w.message) for w in caught if "agreement.ratio.korea:" in str(w.message)]
    # the halt stops 70% of 15 t/day (10.5 t/day) arriving from day 25 to day 64 (20 days in transit): 420 t of gaps,
    # met by 150 t of commercial stock (10 days) and the 90 t pool: 180 t short whatever the ratio
    assert table["total_shortfall_t"].tolist() == [180.0, 180.0]
    assert len(notes) == 1
    assert notes[0].startswith(
        "agreement.ratio.korea: its values leave the members' total shortfall the same (180 t of cobalt at each "
        f"value); only who is short moves (korea {number_text(k0)} t at 0.2 to {number_text(k1)} t at 0.8, japan "
        f"{number_text(j0)} t to {number_text(j1)} t) under fair_ratio: without a release cap"
    )
