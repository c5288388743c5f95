"""The settlement ledger: sale, loan and grant, worked out by hand on two members.

In ``TWO_MEMBERS`` both members are cut off from day 0 with no stock of their own; the
pool holds 60 t, 30 t from each (ownership 1/2 each), shared by a 1/2-1/2 fair ratio.
On day 0 Japan's gap is 20 t and the EU's 80 t: Japan receives 20 t, the EU its 30 t
plus the 10 t Japan leaves, 40 t. The pool is then empty. A tonne drawn comes half
from each owner's share, so Japan drew 10 t of its own and 10 t of the EU's, the EU 20 t
of its own and 20 t of Japan's: net, the EU took 10 t of Japan's stock.
"""

from __future__ import annotations

import pytest

from simulator.errors import ScenarioError
from simulator.output import run_files
from simulator.scenario import validate_data
from tests.helpers import (
    TWO_MEMBERS,
    build,
    no_traceback,
    run,
    shipped_group,
    shipped_report,
    shipped_result,
    words_page,
)
from tests.invariants import check_invariants


def ledger(data: dict) -> dict[str, dict]:
    result = run(data)
    check_invariants(result)
    return {row["member"]: row for row in result.ledger.to_dict("records")}


def test_grant_is_the_default_and_settles_nothing():
    rows = ledger(TWO_MEMBERS)
    assert rows["japan"]["settlement"] == "grant"
    assert (rows["japan"]["drawn_rule_t"], rows["eu"]["drawn_rule_t"]) == (20.0, 40.0)
    assert (rows["japan"]["grant_t"], rows["eu"]["grant_t"]) == (20.0, 40.0)
    assert (rows["japan"]["drawn_from_others_t"], rows["eu"]["drawn_from_others_t"]) == (-10.0, 10.0)
    assert (rows["japan"]["contributed_t"], rows["japan"]["contributed_usd"]) == (30.0, 30 * 50 * 1000)
    for row in rows.values():
        assert row["sale_paid_usd"] == row["sale_received_usd"] == row["loan_owed_t"] == 0.0
        assert row["net_position_usd"] == 0.0


def test_sale_at_the_day_price_charges_the_net_draw_from_others():
    # Japan pays for 10 t of the EU's (10 x 50 USD/kg x 1000 = 500,000) and receives for
    # the 20 t of its own the EU drew (1,000,000): net +500,000 = the EU's 10 t net.
    rows = ledger(build(TWO_MEMBERS, agreement__settlement="sale"))
    assert rows["japan"]["sale_t"] == 20.0 and rows["japan"]["grant_t"] == 0.0
    assert rows["japan"]["sale_paid_usd"] == 500_000.0
    assert rows["eu"]["sale_paid_usd"] == 1_000_000.0
    assert rows["japan"]["sale_received_usd"] == 1_000_000.0
    assert rows["eu"]["sale_received_usd"] == 500_000.0
    assert rows["japan"]["net_position_usd"] == 500_000.0
    assert rows["eu"]["net_position_usd"] == -500_000.0


def test_compare_gives_each_members_ledger_net_position_per_rule():
    # fair ratio: the sale above, Japan +500,000 and the EU -500,000. Equal losses gives
    # Japan 0 and the EU 60 t on day 0 (losses 20 each): the EU drew 30 t of Japan's share,
    # so it pays 30 x 50 x 1000 = 1,500,000 to Japan.
    from simulator.compare import compare

    table = compare(build(TWO_MEMBERS, agreement__settlement="sale"), ["fair_ratio", "equal_losses"], "pair").table()
    net = table.set_index("mechanism")[["net_position_usd.japan", "net_position_usd.eu"]]
    assert net.loc["fair_ratio"].tolist() == [500_000.0, -500_000.0]
    assert net.loc["equal_losses"].tolist() == [1_500_000.0, -1_500_000.0]


def test_sale_at_a_set_price():
    data = build(TWO_MEMBERS, agreement__settlement={"kind": "sale", "price_usd_per_kg": 30})
    rows = ledger(data)
    assert rows["eu"]["net_position_usd"] == -10 * 30 * 1000
    assert rows["japan"]["net_position_usd"] == 10 * 30 * 1000


