"""A new scenario author's audit: inputs that were accepted silently, or refused with advice that misled.

Each case is a small scenario built from ``TWO_MEMBERS`` (Japan 20 t/day and the EU 80 t/day of
``ree``, all from China with 5 days of lead time, 60 days, a fair-ratio pool of 30 t each).
Errors exit 2 naming the file and the field; notes are printed by ``validate`` and ``run``
alike (``note: file: field: message``) and do not fail.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scenario import validate_data
from simulator.scenario.notes import scenario_notes
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, invoke, refusals

JAPAN_BIDS = {
    "every_days": 7,
    "reserve_price_usd_per_kg": {"ree": 10},
    "bids": {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 50}]}},
}
"""An auction in which only Japan bids: the EU gives no bids."""


def notes_of(data: dict[str, Any]) -> list[str]:
    return [f"{n.path}: {n.message}" for n in scenario_notes(validate_data(data, "s.yaml"))]


def write(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def embargo(**fields: Any) -> dict[str, Any]:
    return {"id": "late", "kind": "embargo", "supplier": "china", "regions": ["japan"], **fields}


# --- 1: a member without bids under a rule that auctions ----------------------------------------------


def test_a_hybrid_member_without_bids_is_told_it_receives_only_by_the_ratio():
    (note,) = notes_of(build(TWO_MEMBERS, agreement__mechanism="hybrid", agreement__auction=JAPAN_BIDS))
    assert note.startswith("agreement.auction.bids.eu: missing: 'eu' gives no bids, so it gets nothing at the auctions")
    assert "only on the days the fair allocation ratio applies" in note


def test_an_auction_member_without_bids_is_told_it_never_receives_though_it_pays_in():
    data = build(TWO_MEMBERS, agreement__mechanism="auction", agreement__auction=JAPAN_BIDS, agreement__ratio={})
    (note,) = notes_of(data)
    assert note.startswith("agreement.auction.bids.eu: missing: 'eu' gives no bids, so under 'auction' it never")
    assert "though it pays into the pool" in note


def test_a_hybrid_member_with_a_ratio_of_0_and_no_bids_never_receives():
    data = build(
        TWO_MEMBERS,
        agreement__mechanism="hybrid",
        agreement__auction=JAPAN_BIDS,
        agreement__ratio={"japan": 1.0, "eu": 0.0},
    )
    (note,) = notes_of(data)
    assert "'eu' gives no bids and its agreement.ratio is 0, so under 'hybrid' it never receives anything" in note


def test_members_who_all_bid_and_rules_without_auctions_get_no_note():
    both = copy.deepcopy(JAPAN_BIDS)
    both["bids"]["eu"] = both["bids"]["japan"]
    assert notes_of(build(TWO_MEMBERS, agreement__mechanism="hybrid", agreement__auction=both)) == []
    assert notes_of(build(TWO_MEMBERS, agreement__auction=JAPAN_BIDS)) == []  # fair_ratio holds no auctions


# --- 2: a shock outside the days the model simulates ---------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        (
            {"start": 400, "end": 500},
            "shocks.late.start: day 400 is after the horizon (365 days: days 0 to 364); the shock has no effect",
        ),
        (
            {"start": "2027-05-01", "duration_days": 30},
            "shocks.late.start: 2027-05-01 (day 485) is after the horizon (365 days: days 0 to 364); "
            "the shock has no effect",
        ),
        (
            {"start": 365, "duration_days": 30},  # the horizon's last day is 364
            "shocks.late.start: day 365 is after the horizon (365 days: days 0 to 364); the shock has no effect",
        ),
        (
            {"start": {"distribution": "uniform", "low": 400, "high": 500}, "duration_days": 10},
            "shocks.late.start: drawn from day 400 on, after the horizon (365 days: days 0 to 364): "
            "the shock has no effect in any run",
        ),
        (  # the warm-up reaches back to a shock's start at most 3,650 days, then China's 5-day lead time
            {"start": -5000, "end": -4000},
            "shocks.late.end: the shock ends on day -4000, before the model's first day (its warm-up, from day "
            "-3655): it has no effect",
        ),
        (
            {"start": -5000, "duration_days": 1345},
            "shocks.late.duration_days: the shock ends on day -3655, before the model's first day (its warm-up, "
            "from day -3655): it has no effect",
        ),
    ],
)
def test_a_shock_active_on_no_simulated_day_is_noted(fields, expected):
    data = build(TWO_MEMBERS, horizon_days=365, shocks=[embargo(**fields)])
    if isinstance(fields["start"], str):
        data["start_date"] = "2026-01-01"
    assert notes_of(data) == [expected]


@pytest.mark.parametrize(
    "fields",
    [
        {"start": 364, "duration_days": 30},  # active on the last day
        {"start": -100, "end": -4},  # stops shipments on day -5, which arrive on day 0
        {"start": -100, "duration_days": 96},  # the same
        {"start": {"distribution": "uniform", "low": 300, "high": 500}, "duration_days": 10},  # sometimes within
    ],
)
def test_a_shock_that_can_act_gets_no_note(fields):
    data = build(TWO_MEMBERS, start_date="2026-01-01", horizon_days=365, shocks=[embargo(**fields)])
    assert notes_of(data) == []


@pytest.mark.parametrize("sharing", ["pro_rata", "contracts_first"])
def test_a_quota_preference_that_its_sharing_ignores_is_noted(sharing):
    quota = {"id": "q", "kind": "export_quota", "supplier": "china", "start": 0, "end": 30, "tonnes_per_period": 500}
    data = build(TWO_MEMBERS, shocks=[{**quota, "sharing": sharing, "preference": ["eu"]}])
    assert notes_of(data) == [
        f"shocks.q.preference: ignored: the quota shares by '{sharing}' (give sharing: preference to serve these first)"
    ]
    assert notes_of(build(TWO_MEMBERS, shocks=[{**quota, "sharing": "preference", "preference": ["eu"]}])) == []


def test_a_contracts_first_quota_notes_a_region_that_orders_every_few_days():
    quota = {"id": "q", "kind": "export_quota", "supplier": "china", "start": 0, "end": 30, "tonnes_per_period": 500}
    weekly = {"replenishment": {"policy": "order_up_to", "review_days": 7}}
    data = build(TWO_MEMBERS, shocks=[{**quota, "sharing": "contracts_first"}], regions__eu__procurement=weekly)
    assert notes_of(data) == [
        "shocks.q.sharing: 'eu' orders every 7 days (order_up_to), and a quota serves a day's normal flow "
        "first: on its review days the rest of its order competes as beyond normal, and between them its "
        "normal flow is not kept for it"
    ]
    daily = {"replenishment": {"policy": "order_up_to", "review_days": 1}}
    assert notes_of(build(data, regions__eu__procurement=daily)) == []
    assert notes_of(build(data, shocks=[{**quota, "sharing": "pro_rata"}])) == []
    # a weekly buyer that does not buy from the quota's supplier is not told about it
    elsewhere = {"ree": {"australia": 1.0}}
    other = build(data, suppliers__australia={"lead_time_days": {"japan": 5, "eu": 5}}, regions__eu__sourcing=elsewhere)
    assert notes_of(other) == []


def test_a_shock_ending_just_before_the_warm_up_indeed_changes_nothing_and_one_day_later_does():
    """The note's boundary is the model's: an embargo ending on day -5 changes no figure, one ending on day -4 does."""
    from tests.helpers import run, series

    def arrivals(end: int | None) -> Any:
        data = build(TWO_MEMBERS, shocks=[] if end is None else [embargo(start=-100, end=end)])
        return series(run(data), "arrivals_t", "japan", "ree")

    none = arrivals(None)
    assert (arrivals(-5) == none).all()
    assert not (arrivals(-4) == none).all()


# --- 3: a pool contribution in days of a demand the member does not have --------------------------------


def test_a_contribution_in_days_of_no_demand_is_an_error_like_net_import_days(tmp_path):
    data = build(TWO_MEMBERS)
    data["materials"]["ga"] = {"price_usd_per_kg": 300}
    data["agreement"]["pool"]["contributions"]["japan"]["ga"] = {"days": 30}
    result = invoke("validate", write(tmp_path, data))
    assert_bad_input(
        result,
        "error: ",
        "s.yaml: agreement.pool.contributions.japan.ga.days: 'japan' has no demand for 'ga' (0 t/day on day 0), "
        "so 30 days of it would be 0 t; give 'tonnes' instead",
    )
    data["agreement"]["pool"]["contributions"]["japan"]["ga"] = {"tonnes": 30}  # what the message advises
    validate_data(data)


# --- 4: a value that is not one of a field's choices ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "meant"),
    [
        ("agreement__mechanism", "fair-ratio", "fair_ratio"),
        ("agreement__mechanism", "Equal Cover", "equal_cover"),
        ("agreement__mechanism", "proportinal", "proportional_to_demand"),  # a former name, misspelled
        ("agreement__pool__mode", "nationl", "national"),
        ("shocks", [embargo(kind="embargoo", start=1, end=2)], "embargo"),
    ],
)
def test_a_value_close_to_a_choice_is_shown_the_choice(path, value, meant):
    (problem,) = refusals(build(TWO_MEMBERS, **{path: value}))
    assert problem.endswith(f"; did you mean '{meant}'?")


def test_a_value_close_to_no_choice_gets_no_suggestion(tmp_path):
    result = invoke("validate", write(tmp_path, build(TWO_MEMBERS, agreement__mechanism="zzz")))
    assert_bad_input(result, "s.yaml: agreement.mechanism: must be one of 'hybrid'", "or 'talmud', not 'zzz'")
    assert "did you mean" not in result.output


# --- 5: a misspelled member ---------------------------------------------------------------------------


def test_a_misspelled_member_is_reported_once_not_as_errors_in_every_key_that_names_the_region(tmp_path):
    data = build(TWO_MEMBERS, agreement__members=["japan", "europe"], agreement__mechanism="hybrid")
    data["agreement"]["auction"] = copy.deepcopy(JAPAN_BIDS)
    data["agreement"]["auction"]["bids"]["eu"] = data["agreement"]["auction"]["bids"]["japan"]
    data["agreement"]["iea_ess"] = {"commitments": {"japan": 1.0, "eu": 1.0}}
    data["agreement"]["pool"]["location"] = "eu"
    result = invoke("validate", write(tmp_path, data))
    assert_bad_input(result)
    assert result.output.splitlines() == [
        f"error: {tmp_path / 's.yaml'}: agreement.members.1: unknown region 'europe' (known: eu, japan)"
    ]


def test_an_unknown_key_is_only_ever_suggested_a_member_that_is_a_region():
    data = build(TWO_MEMBERS, agreement__members=["japan", "south_korea"])
    data["regions"]["korea"] = data["regions"].pop("eu")
    data["suppliers"]["china"]["lead_time_days"] = {"japan": 5, "korea": 5}
    data["shocks"][0]["regions"] = ["japan", "korea"]
    data["agreement"]["ratio"] = {"japan": 0.5, "korea": 0.5}
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 30}}, "south_koera": {}}
    assert refusals(data) == [
        "agreement.members.1: unknown region 'south_korea' (known: japan, korea); did you mean 'korea'?",
        "agreement.pool.contributions.south_koera: unknown member 'south_koera' (known: japan)",
    ]


def test_with_every_member_a_region_a_key_naming_another_region_is_still_an_error():
    data = build(TWO_MEMBERS, agreement__ratio={"japan": 0.5, "eu": 0.25, "china_region": 0.25})
    assert refusals(data) == [
        "agreement.ratio.china_region: unknown member 'china_region' (known: eu, japan)",
    ]


# --- 6 and 7: notes name the file in validate and run alike; a market nobody buys in ---------------------


def test_run_and_validate_print_the_same_notes_with_the_file_name(tmp_path):
    data = build(TWO_MEMBERS, shocks=[embargo(start=400, end=500)])
    data["materials"]["ga"] = {"price_usd_per_kg": 300}
    data["market"] = {"ga": {}}
    path = write(tmp_path, data)
    expected = [
        f"note: {path}: shocks.late.start: day 400 is after the horizon (60 days: days 0 to 59); "
        "the shock has no effect",
        f"note: {path}: market.ga: no region has demand for ga, so this market has no buyers: its price, stocks "
        "and supply response change nothing",
    ]
    validated = invoke("validate", path)
    assert validated.exit_code == 0, validated.output
    assert [line for line in validated.output.splitlines() if line.startswith("note:")] == expected
    ran = invoke("run", path, "--no-plots", "-o", tmp_path / "out")
    assert ran.exit_code == 0, ran.output
    assert [line for line in ran.output.splitlines() if line.startswith("note:")] == expected


def test_a_market_for_a_material_someone_uses_gets_no_note():
    assert notes_of(build(TWO_MEMBERS, market={"ree": {}})) == []


def test_a_shock_over_before_day_0_but_within_the_warm_up_s_reach_is_not_called_idle():
    """From day -100 to -10 the warm-up runs it (it starts 5 days before day -100): what it held or cut off
    may still be released or re-sourced on day 0, so no note says it has no effect."""
    data = build(TWO_MEMBERS, horizon_days=365, shocks=[embargo(start=-100, end=-10)])
    assert notes_of(data) == []
