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
"""The first ten regions' colours, in the scenario's order: a scenario of up to ten regions is drawn in these."""
MORE_REGION_COLOURS = ("#56b4e9", "#d55e00", "#117733", "#882255", "#999933", "#aa4499", "#88ccee", "#ddcc77")
"""The regions' colours after :data:`REGION_COLOURS`' ten (the 11th region on): Okabe and Ito's sky blue and
vermilion, Paul Tol's green, wine, olive, purple, cyan and sand, colour-blind safe and apart from the ten. Before
them the 11th region took the 1st's blue, dashed, and its release bars (solid) were the 1st's: a 12-member scenario
drew Japan in Germany's blue and South Korea in France's red."""
REGION_PALETTE = (*REGION_COLOURS, *MORE_REGION_COLOURS)
"""Every region's colour, in the scenario's order (:func:`region_colour`): the one list the run's figures, the
report's, the fan charts and the explorer page take a region's colour from."""
LINE_STYLES = ("-", "--", ":", "-.")
"""Matplotlib line styles: the regions after the colours run out take the next one (:func:`region_dashes`)."""
MAX_REGIONS = len(REGION_PALETTE) * len(LINE_STYLES)
"""Most regions a figure tells apart: the distinct pairs of a colour and a line style (:func:`region_colour`,
:func:`region_dashes`) that the run's curves take; checked before any run, without Matplotlib."""


def region_colour(i: int) -> str:
    """The colour of the ``i``-th region (from 0) in every figure and the explorer page: one of its own up to 18.

    The first ten are :data:`REGION_COLOURS` (a scenario of up to ten regions is drawn as before), then
    :data:`MORE_REGION_COLOURS`; past 18 they repeat (:func:`region_dashes` tells those apart where a figure's
    curves can take a line style).

    >>> region_colour(0), region_colour(10), region_colour(18)
    ('#1f5fa6', '#56b4e9', '#1f5fa6')
    """
    return REGION_PALETTE[i % len(REGION_PALETTE)]


def region_dashes(i: int) -> str:
    """The line style of the ``i``-th region's curves: solid for the first 18 (:func:`region_colour`), then the next.

    >>> region_dashes(11), region_dashes(18), region_dashes(MAX_REGIONS - 1)
    ('-', '--', '-.')
    """
    return LINE_STYLES[i // len(REGION_PALETTE) % len(LINE_STYLES)]


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
