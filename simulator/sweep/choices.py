"""Which swept paths are choices (what the club or a member decides) and which are conditions.

Layer: studies.

A frontier compares the club's options under the same world: a shorter embargo is not a
setting anyone can buy, nor a lower market price. The rule: a choice is a term the agreement
sets or a member government's own policy; what buyers do (commercial or bidding) and what
prices are, are conditions, even under a choice. From the scenario schema
(:mod:`simulator.scenario.schema`), with ``<m>`` a member of the agreement at some grid point:

- choices: the ``agreement`` (who joins, the rule, ratio, pool, cap, trigger, lags, auction
  rules, settlement, ...) but for what bidders do (``auction.bids``, ``auction.service_level``),
  and a member's own policy: ``regions.<m>.reserve``, ``regions.<m>.reserve_release`` and
  ``regions.<m>.procurement`` (quotas' caps and partner minimums) but for the fields of
  :data:`CONDITIONS_AMONG_CHOICES`;
- conditions: everything else: ``shocks``, a region's ``demand``, ``commercial_stock``
  (industry's own stock) and ``sourcing``, ``suppliers``, ``market``, ``materials``,
  ``horizon_days``, ``start_date``, ``seed``; what buyers do or pay
  (:data:`CONDITIONS_AMONG_CHOICES`); every field of a region outside the agreement (its
  reserve is its own policy, not one of the club's options); and a path holding conditions
  as well as choices (``regions.<m>``, ``regions.<m>.procurement``, ``agreement.auction``,
  ``agreement``).

The documented list is ``docs/sweeps.md#choices-and-conditions``.
"""

from __future__ import annotations

from collections.abc import Collection

from simulator.scenario.overrides import overlaps

MEMBERS = "agreement.members"
"""Who is a member: swept, the classification is of every region that is one at some grid point
(:func:`simulator.sweep.club_members`); each point's own are :func:`simulator.sweep.members_by_point`."""
REGION_POLICIES = ("reserve", "reserve_release", "procurement")
"""The fields of a member region (``regions.<m>.<field>``) that the member itself decides."""
CONDITIONS_AMONG_CHOICES = (
    "agreement.auction.bids",
    "agreement.auction.service_level",
    "regions.*.procurement.replenishment",
    "regions.*.procurement.resourcing",
    "regions.*.procurement.quota.*.premium",
)
"""Paths under a choice that are conditions (``*``: any one id), what buyers do or pay: bidders' willingness to
pay and the safety margin they bid for, how commercial buyers order their normal supply (industry's behaviour,
as its ``commercial_stock``) and how fast they re-source at what spot price, and quota premiums."""


def _club_decides(parts: list[str], members: Collection[str]) -> bool:
    """Whether ``parts`` lie within the agreement or a member's own policy (:data:`REGION_POLICIES`)."""
    if parts[0] == "agreement":
        return True
    return parts[0] == "regions" and len(parts) >= 3 and parts[1] in members and parts[2] in REGION_POLICIES


def is_choice(path: str, members: Collection[str]) -> bool:
    """Whether a swept path is something the club or one of its ``members`` decides (see the module docstring).

    >>> members = ["japan", "eu"]
    >>> paths = ("agreement.ratio.japan", "regions.eu.reserve.light_ree.days", "shocks.halt.end")
    >>> [is_choice(path, members) for path in paths]
    [True, True, False]
    >>> is_choice("regions.korea.reserve.light_ree.days", members), is_choice("agreement.auction.bids.eu", members)
    (False, False)
    """
    text = str(path)  # a table's column name
    if not _club_decides(text.split("."), members):
        return False
    return not any(overlaps(text, pattern) for pattern in CONDITIONS_AMONG_CHOICES)


def choice_paths(paths: list[str], members: Collection[str]) -> list[str]:
    """The swept paths that are choices of the club of ``members``, in the grid's order."""
    return [path for path in paths if is_choice(path, members)]


def condition_paths(paths: list[str], members: Collection[str]) -> list[str]:
    """The swept paths that are conditions for the club of ``members`` (not choices), in the grid's order."""
    return [path for path in paths if not is_choice(path, members)]
