"""Whether tonnes of a scenario's materials may be added into one figure.

Layer: ground.

Tonnes count what each material's ``tonnes_of`` says (oxide, magnet, Ga metal): a total of
tonnes of oxide and tonnes of magnet adds unlike things; and tonnes of materials whose
reference prices lie far apart (more than :data:`PRICES_APART` times) weigh very different
amounts of value. The report gives such answers material by material, and so do ``stockpile
run``'s last line and ``stockpile compare``'s table and figure: the rule is here, below all of
them, as pure functions of the validated scenario (the report's ``tonnes_apart`` and
``prices_apart`` call these).
"""

from __future__ import annotations

from collections.abc import Iterable

from simulator.names import join_words
from simulator.scenario.checks import reference_price
from simulator.scenario.schema import Scenario

PRICES_APART = 2.0
"""Materials whose reference prices differ by more than this factor are priced far apart: their tonnes are not added
silently."""


def prices_apart(scenario: Scenario, materials: Iterable[str]) -> dict[str, float]:
    """``materials`` with their reference prices, when these differ by more than :data:`PRICES_APART` (else {}).

    Materials without a price are left out (:func:`~simulator.scenario.checks.reference_price`).
    """
    priced = {m: p for m in materials if (p := reference_price(scenario, m))}
    if len(priced) < 2 or max(priced.values()) <= PRICES_APART * min(priced.values()):
        return {}
    return priced


def tonnes_kinds(scenario: Scenario, materials: Iterable[str]) -> set[str]:
    """What tonnes of ``materials`` count (their ``tonnes_of``: ``oxide``, ``magnet``; "" where not said)."""
    return {scenario.materials[m].tonnes_of or "" for m in materials}


def tonnes_apart(scenario: Scenario, materials: Iterable[str]) -> bool:
    """Whether tonnes of ``materials`` must not be added into one figure.

    They count different things (``tonnes_of``: oxide and magnet, Ga metal and Ge metal), or
    their reference prices lie far apart (:func:`prices_apart`).
    """
    materials = list(materials)
    return len(tonnes_kinds(scenario, materials)) > 1 or bool(prices_apart(scenario, materials))


def why_apart(scenario: Scenario, materials: Iterable[str]) -> str:
    """What a total of ``materials`` would add, as the report says it: ``tonnes of magnet and tonnes of oxide``.

    ``tonnes of materials priced far apart`` where they count the same thing; "" where their
    tonnes may be added (:func:`tonnes_apart`).
    """
    materials = list(materials)
    counted = tonnes_kinds(scenario, materials)
    if len(counted) > 1:
        return join_words([f"tonnes of {c}" if c else "tonnes" for c in sorted(counted)])
    return "tonnes of materials priced far apart" if prices_apart(scenario, materials) else ""


def not_added(scenario: Scenario, short: Iterable[str]) -> str | None:
    """Why the tonnes of the materials ``short`` are not added into one figure (:func:`why_apart`), or None.

    None where fewer than two are short or the scenario's tonnes may be added (:func:`tonnes_apart`);
    said of the materials short where that names what differs, else of all the scenario's.
    """
    short = list(short)
    whole = why_apart(scenario, list(scenario.materials)) if len(short) >= 2 else ""  # "": may be added
    return (why_apart(scenario, short) or whole) if whole else None


RULE_FIELDS = {"materials": ("tonnes_of", "price_usd_per_kg"), "market": ("reference_price_usd_per_kg",)}
"""The fields the rule reads, under each top-level key: a material's :func:`tonnes_kinds` and its reference price
(:func:`~simulator.scenario.checks.reference_price`: the market's, else the material's own)."""


def moves_rule(path: str) -> bool:
    """Whether setting ``path`` (dotted, as ``--set`` and ``--grid`` take it) may change whether tonnes may be added.

    A field of :data:`RULE_FIELDS`, or a whole that holds one (``materials``, ``market.light_ree``).

    >>> [moves_rule(p) for p in ("materials.mag.tonnes_of", "market.ree", "market.ree.price.sensitivity")]
    [True, True, False]
    """
    top, *rest = path.split(".")
    return top in RULE_FIELDS and (len(rest) < 2 or (len(rest) == 2 and rest[1] in RULE_FIELDS[top]))


SHORTFALL_ADDS = "shortfall_adds"
"""``sweep.json``'s key for what its shortfall totals add (:func:`shortfall_adds`): absent in older sweeps."""


def shortfall_adds(scenario: Scenario) -> str | None:
    """What a total over the scenario's materials would add where their tonnes may not be added, else None.

    ``tonnes of magnet and tonnes of oxide`` (:func:`why_apart`); a sweep's ``total_shortfall_t`` and
    ``shortfall_t.<member>`` add every material's tonnes, so its notes say so where this is not None.
    """
    return why_apart(scenario, list(scenario.materials)) or None


def index_by_material(scenario: Scenario, short: Iterable[str]) -> bool:
    """Whether Jain's index of the members' shortfall shares is given material by material, not over all materials.

    Over all materials a member's share is its shortfall of every material over its demand for every material:
    where the scenario's tonnes may not be added (:func:`shortfall_adds`) that adds them, and where one material
    is short it divides a shortfall of it by demand for materials that are not short (a member using gallium only
    reads as bearing more than one whose gallium is a small part of its rare earths' tonnes). So wherever some
    material is ``short`` (those the members are short of) in such a scenario, each material short gets its own
    index (``fairness_jain.all.<material>``); one index over all materials where tonnes may be added.
    """
    return bool(list(short)) and shortfall_adds(scenario) is not None


def pool_adds(scenario: Scenario, pooled: Iterable[str]) -> str | None:
    """What a figure of the pool over the materials ``pooled`` would add (:func:`why_apart`), or None where it may.

    ``pool_end_t`` (t), ``draw_contribution_gap`` and ``draw_to_contribution.<member>`` (shares of tonnes drawn
    and paid in) add the tonnes of every material in the pool: where those tonnes may not be added they are given
    by material (``pool_end_t.all.<material>``, ``draw_contribution_gap.all.<material>``), not as one figure.
    ``pooled``: the materials the members paid into the shared stock.
    """
    return why_apart(scenario, list(pooled)) or None
