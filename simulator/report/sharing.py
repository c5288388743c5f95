"""What sharing does in the verdict: pooling against shares held alone, grants, the ratio against receipts.

Layer: studies.

Pure functions of a run (and the run with each member's pool share held alone,
:mod:`simulator.counterfactuals`) that the verdict (:mod:`simulator.report.verdict`)
places: what pooling does beyond what the tonnes do; what each member took beyond its
ownership share of the rule's draws, or gave of it, under a grant settlement; and how
what members received by the rule differs from the fair ratio.
"""

from __future__ import annotations

from collections.abc import Iterable
from html import escape

from simulator import shortages
from simulator.mechanisms import BY_NAME
from simulator.names import shared_words_once
from simulator.numeric import KG_PER_T
from simulator.report.findings import MANY_NAMED, Run, of_materials
from simulator.report.words import (
    VISIBLE_T,
    join_words,
    percent,
    shortfall_tonnes,
    shows_tonnes,
    tonnes,
    usd,
    whole_percent,
)
from simulator.scenario.checks import reference_price


def _members_short(run: Run, members: list[str]) -> float:
    """The members' total shortfall in ``run`` (t)."""
    return float(sum(run.metric(f"shortfall_t.{m}") for m in members))


def _pool_materials(run: Run) -> list[str]:
    """The materials the joint pool holds on day 0 or receives later (refills)."""
    pool = run.result.pool
    held = set(pool.loc[(pool["pool_stock_t"] > 0) | (pool["pool_arrivals_t"] > 0), "material"])
    return [m for m in run.materials() if m in held]


def changed_shortfalls(run: Run, other: Run) -> list[tuple[str, float, float]]:
    """``(member, t in run, t in other)`` for each member whose shortfall differs as shown (``shortfall_tonnes``)."""
    changed = []
    for member in run.result.structure.member_names:
        now, then = run.metric(f"shortfall_t.{member}"), other.metric(f"shortfall_t.{member}")
        if shortfall_tonnes(now) != shortfall_tonnes(then):
            changed.append((member, now, then))
    return changed


MOSTLY_MOVES = 0.05
"""Pooling that cuts the members' total by less than this share while some member ends shorter mostly moves
shortfall between members."""


def _material_figures(run: Run, apart: Run, member: str, material: str, zero: str = "none") -> tuple[str, bool]:
    """``34.3 t against none``: ``member``'s shortfall of ``material`` pooled against alone, and whether they differ.

    ``zero``: the words for a pooled 0; the two differ as shown (rounded tonnes).
    """
    pooled = float(run.cell(member, material, "shortfall_t") or 0.0)
    alone = float(apart.cell(member, material, "shortfall_t") or 0.0)
    metric = f"shortfall_t.{member}.{material}"
    figures = f"{run.short_t(pooled, metric, zero=zero)} against {apart.short_t(alone, metric, zero='none')}"
    return figures, shortfall_tonnes(pooled) != shortfall_tonnes(alone)


def _by_material(run: Run, apart: Run, member: str) -> str:
    """``light rare earths none against 994 t alone, heavy rare earths 34.3 t against none``: where they differ."""
    parts = []
    for material in run.materials():
        figures, differ = _material_figures(run, apart, member, material)
        if differ:
            parts.append(f"{run.names.material_text(material)} {figures}")
    return join_words(parts)


def movers_line(run: Run, apart: Run, leave_out: Iterable[str] = ()) -> str:
    """``Pooled, Japan is short of 806 t more of rare earths (7,286 t against 6,480 t alone) and the EU of 806 t less``.

    Of one material, the first figure names it (:func:`of_materials`), once for the sentence.

    With several materials each member's change is told by material (tonnes of materials priced far apart do not
    add up): ``Pooled, Japan's shortfall is, by material, light rare earths none against 994 t alone, ...``.
    ``leave_out``: members the sentence does not name (the lead has, :func:`losers_lead`). Where members would
    each repeat one material, or more than :data:`~simulator.report.findings.MANY_NAMED` are named, it is told
    material by material instead (:func:`_movers_by_material`).
    """
    parts = []
    several = len(run.materials()) > 1
    changed = [(m, pooled, alone) for m, pooled, alone in changed_shortfalls(run, apart) if m not in leave_out]
    if several and (said := _movers_by_material(run, apart, [member for member, _, _ in changed])):
        return said
    of = "" if several else of_materials([run, apart], [member for member, _, _ in changed])
    for member, pooled, alone in changed:
        subject = run.names.subject(member)
        if several:
            figures = _by_material(run, apart, member)
            parts.append(
                f"{run.names.possessive(member)} shortfall is, by material, {figures}" + (" alone" if not parts else "")
            )
            continue
        metric = f"shortfall_t.{member}"
        more = "more" if pooled > alone else "less"
        figures = f"{run.short_t(pooled, metric, zero='none')} against {apart.short_t(alone, metric, zero='none')}"
        parts.append(
            f"{subject} is short of {shortfall_tonnes(abs(pooled - alone))} {more}{of} ({figures} alone)"
            if not parts
            else f"{subject} of {shortfall_tonnes(abs(pooled - alone))} {more} ({figures})"
        )
    return f" Pooled, {'; '.join(parts) if several else join_words(parts)}." if parts else ""


