"""The terminal's top drivers say when the indices cannot rank: intervals wider than the estimates, S1 above ST.

Index tables are written by hand (the audit's numbers); the suggested ``--samples`` is worked
out from the half-width's 1/sqrt(N) scaling: an interval k times its estimate at N samples
needs about N k^2, rounded up to a power of two for Sobol'.
"""

from __future__ import annotations

import pandas as pd

from simulator.sensitivity import ranking_note, samples_to_rank, top_drivers
from tests.helpers import invoke
from tests.test_sensitivity import write

TOTAL = "total_shortfall_t"


def sobol(rows: list[tuple[str, float, float, float]], metric: str = TOTAL) -> pd.DataFrame:
    """(label, ST, ST_conf, S1) per input."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "S1": s1, "S1_conf": 0.01, "ST": st, "ST_conf": conf}
            | {"label": label}
            for label, st, conf, s1 in rows
        ]
    )


# the audit's total shortfall at --samples 16: every shown interval many times its estimate
AUDIT_16 = [("elasticity", 0.57, 7.37, 0.81), ("Japan light demand", 0.44, 18.47, 0.37), ("EU stock", 0.37, 9.75, 0.67)]


def test_intervals_wider_than_their_estimates_and_s1_above_st_are_said_under_the_ranking():
    line, caution = top_drivers(sobol(AUDIT_16), "sobol")
    assert line.startswith("Total shortfall (t): elasticity (ST 0.57 +- 7.37, S1 0.81), ")
    # 7.37 > 0.57, 18.47 > 0.44, 9.75 > 0.37; S1 above ST: 0.81 > 0.57 and 0.67 > 0.37 (0.37 < 0.44 is not)
    # and every interval holds its neighbours' estimates: the three overlap
    assert caution == (
        "  caution: interval wider than the estimate for 3 of the 3 shown: too few samples to rank; "
        "intervals overlap for elasticity, Japan light demand and EU stock: their order is not established; "
        "S1 above ST for 2 inputs: sampling noise"
    )


def test_the_audits_s1_above_st_at_128_samples_is_called_sampling_noise_in_the_figures_words():
    # "ST 0.52 +- 1.08, S1 0.70": the interval is wider too; a second input is well estimated
    _, caution = top_drivers(sobol([("demand", 0.52, 1.08, 0.70), ("stock", 0.3, 0.1, 0.2)]), "sobol")
    assert caution == (  # demand's interval, 0.52 - 1.08 to 0.52 + 1.08, holds stock's 0.2 to 0.4
        "  caution: interval wider than the estimate for 1 of the 2 shown: too few samples to rank; "
        "intervals overlap for demand and stock: their order is not established; "
        "S1 above ST for 1 input: sampling noise"
    )
    (alone,) = top_drivers(sobol([("demand", 0.52, 0.1, 0.50), ("stock", 0.3, 0.1, 0.2)]), "sobol")
    assert "caution" not in alone  # narrow intervals, S1 within ST: nothing to doubt


def test_an_interval_equal_to_its_estimate_or_an_input_not_shown_is_not_flagged():
    table = sobol([("a", 0.5, 0.5, 0.4), ("b", 0.3, 0.1, 0.2), ("c", 0.01, 0.4, 0.0)])
    assert top_drivers(table, "sobol", 2) == [  # a's interval, 0 to 1, holds b's: an overlap, not a wide interval
        "Total shortfall (t): a (ST 0.50 +- 0.50, S1 0.40), b (ST 0.30 +- 0.10, S1 0.20)",
        "  caution: intervals overlap for a and b: their order is not established",
    ]
    assert ranking_note(table, "sobol", 64, 3, nonzero={}, runs=320, count=2) is None
    assert top_drivers(table, "sobol", 3)[1] == (  # c's interval, -0.39 to 0.41, reaches b's 0.2 to 0.4
        "  caution: interval wider than the estimate for 1 of the 3 shown: too few samples to rank; "
        "intervals overlap for a, b and c: their order is not established"
    )


def test_a_near_zero_input_shown_behind_a_dominant_one_neither_cautions_nor_sets_the_samples():
    """ST 0.002 +- 0.01 is wider than its estimate, but even at the top of its interval (0.012)
    it is under 5% of the leader's 0.80 (0.04): it cannot change the ranking, so no caution and
    no note (flagged, it would suggest 16 x (0.01 / 0.002)^2 = 400, i.e. --samples 512)."""
    table = sobol([("a", 0.80, 0.06, 0.75), ("b", 0.10, 0.03, 0.08), ("c", 0.002, 0.01, 0.0)])
    assert top_drivers(table, "sobol") == [
        "Total shortfall (t): a (ST 0.80 +- 0.06, S1 0.75), b (ST 0.10 +- 0.03, S1 0.08), c (ST 0.00 +- 0.01, S1 0.00)"
    ]
    assert samples_to_rank(table, "sobol", 16) is None
    assert ranking_note(table, "sobol", 16, 3, nonzero={}, runs=80) is None
    # at 0.03 +- 0.04 its interval reaches 0.07, past 0.04: its place is in doubt, and it sets the samples,
    # 16 x (0.04 / 0.03)^2 = 28.4: 32
    doubtful = sobol([("a", 0.80, 0.06, 0.75), ("b", 0.10, 0.03, 0.08), ("c", 0.03, 0.04, 0.0)])
    assert top_drivers(doubtful, "sobol")[1] == (  # b's interval, 0.07 to 0.13, meets c's, -0.01 to 0.07
        "  caution: interval wider than the estimate for 1 of the 3 shown: too few samples to rank; "
        "intervals overlap for b and c: their order is not established"
    )
    assert samples_to_rank(doubtful, "sobol", 16) == 32
    # Morris alike, in the metric's unit: 2 +- 5 t is under 5% of 400 t (20 t)
    morris = pd.DataFrame(
        {"metric": TOTAL, "parameter": ["a", "c"], "label": ["a", "c"], "mu_star": [400.0, 2.0]}
        | {"mu_star_conf": [30.0, 5.0], "sigma": [80.0, 1.0], "mu": [400.0, 2.0]}
    )
    assert (
        len(top_drivers(morris, "morris")) == 1 and ranking_note(morris, "morris", 10, 2, nonzero={}, runs=30) is None
    )


def test_the_suggested_samples_follow_the_one_over_root_n_scaling_of_the_widest_interval():
    # 16 x (0.92 / 0.44)^2 = 69.95 (the widest relative to its estimate): next power of two 128
    narrower = [
        ("elasticity", 0.57, 0.74, 0.81),
        ("Japan light demand", 0.44, 0.92, 0.37),
        ("EU stock", 0.37, 0.49, 0.67),
    ]
    assert samples_to_rank(sobol(narrower), "sobol", 16) == 128
    # 65 inputs: 128 x (65 + 2) runs
    assert ranking_note(sobol(narrower), "sobol", 16, 65, nonzero={}, runs=1072) == (
        "where an interval is wider than its estimate the samples are too few to rank the inputs; "
        "intervals narrow about as 1/sqrt(N): as a rough guide, --samples 128 (8,576 runs) "
        "would bring every shown interval within its estimate"
    )
    # the audit's half-widths (7.37, 18.47, 9.75) are past any share of the variance: no number is scaled from them
    assert samples_to_rank(sobol(AUDIT_16), "sobol", 16) is None
    assert ranking_note(sobol(AUDIT_16), "sobol", 16, 65, nonzero={}, runs=1072) == (
        "where an interval is wider than its estimate the samples are too few to rank the inputs; "
        "more samples narrow the intervals"
    )
    # Morris: trajectories need not be a power of two; 10 x (300 / 100)^2 = 90, 90 x (4 + 1) runs
    morris = pd.DataFrame(
        {"metric": TOTAL, "parameter": ["a", "b"], "label": ["a", "b"], "mu_star": [100.0, 50.0]}
        | {"mu_star_conf": [300.0, 20.0], "sigma": [80.0, 10.0], "mu": [100.0, 50.0]}
    )
    assert samples_to_rank(morris, "morris", 10) == 90
    line, caution = top_drivers(morris, "morris")
    assert line == "Total shortfall (t): a (mu* 100 +- 300, sigma 80), b (mu* 50 +- 20, sigma 10)"
    assert caution == (  # a's interval, -200 to 400, holds b's 30 to 70
        "  caution: interval wider than the estimate for 1 of the 2 shown: too few samples to rank; "
        "intervals overlap for a and b: their order is not established"
    )
    assert "--samples 90 (450 runs)" in ranking_note(morris, "morris", 10, 4, nonzero={}, runs=50)


def test_a_suggestion_past_the_run_limit_says_so_and_one_without_a_positive_estimate_gives_no_number():
    # 16 x (0.9 / 0.001)^2 = 12,960,000 -> 16,777,216 x 67 runs, far past the 10,000,000 a study may make
    assert ranking_note(sobol([("a", 0.001, 0.9, 0.0)]), "sobol", 16, 65, nonzero={}, runs=1072).endswith(
        "more than the 10,000,000 runs a study may make: vary fewer inputs (--input)"
    )
    # an estimate at or below 0 sets no target: the interval is still wider than it
    assert ranking_note(sobol([("a", -0.02, 0.3, 0.0)]), "sobol", 16, 3, nonzero={}, runs=80) == (
        "where an interval is wider than its estimate the samples are too few to rank the inputs; "
        "more samples narrow the intervals"
    )


def test_the_command_cautions_at_4_samples_and_not_at_the_samples_it_suggests(tmp_path):
    """The test world (tests/test_sensitivity.py): 4 base samples give wide intervals and a rough
    guide; at 256 the shown intervals fall within their estimates. (Bootstrapping 4 base samples
    a thousand times draws some resamples with almost no variance, whose indices run far past 1:
    the half-widths at 4 are not a number to scale from, only a sign the samples are too few.)"""
    args = ("--metric", "shortfall_t.japan", "--workers", 1)
    few = invoke("sensitivity", write(tmp_path), "--samples", 4, *args, "-o", tmp_path / "few")
    assert few.exit_code == 0, few.output
    assert "\n    caution: interval wider than the estimate for 2 of the 3 shown: too few samples to rank" in few.output
    # half-widths of 86 and 78 (a thousand resamples of 4 samples) are past any share: no --samples is scaled
    # from them (it was 4,194,304, more runs than a study may make, for a world clean at 256)
    assert "more samples narrow the intervals" in few.output and "rough guide" not in few.output
    enough = invoke("sensitivity", write(tmp_path), "--samples", 256, *args, "-o", tmp_path / "enough")
    assert enough.exit_code == 0, enough.output
    assert "interval wider" not in enough.output and "rough guide" not in enough.output
