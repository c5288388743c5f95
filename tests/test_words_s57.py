"""The first screen's words a policy-analyst walkthrough misread (session 57).

1. the headline's caveat from the samples nearest the record is a statement of its own, not a clause
   ("though not in ...") that grammatically negates "neither member runs short";
2. a range of shortfalls never spans tonnes of different materials;
3. a scenario without an agreement where no region runs short gets the close-call sentence too;
4. the intervals of the total and of each region's shortfall say they are worked out one by one.
"""

from __future__ import annotations

import re
from html import unescape
from types import SimpleNamespace

import numpy as np
import pandas as pd

from simulator.names import Names
from simulator.report.findings import Run
from simulator.report.uncertainty import (
    NearPeaks,
    NearRecord,
    _near_record_counts,
    _near_short,
    _separate_intervals_note,
)
from simulator.report.verdict import headline, not_near_record
from simulator.sensitivity.intervals import separate_intervals_note
from tests.helpers import invoke, shipped_group, shipped_result

NBSP = "\u00a0"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(NBSP, " ")


NEAR_COUNTS = {"not_needed": 0, "only_with": 0, "closes": 2, "cuts": 1, "no_help": 0}


def test_the_near_record_caveat_says_who_runs_short_there_in_a_statement_of_its_own():
    near = NearRecord(3, NEAR_COUNTS, "both recorded peaks", "", ("the EU",), 3)
    said = not_near_record(near)
    assert said == (
        "in the 3 runs closest to the recorded prices the EU does run short without it (too few: see How robust)"
    )
    assert "though not" not in said


def test_the_near_record_caveat_counts_the_samples_when_not_all_of_them_are_short():
    near = NearRecord(3, NEAR_COUNTS, "both recorded peaks", "", ("Japan", "the EU"), 2)
    assert not_near_record(near) == (
        "in 2 of the 3 runs closest to the recorded prices Japan and the EU do run short "
        "without it (too few: see How robust)"
    )


ONLY_WITH_COUNTS = {"not_needed": 0, "only_with": 4, "closes": 0, "cuts": 0, "no_help": 0}


def test_the_near_record_caveat_without_anyone_short_without_the_stock_says_who_runs_short_with_it():
    # "it holds in none of ..." left "it" to read as the joint stock and never said what happens there
    near = NearRecord(4, ONLY_WITH_COUNTS, "both recorded peaks", short_with=("the EU",), runs_short_with=4)
    assert not_near_record(near) == (
        "in the 4 runs closest to the recorded prices the EU does run short with it (too few: see How robust)"
    )
    near = NearRecord(4, ONLY_WITH_COUNTS, "both recorded peaks", short_with=("Japan", "the EU"), runs_short_with=3)
    assert not_near_record(near) == (
        "in 3 of the 4 runs closest to the recorded prices Japan and the EU do run short "
        "with it (too few: see How robust)"
    )


NAMES = Names({}, {"light": "Light rare earths", "heavy": "Heavy rare earths"})
"""The names :func:`_near_short` and :func:`_near_record_counts` ask for: the EU, Japan, light and heavy rare earths."""


def _samples(eu_light_t: list[float], eu_heavy_t: list[float], factor: float) -> pd.DataFrame:
    light, heavy = np.array(eu_light_t), np.array(eu_heavy_t)
    return pd.DataFrame(
        {
            "shortfall_t.eu": (light + heavy) * factor,
            "shortfall_t.eu.light": light * factor,
            "shortfall_t.eu.heavy": heavy * factor,
            "shortfall_t.japan": np.zeros(len(light)),
            "shortfall_t.japan.light": np.zeros(len(light)),
            "shortfall_t.japan.heavy": np.zeros(len(light)),
        }
    )


def test_a_range_of_shortfalls_near_the_record_never_spans_two_materials():
    # make run's three samples nearest the record: the EU short of 35.0 t and 58.3 t of heavy rare earths in two,
    # 4,540 t of light in the third; the fourth sample is not near the record and is not counted
    light, heavy = [0.0, 0.0, 4540.0, 9000.0], [35.0, 58.3, 0.0, 1.0]
    found = SimpleNamespace(without=_samples(light, heavy, 1.0), samples=_samples(light, heavy, 0.05))
    near = np.array([True, True, True, False])
    said = _near_short(found, NAMES, ["japan", "eu"], ["light", "heavy"], near).replace(NBSP, " ")
    assert said == (
        "the stock closes or nearly closes the EU's shortfall without it (4,540 t of light rare earths in one run, "
        "35.0\u201358.3 t of heavy in the other two)"
    )
    assert "35.0\u20134,540" not in said


