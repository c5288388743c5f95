"""Simulator of joint strategic stockpiles of critical raw materials.

Layer: face (the Python API; importing it loads nothing else until a name is used).

Library use (see :mod:`simulator.api`)::

    import simulator
    result = simulator.run("embargo_2010", set={"agreement.ratio.japan": 0.3})
    result.timeseries, result.summary  # pandas DataFrames
    table = simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": "0:1:0.25"})

``sweep``, ``compare`` and ``report`` are also the names of subpackages
(``simulator.sweep``...), which Python binds on the package when they are imported. So
that ``simulator.sweep(...)`` works whatever was imported first, those three modules are
made callable: calling one calls the function of the same name in :mod:`simulator.api`
(imports such as ``from simulator.sweep import plan_sweep`` are unchanged).
"""

from __future__ import annotations

import importlib
import sys
import types
from typing import TYPE_CHECKING, Any

from simulator.version import __version__

if TYPE_CHECKING:
    from simulator.api import CheckReport, RunResult, check, compare, report, run, sweep
    from simulator.engine import simulate
    from simulator.errors import InputError, ScenarioError
    from simulator.results import Result
    from simulator.scenario import Scenario, load_scenario

__all__ = [
    "CheckReport",
    "InputError",
    "Result",
    "RunResult",
    "Scenario",
    "ScenarioError",
    "__version__",
    "check",
    "compare",
    "load_scenario",
    "report",
    "run",
    "simulate",
    "sweep",
]

_HOMES = {
    "CheckReport": "simulator.api",
    "RunResult": "simulator.api",
    "check": "simulator.api",
    "run": "simulator.api",
    "InputError": "simulator.errors",
    "ScenarioError": "simulator.errors",
    "simulate": "simulator.engine",
    "Result": "simulator.results",
    "Scenario": "simulator.scenario",
    "load_scenario": "simulator.scenario",
}
"""Where each public name lives (imported on first use)."""
CALLABLE_MODULES = ("sweep", "compare", "report")
"""Subpackages that are also functions of the API."""


class _CallableModule(types.ModuleType):
    """A subpackage that is also an API function: calling it calls :mod:`simulator.api`'s."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call ``simulator.api.<name>``."""
        return self._function()(*args, **kwargs)

    def _function(self) -> Any:
        from simulator import api

        return getattr(api, self.__name__.rpartition(".")[2])

    @property
    def __signature__(self) -> Any:
        """The signature of the API function (for ``help``, ``inspect`` and notebooks)."""
        import inspect

        return inspect.signature(self._function())


class _Package(types.ModuleType):
    """The package: makes the subpackages named in :data:`CALLABLE_MODULES` callable when bound."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in CALLABLE_MODULES and type(value) is types.ModuleType and value.__name__ == f"{__name__}.{name}":
            value.__class__ = _CallableModule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __getattr__(name: str) -> Any:
    """Import the public names lazily, so that ``import simulator`` stays cheap."""
    if name in CALLABLE_MODULES:
        return importlib.import_module(f"{__name__}.{name}")  # bound, and made callable, by the import
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
