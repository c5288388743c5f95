"""What ``stockpile run --uncertainty N`` imports: no Matplotlib unless it draws (session 56)."""

from __future__ import annotations

import yaml

from tests.helpers import ROOT
from tests.test_report_without_figures import HALTED
from tests.test_startup import _loaded

EMBARGO_2010 = yaml.safe_load((ROOT / "scenarios" / "embargo_2010.yaml").read_text(encoding="utf-8"))
"""The 2010 replay with its agreement: each sample also runs without it (the second pass)."""


def test_samples_without_plots_or_report_never_import_matplotlib(tmp_path):
    loaded = _loaded(tmp_path, "run", "--uncertainty", "4", "--workers", "1", "--no-plots", data=EMBARGO_2010)
    assert "matplotlib" not in loaded and "PIL" not in loaded
    out = tmp_path / "out"
    assert (out / "uncertainty.csv").is_file() and (out / "uncertainty_without_agreement.parquet").is_file()
    assert not list(out.glob("*.png"))


def test_samples_with_plots_load_matplotlib_to_draw_the_fan_charts(tmp_path):
    # the same probe sees Matplotlib when the fan charts are drawn (so the test above can fail); a small
    # scenario with one uncertain input draws them as the replay does
    assert "matplotlib" in _loaded(tmp_path, "run", "--uncertainty", "4", "--workers", "1", data=HALTED)
    assert (tmp_path / "out" / "fan_days_of_cover.png").is_file()
    assert (tmp_path / "out" / "fan_shortfall.png").is_file()


def test_samples_measured_against_the_status_quo_never_import_matplotlib_either(tmp_path):
    # with shares held today the second pass runs the status quo (simulator.counterfactuals), which used to
    # live in the report's package and load Matplotlib with it
    held = {**EMBARGO_2010, "agreement": {**EMBARGO_2010["agreement"]}}
    held["agreement"]["pool"] = {**held["agreement"]["pool"], "already_held": ["japan"]}
    loaded = _loaded(tmp_path, "run", "--uncertainty", "4", "--workers", "1", "--no-plots", data=held)
    assert "matplotlib" not in loaded and "PIL" not in loaded
    assert (tmp_path / "out" / "uncertainty_without_agreement.parquet").is_file()
