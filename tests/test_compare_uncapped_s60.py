"""Without a release cap the sharing rules leave the members the same shortfalls, and ``stockpile compare`` says why.

Every sharing rule releases ``min(available, sum of gaps)`` and gives no member more than its gap; without
``agreement.release_cap_t_per_day`` ``available`` is all the pool, so each day the pool covers every gap, every rule
meets each in full, and rules differ only on the day it runs short. A newcomer comparing ``fair_ratio`` and
``proportional_to_demand`` saw the same numbers and concluded the rules do not matter; a line under the table now
says why and that a cap tells them apart.

The world: ``TWO_MEMBERS``, Japan 20 t a day and the EU 80 t a day, both cut off from day -100 with no stock of their
own, ratio 0.5 each; the pool is 150 t from each unless a test says otherwise.
"""

from __future__ import annotations

import warnings
from typing import Any

import simulator
from simulator.compare import compare
from simulator.console import compare_text
from tests.helpers import ROOT, TWO_MEMBERS, build

RULES = ["fair_ratio", "proportional_to_demand"]
ALIKE = "fair_ratio = proportional_to_demand here (each member's shortfall within 0.1%): without a release cap"


def world(pool_t_each: float = 150, horizon_days: int = 60, cap_t_per_day: float | None = None) -> dict[str, Any]:
    """``TWO_MEMBERS`` with a pool of ``pool_t_each`` from each member, over ``horizon_days``, capped or not."""
    data = build(TWO_MEMBERS, horizon_days=horizon_days)
    each = {"ree": {"tonnes": pool_t_each}}
    data["agreement"]["pool"]["contributions"] = {"japan": each, "eu": each}
    if cap_t_per_day is not None:
        data["agreement"]["release_cap_t_per_day"] = {"ree": cap_t_per_day}
    return data


def compared(data: dict[str, Any]) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """Japan's and the EU's shortfall (t) under each of :data:`RULES`, and the lines printed under the table."""
    comparison = compare(data, RULES, "pair.yaml", baseline=False)
    shortfalls = {
        rule: (result.metrics["shortfall_t.japan"], result.metrics["shortfall_t.eu"])
        for rule, result in comparison.results.items()
    }
    return shortfalls, compare_text(comparison.table()).splitlines()


def alike_lines(lines: list[str]) -> list[str]:
    """The lines saying two rules leave the same shortfalls."""
    return [line for line in lines if "here (each member's shortfall within 0.1%)" in line]


def test_a_pool_that_meets_every_gap_until_it_is_empty_gives_every_rule_the_same_shortfalls_and_a_line_says_why():
    """300 t against 100 t of gaps a day: three days in full under either rule, nothing after. Japan is short
    60 x 20 - 3 x 20 = 1,140 t, the EU 60 x 80 - 3 x 80 = 4,560 t, under both. A 50 t cap spreads the 300 t over six
    days of 50 t for 100 t of gaps: fair_ratio gives Japan 20 t a day (0.5 x 50 = 25 > 20), proportional_to_demand
    50 x 20/100 = 10 t; Japan is short 1,200 - 120 = 1,080 t against 1,200 - 60 = 1,140 t, and no line is printed.
    A 1,000 t cap never binds (100 t of gaps a day): the shortfalls are the uncapped ones, but the line's reason,
    no cap, does not hold, and it is not printed (a line saying the cap never binds is,
    tests/test_compare_cap_never_binds_s61.py)."""
    shortfalls, lines = compared(world())
    assert shortfalls == {"fair_ratio": (1140.0, 4560.0), "proportional_to_demand": (1140.0, 4560.0)}
    assert alike_lines(lines) == [
        ALIKE + " (agreement.release_cap_t_per_day) the shared stock meets every member's whole gap on each day it "
        "can, so a rule decides who gets what only on a day the stock is smaller than the gaps, as when it runs out; "
        "a cap releases at most so much a day, so the rules split the stock on every day it binds, and differently "
        "(docs/release-rules.md#cap-comparison)"
    ]
    shortfalls, lines = compared(world(cap_t_per_day=50))
    assert shortfalls == {"fair_ratio": (1080.0, 4620.0), "proportional_to_demand": (1140.0, 4560.0)}
    assert alike_lines(lines) == []
    shortfalls, lines = compared(world(cap_t_per_day=1000))
    assert shortfalls == {"fair_ratio": (1140.0, 4560.0), "proportional_to_demand": (1140.0, 4560.0)}
    assert [line for line in alike_lines(lines) if line.startswith(ALIKE)] == []


def test_rules_apart_only_on_the_last_day_of_a_long_run_are_said_alike_of_a_short_run_not():
    """250 t over 365 days: two days in full, then 50 t for 100 t of gaps. fair_ratio gives Japan its whole 20 t,
    proportional_to_demand 10 t: Japan 7,300 - 60 = 7,240 t against 7,250 t, the EU 29,200 - 190 = 29,010 t against
    29,000 t. 10 t of the members' 36,250 t is 0.03%, under 0.1%: alike. Over 60 days the same 10 t (Japan
    1,200 - 60 = 1,140 t or 1,150 t, the EU 4,800 - 190 = 4,610 t or 4,600 t) is 0.17% of 5,750 t: not alike."""
    shortfalls, lines = compared(world(pool_t_each=125, horizon_days=365))
    assert shortfalls == {"fair_ratio": (7240.0, 29010.0), "proportional_to_demand": (7250.0, 29000.0)}
    assert [line[: len(ALIKE)] for line in alike_lines(lines)] == [ALIKE]
    shortfalls, lines = compared(world(pool_t_each=125))
    assert shortfalls == {"fair_ratio": (1140.0, 4610.0), "proportional_to_demand": (1150.0, 4600.0)}
    assert alike_lines(lines) == []


def test_writing_scenarios_shows_the_line_and_the_worked_numbers():
    """The guide's "An agreement" gives the same line and the numbers the tests above work out."""
    guide = (ROOT / "docs" / "writing-scenarios.md").read_text()
    _, lines = compared(world())
    (alike,) = alike_lines(lines)
    assert f"```text\n{alike}\n```" in guide
    for words in ("Japan is short 1,140 t, the EU 4,560 t", "Japan is short 1,080 t against 1,140 t"):
        assert words in " ".join(guide.split())


def test_python_compare_warns_with_the_line_the_command_prints():
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = simulator.compare(world(), RULES, baseline=False)
    said = [str(w.message) for w in caught if issubclass(w.category, UserWarning)]
    assert [line for line in said if line.startswith(ALIKE)], said
    assert table.attrs["rule_notes"] == [line for line in said if line.startswith(ALIKE)]
    with warnings.catch_warnings(record=True) as caught:  # with a cap, even one that never binds: not this line
        warnings.simplefilter("always")
        table = simulator.compare(world(cap_t_per_day=1000), RULES, baseline=False)
    assert not [w for w in caught if str(w.message).startswith(ALIKE)]
    assert not [line for line in table.attrs["rule_notes"] if line.startswith(ALIKE)]
