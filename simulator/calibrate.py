"""Calibration: fit scenario parameters to recorded series; report the error out of sample.

Layer: studies. A *record* is a CSV of observations, one per row: ``date, quantity,
region, material, value`` (plus optional ``supplier``, ``period``, ``weight``, ``unit``,
``sample``, ``source``, ``note``). The model's value for a row is computed from the fast path's
daily curves:

==========  =========================================================  ==============
quantity    model value                                                default period
==========  =========================================================  ==============
price       price paid by ``region`` (``world``: the world price),     day
            mean over the period
imports     arrivals in ``region`` from ``supplier`` (all when blank),  month
            summed over the period
exports     shipments from ``supplier`` to all regions, summed          month
            (``region`` is ``all``)
demand      realised demand of ``region``, summed over the period       month
stocks      commercial stock of ``region`` on the period's last day     day
==========  =========================================================  ==============

``material`` may be ``all`` (summed over materials) for every quantity but price;
``period`` is ``day``, ``month``, ``quarter``, ``half`` or ``year``.

The error of a row is ``ln(model / record)``; a *series* is the rows of one
(quantity, region, material, supplier). The objective is the mean over the fitted
series of each series' mean squared log error (times its rows' ``weight``), so a long
monthly series does not outweigh a few yearly points. Rows in a hold-out window, and rows
whose ``sample`` is ``out``, are left out of the objective and reported out of sample; a
record with a ``sample`` column says in every row whether a fit to it uses the row (``in``)
or holds it out (``out``), so the rows held out of a shipped fit live with the record and a
report set against it (:mod:`simulator.report.record`) marks the same rows. The optimiser is SciPy's differential
evolution with a vectorised population: each generation's parameter sets are simulated
together by the batched fast path (in worker processes with ``workers > 1``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.errors import InputError, Problem, ScenarioError, setting
from simulator.fastpath import run_batch
from simulator.names import Names, cap, join_words, plural, price_text
from simulator.numeric import ordered_sum
from simulator.plan import compile_plan, stack_plans
from simulator.quantities import daily
from simulator.randomness import draw_batch
from simulator.results import Result
from simulator.scenario import Scenario, apply_overrides, validate_data
from simulator.scenario.load import read_input, refuse_file_followed_by_slash
from simulator.scenario.schema import MAX_SEED, MAX_TONNES, MAX_USD_PER_KG, MAX_WEIGHT
from simulator.scenario.yaml_messages import not_utf8
from simulator.sweep.grid import ISO_DATE
from simulator.sweep.runner import MAX_RUNS
from simulator.workers import pool_size

QUANTITIES = {
    "price": ("price_usd_per_kg", "day"),
    "imports": ("arrivals_by_supplier_t", "month"),
    "exports": ("shipped_by_supplier_t", "month"),
    "demand": ("demand_t", "month"),
    "stocks": ("commercial_stock_t", "day"),
}
"""Record quantity -> (the model's daily quantity, default period)."""
RECORD_UNITS = {"price": "USD/kg", "imports": "t", "exports": "t", "demand": "t", "stocks": "t"}
"""The unit a record's ``value`` is in, by quantity: a ``unit`` cell, when given, must say it."""
RECORD_LIMITS = {"USD/kg": MAX_USD_PER_KG, "t": MAX_TONNES}
"""Largest value a record may give, by unit: the scenario's own limits on a price and on a stock of tonnes."""
MAX_RECORD_BYTES = 10_000_000
"""Largest record read, like a scenario file (the shipped record is about 9 kB, 60 rows;
10 MB holds some 100,000 rows, each simulated at every generation of a fit)."""
PERIODS = ("day", "month", "quarter", "half", "year")
SAMPLES = {"in": True, "out": False}
"""A record's ``sample`` cell -> whether a fit uses the row (``in``) or holds it out (``out``)."""
REQUIRED = ("date", "quantity", "region", "material", "value")
REPORTED_COLUMNS = ("source", "confidence")
"""The columns a report reads beside a fit's (where each figure of the record comes from, how sure it is)."""
READ_COLUMNS = (*REQUIRED, "supplier", "period", "weight", "unit", "sample", *REPORTED_COLUMNS)
"""Every column whose cells are read, by its exact name: a fit reads the first ten and ``source`` (:data:`MADE`), a
report also ``confidence``; any other column is a note, carried along unread."""
MADE = {"DERIVED": "derived", "FORECAST": "a forecast"}
"""How a row's ``source`` begins when its value is not a figure its source gives: made from other figures
(``DERIVED``) or a forecast made at the time rather than a count (``FORECAST``); a report's word for each. A fit
counts such rows apart (:func:`error_table`, :func:`held_out_summary`) and ``fit.png`` leaves forecasts out
(:func:`fit_figure`); any other row is *given*: a figure its source gives, a count for a flow."""

PROBLEMS_SHOWN = 10
"""The most problems of a record's rows named, one a line; past them, how many more (:func:`_at_most`)."""
TINY = 1e-9
"""Added to both sides of a log error, so a zero in the model does not give infinity."""


@dataclass(frozen=True)
class Parameter:
    """A fitted parameter: one value written to one or more scenario paths, within bounds."""

    paths: tuple[str, ...]
    low: float
    high: float

    @property
    def name(self) -> str:
        """The paths joined by commas, as given on the command line."""
        return ",".join(self.paths)


@dataclass(frozen=True)
class HoldOut:
    """Rows left out of the fit: of one quantity (or all) between two dates (inclusive)."""

    quantity: str | None
    first: dt.date
    last: dt.date

    def holds(self, quantity: str, when: dt.date) -> bool:
        """Whether a row of ``quantity`` on ``when`` is held out."""
        return (self.quantity is None or self.quantity == quantity) and self.first <= when <= self.last


def parse_parameter(text: str, declared: dict[str, tuple[float, float]] | None = None) -> Parameter:
    """``PATH[,PATH...]=LOW:HIGH``, or ``PATH`` with the range declared in the scenario's ``uncertain`` block."""
    paths_text, sep, bounds = text.partition("=")
    paths = tuple(p.strip() for p in paths_text.split(",") if p.strip())
    if not paths:
        raise InputError(f"--fit {text!r}: give PATH=LOW:HIGH")
    if not sep:
        ranges = [declared.get(p) for p in paths] if declared else [None]
        if any(r is None for r in ranges) or len(set(ranges)) != 1:
            raise InputError(
                f"--fit {text!r}: no range: give PATH=LOW:HIGH or declare it in the scenario's uncertain block"
            )
        low, high = ranges[0]  # type: ignore[misc]
        return Parameter(paths, float(low), float(high))
    low_text, colon, high_text = bounds.partition(":")
    try:
        low, high = float(low_text), float(high_text)
    except ValueError:
        raise InputError(f"--fit {text!r}: the range must be two numbers LOW:HIGH") from None
    if not colon or not (math.isfinite(low) and math.isfinite(high)) or not low < high:
        raise InputError(f"--fit {text!r}: the range must be finite numbers with LOW < HIGH")
    return Parameter(paths, low, high)


def parse_hold_out(text: str) -> HoldOut:
    """``[QUANTITY@]FROM:TO`` with ISO dates."""
    quantity, at, window = text.rpartition("@")
    first_text, colon, last_text = window.partition(":")
    dates, wrong = [], {}
    for part in (first_text.strip(), last_text.strip()):
        try:
            dates.append(dt.date.fromisoformat(part))
        except ValueError as exc:
            wrong[part] = exc
    for part, exc in wrong.items():
        if ISO_DATE.fullmatch(part):  # written as a date, but no such day: say why
            raise InputError(f"--hold-out {text!r}: not a valid date '{part}': {exc}")
    if wrong:
        raise InputError(f"--hold-out {text!r}: write [QUANTITY@]YYYY-MM-DD:YYYY-MM-DD")
    first, last = dates
    if not colon or last < first:
        raise InputError(f"--hold-out {text!r}: the window must end on or after its start")
    if at and quantity not in QUANTITIES:
        raise InputError(f"--hold-out {text!r}: unknown quantity '{quantity}' (known: {', '.join(QUANTITIES)})")
    return HoldOut(quantity or None, first, last)


def hold_out_windows(texts: tuple[str, ...], record: pd.DataFrame, source: str) -> list[HoldOut]:
    """The ``--hold-out`` windows ``texts`` (:func:`parse_hold_out`), each holding a row of ``record``.

    ``source`` is the record's file, named in the message.

    A window that holds none (a year mistyped, a quantity the record has no rows of) would change
    nothing in the fit, though calibration.json lists it: refused, naming the option and the record.
    """
    windows = []
    for text in texts:
        window = parse_hold_out(text)
        if not any(window.holds(q, d) for q, d in zip(record["quantity"], record["date"], strict=True)):
            kind = f"{window.quantity} " if window.quantity else ""
            dates = record.loc[record["quantity"] == window.quantity, "date"] if kind else record["date"]
            told = f"its {kind}rows are dated {min(dates)} to {max(dates)}" if len(dates) else f"it has no {kind}rows"
            raise InputError(f"--hold-out {text!r}: holds no row of the record: {told}", source)
        windows.append(window)
    return windows


def _period_end(start: dt.date, period: str) -> dt.date:
    """The first day after a period that starts on ``start`` (months counted from its day of the month).

    >>> _period_end(dt.date(2010, 11, 1), "quarter"), _period_end(dt.date(2010, 1, 31), "month")
    (datetime.date(2011, 2, 1), datetime.date(2010, 2, 28))
    """
    if period == "day":
        return start + dt.timedelta(days=1)
    months = {"month": 1, "quarter": 3, "half": 6, "year": 12}[period]
    total = start.month - 1 + months
    year, month = start.year + total // 12, total % 12 + 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(start.day, last_day))


def _long_rows(reader: Any, columns: int) -> list[Problem]:
    """Rows of ``reader`` (after the header) with a value beyond the header's ``columns``.

    Empty cells there are a spreadsheet's trailing commas and are dropped; a value would be read into no column.
    A quote that does not end its value (``reader`` is strict) raises :class:`InputError` naming the row
    and the line it starts on: read on, the value would take in the next rows. So does a closing quote
    followed by anything but a comma or the line's end (``"x" ,2``), worded for that.

    >>> [p.render("r.csv") for p in _long_rows(csv.reader(["1,2,", "", "1,2,x"]), 2)]
    ['r.csv: row 3: 3 values, but the header names 2 columns: a value beyond them belongs to none']
    >>> reader = csv.reader(["a,b", "1,2", '2,"x', "3,4", '4,"y"'], strict=True)
    >>> _ = next(reader)  # the header
    >>> try:
    ...     _long_rows(reader, 2)
    ... except InputError as exc:
    ...     print(exc.problems[0].path, "|", exc.problems[0].message[:59])
    row 3 | the quoted value on line 3 does not end with a quote before
    """
    problems = []
    k, ended = 0, reader.line_num
    try:
        for row in reader:
            if row:  # as pandas, blank lines are no rows
                if any(cell.strip() for cell in row[columns:]):
                    told = f"{len(row)} values, but the header names {plural(columns, 'column')}"
                    problems.append(Problem(f"row {k + 2}", f"{told}: a value beyond them belongs to none"))
                k += 1
            ended = reader.line_num
    except csv.Error as exc:
        if "expected after" in str(exc) and reader.line_num == ended + 1:  # the quote closed on its own line
            told = (
                f"on line {ended + 1}, a quote must be followed by a comma or the line's end: take out what "
                'follows the closing quote (such as a space before the comma); a quote inside a value is written ""'
            )
        else:  # a quote left open: read on, the value would take in the next rows
            why = "the file ends inside it" if "end of data" in str(exc) else f"{exc}, line {reader.line_num}"
            told = (
                f"the quoted value on line {ended + 1} does not end with a quote before a comma or the line's end "
                f'({why}): close its quote (a quote inside a value is written "")'
            )
        raise InputError([Problem(f"row {k + 2}", told)]) from None
    return problems


def _observed_twice(rows: list[dict[str, Any]]) -> list[Problem]:
    """Rows observing what an earlier row observes (date, quantity, region, material, supplier, period).

    Each would count in its series' error again, as if two observations agreed.

    >>> row = {"date": "2011-01-01", "quantity": "price", "region": "world", "material": "ree", "supplier": "",
    ...        "period": "day"}
    >>> [p.render("r.csv") for p in _observed_twice([row, {**row, "period": "month"}, row])]
    ['r.csv: row 4: repeats row 2 (2011-01-01, price, world, ree, day): keep one, or give each half the weight']
    """
    keys = ("date", "quantity", "region", "material", "supplier", "period")
    first: dict[tuple[Any, ...], int] = {}
    problems = []
    for k, row in enumerate(rows):
        key = tuple(row[name] for name in keys)
        if key in first:
            said = ", ".join(str(part) for part in key if part != "")
            told = f"repeats row {first[key] + 2} ({said}): keep one, or give each half the weight"
            problems.append(Problem(f"row {k + 2}", told))
        else:
            first[key] = k
    return problems


def read_record(path: Path | str, scenario: Scenario, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """The record's rows, checked against the scenario: every problem names the file, row and field.

    The file is read once and decoded once: pandas (the rows) and the csv module (the
    header's names as written) read the same text. ``keep``: columns of the file carried
    along as written, a row each, when the file has them (``source``, which tells a fit and a
    report the rows made rather than given, :data:`MADE`; a report's ``confidence``). A file
    followed by a slash (``record.csv/``, ``path`` as written) is refused, not read.
    """
    source = str(path)
    refuse_file_followed_by_slash(path)
    data = read_input(Path(path), MAX_RECORD_BYTES, "a record")  # a regular file, capped at the bytes read
    try:
        text = data.decode("utf-8")  # the whole file: a bad byte is placed by line and column of the file
    except UnicodeDecodeError as exc:
        raise InputError(f"cannot read the record: {not_utf8(exc)}", source) from None
    try:
        # a leading BOM stays in pandas' text: it drops one itself, as it does from the file's bytes
        lines = io.StringIO(text.removeprefix("\ufeff"), newline="")  # as UTF-8-sig would read it
        reader = csv.reader(lines, strict=True)  # a quote left open must not take in the next rows
        header = next((row for row in reader if row), [])  # blank lines skipped
        named = [name.strip() for name in header]  # as written
        if header:  # before the rows: a file that is not a record is said to be one in one line
            _refuse_missing_columns(header, source)
        long_rows = _long_rows(reader, len(named))
        # only the header's columns: a spreadsheet's trailing commas would make pandas take the first as the index
        table = pd.read_csv(
            io.StringIO(text), dtype=str, keep_default_na=False, comment=None, usecols=range(len(named))
        )
    except pd.errors.EmptyDataError:
        raise InputError("the record is empty: it needs a header line and rows", source) from None
    except (csv.Error, pd.errors.ParserError) as exc:
        raise InputError(f"cannot read the record: {exc}", source) from None
    except InputError as exc:  # a quote left open (_long_rows): name the file
        raise InputError(exc.problems, source) from None
    if long_rows:
        raise InputError(_at_most(long_rows), source)
    twice = sorted({name for name in named if name and named.count(name) > 1})  # a trailing comma names none
    if twice:  # pandas would rename the second one and read only the first
        raise InputError(f"column(s) named twice: {', '.join(twice)}", source)
    if table.empty:
        raise InputError("the record has no rows", source)
    if scenario.start_date is None:
        raise InputError("the scenario needs a start_date to place dated records", source)
    problems: list[Problem] = []
    rows = []
    marked = "sample" in table.columns  # the record says which rows a fit uses
    kept = [name for name in keep if name in table.columns]
    regions, materials, suppliers = set(scenario.regions), set(scenario.materials), set(scenario.suppliers)
    for i, row in table.iterrows():
        where = f"row {int(str(i)) + 2}"  # the header is line 1
        quantity = row["quantity"].strip()
        if quantity not in QUANTITIES:
            problems.append(
                Problem(f"{where}.quantity", f"unknown quantity '{quantity}' (known: {', '.join(QUANTITIES)})")
            )
            continue
        try:
            when = dt.date.fromisoformat(row["date"].strip())
        except ValueError:
            problems.append(Problem(f"{where}.date", f"not a date: '{row['date']}' (write YYYY-MM-DD)"))
            continue
        try:
            value = float(row["value"])
        except ValueError:
            problems.append(Problem(f"{where}.value", f"not a number: '{row['value']}'"))
            continue
        if not math.isfinite(value) or value <= 0:
            problems.append(Problem(f"{where}.value", "must be a finite number above 0 (errors are in logs)"))
            continue
        limit = RECORD_LIMITS[RECORD_UNITS[quantity]]
        if value > limit:
            problems.append(
                Problem(
                    f"{where}.value",
                    f"{value:g} {RECORD_UNITS[quantity]} is more than a record can hold: at most {limit:g}",
                )
            )
            continue
        unit = (row.get("unit") or "").strip()
        if unit and unit != RECORD_UNITS[quantity]:
            problems.append(
                Problem(
                    f"{where}.unit",
                    f"'{unit}' is not the unit of {quantity}: write the value in {RECORD_UNITS[quantity]} "
                    "(no conversion is made)",
                )
            )
            continue
        period = (row.get("period") or "").strip() or QUANTITIES[quantity][1]
        if period not in PERIODS:
            problems.append(Problem(f"{where}.period", f"unknown period '{period}' (known: {', '.join(PERIODS)})"))
            continue
        region = row["region"].strip()
        material = row["material"].strip()
        supplier = (row.get("supplier") or "").strip()
        if quantity in ("price",) and region not in regions | {"world"}:
            problems.append(Problem(f"{where}.region", f"unknown region '{region}' (or 'world')"))
        elif quantity in ("imports", "demand", "stocks") and region not in regions:
            problems.append(Problem(f"{where}.region", f"unknown region '{region}'"))
        elif quantity == "exports" and region != "all":
            problems.append(
                Problem(
                    f"{where}.region",
                    f"exports are a supplier's shipments to every region: write 'all', got '{region}' "
                    "(one region's arrivals from a supplier are imports)",
                )
            )
        if material not in materials and not (material == "all" and quantity != "price"):
            problems.append(Problem(f"{where}.material", f"unknown material '{material}'"))
        if quantity == "exports" and supplier not in suppliers:
            problems.append(Problem(f"{where}.supplier", f"exports need a known supplier, got '{supplier}'"))
        elif supplier and supplier not in suppliers:
            problems.append(Problem(f"{where}.supplier", f"unknown supplier '{supplier}'"))
        first = (when - scenario.start_date).days
        try:
            last = (_period_end(when, period) - scenario.start_date).days
        except (ValueError, OverflowError):  # the period would end after the year 9999
            problems.append(Problem(f"{where}.date", f"{when} ({period}) ends after the last date there is"))
            continue
        if first < 0 or last > scenario.horizon_days:
            problems.append(
                Problem(
                    f"{where}.date",
                    f"{when} ({period}) lies outside the horizon (days 0 to {scenario.horizon_days - 1})",
                )
            )
        weight = (row.get("weight") or "").strip()
        try:
            weight_value = float(weight) if weight else 1.0
        except ValueError:
            problems.append(Problem(f"{where}.weight", f"not a number: '{weight}'"))
            continue
        if not math.isfinite(weight_value) or not 0 <= weight_value <= MAX_WEIGHT:
            problems.append(Problem(f"{where}.weight", f"must be a number from 0 to {MAX_WEIGHT:g}, got '{weight}'"))
            continue
        sample = row["sample"].strip() if marked else "in"
        if sample not in SAMPLES:
            problems.append(
                Problem(f"{where}.sample", f"'{sample}': write in (the fit uses the row) or out (held out of it)")
            )
            continue
        rows.append(
            {
                "date": when,
                "quantity": quantity,
                "region": region,
                "material": material,
                "supplier": supplier,
                "period": period,
                "value": value,
                "weight": weight_value,
                "first_day": first,
                "end_day": last,
            }
            | ({"in_sample": SAMPLES[sample]} if marked else {})
            | {name: row[name] for name in kept}
        )
    if not problems:  # every data row made a row: their numbers are the file's
        problems = _observed_twice(rows)
    if problems:
        raise InputError(_at_most(problems), source)
    record = pd.DataFrame(rows)
    # a series is fitted by its weighted mean error, which rows of weight 0 alone cannot give
    first_row: dict[tuple[str, str, str, str], int] = {}
    weighed = set()
    for i, (key, weight) in enumerate(zip(series_keys(record), record["weight"], strict=True)):
        first_row.setdefault(key, i)
        if weight > 0:
            weighed.add(key)
    problems = [
        Problem(f"row {i + 2}.weight", "every row of this series weighs 0: give one a weight")
        for key, i in first_row.items()
        if key not in weighed
    ]
    if problems:
        raise InputError(_at_most(problems), source)
    return record


def _refuse_missing_columns(header: list[str], source: str) -> None:
    """Raise :class:`InputError` if the header (as pandas reads it) lacks a column every record needs.

    A header naming none of them is a file that is not a record (a scenario given as
    ``--record``, say): said so, rather than a problem for every row of it.

    >>> _refuse_missing_columns(["date", "quantity", "region", "material", "value"], "r.csv")
    >>> for header in (["date", "quantity", "region"], ["name: long_embargo"]):
    ...     try:
    ...         _refuse_missing_columns(header, "r.csv")
    ...     except InputError as exc:
    ...         print(exc)
    r.csv: missing column(s): material, value (need date, quantity, region, material, value)
    r.csv: is not a record: its first line names none of a record's columns (date, quantity, region, material, value)

    A record that names them in another way is told how to mend it: separated by ``;`` or tabs
    (a spreadsheet's export in some locales), or not in lower case.

    >>> for header in (["date;quantity;region;material;value"], ["DATE", "Quantity", "region", "material", "value"]):
    ...     try:
    ...         _refuse_missing_columns(header, "r.csv")
    ...     except InputError as exc:
    ...         print(exc)
    r.csv: its columns are separated by ';': save it with commas (date, quantity, region, material, value)
    r.csv: column names are lower case: write date, quantity (need date, quantity, region, material, value)

    So is a column a record is read from named with spaces around it or not in lower case: as
    written, nothing would read it (a ``sample`` or ``weight`` column, say, would be ignored).

    >>> try:
    ...     _refuse_missing_columns(["date", " quantity", "region", "material", "value", "Weight"], "r.csv")
    ... except InputError as exc:
    ...     print(exc.problems[0].message)
    column(s) ' quantity', 'Weight' not read as named: write quantity, weight (lower case, no spaces around a name)
    """
    missing = [column for column in REQUIRED if column not in header]
    need = ", ".join(REQUIRED)
    if missing and set(missing) <= {name.lower() for name in header}:
        raise InputError(f"column names are lower case: write {', '.join(missing)} (need {need})", source)
    if misnamed := _misnamed(header):
        named = ", ".join(repr(name) for name in misnamed)
        write = ", ".join(name.strip().lower() for name in misnamed)
        raise InputError(
            f"column(s) {named} not read as named: write {write} (lower case, no spaces around a name)", source
        )
    if len(missing) == len(REQUIRED):
        line = ",".join(header)
        for separator, named in ((";", "';'"), ("\t", "tabs")):
            if set(REQUIRED) <= {name.strip().strip('"').lower() for name in line.split(separator)}:
                raise InputError(f"its columns are separated by {named}: save it with commas ({need})", source)
        raise InputError(f"is not a record: its first line names none of a record's columns ({need})", source)
    if missing:
        raise InputError(f"missing column(s): {', '.join(missing)} (need {', '.join(REQUIRED)})", source)


def _misnamed(header: list[str]) -> list[str]:
    """Names in ``header`` that nothing reads, as written, but would read in lower case without spaces around them.

    Each names a column a record is read from (:data:`READ_COLUMNS`) that the header does not name as such.

    One that the header also names exactly (``value`` and ``value ``) is a column named twice, said so apart.

    >>> _misnamed(["date", "Sample", " weight", "value", "value ", "Note"])
    ['Sample', ' weight']
    """
    return [
        name
        for name in header
        if name not in READ_COLUMNS and (read := name.strip().lower()) in READ_COLUMNS and read not in header
    ]


def _at_most(problems: list[Problem]) -> list[Problem]:
    """The first :data:`PROBLEMS_SHOWN` of a record's ``problems``, then a line for how many more and in which rows.

    A record's problems tend to repeat down its rows (a horizon too short for every date):
    a screen of them would hide the first. As :func:`simulator.output_folder.removed_note`
    names the first files and counts the rest.

    >>> rows = [Problem(f"row {k}.date", "outside the horizon") for k in range(2, 40)]
    >>> [p.render("r.csv") for p in _at_most(rows)[-2:]]
    ['r.csv: row 11.date: outside the horizon', 'r.csv: and 28 more problem(s), in rows 12 to 39']

    When some of them are not a row's, the rows are said of those that are:

    >>> _at_most([*rows, Problem("price.world", "no such series")])[-1].render("r.csv")
    'r.csv: and 29 more problem(s), 28 of them in rows 12 to 39'
    """
    if len(problems) <= PROBLEMS_SHOWN:
        return problems
    hidden = problems[PROBLEMS_SHOWN:]
    rows = [int(found.group(1)) for p in hidden if (found := re.match(r"row (\d+)\b", p.path))]
    where = f"in rows {min(rows)} to {max(rows)}" if len(set(rows)) > 1 else f"in row {rows[0]}" if rows else ""
    if where:
        where = f", {where}" if len(rows) == len(hidden) else f", {len(rows)} of them {where}"
    return [*problems[:PROBLEMS_SHOWN], Problem("", f"and {len(hidden)} more problem(s){where}")]


def record_samples(record: pd.DataFrame) -> np.ndarray | None:
    """Whether a fit uses each row, as the record's ``sample`` column says (``in``: True); None without the column."""
    return record["in_sample"].to_numpy(bool) if "in_sample" in record.columns else None


def needed_curves(record: pd.DataFrame) -> tuple[str, ...]:
    """The daily quantities the record's rows are computed from."""
    curves = {QUANTITIES[q][0] for q in record["quantity"]}
    if "price" in set(record["quantity"]) and (record["region"] == "world").any():
        curves.add("world_price_usd_per_kg")
    return tuple(sorted(curves))


def model_values(record: pd.DataFrame, curves: dict[str, np.ndarray], scenario: Scenario) -> np.ndarray:
    """The model's value of every record row for every run, (runs, rows)."""
    regions, materials, suppliers = list(scenario.regions), list(scenario.materials), list(scenario.suppliers)
    out = []
    for row in record.itertuples(index=False):
        days = slice(row.first_day, row.end_day)
        picks_m = list(range(len(materials))) if row.material == "all" else [materials.index(row.material)]
        if row.quantity == "price":
            if row.region == "world":
                series = curves["world_price_usd_per_kg"][:, days][..., picks_m[0]]
            else:
                series = curves["price_usd_per_kg"][:, days, regions.index(row.region), picks_m[0]]
            out.append(run_totals(series) / series.shape[1])
        elif row.quantity in ("imports", "exports"):
            name = QUANTITIES[row.quantity][0]
            block = curves[name][:, days]  # (runs, days, R, M, S)
            picks_s = [suppliers.index(row.supplier)] if row.supplier else list(range(len(suppliers)))
            picks_r = list(range(len(regions))) if row.quantity == "exports" else [regions.index(row.region)]
            out.append(run_totals(block[:, :, picks_r][:, :, :, picks_m][..., picks_s]))
        elif row.quantity == "demand":
            block = curves["demand_t"][:, days, regions.index(row.region)]
            out.append(run_totals(block[..., picks_m]))
        else:  # stocks: on the period's last day
            block = curves["commercial_stock_t"][:, row.end_day - 1, regions.index(row.region)]
            out.append(run_totals(block[..., picks_m]))
    return np.stack(out, axis=1)


def run_totals(block: np.ndarray) -> np.ndarray:
    """Each run's total over the other axes of ``block`` (runs first), in float64, (runs,).

    Added in one fixed order whatever the batch: NumPy's own sums add in an order that
    depends on how many runs are stacked, which made a fit's objective depend on how its
    parameter sets were split among worker processes.
    """
    flat = np.asarray(block, dtype=np.float64).reshape(len(block), -1)
    return ordered_sum(np.ascontiguousarray(flat.T), axis=0)


def series_keys(record: pd.DataFrame) -> list[tuple[str, str, str, str]]:
    """Each row's series: (quantity, region, material, supplier)."""
    return list(zip(record["quantity"], record["region"], record["material"], record["supplier"], strict=True))


def objective(log_errors: np.ndarray, record: pd.DataFrame, in_sample: np.ndarray) -> np.ndarray:
    """Mean over fitted series of each series' weighted mean squared log error, per run, (runs,)."""
    keys = series_keys(record)
    weights = record["weight"].to_numpy(float)
    totals = []
    for key in sorted(set(k for k, inside in zip(keys, in_sample, strict=True) if inside)):
        rows = np.array([k == key and inside for k, inside in zip(keys, in_sample, strict=True)])
        w = weights[rows]
        totals.append(run_totals(log_errors[:, rows] ** 2 * w) / ordered_sum(w))
    return ordered_sum(np.array(totals), axis=0) / len(totals) if totals else np.zeros(len(log_errors))


@dataclass
class Calibration:
    """What to fit: the scenario data, the record, the parameters and the hold-out windows."""

    raw: dict[str, Any]
    source: str
    record: pd.DataFrame
    parameters: list[Parameter]
    hold_outs: list[HoldOut] = field(default_factory=list)

    @property
    def in_sample(self) -> np.ndarray:
        """Rows the fit uses: not marked ``out`` in the record's ``sample`` column, nor in a hold-out window."""
        marked = record_samples(self.record)
        if marked is None:
            marked = np.ones(len(self.record), bool)
        return np.array(
            [
                inside and not any(h.holds(q, d) for h in self.hold_outs)
                for inside, q, d in zip(marked, self.record["quantity"], self.record["date"], strict=True)
            ]
        )


def simulate_sets(problem: Calibration, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Model values of the record's rows for each parameter set, (sets, rows), and which sets were valid."""
    scenarios: list[Scenario | None] = []
    for vector in values:
        changes = [
            (path, float(v))
            for parameter, v in zip(problem.parameters, vector, strict=True)
            for path in parameter.paths
        ]
        try:
            scenarios.append(validate_data(apply_overrides(problem.raw, changes), problem.source))
        except ScenarioError:
            scenarios.append(None)
    valid = np.array([s is not None for s in scenarios])
    result = np.full((len(values), len(problem.record)), np.nan)
    ok = [s for s in scenarios if s is not None]
    if ok:
        result[np.flatnonzero(valid)] = scenario_values(problem.record, ok)
    return result, valid


def scenario_values(record: pd.DataFrame, scenarios: list[Scenario], seeds: list[int] | None = None) -> np.ndarray:
    """Model values of the record's rows for validated scenarios, (scenarios, rows), on the batched fast path.

    Each scenario runs with its own seed unless ``seeds`` gives one per scenario; scenarios
    of one structure are simulated together. A report's single run (``--record``) is
    set against the record by this function, so its values are the ones a calibration
    gives for the same parameters.
    """
    run_seeds = [s.seed for s in scenarios] if seeds is None else list(seeds)
    result = np.full((len(scenarios), len(record)), np.nan)
    plans = [compile_plan(s) for s in scenarios]
    by_structure: dict[Any, list[int]] = {}
    for i, plan in enumerate(plans):
        by_structure.setdefault(plan.structure, []).append(i)
    for members in by_structure.values():
        group = [plans[i] for i in members]
        draws = draw_batch(group, [run_seeds[i] for i in members])
        # float64 curves: a model value is the model's own number (a stock is the run's stock to the bit), not
        # a sum of float32 copies of it (7 significant digits, 185.59666442871094 for 185.5966637...)
        batch = run_batch(stack_plans(group), draws, curves=needed_curves(record), curve_dtype=np.float64)
        assert batch.curves is not None
        result[members] = model_values(record, batch.curves, scenarios[members[0]])
    return result


def run_curves(result: Result, names: tuple[str, ...]) -> dict[str, np.ndarray]:
    """The daily curves ``names`` (:func:`needed_curves`) of one finished run, from its tables: a batch of one.

    Shaped and typed as :func:`scenario_values` has the fast path keep them, (1, day, ...) in
    float64. A run's tables hold each day's values in full, and the fast path reproduces the
    reference engine's run to the bit (``tests/test_fastpath.py``), so :func:`model_values`
    of these are the values :func:`scenario_values` gives for the run's scenario and seed,
    without simulating the run again.
    """
    st = result.structure
    sizes = {"day": st.horizon_days, "region": len(st.regions), "material": len(st.materials)}
    sizes["supplier"] = len(st.suppliers)
    out = {}
    for name in names:
        q = daily(name)
        values = np.asarray(result.tables[q.table].columns[q.column_name], dtype=np.float64)
        out[name] = values.reshape(1, *(sizes[axis] for axis in q.axes if axis != "run"))  # the table's own grain
    return out


def log_errors(model: np.ndarray, record: pd.DataFrame) -> np.ndarray:
    """``ln(model / record)`` per run and row (with :data:`TINY` on both sides)."""
    observed = record["value"].to_numpy(float)
    return np.log((np.maximum(model, 0.0) + TINY) / (observed + TINY))


def _evaluate(task: tuple[int, Calibration, np.ndarray]) -> tuple[int, np.ndarray]:
    """Objective of each parameter set of a part of a population (a top-level function: workers import it)."""
    part, problem, values = task
    model, valid = simulate_sets(problem, values)
    scores = objective(log_errors(np.nan_to_num(model, nan=0.0), problem.record), problem.record, problem.in_sample)
    return part, np.where(valid, scores, np.inf)


@dataclass(frozen=True)
class Start:
    """One search of a calibration: its optimiser seed, the objective it reached and its values."""

    seed: int
    objective: float
    values: dict[str, float]
    kept: bool
    """Whether this search's fit is the calibration's (the lowest objective, the first of equal ones)."""


@dataclass(frozen=True)
class Fit:
    """The result of a calibration."""

    values: dict[str, float]
    objective: float
    table: pd.DataFrame
    """Record rows with the model's value, whether in sample, and the log error."""
    errors: pd.DataFrame
    """Per series: rows, in/out of sample, RMS log error and mean error (%)."""
    evaluations: int
    seconds: float
    starts: tuple[Start, ...] = ()
    """Every search, in the order of their seeds (the kept one marked): with several starts the
    spread of their objectives and values shows how well the record identifies the parameters."""


def check_seeds(seed: int, starts: int) -> None:
    """Raise :class:`InputError` (exit 2) unless the seeds ``seed`` .. ``seed + starts - 1`` are valid.

    SciPy's optimiser takes seeds in [0, 2**32 - 1], as a scenario's seed does.
    """
    last = seed + starts - 1
    if seed < 0 or last > MAX_SEED:
        where = f"{seed:,}" if starts == 1 else f"{seed:,} to {last:,} ({setting('seed')} + {setting('starts')} - 1)"
        raise InputError(
            f"{setting('seed')}: the optimiser's seeds must be whole numbers in [0, {MAX_SEED:,}] (2**32 - 1), "
            f"got {where}"
        )


def checked_runs(population: int, parameters: int, iterations: int, starts: int) -> int:
    """The runs a calibration asks for; raise :class:`InputError` (exit 2) past :data:`MAX_RUNS`.

    One run per parameter set: ``population`` sets per fitted parameter in the first
    generation and each of ``iterations`` more, for each of ``starts`` searches. Refused
    before any run, as a sweep's or a sensitivity study's budget is; :func:`calibrate`
    checks it, so a caller from Python is refused as the command line is.
    """
    total = population * parameters * (iterations + 1) * starts
    if total > MAX_RUNS:
        raise InputError(
            f"{setting('population')} {population} x {parameters} {setting('fit')} x ({setting('iterations')} "
            f"{iterations} + 1) x {setting('starts')} {starts} = {total:,} runs, more than {MAX_RUNS:,}: "
            f"lower {setting('iterations')} or {setting('starts')}"
        )
    return total


def calibrate(
    problem: Calibration,
    population: int = 12,
    iterations: int = 30,
    seed: int = 0,
    workers: int = 1,
    progress: Callable[[int], None] | None = None,
    starts: int = 1,
) -> Fit:
    """Fit ``problem``'s parameters by differential evolution; ``population`` sets per parameter.

    With ``starts`` > 1 the search runs from seeds ``seed``, ``seed + 1``, ... and the fit
    with the lowest objective is kept (the first of equal ones): the parameters are weakly
    identified, so one seed can stop in a worse valley. ``evaluations`` and ``seconds``
    count every start; ``starts`` lists each search's seed, objective and values. Seeds
    (:func:`check_seeds`) and the number of runs (:func:`checked_runs`) are checked before any run.
    """
    check_seeds(seed, starts)
    checked_runs(population, len(problem.parameters), iterations, starts)
    started = time.perf_counter()
    fits = [_one_start(problem, population, iterations, seed + k, workers, progress) for k in range(starts)]
    kept = min(range(starts), key=lambda k: fits[k].objective)  # the first of equal ones
    searches = tuple(
        Start(seed=seed + k, objective=fit.objective, values=fit.values, kept=k == kept) for k, fit in enumerate(fits)
    )
    return replace(
        fits[kept],
        evaluations=sum(fit.evaluations for fit in fits),
        seconds=time.perf_counter() - started,
        starts=searches,
    )


def _one_start(
    problem: Calibration,
    population: int,
    iterations: int,
    seed: int,
    workers: int,
    progress: Callable[[int], None] | None,
) -> Fit:
    """One differential-evolution search from ``seed``."""
    from scipy.optimize import differential_evolution

    started = time.perf_counter()
    bounds = [(p.low, p.high) for p in problem.parameters]
    evaluations = 0

    def batch_objective(x: np.ndarray) -> np.ndarray:
        nonlocal evaluations
        sets = np.atleast_2d(x.T)
        evaluations += len(sets)
        parts = pool_size(workers, len(sets))  # never an empty part, nor a process for one
        if parts > 1:
            from simulator.sweep.backends import local_processes

            tasks = [(i, problem, part) for i, part in enumerate(np.array_split(sets, parts))]
            done = dict(local_processes(tasks, _evaluate, parts))  # parts come back as they finish
            scores = np.concatenate([done[i] for i in range(len(tasks))])
        else:
            scores = _evaluate((0, problem, sets))[1]
        if progress is not None:
            progress(len(sets))
        return scores

    found = differential_evolution(
        batch_objective,
        bounds,
        popsize=population,
        maxiter=iterations,
        seed=seed,
        vectorized=True,
        updating="deferred",
        polish=False,
        tol=1e-6,
    )
    best = np.atleast_1d(found.x)
    model, _ = simulate_sets(problem, best[None])
    table = problem.record.copy()
    table["model"] = model[0]
    table["in_sample"] = problem.in_sample
    table["log_error"] = log_errors(model, problem.record)[0]
    return Fit(
        values={p.name: float(v) for p, v in zip(problem.parameters, best, strict=True)},
        objective=float(found.fun),
        table=table,
        errors=error_table(table, list(problem.raw.get("materials", {}))),
        evaluations=evaluations,
        seconds=time.perf_counter() - started,
    )


def made(sources: pd.Series) -> pd.Series:
    """Each row's :data:`MADE` prefix (``DERIVED``, ``FORECAST``) or ``""``: what its ``source`` begins with.

    >>> made(pd.Series(["FORECAST, not a count: ...", " derived: x 0.67", "Japan MOF", None])).tolist()
    ['FORECAST', 'DERIVED', '', '']
    """
    text = sources.fillna("").astype(str).str.strip().str.upper()
    out = pd.Series("", index=sources.index, dtype=object)
    for prefix in MADE:
        out[text.str.startswith(prefix)] = prefix
    return out


def made_rows(table: pd.DataFrame) -> pd.Series:
    """:func:`made` of ``table``'s ``source`` column; ``""`` for every row of a table without one (nothing said)."""
    if "source" not in table.columns:
        return pd.Series("", index=table.index, dtype=object)
    return made(table["source"])


MADE_WORDS = {"DERIVED": ("derived", "derived"), "FORECAST": ("forecast", "forecasts")}
"""A count of made rows in words (one row, several rows): ``4 derived``, ``1 forecast``; a report's table cell says
it so too."""
MADE_COUNTS = {prefix: f"{prefix.lower()}_rows" for prefix in MADE}
"""The key that counts a series' (or a sample's) rows of each :data:`MADE` kind: ``derived_rows``, ``forecast_rows``."""


def _tally(kinds: pd.Series) -> dict[str, int]:
    """Each :data:`MADE_COUNTS` key -> how many of ``kinds`` (:func:`made_rows`' prefixes) are of its kind."""
    return {key: int((kinds == prefix).sum()) for prefix, key in MADE_COUNTS.items()}


def _rms(log_errors: pd.Series) -> float:
    """The root of the mean square of ``log_errors`` (each row once, unweighted)."""
    return float(np.sqrt(np.mean(np.square(log_errors.to_numpy(float)))))


def error_table(table: pd.DataFrame, materials: Sequence[str] = ()) -> pd.DataFrame:
    """Per series and sample (in, out): rows, how many made, RMS log error, and the mean of ``model/record - 1`` (%).

    ``derived_rows`` and ``forecast_rows`` (:data:`MADE_COUNTS`) count the rows whose ``source`` begins ``DERIVED``
    or ``FORECAST`` (0 in a table without a ``source`` column); the errors are over all the rows, made or given.
    Rows in the record's order, each series' materials in ``materials``' order (the scenario's: light
    rare earths before heavy, as in ``fit.png``), by :func:`_scenario_order`.
    """
    table = table.assign(made=made_rows(table))
    groups = dict(list(table.groupby(["quantity", "region", "material", "supplier", "in_sample"], sort=False)))
    rows = []
    for quantity, region, material, supplier, inside in _scenario_order(list(groups), list(materials)):
        group = groups[quantity, region, material, supplier, inside]
        rows.append(
            {
                "quantity": quantity,
                "region": region,
                "material": material,
                "supplier": supplier,
                "sample": "in" if inside else "out",
                "rows": len(group),
                **_tally(group["made"]),
                "rms_log_error": _rms(group["log_error"]),
                "mean_error_pct": float(100 * np.mean(np.exp(group["log_error"]) - 1)),
            }
        )
    return pd.DataFrame(rows)


def made_counts(row: Any) -> tuple[tuple[str, int], ...]:
    """How many of an :func:`error_table` row's rows are made, kind by kind: ``(("DERIVED", 6),)``; none: ``()``.

    The kinds it has, in :data:`MADE`'s order, from its :data:`MADE_COUNTS` columns. ``row``: a row of the
    table, as ``itertuples`` or ``iterrows`` gives it.

    >>> made_counts(pd.Series({"rows": 2, "derived_rows": 0, "forecast_rows": 1}))
    (('FORECAST', 1),)
    """
    counts = ((prefix, int(getattr(row, key))) for prefix, key in MADE_COUNTS.items())
    return tuple((prefix, count) for prefix, count in counts if count)


def made_count_words(counts: Iterable[tuple[str, int]], rows: int | None = None) -> list[str]:
    """Each count of made rows in words (:data:`MADE_WORDS`), a count of 0 unsaid: ``["4 derived", "1 forecast"]``.

    ``counts``: ``(prefix, count)`` pairs, as :func:`made_counts` gives them. With ``rows`` (how many rows
    they are counted of), a kind that is every one of several rows says so: ``all 6 derived``.

    >>> made_count_words([("DERIVED", 6), ("FORECAST", 0)], rows=6)
    ['all 6 derived']
    >>> made_count_words([("DERIVED", 1), ("FORECAST", 2)])
    ['1 derived', '2 forecasts']
    """
    return [
        f"{'all ' if count == rows and count > 1 else ''}{count} {MADE_WORDS[prefix][count > 1]}"
        for prefix, count in counts
        if count
    ]


def made_words(row: Any) -> str:
    """``, 1 derived and 1 forecast``: how many of an :func:`error_table` row's rows are made (:data:`MADE`), or "".

    ``row``: a row of the table, as ``itertuples`` or ``iterrows`` gives it.

    >>> made_words(pd.Series({"rows": 6, "derived_rows": 6, "forecast_rows": 0}))
    ', all 6 derived'
    >>> made_words(pd.Series({"rows": 2, "derived_rows": 1, "forecast_rows": 1}))
    ', 1 derived and 1 forecast'
    """
    words = made_count_words(made_counts(row), int(row.rows))
    return f", {join_words(words)}" if words else ""


def held_out_summary(table: pd.DataFrame) -> dict[str, Any] | None:
    """The error out of sample over every held-out row of ``table`` (a fit's), and over the given ones alone.

    ``rows`` held out, of which ``derived_rows`` and ``forecast_rows`` are made (:data:`MADE`) and ``given_rows``
    are figures their sources give (a count, for a flow); ``rms_log_error_all_rows`` is the RMS log error of all
    of them, ``rms_log_error_given_rows`` of the given ones alone (None when none is). Each row counts once,
    unweighted, whatever its series (unlike the objective, a mean over series). ``sources_read`` is False for a
    table without a ``source`` column: nothing then tells a made row, and every row counts as given. None when no
    row is held out.

    >>> table = pd.DataFrame({"in_sample": [True, False, False], "log_error": [0.5, math.log(2), math.log(1.5)],
    ...                       "source": ["a", "FORECAST: mid-2011", "Japan MOF"]})
    >>> summary = held_out_summary(table)
    >>> summary["rows"], summary["forecast_rows"], summary["given_rows"], round(summary["rms_log_error_given_rows"], 4)
    (2, 1, 1, 0.4055)
    """
    out = table[~table["in_sample"].to_numpy(bool)]
    if out.empty:
        return None
    kinds = made_rows(out)
    given = out[(kinds == "").to_numpy()]
    return {
        "rows": len(out),
        **_tally(kinds),
        "given_rows": len(given),
        "rms_log_error_all_rows": _rms(out["log_error"]),
        "rms_log_error_given_rows": _rms(given["log_error"]) if len(given) else None,
        "sources_read": "source" in table.columns,
    }


def held_out_line(summary: dict[str, Any] | None) -> str:
    """The console's line on the error out of sample, when some held-out rows are made (:data:`MADE`); else "".

    ``summary``: :func:`held_out_summary`'s. Pooled over all the held-out rows, and over the given ones alone:
    the two differ only when some are made (the lines by series above it count every row).

    >>> summary = {"rows": 2, "derived_rows": 0, "forecast_rows": 1, "given_rows": 1,
    ...            "rms_log_error_all_rows": 0.5, "rms_log_error_given_rows": 0.405, "sources_read": True}
    >>> print(held_out_line(summary))
    RMS log error out of sample, pooled: 0.500 over all 2 rows; 0.405 over the 1 given by its source (not 1 forecast)
    >>> print(held_out_line(summary | {"given_rows": 0, "rms_log_error_given_rows": None}))
    RMS log error out of sample, pooled: 0.500 over all 2 rows, none of them given by its source (1 forecast)
    """
    if summary is None or summary["given_rows"] == summary["rows"]:
        return ""
    kinds = join_words(made_count_words((prefix, summary[key]) for prefix, key in MADE_COUNTS.items()))
    opening = (
        f"RMS log error out of sample, pooled: {summary['rms_log_error_all_rows']:.3f} over all {summary['rows']} rows"
    )
    given = summary["given_rows"]
    if not given:
        return f"{opening}, none of them given by its source ({kinds})"
    by = "by its source" if given == 1 else "by their sources"
    return f"{opening}; {summary['rms_log_error_given_rows']:.3f} over the {given} given {by} (not {kinds})"


def write_outputs(folder: Path, problem: Calibration, fit: Fit, settings: dict[str, Any]) -> list[Path]:
    """``calibration.json``, ``fit.csv`` and ``fit.png`` into a staged folder."""
    # the record's own columns and the fit's; a row's source stays in the record (its made rows are counted in
    # calibration.json)
    table = fit.table.drop(columns=["first_day", "end_day", "source"], errors="ignore")
    table.to_csv(folder / "fit.csv", index=False)
    marked = record_samples(problem.record)
    errors = fit.errors.to_dict(orient="records")
    report = {
        "scenario_file": problem.source,
        "parameters": [
            {"paths": list(p.paths), "low": p.low, "high": p.high, "fitted": fit.values[p.name]}
            for p in problem.parameters
        ],
        "objective_in_sample": fit.objective,
        "starts": [
            {
                "seed": start.seed,
                "objective_in_sample": start.objective,
                "fitted": [start.values[p.name] for p in problem.parameters],
                "kept": start.kept,
            }
            for start in fit.starts
        ],
        "hold_out": [
            {"quantity": h.quantity or "all", "from": h.first.isoformat(), "to": h.last.isoformat()}
            for h in problem.hold_outs
        ],
        "held_out_in_record": 0 if marked is None else int((~marked).sum()),
        "errors": errors,
        "held_out_summary": held_out_summary(fit.table),
        "evaluations": fit.evaluations,
        "seconds": round(fit.seconds, 2),
        "settings": settings,
        "set_options": [f"--set {path}={fit.values[p.name]:.6g}" for p in problem.parameters for path in p.paths],
    }
    (folder / "calibration.json").write_text(json.dumps(report, indent=2, default=str) + "\n")
    scenario = validate_data(problem.raw, problem.source)  # names the regions and materials
    fit_figure(fit.table, scenario).savefig(folder / "fit.png", dpi=110)
    return [folder / name for name in ("calibration.json", "fit.csv", "fit.png")]


@dataclass(frozen=True)
class FitRange:
    """One parameter of a fit: the paths it sets (one value for all), the range searched, and the value fitted."""

    paths: tuple[str, ...]
    low: float
    high: float
    fitted: float


@dataclass(frozen=True)
class HeldOutFit:
    """A fit made with rows of a record held out, as its output gives it, for a report to cite (not to redo).

    A report fits nothing, and a fit takes minutes (``make calibrate-holdout``: 17,220 runs in about two), nor does
    one run of its parameters fit in a report's time (about 0.5 s): so a report cites the fit's output, the model's
    value of each row it held out (``fit.csv``'s ``model``) and its parameters with the ranges searched
    (``calibration.json``), and computes the errors from the record's own values of those rows
    (:func:`simulator.report.record.held_out_prices_sentence`). The values are those of one run of ``scenario``
    with ``parameters`` set; ``tests/test_factcheck_record_s64.py`` makes that run and checks them, so a change of
    the model that moves them fails there, not in a report.
    """

    command: str
    """The command that makes it (the ``Makefile``'s target)."""
    source: str
    """Where its output is set out (``docs/...#anchor``)."""
    record: str
    """The file name of the record it was fitted to."""
    scenario: str
    hold_out: str
    """The window held out beyond the record's ``sample`` marks, as ``--hold-out`` takes it."""
    parameters: tuple[FitRange, ...]
    held_out: tuple[tuple[str, str, str, str, float], ...]
    """Each row it held out, (quantity, region, material, date, the model's value under the fit), in the record's
    units (``USD/kg`` for a price), to four significant figures."""


_BOTH = ("light_ree", "heavy_ree")

HELD_OUT_PRICES_2010 = HeldOutFit(
    command="make calibrate-holdout",
    source="docs/model-vs-record.md#prices-held-out",
    record="rare_earths_2010_2012.csv",
    scenario="scenarios/embargo_2010_historical.yaml",
    hold_out="price@2011-07-01:2012-12-31",
    # the Makefile's CALIBRATE_2010 ranges, which `make calibrate` (the shipped fit) searches too; the values fitted
    # with the prices from July 2011 held out (the start kept, seed 2), as docs/model-vs-record.md gives them
    parameters=(
        FitRange(("market.light_ree.price.sensitivity",), 0.5, 12.0, 10.35),
        FitRange(("market.heavy_ree.price.sensitivity",), 0.5, 20.0, 7.145),
        FitRange(tuple(f"market.{m}.price.adjustment_days" for m in _BOTH), 5.0, 180.0, 17.3),
        FitRange(tuple(f"market.{m}.stocking.precaution_gain" for m in _BOTH), 0.0, 6.0, 1.029),
        FitRange(tuple(f"market.{m}.risk.memory_days" for m in _BOTH), 30.0, 1500.0, 1488.0),
        FitRange(tuple(f"market.{m}.demand.substitution.max_share" for m in _BOTH), 0.01, 0.6, 0.0145),
        FitRange(("shocks.china_japan_halt.leak_share",), 0.0, 0.7, 0.6964),
    ),
    held_out=(
        ("price", "world", "heavy_ree", "2011-08-01", 986.3),
        ("price", "world", "heavy_ree", "2011-10-01", 1024.0),
        ("price", "world", "heavy_ree", "2011-12-31", 1063.0),
        ("price", "world", "heavy_ree", "2012-06-01", 1041.0),
        ("price", "world", "light_ree", "2011-10-01", 97.95),
        ("price", "world", "light_ree", "2011-12-31", 101.5),
    ),
)
"""``make calibrate-holdout``'s fit of the 2010 replay's market: the shipped fit (``make calibrate``) uses every
price of the record, so this is the test of its price dynamics (docs/model-vs-record.md, "Prices held out")."""


PERIOD_WORDS = {"day": "daily", "month": "monthly", "quarter": "quarterly", "half": "half-yearly", "year": "yearly"}
MODEL_COLOUR, RECORD_COLOUR = "#1f5fa6", "#d1495b"
MODEL_LABEL = "model at the record's dates (not its path)"
"""The model's value of a row is a mean or total over the row's period, so it is drawn as a
marker at the row's date: a line between sparse dates would read as the model's daily path."""
TOTALS_FONT = 8.0
"""Largest font (points) of the totals panel's labels; smaller when the gaps between bar pairs are narrow."""


def _panel_keys(table: pd.DataFrame) -> list[tuple[str, ...]]:
    """A panel per series; flows (tonnes over a period) get a panel per period, prices share one.

    Flow series with fewer than three rows (totals over a quarter or a year) share one
    panel, ``TOTALS``, of paired bars.
    """
    keys = [
        (*key, "" if key[0] == "price" else period)
        for key, period in zip(series_keys(table), table["period"], strict=True)
    ]
    counts = pd.Series(keys).value_counts()
    return [TOTALS if key[0] != "price" and counts[key] < 3 else key for key in keys]


TOTALS = ("totals",)


def _exports_to(names: Names, regions: list[str]) -> str:
    """Whom a supplier's exports in the record go to: every region of the scenario.

    >>> _exports_to(Names(), ["japan", "eu"]), _exports_to(Names(), [])
    ('Japan and the EU', 'all regions')
    """
    if not regions:
        return "all regions"
    if len(regions) > 3:
        return f"the scenario's {len(regions)} regions"
    return join_words([names.subject(r) for r in regions])


def series_name(
    quantity: str, region: str, material: str, supplier: str, names: Names, regions: list[str], materials: bool = True
) -> str:
    """What a series is, in words as a sentence has them: ``world price, heavy rare earths``.

    ``the EU's commercial stocks``, ``China's exports to Japan and the EU, all materials``:
    :func:`~simulator.names.cap` starts it with a capital in a title, a label or a table's cell.

    An exports row is the supplier's shipments to every region of the scenario (its region
    is ``all``), so it is named by those regions, not as the supplier's total exports.
    """
    source = f" from {names.supplier(supplier)}" if supplier else ""
    if quantity == "price":
        text = "world price" if region == "world" else f"price paid by {names.subject(region)}"
    elif quantity == "exports":
        text = f"{names.supplier_possessive(supplier)} exports to {_exports_to(names, regions)}"
    elif quantity == "imports":
        text = f"{names.possessive(region)} imports{source}"
    elif quantity == "stocks":
        text = f"{names.possessive(region)} commercial stocks"
    else:
        text = f"{names.possessive(region)} {quantity}"
    if material == "all":
        return text + (", all materials" if materials else "")
    return f"{text}, {names.material_text(material)}"


def _series_title(key: tuple[str, ...], names: Names, regions: list[str]) -> str:
    quantity, region, material, supplier, period = key
    unit = "USD/kg" if quantity == "price" else f"t, {PERIOD_WORDS.get(period, period)}"
    return f"{cap(series_name(quantity, region, material, supplier, names, regions))} ({unit})"


def _period_label(date: str, period: str) -> str:
    """``2011``, ``H1 2012``, ``Q1 2012``, ``Mar 2011`` or the date, for a row's period."""
    when = pd.Timestamp(date)
    return {
        "year": f"{when.year}",
        "half": f"H{(when.month - 1) // 6 + 1} {when.year}",
        "quarter": f"Q{(when.month - 1) // 3 + 1} {when.year}",
        "month": when.strftime("%b %Y"),
    }.get(period, date)


_RECORD_LABEL = {True: "record (fitted)", False: "record"}


def _totals_panel(ax: Any, group: pd.DataFrame, names: Names, regions: list[str], fitted_rows: bool = True) -> None:
    """Paired horizontal bars, record against model, one pair per row (tonnes).

    Each pair's label sits in the gap above its record bar, a few points right of the axis
    line, in a font that fits the gap (the axes' place in the figure must be set first).
    """
    spacing, half, height = 2.0, 0.2, 0.38
    y = np.arange(len(group)) * spacing
    bar_edge = half + height / 2  # a pair spans row - bar_edge to row + bar_edge
    gap = spacing - 2 * bar_edge  # between one pair and the next
    inside = group["in_sample"].to_numpy(bool)
    ax.barh(y + half, group["model"], height=height, color=MODEL_COLOUR)
    ax.barh(
        y - half, group["value"], height=height, color=np.where(inside, RECORD_COLOUR, "white"), edgecolor=RECORD_COLOUR
    )
    ax.set_yticks([])
    ax.set_ylim(y[-1] + bar_edge + 0.3, y[0] - bar_edge - gap)  # first row at the top, a gap above it
    figure_height = ax.figure.get_size_inches()[1] * 72
    points_per_unit = ax.get_position().height * figure_height / (y[-1] + 0.3 + 2 * bar_edge + gap)
    size = max(4.0, min(TOTALS_FONT, (gap * points_per_unit - 4) / 1.3))  # 1.3: ascent + descent
    for row, r in zip(y, group.itertuples(), strict=True):
        name = cap(series_name(r.quantity, r.region, r.material, r.supplier, names, regions, materials=False))
        ax.annotate(
            f"{name}, {_period_label(r.date, r.period)}",
            (0, row - bar_edge),
            xytext=(4, 2),
            textcoords="offset points",
            fontsize=size,
            va="bottom",
            ha="left",
        )
    held = "red; hollow: held out" if fitted_rows else "red"
    ax.set_title(f"totals (t): record ({held}) and model (blue)", fontsize=10)


def _date_axis(ax: Any, when: pd.Series, ticks: int) -> None:
    """Dates under a panel as the run's figures give them ("Jul / 2010": :func:`simulator.plots.date_ticks`).

    Month starts over the span from the first point's month to the month after the last
    point's, thinned to about ``ticks`` labels as the run's figures thin theirs (a record's
    points are a day, a month or more apart: never weeks), so a point can lie past the last
    labelled month.
    """
    from simulator.plots import date_ticks

    first = when.min().date().replace(day=1)
    last = when.max().date()
    if last.day != 1:
        last = (last.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    dates, labels = date_ticks(first, (last - first).days, ticks, weeks=False)
    ax.set_xticks([np.datetime64(d) for d in dates], labels)
    ax.tick_params(axis="x", labelsize=8)


_MODEL_MARKS = {"color": MODEL_COLOUR, "ls": "none", "marker": "D", "ms": 4, "label": MODEL_LABEL}
"""How the model's values are drawn (blue diamonds), in a panel and in the keys."""
_RECORD_MARKS = {"color": RECORD_COLOUR, "ls": "none", "marker": "o", "ms": 5}
"""How the record's values are keyed (red dots; hollow where held out)."""
PANEL_KEY_PT = 7.0
"""Type size of a panel's own key (:func:`_panel_key`): smaller than the figure's legend, it shares the panel."""
PANEL_KEY_ROW_PT = 11.7
"""Height of a row of a panel's key, points: a 7-point line (8.2 pt) and the space between rows (half its size)."""
PANEL_KEY_PADS_PT = 11.0
"""Height a panel's key adds to its rows, points: its frame's padding (2 x 0.4 em), its gap to the panel's top
edge (0.3 em) and about 3 points between it and the highest point below it."""


def _panel_key(ax: Any, inside: np.ndarray, fitted_rows: bool) -> None:
    """A key at the panel's top left naming what it draws: ``model``, ``record (fitted)``, ``record (held out)``.

    The figure's legend, under the last row of panels, was the only key: in a panel far from it a reader could not
    tell the blue diamonds (the model) from the red dots (the record). ``inside``: which of the panel's record rows
    were fitted (filled dots); the key names only the kinds of dot the panel has. The y axis is raised to leave
    the key a band above the highest point (its height from :data:`PANEL_KEY_ROW_PT`, measured in the panel's
    place, which must be set first), so that it hides none: in the heavy rare earths' price panel the record's
    2011 peaks filled the corner "best" chose.
    """
    from matplotlib.lines import Line2D

    from simulator.plots.layout import raise_top

    entries = [Line2D([], [], **{**_MODEL_MARKS, "label": "model"})]
    if inside.any():
        entries.append(Line2D([], [], **_RECORD_MARKS, label=_RECORD_LABEL[fitted_rows]))
    if (~inside).any():
        entries.append(Line2D([], [], **_RECORD_MARKS, mfc="none", label="record (held out)"))
    panel_pt = ax.get_position().height * ax.figure.get_figheight() * 72
    raise_top(ax, (len(entries) * PANEL_KEY_ROW_PT + PANEL_KEY_PADS_PT) / panel_pt)
    ax.legend(
        handles=entries, loc="upper left", fontsize=PANEL_KEY_PT, framealpha=0.85, handletextpad=0.3, borderaxespad=0.3
    )


def _scenario_order(keys: list[tuple[str, ...]], materials: list[str]) -> list[tuple[str, ...]]:
    """The panels' ``keys`` in the record's order, but each series' materials in ``materials``' order.

    The 2010 record lists heavy rare earths' prices first; the scenario, and every other figure and table,
    light first: a series (quantity, region, supplier and period) keeps its place at its first row, its materials
    follow the scenario's order, and a material it does not name ("all") comes after them. Without
    ``materials`` (no scenario) the record's order is kept.

    >>> price = lambda m: ("price", "world", m, "", "")
    >>> _scenario_order([price("heavy_ree"), TOTALS, price("light_ree")], ["light_ree", "heavy_ree"])
    [('price', 'world', 'light_ree', '', ''), ('price', 'world', 'heavy_ree', '', ''), ('totals',)]
    """
    rank = {material: i for i, material in enumerate(materials)}

    def series(key: tuple[str, ...]) -> tuple[str, ...]:
        return key if key == TOTALS else (key[0], key[1], *key[3:])

    first = {s: i for i, s in reversed(list(enumerate(series(key) for key in keys)))}
    return sorted(keys, key=lambda key: (first[series(key)], rank.get(key[2], len(rank)) if key != TOTALS else 0))


NOTE_PT = 8.0
"""Type size of the note at the foot of :func:`fit_figure` (the forecasts it leaves out)."""
NOTE_LINE_IN = 0.15
"""Height of a line of that note, inches (8-point type and the space between lines)."""


def _amount_text(quantity: str, value: float) -> str:
    """A record's value with its unit, as a figure's note gives it: ``23,000 t``, ``2,377 USD/kg``, ``21.43 USD/kg``.

    A price as the report writes one (:func:`simulator.names.price_text`: the decimals it needs, never an exponent).
    """
    return f"{price_text(value)} USD/kg" if RECORD_UNITS[quantity] == "USD/kg" else f"{value:,.0f} t"


def forecasts_note(table: pd.DataFrame, names: Names, regions: list[str]) -> tuple[pd.DataFrame, str]:
    """The rows :func:`fit_figure` draws, and its note on the forecasts among them ("" if none).

    A row whose ``source`` begins ``FORECAST`` (:data:`MADE`) is what was expected at the time, not a count: drawn
    as a record point or bar, the 2010 record's forecast of Japan's 2011 demand (23,000 t) read as what Japan used.
    So the figure leaves such rows out and names them, with the model's value, in the note (as the report's figure
    does, :func:`simulator.report.record.forecasts_left_out`); where every row is one, it draws them all and says so.
    """
    forecast = (made_rows(table) == "FORECAST").to_numpy()
    if not forecast.any():
        return table, ""
    if forecast.all():
        return (
            table,
            "Every row of the record is a forecast made at the time, not a count (its source begins FORECAST).",
        )
    listed = join_words(
        [
            f"{series_name(r.quantity, r.region, r.material, r.supplier, names, regions, materials=False)}, "
            f"{_period_label(str(r.date), r.period)}: {_amount_text(r.quantity, r.value)} "
            f"(the model {_amount_text(r.quantity, r.model)})"
            for r in table[forecast].itertuples()
        ]
    )
    what = "a forecast" if forecast.sum() == 1 else "forecasts"
    return table[~forecast], (
        f"Not drawn, {what} made at the time, not a count (the source begins FORECAST): {listed}."
    )


def fit_figure(
    table: pd.DataFrame,
    scenario: Scenario | None = None,
    *,
    width_in: float | None = None,
    columns: int = 3,
    fitted_rows: bool = True,
) -> Any:
    """Model against record, a panel per series: filled points fitted, hollow points held out.

    Forecasts (a ``source`` beginning ``FORECAST``) are left out, named in a note at the foot (:func:`forecasts_note`).

    ``scenario`` names the regions and materials (and whom an exports series goes to: all
    its regions); without it the names are made from the ids. ``width_in`` draws the
    figure that wide (panels 5.2 inches wide otherwise, titles wrapped to fit) in at most
    ``columns`` columns; ``fitted_rows=False`` says "record" where nothing was fitted (a
    report's run set against a record), not "record (fitted)".
    """
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D
    from matplotlib.ticker import FuncFormatter, LogLocator, MaxNLocator

    from simulator.plots import wrapped_title

    names = Names.of(scenario) if scenario is not None else Names()
    regions = list(scenario.regions) if scenario is not None else []
    table, note = forecasts_note(table, names, regions)
    panel_of = _panel_keys(table)
    keys = _scenario_order(list(dict.fromkeys(panel_of)), list(scenario.materials) if scenario is not None else [])
    columns = min(columns, len(keys))
    rows = -(-len(keys) // columns)
    panel_in = 5.2 if width_in is None else width_in / columns
    ticks = 6 if panel_in >= 4.0 else 4  # as the run's figures (simulator.plots.Panels)
    width = panel_in * columns
    note_lines = wrapped_title(note, width, char_in=NOTE_PT * 0.5 / 72, margin_in=0.3) if note else []
    note_in = NOTE_LINE_IN * len(note_lines) + 0.1 if note else 0.0  # 0.1: the gap under the legend
    fig = Figure(figsize=(width, 3.3 * rows + 0.6 + note_in))
    axes = np.atleast_1d(fig.subplots(rows, columns, squeeze=False)).ravel()
    fitted = table["in_sample"][[key != TOTALS for key in panel_of]]  # the totals say theirs in their title
    shown = [len(fitted) > 0, fitted.any(), (~fitted).any()]  # which legend entries the figure draws
    height = fig.get_size_inches()[1]
    # inches: 0.65 above the panels for the title and the panels' titles; below them 0.55 for the dates
    # (two lines) and 0.3 for the legend's row, or 0.2 an entry when one column leaves no room side by side
    bottom = 0.55 + (0.2 * sum(shown) if columns == 1 else 0.3 if any(shown) else 0.0) + note_in
    fig.subplots_adjust(left=0.07, right=0.98, top=1 - 0.65 / height, bottom=bottom / height, hspace=0.55, wspace=0.25)

    def panel_title(title: str) -> str:  # a 10-point title across its panel: about 0.55 em a character
        return "\n".join(wrapped_title(title, panel_in, char_in=5.5 / 72, margin_in=0.0))

    plain = FuncFormatter(lambda value, _: f"{value:,.0f}" if value >= 10 else f"{value:g}")
    for ax, key in zip(axes, keys, strict=False):
        group = table[[k == key for k in panel_of]].assign(when=lambda g: pd.to_datetime(g["date"])).sort_values("when")
        if key == TOTALS:
            _totals_panel(ax, group, names, regions, fitted_rows)
            if width_in is not None:  # wrapped as the other panels' titles are: "hollow: held out" made it long
                ax.set_title(panel_title(ax.get_title()), fontsize=10)
            ax.xaxis.set_major_formatter(plain)
            # tonnes such as "17,500" are wide: ticks at 1, 2 or 5 times a power of ten, at most 5 gaps, or their
            # labels ran together (0 to 20,000 t by 2,500 once the forecast's 23,000 t bar was left out)
            ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
            ax.grid(alpha=0.3, axis="x")
            continue
        inside = group["in_sample"].to_numpy(bool)
        ax.plot(group["when"], group["model"], zorder=4, **_MODEL_MARKS)
        ax.scatter(group["when"][inside], group["value"][inside], color=RECORD_COLOUR, s=24, zorder=3)
        ax.scatter(
            group["when"][~inside], group["value"][~inside], facecolors="none", edgecolors=RECORD_COLOUR, s=28, zorder=3
        )
        title = _series_title(key, names, regions)
        ax.set_title(panel_title(title) if width_in is not None else title, fontsize=10)
        if key[0] == "price":
            ax.set_yscale("log")
            ax.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
        ax.yaxis.set_major_formatter(plain)
        ax.yaxis.set_minor_formatter(FuncFormatter(lambda *_: ""))
        _date_axis(ax, group["when"], ticks)
        ax.grid(alpha=0.3)
        _panel_key(ax, inside, fitted_rows)
    for ax in axes[len(keys) :]:
        ax.set_visible(False)
    handles = [
        Line2D([], [], **_MODEL_MARKS),
        Line2D([], [], **_RECORD_MARKS, label=_RECORD_LABEL[fitted_rows]),
        Line2D([], [], **_RECORD_MARKS, mfc="none", label="record (held out)"),
    ]
    handles = [h for h, show in zip(handles, shown, strict=True) if show]
    if handles:
        fig.legend(
            handles=handles,
            loc="lower center",
            **({"bbox_to_anchor": (0.5, note_in / height)} if note else {}),  # above the note
            ncols=3 if columns > 1 else 1,
            frameon=False,
            fontsize=9,
        )
    if note:
        fig.text(0.5, 0.05 / height, "\n".join(note_lines), ha="center", va="bottom", fontsize=NOTE_PT)
    fig.suptitle("Model against the record", fontweight="bold")
    return fig
