"""Figures as a user read them in the audit of ``stockpile run embargo_2010 --report --compare``.

A baseline hidden under the run it is compared with, the release trigger missing from the
days of cover, suppliers named in title case, a shortfall figure of empty frames and a
starting price below the price axis' lowest tick.
"""

from __future__ import annotations

import io
from typing import Any

import numpy as np
import pytest
import yaml
from matplotlib.colors import to_rgb
from matplotlib.lines import Line2D
from matplotlib.text import Text

from simulator.names import Names
from simulator.palette import SUPPLIER_COLOURS
from simulator.plots import (
    NO_SHORTFALL,
    all_cover_commercial,
    compare_figure,
    days_of_cover_figure,
    prices_figure,
    shock_label,
    shortfall_figure,
    supply_mix_figure,
    trigger_line_days,
)
from simulator.report.figures import COINCIDE_IN_PART, COINCIDE_THROUGHOUT, comparison_figure
from simulator.results import shared_stock_held
from simulator.scenario import load_scenario
from tests.helpers import (
    ONE_REGION,
    SCENARIOS,
    TWO_MEMBERS,
    build,
    halt,
    run,
    shipped_cover_figure,
    shipped_group,
    shipped_result,
)


def legend_texts(fig) -> list[str]:
    return [t.get_text() for t in fig.legends[0].get_texts()]


# --- the comparison with a baseline ---------------------------------------------------------


def region_lines(ax) -> list[Line2D]:
    """The curves of a panel (the reference lines and the legend's own handles aside)."""
    return [line for line in ax.get_lines() if len(line.get_xdata()) > 2]


def test_the_comparison_labels_days_of_cover_as_the_days_of_cover_figure_does():
    result = run(ONE_REGION)
    cover = days_of_cover_figure(result).axes[0].get_ylabel()
    assert cover == "drawable days of cover"
    assert comparison_figure(result, result, ("a", "b")).axes[0].get_ylabel() == cover


def test_a_baseline_that_coincides_with_the_run_is_drawn_wide_light_and_dashed_under_it():
    result = run(ONE_REGION)
    fig = comparison_figure(result, run(ONE_REGION), ("this run", "the baseline"))
    for ax in fig.axes:
        if not ax.get_visible() or not region_lines(ax):
            continue
        base, mine = region_lines(ax)  # the baseline is drawn first, underneath
        assert np.array_equal(base.get_ydata(), mine.get_ydata())  # the same run: the curves coincide
        assert base.get_color() == mine.get_color()  # the region's colour
        assert base.get_linewidth() >= 2 * mine.get_linewidth()  # it shows on both sides of the run's line
        assert base.get_alpha() is not None and base.get_alpha() < 1 and mine.get_alpha() in (None, 1)
        assert base.get_linestyle() == "--" and mine.get_linestyle() == "-"
        assert base.zorder < mine.zorder
    legend = legend_texts(fig)
    assert "this run (solid)" in legend and "the baseline (dashed, wide)" in legend
    assert COINCIDE_THROUGHOUT in legend and COINCIDE_IN_PART not in legend


def test_runs_that_differ_are_said_to_coincide_only_where_they_do():
    result = run(build(ONE_REGION, shocks=[]))
    halted = run(build(ONE_REGION, shocks=[halt(start=2, end=40)]))
    legend = legend_texts(comparison_figure(halted, result, ("halted", "open")))
    assert COINCIDE_THROUGHOUT not in legend and COINCIDE_IN_PART not in legend  # apart from day 7 (lead time 5)
    late = run(build(ONE_REGION, shocks=[halt(start=30, end=40)]))  # the same until day 35 of 40
    legend = legend_texts(comparison_figure(late, result, ("late", "open")))
    assert COINCIDE_IN_PART in legend and COINCIDE_THROUGHOUT not in legend


# --- the release trigger on the days of cover -----------------------------------------------


