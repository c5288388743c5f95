"""Figures a reader could not read whole: labels cut off or drawn over each other, raw ids, hidden lines.

Each test draws the figure with Agg and measures what a reader would see: every text's
extent on the canvas, which tick labels are shown, what the legend names, which lines
are drawn on top of which.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import LineCollection
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.text import Text

from simulator.compare import compare
from simulator.mechanisms import BY_NAME
from simulator.names import Names
from simulator.palette import SHOCK_COLOURS
from simulator.plots import compare_figure, days_of_cover_figure, prices_figure, text_width_in
from simulator.scenario import load_raw
from simulator.sensitivity.figures import fan_figure, sensitivity_figure
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build, run, shipped_group, shipped_result, words_page


def shown_texts(fig: Figure) -> list[tuple[str, object]]:
    """``(text, window extent)`` of every text the canvas draws (tick labels outside an axis' view are not drawn)."""
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    tick_labels, shown = set(), []
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            low, high = sorted(axis.get_view_interval())
            slack = 1e-9 * (high - low)
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                tick_labels |= {id(tick.label1), id(tick.label2)}
                if low - slack <= tick.get_loc() <= high + slack:
                    shown += [tick.label1, tick.label2]
    others = [t for t in fig.findobj(Text) if id(t) not in tick_labels]
    return [
        (t.get_text(), t.get_window_extent(renderer))
        for t in [*others, *shown]
        if t.get_visible() and t.get_text().strip() and (t.axes is None or t.axes.get_visible())
    ]


def unreadable(fig: Figure) -> list[tuple[str, ...]]:
    """Texts reaching past the figure's edge, and pairs of texts drawn over each other."""
    texts = shown_texts(fig)
    edge = fig.bbox
    found = [
        ("cut off", text)
        for text, box in texts
        if box.x0 < edge.x0 or box.y0 < edge.y0 or box.x1 > edge.x1 or box.y1 > edge.y1
    ]
    for i, (text, box) in enumerate(texts):
        found += [("overlap", text, other) for other, box2 in texts[i + 1 :] if box.overlaps(box2)]
    return found


def visible_labels(labels: list[Text]) -> list[str]:
    """The texts of the labels shown, top to bottom (y tick labels) or left to right."""

    def place(t: Text) -> tuple[float, float]:
        x, y = t.get_transform().transform(t.get_position())  # on the canvas: an inverted axis reads top down
        return -y, x

    ordered = sorted(labels, key=place)
    return [t.get_text() for t in ordered if t.get_visible() and t.get_text()]


# --- compare.png ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def six_months() -> dict:
    """The six-month embargo of 2026 under three rules, two of them with the longest names.

    Without the baseline runs (no agreement, own shares): the figure draws the rules' results alone."""
    rules = ["fair_ratio", "proportional_to_demand", "need_with_restraint"]
    path = ROOT / "scenarios" / "long_embargo_6m.yaml"
    return compare(load_raw(path, []), rules, str(path), baseline=False).results


def test_compare_figure_names_every_rule_whole_and_draws_no_text_over_another(six_months):
    fig = compare_figure(six_months)
    assert unreadable(fig) == []
    bars = fig.axes[-2:]
    names = [BY_NAME[rule].label for rule in six_months]
    # the rules are named once, beside the totals, in full; the fairness bars share those rows
    assert visible_labels(bars[0].get_yticklabels()) == names
    assert visible_labels(bars[1].get_yticklabels()) == []
    assert bars[1].get_shared_y_axes().joined(bars[0], bars[1])
    # the margin holds the longest name: at 10 pt "proportional to demand" is wider than the 1.2 in margin
    assert text_width_in(["proportional to demand"], 10) > 1.2
    assert bars[0].get_position().x0 * fig.get_size_inches()[0] > text_width_in(names, 10)


# --- sensitivity.png --------------------------------------------------------------------------

LONG = "light substitution, price ratio for all of it"
LABELS = [
    "EU light stock",
    LONG,
    "H2-2010 quota to Japan and the EU (t)",
    "Japan slowdown, days to clear held cargo",
    "heavy risk, days to perceive a measure",
    "light short-run elasticity",
    "2011 quota to Japan and the EU (t)",
    "Japan halt, days to clear held cargo",
    "light substitution, share that stays",
    "European re-processing capacity",
    "light precaution gain",
    "heavy price sensitivity",
]


def sobol_table() -> pd.DataFrame:
    """Two inputs; the total shortfall varies, Japan's shortfall is 0 in every run (no index)."""
    varying = pd.DataFrame(
        {
            "metric": "total_shortfall_t",
            "parameter": ["a", "b"],
            "S1": [0.36, 0.21],
            "S1_conf": [0.3, 0.25],
            "ST": [0.85, 0.67],
            "ST_conf": [0.3, 0.3],
            "label": LABELS[:2],
        }
    )
    constant = varying.assign(metric="shortfall_t.japan", S1=np.nan, S1_conf=np.nan, ST=np.nan, ST_conf=np.nan)
    return pd.concat([varying, constant], ignore_index=True)


def morris_table() -> pd.DataFrame:
    """Twelve inputs with long labels, ranked by mu*; and a metric that never varies."""
    n = len(LABELS)
    mu_star = np.linspace(5000.0, 50.0, n)
    varying = pd.DataFrame(
        {
            "metric": "total_shortfall_t",
            "parameter": [f"p{i}" for i in range(n)],
            "mu_star": mu_star,
            "mu_star_conf": 0.5 * mu_star,
            "sigma": 0.9 * mu_star,
            "mu": -mu_star,
            "label": LABELS,
        }
    )
    constant = varying.assign(metric="shortfall_t.japan", mu_star=np.nan, mu_star_conf=np.nan, sigma=np.nan)
    return pd.concat([varying, constant], ignore_index=True)


def test_a_metric_the_same_in_every_run_lists_no_inputs_and_says_why():
    fig = sensitivity_figure(sobol_table(), "sobol", 512)
    full, empty = fig.axes[:2]
    assert [t.replace("\n", " ") for t in visible_labels(full.get_yticklabels())] == LABELS[:2]  # top: largest ST
    assert visible_labels(empty.get_yticklabels()) == []
    assert not empty.patches  # no bars
    assert any("same in every run" in t.get_text() for t in empty.texts)


@pytest.mark.parametrize(("table", "method", "index"), [(sobol_table, "sobol", "ST"), (morris_table, "morris", "mu*")])
def test_the_legend_names_the_whiskers_in_their_colour(table, method, index):
    fig = sensitivity_figure(table(), method, 512)
    (legend,) = fig.legends
    entries = dict(zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True))
    whisker = entries[f"95% confidence interval of {index}"]
    # the whiskers are the bars' error bars: one segment per input, in the colour the legend shows
    (bars,) = [c for c in fig.axes[0].collections if isinstance(c, LineCollection)]
    assert len(bars.get_segments()) == len(table().query("metric == 'total_shortfall_t'"))
    assert np.allclose(bars.get_colors()[0], to_rgba(whisker.get_color()))
    assert unreadable(fig) == []