def _differs_in(run: Run, apart: Run, member: str) -> list[str]:
    """The materials whose shortfall ``member`` has pooled and alone differ as shown (rounded tonnes)."""
    return [m for m in run.materials() if _material_figures(run, apart, member, m)[1]]


def _movers_by_material(run: Run, apart: Run, members: list[str]) -> str:
    """:func:`movers_line` told material by material, each material named once, where members would repeat it.

    Where two members or more change in one material alone, the same one, or more than :data:`MANY_NAMED` change:
    ``Pooled, of heavy rare earths, Germany is short of 4.5 t against 23.6 t alone, France 2.3 t against
    11.8 t, ...`` (a clause for each material, after a semicolon), not each member's shortfall "by material".
    '' otherwise (:func:`movers_line` tells each member's materials after its name).
    """
    differs = {member: _differs_in(run, apart, member) for member in members}
    one = {tuple(materials) for materials in differs.values()}
    if not (len(members) > MANY_NAMED or (len(members) > 1 and len(one) == 1 and len(next(iter(one))) == 1)):
        return ""
    clauses = []
    for material in run.materials():
        told = []
        for member in [m for m in members if material in differs[m]]:
            verb = "is short of " if not told else ""
            figures, _ = _material_figures(run, apart, member, material, zero="none" if told else "0 t")
            told.append(f"{run.names.subject(member)} {verb}{figures}" + (" alone" if not told else ""))
        if told:
            clauses.append(f"of {run.names.material_text(material)}, {join_words(told)}")
    return f" Pooled, {'; '.join(clauses)}." if clauses else ""  # (totals that differ only as rounded: none told)


def _worse_materials(run: Run, apart: Run, member: str, sign: int = 1) -> list[str]:
    """The materials ``member`` is short of more of pooled than with its pool share held alone (rounded tonnes).

    ``sign`` -1: those it is short of less of.
    """
    worse = []
    for material in run.materials():
        pooled = float(run.cell(member, material, "shortfall_t") or 0.0)
        alone = float(apart.cell(member, material, "shortfall_t") or 0.0)
        if sign * (pooled - alone) > 0 and shortfall_tonnes(pooled) != shortfall_tonnes(alone):
            worse.append(material)
    return worse


def worse_off_members(run: Run, apart: Run) -> dict[str, list[str]]:
    """The members short of more of some material pooled than with their shares held alone, and of less of none.

    Each with the materials it is short of more of, in rounded tonnes. A member that gains in one material
    and loses in another is told material by material (:func:`movers_line`), not as worse off.
    """
    worse = {member: _worse_materials(run, apart, member) for member in run.result.structure.member_names}
    return {m: materials for m, materials in worse.items() if materials and not _worse_materials(run, apart, m, -1)}


def drawn_by_others(run: Run, member: str, materials: list[str]) -> str:
    """``Japan drew 2,088 t of light rare earths of its share``: what others drew by the rule of ``member``'s share.

    Said after a colon (a subject such as ``the EU`` is not capitalised). From the ledger's ``drawn_from_others_t``
    (:func:`granted_t`): ``member`` gave what is below 0, of ``materials`` only; the members who drew beyond their
    own shares of them are named. '' where it gave none.
    """
    gave = {m: -t for m, t in granted_t(run, member).items() if m in materials and t <= -VISIBLE_T}
    if not gave:
        return ""
    others = [o for o in run.result.structure.member_names if o != member]
    takers = [o for o in others if any(granted_t(run, o)[m] >= VISIBLE_T for m in gave)]
    who = join_words([run.names.subject(o) for o in takers])
    shares = run.names.amounts_text({m: tonnes(t) for m, t in gave.items()})
    return f"{who or 'other members'} drew {shares} of its share"


