"""The verdict at the top of the report: would a joint stock have helped, who gets what, at what cost.

Layer: studies.

With an agreement, the run is set against the same scenario (the same changes, the
same seed) without its agreement, so that "helped" means what the joint stock did and
nothing else; with a joint pool, also against each member's share held alone
(:mod:`simulator.counterfactuals`), so that what *pooling* does is told apart
from what the tonnes do (the sentences on sharing are :mod:`simulator.report.sharing`'s).
Every member gets a row: short or not with the stock, with its
share alone and without it,
what it received from the shared stock, what it paid and received at auction, what
its pool share cost to buy and hold, the net, and what it still owns at the end, worth
at the last day's world prices (reference prices without a market), its tonnes by
material in the note under the table (:mod:`simulator.report.accounts`). A stock that
averts no shortfall is "not needed to close a shortfall": the model gives it no effect on prices, so
whether it would have tempered a price rise is outside it, and the answer says so. Without
an agreement, each region's shortfall and the costs of its own policies.
"""

from __future__ import annotations

from collections.abc import Collection
from html import escape

import numpy as np
import pandas as pd

from simulator import shortages
from simulator.counterfactuals import has_joint_pool, status_quo_is_own_shares
from simulator.mechanisms import BY_NAME
from simulator.metrics import anyone_short, days_of_cover
from simulator.names import in_sentence, run_words
from simulator.numeric import KG_PER_T
from simulator.plots import KIND_NAMES, idle_shocks, received_rules, shock_target
from simulator.randomness import SEEDS_ADVISED
from simulator.report.accounts import Account, end_prices, holding_usd_per_t_day
from simulator.report.findings import MANY_NAMED, Run, of_materials, only_user, quota_sharing_caveat
from simulator.report.prices import price_line, prices_rose
from simulator.report.sharing import (
    changed_shortfalls,
    grant_note,
    grant_note_by_material,
    granted,
    granted_t,
    material_tonnes,
    movers_line,
    pooling_line,
    ratio_line,
    short_by_material,
)
from simulator.report.style import caption, scroll_region
from simulator.report.uncertainty import SECTION_ID as UNCERTAINTY_SECTION
from simulator.report.uncertainty import NearRecord, Robustness
from simulator.report.words import (
    DASH,
    HELD_TODAY,
    NOT_NEEDED,
    VISIBLE_T,
    cap,
    days,
    detail,
    draws_own,
    drop_residue_usd,
    held_part,
    in_millions,
    join_words,
    lent_word,
    over_days,
    percent,
    plural,
    price,
    shortfall_tonnes,
    shows_tonnes,
    tonnes,
    usd,
    usd_2,
    usd_all,
    usd_per_kg,
    when,
    without_it,
)
from simulator.results import shared_stock_held
from simulator.scenario.checks import reference_price
from simulator.scenario.schema import drawn_at_random
from simulator.scenario.tonnes import prices_apart as scenario_prices_apart
from simulator.scenario.tonnes import tonnes_apart as scenario_tonnes_apart
from simulator.stocks import held_today_members, shares_held_today

SMALL = "<br><small>{}</small>"
ALMOST_ENTIRELY = 0.9
"""A cut of the members' shortfall from this share up is "almost entirely", not "in part"."""
STOCK_AND_PRICE = (
    "In the model the joint stock leaves prices as they are: it only fills members' gaps; commercial stocks "
    "set the price (an assumption: docs/limitations.md)."
)
"""Said beside the prices of a run with an agreement (docs/limitations.md, markets), unless :data:`PHYSICAL_ONLY`
is said above it: with the headline's "whether it would have tempered the price rise is outside this model" that
would be the third time."""
PHYSICAL_ONLY = (
    "This answer counts physical shortfall only. The model gives the stock no effect on prices "
    "(docs/limitations.md, \u201cA strategic stock does not move the price\u201d), so any calming of prices "
    "is not counted, and what the stock is shown to do is a lower bound on its value."
)
"""Said where the verdict finds the stock not needed: a stock that averts no shortfall may still be worth holding."""


def tonnes_apart(run: Run) -> bool:
    """Whether tonnes of the run's different materials must not be added into one figure.

    They count different things (``tonnes_of``: oxide and magnet, Ga metal and Ge metal), or
    their reference prices lie far apart (:func:`prices_apart`): the headline would then not
    add them either (:func:`_unlike_tonnes`, whose totals span two materials or more). The
    rule is :func:`simulator.scenario.tonnes.tonnes_apart`'s, which ``stockpile run`` and
    ``stockpile compare`` follow too.
    """
    return scenario_tonnes_apart(run.result.scenario, run.materials())


def _visible(values: dict[str, float], short: bool = False) -> list[str]:
    """The materials of ``values`` whose tonnes do not round to 0 t (``short``: shortfalls, those short of them)."""
    return [m for m, value in values.items() if (shortages.short(value) if short else shows_tonnes(value))]


def split_by_material(run: Run, values: dict[str, float], short: bool = False) -> bool:
    """Whether a cell giving ``values`` (tonnes by material) gives them material by material.

    Where tonnes of the run's materials may not be added (:func:`tonnes_apart`) and two
    materials or more are in it: a total would add what the headline does not. A cell of one
    material keeps its figure alone (the headline and the cells around it name the materials).
    ``short``: ``values`` are shortfalls, a material in it where short of it (:func:`simulator.shortages.short`).
    """
    return tonnes_apart(run) and len(_visible(values, short)) > 1


def by_material_t(
    run: Run,
    values: dict[str, float],
    metric: str | None = None,
    zero: str = "none",
    total: float | None = None,
    name_one: bool = False,
    short: bool = False,
) -> list[str]:
    """Tonnes of several materials as a table cell gives them: one total, or one figure per material.

    ``values`` by material; ``metric``: the region's total metric (``shortfall_t.japan``),
    each material's figure then tagged as ``<metric>.<material>``; ``total``: the total to
    show (the metric's own value; else the sum of ``values``). Where a total would add tonnes
    the headline would not add (:func:`split_by_material`), ``["4.49 t of gallium", "4.98 t of
    germanium"]`` (a material that rounds to 0 t left out; what each material's tonnes count is
    said under the report's figures); else ``["9.47 t"]``, or ``[zero]`` when it rounds to 0 t.
    ``name_one``: a single material is named too (``["4.49 t of gallium"]``), in a note beside
    figures given by material. ``short``: ``values`` are shortfalls, given where short
    (:func:`simulator.shortages.short`) and never as 0 t (:func:`~simulator.report.words.shortfall_tonnes`).
    """
    shows, written = (shortages.short, shortfall_tonnes) if short else (shows_tonnes, tonnes)

    def tagged(value: float, name: str | None) -> str:
        return (run.short_t(value, name) if short else run.t(value, name)) if name else written(value)

    if split_by_material(run, values, short) or (name_one and len(_visible(values, short)) == 1):
        return [
            f"{tagged(values[m], f'{metric}.{m}' if metric else None)} of {run.names.material_text(m)}"
            for m in _visible(values, short)
        ]
    total = float(sum(values.values())) if total is None else total
    if not shows(total):
        return [run.t(total, metric, zero=zero) if metric else zero]
    return [tagged(total, metric)]


def _cell_t(run: Run, region: str, column: str) -> dict[str, float]:
    """A summary column of ``region``, by material (0 for a material without a figure)."""
    return {m: float(run.cell(region, m, column) or 0.0) for m in run.materials()}


def _short(run: Run, region: str) -> str:
    """``7,200 t`` with ``from 10 Apr 2011`` below (tagged), or ``none``; by material where tonnes may not be added.

    Where tonnes of the run's materials may not be added (:func:`tonnes_apart`) a cell short of one material names
    it (``17.4 t of heavy rare earths``), as a cell short of two names each: the cells of a row may be short of
    different materials. Where they may be added, one total, of one material or more, as the headline gives it.
    """
    total = run.metric(f"shortfall_t.{region}")
    if not shortages.short(total):  # none, or a residue the words show as none
        return run.tag("none", total, f"shortfall_t.{region}")
    first = int(run.metric(f"first_shortfall_day.{region}"))
    metric = f"shortfall_t.{region}"
    named = tonnes_apart(run)
    cells = _cell_t(run, region, "shortfall_t")
    shown = "<br>".join(by_material_t(run, cells, metric, total=total, name_one=named, short=True))
    return shown + SMALL.format(f"from {run.date(first, f'first_shortfall_day.{region}')}")


def _who_is_short(run: Run, regions: list[str], verb: str) -> str:
    """``Japan would be short of 19.8 t of heavy rare earths and the EU of 922 t of light and heavy rare earths``.

    Tagged, for the regions given, each total with the materials it adds (:func:`of_materials`); where they are
    the same for every region, said once, after the last: ``Japan would be short of 200 t and the EU of 800 t of
    rare earths``.
    """
    materials = [of_materials([run], [region]) for region in regions]
    once = len(set(materials)) == 1
    parts = []
    for k, region in enumerate(regions):
        total = run.metric(f"shortfall_t.{region}")
        shown = run.short_t(total, f"shortfall_t.{region}")
        if not once or k == len(regions) - 1:
            shown += materials[k]
        parts.append(
            f"{run.names.subject(region)} {verb} short of {shown}"
            if k == 0
            else f"{run.names.subject(region)} of {shown}"
        )
    return join_words(parts)


def _moved_between(run: Run, alone: Run) -> str:
    """`` It moves 364 t of shortfall between members: Japan is short of 13,822 t with it and 13,458 t without...``."""
    changed = changed_shortfalls(run, alone)
    if not changed:
        return ""
    moved = sum(max(0.0, now - then) for _, now, then in changed)
    without = without_it(run.result.scenario, "", whose=False)  # the heading names whose stocks
    parts = [
        f"{run.names.subject(m)}{' is short' if k == 0 else ''} of "
        f"{run.short_t(now, f'shortfall_t.{m}', zero='none')} "
        f"with it and {alone.short_t(then, f'shortfall_t.{m}', zero='none')} {without}"
        for k, (m, now, then) in enumerate(changed)
    ]
    return f" It moves {tonnes(moved)} of shortfall between members: {join_words(parts)}."


CLOSE_CALL_DAYS = 7.0
"""Lowest cover (days) under which a member never short was a close call, worth saying beside "not needed"."""


def _why_not_drawable(mechanism: str, sharing_day: bool) -> str:
    """Why the rule let a member draw none of its pool share on a day, in the words of the rule's registry entry.

    Drawable cover counts shared stock only where releases are open and a sharing rule
    applies (:meth:`simulator.kernel.agreement.AgreementStep._drawable`). On a day a rule
    that auctions does so (``auction``; ``hybrid`` in normal times) it counts none: the rule's
    ``auctions_as`` says how the shared stock goes out instead. On a day a sharing rule applied
    (``sharing_day``), the member's part would have counted had releases been open, so they were not.

    >>> _why_not_drawable("hybrid", False)
    'under the hybrid rule, in normal times the shared stock is sold by auction'
    >>> _why_not_drawable("hybrid", True), _why_not_drawable("fair_ratio", True)
    ('releases under the fair allocation ratio were not open that day', \
'releases under the fair allocation ratio were not open that day')
    """
    entry = BY_NAME[mechanism]
    if sharing_day and entry.shares_as is not None:
        return f"releases under {BY_NAME[entry.shares_as].phrase} were not open that day"
    return f"under {entry.phrase}, {entry.auctions_as}"