def test_morris_inputs_are_named_by_their_whole_labels():
    fig = sensitivity_figure(morris_table(), "morris", 192)
    shown = visible_labels(fig.axes[0].get_yticklabels())
    assert [label.replace("\n", " ") for label in shown] == LABELS
    assert max(len(line) for label in shown for line in label.split("\n")) <= 36
    assert "\n" in shown[LABELS.index(LONG)]  # 45 characters: wrapped, not cut
    assert unreadable(fig) == []


# --- fan charts -------------------------------------------------------------------------------


def fan(names: Names | None = None) -> Figure:
    days, regions, materials = 30, ["japan", "eu"], ["light_ree", "heavy_ree"]
    base = np.linspace(100.0, 40.0, days)[:, None, None] * np.ones((1, len(regions), len(materials)))
    bands = {"p5": 0.8 * base, "p50": base, "p95": 1.2 * base}
    title, unit = "Days of cover", "Days of cover (days)"
    return fan_figure(bands, base, regions, materials, None, title, unit, 50, **({"names": names} if names else {}))


def test_fan_charts_name_materials_and_regions_as_the_other_figures_do():
    fig = fan()
    assert [(ax.get_title(loc="left"), ax.get_title()) for ax in fig.axes] == [
        ("Japan", "Light rare earths"),
        ("Japan", "Heavy rare earths"),
        ("EU", "Light rare earths"),
        ("EU", "Heavy rare earths"),
    ]
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels == [
        "Japan: median, 5-95%",
        "Japan: scenario as written",
        "EU: median, 5-95%",
        "EU: scenario as written",
    ]
    labelled = fan(Names({"eu": "European Union"}, {"heavy_ree": "Dysprosium and terbium"}))
    assert [(ax.get_title(loc="left"), ax.get_title()) for ax in labelled.axes][2:] == [
        ("European Union", "Light rare earths"),
        ("European Union", "Dysprosium and terbium"),
    ]
    assert "European Union: median, 5-95%" in [t.get_text() for t in labelled.legends[0].get_texts()]


