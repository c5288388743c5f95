"""``simulator.sensitivity.study.evaluate`` keeps curves by name: ``run --uncertainty`` asks for a tuple of them.

Its ``curves`` was annotated ``bool`` while ``run_uncertainty`` passed the default curves and the world price as a
tuple of names (``kept_curves(True) + ("world_price_usd_per_kg",)``): the annotation now says what it takes.
"""

from __future__ import annotations

import typing

import numpy as np

from simulator.fastpath import CurveRequest
from simulator.randomness import run_seed
from simulator.sensitivity import plan_study
from simulator.sensitivity.study import evaluate
from tests.helpers import TWO_MEMBERS, build


def test_evaluate_takes_a_tuple_of_curve_names_and_keeps_those_alone():
    assert typing.get_type_hints(evaluate)["curves"] == CurveRequest == bool | tuple[str, ...]
    data = build(
        TWO_MEMBERS, uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "values": [40, 160], "source": "test"}]
    )
    study = plan_study(data, "s.yaml", fixed=())
    points = [{"regions.eu.demand.ree.tonnes_per_day": v} for v in (40, 160)]
    _, curves = evaluate(study, points, [run_seed(study.root_seed, k) for k in range(2)], curves=("baseline_demand_t",))
    assert curves is not None and list(curves) == ["baseline_demand_t"]
    # (run, day, region, material): TWO_MEMBERS' 60 days, Japan's 20 t/day and each point's EU demand, flat
    assert curves["baseline_demand_t"].shape == (2, 60, 2, 1)
    assert np.array_equal(curves["baseline_demand_t"][:, 0, :, 0], [[20, 40], [20, 160]])
