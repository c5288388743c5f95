"""Which release rules a sweep ran, and why a swept setting none of them reads changed no output.

Layer: studies. Read from the mechanism registry (:attr:`simulator.mechanisms.Mechanism.reads`): a setting some
rules read and others do not (:data:`simulator.mechanisms.RULE_SETTINGS`, ``agreement.ratio`` say) swept under a
rule that does not read it changes nothing, and the note that says so says why
(:func:`simulator.sweep.figures.unchanged_notes`). And why a swept ``agreement.ratio`` leaves the members' shortfalls
alike where nothing caps releases (:func:`uncapped_ratio_notes`), as ``stockpile compare`` says of the sharing rules,
or moves who is short but not the members' total (:func:`same_total_lead`).
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import TYPE_CHECKING

from simulator.mechanisms import BY_NAME, MECHANISMS, current_name, reads_setting, rule_setting
from simulator.names import join_words
from simulator.scenario.overrides import overlaps
from simulator.shortages import short

if TYPE_CHECKING:
    import numpy as np
    import pandas as pd

    from simulator.scenario.schema import Agreement
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


CAP_PATH = "agreement.release_cap_t_per_day"
"""The scenario path of the release cap."""
MOVES_RULE = (MECHANISM_PATH, CAP_PATH, "agreement.strict")
"""The paths under which a swept value may change the release cap, or whether the rule meets every gap in full."""
MAX_RULE_SCENARIOS = 64
"""The most scenarios :func:`uncapped_ratio_notes` validates to learn each point's cap and rule (one per combination
of the values of the axes under :data:`MOVES_RULE`); a grid with more gets no note."""
UNCAPPED_RATIO = "{path}: {lead} under {rules}: "
"""The start of :func:`uncapped_ratio_notes`' note; the reason follows (:data:`simulator.compare.UNCAPPED_WHY`)."""
RATIO_ALIKE = "its values leave each member's shortfall of each material within 0.1%"
"""``{lead}`` of :data:`UNCAPPED_RATIO` where some metric moved, but no member's shortfall beyond 0.1%."""
RATIO_UNCHANGED = "why its values changed no output"
"""``{lead}`` of :data:`UNCAPPED_RATIO` where the swept path is noted already as changing no output at all."""
RATIO_SAME_TOTAL = (
    "its values leave the members' total shortfall the same ({totals}); only who is short moves ({moves})"
)
"""``{lead}`` of :data:`UNCAPPED_RATIO` where members' shortfalls move beyond 0.1% but their total, of each material,
stays within 0.1% of it (:func:`same_total_lead`): ``{totals}`` as ``1,500 t of cobalt at each value``, ``{moves}``
as ``korea 645 t at 0 to 610 t at 1, ...``."""


def uncapped_ratio_notes(sweep: Sweep, table: pd.DataFrame, unchanged: Sequence[str] = ()) -> list[str]:
    """Why a swept ``agreement.ratio`` (or one member's share of it) left the members' shortfalls alike: no cap.

    A note for each swept path under ``agreement.ratio`` with two values or more where, at every point, the
    agreement has no release cap and its rule, where it reads the ratio, meets each gap in full while the stock lasts
    (:func:`simulator.compare.shares_every_gap`: ``fair_ratio`` without ``strict``); some rule the sweep ran reads
    the ratio; two members or more are short in some run (with one alone short the ratio, which gives a share a
    member cannot use to the others, has nothing to split, cap or none); and rows that differ only in that path's
    value (same run, same values on the other axes) leave each member's shortfall of each material alike
    (:func:`simulator.compare.shortfalls_alike`, as ``stockpile compare`` tells rules apart). The ratio then splits
    only the stock's last days, as ``stockpile compare``'s line on sharing rules without a cap says
    (:data:`simulator.compare.UNCAPPED_WHY`). Where the members' shortfalls move beyond that but their total of each
    material does not (within 0.1% of it, in each such group of rows), the note says the total stays and only who
    is short moves, with the numbers (:func:`same_total_lead`), and why, in the same words. ``unchanged``: the paths
    noted already as changing no output at all
    (:func:`~simulator.sweep.figures.unchanged_paths`), whose note this one follows with why. None where the grid
    sweeps the whole agreement, the members change between points, or more than :data:`MAX_RULE_SCENARIOS`
    scenarios would tell each point's cap and rule.
    """
    import numpy as np

    from simulator.compare import UNCAPPED_WHY, shares_every_gap, shortfalls_alike
    from simulator.sweep.figures import holds_one_value

    paths = sweep.spec.paths
    swept = [p for p in paths if rule_setting(p) == "ratio" and p in table and not holds_one_value(table[p])]
    first = sweep.first.agreement
    if not swept or first is None or "agreement" in paths or sweep.members_by_point is not None:
        return []
    agreements = _point_agreements(sweep)
    if agreements is None or any(a.release_cap_t_per_day for a in agreements):
        return []
    readers = [a for a in agreements if reads_setting(a.mechanism, swept[0])]
    if not readers or not all(shares_every_gap(a) for a in readers):
        return []
    columns = [[f"shortfall_t.{n}.{m}" for m in sweep.first.materials] for n in first.members]
    if not all(c in table for row in columns for c in row):
        return []
    shortfall_t = np.stack([table[row].to_numpy(float) for row in columns], axis=1)  # (rows, members, materials)
    if not (short(shortfall_t).any(axis=2).sum(axis=1) >= 2).any():
        return []  # one member short at most: the ratio gives it what the others cannot use, cap or none
    rules = join_words(list(dict.fromkeys(a.mechanism for a in readers)))
    why = UNCAPPED_WHY.format(decides="the ratio decides", split="the ratio's values split")
    notes = []
    for path in swept:
        others = [p for p in paths if p != path] + ["run"]
        groups = table[others].astype(str).groupby(others, sort=False).indices.values()
        if all(shortfalls_alike(shortfall_t[rows]) for rows in groups):
            lead = RATIO_UNCHANGED if path in unchanged else RATIO_ALIKE
            notes.append(UNCAPPED_RATIO.format(path=path, lead=lead, rules=rules) + why)
        elif all(shortfalls_alike(shortfall_t[rows].sum(axis=1, keepdims=True)) for rows in groups):
            lead = same_total_lead(table[path], shortfall_t, first.members, sweep.first.materials)
            notes.append(UNCAPPED_RATIO.format(path=path, lead=lead, rules=rules) + why)
    return notes


