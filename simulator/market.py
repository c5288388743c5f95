"""The market's equations as pure functions: price formation, demand response, stocking.

Layer: model. The kernel (:mod:`simulator.kernel.pricing`) applies them each day to a
batch of runs; here each is a formula on arrays of any shape, checked by hand. Prices
are USD/kg, quantities tonnes, times days. A first-order adjustment with time ``tau``
closes the share ``1/tau`` of the gap each day (about 63% in ``tau`` days), so
``tau = 1`` means "at once".

The structure is the standard commodity formulation of system-dynamics models of
metal markets (Sterman, *Business Dynamics*, 2000, ch. 20; used for rare earths by
Sprecher et al., ES&T 2017): an indicated price from the market's cover, a price that
adjusts to it with a lag, demand that answers the price at once (elasticity) and over
months (substitution, part of it permanent), and buyers whose desired cover rises with
the supply risk they perceive (precautionary buying) and falls back when it fades.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array


def indicated_price(reference_usd_per_kg: Array, cover_ratio: Array, sensitivity: Array) -> Array:
    """``P* = P0 x X^(-s)``: the price the market's cover ratio ``X`` indicates (USD/kg).

    ``X`` is the buyers' inventory positions over the positions they want: 1 at normal
    cover, below 1 when stocks are short of what buyers want. A ratio of 0 indicates an
    unbounded price (the cap applies later).

    >>> indicated_price(np.array(100.0), np.array([1.0, 0.5, 2.0]), np.array(2.0))
    array([100., 400.,  25.])
    """
    with np.errstate(divide="ignore"):
        return reference_usd_per_kg * np.power(np.maximum(cover_ratio, 0.0), -sensitivity)


def adjust_price(price: Array, indicated: Array, adjustment_days: Array, floor: Array, cap: Array) -> Array:
    """Move the price toward the indicated price in logarithms, within ``[floor, cap]``.

    ``ln P' = ln P + (ln P* - ln P) / tau``: the price closes a share ``1/tau`` of its
    log-gap a day (a tenfold gap shrinks to 10^(1-1/tau)-fold after one day).

    >>> round(float(adjust_price(np.array(100.0), np.array(400.0), np.array(2.0), np.array(1.0), np.array(1e4))), 9)
    200.0
    >>> float(adjust_price(np.array(100.0), np.array(1e9), np.array(1.0), np.array(1.0), np.array(5000.0)))
    5000.0
    """
    # ndarray.clip is what np.clip calls (a third of its cost on the kernel's small arrays)
    target = np.asarray(indicated).clip(floor, cap)
    log_price = np.log(price)
    moved = np.exp(log_price + (np.log(target) - log_price) / adjustment_days)
    return moved.clip(floor, cap)


def demand_factor(price_ratio: Array, elasticity: Array, substitution: Array, floor_share: Array) -> Array:
    """Realised over potential demand: ``max(floor, (1 - S) x (P/P0)^elasticity)``.

    Potential demand is baseline x surges x noise; ``S`` is the substituted share. With
    elasticity -0.1, a tenfold price cuts daily use by ``1 - 10^-0.1 = 20.6%``.

    >>> demand_factor(np.array([1.0, 10.0, 10.0]), np.array(-0.1), np.array([0.0, 0.0, 0.5]), np.array(0.45))
    array([1.        , 0.79432823, 0.45      ])
    """
    return np.maximum(floor_share, (1.0 - substitution) * np.power(price_ratio, elasticity))


def indicated_substitution(price_ratio: Array, max_share: Array, log_full_price_ratio: Array) -> Array:
    """Share of demand worth substituting at a price ratio: ``max_share x ln(p) / ln(full)``, in [0, max_share].

    Takes ``ln(full)``, the log of the price ratio at which the whole ``max_share`` is
    substituted: it is a fixed input, so a kernel takes its log once, not every day.

    >>> indicated_substitution(np.array([0.5, 1.0, 10.0, 100.0]), np.array(0.3), np.log(100.0))
    array([0.  , 0.  , 0.15, 0.3 ])
    """
    share = np.log(np.maximum(price_ratio, 1.0)) / log_full_price_ratio
    return max_share * share.clip(0.0, 1.0)  # np.clip's own call, as in adjust_price


def step_substitution(
    share: Array, peak: Array, indicated: Array, adjustment_days: Array, permanent_share: Array
) -> tuple[Array, Array]:
    """One day of substitution: toward the indicated share, never below the permanent part of its peak.

    Returns the new share and the new peak. When prices fall, the share falls toward
    ``max(indicated, permanent_share x peak)``: magnet makers who cut their Dy use keep
    part of the cut.

    >>> one = np.array(1.0)
    >>> [float(x) for x in step_substitution(0.1 * one, 0.1 * one, 0.3 * one, 10 * one, 0.5 * one)]
    [0.12, 0.12]
    >>> [float(x) for x in step_substitution(0.2 * one, 0.2 * one, 0 * one, one, 0.5 * one)]
    [0.1, 0.2]
    """
    goal = np.where(indicated >= share, indicated, np.maximum(indicated, permanent_share * peak))
    new = share + (goal - share) / adjustment_days
    return new, np.maximum(peak, new)


def indicated_risk(perceived_severity: Array, exposure: Array) -> Array:
    """Perceived risk from active threats: ``1 - prod_k (1 - s_k e_k)`` over the first axis.

    ``s_k`` is a shock's perceived severity, ``e_k`` the share of the material's normal
    supply on the routes it touches.

    >>> float(indicated_risk(np.array([0.72, 1.0]), np.array([1.0, 0.5])))
    0.86
    """
    calm: Array = np.asarray(1.0)
    for severity, share in zip(perceived_severity, exposure, strict=True):  # left to right, in every batch
        calm = calm * (1.0 - severity * share)
    return 1.0 - calm


def step_risk(risk: Array, indicated: Array, perception_days: Array, memory_days: Array) -> Array:
    """One day of perceived risk: rises with the perception time, fades with the memory time.

    >>> step_risk(np.array([0.0, 0.5]), np.array([0.7, 0.0]), np.array(14.0), np.array(100.0))
    array([0.05 , 0.495])
    """
    tau = np.where(indicated > risk, perception_days, memory_days)
    return risk + (indicated - risk) / tau


def desired_cover(normal_cover_days: Array, precaution_gain: Array, risk: Array) -> Array:
    """Cover buyers want (days): ``normal x (1 + gain x risk)``.

    >>> float(desired_cover(np.array(45.0), np.array(2.0), np.array(0.5)))
    90.0
    """
    return normal_cover_days * (1.0 + precaution_gain * risk)


def smooth(value: Array, goal: Array, adjustment_days: Array) -> Array:
    """One day of first-order adjustment: ``x + (goal - x) / tau``.

    >>> float(smooth(np.array(10.0), np.array(20.0), np.array(4.0)))
    12.5
    """
    return value + (goal - value) / adjustment_days
