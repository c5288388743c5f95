"""Notes on a valid scenario: things that are allowed but probably not what the author meant.

Layer: ground.

A note never stops a run: ``stockpile validate`` and ``stockpile run`` print each as
``note: file: field path: message`` on standard error and go on (exit code 0). Anything
that makes an input meaningless, or silently turns a stock into 0 t, is an error instead
(:mod:`simulator.scenario.checks`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from simulator.errors import Problem, closest_hint, known_hint
from simulator.mechanisms import BY_NAME
from simulator.names import join_words
from simulator.scenario.checks import day_number, day_words, some_stock, valid_members
from simulator.scenario.load import named_path
from simulator.scenario.overrides import overlap_relation
from simulator.scenario.portfolio import capacity_notes, has_demand
from simulator.scenario.schema import RANDOM_TYPES, Delay, Scenario, ShockBase, earliest_start_day
from simulator.scenario.uncertain import inputs_of, short_text


def range_notes(
    s: Scenario, changed: Iterable[str] = (), data: Any = None, varied: Iterable[str] = ()
) -> list[Problem]:
    """A value as written that its own ``uncertain:`` entry's range leaves out: no sample of a study holds it.

    The single run uses the value; ``stockpile run --uncertainty`` and ``stockpile sensitivity``
    sample the range of every entry instead, so the run "as written" lies outside every sample.
    One note per such input, at its field. ``varied``: the paths of the only entries the study
    varies (``sensitivity --input``), as the entries write them; the others are left out, since
    every sample holds their value as written. Empty: every entry is varied. An input whose
    path a ``changed`` path (``--set``, a sweep's axis) is, holds or lies inside is left out
    too: its value is not the one written. ``data``: the scenario's data, to match list items
    given by position and by id.
    """
    given = [named_path(path, data) for path in changed]
    only = set(varied)
    notes = []
    for number, item in enumerate(inputs_of(s)):
        if not item.as_written_outside_range or (only and item.path not in only):
            continue
        if any(overlap_relation(path, named_path(item.path, data)) is not None for path in given):
            continue
        label = f", {item.entry.label}" if item.entry.label else ""
        message = (
            f"{short_text(_plain(item.current))} as written lies outside its own uncertain: range "
            f"(uncertain.{number}{label}): "
            f"the uncertainty study samples {item.sampled_text()}, so no sample holds the value as written; "
            "widen the range or fix the value"
        )
        notes.append(Problem(item.path, message))
    return notes


def scenario_notes(s: Scenario, changed: Iterable[str] = (), data: Any = None) -> list[Problem]:
    """Every note on a scenario that passed validation, each at the field it is about.

    ``changed``: the paths a ``--set`` gave values to (:func:`range_notes`), in ``data`` (the file's data).
    """
    notes = _unused_notes(s) + _no_demand_notes(s) + _ratio_notes(s) + _auction_notes(s) + _shock_notes(s)
    notes += _free_rider_notes(s)
    notes += _market_notes(s)
    notes += range_notes(s, changed, data)
    for text in capacity_notes(s):
        path, _, message = text.partition(": ")
        notes.append(Problem(path, message))
    return notes


def _plain(value: Any) -> Any:
    """A validated value as the file would write it: a model as the mapping of its fields given, in lists too."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", exclude_defaults=True)
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _unused_notes(s: Scenario) -> list[Problem]:
    """A material no region has, or a supplier no region can buy from, changes nothing: often a misspelled id.

    A material is used by a region that has demand, stock or sourcing of it; a supplier by a
    region it has a lead time to that sources from it, re-sources to spare capacity or has
    a quota. (A ``--set`` path through an id the file does not have is an error instead:
    :mod:`simulator.scenario.overrides`.)
    """
    notes = []
    blocks = ("demand", "commercial_stock", "reserve", "sourcing")
    used = {mid for region in s.regions.values() for block in blocks for mid in getattr(region, block)}
    for mid in s.materials:
        if mid not in used and mid not in s.market:  # a market for it has its own note
            message = (
                f"no region has demand, stock or sourcing of '{mid}', so it changes nothing{closest_hint(mid, used)}"
            )
            notes.append(Problem(f"materials.{mid}", message))
    buyers = set()
    for sid, supplier in s.suppliers.items():
        for rid in supplier.lead_time_days:
            region = s.regions.get(rid)
            procurement = region.procurement if region is not None else None
            if procurement is not None and (
                any(sid in shares for shares in region.sourcing.values())
                or procurement.resourcing is not None
                or procurement.quota
            ):
                buyers.add(sid)
    for sid in s.suppliers:
        if sid not in buyers:
            message = (
                f"no region can buy from '{sid}' (none it has a lead time to sources from it, re-sources to spare "
                f"capacity or has a quota), so it changes nothing{closest_hint(sid, buyers)}"
            )
            notes.append(Problem(f"suppliers.{sid}", message))
    return notes


def _no_demand_notes(s: Scenario) -> list[Problem]:
    """A region that sources or bids for a material it has no demand for: one note per region and material.

    Such a region orders none of it (its normal flows are its demand times its shares), never
    runs short, so its bids (a share of its expected gap) buy nothing, and the report and the
    printed table give it no row for the material: most often its demand was left out. Its pool
    contribution, if any, is named too (it serves only the other members); a contribution alone
    is no note, since a producer member may put in stock it does not use (club_of_five's
    Australia, heavy REE).
    """
    notes = []
    for rid, region in s.regions.items():
        for mid in s.materials:
            if has_demand(s, rid, mid):
                continue
            sources = mid in region.sourcing
            bids = _bids_for(s, rid, mid)
            if not (sources or bids):
                continue
            follows = []
            if sources:
                follows.append(f"orders none (regions.{rid}.sourcing.{mid})")
            if bids:
                follows.append(
                    f"its bids buy nothing (agreement.auction.bids.{rid}.{mid}: a bid is a share of its gap)"
                )
            if _contributes(s, rid, mid):
                follows.append(
                    f"its pool share serves only the other members (agreement.pool.contributions.{rid}.{mid})"
                )
            missing = "0 t/day" if mid in region.demand else "missing"
            message = (
                f"{missing}: '{rid}' has no demand for {mid}, so it is never short of it: it {', '.join(follows)}, "
                f"and the report and the printed table give it no {mid} row; "
                f"give regions.{rid}.demand.{mid} if it uses it"
            )
            notes.append(Problem(f"regions.{rid}.demand.{mid}", message))
    return notes


def _bids_for(s: Scenario, rid: str, mid: str) -> bool:
    """Whether ``rid`` gives bids for ``mid`` at an agreement's auctions (any segment)."""
    a = s.agreement
    return a is not None and a.auction is not None and bool(a.auction.bids.get(rid, {}).get(mid))


def _contributes(s: Scenario, rid: str, mid: str) -> bool:
    """Whether ``rid`` puts some of ``mid`` into a joint pool (tonnes, days or days of net imports above 0)."""
    a = s.agreement
    stock = a.pool.contributions.get(rid, {}).get(mid) if a is not None and a.pool.mode == "joint" else None
    return stock is not None and some_stock(stock)


def _ratio_notes(s: Scenario) -> list[Problem]:
    """A ratio key that names no member, under a rule that does not share by the ratio (under one it is an error).

    Such a ratio is unused (a ``--set`` of the mechanism or the members on a file written for
    ``fair_ratio``), so a key left naming a former member changes nothing.
    """
    a = s.agreement
    if a is None or BY_NAME[a.mechanism].needs_ratio:
        return []
    known = valid_members(s, a)
    return [
        Problem(
            f"agreement.ratio.{rid}",
            f"'{rid}' is no member {known_hint(rid, known)}; the ratio is unused under '{a.mechanism}', "
            "so it changes nothing",
        )
        for rid in a.ratio
        if rid not in a.members
    ]


def _free_rider_notes(s: Scenario) -> list[Problem]:
    """A member with no contribution to a joint pool it can draw from: most often its entry was left out.

    Only a member without an ``agreement.pool.contributions`` entry: one written as 0 says it on purpose
    (long_embargo_6m's EU, with no stock yet). It can draw a material the pool holds (another member puts
    some in, or it is refilled) that it has demand for, where the rule shares by itself (under a ratio,
    one above 0) or it bids for the material at auctions. Allowed (a member may be carried by the others),
    so a note, not an error; the report says what it drew (``puts nothing into the pool and draws ...``).
    """
    a = s.agreement
    if a is None or a.pool.mode != "joint":
        return []
    pool = a.pool
    rule = BY_NAME[a.mechanism]
    notes = []
    for rid in valid_members(s, a):
        if rid in pool.contributions:
            continue
        shares = rule.shares_as is not None and not (rule.needs_ratio and a.ratio.get(rid, 0.0) == 0)
        drawn = [
            mid
            for mid in s.materials
            if has_demand(s, rid, mid)
            and (_held(s, mid) and (shares or (rule.holds_auctions and _bids_for(s, rid, mid))))
        ]
        if drawn:
            message = (
                f"missing: '{rid}' puts nothing into the joint pool, yet can draw "
                f"{join_words(drawn)} from it under '{a.mechanism}'; "
                f"give agreement.pool.contributions.{rid} "
                "if it should pay in"
            )
            notes.append(Problem(f"agreement.pool.contributions.{rid}", message))
    return notes


def _held(s: Scenario, mid: str) -> bool:
    """Whether a joint pool holds some ``mid``: a member puts some in, or it is refilled."""
    pool = s.agreement.pool if s.agreement is not None else None
    if pool is None:
        return False
    put_in = any(some_stock(per[mid]) for per in pool.contributions.values() if mid in per)
    return put_in or (pool.refill_t_per_day.get(mid) or 0) > 0


def _auction_notes(s: Scenario) -> list[Problem]:
    """A member that bids for nothing under a rule that holds auctions never buys there."""
    a = s.agreement
    if a is None or not BY_NAME[a.mechanism].holds_auctions:
        return []
    bids = a.auction.bids if a.auction is not None else {}
    notes = []
    for rid in valid_members(s, a):
        if any(bids.get(rid, {}).values()):
            continue
        rule = BY_NAME[a.mechanism]
        pays = ", though it pays into the pool" if a.pool.contributions.get(rid) else ""
        if rule.shares_as is not None and not (rule.needs_ratio and a.ratio.get(rid, 0.0) == 0):
            what = (
                f"'{rid}' gives no bids, so it gets nothing at the auctions; under '{a.mechanism}' it receives from "
                f"the shared stock only on the days {BY_NAME[rule.shares_as].phrase} applies "
                "(see agreement.trigger.switch_on)"
            )
        else:
            zero = " and its agreement.ratio is 0" if rule.shares_as is not None else ""
            what = (
                f"'{rid}' gives no bids{zero}, so under '{a.mechanism}' it never receives anything from the shared "
                f"stock{pays}; give it bids if it should buy at the auctions"
            )
        notes.append(Problem(f"agreement.auction.bids.{rid}", f"missing: {what}"))
    return notes


WARM_UP_REACH_CAP_DAYS = 3650
"""Days before day 0 the warm-up reaches back to a shock's start at most (ten years).

A shock that can start earlier runs in the warm-up from this day on, as if it had started
then: what it accumulates without bound (cargo held at origin) is counted from here, and
depends on the pipeline's length before it. Every other state a shock leaves on day 0 (a
licence's queue, the days buyers have lost supply up to ``reaction_days``, the quota
period's use, what leaks under way) is full well within ten years."""


def warm_up_start(s: Scenario) -> int:
    """The first day the model simulates, or a day after it (see below).

    The longest lead time and fixed delays before day 0, or before the earliest start of a shock
    that can begin before day 0 (at most :data:`WARM_UP_REACH_CAP_DAYS` back), as
    :func:`simulator.plan.compile_plan` sets it, which also adds the longest licence processing
    time where a licence can start before day 0. A shock that ends before this day is over
    before the model begins: it started more than ten years before day 0.
    """
    lead = max((days for sup in s.suppliers.values() for days in sup.lead_time_days.values()), default=0)
    delays = sum(int(sh.extra_days) for sh in s.shocks if isinstance(sh, Delay) and isinstance(sh.extra_days, int))
    earliest = min((_first_start(s, sh) for sh in s.shocks), default=0)
    return max(min(earliest, 0), -WARM_UP_REACH_CAP_DAYS) - (lead + delays)


def _shock_notes(s: Scenario) -> list[Problem]:
    """A shock that is active on no day the model simulates has no effect."""
    notes = []
    first = warm_up_start(s)
    for shock in s.shocks:
        base = f"shocks.{shock.id}"
        start = _first_start(s, shock)
        if start >= s.horizon_days:
            horizon = f"the horizon ({s.horizon_days} days: days 0 to {s.horizon_days - 1})"
            if isinstance(shock.start, RANDOM_TYPES):
                message = f"drawn from {day_words(s, start)} on, after {horizon}: the shock has no effect in any run"
            else:
                message = f"{day_words(s, start)} is after {horizon}; the shock has no effect"
            notes.append(Problem(f"{base}.start", message))
            continue
        if getattr(shock, "sharing", None) == "contracts_first":
            notes += _periodic_buyers(s, base, shock.supplier, shock.materials)
        if getattr(shock, "preference", None) and getattr(shock, "sharing", None) != "preference":
            message = f"ignored: the quota shares by '{shock.sharing}' (give sharing: preference to serve these first)"
            notes.append(Problem(f"{base}.preference", message))
        end, field = _end(s, shock)
        if end is not None and end <= first:
            since = "" if first == 0 else f" (its warm-up, from day {first})"
            message = f"the shock ends on {day_words(s, end)}, before the model's first day{since}: it has no effect"
            notes.append(Problem(f"{base}.{field}", message))
    return notes


def _periodic_buyers(s: Scenario, base: str, supplier: str, materials: list[str] | None) -> list[Problem]:
    """Regions buying under a ``contracts_first`` quota that order every few days (one day of normal flow first)."""
    notes = []
    for rid, region in s.regions.items():
        rule = region.procurement.replenishment
        buys = any(
            shares.get(supplier, 0.0) > 0 for m, shares in region.sourcing.items() if not materials or m in materials
        )
        if buys and rule.policy == "order_up_to" and rule.review_days > 1:
            message = (
                f"'{rid}' orders every {rule.review_days} days (order_up_to), and a quota serves a day's normal "
                "flow first: on its review days the rest of its order competes as beyond normal, and between "
                "them its normal flow is not kept for it"
            )
            notes.append(Problem(f"{base}.sharing", message))
    return notes


def _end(s: Scenario, shock: ShockBase) -> tuple[int | None, str]:
    """The day a shock is no longer active and the field that sets it (None when drawn at random)."""
    if shock.end is not None:
        return day_number(shock.end, s.start_date), "end"
    start = None if isinstance(shock.start, RANDOM_TYPES) else day_number(shock.start, s.start_date)
    if start is None or not isinstance(shock.duration_days, int):
        return None, "duration_days"
    return start + shock.duration_days, "duration_days"


def _first_start(s: Scenario, shock: ShockBase) -> int:
    """The earliest day the shock can start in a run, as :func:`simulator.plan.shock_reach` counts it."""
    start = shock.start if isinstance(shock.start, RANDOM_TYPES) else day_number(shock.start, s.start_date)
    return earliest_start_day(start)


def _market_notes(s: Scenario) -> list[Problem]:
    """A market for a material no region uses has nobody to act on."""
    notes = []
    for mid in s.market:
        if not any(has_demand(s, rid, mid) for rid in s.regions):
            message = (
                f"no region has demand for {mid}, so this market has no buyers: its price, stocks and supply "
                "response change nothing"
            )
            notes.append(Problem(f"market.{mid}", message))
    return notes
