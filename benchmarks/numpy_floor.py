"""A bare NumPy loop of the replay's size: the floor a batched day step cannot go below by much.

Not part of the package. Runs on the last axis, like the fast path; each day: draw the
noise, demand, supply from commercial stock, shortfall, shipments of the expected demand
by sourcing share into a ring indexed by arrival day, arrivals. No shocks, no pool, no
records: about ten whole-batch operations a day, where the project's day step does more
than a hundred (agreement, auctions, procurement, summaries).
"""

from __future__ import annotations

import numpy as np
from naive_simpy import DAYS, DEMAND_T, LEAD_DAYS, NOISE_CV, SHARES, STOCK_DAYS


def run_batch(runs: int, seed: int = 0) -> np.ndarray:
    """``runs`` runs at once; returns each run's total shortfall (t)."""
    cells = list(DEMAND_T)
    baseline = np.array([DEMAND_T[c] for c in cells])[:, None]  # (cell, 1)
    shares = np.array([SHARES[c] for c in cells])[:, :, None]  # (cell, supplier, 1)
    lead = np.array([LEAD_DAYS[c[0]] for c in cells])  # (cell, supplier)
    length = int(lead.max()) + 1
    ring = np.zeros((length, len(cells), shares.shape[1], runs))
    stock = np.repeat(baseline * np.array([STOCK_DAYS[c] for c in cells])[:, None], runs, axis=1)
    sigma = np.sqrt(np.log1p(NOISE_CV**2))
    rng = np.random.default_rng(seed)
    shortfall = np.zeros(runs)
    cell_index, supplier_index = np.indices(lead.shape)
    for day in range(DAYS):
        slot = day % length
        stock += ring[slot].sum(axis=1)
        ring[slot] = 0.0
        demand = baseline * np.exp(-(sigma**2) / 2 + sigma * rng.standard_normal((len(cells), runs)))
        supplied = np.minimum(demand, stock)
        stock -= supplied
        shortfall += (demand - supplied).sum(axis=0)
        ring[(day + lead) % length, cell_index, supplier_index] += baseline[:, None] * shares
    return shortfall
