"""The report's section "Against the record": the run's values beside what was recorded (``--record``).

Layer: studies.

A record is the CSV ``stockpile calibrate`` fits to (:mod:`simulator.calibrate`): one
observation a row, a price, a flow or a stock over a day, month, quarter, half or year.
It is read and checked against the run's scenario by :func:`simulator.calibrate.read_record`
(a row that does not fit the scenario, an unknown region or material or a date outside
the run, is an :class:`~simulator.errors.InputError` naming the file, row and field), and
the model's value of each row comes from :func:`simulator.calibrate.model_values`: the
run's own daily curves (:func:`simulator.calibrate.run_curves`), averaged (prices) or summed
(flows) over the row's period, exactly as a calibration computes them for the same
parameters (:func:`simulator.calibrate.scenario_values`, whose fast path reproduces the run
to the bit). The report fits nothing: the section says how far the run is from the record,
series by series (a series is the rows of one quantity, region, material and supplier,
:func:`simulator.calibrate.series_keys`).

Which rows a fit used is the record's to say, in its ``sample`` column (``in``: fitted,
``out``: held out), which ``stockpile calibrate`` reads too: the shipped record marks the
rows the shipped fit used, and ``make calibrate`` takes its hold-outs from it, so the report
and the fit cannot disagree. A fitted row's error says only how closely the fit could match
it; the held-out rows are the test. So with a marked record the section keeps them apart:

- a figure of model against record, a panel per series (:func:`simulator.calibrate.fit_figure`):
  fitted rows filled, held-out rows hollow;
- a table: each series' fitted rows and held-out rows apart (the rows, how many of them the
  record marks as made rather than given (its ``source`` begins ``DERIVED`` or ``FORECAST``),
  the periods they cover, the row the model misses most (the largest ``|ln(model / record)|``)
  with the record's and the model's values, the RMS log error,
  :func:`simulator.calibrate.error_table`, and the typical factor it stands for, ``exp(RMS)``);
- a sentence naming the series whose rows are all fitted (their errors test nothing), and
  one naming the series the model misses most out of sample (the largest RMS log error of
  held-out rows), with a caveat when some of its rows are made rather than given: a derived
  row's error measures its derivation (often a difference of basis) as well as the model, a
  forecast's measures what was expected at the time. When it has such rows and a held-out
  series has none, the sentence opens with the series missed most among those whose rows are
  all given (:func:`sourced_worst`) and names the made one after it (:func:`worst_sentence`); a
  sentence says when the record's exports of a supplier are below one region's imports from it
  over the same period, two counts that disagree (:func:`mirror_sentence`), and one when a flow
  the record gives falls (or rises) from one year to a later one and the model does not follow
  (:func:`fall_sentence`);
- under the figure, which world prices the record does not test: those of a material whose
  rows stop before the run's last day (:func:`untested_clause`, which the verdict's price line
  says too, with the last day's price).

A record without a ``sample`` column says nothing of a fit: its table has one line per
series, all rows together, and the section says that an error may be in sample.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any

import pandas as pd

from simulator.calibrate import (
    HELD_OUT_PRICES_2010,
    MADE,
    PERIODS,
    RECORD_UNITS,
    REPORTED_COLUMNS,
    HeldOutFit,
    _period_label,
    error_table,
    fit_figure,
    log_errors,
    made_count_words,
    made_counts,
    made_rows,
    model_values,
    needed_curves,
    read_record,
    record_samples,
    run_curves,
    series_keys,
    series_name,
)
from simulator.errors import InputError
from simulator.names import Names, join_words
from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN, caption_id, figure_svg
from simulator.report.findings import Run
from simulator.report.style import caption, scroll_region
from simulator.report.words import NBSP, cap, detail, price, tonnes
from simulator.results import Result
from simulator.scenario import Scenario
from simulator.scenario.checks import reference_price
from simulator.scenario.uncertain import value_at

__all__ = ["Record", "against_record", "load_record", "record_section", "report_record"]


@dataclass(frozen=True)
class Record:
    """A record read for a report: its rows as :func:`simulator.calibrate.read_record` gives them, and its file."""

    rows: pd.DataFrame
    source: str
    """The file as given (``scenarios/records/rare_earths_2010_2012.csv``), shown in the report."""

    @property
    def marked(self) -> bool:
        """Whether the record says which rows a fit to it uses (its ``sample`` column)."""
        return record_samples(self.rows) is not None


CONFIDENCE_WORDS = {"L": "low confidence"}
"""A row's ``confidence`` as the report says it beside a figure it leads with; ``H`` and ``M`` go unsaid."""

INTERPOLATED = "interpolat"
"""What a clause of a row's ``source`` holds (case aside) when it names a figure interpolated, not given."""


def interpolated(source: str) -> list[str]:
    """The clauses of a row's ``source`` that name an interpolated figure, each without its attribution.

    Clauses are split at ``;``; each is kept after its last ``: `` (what comes before names where the
    clause's figures come from).

    >>> interpolated("DERIVED from oxide prices, mining.com: La 135 USD/kg; Nd ~200 (interpolated, no source)")
    ['Nd ~200 (interpolated, no source)']
    >>> interpolated("Lynas price table (Dy oxide FOB China)")
    []
    """
    clauses = [c.strip() for c in str(source).split(";")]
    return [c.rsplit(": ", 1)[-1].strip() for c in clauses if INTERPOLATED in c.lower()]


FIGURE = re.compile(
    r"^(?P<what>[A-Z][A-Za-z]{0,2})\s+(?P<about>~)?\s*(?P<value>\d[\d,.]*)\s*(?P<unit>[A-Z]{3}/[a-z]+)?\s*"
    r"\((?P<said>[^()]*)\)$"
)
"""An interpolated clause that gives one element's figure: ``Nd ~200 (interpolated, no source)``."""