def losers_lead(run: Run, apart: Run, worse: dict[str, list[str]]) -> str:
    """The sentences that lead the pooling line where pooling leaves members ``worse`` off than their shares alone.

    ``worse``: :func:`worse_off_members`, each member with the materials it is short of more of.

    ``Pooling leaves the EU worse off than with its share held alone, short of 492 t of light and 8.8 t of heavy
    rare earths against none: Japan drew 2,088 t of light and 57.4 t of heavy rare earths of its share.``: who, by
    how much (of each material it is shorter of) and, where it is so, that another member drew its share by the
    rule (:func:`drawn_by_others`).
    """
    sentences = []
    for k, (member, materials) in enumerate(worse.items()):
        metrics = {m: f"shortfall_t.{member}.{m}" for m in materials}
        pooled = {m: float(run.cell(member, m, "shortfall_t") or 0.0) for m in materials}
        alone = {m: float(apart.cell(member, m, "shortfall_t") or 0.0) for m in materials}
        against = (
            "none"
            if not shortages.short(list(alone.values())).any()
            else apart.names.amounts_text({m: apart.short_t(alone[m], metrics[m], zero="none") for m in materials})
        )
        short = run.names.amounts_text({m: run.short_t(pooled[m], metrics[m]) for m in materials})
        drawn = drawn_by_others(run, member, materials)
        lead = "Pooling leaves" if k == 0 else "It leaves"
        sentences.append(
            f"{lead} {run.names.subject(member)} worse off than with its share held alone, short of {short} against "
            f"{against}" + (f": {drawn}." if drawn else ".")
        )
    return " ".join(sentences)


def material_tonnes(run: Run, material: str, value: float) -> str:
    """A shortfall, ``267 t`` (:func:`shortfall_tonnes`), or ``267 t of oxide`` where materials count unlike things."""
    counted = run.tonnes_kinds()
    of = run.names.tonnes_of.get(material) if len(counted) > 1 else None
    return shortfall_tonnes(value) + (f" of {of}" if of else "")


def short_by_material(of: Run, members: list[str]) -> str:
    """The members' shortfall in ``of`` material by material: ``6,240 t of rare earths and 300 t of magnets``.

    Where the materials count different things, each says what: ``1,399 t of light rare
    earths (oxide) and 5,927 t of NdFeB magnets (magnet)``. Materials no member is short of
    (:func:`simulator.shortages.short`) are left out; ``none`` when no member is short.
    """
    counted = of.tonnes_kinds()
    parts = []
    for m in of.materials():
        short = of.short_of(members, [m])
        if shortages.short(short):
            unit = of.names.tonnes_of.get(m) if len(counted) > 1 else None
            parts.append(f"{shortfall_tonnes(short)} of {of.names.material_text(m)}" + (f" ({unit})" if unit else ""))
    return join_words(parts) or "none"


def _pooling_by_material(run: Run, apart: Run, members: list[str], held: str, movers: str) -> str:
    """:func:`pooling_line` where a total would add unlike tonnes: judged and told material by material."""
    better, worse = [], []
    for m in run.materials():
        pooled_t, apart_t = run.short_of(members, [m]), apart.short_of(members, [m])
        if shortfall_tonnes(pooled_t) != shortfall_tonnes(apart_t):
            (better if pooled_t < apart_t else worse).append(run.names.material_text(m))
    alone, pooled = short_by_material(apart, members), short_by_material(run, members)
    figures = f"the members would be short of {alone}, against {pooled} pooled"
    if not better and not worse:
        if not movers:
            return f"Pooling changes nothing here: with {held}, every member would be short of the same tonnes."
        return (
            f"Pooling moves shortfall between members rather than cutting it: with {held}, the members would be "
            f"short of the same {short_by_material(apart, members)}.{movers}"
        )
    if better and worse:
        return (
            f"Pooling cuts the members' shortfall of {join_words(better)} and adds to that of {join_words(worse)}: "
            f"with {held}, {figures}.{movers}"
        )
    if better:
        worse_off = worse_off_members(run, apart)
        if worse_off:
            rest, cut = movers_line(run, apart, leave_out=worse_off), join_words(shared_words_once(better))
            lead = losers_lead(run, apart, worse_off)
            return f"{lead} It cuts the members' shortfall of {cut}: with {held}, {figures}.{rest}"
        return f"Pooling adds to what the tonnes do: with {held}, {figures}.{movers}"
    return (
        f"Pooling costs tonnes here: with {held}, drawn as national reserves are, without the agreement's trigger, "
        f"lags, cap and auctions, {figures}.{movers}"
    )


