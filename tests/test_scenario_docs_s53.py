"""Numbers the scenario texts and docs quote after the s53 scenarios audit, checked against runs.

Items 2, 6, 7, 10, 12 and 14 of the audit added figures from what-if runs to the scenario files'
descriptions and comments and to docs/scenarios.md and docs/limitations.md; each test here makes
the run again and finds its figures in the text that quotes them. A shipped scenario as written is
its shared reference run (``shipped_result``, the run ``simulator.run(name)`` gives: see
test_shipped_scenarios.py), made once per test process; each test carries the group of the scenario
it reads most (``shipped_group``), so that under ``pytest -n`` it finds that run made.
"""

from __future__ import annotations

import datetime as dt

import pytest
import yaml

import simulator
from tests.helpers import ROOT, shipped_group, shipped_result

NO_EU_STOCK = {f"agreement.pool.contributions.eu.{m}.days": 0 for m in ("light_ree", "heavy_ree", "ndfeb_magnets")}


def _flat(text: str) -> str:
    return " ".join(text.replace("#", " ").split())


def _page(name: str) -> str:
    return _flat((ROOT / "docs" / name).read_text(encoding="utf-8"))


def _file(name: str) -> str:
    return _flat((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))


def _description(name: str) -> str:
    return _flat(yaml.safe_load((ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8"))["description"])


def _short(result) -> dict[tuple[str, str], float]:
    rows = result.summary.query("region != 'all'")
    return {(r, m): s for r, m, s in zip(rows["region"], rows["material"], rows["shortfall_t"], strict=True)}


def _t(value: float) -> str:
    return f"{value:,.0f} t"


@shipped_group("long_embargo_12m_2030")
def test_the_2030_descriptions_say_what_the_benchmarks_leave_without_the_assumed_eu_stock():
    # 6 months: the benchmarks alone leave only the EU's magnets short, 3,267.5 t; the assumed stock closes it
    alone = _short(simulator.run("long_embargo_6m_2030", set=NO_EU_STOCK))
    assert {k: v for k, v in alone.items() if v > 0} == {("eu", "ndfeb_magnets"): pytest.approx(3267.5, abs=0.05)}
    assert max(_short(shipped_result("long_embargo_6m_2030")).values()) == 0.0
    six = _description("long_embargo_6m_2030")
    assert "leave no rare earth short but 3,267.5 t of the EU's magnets" in six
    # the assumed magnet stock: 180 days of the EU's 43.8 t/day = 7,884 t; at 50 USD/kg, USD 394.2 m
    scenario = simulator.load_scenario("long_embargo_6m_2030")
    days = scenario.agreement.pool.contributions["eu"]["ndfeb_magnets"].days
    daily_t = scenario.regions["eu"].demand["ndfeb_magnets"].tonnes_per_day
    price = scenario.materials["ndfeb_magnets"].price_usd_per_kg
    assert (days, daily_t, price) == (180, 43.8, 50)
    assert "180 days of magnets (7,884 t, about USD 394 m at the assumed 50 USD/kg)" in six
    assert "not a benchmark" in six and "ASSUMPTION" in six

    # 12 months: members and the EU, light / heavy / magnets, benchmarks alone and with the EU stock
    alone, shipped = (
        _short(simulator.run("long_embargo_12m_2030", set=NO_EU_STOCK)),
        _short(shipped_result("long_embargo_12m_2030")),
    )

    def members(s):
        return [
            sum(s[(r, m)] for r in ("japan", "eu") if (r, m) in s) for m in ("light_ree", "heavy_ree", "ndfeb_magnets")
        ]

    def eu(s):
        return [s[("eu", m)] for m in ("light_ree", "heavy_ree", "ndfeb_magnets")]

    twelve = _description("long_embargo_12m_2030")
    a, b, c = map(_t, members(alone))
    d, e, f = map(_t, eu(alone))
    assert f"leave {a}, {b} and {c} (the EU {d}, {e} and {f})" in twelve
    assert (a, b, c) == ("6,884 t", "129 t", "8,421 t")
    a, b, c = map(_t, members(shipped))
    assert f"short {a} of light and {b} of heavy rare earths and {c} of NdFeB magnets" in twelve
    # the stock's 7,884 t of magnets are all drawn in twelve months: 8,421 - 537 = 7,884
    assert members(alone)[2] - members(shipped)[2] == pytest.approx(7884.0, abs=0.5)
    page = _page("scenarios.md")
    assert "| benchmarks alone | 0 / 0 / 3,268 t (0 / 0 / 3,268) | 6,884 / 129 / 8,421 t (492 / 19 / 8,421) |" in page


@shipped_group("long_embargo_6m")
def test_the_ratio_note_gives_long_embargo_6m_heavy_shares_in_days_of_each_members_demand():
    series = shipped_result("long_embargo_6m").timeseries.query("material == 'heavy_ree'")
    top = series.loc[series.groupby("region")["drawable_shared_t"].idxmax()].set_index("region")
    eu, japan = top.loc["eu"], top.loc["japan"]
    # the ratio splits Japan's 270 t of heavy stock 43 / 57: 116.1 t and 153.9 t; the EU uses 0.5 t/day, Japan 1.5
    assert (round(eu["drawable_shared_t"], 1), round(japan["drawable_shared_t"], 1)) == (116.1, 153.9)
    scenario = simulator.load_scenario("long_embargo_6m")
    daily_t = {r: scenario.regions[r].demand["heavy_ree"].tonnes_per_day for r in ("eu", "japan")}
    assert (round(eu["drawable_shared_t"] / daily_t["eu"]), round(japan["drawable_shared_t"] / daily_t["japan"])) == (
        232,
        103,
    )
    assert round(eu["days_of_cover"]) == 238
    said = "its share of Japan's heavy stock is 116.1 t, 232 days of its demand, against Japan's 153.9 t, 103 days"
    assert said in _page("limitations.md") and said in _file("long_embargo_6m")


@shipped_group("new_supply_2031")
def test_the_dual_use_proxy_moves_what_new_supply_2031s_texts_say():
    def total(share):
        return _short(simulator.run("new_supply_2031", set={"shocks.japan_dual_use_ban.end_use_share": share}))

    shipped, low, none = _short(shipped_result("new_supply_2031")), total(0.02), total(0.0)
    assert round(sum(shipped.values()), 1) == 293.6
    assert (round(sum(low.values()), 1), round(low[("japan", "heavy_ree")], 1), round(low[("eu", "heavy_ree")], 1)) == (
        175.3,
        129.1,
        46.2,
    )
    assert round(sum(none.values()), 1) == 145.7
    # "about 40% of the answer": (293.6 - 175.3) / 293.6 = 0.40
    assert round((sum(shipped.values()) - sum(low.values())) / sum(shipped.values()), 2) == 0.40
    assert (
        "At 0.02 the members are short 175.3 t (Japan 129.1 t, the EU 46.2 t) instead of 293.6 t; at 0, 145.7 t."
        in _page("scenarios.md")
    )
    text = _file("new_supply_2031")
    assert "at 0.02 the members are short 175.3 t (Japan 129.1, EU 46.2) against 293.6 t, at 0 145.7 t" in text
    assert "10% of Japan's Dy/Tb use is military" not in text


@shipped_group("china_2025_licensing")
def test_limitations_gives_the_licensing_magnet_market_that_a_run_gives():
    result = shipped_result("china_2025_licensing")
    magnets = result.market.query("material == 'ndfeb_magnets'")
    assert len(magnets) == 730
    assert magnets["cover_ratio"].to_numpy() == pytest.approx(1.0)
    assert magnets["perceived_risk"].max() == 0.0
    assert magnets["world_price_usd_per_kg"].max() == pytest.approx(50.0)
    cover = result.summary.query("region == 'eu' and material == 'ndfeb_magnets'")["min_days_of_cover"].item()
    assert round(cover, 1) == 3.2
    page = _page("limitations.md")
    assert "and 624 for magnets" not in page
    assert "leave the magnet market's cover ratio at 1.0 and its perceived risk at 0 on all 730 days" in page
    assert "the EU's magnet cover falls to 3.2 days" in page


@shipped_group("long_embargo_6m")
def test_koreas_target_and_the_cape_route_move_what_the_docs_say():
    korea = {f"agreement.pool.contributions.south_korea.{m}.days": 54 for m in ("light_ree", "heavy_ree")}
    shipped, at_54 = _short(shipped_result("club_of_five")), _short(simulator.run("club_of_five", set=korea))
    assert (round(sum(shipped.values()), 1), round(sum(at_54.values()), 1)) == (52.9, 62.1)
    assert "at 54 days the members are short 62.1 t instead of 52.9 t" in _page("scenarios.md")
    assert "ASSUMPTION: the target held as if met in 2026" in _file("club_of_five")

    suez, cape = (
        shipped_result("long_embargo_6m"),
        simulator.run("long_embargo_6m", set={"suppliers.china.lead_time_days.eu": 45}),
    )
    s, c = _short(suez), _short(cape)
    for material in ("light_ree", "ndfeb_magnets"):  # the members' totals are the same
        assert sum(v for (r, m), v in c.items() if m == material) == pytest.approx(
            sum(v for (r, m), v in s.items() if m == material), abs=0.05
        )
    moved = c[("eu", "light_ree")] - s[("eu", "light_ree")]
    assert round(moved) == 111 and s[("japan", "light_ree")] - c[("japan", "light_ree")] == pytest.approx(
        moved, abs=0.05
    )

    def first(result):
        row = result.summary.query("region == 'eu' and material == 'ndfeb_magnets'")
        return dt.date(2026, 1, 1) + dt.timedelta(days=int(row["first_shortfall_day"].item()))

    assert (first(suez), first(cape)) == (dt.date(2026, 5, 20), dt.date(2026, 5, 30))
    assert "EU magnet users are short from 30 May 2026 instead of 20 May" in _page("scenarios.md")
    assert "111 t of light REE moves from Japan's shortfall to the EU's" in _page("scenarios.md")
