"""stockpile check: what moved, told apart from what appeared, disappeared or was renamed (audit 41).

The tiny two-member scenario ``pair`` of ``tests/test_check.py``: Japan (20 t/day) and the
EU (80 t/day), both cut off from China for all 60 days, share a 60 t pool. Each region has
23 summary metrics in a baseline (16 per region, 7 per region and material: ``shortfall_t.eu``,
``shortfall_t.eu.ree``, ...) and 2 curves x 10 sampled days (0, 7, ..., 56 and the last, 59)
= 20 curve points.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests import test_check
from tests.test_check import check

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` with its baseline, and a test's own copy (the fixtures of test_check)."""

REGION_METRICS, REGION_POINTS = 23, 20


def _rewrite(path: Path, change) -> None:
    data = yaml.safe_load(path.read_text())
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _add_korea(data: dict) -> None:
    """Korea (10 t/day from China, cut off too, not a member) joins; ree costs 60 USD/kg instead of 50.

    Korea is not in the agreement, so the members' numbers stay as they were but for the peak
    price of ree, which is the material's price in this market-less world: 50 -> 60 (+20.0%)
    for Japan and the EU.
    """
    data["materials"]["ree"]["price_usd_per_kg"] = 60
    data["suppliers"]["china"]["lead_time_days"]["korea"] = 5
    data["regions"]["korea"] = {
        "demand": {"ree": {"tonnes_per_day": 10}},
        "commercial_stock": {"ree": {"tonnes": 0}},
        "sourcing": {"ree": {"china": 1.0}},
    }
    data["shocks"][0]["regions"].append("korea")


def test_a_new_region_is_one_line_after_the_numbers_that_moved(pair_repo, tmp_path):
    _rewrite(pair_repo / "pair.yaml", _add_korea)
    result = check(pair_repo)
    assert result.exit_code == 1, result.output
    lines = result.output.splitlines()
    # 2 numbers moved (the two peak prices); Korea's 23 + 20 numbers are counted apart, not as moved
    assert lines[0] == (
        "drift        pair: 2 number(s) moved; region korea added (23 metrics, 20 curve points) "
        "(scenario changed since its baseline: +regions.korea, materials.ree, shocks.halt, suppliers.china)"
    )
    rows = [line.split() for line in lines if line.startswith("pair ")]
    assert rows == [
        ["pair", "eu", "ree", "peak_price_usd_per_kg", "-", "-", "50", "60", "+10", "(+20.0%)"],
        ["pair", "japan", "ree", "peak_price_usd_per_kg", "-", "-", "50", "60", "+10", "(+20.0%)"],
        ["pair", "korea", "*", "*", "-", "-", "-", "-", "region", "added:", "23", "metrics,", "20", "curve", "points"],
    ]
    # the one-line headline (-q, annotations, JUnit, Markdown) leads with the real move, not Korea's zeros
    quiet = check(pair_repo, "-q").output.splitlines()[0]
    assert quiet == (
        "drift        pair: 2 number(s) moved beyond tolerance; region korea added (23 metrics, 20 curve points); "
        "scenario changed since its baseline: +regions.korea, materials.ree, shocks.halt, suppliers.china; "
        "largest: peak_price_usd_per_kg eu/ree 50 -> 60 (+10, +20.0%)"
    )
    report = tmp_path / "check.xml"
    check(pair_repo, "--junit", report)
    assert test_check.junit_cases(report)["pair"].find("failure").get("message") == quiet.split(": ", 1)[1]
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert (outcome["numbers_moved"], outcome["numbers_appeared"], outcome["numbers_disappeared"]) == (2, 43, 0)
    assert outcome["appeared_or_disappeared"] == [
        {"what": "region korea", "change": "added", "metrics": REGION_METRICS, "curve_points": REGION_POINTS}
    ]
    appeared = [d for d in outcome["drifts"] if d["missing_from"] == "baseline"]
    assert len(appeared) == 43 and {d["region"] for d in appeared} == {"korea"}
    assert {d["now"] for d in appeared if d["metric"] == "shortfall_t"} == {600.0}  # 10 t/day x 60 days, no pool


def _rename_eu(data: dict) -> None:
    """``eu`` is called ``europe`` everywhere; nothing else changes."""
    data["regions"] = {("europe" if k == "eu" else k): v for k, v in data["regions"].items()}
    lead = data["suppliers"]["china"]["lead_time_days"]
    data["suppliers"]["china"]["lead_time_days"] = {("europe" if k == "eu" else k): v for k, v in lead.items()}
    data["shocks"][0]["regions"] = ["japan", "europe"]
    agreement = data["agreement"]
    agreement["members"] = ["japan", "europe"]
    agreement["ratio"] = {"japan": 0.5, "europe": 0.5}
    contributions = agreement["pool"]["contributions"]
    agreement["pool"]["contributions"] = {"japan": contributions["japan"], "europe": contributions["eu"]}


