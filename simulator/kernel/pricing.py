"""The markets' daily step: today's price, the demand it leaves, and the end-of-day updates.

Layer: engines. Within a day (see ``docs/model.md``, "Markets"):

1. **Price** (start of the day): the indicated price from yesterday's market cover
   ratio, the world price moved toward it, each region's price (a premium under a
   targeted embargo);
2. **Demand**: potential demand times the demand factor (short-run elasticity and the
   substituted share) gives realised demand; the market step serves it as before;
3. **End of the day**: substitution moves toward the share today's price indicates;
   perceived risk toward the risk today's shocks indicate; desired cover toward the
   normal cover raised by the risk; price-driven capacity toward its goal.

The cover ratio that sets tomorrow's price is computed after procurement
(:mod:`simulator.kernel.procure`). The equations are :mod:`simulator.market`'s; the
surplus lost on the demand the price destroyed is :mod:`simulator.surplus`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np

from simulator.kernel.shocks import Effects
from simulator.kernel.state import State
from simulator.market import (
    adjust_price,
    demand_factor,
    desired_cover,
    indicated_price,
    indicated_substitution,
    smooth,
    step_risk,
    step_substitution,
)
from simulator.numeric import KG_PER_T, SAME_TO_ROUNDING
from simulator.plan import MarketPlan, Plan
from simulator.surplus import DemandCurve


@dataclass(slots=True)
class PriceDay:
    """Today's prices and the demand factor they give.

    Made every day and never changed: not frozen, as the day's records are not (:mod:`simulator.records`).
    """

    world_usd_per_kg: np.ndarray
    """World price, (material, run)."""
    paid_usd_per_kg: np.ndarray
    """Price each region pays, (region, material, run)."""
    demand_factor: np.ndarray
    """Realised over potential demand, (region, material, run) (1 without a demand response)."""
    price_ratio: np.ndarray | None = None
    """Paid over reference price, (region, material, run), once worked out for the demand factor."""
    substitution: np.ndarray | None = None
    """The substituted share in force at the day's start, which set the demand factor, (region, material, run)."""