def _sharing_day(run: Run, material: str, day: int) -> bool | None:
    """Whether the agreement's sharing rule applied to ``material`` on ``day`` (not its auctions); None: not known.

    Always for a plain sharing rule, never for auctions only; for a rule that shares under a
    threat (``hybrid``), on the days a declared embargo against a member is in force for the
    material (shocks.csv's days, the scenario's targets), as the kernel switches it
    (:func:`simulator.plan.shock_plan`'s ``against_members``). A switch on a measured supply
    loss is not in the outputs: where the trigger can switch on one, whether the rule shared
    that day is not known (None).
    """
    agreement = run.result.scenario.agreement
    assert agreement is not None
    entry = BY_NAME[agreement.mechanism]
    if entry.shares_when != "embargo_on_member":
        return entry.shares_when == "always"
    if agreement.trigger.measured_loss is not None and agreement.trigger.switch_on != "declared_embargo":
        return None
    members = set(agreement.members)
    days = run.result.shocks.set_index("id") if not run.result.shocks.empty else None
    for spec in run.result.scenario.shocks:
        if spec.kind != "embargo" or not members & set(spec.regions) or days is None or spec.id not in days.index:
            continue
        if spec.materials is not None and material not in spec.materials:
            continue
        if float(days.at[spec.id, "start_day"]) <= day < float(days.at[spec.id, "end_day"]):  # the end day is over
            return True
    return False


def _share_unused(run: Run, member: str, material: str, day: int) -> tuple[str, str]:
    """What of ``member``'s pool share its cover of ``material`` on ``day`` leaves out, and why: ('', '') if nothing.

    ``(", counting only stock it could draw (its 60.0 days of demand in the joint pool were not its to draw)", " Under
    the hybrid rule, ...: the EU's never ran out, so it never bid.")``: a clause for the close call's
    sentence, after the cover it qualifies, and the rule's reason as a sentence of its own ('' where not known).

    Told where, on the day ``member``'s drawable cover of ``material`` was at its lowest
    with the stock, the member owned stock in the joint pool (``pool_share_t``) that the rule
    did not let it draw (``drawable_shared_t`` 0): its days of demand are the share over that
    day's baseline demand, as days of cover are counted (:func:`simulator.metrics.days_of_cover`).
    The pool's days "were not released" on a day the sharing rule applied and gave the member none;
    on a day the rule auctions (or not known) they "were not its to draw", the reason being the auction's.
    Said in the sentence that gives the cover: days of cover count only stock the member could draw, and
    "with or without the joint stock, the EU's cover fell to 1.6 days", quoted alone, would read as the EU
    coming within 1.6 days of empty with its 60 days of the pool in hand (a fact-check of session 64).
    """
    agreement = run.result.scenario.agreement
    ts = run.result.timeseries
    if agreement is None or "pool_share_t" not in ts or "drawable_shared_t" not in ts:
        return "", ""
    row = ts[(ts["region"] == member) & (ts["material"] == material) & (ts["day"] == day)]
    if row.empty:
        return "", ""
    share = float(row["pool_share_t"].iloc[0])
    drawable = float(row["drawable_shared_t"].iloc[0])
    if share < VISIBLE_T or drawable >= VISIBLE_T:
        return "", ""
    held = float(days_of_cover(np.array([share]), np.array([float(row["baseline_demand_t"].iloc[0])]))[0])
    if not np.isfinite(held):
        return "", ""
    sharing = _sharing_day(run, material, day)
    why = "" if sharing is None else f" {cap(_why_not_drawable(agreement.mechanism, sharing))}."
    if sharing is False and BY_NAME[agreement.mechanism].holds_auctions:
        never, kept = _never_bid(run, member, material)
        if never:
            rule = cap(_why_not_drawable(agreement.mechanism, sharing))
            bids = f"{rule}, and a member bids only for a gap its own stock cannot cover"
            why = (
                f" {bids}: {run.names.possessive(member)} never ran out, so it never bid."
                if kept
                else f" {cap(run.names.subject(member))} never bid for its share. {bids}."
            )
    withheld = "were not released" if sharing else "were not its to draw"  # released only on a sharing day
    return (
        f", counting only stock it could draw (its {days(held)} days of demand in the joint pool {withheld})",
        why,
    )


def _never_bid(run: Run, member: str, material: str) -> tuple[bool, bool]:
    """Whether ``member`` never bid for ``material`` in the run, and whether its commercial stock never ran out.

    On a day the rule auctions, the shared stock goes only to bids, and a member bids for the
    shortfall it expects before the next auction net of its commercial stock
    (:mod:`simulator.kernel.agreement`). Where ``member`` never bid for ``material`` in the run
    (auctions.csv has no bid of it), that, not the auction, is why its share lay unused; where
    its commercial stock never ran out (its lowest at least :data:`VISIBLE_T`), that is why it never bid.
    How low that stock came is not told again: the close call it follows gives the member's lowest cover
    of the material (the 2010 replay's 1.6 days are its lowest 0.82 t of heavy rare earths), and a bare
    tonnage there named no material. (False, False) where it bid, or where the outputs cannot tell.
    """
    auctions, column = run.result.auctions, f"bid_t.{member}"
    if not auctions.empty:
        if column not in auctions or "material" not in auctions:
            return False, False
        if float(auctions.loc[auctions["material"] == material, column].fillna(0).sum()) >= VISIBLE_T:
            return False, False
    ts = run.result.timeseries
    stock = ts.loc[(ts["region"] == member) & (ts["material"] == material), "commercial_stock_t"]
    return True, bool(len(stock) and float(stock.min()) >= VISIBLE_T)


def _closest_call(run: Run, regions: Collection[str]) -> tuple[float, str, str, int] | None:
    """The lowest cover (days) of ``regions`` in ``run``, its region, material and first day, if a close call.

    A close call: under :data:`CLOSE_CALL_DAYS` days and below the first day's cover (a region that never had
    more, stockless, did not come close); None where no region and material is one.
    """
    ts = run.result.timeseries
    first_day = ts[ts["day"] == ts["day"].min()].set_index(["region", "material"])["days_of_cover"]
    lowest = None
    for region in regions:
        for material in run.materials():
            if not run.demands(region, material) or (region, material) not in run.lowest_day:
                continue
            cover = float(run.cell(region, material, "min_days_of_cover"))
            if cover >= float(first_day[region, material]):  # no fall: it never had more (a stockless region)
                continue
            if lowest is None or cover < lowest[0]:
                lowest = (cover, region, material, run.lowest_day[region, material])
    if lowest is None or lowest[0] >= CLOSE_CALL_DAYS:
        return None
    return lowest


def _close_call_alone(run: Run) -> str:
    """`` It was a close call. The EU's cover of heavy rare earths fell to 1.6 days on 3 Jul 2011``, without a stock.

    The sentence :func:`_close_call` gives a scenario with one, for a scenario without (the stocks of 2010, say)
    where no region runs short: the region and material with the lowest cover, when a close call
    (:func:`_closest_call`), and how that low rests on a quota's sharing (:func:`quota_sharing_caveat`); else ''.
    """
    lowest = _closest_call(run, run.regions())
    if lowest is None:
        return ""
    cover, region, material, day = lowest
    whose = cap(f"{run.names.possessive(region)} cover of {run.names.material_text(material)}")
    rests = quota_sharing_caveat(run, region, (material, day), cover)
    return f" It was a close call. {whose} fell to {days(cover)} days on {when(run.result.start_date, day)}{rests}."


def _close_call(run: Run, alone: Run, members: tuple[str, ...]) -> str:
    """`` It was a close call. With or without the joint stock, the EU's cover of heavy rare earths fell to 1.6 days``.

    The member and material with the lowest cover without the stock, and the first day at
    it, when under :data:`CLOSE_CALL_DAYS` days and below its first day's; else empty. Not
    needed is then a near miss. The same member's and material's lowest cover with the
    stock is told beside it: as one number ("with or without") when the two read the same
    at the shown rounding (a stock that released nothing leaves it as it was), else both,
    so that the sentence does not credit the stock with a cover it did not keep; when the
    stock released nothing, the cover with it counts the share the member could have drawn.
    Where the member's pool share lay unused on its lowest day with the stock, the sentence
    says how many days of its demand the share held and why the rule did not release it
    (:func:`_share_unused`). Where that low rests on a supplier's quota shared pro rata to
    orders, the sentence says so as the member's finding does (:func:`quota_sharing_caveat`:
    in the 2010 replay the EU's 1.6 days are 14.2 with contracts served first, key assumptions
    K13 and K20).
    """
    lowest = _closest_call(alone, members)
    if lowest is None:
        return ""
    cover, member, material, day = lowest
    lost = cap(without_it(run.result.scenario, "the joint stock"))  # or: with the stocks held today
    whose = f"{alone.names.possessive(member)} cover of {alone.names.material_text(material)}"
    on = when(alone.result.start_date, day)
    with_day = run.lowest_day.get((member, material))
    with_cover = run.cell(member, material, "min_days_of_cover")
    if with_day is None or with_cover is None or not np.isfinite(with_cover):
        rests = quota_sharing_caveat(run, member, (material, day), cover)  # the trigger is the agreement's
        return f" It was a close call. {lost}, {whose} fell to {days(cover)} days on {on}{rests}."
    with_on = when(run.result.start_date, with_day)
    unused, why = _share_unused(run, member, material, with_day)
    # how low the cover fell may rest on how a supplier's quota is shared, as the member's finding says
    rests = quota_sharing_caveat(run, member, (material, with_day), with_cover)
    if days(with_cover) == days(cover):
        scenario = run.result.scenario
        dates = f"on {on}" if with_on == on else f"(on {on} {without_it(scenario, whose=False)}, on {with_on} with it)"
        either = (  # "With or without the joint stock", or: with it or with the stocks held today
            f"With the joint stock or {without_it(scenario, whose=False)}"
            if shares_held_today(scenario)
            else "With or without the joint stock"
        )
        return f" It was a close call. {either}, {whose} fell to {days(cover)} days {dates}{unused}{rests}.{why}"
    then = "the same day" if with_on == on else f"on {with_on}"
    # with nothing released, the higher cover is only the share the rule would have let the member draw (unless
    # the share lay unused that day, which the sentence then says)
    with_it = "with it," if received_rules(run.result) or unused else "with it, counting the share it could draw,"
    return (
        f" It was a close call. {lost}, {whose} fell to {days(cover)} days on {on}; {with_it} "
        f"to {days(with_cover)} days {then}{unused}{rests}.{why}"
    )


