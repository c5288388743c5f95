"""docs/release-rules.md, "A release cap that tells the rules apart", names the shipped scenarios that cap releases.

It said none did, while ``embargo_2010_scarce`` sets ``agreement.release_cap_t_per_day`` (its pool
over 270 days: light rare earths 1.8, heavy 0.04 t a day).
"""

from __future__ import annotations

from simulator.scenario import load_scenario
from tests.helpers import ROOT

TITLE = "## A release cap that tells the rules apart"


def test_the_section_names_the_one_shipped_scenario_that_caps_its_releases():
    capped = sorted(
        path.stem
        for path in (ROOT / "scenarios").glob("*.yaml")
        if (agreement := load_scenario(path).agreement) is not None and agreement.release_cap_t_per_day
    )
    assert capped == ["embargo_2010_scarce"]
    text = (ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8")
    opening = " ".join(text.split(TITLE, 1)[1].split("```", 1)[0].split())
    assert "None caps its releases" not in opening
    assert "Only `embargo_2010_scarce` caps its releases" in opening