# --- prices.png: realised demand --------------------------------------------------------------


def demand_lines(fig: Figure) -> list[Line2D]:
    """The region lines of the first realised-demand panel (the second axes: prices above it)."""
    bottom = fig.axes[2] if len(fig.axes) == 4 else fig.axes[1]
    assert "realised demand" in bottom.get_ylabel()
    return [line for line in bottom.get_lines() if not line.get_label().startswith("_")]


@shipped_group("embargo_2010")
def test_a_region_whose_demand_is_another_s_is_dashed_on_top_of_it():
    result = shipped_result("embargo_2010")
    fig = prices_figure(result)
    japan, eu = demand_lines(fig)
    # the same demand factor: the same share of baseline every day
    assert np.allclose(japan.get_ydata(), eu.get_ydata(), rtol=1e-9)
    assert japan.get_linestyle() == "-"
    assert eu.get_linestyle() == "--" and eu.zorder > japan.zorder  # gaps in the upper line show the lower
    assert eu.get_label() == "EU: realised demand (same as Japan)"
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "Japan: realised demand" in legend and "EU: realised demand (same as Japan)" in legend
    assert "EU: realised demand" not in legend


@shipped_group("embargo_stochastic")
def test_regions_whose_demand_differs_keep_their_own_solid_lines():
    # the stochastic replay as written (seed 2010) draws each region's demand noise apart: its shared run
    result = shipped_result("embargo_stochastic")
    japan, eu = demand_lines(prices_figure(result))
    assert np.nanmax(np.abs(japan.get_ydata() - eu.get_ydata())) > 1.0  # percentage points
    assert (japan.get_label(), eu.get_label()) == ("Japan: realised demand", "EU: realised demand")
    assert japan.get_linestyle() == eu.get_linestyle() == "-"


@shipped_group("embargo_2010")
def test_the_legend_lists_only_lines_a_reader_can_see_and_says_who_pays_the_world_price():
    # In the 2010 replay every region pays the world price: no "paid by" line is drawn (it would lie
    # under the world price's). The legend used to list a bare "Japan" and "EU (same as Japan)" under
    # "world price", read as price lines hidden under it; they are the demand panels' lines.
    fig = prices_figure(shipped_result("embargo_2010"))
    light = fig.axes[0]
    assert [line.get_label() for line in light.get_lines() if not line.get_label().startswith("_")] == [
        "world price, which Japan and the EU pay"
    ]
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "world price, which Japan and the EU pay",
        "Japan: realised demand",
        "EU: realised demand (same as Japan)",
    ]
    # every entry is a line drawn in some panel
    drawn = {line.get_label() for ax in fig.axes for line in ax.get_lines()}
    assert {t.get_text() for t in fig.legends[0].get_texts()} <= drawn


