"""The surplus buyers lose on the demand the price destroyed, on the model's own demand curve.

Layer: studies.

The model's demand of a day (docs/model.md, "Markets") is

``D(p) = D_pot x max(f, (1 - S) x (p / P0)^e)``

with ``D_pot`` the potential demand, ``S`` the substituted share in force that day, ``e``
the short-run elasticity and ``f`` the floor share. Against the reference price ``P0``,
buyers lose the consumer surplus between ``P0`` and today's price ``p``. The extra
spend on what they still use, ``D(p) x (p - P0)``, is counted apart
(``crisis_extra_cost_usd``); what is left is the surplus lost on the use given up, in
two parts (per day, USD, with ``r = p / P0`` and ``d(x) = max(f, (1 - S) x^e)``):

- **price response**, the area between the day's demand curve and today's price, from
  today's demand up to the demand at ``P0``:
  ``P0 x D_pot x [integral from 1 to r of d(x) dx - d(r) x (r - 1)]``. Without a floor
  and substitution it is ``P0 x D_pot x [(r^(1+e) - 1) / (1 + e) - r^e (r - 1)]``, and
  ``P0 x D_pot x [ln r - (r - 1) / r]`` at ``e = -1``. It is never negative: when the
  price is below ``P0`` the extra spend (then a saving) counts the whole saving on the
  use the lower price added, and this part takes back the surplus that use did not have.
- **substitution**: the substituted share ``s = min(S, 1 - f)`` no longer buys at all.
  The model's indicated substitution, ``S*(x) = S_max x ln x / ln F`` (``F`` the full price
  ratio), says which users substitute at which price: the user at share ``u`` does so from
  the price ratio ``F^(u / S_max)``, which is what substituting costs it over buying at
  ``P0``. Those who have substituted lose
  ``P0 x D_pot x integral from 0 to s of (F^(u / S_max) - 1) du
  = P0 x D_pot x [S_max / ln F x (F^(s / S_max) - 1) - s]``.

The linear triangle of the run's tables (``lost_surplus_usd``, ``(D_pot - D) x (p - P0) /
2``) takes the demand curve to be straight between ``(D_pot, P0)`` and ``(D, p)``; the
model's curve bends toward the price axis (it is convex), so the triangle overstates the
loss of a price rise (USD 550.7 m against 328.1 m for Japan's light rare earths in
``embargo_2010``).

The substituted share that sets a day's demand is the one in force at its start: the
run's ``substitution_share`` of the day before (none on day 0), since the day's own is
recorded after its end-of-day update.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import KG_PER_T
from simulator.report.findings import Run
from simulator.scenario.checks import reference_price

NEAR_MINUS_ONE = 1e-9
"""An elasticity within this of -1 takes the logarithm's form of the integral."""


def _power_integral(y: np.ndarray, e: float) -> np.ndarray:
    """``integral from 1 to y of x^e dx`` for ``y > 0`` (``ln y`` at ``e = -1``)."""
    if abs(1.0 + e) < NEAR_MINUS_ONE:
        return np.log(y)
    return (np.power(y, 1.0 + e) - 1.0) / (1.0 + e)


def demand_integral(r: np.ndarray, e: float, kept: np.ndarray, floor: float) -> np.ndarray:
    """``integral from 1 to r of max(floor, kept x x^e) dx`` (signed: negative for ``r < 1``).

    ``kept`` is ``1 - S``. The curve is ``kept x x^e`` below the price ratio ``x_f`` at which
    it meets the floor, ``(floor / kept)^(1 / e)``, and the floor above it.

    >>> float(demand_integral(np.array(4.0), -0.5, np.array(1.0), 0.0))  # 2 (sqrt 4 - 1)
    2.0
    >>> float(demand_integral(np.array(4.0), -1.0, np.array(1.0), 0.5))  # ln 2 to x_f = 2, then 0.5 x 2
    1.6931471805599454
    """
    r = np.asarray(r, float)
    kept = np.asarray(kept, float)
    above = kept > floor  # else the floor holds at every price ratio from 1 on
    if floor > 0:
        meets = np.power(floor / np.where(above, kept, 1.0), 1.0 / e)  # > 1 where above
        past = np.maximum(0.0, r - meets)
    else:
        meets, past = np.inf, np.zeros_like(r)
    curve = kept * _power_integral(np.minimum(r, meets), e)
    return np.where(above, curve + floor * past, floor * (r - 1.0))


def substitution_loss(share: np.ndarray, max_share: float, full_price_ratio: float) -> np.ndarray:
    """What the users who substituted ``share`` of demand lose, per unit of potential demand and of ``P0``.

    ``integral from 0 to share of (F^(u / S_max) - 1) du`` (module docstring).

    >>> float(substitution_loss(np.array(0.1), 0.1, 10.0))  # 0.1 x 9 / ln 10 - 0.1
    0.2908650337129266
    """
    share = np.asarray(share, float)
    if max_share <= 0:
        return np.zeros_like(share)
    scale = max_share / np.log(full_price_ratio)
    return scale * (np.power(full_price_ratio, np.clip(share, 0.0, max_share) / max_share) - 1.0) - share


def surplus_per_day(
    price_ratio: np.ndarray,
    elasticity: float,
    substituted: np.ndarray,
    floor: float,
    max_share: float,
    full_price_ratio: float,
) -> np.ndarray:
    """The surplus lost on the use given up, per unit of potential demand and of ``P0`` (module docstring).

    >>> round(float(surplus_per_day(np.array(2.0), -0.5, np.array(0.0), 0.0, 0.0, 10.0)), 6)  # 2 (√2 - 1) - 1/√2
    0.12132
    """
    r = np.asarray(price_ratio, float)
    substituted = np.asarray(substituted, float)
    kept = 1.0 - substituted
    today = np.maximum(floor, kept * np.power(r, elasticity))
    response = demand_integral(r, elasticity, kept, floor) - today * (r - 1.0)
    gone = np.minimum(substituted, 1.0 - floor)
    return response + substitution_loss(gone, max_share, full_price_ratio)


def lost_surplus_usd(run: Run, region: str, material: str) -> float:
    """A region's surplus lost on the use given up of a material over the run (USD; 0 without a demand response)."""
    scenario = run.result.scenario
    market = scenario.market.get(material)
    reference = reference_price(scenario, material)
    if market is None or market.demand is None or not reference:
        return 0.0
    demand = market.demand
    sub = demand.substitution
    ts = run.result.timeseries
    rows = ts[(ts["region"] == region) & (ts["material"] == material)].sort_values("day")
    if rows.empty:
        return 0.0
    potential = (rows["demand_t"] + rows["demand_destroyed_t"]).to_numpy()
    ratio = rows["price_usd_per_kg"].to_numpy() / reference
    recorded = rows["substitution_share"].to_numpy() if sub is not None else np.zeros(len(rows))
    in_force = np.concatenate([[0.0], recorded[:-1]])
    per_unit = surplus_per_day(
        ratio,
        demand.short_run_elasticity,
        in_force,
        demand.floor_share,
        sub.max_share if sub is not None else 0.0,
        sub.full_price_ratio if sub is not None else 10.0,
    )
    return float(np.sum(reference * KG_PER_T * potential * per_unit))