def test_a_loan_without_refills_stays_owed_and_is_overdue_after_its_term():
    # Japan borrowed the EU's 10 t, the EU Japan's 20 t; nothing refills the pool.
    data = build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 10})
    rows = ledger(data)
    assert (rows["japan"]["loan_owed_t"], rows["eu"]["loan_owed_t"]) == (10.0, 20.0)
    assert (rows["japan"]["loan_receivable_t"], rows["eu"]["loan_receivable_t"]) == (20.0, 10.0)
    assert (rows["japan"]["loan_overdue_t"], rows["eu"]["loan_overdue_t"]) == (10.0, 20.0)
    # valued at the end price, 50 USD/kg: (20 - 10) x 50,000
    assert rows["japan"]["net_position_usd"] == 500_000.0
    assert rows["eu"]["net_position_usd"] == -500_000.0


def test_a_loan_whose_term_ends_after_the_horizon_is_owed_but_not_overdue():
    rows = ledger(build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 60}))
    assert rows["eu"]["loan_owed_t"] == 20.0 and rows["eu"]["loan_overdue_t"] == 0.0


def test_pool_refills_return_loans_in_proportion_to_what_each_owes():
    # The embargo ends on day 10; the pool refills at 3 t/day once nobody is short. The first
    # 30 t of refills return both loans, Japan's 10 t and the EU's 20 t, in the ratio 1:2.
    data = build(
        TWO_MEMBERS,
        shocks__0__end=10,
        agreement__pool__refill_t_per_day={"ree": 3},
        agreement__settlement={"kind": "loan", "term_days": 5},
        horizon_days=120,
    )
    result = run(data)
    check_invariants(result)
    ts = result.timeseries
    returned = ts.pivot(index="day", columns="region", values="loan_repaid_t")
    arrived = result.pool.set_index("day")["pool_arrivals_t"]
    assert arrived.sum() >= 30.0
    first = returned.sum(axis=1).gt(0).idxmax()
    assert returned.loc[first, "eu"] == pytest.approx(2 * returned.loc[first, "japan"])
    assert returned.loc[first].sum() == pytest.approx(min(arrived.loc[first], 30.0))
    rows = {row["member"]: row for row in result.ledger.to_dict("records")}
    assert rows["japan"]["loan_returned_t"] == pytest.approx(10.0)
    assert rows["eu"]["loan_returned_t"] == pytest.approx(20.0)
    assert rows["eu"]["loan_owed_t"] == pytest.approx(0.0, abs=1e-9)
    assert rows["eu"]["loan_overdue_t"] == 0.0


def test_loans_below_a_tonne_are_returned_too():
    # A pool of 0.3 t from each member: on day 0 each is given 0.3 t by the 1/2-1/2 ratio,
    # half of it from the other's share, so each owes 0.15 t (0.3 t in all). The embargo
    # ends on day 10, shipments land again from day 15, and the pool's refill of 0.6 t
    # ordered that day lands on day 20: 0.3 t of it return both loans in full.
    data = build(
        TWO_MEMBERS,
        shocks__0__end=10,
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 0.3}}, "eu": {"ree": {"tonnes": 0.3}}},
        agreement__pool__refill_t_per_day={"ree": 3},
        agreement__settlement={"kind": "loan", "term_days": 5},
    )
    result = run(data)
    check_invariants(result)
    ts = result.timeseries
    returned = ts.pivot(index="day", columns="region", values="loan_repaid_t")
    assert returned.loc[20].tolist() == pytest.approx([0.15, 0.15])
    assert returned.drop(index=20).to_numpy() == pytest.approx(0.0)
    rows = {row["member"]: row for row in result.ledger.to_dict("records")}
    for member in ("japan", "eu"):
        assert rows[member]["loan_returned_t"] == pytest.approx(0.15)
        assert rows[member]["loan_owed_t"] == pytest.approx(0.0, abs=1e-12)
        assert rows[member]["loan_receivable_t"] == pytest.approx(0.0, abs=1e-12)


@pytest.mark.parametrize(
    ("settlement", "message"),
    [
        ({"kind": "loan", "term_days": 0}, "agreement.settlement.term_days: must be >= 1"),
        ({"kind": "loan"}, "a loan needs 'term_days'"),
        ({"kind": "grant", "term_days": 10}, "'term_days' is the term of a loan"),
        ({"kind": "loan", "term_days": 5, "price_usd_per_kg": 3}, "'price_usd_per_kg' is the price of a sale"),
        ("barter", "agreement.settlement: must be one of"),  # the field written, not the kind it stands for
    ],
)
def test_bad_settlements_are_refused_naming_the_field(settlement, message):
    with pytest.raises(ScenarioError) as err:
        validate_data(build(TWO_MEMBERS, agreement__settlement=settlement), "pair.yaml")
    assert message in str(err.value)


