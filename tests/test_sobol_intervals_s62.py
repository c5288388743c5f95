"""Sobol' intervals a referee can trust: stable half-widths, no --samples from a sparse metric, overlaps said.

The Ishigami function (SALib's test function, a = 7, b = 0.1, inputs uniform on [-pi, pi]) has
published indices: S1 = 0.3139, 0.4424, 0 and ST = 0.5576, 0.4424, 0.2437 (Ishigami and Homma
1990; Saltelli et al. 2008, Global Sensitivity Analysis, the Primer, section 4.7). A half-width
is 1.96 bootstrap standard deviations estimated from R resamples; a standard deviation estimated
from R draws varies by about 1 / sqrt(2 (R - 1)) of itself: 7% at 100 resamples, 2.2% at 1000.
The cautions are tested on tables written by hand, the referee's numbers.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from SALib.test_functions import Ishigami

from simulator.sensitivity import ranking_note, top_drivers
from simulator.sensitivity.indices import analyse, sample

TRUE_S1 = np.array([0.3139, 0.4424, 0.0])
TRUE_ST = np.array([0.5576, 0.4424, 0.2437])


def ishigami(samples: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The study's unit-cube design for three inputs, and Ishigami's value at each point."""
    unit = sample("sobol", samples, 3, seed)
    return unit, Ishigami.evaluate(-np.pi + 2 * np.pi * unit)


def test_ishigamis_published_indices_lie_within_the_intervals():
    unit, y = ishigami(1024, seed=42)
    found = analyse("sobol", unit, y, seed=42)
    assert (np.abs(found["S1"] - TRUE_S1) <= found["S1_conf"]).all(), found
    assert (np.abs(found["ST"] - TRUE_ST) <= found["ST_conf"]).all(), found


def test_a_half_width_is_stable_from_one_bootstrap_seed_to_another():
    """Over 20 bootstrap seeds on one design, each half-width's standard deviation is under 5% of
    its mean: about 2.2% expected at 1000 resamples, 7% at SALib's default of 100."""
    unit, y = ishigami(256, seed=7)
    widths = np.array([np.r_[f["S1_conf"], f["ST_conf"]] for f in (analyse("sobol", unit, y, s) for s in range(20))])
    spread = widths.std(axis=0, ddof=1) / widths.mean(axis=0)
    assert (spread < 0.05).all(), spread
    assert (spread > 0.005).all(), spread  # the seed does reach the bootstrap: the widths differ


def test_the_intervals_are_the_same_bit_for_bit_from_the_same_seed():
    unit, y = ishigami(128, seed=3)
    first, again, other = analyse("sobol", unit, y, 11), analyse("sobol", unit, y, 11), analyse("sobol", unit, y, 12)
    assert all(np.array_equal(first[k], again[k]) for k in first)
    assert np.array_equal(first["ST"], other["ST"]) and not np.array_equal(first["ST_conf"], other["ST_conf"])


