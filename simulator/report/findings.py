"""The report's sentences: what happened to each region, and what changed against a baseline.

Layer: studies.

Every number comes from the run's summary (``Result.summary`` per region and material,
``Result.metrics`` for region totals) and is tagged with :func:`~simulator.report.words.num`;
only the date on which cover is lowest is looked up in the time series.

Days of cover are counted at the end of a day and are 0 on a day a region is short, so
a material's lowest cover, when it runs short, is 0: reached on its first day short or,
when the stock ran out at the end of the day before (or earlier, while arrivals still
met demand), on that day. The sentences say so ("its cover ran out (0.0 days) on 12 Nov
2026, the day before it first ran short") instead of naming a lowest-cover date beside
a later first shortfall.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from html import escape
from typing import Any

import numpy as np

from simulator import shortages
from simulator.burden import fairness_by_material as burden_by_material
from simulator.burden import members_with_demand
from simulator.names import Names, index_text, one_of
from simulator.quantities import FAIRNESS_OF
from simulator.report.html_names import HtmlNames
from simulator.report.words import (
    cap,
    days,
    join_words,
    num,
    over_days,
    percent,
    plural,
    shortfall_tonnes,
    shows_tonnes,
    tonnes,
    tonnes_2,
    usd,
    when,
)
from simulator.results import ALL, Result
from simulator.scenario.changes import differences
from simulator.scenario.portfolio import has_demand
from simulator.scenario.tonnes import index_by_material, not_added, shortfall_adds, tonnes_apart


@dataclass(frozen=True)
class Run:
    """A result with its summary rows indexed by (region, material) and its lowest-cover days."""

    result: Result
    key: str
    """``scenario`` or ``baseline``: the run named in tagged numbers."""
    cells: dict[tuple[str, str], dict[str, Any]]
    lowest_day: dict[tuple[str, str], int]
    """Day on which each region's cover of each material is lowest (first such day)."""
    names: HtmlNames
    """The run's names and scenario text, escaped for HTML: the only way they reach a sentence."""

    @classmethod
    def of(cls, result: Result, key: str = "scenario") -> Run:
        """Index ``result``'s summary and find the days of lowest cover."""
        table = result.summary
        rows = table[table["region"] != ALL].to_dict("records")
        cells = {(str(r["region"]), str(r["material"])): r for r in rows}
        lowest: dict[tuple[str, str], int] = {}
        for (region, material), group in result.timeseries.groupby(["region", "material"], sort=False):
            cover = group["days_of_cover"].to_numpy()
            if np.isfinite(cover).any():
                lowest[str(region), str(material)] = int(group["day"].to_numpy()[np.nanargmin(cover)])
        return cls(result, key, cells, lowest, HtmlNames.of(result))

    @property
    def name(self) -> str:
        """The scenario's name (escaped for HTML)."""
        return self.names.scenario

    def metric(self, name: str) -> Any:
        """A flat metric (``shortfall_t.japan``, ``total_shortfall_t``)."""
        return self.result.metrics[name]

    def cell(self, region: str, material: str, name: str) -> Any:
        """A summary value of one region and material."""
        return self.cells[region, material][name]

    def short_of(self, regions: Iterable[str], materials: Iterable[str]) -> float:
        """The shortfall of ``regions`` of ``materials`` added up (t)."""
        materials = list(materials)
        return float(sum(self.cell(r, m, "shortfall_t") or 0.0 for r in regions for m in materials))

    def tag(self, text: str, value: Any, metric: str) -> str:
        """``text`` tagged as this run's ``metric``."""
        return num(text, value, metric, self.key)

    def date(self, day: int, metric: str) -> str:
        """A tagged first-shortfall day shown as a date."""
        return self.tag(when(self.result.start_date, day), int(day), metric)

    def t(self, value: float, metric: str, zero: str = "0 t") -> str:
        """Tagged tonnes (``zero`` for nothing)."""
        return self.tag(zero if value == 0 else tonnes(value), value, metric)

    def short_t(self, value: float, metric: str, zero: str = "0 t") -> str:
        """Tagged tonnes of a shortfall (:func:`~simulator.report.words.shortfall_tonnes`; ``zero`` where not short).

        Not short is :func:`simulator.shortages.short`'s: none, or a residue (1e-13 t) the words show as none.
        """
        return self.tag(shortfall_tonnes(value) if shortages.short(value) else zero, value, metric)

    def materials(self) -> list[str]:
        """Materials of the run."""
        return list(self.result.structure.materials)

    def tonnes_kinds(self) -> set[str]:
        """What the run's materials' tonnes count (``tonnes_of``: ``oxide``, ``magnet``; "" when not said)."""
        return {self.names.tonnes_of.get(m, "") for m in self.materials()}

    def demands(self, region: str, material: str) -> bool:
        """Whether ``region`` has demand for ``material`` (:func:`simulator.scenario.portfolio.has_demand`).

        Without it the region cannot run short and has no days of cover: the report
        states no shortfall, cover or price paid for the pair (docs/outputs.md,
        "Regions without demand").
        """
        return has_demand(self.result.scenario, region, material)

    def demand_responds(self, material: str | None = None) -> bool:
        """Whether demand answers the price (``market.<material>.demand``), for ``material`` or for any material.

        Then a region's ``demand_t`` is what the price left of its demand, and ``demand_destroyed_t`` what it gave up
        (docs/outputs.md): neither is a shortfall.
        """
        market = self.result.scenario.market
        materials = self.materials() if material is None else [material]
        return any(m in market and market[m].demand is not None for m in materials)

    def no_demand(self, region: str) -> list[str]:
        """The run's materials ``region`` has no demand for."""
        return [m for m in self.materials() if not self.demands(region, m)]

    def regions(self) -> list[str]:
        """Regions of the run."""
        return list(self.result.structure.regions)


def lowest_cover_day(run: Run, region: str, materials: list[str]) -> tuple[str, int] | None:
    """The material and first day on which ``region``'s cover reached its lowest (the region's minimum).

    The earliest day over ``materials`` whose lowest cover is that minimum (None when none is).
    """
    cover = run.metric(f"min_days_of_cover.{region}")
    if cover is None or not np.isfinite(cover):
        return None
    found = [
        (run.lowest_day[region, m], k, m)
        for k, m in enumerate(materials)
        if run.cell(region, m, "min_days_of_cover") == cover and (region, m) in run.lowest_day
    ]
    if not found:
        return None
    day, _, material = min(found)
    return material, day