def interpolated_words(clause: str, unit: str = "USD/kg") -> str:
    """An :func:`interpolated` clause in words, with its unit: ``an interpolated Nd price of about 200 USD/kg ...``.

    A clause that gives an element's bare figure is a price in the row's ``unit`` (a derived row's figures
    feed its value); what the source says beside the figure is kept, "interpolated" aside. Any other clause
    is quoted as the source writes it.

    >>> print(interpolated_words("Nd ~200 (interpolated, no source)").replace(NBSP, " "))
    an interpolated Nd price of about 200 USD/kg with no source
    >>> print(interpolated_words("Nd 200 USD/kg (interpolated, from Q1 and Q3)").replace(NBSP, " "))
    an interpolated Nd price of 200 USD/kg (from Q1 and Q3)
    >>> print(interpolated_words("the Q3 basket, interpolated"))
    an interpolated figure, “the Q3 basket, interpolated”
    """
    found = FIGURE.match(clause.strip())
    if found is None:
        return f"an interpolated figure, \u201c{clause}\u201d"
    said = ", ".join(w.strip() for w in found["said"].split(",") if w.strip() and INTERPOLATED not in w.lower())
    figure = f"{'about ' if found['about'] else ''}{found['value']}{NBSP}{found['unit'] or unit}"
    if said:  # what the source says of it: "no source" reads on ("with no source"), anything else in brackets
        said = f" with {said}" if said.lower().startswith("no ") else f" ({said})"
    return f"an interpolated {found['what']} price of {figure}{said}"


FIXED_SHARES = "basket index"
"""What a row's ``source`` holds (case aside) when its value is an index of a basket built from a few of its
elements' prices with fixed weights: the index holds the value share of the basket's other elements fixed at its
base period's (for the 2010 replay's light basket, assumption A21 in docs/calibration.md)."""

FIXED_SHARES_WORDS = "a basket index that holds the other elements\u2019 shares fixed"
"""What a :data:`FIXED_SHARES` row rests on, as the report says it beside the figure."""


def fixed_shares(source: str) -> bool:
    """Whether a row's ``source`` says its value is a basket index (:data:`FIXED_SHARES`).

    >>> fixed_shares("DERIVED basket index from oxide prices: La 135"), fixed_shares("Lynas: Mt Weld basket")
    (True, False)
    """
    return FIXED_SHARES in str(source).lower()


def load_record(path: Path | str, scenario: Scenario) -> Record:
    """Read the record at ``path`` and check it against ``scenario`` (before any run).

    Raises :class:`~simulator.errors.InputError` naming the file, row and field of every
    row that does not fit the scenario, as ``stockpile calibrate`` does.
    """
    # with its source: what each row is, a figure its source gives or one made from others (MADE); with its
    # confidence: how far the record trusts it (CONFIDENCE_WORDS)
    return Record(read_record(path, scenario, keep=REPORTED_COLUMNS), str(path))


def report_record(
    path: Path | str | None, scenario: Scenario, report: bool = True, refusal: str = "a record needs a report"
) -> Record | None:
    """The record at ``path`` for a report, read and checked against ``scenario`` (None without one).

    ``--record`` and ``record=`` both come here. A record is set against the run only in
    the report, so one given without a report (``report`` false) is refused before it is
    read: :class:`~simulator.errors.InputError` ``refusal``, the caller's words for its option.
    """
    if path is None:
        return None
    if not report:
        raise InputError(refusal)
    return load_record(path, scenario)


def against_record(result: Result, record: Record) -> pd.DataFrame:
    """The record's rows with the run's value of each (``model``), its ``log_error``, and ``in_sample``.

    The values come from the run's own daily curves (:func:`simulator.calibrate.run_curves`): the
    ones a calibration computes from the fast path's curves of the run's scenario and seed
    (:func:`simulator.calibrate.scenario_values`), without simulating the run again.
    ``in_sample`` is the record's ``sample`` column (True: fitted); True for every row of a
    record without one, which says nothing of a fit.
    """
    model = model_values(record.rows, run_curves(result, needed_curves(record.rows)), result.scenario)
    table = record.rows.copy()
    table["model"] = model[0]
    marked = record_samples(record.rows)
    table["in_sample"] = True if marked is None else marked
    table["log_error"] = log_errors(model, record.rows)[0]
    return table


@dataclass(frozen=True)
class SeriesError:
    """One series of the record against the run: its fitted rows, or its held-out rows, or all its rows."""

    key: tuple[str, str, str, str]
    name: str
    """What the series is, in words as a sentence has them (plain text, :func:`simulator.calibrate.series_name`):
    ``world price, heavy rare earths``; the table's cell starts it with a capital."""
    sample: str
    """``in`` (the rows a fit used), ``out`` (the rows it held out), or ``""`` (all the rows of a record that
    does not say: no ``sample`` column)."""
    rows: int
    covers: str
    """The periods the rows cover, from the earliest start to the latest end: ``Jul 2010 to Dec 2010``,
    ``2011`` (one period)."""
    when: str
    """The period of the row the model misses most, the largest ``|ln(model / record)|`` (``Aug 2011``,
    ``H1 2012``, ``26 Jul 2010``): the row that stands for the series' RMS log error."""
    unit: str
    """What ``recorded`` and ``model`` are in: ``USD/kg`` (a price) or ``t`` (a flow, a stock), as the record's
    ``unit`` column (:data:`simulator.calibrate.RECORD_UNITS`)."""
    recorded: float
    """The record's value of that row, in ``unit``."""
    model: float
    """The model's value of that row, in ``unit``."""
    rms_log_error: float
    made: tuple[tuple[str, int], ...] = ()
    """How many of the rows are made rather than given (:data:`MADE`), kind by kind: ``(("DERIVED", 6),)``; none:
    ``()`` (:func:`~simulator.calibrate.made_counts` of the series' :func:`~simulator.calibrate.error_table` row)."""

    @property
    def factor(self) -> float:
        """``exp(RMS log error)``: the factor by which the model is typically off the record, either way."""
        return math.exp(self.rms_log_error)


def _when(date: dt.date, period: str) -> str:
    """A row's period as the report writes it: a day as ``26 Jul 2010``, else as the fit figure labels it."""
    if period == "day":
        return f"{date.day} {date:%b %Y}"
    return _period_label(date.isoformat(), period)


period_words = _when  # the record's words for a row's period, for the price line (report.prices)


def _covers(group: pd.DataFrame) -> str:
    """The periods ``group``'s rows cover: the earliest-starting row's to the latest-ending row's (one if the same).

    The first of equal starts and of equal ends, in the record's order.
    """
    first = group.loc[group["first_day"].idxmin()]
    last = group.loc[group["end_day"].idxmax()]
    start, end = _when(first["date"], first["period"]), _when(last["date"], last["period"])
    return start if start == end else f"{start} to {end}"


