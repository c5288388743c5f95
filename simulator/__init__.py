"""Simulator of joint strategic stockpiles of critical raw materials.

Layer: face (the Python API; importing it loads nothing else until a name is used).

Library use (see :mod:`simulator.api`)::

    import simulator
    result = simulator.run("embargo_2010", set={"agreement.ratio.japan": 0.3})
    result.timeseries, result.summary  # pandas DataFrames
    table = simulator.sweep("embargo_2010", grid={"agreement.ratio.japan": "0:1:0.25"})

``sweep``, ``compare`` and ``report`` are also the names of modules (the subpackages
``simulator.sweep`` and ``simulator.report``, the module ``simulator.compare``), which
Python binds on the package when they are imported. So
that ``simulator.sweep(...)`` works whatever was imported first, the package binds each
of them as its API function: ``simulator.sweep`` calls, and ``help()`` documents, the
function of the same name in :mod:`simulator.api`, while its other attributes are the
module's (``simulator.sweep.plan_sweep``; imports such as
``from simulator.sweep import plan_sweep`` are unchanged).
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
"""Modules (two subpackages and ``compare.py``) that are also functions of the API."""
LAZY_MODULES = ("api",)
"""Submodules reached as attributes without importing them first (``simulator.api.RunResult`` after
``import simulator``), imported on first use."""


class _ApiFunction:
    """``simulator.sweep`` and the like: the API function, through which the module's names are reached.

    Calling it calls ``simulator.api.<name>``; ``help()``, ``pydoc``, ``inspect.signature``
    and IPython's ``?`` show that function's signature and docstring, as for
    ``simulator.run``, and not the module's internals. Any other attribute is the
    module's (read, set and deleted there), so ``simulator.sweep.plan_sweep``,
    ``import simulator.sweep.figures as figures`` and ``monkeypatch.setattr(simulator.compare, ...)``
    work as on the module itself, which stays in ``sys.modules``.
    """

    def __init__(self, module: types.ModuleType) -> None:
        object.__setattr__(self, "_module", module)
        object.__setattr__(self, "__name__", module.__name__.rpartition(".")[2])
        object.__setattr__(self, "__qualname__", self.__name__)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Call ``simulator.api.<name>``."""
        return self.__wrapped__(*args, **kwargs)

    def __get__(self, instance: object, owner: type | None = None) -> _ApiFunction:
        # never bound to an instance (like a staticmethod); having __get__ makes it a routine
        # to inspect and pydoc, which then document it as a function: signature, then docstring
        return self

    @property
    def __wrapped__(self) -> Any:
        """``simulator.api.<name>`` (imported on first use), for ``inspect.signature`` and IPython."""
        from simulator import api

        return getattr(api, self.__name__)

    @property
    def __annotations__(self) -> dict[str, Any]:  # type: ignore[override]
        """The API function's annotations, for ``typing.get_type_hints`` and the tools built on it."""
        return self.__wrapped__.__annotations__

    @property  # type: ignore[override]
    def __doc__(self) -> str | None:
        """The API function's docstring."""
        return self.__wrapped__.__doc__

    @property  # type: ignore[override]
    def __dict__(self) -> dict[str, Any]:  # type: ignore[override]
        """The module's namespace (what ``vars()`` and ``monkeypatch`` read)."""
        return self._module.__dict__

    def __getattr__(self, name: str) -> Any:
        return getattr(self._module, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._module, name, value)

    def __delattr__(self, name: str) -> None:
        delattr(self._module, name)

    def __dir__(self) -> list[str]:
        return dir(self._module)

    def __repr__(self) -> str:
        return f"<function simulator.{self.__name__} (simulator.api.{self.__name__}; module {self._module.__name__})>"


class _Package(types.ModuleType):
    """The package: binds the modules named in :data:`CALLABLE_MODULES` as :class:`_ApiFunction`."""

    def __setattr__(self, name: str, value: Any) -> None:
        if name in CALLABLE_MODULES and type(value) is types.ModuleType and value.__name__ == f"{__name__}.{name}":
            value = _ApiFunction(value)
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package


def __dir__() -> list[str]:
    """The public names (:data:`__all__`, imported lazily) and the submodules imported so far.

    For ``dir`` and tab completion: not the names this file uses itself (``importlib``, ``sys``, ``Any`` ...).
    """
    loaded = {
        name
        for name, value in globals().items()
        if isinstance(value, _ApiFunction)
        or (isinstance(value, types.ModuleType) and value.__name__.startswith(f"{__name__}."))
    }
    return sorted({*__all__, *LAZY_MODULES, *loaded})


def __getattr__(name: str) -> Any:
    """Import the public names lazily, so that ``import simulator`` stays cheap."""
    if name in CALLABLE_MODULES:
        module = importlib.import_module(f"{__name__}.{name}")  # binds it, as an _ApiFunction, on first import
        if name not in globals():  # imported before, then unbound
            setattr(sys.modules[__name__], name, module)
        return globals()[name]
    if name in _HOMES:
        return getattr(importlib.import_module(_HOMES[name]), name)
    if name in LAZY_MODULES:
        return importlib.import_module(f"{__name__}.{name}")  # binds it on the package
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
