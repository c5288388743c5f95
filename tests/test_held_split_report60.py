"""Which run splits the shortage which way (report/held_split.py), tidied in session 60.

``THREE_MEMBERS``: ``TWO_MEMBERS`` (tests/helpers.py) with Japan's 30 t of rare earths a stock it holds today and
Korea a third member (40 t/day, cut off like the others all 60 days) that puts nothing into the pool.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator import counterfactuals
from simulator.counterfactuals import held_stocks_shared, own_share_alone, without_agreement
from simulator.engine import simulate
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, add_material, build, forbid_simulation, run, with_korea, words_page
from tests.test_report import plain

THREE_MEMBERS = with_korea(
    build(TWO_MEMBERS, description="Three members.", agreement__pool__already_held=["japan"]),
    tonnes_per_day=40,
    ratio={"japan": 0.4, "eu": 0.4, "korea": 0.2},
)


def _which_run(data: dict[str, Any]) -> str:
    question = plain(re.search(r'<section id="question">(.*?)</section>', words_page(run(data)), re.S).group(1))
    return next(line for line in question.split("\n") if line.startswith("Which run is which"))


def test_a_member_without_a_contribution_holds_no_stock_today_either() -> None:
    """Korea, with no contribution at all, is one of the members not holding stock today (one definition,
    counterfactuals.members_not_held_today): the status quo gives it nothing, the agreement a share of Japan's 30 t."""
    column, shared = _which_run(THREE_MEMBERS).split("; the agreement kept")
    # no stock and no supply for 60 days: the EU 80 t/day x 60 = 4,800 t, Korea 40 x 60 = 2,400 t
    assert "leaves the EU short of 4,800 t of rare earths and Korea short of 2,400 t of rare earths" in column
    # Japan's 30 t shared 0.4 / 0.4 / 0.2: the EU 12 t less short, Korea 6 t less
    assert "sharing Japan's stock with the EU and Korea too" in shared
    assert "leaves the EU short of 4,788 t of rare earths and Korea short of 2,394 t of rare earths." in shared


def test_the_shared_run_is_made_with_the_reports_other_runs_and_can_be_given(monkeypatch) -> None:
    """The page builder runs nothing itself where the three runs it sets the scenario against are given
    (counterfactuals makes each, held_stocks_shared the third): the sentence reads the run it is given."""
    scenario = validate_data(THREE_MEMBERS, "test")
    result = simulate(scenario)
    alone, shared = without_agreement(result), held_stocks_shared(result)
    own_share = own_share_alone(result, alone)
    assert shared is not None and own_share is not None
    forbid_simulation(monkeypatch)
    monkeypatch.setattr(counterfactuals, "simulate", lambda *args, **kwargs: pytest.fail("simulated"))
    page = words_page(result, alone=alone, own_share=own_share, held_shared=shared)
    assert "leaves the EU short of 4,788 t of rare earths and Korea short of 2,394 t of rare earths." in plain(page)


def test_a_shared_run_of_another_world_is_refused() -> None:
    result = run(THREE_MEMBERS)
    with pytest.raises(ValueError, match="held_shared must be this run's held_stocks_shared"):
        words_page(result, held_shared=without_agreement(result))


def test_the_shortfalls_say_the_materials_shared_words_once() -> None:
    """The sentence joins its tonnages as the rest of the report does (Names.amounts_text): ``4,800 t of light and
    60.0 t of heavy rare earths``, not ``4,800 t of light rare earths and 60.0 t of heavy rare earths``."""
    data = build(
        TWO_MEMBERS,
        description="Two rare earths.",
        agreement__pool__already_held=["japan"],
        materials__ree__label="Light rare earths",
    )
    add_material(data, "heavy", {"price_usd_per_kg": 500, "label": "Heavy rare earths"}, tonnes_per_day=1)
    column, shared = _which_run(data).split("; the agreement kept")
    # the EU cut off 60 days with no stock: 80 t/day of light (4,800 t) and 1 t/day of heavy (60 t) rare earths
    assert column.endswith("leaves the EU short of 4,800 t of light and 60.0 t of heavy rare earths")
    # Japan's 30 t of light shared half and half: the EU 15 t less short
    assert shared.endswith("leaves the EU short of 4,785 t of light and 60.0 t of heavy rare earths.")
