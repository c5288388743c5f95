"""Sizes the figures' modules share: the PNG resolution, the legend's and the line labels' type.

Layer: studies.
"""

from __future__ import annotations

LEGEND_PT = 8.5
"""Legend text size (points): legible when a report figure prints at its own width."""
PNG_DPI = 110
"""Resolution of the PNG files ``stockpile run`` writes (:func:`simulator.plots.run_files.write_figures`)."""
LINE_LABEL_PT = 8.5
"""Type size of a reference line's label (``60 days``, ``trigger 15 days``, a pool share's)."""
LINE_LABEL_LEADING = 1.2
"""Height of a line of a label, in multiples of its type size (Matplotlib's line spacing)."""
