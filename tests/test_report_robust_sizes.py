"""The robustness table's sizes and counts, on hand-made samples (simulator/report/uncertainty.py).

Each case is small enough to count by hand: the material named as a reader reads it, the largest
shortfall of each material in both columns, and each member's 'what the stock did' classified as the
headline classifies (material by material where tonnes may not be added).
"""

from __future__ import annotations

import re

import pandas as pd

from simulator.names import Names
from simulator.report.uncertainty import (
    NO_SIZE,
    MemberSamples,
    Size,
    _by_material,
    _largest_each,
    _size_parts,
    robust_table,
)

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
    # the label "NdFeB magnets, sintered" has a ", " in it: the cell reads 4.0 days (40 t of 10 t/day), then
    # tonnes of the whole label under them
    names = Names({}, {"mag": "NdFeB magnets, sintered"})
    demand = {("eu", "mag"): 10.0}
    table = pd.DataFrame({"shortfall_t.eu.mag": [0.0, 40.0]})
    size = _size_parts(table["shortfall_t.eu.mag"].to_numpy(float), _by_material(table, "eu", demand), names)
    row = MemberSamples("EU", 1, size)
    html = robust_table([row], 2)
    cell = html.split('data-label="Largest')[1].split("</td>")[0].split(">", 1)[1]
    assert cell.replace(NBSP, " ") == "4.0 days of its demand<br><small>40 t of NdFeB magnets, sintered</small>"


def _cells(html: str) -> dict[str, str]:
    """The table's largest-shortfall cells by column, as text (a line under another after " / ")."""
    found = {}
    for label, cell in re.findall(r'data-label="((?:Largest|Same material)[^"]*)">(.*?)</td>', html):
        found[label] = re.sub(r"<br>(<small>)?", " / ", cell).replace("</small>", "").replace(NBSP, " ")
    return found


def test_both_largest_columns_give_the_same_material():
    # the EU's demand as written: 10 t/day of magnets, 0.5 t/day of heavy rare earths. With the stock: 100 t of
    # magnets short in one sample (10 days), 4 t of heavy in another (8 days); without it: the same 100 t of
    # magnets, and 20 t of heavy (40 days). The largest in days chosen in each column would read 100 t of
    # magnets with the stock against 20 t of heavy without it, as if the stock had brought the magnets'
    # shortfall. Chosen once, both ways: heavy, the most days short (40, without the stock).
    names = Names({}, {"mag": "NdFeB magnets", "heavy": "Heavy rare earths"})
    demand = {("eu", "mag"): 10.0, ("eu", "heavy"): 0.5}
    with_stock = pd.DataFrame({"shortfall_t.eu.mag": [100.0, 0, 0], "shortfall_t.eu.heavy": [0, 4.0, 0]})
    without = pd.DataFrame({"shortfall_t.eu.mag": [100.0, 0, 0], "shortfall_t.eu.heavy": [0, 20.0, 0]})
    by_with, by_without = _by_material(with_stock, "eu", demand), _by_material(without, "eu", demand)
    largest, largest_alone = _largest_each([by_with, by_without], names)
    total_w, total_wo = with_stock.sum(axis=1).to_numpy(float), without.sum(axis=1).to_numpy(float)
    row = MemberSamples(
        "EU",
        2,
        _size_parts(total_w, by_with, names),
        short_without=2,
        sizes_without=_size_parts(total_wo, by_without, names),
        did={"not_needed": 1, "only_with": 0, "closes": 0, "cuts": 1, "no_help": 1},
        largest_with=largest,
        largest_without=largest_alone,
    )
    assert _cells(robust_table([row], 3)) == {
        "Largest with the stock, in days of demand": "8.0 days of its demand / 4 t of heavy rare earths",
        "Largest without it (any sample)": "40 days of its demand / 20 t of heavy rare earths",
    }

    def shown(pairs):
        return [[(t.replace(NBSP, " "), d.replace(NBSP, " ")) for t, d in column] for column in pairs]

    # Japan short of light only with the stock (200 t, 20 days); without it of light (600 t, 60 days) and of
    # heavy (20 t, 40 days): light, the only material short both ways, both ways (not 200 t of light against
    # 20 t of heavy, which would hide the 600 t of light without the stock)
    names = Names({}, {"light": "Light rare earths", "heavy": "Heavy rare earths"})
    demand = {("japan", "light"): 10.0, ("japan", "heavy"): 0.1}
    with_stock = pd.DataFrame({"shortfall_t.japan.light": [200.0, 0], "shortfall_t.japan.heavy": [0.0, 0]})
    without = pd.DataFrame({"shortfall_t.japan.light": [600.0, 0], "shortfall_t.japan.heavy": [0, 20.0]})
    pairs = _largest_each([_by_material(with_stock, "japan", demand), _by_material(without, "japan", demand)], names)
    assert shown(pairs) == [
        [("200 t of light rare earths", "20 days of its demand")],
        [("600 t of light rare earths", "60 days of its demand")],
    ]
    # no material short both ways (light only with the stock, heavy only without it): each one, both ways, the
    # most days first (heavy, 200 days), "none of" it where it is not short
    without = without.assign(**{"shortfall_t.japan.light": 0.0})
    pairs = _largest_each([_by_material(with_stock, "japan", demand), _by_material(without, "japan", demand)], names)
    assert shown(pairs) == [
        [("none of heavy rare earths", ""), ("200 t of light rare earths", "20 days of its demand")],
        [("20 t of heavy rare earths", "200 days of its demand"), ("none of light rare earths", "")],
    ]
    # with the stock short in no sample: the material is chosen on the column where it is short
    pairs = _largest_each(
        [_by_material(with_stock * 0, "japan", demand), _by_material(without, "japan", demand)], names
    )
    assert shown(pairs)[1] == [("20 t of heavy rare earths", "200 days of its demand")]


