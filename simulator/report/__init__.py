"""The self-contained HTML report of a run, optionally against a baseline run.

Layer: studies.

One file, readable offline and printable to A4: figures are inline SVG, styles are
inline, there are no scripts, fonts or links to fetch. Sections: what the scenario
asks; what happened to each region (sentences whose numbers come from the summary);
with a baseline, what changed; the shock timeline; days-of-cover and shortfall curves;
a table per region; the release rule in plain words with what it did; the uncertain
inputs, with intervals and fan charts after ``run --uncertainty``
(:mod:`simulator.report.uncertainty`); the key assumptions with their sources.

>>> from simulator.report import render_report, write_report  # the public functions
"""

from __future__ import annotations

import os
import tempfile
from html import escape
from pathlib import Path

from simulator.errors import InputError
from simulator.plots import days_of_cover_figure, shortfall_figure
from simulator.report.figures import comparison_figure, readable, shock_timeline, svg_markup
from simulator.report.findings import Run, compare_overall, compare_region, overall_finding, region_findings
from simulator.report.ledger import ledger_section
from simulator.report.rule import auction_results, rule_releases, rule_words
from simulator.report.style import CSS
from simulator.report.tables import assumption_table, comparison_table, region_table, shock_table
from simulator.report.uncertainty import uncertainty_section
from simulator.report.words import material_name, region_name, span_dates
from simulator.results import Result
from simulator.scenario import Scenario, scenario_hash
from simulator.sensitivity.intervals import Uncertainty
from simulator.version import __version__

__all__ = ["comparison_problem", "render_report", "write_report"]


def comparison_problem(scenario: Scenario, baseline: Scenario) -> str | None:
    """Why ``baseline`` cannot be compared with ``scenario`` (None when it can)."""
    if not set(scenario.regions) & set(baseline.regions):
        return f"{baseline.name} has no region in common with {scenario.name}"
    if not set(scenario.materials) & set(baseline.materials):
        return f"{baseline.name} has no material in common with {scenario.name}"
    return None


def _figure(svg: str, name: str, caption: str) -> str:
    return f'<figure data-figure="{name}">{svg}<figcaption>{caption}</figcaption></figure>'


def _meta(result: Result) -> str:
    s = result.scenario
    period = (
        f"{span_dates(s.start_date, 0, s.horizon_days)} ({s.horizon_days} days)"
        if s.start_date
        else f"{s.horizon_days} days (no start date)"
    )
    members = s.agreement.members if s.agreement else []
    items = [
        ("Period", period),
        ("Regions", ", ".join(region_name(r) + (" (member)" if r in members else "") for r in s.regions)),
        ("Materials", ", ".join(material_name(m) for m in s.materials)),
        ("Release rule", s.agreement.mechanism.replace("_", " ") if s.agreement else "no joint arrangement"),
        ("Seed", str(result.seed)),
        ("Scenario hash", scenario_hash(s)[:12]),
    ]
    return '<dl class="meta">' + "".join(f"<dt>{escape(k)}</dt><dd>{escape(v)}</dd>" for k, v in items) + "</dl>"


