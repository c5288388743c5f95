"""What a run changed and what two scenarios differ in: ``--set`` changes and scenario differences.

Layer: ground.

The report lists a run's changes and compares like with like; this module holds the
rules, so that the command line, the Python API and the report apply them alike.

A change (``--set PATH=VALUE``) applies to the run and, with ``--compare``, to the
baseline too, so that the comparison shows what the two scenarios differ in and not
what the user changed (see ``docs/design-decisions.md``). One kind of change cannot
apply to a baseline: a change inside ``agreement`` when the baseline has no
agreement; it is left out of the baseline, which has no joint stock to change. Any
other change the baseline cannot take (a shock or region it does not have, a value
its validation refuses, a material, supplier or region of the run's set whole that the
baseline lacks and would have gained unused) stops the command with exit 2, naming the
baseline file and the field, rather than comparing two worlds that differ by the user's
change.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from simulator.errors import ChangeRefusedError, InputError, Problem, setting
from simulator.scenario.load import validate_data
from simulator.scenario.overrides import ID_MAPPINGS, apply_overrides, ratio_member, shown
from simulator.scenario.schema import Scenario

NOT_SET = "(not set)"
"""How a change shows a field the file did not set."""
IGNORED = frozenset({"name", "description", "assumptions", "uncertain"})
"""Fields that describe a scenario without changing its world (``uncertain`` declares ranges for studies;
a single run uses the values the scenario sets)."""


@dataclass(frozen=True)
class Change:
    """One ``--set`` change: the field, its new value and its value in the file."""

    path: str
    value: Any
    was: Any = NOT_SET
    """The value in the scenario file (``NOT_SET`` when the file did not set it)."""
    baseline: bool | None = None
    """Applied to the ``--compare`` baseline too (None: no baseline)."""
    rescaled: tuple[tuple[str, Any, float], ...] = ()
    """On the last ``agreement.ratio.<member>`` change of a call: the other members' ratios that the
    rule of :mod:`simulator.scenario.overrides` rescaled to what is left, as ``(member, in the
    file, now)`` (the ratios no change set, and that moved)."""


def value_at(data: Any, path: str) -> Any:
    """The value at a dotted ``path`` of scenario data (list items by index or ``id``), else ``NOT_SET``.

    >>> value_at({"shocks": [{"id": "halt", "end": 9}]}, "shocks.halt.end"), value_at({}, "agreement.ratio.eu")
    (9, '(not set)')
    """
    node = data
    for key in path.split("."):
        if isinstance(node, dict) and key in node:
            node = node[key]
        elif isinstance(node, list):
            found = [item for item in node if isinstance(item, dict) and item.get("id") == key]
            if found:
                node = found[0]
            elif key.lstrip("-").isdigit() and -len(node) <= int(key) < len(node):
                node = node[int(key)]
            else:
                return NOT_SET
        else:
            return NOT_SET
    return node


def changes_of(data: dict[str, Any], assignments: Sequence[tuple[str, Any]]) -> list[Change]:
    """The changes ``assignments`` make to scenario ``data`` (the file's data, before them).

    A ratio set for one member rescales the others: the last such change carries their
    ratios before and after (:attr:`Change.rescaled`), as :func:`apply_overrides` set them.
    """
    changes = [Change(path, value, value_at(data, path)) for path, value in assignments]
    set_here = {ratio_member(path) for path, _ in assignments} - {None}
    if not set_here:
        return changes
    last = max(i for i, (path, _) in enumerate(assignments) if ratio_member(path) is not None)
    if any(path in ("agreement", "agreement.ratio") for path, _ in assignments[last + 1 :]):
        return changes  # a later --set gave the ratios whole: nothing was rescaled to what is left
    before = value_at(data, "agreement.ratio")
    prior = value_at(apply_overrides(data, list(assignments[:last])), "agreement.ratio")  # just before it
    after = value_at(apply_overrides(data, list(assignments)), "agreement.ratio")  # the rule's own result
    if not all(isinstance(ratios, dict) for ratios in (before, prior, after)):
        return changes
    rescaled = tuple(
        (member, before.get(member, NOT_SET), now)
        for member, now in after.items()
        if member not in set_here and not _same_number(prior.get(member), now)
    )
    changes[last] = replace(changes[last], rescaled=rescaled)
    return changes


def _same_number(old: Any, new: Any) -> bool:
    """Whether a ratio kept its value (to rounding: a member set to its own ratio rescales nothing)."""
    numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in (old, new))
    return numbers and math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)


def rescaled_note(change: Change) -> str:
    """What a ratio change did to the other members' ratios, in words (empty when it moved none).

    >>> rescaled_note(Change("agreement.ratio.japan", 0.7, 0.44, rescaled=(("eu", 0.32, 0.32 * 0.3 / 0.56),)))
    "the other members' ratios are rescaled to what is left: eu 0.171 (in the file: 0.32)"
    """
    if not change.rescaled:
        return ""
    shares = ", ".join(f"{member} {now:.3g} (in the file: {shown(was)})" for member, was, now in change.rescaled)
    return f"the other members' ratios are rescaled to what is left: {shares}"


def rescaled_problems(changes: Iterable[Change]) -> list[Problem]:
    """One per ratio change that rescaled the other members' ratios: its path and :func:`rescaled_note`.

    What ``stockpile run`` and ``report`` say as ``note:`` lines and ``simulator.run`` and ``report`` as
    warnings, each rendering them in its own words.
    """
    return [Problem(change.path, note) for change in changes if (note := rescaled_note(change))]


def _applies(change: Change, baseline_data: dict[str, Any]) -> bool:
    return not (change.path.split(".")[0] == "agreement" and not baseline_data.get("agreement"))


def with_changes(
    baseline_data: dict[str, Any], changes: Sequence[Change], source: str
) -> tuple[Scenario, list[Change]]:
    """The baseline validated with every change that applies to it, and the changes marked.

    Raises :class:`~simulator.errors.ChangeRefusedError` (exit 2) naming ``source`` and the field
    when a change cannot apply to the baseline; :class:`InputError` when the baseline itself is invalid.
    """
    marked = [replace(c, baseline=_applies(c, baseline_data)) for c in changes]
    pairs = [(c.path, c.value) for c in marked if c.baseline]
    why = f"{setting('set')} applies to the {setting('compare')} baseline too"
    for change in marked:  # one the run has, set whole: it would add to the baseline an entry of the run's
        parts = change.path.split(".")
        ids = baseline_data.get(parts[0]) if parts[0] in ID_MAPPINGS else None
        if (
            change.baseline
            and change.was != NOT_SET
            and len(parts) == 2
            and isinstance(ids, dict)
            and parts[1] not in ids
        ):
            message = (
                f"the baseline has no {ID_MAPPINGS[parts[0]]} '{parts[1]}' ({why}; compare with a baseline that has it)"
            )
            raise ChangeRefusedError([Problem(change.path, message)], source)
    try:
        return validate_data(apply_overrides(baseline_data, pairs), source), marked
    except InputError as exc:
        if not pairs or _invalid_as_written(baseline_data, source):  # the baseline's own problem, not a change's
            raise InputError(exc.problems, source) from None
        problems = [Problem(p.path, f"{p.message} ({why}; compare with a baseline that has it)") for p in exc.problems]
        raise ChangeRefusedError(problems, source) from None


def _invalid_as_written(baseline_data: dict[str, Any], source: str) -> bool:
    """Whether the baseline fails validation without any change applied."""
    try:
        validate_data(copy.deepcopy(baseline_data), source)
    except InputError:
        return True
    return False


def _leaves(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict):
        out: dict[str, Any] = {}
        for key, value in data.items():
            out.update(_leaves(value, f"{prefix}.{key}" if prefix else str(key)))
        return out or {prefix: data}
    if isinstance(data, list) and data and all(isinstance(v, dict) and "id" in v for v in data):
        out = {}
        for item in data:
            out.update(_leaves(item, f"{prefix}.{item['id']}"))
        return out
    return {prefix: data}


def differences(scenario: Scenario, baseline: Scenario) -> list[str]:
    """Fields in which two scenarios' worlds differ (dotted paths, ``agreement`` as one).

    Name, description, assumptions and the ``uncertain`` block do not count: they
    describe the scenario, not the world one run simulates.
    """
    mine, theirs = (
        {k: v for k, v in s.model_dump(mode="json").items() if k not in IGNORED} for s in (scenario, baseline)
    )
    out = ["agreement"] if mine.pop("agreement", None) != theirs.pop("agreement", None) else []
    left, right = _leaves(mine), _leaves(theirs)
    changed = [path for path in sorted(set(left) | set(right)) if left.get(path, NOT_SET) != right.get(path, NOT_SET)]
    # a block only one side has (a region, a shock) is one difference, not one per field of it
    on_left, on_right = _heads(left), _heads(right)
    for path in changed:
        shown = next(head for head in _prefixes(path) if head == path or (head in on_left) != (head in on_right))
        if shown not in out:
            out.append(shown)
    return out


def _heads(leaves: dict[str, Any]) -> set[str]:
    """Every dotted path of ``leaves`` and every path above one (``regions``, ``regions.kr``, ...)."""
    return {head for path in leaves for head in _prefixes(path)}


def _prefixes(path: str) -> list[str]:
    """``a``, ``a.b``, ``a.b.c`` for ``a.b.c``: the path and every path above it, shortest first."""
    parts = path.split(".")
    return [".".join(parts[:i]) for i in range(1, len(parts) + 1)]