def series_errors(table: pd.DataFrame, scenario: Scenario, marked: bool = True) -> list[SeriesError]:
    """Each series of ``table`` (:func:`against_record`): fitted and held-out rows apart.

    In the record's order, each series' materials in the scenario's (:func:`~simulator.calibrate.error_table`).

    ``marked`` false (a record without a ``sample`` column) gives each series' rows together, ``sample`` ``""``.
    """
    names, regions = Names.of(scenario), list(scenario.regions)
    errors = error_table(table, list(scenario.materials))
    keys = series_keys(table)
    out = []
    for row in errors.itertuples(index=False):
        key = (row.quantity, row.region, row.material, row.supplier)
        inside = row.sample == "in"
        group = table[[k == key and i == inside for k, i in zip(keys, table["in_sample"], strict=True)]]
        top = group.loc[group["log_error"].abs().idxmax()]  # the row missed most: the first of equal ones
        out.append(
            SeriesError(
                key,
                series_name(*key, names, regions),
                row.sample if marked else "",
                int(row.rows),
                _covers(group),
                _when(top["date"], top["period"]),
                RECORD_UNITS[row.quantity],
                float(top["value"]),
                float(top["model"]),
                float(row.rms_log_error),
                made_counts(row),
            )
        )
    return out


def _amount(unit: str, value: float) -> str:
    """A record's value with its unit: ``2,377 USD/kg``, ``3,174 t``."""
    return f"{price(value)}{NBSP}USD/kg" if unit == "USD/kg" else tonnes(value)


SAMPLE_WORDS = {"in": "fitted", "out": "held out"}
"""A marked row's sample as the table says it."""


def _made_words(s: SeriesError) -> str:
    """``all 6 derived``, ``1 derived, 1 forecast``: how many of a series' rows are made (:data:`MADE`), or "".

    The words :func:`~simulator.calibrate.made_count_words` gives, a comma between kinds: a table cell's list.
    """
    return ", ".join(made_count_words(s.made, s.rows))


def made_caveat(s: SeriesError) -> str:
    """What a series' made rows do to its error, in a sentence (HTML), or "" when all its rows are given.

    `` All 6 of its rows are derived (the source begins “DERIVED”: not a figure the source gives), so its
    error measures how the derived rows were made (a share, a sum, a change of basis) as well as the model.``
    """
    if not s.made:
        return ""
    counts = []
    for prefix, count in s.made:
        of = f"All {count}" if count == s.rows and s.rows > 1 else f"{count}"
        rows = f"of its {s.rows} rows" if of[0].isdigit() and s.rows > 1 else "of its rows"
        if s.rows == 1:
            of, rows = "Its", "row"
        verb = "are" if count > 1 else "is"
        counts.append(f"{of} {rows} {verb} {MADE[prefix]}")
    what = []
    kinds = [prefix for prefix, _ in s.made]
    if "DERIVED" in kinds:
        what.append("how the derived rows were made (a share, a sum, a change of basis)")
    if "FORECAST" in kinds:
        what.append("what a forecast expected at the time, not what happened")
    begins = " or ".join(f"\u201c{p}\u201d" for p in kinds)
    return (
        f" {'; '.join(counts)} (the source begins {begins}: not a figure the source gives), so its error measures "
        f"{join_words(what)} as well as the model."
    )


def _error_words(s: SeriesError, ratio: bool = False) -> str:
    """A series' RMS log error, its typical factor and the row it misses most, as a sentence's clause (HTML).

    ``an RMS log error of 0.44, off the record by a factor of about 1.55 on a typical row; on the row it misses
    most (H1 2012) the record has 3,007 t and the model 7,715 t``, with ``ratio``: ``, 2.57 times the record``.
    """
    times = ""
    if ratio:
        times = f", {s.model / s.recorded:.2f} times the record" if s.recorded else ""
    return (
        f"an RMS log error of {s.rms_log_error:.2f}, off the record by a factor of about {s.factor:.2f} on a typical "
        f"row; on the row it misses most ({escape(s.when)}) the record has {_amount(s.unit, s.recorded)} and the "
        f"model {_amount(s.unit, s.model)}{times}"
    )


_LEADS = {
    "out": "Out of sample, on the rows held out of the fit,",
    "in": "No row of the record is held out of the fit; in sample,",
    "": "",
}
"""How the worst-series sentence begins, by the sample it judges (:func:`worst_sentence`)."""


def worst_sentence(series: list[SeriesError]) -> str:
    """The series the model misses most, in one sentence (HTML), led by one whose rows its sources give.

    Out of sample when the record holds rows out of the fit; among fitted rows only when it
    holds none out (the sentence says so); among all rows of a record that does not say which
    a fit used. The row it gives is the one missed most, which stands for the error.

    When the series missed most (the largest RMS log error; the first of equal ones) has rows made
    rather than given (:data:`MADE`) and another series of the same sample has none, the sentence
    leads with that one, the series missed most of those its sources give (:func:`sourced_worst`), and
    names the made series after it, missed by more, with what its error measures besides the model
    (:func:`made_caveat`): a made row's error measures its making as well as the model, so a lead
    naming it would put a flaw of the derivation first while a series the sources give is missed
    badly too (the replay: China's exports x 0.67, against Japan's imports, 2.57 times the record
    in H1 2012).
    """
    held = [s for s in series if s.sample == "out"]
    worst = max(held or series, key=lambda s: s.rms_log_error)  # max keeps the first of equal ones
    lead = _LEADS[worst.sample]
    given = sourced_worst(series, worst)
    if given is None:
        opening = f"{lead} the series the model misses most" if lead else "The series the model misses most"
        return f"{opening} is {escape(worst.name)}: {_error_words(worst)}.{detail(made_caveat(worst))}"
    opening = f"{lead} the series the model misses most" if lead else "The series the model misses most"
    # 'misses most' of the given series, then one missed by more: said as outside them, not as a second 'most'
    made_one = (
        f" Only a series not among them is missed by more: {escape(worst.name)}, with an RMS log error of "
        f"{worst.rms_log_error:.2f} (a factor of about {worst.factor:.2f} on a typical row; on its row missed most, "
        f"{escape(worst.when)}, the record has {_amount(worst.unit, worst.recorded)} and the model "
        f"{_amount(worst.unit, worst.model)})."
    )
    return (
        f"{opening}, of those whose rows are all figures their sources give, is {escape(given.name)}: "
        f"{_error_words(given, ratio=True)}.{detail(made_one + made_caveat(worst))}"
    )


