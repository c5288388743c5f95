"""The words that count the release rules in the docs and docstrings say how many the registry has.

Pages and docstrings say "the eleven rules" where they describe what was measured with every rule (a figure's
names that all fit, a comparison's rows). A rule added to :mod:`simulator.mechanisms` left them saying eleven,
and no test read them (session 60's walk-through). Here every "the <count> rules" (or "release rules") of
docs/*.md, README.md and the package's Python files, with a count of five or more, must be the registry's
number of rules, and "the <count> rules without restraint" that number less the two that restrain demand.
Smaller counts ("the two rules") and counts without "the" ("all three rules", "nine rules' curves") name
rules a passage picks, not the registry.
"""

from __future__ import annotations

import re
from pathlib import Path

from simulator.mechanisms import NAMES
from tests.helpers import ROOT

NUMBER_WORDS = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
]
"""Count words by their value (``NUMBER_WORDS[11] == "eleven"``)."""
RESTRAINT = ("need_with_restraint", "iea_ess")
"""The rules that restrain demand (docs/release-rules.md says "the rules without restraint" of the others)."""
COUNT = re.compile(r"\bthe (?P<count>\w+) (?:release )?rules(?P<without> without restraint)?\b", re.I)


def count_of(word: str) -> int | None:
    """The number a count word or numeral stands for (None for any other word)."""
    if word.isdigit():
        return int(word)
    return NUMBER_WORDS.index(word.lower()) if word.lower() in NUMBER_WORDS else None


def texts() -> dict[Path, str]:
    """The pages and Python files whose words may count the rules, each with its whitespace made single spaces."""
    paths = [*sorted((ROOT / "docs").glob("*.md")), ROOT / "README.md", *sorted((ROOT / "simulator").rglob("*.py"))]
    return {path: " ".join(path.read_text(encoding="utf-8").split()) for path in paths}


def wrong_counts(text: str, rules: int) -> list[str]:
    """The phrases of ``text`` that count the rules as other than ``rules`` (``restraint`` fewer without restraint)."""
    wrong = []
    for found in COUNT.finditer(text):
        said = count_of(found["count"])
        if said is None or said < 5:
            continue
        meant = rules - len(RESTRAINT) if found["without"] else rules
        if said != meant:
            wrong.append(f"'{found[0]}' (the registry has {meant})")
    return wrong


def test_phrases_that_count_the_rules_are_found_and_checked():
    # worked by hand with 11 rules, 9 without restraint
    text = "nine of the eleven rules; the 11 release rules; the nine rules without restraint; the two rules"
    assert wrong_counts(text, 11) == []
    assert wrong_counts(text, 12) == [
        "'the eleven rules' (the registry has 12)",
        "'the 11 release rules' (the registry has 12)",
        "'the nine rules without restraint' (the registry has 10)",
    ]
    assert wrong_counts("nine rules' curves lie within 1.5 t", 12) == []


def test_the_docs_count_as_many_rules_as_the_registry_has():
    wrong = {
        str(path.relative_to(ROOT)): found
        for path, text in texts().items()
        if (found := wrong_counts(text, len(NAMES)))
    }
    assert not wrong, (
        f"{wrong}: these count the release rules, and simulator/mechanisms.py has {len(NAMES)}; say the new count "
        "where what the passage describes still holds with it (rerun what it measured), else rewrite the passage"
    )
