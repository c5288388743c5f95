"""Path containment has one home: :func:`simulator.scenario.overrides.within` and, ``*``-aware,
:func:`~simulator.scenario.overrides.overlaps` (session 60).

One scan of the scenario, sweep and gate packages for a copy (it was written three times, once pinning
overrides.py's line); tests/test_within_tidy59.py checks, function by function, the askers that once wrote a literal
prefix (``startswith("agreement.pool.")``), which a scan of whole packages cannot tell from a column's prefix.

Before, the sweep's choice/condition classification had its own ``*``-aware copy
(``choices._overlaps``) and the gate's edited-field lookup its own ``startswith(p + ".")``.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from simulator.scenario.overrides import overlaps, within
from simulator.sweep.choices import is_choice
from tests.helpers import ROOT

OWN_COPY = re.compile(r"""\.startswith\((f"\{\w+\}\."|\w+ \+ "\.")\)|in \("\*", """)
"""A hand-written containment test: ``x.startswith(f"{p}.")``, ``x.startswith(p + ".")``, ``w in ("*", h)``."""
OVERRIDES = ROOT / "simulator" / "scenario" / "overrides.py"


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


def within_lines() -> set[tuple[Path, int]]:
    """The lines of overrides.py's ``within`` (its ``def`` to its last line), found by its name in the module's syntax
    tree: the one place a containment test is spelled out."""
    (function,) = [
        node
        for node in ast.parse(OVERRIDES.read_text()).body
        if isinstance(node, ast.FunctionDef) and node.name == "within"
    ]
    return {(OVERRIDES, number) for number in range(function.lineno, function.end_lineno + 1)}


@pytest.mark.parametrize("folder", ["simulator/scenario", "simulator/sweep", "simulator/gate"])
def test_no_module_spells_out_path_containment_but_within(folder):
    """No module of ``folder`` (nor of its subfolders) tests containment by hand but ``within`` itself."""
    allowed = within_lines()
    copies = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sorted((ROOT / folder).rglob("*.py"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if OWN_COPY.search(line) and (path, number) not in allowed
    ]
    assert copies == []