def _before(gap: int) -> str:
    """How the day cover ran out stands to the first day short: ``the day``, ``the day before``, ``3 days before``."""
    return {0: "the day", 1: "the day before"}.get(gap, f"{plural(gap, 'day')} before")


def ran_out(run: Run, region: str, material: str, subject: str = "its cover") -> str:
    """``its cover ran out (0.0 days) on 12 Nov 2026, the day before it first ran short`` (HTML).

    Days of cover are counted at the end of a day and are 0 on a day the region is short,
    so the lowest cover of a material it runs short of is 0, first reached on its first
    day short or, when the stock ran out at the end of an earlier day, on that day.
    """
    key = f"{region}.{material}"
    cover = run.cell(region, material, "min_days_of_cover")
    low_day = run.lowest_day.get((region, material))
    if cover is None or not np.isfinite(cover) or low_day is None:
        return ""
    shown = run.tag(days(cover) + " days", cover, f"min_days_of_cover.{key}")
    on = when(run.result.start_date, low_day)
    first = int(run.cell(region, material, "first_shortfall_day"))
    if cover > 0 or first < low_day:  # not how cover is counted; say what the numbers are
        return f"{subject} falls to {shown} on {on}"
    return f"{subject} ran out ({shown}) on {on}, {_before(first - low_day)} it first ran short"


def _lowest_cover(run: Run, region: str) -> str:
    """``its lowest cover is 38.6 days (heavy REE, 3 May 2011)``: the first day it is reached."""
    cover = run.metric(f"min_days_of_cover.{region}")
    if cover is None or not np.isfinite(cover):
        return ""
    lowest = lowest_cover_day(run, region, run.materials())
    where = f" ({run.names.material_text(lowest[0])}, {when(run.result.start_date, lowest[1])})" if lowest else ""
    return f"its lowest cover is {run.tag(days(cover) + ' days', cover, f'min_days_of_cover.{region}')}{where}"


MANY_NAMED = 4
"""Of more members (or regions) than this, a sentence that would name each with words alike says those words once
(:func:`simulator.report.verdict.outlasts_line`, :func:`simulator.report.sharing.movers_line`): twelve members each
"short of heavy rare earths" read as one list, not twelve clauses."""

SHARING_WORDS = ("pro rata", "sharing", "shared")
"""Words by which a key assumption that speaks of a quota speaks of how it is shared (:func:`sharing_assumptions`)."""
RULE_OPTION = "contracts_first"
"""The other rule an assumption names when it says what pro rata does (``sharing: contracts_first``)."""


def sharing_assumptions(run: Run) -> list[int]:
    """The key assumptions (numbered from 1, as the table numbers them K1, K2, ...) on how a quota is shared.

    Those whose statement speaks of a quota and of its sharing (:data:`SHARING_WORDS`); of them, those that name
    the other rule (:data:`RULE_OPTION`: what the run would be without pro rata) when any does.
    """
    found = [
        k
        for k, a in enumerate(run.result.scenario.assumptions, start=1)
        if "quota" in a.statement.lower() and any(word in a.statement.lower() for word in SHARING_WORDS)
    ]
    named = [k for k in found if RULE_OPTION in run.result.scenario.assumptions[k - 1].statement]
    return named or found


def assumption_code(k: int) -> str:
    """Key assumption ``k`` (from 1) as the page numbers it: ``K15``.

    Not a bare number: the page's bracketed codes ([A18], [J12], [Q6]) are rows of docs/calibration.md, and "18"
    beside them would read as [A18]. Its row's id is ``assumption-K15``, for links to it.
    """
    return f"K{k}"


def assumption_link(k: int) -> str:
    """A link to key assumption ``k`` in the table of key assumptions: ``<a href="#assumption-K15">K15</a>``."""
    return f'<a href="#assumption-{assumption_code(k)}">{assumption_code(k)}</a>'


def pro_rata_quotas(run: Run, region: str, material: str, day: int) -> list[int]:
    """The export quotas (their index among the shocks), begun by ``day``, that share room pro rata to orders.

    An export quota (``kind: export_quota``) of a supplier ``region`` buys ``material`` from, covering
    that material, with ``sharing: pro_rata`` (orders claim the room), that another region buys from too:
    ``region``'s cover then depends on how much the others order, not only on its own orders.

    An export quota has no ``regions`` (the schema rejects them): it caps the supplier's exports to every region
    (simulator/kernel/border.py), so every region that buys a covered material from the supplier shares it, and
    none is left out here (tests/test_findings_quota_regions.py pins that).
    """
    scenario, shocks = run.result.scenario, run.result.shocks
    regions = scenario.regions
    found = []
    for k, shock in enumerate(scenario.shocks):
        if getattr(shock, "kind", "") != "export_quota" or getattr(shock, "sharing", "") != "pro_rata":
            continue
        if shock.materials is not None and material not in shock.materials:
            continue
        if k >= len(shocks) or int(shocks["start_day"].iloc[k]) > day:
            continue
        supplier = shock.supplier
        if not regions[region].sourcing.get(material, {}).get(supplier):
            continue
        covered = shock.materials if shock.materials is not None else run.materials()
        if any(
            regions[other].sourcing.get(m, {}).get(supplier) for other in regions if other != region for m in covered
        ):
            found.append(k)
    return found


