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
    """iea_ess, need_with_restraint: share of demand given up, (...) or broadcastable."""
    ess_trigger_loss_share: Array
    """iea_ess, need_with_restraint: group loss share that activates the system, (...) or broadcastable."""
    ess_higher_restraint: Array | float = 0.10
    """iea_ess: restraint once the group's loss reaches ``ess_higher_loss_share``."""
    ess_higher_loss_share: Array | float = 0.12
    """iea_ess: group loss share from which ``ess_higher_restraint`` applies."""
    ess_selective_loss_share: Array | float = 0.07
    """iea_ess: one member's loss share (of its own demand) that activates the selective trigger."""
    commitments: Array | float = 1.0
    """iea_ess: members' emergency reserve commitments (weights), (N, ...)."""
    drawable_t: Array | float = float("inf")
    """iea_ess: most each member's stock may give today (t; ``inf`` for a joint pool), (N, ...)."""
