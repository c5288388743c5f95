"""A shock that does nothing as written (an embargo of severity 0, a delay of 0 days, a demand
surge of factor 1) is a what-if switch left off: no figure draws it or names it in a legend,
the report's timeline draws no bar for it, and its shocks table says it is not applied (with
the range its size is sampled from, where an uncertain input samples it).

``long_embargo_12m_2030``'s ``eu_processing_heavy_feed`` (EU heavy processing losing its
non-Chinese feed, severity 0 as written, uncertain 0-1) was drawn and listed as
"Embargo: EU processing → EU, 0% cut" over the whole embargo.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import pytest

from simulator.plots import days_of_cover_figure, shock_idle, shortfall_figure
from simulator.report.figures import shock_timeline
from simulator.report.findings import Run
from simulator.report.tables import shock_table
from tests.helpers import (
    ONE_REGION,
    TWO_MEMBERS,
    build,
    halt,
    hybrid_pair,
    run,
    shipped_cover_figure,
    shipped_group,
    shipped_result,
    threat,
    words_page,
)

SWITCH = {  # over the halt's days and beyond: drawn, the two would overlap and take lanes
    "id": "switch",
    "kind": "embargo",
    "supplier": "china",
    "regions": ["japan"],
    "start": 5,
    "end": 30,
    "severity": 0.0,
}
NO_DELAY = {"id": "no_delay", "kind": "delay", "supplier": "china", "start": 12, "end": 25, "extra_days": 0}
NO_SURGE = {"id": "no_surge", "kind": "demand_surge", "start": 2, "end": 8, "factor": 1.0}
SAMPLED = [{"path": "shocks.switch.severity", "low": 0.0, "high": 1.0, "label": "switch", "source": "test"}]


def legend(fig) -> list[str]:
    texts = [t.get_text() for t in fig.legends[0].get_texts()]
    plt.close(fig)
    return texts


@pytest.fixture(scope="module")
def switched():
    """One region: China's halt on days 10-20 and three shocks that do nothing, the embargo's severity uncertain."""
    data = build(
        ONE_REGION, shocks=[halt(), SWITCH, NO_DELAY, NO_SURGE], regions__japan__commercial_stock__ree__tonnes=20
    )
    return run({**data, "uncertain": SAMPLED})  # 20 t of stock: Japan runs short in the halt


def test_idle_shocks_are_the_ones_of_no_effect(switched):
    assert [shock_idle(switched, k) for k in range(4)] == [None, "severity 0", "0 extra days", "demand \u00d71"]


@pytest.mark.parametrize("figure", [days_of_cover_figure, shortfall_figure])
def test_figures_leave_out_a_shock_that_does_nothing(switched, figure):
    """The legend names only the halt, and with no other shock drawn it is a full-height band, not a lane."""
    texts = legend(figure(switched))
    shocks = [t for t in texts if ":" in t and t.split(":")[0] in ("Embargo", "Delay", "Demand surge")]
    assert shocks == ["Embargo: China \u2192 Japan, full halt"]
    fig = figure(switched)
    bands = [p for ax in fig.axes for p in ax.patches if p.get_label().startswith("Embargo")]
    assert not any(type(p).__name__ == "ShockLane" for p in bands)  # lanes only when drawn shocks overlap
    plt.close(fig)


def test_a_figure_with_only_acting_shocks_is_as_before():
    """A cut of half (not zero) is drawn and named as before: only a size of no effect is left out."""
    result = run(build(ONE_REGION, shocks=[halt(severity=0.5)]))
    assert legend(days_of_cover_figure(result))[-1] == "Embargo: China \u2192 Japan, 50% cut"


DECLARED = 'declared uncertain: 0% to 100% (<a href="#uncertainty">What rests on assumptions</a>)'
"""A shock's size declared uncertain (0 to 1) in a run that drew no samples: its range, and where it is told."""


def test_the_shocks_table_says_not_applied(switched):
    """A single run has no samples to speak of: the switch's range is declared, and linked to where it is told."""
    cells = re.findall(r'data-label="Severity">(.*?)</td>', shock_table(Run.of(switched)))
    assert cells == [
        "full halt",
        f"not applied in this run (severity 0); {DECLARED}",
        "not applied in this run (0 extra days)",
        "not applied in this run (demand \u00d71)",
    ]
    page = words_page(switched)
    assert f"not applied in this run (severity 0); {DECLARED}" in page and '<section id="uncertainty">' in page
    assert "in the samples" not in page
    # with the samples of run --uncertainty, the range is the one sampled
    sampled = re.findall(r'data-label="Severity">(.*?)</td>', shock_table(Run.of(switched), sampled=True))
    assert sampled[1] == "not applied in this run (severity 0); severity 0% to 100% in the samples"


def test_the_timeline_draws_no_bar_for_it(switched):
    svg = shock_timeline(switched)
    assert re.findall(r'data-shock="(\w+)"', svg) == ["halt"]
    assert "not applied in this run (severity 0), " in svg
    assert "0% cut" not in svg