def render_report(result: Result, baseline: Result | None = None, uncertainty: Uncertainty | None = None) -> str:
    """The report of ``result`` (with ``baseline``: compared against it; with ``uncertainty``: its intervals)."""
    if baseline is not None and (problem := comparison_problem(result.scenario, baseline.scenario)):
        raise InputError(problem)
    run = Run.of(result)
    base = Run.of(baseline, "baseline") if baseline is not None else None
    s = result.scenario
    title = f"Stockpile report: {s.name}"
    out = [
        f'<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="stockpile {escape(__version__)}">\n'
        f"<title>{escape(title)}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n<main>",
        f'<header><p class="kicker">Joint strategic stockpile simulation</p><h1>{escape(s.name)}</h1>',
        f'<p class="lede">{escape(s.description)}</p>' if s.description else "",
        _meta(result),
        "</header>",
    ]
    if base is not None:
        regions = [r for r in run.regions() if r in base.regions()]
        out += [
            '<section id="comparison"><h2>Against the baseline</h2>',
            f'<p class="note">Baseline: <strong>{escape(base.name)}</strong>. '
            f"{escape(base.result.scenario.description)}</p>",
            '<ul class="findings compare">',
            f"<li>{compare_overall(run, base)}</li>",
            *(f"<li>{compare_region(run, base, r)}</li>" for r in regions),
            "</ul></section>",
        ]
    out += [
        '<section id="findings"><h2>What happens to each region</h2>',
        f'<p class="overall">{overall_finding(run)}</p>',
    ]
    for region in run.regions():
        items = region_findings(run, region)
        out.append(
            f'<div class="region-findings"><h3>{escape(region_name(region))}</h3>'
            f"<p>{items[0]}</p><ul>{''.join(f'<li>{i}</li>' for i in items[1:])}</ul></div>"
        )
    out.append("</section>")
    out += [
        '<section id="shocks"><h2>Shocks</h2>',
        _figure(shock_timeline(result), "timeline", "Shocks over the simulated period (darker = more severe)."),
        shock_table(result),
        "</section>",
        '<section id="curves"><h2>Days of cover and shortfall</h2>',
        _figure(
            svg_markup(
                readable(days_of_cover_figure(result), result), "cover", "Days of cover per region and material"
            ),
            "days_of_cover",
            "Drawable days of cover: commercial stock, national reserve, stock bought at auction and the shared "
            "stock the rule would let the region draw that day, in days of normal demand (0 on a day it is short); "
            "dashed lines: 30 and 60 days. Shaded: shock periods"
            + ("; markers along the bottom: days the arrangement released stock." if s.agreement else "."),
        ),
        _figure(
            svg_markup(
                readable(shortfall_figure(result), result),
                "shortfall",
                "Daily and cumulative shortfall per region and material",
            ),
            "shortfall",
            "Shortfall: demand that could not be met (top: tonnes a day; bottom: running total).",
        ),
        "</section>",
    ]
    if base is not None:
        names = (run.name, base.name)
        out += [
            f'<section id="comparison-curves"><h2>{escape(run.name)} against {escape(base.name)}</h2>',
            _figure(
                svg_markup(comparison_figure(result, baseline, names), "compare", "Curves against the baseline"),
                "comparison",
                f"Solid: {escape(run.name)}; dashed: {escape(base.name)}.",
            ),
            comparison_table(run, base),
            "</section>",
        ]
    out += [
        '<section id="regions"><h2>Outcome per region</h2>',
        *(region_table(run, r) for r in run.regions()),
        '<p class="note">* All materials: days on which any material was short. Costs in millions of US dollars '
        "over the simulated period. Quantities are tonnes of oxide equivalent.</p>",
        "</section>",
        '<section id="rule"><h2>Release rule</h2>',
        *rule_words(s),
    ]
    if s.agreement is not None:
        done = auction_results(result)
        if done:
            out += ["<h3>Auctions in this run</h3>", done]
        released = rule_releases(result)
        if released:
            out += ["<h3>Rule releases in this run</h3>", released]
        if not done and not released:
            out.append('<p class="note">The arrangement released no stock in this run.</p>')
    out += [
        "</section>",
        ledger_section(result),
        uncertainty_section(result, uncertainty),
        '<section id="assumptions"><h2>Key assumptions and sources</h2>',
        assumption_table(result),
        "</section>",
        "<footer><p><strong>Days of cover</strong>: stock on hand (commercial plus the strategic stock available to "
        "the region) divided by normal daily demand. <strong>Shortfall</strong>: demand that could not be met on a "
        "day; it is lost production, not a backlog. Dates are calendar days of the simulation; a shock's dates are "
        f"its first and last day. Written by stockpile {escape(__version__)}.</p></footer>",
        "</main>\n</body>\n</html>\n",
    ]
    return "\n".join(part for part in out if part)


def write_report(
    result: Result, path: Path | str, *, baseline: Result | None = None, uncertainty: Uncertainty | None = None
) -> Path:
    """Write the report of ``result`` (against ``baseline`` if given) to ``path`` atomically.

    The file is written next to ``path`` under a temporary name and renamed into place,
    so a reader never sees half a report; a failure raises :class:`InputError`.
    """
    path = Path(path)
    text = render_report(result, baseline, uncertainty)
    temporary: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        umask = os.umask(0)
        os.umask(umask)
        temporary.chmod(0o666 & ~umask)
        os.replace(temporary, path)
    except OSError as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        raise InputError(f"cannot write the report: {exc.strerror or exc}", str(path)) from None
    return path