def trigger_lines(ax) -> list[Line2D]:
    return [line for line in ax.get_lines() if line.get_label().startswith("release trigger")]


@shipped_group("embargo_2010")
def test_days_of_cover_draw_the_agreement_s_trigger_at_its_days():
    result = shipped_result("embargo_2010")
    assert result.scenario.agreement.trigger.commercial_days_below == 15
    fig = shipped_cover_figure("embargo_2010")
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 2  # light and heavy rare earths: both members have demand for both
    for ax in panels:
        (line,) = trigger_lines(ax)
        assert list(line.get_ydata()) == [15, 15]
        assert any(t.get_text() == "trigger 15 days" for t in ax.texts)
    legend = (
        "release trigger: a member's commercial stock below 15 days lets it call on the shared stock,\n"
        "released only for demand its own stock cannot meet (shown where commercial stock is all its cover)"
    )
    assert legend in legend_texts(fig)  # broken after its comma to fit the figure


@shipped_group("embargo_2010")
def test_as_shipped_every_members_cover_is_its_commercial_stock_so_the_line_applies_to_the_curves():
    result = shipped_result("embargo_2010")
    ts = result.timeseries
    eu = ts[(ts.region == "eu") & (ts.material == "light_ree")]
    # no reserve and no pool share drawable: the curve is commercial stock / baseline demand
    assert np.allclose(eu.days_of_cover, eu.commercial_stock_t / eu.baseline_demand_t, rtol=0, atol=1e-9)
    assert trigger_line_days(result, "light_ree") == trigger_line_days(result, "heavy_ree") == 15.0


def test_no_trigger_line_over_drawable_cover_that_counts_a_pool_share():
    data = yaml.safe_load(next(p for p in SCENARIOS if p.stem == "embargo_2010").read_text())
    result = run(build(data, agreement__mechanism="fair_ratio"))
    ts = result.timeseries
    eu = ts[(ts.region == "eu") & (ts.material == "light_ree")].set_index("day")
    # day 159: the EU may draw its 21% ratio of the 5,796 t light pool (4,596 + 1,200 t), 0.21 x 5,796 =
    # 1,217.16 t, on top of its commercial stock: its curve is (commercial + 1,217.16) / 20 t/day, about 61 days
    # above the commercial cover the trigger tests
    day = eu.loc[159]
    assert day.baseline_demand_t == 20 and day.drawable_shared_t == pytest.approx(0.21 * 5796)
    assert day.days_of_cover == pytest.approx((day.commercial_stock_t + 0.21 * 5796) / 20)
    assert day.days_of_cover - day.commercial_stock_t / 20 == pytest.approx(60.858)
    fig = days_of_cover_figure(result)
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 2 and all(trigger_lines(ax) == [] for ax in panels)
    assert not any(t.get_text().startswith("trigger") for ax in panels for t in ax.texts)
    assert not any(t.startswith("release trigger") for t in legend_texts(fig))
    assert trigger_line_days(result, "light_ree") is None and trigger_line_days(result, "heavy_ree") is None


def test_no_trigger_line_without_an_agreement_or_when_it_triggers_on_a_gap():
    alone = days_of_cover_figure(run(ONE_REGION))
    on_gap = days_of_cover_figure(run(TWO_MEMBERS))  # commercial_days_below 0: a member's gap triggers
    below_10 = days_of_cover_figure(run(build(TWO_MEMBERS, agreement__trigger__commercial_days_below=10)))
    assert [trigger_lines(ax) for ax in alone.axes] == [[]]
    assert [trigger_lines(ax) for ax in on_gap.axes] == [[]]
    assert [list(line.get_ydata()) for line in trigger_lines(below_10.axes[0])] == [[10, 10]]


# --- supplier names -------------------------------------------------------------------------


