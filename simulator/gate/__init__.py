"""The scenario regression gate behind ``stockpile check`` (studies layer).

Layer: studies.

Re-runs scenarios, compares their numbers with stored baselines under tolerances, and
reports what moved. Modules, one job each:

- :mod:`~simulator.gate.baseline`: the record of one run on disk (rounding, reading, writing);
- :mod:`~simulator.gate.tolerances`: ``tolerances.yaml`` and the ``--rtol``/``--atol`` options;
- :mod:`~simulator.gate.compare`: one scenario against its baseline;
- :mod:`~simulator.gate.run`: the scenario set, orphan baselines, many scenarios in parallel;
- :mod:`~simulator.gate.formats`: text, JSON, GitHub annotations, Markdown and JUnit reports.

The public names below are imported on first use, so that the command line can read
:data:`~simulator.gate.formats.FORMATS` without loading the model.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from simulator.gate.compare import Drift, Outcome, Update
    from simulator.gate.run import Report, check, update
    from simulator.gate.tolerances import Tolerance, Tolerances, load_tolerances

_HOMES = {
    "Drift": "compare",
    "Outcome": "compare",
    "Update": "compare",
    "Report": "run",
    "check": "run",
    "update": "run",
    "Tolerance": "tolerances",
    "Tolerances": "tolerances",
    "load_tolerances": "tolerances",
}
__all__ = ["Drift", "Outcome", "Report", "Tolerance", "Tolerances", "Update", "check", "load_tolerances", "update"]


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    if name not in _HOMES:
        raise AttributeError(name)
    return getattr(importlib.import_module(f"simulator.gate.{_HOMES[name]}"), name)
