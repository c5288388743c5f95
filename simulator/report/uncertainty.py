"""The report's section on uncertainty: intervals and fan charts, or what rests on assumptions.

Layer: studies.

With the samples of ``stockpile run --uncertainty N``
(:class:`simulator.sensitivity.intervals.Uncertainty`): each headline figure as the
scenario gives it, its median and 90% interval over the samples and its main drivers,
then fan charts of days of cover and cumulative shortfall. Without them: the scenario's
uncertain inputs (value used, range, source), so a reader knows that the figures above
rest on them, and the command that puts intervals on them.

The first box's *How robust* part is made here too (:func:`samples_short_line`): how often the
verdict's answer holds over the samples, and the robustness table of each member's counts with the
joint stock and in the same samples without it (:func:`robust_table`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
from collections.abc import Callable, Collection
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from simulator import shortages
from simulator.burden import members_with_demand
from simulator.compare_materials import is_short_of
from simulator.mechanisms import BY_NAME
from simulator.metrics import anyone_short
from simulator.names import (
    AS_WRITTEN,
    HELD_AS,
    Names,
    count_in_words,
    jain_definition,
    number_text,
    shared_words_once,
)
from simulator.plots import KIND_NAMES, trigger_lines
from simulator.randomness import SEEDS_ADVISED
from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN, caption_id, figure_svg
from simulator.report.html_names import HtmlNames
from simulator.report.style import caption, scroll_region
from simulator.report.words import (
    NBSP,
    NOT_NEEDED,
    NOT_NEEDED_SHORT,
    bid_segment,
    cap,
    join_words,
    plural,
    rounded_half_up,
    rule_label,
    shortfall_tonnes,
    source_codes_note,
    two_figures,
    when,
    without_it,
)
from simulator.report.words import days as days_text
from simulator.results import Result
from simulator.scenario.load import canonical_data, named_path
from simulator.scenario.overrides import is_shock_end, overlap_relation
from simulator.scenario.schema import (
    DRAWN_FIELDS,
    RANDOM_TYPES,
    UncertainLogNormal,
    UncertainTriangular,
    UncertainUniform,
    UncertainValues,
)
from simulator.scenario.uncertain import Input, inputs_of
from simulator.sensitivity.intervals import (
    FAIRNESS,
    FAN_CURVES,
    PEAK_WORLD_PRICE,
    Uncertainty,
    bare_title,
    by_material_text,
    counted_text,
    driver_text,
    driver_threshold,
    drivers_text,
    fan_chart,
    headline_text,
    headline_values,
    index_materials,
    input_columns,
    is_agreement_input,
    is_fairness,
    off_interval_text,
    own_curves,
    same_in_every_sample,
    sampled_trigger_days,
    samples_at_floor,
    separate_intervals_note,
    unlike_tonnes_added,
)
from simulator.sensitivity.intervals import figure_text as _figure_number
from simulator.stocks import shares_held_today
from simulator.sweep.columns import metric_title
from simulator.sweep.runner import OWN_DEMAND
from simulator.workbook import Unit, parameter_unit

if TYPE_CHECKING:
    import pandas as pd

SECTION_ID = "uncertainty"
INPUTS_HEADING = "Uncertain inputs"
"""The heading over the inputs' table (with samples), and the table's (hidden) caption."""


def _number(value: Any) -> str:
    try:
        x = float(value)
    except (TypeError, ValueError):
        return escape(str(value))
    return "n/a" if x != x else number_text(x)  # x != x: NaN


def _label_without_unit(label: str, unit: str) -> str:
    """An input's label without a closing ``(unit)`` that its value and range now state.

    >>> _label_without_unit("2011 quota to Japan and the EU (t)", "t"), _label_without_unit("Decision lag (days)", "t")
    ('2011 quota to Japan and the EU', 'Decision lag (days)')
    """
    return label.removesuffix(f" ({unit})") if unit else label


SHOCK_WORDS = frozenset({"id", "kind", "description", "supplier", "regions", "materials", "on_halt"})
"""A shock's fields that say what it is, not how large or when: never counted as held fixed."""


def _written_numbers(value: Any, path: str) -> list[str]:
    """The paths under ``value`` (a scenario model) of the numbers and dates the scenario writes, in its order.

    Only fields the scenario set (pydantic's ``model_fields_set``: a default it leaves is not its input), into
    models and mappings; a flag (bool), text or a list is no number held. A distribution's parameters
    are numbers it writes (a shock's ``start.low``): the value drawn from them in every run is not held,
    and the row says so (:func:`_drawn_values`).
    """
    from pydantic import BaseModel

    if isinstance(value, BaseModel):
        fields = [name for name in type(value).model_fields if name in value.model_fields_set]
        return [p for name in fields for p in _written_numbers(getattr(value, name), f"{path}.{name}")]
    if isinstance(value, dict):
        return [p for key, item in value.items() for p in _written_numbers(item, f"{path}.{key}")]
    if isinstance(value, bool) or not isinstance(value, int | float | dt.date):
        return []
    return [path]


def held_fixed(scenario: Any) -> list[str]:
    """The inputs a study of ``uncertain:`` holds at their written values, computed from the scenario.

    Every market parameter (``market.<material>...``: reference prices, price formation, risk,
    demand response, stocking, fitted or assumed alike) and every shock's number or date
    (``shocks.<id>.start``, ``.severity``, ``.tonnes_per_period``...) that the scenario writes and
    no ``uncertain:`` path names (itself or a path above it). A rule, not a list: what a
    calibration fitted without a sampled range, such as the replay's price adjustment time and
    risk memory, is among them, and so is any input a later edit leaves out of ``uncertain:``.
    The regions', suppliers', materials' and the agreement's figures are held too, but are not listed
    (they are many).
    """
    data = canonical_data(scenario)  # a shock given by position (shocks.5.severity) is matched by its id
    sampled = [named_path(u.path, data) for u in scenario.uncertain]

    def drawn(path: str) -> bool:
        return any(overlap_relation(path, p) in ("is", "lies inside") for p in sampled)

    paths = [p for m, spec in scenario.market.items() for p in _written_numbers(spec, f"market.{m}")]
    for shock in scenario.shocks:
        fields = [n for n in type(shock).model_fields if n in shock.model_fields_set and n not in SHOCK_WORDS]
        paths += [p for n in fields for p in _written_numbers(getattr(shock, n), f"shocks.{shock.id}.{n}")]
    return [p for p in paths if not drawn(p)]


def _drawn_values(scenario: Any, held: list[str]) -> list[str]:
    """The shocks' values drawn in every run (``shocks.<id>.start``) whose distribution has a parameter in ``held``."""
    draws = [
        f"shocks.{shock.id}.{name}"
        for shock in scenario.shocks
        for name in DRAWN_FIELDS
        if isinstance(getattr(shock, name, None), RANDOM_TYPES)
    ]
    return [d for d in draws if any(path.startswith(f"{d}.") for path in held)]


def _owner_words(scenario: Any, owner: str) -> str:
    """What a held-fixed path belongs to, in the words the page names it by elsewhere (HTML, escaped).

    ``market.light_ree`` is the ``Light rare earths market`` (:meth:`Names.material`), ``shocks.china_quota_2011``
    an ``Export quota``, as the shocks table heads its row (:data:`KIND_NAMES`, its id under it); its path follows
    in the row, as the scenario file and ``--set`` write it.
    """
    head, _, key = owner.partition(".")
    if head == "market":
        return escape(f"{Names.of(scenario).material(key)} market")
    kinds = {spec.id: spec.kind for spec in scenario.shocks}
    return escape(KIND_NAMES.get(kinds.get(key, ""), "Shock"))


def _held_fixed_row(scenario: Any, as_run: str = AS_WRITTEN) -> str:
    """The inputs table's last row: what a study holds fixed (:func:`held_fixed`), grouped by what they belong to.

    ``as_run``: the value used, as the page names the run (:func:`simulator.names.run_words`).
    """
    held = held_fixed(scenario)
    if not held:
        return ""
    groups: dict[str, list[str]] = {}
    for path in held:
        head, _, rest = path.partition(".")
        owner, _, field = rest.partition(".")
        groups.setdefault(f"{head}.{owner}", []).append(field)
    listed = ";<br>".join(  # a line per market or shock, led by its name in words
        f"{_owner_words(scenario, owner)} (<code>{escape(owner)}</code>): "
        f"{', '.join(f'<code>{escape(f)}</code>' for f in fields)}"
        for owner, fields in groups.items()
    )
    draws = _drawn_values(scenario, held)
    drawn = (
        f" Of {join_words([f'<code>{escape(d)}</code>' for d in draws])}, drawn in every run, only the "
        "parameters listed are held, not the draws."
        if draws
        else ""
    )
    return (
        '<tr class="held-fixed"><td class="text" data-label="Input">Held fixed, not sampled '
        f"({len(held):,} listed, and more):<br>{listed}</td>"
        f'<td class="text" data-label="Value used">{escape(HELD_AS.get(as_run, as_run))}</td>'
        '<td class="text" data-label="Range">none: not sampled</td>'
        '<td class="text source" data-label="Source">taken from the scenario file: every market setting and every '
        "shock number or date that the file does not mark as uncertain. The regions\u2019, suppliers\u2019, "
        "materials\u2019 and the agreement\u2019s figures not marked uncertain are also held fixed, but are not "
        f"listed. The spread of the samples leaves out any uncertainty in all of these.{drawn}</td></tr>"
    )


def _inputs_table(result: Result, as_run: str = AS_WRITTEN) -> str:
    note = source_codes_note([i.entry.source for i in inputs_of(result.scenario)])
    words = id_words(result.scenario)
    rows = "".join(
        f'<tr><td class="text" data-label="Input">{_input_name(i)}</td>'
        f'<td class="text" data-label="Value used">{_value_cell(i, words)}</td>'
        f'<td class="text" data-label="Range">{range_cell(i, words)}</td>'
        f'<td class="text source" data-label="Source">{escape(i.entry.source)}</td></tr>'
        for i in inputs_of(result.scenario)
    )
    table = (
        f'<table class="uncertain-inputs">{caption(INPUTS_HEADING, hidden=True)}<thead><tr>'
        '<th style="text-align:left">Input</th>'
        '<th style="text-align:left">Value used</th><th style="text-align:left">Range</th>'
        f'<th style="text-align:left;width:34%">Source</th></tr></thead><tbody>{rows}'
        f"{_held_fixed_row(result.scenario, as_run)}</tbody></table>"
    )
    return note + scroll_region(table, INPUTS_HEADING)


def _input_name(found: Input) -> str:
    """An uncertain input's cell (HTML): its label over its path, or its path once where it has no label of its own.

    An entry without a ``label`` is named by its path (:attr:`~simulator.scenario.uncertain.Input.label`): the path
    written twice, as label and as path, would say nothing more.
    """
    path = f'<code class="source">{escape(found.path)}</code>'
    label = _label_without_unit(found.label, _unit(found.path).label)
    return path if found.label == found.path else f"{escape(label)}<br>{path}"


IdWords = Callable[[str], str]
"""Names a scenario's id as the report names it elsewhere (:func:`id_words`), or gives other text back as it is."""


def as_written(text: str) -> str:
    """Text as the scenario writes it: the :data:`IdWords` of a value with no ids to name."""
    return text


def id_words(scenario: Any) -> IdWords:
    """The report's names for ``scenario``'s material, supplier and region ids, as its other sections give them.

    ``heavy_ree`` is ``heavy rare earths`` (:meth:`Names.material_text`), ``europe_reprocessors`` ``European
    re-processors`` (:meth:`Names.supplier`), ``eu`` ``EU`` (:meth:`Names.region`); any other text is given back
    as it is. A release rule is named by :func:`_shown` from its field (:func:`rule_label`). Only ids: a value's
    field names (``window_days``) have no name elsewhere in the report and stay as written.
    """
    names = Names.of(scenario)

    def words(text: str) -> str:
        if text in scenario.materials:
            return names.material_text(text)
        if text in scenario.suppliers:
            return names.supplier(text)
        if text in scenario.regions:
            return names.region(text)
        return text

    return words


