"""The days the agreement released stock: a lane per member that received it, under the 0 line of a days-of-cover panel.

Layer: studies.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.axes import Axes
from matplotlib.colors import to_rgba
from matplotlib.patches import Rectangle

from simulator.mechanisms import BY_NAME
from simulator.names import Names
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.layout import CURVES_MIN_SHARE
from simulator.plots.style import region_colour
from simulator.results import Result

RELEASE_LANE_SHARE = 0.035
"""Height of a member's release lane, as a share of its panel's height (6 points in a PNG's panel)."""
RELEASE_GAP_SHARE = 0.025
"""Room between the 0 line and the first lane, as a share of the panel's height: a curve at 0 (2.8 points wide at
most, 1.4 of them under its line) is drawn clear of the lanes."""
RELEASE_SEP_SHARE = 0.01
"""Room between two lanes, and under the last one, as a share of the panel's height."""
RELEASE_HATCHES = ("", "////", "....", "xxxx")
"""How the bars of each rule are filled, in the order members first received stock under the rules: the first solid."""


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


RELEASE_LANES_MAX_SHARE = RELEASE_GAP_SHARE + 5 * (RELEASE_LANE_SHARE + RELEASE_SEP_SHARE)
"""The most of a panel's height the release lanes take (0.25, five lanes' worth): more lanes are as much thinner. Twelve
lanes of :data:`RELEASE_LANE_SHARE` took 0.565 of the panel and left the curves about 220 pixels of a PNG's."""


def lane_shares(lanes: int) -> tuple[float, float]:
    """A release lane's height and the step from one lane to the next, as shares of the panel's height.

    :data:`RELEASE_LANE_SHARE` and it plus :data:`RELEASE_SEP_SHARE` for up to five lanes; for more, both scaled down
    so that all the lanes take :data:`RELEASE_LANES_MAX_SHARE` with the gap over them.

    >>> [tuple(round(v, 4) for v in lane_shares(n)) for n in (5, 10)]
    [(0.035, 0.045), (0.0175, 0.0225)]
    """
    scale = min(
        1.0, (RELEASE_LANES_MAX_SHARE - RELEASE_GAP_SHARE) / (max(lanes, 1) * (RELEASE_LANE_SHARE + RELEASE_SEP_SHARE))
    )
    return RELEASE_LANE_SHARE * scale, (RELEASE_LANE_SHARE + RELEASE_SEP_SHARE) * scale


def release_lanes_share(lanes: int) -> float:
    """Share of a panel's height under its 0 line that ``lanes`` release lanes take, with the gaps; 0 for none.

    At most :data:`RELEASE_LANES_MAX_SHARE` (:func:`lane_shares`).

    >>> round(release_lanes_share(1), 3), round(release_lanes_share(3), 3), release_lanes_share(0)
    (0.07, 0.16, 0.0)
    >>> round(release_lanes_share(5), 3), round(release_lanes_share(12), 3)
    (0.25, 0.25)
    """
    if lanes <= 0:
        return 0.0
    return RELEASE_GAP_SHARE + lanes * lane_shares(lanes)[1]


class FigureReleases(NamedTuple):
    """What a days-of-cover figure's release lanes read from the run, worked out once per figure (:func:`of_run`).

    ``days``: material -> member -> ``(day, rule)`` of the days it received that material
    (:func:`_received_days`; a member that received none is not a key); ``rules``: the rules in
    the order members first received stock under them (:func:`received_rules`); ``members_rules``:
    member -> the rules it received stock of any material under (:func:`_members_rules`).
    """

    days: dict[str, dict[str, list[tuple[int, str]]]]
    rules: list[str]
    members_rules: dict[str, set[str]]

    @classmethod
    def of_run(cls, result: Result) -> FigureReleases:
        """The run's release days of every material, read from its timeseries once each."""
        days = _received_by_material(result)
        return cls(days, _rules_in_order(days), _members_rules(result))

    @property
    def lanes(self) -> int:
        """The most members that received stock of one material: the lanes each panel holds.

        Every days-of-cover panel makes room for this many lanes under its 0 line, with releases or
        without, so that the 0 lines of a row's panels line up.
        """
        return max((len(members) for members in self.days.values()), default=0)


def mark_releases(ax: Axes, result: Result, material: str, releases: FigureReleases, top_share: float) -> float:
    """A lane under the 0 line per member that received stock of ``material``, with a bar over the days it did.

    Call once the y axis runs from 0 (``set_ylim(bottom=0)``) to the top of its curves: the axis's
    bottom is lowered to hold ``releases.lanes`` lanes (:func:`release_lanes_share`: as many in
    every panel), so that a curve at 0 is read against nothing, with the top ``top_share`` of the
    panel left to the shock lanes (:func:`~simulator.plots.shock_bands.shade_shocks`): the lanes
    are sized in shares of the final panel. Returns the share of the final panel the axis's top
    must then be raised by (:func:`~simulator.plots.shock_bands.clear_lanes`, the one place that
    raises it): ``top_share``, or less where the curves keep :data:`CURVES_MIN_SHARE` of a panel
    too crowded for all three (the panel is then that much taller than the shares add up to and
    every lane as much thinner). A member's lane is in its
    colour (its curve's) and in region order; its bars are solid for the rule a member first
    received stock under in the run and hatched for the next (``releases.rules``,
    :data:`RELEASE_HATCHES`). One legend entry per member (the figure's legend makes them one past five members,
    :func:`simulator.plots.cover._grouped_entries`), which names the rules it received
    stock under in the run (:func:`lane_label`), its swatch a bar of the rule the label names first.
    """
    names = Names.of(result.scenario)
    rules = releases.rules
    received = releases.days[material]
    lanes = [(i, region) for i, region in enumerate(result.structure.regions) if region in received]
    low, top = ax.get_ylim()
    below_share = release_lanes_share(releases.lanes)
    # data units per share of the final panel's height; the curves keep at least CURVES_MIN_SHARE of it (a panel
    # crowded with shock and release lanes would otherwise turn its axis upside down)
    curves_share = max(1 - below_share - top_share, CURVES_MIN_SHARE)
    per_share = (top - low) / curves_share
    lane_share, step_share = lane_shares(releases.lanes)
    tall = lane_share * per_share
    for k, (i, region) in enumerate(lanes):
        colour = region_colour(i)
        bottom = low - (RELEASE_GAP_SHARE + k * step_share) * per_share - tall
        member_rules = releases.members_rules[region]
        label = lane_label(rules, member_rules, names.region(region))  # the same in each panel
        named_first = next(rule for rule in rules if rule in member_rules)  # the rule the label lists first
        for n, rule in enumerate(rules):
            days = np.array([day for day, r in received[region] if r == rule], dtype=np.int64)
            hatch = RELEASE_HATCHES[n % len(RELEASE_HATCHES)]
            for first, end in release_runs(days):
                x0, x1 = ax.convert_xunits(days_as_x(result, np.array([first, end])))
                face = to_rgba(colour, 0.35) if hatch else colour
                bar = Rectangle((x0, bottom), x1 - x0, tall, facecolor=face, hatch=hatch or None, lw=0, label="_")
                bar.set_hatchcolor(colour)
                if rule == named_first:  # the legend's swatch: a panel without such a bar leaves it to another
                    bar.set_label(label)
                    label = "_"  # one legend entry per member
                ax.add_patch(bar)
    ax.set_ylim(low - below_share * per_share, top)
    return top_share / (curves_share + below_share + top_share)  # the shares add up to 1 unless the curves' least did


def lane_label(rules: list[str], received: set[str], member: str) -> str:
    """The legend's words for a member's lane: the rules of ``rules`` it ``received`` stock under, the hatched said.

    >>> lane_label(["fair_ratio", "auction"], {"fair_ratio", "auction"}, "Japan")
    'released (fair ratio; auction hatched) to Japan'
    >>> lane_label(["fair_ratio", "auction"], {"auction"}, "EU"), lane_label(["auction"], {"auction"}, "EU")
    ('released (auction, hatched) to EU', 'released (auction) to EU')
    """
    parts = [(BY_NAME[rule].label, n > 0) for n, rule in enumerate(rules) if rule in received]
    if len(parts) == 1:
        name, hatched = parts[0]
        return f"released ({name}{', hatched' if hatched else ''}) to {member}"
    words = "; ".join(f"{name} hatched" if hatched else name for name, hatched in parts)
    return f"released ({words}) to {member}"


def hide_lane_ticks(ax: Axes) -> None:
    """No tick, number or grid line on the release lanes under the 0 line of ``ax``: the y ticks from 0 up.

    Call once the axis's limits are final; a panel without lanes (its axis from 0) is left as it is.
    """
    low, top = ax.get_ylim()
    if low < 0:
        ax.set_yticks([tick for tick in ax.get_yticks() if 0 <= tick <= top])


def _received_days(result: Result, material: str) -> dict[str, list[tuple[int, str]]]:
    """Member -> ``(day, rule)`` of the days it received ``material`` under the agreement, by day.

    Received: ``released_joint_t`` above 0 (bought at auction or allocated by the sharing
    rule; not the member's own national reserve). The rule is the day's ``release_rule``.
    """
    days = table_column(result, "timeseries", "day")
    rules = table_column(result, "timeseries", "release_rule")
    joint = table_column(result, "timeseries", "released_joint_t")
    received = {}
    for region in result.structure.regions:
        rows = table_rows(result, "timeseries", region=region, material=material) & (joint > 0) & (rules != "")
        if rows.any():
            received[region] = [(int(d), str(r)) for d, r in zip(days[rows], rules[rows], strict=True)]
    return received


def _members_rules(result: Result) -> dict[str, set[str]]:
    """Member -> the rules under which it received stock of any material (:func:`_received_days`), in one pass.

    A member that received none is not a key.
    """
    structure = result.structure
    regions = table_column(result, "timeseries", "region")
    rules = table_column(result, "timeseries", "release_rule")
    received = (
        (table_column(result, "timeseries", "released_joint_t") > 0)
        & (rules != "")
        & np.isin(regions, list(structure.regions))
        & np.isin(table_column(result, "timeseries", "material"), list(structure.materials))
    )
    members: dict[str, set[str]] = {}
    for region, rule in zip(regions[received], rules[received], strict=True):
        members.setdefault(str(region), set()).add(str(rule))
    return members


def received_rules(result: Result) -> list[str]:
    """The rules under which members received shared stock (:func:`_received_days`), in the order they first did.

    A day a member drew only its own national reserve while a rule acted is not counted: no bar marks it.
    """
    return _rules_in_order(_received_by_material(result))


def _received_by_material(result: Result) -> dict[str, dict[str, list[tuple[int, str]]]]:
    """Material -> :func:`_received_days` of it, for each of the run's materials."""
    return {material: _received_days(result, material) for material in result.structure.materials}


def _rules_in_order(days: dict[str, dict[str, list[tuple[int, str]]]]) -> list[str]:
    """The rules of ``days`` (material -> member -> ``(day, rule)``) in the order members first received under them."""
    received = [(day, rule) for by_member in days.values() for member in by_member.values() for day, rule in member]
    return list(dict.fromkeys(rule for _, rule in sorted(received, key=lambda item: item[0])))
