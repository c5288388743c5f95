"""Figures of a run: days of cover, shortfall, supply mix and prices (matplotlib, no pyplot).

Layer: studies.

Every figure has a panel per material and a line per region, named as the scenario
names them (:class:`~simulator.names.Names`: labels, else names made from the ids);
shock periods are shaded (full-height light bands, or when shocks overlap a thin strip
per shock in lanes along the top of each panel) and named in the legend; the x axis
shows dates when the scenario has a start date. Days on which a member received shared stock are marked
under the 0 line of the days-of-cover panels, a lane per member in its colour (a second rule hatched). A panel with
nothing to show carries a sentence saying so instead of an empty frame.

``stockpile run`` writes the figures as PNG files, a row of panels as wide as the
materials need; the report asks for figures of a set width with at most two panels
side by side, so that their text prints at the size it is set in.

The package's modules each do one thing; this module names what the rest of the
package (the report, the sweep's and the sensitivity's figures, the command line) and
the tests read from it, and nothing else.
"""

from simulator.plots.columns import days_as_x
from simulator.plots.comparison import compare_figure
from simulator.plots.cover import NO_RESTOCKING_NOTES, days_of_cover_figure, no_restocking_span
from simulator.plots.cover_lines import (
    all_cover_commercial,
    draw_trigger_line,
    trigger_line_days,
    trigger_lines,
)
from simulator.plots.finish import finish_figure, legend_height_in, legend_layout
from simulator.plots.layout import (
    MIN_PANEL_IN,
    Panels,
    date_ticks,
    empty_panel,
    fixed_margins,
    format_axis,
    grid_width_in,
    panel_width_in,
)
from simulator.plots.notes import Drawn, note_place, sliced_heights, span_notes_drawn
from simulator.plots.pool_shares import POOL_SHARE_LABEL, SHARE_OFF_SCALE_RATIO, pool_share_days, pool_shares_above_axis
from simulator.plots.prices import demand_labels, demand_shares, market_materials, prices_figure, same_as_drawn
from simulator.plots.releases import received_rules
from simulator.plots.run_files import run_figures, write_figures
from simulator.plots.shock_bands import clear_lanes, shade_shocks, shock_shade, shock_windows, shocks_overlap
from simulator.plots.shock_words import KIND_NAMES, idle_shocks, shock_idle, shock_label, shock_severity, shock_target
from simulator.plots.shortfall import NO_SHORTFALL, short_materials, shortfall_figure
from simulator.plots.style import LEGEND_PT
from simulator.plots.supply import supply_mix_figure
from simulator.plots.text import (
    TITLE_LINE_IN,
    agg_renderer,
    label_lines,
    plain_text,
    text_width_in,
    wrapped_lines,
    wrapped_title,
)

__all__ = [
    "KIND_NAMES",
    "LEGEND_PT",
    "MIN_PANEL_IN",
    "NO_RESTOCKING_NOTES",
    "NO_SHORTFALL",
    "POOL_SHARE_LABEL",
    "SHARE_OFF_SCALE_RATIO",
    "TITLE_LINE_IN",
    "Drawn",
    "Panels",
    "agg_renderer",
    "all_cover_commercial",
    "clear_lanes",
    "compare_figure",
    "date_ticks",
    "days_as_x",
    "days_of_cover_figure",
    "demand_labels",
    "demand_shares",
    "draw_trigger_line",
    "empty_panel",
    "finish_figure",
    "fixed_margins",
    "format_axis",
    "grid_width_in",
    "idle_shocks",
    "label_lines",
    "legend_height_in",
    "legend_layout",
    "market_materials",
    "no_restocking_span",
    "note_place",
    "panel_width_in",
    "plain_text",
    "pool_share_days",
    "pool_shares_above_axis",
    "prices_figure",
    "received_rules",
    "run_figures",
    "same_as_drawn",
    "shade_shocks",
    "shock_idle",
    "shock_label",
    "shock_severity",
    "shock_shade",
    "shock_target",
    "shock_windows",
    "shocks_overlap",
    "short_materials",
    "shortfall_figure",
    "sliced_heights",
    "span_notes_drawn",
    "supply_mix_figure",
    "text_width_in",
    "trigger_line_days",
    "trigger_lines",
    "wrapped_lines",
    "wrapped_title",
    "write_figures",
]