def sobol(metric: str, rows: list[tuple[str, float, float]]) -> pd.DataFrame:
    """(label, ST, ST_conf) per input of one metric; S1 below ST."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "S1": st / 2, "S1_conf": 0.01, "ST": st, "ST_conf": conf}
            | {"label": label}
            for label, st, conf in rows
        ]
    )


# the referee's total shortfall at --samples 128: no interval wider than its estimate
TOTAL = sobol(
    "total_shortfall_t",
    [("light short-run elasticity", 0.46, 0.23), ("EU light stock", 0.26, 0.14), ("Japan light demand", 0.24, 0.14)],
)


def test_ranked_inputs_whose_intervals_overlap_get_a_caution():
    # 0.46 - 0.23 = 0.23 is below 0.26 + 0.14 = 0.40, and 0.26 - 0.14 = 0.12 below 0.24 + 0.14 = 0.38
    line, caution = top_drivers(TOTAL, "sobol")
    assert line.startswith("Total shortfall (t): light short-run elasticity (ST 0.46 +- 0.23, S1 0.23), ")
    assert caution == (
        "  caution: intervals overlap for light short-run elasticity, EU light stock and Japan light demand: "
        "their order is not established"
    )
    # the leader narrowed to 0.46 +- 0.05 (0.41 to 0.51) stands apart from 0.40: only the two behind overlap
    apart = TOTAL.assign(ST_conf=[0.05, 0.14, 0.14])
    assert top_drivers(apart, "sobol")[1] == (
        "  caution: intervals overlap for EU light stock and Japan light demand: their order is not established"
    )
    # 0.46 +- 0.05, 0.26 +- 0.01 (0.25 to 0.27), 0.24 +- 0.004 (0.236 to 0.244): every order established
    assert top_drivers(TOTAL.assign(ST_conf=[0.05, 0.01, 0.004]), "sobol") == [
        "Total shortfall (t): light short-run elasticity (ST 0.46 +- 0.05, S1 0.23), "
        "EU light stock (ST 0.26 +- 0.01, S1 0.13), Japan light demand (ST 0.24 +- 0.00, S1 0.12)"
    ]
    # no interval wider than its estimate, so no --samples either
    assert ranking_note(TOTAL, "sobol", 128, 8, nonzero={}, runs=1280) is None


# the referee's Japan shortfall, non-zero in 11 of 1,280 runs: wide intervals that set the suggested samples
JAPAN = sobol(
    "shortfall_t.japan",
    [("light precaution gain", 0.25, 0.98), ("Japan light demand", 0.22, 0.45), ("EU light stock", 0.13, 0.2)],
)


def test_a_metric_non_zero_in_few_runs_says_its_intervals_are_not_to_be_trusted_and_suggests_no_samples():
    table = pd.concat([TOTAL, JAPAN], ignore_index=True)
    nonzero = {"total_shortfall_t": 694, "shortfall_t.japan": 11}
    lines = top_drivers(table, "sobol", nonzero=nonzero, runs=1280)
    assert lines[2].startswith("Shortfall, Japan (t), non-zero in only 11 of 1,280 runs: ")
    assert lines[3].startswith(
        "  caution: its intervals rest on those 11 runs: not to be trusted, nor a --samples drawn from them; "
        "interval wider than the estimate for 3 of the 3 shown"
    )
    # unflagged, Japan would set 128 x (0.98 / 0.25)^2 = 1,967: --samples 2048
    assert "--samples 2048" in ranking_note(table, "sobol", 128, 8, nonzero={}, runs=1280)
    note = ranking_note(table, "sobol", 128, 8, nonzero=nonzero, runs=1280)
    assert note == (
        "where an interval is wider than its estimate the samples are too few to rank the inputs; "
        "shortfall_t.japan is non-zero in only 11 of 1,280 runs: its intervals rest on those 11 runs: "
        "not to be trusted, nor a --samples drawn from them"
    )
    # 11 of 64 runs is not few (5% of 64 is 3.2): the suggestion stands
    assert "--samples 2048 (20,480 runs)" in ranking_note(table, "sobol", 128, 8, nonzero=nonzero, runs=64)


def test_other_metrics_wide_intervals_still_set_the_samples_without_the_sparse_one():
    # total shortfall at 0.44 +- 0.88: 128 x (0.88 / 0.44)^2 = 512; Japan's 1,967 is left out
    wide_total = sobol("total_shortfall_t", [("light short-run elasticity", 0.44, 0.88)])
    table = pd.concat([wide_total, JAPAN], ignore_index=True)
    note = ranking_note(table, "sobol", 128, 8, nonzero={"total_shortfall_t": 694, "shortfall_t.japan": 11}, runs=1280)
    assert note.startswith(
        "where an interval is wider than its estimate the samples are too few to rank the inputs; "
        "shortfall_t.japan is non-zero in only 11 of 1,280 runs: "
    )
    assert note.endswith(
        "as a rough guide, --samples 512 (5,120 runs) would bring every shown interval of the other metrics "
        "within its estimate"
    )


def test_a_large_study_bootstraps_fewer_resamples_so_its_memory_stays_bounded(monkeypatch):
    """1,000 resamples of 65,536 samples took 4.3 GB for one metric, after all the runs: above 4,096 samples the
    resamples fall as 2**22 / N (16,384 samples: 256), never below SALib's default 100."""
    from SALib.analyze import sobol as salib_sobol

    asked: list[int] = []

    def analyze(problem, y, **options):
        asked.append(options["num_resamples"])
        return {name: np.zeros(problem["num_vars"]) for name in ("S1", "S1_conf", "ST", "ST_conf")}

    monkeypatch.setattr(salib_sobol, "analyze", analyze)
    for samples in (128, 4096, 16384, 65536):
        y = np.arange(samples * 3, dtype=float)  # one input: N x (1 + 2) runs
        analyse("sobol", np.zeros((samples * 3, 1)), y, seed=0)
    assert asked == [1000, 1000, 256, 100]