def test_the_samples_near_the_record_say_who_runs_short_with_the_stock_and_in_how_many():
    # the EU short with the joint stock in all three samples near the record (35.0 t, 58.3 t and 4,540 t), no one
    # without it: every near sample is "short only with it", so "not needed" holds in none of them; the fourth
    # sample (9,001 t) is not near the record and is not counted
    light, heavy = [0.0, 0.0, 4540.0, 9000.0], [35.0, 58.3, 0.0, 1.0]
    found = SimpleNamespace(without=_samples(light, heavy, 0.0), samples=_samples(light, heavy, 1.0))
    every = np.array([True, True, True, False])
    peaks = NearPeaks({}, {}, {"light": every, "heavy": every}, [], every)
    near = _near_record_counts(found, peaks, NAMES, ["light", "heavy"], ["japan", "eu"], (True, False))
    assert (near.runs, near.counts["only_with"], near.counts["not_needed"]) == (3, 3, 0)
    assert (near.short_without, near.runs_short_without) == ((), 0)
    assert (near.short_with, near.runs_short_with) == (("the EU",), 3)
    assert near.fails("not_needed")
    assert not_near_record(near) == (
        "in the 3 runs closest to the recorded prices the EU does run short with it (too few: see How robust)"
    )


def test_one_material_is_one_range_without_its_name():
    found = SimpleNamespace(without=_samples([0, 0], [35.0, 58.3], 1.0), samples=_samples([0, 0], [0, 0], 1.0))
    said = _near_short(found, NAMES, ["eu"], ["heavy"], np.array([True, True])).replace(NBSP, " ")
    assert said == "the stock closes the EU's shortfall without it (35.0\u201358.3 t)"


@shipped_group("embargo_2010_historical")
def test_the_historical_headline_gives_its_close_call():
    # the same facts as embargo_2010's close call (tests/test_report_s48_audit.py): the EU's heavy rare earths fall
    # to 1.6 days on 3 Jul 2011, nobody runs short, and there is no agreement
    result = shipped_result("embargo_2010_historical")
    summary = result.summary
    eu_heavy = summary[(summary["region"] == "eu") & (summary["material"] == "heavy_ree")]
    assert round(float(eu_heavy["min_days_of_cover"].iloc[0]), 1) == 1.6
    text = _plain(headline(Run.of(result), None))
    assert text == (
        "There is no joint stock in this scenario, and no region runs short. It was a close call. The EU's cover of "
        "heavy rare earths fell to 1.6 days on 3 Jul 2011."
    )


def _headlines(*metrics: str) -> SimpleNamespace:
    return SimpleNamespace(headlines=pd.DataFrame({"metric": list(metrics)}))


def test_a_total_beside_a_regions_shortfall_says_the_intervals_are_worked_out_one_by_one():
    found = _headlines("total_shortfall_t", "fairness_jain", "shortfall_t.japan", "shortfall_t.eu")
    said = separate_intervals_note(found)
    assert said == (
        "each figure's interval is worked out on its own, so the regions' intervals need not add up to the total's"
    )
    assert _plain(_separate_intervals_note(found)) == f"{said[0].upper()}{said[1:]}."


def test_without_a_total_and_a_regions_shortfall_side_by_side_there_is_no_such_note():
    for metrics in (("total_shortfall_t", "min_days_of_cover.eu"), ("shortfall_t.eu", "min_days_of_cover.eu")):
        assert separate_intervals_note(_headlines(*metrics)) is None
        assert _separate_intervals_note(_headlines(*metrics)) == ""


def test_the_console_says_so_under_the_intervals(tmp_path):
    from tests.test_run_uncertainty_s51 import _scenario
    from tests.test_uncertainty_run import SHORT

    result = invoke("run", _scenario(tmp_path, SHORT), "--uncertainty", 4, "--workers", 1, "--no-plots", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    first = lines.index("uncertainty: 4 samples of 2 uncertain inputs")
    note = (
        "  (each figure's interval is worked out on its own, so the regions' intervals need not add up to the total's)"
    )
    shown = [line for line in lines[first + 1 :] if line.startswith("  ")]  # the intervals, then the note, indented
    assert shown[-1] == note and any(line.startswith("  Total shortfall:") for line in shown[:-1])
    assert any(line.startswith("  Shortfall, Japan:") for line in shown[:-1])