def test_suppliers_are_named_as_in_a_sentence_not_in_title_case():
    data = build(
        ONE_REGION,
        suppliers={"china": {"lead_time_days": {"japan": 5}}, "rest_of_world": {"lead_time_days": {"japan": 20}}},
        regions__japan__sourcing={"ree": {"china": 0.7, "rest_of_world": 0.3}},
        shocks=[
            {"id": "cut", "kind": "embargo", "supplier": "rest_of_world", "regions": ["japan"], "start": 5, "end": 10}
        ],
    )
    result = run(data)
    assert legend_texts(supply_mix_figure(result)) == ["China", "Rest of world"]
    assert shock_label(result, 0) == "Embargo: Rest of world \u2192 Japan, full halt"
    # a supplier that is also a region is named as the region: its label, or its name in title case
    assert Names({"japan": "Japan (METI)"}, {}).supplier("japan") == "Japan (METI)"
    assert Names({}, {}, frozenset({"south_korea"})).supplier("south_korea") == "South Korea"
    assert Names.of(result.scenario).supplier("japan") == "Japan" and "japan" in Names.of(result.scenario).region_ids


def test_a_suppliers_label_names_it_everywhere_a_proper_name_needs_its_own_capitals():
    data = build(
        ONE_REGION,
        suppliers={
            "china": {"lead_time_days": {"japan": 5}},
            "mp_materials": {"label": "MP Materials", "lead_time_days": {"japan": 20}},
        },
        regions__japan__sourcing={"ree": {"china": 0.7, "mp_materials": 0.3}},
        shocks=[
            {"id": "cut", "kind": "embargo", "supplier": "mp_materials", "regions": ["japan"], "start": 5, "end": 10}
        ],
    )
    result = run(data)
    assert legend_texts(supply_mix_figure(result)) == ["China", "MP Materials"]  # not "Mp materials"
    assert shock_label(result, 0) == "Embargo: MP Materials → Japan, full halt"


# --- no shortfall ---------------------------------------------------------------------------


def test_a_run_nobody_is_short_in_draws_one_low_panel_saying_so_as_the_report_does():
    result = run(build(ONE_REGION, shocks=[]))
    assert result.timeseries["shortfall_t"].max() == 0
    fig = shortfall_figure(result)
    (panel,) = [ax for ax in fig.axes if ax.get_visible()]
    assert [t.get_text() for t in panel.texts] == [NO_SHORTFALL]
    assert NO_SHORTFALL == "No region runs short of any material in this run."  # the report's own sentence
    # no frames of empty panels: a panel about one inch high instead of two of 3.4 inches
    height_in = panel.get_position().height * fig.get_size_inches()[1]
    assert 0.8 < height_in < 1.5 and fig.get_size_inches()[1] < 2.5


# --- the reference price --------------------------------------------------------------------


@shipped_group("embargo_2010")
def test_the_price_axis_shows_the_reference_price_it_starts_from():
    result = shipped_result("embargo_2010")
    fig = prices_figure(result)
    light = fig.axes[0]
    assert light.get_title() == "Light rare earths"
    world = light.get_lines()[0].get_ydata()
    assert abs(world[0] - 13.13) < 0.5  # the price starts at its reference, below the lowest decade tick (20)
    assert [list(line.get_ydata()) for line in light.get_lines()[1:]] == [[13.13, 13.13]]  # the reference line
    assert light.get_ylim()[0] < 13.13 < light.get_ylim()[1]
    assert "reference price 13.13 USD/kg" in [t.get_text() for t in light.texts]


# --- text a scenario gives is drawn as typed, never as mathtext ------------------------------


def drawn_texts(fig) -> list[str]:
    """What Matplotlib draws for each text of ``fig`` (after its own ``$`` handling); each is plain text."""
    fig.savefig(io.BytesIO(), format="png", dpi=40)  # mathtext parses here: raises on a formula it cannot read
    shown = []
    for text in fig.findobj(Text):
        string, math = text._preprocess_math(text.get_text())
        assert math is False, text.get_text()
        shown.append(string)
    return shown


