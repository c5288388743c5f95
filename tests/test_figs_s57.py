"""Two figure defects a policy analyst's walkthrough found (session 57).

1. ``compare.png`` of ``long_embargo_6m``: nine release rules have the same curves, drawn one over another, yet the
   legend lists a colour for each; the figure now names the rules whose lines coincide in every panel.
2. ``days_of_cover.png`` of ``embargo_2010`` with the halted cargo lost to the end of 2011 (the ``lost_halt_pool``
   run of docs/getting-started-policy.md): "own pool shares, not drawable" sat at the panel's left, its box over the
   EU's curve and over the dotted lines it names (there on the 60-day line); it now sits beside those lines, clear of
   every curve.
"""

from __future__ import annotations

from simulator.compare import compare
from simulator.plots import compare_figure
from simulator.scenario import load_raw
from tests.helpers import ROOT, shipped_comparison, shipped_group
from tests.test_label_fits import drawn

# --- 1. compare.png names the rules whose lines coincide -------------------------------------------------------


def _notes(fig) -> list:
    """The figure's own texts but its title: the words under its legend, if any."""
    return [t for t in fig.texts if t is not fig._suptitle]


def _footnote(fig) -> str:
    """The words under the figure's legend, their lines joined."""
    return " ".join(" ".join(t.get_text() for t in _notes(fig)).split())


def test_compare_names_the_rules_drawn_one_over_another():
    """hybrid, fair ratio and equal cover leave each member the same cumulative shortfall of long_embargo_6m.

    Worked out from the runs: the three curves are at most 0.0013 t apart on axes of 2,556 t (Japan, light), 1,400 t
    (EU, light), 114 and 70 t (heavy, every rule 0 t) and 5,927 t (EU, magnets, every rule the same); IEA ESS
    leaves Japan 678 t of light rare earths short, not 520 t, and is drawn apart.
    """
    path = "scenarios/long_embargo_6m.yaml"
    comparison = compare(load_raw(ROOT / path), ["hybrid", "fair_ratio", "equal_cover", "iea_ess"], path)
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    words = _footnote(fig)
    assert words == "Drawn one over another (the same curve in every panel): hybrid, fair ratio, equal cover."
    renderer = drawn(fig)
    (note,) = (t.get_window_extent(renderer) for t in _notes(fig))
    legend = fig.legends[0].get_window_extent(renderer)
    figure = fig.bbox
    assert note.y1 <= legend.y0 + 1  # under the legend, not over it
    assert note.y0 >= figure.y0 and figure.x0 <= note.x0 and note.x1 <= figure.x1  # whole inside the figure


@shipped_group("long_embargo_6m")
def test_a_comparison_whose_rules_all_differ_has_no_such_words():
    """hybrid and IEA ESS differ (520 and 678 t of Japan's light rare earths): the figure draws as before, no note."""
    comparison = shipped_comparison("long_embargo_6m")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    assert _notes(fig) == []
