"""``stockpile run --set ... --uncertainty N``: the fan charts written beside the run name the
run as the report does, "scenario as changed for this run", not "as written" (review s52: the
report's page was mended, the PNGs in the folder were not)."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.sensitivity import intervals
from tests.helpers import ROOT

SCENARIO = ROOT / "scenarios" / "long_embargo_6m.yaml"


@pytest.mark.parametrize(
    ("extra", "named"),
    [([], "as written"), (["--set", "shocks.china_embargo.severity=0.9"], "as changed for this run")],
    ids=["as-written", "with-set"],
)
def test_the_fan_charts_in_the_folder_name_the_run_as_the_report_does(tmp_path, monkeypatch, extra, named):
    seen: list[str] = []
    drawn = intervals.fan_chart

    def spy(*args, **kwargs):
        seen.append(kwargs.get("as_run", "as written"))
        return drawn(*args, **kwargs)

    monkeypatch.setattr(intervals, "fan_chart", spy)
    out = tmp_path / "out"
    done = CliRunner().invoke(
        main, ["run", str(SCENARIO), "-o", str(out), "--uncertainty", "4", "--workers", "1", *extra]
    )
    assert done.exit_code == 0, done.output
    assert seen == [named, named]  # the two fan charts, days of cover and shortfall
    assert {"fan_days_of_cover.png", "fan_shortfall.png"} <= {p.name for p in out.iterdir()}
