"""``render_report(..., figures=False)``: the same page with its Matplotlib figures left out (issue 12).

Most report tests read only words and tables (``tests.helpers.words_page``); these check that the
page they read is the full page less its figures (and a line saying so), and that none of the figures of a page
with a baseline, a record and samples is made, but the days of cover where its caption needs it.
"""

from __future__ import annotations

import re
from typing import Any

import matplotlib.figure
import pytest

import simulator
from simulator.engine import simulate
from simulator.report import WITHOUT_FIGURES, render_report, write_report
from simulator.report.record import load_record
from simulator.results import Result
from simulator.scenario import validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import run_uncertainty
from tests.helpers import ONE_REGION, build, shipped_group, shipped_result

HALTED = build(
    ONE_REGION,
    start_date="2020-01-01",
    regions__japan__commercial_stock__ree__tonnes=0,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
    market={"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}}},
    uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"}],
)
"""Japan halted all 40 days with no stock, a market and an uncertain demand: a page with every Matplotlib figure
a report draws once a baseline, a record and samples are given."""

MATPLOTLIB_FIGURES = {
    "days_of_cover",
    "shortfall",
    "supply_mix",
    "prices",
    "comparison",
    "record",
    "fan_days_of_cover",
    "fan_shortfall_cum_t",
}
"""The ``data-figure`` names of the figures Matplotlib draws on that page (the shock timeline is hand-written SVG)."""

PAGES = pytest.mark.xdist_group("report-without-figures-pages")
"""The mark of the tests that read :func:`pages`: under ``pytest -n`` they run in one process, which renders it once."""

CHART = re.compile(r'<svg [^>]*class="chart"[^>]*>.*?</svg>\n', re.S)
"""One Matplotlib figure's ``<svg>`` element as the page embeds it (``svg_markup``: class "chart", a newline after)."""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str, Result, dict[str, Any]]:
    """The page of :data:`HALTED` against a baseline with 100 t of stock, a one-row record and 10 samples: drawn in
    full, and with ``figures=False``; then the run and those keyword arguments (``given``)."""
    result = simulate(validate_data(HALTED, "s.yaml"))
    baseline = simulate(validate_data(build(HALTED, regions__japan__commercial_stock__ree__tonnes=100), "b.yaml"))
    record_path = tmp_path_factory.mktemp("record") / "record.csv"
    record_path.write_text("date,quantity,region,material,supplier,period,value\n2020-01-05,price,world,ree,,day,40\n")
    record = load_record(record_path, result.scenario)
    samples = run_uncertainty(plan_study(HALTED, "s.yaml", fixed=()), 10)
    given = {"baseline": baseline, "uncertainty": samples, "record": record}
    return render_report(result, **given), render_report(result, **given, figures=False), result, given


@PAGES
def test_the_page_without_figures_is_the_full_page_less_each_matplotlib_svg(pages):
    full, bare, _, _ = pages
    drawn = CHART.findall(full)
    assert len(drawn) == len(MATPLOTLIB_FIGURES) == 8  # one <svg> per figure of the page
    # nothing else differs (words, tables, captions, the timeline) but the line saying the figures are left out
    assert CHART.sub("", full) == bare.replace(WITHOUT_FIGURES + "\n", "", 1)
    assert bare.count("<svg") == 1 and '<svg class="timeline"' in bare  # the hand-written timeline stays


@PAGES
def test_a_page_without_figures_says_so_once_under_its_title(pages):
    full, bare, _, _ = pages
    assert WITHOUT_FIGURES not in full
    assert bare.count(WITHOUT_FIGURES) == 1
    header = bare[bare.index("<header>") : bare.index("</header>")]
    assert WITHOUT_FIGURES in header and "without its figures" in header


@PAGES
def test_each_figure_keeps_its_element_and_caption_without_figures(pages):
    _, bare, _, _ = pages
    kept = dict(re.findall(r'<figure data-figure="(\w+)">(.*?)</figure>', bare, re.S))
    assert set(kept) == MATPLOTLIB_FIGURES | {"timeline"}
    for name in MATPLOTLIB_FIGURES:
        # with the id its chart names as its description
        caption = rf'<figcaption id="{name}-caption">[^<].*</figcaption>'
        assert re.fullmatch(rf'(<div class="scroll"></div>)?{caption}', kept[name], re.S), name


@PAGES
def test_each_chart_is_described_by_its_own_figure_s_caption(pages):
    full, _, _, _ = pages
    drawn = dict(re.findall(r'<figure data-figure="(\w+)">(.*?)</figure>', full, re.S))
    for name in MATPLOTLIB_FIGURES:  # the record's too (was without a described_by)
        described = re.search(r'<svg [^>]*aria-describedby="([^"]+)"', drawn[name])
        assert described is not None and f'<figcaption id="{described[1]}">' in drawn[name], name


@PAGES
def test_no_figure_is_made_or_saved_without_figures(pages, tmp_path, monkeypatch):
    _, bare, result, given = pages
    made = []
    real_init = matplotlib.figure.Figure.__init__

    def counted(self, *args, **kwargs):
        made.append(1)
        real_init(self, *args, **kwargs)

    monkeypatch.setattr(matplotlib.figure.Figure, "__init__", counted)
    monkeypatch.setattr(matplotlib.figure.Figure, "savefig", lambda *a, **k: pytest.fail("a figure was saved"))
    path = write_report(result, tmp_path / "r.html", **given, figures=False)
    # none of the 8 figures (baseline, record and fan charts included) is made: the days of cover, whose caption
    # says whether a panel drew a bracket, has no days to bracket here (Japan is short every day)
    assert len(made) == 0
    assert path.read_text(encoding="utf-8") == bare
    # the Python API passes it on: its page too is made without saving a figure
    page = simulator.report(HALTED, tmp_path / "api.html", figures=False).read_text(encoding="utf-8")
    assert '<figure data-figure="prices">' in page and 'class="chart"' not in page


@pytest.mark.parametrize(
    ("name", "bracketed"),
    [
        pytest.param("long_embargo_6m", True, marks=shipped_group("long_embargo_6m")),
        pytest.param("embargo_2010", False, marks=shipped_group("embargo_2010")),
    ],
)
def test_the_days_of_cover_is_made_without_figures_only_where_its_caption_may_need_it(name, bracketed):
    from simulator.report import _cover_figure, _no_restocking_note

    result = shipped_result(name)
    drawn = _cover_figure(result, figures=True)
    without = _cover_figure(result, figures=False)
    # long_embargo_6m has days after its shocks with every curve empty and no one short: a bracket, and its
    # caption's note, with figures or without; the 2010 replay has none, and without figures no figure is made
    assert (without is not None) is bracketed
    assert _no_restocking_note(without) == _no_restocking_note(drawn)
    assert ("A bracket marks days" in _no_restocking_note(drawn)) is bracketed
