"""A data journalist's fact-check of the replay's report (session 64): what its record section says and draws.

- The shipped fit uses every price of the record, so the section's price match tests nothing: the section says how far
  the fit with the prices from July 2011 held out (``make calibrate-holdout``) misses them, and which of the run's
  fitted values sit at a bound of the range the fit searched.
- The record's forecast of Japan's 2011 demand (23,000 t, its source begins FORECAST) was drawn as a record bar.
"""

from __future__ import annotations

import math
import re
from html import unescape

import numpy as np
import pytest

from simulator.calibrate import HELD_OUT_PRICES_2010, read_record, scenario_values
from simulator.report.record import (
    against_record,
    bound_clause,
    forecasts_left_out,
    held_out_prices_sentence,
    load_record,
    record_figure,
)
from simulator.report.words import NBSP
from simulator.scenario import apply_overrides, load_raw, validate_data
from tests.helpers import ROOT, SHIPPED_RECORD, shipped_group, shipped_replay_report, shipped_result

pytestmark = shipped_group("embargo_2010")


def text(html: str) -> str:
    """The words of an HTML piece, tags dropped, no-break spaces as spaces."""
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(NBSP, " ")


def section(html: str) -> str:
    start = html.index('<section id="record">')
    return html[start : html.index("</section>", start)]


def replay_table():
    result = shipped_result("embargo_2010")
    record = load_record(SHIPPED_RECORD, result.scenario)
    return result.scenario, record, against_record(result, record)


def test_the_held_out_fits_values_are_one_run_of_its_parameters():
    # the report cites the fit's output rather than running it (about 0.5 s): the values it carries must be what one
    # run of the historical replay with the fit's parameters gives, to the four figures it keeps
    fit = HELD_OUT_PRICES_2010
    raw = load_raw(ROOT / fit.scenario)
    changes = [(path, p.fitted) for p in fit.parameters for path in p.paths]
    scenario = validate_data(apply_overrides(raw, changes), str(fit.scenario))
    record = read_record(SHIPPED_RECORD, scenario)
    model = scenario_values(record, [scenario])[0]
    for quantity, region, material, date, value in fit.held_out:
        rows = np.flatnonzero(
            (record["quantity"] == quantity)
            & (record["region"] == region)
            & (record["material"] == material)
            & (record["date"].astype(str) == date)
        )
        assert len(rows) == 1
        assert float(f"{model[rows[0]]:.4g}") == value, (material, date, model[rows[0]])
    # each parameter's value lies in the range it was searched over
    assert all(p.low <= p.fitted <= p.high for p in fit.parameters)


def test_the_section_says_how_far_the_fit_with_late_prices_held_out_misses_them():
    said = text(section(shipped_replay_report()))
    paragraph = re.search(r"No price row of this record is held out.*?record put it\.", said)
    assert paragraph is not None, said
    words = paragraph.group(0)
    assert "(13 fitted)" in words and "make calibrate-holdout" in words
    assert "from 1 Jul 2011 on held out" in words
    # Dy: 986.3 against 2,377 over Aug 2011 (-58.5%), 1,024 against 2,300 over Oct 2011 (-55.5%); the Dec 2011 row,
    # 1,063 against 1,410 (-24.6%), is within a quarter and not named. RMS of ln(986.3/2377) = -0.880,
    # ln(1024/2300) = -0.809, ln(1063/1410) = -0.283, ln(1041/1100) = -0.055: sqrt(0.3779) = 0.61, exp: 1.85
    assert (
        "heavy rare earths’ 4 held-out prices by an RMS log error of 0.61 (a factor of about 1.85): "
        "Aug 2011 by 59% (986.3 USD/kg against 2,377 USD/kg) and Oct 2011 by 55% (1,024 USD/kg against 2,300 USD/kg)"
    ) in words
    # the light basket: 97.95 against 154 over Oct 2011 (-36%), 101.5 against 102 at the end of 2011 (0%, not named):
    # sqrt((ln(97.95/154)^2 + ln(101.5/102)^2) / 2) = sqrt((0.2049 + 0.0000)/2) = 0.32, a factor of 1.38
    assert (
        "light rare earths’ 2 held-out prices by an RMS log error of 0.32 (a factor of about 1.38): "
        "Oct 2011 by 36% (97.95 USD/kg against 154 USD/kg)"
    ) in words
    # the run's price adjustment (177 days) is within 2% of the range's width (175 days) of its 180-day top, and the
    # leak share (0.70) at its 0.7 top; the risk memory (924 of 30-1,500) and the substitution (0.027 of 0.01-0.6,
    # 2.9% of the width from its bottom) are not
    assert "market.light_ree.price.adjustment_days (and market.heavy_ree.price.adjustment_days), 177, at the top" in (
        words
    )
    assert "(5 to 180; fitted with the late prices held out: 17.3)" in words
    assert "shocks.china_japan_halt.leak_share, 0.7, at the top of the range the fit searches (0 to 0.7)" in words
    assert "memory_days" not in words and "max_share" not in words


def test_a_value_inside_its_range_is_not_said_to_sit_at_a_bound():
    fit = HELD_OUT_PRICES_2010
    path = ROOT / "scenarios" / "embargo_2010.yaml"
    shipped = validate_data(load_raw(path), str(path))
    assert "adjustment_days" in bound_clause(fit, shipped)
    # 176 days: 4 days under the top, 2.3% of the 175-day width: inside; 177: 1.7%, at the bound
    moved = [(f"market.{m}.price.adjustment_days", 176) for m in ("light_ree", "heavy_ree")]
    inside = validate_data(apply_overrides(load_raw(path), moved), str(path))
    said = text(bound_clause(fit, inside))
    assert "adjustment_days" not in said and "leak_share, 0.7, at the top" in said
    # a parameter set apart for each material is not one fitted value: nothing said of it
    apart = [("market.light_ree.price.adjustment_days", 177), ("market.heavy_ree.price.adjustment_days", 100)]
    assert "adjustment_days" not in bound_clause(fit, validate_data(apply_overrides(load_raw(path), apart), str(path)))