def sourced_worst(series: list[SeriesError], worst: SeriesError) -> SeriesError | None:
    """The series missed most among those whose rows are all given, when ``worst`` has made rows.

    The series the model misses most among those all of whose rows are given by their sources (none
    :data:`MADE`), in ``worst``'s sample (the first of equal ones); None when ``worst``'s rows are all given,
    or no series is.
    """
    if not worst.made:
        return None
    pool = [s for s in series if s.sample == worst.sample and not s.made]
    return max(pool, key=lambda s: s.rms_log_error) if pool else None


_WORDS_LEADS = {
    "out": "Missed most out of sample",
    "in": "Missed most in sample (no row is held out of the fit)",
    "": "Missed most",
}
"""How the figure caption's key numbers begin, by the sample they judge (:func:`record_words`)."""


def record_words(series: list[SeriesError]) -> str:
    """The record figure's key numbers: the series the model misses most and its RMS log error (HTML).

    The series :func:`worst_sentence` leads with, in the table's figures: out of sample when the record holds rows
    out of the fit. ``Missed most out of sample, of the series whose rows their sources give: Japan's imports from
    China, all materials, by an RMS log error of 0.44 (a factor of about 1.55). Missed by more, with rows not given
    by their sources (all 6 derived): China's exports to Japan and the EU, all materials, 0.60 (a factor of about
    1.82).`` A record of one series: its error alone.
    """
    if len(series) == 1:
        (only,) = series
        return (
            f"{escape(cap(only.name))}: off the record by an RMS log error of {only.rms_log_error:.2f} (a factor of "
            f"about {only.factor:.2f})."
        )
    held = [s for s in series if s.sample == "out"]
    worst = max(held or series, key=lambda s: s.rms_log_error)  # as worst_sentence: the first of equal ones
    lead = _WORDS_LEADS[worst.sample]
    given = sourced_worst(series, worst)
    if given is None:
        return (
            f"{lead}: {escape(worst.name)}, by an RMS log error of {worst.rms_log_error:.2f} (a factor of about "
            f"{worst.factor:.2f})."
        )
    return (
        f"{lead}, of the series whose rows their sources give: {escape(given.name)}, by an RMS log error of "
        f"{given.rms_log_error:.2f} (a factor of about {given.factor:.2f}). Missed by more, with rows not given by "
        f"their sources ({escape(_made_words(worst))}): {escape(worst.name)}, {worst.rms_log_error:.2f} (a factor of "
        f"about {worst.factor:.2f})."
    )


_SCALED = re.compile(r"^\s*DERIVED:\s*x\s*([0-9]*\.?[0-9]+)\b", re.IGNORECASE)
"""A derived row made by scaling its source's figure: its ``source`` begins ``DERIVED: x 0.67``."""


def mirror_sentence(table: pd.DataFrame, scenario: Scenario) -> str:
    """A sentence when the record's exports of a supplier fall below one region's imports from it (HTML), or "".

    An exports row is the supplier's shipments to every region of the scenario, so over the same
    period it cannot be less than one region's imports from the supplier in the model, nor, were
    both counts the same statistic, in the record. When a row of exports is below a row of imports
    from the same supplier over the same period (the same material, or exports of ``all``), the two
    are different counts: what the exporter reported exporting (or a share of it, when the row is
    derived, ``DERIVED: x 0.67``; or a forecast of what it would export, when the row is a
    ``FORECAST``, which is not a count) and what the importer reported importing, and partners' reported
    imports can exceed an exporter's reported exports (they count what arrived, it what was
    declared; smuggling, coverage and timing differ). The sentence gives the pair over the longest
    period, the largest gap first, and says that no one value of the model can match both.

    `` The record's two counts disagree: China's exports to Japan and the EU, 12,462 t of all materials in 2011, are
    less than the 15,400 t of Japan's imports from China alone, because the first is 0.67 times what China reported
    exporting and the second what Japan reported importing, and partners can report importing more than an exporter
    reports exporting: no one value of the model can match both.`` A tonnage names its material: exports of ``all``
    are ``of all materials``, of one material its series' name says which; the imports are of the same, or of the
    part the brackets name.
    """
    if table.empty or "exports" not in set(table["quantity"]):
        return ""
    names, regions = Names.of(scenario), list(scenario.regions)
    kinds = made_rows(table)
    exports = table[table["quantity"] == "exports"]
    imports = table[(table["quantity"] == "imports") & (kinds == "")]
    pairs = []
    for i, x in exports.iterrows():
        same = imports[
            (imports["supplier"] == x["supplier"])
            & (imports["first_day"] == x["first_day"])
            & (imports["end_day"] == x["end_day"])
            & ((imports["material"] == x["material"]) | (x["material"] == "all"))
            & (imports["value"] > x["value"])
        ]
        for j, m in same.iterrows():
            gap = float(m["value"]) / float(x["value"]) if x["value"] > 0 else math.inf
            pairs.append((int(x["end_day"] - x["first_day"]), gap, i, j))
    if not pairs:
        return ""
    _, _, i, j = max(pairs, key=lambda p: (p[0], p[1]))  # the longest period, then the largest gap; the first
    x, m = table.loc[i], table.loc[j]
    supplier, region = names.supplier(str(x["supplier"])), names.subject(str(m["region"]))
    scaled = _SCALED.match(str(x.get("source", "")))
    first = f"what {supplier} reported exporting"
    # why the two counts can differ: partners count what arrived, the exporter what it declared
    why = "partners can report importing more than an exporter reports exporting"
    if kinds[i] == "DERIVED":
        first = f"{scaled.group(1)} times {first}" if scaled else f"derived from {first}"
    elif kinds[i] == "FORECAST":  # made before the period, not counted in it: not what was reported
        first, why = f"a forecast of what {supplier} would export", "a forecast is not a count"
    exported = series_name("exports", "all", str(x["material"]), str(x["supplier"]), names, regions, False)
    of_all = " of all materials" if x["material"] == "all" else ""  # else the series' name gives its material
    imported = f"{names.possessive(str(m['region']))} imports from {supplier}"  # of the exports' material
    if m["material"] != x["material"]:  # a part of the exports' "all"
        imported += f" ({names.material_text(str(m['material']))})"
    return (
        f" The record's two counts disagree: {escape(exported)}, {_amount('t', float(x['value']))}{of_all} in "
        f"{escape(_when(x['date'], x['period']))}, are less than the {_amount('t', float(m['value']))} of "
        f"{escape(imported)} alone, because the first is {escape(first)} and the second what "
        f"{escape(region)} reported importing, and {why}: no one value of the model can match both."
    )


