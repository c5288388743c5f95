"""Facts a fact-checking journalist found wrong or stale (stop 64).

1. An end date is exclusive: ``--set shocks.china_japan_halt.end=2011-12-31`` halts Japan up to and including
   30 Dec 2011, so no text that quotes that variant may say the halt lasts "through 2011", "to the end of 2011"
   or "to 31 December 2011" (only the variant run with ``end=2012-01-01`` does).
2. ``demand_t`` is the demand after the price response (potential demand less ``demand_destroyed_t``), not
   "baseline x demand surges x noise": the registry says so, and a run with a market whose demand responds to
   price bears the identity out day by day.
3. The report's shock table quotes the scenario file's description of each shock: where a ``--set`` changed a
   field of that shock, the cell says what this run set.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator import quantities
from simulator.report import render_report
from simulator.report.findings import Run
from simulator.report.tables import shock_table
from simulator.report.words import DASH, NBSP
from simulator.scenario import apply_overrides
from simulator.scenario.changes import changes_of
from tests.helpers import ONE_REGION, ROOT, TWO_MEMBERS, build, invoke, run, series

# 1. The halt's last day


def test_a_halt_ending_on_2011_12_31_stops_shipments_up_to_30_december_only():
    # start 2010-07-01: 21 Sep 2010 is day 82 and 31 Dec 2011 day 82 + 466 = 548 (2010-09-21 to 2011-09-21 is
    # 365 days, then 10 + 31 + 30 + 30 days to 31 Dec); shipments take 5 days to Japan
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"]}
    data = build(ONE_REGION, start_date="2010-07-01", horizon_days=560, shocks=[halt | {"start": "2010-09-21"}])
    data = apply_overrides(data, [("shocks.halt.end", "2011-12-31")])
    result = run(data)
    row = result.shocks.iloc[0]
    assert (int(row["start_day"]), int(row["end_day"])) == (82, 548)
    arrivals = series(result, "arrivals_t", "japan")
    # shipped on 30 Dec 2011 (day 547, halted) it would arrive on day 552; shipped on 31 Dec (day 548), on day 553
    assert arrivals[552] == 0.0 and arrivals[553] == pytest.approx(10.0)
    cell = re.search(r'class="when" data-label="When">(.*?)</td>', shock_table(Run.of(result)))
    assert (
        cell
        and unescape(cell.group(1)).replace(NBSP, " ") == "21 Sep 2010 \u2013 30 Dec 2011<br><small>466 days</small>"
    )


STALE = re.compile(r"halt[^.`]{0,60}?(through 2011|to the end of 2011|31 December 2011)")
"""Words that make a halt to Japan last into 31 December 2011."""


def _blocks(text: str) -> list[str]:
    """Paragraphs and list items of a Markdown page (or the text of a scenario's statement)."""
    return re.split(r"\n\s*\n|\n\s*[-*] ", text)


def _stale(text: str) -> list[str]:
    """The paragraphs that say the halt lasts through 2011 and do not run it to 2012-01-01."""
    return [b for b in _blocks(text) if STALE.search(b) and "china_japan_halt.end=2012-01-01" not in b]


def _texts() -> dict[str, str]:
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").glob("*.md"))}
    raw = yaml.safe_load((ROOT / "scenarios" / "embargo_2010.yaml").read_text(encoding="utf-8"))
    texts["embargo_2010.yaml"] = "\n\n".join(a["statement"] for a in raw["assumptions"])
    return texts


def test_no_text_says_the_halt_to_2011_12_31_lasts_through_2011():
    texts = _texts()
    assert {name: found for name, text in texts.items() if (found := _stale(text))} == {}
    # the words of the variants that end the halt on 2011-12-31 name its last day
    for name in ("getting-started-policy.md", "limitations.md", "scenarios.md", "release-rules.md", "outputs.md"):
        assert "30 December 2011" in texts[name], name
    assert "lasting to 30 December 2011" in texts["embargo_2010.yaml"]
    # the one variant said to last through 2011 does run to 2012-01-01 (docs/release-rules.md's iea_ess halt)
    (through,) = [b for b in _blocks(texts["release-rules.md"]) if STALE.search(b)]
    assert "Japan extended through 2011" in through and "china_japan_halt.end=2012-01-01" in through


# 2. What demand_t is

CUTS = [
    {"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 20, "end": 80, "severity": 0.5},
    {"id": "rush", "kind": "demand_surge", "regions": ["japan"], "start": 30, "duration_days": 10, "factor": 1.5},
]
WORLD = build(TWO_MEMBERS, horizon_days=121, shocks=CUTS, regions__eu__demand__ree__noise_cv=0.2, seed=7)
"""Japan 20 t/day with a 1.5x surge on days 30-39 and no noise; the EU 80 t/day with noise; China's supply halved
on days 20-79; no stock."""
FLOOR, ELASTICITY, P0 = 0.7, -0.3, 50.0
RESPONDS = build(
    WORLD,
    market={
        "ree": {
            "price": {"sensitivity": 3.0, "adjustment_days": 10.0},
            "demand": {
                "short_run_elasticity": ELASTICITY,
                "floor_share": FLOOR,
                "substitution": {"max_share": 0.3, "full_price_ratio": 5.0, "adjustment_days": 20.0},
            },
        }
    },
)
"""``WORLD`` with a market whose price answers the cut, a short-run elasticity, substitution and a floor."""


def test_the_registry_says_demand_t_is_the_demand_left_after_the_price_response():
    daily = quantities.get("market", "demand_t").description
    total = quantities.get("summary", "demand_t").description
    for text in (daily, total):
        assert "after the price response" in text and "less demand_destroyed_t" in text
    assert "(baseline x demand surges x noise)" in daily and "substitution_share" in daily


def test_demand_t_is_baseline_x_surges_x_noise_less_the_demand_destroyed_day_by_day():
    responds, flat = run(RESPONDS), run(WORLD)
    for region in ("japan", "eu"):
        demand, destroyed = series(responds, "demand_t", region), series(responds, "demand_destroyed_t", region)
        baseline = series(responds, "baseline_demand_t", region)
        # baseline x surges x noise: the same world's demand without a market (the same seed, the same noise)
        potential = series(flat, "demand_t", region)
        assert demand == pytest.approx(potential - destroyed, rel=1e-12, abs=1e-12)
        # the factor: max(floor, (1 - substitution at the start of the day) x (price / P0)^elasticity); the
        # substitution_share column is the end of the day's, so the start of a day's is the day before's
        price = series(responds, "price_usd_per_kg", region)
        share = np.concatenate([[0.0], series(responds, "substitution_share", region)[:-1]])
        own = (1.0 - share) * (price / P0) ** ELASTICITY
        assert demand == pytest.approx(potential * np.maximum(FLOOR, own), rel=1e-12)
        # every part of it acts in this run: the price cuts demand, substitution builds, the floor holds on some days
        assert (destroyed > 1.0).sum() > 30 and share.max() > 0.1
        assert 0 < (own < FLOOR).sum() < (destroyed > 1e-9).sum()
        assert series(responds, "shortfall_t", region) == pytest.approx(
            np.maximum(0.0, demand - series(responds, "supplied_t", region) - series(responds, "released_t", region))
        )
        if region == "japan":  # no noise: surges x baseline by hand, 30 t/day on the surge's days
            surge = np.where((np.arange(121) >= 30) & (np.arange(121) < 40), 1.5, 1.0)
            assert potential == pytest.approx(baseline * surge, rel=1e-12)
            assert potential[30:40] == pytest.approx([30.0] * 10)
        else:
            assert np.ptp(potential / baseline) > 0.5  # the noise is there
    summary = responds.summary.set_index(["region", "material"])
    assert summary.loc[("japan", "ree"), "demand_t"] == pytest.approx(series(responds, "demand_t", "japan").sum())


# 3. A shock's description under --set

SCENARIO = """\
name: described
start_date: 2010-07-01
horizon_days: 60
materials:
  ree: {price_usd_per_kg: 50}
suppliers:
  china: {lead_time_days: {japan: 5}}
regions:
  japan:
    demand:
      ree: {tonnes_per_day: 10}
    commercial_stock:
      ree: {tonnes: 100}
    sourcing:
      ree: {china: 1.0}
shocks:
  - {id: halt, kind: embargo, supplier: china, regions: [japan], start: 5, end: 20, leak_share: 0.7,
     description: "Halt to Japan; 70% leaks through."}
  - {id: rush, kind: demand_surge, start: 10, duration_days: 5, factor: 1.5, description: "Hoarding."}
  - {id: cut, kind: quota_cut, supplier: china, start: 30, end: 40, severity: 0.2}
"""


def _happened(html: str) -> list[str]:
    table = re.search(r'<table class="shocks">.*?</table>', html, re.S)
    assert table
    return [unescape(c) for c in re.findall(r'data-label="What happened">(.*?)</td>', table.group())]


def test_the_shock_table_says_what_the_run_set_beside_the_files_description(tmp_path: Path):
    path = tmp_path / "described.yaml"
    path.write_text(SCENARIO, encoding="utf-8")
    sets = ["shocks.halt.leak_share=0", "shocks.halt.on_halt=held", "shocks.halt.leak_share=0.1"]
    sets += ["shocks.2.severity=0.5"]  # by index: the cut, which has no description
    result = invoke("run", path, "--report", "--no-plots", *(f"--set={s}" for s in sets), "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    cells = _happened((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))
    # the last value of each field, in the order first set; the surge, untouched, as written
    assert cells == [
        "Halt to Japan; 70% leaks through. <small>(as written; this run sets leak_share = 0.1 and on_halt = held)"
        "</small>",
        "Hoarding.",
        f"{DASH} <small>(this run sets severity = 0.5)</small>",
    ]
    # without --set the description stands alone
    plain = invoke("run", path, "--report", "--no-plots", "-o", tmp_path / "plain")
    assert plain.exit_code == 0, plain.output
    assert _happened((tmp_path / "plain" / "report.html").read_text(encoding="utf-8")) == [
        "Halt to Japan; 70% leaks through.",
        "Hoarding.",
        DASH,
    ]


def test_a_description_set_for_the_run_is_the_runs_own_and_other_paths_touch_no_shock(tmp_path: Path):
    data = yaml.safe_load(SCENARIO)
    assignments = [("shocks.rush.description", "Panic buying."), ("shocks.-3.end", 25), ("horizon_days", 50)]
    changed = run(apply_overrides(data, assignments))
    cells = _happened(render_report(changed, changes=changes_of(data, assignments), figures=False))
    assert cells == [
        "Halt to Japan; 70% leaks through. <small>(as written; this run sets end = 25)</small>",
        "Panic buying.",
        DASH,
    ]
