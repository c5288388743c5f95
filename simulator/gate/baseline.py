"""Baselines on disk (studies layer): the record of one run, its rounding, reading and writing.

Layer: studies.

A baseline (``<scenario folder>/baselines/<file stem>.json``, named after the scenario
file) holds the package version, the scenario's hash and seed, a short hash of each part
of the scenario (``scenario_parts``: ``horizon_days``, ``regions.eu``, ``shocks.0``, ...,
so that a check can say which parts changed; baselines written before it have none),
every flat summary
metric of the run, and fingerprints of the curves: days of cover and cumulative
shortfall per region and material, every ``FINGERPRINT_EVERY_DAYS`` days and on the
last day, and the SHA-256 of those numbers (:data:`DIGEST`), so that a baseline edited
by hand is refused on reading (:class:`EditedBaseline`). Files are plain JSON with sorted
keys, one value per line, so that a change reads well in a diff.

Numbers are stored rounded to ``SIGNIFICANT_DIGITS`` significant digits (``-0.0`` as
``0.0``); a non-finite number (NaN, an infinite days of cover) is stored as ``null``.
Rounding alone cannot promise that regenerating a baseline on another machine changes
no line (a last-digit difference can cross a rounding boundary), so :func:`settle`
also keeps every stored number that the check would accept (``--update`` settles only where
the scenario and the tool version are the baseline's; otherwise it records the run exactly).

This module is the gate's only contact with the model: it runs scenarios
(:func:`simulator.engine.simulate`) and takes the metric names from
:mod:`simulator.results` (:data:`METRIC_NAMES`).
"""

from __future__ import annotations

import json
import math
import os
import re
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.json_text import read_json
from simulator.names import plural
from simulator.quantities import fingerprint_names, in_baselines, metric_names
from simulator.scenario import Scenario, scenario_hash
from simulator.scenario.load import canonical_data, item_id, read_input, sha256_of, with_order
from simulator.scenario.schema import MAX_SEED
from simulator.scenario.strict_yaml import conflict_line
from simulator.scenario.uncertain import NOT_INPUTS
from simulator.version import __version__

FORMAT = "stockpile-baseline/2"
"""The format this tool writes: its scenario hash leaves out values at their defaults (format 1 counted them,
so that a field added with a default looked like an edit) and counts the order of regions, materials and
suppliers."""
EARLIER_FORMAT = "stockpile-baseline/1"
"""Read too: numbers compare as ever, but whether its scenario changed can be told only where it still hashes alike."""
SIGNIFICANT_DIGITS = 12
"""Significant digits of the numbers written; a baseline stating fewer is refused (it would hide small moves)."""
DIGEST = "numbers_sha256"
"""The field holding the SHA-256 of a baseline's numbers (:func:`numbers_digest`), written by ``--update`` and
checked on reading, so that a baseline edited by hand (a number changed, added or removed) is not taken for the
record of a run. Baselines written before it carry none and are read as before."""
FINGERPRINT_EVERY_DAYS = 7
CURVES = fingerprint_names()
METRIC_NAMES = metric_names()
"""Names a tolerance may be given for: summary metrics (without region and material) and curves. Each metric has
columns a baseline stores (:attr:`simulator.quantities.Quantity.in_baselines`: all, or those over all materials)."""

DEFAULT_SEED = Scenario.model_fields["seed"].default
"""The seed of a scenario that gives none: not a scenario part (values at their defaults are not)."""
TEXT_PARTS = tuple(part for part in Scenario.model_fields if part in NOT_INPUTS and part != "name")
"""Scenario parts that the run never reads (:data:`simulator.scenario.uncertain.NOT_INPUTS` but ``name``, which a
baseline records as whose it is), in the scenario's order: texts for people and the report (``description``,
``assumptions``) and the ranges of ``stockpile sensitivity`` and ``run --uncertainty``
(``uncertain``). An edit of them alone cannot move a number the check compares, so a drift
beside it is the code's (:func:`inputs_changed`)."""
LISTED_PARTS = ("shocks",)
"""Top-level lists of the scenario whose entries are hashed one by one (``shocks.0``, ``shocks.1``)."""
KEYED_PARTS = ("regions", "materials", "suppliers", "market", *LISTED_PARTS)
"""Parts whose entries the user names (``regions.eu``, ``shocks.halt``): an entry on one side only was added or
removed. Any other part on one side only (``seed``, ``description``, ``agreement.trigger``) moved from or to its
default, which is not stored (:func:`scenario_parts`): it changed."""
FORMAT_LINE = f'"format": "{FORMAT}"'
"""How every baseline this tool writes names its format (one line of its JSON)."""
FORMAT_LINES = (FORMAT_LINE, f'"format": "{EARLIER_FORMAT}"')
FORMAT_PREFIX = "stockpile-baseline/"
"""How every baseline format is named, this tool's and a later one's (``stockpile-baseline/<number>``)."""
_LATER_LINE = re.compile(r'"format": "stockpile-baseline/([0-9]+)"')
_KEY = re.compile(r"^[A-Za-z0-9_]+(\.[A-Za-z0-9_]+){0,2}$")
Number = int | float | None


