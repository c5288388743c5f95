"""Session 64's mends of the report's words (a reviewer's findings).

1. The shock table's "this run sets ..." note finds the shock a ``--set`` path names as the
   override code does (``shocks.00.leak_share``), and names the fields a change of the whole
   shock (``shocks.0={...}``) gives another value.
"""

from __future__ import annotations

import re
from html import unescape

import yaml

from simulator.report import render_report
from simulator.report.words import DASH
from simulator.scenario import apply_overrides
from simulator.scenario.changes import changes_of
from tests.helpers import run

SCENARIO = """\
name: described
start_date: 2010-07-01
horizon_days: 60
materials:
  ree: {price_usd_per_kg: 50}
suppliers:
  china: {lead_time_days: {japan: 5}}
regions:
  japan:
    demand:
      ree: {tonnes_per_day: 10}
    commercial_stock:
      ree: {tonnes: 100}
    sourcing:
      ree: {china: 1.0}
shocks:
  - {id: halt, kind: embargo, supplier: china, regions: [japan], start: 5, end: 20, leak_share: 0.7,
     description: "Halt to Japan; 70% leaks through."}
  - {id: rush, kind: demand_surge, start: 10, duration_days: 5, factor: 1.5, description: "Hoarding."}
  - {id: cut, kind: quota_cut, supplier: china, start: 30, end: 40, severity: 0.2}
"""


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
