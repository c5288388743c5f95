"""Abbreviations a final read found unexplained in the 2010 report, and the policy paper named before it is said.

embargo_2010's report used REE ("no REE estimate", K3's "heavy-REE (Dy + Tb)"), METI, MOFCOM, JOGMEC, IEA and
FCC without saying what they are, and its question spoke of "the policy paper's hybrid rule" a screen before the
page said which paper (report/glossary.py).
"""

from __future__ import annotations

import html
import re

from simulator.report.glossary import explained_at_first_use
from tests.helpers import shipped_group, shipped_report

MEANINGS = {
    "REE": "rare-earth elements",
    "METI": "Japan's Ministry of Economy, Trade and Industry",
    "MOFCOM": "China's Ministry of Commerce",
    "JOGMEC": "Japan Organization for Metals and Energy Security",
    "IEA": "International Energy Agency",
    "FCC": "fluid catalytic cracking",
}


def _text(page: str) -> str:
    """The page's prose: head, figures and code left out, tags removed, entities read."""
    prose = re.sub(r"<(head|svg|code)\b.*?</\1>", " ", page, flags=re.S)
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", "", prose))).replace("\u00a0", " ")


@shipped_group("embargo_2010")  # with that scenario's other tests, which make its report once per process
def test_each_abbreviation_is_explained_at_its_first_use_in_the_2010_report() -> None:
    text = _text(shipped_report("embargo_2010"))
    for term, meaning in MEANINGS.items():
        first = re.search(rf"\b{term}\b", text)
        assert first is not None, term
        after = text[first.end() :].removeprefix("'s")  # a possessive keeps its ending: METI's (Japan's ...)
        assert after.startswith(f" ({meaning}"), (term, text[first.end() : first.end() + 60])
        assert text.count(meaning) == 1, term  # once only


@shipped_group("embargo_2010")
def test_the_question_says_which_paper_before_naming_it_again() -> None:
    text = _text(shipped_report("embargo_2010"))
    rule = text.index(
        "the policy paper's hybrid rule (the paper, KAS\u2013NPI's: the 2024 proposal of an EU\u2013Japan"
    )
    assert rule < text.index("KAS\u2013NPI policy paper")  # the paper is said where it is first named
    assert text.count("Konrad-Adenauer-Stiftung") == 1  # and not said again where KAS-NPI is first used


def test_a_possessive_paper_without_its_rule_waits_for_a_plain_use() -> None:
    """``the policy paper's 40/60`` would split as ``paper (...)'s 40/60``: the next plain use is explained."""
    page = "<p>vs the policy paper&#x27;s 40/60.</p><p>85% in the policy paper, not confirmed.</p>"
    done = explained_at_first_use(page)
    assert "the policy paper&#x27;s 40/60." in done
    assert "85% in the policy paper (KAS\u2013NPI's, the 2024 proposal" in done
    assert done.count("the 2024 proposal") == 1
