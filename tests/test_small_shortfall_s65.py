"""A shortfall the report counts as one (above 5e-7 t) never reads 0 t; a residue (1e-13 t) reads as none anywhere.

Two members, 10 t/day of rare earths each, an embargo on both from day 5 to day 20 (5 days' lead time) and a
joint pool of 10 t from each. The EU's 1,000 t never run out. Japan's stock is set so that its shortfall is
3e-6 t (worked out: with 150 t it is never short without the agreement, so 150 t less 3e-6 t leaves it short of
3e-6 t without the agreement and, with the pool's 20 t, 130 t less 3e-6 t leaves it short of 3e-6 t with it).
"""

from __future__ import annotations

import dataclasses
import html
import re
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulator import shortages
from simulator.names import Names
from simulator.report import without_agreement
from simulator.report.accounts import accounts
from simulator.report.findings import Run, compare_overall
from simulator.report.prices import _region_sentence
from simulator.report.sharing import _pooling_words, losers_lead
from simulator.report.tables import comparison_table
from simulator.report.uncertainty import _by_little, _largest_each, _near_short, _tonnes_span, outcome_counts
from simulator.report.uncertainty import _by_material as _uncertainty_by_material
from simulator.report.verdict import (
    _answer,
    _headline_by_material,
    by_material_answer,
    headline_outcome,
    outcome,
    units_line,
    whom_line,
)
from simulator.report.words import NBSP, shortfall_tonnes, tonnes
from simulator.results import Result
from tests.helpers import run, words_page

TINY_T = 3e-6
"""A shortfall above shortages.SHORT_ABOVE_T (5e-7 t) that tonnes() rounds to 0 t."""


def pair(japan_stock_t: float) -> dict:
    return {
        "name": "pair",
        "horizon_days": 40,
        "materials": {"ree": {"price_usd_per_kg": 50}},
        "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 5}}},
        "regions": {
            "japan": {
                "demand": {"ree": {"tonnes_per_day": 10}},
                "commercial_stock": {"ree": {"tonnes": japan_stock_t}},
                "sourcing": {"ree": {"china": 1.0}},
            },
            "eu": {
                "demand": {"ree": {"tonnes_per_day": 10}},
                "commercial_stock": {"ree": {"tonnes": 1000}},
                "sourcing": {"ree": {"china": 1.0}},
            },
        },
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 5, "end": 20}
        ],
        "agreement": {
            "members": ["japan", "eu"],
            "mechanism": "fair_ratio",
            "ratio": {"japan": 0.5, "eu": 0.5},
            "pool": {"contributions": {"japan": {"ree": {"tonnes": 10}}, "eu": {"ree": {"tonnes": 10}}}},
        },
    }