OUTCOMES = ("not_needed", "only_with", "closes", "cuts", "no_help")
"""The answers of the headline, as :func:`outcome` names them (the samples' counts use the same)."""

FEW_NEAR_RUNS = 6
"""Runs near the record too few to be evidence below it: with k of k runs short, the exact (Clopper-Pearson) 95%
interval of the share short starts at 0.025^(1/k), above one half only from 6 runs (0.54; 5 runs: 0.48)."""


def by_material_answer(with_t: dict[str, float], without_t: dict[str, float], kinds: bool, prices: bool) -> bool:
    """Whether the headline answers material by material, from the members' shortfall by material.

    So it does where tonnes count different things (``kinds``), or where reference prices lie
    far apart (``prices``) with two materials or more short with or without the stock.
    """
    mixed = any(int(shortages.short(list(values.values())).sum()) > 1 for values in (with_t, without_t))
    return kinds or (prices and mixed)


def outcome(with_t: dict[str, float], without_t: dict[str, float], kinds: bool = False, prices: bool = False) -> str:
    """Which answer the headline gives: the members' shortfall by material with and without the joint stock.

    ``not_needed``: no member short either way; ``only_with``: short only with the stock;
    ``closes``: short without it, not with it; ``cuts``: smaller with it, as shown (rounded as
    :func:`tonnes` rounds; by material, some material's smaller, where the headline answers by
    material: :func:`by_material_answer`); ``no_help``: none smaller as shown. Short is
    :func:`simulator.shortages.short`'s, of the members' total: a residue (1e-13 t) is none, 3e-6 t is short.

    >>> [outcome({"a": w}, {"a": wo}) for w, wo in ((0, 0), (6, 0), (0, 5), (20, 30), (12, 12.01), (9, 5))]
    ['not_needed', 'only_with', 'closes', 'cuts', 'no_help', 'no_help']
    >>> outcome({"a": 5, "b": 0}, {"a": 5, "b": 3}, kinds=True), outcome({"a": 5, "b": 0}, {"a": 1, "b": 3})
    ('cuts', 'no_help')
    >>> outcome({"a": 1e-13}, {"a": 0.0}), outcome({"a": 1e-13}, {"a": 5.0}), outcome({"a": 3e-6}, {"a": 0.0})
    ('not_needed', 'closes', 'only_with')
    """
    w, wo = float(sum(with_t.values())), float(sum(without_t.values()))
    if not shortages.short(wo):
        return "only_with" if shortages.short(w) else "not_needed"
    if not shortages.short(w):
        return "closes"
    if by_material_answer(with_t, without_t, kinds, prices):
        materials = set(with_t) | set(without_t)
        cut = any(
            with_t.get(m, 0.0) < without_t.get(m, 0.0)
            and shortfall_tonnes(with_t.get(m, 0.0)) != shortfall_tonnes(without_t.get(m, 0.0))
            for m in materials
        )
        return "cuts" if cut else "no_help"
    return "cuts" if w < wo and shortfall_tonnes(w) != shortfall_tonnes(wo) else "no_help"


def headline_outcome(run: Run, alone: Run) -> str:
    """:func:`outcome` of the run against the same scenario without its agreement."""
    members = list(run.result.structure.member_names)
    materials = run.materials()
    return outcome(
        {m: run.short_of(members, [m]) for m in materials},
        {m: alone.short_of(members, [m]) for m in materials},
        len(run.tonnes_kinds()) > 1,
        bool(prices_apart(run)),
    )


def not_near_record(near: NearRecord) -> str:
    """What the samples closest to the record say against "not needed to close a shortfall", a clause after ``; but``.

    Said where that answer holds in none of the samples whose peak prices come near the record's
    (:meth:`simulator.report.uncertainty.NearRecord.fails`): the bold line alone would point the other way. A
    statement of its own, never a qualifier of "neither member runs short": ``in the 3 runs closest to the
    recorded prices the EU does run short without it (too few: see How robust)``, ``in 2 of the 3 runs ...``
    where not all of them, or, where no member is short without the stock there, who is short with it there:
    ``in the 4 runs closest to the recorded prices the EU does run short with it (too few: see How robust)``.
    Runs, as How robust calls the same samples (``It fails in all 3 runs whose peak prices ...``): one word for
    one thing. Fewer than :data:`FEW_NEAR_RUNS` runs are too few to be evidence by themselves: even all of them
    short would not show that most runs near the record are (and they are picked by a coarse filter on peak
    prices, not weighted by fit; in the shipped replays those prices are the ones the market was fitted to).
    Said in two words: a longer clause takes the answer to another line, and the robustness table below then
    ends past a desktop's first screen (tests/test_report_browser.py).
    How robust, just below, says where the record can neither confirm nor rule out that shortfall
    (:func:`~simulator.report.uncertainty.unconfirmed_shortfall`): said once, there, so that who gets what
    still starts on a desktop's first screen.
    """
    # "not needed" fails in all of them: someone is short without the stock there, or else with it
    who, runs_short, way, _ = _near_group(near)
    some = "" if runs_short == near.runs else f"{runs_short:,} of "
    which = f"in {some}the {plural(near.runs, 'run', ',')} closest to the recorded prices"  # How robust's word
    few = "too few: " if near.runs < FEW_NEAR_RUNS else ""
    does = "does" if len(who) == 1 else "do"
    # How robust, just below, says that the record does not show such a shortfall (unconfirmed_shortfall)
    return f"{which} {join_words(list(who))} {does} run short {way} it ({few}see How robust)"


def _near_group(near: NearRecord) -> tuple[tuple[str, ...], int, str, int]:
    """Who :func:`not_near_record` says runs short near the record: (who, in how many of those runs, which way).

    Which way: ``with`` or ``without`` the joint stock; last, in how many of all the samples some member runs short
    that way (:func:`too_few_note`'s test).
    """
    if near.short_without:
        return near.short_without, near.runs_short_without, "without", near.all_short_without
    return near.short_with, near.runs_short_with, "with", near.all_short_with


def too_few_note(near: NearRecord, runs: int) -> str:
    """What the headline's "too few" means, with the figures of these runs (HTML, a sentence; '' where not said).

    Said in How robust where the headline says "(too few: see How robust)" (:func:`not_near_record`: fewer than
    :data:`FEW_NEAR_RUNS` runs near the record, in all of which "not needed" fails): the exact (Clopper-Pearson) 95%
    interval of the share of such runs short, and Fisher's exact test (two-sided) of those runs against the other
    ``runs`` minus them. For ``make run``: ``Too few, as the answer says: 3 of the 3 runs closest to the recorded
    prices leave the EU short without the joint stock, a share that could lie anywhere from 29% to 100% at 95%
    confidence (an exact binomial interval), not shown to differ from the 48 of the other 97 runs (Fisher's exact
    test: p = 0.24).`` (docs/uncertainty.md gives the same figures). ``runs``: all the samples.
    """
    if not near.fails("not_needed") or near.runs >= FEW_NEAR_RUNS:
        return ""
    from scipy import stats  # the report's one test: imported where it is needed

    who, short, way, everywhere = _near_group(near)
    if not who:
        return ""
    share = stats.binomtest(short, near.runs).proportion_ci(0.95, method="exact")
    low, high = (f"{v:.0%}" for v in (share.low, share.high))
    which = "the one run" if near.runs == 1 else f"{short:,} of the {near.runs:,} runs"
    text = (
        f"Too few, as the answer says: {which} closest to the recorded prices "
        f"{'leaves' if near.runs == 1 else 'leave'} {join_words(list(who))} short {way} the joint stock, a share that "
        f"could lie anywhere from {low} to {high} at 95% confidence (an exact binomial interval)"
    )
    others, others_short = runs - near.runs, everywhere - short
    if others > 0:
        table = [[short, near.runs - short], [others_short, others - others_short]]
        p = float(stats.fisher_exact(table).pvalue)
        shown = p_value_words(p)
        if p >= 0.05:
            how = "not shown to differ from"
        else:
            how = "more than" if short / near.runs > others_short / others else "fewer than"
        text += f", {how} the {others_short:,} of the other {plural(others, 'run', ',')} (Fisher's exact test: {shown})"
    return text + "."


def p_value_words(p: float) -> str:
    """A test's p-value as the report writes it: two decimals, unless they would put it on the other side of 0.05.

    The words beside it ("more than", "not shown to differ from") test the value itself against
    0.05, so a value that two decimals round to 0.05 gets three, and one below 0.05 that three
    decimals still round to it is "p < 0.05"; below 0.01, "p < 0.01".

    >>> [p_value_words(p) for p in (0.2371, 0.0467, 0.0532, 0.04996, 0.004)]
    ['p = 0.24', 'p = 0.047', 'p = 0.053', 'p < 0.05', 'p < 0.01']
    """
    if p < 0.01:
        return "p < 0.01"
    if f"{p:.2f}" != "0.05":
        return f"p = {p:.2f}"
    if f"{p:.3f}" == "0.050" and p < 0.05:
        return "p < 0.05"
    return f"p = {p:.3f}"


def headline(run: Run, alone: Run | None, samples: Robustness | None = None) -> str:
    """The answer in one or two sentences (HTML, numbers tagged).

    With an agreement, where shocks outlast the run and the members' stock is nearly gone at its end, what
    follows the answer says that it holds to the end of the run only (:func:`horizon_note`), not in bold.
    With ``samples`` whose runs nearest the record's prices all give another answer than "not needed to
    close a shortfall", a second statement after that answer says so (:func:`not_near_record`).
    """
    near = samples.near if samples is not None else None
    answer = _answer(run, alone, near if near is not None and near.fails("not_needed") else None)
    if not run.result.structure.member_names:
        return answer
    return answer + detail(horizon_note(run))