@shipped_group("long_embargo_12m_2030")
def test_long_embargo_2030_eu_heavy_feed_switch():
    """As written the EU's heavy processing keeps its feed: the figures name China's embargo only."""
    result = shipped_result("long_embargo_12m_2030")
    k = [s.id for s in result.scenario.shocks].index("eu_processing_heavy_feed")
    assert shock_idle(result, k) == "severity 0"
    assert legend(shipped_cover_figure("long_embargo_12m_2030"))[-1] == "Embargo: China \u2192 Japan, EU, full halt"
    assert not any("EU processing" in t for t in legend(shortfall_figure(result)))
    cells = re.findall(r'data-label="Severity">(.*?)</td>', shock_table(Run.of(result)))
    assert cells[k] == f"not applied in this run (severity 0); {DECLARED}"


def test_a_shock_that_does_nothing_does_not_outlast_the_run():
    """TWO_MEMBERS's halt (China → Japan, EU, from day -100) is in force on day 59, the last day; a second
    embargo on Japan to day 1000 at severity 0 is not named with it."""
    data = build(TWO_MEMBERS)
    data["shocks"].append(dict(SWITCH, start=10, end=1000))
    verdict = words_page(run(data))
    verdict = verdict[verdict.index('<section id="verdict"') :]
    verdict = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", verdict[: verdict.index("</section>")]))
    assert "The shocks outlast the run: halt (embargo, China → Japan, EU) is still in force on day 59" in verdict
    assert "switch" not in verdict


def test_a_cut_of_nothing_that_buyers_read_as_a_risk_acts():
    """A quota cut of severity 0 perceived at 0.5, with a market: buyers stock up and prices move, so it is drawn.

    Without a market nothing reads the perception: the same cut does nothing.
    """
    market = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}}}
    priced = run(build(ONE_REGION, shocks=[threat(0.5)], market=market))
    assert shock_idle(priced, 0) is None
    assert legend(days_of_cover_figure(priced))[-1] == "Quota cut: China \u2192 Japan, 0% cut"
    assert shock_idle(run(build(ONE_REGION, shocks=[threat(0.5)])), 0) == "severity 0"


PREMIUM = {"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3}}}
"""A market whose regions pay 30% over the world price while an embargo aimed at them alone is in force."""


def test_a_declared_embargo_of_nothing_still_raises_its_targets_premium():
    """TWO_MEMBERS's halt hits Japan and the EU (all regions: no premium); an embargo of severity 0 on Japan alone,
    days 10-49, makes Japan pay the world price x 1.3 on those days, the EU the world price: it acts."""
    data = build(TWO_MEMBERS, market=PREMIUM)
    data["shocks"].append(dict(SWITCH, start=10, end=50))
    result = run(data)
    assert shock_idle(result, 1) is None
    ts = result.timeseries.set_index(["region", "day"])["price_usd_per_kg"]
    world = result.market.set_index("day")["world_price_usd_per_kg"]
    assert [round(ts["japan", d] / world[d], 9) for d in (9, 10, 49, 50)] == [1.0, 1.3, 1.3, 1.0]
    assert ts["eu", 30] == pytest.approx(world[30])
    assert legend(days_of_cover_figure(result))[-1] == "Embargo: China \u2192 Japan, 0% cut"
    # without the premium the same embargo does nothing
    data = build(TWO_MEMBERS, market={"ree": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}}})
    data["shocks"].append(dict(SWITCH, start=10, end=50))
    assert shock_idle(run(data), 1) == "severity 0"


def _hybrid(*embargoes: dict) -> dict:
    """Hybrid sharing under a full quota cut on China (no embargo): auctions, except where an embargo on a member
    switches it to the fair ratio (tests/test_agreement.py's case)."""
    data = hybrid_pair()
    quota = {"id": "quota", "kind": "quota_cut", "supplier": "china", "start": -100, "end": 1000, "severity": 1.0}
    data["shocks"] = [quota, *embargoes]
    return data


def test_a_declared_embargo_of_nothing_on_a_member_still_switches_the_hybrid_rule():
    """Severity 0 on Japan, days 10-19: the hybrid rule shares by the fair ratio on exactly those days (auctions on
    the others), so the embargo acts; the same embargo under a full halt on the EU over days 5-24 switches
    nothing the halt has not switched already: it does nothing."""
    result = run(_hybrid(dict(SWITCH, start=10, end=20)))
    assert shock_idle(result, 1) is None
    rule = result.releases.set_index("day")["mechanism"]
    assert sorted(rule[rule == "fair_ratio"].index) == list(range(10, 20))
    halt_eu = {"id": "halt_eu", "kind": "embargo", "supplier": "china", "regions": ["eu"], "start": 5, "end": 25}
    covered = run(_hybrid(dict(SWITCH, start=10, end=20), halt_eu))
    assert shock_idle(covered, 1) == "severity 0"
    # measured on the rule's releases: with or without the embargo of nothing, the same days share
    alone = run(_hybrid(halt_eu)).releases.set_index("day")["mechanism"]
    assert covered.releases.set_index("day")["mechanism"].equals(alone)
    # switched on a measured loss only, a declared embargo switches nothing
    data = _hybrid(dict(SWITCH, start=10, end=20))
    data["agreement"]["trigger"] = {"measured_loss": {"window_days": 7}, "switch_on": "measured_loss"}
    assert shock_idle(run(data), 1) == "severity 0"


