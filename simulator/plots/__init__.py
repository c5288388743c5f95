"""Figures of a run: days of cover, shortfall, supply mix and prices (matplotlib, no pyplot).

Layer: studies.

Every figure has a panel per material and a line per region, named as the scenario
names them (:class:`~simulator.names.Names`: labels, else names made from the ids);
shock periods are shaded (full-height light bands, or when shocks overlap a thin strip
per shock in lanes along the top of each panel) and named in the legend; the x axis
shows dates when the scenario has a start date. Days on which the agreement released stock are marked by a
band along the bottom of the days-of-cover panels, one colour per rule. A panel with
nothing to show carries a sentence saying so instead of an empty frame.

``stockpile run`` writes the figures as PNG files, a row of panels as wide as the
materials need; the report asks for figures of a set width with at most two panels
side by side, so that their text prints at the size it is set in.

The package's modules each do one thing; this module names what the rest of the
package (the report, the sweep's and the sensitivity's figures, the command line) and
the tests read from it, and nothing else.
"""

from simulator.plots.cover import (
    BASELINE_COLOUR,
    KIND_NAMES,
    LEGEND_PT,
    MIN_PANEL_IN,
    NO_RESTOCKING_NOTES,
    NO_SHORTFALL,
    POOL_SHARE_LABEL,
    SHARE_OFF_SCALE_RATIO,
    TITLE_LINE_IN,
    TRIGGER_COLOUR,
    Panels,
    all_cover_commercial,
    compare_figure,
    date_ticks,
    days_of_cover_figure,
    demand_labels,
    demand_shares,
    empty_panel,
    finish_figure,
    fixed_margins,
    grid_width_in,
    idle_shocks,
    label_lines,
    legend_height_in,
    legend_layout,
    market_materials,
    no_restocking_span,
    panel_width_in,
    plain_text,
    pool_share_days,
    pool_shares_above_axis,
    prices_figure,
    released_rules,
    run_figures,
    same_as_drawn,
    shock_idle,
    shock_label,
    shock_severity,
    shock_shade,
    shock_target,
    shock_windows,
    shocks_overlap,
    short_materials,
    shortfall_figure,
    span_notes_drawn,
    supply_mix_figure,
    text_width_in,
    trigger_line_days,
    trigger_lines,
    wrapped_lines,
    wrapped_title,
    write_figures,
)

__all__ = [
    "BASELINE_COLOUR",
    "KIND_NAMES",
    "LEGEND_PT",
    "MIN_PANEL_IN",
    "NO_RESTOCKING_NOTES",
    "NO_SHORTFALL",
    "POOL_SHARE_LABEL",
    "SHARE_OFF_SCALE_RATIO",
    "TITLE_LINE_IN",
    "TRIGGER_COLOUR",
    "Panels",
    "all_cover_commercial",
    "compare_figure",
    "date_ticks",
    "days_of_cover_figure",
    "demand_labels",
    "demand_shares",
    "empty_panel",
    "finish_figure",
    "fixed_margins",
    "grid_width_in",
    "idle_shocks",
    "label_lines",
    "legend_height_in",
    "legend_layout",
    "market_materials",
    "no_restocking_span",
    "panel_width_in",
    "plain_text",
    "pool_share_days",
    "pool_shares_above_axis",
    "prices_figure",
    "released_rules",
    "run_figures",
    "same_as_drawn",
    "shock_idle",
    "shock_label",
    "shock_severity",
    "shock_shade",
    "shock_target",
    "shock_windows",
    "shocks_overlap",
    "short_materials",
    "shortfall_figure",
    "span_notes_drawn",
    "supply_mix_figure",
    "text_width_in",
    "trigger_line_days",
    "trigger_lines",
    "wrapped_lines",
    "wrapped_title",
    "write_figures",
]