def _answer(run: Run, alone: Run | None, not_near: NearRecord | None = None) -> str:
    """:func:`headline`'s answer (``not_near``: the samples nearest the record, where "not needed" fails there)."""
    structure = run.result.structure
    members = structure.member_names
    if not members:
        short = [r for r in run.regions() if shortages.short(run.metric(f"shortfall_t.{r}"))]
        if not short:
            return "There is no joint stock in this scenario, and no region runs short." + detail(
                _close_call_alone(run)
            )
        return f"There is no joint stock in this scenario: {_who_is_short(run, short, 'is')}."
    group = "neither member" if len(members) == 2 else "no member"
    without = without_it(run.result.scenario)  # or: with the stocks held today
    with_t = run.metric("total_shortfall_t")
    shown_with = run.short_t(with_t, "total_shortfall_t", zero="none")
    if alone is None:
        if not shortages.short(with_t):
            return f"With the joint stock, {group} runs short."
        if _unlike_tonnes(run, None, list(members)):
            return f"With the joint stock, the members are still short of {short_by_material(run, list(members))}."
        of = of_materials([run], list(members))
        return f"With the joint stock, the members are still short of {shown_with}{of} in all."
    metric = f"sum:shortfall_t:{','.join(members)}"
    without_t = float(sum(alone.metric(f"shortfall_t.{m}") for m in members))
    shown_without = alone.short_t(without_t, metric, zero="none")
    short_without = [m for m in members if shortages.short(alone.metric(f"shortfall_t.{m}"))]
    of = of_materials([run, alone], list(members))  # what the members' totals add
    answer = headline_outcome(run, alone)  # the one classification, which the samples' counts use too
    if answer == "not_needed":
        return (
            f"The joint stock is {NOT_NEEDED}: {group} runs short, with it or {without}"
            f"{'; but ' + not_near_record(not_near) if not_near is not None else ''}."
            f"{detail(price_question(run) + _close_call(run, alone, members))}"
        )
    if answer == "only_with":
        return (
            f"No: {group} would run short {without_it(run.result.scenario, 'the joint stock')}, "
            f"yet the members are short of {shown_with}{of} with it."
        )
    if _unlike_tonnes(run, alone, list(members)):
        return _headline_by_material(run, alone, list(members))
    if answer == "closes":
        who = _who_is_short(alone, short_without, "would be")
        in_all = f" ({shown_without} in all)" if len(short_without) > 1 else ""  # one member's total is its own
        return (
            f"Yes: the joint stock closes every shortfall. {cap(without)}, {who}{in_all}; with it, {group} runs short."
        )
    if shortfall_tonnes(with_t) == shortfall_tonnes(without_t):
        return (
            f"No: the members are short of the same {shown_with}{of} with the joint stock and {without}."
            + _moved_between(run, alone)
        )
    if answer == "cuts":
        cut = (without_t - with_t) / without_t
        answer = "Almost entirely" if cut >= ALMOST_ENTIRELY else "In part"
        return (
            f"{answer}: the joint stock cuts the members' shortfall{of} from {shown_without} to {shown_with} "
            f"({percent(cut)} less)."
        )
    return f"No: the members are short of {shown_with}{of} with the joint stock and {shown_without} {without}."


def price_question(run: Run) -> str:
    """What the answer "not needed to close a shortfall" leaves open, said beside it (a sentence with a leading space).

    The model gives the joint stock no effect on prices, so it can find the stock needed only where
    a member runs short: whether the stock would have tempered prices is a question it cannot answer.
    "The price rise" where the run's world price of some material rose above its reference
    (:func:`simulator.report.prices.prices_rose`), "prices" otherwise (also without a market).
    """
    what = "the price rise" if prices_rose(run) else "prices"
    return f" Whether it would have tempered {what} is outside this model."


def physical_only_line(run: Run, alone: Run | None) -> str:
    """:data:`PHYSICAL_ONLY` where the headline finds the stock not needed (no member short either way), else ''.

    Said under the members' table, not in the headline: the answer, how robust it is and
    who gets what come first, on the first screen.
    """
    members = run.result.structure.member_names
    if not members or alone is None or shortages.short(run.metric("total_shortfall_t")):
        return ""
    if any(shortages.short(alone.metric(f"shortfall_t.{m}")) for m in members):  # a residue is none (headline)
        return ""
    return PHYSICAL_ONLY


def one_draw_line(run: Run) -> str:
    """That the run is one draw of random inputs, and how to get likelihoods (HTML; '' without random inputs).

    A shock with a random timing or size, or demand with day-to-day noise (``noise_cv``),
    is drawn from the run's seed (:attr:`simulator.plan.Plan.random_sources`): the page
    then shows one outcome, not how likely it is.
    """
    scenario = run.result.scenario
    shocks = [run.names.shock_ids[k] for k, spec in enumerate(scenario.shocks) if drawn_at_random(spec)]
    noise = any(d.noise_cv > 0 for spec in scenario.regions.values() for d in spec.demand.values())
    drawn = ([f"the timing or size of {join_words(shocks)}"] if shocks else []) + (
        ["day-to-day demand"] if noise else []
    )
    if not drawn:
        return ""
    return (
        f"These figures are one draw of what is random in this scenario ({join_words(drawn)}), from seed "
        f"{run.result.seed}: another seed gives other figures, so they do not say how likely a shortfall is or how "
        "large it tends to be. For that, repeat the run over many seeds: <code>stockpile sweep SCENARIO.yaml --runs "
        f"{SEEDS_ADVISED}</code>, or <code>stockpile run SCENARIO.yaml --uncertainty {SEEDS_ADVISED}</code>, which "
        "also samples the scenario's uncertain inputs."
    )


def one_run_headline(run: Run, answer: str, changed: bool = False) -> str:
    """The headline ``answer``, led by "In the scenario as written" when the scenario declares uncertain inputs.

    With ``--set`` changes (``changed``), "as changed for this run" instead: the words are
    :func:`simulator.names.run_words`'s. "As written", not "at the central values": the run is at
    the values the scenario writes, which are not the centres of their ranges.

    A replay's answer ("not needed to close a shortfall", "a close call") holds at the values the scenario
    sets; over the ranges of its ``uncertain:`` inputs it may not. The first words of the
    verdict say so, so that the answer does not read as a finding; :func:`robustness_line`
    says beside it how robust it is, where the report knows.

    >>> in_sentence("The joint stock is not needed"), in_sentence("EU first"), in_sentence("NdFeB magnets are short")
    ('the joint stock is not needed', 'EU first', 'NdFeB magnets are short')
    """
    if not run.result.scenario.uncertain:
        return answer
    lead = f"In the scenario {run_words(changed)}"
    return f'<span class="one-run">{escape(lead)}</span> \u2014 {in_sentence(answer)}'


def robustness_line(run: Run, samples: Robustness | None, answer: str | None = None) -> str:
    """How robust the headline's answer is, for the verdict box (HTML paragraphs; '' for a scenario of fixed inputs).

    With the samples of ``run --uncertainty`` (``samples``, :func:`simulator.report.uncertainty.samples_short_line`):
    one sentence on how often the headline's ``answer`` (:func:`outcome`'s name; None where there
    is no run without the agreement) holds over them, a table of how many of them leave each
    member short with and without the joint stock, by how much, and what the stock did, and a line
    on how many inputs are the agreement's own. Without them, for a scenario that declares
    uncertain inputs: that the report has not measured it and how many inputs the answer rests on,
    linked to the section that lists them and gives the command that measures it. Kept short: the
    answer, this and the members' table start on the first screen (tests/test_report_browser.py).
    """
    if samples is not None:
        few = too_few_note(samples.near, samples.runs) if samples.near is not None and answer == "not_needed" else ""
        return samples.html(answer) + (f'\n<p class="note robust-note robust-few">{few}</p>' if few else "")
    declared = len(run.result.scenario.uncertain)
    if not declared:
        return ""
    return (
        f'<p class="robust"><strong>How robust:</strong> not measured in this run; {plural(declared, "input")} '
        f"{'is' if declared == 1 else 'are'} declared uncertain "
        f'(<a href="#{UNCERTAINTY_SECTION}">What rests on assumptions</a>; run with <code>--uncertainty</code> '
        "to measure).</p>"
    )


def _unlike_tonnes(run: Run, alone: Run | None, who: list[str]) -> bool:
    """Whether a total over materials would add unlike tonnes: :func:`by_material_answer` of ``who``'s shortfall.

    That is: materials counted as different things (``tonnes_of``), or two materials or more
    short, with or without the stock, whose reference prices lie far apart (:func:`prices_apart`).
    The one rule that the headline (:func:`_headline_by_material`), :func:`units_line` and the
    samples' counts (:func:`simulator.report.uncertainty.outcome_counts`, through :func:`outcome`)
    all follow.
    """
    materials = run.materials()
    return by_material_answer(
        {m: run.short_of(who, [m]) for m in materials},
        {m: alone.short_of(who, [m]) for m in materials} if alone is not None else {},
        len(run.tonnes_kinds()) > 1,
        bool(prices_apart(run)),
    )


def _headline_by_material(run: Run, alone: Run, members: list[str]) -> str:
    """The headline's answer material by material, when a total would add unlike tonnes.

    ``In part, by material: the joint stock closes the shortfall of heavy rare earths (267 t
    without it) and leaves that of NdFeB magnets at 8,276 t.`` Materials short neither way
    are left out. Yes: every shortfall closed; almost entirely: each cut by
    :data:`ALMOST_ENTIRELY` or more; no: none cut; in part otherwise.
    """
    said, cuts = [], []
    without = without_it(run.result.scenario)  # or: with the stocks held today
    short = [
        m
        for m in run.materials()
        if shortages.short(run.short_of(members, [m])) or shortages.short(alone.short_of(members, [m]))
    ]
    for m in short:
        with_t, without_t = run.short_of(members, [m]), alone.short_of(members, [m])
        what = run.names.material_text(m)
        shown_with, shown_without = material_tonnes(run, m, with_t), material_tonnes(run, m, without_t)
        that = "that" if said else "the shortfall"  # the first names the shortfall, the others refer to it
        if not shortages.short(with_t):
            said.append(f"closes {that} of {what} ({shown_without} {without_it(run.result.scenario, whose=False)})")
        elif shown_with == shown_without:
            said.append(f"leaves {that} of {what} at {shown_with}")
        elif with_t < without_t:
            cut = (without_t - with_t) / without_t
            said.append(f"cuts {that} of {what} from {shown_without} to {shown_with} ({percent(cut)} less)")
        else:
            said.append(f"leaves the members short of {shown_with} of {what}, against {shown_without} {without}")
        cuts.append(
            (without_t - with_t) / without_t if shortages.short(without_t) and shown_with != shown_without else 0.0
        )
    if not any(shortages.short(run.short_of(members, [m])) for m in short):
        answer = "Yes"
    elif all(cut >= ALMOST_ENTIRELY for cut in cuts):
        answer = "Almost entirely"
    else:
        answer = "In part" if any(cut > 0 for cut in cuts) else "No"
    moved = [_moved_of(run, alone, members, m) for m in short]
    return f"{answer}, by material: the joint stock {join_words(said)}." + "".join(filter(None, moved))


def _moved_of(run: Run, alone: Run, members: list[str], material: str) -> str:
    """`` It moves 364 t of the shortfall of cobalt from the EU to Japan.``, or '' when it moves none.

    Said of a material whose members' total is the same with and without the stock (as
    shown) while some member's is not: the arrangement only shifts who is short of it.
    """
    if shortfall_tonnes(run.short_of(members, [material])) != shortfall_tonnes(alone.short_of(members, [material])):
        return ""
    change = {m: run.short_of([m], [material]) - alone.short_of([m], [material]) for m in members}
    moved = sum(max(0.0, c) for c in change.values())
    if not shows_tonnes(moved):
        return ""
    names = run.names
    losers = [names.subject(m) for m, c in change.items() if shows_tonnes(c) and c < 0]
    gainers = [names.subject(m) for m, c in change.items() if shows_tonnes(c) and c > 0]
    if not losers or not gainers:  # a change under the shown precision on one side: nothing to tell
        return ""
    what = names.material_text(material)
    return f" It moves {tonnes(moved)} of the shortfall of {what} from {join_words(losers)} to {join_words(gainers)}."