def baseline_path(scenario_file: Path, folder: Path | None = None) -> Path:
    """Where the baseline of a scenario file lives (``<its folder>/baselines/<stem>.json``)."""
    return (folder or scenario_file.parent / "baselines") / f"{scenario_file.stem}.json"


def rounded(value: Any, digits: int | None = SIGNIFICANT_DIGITS) -> Number:
    """``value`` as stored: ``digits`` significant digits, whole numbers kept, non-finite as None.

    >>> rounded(0.1 + 0.2), rounded(-0.0), rounded(float("inf")), rounded(-1), rounded(2 / 3, 3)
    (0.3, 0.0, None, -1, 0.667)
    """
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    number = float(value)
    if not math.isfinite(number):
        return None
    if digits is not None:
        number = float(f"{number:.{digits}g}")
    return number + 0.0  # -0.0 -> 0.0


def run_record(scenario: Scenario) -> dict[str, Any]:
    """Run ``scenario`` once and return its baseline record (see the module docstring)."""
    from simulator.engine import simulate

    result = simulate(scenario)
    ts = result.timeseries
    horizon = scenario.horizon_days
    days = sorted({*range(0, horizon, FINGERPRINT_EVERY_DAYS), horizon - 1})
    curves: dict[str, dict[str, list[Number]]] = {"days": {"sampled": [float(d) for d in days]}}
    for curve in CURVES:
        curves[curve] = {
            f"{region}.{material}": [rounded(v) for v in rows[curve].to_numpy(float)[days]]
            for (region, material), rows in ts.groupby(["region", "material"], sort=False)
        }
    return {
        "format": FORMAT,
        "package_version": __version__,
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "scenario_parts": scenario_parts(scenario),
        "seed": result.seed,
        "significant_digits": SIGNIFICANT_DIGITS,
        "metrics": {key: rounded(value) for key, value in result.metrics.items() if in_baselines(key)},
        "curves": curves,
    }


ORDER_PART = " order"
"""The end of the parts that hash the order of regions, materials and suppliers (``regions order``)."""


def scenario_parts(scenario: Scenario) -> dict[str, str]:
    """A 12-hex-digit hash of each part of the scenario: a top-level field, each entry of a mapping, each shock.

    A shock is keyed by its id (its position only when the id is not unique), so that
    inserting one shock does not mark every later one as changed. The order of regions,
    materials and suppliers is a part too (``regions order``): it changes the numbers
    (:data:`simulator.scenario.load.ORDERED_MAPPINGS`). Values left at their defaults are
    not parts (:func:`simulator.scenario.load.canonical_data`).

    >>> from simulator.scenario import load_scenario
    >>> sorted(scenario_parts(load_scenario("scenarios/embargo_2010.yaml")))[:3]
    ['agreement.auction', 'agreement.decision_lag_days', 'agreement.members']
    """
    return {part: short_hash(value) for part, value in part_values(scenario).items()}


def part_values(scenario: Scenario, with_defaults: bool = False) -> dict[str, Any]:
    """The value of each part of the scenario, as :func:`scenario_parts` hashes it (JSON data, defaults left out).

    ``with_defaults``: every value, those at their defaults too (not what is hashed; what a default is).

    >>> from simulator.scenario import load_scenario
    >>> part_values(load_scenario("scenarios/long_embargo_6m.yaml"))["regions.eu"]["demand"]["light_ree"]
    {'tonnes_per_day': 34.8}
    """
    parts: dict[str, Any] = {}
    data = with_order(scenario.model_dump(mode="json")) if with_defaults else canonical_data(scenario)
    for key, names in data.pop("order").items():
        parts[key + ORDER_PART] = names
    for key, value in data.items():
        if isinstance(value, dict) and value:
            parts.update({f"{key}.{sub}": item for sub, item in value.items()})
        elif key in LISTED_PARTS and isinstance(value, list):
            parts.update({f"{key}.{item_id(value, item) or index}": item for index, item in enumerate(value)})
        else:
            parts[key] = value
    return parts


