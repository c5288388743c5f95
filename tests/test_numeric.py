"""Ordered reductions (strictly left to right on every axis, whatever the layout) and
the level solver behind every sharing rule (a binary search giving the very numbers of
summing the awards at every breakpoint)."""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

import simulator.numeric
from simulator.numeric import level_allocation, ordered_sum, slice_max


def test_ordered_sum_adds_slices_left_to_right_on_the_first_axis():
    # 1e16 + 1 rounds back to 1e16 (the spacing of doubles there is 2), twice: 1e16;
    # adding the ones first would give 1e16 + 2
    x = np.array([[1e16, 1.0], [1.0, 1.0], [1.0, 1e16]])
    assert ordered_sum(x, axis=0).tolist() == [1e16, 1e16 + 2]
    assert ordered_sum(x[::-1], axis=0).tolist() == [1e16 + 2, 1e16]


def test_ordered_sum_is_the_same_on_any_axis_and_layout():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(5, 3, 7)) * 10.0 ** rng.integers(-8, 8, size=(5, 3, 7))
    by_hand = (((x[0] + x[1]) + x[2]) + x[3]) + x[4]
    assert ordered_sum(x, axis=0).tobytes() == by_hand.tobytes()
    moved = np.ascontiguousarray(np.moveaxis(x, 0, -1))
    assert ordered_sum(moved, axis=-1).tobytes() == by_hand.tobytes()
    assert ordered_sum(np.moveaxis(x, 0, 1), axis=1).tobytes() == by_hand.tobytes()
    assert ordered_sum(x[:1], axis=0).tobytes() == x[0].tobytes()
    assert slice_max(x, axis=0).tobytes() == x.max(axis=0).tobytes()


@pytest.mark.parametrize("members", [8, 9, 32, 69])
@pytest.mark.parametrize("tail", [(2,), (1, 2), (2, 1, 1), (6, 312), (1, 1, 17)])
def test_ordered_sum_of_many_members_is_the_left_fold(members, tail):
    # from REDUCE_FROM_SLICES slices NumPy's own reduction does the sum: it must still add
    # slice after slice, never pairwise (which moves the last bits of such sums)
    rng = np.random.default_rng(members)
    x = rng.normal(size=(members, *tail)) * 10.0 ** rng.integers(-8, 8, size=(members, *tail))
    by_hand = x[0].copy()
    for member in x[1:]:
        by_hand = by_hand + member
    assert ordered_sum(x, axis=0).tobytes() == by_hand.tobytes()
    assert slice_max(x, axis=0).tobytes() == x.max(axis=0).tobytes()


def test_ordered_sum_of_many_slices_of_one_value_is_the_left_fold_too():
    # one value a slice: NumPy's reduction would run along its inner loop and group the
    # values (here its sum differs from the left fold in the last bit)
    values = [2e10, 1e6, -1e10, -3e16, 1e12, -2e15, -30.0, 100.0]
    by_hand = 0.0
    for value in values:
        by_hand = by_hand + value
    x = np.array(values)[:, None]
    assert np.add.reduce(x, axis=0)[0] != by_hand  # what the fold must not do
    assert ordered_sum(x, axis=0).tolist() == [by_hand]
    # nor may it when the slices are strided, each member's values side by side in memory
    side_by_side = np.ascontiguousarray(np.tile(values, (3, 1))).T
    assert ordered_sum(side_by_side, axis=0).tolist() == [by_hand] * 3


# --- level_allocation: the binary search against summing at every breakpoint ----------


def _left_to_right(rows: np.ndarray) -> np.ndarray:
    total = rows[0]
    for row in rows[1:]:
        total = total + row
    return total


def breakpoint_sums(w: np.ndarray, b: np.ndarray, c: np.ndarray) -> tuple[np.ndarray, ...]:
    """Each member's low and high breakpoint, all of them sorted, and the awards summed at each."""
    with np.errstate(divide="ignore", invalid="ignore"):
        low = np.where(w > 0, b / w, np.nan)
        high = np.where(w > 0, (b + c) / w, np.nan)
    points = np.concatenate([low, high])
    top = np.max(np.where(np.isnan(points), -np.inf, points), axis=0)
    points = np.sort(np.where(np.isnan(points), np.where(np.isfinite(top), top, 0.0), points), axis=0)
    sums = np.array([_left_to_right(np.clip(level * w - b, 0.0, c)) for level in points])
    return low, high, points, sums


