"""The registry of release mechanisms: one entry per rule, everything about it in one place.

Layer: ground (imports nothing from the project). The entries are data; the rules
layer binds each entry's ``allocate`` reference to its function
(:func:`simulator.release.registry.allocator`), so the scenario schema, its checks, the
kernel, the report and the plots all read the same entry. Adding a rule means its
function in a module of ``simulator/release/`` (``claims.py`` for a rule of the claims
problem, ``sharing.py`` for one that reads demand, own stock or the ratio, else a module
of its own) plus one entry here (docs/architecture.md, "... a release rule").

A *mechanism* is what a scenario chooses (``agreement.mechanism``). On a given day the
agreement applies one *rule*: the auction, or the sharing function of a mechanism
(``hybrid`` applies ``fair_ratio`` under a threat to supply, an embargo active against a
member or a measured supply loss as ``agreement.trigger.switch_on`` says, and auctions
otherwise). Rules are logged by their ``code``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal


@dataclass(frozen=True)
class Mechanism:
    """One release mechanism (see the module docstring)."""

    name: str
    """The name scenarios use (``agreement.mechanism``)."""
    code: int
    """Code of the rule in the daily logs; 0 for a mechanism that never allocates by itself."""
    label: str
    """Short label for legends and table headers."""
    phrase: str
    """How a sentence names it ("the fair allocation ratio")."""
    description: str
    """What it does, in one sentence for the report."""
    allocate: str | None
    """``module:function`` in ``simulator.release`` that shares a day's release; None
    for a mechanism that only auctions or only borrows another's sharing."""
    shares_as: str | None
    """The mechanism whose sharing function is applied on rule days (itself for a
    plain sharing rule; None when it never shares by rule)."""
    shares_when: Literal["always", "embargo_on_member", "never"]
    """On which open days the sharing rule applies (the other open days auction)."""
    holds_auctions: bool
    """Offers the shared stock by auction on days the sharing rule does not apply."""
    needs_ratio: bool
    """Needs ``agreement.ratio`` for every member."""
    reads: tuple[str, ...]
    """The settings of :data:`RULE_SETTINGS` it reads, as paths under ``agreement`` (``ratio``, or one field of a
    setting: ``iea_ess.restraint``); a setting of :data:`RULE_SETTINGS` not among them changes none of its outputs
    (:func:`reads_setting`)."""
    donors_by: Literal["lendable", "commitments"] = "lendable"
    """National pool mode: donors give in proportion to what they may lend, or to
    their stock commitments."""
    shares_supply: bool = False
    """The rule governs members' consumption while it acts (demand restraint, stock drawn
    by obligation, supplies passed between members; :func:`simulator.release.iea_ess`):
    its ``allocate`` returns an :class:`~simulator.release.EssSharing`, and members do not
    draw their own reserves first on the days it acts."""
    auctions_as: str | None = None
    """How the shared stock goes out on the days the rule auctions, in words its description uses
    (the report gives them where a member's pool share was not drawable); None if it never auctions."""


AUCTION_CODE = 1
"""Code of the auction rule in the daily logs."""


HYBRID_AUCTIONS = "in normal times the shared stock is sold by auction"
AUCTION_AUCTIONS = "the shared stock is offered in lots at regular intervals and goes to the highest bids"


RULE_SETTINGS = ("ratio", "strict", "auction", "iea_ess")
"""The settings of ``agreement`` that some release rules read and others do not (paths under ``agreement``): each
entry's :attr:`Mechanism.reads` names those it reads."""


def _sharing(
    name: str,
    code: int,
    label: str,
    phrase: str,
    description: str,
    allocate: str,
    donors_by: Literal["lendable", "commitments"] = "lendable",
    shares_supply: bool = False,
    reads: tuple[str, ...] = (),
) -> Mechanism:
    return Mechanism(
        name, code, label, phrase, description, allocate, name, "always", False, False, reads, donors_by, shares_supply
    )


