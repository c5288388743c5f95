"""One home per rule of the report (s55, issue 12): which shares are held today, whether the status quo is the
own-shares run, and money's float residues.

``TWO_MEMBERS`` (tests/helpers.py): Japan and the EU each put 30 t of rare earths into a joint pool. Listing
members in ``agreement.pool.already_held`` makes their shares stocks they hold today; the status quo the report
measures against then holds those shares alone, and where every share put in is listed it is the very world
of each member's share held alone (one run, not two).
"""

from __future__ import annotations

import html
import re

import pytest

from simulator.report.accounts import accounts
from simulator.report.counterfactuals import own_share_scenario, status_quo_is_own_shares, status_quo_scenario
from simulator.report.findings import Run
from simulator.report.stocks import held_today_members, shares_held_today
from simulator.report.tables import region_table
from simulator.report.verdict import cost_line
from simulator.scenario import Scenario, load_scenario, validate_data
from tests.helpers import ONE_REGION, SCENARIOS, TWO_MEMBERS, build, run

NONE_HELD = validate_data(TWO_MEMBERS, "test")
JAPAN_HELD = validate_data(build(TWO_MEMBERS, agreement__pool__already_held=["japan"]), "test")
BOTH_HELD = validate_data(build(TWO_MEMBERS, agreement__pool__already_held=["japan", "eu"]), "test")
EU_PUTS_IN_NOTHING = validate_data(
    build(TWO_MEMBERS, agreement__pool__already_held=["japan"], agreement__pool__contributions__eu__ree__tonnes=0),
    "test",
)
"""Japan's 30 t held today; the EU a member whose contribution is 0 t: every share put in is held today."""


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


@pytest.mark.parametrize(
    ("scenario", "members"),
    [(NONE_HELD, []), (JAPAN_HELD, ["japan"]), (BOTH_HELD, ["japan", "eu"]), (None, [])],
    ids=["none", "some", "all", "no-scenario"],
)
def test_the_members_holding_their_share_today_are_those_listed(scenario: Scenario | None, members: list[str]):
    assert held_today_members(scenario) == members
    assert shares_held_today(scenario) is bool(members)


def test_a_scenario_without_an_agreement_holds_no_share_today():
    alone = validate_data(ONE_REGION, "test")
    assert held_today_members(alone) == [] and not shares_held_today(alone)


@pytest.mark.parametrize(
    ("scenario", "one_world"),
    [(NONE_HELD, False), (JAPAN_HELD, False), (BOTH_HELD, True), (EU_PUTS_IN_NOTHING, True)],
    ids=["none-held", "eu-not-held", "all-held", "eu-puts-in-nothing"],
)
def test_the_status_quo_is_the_own_share_run_where_every_share_put_in_is_held_today(scenario, one_world):
    """None held: the status quo is no stock at all; Japan's alone held while the EU puts 30 t in: the EU's share
    exists only in the own-share run; every share put in held (the EU's 0 t is no share): the two are one world."""
    assert status_quo_is_own_shares(scenario) is one_world


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_the_status_quo_is_the_own_share_run_exactly_where_the_two_scenarios_are_equal(path):
    """The predicate says without building them what comparing the two whole scenarios says (shipped: 3 True)."""
    scenario = load_scenario(path)
    quo = status_quo_scenario(scenario)
    assert status_quo_is_own_shares(scenario) is (quo is not None and quo == own_share_scenario(scenario))


HALT = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 10, "end": 99}]


def _all_held(tonnes: float, usd_per_t_year: float) -> Run:
    """``TWO_MEMBERS`` with both shares (``tonnes`` each) held today, held at ``usd_per_t_year``, halted from day 10."""
    data = build(
        TWO_MEMBERS,
        shocks=HALT,
        agreement__pool__already_held=["japan", "eu"],
        **{"materials.ree.holding_cost_usd_per_t_year": usd_per_t_year},
    )
    for member in ("japan", "eu"):
        data["agreement"]["pool"]["contributions"][member]["ree"]["tonnes"] = tonnes
    return Run.of(run(data))


@pytest.mark.parametrize(
    ("tonnes", "usd_per_t_year"),
    [(33.3, 3650.0), (30.0, 1000.0)],
    ids=["residue-above-0", "residue-below-0"],
)
def test_where_every_share_is_held_today_the_agreement_adds_no_cost_not_a_float_residue(tonnes, usd_per_t_year):
    """All the members hold is their shares held today, so the run's holding and that of the shares held today are
    one sum reached two ways (their floats differ by about 1e-13 USD, one way or the other): the agreement adds
    nothing, which the accounts, the cost line and each member's table say as 0, not as USD 0.000 m or 0.00."""
    pooled = _all_held(tonnes, usd_per_t_year)
    books = accounts(pooled)
    for account in books.values():
        assert account.held_holding_usd > 1_000.0  # a share held from day 0 to day 15 at least: not a trace
        assert account.added_holding_usd == 0.0 and account.net_usd == 0.0
    line = _plain(cost_line(pooled, books))
    assert line.startswith("Cost to the members over the stocks held today: nothing counted over the 60 days.")
    for member, account in books.items():
        table = region_table(pooled, member, account)
        (net,) = re.findall(r'<tr class="key"><th>Net cost of strategic stock \(USD m\)</th>(.*?)</tr>', table)
        assert re.findall(r"<td>(.*?)</td>", net) == ["0", "0"]  # rare earths, all materials
