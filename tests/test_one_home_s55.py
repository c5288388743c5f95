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
from dataclasses import replace

import pytest

from simulator import counterfactuals
from simulator.counterfactuals import (
    own_share_alone,
    own_share_scenario,
    status_quo_is_own_shares,
    without_agreement,
    without_agreement_scenario,
)
from simulator.report import render_report
from simulator.report.accounts import accounts
from simulator.report.findings import Run
from simulator.report.tables import region_table
from simulator.report.verdict import cost_line
from simulator.scenario import load_scenario, validate_data
from simulator.stocks import held_today_members, shares_held_today
from tests.helpers import ONE_REGION, SCENARIOS, TWO_MEMBERS, build, run


def _empty_pool(**fields: object) -> dict:
    """``TWO_MEMBERS`` with each member putting 0 t into the joint pool, none listed as held today."""
    return build(
        TWO_MEMBERS,
        agreement__pool__contributions__japan__ree__tonnes=0,
        agreement__pool__contributions__eu__ree__tonnes=0,
        **fields,
    )


NONE_HELD = validate_data(TWO_MEMBERS, "test")
JAPAN_HELD = validate_data(build(TWO_MEMBERS, agreement__pool__already_held=["japan"]), "test")
BOTH_HELD = validate_data(build(TWO_MEMBERS, agreement__pool__already_held=["japan", "eu"]), "test")
EU_PUTS_IN_NOTHING = validate_data(
    build(TWO_MEMBERS, agreement__pool__already_held=["japan"], agreement__pool__contributions__eu__ree__tonnes=0),
    "test",
)
"""Japan's 30 t held today; the EU a member whose contribution is 0 t: every share put in is held today."""
EMPTY_POOL = validate_data(_empty_pool(), "test")
"""A joint pool of 0 t from each member, none listed as held today."""
NATIONAL = validate_data(
    build(TWO_MEMBERS, agreement__pool__mode="national", agreement__pool__contributions={}), "test"
)
"""Each member's contribution kept in its own national reserve: no joint pool to split."""


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


def test_a_scenario_without_an_agreement_holds_no_share_today():
    alone = validate_data(ONE_REGION, "test")
    assert held_today_members(alone) == [] and not shares_held_today(alone)
    assert held_today_members(None) == [] and not shares_held_today(None)


@pytest.mark.parametrize(
    ("scenario", "one_world"),
    [
        (NONE_HELD, False),
        (JAPAN_HELD, False),
        (BOTH_HELD, True),
        (EU_PUTS_IN_NOTHING, True),
        (EMPTY_POOL, True),
        (NATIONAL, False),
    ],
    ids=["none-held", "eu-not-held", "all-held", "eu-puts-in-nothing", "pool-of-0-t", "national-mode"],
)
def test_the_status_quo_is_the_own_share_run_where_every_share_put_in_is_held_today(scenario, one_world):
    """None held: the status quo is no stock at all; Japan's alone held while the EU puts 30 t in: the EU's share
    exists only in the own-share run; every share put in held (the EU's 0 t is no share): the two are one world.
    A joint pool of 0 t from each, none listed: each share held alone adds nothing, so it is the world without
    the agreement, the status quo. National mode: no joint pool to split, no own-share run at all. The two
    whole scenarios (:func:`without_agreement_scenario` and :func:`own_share_scenario`) are equal exactly there."""
    assert status_quo_is_own_shares(scenario) is one_world
    own_shares = own_share_scenario(scenario)
    assert (own_shares is not None and without_agreement_scenario(scenario) == own_shares) is one_world


def test_among_the_shipped_scenarios_the_status_quo_is_the_own_share_run_where_japans_stock_is_the_pool():
    """In the three files whose pool is Japan's JOGMEC stock held today and nothing the EU puts in, and there
    alone, the predicate says without building them what comparing the two whole scenarios says."""
    one_world = set()
    for path in SCENARIOS:
        scenario = load_scenario(path)
        own_shares = own_share_scenario(scenario)
        equal = own_shares is not None and without_agreement_scenario(scenario) == own_shares
        assert status_quo_is_own_shares(scenario) is equal, path.stem
        one_world |= {path.stem} if equal else set()
    assert one_world == {"china_2025_licensing", "long_embargo_6m", "long_embargo_12m"}


def test_a_pool_of_0_t_held_alone_is_the_status_quo_already_run(monkeypatch):
    """Each share of 0 t held alone is the world without the agreement: the run already made is taken."""
    result = run(_empty_pool())
    known = without_agreement(result)

    def no_second_run(*args: object, **kwargs: object) -> None:
        raise AssertionError("the status quo was run again")

    monkeypatch.setattr(counterfactuals, "simulate", no_second_run)
    assert own_share_alone(result, known) is known


