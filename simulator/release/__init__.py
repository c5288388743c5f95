"""Release mechanisms: pure functions from members' gaps and stock to allocations.

Layer: rules. No SimPy, no random generator, no I/O: each rule maps arrays (members on
the first axis, any batch shape after it) to awards in tonnes, so it can be checked by
hand and shared by the reference engine and the batched fast path. Each mechanism's
entry is in :mod:`simulator.mechanisms`; :func:`allocator` gives its function.
"""

from simulator.release.auction import Clearing, clear_auction
from simulator.release.claims import equal_awards, equal_losses, proportional_to_claims, talmud
from simulator.release.ess import EssSharing, drawdown_obligations, iea_ess, need_with_restraint, supply_right_needs
from simulator.release.inputs import RuleInputs
from simulator.release.registry import allocator
from simulator.release.sharing import equal_cover, fair_ratio, proportional_to_demand

__all__ = [
    "Clearing",
    "EssSharing",
    "RuleInputs",
    "allocator",
    "clear_auction",
    "drawdown_obligations",
    "equal_awards",
    "equal_cover",
    "equal_losses",
    "fair_ratio",
    "iea_ess",
    "need_with_restraint",
    "proportional_to_claims",
    "proportional_to_demand",
    "supply_right_needs",
    "talmud",
]
