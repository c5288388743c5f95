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
from tests.helpers import ONE_REGION, build

SHORT_AND_UNSURE = build(
    ONE_REGION,
    regions__japan__commercial_stock__ree__tonnes=0,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
    uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"}],
)
"""Japan cut off all 40 days with no stock, its demand uncertain: both fan charts (days of cover, shortfall) have a
run to name, in a fraction of a shipped scenario's time (the words do not depend on the world)."""


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
