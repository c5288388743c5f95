"""Session 51's audit of ``stockpile sensitivity``: what its indices are, and what they count.

Index tables are written by hand where the rule is about the words; the numbers that a study
gives are worked out from the model's invariants (a step of Morris' 4-level grid is 2/3 of the
range, so an elementary effect is 3/2 of the change a step simulated).
"""

from __future__ import annotations

import pandas as pd

from simulator.sensitivity import top_drivers
from simulator.sensitivity.figures import sensitivity_figure

TOTAL = "total_shortfall_t"


def _sobol(rows: list[tuple[str, float, float]], metric: str = TOTAL) -> pd.DataFrame:
    """(label, S1, ST) per input; intervals narrow."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "S1": s1, "S1_conf": 0.01, "ST": st, "ST_conf": 0.01}
            | {"label": label, "metric_unit": "t"}
            for label, s1, st in rows
        ]
    )


def test_floating_point_residue_of_an_input_without_effect_is_not_called_sampling_noise():
    # the audit's se6 study: Japan's ratio changes nothing; SALib leaves S1 2.7e-18 over ST 1.9e-34
    table = _sobol([("quota", 0.09, 0.87), ("Japan's ratio", 2.7346854578045893e-18, 1.9259299443872367e-34)])
    assert top_drivers(table, "sobol") == [
        "Total shortfall (t): quota (ST 0.87 +- 0.01, S1 0.09), Japan's ratio (ST 0.00 +- 0.01, S1 0.00)"
    ]
    assert sensitivity_figure(table, "sobol", 32).axes[0].get_title() == "Total shortfall (t)"
    # a real excess, however small on the page, is still noise to be said
    noisy = _sobol([("quota", 0.09, 0.87), ("ratio", 0.004, 0.001)])
    assert top_drivers(noisy, "sobol")[1] == "  caution: S1 above ST for 1 input: sampling noise"
