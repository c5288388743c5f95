"""calibrate's fit.png: what its series are called, where its labels sit, and how the model is drawn.

The figure is drawn with Agg and measured: every text inside the figure, the totals panel's
labels inside their axes (clear of the axis line) and off every bar, an exports series
named by the regions of the scenario it goes to, and the model drawn as markers at the
record's dates, not as a line between them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from simulator.calibrate import fit_figure, read_record
from simulator.scenario import load_raw, validate_data
from tests.helpers import ONE_REGION, ROOT, build

SCENARIO = ROOT / "scenarios" / "embargo_2010_historical.yaml"
RECORD = ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"
MODEL_COLOUR = "#1f5fa6"


def shipped_table() -> tuple[pd.DataFrame, Any]:
    """The shipped record as a fit's table: the model 1.5 times every flow and 0.8 times every price,
    fitted as the documented command fits it (prices and 2010's imports; the rest held out)."""
    scenario = validate_data(load_raw(SCENARIO), str(SCENARIO))
    table = read_record(RECORD, scenario)
    price = table["quantity"] == "price"
    table["model"] = table["value"] * np.where(price, 0.8, 1.5)
    table["in_sample"] = price | ((table["quantity"] == "imports") & (table["date"] < dt.date(2011, 1, 1)))
    table["date"] = table["date"].astype(str)  # as fit.csv holds it
    return table, scenario


def drawn(table: pd.DataFrame, scenario: Any = None) -> tuple[Any, Any]:
    fig = fit_figure(table, scenario)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return fig, canvas.get_renderer()


def titled(fig: Any, words: str) -> Any:
    (ax,) = [ax for ax in fig.axes if ax.get_visible() and words in ax.get_title()]
    return ax


def texts(fig: Any) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def crowded_totals() -> pd.DataFrame:
    """Sixteen series of one row each (so all in one totals panel, too narrow for 8-point labels):
    imports, demand, stocks and exports over four periods; bars of 1,000 to 16,000 t."""
    kinds = [(q, p) for q in ("imports", "demand", "stocks", "exports") for p in ("year", "half", "quarter", "month")]
    rows = [
        {
            "date": "2020-01-01",
            "quantity": quantity,
            "region": "all" if quantity == "exports" else "japan",
            "material": "ree",
            "supplier": "china" if quantity in ("imports", "exports") else "",
            "period": period,
            "value": 1000.0 * (i + 1),
            "weight": 1.0,
            "model": 1000.0 * (16 - i),
            "in_sample": i % 2 == 0,
        }
        for i, (quantity, period) in enumerate(kinds)
    ]
    return pd.DataFrame(rows)


@pytest.mark.parametrize("case", ["shipped", "crowded"])
def test_every_text_lies_in_the_figure_and_the_totals_labels_in_their_axes_off_the_bars(case: str):
    table, scenario = shipped_table() if case == "shipped" else (crowded_totals(), validate_data(ONE_REGION, "t.yaml"))
    fig, renderer = drawn(table, scenario)
    drawn_box = fig.get_tightbbox(renderer)  # every artist drawn (tick labels, titles, legend), in inches
    width, height = fig.get_size_inches()
    assert drawn_box.x0 >= 0 and drawn_box.y0 >= 0 and drawn_box.x1 <= width and drawn_box.y1 <= height
    panels = [ax for ax in fig.axes if ax.get_visible()]
    heading = fig._suptitle.get_window_extent(renderer)
    assert not [ax.get_title() for ax in panels if ax.title.get_window_extent(renderer).overlaps(heading)]
    for legend in fig.legends:  # below the panels' axes and their tick labels
        entries = legend.get_window_extent(renderer)
        assert not [ax.get_title() for ax in panels if ax.get_tightbbox(renderer).overlaps(entries)]
    ax = titled(fig, "totals")
    labels = [t for t in ax.texts if t.get_text().strip()]
    bars = [p.get_window_extent(renderer) for p in ax.patches]
    totals = 7 if case == "shipped" else 16  # 2011: imports, demand, exports; 2012: Q1, H1 imports, H1 demand, exports
    assert len(labels) == totals and len(bars) == 2 * totals  # a label and a record and a model bar per row
    spine = ax.spines["left"].get_linewidth() * fig.dpi / 72  # the axis line's width in pixels
    frame = ax.bbox
    for label in labels:
        box = label.get_window_extent(renderer)
        assert box.x0 > frame.x0 + spine, f"{label.get_text()!r} starts on the axis line"
        assert box.x1 < frame.x1 and frame.y0 < box.y0 and box.y1 < frame.y1, f"{label.get_text()!r} leaves its axes"
        touching = [bar for bar in bars if bar.overlaps(box)]
        assert not touching, f"{label.get_text()!r} lies on a bar"


def test_the_exports_series_is_named_by_the_regions_of_the_scenario():
    # the record's exports are China's total x 0.67, the share to Japan and the EU; the model's
    # value is China's shipments to the scenario's regions: Japan and the EU
    table, scenario = shipped_table()
    assert list(scenario.regions) == ["japan", "eu"]
    fig, _ = drawn(table, scenario)
    words = [t.get_text() for t in texts(fig)]
    assert titled(fig, "exports").get_title() == "China's exports to Japan and the EU, all materials (t, monthly)"
    totals = titled(fig, "totals")
    assert [t.get_text() for t in totals.texts if "exports" in t.get_text()] == [
        "China's exports to Japan and the EU, 2011",
        "China's exports to Japan and the EU, H1 2012",
    ]
    assert not [w for w in words if "all exports" in w or "exports: all" in w]


@pytest.mark.parametrize(
    ("data", "whom"),
    [
        (ONE_REGION, "Japan"),
        (build(ONE_REGION, regions__japan__label="Nippon"), "Nippon"),
    ],
)
def test_exports_are_named_by_whichever_regions_the_scenario_has(data: dict, whom: str):
    scenario = validate_data(data, "t.yaml")
    rows = [
        {
            "date": f"2020-0{m}-01",
            "quantity": "exports",
            "region": "all",
            "material": "ree",
            "supplier": "china",
            "period": "month",
            "value": 100.0,
            "weight": 1.0,
            "model": 120.0,
            "in_sample": True,
        }
        for m in (1, 2, 3)
    ]
    fig, _ = drawn(pd.DataFrame(rows), scenario)
    assert fig.axes[0].get_title() == f"China's exports to {whom}, rare earths (t, monthly)"


def test_the_model_is_drawn_as_markers_at_the_record_dates_and_the_legend_says_so():
    table, scenario = shipped_table()
    fig, _ = drawn(table, scenario)
    series = [ax for ax in fig.axes if ax.get_visible() and "totals" not in ax.get_title()]
    assert len(series) == 4  # two prices, monthly imports and monthly exports
    for ax in series:
        (model,) = [line for line in ax.lines if line.get_color() == MODEL_COLOUR]
        assert model.get_linestyle() == "None", ax.get_title()  # no segment between two dates
        assert model.get_marker() not in (None, "", "None", " ")
        assert len(model.get_xdata()) == len(ax.collections[0].get_offsets()) + len(ax.collections[1].get_offsets())
    (legend,) = fig.legends
    (entry,) = [t.get_text() for t in legend.get_texts() if t.get_text().startswith("model")]
    assert "record's dates" in entry
    (handle,) = [h for h in legend.legend_handles if h.get_label() == entry]
    assert handle.get_linestyle() == "None"


def test_at_the_reports_width_every_panel_title_fits_the_figure_with_held_out_rows_marked():
    # the report draws the shipped record 7.1 inches wide in 2 columns and, with the record's marks, the totals
    # panel's title says "hollow: held out": one line of it ran past the figure's right edge and was cut off
    from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN

    table, scenario = shipped_table()
    fig = fit_figure(table, scenario, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS, fitted_rows=True)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    width = fig.get_size_inches()[0] * fig.dpi
    for ax in (ax for ax in fig.axes if ax.get_visible()):
        box = ax.title.get_window_extent(renderer)
        assert box.x0 >= 0 and box.x1 <= width, ax.get_title()
    assert "hollow: held out" in titled(fig, "totals").get_title().replace("\n", " ")


def test_a_panel_title_wraps_at_spaces_not_inside_half_yearly():
    # three half-year imports rows make a panel of their own, titled "Japan's imports from China, rare earths
    # (t, half-yearly)" (56 characters); a panel 3.9 inches wide holds int(3.9 * 72 / 5.5) = 51 of them a line,
    # which "half-" would just fit: the title breaks before "half-yearly", as every other figure's title does
    rows = [
        {"date": date, "quantity": "imports", "region": "japan", "material": "ree", "supplier": "china"}
        | {"period": "half", "value": 100.0, "weight": 1.0, "model": 120.0, "in_sample": True}
        for date in ("2020-01-01", "2020-07-01", "2021-01-01")
    ]
    fig = fit_figure(pd.DataFrame(rows), validate_data(build(ONE_REGION), "s.yaml"), width_in=3.9, columns=1)
    assert titled(fig, "imports").get_title() == "Japan's imports from China, rare earths (t,\nhalf-yearly)"
