"""Seeds and random draws: one root seed per run, one sub-stream per random source.

Layer: model. A run's randomness depends only on its seed. Each source draws from its own stream
``SeedSequence(seed, spawn_key=(crc32(source name),))``:

- ``noise``: the demand noise of every region and material, one standard normal per
  day, region and material (in that order) whether or not the cell is noisy, so making
  one demand noisy never shifts the numbers of another. A batch draws them a block of
  days at a time (:class:`DemandNoise`), so its memory does not grow with the horizon;
- ``shock/<id>``: the timing and size of one random shock.

:class:`Draws` also carries the fixed values of a shock that may differ between the runs
of a batch (its perceived severity, an embargo's leak and release), so plans that differ
only in them share a batch (see :attr:`simulator.plan.ShockPlan.terms`).

Sweeps derive run seeds from (scenario seed, run index) with :func:`run_seed`, never
from worker state.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from simulator.plan import NOISE_SOURCE, Plan, ShockPlan
from simulator.scenario.schema import LogNormal, Triangular, Uniform

SEEDS_ADVISED = 200
"""The runs (seeds) the tool suggests where figures are one draw of what is random: compare's note
and the report's advice (``--runs 200``, ``--uncertainty 200``)."""


def run_seed(scenario_seed: int, run_index: int) -> int:
    """Seed of run ``run_index`` of a sweep: pass it to ``stockpile run --seed``.

    32 bits, so it survives every table format unchanged (floats hold it exactly).

    >>> run_seed(7, 0) == run_seed(7, 0) != run_seed(7, 1)
    True
    """
    state = np.random.SeedSequence(scenario_seed, spawn_key=(run_index,)).generate_state(1, np.uint32)
    return int(state[0])


_BLOCK_RUNS = 256  # runs per transposed block of noise draws (cache-sized)
NOISE_BLOCK_BYTES = 16_000_000
"""Memory of one block of a batch's demand noise: days per block = this / (8 x regions x materials x runs)."""


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


