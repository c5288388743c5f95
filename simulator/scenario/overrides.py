"""Dotted-path overrides (``--set PATH=VALUE``) applied to raw scenario data.

Layer: ground.

Overrides act on the plain data before validation, so a bad value is reported by the
same validation as a bad file, with the same field path. Rules:

- a path segment that is a number indexes a list; a segment naming a list element's
  ``id`` selects that element (``shocks.china_halt.severity``);
- missing mapping keys are created (``regions.japan.reserve.heavy_ree.days=90`` adds a
  reserve that did not exist), except a material, supplier or region: a path through one
  the data does not have (``materials.light_re.price_usd_per_kg``) is a misspelling and an
  error naming the ids there are; a new one is added whole
  (``suppliers.vietnam={lead_time_days: {japan: 20}}``);
- setting ``tonnes`` drops a sibling ``days`` and the other way round, since a stock
  is given in exactly one unit;
- ``agreement.ratio.<member>=x`` rescales the other members' ratios proportionally so
  that they still sum to 1 (equal shares of what is left when the others are all zero).
  Members whose ratio an earlier assignment of the same call set keep it: only the
  members not set are rescaled, from their ratios before the call, so the order of the
  assignments does not change a bit of the result;
- an assignment replaces the whole value at its path, so the ``uncertain:`` entries on
  fields inside that value are dropped (``shocks.halt.severity=0.8`` fixes a random
  severity; the entry on ``shocks.halt.severity.low`` no longer has a field to vary).
"""

from __future__ import annotations

import copy
import datetime as dt
import functools
import math
import re
from collections.abc import Collection, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

import yaml

from simulator.errors import InputError, Problem, ScenarioError, known_hint, setting
from simulator.scenario.strict_yaml import load_yaml, shortened
from simulator.scenario.yaml_messages import GLUED_KEY, share_hint

EXCLUSIVE_SIBLINGS = {"tonnes": "days", "days": "tonnes"}
ID_MAPPINGS = {"materials": "material", "suppliers": "supplier", "regions": "region"}
"""Top-level mappings of ids: a path may go through an id only when the data has it."""
_INDEX = re.compile(r"-?[0-9]{1,9}")  # a list position (longer numbers are ids, found in no list)


ECHO_WIDTH = 80
"""Characters of a ``--set`` value a message echoes (a longer one is cut with ``...``)."""


def shown(value: Any, width: int | None = None) -> str:
    """A value as the user would write it after ``--set PATH=``: the text reads back as the same value.

    YAML with collections in flow style; text that YAML would read as something else (a
    number, a date, ``yes``, a mapping) is quoted, and so is text inside a collection that
    holds YAML's punctuation. The one formatter of values shown to the user as ``--set``
    text (messages, the report, the explorer page).

    With ``width``, at most that many characters, cut with "...", built without writing out
    the whole value (a list may repeat one list many times).

    >>> shown(dt.date(2011, 9, 1)), shown(0.3), shown("fair_ratio"), shown({"days": 60}), shown(True)
    ('2011-09-01', '0.3', 'fair_ratio', '{days: 60}', 'true')
    >>> shown(None), shown(float("inf")), shown([1, {"kind": "loan", "end": dt.date(9999, 12, 31)}]), shown({None: 3})
    ('null', '.inf', '[1, {kind: loan, end: 9999-12-31}]', '{null: 3}')
    >>> shown("0.3"), shown("yes"), shown("2010-10-28"), shown(1e-05), shown(["a, b", "it's"])
    ("'0.3'", "'yes'", "'2010-10-28'", '1e-05', "['a, b', 'it''s']")
    >>> shown("x" * 100, 80) == "x" * 77 + "...", shown([[1] * 10**6] * 10**6, 12)
    (True, '[[1, 1, 1...')
    """
    if width is None:
        return "".join(_written(value))
    pieces, length = [], 0
    for piece in _written(value):
        pieces.append(piece)
        length += len(piece)
        if length > width:
            break
    return shortened("".join(pieces), width)


_PLAIN = re.compile(r"[A-Za-z0-9_./+-]+(?: [A-Za-z0-9_./+-]+)*")
"""Text written without quotes (if YAML reads it back as that text): no flow punctuation, colon or comment."""


