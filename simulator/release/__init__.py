"""Release mechanisms: pure functions from members' gaps and stock to allocations.

No SimPy, no random generator, no I/O: each rule maps arrays (members on the last
axis, any batch shape in front) to awards in tonnes, so it can be checked by hand and
shared by the reference engine and the batched fast path.
"""

from simulator.release.auction import Clearing, clear_auction
from simulator.release.claims import equal_awards, equal_losses, proportional_to_claims, talmud
from simulator.release.ess import drawdown_obligations, iea_ess, supply_right_needs
from simulator.release.level import level_allocation, ordered_sum, slice_any, slice_max
from simulator.release.sharing import equal_cover, fair_ratio, proportional

__all__ = [
    "Clearing",
    "clear_auction",
    "drawdown_obligations",
    "equal_awards",
    "equal_cover",
    "equal_losses",
    "fair_ratio",
    "iea_ess",
    "level_allocation",
    "ordered_sum",
    "proportional",
    "proportional_to_claims",
    "slice_any",
    "slice_max",
    "supply_right_needs",
    "talmud",
]