def test_a_members_counts_of_what_the_stock_did_go_by_material_as_the_headline_goes():
    # two materials whose tonnes count different things (oxide, magnet): the headline answers material by
    # material. Japan, one sample: 100 t of ree short with the stock; 50 t of ree and 10 t of mag without it.
    # Added up, 100 t against 60 t: no smaller. By material, mag is cut from 10 t to none: the stock cuts a
    # shortfall, as the sentence over both members (the EU never short) counts it too.
    from types import SimpleNamespace

    from simulator.report.uncertainty import samples_short_line
    from tests.helpers import TWO_MEMBERS, add_material, build, run

    data = build(TWO_MEMBERS, materials__ree__tonnes_of="oxide")
    result = run(add_material(data, "mag", {"price_usd_per_kg": 50, "tonnes_of": "magnet"}))

    def table(ree: float, mag: float) -> pd.DataFrame:
        return pd.DataFrame(
            {
                "shortfall_t.japan": [ree + mag],
                "shortfall_t.japan.ree": [ree],
                "shortfall_t.japan.mag": [mag],
                "shortfall_t.eu": [0.0],
                "shortfall_t.eu.ree": [0.0],
                "shortfall_t.eu.mag": [0.0],
            }
        )

    study = SimpleNamespace(inputs=[None], paths=["regions.eu.x"])
    found = SimpleNamespace(study=study, runs=1, samples=table(100.0, 0.0), without=table(50.0, 10.0), without_why="")
    line = samples_short_line(result, found)
    assert line.counts == {"not_needed": 0, "only_with": 0, "closes": 0, "cuts": 1, "no_help": 0}
    cells = dict(re.findall(r'<td[^>]*data-label="([^"]*)">(.*?)</td>', line.table.split("</tr>")[1]))
    assert (cells["Stock cuts one"], cells.get("Stock leaves one no smaller")) == ("1", None)
    # its columns count samples: not the words of the members' table under it, whose "Short with the stock" is tonnes
    heads = re.findall(r'<th scope="col">(.*?)</th>', line.table)
    assert heads[1:3] == ["Samples short with the stock", "Samples short without it"], heads


def test_members_never_short_either_way_share_one_line_under_the_table():
    # of three members only the EU is short (2 samples with the stock, 3 without it); Japan and Korea are short
    # in no sample either way: no rows of zeros for them, one line under the table
    did = {"not_needed": 1, "only_with": 0, "closes": 1, "cuts": 2, "no_help": 0}
    zero = dict.fromkeys(did, 0) | {"not_needed": 4}
    size = Size(2, False, "10 t of rare earths", "")
    rows = [
        MemberSamples("Japan", 0, NO_SIZE, short_without=0, did=zero),
        MemberSamples("EU", 2, size, short_without=3, sizes_without=size, did=did),
        MemberSamples("South Korea", 0, NO_SIZE, short_without=0, did=zero),
    ]
    html = robust_table(rows, 4)
    assert re.findall(r'<th scope="row">(.*?)</th>', html) == ["EU"]
    assert html.endswith(
        '</table><p class="note robust-note robust-never">Japan and South Korea: short in no sample, with or '
        "without the joint stock.</p>"
    )
    # with the stock only (the samples not run without it): the line says so
    alone = robust_table([MemberSamples("EU", 2, size), MemberSamples("Japan", 0, NO_SIZE)], 4)
    assert alone.endswith("Japan: short in no sample, with the joint stock.</p>")
    assert "robust-never" not in robust_table(rows[1:2], 4)


def test_a_region_never_short_reads_in_none_and_the_link_alone_is_a_sentence():
    from types import SimpleNamespace

    from simulator.report.uncertainty import samples_short_line
    from tests.helpers import TWO_MEMBERS, run

    study = SimpleNamespace(inputs=[None], paths=["regions.eu.x"])  # no input of the agreement's own design
    table = pd.DataFrame({"shortfall_t.japan": [0.0, 0.0], "shortfall_t.eu": [0.0, 40.0]})
    found = SimpleNamespace(study=study, runs=2, samples=table, without=None, without_why="")
    # without an agreement: the EU short in 1 of the 2 samples, Japan in none (not "in 0")
    alone = {k: v for k, v in TWO_MEMBERS.items() if k != "agreement"}
    text = samples_short_line(run(alone), found).lead
    assert re.sub(r"<[^>]+>", "", text).endswith(", and Japan in none; intervals in How sure are these figures?")
    # with one, and none of the inputs its own: the line under the table is a sentence of its own
    found = SimpleNamespace(study=study, runs=2, samples=table, without=table, without_why="")
    tail = samples_short_line(run(TWO_MEMBERS), found).tail
    assert tail == 'The figures\u2019 intervals are in <a href="#uncertainty">How sure are these figures?</a>'