def short_hash(value: Any) -> str:
    """The 12 hex digits a baseline records for a scenario part's value (:func:`scenario_parts`).

    The first 12 of the SHA-256 of the value as compact JSON with its keys sorted
    (:func:`~simulator.scenario.load.sha256_of`): a check matching a part to a version of the
    scenario in git (:mod:`simulator.gate.fields`) hashes it the same way.
    """
    return sha256_of(value)[:12]


def same_scenario(old: dict[str, Any], new: dict[str, Any], scenario: Scenario) -> bool | None:
    """Whether the baseline ``old`` was written for ``scenario`` (``new``: its record now); None: cannot be told.

    A format-1 baseline hashed every value, defaults included (and, before, without the order
    of regions, materials and suppliers): it is the same scenario if the scenario still hashes
    alike by either of those schemes; if not, the difference may be only a field added since
    with a default, so whether the scenario changed cannot be told.
    """
    if old["scenario_hash"] == new["scenario_hash"]:
        return True
    full = scenario.model_dump(mode="json")
    for data in (full, with_order(full)):  # also under a format-2 line (a merge resolved by hand)
        if old["scenario_hash"] == sha256_of(data):
            return True
    return False if old.get("format") == FORMAT else None


SHOCKS_PREFIX = "shocks."
SHOCKS_ORDER = "shocks order"
"""The part named when the same shocks are listed in another order (the only change, see :func:`part_changes`)."""


def part_changes(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str] | None:
    """Each scenario part that differs between two records, sorted, as ``added``, ``removed`` or ``changed``.

    Only an entry of :data:`KEYED_PARTS` is added or removed; another part on one side only
    moved from or to its default (``seed`` 0 -> 7), and changed. None when ``old`` has no
    parts of this format. The order of regions, materials or suppliers
    (``regions order``) is named only when the same ones are listed before and after: a region
    added, removed or renamed changes the hash of the list of names, but it is not a reordering.
    Shocks are hashed one by one, by id: where the scenario hashes differ (``scenario_hash``) and
    no part does, the same shocks were listed in another order (``shocks order``); beside another
    edit such a reordering is not named.

    >>> part_changes({"format": FORMAT, "scenario_parts": {"regions order": "a", "regions.eu": "b", "seed": "c"}},
    ...              {"scenario_parts": {"regions order": "d", "regions.europe": "b", "seed": "c"}})
    {'regions.eu': 'removed', 'regions.europe': 'added'}
    >>> part_changes({"format": FORMAT, "scenario_parts": {}}, {"scenario_parts": {"seed": "e"}})
    {'seed': 'changed'}
    """
    before, after = old.get("scenario_parts"), new.get("scenario_parts")
    if not isinstance(before, dict) or not isinstance(after, dict) or old.get("format") != FORMAT:
        return None
    changes = {}
    for key in sorted(set(before) | set(after)):
        if before.get(key) == after.get(key):
            continue
        if key.endswith(ORDER_PART):
            prefix = key[: -len(ORDER_PART)] + "."
            if {k for k in before if k.startswith(prefix)} != {k for k in after if k.startswith(prefix)}:
                continue  # the names changed, not their order
        if (key in before and key in after) or key.partition(".")[0] not in KEYED_PARTS:
            changes[key] = "changed"
        else:
            changes[key] = "added" if key not in before else "removed"
    # The hash counts the order of the shocks, which their parts (keyed by id) do not: with every
    # part the same, the same shocks are listed in another order, which is all that is left to differ.
    shocks = sum(key.startswith(SHOCKS_PREFIX) for key in after)
    if not changes and old.get("scenario_hash") != new.get("scenario_hash") and shocks > 1:
        changes[SHOCKS_ORDER] = "changed"
    return changes


