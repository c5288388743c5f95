"""The registry records which rule-specific settings each release rule reads, and a sweep's note says so.

Sweeping ``agreement.ratio.japan`` under ``equal_awards`` changes no output, and the note said only that; it now says
that the rule does not read the ratio, from :attr:`simulator.mechanisms.Mechanism.reads`. That field is tested against
the rules' code paths: in a world where every setting matters to the rules that read it, sweeping each setting under
every rule changes the outputs of exactly the rules that declare it.

The world: ``TWO_MEMBERS`` (Japan 20 t a day, the EU 80 t a day, no stock of their own) over 90 days, a pool of 1,500 t
from each released at most 50 t a day, bids for both members; an embargo on both for days 0 to 30 (a threat: hybrid
shares by the ratio, the group loses all its supply), then a quota cut of 10% (no threat: hybrid auctions; a loss
between the IEA's 7% and 12% triggers).
"""

from __future__ import annotations

import warnings
from typing import Any

import pytest

import simulator
from simulator.mechanisms import NAMES, RULE_SETTINGS, reads_setting
from tests.helpers import TWO_MEMBERS, build

BIDS = {
    "every_days": 7,
    "bids": {
        "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
        "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
    },
}
SWEPT = {
    "ratio": [{"japan": 0.2, "eu": 0.8}, {"japan": 0.8, "eu": 0.2}],
    "strict": [False, True],
    "auction": [BIDS, {**BIDS, "every_days": 30, "reserve_price_usd_per_kg": {"ree": 60}}],
    "iea_ess": [
        {"restraint": 0.0, "higher_restraint": 0.0, "trigger_loss_share": 0.0},
        {"restraint": 0.09, "higher_restraint": 0.5, "trigger_loss_share": 0.11, "higher_loss_share": 0.5},
    ],
}
"""Two values of each rule-specific setting, apart in every field a rule reads."""
READERS = {
    "ratio": {"hybrid", "fair_ratio"},
    "strict": {"hybrid", "fair_ratio"},
    "auction": {"hybrid", "auction"},
    "iea_ess": {"need_with_restraint", "iea_ess"},
}
"""Who reads what, by hand: the fair ratio (and hybrid under a threat) shares by the ratio and withholds under strict;
the auction (and hybrid without a threat) auctions; the IEA rule and its forerunner restrain demand."""


def world() -> dict[str, Any]:
    """The world of the module docstring."""
    data = build(TWO_MEMBERS, agreement__auction=BIDS, agreement__release_cap_t_per_day={"ree": 50}, horizon_days=90)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 1500}}, "eu": {"ree": {"tonnes": 1500}}}
    data["shocks"] = [
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 0, "end": 30},
        {"id": "cut", "kind": "quota_cut", "supplier": "china", "start": 30, "end": 1000, "severity": 0.1},
    ]
    return data


