"""A region that sources or bids for a material it has no demand for is noted (s61, an analyst's gallium scenario).

The analyst gave the EU sourcing, bids and a pool share of gallium but no gallium demand: ``validate`` said
``ok``, ``run`` went through and the EU's gallium row vanished from the printed table. Now one note per region
and material names the file, the field where the demand is missing and what follows; exit code 0 all the same.

The world: :func:`tests.helpers.hybrid_pair` (Japan and the EU bid for ``ree`` at a hybrid agreement) with a
second material ``ga`` that Japan uses (5 t/day) and the EU does not.
"""

from __future__ import annotations

import yaml

from simulator.scenario import validate_data
from simulator.scenario.notes import scenario_notes
from tests.helpers import hybrid_pair, invoke

GA_BID = [{"end_use": "chips", "share": 1.0, "price_usd_per_kg": 900}]


def _gallium_world(eu_sources: bool = True, eu_bids: bool = True, eu_tonnes: float = 5.0) -> dict:
    """hybrid_pair with ``ga``: Japan uses 5 t/day from China and bids for it; the EU has no ``ga`` demand."""
    data = hybrid_pair()
    data["materials"]["ga"] = {"price_usd_per_kg": 400}
    japan, eu = data["regions"]["japan"], data["regions"]["eu"]
    japan["demand"]["ga"] = {"tonnes_per_day": 5}
    japan["sourcing"]["ga"] = {"china": 1.0}
    data["agreement"]["auction"]["bids"]["japan"]["ga"] = GA_BID
    if eu_sources:
        eu["sourcing"]["ga"] = {"china": 1.0}
    if eu_bids:
        data["agreement"]["auction"]["bids"]["eu"]["ga"] = GA_BID
    data["agreement"]["pool"]["contributions"]["eu"]["ga"] = {"tonnes": eu_tonnes}
    return data


def _notes(data: dict) -> list[str]:
    return [f"{p.path}: {p.message}" for p in scenario_notes(validate_data(data, "s.yaml"))]


def test_validate_notes_the_eu_once_naming_file_field_and_what_follows(tmp_path):
    path = tmp_path / "ga.yaml"
    path.write_text(yaml.safe_dump(_gallium_world()))
    result = invoke("validate", path)
    assert result.exit_code == 0, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note:")]
    assert len(notes) == 1, result.output  # one line for the EU's ga, though three fields name it
    note = notes[0]
    assert note.startswith(f"note: {path}: regions.eu.demand.ga: missing: 'eu' has no demand for ga"), note
    for field, follows in [
        ("regions.eu.sourcing.ga", "orders none"),
        ("agreement.auction.bids.eu.ga", "its bids buy nothing"),
        ("agreement.pool.contributions.eu.ga", "serves only the other members"),
    ]:
        assert field in note and follows in note, note
    assert "no ga row" in note


def test_run_prints_the_note_and_goes_on(tmp_path):
    path = tmp_path / "ga.yaml"
    path.write_text(yaml.safe_dump(_gallium_world()))
    result = invoke("run", path, "-o", tmp_path / "out", "--no-plots")
    assert result.exit_code == 0, result.output
    assert sum("regions.eu.demand.ga: missing" in line for line in result.output.splitlines()) == 1


def test_sourcing_or_bids_alone_is_named_and_only_it_a_pool_share_alone_is_no_note():
    sources_only = _notes(_gallium_world(eu_bids=False, eu_tonnes=0))
    assert len(sources_only) == 1 and "orders none (regions.eu.sourcing.ga)" in sources_only[0]
    assert "bids" not in sources_only[0] and "pool" not in sources_only[0]
    bids_only = _notes(_gallium_world(eu_sources=False, eu_tonnes=0))
    assert len(bids_only) == 1 and "its bids buy nothing (agreement.auction.bids.eu.ga" in bids_only[0]
    assert "orders none" not in bids_only[0] and "pool share" not in bids_only[0]
    # a pool share alone is no note: a producer member may put in stock it does not use (club_of_five's
    # Australia, heavy REE)
    assert _notes(_gallium_world(eu_sources=False, eu_bids=False)) == []


def test_demand_of_zero_written_is_said_so_and_demand_above_zero_silences_it():
    data = _gallium_world()
    data["regions"]["eu"]["demand"]["ga"] = {"tonnes_per_day": 0}
    (note,) = _notes(data)
    assert note.startswith("regions.eu.demand.ga: 0 t/day: 'eu' has no demand for ga"), note
    data["regions"]["eu"]["demand"]["ga"] = {"tonnes_per_day": 1}
    data["regions"]["eu"]["commercial_stock"]["ga"] = {"tonnes": 0}
    assert _notes(data) == []
