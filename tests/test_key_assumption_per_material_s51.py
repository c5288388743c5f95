"""embargo_2010.yaml's key assumption on the harsher variant gives tonnes per material (policy audit s51, item 3).

It said "the EU is then 703.5 t short" and "with no leak Japan runs 4,998 t short", sums of
light and heavy rare earths, which the tool refuses to add ("not added: tonnes of materials
priced far apart"). Each figure is now given per material, as a run of the variant prints it.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

import simulator

ROOT = Path(__file__).resolve().parents[1]
NO_LEAK = {
    "shocks.china_japan_halt.end": "2011-12-31",
    "shocks.china_japan_halt.on_halt": "lost",
    "shocks.china_japan_halt.leak_share": 0,
}


def _statement() -> str:
    raw = yaml.safe_load((ROOT / "scenarios" / "embargo_2010.yaml").read_text())
    (text,) = [a["statement"] for a in raw["assumptions"] if a["statement"].startswith("A harsher variant")]
    return " ".join(text.split())


def test_no_tonnes_of_light_and_heavy_rare_earths_are_added():
    text = _statement()
    # a shortfall named with no material right after it ("703.5 t short (", "4,998 t short.")
    assert not re.search(r"[\d,.]+ t short\b(?! of)", text), text
    assert "703.5" not in text and "4,998" not in text


def test_the_no_leak_shortfall_of_japan_is_given_per_material_as_a_run_gives_it():
    said = re.search(
        r"with no leak Japan runs ([\d,]+) t short of light and ([\d,]+) t of heavy rare earths", _statement()
    )
    assert said, _statement()
    alone = simulator.run("embargo_2010_historical", set=NO_LEAK)  # the variant without the pool
    rows = alone.summary.query("region == 'japan'").set_index("material")["shortfall_t"]
    assert (f"{rows['light_ree']:,.0f}", f"{rows['heavy_ree']:,.0f}") == said.groups()  # 4,578.3 t and 419.7 t
