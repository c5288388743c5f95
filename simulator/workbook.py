"""Excel workbooks (``workbook.xlsx``) of a run, a comparison of rules and a sweep.

Layer: studies. It formats tables the lower layers made and computes nothing new.

Every sheet is one table with one header row, frozen together with the leading key
columns (day, date, region, material, ...) and filterable. Headers keep the CSV column
names and add the unit: a column that shows a quantity of the registry
(:mod:`simulator.quantities`) has the registry's unit, found as the Python API finds it
(:func:`simulator.frames.units`); any other column (a swept path, a scenario parameter)
has the unit its name's suffix says (:func:`column_unit`): ``_t`` tonnes, ``_usd`` USD,
``_usd_per_kg`` USD/kg, ``_days`` and ``days_of_cover`` days, ``_share`` a fraction
(shown as a percentage). Numbers are stored at full precision (the CSV's values) and
only shown rounded: thousands separators and fixed decimals by unit (tonnes below 1 t with as
many as they need, :func:`_tonnes_format`). Dates are Excel
dates; a first-day column keeps the CSV's -1 for "never", its header noting so. The
scenario's parameters follow as dotted paths (the ``--set`` paths) with their values and
units (the schema's unit where it gives one, else the suffix's: :func:`parameter_unit`),
filterable too. The last sheet, Columns, says what every column of every sheet means, in the
registry's words (:func:`glossary`), or for a column the registry does not know (an uncertainty study's), the
words and unit its sheet gives it (:class:`Given`). Sheets are streamed row by row (XlsxWriter's
``constant_memory`` mode); a table longer than an Excel sheet is refused before anything is written.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.exceptions import FileCreateError
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from simulator.errors import InputError, Problem, setting
from simulator.frames import is_never_kind, quantity_of, units
from simulator.quantities import NEVER, NONE_WORDS
from simulator.scenario.load import field_schemas
from simulator.sweep.columns import schema_unit_of

if TYPE_CHECKING:
    from simulator.against import Against
    from simulator.compare import Comparison
    from simulator.results import Result
    from simulator.sensitivity.intervals import Uncertainty

EXCEL_MAX_ROWS = 1_048_576
"""Rows of an Excel worksheet, the header row included."""
EXCEL_MAX_COLUMNS = 16_384
KEY_COLUMNS = frozenset(
    {
        "mechanism",
        "point",
        "run",
        "sample",
        "seed",
        "metric",
        "day",
        "date",
        "region",
        "member",
        "material",
        "supplier",
        "id",
        "parameter",
    }
)
"""Leading columns that identify a row; they stay in view when scrolling right."""
DATE_FORMAT = "yyyy-mm-dd"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
MAX_WIDTH = 60
HEADER_LINE_HEIGHT_PT = 15
NEVER_NOTE = "-1 means never: the event did not happen in the run (as in the CSV)."
"""The note on the header of a first-day column (``first_shortfall_day``...), whose -1 is "never"."""
DAY_NOTES = {
    aggregation: NEVER_NOTE if word == NEVER else f"-1 means none: {word} in the run (as in the CSV)."
    for aggregation, word in NONE_WORDS.items()
}
"""The note on the header of a day column whose -1 means never or none, by the column's aggregation, in the
words of :data:`~simulator.quantities.NONE_WORDS`: ``-1 means none: no price in the run`` on a day of peak
price, ``no demand`` on a day of lowest cover."""
COMMENT_AUTHOR = "stockpile"
NOTE_WIDTH, NOTE_HEIGHT = 220, 50
"""Size of a header's note in pixels (wide enough to show it without scrolling)."""


@dataclass(frozen=True)
class Unit:
    """How a column's values are labelled and shown."""

    label: str | None
    """Shown in the header after the column name; None for no unit."""
    decimals: int | None
    """Fixed decimals shown (thousands separators too); None for Excel's General format."""
    percent: bool = False


_UNITS: tuple[tuple[str, Unit], ...] = (  # suffix of a name's step, first match wins
    ("_usd_per_kg", Unit("USD/kg", 2)),
    ("_usd_per_t_year", Unit("USD/t/year", 2)),
    ("_usd", Unit("USD", 0)),
    ("_t_per_day", Unit("t/day", 2)),
    ("tonnes_per_day", Unit("t/day", 2)),
    ("_t", Unit("t", 2)),
    ("tonnes", Unit("t", 2)),
    ("days_of_cover", Unit("days", 1)),
    ("_days", Unit("days", 1)),
    ("days", Unit("days", 1)),
    ("_share", Unit("fraction", 2, percent=True)),
    ("share", Unit("fraction", 2, percent=True)),
    ("_share_gap", Unit("fraction", 2, percent=True)),
)
_REGISTRY_UNITS: dict[str, Unit] = {  # how each unit of the registry is shown
    "t": Unit("t", 2),
    "t/day": Unit("t/day", 2),
    "USD": Unit("USD", 0),
    "USD/kg": Unit("USD/kg", 2),
    "USD/t/year": Unit("USD/t/year", 2),
    "days": Unit("days", 1),
    "fraction": Unit("fraction", 2, percent=True),
}
_UNLABELLED = frozenset({"", "day", "date", "id", "name", "flag", "index", "ratio", "count"})
"""Registry units not shown in a header: day numbers, dates, ids and names, and pure numbers."""
_DAY_NUMBERS = ("day", "run", "point", "sample", "seed")  # integers shown without separators


def column_unit(name: str) -> Unit:
    """The unit of a column or scenario path, from the suffix of its last step that names one.

    Steps are split at ``.``; ids (members, materials) name no unit, so
    ``shortfall_t.japan`` is in tonnes and ``agreement.release_cap_t_per_day.ree`` in t/day.

    >>> column_unit("shortfall_t.japan"), column_unit("price_usd_per_kg").label
    (Unit(label='t', decimals=2, percent=False), 'USD/kg')
    >>> column_unit("min_days_of_cover").label, column_unit("shortfall_share").percent
    ('days', True)
    >>> column_unit("regions.japan.demand.ree.tonnes_per_day").label, column_unit("fairness_jain").label
    ('t/day', None)
    """
    for step in reversed(name.split(".")):
        step = step.split("[", 1)[0]
        for suffix, unit in _UNITS:
            if step.endswith(suffix):
                return unit
    return Unit(None, None)


