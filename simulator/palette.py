"""The colours of the figures and the explorer page, apart from Matplotlib: regions, shocks, rules, trigger, baselines.

Layer: ground (imports nothing from the project). The explorer page draws with these
colours too; importing them from here keeps its command from importing Matplotlib.
"""

REGION_COLOURS = (
    "#1f5fa6",
    "#d1495b",
    "#2a9d8f",
    "#c17a00",
    "#6d597a",
    "#111111",
    "#b15928",
    "#332288",
    "#3d405b",
    "#b5838d",
)
"""The first ten regions' colours, in the scenario's order: a scenario of up to ten regions is drawn in these.

Each is at least 3:1 on white (WCAG's minimum for lines and shapes) and the first eight stay apart under deuteranopia
and protanopia (CIE76 distance at least 15 after Machado et al.'s simulation: ``tests/test_palette_contrast_s65.py``).
Japan's blue and the EU's red, first and second, are those of every two-member figure before; the orange
``#e9a03b`` (2.2:1), the sage ``#81b29a`` (2.4:1) and the brown ``#9c6644`` (6.6 from the red under deuteranopia)
gave way to a darker orange, a rust and an indigo, and the near-black moved up from the 9th."""
MORE_REGION_COLOURS = ("#e31a1c", "#d55e00", "#117733", "#882255", "#999933", "#aa4499", "#7a5c00", "#2ca02c")
"""The regions' colours after :data:`REGION_COLOURS`' ten (the 11th region on): a bright red, Okabe and Ito's
vermilion, Paul Tol's green, wine, olive and purple, a dark ochre and a green, each at least 3:1 on white and apart
from the ten (Okabe and Ito's sky blue and Tol's cyan and sand, 1.6 to 2.3:1, gave way to the red, ochre and
green). Before them the 11th region took the 1st's blue, dashed, and its release bars (solid) were the 1st's:
a 12-member scenario drew Japan in Germany's blue and South Korea in France's red."""
REGION_PALETTE = (*REGION_COLOURS, *MORE_REGION_COLOURS)
"""Every region's colour, in the scenario's order (:func:`region_colour`): the one list the run's figures, the
report's, the fan charts and the explorer page take a region's colour from."""
LineStyle = str | tuple[float, tuple[float, ...]]
"""A Matplotlib line style: a name (``"--"``) or an offset and a dash pattern in points."""
DASH_DOT_DOT: LineStyle = (0, (4, 1.5, 1, 1.5, 1, 1.5))
"""Dash, dot, dot: a fourth style that is not dotted (the trigger, the pool shares and the grouped members' lines are
dotted in the days-of-cover figure)."""
LINE_STYLES: tuple[LineStyle, ...] = ("-", "--", "-.", DASH_DOT_DOT)
"""Matplotlib line styles: the first two regions' curves solid, the others' dashed, dash-dotted or dash-dot-dotted in
turn, so that colour is not their only cue; past the colours (:func:`region_colour`) each takes the next style
(:func:`region_dashes`)."""
MAX_REGIONS = len(REGION_PALETTE) * len(LINE_STYLES)
"""Most regions a figure tells apart: the distinct pairs of a colour and a line style (:func:`region_colour`,
:func:`region_dashes`) that the run's curves take; checked before any run, without Matplotlib."""


def region_colour(i: int) -> str:
    """The colour of the ``i``-th region (from 0) in every figure and the explorer page: one of its own up to 18.

    The first ten are :data:`REGION_COLOURS` (a scenario of up to ten regions is drawn as before), then
    :data:`MORE_REGION_COLOURS`; past 18 they repeat (:func:`region_dashes` tells those apart where a figure's
    curves can take a line style).

    >>> region_colour(0), region_colour(10), region_colour(18)
    ('#1f5fa6', '#e31a1c', '#1f5fa6')
    """
    return REGION_PALETTE[i % len(REGION_PALETTE)]


def region_dashes(i: int) -> LineStyle:
    """The line style of the ``i``-th region's curves: the first two solid, then dashed, dash-dotted, dash-dot-dotted.

    Colour alone told the third region's curves from the fourth's (both solid, 1 pt): a reader who cannot tell the
    hues apart had nothing else. Past 18 regions (:func:`region_colour` repeats) each style moves on by one, so that
    a colour's 4 regions (0, 18, 36, 54) take the 4 styles.

    >>> region_dashes(0), region_dashes(1), region_dashes(2), region_dashes(3), region_dashes(4), region_dashes(5)
    ('-', '-', '--', '-.', (0, (4, 1.5, 1, 1.5, 1, 1.5)), '--')
    >>> region_dashes(18), region_dashes(MAX_REGIONS - 1)
    ('--', '-')
    """
    colour = i % len(REGION_PALETTE)
    first = 0 if colour < 2 else 1 + (colour - 2) % (len(LINE_STYLES) - 1)
    return LINE_STYLES[(first + i // len(REGION_PALETTE)) % len(LINE_STYLES)]


SHOCK_COLOURS = ("#f4a261", "#9d8ec7", "#8ab17d", "#aaaa00", "#b5838d", "#bc6c25", "#cdb4db", "#ffaabb")
"""One colour per shock, for the shaded windows: light (the bands lie under the curves), any two at least 15 apart
(CIE76) seen normally and under deuteranopia and protanopia; ``#e76f51``, ``#83c5be`` and ``#a3b18a`` were 4 to 13
from the orange, the lilac and the green there (a wash behind lines is no line: their contrast on white, 1.8 to
4:1, is not held to 3:1)."""
SUPPLIER_COLOURS = ("#556b2f", "#004488", "#ee3377", "#009988", "#b8860b", "#4477aa")
"""One colour per supplier in the supply-mix figure, in the scenario's order: its stacked layers are filled, so each
is at least 3:1 on white and any two at least 20 apart (CIE76), also under deuteranopia and protanopia. None is a
shock's (:data:`SHOCK_COLOURS`): the first supplier (China) was the first shock's orange, a quota in the next figure."""
TRIGGER_COLOUR = "#7b2cbf"
"""The release trigger's line on the days-of-cover panels."""
BASELINE_COLOUR = "#8c8c8c"
"""Grey: the baselines in ``compare.png`` (a line, a bar): the scenario without its agreement, dashed, and each
member holding its share alone, dotted (its bar hatched)."""
RULE_COLOURS = REGION_COLOURS[:8]
"""One colour per rule in ``compare.png``, in the order the rules ran: the regions' first eight, at least 3:1 on
white and apart under deuteranopia and protanopia; none grey (the baselines', :data:`BASELINE_COLOUR`). The orange
``#e9a03b`` was 2.2:1 and the brown ``#9c6644`` 6.6 from the red under deuteranopia. The teal is near the grey
there (5): each rule has a marker of its own too (:func:`simulator.plots.comparison.rule_style`), the baselines
dashed or dotted lines without markers."""
