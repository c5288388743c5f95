"""The runs a joint stock is measured against: no agreement, each share held alone, the stocks held today shared.

Layer: studies.

Both keep the scenario, its changes and the seed, so that a difference is the
arrangement's and nothing else:

- **without the agreement** (:func:`without_agreement`): ``agreement`` removed. No joint
  pool, no sharing; regions keep their national reserves. Against it, the report
  measures what the joint stock does. Where some members' contributions are stocks they
  hold today (``agreement.pool.already_held``), removing the agreement would remove those
  stocks too: the run is then the **status quo** (:func:`status_quo_scenario`), each of
  those members holding its contribution (of the materials listed with it, or all) as its
  own national reserve (as below), and the new stock held by no one.
- **each member's share alone** (:func:`own_share_scenario`): ``agreement`` removed, and
  each member's contribution to the joint pool added (in tonnes, as compiled) to its
  own national reserve of that material, which it draws for its own gaps only, as any
  national reserve is drawn: at once, or by its region's ``reserve_release``. Against
  it, the report measures what *pooling* does: the same tonnes, held apart. The shares
  are drawn without the agreement's trigger, release lags, cap and auctions, and the
  pool's refills (``pool.refill_t_per_day``) are not carried over; a reserve the member
  already holds keeps its refill rate and refills toward its own target (the reserve as
  written when it states none), never toward the share.
- **the stocks held today shared** (:func:`held_stocks_shared`): where some
  contributions are stocks members hold today and others not, the agreement kept with the
  others at 0 t, so that its rule shares the stocks held today with their members too. A
  scenario's description may quote that run; the report says which of it and the status
  quo gives which split (:func:`simulator.report.held_split.held_split_line`).
"""

from __future__ import annotations

from dataclasses import replace

from simulator.engine import simulate
from simulator.results import Result
from simulator.scenario import Scenario
from simulator.scenario.changes import differences
from simulator.scenario.portfolio import demand_of
from simulator.scenario.schema import Reserve, StrategicStock
from simulator.stocks import held_today_members, is_held_today, starting_stocks


def without_agreement(result: Result, baseline: Result | None = None) -> Result:
    """The same scenario, seed and changes run without its agreement: what the joint stock is measured against.

    Where members' contributions are stocks they hold today (``agreement.pool.already_held``),
    the status quo instead (:func:`status_quo_scenario`): those stocks held alone.

    A ``baseline`` run (the report's ``--compare``) of that very world is taken instead of
    running it again: the same seed and no difference but in what describes a scenario
    (:func:`~simulator.scenario.changes.differences`), as the 2010 replay against the
    stocks of 2010. Runs are deterministic, so its tables are those a new run would give.
    """
    scenario = without_agreement_scenario(result.scenario)
    if baseline is not None and is_run_of(baseline, scenario, result.seed):
        return replace(baseline, scenario=scenario)
    return simulate(scenario, seed=result.seed)


def is_run_of(run: Result, scenario: Scenario, seed: int) -> bool:
    """Whether ``run`` is a run of ``scenario`` with ``seed``.

    No difference but in what describes a scenario (:func:`~simulator.scenario.changes.differences`):
    runs are deterministic, so its tables are those a new run would give.
    """
    return run.seed == seed and not differences(scenario, run.scenario)


def without_agreement_scenario(scenario: Scenario) -> Scenario:
    """What the joint stock of ``scenario`` is measured against (:func:`without_agreement` runs it).

    The status quo where members' contributions are stocks they hold today (:func:`status_quo_scenario`),
    else ``scenario`` without its agreement. ``--uncertainty`` applies it to each sample
    (:func:`simulator.sensitivity.intervals.paired_without_agreement`).
    """
    return status_quo_scenario(scenario) or scenario.model_copy(update={"agreement": None})


def status_quo_scenario(scenario: Scenario) -> Scenario | None:
    """``scenario`` without its agreement, each ``already_held`` member keeping its contribution as national reserve.

    The world as it is where the pool would be made of stocks members hold today: those
    members hold them alone (as :func:`own_share_scenario` holds every share), of the
    materials listed with them (all they put in where a member is listed alone); the rest
    is new stock, put aside by no one. None when no member is listed (the joint stock is new).
    """
    return own_share_scenario(scenario, held_only=True) if held_today_members(scenario) else None


def status_quo_is_own_shares(scenario: Scenario) -> bool:
    """Whether the status quo and each member's share held alone are one world (one run, not two).

    So they are where every contribution above 0 t on day 0 (:func:`~simulator.stocks.starting_stocks`)
    is a stock held today (:func:`~simulator.stocks.is_held_today`):
    :func:`status_quo_scenario` then holds every share alone, as :func:`own_share_scenario` does. That
    includes a joint pool where every contribution is 0 t, none listed: each share held alone is then the
    world without the agreement. Always False where there is no joint pool to split (:func:`has_joint_pool`).
    """
    if not has_joint_pool(scenario):
        return False
    contributed_t = starting_stocks(scenario).contributed_t
    return not any(
        tonnes > 0 and not is_held_today(scenario, member, material)
        for (member, material), tonnes in contributed_t.items()
    )


