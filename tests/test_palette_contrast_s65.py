"""The figures' colours pass WCAG's contrast for graphics and stay apart for colour-blind readers; colour is not the
only cue where lines of many colours share a panel.

An accessibility review (session 65) measured the palette: five region colours and the rule "proportional to
demand"'s orange under 3:1 on white, "fair ratio"'s red 6.6 from "need with restraint"'s brown under deuteranopia,
the fan charts' bands (a light fill without an edge) at 1.3:1, the eight rules' curves all solid lines told apart by
colour alone.

Contrast is WCAG 2's (relative luminance of sRGB, (L1 + 0.05) / (L2 + 0.05)); its minimum for graphical objects
(lines, bars, filled areas that carry data: success criterion 1.4.11) is 3:1. Colour-blind vision is simulated with
Machado, Oliveira and Fernandes (2009)'s matrices at severity 1 (dichromacy, the strongest), applied to linear RGB;
distance is CIE76 (Euclidean in CIE L*a*b*, D65). The threshold is 15: a just-noticeable difference is about 2.3,
but curves are 1 to 2 pt wide and small areas of colour look closer than large ones, so the pairs that read as one
in the review's simulated figures (4 to 13: the red and the brown, the teal and the sage, the two greens of the
shocks) all lie under it, while the two-member figures' blue and red (49 at the least, under protanopia) lie far
above.
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from matplotlib.colors import to_hex, to_rgb

from simulator import palette
from simulator.compare import compare
from simulator.plots import compare_figure
from simulator.sensitivity.figures import fan_figure
from tests.test_compare_baseline import LOPSIDED

CONTRAST_MIN = 3.0
"""WCAG 2.1's success criterion 1.4.11: graphical objects need 3:1 against what is next to them."""
DELTA_E_MIN = 15.0
"""Least CIE76 distance between two colours of one set, seen normally and under either simulated dichromacy."""
MACHADO = {
    "deuteranopia": np.array(
        [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]]
    ),
    "protanopia": np.array(
        [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]]
    ),
}
"""Machado et al. (2009), severity 1.0: linear RGB in, linear RGB out."""


def linear(colour: str) -> np.ndarray:
    """sRGB channels (0-1) made linear, as WCAG defines them: c / 12.92 to 0.04045, else ((c + 0.055) / 1.055)^2.4."""
    c = np.array(to_rgb(colour))
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def luminance(rgb_linear: np.ndarray) -> float:
    """WCAG's relative luminance: 0.2126 R + 0.7152 G + 0.0722 B of the linear channels."""
    return float(rgb_linear @ np.array([0.2126, 0.7152, 0.0722]))


def contrast(colour: str, background: str = "#ffffff") -> float:
    """WCAG's contrast ratio, (lighter + 0.05) / (darker + 0.05)."""
    a, b = sorted((luminance(linear(colour)), luminance(linear(background))))
    return (b + 0.05) / (a + 0.05)


def lab(rgb_linear: np.ndarray) -> np.ndarray:
    """CIE L*a*b* (D65 white) of linear sRGB."""
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ rgb_linear
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > 0.008856, np.cbrt(t), 7.787 * t + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(colour: str, vision: str) -> np.ndarray:
    """``colour``'s L*a*b* as a reader with ``vision`` (``normal`` or a key of :data:`MACHADO`) sees it."""
    rgb = linear(colour)
    if vision != "normal":
        rgb = np.clip(MACHADO[vision] @ rgb, 0, 1)
    return lab(rgb)


def closest(colours: tuple[str, ...]) -> tuple[float, str, str, str]:
    """The least distance between two of ``colours`` under any vision, with the pair and the vision."""
    return min(
        (float(np.linalg.norm(seen(a, v) - seen(b, v))), a, b, v)
        for a, b in itertools.combinations(colours, 2)
        for v in ("normal", *MACHADO)
    )


def test_the_formulas_give_the_known_values():
    """Black on white is 21:1 and #777777 4.48:1 (WCAG's examples); white is L* 100, black 0; a grey is grey to all.

    Deuteranopes see red (#ff0000) and green (#00ff00) closer than normal readers do (Machado's matrices are built so).
    """
    assert contrast("#000000") == pytest.approx(21.0)
    assert contrast("#777777") == pytest.approx(4.48, abs=0.005)
    assert seen("#ffffff", "normal") == pytest.approx([100.0, 0.0, 0.0], abs=0.05)
    assert seen("#000000", "normal") == pytest.approx([0.0, 0.0, 0.0], abs=1e-9)
    grey = seen("#808080", "normal")
    assert seen("#808080", "deuteranopia") == pytest.approx(grey, abs=0.5)
    red_green = {v: float(np.linalg.norm(seen("#ff0000", v) - seen("#00ff00", v))) for v in ("normal", *MACHADO)}
    assert red_green["deuteranopia"] < red_green["normal"] / 2