@functools.lru_cache(maxsize=4096)
def _text(text: str) -> str:
    """``text`` as YAML reads it back as that text, anywhere in a flow collection: plain, else quoted."""
    if _PLAIN.fullmatch(text) and _reads_as_itself(text):
        return text
    if text.isprintable():
        return "'" + text.replace("'", "''") + "'"
    return yaml.safe_dump(text, default_style='"', width=math.inf, allow_unicode=True).removesuffix("\n...\n").strip()


def _reads_as_itself(text: str) -> bool:
    """Whether YAML reads ``text`` unquoted as that same text (not ``null``, ``yes``, ``.inf``, ...)."""
    try:
        return load_yaml(text) == text
    except InputError:
        return False


@functools.lru_cache(maxsize=256)
def _glued_entry(key: str) -> bool:
    """Whether ``key`` is a key glued to its value (``light_ree:15``) that a flow mapping reads back as a key alone.

    >>> _glued_entry("light_ree:15"), _glued_entry("light_ree"), _glued_entry("a: b")
    (True, False, False)
    """
    if not GLUED_KEY.fullmatch(key):
        return False
    try:
        return load_yaml(f"{{{key}}}") == {key: None}
    except InputError:
        return False


def _written(value: Any) -> Iterator[str]:
    """The pieces of :func:`shown`'s text."""
    if isinstance(value, bool):
        yield "true" if value else "false"
    elif value is None:
        yield "null"
    elif isinstance(value, float) and not math.isfinite(value):
        yield ".nan" if math.isnan(value) else (".inf" if value > 0 else "-.inf")
    elif isinstance(value, str):
        yield _text(value)
    elif isinstance(value, dict):
        yield "{"
        for i, (key, item) in enumerate(value.items()):
            yield ", " if i else ""
            if item is None and isinstance(key, str) and _glued_entry(key):
                yield key  # as typed: {light_ree:15}, not {'light_ree:15': null}, which reads back the same
                continue
            yield from _written(key)
            yield ": "
            yield from _written(item)
        yield "}"
    elif isinstance(value, list | tuple):
        yield "["
        for i, item in enumerate(value):
            yield ", " if i else ""
            yield from _written(item)
        yield "]"
    else:
        yield value.isoformat() if isinstance(value, dt.date) else str(value)


def parse_assignment(text: str) -> tuple[str, Any]:
    """Split ``PATH=VALUE``; the value is read as a YAML scalar or flow collection (strictly).

    >>> parse_assignment("agreement.ratio.japan=0.3")
    ('agreement.ratio.japan', 0.3)
    >>> parse_assignment("agreement.mechanism=fair_ratio")
    ('agreement.mechanism', 'fair_ratio')
    """
    path, sep, raw = text.partition("=")
    path = path.strip()
    if not sep or not path:
        raise InputError([Problem(setting("set"), f"expected PATH=VALUE, got {shortened(text, 80)!r}")])
    try:
        value = load_yaml(raw, prefix=path) if raw.strip() else ""
    except InputError as exc:
        raise InputError([Problem(setting("set", p.path), p.message) for p in exc.problems]) from None
    return path, value


def _child(node: Any, key: str, path: str, create: bool) -> Any:
    if isinstance(node, list):
        if _INDEX.fullmatch(key):
            index = int(key)
            if -len(node) <= index < len(node):
                return index
            raise InputError([Problem(path, f"index {index} out of range (list has {len(node)} items)")])
        for index, item in enumerate(node):
            if isinstance(item, dict) and item.get("id") == key:
                return index
        ids = [str(item.get("id")) for item in node if isinstance(item, dict)]
        raise InputError([Problem(path, f"no item with id '{key}' (ids: {', '.join(ids) or 'none'})")])
    if isinstance(node, dict):
        if key not in node and create:
            node[key] = {}
        return key
    raise InputError([Problem(path, "cannot go inside a value that is not a mapping or list")])


