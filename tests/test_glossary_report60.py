"""An abbreviation explained at a possessive first use keeps the possessive on it (report/glossary.py, session 60).

The 2010 replay's first JOGMEC and METI were possessives, and the page wrote ``JOGMEC (Japan Organization for
Metals and Energy Security, Japan's state agency for metals)'s stockpile``: an expansion in brackets before the
``'s``. It now reads ``JOGMEC's (Japan Organization ...) stockpile``.
"""

from __future__ import annotations

import re

import pytest

from simulator.report.glossary import explained_at_first_use
from tests.helpers import each_shipped, shipped_report
from tests.test_report import plain

BRACKET_THEN_POSSESSIVE = re.compile(r"\)(?:'|\u2019)s\b")
"""``(...)'s``: a bracket closed right before a possessive ending."""


def test_the_meaning_follows_the_possessive_ending() -> None:
    page = "<p>(JOGMEC&#x27;s stockpile covered Ni, Cr, W, Co, Mo, Mn and V)</p><p>JOGMEC held it.</p>"
    done = plain(explained_at_first_use(page))
    meaning = "Japan Organization for Metals and Energy Security, Japan's state agency for metals"
    assert done.startswith(f"(JOGMEC's ({meaning}) stockpile covered Ni,")
    assert done.count(meaning) == 1  # the later use as it was
    assert done.endswith("JOGMEC held it.")


def test_a_possessive_closing_a_bracket_takes_the_meaning_after_a_comma() -> None:
    done = plain(explained_at_first_use("<p>as quoted (METI&#x27;s)</p>"))
    assert done == "as quoted (METI's, Japan's Ministry of Economy, Trade and Industry)"


@pytest.mark.parametrize("name", each_shipped())
def test_no_shipped_report_puts_a_bracket_before_a_possessive(name: str) -> None:
    text = plain(shipped_report(name))
    found = [text[max(0, m.start() - 60) : m.end() + 20] for m in BRACKET_THEN_POSSESSIVE.finditer(text)]
    assert not found, found
