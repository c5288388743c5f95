"""Classic rules of the claims (bankruptcy) problem, for sharing a release among gaps.

Layer: rules. Claims are the members' gaps ``g_i`` (t) and the estate is
``E = min(available, sum(g))`` (t). Worked check from the fair-division literature:
releasing 60 t against gaps of 20 t and 80 t gives proportional 12/48, constrained
equal awards 20/40, constrained equal losses 0/60 and the Talmud rule 10/50. Members
are on the first axis; any batch shape follows.
"""

from __future__ import annotations

import numpy as np

from simulator.numeric import Array, level_allocation, ordered_sum
from simulator.release.inputs import RuleInputs


def _estate(claims: Array, available: Array) -> Array:
    return np.minimum(np.asarray(available, float), ordered_sum(claims, axis=0))


def proportional_to_claims(claims: Array, available: Array) -> Array:
    """Awards in proportion to claims: ``a_i = E * g_i / sum(g)``.

    Claims 100, 50 and 150 against an estate of 100: each gets a third of its claim.

    >>> proportional_to_claims(np.array([20.0, 80.0]), np.array(60.0))
    array([12., 48.])
    >>> proportional_to_claims(np.array([100.0, 50.0, 150.0]), np.array(100.0)).round(4)
    array([33.3333, 16.6667, 50.    ])
    """
    claims = np.asarray(claims, float)
    total = ordered_sum(claims, axis=0)
    estate = _estate(claims, available)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(total[None] > 0, claims * (estate / total)[None], 0.0)


def equal_awards(claims: Array, available: Array) -> Array:
    """Constrained equal awards: ``a_i = min(g_i, L)`` with one level ``L`` for all.

    >>> equal_awards(np.array([20.0, 80.0]), np.array(60.0))
    array([20., 40.])
    """
    claims = np.asarray(claims, float)
    return level_allocation(np.ones_like(claims), np.zeros_like(claims), claims, _estate(claims, available))


def equal_losses(claims: Array, available: Array) -> Array:
    """Constrained equal losses: ``a_i = max(0, g_i - L)`` with one loss ``L`` for all.

    >>> equal_losses(np.array([20.0, 80.0]), np.array(60.0))
    array([ 0., 60.])
    """
    claims = np.asarray(claims, float)
    return level_allocation(np.ones_like(claims), -claims, claims, _estate(claims, available))


def talmud(claims: Array, available: Array) -> Array:
    """The Talmud rule (Aumann and Maschler, 1985).

    If ``E <= sum(g)/2``: constrained equal awards on the half-claims ``g/2``.
    Otherwise every member gets its half-claim and the losses ``sum(g) - E`` are
    shared by constrained equal awards on the half-claims:
    ``a_i = g_i - CEA(g/2, sum(g) - E)_i``.

    >>> talmud(np.array([20.0, 80.0]), np.array(60.0))
    array([10., 50.])
    >>> talmud(np.array([100.0, 200.0, 300.0]), np.array(200.0))
    array([50., 75., 75.])
    """
    claims = np.asarray(claims, float)
    half = claims / 2.0
    total = ordered_sum(claims, axis=0)
    estate = _estate(claims, available)
    low = equal_awards(half, estate)
    losses = equal_awards(half, total - estate)
    return np.where((estate <= total / 2.0)[None], low, claims - losses)


def allocate_proportional_to_claims(x: RuleInputs) -> Array:
    """:func:`proportional_to_claims` of the gaps."""
    return proportional_to_claims(x.gaps_t, x.available_t)


def allocate_equal_awards(x: RuleInputs) -> Array:
    """:func:`equal_awards` of the gaps."""
    return equal_awards(x.gaps_t, x.available_t)


def allocate_equal_losses(x: RuleInputs) -> Array:
    """:func:`equal_losses` of the gaps."""
    return equal_losses(x.gaps_t, x.available_t)


def allocate_talmud(x: RuleInputs) -> Array:
    """:func:`talmud` of the gaps."""
    return talmud(x.gaps_t, x.available_t)