def test_a_loan_term_of_one_day_is_accepted():
    assert validate_data(build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 1})).agreement


def test_a_run_with_an_agreement_writes_its_ledger():
    assert "ledger.csv" in run_files(agreement=True, figures=False, report=False)
    assert "ledger.csv" not in run_files(agreement=False, figures=False, report=False)


def test_the_report_names_the_ledger_section():

    html = words_page(run(build(TWO_MEMBERS, agreement__settlement="sale")))
    section = html[html.index('<section id="ledger">') :]
    section = section[: section.index("</section>")]
    assert "Who paid in, who drew, who owes whom" in section
    # 10 t drawn beyond its 30 t share x 50,000 USD/t = USD 500,000, in millions from USD 100,000
    assert "EU (USD\xa00.50\xa0m) to Japan" in section  # amounts keep their unit on the same line


NATIONAL = build(
    TWO_MEMBERS,
    regions__japan__reserve={"ree": {"tonnes": 100}},
    agreement__pool={"mode": "national"},
)
"""National mode: Japan holds 100 t of its own, the EU nothing. On day 0 Japan meets its own
20 t gap from its reserve; the 80 t left may all be lent, and the EU's 80 t gap takes them."""


def test_national_mode_a_sale_pays_the_lender():
    rows = ledger(build(NATIONAL, agreement__settlement="sale"))
    assert (rows["japan"]["contributed_t"], rows["eu"]["contributed_t"]) == (100.0, 0.0)
    assert rows["eu"]["drawn_rule_t"] == 80.0
    assert (rows["eu"]["drawn_from_others_t"], rows["japan"]["drawn_from_others_t"]) == (80.0, -80.0)
    assert rows["eu"]["sale_paid_usd"] == 80 * 50 * 1000
    assert rows["japan"]["sale_received_usd"] == 80 * 50 * 1000
    assert rows["eu"]["net_position_usd"] == -4_000_000.0


def test_national_mode_a_loan_is_owed_to_the_lender():
    rows = ledger(build(NATIONAL, agreement__settlement={"kind": "loan", "term_days": 30}))
    assert (rows["eu"]["loan_owed_t"], rows["japan"]["loan_receivable_t"]) == (80.0, 80.0)
    assert rows["eu"]["loan_overdue_t"] == 80.0  # borrowed on day 0, due by day 30 of 60
    assert rows["japan"]["loan_owed_t"] == 0.0


def test_national_mode_the_lenders_refills_return_the_loan():
    # the embargo ends on day 10 and Japan refills its reserve toward 100 t at 5 t/day: the
    # first 80 t of its refills return the EU's loan, the last 20 t are its own again
    data = build(
        NATIONAL,
        shocks__0__end=10,
        horizon_days=120,
        regions__japan__reserve__ree__refill_t_per_day=5,
        agreement__settlement={"kind": "loan", "term_days": 60},
    )
    result = run(data)
    check_invariants(result)
    refilled = result.timeseries.query("region == 'japan'")["refill_arrivals_t"].sum()
    assert refilled >= 100.0 - 1e-9
    rows = {row["member"]: row for row in result.ledger.to_dict("records")}
    assert rows["eu"]["loan_returned_t"] == pytest.approx(80.0)
    assert rows["eu"]["loan_owed_t"] == pytest.approx(0.0, abs=1e-9)
    assert rows["japan"]["loan_receivable_t"] == pytest.approx(0.0, abs=1e-9)


def test_the_command_refuses_a_loan_term_of_0_and_writes_a_ledger_otherwise(tmp_path):
    import pandas as pd
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main

    path = tmp_path / "pair.yaml"
    path.write_text(yaml.safe_dump(build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 0})))
    out = tmp_path / "out"
    bad = CliRunner().invoke(main, ["run", str(path), "-o", str(out), "--no-plots"])
    assert bad.exit_code == 2
    assert "agreement.settlement.term_days: must be >= 1" in bad.output and no_traceback(bad)
    assert not out.exists()
    good = CliRunner().invoke(
        main, ["run", str(path), "-o", str(out), "--no-plots", "--set", "agreement.settlement.term_days=30"]
    )
    assert good.exit_code == 0, good.output
    ledger = pd.read_csv(out / "ledger.csv")
    assert ledger.set_index("member").loc["eu", "loan_owed_t"] == 20.0