class Pricing:
    """The markets of a batch (see the module docstring); a plan without markets keeps fixed prices."""

    curve: DemandCurve | None = None
    """The demand curves the surplus lost is worked out on (set with a demand response)."""

    def __init__(self, plan: Plan) -> None:
        st = plan.structure
        R, M, B = len(st.regions), len(st.materials), plan.batch
        self.market: MarketPlan | None = plan.market
        self.fixed = np.broadcast_to(plan.price_usd_per_kg[None], (R, M, B))
        self.ones = np.ones((R, M, B))
        self.ones.flags.writeable = False
        on = plan.market.market_on if plan.market is not None else np.zeros((M, 1), bool)
        unpriced = np.broadcast_to(~on & ~(plan.price_usd_per_kg > 0), (M, B))
        # materials with neither a market nor a price, (material, run); None when every one has a price
        self.unpriced: np.ndarray | None = unpriced if unpriced.any() else None
        self._premium_of: Effects | None = None
        self._premium_factor_now = self.ones
        if self.market is None:
            return
        mp = self.market
        self.on = mp.market_on  # (M, B)
        self.on_everywhere = bool(self.on.all())  # every material of every run has a market: nothing to select
        self.reference = mp.reference_price_usd_per_kg
        self.cost_reference = self.reference
        if self.unpriced is not None:  # the plan's 1 USD/kg stands in for their reference: costs use 0
            self.cost_reference = np.where(self.unpriced, 0.0, self.reference)
        self.demand_response = bool((mp.demand_elasticity != 0).any())
        self.substitution = bool((mp.substitution_max_share > 0).any())
        self.log_full_price_ratio = np.log(mp.substitution_full_price_ratio[None])  # fixed: taken once a batch
        self.any_response = bool((mp.response_capacity_t_per_day > 0).any())
        if self.demand_response:
            self.curve = DemandCurve(
                mp.demand_elasticity[None],
                mp.demand_floor_share[None],
                mp.substitution_max_share[None],
                mp.substitution_full_price_ratio[None],
            )
            self.usd_per_unit = self.reference[None] * KG_PER_T  # P0 in USD/t

    def today(self, state: State, effects: Effects) -> PriceDay:
        """Today's prices from yesterday's cover ratio; updates ``state.price``."""
        mp = self.market
        if mp is None:
            return PriceDay(self.fixed[0], self.fixed, self.ones)
        indicated = indicated_price(self.reference, state.cover_ratio, mp.price_sensitivity)
        moved = adjust_price(
            state.price, indicated, mp.price_adjustment_days, mp.price_floor_usd_per_kg, mp.price_cap_usd_per_kg
        )
        state.price = moved if self.on_everywhere else np.where(self.on, moved, state.price)
        paid = state.price[None] * self._premium_factor(effects)
        factor, ratio = self.ones, None
        if self.demand_response:
            ratio = paid / self.reference[None]
            factor = demand_factor(ratio, mp.demand_elasticity[None], state.substitution, mp.demand_floor_share[None])
        world = state.price
        if self.unpriced is not None:
            # a material with neither a market nor a price is valued at 0, as procurement
            # costs it, not at the 1 USD/kg its state.price holds in the plan's stead
            world = np.where(self.unpriced, 0.0, state.price)
            paid = np.where(self.unpriced[None], 0.0, paid)
        return PriceDay(world, paid, factor, ratio, state.substitution)

    def _premium_factor(self, effects: Effects) -> np.ndarray:
        """``1 + targeted premium`` where a targeted embargo hits the region, else 1, (region, material, run).

        It changes only with the active shocks: kept for the same ``effects`` object (held, so
        that its identity stays its own), which the shocks' cache hands out while they do not change.
        """
        if effects is not self._premium_of:
            assert self.market is not None
            self._premium_factor_now = 1.0 + self.market.targeted_premium[None] * effects.targeted
            self._premium_of = effects
        return self._premium_factor_now

    def shown(self, prices: PriceDay) -> tuple[np.ndarray, np.ndarray]:
        """The day's world and paid prices as recorded: empty (NaN) for a material with neither a market nor a price.

        The prices of :meth:`today` value such a material at 0 (transfers, tender and sale
        settlements, as procurement costs); the tables show that no price was given.
        """
        if self.unpriced is None:
            return prices.world_usd_per_kg, prices.paid_usd_per_kg
        world = np.where(self.unpriced, np.nan, prices.world_usd_per_kg)
        return world, np.where(self.unpriced[None], np.nan, prices.paid_usd_per_kg)

    def end_of_day(self, state: State, effects: Effects, prices: PriceDay) -> None:
        """Substitution, perceived risk, desired cover and price-driven capacity after today's market."""
        mp = self.market
        if mp is None:
            return
        if self.substitution:
            ratio = prices.price_ratio
            goal = indicated_substitution(
                prices.paid_usd_per_kg / self.reference[None] if ratio is None else ratio,
                mp.substitution_max_share[None],
                self.log_full_price_ratio,
            )
            state.substitution, state.substitution_peak = step_substitution(
                state.substitution,
                state.substitution_peak,
                goal,
                mp.substitution_days[None],
                mp.substitution_permanent_share[None],
            )
        risk = step_risk(state.risk, effects.perceived_risk, mp.risk_perception_days, mp.risk_memory_days)
        state.risk = risk if self.on_everywhere else np.where(self.on, risk, 0.0)
        wanted = desired_cover(mp.normal_cover_days, mp.precaution_gain[None], state.risk[None])
        state.desired_cover = smooth(state.desired_cover, wanted, mp.cover_adjustment_days[None])
        if self.any_response:
            high = prices.world_usd_per_kg[:, None] >= mp.response_price_ratio * self.reference[:, None]
            goal = np.where(high, mp.response_capacity_t_per_day, 0.0)
            state.response_capacity = smooth(state.response_capacity, goal, mp.response_lag_days)

    @cached_property
    def _cost_reference(self) -> tuple[np.ndarray, np.ndarray]:
        """The price the extra spend is measured from (USD/kg; fixed for the batch), and the tolerance.

        A price within the tolerance of the reference is at it to rounding: the test of
        :func:`~simulator.numeric.same_to_rounding`, worked out once a batch instead of by ``np.isclose`` every day.
        """
        reference = self.cost_reference[None] if self.market is not None else self.fixed
        return reference, SAME_TO_ROUNDING + SAME_TO_ROUNDING * np.abs(reference)

    def costs(self, prices: PriceDay, potential: np.ndarray, realised: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The day's extra spend at today's price, and the surplus lost on the demand it destroyed (USD).

        Buyers lose ``realised x (p - P0)`` (the extra spend) plus the consumer surplus on the
        use they gave up, on the model's own demand curve (constant elasticity, with its floor,
        and the substituted share valued on the substitution curve: :mod:`simulator.surplus`),
        with the substituted share in force at the day's start (this is called before
        :meth:`end_of_day`). Both are (region, material, run); below P0 the extra spend is
        negative (a saving) and the surplus lost a small positive correction. Without a
        demand response nothing is destroyed and nothing lost.

        A price the rounding of the price steps left a hair off its reference
        (:func:`~simulator.numeric.same_to_rounding`, 49.99999999999999 for 50 USD/kg) is at it:
        its extra spend is 0, not a noise of either sign, and no use at a price below the
        reference is 0, not -0.0, so that a table of costs holds no negative noise.
        """
        reference, tolerance = self._cost_reference
        markup = prices.paid_usd_per_kg - reference
        markup_usd_per_t = np.where(np.abs(markup) <= tolerance, 0.0, markup) * KG_PER_T
        extra = realised * markup_usd_per_t
        extra += 0.0  # -0.0 + 0.0 is 0.0: a saving on no use is no saving
        if self.curve is None:
            return extra, np.zeros_like(extra)
        assert prices.price_ratio is not None  # set with a demand response
        assert prices.substitution is not None
        lost = self.curve.surplus(prices.price_ratio, prices.substitution, today=prices.demand_factor)
        lost *= potential  # a new array of the day's shape: worked in place
        lost *= self.usd_per_unit
        return extra, lost
