"""stockpile calibrate keeps a record's made rows (a forecast, derived) apart from its given ones (session 65).

A row whose ``source`` begins ``FORECAST`` is what was expected at the time, not what happened; one beginning
``DERIVED`` is made from other figures. calibrate read the record without its ``source``, so its held-out error
counted the shipped record's forecast of Japan's 2011 use (23,000 t) as a count and ``fit.png`` drew it as a record
bar. Now ``calibration.json`` counts each series' made rows, its held-out summary gives the RMS log error over all
the held-out rows and over the given ones alone, the console says both, and the figure leaves forecasts out with a
note naming them, as the report's figure does.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

import simulator.calibrate as calibrate_module
from simulator.calibrate import fit_figure
from simulator.cli import main
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, ROOT, SHIPPED_RECORD, build, shipped_group, shipped_result

# one region (Japan), one material, China's 10 t/day arriving every day, demand 10 t/day, no shock: the price stays
# at its reference (50 USD/kg) whatever its sensitivity, so every fitted value gives the same model values
CALM = build(
    ONE_REGION,
    start_date="2020-01-01",
    horizon_days=121,  # 1 Jan to 30 Apr 2020
    market={"ree": {"price": {"sensitivity": 3.0, "adjustment_days": 10.0}}},
)
HEADER = "date,quantity,region,material,supplier,period,value,weight,sample,source\n"
# the model: January's mean price 50 USD/kg, February's demand 29 x 10 = 290 t, March's imports 31 x 10 = 310 t.
# Held out: the February forecast of 145 t, so ln(290 / 145) = ln 2, and the March count of 310 / 1.5 t, ln 1.5
ROWS = (
    '2020-01-01,price,world,ree,,month,50,1,in,"a price list"\n'
    '2020-02-01,demand,japan,all,,month,145,1,out,"FORECAST, not a count: what was expected in January"\n'
    f'2020-03-01,imports,japan,ree,china,month,{310 / 1.5!r},1,out,"customs count"\n'
)
LN2, LN15 = math.log(2.0), math.log(1.5)


def _calibrated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, rows: str = ROWS) -> tuple[dict, str, list]:
    """calibration.json, the console's output and the figures drawn, of ``stockpile calibrate`` on ``rows``."""
    scenario, record = tmp_path / "calm.yaml", tmp_path / "record.csv"
    scenario.write_text(yaml.safe_dump(CALM))
    record.write_text(HEADER + rows)
    drawn = []

    def kept(*args, **kwargs):
        drawn.append(fit_figure(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(calibrate_module, "fit_figure", kept)
    out = tmp_path / "fit"
    args = ["calibrate", str(scenario), "--record", str(record), "--fit", "market.ree.price.sensitivity=0.5:8"]
    done = CliRunner().invoke(main, [*args, "--population", "4", "--iterations", "1", "-o", str(out)])
    assert done.exit_code == 0, done.output
    return json.loads((out / "calibration.json").read_text()), done.output, drawn


def _notes(fig) -> list[str]:
    """The texts of ``fig`` beside its title (its note at the foot), each on one line."""
    return [" ".join(t.get_text().split()) for t in fig.texts if t is not fig._suptitle]


def test_calibration_json_counts_made_rows_and_gives_the_held_out_error_over_all_and_over_given_rows(
    tmp_path, monkeypatch
):
    report, _, _ = _calibrated(tmp_path, monkeypatch)
    fit = pd.read_csv(tmp_path / "fit" / "fit.csv")
    assert fit["model"].tolist() == pytest.approx([50.0, 290.0, 310.0], rel=1e-12)  # the model as worked out above
    assert "source" not in fit.columns  # fit.csv keeps its columns (docs/outputs.md); the record keeps the sources
    # before: the held-out error was the forecast's and the count's together, under no key of its own, and no
    # series said that its row was a forecast
    by_series = {(e["quantity"], e["sample"]): e for e in report["errors"]}
    assert {k: (e["rows"], e["derived_rows"], e["forecast_rows"]) for k, e in by_series.items()} == {
        ("price", "in"): (1, 0, 0),
        ("demand", "out"): (1, 0, 1),
        ("imports", "out"): (1, 0, 0),
    }
    assert by_series["demand", "out"]["rms_log_error"] == pytest.approx(LN2, rel=1e-9)  # the existing keys stay
    summary = report["held_out_summary"]
    assert summary == {
        "rows": 2,
        "derived_rows": 0,
        "forecast_rows": 1,
        "given_rows": 1,
        "rms_log_error_all_rows": pytest.approx(math.sqrt((LN2**2 + LN15**2) / 2), rel=1e-9),  # 0.5678
        "rms_log_error_given_rows": pytest.approx(LN15, rel=1e-9),  # the count alone: 0.4055
        "sources_read": True,
    }
    assert report["held_out_in_record"] == 2 and report["hold_out"] == []


def test_the_console_says_both_held_out_errors_in_one_line_and_counts_a_series_forecast(tmp_path, monkeypatch):
    _, said, _ = _calibrated(tmp_path, monkeypatch)
    all_rows = math.sqrt((LN2**2 + LN15**2) / 2)
    assert f"{all_rows:.3f}" == "0.568" and f"{LN15:.3f}" == "0.405"
    line = (
        "RMS log error out of sample, pooled: 0.568 over all 2 rows; 0.405 over the 1 given by its source "
        "(not 1 forecast)"
    )
    assert f"\n{line}\n" in said
    assert "Japan's demand, all materials: 0.693 (mean +100%, 1 row, 1 forecast)" in said
    assert "; Japan's imports from China, rare earths: 0.405 (mean +50%, 1 row)\n" in said  # a given row: no count


def test_the_console_says_nothing_more_when_every_held_out_row_is_given(tmp_path, monkeypatch):
    report, said, _ = _calibrated(tmp_path, monkeypatch, ROWS.replace('"FORECAST, not a count:', '"Count:'))
    summary = report["held_out_summary"]
    assert summary["given_rows"] == 2 and summary["forecast_rows"] == 0
    assert summary["rms_log_error_given_rows"] == summary["rms_log_error_all_rows"]
    assert "pooled" not in said and "forecast" not in said


def test_fit_png_leaves_the_forecast_out_and_names_it_in_a_note(tmp_path, monkeypatch):
    _, _, drawn = _calibrated(tmp_path, monkeypatch)
    (fig,) = drawn
    assert (tmp_path / "fit" / "fit.png").stat().st_size > 0
    # the two flows are one row each: the totals panel's bars, record and model; the forecast's 145 t is not one
    (totals,) = [ax for ax in fig.axes if ax.get_visible() and ax.get_title().startswith("totals")]
    widths = sorted(round(bar.get_width(), 6) for bar in totals.patches)
    assert widths == [round(310 / 1.5, 6), 310.0]  # before: [145, 206.67, 290, 310], the forecast a record bar
    labels = [t.get_text() for t in totals.texts]
    assert labels == ["Japan's imports from China, rare earths, Mar 2020"]
    assert _notes(fig) == [
        "Not drawn, a forecast made at the time, not a count (the source begins FORECAST): "
        "Japan's demand, Feb 2020: 145 t (the model 290 t)."
    ]
    fig.canvas.draw()  # the note lies in the figure, under the legend
    (note,) = [t for t in fig.texts if "FORECAST" in t.get_text()]
    box, legend = note.get_window_extent(), fig.legends[0].get_window_extent()
    assert box.y0 >= 0 and box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y1 <= legend.y0


def test_a_figure_of_forecasts_alone_draws_them_and_says_so_and_one_without_any_has_no_note():
    scenario = validate_data(CALM, "calm.yaml")
    rows = {
        "date": ["2020-02-01", "2020-03-01"],
        "quantity": ["demand", "imports"],
        "region": ["japan", "japan"],
        "material": ["all", "ree"],
        "supplier": ["", "china"],
        "period": ["month", "month"],
        "value": [145.0, 310 / 1.5],
        "model": [290.0, 310.0],
        "in_sample": [False, False],
        "source": ["FORECAST: expected", "Forecast of March"],  # as the report's made(): case aside
    }
    fig = fit_figure(pd.DataFrame(rows), scenario)
    (totals,) = [ax for ax in fig.axes if ax.get_visible() and ax.get_title().startswith("totals")]
    assert len(totals.patches) == 4  # both rows drawn: nothing else would be
    assert _notes(fig) == [
        "Every row of the record is a forecast made at the time, not a count (its source begins FORECAST)."
    ]
    given = fit_figure(pd.DataFrame(rows).assign(source=["count", "count"]), scenario)
    assert _notes(given) == [] and given.get_size_inches()[1] < fig.get_size_inches()[1]  # no room kept for a note


def test_the_report_and_calibrate_tell_made_rows_by_one_rule():
    import simulator.report.record as record_module

    # one home, below the report (docs/architecture.md: the report imports from calibrate, never the reverse)
    assert record_module.made_rows is calibrate_module.made_rows and record_module.MADE is calibrate_module.MADE
    sources = pd.Series(["FORECAST, not a count", " derived: x 0.67", "Japan MOF (DERIVED nowhere first)", None])
    assert calibrate_module.made(sources).tolist() == ["FORECAST", "DERIVED", "", ""]


def test_a_record_without_a_source_column_counts_every_row_as_given_and_says_it_read_none():
    table = pd.DataFrame({"in_sample": [True, False, False], "log_error": [0.3, LN2, LN15]})
    summary = calibrate_module.held_out_summary(table)
    assert summary is not None and summary["sources_read"] is False
    assert (summary["given_rows"], summary["forecast_rows"], summary["derived_rows"]) == (2, 0, 0)
    assert summary["rms_log_error_given_rows"] == summary["rms_log_error_all_rows"]
    assert calibrate_module.held_out_summary(table.assign(in_sample=True)) is None  # nothing held out: no summary


NAME = "embargo_2010_historical"
PAGE = ROOT / "docs" / "model-vs-record.md"


@shipped_group(NAME)
def test_the_shipped_runs_held_out_errors_over_all_and_given_rows_are_the_pages():
    from simulator.report.record import against_record, load_record

    result = shipped_result(NAME)
    table = against_record(result, load_record(SHIPPED_RECORD, result.scenario))
    summary = calibrate_module.held_out_summary(table)
    assert summary is not None
    # the shipped record holds out 16 rows: 8 of Japan's imports from China (counts), China's 6 exports rows
    # (derived, x 0.67), Japan's H1-2012 use (derived, half a count) and its 2011 use (a forecast)
    assert (summary["rows"], summary["given_rows"], summary["derived_rows"], summary["forecast_rows"]) == (16, 8, 7, 1)
    held = table[~table["in_sample"].to_numpy(bool)]
    given = held[[not str(s).upper().startswith(("DERIVED", "FORECAST")) for s in held["source"]]]
    assert summary["rms_log_error_all_rows"] == pytest.approx(np.sqrt(np.mean(held["log_error"] ** 2)), rel=1e-12)
    assert summary["rms_log_error_given_rows"] == pytest.approx(np.sqrt(np.mean(given["log_error"] ** 2)), rel=1e-12)
    said = " ".join(PAGE.read_text(encoding="utf-8").split())
    assert (
        f"pooled over all 16 held-out rows the RMS log error is {summary['rms_log_error_all_rows']:.2f}, over the 8 "
        f"its sources give (Japan's imports from China) {summary['rms_log_error_given_rows']:.2f}"
    ) in said
    # the forecast is missed by 2%: it lowers the pooled figure, which is higher without it
    counted = held[[not str(s).upper().startswith("FORECAST") for s in held["source"]]]
    without = float(np.sqrt(np.mean(counted["log_error"] ** 2)))
    assert without > summary["rms_log_error_all_rows"]
    assert f"(without the forecast, {without:.2f} over {len(counted)} rows)" in said


def test_the_totals_panels_tonnes_are_ticked_so_that_their_labels_stay_apart():
    # the 2010 record's totals without its forecast's 23,000 t bar: the largest is the model's 20,223 t of China's
    # 2011 exports; Matplotlib's own choice ticked them by 2,500 t, nine labels such as "17,500" in 4 inches, run
    # together ("2,5005,000")
    rows = [
        ("2011-01-01", "imports", "japan", "china", "year", 15400.0, 15539.0),
        ("2011-01-01", "exports", "all", "china", "year", 12462.0, 20223.0),
        ("2012-01-01", "imports", "japan", "china", "half", 3007.0, 7715.0),
    ]
    table = pd.DataFrame(
        [
            {"date": d, "quantity": q, "region": r, "material": "all", "supplier": s, "period": p, "value": v}
            | {"model": m, "in_sample": False}
            for d, q, r, s, p, v, m in rows
        ]
    )
    fig = fit_figure(table)
    fig.canvas.draw()
    (totals,) = [ax for ax in fig.axes if ax.get_visible() and ax.get_title().startswith("totals")]
    low, high = totals.get_xlim()
    ticks = [t for t in totals.get_xticks() if low <= t <= high]
    assert ticks == [0, 5000, 10000, 15000, 20000]
