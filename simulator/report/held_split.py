"""Which run splits the shortage which way, where a pool is partly stocks held today.

Layer: studies.

Where ``agreement.pool.already_held`` lists some members (or some of their materials) and new stock is put
in too, the verdict's column *Short with the stocks held today* runs no agreement at all: the members
listed draw the stock they hold today alone and the new contributions are held by no one
(:func:`simulator.counterfactuals.status_quo_scenario`). A scenario's description may quote
another run that is easy to confuse with it: the agreement kept, with every new contribution at 0 t, so
that the agreement's rule shares the stocks held today with the members putting new stock in too (a member
may be one of them and hold another material's share today).
The two can leave the same members short of different tonnes (the 2030 benchmarks of
``long_embargo_12m_2030``: the EU short of 41.4 t of heavy rare earths in the column, 19 t
where Japan's stock is shared). :func:`held_split_line` says, in one sentence under the question,
which run gives which split, both computed: the second is made with the report's other runs
(:func:`simulator.counterfactuals.held_stocks_shared`).
"""

from __future__ import annotations

from simulator import shortages
from simulator.counterfactuals import sharing_held_stocks
from simulator.names import join_words
from simulator.report.findings import Run
from simulator.report.html_names import HtmlNames
from simulator.report.words import shortfall_tonnes
from simulator.scenario import Scenario
from simulator.stocks import held_today_members, is_held_today

__all__ = ["held_split_line"]


def _short_words(run: Run, member: str) -> str:
    """``the EU short of 492 t of light and 19.1 t of heavy rare earths``, or ``the EU not short``.

    Each material the member is short of (:func:`simulator.shortages.short`: a shortfall under what
    :func:`~simulator.report.words.tonnes` shows reads ``under 0.01 t``, as :func:`shortfall_tonnes` writes it), in
    the run's order, the materials' shared trailing words said once (:meth:`~simulator.names.Names.amounts_text`).
    """
    shown = {}
    for material in run.materials():
        short_t = float(run.cell(member, material, "shortfall_t") or 0.0) if (member, material) in run.cells else 0.0
        if shortages.short(short_t):
            shown[material] = shortfall_tonnes(short_t)
    who = run.names.subject(member)
    return f"{who} short of {run.names.amounts_text(shown)}" if shown else f"{who} not short"


def held_split_line(run: Run, alone: Run | None, shared: Run | None) -> str:
    """One sentence: which run leaves the members putting new stock in short of what; '' where both agree.

    The members putting new stock in (:func:`~simulator.counterfactuals.sharing_held_stocks`) may hold another
    material's share today. The column *Short with the stocks held today* (``alone``) beside ``shared``, the
    agreement kept with their new contributions at 0 t (:func:`~simulator.counterfactuals.held_stocks_shared`,
    the same seed), each member's shortfall by material as each run computes it. '' without either run.
    """
    scenario = run.result.scenario
    members = sharing_held_stocks(scenario)
    if alone is None or shared is None or not members:
        return ""
    without = {m: _short_words(alone, m) for m in members}
    kept = {m: _short_words(shared, m) for m in members}
    if without == kept:
        return ""
    names = run.names
    held = held_today_members(scenario)
    held_stock = join_words([names.possessive(m) for m in held]) + (" stocks" if len(held) > 1 else " stock")
    others = join_words([names.possessive(m) + _new_part(scenario, m, names) for m in members])
    them = join_words([names.subject(m) for m in [m for m in members if m not in held] or members])
    column = join_words([without[m] for m in members])
    agreement = join_words([kept[m] for m in members])
    return (
        "Which run is which: the table's column <em>Short with the stocks held today</em> runs no agreement, "
        f"{held_stock} drawn for its own gaps alone, and leaves {column}; the agreement kept with {others} "
        f"contributions at 0 t, its rule sharing {held_stock} with {them} too, leaves {agreement}."
    )


def _new_part(scenario: Scenario, member: str, names: HtmlNames) -> str:
    """`` gallium``: the materials of ``member``'s contributions that are new stock (set at 0 t in the run).

    Where ``already_held`` lists others of its materials; '' where all it puts in is new.
    """
    if member not in held_today_members(scenario):
        return ""
    new = [m for m in scenario.agreement.pool.contributions.get(member, {}) if not is_held_today(scenario, member, m)]
    return f" {names.materials_text(new)}"
