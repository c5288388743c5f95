"""Simulator of joint strategic stockpiles of critical raw materials.

Layer: face (the Python API; importing it loads nothing else until a name is used).

Library use::

    import simulator
    scenario = simulator.load_scenario("scenarios/embargo_2010.yaml")
    result = simulator.simulate(scenario)
    result.timeseries, result.summary  # pandas DataFrames
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.version import __version__

if TYPE_CHECKING:
    from simulator.engine import simulate
    from simulator.results import Result
    from simulator.scenario import Scenario, load_scenario

__all__ = ["Result", "Scenario", "__version__", "load_scenario", "simulate"]


def __getattr__(name: str) -> Any:
    """Import the public names lazily, so that ``import simulator`` stays cheap."""
    if name == "simulate":
        from simulator.engine import simulate

        return simulate
    if name == "Result":
        from simulator.results import Result

        return Result
    if name in ("Scenario", "load_scenario"):
        from simulator import scenario

        return getattr(scenario, name)
    raise AttributeError(name)
