"""Which swept paths are choices (what the club or a member decides) and which are conditions.

Layer: studies.

A frontier compares what can be chosen under the same world: a shorter embargo is not a
setting anyone can buy. From the scenario schema (:mod:`simulator.scenario.schema`):

- choices: the whole ``agreement`` (who joins, the rule, ratio, pool, cap, trigger, lags,
  settlement, ...), and a member's own policy: its national ``reserve``, ``reserve_release``
  and ``procurement`` (ordering, re-sourcing, quotas), under ``regions.<id>.``;
- conditions: everything else: ``shocks``, a region's ``demand``, ``commercial_stock``
  (industry's own stock) and ``sourcing``, ``suppliers``, ``market``, ``materials``,
  ``horizon_days``, ``start_date``, ``seed``, and a path naming a whole region or all of
  them (it holds conditions as well as choices).
"""

from __future__ import annotations

REGION_POLICIES = ("reserve", "reserve_release", "procurement")
"""The fields of a region (``regions.<id>.<field>``) that the region itself decides."""


def is_choice(path: str) -> bool:
    """Whether a swept path is something the club or a member decides (see the module docstring).

    >>> [is_choice(p) for p in ("agreement.ratio.japan", "regions.eu.reserve.light_ree.days", "shocks.halt.end")]
    [True, True, False]
    >>> is_choice("regions.eu.demand.light_ree.tonnes_per_day"), is_choice("regions.eu")
    (False, False)
    """
    parts = str(path).split(".")
    if parts[0] == "agreement":
        return True
    return parts[0] == "regions" and len(parts) >= 3 and parts[2] in REGION_POLICIES


def choice_paths(paths: list[str]) -> list[str]:
    """The swept paths that are choices, in the grid's order."""
    return [path for path in paths if is_choice(path)]


def condition_paths(paths: list[str]) -> list[str]:
    """The swept paths that are conditions (not choices), in the grid's order."""
    return [path for path in paths if not is_choice(path)]