def set_path(
    data: dict[str, Any],
    path: str,
    value: Any,
    owned: set[int] | None = None,
    ratios_set: _RatiosSet | None = None,
    made: set[str] | None = None,
) -> None:
    """Set ``value`` at the dotted ``path`` of ``data`` in place.

    With ``owned`` (ids of containers this caller may change), every container on the
    path that is not owned is replaced by a shallow copy first (copy on write), so the
    data it was copied from is never changed. ``ratios_set`` holds what earlier
    assignments of the same call did to the agreement's ratios (see the module's rules).
    ``made`` gets the dotted paths (as written in ``path``) of the mappings made above
    ``path`` where ``data`` had none or null, and loses those the value replaces.
    """
    parts = path.split(".")
    if "" in parts:  # data[""] would be made, and named only as an unknown key with no path
        raise InputError([Problem(path, "empty part in the path (a dot at an end, or two together)")])
    _check_id(data, parts)
    node: Any = data
    for depth, key in enumerate(parts[:-1]):
        here = ".".join(parts[: depth + 1])
        missing = isinstance(node, dict) and node.get(key) is None
        step = _child(node, key, here, create=True)
        if node[step] is None:
            node[step] = {}
        if missing and made is not None:
            made.add(here)
        if owned is not None and id(node[step]) not in owned:
            node[step] = copy.copy(node[step])
            owned.add(id(node[step]))
        node = node[step]
    last = parts[-1]
    step = _child(node, last, path, create=False)
    if isinstance(node, dict):
        sibling = EXCLUSIVE_SIBLINGS.get(last)
        if sibling is not None:
            node.pop(sibling, None)
    if ratio_member(path) is not None and isinstance(node, dict):
        _set_ratio(node, last, value, path, _RatiosSet() if ratios_set is None else ratios_set)
        return
    node[step] = value
    if made is not None:  # the value replaces what the path held, mappings made inside it included
        made.difference_update({m for m in made if m == path or within(m, path)})


def within(path: str, mapping: str) -> bool:
    """Whether the dotted ``path`` is inside ``mapping`` (not the mapping itself).

    >>> within("agreement.members", "agreement"), within("agreements", "agreement"), within("agreement", "agreement")
    (True, False, False)
    """
    return path.startswith(f"{mapping}.")


def overlap_relation(fixed: str, varied: str) -> str | None:
    """How a fixed path stands to a varied one: ``is``, ``sibling``, ``contains``, ``lies inside`` or None (apart).

    ``sibling``: the varied path is the fixed one's exclusive sibling (a stock's ``days``
    and ``tonnes``, :func:`exclusive_sibling`), which setting either removes: as good as the
    same path. Segments are compared whole (:func:`within`). Any relation but None means that
    setting ``fixed`` sets ``varied``'s value, or setting ``varied`` sets ``fixed``'s.
    (:func:`overlaps` asks only whether two paths overlap, one of them a pattern with ``*``.)

    >>> overlap_relation("agreement.ratio", "agreement.ratio"), overlap_relation("r.eu.days", "r.eu.tonnes")
    ('is', 'sibling')
    >>> overlap_relation("agreement.ratio", "agreement.ratio.eu"), overlap_relation("agreement.ratio.eu", "agreement")
    ('contains', 'lies inside')
    >>> overlap_relation("agreement.ratios", "agreement.ratio"), overlap_relation("r.eu.days", "r.eu.days_x")
    (None, None)
    """
    if fixed == varied:
        return "is"
    if exclusive_sibling(fixed) == varied:
        return "sibling"
    if within(varied, fixed):
        return "contains"
    if within(fixed, varied):
        return "lies inside"
    return None


ANY_ONE = "*"
"""A segment of a pattern (:func:`overlaps`) that stands for any one segment: ``regions.*.reserve``."""


def overlaps(path: str, pattern: str) -> bool:
    """Whether ``path`` is ``pattern``, lies inside it, or holds it; a ``*`` segment of ``pattern`` is any one segment.

    Segments are compared whole (``agreements`` is not inside ``agreement``), :func:`within`'s rule in both
    directions. Only yes or no, and a stock's two units are apart: :func:`overlap_relation` tells how two
    paths without ``*`` stand.

    >>> overlaps("regions.eu.procurement", "regions.*.procurement.replenishment")  # holds what the pattern names
    True
    >>> overlaps("regions.eu.procurement.replenishment.x", "regions.*.procurement.replenishment")  # lies inside
    True
    >>> overlaps("regions.eu.reserve", "regions.*.procurement"), overlaps("agreement.bidsx", "agreement.bids")
    (False, False)
    """
    have, want = path.split("."), pattern.split(".")
    return all(wanted in (ANY_ONE, had) for had, wanted in zip(have, want, strict=False))