def _last_day(value: Any) -> Any:
    """The last day of a shock that ends on ``value`` (a date or a day number)."""
    if isinstance(value, dt.date):
        return value - dt.timedelta(days=1)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return int(value) - 1
    return value


def _day(value: Any) -> str:
    """A day as HTML that does not break at its hyphens."""
    return f'<span style="white-space:nowrap">{escape(_shown(value))}</span>'


def _value_cell(item: Input, words: IdWords = as_written) -> str:
    """An uncertain input's value used as HTML, its ids named by ``words`` (:func:`id_words`)."""
    if is_shock_end(item.path):
        return "last day " + _day(_last_day(item.current))
    return escape(_shown(item.current, item.path, words))


def _unit(path: str) -> Unit:
    """The unit of the scenario field at ``path``, as the workbook's parameters give it (:func:`parameter_unit`).

    The schema's unit where it states one (``t/day``, ``USD/t/year`` for ``USD/(t*year)``,
    ``fraction``), else the one its name's suffix says; none for a pure number (an
    elasticity, an exponent) or a day number.

    >>> [_unit(p).label for p in ("regions.japan.demand.ree.tonnes_per_day", "agreement.decision_lag_days")]
    ['t/day', 'days']
    >>> _unit("materials.ree.holding_cost_usd_per_t_year").label, _unit("market.ree.price.sensitivity").label
    ('USD/t/year', None)
    """
    return parameter_unit(path, {})


def _plain_number(value: float) -> str:
    """A number as written in the scenario, with thousands separators: ``20,223``, ``656.5``, ``0.034``.

    >>> _plain_number(20223.0), _plain_number(1050.4), _plain_number(0.034), _plain_number(8), _plain_number(-0.1)
    ('20,223', '1,050.4', '0.034', '8', '-0.1')
    """
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.12g}"


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _number_in(value: float, unit: Unit, with_unit: bool = True) -> str:
    """An input's number in its field's unit: ``76.6 t/day``, ``40%`` for a fraction, ``1 day``, ``6.7`` (no unit).

    ``with_unit`` False leaves the unit off (the low end of a range whose high end carries
    it); a percentage always keeps its sign.

    >>> shown = [_number_in(76.6, Unit("t/day", 2)), _number_in(0.4, Unit("fraction", 2, True))]
    >>> [text.replace(NBSP, " ") for text in [*shown, _number_in(1, Unit("days", 1))]]
    ['76.6 t/day', '40%', '1 day']
    >>> _number_in(2300.0, Unit("USD/kg", 2), with_unit=False), _number_in(6.7, Unit(None, None))
    ('2,300', '6.7')
    """
    if unit.percent:
        return f"{_plain_number(100 * value)}%"
    text = _plain_number(value)
    if not unit.label or not with_unit:
        return text
    label = "day" if unit.label == "days" and value == 1 else unit.label
    return f"{text}{NBSP}{label}"  # a line never breaks between a number and its unit


def range_cell(item: Input, words: IdWords = as_written) -> str:
    """An uncertain input's range as HTML: ``0 to 100%``, ``last day 1 Mar to 1 Jun 2030``, ``one of 3, 5``.

    Ids in its values are named by ``words`` (:func:`id_words`): ``one of fair ratio, hybrid``.
    """
    e = item.entry
    if isinstance(e, UncertainValues):
        shown = [escape(_shown(_last_day(v) if is_shock_end(item.path) else v, item.path, words)) for v in e.values]
        if any(len(v) > 24 or "," in v or ";" in v for v in shown):  # long values or lists: one to a line
            return "one of:<br>" + "<br>".join(f"\u2022 {v}" for v in shown)
        return "one of " + ", ".join(shown)
    if is_shock_end(item.path) and isinstance(e, UncertainUniform | UncertainTriangular):
        text = f"last day {_day(_last_day(e.low))} to {_day(_last_day(e.high))}"
        if isinstance(e, UncertainTriangular):
            text += f", most likely {_day(_last_day(e.mode))}"
        return text
    unit = _unit(item.path)
    if isinstance(e, UncertainUniform | UncertainTriangular) and _is_number(e.low) and _is_number(e.high):
        text = f"{_number_in(e.low, unit, with_unit=False)} to {_number_in(e.high, unit)}"
        if isinstance(e, UncertainTriangular) and _is_number(e.mode):
            text += f", most likely {_number_in(e.mode, unit)}"
        return escape(text)
    if isinstance(e, UncertainLogNormal):
        return escape(f"lognormal, mean {_number_in(e.mean, unit)}, sd {_number_in(e.sd, unit)}")
    return escape(item.range_text())


