"""Sweep figures of audit s51: distinct short labels (item 9), the heatmap's title (item 10),
tonnage axes from zero (item 14), no band in the legend of one run per point (item 15).

Tables are made by hand, so every median is known.
"""

from __future__ import annotations

import pandas as pd

from simulator.sweep.figures import _shorts, frontier_figure, heatmap_figure, metrics_figure, pool_frontier_figure

JAPAN = "agreement.pool.contributions.japan.light_ree.days"
EU = "agreement.pool.contributions.eu.light_ree.days"
MEMBERS = ["japan", "eu"]


def pool_table(runs: int = 1) -> pd.DataFrame:
    """2 x 2 points of the two members' pool days; total 8,500 down to 5,930 t (each run alike)."""
    rows = []
    values = [(30, 0, 8500.0, 0.81), (30, 60, 6410.0, 0.505), (90, 0, 5930.0, 0.5), (90, 60, 5930.0, 0.5)]
    for point, (japan, eu, total, fairness) in enumerate(values):
        for run in range(runs):
            rows.append(
                {
                    JAPAN: japan,
                    EU: eu,
                    "point": point,
                    "run": run,
                    "seed": run,
                    "total_shortfall_t": total,
                    "fairness_jain": fairness,
                    "shortfall_t.japan": total * 0.2,
                    "shortfall_t.eu": total * 0.8,
                    "holding_cost_usd.japan": japan * 7e4,
                    "holding_cost_usd.eu": eu * 5e4,
                }
            )
    return pd.DataFrame(rows)


# --- item 9: labels shortened only as far as they stay distinct -------------------------------


def test_short_names_stay_distinct():
    assert _shorts([JAPAN, EU]) == ["japan.light_ree.days", "eu.light_ree.days"]
    assert _shorts(["agreement.ratio.japan", "shocks.halt.end"]) == ["ratio.japan", "halt.end"]  # as before
    assert _shorts(["a.b", "x.a.b"]) == ["a.b", "x.a.b"]  # a whole path is as long as it gets
    assert _shorts(["p.x.a.b", "q.x.a.b", "r.y.a.b"]) == ["p.x.a.b", "q.x.a.b", "y.a.b"]


def test_the_frontiers_say_which_number_is_whose():
    table = pool_table()
    for figure in (frontier_figure(table, [JAPAN, EU], MEMBERS), pool_frontier_figure(table, [JAPAN, EU], MEMBERS)):
        title = figure.axes[0].get_title()
        assert title.endswith("labels (every point): japan.light_ree.days / eu.light_ree.days"), title


# --- item 10: the heatmap's title and axis labels within the figure -----------------------------


def rendered(figure):
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # axis labels take their places as the figure is drawn
    return canvas.get_renderer()


def test_the_heatmaps_title_and_labels_of_long_paths_stay_inside():
    figure = heatmap_figure(pool_table(), JAPAN, EU, MEMBERS)
    renderer = rendered(figure)
    title = figure._suptitle
    assert title.get_text().replace("\n", " ") == f"sweep of {JAPAN} x {EU}"  # wrapped, not cut
    box = title.get_window_extent(renderer)
    assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y1 <= figure.bbox.height
    for ax in figure.axes[:4:2]:  # the panels, not their colour bars
        panel = ax.get_window_extent(renderer)
        assert ax.yaxis.label.get_window_extent(renderer).height <= panel.height
        assert ax.yaxis.label.get_text().replace("\n", "") == f"{EU} (days)"
        assert ax.xaxis.label.get_window_extent(renderer).width <= panel.width * 1.15  # the colour bar's room beside it
        # the title's lines clear the panels' titles
        assert box.y0 > ax.title.get_window_extent(renderer).y1


# --- items 14 and 15: tonnes from zero; no band named where each point has one run ----------------

RATIO = "agreement.ratio.japan"
MECHANISM = "agreement.mechanism"


def ratio_table(runs: int, path: str = RATIO, values=(0.0, 0.5, 1.0)) -> pd.DataFrame:
    """Totals 7,110 to 7,165 t (0.8% apart), as long_embargo_6m's rules gave; run k adds k t."""
    rows = []
    totals, fairness_values = (7110.0, 7120.0, 7165.0), (0.62, 0.63, 0.67)
    for point, (value, total, fairness) in enumerate(zip(values, totals, fairness_values, strict=True)):
        for run in range(runs):
            rows.append(
                {
                    path: value,
                    "point": point,
                    "run": run,
                    "seed": run,
                    "total_shortfall_t": total + run,
                    "fairness_jain": fairness,
                    "shortfall_t.japan": 507.6 + point + run,
                    "shortfall_t.eu": total - 507.6 - point,
                }
            )
    return pd.DataFrame(rows)


def legend_texts(figure) -> list[str]:
    return [text.get_text() for text in figure.legends[0].get_texts()]


def test_tonnage_panels_start_at_zero_and_fairness_keeps_its_range():
    for table, path in [
        (ratio_table(1), RATIO),
        (ratio_table(3, MECHANISM, ("fair_ratio", "auction", "talmud")), MECHANISM),
    ]:
        figure = metrics_figure(table, path, MEMBERS)
        by_title = {ax.get_title().split(",\n")[0]: ax for ax in figure.axes if ax.get_visible()}
        for title, top in [
            ("Total shortfall (t)", 7167.0),
            ("Shortfall, Japan (t)", 511.6),
            ("Shortfall, EU (t)", 6655.4),
        ]:
            low, high = by_title[title].get_ylim()
            assert low <= 0 < top <= high < 1.1 * top, (path, title, low, high)
        assert by_title["Fairness (Jain's index)"].get_ylim() == (0.485, 1.015)  # 1/2 to 1, as before


def test_the_pool_frontiers_shortfall_axis_starts_at_zero():
    figure = pool_frontier_figure(pool_table(), [JAPAN, EU], MEMBERS)
    low, high = figure.axes[0].get_ylim()
    assert low <= 0 and 8500 <= high < 8500 * 1.1


def test_one_run_per_point_names_no_band():
    assert legend_texts(metrics_figure(ratio_table(1), RATIO, MEMBERS)) == ["one run"]
    assert legend_texts(metrics_figure(ratio_table(3), RATIO, MEMBERS)) == ["5-95% of runs", "median"]
    categories = ("fair_ratio", "auction", "talmud")
    assert legend_texts(metrics_figure(ratio_table(1, MECHANISM, categories), MECHANISM, MEMBERS)) == ["one run"]
    assert legend_texts(metrics_figure(ratio_table(2, MECHANISM, categories), MECHANISM, MEMBERS)) == [
        "median, bar 5-95% of runs"
    ]
    one = metrics_figure(ratio_table(1), RATIO, MEMBERS)
    assert not any(ax.collections for ax in one.axes)  # no band drawn (fill_between makes a collection)


def test_the_metrics_figures_long_axis_label_wraps_inside_the_figure():
    """The same defect as item 10's in sweep_metrics.png: shocks.china_embargo_both.duration_days.mean (days)
    ran past the right edge under the right-hand panels."""
    path = "shocks.china_embargo_both.duration_days.mean"
    figure = metrics_figure(ratio_table(3, path, (60, 180, 300)), path, MEMBERS)
    renderer = rendered(figure)
    for ax in figure.axes:
        label = ax.xaxis.label
        assert label.get_text().replace("\n", "") == f"{path} (days)"
        box = label.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= figure.bbox.width and box.y0 >= 0
        assert box.width <= ax.get_window_extent(renderer).width
