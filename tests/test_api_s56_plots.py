"""``RunResult.write(report=True, plots=...)``: ``plots`` is the PNG figures, as ``--no-plots`` (session 56).

``stockpile run --report --no-plots`` skips the PNGs and still draws the report's own figures; the
API does the same, so the two write the same page whatever ``plots`` is.
"""

from __future__ import annotations

import re

import yaml

import simulator
from tests.helpers import ONE_REGION, build, invoke

HALTED = build(ONE_REGION, start_date="2010-07-01", regions__japan__commercial_stock__ree__tonnes=50)
"""One region short for part of an embargo: a page whose figures show a shortfall."""

CHARTED = re.compile(r'<figure data-figure="(\w+)">(?:<div class="scroll">)?<svg [^>]*class="chart"')
"""The name of each figure on a page that holds a Matplotlib chart (``svg_markup``: class "chart")."""
PNG_FIGURES = {"days_of_cover.png", "shortfall.png", "supply_mix.png"}


def test_plots_false_leaves_out_the_pngs_and_draws_the_report_as_the_command_does(tmp_path):
    result = simulator.run(HALTED)
    bare = {p.name for p in result.write(tmp_path / "api_bare", plots=False, report=True)}
    drawn = {p.name for p in result.write(tmp_path / "api_drawn", report=True)}
    assert "report.html" in bare and not bare & PNG_FIGURES
    assert drawn >= PNG_FIGURES
    page = (tmp_path / "api_bare" / "report.html").read_text(encoding="utf-8")
    # the report's Matplotlib figures are drawn either way (the shock timeline is hand-written SVG)
    assert set(CHARTED.findall(page)) == {"days_of_cover", "supply_mix"}
    assert page == (tmp_path / "api_drawn" / "report.html").read_text(encoding="utf-8")
    # and it is the page stockpile run --report --no-plots writes
    scenario = tmp_path / "halted.yaml"
    scenario.write_text(yaml.safe_dump(HALTED))
    done = invoke("run", scenario, "--report", "--no-plots", "-o", tmp_path / "cli")
    assert done.exit_code == 0, done.output
    assert not {p.name for p in (tmp_path / "cli").iterdir()} & PNG_FIGURES
    assert (tmp_path / "cli" / "report.html").read_text(encoding="utf-8") == page