def registry_unit(unit: str) -> Unit:
    """How a column the registry gives ``unit`` is shown (a unit it has no format for: General).

    >>> registry_unit("days"), registry_unit("fraction").percent, registry_unit("count").label
    (Unit(label='days', decimals=1, percent=False), True, None)
    """
    if unit in _REGISTRY_UNITS:
        return _REGISTRY_UNITS[unit]
    return Unit(None if unit in _UNLABELLED else unit, None)


def table_units(columns: Iterable[str], table: str | None) -> dict[str, Unit]:
    """Each column's unit: the registry's for the quantities of ``table``, else the name's suffix.

    ``table`` names a run's table (``summary``, ``timeseries``, ...) or is None for a table
    of per-run metrics (a sweep or a comparison), as in :func:`simulator.frames.units`.

    >>> shown = table_units(["min_days_of_net_imports", "agreement.ratio.japan", "stock_t"], None)
    >>> [unit.label for unit in shown.values()]
    ['days', None, 't']
    """
    columns = [str(c) for c in columns]
    registered = units(columns, table)
    return {c: registry_unit(registered[c]) if c in registered else column_unit(c) for c in columns}


def header_text(name: str, unit: Unit | None = None) -> str:
    """``shortfall_t (t)``: the column name and its unit (default: :func:`column_unit`).

    >>> header_text("auction_spend_usd.eu"), header_text("region")
    ('auction_spend_usd.eu (USD)', 'region')
    """
    label = (unit or column_unit(name)).label
    return f"{name} ({label})" if label else name


# --- cell values and formats ---------------------------------------------------------------


def _is_date_column(name: str) -> bool:
    return name == "date" or name.endswith("_date")


def _holds_days(name: str, series: pd.Series) -> bool:
    """A column of dates: by its name, or ``datetime64`` at midnight (a sweep's swept date, a sampled date)."""
    if _is_date_column(name):
        return True
    if not pd.api.types.is_datetime64_any_dtype(series):
        return False
    present = series.dropna()
    return bool((present == present.dt.normalize()).all())


def _number_format(name: str, series: pd.Series, unit: Unit | None = None) -> str:
    if _holds_days(name, series):
        return DATE_FORMAT
    if not pd.api.types.is_numeric_dtype(series) or pd.api.types.is_bool_dtype(series):
        return "General"
    unit = unit or column_unit(name)
    integer = pd.api.types.is_integer_dtype(series)
    if integer and name.split(".", 1)[0].endswith(_DAY_NUMBERS):
        return "General"  # day numbers, runs and seeds: no thousands separators
    if unit.percent:
        return _percent_format(series, unit.decimals or 0)
    if integer:
        return "#,##0"
    if unit.decimals is None:
        return "General"
    plain = "#,##0" + (f".{'0' * unit.decimals}" if unit.decimals else "")
    return _tonnes_format(series, unit.decimals, plain) if unit.label in TONNE_LABELS else plain


TONNE_LABELS = frozenset({"t", "t/day"})
"""Units of tonnes, which a scenario of a minor metal (gallium: tens of kilograms a day) has below 1."""
SMALL_TONNES_DECIMALS = 5
"""Decimals at most of a tonnage below 1 t (to 10 g), as many as the value needs."""


def _tonnes_format(series: pd.Series, decimals: int, plain: str) -> str:
    """``plain``, :func:`_number_format`'s format (``#,##0.00``); one that shows a tonnage below 1 t it would round.

    ``decimals`` are ``plain``'s (2 in ``#,##0.00``).

    A gallium shortfall of 0.032 t reads ``0.03`` at 2 decimals. Such a column shows a value below 1 with
    2 to 5 decimals, as many as it needs (``0.032``, ``0.00123``), and 1 t and more as before
    (``1,234.57``); a column of larger or rounder tonnages keeps ``#,##0.00``. Only in a column without
    negative values (Excel's conditional sections would drop their sign).

    >>> plain, small = "#,##0.00", pd.Series([0.032, 1234.5678])
    >>> _tonnes_format(pd.Series([0.0, 0.5, 1234.5678]), 2, plain), _tonnes_format(small, 2, plain)
    ('#,##0.00', '[<1]0.00###;#,##0.00')
    """
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    rounded = (values > 0) & (values < 1) & (np.round(values, decimals) != values)
    if not rounded.any() or (values < 0).any():
        return plain
    optional = "#" * (SMALL_TONNES_DECIMALS - decimals)
    return f"[<1]0.{'0' * decimals}{optional};{plain}"


def _percent_format(series: pd.Series, decimals: int) -> str:
    """``0.00%``; where the column holds a share above 0 that would show as ``0.00%``, one that says ``<0.01%``.

    A member short of 0.43 t has a share of 3.5e-05 of its demand: ``0.00%`` would read as not short. Such a
    cell shows ``<0.01%`` (the value stays at full precision); 0 shows ``0.00%``, any other value as before.
    Only in a column without negative values (Excel's conditional sections would drop their sign).

    >>> _percent_format(pd.Series([0.0, 0.5]), 2), _percent_format(pd.Series([0.0, 3.5e-05, 0.5]), 2)
    ('0.00%', '[=0]0.00%;[<0.00005]"<0.01%";0.00%')
    """
    plain = f"0.{'0' * decimals}%"
    below = 0.5 * 10.0 ** -(decimals + 2)  # what rounds to 0 at these decimals
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    values = values[np.isfinite(values)]
    if not ((values > 0) & (values < below)).any() or (values < 0).any():
        return plain
    return f'[=0]{plain};[<{below:.{decimals + 3}f}]"<{10.0**-decimals:.{decimals}f}%";{plain}'


