"""The report's section on uncertainty: intervals and fan charts, or what rests on assumptions.

Layer: studies.

With the samples of ``stockpile run --uncertainty N``
(:class:`simulator.sensitivity.intervals.Uncertainty`): each headline figure as the
scenario gives it, its median and 90% interval over the samples and its main drivers,
then fan charts of days of cover and cumulative shortfall. Without them: the scenario's
uncertain inputs (value used, range, source), so a reader knows that the figures above
rest on them, and the command that puts intervals on them.
"""

from __future__ import annotations

from html import escape
from typing import Any

from simulator.names import Names
from simulator.report.figures import svg_markup
from simulator.report.words import join_words, plural
from simulator.results import Result
from simulator.scenario.uncertain import inputs_of
from simulator.sensitivity.figures import fan_figure
from simulator.sensitivity.intervals import FAN_CURVES, Uncertainty, interval_text, own_curves
from simulator.sweep.columns import metric_title

SECTION_ID = "uncertainty"


def _number(value: Any) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return escape(str(value))
    if x != x:  # NaN
        return "n/a"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:,.3g}"


def _inputs_table(result: Result) -> str:
    rows = "".join(
        f'<tr><td class="text">{escape(i.label)}<br><code class="source">{escape(i.path)}</code></td>'
        f'<td class="text">{escape(_shown(i.current))}</td><td class="text">{escape(i.range_text())}</td>'
        f'<td class="text source">{escape(i.entry.source)}</td></tr>'
        for i in inputs_of(result.scenario)
    )
    return (
        '<div class="scroll"><table class="uncertain-inputs"><thead><tr><th style="text-align:left">Input</th>'
        '<th style="text-align:left">Value used</th><th style="text-align:left">Range</th>'
        f'<th style="text-align:left;width:34%">Source</th></tr></thead><tbody>{rows}</tbody></table></div>'
    )


def _shown(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, dict):
        return ", ".join(f"{k} {_shown(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v) for v in value)
    if hasattr(value, "model_dump"):  # a scenario block (a bid segment, say): its fields as written
        return _shown(value.model_dump(exclude_defaults=True))
    return str(value)


def _headline_table(result: Result, found: Uncertainty) -> str:
    rows = []
    for row in found.headlines.itertuples():
        own = result.metrics.get(row.metric)
        drivers = found.drivers[row.metric]
        named = join_words([escape(d.label) for d in drivers]) if drivers else "no single input"
        rows.append(
            f'<tr><td class="text">{escape(row.title)}</td><td>{_number(own)}</td><td>{_number(row.median)}</td>'
            f'<td>{_number(row.p5)} to {_number(row.p95)}</td><td class="text">{named}</td></tr>'
        )
    return (
        '<div class="scroll"><table class="uncertainty"><thead><tr><th>Figure</th><th>As written</th><th>Median</th>'
        f"<th>90% interval</th><th>Main drivers</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _lead_sentence(found: Uncertainty) -> str:
    first = found.headlines.iloc[0]
    interval = interval_text(first["p5"], first["median"], first["p95"], first["unit"])
    text = f"{escape(metric_title(first['metric']))}: {escape(interval)}"
    drivers = found.drivers[first["metric"]]
    if drivers:
        text += "; driven mostly by " + join_words([escape(d.label) for d in drivers])
    return text + "."


def uncertainty_section(result: Result, found: Uncertainty | None) -> str:
    """The section's HTML (empty for a scenario that declares no uncertain inputs and no samples)."""
    s = result.scenario
    if found is None:
        if not s.uncertain:
            return ""
        return "\n".join(
            [
                f'<section id="{SECTION_ID}"><h2>What rests on assumptions</h2>',
                f"<p>Every figure above uses one value for each of the {plural(len(s.uncertain), 'input')} below, "
                "although each is uncertain within the range shown. For medians and 90% intervals of the headline "
                "figures, with the inputs that drive them, run <code>stockpile run SCENARIO --uncertainty 200 "
                "--report</code>; for their full attribution, <code>stockpile sensitivity SCENARIO</code>.</p>",
                _inputs_table(result),
                "</section>",
            ]
        )
    regions, materials = list(result.structure.regions), list(result.structure.materials)
    own = own_curves(result.timeseries, regions, materials)
    figures = []
    for curve in FAN_CURVES:
        from simulator.quantities import daily

        fig = fan_figure(
            found.bands[curve],
            own[curve],
            regions,
            materials,
            s.start_date,
            daily(curve).label,
            daily(curve).display,
            found.runs,
            Names.of(s),
        )
        figures.append(
            f'<figure data-figure="fan_{curve}">{svg_markup(fig, f"fan-{curve}", daily(curve).label)}'
            f"<figcaption>{escape(daily(curve).label)}: median (line) and 5-95% band over "
            f"{found.runs:,} samples; dashed: the scenario as written.</figcaption></figure>"
        )
    return "\n".join(
        [
            f'<section id="{SECTION_ID}"><h2>How sure are these figures?</h2>',
            f"<p>{found.runs:,} runs sampled the scenario's {plural(len(found.study.inputs), 'uncertain input')} "
            "(ranges below) on the fast path. "
            f"{_lead_sentence(found)} Drivers are the inputs with the largest rank correlation with each figure; "
            "<code>stockpile sensitivity</code> attributes the variance in full.</p>",
            _headline_table(result, found),
            *figures,
            "<h3>Uncertain inputs</h3>",
            _inputs_table(result),
            "</section>",
        ]
    )
