"""stockpile check: what moved, told apart from what appeared, disappeared or was renamed (audit 41).

The tiny two-member scenario ``pair`` of ``tests/test_check.py``: Japan (20 t/day) and the
EU (80 t/day), both cut off from China for all 60 days, share a 60 t pool. Each region has
``REGION_METRICS`` summary metrics in a baseline (25 when this was written: 16 per region, 9 per region
and material: ``shortfall_t.eu``, ``shortfall_t.eu.ree``, ...; counted from the registry,
``test_check.region_counts``, so that a new metric changes no count here) and 2 curves x 10 sampled days
(0, 7, ..., 56 and the last, 59) = 20 curve points.
"""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests import test_check
from tests.test_check import ONE_REGION, check, region_counts

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` with its baseline, and a test's own copy (the fixtures of test_check)."""

REGION_METRICS, REGION_POINTS = region_counts()
REGION_NUMBERS = REGION_METRICS + REGION_POINTS
"""The numbers one region of ``pair`` adds to a baseline (45 when this was written: 25 metrics, 20 curve points)."""


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
    # 2 numbers moved (the two peak prices); Korea's metrics and curve points are counted apart, not as moved
    assert lines[0] == (
        f"drift        pair: 2 numbers moved; region korea added ({ONE_REGION}) "
        "(scenario changed since its baseline: +regions.korea, materials.ree, shocks.halt, suppliers.china)"
    )
    rows = [line.split() for line in lines if line.startswith("pair ")]
    assert rows == [
        ["pair", "eu", "ree", "peak_price_usd_per_kg", "-", "-", "50", "60", "+10", "(+20.0%)"],
        ["pair", "japan", "ree", "peak_price_usd_per_kg", "-", "-", "50", "60", "+10", "(+20.0%)"],
        [
            "pair",
            "korea",
            "*",
            "*",
            "-",
            "-",
            "-",
            "-",
            "region",
            "added:",
            str(REGION_METRICS),
            "metrics,",
            str(REGION_POINTS),
            "curve",
            "points",
        ],
    ]
    # the one-line headline (-q, annotations, JUnit, Markdown) leads with the real move, not Korea's zeros
    quiet = check(pair_repo, "-q").output.splitlines()[0]
    assert quiet == (
        f"drift        pair: 2 numbers moved beyond tolerance; region korea added ({ONE_REGION}); "
        "scenario changed since its baseline: +regions.korea, materials.ree, shocks.halt, suppliers.china; "
        "largest: peak_price_usd_per_kg eu/ree 50 -> 60 (+10, +20.0%)"
    )
    report = tmp_path / "check.xml"
    check(pair_repo, "--junit", report)
    assert test_check.junit_cases(report)["pair"].find("failure").get("message") == quiet.split(": ", 1)[1]
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert (outcome["numbers_moved"], outcome["numbers_appeared"], outcome["numbers_disappeared"]) == (
        2,
        REGION_NUMBERS,
        0,
    )
    assert outcome["appeared_or_disappeared"] == [
        {"what": "region korea", "change": "added", "metrics": REGION_METRICS, "curve_points": REGION_POINTS}
    ]
    appeared = [d for d in outcome["drifts"] if d["missing_from"] == "baseline"]
    assert len(appeared) == REGION_NUMBERS and {d["region"] for d in appeared} == {"korea"}
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
        f"drift        pair: 0 numbers moved; region renamed eu -> europe, values unchanged ({ONE_REGION}) ({cause})"
    )
    assert "regions order" not in result.output  # Japan first, then the EU under its new name: no reordering
    quiet = check(pair_repo, "-q").output.splitlines()[0]
    assert quiet == (
        "drift        pair: 0 numbers moved beyond tolerance; region renamed eu -> europe, values unchanged "
        f"({ONE_REGION}); {cause}"
    )
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert (outcome["numbers_moved"], outcome["numbers_appeared"], outcome["numbers_disappeared"]) == (
        0,
        REGION_NUMBERS,
        REGION_NUMBERS,
    )
    assert outcome["appeared_or_disappeared"] == [
        {"what": "region eu -> europe", "change": "renamed", "metrics": REGION_METRICS, "curve_points": REGION_POINTS}
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
    assert f"; region eu removed ({ONE_REGION}); region europe added ({ONE_REGION})" in (first)


def test_an_order_is_named_only_when_the_same_regions_are_listed(pair_repo):
    from simulator.gate.baseline import FORMAT, part_changes

    before = {"format": FORMAT, "scenario_parts": {"regions order": "1", "regions.a": "x", "regions.b": "y"}}
    reordered = {"scenario_parts": {"regions order": "2", "regions.a": "x", "regions.b": "y"}}
    grown = {"scenario_parts": {"regions order": "3", "regions.a": "x", "regions.b": "y", "regions.c": "z"}}
    assert part_changes(before, reordered) == {"regions order": "changed"}
    assert part_changes(before, grown) == {"regions.c": "added"}
    # the real scenario: Japan and the EU swapped is a reordering, and named so
    _rewrite(pair_repo / "pair.yaml", lambda d: d.update(regions=dict(reversed(list(d["regions"].items())))))
    assert (
        "(scenario changed since its baseline: regions order; no number moved beyond its tolerance"
        in check(pair_repo).output
    )


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
    assert f"; region renamed eu -> europe, values unchanged ({ONE_REGION})" in check(pair_repo).output


# Renames need evidence (review 41, finding 2). Many metrics are 0 in every cell of ``pair``
# (auction_revenue_usd, holding_cost_usd, ...: no auction, no stock held), so any two of them
# agree; and a region of zero demand has only zeros, nulls and "never" (-1) but for its peak
# price, which in a market-less world is the material's price, the same in every region.


def _gone(group: str, region: str, material: str, metric: str, value, day=None):
    from simulator.gate.compare import Drift

    return Drift("s", region, material, metric, value, None, day, "now", group)


def _new(group: str, region: str, material: str, metric: str, value, day=None):
    from simulator.gate.compare import Drift

    return Drift("s", region, material, metric, None, value, day, "baseline", group)


def _groups(drifts, parts=None) -> list[str]:
    from simulator.gate.compare import absent_groups

    return [str(g) for g in (absent_groups(drifts) if parts is None else absent_groups(drifts, parts))]


def test_metrics_that_are_zero_null_or_never_everywhere_are_not_a_rename():
    def swap(old: str, new: str, values: dict[str, object]) -> list[str]:
        return _groups(
            [_gone(f"metric {old}", r, "all", old, v) for r, v in values.items()]
            + [_new(f"metric {new}", r, "all", new, v) for r, v in values.items()]
        )

    zeros, nulls = {"eu": 0.0, "japan": 0.0}, {"eu": None, "japan": None}
    apart = ["metric auction_revenue_usd removed (2 metrics)", "metric lost_surplus2_usd added (2 metrics)"]
    assert swap("auction_revenue_usd", "lost_surplus2_usd", zeros) == apart
    assert swap("auction_revenue_usd", "lost_surplus2_usd", nulls) == apart
    assert swap("auction_revenue_usd", "lost_surplus2_usd", {"eu": 0.0, "japan": None}) == apart
    # first_shortfall_day -1 is "never short": no more evidence than a 0
    assert swap("first_shortfall_day", "first_short_day", {"eu": -1, "japan": -1}) == [
        "metric first_shortfall_day removed (2 metrics)",
        "metric first_short_day added (2 metrics)",
    ]
    # a metric renamed by the code, with numbers that are not all zero, still is a rename
    assert swap("auction_revenue_usd", "auction_income_usd", {"eu": 1.5e6, "japan": 0.0}) == [
        "metric renamed auction_revenue_usd -> auction_income_usd, values unchanged (2 metrics)"
    ]
    # so is a day metric with a day other than 0 in it (-1 is a number like any other beside it)
    assert swap("first_shortfall_day", "first_short_day", {"eu": 302, "japan": -1}) == [
        "metric renamed first_shortfall_day -> first_short_day, values unchanged (2 metrics)"
    ]


def test_a_region_or_material_is_renamed_only_when_the_scenario_parts_say_so():
    # Korea (demand 0) out and Taiwan (demand 0) in: a peak price of 50 USD/kg, no shortfall, never short
    def numbers(name: str, make, price=50.0) -> list:
        group = f"region {name}"
        return [
            make(group, name, "ree", "peak_price_usd_per_kg", price),
            make(group, name, "ree", "shortfall_t", 0.0),
            make(group, name, "ree", "first_shortfall_day", -1),
            make(group, name, "ree", "shortfall_cum_t", 0.0, 7),
        ]

    swap = numbers("korea", _gone) + numbers("taiwan", _new)
    apart = ["region korea removed (3 metrics, 1 curve point)", "region taiwan added (3 metrics, 1 curve point)"]
    renamed = ["region renamed korea -> taiwan, values unchanged (3 metrics, 1 curve point)"]
    shown = {"regions.korea": "removed", "regions.taiwan": "added"}
    assert _groups(swap, shown) == renamed
    assert _groups(swap, {**shown, "suppliers.china": "changed"}) == renamed
    # the scenario unchanged (the code renamed it?), or the baseline does not say: not a rename
    assert _groups(swap, {}) == apart
    assert _groups(swap, None) == apart
    assert _groups(swap) == apart
    # Korea edited, not removed; or Taiwan's part under another name; or materials, not regions
    assert _groups(swap, {"regions.korea": "changed", "regions.taiwan": "added"}) == apart
    assert _groups(swap, {"regions.korea": "removed", "regions.formosa": "added"}) == apart
    assert _groups(swap, {"materials.korea": "removed", "materials.taiwan": "added"}) == apart
    # with no price either, both are all zero, null or never: no evidence, whatever the parts say
    blank = numbers("korea", _gone, 0.0) + numbers("taiwan", _new, None)
    assert _groups(blank, shown) == apart
    # a material: the same rule with the materials' parts
    lre = [
        _gone("material ree", "eu", "ree", "shortfall_t", 4760.0),
        _new("material lre", "eu", "lre", "shortfall_t", 4760.0),
    ]
    assert _groups(lre, {"materials.ree": "removed", "materials.lre": "added"}) == [
        "material renamed ree -> lre, values unchanged (1 metric)"
    ]
    assert _groups(lre, {"regions.ree": "removed", "regions.lre": "added"}) == [
        "material ree removed (1 metric)",
        "material lre added (1 metric)",
    ]


def _rekey(path: Path, old: str, new: str) -> None:
    """Rename the metric (or region) ``old`` to ``new`` in every key of a baseline, sealed as the tool would."""
    data = json.loads(path.read_text())

    def key(k: str) -> str:
        parts = k.split(".")
        return ".".join(new if p == old else p for p in parts)

    data["metrics"] = {key(k): v for k, v in data["metrics"].items()}
    for curve, cells in data["curves"].items():
        if curve != "days":
            data["curves"][curve] = {key(c): v for c, v in cells.items()}
    path.write_text(json.dumps(test_check.sealed(data), indent=2, sort_keys=True) + "\n")


def test_an_all_zero_metric_dropped_and_another_added_is_not_called_a_rename(pair_repo):
    # as if the baseline was written by a version whose metric auction_income_usd (0 for Japan and
    # the EU: no auction) is now gone, and auction_revenue_usd (0 too) is new
    from simulator.version import __version__

    path = pair_repo / "baselines" / "pair.json"
    _rekey(path, "auction_revenue_usd", "auction_income_usd")
    # and whose shortage_t is now shortfall_t: 4760 t for the EU, 1180 t for Japan, a real rename
    _rekey(path, "shortfall_t", "shortage_t")
    result = check(pair_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == (
        "drift        pair: 0 numbers moved; metric renamed shortage_t -> shortfall_t, values unchanged (4 metrics); "
        "metric auction_income_usd removed (2 metrics); metric auction_revenue_usd added (2 metrics) "
        f"(scenario unchanged, package version {__version__} unchanged: the code moved the numbers)"
    )
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert (outcome["numbers_moved"], outcome["numbers_appeared"], outcome["numbers_disappeared"]) == (0, 6, 6)
    assert outcome["appeared_or_disappeared"] == [
        {"what": "metric shortage_t -> shortfall_t", "change": "renamed", "metrics": 4, "curve_points": 0},
        {"what": "metric auction_income_usd", "change": "removed", "metrics": 2, "curve_points": 0},
        {"what": "metric auction_revenue_usd", "change": "added", "metrics": 2, "curve_points": 0},
    ]


def test_a_region_renamed_in_the_baseline_but_not_in_the_scenario_is_not_a_rename(pair_repo, tmp_path):
    # pair with Korea, a region of no demand: zeros, nulls and never, but its peak price of 50 USD/kg
    def add_korea(data: dict) -> None:
        data["regions"]["korea"] = {
            "demand": {"ree": {"tonnes_per_day": 0}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        }
        data["suppliers"]["china"]["lead_time_days"]["korea"] = 5

    _rewrite(pair_repo / "pair.yaml", add_korea)
    assert check("--update", pair_repo).exit_code == 0
    path = pair_repo / "baselines" / "pair.json"
    korea = {k: v for k, v in json.loads(path.read_text())["metrics"].items() if ".korea" in k}
    assert len(korea) == REGION_METRICS and korea["peak_price_usd_per_kg.korea.ree"] == 50.0
    assert {v for k, v in korea.items() if not k.startswith("peak_price")} <= {0.0, -1, None}
    # a baseline that calls it Taiwan, while the scenario (unchanged) has always said Korea
    _rekey(path, "korea", "taiwan")
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert outcome["changed_parts"] == []
    # its 2 null metrics (min_days_of_cover) and 10 null points (days_of_cover) are null on both sides: not drifts
    counts = {"metrics": REGION_METRICS - 2, "curve_points": REGION_POINTS - 10}
    assert outcome["appeared_or_disappeared"] == [
        {"what": "region taiwan", "change": "removed", **counts},
        {"what": "region korea", "change": "added", **counts},
    ]
    # Korea really renamed Taiwan in the scenario (the parts say so): a rename
    assert check("--update", pair_repo).exit_code == 0
    _rewrite(pair_repo / "pair.yaml", lambda d: _rename(d, "korea", "taiwan"))
    (outcome,) = json.loads(check(pair_repo, "--format", "json").output)
    assert outcome["changed_parts"][:2] == [
        {"part": "regions.korea", "change": "removed"},
        {"part": "regions.taiwan", "change": "added"},
    ]
    assert outcome["appeared_or_disappeared"] == [{"what": "region korea -> taiwan", "change": "renamed", **counts}]


def _rename(data: dict, old: str, new: str) -> None:
    """The region ``old`` is called ``new`` (not a member, so only the regions and China's lead times name it)."""
    data["regions"] = {(new if k == old else k): v for k, v in data["regions"].items()}
    lead = data["suppliers"]["china"]["lead_time_days"]
    data["suppliers"]["china"]["lead_time_days"] = {(new if k == old else k): v for k, v in lead.items()}