def unrecorded_after(
    table: pd.DataFrame, scenario: Scenario, materials: list[str] | None = None
) -> list[tuple[str, dt.date]]:
    """Each world-price series of the record whose rows stop before the run's last day, with the last day they cover.

    ``(material, last day)`` in the record's order of materials (those of ``materials`` only, when given):
    the record says nothing of the model's world price of that material after that day, to the run's last
    day. The replay's light rare earths end on 31 Dec 2011 (a day's row) and the run on 30 Jun 2012; the
    heavy series' last row is the month of June 2012, which covers the run to its end.
    """
    world = table[(table["quantity"] == "price") & (table["region"] == "world")]
    out = []
    for material, rows in world.groupby("material", sort=False):
        last = int(rows["end_day"].max())  # the day after the last one the rows cover
        if (materials is None or material in materials) and last < scenario.horizon_days:
            out.append((str(material), scenario.start_date + dt.timedelta(days=last - 1)))
    return out


def untested_clause(
    table: pd.DataFrame,
    scenario: Scenario,
    materials: list[str] | None = None,
    last_prices: dict[str, float] | None = None,
    valued: str = "",
) -> str:
    """A sentence saying which of the model's world prices the record does not test, after when (HTML), or "".

    Said when a world-price series of the record stops before the run's last day (:func:`unrecorded_after`):
    its model prices after that are not set against anything, nor the last day's price, at which the
    report values stock still held at the end. ``last_prices``: the model's world price of each material
    on the run's last day, given after the date when there is one, followed by ``valued`` (what that price
    values, ``", at which what members still own is valued"``) when given.

    `` The record has no world price of light rare earths after 31 Dec 2011, so it does not test the model's price
    of them from then to the run's last day, 30 Jun 2012 (109.2 USD/kg).``
    """
    gaps = unrecorded_after(table, scenario, materials)
    if not gaps:
        return ""
    names = Names.of(scenario)
    each = " or of ".join(f"{names.material_text(m)} after {_when(day, 'day')}" for m, day in gaps)
    last = _when(scenario.start_date + dt.timedelta(days=scenario.horizon_days - 1), "day")
    shown = [
        f"{names.material_text(m)} " * (len(gaps) > 1) + f"{price(last_prices[m])}{NBSP}USD/kg"
        for m, _ in gaps
        if last_prices and m in last_prices
    ]
    values = f" ({'; '.join(shown)}{valued})" if shown else ""
    them = "price of them from then" if len(gaps) == 1 else "prices of them from those days"
    return (
        f" The record has no world price of {escape(each)}, so it does not test the model's {them} to the run's "
        f"last day, {last}{values}."
    )


def start_gap_sentence(table: pd.DataFrame, scenario: Scenario) -> str:
    """That the model's world prices start below the record's first prices, a sentence (HTML), or "".

    A market's world price starts at its reference price on the run's first day
    (:func:`simulator.scenario.checks.reference_price`). Where the record's earliest world-price row of a
    material with a market (the first to start; of equal starts, the first in the record) is above it, a
    reader meets the model's price path below the record from the start: the replay's reference is the
    Q1-2010 price, and the record's Q3-2010 mean of light rare earths is already 2.6 times it. Materials in
    the scenario's order. `` The model starts each world price at its reference on the run's first day,
    1 Jul 2010, below the record's first price: light rare earths 13.13 USD/kg against 34 USD/kg over Q3 2010
    (the record's price is 2.6 times the model's start) and heavy rare earths 156.5 USD/kg against 280 USD/kg on
    26 Jul 2010 (the record's price is 1.8 times the model's start).`` Each ratio names what it sets against what:
    a bare "2.6 times it" read as the model's price 2.6 times the record's.
    """
    world = table[(table["quantity"] == "price") & (table["region"] == "world")]
    names = Names.of(scenario)
    gaps = []
    for material in scenario.materials:
        rows = world[world["material"] == material]
        reference = reference_price(scenario, material) if material in scenario.market else None
        if reference is None or rows.empty:
            continue
        first = rows.loc[rows["first_day"].idxmin()]
        recorded = float(first["value"])
        if recorded < reference or price(recorded) == price(reference):
            continue
        on = "on" if first["period"] == "day" else "over"
        gaps.append(
            f"{names.material_text(material)} {price(reference)}{NBSP}USD/kg against {price(recorded)}{NBSP}USD/kg "
            f"{on} {_when(first['date'], first['period'])} (the record's price is {recorded / reference:.1f} times the "
            "model's start)"
        )
    if not gaps:
        return ""
    each = "each world price" if len(gaps) > 1 else "the world price"
    return escape(
        f" The model starts {each} at its reference on the run's first day, {_when(scenario.start_date, 'day')}, "
        f"below the record's first price: {join_words(gaps)}.",
        quote=False,
    )


FLOW_OFF = 1.5
"""A year's rows of a flow are matched when the model is within this factor of the record on each, and off when it is
beyond it on each, the same way (:func:`fall_sentence`)."""

FLOWS = ("imports", "exports", "demand")
"""The quantities :func:`fall_sentence` looks at: flows, whose record can fall from one year to the next."""


def _span(ratios: pd.Series) -> str:
    """``2.03 to 2.57 times``, ``2.57 times`` (one value): the model's values over the record's."""
    low, high = f"{ratios.min():.2f}", f"{ratios.max():.2f}"
    return f"{low} times" if low == high else f"{low} to {high} times"


