"""What a review of the frontier found, mended: fairness near 1 in words, choices down to the field, condition
groups by value and only where a condition varies, groups without a dot, the grid under the lines, shared labels.

Tables are made by hand so that every median, group and efficient point is known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import simulator.names
import simulator.sensitivity.intervals
import simulator.sensitivity.words
from simulator.sweep import figures
from simulator.sweep.choices import CONDITIONS_AMONG_CHOICES, is_choice
from simulator.sweep.figures import flat_panel, frontier_figure, share_text, sweep_notes
from tests.test_sweep_figures_front59 import one_run_each
from tests.test_sweep_frontier import points_drawn

RATIO, END, SEVERITY = "agreement.ratio.japan", "shocks.china_embargo.end", "shocks.china_embargo.severity"
MEMBERS = ["japan", "eu"]
SWEEPS_MD = Path(__file__).resolve().parent.parent / "docs" / "sweeps.md"


def legend_texts(fig) -> list[str]:
    return [text.get_text() for text in fig.axes[0].get_legend().get_texts()]


# 3: a fairness below 1 is never written as 1


def test_a_fairness_just_below_1_at_every_point_is_not_written_as_1():
    table = pd.DataFrame({RATIO: [0.1, 0.9], "run": [0, 0], "fairness_jain": [0.9996, 0.9996]})
    assert flat_panel(table, "fairness_jain", [RATIO]) == "Fairness (Jain's index): 0.9996 at every point"


def test_a_flat_fairness_band_keeps_3_decimals_where_they_do_not_read_1():
    # 21 runs a point: pandas' 5%, 50% and 95% are the 2nd, 11th and 20th smallest
    runs = [0.5, 0.61234, *[0.7] * 8, 0.92145, *[0.95] * 8, 0.99951, 1.0]
    table = pd.DataFrame({RATIO: [0.1] * 21 + [0.9] * 21, "run": list(range(21)) * 2, "fairness_jain": runs * 2})
    # 0.92145 to 3 decimals 0.921; 0.99951 to 3 is 1.000, to 4 0.9995
    assert flat_panel(table, "fairness_jain", [RATIO]) == (
        "Fairness (Jain's index): median 0.921 at every point (5-95% of runs: 0.612 to 0.9995)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.99999, "above 0.9999"), (0.9994, "0.999"), (0.0004, "0.0004"), (0.25, "0.25"), (1.0, "1"), (0.0, "0")],
)
def test_a_share_reads_1_or_0_only_when_it_is(value, text):
    assert share_text(value) == text


# 6: choices down to the field


@pytest.mark.parametrize(
    ("path", "choice"),
    [
        ("regions.eu.procurement.replenishment", False),  # how commercial buyers order: industry's behaviour
        ("regions.eu.procurement.replenishment.policy", False),
        ("regions.eu.procurement.resourcing.price_multiplier", False),  # the spot price: the market's
        ("regions.eu.procurement.resourcing.reaction_days", False),  # how fast buyers re-source: their behaviour
        ("regions.eu.procurement.resourcing", False),
        ("regions.eu.procurement.quota.light_ree.premium", False),  # a price
        ("regions.eu.procurement.quota.light_ree.max_share_per_supplier", True),
        ("regions.eu.procurement.quota.light_ree.partner_minimum.australia", True),
        ("regions.eu.procurement.quota.light_ree", False),  # holds the premium too
        ("regions.eu.procurement", False),
        ("regions.japan.reserve.light_ree.days", True),
        ("regions.korea.reserve.light_ree.days", False),  # an outsider's own policy, not the club's option
        ("regions.korea.reserve_release.lag_days", False),
        ("regions.korea.procurement.quota.light_ree.max_share_per_supplier", False),
        ("agreement.auction.bids.eu.light_ree", False),  # buyers' willingness to pay
        ("agreement.auction.bids", False),
        ("agreement.auction.pricing", True),
        ("agreement.auction.reserve_price_usd_per_kg.light_ree", True),
        ("agreement.auction", False),  # holds the bids
        ("agreement", False),
    ],
)
def test_a_path_is_a_choice_only_if_the_club_decides_it(path, choice):
    assert is_choice(path, MEMBERS) is choice


def test_an_outsiders_reserve_alone_draws_no_frontier():
    path = "regions.korea.reserve.light_ree.days"
    table = one_run_each(
        [{path: days, "total_shortfall_t": 100.0 - days, "fairness_jain": 0.5 + days / 200} for days in (0, 30, 60)]
    )
    notes = sweep_notes(table, {"grid": {path: [0, 30, 60]}, "members": MEMBERS})
    assert (
        f"sweep_frontier.png not drawn: no choice is swept ({path} is a condition, not the club's to decide): "
        "a frontier compares the club's choices under the same conditions"
    ) in notes


def test_the_docs_list_every_condition_found_among_choices():
    text = SWEEPS_MD.read_text()
    section = text[text.index("### Choices and conditions") :]
    section = section[: section.index("\n## ")]
    for pattern in CONDITIONS_AMONG_CHOICES:  # regions.*.procurement.quota.*.premium as the docs write it
        written = pattern.replace("*", "<m>", 1).replace("*", "<material>", 1)
        assert f"`{written}`" in section


# 7: a condition with one value groups nothing


def test_a_condition_swept_with_one_value_splits_no_group():
    table = one_run_each(
        [
            {RATIO: 0.1, SEVERITY: 1.0, "total_shortfall_t": 10.0, "fairness_jain": 0.8},
            {RATIO: 0.9, SEVERITY: 1.0, "total_shortfall_t": 20.0, "fairness_jain": 0.7},  # beaten on both
        ]
    )
    fig = frontier_figure(table, [RATIO, SEVERITY], MEMBERS)
    assert legend_texts(fig) == ["dominated", "efficient (Pareto)"]
    assert "Pareto within" not in fig.axes[0].get_title()
    assert points_drawn(fig) == {(10.0, 0.8): "efficient (Pareto)", (20.0, 0.7): "dominated"}


def test_only_the_conditions_that_vary_name_the_groups():
    table = one_run_each(
        [
            {RATIO: ratio, END: end, SEVERITY: 1.0, "total_shortfall_t": end + 10 * ratio, "fairness_jain": 0.6}
            for end in (151, 331)
            for ratio in (0.1, 0.9)
        ]
    )
    fig = frontier_figure(table, [RATIO, END, SEVERITY], MEMBERS)
    assert legend_texts(fig)[:2] == ["china_embargo.end 151", "china_embargo.end 331"]
    assert "Pareto within each china_embargo.end\n" in fig.axes[0].get_title()


# 8: groups by value, names told apart


@pytest.mark.parametrize(
    ("first", "second", "names"),
    [
        (0.3, 0.1 + 0.2, ["china_embargo.severity 0.3", "china_embargo.severity 0.30000000000000004"]),
        (0.1234561, 0.1234562, ["china_embargo.severity 0.1234561", "china_embargo.severity 0.1234562"]),
    ],
)
def test_two_values_that_read_alike_are_two_groups_with_two_names(first, second, names):
    table = one_run_each(
        [
            {RATIO: 0.1, SEVERITY: first, "total_shortfall_t": 10.0, "fairness_jain": 0.6},
            {RATIO: 0.9, SEVERITY: first, "total_shortfall_t": 20.0, "fairness_jain": 0.7},
            {RATIO: 0.1, SEVERITY: second, "total_shortfall_t": 30.0, "fairness_jain": 0.5},
            {RATIO: 0.9, SEVERITY: second, "total_shortfall_t": 40.0, "fairness_jain": 0.4},
        ]
    )
    fig = frontier_figure(table, [RATIO, SEVERITY], MEMBERS)
    assert legend_texts(fig)[:2] == names
    # one group, (30, 0.5) would be beaten by (10, 0.6); under its own severity only (40, 0.4) is beaten
    assert points_drawn(fig) == {
        (10.0, 0.6): "efficient (Pareto)",
        (20.0, 0.7): "efficient (Pareto)",
        (30.0, 0.5): "efficient (Pareto)",
        (40.0, 0.4): "dominated",
    }


# 9: a group with no dot is not named


def test_a_group_whose_every_point_has_no_median_is_not_in_the_legend():
    table = one_run_each(
        [
            {
                RATIO: ratio,
                END: end,
                "total_shortfall_t": float("nan") if end == 2 else end + ratio,
                "fairness_jain": 0.6,
            }
            for end in (1, 2, 3)
            for ratio in (0.1, 0.9)
        ]
    )
    fig = frontier_figure(table, [RATIO, END], MEMBERS)
    assert legend_texts(fig)[:-2] == ["china_embargo.end 1", "china_embargo.end 3"]
    assert len(points_drawn(fig)) == 4


# 14: the grid lies under the lines


def test_the_grid_is_drawn_under_the_groups_lines_and_dots():
    table = one_run_each(
        [
            {RATIO: ratio, END: end, "total_shortfall_t": end + 10 * ratio, "fairness_jain": 0.5 + ratio / 4}
            for end in (151, 331)
            for ratio in (0.1, 0.9)
        ]
    )
    ax = frontier_figure(table, [RATIO, END], MEMBERS).axes[0]
    drawn = [*ax.lines, *ax.collections]
    assert min(artist.get_zorder() for artist in drawn) > max(ax.xaxis.get_zorder(), ax.yaxis.get_zorder())


# dots of two groups on one spot are labelled apart


def test_dots_of_two_groups_on_one_spot_get_a_label_each():
    # ratios 0.1 and 0.5 of end 1 on one spot: one label; end 2's 0.1 on that spot too: its own label
    table = one_run_each(
        [
            {RATIO: 0.1, END: 1, "total_shortfall_t": 10.0, "fairness_jain": 0.7},
            {RATIO: 0.5, END: 1, "total_shortfall_t": 10.0, "fairness_jain": 0.7},
            {RATIO: 0.1, END: 2, "total_shortfall_t": 10.0, "fairness_jain": 0.7},
            {RATIO: 0.9, END: 2, "total_shortfall_t": 30.0, "fairness_jain": 0.5},
        ]
    )
    fig = frontier_figure(table, [RATIO, END], MEMBERS)
    labels = sorted(text.get_text() for text in fig.axes[0].texts)
    assert labels == ["0.1 / 1 (+1 alike)", "0.1 / 2", "0.9 / 2"]


# 12b: number_text lives below both the sweep's figures and the sensitivity package


def test_the_sweeps_figures_and_the_sensitivity_words_share_one_number_text():
    assert figures.number_text is simulator.names.number_text
    assert simulator.sensitivity.intervals.number_text is simulator.names.number_text
    assert not hasattr(simulator.sensitivity.words, "number_text")  # one home, no second name to import it by
    source = Path(figures.__file__).read_text()
    assert not re.search(r"^\s+from simulator\.sensitivity", source, re.MULTILINE)  # no import inside a function