def _cell_values(name: str, series: pd.Series) -> list[Any]:
    """Python values for the cells: None for missing or non-finite, dates for ISO date text."""
    if _holds_days(name, series):
        return [_as_date(v) for v in series]
    if pd.api.types.is_bool_dtype(series):
        return [None if pd.isna(v) else bool(v) for v in series]
    if pd.api.types.is_integer_dtype(series):
        return [None if v is pd.NA else int(v) for v in series.astype(object)]
    if pd.api.types.is_float_dtype(series):
        values = series.to_numpy(dtype=float)
        return [float(v) if finite else None for v, finite in zip(values, np.isfinite(values), strict=True)]
    return [_plain(v) for v in series]


def _plain(value: Any) -> Any:
    if value is None or (not isinstance(value, list | tuple | dict) and pd.isna(value)):
        return None
    if isinstance(value, bool | int | float | str | dt.date):
        return value
    if isinstance(value, np.generic):
        return value.item()
    return str(value)


def _as_date(value: Any) -> dt.date | None:
    if value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if value is None or value == "" or (isinstance(value, float) and math.isnan(value)):
        return None
    return dt.date.fromisoformat(str(value))


def _shown_width(values: list[Any], number_format: str) -> int:
    """Characters the widest value takes in its format (a sample of long columns)."""
    present = [v for v in values[:: max(1, len(values) // 100)] if v is not None]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if numbers:  # the extremes are the widest numbers
        present += [max(numbers), min(numbers)]
    if not present:
        return 0
    return max(len(_as_text(v, number_format)) for v in present)


def _as_text(value: Any, number_format: str) -> str:
    if isinstance(value, dt.date):
        return DATE_FORMAT
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if number_format.startswith("[=0]"):  # a share above 0 too small for its decimals reads "<0.01%" (_percent_format)
        plain, tiny, _ = number_format.removeprefix("[=0]").split(";")
        return tiny.split('"')[1] if 0 < value < float(tiny[2 : tiny.index("]")]) else _as_text(value, plain)
    if number_format.startswith("[<1]"):  # a tonnage below 1 t with as many decimals as it needs (_tonnes_format)
        small, large = number_format.removeprefix("[<1]").split(";")
        if value >= 1:
            return _as_text(value, large)
        text = f"{value:.{len(small) - 2}f}"
        return text[: max(len(text.rstrip("0")), len(text) - small.count("#"))]
    if number_format.endswith("%"):
        return f"{value * 100:.{number_format.count('0') - 1}f}%"
    if number_format.startswith("#,##0"):
        decimals = number_format.count("0") - 1
        return f"{value:,.{decimals}f}"
    return f"{value:.10g}"


# --- the workbook and its sheets -----------------------------------------------------------

FIXED_TIME = dt.datetime(1980, 1, 1)
"""The date a workbook's properties carry, zip's earliest (XlsxWriter dates its zip entries 31 January 1980)."""
DATETIME_FORMAT = "yyyy-mm-dd h:mm:ss"
"""A date and time in a column of mixed values (openpyxl's format for them, kept)."""


class Book(xlsxwriter.Workbook):
    """A workbook as the tool writes it: sheets streamed, text as text, numbers exact, no time of writing.

    Sheets (:meth:`add_sheet`) are written row by row (XlsxWriter's ``constant_memory``
    mode: one row in memory, not the table), so a sheet's settings and header come
    before its rows. Text is written with ``write_string``: it never becomes a formula, a
    link or a number. :meth:`close` writes the file at ``path``.
    """

    def __init__(self, path: Path | str) -> None:
        self.rows_folder = tempfile.TemporaryDirectory(prefix="stockpile-xlsx-")
        """Where XlsxWriter keeps each sheet's rows until :meth:`close`; removed with them."""
        options = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        super().__init__(str(path), {**options, "tmpdir": self.rows_folder.name})
        self.use_zip64()  # a sheet's XML of more than 2 GiB is written (as openpyxl did) rather than refused
        self.set_properties({"created": FIXED_TIME})  # created and modified: XlsxWriter dates both so
        self.header = self.add_format(
            {
                "bold": True,
                "pattern": 1,
                "bg_color": "#E8EEF4",
                "bottom": 1,
                "bottom_color": "#8899AA",
                "text_wrap": True,
                "valign": "bottom",
            }
        )
        self._formats: dict[str, Format | None] = {"General": None}

    def cell_format(self, number_format: str) -> Format | None:
        """The format showing numbers as ``number_format`` (None for General), one per workbook."""
        if number_format not in self._formats:
            self._formats[number_format] = self.add_format({"num_format": number_format})
        return self._formats[number_format]

    def add_sheet(self, title: str) -> Worksheet:
        """A new sheet ``title``, last, writing numbers exactly (:class:`ExactSheet`)."""
        return self.add_worksheet(title, worksheet_class=ExactSheet)

    def discard(self) -> None:
        """Remove the rows written so far (the workbook is not to be written)."""
        self.rows_folder.cleanup()

    def close(self) -> None:
        """Write the file at ``path``; the rows' temporary folder goes."""
        try:
            super().close()
        finally:
            self.rows_folder.cleanup()


class ExactSheet(Worksheet):
    """A worksheet that writes each number as its shortest exact text (``repr``).

    XlsxWriter writes a number with 16 significant digits (``f"{number:.16G}"``): 0.1 +
    0.2 would come back as 0.3, an integer from 10**16 up rounded. ``repr`` gives the
    float back exactly, with 17 digits only where 16 do not do (``0.30000000000000004``)
    and no more text than needed for the others (``0.1``, ``2.5``, ``1e-05``, ``140`` for
    140.0); an integer is written in full. This overrides XlsxWriter's private writer of a
    number's cell (unchanged for years, read in 3.3.1): the tests that read 17 digits back
    fail if XlsxWriter stops calling it.
    """

    def _xml_number_element(self, number: Any, attributes: Any = ()) -> None:  # XlsxWriter's, one format changed
        attr = ""
        for key, value in attributes:  # the cell's reference (A1) and style number: nothing to escape
            attr += f' {key}="{value}"'
        if isinstance(number, float):
            text = float.__repr__(number)  # a numpy float too: "0.1", not "np.float64(0.1)"
            if text[-2:] == ".0":  # a whole number as 16 digits write it: "140", read back as 140
                text = text[:-2]
        elif isinstance(number, int):
            text = int.__repr__(number)
        else:
            text = f"{number:.16G}"
        self.fh.write(f"<c{attr}><v>{text}</v></c>")


def _sheet_rows(table: pd.DataFrame, where: str) -> None:
    rows, columns = len(table) + 1, len(table.columns)
    if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
        message = (
            f"{len(table):,} rows x {columns:,} columns do not fit an Excel sheet "
            f"({EXCEL_MAX_ROWS - 1:,} rows x {EXCEL_MAX_COLUMNS:,} columns); use the CSV or Parquet files"
        )
        raise InputError([Problem(setting("excel"), message)], where)


def _frozen_columns(columns: Iterable[str], keys: frozenset[str]) -> int:
    count = 0
    for name in columns:
        if name not in keys:
            break
        count += 1
    return count


def _set_width(sheet: Worksheet, column: int, width: int) -> None:
    """Column ``column`` ``width`` wide, the number a file's ``<col width>`` holds (openpyxl's meaning).

    XlsxWriter's ``set_column`` adds a cell's padding to the width given (10 becomes
    10.71); 7 pixels per unit (Calibri 11's digit) is stored as ``width`` exactly.
    """
    sheet.set_column_pixels(column, column, 7 * width)


def add_table_sheet(
    book: Book,
    title: str,
    table: pd.DataFrame,
    keys: frozenset[str] = KEY_COLUMNS,
    registry_table: str | None = None,
    given_units: Mapping[str, Unit] | None = None,
) -> None:
    """Append ``table`` as sheet ``title``: unit headers, formats, widths, frozen keys, filter.

    The leading columns named in ``keys`` stay in view with the header row. The units
    are ``given_units``' for the columns it names, else the registry's for ``registry_table``
    (None: a table of per-run metrics), see :func:`table_units`.
    """
    sheet = book.add_sheet(title)
    names = [str(c) for c in table.columns]
    shown = {**table_units(names, registry_table), **(given_units or {})}
    formats = [_number_format(name, table[name], shown[name]) for name in names]
    values = [_cell_values(name, table[name]) for name in names]
    headers = [header_text(name, shown[name]) for name in names]
    lines = 1
    for k, (header, fmt, column) in enumerate(zip(headers, formats, values, strict=True)):
        width = min(MAX_WIDTH, max(_shown_width(column, fmt), min(len(header), 24), 6) + 2)
        _set_width(sheet, k, width)
        lines = max(lines, math.ceil(len(header) / (width - 1)))
    sheet.set_row(0, HEADER_LINE_HEIGHT_PT * lines)
    sheet.freeze_panes(1, _frozen_columns(names, keys))
    if names:
        sheet.autofilter(0, 0, len(table), len(names) - 1)
    note = {"author": COMMENT_AUTHOR, "width": NOTE_WIDTH, "height": NOTE_HEIGHT}
    for k, (name, text) in enumerate(zip(names, headers, strict=True)):
        if text:
            sheet.write_string(0, k, text, book.header)
        else:  # a column without a name: its header cell styled all the same
            sheet.write_blank(0, k, None, book.header)
        if (q := quantity_of(name, registry_table)) is not None and is_never_kind(q):
            sheet.write_comment(0, k, DAY_NOTES[q.aggregation], note)
    writers = [_column_writer(book, sheet, name, table[name]) for name in names]
    cell_formats = [book.cell_format(fmt) for fmt in formats]
    for r, row in enumerate(zip(*values, strict=True), start=1):
        for c, value in enumerate(row):
            if value is not None:  # an empty cell is not written, as the CSV leaves it empty
                writers[c](r, c, value, cell_formats[c])


Writer = Callable[[int, int, Any, "Format | None"], Any]
"""Writes a value at (row, column) in a format."""


def _column_writer(book: Book, sheet: Worksheet, name: str, series: pd.Series) -> Writer:
    """The sheet's writer for the values :func:`_cell_values` gives the column (the generic one for text)."""
    if _holds_days(name, series):
        return sheet.write_datetime
    if pd.api.types.is_bool_dtype(series):
        return sheet.write_boolean
    if pd.api.types.is_numeric_dtype(series):
        return sheet.write_number
    return _any_writer(book, sheet)


def _any_writer(book: Book, sheet: Worksheet) -> Writer:
    """A writer of any value :func:`_plain` gives: text as text, dates as dates, numbers, true/false."""
    dates = {dt.date: book.cell_format(DATE_FORMAT), dt.datetime: book.cell_format(DATETIME_FORMAT)}

    def write(row: int, column: int, value: Any, cell_format: Format | None) -> None:
        if isinstance(value, str):  # "=1+2" and "#N/A" too: text, never a formula or an error value
            if value:  # empty text is an empty cell (as openpyxl wrote it, and as the CSV has it)
                sheet.write_string(row, column, cell_text(value), cell_format)
        elif isinstance(value, bool):
            sheet.write_boolean(row, column, value, cell_format)
        elif isinstance(value, int | float):
            if math.isfinite(value):  # infinity, as missing values, is left empty
                sheet.write_number(row, column, value, cell_format)
        elif isinstance(value, dt.date):  # in the format given, else as a date (openpyxl's formats, kept)
            shown = cell_format or dates[dt.datetime if isinstance(value, dt.datetime) else dt.date]
            sheet.write_datetime(row, column, value, shown)
        else:
            sheet.write_string(row, column, cell_text(str(value)), cell_format)

    return write


EXCEL_MAX_TEXT = 32_767
"""Characters an Excel cell holds."""
CUT_NOTE = " [cut here: an Excel cell holds at most 32,767 characters]"


def cell_text(text: str) -> str:
    """``text`` as a cell can hold it: past :data:`EXCEL_MAX_TEXT` characters, cut, and the cut said at its end.

    >>> len(cell_text("x" * 40_000)), cell_text("x" * 40_000).endswith(CUT_NOTE), cell_text("short")
    (32767, True, 'short')
    """
    return text if len(text) <= EXCEL_MAX_TEXT else text[: EXCEL_MAX_TEXT - len(CUT_NOTE)] + CUT_NOTE


def flatten(data: Any, prefix: str = "") -> list[tuple[str, Any]]:
    """Scenario data as ``(dotted path, value)`` pairs, the paths ``--set`` takes.

    List items with an ``id`` are named by it (``shocks.china_halt.severity``), others by
    position (``bids.japan.ree[0].share``); lists of plain values stay one value.

    >>> flatten({"a": {"b": 1, "c": [2, 3]}, "shocks": [{"id": "halt", "end": 9}], "bids": [{"share": 1.0}]})
    [('a.b', 1), ('a.c', '2, 3'), ('shocks.halt.id', 'halt'), ('shocks.halt.end', 9), ('bids[0].share', 1.0)]
    """
    if isinstance(data, dict):
        pairs: list[tuple[str, Any]] = []
        for key, value in data.items():
            pairs += flatten(value, f"{prefix}.{key}" if prefix else str(key))
        return pairs
    if isinstance(data, list) and any(isinstance(item, dict | list) for item in data):
        pairs = []
        for k, item in enumerate(data):
            named = isinstance(item, dict) and isinstance(item.get("id"), str)
            pairs += flatten(item, f"{prefix}.{item['id']}" if named else f"{prefix}[{k}]")
        return pairs
    if isinstance(data, list):
        return [(prefix, ", ".join(str(item) for item in data))]
    return [(prefix, data)]


_UNCERTAIN_VALUE = re.compile(r"uncertain\[(\d+)\]\.(?:low|mode|high|mean|sd|values\[\d+\])(.*)")
"""A value of an ``uncertain:`` entry: in the unit of the field the entry varies (then ``rest`` inside it)."""


def schema_unit(unit: str) -> Unit:
    """How a field the scenario schema gives ``unit`` is shown (``none (...)`` and day numbers unlabelled).

    >>> schema_unit("fraction").percent, schema_unit("none (elasticity)").label, schema_unit("x demand").label
    (True, None, 'x demand')
    """
    if unit.startswith("none") or unit == "day or date":
        return Unit(None, None)
    return registry_unit("USD/t/year" if unit == "USD/(t*year)" else unit)


def parameter_unit(path: str, data: dict[str, Any]) -> Unit:
    """The unit of a scenario parameter: the schema's where it gives one, else its name's suffix.

    A value of an ``uncertain:`` entry (``uncertain[0].low``) has the unit of the field the
    entry varies.

    >>> data = {"uncertain": [{"path": "shocks.halt.severity", "low": 0.2, "high": 0.7}]}
    >>> parameter_unit("uncertain[0].high", data).label, parameter_unit("shocks.halt.severity", data).label
    ('fraction', 'fraction')
    >>> parameter_unit("agreement.trigger.commercial_days_below", data).label
    'days'
    >>> days = "shocks.halt.processing_days"
    >>> parameter_unit(f"{days}.low", {}).label, parameter_unit(f"{days}.distribution", {}).label
    ('days', None)
    >>> parameter_unit("shocks.halt.severity.high", {}).label  # drawn in place of a fixed severity
    'fraction'
    """
    varied = _UNCERTAIN_VALUE.fullmatch(path)
    if varied:
        entries = data.get("uncertain")
        index = int(varied[1])
        entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
        if isinstance(entry, dict) and isinstance(entry.get("path"), str):
            path = entry["path"] + varied[2]
    found = schema_unit_of(path)  # a distribution's low ... sd written in place of a value: the value's unit
    if found is not None:
        return schema_unit(found)
    fields = field_schemas(path)
    if fields and all(node.get("type") == "string" or "enum" in node or "const" in node for node in fields):
        return Unit(None, None)  # text (a distribution's name) has no unit, whatever its path ends with
    return column_unit(path)


def parameter_rows(data: dict[str, Any]) -> list[tuple[str, Any, Unit]]:
    """Each scenario field given: its path, its value as a cell holds it, its unit (looked up once)."""
    return [(path, _parameter_value(value), parameter_unit(path, data)) for path, value in flatten(data)]


def _parameter_value(value: Any) -> Any:
    if isinstance(value, str) and ISO_DATE.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:  # not a calendar date: shown as written
            return value
    return _plain(value)


PARAMETER_PERCENT = "0.00##%"
"""The Scenario sheet's fractions: percentages with 2 to 4 decimals, as many as the value needs."""


def add_parameter_sheet(book: Book, title: str, data: dict[str, Any]) -> None:
    """The parameters as a sheet: dates as dates, numbers as numbers, a fixed-width value column."""
    rows = parameter_rows(data)
    sheet = book.add_sheet(title)
    widths = [max([len("parameter"), *(len(path) for path, _, _ in rows)]) + 2, MAX_WIDTH, 10]
    for k, width in enumerate(widths):
        _set_width(sheet, k, min(width, MAX_WIDTH))
    sheet.freeze_panes(1, 1)
    sheet.autofilter(0, 0, len(rows), 2)
    for k, text in enumerate(("parameter", "value", "unit")):
        sheet.write_string(0, k, text, book.header)
    write = _any_writer(book, sheet)
    # a parameter keeps the precision it was written with: 0.12345 reads 12.345%, 0.8 reads 80.00%
    date, percent = book.cell_format(DATE_FORMAT), book.cell_format(PARAMETER_PERCENT)
    for r, (path, value, unit) in enumerate(rows, start=1):
        sheet.write_string(r, 0, path)
        if value is not None:
            fmt = date if isinstance(value, dt.date) else percent if isinstance(value, float) and unit.percent else None
            write(r, 1, value, fmt)
        if unit.label:
            sheet.write_string(r, 2, unit.label)


# --- the Columns sheet: what every column of every sheet means ----------------------------

COLUMNS_SHEET = "Columns"
"""The last sheet of every workbook: each column of each sheet, its unit and meaning."""
SWEEP_KEYS = {
    "point": "Index of the grid point (0, 1, ...; the first swept path varies slowest).",
    "run": "Replicate number within the point (0 to runs - 1).",
    "seed": "The run's seed (give it to stockpile run --seed to run it again).",
    "skipped": "Why the rule could not run (empty where it ran).",
}
"""Columns of a sweep or comparison that are not quantities of the registry: what they hold."""
SWEPT_PATH = "A swept scenario field, by the dotted path --set takes: the value this row ran with."
PARAMETER_COLUMNS = {
    "Scenario": {
        "parameter": "A field of the scenario, by the dotted path --set takes (list items by their id).",
        "value": "Its value as run (every --set and --seed applied).",
        "unit": "Its unit: the scenario reference's for the field, else the one its name's suffix says.",
    },
    "Sweep set-up": {
        "parameter": "A field of sweep.json (how the sweep was set up), by its dotted path.",
        "value": "Its value.",
        "unit": "Its unit: the scenario reference's for a swept field, else the one its name's suffix says.",
    },
}
"""The columns of each sheet of parameters."""
GLOSSARY_COLUMNS = {
    "sheet": "The sheet the column is in.",
    "column": "The column's name, as in the CSV (its header adds the unit in brackets).",
    "unit": "The unit its values are in (empty: day numbers, dates, names, ratios and counts).",
    "meaning": "What the column holds: the outputs reference's description of the quantity.",
}
"""The columns of the Columns sheet itself."""


def column_meaning(name: str, registry_table: str | None) -> str:
    """What column ``name`` of a table holds: its quantity's description in the registry, else what it is.

    ``registry_table`` names the run's table (``summary``, ...) or is None for per-run metrics
    (a sweep); a comparison's ``mechanism`` and net positions are found as :func:`simulator.frames.quantity_of`
    finds them. Empty for a column that is neither a quantity, a sweep's key (:data:`SWEEP_KEYS`) nor a
    scenario field (a swept path).

    >>> column_meaning("seed", None), column_meaning("agreement.ratio.japan", None) == SWEPT_PATH
    ("The run's seed (give it to stockpile run --seed to run it again).", True)
    >>> print(column_meaning("region", "summary"))
    The row's region ("all" in summary rows over the agreement).
    """
    q = quantity_of(name, registry_table) or quantity_of(name, "compare")
    if q is not None:
        return re.sub(r"``([^`]+)``", r'"\1"', q.description)  # ``all``, a docstring's literal, as "all"
    if name in SWEEP_KEYS:
        return SWEEP_KEYS[name]
    return SWEPT_PATH if field_schemas(name) else ""


@dataclass(frozen=True)
class Given:
    """What a sheet says of columns the registry does not describe (an uncertainty study's), by column name."""

    units: Mapping[str, Unit]
    """The unit shown in the header (a sampled input's: :func:`parameter_unit`)."""
    meanings: Mapping[str, str]
    """The Columns sheet's meaning."""


def glossary(
    tables: list[tuple[str, pd.DataFrame, str | None]],
    parameters: Iterable[str],
    given: Mapping[str, Given] | None = None,
) -> pd.DataFrame:
    """The Columns sheet: for each table sheet, then each sheet of ``parameters`` and itself, each column's row.

    A row: the sheet, the column's name, the unit its header shows (:func:`table_units`) and its meaning
    (:func:`column_meaning`); for a column ``given`` (by sheet title) names, its unit and meaning there.
    """
    rows = []
    for title, table, registry_table in tables:
        names = [str(c) for c in table.columns]
        told = (given or {}).get(title, Given({}, {}))
        shown = {**table_units(names, registry_table), **told.units}
        rows += [
            (title, name, shown[name].label or "", told.meanings.get(name) or column_meaning(name, registry_table))
            for name in names
        ]
    for title in parameters:
        rows += [(title, name, "", meaning) for name, meaning in PARAMETER_COLUMNS[title].items()]
    rows += [(COLUMNS_SHEET, name, "", meaning) for name, meaning in GLOSSARY_COLUMNS.items()]
    return pd.DataFrame(rows, columns=list(GLOSSARY_COLUMNS))


def _sheets(
    path: Path,
    tables: list[tuple[str, pd.DataFrame, str | None]],
    parameters: list[tuple[str, dict[str, Any]]],
    keys: frozenset[str] = KEY_COLUMNS,
    given: Mapping[str, Given] | None = None,
) -> Path:
    """Write the tables (title, table, its name in the registry or None for metrics), the parameters, the Columns.

    ``given``: by sheet title, the units and meanings of columns the registry does not describe.
    A file that cannot be written (nor a sheet's temporary file of rows) is an input error;
    whatever stops the writing, no temporary file is left behind.
    """
    for title, table, _ in tables:
        _sheet_rows(table, f"{path} [{title}]")
    given = given or {}
    columns = glossary(tables, [title for title, _ in parameters], given)
    book = Book(path)
    try:
        for title, table, registry_table in tables:
            told = given.get(title)
            add_table_sheet(book, title, table, keys, registry_table, told.units if told else None)
        for title, data in parameters:
            add_parameter_sheet(book, title, data)
        add_table_sheet(book, COLUMNS_SHEET, columns, frozenset({"sheet", "column"}))
        book.close()
    except BaseException as exc:  # an error, or Ctrl-C
        book.discard()
        cause = exc.args[0] if isinstance(exc, FileCreateError) and exc.args else exc  # XlsxWriter's wrapper
        if isinstance(cause, OSError):
            raise InputError(f"cannot write: {cause.strerror or cause}", str(path)) from None
        raise
    return path


# --- the three workbooks -------------------------------------------------------------------


def run_workbook(
    result: Result,
    path: Path,
    scenario_data: dict[str, Any] | None = None,
    uncertainty: Uncertainty | None = None,
    against: Against | None = None,
) -> Path:
    """``workbook.xlsx`` of one run.

    Sheets: Summary, Time series, with a market Market (``market.csv``), then with an
    agreement Releases, Auctions, Ledger and Pool; then Shocks, Portfolio, with ``against``
    (``--compare``) Against (``against.csv``: :func:`against_sheet`), with ``uncertainty``
    (``--uncertainty N``) its sheets (:func:`uncertainty_sheets`), Scenario (the parameters:
    ``scenario_data`` as given, with any ``--set`` applied, else the validated scenario
    with its defaults) and Columns (:func:`glossary`). Shipments by supplier stay in ``supply.csv``: at a row per day,
    region, material and supplier they would double the workbook for little reading.
    """
    names = [("Summary", "summary"), ("Time series", "timeseries")]
    if result.structure.market:
        names.append(("Market", "market"))
    if result.structure.members:
        names += [("Releases", "releases"), ("Auctions", "auctions"), ("Ledger", "ledger"), ("Pool", "pool")]
    names += [("Shocks", "shocks"), ("Portfolio", "portfolio")]
    tables = [(title, _dates_shown(getattr(result, name), result.start_date), name) for title, name in names]
    data = scenario_data if scenario_data is not None else result.scenario.model_dump(mode="json")
    given: dict[str, Given] = {}
    if against is not None:
        tables.append((AGAINST_SHEET, _dates_shown(against.frame(), result.start_date), AGAINST_REGISTRY_TABLE))
        given[AGAINST_SHEET] = Given(AGAINST_UNITS, {**AGAINST_MEANINGS, **_against_words(against)})
    if uncertainty is not None:
        studied, told = uncertainty_sheets(uncertainty, data)
        tables += studied
        given.update(told)
    return _sheets(path, tables, [("Scenario", data)], given=given)


AGAINST_SHEET = "Against"
AGAINST_REGISTRY_TABLE = "summary"
"""The table whose registry entries give the Against sheet's ``region``, ``material``, ``shortfall_t``,
``first_shortfall_day`` and ``first_shortfall_date`` their units and the first day's note on -1 (``against.csv``
takes them from it)."""
AGAINST_UNITS = {
    "baseline_shortfall_t": registry_unit("t"),
    "change_t": registry_unit("t"),
    "change_share": registry_unit("fraction"),
    "baseline_first_shortfall_day": Unit(None, None),
    "baseline_first_shortfall_date": registry_unit("date"),
}
"""The units of the Against sheet's columns the registry does not describe (its others are ``summary``'s)."""
AGAINST_MEANINGS = {
    "material": "The row's material (a material the region has demand for in both runs; no all rows here).",
    "shortfall_t": "This run's shortfall of the region and material (as in summary.csv).",
    "baseline_shortfall_t": "The baseline run's shortfall of the region and material (--compare's scenario).",
    "change_t": "This run's shortfall less the baseline's (negative: less short than the baseline).",
    "change_share": (
        "change_t over the baseline's shortfall (-60% for 60% less); empty where the baseline is not short "
        "(no shortfall, or a rounding residue), where a share of it means nothing."
    ),
    "first_shortfall_day": "This run's first day short (model day; -1 means never, as in summary.csv).",
    "baseline_first_shortfall_day": (
        "The baseline run's first day short (its own model day: day 0 is its start_date; -1 means never)."
    ),
    "first_shortfall_date": (
        "first_shortfall_day as a date (this run's start_date + the day); empty when never short. The Against "
        "sheet has its date columns when this run has a start_date, as the Summary sheet."
    ),
    "baseline_first_shortfall_date": (
        "baseline_first_shortfall_day as a date, from the baseline's own start_date; empty when never short or "
        "without a start_date."
    ),
}
"""The Columns sheet's words for the Against sheet (``against.csv``, :class:`simulator.against.Against`)."""


def _against_words(against: Against) -> dict[str, str]:
    """The region column's meaning on the Against sheet: the rows both runs have, and any pair left out."""
    left = [
        f"only in {where}, not compared: " + ", ".join(f"{region} {material}" for region, material in pairs)
        for where, pairs in (("this run", against.only_in_run), ("the baseline", against.only_in_baseline))
        if pairs
    ]
    period = [] if against.same_period else ["the runs cover different periods: the totals are not like for like"]
    rows = f"A region and material both runs use (baseline: {against.baseline_name})."
    return {"region": " ".join([rows, *(f"{text[0].upper()}{text[1:]}." for text in (*left, *period))])}


UNCERTAINTY_SHEET, SAMPLES_SHEET, WITHOUT_SHEET = "Uncertainty", "Samples", "Samples without"
UNCERTAINTY_COLUMNS = {
    "metric": "The headline figure: its column in Samples (a per-run metric, named as in a sweep table).",
    "title": "The figure's label, its unit in brackets.",
    "unit": "The unit of this row's median, p5 and p95 (empty: a pure number, such as Jain's index).",
    "median": "The median of the figure over the samples the row counts (samples), in the row's unit.",
    "p5": "The 5th percentile over those samples (NumPy's linear interpolation): the 90% interval's low end.",
    "p95": "The 95th percentile over those samples: the 90% interval's high end (the spread the assumed "
    "ranges give, not a confidence interval).",
    "drivers": "The inputs most rank-correlated with the figure, at most three, with Spearman's rho "
    "(empty: none past the threshold at this number of samples, not that no input matters).",
    "samples": "How many samples the row counts: all, but for Jain's index those with a member short (of the "
    "row's material, in a row fairness_jain.all.<material>).",
}
"""The columns of the Uncertainty sheet (``uncertainty.csv``), which the registry does not describe."""
SAMPLE_KEY = "The sample's number, from 0: the key Samples and Samples without join on."
SAMPLED_INPUT = (
    "A sampled uncertain input, by the dotted scenario path --set takes (a mapping's key after its path): "
    "this sample's value (a list as JSON text), in its field's unit: the scenario reference's, else its name's."
)
SAMPLE_SEED = "The seed the sample ran with (its random draws): the same in Samples and Samples without."
OWN_DEMAND_MEANING = (
    "The sample's baseline demand per day of the region and material, averaged over the horizon: day-0 demand "
    "with yearly growth, before demand surges, noise and the price response."
)
PEAK_PRICE_MEANING = (
    "The highest world price of the material over the horizon in this sample (empty: a material with "
    "neither a market nor a price)."
)
WITHOUT_KEY = (
    "The sample's number: its row in Samples, run again without the agreement (the same seed and other inputs; "
    "with stocks held today, its members holding their sampled contributions alone)."
)


def uncertainty_sheets(
    found: Uncertainty, data: dict[str, Any]
) -> tuple[list[tuple[str, pd.DataFrame, str | None]], dict[str, Given]]:
    """The sheets of ``--uncertainty N`` and what each says of the columns the registry does not describe.

    Uncertainty, Samples and, with paired runs without the agreement, Samples without (its own sheet: its
    metrics have Samples' names, which side by side would need renaming). Each is its file's table as written
    (:func:`~simulator.sensitivity.intervals.write_uncertainty`): Uncertainty ``uncertainty.csv``, Samples
    ``uncertainty_samples.parquet``, Samples without :data:`~simulator.sensitivity.intervals.WITHOUT_FILE`, the
    same columns in the same order. A sampled input's unit is its field's (:func:`parameter_unit` in ``data``,
    the scenario as run).
    """
    from simulator.sensitivity.intervals import PEAK_WORLD_PRICE, numbered
    from simulator.sweep.runner import OWN_DEMAND

    samples = numbered(found.samples)
    inputs = [str(c) for c in samples.columns[1 : samples.columns.get_loc("seed")]]
    meanings = {"sample": SAMPLE_KEY, "seed": SAMPLE_SEED, **dict.fromkeys(inputs, SAMPLED_INPUT)}
    for name in map(str, samples.columns):
        if name.startswith(f"{OWN_DEMAND}."):
            meanings[name] = OWN_DEMAND_MEANING
        elif name.startswith(f"{PEAK_WORLD_PRICE}."):
            meanings[name] = PEAK_PRICE_MEANING
    tables = [(UNCERTAINTY_SHEET, found.headlines, None), (SAMPLES_SHEET, samples, None)]
    given = {
        UNCERTAINTY_SHEET: Given(dict.fromkeys(UNCERTAINTY_COLUMNS, Unit(None, None)), UNCERTAINTY_COLUMNS),
        SAMPLES_SHEET: Given({path: parameter_unit(path, data) for path in inputs}, meanings),
    }
    if found.without is not None:
        tables.append((WITHOUT_SHEET, numbered(found.without), None))
        given[WITHOUT_SHEET] = Given({}, {"sample": WITHOUT_KEY, "seed": SAMPLE_SEED})
    return tables, given


def compare_workbook(comparison: Comparison, path: Path, scenario_data: dict[str, Any]) -> Path:
    """``workbook.xlsx`` of ``stockpile compare``: the comparison table, every rule's summary, the scenario.

    Sheets: Comparison (one row per mechanism, as ``compare.csv``), Summaries (each
    mechanism's summary table, stacked, with a leading ``mechanism`` column; first the
    baselines', ``no agreement``, ``stocks held today`` and ``own shares alone``, when compared), Scenario, whose
    ``agreement.mechanism`` names the rules compared rather than the file's one rule, and Columns.
    """
    if isinstance(scenario_data.get("agreement"), dict):
        compared = "compared: " + ", ".join(comparison.results)
        scenario_data = {**scenario_data, "agreement": {**scenario_data["agreement"], "mechanism": compared}}
    runs = {**comparison.baselines, **comparison.results}
    summaries = pd.concat([result.summary.assign(mechanism=name) for name, result in runs.items()], ignore_index=True)
    summaries = summaries[["mechanism", *(c for c in summaries.columns if c != "mechanism")]]
    summaries = _dates_shown(summaries, next(iter(runs.values())).start_date)
    tables = [("Comparison", comparison.table(), None), ("Summaries", summaries, "summary")]
    return _sheets(path, tables, [("Scenario", scenario_data)])


MACHINE_FIELDS = (
    "wall_time_s",
    "workers_requested",
    "workers",
    "backend",
    "chunk_runs",
    "chunks_kept",
    "legs",
    "made_with",
    "scenario_file_resolved",
)
"""``sweep.json`` fields that tell how this machine ran the sweep, not what it computed: left out of the workbook.

``chunk_runs`` too: the table is the same, byte for byte, whatever the chunking; and how many chunks a resume
kept, the processes that ran it (``legs``), the code, Python, libraries and platform (``made_with``) and where
the scenario file is on this machine (``scenario_file_resolved``)."""


def sweep_workbook(table: pd.DataFrame, info: dict[str, Any], path: Path, scenario_data: dict[str, Any]) -> Path:
    """``workbook.xlsx`` of a sweep: the sweep table, its set-up (``sweep.json``), the scenario and Columns.

    The swept paths, ``point``, ``run`` and ``seed`` stay in view with the header row. The
    set-up leaves out how this machine ran it (:data:`MACHINE_FIELDS`, in ``sweep.json``), so
    that the same sweep gives the same bytes on any backend.
    """
    keys = KEY_COLUMNS | set(info.get("grid", {}))
    setup = {key: value for key, value in info.items() if key not in MACHINE_FIELDS}
    return _sheets(path, [("Sweep", table, None)], [("Sweep set-up", setup), ("Scenario", scenario_data)], keys)


def check_sweep_fits(n_runs: int, where: str, instead: str = "sweep.parquet (or --format csv)") -> None:
    """Refuse ``--excel`` (``excel=``) before a sweep starts when its table cannot fit one Excel sheet.

    ``instead`` names where the table is to be read (the command line's files by default).
    """
    if n_runs + 1 > EXCEL_MAX_ROWS:
        message = (
            f"{n_runs:,} runs do not fit an Excel sheet ({EXCEL_MAX_ROWS - 1:,} rows); "
            f"leave out {setting('excel')} and read {instead}"
        )
        raise InputError([Problem(setting("excel"), message)], where)


def _dates_shown(table: pd.DataFrame, start_date: dt.date | None) -> pd.DataFrame:
    """``table`` without its date columns when the scenario has no start date (they are empty), else whole.

    Only the scenario decides: a run with a start date keeps a date column that is empty in this run
    (``first_shortfall_date`` where no one is short), so that every run of a scenario has the same columns
    in the same places as its CSV.
    """
    if start_date is not None:
        return table
    return table.drop(columns=[c for c in table.columns if _is_date_column(str(c))])