def test_national_mode_a_sale_of_less_than_a_tonne_pays_the_lender():
    # Japan holds 20.5 t: on day 0 it meets its own 20 t gap and lends the 0.5 t left to
    # the EU, which pays for them at the day's 50 USD/kg: 0.5 t x 50,000 USD/t = 25,000 USD
    rows = ledger(build(NATIONAL, regions__japan__reserve={"ree": {"tonnes": 20.5}}, agreement__settlement="sale"))
    assert rows["eu"]["drawn_from_others_t"] == pytest.approx(0.5)
    assert rows["eu"]["sale_paid_usd"] == pytest.approx(25_000.0)
    assert rows["japan"]["sale_received_usd"] == pytest.approx(25_000.0)


def _ledger_words(data: dict) -> str:
    from tests.test_report_answers import plain, section

    return plain(section(words_page(run(data)), "ledger"))


def test_a_sale_is_paid_when_made_so_the_report_says_nothing_is_owed():
    # the EU paid Japan USD 1.0 m and Japan the EU USD 0.5 m for the rule's tonnes, on day 0:
    # net USD 0.50 m from the EU to Japan, already paid, and no loan: nobody owes anything
    words = _ledger_words(build(TWO_MEMBERS, agreement__settlement="sale"))
    assert "Who owes whom at the end" not in words
    assert words.count("Nothing is owed at the end.") == 1
    assert "Paid during the run, for the rule's tonnes sold, net of what each received (settled when" in words
    assert "Rare earths: EU (USD 0.50 m) to Japan." in words


def test_a_loan_not_returned_is_owed_at_the_end_net_of_the_loans_owed_back():
    # worked example: Japan owes 10 t and is owed 20 t, the EU owes 20 t and is owed 10 t (no
    # refills return them): net, the EU owes Japan 10 t, 10 x 50 USD/kg x 1000 = USD 500,000
    words = _ledger_words(build(TWO_MEMBERS, agreement__settlement={"kind": "loan", "term_days": 10}))
    assert "Who owes whom at the end: loans not yet returned in kind" in words
    assert "Rare earths: EU (10.0 t, USD 0.50 m) to Japan." in words
    assert "Nothing is owed" not in words and "Paid during the run" not in words
    # national mode: the EU borrowed Japan's 80 t (80 x 50,000 USD/t = USD 4.0 m)
    national = _ledger_words(build(NATIONAL, agreement__settlement={"kind": "loan", "term_days": 30}))
    assert "Rare earths: EU (80.0 t, USD 4.0 m) to Japan." in national


@shipped_group("long_embargo_6m")
def test_long_embargo_6m_auction_bought_stock_is_paid_not_owed():
    # auctions.csv: the EU won 17.5 t of heavy rare earths at 330 USD/kg (5 x 3.5 t), paying
    # 17.5 x 330,000 = USD 5,775,000 to Japan, the pool's only owner; ledger.csv: Owes 0 t for
    # everyone. The rule's draws were grants: the EU drew 723 t of light and 52.0 t of heavy
    # rare earths from Japan's share (drawn_from_others_t).
    from simulator.report.words import tonnes
    from tests.test_report_answers import plain, section

    result = shipped_result("long_embargo_6m")
    words = plain(section(shipped_report("long_embargo_6m"), "ledger"))  # made once for the group's report tests
    assert "Who owes whom at the end" not in words and "EU (USD 5.8 m) to Japan" in words
    assert "Nothing is owed at the end. Paid during the run, at auction, net of what each received" in words
    assert "Heavy rare earths: EU (USD 5.8 m) to Japan." in words
    ledger = result.ledger.set_index(["member", "material"])
    assert (ledger["loan_owed_t"] == 0).all()  # nothing owed in kind either
    drawn = ledger.loc["eu", "drawn_from_others_t"]  # Japan's are the same tonnes, given
    assert ledger.loc["japan", "drawn_from_others_t"].to_numpy() == pytest.approx(-drawn.to_numpy())
    assert (
        "Received from other members' shares as grants, owing nothing: "
        f"EU {plain(tonnes(drawn['light_ree']))} of light rare earths, "
        f"EU {plain(tonnes(drawn['heavy_ree']))} of heavy rare earths." in words
    )
