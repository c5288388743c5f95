"""The report's tables: one per region, the comparison with a baseline, shocks, assumptions.

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

import numpy as np

from simulator import quantities, shortages
from simulator.errors import InputError
from simulator.names import join_words
from simulator.plots import KIND_NAMES, idle_shocks, shock_severity
from simulator.report.accounts import Account
from simulator.report.findings import Run, assumption_code, lowest_cover_day
from simulator.report.style import caption
from simulator.report.uncertainty import SECTION_ID as UNCERTAINTY_SECTION
from simulator.report.uncertainty import range_cell
from simulator.report.words import (
    DASH,
    days,
    draws_own,
    drop_residue_usd,
    finite,
    lent_word,
    percent,
    plural,
    shortfall_tonnes,
    source_codes_note,
    span_dates,
    tonnes,
    usd_m,
    when,
)
from simulator.results import Result
from simulator.scenario.changes import NOT_SET, Change
from simulator.scenario.overrides import _child, shown
from simulator.scenario.schema import drawn_at_random
from simulator.scenario.tonnes import tonnes_apart
from simulator.scenario.uncertain import inputs_of
from simulator.shock_effects import SIZE_FIELD

STOCK_COSTS = ("holding_cost_usd", "refill_cost_usd", "auction_spend_usd")
"""Costs of strategic stock, added to the cost of buying a pool share (summary quantities)."""
REVENUE = "auction_revenue_usd"
"""Auction proceeds received as an owner of the pool: subtracted."""
OTHER_COSTS = ("procurement_premium_usd", "resourcing_cost_usd")
"""Costs of procurement policies, shown apart."""


DEMAND = "Demand over the horizon (t)"
DEMAND_AFTER = "Demand after the price response (t)"
"""The first row of a region's table: its demand over the run, which with a demand response is what the price left."""
GIVEN_UP = "Demand given up at high prices (t)"
"""The row of the demand the price destroyed (``demand_destroyed_t``), only where demand answers the price.

Rounded as the row above it (:func:`~simulator.report.words.tonnes`), so that in each column the two add up to the
baseline demand, within a tonne of rounding (the replay's Japan, light rare earths: 45,710 t + 10,285 t = 55,995 t);
at two significant figures ("10,000 t") they did not. The sentences (the overall finding, the price section) keep
two significant figures: it scales with an assumed elasticity, and there no row beside it is to add up with."""


BY_MATERIAL = "by material"
"""The All materials cell of a row of tonnes, or of shares of demand in tonnes, where the run's tonnes may not be
added (:func:`simulator.scenario.tonnes.tonnes_apart`: tonnes of oxide and of magnet, or prices far apart): a sum
there would add what the rest of the report gives by material, and the note under the tables says why."""


def _label(name: str) -> str:
    return quantities.get("summary", name).label


def signed_m(value: float) -> str:
    """:func:`usd_m` with a true minus sign (U+2212), as the report writes a negative amount: ``−5.77``.

    >>> [signed_m(v) for v in (-5_773_718.0, 5_777_373.0, 0.0)]
    ['\u22125.77', '5.78', '0']
    """
    return usd_m(value).replace("-", "\u2212")


def _first(run: Run, day: Any) -> str:
    return when(run.result.start_date, int(day)) if finite(day) and int(day) >= 0 else "never"


def _cover(value: Any) -> str:
    return days(value) if finite(value) else DASH


STOCK_FIGURES = (
    "released_t",
    "lent_t",
    *STOCK_COSTS,
    REVENUE,
    *OTHER_COSTS,
)
"""Summary figures of stock held, moved or paid for: a region can have them without demand."""


def table_materials(run: Run, region: str, account: Account | None = None) -> list[str]:
    """The materials of ``region``'s table: those it has demand for, and those it holds, moves or pays for.

    A material the region has no demand for and no figure of stock or money is left out
    (its column would only say it was never short).
    """

    def holds(material: str) -> bool:
        cell = run.cells[region, material]
        bought = account is not None and account.stakes[material].buying_usd > 0
        return bought or any(cell.get(key) for key in STOCK_FIGURES)

    return [m for m in run.materials() if run.demands(region, m) or holds(m)]


