"""The surplus buyers lose on the demand the price destroyed, on the model's own demand curve.

Layer: model. The kernel (:mod:`simulator.kernel.pricing`) works out ``lost_surplus_usd``
with it each day for a batch of runs; here each formula is on arrays of any shape
(region, material, run in the kernel) with per-material parameters that broadcast
against them, checked by hand (and against numerical integrals in
``tests/test_report_surplus.py``).

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

A straight demand line between ``(D_pot, P0)`` and ``(D, p)`` would give the triangle
``(D_pot - D) x (p - P0) / 2``; the model's curve bends toward the price axis (it is
convex), so the triangle overstates the loss of a price rise (USD 550.7 m against 328.1 m
for Japan's light rare earths in ``embargo_2010``).

The substituted share that sets a day's demand is the one in force at its start: the
kernel's share before the day's end-of-day update (in the run's tables, the
``substitution_share`` of the day before, none on day 0, since the day's own is recorded
after that update).

A material without a demand response (elasticity 0, no floor, no substitution) loses
nothing: ``d(x) = 1`` and both parts are exactly 0.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array

NEAR_MINUS_ONE = 1e-9
"""An elasticity within this of -1 takes the logarithm's form of the integral."""


def power_integral(y: Array, elasticity: Array) -> Array:
    """``integral from 1 to y of x^e dx`` for ``y > 0`` (``ln y`` where ``e`` is -1).

    >>> power_integral(np.array([4.0, 4.0, 2.0]), np.array([-0.5, 0.0, -1.0]))
    array([2.        , 3.        , 0.69314718])
    """
    e1 = 1.0 + np.asarray(elasticity, float)
    log_form = np.abs(e1) < NEAR_MINUS_ONE
    if not log_form.any():
        return (np.power(y, e1) - 1.0) / e1
    power = (np.power(y, e1) - 1.0) / np.where(log_form, 1.0, e1)
    return np.where(log_form, np.log(y), power)


def demand_integral(r: Array, elasticity: Array, kept: Array, floor: Array) -> Array:
    """``integral from 1 to r of max(floor, kept x x^e) dx`` (signed: negative for ``r < 1``).

    ``kept`` is ``1 - S`` (at least ``floor``, above 0). The curve ``kept x x^e`` falls
    (``e < 0``) and meets the floor at the price ratio ``m = (floor / kept)^(1 / e)``: it
    holds below ``m``, the floor above. With ``P`` the :func:`power_integral`, the integral is
    ``kept x [P(min(r, m)) - P(min(1, m))] + floor x [max(r, m) - max(1, m)]``, which takes
    each piece on its own side of ``m`` whether ``r`` and ``1`` lie above or below it. Without
    a floor ``m`` is infinite; any ``m`` beyond ``max(r, 1)`` gives the same, so ``m`` is
    clipped to it.

    >>> float(demand_integral(np.array(4.0), np.array(-0.5), np.array(1.0), np.array(0.0)))  # 2 (sqrt 4 - 1)
    2.0
    >>> float(demand_integral(np.array(4.0), np.array(-1.0), np.array(1.0), np.array(0.5)))  # ln 2 to m = 2, 0.5 x 2
    1.6931471805599454
    """
    r = np.asarray(r, float)
    floor = np.asarray(floor, float)
    if not (floor > 0).any():
        return kept * power_integral(r, elasticity)
    e = np.asarray(elasticity, float)
    has = (floor > 0) & (e < 0)
    with np.errstate(divide="ignore", over="ignore"):
        meets = np.power(np.where(has, floor, 1.0) / kept, 1.0 / np.where(has, e, -1.0))
    meets = np.minimum(np.where(has, meets, np.inf), np.maximum(r, 1.0))
    curve = power_integral(np.minimum(r, meets), e) - power_integral(np.minimum(1.0, meets), e)
    return kept * curve + floor * (np.maximum(r, meets) - np.maximum(1.0, meets))


def _substitution_scale_and_rate(max_share: Array, full_price_ratio: Array) -> tuple[Array, Array]:
    """``S_max / ln F`` and ``ln F / S_max`` (both 0 where ``S_max`` is 0): ``F^(s / S_max) - 1 = expm1(s x rate)``."""
    log_full = np.log(full_price_ratio)
    some = max_share > 0
    return max_share / log_full, np.where(some, log_full / np.where(some, max_share, 1.0), 0.0)


