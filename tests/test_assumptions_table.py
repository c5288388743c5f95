"""The assumptions table ("What rests on assumptions") gives the value each uncertain input has.

Policy audit 41, finding 4: china_2025_licensing and new_supply_2031 set the measured-loss
switch to ``{window_days: 30, group_below: 0.9, member_below: 0.8}``, the schema's defaults. The
table's "Value used" read "none" (the word for an absent block), though the switch is on and
turned every release of those runs to the ratio.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path
from types import SimpleNamespace

import pytest

from simulator.report.uncertainty import _inputs_table, _shown
from simulator.scenario import load_scenario
from simulator.scenario.schema import MeasuredLoss

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def _row_cells(table: str, path: str) -> list[str]:
    row = next(r for r in table.split("<tr>") if f'<code class="source">{path}</code>' in r)
    return [" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in row.split("</td>")[:3]]


@pytest.mark.parametrize("name", ["china_2025_licensing", "new_supply_2031"])
def test_a_measured_loss_switch_set_to_the_defaults_shows_its_values_not_none(name):
    scenario = load_scenario(SCENARIOS / f"{name}.yaml")
    assert scenario.agreement.trigger.measured_loss == MeasuredLoss()  # set, and every field at its default
    table = _inputs_table(SimpleNamespace(scenario=scenario))
    label, value, spread = _row_cells(table, "agreement.trigger.measured_loss")
    assert label.startswith("measured-loss switch")
    # the values written in the file, in the form of the first alternative of the range beside it
    # (each field in its unit: days, and fractions as percentages)
    assert value == "window_days 30 days, group_below 90%, member_below 80%"
    assert spread.startswith("one of: \u2022 window_days 30 days, group_below 90%, member_below 80% \u2022")


def test_a_block_shows_what_differs_from_its_defaults_and_none_only_when_absent():
    assert _shown(MeasuredLoss(window_days=14)) == "window_days 14"
    assert _shown(MeasuredLoss()) == "window_days 30, group_below 0.9, member_below 0.8"
    assert _shown(None) == "none" and _shown({}) == "none"
