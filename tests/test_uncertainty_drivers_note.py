"""stockpile run --uncertainty N says why the drivers column is empty when no input reaches the threshold.

The test world (tests/test_uncertainty_run.py): the shortfall is 40 x demand, so its rank
correlation with demand is exactly 1. With 2 inputs an input is named when |rho| reaches
z(1 - 0.05 / 4) / sqrt(N - 1) (and at least 0.2): z = 2.2414, so 1.12 at N = 5 (more than
any correlation: no driver can be named) and 0.75 at N = 10 (demand is named). The run gives drivers for three
figures (the total, Japan's shortfall and its lowest cover): the odds of naming an input without effect are under
5% for each, up to 1 - 0.95^3 = 14.3% over the three.
"""

from __future__ import annotations

import types

import pandas as pd
import yaml

from simulator.sensitivity.intervals import Driver, no_drivers_note
from tests.helpers import invoke
from tests.test_uncertainty_run import SHORT


def _run(tmp_path, samples):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SHORT, sort_keys=False))
    out = tmp_path / f"out{samples}"
    result = invoke("run", path, "--uncertainty", samples, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    return result.output, pd.read_csv(out / "uncertainty.csv", keep_default_na=False)


def test_every_drivers_cell_empty_is_said_with_the_threshold_and_the_samples_that_would_lower_it(tmp_path):
    """z(1 - 0.05 / 4) = 2.2414 over sqrt(5 - 1) = 2 is 1.12; 0.2 is reached once sqrt(N - 1) >=
    z / 0.2 = 11.207: N - 1 >= 125.6, N = 127."""
    output, table = _run(tmp_path, 5)
    assert set(table["drivers"]) == {""}
    (note,) = [line for line in output.splitlines() if "drivers are empty" in line]
    assert note == (  # 1.12 is more than any rank correlation: z^2 = 5.02, so N - 1 >= 5.02 takes N = 7
        "note: no input can be named a driver of any headline figure from so few samples (uncertainty.csv's "
        "drivers are empty): with 2 inputs and 5 samples, keeping the odds of naming an input without effect "
        "under 5% for one figure (over the run's 3 figures, up to about 14%) would take a rank correlation above 1, "
        "which none can reach; one could be named from 7 samples, and the threshold falls to 0.2 from 127 samples"
    )


def test_no_note_once_a_driver_is_named(tmp_path):
    output, table = _run(tmp_path, 10)
    assert table.set_index("metric").loc["total_shortfall_t", "drivers"] == "demand (+1.00)"
    assert "drivers are empty" not in output


def test_at_the_floor_the_note_does_not_blame_the_sample_count():
    # 1,000 samples of 2 inputs: 2.2414 / sqrt(999) = 0.07, below the floor of 0.2
    fake = types.SimpleNamespace(
        runs=1000, drivers={"total_shortfall_t": []}, study=types.SimpleNamespace(inputs=[0, 1])
    )
    assert no_drivers_note(fake) == (
        "no input is named a driver of any headline figure (uncertainty.csv's drivers are empty): "
        "none reaches an absolute rank correlation of 0.20, the least named a driver however many samples"
    )
    fake.drivers["shortfall_t.eu"] = [Driver("demand", "x", 0.9)]
    assert no_drivers_note(fake) is None
