"""The report's words of session 52's wording audit (/work/notes/s52/wording_audit.md), numbers worked by hand."""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd

from simulator.report.uncertainty import NearRecord, _near_short, outcome_sentence
from tests.helpers import words_page

NBSP = "\u00a0"


def _found(without: list[float], with_stock: list[float]) -> SimpleNamespace:
    zero = [0.0] * len(without)
    return SimpleNamespace(
        samples=pd.DataFrame({"shortfall_t.eu": with_stock, "shortfall_t.japan": zero}),
        without=pd.DataFrame({"shortfall_t.eu": without, "shortfall_t.japan": zero}),
    )


NAMES = SimpleNamespace(possessive=lambda m: {"eu": "the EU's", "japan": "Japan's"}[m])


def test_the_runs_near_the_record_say_who_runs_short_without_the_stock_and_what_the_stock_does():
    rows = np.array([True, True, True, False])
    # near: 58, 35, 4,540 t without; 0.03, 0, 33 t with: cuts of 99.9 %, 100 %, 99.3 %, each 90 % or more
    found = _found([58.0, 35.0, 4540.0, 9.0], [0.03, 0.0, 33.0, 9.0])
    # one material (the samples have no column per material): one range of the EU's total
    clause = _near_short(found, NAMES, ["eu", "japan"], ["ree"], rows).replace(NBSP, " ")
    assert clause == "the stock closes or nearly closes the EU's shortfall without it (35.0\u20134,540 t)"
    # the stock closes each: 'closes'; in one it cuts 50 % only: the counts instead of 'nearly'
    closed = _near_short(_found([58.0, 35.0, 4540.0, 9.0], [0, 0, 0, 9.0]), NAMES, ["eu", "japan"], ["ree"], rows)
    assert closed.startswith("the stock closes the EU's shortfall without it (")
    cut = _near_short(_found([58.0, 35.0, 4540.0, 9.0], [29.0, 0, 33.0, 9.0]), NAMES, ["eu"], ["ree"], rows)
    assert cut.endswith(") in 1 of them and reduces it in the other 2")
    # nobody short there without the stock: no clause
    assert _near_short(_found([0, 0, 0, 9.0], [0, 0, 0, 9.0]), NAMES, ["eu", "japan"], ["ree"], rows) == ""


def test_the_robustness_sentence_says_what_happens_near_the_record_where_the_answer_fails_there():
    counts = {"not_needed": 49, "only_with": 0, "closes": 14, "cuts": 37, "no_help": 0}
    none_near = {"not_needed": 0, "only_with": 0, "closes": 1, "cuts": 2, "no_help": 0}
    near = NearRecord(3, none_near, "both recorded peaks", "the EU runs short without the joint stock (...) and X")
    assert outcome_sentence(counts, 100, 63, "not_needed", near) == (
        "<strong>How robust:</strong> the answer \u2018not needed\u2019 holds in 49 of the 100 runs with its "
        "63 uncertain inputs varied. It fails in all 3 runs whose peak prices come within a factor 1.5 of both "
        "recorded peaks: there the EU runs short without the joint stock (...) and X. Of the 51 where it fails, the "
        "stock closes every shortfall in 14 and cuts the members\u2019 total in 37."
    )
    # where the answer holds in some of them: the short count beside, no sentence of its own
    some = NearRecord(3, {**none_near, "not_needed": 1, "cuts": 1}, "both recorded peaks", "the EU runs short ...")
    assert ", and in 1 of the 3 near both recorded peaks; of the other 51" in outcome_sentence(
        counts, 100, 63, "not_needed", some
    )
    assert near.fails("not_needed") and not some.fails("not_needed")


def test_the_stocks_lack_of_a_price_effect_is_said_twice_not_three_times_where_the_stock_is_not_needed():
    from tests.helpers import build, run
    from tests.test_report_answers import AMPLE, MARKET, plain, section

    # no shock, a market: nobody short either way, so the headline and the caveat under the table both say it
    verdict = plain(section(words_page(run(build(AMPLE, shocks=[], market=MARKET))), "verdict"))
    assert "is outside this model." in verdict
    assert "This answer counts physical shortfall only. The model gives the stock no effect on prices" in verdict
    assert "leaves prices as they are" not in verdict


def test_the_close_call_is_said_in_short_sentences():
    from tests.helpers import build
    from tests.test_report_pool_units import BIDS, NEAR_MISS, _close_call

    # NEAR_MISS under the hybrid rule: the EU's 80 t (1 day) never ran out, so it never bid for its 1,000 t share
    hybrid = build(NEAR_MISS, agreement__mechanism="hybrid", agreement__auction={"every_days": 7, "bids": BIDS})
    sentences = _close_call(hybrid).split(". ")
    assert sentences[0] == "It was a close call"
    assert sentences[1].startswith("With or without the joint stock, the EU's cover of rare earths fell to 1.0 days")
    assert sentences[1].endswith(
        "counting only stock it could draw (its 12.5 days of demand in the joint pool were not its to draw)"
    )
    assert sentences[-1].endswith("its own stock cannot cover: the EU's never ran out, so it never bid.")
    assert all(s.count(":") <= 1 for s in sentences)


def test_a_changed_run_is_named_as_a_thing_in_the_fan_notes_and_the_held_fixed_row_says_not_all_were_changed():
    from pathlib import Path

    from simulator.names import AS_CHANGED, AS_WRITTEN, run_noun
    from simulator.report.uncertainty import _held_fixed_row
    from simulator.scenario import load_scenario

    assert run_noun(AS_CHANGED) == "this run (as changed)" and run_noun(AS_WRITTEN) == "as written"
    scenario = load_scenario(Path(__file__).resolve().parents[1] / "scenarios" / "embargo_2010.yaml")
    row = _held_fixed_row(scenario, AS_CHANGED)
    assert "at this run\u2019s values (the scenario\u2019s own, apart from the changes listed at the top)" in row
    assert "as changed for this run" not in row
    # 29 held inputs listed, and more held that the row does not list; no YAML key in its words
    assert "Held fixed, not sampled (29 listed, and more):" in row and "uncertain:" not in row


def test_iea_ess_spells_out_the_iep_says_each_day_and_spells_its_name_one_way():
    from simulator.mechanisms import MECHANISMS

    ess = next(m for m in MECHANISMS if m.name == "iea_ess")
    assert "International Energy Program, IEP" in ess.description and "today" not in ess.description
    assert "each day" in ess.description and "a member under embargo can end up giving rather than receiving" in (
        ess.description
    )
    assert ess.phrase == "the IEA Emergency Sharing System" and "emergency sharing system" not in ess.description


def test_how_robust_unmeasured_says_how_to_measure_it():
    from tests.helpers import build, run
    from tests.test_report_answers import AMPLE, MARKET, plain, section

    data = build(AMPLE, shocks=[], market=MARKET)
    entry = {"path": "market.ree.price.sensitivity", "low": 1.0, "high": 3.0, "source": "a guess"}
    data["uncertain"] = [entry]
    verdict = plain(section(words_page(run(data)), "verdict"))
    assert "declared uncertain (What rests on assumptions ; run with --uncertainty to measure)." in verdict