def test_a_region_paying_a_premium_gets_its_own_line_and_only_the_others_are_said_to_pay_the_world_price():
    # an embargo on Japan alone with a 30% targeted premium: Japan pays 1.3 x the world price while it holds,
    # the EU the world price every day
    data = build(
        TWO_MEMBERS,
        market={"ree": {"reference_price_usd_per_kg": 50.0, "price": {"targeted_premium": 0.3}}},
        shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 30}],
    )
    fig = prices_figure(run(data))
    labels = [t.get_text() for t in fig.legends[0].get_texts()]
    assert labels[:2] == ["world price, which the EU pays", "paid by Japan"]
    world, paid = fig.axes[0].get_lines()[:2]
    assert paid.get_ydata()[5] == pytest.approx(1.3 * world.get_ydata()[5])


@shipped_group("embargo_2010")
def test_realised_demand_is_drawn_on_an_axis_from_zero():
    # the light rare earths' demand falls to 77.6% of baseline: on an axis from 77 to 105 that fall of
    # about a fifth filled the panel's height; from 0, the curve's height is the share of demand left
    fig = prices_figure(shipped_result("embargo_2010"))
    for bottom in (fig.axes[2], fig.axes[3]):
        assert "realised demand" in bottom.get_ylabel()
        low, high = bottom.get_ylim()
        assert low == 0.0 and high >= 100.0
        curve = bottom.get_lines()[0].get_ydata()
        assert 75.0 < np.nanmin(curve) < 90.0  # the curves are still the same shares


@shipped_group("embargo_2010")
def test_the_shock_key_sits_between_the_title_and_the_panels_whose_strips_it_explains():
    result = shipped_result("embargo_2010")
    fig = prices_figure(result)
    assert len(fig.legends) == 2
    lines, key = fig.legends
    shock_labels = [t.get_text() for t in key.get_texts()]
    assert len(shock_labels) == len(result.scenario.shocks) == 7
    assert (
        shock_labels[0]
        == "Export quota: China → Japan, EU, cap of 15,125 t of light and heavy rare earths per 184 days "
        "on what they take from China together, "
        "pro rata to orders"
    )
    assert not set(shock_labels) & {t.get_text() for t in lines.get_texts()}  # each named once
    FigureCanvasAgg(fig)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    box = key.get_window_extent(renderer)
    title = fig._suptitle.get_window_extent(renderer)
    panel_titles = [ax.title.get_window_extent(renderer) for ax in fig.axes[:2]]
    # below the figure's title, above the top panels and their titles: next to the strips along their tops
    assert title.y0 >= box.y1 and all(box.y0 >= t.y1 for t in panel_titles)
    assert unreadable(fig) == []


# --- the report's shock timeline -------------------------------------------------------------


def timeline_of(shocks: list[dict]) -> str:
    """The report's shock timeline (SVG) of ONE_REGION over 100 days with ``shocks``."""
    from simulator.report.figures import shock_timeline
    from tests.helpers import ONE_REGION, build, run

    return shock_timeline(run(build(ONE_REGION, horizon_days=100, shocks=shocks)))


def attributes(svg: str, tag: str, marker: str) -> list[dict[str, str]]:
    """The attributes of each ``<tag ...>`` element carrying ``marker``."""
    return [dict(re.findall(r'([\w-]+)="([^"]*)"', e)) for e in re.findall(rf"<{tag} [^>]*>", svg) if marker in e]


