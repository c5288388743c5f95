"""What ``stockpile run --uncertainty N`` imports: no Matplotlib unless it draws (session 56)."""

from __future__ import annotations

import pytest

from tests.helpers import TWO_MEMBERS, build
from tests.test_report_without_figures import HALTED
from tests.test_startup import _loaded

UNCERTAIN_PAIR = build(
    TWO_MEMBERS,
    uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "test"}],
)
"""Two members halted 60 days with a joint stock and an uncertain demand: each sample also runs without the
agreement (the second pass), as in the 2010 replay, in a fraction of its time."""

HELD_TODAY = build(UNCERTAIN_PAIR, agreement__pool__already_held=["japan"])
"""The same with Japan's share a stock it holds today: the second pass runs the status quo
(:mod:`simulator.counterfactuals`, which used to live in the report's package and load Matplotlib with it)."""


@pytest.mark.parametrize("data", [UNCERTAIN_PAIR, HELD_TODAY], ids=["without-agreement", "status-quo"])
def test_samples_without_plots_or_report_never_import_matplotlib(tmp_path, data):
    loaded = _loaded(tmp_path, "run", "--uncertainty", "4", "--workers", "1", "--no-plots", data=data)
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
