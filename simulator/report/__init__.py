"""The self-contained HTML report of a run, optionally against a baseline run.

Layer: studies.

One file, readable offline and printable to A4: figures are inline SVG, styles are
inline, there are no scripts, fonts or links to fetch. It answers first and explains
after: the changes made for this run (``--set``), then the verdict (would a joint
stock help, who gets what, at what cost; :mod:`simulator.report.verdict`), then the
question the scenario asks; a link to an explorer page kept beside it
(:mod:`simulator.report.explorer`); with a baseline, what changed; with a market, prices;
what happened to each region; the shock timeline; days-of-cover and shortfall curves and
the supply by supplier (did other suppliers fill the gap?);
a table per region; the release rule in plain words with what it did; the uncertain
inputs, with intervals and fan charts after ``run --uncertainty``
(:mod:`simulator.report.uncertainty`); the key assumptions with their sources.

>>> from simulator.report import render_report, write_report  # the public functions
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path

from matplotlib.figure import Figure

from simulator.counterfactuals import (
    held_stocks_shared,
    held_stocks_shared_scenario,
    is_run_of,
    own_share_alone,
    own_share_scenario,
    without_agreement,
    without_agreement_scenario,
)
from simulator.errors import InputError, first_and_more
from simulator.mechanisms import BY_NAME
from simulator.metrics import anyone_short
from simulator.names import run_words
from simulator.output_folder import write_file
from simulator.plots import (
    NO_SHORTFALL,
    SHARE_OFF_SCALE_RATIO,
    days_of_cover_figure,
    market_materials,
    no_restocking_span,
    pool_share_days,
    pool_shares_above_axis,
    prices_figure,
    received_rules,
    shock_windows,
    shocks_overlap,
    short_materials,
    shortfall_figure,
    span_notes_drawn,
    supply_mix_figure,
    trigger_lines,
)
from simulator.report.accounts import accounts
from simulator.report.explorer import ExplorerLink, explorer_section
from simulator.report.figures import (
    REPORT_COLUMNS,
    REPORT_WIDTH_IN,
    caption_id,
    comparison_figure,
    cover_words,
    figure_svg,
    price_words,
    runs_coincide,
    shock_timeline,
    short_in_either,
    shortfall_words,
    supply_words,
    timeline_words,
)
from simulator.report.findings import Run, compare_overall, compare_region, overall_finding, region_findings
from simulator.report.glossary import explained_at_first_use
from simulator.report.held_split import held_split_line
from simulator.report.ledger import ledger_section
from simulator.report.prices import compared_rows, price_section
from simulator.report.record import Record, against_record, record_section
from simulator.report.rule import (
    AUCTIONS_HEADING,
    RELEASES_HEADING,
    auction_results,
    no_release_note,
    rule_releases,
    rule_words,
)
from simulator.report.style import CSS, scroll_region
from simulator.report.tables import assumption_table, comparison_table, region_table, shock_table
from simulator.report.uncertainty import samples_short_line, uncertainty_section
from simulator.report.verdict import prices_apart, verdict_section
from simulator.report.words import (
    cap,
    join_words,
    percent,
    plural,
    price,
    ratio_in_words,
    rule_label,
    span_dates,
    tonnes,
)
from simulator.results import Result
from simulator.scenario import Scenario, scenario_hash
from simulator.scenario.changes import Change, differences, rescaled_note
from simulator.scenario.overrides import is_shock_end, shown
from simulator.scenario.tonnes import tonnes_apart, tonnes_kinds, why_apart
from simulator.sensitivity.intervals import Uncertainty
from simulator.version import __version__

__all__ = ["comparison_problem", "render_report", "without_agreement", "write_report"]

SIZE = {"width_in": REPORT_WIDTH_IN, "columns": REPORT_COLUMNS}


def comparison_problem(scenario: Scenario, baseline: Scenario) -> str | None:
    """Why ``baseline`` cannot be compared with ``scenario`` (None when it can)."""
    if not set(scenario.regions) & set(baseline.regions):
        return f"{baseline.name} has no region in common with {scenario.name}"
    if not set(scenario.materials) & set(baseline.materials):
        return f"{baseline.name} has no material in common with {scenario.name}"
    return None


def _resourcing_note(run: Run) -> str:
    """What the region tables' re-sourcing cost is, when a region paid any (else empty)."""
    if not any(run.metric(f"resourcing_cost_usd.{r}") for r in run.regions()):
        return ""
    return (
        " Re-sourcing cost: what buyers paid for spot purchases from other suppliers while a supplier was blocked "
        "(the world price, or the material's price without a market, times the region's re-sourcing multiplier)."
    )


