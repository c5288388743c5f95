"""Each member's account with the joint stock: what it put in, drew, paid and received.

Layer: studies.

The full cost of the joint stock to a member over the run is

``net = buying its pool share + holding + refills + auction spend - auction revenue``

where buying its share is its contribution (t) x the material's reference price
(the market's reference price, else the material's ``price_usd_per_kg``) x 1,000
kg/t, paid once on day 0; holding, refills, auction spend and auction revenue are the
run's summary figures (``holding_cost_usd``, ``refill_cost_usd``,
``auction_spend_usd``, ``auction_revenue_usd``: auction proceeds go to the pool's
owners by ownership share). What the member still owns at the end (its share of the
unsold pool and stock it bought at auction but had not yet drawn) is listed beside
the cost, not netted from it: what it is worth depends on a price nobody has paid.
Beside it the report gives what it would fetch on the run's last day
(:func:`end_prices`): at that day's world price for a material with a market, else at
the material's reference price.

Stock a member wins at auction is held in the pool for it and drawn as its gaps open,
so over a run ``won = drawn from bought stock + bought stock left at the end``.

A member listed in ``agreement.pool.already_held`` puts into the pool a stock it holds today:
the report measures the joint stock against the status quo, that stock held alone
(:func:`simulator.counterfactuals.status_quo_scenario`), so what the agreement costs is
what it adds to that world. Its share was not bought for the agreement (``buying = 0``; its
value at the reference price is :attr:`Stake.value_usd`), and what holding it cost in this run
(its pool share's ``pool_share_t`` x the material's holding cost, refills left out,
:attr:`Stake.held_holding_usd`) is not counted as the agreement's: it is left out of its net
cost, the rest of its holding (its own reserves, stock bought at auction, what refills put
back) is not. That is this run's holding of the share, not the status quo's (where the member
draws it alone, on other days): the two runs' holding of it may differ, and the difference is
not counted.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.numeric import DAYS_PER_YEAR, KG_PER_T
from simulator.report.findings import Run
from simulator.report.words import drop_residue_usd
from simulator.scenario import Scenario
from simulator.scenario.checks import reference_price
from simulator.stocks import is_held_today, starting_stocks


@dataclass(frozen=True)
class Stake:
    """One member's figures for one material (tonnes; USD)."""

    contributed_t: float
    ownership: float
    """Share of the material's joint pool the member owns (0 to 1)."""
    price_usd_per_kg: float | None
    """Reference price the contribution is valued at (None: the scenario gives none)."""
    won_t: float
    drawn_auction_t: float
    drawn_rule_t: float
    unused_auction_t: float
    """Bought at auction and not yet drawn on the last day."""
    pool_share_end_t: float
    """The member's share of the unsold pool on the last day."""
    end_price_usd_per_kg: float | None = None
    """What a kg of it is worth on the last day (:func:`end_prices`; None: the scenario gives no price)."""
    held_today: bool = False
    """The contribution is a stock the member holds today (``agreement.pool.already_held``): not bought for it."""
    held_holding_usd: float = 0.0
    """Holding its pool share in this run (refills left out), where :attr:`held_today`: not the agreement's cost."""

    @property
    def end_t(self) -> float:
        """What the member still owns on the last day: its pool share and bought stock not yet drawn."""
        return self.pool_share_end_t + self.unused_auction_t

    @property
    def end_value_usd(self) -> float:
        """:attr:`end_t` at :attr:`end_price_usd_per_kg` (0 without a price)."""
        return self.end_t * (self.end_price_usd_per_kg or 0.0) * KG_PER_T

    @property
    def value_usd(self) -> float:
        """The contribution at the reference price (0 without a price)."""
        return self.contributed_t * (self.price_usd_per_kg or 0.0) * KG_PER_T

    @property
    def buying_usd(self) -> float:
        """What buying the contribution for the agreement cost: :attr:`value_usd`, 0 where it was held already."""
        return 0.0 if self.held_today else self.value_usd


