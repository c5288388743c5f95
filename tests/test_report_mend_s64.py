"""Session 64's mends of the report's words (a reviewer's findings).

1. The shock table's "this run sets ..." note finds the shock a ``--set`` path names as the
   override code does (``shocks.00.leak_share``), and names the fields a change of the whole
   shock (``shocks.0={...}``) gives another value.
2. The close call says the member's pool days "were not released" only on a day the sharing rule
   applied and gave it none; on a day the rule auctions they "were not its to draw".
3. Fisher's p-value is not rounded across 0.05, the line its words ("more than") test.
4. The robustness table's count where a material has no demand as written keeps its one line under
   the count ("by more than a day of its demand or 1 t of a material without demand as written").
5. The record section's held-out price test is told of a record with its ``sample`` marks only, not of a
   same-named copy without them (whose rows all count as in sample).
6. The turned auctions table's corner says "Member", as the turned pool table's does: its first column
   holds the auctions' row labels and the members.
"""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
import yaml
from scipy import stats

from simulator.report import render_report
from simulator.report.findings import Run
from simulator.report.record import against_record, held_out_prices_sentence, load_record, record_section
from simulator.report.verdict import p_value_words
from simulator.report.words import DASH
from simulator.scenario import apply_overrides
from simulator.scenario.changes import changes_of
from tests.helpers import SHIPPED_RECORD, build, run, shipped_group, shipped_result, words_page
from tests.test_factcheck_facts_s64 import SCENARIO  # the shock-table scenario of the fact-check
from tests.test_report_pool_units import BIDS, NEAR_MISS, _close_call


def _happened(assignments: list[tuple[str, object]]) -> list[str]:
    data = yaml.safe_load(SCENARIO)
    html = render_report(run(apply_overrides(data, assignments)), changes=changes_of(data, assignments), figures=False)
    table = re.search(r'<table class="shocks">.*?</table>', html, re.S)
    assert table
    return [unescape(c) for c in re.findall(r'data-label="What happened">(.*?)</td>', table.group())]


def test_a_shock_named_by_a_padded_index_is_the_one_the_run_changed():
    # the override code reads "00" and "-01" as positions 0 and -1 (the cut), as it reads "0" and "-1"
    cells = _happened([("shocks.00.leak_share", 0.1), ("shocks.-01.severity", 0.5)])
    assert cells == [
        "Halt to Japan; 70% leaks through. <small>(as written; this run sets leak_share = 0.1)</small>",
        "Hoarding.",
        f"{DASH} <small>(this run sets severity = 0.5)</small>",
    ]


def test_a_shock_set_whole_names_the_fields_whose_value_differs():
    # the halt given whole: end 20 -> 25, leak_share 0.7 left out (the default), the rest as in the file;
    # the earlier leak_share = 0.1 is replaced by the whole shock; the surge set whole to itself changes nothing
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 25}
    halt["description"] = "Halt to Japan; 70% leaks through."
    rush = {"id": "rush", "kind": "demand_surge", "start": 10, "duration_days": 5, "factor": 1.5}
    rush["description"] = "Hoarding."
    cells = _happened([("shocks.halt.leak_share", 0.1), ("shocks.0", halt), ("shocks.rush", rush)])
    assert cells == [
        "Halt to Japan; 70% leaks through. <small>(as written; this run sets end = 25 and leak_share not set)</small>",
        "Hoarding.",
        DASH,
    ]


def test_a_close_call_says_not_released_only_on_a_day_the_rule_shared():
    # hybrid, day 8: the halt against the EU is over (days 0-3), the rule auctions: no release was due
    hybrid = build(NEAR_MISS, agreement__mechanism="hybrid", agreement__auction={"every_days": 7, "bids": BIDS})
    assert "(its 12.5 days of demand in the joint pool were not its to draw). Under the hybrid rule, in normal " in (
        _close_call(hybrid)
    )
    auction = build(hybrid, agreement__mechanism="auction")
    assert "(its 12.5 days of demand in the joint pool were not its to draw). Under auction, " in _close_call(auction)
    # whether a hybrid that may switch on a measured loss shared that day is not known: not said to be a release
    measured = build(hybrid, agreement__trigger={"measured_loss": {"window_days": 5}, "switch_on": "either"})
    assert _close_call(measured).endswith("(its 12.5 days of demand in the joint pool were not its to draw).")
    # an embargo against the EU all run: the hybrid shares every day, and releases never opened
    half = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["eu"], "start": 0, "end": 1000}
    embargoed = build(hybrid, shocks=[{**half, "severity": 0.5}])
    assert _close_call(embargoed).endswith(
        "(its 12.5 days of demand in the joint pool were not released). "
        "Releases under the fair allocation ratio were not open that day."
    )
    assert "were not released). Releases under the fair allocation ratio" in _close_call(NEAR_MISS)