def edited_seed(old: dict[str, Any], new: dict[str, Any], same: bool | None) -> str | None:
    """Why the seed of the baseline ``old`` is not the one it was written with, or None (``new``: the run now).

    The digest (:data:`DIGEST`) covers the numbers only, so the seed is checked on its own: against the
    hash of it that the baseline's scenario parts record (``seed``; none for the default seed), or,
    when it records none, against the seed of its scenario if that is unchanged (``same``).

    >>> record = {"format": FORMAT, "seed": 7, "scenario_parts": {"horizon_days": "1f2e"}}
    >>> edited_seed(record, {"seed": 0}, False)
    'its seed 7 is not the seed its scenario_parts record (seed 0)'
    """
    seed, parts = old["seed"], old.get("scenario_parts")
    if old.get("format") == FORMAT and isinstance(parts, dict) and parts:
        recorded = parts.get("seed")
        if recorded != (None if seed == DEFAULT_SEED else short_hash(seed)):
            written = new["seed"] if recorded == new.get("scenario_parts", {}).get("seed") else None
            was = f" (seed {written})" if written is not None else ""
            return f"its seed {seed} is not the seed its scenario_parts record{was}"
        return None
    if same and seed != new["seed"]:
        return f"its seed {seed} is not the seed {new['seed']} of its scenario, unchanged since it was written"
    return None


def inputs_changed(changes: dict[str, str] | None) -> bool:
    """Whether scenario part changes (:func:`part_changes`) include one the run reads (not only :data:`TEXT_PARTS`).

    True when the changes are not known (None) or none is named, as the scenario did change.

    >>> inputs_changed({"description": "changed"}), inputs_changed({"description": "changed", "seed": "changed"})
    (False, True)
    """
    return not changes or any(part not in TEXT_PARTS for part in changes)


def curve_by_day(record: dict[str, Any], curve: str, cell: str) -> dict[int, Number]:
    """One fingerprint of a (validated) record as ``{day: value}``."""
    days = record["curves"]["days"]["sampled"]
    return dict(zip((int(d) for d in days), record["curves"].get(curve, {}).get(cell, []), strict=False))


def settle(new: dict[str, Any], old: dict[str, Any] | None, same: Any) -> dict[str, Any]:
    """``new`` with every number that ``same(key, new_value, old_value)`` accepts taken from ``old``.

    ``key`` is a metric key or a curve name. The result is what ``--update`` writes: a
    number that the check would accept keeps its stored value (rounded as new numbers are).
    """
    if old is None:
        return new
    metrics = {
        key: rounded(old["metrics"][key]) if key in old["metrics"] and same(key, value, old["metrics"][key]) else value
        for key, value in new["metrics"].items()
    }
    curves: dict[str, Any] = {"days": new["curves"]["days"]}
    new_days = [int(d) for d in new["curves"]["days"]["sampled"]]
    for curve in CURVES:
        curves[curve] = {}
        for cell, values in new["curves"][curve].items():
            stored = curve_by_day(old, curve, cell)
            curves[curve][cell] = [
                rounded(stored[day]) if day in stored and same(curve, value, stored[day]) else value
                for day, value in zip(new_days, values, strict=True)
            ]
    return {**new, "metrics": metrics, "curves": curves}


def numbers_digest(record: dict[str, Any]) -> str:
    """SHA-256 of a record's numbers (its metrics and curves), each as a float (or null), keys sorted.

    A number written as ``5940`` or ``5940.0`` is the same number; anything else changed,
    added or removed in ``metrics`` or ``curves`` gives another digest.
    """

    def number(value: Any) -> float | None:
        return None if value is None else float(value)

    return sha256_of(
        {
            "metrics": {key: number(value) for key, value in record["metrics"].items()},
            "curves": {
                curve: {cell: [number(v) for v in values] for cell, values in cells.items()}
                for curve, cells in record["curves"].items()
            },
        }
    )


def sealed(record: dict[str, Any]) -> dict[str, Any]:
    """``record`` with the digest of its numbers (:data:`DIGEST`), as ``--update`` writes it."""
    return {**record, DIGEST: numbers_digest(record)}


class EditedBaseline(InputError):
    """A baseline whose numbers no longer match the digest written with them (edited since it was written)."""


class CorruptBaseline(InputError):
    """A baseline that cannot be read as one: not JSON, a missing or mistyped field, merge conflict markers."""


def baseline_text(record: dict[str, Any]) -> str:
    """The file's text: sorted keys, one value per line."""
    return json.dumps(record, indent=2, sort_keys=True, allow_nan=False) + "\n"


def newer_format(format_name: Any) -> str | None:
    """What to say of a baseline of a format written by a later stockpile, or None (not such a format).

    >>> newer_format("stockpile-baseline/9")
    "written by a newer stockpile (format 'stockpile-baseline/9'); this version reads format 2"
    >>> newer_format("stockpile-baseline/2"), newer_format("stockpile-baseline/x"), newer_format(None)
    (None, None, None)
    """
    if not isinstance(format_name, str) or not format_name.startswith(FORMAT_PREFIX):
        return None
    number = format_name.removeprefix(FORMAT_PREFIX)
    this = int(FORMAT.removeprefix(FORMAT_PREFIX))
    if not number.isdigit() or int(number) <= this:
        return None
    return f"written by a newer stockpile (format '{format_name}'); this version reads format {this}"