@dataclass(frozen=True)
class Account:
    """One member's account with the joint stock over the run (see the module docstring)."""

    member: str
    stakes: dict[str, Stake]
    """By material."""
    holding_usd: float
    """The run's holding cost of its strategic stock (``holding_cost_usd``), a share held already included."""
    refill_usd: float
    auction_paid_usd: float
    auction_received_usd: float
    drawn_t: float
    """Shared stock received (``released_joint_t``): bought at auction and drawn, plus allocated by the rule."""
    lent_t: float
    """Lent from its own reserve to other members (national pool mode)."""
    own_reserve_t: float
    """Drawn from its own national reserve (outside the arrangement's sharing)."""

    @property
    def buying_usd(self) -> float:
        """Buying its pool share for the agreement, all materials (0 for a share held already)."""
        return sum(s.buying_usd for s in self.stakes.values())

    @property
    def materials_held_today(self) -> list[str]:
        """The materials of its pool share that are stocks it holds today (``agreement.pool.already_held``).

        Empty where all it put in was bought for the agreement; the others of its materials, if any, were.
        """
        return [m for m, s in self.stakes.items() if s.held_today]

    @property
    def held_value_usd(self) -> float:
        """Its share held already at the reference prices, the materials held today only (0 if none is)."""
        return sum(s.value_usd for s in self.stakes.values() if s.held_today)

    @property
    def held_holding_usd(self) -> float:
        """Holding its pool share held already in this run, all materials: not counted as the agreement's cost."""
        return sum(s.held_holding_usd for s in self.stakes.values())

    @property
    def added_holding_usd(self) -> float:
        """The run's holding (:attr:`holding_usd`) less that of a share held already: what the agreement adds (USD).

        The share's holding is part of the run's, so where the member holds nothing else the two sums are equal
        but for a float residue, which is dropped (:func:`~simulator.report.words.drop_residue_usd`).
        """
        return drop_residue_usd(self.holding_usd - self.held_holding_usd)

    @property
    def unpriced(self) -> list[str]:
        """Materials it bought for the pool without a price to value them at: :attr:`buying_usd` leaves them out.

        A stock held today is not bought (:attr:`Stake.buying_usd` is 0 whatever its price), so it is not listed.
        """
        return [
            m for m, s in self.stakes.items() if s.contributed_t > 0 and not s.held_today and not s.price_usd_per_kg
        ]

    @property
    def held_unpriced(self) -> list[str]:
        """Materials of its share held today without a price: :attr:`held_value_usd` leaves them out."""
        return [m for m, s in self.stakes.items() if s.contributed_t > 0 and s.held_today and not s.price_usd_per_kg]

    @property
    def net_usd(self) -> float:
        """Buying + holding + refills + auction spend - auction revenue, over the status quo (the module docstring)."""
        return (
            self.buying_usd
            + self.added_holding_usd
            + self.refill_usd
            + self.auction_paid_usd
            - self.auction_received_usd
        )

    @property
    def end_value_usd(self) -> float:
        """What it still owns on the last day, valued at :func:`end_prices`, all materials."""
        return sum(s.end_value_usd for s in self.stakes.values())

    def total(self, field: str) -> float:
        """A :class:`Stake` field summed over materials."""
        return float(sum(getattr(s, field) for s in self.stakes.values()))


def holding_usd_per_t_day(scenario: Scenario, material: str) -> float:
    """What holding a tonne of ``material`` for a day costs (USD/(t*day)).

    Its yearly holding cost over :data:`~simulator.numeric.DAYS_PER_YEAR`, as the engine charges
    strategic stock (``holding_cost_usd``, :func:`simulator.plan.compile_plan`).
    """
    return scenario.materials[material].holding_cost_usd_per_t_year / DAYS_PER_YEAR


