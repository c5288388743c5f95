"""Session 65's captions helper: a member short of less than the report writes as tonnes is said to be short.

``TWO_MEMBERS`` (tests/helpers.py): Japan and the EU, one material (``ree``, rare earths).
"""

from __future__ import annotations

from simulator.report.findings import Run
from simulator.report.held_split import _short_words
from tests.helpers import TWO_MEMBERS, run


def test_a_member_short_of_under_what_tonnes_show_is_short_and_a_residue_is_not() -> None:
    """The sentence "Which run is which" decides short as the rest of the report does (shortages.short: above
    5e-7 t), and writes such a shortfall as words.shortfall_tonnes does: 3e-6 t read "not short" (0 t shown)."""
    found = Run.of(run(TWO_MEMBERS))
    found.cells["eu", "ree"]["shortfall_t"] = 3e-6
    found.cells["japan", "ree"]["shortfall_t"] = 1e-13  # a residue of arithmetic: no shortfall
    assert _short_words(found, "eu") == "the EU short of under 0.01\u00a0t of rare earths"
    assert _short_words(found, "japan") == "Japan not short"
    found.cells["eu", "ree"]["shortfall_t"] = 19.8271
    assert _short_words(found, "eu") == "the EU short of 19.8\u00a0t of rare earths"
