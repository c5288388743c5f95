"""Which fields of a changed scenario part changed since its baseline, and from what to what.

Layer: studies.

A baseline records a short hash of each part of its scenario (``regions.eu``,
``shocks.halt``; :func:`~simulator.gate.baseline.scenario_parts`), not its values, so a
check knows that ``regions.eu`` changed but not where in it. Where the scenario file is
kept in git, the values it had are in git's history: the newest committed version of
the file whose part hashes as the baseline records it held the baseline's values, and
the fields of the part that differ from it now are its edits
(``regions.eu.demand.light_ree.tonnes_per_day 34.8 -> 34.81``).

A part that no version of the last :data:`MOST_VERSIONS` commits of the file matches (the file
is not in git, the baseline was written from an edit never committed, a version no longer
valid) keeps only its name. Values left at their defaults are not in a part's data, so a
field set or reset to its default reads its default and ``(default)`` on that side
(``shocks.halt.severity 1 (default) -> 0.8``); a whole part too (``agreement.decision_lag_days``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from simulator.errors import InputError
from simulator.gate.baseline import part_values, short_hash
from simulator.gate.git import committed_texts, tracked_path
from simulator.scenario import Scenario
from simulator.scenario.load import validate_data
from simulator.scenario.overrides import within
from simulator.scenario.strict_yaml import load_yaml, shortened

MOST_VERSIONS = 20
"""Committed versions of a scenario file searched for the values its baseline was written from."""
VALUE_WIDTH = 40
"""Characters of a value shown in a field change (a list or mapping is cut with ``...``). Lists and mappings are
compact JSON, without spaces, so that a comma and a space part one field change from the next."""
DEFAULT = "(default)"
"""How a side is shown where the field is not in the part's data: after its default value, or alone where absent."""
ARROW = " -> "
"""Between a field's two values: ASCII, as between a metric's two values in the drift table."""


@dataclass(frozen=True)
class FieldChange:
    """One field of a scenario part that changed since the baseline: its path and its two values."""

    field: str
    """The field's dotted path in the scenario (``regions.eu.demand.light_ree.tonnes_per_day``)."""
    baseline: Any
    """Its value when the baseline was written (its default where :attr:`in_baseline` is false; None: absent)."""
    now: Any
    """Its value now (its default where :attr:`in_now` is false; None: absent)."""
    in_baseline: bool = True
    in_now: bool = True

    def text(self) -> str:
        """``regions.eu.demand.light_ree.tonnes_per_day 34.8 -> 34.81``; a side at its default: ``0 (default)``.

        >>> FieldChange("horizon_days", 60, 90).text(), FieldChange("seed", 0, 7, in_baseline=False).text()
        ('horizon_days 60 -> 90', 'seed 0 (default) -> 7')
        >>> FieldChange("description", None, "x", in_baseline=False).text()
        'description (default) -> x'
        """
        was = _side(self.baseline, self.in_baseline)
        now = _side(self.now, self.in_now)
        return f"{self.field} {was}{ARROW}{now}"


def _side(value: Any, written: bool) -> str:
    """One side of a field change: its value, ``1 (default)`` where not in the part's data, ``(default)`` if None."""
    if written:
        return shown_value(value)
    return DEFAULT if value is None else f"{shown_value(value)} {DEFAULT}"


def shown_value(value: Any) -> str:
    """A value as a field change shows it: a number or text as written, a list or mapping as compact JSON, cut.

    >>> shown_value(34.81), shown_value(80.0), shown_value("embargo"), shown_value({"light_ree": 15})
    ('34.81', '80', 'embargo', '{"light_ree":15}')
    """
    if isinstance(value, str):
        return shortened(value, VALUE_WIDTH)
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:  # 80 t/d as written, not 80.0
        return str(int(value))
    return shortened(json.dumps(value, separators=(",", ":")), VALUE_WIDTH)


