"""Release of a national reserve by tender on a government request (after JOGMEC).

Layer: rules. Firms draw their own commercial stock first; the day they are short the
government requests a release, and ``lag_days`` later the reserve is sold to the firms
that are short, at the day's price times ``price_share`` (1 at the market price, below 1
at a discount), for as long as they stay short. A request lapses after
``standdown_days`` without a gap; the next gap is a new request with a new lag. Arrays
are (region, material, run) or broadcastable; day numbers are integers.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import KG_PER_T, Array


def tender_requests(
    day: int, short: Array, requested_on: Array, last_short: Array, lag_days: Array, standdown_days: Array
) -> tuple[Array, Array, Array]:
    """Update the requests; return ``(requested_on, last_short, open)``.

    ``requested_on`` is the day of the standing request (a day before any request marks
    none: pass a very negative number), ``last_short`` the last day firms were short, and
    ``open`` whether the reserve is on sale today.

    Short from day 3 with a 2-day lag: the request stands from day 3 and sales open on day 5.

    >>> never = np.array(-10**9)
    >>> on, last, open_ = tender_requests(3, np.array(True), never, never, np.array(2), np.array(30))
    >>> int(on), bool(open_)
    (3, False)
    >>> bool(tender_requests(5, np.array(True), on, last, np.array(2), np.array(30))[2])
    True
    """
    lapsed = day - last_short >= standdown_days
    standing = ~lapsed
    requested_on = np.where(short & ~standing, day, requested_on)
    last_short = np.where(short, day, last_short)
    standing = standing | short
    return requested_on, last_short, standing & (day >= requested_on + lag_days)


def tender_sales_usd(sold_t: Array, price_usd_per_kg: Array, price_share: Array) -> Array:
    """What firms pay for reserve stock sold by tender (USD): tonnes x day's price x price share.

    >>> float(tender_sales_usd(np.array(2.0), np.array(50.0), np.array(0.9)))
    90000.0
    """
    return np.asarray(sold_t, float) * np.asarray(price_usd_per_kg, float) * price_share * KG_PER_T
