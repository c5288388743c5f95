"""No two registered release rules are one rule under two names.

A rule added to ``simulator.mechanisms`` may turn out to be an existing one written another way: "equal tonnes to
each member with a gap, capped at its gap, the rest split again" is ``equal_awards`` (session 60's walk-through added
it as ``equal_per_member``, and only a count of the cap comparison's tied rows noticed). docs/architecture.md, "... a
release rule", step 1, sends the engineer here. Every rule with a sharing function of its own is run on three small
worlds, worked by hand below, on which the eleven rules of 7 December 2026 all differ; two rules that give the same
awards on all three fail the test, which names them.
"""

from __future__ import annotations

from dataclasses import astuple
from itertools import combinations

import numpy as np
import pytest

from simulator.mechanisms import MECHANISMS
from simulator.release import RuleInputs, allocator


def world(gaps_t: list[float], stock_t: float, demand_t: list[float], own_t: list[float], ratio: list[float]):
    """A day's sharing problem: members short by ``gaps_t`` of ``demand_t``, ``stock_t`` to share (t)."""
    gaps = np.array(gaps_t)
    return RuleInputs(
        gaps_t=gaps,
        available_t=np.array(stock_t),
        baseline_demand_t=np.array(demand_t),
        own_stock_t=np.array(own_t),
        supplied_t=np.array(demand_t) - gaps,
        ratio=np.array(ratio),
        strict=False,
        ess_restraint=np.array(0.07),
        ess_trigger_loss_share=np.array(0.07),
    )


WORLDS = (
    # 60 t against gaps of 20 and 80 (tests/test_agreement.py's day 0): fair ratio and equal awards give 20/40,
    # equal losses 0/60, Talmud 10/50, the proportional rules and equal cover 12/48
    world([20, 80], 60, [20, 80], [0, 0], [0.5, 0.5]),
    # 90 t against 10, 50 and 60, the second member holding 30 t of its own: equal awards offers 30 each, the first
    # takes 10 and its 20 spare go 10/10 to the others (10/40/40); proportional to claims 90/120 of each gap
    # (7.5/37.5/45); proportional to demand 90/200 of demand (18/45/27), the 8 t over the first's gap re-split
    # 100:60 -> 10/50/30; equal cover counts the second's 30 t of stock and so parts from it
    world([10, 50, 60], 90, [40, 100, 60], [0, 30, 0], [0.2, 0.3, 0.5]),
    # 30 t against 0, 30 and 30, demand 30/60/90: the claims rules give 15/15, the demand rules 12/18
    world([0, 30, 30], 30, [30, 60, 90], [10, 0, 0], [0.6, 0.2, 0.2]),
)

RULES_WITH_A_FUNCTION = [m.name for m in MECHANISMS if m.allocate is not None]


def awards(rule: str) -> tuple[float, ...]:
    """The rule's decisions on every world, one flat tuple (an ``EssSharing``'s arrays all counted)."""
    decisions = [allocator(rule)(inputs) for inputs in WORLDS]
    arrays = [part for d in decisions for part in (astuple(d) if not isinstance(d, np.ndarray) else (d,))]
    return tuple(np.round(np.concatenate([np.ravel(a).astype(float) for a in arrays]), 9))


def test_the_worlds_give_the_awards_worked_by_hand():
    # a few of the comments' numbers, so that the battery is known to tell the claims rules apart
    assert allocator("equal_awards")(WORLDS[1]) == pytest.approx([10, 40, 40])
    assert allocator("proportional_to_claims")(WORLDS[1]) == pytest.approx([7.5, 37.5, 45])
    assert allocator("proportional_to_demand")(WORLDS[1]) == pytest.approx([10, 50, 30])
    assert allocator("talmud")(WORLDS[0]) == pytest.approx([10, 50])
    assert allocator("equal_losses")(WORLDS[0]) == pytest.approx([0, 60])


def test_no_two_rules_give_the_same_awards_on_every_world():
    assert len(RULES_WITH_A_FUNCTION) >= 9  # every rule of 7 December 2026 but hybrid and auction: none dropped
    decisions = {rule: awards(rule) for rule in RULES_WITH_A_FUNCTION}
    same = [(a, b) for a, b in combinations(RULES_WITH_A_FUNCTION, 2) if decisions[a] == decisions[b]]
    assert not same, (
        f"{same}: each pair gives the same awards on every world of {__file__}; a new rule that does is the other "
        "under a new name (docs/architecture.md, '... a release rule', step 1). If it is not, add a world on which "
        "it differs, worked by hand"
    )
