"""One home for rules written several times (session 64).

The residue rule (:func:`simulator.names.is_residue`): what rounds to 0 at the 6th decimal is floating-point residue
and reads 0, and no figure has a digit past the 6th decimal (:func:`simulator.names.small_text`). ``stockpile
run``'s shortfall column, :func:`~simulator.names.number_text` and the report's :func:`two_figures` all follow it;
the report's two figures once wrote 1.23e-6 as ``0.0000012``, a 7th decimal.

"Short" (:data:`simulator.shortages.SHORT_ABOVE_T`) agrees with the words: a member short of 1e-13 t reads
``0.0`` t and is counted short by no one; one short of 1e-6 t reads ``0.000001`` t and is counted short by all.
The threshold was 0 t, which counted the 1e-13 t as short while the words showed none.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from simulator.compare_materials import is_short_of
from simulator.compare_materials import short_materials as compare_short_materials
from simulator.console import shortfall_text
from simulator.names import decimals_text, is_residue, number_text, small_text
from simulator.report.rule import _days_of_demand
from simulator.report.words import NBSP, two_figures
from simulator.report.words import tonnes as report_tonnes
from simulator.shortages import SHORT_ABOVE_T, short, short_of
from simulator.sweep.figures import short_materials as sweep_short_materials

RESIDUES = (3.84e-16, -2e-17, 1e-13, -0.0, 4.9e-7, -4.9e-7)


@pytest.mark.parametrize("value", RESIDUES)
def test_a_residue_reads_0_in_every_writer(value):
    assert is_residue(value)
    assert number_text(value) == "0" and small_text(value, 2) == "0" and two_figures(value) == "0"
    assert shortfall_text(value) == "0.0" and decimals_text(value) == "0.0"  # never -0.0
    assert _days_of_demand(abs(value)) == "0 days"
    assert report_tonnes(value) == f"0{NBSP}t"


def test_no_writer_writes_a_digit_past_the_6th_decimal():
    # 1.23e-6 to two or three figures would be 0.0000012(3): the 6th decimal is the finest, 0.000001
    assert (number_text(1.23e-6), shortfall_text(1.23e-6), two_figures(1.23e-6)) == ("0.000001",) * 3
    # 9.6e-6 to two figures at the 6th decimal is 0.000010 (two_figures keeps its second figure, as 0.0040)
    assert (number_text(-9.6e-6), shortfall_text(-9.6e-6), two_figures(-9.6e-6)) == (
        "-0.00001",
        "-0.00001",
        "-0.000010",
    )
    # from 0.00001 up two figures reach no further than the 6th: as before
    assert (two_figures(0.0000123), two_figures(0.004), two_figures(2.4499999999999997)) == (
        "0.000012",
        "0.0040",
        "2.5",
    )
    for value in np.geomspace(5.0000001e-7, 1e-4, 400):
        texts = (number_text(value), shortfall_text(value), two_figures(value), two_figures(-value))
        assert all(len(text.partition(".")[2]) <= 6 for text in texts), (value, texts)
        assert all(text.strip("-0.") for text in texts), (value, texts)  # not a residue: never 0


def _run(metrics):
    return SimpleNamespace(metrics=metrics, structure=SimpleNamespace(materials=("ga", "ge")))


def test_a_shortfall_of_a_residue_is_short_nowhere_and_one_the_words_show_is_short_everywhere():
    # members a and b; a is short of 1e-13 t of ga (a residue) and of 1e-6 t of ge (a real millionth of a tonne)
    run = {"shortfall_t.a.ga": 1e-13, "shortfall_t.b.ga": 0.0, "shortfall_t.a.ge": 1e-6, "shortfall_t.b.ge": 0.0}
    members = ["a", "b"]
    words = {m: shortfall_text(run[f"shortfall_t.a.{m}"]) for m in ("ga", "ge")}
    counted = {m: int(sum(short(run[f"shortfall_t.{r}.{m}"]) for r in members)) for m in ("ga", "ge")}
    assert (words, counted) == ({"ga": "0.0", "ge": "0.000001"}, {"ga": 0, "ge": 1})
    assert not is_short_of(run, members, "ga") and is_short_of(run, members, "ge")
    assert compare_short_materials([_run(run), _run(dict.fromkeys(run, 0.0))], members) == ["ge"]
    table = pd.DataFrame([run, dict.fromkeys(run, 0.0), {**run, "shortfall_t.b.ga": 2e-14}])  # three runs
    assert short_of(table, members, "ga").sum() == 0 and short_of(table, members, "ge").tolist() == [True, False, True]
    assert sweep_short_materials(table, members) == ["ge"]


def test_short_agrees_with_the_words_at_every_size():
    assert SHORT_ABOVE_T == 5e-7  # half the 6th decimal's unit
    edge = [5e-7]
    for direction in (0.0, 1.0):  # the floats next to 5e-7 on each side
        value = 5e-7
        for _ in range(50):
            value = float(np.nextafter(value, direction))
            edge.append(value)
    values = [0.0, 1e-13, 1e-9, 4.9e-7, 5.1e-7, 1e-6, *edge, *np.geomspace(1e-18, 50.0, 2000)]
    for value in values:
        shown = shortfall_text(value) != "0.0"
        assert bool(short(value)) == shown == (number_text(value) != "0") == (not is_residue(value)), value
    assert short(np.array(values)).tolist() == [not is_residue(v) for v in values]