QUESTION = "Would a joint stock help?"
"""The verdict's heading, with an agreement."""
NO_AGREEMENT_QUESTION = "Who runs short?"
"""The verdict's heading without an agreement: there is no joint stock to judge, only who is short."""

LOW_AT_END_DAYS = 30.0
"""Cover under this many days on the last day, with a shock still in force, is told in the verdict."""


NEARLY_GONE_DAYS = CLOSE_CALL_DAYS
"""Stock on the last day under this many days of demand, with a shock still in force, qualifies the headline's
answer (:func:`horizon_note`): the close call's measure of a stock nearly gone."""


def _in_force_at_end(run: Run) -> list[int]:
    """The shocks (their index) still in force on the run's last day: started within the run, not ended by its end.

    A shock that does nothing in the run (:func:`~simulator.plots.idle_shocks`: severity 0) is in force nowhere.
    """
    shocks, horizon = run.result.shocks, run.result.scenario.horizon_days
    if shocks.empty:
        return []
    in_force = (shocks["start_day"] < horizon) & (shocks["end_day"] >= horizon)
    idle = idle_shocks(run.result)
    return [k for k, held in enumerate(in_force) if held and not idle[k]]


def _struck(run: Run, lasting: list[int]) -> set[tuple[str, str]]:
    """The (region, material) pairs that the shocks ``lasting`` act on.

    The regions and materials each names (all where it names none).
    """
    structure = run.result.structure
    pairs = set()
    for k in lasting:
        spec = run.result.scenario.shocks[k]
        regions = getattr(spec, "regions", None) or structure.regions
        pairs |= {(r, m) for r in regions for m in spec.materials or structure.materials}
    return pairs


def _low_at_end(run: Run, lasting: list[int]) -> list[str]:
    """The members' stock nearly gone on the last day: ``the joint stock down to 3.4 t of heavy rare earths (...)``.

    Only of the materials and members that a shock still in force then (``lasting``, :func:`_in_force_at_end`) acts
    on (:func:`_struck`), and only where the stock fell (below the pool's highest end-of-day stock; a member's
    cover below its first day's, as :func:`_close_call` checks). A material the joint pool ever held
    (:func:`simulator.results.shared_stock_held`), of a member a lasting shock strikes, whose pool on the last day
    is under :data:`NEARLY_GONE_DAYS` days of the members' baseline demand that day (as days of cover are
    counted); where none is (or without a joint pool), a member's cover of materials it uses under that many days,
    below its first day's, and not short (a member short on the last day is in the answer already): ``Japan's
    cover of heavy rare earths down to 1.3 days``. Stock that is simply small (a material no lasting shock
    touches, at its normal cover) is not nearly gone.
    """
    result = run.result
    last = result.scenario.horizon_days - 1
    members = list(result.structure.member_names)
    struck = _struck(run, lasting)
    ts = result.timeseries
    today = ts[(ts["day"] == last) & ts["region"].isin(members)]
    first = ts[ts["day"] == ts["day"].min()].set_index(["region", "material"])["days_of_cover"]
    said, left_t, gone = [], [], []
    if _joint(run) and not result.pool.empty:
        pool = result.pool[result.pool["day"] == last].set_index("material")["pool_stock_t"]
        most = result.pool.groupby("material")["pool_stock_t"].max()  # the pool's end-of-day stock at its highest
        for material in run.materials():
            if material not in pool.index or not shared_stock_held(result, material):
                continue
            if not any((m, material) in struck for m in members):
                continue
            demand = float(today.loc[today["material"] == material, "baseline_demand_t"].sum())
            left = float(pool[material])
            held = float(days_of_cover(np.array([left]), np.array([demand]))[0])
            what = run.names.material_text(material)
            if not shows_tonnes(left):  # a stock it held (shared_stock_held): it fell
                gone.append(what)
            elif held < NEARLY_GONE_DAYS and left < float(most[material]):
                whose = " of the members' demand" if not left_t else ""
                left_t.append(f"{tonnes(left)} of {what} ({days(held)} days{whose})")
    if left_t:
        said.append(f"the joint stock down to {join_words(left_t)}")
    if gone:
        said.append(f"{'its' if left_t else 'the joint stock of'} {join_words(gone)} used up")
    if said:
        return said
    for member in members:
        low = []
        for material in run.materials():
            if not run.demands(member, material):
                continue
            row = today[(today["region"] == member) & (today["material"] == material)]
            if row.empty or shortages.short(float(row["shortfall_t"].iloc[0])) or (member, material) not in struck:
                continue
            cover = float(row["days_of_cover"].iloc[0])
            if cover < NEARLY_GONE_DAYS and cover < float(first[member, material]):
                low.append(f"of {run.names.material_text(material)} {'down ' if not low else ''}to {days(cover)} days")
        if low:
            said.append(f"{run.names.possessive(member)} cover {join_words(low)}")
    return said


def horizon_note(run: Run) -> str:
    """`` That is to the end of the run (31 Dec 2026): 5 shocks are still in force then, and ...``, or ''.

    Said after the headline's answer when a shock is still in force on the last day and the members' stock is
    nearly gone (:func:`_low_at_end`): the answer is then what the stock did up to the horizon, not over the
    crisis, whose rest is not simulated (the totals stop in the middle of it).
    """
    lasting = _in_force_at_end(run)
    low = _low_at_end(run, lasting) if lasting else []
    if not low:
        return ""
    on = when(run.result.start_date, run.result.scenario.horizon_days - 1)
    still = f"{plural(len(lasting), 'shock')} {'is' if len(lasting) == 1 else 'are'} still in force then"
    return f" That is to the end of the run ({on}) only: {still}, with {join_words(low)}."


def outlasts_line(run: Run) -> str:
    """When a shock is still in force on the run's last day: who ends short or with little cover.

    The run's totals then stop in the middle of the crisis; what follows is not simulated.
    Empty when every shock has ended (or starts after the run), or when no member (region, without an agreement)
    ends short or under :data:`LOW_AT_END_DAYS` days of cover of a material it uses.
    """
    result = run.result
    horizon = result.scenario.horizon_days
    lasting = _in_force_at_end(run)
    if not lasting:
        return ""
    ts = result.timeseries
    last = ts[ts["day"] == horizon - 1]
    regions = list(result.structure.member_names or run.regions())
    ends: dict[str, tuple[list[str], list[str]]] = {}  # region: (materials short of, cover left) at the end
    for region in regions:
        short, low = [], []
        for material in run.materials():
            if not run.demands(region, material):
                continue
            row = last[(last["region"] == region) & (last["material"] == material)].iloc[0]
            what = run.names.material_text(material)
            if shortages.short(row["shortfall_t"]):
                short.append(what)
            elif row["days_of_cover"] < LOW_AT_END_DAYS:
                low.append(f"{days(row['days_of_cover'])} days of {what}")
        if short or low:
            ends[region] = (short, low)
    if not ends:
        return ""
    on = when(result.start_date, horizon - 1)
    names = join_words([_shock_named(run, k) for k in lasting])
    return (
        f"The shocks outlast the run: {names} {'is' if len(lasting) == 1 else 'are'} still in force on {on}, the "
        f"last day simulated, when {_ends_told(run, regions, ends)}. What follows is not simulated."
    )


def _end_said(short: list[str], low: list[str], one: bool) -> str:
    """``is short of heavy rare earths and has 4.0 days of light rare earths left`` (``one``; else are, have)."""
    said = ([f"{'is' if one else 'are'} short of {join_words(short)}"] if short else []) + (
        [f"{'has' if one else 'have'} {join_words(low)} left"] if low else []
    )
    return " and ".join(said)


def _ends_told(run: Run, regions: list[str], ends: dict[str, tuple[list[str], list[str]]]) -> str:
    """Who ends short or with little cover (:func:`outlasts_line`): ``the EU is short of ... and Japan has ... left``.

    Of more than :data:`MANY_NAMED` regions, those that end alike are told together, the largest group first: ``all
    12 members are short of heavy rare earths``, ``all members but Japan are short of ...`` (of those it leaves out,
    no more than :data:`MANY_NAMED`, each told after), else ``Germany, France and Italy are short of ...``.
    """
    subject = run.names.subject
    if len(ends) <= MANY_NAMED:
        return join_words([f"{subject(r)} {_end_said(*ends[r], one=True)}" for r in ends])
    alike: dict[tuple[tuple[str, ...], tuple[str, ...]], list[str]] = {}
    for region, (short, low) in ends.items():
        alike.setdefault((tuple(short), tuple(low)), []).append(region)
    groups = sorted(alike.items(), key=lambda group: -len(group[1]))  # stable: the regions' order among equals
    (short, low), most = groups[0]
    kind = "members" if run.result.structure.member_names else "regions"
    told = []
    if len(most) == len(regions):
        told.append(f"all {len(regions)} {kind} {_end_said(list(short), list(low), one=False)}")
        groups = []
    elif 2 * len(most) > len(regions) and len(regions) - len(most) <= MANY_NAMED:
        but = join_words([subject(r) for r in regions if r not in most])
        told.append(f"all {kind} but {but} {_end_said(list(short), list(low), one=False)}")
        groups = groups[1:]
    for (short, low), group in groups:
        told.append(f"{join_words([subject(r) for r in group])} {_end_said(list(short), list(low), len(group) == 1)}")
    return join_words(told)


def _shock_named(run: Run, index: int) -> str:
    """``no18_licences (licensing, China → Japan, EU)``: a shock by its id, which tells two of one kind apart.

    Its kind and target follow in one pair of brackets, materials after a comma
    (``China → Japan, heavy rare earths``), never in brackets of their own.
    """
    result = run.result
    spec = result.scenario.shocks[index]
    what = [KIND_NAMES.get(spec.kind, "shock").lower(), escape(shock_target(result, index, materials=False))]
    if spec.materials:
        what.append(join_words([run.names.material_text(m) for m in spec.materials]))
    return f"{run.names.shock_ids[index]} ({', '.join(what)})"


def prices_apart(run: Run) -> dict[str, float]:
    """The run's materials with their reference prices, when these differ by more than ``PRICES_APART`` (else {}).

    :data:`simulator.scenario.tonnes.PRICES_APART`; materials without a price are left out
    (:func:`simulator.scenario.tonnes.prices_apart`).
    """
    return scenario_prices_apart(run.result.scenario, run.materials())


def _joint(run: Run) -> bool:
    """Whether the run's agreement holds a joint pool (not national reserves)."""
    agreement = run.result.scenario.agreement
    return agreement is not None and agreement.pool.mode == "joint"