def region_table(run: Run, region: str, account: Account | None = None) -> str:
    """One region's outcome per material and in all: shortfall, days short, cover, releases, costs.

    With a member's ``account``, the net cost of strategic stock is the verdict's: buying
    its pool share + holding + refills + auction spend - auction revenue, a pool share held
    already (``agreement.pool.already_held``) neither bought nor its holding counted
    (:mod:`simulator.report.accounts`). A material the
    region has no demand for gets a column only when it holds, moves or pays for stock of
    it (:func:`table_materials`); that column reads "no demand" and its shortfall and
    cover rows a dash. Where the run's tonnes may not be added
    (:func:`simulator.scenario.tonnes.tonnes_apart`), the All materials column reads
    "by material" (:data:`BY_MATERIAL`) in its rows of tonnes and of shares of demand; its
    days short (days any material was short), cover and costs in US dollars stay.
    """
    result = run.result
    materials = table_materials(run, region, account)
    members = result.structure.member_names
    start = result.start_date
    cells = [run.cells[region, m] for m in materials]
    demand = [run.demands(region, m) for m in materials]
    metric = run.metric

    def money(key: str) -> list[str]:
        return [usd_m(c[key] or 0.0) for c in cells] + [usd_m(metric(f"{key}.{region}") or 0.0)]

    # days short (a union of days), cover, first days and US dollars add up over materials; tonnes only where
    # tonnes_apart lets them (the note under the tables says why, _apart_note)
    apart = tonnes_apart(result.scenario, run.materials())

    def added_t(total: str) -> str:
        """The All materials cell of a row of tonnes (or of shares of them): ``total``, or "by material"."""
        return BY_MATERIAL if apart else total

    def tonne_row(key: str) -> list[str]:
        values = [c.get(key) or 0.0 for c in cells]
        return [tonnes(v) for v in values] + [added_t(tonnes(float(np.sum(values))))]

    def outcome(shown: list[str]) -> list[str]:
        """A dash in the columns of materials without demand (the last value is the all-materials one)."""
        return [v if has else DASH for v, has in zip(shown, demand, strict=False)] + shown[len(materials) :]

    low_days = [run.lowest_day.get((region, m)) for m in materials]
    total_low = metric(f"min_days_of_cover.{region}")
    lowest = lowest_cover_day(run, region, materials)  # the first day any material is at the region's lowest
    low_total_day = lowest[1] if lowest else None
    demanded = tonne_row("demand_t")
    # with a demand response, demand_t is what the price left of demand: the shortfall's share is of that, and
    # what the price destroyed is a row of its own (docs/outputs.md), not a shortfall
    responds = run.demand_responds()
    rows: list[tuple[str, list[str], str]] = [
        (
            DEMAND_AFTER if responds else DEMAND,
            [v if has else "no demand" for v, has in zip(demanded, demand, strict=False)] + demanded[-1:],
            "",
        ),
    ]
    if responds:
        rows.append((GIVEN_UP, outcome(tonne_row("demand_destroyed_t")), ""))
    rows += [
        (
            "Shortfall (t)",
            outcome(
                [shortfall_tonnes(c["shortfall_t"]) for c in cells]
                + [added_t(shortfall_tonnes(metric(f"shortfall_t.{region}")))]
            ),
            "key",
        ),
        (
            "Share of that demand not met" if responds else "Share of demand not met",
            outcome(
                [percent(c["shortfall_share"] or 0.0) for c in cells]
                + [added_t(percent(metric(f"shortfall_share.{region}")))]
            ),
            "",
        ),
        (
            "Days short",
            outcome(
                [str(int(c["shortfall_days"])) for c in cells] + [str(int(metric(f"shortfall_days.{region}"))) + "*"]
            ),
            "key",
        ),
        (
            "First shortfall",
            outcome(
                [_first(run, c["first_shortfall_day"]) for c in cells]
                + [_first(run, metric(f"first_shortfall_day.{region}"))]
            ),
            "key",
        ),
        (
            "Largest daily shortfall (t)",
            outcome([shortfall_tonnes(c["max_daily_shortfall_t"]) for c in cells] + [DASH]),
            "",
        ),
        (
            "Minimum days of cover",
            [_cover(c["min_days_of_cover"]) for c in cells] + [_cover(total_low)],
            "key",
        ),
        (
            "Lowest cover on (end of day)",
            [when(start, d) if d is not None else DASH for d in low_days]
            + [when(start, low_total_day) if low_total_day is not None else DASH],
            "",
        ),
        ("Release received (t)", tonne_row("released_t"), "key"),
    ]
    joint = result.scenario.agreement is None or result.scenario.agreement.pool.mode == "joint"
    own = draws_own(result.scenario)  # iea_ess: the rule's release is the member's draw from its own reserve
    shared = "from the joint pool (t)" if joint else "from other members' reserves (t)"
    optional = [
        ("released_joint_t", f"\u2003{'drawn from its own reserve under the agreement (t)' if own else shared}"),
        ("released_national_t", "\u2003from its own national reserve (t)"),
        ("released_auction_t", "\u2003of which bought at auction (t)"),
        # under a rule that shares supply lent_t is the same draw as the row above, no transfer: not repeated
        *([] if own else [("lent_t", f"{lent_word(result.scenario).capitalize()} to other members (t)")]),
    ]
    for key, label in optional:
        if any(c.get(key) for c in cells):
            rows.append((label, tonne_row(key), ""))

    def values(key: str) -> list[float]:
        return [c.get(key) or 0.0 for c in cells] + [metric(f"{key}.{region}") or 0.0]

    net = np.zeros(len(materials) + 1)
    if account is not None and account.buying_usd:
        bought = [account.stakes[m].buying_usd for m in materials]
        bought.append(sum(bought))
        net += bought
        rows.append(("Buying its pool share (USD m)", [usd_m(v) for v in bought], ""))
    for key in STOCK_COSTS:
        net += values(key)
        if any(values(key)) or key == "holding_cost_usd":
            rows.append((f"{_label(key)} (USD m)", money(key), ""))
    if account is not None and account.held_holding_usd:  # agreement.pool.already_held: not the agreement's cost
        kept = [account.stakes[m].held_holding_usd for m in materials]
        kept.append(sum(kept))
        net -= kept
        rows.append(
            (
                "Less holding its pool share held already (USD m)",
                [signed_m(-v) for v in kept],
                "",
            )
        )
    if any(values(REVENUE)):
        net -= values(REVENUE)
        rows.append(
            (
                f"Less {_label(REVENUE).lower()} (USD m)",
                [signed_m(-v) for v in values(REVENUE)],
                "",
            )
        )
    # a share's holding taken off its own figure leaves a float residue: shown 0, not -0.00
    rows.append(("Net cost of strategic stock (USD m)", [signed_m(drop_residue_usd(v)) for v in net], "key"))
    for key in OTHER_COSTS:
        if any(values(key)):
            rows.append((f"{_label(key)} (USD m)", money(key), ""))
    head = "".join(f"<th>{run.names.material(m)}</th>" for m in materials) + "<th>All materials</th>"
    body = "".join(
        f'<tr class="{kind}"><th>{escape(label)}</th>' + "".join(f"<td>{escape(v)}</td>" for v in values) + "</tr>"
        for label, values, kind in rows
    )
    role = "member" if region in members else ("outside the arrangement" if members else "")
    name = run.names.region(region) + (f' <span class="role">{role}</span>' if role else "")
    return (
        f'<table class="member" data-region="{escape(region)}"><caption>{name}</caption>'
        f"<thead><tr><td></td>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def comparison_table(run: Run, base: Run) -> str:
    """Baseline against scenario per region and material: shortfall, days short, first shortfall, cover.

    A region and material with demand in neither run has no row.
    """
    regions = [r for r in run.regions() if r in base.regions()]
    shared = [m for m in run.materials() if m in base.materials()]
    rows = []
    for region in regions:
        materials = [m for m in shared if run.demands(region, m) or base.demands(region, m)]
        for k, material in enumerate(materials):
            b, s = base.cells[region, material], run.cells[region, material]
            name = f'<th rowspan="{len(materials)}">{run.names.region(region)}</th>' if k == 0 else ""
            old, new = b["shortfall_t"], s["shortfall_t"]
            # no change from none: a residue (1e-13 t) is none too (its change to 5 t read +4999999999999899%)
            change = DASH if not shortages.short(old) else f"{(new - old) / old:+.0%}".replace("-", "\u2212")
            rows.append(
                f'<tr>{name}<td class="material">{run.names.material(material)}</td>'
                f"<td>{shortfall_tonnes(old)}</td><td>{shortfall_tonnes(new)}</td><td>{change}</td>"
                f"<td>{int(b['shortfall_days'])}</td><td>{int(s['shortfall_days'])}</td>"
                f"<td>{_first(base, b['first_shortfall_day'])}</td><td>{_first(run, s['first_shortfall_day'])}</td>"
                f"<td>{_cover(b['min_days_of_cover'])}</td><td>{_cover(s['min_days_of_cover'])}</td></tr>"
            )
    pair = "<th>baseline</th><th>scenario</th>"
    return (
        f'<table class="comparison"><caption>Baseline: {base.name}; scenario: {run.name}</caption>'
        '<thead><tr><th rowspan="2">Region</th><th rowspan="2">Material</th>'
        '<th colspan="3">Shortfall (t)</th><th colspan="2">Days short</th><th colspan="2">First shortfall</th>'
        '<th colspan="2">Minimum days of cover</th></tr>'
        f"<tr>{pair}<th>change</th>{pair}{pair}{pair}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def _drawn(spec: Any, seed: int) -> str:
    """A note when the shock's timing or size is random (the table shows this run's draw)."""
    if drawn_at_random(spec):
        return f"<br><small>random: this run's draw (seed {seed})</small>"
    return ""


def _severity(result: Result, index: int, idle: str | None, sampled: bool = False) -> str:
    """The shock's severity cell (HTML): ``50% cut``, or ``not applied in this run (severity 0)``.

    The latter for a shock that does nothing in this run (``idle``: :func:`idle_shocks`), with its
    range where an uncertain input declares its size: ``; severity 0% to 100% in the samples``
    where the report has samples (``sampled``, ``run --uncertainty``), else ``; declared
    uncertain: 0% to 100% (What rests on assumptions)``, linked to that section as the verdict
    links it: a run that drew no samples has none to speak of.
    """
    if idle is None:
        return escape(shock_severity(result, index))
    spec = result.scenario.shocks[index]
    field = SIZE_FIELD[spec.kind]
    ranges = [range_cell(item) for item in inputs_of(result.scenario) if item.path == f"shocks.{spec.id}.{field}"]
    if not ranges:
        return f"not applied in this run ({escape(idle)})"
    if sampled:
        return f"not applied in this run ({escape(idle)}); {escape(field.replace('_', ' '))} {ranges[0]} in the samples"
    link = f'<a href="#{UNCERTAINTY_SECTION}">What rests on assumptions</a>'
    return f"not applied in this run ({escape(idle)}); declared uncertain: {ranges[0]} ({link})"


def _outside(first: int, horizon: int) -> str:
    """``; after the run, not simulated`` for a shock that starts after the last day, else ""."""
    return "; after the run, not simulated" if first >= horizon else ""


def shock_fields_set(changes: Sequence[Change], ids: list[dict[str, Any]], k: int) -> dict[str, Any]:
    """The fields of shock ``k`` (not its description) that ``changes`` set: each its last value, first set first.

    ``ids``: the shocks as ``{"id": ...}``, in order. A path names a shock as the override code
    finds it (:func:`simulator.scenario.overrides._child`: a list position such as ``0``, ``-1`` or
    ``00``, else an id). A change of the whole shock (``shocks.0={...}``) replaces what earlier
    changes set in it and names the fields whose value differs from the file's (``NOT_SET`` for
    one it leaves out).

    >>> ids = [{"id": "halt"}, {"id": "cut"}]
    >>> shock_fields_set([Change("shocks.00.leak_share", 0), Change("shocks.-1.end", 9)], ids, 0)
    {'leak_share': 0}
    >>> was = {"id": "halt", "end": 20, "leak_share": 0.7, "description": "Halt."}
    >>> shock_fields_set([Change("shocks.halt.end", 9), Change("shocks.0", {"id": "halt", "end": 25}, was)], ids, 0)
    {'end': 25, 'leak_share': '(not set)'}
    """
    fields: dict[str, Any] = {}
    for change in changes:
        parts = change.path.split(".")
        if len(parts) < 2 or parts[0] != "shocks":
            continue
        try:
            index = _child(ids, parts[1], ".".join(parts[:2]), create=False)
        except InputError:  # a shock the run's list has not by that id (a list set whole before it)
            continue
        if index % len(ids) != k:
            continue
        if len(parts) > 2:
            if parts[2] != "description":
                fields[".".join(parts[2:])] = change.value
            continue
        was = change.was if isinstance(change.was, dict) else {}
        now = change.value if isinstance(change.value, dict) else {}
        fields = {
            field: now.get(field, NOT_SET)
            for field in [*now, *(f for f in was if f not in now)]
            if field != "description" and now.get(field, NOT_SET) != was.get(field, NOT_SET)
        }
    return fields


def _field_set(field: str, value: Any) -> str:
    """``leak_share = 0``, or ``leak_share not set`` for a field a change of the whole shock leaves out."""
    return f"{escape(field)} not set" if value == NOT_SET else f"{escape(field)} = {escape(shown(value))}"


def shock_table(run: Run, sampled: bool = False, changes: Sequence[Change] = ()) -> str:
    """Each shock: when, what, against whom, how severe, and what happened (with sources).

    ``sampled``: the report has the samples of ``run --uncertainty`` (:func:`_severity`).
    ``changes``: the run's ``--set`` changes. The "What happened" text is the scenario file's, so where
    they set a field of a shock (``shocks.<id or index>.<field>``, other than its description, or the
    whole shock: :func:`shock_fields_set`) its cell says so after the text: "(as written; this run
    sets leak_share = 0)", the last value set of each field, in the order first set.
    """
    result, names = run.result, run.names
    if result.shocks.empty:
        return ""
    start, horizon = result.start_date, result.scenario.horizon_days
    ids = [{"id": spec.id} for spec in result.scenario.shocks]
    rows = []
    idle = idle_shocks(result)
    for k, shock in enumerate(result.shocks.itertuples(index=False)):
        spec = result.scenario.shocks[k]
        first, end = int(shock.start_day), int(shock.end_day)
        fields = shock_fields_set(changes, ids, k)
        text = names.shock_descriptions[k] or DASH
        if fields:
            sets = join_words([_field_set(field, value) for field, value in fields.items()])
            text += f" <small>({'as written; ' if names.shock_descriptions[k] else ''}this run sets {sets})</small>"
        rows.append(
            f'<tr><td data-label="Shock"><strong>{escape(KIND_NAMES.get(str(shock.kind), str(shock.kind)))}</strong>'
            "<br>"
            f"<small>{names.shock_ids[k]}</small></td>"
            f'<td class="when" data-label="When">{escape(span_dates(start, first, end))}<br>'
            f"<small>{plural(end - first, 'day')}{_outside(first, horizon)}</small></td>"
            f'<td data-label="Supplier \u2192 target">{names.shock_targets[k]}</td>'
            f'<td data-label="Severity">{_severity(result, k, idle[k], sampled)}{_drawn(spec, result.seed)}</td>'
            f'<td class="text" data-label="What happened">{text}</td></tr>'
        )
    return source_codes_note(list(names.shock_descriptions)) + (
        f'<table class="shocks">{caption("Shocks", hidden=True)}<thead><tr><th>Shock</th><th>When</th>'
        "<th>Supplier \u2192 target</th>"
        f"<th>Severity</th><th>What happened</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )


def assumption_table(run: Run) -> str:
    """The scenario's key assumptions with their sources (sources as plain text), numbered K1, K2, ..."""
    items = run.names.assumptions
    if not items:
        return '<p class="note">The scenario lists no assumptions.</p>'
    rows = "".join(
        f'<tr id="assumption-{assumption_code(i)}"><td class="n">{assumption_code(i)}</td>'
        f'<td class="text">{statement}</td>'
        f'<td class="text source" data-label="Source">{source or "<em>modeller&#x27;s assumption</em>"}</td></tr>'
        for i, (statement, source) in enumerate(items, start=1)
    )
    codes = "K1" if len(items) == 1 else f"K1 to {assumption_code(len(items))}"
    return (
        f'<p class="note">Numbered {codes}; a code in brackets, such as [Q6] or [A18], is a row of the project\'s '
        "docs/calibration.md, where each figure's source is given in full.</p>"
        f'<table class="assumptions">{caption("Key assumptions and sources", hidden=True)}'
        "<thead><tr><th>#</th><th>Assumption or figure</th><th>Source</th>"
        "</tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
