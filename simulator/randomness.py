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

    32 bits, so it survives every table format unchanged (floats hold it exactly).

    >>> run_seed(7, 0) == run_seed(7, 0) != run_seed(7, 1)
    True
    """
    state = np.random.SeedSequence(scenario_seed, spawn_key=(run_index,)).generate_state(1, np.uint32)
    return int(state[0])


def stream(seed: int, source: str) -> np.random.Generator:
    """The generator of one named random source of a run."""
    return _generator(seed, zlib.crc32(source.encode()))


def _generator(seed: int, key: int) -> np.random.Generator:
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
    return draw_batch([plan], [seed])


def draw_batch(plans: list[Plan], seeds: list[int]) -> Draws:
    """The random inputs of runs ``plans[b]`` with ``seeds[b]``, written straight into batch arrays.

    Each run draws only from its own seed's streams, so a run's numbers do not depend
    on the batch it is drawn in.
    """
    st = plans[0].structure
    B, H, R, M = len(plans), st.horizon_days, len(st.regions), len(st.materials)
    sources = [_noise_sources(plan) for plan in plans]
    noise = np.ones((B, H, R, M)) if any(sources) else None
    fixed = [_fixed_shock_values(plan) for plan in plans]
    start = np.concatenate([f[0] for f in fixed])
    end = np.concatenate([f[1] for f in fixed])
    magnitude = np.concatenate([f[2] for f in fixed])
    for b, (plan, seed) in enumerate(zip(plans, seeds, strict=True)):
        for i, j, key, mu, sigma in sources[b]:
            noise[b, :, i, j] = _generator(seed, key).lognormal(mu, sigma, size=H)  # type: ignore[index]
        for k, shock in enumerate(plan.shocks):
            if shock.is_random:
                start[b, k], end[b, k], magnitude[b, k] = _shock_values(shock, stream(seed, f"shock/{shock.id}"))
    return Draws(noise, start, end, magnitude)


def _noise_sources(plan: Plan) -> list[tuple[int, int, int, float, float]]:
    """Noisy cells of a plan: (region, material, stream key, mu, sigma) (cached per plan).

    Demand noise is lognormal with mean 1 and coefficient of variation ``cv``:
    ``sigma^2 = ln(1 + cv^2)``, ``mu = -sigma^2 / 2``.
    """
    cached = plan.__dict__.get("_noise_sources")
    if cached is None:
        st, cv = plan.structure, plan.noise_cv[0]
        cached = []
        for i, j in zip(*np.nonzero(cv > 0), strict=True):
            sigma2 = float(np.log1p(cv[i, j] ** 2))
            key = zlib.crc32(f"noise/{st.regions[i]}/{st.materials[j]}".encode())
            cached.append((int(i), int(j), key, -sigma2 / 2.0, float(np.sqrt(sigma2))))
        object.__setattr__(plan, "_noise_sources", cached)
    return cached


def _fixed_shock_values(plan: Plan) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Start, end and magnitude of every shock with random ones left at 0 (cached per plan)."""
    cached = plan.__dict__.get("_fixed_shocks")
    if cached is None:
        K = len(plan.shocks)
        start, end, magnitude = np.zeros((1, K), np.int64), np.zeros((1, K), np.int64), np.zeros((1, K))
        for k, shock in enumerate(plan.shocks):
            if not shock.is_random:
                start[0, k], end[0, k], magnitude[0, k] = _shock_values(shock, None)
        for array in (start, end, magnitude):
            array.flags.writeable = False
        cached = (start, end, magnitude)
        object.__setattr__(plan, "_fixed_shocks", cached)
    return cached