LICENCES = {
    "id": "licences",
    "kind": "licensing",
    "supplier": "china",
    "regions": ["japan"],
    "approval_share": 0.6,
    "start": 10,
    "end": 90,
    "suspended": [[30, 70]],
}
"""A licence requirement on days 10-89, suspended on days 30-69."""
HALT = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 20, "end": 60}
"""A full halt on days 20-59, over the same days as the licences."""


def test_the_timeline_cuts_a_suspension_out_of_its_bar_and_keeps_overlapping_shocks_apart():
    svg = timeline_of([HALT, LICENCES])
    (halt,) = attributes(svg, "rect", 'data-shock="halt"')
    (licences,) = attributes(svg, "rect", 'data-shock="licences"')
    (cut,) = attributes(svg, "rect", "data-suspended")
    # the licences' bar runs over days 10-90 (80 days); its suspension over days 30-70: from a
    # quarter of the bar, half of it long, at the bar's height, hatched with a dashed edge
    x0, w = float(licences["x"]), float(licences["width"])
    assert (float(cut["x"]) - x0) / w == pytest.approx(20 / 80, abs=0.002)
    assert float(cut["width"]) / w == pytest.approx(40 / 80, abs=0.002)
    assert cut["y"] == licences["y"] and cut["fill"].startswith("url(#") and cut["stroke-dasharray"]
    assert "suspended days 30\u201369" in svg
    # overlapping shocks: one lane each, each bar with an edge; a full halt is darker (1.0) than
    # licences refusing 40% of the flow (0.35 + 0.65 x 0.4 = 0.61)
    assert float(licences["y"]) - float(halt["y"]) >= 30
    assert halt["stroke"] == halt["fill"] and licences["stroke"] == licences["fill"] != halt["fill"]
    assert (halt["fill-opacity"], licences["fill-opacity"]) == ("1.00", "0.61")


def test_a_timeline_label_that_fits_beside_no_bar_goes_under_it_and_the_lane_grows():
    svg = timeline_of([HALT, LICENCES])
    # "full halt, days 20-59" fits right of a bar ending at day 60; the licences' label, its
    # suspension drawn apart, fits neither right of day 90, nor in days 10-30, nor left of day 10
    (beside,) = attributes(svg, "text", 'data-label="right"')
    (under,) = re.findall(r'<text [^>]*data-label="under">([^<]*)</text>', svg)
    assert under == "60% of licences approved after 45 days, days 10\u201389"
    # lanes of a 16-unit line naming the shock over 30 units of bar, the second 14 units taller for its line under
    # the bar: 8 + 46 + 60 + 34 units high, in a drawing 576 units wide
    assert re.search(r'viewBox="0 0 576 (\d+)"', svg).group(1) == "148"
    assert float(beside["x"]) < 576


# --- shocks on the run's panels: bands, or lanes when they overlap -----------------------------

SLOWDOWN = {
    "id": "slowdown",
    "kind": "embargo",
    "supplier": "china",
    "regions": ["japan"],
    "start": 60,
    "end": 80,
    "severity": 0.5,
}
"""Half of the flow held back on days 60-79, from the day the halt ends."""


def shock_patches(ax) -> dict[str, object]:
    """The shock patches of a panel by the shock's label (release bands and unlabelled patches left out)."""
    return {p.get_label(): p for p in ax.patches if p.get_label().split(":")[0] in ("Embargo", "Licensing")}


