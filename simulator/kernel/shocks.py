"""What the active shocks do to routes and demand on a day.

Layer: engines. Shocks combine multiplicatively in scenario order: two embargoes of
severity 0.5 on one route leave ``(1 - 0.5) * (1 - 0.5) = 0.25`` of its shipments;
delays add their extra days; demand surges multiply demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.plan import Plan


@dataclass(frozen=True)
class Effects:
    """Effects of the shocks active on one day (runs on the last axis)."""

    route_multiplier: np.ndarray
    """Share of planned shipments that leave, (region, material, supplier, run)."""
    lead_days: np.ndarray
    """Lead time of shipments leaving today, delays included, (region, material, supplier, run) int."""
    all_routes_open: bool
    """No embargo or quota cut is active anywhere in the batch (multiplier is all ones)."""
    demand_multiplier: np.ndarray
    """Demand surge factor, (region, material, run)."""
    embargo_on_member: np.ndarray
    """An embargo is active against a member for the material, (material, run) bool."""


class ShockEffects:
    """Turns the active flags of shocks into :class:`Effects`, caching unchanged days."""

    def __init__(self, plan: Plan, magnitude: np.ndarray) -> None:
        """``magnitude``: severity, extra days or factor per shock and run, (shock, run)."""
        st = plan.structure
        self.B = plan.batch
        self.shape = (len(st.regions), len(st.materials), len(st.suppliers))
        self.magnitude = magnitude
        self.kinds = [sh.kind for sh in plan.shocks]
        self.base_lead = np.broadcast_to(plan.lead_time_days[:, None], (*self.shape, self.B))
        self.masks = [sh.mask[..., None] for sh in plan.shocks]
        self.against = [sh.against_members[:, None] for sh in plan.shocks]
        self._key: bytes | None = None
        self._cached: Effects | None = None

    def __call__(self, active: np.ndarray) -> Effects:
        """Effects for flags ``active`` of shape (shock, run)."""
        key = active.tobytes()
        if key != self._key or self._cached is None:
            self._cached = self._compute(active)
            self._key = key
        return self._cached

    def _compute(self, active: np.ndarray) -> Effects:
        R, M, S = self.shape
        multiplier = np.ones((R, M, S, self.B))
        lead = self.base_lead
        surge = np.ones((R, M, self.B))
        embargo = np.zeros((M, self.B), bool)
        open_routes = True
        for k, kind in enumerate(self.kinds):
            on = active[k]
            if not on.any():
                continue
            size = self.magnitude[k]
            mask = self.masks[k]
            if kind in ("embargo", "quota_cut"):
                multiplier = multiplier * np.where(mask, np.where(on, 1.0 - size, 1.0), 1.0)
                open_routes = False
                if kind == "embargo":
                    embargo |= on & self.against[k]
            elif kind == "delay":
                lead = lead + np.where(mask, np.where(on, size, 0.0).astype(np.int64), 0)
            else:
                surge = surge * np.where(mask, np.where(on, size, 1.0), 1.0)
        return Effects(multiplier, lead, open_routes, surge, embargo)


def active_flags(start: np.ndarray, end: np.ndarray, day: int) -> np.ndarray:
    """Which shocks are active on ``day``: ``start <= day < end``, shape (shock, run)."""
    return (start <= day) & (day < end)
