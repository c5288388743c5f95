"""What a sharing rule sees on a day: the snapshot every allocation function receives.

Layer: rules. Member arrays have members on the first axis and any batch shape after
it (the kernel passes (members, materials, runs)); the others have the batch shape.
"""

from __future__ import annotations

from dataclasses import dataclass

from simulator.numeric import Array


@dataclass(frozen=True)
class RuleInputs:
    """A day's sharing problem."""

    gaps_t: Array
    """Each member's unmet demand after its own stocks (t), (N, ...)."""
    available_t: Array
    """Shared stock that may be released today, after any cap (t), (...)."""
    baseline_demand_t: Array
    """Each member's baseline demand today (t), (N, ...)."""
    own_stock_t: Array
    """Each member's own stock after today's supply (commercial, reserve, bought auction stock; t), (N, ...)."""
    supplied_t: Array
    """What each member already received today from its own stocks (t), (N, ...)."""
    ratio: Array
    """Pre-agreed fair allocation ratio, (N, ...)."""
    strict: bool
    """Fair ratio: withhold shares a member cannot use."""
    ess_restraint: Array
    """iea_ess: share of demand given up, (...) or broadcastable."""
    ess_trigger_loss_share: Array
    """iea_ess: group loss share that activates the system, (...) or broadcastable."""