MECHANISMS: tuple[Mechanism, ...] = (
    Mechanism(
        "hybrid",
        0,
        "hybrid",
        "the hybrid rule",
        f"the hybrid rule proposed in the KAS\u2013NPI policy paper: {HYBRID_AUCTIONS}; under a threat to supply, "
        "each release is shared by the pre-agreed fair allocation ratio",
        None,
        "fair_ratio",
        "embargo_on_member",
        True,
        True,
        ("ratio", "strict", "auction"),
        auctions_as=HYBRID_AUCTIONS,
    ),
    Mechanism(
        "fair_ratio",
        2,
        "fair ratio",
        "the fair allocation ratio",
        "the pre-agreed fair allocation ratio: each release is shared in fixed proportions",
        "sharing:allocate_fair_ratio",
        "fair_ratio",
        "always",
        False,
        True,
        ("ratio", "strict"),
    ),
    Mechanism(
        "auction",
        AUCTION_CODE,
        "auction",
        "auction",
        f"auctions: {AUCTION_AUCTIONS}",
        None,
        None,
        "never",
        True,
        False,
        ("auction",),
        auctions_as=AUCTION_AUCTIONS,
    ),
    _sharing(
        "proportional_to_demand",
        3,
        "proportional to demand",
        "sharing in proportion to demand",
        "sharing in proportion to demand, the consumption-share key of IEA collective actions applied to members' "
        "gaps: releases are shared in proportion to members' normal demand, so that each bears the same fractional "
        "shortfall",
        "sharing:allocate_proportional_to_demand",
    ),
    _sharing(
        "proportional_to_claims",
        10,
        "proportional to claims",
        "sharing in proportion to claims",
        "sharing in proportion to claims, the textbook rule of the claims problem: each release is shared in "
        "proportion to members' gaps today",
        "claims:allocate_proportional_to_claims",
    ),
    _sharing(
        "equal_cover",
        4,
        "equal cover",
        "equal cover",
        "equal cover: releases go where they leave members with days of cover as equal as possible, counting "
        "each member's own stock; under the default order, own reserves drawn first, a member still short has no "
        "own stock left, so it shares as proportional to demand does; it differs where the agreement acts before "
        "members draw their reserves (agreement.order: joint_first), or where a member's reserve is sold by tender "
        "(regions.<id>.reserve_release) and it is short with its reserve in hand while the sale waits",
        "sharing:allocate_equal_cover",
    ),
    _sharing(
        "need_with_restraint",
        5,
        "need with restraint",
        "need-based sharing after a restraint",
        "need-based sharing after a demand restraint: once the group's gap reaches a threshold, stock tops each "
        "member up to its normal demand less the restraint, in proportion to needs when short (this project's "
        "iea_ess before the IEP rules were implemented)",
        "ess:allocate_need_with_restraint",
        donors_by="commitments",
        reads=("iea_ess.restraint", "iea_ess.trigger_loss_share", "iea_ess.commitments"),  # commitments: national pools
    ),
    _sharing(
        "iea_ess",
        9,
        "IEA ESS",
        "the IEA Emergency Sharing System",
        "the IEA Emergency Sharing System, by the IEA's oil-sharing arithmetic (from its International Energy "
        "Program, IEP), except that supply is measured as what a member drew from its commercial stock each day, "
        "so a member under embargo can end up giving rather than receiving: once the group (or one member) "
        "loses 7% "
        "of its supply, every member restrains demand by 7% (10% from a 12% loss), draws emergency stock in "
        "proportion to its reserve commitment, and members supplied above their supply right pass supplies to "
        "those below it",
        "ess:allocate_iea_ess",
        donors_by="commitments",
        shares_supply=True,
        reads=("iea_ess",),
    ),
    _sharing(
        "equal_awards",
        6,
        "equal awards",
        "equal awards",
        "equal awards: each member in need receives the same amount, up to its need",
        "claims:allocate_equal_awards",
    ),
    _sharing(
        "equal_losses",
        7,
        "equal losses",
        "equal losses",
        "equal losses: releases go to the largest needs first, so that unmet needs end as equal as possible",
        "claims:allocate_equal_losses",
    ),
    _sharing(
        "talmud",
        8,
        "Talmud",
        "the Talmud rule",
        "the Talmud rule: small needs are met up to half first and larger needs then share the rest so that "
        "losses are as equal as possible",
        "claims:allocate_talmud",
    ),
)

