"""The frontier's faster labelling (issue 19, target 3) keeps the greedy grouping and the counts of dots it had.

:func:`_clusters` tries each distinct spot once against every group's first point at once,
:func:`_free_place` is given each spot once with its count of dots, and :func:`value_labels`
labels each distinct value once: each case below is worked out by hand from the definitions.
"""

import numpy as np
import pandas as pd
import pytest

from simulator.sweep import figures
from simulator.sweep.figures import ALIKE_PT, _clusters, _free_place, value_labels


def greedy(where: np.ndarray, order: list[int], conditions: np.ndarray) -> list[list[int]]:
    """The definition: a point joins the first group (of its condition) whose first point is nearer than ALIKE_PT."""
    groups: list[list[int]] = []
    for i in order:
        near = [
            g for g in groups if conditions[g[0]] == conditions[i] and np.hypot(*(where[g[0]] - where[i])) < ALIKE_PT
        ]
        if near:
            near[0].append(i)
        else:
            groups.append([i])
    return groups


@pytest.mark.parametrize(
    ("where", "order", "conditions", "expected"),
    [
        # ALIKE_PT (3) apart is not alike; 2.9 from the first group's leader joins it, not the nearer second's
        ([[0, 0], [3, 0], [2.9, 0], [0, 0], [6, 0]], [0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [[0, 2, 3], [1], [4]]),
        # two condition groups on one spot: two labels, each counting its own dots only
        ([[5, 5], [5, 5], [5, 5], [5, 5]], [3, 2, 1, 0], [0, 1, 0, 1], [[3, 1], [2, 0]]),
        # a spot seen again after a later group was made joins the group its first point joined, not the later one
        ([[0, 0], [2, 0], [4, 0], [2, 0], [4, 0]], [0, 1, 2, 3, 4], [0, 0, 0, 0, 0], [[0, 1, 3], [2, 4]]),
        # the first group near a point is of the point's condition: another condition's nearer leader is passed over
        ([[0, 0], [1, 0], [0.5, 0]], [0, 1, 2], [0, 1, 1], [[0], [1, 2]]),
        # greedy, not chained: each 2 from the next, the third is 4 from the first point
        ([[0, 0], [0, 2], [0, 4], [0, 6]], [0, 1, 2, 3], [0, 0, 0, 0], [[0, 1], [2, 3]]),
        ([[1, 1]], [], [0], []),
    ],
)
def test_points_group_as_the_greedy_definition_groups_them(where, order, conditions, expected):
    where, conditions = np.array(where, float), np.array(conditions)
    assert greedy(where, order, conditions) == expected  # the hand-worked grouping is the definition's
    assert _clusters(where, order, conditions) == expected


def test_random_spots_with_repeats_group_as_the_greedy_definition_groups_them():
    rng = np.random.default_rng(64)
    for _ in range(300):
        n = int(rng.integers(1, 40))
        where = np.round(rng.random((n, 2)) * rng.choice([2.0, 8.0, 30.0]), int(rng.integers(0, 2)))  # many repeats
        conditions = rng.integers(0, int(rng.integers(1, 4)), n)
        order = [int(i) for i in rng.permutation(n)[: int(rng.integers(1, n + 1))]]
        assert _clusters(where, order, conditions) == greedy(where, order, conditions)


OWN, W, H, SIZE = np.array([100.0, 10.0]), 30.0, 10.0, np.array([400.0, 20.0])
"""A label of a dot in an axes 20 points high: only the places right and left of its dot fit inside.

Right of the dot: x 104.8 to 134.8 (a gap of 1.2% of 400), y 5.2 to 15.2; left of it: x 65.2 to 95.2."""
RIGHT_DOTS = [[143.7, 10.0], [143.7, 14.0]]  # 8.9 points right of the right place: two dots near it
LEFT_SPOT = [56.3, 10.0]  # 8.9 points left of the left place: three dots on this one spot


def test_a_spot_of_three_dots_counts_three_against_a_place():
    dots = np.array([LEFT_SPOT, LEFT_SPOT, LEFT_SPOT, *RIGHT_DOTS])
    right = (pytest.approx(104.8), pytest.approx(5.2), False)
    assert _free_place(OWN, W, H, SIZE, dots, [], led_ok=False) == right  # 2 dots near the right, 3 near the left
    spots = np.array([LEFT_SPOT, *RIGHT_DOTS])
    assert _free_place(OWN, W, H, SIZE, spots, [], led_ok=False, counts=np.array([3, 1, 1])) == right
    left = (pytest.approx(65.2), pytest.approx(5.2), False)
    assert _free_place(OWN, W, H, SIZE, spots, [], led_ok=False) == left  # one dot a spot: 1 near the left


def test_each_distinct_value_is_labelled_once_and_minus_zero_apart_from_zero(monkeypatch):
    values = pd.Series([0.3, 0.1 + 0.2, 0.3, -0.0, 0.0, 0.3, 0.5, -0.0], index=[7, 6, 5, 4, 3, 2, 1, 0])
    asked = []
    label = figures._label
    monkeypatch.setattr(figures, "_label", lambda value: asked.append(value) or label(value))
    labels = value_labels(values)
    assert labels.tolist() == ["0.3", "0.30000000000000004", "0.3", "-0", "0", "0.3", "0.5", "-0"]
    assert labels.index.tolist() == [7, 6, 5, 4, 3, 2, 1, 0]
    assert len(asked) == 5  # 0.3, 0.30000000000000004, -0.0, 0.0, 0.5: once each
