"""What a review of the frontier found, mended: fairness near 1 in words, one number_text below both packages.

Tables are made by hand so that every median, group and efficient point is known.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import simulator.names
import simulator.sensitivity.words
from simulator.sweep import figures
from simulator.sweep.figures import flat_panel, share_text

RATIO = "agreement.ratio.japan"


# 3: a fairness below 1 is never written as 1


def test_a_fairness_just_below_1_at_every_point_is_not_written_as_1():
    table = pd.DataFrame({RATIO: [0.1, 0.9], "run": [0, 0], "fairness_jain": [0.9996, 0.9996]})
    assert flat_panel(table, "fairness_jain", [RATIO]) == "Fairness (Jain's index): 0.9996 at every point"


def test_a_flat_fairness_band_keeps_3_decimals_where_they_do_not_read_1():
    # 21 runs a point: pandas' 5%, 50% and 95% are the 2nd, 11th and 20th smallest
    runs = [0.5, 0.61234, *[0.7] * 8, 0.92145, *[0.95] * 8, 0.99951, 1.0]
    table = pd.DataFrame({RATIO: [0.1] * 21 + [0.9] * 21, "run": list(range(21)) * 2, "fairness_jain": runs * 2})
    # 0.92145 to 3 decimals 0.921; 0.99951 to 3 is 1.000, to 4 0.9995
    assert flat_panel(table, "fairness_jain", [RATIO]) == (
        "Fairness (Jain's index): median 0.921 at every point (5-95% of runs: 0.612 to 0.9995)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(0.99999, "0.99999"), (0.9994, "0.999"), (0.0004, "0.0004"), (0.25, "0.25"), (1.0, "1"), (0.0, "0")],
)
def test_a_share_reads_1_or_0_only_when_it_is(value, text):
    assert share_text(value) == text


# 12b: number_text lives below both the sweep's figures and the sensitivity package


def test_the_sweeps_figures_and_the_sensitivity_words_share_one_number_text():
    assert figures.number_text is simulator.names.number_text
    assert simulator.sensitivity.words.number_text is simulator.names.number_text
    source = Path(figures.__file__).read_text()
    assert not re.search(r"^\s+from simulator\.sensitivity", source, re.MULTILINE)  # no import inside a function
