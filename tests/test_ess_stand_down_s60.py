"""When the IEP rule stands down: the day the measured loss falls below its trigger, and not before.

The IEP ends an action when the supply loss falls below the level that triggered it (Art. 23).
``iea_ess`` measures the loss every day, so it acts on every day a trigger holds and on no other.
The first test pins that on a small world worked out by hand; the second checks the page's
account of the long 2010 halt (docs/release-rules.md, "Why the action outlasts the halt"):
there the action goes on after the halt because China's 2012 export quota still cuts the EU's
supply by more than 7% of the group's, and it stands down once that cut ends.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

import simulator
from tests.helpers import LONG_HALT, LONG_HALT_ESS, ROOT, build, run, series, shipped_group, shipped_run_with
from tests.invariants import check_invariants
from tests.test_agreement import IEP_PAIR

HALT_THEN_CUT = build(IEP_PAIR, horizon_days=16, suppliers__china__lead_time_days__a=3)
"""IEP_PAIR (a and b of 100 t/day, no commercial stock, 150 t each in the pool; a buys half from
China, b nothing) for 16 days, China's cargo to a 3 days at sea; the shocks are set below."""
HALT_THEN_CUT["shocks"] = [
    # China ships a nothing before day 4, then 60% of it on days 4-7 (a cut of 40%), then all
    {
        "id": "halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["a"],
        "start": -100,
        "end": 4,
        "on_halt": "lost",
    },
    {"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 4, "end": 8, "severity": 0.4},
]


def test_iea_ess_stands_down_the_day_the_last_cut_cargo_would_have_landed():
    result = run(HALT_THEN_CUT)
    check_invariants(result)
    days = np.arange(16)
    halted, cut = days < 7, (days >= 7) & (days < 11)  # shipments land 3 days later; all normal from day 11
    # a's arrivals: 50 t from elsewhere, and from China none to day 6, 30 t (60% of 50) on days 7-10, 50 t from day 11
    assert series(result, "arrivals_t", "a") == pytest.approx(np.select([halted, cut], [50.0, 80.0], 100.0))
    # days 0-6: the group loses 50 of 200 t (25% >= 12%): restraint 10%, permissible 90 + 90,
    # shortfall 180 - 150 = 30 t drawn 15/15, rights 75 + 75: b passes a 25 t; each short 10 t.
    # days 7-10: the group loses 20 of 200 t (10%: >= 7%, < 12%): restraint 7%, permissible 93 + 93,
    # shortfall 186 - 180 = 6 t drawn 3/3, rights 90 + 90: b passes a 10 t; each short 7 t.
    # day 11 on: no loss, no trigger: nothing drawn or passed, no one short.
    for region, sign in (("a", 1), ("b", -1)):
        assert series(result, "shortfall_t", region) == pytest.approx(np.select([halted, cut], [10.0, 7.0], 0.0))
        assert series(result, "released_t", region) == pytest.approx(np.select([halted, cut], [15.0, 3.0], 0.0))
        assert series(result, "transferred_t", region) == pytest.approx(sign * np.select([halted, cut], [25, 10], 0))
    # the rule decides on days 0-10 only, and stands down with 300 - 7 x 30 - 4 x 6 = 66 t still in the pool
    assert result.releases["day"].tolist() == list(range(11))
    assert result.pool["pool_stock_t"].iloc[-1] == pytest.approx(66.0)


def _section() -> str:
    """docs/release-rules.md's two paragraphs on the long halt after it ends, on one line."""
    page = (ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8")
    start = page.index("**Why the action outlasts the halt.**")
    end = page.index("\n\n", page.index("**Why the pool does not replace the restraint.**"))
    return " ".join(page[start:end].split())


def _light(result: simulator.RunResult) -> pd.DataFrame:
    return result.timeseries.query("material == 'light_ree'")


def _short_span(result: simulator.RunResult) -> tuple[str, str, dict[str, int]]:
    """First and last day any member is short of light rare earths, and each member's days short."""
    short = _light(result).query("shortfall_t > 0")
    first, last = (d.date().isoformat() for d in short["date"].agg(["min", "max"]))
    return first, last, short.groupby("region").size().to_dict()


def _span(values: pd.Series, digits: int = 1) -> tuple[float, float]:
    return round(values.min(), digits), round(values.max(), digits)


@shipped_group("embargo_2010")
def test_the_long_halts_restraint_after_the_halt_is_the_2012_quotas_loss():
    text = _section()
    result = shipped_run_with("embargo_2010", LONG_HALT_ESS)
    quota = next(s for s in result.scenario.shocks if s.id == "china_quota_2012")
    assert (quota.start, quota.end) == (dt.date(2012, 1, 1), dt.date(2013, 1, 1))  # days 549 to 915
    assert (quota.tonnes_per_period, quota.period_days) == (20767, 366)
    assert result.scenario.horizon_days == 731  # the run ends on day 730, 30 Jun 2012: the quota outlasts it
    assert "20,767 t per 366 days, 56.7 t/day for both members and both materials" in text
    supply = result.supply.query("supplier == 'china' and day >= 549")
    assert np.allclose(supply.groupby("day")["shipped_t"].sum(), 20767 / 366)  # the quota binds every day
    china = supply.query("material == 'light_ree'").groupby("region")["shipped_t"]
    assert (_span(china.get_group("japan")), _span(china.get_group("eu"))) == ((48.0, 49.7), (5.4, 6.8))
    assert "48.0–49.7 t/day of light rare earths go to Japan and 5.4–6.8 t/day to the EU" in text

    after = _light(result).query("date >= '2012-01-08'")  # Japan's first Chinese cargo after the halt lands
    eu, japan = (after.query("region == @m").set_index("day") for m in ("eu", "japan"))
    own_supply = {m: t["supplied_t"] - t["transferred_t"] for m, t in (("eu", eu), ("japan", japan))}
    assert (eu["commercial_stock_t"] == 0).all() and np.allclose(own_supply["eu"], eu["arrivals_t"])
    assert np.allclose(own_supply["japan"], japan["demand_t"])  # Japan loses nothing
    eu_loss = eu["demand_t"] - own_supply["eu"]
    group_share = eu_loss / (eu["demand_t"] + japan["demand_t"])
    assert len(eu) == 175 and _span(group_share, 3) == (0.079, 0.106)  # >= 7%, < 12%: 7% restraint
    assert np.allclose(after["shortfall_t"], 0.07 * after["demand_t"])  # every member short by its restraint
    assert _span(own_supply["eu"]) == (6.2, 7.7) and _span(eu["demand_t"]) == (12.5, 12.7)
    assert _span(eu_loss / eu["demand_t"], 2) == (0.38, 0.51)
    assert _span(japan["arrivals_t"], 0) == (68, 70) and _span(-japan["transferred_t"]) == (3.8, 5.1)
    assert round(japan["commercial_stock_t"].iloc[-1]) == 3609
    assert round(after["released_t"].sum(), 1) == 250.0
    assert round(_light(result).query("day == 730")["pool_share_t"].sum(), 1) == 558.7
    assert "175 days, the EU's commercial stock is empty and its supply is 6.2–7.7 t/day of its" in text
    assert "12.5–12.7 t/day demand: a loss of 38–51% of its own demand and of 7.9–10.6% of the group's" in text
    assert "(its arrivals, 68–70 t/day, exceed its demand; its commercial stock grows to 3,609 t" in text
    assert "passes the EU 3.8–5.1 t/day" in text
    assert "from 8 January 2012 the pool gives 250.0 t of light rare earths" in text

    # without the agreement China ships the same and the EU is short on each of those days
    alone = shipped_run_with("embargo_2010", (*LONG_HALT.items(), ("agreement", None)))
    assert alone.supply.query("supplier == 'china' and day >= 549")["shipped_t"].to_numpy() == pytest.approx(
        supply["shipped_t"].to_numpy()
    )
    eu_alone = _light(alone).query("region == 'eu' and date >= '2012-01-08'")
    assert (eu_alone["shortfall_t"] > 0).all() and round(eu_alone["shortfall_t"].sum()) == 994
    assert "the EU is short on each of those 175 days, 994 t in all" in text

    # the action stands down once the loss ends: 35 days (the EU's voyage) after the quota does
    lifted = shipped_run_with(
        "embargo_2010", (*LONG_HALT_ESS, ("shocks.china_quota_2012.tonnes_per_period", 1_000_000))
    )
    assert _short_span(lifted) == ("2011-02-07", "2012-02-04", {"eu": 363, "japan": 363})
    longer = shipped_run_with("embargo_2010", (*LONG_HALT_ESS, ("horizon_days", 1100)))
    assert _short_span(longer)[1] == "2013-02-04"
    # (1 January 2012 + 35 days = 5 February 2012)
    assert "--set shocks.china_quota_2012.tonnes_per_period=1000000" in text and "--set horizon_days=1100" in text
    assert "the action stands down on 5 February 2012" in text and "short on 363 days" in text
    assert "it stands down on 5 February 2013, 35 days after the quota ends" in text
