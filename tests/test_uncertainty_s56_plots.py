"""The scenario's own curves feed the fan charts alone: not worked out where none is drawn (session 56).

``own_curves`` pivots the run's timeseries for the fan charts' dashed lines; a report page without
figures and ``run --uncertainty N --no-plots`` draw no fan chart, so they leave it undone.
"""

from __future__ import annotations

from typing import Any

import pytest
import yaml

import simulator.report.uncertainty as report_uncertainty
import simulator.sensitivity.intervals as intervals
from simulator.engine import simulate
from simulator.report.uncertainty import uncertainty_section
from simulator.results import Result
from simulator.scenario import validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import Uncertainty, run_uncertainty
from tests.helpers import invoke
from tests.test_report_without_figures import HALTED


@pytest.fixture(scope="module")
def halted() -> tuple[Result, Uncertainty]:
    """:data:`HALTED`'s run and 10 samples of its uncertain demand."""
    result = simulate(validate_data(HALTED, "s.yaml"))
    return result, run_uncertainty(plan_study(HALTED, "s.yaml", fixed=()), 10)


def _counted(monkeypatch: pytest.MonkeyPatch, module: Any) -> list[int]:
    """Each call of ``module.own_curves`` from now on, as a 1 in the list returned."""
    calls: list[int] = []
    real = module.own_curves

    def counting(*args: Any) -> Any:
        calls.append(1)
        return real(*args)

    monkeypatch.setattr(module, "own_curves", counting)
    return calls


def test_a_section_without_figures_works_out_no_own_curves_and_a_drawn_one_once(halted, monkeypatch):
    result, found = halted
    calls = _counted(monkeypatch, report_uncertainty)
    bare = uncertainty_section(result, found, figures=False)
    assert calls == []
    assert '<figure data-figure="fan_days_of_cover">' in bare and 'class="chart"' not in bare
    drawn = uncertainty_section(result, found)
    assert calls == [1]  # one for both fan charts
    assert drawn.count('class="chart"') == 2


def test_run_without_plots_works_out_no_own_curves(tmp_path, monkeypatch):
    scenario = tmp_path / "s.yaml"
    scenario.write_text(yaml.safe_dump(HALTED))
    calls = _counted(monkeypatch, intervals)
    bare = invoke("run", scenario, "--uncertainty", 4, "--workers", 1, "--no-plots", "-o", tmp_path / "bare")
    assert bare.exit_code == 0, bare.output
    assert calls == []
    assert (tmp_path / "bare" / "uncertainty.csv").is_file() and not list((tmp_path / "bare").glob("*.png"))
    drawn = invoke("run", scenario, "--uncertainty", 4, "--workers", 1, "-o", tmp_path / "drawn")
    assert drawn.exit_code == 0, drawn.output
    assert calls == [1]
    assert {"fan_days_of_cover.png", "fan_shortfall.png"} <= {p.name for p in (tmp_path / "drawn").glob("*.png")}
