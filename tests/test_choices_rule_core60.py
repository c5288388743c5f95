"""What buyers do is a condition of a frontier, wherever it sits (session 60; docs/sweeps.md#choices-and-conditions).

The rule: a choice is a term the agreement sets or a member government's own policy; what buyers
do (commercial or bidding) and what prices are, are conditions. Re-sourcing's ``reaction_days``
(the day of lost supply on which buyers turn to other suppliers) and the auction's
``service_level`` (the safety margin bidders add to what they bid for) were choices.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.sweep.choices import is_choice
from simulator.sweep.figures import sweep_notes

MEMBERS = ["japan", "eu"]
REACTION = "regions.eu.procurement.resourcing.reaction_days"
SERVICE = "agreement.auction.service_level"


@pytest.mark.parametrize(
    ("path", "choice"),
    [
        (REACTION, False),  # how fast the EU's buyers react
        ("regions.japan.procurement.resourcing", False),  # reaction and spot price: both the buyers'
        (SERVICE, False),  # how large a margin bidders ask for
        ("agreement.auction.every_days", True),  # the auction's calendar: the agreement's
        ("agreement.auction.lot_t", True),
        ("regions.eu.procurement.quota.ree.max_share_per_supplier", True),  # a government's dependency target
        ("regions.eu.reserve.ree.days", True),  # its national reserve
    ],
)
def test_what_buyers_do_is_a_condition_and_the_clubs_terms_are_choices(path, choice):
    assert is_choice(path, MEMBERS) is choice


def test_a_grid_over_reaction_days_and_service_level_alone_draws_no_frontier():
    """Two conditions swept (2 x 2 points, one run each): no choice, so no frontier; the note names both."""
    rows = [
        {REACTION: days, SERVICE: level, "total_shortfall_t": 100.0 - days, "fairness_jain": level, "run": 0}
        for days in (7, 30)
        for level in (0.9, 0.99)
    ]
    table = pd.DataFrame(rows).assign(point=range(4))
    notes = sweep_notes(table, {"grid": {REACTION: [7, 30], SERVICE: [0.9, 0.99]}, "members": MEMBERS})
    assert (
        f"sweep_frontier.png not drawn: no choice is swept ({REACTION}, {SERVICE} are conditions, not the club's "
        "to decide): a frontier compares the club's choices under the same conditions"
    ) in notes