def quota_sharing_caveat(
    run: Run, region: str, lowest: tuple[str, int] | None = None, cover: float | None = None
) -> str:
    """How a quota's sharing rule bears on a region's near miss, a clause (HTML), or "".

    ``, under its 15-day release trigger: how low rests on China's export quotas being shared pro rata to orders,
    so the other buyers' orders cut into its share (key assumptions K13 and K20)``.

    Said when ``region``'s lowest cover is under its agreement's release trigger (``trigger.commercial_days_below``)
    and the material of that lowest cover comes from a supplier whose quota is shared pro rata to orders with other
    regions (:func:`pro_rata_quotas`): another region's precautionary orders then take room this one would have had.

    That the near miss *rests on* the rule (would not be one under another rule) is said only when a key
    assumption states the other rule's outcome, i.e. names :data:`RULE_OPTION` (the replay's K20: 14.2 days with
    contracts first); the number is the assumption's, not computed here, and the page links it. Otherwise the
    rule may be a small part of it: in china_2025_licensing Japan's lowest cover is 1.3 days pro rata and 1.95
    days with ``sharing: contracts_first`` on both quotas, still far under its 15-day trigger, because licensing
    drives it. The clause then says only what is true without a counterfactual run, that the rule also bears on
    it (``; the sharing of China's export quota, pro rata to orders, also bears on it``), linking any assumption
    that speaks of the rule.

    ``lowest`` (material, day) and ``cover``: a low cover other than the region's lowest over its materials, as the
    verdict's close call names one (:func:`simulator.report.verdict._close_call`); the trigger is ``run``'s agreement's.
    """
    agreement = run.result.scenario.agreement
    trigger = agreement.trigger.commercial_days_below if agreement is not None else 0.0
    if lowest is None:
        cover = run.metric(f"min_days_of_cover.{region}")
        lowest = lowest_cover_day(run, region, run.materials())
    if not trigger or lowest is None or cover is None or not np.isfinite(cover) or cover >= trigger:
        return ""
    quotas = pro_rata_quotas(run, region, *lowest)
    if not quotas:
        return ""
    names, shocks = Names.of(run.result.scenario), run.result.scenario.shocks
    suppliers = list(dict.fromkeys(shocks[k].supplier for k in quotas))
    whose = join_words([escape(names.supplier_possessive(s)) for s in suppliers])
    quota = "export quotas" if len(quotas) > 1 else "export quota"
    stated = sharing_assumptions(run)
    links = [assumption_link(k) for k in stated]
    see = f" (key {'assumption' if len(links) == 1 else 'assumptions'} {join_words(links)})" if links else ""
    assumptions = run.result.scenario.assumptions
    if not any(RULE_OPTION in assumptions[k - 1].statement for k in stated):
        return (
            f", under its {trigger:g}-day release trigger; the sharing of {whose} {quota}, pro rata to orders, "
            f"also bears on it{see}"
        )
    return (
        f", under its {trigger:g}-day release trigger: how low rests on {whose} {quota} being shared "
        f"pro rata to orders, so the other buyers' orders cut into its share{see}"
    )


def region_findings(run: Run, region: str) -> list[str]:
    """Sentences (HTML) on one region: when it runs short, how long, how much, lowest cover, releases."""
    result = run.result
    subject = cap(run.names.subject(region))
    first = int(run.metric(f"first_shortfall_day.{region}"))
    total = run.metric(f"shortfall_t.{region}")
    horizon = result.scenario.horizon_days
    sentences = []
    if first < 0 or not shortages.short(total):  # the kernel counts a day short from 1e-9 t, the words from 5e-7 t
        lowest = _lowest_cover(run, region)
        lowest += quota_sharing_caveat(run, region) if lowest else ""
        sentences.append(f"{subject} never runs short; {lowest}." if lowest else f"{subject} never runs short.")
    else:
        short_first = [m for m in run.materials() if int(run.cell(region, m, "first_shortfall_day")) == first]
        share = run.metric(f"shortfall_share.{region}")
        out = lowest_cover_day(run, region, short_first)  # the first material short whose cover ran out first
        cover = ran_out(run, region, out[0], f"its cover of {run.names.material_text(out[0])}") if out else ""
        by_material = {m: run.cell(region, m, "shortfall_t") or 0.0 for m in run.materials()}
        # a share of all its demand adds the tonnes of its materials: said only where they may be added
        used = [m for m in run.materials() if run.demands(region, m)]
        apart = tonnes_apart(result.scenario, used)
        of_demand = "" if apart else f", {run.tag(percent(share), share, f'shortfall_share.{region}')} of its demand"
        depth = None if apart else depth_on_short_days(run, region, used, share)
        deep = (
            f" (on its {plural(depth[0], 'short day', ',')} it lacks {percent(depth[1])} of its demand)"
            if depth
            else ""
        )
        sentences.append(
            f"{subject} first runs short on {run.date(first, f'first_shortfall_day.{region}')} "
            f"({join_words([run.names.material_text(m) for m in short_first])}) and is short of "
            f"{_short_in_all(run, by_material, total, f'shortfall_t.{region}', f'shortfall_t.{region}.{{}}')}"
            f"{of_demand} {over_days(horizon)}{deep}" + (f"; {cover}." if cover else ".")
        )
    said = False  # why thin cover lasts after the shocks is said once, at its first material
    for material in run.materials():
        if run.demands(region, material):
            finding, says = _material_finding(run, region, material, restock=not said)
            said = said or says
            sentences.append(finding)
    if none := run.no_demand(region):
        what = join_words([run.names.material_text(m) for m in none])
        sentences.append(f"Its use of {what} is not modelled in this scenario (no demand given).")
    released = run.metric(f"released_t.{region}")
    if released and released > 0:
        parts = [
            f"{run.names.material_text(m)} {run.t(run.cell(region, m, 'released_t'), f'released_t.{region}.{m}')}"
            for m in run.materials()
            if run.cell(region, m, "released_t")
        ]
        text = f"{subject} received {run.t(released, f'released_t.{region}')} of strategic stock ({', '.join(parts)})"
        spend = run.metric(f"auction_spend_usd.{region}")
        if spend:
            text += f" and paid {run.tag(usd(spend), spend, f'auction_spend_usd.{region}')} at auction"
        sentences.append(text + ".")
    return sentences


NO_RESTOCK = ": without a market, buyers here do not restock what they used"
"""Why a region's cover stays thin after the last shock, said once per region (:func:`thin_cover`)."""
THIN_COVER_DAYS = 7
"""Days with under one day of cover and no shortfall from which a finding says so."""


