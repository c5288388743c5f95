"""The kernel's daily records: what one day of a batch hands to the engines and recorders.

Layer: model. Each record's fields are exactly the registry's quantities of that record
(:mod:`simulator.quantities`, records ``market``, ``agreement`` and ``procurement``), in
registry order, with the runs on the last axis: (region, material, run) unless the
registry says otherwise. A test keeps the two in step.

Nothing assigns to a record's fields once it is made, and nothing writes to its arrays.
The records are not frozen dataclasses all the same: a frozen one sets each field through
``object.__setattr__``, and the day step makes three records a day, of up to 45 fields
(a frozen ``MarketDay`` took 11-15 us to make, one with slots 1.5-3 us).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

Array = np.ndarray
Reported = np.ndarray | None
"""An output-only field of :class:`MarketDay` (nothing in the day step reads it): None on
the days of a batch whose caller does not read it (``Kernel(plan, draws, metrics, reads)``)."""


@dataclass(slots=True)
class AgreementDay:
    """What the agreement did on one day; member arrays are (member, material, run)."""

    clearing_price_usd_per_kg: Array
    rule: Array
    gap_t: Array
    available_t: Array
    released_total_t: Array
    released_auction_t: Array
    released_rule_t: Array
    lent_t: Array
    transferred_t: Array
    restraint_t: Array
    governed: Array
    decided: Array
    stood_down: Array
    auction_held: Array
    lot_t: Array
    sold_t: Array
    unsold_t: Array
    bid_t: Array
    won_t: Array
    spend_usd: Array
    unused_t: Array
    drawable_t: Array
    is_quiet: bool = False
    """Nobody in the batch was short and no auction was due: every allocation is zero."""


@dataclass(slots=True)
class MarketDay:
    """One day's flows and end-of-day stocks (see :mod:`simulator.kernel.market`)."""

    baseline_demand_t: Array
    demand_t: Array
    arrivals_t: Array
    supplied_t: Array
    released_t: Array
    shortfall_t: Array
    commercial_stock_t: Array
    reserve_stock_t: Array
    days_of_cover: Array
    released_national_t: Array
    released_joint_t: Array
    released_auction_t: Array
    released_rule_t: Array
    lent_t: Array
    transferred_t: Array
    transfer_value_usd: Reported
    reserve_sale_usd: Reported
    auction_stock_t: Array
    pool_share_t: Reported
    refill_arrivals_t: Array
    auction_spend_usd: Array
    holding_cost_usd: Reported
    price_usd_per_kg: Array
    demand_destroyed_t: Reported
    substitution_share: Array
    desired_cover_days: Array
    crisis_extra_cost_usd: Reported
    lost_surplus_usd: Reported
    auction_revenue_usd: Reported
    arrivals_by_supplier_t: Array
    pool_stock_t: Array
    pool_arrivals_t: Array
    world_price_usd_per_kg: Array
    perceived_risk: Array
    days_of_cover_own: Reported
    drawable_shared_t: Array
    days_of_net_imports: Reported
    days_of_cover_runway: Reported
    settlement_paid_usd: Array
    settlement_received_usd: Array
    loan_repaid_t: Array
    loan_due_t: Array
    loan_owed_t: Array
    loan_receivable_t: Array
    agreement: AgreementDay | None = None
    """The agreement's record of the day (None without an agreement)."""


@dataclass(slots=True)
class ProcurementDay:
    """What leaves suppliers on one day, when it arrives, and the pipelines at the end of the day."""

    in_transit_t: Array
    reserve_in_transit_t: Array
    ordered_t: Array
    resourced_t: Array
    procurement_premium_usd: Array
    resourcing_cost_usd: Array
    refill_cost_usd: Array
    shipped_by_supplier_t: Array
    cover_ratio: Array
    held_at_origin_t: Array
    awaiting_licence_t: Array
    leaked_t: Array
    border_lost_t: Array
    commercial_shipments_t: Array
    commercial_lead_days: Array
    refill_shipments_t: Array
    pool_shipments_t: Array | None
    pool_lead_days: Array | None
    leak_shipments_t: Array | None
    leak_lead_days: Array | None
