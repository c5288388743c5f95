"""What the joint stock costs over the status quo where pool shares are stocks held today (s53).

``agreement.pool.already_held`` lists members whose pool contributions are stocks they hold today; the
report's answer measures the joint stock against those stocks held alone (tests/test_status_quo_s53.py).
Its costs must be measured against the same world: a share held already was not bought for the agreement,
and what holding it cost in the run is not counted as the agreement's, so neither is in the members' cost,
their net costs or the cost per kg of shortfall avoided; the members' table says the share is held already and
what it is worth.

Toys from ``TWO_MEMBERS`` (tests/helpers.py): Japan needs 20 t/day, the EU 80 t/day, no commercial stock,
rare earths at 50 USD/kg, held at 3,650 USD/t a year (10 USD/t a day); a halt from day 10 (lead time
5: nothing arrives from day 15 on) over a 60-day run; a pool of 30 t from each, shared 50/50.
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from simulator.report import without_agreement
from simulator.report.accounts import accounts
from simulator.report.findings import Run
from simulator.report.verdict import avoided_cost_line, cost_line
from tests.helpers import TWO_MEMBERS, build, run, shipped_group, shipped_report, words_page

HALT = [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 10, "end": 99}]
HELD = build(
    TWO_MEMBERS,
    shocks=HALT,
    agreement__pool__already_held=["japan"],
    **{"materials.ree.holding_cost_usd_per_t_year": 3650},
)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


def _runs(data: dict) -> tuple[Run, Run]:
    result = run(data)
    return Run.of(result), Run.of(without_agreement(result), "alone")


def test_a_share_held_already_is_neither_bought_nor_its_holding_counted():
    # each share of 30 t is held from day 0 until the pool is drawn on day 15: 30 x 15 x 10 = USD 4,500 each.
    # Japan's 30 t (USD 1.5 m at 50 USD/kg) is its stock of today: bought 0, its USD 4,500 of holding not added
    pooled, _ = _runs(HELD)
    books = accounts(pooled)
    japan, eu = books["japan"], books["eu"]
    assert japan.materials_held_today == ["ree"] and not eu.materials_held_today
    assert japan.buying_usd == 0.0 and japan.held_value_usd == pytest.approx(1_500_000.0)
    assert japan.holding_usd == pytest.approx(4_500.0) and japan.held_holding_usd == pytest.approx(4_500.0)
    assert japan.net_usd == pytest.approx(0.0, abs=1e-6)
    assert eu.buying_usd == pytest.approx(1_500_000.0) and eu.net_usd == pytest.approx(1_504_500.0)
    # the cost line: the EU's USD 1.5 m and USD 4,500 of holding (0.0045 m), not USD 3.0 m and USD 9,000
    line = _plain(cost_line(pooled, books))
    assert line.startswith(
        "Cost to the members over the stocks held today: buying the pool USD 1.5 m at reference prices and holding "
        "strategic stock USD 0.00"
    )
    assert (
        "Japan's pool share is the stock it held already, not bought for the pool: neither its value at reference "
        "prices (USD 1.5 m) nor what holding it cost in this run (USD 0.00" in line
    )
    assert "USD 3.0 m" not in line


def test_the_cost_per_kg_avoided_counts_only_what_the_agreement_adds():
    # status quo: Japan draws its 30 t alone (870 t short), the EU has nothing (3,600 t): 4,470 t; pooled 4,440 t
    # (tests/test_verdict_pooling.py): 30 t avoided. What the agreement adds: the EU's 30 t bought (USD 1.5 m)
    # and held (USD 4,500): USD 1,504,500 / 30,000 kg = USD 50.15 a kg, not (3,000,000 + 9,000) / 30,000 = 100.30
    pooled, alone = _runs(HELD)
    assert alone.short_of(["japan", "eu"], ["ree"]) - pooled.short_of(["japan", "eu"], ["ree"]) == pytest.approx(30.0)
    line = avoided_cost_line(pooled, alone, accounts(pooled))
    assert line == (
        "Per kg of shortfall avoided, what is counted over Japan's stock held already (buying, holding and "
        "refilling stock for the pool) came to "
        "USD 50.15 for rare earths."
    )


def test_a_pool_all_held_already_avoids_its_shortfall_at_no_cost_over_the_status_quo():
    # only the EU is halted; the pool is Japan's 30 t alone. Status quo: Japan, never short, keeps its 30 t; the
    # EU is short 45 days x 80 t = 3,600 t. Pooled the EU gets the 30 t: 3,570 t. 30 t avoided, nothing bought
    data = build(
        HELD,
        shocks=[{**HALT[0], "regions": ["eu"]}],
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 30}}},
    )
    pooled, alone = _runs(data)
    assert alone.short_of(["eu"], ["ree"]) == pytest.approx(3600.0)
    assert pooled.short_of(["eu"], ["ree"]) == pytest.approx(3570.0)
    books = accounts(pooled)
    assert _plain(avoided_cost_line(pooled, alone, books)) == (
        "All the pool holds of rare earths is Japan's stock held already: the shortfall it avoids (30.0 t) cost "
        "nothing to buy, and what holding it cost in this run is not counted as the agreement's cost."
    )
    line = _plain(cost_line(pooled, books))
    assert "buying the pool" not in line  # nothing was bought for it
    assert line.startswith("Cost to the members over the stocks held today: nothing counted over the 60 days.")
    # the members' table: Japan's share held already, its net cost 0; a note says what it is worth
    page = _plain(words_page(pooled.result))
    row = page[page.index("Japan owns 100% of the pool") :]
    assert re.match(r"Japan owns 100% of the pool .*? held already hold USD 0 USD 0 ", row)
    assert (
        "Held already: Japan's pool share is the stock it held already, not bought for the pool; its value at the "
        "reference prices (USD 1.5 m) and what holding it cost in this run (USD 0.00" in page
    )


@shipped_group("long_embargo_6m")
def test_long_embargo_6m_costs_nothing_to_buy_over_japans_stock():
    # Japan's pool: 2,772 t of light rare earths at 12 USD/kg (USD 33.26 m) and 270 t of heavy at 330 USD/kg
    # (USD 89.1 m): USD 122.36 m, all held today. Its pool share's holding: 579,246 t-days x 600/365 USD
    # (USD 0.95 m) + 101,489 t-days x 16,500/365 (USD 4.59 m): USD 5.5 m. The report used to divide
    # 33.26 m + 0.95 m by the 214 t of light rare earths avoided against Japan's stock held alone: USD 159.6 a kg
    page = _plain(shipped_report("long_embargo_6m"))
    start = page.index("Would a joint stock help?")
    box = page[start : page.index("The question", start)]
    assert "122.4" not in box.split("Held already:")[0]  # not in the table's cells nor the line before the note
    assert (
        "Held already: Japan's pool share is the stock it held already, not bought for the pool; its value at the "
        "reference prices (USD 122.4 m) and what holding it cost in this run (USD 5.5 m) are not in its net cost."
        in box
    )
    assert "Cost to the members over the stocks held today: holding strategic stock USD 0.004 m" in box
    assert (
        "neither its value at reference prices (USD 122.4 m) nor what holding it cost in this run (USD 5.5 m) is "
        "counted as the agreement's cost." in box
    )
    assert "buying the pool USD" not in box and "159.6" not in box and "1,348" not in box
    assert (  # the heavy rare earths' auction stock is held at a cost (tests/test_status_quo_review3_s53.py)
        "All the pool holds of light rare earths is Japan's stock held already: the shortfall it avoids (214 t of "
        "oxide) cost nothing to buy, and what holding it cost in this run is not counted as the agreement's cost."
        in box
    )
    # Japan's net: 0 bought + USD 1,388 holding the heavy rare earths it won at auction + 3.12 m paid at auction
    # - 8.89 m received as the pool's owner = USD -5.8 m; the EU's: 5.78 m paid + USD 2,373 holding = 5.8 m
    assert re.search(r"Japan 509 t of light rare earths .*? held already hold USD 0\.001 m USD \u22125\.8 m ", box)
    assert re.search(r"EU 675 t of light rare earths .*? USD 0 hold USD 0\.002 m USD 5\.8 m ", box)


# --- stockpile compare: a row for the status quo (item 2) ---


def test_compare_adds_the_status_quo_row_where_shares_are_held_today():
    # tests/test_status_quo_s53.py's toy: every delivery halted over the 60 days, Japan's 30 t held today.
    # no agreement: 1,200 + 4,800 = 6,000 t; stocks held today: Japan 1,170 t, the EU 4,800 t = 5,970 t;
    # own shares alone: 1,170 + 4,770 = 5,940 t; pooled 5,940 t
    from simulator.compare import compare
    from simulator.mechanisms import BASELINE, OWN_SHARES, STATUS_QUO

    data = build(TWO_MEMBERS, agreement__pool__already_held=["japan"])
    table = compare(data, ["fair_ratio"], "s.yaml").table().set_index("mechanism")
    assert table.index.tolist() == [BASELINE, STATUS_QUO, OWN_SHARES, "fair_ratio"]
    assert table["total_shortfall_t"].tolist() == pytest.approx([6000.0, 5970.0, 5940.0, 5940.0])
    assert table.loc[STATUS_QUO, "shortfall_t.japan"] == pytest.approx(1170.0)
    assert table.loc[STATUS_QUO, "shortfall_t.eu"] == pytest.approx(4800.0)
    assert pd.isna(table.loc[STATUS_QUO, "auction_spend_usd.japan"])  # no pool in that world
    # none listed: the joint stock is new, and the rows are as before
    plain = compare(build(TWO_MEMBERS), ["fair_ratio"], "s.yaml").table()
    assert plain["mechanism"].tolist() == [BASELINE, OWN_SHARES, "fair_ratio"]


def test_where_every_share_is_held_today_the_own_share_row_is_the_status_quo():
    # only Japan contributes (30 t) and holds it today: the status quo is every share held alone, one row
    from simulator.compare import BASELINE_NOTES, compare
    from simulator.console import compare_text
    from simulator.mechanisms import BASELINE, OWN_SHARES

    data = build(
        TWO_MEMBERS,
        agreement__pool__already_held=["japan"],
        agreement__pool__contributions={"japan": {"ree": {"tonnes": 30}}},
    )
    table = compare(data, ["fair_ratio"], "s.yaml").table()
    assert table["mechanism"].tolist() == [BASELINE, OWN_SHARES, "fair_ratio"]
    assert "also the status quo the report measures the joint stock against" in BASELINE_NOTES[OWN_SHARES]
    assert BASELINE_NOTES[OWN_SHARES] in compare_text(table)


def test_compare_prints_what_the_status_quo_row_is(tmp_path):
    import yaml

    from tests.helpers import invoke

    path = tmp_path / "held.yaml"
    path.write_text(yaml.safe_dump(build(TWO_MEMBERS, agreement__pool__already_held=["japan"])))
    result = invoke("compare", path, "--mechanisms", "fair_ratio", "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert re.search(r"^\s*stocks held today\s+5,970\.0 ", "\n".join(lines), re.M)
    assert any(
        line.startswith(
            "stocks held today: without the agreement, the pool contributions in agreement.pool.already_held "
            "(stocks held today: all of a member listed alone, the materials listed with a member)"
        )
        for line in lines
    )
    csv = pd.read_csv(tmp_path / "out" / "compare.csv").set_index("mechanism")
    assert csv.loc["stocks held today", "total_shortfall_t"] == pytest.approx(5970.0)


# --- --uncertainty: each sample paired with its status quo (item 3) ---


def test_each_sample_is_paired_with_its_own_status_quo():
    # every delivery halted over the 60 days; Japan's contribution, held today, sampled from 20 to 40 t, the
    # EU's 30 t. Each sample without the joint stock is the status quo: Japan draws its own sampled stock alone,
    # 1,200 - contribution short; the EU has none, 4,800 t short. With no stock at all it would be 1,200 t
    from simulator.scenario import validate_data
    from simulator.sensitivity import plan_study
    from simulator.sensitivity.intervals import run_uncertainty

    data = build(
        TWO_MEMBERS,
        agreement__pool__already_held=["japan"],
        uncertain=[{"path": "agreement.pool.contributions.japan.ree.tonnes", "values": [20, 40], "source": "test"}],
    )
    found = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 4)
    assert found.without is not None
    held = found.samples["agreement.pool.contributions.japan.ree.tonnes"].to_numpy(float)
    assert sorted(set(held)) == [20.0, 40.0]  # the samples vary Japan's stock
    assert found.without["shortfall_t.japan"].to_numpy(float) == pytest.approx(1200.0 - held)
    assert found.without["shortfall_t.eu"].to_numpy(float) == pytest.approx([4800.0] * 4)
    # the run of the scenario as written (30 t) against its status quo: the report's own pairing
    assert validate_data(data, "s.yaml").agreement.pool.already_held == ["japan"]
    # without already_held the pairing is as before: no stock at all, whatever Japan's contribution
    plain = build(TWO_MEMBERS, uncertain=data["uncertain"])
    found = run_uncertainty(plan_study(plain, "s.yaml", fixed=()), 4)
    assert found.without["shortfall_t.japan"].to_numpy(float) == pytest.approx([1200.0] * 4)