def mappings_made_for(path: str, made: Collection[str]) -> list[str]:
    """The mappings above ``path`` that are in ``made`` (:attr:`Overridden.made`), outermost first.

    >>> mappings_made_for("agreement.ratio.japan", {"agreement", "agreement.ratio", "seed"})
    ['agreement', 'agreement.ratio']
    >>> mappings_made_for("seed", {"seed"}), mappings_made_for("seeds.x", {"seed"})
    ([], [])
    """
    parts = path.split(".")
    return [above for depth in range(1, len(parts)) if (above := ".".join(parts[:depth])) in made]


def _check_id(data: dict[str, Any], parts: list[str]) -> None:
    """Refuse a path that goes through a material, supplier or region ``data`` does not have.

    Creating it would add an entry nothing uses, so the change would do nothing: the
    id is misspelled. Setting a whole new entry (``materials.gallium={...}``) adds one.
    """
    kind = ID_MAPPINGS.get(parts[0])
    ids = data.get(parts[0]) if kind is not None else None
    if len(parts) < 3 or not isinstance(ids, dict) or parts[1] in ids:
        return
    message = (
        f"unknown {kind} '{parts[1]}' {known_hint(parts[1], [str(k) for k in ids])}"
        f" (to add a {kind}, set it whole: {parts[0]}.{parts[1]}={{...}})"
    )
    raise InputError([Problem(f"{parts[0]}.{parts[1]}", message)])


def exclusive_sibling(path: str) -> str | None:
    """The path that setting ``path`` removes (:data:`EXCLUSIVE_SIBLINGS`: a stock's other unit), else None.

    >>> exclusive_sibling("regions.eu.reserve.ree.days"), exclusive_sibling("horizon_days"), exclusive_sibling("days")
    ('regions.eu.reserve.ree.tonnes', None, None)
    """
    head, _, last = path.rpartition(".")
    other = EXCLUSIVE_SIBLINGS.get(last)
    return f"{head}.{other}" if head and other is not None else None


def is_shock_end(path: str) -> bool:
    """Whether ``path`` is a shock's ``end`` (the first day it is over: its last day is the day before).

    >>> is_shock_end("shocks.china_embargo.end"), is_shock_end("shocks.0.start"), is_shock_end("horizon_days")
    (True, False, False)
    """
    return path.startswith("shocks.") and path.endswith(".end")


def ratio_member(path: str) -> str | None:
    """The member of an ``agreement.ratio.<member>`` path, else None."""
    parts = path.split(".")
    return parts[2] if len(parts) == 3 and parts[:2] == ["agreement", "ratio"] else None


@dataclass
class _RatiosSet:
    """The ratios one call of :func:`apply_overrides` has set, and the ratios before it."""

    kept: set[str] = field(default_factory=set)
    before: dict[str, Any] | None = None


