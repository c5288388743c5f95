"""What the uncertainty words claim, held to what the samples support (session 62, a statistician's read).

- The report says what its "90% interval" is (the 5th to 95th percentile of the samples, NumPy's linear
  interpolation), and that it is a spread over assumed ranges, not a confidence interval; it no longer says that
  ``stockpile sensitivity`` attributes the variance in full (no second-order terms; the S1 need not add up to 1).
- The headline's statement about the runs nearest the record says how many runs it rests on and that they are no
  evidence by themselves.
- The docs give the headline shares with their exact binomial (Clopper-Pearson) intervals, and the numbers they
  quote for the runs near the record (3 of 3 short) are those of the definitions.

Intervals and p-values are worked out here from their definitions (beta quantiles, binomial coefficients), not with
the functions the docs' blocks call.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from simulator.report.uncertainty import NearRecord
from simulator.report.verdict import not_near_record
from tests.helpers import BROWSER, ROOT
from tests.make_run import make_run_output

COUNTS = {"not_needed": 0, "only_with": 0, "closes": 2, "cuts": 1, "no_help": 0}


def _plain(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", html)).replace("&#x27;", "'").replace("&#39;", "'")


def _linear_percentile(values: np.ndarray, q: float) -> float:
    """The ``q``-th percentile as NumPy's default computes it: linear between the sorted values at (n - 1) q / 100."""
    ranked = np.sort(values)
    at = (len(ranked) - 1) * q / 100
    below = math.floor(at)
    above = min(below + 1, len(ranked) - 1)
    return float(ranked[below] + (at - below) * (ranked[above] - ranked[below]))


@BROWSER  # make run's output, made once in the process that lays out its report (tests/make_run.py)
def test_the_report_says_what_its_90_percent_interval_is_and_not_that_the_variance_is_attributed_in_full(
    tmp_path_factory: pytest.TempPathFactory,
):
    out = make_run_output(tmp_path_factory)
    page = (out / "report.html").read_text(encoding="utf-8")
    sure = _plain(page.split('<section id="uncertainty">', 1)[1].split("</section>", 1)[0])
    assert (
        "A 90% interval runs from the 5th to the 95th percentile of the samples: the spread that the assumed ranges "
        "give the figure, not a confidence interval for it nor a probability that the world lies in it." in sure
    )
    assert "in full" not in sure and "need not add up to the whole" in sure
    # the table's ends are those percentiles, as the words and docs/outputs.md say (worked out by hand)
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    table = pd.read_csv(out / "uncertainty.csv").set_index("metric")
    for metric in ("total_shortfall_t", "min_days_of_cover.japan"):
        values = samples[metric].to_numpy(dtype=float)
        # to rounding: the same interpolation written another way may differ in the last bit
        assert table.loc[metric, "p5"] == pytest.approx(_linear_percentile(values, 5), rel=1e-12, abs=1e-12)
        assert table.loc[metric, "p95"] == pytest.approx(_linear_percentile(values, 95), rel=1e-12, abs=1e-12)


def test_the_statement_on_the_runs_nearest_the_record_says_when_they_are_too_few_to_be_evidence():
    # k of k runs short: the exact 95% interval of the share starts at 0.025^(1/k), above one half from k = 6
    assert next(k for k in range(1, 10) if 0.025 ** (1 / k) > 0.5) == 6
    for runs in (1, 5):
        near = NearRecord(runs, COUNTS, "both recorded peaks", "", ("the EU",), runs)
        assert not_near_record(near) == (
            f"in the {runs} run{'s' if runs > 1 else ''} closest to the recorded prices the EU does run short "
            "without it (too few: see How robust)"
        )
    six = NearRecord(6, COUNTS, "both recorded peaks", "", ("the EU",), 6)
    assert not_near_record(six) == (
        "in the 6 runs closest to the recorded prices the EU does run short without it (see How robust)"
    )


def _clopper_pearson(short: int, runs: int) -> tuple[float, float]:
    """The exact 95% interval of a share, from the beta quantiles that define it."""
    low = 0.0 if short == 0 else stats.beta.ppf(0.025, short, runs - short + 1)
    high = 1.0 if short == runs else stats.beta.ppf(0.975, short + 1, runs - short)
    return float(low), float(high)


def test_the_docs_quote_the_headline_shares_with_their_exact_intervals():
    eu, japan = _clopper_pearson(51, 100), _clopper_pearson(6, 100)
    eu_words = f"{eu[0]:.0%}".rstrip("%") + "–" + f"{eu[1]:.0%}"
    japan_words = f"{japan[0]:.0%}".rstrip("%") + "–" + f"{japan[1]:.0%}"
    assert (eu_words, japan_words) == ("41–61%", "2–13%")
    for page in ("README.md", "docs/getting-started-policy.md", "docs/uncertainty.md"):
        text = re.sub(r"\s+", " ", (ROOT / page).read_text(encoding="utf-8"))
        assert "51 of 100 samples" in text and "51% of 100" not in text, page
        assert eu_words in text and japan_words in text, page


def test_the_docs_numbers_on_the_three_runs_nearest_the_record_are_those_of_the_definitions():
    # 3 of 3 short: the exact lower bound solves p^3 = 0.025
    low, high = _clopper_pearson(3, 3)
    assert (round(low, 2), high) == (round(0.025 ** (1 / 3), 2), 1.0) == (0.29, 1.0)
    # Fisher's exact test of 3 of 3 against 48 of the other 97: the 3 drawn from 100 runs of which 51 are short,
    # two-sided, summing the tables no likelier than the one seen
    chance = {k: math.comb(51, k) * math.comb(49, 3 - k) / math.comb(100, 3) for k in range(4)}
    p = sum(x for x in chance.values() if x <= chance[3] * (1 + 1e-9))
    assert round(p, 2) == 0.24
    for page in ("docs/uncertainty.md", "docs/getting-started-policy.md"):
        text = re.sub(r"\s+", " ", (ROOT / page).read_text(encoding="utf-8"))
        assert "anywhere from 29% to 100% at 95% confidence" in text and "p = 0.24" in text, page
        assert (
            "in the 3 runs closest to the recorded prices the EU does run short without it (too few: see How robust)"
            in text
        )