def test_labels_with_dollars_and_backslashes_draw_as_typed():
    supplier, region, material = r"China $\frac$ x", r"EU $x$ \ y", r"Rare earths $y$ \alpha"
    data = build(
        TWO_MEMBERS,
        suppliers__china__label=supplier,
        regions__eu__label=region,
        materials__ree__label=material,
        market={"ree": {}},
    )
    result = run(data)
    figures = {
        "days_of_cover": days_of_cover_figure(result),
        "shortfall": shortfall_figure(result),
        # China's embargo runs all along: nothing arrives, and a panel says so; without it China delivers
        "supply_mix": supply_mix_figure(run(build(data, shocks=[]))),
        "prices": prices_figure(result),
        "compare": compare_figure({"fair_ratio": result, r"rule $q$": result}),
        "comparison": comparison_figure(result, result, (r"run $a$", r"base \ $b$")),
    }
    shown = {name: "\n".join(drawn_texts(fig)) for name, fig in figures.items()}
    for name in ("days_of_cover", "shortfall", "prices", "comparison"):
        assert region in shown[name] and material in shown[name], name
    assert supplier in shown["supply_mix"] and f"{region}: rare earths $y$ \\alpha" in shown["supply_mix"]
    assert f"Embargo: {supplier} \u2192 Japan, {region}" in shown["days_of_cover"]  # the shock's legend entry
    assert "rule $q$" in shown["compare"] and r"run $a$ against base \ $b$" in shown["comparison"]


def test_a_run_nobody_is_short_in_is_as_wide_as_its_other_figures_with_columns_set():
    three = {m: {"price_usd_per_kg": 50} for m in ("a", "b", "c")}
    japan = {
        "demand": {m: {"tonnes_per_day": 10} for m in three},
        "commercial_stock": {m: {"tonnes": 100} for m in three},
        "sourcing": {m: {"china": 1.0} for m in three},
    }
    result = run(build(ONE_REGION, materials=three, regions={"japan": japan}, shocks=[]))
    assert result.timeseries["shortfall_t"].max() == 0
    # three materials two to a row: two columns of 5.2 inches (not three: 15.6)
    for columns, width in ((2, 10.4), (None, 15.6), (1, 7.0)):
        assert shortfall_figure(result, columns=columns).get_size_inches()[0] == pytest.approx(width)
        assert days_of_cover_figure(result, columns=columns).get_size_inches()[0] == pytest.approx(width)


def test_the_reference_price_label_keeps_clear_of_what_a_region_paid_not_only_of_the_world_price():
    from matplotlib.figure import Figure

    from simulator.plots.prices import _reference_price

    ax = Figure().subplots()
    ax.set_yscale("log")
    ax.plot(np.arange(100), np.full(100, 100.0), label="world price")  # far above the line at 10 all along
    paid = np.where(np.arange(100) < 40, 10.5, 100.0)  # 5% above it over the first 40% of the panel
    ax.plot(np.arange(100), paid, label="paid by Japan")
    _reference_price(ax, 10.0)
    (label,) = ax.texts
    # the left end (0 to 0.3 of the width, above the line) would sit on the paid curve: log(10.5 / 10) = 0.05
    # is within 0.08 of the log range log(100 / 10) = 2.3 above the line; the right end (0.7 to 1) is clear
    assert label.xy == (1.0, 10.0) and label.get_ha() == "right" and label.get_va() == "bottom"


def test_no_trigger_line_over_the_curve_of_a_region_outside_the_agreement():
    # TWO_MEMBERS triggering at 10 days draws the line (the test above); with a third region that
    # uses the material but is no member, the line would sit over a curve it does not apply to
    korea = {
        "demand": {"ree": {"tonnes_per_day": 5}},
        "commercial_stock": {"ree": {"tonnes": 0}},
        "sourcing": {"ree": {"china": 1.0}},
    }
    data = build(
        TWO_MEMBERS,
        agreement__trigger__commercial_days_below=10,
        regions__korea=korea,
        suppliers__china__lead_time_days__korea=5,
    )
    result = run(data)
    fig = days_of_cover_figure(result)
    assert len(region_lines(fig.axes[0])) == 3 and trigger_lines(fig.axes[0]) == []
    assert trigger_line_days(result, "ree") is None