@pytest.mark.parametrize(
    ("shocks", "gone"),
    [
        (None, ["Short with its share alone", "Pooling changes nothing here"]),  # halted: 1,200 t and 4,800 t short
        ([], ["share held alone is not run"]),  # nobody short anywhere
    ],
    ids=["halted", "calm"],
)
def test_a_pool_of_0_t_gets_no_column_or_note_for_each_share_held_alone(shocks, gone):
    """The page of a pool of 0 t measures it against the world without the agreement alone (as before s55):
    no own-share column, no note that it changes nothing, nor that it is not run; its buying shown as USD 0."""
    page = _plain(render_report(run(_empty_pool() if shocks is None else _empty_pool(shocks=shocks))))
    assert "Short without it" in page
    for words in gone:
        assert words not in page
    assert "Cost to the members: buying the pool USD 0 at reference prices and holding strategic stock USD 0" in page


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
    one sum reached two ways (their floats differ by about 1e-13 USD here, 1e-8 on china_2025_licensing, one way
    or the other): the agreement adds nothing, which the accounts, the cost line and each member's table say as 0,
    not as USD 0.000 m or 0.00. The residue below 0 catches a rule that drops positive residues only."""
    pooled = _all_held(tonnes, usd_per_t_year)
    books = accounts(pooled)
    below_0 = usd_per_t_year == 1000.0
    for account in books.values():
        assert account.held_holding_usd > 1_000.0  # a share held from day 0 to day 15 at least: not a trace
        residue_usd = account.holding_usd - account.held_holding_usd
        assert 0 < abs(residue_usd) < 1e-9 and (residue_usd < 0) is below_0  # the case is the one its id names
        assert account.added_holding_usd == 0.0 and account.net_usd == 0.0
    line = _plain(cost_line(pooled, books))
    assert line.startswith("Cost to the members over the stocks held today: nothing counted over the 60 days.")
    for member, account in books.items():
        table = region_table(pooled, member, account)
        (net,) = re.findall(r'<tr class="key"><th>Net cost of strategic stock \(USD m\)</th>(.*?)</tr>', table)
        assert re.findall(r"<td>(.*?)</td>", net) == ["0", "0"]  # rare earths, all materials


@pytest.mark.parametrize(
    ("more_usd", "added_usd"),
    [(-1.0e-8, 0.0), (1.0e-8, 0.0), (-0.0049, 0.0), (0.0049, 0.0), (-2.0, -2.0), (2.0, 2.0)],
    ids=["residue-below-0", "residue-above-0", "under-half-a-cent-below", "under-half-a-cent-above", "-2", "2"],
)
def test_the_added_holding_drops_residues_of_either_sign_and_keeps_amounts_of_either_sign(more_usd, added_usd):
    """The run's holding ``more_usd`` above that of the share held today: under half a cent either way it is 0, from
    there on it is what it is, below 0 too (a clamp at 0 from below, as before s55, turned -2 USD into 0)."""
    (account, *_) = accounts(_all_held(30.0, 1000.0)).values()
    moved = replace(account, holding_usd=account.held_holding_usd + more_usd)
    assert moved.added_holding_usd == pytest.approx(added_usd, abs=1e-9)
    assert (moved.added_holding_usd == 0.0) is (added_usd == 0.0)


def test_a_run_given_as_the_status_quo_or_the_own_shares_of_another_world_is_refused():
    """The verdict reads ``alone`` as the status quo and, where every share is held today, as each share held
    alone too: a run of another world (the agreement merely dropped, so both shares vanish) or of another seed
    is refused, not reported as if it were that world."""
    data = build(TWO_MEMBERS, agreement__pool__already_held=["japan", "eu"])
    result = run(data)
    dropped = run(build(data, agreement=None))  # no stock at all: 900 t and 3,600 t short, not 870 t and 3,570 t
    with pytest.raises(ValueError, match="alone must be this run's without_agreement"):
        render_report(result, alone=dropped, figures=False)
    with pytest.raises(ValueError, match="own_share must be this run's own_share_alone"):
        render_report(result, own_share=dropped, figures=False)
    status_quo = without_agreement(result)
    with pytest.raises(ValueError, match="alone must be"):
        render_report(result, alone=replace(status_quo, seed=result.seed + 1), figures=False)
    assert "Short with the stock" in _plain(render_report(result, alone=status_quo, figures=False))
