"""A share written as a percentage in text (``"60%"``) is told how to write it, as a share written as 60 is.

A ratio of ``60`` got "must be <= 1 (a share: 60% is 0.6)", but ``"60%"`` only "must be a number, not text".
Now both say the share to write, for every share field (a ratio, a sourcing share, a severity that may also be a
distribution); a number in quotes (``"0.6"``) is told to drop the quotes. Text that is neither (``abc``), and a
percentage where no share is asked for (tonnes a day), keeps the plain message.
"""

from __future__ import annotations

from typing import Any

import pytest

import simulator
from simulator.errors import InputError
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import ROOT, TWO_MEMBERS, build, refusals

PAIR_TEXT = """\
name: pair
horizon_days: 60
materials:
  ree: {price_usd_per_kg: 50}
suppliers:
  china: {lead_time_days: {japan: 5, eu: 5}}
regions:
  japan:
    demand: {ree: {tonnes_per_day: 20}}
    sourcing: {ree: {china: 1.0}}
  eu:
    demand: {ree: {tonnes_per_day: 80}}
    sourcing: {ree: {china: 1.0}}
shocks:
  - {id: halt, kind: embargo, supplier: china, regions: [japan, eu], start: 0, end: 30}
agreement:
  members: [japan, eu]
  mechanism: fair_ratio
  ratio: {japan: 0.5, eu: 0.5}
  pool: {contributions: {japan: {ree: {tonnes: 30}}}}
"""
"""Japan and the EU, both all from China, sharing 30 t under fair_ratio: each test changes one line as a user would."""


def written(old: str, new: str) -> dict[str, Any]:
    """``PAIR_TEXT`` with ``old`` written as ``new``, read as the scenario loader reads a file."""
    assert old in PAIR_TEXT
    return load_yaml(PAIR_TEXT.replace(old, new))


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "ratio: {japan: 0.5, eu: 0.5}",
            'ratio: {japan: "60%", eu: 0.4}',
            "agreement.ratio.japan: must be a number, not text (a share: 60% is 0.6)",
        ),
        (  # unquoted: still text to YAML
            "ratio: {japan: 0.5, eu: 0.5}",
            "ratio: {japan: 12.5%, eu: 0.875}",
            "agreement.ratio.japan: must be a number, not text (a share: 12.5% is 0.125)",
        ),
        (
            "sourcing: {ree: {china: 1.0}}\n  eu",
            "sourcing: {ree: {china: 100 %}}\n  eu",
            "regions.japan.sourcing.ree.china: must be a number, not text (a share: 100% is 1)",
        ),
        (  # a number or a distribution: the number's message
            "start: 0, end: 30}",
            'start: 0, end: 30, severity: "72%"}',
            "shocks.halt.severity: must be a number, not text (a share: 72% is 0.72)",
        ),
        (
            "ratio: {japan: 0.5, eu: 0.5}",
            'ratio: {japan: "0.6", eu: 0.4}',
            "agreement.ratio.japan: must be a number, not text: write 0.6 without quotes",
        ),
        (
            "tonnes_per_day: 80}",
            'tonnes_per_day: "80"}',
            "regions.eu.demand.ree.tonnes_per_day: must be a number, not text: write 80 without quotes",
        ),
    ],
    ids=["quoted-percent", "unquoted-percent", "sourcing-percent", "severity-percent", "quoted-share", "quoted-tonnes"],
)
def test_a_share_as_a_percentage_and_a_number_in_quotes_are_told_what_to_write(old, new, expected):
    assert refusals(written(old, new)) == [expected]


def test_a_percentage_where_no_share_is_asked_for_and_other_text_keep_the_plain_message():
    """60% of what, in tonnes a day: no share to suggest; ``abc`` is no number at all. A ratio of 60 is told the same
    share as ``"60%"`` is (the quoted-percent case above): its bound refuses it."""
    assert refusals(written("tonnes_per_day: 80}", "tonnes_per_day: 60%}")) == [
        "regions.eu.demand.ree.tonnes_per_day: must be a number, not text"
    ]
    assert refusals(written("ratio: {japan: 0.5, eu: 0.5}", "ratio: {japan: abc, eu: 0.5}")) == [
        "agreement.ratio.japan: must be a number, not text"
    ]
    assert refusals(build(TWO_MEMBERS, agreement__ratio={"japan": 60, "eu": 0.4})) == [
        "agreement.ratio.japan: must be <= 1 (a share: 60% is 0.6)"
    ]


def test_writing_scenarios_quotes_the_messages_as_the_schema_gives_them():
    """The guide's list of mistakes named as what they probably are has the percentage and the quotes."""
    guide = " ".join((ROOT / "docs" / "writing-scenarios.md").read_text().split())
    percent = refusals(written("ratio: {japan: 0.5, eu: 0.5}", "ratio: {japan: 60%, eu: 0.4}"))[0]
    quoted = refusals(written("ratio: {japan: 0.5, eu: 0.5}", 'ratio: {japan: "0.6", eu: 0.4}'))[0]
    assert f"`{percent.removeprefix('agreement.ratio.japan: ')}`" in guide
    assert f"`{quoted.removeprefix('agreement.ratio.japan: ')}`" in guide


@pytest.mark.parametrize("ratio", ["60%", 60])
def test_a_ratio_set_as_a_percentage_is_told_how_to_write_it(ratio):
    with pytest.raises(InputError) as caught:
        simulator.run(build(TWO_MEMBERS), set={"agreement.ratio.japan": ratio})
    assert "agreement.ratio.japan: a ratio must be a number in [0, 1]" in str(caught.value)
    assert str(caught.value).endswith("(a share: 60% is 0.6)")
