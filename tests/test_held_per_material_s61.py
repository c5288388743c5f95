"""``agreement.pool.already_held`` per material (s61): a member may hold one material today and add new stock.

Before, an item was a member and meant all its contributions, so a member holding its rare-earth stock today
but adding new gallium made the status quo hold the gallium too. Now an item may be ``japan: [ree]``.

The world, worked by hand: ``TWO_MEMBERS`` (tests/helpers.py: Japan 20 t/day of ``ree``, the EU 80 t/day, no
commercial stock, every delivery from China halted over the 60 days, a 30 + 30 t pool of ``ree`` shared 50/50)
with a second material ``ga`` (400 USD/kg): Japan 1 t/day, the EU 4 t/day, no stock, from China, halted too.
Japan puts 10 t of ``ga`` into the pool, the EU none. Japan's ``ree`` is a stock it holds today, its ``ga`` is new.

The status quo (no agreement, the stocks held today held alone): Japan draws its 30 t of ``ree`` for its own
gaps, nobody holds any ``ga``:

- ``ree``: Japan 60 x 20 - 30 = 1,170 t short, the EU 60 x 80 = 4,800 t;
- ``ga``: Japan 60 x 1 = 60 t short, the EU 60 x 4 = 240 t.

With Japan listed alone (all its contributions held today) the ``ga`` would be held too: Japan 60 - 10 = 50 t.
"""

from __future__ import annotations

import html
import re

import pytest

from simulator.counterfactuals import (
    held_stocks_shared,
    held_stocks_shared_scenario,
    members_not_held_today,
    status_quo_is_own_shares,
    status_quo_scenario,
    without_agreement,
)
from simulator.engine import simulate
from simulator.report import Run
from simulator.report.accounts import accounts
from simulator.report.held_split import held_split_line
from simulator.scenario import validate_data
from simulator.stocks import held_today_members, is_held_today
from tests.helpers import TWO_MEMBERS, build, refusals, with_gallium, words_page

REE_HELD = [{"japan": ["ree"]}]


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)).replace("\u00a0", " "))


def _world(already_held: list) -> dict:
    return with_gallium(build(TWO_MEMBERS, agreement__pool__already_held=already_held))


def _short_t(scenario) -> dict[tuple[str, str], float]:
    rows = simulate(scenario).tables["summary"].rows()
    return {(r["region"], r["material"]): round(r["shortfall_t"], 6) for r in rows if r["region"] != "all"}


def test_the_status_quo_holds_japans_ree_alone_and_no_ga():
    scenario = validate_data(_world(REE_HELD), "s.yaml")
    quo = status_quo_scenario(scenario)
    assert quo.agreement is None
    assert quo.regions["japan"].reserve["ree"].tonnes == 30 and "ga" not in quo.regions["japan"].reserve
    assert quo.regions["eu"].reserve == {}
    assert _short_t(quo) == {("japan", "ree"): 1170, ("japan", "ga"): 60, ("eu", "ree"): 4800, ("eu", "ga"): 240}
    # Japan listed alone still means all its contributions: its 10 t of ga held too
    alone = status_quo_scenario(validate_data(_world(["japan"]), "s.yaml"))
    assert alone.regions["japan"].reserve["ga"].tonnes == 10
    assert _short_t(alone)[("japan", "ga")] == 50


def test_held_today_is_per_material_and_the_new_ga_makes_japan_a_member_putting_new_stock_in():
    scenario = validate_data(_world(REE_HELD), "s.yaml")
    assert held_today_members(scenario) == ["japan"]
    assert is_held_today(scenario, "japan", "ree") and not is_held_today(scenario, "japan", "ga")
    assert not status_quo_is_own_shares(scenario)  # Japan's 10 t of ga and the EU's 30 t of ree are new
    assert members_not_held_today(scenario) == ["japan", "eu"]
    shared = held_stocks_shared_scenario(scenario)  # the new stock at 0 t, the stock held today kept
    contributions = shared.agreement.pool.contributions
    assert contributions["japan"]["ree"].tonnes == 30 and contributions["japan"]["ga"].tonnes == 0
    assert contributions["eu"]["ree"].tonnes == 0


def test_every_contribution_held_today_material_by_material_is_the_own_shares_world():
    data = _world([{"japan": ["ree", "ga"]}, "eu"])
    scenario = validate_data(data, "s.yaml")
    assert status_quo_is_own_shares(scenario) and members_not_held_today(scenario) == []


def test_the_report_counts_buying_japans_ga_but_not_its_ree():
    result = simulate(validate_data(_world(REE_HELD), "s.yaml"))
    stakes = accounts(Run.of(result))["japan"].stakes
    assert stakes["ree"].held_today and stakes["ree"].buying_usd == 0
    assert not stakes["ga"].held_today
    assert stakes["ga"].buying_usd == pytest.approx(10 * 400 * 1000)  # 10 t at 400 USD/kg
    page = _plain(words_page(result))
    assert "with the stocks held today (Japan's rare earths held alone)" in page
    assert "USD 4.0 m + held already" in page  # its ga bought (10 t at 400 USD/kg), its rare earths held
    assert "Japan's pool share of rare earths is the stock it held already" in page
    assert "Japan's pool contribution of rare earths added to its own national reserve" in page
    assert "the other contributions are held by no one" in page


@pytest.mark.parametrize(
    ("held", "message"),
    [
        ([{"japan": ["re"]}], "agreement.pool.already_held.0.japan.0: unknown material 're'"),
        ([{"japan": ["ga"]}], "agreement.pool.already_held.0.japan.0: 'japan' puts no ga into the pool"),
        ([{"eu": ["ga"]}], "agreement.pool.already_held.0.eu.0: 'eu' puts no ga into the pool"),
        ([{"japan": []}], "agreement.pool.already_held.0.japan: lists no material"),
        ([{"japan": ["ree", "ree"]}], "agreement.pool.already_held.0.japan: must be unique: 'ree' given twice"),
        ([{"japn": ["ree"]}], "agreement.pool.already_held.0: unknown member 'japn'"),
        (["japan", {"japan": ["ree"]}], "agreement.pool.already_held: must be unique: 'japan' given twice"),
        ([{"japan": ["ree"], "eu": ["ree"]}], "agreement.pool.already_held.0: give one member per item"),
    ],
)
def test_a_wrong_item_is_one_error_naming_its_field(held, message):
    data = build(TWO_MEMBERS, agreement__pool__already_held=held)
    data["materials"]["ga"] = {"price_usd_per_kg": 400}
    (error,) = refusals(data)
    assert error.startswith(message), error


def test_which_run_is_which_names_japans_new_ga_at_0_t_and_shares_japans_stock_with_the_eu():
    result = simulate(validate_data(_world(REE_HELD), "s.yaml"))
    line = held_split_line(Run.of(result), Run.of(without_agreement(result)), Run.of(held_stocks_shared(result)))
    assert "the agreement kept with Japan's ga and the EU's contributions at 0 t" in line, line
    assert "its rule sharing Japan's stock with the EU too" in line, line
