"""A release cap set but never binding leaves the sharing rules alike, and ``stockpile compare`` says why.

The line on rules alike without a cap was left out wherever ``agreement.release_cap_t_per_day`` was set, even where the
cap never bound: the rules then coincide for the uncapped reason, and no line said so. Whether it bound is read from
the run (the days the stock and the gaps were both above it), not from the settings.

The world (``tests.test_compare_uncapped_s60.world``): Japan 20 t a day and the EU 80 t a day, cut off all 60 days
with no stock of their own, a pool of 300 t, ratio 0.5 each: 100 t of gaps a day.
"""

from __future__ import annotations

import warnings

import simulator
from simulator.compare import cap_bound_days, compare
from tests.helpers import ROOT
from tests.test_compare_uncapped_s60 import RULES, alike_lines, compared, world

NEVER_BINDS = (
    "fair_ratio = proportional_to_demand here (each member's shortfall within 0.1%): the release cap of 1,000 t/day "
    "of rare earths (agreement.release_cap_t_per_day) never binds in their runs (on no day were both the shared "
    "stock and the members' gaps above it), so they are alike as without a cap: the shared stock meets every "
    "member's whole gap on each day it can, and a rule decides who gets what only on a day the stock is smaller than "
    "the gaps, as when it runs out; a cap that binds splits the stock on every day it does, and differently "
    "(docs/release-rules.md#cap-comparison)"
)


def bound_days(cap_t_per_day: float) -> dict[str, int]:
    """The days the cap bound in each rule's run of the world."""
    comparison = compare(world(cap_t_per_day=cap_t_per_day), RULES, "pair.yaml", baseline=False)
    return {rule: cap_bound_days(result) for rule, result in comparison.results.items()}


def test_a_cap_far_above_every_release_gets_the_line_naming_it():
    """1,000 t a day against 100 t of gaps: the 300 t go in three days of 100 t under both rules, as uncapped (Japan
    60 x 20 - 3 x 20 = 1,140 t, the EU 4,560 t), and the line says the cap never bound."""
    shortfalls, lines = compared(world(cap_t_per_day=1000))
    assert shortfalls == {"fair_ratio": (1140.0, 4560.0), "proportional_to_demand": (1140.0, 4560.0)}
    assert alike_lines(lines) == [NEVER_BINDS]
    assert bound_days(1000) == {"fair_ratio": 0, "proportional_to_demand": 0}


def test_a_cap_equal_to_the_gaps_never_binds_one_below_them_does():
    """A cap of 100 t a day releases the 100 t of gaps in full: it never binds (the line, 100 t/day). At 99 t it binds
    on each day the pool holds 99 t or more (300 = 3 x 99 + 3: days 0 to 2 at 99 t, day 3 has 3 t left), three
    days, and the line is not printed, though the rules leave shortfalls alike: on those days fair_ratio gives
    Japan its 20 t (0.5 x 99 > 20), proportional_to_demand 99 x 20/100 = 19.8 t, 0.6 t apart in all."""
    _, lines = compared(world(cap_t_per_day=100))
    assert [line.replace("100 t/day", "1,000 t/day") for line in alike_lines(lines)] == [NEVER_BINDS]
    assert bound_days(100) == {"fair_ratio": 0, "proportional_to_demand": 0}
    assert bound_days(99) == {"fair_ratio": 3, "proportional_to_demand": 3}
    _, lines = compared(world(cap_t_per_day=99))
    assert "never binds" not in "\n".join(lines)


def test_a_cap_that_binds_gets_no_line():
    """50 t a day for 100 t of gaps binds on the six days the 300 t last: fair_ratio gives Japan 20 t a day,
    proportional_to_demand 10 t (1,080 t against 1,140 t short), and no line says they are alike."""
    shortfalls, lines = compared(world(cap_t_per_day=50))
    assert shortfalls == {"fair_ratio": (1080.0, 4620.0), "proportional_to_demand": (1140.0, 4560.0)}
    assert alike_lines(lines) == []
    assert bound_days(50) == {"fair_ratio": 6, "proportional_to_demand": 6}


def test_python_compare_warns_with_the_line():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = simulator.compare(world(cap_t_per_day=1000), RULES, baseline=False)
    assert table.attrs["rule_notes"] == [NEVER_BINDS]
    assert NEVER_BINDS in [str(w.message) for w in caught]


def test_writing_scenarios_pastes_the_line():
    """The guide's "An agreement" gives the line the command prints for the 1,000 t cap."""
    _, lines = compared(world(cap_t_per_day=1000))
    (line,) = alike_lines(lines)
    assert f"```text\n{line}\n```" in (ROOT / "docs" / "writing-scenarios.md").read_text()
