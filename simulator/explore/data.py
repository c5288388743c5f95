"""The explorer's data: the grid's curves and headline numbers packed into one compact blob.

Layer: studies. What is kept and what is lost (``docs/explorer.md``):

- **Resolution.** Curves are cut into windows of ``stride`` days (1, 2, 3, 7 or 14: the
  finest that keeps the page under its size limit). Days of cover keeps the *lowest*
  value of each window, so no dip is hidden; cumulative shortfall keeps the value on the
  window's last day, exact on that day. The last day of the horizon is always a sample.
- **Quantisation.** Each curve (grid point, curve, region, material; its series p5, p50
  and p95 together) is stored as 16-bit codes ``q`` on its own range:
  ``value = low + q * step`` with ``step = (high - low) / 65534``, so the error is at
  most ``step / 2``, 1/131,068 of the curve's range. Code 65535 means "no value" (days
  of cover of a cell without demand).
- **Headline numbers** are stored exactly (float64); they come from the full daily
  runs, not from the packed curves.

The blob is little-endian: headline (point, quantity, series) float64, then ``low`` and
``step`` (point, curve, region, material) float64, then the codes (point, curve,
region, material, series, sample) as differences along the samples (modulo 2**16),
high bytes of every code first and low bytes after; all of it compressed with zlib
(deflate), which the page inflates with the browser's ``DecompressionStream``.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np

from simulator.allocator import keep_freed_memory
from simulator.forked import run_shared, shared_array

NO_VALUE = 65535
"""Code of a missing value (NaN)."""
TOP_CODE = 65534
"""Largest code of a value: ``high`` maps to it."""
STRIDES_DAYS = (1, 2, 3, 7, 14)
"""Window lengths tried, finest first."""
ZLIB_LEVEL = 6
"""zlib's default: within 3% of level 9's size on the explorer's data, five times faster."""
BLOCK_POINTS = 256
"""Grid points resampled and quantised at a time (bounds the float64 temporaries)."""
COVER = 0
"""Index of days of cover among the curves (window minimum); the others keep the window's last day."""


@dataclass(frozen=True)
class Packed:
    """The compressed blob and the shape the page needs to read it."""

    blob: bytes
    layout: dict[str, Any]


def sample_days(horizon_days: int, stride_days: int) -> np.ndarray:
    """Last day of each window of ``stride_days`` (the final window may be shorter).

    >>> sample_days(10, 3).tolist(), sample_days(9, 3).tolist(), sample_days(3, 1).tolist()
    ([0, 3, 6, 9], [0, 3, 6, 8], [0, 1, 2])
    """
    days = np.arange(0, horizon_days, stride_days)
    return days if days[-1] == horizon_days - 1 else np.append(days, horizon_days - 1)


def resample(curves: np.ndarray, stride_days: int) -> np.ndarray:
    """(point, series, curve, day, region, material) to (point, curve, region, material, series, sample).

    A sample is the window ``(previous sample day, sample day]``: days of cover takes
    the window's lowest value (NaN only if every day is NaN), the other curves the
    value on the sample day.
    """
    horizon = curves.shape[3]
    days = sample_days(horizon, stride_days)
    picked = curves if len(days) == horizon else curves[:, :, :, days]  # every day: no gather
    out = np.moveaxis(picked, (1, 3), (-2, -1)).astype(np.float64)
    if stride_days > 1:
        window = np.searchsorted(days, np.arange(horizon))  # window of each day
        cover = curves[:, :, COVER].astype(np.float64)  # (point, series, day, region, material)
        filled = np.where(np.isnan(cover), np.inf, cover)
        lowest = np.minimum.reduceat(filled, np.flatnonzero(np.diff(window, prepend=-1)), axis=2)
        lowest = np.where(np.isinf(lowest), np.nan, lowest)
        out[:, COVER] = np.moveaxis(lowest, (1, 2), (-2, -1))
    return out


