"""Three places where a count or an axis invited a misquote (fact-checking walkthrough, stop 64).

1. The robustness table said "37" samples leave the EU short with the joint stock, and only in small print under
   it "22 by more than a day of its demand": 15 of the 37 are short by a day of its demand or less (one by 2.2 kg
   over two years). The count's own line now says how many of them are short by that little, by the sub-line's
   own measure turned round (over :data:`LARGE_SHORTFALL_DAYS` of some material's demand, or not), and so does
   the sentence of a study without an agreement.
2. ``fan_shortfall.png`` said "Japan: band, median and as written 0 throughout" although one sample of 100 leaves
   Japan short (171 t): what is 0 every day is the 5-95% band. Where some sample is short, the words say so.
3. ``compare.png`` drew Jain's index on an axis from 0, on which two members' floor of 0.5 (one of them bears
   all) reads as half fair. The fairness panels now start at 1/n of the members the index is over, with a tick
   there.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.names import Names
from simulator.report.uncertainty import (
    LARGE_SHORTFALL_DAYS,
    MemberSamples,
    _by_material,
    _size_parts,
    _sizes,
    robust_table,
)
from simulator.scenario import load_scenario
from simulator.sensitivity.figures import fan_figure
from tests.helpers import ONE_REGION, ROOT, build

# --- 1. the count says how many are short by little -------------------------------------------------------------

DEMAND = {("eu", "ree"): 10.0}
"""The EU's demand as written, 10 t a day (a samples table without each sample's own: this one is read)."""
SHORT_T = [0.0022, 5.0, 10.0, 10.5, 300.0, 0.0, np.nan]
"""Seven samples' shortfall of the EU, t: 2.2 kg, half a day, a day exactly (not more than a day: by little),
1.05 days and 30 days short; two not short (NaN counts as not short). Five short, two by more than a day."""


def sizes() -> tuple[np.ndarray, tuple[object, object]]:
    table = pd.DataFrame({"shortfall_t.eu.ree": SHORT_T})
    total = table["shortfall_t.eu.ree"].fillna(0).to_numpy(float)
    return total, _by_material(table, "eu", DEMAND)


def test_the_table_says_beside_the_count_how_many_are_short_by_a_day_of_demand_or_less():
    assert LARGE_SHORTFALL_DAYS == 1.0  # "a day" in the words below
    total, by_material = sizes()
    size = _size_parts(total, by_material, Names())
    assert size.large == 2  # 10.5 t and 300 t are over 10 t a day; 10 t is a day exactly, not more
    html = robust_table([MemberSamples("EU", 5, size)], 7)
    cell = html.split('data-label="Samples short with the stock">')[1].split("</td>")[0]
    # on the count's line, not only in the small print under it: 5 - 2 = 3 by a day or less
    assert cell == "5, 3 of them by a day or less<br><small>2 by more</small>"
    # a count all short by more than a day keeps its line as it was
    table = pd.DataFrame({"shortfall_t.eu.ree": [20.0, 300.0, 0.0]})
    total = table["shortfall_t.eu.ree"].to_numpy(float)
    size = _size_parts(total, _by_material(table, "eu", DEMAND), Names())
    html = robust_table([MemberSamples("EU", 2, size)], 3)
    assert ">2<br><small>2 by more than a day of its demand</small></td>" in html
    assert "of them by a day or less" not in html


def test_the_sentence_without_an_agreement_says_how_many_are_short_by_little_too():
    total, by_material = sizes()
    text = _sizes(total, by_material, Names()).replace("\u00a0", " ")
    assert text == (
        "3 of them by a day or less of its demand, 2 by more than a day of its demand of a material; "
        "the largest 300 t of rare earths, 30 days of its demand in that sample"
    )


# --- 2. the fan chart says which band is 0 and how many samples are short ----------------------------------------

DAYS, RUNS = 30, 100


def shortfall_fan(short: np.ndarray | None):
    """A cumulative shortfall's fan of Japan and the EU, one material: all of it 0 every day (as the 2010
    replay's Japan: its 95th percentile is 0 with one sample of 100 short)."""
    zero = np.zeros((DAYS, 2, 1))
    bands = {"p5": zero, "p50": zero, "p95": zero}
    return fan_figure(bands, zero, ["japan", "eu"], ["ree"], None, "Cumulative shortfall", "t", RUNS, short=short)


def notes(fig) -> list[str]:
    return [ax.get_legend().get_title().get_text().replace("\n", " ") for ax in fig.axes if ax.get_legend()]