# --- policy audit 41, finding 6: no trigger line where there is nothing to call on ----------


def _with_magnets(data: dict) -> dict:
    """``data`` (TWO_MEMBERS) with a second material both members use and nobody shares: no stock at all."""
    for region in ("japan", "eu"):
        data["regions"][region]["demand"]["magnet"] = {"tonnes_per_day": 10}
        data["regions"][region]["commercial_stock"]["magnet"] = {"tonnes": 0}
        data["regions"][region]["sourcing"]["magnet"] = {"china": 1.0}
    data["materials"]["magnet"] = {"price_usd_per_kg": 50}
    return data


def test_no_trigger_line_on_the_panel_of_a_material_the_pool_holds_none_of():
    # the pool holds 30 + 30 t of ree and no magnet; on both panels each member's drawable cover is its
    # commercial stock (none of either: the embargo runs all along), so the old rule drew the line on both;
    # a call on the magnet panel can release nothing, as in china_2025_licensing's NdFeB-magnet panel
    data = _with_magnets(build(TWO_MEMBERS, agreement__trigger__commercial_days_below=10))
    result = run(data)
    assert shared_stock_held(result, "ree") and not shared_stock_held(result, "magnet")
    # the 60 t of ree all go on day 0 (Japan's gap of 20 t, the EU's 40 t of its ratio's 30 + Japan's
    # unneeded 10): the pool is empty at the end of every day, yet it had stock to call on
    ts, pool = result.timeseries, result.pool
    assert ts[(ts.day == 0) & (ts.material == "ree")].released_t.tolist() == [20, 40]
    assert (pool.pool_stock_t == 0).all() and (ts[ts.material == "magnet"].released_t == 0).all()
    assert all_cover_commercial(result, "magnet", ["japan", "eu"])  # the old rule alone would draw it
    assert trigger_line_days(result, "ree") == 10.0 and trigger_line_days(result, "magnet") is None
    fig = days_of_cover_figure(result)
    lines = {ax.get_title(): [list(line.get_ydata()) for line in trigger_lines(ax)] for ax in fig.axes}
    assert lines == {"Rare earths": [[10, 10]], "Magnet": []}


def test_no_trigger_line_on_a_material_no_member_holds_a_reserve_of_in_national_mode():
    # national mode: the shared stock is what members may lend of their own reserves; Japan holds 100 t of
    # ree and none of magnet, as Japan holds nickel and cobalt but no lithium in battery_materials
    data = _with_magnets(build(TWO_MEMBERS, agreement__trigger__commercial_days_below=10))
    data["agreement"]["pool"] = {"mode": "national", "lendable_share": 0.5}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 100}}
    result = run(data)
    assert shared_stock_held(result, "ree") and not shared_stock_held(result, "magnet")
    assert all_cover_commercial(result, "magnet", ["japan", "eu"])
    assert trigger_line_days(result, "magnet") is None
    # nobody may lend: no shared stock of ree either
    data["agreement"]["pool"]["lendable_share"] = 0.0
    assert not shared_stock_held(run(data), "ree")


# --- policy audit 41, finding 10: the supply mix draws what arrives, and says why a panel is empty --