def fall_sentence(table: pd.DataFrame, scenario: Scenario) -> str:
    """A sentence when a flow the record gives falls from one year to a later one and the model does not (HTML).

    It looks at the rows the worst-series sentence judges (the held-out ones when the record holds some out, else
    all) whose source gives them (not :data:`MADE`) and that are flows (imports, exports, demand), series by series,
    the ones missed most first. A series says it when on its rows of one calendar year (of their start) the model is
    within :data:`FLOW_OFF` of the record on each, and on those of a later year above it by more than that on each,
    while the record's mean daily rate of the later year's rows is below the earlier one's: the record fell and the
    model did not follow (and likewise below it, for a rise). "" when no series shows it.

    `` The model does not reproduce the fall in Japan's imports from China, all materials, that the record shows from
    2011 to 2012: on its held-out rows it has 0.77 to 1.08 times the record in 2011 but 2.03 to 2.57 times in 2012.``

    The fall is named by its series (:func:`~simulator.calibrate.series_name`, as the table and the other sentences
    name it), not by a kind of flow: a fall in imports is not a fall in demand, which the record may give apart and
    the model may match (the replay's Japan's demand in 2011, within 2%).
    """
    inside = table["in_sample"].astype(bool)
    held = bool((~inside).any()) and not bool(inside.all())
    rows = table[~inside] if held else table
    given = made_rows(rows) == ""
    rows = rows[given & rows["quantity"].isin(list(FLOWS)) & (rows["value"] > 0)]
    if rows.empty:
        return ""
    rows = rows.assign(
        ratio=rows["model"] / rows["value"],
        rate=rows["value"] / (rows["end_day"] - rows["first_day"]).clip(lower=1),
        year=[d.year for d in rows["date"]],
        key=series_keys(rows),
    )
    order = sorted(rows.groupby("key", sort=False), key=lambda kv: -float((kv[1]["log_error"] ** 2).mean()))
    names, regions = Names.of(scenario), list(scenario.regions)
    for key, group in order:
        years = [(year, part) for year, part in group.groupby("year")]
        for k, (year, part) in enumerate(years):
            for before, earlier in years[:k]:
                matched = bool(((earlier["ratio"] <= FLOW_OFF) & (earlier["ratio"] >= 1 / FLOW_OFF)).all())
                over, under = bool((part["ratio"] > FLOW_OFF).all()), bool((part["ratio"] < 1 / FLOW_OFF).all())
                fell = part["rate"].mean() < earlier["rate"].mean()
                if not matched or not ((over and fell) or (under and not fell)):
                    continue
                which = "held-out rows" if held else "rows"
                name = escape(series_name(*key, names, regions))
                return (
                    f" The model does not reproduce the {'fall' if over else 'rise'} in {name}, that the record "
                    f"shows from {before} to {year}: on its {which} it has {_span(earlier['ratio'])} the record in "
                    f"{before} but {_span(part['ratio'])} in {year}."
                )
    return ""


def fitted_only_sentence(series: list[SeriesError]) -> str:
    """The series none of whose rows is held out: their errors test nothing ("" when there are none, or no marks)."""
    held = {s.key for s in series if s.sample == "out"}
    only = [escape(s.name) for s in series if s.sample == "in" and s.key not in held]
    if not only or not held:  # with no row held out the worst sentence says so
        return ""
    if len(only) == 1:
        return f" The series {only[0]} has no held-out row: its error is in sample, how closely the fit could match it."
    return (
        f" {len(only)} series have no held-out row ({'; '.join(only)}): their errors are in sample, how closely the "
        "fit could match them."
    )


FAR_OFF = 0.25
"""A held-out price row the model misses by more than this share of the record's value is named in
:func:`held_out_prices_sentence` (at most :data:`NAMED_ROWS` a material, the worst first)."""
NAMED_ROWS = 2
"""Most held-out price rows :func:`held_out_prices_sentence` names for one material."""
AT_BOUND = 0.02
"""A fitted value within this share of its range's width of one end of the range sits at its bound
(:func:`bound_clause`): the search stopped there, and the record may have wanted it further."""


def _number_at(scenario: Scenario, path: str) -> float | None:
    """The scenario's value at a dotted ``path`` as a number; None where the path leads nowhere or to no number."""
    try:
        node = value_at(scenario, path)
    except KeyError:
        return None
    return float(node) if isinstance(node, int | float) and not isinstance(node, bool) else None


def _number(value: float) -> str:
    """A parameter's value as the sentence gives it: ``177``, ``0.7``, ``1,488``, ``0.0145``."""
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.0f}"


def bound_clause(fit: HeldOutFit, scenario: Scenario) -> str:
    """Which of this run's values of the fitted parameters sit at a bound of the range the fit searches (HTML), or "".

    A value within :data:`AT_BOUND` of the range's width from its low or high end (every path of a shared parameter
    the same). `` This run's market.light_ree.price.adjustment_days (and market.heavy_ree.price.adjustment_days),
    177, at the top of the range the fit searches (5 to 180; fitted with the late prices held out: 17.3)``: the
    held-out fit's value of the parameter, where it is not at a bound too.
    """
    found = []
    for parameter in fit.parameters:
        values = {_number_at(scenario, path) for path in parameter.paths}
        if len(values) != 1 or None in values:
            continue
        (value,) = values
        assert value is not None
        width = parameter.high - parameter.low
        if not parameter.low <= value <= parameter.high or width <= 0:
            continue
        end = (
            "top"
            if parameter.high - value <= AT_BOUND * width
            else "bottom"
            if value - parameter.low <= AT_BOUND * width
            else ""
        )
        if not end:
            continue
        twins = (
            f" (and {join_words([f'<code>{escape(p)}</code>' for p in parameter.paths[1:]])})"
            if parameter.paths[1:]
            else ""
        )
        held = parameter.fitted
        held_at_bound = min(parameter.high - held, held - parameter.low) <= AT_BOUND * width
        then = "" if held_at_bound else f"; fitted with the late prices held out: {_number(held)}"
        found.append(
            f"<code>{escape(parameter.paths[0])}</code>{twins}, {_number(value)}, at the {end} of the range the fit "
            f"searches ({_number(parameter.low)} to {_number(parameter.high)}{then})"
        )
    if not found:
        return ""
    return (
        f" This run\u2019s values of {'a parameter' if len(found) == 1 else 'parameters'} the shipped fit set "
        f"sit at a bound of the range it searched: {'; '.join(found)}. A value at its bound is where the search "
        "stopped, not where the record put it."
    )


