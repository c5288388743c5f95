"""The console's fairness headline says what 1/n means where its interval reaches it (0.5 with two members)."""

from __future__ import annotations

import types

import numpy as np
import pandas as pd

from simulator.names import jain_definition
from simulator.sensitivity.intervals import fairness_ends_text


def found_of(
    members: list[str], short_samples: int = 37, without_demand: tuple[str, ...] = ()
) -> types.SimpleNamespace:
    """A study of 100 samples, ``short_samples`` of them with a member short, whose club is ``members``.

    Each member uses ``ree`` (1 t/day) but those ``without_demand``, which use nothing.
    """
    uses = {"ree": types.SimpleNamespace(tonnes_per_day=1.0)}
    regions = {m: types.SimpleNamespace(demand={} if m in without_demand else uses) for m in members}
    scenario = types.SimpleNamespace(
        agreement=types.SimpleNamespace(members=members), regions=regions, materials=["ree"]
    )
    return types.SimpleNamespace(
        study=types.SimpleNamespace(scenario=scenario),
        runs=100,
        short=np.arange(100) < short_samples,
        headlines=pd.DataFrame({"metric": ["fairness_jain"], "samples": [short_samples]}),
    )


def row(p5: float, median: float, p95: float, metric: str = "fairness_jain") -> types.SimpleNamespace:
    return types.SimpleNamespace(metric=metric, p5=p5, median=median, p95=p95)


def test_an_interval_at_one_half_with_two_members_says_one_member_bears_it_all():
    said = fairness_ends_text(found_of(["japan", "eu"]), row(0.5, 0.5, 0.5))
    assert said == "1 = each short the same share of its demand; 0.5 = one of two members bears it all"


def test_the_lowest_end_is_one_over_the_members_counted():
    assert fairness_ends_text(found_of(["a", "b", "c", "d", "e"]), row(0.2, 0.41, 0.9)).endswith(
        "0.2 = one of five members bears it all"
    )
    assert fairness_ends_text(found_of(["a", "b", "c", "d", "e"]), row(0.5, 0.5, 0.5)) == ""  # not 1/5


def test_one_over_n_counts_the_members_with_demand():
    # three members, Korea using nothing: the index leaves it out, one of the two others bearing it all is 1/2
    three = found_of(["japan", "eu", "korea"], without_demand=("korea",))
    assert fairness_ends_text(three, row(0.5, 0.5, 0.5)).endswith("0.5 = one of two members bears it all")
    assert fairness_ends_text(three, row(1 / 3, 0.45, 0.9)) == ""  # 1/3 is no end with two members counted
    assert fairness_ends_text(found_of(["japan", "korea"], without_demand=("korea",)), row(1.0, 1.0, 1.0)) == ""


def test_nothing_is_added_away_from_one_over_n_or_for_other_figures_or_without_a_short_sample():
    assert fairness_ends_text(found_of(["japan", "eu"]), row(0.6, 0.8, 1.0)) == ""
    assert fairness_ends_text(found_of(["japan", "eu"]), row(0.5, 0.5, 0.5, metric="total_shortfall_t")) == ""
    assert fairness_ends_text(found_of(["japan", "eu"], short_samples=0), row(0.5, 0.5, 0.5)) == ""
    assert fairness_ends_text(found_of(["japan"]), row(1.0, 1.0, 1.0)) == ""


def test_the_report_and_the_console_share_the_definition():
    assert (
        jain_definition(3) == "1 = each short the same share of its demand; 0.333 = one of three members bears it all"
    )