def same_total_lead(
    values: pd.Series, shortfall_t: np.ndarray, members: Sequence[str], materials: Sequence[str]
) -> str:
    """:data:`RATIO_SAME_TOTAL` with its numbers: a swept ratio that moves who is short, not how much is short.

    ``values``: the swept path's value in each row; ``shortfall_t``: each row's shortfall by member and material (t).
    The total of each material at the path's first value, and each short member's shortfall at the first and the
    last value in the grid's order (medians over the rows of a value: its runs and the other axes' values).

    >>> import numpy as np, pandas as pd
    >>> rows = np.array([[[645.0], [490.0], [365.0]], [[610.0], [505.0], [385.0]]])
    >>> print(same_total_lead(pd.Series([0.0, 1.0]), rows, ["korea", "japan", "eu"], ["cobalt"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    its values leave the members' total shortfall the same (1,500 t of cobalt at each value); only who is short
    moves (korea 645 t at 0 to 610 t at 1, japan 490 t to 505 t, eu 365 t to 385 t)

    A ratio swept whole (``agreement.ratio``) has mappings for values, told apart by their text:

    >>> whole = pd.Series([{"korea": 0.2, "japan": 0.8}, {"korea": 0.8, "japan": 0.2}])
    >>> print(same_total_lead(whole, rows[:, :2], ["korea", "japan"], ["cobalt"]).split("moves ")[1])
    (korea 645 t at {'korea': 0.2, 'japan': 0.8} to 610 t at {'korea': 0.8, 'japan': 0.2}, japan 490 t to 505 t)
    """
    import numpy as np

    from simulator.names import number_text

    keys = np.array([repr(value) for value in values.tolist()])  # a ratio swept whole is a mapping: by its text
    order = list(dict.fromkeys(keys.tolist()))
    firsts = [values.iloc[int(np.flatnonzero(keys == key)[0])] for key in (order[0], order[-1])]
    median_t = [np.median(shortfall_t[keys == key], axis=0) for key in (order[0], order[-1])]  # (members, materials)
    totals = join_words([f"{number_text(float(median_t[0][:, j].sum()))} t of {m}" for j, m in enumerate(materials)])
    moves = []
    for j, material in enumerate(materials):
        of = f" of {material}" if len(materials) > 1 else ""
        for i, member in enumerate(members):
            first_t, last_t = float(median_t[0][i, j]), float(median_t[1][i, j])
            if not short(np.array([first_t, last_t])).any():
                continue
            at = (f" at {_value_text(firsts[0])}", f" at {_value_text(firsts[1])}") if not moves else ("", "")
            moves.append(f"{member}{of} {number_text(first_t)} t{at[0]} to {number_text(last_t)} t{at[1]}")
    return RATIO_SAME_TOTAL.format(totals=f"{totals} at each value", moves=", ".join(moves))


def _value_text(value: object) -> str:
    """A swept ratio's value as a note writes it: ``0.34``, ``1``.

    >>> _value_text(1.0), _value_text(0.34)
    ('1', '0.34')
    """
    return f"{value:g}" if isinstance(value, float) else str(value)


def _point_agreements(sweep: Sweep) -> list[Agreement] | None:
    """The agreements of the sweep's points as far as :data:`MOVES_RULE` goes: one per combination of those axes.

    The first point's alone where no axis is under those paths; None where more than :data:`MAX_RULE_SCENARIOS`
    combinations, a combination not valid alone, or a point without an agreement.
    """
    from simulator.errors import InputError
    from simulator.sweep.runner import build_point

    axes = [a for a in sweep.spec.axes if any(overlaps(a.path, path) for path in MOVES_RULE)]
    combos = list(itertools.product(*(a.values for a in axes))) if axes else []
    if len(combos) > MAX_RULE_SCENARIOS:
        return None
    try:
        scenarios = [
            build_point(sweep.raw, {a.path: v for a, v in zip(axes, combo, strict=True)}, sweep.source, sweep.transform)
            for combo in combos
        ] or [sweep.first]
    except InputError:  # a combination valid only with the other axes' values: not known, no note
        return None
    agreements = [s.agreement for s in scenarios]
    return None if any(a is None for a in agreements) else [a for a in agreements if a is not None]