def test_the_comparison_shades_a_shock_that_acts_in_either_run():
    """``--set shocks.halt.severity=0 --compare``: the halt (days 10-19) does nothing in the run and stops Japan's
    supply in the baseline; it is what separates them, so the comparison shades it, named as the baseline's only.
    A shock idle in both runs (the delay of 0 days) stays unshaded."""
    from simulator.report.figures import comparison_figure

    data = build(ONE_REGION, shocks=[halt(), NO_DELAY], regions__japan__commercial_stock__ree__tonnes=20)
    base = run(data)
    data["shocks"][0]["severity"] = 0.0
    switched_off = run(data)
    assert shock_idle(switched_off, 0) == "severity 0" and shock_idle(base, 0) is None
    fig = comparison_figure(switched_off, base, ("this run", "the baseline"))
    texts = legend(fig)
    assert "Embargo: China \u2192 Japan, full halt (the baseline only)" in texts
    assert not any("Delay" in t for t in texts)  # 0 extra days in both runs
    fig = comparison_figure(switched_off, base, ("this run", "the baseline"))
    bands = [p for p in fig.axes[0].patches if p.get_label().startswith("Embargo")]
    assert len(bands) == 1
    width = round(float(bands[0].get_width()), 6)
    plt.close(fig)
    assert width == 10  # days 10 to 20: ten days wide
    # the same run against itself: nothing acts, nothing shaded
    assert not any("Embargo" in t for t in legend(comparison_figure(switched_off, switched_off, ("a", "b"))))


def test_the_explorer_does_not_shade_a_shock_that_does_nothing(tmp_path):
    """``stockpile explore`` with the halt's severity on an axis (0 or 1): at 0 the halt (China → Japan, EU, all the
    regions, fair ratio: no premium, no switch) does nothing and has no window; at 1 it is shaded over the run's
    60 days (from day -100 to 1000)."""
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main
    from simulator.explore.page import read_page

    path, out = tmp_path / "pair.yaml", tmp_path / "explorer.html"
    path.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    args = ["explore", str(path), "--axis", "shocks.halt.severity=0,1", "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    assert meta["shocks"]["windows"] == {"0": [None], "1": [[0, 60]]}


def test_the_explorer_shades_an_embargo_of_nothing_where_a_market_axis_gives_it_a_premium(tmp_path):
    """The switch (a Japan-only embargo of severity 0, days 10-50) next to the 60-day halt, and a
    ``targeted_premium`` axis of 0 or 0.3: at 0 the switch does nothing and has no window, at 0.3 Japan pays 30%
    more over its days (tests above), so it is shaded there: the market axis moves the windows."""
    meta = _explored_with_the_switch(tmp_path, {"sensitivity": 2.0, "adjustment_days": 1.0})
    assert meta["shocks"]["axes"] == [0]
    assert meta["shocks"]["windows"] == {"0": [[0, 60], None], "1": [[0, 60], [10, 50]]}


def test_the_explorer_splits_an_embargo_of_nothing_by_a_market_axis_even_where_the_scenario_gives_it_a_premium(
    tmp_path,
):
    """As above, but the scenario itself sets ``targeted_premium`` 0.3, so that as written the switch acts: the
    axis's 0 still takes its premium away, and there it does nothing. Whether the market and agreement axes move
    the windows is decided from the shocks' sizes (a severity of 0 somewhere), not from the scenario as written:
    decided there, the switch was shaded at both values ({"": [[0, 60], [10, 50]]})."""
    meta = _explored_with_the_switch(tmp_path, {"sensitivity": 2.0, "adjustment_days": 1.0, "targeted_premium": 0.3})
    assert meta["shocks"]["axes"] == [0]
    assert meta["shocks"]["windows"] == {"0": [[0, 60], None], "1": [[0, 60], [10, 50]]}


def _explored_with_the_switch(tmp_path, price: dict) -> dict:
    """The explorer page's description of the pair with the switch (days 10-50) beside the halt, its market's price
    ``price``, over ``market.ree.price.targeted_premium=0,0.3``."""
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main
    from simulator.explore.page import read_page

    data = build(TWO_MEMBERS, market={"ree": {"price": price}})
    data["shocks"].append(dict(SWITCH, start=10, end=50))
    path, out = tmp_path / "pair.yaml", tmp_path / "explorer.html"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    axis = "market.ree.price.targeted_premium=0,0.3"
    result = CliRunner().invoke(main, ["explore", str(path), "--axis", axis, "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    return meta