def quietly_swept(data: dict[str, Any], grid: dict[str, Any], **options: Any) -> tuple[Any, list[str]]:
    """The sweep's table and the notes it warned of."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = simulator.sweep(data, grid, plots=False, **options)
    return table, [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_the_registry_declares_the_readers_worked_out_by_hand():
    assert set(RULE_SETTINGS) == set(READERS)
    for setting, readers in READERS.items():
        assert {name for name in NAMES if reads_setting(name, f"agreement.{setting}")} == readers


@pytest.mark.parametrize("setting", RULE_SETTINGS)
def test_sweeping_a_setting_changes_the_outputs_of_exactly_the_rules_that_read_it(setting: str):
    path = f"agreement.{setting}"
    table, _ = quietly_swept(world(), {"agreement.mechanism": list(NAMES), path: SWEPT[setting]})
    outputs = [c for c in table.columns if c not in (path, "agreement.mechanism", "point", "run", "seed")]
    changed = {
        str(rule)
        for rule, rows in table.groupby("agreement.mechanism", sort=False)
        if any(rows[column].nunique(dropna=False) > 1 for column in outputs)
    }
    assert changed == {name for name in NAMES if reads_setting(name, path)}


ESS_FIELDS = {
    "restraint": ([0.0, 0.09], {"need_with_restraint", "iea_ess"}),
    "trigger_loss_share": ([0.0, 0.11], {"need_with_restraint", "iea_ess"}),
    "higher_restraint": ([0.1, 0.5], {"iea_ess"}),
    "higher_loss_share": ([0.08, 0.5], {"iea_ess"}),
}
"""Two values of a field of ``agreement.iea_ess`` and the rules whose outputs they move in :func:`uncapped_world`, by
hand: both rules restrain demand by ``restraint`` once the loss reaches ``trigger_loss_share`` (the 10% cut lies
between 0 and 11%); only the IEA rule has a second step (``higher_restraint`` from a loss of ``higher_loss_share``: the
cut lies between 8% and 50%, the embargo's whole loss above both)."""


def uncapped_world() -> dict[str, Any]:
    """:func:`world` without its release cap (a cap of half the demand would hide every restraint) and with the IEA
    rule's selective trigger (a single member's loss) out of reach, so that its group trigger alone decides."""
    return build(world(), agreement__release_cap_t_per_day={}, agreement__iea_ess={"selective_loss_share": 0.5})


@pytest.mark.parametrize("field", ESS_FIELDS)
def test_a_field_of_iea_ess_moves_the_outputs_of_exactly_the_rules_that_read_it(field: str):
    path = f"agreement.iea_ess.{field}"
    values, readers = ESS_FIELDS[field]
    table, _ = quietly_swept(
        uncapped_world(), {"agreement.mechanism": ["need_with_restraint", "iea_ess"], path: values}
    )
    outputs = [c for c in table.columns if c not in (path, "agreement.mechanism", "point", "run", "seed")]
    changed = {
        str(rule)
        for rule, rows in table.groupby("agreement.mechanism", sort=False)
        if any(rows[column].nunique(dropna=False) > 1 for column in outputs)
    }
    assert changed == readers == {name for name in ("need_with_restraint", "iea_ess") if reads_setting(name, path)}


def test_the_iea_rules_second_step_swept_under_its_forerunner_is_said_unread():
    _, notes = quietly_swept(
        world(), {"agreement.iea_ess.higher_restraint": [0.1, 0.5]}, set={"agreement.mechanism": "need_with_restraint"}
    )
    assert (
        "agreement.iea_ess.higher_restraint: its values changed no output of this sweep (every metric is the same for "
        "each value); the release rule need_with_restraint (agreement.mechanism) does not read it: only iea_ess reads "
        "agreement.iea_ess"
    ) in notes


NOTE = "agreement.ratio.japan: its values changed no output of this sweep (every metric is the same for each value)"


def test_a_ratio_swept_under_equal_awards_is_said_unread():
    _, notes = quietly_swept(
        world(), {"agreement.ratio.japan": [0.2, 0.8]}, set={"agreement.mechanism": "equal_awards"}
    )
    assert (
        f"{NOTE}; the release rule equal_awards (agreement.mechanism) does not read it: only hybrid and fair_ratio "
        "read agreement.ratio"
    ) in notes


def test_a_ratio_swept_with_two_rules_neither_of_which_reads_it_is_said_unread_by_both():
    _, notes = quietly_swept(
        world(), {"agreement.mechanism": ["equal_awards", "talmud"], "agreement.ratio.japan": [0.2, 0.8]}
    )
    assert (
        f"{NOTE}; none of the release rules swept (equal_awards and talmud) reads it: only hybrid and fair_ratio "
        "read agreement.ratio"
    ) in notes


def test_a_ratio_the_rule_reads_but_that_changes_nothing_gets_no_reason():
    """Under fair_ratio with a pool of 10,000 t from each and no cap no member is ever short: the ratio changes
    nothing, though the rule reads it, and the note gives no reason."""
    data = build(world(), agreement__release_cap_t_per_day={})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 10000}}, "eu": {"ree": {"tonnes": 10000}}}
    _, notes = quietly_swept(data, {"agreement.ratio.japan": [0.2, 0.8]})
    assert NOTE in notes
