"""Numeric helpers below everything else: ordered reductions and physical constants.

Layer: ground (imports nothing from the project).

The model's short axes (members, materials, suppliers: 2 to 6 entries) are reduced one
slice at a time, left to right. NumPy's own reductions may add in a different order
depending on an array's length and layout; folding slice by slice makes every result
independent of the batch size, which keeps the reference engine and the batched fast
path bit-identical (and it is about 20 times faster per element on short axes).

:func:`level_allocation` is the one solver behind every sharing rule and procurement
quota: a common level clipped between bounds, with members on the first axis.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
from numpy.typing import NDArray

Array = NDArray[np.float64]

EPS_T = 1e-9
"""Tonnes up to which a gap, loss, shortfall or stock to offer counts as none (rounding noise)."""
KG_PER_T = 1000.0
"""Kilograms per tonne: prices are per kg, quantities in tonnes."""
DAYS_PER_YEAR = 365.0
"""Days per model year: yearly growth and yearly holding costs are spread over it."""
SAME_TO_ROUNDING = 1e-9
"""Two values this close (relative and absolute, :func:`same_to_rounding`) are the same number, differing by the
rounding of sums done in another order (a unitless share and, at this size, tonnes or days alike)."""


def same_to_rounding(a: Array, b: Array) -> NDArray[np.bool_]:
    """Element by element, whether ``a`` and ``b`` are the same number (:data:`SAME_TO_ROUNDING`); NaN on both is.

    >>> same_to_rounding(np.array([1.0, 2.0, np.nan]), np.array([1.0 + 1e-12, 2.001, np.nan])).tolist()
    [True, False, True]
    """
    return np.isclose(a, b, rtol=SAME_TO_ROUNDING, atol=SAME_TO_ROUNDING, equal_nan=True)


def ordered_sum(x: Array, axis: int = -1) -> Array:
    """Sum along ``axis`` strictly left to right (see the module docstring).

    >>> float(ordered_sum(np.array([0.1, 0.2, 0.3])))
    0.6000000000000001
    >>> ordered_sum(np.zeros((0, 3)), axis=0)
    array([0., 0., 0.])
    """
    x = np.asarray(x, dtype=np.float64)
    if x.shape[axis] == 0:
        return np.zeros(np.delete(x.shape, axis % x.ndim).tolist())
    return _fold(np.add, x, axis)


def slice_max(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """``x.max(axis)`` taken one slice at a time (``axis`` must not be empty).

    >>> slice_max(np.array([[1.0, 3.0], [4.0, 2.0]]))
    array([3., 4.])
    """
    return _fold(np.maximum, np.asarray(x), axis)


def slice_any(x: np.ndarray, axis: int = -1) -> np.ndarray:
    """``x.any(axis)`` taken one slice at a time.

    >>> slice_any(np.array([[False, True], [False, False]]))
    array([ True, False])
    """
    return _fold(np.logical_or, np.asarray(x, bool), axis)


REDUCE_FROM_SLICES = 8
"""From this many slices on the first axis, :func:`_fold` hands a C-contiguous array whose
slices hold two or more values to ``ufunc.reduce``. NumPy then walks the first axis as its
outer loop and combines each value with the next slice's in order, the same left-to-right
fold (checked bit for bit on 748 shapes of 2 to 69 slices); only a reduction along the
innermost loop (slices of one value, or strided layouts) is summed pairwise. One call
instead of ``n - 1`` costs as much at 8 slices and half at 32 (a club's members)."""


def _fold(ufunc: np.ufunc, x: np.ndarray, axis: int) -> np.ndarray:
    """``ufunc`` applied left to right over the slices of ``x`` along ``axis`` (a new array)."""
    axis = axis % x.ndim
    n = x.shape[axis]
    if axis == 0 and n >= REDUCE_FROM_SLICES and x.ndim > 1 and x[0].size > 1 and x.flags.c_contiguous:
        return ufunc.reduce(x, axis=0)
    if axis == 0 and n > 1 and x.ndim > 1:  # the common case, indexed directly
        total = ufunc(x[0], x[1])
        for i in range(2, n):
            ufunc(total, x[i], out=total)
        return total
    head = (slice(None),) * axis
    if n == 1 or x.ndim == 1:  # the first slice is copied (a 1-D array's slices are scalars)
        total = np.array(x[(*head, 0)])
        start = 1
    else:  # the first two slices make the new array
        total = ufunc(x[(*head, 0)], x[(*head, 1)])
        start = 2
    for i in range(start, n):
        ufunc(total, x[(*head, i)], out=total)
    return total


def anywhere(x: np.ndarray) -> bool:
    """``x.any()`` for a boolean array ``x``: whether it holds some True.

    ``ndarray.any`` goes through a Python-level wrapper (``numpy._core._methods._any``) that
    costs about three times ``np.count_nonzero``'s call on a run's small arrays (and no less
    on a batch's): a day step asks it ten times a day or more. (On large float arrays
    ``any`` is the quicker: they are not asked here.)

    >>> anywhere(np.array([False, False])), anywhere(np.array([[False], [True]]))
    (False, True)
    """
    return bool(np.count_nonzero(x))


def share_of(part: Array, whole: Array) -> Array:
    """``part / whole`` where ``whole > 0``, else 0 (shares of nothing are nothing).

    >>> share_of(np.array([3.0, 1.0]), np.array([4.0, 0.0]))
    array([0.75, 0.  ])
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(whole > 0, part / whole, 0.0)


def scale_down_to(limit: Array, total: Array, over: Array) -> Array:
    """``limit / total`` where ``over`` (the total exceeds a limit >= 0), else 1: the scale that fits a total into it.

    Divided only where ``over``: never by 0, never inf / inf.

    >>> scale_down_to(np.array([2.0, 5.0, 0.0]), np.array([4.0, 3.0, 0.0]), np.array([True, False, False]))
    array([0.5, 1. , 1. ])
    """
    return np.divide(limit, total, out=np.ones(np.broadcast(limit, total).shape), where=over)


FULL_EVALUATION_MEMBERS = 3
"""Up to this many members :func:`level_allocation` sums the awards at every breakpoint;
above it, only at O(log n) breakpoints found by binary search, unless the full
evaluation is small (:data:`FULL_EVALUATION_VALUES`). The numbers are the same either
way: measured on 2 cores on batches of 2,000-10,000 elements, the full evaluation is
1.1-1.2x faster at 2-3 members, as fast to 2x slower at 4-5 and 3-4x slower from 8 up."""
FULL_EVALUATION_VALUES = 20_000
"""Awards (2n breakpoints x n members x batch elements) up to which the full evaluation
is kept whatever the members: below it NumPy's fixed cost per call dominates, and the
search's 10-15 calls per probe cost more (1.3-2.4x on single elements up to 12 members)."""


def _clipped(level: Array, w: Array, b: Array, c: Array) -> Array:
    return (level[None] * w - b).clip(0.0, c)  # what np.clip calls, without its wrappers (called per probe)


def level_allocation(weights: Array, offsets: Array, caps: Array, total: Array) -> Array:
    """Allocate ``total`` as ``clip(L * weights - offsets, 0, caps)`` for a common ``L``.

    Most ways of sharing an amount ``E`` among members give member ``i``
    ``a_i(L) = clip(L * w_i - b_i, 0, c_i)`` for one common level ``L`` chosen so that
    ``sum_i a_i = min(E, sum_i c_i)``: fair ratio with water-filling (``w = ratio``,
    ``b = 0``, ``c = gap``), constrained equal awards (``w = 1``, ``b = 0``,
    ``c = claim``), constrained equal losses (``w = 1``, ``b = -claim``, ``c = claim``),
    equal days of cover (``w = demand``, ``b = own stock``, ``c = gap``). The sum is
    non-decreasing and piecewise linear in ``L``; the solver sorts its breakpoints, finds
    the segment that reaches the target (by binary search on large inputs, O(n log n))
    and interpolates inside it. Members are on the first axis of every array; any batch
    shape follows. Where a weight is so small next to its offset or cap that a breakpoint
    passes the largest float (1e-310 beside 1 t), that element is solved again in a wider
    range (:func:`_solved_out_of_range`).

    Parameters
    ----------
    weights
        ``w_i >= 0``: how fast member ``i``'s award grows with the level.
    offsets
        ``b_i``: the level times weight a member must pass before it receives.
    caps
        ``c_i >= 0``: most member ``i`` can receive (t).
    total
        ``E >= 0``: amount to allocate (t); the batch shape of ``weights`` without
        the first (members) axis.

    Returns
    -------
    Array
        Awards ``a_i`` (t) with ``0 <= a_i <= c_i`` and ``sum a_i = min(E, sum c_i)``
        up to rounding.

    Examples
    --------
    Fair ratio 50/50, gaps 20 t and 80 t, 60 t released: the first member is capped
    at its gap and the rest goes to the second.

    >>> level_allocation(np.array([0.5, 0.5]), np.zeros(2), np.array([20.0, 80.0]), np.array(60.0))
    array([20., 40.])
    """
    w, b, c = np.asarray(weights, float), np.asarray(offsets, float), np.asarray(caps, float)
    if not w.shape == b.shape == c.shape:  # (as the rules call it they are the same: no Python-level broadcast)
        w, b, c = np.broadcast_arrays(w, b, c)
    total = np.asarray(total, float)
    # one errstate for the whole solve (entering one costs a few microseconds): a weight tiny
    # next to its offset or cap (1e-310 beside 1 t) puts a breakpoint past the largest float,
    # inf, and the steps below then meet inf * 0 and inf - inf; _solved_out_of_range redoes those
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        # members with zero weight receive a constant clip(-b, 0, c)
        low = np.where(w > 0, b / w, np.nan)
        high = np.where(w > 0, (b + c) / w, np.nan)
        points = np.concatenate([low, high], axis=0)
        finite_max = np.maximum.reduce(np.where(np.isnan(points), -np.inf, points), axis=0, keepdims=True)  # np.max
        finite_max = np.where(np.isfinite(finite_max), finite_max, 0.0)
        points = np.sort(np.where(np.isnan(points), finite_max, points), axis=0)
        n = w.shape[0]
        search = False
        if n > FULL_EVALUATION_MEMBERS:  # (the awards are counted only where their count matters)
            search = 2 * n * n * math.prod(np.broadcast_shapes(w.shape[1:], total.shape)) > FULL_EVALUATION_VALUES
        if search:
            target, k, base_sum = _segment_by_search(points, w, b, c, total)
        else:  # sum of awards at every breakpoint: shape (2n, ...)
            at_points = ordered_sum((points[:, None] * w[None] - b[None]).clip(0.0, c[None]), axis=1)  # np.clip
            target = np.minimum(total, at_points[-1])
            k = np.sum(at_points <= target[None], axis=0) - 1
            k = k.clip(0, points.shape[0] - 1)
            base_sum = np.take_along_axis(at_points, k[None], axis=0)[0]
        base_level = np.take_along_axis(points, k[None], axis=0)[0]
        rising = (w > 0) & (low <= base_level[None]) & (base_level[None] < high)
        slope = ordered_sum(np.where(rising, w, 0.0), axis=0)
        level = base_level + np.where(slope > 0, (target - base_sum) / slope, 0.0)
        awards = _clipped(level, w, b, c)
        # out of range: inf on either end of the sorted breakpoints or in the level makes this inf or nan
        # (a total that is not finite keeps the float solver's answer: no wider range changes it)
        unsafe = np.where(np.isfinite(total), level + (points[-1] - points[0]), 0.0)
        # one number to test: every element's sum (finite elements may add up past the largest float: tested again)
        in_range = math.isfinite(np.add.reduce(unsafe, axis=None))
    if not in_range:
        unsafe = ~np.isfinite(unsafe)
        return _solved_out_of_range(awards, unsafe, w, b, c, total) if anywhere(unsafe) else awards
    return awards


def _segment_by_search(points: Array, w: Array, b: Array, c: Array, total: Array) -> tuple[Array, Array, Array]:
    """The target, the last breakpoint index ``k`` whose awards sum to at most it, and that sum.

    The same numbers as summing the awards at every sorted breakpoint (``points``, shape
    ``(2n, ...)``) and counting the sums at most the target, with the sums taken at
    O(log n) breakpoints per batch element: each award is non-decreasing in the level
    and a fixed-order float sum of non-decreasing terms is non-decreasing, so the sums
    are sorted and a binary search finds ``k``. Each sum is the very one the full
    evaluation takes (same members, same order, same operations).
    """
    batch = np.broadcast_shapes(w.shape[1:], total.shape)
    w, b, c = (np.broadcast_to(x, (w.shape[0], *batch)) for x in (w, b, c))
    points = np.broadcast_to(points, (points.shape[0], *batch))
    last = points.shape[0] - 1
    at_last = _awards_sum(points[last], w, b, c)
    target = np.minimum(total, at_last)
    # ``found``: the last index known to sum to at most the target (-1: none yet); the
    # last breakpoint is known, and the steps below reach every index before it
    reached = at_last <= target
    found = np.where(reached, last, -1)
    base_sum = np.where(reached, at_last, 0.0)
    step = 1 << last.bit_length()
    while step := step >> 1:
        probe = found + step
        at = np.minimum(probe, last)
        summed = _awards_sum(np.take_along_axis(points, at[None], axis=0)[0], w, b, c)
        below = (probe <= last) & (summed <= target)
        found = np.where(below, probe, found)
        base_sum = np.where(below, summed, base_sum)
    if anywhere(found < 0):  # even the lowest breakpoint sums above the target: it is the segment
        base_sum = np.where(found < 0, _awards_sum(points[0], w, b, c), base_sum)
    return target, np.maximum(found, 0), base_sum


def _awards_sum(level: Array, w: Array, b: Array, c: Array) -> Array:
    """Sum over members (first axis) of the awards at ``level``, one row of the full evaluation."""
    return ordered_sum(_clipped(level, w, b, c), axis=0)


WIDE_FLOATS = np.finfo(np.longdouble).maxexp >= 4096
"""Whether ``np.longdouble`` holds every ratio of two floats (up to 2**2098) and its product with a float: it does
where it is the x87 extended or the IEEE quadruple format (x86-64, 64-bit Arm Linux), not where it is the double."""


def _solved_out_of_range(awards: Array, unsafe: NDArray[np.bool_], w: Array, b: Array, c: Array, total: Array) -> Array:
    """``awards`` with the batch elements where ``unsafe`` solved again in a wider range than floats'.

    There a breakpoint ``b_i / w_i`` or ``(b_i + c_i) / w_i``, or the level, is beyond the
    range of floats (a weight of 1e-310 next to an offset or a cap of 1 t: 1e310): the level
    times a weight is then ``inf * 0`` (nan) or awards caps the total cannot pay for. Such
    elements are solved by :func:`_wide_awards` (or, without :data:`WIDE_FLOATS`, one by one
    in fractions by :func:`_exact_awards`); other elements keep the float solver's numbers.
    """
    batch = unsafe.shape
    w, b, c = (np.broadcast_to(x, (w.shape[0], *batch)).reshape(w.shape[0], -1) for x in (w, b, c))
    total = np.broadcast_to(total, batch).reshape(-1)
    awards = np.array(np.broadcast_to(awards, (w.shape[0], *batch))).reshape(w.shape[0], -1)
    unsafe = unsafe.reshape(-1)
    if WIDE_FLOATS:
        awards[:, unsafe] = _wide_awards(w[:, unsafe], b[:, unsafe], c[:, unsafe], total[unsafe])
    else:
        for at in np.flatnonzero(unsafe):
            awards[:, at] = _exact_awards(w[:, at], b[:, at], c[:, at], float(total[at]))
    return awards.reshape(w.shape[0], *batch)


def _wide_awards(w: Array, b: Array, c: Array, total: Array) -> Array:
    """:func:`level_allocation` of members x elements in ``np.longdouble`` (:data:`WIDE_FLOATS`), rounded to floats.

    The same solve (the last breakpoint whose awards sum to at most the target, by binary
    search, and the level interpolated past it) where no breakpoint or level overflows.

    >>> _wide_awards(np.array([[1e-310], [1.0]]), np.array([[1.0], [-2.0]]), np.array([[3.0], [4.0]]), np.array([5.0]))
    array([[1.],
           [4.]])
    """
    w, b, c, total = (np.asarray(x, np.longdouble) for x in (w, b, c, total))
    weighted = w > 0
    fixed = np.where(weighted, 0.0, np.clip(-b, 0.0, c))  # the zero-weight members' constant awards
    lowest = np.add.reduce(fixed, axis=0)
    target = np.clip(total, lowest, lowest + np.add.reduce(np.where(weighted, c, 0.0), axis=0))
    divisor = np.where(weighted, w, 1.0)
    low = np.where(weighted, b / divisor, np.nan)
    high = np.where(weighted, (b + c) / divisor, np.nan)
    points = np.concatenate([low, high], axis=0)
    top = np.maximum.reduce(np.where(np.isnan(points), -np.inf, points), axis=0)
    points = np.sort(np.where(np.isnan(points), np.where(np.isfinite(top), top, 0.0), points), axis=0)

    def summed(level: Array) -> Array:
        return np.add.reduce(np.clip(level * w - b, 0.0, c), axis=0)

    last = points.shape[0] - 1
    found = np.zeros(points.shape[1:], int)  # the last breakpoint known to sum to at most the target (or the first)
    step = 1 << last.bit_length()
    while step := step >> 1:
        probe = np.minimum(found + step, last)
        below = summed(np.take_along_axis(points, probe[None], axis=0)[0]) <= target
        found = np.where(below, probe, found)
    base = np.take_along_axis(points, found[None], axis=0)[0]
    rate = np.add.reduce(np.where(weighted & (low <= base) & (base < high), w, 0.0), axis=0)
    level = base + np.where(rate > 0, (target - summed(base)) / np.where(rate > 0, rate, 1.0), 0.0)
    return np.clip(level * w - b, 0.0, c).astype(np.float64)


def _exact_awards(w: Array, b: Array, c: Array, total: float) -> list[float]:
    """One element of :func:`level_allocation` (members only) solved in fractions, each award then rounded.

    The sum of the awards rises from the zero-weight members' constant awards (at a level
    below every breakpoint) by the weight of each member between its breakpoints to that
    plus every other member's cap; the level is where it meets the total, clipped to that
    range as the float solver clips it.

    >>> _exact_awards(np.array([1e-310, 1.0]), np.array([1.0, -2.0]), np.array([3.0, 4.0]), 5.0)
    [1.0, 4.0]
    """
    ws, bs, cs = ([Fraction(float(x)) for x in v] for v in (w, b, c))
    fixed = [min(max(-bi, Fraction(0)), ci) for bi, ci in zip(bs, cs, strict=True)]
    lowest = sum((a for a, wi in zip(fixed, ws, strict=True) if wi == 0), Fraction(0))
    highest = lowest + sum((ci for ci, wi in zip(cs, ws, strict=True) if wi > 0), Fraction(0))
    target = Fraction(total)
    if target <= lowest or target >= highest:  # below or above every breakpoint: no level to find
        moving = [(ci if target >= highest else 0) for ci in cs]  # the members with a weight: all or nothing
        return [float(m if wi > 0 else a) for wi, m, a in zip(ws, moving, fixed, strict=True)]
    events = sorted(
        [(bi / wi, wi) for wi, bi in zip(ws, bs, strict=True) if wi > 0]
        + [((bi + ci) / wi, -wi) for wi, bi, ci in zip(ws, bs, cs, strict=True) if wi > 0]
    )
    level, summed, slope = events[0][0], lowest, Fraction(0)
    for point, change in events:  # the sum reaches the target inside [lowest, highest): before the last point
        at_point = summed + slope * (point - level)
        if at_point >= target:
            level += (target - summed) / slope  # (slope > 0: the sum rose past the target since the last point)
            break
        level, summed, slope = point, at_point, slope + change
    return [float(min(max(level * wi - bi, Fraction(0)), ci)) for wi, bi, ci in zip(ws, bs, cs, strict=True)]
