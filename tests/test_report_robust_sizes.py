"""The robustness table's sizes and counts, on hand-made samples (simulator/report/uncertainty.py).

Each case is small enough to count by hand: the material named as a reader reads it, the largest
shortfall of each material in both columns, and each member's 'what the stock did' classified as the
headline classifies (material by material where tonnes may not be added).
"""

from __future__ import annotations

import pandas as pd

from simulator.names import Names
from simulator.report.uncertainty import MemberSamples, _by_material, _size_parts, robust_table

NBSP = "\u00a0"


def test_a_material_is_named_as_a_sentence_names_it():
    # "NdFeB magnets" keeps its capitals (names.material_text), "Light rare earths" is lowered in a sentence
    names = Names({}, {"mag": "NdFeB magnets", "light": "Light rare earths"})
    demand = {("eu", "mag"): 10.0, ("eu", "light"): 100.0}
    table = pd.DataFrame({"shortfall_t.eu.mag": [0.0, 40.0], "shortfall_t.eu.light": [0.0, 0.0]})
    total = table.sum(axis=1).to_numpy(float)
    parts = _size_parts(total, _by_material(table, "eu", demand), names)
    assert "40 t of NdFeB magnets" in " ".join(map(str, parts)).replace(NBSP, " ")
    table = pd.DataFrame({"shortfall_t.eu.mag": [0.0, 0.0], "shortfall_t.eu.light": [0.0, 250.0]})
    parts = _size_parts(table.sum(axis=1).to_numpy(float), _by_material(table, "eu", demand), names)
    assert "250 t of light rare earths" in " ".join(map(str, parts)).replace(NBSP, " ")


def test_a_material_label_with_a_comma_keeps_its_tonnes_and_days_apart():
    # the label "NdFeB magnets, sintered" has a ", " in it: the cell still reads tonnes of the whole label, then
    # 4.0 days (40 t of 10 t/day) under them
    names = Names({}, {"mag": "NdFeB magnets, sintered"})
    demand = {("eu", "mag"): 10.0}
    table = pd.DataFrame({"shortfall_t.eu.mag": [0.0, 40.0]})
    size = _size_parts(table["shortfall_t.eu.mag"].to_numpy(float), _by_material(table, "eu", demand), names)
    row = MemberSamples("EU", 1, size)
    html = robust_table([row], 2)
    cell = html.split('data-label="Largest')[1].split("</td>")[0].split(">", 1)[1]
    assert cell.replace(NBSP, " ") == "40 t of NdFeB magnets, sintered<br><small>4.0 days of its demand</small>"
