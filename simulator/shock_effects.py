"""Whether a shock does anything as written: a what-if switch off (severity 0) is left out of figures.

Layer: studies.

A shock whose size is its kind's that does nothing (:data:`IDLE`) stops, delays or adds nothing; the figures
draw no band for it, the legends leave it out and the report's shocks table says it is not
applied, unless the model still reads it (:func:`idle_in`). Without matplotlib, so that the
explorer's page can ask too.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.mechanisms import BY_NAME
from simulator.plan import members_embargoed, targets_some

IDLE = {
    "embargo": (0.0, "severity", "severity 0"),
    "quota_cut": (0.0, "severity", "severity 0"),
    "delay": (0.0, "extra_days", "0 extra days"),
    "demand_surge": (1.0, "factor", "demand \u00d71"),
}
"""Per kind: the size at which a shock does nothing, the scenario field that sets it, and how that is said.

A cut or embargo of severity 0 stops nothing, a delay of 0 days adds none, a demand surge
of factor 1 leaves demand as it was. An export quota caps in tonnes and licensing reviews
every shipment: neither has a size that does nothing for sure. (The field is the scenario's:
a demand surge's ``factor`` is the ``shocks`` table's ``demand_factor``.)"""

SIZE_FIELD = {kind: field for kind, (_, field, _) in IDLE.items()}
"""The scenario field that sets the size of a shock of a kind in :data:`IDLE`."""


@dataclass(frozen=True)
class KnownShocks:
    """What is known of the shocks of a run, or of a point of the explorer: each one's size and days.

    For a run (:func:`simulator.plots.idle_shocks`) its draws; for the explorer, which has a
    plan per point and no run, None stands for a value drawn at random.
    """

    scenario: Any
    """The scenario (its shocks, markets, agreement and horizon)."""
    structure: Any
    """The plan's or run's structure (its regions and materials)."""
    sizes: Sequence[float | None]
    """Per shock, its size in its kind's unit (a severity, extra days, a factor)."""
    starts: Sequence[float | None]
    """Per shock, its first active day."""
    ends: Sequence[float | None]
    """Per shock, its first inactive day."""


def idle_in(known: KnownShocks, index: int) -> str | None:
    """Why shock ``index`` does nothing (``severity 0``), or None when it acts, from the shocks' sizes and days.

    Its size is its kind's that does nothing (:data:`IDLE`), and nothing else reads it: an embargo or quota cut
    of severity 0 that buyers still read as a risk (``perceived_severity`` above 0, with a
    ``market`` block) moves prices, and an embargo of severity 0 the kernel still reads as
    declared (:func:`_declared_embargo_acts`) sets its targets' price premium or switches a
    rule applied under a threat: both act. For a run, :func:`simulator.plots.shock_idle`;
    for the explorer too (:class:`KnownShocks`). An unknown size acts, and a shock of unknown
    size or days raises no flag another would need (:func:`_declared_embargo_acts`).
    """
    shock = known.scenario.shocks[index]
    if shock.kind not in IDLE or known.sizes[index] != IDLE[shock.kind][0]:  # an unknown size (None) acts
        return None
    if known.scenario.market and getattr(shock, "perceived_severity", None):
        return None
    if shock.kind == "embargo" and _declared_embargo_acts(known, index):
        return None
    return IDLE[shock.kind][2]


def _declared_embargo_acts(known: KnownShocks, index: int) -> bool:
    """Whether embargo ``index`` of severity 0 still changes the run by being declared (``kernel/shocks.py``).

    Two things read an embargo whatever its severity, while it is in force within the run:

    - **the targeted premium**: an embargo aimed at some of the scenario's regions, not all
      (``ShockPlan.targeted``), makes its regions pay the world price times
      ``1 + targeted_premium`` for its materials (``kernel/pricing.py``); it acts where a
      market of one of its materials has ``targeted_premium`` above 0;
    - **the rule's switch**: an embargo against a member (``ShockPlan.against_members``)
      switches a rule applied under a threat (``shares_when: embargo_on_member``, ``hybrid``)
      from auctions to its sharing (``kernel/agreement.py``), unless the trigger switches on a
      measured loss only (``switch_on: measured_loss`` with a ``measured_loss`` window).

    Both are flags another embargo may raise already: the embargo acts only on a day, in
    the run, when no other embargo of a severity above 0 raises the same flag (the same
    region and material targeted; an embargo against a member on the same material).
    """
    scenario, starts, ends = known.scenario, known.starts, known.ends
    spec = scenario.shocks[index]
    first, end = starts[index], ends[index]
    if first is None or end is None:  # days drawn at random: it may act
        return True
    days = np.arange(max(int(first), 0), min(int(end), scenario.horizon_days))
    if not len(days):
        return False
    regions = list(known.structure.regions)
    materials = list(spec.materials or known.structure.materials)
    others = [
        k
        for k, other in enumerate(scenario.shocks)
        if k != index
        and other.kind == "embargo"
        and known.sizes[k] not in (None, 0)
        and starts[k] is not None
        and ends[k] is not None
    ]

    def uncovered(cells: list[tuple[set[str], str]], raises: Callable[[Any], set[str]]) -> bool:
        """Some cell (regions that count, a material) on some day has no other embargo raising its flag."""
        for whom, material in cells:
            covered = np.zeros(len(days), bool)
            for k in others:
                other = scenario.shocks[k]
                if whom & raises(other) and (other.materials is None or material in other.materials):
                    covered |= (starts[k] <= days) & (days < ends[k])
            if not covered.all():
                return True
        return False

    market = scenario.market
    if targets_some(regions, spec.regions):
        premium = [m for m in materials if m in market and market[m].price.targeted_premium > 0]
        targeted = [({r}, m) for r in spec.regions for m in premium]

        def targets(other: Any) -> set[str]:
            return set(other.regions) if targets_some(regions, other.regions) else set()

        if uncovered(targeted, targets):
            return True
    agreement = scenario.agreement
    if agreement is None or BY_NAME[agreement.mechanism].shares_when != "embargo_on_member":
        return False
    trigger = agreement.trigger
    if trigger.measured_loss is not None and trigger.switch_on == "measured_loss":
        return False
    members = set(agreement.members)
    if not members_embargoed(spec.regions, members):
        return False
    return uncovered([(members, m) for m in materials], lambda other: members_embargoed(other.regions, members))
