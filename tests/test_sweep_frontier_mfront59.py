"""What a review of the frontier found, mended: fairness near 1 in words, one number_text below both packages,
choices down to the field.

Tables are made by hand so that every median, group and efficient point is known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import simulator.names
import simulator.sensitivity.words
from simulator.sweep import figures
from simulator.sweep.choices import CONDITIONS_AMONG_CHOICES, is_choice
from simulator.sweep.figures import flat_panel, share_text, sweep_notes

RATIO = "agreement.ratio.japan"
MEMBERS = ["japan", "eu"]
SWEEPS_MD = Path(__file__).resolve().parent.parent / "docs" / "sweeps.md"


def one_run_each(points: list[dict]) -> pd.DataFrame:
    """A sweep table of one run per point, the points numbered in the order given."""
    table = pd.DataFrame(points)
    table.insert(0, "point", range(len(table)))
    table.insert(1, "run", 0)
    table.insert(2, "seed", 0)
    return table


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
    [(0.99999, "0.99999"), (0.9994, "0.999"), (0.0004, "0.0004"), (0.25, "0.25"), (1.0, "1"), (0.0, "0")],
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
        ("regions.eu.procurement.resourcing.reaction_days", True),
        ("regions.eu.procurement.resourcing", False),  # holds the spot price too
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


# 12b: number_text lives below both the sweep's figures and the sensitivity package


def test_the_sweeps_figures_and_the_sensitivity_words_share_one_number_text():
    assert figures.number_text is simulator.names.number_text
    assert simulator.sensitivity.words.number_text is simulator.names.number_text
    source = Path(figures.__file__).read_text()
    assert not re.search(r"^\s+from simulator\.sensitivity", source, re.MULTILINE)  # no import inside a function
