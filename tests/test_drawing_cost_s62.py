"""A label's text is measured once per line, font and resolution, however often a search for its place asks (s62).

The pool shares' labels are placed by trying places along their line (``_line_places``), each
asking :func:`note_place` how wide the label's lines are: the same lines, measured again at every
place (about 2,000 times over the shipped reports' days-of-cover figures). Each measure is now
taken once and kept; a measure is the same for the same line, font, resolution and Agg settings,
so no figure changes (the shipped scenarios' PNG and SVG files were compared byte for byte).
"""

from __future__ import annotations

import matplotlib as mpl
import pytest
from matplotlib.backends.backend_agg import RendererAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from simulator.plots import note_place, text_width_in
from simulator.plots.style import PNG_DPI
from simulator.plots.text import drawn_width_in

# words no other test measures, so that none of them is kept from before this test
FIRST = "s62 cost test: own pool shares = 60 days,"
SECOND = "s62 cost test: not drawable under the rule"
WHOLE = f"{FIRST} {SECOND}"


def _counting(monkeypatch, measurer: type) -> list[str]:
    """The texts ``measurer.get_text_width_height_descent`` measured from now on, in order."""
    measured: list[str] = []
    original = measurer.get_text_width_height_descent

    def counted(self, s, prop, ismath):
        measured.append(s)
        return original(self, s, prop, ismath)

    monkeypatch.setattr(measurer, "get_text_width_height_descent", counted)
    return measured


@pytest.fixture
def agg_measures(monkeypatch):
    """The texts Agg's renderer measured (RendererAgg.get_text_width_height_descent), in order."""
    return _counting(monkeypatch, RendererAgg)


@pytest.fixture
def outline_measures(monkeypatch):
    """The texts measured from their glyphs' outlines (TextToPath.get_text_width_height_descent), in order."""
    return _counting(monkeypatch, TextToPath)


def test_a_search_of_twenty_places_measures_each_line_once_per_resolution(agg_measures):
    fig = Figure(figsize=(4, 3), dpi=100)
    ax = fig.add_axes((0.1, 0.1, 0.8, 0.8))
    tries = [([FIRST, SECOND], 1.0, 0.2), ([WHOLE], 1.0, 0.1)]  # broken after the comma, and whole
    found = [
        note_place(fig, ax, tries, lambda _, left=left: (left,), lambda *_: [], pad=0.02, downward=True)
        for left in [k / 40 for k in range(20)]
    ]
    # 20 places x 3 lines x 2 resolutions (100 and 110 dpi) = 120 measures before; now 3 lines x 2 resolutions
    assert float(mpl.rcParams["figure.dpi"]) != PNG_DPI
    assert sorted(agg_measures) == sorted([FIRST, SECOND, WHOLE] * 2)
    # nothing under the note: each place puts it 0.02 under the frame's top, at its own left, in two lines (the
    # whole line, about 80 characters of 8 pt, is wider than the 3.2-inch panel: passed over)
    assert drawn_width_in([WHOLE], 8.0) > 0.8 * 4 > drawn_width_in([FIRST, SECOND], 8.0)
    assert all(place is not None for place in found)
    assert [place[0] for place in found] == pytest.approx([1 - 0.02 - 0.2] * 20)
    assert [place[3] for place in found] == [[FIRST, SECOND]] * 20
    assert [place[1] for place in found] == pytest.approx([k / 40 for k in range(20)])


def test_a_kept_measure_is_agg_s_own_at_each_resolution(agg_measures):
    fig_dpi = float(mpl.rcParams["figure.dpi"])
    first = drawn_width_in([f"{WHOLE} (kept)"], 8.5)
    again = drawn_width_in([f"{WHOLE} (kept)"], 8.5)
    assert len(agg_measures) == 2  # once at each resolution, not again
    font = FontProperties(size=8.5)
    widths = [
        RendererAgg(1, 1, dpi).get_text_width_height_descent(f"{WHOLE} (kept)", font, False)[0] / dpi
        for dpi in (fig_dpi, PNG_DPI)
    ]
    assert first == again == max(widths)


def test_another_size_or_setting_is_measured_anew(agg_measures):
    line = f"{WHOLE} (sizes)"
    small = drawn_width_in([line], 8.0)
    large = drawn_width_in([line], 16.0)
    assert len(agg_measures) == 4  # two fonts x two resolutions
    assert 1.9 < large / small < 2.1  # twice the size: about twice as wide (hinting rounds each glyph)
    with mpl.rc_context({"text.hinting": "no_hinting"}):
        drawn_width_in([line], 8.0)
    assert len(agg_measures) == 6  # a setting Agg's measure depends on changed: measured again
    assert drawn_width_in([line], 8.0) == small  # and the one kept for the settings as they were
    assert len(agg_measures) == 6


def test_wrapping_a_label_measures_each_text_once_per_font(outline_measures):
    text = f"{WHOLE}, and more words to wrap"
    text_width_in([text], 8.5)
    text_width_in([text], 8.5)
    text_width_in([text], 8.5, weight="bold")
    assert outline_measures == [text, text]  # normal and bold, once each
    font = FontProperties(size=8.5)
    assert text_width_in([text], 8.5) == TextToPath().get_text_width_height_descent(text, font, False)[0] / 72