class DemandCurve:
    """The demand curves of a batch, per material (and run): the day's surplus lost on it.

    The parameters are arrays that broadcast against the day's (region, material, run)
    arrays, (1, material, run) in the kernel; what the formulas need of them is worked out
    once, here, since the kernel asks every day.

    >>> curve = DemandCurve(np.array([-0.5, -1.0]), np.array([0.0, 0.5]), np.array([0.0, 0.0]), np.array([10.0, 10.0]))
    >>> curve.surplus(np.array([2.0, 4.0]), np.array([0.0, 0.0])).round(6)  # 2 (√2 - 1) - 1/√2; ln 2 - 1/2
    array([0.12132 , 0.193147])
    """

    def __init__(self, elasticity: Array, floor_share: Array, max_share: Array, full_price_ratio: Array) -> None:
        self.elasticity = np.asarray(elasticity, float)
        self.floor_share = np.asarray(floor_share, float)
        self.max_share = np.asarray(max_share, float)
        self.full_price_ratio = np.asarray(full_price_ratio, float)
        self.substitution = bool((self.max_share > 0).any())
        self.scale, self.rate = _substitution_scale_and_rate(self.max_share, self.full_price_ratio)
        e1 = 1.0 + self.elasticity
        # without a floor and off -1 the day's terms collect into few array operations (:meth:`surplus`)
        self.plain = not (self.floor_share > 0).any() and not (np.abs(e1) < NEAR_MINUS_ONE).any()
        if self.plain:
            self.inverse_e1 = 1.0 / e1
            self.slope = self.inverse_e1 - 1.0  # -e / (1 + e)
            self.constant = self.inverse_e1 + self.scale

    def surplus(self, price_ratio: Array, substituted: Array, today: Array | None = None) -> Array:
        """The surplus lost on the use given up, per unit of potential demand and of ``P0`` (module docstring).

        ``substituted`` is the share ``S`` in force that day; ``today`` the day's demand over
        potential demand, ``max(f, (1 - S) r^e)``, when already worked out (as the kernel's
        demand factor is, the same expression). Times ``P0 x D_pot`` (and 1,000 kg/t) it is
        the day's USD.

        Without a floor, ``(1 - S) r^(1+e) = today x r``, so the price response
        ``(1 - S) (r^(1+e) - 1) / (1 + e) - today (r - 1)`` is
        ``today (r c + 1) - (1 - S) / (1 + e)`` with ``c = -e / (1 + e)``, no power needed; with
        the substitution's ``S_max / ln F x (F^(S / S_max) - 1) - S``, the day's figure is
        ``today (r c + 1) + S (1 / (1 + e) - 1) + S_max / ln F x F^(S / S_max) - (1 / (1 + e) + S_max / ln F)``.
        The substituted share never exceeds ``S_max`` (it moves toward shares up to it), nor
        ``1 - f`` here.
        """
        r = np.asarray(price_ratio, float)
        if today is None:
            today = np.maximum(self.floor_share, (1.0 - substituted) * np.power(r, self.elasticity))
        if self.plain:
            # worked in place, in an array of the whole broadcast shape
            lost = np.multiply(r, self.slope, out=np.empty(np.broadcast(r, today, substituted, self.slope).shape))
            lost += 1.0
            lost *= today
            lost += substituted * self.slope
            if self.substitution:
                powered = np.exp(substituted * self.rate)  # F^(S / S_max)
                powered *= self.scale
                lost += powered
                lost -= self.constant
            else:
                lost -= self.inverse_e1
        else:
            kept = 1.0 - substituted
            lost = demand_integral(r, self.elasticity, kept, self.floor_share) - today * (r - 1.0)
            if self.substitution:
                gone = np.minimum(substituted, 1.0 - self.floor_share)
                lost = np.maximum(lost, 0.0) + (self.scale * np.expm1(gone * self.rate) - gone)
        # never negative (the curve falls, substituting costs): below 0 only by rounding next to r = 1
        return np.maximum(lost, 0.0, out=lost) if isinstance(lost, np.ndarray) else np.maximum(lost, 0.0)
