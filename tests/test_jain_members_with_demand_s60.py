"""Jain's index's ``1/n`` counts the members with demand, as the index does, not every member.

Worked out by hand (session 60, review point 3): three members, Korea without demand, China halts Japan all run
and the EU holds enough never to be short. The index leaves Korea out (no demand, no share): Japan's share x and
the EU's 0 give x^2 / (2 x^2) = 0.5, one of two members bearing it all, not 1/3 of three.

The console's line (sensitivity/intervals.py) and the report's uncertainty row (report/uncertainty.py) each count
the members: only this test reads the row end to end (tests/test_fairness_ends_s60.py tests the console's words
alone, tests/test_jain_one_bears_all_s60.py the findings' sentence). Every sample is alike (Japan always short, the
EU never): four make the study.
"""

from __future__ import annotations

import html
import re
from typing import Any

import pytest

from simulator.engine import simulate
from simulator.scenario import validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import headline_lines, run_uncertainty
from tests.helpers import japan_halted, with_korea, words_page


def korea_without_demand() -> dict[str, Any]:
    """``TWO_MEMBERS`` with Japan alone halted, the EU's 5,000-6,000 t never short, and Korea a member using nothing."""
    world = japan_halted()
    return with_korea(world, tonnes_per_day=None, ratio={"japan": 1 / 3, "eu": 1 / 3, "korea": 1 / 3})


def test_one_of_two_members_with_demand_bearing_it_all_reads_as_such_in_the_console_and_the_report():
    world = korea_without_demand()
    result = simulate(validate_data(world, "s.yaml"))
    assert result.metrics["fairness_jain"] == pytest.approx(0.5)  # Korea left out: 1/2, not 1/3
    found = run_uncertainty(plan_study(world, "s.yaml", fixed=()), 4)
    (line,) = [text for text in headline_lines(found) if text.startswith("Fairness")]
    assert line.endswith("(1 = each short the same share of its demand; 0.5 = one of two members bears it all)")
    page = words_page(result, uncertainty=found)
    row = re.search(r"<tr><td class=\"text\">Fairness.*?</tr>", page).group(0)
    words = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", row)).split())
    assert "0.5 = one of two members bears it all" in words
    assert "three members" not in words and "0.333" not in words