def held_out_prices_sentence(
    table: pd.DataFrame,
    scenario: Scenario,
    source: str,
    fit: HeldOutFit = HELD_OUT_PRICES_2010,
    *,
    marked: bool = True,
) -> str:
    """How far a fit with the late prices held out misses them, when the record holds out none of its prices (HTML).

    The record's ``sample`` marks may fit every price (the 2010 record does: its 13 price rows are all ``in``), and
    then the price match of the section tests nothing. The test is ``fit``: the same fit made with the prices of
    its window held out as well (:data:`simulator.calibrate.HELD_OUT_PRICES_2010`, ``make calibrate-holdout``).
    A report does not refit (minutes) nor run the fit's parameters (about 0.5 s); it takes the model's value of
    each held-out row from the fit's output and the record's value from this record, and says for each material
    the rows' RMS log error and the rows missed by more than :data:`FAR_OFF`. "" unless the record is the fit's
    (its file name, each held-out row found once) and marks no price row held out; then
    :func:`bound_clause` follows. ``marked``: whether the record has its ``sample`` marks (:attr:`Record.marked`);
    a copy without them, its rows all counted in sample, marks no fit: "" (the sentence speaks of the fit it marks).
    """
    prices = table[table["quantity"] == "price"]
    if (
        not marked
        or prices.empty
        or not bool(prices["in_sample"].astype(bool).all())
        or Path(source).name != fit.record
    ):
        return ""
    names = Names.of(scenario)
    found: dict[str, list[tuple[pd.Series, float]]] = {}
    for quantity, region, material, date, model in fit.held_out:
        day = dt.date.fromisoformat(date)
        match = table[
            (table["quantity"] == quantity)
            & (table["region"] == region)
            & (table["material"] == material)
            & (table["date"] == day)
        ]
        if len(match) != 1:
            return ""
        found.setdefault(material, []).append((match.iloc[0], model))
    parts = []
    for material in [m for m in scenario.materials if m in found] + [m for m in found if m not in scenario.materials]:
        rows = found[material]
        errors = [math.log(model / float(row["value"])) for row, model in rows]
        rms = math.sqrt(sum(e * e for e in errors) / len(errors))
        missed = sorted(
            ((abs(model / float(row["value"]) - 1), row, model) for row, model in rows), key=lambda m: -m[0]
        )
        named = [
            f"{_when(row['date'], row['period'])} by {off:.0%} ({price(model)}{NBSP}USD/kg against "
            f"{price(float(row['value']))}{NBSP}USD/kg)"
            for off, row, model in missed[:NAMED_ROWS]
            if off > FAR_OFF
        ]
        what = f"{names.material_text(material)}\u2019 {len(rows)} held-out {'price' if len(rows) == 1 else 'prices'}"
        parts.append(
            f"{what} by an RMS log error of {rms:.2f} (a factor of about {math.exp(rms):.2f})"
            + (f": {join_words(named)}" if named else "")
        )
    window = fit.hold_out.split("@", 1)[-1].split(":")
    first = _when(dt.date.fromisoformat(window[0]), "day")
    return (
        f" No price row of this record is held out of the fit it marks ({len(prices)} fitted), so the prices\u2019 "
        "match above tests nothing. Held out, they are missed: fitted again with the record\u2019s prices from "
        f"{escape(first)} on held out as well (<code>{escape(fit.command)}</code>, "
        f"<code>{_breakable(fit.source)}</code>; a cross-check no scenario ships), the model misses "
        f"{escape('; and '.join(parts) if len(parts) < 3 else '; '.join(parts), quote=False)}."
        f"{bound_clause(fit, scenario)}"
    )


def _row(s: SeriesError, marked: bool) -> str:
    """A line of the table: a series' rows (its fitted or held-out rows, with ``marked``)."""
    sample = f' data-sample="{s.sample}"' if marked else ""
    fit = f'<td data-label="Fit">{SAMPLE_WORDS[s.sample].replace(" ", NBSP)}</td>' if marked else ""
    return (
        f'<tr data-series="{escape("/".join(s.key))}"{sample}><th>{escape(cap(s.name))}</th>{fit}'
        f'<td data-label="Rows">{s.rows}{f"<br><small>{_made_words(s)}</small>" if s.made else ""}</td>'
        f'<td data-label="Covering">{escape(s.covers)}</td>'
        f'<td data-label="When">{escape(s.when)}</td>'
        f'<td data-label="Record">{_amount(s.unit, s.recorded)}</td>'
        f'<td data-label="Model">{_amount(s.unit, s.model)}</td>'
        f'<td data-label="RMS log error">{s.rms_log_error:.2f}</td>'
        f'<td data-label="Typical factor">{s.factor:.2f}</td></tr>'
    )


TABLE_NAME = "Each series against the record"
"""The section's table's name: its caption, and its scroll region's."""