def whom_line(run: Run, accounts: dict[str, Account]) -> str:
    """Who the joint stock serves beyond the totals: members that put nothing in yet draw, materials it holds none of.

    ``The EU puts nothing into the pool and draws 723 t of light rare earths and 83.0 t of heavy rare earths from
    it. The pool holds no NdFeB magnets, of which the members are short of 13,696 t.`` (``of which the EU, the only
    member using them here, is short`` where one member uses it). Empty when neither holds, and without a
    joint pool (national reserves are each member's own).
    """
    if not _joint(run):
        return ""
    sentences = []
    for account in accounts.values():
        if any(s.contributed_t > 0 for s in account.stakes.values()):
            continue
        drawn = [
            f"{tonnes(s.drawn_rule_t + s.drawn_auction_t)} of {run.names.material_text(m)}"
            for m, s in account.stakes.items()
            if s.drawn_rule_t + s.drawn_auction_t >= VISIBLE_T
        ]
        if drawn:
            subject = cap(run.names.subject(account.member))
            sentences.append(f"{subject} puts nothing into the pool and draws {join_words(drawn)} from it.")
    members = run.result.structure.member_names
    for material in run.materials():
        held = sum(a.stakes[material].contributed_t for a in accounts.values() if material in a.stakes)
        short = run.short_of(members, [material])
        if held == 0 and shortages.short(short):
            what = run.names.material_text(material)
            users = [m for m in members if run.demands(m, material)]  # a member that uses none is not short of it
            whom = f"{only_user(run, users[0], 'them')}, is" if len(users) == 1 else "the members are"
            sentences.append(f"The pool holds no {what}, of which {whom} short of {shortfall_tonnes(short)}.")
    return " ".join(sentences)


def avoided_cost_line(run: Run, alone: Run | None, accounts: dict[str, Account]) -> str:
    """What buying and holding the pool cost per kg of the shortfall it avoids, by material (empty when none avoided).

    ``Per kg of shortfall avoided, buying the whole pool and holding it cost USD 17.8 for light rare earths
    (whose price reached 1,188 USD/kg) ...``: the pool's contributions at their reference price plus the holding
    cost of the pool (its shares and stock bought at auction held in it for a member, not members' own reserves)
    and the members' refills of the material, over the tonnes by which the members are less short with the stock;
    what is left of the pool at the end is not credited. Materials without a price are left out.

    A share held already (``agreement.pool.already_held``) is in the world the avoided tonnes are measured
    against: neither buying it nor holding it in this run is counted as the agreement's cost
    (:mod:`simulator.report.accounts`); a material whose pool is all held already, with nothing else counted for
    it (no refills, no holding beyond those shares, no auction spending), cost nothing to buy, and the line says so
    and that holding that stock in this run is not counted.
    """
    if alone is None or not accounts or not _joint(run):
        return ""
    members = run.result.structure.member_names
    ts = run.result.timeseries
    held = ts[ts["region"].isin(members)]
    parts, free = [], []
    for material in run.materials():
        avoided = alone.short_of(members, [material]) - run.short_of(members, [material])
        stakes = [a.stakes[material] for a in accounts.values() if material in a.stakes]
        if avoided < VISIBLE_T or not stakes or any(s.price_usd_per_kg is None for s in stakes):
            continue
        buying = sum(s.buying_usd for s in stakes)  # a share held already was not bought for the agreement
        per_t_day = holding_usd_per_t_day(run.result.scenario, material)  # the pool's, not members' own reserves
        rows = held[held["material"] == material]
        holding = float((rows["pool_share_t"] + rows["auction_stock_t"]).sum()) * per_t_day
        holding -= sum(s.held_holding_usd for s in stakes)  # a share held today: not counted (accounts)
        refills = float(rows["refill_cost_usd"].sum())  # bought for the pool
        spent = float(rows["auction_spend_usd"].sum())  # moved between members: a cost to the buyer
        counted = buying + holding + refills
        if (
            any(s.held_today for s in stakes)
            and not any(s.contributed_t > 0 and not s.held_today for s in stakes)
            and not drop_residue_usd(counted)  # nothing counted but float residue (a share's holding less itself)
            and not spent
        ):
            free.append((material, avoided))
            continue
        text = f"USD {usd_per_kg(counted / (avoided * KG_PER_T))} for {run.names.material_text(material)}"
        if (run.result.scenario.market or {}).get(material) is not None:
            peak = float(held.loc[held["material"] == material, "price_usd_per_kg"].max())
            text += f" (whose price reached {price(peak)} USD/kg)"
        parts.append(text)
    today = _held_today(run, accounts)
    sentences = []
    if parts:
        if today:  # what was counted: buying, holding and refilling stock for the pool, not the stock held already
            sentences.append(
                f"Per kg of shortfall avoided, what is counted over {today} held already (buying, holding and "
                f"refilling stock for the pool) came to {join_words(parts)}."
            )
        else:
            sentences.append(
                f"Per kg of shortfall avoided, buying the whole pool and holding it cost {join_words(parts)}."
            )
    if free:
        what = join_words([run.names.material_text(m) for m, _ in free])
        units = {run.names.tonnes_of.get(m, "") for m, _ in free}
        if len(units) == 1:  # one unit, said once: 214 t and 69.5 t of oxide
            unit = next(iter(units))
            avoided_t = join_words([tonnes(t) for _, t in free]) + (f" of {unit}" if unit else "")
        else:
            avoided_t = join_words([material_tonnes(run, m, t) for m, t in free])
        them = "them" if today.endswith("stocks") else "it"
        sentences.append(
            f"All the pool holds of {what} is {today} held already: the shortfall it avoids ({avoided_t}) cost "
            f"nothing to buy, and what holding {them} cost in this run is not counted as the agreement's cost."
        )
    return " ".join(sentences)


def _held_today(run: Run, accounts: dict[str, Account]) -> str:
    """Whose pool shares are stocks held today (``agreement.pool.already_held``): ``Japan's stock``, or ''."""
    held = [m for m, a in accounts.items() if a.materials_held_today]
    if not held:
        return ""
    return f"{join_words([run.names.possessive(m) for m in held])} {'stock' if len(held) == 1 else 'stocks'}"


def units_line(run: Run, alone: Run | None) -> str:
    """The shortfall of each material, when the headline's totals add unlike tonnes.

    When the materials count different things (``tonnes_of``), the totals add tonnes of oxide
    to tonnes of magnet; when their reference prices lie far apart (:func:`prices_apart`) and
    two materials or more are short, they add tonnes worth very different amounts. Empty otherwise.
    """
    counted = run.tonnes_kinds()
    who = run.result.structure.member_names or run.regions()
    apart = prices_apart(run)
    if not _unlike_tonnes(run, alone, list(who)):
        return ""
    if run.result.structure.member_names:  # the headline answers material by material (_headline_by_material)
        if len(counted) >= 2:
            kinds = join_words([f"tonnes of {c}" if c else "tonnes" for c in sorted(counted)])
            return f"The answer is given by material: a total would add {kinds}."
        priced = "; ".join(f"{run.names.material_text(m)} {price(p)} USD/kg" for m, p in apart.items())
        return (
            "The answer is given by material: a total would add tonnes of materials priced far apart (reference "
            f"prices: {priced})."
        )

    parts = []
    for m in run.materials():
        what = f" of {run.names.tonnes_of[m]}" if m in run.names.tonnes_of else ""
        text = f"{run.names.material_text(m)} {shortfall_tonnes(run.short_of(who, [m]))}{what}"
        if alone is not None:
            without = alone.short_of(who, [m])
            cut = without - run.short_of(who, [m])
            change = f", {percent(cut / without)} less" if shortages.short(without) and cut > 0 else ""
            against = without_it(run.result.scenario, "the joint stock", whose=False)
            text += f" ({shortfall_tonnes(without)} {against}{change})"
        parts.append(text)
    if len(counted) >= 2:
        kinds = join_words([f"tonnes of {c}" if c else "tonnes" for c in sorted(counted)])
        return f"These totals add {kinds}; by material, the shortfall is {join_words(parts)}."
    priced = "; ".join(f"{run.names.material_text(m)} {price(p)} USD/kg" for m, p in apart.items())
    return (
        f"These totals add tonnes of materials priced far apart (reference prices: {priced}); by material, the "
        f"shortfall is {join_words(parts)}."
    )


def end_basis(run: Run) -> str:
    """The prices stock left on the last day is valued at (:func:`end_prices`), in words.

    ``the world price of the run's last day, 30 Jun 2012 (light rare earths 109.2 USD/kg; ...)``; a
    material without a market is valued at its reference price, and the phrase says so.
    """
    valued = end_prices(run)
    market = [f"{run.names.material_text(m)} {price(v)} USD/kg" for m, (v, live) in valued.items() if live and v]
    fixed = [f"{run.names.material_text(m)} {price(v)} USD/kg" for m, (v, live) in valued.items() if not live and v]
    last = when(run.result.start_date, run.result.scenario.horizon_days - 1)
    parts = []
    if market:
        world = escape("the world price of the run's last day")  # the report's words, written as HTML
        parts.append(f"{world}, {last} ({'; '.join(market)})")
    if fixed:
        reason = "no market in this scenario" if not market else "no market for it"
        parts.append(f"the reference price ({'; '.join(fixed)}: {reason})")
    return " and ".join(parts) or "no price (the scenario gives none)"


def owned_note(run: Run, accounts: dict[str, Account]) -> str:
    """What each member still owns at the end, in tonnes by material, and the prices it is valued at.

    ``Still owns at the end: ... (Japan 4,596 t of light rare earths and 102 t of heavy rare
    earths; ...), valued at ...; it is not subtracted from the net cost.`` Tonnes of different
    materials are not added: they may be worth very different amounts.
    """
    names = run.names
    several = len(run.materials()) > 1
    parts = []
    for member, account in accounts.items():
        held = [
            tonnes(s.end_t) + (f" of {names.material_text(x)}" if several else "")
            for x, s in account.stakes.items()
            if s.end_t >= VISIBLE_T
        ]
        unused = account.total("unused_auction_t")
        text = f"{names.region(member)} {join_words(held) or 'nothing'}"
        if unused >= VISIBLE_T:
            text += f", of which {tonnes(unused)} bought at auction and not yet used"
        parts.append(text)
    if not any(a.total("end_t") >= VISIBLE_T for a in accounts.values()):
        return "Still owns at the end: nothing is left of the pool or of stock bought at auction."
    return (
        "Still owns at the end: what is left of its pool share, and stock it bought at auction and has not drawn "
        f"({'; '.join(parts)}), valued at {end_basis(run)}: a paper value (selling that much would move the price); "
        "it is not subtracted from the net cost."
    )


def unset_holding(run: Run, accounts: dict[str, Account]) -> str:
    """`` (the scenario sets no holding cost)``: where the stock is held at no cost only by default ('' otherwise).

    A material's ``holding_cost_usd_per_t_year`` the scenario does not write (pydantic's ``model_fields_set``)
    is 0 by the schema's default, not by the scenario's word: holding its stock then reads USD 0, and the words
    say why. Of the materials in the pool (``accounts``' stakes): all of them unset, or those named
    (`` (the scenario sets no holding cost for cobalt)``); one set to 0 is the scenario's input and not marked.
    """
    held = list(dict.fromkeys(m for a in accounts.values() for m in a.stakes))
    materials = run.result.scenario.materials
    unset = [m for m in held if "holding_cost_usd_per_t_year" not in materials[m].model_fields_set]
    if not unset:
        return ""
    named = "" if len(unset) == len(held) else f" for {join_words([run.names.material_text(m) for m in unset])}"
    return f" (the scenario sets no holding cost{named})"


