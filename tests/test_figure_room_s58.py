"""Room in the days-of-cover panels for release and shock lanes, and a one-region quota's words (session 58).

A review measured release lanes of 5.05 points where 6.12 were meant: they were sized before the shock lanes raised
the axis's top. In a figure of two materials only the panel with releases went below 0, so the 0 lines of one row
did not line up. A quota on the one region modelled was said to cap "what they take from China together".
"""

from __future__ import annotations

from simulator.plots import days_of_cover_figure, shock_label
from tests.helpers import ONE_REGION, TWO_MEMBERS, add_material, build, hybrid_pair, run
from tests.test_cover_lanes_s58 import released_bars

POOL = {"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}}
"""Both members receive from the pool from day 0 (tests/test_cover_lanes_s58.py)."""
OVERLAPPING = [
    {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": 1000},
    {"id": "slow", "kind": "delay", "supplier": "china", "extra_days": 10, "start": 5, "end": 30},
]
"""Two shocks at once: each is a lane of its own along the panel's top."""


def _panel_pt(fig, ax) -> float:
    """The panel's height in points."""
    return ax.get_position().height * fig.get_figheight() * 72


def test_release_lanes_keep_their_size_under_shock_lanes():
    fig = days_of_cover_figure(run(build(TWO_MEMBERS, shocks=OVERLAPPING, agreement__pool__contributions=POOL)))
    ax = fig.axes[0]
    low, top = ax.get_ylim()
    per_pt = (top - low) / _panel_pt(fig, ax)  # days of cover per point
    bars = released_bars(ax)
    assert bars
    # a lane 3.5% of the panel's height and 2.5% of it between the 0 line and the first lane's top
    # (RELEASE_LANE_SHARE, RELEASE_GAP_SHARE), whatever room the shock lanes take above the curves
    assert {round(bar.get_height() / per_pt / _panel_pt(fig, ax), 4) for bar in bars} == {0.035}
    first_top = max(bar.get_y() + bar.get_height() for bar in bars)
    assert round(-first_top / per_pt / _panel_pt(fig, ax), 4) == 0.025


def test_zero_lines_of_a_row_line_up_when_one_panel_has_no_release():
    result = run(add_material(build(TWO_MEMBERS), "ga", {"price_usd_per_kg": 300}))
    fig = days_of_cover_figure(result)
    ree, ga = fig.axes[0], fig.axes[1]
    assert released_bars(ree) and not released_bars(ga)  # the pool holds rare earths only
    assert ree.transData.transform((0, 0))[1] == ga.transData.transform((0, 0))[1]
    assert ga.get_ylim()[0] < 0  # room for the lanes the other panel draws
    assert min(ga.get_yticks()) == 0  # and no negative day written beside it


QUOTA = {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 900, "period_days": 30}


def test_a_quota_on_one_region_says_what_it_takes():
    result = run(build(ONE_REGION, shocks=[QUOTA | {"start": 5, "end": 20}]))
    assert shock_label(result, 0) == (
        "Export quota: China → Japan, cap of 900 t of rare earths per 30 days on what Japan takes from China, "
        "pro rata to orders"
    )


def _rules_by_material() -> dict:
    """``hybrid_pair`` with gallium too: halted for both members (the fair ratio, from day 0) while rare earths are
    only delayed from day 20 (auctions, from day 25): the rare earths' panel, the first, holds auction bars only."""
    data = add_material(hybrid_pair(), "ga", {"price_usd_per_kg": 300})
    data["agreement"]["pool"]["contributions"] = {
        member: {"ree": {"tonnes": 5000}, "ga": {"tonnes": 5000}} for member in ("japan", "eu")
    }
    data["agreement"]["auction"]["bids"] = {
        member: {m: [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": usd}] for m in ("ree", "ga")}
        for member, usd in (("japan", 100), ("eu", 50))
    }
    data["shocks"] = [
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "materials": ["ga"]}
        | {"start": -100, "end": 1000},
        {"id": "slow", "kind": "delay", "supplier": "china", "extra_days": 15, "materials": ["ree"]}
        | {"start": 20, "end": 40},
    ]
    return data


def _under_zero(ax) -> list:
    """The patches of ``ax`` under its 0 line: the release lanes' bars (a shock's band starts at the frame's foot)."""
    return [patch for patch in ax.patches if patch.get_y() < 0]


def test_a_lanes_legend_swatch_is_of_the_rule_its_label_names_first():
    fig = days_of_cover_figure(run(_rules_by_material()))
    ree, ga = fig.axes[0], fig.axes[1]
    assert {bar.get_hatch() for bar in _under_zero(ree)} == {"////"}  # auctions, the second rule: hatched
    assert {bar.get_hatch() for bar in _under_zero(ga)} == {None}  # the fair ratio, the first: solid
    legend = fig.legends[0]
    swatches = {
        text.get_text(): handle.get_hatch()
        for handle, text in zip(legend.legend_handles, legend.get_texts(), strict=True)
        if text.get_text().startswith("released (")
    }
    assert swatches == {
        "released (fair ratio; auction hatched) to Japan": None,
        "released (fair ratio; auction hatched) to EU": None,
    }


def test_a_panel_crowded_with_shock_lanes_keeps_its_axis_the_right_way_up():
    """19 overlapping delays and an embargo: 20 shock lanes at the top and a release lane under 0 took more than the
    panel's whole height, and the y axis ran from 131.7 down to -1,013.7. The curves keep a quarter of it."""
    delays = [
        {"id": f"slow{k}", "kind": "delay", "supplier": "china", "extra_days": 1, "start": 5 + k, "end": 40}
        for k in range(19)
    ]
    shocks = [TWO_MEMBERS["shocks"][0], *delays]  # its halt of both members, from day -100 to 1000
    fig = days_of_cover_figure(run(build(TWO_MEMBERS, shocks=shocks, agreement__pool__contributions=POOL)))
    low, top = fig.axes[0].get_ylim()
    assert low < 0 < top


def test_a_panel_crowded_with_shock_lanes_and_no_release_keeps_its_axis_the_right_way_up():
    """ONE_REGION (no pool), an embargo and 22 overlapping delays: 23 shock lanes took 0.01 + 0.045 x 23 + 0.03 = 1.08
    of the panel, and the axis ran from 0 down to -525. The curves keep a quarter of it here too."""
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
    delays = [
        {"id": f"slow{k}", "kind": "delay", "supplier": "china", "extra_days": 1, "start": 5 + k, "end": 40}
        for k in range(22)
    ]
    low, top = days_of_cover_figure(run(build(ONE_REGION, shocks=[halt, *delays]))).axes[0].get_ylim()
    assert low == 0 < top
