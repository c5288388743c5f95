"""A member's own pool share far above the drawable curves is left off the days-of-cover axis, and named in the panel.

``club_of_five``: Australia puts 1,000 t of light rare earths into the pool and uses 0.3 t a
day, so it owns 1,000 / 0.3 = 3,333 days. The axis ran to 3,500 days and every drawable curve
(at most about 120 days) sat in its bottom 3%.
"""

from __future__ import annotations

from typing import Any

import pytest
from matplotlib.figure import Figure

from simulator.plots import days_of_cover_figure
from tests.helpers import TWO_MEMBERS, build, run, shipped_cover_figure, shipped_group, shipped_result


def panel(fig: Figure, title: str) -> Any:
    """The panel of ``fig`` titled ``title``."""
    (ax,) = [ax for ax in fig.axes if ax.get_title() == title]
    return ax


def notes_naming(fig: Figure, words: str) -> list[str]:
    """Texts drawn in any panel of ``fig`` that contain ``words``."""
    return [t.get_text() for ax in fig.axes for t in ax.texts if words in t.get_text().replace("\n", " ")]


@shipped_group("club_of_five")
def test_club_of_five_light_axis_runs_to_its_drawable_curves_not_to_australias_share():
    fig = shipped_cover_figure("club_of_five")
    ax = panel(fig, "Light rare earths")
    top_days = ax.get_ylim()[1]
    highest_curve_days = max(max(line.get_ydata()) for line in ax.get_lines() if "pool share" not in line.get_label())
    assert highest_curve_days <= top_days <= 200  # every drawable curve on the axis; before: 3,500 days
    assert top_days < 1000 / 0.3  # Australia's share is above it


@shipped_group("club_of_five")
def test_club_of_five_light_panel_names_australias_share_once_with_its_days():
    fig = shipped_cover_figure("club_of_five")
    notes = notes_naming(fig, "Australia's own pool share")
    assert len(notes) == 1  # one note in the whole figure: the heavy panel's shares fit
    assert notes[0] in [t.get_text() for t in panel(fig, "Light rare earths").texts]
    note = notes[0].replace("\n", " ")
    assert "3,333 days" in note and "above the axis" in note  # 1,000 t / 0.3 t a day


def shares_world() -> dict[str, Any]:
    """Two members at 20 days of commercial cover, no shock; Japan owns 2,000 t / 20 t a day = 100 days of the pool
    (under 3 x the 60-day line: it fits), the EU 80,000 t / 80 t a day = 1,000 days (far above everything drawn)."""
    data = build(
        TWO_MEMBERS,
        shocks=[],
        regions__japan__commercial_stock__ree__tonnes=400,
        regions__eu__commercial_stock__ree__tonnes=1600,
    )
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 2000}}, "eu": {"ree": {"tonnes": 80000}}}
    return data


def test_a_share_that_fits_keeps_the_axis_reaching_it_while_one_far_above_is_left_off():
    fig = days_of_cover_figure(run(shares_world()))
    top_days = fig.axes[0].get_ylim()[1]
    assert 100 <= top_days < 1000  # Japan's 100 days on the axis, the EU's 1,000 above it
    (note,) = notes_naming(fig, "own pool share: 1,000 days")
    assert note.replace("\n", " ").startswith("The EU's own pool share: 1,000 days, above the axis")


@shipped_group("club_of_five")
@pytest.mark.parametrize(
    ("ratio", "words"), [(3.0, "more than three times"), (4.0, "more than four times"), (2.5, "more than 2.5 times")]
)
def test_the_report_caption_gives_the_figures_off_scale_ratio_in_words(monkeypatch, ratio, words):
    from simulator import plots, report
    from simulator.report.findings import Run

    # the figure's rule the caption states, by which Australia's light share is left off
    assert plots.SHARE_OFF_SCALE_RATIO == 3.0
    assert report.SHARE_OFF_SCALE_RATIO is plots.SHARE_OFF_SCALE_RATIO  # the caption reads the figure's own rule
    monkeypatch.setattr(report, "SHARE_OFF_SCALE_RATIO", ratio)
    assert f"A share {words} the panel's highest curve" in report._pool_share_note(
        Run.of(shipped_result("club_of_five"))
    )


@shipped_group("club_of_five")
def test_a_note_over_a_raised_top_says_the_share_it_now_reaches_is_drawn_on_some_days():
    from functools import partial

    import numpy as np

    from simulator.plots.notes import note_top
    from simulator.plots.pool_shares import above_axis_lines

    fig = Figure(figsize=(4, 3))
    ax = fig.add_axes((0.15, 0.15, 0.8, 0.7))  # 2.1 in high
    ax.plot(np.linspace(0, 1, 400), 98.0 * (np.arange(400) % 2))  # 0 to 98 days all across: no room for a note
    ax.set(xlim=(0, 1), ylim=(0, 100))
    above = [(4, "australia", np.array([103.0, 400.0]))]  # above the axis's 100 days, as drawn
    note_top(fig, ax, partial(above_axis_lines, shipped_result("club_of_five"), ax, above))
    # a note of two 8 pt lines (leading 1.2) and 4 pt above and below: 27.2 pt of 2.1 in (151.2 pt), 18%;
    # the top raised to 100 / (1 - 0.18) = 122 days, over the share's 103
    assert ax.get_ylim()[1] > 103
    (note,) = [t.get_text().replace("\n", " ") for t in ax.texts]
    assert note == "Australia's own pool share: up to 400 days, above the axis on other days"
