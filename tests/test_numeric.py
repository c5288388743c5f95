"""Ordered reductions: strictly left to right on every axis, whatever the layout."""

from __future__ import annotations

import numpy as np

from simulator.numeric import ordered_sum, slice_max


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