def test_overlapping_shocks_get_a_lane_each_along_the_top_and_the_curves_stay_below():
    """Full-height bands of overlapping shocks blended into one colour no legend swatch matched."""
    result = run(build(ONE_REGION, horizon_days=100, shocks=[LICENCES, HALT, SLOWDOWN]))
    fig = days_of_cover_figure(result)
    ax = fig.axes[0]
    lanes = shock_patches(ax)
    (licences,) = [p for label, p in lanes.items() if label.startswith("Licensing")]  # suspended days 30-69
    halt, slowdown = lanes["Embargo: China \u2192 Japan, full halt"], lanes["Embargo: China \u2192 Japan, 50% cut"]
    # days 10-90 in the top lane: 0.01 below the frame, 0.035 high; the halt (days 20-60) overlaps
    # it and goes one lane (0.045) lower; the slowdown starts the day the halt ends and shares its lane
    assert (licences.get_x(), licences.get_width()) == (10, 80)
    assert (halt.get_x(), halt.get_width(), slowdown.get_x(), slowdown.get_width()) == (20, 40, 60, 20)
    assert licences.get_y() == pytest.approx(0.955) and licences.get_height() == pytest.approx(0.035)
    assert halt.get_y() == slowdown.get_y() == pytest.approx(0.91) and halt.get_height() == pytest.approx(0.035)
    assert halt.get_y() + halt.get_height() < licences.get_y()  # overlapping shocks never share a height
    assert all(p.get_data_transform() == ax.get_xaxis_transform() for p in lanes.values())  # y in panel fractions
    # each in its colour, as dark as it is severe: licences refusing 40% of the flow 0.35 + 0.65 x 0.4
    # = 0.61, a full halt 1.0, half the flow 0.35 + 0.65 x 0.5 = 0.675; an edge in the full colour
    assert licences.get_facecolor() == to_rgba(SHOCK_COLOURS[0], 0.61)
    assert halt.get_facecolor() == to_rgba(SHOCK_COLOURS[1], 1.0)
    assert slowdown.get_facecolor() == pytest.approx(to_rgba(SHOCK_COLOURS[2], 0.675))
    assert halt.get_edgecolor() == to_rgba(SHOCK_COLOURS[1])
    # the highest data is the 60-day target, autoscaled to 60 x 1.05 = 63; two lanes take
    # 0.01 + 2 x 0.045 + 0.03 = 0.13 of the panel, so the axis runs to 63 / 0.87 = 72.41
    assert ax.get_ylim() == pytest.approx((0.0, 63 / 0.87))
    assert 60 / ax.get_ylim()[1] < halt.get_y()
    # the legend draws each swatch as drawn: a strip 0.45 of the swatch's height (0.7 x 8.5 pt), same fill
    legend = fig.legends[0]
    entries = dict(zip([t.get_text() for t in legend.get_texts()], legend.legend_handles, strict=True))
    for label, lane in lanes.items():
        assert entries[label].get_height() == pytest.approx(0.45 * 0.7 * 8.5)
        assert entries[label].get_facecolor() == pytest.approx(lane.get_facecolor())


def test_shocks_that_do_not_overlap_keep_light_full_height_bands():

    result = run(build(ONE_REGION, horizon_days=100, shocks=[HALT, SLOWDOWN]))  # days 20-60, then 60-80
    ax = days_of_cover_figure(result).axes[0]
    halt, slowdown = shock_patches(ax).values()
    assert (halt.get_x(), halt.get_width(), slowdown.get_x(), slowdown.get_width()) == (20, 40, 60, 20)
    assert (halt.get_y(), halt.get_height(), slowdown.get_y(), slowdown.get_height()) == (0, 1, 0, 1)
    assert halt.get_facecolor() == to_rgba(SHOCK_COLOURS[0], 0.22)
    assert ax.get_ylim() == pytest.approx((0.0, 63.0))  # no lanes: no room made above the curves


def test_a_shock_on_regions_without_demand_for_a_material_is_not_drawn_in_its_panel():
    from simulator.plots import shock_windows

    # magnets are used by the EU only; a delay aimed at Japan alone is not a shock on magnets
    data = build(TWO_MEMBERS, materials__magnets={}, regions__eu__demand__magnets={"tonnes_per_day": 1})
    data = build(data, regions__eu__sourcing__magnets={"china": 1.0})
    delay = {"id": "slow", "kind": "delay", "supplier": "china", "regions": ["japan"], "start": 5, "end": 9,
             "extra_days": 3}  # fmt: skip
    result = run(build(data, shocks=[*data["shocks"], delay]))
    assert shock_windows(result, "ree") == [(0, 0, 60), (1, 5, 9)]
    assert shock_windows(result, "magnets") == [(0, 0, 60)]


