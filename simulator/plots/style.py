"""Sizes and colours the figures' modules share: PNG resolution, legend and line-label type, regions' colours.

Layer: studies. A region's colour and line style (:func:`region_colour`, :func:`region_dashes`) live in
:mod:`simulator.palette`, beside the list they take, so that the report's figures, the fan charts and the explorer
page (no Matplotlib) give a region the colour the run's figures do; they are named here for the figures' modules.
"""

from __future__ import annotations

from simulator.palette import region_colour, region_dashes

__all__ = [
    "LEGEND_PT",
    "LINE_LABEL_LEADING",
    "LINE_LABEL_PT",
    "PNG_DPI",
    "region_colour",
    "region_dashes",
]

LEGEND_PT = 8.5
"""Legend text size (points): legible when a report figure prints at its own width."""
PNG_DPI = 110
"""Resolution of the PNG files ``stockpile run`` writes (:func:`simulator.plots.run_files.write_figures`)."""
LINE_LABEL_PT = 8.5
"""Type size of a reference line's label (``60 days``, ``trigger 15 days``, a pool share's)."""
LINE_LABEL_LEADING = 1.2
"""Height of a line of a label, in multiples of its type size (Matplotlib's line spacing)."""