def test_a_p_value_below_005_is_not_written_as_005():
    # both runs nearest the record short against 20 of the other 98: the two-sided p is the chance that both of
    # 2 runs drawn from 100 are among the 22 short, C(22, 2) / C(100, 2) = 231 / 4,950 (no table is less likely)
    p = stats.fisher_exact([[2, 0], [20, 78]]).pvalue
    assert p == pytest.approx(231 / 4950)
    assert p_value_words(p) == "p = 0.047"  # was "p = 0.05" beside "more than", a difference at p < 0.05
    assert p_value_words(0.04996) == "p < 0.05"  # three decimals round it to 0.050 too
    assert p_value_words(0.0532) == "p = 0.053"  # above: "not shown to differ", not "p = 0.05"
    assert [p_value_words(v) for v in (0.05, 0.2371, 0.0449, 0.0551, 0.01, 0.0099)] == [
        "p = 0.050",
        "p = 0.24",
        "p = 0.04",
        "p = 0.06",
        "p = 0.01",
        "p < 0.01",
    ]


def test_a_count_with_a_material_without_demand_keeps_its_one_line_under_it():
    from simulator.names import Names
    from simulator.report.uncertainty import _by_material, _count_cell, _size_parts
    from tests.helpers import TWO_MEMBERS

    names = Names.of(run(TWO_MEMBERS).scenario)
    # the EU's demand as written: 80 t/day of ree, none of mag. Three samples short: 40 t of ree (0.5 days),
    # 0.4 t of mag only, 30 t of mag only: 1 large (1 t or more of mag), 2 by little
    demand = {("eu", "ree"): 80.0, ("eu", "mag"): 0.0}
    table = pd.DataFrame({"shortfall_t.eu.ree": [40.0, 0, 0, 0], "shortfall_t.eu.mag": [0, 0.4, 30.0, 0]})
    total = (table["shortfall_t.eu.ree"] + table["shortfall_t.eu.mag"]).to_numpy(float)
    large, undemanded = _size_parts(total, _by_material(table, "eu", demand), names)[:2]
    assert (large, undemanded) == (1, True)
    assert _count_cell(3, large, undemanded).replace("\u00a0", " ") == (
        "3<br><small>1 by more than a day of its demand or 1 t of a material without demand as written</small>"
    )
    # ree alone (its demand as written): the samples short by little beside the count, as before
    ree = table.assign(**{"shortfall_t.eu.mag": 0.0, "shortfall_t.eu.ree": [40.0, 160.0, 100.0, 0]})
    total = ree["shortfall_t.eu.ree"].to_numpy(float)
    large, undemanded = _size_parts(total, _by_material(ree, "eu", demand), names)[:2]
    assert (large, undemanded) == (2, False)  # 160 t and 100 t are over 80 t, a day of demand
    assert _count_cell(3, large, undemanded) == "3, 1 of them by a day or less<br><small>2 by more</small>"


@shipped_group("embargo_2010")
def test_an_unmarked_copy_of_the_fits_record_is_not_told_its_prices_were_held_out_of_a_fit(tmp_path: Path):
    result = shipped_result("embargo_2010")
    marked = load_record(SHIPPED_RECORD, result.scenario)
    assert marked.marked and len(marked.rows) == 35
    said = record_section(Run.of(result), marked, figures=False)
    assert "No price row of this record is held out of the fit it marks (13 fitted)" in said
    # the same file name, its sample column dropped: every row counts as in sample, but no fit is marked
    copy = tmp_path / SHIPPED_RECORD.name
    with SHIPPED_RECORD.open(encoding="utf-8", newline="") as given, copy.open("w", encoding="utf-8", newline="") as to:
        rows = list(csv.DictReader(given))
        writer = csv.DictWriter(to, [c for c in rows[0] if c != "sample"], extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    unmarked = load_record(copy, result.scenario)
    assert not unmarked.marked and len(unmarked.rows) == 35
    table = against_record(result, unmarked)
    assert bool(table["in_sample"].all())  # what the sentence tested, and found: every price "fitted"
    assert held_out_prices_sentence(table, result.scenario, str(copy), marked=False) == ""
    said = record_section(Run.of(result), unmarked, figures=False)
    assert "held out of the fit" not in said and 'data-held-out="price"' not in said


def _corners(page: str) -> dict[str, str]:
    """Each table's class and the first cell of its head row (after its caption)."""
    return dict(re.findall(r'<table class="([^"]*)">(?:<caption[^>]*>.*?</caption>)?<thead><tr><th>(.*?)</th>', page))


def test_the_turned_auctions_table_heads_its_member_column_as_the_pool_table_does():
    from tests.test_scale_s64 import auctions

    # six members: both tables turned, a row per member (after the auctions' four rows); five: a row per material
    turned = _corners(words_page(run(auctions(6))))
    assert turned["auctions by-member"] == turned["pool by-member"] == "Member"
    kept = _corners(words_page(run(auctions(5))))
    assert kept["auctions"] == kept["pool"] == "Material"