def test_the_held_out_test_is_said_only_of_its_own_record_with_every_price_fitted():
    scenario, record, table = replay_table()
    assert held_out_prices_sentence(table, scenario, record.source)
    # a record that holds a price out has its own test of prices in the table: the fit's is not cited
    held = table.copy()
    held.loc[held.index[held["quantity"] == "price"][0], "in_sample"] = False
    assert held_out_prices_sentence(held, scenario, record.source) == ""
    # another record (another name), or one without a row the fit held out, is not the fit's
    assert held_out_prices_sentence(table, scenario, "scenarios/records/other.csv") == ""
    late = (table["quantity"] == "price") & (table["date"].astype(str) == "2011-08-01")
    assert held_out_prices_sentence(table[~late], scenario, record.source) == ""


def _totals_bars(fig):
    """The totals panel's bars: (record widths, model widths), each in the panel's order."""
    ax = next(a for a in fig.axes if a.get_title().startswith("totals"))
    model, recorded = ax.containers[0], ax.containers[1]
    return [p.get_width() for p in recorded], [p.get_width() for p in model]


def test_the_figure_draws_no_forecast_as_a_record_bar_and_the_caption_says_it_is_left_out():
    scenario, record, table = replay_table()
    fig, note = record_figure(table, scenario, record.marked), forecasts_left_out(table, scenario)[1]
    recorded, model = _totals_bars(fig)
    # the record's totals (a year or a half-year): Japan's imports 2011 (15,400 t), China's exports 2011 (12,462 t),
    # Japan's imports Q1 2012 (1,894 t) and H1 2012 (3,007 t), Japan's H1-2012 use (7,235 t, derived from a count),
    # China's H1-2012 exports (3,288 t); not the 23,000 t forecast of Japan's 2011 use
    assert sorted(recorded) == [1894.0, 3007.0, 3288.0, 7235.0, 12462.0, 15400.0]
    assert 23000.0 not in recorded and len(model) == len(recorded)
    forecast = table[table["source"].str.startswith("FORECAST")]
    assert len(forecast) == 1
    model_2011 = float(forecast["model"].iloc[0])
    assert not any(math.isclose(width, model_2011) for width in model)
    # the caption names it, its value and the model's
    assert "Not drawn, because it is a forecast made at the time, not recorded" in text(note)
    assert f"Japan's demand, all materials, 2011 (23,000 t; the model {model_2011:,.0f} t)" in text(note)
    said = text(section(shipped_replay_report()))
    assert "Not drawn, because it is a forecast made at the time, not recorded" in said


def test_a_record_without_forecasts_is_drawn_whole():
    scenario, record, table = replay_table()
    given = table[~table["source"].str.startswith("FORECAST")]
    fig, note = record_figure(given, scenario, record.marked), forecasts_left_out(given, scenario)[1]
    assert note == "" and len(_totals_bars(fig)[0]) == 6


@pytest.mark.parametrize("rows", [1, 2])
def test_the_note_speaks_of_one_forecast_or_several(rows):
    scenario, _, table = replay_table()
    made = table.copy()
    totals = made.index[made["quantity"].isin(["imports", "exports"]) & (made["period"] == "year")][: rows - 1]
    made.loc[totals, "source"] = "FORECAST, a test's"
    note = text(forecasts_left_out(made, scenario)[1])
    assert ("it is a forecast" in note) == (rows == 1) and ("they are forecasts" in note) == (rows == 2)


HARSH = [
    ("shocks.china_japan_halt.on_halt", "lost"),
    ("shocks.china_japan_halt.end", "2011-12-31"),
    ("shocks.china_japan_halt.leak_share", 0),
]
"""The harsh variant of embargo_2010 the journalist drew: the halt to Japan to the end of 2011, its cargo lost."""


def _pool_label(ax):
    return next(t for t in ax.texts if t.get_text().replace("\n", " ").startswith("own pool share"))


def test_the_light_pool_share_label_is_joined_to_the_60_day_line_it_names_not_set_across_the_30_day_line():
    from simulator.engine import simulate
    from simulator.plots.cover import days_of_cover_figure
    from simulator.plots.pool_shares import LEADER_LABEL

    path = ROOT / "scenarios" / "embargo_2010.yaml"
    result = simulate(validate_data(load_raw(path, HARSH), str(path)))
    fig = days_of_cover_figure(result)
    fig.canvas.draw()
    light, heavy = fig.axes[0], fig.axes[1]
    assert light.get_title() == "Light rare earths" and heavy.get_title() == "Heavy rare earths"
    # the members' light shares are seen only on the 60-day line (to February 2011), then under the EU's curve: the
    # label was set below that hidden part, the 30-day line through its middle; now a leader joins it to the 60 days
    leaders = [t for t in light.texts if t.get_label() == LEADER_LABEL]
    assert len(leaders) == 1
    assert leaders[0].xy[1] == pytest.approx(60.0)
    box = _pool_label(light).get_window_extent()
    at_30 = light.transData.transform((0.0, 30.0))[1]
    quarter = box.height / 4
    assert not box.y0 + quarter < at_30 < box.y1 - quarter, (box, at_30)
    # the heavy panel's label, by its line where it leaves the 60-day line, is left as it was: no leader
    assert not [t for t in heavy.texts if t.get_label() == LEADER_LABEL]
    assert _pool_label(heavy).get_text() == "own pool shares, not drawable"