def cost_line(run: Run, accounts: dict[str, Account]) -> str:
    """What the joint stock costs the members together (what is left of it at the end: :func:`owned_note`).

    Where pool shares are stocks members hold today (``agreement.pool.already_held``), what it costs over
    the status quo the answer is measured against: those shares were not bought for the pool, so neither their
    value nor what holding them cost in this run is counted (:mod:`simulator.report.accounts`), and a sentence
    says so.
    """
    if not accounts:
        return ""
    horizon = run.result.scenario.horizon_days
    buying = sum(a.buying_usd for a in accounts.values())
    holding = sum(a.added_holding_usd for a in accounts.values())
    refill = sum(a.refill_usd for a in accounts.values())
    moved = sum(max(0.0, a.auction_paid_usd - a.auction_received_usd) for a in accounts.values())
    kept = [a for a in accounts.values() if a.materials_held_today]
    value = sum(a.held_value_usd for a in kept)
    held_holding = sum(a.held_holding_usd for a in kept)
    joint = _joint(run)
    shown_buying, shown_holding, shown_refill, shown_moved, shown_value, shown_held = usd_all(
        [buying, holding, refill, moved, value, held_holding]
    )
    # some share bought for the pool, or none held today (a pool of 0 t included: its buying shown as USD 0)
    bought = not kept or not status_quo_is_own_shares(run.result.scenario)
    parts = [f"buying the pool {shown_buying} at reference prices"] if joint and bought else []
    parts.append(f"holding strategic stock {shown_holding} {over_days(horizon)}{unset_holding(run, accounts)}")
    if refill:
        parts.append(f"refills {shown_refill}")
    over = f" over {HELD_TODAY}" if kept else ""
    if kept and len(parts) == 1 and not holding:  # nothing bought, held or refilled (residues dropped: accounts)
        parts = [f"nothing counted {over_days(horizon)}"]
    text = f"Cost to the members{over}: {join_words(parts)}."
    if kept:
        held_parts = [held_part(run.result.scenario, a.member, run.names) for a in kept]
        unpriced = any(a.held_unpriced for a in kept)
        held_worth = "?" if unpriced and not value else shown_value + (" + ?" if unpriced else "")
        one = len(kept) == 1
        if any(held_parts):  # already_held lists materials: each share named with them
            shares = zip(kept, held_parts, strict=True)
            whose = join_words([f"{run.names.possessive(a.member)} pool share{part}" for a, part in shares])
        else:
            whose = join_words([run.names.possessive(a.member) for a in kept]) + (
                " pool share" if one else " pool shares"
            )
        text += (
            f" {cap(whose)} {'is the stock it' if one else 'are the stocks they'} held already, "
            f"not bought for the pool: neither {'its' if one else 'their'} value at reference prices "
            f"({held_worth}) "
            f"nor what holding {'it' if one else 'them'} cost in this run ({shown_held}) is counted as the "
            "agreement's cost."
        )
    text += _not_counted(run)
    if moved:
        text += (
            f" Auctions move {shown_moved} between members, net of what each receives back as an owner of the pool "
            "(the proceeds go to the pool's owners)."
        )
    return text


def _member_row(
    run: Run,
    alone: Run | None,
    apart: Run | None,
    account: Account,
    auctions: bool,
    joint: bool,
    millions: bool,
    grant: tuple[float, float] | None,
) -> str:
    """One member's row of the verdict's table.

    ``millions``: every amount of the table in millions (:func:`in_millions`); ``grant``:
    its :func:`granted` figures under a grant settlement (None otherwise). What the member paid
    and holds (buying at the scenario's reference prices, holding, auctions, net cost) is its own
    accounts and is given as :func:`usd` gives money (``USD 83.9 m``); what it still owns at the
    end is a paper value at the last day's modelled prices (or the reference prices), which rest
    on the market's assumed elasticities and would move if that much were sold: it is given to
    two significant figures (``USD 630 m``, :func:`usd_2`), as the box's other amounts that rest
    on assumptions are (the spot-price opportunity cost of the price line).
    """
    m = account.member
    names = run.names
    own = sum(account.stakes[x].ownership for x in account.stakes) / max(1, len(account.stakes))
    shares = {round(s.ownership, 4) for s in account.stakes.values()}
    who = names.region(m)
    if joint and len(shares) == 1 and own > 0:
        who += SMALL.format(f"owns {percent(own)} of the pool")
    cells = [f"<th>{who}</th>", f"<td>{_short(run, m)}</td>"]
    if apart is not None:
        cells.append(f"<td>{_short(apart, m)}</td>")
    if alone is not None:
        cells.append(f"<td>{_short(alone, m)}</td>")
    # tonnes of different materials not added (split_by_material): each figure by material, in the cell
    # and in the notes under it, decided once for the row (a cell given by material has its notes named)
    received_t = _cell_t(run, m, "released_joint_t")
    named = split_by_material(run, received_t) or split_by_material(
        run, {x: s.won_t + s.drawn_rule_t for x, s in account.stakes.items()}
    )
    notes = []
    for stakes in [{x: s} for x, s in account.stakes.items()] if named else [account.stakes]:
        won = float(sum(s.won_t for s in stakes.values()))
        drawn_bought = float(sum(s.drawn_auction_t for s in stakes.values()))
        if won:
            same = tonnes(drawn_bought) == tonnes(won)  # all of it drawn, to the shown precision
            what = f" of {names.material_text(next(iter(stakes)))}" if named else ""
            notes.append(
                f"all {tonnes(won)}{what} bought" if same else f"{tonnes(drawn_bought)} of {tonnes(won)}{what} bought"
            )
    own = draws_own(run.result.scenario)  # iea_ess: the rule's release and lent_t are one draw on its own reserve
    if account.total("drawn_rule_t"):
        rule = {x: s.drawn_rule_t for x, s in account.stakes.items()}
        whence = " from its own reserve" if own else ""
        notes.append(f"{join_words(by_material_t(run, rule, zero=tonnes(0.0), name_one=named))} by the rule{whence}")
    if account.lent_t and not own:
        lent = by_material_t(run, _cell_t(run, m, "lent_t"), zero=tonnes(0.0), total=account.lent_t)
        verb = {"given": "gave", "sold": "sold", "lent": "lent"}[lent_word(run.result.scenario)]
        notes.append(f"{verb} {join_words(lent)} to other members")
    if grant is not None:
        beyond = granted_t(run, m)
        if not grant[1] and split_by_material(run, {x: abs(t) for x, t in beyond.items()}):  # tonnes, no prices
            notes += grant_note_by_material(run, beyond)
        else:
            notes += grant_note(*grant, millions)
    received = "<br>".join(by_material_t(run, received_t, zero=tonnes(0.0), total=account.drawn_t))
    cells.append(f"<td>{received}" + (SMALL.format("; ".join(notes)) if notes else "") + "</td>")
    if auctions:
        paid = run.tag(
            usd(account.auction_paid_usd, in_millions=millions), account.auction_paid_usd, f"auction_spend_usd.{m}"
        )
        got = run.tag(
            usd(account.auction_received_usd, in_millions=millions),
            account.auction_received_usd,
            f"auction_revenue_usd.{m}",
        )
        cells.append(f'<td><span class="money">{paid}</span>' + SMALL.format(f"received {got}") + "</td>")
    holding = usd(account.added_holding_usd, in_millions=millions)  # a share held already: not the agreement's
    if not account.held_holding_usd:
        holding = run.tag(holding, account.holding_usd, f"holding_cost_usd.{m}")
    held = f"hold {holding}" + (
        f", refills {usd(account.refill_usd, in_millions=millions)}" if account.refill_usd else ""
    )
    if joint:
        bought = _bought_cell(account, millions)
        cells.append(f'<td><span class="money">{bought}</span>' + SMALL.format(held) + "</td>")
    else:
        cells.append(f"<td>{held}</td>")
    net = usd(account.net_usd, in_millions=millions).replace("-", "\u2212")  # a gain over the run: USD −5.8 m
    cells.append(f'<td class="net">{net}</td>')
    if joint:
        # the tonnes, by material, are in the note under the table: the row stays one screen high
        unvalued = any(s.end_t >= VISIBLE_T and not s.end_price_usd_per_kg for s in account.stakes.values())
        worth = usd_2(account.end_value_usd, in_millions=millions) + (" + ?" if unvalued else "")  # a paper value
        cells.append(f'<td class="owns"><span class="money">{worth}</span></td>')
    return f'<tr data-member="{escape(m)}">{"".join(cells)}</tr>'


def _valued(value_usd: float, unpriced: list[str], millions: bool) -> str:
    """A value at reference prices, ``?`` standing for materials without one: ``USD 4.0 m``, ``USD 4.0 m + ?``, ``?``.

    >>> [text.replace(chr(160), " ") for text in (_valued(4e6, [], True), _valued(4e6, ["ga"], True))]
    ['USD 4.0 m', 'USD 4.0 m + ?']
    >>> _valued(0.0, ["ga"], True)
    '?'
    """
    if unpriced and not value_usd:
        return "?"
    return usd(value_usd, in_millions=millions) + (" + ?" if unpriced else "")


def _bought_cell(account: Account, millions: bool) -> str:
    """What buying its pool share cost: ``USD 4.0 m``, ``USD 4.0 m + ?``, ``? + held already``, ``held already``.

    ``?`` stands for a material bought for the pool without a price (:attr:`Account.unpriced`), whether or not
    another of its materials is a stock it holds today; ``held already`` for the materials that are
    (its stock of today, not bought for the pool: the note under the table). Where nothing is held today the
    bought sum is shown even at USD 0.
    """
    if not account.materials_held_today:
        return usd(account.buying_usd, in_millions=millions) + (" + ?" if account.unpriced else "")
    parts = [usd(account.buying_usd, in_millions=millions)] if account.buying_usd else []
    parts += ["?"] if account.unpriced else []
    return " + ".join([*parts, "held already"])


