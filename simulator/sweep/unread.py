"""Which release rules a sweep ran, and why a swept setting none of them reads changed no output.

Layer: studies. Read from the mechanism registry (:attr:`simulator.mechanisms.Mechanism.reads`): a setting some
rules read and others do not (:data:`simulator.mechanisms.RULE_SETTINGS`, ``agreement.ratio`` say) swept under a
rule that does not read it changes nothing, and the note that says so says why
(:func:`simulator.sweep.figures.unchanged_notes`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator.mechanisms import BY_NAME, MECHANISMS, current_name, reads_setting, rule_setting
from simulator.names import join_words

if TYPE_CHECKING:
    from simulator.sweep.runner import Sweep

MECHANISM_PATH = "agreement.mechanism"
"""The scenario path of the release rule."""


def sweep_mechanisms(sweep: Sweep) -> list[str]:
    """The release rules the sweep's points run under, in the grid's order (registry names).

    The swept ``agreement.mechanism``'s values, else the first point's rule. Empty where no point has an agreement
    (``--uncertainty``'s status quo), or where the grid sweeps the whole ``agreement`` (each point's rule is then in
    its value).
    """
    first = sweep.first.agreement
    if first is None or "agreement" in sweep.spec.paths:
        return []
    swept = [current_name(point[MECHANISM_PATH]) for point in sweep.points if MECHANISM_PATH in point]
    return list(dict.fromkeys(swept)) if swept else [first.mechanism]


def not_read_text(path: str, mechanisms: Sequence[str]) -> str:
    """Why ``path`` changed no output where none of ``mechanisms`` reads it: ``; ...`` to end a note, else ''.

    >>> print(not_read_text("agreement.ratio.japan", ["equal_awards"]))  # doctest: +NORMALIZE_WHITESPACE
    ; the release rule equal_awards (agreement.mechanism) does not read it: only hybrid and fair_ratio read
    agreement.ratio
    >>> print(not_read_text("agreement.iea_ess.restraint", ["talmud", "auction"]))  # doctest: +NORMALIZE_WHITESPACE
    ; none of the release rules swept (talmud and auction) reads it: only need_with_restraint and iea_ess read it
    >>> print(not_read_text("agreement.strict", ["talmud"]))
    ; the release rule talmud (agreement.mechanism) does not read it: only hybrid and fair_ratio read it
    >>> not_read_text("agreement.ratio.japan", ["fair_ratio"]), not_read_text("horizon_days", ["talmud"])
    ('', '')
    """
    setting = rule_setting(path)
    if setting is None or not mechanisms or any(reads_setting(name, path) for name in mechanisms):
        return ""
    readers = [m.name for m in MECHANISMS if reads_setting(m.name, path)]
    whole = all(setting in BY_NAME[name].reads for name in readers)  # they read all of it: named as a whole
    read = f"agreement.{setting}" if whole and f"agreement.{setting}" != path else "it"
    rules = (
        f"the release rule {mechanisms[0]} ({MECHANISM_PATH}) does not read it"
        if len(mechanisms) == 1
        else f"none of the release rules swept ({join_words(list(mechanisms))}) reads it"
    )
    return f"; {rules}: only {join_words(readers)} read{'s' if len(readers) == 1 else ''} {read}"
