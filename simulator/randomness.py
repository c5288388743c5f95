"""Seeds and random draws: one root seed per run, one sub-stream per random source.

A run's randomness depends only on its seed. Each source (the demand noise of one
region and material, the timing and size of one shock) draws from its own stream
``SeedSequence(seed, spawn_key=(crc32(source name),))``, so adding a source never
shifts the numbers of the others. Sweeps derive run seeds from (scenario seed, run
index) with :func:`run_seed`, never from worker state.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from simulator.plan import Plan, ShockPlan
from simulator.scenario.schema import LogNormal, Triangular, Uniform


def run_seed(scenario_seed: int, run_index: int) -> int:
    """Seed of run ``run_index`` of a sweep: pass it to ``stockpile run --seed``.

    >>> run_seed(7, 0) == run_seed(7, 0) != run_seed(7, 1)
    True
    """
    state = np.random.SeedSequence(scenario_seed, spawn_key=(run_index,)).generate_state(2, np.uint32)
    return int(state[0]) << 31 | int(state[1] >> 1)


def stream(seed: int, source: str) -> np.random.Generator:
    """The generator of one named random source of a run."""
    key = zlib.crc32(source.encode())
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(key,))))


def draw(spec: object, rng: np.random.Generator | None) -> float:
    """One value: a fixed number is returned as is, a distribution is sampled.

    Lognormal parameters are the mean ``m`` and sd ``s`` of the value itself:
    ``sigma^2 = ln(1 + s^2/m^2)`` and ``mu = ln(m) - sigma^2/2``.
    """
    if isinstance(spec, Uniform):
        assert rng is not None
        return float(rng.uniform(spec.low, spec.high))
    if isinstance(spec, Triangular):
        assert rng is not None
        if spec.low == spec.high:
            return float(spec.low)
        return float(rng.triangular(spec.low, spec.mode, spec.high))
    if isinstance(spec, LogNormal):
        assert rng is not None
        sigma2 = np.log1p((spec.sd / spec.mean) ** 2)
        return float(rng.lognormal(np.log(spec.mean) - sigma2 / 2.0, np.sqrt(sigma2)))
    return float(spec)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Draws:
    """Everything random about a batch of runs (leading axis = runs)."""

    noise: np.ndarray | None
    """Demand multipliers, shape (B, H, R, M); None when no demand is noisy."""
    shock_start: np.ndarray
    """First active day per shock, shape (B, K)."""
    shock_end: np.ndarray
    """First inactive day per shock, shape (B, K)."""
    shock_magnitude: np.ndarray
    """Severity, extra days or factor per shock, shape (B, K)."""


def _shock_values(shock: ShockPlan, rng: np.random.Generator | None) -> tuple[int, int, float]:
    start = int(np.rint(draw(shock.start, rng)))
    if shock.end is not None:
        end = int(shock.end)
    else:
        end = start + max(1, int(np.rint(draw(shock.duration, rng))))
    magnitude = draw(shock.magnitude, rng)
    if shock.kind in ("embargo", "quota_cut"):
        magnitude = float(np.clip(magnitude, 0.0, 1.0))
    elif shock.kind == "delay":
        magnitude = float(max(0, int(np.rint(magnitude))))
    else:
        magnitude = max(0.0, magnitude)
    return start, end, magnitude


def draw_run(plan: Plan, seed: int) -> Draws:
    """The random inputs of one run of a (single-run) plan."""
    st = plan.structure
    horizon, R, M = st.horizon_days, len(st.regions), len(st.materials)
    cv = plan.noise_cv[0]
    noise = None
    if np.any(cv > 0):
        noise = np.ones((1, horizon, R, M))
        for i, region in enumerate(st.regions):
            for j, material in enumerate(st.materials):
                if cv[i, j] > 0:
                    sigma2 = np.log1p(cv[i, j] ** 2)
                    rng = stream(seed, f"noise/{region}/{material}")
                    noise[0, :, i, j] = rng.lognormal(-sigma2 / 2.0, np.sqrt(sigma2), size=horizon)
    values = [_shock_values(sh, stream(seed, f"shock/{sh.id}") if sh.is_random else None) for sh in plan.shocks]
    K = len(values)
    start = np.array([[v[0] for v in values]], dtype=np.int64).reshape(1, K)
    end = np.array([[v[1] for v in values]], dtype=np.int64).reshape(1, K)
    magnitude = np.array([[v[2] for v in values]], dtype=float).reshape(1, K)
    return Draws(noise, start, end, magnitude)


def stack_draws(draws: list[Draws]) -> Draws:
    """Concatenate the draws of several runs along the batch axis."""
    noisy = [d.noise for d in draws]
    if all(n is None for n in noisy):
        noise = None
    else:
        template = next(n for n in noisy if n is not None)
        noise = np.concatenate([n if n is not None else np.ones_like(template) for n in noisy])
    return Draws(
        noise,
        np.concatenate([d.shock_start for d in draws]),
        np.concatenate([d.shock_end for d in draws]),
        np.concatenate([d.shock_magnitude for d in draws]),
    )
