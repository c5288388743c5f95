"""``stockpile run --set ... --uncertainty N``: the fan charts written beside the run name the
run as the report does, "scenario as changed for this run", not "as written" (review s52: the
report's page was mended, the PNGs in the folder were not)."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner
from matplotlib.text import Text

from simulator import plots
from simulator.cli import main
from simulator.names import run_noun
from simulator.sensitivity import intervals
from tests.helpers import SHORT_AND_UNSURE


@pytest.mark.parametrize(
    ("extra", "named"),
    [([], "as written"), (["--set", "shocks.halt.severity=0.9"], "as changed for this run")],
    ids=["as-written", "with-set"],
)
def test_the_fan_charts_in_the_folder_name_the_run_as_the_report_does(tmp_path, monkeypatch, extra, named):
    seen: list[list[str]] = []
    drawn = intervals.fan_chart

    def spy(*args, **kwargs):
        figure = drawn(*args, **kwargs)
        seen.append([t.get_text() for t in figure.findobj(Text)])  # what the drawn figure says
        return figure

    monkeypatch.setattr(intervals, "fan_chart", spy)
    # the run's own figures (days of cover, shortfall, ...) are not read here: only the fan charts are drawn
    monkeypatch.setattr(plots, "write_figures", lambda result, folder, **_: [])
    out, scenario = tmp_path / "out", tmp_path / "short.yaml"
    scenario.write_text(yaml.safe_dump(SHORT_AND_UNSURE))
    done = CliRunner().invoke(
        main, ["run", str(scenario), "-o", str(out), "--uncertainty", "4", "--workers", "1", *extra]
    )
    assert done.exit_code == 0, done.output
    assert len(seen) == 2  # the two fan charts, days of cover and shortfall
    other = ({"as written", "as changed for this run"} - {named}).pop()
    for texts in seen:
        said = " ".join(texts)
        # the legend's "scenario <words>", or a note's noun for the run where its line is not drawn
        assert f"scenario {named}" in said or run_noun(named) in said, texts
        assert other not in said and run_noun(other) not in said, texts
    assert {"fan_days_of_cover.png", "fan_shortfall.png"} <= {p.name for p in out.iterdir()}
