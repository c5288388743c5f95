"""Demand noise drawn a block of days at a time gives each run its stream's numbers, in order."""

from __future__ import annotations

import numpy as np
import pytest

import simulator.randomness as randomness
from simulator.plan import NOISE_SOURCE, compile_plan
from simulator.randomness import DemandNoise, draw_batch, stream
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, build
from tests.test_fastpath import RANDOM_START_DELAY, assert_batch_equals_reference

SEEDS = [11, None, 7]  # the second run has no noise
DAYS, REGIONS, MATERIALS = 10, 2, 3


@pytest.fixture
def three_day_blocks(monkeypatch):
    # 8 bytes x 2 regions x 3 materials x 3 runs = 144 bytes a day
    monkeypatch.setattr(randomness, "NOISE_BLOCK_BYTES", 3 * 144)


def test_blocks_of_days_continue_each_runs_stream(three_day_blocks):
    noise = DemandNoise(SEEDS, DAYS, REGIONS, MATERIALS)
    assert noise.block_days == 3  # 10 days: blocks of 3, 3, 3 and 1
    whole = {b: stream(seed, NOISE_SOURCE).standard_normal((DAYS, REGIONS, MATERIALS)) for b, seed in [(0, 11), (2, 7)]}
    for day in range(DAYS):
        today = noise[day]
        assert today.shape == (REGIONS, MATERIALS, 3)
        assert np.array_equal(today[..., 0], whole[0][day])
        assert np.array_equal(today[..., 2], whole[2][day])
        assert not today[..., 1].any()


def test_an_earlier_day_after_a_later_one_gives_the_same_numbers(three_day_blocks):
    noise = DemandNoise(SEEDS, DAYS, REGIONS, MATERIALS)
    late = noise[9].copy()
    early = noise[1].copy()  # starts the streams again
    assert np.array_equal(noise[9], late)
    assert np.array_equal(early[..., 0], stream(11, NOISE_SOURCE).standard_normal((DAYS, REGIONS, MATERIALS))[1])
    with pytest.raises(IndexError):
        noise[DAYS]


def test_a_block_holds_the_days_that_fit_in_its_memory():
    noise = DemandNoise([1] * 2500, 3650, 20, 2)
    assert noise.block_days == randomness.NOISE_BLOCK_BYTES // (8 * 20 * 2 * 2500)
    noise[0]
    assert noise[0].base.nbytes <= randomness.NOISE_BLOCK_BYTES  # one block, not 3,650 days


def test_a_batch_in_blocks_of_days_equals_the_reference_engine(monkeypatch):
    # blocks of 4 days for the batch of 12 runs (and of 48 days for the engine's single run)
    monkeypatch.setattr(randomness, "NOISE_BLOCK_BYTES", 4 * 8 * 2 * 12)
    data = build(
        TWO_MEMBERS,
        horizon_days=45,
        shocks=[RANDOM_START_DELAY],
        regions__japan__demand__ree__noise_cv=0.3,
        regions__eu__demand__ree__noise_cv=0.1,
        regions__japan__commercial_stock__ree__tonnes=100,
        regions__eu__commercial_stock__ree__tonnes=400,
    )
    plan = compile_plan(validate_data(data))
    assert draw_batch([plan] * 12, list(range(12))).demand_z.block_days == 4
    assert_batch_equals_reference(data, seeds=list(range(12)))


def test_runs_that_share_a_seed_get_its_stream_drawn_once(three_day_blocks, monkeypatch):
    seeds = [11, None, 7, 11, 7, None]  # replicate k of each point of a sweep shares seed k
    drawn = []
    monkeypatch.setattr(randomness, "stream", lambda seed, source: drawn.append(seed) or stream(seed, source))
    noise = DemandNoise(seeds, DAYS, REGIONS, MATERIALS)
    assert noise.block_days == 1  # 144 bytes a day for 3 runs: 6 runs take 288, so blocks of one day
    whole = {seed: stream(seed, NOISE_SOURCE).standard_normal((DAYS, REGIONS, MATERIALS)) for seed in (11, 7)}
    for day in range(DAYS):
        today = noise[day]
        assert today.shape == (REGIONS, MATERIALS, 6)
        for run, seed in enumerate(seeds):
            expected = np.zeros((REGIONS, MATERIALS)) if seed is None else whole[seed][day]
            assert np.array_equal(today[..., run], expected), (day, run)
    assert sorted(drawn) == [7, 11]  # one stream per distinct seed