def full_evaluation(w: np.ndarray, b: np.ndarray, c: np.ndarray, total: np.ndarray) -> np.ndarray:
    """The O(n^2) solver: sum the awards at every sorted breakpoint, find the segment, interpolate."""
    w, b, c = np.broadcast_arrays(w, b, c)
    low, high, points, sums = breakpoint_sums(w, b, c)
    target = np.minimum(total, sums[-1])
    k = np.clip(np.sum(sums <= target, axis=0) - 1, 0, len(points) - 1)
    level = np.take_along_axis(points, k[None], axis=0)[0]
    base = np.take_along_axis(sums, k[None], axis=0)[0]
    slope = _left_to_right(np.where((w > 0) & (low <= level) & (level < high), w, 0.0))
    with np.errstate(divide="ignore", invalid="ignore"):
        level = level + np.where(slope > 0, (target - base) / slope, 0.0)
    return np.clip(level * w - b, 0.0, c)


def searched(w: np.ndarray, b: np.ndarray, c: np.ndarray, total: np.ndarray) -> np.ndarray:
    """:func:`level_allocation` with the binary search whatever the size."""
    with (
        mock.patch.object(simulator.numeric, "FULL_EVALUATION_MEMBERS", 0),
        mock.patch.object(simulator.numeric, "FULL_EVALUATION_VALUES", 0),
    ):
        return level_allocation(w, b, c, total)


# small integers make breakpoints and sums tie; thirds and random floats make rounding
WEIGHT = st.one_of(st.just(0.0), st.integers(1, 4).map(float), st.floats(1e-3, 10.0))
OFFSET = st.one_of(st.just(0.0), st.integers(-20, 20).map(float), st.floats(-50.0, 50.0))
CAP = st.one_of(st.just(0.0), st.integers(1, 30).map(lambda x: x / 3), st.floats(0.0, 100.0))