def member_table(run: Run, alone: Run | None, apart: Run | None, accounts: dict[str, Account]) -> str:
    """Who gets what, at what cost: a row per member."""
    scenario = run.result.scenario
    assert scenario.agreement is not None
    joint = _joint(run)
    auctions = bool((run.result.auctions["sold_t"] > 0).any()) if not run.result.auctions.empty else False
    head = ["Member", "Short with the stock"]
    if apart is not None:
        head.append("Short with its share alone")
    if alone is not None:
        head.append(f"Short {without_it(scenario, whose=False)}")
    # under a rule sharing supply over national reserves each member draws its own (draws_own)
    head.append(
        "Drawn from its own reserve by the rule" if draws_own(run.result.scenario) else "Received from the shared stock"
    )
    if auctions:
        head.append("Auctions: paid")
    head += ["Pool share: bought" if joint else "Reserve", "Net cost"]
    if joint:
        live = any(on_market for _, on_market in end_prices(run).values())
        # at the last day's prices a paper value: selling that much would move the price, so it would not fetch it
        basis = "the last day's prices: on paper, not a sale price" if live else "reference prices"
        head.append(f"Still owns at the end<br><small>at {basis}</small>")
    amounts = [
        value
        for a in accounts.values()
        for value in (
            a.auction_paid_usd,
            a.auction_received_usd,
            a.added_holding_usd,
            a.refill_usd,
            a.buying_usd,
            a.net_usd,
            a.end_value_usd,
        )
    ]
    grants = granted(run) if joint and scenario.agreement.settlement.kind == "grant" else {}
    amounts += [abs(value) for _, value in grants.values()]
    millions = in_millions(amounts)
    rows = "".join(
        _member_row(run, alone, apart, a, auctions, joint, millions, grants.get(a.member)) for a in accounts.values()
    )
    prices = []
    for material in run.materials():
        value = next(iter(accounts.values())).stakes[material].price_usd_per_kg
        if joint and value:
            prices.append(f"{run.names.material_text(material)} {price(value)} USD/kg")
    note = (  # the report's words around names, as HTML (escaped here: they have apostrophes)
        "Net cost = buying its pool share at the reference price"
        + (f" ({'; '.join(prices)})" if prices else "")
        + f" + holding{unset_holding(run, accounts)} + refills + paid at auction \u2212 received from auctions. "
        + owned_note(run, accounts)
        if joint
        else "Net cost = holding its reserve + refills"
        + (" + paid at auction \u2212 received from auctions" if auctions else "")
        + ". National reserves: each member keeps its own, part of which may go to others."
    )
    if any(a.unpriced or (joint and a.held_unpriced) for a in accounts.values()):
        note += " ?: the scenario gives no price for a material, so its share is not valued."
    for a in accounts.values():
        if (
            joint and a.materials_held_today
        ):  # agreement.pool.already_held: the answer is measured against it held alone
            value = _valued(a.held_value_usd, a.held_unpriced, millions)
            holding = usd(a.held_holding_usd, in_millions=millions)
            note += (
                f" Held already: {run.names.possessive(a.member)} pool share{held_part(scenario, a.member, run.names)} "
                "is the stock it held already, not bought "
                f"for the pool; its value at the reference prices ({value}) and what holding it cost in this run "
                f"({holding}) are not in its net cost."
            )
    if any(grant_note(beyond_t, value, millions) for beyond_t, value in grants.values()):
        note += escape(
            " Took or gave: the value, at the reference prices, of what a member drew by the rule beyond (or short of) "
            "its ownership share of all the rule's draws, free under this agreement's grant settlement."
        )
    alone_note = escape(  # {} take HTML: a column's head, whose contribution, what the others hold
        " Short {}: the same scenario without the agreement, {} added to its own national reserve "
        "and drawn for its own gaps only (at once, or by its reserve release), without the agreement's trigger, lags, "
        "cap, auctions and pool refills{}."
    )
    if apart is not None:
        note += alone_note.format("with its share alone", escape("the member's pool contribution"), "")
    held = held_today_members(scenario)
    if alone is not None and held:  # the column without it is the status quo (counterfactuals.status_quo_scenario)
        held_parts = [held_part(scenario, m, run.names) for m in held]
        if any(held_parts):  # already_held lists materials: each contribution named with them
            contributions = zip(held, held_parts, strict=True)
            whose = join_words([f"{run.names.possessive(m)} pool contribution{part}" for m, part in contributions])
            others = "; the other contributions are held by no one"
        else:
            whose = ("each of " if len(held) > 1 else "") + join_words([run.names.possessive(m) for m in held])
            whose += " pool contribution"
            others = "; the other members' contributions are held by no one"
        others = "" if status_quo_is_own_shares(scenario) else others
        note += alone_note.format(without_it(scenario, whose=False), whose, escape(others))
    if (
        apart is None
        and alone is not None
        and has_joint_pool(scenario)
        and not status_quo_is_own_shares(scenario)  # the status quo itself: no such run
        and not anyone_short(alone.result.metrics, run.result.structure.member_names)  # run only for a gap
    ):
        note += f" No member is short {without_it(scenario, 'the agreement')}" + escape(
            ", so each member's share held alone is not run: the table has no column Short with its share alone."
        )
    name = "Each member's shortfall, draws, payments and net cost"
    table = (  # its caption hidden: the box keeps the whole table on the first screen of a desktop
        f'<table class="verdict">{caption(name, hidden=True)}<thead><tr>'
        + "".join(f"<th>{h}</th>" for h in head)
        + f"</tr></thead><tbody>{rows}</tbody></table>"
    )
    return scroll_region(table, name) + f'<p class="note">{note}</p>'


def _outsiders(run: Run) -> str:
    members = set(run.result.structure.member_names)
    others = [r for r in run.regions() if r not in members]
    if not others:
        return ""
    parts = []
    for region in others:
        total = run.metric(f"shortfall_t.{region}")
        subject = run.names.subject(region)
        if not shortages.short(total):
            parts.append(f"{subject} never runs short")
        else:
            first = int(run.metric(f"first_shortfall_day.{region}"))
            metric = f"shortfall_t.{region}"
            shown = join_words(by_material_t(run, _cell_t(run, region, "shortfall_t"), metric, total=total, short=True))
            parts.append(f"{subject} is short of {shown} from {run.date(first, f'first_shortfall_day.{region}')}")
    return f'<p class="note">Outside the arrangement: {"; ".join(parts)}.</p>'


def _not_counted(run: Run) -> str:
    """`` Not counted: cobalt, which the scenario gives no price.``, or ''.

    Materials with neither a price nor a market's reference price: their purchases cost 0 in the model.
    """
    scenario = run.result.scenario
    unpriced = [run.names.material_text(m) for m in run.materials() if reference_price(scenario, m) is None]
    return f" Not counted: {join_words(unpriced)}, which the scenario gives no price." if unpriced else ""


def region_table(run: Run) -> str:
    """Without an agreement: each region's shortfall, own reserve drawn and lowest cover."""
    rows = []
    for region in run.regions():
        drawn = "<br>".join(by_material_t(run, _cell_t(run, region, "released_national_t"), zero=tonnes(0.0)))
        cover = run.metric(f"min_days_of_cover.{region}")
        costs = sum(
            run.metric(f"{name}.{region}") or 0.0
            for name in ("holding_cost_usd", "procurement_premium_usd", "resourcing_cost_usd", "refill_cost_usd")
        )
        low = DASH if cover is None or cover != cover else f"{days(cover)} days"
        rows.append(
            f'<tr data-region="{escape(region)}"><th>{run.names.region(region)}</th>'
            f"<td>{_short(run, region)}</td><td>{drawn}</td><td>{low}</td><td>{usd(costs)}</td></tr>"
        )
    name = "Each region: short, drawn from its own reserve, lowest cover and cost"
    table = (
        f'<table class="verdict">{caption(name, hidden=True)}<thead><tr><th>Region</th><th>Short</th>'
        "<th>Drawn from its own reserve</th><th>Lowest cover</th><th>Cost of its policies</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(table, name) + (
        '<p class="note">Cost of its policies: holding its reserve, quota premiums, re-sourcing and refills.'
        f"{_not_counted(run)}</p>"
    )


PRICES_LINK = 'The prices day by day are in <a href="#prices">Prices</a>.'
"""Ends the verdict's price line: a sentence round the link, not the section's name alone after the last full stop."""


def verdict_section(
    run: Run,
    alone: Run | None,
    apart: Run | None,
    accounts: dict[str, Account],
    changed: bool,
    samples: Robustness | None = None,
    record: pd.DataFrame | None = None,
) -> str:
    """The verdict box (HTML).

    ``samples``: how often regions run short over the uncertainty samples, if any; ``record``:
    the record's rows already set beside the run (``prices.compared_rows``), whose prices the
    price line sets beside the model's.
    """
    horizon = run.result.scenario.horizon_days
    span = over_days(horizon) + (f" from {when(run.result.start_date, 0)}" if run.result.start_date else "")
    # where the stocks held today are every share held alone (already_held), the two runs are one world: one column
    column = None if apart is None or alone is None or status_quo_is_own_shares(run.result.scenario) else apart
    scenario_held = shares_held_today(run.result.scenario)  # the heading's parenthesis: whose
    same = " (with the same changes)" if changed else ""  # both runs have them: said once, after "scenario" if need be
    against = (
        f" against the same scenario{same if scenario_held else ''} {without_it(run.result.scenario, 'its agreement')}"
        + escape(" and with each member's share held alone" if column is not None else "")
        + ("" if scenario_held else same)
        if alone is not None
        else ""
    )
    parts = [
        '<section id="verdict" class="verdict">',
        f"<h2>{QUESTION if run.result.structure.member_names else NO_AGREEMENT_QUESTION} "
        f'<span class="when">{escape(span)}{against}</span></h2>',
        f'<p class="headline">{one_run_headline(run, headline(run, alone, samples), changed)}</p>',
    ]
    answer = headline_outcome(run, alone) if alone is not None and run.result.structure.member_names else None
    robust = robustness_line(run, samples, answer)  # beside the answer, on screen 1: not only in the section on inputs
    if robust:
        parts.append(robust)
    draw = one_draw_line(run) if samples is None else ""  # the samples above already give more than one draw
    if draw:
        parts.append(f'<p class="draw">{draw}</p>')
    # against `column`: where the stocks held today are every share held alone, the headline already said it
    pooling = pooling_line(run, column, by_material=_unlike_tonnes(run, alone, list(run.result.structure.member_names)))
    if column is None and apart is not None and answer == "cuts":  # the headline cut the total; who gained, who lost
        pooling = movers_line(run, apart).strip()
    if pooling:
        parts.append(f'<p class="pooling">{pooling}</p>')
    units = units_line(run, alone)
    if units:
        parts.append(f'<p class="units">{units}</p>')
    if accounts:
        parts.append(member_table(run, alone, column, accounts))
        cost = cost_line(run, accounts)  # under the table: the answer, its robustness and the table fill screen 1
        if cost:
            parts.append(f'<p class="cost">{cost}</p>')
        ratio = ratio_line(run)
        if ratio:
            parts.append(f'<p class="note">{ratio}</p>')
        whom = " ".join(filter(None, [whom_line(run, accounts), avoided_cost_line(run, alone, accounts)]))
        if whom:
            parts.append(f'<p class="whom">{whom}</p>')
        parts.append(_outsiders(run))
        physical = physical_only_line(run, alone)
        if physical:
            parts.append(f'<p class="physical">{physical}</p>')
    else:
        parts.append(region_table(run))
        physical = ""
    outlasts = outlasts_line(run)
    if outlasts:
        parts.append(f'<p class="outlasts">{outlasts}</p>')
    line = price_line(run, record)
    if line:
        if accounts and not physical:  # PHYSICAL_ONLY and the headline have said it
            line += f" {STOCK_AND_PRICE}"
        parts.append(f'<p class="prices-line">{line} {PRICES_LINK}</p>')
    parts.append("</section>")
    return "\n".join(p for p in parts if p)