def _shown(value: Any, path: str = "", words: IdWords = as_written) -> str:
    """A scenario value as a reader reads it; with the ``path`` of its field, its numbers in the field's unit.

    ``none`` for an empty mapping or list, ``true``/``false`` as YAML writes them, a bid segment
    as the bids table gives it (``15% at 260 USD/kg (NdFeB magnets (Nd, Pr))``), a block of a
    kind by its kind first (``loan, term_days 30``; ``grant``, all its fields at their
    defaults), a block without a kind by its fields as written, or by all its values when every
    one is at its default (``window_days 30, group_below 0.9, member_below 0.8``: it is set, not
    ``none``), a mapping as ``china 0.81, rest_of_world 0.09``. Given its ``path``, a number
    is in its field's unit (:func:`_number_in`: ``76.6 t/day``, ``81%``), and so is each value
    of a mapping or block (``china 81%, rest_of_world 9%``; ``window_days 30 days, group_below 90%``),
    the value used as its alternatives are (those are mappings as written, the value a block).

    >>> _shown(True), _shown({"kind": "loan", "term_days": 30}), _shown({})
    ('true', 'loan, term_days 30', 'none')
    >>> _shown(20223.0, "shocks.quota.tonnes_per_period").replace(NBSP, " ")
    '20,223 t'
    >>> _shown({"china": 0.81}, "regions.eu.sourcing.ree")
    'china 81%'

    ``words`` names the ids among its keys and texts (:func:`id_words`), a release rule's by its label:

    >>> _shown({"china": 0.81}, "regions.eu.sourcing.ree", str.title), _shown("fair_ratio", "agreement.mechanism")
    ('China 81%', 'fair ratio')
    """
    if value is None or (isinstance(value, dict | list | tuple) and not value):
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if _is_number(value):
        return _number_in(value, _unit(path)) if path else _plain_number(value)
    if hasattr(value, "model_dump"):  # a scenario block (a bid segment, say): its fields as written
        written = value.model_dump(exclude_defaults=True)
        kind = getattr(value, "kind", None)
        if isinstance(kind, str):
            return _shown({"kind": kind, **written}, path, words)
        # a block without a kind that is there at all (not None) is on: with every field at its
        # default it would read "none", the word for a block that is absent, so give its values
        return _shown(written or value.model_dump(exclude_none=True), path, words)
    if isinstance(value, dict) and isinstance(value.get("kind"), str):
        rest = {k: v for k, v in value.items() if k != "kind"}
        return value["kind"] + (f", {_shown(rest, path, words)}" if rest else "")
    if isinstance(value, dict):
        if "share" in value and value.keys() & {"price_usd_per_kg", "price_multiplier"}:  # a bid segment
            return bid_segment(
                value["share"],
                value.get("price_usd_per_kg"),
                value.get("end_use"),
                value.get("price_multiplier"),
                value.get("max_usd_per_kg"),
            )
        return ", ".join(f"{words(str(k))} {_shown(v, f'{path}.{k}' if path else '', words)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return "; ".join(_shown(v, words=words) for v in value)
    if isinstance(value, str) and path.rsplit(".", 1)[-1] == "mechanism" and value in BY_NAME:
        return rule_label(value)
    return words(str(value))


def _no_driver(row: Any, found: Uncertainty) -> str:
    """Why a figure names no driver: it does not vary, or no input's rank correlation clears the bound."""
    if same_in_every_sample(found, row.metric):
        return "none: the same in every sample"
    return f"no input stands out<br><small>{escape(no_driver_detail(row, found))}</small>"


def _named_when(found: Uncertainty) -> str:
    """``named when it clears 0.20 (what chance alone could reach over these samples)``, or why none can be.

    Above 1 no rank correlation can clear the bound: the sample count alone rules every input out.
    """
    inputs = len(found.study.inputs)
    bound = driver_threshold(found.runs, inputs)
    if bound > 1:
        return (
            f"named when it clears what chance alone could reach over the samples: over {found.runs:,} samples of "
            f"{plural(inputs, 'input')} that is above 1, which no rank correlation reaches, so none is named "
            f"(one could be from {samples_at_floor(inputs, 1.0):,} samples)"
        )
    return f"named when it clears {bound:.2f} (what chance alone could reach over these samples)"


def no_driver_detail(row: Any, found: Uncertainty) -> str:
    """Why no input stands out beside a figure that varies: the bound none clears, and ties or too few samples."""
    n = int(getattr(row, "samples", found.runs))  # fairness: over the samples with a member short
    inputs = len(found.study.inputs)
    bound = driver_threshold(n, inputs)
    if bound > 1:  # no rank correlation reaches it: the sample count alone rules every input out
        enough = samples_at_floor(inputs, 1.0)
        return f"none can be named from {n:,} samples of {plural(inputs, 'input')}: one could be from {enough:,}"
    values = headline_values(found, row.metric).dropna()
    if len(values):
        counts = values.value_counts()
        tied, value = int(counts.iloc[0]), float(counts.index[0])
        if tied * 2 > len(values):  # most samples share one value: ties, not too few samples, hide any driver
            return (
                f"none clears an absolute rank correlation of {bound:.2f} over {n:,} samples, {tied:,} of them tied at "
                f"{_number(value)}"
            )
    return f"none clears an absolute rank correlation of {bound:.2f} over {n:,} samples: too few to tell"


LARGE_SHORTFALL_DAYS = 1.0
"""A sample's shortfall is counted apart as large when, of some material, it exceeds this many days of the
member's demand of it (that sample's own baseline demand, :data:`OWN_DEMAND`): a few kilograms short is a
count, not a crisis, while tonnes of light and of heavy rare earths are not the same size of harm."""

DAYS_OF_DEMAND_NOTE = (
    "In days of the sample\u2019s own demand of that material before the price response (its baseline per day, "
    "averaged over the run), as days of cover are counted"
)
"""What the table's days of demand are of, under its caption: each sample's own :data:`OWN_DEMAND`."""


def daily_demand(result: Result) -> dict[tuple[str, str], float]:
    """Each (region, material)'s baseline demand per day in the run as written, averaged over the horizon (t/day).

    Baseline: before demand surges, noise and the price response, the demand days of cover count in
    (:func:`simulator.metrics.days_of_cover`); the summary's ``demand_t`` where the run has no daily
    baseline. A sample's own is in the samples table (:data:`OWN_DEMAND`); this is what is read where it is not.
    """
    days = max(1, int(result.structure.horizon_days))
    series = result.timeseries
    if "baseline_demand_t" in series and len(series):
        kept = series[(series["day"] >= 0) & (series["day"] < days)] if "day" in series else series
        totals = kept.groupby(["region", "material"], sort=False)["baseline_demand_t"].sum()
        return {(str(r), str(m)): float(d) / days for (r, m), d in totals.items()}
    summary = result.summary
    rows = summary[summary["region"] != "all"] if "region" in summary else summary.iloc[:0]
    return {
        (str(r), str(m)): float(d) / days
        for r, m, d in zip(rows["region"], rows["material"], rows["demand_t"], strict=True)
    }


def _tonnes(x: float) -> str:
    """A sample's tonnes short, whole, a half up (:func:`~simulator.report.words.rounded_half_up`): ``1,048 t``.

    >>> [_tonnes(v).replace(NBSP, " ") for v in (1047.5, 2.5, 0.4)]
    ['1,048 t', '3 t', 'under 1 t']
    """
    return f"{rounded_half_up(x, 0):,}{NBSP}t" if x >= 1 else f"under 1{NBSP}t"


def _days(x: float) -> str:
    """A sample's days of its demand short, a half up: ``28 days``, ``2.5 days``, ``1.0 day``.

    >>> [_days(v).replace(NBSP, " ") for v in (27.5, 2.45, 0.95)]
    ['28 days', '2.5 days', '1.0 day']
    """
    shown = f"{rounded_half_up(x, 0):,}" if x >= 10 else f"{rounded_half_up(x, 1)}"
    return f"{shown}{NBSP}{'day' if shown == '1.0' else 'days'}"


def _by_material(table: Any, region: str, demand: dict[tuple[str, str], float], own: Any = None) -> Any:
    """Per sample and material of ``region``: tonnes short and days of its demand (``None`` when not in ``table``).

    The days are of each sample's own baseline demand of the material (``own``: the samples table, its
    :data:`OWN_DEMAND` columns, row for row those of ``table``: the samples run without the agreement
    have the same demand); where ``own`` lacks them, of ``demand``, the run as written's
    (:func:`daily_demand`). A sample without demand of a material has no days of it (NaN).
    """
    import pandas as pd

    materials = [m for (r, m) in demand if r == region and f"shortfall_t.{r}.{m}" in table]
    if not materials:
        return None
    tonnes = pd.DataFrame({m: table[f"shortfall_t.{region}.{m}"].fillna(0).to_numpy(float) for m in materials})
    per_day = pd.DataFrame(
        {
            m: own[f"{OWN_DEMAND}.{region}.{m}"].to_numpy(float)
            if own is not None and f"{OWN_DEMAND}.{region}.{m}" in own
            else np.full(len(tonnes), demand[(region, m)])
            for m in materials
        }
    )
    return tonnes, tonnes / per_day.where(per_day > 0)


def _measured(tonnes: Any, days: Any) -> Any:
    """Per material: whether every sample short of it has days of demand of it (each material's flag)."""
    return (days.notna() | ~tonnes.apply(shortages.short)).all()


def _largest_of(tonnes: Any, days: Any, material: str) -> tuple[float, float]:
    """The largest shortfall of ``material`` over the samples: (tonnes, days of demand) of one sample.

    The sample short by the most days of its own demand; where some sample short of it has no
    demand of it (none as written, without a sample's own), the one short by the most tonnes, with
    NaN days. Days and tonnes are of the same sample: with each sample's own demand, the one most
    days short need not be the one most tonnes short.
    """
    t, d = tonnes[material].to_numpy(float), days[material].to_numpy(float)
    if not bool(np.all(~np.isnan(d) | ~shortages.short(t))):
        return float(t.max()), np.nan
    k = _most(np.nan_to_num(d, nan=-1.0), t)
    return float(t[k]), float(d[k])


def _most(days: Any, tonnes: Any) -> int:
    """The sample short by the most days; of samples tied at it (to a millionth of a day), the most tonnes.

    Samples short every day of a run are short by as many days of their own demand each, whatever
    their demand: the largest is then the one short of the most tonnes, not the one rounding favours.

    >>> _most(np.array([40.0, 40.0 + 1e-12, 39.0]), np.array([600.0, 200.0, 900.0]))
    0
    """
    return int(np.lexsort((tonnes, np.round(days, 6)))[-1])


class Size(NamedTuple):
    """How large the samples' shortfalls are (:func:`_size_parts`): the counts, and the largest in two fields."""

    large: int | None
    """Samples short by more than a day of the member's demand of a material (None for one sample short)."""
    undemanded: bool
    """Whether some of those count by tonnes, of a material without demand as written."""
    tonnes: str
    """The largest: ``1,047 t of light rare earths`` ('' for no sample short)."""
    days: str
    """Its days of the sample's own demand, ``28 days of its demand`` ('' where not measured in days)."""


NO_SIZE = Size(None, False, "", "")
""":func:`_size_parts` of no sample short."""


def _size_parts(total: Any, by_material: Any, names: Names) -> Size:
    """How large the samples' shortfalls are: how many by much, whether some of those count by tonnes, the largest.

    ``Size(17, False, "1,047 t of light rare earths", "28 days of its demand")``: 17 samples short by
    more than a day of the member's demand of a material. Days are of each sample's own baseline
    demand (:func:`_by_material`). A material without days of demand in a sample short of it (no
    demand as written, where the samples table lacks their own) is given in tonnes only, and a
    sample short of 1 t or more of it counts as large (the flag: some did). The count is None for
    one sample short, and without the per-material columns, where the sizes are the member's
    tonnes, all materials together.
    """
    short = shortages.short(total)
    if by_material is None:
        return Size(None, False, _tonnes(float(total[short].max())), "")
    tonnes, days = by_material
    measured = _measured(tonnes, days) & shortages.short(tonnes.to_numpy(float)).any(axis=0)
    if measured.any():  # the largest in days of demand, of the materials measured in days
        in_days = days.loc[:, measured].fillna(0).to_numpy(float)  # a sample without demand of one: not short of it
        j = in_days.argmax(axis=1)  # each sample's material most days short
        rows = np.arange(len(in_days))
        k = _most(in_days[rows, j], tonnes.loc[:, measured].to_numpy(float)[rows, j])
        material = days.columns[measured.to_numpy()][j[k]]
        of_demand = f"{_days(float(days.iloc[k][material]))} of its demand"
    else:  # short only of materials without days of demand: in tonnes, never "0.0 days"
        flat = tonnes.to_numpy(float)
        k, j = np.unravel_index(int(flat.argmax()), flat.shape)
        material, of_demand = tonnes.columns[j], ""
    largest = f"{_tonnes(float(tonnes.iloc[k][material]))} of {names.material_text(material)}"
    if short.sum() == 1:
        return Size(None, False, largest, of_demand)
    # large: over a day of a material's demand, or 1 t or more of a material without demand (no days of it)
    over_a_day = (days.fillna(0).to_numpy(float) > LARGE_SHORTFALL_DAYS).any(axis=1)
    undemanded = ((tonnes.to_numpy(float) >= 1) & days.isna().to_numpy()).any(axis=1)
    return Size(int(((over_a_day | undemanded) & short).sum()), bool((undemanded & short).any()), largest, of_demand)


Largest = tuple[tuple[str, str], ...]
"""The largest shortfall in one column of the robustness table, of one material or more: (tonnes, days) pairs."""


def _largest_each(columns: list[Any], names: Names) -> list[Largest]:
    """Each column's largest shortfall of one material, the same material in every column.

    ``columns``: :func:`_by_material` of each column's samples (with the joint stock, and without it). The
    material is chosen once for the member, not in each column, so that no column is read against another
    material in the next (a member short of 12,196 t of magnets both ways, 293 days of its demand, and of 195 t
    of heavy rare earths, 409 days, without the stock would read 12,196 t of magnets with the stock against
    195 t of heavy without it, as if the stock had brought the magnets' shortfall): of the materials it is
    short of in every column where it is short at all, the one most days of its demand short in some
    column (those without demand as written after, by tonnes). Where no material is short in all of them
    (short of light only with the stock, of heavy only without it) each material short in some column is
    given, most days first, and reads "none of" it in a column where it is not short. Each pair is
    (``1,047 t of light rare earths``, ``33 days of its demand``), the days '' for a material without demand as
    written. Nothing (``()`` for each) where a column has no per-material columns.
    """
    if any(c is None for c in columns):
        return [() for _ in columns]
    materials: dict[str, tuple[bool, float, float]] = {}
    for tonnes, days in columns:
        for m in tonnes.columns:
            t, d = _largest_of(tonnes, days, m)
            had = materials.get(m, (False, 0.0, 0.0))
            measured = d == d
            materials[m] = (measured, max(had[1], d if measured else 0.0), max(had[2], t))
    short = sorted((m for m, (_, _, t) in materials.items() if shortages.short(t)), key=materials.get, reverse=True)
    active = [tonnes for tonnes, _ in columns if shortages.short(tonnes.to_numpy(float)).any()]
    both = [m for m in short if all(m in tonnes and shortages.short(float(tonnes[m].max())) for tonnes in active)]
    chosen = both[:1] or short
    found = []
    for tonnes, days in columns:
        pairs = []
        for m in chosen:
            t, d = _largest_of(tonnes, days, m) if m in tonnes else (0.0, np.nan)
            if not shortages.short(t):
                pairs.append((f"none of {names.material_text(m)}", ""))
                continue
            pairs.append((f"{_tonnes(t)} of {names.material_text(m)}", f"{_days(d)} of its demand" if d == d else ""))
        found.append(tuple(pairs))
    return found


def _sizes(total: Any, by_material: Any, names: Names) -> str:
    """How large the samples' shortfalls are, material by material (:func:`_size_parts`).

    ``171 t of heavy rare earths, 91 days of its demand in that sample`` for one sample short;
    ``3 of them by a day or less of its demand, 17 by more than a day of its demand of a material; the largest
    1,047 t of light rare earths, 28 days of its demand in that sample`` for more (the largest in days of the
    sample's own demand), those short by little first (:func:`_by_little`; left out where there are none), so that
    the count the sentence gives before them is not read as so many shortages of note. With a material without
    demand as written, both counts say their measure in the same words, turned round, and without a comma of their
    own (the comma parts the two counts): ``2 of them by a day or less of its demand of each material and by under
    1 t of each without demand as written, 1 by more than a day of its demand of a material or by 1 t or more of
    one without demand as written``.
    """
    large, undemanded, tonnes, days = _size_parts(total, by_material, names)
    largest = f"{tonnes}, {days} in that sample" if days else tonnes
    if large is not None:
        by_little = _by_little(int(shortages.short(total).sum()), large, undemanded).replace(NBSP, " ")
        first = f"{by_little}, " if by_little else ""
        or_none = " or by 1 t or more of one without demand as written" if undemanded else ""
        return f"{first}{large:,} by more than a day of its demand of a material{or_none}; the largest {largest}"
    return largest if int(shortages.short(total).sum()) == 1 else f"the largest {largest}"


def outcome_counts(
    with_stock: dict[str, Any], without: dict[str, Any], kinds: bool = False, prices: bool = False
) -> dict[str, int]:
    """Over the samples run both ways, how many give each answer of the verdict's headline.

    ``with_stock``, ``without``: the members' shortfall per sample, by material (all members
    together; one key when the samples have no per-material columns). Each sample is
    classified by :func:`simulator.report.verdict.outcome`, as the headline classifies the
    run as written (``kinds``, ``prices``: as there, whether tonnes of different materials
    may not be added). Every sample is in exactly one.

    >>> outcome_counts({"a": np.array([0, 0, 1, 5.0, 6])}, {"a": np.array([0, 2, 3, 5.0, 0])})
    {'not_needed': 1, 'only_with': 1, 'closes': 1, 'cuts': 1, 'no_help': 1}
    """
    from simulator.report.verdict import OUTCOMES, outcome

    materials = [m for m in with_stock if m in without]
    w = {m: np.nan_to_num(np.asarray(with_stock[m], float)) for m in materials}
    wo = {m: np.nan_to_num(np.asarray(without[m], float)) for m in materials}
    counts = dict.fromkeys(OUTCOMES, 0)
    for k in range(len(next(iter(w.values()))) if w else 0):
        counts[outcome({m: w[m][k] for m in materials}, {m: wo[m][k] for m in materials}, kinds, prices)] += 1
    return counts


def _members_by_material(table: Any, members: list[str], materials: list[str]) -> dict[str, Any]:
    """The members' shortfall per sample by material (by member total under "" without per-material columns)."""
    columns = {m: [f"shortfall_t.{r}.{m}" for r in members] for m in materials}
    if materials and all(c in table for cs in columns.values() for c in cs):
        return {m: sum(table[c].fillna(0).to_numpy(float) for c in cs) for m, cs in columns.items()}
    return {"": sum(table[f"shortfall_t.{r}"].fillna(0).to_numpy(float) for r in members)}


ANSWER_WORDS = {
    "not_needed": f"the answer \u2018{NOT_NEEDED}\u2019 (no member short with or without the joint stock)",
    "closes": "the answer that the joint stock closes every shortfall",
    "cuts": "the answer that the joint stock cuts the members\u2019 shortfall",
    "no_help": "the answer that the joint stock leaves the members\u2019 shortfall no smaller",
    "only_with": "the answer that the members are short only with the joint stock",
}
"""The headline's answer, by :func:`simulator.report.verdict.outcome`'s name, as the robustness sentence names it."""

NOT_NEEDED_SAID = f"the answer \u2018{NOT_NEEDED_SHORT}\u2019"
"""The answer 'not needed' where the headline just gave it ("the joint stock is not needed to close a shortfall:
neither member runs short, with it or without it"): what it means is on the line above, and the sentence shares
the first screen with the members' table."""

OTHER_WORDS = {
    "closes": "closes every shortfall in {:,}",
    "cuts": "cuts the members\u2019 total in {:,}",
    "no_help": "leaves it no smaller in {:,}",
    "only_with": "brings a shortfall where there was none in {:,}",
}
"""What the joint stock does in the samples that give another answer than the headline's."""


def outcome_sentence(
    counts: dict[str, int], runs: int, inputs: int, answer: str | None = None, near: NearRecord | None = None
) -> str:
    """How often the headline's ``answer`` holds over the samples, and what the others give (HTML, one sentence).

    ``answer``: the headline's, as :func:`simulator.report.verdict.outcome` names it (None: not
    known, and the count of ‘not needed to close a shortfall’ leads). A count of 0 is left out.

    >>> counts = {"not_needed": 49, "only_with": 0, "closes": 14, "cuts": 37, "no_help": 0}
    >>> print(outcome_sentence(counts, 100, 63, "not_needed").split("; ")[1])
    of the other 51, the joint stock closes every shortfall in 14 and cuts the members’ total in 37.
    >>> print(outcome_sentence(counts, 100, 63, "cuts").split("; ")[1])
    of the other 63, no member is short either way in 49, and the joint stock closes every shortfall in 14.

    ``near``: the samples that come near the record's prices (:class:`NearRecord`); how often the
    answer holds over them is said beside the count over all:

    >>> near = NearRecord(3, {"not_needed": 0, "only_with": 0, "closes": 2, "cuts": 1, "no_help": 0}, "both peaks")
    >>> print(outcome_sentence(counts, 100, 63, "not_needed", near).split("; ")[0].split(" holds in ")[1])
    49 of the 100 runs with its 63 uncertain inputs varied, but in none of the 3 near both peaks

    Where the answer fails in all of them and a member runs short there without the joint stock
    (:attr:`NearRecord.short`), a sentence says so, and what the stock does there:

    >>> near = dataclasses.replace(near, short="the stock closes or nearly closes the EU's shortfall without it (...)")
    >>> print(outcome_sentence(counts, 100, 63, "not_needed", near).split(". ")[1])
    It fails in all 3 runs whose peak prices come within a factor 1.5 of both peaks: there the stock closes or \
nearly closes the EU's shortfall without it (...)

    The count of the others then says they are the runs where it fails, those among them, so that the counts add
    up to all runs (49 + 51 = 100, not 49 + 3 + 51):

    >>> print(outcome_sentence(counts, 100, 63, "not_needed", near).split(". ")[2].split(", the stock")[0])
    Of the 51 where it fails
    """
    lead = answer if answer in ANSWER_WORDS else "not_needed"
    held = counts[lead]
    of = f"{'all ' if held == runs and runs > 1 else ''}{held:,} of the {runs:,} runs"
    # the headline just above says what 'not needed' is: said again only where it gave no answer
    words = NOT_NEEDED_SAID if answer == "not_needed" else ANSWER_WORDS[lead]
    text = f"<strong>How robust:</strong> {words} holds in {of} with its {plural(inputs, 'uncertain input')} varied"
    if near is not None and near.fails(lead) and near.short:  # what the runs most like the record give instead
        every = f"all {near.runs:,} runs whose" if near.runs > 1 else "the one run whose"
        text += (
            f". It fails in {every} peak prices come within a factor {FIT_FACTOR:g} of {near.peaks}: there {near.short}"
            f"{unconfirmed_shortfall(near)}"
        )
    elif near is not None:  # short: the answer and the members' table share the first screen
        if near.runs > 1:
            some = f"and in {near.counts[lead]:,} of" if near.counts[lead] else "but in none of"
            text += f", {some} the {near.runs:,} near {near.peaks}"
        elif near.runs:
            text += f", {'and in' if near.counts[lead] else 'but not in'} the one sample near {near.peaks}"
        else:
            text += f" (no sample near {near.peaks})"
    said = near is not None and near.fails(lead) and near.short
    # after the runs near the record, in which it fails, 'the other' would read as other than those too: 'where it
    # fails' counts them in (and 'the stock', as the sentence before names it, keeps the line as long as it was)
    others = _other_answers(counts, lead, "the stock" if said else "the joint stock")
    if others:  # after the sentence on the runs nearest the record, a sentence of its own
        text += (
            f". Of the {runs - held:,} where it fails, {others}"
            if said
            else f"; of the other {runs - held:,}, {others}"
        )
    return text + "."


def _other_answers(counts: dict[str, int], lead: str, stock: str = "the joint stock") -> str:
    """How the samples that do not give the ``lead`` answer divide among the others, in words ('' if none).

    ``stock``: how the clause names the joint stock.

    >>> _other_answers({"not_needed": 49, "only_with": 0, "closes": 14, "cuts": 37, "no_help": 0}, "cuts")
    'no member is short either way in 49, and the joint stock closes every shortfall in 14'
    """
    clauses = []
    if lead != "not_needed" and counts["not_needed"]:
        clauses.append(f"no member is short either way in {counts['not_needed']:,}")
    others = [words.format(counts[k]) for k, words in OTHER_WORDS.items() if k != lead and counts[k]]
    if others:
        clauses.append(f"{stock} {join_words(others)}")
    return ", and ".join(clauses)


def _count_cell(count: int, large: int | None, undemanded: bool) -> str:
    """A count of samples short, how many of them by little on its line, and how many by much under it.

    ``large``, ``undemanded``: :func:`_size_parts`'s first two. The samples short by little, the others of
    ``count`` (:func:`_by_little`), are said on the count's own line, so that the count is not quoted without
    them: of the 2010 replay's 37 samples that leave the EU short with the joint stock, 15 are short by a day
    of its demand or less (one by 2.2 kg over two years), and only the line under the count, in small print,
    said how many were short by more. The line under it then says ``22 by more``: the cell keeps its three
    lines in the report's column, and the table still ends on a desktop's first screen. Where a material has
    no demand as written (``undemanded``) the cell keeps its one line under the count, which names both
    measures ("by more than a day of its demand or 1 t of a material without demand as written"): "by a day
    or less ... or under 1 t" beside the count, and "by more or 1 t or more" under it, read as neither.

    >>> _count_cell(37, 22, False)
    '37, 15 of them by a day or less<br><small>22 by more</small>'
    >>> _count_cell(51, 51, False), _count_cell(1, None, False)
    ('51<br><small>51 by more than a day of its demand</small>', '1')
    >>> _count_cell(7, 2, True).replace(NBSP, " ")
    '7<br><small>2 by more than a day of its demand or 1 t of a material without demand as written</small>'
    """
    if large is None:
        return f"{count:,}"
    tonnes_of = f" or 1{NBSP}t of a material without demand as written" if undemanded else ""
    if large >= count or undemanded:  # two measures read as one in "by a day or less ... or under 1 t"
        return f"{count:,}<br><small>{large:,} by more than a day of its demand{tonnes_of}</small>"
    return f"{count:,}, {_by_little(count, large, False, short=True)}<br><small>{large:,} by more</small>"


def _by_little(count: int, large: int, undemanded: bool, short: bool = False) -> str:
    """How many of ``count`` samples short are not among the ``large`` (:func:`_size_parts`), in words; '' for none.

    The same measure as the large ones', turned round: short by at most :data:`LARGE_SHORTFALL_DAYS` of the
    member's demand of every material (and, ``undemanded``, by under 1 t of each without demand as written: "and",
    as each of them is short by little of every material, said as :func:`_sizes` says the large ones, by material).
    ``short``: without "of its demand", for a table's cell whose line under it says "by more".

    >>> _by_little(37, 22, False), _by_little(37, 22, False, short=True), _by_little(51, 51, False)
    ('15 of them by a day or less of its demand', '15 of them by a day or less', '')
    >>> _by_little(7, 2, True).replace(NBSP, " ")
    '5 of them by a day or less of its demand of each material and by under 1 t of each without demand as written'
    """
    little = count - large
    if little <= 0:
        return ""
    if short:
        return f"{little:,} of them by a day or less"
    if undemanded:  # the large ones' measure turned round, in its words (_sizes)
        return (
            f"{little:,} of them by a day or less of its demand of each material and by under 1{NBSP}t of each "
            "without demand as written"
        )
    return f"{little:,} of them by a day or less of its demand"


def _largest_cell(count: int, size: Size, largest: Largest = ()) -> str:
    """The largest shortfall: its days of demand, and its tonnes of a material under them ('none' for no sample).

    The days lead, as the column is the worst sample in days of demand (:func:`_largest_of`), not in tonnes: read
    first, the tonnes would pass for the largest tonnage, which another sample may exceed. A material without days
    of demand gives its tonnes alone. With ``largest`` (:func:`_largest_each`), its material's (or, of more than
    one, each one's, one under another); else ``size``'s.
    """
    if not count:
        return "none"
    pairs = largest or ((size.tonnes, size.days),)
    return "<br>".join(f"{escape(d)}<br><small>{escape(t)}</small>" if d else escape(t) for t, d in pairs)


SIZE_CLASS = ' class="size"'


@dataclass(frozen=True)
class MemberSamples:
    """One member's counts over the samples (:func:`samples_short_line`'s table), with and without the joint stock."""

    name: str
    short_with: int
    sizes_with: Size
    """:func:`_size_parts` of the samples short with the joint stock."""
    short_without: int | None = None
    """None: the samples were not run without the agreement."""
    sizes_without: Size = NO_SIZE
    largest_with: Largest = ()
    """:func:`_largest_each` with the joint stock (``()``: :attr:`sizes_with`'s largest)."""
    largest_without: Largest = ()
    """The same without it, of the same material: the worst sample without it, not the same sample as with it."""
    did: dict[str, int] | None = None
    """:func:`outcome_counts` of this member alone (``closes``: the stock closes a shortfall, ...)."""


WITH, WITHOUT = "Samples short with the stock", "Samples short without it"
LARGEST, LARGEST_WITHOUT = "Largest with the stock, in days of demand", "Largest without it (any sample)"
LARGEST_NOTE = "Largest: each column\u2019s own worst sample (often not the same one)"
"""Under the caption of a table with both Largest columns: each is its own column's worst sample (:func:`_largest_of`),
not the same sample's shortfall with and without the stock (that, sample by sample, is in the columns of what the
stock did)."""
LARGEST_DAYS_NOTE = (
    f"{LARGEST_NOTE}, in days of that sample\u2019s own mean daily demand of the material before the price response"
)
""":data:`LARGEST_NOTE` and :data:`DAYS_OF_DEMAND_NOTE` in one line, so that the caption keeps its height and the
member table below it stays on a desktop's first screen."""
ROBUST_COLUMNS = (
    ("closes", "Stock closes a shortfall"),
    ("cuts", "Stock cuts one"),
    ("no_help", "Stock leaves one no smaller"),
    ("only_with", "Stock brings one where there was none"),
)
"""The table's columns of what the joint stock did (those of 0 for every member are left out but the first two)."""


def _in_days(rows: list[MemberSamples]) -> bool:
    """Whether some cell of the table gives a shortfall in days of demand (its caption then says of which)."""
    shown = [
        pair
        for r in rows
        if r.short_with or r.short_without
        for pair in (
            *(r.largest_with or ((r.sizes_with.tonnes, r.sizes_with.days),)),
            *(r.largest_without or ((r.sizes_without.tonnes, r.sizes_without.days),)),
        )
    ]
    return any(days for _, days in shown)


def _caption_note(rows: list[MemberSamples], paired: bool) -> str:
    """The line under the caption: what the days are of, and with both Largest columns that each is its own worst."""
    if paired and rows:
        return LARGEST_DAYS_NOTE if _in_days(rows) else LARGEST_NOTE
    return DAYS_OF_DEMAND_NOTE if _in_days(rows) else ""


def robust_table(rows: list[MemberSamples], runs: int) -> str:
    """Each member's counts over the samples as a table (HTML), narrow enough for a phone (a card per member).

    Its caption says what the counts are of, and under it (where a cell gives days of demand) what the
    days are of (:data:`DAYS_OF_DEMAND_NOTE`) and (with the samples run without the agreement) that the two
    Largest columns are two worst samples, not one (:data:`LARGEST_NOTE`, :data:`LARGEST_DAYS_NOTE`); each header
    cell is a column's, each member's name its row's (``scope``), and each cell carries its column's name for the
    phone's cards. Members
    short in no sample (either way) get no row of zeros: one line under the table names them.
    """
    paired = all(r.did is not None for r in rows)
    never = [r.name for r in rows if not (r.short_with or r.short_without)]
    rows = [r for r in rows if r.short_with or r.short_without]
    head = [("Member", ""), (WITH, "")]
    if paired:
        head.append((WITHOUT, ""))
        head += [
            (title, key) for key, title in ROBUST_COLUMNS if key in ("closes", "cuts") or any(r.did[key] for r in rows)
        ]  # type: ignore[index]
    head.append((LARGEST, "size"))
    if paired:
        head.append((LARGEST_WITHOUT, "size"))
    body = []
    for r in rows:
        cells = {
            WITH: _count_cell(r.short_with, *r.sizes_with[:2]),
            LARGEST: _largest_cell(r.short_with, r.sizes_with, r.largest_with),
        }
        if paired and r.did is not None and r.short_without is not None:
            cells[WITHOUT] = _count_cell(r.short_without, *r.sizes_without[:2])
            cells[LARGEST_WITHOUT] = _largest_cell(r.short_without, r.sizes_without, r.largest_without)
            for key, title in ROBUST_COLUMNS:
                cells[title] = f"{r.did[key]:,}"
        body.append(
            f'<tr><th scope="row">{escape(r.name)}</th>'
            + "".join(
                f'<td{SIZE_CLASS if key == "size" else ""} data-label="{escape(title)}">{cells[title]}</td>'
                for title, key in head[1:]
            )
            + "</tr>"
        )
    what = ", with the joint stock and in the same samples without it" if paired else " with the joint stock"
    return (
        f'<table class="robust"><caption>How many of the {runs:,} samples leave each member short{what}'
        + (f'<br><small class="robust-days">{note}</small>' if (note := _caption_note(rows, paired)) else "")
        + "</caption><thead><tr>"
        + "".join(f'<th scope="col">{title}</th>' for title, _ in head)
        + f"</tr></thead><tbody>{''.join(body)}</tbody></table>"
        + (
            f'<p class="note robust-note robust-never">{join_words([escape(n) for n in never])}: short in no sample, '
            f"{'with or without' if paired else 'with'} the joint stock.</p>"
            if never
            else ""
        )
    )


UNCONFIRMED_SHORTFALL = ", unconfirmed by the record"
"""Said in How robust after the shortfall of the samples nearest the record's prices, where the record has no stock
series of those short (:attr:`NearRecord.no_stock_series`; :func:`unconfirmed_shortfall`). The record is silent
there by construction, not speaking against the shortfall: its quantities hold no shortfall, and only a region's
stocks could show one running out (docs/uncertainty.md says so). Said once: the first box's statement of these
runs points here."""


def unconfirmed_shortfall(near: NearRecord) -> str:
    """:data:`UNCONFIRMED_SHORTFALL` of the members short without the joint stock in ``near``'s samples, or ''.

    Said where the record has no stock series of them (:attr:`NearRecord.no_stock_series`):

    >>> near = NearRecord(3, {}, "both recorded peaks", "...", ("the EU",), 3, (), 0, no_stock_series=True)
    >>> unconfirmed_shortfall(near)
    ', unconfirmed by the record'
    >>> unconfirmed_shortfall(dataclasses.replace(near, no_stock_series=False))
    ''
    """
    if not (near.no_stock_series and near.short_without):
        return ""
    return UNCONFIRMED_SHORTFALL


@dataclass(frozen=True)
class NearRecord:
    """The samples whose peak world price of every material the record prices comes near the record's highest.

    Near: within a factor :data:`FIT_FACTOR` (:func:`near_record`). Set beside the count of the headline's
    answer, so that a reader sees how often it holds over the samples the record does not rule out.
    """

    runs: int
    """How many samples come near the record, for every material it prices."""
    counts: dict[str, int]
    """:func:`outcome_counts` over those samples."""
    peaks: str
    """Which recorded peaks: ``both recorded peaks``, ``the recorded price peak of light rare earths`` (HTML)."""
    short: str = ""
    """Who runs short in those samples without the joint stock, by how much, and what the stock does there (HTML,
    :func:`_near_short`; '' where no member does)."""
    short_without: tuple[str, ...] = ()
    """The members short without the joint stock in some of those samples, as a sentence's subject (HTML)."""
    runs_short_without: int = 0
    """In how many of those samples some member runs short without the joint stock."""
    short_with: tuple[str, ...] = ()
    """The members short with the joint stock in some of those samples, as a sentence's subject (HTML)."""
    runs_short_with: int = 0
    """In how many of those samples some member runs short with the joint stock."""
    no_stock_series: bool = False
    """Whether the record has no stock series of the members short there without the joint stock
    (:func:`record_has_no_stock_series`): it can then neither confirm nor rule out their shortfall."""
    all_short_without: int = 0
    """In how many of all the samples some member runs short without the joint stock (these among them)."""
    all_short_with: int = 0
    """In how many of all the samples some member runs short with the joint stock (these among them)."""

    def fails(self, answer: str) -> bool:
        """Whether the headline's ``answer`` holds in none of these samples (and there are some)."""
        return self.runs > 0 and not self.counts.get(answer, 0)


@dataclass(frozen=True)
class Robustness:
    """How robust the verdict's answer is over the samples of ``run --uncertainty`` (:func:`samples_short_line`).

    The verdict box gives it under its headline (:meth:`html`), where the headline's answer is known.
    """

    runs: int
    inputs: int
    lead: str
    """The first sentence when the headline's answer is not set beside the samples' (HTML)."""
    counts: dict[str, int] | None = None
    """:func:`outcome_counts` over the members (None without the same samples run without the agreement)."""
    table: str = ""
    tail: str = ""
    """The line under the table: the agreement's own inputs and the link to the intervals (HTML)."""
    fit: str = ""
    """The sentence after the first: the samples are not weighted by fit (to the record: :func:`fit_sentence`)."""
    near: NearRecord | None = None
    """The counts over the samples whose peak world prices come near the record's (None without a record's prices)."""

    def html(self, answer: str | None = None) -> str:
        """The robustness paragraph, table and note (HTML); ``answer``: the headline's (:func:`outcome`'s name)."""
        lead = self.lead
        if self.counts is not None:
            lead = outcome_sentence(self.counts, self.runs, self.inputs, answer, self.near)
        if self.fit:
            lead = f"{lead} {self.fit}"
        parts = [f'<p class="robust">{lead}</p>', self.table]
        if self.tail:
            parts.append(f'<p class="note robust-note">{self.tail}</p>')
        return "\n".join(p for p in parts if p)


def samples_short_line(result: Result, found: Uncertainty | None, record: Any = None) -> Robustness | None:
    """How robust the verdict's answer is over the samples, and what that count can and cannot say (None without).

    The verdict's headline is one run of the scenario as written; this counts, over the
    samples of ``run --uncertainty``, the runs that leave each member (each region, without
    an agreement) short, with how large those shortfalls are (a few kilograms short is a
    count, not a crisis). Without an agreement that is one sentence, the most often short
    first. With one, the count with the joint stock alone cannot say whether the stock is
    needed: with the same samples run without the agreement (:attr:`Uncertainty.without`)
    one sentence says how often the headline's answer holds (:func:`outcome_counts`,
    :func:`outcome_sentence`) and a table gives each member's counts both ways and what the
    stock did (:func:`robust_table`); without them the sentence says that this is not in
    the study. A line under the table says how many of the inputs sampled are the
    agreement's own design, and links to the section that gives the intervals. A shortfall's days
    are of that sample's own baseline demand (:func:`_by_material`). One sentence after the count
    says that the samples are not weighted by any fit, and with a ``record``
    (:class:`simulator.report.record.Record`) how many of them come near its prices
    (:func:`fit_sentence`).
    """
    if found is None:
        return None
    names = Names.of(result.scenario)
    members = list(result.structure.member_names or [])
    regions = members or list(result.structure.regions)
    shortfall = {
        region: found.samples[f"shortfall_t.{region}"].fillna(0).to_numpy(float)
        for region in regions
        if f"shortfall_t.{region}" in found.samples
    }
    if not shortfall:
        return None
    demand, own = daily_demand(result), found.samples  # days of each sample's own demand (_by_material)
    materials = [str(m) for m in result.scenario.materials]
    simulated = {str(m) for m in result.scenario.market}
    peaks = near_record(found, record, materials, simulated)  # once: the fit sentence and the near count read it
    fit = fit_sentence(record, names, peaks)
    counts = {region: int(shortages.short(values).sum()) for region, values in shortfall.items()}
    inputs = len(found.study.inputs)
    of = f"the {found.runs:,} samples of its {plural(inputs, 'uncertain input')}"
    link = f'intervals in <a href="#{SECTION_ID}">How sure are these figures?</a>'
    if not members:
        if not any(counts.values()):
            who = join_words([escape(names.subject(r)) for r in counts], "or")
            text = f"<strong>How robust:</strong> in none of {of} does {who} run short"
        else:
            order = sorted(counts, key=lambda r: -counts[r])  # the most often short first; sorted keeps ties in order
            sizes = {
                r: f" ({escape(_sizes(shortfall[r], _by_material(found.samples, r, demand, own), names))})"
                if counts[r]
                else ""
                for r in order
            }
            first, *rest = order
            others = [
                f"{escape(names.subject(r))} in {counts[r]:,}{sizes[r]}"
                if counts[r]
                else f"{escape(names.subject(r))} in none"
                for r in rest
            ]
            text = (
                f"<strong>How robust:</strong> in {counts[first]:,} of {of} {escape(names.subject(first))} runs "
                f"short{sizes[first]}" + (f", and {join_words(others)}" if others else "")
            )
        # the link ends in a question mark: no full stop
        return Robustness(found.runs, inputs, f"{text}; {link}", fit=fit)
    design = sum(is_agreement_input(path) for path in found.study.paths)
    tail = (
        f"The samples vary the joint stock\u2019s own design too: {design:,} of the {plural(inputs, 'input')} "
        f"{'is' if design == 1 else 'are'} the agreement\u2019s; {link}"
        if design
        else f'The figures\u2019 intervals are in <a href="#{SECTION_ID}">How sure are these figures?</a>'
    )
    without = found.without
    flags = _headline_flags(result) if without is not None else (False, False)
    if without is not None and shares_held_today(result.scenario):
        # paired with the status quo, sample by sample (intervals.paired_without_agreement): the columns and
        # sentences "without it" are that world, as the answer's
        today = without_it(result.scenario)
        tail = f"Here the samples without the joint stock are those {today}, as in the answer above. {tail}"
    rows = []
    for region, with_stock in shortfall.items():
        by_with = _by_material(found.samples, region, demand, own)
        sizes = _size_parts(with_stock, by_with, names) if counts[region] else NO_SIZE
        (largest,) = _largest_each([by_with], names)
        row = MemberSamples(names.region(region), counts[region], sizes, largest_with=largest)
        if without is not None and f"shortfall_t.{region}" in without:
            alone = without[f"shortfall_t.{region}"].fillna(0).to_numpy(float)
            short_without = int(shortages.short(alone).sum())
            by_without = _by_material(without, region, demand, own)  # the same demand as with the stock
            sized = _size_parts(alone, by_without, names) if short_without else NO_SIZE
            largest, largest_alone = _largest_each([by_with, by_without], names)  # the same materials both ways
            did = outcome_counts(  # one member's, classified as the headline classifies (by material, its flags)
                _members_by_material(found.samples, [region], materials),
                _members_by_material(without, [region], materials),
                *flags,
            )
            row = dataclasses.replace(
                row,
                short_without=short_without,
                sizes_without=sized,
                did=did,
                largest_with=largest,
                largest_without=largest_alone,
            )
        rows.append(row)
    if without is None:
        why = (
            f" (without its agreement the scenario does not run: {escape(found.without_why)})"
            if found.without_why
            else ""
        )
        needed = (
            "Whether the joint stock is needed takes the same samples without it, which this study does not have"
            f"{why}; run the scenario without its agreement with <code>--uncertainty {found.runs}</code>."
        )
        if not any(counts.values()):
            who = join_words([escape(names.subject(r)) for r in counts], "or")
            lead = f"<strong>How robust:</strong> in none of {of} does {who} run short with the joint stock. {needed}"
            return Robustness(found.runs, inputs, lead, tail=tail, fit=fit)
        lead = f"<strong>How robust:</strong> not measured against the joint stock\u2019s absence. {needed}"
        return Robustness(found.runs, inputs, lead, table=robust_table(rows, found.runs), tail=tail, fit=fit)
    paired = [r for r in rows if r.did is not None]
    paired_members = [r for r in shortfall if f"shortfall_t.{r}" in without]
    total = _counts(found, paired_members, materials, flags)
    near = _near_record_counts(found, peaks, names, materials, paired_members, flags, record)
    anyone = any(r.short_with or r.short_without for r in paired)
    table = robust_table(paired, found.runs) if anyone else ""
    if near is not None:  # how many come near every recorded peak is said in the first sentence, not again
        fit = fit_sentence(record, names, peaks, every=False)
    return Robustness(found.runs, inputs, "", counts=total, table=table, tail=tail, fit=fit, near=near)


FIT_FACTOR = 1.5
"""A sample's peak world price of a material comes near the record's when within this factor of its highest."""


def record_has_no_stock_series(record: Any, regions: Collection[str]) -> bool:
    """Whether ``record`` has no commercial stock rows of any of ``regions`` (some). False without ``regions``.

    A record (:mod:`simulator.calibrate`'s format) gives prices, imports, exports, demand and commercial stocks;
    it has no shortfall. Of these only a region's stocks could show it running out: a record without stock
    rows of a region cannot show a shortage of it, nor its absence. It is silent, not evidence of none
    (docs/model-vs-record.md says what the shipped record's period saw).
    """
    rows = record.rows
    stocks = rows[(rows["quantity"] == "stocks") & rows["region"].isin(list(regions))]
    return bool(regions) and stocks.empty


def record_peaks(record: Any, materials: list[str]) -> dict[str, float]:
    """The record's highest world price of each material that has one (USD/kg), in ``materials``' order."""
    rows = record.rows
    prices = rows[(rows["quantity"] == "price") & (rows["region"] == "world")]
    highest = prices.groupby("material")["value"].max()
    return {m: float(highest[m]) for m in materials if m in highest.index}


@dataclass(frozen=True)
class NearPeaks:
    """The samples' peak world prices set beside a record's highest, made once per report (:func:`near_record`).

    The robustness sentence's count of the samples near every recorded peak (:class:`NearRecord`) and
    :func:`fit_sentence`'s counts per material read the same masks.
    """

    peaks: dict[str, np.ndarray]
    """Each sample's peak world price (USD/kg), per material the record prices and the model simulates."""
    highest: dict[str, float]
    """The record's highest world price of each of those materials (USD/kg), in the same order."""
    near: dict[str, np.ndarray]
    """Per material, which samples peak within :data:`FIT_FACTOR` of the record's highest (a mask)."""
    fixed: list[str]
    """The materials the record prices whose price the scenario fixes (no market): not counted."""
    every: np.ndarray | None
    """Which samples are near for every material in ``near`` (None when ``near`` is empty)."""


def near_record(found: Uncertainty, record: Any, materials: list[str], simulated: Collection[str] = ()) -> NearPeaks:
    """The samples' peak world prices, and which come near the record's highest, per material (:class:`NearPeaks`).

    Each material the record gives a world price of, whose price the model simulates (``simulated``),
    with a peak in the samples (:data:`PEAK_WORLD_PRICE`); near: within a factor :data:`FIT_FACTOR`
    of the record's highest, either way. Empty without a record or such a material. A material the
    record prices, with a peak in the samples, whose price the model does not simulate is in ``fixed``.
    """
    if record is None:
        return NearPeaks({}, {}, {}, [], None)
    recorded = record_peaks(record, materials)
    columns = {m: f"{PEAK_WORLD_PRICE}.{m}" for m in recorded}
    priced = {m: found.samples[c].to_numpy(float) for m, c in columns.items() if c in found.samples}
    priced = {m: p for m, p in priced.items() if np.isfinite(p).any()}  # a material with no price
    peaks = {m: p for m, p in priced.items() if m in simulated}
    highest = {m: recorded[m] for m in peaks}
    near = {m: (p >= highest[m] / FIT_FACTOR) & (p <= highest[m] * FIT_FACTOR) for m, p in peaks.items()}
    every = np.logical_and.reduce(list(near.values())) if near else None
    return NearPeaks(peaks, highest, near, [m for m in priced if m not in simulated], every)


def fit_sentence(record: Any, names: Names, near: NearPeaks, every: bool = True) -> str:
    """That the samples are not weighted by any fit, and with a ``record`` how many come near its prices (HTML).

    The samples are drawn across each input's range, whatever the run's distance from the record.
    With a record that gives world prices, and the samples' peak world prices
    (:data:`PEAK_WORLD_PRICE`, set beside the record's in ``near``, :func:`near_record`'s, made once per
    report): for each material whose price the model simulates (the materials with a market), in how many
    samples the peak lies within a factor :data:`FIT_FACTOR` of the record's highest, the samples' range
    and the record's highest; with two such materials or more, in how many samples all of them do (unless
    not ``every``: the robustness sentence then gives that count, :class:`NearRecord`). A material without a market
    keeps its reference price in every sample, which would count every sample as near a record
    close to it and none as near one that is not: it is left out of the counts, in a clause
    saying its price is fixed, or silently when no material's price is simulated. A record row is a
    day's price or a period's mean, while a sample's peak is its highest day: a mean is lower. Where some
    samples peak :data:`BEYOND_FACTOR` times the record's highest or more, how many do and how far the highest
    goes take the place of the ranges (:func:`_beyond_sentence`).
    """
    if record is None:
        return "The samples are not weighted by any fit to a record."
    fixed = near.fixed  # its reference price in every sample: no fit to count
    peaks, highest = near.peaks, near.highest
    if not peaks:  # no world price in the record, none in the samples, or none the model simulates
        return "The samples are not weighted by fit to the record."
    unsimulated = ""
    if fixed:  # said in a clause, so that a reader of the record's prices knows why a material is not counted
        many, which = len(fixed) > 1, join_words([escape(names.material_text(m)) for m in fixed])
        unsimulated = f"; the price{'s' if many else ''} of {which} {'are' if many else 'is'} fixed in this scenario"
    both = ""
    if len(near.near) > 1 and every and near.every is not None:  # else the robustness sentence gives it (NearRecord)
        many = len(near.near)
        both = f"{int(near.every.sum()):,} for {'both' if many == 2 else f'all {many}'}"
    # short: it shares the first screen with the answer and the members' tables (tests/test_report_browser.py)
    if beyond := _beyond_record(near):
        return _beyond_sentence(names, near, beyond, both, unsimulated)
    parts = []
    # "12 for light (...) and 9 for heavy rare earths"
    said = shared_words_once([names.material_text(m) for m in peaks])
    for (m, p), name in zip(peaks.items(), said, strict=True):
        seen = p[np.isfinite(p)]
        unit = f"{NBSP}USD/kg"
        span = f"{two_figures(float(seen.min()))}\u2013{two_figures(float(seen.max()))}{unit}"  # a range: two figures
        parts.append(f"{int(near.near[m].sum()):,} for {escape(name)} ({span}; record {_number(highest[m])})")
    return (
        f"The runs are not weighted by fit to the record: {join_words([*parts, both] if both else parts)} peak "
        f"within a factor {FIT_FACTOR:g} of it{unsimulated}."
    )


BEYOND_FACTOR = 2.0
"""A sample's peak world price this many times the record's highest, or more, is far beyond the record."""


def _beyond_record(near: NearPeaks) -> dict[str, int]:
    """Per material of ``near.peaks``, how many samples peak :data:`BEYOND_FACTOR` times the record's highest or more.

    Empty where none does, for any material.
    """
    beyond = {m: int((p[np.isfinite(p)] >= BEYOND_FACTOR * near.highest[m]).sum()) for m, p in near.peaks.items()}
    return beyond if any(beyond.values()) else {}


def _beyond_sentence(names: Names, near: NearPeaks, beyond: dict[str, int], both: str, unsimulated: str) -> str:
    """:func:`fit_sentence` where some samples peak far beyond the record (:func:`_beyond_record`), HTML.

    ``No run is weighted by fit to the record: of light and heavy rare earths, 12 and 9 peak within a factor 1.5
    of the recorded peak, 12 and 25 at twice it or more, up to 6.3 and 6.0 times it.`` (make run's 100 samples;
    "the recorded peak", the record's highest price, as the sentence before it says "both recorded peaks"): how
    far the samples go beyond the record, beside how many come near it, each run counted the same. It takes the
    place of the samples' ranges and the record's highest prices, which the first screen has no room for beside
    it (tests/test_report_browser.py); the verdict gives the record's highest prices further down.
    """
    said = join_words([escape(n) for n in shared_words_once([names.material_text(m) for m in near.peaks])])
    near_counts = join_words([f"{int(near.near[m].sum()):,}" for m in near.peaks])
    far_counts = join_words([f"{beyond[m]:,}" for m in near.peaks])
    reach = join_words(
        [f"{float(np.nanmax(p)) / near.highest[m]:.1f}" for m, p in near.peaks.items()]
    )  # the highest peak over the record's highest
    times = "twice" if BEYOND_FACTOR == 2 else f"{BEYOND_FACTOR:g} times"
    for_all = f" ({both})" if both else ""
    return (
        f"No run is weighted by fit to the record: of {said}, {near_counts} peak within a factor {FIT_FACTOR:g} of "
        f"the recorded peak{for_all}, {far_counts} at {times} it or more, up to {reach} times it{unsimulated}."
    )


def _headline_flags(result: Result) -> tuple[bool, bool]:
    """:func:`outcome_counts`'s ``kinds`` and ``prices`` for ``result``, as the headline sets them."""
    from simulator.report.findings import Run
    from simulator.report.verdict import prices_apart

    run = Run.of(result)
    return len(run.tonnes_kinds()) > 1, bool(prices_apart(run))


def _counts(
    found: Uncertainty,
    members: list[str],
    materials: list[str],
    flags: tuple[bool, bool],
    rows: np.ndarray | None = None,
) -> dict[str, int]:
    """:func:`outcome_counts` of the members over the samples, by material as the headline goes.

    ``flags``: :func:`_headline_flags`, as the headline sets them; ``rows``: which samples (a mask; all: None).
    """
    with_stock = _members_by_material(found.samples, members, materials)
    without = _members_by_material(found.without, members, materials)
    if rows is not None:
        with_stock = {m: v[rows] for m, v in with_stock.items()}
        without = {m: v[rows] for m, v in without.items()}
    return outcome_counts(with_stock, without, *flags)


def _near_record_counts(
    found: Uncertainty,
    near: NearPeaks,
    names: Names,
    materials: list[str],
    members: list[str],
    flags: tuple[bool, bool],
    record: Any = None,
) -> NearRecord | None:
    """:class:`NearRecord` of the samples run both ways, or None without a record's simulated world prices.

    The samples near the record for every material it prices (``near``, :func:`near_record`'s: the same masks as
    :func:`fit_sentence`'s count "for both"), and how the headline's answers divide over them; whether ``record``
    has no stock series of the members short there without the joint stock (:func:`record_has_no_stock_series`).
    """
    every = near.every
    if every is None:
        return None
    many = len(near.near)
    which = (
        f"the recorded price peak of {escape(names.material_text(next(iter(near.near))))}"
        if many == 1
        else ("both recorded peaks" if many == 2 else f"all {many} recorded peaks")
    )
    counts = _counts(found, members, materials, flags, every)
    runs = int(every.sum())
    short_without = _short_in(found.without, members, every)
    return NearRecord(
        runs,
        counts,
        which,
        _near_short(found, names, members, materials, every),
        tuple(escape(names.subject(m)) for m in short_without),
        int(shortages.short(_members_t(found.without, members, every)).sum()),
        tuple(escape(names.subject(m)) for m in _short_in(found.samples, members, every)),
        int(shortages.short(_members_t(found.samples, members, every)).sum()),
        record is not None and record_has_no_stock_series(record, short_without),
        int(shortages.short(_members_t(found.without, members, np.ones(len(every), bool))).sum()),
        int(shortages.short(_members_t(found.samples, members, np.ones(len(every), bool))).sum()),
    )


def _members_t(frame: pd.DataFrame, members: list[str], rows: np.ndarray) -> np.ndarray:
    """The ``members``' total shortfall, t, in each of the samples ``rows`` (a mask) of ``frame``.

    ``frame``: :attr:`Uncertainty.samples` (with the joint stock) or :attr:`Uncertainty.without`; a missing
    value counts as none.
    """
    return sum((frame[f"shortfall_t.{m}"].fillna(0).to_numpy(float)[rows] for m in members), np.zeros(int(rows.sum())))


def _short_in(frame: pd.DataFrame, members: list[str], rows: np.ndarray) -> list[str]:
    """The ``members`` short in some of the samples ``rows`` (a mask) of ``frame`` (:func:`_members_t`'s)."""
    return [m for m in members if shortages.short(_members_t(frame, [m], rows)).any()]


def _tonnes_span(shortfall_t: np.ndarray) -> str:
    """The range of the shortfalls (t, one material or a total): ``35.0–58.3 t``, ``4,540 t``, ``under 0.01–5.0 t``."""
    hit = shortfall_t[shortages.short(shortfall_t)]
    low, high = shortfall_tonnes(float(hit.min())), shortfall_tonnes(float(hit.max()))
    return low if low == high else f"{low.removesuffix(NBSP + 't')}\u2013{high}"


def _spans_by_material(
    found: Uncertainty, names: Names, short: list[str], materials: list[str], rows: np.ndarray
) -> str:
    """The range of ``short`` members' shortfall without the joint stock over the samples ``rows``, by material.

    ``4,540 t of light and 35.0–58.3 t of heavy rare earths`` where each of those runs is short of each material;
    else with how many runs are short of each, ``4,540 t of light rare earths in one run, 35.0–58.3 t of heavy in
    the other two`` (:func:`_runs_short_of`). Tonnes of different materials are never put in one range (they may be
    priced far apart). One range of the members' total where the scenario has one material or the samples have no
    per-material columns.
    """
    by_material = _members_by_material(found.without, short, materials)
    if len(materials) < 2 or "" in by_material:
        return _tonnes_span(sum(v[rows] for v in by_material.values()))
    hit = {m: values[rows] for m, values in by_material.items() if shortages.short(values[rows]).any()}
    runs_short = int(shortages.short(sum(hit.values())).sum())
    if all(int(shortages.short(values).sum()) == runs_short for values in hit.values()):
        return HtmlNames(names).amounts_text({m: _tonnes_span(values) for m, values in hit.items()})
    spans = {m: (_tonnes_span(values), int(shortages.short(values).sum())) for m, values in hit.items()}
    return _runs_short_of(names, spans, runs_short)


def _runs_short_of(names: Names, spans: dict[str, tuple[str, int]], runs_short: int) -> str:
    """``4,540 t of light rare earths in one run, 35.0–58.3 t of heavy in the other two`` (HTML).

    ``spans``: each material's range of tonnes short (HTML) and the count of runs short of it. The first material
    is named whole, the others without the words all share (``heavy`` after ``light rare earths``); where two
    materials are short in runs apart, the second's runs are ``the other`` ones.
    """
    plain = [names.material_text(m) for m in spans]
    said = shared_words_once(plain)
    shared = plain[0].removeprefix(said[0])  # `` rare earths``, or '' where the names share no trailing words
    named = [plain[0]] + [name.removesuffix(shared) for name in plain[1:]]
    counts = [count for _, count in spans.values()]
    apart = len(spans) == 2 and runs_short == sum(counts)
    wheres = ["in one run" if counts[0] == 1 else f"in {count_in_words(counts[0])} runs"]
    if apart:
        wheres.append(f"in the other {'run' if counts[1] == 1 else count_in_words(counts[1])}")
    else:
        wheres += ["in one" if count == 1 else f"in {count_in_words(count)}" for count in counts[1:]]
    parts = [
        f"{span} of {escape(name, quote=False)} {where}"
        for name, (span, _), where in zip(named, spans.values(), wheres, strict=True)
    ]
    return ", ".join(parts)


def _near_short(found: Uncertainty, names: Names, members: list[str], materials: list[str], rows: np.ndarray) -> str:
    """What the stock does in the samples ``rows`` (a mask) to the shortfall of who runs short there without it.

    ``the stock closes or nearly closes the EU's shortfall without it (4,540 t of light and 35.0–58.3 t of heavy
    rare earths)``: the range of that shortfall in tonnes, material by material (:func:`_spans_by_material`)
    (HTML, a clause; '' where no member is short). The headline has said who runs short there: the clause leads
    with what the stock does, in few words, as it shares the first screen with the members' table.

    "Nearly closes": it cuts each such sample's shortfall by :data:`simulator.report.verdict.ALMOST_ENTIRELY` or more,
    the share the headline calls "almost entirely"; a sample where it does less makes the clause give the counts.
    """
    from simulator.report.verdict import ALMOST_ENTIRELY

    short = _short_in(found.without, members, rows)
    if not short:
        return ""
    alone, with_stock = _members_t(found.without, short, rows), _members_t(found.samples, short, rows)
    hit = shortages.short(alone)
    whose = join_words([escape(names.possessive(m), quote=False) for m in short])
    shortfall = f"{whose} shortfall without it ({_spans_by_material(found, names, short, materials, rows)})"
    cut = 1 - with_stock[hit] / alone[hit]
    if not shortages.short(with_stock[hit]).any():
        return f"the stock closes {shortfall}"
    if (cut >= ALMOST_ENTIRELY).all():
        return f"the stock closes or nearly closes {shortfall}"
    closed = int((~shortages.short(with_stock[hit])).sum())
    rest = int(hit.sum()) - closed
    return f"the stock closes {shortfall} in {closed:,} of them and reduces it in the other {rest:,}"


def _columns_note(found: Uncertainty) -> str:
    """Why the samples table has more input columns than the inputs counted above ('' when it has as many).

    An input whose values are mappings takes a column per key: ``uncertainty_samples.parquet``
    of a scenario with 48 inputs can have 52 input columns, which a reader counting them
    should not take for a mistake.
    """
    columns = input_columns(found)
    total = sum(columns.values())
    if total == len(columns):
        return ""
    wide = [f"<code>{escape(path)}</code> {n}" for path, n in columns.items() if n != 1]
    return (
        f"<p>The samples table, <code>uncertainty_samples.parquet</code>, has {total:,} input columns for these "
        f"{plural(len(columns), 'input')}: an input whose values are mappings (sourcing shares, say) takes a "
        f"column per key ({join_words(wide)}).</p>"
    )


def _headline_table(result: Result, found: Uncertainty, as_run: str = AS_WRITTEN) -> str:
    """The table of the headline figures: each with the run's value, the median, the 90% interval and its drivers.

    Rows in a run whose drivers cell reads the same, word for word (twelve members' shortfalls most associated with
    one input, as closely), share one cell (``rowspan``): the words are said once for them.
    """
    cells = []
    members = list(result.structure.member_names or [])
    for row in found.headlines.itertuples():
        own = _figure_number(result.metrics.get(row.metric), row.unit)
        if is_fairness(row.metric) and members and not _short_in_run(result, members, row.metric):
            own = "none short"  # Jain's index is 1 by convention where no one is short (of its material)
        drivers = found.drivers[row.metric]
        named = (
            "<br>".join(
                f"{escape(d.label)}<br><small>{escape(driver_text(found, row.metric, d, name=False))}</small>"
                for d in drivers
            )
            if drivers
            else _no_driver(row, found)
        )
        title, interval = (
            escape(row.title),
            f"{_figure_number(row.p5, row.unit)} to {_figure_number(row.p95, row.unit)}",
        )
        median = _figure_number(row.median, row.unit)
        if is_fairness(row.metric) and members:  # its ends, 1/n one member bearing it all: once, here
            title += _fairness_ends(result, row.metric)
        if counted := counted_text(found, row.metric):
            if counted.startswith("no sample"):
                median, interval, named = "-", "-", escape(counted)
            else:
                title += f"<br><small>{escape(counted)}</small>"
        cells.append((f'<td class="text">{title}</td><td>{own}</td><td>{median}</td><td>{interval}</td>', named))
    rows = []
    for k, (figures, named) in enumerate(cells):
        if k and named == cells[k - 1][1]:
            rows.append(f"<tr>{figures}</tr>")  # the cell above spans this row
            continue
        span = next((n for n, (_, other) in enumerate(cells[k:]) if other != named), len(cells) - k)
        spans = f' rowspan="{span}"' if span > 1 else ""
        rows.append(f'<tr>{figures}<td class="text"{spans}>{named}</td></tr>')
    name = f"The headline figures over {found.runs:,} samples: median, 90% interval and the inputs behind them"
    table = (
        f'<table class="uncertainty">{caption(name)}<thead><tr><th>Figure</th>'
        f"<th>{escape(cap(as_run))}</th><th>Median</th>"
        f"<th>90% interval</th><th>Most associated with</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    return scroll_region(table, name)


def _fairness_ends(result: Result, metric: str) -> str:
    """What Jain's index ``metric`` measures, at its ends, under its title (HTML); '' where it counts one member.

    Its ``n``: the members with demand (for its material, where it is one material's own).
    """
    materials = index_materials(result.scenario, metric)
    jain_n = len(members_with_demand(result.scenario, None, materials))
    if jain_n < 2:
        return ""
    material = Names.of(result.scenario).material_text(materials[0]) if metric != FAIRNESS else None
    shares = f"of {material} as shares of their demand for it" if material else "as shares of their demand"
    ends = f"Jain's index of the members' shortfalls {shares}: {jain_definition(jain_n)}"
    return f"<br><small>{escape(ends)}</small>"


def _short_in_run(result: Result, members: list[str], metric: str) -> bool:
    """Whether some member is short in the run, of the material of Jain's index ``metric`` where it is one's own."""
    if metric == FAIRNESS:
        return anyone_short(result.metrics, members)
    return is_short_of(result.metrics, members, index_materials(result.scenario, metric)[0])


def _by_material_note(found: Uncertainty) -> str:
    """The note under the table where its fairness is given material by material, else ''.

    The words are :func:`simulator.sensitivity.intervals.by_material_text`'s.
    """
    said = by_material_text(found)
    return f'<p class="note">{escape(cap(said))}.</p>' if said else ""


def _separate_intervals_note(found: Uncertainty) -> str:
    """The note under the table that each figure's interval is its own, so the regions' need not add up, else ''.

    The rule is :func:`simulator.sensitivity.intervals.separate_intervals_note`, as the console's line.
    """
    said = separate_intervals_note(found)
    return f'<p class="note">{escape(cap(said))}.</p>' if said else ""


def _unlike_tonnes_note(found: Uncertainty) -> str:
    """The note under the table where its shortfall rows add tonnes that may not be added, else ''.

    The rule is :func:`simulator.sensitivity.intervals.unlike_tonnes_added`, as the console's note.
    """
    why = unlike_tonnes_added(found)
    if why is None:
        return ""
    return (
        f'<p class="note">The rows Total shortfall and Shortfall of each region add {escape(why)}: '
        "<code>uncertainty_samples.parquet</code>'s <code>shortfall_t.&lt;region&gt;.&lt;material&gt;</code> "
        "gives each material in each sample.</p>"
    )


def _lead_sentence(found: Uncertainty) -> str:
    first = found.headlines.iloc[0]
    interval = headline_text(found, next(found.headlines.iloc[:1].itertuples()))
    title = bare_title(metric_title(first["metric"]), first["unit"])
    text = f"{escape(title)}: {escape(interval)}"
    if off := off_interval_text(found, first["metric"], first["unit"]):
        text += f"; {escape(off)}"
    if said := drivers_text(found, first["metric"]):
        text += f"; {escape(said)}"
    return text + "." + _sampling_error_sentence(found, first["metric"], title, first["unit"])


SAMPLING_LEVEL = 0.95
"""The confidence at which :func:`_sampling_error_sentence` says where a percentile of the samples' world lies."""


def order_ranks(n: int, q: float, level: float = SAMPLING_LEVEL) -> tuple[int, int]:
    """The ranks (1 = smallest of ``n`` values) of the shortest pair of order statistics that hold the ``q``-quantile.

    With probability at least ``level`` whatever the (continuous) distribution: the count of samples below the
    quantile is binomial (``n``, ``q``), so the ``lo``-th and ``hi``-th values hold it with probability
    ``P(lo <= count <= hi - 1)``. Rank 0 is below the smallest value, ``n + 1`` above the largest (too few samples
    for a bound on that side). Of pairs as short, the one whose probability comes nearest ``level`` (then whose
    middle is nearest ``q (n + 1)``): the 5th and 95th percentiles' ranks mirror each other. docs/uncertainty.md
    gives those of ``make run``'s 100 samples:

    >>> order_ranks(100, 0.95), order_ranks(100, 0.5), order_ranks(100, 0.05)
    ((90, 99), (40, 60), (2, 11))
    >>> order_ranks(16, 0.95)[1]  # 16 samples bound the 95th percentile above only by the largest, or not at all
    17
    """
    from scipy import stats  # where the section is written: the report's other paths do without it

    below = np.concatenate([[0.0], stats.binom.cdf(np.arange(n + 1), n, q)])  # below[k + 1] = P(count <= k)
    best: tuple[tuple[int, float, float], tuple[int, int]] | None = None
    for lo in range(n + 1):
        need = below[lo] + level - 1e-12  # P(count <= hi - 1) = below[hi] must reach this
        hi = int(np.searchsorted(below, need))  # the first rank with enough
        if hi > n + 1:
            break
        key = (hi - lo, float(below[hi] - below[lo]), abs((lo + hi) / 2 - q * (n + 1)))
        if best is None or key < best[0]:
            best = (key, (lo, hi))
    assert best is not None  # lo = 0, hi = n + 1 holds it with probability 1
    return best[1]


def _ordinal(k: int) -> str:
    """``1st``, ``2nd``, ``11th``, ``90th``."""
    suffix = "th" if 10 <= k % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(k % 10, "th")
    return f"{k}{suffix}"


def _between(ranks: tuple[int, int], n: int) -> str:
    """``between the 90th and the 99th``, ``above the 13th`` (rank n + 1: no bound above), of ``n`` values."""
    lo, hi = ranks
    if lo == 0 and hi == n + 1:
        return "anywhere"
    if hi == n + 1:
        return f"above the {_ordinal(lo)}"
    if lo == 0:
        return f"below the {_ordinal(hi)}"
    return f"between the {_ordinal(lo)} and the {_ordinal(hi)}"


def _sampling_error_sentence(found: Uncertainty, metric: str, title: str, unit: str) -> str:
    """That the 90% intervals are estimated from the samples and how far their ends may move (HTML, a sentence).

    ``Each end of an interval is itself estimated from these 100 samples, and another seed moves it: at 95%
    confidence, whatever the figure's distribution, the 95th percentile lies between the 90th and the 99th of the
    100 values in order (Total shortfall: between 33.1 t and 385 t) and the 5th between the 2nd and the
    11th.`` (:func:`order_ranks`; docs/uncertainty.md's order statistics). The figure of :func:`_lead_sentence`
    gives the range where all the samples have it (not a figure counted over some of them).
    """
    n = found.runs
    high, low = order_ranks(n, 0.95), order_ranks(n, 0.05)
    example = ""
    values = found.samples[metric].to_numpy(float) if metric in found.samples else np.array([])
    if len(values) == n and np.isfinite(values).all() and high[0] > 0 and high[1] <= n:
        ranked = np.sort(values)
        shown = [number_text(float(ranked[k - 1])) + (f" {unit}" if unit else "") for k in high]
        example = f" ({escape(title)}: between {shown[0]} and {shown[1]})"
    return (
        f" Each end of an interval is itself estimated from these {n:,} samples, and another seed moves it: at "
        f"{SAMPLING_LEVEL:.0%} confidence, whatever the figure's distribution, the 95th percentile lies "
        f"{_between(high, n)} of the {n:,} values in order{example} and the 5th {_between(low, n)}."
    )


FAN_CAPTIONS = {
    "days_of_cover": "A day's median is not the median of the samples' lowest points, which the table gives: "
    "samples reach their lows on different days.",
    "shortfall_cum_t": "A running total: each sample's curve ends at its shortfall of that material over the run, "
    "so the last day's median and band are those of the samples' totals (the table's shortfalls add the "
    "materials).",
}
"""What each fan chart's caption adds, by curve: how its days relate to the table's figures."""


def fan_words(curve: str, band: dict[str, np.ndarray], result: Result) -> str:
    """A fan chart's key numbers, its caption's first sentence (HTML), as the report's other figures open theirs.

    ``band``: the chart's ``p5``/``p50``/``p95`` arrays (day, region, material), as
    :attr:`~simulator.sensitivity.intervals.Uncertainty.bands` holds them. Days of cover: each region's median at
    its lowest, the first day it is there, and the 5-95% band that day (``Median cover at its lowest: Japan 58.1
    days (heavy rare earths, 12 Jul 2011; 5-95%: 30.2 to 80.1 days); ...``), as
    :func:`~simulator.report.figures.cover_words` gives the run's own. Cumulative shortfall: each region and
    material whose band's top is short (:func:`simulator.shortages.short`) on the last day, its median and band
    there, the samples' shortfalls over the run (``Short over the run, median: the EU, light rare earths 0 t
    (5-95%: 0 to 38.5 t); ...``), or that none is. "" for a days-of-cover chart with no cover anywhere.
    """
    names = HtmlNames.of(result)
    regions, materials = list(result.structure.regions), list(result.structure.materials)
    parts = []
    if curve == "days_of_cover":
        for k, region in enumerate(regions):
            mid = band["p50"][:, k, :]
            if not np.isfinite(mid).any():
                continue
            day, m = np.unravel_index(np.nanargmin(mid), mid.shape)  # the first day at its lowest (day-major order)
            low, high = band["p5"][day, k, m], band["p95"][day, k, m]
            parts.append(
                f"{names.subject(region)} {days_text(mid[day, m])} days ({names.material_text(materials[m])}, "
                f"{when(result.start_date, int(day))}; 5-95%: {days_text(low)} to {days_text(high)} days)"
            )
        return f"Median cover at its lowest: {'; '.join(parts)}." if parts else ""
    for k, region in enumerate(regions):
        for m, material in enumerate(materials):
            low, mid, high = (float(band[q][-1, k, m]) for q in ("p5", "p50", "p95"))
            if shortages.short(high):
                bottom = shortfall_tonnes(low).removesuffix(f"{NBSP}t")
                parts.append(
                    f"{names.subject(region)}, {names.material_text(material)} {shortfall_tonnes(mid)} "
                    f"(5-95%: {bottom} to {shortfall_tonnes(high)})"
                )
    if not parts:
        return "Short over the run: no region, in the 5-95% band."
    return f"Short over the run, median: {'; '.join(parts)}."


def _fan_trigger_caption(result: Result, found: Uncertainty, curve: str, as_run: str) -> str:
    """What the days-of-cover fan chart's caption says of the release trigger where the samples draw it, else "".

    Where the chart draws the trigger (:func:`trigger_lines`) and the samples draw it from a range
    (:func:`sampled_trigger_days`: 5 to 30 days in ``embargo_2010``), the dotted line is the run's value and the
    light band the range, as the chart's legend says (:func:`simulator.sensitivity.figures.trigger_band_words`).
    """
    sampled = sampled_trigger_days(found.study)
    agreement = result.scenario.agreement
    if curve != "days_of_cover" or sampled is None or agreement is None or not trigger_lines(result):
        return ""
    low, high = sampled
    return (
        f" Dotted line: the release trigger {escape(as_run)}, {agreement.trigger.commercial_days_below:g} days; "
        f"the light band behind it: the range the samples draw the trigger from, {low:g} to {high:g} days "
        "(each sample has its own)."
    )


def uncertainty_section(
    result: Result, found: Uncertainty | None, as_run: str = AS_WRITTEN, figures: bool = True
) -> str:
    """The section's HTML (empty for a scenario that declares no uncertain inputs and no samples).

    ``as_run``: how the section names the run the report is of, in its column, captions, legends and
    held-fixed row: :func:`simulator.names.run_words`, as the headline names it. ``figures``: whether
    the fan charts are drawn (``render_report``'s; False keeps each ``<figure>`` and its caption).
    """
    s = result.scenario
    if found is None:
        if not s.uncertain:
            return ""
        return "\n".join(
            [
                f'<section id="{SECTION_ID}"><h2>What rests on assumptions</h2>',
                f"<p>Every figure above uses one value for each of the {plural(len(s.uncertain), 'input')} below, "
                "although each is uncertain within the range shown. For medians and 90% intervals of the headline "
                "figures, with the inputs that drive them, run <code>stockpile run SCENARIO "
                f"--uncertainty {SEEDS_ADVISED} --report</code>; for each input's share of their variance, "
                "<code>stockpile sensitivity SCENARIO</code>.</p>",
                _inputs_table(result, as_run),
                "</section>",
            ]
        )
    regions, materials = list(result.structure.regions), list(result.structure.materials)
    own_once = functools.cache(lambda: own_curves(result.timeseries, regions, materials))  # for drawn fan charts
    charts = []
    for curve in FAN_CURVES:
        from simulator.quantities import daily

        svg = figure_svg(
            lambda curve=curve: fan_chart(
                found,
                own_once(),
                curve,
                s,
                triggers=trigger_lines(result),
                width_in=REPORT_WIDTH_IN,
                columns=REPORT_COLUMNS,
                as_run=as_run,
            ),
            f"fan-{curve}",
            daily(curve).label,
            figures,
            caption_id(f"fan_{curve}"),
        )
        said = fan_words(curve, found.bands[curve], result)
        charts.append(
            f'<figure data-figure="fan_{curve}">{svg}'
            f'<figcaption id="{caption_id(f"fan_{curve}")}">{said + " " if said else ""}'
            f"{escape(daily(curve).label)}: median (line) and 5-95% band over "
            f"{found.runs:,} samples, taken day by day; dashed: the scenario {escape(as_run)}. "
            f"{FAN_CAPTIONS.get(curve, '')}{_fan_trigger_caption(result, found, curve, as_run)}"
            "</figcaption></figure>"
        )
    return "\n".join(
        [
            f'<section id="{SECTION_ID}"><h2>How sure are these figures?</h2>',
            f"<p>{found.runs:,} runs sampled the scenario's {plural(len(found.study.inputs), 'uncertain input')} "
            "(ranges below). Beside each figure are the inputs with the largest rank correlation with it (how "
            "closely the samples' order by the figure follows their order by the input: 0 = not at all, 1 = "
            f"exactly, either way), {_named_when(found)}: a weaker link may be chance. Which way the figure moves as "
            "each input rises is given too. A rank correlation of 0.4 goes with about 16% of the variance of the "
            "ranks: the figure moves with the input, but most of its spread lies elsewhere; <code>stockpile "
            "sensitivity</code> measures each input's share of the variance, alone and with all its interactions "
            "(shares that need not add up to the whole). "
            "A 90% interval runs from the 5th to the 95th percentile of the samples: the spread that the assumed "
            "ranges give the figure, not a confidence interval for it nor a probability that the world lies in "
            f"it. {_lead_sentence(found)}</p>",
            _headline_table(result, found, as_run),
            _separate_intervals_note(found) + _by_material_note(found),  # "" adds no line where it is not by material
            _unlike_tonnes_note(found),
            *charts,
            f"<h3>{INPUTS_HEADING}</h3>",
            _columns_note(found),
            _inputs_table(result, as_run),
            "</section>",
        ]
    )