BY_NAME: dict[str, Mechanism] = {m.name: m for m in MECHANISMS}

BASELINE = "no agreement"
"""The ``mechanism`` of ``stockpile compare``'s row for the scenario without its agreement (``--set agreement=null``).

It has a space, so no rule's name (a registry name is one word of ``[a-z_]``) can ever be it.
"""
OWN_SHARES = "own shares alone"
"""The ``mechanism`` of ``stockpile compare``'s row for the scenario without its agreement, each member holding its
share alone.

Each member's pool contribution is added to its own national reserve and drawn for its
own gaps only (:func:`simulator.counterfactuals.own_share_scenario`, the report's
own-share run): where the pool is national stock pooled, this, not :data:`BASELINE`, is
the member acting alone. Only for a joint pool with contributions.
"""
STATUS_QUO = "stocks held today"
"""The ``mechanism`` of ``stockpile compare``'s row for the status quo, where ``agreement.pool.already_held`` lists
members whose pool contributions are stocks they hold today.

Without the agreement, those members hold their contributions alone as national reserves and the
others put nothing aside (:func:`simulator.counterfactuals.status_quo_scenario`): the world the
report measures the joint stock against. Where every contributor is listed it is :data:`OWN_SHARES`'s
world, and that row stands for it.
"""
assert BASELINE not in BY_NAME
assert OWN_SHARES not in BY_NAME
assert STATUS_QUO not in BY_NAME
assert len({BASELINE, OWN_SHARES, STATUS_QUO}) == 3

NAMES: tuple[str, ...] = tuple(BY_NAME)
"""Mechanism names in registry order (the schema's choices)."""

RENAMED: dict[str, str] = {"proportional": "proportional_to_demand"}
"""Former names still accepted in scenarios, ``--set`` and ``--mechanisms``, with the name
each now has."""


def current_name(name: str) -> str:
    """The registry name of ``name``, which may be a former one.

    >>> current_name("proportional"), current_name("talmud")
    ('proportional_to_demand', 'talmud')
    """
    return RENAMED.get(name, name)


def rule_name(code: int) -> str:
    """Name of the rule applied under ``code`` in the daily logs ('' for 0: none).

    >>> rule_name(1), rule_name(2), rule_name(0)
    ('auction', 'fair_ratio', '')
    """
    if code == 0:
        return ""
    return next(m.name for m in MECHANISMS if m.code == code)


def _under(path: str, setting: str) -> bool:
    return path == setting or path.startswith(f"{setting}.")


def rule_setting(path: str) -> str | None:
    """The setting of :data:`RULE_SETTINGS` a scenario path is in (``agreement.ratio.japan``: ``ratio``), else None.

    >>> rule_setting("agreement.ratio.japan"), rule_setting("agreement.iea_ess.restraint"), rule_setting("agreement")
    ('ratio', 'iea_ess', None)
    """
    under_agreement = path.removeprefix("agreement.")
    if under_agreement == path:
        return None
    return next((setting for setting in RULE_SETTINGS if _under(under_agreement, setting)), None)


def reads_setting(mechanism: str, path: str) -> bool:
    """Whether ``mechanism`` reads the scenario path ``path`` (True for a path outside :data:`RULE_SETTINGS`).

    >>> reads_setting("equal_awards", "agreement.ratio.japan"), reads_setting("hybrid", "agreement.ratio.japan")
    (False, True)
    >>> reads_setting("need_with_restraint", "agreement.iea_ess.restraint"), reads_setting("talmud", "horizon_days")
    (True, True)
    """
    if rule_setting(path) is None:
        return True
    under_agreement = path.removeprefix("agreement.")
    return any(_under(under_agreement, read) or _under(read, under_agreement) for read in BY_NAME[mechanism].reads)


def applied_rule(mechanism: str) -> Mechanism | None:
    """The entry whose sharing function ``mechanism`` applies on rule days (None: auctions only)."""
    shares_as = BY_NAME[mechanism].shares_as
    return BY_NAME[shares_as] if shares_as else None
