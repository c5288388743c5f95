"""What check's summaries say (audit of ``stockpile check --junit``, ``-q --format markdown``).

The one-line summary of a drift (JUnit ``message``, GitHub annotation, Markdown) leads with
the total shortfall when that moved, and called it "largest" whatever its size:
``largest: total_shortfall_t ... (+0.5%), released_t ... (+10.5%)`` (seen after a scenario's
demand was raised by 8%). A quiet Markdown summary of a check that passed printed a table
header over no rows.
"""

from __future__ import annotations

from simulator.gate.compare import Drift, Outcome
from simulator.gate.formats import moved_summary
from tests import test_check
from tests.test_check import check

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo

CAUSE = "3 numbers moved beyond tolerance; scenario unchanged: the code moved the numbers"
RELEASED = Drift("s", "japan", "light_ree", "released_t", 2048.59, 2264.51)  # +215.92, 215.92 / 2048.59 = +10.5%
DEMAND = Drift("s", "japan", "all", "demand_t", 34821.0, 37595.0)  # +2774, 2774 / 34821 = +8.0%


def test_a_total_shortfall_that_is_not_the_largest_move_leads_but_is_not_called_largest():
    total = Drift("s", "all", "all", "total_shortfall_t", 7111.33, 7147.54)  # +36.21, 36.21 / 7111.33 = +0.5%
    assert moved_summary(Outcome("s", "s.yaml", "drift", [DEMAND, total, RELEASED])) == (
        f"{CAUSE}; total_shortfall_t 7111.33 -> 7147.54 (+36.21, +0.5%); largest: released_t japan/light_ree "
        "2048.59 -> 2264.51 (+215.92, +10.5%), demand_t japan/all 34821 -> 37595 (+2774, +8.0%)"
    )


def test_a_total_shortfall_that_is_the_largest_move_is_the_first_of_the_largest():
    total = Drift("s", "all", "all", "total_shortfall_t", 5000, 5940)  # +940, 940 / 5000 = +18.8%
    assert moved_summary(Outcome("s", "s.yaml", "drift", [DEMAND, total, RELEASED])) == (
        f"{CAUSE}; largest: total_shortfall_t 5000 -> 5940 (+940, +18.8%), released_t japan/light_ree "
        "2048.59 -> 2264.51 (+215.92, +10.5%), demand_t japan/all 34821 -> 37595 (+2774, +8.0%)"
    )


def test_a_quiet_markdown_summary_of_a_check_that_passed_has_no_empty_table(pair_repo):
    """It printed the scenarios' table header over no rows (audit of ``check -q --format markdown``)."""
    result = check(pair_repo, "-q", "--format", "markdown")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[:2] == ["### Scenario check: all 1 match their baselines", ""]
    assert lines[2].startswith(f"1 scenario of {pair_repo}/ checked in ") and len(lines) == 3
    assert lines[2].endswith(": 1 ok; tolerances rtol 1e-09, atol 1e-06 (the defaults)")
    # a check that fails keeps its table, with the failed scenario only
    (pair_repo / "baselines" / "pair.json").unlink()
    table = check(pair_repo, "-q", "--format", "markdown").output.splitlines()[2:5]
    assert table[:2] == ["| status | scenario | file | what moved |", "|---|---|---|---|"]
    escaped = str(pair_repo).replace("_", "\\_")  # pytest's folder names hold _, escaped in Markdown
    assert table[2].startswith(f"| no baseline | pair | {escaped}/pair.yaml | no baseline at ")
