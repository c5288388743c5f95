"""The runs nearest the record's prices that run short without the joint stock, against a record without shortage.

A record (stockpile calibrate's format) gives prices, trade flows, demand and commercial stocks, never a
shortfall: one without stock rows of the members short in those runs documents no shortage of them, so those
runs match its prices with a shortfall it does not show, and the report says so where it cites them
(session 60, point 1).
"""

from __future__ import annotations

import pandas as pd

from simulator.report.record import Record
from simulator.report.uncertainty import NearRecord, documents_no_shortage, outcome_sentence
from simulator.report.verdict import not_near_record
from tests.test_report_answers import plain

COUNTS = {"not_needed": 49, "only_with": 0, "closes": 14, "cuts": 37, "no_help": 0}
"""The replay's 100 samples (README's make run): 'not needed' in 49, none of them among the 3 nearest the record."""


def _near(unrecorded: bool) -> NearRecord:
    """The replay's 3 runs nearest both recorded peaks: the stock closes 2 and cuts 1, the EU short without it."""
    counts = {"not_needed": 0, "only_with": 0, "closes": 2, "cuts": 1, "no_help": 0}
    short = "the stock closes or nearly closes the EU's shortfall without it (4,540 t)"
    return NearRecord(3, counts, "both recorded peaks", short, ("the EU",), 3, (), 0, unrecorded)


def _record(*rows: tuple[str, str]) -> Record:
    """A record of (quantity, region) rows, one value each: what :func:`documents_no_shortage` reads."""
    frame = pd.DataFrame([{"quantity": q, "region": r, "material": "ree", "value": 1.0} for q, r in rows])
    return Record(frame, "record.csv")


def test_a_record_documents_no_shortage_of_a_region_only_without_its_stock_rows():
    # the shipped record's quantities: prices of the world, imports and demand of Japan, China's exports
    shipped = _record(("price", "world"), ("imports", "japan"), ("demand", "japan"), ("exports", "all"))
    assert documents_no_shortage(shipped, ["eu"]) and documents_no_shortage(shipped, ["japan"])
    # the EU's commercial stocks could show it running out: the report then does not say the record shows none
    with_stocks = _record(("price", "world"), ("stocks", "eu"))
    assert not documents_no_shortage(with_stocks, ["eu"]) and documents_no_shortage(with_stocks, ["japan"])
    assert not documents_no_shortage(shipped, [])  # no one short: nothing to document


def test_the_first_box_says_the_runs_nearest_the_record_match_its_prices_with_a_shortfall_it_does_not_show():
    assert not_near_record(_near(True)) == (
        "in the 3 runs closest to the recorded prices the EU does run short without it, although the record "
        "documents no shortage: these runs match its prices with a shortfall it does not show (see How robust)"
    )
    # a record that could show it (stock rows of the EU): the clause as before
    assert not_near_record(_near(False)) == (
        "in the 3 runs closest to the recorded prices the EU does run short without it (see How robust)"
    )


def test_how_robust_says_the_record_documents_no_shortage_beside_the_shortfall_of_the_runs_nearest_it():
    sentence = plain(outcome_sentence(COUNTS, 100, 63, "not_needed", _near(True)))
    assert (
        "It fails in all 3 runs whose peak prices come within a factor 1.5 of both recorded peaks: there the stock "
        "closes or nearly closes the EU's shortfall without it (4,540 t), though the record documents no shortage. "
        "Of the 51 where it fails" in sentence
    )
    assert "documents no shortage" not in outcome_sentence(COUNTS, 100, 63, "not_needed", _near(False))