def _held_t_days(run: Run, region: str, material: str, contributed_t: float) -> float:
    """Tonne-days of a member's contribution still in its pool share: refills bought for the pool left out.

    Each day's share is capped at the contribution and at the lowest the share has been so far: a stock held
    today only leaves the pool (drawn, sold at auction), and what refills put back is bought for the agreement.
    """
    ts = run.result.timeseries
    share = ts.loc[(ts["region"] == region) & (ts["material"] == material), "pool_share_t"].to_numpy()
    return float(np.minimum.accumulate(np.minimum(share, contributed_t)).sum()) if len(share) else 0.0


def _last(run: Run, region: str, material: str, column: str) -> float:
    ts = run.result.timeseries
    rows = ts[(ts["region"] == region) & (ts["material"] == material)]
    return float(rows[column].iloc[-1]) if len(rows) else 0.0


def end_prices(run: Run) -> dict[str, tuple[float | None, bool]]:
    """By material: the price (USD/kg) at which stock left on the last day is valued, and whether it is the market's.

    A material with a market: the world price of the run's last day (``market.csv``); without
    one, its reference price (:func:`reference_price`; None when the scenario gives none).
    """
    scenario = run.result.scenario
    market = run.result.market
    out: dict[str, tuple[float | None, bool]] = {}
    for material in run.materials():
        rows = market[market["material"] == material] if material in scenario.market and len(market) else market[:0]
        if len(rows):
            out[material] = (float(rows.sort_values("day")["world_price_usd_per_kg"].iloc[-1]), True)
        else:
            out[material] = (reference_price(scenario, material), False)
    return out


def accounts(run: Run) -> dict[str, Account]:
    """Every member's account, in the agreement's order (empty without an agreement)."""
    scenario = run.result.scenario
    if scenario.agreement is None:
        return {}
    auctions = run.result.auctions
    out = {}
    materials = run.materials()
    members = run.result.structure.member_names
    contributed_t = starting_stocks(scenario).contributed_t
    valued = end_prices(run)
    pool_t = {material: sum(contributed_t[m, material] for m in members) for material in materials}
    holding_usd_per_t_day_of = {material: holding_usd_per_t_day(scenario, material) for material in materials}
    sold_by_material = {material: auctions[auctions["material"] == material] for material in materials}
    for member in members:
        stakes = {}
        for material in materials:
            mine = contributed_t[member, material]
            today = is_held_today(scenario, member, material) and mine > 0
            sold = sold_by_material[material]
            held_t_days = _held_t_days(run, member, material, mine) if today else 0.0
            stakes[material] = Stake(
                contributed_t=mine,
                ownership=mine / pool_t[material] if pool_t[material] > 0 else 0.0,
                price_usd_per_kg=reference_price(scenario, material),
                won_t=float(sold[f"won_t.{member}"].sum()) if len(sold) else 0.0,
                drawn_auction_t=float(run.cell(member, material, "released_auction_t")),
                drawn_rule_t=float(run.cell(member, material, "released_rule_t")),
                unused_auction_t=_last(run, member, material, "auction_stock_t"),
                pool_share_end_t=_last(run, member, material, "pool_share_t"),
                end_price_usd_per_kg=valued[material][0],
                held_today=today,
                held_holding_usd=held_t_days * holding_usd_per_t_day_of[material],
            )

        def cells(name: str, member: str = member) -> float:
            return float(sum(run.cell(member, m, name) or 0.0 for m in materials))

        out[member] = Account(
            member=member,
            stakes=stakes,
            holding_usd=cells("holding_cost_usd"),
            refill_usd=cells("refill_cost_usd"),
            auction_paid_usd=cells("auction_spend_usd"),
            auction_received_usd=cells("auction_revenue_usd"),
            drawn_t=cells("released_joint_t"),
            lent_t=cells("lent_t"),
            own_reserve_t=cells("released_national_t"),
        )
    return out
