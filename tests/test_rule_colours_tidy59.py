"""The compare figure's rule colours live in simulator/palette.py with the regions' and shocks' (session 59)."""

from __future__ import annotations

from matplotlib.colors import to_rgb

import simulator.plots.comparison as comparison
from simulator.palette import BASELINE_COLOUR, RULE_COLOURS


def test_the_compare_figure_draws_the_palettes_rule_colours():
    assert comparison.RULE_COLOURS is RULE_COLOURS  # imported, not a copy of its own
    assert [comparison.rule_style(k)["color"] for k in range(8)] == list(RULE_COLOURS)


def test_eight_rule_colours_apart_and_none_grey():
    rgbs = [to_rgb(colour) for colour in RULE_COLOURS]
    assert len(set(rgbs)) == len(RULE_COLOURS) == 8
    greys = [colour for colour, (r, g, b) in zip(RULE_COLOURS, rgbs, strict=True) if r == g == b and r > 0.2]
    assert greys == []  # black (#111111) reads as a rule; a grey as a baseline
    assert to_rgb(BASELINE_COLOUR) not in rgbs
