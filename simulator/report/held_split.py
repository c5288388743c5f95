"""Which run splits the shortage which way, where a pool is partly stocks held today.

Layer: studies.

Where ``agreement.pool.already_held`` lists some members and others put stock in too, the
verdict's column *Short with the stocks held today* runs no agreement at all: the members
listed draw their own stock alone and the others' contributions are held by no one
(:func:`simulator.counterfactuals.status_quo_scenario`). A scenario's description may quote
another run that is easy to confuse with it: the agreement kept, with those other members
putting nothing in, so that the agreement's rule shares the stocks held today with them too.
The two can leave the same members short of different tonnes (the 2030 benchmarks of
``long_embargo_12m_2030``: the EU short of 41.4 t of heavy rare earths in the column, 19 t
where Japan's stock is shared). :func:`held_split_line` runs the second and says, in one
sentence under the question, which run gives which split, both computed.
"""

from __future__ import annotations

from simulator.counterfactuals import members_not_held_today, status_quo_is_own_shares
from simulator.engine import simulate
from simulator.names import join_words
from simulator.report.findings import Run
from simulator.report.words import tonnes
from simulator.scenario import Scenario
from simulator.scenario.schema import StrategicStock
from simulator.stocks import held_today_members

__all__ = ["held_split_line", "held_stocks_shared_scenario"]


def _not_held_members(scenario: Scenario) -> list[str]:
    """:func:`members_not_held_today`, where some stock is held today and some not (:func:`status_quo_is_own_shares`).

    None where no stock is held today (the column's run is then the world without the agreement) or where
    every share put in is (the column's run is each member's share held alone).
    """
    if not held_today_members(scenario) or status_quo_is_own_shares(scenario):
        return []
    return members_not_held_today(scenario)


def held_stocks_shared_scenario(scenario: Scenario) -> Scenario | None:
    """``scenario`` with its agreement kept and every contribution of a member not listed as held today at 0 t.

    None where no such member puts stock in (:func:`_not_held_members`): the column *Short with the
    stocks held today* is then the only run of the stocks held today.
    """
    members = _not_held_members(scenario)
    if not members or scenario.agreement is None:
        return None
    pool = scenario.agreement.pool
    contributions = dict(pool.contributions)
    for member in [m for m in members if m in contributions]:  # one without a contribution puts nothing in already
        contributions[member] = {material: StrategicStock(tonnes=0.0) for material in contributions[member]}
    agreement = scenario.agreement.model_copy(update={"pool": pool.model_copy(update={"contributions": contributions})})
    return scenario.model_copy(update={"agreement": agreement})


def _short_words(run: Run, member: str) -> str:
    """``the EU short of 492 t of light rare earths and 19.1 t of heavy rare earths``, or ``the EU not short``.

    Each material the member is short of (tonnes that round to 0 t left out), in the run's order.
    """
    shown = []
    for material in run.materials():
        short_t = float(run.cell(member, material, "shortfall_t") or 0.0) if (member, material) in run.cells else 0.0
        if tonnes(short_t) != tonnes(0.0):
            shown.append(f"{tonnes(short_t)} of {run.names.material_text(material)}")
    who = run.names.subject(member)
    return f"{who} short of {join_words(shown)}" if shown else f"{who} not short"


def held_split_line(run: Run, alone: Run | None) -> str:
    """One sentence: which run leaves the members not listed as held today short of what; '' where both agree.

    The column *Short with the stocks held today* (``alone``) beside the agreement kept with those members'
    contributions at 0 t, each member's shortfall by material as each run computes it.
    Runs that second scenario (:func:`held_stocks_shared_scenario`, the same seed) only where ``alone``
    is that column's run.
    """
    scenario = run.result.scenario
    shared_scenario = held_stocks_shared_scenario(scenario)
    if alone is None or shared_scenario is None:
        return ""
    members = _not_held_members(scenario)
    shared = Run.of(simulate(shared_scenario, seed=run.result.seed), "shared_held")
    without = {m: _short_words(alone, m) for m in members}
    kept = {m: _short_words(shared, m) for m in members}
    if without == kept:
        return ""
    names = run.names
    held = held_today_members(scenario)
    held_stock = join_words([names.possessive(m) for m in held]) + (" stocks" if len(held) > 1 else " stock")
    others = join_words([names.possessive(m) for m in members])
    them = join_words([names.subject(m) for m in members])
    column = join_words([without[m] for m in members])
    agreement = join_words([kept[m] for m in members])
    return (
        "Which run is which: the table's column <em>Short with the stocks held today</em> runs no agreement, "
        f"{held_stock} drawn for its own gaps alone, and leaves {column}; the agreement kept with {others} "
        f"contributions at 0 t, its rule sharing {held_stock} with {them} too, leaves {agreement}."
    )
