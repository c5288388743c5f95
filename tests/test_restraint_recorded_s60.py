"""The IEA rule records the demand its restraint held back as it decides (releases.csv's ``restraint_t.<member>``).

Small worlds worked out by hand: the one of tests/test_ess_stand_down_s60.py (a halt, then a cut, then
nothing), the same pair once the pool is empty, a selective trigger alone, and a rule without restraint.
Both engines call the same kernel; the last test captures the kernel's records of a fast-path batch and of
the reference engine run by run and finds them equal bit for bit.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from simulator.engine import simulate
from simulator.fastpath import run_batch
from simulator.kernel import Kernel
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch
from simulator.release import iea_ess
from simulator.scenario import validate_data
from tests.helpers import LONG_HALT_ESS, ROOT, build, run, series, shipped_group, shipped_with
from tests.invariants import check_invariants
from tests.test_agreement import IEP_PAIR
from tests.test_ess_stand_down_s60 import HALT_THEN_CUT


def _restraint(result: Any, member: str) -> dict[int, float]:
    """``restraint_t.<member>`` by day of releases.csv (its days are the rule's decided days)."""
    rows = result.releases
    return dict(zip(rows["day"].tolist(), rows[f"restraint_t.{member}"].tolist(), strict=True))


def test_the_restraint_recorded_each_day_is_the_hand_worked_one():
    result = run(HALT_THEN_CUT)
    # days 0-6: the group loses 25% (>= 12%): restraint 10% of 100 t, each member short 10 t, all of it restraint;
    # days 7-10: it loses 10% (>= 7%, < 12%): 7%, each short 7 t; from day 11 no loss: no decision, no row
    hand = {day: 10.0 if day < 7 else 7.0 for day in range(11)}
    for member in ("a", "b"):
        assert _restraint(result, member) == pytest.approx(hand)
        assert series(result, "shortfall_t", member)[11:] == pytest.approx(0.0)


def test_past_the_restraint_the_shortfall_is_the_obligation_the_empty_pool_could_not_give():
    result = run(build(IEP_PAIR, horizon_days=14))
    check_invariants(result)
    # a halved for good, 300 t in the pool: restraint 10%, 30 t drawn a day for 10 days; from day 10 the pool is
    # empty and each member is short 25 t (tests/test_agreement.py), of which the restraint is still 10 t
    for member in ("a", "b"):
        assert series(result, "shortfall_t", member) == pytest.approx([10.0] * 10 + [25.0] * 4)
        assert _restraint(result, member) == pytest.approx(dict.fromkeys(range(14), 10.0))


def test_a_member_above_its_right_under_the_selective_trigger_alone_holds_back_only_what_it_passes_on():
    # a loses 10 of its 100 t (>= 7% of its own), the group 5% (< 7%): the selective trigger alone, restraint 7%,
    # nothing drawn; rights 93 + 93: b passes a the 3 t a lacks, a uses 93 t (7 t held back), b 97 t (3 t)
    e = iea_ess(np.array([100.0, 100.0]), np.array([90.0, 100.0]), np.ones(2), np.full(2, np.inf), np.array(50.0))
    assert bool(e.selective) and e.transferred_t == pytest.approx([3.0, -3.0])
    assert e.restraint_t == pytest.approx([7.0, 3.0])


def test_no_trigger_no_restraint():
    # a loses 2 t (2% of its own, 1% of the group's): the rule applies, no trigger holds, nothing is held back
    e = iea_ess(np.array([100.0, 100.0]), np.array([98.0, 100.0]), np.ones(2), np.full(2, np.inf), np.array(50.0))
    assert not (e.general or e.selective)
    assert e.restraint_t.tolist() == [0.0, 0.0]


def test_a_rule_without_restraint_records_none_on_its_decided_days():
    fair = build(HALT_THEN_CUT, agreement__mechanism="fair_ratio", agreement__ratio={"a": 0.5, "b": 0.5})
    result = run(fair)
    check_invariants(result)
    assert len(result.releases) > 0 and set(result.releases["mechanism"]) == {"fair_ratio"}
    for member in ("a", "b"):
        assert set(_restraint(result, member).values()) == {0.0}


def _recorded(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, np.ndarray]]:
    """The kernel's ``restraint_t`` of every day it steps from now on: (day, copy of (member, material, run))."""
    seen: list[tuple[int, np.ndarray]] = []
    market = Kernel.market

    def recording(self: Kernel, day: int, *args: Any) -> Any:
        day_record = market(self, day, *args)
        seen.append((day, day_record.agreement.restraint_t.copy()))
        return day_record

    monkeypatch.setattr(Kernel, "market", recording)
    return seen


def test_both_engines_record_the_same_restraint_bit_for_bit(monkeypatch):
    # three runs that act on different days: the halt and cut above; a cut too small to trigger (the rule
    # decides on days 7-10 and holds nothing back); a pool that runs out on day 6 (100 t each: 200 of 210 t)
    variants = [
        HALT_THEN_CUT,
        build(HALT_THEN_CUT, shocks__cut__severity=0.1),
        build(
            HALT_THEN_CUT, agreement__pool__contributions={"a": {"ree": {"tonnes": 100}}, "b": {"ree": {"tonnes": 100}}}
        ),
    ]
    plans = [compile_plan(validate_data(data, "test")) for data in variants]
    fast = _recorded(monkeypatch)
    run_batch(stack_plans(plans), draw_batch(plans, [0] * len(plans)))
    batch = [(day, x.copy()) for day, x in fast]
    for k, data in enumerate(variants):
        fast.clear()
        result = simulate(validate_data(data, "test"), seed=0)
        assert [day for day, _ in fast] == [day for day, _ in batch]
        for (day, single), (_, many) in zip(fast, batch, strict=True):
            assert single[..., 0].tobytes() == many[..., k].tobytes(), (k, day)
        recorded = {day: x[:, 0, 0] for day, x in fast}
        for j, member in enumerate(("a", "b")):
            assert _restraint(result, member) == {d: recorded[d][j] for d in _restraint(result, member)}
    # the small cut: days 0-6 as above; on days 7-10 a is short 5 t but no trigger holds
    small = [x[:, 0, 1] for day, x in batch if 0 <= day <= 10]
    assert np.array(small) == pytest.approx(np.array([[10.0, 10.0]] * 7 + [[0.0, 0.0]] * 4))


def _page_text() -> str:
    """docs/release-rules.md on one line."""
    return " ".join((ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8").split())


@shipped_group("embargo_2010")
def test_the_long_halts_recorded_restraint_is_what_the_page_says():
    result = shipped_with("embargo_2010", LONG_HALT_ESS)
    text = _page_text()
    recorded = result.releases.groupby("material")[["restraint_t.japan", "restraint_t.eu"]].sum()
    short = result.timeseries.groupby(["material", "region"])["shortfall_t"].sum()
    # light rare earths: every tonne short is restraint (the page's 2,031 t and 531 t)
    for member in ("japan", "eu"):
        assert recorded.loc["light_ree", f"restraint_t.{member}"] == pytest.approx(short["light_ree", member])
    # heavy: 61.5 + 18.1 = 79.6 t of the 300.5 + 88.4 = 389 t short is restraint, the rest undrawn obligation
    heavy = recorded.loc["heavy_ree"]
    assert (round(heavy["restraint_t.japan"], 1), round(heavy["restraint_t.eu"], 1)) == (61.5, 18.1)
    assert (round(heavy.sum(), 1), round(short["heavy_ree"].sum())) == (79.6, 389)
    assert "79.6 t of the members' 389 t short is restraint (Japan 61.5 t, the EU 18.1 t" in text