def thin_cover(run: Run, region: str, material: str, restock: bool) -> tuple[str, bool]:
    """``on 448 days not short its cover was under one day (releases of strategic stock met the rest on 387)``.

    End-of-day cover under one day of baseline demand without a shortfall means the region
    lived from day to day on arrivals and releases: no shortfall, but no margin either
    (under a release cap, for months). Empty below :data:`THIN_COVER_DAYS` such days.
    With the text, whether it says :data:`NO_RESTOCK`: it does where that is why the days
    after the last shock are thin, unless not ``restock`` (the region's finding said it at
    an earlier material).
    """
    ts = run.result.timeseries
    rows = ts[(ts["region"] == region) & (ts["material"] == material)]
    thin = (rows["days_of_cover"] < 1.0) & ~shortages.short(rows["shortfall_t"])  # a residue is no shortfall
    count = int(thin.sum())
    if count < THIN_COVER_DAYS:
        return "", False
    carried = int((thin & (rows["released_t"] > 0)).sum())
    shocks = run.result.shocks
    started = shocks[shocks["start_day"] < run.result.scenario.horizon_days] if not shocks.empty else shocks
    # days after the last shock of the run ended (none without a shock that started within the run)
    after = int((thin & (rows["day"] >= int(started["end_day"].max()))).sum()) if not started.empty else 0
    notes = [f"releases of strategic stock met the rest on {carried:,}"] if carried else []
    says = False
    if after:
        had_stock = float(rows["days_of_cover"].iloc[0]) >= 1.0  # a region that never had stock used none
        says = restock and had_stock and not run.result.scenario.market
        notes.append(f"{after:,} of them after the last shock had ended" + (NO_RESTOCK if says else ""))
    text = f"on {count:,} days not short its cover was under one day"
    return text + (f" ({'; '.join(notes)})" if notes else ""), says


def depth_on_short_days(run: Run, region: str, materials: list[str], share: float) -> tuple[int, float] | None:
    """The days ``region`` was short of any of ``materials`` and the share of its demand it lacked on them.

    A shortfall's share of demand over the run (``shortfall_share``) depends on the run's length and hides how deep
    the shortfall went: 631 t is 3.1% of a year's 20,075 t but, on the 18 days it falls on, 64% of those days'
    990 t. Here: the shortfall on the days short (:func:`simulator.shortages.short`, any of ``materials``) over
    the demand on those days (``demand_t``, what a price response left, as ``shortfall_share`` divides by), both
    from the run's daily rows of ``materials`` (tonnes that may be added: the caller's to ask). None where the
    region is never short of them, has no demand on those days, or where the depth reads as ``share`` (the share
    over the run) does: short every day, or as deep on the days short as over the run, it adds nothing.
    """
    ts = run.result.timeseries
    rows = ts[(ts["region"] == region) & ts["material"].isin(materials)]
    days_short = rows.loc[shortages.short(rows["shortfall_t"]), "day"].unique()
    on = rows[rows["day"].isin(days_short)]
    demand = float(on["demand_t"].sum())
    if not len(days_short) or demand <= 0:
        return None
    depth = float(on["shortfall_t"].sum()) / demand
    return None if percent(depth) == percent(share) else (len(days_short), depth)


def _material_finding(run: Run, region: str, material: str, restock: bool) -> tuple[str, bool]:
    """The sentence on ``region``'s ``material`` and whether it says :data:`NO_RESTOCK` (only if ``restock``)."""
    start = run.result.start_date
    key = f"{region}.{material}"
    name = run.names.material(material)
    short_days = int(run.cell(region, material, "shortfall_days"))
    if short_days == 0 or not shortages.short(run.cell(region, material, "shortfall_t")):  # as region_findings
        cover = run.cell(region, material, "min_days_of_cover")
        low = ""
        if cover is not None and np.isfinite(cover):
            low_day = run.lowest_day.get((region, material))
            on = f" on {when(start, low_day)}" if low_day is not None else ""
            low = f"{run.tag(days(cover) + ' days', cover, f'min_days_of_cover.{key}')}{on}"
        thin, says = thin_cover(run, region, material, restock)
        return f"{name}: never short" + (f"; lowest cover {low}" if low else "") + (f"; {thin}." if thin else "."), says
    short = run.cell(region, material, "shortfall_t")
    share = run.cell(region, material, "shortfall_share")
    first = int(run.cell(region, material, "first_shortfall_day"))
    peak = run.cell(region, material, "max_daily_shortfall_t")
    thin, says = thin_cover(run, region, material, restock)
    depth = depth_on_short_days(run, region, [material], share)
    deep = f", {percent(depth[1])} on the days short" if depth else ""
    return (
        f"{name}: short of {run.short_t(short, f'shortfall_t.{key}')} "
        f"({run.tag(percent(share), share, f'shortfall_share.{key}')} of demand{deep}) on "
        f"{run.tag(f'{short_days:,}', short_days, f'shortfall_days.{key}')} "
        f"{'day' if short_days == 1 else 'days'} from "
        f"{run.date(first, f'first_shortfall_day.{key}')}, {'at most ' if shows_tonnes(peak) else ''}"
        f"{run.tag(shortfall_tonnes(peak), peak, f'max_daily_shortfall_t.{key}')} a day"  # not "at most under 0.01 t"
        + "".join(f"; {part}" for part in (ran_out(run, region, material), thin) if part)
        + "."
    ), says


def materials_named(run: Run, materials: Iterable[str]) -> str:
    """`` of heavy rare earths``, `` of light and heavy rare earths``: what a total of ``materials`` adds ('' none).

    Named as the report names them, their shared trailing words once
    (:meth:`~simulator.names.Names.materials_text`): a total of tonnes that may be added still says what it is of.
    """
    said = run.names.materials_text(materials)
    return f" of {said}" if said else ""


def of_materials(runs: list[Run], who: list[str]) -> str:
    """What a total of ``who``'s shortfall adds (:func:`materials_named`), of the materials short in any of ``runs``.

    The headline's ``the members' shortfall of rare earths from 6,000 t to 5,940 t`` (with the joint stock and
    without it), where ``from 6,000 t`` named nothing.
    """
    run = runs[0]
    return materials_named(
        run, [m for m in run.materials() if any(shortages.short(r.short_of(who, [m])) for r in runs)]
    )


def _short_in_all(
    run: Run, by_material: dict[str, float], total: float, metric: str, each: str, named: bool = False
) -> str:
    """``7,111 t in all``, or by material where a total would add unlike tonnes (as ``stockpile run`` says it).

    That is where tonnes of the run's materials may not be added (:func:`simulator.scenario.tonnes.tonnes_apart`)
    and two materials or more are short: ``1,184 t of light rare earths and 5,927 t of NdFeB magnets (not
    added: tonnes of magnet and tonnes of oxide)``, each tagged as ``each`` names its metric. ``named``: a total
    names the materials it adds (``294 t of heavy rare earths in all``), in a sentence that does not name them.
    """
    short = {m: t for m, t in by_material.items() if shortages.short(t)}
    why = not_added(run.result.scenario, short)
    if why is None:
        return f"{run.short_t(total, metric)}{materials_named(run, short) if named else ''} in all"
    parts = [f"{run.short_t(t, each.format(m))} of {run.names.material_text(m)}" for m, t in short.items()]
    return f"{join_words(parts)} (not added: {escape(why)})"  # why quotes the scenario's tonnes_of