def members_not_held_today(scenario: Scenario) -> list[str]:
    """The members putting new stock into the joint pool, in the agreement's order.

    Those not listed in ``agreement.pool.already_held`` (0 t, or no contribution at all, included), and
    those listed with materials that leave out one they have a contribution of: that contribution is new
    stock, held by no one without the agreement (:func:`status_quo_scenario`). Empty without a joint pool
    (:func:`has_joint_pool`).
    """
    if scenario.agreement is None or not has_joint_pool(scenario):
        return []
    held = set(held_today_members(scenario))
    contributions = scenario.agreement.pool.contributions
    return [
        member
        for member in scenario.agreement.members
        if member not in held
        or any(not is_held_today(scenario, member, material) for material in contributions.get(member, {}))
    ]


def has_joint_pool(scenario: Scenario) -> bool:
    """Whether ``scenario`` has a joint pool with contributions (of any tonnes, 0 t included) to split."""
    agreement = scenario.agreement
    return agreement is not None and agreement.pool.mode == "joint" and bool(agreement.pool.contributions)


def own_share_scenario(scenario: Scenario, held_only: bool = False) -> Scenario | None:
    """``scenario`` with each member holding its pool contribution as national reserve.

    ``held_only``: only the contributions that are stocks held today
    (:func:`~simulator.stocks.is_held_today`); the others are dropped with the agreement. None
    when there is no joint pool to split (no agreement, national mode, or no contributions).
    """
    agreement = scenario.agreement
    if agreement is None or not has_joint_pool(scenario):
        return None
    stocks = starting_stocks(scenario)
    regions = dict(scenario.regions)
    for member in agreement.members:
        reserves = dict(regions[member].reserve)
        for material in scenario.materials:
            share_t = stocks.contributed_t[member, material]
            if share_t <= 0 or (held_only and not is_held_today(scenario, member, material)):
                continue
            held = reserves.get(material, Reserve(tonnes=0.0))
            own_t = stocks.reserve_t[member, material]
            update: dict[str, object] = {
                "tonnes": own_t + share_t,
                "days": None,
                "net_import_days": None,
                "credit_private_stocks": False,
            }
            daily_t = demand_of(scenario, member, material).tonnes_per_day
            if held.target_days is None and held.refill_t_per_day > 0 and daily_t > 0:
                update["target_days"] = own_t / daily_t  # refills aim at the reserve it held, not at its share
            reserves[material] = held.model_copy(update=update)
        regions[member] = regions[member].model_copy(update={"reserve": reserves})
    return scenario.model_copy(update={"agreement": None, "regions": regions})


def own_share_alone(result: Result, known: Result | None = None) -> Result | None:
    """The run of :func:`own_share_scenario` with the same seed (None without a joint pool).

    ``known``: the status quo already run (:func:`without_agreement`, the same seed), taken where it is that
    very world (:func:`status_quo_is_own_shares`) instead of running it again.
    """
    scenario = own_share_scenario(result.scenario)
    if scenario is None:
        return None
    if known is not None and known.seed == result.seed and status_quo_is_own_shares(result.scenario):
        return known
    return simulate(scenario, seed=result.seed)


def sharing_held_stocks(scenario: Scenario) -> list[str]:
    """:func:`members_not_held_today` where some shares are stocks held today and some not (else none).

    None where no stock is held today (the status quo is then the world without the agreement) or where
    every share put in is (the status quo is then each member's share held alone, :func:`status_quo_is_own_shares`).
    """
    if not held_today_members(scenario) or status_quo_is_own_shares(scenario):
        return []
    return members_not_held_today(scenario)


def held_stocks_shared_scenario(scenario: Scenario) -> Scenario | None:
    """``scenario`` with its agreement kept and every contribution that is new stock at 0 t.

    New stock: a contribution of a member of :func:`sharing_held_stocks` that is not held today
    (:func:`~simulator.stocks.is_held_today`). The agreement's rule then shares the stocks held today with
    those members too. None where there are no such members: the status quo (:func:`status_quo_scenario`)
    is then the only run of the stocks held today.
    """
    members = sharing_held_stocks(scenario)
    if not members or scenario.agreement is None:
        return None
    pool = scenario.agreement.pool
    contributions = dict(pool.contributions)
    for member in [m for m in members if m in contributions]:  # one without a contribution puts nothing in already
        contributions[member] = {
            material: stock if is_held_today(scenario, member, material) else StrategicStock(tonnes=0.0)
            for material, stock in contributions[member].items()
        }
    agreement = scenario.agreement.model_copy(update={"pool": pool.model_copy(update={"contributions": contributions})})
    return scenario.model_copy(update={"agreement": agreement})


def held_stocks_shared(result: Result) -> Result | None:
    """The run of :func:`held_stocks_shared_scenario` with the same seed (None where there is no such world)."""
    scenario = held_stocks_shared_scenario(result.scenario)
    return simulate(scenario, seed=result.seed) if scenario is not None else None
