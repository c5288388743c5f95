"""The invariants of DESIGN §3, checked on any result."""

from __future__ import annotations

import numpy as np

from simulator.results import Result

TOL_T = 1e-6


def _by_region(result: Result, column: str) -> np.ndarray:
    """Column as (days, regions, materials)."""
    st = result.structure
    return result.timeseries[column].to_numpy(float).reshape(-1, len(st.regions), len(st.materials))


def check_invariants(result: Result) -> None:
    ts = result.timeseries
    st = result.structure
    col = lambda name: _by_region(result, name)  # noqa: E731
    demand, supplied, released, shortfall = col("demand_t"), col("supplied_t"), col("released_t"), col("shortfall_t")
    scale = max(1.0, float(np.nanmax(demand)))
    # daily demand = supplied + released + shortfall, each term >= 0
    np.testing.assert_allclose(demand, supplied + released + shortfall, atol=TOL_T * scale)
    for name in (
        "demand_t",
        "supplied_t",
        "released_t",
        "shortfall_t",
        "arrivals_t",
        "released_national_t",
        "released_joint_t",
        "lent_t",
        "commercial_stock_t",
        "reserve_stock_t",
        "in_transit_t",
        "auction_stock_t",
        "pool_share_t",
        "reserve_in_transit_t",
    ):
        assert np.all(col(name) >= -TOL_T), f"{name} negative"
    # a release never exceeds the gap
    assert np.all(released <= demand - supplied + TOL_T * scale)
    np.testing.assert_allclose(released, col("released_national_t") + col("released_joint_t"), atol=TOL_T)
    # commercial: start + arrivals + supplies passed in (iea_ess; - passed out) - supplied = end, day by day
    commercial = col("commercial_stock_t")
    inflow = col("arrivals_t") + col("transferred_t")
    start = commercial[0] - inflow[0] + supplied[0]
    expected = start + np.cumsum(inflow - supplied, axis=0)
    # what members pass on is what other members receive
    np.testing.assert_allclose(col("transferred_t").sum(axis=1), 0.0, atol=TOL_T * scale)
    np.testing.assert_allclose(commercial, expected, atol=TOL_T * max(1.0, float(np.max(np.abs(expected)))))
    # national reserve: start + refill arrivals - own draws - lent = end
    reserve = col("reserve_stock_t")
    flow = col("refill_arrivals_t") - col("released_national_t") - col("lent_t")
    start = reserve[0] - flow[0]
    np.testing.assert_allclose(reserve, start + np.cumsum(flow, axis=0), atol=TOL_T * max(1.0, float(reserve.max())))
    # commercial pipeline: in transit changes by what left (shipped, re-sourced, leaked through
    # an embargo) minus what arrived
    supply = result.supply
    shipped = (
        supply["shipped_t"]
        .to_numpy()
        .reshape(
            len(ts) // (len(st.regions) * len(st.materials)), len(st.regions), len(st.materials), len(st.suppliers)
        )
        .sum(-1)
    )
    in_transit = col("in_transit_t")
    np.testing.assert_allclose(
        np.diff(in_transit, axis=0),
        (shipped + col("resourced_t") + col("leaked_t") - col("arrivals_t"))[1:],
        atol=TOL_T * scale * 10,
    )
    _check_cover(col)
    if st.members:
        _check_pool(result, col)
        _check_settlement(col)
        _check_restraint(result)
        net = result.ledger.groupby("material")["net_position_usd"].sum()
        scale = max(1.0, float(result.ledger["net_position_usd"].abs().max()))
        np.testing.assert_allclose(net.to_numpy(), 0.0, atol=1e-9 * scale)  # what one gains, others lose


def _check_cover(col) -> None:
    """Own <= drawable <= runway on days the region is not short; no drawable cover on a day it is.

    A region short today holds no stock it could draw (own stock it still has, such as a
    national reserve awaiting a tender, is not drawable), so its own cover may exceed 0 then.
    """
    own, drawable, runway = col("days_of_cover_own"), col("days_of_cover"), col("days_of_cover_runway")
    known = ~np.isnan(drawable)
    short = (col("shortfall_t") > 0) & known
    assert np.all(own[known & ~short] <= drawable[known & ~short] + 1e-9)
    assert np.all(drawable[known] <= runway[known] + 1e-9)
    assert np.all(drawable[short] == 0.0), "cover shown on a day the region is short"


def _check_settlement(col) -> None:
    """Every dollar paid is received by someone; every tonne owed is owed to someone."""
    paid, received = col("settlement_paid_usd").sum(axis=1), col("settlement_received_usd").sum(axis=1)
    np.testing.assert_allclose(paid, received, rtol=1e-9, atol=1e-6)
    owed, receivable = col("loan_owed_t").sum(axis=1), col("loan_receivable_t").sum(axis=1)
    np.testing.assert_allclose(owed, receivable, rtol=1e-9, atol=TOL_T)


def _check_restraint(result: Result) -> None:
    """The demand the IEA rule's restraint held back is part of the member's shortfall that day, and only its rule's.

    It is recorded on the rule's decided days (releases.csv ``restraint_t.<member>``): never negative, never more
    than the member's shortfall (the rest of which is the obligation the stock could not give), and 0 on a row of
    any other rule.
    """
    short = result.timeseries.set_index(["day", "region", "material"])["shortfall_t"]
    for member in result.structure.member_names:
        rows = result.releases
        held_back = rows[f"restraint_t.{member}"].to_numpy(float)
        keys = list(zip(rows["day"], [member] * len(rows), rows["material"], strict=True))
        assert np.all(held_back >= 0.0), f"restraint_t.{member} negative"
        assert np.all(held_back <= short.loc[keys].to_numpy(float) + TOL_T), f"restraint_t.{member} above its shortfall"
        assert not held_back[rows["mechanism"].to_numpy() != "iea_ess"].any(), (
            f"restraint_t.{member} under another rule"
        )


def _check_pool(result: Result, col) -> None:
    st = result.structure
    materials = list(st.materials)
    pool = result.pool.pivot(index="day", columns="material", values="pool_stock_t")[materials].to_numpy()
    arrivals = result.pool.pivot(index="day", columns="material", values="pool_arrivals_t")[materials].to_numpy()
    sold = np.zeros_like(pool)
    if not result.auctions.empty:
        for _, row in result.auctions.iterrows():
            sold[int(row["day"]), materials.index(row["material"])] += row["sold_t"]
    rule = col("released_rule_t").sum(axis=1)
    assert np.all(pool >= -TOL_T)
    if st.pool_mode == "joint":
        flow = arrivals - sold - rule
        start = pool[0] - flow[0]
        np.testing.assert_allclose(pool, start + np.cumsum(flow, axis=0), atol=TOL_T * max(1.0, float(pool.max())))
    else:
        # national mode: what members received from others equals what donors lent
        np.testing.assert_allclose(rule, col("lent_t").sum(axis=1), atol=TOL_T * 10)
    # auction stock: bought - drawn = held
    balance = col("auction_stock_t")
    won = np.zeros_like(balance)
    if not result.auctions.empty:
        regions = list(st.regions)
        for _, row in result.auctions.iterrows():
            for member in (regions[i] for i in st.members):
                won[int(row["day"]), regions.index(member), materials.index(row["material"])] += row[f"won_t.{member}"]
    np.testing.assert_allclose(balance, np.cumsum(won - col("released_auction_t"), axis=0), atol=TOL_T * 10)
