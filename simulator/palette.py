"""The colours of the figures and the explorer page, apart from Matplotlib: regions, shocks, rules, trigger, baselines.

Layer: ground (imports nothing from the project). The explorer page draws with these
colours too; importing them from here keeps its command from importing Matplotlib.
"""

REGION_COLOURS = (
    "#1f5fa6",
    "#d1495b",
    "#2a9d8f",
    "#e9a03b",
    "#6d597a",
    "#3d405b",
    "#81b29a",
    "#9c6644",
    "#111111",
    "#b5838d",
)
"""One colour per region, in the scenario's order (then repeated with another line style)."""
LINE_STYLES = ("-", "--", ":", "-.")
"""Matplotlib line styles: the regions after the colours run out take the next one."""
MAX_REGIONS = len(REGION_COLOURS) * len(LINE_STYLES)
"""Most regions a figure tells apart (a colour and a line style each); checked before any run, without Matplotlib."""
SHOCK_COLOURS = ("#f4a261", "#9d8ec7", "#8ab17d", "#e76f51", "#83c5be", "#bc6c25", "#cdb4db", "#a3b18a")
"""One colour per shock, for the shaded windows."""
TRIGGER_COLOUR = "#7b2cbf"
"""The release trigger's line on the days-of-cover panels."""
BASELINE_COLOUR = "#8c8c8c"
"""Grey: the baselines in ``compare.png`` (a line, a bar): the scenario without its agreement, dashed, and each
member holding its share alone, dotted (its bar hatched)."""
RULE_COLOURS = ("#1f5fa6", "#d1495b", "#2a9d8f", "#e9a03b", "#6d597a", "#111111", "#9c6644", "#d45fc0")
"""One colour per rule in ``compare.png``, in the order the rules ran: eight hues apart, none grey (the baselines',
:data:`BASELINE_COLOUR`) nor two blues (:data:`REGION_COLOURS` has three that, taken in turn by every rule,
read as one)."""