def _figure(svg: str, name: str, caption: str, words: str = "") -> str:
    """A figure named ``name`` (its ``data-figure``) and its caption: its key numbers (``words``), then ``caption``.

    The caption's id is :func:`caption_id`'s, which the ``<svg>`` names as its description.
    """
    said = f"{words} {caption}" if words else caption
    return (
        f'<figure data-figure="{name}"><div class="scroll">{svg}</div>'
        f'<figcaption id="{caption_id(name)}">{said}</figcaption></figure>'
    )


WITHOUT_FIGURES = (
    '<p class="note">Written without its figures: each figure\u2019s caption is kept and describes a chart not '
    "drawn here. Only the shock timeline is drawn.</p>"
)
"""The line under the title of a page rendered with ``figures=False``: its captions (dashed lines, shading,
brackets) describe charts the page leaves out."""


def _subline(run: Run) -> str:
    s = run.result.scenario
    period = (
        f"{span_dates(s.start_date, 0, s.horizon_days)} ({plural(s.horizon_days, 'day')})"
        if s.start_date
        else plural(s.horizon_days, "day")
    )
    if s.agreement:
        who = f"members {join_words([run.names.region(m) for m in s.agreement.members])}"
        rule = f"release rule: {rule_label(s.agreement.mechanism)}"
    else:
        who = join_words([run.names.region(r) for r in s.regions])
        rule = "no joint arrangement"
    return f'<p class="sub">{escape(period)} \u00b7 {who} \u00b7 {escape(rule)}</p>'


def _which_split(run: Run, solo: Run | None, shared: Run | None) -> str:
    """Under the question: which run splits the shortage which way (:func:`held_split_line`), or ''."""
    line = held_split_line(run, solo, shared)
    return f'<p class="note">{line}</p>' if line else ""