SMALL_SHORTFALL_SHARE = 0.01
"""A total shortfall under this share of the group's demand is called small beside the fairness index."""


def overall_finding(run: Run) -> str:
    """Total shortfall of the members (all regions without an agreement) and fairness."""
    total = run.metric("total_shortfall_t")
    who = "the members" if run.result.structure.members else "all regions"
    horizon = run.result.scenario.horizon_days
    group = run.result.structure.member_names or run.regions()
    if not shortages.short(total):  # none, or a residue the words show as 0
        nobody = "no member" if run.result.structure.members else "no region"
        zero = run.t(total, "total_shortfall_t")  # 0 t of nothing in particular: says so, as a tonnage says of what
        text = f"{cap(over_days(horizon))}, {nobody} runs short ({zero} of shortfall of any material)"
        return text + _given_up(run, group, who) + "."
    by_material = {m: run.metric(f"total_shortfall_t.{ALL}.{m}") or 0.0 for m in run.materials()}
    short = _short_in_all(run, by_material, total, "total_shortfall_t", f"total_shortfall_t.{ALL}.{{}}", named=True)
    text = f"{cap(over_days(horizon))}, {_who_is_short(run, group, who)} of {short}"
    jain = run.metric("fairness_jain")
    if jain is not None and len(group) > 1:  # (short: a residue returned above)
        short_materials = [m for m, t in by_material.items() if shortages.short(t)]
        if not index_by_material(run.result.scenario, short_materials):
            shown = index_text(jain, 2)
            text += (
                f"; fairness of the burden (Jain's index of shortfall shares, 1 = equal) is "
                f"{run.tag(shown, jain, 'fairness_jain')}"
            )
            bearer = _sole_bearer(run, group, jain)
            text += _carried_by(run, group) if bearer is None else f": {_bears_all_over_all(run, group, bearer)}"
        else:  # over all materials the index would add unlike tonnes, or divide by demand for materials not short
            by_material_text, named_bearer = fairness_by_material(run, by_material)
            text += by_material_text
            if not named_bearer:
                text += _carried_by(run, group, over_all=False)
        text += _how_heavy(run, group, by_material, total)
    return text + _given_up(run, group, "the members" if run.result.structure.members else "all regions") + "."


def _how_heavy(run: Run, group: list[str], by_material: dict[str, float], total: float) -> str:
    """How small the shortfall is beside the group's demand, a clause (HTML), where under :data:`SMALL_SHORTFALL_SHARE`.

    ``. The index says only who carries the shortfall, not how heavy it is: 3.4 t is 0.01% of the members'
    demand over the run``; "" where the shortfall is not that small.
    Where tonnes of the run's materials may not be added (:func:`simulator.scenario.tonnes.shortfall_adds`, as the
    shortfall total before it says), each material's shortfall is a share of the demand for it, and small where
    every one is: ``3.2 t of light rare earths and 0.15 t of heavy rare earths are 0.01% and 0.02% of the members'
    demand for each over the run``.
    """
    demand = {m: float(sum(run.cell(r, m, "demand_t") or 0.0 for r in group)) for m in run.materials()}
    whose = "the members'" if run.result.structure.member_names else "all regions'"
    after = " after the price response" if run.demand_responds() else ""
    lead = ". The index says only who carries the shortfall, not how heavy it is: "
    if shortfall_adds(run.result.scenario) is None:
        used = sum(demand.values())
        if used > 0 and total / used < SMALL_SHORTFALL_SHARE:
            return f"{lead}{shortfall_tonnes(total)} is {percent(total / used)} of {whose} demand over the run{after}"
        return ""
    short = {m: t for m, t in by_material.items() if shortages.short(t) and demand[m] > 0}
    if not short or max(t / demand[m] for m, t in short.items()) >= SMALL_SHORTFALL_SHARE:
        return ""
    shown = join_words([f"{shortfall_tonnes(t)} of {run.names.material_text(m)}" for m, t in short.items()])
    shares = join_words([percent(t / demand[m]) for m, t in short.items()])
    verb, each = ("is", "it") if len(short) == 1 else ("are", "each")
    return f"{lead}{shown} {verb} {shares} of {whose} demand for {each} over the run{after}"


def _who_is_short(run: Run, group: list[str], who: str) -> str:
    """The subject and verb of the total shortfall: ``the members are short``, ``the EU is short`` (HTML).

    Without an agreement, ``all regions are short`` only where each of ``group`` is; one region short alone is
    named, and some short of several ``the regions together are short``. ``who``: ``the members`` or
    ``all regions``.
    """
    if run.result.structure.members:
        return f"{who} are short"
    short = [r for r in group if shortages.short(run.metric(f"shortfall_t.{r}"))]
    if len(short) == len(group):
        return f"{who} are short"
    if len(short) == 1:
        return f"{run.names.subject(short[0])} is short"
    return "the regions together are short"


def _one_of(run: Run, group: list[str], material: str | None = None) -> str:
    """``one of two members``: the one bearing all of a shortfall (of ``material``; None: of any) among those counted.

    Jain's index is then ``1/n``, ``n`` counting the members of ``group`` (regions, without an agreement) with
    demand for the material (for any, over all materials), as :func:`simulator.metrics.jain_index` does.
    """
    materials = run.materials() if material is None else [material]
    counted = len(members_with_demand(run.result.scenario, group, materials))
    return one_of(counted, "member" if run.result.structure.member_names else "region")


def _sole_bearer(run: Run, group: list[str], index: float, material: str | None = None) -> str | None:
    """The one of ``group`` short (of ``material``; None: of any) where the ``index`` is below 1, else None.

    The index is then its ``1/n``, ``n`` the members it counts (:func:`_one_of`).
    """
    if material is None:
        short = [r for r in group if shortages.short(run.metric(f"shortfall_t.{r}"))]
    else:
        short = [r for r in group if shortages.short(float(run.cell(r, material, "shortfall_t") or 0.0))]
    return short[0] if len(short) == 1 and index < 1.0 else None