@st.composite
def allocation_problems(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    members = draw(st.integers(1, 40))
    batch = draw(st.sampled_from([(), (1,), (3,), (2, 3)]))
    shape = (members, *batch)
    w, b, c = (draw(arrays(np.float64, shape, elements=e)) for e in (WEIGHT, OFFSET, CAP))
    if draw(st.booleans()):  # totals from nothing to past the sum of the caps
        fraction = draw(arrays(np.float64, batch, elements=st.sampled_from([0.0, 0.25, 0.5, 0.999, 1.0, 1.5])))
        extra = draw(arrays(np.float64, batch, elements=st.sampled_from([0.0, 1.0, 7.3])))
        return w, b, c, fraction * c.sum(axis=0) + extra
    # totals exactly what the awards sum to at a breakpoint: the sums tie with the target
    sums = breakpoint_sums(w, b, c)[3]
    at = draw(arrays(np.intp, batch, elements=st.integers(0, 2 * members - 1)))
    return w, b, c, np.take_along_axis(sums, at[None], axis=0)[0]


@settings(max_examples=150, deadline=None)
@given(allocation_problems())
def test_level_search_gives_the_very_numbers_of_the_full_evaluation(problem):
    expected = full_evaluation(*problem)
    assert searched(*problem).tobytes() == expected.tobytes()
    assert level_allocation(*problem).tobytes() == expected.tobytes()  # whichever path the sizes choose


def test_level_search_matches_on_a_batch_the_size_of_a_32_member_sweep():
    rng = np.random.default_rng(5)
    shape = (32, 2, 312)  # members x materials x runs, as a 32-member club's sweep batches them
    w = np.broadcast_to(rng.random((32, 1, 1)) * (rng.random((32, 1, 1)) > 0.2), shape)  # some zero
    c = rng.choice([0.0, 5.0, 40.0], size=shape) * rng.random(shape)
    b = rng.normal(size=shape) * 5.0
    total = rng.choice([0.0, 50.0, 200.0, 1e4], size=shape[1:])  # 1e4: more than every cap
    for offsets in (np.zeros(shape), b):
        expected = full_evaluation(w, offsets, c, total)
        assert level_allocation(w, offsets, c, total).tobytes() == expected.tobytes()


def test_level_search_on_totals_that_cover_every_cap():
    # the level is then the top breakpoint itself, not one interpolated from the one below
    # (the two differ in the last bit for a few percent of such problems)
    rng = np.random.default_rng(7)
    shape = (4, 2000)
    w = rng.random(shape) * (rng.random(shape) > 0.2)
    b = rng.normal(size=shape) * 10.0 * (rng.random(shape) > 0.5)
    c = rng.random(shape) * 50.0
    total = c.sum(axis=0) * rng.choice([1.0, 2.0], size=shape[1:])
    assert searched(w, b, c, total).tobytes() == full_evaluation(w, b, c, total).tobytes()


@pytest.fixture
def search_only(monkeypatch):
    """Every call takes the binary search, and the test fails if one does not."""
    monkeypatch.setattr(simulator.numeric, "FULL_EVALUATION_MEMBERS", 0)
    monkeypatch.setattr(simulator.numeric, "FULL_EVALUATION_VALUES", 0)
    calls = []
    search = simulator.numeric._segment_by_search
    monkeypatch.setattr(simulator.numeric, "_segment_by_search", lambda *a: calls.append(1) or search(*a))
    yield
    assert calls


def test_water_filling_among_twelve_members_by_hand(search_only):
    # equal weights, caps 1..12 t: the level L gives min(c_i, L). 28 t: caps 1 and 2
    # filled (3 t), the other ten share 25 t at L = 2.5; 12 t: L = 1 (exactly on the
    # first cap); 100 t is more than the 78 t of caps: every cap; nothing: nothing
    caps = np.arange(1.0, 13.0)[:, None] * np.ones(4)
    awards = level_allocation(np.ones_like(caps), np.zeros_like(caps), caps, np.array([28.0, 12.0, 100.0, 0.0]))
    assert awards[:, 0].tolist() == [1.0, 2.0] + [2.5] * 10
    assert awards[:, 1].tolist() == [1.0] * 12
    assert awards[:, 2].tolist() == caps[:, 2].tolist()
    assert awards[:, 3].tolist() == [0.0] * 12


def test_equal_losses_among_sixteen_members_by_hand(search_only):
    # claims 1..16 t (136 t), estate 105 t: 31 t of losses, equal losses of 2 t each
    # except the claims of 1 t (lost whole); the estate sits exactly on a breakpoint
    claims = np.arange(1.0, 17.0)
    awards = level_allocation(np.ones(16), -claims, claims, np.array(105.0))
    assert awards.tolist() == [0.0, 0.0, *np.arange(1.0, 15.0)]


def test_equal_cover_among_ten_members_by_hand(search_only):
    # demand 2 t/day each, own stocks 0, 10, ..., 90 t, gaps 100 t, 100 t released: the
    # poorest five are raised to 25 days of cover (50 t): 50 + 40 + 30 + 20 + 10 = 150 t
    # is too much; to L days, sum over stocks below 2L of (2L - s) = 100 t -> with the
    # four poorest (0..30 t, 60 t of stock) 8L - 60 = 100 gives L = 20 (40 t, stock 30 < 40)
    stock = np.arange(0.0, 100.0, 10.0)
    awards = level_allocation(np.full(10, 2.0), stock, np.full(10, 100.0), np.array(100.0))
    assert awards.tolist() == [40.0, 30.0, 20.0, 10.0] + [0.0] * 6


# --- level_allocation: weights tiny next to offsets and caps (subnormal ones too) ------


def _reachable(w: np.ndarray, b: np.ndarray, c: np.ndarray, total: np.ndarray) -> np.ndarray:
    """What the awards must sum to: the total, between the zero-weight members' fixed awards and those plus every
    other cap (``min(E, sum c)`` when every weight is positive)."""
    fixed = np.where(w > 0, 0.0, np.clip(-b, 0.0, c)).sum(axis=0)
    return np.clip(total, fixed, fixed + np.where(w > 0, c, 0.0).sum(axis=0))


def assert_allocates(w: np.ndarray, b: np.ndarray, c: np.ndarray, total: np.ndarray, awards: np.ndarray) -> None:
    w, b, c = np.broadcast_arrays(w, b, c)
    assert awards.shape == w.shape
    assert np.isfinite(awards).all()
    assert (awards >= 0.0).all() and (awards <= c).all()
    # to rounding: of the level times a weight, as large as an offset, a cap or the total
    scale = 1.0 + np.abs(total) + c.sum(axis=0) + np.abs(b).sum(axis=0)
    assert (np.abs(awards.sum(axis=0) - _reachable(w, b, c, total)) <= 1e-9 * scale).all()


TINY_WEIGHT = st.one_of(
    st.sampled_from([5e-324, 1e-323, 1e-310, 2.2e-308, 1e-300]),
    st.floats(5e-324, 2.2250738585072014e-308),  # subnormal
    st.floats(1e-300, 1e-200),
)
ANY_WEIGHT = st.one_of(st.just(0.0), TINY_WEIGHT, WEIGHT)


@st.composite
def tiny_weight_problems(draw: st.DrawFn) -> tuple[np.ndarray, ...]:
    members = draw(st.integers(1, 12))
    batch = draw(st.sampled_from([(), (1,), (3,), (2, 3)]))
    shape = (members, *batch)
    w = draw(arrays(np.float64, shape, elements=ANY_WEIGHT))
    b, c = (draw(arrays(np.float64, shape, elements=e)) for e in (OFFSET, CAP))
    fraction = draw(arrays(np.float64, batch, elements=st.sampled_from([0.0, 1e-6, 0.25, 0.5, 0.999, 1.0, 1.5])))
    extra = draw(arrays(np.float64, batch, elements=st.sampled_from([0.0, 1.0, 7.3])))
    return w, b, c, fraction * c.sum(axis=0) + extra


# where breakpoints leave the float range: long doubles (this machine's) or fractions (elsewhere)
OUT_OF_RANGE = pytest.mark.parametrize("wide", [True, False], ids=["longdouble", "fractions"])


@OUT_OF_RANGE
@settings(max_examples=300, deadline=None)
@given(problem=tiny_weight_problems())
def test_awards_stay_within_caps_and_sum_to_the_total_whatever_the_weights(wide, problem):
    # a breakpoint b / w or (b + c) / w past 1.8e308 once made the level inf: inf * 0 (nan)
    # for the members without weight, or every cap awarded whatever the total
    with mock.patch.object(simulator.numeric, "WIDE_FLOATS", wide, create=True):
        assert_allocates(*problem, level_allocation(*problem))
        assert_allocates(*problem, searched(*problem))


@OUT_OF_RANGE
def test_finite_levels_that_add_up_past_the_largest_float_warn_of_nothing(wide):
    # found by the property above (1 time in about 20 suite runs): in two batch elements a subnormal weight
    # beside an offset of 2 t puts the highest breakpoint near 1e308, finite; their sum overflowed, and that
    # one-number test warned "overflow encountered in reduce" (an error under this suite's warning filter)
    w, b, c = (np.zeros((3, 2)) for _ in range(3))
    w[1, 0], c[1, 0] = 1.27541862e-308, 2 / 3  # (b + c) / w = 5.2e307
    w[2, 1], b[2, 1], c[2, 1] = 2.00633326e-308, 2.0, 1.0  # b / w = 1.0e308, (b + c) / w = inf
    with mock.patch.object(simulator.numeric, "WIDE_FLOATS", wide, create=True):
        awards = level_allocation(w, b, c, np.zeros(2))
    assert awards.tolist() == [[0.0, 0.0]] * 3  # nothing to share: nothing awarded
    awards = level_allocation(w, b, c, np.array([0.5, 0.25]))
    assert awards[:, 0].tolist() == [0.0, 0.5, 0.0]  # the one member with a weight takes it all
    assert awards[:, 1].tolist() == [0.0, 0.0, 0.25]


@OUT_OF_RANGE
@settings(max_examples=200, deadline=None)
@given(problem=allocation_problems(), shift=st.sampled_from([900, 1000, 1060, 1070]))
def test_weights_scaled_down_to_subnormal_share_as_before(wide, problem, shift):
    # the awards depend on the weights only through their ratios: weights of 1 to 4 times
    # 2**-1070 (exact, subnormal) must share as weights of 1 to 4 do
    w, b, c, total = problem
    w = np.round(w * 4.0) / 4.0  # a few bits each, so scaling them down is exact
    scaled = np.ldexp(w, -shift)
    assert (np.ldexp(scaled, shift) == w).all()
    expected = level_allocation(w, b, c, total)
    for solver in (level_allocation, searched):
        with mock.patch.object(simulator.numeric, "WIDE_FLOATS", wide, create=True):
            awards = solver(scaled, b, c, total)
        assert_allocates(scaled, b, c, total, awards)
        scale = 1.0 + np.abs(total) + c.sum(axis=0) + np.abs(b).sum(axis=0)
        assert (np.abs(awards - expected) <= 1e-9 * scale).all()


@OUT_OF_RANGE
@pytest.mark.parametrize("solver", [level_allocation, searched])
def test_tiny_weights_by_hand(solver, wide, monkeypatch):
    monkeypatch.setattr(simulator.numeric, "WIDE_FLOATS", wide, raising=False)
    # equal subnormal weights, caps 3 and 4 t: water-filling as with equal weights of 1
    w = np.full(2, 5e-324)
    caps = np.array([3.0, 4.0])
    for total, expected in ((0.0, [0.0, 0.0]), (1.0, [0.5, 0.5]), (7.0, [3.0, 4.0]), (100.0, [3.0, 4.0])):
        assert solver(w, np.zeros(2), caps, np.array(total)).tolist() == expected
    # weight 1e-310 beside 1: the second member (offset -2) receives up to its cap of 4 t
    # first; the first (offset 1) only past that, at a level of 2e310 for its 1 t
    awards = solver(np.array([1e-310, 1.0]), np.array([1.0, -2.0]), caps, np.array(5.0))
    assert awards.tolist() == [1.0, 4.0]
    # a member without weight keeps clip(-b, 0, c) = 2 t whatever the others' level
    awards = solver(np.array([1e-310, 0.0]), np.array([0.0, -2.0]), caps, np.array(3.0))
    assert awards.tolist() == [1.0, 2.0]


@OUT_OF_RANGE
def test_a_batch_solves_tiny_weights_and_keeps_the_numbers_of_the_others(wide, monkeypatch):
    monkeypatch.setattr(simulator.numeric, "WIDE_FLOATS", wide, raising=False)
    # the second column's weight of 1e-310 makes its breakpoints inf; the first column's
    # numbers are the very ones it has alone
    w = np.array([[0.3, 1e-310], [0.7, 1.0]])
    b = np.zeros((2, 2))
    c = np.array([[20.0, 20.0], [80.0, 10.0]])
    total = np.array([60.0, 25.0])
    awards = level_allocation(w, b, c, total)
    assert awards[:, 0].tobytes() == level_allocation(w[:, 0], b[:, 0], c[:, 0], total[0]).tobytes()
    assert awards[:, 1].tolist() == [15.0, 10.0]


@OUT_OF_RANGE
@pytest.mark.parametrize("solver", [level_allocation, searched])
def test_a_total_that_is_not_a_number_gives_nan_awards_on_either_path(solver, wide, monkeypatch):
    """No wider range answers a NaN or infinite total: the float solver's answer stands (``Fraction(nan)`` raised)."""
    monkeypatch.setattr(simulator.numeric, "WIDE_FLOATS", wide, raising=False)
    caps = np.array([3.0, 3.0])
    assert np.isnan(solver(np.ones(2), np.zeros(2), caps, np.array(np.nan))).all()
    assert np.isnan(solver(np.array([1e-310, 1.0]), np.zeros(2), caps, np.array(np.nan))).all()
    # an infinite total pays every cap, as any total above their sum
    assert solver(np.array([1e-310, 1.0]), np.zeros(2), caps, np.array(np.inf)).tolist() == [3.0, 3.0]
