"""A naive SimPy model of the 2010 replay's size: the yardstick `make bench` measures against.

Not part of the package; it shares no code with it. This is how a modeller would write
the replay in SimPy without thinking about speed: one process per shipment, a
``simpy.Container`` per stock, one process stepping the days. Its size is the replay's:

- 2 regions (japan, eu) x 2 materials x 3 suppliers, 730 days; the replay's demands,
  opening stocks, sourcing shares and lead times; lognormal daily demand noise (cv 5%);
- each day, each region and material: demand, supply from commercial stock, a release
  from a joint pool (60 days of each member's demand) shared by the fixed 79/21 ratio,
  shortfall; then a shipment per route, of the day's expected demand times the sourcing
  share, less the day's embargoes and quota cuts, as its own process that waits out the
  lead time (plus a delay shock's extra days) and puts the tonnes into the stock;
- the replay's shocks by day: the 2010 quota cuts, the halts and slowdown against Japan
  and the EU, the customs delay, the 2011 quota cut.

What it leaves out (and the project does): auctions, the hybrid rule's switching,
triggers, decision lags, procurement policies and re-sourcing, refills, markets, the
per-day records and summaries. It is therefore a generous yardstick: a naive model
with all of those would be slower still. About 8,800 shipment processes a run.
"""

from __future__ import annotations

import numpy as np
import simpy

DAYS = 730
REGIONS = ("japan", "eu")
MATERIALS = ("light_ree", "heavy_ree")
SUPPLIERS = ("china", "europe_reprocessors", "rest_of_world")
DEMAND_T = {
    ("japan", "light_ree"): 76.6,
    ("japan", "heavy_ree"): 1.7,
    ("eu", "light_ree"): 20.0,
    ("eu", "heavy_ree"): 0.5,
}
STOCK_DAYS = {
    ("japan", "light_ree"): 140,
    ("japan", "heavy_ree"): 120,
    ("eu", "light_ree"): 45,
    ("eu", "heavy_ree"): 45,
}
SHARES = {
    ("japan", "light_ree"): (0.81, 0.10, 0.09),
    ("japan", "heavy_ree"): (0.98, 0.0, 0.02),
    ("eu", "light_ree"): (0.90, 0.10, 0.0),
    ("eu", "heavy_ree"): (1.0, 0.0, 0.0),
}
LEAD_DAYS = {"japan": (7, 40, 14), "eu": (35, 7, 35)}
RATIO = {"japan": 0.79, "eu": 0.21}
POOL_DAYS = 60
NOISE_CV = 0.05
# (first day, end day, regions hit, share of China's shipments stopped)
CHINA_CUTS = (
    (7, 184, REGIONS, 0.10),
    (82, 119, ("japan",), 1.0),
    (119, 142, ("japan",), 0.5),
    (109, 119, ("eu",), 1.0),
    (184, 549, REGIONS, 0.20),
)
CHINA_DELAY = (119, 142, ("japan",), 14)


def _china_share(day: int, region: str) -> float:
    share = 1.0
    for first, end, regions, severity in CHINA_CUTS:
        if first <= day < end and region in regions:
            share *= 1.0 - severity
    return share


def _china_delay(day: int, region: str) -> int:
    first, end, regions, extra = CHINA_DELAY
    return extra if first <= day < end and region in regions else 0


def run(seed: int) -> float:
    """One run; returns the total shortfall (t)."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    sigma = np.sqrt(np.log1p(NOISE_CV**2))
    stock = {
        cell: simpy.Container(env, init=d * STOCK_DAYS[cell], capacity=float("inf")) for cell, d in DEMAND_T.items()
    }
    pool = {
        m: simpy.Container(env, init=sum(POOL_DAYS * DEMAND_T[r, m] for r in REGIONS), capacity=float("inf"))
        for m in MATERIALS
    }
    shortfall = [0.0]

    def shipment(cell: tuple[str, str], tonnes: float, lead_days: int):  # one process per shipment
        yield env.timeout(lead_days)
        yield stock[cell].put(tonnes)

    def days():
        for day in range(DAYS):
            gaps = {}
            for cell, baseline in DEMAND_T.items():
                demand = baseline * rng.lognormal(-(sigma**2) / 2, sigma)
                supplied = min(demand, stock[cell].level)
                if supplied > 0:
                    yield stock[cell].get(supplied)
                gaps[cell] = demand - supplied
            for m in MATERIALS:
                wanted = {r: gaps[r, m] for r in REGIONS}
                available = pool[m].level
                released = {r: min(wanted[r], RATIO[r] * available) for r in REGIONS}
                total = sum(released.values())
                if total > 0:
                    yield pool[m].get(total)
                for r in REGIONS:
                    shortfall[0] += wanted[r] - released[r]
            for cell, baseline in DEMAND_T.items():
                region = cell[0]
                for k, supplier in enumerate(SUPPLIERS):
                    share = SHARES[cell][k]
                    if share == 0.0:
                        continue
                    lead = LEAD_DAYS[region][k]
                    tonnes = baseline * share
                    if supplier == "china":
                        tonnes *= _china_share(day, region)
                        lead += _china_delay(day, region)
                    if tonnes > 0:
                        env.process(shipment(cell, tonnes, lead))
            yield env.timeout(1)

    env.process(days())
    env.run(until=DAYS)
    return shortfall[0]
