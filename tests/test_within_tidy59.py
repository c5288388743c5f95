"""Whether a dotted path lies inside another is asked of simulator.scenario.overrides.within (session 59).

sweep/figures.py (``sweeps_the_pool``), sweep/grid.py (``overlap``, now overrides.py's ``overlap_relation``),
sensitivity/intervals.py (``is_agreement_input``, ``input_columns``) and overrides.py itself (``overridden``) tested it
by hand (``startswith("agreement.pool.")``, a tuple of prefixes).
"""

from __future__ import annotations

import inspect

import pytest

from simulator.scenario.overrides import overlap_relation, overridden
from simulator.sensitivity.intervals import input_columns, is_agreement_input
from simulator.sweep.figures import sweeps_the_pool

ASKERS = (sweeps_the_pool, overlap_relation, is_agreement_input, input_columns, overridden)
"""The functions that ask whether a dotted path (or a column named by one) lies inside another."""


@pytest.mark.parametrize("asker", ASKERS, ids=lambda f: f.__name__)
def test_each_asks_within_not_a_prefix_of_its_own(asker):
    source = inspect.getsource(asker)
    assert "startswith" not in source
    assert "within(" in source or "_set_above(" in source


def test_inside_is_below_a_dot_not_the_mapping_itself_nor_a_longer_name():
    assert sweeps_the_pool(["agreement.ratio.eu", "agreement.pool.contributions.eu.ree.days"])
    assert not sweeps_the_pool(["agreement.pool", "agreement.pooled.x"])
    assert overlap_relation("agreement.ratio", "agreement.ratio.japan") == "contains"
    assert overlap_relation("agreement.ratio.japan", "agreement.ratio") == "lies inside"
    assert overlap_relation("agreement.ratios", "agreement.ratio") is None
    assert is_agreement_input("agreement") and is_agreement_input("agreement.pool.days_of_demand")
    assert not is_agreement_input("agreements.x")


def test_setting_a_mapping_drops_the_uncertain_inputs_inside_it_only():
    uncertain = [{"path": p} for p in ("agreement.ratio.japan", "agreement.ratio", "agreement.ratios.eu", "seed")]
    data = {"agreement": {"ratio": {"japan": 0.5, "eu": 0.5}}, "uncertain": uncertain}
    after = overridden(data, [("agreement.ratio", {"japan": 0.4, "eu": 0.6})]).data
    assert [entry["path"] for entry in after["uncertain"]] == ["agreement.ratio", "agreement.ratios.eu", "seed"]
