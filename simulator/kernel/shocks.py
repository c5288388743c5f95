"""What the active shocks do to routes and demand on a day.

Layer: engines. Shocks combine multiplicatively in scenario order: two embargoes of
severity 0.5 on one route leave ``(1 - 0.5) * (1 - 0.5) = 0.25`` of its shipments;
delays add their extra days; demand surges multiply demand.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.market import indicated_risk
from simulator.numeric import anywhere, ordered_sum
from simulator.plan import Plan
from simulator.randomness import Draws

SUPPLY_KINDS = ("embargo", "quota_cut", "export_quota", "licensing")
"""Shocks that cut supply (a market perceives their risk)."""


@dataclass(frozen=True)
class Effects:
    """Effects of the shocks active on one day (runs on the last axis)."""

    route_multiplier: np.ndarray
    """Share of planned shipments that leave, (region, material, supplier, run)."""
    lead_days: np.ndarray
    """Lead time of shipments leaving today, delays included, (region, material, supplier, run) int."""
    all_routes_open: bool
    """No embargo or quota cut is active anywhere in the batch (multiplier is all ones)."""
    demand_multiplier: np.ndarray | None
    """Factor on demand of the shocks that change it, (region, material, run); None: none active."""
    embargo_on_member: np.ndarray
    """An embargo is active against a member for the material, (material, run) bool."""
    perceived_risk: np.ndarray
    """Supply risk the active shocks indicate to a market, (material, run) (zeros without markets)."""
    targeted: np.ndarray
    """The region is hit by an embargo aimed at some regions only, (region, material, run) bool."""
    active: np.ndarray
    """The shocks' active flags, (shock, run) (procurement applies quotas and licensing)."""
    held: dict[int, np.ndarray]
    """Per active embargo that holds goods: the share of planned shipments it holds, (R, M, S, B)."""
    leak_fraction: np.ndarray | None
    """Share of planned shipments that leaks through stopping embargoes, (R, M, S, B); None: none."""
    leak_lead_days: np.ndarray | None
    """Transit days of what leaks through (today's lead time plus the extra days), (R, M, S, B) int."""
    lost_share: np.ndarray | None
    """Share of planned shipments that embargoes and quota cuts stop for good (neither leaked nor
    held), (R, M, S, B): it claims no room of a quota with ``claims: deliverable``. None: nothing
    stopped for good, or no such quota."""


class ShockEffects:
    """Turns the active flags of shocks into :class:`Effects`, caching unchanged days."""

    def __init__(self, plan: Plan, draws: Draws) -> None:
        """Per shock and run (``draws``): severity, extra days or factor, perceived severity, leaks.

        With a market, a supply shock also indicates a perceived risk: its perceived
        severity (the severity unless stated) times the share of the material's normal
        supply on the routes it touches (see :func:`simulator.market.indicated_risk`).
        """
        st = plan.structure
        self.B = plan.batch
        self.shape = (len(st.regions), len(st.materials), len(st.suppliers))
        self.magnitude = draws.shock_magnitude
        self.kinds = [sh.kind for sh in plan.shocks]
        self.base_lead = np.broadcast_to(plan.lead_time_days[:, None], (*self.shape, self.B))
        self.masks = [sh.mask[..., None] for sh in plan.shocks]
        self.against = [sh.against_members[:, None] for sh in plan.shocks]
        self.markets = plan.market is not None
        if self.markets:
            assert plan.market is not None
            exposure = plan.market.supply_exposure  # (R, M, S, B)
            self.exposure = [
                ordered_sum(ordered_sum(np.where(mask, exposure, 0.0), axis=2), axis=0)
                if sh.kind in SUPPLY_KINDS
                else None
                for sh, mask in zip(plan.shocks, self.masks, strict=True)
            ]
            self.perceived = draws.shock_perceived
            self.targets = [sh.mask.any(axis=2)[..., None] if sh.targeted else None for sh in plan.shocks]
        self.leak_share = draws.shock_leak_share
        self.leak_extra_days = draws.shock_leak_extra_days
        self.leaking = [bool((share > 0).any()) for share in self.leak_share]  # in some run
        self.held_ids = {k for k, sh in enumerate(plan.shocks) if sh.held}
        # only a quota whose deliverable tonnes claim its room needs what is stopped for good
        self.quotas = any(sh.kind == "export_quota" and sh.deliverable_claims for sh in plan.shocks)
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
        surge = None
        embargo = np.zeros((M, self.B), bool)
        severities, exposures = [], []
        targeted = np.zeros((R, M, self.B), bool)
        held: dict[int, np.ndarray] = {}
        leak = leak_extra = lost = None
        open_routes = True
        for k, kind in enumerate(self.kinds):
            on = active[k]
            if not anywhere(on):
                continue
            if self.markets and kind in SUPPLY_KINDS:
                severities.append(np.where(on, self.perceived[k], 0.0))
                exposures.append(self.exposure[k])
                if self.targets[k] is not None:
                    targeted |= on & self.targets[k]
            size = self.magnitude[k]
            mask = self.masks[k]
            if kind in ("embargo", "quota_cut"):
                if (
                    self.leaking[k] or k in self.held_ids or self.quotas
                ):  # what it stops of what the earlier ones let through
                    stopped = multiplier * np.where(mask, np.where(on, size, 0.0), 0.0)
                    share = self.leak_share[k]
                    if self.leaking[k]:  # a run without leaks adds +0.0 (stopped is never negative)
                        leak = stopped * share + (0.0 if leak is None else leak)
                        extra = np.where((stopped > 0) & (share > 0), self.leak_extra_days[k], 0)
                        leak_extra = extra if leak_extra is None else np.maximum(leak_extra, extra)
                    if k in self.held_ids:
                        held[k] = stopped * (1.0 - share)
                    elif self.quotas:
                        gone = stopped * (1.0 - share) if self.leaking[k] else stopped
                        lost = gone if lost is None else lost + gone
                multiplier = multiplier * np.where(mask, np.where(on, 1.0 - size, 1.0), 1.0)
                open_routes = False
                if kind == "embargo":
                    embargo |= on & self.against[k]
            elif kind == "delay":
                lead = lead + np.where(mask, np.where(on, size, 0.0).astype(np.int64), 0)
            elif kind == "demand_surge":
                factor = np.where(mask, np.where(on, size, 1.0), 1.0)
                surge = factor if surge is None else surge * factor
            elif kind in ("export_quota", "licensing"):
                pass  # applied in procurement, which keeps their state
        risk = indicated_risk(severities, exposures) if severities else np.zeros((M, self.B))
        leak_lead = None if leak_extra is None else lead + leak_extra
        return Effects(
            multiplier, lead, open_routes, surge, embargo, risk, targeted, active, held, leak, leak_lead, lost
        )


def active_flags(start: np.ndarray, end: np.ndarray, day: int) -> np.ndarray:
    """Which shocks are active on ``day``: ``start <= day < end``, shape (shock, run)."""
    return (start <= day) & (day < end)
