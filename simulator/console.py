"""Text tables the command line prints: a run's summary and a comparison of rules.

Layer: studies.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from simulator.against import against, used_rows
from simulator.names import decimals_text, is_residue, small_text
from simulator.results import ALL, date_label
from simulator.shortages import short as _short

if TYPE_CHECKING:
    import pandas as pd


def shortfall_text(tonnes: float) -> str:
    """Tonnes to 0.1 t, but a shortfall too small for that with two significant figures, never ``0.0``.

    >>> shortfall_text(0.0), shortfall_text(1234.56), shortfall_text(0.0349), shortfall_text(0.00012)
    ('0.0', '1,234.6', '0.035', '0.00012')

    Its finest digit is the 6th decimal, as :func:`~simulator.names.number_text`'s: what rounds to 0 there is
    floating-point residue (:func:`~simulator.names.is_residue`), no shortfall, and reads ``0.0`` (never
    ``3.8e-16`` or ``-0.0``); a real small one keeps two significant figures, in decimals, not with an exponent
    (:func:`~simulator.names.small_text`):

    >>> shortfall_text(3.84e-16), shortfall_text(-2e-17), shortfall_text(0.004), shortfall_text(0.0000123)
    ('0.0', '0.0', '0.004', '0.000012')
    """
    if is_residue(tonnes):
        return "0.0"
    return small_text(tonnes, 2) if abs(tonnes) < 0.05 else f"{tonnes:,.1f}"


def _table(header: tuple[str, ...], cells: list[tuple[str, ...]]) -> list[str]:
    """Columns padded to their widest cell: the first two (names) to the left, numbers to the right."""
    widths = [max(len(str(c[k])) for c in [header, *cells]) for k in range(len(header))]
    return [
        "  ".join(
            str(c).ljust(w) if k < 2 else str(c).rjust(w) for k, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in [header, *cells]
    ]


def _change(tonnes: float) -> str:
    """A change of tonnes with its sign (``-20.0``, ``+0.035``), ``0.0`` for none (or a residue, ``1e-13``)."""
    text = shortfall_text(tonnes)
    return f"+{text}" if tonnes > 0 and text != "0.0" else text


def _first(result: Any, day: int) -> str:
    """The first day short as a date, ``never`` where there is none (-1): a word a screen reader reads, not ``-``."""
    return date_label(result.start_date, day) if day >= 0 else "never"


def summary_text(result: Any) -> str:
    """The short table ``stockpile run`` prints: shortfall, days short, cover.

    A region without demand for a material gets no row for it (it is never short and
    has no cover to speak of), as in the report.
    """
    header = ("region", "material", "shortfall t", "days short", "first short", "min cover d")
    cells = [
        (
            row["region"],
            row["material"],
            shortfall_text(row["shortfall_t"]),
            str(row["shortfall_days"]),
            _first(result, row["first_shortfall_day"]),
            decimals_text(row["min_days_of_cover"]) if row["min_days_of_cover"] is not None else "n/a",
        )
        for row in used_rows(result)
    ]
    lines = _table(header, cells)
    rows = result.tables["summary"].rows()
    overall = next(row for row in rows if row["region"] == ALL and row["material"] == ALL)
    # the total and Jain's index are the members' (every region's without an agreement); the index counts no
    # burden as equal (1): said as such, not as a fair share of a burden; a residue total (1e-13 t, which reads
    # 0.0) is none (simulator.shortages.short)
    nobody = "no member" if result.structure.member_names else "no one"
    fairness = (
        _fairness_text(result, rows, overall["fairness_jain"])
        if _short(overall["total_shortfall_t"])
        else f"{nobody} is short, so there is no burden to share"
    )
    lines.append(f"{total_text(result)}; {fairness}")
    return "\n".join(lines)


def _fairness_text(result: Any, rows: list[dict[str, Any]], overall: float) -> str:
    """``fairness (Jain) 0.969``; by material where the scenario's tonnes may not be added.

    There the index over all materials would add the tonnes :func:`_total_text` does not add, or, with one
    material short, divide its shortfall by demand for the others too
    (:func:`simulator.scenario.tonnes.index_by_material`): each material short gets its own index, and one that a
    single member uses is named with it (:func:`simulator.burden.fairness_by_material`): ``fairness (Jain) by
    material: light rare earths 0.648 and heavy rare earths 0.995; only the EU uses NdFeB magnets``, with one
    material short ``fairness (Jain) of heavy rare earths 0.637``. An index that would read 1
    or 0 at 3 decimals and is neither gets up to 4, then reads ``above 0.9999`` or ``below 0.0001``
    (:func:`simulator.names.index_text`).
    """
    from simulator.burden import fairness_by_material
    from simulator.names import Names, index_text, join_words
    from simulator.scenario.tonnes import index_by_material

    short = _short_by_material(rows)
    if not index_by_material(result.scenario, short):
        return f"fairness (Jain) {index_text(overall)}"
    names = Names.of(result.scenario)
    indices, sole_users = fairness_by_material(result, list(short))
    shown = [f"{names.material_text(material)} {index_text(index)}" for material, index in indices]
    alone = [f"only {names.subject(region)} uses {names.material_text(material)}" for material, region in sole_users]
    by_material = f"fairness (Jain) {'of' if len(short) == 1 else 'by material:'} {join_words(shown)}" if shown else ""
    return "; ".join(part for part in (by_material, *alone) if part)


def _short_by_material(rows: list[dict[str, Any]]) -> dict[str, float]:
    """The members' shortfall (t) of each material short, from the summary's ``all`` rows of each material.

    Short as :func:`simulator.shortages.short` says: a residue (1e-13 t, which reads ``0.0``) is none.
    """
    return {
        row["material"]: row["total_shortfall_t"]
        for row in rows
        if row["region"] == ALL and row["material"] != ALL and _short(row["total_shortfall_t"])
    }


def total_text(result: Any) -> str:
    """The run's shortfall as ``stockpile run``'s last line gives it, before its fairness (:func:`_total_text`).

    ``RunResult``'s repr says the same: one total, or by material where tonnes are apart.
    """
    rows = result.tables["summary"].rows()
    overall = next(row for row in rows if row["region"] == ALL and row["material"] == ALL)
    return _total_text(result, rows, overall["total_shortfall_t"])


def _total_text(result: Any, rows: list[dict[str, Any]], total: float) -> str:
    """``total shortfall 7,111.3 t``; by material where a total would add unlike tonnes.

    That is where tonnes of the run's materials may not be added
    (:func:`simulator.scenario.tonnes.tonnes_apart`: oxide and magnet, or prices far apart)
    and two materials or more are short: ``members' shortfall 10,706.8 t of light rare earths,
    247.7 t of heavy rare earths and 13,696.3 t of NdFeB magnets (not added: tonnes of magnet
    and tonnes of oxide)``, read from the summary's rows of each material (``all``, as the
    total), whose figures add up to the total. Named as the report names them.
    """
    from simulator.names import Names, join_words
    from simulator.scenario.tonnes import not_added

    by_material = _short_by_material(rows)
    why = not_added(result.scenario, by_material)
    if why is None:
        return f"total shortfall {shortfall_text(total)} t"
    names = Names.of(result.scenario)
    whose = "members' shortfall" if result.structure.member_names else "shortfall"
    parts = [f"{shortfall_text(t)} t of {names.material_text(m)}" for m, t in by_material.items()]
    return f"{whose} {join_words(parts)} (not added: {why})"


def _period(scenario: Any) -> str:
    """``730 days from 1 Jan 2026`` (``730 days`` without a start date)."""
    days = f"{scenario.horizon_days:,} days"
    return f"{days} from {date_label(scenario.start_date, 0)}" if scenario.start_date else days


def _rows_total_text(result: Any, by_material: dict[str, list[float]], ours: float, base: float) -> str:
    """``run --compare``'s line under its table: the rows' shortfall against the baseline's.

    By material where a total would add unlike tonnes, by the rule of :func:`_total_text`
    (:func:`~simulator.scenario.tonnes.not_added` of the materials short in this run or the
    baseline): ``shortfall of these rows by material (not added: tonnes of magnet and tonnes of
    oxide): light rare earths 10,706.8 t against 1,184.3 t and NdFeB magnets 13,696.3 t against
    5,927.0 t in the baseline``.
    """
    from simulator.names import Names, join_words
    from simulator.scenario.tonnes import not_added

    short = {m: pair for m, pair in by_material.items() if _short(pair).any()}
    why = not_added(result.scenario, short)
    if why is None:
        return f"shortfall of these rows {shortfall_text(ours)} t against {shortfall_text(base)} t in the baseline"
    names = Names.of(result.scenario)
    parts = [
        f"{names.material_text(m)} {shortfall_text(here)} t against {shortfall_text(there)} t"
        for m, (here, there) in short.items()
    ]
    return f"shortfall of these rows by material (not added: {why}): {join_words(parts)} in the baseline"


def against_text(result: Any, baseline: Any) -> str:
    """``run --compare``: each region's shortfall beside the baseline's, for the regions and materials in both.

    The lines read the table of :func:`simulator.against.against` (``against.csv``): its rows, their totals, and
    what it says is not compared (pairs in one run only) or not like for like (runs over different periods).
    """
    compared = against(result, baseline)
    header = ("region", "material", "shortfall t", "baseline t", "change t", "first short", "baseline first")
    cells, ours_t, base_t = [], 0.0, 0.0
    by_material: dict[str, list[float]] = {}  # this run's and the baseline's shortfall of each material
    for row in compared.table.rows():
        ours_t += row["shortfall_t"]
        base_t += row["baseline_shortfall_t"]
        pair = by_material.setdefault(row["material"], [0.0, 0.0])
        pair[0] += row["shortfall_t"]
        pair[1] += row["baseline_shortfall_t"]
        cells.append(
            (
                row["region"],
                row["material"],
                shortfall_text(row["shortfall_t"]),
                shortfall_text(row["baseline_shortfall_t"]),
                _change(row["change_t"]),
                _first(result, row["first_shortfall_day"]),
                _first(baseline, row["baseline_first_shortfall_day"]),
            )
        )
    lines = [
        f"against {compared.baseline_name}:",
        *_table(header, cells),
        _rows_total_text(result, by_material, ours_t, base_t),
    ]
    if not compared.same_period:
        lines.append(
            f"the runs cover different periods ({_period(result.scenario)} against {_period(baseline.scenario)}): "
            "the totals are not like for like"
        )
    for where, pairs in (("this run", compared.only_in_run), ("the baseline", compared.only_in_baseline)):
        if pairs:
            shown = ", ".join(f"{region} {material}" for region, material in pairs)
            lines.append(f"only in {where}, not compared: {shown}")
    return "\n".join(lines)


COLUMN_NOTES = {
    "fairness_jain": "Jain's index of the members' shares of shortfall: 1 if borne evenly, 1/n if one bears all",
    "max_shortfall_share_gap": "the largest difference between two members' shares of shortfall (shortfall/demand)",
    "draw_contribution_gap": (
        "how far the members' shares of the draws are from their shares of what they paid in "
        "(0: each drew in proportion, 1: those who drew paid nothing in)"
    ),
    "envious_members": "members short that would rather have another's draw, scaled to their own contribution",
    "extra_cost_usd_m": (
        "what the members used, at each day's spot price less the same tonnes at reference prices, USD million: "
        "an opportunity cost, not what was paid"
    ),
}
"""One line under ``stockpile compare``'s table per metric column it shows: what it measures, in
words (defined in docs/release-rules.md#fairness and docs/outputs.md#files-of-stockpile-compare)."""
WHERE_DEFINED = "defined in docs/release-rules.md#fairness (the metrics) and docs/outputs.md#files-of-stockpile-compare"
"""The last line under ``stockpile compare``'s table: where its columns are defined in full."""


def compare_text(table: pd.DataFrame) -> str:
    """The comparison ``stockpile compare`` prints: each rule's total shortfall and its fairness metrics side by side.

    Tonnes as ``stockpile run``'s summary gives them (:func:`shortfall_text`: 10,706.8, not 10,706.796), and
    beside them each rule's first day short (:func:`_first_short`: the earliest day a member is short, ``never``).
    With a market, also the highest price any member paid per material and the
    members' extra cost at crisis prices (USD m). The rows ``no agreement`` (the scenario
    without its agreement) and ``own shares alone`` (each member's share held alone)
    have ``no pool`` where a metric needs a pool (:data:`~simulator.compare.NO_POOL`), and lines under the table
    say what they are; a cell with no figure otherwise reads ``n/a``: words a screen reader reads, not a lone ``-``.
    Jain's index is written as :func:`simulator.names.index_text` writes it: up to 4 decimals where 3 would read 1
    or 0 and it is neither, then ``above 0.9999`` (0.99994959, which compare.csv rounds to 0.999950, is not equal
    burdens). A row in which no member is short has ``none short`` for it (compare.csv's 1 is a convention,
    :func:`~simulator.metrics.anyone_short`), and a line says so; when no row has anyone short, a line first says
    that shortfall cannot tell the rules apart.

    Where ``total_shortfall_t`` would add tonnes that may not be added (oxide and magnet, or
    materials priced far apart: ``table.attrs[BY_MATERIAL]``, :func:`simulator.compare.shortfall_by_material`),
    the members' shortfall of each material short (``total_shortfall_t.all.<material>``, compare.csv's column) stands
    in its place, and a line says they are not added and why. A line says why two rules' rows coincide where
    they cannot differ (``table.attrs[RULE_NOTES]``, :func:`simulator.compare.rule_notes`). The largest share gap,
    draw-contribution gap and envy by material (:data:`LEFT_OUT`) are left out of the printed table, to keep it
    narrow enough to read, and a last line says that compare.csv has them.
    """
    import pandas as pd

    from simulator.compare import (
        BASELINE_NOTES,
        BY_MATERIAL,
        EMPTY_NOTE,
        NO_BURDEN_NOTE,
        NO_POOL,
        NONE_SHORT,
        NOT_ADDED,
        RULE_NOTES,
        START_DATE,
        TOTAL_BY_MATERIAL,
        nobody_short_line,
    )
    from simulator.compare_materials import (
        FAIRNESS_OF,
        by_material_notes,
        is_short_of,
        shown_by_material,
    )
    from simulator.metrics import anyone_short
    from simulator.names import index_text

    fairness = shown_by_material(table.attrs)  # fairness_jain, draw_contribution_gap or theirs of each material
    left_out = [c for c in fairness if c.startswith(LEFT_OUT)]
    fairness = tuple(c for c in fairness if c not in left_out)
    by_material: dict[str, list[float | None]] = table.attrs.get(BY_MATERIAL, {})
    rule_notes: list[str] = table.attrs.get(RULE_NOTES, [])
    not_run = table[table["skipped"].notna()] if "skipped" in table else table.iloc[:0]
    table = table.drop(index=not_run.index)  # a rule that could not run is a line of its own, with why
    total = [] if by_material else ["total_shortfall_t"]  # by material where a total would add unlike tonnes
    shown = table[[c for c in ("mechanism", *total, *fairness) if c in table]]
    shown = shown.copy()
    for k, (material, values) in enumerate(by_material.items()):  # in total_shortfall_t's place
        shown.insert(1 + k, f"{TOTAL_BY_MATERIAL}{material}", [values[i] for i in table.index])  # compare.csv's
    members = [c.partition(".")[2] for c in table.columns if c.startswith("shortfall_share.")]
    tonnes = [c for c in shown.columns if c == "total_shortfall_t" or c.startswith(TOTAL_BY_MATERIAL)]
    for column in tonnes:  # as stockpile run's summary gives tonnes
        shown[column] = [shortfall_text(v) if v is not None and not pd.isna(v) else "n/a" for v in shown[column]]
    if members and all(f"first_shortfall_day.{m}" in table for m in members):
        days = table[[f"first_shortfall_day.{m}" for m in members]]
        shown.insert(1 + len(tonnes), FIRST_SHORT, [_first_short(table.attrs.get(START_DATE), r) for r in days.values])
    short = [anyone_short(row, members) for _, row in table.iterrows()]
    if "fairness_jain" in shown:  # 1 by convention where nobody is short: not shown as a finding
        shown["fairness_jain"] = [
            index_text(v) if s and not pd.isna(v) else NONE_SHORT
            for v, s in zip(shown["fairness_jain"], short, strict=True)
        ]
    for column in [c for c in shown.columns if c.startswith(FAIRNESS_OF)]:  # as above, of the material
        material = column.removeprefix(FAIRNESS_OF)
        short_of = [is_short_of(row, members, material) for _, row in table.iterrows()]
        shown[column] = [
            index_text(v) if s and not pd.isna(v) else NONE_SHORT for v, s in zip(shown[column], short_of, strict=True)
        ]
    peaks: dict[str, list[str]] = {}
    for column in table.columns:
        name, _, rest = column.partition(".")
        if name == "peak_price_usd_per_kg" and rest.count(".") == 1:
            peaks.setdefault(rest.split(".")[1], []).append(column)
    for material, columns in peaks.items():
        shown[f"peak_usd_per_kg.{material}"] = table[columns].max(axis=1)
    extra = [c for c in table.columns if c.startswith("crisis_extra_cost_usd.")]
    if extra:
        shown["extra_cost_usd_m"] = table[extra].sum(axis=1, min_count=1) / 1e6
    for column in [c for c in shown.columns if c.startswith("peak_") or c == "extra_cost_usd_m"]:
        shown[column] = shown[column].map(lambda v: "n/a" if pd.isna(v) else f"{v:,.1f}")  # one decimal
    baseline_rows = table["mechanism"].isin(list(BASELINE_NOTES)).to_numpy()
    for column in [c for c in shown.columns if c != "mechanism"]:  # an empty cell in words, not a lone "-"
        whole = pd.api.types.is_integer_dtype(shown[column].dtype)  # a count (Int64: with empty cells)
        empty = [NO_POOL if there and column.startswith(POOL_METRICS) else "n/a" for there in baseline_rows]
        shown[column] = [_cell(v, whole, gap) for v, gap in zip(shown[column], empty, strict=True)]
    text = shown.to_string(index=False, justify="right")
    baseline = [note for name, note in BASELINE_NOTES.items() if (table["mechanism"] == name).any()]
    nobody = [nobody_short_line(bool(baseline))] if not any(short) else []
    what = table.attrs.get(NOT_ADDED, "")
    units = [f"{TOTAL_BY_MATERIAL}MATERIAL: the members' shortfall of each, not added ({what})"] if by_material else []
    firsts = [FIRST_SHORT_NOTE] if FIRST_SHORT in shown else []
    baseline += [EMPTY_NOTE] if (shown == NO_POOL).any().any() else []
    baseline += [NO_BURDEN_NOTE] if not all(short) and "fairness_jain" in shown else []
    meanings = [
        f"{column}: {note}"
        for column, note in COLUMN_NOTES.items()
        if any(c == column or c.startswith(f"{column}.all.") for c in shown)
    ]
    return "\n".join(
        [
            text,
            *nobody,
            *units,
            *by_material_notes(table.attrs, shown),
            *baseline,
            *(f"not run: {row.mechanism}: {row.skipped}" for row in not_run.itertuples()),
            *rule_notes,
            *firsts,
            *meanings,
            *([WHERE_DEFINED] if meanings else []),
            *([_left_out_line(left_out)] if left_out else []),
        ]
    )


FIRST_SHORT = "first_shortfall_day"
"""The column of ``stockpile compare``'s printed table with each rule's first day short, a date (:func:`_first_short`):
named as compare.csv's columns of each member's, one word as every column's name (scripts split the header)."""
FIRST_SHORT_NOTE = (
    f"{FIRST_SHORT}: the first day any member is short, never if none is (compare.csv's first_shortfall_day.MEMBER "
    "gives each member's)"
)
"""The line under ``stockpile compare``'s table that says what :data:`FIRST_SHORT` is."""
POOL_METRICS = ("draw_contribution_gap", "envious_members")
"""The metrics of ``stockpile compare``'s printed table that need a pool: a baseline row has :data:`NO_POOL` there."""
LEFT_OUT = ("max_shortfall_share_gap.all.", "draw_contribution_gap.all.", "envious_members.all.")
"""The columns by material that ``stockpile compare``'s printed table leaves out: one per material each, they made
it some 330 characters wide; compare.csv keeps them, and a line under the table says so."""


def _cell(value: Any, whole: bool, empty: str) -> str:
    """A cell of ``stockpile compare``'s printed table: words as they are, no figure as ``empty``, numbers as numbers.

    A count (``whole``) is written whole, any other number to 3 decimals.

    >>> _cell("none short", False, "n/a"), _cell(float("nan"), False, "no pool"), _cell(2, True, "n/a")
    ('none short', 'no pool', '2')
    >>> _cell(0.12345, False, "n/a"), _cell(1234.5, False, "n/a")
    ('0.123', '1,234.500')
    """
    import pandas as pd

    if isinstance(value, str):
        return value
    if pd.isna(value):
        return empty
    return str(value) if whole else decimals_text(value, 3, separators=True)


def _first_short(start: Any, days: Any) -> str:
    """A rule's first short: the earliest of its members' first days short (-1: never), as a date.

    >>> import datetime as dt
    >>> _first_short(dt.date(2010, 7, 1), [166, 139]), _first_short(None, [-1, 12]), _first_short(None, [-1, -1])
    ('17 Nov 2010', 'day 12', 'never')
    >>> import pandas as pd
    >>> _first_short(None, [pd.NA, 3]), _first_short(None, [float("nan")])
    ('day 3', 'never')
    """
    import pandas as pd

    short = [int(day) for day in days if not pd.isna(day) and day >= 0]  # empty (a rule not run): no day
    return date_label(start, min(short)) if short else "never"


def _left_out_line(columns: list[str]) -> str:
    """The last line under ``stockpile compare``'s table: the columns by material it leaves out, kept in compare.csv.

    >>> _left_out_line(["max_shortfall_share_gap.all.a", "max_shortfall_share_gap.all.b", "envious_members.all.a"])
    'compare.csv has every column; this table leaves out max_shortfall_share_gap.all.MATERIAL and \
envious_members.all.MATERIAL'
    """
    from simulator.names import join_words

    metrics = list(dict.fromkeys(f"{c.rpartition('.')[0]}.MATERIAL" for c in columns))
    return f"compare.csv has every column; this table leaves out {join_words(metrics)}"