@pytest.mark.parametrize("name", ["REGION_PALETTE", "RULE_COLOURS", "SUPPLIER_COLOURS"])
def test_every_region_rule_and_supplier_colour_is_3_to_1_on_white(name):
    """Each is drawn as a line or a filled area on white: #e9a03b (2.20), #88ccee (1.76), #ddcc77 (1.62) were not."""
    colours = getattr(palette, name)
    low = {c: round(contrast(c), 2) for c in colours if contrast(c) < CONTRAST_MIN}
    assert not low


@pytest.mark.parametrize(
    ("name", "count"), [("REGION_PALETTE", 8), ("RULE_COLOURS", 8), ("SHOCK_COLOURS", 8), ("SUPPLIER_COLOURS", 6)]
)
def test_the_colours_stay_apart_for_colour_blind_readers(name, count):
    """The first eight regions, the rules, the shocks, the suppliers: no two closer than 15, normally or simulated.

    Before: regions and rules 6.6 (#d1495b, #9c6644 under deuteranopia), shocks 4.0 (#8ab17d, #a3b18a).
    """
    colours = tuple(getattr(palette, name))[:count]
    assert len(colours) == count
    distance, a, b, vision = closest(colours)
    assert distance >= DELTA_E_MIN, (a, b, vision, round(distance, 1))


def test_japan_and_the_eu_keep_their_colours_and_no_supplier_is_a_shock():
    """The shipped replay's two members are drawn as before; a supplier's layer is not read as a quota's strip."""
    assert palette.REGION_PALETTE[:2] == ("#1f5fa6", "#d1495b")
    assert not set(palette.SUPPLIER_COLOURS) & set(palette.SHOCK_COLOURS)


def test_a_regions_style_is_not_its_colour_alone_from_the_third_on():
    """The first two solid (the two-member figures as before); the others dashed, dash-dotted, dash-dot-dotted in turn.

    Not dotted: the days-of-cover figure's trigger, pool shares and grouped members are dotted lines."""
    styles = [palette.region_dashes(i) for i in range(8)]
    dash_dot_dot = (0, (4, 1.5, 1, 1.5, 1, 1.5))
    assert styles == ["-", "-", "--", "-.", dash_dot_dot, "--", "-.", dash_dot_dot]
    # two regions of one style differ in colour, and no two of the first 18 of one colour exist
    assert len({(palette.region_colour(i), palette.region_dashes(i)) for i in range(palette.MAX_REGIONS)}) == (
        palette.MAX_REGIONS
    )


def test_the_fan_charts_band_has_its_5th_and_95th_percentiles_drawn_as_lines():
    """A band from 10 to 30 t a day (median 20 t): thin lines at 10 and 30 in the region's colour, the median 1.6 pt."""
    days = 5
    bands = {key: np.full((days, 1, 1), value) for key, value in (("p5", 10.0), ("p50", 20.0), ("p95", 30.0))}
    fig = fan_figure(bands, np.full((days, 1, 1), 20.0), ["japan"], ["ree"], None, "Shortfall", "t/day", 100)
    ax = fig.axes[0]
    lines = {(float(line.get_ydata()[0]), line.get_linewidth()): to_hex(line.get_color()) for line in ax.get_lines()}
    colour = palette.region_colour(0)
    assert lines[(10.0, 0.8)] == lines[(30.0, 0.8)] == lines[(20.0, 1.6)] == colour
    # a 5th percentile of 0 every day is not drawn: it would lie on the axis, as the curves at 0 the chart leaves out
    bands["p5"] = np.zeros((days, 1, 1))
    ax = fan_figure(bands, np.full((days, 1, 1), 20.0), ["japan"], ["ree"], None, "Shortfall", "t/day", 100).axes[0]
    assert sorted(float(line.get_ydata()[0]) for line in ax.get_lines()) == [20.0, 20.0, 30.0]


def test_compare_draws_each_rule_in_a_colour_and_a_marker_of_its_own():
    """Eight rules in one panel: eight colours and eight markers, so a reader who cannot tell two hues apart can tell
    the rules by marker; the grey baselines (dashed, dotted) carry none."""
    rules = [
        "fair_ratio",
        "proportional_to_demand",
        "need_with_restraint",
        "equal_cover",
        "proportional_to_claims",
        "iea_ess",
        "equal_awards",
        "equal_losses",
    ]  # eight that need no auction bids (LOPSIDED has none)
    comparison = compare(LOPSIDED, rules, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    japan = next(ax for ax in fig.axes if ax.get_title() == "Japan, rare earths")
    baselines = [line for line in japan.get_lines() if to_hex(line.get_color()) == palette.BASELINE_COLOUR]
    drawn = [line for line in japan.get_lines() if line not in baselines]
    assert len(drawn) == 8 and len(baselines) == 2
    assert len({to_hex(line.get_color()) for line in drawn}) == 8
    assert len({line.get_marker() for line in drawn}) == 8
    assert all(line.get_marker() in ("None", "", None) for line in baselines)