def _meta(run: Run) -> str:
    result = run.result
    s = result.scenario
    members = s.agreement.members if s.agreement else []
    items = [
        ("Regions", ", ".join(run.names.region(r) + (" (member)" if r in members else "") for r in s.regions)),
        ("Materials", ", ".join(run.names.material(m) for m in s.materials)),
        ("Seed", escape(str(result.seed))),
        ("Scenario hash", escape(scenario_hash(s)[:12])),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{escape(k)}</dt><dd>{v}</dd>" for k, v in items) + "</dl>"


def _changes(changes: Sequence[Change], baseline: Run | None) -> str:
    if not changes:
        return ""
    items = []
    for change in changes:
        text = f"<code>{escape(change.path)}</code> = <strong>{escape(shown(change.value))}</strong>"
        text += f" <small>(in the file: {escape(shown(change.was))})</small>"
        if is_shock_end(change.path) and change.value is not None:
            text += " <small>an end is exclusive: the shock's last day is the day before</small>"
        if baseline is not None and change.baseline is False:
            text += " <small>not applied to the baseline, which has no agreement</small>"
        items.append(f"<li>{text}</li>")
        if note := rescaled_note(change):
            items.append(f"<li>{escape(cap(note))}</li>")
    both = (
        f" Each change applies to the baseline {baseline.name} too, so the comparison shows what the "
        "two scenarios differ in, not the effect of these changes."
        if baseline is not None
        else ""
    )
    return (
        f'<aside id="changes" class="changes"><strong>Changed for this run</strong> (--set):<ul>{"".join(items)}</ul>'
        f"<small>The verdict compares like with like: the run without its agreement has the same changes.{both} "
        "The description below is the scenario file's and does not know these changes.</small></aside>"
    )


def _comparison(run: Run, base: Run, figures: bool) -> str:
    """The section "Against the baseline": what differs, what changes, then the curves and the table.

    ``figures``: whether the comparison figure is drawn (:func:`render_report`'s).

    The comparison figure is left out when the two runs' curves coincide on every day
    (:func:`runs_coincide`): a sentence says so. The baseline's description is the
    scenario file's own, labelled as such (it may speak of scenarios this report does not show).
    """
    result, baseline = run.result, base.result
    regions = [r for r in run.regions() if r in base.regions()]
    differ = differences(result.scenario, baseline.scenario)
    parts = [_agreement_words(run, base) if p == "agreement" else f"<code>{escape(p)}</code>" for p in differ]
    what = (
        f"The two scenarios differ in {first_and_more(parts, 8, sentence=True)}."
        if differ
        else "The two scenarios describe the same world (only names, descriptions or assumptions differ)."
    )
    if runs_coincide(result, baseline):
        curves = (
            f'<p class="note" data-figure="comparison">The two runs coincide: every region\u2019s days of cover and '
            f"cumulative shortfall are the same on every day in {run.name} and {base.name}, so the curves are those "
            "of \u201cDays of cover and shortfall\u201d below.</p>"
        )
    else:
        names = (result.scenario.name, baseline.scenario.name)  # for the figure, which escapes its own text
        curves = _figure(
            figure_svg(
                lambda: comparison_figure(result, baseline, names),
                "compare",
                "Curves against the baseline",
                figures,
                caption_id("comparison"),
            ),
            "comparison",
            f"Solid: {run.name}; dashed: {base.name}."
            + ("" if short_in_either(result, baseline) else " Neither run is short of any material."),
            f"{cover_words(run, f' in {run.name}')} {cover_words(base, f' in {base.name}')}".strip(),
        )
    described = (
        f'<p class="note"><strong>{base.name}</strong>, as its scenario file describes itself: '
        f"{base.names.description}</p>"
        if baseline.scenario.description
        else ""
    )
    return "\n".join(
        [
            '<section id="comparison"><h2>Against the baseline</h2>',
            f'<p class="note">Baseline: <strong>{base.name}</strong>. {what}</p>',
            '<ul class="findings compare">',
            f"<li>{compare_overall(run, base)}</li>",
            *(f"<li>{compare_region(run, base, r)}</li>" for r in regions),
            "</ul>",
            scroll_region(comparison_table(run, base), f"Baseline {base.name} and scenario {run.name}"),
            curves,
            described,
            "</section>",
        ]
    )


def _agreement_words(run: Run, base: Run) -> str:
    """The agreement as one scenario has it and the other not, in words (HTML), or which of its fields differ.

    ``the agreement (embargo_2010 has one, embargo_2010_historical none): a 60-day joint pool of
    5,796 t of light rare earths and 132 t of heavy rare earths, the hybrid rule, the 79/21 ratio
    (Japan/EU) and a 15-day trigger``, from the scenario's values.
    """
    mine, theirs = run.result.scenario.agreement, base.result.scenario.agreement
    if mine is not None and theirs is not None:
        a, b = mine.model_dump(mode="json"), theirs.model_dump(mode="json")
        keys = [k for k in a if a.get(k) != b.get(k)]
        fields = join_words([f"<code>{escape(k)}</code>" for k in keys])
        return f"the agreement\u2019s {fields}" if keys else "the agreement"
    holder = run if mine is not None else base
    other = base if holder is run else run
    agreement = holder.result.scenario.agreement
    assert agreement is not None
    names = holder.names
    parts = [_pool_words(holder)]
    parts.append(f"the {escape(rule_label(agreement.mechanism))} rule")
    members = list(agreement.members)
    if agreement.ratio and BY_NAME[agreement.mechanism].needs_ratio:
        shares = "/".join(f"{100 * agreement.ratio.get(m, 0.0):.0f}" for m in members)
        parts.append(f"the {shares} ratio ({'/'.join(names.region(m) for m in members)})")
    if agreement.trigger.commercial_days_below > 0:
        parts.append(f"a {agreement.trigger.commercial_days_below:g}-day trigger")
    return f"the agreement ({holder.name} has one, {other.name} none): {join_words([p for p in parts if p])}"


def _pool_words(run: Run) -> str:
    """``a 60-day joint pool of 5,796 t of light rare earths and 132 t of heavy rare earths`` (HTML).

    Days when every contribution is the same number of days of the member's demand; tonnes
    from the ledger's contributions. National reserves lent among members, in national mode.
    """
    agreement = run.result.scenario.agreement
    assert agreement is not None
    pool = agreement.pool
    if pool.mode != "joint":
        return f"members\u2019 national reserves, {percent(pool.lendable_share)} of them lendable"
    days = {
        c.days if c.tonnes is None and c.net_import_days is None else None
        for by in pool.contributions.values()
        for c in by.values()
    }
    size = f"a {next(iter(days)):g}-day joint pool" if len(days) == 1 and None not in days else "a joint pool"
    ledger = run.result.ledger
    contributed = [
        (m, float(ledger.loc[ledger["material"] == m, "contributed_t"].sum())) for m in run.result.structure.materials
    ]
    held = [f"{tonnes(t)} of {run.names.material_text(m)}" for m, t in contributed if t > 0]
    return f"{size} of {join_words(held)}" if held else size


def _no_restocking_note(cover: Figure | None) -> str:
    """The caption's word on the days-of-cover figure's bracket, where a panel of ``cover`` drew one; '' otherwise.

    The bracket marks days after the shocks with every curve empty and no one short
    (:func:`simulator.plots.no_restocking_span`); none is drawn where its note fits nowhere.
    ``cover`` None: no material has such days (:func:`_cover_figure`), so no bracket.
    """
    if cover is None or not span_notes_drawn(cover):
        return ""
    return (
        " A bracket marks days after the shocks when every curve reads empty yet no one is short: buyers order only "
        "what they use and do not rebuild the stock the crisis drew down (docs/limitations.md)."
    )


def _cover_figure(result: Result, figures: bool) -> Figure | None:
    """The days-of-cover figure where it is drawn (``figures``) or where its caption must read it; else None.

    Its caption says whether a panel drew a bracket (:func:`_no_restocking_note`), which only a material
    with days to bracket can (:func:`~simulator.plots.no_restocking_span`): without one, a page without
    figures builds none (0.06-0.17 s for most shipped scenarios).
    """
    if figures or any(no_restocking_span(result, material) is not None for material in result.structure.materials):
        return days_of_cover_figure(result, **SIZE)
    return None


def _curves(run: Run, figures: bool) -> list[str]:
    """The section "Days of cover and shortfall"; ``figures``: whether its figures are drawn (:func:`render_report`'s).

    The days-of-cover figure is made where its caption may need it even without figures (:func:`_cover_figure`).
    """
    result = run.result
    rules = (
        " Bars under the 0 line: days on which a member received shared stock, a lane per member in its colour"
        " (a second rule hatched)."
    )
    shocks = (
        " Strips along the top: shock periods, a lane per shock, darker for a more severe shock."
        if shocks_overlap(result)
        else " Shaded: shock periods."
    )
    cover = _cover_figure(result, figures)
    answer = supply_words(run)  # did other suppliers fill the gap? (asked by the caption where it is not answered)
    out = [
        '<section id="curves"><h2>Days of cover and shortfall</h2>',
        _figure(
            figure_svg(
                lambda: cover, "cover", "Days of cover per region and material", figures, caption_id("days_of_cover")
            ),
            "days_of_cover",
            "Drawable days of cover: commercial stock, national reserve, stock bought at auction and the shared "
            "stock the rule would let the region draw that day (which may be stock other members paid for), in days "
            "of normal demand (0 on a day it is short); "
            "dashed lines: 30 and 60 days, for reference (where a member's own pool share lies on one, the "
            "share's label gives its days instead)."
            + _trigger_note(run)
            + _pool_share_note(run)
            + _stocking_note(run)
            + _no_restocking_note(cover)
            + shocks
            + (rules if received_rules(result) else ""),
            cover_words(run),
        ),
    ]
    if short_materials(result):
        out.append(
            _figure(
                figure_svg(
                    lambda: shortfall_figure(result, **SIZE),
                    "shortfall",
                    "Daily and cumulative shortfall",
                    figures,
                    caption_id("shortfall"),
                ),
                "shortfall",
                "Shortfall: demand that could not be met (top: tonnes a day; bottom: running total).",
                shortfall_words(run),
            )
        )
    else:
        out.append(f'<p class="empty" data-figure="shortfall">{NO_SHORTFALL}</p>')
    out.append(
        _figure(
            figure_svg(
                lambda: supply_mix_figure(result, **SIZE),
                "supply",
                "Arrivals by supplier",
                figures,
                caption_id("supply_mix"),
            ),
            "supply_mix",
            ("" if answer else "Did other suppliers fill the gap? ")
            + "Arrivals by supplier, 7-day means stacked, a panel per region and material.",
            answer,
        )
    )
    out.append("</section>")
    return out


def _trigger_note(run: Run) -> str:
    """`` Dotted line: the release trigger ...`` when the figure draws one (:func:`trigger_lines`), else "".

    The trigger is the agreement's one number of days: the same for every material it applies to.
    Where the figure draws it on some panels only, the note names them.
    """
    result = run.result
    materials = result.structure.materials
    drawn = list(trigger_lines(result))  # the materials whose panel draws the line, in their order
    agreement = result.scenario.agreement
    if not drawn or agreement is None:  # a line needs an agreement's trigger
        return ""
    where = "" if len(drawn) == len(materials) else f" on {join_words([run.names.material_text(m) for m in drawn])}"
    return (
        f" Dotted line{where}: the release trigger (a member can call on the shared stock once its commercial "
        f"stock falls below {agreement.trigger.commercial_days_below:g} days of its normal demand; stock is then "
        "released only for demand its own stock cannot meet, so cover can stay under the line with nothing released)."
    )


def _pool_share_note(run: Run) -> str:
    """Which members own pool stock the figure does not count as cover, when it draws their share (else "").

    The days-of-cover figure draws a member's own pool share as a thin dotted line where
    the rule lets it draw less (:func:`~simulator.plots.pool_share_days`): the EU of
    ``embargo_2010`` owns 60 days of each material and its cover falls to 1.6 days. A share
    left above the axis (:func:`~simulator.plots.pool_shares_above_axis`: Australia's 3,333
    days of light rare earths in ``club_of_five``) gets a sentence saying so.
    """
    result = run.result
    owners = [
        r
        for r in result.structure.regions
        if any(pool_share_days(result, r, m) is not None for m in result.structure.materials)
    ]
    if not owners:
        return ""
    who = join_words([run.names.subject(r) for r in owners])
    above = any(pool_shares_above_axis(result, m) for m in result.structure.materials)
    times = ratio_in_words(SHARE_OFF_SCALE_RATIO)
    return (
        f" Thin dotted lines in a region's colour ({who}): the pool share the region owns, in days of its normal "
        "demand, on days the rule does not let it draw it; owned but not drawable, so not counted as its cover."
        + (
            f" A share more than {times} times the panel's highest curve and reference line is left above the axis, "
            "which runs to the curves; the panel gives its days."
            if above
            else ""
        )
    )


def _stocking_note(run: Run) -> str:
    """Why cover can rise in a crisis, when buyers' stock targets move with the risk they perceive ('' otherwise).

    With a precaution gain, buyers raise their desired cover as the perceived supply risk
    rises and order the whole gap to it: curves that climb during a shock are that, not
    relief (a known overstatement, docs/limitations.md).
    """
    markets = (run.result.scenario.market or {}).values()
    if not any(m.stocking is not None and m.stocking.precaution_gain > 0 for m in markets):
        return ""
    return (
        " Cover can rise during a shock: buyers raise their stock targets with the supply risk they perceive "
        "and order the whole gap to them, which overstates how much they stock up (docs/limitations.md, "
        "\u201cBuyers\u2019 orders are far above their demand\u201d)."
    )


def _apart_note(run: Run) -> str:
    """Why the All materials column reads "by material" in its rows of tonnes, where the run's tonnes may not be added.

    That is where :func:`simulator.scenario.tonnes.tonnes_apart` says so (materials counted as
    different things, ``tonnes_of``: oxide and magnet; or priced far apart): the column gives no
    total of tonnes nor share of demand (:data:`~simulator.report.tables.BY_MATERIAL`), as the
    verdict gives their tonnes by material; the note says what a total would add
    (:func:`~simulator.scenario.tonnes.why_apart`), with the reference prices where these lie far
    apart. Empty otherwise.
    """
    scenario, materials = run.result.scenario, run.materials()
    if not tonnes_apart(scenario, materials):
        return ""
    why = escape(why_apart(scenario, materials))  # tonnes_of as the scenario writes it: HTML-escaped once
    counted = len(tonnes_kinds(scenario, materials)) > 1
    if counted:
        why += ", which count different things"
    apart = prices_apart(run)
    if apart:
        priced = "; ".join(f"{run.names.material_text(m)} {price(p)} USD/kg" for m, p in apart.items())
        also = ", priced far apart as well" if counted else ""
        why += f"{also} (reference prices: {priced}), a tonne of one not worth a tonne of another"
    return (
        f" \u201cBy material\u201d under All materials: a total of tonnes there would add {why}; read tonnes "
        "and shares of demand by material (the column\u2019s days short and costs stand)."
    )


def tonnes_note(run: Run) -> str:
    """What the report's tonnes count, from each material's ``tonnes_of`` (HTML).

    "Quantities are tonnes of oxide (Light rare earths, Heavy rare earths); of magnet
    (NdFeB magnets)." Materials that do not say are left out; none: "Quantities are tonnes."
    """
    groups: dict[str, list[str]] = {}
    for material in run.result.scenario.materials:
        if material in run.names.tonnes_of:
            groups.setdefault(run.names.tonnes_of[material], []).append(run.names.material(material))
    if not groups:
        return "Quantities are tonnes."
    return (
        "Quantities are tonnes " + "; ".join(f"of {what} ({', '.join(names)})" for what, names in groups.items()) + "."
    )


def render_report(
    result: Result,
    baseline: Result | None = None,
    uncertainty: Uncertainty | None = None,
    *,
    changes: Sequence[Change] = (),
    alone: Result | None = None,
    own_share: Result | None = None,
    held_shared: Result | None = None,
    explorer: ExplorerLink | None = None,
    record: Record | None = None,
    figures: bool = True,
) -> str:
    """The report of ``result`` as one HTML document.

    Parameters
    ----------
    result
        The run.
    baseline
        A run to compare against (``--compare``), or None.
    uncertainty
        The intervals of ``run --uncertainty``, shown in their own section, or None.
    changes
        The ``--set`` changes the run was made with, listed at the top.
    alone
        The run without its agreement that the verdict measures the joint stock
        against; when the scenario has an agreement and none is given, ``baseline`` if
        it is that world, else made here (:func:`without_agreement`). One given must be
        the status quo of this very run, ``without_agreement(result)`` (the same scenario
        and seed): where every share put in is held today (a pool of 0 t included), it
        is also taken as the run of each member's share held alone, not run again
        (:func:`simulator.counterfactuals.own_share_alone`).
    own_share
        The run with each member holding its pool share alone, against which the
        verdict measures what pooling does when a member runs short without the
        agreement; made here (:func:`simulator.counterfactuals.own_share_alone`)
        when the scenario has a joint pool and none is given.
    held_shared
        The run with the agreement kept and the contributions of the members holding no stock
        today at 0 t, which the sentence under the question sets beside the status quo
        (:func:`simulator.report.held_split.held_split_line`); made here
        (:func:`simulator.counterfactuals.held_stocks_shared`) when the scenario has a
        description and such members and none is given. One given must be that very run (the
        same world and seed).
    explorer
        An explorer page to link to (:mod:`simulator.report.explorer`), or None.
    record
        A record to set the run against (``--record``, :func:`simulator.report.record.load_record`):
        the section "Against the record", after the prices; None leaves it out.
    figures
        Whether the Matplotlib figures are drawn (the default). False gives the same page with
        each of them left out, for a reader of its words and tables only (most of the time a
        report takes is drawing them): every ``<figure>`` stays, with its ``data-figure`` name
        and its caption, and nothing where its ``<svg>`` was; a line under the title says
        that the captions describe charts not drawn here (:data:`WITHOUT_FIGURES`). The
        shock timeline, drawn as SVG directly and cheap, is drawn either way.
    """
    if baseline is not None and (problem := comparison_problem(result.scenario, baseline.scenario)):
        raise InputError(problem)
    s = result.scenario
    _refuse_other_worlds(result, alone, own_share, held_shared)
    if alone is None and s.agreement is not None:
        alone = without_agreement(result, baseline)
    members = s.agreement.members if s.agreement is not None else []
    short_without = alone is not None and anyone_short(alone.metrics, members)  # the own-share run is for a gap
    if own_share is None and short_without:
        own_share = own_share_alone(result, alone)  # the status quo itself where every share is held today
    if held_shared is None and s.description and alone is not None:  # for the sentence under the description
        held_shared = held_stocks_shared(result)
    run = Run.of(result)
    base = Run.of(baseline, "baseline") if baseline is not None else None
    solo = Run.of(alone, "alone") if alone is not None and s.agreement is not None else None
    apart = Run.of(own_share, "own_share") if own_share is not None and short_without else None
    shared = Run.of(held_shared, "shared_held") if held_shared is not None else None
    books = accounts(run)
    compared = against_record(result, record) if record is not None else None  # once: price line and section
    record_rows = None if compared is None or record is None else compared_rows(record, compared)
    title = f"Stockpile report: {run.name}"
    changed = bool(changes)  # the verdict's headline and the uncertainty section name the run by it (run_words)
    out = [
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="stockpile {escape(__version__)}">\n'
        f'<title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<div class="page">',
        f'<header><p class="kicker">Joint strategic stockpile simulation</p><h1>{run.name}</h1>',
        _subline(run),
        "" if figures else WITHOUT_FIGURES,
        "</header>\n<main>",
        _changes(changes, base),
        verdict_section(
            run,
            solo,
            apart,
            books,
            changed,
            samples_short_line(result, uncertainty, record),
            record_rows,
        ),
        '<section id="question"><h2>The question</h2>',
        f'<p class="lede">{run.names.description}</p>' if s.description else "",
        _which_split(run, solo, shared) if s.description else "",
        _meta(run),
        "</section>",
        explorer_section(explorer, s.name),
    ]
    if base is not None:
        out.append(_comparison(run, base, figures))
    if s.market:
        figure = _figure(
            figure_svg(
                lambda: prices_figure(result, **SIZE),
                "prices",
                "Prices and realised demand",
                figures,
                caption_id("prices"),
            ),
            "prices",
            "Top: the world price (black) and, where a region paid more, what it paid; log scale. Bottom: realised "
            "demand as a share of baseline demand, on an axis from 0."
            + (
                " The key above the panels names the shocks shaded in them."
                if any(shock_windows(result, m) for m in market_materials(result))
                else ""
            ),
            price_words(run),
        )
        out.append(price_section(run, figure, record_rows))
    if record is not None:
        out.append(record_section(run, record, compared, figures))
    out += [
        '<section id="findings"><h2>What happens to each region</h2>',
        f'<p class="overall">{overall_finding(run)}</p>',
    ]
    for region in run.regions():
        items = region_findings(run, region)
        out.append(
            f'<div class="region-findings"><h3>{run.names.region(region)}</h3>'
            f"<p>{items[0]}</p><ul>{''.join(f'<li>{i}</li>' for i in items[1:])}</ul></div>"
        )
    out.append("</section>")
    out += [
        '<section id="shocks"><h2>Shocks</h2>',
        _figure(
            shock_timeline(result, run.names, caption_id("timeline")),
            "timeline",
            "Shocks over the simulated period (darker = more severe).",
            timeline_words(run),
        ),
        shock_table(run, sampled=uncertainty is not None, changes=changes),
        "</section>",
        *_curves(run, figures),
    ]
    out += [
        '<section id="regions"><h2>Outcome per region</h2>',
        *(
            scroll_region(region_table(run, r, books.get(r)), f"Outcome for {run.names.region(r)}")
            for r in run.regions()
        ),
        '<p class="note">* All materials: days on which any material was short. Costs in millions of US dollars '
        f"over the simulated period; the net cost of strategic stock is the verdict's.{_resourcing_note(run)} "
        f"{tonnes_note(run)}{_apart_note(run)}</p>",
        "</section>",
        '<section id="rule"><h2>Release rule</h2>',
    ]
    done = auction_results(result, books, run.names) if s.agreement is not None else ""
    released = rule_releases(result, run.names) if s.agreement is not None else ""
    if s.agreement is not None and not done and not released:  # why nothing moved comes first
        out.append(no_release_note(result, run.names))
    out += rule_words(s, run.names)
    if done:
        out += [f"<h3>{AUCTIONS_HEADING}</h3>", done]
    if released:
        out += [f"<h3>{RELEASES_HEADING}</h3>", released]
    out += [
        "</section>",
        ledger_section(result, run.names),
        uncertainty_section(result, uncertainty, run_words(changed), figures),
        '<section id="assumptions"><h2>Key assumptions and sources</h2>',
        assumption_table(run),
        "</section>",
        "</main>",
        "<footer><p><strong>Days of cover</strong>: drawable stock (commercial stock, national reserve, stock bought "
        "at auction and the shared stock the rule would let the region draw that day, which may be stock other "
        "members paid for) divided by the day's normal (baseline) demand; 0 on a day the region is short. A pool "
        "share the rule does not let the region draw is not counted. <strong>Shortfall</strong>: demand that could "
        "not be met on a day; it is lost production, not a backlog. Dates are calendar days of the simulation; a "
        f"shock's dates are its first and last day. Written by stockpile {escape(__version__)}.</p></footer>",
        "</div>\n</body>\n</html>\n",
    ]
    return explained_at_first_use("\n".join(part for part in out if part))


def _refuse_other_worlds(
    result: Result, alone: Result | None, own_share: Result | None, held_shared: Result | None
) -> None:
    """A ``ValueError`` where a run given to :func:`render_report` is not the world it stands for.

    ``alone`` must be :func:`without_agreement_scenario` of ``result``'s scenario, ``own_share``
    :func:`own_share_scenario`'s and ``held_shared`` :func:`held_stocks_shared_scenario`'s, each with
    ``result``'s seed: no difference but in what describes a scenario
    (:func:`~simulator.scenario.changes.differences`). The report reads their numbers as those worlds',
    and takes one for the other where they are one world.
    """
    s = result.scenario
    worlds = (
        ("alone", alone, without_agreement_scenario(s) if s.agreement is not None else None, "without_agreement"),
        ("own_share", own_share, own_share_scenario(s), "own_share_alone"),
        ("held_shared", held_shared, held_stocks_shared_scenario(s), "held_stocks_shared"),
    )
    for name, given, world, made_by in worlds:
        if given is None:
            continue
        if world is None or not is_run_of(given, world, result.seed):
            raise ValueError(f"{name} must be this run's {made_by}(result): the same seed and world")


def write_report(
    result: Result,
    path: Path | str,
    *,
    baseline: Result | None = None,
    uncertainty: Uncertainty | None = None,
    changes: Sequence[Change] = (),
    alone: Result | None = None,
    own_share: Result | None = None,
    held_shared: Result | None = None,
    explorer: ExplorerLink | None = None,
    inputs: Sequence[Path | str] = (),
    record: Record | None = None,
    figures: bool = True,
) -> Path:
    """Write the report of ``result`` (see :func:`render_report`) to ``path`` atomically.

    The file is written next to ``path`` under a temporary name and renamed into place,
    so a reader never sees half a report; a failure raises :class:`InputError`, and so
    does a ``path`` that is one of the ``inputs`` or not a regular file
    (:func:`simulator.output_folder.write_file`). ``figures``: False leaves out the
    Matplotlib figures, keeping their captions, and says so under the title (:func:`render_report`).
    """
    path = Path(path)
    text = render_report(
        result,
        baseline,
        uncertainty,
        changes=changes,
        alone=alone,
        own_share=own_share,
        held_shared=held_shared,
        explorer=explorer,
        record=record,
        figures=figures,
    )
    write_file(path, text, inputs, what="the report", page=True)
    return path
