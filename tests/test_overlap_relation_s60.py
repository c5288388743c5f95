"""How two dotted paths stand is asked of :func:`simulator.scenario.overrides.overlap_relation` (session 60).

It was ``overlap`` in sweep/grid.py (studies layer), so the ground layer wrote it again: ``notes._touches``
(the same four tests) and ``uncertain._nested`` (one lies inside the other, by ``startswith``).
"""

from __future__ import annotations

import pytest

from simulator.scenario.overrides import overlap_relation, overlaps

STOCK = "regions.eu.reserve.ree"


@pytest.mark.parametrize(
    ("fixed", "varied", "relation"),
    [
        (f"{STOCK}.days", f"{STOCK}.days", "is"),
        (f"{STOCK}.days", f"{STOCK}.tonnes", "sibling"),  # setting one unit removes the other
        (f"{STOCK}.tonnes", f"{STOCK}.days", "sibling"),
        (STOCK, f"{STOCK}.days", "contains"),
        ("regions", f"{STOCK}.days", "contains"),  # any depth
        (f"{STOCK}.days", STOCK, "lies inside"),
        (f"{STOCK}.days", f"{STOCK}.days_x", None),  # segments compared whole
        ("agreement.ratios", "agreement.ratio", None),
        (f"{STOCK}.days", "regions.eu.reserve.nd.tonnes", None),  # another material's stock
        ("days", "tonnes", None),  # no stock above them
    ],
)
def test_the_relation_of_two_paths(fixed, varied, relation):
    assert overlap_relation(fixed, varied) == relation


@pytest.mark.parametrize(
    ("a", "b"),
    [("a.b", "a.b"), ("a.b", "a.b.c"), ("a.b.c", "a"), ("a.b", "a.bc"), ("a.b", "a.c"), (f"{STOCK}.days", STOCK)],
)
def test_overlaps_without_a_star_is_a_relation_other_than_sibling(a, b):
    assert overlaps(a, b) == (overlap_relation(a, b) in ("is", "contains", "lies inside"))