def test_a_band_of_0_with_a_sample_short_says_it_is_the_5_95_band_and_how_many_are_short():
    short = np.zeros((RUNS, 2, 1), bool)
    short[21, 0, 0] = True  # Japan short in one sample (the 2010 replay's sample 21: 171 t)
    assert notes(shortfall_fan(short)) == [
        "Japan: 5-95% band, median and as written 0 throughout; 1 of 100 samples short",
        "EU: band, median and as written 0 throughout",  # no sample short: as it was
    ]
    # nobody short in any sample, or no samples' figures: the words as they were
    assert (
        notes(shortfall_fan(np.zeros((RUNS, 2, 1), bool)))
        == notes(shortfall_fan(None))
        == [
            "Japan: band, median and as written 0 throughout",
            "EU: band, median and as written 0 throughout",
        ]
    )


def test_a_region_not_drawn_says_in_the_legend_how_many_samples_leave_it_short():
    tail = np.zeros((DAYS, 2, 1))
    tail[20:, 1, 0] = np.linspace(1, 50, DAYS - 20)  # the EU's band above 0: drawn; Japan's row is not
    short = np.zeros((RUNS, 2, 1), bool)
    short[[3, 40], 0, 0] = True
    short[:30, 1, 0] = True
    zero = np.zeros((DAYS, 2, 1))
    fig = fan_figure(
        {"p5": zero, "p50": zero, "p95": tail}, zero, ["japan", "eu"], ["ree"], None, "C", "t", RUNS, short=short
    )
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[-1] == ("Japan: 5-95% band, median and as written 0 throughout; 2 of 100 samples short")


def test_the_samples_short_are_read_from_the_samples_table_and_the_shortfall_chart_gets_them():
    from simulator.engine import simulate
    from simulator.scenario import validate_data
    from simulator.sensitivity import plan_study
    from simulator.sensitivity.figures import short_samples
    from simulator.sensitivity.intervals import fan_chart, own_curves, run_uncertainty

    # Japan under a halt all 40 days needs 400 t; its stock is drawn from 0 to 40,000 t (5,000 as written): of
    # 100 Latin-hypercube samples one stock falls in each 400 t, so exactly one, the one under 400 t, is short
    world = build(
        ONE_REGION,
        regions__japan__commercial_stock__ree__tonnes=5000,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
        ],
        uncertain=[{"path": "regions.japan.commercial_stock.ree.tonnes", "low": 0, "high": 40000, "source": "test"}],
    )
    found = run_uncertainty(plan_study(world, "s.yaml", fixed=()), RUNS)
    assert int((found.samples["shortfall_t.japan.ree"] > 0).sum()) == 1
    assert found.bands["shortfall_cum_t"]["p95"].max() == 0  # one of 100: under the 95th percentile every day
    scenario = validate_data(world, "s.yaml")
    result = simulate(scenario)
    own = own_curves(result.timeseries, ["japan"], ["ree"])
    fig = fan_chart(found, own, "shortfall_cum_t", scenario)
    assert notes(fig) == ["Japan: 5-95% band, median and as written 0 throughout; 1 of 100 samples short"]
    assert short_samples(found.samples, ["japan"], ["ree"]).sum() == 1


# --- 3. the fairness axis starts at 1/n ---------------------------------------------------------------------------


def test_the_fairness_floor_is_one_over_the_members_the_index_is_over():
    from simulator.plots.comparison import fairness_floor

    # club_of_five: five members use light rare earths; Australia uses no heavy ones, so four do
    scenario = load_scenario(ROOT / "scenarios" / "club_of_five.yaml")
    members = list(scenario.agreement.members)
    assert len(members) == 5
    assert fairness_floor(scenario, members, "light_ree") == pytest.approx(1 / 5)
    assert fairness_floor(scenario, members, "heavy_ree") == pytest.approx(1 / 4)
    assert fairness_floor(scenario, members, None) == pytest.approx(1 / 5)
    assert fairness_floor(scenario, ["japan"], None) == 0.0  # one member: no index to floor


def test_compare_png_draws_jains_index_from_its_floor_with_a_tick_there():
    from simulator.compare import compare
    from simulator.plots import compare_figure
    from tests.test_compare_nobody_short import MAGNETS, RULES

    # MAGNETS (tests/test_compare_nobody_short.py): two members; without the agreement Jain's index is 0.9, in
    # every other row the EU bears all (its magnets), 1/2 = 0.5: the floor, drawn as no bar at the axis's start
    comparison = compare(MAGNETS, RULES, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    (fair,) = [ax for ax in fig.axes if ax.get_xlabel().startswith("fairness")]
    assert fair.get_xlim()[0] == pytest.approx(0.5)  # from 0 before
    ticks = [t.get_text() for t in fair.get_xticklabels()]
    assert ticks[0] == "0.5" and ticks[-1] == "1"
    # each bar the index's value, from 0 as before; the axis cuts them at 0.5, where the EU's 0.5 shows no bar
    assert [p.get_width() for p in fair.patches] == [pytest.approx(0.9), *[pytest.approx(0.5)] * 3]
    labels = [t for t in fair.texts if t.get_text() == "0.500"]
    assert len(labels) == 3 and all(t.xy[0] == pytest.approx(0.5) for t in labels)  # inside the panel