def _table(series: list[SeriesError]) -> str:
    """The section's table, captioned, in the region it scrolls sideways in on a narrow screen (HTML)."""
    marked = any(s.sample for s in series)
    rows = "".join(_row(s, marked) for s in series)
    apart = ", its fitted and held-out rows apart" if marked else ""
    table = (
        f'<table class="record">{caption(TABLE_NAME + apart)}<thead><tr><th>Series</th>'
        f"{'<th>Fit</th>' if marked else ''}<th>Rows</th>"
        '<th>Covering</th><th colspan="3">On the row the model misses most: when, record, model</th>'
        "<th>RMS log error</th><th>Typical factor (exp RMS)</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return scroll_region(table, TABLE_NAME)


def _breakable(path: str) -> str:
    """A file path escaped, with a place to break the line after each slash (a long path fits a phone)."""
    return "/<wbr>".join(escape(part) for part in path.split("/"))


_PERIOD_NOUNS = {
    "day": ("a day", "days"),
    "month": ("a month", "months"),
    "quarter": ("a quarter", "quarters"),
    "half": ("a half-year", "half-years"),
    "year": ("a year", "years"),
}
"""A row's period in words, (one row, several rows): the mixed-period note names those it finds."""


def _mixed_note(table: pd.DataFrame) -> str:
    """A note for a series whose rows are over periods of different lengths ("" when none is).

    It names the periods of those series' rows (``months and a year``) and, when one of them
    is a flow (tonnes summed over the period), says that its rows differ in size with their
    periods: a price is a mean and a stock a day's, so neither grows with the period.
    """
    periods: dict[tuple[str, str, str, str], list[str]] = {}
    for key, period in zip(series_keys(table), table["period"], strict=True):
        periods.setdefault(key, []).append(period)
    mixed = {key: found for key, found in periods.items() if len(set(found)) > 1}
    if not mixed:
        return ""
    rows = [period for found in mixed.values() for period in found]
    words = [_PERIOD_NOUNS[p][rows.count(p) > 1] for p in PERIODS if p in rows]
    flows = any(key[0] not in ("price", "stocks") for key in mixed)
    total = (
        "; a flow's row is the total over its own period, so rows of different lengths differ in size" if flows else ""
    )
    return (
        f" A series whose rows cover periods of different lengths ({join_words(words)}) is compared row by row{total}."
    )


def _fit_note(record: Record, table: pd.DataFrame, series: list[SeriesError]) -> str:
    """What the record says of a fit: which rows were fitted and which held out, or that it does not say (HTML)."""
    if not record.marked:
        return (
            " The report fits nothing, and the record does not say which of its rows, if any, the scenario's "
            "parameters were fitted to (it has no <code>sample</code> column): an error may be in sample, and a "
            "fitted row tests nothing."
        )
    fitted = int(table["in_sample"].sum())
    held_made = made_rows(table[~table["in_sample"].astype(bool)])
    kinds = [prefix for prefix in MADE if (held_made == prefix).any()]
    trust = "Their error is the one to trust"
    if kinds:
        begins = " or ".join(f"<code>{p}</code>" for p in kinds)
        trust += (
            f", as far as the held-out rows are figures their sources give: {int((held_made != '').sum())} of them "
            f"are not (their source begins {begins}), and the error of such a row measures how it was made as well "
            "as the model"
        )
    return (
        " The report fits nothing, but the record marks which rows a fit to it uses (its <code>sample</code> "
        f"column): {fitted} fitted, {len(table) - fitted} held out. <code>stockpile calibrate</code> holds out the "
        "same rows, so a scenario fitted to this record was fitted to the first and not to the second: a fitted "
        "row\u2019s error says how closely the fit could match it, and only the held-out rows test the model. "
        f"{trust}.{fitted_only_sentence(series)}"
    )


def forecasts_left_out(table: pd.DataFrame, scenario: Scenario) -> tuple[pd.DataFrame, str]:
    """The rows the section's figure draws, and a caption sentence naming the forecasts it leaves out ("" if none).

    A row whose ``source`` begins ``FORECAST`` (:data:`MADE`) is what was expected at the time, not what was
    recorded: drawn as a red record bar, the 2010 record's forecast of Japan's 2011 demand (23,000 t) read as a
    count. The figure leaves such rows out (the table keeps them, counted as a forecast); where every row is one,
    it draws them all and says so.
    """
    forecast = (made_rows(table) == "FORECAST").to_numpy()
    if not forecast.any():
        return table, ""
    names, regions = Names.of(scenario), list(scenario.regions)
    rows = [
        f"{series_name(r.quantity, r.region, r.material, r.supplier, names, regions)}, {_when(r.date, r.period)} "
        f"({_amount(RECORD_UNITS[r.quantity], r.value)}; the model {_amount(RECORD_UNITS[r.quantity], r.model)})"
        for r in table[forecast].itertuples()
    ]
    listed, one = escape(join_words(rows), quote=False), len(rows) == 1
    if forecast.all():
        return table, f" Every row of the record is a forecast, not recorded (its source begins FORECAST): {listed}."
    return table[~forecast], (
        f" Not drawn, because {'it is a forecast' if one else 'they are forecasts'} made at the time, not recorded "
        f"(the source begins \u201cFORECAST\u201d; the table counts {'it' if one else 'them'}): {listed}."
    )


def record_figure(table: pd.DataFrame, scenario: Scenario, marked: bool) -> Any:
    """The section's figure (:func:`simulator.calibrate.fit_figure`) of the rows it draws.

    The rows: all but the forecasts (:func:`forecasts_left_out`), whose note the caption carries
    (:func:`record_section` takes it from there, drawn or not).
    """
    drawn = forecasts_left_out(table, scenario)[0]
    return fit_figure(drawn, scenario, width_in=REPORT_WIDTH_IN, columns=REPORT_COLUMNS, fitted_rows=marked)


def _held_out_paragraph(sentence: str) -> list[str]:
    """The held-out price test (:func:`held_out_prices_sentence`) as a paragraph of its own, or nothing."""
    return [f'<p class="overall" data-held-out="price">{sentence.strip()}</p>'] if sentence else []


def record_section(run: Run, record: Record, table: pd.DataFrame | None = None, figures: bool = True) -> str:
    """The section "Against the record" (HTML); ``table``: :func:`against_record`'s, when already made.

    ``figures``: whether its figure is drawn (``render_report``'s; False keeps its ``<figure>`` and caption).
    """
    result = run.result
    table = against_record(result, record) if table is None else table
    series = series_errors(table, result.scenario, record.marked)
    left_out = forecasts_left_out(table, result.scenario)[1]
    svg = figure_svg(
        lambda: record_figure(table, result.scenario, record.marked),
        "record",
        "The run against the record",
        figures,
        caption_id("record"),
    )
    history = (
        " The record is what happened, without this scenario's joint stock: where the run departs from history "
        "(the joint stock, a change made for this run) the gap measures that as well as the model."
        if result.scenario.agreement is not None
        else ""
    )
    has_stocks = bool((table["quantity"] == "stocks").any())  # a stock is the period's last day, not a mean
    stocks = ", or the commercial stock on the period's last day (stocks)" if has_stocks else ""
    red = "the record, filled where fitted and hollow where held out" if record.marked else "the record"
    return "\n".join(
        [
            '<section id="record"><h2>Against the record</h2>',
            f'<p class="note">The run set against the record <code>{_breakable(record.source)}</code> '
            f"({len(record.rows)} rows): the model's value of a row is its mean (prices) or total (flows) over the "
            f"row's period{stocks}, from this run's scenario and seed, as <code>stockpile calibrate</code> computes "
            f"it.{_fit_note(record, table, series)}{history}</p>",
            f'<figure data-figure="record"><div class="scroll">{svg}</div><figcaption id="{caption_id("record")}">'
            f"{record_words(series)} Red: {red}; blue diamonds: the model's mean or total over each recorded "
            f"period{' (for stocks, the stock on its last day)' if has_stocks else ''}, drawn at the period's "
            f"date (its path between them is not shown).{left_out} Prices on a log scale."
            f"{start_gap_sentence(table, result.scenario)}{untested_clause(table, result.scenario)}"
            "</figcaption></figure>",
            _table(series),
            f'<p class="overall">{worst_sentence(series)}'
            f"{detail(mirror_sentence(table, result.scenario) + fall_sentence(table, result.scenario))}</p>",
            *_held_out_paragraph(held_out_prices_sentence(table, result.scenario, record.source, marked=record.marked)),
            '<p class="note">A row\u2019s error is ln(model / record); the RMS log error of a series is the root of '
            "their mean square, and exp of it is the factor by which the model is typically off the record, above "
            f"or below (0.30: a factor of 1.35).{_mixed_note(table)}</p>",
            "</section>",
        ]
    )
