"""The price section says its prices are fitted to the record's price rows, and labels a daily peak as one.

The verdict sets the model's mean over a record row's period beside the row (138.9 USD/kg for
Q2 2011 in the 2010 replay) a sentence after the model's daily peak (145 USD/kg): without
saying which is which, the two read as a contradiction.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from simulator.engine import simulate
from simulator.report.findings import Run
from simulator.report.prices import RecordRise, _model_over, fitted_note, price_section
from simulator.scenario import validate_data
from tests.helpers import ONE_REGION, build
from tests.test_report_answers import HALT, MARKET


def rows(sample: list[bool], model: list[float] | None = None, region: str = "world") -> pd.DataFrame:
    n = len(sample)
    return pd.DataFrame(
        {
            "quantity": ["price"] * n,
            "region": [region] * n,
            "model": model if model is not None else [100.0] * n,
            "in_sample": sample,
        }
    )


def test_the_note_counts_the_world_price_rows_the_fit_used_and_those_held_out():
    # the 2010 record's 13 world-price rows are all "in": none is tested out of sample
    note = fitted_note(rows([True] * 13))
    assert note == (
        "<p>The model's prices are fitted to the record's 13 world-price rows over this run, so none is tested out "
        'of sample: their match with the record (<a href="#record">Against the record</a>) tests nothing.</p>'
    )
    # 3 of 5 fitted, 2 held out; a row the run does not cover (no model value) is not counted
    mixed = rows([True, True, True, False, False, False], model=[1.0, 2.0, 3.0, 4.0, 5.0, np.nan])
    assert fitted_note(mixed) == (
        "<p>Of the record's 5 world-price rows over this run, the model's prices are fitted to 3 and tested out of "
        'sample on 2 (<a href="#record">Against the record</a>).</p>'
    )
    # a region's price is not the world price; a record that does not mark its rows says nothing of a fit
    assert fitted_note(rows([True], region="japan")) == ""
    assert fitted_note(rows([True]).drop(columns="in_sample")) == ""
    assert fitted_note(None) == ""


def test_the_section_puts_the_note_after_the_prices_and_calls_the_peak_daily():
    result = simulate(validate_data(build(ONE_REGION, start_date="2010-07-01", shocks=HALT, market=MARKET), "s.yaml"))
    html = price_section(Run.of(result), "<figure></figure>", rows([True, True]))
    assert "to a daily peak of 5,000 USD/kg on 10 Jul 2010" in html
    assert html.index("daily peak") < html.index("fitted to the record's 2 world-price rows") < html.index("<figure>")
    assert "fitted to the record" not in price_section(Run.of(result), "<figure></figure>")


def test_the_model_beside_a_record_row_says_whether_it_is_that_days_price_or_a_mean():
    day = RecordRise("ree", 400.0, "on 6 Jul 2010", 450.0, 50.0)
    quarter = RecordRise("light_ree", 189.0, "its mean over Q2 2011", 138.9, 13.13)
    assert (_model_over(day), _model_over(quarter)) == ("that day", "its mean over the same period")
