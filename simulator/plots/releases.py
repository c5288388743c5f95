"""The days the agreement released stock: a band per rule along the bottom of a days-of-cover panel.

Layer: studies.
"""

from __future__ import annotations

import numpy as np
from matplotlib.axes import Axes

from simulator.mechanisms import BY_NAME
from simulator.plots.columns import _column, days_as_x
from simulator.results import Result

RELEASE_COLOURS = ("#3d405b", "#c1121f", "#2a9d8f", "#e9a03b")
"""Colours of the release bands, one per rule in the order the rules first release."""


def release_runs(days: np.ndarray) -> list[tuple[int, int]]:
    """Runs of consecutive days as ``(first, end)`` with ``end`` exclusive.

    >>> release_runs(np.array([3, 4, 5, 9, 11, 12]))
    [(3, 6), (9, 10), (11, 13)]
    """
    if not len(days):
        return []
    breaks = np.flatnonzero(np.diff(days) != 1)
    firsts = np.concatenate([[days[0]], days[breaks + 1]])
    lasts = np.concatenate([days[breaks], [days[-1]]])
    return [(int(a), int(b) + 1) for a, b in zip(firsts, lasts, strict=True)]


def _mark_releases(ax: Axes, result: Result, material: str, rules: list[str]) -> None:
    """A band along the bottom of the panel over the days each rule released stock."""
    released = [(day, rule) for day, m, rule in _release_days(result) if m == material]
    for k, rule in enumerate(rules):
        days = np.array([day for day, r in released if r == rule], dtype=np.int64)
        label = f"released ({BY_NAME[rule].label})"
        colour = RELEASE_COLOURS[k % len(RELEASE_COLOURS)]
        for first, end in release_runs(days):
            x0, x1 = days_as_x(result, np.array([first, end]))
            ax.axvspan(x0, x1, ymin=0.045 * k, ymax=0.045 * k + 0.035, color=colour, lw=0, label=label)
            label = "_"  # one legend entry per rule


def _release_days(result: Result) -> list[tuple[int, str, str]]:
    """``(day, material, release_rule)`` of the days some region received stock under the agreement, by day.

    The rule is the one named on the day's first row of the material (releases are never
    negative, so a day released stock when any region's release is above 0).
    """
    rules = _column(result, "timeseries", "release_rule")
    ruled = np.flatnonzero(rules != "").tolist()
    days = _column(result, "timeseries", "day")[ruled].tolist()
    materials = _column(result, "timeseries", "material")[ruled].tolist()
    released = (_column(result, "timeseries", "released_t")[ruled] > 0).tolist()
    first_rule: dict[tuple[int, str], str] = {}
    any_released: dict[tuple[int, str], bool] = {}
    for row, day, material, positive in zip(ruled, days, materials, released, strict=True):
        key = (int(day), str(material))
        first_rule.setdefault(key, str(rules[row]))
        any_released[key] = any_released.get(key, False) or positive
    found = [(day, material, first_rule[day, material]) for (day, material), yes in any_released.items() if yes]
    return sorted(found, key=lambda item: item[0])


def released_rules(result: Result) -> list[str]:
    """Rules that released stock in the run, in the order they first did."""
    return list(dict.fromkeys(rule for _, _, rule in _release_days(result)))