def _bears_all_over_all(run: Run, group: list[str], bearer: str) -> str:
    """``Japan bears it all (one of two members)``: what an index over all materials of ``1/n`` means, once (HTML).

    A member with demand of some material but none of those short is counted by the index as bearing none, and
    said so: ``the EU bears it all (one of three members; the index counts South Korea, which uses none, as
    bearing none)``; where the bearer is the only one using the materials short, that is said too: ``the EU, the
    only member using NdFeB magnets here, bears it all (one of two members; the index counts Japan, ...)``.
    """
    exposed = _exposed(run, group)
    spared = _spared(run, group, exposed)
    uses = "uses" if len(spared) == 1 else "use"
    counts = f"; the index counts {join_words(spared)}, which {uses} none, as bearing none" if spared else ""
    who = "member" if run.result.structure.member_names else "region"
    named = run.names.subject(bearer)
    if exposed == [bearer] and spared:
        named = f"{only_user(run, bearer, _materials(run, _short_materials(run, group)), who)},"
    return f"{named} bears it all ({_one_of(run, group)}{counts})"


def fairness_by_material(run: Run, by_material: dict[str, float]) -> tuple[str, bool]:
    """Jain's index of each material short, a clause (HTML), where the shortfall's tonnes are not added.

    ``; fairness of the burden, by material (Jain's index of the members' shortfalls as shares of their demand
    for it, 1 = equal): light rare earths 0.65 and heavy rare earths 0.99; only the EU uses NdFeB magnets``; with
    one material short, ``; fairness of the burden of the material short (...): gallium 0.93``
    (:func:`simulator.scenario.tonnes.index_by_material`: the index over all materials would count demand for the
    materials no one is short of).
    An index that is ``1/n``, one of its users bearing all the shortfall of the material, names that one once,
    materials of the same index and bearer together: ``light and heavy rare earths 0.50 each: the EU bears it all
    (one of two regions)``, or in a list of several ``heavy rare earths 0.50 (the EU bears it all, one of two
    members)``. With it, whether a bearer was named (the clause on whom the shortfall falls is then not needed).
    The index over all materials sums each member's shortfall over its materials, adding tonnes that the
    sentence before it does not add, so each material's (``fairness_jain.all.<material>``: the members'
    shortfalls of it over their demand for it) is given instead. A material that fewer than two of the members
    use has no burden to share: it is named with its one user, not given the index's 1
    (:func:`simulator.burden.fairness_by_material`, as ``stockpile run``'s last line).
    """
    short = [material for material, short_t in by_material.items() if shortages.short(short_t)]
    indices, sole_users = burden_by_material(run.result, short)
    group = list(run.result.structure.member_names or run.regions())
    entries: dict[tuple[str, str | None, str], list[tuple[str, float]]] = {}
    for material, index in indices:
        bearer = _sole_bearer(run, group, index, material)
        key = (index_text(index, 2), bearer, _one_of(run, group, material) if bearer else "")
        entries.setdefault(key if bearer else (key[0], None, material), []).append((material, index))
    alone = [f"only {run.names.subject(r)} uses {run.names.material_text(m)}" for m, r in sole_users]
    if not entries:  # no material with two users short: who carries it is said after (_carried_by)
        return "", False
    single = len(entries) == 1
    shown = [_index_entry(run, materials, bearer, one_of, single) for (_, bearer, one_of), materials in entries.items()]
    whose = "members'" if run.result.structure.member_names else "regions'"
    text = (
        f"; fairness of the burden{', by material' if len(short) > 1 else ' of the material short'} (Jain's "
        f"index of the {whose} shortfalls as shares of their "
        f"demand for it, 1 = equal): {join_words(shown)}"
    )
    named_bearer = any(bearer for _, bearer, _ in entries)
    return text + "".join(f"; {a}" for a in alone), named_bearer


def _index_entry(run: Run, materials: list[tuple[str, float]], bearer: str | None, one_of: str, single: bool) -> str:
    """``heavy rare earths 0.99``, or materials of one index borne by one ``bearer`` together (HTML).

    ``light and heavy rare earths 0.50 each: the EU bears it all (one of two regions)`` where it is the list's
    only entry (``single``), else ``... 0.50 each (the EU bears it all, one of two regions)``.
    """
    names = run.names.materials_text([m for m, _ in materials])
    each = " each" if len(materials) > 1 else ""
    material, index = materials[0]
    shown = run.tag(index_text(index, 2), index, f"{FAIRNESS_OF}{material}")
    if bearer is None:
        return f"{names} {shown}"
    bears = f"{run.names.subject(bearer)} bears it all"
    return f"{names} {shown}{each}" + (f": {bears} ({one_of})" if single else f" ({bears}, {one_of})")


def _carried_by(run: Run, group: list[str], over_all: bool = True) -> str:
    """On how many of the members (regions) that could be short the shortfall falls, a clause (HTML), or "".

    ``, with the shortfall on 1 of the 2 members``: counted among those with demand for a material some of ``group``
    is short of (:meth:`Run.demands`), since a member that uses none of it cannot be short of it. Where one
    member is left, ``, with all the shortfall on the EU, the only member using NdFeB magnets here``; where members
    use none of the materials short yet have demand of another, the index's counting them as bearing none is said
    too (over all materials it counts a member with demand of any), unless not ``over_all``: the index is then given
    by material (:func:`fairness_by_material`), which leaves such a member out. "" when every member that could be
    short is.
    """
    short_materials = _short_materials(run, group)
    exposed = _exposed(run, group)
    short = [r for r in group if shortages.short(run.metric(f"shortfall_t.{r}"))]
    who = "member" if run.result.structure.member_names else "region"
    if len(short) == len(exposed):
        if len(exposed) == len(group):
            return ""
        if len(exposed) == 1:
            text = f", with all the shortfall on {only_user(run, exposed[0], _materials(run, short_materials), who)}"
        else:
            every = "both" if len(exposed) == 2 else f"all {len(exposed)}"
            text = f", with the shortfall on {every} {who}s using {_materials(run, short_materials)}"
    elif len(exposed) == len(group):  # the index counts the others as bearing none, as they do
        return f", with the shortfall on {len(short)} of the {len(group)} {who}s"
    else:
        text = (
            f", with the shortfall on {len(short)} of the {len(exposed)} {who}s using "
            f"{_materials(run, short_materials)}"
        )
    spared = _spared(run, group, exposed)
    if not spared or not over_all:  # an index by material leaves out a member without demand of the material
        return text
    uses = "uses" if len(spared) == 1 else "use"
    return text + f" (the index counts {join_words(spared)}, which {uses} none, as bearing none)"


