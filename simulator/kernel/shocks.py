"""What the active shocks do to routes and demand on a day.

Shocks combine multiplicatively in scenario order: two embargoes of severity 0.5 on
one route leave ``(1 - 0.5) * (1 - 0.5) = 0.25`` of its shipments; delays add their
extra days; demand surges multiply demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.plan import Plan


@dataclass(frozen=True)
class Effects:
    """Effects of the shocks active on one day (batch axis first)."""

    route_multiplier: np.ndarray
    """Share of planned shipments that leave, (B, R, M, S)."""
    lead_days: np.ndarray
    """Lead time of shipments leaving today, delays included, (B, R, M, S) int."""
    all_routes_open: bool
    """No embargo or quota cut is active anywhere in the batch (multiplier is all ones)."""
    demand_multiplier: np.ndarray
    """Demand surge factor, (B, R, M)."""
    embargo_on_member: np.ndarray
    """An embargo is active against a member for the material, (B, M) bool."""


class ShockEffects:
    """Turns the active flags of shocks into :class:`Effects`, caching unchanged days."""

    def __init__(self, plan: Plan, magnitude: np.ndarray) -> None:
        st = plan.structure
        self.B = plan.batch
        self.shape = (len(st.regions), len(st.materials), len(st.suppliers))
        self.magnitude = magnitude
        self.kinds = [sh.kind for sh in plan.shocks]
        self.base_lead = np.broadcast_to(
            plan.lead_days.transpose(0, 2, 1)[:, :, None, :], (self.B, *self.shape)
        )  # (B, R, M, S)
        # supply masks in route layout (R, M, S)
        self.masks = [sh.mask.transpose(1, 2, 0) if sh.kind != "demand_surge" else sh.mask for sh in plan.shocks]
        self.against = [sh.against_members for sh in plan.shocks]
        self._key: bytes | None = None
        self._cached: Effects | None = None

    def __call__(self, active: np.ndarray) -> Effects:
        """Effects for flags ``active`` of shape (B, K)."""
        key = active.tobytes()
        if key != self._key or self._cached is None:
            self._cached = self._compute(active)
            self._key = key
        return self._cached

    def _compute(self, active: np.ndarray) -> Effects:
        R, M, S = self.shape
        multiplier = np.ones((self.B, R, M, S))
        lead = self.base_lead
        surge = np.ones((self.B, R, M))
        embargo = np.zeros((self.B, M), bool)
        open_routes = True
        for k, kind in enumerate(self.kinds):
            on = active[:, k]
            if not on.any():
                continue
            size = self.magnitude[:, k]
            mask = self.masks[k]
            if kind in ("embargo", "quota_cut"):
                keep = np.where(on, 1.0 - size, 1.0)[:, None, None, None]
                multiplier = multiplier * np.where(mask, keep, 1.0)
                open_routes = False
                if kind == "embargo":
                    embargo |= on[:, None] & self.against[k][None, :]
            elif kind == "delay":
                days = np.where(on, size, 0.0).astype(np.int64)[:, None, None, None]
                lead = lead + np.where(mask, days, 0)
            else:
                factor = np.where(on, size, 1.0)[:, None, None]
                surge = surge * np.where(mask, factor, 1.0)
        return Effects(multiplier, lead, open_routes, surge, embargo)


def active_flags(start: np.ndarray, end: np.ndarray, day: int) -> np.ndarray:
    """Which shocks are active on ``day``: ``start <= day < end``, shape (B, K)."""
    return (start <= day) & (day < end)
