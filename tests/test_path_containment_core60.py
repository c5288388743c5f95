"""Path containment has one home: :func:`simulator.scenario.overrides.within` and, ``*``-aware,
:func:`~simulator.scenario.overrides.overlaps` (session 60).

Before, the sweep's choice/condition classification had its own ``*``-aware copy
(``choices._overlaps``) and the gate's edited-field lookup its own ``startswith(p + ".")``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.scenario.overrides import overlaps, within
from simulator.sweep.choices import is_choice

ROOT = Path(__file__).resolve().parents[1]
OWN_COPY = re.compile(r"""\.startswith\((f"\{\w+\}\."|\w+ \+ "\.")\)|in \("\*", """)
"""A hand-written containment test: ``x.startswith(f"{p}.")``, ``x.startswith(p + ".")``, ``w in ("*", h)``."""


@pytest.mark.parametrize(
    ("path", "pattern", "expected"),
    [
        ("agreement.auction.bids", "agreement.auction.bids", True),  # the pattern itself
        ("agreement.auction.bids.eu", "agreement.auction.bids", True),  # inside it
        ("agreement.auction", "agreement.auction.bids", True),  # holds it
        ("agreement.auctions", "agreement.auction", False),  # segments compared whole
        ("regions.korea.procurement.quota.ree.premium", "regions.*.procurement.quota.*.premium", True),
        ("regions.korea.procurement.quota", "regions.*.procurement.quota.*.premium", True),
        ("regions.korea.procurement.quota.ree.partner_minimum", "regions.*.procurement.quota.*.premium", False),
        ("regions.korea.reserve", "regions.*.procurement", False),
    ],
)
def test_overlaps_matches_segments_with_a_star_for_any_one(path, pattern, expected):
    assert overlaps(path, pattern) is expected


def test_within_is_overlaps_less_the_path_itself_and_what_holds_it():
    assert within("regions.eu.reserve", "regions.eu") and overlaps("regions.eu.reserve", "regions.eu")
    assert not within("regions.eu", "regions.eu") and overlaps("regions.eu", "regions.eu")
    assert not within("regions", "regions.eu") and overlaps("regions", "regions.eu")


def test_the_classification_reads_a_star_as_any_member():
    """``regions.*.procurement.replenishment`` is a condition for every member, a quota's cap a choice."""
    members = ["japan", "korea"]
    assert not is_choice("regions.korea.procurement.replenishment.days", members)
    assert is_choice("regions.korea.procurement.quota.ree.max_share_per_supplier", members)


@pytest.mark.parametrize("folder", ["simulator/sweep", "simulator/gate"])
def test_no_module_spells_out_path_containment(folder):
    copies = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / folder).glob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OWN_COPY.search(line)
    ]
    assert copies == []