MOSTLY_RESTRAINT = 0.5
"""The share of the members' shortfall of a material with the stock from which the pooling line says that most of
it is the IEA rule's own demand restraint (:func:`restraint_line`)."""


def restraint_t(run: Run) -> dict[str, float]:
    """The members' shortfall that is the IEA rule's own demand restraint, t by material ({} under other rules).

    On a day the rule acts (a trigger holds on a day it decides: a row of releases.csv) it holds each member to
    ``(1 - restraint)`` of its demand, drawing stock for the rest: a member's shortfall that day up to
    ``restraint x demand`` is the restraint; past it, the obligation the stock could not give. The rule records
    that figure as it decides (releases.csv's ``restraint_t.<member>``, :func:`simulator.release.iea_ess`); this
    adds it up over the members and days.
    """
    agreement = run.result.scenario.agreement
    if agreement is None or BY_NAME[agreement.mechanism].shares_as != "iea_ess":
        return {}
    releases = run.result.releases
    columns = [f"restraint_t.{m}" for m in run.result.structure.member_names]
    by_material = releases.groupby("material", sort=False)[columns].sum().sum(axis=1)
    return {m: float(by_material.get(m, 0.0)) for m in run.materials()}


def _pool_left_t(run: Run, materials: list[str]) -> dict[str, float]:
    """The joint pool's stock of each of ``materials`` at the end of the run (t, ``pool_end_t``), those with any."""
    left = {m: float(run.metric(f"pool_end_t.all.{m}")) for m in materials}
    return {m: t for m, t in left.items() if shows_tonnes(t)}


def restraint_line(run: Run) -> str:
    """That all or most of the members' shortfall with the stock is the IEA rule's own demand restraint (HTML).

    ``All of the members' shortfall of light rare earths with the stock is the IEA rule's own demand restraint, up
    to 7% of each member's demand while the rule acts (10% from a 12% loss): 2,562 t of light rare earths here,
    though 559 t of light rare earths was still in the pool at the end (the rule draws stock only for a loss beyond
    the restraint).``: said of the materials whose members' shortfall is at least :data:`MOSTLY_RESTRAINT`
    restraint (:func:`restraint_t`), "Most" with each one's share where some is not restraint; '' under another
    rule or where the restraint is less. "Up to": under the selective trigger alone a member above its supply right
    passes on only what the member below it lacks.
    """
    held_back = restraint_t(run)
    members = list(run.result.structure.member_names)
    short = {m: run.short_of(members, [m]) for m in held_back}
    mostly = [
        m
        for m, t in held_back.items()
        if shows_tonnes(t) and shortages.short(short[m]) and t >= MOSTLY_RESTRAINT * short[m]
    ]
    if not mostly:
        return ""
    all_short = [m for m, t in short.items() if shortages.short(t)]
    of = "" if mostly == all_short else f" of {run.names.materials_text(mostly)}"
    amounts = run.names.amounts_text({m: tonnes(held_back[m]) for m in mostly})
    whole = [tonnes(held_back[m]) == tonnes(short[m]) for m in mostly]  # as shown: float residue is no remainder
    shares = (
        ""
        if all(whole)
        else " ("
        + join_words(["100%" if w else percent(held_back[m] / short[m]) for m, w in zip(mostly, whole, strict=True)])
        + f" of {'it' if len(mostly) == 1 else 'each'})"
    )
    left = _pool_left_t(run, mostly)
    still = (
        f", though {run.names.amounts_text({m: tonnes(t) for m, t in left.items()})} "
        f"{'was' if len(left) == 1 else 'were'} still in the pool at the end (the rule draws stock only for a loss "
        "beyond the restraint)"
        if left
        else ""
    )
    return (
        f" {'All' if all(whole) else 'Most'} of the members' shortfall{of} with the stock is the IEA rule's own demand "
        f"restraint, up to {restraint_thresholds(run)}: {amounts} here{shares}{still}."
    )