class Kind(Enum):
    """What a file that ``check --update`` must leave alone is (:func:`foreign`)."""

    NOT_A_FILE = "not a regular file"
    """A link, a folder or a device."""
    NOT_A_BASELINE = "not a baseline"
    """Another tool's JSON, or any other file: the user's, a stray where it lies in a baselines folder."""
    NEWER = "newer"
    """A baseline of a later format (:func:`newer_format`): a later stockpile checks it, so it is no stray."""


@dataclass(frozen=True)
class Foreign:
    """A file where a baseline goes that ``check --update`` must leave alone: its kind, and why, to be said."""

    kind: Kind
    message: str


def foreign(path: Path) -> Foreign | None:
    """Why ``check --update`` must leave the file at ``path`` alone, or None (no file, or a baseline).

    A baseline damaged since it was written (a hand edit, a merge's conflict markers)
    still holds :data:`FORMAT_LINE` and is replaced. Anything else there is the user's:
    another tool's JSON, a later format (:func:`newer_format`: said so), a link, a folder or a device.
    """
    if not os.path.lexists(path):
        return None
    if path.is_symlink() or not path.is_file():
        return Foreign(Kind.NOT_A_FILE, "not a regular file")
    try:
        text = read_input(path).decode("utf-8")
    except (InputError, UnicodeDecodeError):
        text = ""
    if any(line in text for line in FORMAT_LINES):
        return None
    if (later := _LATER_LINE.search(text)) and (newer := newer_format(f"{FORMAT_PREFIX}{later.group(1)}")):
        return Foreign(Kind.NEWER, newer)
    return Foreign(Kind.NOT_A_BASELINE, f"not a stockpile baseline (no {FORMAT_LINE} line)")


MAX_WHOLE_DIGITS = 18
"""Digits of the largest whole number a baseline may hold (seeds have 10; a float is exact to 15-16)."""