def _short_materials(run: Run, group: list[str]) -> list[str]:
    """The materials some of ``group`` is short of."""
    return [m for m in run.materials() if shortages.short(run.short_of(group, [m]))]


def _exposed(run: Run, group: list[str]) -> list[str]:
    """Those of ``group`` that could be short: with demand for a material some of ``group`` is short of."""
    short_materials = _short_materials(run, group)
    return [r for r in group if any(run.demands(r, m) for m in short_materials)]


def _spared(run: Run, group: list[str], exposed: list[str]) -> list[str]:
    """Names of those of ``group`` the index over all materials counts as bearing none of a shortfall they cannot have.

    Those not ``exposed``, yet with demand of some material (a member without any has no share to count).
    """
    return [run.names.subject(r) for r in group if r not in exposed and run.no_demand(r) != run.materials()]


def only_user(run: Run, region: str, what: str, who: str = "member") -> str:
    """``the EU, the only member using NdFeB magnets here``: ``region`` as the one ``who`` using ``what`` (words)."""
    return f"{run.names.subject(region)}, the only {who} using {what} here"


def _materials(run: Run, materials: list[str]) -> str:
    """``NdFeB magnets``, ``cobalt or gallium``: materials some member uses, as a clause names them."""
    return join_words([run.names.material_text(m) for m in materials], "or")


def _given_up(run: Run, group: list[str], who: str) -> str:
    """The demand ``group`` gave up at high prices, a clause (HTML): "" without a demand response or when none was.

    ``; at high prices the members gave up 13,000 t of demand (18% of what they would have used), none
    of it counted as shortfall``. A region's demand in the summary (``demand_t``) is what the price left of it;
    the demand the price destroyed (``demand_destroyed_t``, two significant figures as in the price section: it
    scales with an assumed elasticity; the region tables give it exact, to add up with the demand row above it) is
    not short, so a run can read "no shortfall" while much use was given up.

    Where tonnes of the run's materials may not be added (:func:`simulator.scenario.tonnes.shortfall_adds`, the
    rule of the shortfall total), neither the tonnes given up nor the demand they are a share of are: each
    material given up is named with its share of the demand for it, ``gave up 70 t of demand for heavy rare
    earths (4.8% of what they would have used)``, and two or more say what a total would add (``not added: ...``, as
    :func:`_short_in_all` says it).
    """
    if not run.demand_responds():
        return ""
    destroyed = {m: float(sum(run.cell(r, m, "demand_destroyed_t") or 0.0 for r in group)) for m in run.materials()}
    if sum(destroyed.values()) <= 0:
        return ""
    used = {m: float(sum(run.cell(r, m, "demand_t") or 0.0 for r in group)) for m in run.materials()}
    lead = f"; at high prices {who} gave up "
    tail = ", none of it counted as shortfall"
    if shortfall_adds(run.result.scenario) is None:  # one total: its tonnes, and the demand's, may be added
        given = float(sum(run.metric(f"demand_destroyed_t.{r}") or 0.0 for r in group))
        wanted = sum(used.values()) + given
        shown = run.tag(tonnes_2(given), given, f"sum:demand_destroyed_t:{','.join(group)}")
        return f"{lead}{shown} of demand ({percent(given / wanted)} of what they would have used){tail}"
    given_up = {m: t for m, t in destroyed.items() if tonnes_2(t) != tonnes_2(0.0)}
    if not given_up:
        return ""
    parts = [
        f"{run.tag(tonnes_2(t), t, 'sum:demand_destroyed_t:' + ','.join(f'{r}.{m}' for r in group))}"
        f"{' of demand' if k == 0 else ''} for {run.names.material_text(m)} "
        f"({percent(t / (used[m] + t))} of what they would have used)"
        for k, (m, t) in enumerate(given_up.items())
    ]
    why = not_added(run.result.scenario, given_up)
    apart = f" (not added: {escape(why)})" if why else ""  # why quotes the scenario's tonnes_of
    return f"{lead}{join_words(parts)}{apart}{tail}"


# --- comparison -----------------------------------------------------------------------


def lead_phrase(run: Run, base: Run) -> str:
    """``With the joint stock`` when the runs differ only in the run's agreement, else ``In <run>``.

    A comparison whose scenarios differ in more than the agreement (other shocks, other
    stocks) does not credit the joint stock with the difference.
    """
    has, had = run.result.scenario.agreement is not None, base.result.scenario.agreement is not None
    if differences(run.result.scenario, base.result.scenario) == ["agreement"]:
        if has and not had:
            return "With the joint stock"
        if had and not has:
            return "Without the joint stock"
    return f"In {run.name}"


def _change_clause(run: Run, base: Run, metric: str, noun: str) -> str:
    """``its total shortfall falls by 62%, from 942 t to 358 t`` (or ``from 19.8 t to none``)."""
    return _change_words(run, base, base.metric(metric), run.metric(metric), metric, noun)


def _change_words(run: Run, base: Run, old: float, new: float, metric: str, noun: str) -> str:
    """:func:`_change_clause` of the values ``old`` (``base``'s) and ``new`` (``run``'s), tagged as ``metric``.

    Short or not is :func:`simulator.shortages.short`'s: a residue (1e-13 t) is none, so none against a residue
    is no change.
    """
    old_t, new_t = base.short_t(old, metric, zero="none"), run.short_t(new, metric, zero="none")
    if old == new or not shortages.short([old, new]).any():
        return f"{noun} is unchanged at {new_t}" if shortages.short(new) else ""
    if not shortages.short(old):
        return f"{noun} rises from {old_t} to {new_t}"
    change = (new - old) / old
    verb = "falls" if change < 0 else "rises"
    return f"{noun} {verb} by {num(percent(abs(change)), change, f'change:{metric}')}, from {old_t} to {new_t}"


def _compared_materials(run: Run, base: Run, regions: list[str]) -> list[str]:
    """The materials of both runs that some of ``regions`` is short of in either (:func:`simulator.shortages.short`)."""
    return [
        m
        for m in run.materials()
        if m in base.materials() and any(shortages.short(r.short_of(regions, [m])) for r in (run, base))
    ]