SUPPLY_MIX: dict = {
    "name": "mix",
    "horizon_days": 40,
    "materials": {"ree": {"price_usd_per_kg": 50}, "magnet": {"price_usd_per_kg": 50}},
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5, "eu": 5}},
        # capacity from day 100, after the 40-day horizon (as Kvanefjeld in new_supply_2031): it never delivers
        "later": {
            "label": "Later mine",
            "lead_time_days": {"japan": 5, "eu": 5},
            "capacity_t_per_day": {"ree": 0},
            "capacity_additions": [{"material": "ree", "start": 100, "capacity_t_per_day": 1.0}],
        },
        "rest_of_world": {"lead_time_days": {"japan": 5, "eu": 5}},
    },
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}, "magnet": {"tonnes_per_day": 2}},
            "commercial_stock": {"ree": {"tonnes": 100}, "magnet": {"tonnes": 20}},
            "sourcing": {"ree": {"china": 1.0}, "magnet": {"china": 1.0}},
        },
        # the EU uses no magnet (as Japan no NdFeB magnets in china_2025_licensing)
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 5}},
            "commercial_stock": {"ree": {"tonnes": 50}},
            "sourcing": {"ree": {"china": 0.6, "rest_of_world": 0.4}},
        },
    },
}


def _supply_mix_panels() -> tuple[Any, dict[str, Any]]:
    result = run(SUPPLY_MIX)
    supply = result.supply
    assert supply[supply.supplier == "later"].arrivals_t.max() == 0  # starts on day 100 of 40
    assert supply[(supply.region == "eu") & (supply.material == "magnet")].arrivals_t.max() == 0
    fig = supply_mix_figure(result)
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_visible()}
    assert list(panels) == ["Japan: rare earths", "Japan: magnet", "EU: rare earths", "EU: magnet"]
    return fig, panels


def test_the_supply_mix_says_no_demand_instead_of_an_empty_axis():
    _, panels = _supply_mix_panels()
    # the EU's magnet panel: a sentence, no axis of -0.04 to 0.04 around nothing
    empty = panels["EU: magnet"]
    assert [t.get_text() for t in empty.texts] == ["No demand for magnet."]
    assert len(empty.collections) == 0 and list(empty.get_yticks()) == []


def test_the_supply_mix_stacks_and_lists_only_the_suppliers_that_deliver():
    fig, panels = _supply_mix_panels()
    # the other panels stack what arrives: Japan all from China, the EU 60/40 from China and the rest of the world
    layers = {title: [c.get_label() for c in ax.collections] for title, ax in panels.items()}
    assert layers == {
        "Japan: rare earths": ["China"],
        "Japan: magnet": ["China"],
        "EU: rare earths": ["China", "Rest of world"],
        "EU: magnet": [],
    }
    eu = panels["EU: rare earths"]
    top = eu.collections[1].get_paths()[0].vertices[:, 1].max()
    assert top == pytest.approx(5.0)  # 3 + 2 t/day: the EU's demand, stacked
    # each supplier keeps the colour of its place among the scenario's suppliers (rest of world: the third), its own
    # since session 65 (it was the third shock's: the same orange was China here and a quota in the next figure)
    assert tuple(eu.collections[1].get_facecolor()[0][:3]) == pytest.approx(to_rgb(SUPPLIER_COLOURS[2]))
    # the legend names the suppliers drawn, in the scenario's order, and not the mine that starts too late
    assert legend_texts(fig) == ["China", "Rest of world"]


def test_a_supply_mix_panel_where_nothing_arrives_says_so():
    # TWO_MEMBERS: China, the only supplier, embargoes both members from day -100 to 1000
    result = run(TWO_MEMBERS)
    assert result.supply.arrivals_t.max() == 0
    fig = supply_mix_figure(result)
    assert [[t.get_text() for t in ax.texts] for ax in fig.axes] == [["Nothing arrives."]] * 2
    assert fig.legends[0].get_texts() == []


def test_battery_materials_names_its_refiners_as_places_not_as_ids():
    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "battery_materials"))
    names = Names.of(scenario)
    named = {s: names.supplier(s) for s in ("chile_argentina", "finland_belgium", "japan_refiners")}
    # not "Chile argentina", "Finland belgium", "Japan refiners", names made from the ids
    assert named == {
        "chile_argentina": "Chile and Argentina",
        "finland_belgium": "Finland and Belgium",
        "japan_refiners": "Japanese refiners",
    }
