"""Text in figures: made plain (no mathtext), measured from the font and broken into lines that fit.

Layer: studies.

Every figure's titles, axis labels, legend entries and notes are measured and wrapped
here: the run's figures, the sweep's and the sensitivity's.
"""

from __future__ import annotations

import functools
from typing import Any

from simulator.plots.style import PNG_DPI


def plain_text(value: Any) -> str:
    r"""``value`` as plain text for Matplotlib: every ``$`` escaped, so that no text is read as mathtext.

    Matplotlib reads a text with two ``$`` as a formula (``$x$``) and raises on one it cannot
    parse (``China $\frac$ x``); escaped, it draws the ``$`` as typed. Every text a scenario
    or a user gives (names, labels, shock descriptions, titles) goes through here, once,
    on its way into a figure: a backslash without a ``$`` is drawn as typed anyway.

    >>> plain_text("cost $5-$10")
    'cost \\$5-\\$10'
    """
    return str(value).replace("$", r"\$")


HINTED_TEXT = 1.04
"""How much wider than its glyphs' outlines (:func:`text_width_in`) Agg may draw a text: its hinting rounds each
glyph, 1.5-3.3% wider at 100 dpi (a 6.50 inch legend label drawn 6.69 inches wide)."""


def drawn_width_in(texts: list[str], size: float) -> float:
    """Width in inches of the widest line of ``texts`` as Agg draws it at ``size``, 0 for none.

    Measured at Matplotlib's default resolution (a figure shown or measured as made) and at
    :data:`PNG_DPI`, the wider of the two: hinting makes a text a few percent wider than
    :func:`text_width_in` measures it, by an amount that depends on the resolution. Each line is
    measured once per font and resolution (:func:`_measured_width`): a search for a label's place
    asks for the same lines at many places.
    """
    import matplotlib as mpl
    from matplotlib.font_manager import FontProperties

    font, settings = FontProperties(size=size), _text_settings()
    lines = [line for text in texts for line in text.split("\n")]
    return max(
        (
            _measured_width(line, font, dpi, settings) / dpi
            for dpi in (float(mpl.rcParams["figure.dpi"]), PNG_DPI)
            for line in lines
        ),
        default=0.0,
    )


_TEXT_SETTINGS = (
    *(f"font.{key}" for key in ("family", "style", "variant", "weight", "stretch", "size")),
    *(f"font.{family}" for family in ("serif", "sans-serif", "cursive", "fantasy", "monospace")),
    "font.enable_last_resort",
    "text.hinting",
    "text.kerning_factor",
)
"""The settings a text's measure depends on besides its font's properties and the resolution: those Matplotlib
finds a font file by (its ``findfont``), the fallback font, and how FreeType hints and kerns the glyphs."""


def _text_settings() -> tuple[Any, ...]:
    """The values of :data:`_TEXT_SETTINGS` now (lists as tuples): part of the key a measured width is kept under."""
    import matplotlib as mpl

    return tuple(
        tuple(value) if isinstance(value, list) else value for value in (mpl.rcParams[name] for name in _TEXT_SETTINGS)
    )


@functools.lru_cache(maxsize=8192)
def _measured_width(line: str, font: Any, dpi: float, settings: tuple[Any, ...]) -> float:
    """Width in pixels of the one line ``line`` as Agg draws it in ``font`` at ``dpi`` under ``settings``.

    Kept per line, font, resolution and :func:`_text_settings` (the arguments): the same
    measure every time, taken once.
    """
    return _agg(dpi).get_text_width_height_descent(line, font, ismath=False)[0]


def _agg(dpi: float) -> Any:
    """A renderer of Agg at ``dpi``, to measure text with (made once per resolution)."""
    if dpi not in _RENDERERS:
        from matplotlib.backends.backend_agg import RendererAgg

        _RENDERERS[dpi] = RendererAgg(1, 1, dpi)
    return _RENDERERS[dpi]


_RENDERERS: dict[float, Any] = {}


def agg_renderer(fig: Any) -> Any:
    """The renderer Agg draws ``fig`` with, to measure its texts and boxes where they will be drawn, without drawing.

    Its own canvas's where that is Agg's; else a new Agg canvas's, which becomes ``fig``'s
    (a :class:`~matplotlib.figure.Figure` made without pyplot has none).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return (fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)).get_renderer()


TITLE_LINE_IN = 0.22
"""Height of a line of a figure's 12 pt title, inches."""
TITLE_CHAR_IN = 0.105
"""Width of an average character of a 12 pt bold title, inches (DejaVu Sans, measured generously)."""


def wrapped_title(title: str, width_in: float, char_in: float = TITLE_CHAR_IN, margin_in: float = 0.3) -> list[str]:
    """``title`` in lines that fit a figure ``width_in`` inches wide, 20 characters at least (:func:`wrapped_lines`).

    ``char_in``: the width of an average character (a figure's 12 pt bold title by default);
    ``margin_in``: what the lines leave free of the width. Every figure's titles and axis labels
    that are wrapped to a width in inches are wrapped here: the run's, the sweep's, the sensitivity's.

    >>> wrapped_title("a title that is long enough to be broken in two", 3.0)
    ['a title that is long', 'enough to be broken in', 'two']
    """
    return wrapped_lines(title, max(20, int((width_in - margin_in) / char_in)))