def field_changes(part: str, before: Any, after: Any) -> list[FieldChange]:
    """The fields of ``part`` whose values differ between ``before`` and ``after`` (its data then and now).

    Mappings are compared key by key, lists of mappings of the same length item by item (a
    quota's steps), anything else as one value (a shock's ``regions``, the order of the regions).

    >>> [c.text() for c in field_changes("regions.eu", {"demand": {"ree": {"tonnes_per_day": 34.8}}},
    ...                                               {"demand": {"ree": {"tonnes_per_day": 34.81}}})]
    ['regions.eu.demand.ree.tonnes_per_day 34.8 -> 34.81']
    >>> [c.text() for c in field_changes("shocks.halt", {"end": 10, "regions": ["a"]}, {"regions": ["a", "b"]})]
    ['shocks.halt.end 10 -> (default)', 'shocks.halt.regions ["a"] -> ["a","b"]']
    >>> [c.text() for c in field_changes("regions order", ["eu", "japan"], ["japan", "eu"])]
    ['regions order ["eu","japan"] -> ["japan","eu"]']
    """
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in [*before, *(k for k in after if k not in before)]:
            where = f"{part}.{key}"
            if key not in after:
                changes.append(FieldChange(where, before[key], None, in_now=False))
            elif key not in before:
                changes.append(FieldChange(where, None, after[key], in_baseline=False))
            else:
                changes += field_changes(where, before[key], after[key])
        return changes
    if (
        isinstance(before, list)
        and isinstance(after, list)
        and len(before) == len(after)
        and all(isinstance(item, dict) for item in [*before, *after])
    ):
        return [
            change
            for i, pair in enumerate(zip(before, after, strict=True))
            for change in field_changes(f"{part}.{i}", *pair)
        ]
    return [] if before == after else [FieldChange(part, before, after)]


def changed_fields(
    path: Path, recorded: dict[str, str], scenario: Scenario, parts: dict[str, str]
) -> dict[str, list[FieldChange]]:
    """For each part of ``parts`` that ``changed``, its fields that changed, where git's history tells them.

    ``recorded`` are the part hashes the baseline holds, ``scenario`` the scenario now, read
    from ``path``. A part whose baseline values no committed version of the file holds is left out.
    """
    wanted = {part for part, change in parts.items() if change == "changed" and part in recorded}
    if not wanted:
        return {}
    now = part_values(scenario)
    now_defaults = part_values(scenario, with_defaults=True)
    found: dict[str, list[FieldChange]] = {}
    for then in _committed_versions(path):
        values = part_values(then)  # hashed as scenario_parts hashes them, for the parts still wanted alone
        matched = [p for p in sorted(wanted - set(found)) if p in values and short_hash(values[p]) == recorded[p]]
        then_defaults = part_values(then, with_defaults=True) if matched else {}  # once per version that matches
        for part in matched:
            changes = _part_changes(part, values, now)
            found[part] = [_with_defaults(c, then_defaults, now_defaults) for c in changes]
        if wanted <= set(found):
            break
    return found


def _part_changes(part: str, then: dict[str, Any], now: dict[str, Any]) -> list[FieldChange]:
    """The changed fields of ``part`` between two scenarios' part values.

    A part on one side only is at its default on the other (``agreement.decision_lag_days`` removed).
    """
    if part not in then:
        return [FieldChange(part, None, now.get(part), in_baseline=False)]
    if part not in now:
        return [FieldChange(part, then[part], None, in_now=False)]
    return field_changes(part, then[part], now[part])


def _with_defaults(change: FieldChange, then: dict[str, Any], now: dict[str, Any]) -> FieldChange:
    """``change`` with the default value of a side not in its part's data, from that side's values with defaults."""
    baseline = change.baseline if change.in_baseline else _value_at(change.field, then)
    current = change.now if change.in_now else _value_at(change.field, now)
    return FieldChange(change.field, baseline, current, change.in_baseline, change.in_now)


def _value_at(field: str, parts: dict[str, Any]) -> Any:
    """The value at a field's dotted path in part values (``shocks.halt.severity``), or None where there is none.

    >>> _value_at("shocks.halt.steps.1.t", {"shocks.halt": {"steps": [{"t": 1}, {"t": 2}]}})
    2
    """
    part = max((p for p in parts if field == p or within(field, p)), key=len, default=None)
    if part is None:
        return None
    value = parts[part]
    for step in field[len(part) :].split(".")[1:]:
        if isinstance(value, dict):
            value = value.get(step)
        elif isinstance(value, list) and step.isdigit() and int(step) < len(value):
            value = value[int(step)]
        else:
            return None
    return value


def _committed_versions(path: Path) -> Iterator[Scenario]:
    """The valid scenarios of the last :data:`MOST_VERSIONS` commits of ``path``, newest first (none: not in git).

    Every version is read at once (:func:`~simulator.gate.git.committed_texts`), but each is
    read as a scenario only when asked for: a search that stops at the first version that
    matches reads no more of them.
    """
    where = tracked_path(path)
    if where is None:
        return
    for text in committed_texts(*where, MOST_VERSIONS):
        try:
            yield validate_data(load_yaml(text), str(path))
        except (InputError, TypeError, ValueError):  # a version this tool no longer reads cannot tell
            continue
