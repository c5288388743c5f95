"""Figure defects a policy analyst's walkthrough of ``make run`` and the calibration found (session 58).

1. The fan chart of days of cover marks a band cut at the top with triangles centred on the top edge: their upper
   half lay above the panel (over the titles), and one on the horizon's last day half past its right edge.
2. The calibration figure "Model against the record" had one legend under its last row: a panel had no key of its
   own, and the record's order put heavy rare earths' prices before light (light first everywhere else).
3. The shocks' legends said "15,125 t per 184 days" for China's H2-2010 quota beside the report's "export quota of
   7,976 t": they now say what the number is, the cap on what the regions named take from China together.
4. "Curves coincide" had two rules: ``compare.png``'s, a line's width apart (0.5% of a panel's highest line), and the
   report's, the same numbers to rounding. They answer two questions (drawn as one line; the same values), so
   both stay, named apart: ``compare.png`` no longer calls curves a tonne apart "the same curve".
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.calibrate import fit_figure
from simulator.plots import shock_label
from simulator.scenario import load_raw, validate_data
from simulator.sensitivity.figures import fan_figure
from tests.helpers import ROOT, build, run
from tests.helpers import TWO_MEMBERS as TWO

# --- 1. the fan chart's cut marks lie inside their panel ---------------------------------------------------------

DAYS = 730


def _cut_fan():
    """Two years of one region and material whose band goes past the cut (2 x 50 = 100 days) on days 0, 365 and 729."""
    line = np.full(DAYS, 50.0)
    high = np.full(DAYS, 80.0)
    high[[0, 365, DAYS - 1]] = 400.0  # 400 > 1.5 x 100: the axis is cut at 100
    cube = lambda a: np.stack([a, np.zeros(DAYS)], axis=1)[:, :, None]  # noqa: E731  (day, region, material)
    bands = {"p5": cube(0.5 * line), "p50": cube(line), "p95": cube(high)}
    return fan_figure(bands, cube(line), ["eu", "japan"], ["heavy_ree"], None, "Days of cover", "days", 40, clip=True)


def test_each_cut_mark_lies_inside_its_panel_its_tip_on_the_top_edge():
    fig = _cut_fan()
    FigureCanvasAgg(fig).draw()
    (ax,) = [ax for ax in fig.axes if ax.get_visible()]
    assert ax.get_ylim() == (0.0, 100.0)
    (marks,) = [line for line in ax.get_lines() if line.get_marker() == "^"]
    panel = ax.get_window_extent()
    px_per_pt = fig.dpi / 72
    half_px = (marks.get_markersize() + marks.get_markeredgewidth()) / 2 * px_per_pt  # the triangle and its outline
    centres = marks.get_transform().transform(np.column_stack([marks.get_xdata(), marks.get_ydata()]))
    assert len(centres) == 3  # days 0, 365 and 729
    for x, y in centres:
        # before: centred on the top edge, half the triangle above the panel; on days 0 and 59 half past its sides
        assert panel.x0 - 1e-6 <= x - half_px and x + half_px <= panel.x1 + 1e-6
        assert panel.y0 <= y - half_px and y + half_px <= panel.y1 + 1e-6
        assert abs(y + half_px - panel.y1) < 0.01  # its tip touches the top edge: it still marks the cut there
    # the middle one stays on its day; those on the first and last days (a day is 0.8 px) move in by half a mark
    half_days = half_px * DAYS / panel.width
    assert marks.get_xdata().tolist() == pytest.approx([half_days, 365, DAYS - half_days])


# --- 2. the calibration figure: a key in each panel, light before heavy -----------------------------------------


def _record_table() -> pd.DataFrame:
    """Rows as the 2010 record lists them: heavy rare earths' prices first, then light, then Japan's imports."""
    rows = [
        ("2010-07-26", "price", "world", "heavy_ree", "", "day", 280.0, 190.0, True),
        ("2011-04-01", "price", "world", "heavy_ree", "", "quarter", 921.0, 1450.0, True),
        ("2011-08-01", "price", "world", "heavy_ree", "", "month", 2377.0, 1620.0, True),
        ("2010-07-26", "price", "world", "light_ree", "", "day", 33.0, 20.5, True),
        ("2011-04-01", "price", "world", "light_ree", "", "quarter", 80.0, 100.0, True),
        ("2011-08-01", "price", "world", "light_ree", "", "month", 190.0, 140.0, True),
        ("2010-07-01", "imports", "japan", "all", "china", "month", 1870.0, 2140.0, True),
        ("2010-08-01", "imports", "japan", "all", "china", "month", 1880.0, 2200.0, True),
        ("2010-09-01", "imports", "japan", "all", "china", "month", 2240.0, 1890.0, False),
    ]
    columns = ["date", "quantity", "region", "material", "supplier", "period", "value", "model", "in_sample"]
    return pd.DataFrame(rows, columns=columns)


def _replay():
    path = ROOT / "scenarios" / "embargo_2010_historical.yaml"
    return validate_data(load_raw(path), str(path))


def test_the_fit_figure_puts_light_rare_earths_before_heavy_as_the_scenario_does():
    fig = fit_figure(_record_table(), _replay())
    titles = [ax.get_title() for ax in fig.axes if ax.get_visible()]
    # before: heavy first, as the record lists its rows
    assert titles[:2] == ["World price, light rare earths (USD/kg)", "World price, heavy rare earths (USD/kg)"]
    assert titles[2].startswith("Japan's imports from China")  # a series without a material keeps its place


def test_each_panel_of_the_fit_figure_has_its_own_key_clear_of_its_points():
    for width_in, columns in ((None, 3), (7.1, 2)):  # calibrate's fit.png and the report's figure
        fig = fit_figure(_record_table(), _replay(), width_in=width_in, columns=columns)
        FigureCanvasAgg(fig).draw()
        panels = [ax for ax in fig.axes if ax.get_visible()]
        keys = [[t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else [] for ax in panels]
        # before: no panel had a key (the figure's one legend was under the last row)
        assert keys == [
            ["model", "record (fitted)"],
            ["model", "record (fitted)"],
            ["model", "record (fitted)", "record (held out)"],
        ]
        for ax in panels:
            key = ax.get_legend().get_window_extent()
            assert ax.get_window_extent().contains(key.x0, key.y0) and ax.get_window_extent().contains(key.x1, key.y1)
            for drawn in [*ax.get_lines(), *ax.collections]:  # the model's diamonds and the record's dots
                xy = drawn.get_xydata() if hasattr(drawn, "get_xydata") else drawn.get_offsets()  # dates as numbers
                points = drawn.get_transform().transform(xy)
                # a point 3 pt (its half size) clear of the key: none hidden under it (before, the heavy
                # rare earths' price key, put where "best" chose, sat on the record's 2011 peak)
                pad = 3 * fig.dpi / 72
                assert not any(
                    key.x0 - pad < x < key.x1 + pad and key.y0 - pad < y < key.y1 + pad for x, y in points
                ), ax.get_title()


# --- 3. the quota's legend says what its number is ------------------------------------------------------------


def test_a_quota_s_legend_says_its_tonnes_cap_what_the_regions_named_take_together():
    quota = {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 15125}
    result = run(build(TWO, shocks=[quota | {"period_days": 184, "start": 5, "end": 20}]))
    # before: "Export quota: China → Japan, EU, 15,125 t per 184 days, pro rata to orders", read beside the
    # scenario's "China's H2-2010 export quota of 7,976 t" (all its buyers) as a second number for one quota
    assert shock_label(result, 0) == (
        "Export quota: China → Japan, EU, cap of 15,125 t of rare earths per 184 days "
        "on what they take from China together, pro rata to orders"
    )


# --- 4. two rules of "coincide", named apart: one of drawing (compare.png), one of values (the report) -----------


def test_rules_a_line_s_width_apart_are_drawn_as_one_but_not_called_the_same():
    from simulator.plots.comparison import _drawn_as_one_note, _rules_drawn_as_one

    # long_embargo_6m: equal losses leaves Japan up to 1.45 t more or less than hybrid on a 2,556 t axis (0.06%)
    days = np.arange(10.0)
    hybrid = 255.6 * days
    curves = {"hybrid": [hybrid], "equal_losses": [hybrid + 1.45], "iea_ess": [hybrid + 0.006 * 2556]}
    assert _rules_drawn_as_one(curves, [2556.0]) == [["hybrid", "equal_losses"]]  # 15.3 t apart (0.6%) is drawn apart
    note = _drawn_as_one_note([["hybrid", "equal_losses"]])
    # before: "(the same curve in every panel)", of curves that are not the same
    assert note == "Drawn one over another (within a line's width of each other in every panel): hybrid, equal losses."


def test_the_report_calls_two_runs_the_same_only_to_rounding_not_a_line_s_width_apart():
    from simulator.numeric import same_to_rounding

    # 10 t apart on a 2,600 t axis (0.4%) is drawn as one in compare.png, yet not the same number for the report,
    # whose sentence "the same on every day" stands beside its table of the two runs' tonnes
    assert not same_to_rounding(np.array([2600.0]), np.array([2590.0])).any()
    assert same_to_rounding(np.array([2600.0, 0.0]), np.array([2600.0 * (1 + 1e-12), 1e-12])).all()


def test_the_docs_say_which_coincide_is_of_drawing_and_which_of_values():
    words = " ".join((ROOT / "docs" / "outputs.md").read_text().split())
    assert "That is a rule of drawing, not of values" in words  # compare.png's
    assert 'The report\'s "the two runs coincide" is a rule of values' in words