class DemandNoise:
    """Standard normals of a batch's demand noise: ``noise[day]`` is (region, material, run).

    Each noisy run draws from its own ``noise`` stream, in the order (day, region,
    material); the runs without noise get zeros. Runs with the same seed get the same
    numbers, drawn once. The days are drawn a block at a time
    (:data:`NOISE_BLOCK_BYTES`), each block continuing every run's stream where the
    previous one stopped, so the numbers are those of one draw of the whole horizon
    while memory holds one block. Days are meant to be asked for in order; asking for
    an earlier block starts the streams again (same numbers, more work).
    """

    def __init__(self, seeds: list[int | None], horizon_days: int, regions: int, materials: int) -> None:
        """``seeds``: per run, the run's seed, or None for a run without noise."""
        self.seeds = seeds
        # runs of a batch often share a seed (replicate k of every point of a sweep):
        # each distinct seed's stream is drawn once and its numbers copied to its runs
        self._distinct = list(dict.fromkeys(seeds))
        position = {seed: k for k, seed in enumerate(self._distinct)}
        self._of_run = None if len(self._distinct) == len(seeds) else np.array([position[s] for s in seeds])
        self.horizon_days = horizon_days
        self.cell_shape = (regions, materials)
        per_day = 8 * regions * materials * len(seeds)
        self.block_days = max(1, min(horizon_days, NOISE_BLOCK_BYTES // max(1, per_day)))
        self._streams: list[np.random.Generator | None] = []
        self._block = np.zeros((0, regions, materials, len(seeds)))
        self._first = 0  # first day of the block held
        self._restart()

    def _restart(self) -> None:
        self._streams = [None if seed is None else stream(seed, NOISE_SOURCE) for seed in self._distinct]
        self._first = -self.block_days  # no block drawn yet

    def __getitem__(self, day: int) -> np.ndarray:
        if not 0 <= day < self.horizon_days:
            raise IndexError(f"day {day} is outside 0..{self.horizon_days - 1}")
        if day < self._first:
            self._restart()
        while day >= self._first + self.block_days:
            self._draw_next_block()
        return self._block[day - self._first]

    def _draw_next_block(self) -> None:
        """The next block of days: drawn seed by seed, moved to the runs-last layout a group of seeds at a time."""
        first = self._first + self.block_days
        days = min(self.block_days, self.horizon_days - first)
        U = len(self._distinct)
        block = np.empty((days, *self.cell_shape, U))
        scratch = np.empty((min(U, _BLOCK_RUNS), days, *self.cell_shape))
        for start in range(0, U, _BLOCK_RUNS):
            group = range(start, min(U, start + _BLOCK_RUNS))
            for i, k in enumerate(group):
                generator = self._streams[k]
                if generator is None:
                    scratch[i] = 0.0
                else:
                    generator.standard_normal(out=scratch[i])
            block[..., group.start : group.stop] = np.moveaxis(scratch[: len(group)], 0, -1)
        self._block = block if self._of_run is None else block[..., self._of_run]
        self._first = first


@dataclass(frozen=True)
class Draws:
    """Everything random about a batch of runs (runs on the last axis)."""

    demand_z: DemandNoise | None
    """Standard normal draws of the demand noise, ``demand_z[day]`` of shape (region,
    material, run); None when no demand in the batch is noisy. See
    :func:`lognormal_parameters` for the multiplier they give."""
    shock_start: np.ndarray
    """First active day per shock, shape (shock, run)."""
    shock_end: np.ndarray
    """First inactive day per shock, shape (shock, run)."""
    shock_magnitude: np.ndarray
    """Severity, extra days or factor per shock, shape (shock, run)."""
    shock_perceived: np.ndarray
    """Severity a market perceives per shock (its magnitude unless stated), shape (shock, run)."""
    shock_leak_share: np.ndarray
    """Share of what an embargo stops that gets through anyway (0 for other shocks), shape (shock, run)."""
    shock_leak_extra_days: np.ndarray
    """Extra transit days of what leaks through, shape (shock, run) int."""
    shock_release_days: np.ndarray
    """Days over which an embargo's held goods ship once it ends (0: at once), shape (shock, run) int."""
    licence_processing: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray]]
    """Per licensing shock (by index): the share of a day's decisions made on each day ahead, shape (slot, run),
    each run's number of slots, shape (run,) int (a run with fewer slots than the batch's has zeros after its
    own), and the share of the targeted shipments that needs a licence, shape (run,): not drawn, each run's
    plan's own (:attr:`simulator.plan.ShockPlan.processing_shares`, ``end_use_share``)."""


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
    on the batch it is drawn in. The fixed terms of a shock are worked out once per
    shock object: the plans of a grid, patched from one plan, share their unpatched shocks.
    """
    st = plans[0].structure
    H, R, M = st.horizon_days, len(st.regions), len(st.materials)
    B, K = len(plans), len(plans[0].shocks)
    by_shock: dict[int, tuple[float, ...]] = {}  # id(shock) -> its fixed terms
    terms: dict[int, list[float]] = {}  # id(plan) -> its shocks' terms; a batch often repeats a few plans
    drawn: dict[int, list[tuple[int, ShockPlan]]] = {}  # id(plan) -> its random shocks and their indices
    for plan in plans:
        if id(plan) not in terms:
            for shock in plan.shocks:
                if id(shock) not in by_shock:
                    by_shock[id(shock)] = _fixed_terms(shock)
            terms[id(plan)] = [term for shock in plan.shocks for term in by_shock[id(shock)]]
            drawn[id(plan)] = [(k, shock) for k, shock in enumerate(plan.shocks) if shock.is_random]
    table = np.array([terms[id(plan)] for plan in plans], dtype=np.float64)
    table = table.reshape(B, K, len(_TERM_TYPES)).transpose(2, 1, 0)  # term, shock, run
    start, end, magnitude, perceived, leak_share, leak_extra, release = (
        np.ascontiguousarray(table[t], dtype=dtype) for t, dtype in enumerate(_TERM_TYPES)
    )
    noisy = [NOISE_SOURCE in plan.random_sources for plan in plans]
    demand_z = None
    if any(noisy):
        demand_z = DemandNoise([seed if on else None for on, seed in zip(noisy, seeds, strict=True)], H, R, M)
    for b, (plan, seed) in enumerate(zip(plans, seeds, strict=True)):
        for k, shock in drawn[id(plan)]:
            start[k, b], end[k, b], magnitude[k, b] = _shock_values(shock, stream(seed, shock.source))
            if shock.perceived is None:
                perceived[k, b] = magnitude[k, b]
    processing = {k: _processing(plans, k) for k, shock in enumerate(plans[0].shocks) if shock.kind == "licensing"}
    return Draws(demand_z, start, end, magnitude, perceived, leak_share, leak_extra, release, processing)


def _processing(plans: list[Plan], k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Licensing shock ``k``'s processing shares of each run (slot, run; zeros past a run's own), slots, end use."""
    own = [plan.shocks[k].processing_shares for plan in plans]
    slots = np.array([len(shares) for shares in own], dtype=np.int64)
    table = np.zeros((int(slots.max()), len(plans)))
    for b, shares in enumerate(own):
        table[: len(shares), b] = shares
    return table, slots, np.array([plan.shocks[k].end_use_share for plan in plans])


_TERM_TYPES = (np.int64, np.int64, np.float64, np.float64, np.float64, np.int64, np.int64)
"""Element types of :func:`_fixed_terms`, in the order of :class:`Draws`'s shock fields."""


def _fixed_terms(shock: ShockPlan) -> tuple[float, ...]:
    """Start, end, magnitude, perceived severity, leak share, leak extra days and release days of a shock.

    A random shock's first four are 0 here: each run draws them.
    """
    start, end, magnitude = (0, 0, 0.0) if shock.is_random else _shock_values(shock, None)
    perceived = magnitude if shock.perceived is None else shock.perceived
    return (start, end, magnitude, perceived, shock.leak_share, shock.leak_extra_days, shock.release_days)


def lognormal_parameters(cv: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``mu`` and ``sigma`` of a lognormal demand multiplier with mean 1 and coefficient of variation ``cv``.

    The day's multiplier is ``exp(mu + sigma * z)`` for the day's standard normal ``z``,
    with ``sigma^2 = ln(1 + cv^2)`` and ``mu = -sigma^2 / 2``; ``cv = 0`` gives exactly 1.

    >>> mu, sigma = lognormal_parameters(np.array([0.0, 0.5]))
    >>> float(np.exp(mu[0] + sigma[0] * 1.3)), round(float(sigma[1] ** 2), 6)
    (1.0, 0.223144)
    """
    sigma2 = np.log1p(np.square(cv))
    return -sigma2 / 2.0, np.sqrt(sigma2)
