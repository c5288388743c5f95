"""docs/scenarios.md explains the note club_of_five prints on every run (policy audit s51, item 8).

Australia gives no bids on purpose (it pays in, is not embargoed, has a ratio of 0), and a
scenario cannot mark that, so the note stays; the page quotes it, and the quote must be the
note the tool prints.
"""

from __future__ import annotations

import re

from simulator.scenario import load_scenario
from simulator.scenario.notes import scenario_notes
from tests.helpers import ROOT


def test_the_note_quoted_for_club_of_five_is_the_one_it_prints():
    page = (ROOT / "docs" / "scenarios.md").read_text()
    entry = page[page.index("### `club_of_five.yaml`") :]
    entry = entry[: entry.index("\n### ")]
    quoted = re.search(r"\*\*The note on Australia\.\*\* .*?`note:\s(.*?)…`", entry, re.S)
    assert quoted, "club_of_five's entry does not explain the note on Australia's bids"
    path = "scenarios/club_of_five.yaml"
    printed = [note.render(path) for note in scenario_notes(load_scenario(ROOT / path))]
    shown = " ".join(quoted[1].split())
    assert [text for text in printed if text.startswith(shown)], (shown, printed)
