"""The runs nearest the record's prices that run short without the joint stock, against a record silent on it.

A record (stockpile calibrate's format) gives prices, trade flows, demand and commercial stocks, never a
shortfall: one without stock rows of the members short in those runs cannot show their shortage, nor its absence.
How robust says that shortfall is unconfirmed by the record (once: the first box's statement of those runs points
to How robust, whose sentence keeps who gets what near the first screen), never that the record shows none
(session 60, point 1; review point 1).
"""

from __future__ import annotations

import pandas as pd

from simulator.report.record import Record
from simulator.report.uncertainty import NearRecord, outcome_sentence, record_has_no_stock_series
from simulator.report.verdict import not_near_record
from tests.test_report_answers import plain

COUNTS = {"not_needed": 49, "only_with": 0, "closes": 14, "cuts": 37, "no_help": 0}
"""The replay's 100 samples (README's make run): 'not needed' in 49, none of them among the 3 nearest the record."""


def _near(no_stock_series: bool) -> NearRecord:
    """The replay's 3 runs nearest both recorded peaks: the stock closes 2 and cuts 1, the EU short without it."""
    counts = {"not_needed": 0, "only_with": 0, "closes": 2, "cuts": 1, "no_help": 0}
    short = "the stock closes or nearly closes the EU's shortfall without it (4,540 t)"
    return NearRecord(3, counts, "both recorded peaks", short, ("the EU",), 3, (), 0, no_stock_series)


def _record(*rows: tuple[str, str]) -> Record:
    """A record of (quantity, region) rows, one value each: what :func:`record_has_no_stock_series` reads."""
    frame = pd.DataFrame([{"quantity": q, "region": r, "material": "ree", "value": 1.0} for q, r in rows])
    return Record(frame, "record.csv")


def test_a_record_has_no_stock_series_of_a_region_only_without_its_stock_rows():
    # the shipped record's quantities: prices of the world, imports and demand of Japan, China's exports
    shipped = _record(("price", "world"), ("imports", "japan"), ("demand", "japan"), ("exports", "all"))
    assert record_has_no_stock_series(shipped, ["eu"]) and record_has_no_stock_series(shipped, ["japan"])
    # the EU's commercial stocks could show it running out: the report then says nothing of what it cannot show
    with_stocks = _record(("price", "world"), ("stocks", "eu"))
    assert not record_has_no_stock_series(with_stocks, ["eu"]) and record_has_no_stock_series(with_stocks, ["japan"])
    assert not record_has_no_stock_series(shipped, [])  # no one short: nothing to confirm


def test_the_first_box_points_to_how_robust_and_says_nothing_the_record_cannot():
    for silent in (True, False):
        assert not_near_record(_near(silent)) == (
            "in the 3 runs closest to the recorded prices the EU does run short without it (too few: see How robust)"
        )


def test_how_robust_says_the_record_can_neither_confirm_nor_rule_out_the_shortfall_of_the_runs_nearest_it():
    sentence = plain(outcome_sentence(COUNTS, 100, 63, "not_needed", _near(True)))
    held = COUNTS["not_needed"]
    assert sentence == (
        f"How robust: the answer \u2018not needed\u2019 holds in {held} of the 100 runs with its 63 uncertain inputs "
        "varied. It fails in all 3 runs whose peak prices come within a factor 1.5 of both recorded peaks: there the "
        "stock closes or nearly closes the EU's shortfall without it (4,540 t), unconfirmed by the record. Of the "
        f"{100 - held} where it fails, the stock closes every shortfall in {COUNTS['closes']} and cuts the members"
        f"\u2019 total in {COUNTS['cuts']}."
    )  # said exactly: never that the record shows no shortage (it has no stock series to show one)
    assert "unconfirmed" not in outcome_sentence(COUNTS, 100, 63, "not_needed", _near(False))