def _by_material_change(run: Run, base: Run, regions: list[str], noun: str) -> str | None:
    """The change of ``regions``' shortfall material by material where a total would add unlike tonnes, else None.

    Where the tonnes of the materials short in either run may not be added
    (:func:`~simulator.scenario.tonnes.not_added`, the rule of the verdict's box and of ``stockpile run --compare``'s
    line): ``its shortfall of light rare earths
    falls by 83%, from 4,578 t to 795 t, and that of heavy rare earths falls by 27%, from 420 t to 307 t (not added:
    tonnes of materials priced far apart)``; ``noun``: how the first names the shortfall (``its shortfall``, ``the
    shortfall``). None where one total may be given (fewer than two materials short, or tonnes that may be added).
    """
    short = _compared_materials(run, base, regions)
    why = not_added(run.result.scenario, short)
    if why is None:
        return None
    parts = []
    for m in short:
        metric = (
            f"shortfall_t.{regions[0]}.{m}"
            if len(regions) == 1
            else f"sum:shortfall_t:{','.join(f'{r}.{m}' for r in regions)}"
        )
        what = f"{noun if not parts else 'that'} of {run.names.material_text(m)}"
        old, new = base.short_of(regions, [m]), run.short_of(regions, [m])
        parts.append(_change_words(run, base, old, new, metric, what))
    # each part has commas of its own ("falls by 75%, from ..."): each after the first is set off by one
    joined = f"{', '.join(parts[:-1])}, and {parts[-1]}"
    return f"{joined} (not added: {escape(why)})"  # why quotes the scenario's tonnes_of


def compare_region(run: Run, base: Run, region: str) -> str:
    """One sentence on how ``region`` fares in ``run`` against ``base``."""
    metric = f"first_shortfall_day.{region}"
    old, new = int(base.metric(metric)), int(run.metric(metric))
    subject, poss = run.names.subject(region), run.names.possessive(region)
    run_name, base_name = run.name, base.name
    if old < 0 and new < 0:
        clauses = [f"{subject} runs short in neither {run_name} nor {base_name}"]
    elif new < 0:
        clauses = [f"{subject} no longer runs short (in {base_name} it first did on {base.date(old, metric)})"]
    elif old < 0:
        clauses = [f"{subject} now runs short, first on {run.date(new, metric)} (never in {base_name})"]
    elif run.result.start_date != base.result.start_date:  # day numbers of two calendars: give both dates
        clauses = [f"{poss} first shortfall is on {run.date(new, metric)} ({base_name}: {base.date(old, metric)})"]
    elif old == new:
        clauses = [f"{poss} first shortfall stays on {run.date(new, metric)}"]
    else:
        later = "later" if new > old else "earlier"
        clauses = [
            f"{poss} first shortfall moves from {base.date(old, metric)} to {run.date(new, metric)} "
            f"({plural(abs(new - old), 'day')} {later})"
        ]
    total = _by_material_change(run, base, [region], "its shortfall")
    if total is None:  # one total: the tonnes of the materials short may be added
        total = _change_clause(run, base, f"shortfall_t.{region}", "its total shortfall")
    if total:
        clauses.append(total)
    day_parts = []
    for material in (m for m in run.materials() if m in base.materials()):
        key = f"shortfall_days.{region}.{material}"
        was, now = int(base.cell(region, material, "shortfall_days")), int(run.cell(region, material, "shortfall_days"))
        if was == now and was:
            day_parts.append(f"stay at {run.tag(f'{now:,}', now, key)} for {run.names.material_text(material)}")
        elif was != now:
            verb = "fall" if now < was else "rise"
            shown = f"from {base.tag(f'{was:,}', was, key)} to {run.tag(f'{now:,}', now, key)}"
            day_parts.append(f"{verb} {shown} for {run.names.material_text(material)}")
    if day_parts:
        clauses.append(f"its days short {join_words(day_parts)}")
    cover_metric = f"min_days_of_cover.{region}"
    was_c, now_c = base.metric(cover_metric), run.metric(cover_metric)
    if was_c is not None and now_c is not None and days(was_c) != days(now_c):  # as shown
        verb = "rises" if now_c > was_c else "falls"
        clauses.append(
            f"its lowest cover {verb} from {base.tag(days(was_c), was_c, cover_metric)} to "
            f"{run.tag(days(now_c), now_c, cover_metric)} days"
        )
    lead = lead_phrase(run, base)
    if old < 0 and new < 0:  # "With the joint stock, Japan runs short in neither" would credit the stock
        rest = f"; {lead[0].lower()}{lead[1:]}, " + "; ".join(clauses[1:]) if len(clauses) > 1 else ""
        return cap(clauses[0]) + rest + "."
    return f"{lead}, " + "; ".join(clauses) + "."


def compare_overall(run: Run, base: Run) -> str:
    """Total shortfall of the regions both runs have, before and after.

    Material by material where a total would add unlike tonnes (:func:`_by_material_change`): ``Across Japan and
    the EU, the shortfall of light rare earths falls by 75%, ...``.
    """
    regions = [r for r in run.regions() if r in base.regions()]
    metric = f"sum:shortfall_t:{','.join(regions)}"
    old = float(sum(base.metric(f"shortfall_t.{r}") for r in regions))
    new = float(sum(run.metric(f"shortfall_t.{r}") for r in regions))
    old_t, new_t = base.short_t(old, metric, zero="none"), run.short_t(new, metric, zero="none")
    names = join_words([run.names.subject(r) for r in regions])
    if not shortages.short([old, new]).any():  # not "the total shortfall is none in both runs"
        return f"Across {names}, there is {run.tag('no shortfall', new, metric)} in either run."
    if (by_material := _by_material_change(run, base, regions, "the shortfall")) is not None:
        return f"Across {names}, {by_material}."
    if old == new:
        return f"Across {names}, the total shortfall is {new_t} in both runs."
    if not shortages.short(old):
        return f"Across {names}, the total shortfall rises from {old_t} to {new_t}."
    change = (new - old) / old
    verb = "falls" if change < 0 else "rises"
    shown = num(percent(abs(change)), change, f"change:{metric}")
    return f"Across {names}, the total shortfall {verb} by {shown}, from {old_t} to {new_t}."
