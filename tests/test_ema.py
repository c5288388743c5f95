"""The EMA Workbench adapter: the scenario's uncertain inputs as workbench parameters, runs as outcomes.

The world of ``tests/test_sensitivity.py``: short of everything from day 0, so over 40
days its shortfall is exactly 40 x demand - stock, whatever the lead time.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from simulator.errors import InputError
from simulator.sensitivity.ema import ema_model
from tests.helpers import build
from tests.test_sensitivity import SHORT

# importing the workbench takes about a second: one test process does it, when a test needs it
pytestmark = pytest.mark.xdist_group("ema-workbench")


@pytest.fixture(scope="module")
def workbench():
    """The EMA Workbench module (the tests skip without the ``ema`` extra)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pytest.importorskip("ema_workbench")


WORLD = build(
    SHORT,
    uncertain=[
        *SHORT["uncertain"][:2],
        {"path": "suppliers.china.lead_time_days.japan", "low": 3, "high": 9, "source": "test"},
        {
            "path": "materials.ree.holding_cost_usd_per_t_year",
            "distribution": "triangular",
            "low": 100,
            "mode": 500,
            "high": 900,
            "source": "test",
        },
    ],
)


@pytest.mark.usefixtures("workbench")  # ema_model needs it
def test_the_model_has_one_parameter_per_uncertain_input_in_its_own_units():
    model = ema_model(WORLD, "s.yaml", ["total_shortfall_t", "holding_cost_usd.japan"])
    kinds = {p.name: (type(p).__name__, p.lower_bound, p.upper_bound) for p in model.uncertainties}
    assert kinds == {
        "regions.japan.demand.ree.tonnes_per_day": ("RealParameter", 5.0, 15.0),
        "regions.japan.commercial_stock.ree.tonnes": ("RealParameter", 0.0, 100.0),
        "suppliers.china.lead_time_days.japan": ("IntegerParameter", 3, 9),
        "materials.ree.holding_cost_usd_per_t_year:quantile": ("RealParameter", 0.0, 1.0),
    }
    assert [o.name for o in model.outcomes] == ["total_shortfall_t", "holding_cost_usd.japan"]


def test_experiments_run_the_scenario_with_their_values(workbench):
    model = ema_model(WORLD, "s.yaml", ["total_shortfall_t"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = workbench.perform_experiments(model, 12)
    demand = experiments["regions.japan.demand.ree.tonnes_per_day"].to_numpy(float)
    stock = experiments["regions.japan.commercial_stock.ree.tonnes"].to_numpy(float)
    assert np.allclose(outcomes["total_shortfall_t"], 40 * demand - stock)
    assert set(experiments["suppliers.china.lead_time_days.japan"]) <= set(range(3, 10))


def test_inputs_keeps_only_the_inputs_named_and_the_others_stay_at_the_scenario_values(workbench):
    demand = "regions.japan.demand.ree.tonnes_per_day"
    model = ema_model(WORLD, "s.yaml", ["total_shortfall_t"], inputs=[demand])
    assert [p.name for p in model.uncertainties] == [demand]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        experiments, outcomes = workbench.perform_experiments(model, 8)
    # the stock stays at the scenario's 50 t: 40 days of demand less 50 t short, whatever the demand
    assert np.allclose(outcomes["total_shortfall_t"], 40 * experiments[demand].to_numpy(float) - 50)
    with pytest.raises(InputError, match=r"'regions\.eu\.demand' is not an uncertain input"):
        ema_model(WORLD, "s.yaml", inputs=["regions.eu.demand"])


@pytest.mark.usefixtures("workbench")  # ema_model needs it
def test_a_quantile_parameter_maps_through_the_entry_distribution():
    model = ema_model(WORLD, "s.yaml", ["total_shortfall_t"])
    point = model.function.point(
        {
            "regions.japan.demand.ree.tonnes_per_day": 10.0,
            "regions.japan.commercial_stock.ree.tonnes": 0.0,
            "suppliers.china.lead_time_days.japan": 4,
            "materials.ree.holding_cost_usd_per_t_year:quantile": 0.5,
        }
    )
    assert point["materials.ree.holding_cost_usd_per_t_year"] == pytest.approx(500)  # the symmetric mode
    assert point["suppliers.china.lead_time_days.japan"] == 4


@pytest.mark.usefixtures("workbench")  # ema_model needs it
def test_a_fixed_override_on_an_input_the_model_varies_is_refused():
    """Each experiment's value would replace the one fixed, as ``stockpile sensitivity --set`` would."""
    stock = "regions.japan.commercial_stock.ree.tonnes"
    with pytest.raises(InputError, match=rf"--set {stock}: the same path is varied by the uncertain: entry on"):
        ema_model(WORLD, "s.yaml", ["total_shortfall_t"], fixed=[stock])
    demand = "regions.japan.demand.ree.tonnes_per_day"  # fixed on an input left out: nothing varies it
    model = ema_model(WORLD, "s.yaml", ["total_shortfall_t"], inputs=[demand], fixed=[stock])
    assert [p.name for p in model.uncertainties] == [demand]