def restraint_thresholds(run: Run) -> str:
    """``7% of each member's demand while the rule acts (10% from a 12% loss)``: the IEA rule's restraint, in words.

    The percentages in as few digits as they take (``7%``, not ``7.0%``), the higher restraint worded as the
    rule's description says it (:data:`simulator.mechanisms.BY_NAME`'s ``iea_ess``).
    """
    e = run.result.scenario.agreement.iea_ess
    return (
        f"{whole_percent(e.restraint)} of each member's demand while the rule acts "
        f"({whole_percent(e.higher_restraint)} from a {whole_percent(e.higher_loss_share)} loss)"
    )


def pooling_line(run: Run, apart: Run | None, by_material: bool = False) -> str:
    """What pooling does, against each member holding its pool share alone (HTML, numbers tagged).

    Empty without that run (no joint pool, or no member short even without the joint
    stock: the headline says so). The shares held alone are national reserves drawn for
    each member's own gaps, at once or by its reserve release
    (:mod:`simulator.counterfactuals`). ``by_material``: the members' totals are
    judged and given material by material (:func:`_pooling_by_material`), as the headline
    answers where a total would add unlike tonnes. Under the IEA rule, where most of the members'
    shortfall with the stock is the rule's own demand restraint, a sentence after says so (:func:`restraint_line`).
    """
    if apart is None:
        return ""
    return _pooling_words(run, apart, by_material) + restraint_line(run)


def _pooling_words(run: Run, apart: Run, by_material: bool) -> str:
    """:func:`pooling_line`'s lines on pooling against the shares held alone."""
    members = run.result.structure.member_names
    metric = f"sum:shortfall_t:{','.join(members)}"
    pooled_t, apart_t = _members_short(run, members), _members_short(apart, members)
    shown_pooled, shown_apart = run.short_t(pooled_t, metric, zero="none"), apart.short_t(apart_t, metric, zero="none")
    held = "each member's pool share held alone as its own reserve"
    shown_apart += of_materials([run, apart], list(members))  # what the totals add, said once, after the first
    if not shortages.short([pooled_t, apart_t]).any():
        return f"Pooling is not what closes the gaps here: with {held}, no member would run short either."
    movers = movers_line(run, apart)
    if by_material:
        return _pooling_by_material(run, apart, list(members), held, movers)
    if shortfall_tonnes(pooled_t) == shortfall_tonnes(apart_t):
        if not movers:
            return f"Pooling changes nothing here: with {held}, every member would be short of the same tonnes."
        text = (
            f"Pooling moves shortfall between members rather than cutting it: with {held}, the members "
            f"would be short of the same {shown_apart} in all."
        )
    elif apart_t > pooled_t:
        losers = any(pooled > alone for _, pooled, alone in changed_shortfalls(run, apart))
        held_materials = _pool_materials(run)
        before, after = (of.short_of(members, held_materials) for of in (apart, run))
        if losers and shortages.short(before) and before - after < MOSTLY_MOVES * before:
            cut = percent((before - after) / before)
            of_what = "" if len(held_materials) == len(run.materials()) else " of the materials the pool holds"
            text = (
                f"Pooling mostly moves shortfall between members: with {held}, the members would be short of "
                f"{shown_apart} in all, against {shown_pooled} pooled ({cut} less{of_what})."
            )
        elif worse_off := worse_off_members(run, apart):
            text = (
                f"{losers_lead(run, apart, worse_off)} It cuts the members' total: with {held}, the members would be "
                f"short of {shown_apart} in all, against {shown_pooled} pooled."
            )
            movers = movers_line(run, apart, leave_out=worse_off)
        else:
            text = (
                f"Pooling adds to what the tonnes do: with {held}, the members would be short of {shown_apart} in all, "
                f"against {shown_pooled} pooled."
            )
    else:
        alone = (
            "no member would run short"
            if not shortages.short(apart_t)
            else f"the members would be short of only {shown_apart} in all"
        )
        text = (
            f"Pooling costs tonnes here: with {held}, drawn as national reserves are, without the agreement's "
            f"trigger, lags, cap and auctions, {alone}, against {shown_pooled} pooled."
        )
    return text + movers


