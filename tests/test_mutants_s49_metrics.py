"""``jain_index`` and ``share_gap`` with ``counted``, and over the last axis of a batch: values worked out by
hand for the cases hand-applied mutants of ``simulator/metrics.py`` got through the earlier tests."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.metrics import jain_index, share_gap


def test_a_member_left_out_of_jain_index_does_not_count_whatever_its_share():
    """Two members, the second not counted: one member is always equal to itself (1), even where the one left
    out reads a share of 0.2 (the run's 0 shares of members without demand are not the only case)."""
    assert float(jain_index(np.array([0.4, 0.2]), np.array([True, False]))) == 1.0
    # three members, two counted with 0.4 and 0.2: (0.6)^2 / (2 * 0.2) = 0.9
    assert float(jain_index(np.array([0.4, 0.9, 0.2]), np.array([True, False, True]))) == pytest.approx(0.9)


def test_jain_index_of_a_batch_is_over_the_last_axis():
    """Three runs of two members: one bears it all (1/2), equal (1), nobody short (1)."""
    shares = np.array([[0.4, 0.0], [0.2, 0.2], [0.0, 0.0]])
    assert jain_index(shares).tolist() == [0.5, 1.0, 1.0]


def test_share_gap_of_a_batch_is_over_the_last_axis():
    """Two runs of three members: 0.5 - 0.1 and 0.3 - 0.3."""
    shares = np.array([[0.1, 0.5, 0.2], [0.3, 0.3, 0.3]])
    assert share_gap(shares).tolist() == pytest.approx([0.4, 0.0])


def test_a_member_left_out_of_the_gap_is_not_its_highest():
    """The uncounted member's 0.9 is above both counted ones: the gap is theirs, 0.4 - 0.1."""
    assert float(share_gap(np.array([0.4, 0.9, 0.1]), np.array([True, False, True]))) == pytest.approx(0.3)