def test_a_renamed_region_with_the_same_values_is_said_renamed_not_moved(pair_repo):
    _rewrite(pair_repo / "pair.yaml", _rename_eu)
    result = check(pair_repo)
    assert result.exit_code == 1, result.output  # the baseline must still be rewritten under the new name
    cause = (
        "scenario changed since its baseline: -regions.eu, +regions.europe, agreement.members, agreement.pool, "
        "agreement.ratio and 2 more"
    )
    assert result.output.splitlines()[0] == (
        "drift        pair: 0 number(s) moved; region renamed eu -> europe, values unchanged "
        f"(23 metrics, 20 curve points) ({cause})"
    )
    assert "regions order" not in result.output  # Japan first, then the EU under its new name: no reordering
    quiet = check(pair_repo, "-q").output.splitlines()[0]
    assert quiet == (
        "drift        pair: 0 number(s) moved beyond tolerance; region renamed eu -> europe, values unchanged "
        f"(23 metrics, 20 curve points); {cause}"
    )
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert (outcome["numbers_moved"], outcome["numbers_appeared"], outcome["numbers_disappeared"]) == (0, 43, 43)
    assert outcome["appeared_or_disappeared"] == [
        {"what": "region eu -> europe", "change": "renamed", "metrics": 23, "curve_points": 20}
    ]
    # JSON cuts nothing: all 7 parts, marked
    assert outcome["cause"] == (
        "scenario changed since its baseline: -regions.eu, +regions.europe, agreement.members, agreement.pool, "
        "agreement.ratio, shocks.halt, suppliers.china"
    )
    assert outcome["changed_parts"] == [
        {"part": "regions.eu", "change": "removed"},
        {"part": "regions.europe", "change": "added"},
        *({"part": p, "change": "changed"} for p in ("agreement.members", "agreement.pool", "agreement.ratio")),
        {"part": "shocks.halt", "change": "changed"},
        {"part": "suppliers.china", "change": "changed"},
    ]


def test_a_renamed_region_whose_values_changed_is_a_removal_and_an_addition(pair_repo):
    # the EU renamed, and its demand 80 -> 90 t/day: its numbers are not the same under the new name
    def rename_and_grow(data: dict) -> None:
        _rename_eu(data)
        data["regions"]["europe"]["demand"]["ree"]["tonnes_per_day"] = 90

    _rewrite(pair_repo / "pair.yaml", rename_and_grow)
    first = check(pair_repo).output.splitlines()[0]
    assert "renamed" not in first
    assert "; region eu removed (23 metrics, 20 curve points); region europe added (23 metrics, 20 curve points)" in (
        first
    )


def test_an_order_is_named_only_when_the_same_regions_are_listed(pair_repo):
    from simulator.gate.baseline import FORMAT, part_changes

    before = {"format": FORMAT, "scenario_parts": {"regions order": "1", "regions.a": "x", "regions.b": "y"}}
    reordered = {"scenario_parts": {"regions order": "2", "regions.a": "x", "regions.b": "y"}}
    grown = {"scenario_parts": {"regions order": "3", "regions.a": "x", "regions.b": "y", "regions.c": "z"}}
    assert part_changes(before, reordered) == {"regions order": "changed"}
    assert part_changes(before, grown) == {"regions.c": "added"}
    # the real scenario: Japan and the EU swapped is a reordering, and named so
    _rewrite(pair_repo / "pair.yaml", lambda d: d.update(regions=dict(reversed(list(d["regions"].items())))))
    assert "(scenario changed since its baseline: regions order)" in check(pair_repo).output


def test_a_rename_is_recognised_when_the_baseline_kept_a_number_within_tolerance(pair_repo):
    # another machine's last digit, kept by --update since the check accepts it: 4760 x (1 + 2e-12)
    path = pair_repo / "baselines" / "pair.json"
    data = json.loads(path.read_text())
    assert data["metrics"]["shortfall_t.eu"] == 4760.0
    data["metrics"]["shortfall_t.eu"] = float(f"{4760 * (1 + 2e-12):.12g}")
    assert data["metrics"]["shortfall_t.eu"] == 4760.00000001
    path.write_text(json.dumps(test_check.sealed(data), indent=2, sort_keys=True) + "\n")
    assert check(pair_repo).exit_code == 0
    _rewrite(pair_repo / "pair.yaml", _rename_eu)
    assert "; region renamed eu -> europe, values unchanged (23 metrics, 20 curve points)" in check(pair_repo).output