@shipped_group("embargo_2010_historical")
def test_the_figures_legend_says_how_much_of_a_halt_stops_and_whom_a_quota_caps():
    # the fitted 2010 halt to Japan: 70% of what it stops leaks, the rest is held at customs and
    # cleared over 30 days after it ends (on_halt: held, release_days: 30), not stopped for good
    from simulator.plots import shock_label

    result = shipped_result("embargo_2010_historical")
    k = [shock.id for shock in result.scenario.shocks].index("china_japan_halt")
    assert shock_label(result, k) == (
        "Embargo: China → Japan, halt with 70% leaking through, the rest held and released over 30 days after it ends"
    )
    # a quota caps exports to the regions modelled, not all China exports (its announced quota)
    quota = [shock.id for shock in result.scenario.shocks].index("china_quota_h2_2010")
    assert (
        shock_label(result, quota)
        == "Export quota: China → Japan, EU, cap of 15,125 t of light and heavy rare earths per 184 days "
        "on what they take from China together, "
        "pro rata to orders"
    )


@shipped_group("embargo_2010_historical")
def test_a_halt_that_leaks_is_shaded_by_what_it_stops_and_keeps_its_colour_in_the_timeline():
    # the 2010 halt to Japan stops 1 x (1 - 0.7) = 30% of the flow: 0.35 + 0.65 x 0.3 = 0.545
    from simulator.palette import SHOCK_COLOURS
    from simulator.plots import shock_shade
    from simulator.report.figures import shock_timeline

    result = shipped_result("embargo_2010_historical")
    ids = [shock.id for shock in result.scenario.shocks]
    assert shock_shade(result, ids.index("china_japan_halt")) == pytest.approx(0.545)
    assert shock_shade(result, ids.index("china_eu_halt")) == pytest.approx(1.0)  # a full halt, nothing leaks
    timeline = shock_timeline(result)
    for k, shock_id in enumerate(ids):  # the colour of its strip and legend in the curves
        bar = re.search(rf'<rect [^>]*fill="([^"]+)"[^>]*data-shock="{shock_id}"', timeline)
        assert bar is not None and bar.group(1) == SHOCK_COLOURS[k % len(SHOCK_COLOURS)], shock_id


def test_the_report_s_prices_caption_says_what_the_axis_starts_at_and_where_the_shocks_are_keyed():

    market = {"ree": {"reference_price_usd_per_kg": 50.0}}
    caption = "on an axis from 0. The key above the panels names the shocks shaded in them."
    assert caption in words_page(run(build(TWO_MEMBERS, market=market)))
    # without a shock there is no key to name
    quiet = words_page(run(build(TWO_MEMBERS, market=market, shocks=[])))
    assert "on an axis from 0." in quiet and "The key above the panels" not in quiet


def test_a_quota_on_more_regions_than_a_legend_names_counts_them_and_a_listed_embargo_names_its_own():
    from simulator.plots import shock_label

    data = load_raw(ROOT / "scenarios" / "club_of_five.yaml")
    quota = {"id": "cap", "kind": "export_quota", "supplier": "china", "start": 5, "end": 20, "tonnes_per_period": 50.0,
             "period_days": 15}  # fmt: skip
    data = {**data, "horizon_days": 30, "shocks": [*data["shocks"], quota]}
    result = run(data)
    labels = [shock_label(result, k) for k in range(len(result.scenario.shocks))]
    assert (
        labels[-1] == "Export quota: China → the 5 regions modelled, cap of 50 t of light and heavy rare earths per "
        "15 days on what they take from China together, pro rata to orders"
    )
    assert labels[0].startswith("Embargo: China → Japan, EU, United States, ")