def read_baseline(path: Path, digest: bool = True) -> dict[str, Any]:
    """A validated baseline, or an :class:`InputError` naming the file and field when it is corrupt.

    ``digest``: refuse a baseline whose numbers no longer match its :data:`DIGEST` (:class:`EditedBaseline`);
    without, such a baseline is read as it is (to count what ``--update`` puts back).
    """

    def refuse(name: str) -> _Refused:
        return _Refused(f"{name} is not a number JSON allows")

    def finite(text: str) -> float | _Refused:
        value = float(text)
        if not math.isfinite(value):  # 1e400 reads as infinity, which the literal Infinity may not be
            return _Refused(f"{text} is too large for a number (it would read as infinity)")
        return value

    def whole(text: str) -> int | _Refused:
        if len(text.lstrip("-")) > MAX_WHOLE_DIGITS:  # no count, day or seed has as many; a float could not hold it
            return _Refused(f"a whole number of {len(text.lstrip('-')):,} digits is too large for a number")
        return int(text)

    def once(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for key, value in pairs:
            if key in found:
                raise ValueError(f"the key {key!r} appears twice in one object (the second would win)")
            found[key] = value
        return found

    try:  # a regular file of at most the scenario limit (a FIFO in the folder is refused, not waited on)
        text = read_input(path).decode("utf-8")
        conflict = conflict_line(text)
        if conflict:
            raise ValueError(
                f"merge conflict markers from line {conflict}: resolve the merge (keep one side), or rewrite the "
                "baseline with stockpile check --update"
            )
        data = read_json(text, parse_constant=refuse, parse_float=finite, parse_int=whole, object_pairs_hook=once)
        refused = _first_refused(data)
        if refused:
            raise ValueError(refused)
    except ValueError as exc:  # UnicodeDecodeError and NestedTooDeeply too
        raise CorruptBaseline(f"corrupt baseline: {exc}", str(path)) from None
    found = data.get("format") if isinstance(data, dict) else None
    if isinstance(found, str) and found.startswith(FORMAT_PREFIX) and found not in (FORMAT, EARLIER_FORMAT):
        newer = newer_format(found)
        raise CorruptBaseline(newer or f"corrupt baseline: unknown format '{found}' (expected '{FORMAT}')", str(path))
    if found not in (FORMAT, EARLIER_FORMAT):  # another tool's JSON
        raise InputError(f"not a stockpile baseline (expected format '{FORMAT}')", str(path))
    problem = _problem(data)
    if problem:
        raise CorruptBaseline(f"corrupt baseline: {problem}", str(path))
    if digest and DIGEST in data and data[DIGEST] != numbers_digest(data):
        raise EditedBaseline(
            f"baseline edited since it was written: its numbers (metrics, curves) no longer match its {DIGEST}",
            str(path),
        )
    return data


class _Refused:
    """A number a baseline may not hold (``NaN``, ``1e400``), kept while parsing so that its field can be named."""

    def __init__(self, why: str) -> None:
        self.why = why


def _first_refused(value: Any) -> str | None:
    """``metrics.fairness_jain: 1e400 is too large ...`` for the first refused number in ``value``, or None.

    Walked with a list of places still to look at, not by recursion: a parser that reads lists
    nested deeper than Python's recursion limit (3.12's) must not make this walk raise
    :class:`RecursionError`. Places are looked at in the file's order, so the first is named.
    """
    pending: list[tuple[str, Any]] = [("", value)]
    while pending:
        where, item = pending.pop()
        if isinstance(item, _Refused):
            return f"{where}: {item.why}" if where else item.why
        pending.extend(reversed(_places_within(item, where)))
    return None


def _places_within(value: Any, where: str) -> list[tuple[str, Any]]:
    """The items of a list or object ``value`` at ``where``, each with its place (``where[0]``, ``where.key``)."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    return [
        (f"{where}[{key}]" if isinstance(key, int) else f"{where}.{key}" if where else str(key), item)
        for key, item in items
    ]


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _problem(data: dict[str, Any]) -> str | None:
    """The first thing wrong with a baseline's content, or None."""
    for key in ("metrics", "curves", "scenario_hash", "scenario", "seed", "package_version"):
        if key not in data:
            return f"'{key}' is missing"
    for key in ("scenario_hash", "scenario", "package_version"):
        if not isinstance(data[key], str) or not data[key]:
            return f"{key}: expected a string"
    seed = data["seed"]
    if not (isinstance(seed, int) and not isinstance(seed, bool) and 0 <= seed <= MAX_SEED):
        return f"seed: expected a whole number from 0 to {MAX_SEED}"
    parts = data.get("scenario_parts")
    if parts is not None and not (isinstance(parts, dict) and all(isinstance(v, str) for v in parts.values())):
        return "scenario_parts: expected a mapping of scenario part to hash"
    digits = data.get("significant_digits")
    if digits is not None and not (
        isinstance(digits, int) and not isinstance(digits, bool) and SIGNIFICANT_DIGITS <= digits <= 17
    ):
        return (
            f"significant_digits: expected a whole number from {SIGNIFICANT_DIGITS} to 17, not {digits!r} (numbers "
            "compared at fewer digits would hide small moves): rewrite the baseline with stockpile check --update"
        )
    if DIGEST in data and not isinstance(data[DIGEST], str):
        return f"{DIGEST}: expected a string"
    metrics = data["metrics"]
    if not isinstance(metrics, dict):
        return "metrics: expected a mapping of metric to number"
    for key, value in metrics.items():
        if not _KEY.match(key):
            return f"metrics: {key!r} is not a metric name"
        if value is not None and not _is_number(value):
            return f"metrics.{key}: expected a number or null"
    curves = data["curves"]
    days = curves.get("days") if isinstance(curves, dict) else None
    sampled = days.get("sampled") if isinstance(days, dict) else None
    if not isinstance(sampled, list) or not all(_is_number(d) and d >= 0 and d == int(d) for d in sampled):
        return "curves.days.sampled: expected a list of day numbers"
    if len(set(sampled)) != len(sampled):
        return "curves.days.sampled: a day appears twice"
    for curve, cells in curves.items():
        if curve == "days":
            continue
        if curve not in CURVES or not isinstance(cells, dict):
            return f"curves.{curve}: expected one of {', '.join(CURVES)}, a mapping of region.material to values"
        for cell, values in cells.items():
            if not _KEY.match(cell):
                return f"curves.{curve}: {cell!r} is not a region.material name"
            if not isinstance(values, list) or not all(v is None or _is_number(v) for v in values):
                return f"curves.{curve}.{cell}: expected a list of numbers or nulls"
            if len(values) != len(sampled):
                return (
                    f"curves.{curve}.{cell}: {plural(len(values), 'value')} for {plural(len(sampled), 'sampled day')}"
                )
    return None