def wrapped_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters: at spaces, else also after a path's dots.

    Broken at spaces alone where every line then fits (never at a hyphen); a swept path has no
    spaces to break at: ``agreement.pool.contributions.eu.light_ree.days`` breaks after a dot.
    A part still longer than ``width`` is cut into lines of ``width`` characters.

    >>> wrapped_lines("agreement.pool.contributions.eu.light_ree.days (days)", 36)
    ['agreement.pool.contributions.eu.', 'light_ree.days (days)']
    >>> wrapped_lines("sweep of agreement.ratio.japan x shocks.halt.end", 80)
    ['sweep of agreement.ratio.japan x shocks.halt.end']
    >>> wrapped_lines("", 10), wrapped_lines("abcdefghij_abcdefghij", 10)
    ([''], ['abcdefghij', '_abcdefghi', 'j'])
    >>> wrapped_lines("abcdefghijklmnopq-rstuvwxyz", 20)  # cut at the width, not at the hyphen
    ['abcdefghijklmnopq-rs', 'tuvwxyz']
    """
    import re
    import textwrap

    width = max(width, 1)
    lines = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if any(len(line) > width for line in lines):  # a word too long: broken after its dots
        lines, line = [], ""
        for part in re.findall(r"[^ .]*\.|[^ .]+ ?| ", text):
            if line and len((line + part).rstrip()) > width:
                lines.append(line.rstrip())
                line = part.lstrip()
            else:
                line += part
        lines += [line.rstrip()] if line.strip() else []
        lines = [
            cut
            for line in lines
            for cut in ([line] if len(line) <= width else textwrap.wrap(line, width, break_on_hyphens=False))
        ]
    return lines or [""]


def label_lines(text: str, size: float, width_in: float | None) -> list[str]:
    """``text`` in lines at most ``width_in`` wide at ``size``: whole if it fits, else broken after commas, then spaces.

    A label too long for its panel (a report's panel is 2.6 inches wide) is broken where its
    clauses end before any word is moved on; a single word longer than ``width_in`` stays whole.

    >>> label_lines("own pool shares = 60 days, not drawable under the rule", 8.5, 2.5)
    ['own pool shares = 60 days,', 'not drawable under the rule']
    >>> label_lines("own pool shares = 60 days, not drawable under the rule", 8.5, 4.0)
    ['own pool shares = 60 days, not drawable under the rule']
    """
    if width_in is None or text_width_in([text], size) <= width_in:
        return [text]
    clauses = text.split(", ")
    lines: list[str] = []
    for k, clause in enumerate(clauses):
        clause = clause if k == len(clauses) - 1 else f"{clause},"
        if lines and text_width_in([f"{lines[-1]} {clause}"], size) <= width_in:
            lines[-1] = f"{lines[-1]} {clause}"
        else:
            lines.extend(wrapped_at_spaces(clause, size, width_in))
    return lines


def fewest_lines(text: str, size: float, width_in: float) -> list[str]:
    """``text`` in as few lines at most ``width_in`` wide at ``size`` as it goes into: an axis label under its panel.

    Broken after its commas where that takes no more lines (:func:`label_lines`), else at spaces alone
    (:func:`wrapped_at_spaces`): ``compare.png``'s totals' label ``shortfall, t of lithium chemicals (product weight)``
    took three lines broken after its comma, two at spaces. A word longer than ``width_in`` stays whole.

    >>> fewest_lines("shortfall, t of lithium chemicals (product weight)", 8, 1.6)
    ['shortfall, t of lithium', 'chemicals (product weight)']
    >>> fewest_lines("own pool shares = 60 days, not drawable under the rule", 8.5, 2.5)
    ['own pool shares = 60 days,', 'not drawable under the rule']
    """
    clauses = label_lines(text, size, width_in)
    if len(clauses) == 1:
        return clauses
    words = wrapped_at_spaces(text, size, width_in)
    return clauses if len(clauses) <= len(words) else words


def wrapped_at_spaces(text: str, size: float, width_in: float) -> list[str]:
    """``text`` broken at spaces into lines at most ``width_in`` wide when set at ``size`` (a long word stays whole).

    Matplotlib's own wrapping breaks at the figure's edge, not the panel's frame.
    """
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width_in([f"{lines[-1]} {word}"], size) <= width_in:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def text_width_in(texts: list[str], size: str | float, weight: str = "normal") -> float:
    """Width in inches of the widest of ``texts`` set at ``size`` (and ``weight``) in the default font, 0 for none.

    Measured from the font's glyphs, without drawing (as the figure's text will be set); each
    text once per font (:func:`_outline_width`): a label broken to fit is measured line by line
    as its words are added, and again for each width tried.
    """
    from matplotlib.font_manager import FontProperties

    font, settings = FontProperties(size=size, weight=weight), _text_settings()
    return max((_outline_width(text, font, settings) for text in texts), default=0.0) / 72


@functools.lru_cache(maxsize=8192)
def _outline_width(text: str, font: Any, settings: tuple[Any, ...]) -> float:
    """Width in points of ``text`` as its glyphs' outlines in ``font`` make it under ``settings`` (the key kept)."""
    from matplotlib.textpath import text_to_path

    return text_to_path.get_text_width_height_descent(text, font, ismath=False)[0]
