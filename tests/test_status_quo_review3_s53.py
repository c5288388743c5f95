"""Review 3 of the joint stock's costs over the status quo, where pool shares are stocks held today (s53).

``agreement.pool.already_held`` lists members whose pool shares are stocks they hold today; what the report
counts as the agreement's cost leaves out buying those shares and holding them in the run
(tests/test_status_quo_costs_s53.py). Everything else bought or held for the pool is counted: its refills,
holding what they put back, holding stock bought at auction. The report says the shortfall a pool of such
stock avoids cost nothing only when nothing at all is counted for it.

The toy is ``TWO_MEMBERS`` (tests/helpers.py): Japan needs 20 t/day, the EU 80 t/day, no commercial stock,
rare earths at 50 USD/kg (USD 50,000 a tonne), held at 3,650 USD/t a year (10 USD/t a day), a lead time of
5 days, 60 days. Only the EU is halted, from day 10 to day 20; the pool is Japan's 30 t, its stock of today,
refilled at 1 t a day.
"""

from __future__ import annotations

import html
import re

import pytest

from simulator.report import without_agreement
from simulator.report.accounts import accounts
from simulator.report.findings import Run
from simulator.report.verdict import avoided_cost_line, cost_line
from tests.helpers import TWO_MEMBERS, build, run, shipped_group, shipped_report

REFILLED = build(
    TWO_MEMBERS,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["eu"], "start": 10, "end": 20}],
    agreement__pool__already_held=["japan"],
    agreement__pool__contributions={"japan": {"ree": {"tonnes": 30}}},
    agreement__pool__refill_t_per_day={"ree": 1},
    **{"materials.ree.holding_cost_usd_per_t_year": 3650},
)


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


def _runs(data: dict) -> tuple[Run, Run]:
    result = run(data)
    return Run.of(result), Run.of(without_agreement(result), "alone")


def _box(name: str) -> str:
    page = _plain(shipped_report(name))
    start = page.index("Would a joint stock help?")
    return page[start : page.index("The question", start)]


def test_holding_what_refills_put_back_is_counted():
    # the EU draws Japan's 30 t on day 15 (gaps open once deliveries stop arriving, 5 days after the halt).
    # Japan's stock of today is held 30 t x 15 days (days 0-14) = 450 t-days: USD 4,500, not counted.
    # Refills of 1 t a day, ordered from day 25, arrive from day 30: the pool holds 1, 2, ..., 30 t on days 30-59,
    # 465 t-days: USD 4,650 of holding bought for the pool, counted; the refills cost 30 t x USD 50,000 = 1.5 m
    pooled, _ = _runs(REFILLED)
    japan = accounts(pooled)["japan"]
    assert japan.holding_usd == pytest.approx(9_150.0)
    assert japan.held_holding_usd == pytest.approx(4_500.0)  # not 9,150: the refilled tonnes are not held today
    assert japan.refill_usd == pytest.approx(1_500_000.0)
    assert japan.net_usd == pytest.approx(1_504_650.0)


def test_a_pool_of_stock_held_today_that_is_refilled_did_cost_something():
    # status quo: Japan, never short, keeps its 30 t; pooled the EU gets them: 30 t avoided. What the agreement
    # adds: the refills (USD 1.5 m) and holding what they put back (USD 4,650): USD 1,504,650 / 30,000 kg =
    # USD 50.155 a kg, shown 50.16; not "cost nothing to buy or hold"
    pooled, alone = _runs(REFILLED)
    assert alone.short_of(["eu"], ["ree"]) - pooled.short_of(["eu"], ["ree"]) == pytest.approx(30.0)
    line = _plain(avoided_cost_line(pooled, alone, accounts(pooled)))
    assert "nothing" not in line
    assert line == (
        "Per kg of shortfall avoided, what is counted over Japan's stock held already (buying, holding and "
        "refilling stock for the pool) came to "
        "USD 50.16 for rare earths."
    )
    assert "refills USD 1.5 m" in _plain(cost_line(pooled, accounts(pooled)))


@shipped_group("long_embargo_6m")
def test_long_embargo_6m_does_not_say_the_heavy_rare_earths_cost_nothing():
    # the pool is Japan's stock of today, but 17.5 t of its heavy rare earths went to the EU at auction (USD 5.8 m)
    # and Japan bought some too: stock bought at auction is held 28.4 t-days (Japan) + 52.5 t-days (the EU) at
    # 16,500/365 USD a t-day, USD 3,655 (the cost line's USD 0.004 m), over the 69.5 t of heavy rare earths
    # avoided: USD 0.053 a kg. Nothing is counted for the light rare earths: those cost nothing
    box = _box("long_embargo_6m")
    assert "Cost to the members over the stocks held today: holding strategic stock USD 0.004 m" in box
    assert "Auctions move USD 5.8 m between members" in box
    assert "refilling stock for the pool) came to USD 0.05 for heavy rare earths." in box
    assert "All the pool holds of light rare earths is Japan's stock held already" in box
    assert "light rare earths and heavy rare earths is Japan's stock held already" not in box


@shipped_group("long_embargo_6m")
def test_the_holding_not_counted_is_this_runs_not_one_borne_in_both_worlds():
    # Japan holds its pool share for USD 5.54 m in this run but USD 7.39 m in the status quo, where it draws it
    # alone: the report must not say that holding is borne "with or without the agreement", only that what it
    # cost in this run is not counted
    box = _box("long_embargo_6m")
    assert "with or without the agreement" not in box
    assert "nor what holding it cost in this run (USD 5.5 m) is counted as the agreement's cost." in box
    assert "and what holding it cost in this run (USD 5.5 m) are not in its net cost." in box
    assert (
        "the shortfall it avoids (214 t of oxide) cost nothing to buy, and what holding it cost in this run is not "
        "counted as the agreement's cost." in box
    )


@shipped_group("long_embargo_6m")
def test_the_region_tables_net_cost_is_written_with_the_minus_sign_of_the_rows_above():
    # Japan's table in long_embargo_6m: holding 0.95 + 4.59, less its share's 0.95 + 4.59, auction spend 3.12 less
    # revenue 8.89: net 0 and -5.77 (USD m), written with U+2212 as the "Less" rows and the member table's USD −5.8 m
    page = _plain(shipped_report("long_embargo_6m"))
    assert "Less auction revenue received (USD m) 0 \u22128.89 \u22128.89" in page
    assert "Net cost of strategic stock (USD m) 0 \u22125.77 \u22125.77" in page
    assert "-5.77" not in page


def test_compare_no_baseline_help_names_the_status_quo_row():
    # --no-baseline drops the 'stocks held today' row too (simulator/compare.py builds it with the baselines)
    from tests.helpers import invoke

    result = invoke("compare", "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    start = text.index("--no-baseline")
    assert "'stocks held today'" in text[start : start + 600]
