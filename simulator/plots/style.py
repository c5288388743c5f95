"""Sizes and colours the figures' modules share: PNG resolution, legend and line-label type, regions' colours.

Layer: studies.
"""

from __future__ import annotations

from simulator.palette import LINE_STYLES, REGION_COLOURS

LEGEND_PT = 8.5
"""Legend text size (points): legible when a report figure prints at its own width."""
PNG_DPI = 110
"""Resolution of the PNG files ``stockpile run`` writes (:func:`simulator.plots.run_files.write_figures`)."""
LINE_LABEL_PT = 8.5
"""Type size of a reference line's label (``60 days``, ``trigger 15 days``, a pool share's)."""
LINE_LABEL_LEADING = 1.2
"""Height of a line of a label, in multiples of its type size (Matplotlib's line spacing)."""

MORE_REGION_COLOURS = ("#56b4e9", "#d55e00", "#117733", "#882255", "#999933", "#aa4499", "#88ccee", "#ddcc77")
"""The regions' colours after :data:`simulator.palette.REGION_COLOURS`' ten (the 11th region on): Okabe and Ito's
sky blue and vermilion, Paul Tol's green, wine, olive, purple, cyan and sand, colour-blind safe and apart from the
ten. Before them the 11th region took the 1st's blue, dashed, and its release bars (solid) were the 1st's: a
12-member scenario drew Japan in Germany's blue and South Korea in France's red."""
REGION_PALETTE = (*REGION_COLOURS, *MORE_REGION_COLOURS)
"""Every region's colour in a figure of a run, in the scenario's order (:func:`region_colour`)."""


def region_colour(i: int) -> str:
    """The colour of the ``i``-th region (from 0) in the figures of a run: a distinct one for each of the first 18.

    The first ten are :data:`simulator.palette.REGION_COLOURS` (a scenario of up to ten regions is drawn as before),
    then :data:`MORE_REGION_COLOURS`; past 18 they repeat (:func:`region_dashes` tells those apart).

    >>> region_colour(0), region_colour(10), region_colour(18)
    ('#1f5fa6', '#56b4e9', '#1f5fa6')
    """
    return REGION_PALETTE[i % len(REGION_PALETTE)]


def region_dashes(i: int) -> str:
    """The line style of the ``i``-th region's curves: solid for the first 18 (:func:`region_colour`), then the next.

    >>> region_dashes(11), region_dashes(18)
    ('-', '--')
    """
    return LINE_STYLES[i // len(REGION_PALETTE) % len(LINE_STYLES)]