def ratio_line(run: Run) -> str:
    """How what members received by the rule differs from the fair ratio, when it does by 5 points or more (HTML).

    The ratio shares each day's release among the members whose own stock cannot meet that
    day's need, so the run's totals follow whose stock ran out when, not the ratio. Only
    for rules that use the ratio.
    """
    agreement = run.result.scenario.agreement
    if agreement is None or not agreement.ratio or not BY_NAME[agreement.mechanism].needs_ratio:
        return ""
    members = run.result.structure.member_names
    names = run.names
    received = []
    for material in run.materials():
        got = {m: float(run.cell(m, material, "released_rule_t") or 0.0) for m in members}
        total = sum(got.values())
        if total < VISIBLE_T or all(abs(got[m] / total - agreement.ratio.get(m, 0.0)) < 0.05 for m in members):
            continue
        users = [m for m in members if run.demands(m, material)]
        shares = join_words([f"{names.region(m)} {percent(got[m] / total)}" for m in users])
        received.append(f"{names.material_text(material)} {shares}")
    if not received:
        return ""
    ratio = join_words([f"{names.region(m)} {percent(agreement.ratio.get(m, 0.0))}" for m in members])
    shares = escape(  # the report's words, written as HTML
        "shares each day's release among the members whose own stock cannot meet that day's need, up to their "
        "gaps, so the run's totals follow whose stock ran out when and by how much: of what the rule released,"
    )
    return f"The ratio ({ratio}) {shares} {'; '.join(received)}."


def granted(run: Run) -> dict[str, tuple[float, float]]:
    """Per member: tonnes drawn by the rule beyond its ownership share of all the rule's draws, and their value.

    ``(t, USD at reference prices)``, summed over materials, from the ledger's
    ``drawn_from_others_t``; negative when the member's share went to others. Under a
    ``grant`` settlement of a joint pool this is what members give each other without
    payment (a material without a price adds tonnes but no value).
    """
    out: dict[str, tuple[float, float]] = {}
    scenario = run.result.scenario
    for row in run.result.ledger.itertuples(index=False):
        beyond_t = float(row.drawn_from_others_t)
        price = reference_price(scenario, str(row.material)) or 0.0
        tonnes_t, value_usd = out.get(str(row.member), (0.0, 0.0))
        out[str(row.member)] = (tonnes_t + beyond_t, value_usd + beyond_t * price * KG_PER_T)
    return out


def granted_t(run: Run, member: str) -> dict[str, float]:
    """``member``'s tonnes drawn by the rule beyond its ownership share, by material (:func:`granted`'s tonnes)."""
    ledger = run.result.ledger
    out = dict.fromkeys(run.materials(), 0.0)
    for row in ledger[ledger["member"] == member].itertuples(index=False):
        out[str(row.material)] += float(row.drawn_from_others_t)
    return out


def grant_note_by_material(run: Run, beyond: dict[str, float]) -> list[str]:
    """``took 10.0 t of gallium beyond its share, free``, a note per material (:func:`granted_t`).

    For tonnes without prices that may not be added: each material's direction is its own.
    """
    return [
        f"took {tonnes(t)} of {run.names.material_text(m)} beyond its share, free"
        if t > 0
        else f"gave {tonnes(-t)} of {run.names.material_text(m)} of its share, unpaid"
        for m, t in beyond.items()
        if abs(t) >= VISIBLE_T
    ]


def grant_note(beyond_t: float, value_usd: float, millions: bool) -> list[str]:
    """``took USD 16.9 m beyond its share, free`` or ``gave USD 6.6 m of its share, unpaid`` (:func:`granted`).

    Nothing (``[]``) where the value rounds to nothing as shown (``USD 0.000 m``).

    The direction follows the value where the materials have prices: a member can take
    more tonnes of a cheap material than it gives of a dear one. Tonnes without prices.
    """
    if value_usd:
        amount = usd(abs(value_usd), in_millions=millions)
        if not any(digit in amount for digit in "123456789"):  # USD 0.000 m: nothing taken or given, as shown
            return []
        return [f"took {amount} beyond its share, free" if value_usd > 0 else f"gave {amount} of its share, unpaid"]
    if abs(beyond_t) < VISIBLE_T:
        return []
    return [
        f"took {tonnes(beyond_t)} beyond its share, free"
        if beyond_t > 0
        else f"gave {tonnes(-beyond_t)} of its share, unpaid"
    ]