def quantise(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """16-bit codes over the last two axes (series, sample), with each curve's ``low`` and ``step``.

    >>> codes, low, step = quantise(np.array([[[0.0, 1.0, 2.0, np.nan]]]))
    >>> codes.tolist(), low.tolist(), step.tolist() == [2 / 65534]
    ([[[0, 32767, 65534, 65535]]], [0.0], True)
    """
    missing = ~np.isfinite(values)
    any_missing = bool(missing.any())
    if not any_missing:  # the usual case: the same numbers without masking every value
        low, high = values.min(axis=(-2, -1)), values.max(axis=(-2, -1))
        present = values
    else:
        every_missing = missing.all(axis=(-2, -1))
        low = np.where(every_missing, 0.0, np.where(missing, np.inf, values).min(axis=(-2, -1)))
        high = np.where(every_missing, 0.0, np.where(missing, -np.inf, values).max(axis=(-2, -1)))
        present = np.where(missing, low[..., None, None], values)
    step = (high - low) / TOP_CODE
    divisor = np.where(step > 0, step, 1.0)[..., None, None]
    scaled = np.subtract(present, low[..., None, None])  # then in place: one temporary, not four
    scaled /= divisor
    np.rint(scaled, out=scaled)
    np.clip(scaled, 0, TOP_CODE, out=scaled)
    codes = scaled.astype(np.uint16)
    if any_missing:
        codes[missing] = NO_VALUE
    return codes, low, step


def dequantise(codes: np.ndarray, low: np.ndarray, step: np.ndarray) -> np.ndarray:
    """Values from codes (NaN for :data:`NO_VALUE`), as the page computes them."""
    values = low[..., None, None] + codes.astype(np.float64) * step[..., None, None]
    return np.where(codes == NO_VALUE, np.nan, values)


def _encode(headline: np.ndarray, low: np.ndarray, step: np.ndarray, codes: np.ndarray) -> bytes:
    deltas = np.empty_like(codes)
    deltas[..., 0] = codes[..., 0]
    np.subtract(codes[..., 1:], codes[..., :-1], out=deltas[..., 1:])  # uint16 arithmetic wraps modulo 2**16
    byte_pairs = deltas.astype("<u2", copy=False).reshape(-1).view(np.uint8).reshape(-1, 2)  # (low, high) each
    planes = np.empty((2, codes.size), np.uint8)
    planes[0], planes[1] = byte_pairs[:, 1], byte_pairs[:, 0]  # every high byte, then every low byte
    # fed in parts, the stream is the one zlib.compress makes of the joined bytes, without joining 70 MB
    stream = zlib.compressobj(ZLIB_LEVEL)
    parts = [stream.compress(p.astype("<f8").tobytes()) for p in (headline, low, step)]
    return b"".join([*parts, stream.compress(planes), stream.flush()])


def pack(curves: np.ndarray, headline: np.ndarray, stride_days: int) -> Packed:
    """Resample, quantise and compress a grid's curves with its headline numbers.

    ``curves`` is (point, series, curve, day, region, material), ``headline`` is
    (point, quantity, series). The blocks' temporaries reuse freed memory (:mod:`simulator.allocator`).
    """
    keep_freed_memory()
    points, series, n_curves, horizon, regions, materials = curves.shape
    samples = len(sample_days(horizon, stride_days))
    shape = (points, n_curves, regions, materials, series, samples)
    # blocks of points, half of them in a forked child where two cores allow (simulator.forked)
    codes, low, step = shared_array(shape, np.uint16), shared_array(shape[:4], float), shared_array(shape[:4], float)

    def block(start: int) -> Callable[[], None]:
        def pack_block() -> None:
            part = slice(start, start + BLOCK_POINTS)
            codes[part], low[part], step[part] = quantise(resample(curves[part], stride_days))

        return pack_block

    run_shared([block(start) for start in range(0, points, BLOCK_POINTS)])
    layout = {
        "points": points,
        "quantities": headline.shape[1],
        "series": series,
        "curves": n_curves,
        "regions": regions,
        "materials": materials,
        "samples": samples,
        "stride_days": stride_days,
        "days": sample_days(curves.shape[3], stride_days).tolist(),
        "no_value": NO_VALUE,
    }
    return Packed(_encode(headline, low, step, codes), layout)


def unpack(packed: Packed) -> tuple[np.ndarray, np.ndarray]:
    """Headline (point, quantity, series) and curve values (point, curve, region, material, series, sample).

    The Python mirror of the page's reader, for tests and for anyone reading a page's data.
    """
    lay = packed.layout
    raw = zlib.decompress(packed.blob)
    n_head = lay["points"] * lay["quantities"] * lay["series"]
    n_range = lay["points"] * lay["curves"] * lay["regions"] * lay["materials"]
    shape = (lay["points"], lay["curves"], lay["regions"], lay["materials"], lay["series"], lay["samples"])
    n_codes = int(np.prod(shape))
    floats = np.frombuffer(raw, "<f8", n_head + 2 * n_range)
    headline = floats[:n_head].reshape(lay["points"], lay["quantities"], lay["series"])
    low = floats[n_head : n_head + n_range].reshape(shape[:4])
    step = floats[n_head + n_range :].reshape(shape[:4])
    planes = np.frombuffer(raw, np.uint8, 2 * n_codes, offset=8 * (n_head + 2 * n_range)).astype(np.uint16)
    deltas = ((planes[:n_codes] << 8) | planes[n_codes:]).reshape(shape)
    codes = np.cumsum(deltas, axis=-1, dtype=np.uint16)  # wraps modulo 2**16 like the encoder
    return headline, dequantise(codes, low, step)


def base64_size(n_bytes: int) -> int:
    """Characters of ``n_bytes`` in base64.

    >>> base64_size(0), base64_size(1), base64_size(3), base64_size(4)
    (0, 4, 4, 8)
    """
    return 4 * ((n_bytes + 2) // 3)


def _sample_points(points: int, blocks: int = 4, block: int = 16) -> np.ndarray:
    """Points to try a stride on: a few runs of consecutive points spread over the grid.

    Consecutive points are alike and compress together, as in the whole blob; a sparse
    sample would overestimate the size about twofold.

    >>> _sample_points(10).tolist() == list(range(10)), _sample_points(1000)[[0, 15, 16, 63]].tolist()
    (True, [0, 15, 328, 999])
    """
    if points <= blocks * block:
        return np.arange(points)
    starts = np.linspace(0, points - block, blocks).round().astype(int)
    return np.concatenate([np.arange(start, start + block) for start in starts])


def pack_within(curves: np.ndarray, headline: np.ndarray, budget_chars: int) -> Packed:
    """The finest of :data:`STRIDES_DAYS` whose blob, in base64, fits ``budget_chars``.

    Each stride is first tried on a sample of the points (compressing every point of a
    large grid at a fine stride that cannot fit would take seconds); the whole grid is
    packed only when the sample's size, scaled up, fits with 5% to spare, and is kept
    only if it really fits. Raises ``ValueError`` when even the coarsest stride does not.
    """
    points = curves.shape[0]
    sample = _sample_points(points)
    for stride in STRIDES_DAYS:
        if len(sample) < points:
            trial = pack(curves[sample], headline[sample], stride)
            if base64_size(len(trial.blob)) * points / len(sample) > 0.95 * budget_chars:
                continue
        packed = pack(curves, headline, stride)
        if base64_size(len(packed.blob)) <= budget_chars:
            return packed
    raise ValueError(
        f"the grid's curves do not fit in {budget_chars:,} characters even at {STRIDES_DAYS[-1]}-day windows"
    )