def text(page: str) -> str:
    """The page's words, tags dropped, spaces (no-break ones too) as one."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)).replace(NBSP, " "))


def plain(sentence: str) -> str:
    """A sentence's words, its tags (the tagged numbers' spans) dropped, no-break spaces as spaces."""
    return html.unescape(re.sub(r"<[^>]+>", "", sentence)).replace(NBSP, " ")


def test_the_words_of_a_shortfall_too_small_to_show():
    assert shortages.short(TINY_T) and tonnes(TINY_T) == f"0{NBSP}t"
    assert shortfall_tonnes(TINY_T) == f"under 0.01{NBSP}t"
    assert shortfall_tonnes(0.0049) == f"under 0.01{NBSP}t"
    assert shortfall_tonnes(1e-13) == shortfall_tonnes(0.0) == f"0{NBSP}t"  # a residue is no shortfall
    assert shortfall_tonnes(0.005) == tonnes(0.005) == f"0.01{NBSP}t"  # as tonnes() writes what it shows


def test_a_member_short_of_3e_6_t_with_the_stock_is_short_and_never_of_0_t():
    result = run(pair(130 - TINY_T))
    assert result.metrics["shortfall_t.japan"] == pytest.approx(TINY_T, rel=1e-6)
    assert result.metrics["shortfall_t.eu"] == 0.0
    words = text(words_page(result))
    # the headline: 20 t without the pool, 3e-6 t with it
    assert "cuts the members' shortfall of rare earths from 20.0 t to under 0.01 t" in words
    # the whole run's finding and Japan's
    assert "the members are short of under 0.01 t of rare earths in all" in words
    assert "under 0.01 t is under 0.01% of the members' demand" in words
    assert "is short of under 0.01 t in all" in words
    assert "Rare earths: short of under 0.01 t ( under 0.01% of demand) on 1 day" in words
    assert "under 0.01 t a day" in words and "at most under" not in words
    # the members' table and the pooling line
    assert "Japan owns 50% of the pool under 0.01 t from day 24" in words
    assert "against under 0.01 t pooled" in words
    # the region table: Japan's shortfall cells, and the largest daily
    japan = words[words.index("Japan member Rare earths") : words.index("EU member Rare earths")]
    assert "Shortfall (t) under 0.01 t under 0.01 t" in japan
    assert "Largest daily shortfall (t) under 0.01 t" in japan
    # nowhere a shortfall of "0 t" (a figure that is 0, not the end of 20.0 t)
    assert not re.search(r"(?<![\d.,])0 t (pooled|in all|from day|is|a day|of rare)", words)
    assert "short of 0 t" not in words and "to 0 t" not in words


def test_a_member_short_of_3e_6_t_only_without_the_stock_is_closed_by_it():
    result = run(pair(150 - TINY_T))
    assert result.metrics["shortfall_t.japan"] == 0.0
    words = text(words_page(result))
    assert "Yes: the joint stock closes every shortfall. Without it, Japan would be short of under 0.01 t" in words
    assert "none none under 0.01 t from day 24" in words  # short with the stock, with its share alone, without it
    assert "short of 0 t" not in words


def with_shortfall(result: Result, t: float, region: str = "japan", material: str = "ree") -> Result:
    """A copy of ``result`` (one short of nothing) with ``region`` short of ``t`` of ``material``, in its summary and
    metrics: a float residue (1e-13 t) or a shortfall too small to show (3e-6 t). ``result`` itself is left as it is.
    """
    demand = float(result.metrics[f"demand_t.{region}"]) if f"demand_t.{region}" in result.metrics else 400.0
    metrics = dict(result.metrics)
    for name in (f"shortfall_t.{region}", f"shortfall_t.{region}.{material}", "total_shortfall_t"):
        metrics[name] = t
    metrics[f"total_shortfall_t.all.{material}"] = t
    changed = dataclasses.replace(result, metrics=metrics)
    summary = result.summary.copy()
    rows = (summary["region"] == region) & (summary["material"] == material)
    summary.loc[rows, "shortfall_t"] = t
    summary.loc[rows, "shortfall_share"] = t / demand
    changed._frames["summary"] = summary
    return changed


@pytest.fixture(scope="module")
def none_short() -> tuple[Result, Result]:
    """The pair with 150 t for Japan: no member short with the agreement or without it; and the run without it."""
    result = run(pair(150))
    alone = without_agreement(result)
    assert result.metrics["total_shortfall_t"] == 0.0 and alone.metrics["shortfall_t.japan"] == 0.0
    return result, alone


def test_a_residue_with_the_stock_and_none_without_is_not_needed(none_short):
    # a 1e-13 t residue in the run and 0 t without the agreement: the same answer as 0 t and 0 t (was "only_with")
    assert outcome({"ree": 1e-13}, {"ree": 0.0}) == outcome({"ree": 0.0}, {"ree": 0.0}) == "not_needed"
    # a residue with it and 5 t without: the stock closes the shortfall (was "cuts", from 5 t to "0 t")
    assert outcome({"ree": 1e-13}, {"ree": 5.0}) == "closes"
    # a residue without it and 5 t with it: short only with it (was "no_help")
    assert outcome({"ree": 5.0}, {"ree": 1e-13}) == "only_with"
    assert outcome({"ree": TINY_T}, {"ree": 0.0}) == "only_with"  # 3e-6 t is short
    result, alone = none_short
    assert headline_outcome(Run.of(with_shortfall(result, 1e-13)), Run.of(alone)) == "not_needed"
    assert headline_outcome(Run.of(with_shortfall(result, TINY_T)), Run.of(alone)) == "only_with"
    # the samples' counts share the rule: a residue in one sample is "not needed" there
    counts = outcome_counts({"ree": np.array([1e-13, 0.0])}, {"ree": np.array([0.0, 0.0])})
    assert counts["not_needed"] == 2 and counts["only_with"] == 0


def test_a_residue_of_a_second_material_does_not_make_the_answer_by_material():
    # prices far apart: the headline answers by material where two materials or more are short; a residue of
    # the second is not one (it was counted by "> 0")
    assert not by_material_answer({"a": 5.0, "b": 1e-13}, {"a": 6.0, "b": 0.0}, False, True)
    assert by_material_answer({"a": 5.0, "b": TINY_T}, {"a": 6.0, "b": 0.0}, False, True)


def test_a_residue_reads_as_no_shortfall_in_the_headline_without_a_run_to_compare(none_short):
    result, _ = none_short
    assert _answer(Run.of(with_shortfall(result, 1e-13)), None) == "With the joint stock, neither member runs short."
    tiny = plain(_answer(Run.of(with_shortfall(result, TINY_T)), None))
    assert tiny == "With the joint stock, the members are still short of under 0.01 t of rare earths in all."


def test_a_residue_against_none_is_no_change_in_a_comparison(none_short):
    result, _ = none_short
    run_, base = Run.of(result), Run.of(with_shortfall(result, 1e-13), "baseline")
    # was: "the total shortfall falls by 100%, from 0 t to none"
    assert plain(compare_overall(run_, base)) == "Across Japan and the EU, there is no shortfall in either run."
    assert plain(compare_overall(base, run_)) == "Across Japan and the EU, there is no shortfall in either run."
    tiny = Run.of(with_shortfall(result, TINY_T))
    assert plain(compare_overall(tiny, base)) == (
        "Across Japan and the EU, the total shortfall rises from none to under 0.01 t."
    )


def test_a_residue_pooled_or_apart_is_no_shortfall_in_the_pooling_line(none_short):
    result, _ = none_short
    # no member short apart, a residue pooled: pooling closes no gap (the line read on, of "0 t")
    pooled = _pooling_words(Run.of(with_shortfall(result, 1e-13)), Run.of(result, "own_share"), False)
    assert pooled.startswith("Pooling is not what closes the gaps here")
    # 3e-6 t pooled and a residue apart: no member would run short apart (was "short of only 0 t in all")
    costs = plain(_pooling_words(Run.of(with_shortfall(result, TINY_T)), Run.of(with_shortfall(result, 1e-13)), False))
    assert "no member would run short, against under 0.01 t pooled" in costs
    assert "0 t in all" not in costs


def test_a_residue_of_shortfall_is_no_share_of_demand_unmet_in_the_prices_section():
    data = pair(150)
    data["market"] = {"ree": {"price": {"sensitivity": 3.0, "adjustment_days": 40}}}
    result = run(data)
    assert result.metrics["total_shortfall_t"] == 0.0
    said = _region_sentence(Run.of(with_shortfall(result, 1e-13)), "japan", "ree", 50.0)
    assert "could not be supplied" not in said  # was ", and 0% of what it still wanted could not be supplied"
    tiny = plain(_region_sentence(Run.of(with_shortfall(result, TINY_T)), "japan", "ree", 50.0))
    assert "under 0.01% of what it still wanted could not be supplied" in tiny


def test_the_little_and_the_large_samples_are_measured_in_the_same_words():
    little = _by_little(7, 2, True).replace(NBSP, " ")
    assert little == (
        "5 of them by a day or less of its demand of each material and by under 1 t of each without demand as written"
    )


def two_materials(agreement: bool = True) -> dict:
    """Japan and the EU, 1,000 t of each of two materials counted as unlike things (oxide, magnet), 10 t/day of
    each: never short. With the agreement, a joint pool of 10 t of rare earths from each and no magnets."""

    def region() -> dict:
        return {
            "demand": {"ree": {"tonnes_per_day": 10}, "mag": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 1000}, "mag": {"tonnes": 1000}},
            "sourcing": {"ree": {"china": 1.0}, "mag": {"china": 1.0}},
        }

    data = {
        "name": "two",
        "horizon_days": 40,
        "materials": {
            "ree": {"price_usd_per_kg": 50, "tonnes_of": "oxide"},
            "mag": {"price_usd_per_kg": 80, "tonnes_of": "magnet"},
        },
        "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 5}}},
        "regions": {"japan": region(), "eu": region()},
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 5, "end": 20}
        ],
    }
    if agreement:
        data["agreement"] = {
            "members": ["japan", "eu"],
            "mechanism": "fair_ratio",
            "ratio": {"japan": 0.5, "eu": 0.5},
            "pool": {"contributions": {"japan": {"ree": {"tonnes": 10}}, "eu": {"ree": {"tonnes": 10}}}},
        }
    return data


@pytest.fixture(scope="module")
def pooled_two() -> Result:
    result = run(two_materials())
    assert result.metrics["total_shortfall_t"] == 0.0
    return result


def test_a_residue_with_the_stock_is_a_closed_shortfall_in_the_headline_by_material(pooled_two):
    # tonnes of oxide and of magnet: the headline answers by material. 5 t of rare earths without the stock and
    # a residue with it: closed, so "Yes" (was "Almost entirely ... cuts the shortfall of rare earths from 5.0 t
    # to 0 t (100% less)")
    with_it = Run.of(with_shortfall(pooled_two, 1e-13))
    without = Run.of(with_shortfall(pooled_two, 5.0), "alone")
    said = plain(_headline_by_material(with_it, without, ["japan", "eu"]))
    assert said == "Yes, by material: the joint stock closes the shortfall of rare earths (5.0 t of oxide without it)."


def test_the_pool_holds_none_of_a_material_its_members_are_short_of_3e_6_t_of(pooled_two):
    run_ = Run.of(with_shortfall(pooled_two, TINY_T, material="mag"))
    said = plain(whom_line(run_, accounts(run_)))  # was '' (short of mag under 0.005 t was not said)
    assert said == "The pool holds no mag, of which the members are short of under 0.01 t."
    assert whom_line(Run.of(with_shortfall(pooled_two, 1e-13, material="mag")), accounts(run_)) == ""


def test_a_residue_held_alone_reads_none_beside_a_member_worse_off_pooled(pooled_two):
    pooled = Run.of(with_shortfall(pooled_two, 5.0))
    apart = Run.of(with_shortfall(pooled_two, 1e-13), "own_share")
    said = plain(losers_lead(pooled, apart, {"japan": ["ree"]}))
    # was "... short of 5.0 t against 0 t."
    assert (
        said
        == "Pooling leaves Japan worse off than with its share held alone, short of 5.0 t of rare earths against none."
    )


def test_a_residue_without_the_stock_is_no_cut_in_the_units_line():
    result = run(two_materials(agreement=False))
    assert result.metrics["total_shortfall_t"] == 0.0
    with_it, without = Run.of(with_shortfall(result, 3.0)), Run.of(with_shortfall(result, 1e-13), "alone")
    said = plain(units_line(with_it, without))
    # the residue is no shortfall to cut: no "100% less" (it read "(0 t without the joint stock, 100% less)")
    assert "rare earths 3.0 t of oxide (0 t without the joint stock)" in said
    cut = plain(units_line(Run.of(with_shortfall(result, 0.0)), without))
    assert "less" not in cut


def test_the_samples_near_the_record_count_a_residue_as_no_shortfall():
    def found(without: list[float], with_stock: list[float]) -> SimpleNamespace:
        zero = [0.0] * len(without)
        return SimpleNamespace(
            samples=pd.DataFrame({"shortfall_t.eu": with_stock, "shortfall_t.japan": zero}),
            without=pd.DataFrame({"shortfall_t.eu": without, "shortfall_t.japan": zero}),
        )

    names = SimpleNamespace(possessive=lambda m: {"eu": "the EU's", "japan": "Japan's"}[m])
    rows = np.array([True, True, True, False])
    # a residue with the stock where 58 t without: closed (was "closes or nearly closes")
    closes = _near_short(found([58.0, 35.0, 4540.0, 9.0], [1e-13, 0, 0, 9.0]), names, ["eu"], ["ree"], rows)
    assert closes.startswith("the stock closes the EU's shortfall without it (")
    # closed in 2 (one a residue), cut by 36% in the third (was "in 1 of them and reduces it in the other 2")
    counts = _near_short(found([58.0, 35.0, 4540.0, 9.0], [1e-13, 0, 2900.0, 9.0]), names, ["eu"], ["ree"], rows)
    assert counts.endswith(") in 2 of them and reduces it in the other 1")
    # a residue without the stock is no shortfall for the stock to close: 5 t with it there is not a "cut" of it
    # (it was counted, and 5 t against 1e-13 t made the clause give counts)
    residue = _near_short(found([1e-13, 35.0, 4540.0, 9.0], [5.0, 0, 0, 9.0]), names, ["eu"], ["ree"], rows)
    assert residue.startswith("the stock closes the EU's shortfall without it (")


def test_the_largest_sample_shortfall_leaves_out_a_material_short_only_by_a_residue(pooled_two):
    names = Names.of(pooled_two.scenario)
    # the EU's demand as written: 80 t/day of ree, none of mag. With the stock: a residue of mag in one sample,
    # nothing else; without it: 40 t of ree in one. The largest is of ree in both columns, "none" with the stock
    # (was: "none of rare earths" and "under 1 t of mag" with it, the residue read as a shortfall of mag)
    demand = {("eu", "ree"): 80.0, ("eu", "mag"): 0.0}
    with_it = pd.DataFrame({"shortfall_t.eu.ree": [0.0, 0.0], "shortfall_t.eu.mag": [1e-13, 0.0]})
    without = pd.DataFrame({"shortfall_t.eu.ree": [40.0, 0.0], "shortfall_t.eu.mag": [0.0, 0.0]})
    columns = [_uncertainty_by_material(t, "eu", demand) for t in (with_it, without)]
    largest = [
        [(t.replace(NBSP, " "), d.replace(NBSP, " ")) for t, d in pairs] for pairs in _largest_each(columns, names)
    ]
    assert largest == [[("none of rare earths", "")], [("40 t of rare earths", "0.5 days of its demand")]]


def test_the_range_of_the_samples_shortfall_never_starts_at_0_t():
    # 3e-6 t is short (it is counted in the range): "under 0.01", not "0" (was "0 t" and "0–5.0 t")
    assert _tonnes_span(np.array([TINY_T])).replace(NBSP, " ") == "under 0.01 t"
    assert _tonnes_span(np.array([TINY_T, 5.0, 0.0])).replace(NBSP, " ") == "under 0.01\u20135.0 t"
    assert _tonnes_span(np.array([1e-13, 5.0])).replace(NBSP, " ") == "5.0 t"  # a residue is left out


def test_the_comparison_table_changes_nothing_from_a_residue_and_never_writes_a_shortfall_0_t(none_short):
    result, _ = none_short
    baseline = Run.of(with_shortfall(result, 1e-13), "baseline")

    def japan_row(run_: Run) -> list[str]:
        row = re.search(r"<tr><th[^>]*>Japan</th>(.*?)</tr>", comparison_table(run_, baseline))
        return [plain(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row[1])]

    # from a residue to 5 t: no change to give (it was +4999999999999899%), the residue written 0 t
    assert japan_row(Run.of(with_shortfall(result, 5.0)))[1:4] == ["0 t", "5.0 t", "\u2013"]
    # from a residue to 3e-6 t: short of under 0.01 t, not 0 t
    assert japan_row(Run.of(with_shortfall(result, TINY_T)))[1:4] == ["0 t", "under 0.01 t", "\u2013"]
