"""The Python API: ``run``, ``sweep``, ``compare``, ``check`` and ``report`` for notebooks and scripts.

Layer: face.

Each function does what the command of the same name does, with Python values in and
pandas DataFrames out, and writes no file unless asked (``path``, ``out``,
``RunResult.write``). The same names are on the package: ``simulator.run(...)`` is
``simulator.api.run(...)``.

**Scenarios.** Every ``scenario`` argument is a YAML file path, the bare name of a
scenario in ``./scenarios`` or the shipped library (``"embargo_2010"``), a mapping of
scenario data as read from YAML, or a validated ``Scenario``
(``simulator.load_scenario(path)``). ``set`` changes fields before validation, as ``--set``
does: a mapping ``{"agreement.ratio.japan": 0.3}``, or a list of ``(path, value)`` pairs or
``"PATH=VALUE"`` strings. A mapping given as the scenario is never changed.

**Tables.** Dates are ``datetime64[s]`` (``NaT`` without a ``start_date``); whole numbers
are nullable integers, with ``<NA>`` where an event never happened
(``first_shortfall_day``); each table's units are in ``frame.attrs["units"]``
(see ``simulator.frames``).

**Errors.** Bad input raises ``simulator.InputError`` (a
``simulator.ScenarioError`` for a scenario) whose message names the file
and field, as the command line prints it.

Modules: :mod:`~simulator.api.inputs` (scenarios and changes as given), :mod:`~simulator.api.runs`
(``run``, ``compare``, ``report``), :mod:`~simulator.api.sweeps` (``sweep``) and
:mod:`~simulator.api.checks` (``check``).
"""

from simulator.api.checks import CheckReport, check
from simulator.api.inputs import Overrides, ScenarioLike
from simulator.api.runs import RunResult, compare, report, run
from simulator.api.sweeps import sweep

__all__ = ["CheckReport", "Overrides", "RunResult", "ScenarioLike", "check", "compare", "report", "run", "sweep"]