def _set_ratio(ratios: dict[str, Any], member: str, value: Any, path: str, done: _RatiosSet) -> None:
    """Set ``member``'s ratio; rescale the members not set in this call to what is left."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 <= value <= 1:
        got = f"got {shown(value, ECHO_WIDTH)}{share_hint(value, weights=True)}"
        raise InputError([Problem(path, f"a ratio must be a number in [0, 1], {got}")])
    if any(isinstance(v, bool) or not isinstance(v, int | float) for k, v in ratios.items() if k != member):
        raise InputError([Problem(path, "the other members' ratios must be numbers")])
    if done.before is None:
        done.before = dict(ratios)
    ratios[member] = float(value)
    done.kept.add(member)
    others = {k: done.before.get(k, v) for k, v in ratios.items() if k not in done.kept}
    rest = 1.0 - float(sum(ratios[k] for k in ratios if k in done.kept))
    if rest < -1e-9:
        named = ", ".join(f"{k} {ratios[k]:g}" for k in ratios if k in done.kept)
        raise InputError([Problem(path, f"the ratios set sum to more than 1 ({named})")])
    total = float(sum(others.values()))
    for key, old in others.items():
        ratios[key] = old * rest / total if total > 0 else rest / len(others)


class OverrideError(InputError):
    """An assignment that cannot be applied (a path that leads nowhere, a bad ratio), with the assignment."""

    def __init__(self, problems: list[Problem], assignment: tuple[str, Any]) -> None:
        super().__init__(problems)
        self.assignment = assignment
        """The ``(path, value)`` that failed: a message names it as ``[set PATH=VALUE]``."""


class ScenarioOverrideError(OverrideError, ScenarioError):
    """An :class:`OverrideError` said of the scenario it was applied to (``SOURCE [set PATH=VALUE]``).

    A :class:`~simulator.errors.ScenarioError` as every other problem of that scenario, keeping the
    assignment: what :func:`~simulator.scenario.load.said_of_override` makes, for every command and the API.
    """


class Overridden(NamedTuple):
    """Scenario data with assignments applied, and the mappings the assignments made in it."""

    data: dict[str, Any]
    """Plain data (dicts, lists, scalars): it dumps and copies as the data it came from."""
    made: frozenset[str]
    """Dotted paths, as the assignments wrote them, of the mappings an assignment made above its path
    where the data before them had none or null (``agreement`` and ``agreement.ratio`` for
    ``agreement.ratio.japan`` set on data with no agreement). They hold only what assignments put
    there, so a problem found in one is an assignment's
    (:func:`~simulator.scenario.load.blamed`)."""


def apply_overrides(data: dict[str, Any], assignments: list[tuple[str, Any]]) -> dict[str, Any]:
    """``data`` with every assignment applied in order, as new data; ``data`` is unchanged.

    Only the containers on the assigned paths are copied; the rest is shared with
    ``data`` (treat both as read-only afterwards). :func:`overridden` also tells the
    mappings the assignments made.
    """
    return overridden(data, assignments).data


def overridden(data: dict[str, Any], assignments: Sequence[tuple[str, Any]]) -> Overridden:
    """:func:`apply_overrides`, with the mappings the assignments made (:attr:`Overridden.made`).

    >>> made = overridden({"seed": None, "agreement": {}}, [("seed.x", 1), ("agreement.pool.a.b", 2)])
    >>> made.data, sorted(made.made)
    ({'seed': {'x': 1}, 'agreement': {'pool': {'a': {'b': 2}}}}, ['agreement.pool', 'agreement.pool.a', 'seed'])
    >>> overridden({"shocks": [{"id": "halt"}]}, [("shocks.halt.end", 3)]).made
    frozenset()
    >>> overridden({}, [("a.b", 1), ("a", {})]).made  # the mapping a.b made is replaced whole
    frozenset()
    """
    result = copy.copy(data)
    owned = {id(result)}
    ratios_set = _RatiosSet()
    made: set[str] = set()
    for path, value in assignments:
        try:
            set_path(result, path, value, owned, ratios_set, made)
        except InputError as exc:
            raise OverrideError(exc.problems, (path, value)) from None
    entries = result.get("uncertain")
    if assignments and isinstance(entries, list):
        kept = [e for e in entries if not (isinstance(e, dict) and _set_above(str(e.get("path", "")), assignments))]
        if len(kept) < len(entries):
            result["uncertain"] = kept
    return Overridden(result, frozenset(made))


def _set_above(path: str, assignments: Sequence[tuple[str, Any]]) -> bool:
    """Whether ``path`` lies inside a path one of ``assignments`` set (:func:`within`): what that value replaced.

    >>> _set_above("agreement.ratio.japan", [("agreement.ratio", {"japan": 1})]), _set_above("agreement.ratio", [])
    (True, False)
    >>> _set_above("agreement.ratio", [("agreement.ratio", {})])  # the path set itself is not inside it
    False
    """
    return any(within(path, assigned) for assigned, _ in assignments)
