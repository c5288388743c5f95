"""A block-style key with no space after its colon (``horizon_days:10``) is told as that, at its line.

YAML reads ``horizon_days:10`` as one text, not a key and its value, and then complains of what
follows it: a line with no ':' (which has one), or a key indented more than the key above it. The
message names the line written so and says what the flow style's message says: YAML needs a space
after the colon.
"""

from __future__ import annotations

import pytest

from simulator.errors import InputError
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import invoke

HINT = "is not a key and its value: YAML needs a space after the colon"


@pytest.mark.parametrize(
    ("text", "where", "written", "meant"),
    [
        # the glued line is the one YAML stops at, at its first character
        ("name: x\nhorizon_days:10\n", "line 2, column 1", "horizon_days:10", "horizon_days: 10"),
        ("name: x\nhorizon_days:10\nseed: 3\n", "line 2, column 1", "horizon_days:10", "horizon_days: 10"),
        # a comment after it is not part of it
        ("name: x\nhorizon_days:10  # days\n", "line 2, column 1", "horizon_days:10", "horizon_days: 10"),
        # in a list item: column 5 is where 'start' begins, after '  - id: a' above it
        ("shocks:\n  - id: a\n    start:5\n", "line 3, column 5", "start:5", "start: 5"),
        # YAML stops at the line after it (a key 'indented more'): the glued line above is named, after '- '
        ("horizon_days:10\nname: x\n", "line 1, column 1", "horizon_days:10", "horizon_days: 10"),
        ("shocks:\n  - start:5\n    id: a\n", "line 2, column 5", "start:5", "start: 5"),
    ],
)
def test_a_key_glued_to_its_value_is_named_with_the_space_it_needs(text, where, written, meant):
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    expected = f"malformed YAML: {where}: '{written}' {HINT} ({meant}, not {written})"
    assert caught.value.render() == expected


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("a: 1\nb\nc: 2\n", "line 2, column 1: a line with no ':' where a key is expected (write key: value)"),
        # a quoted key: not the glued form (the quote ends the key)
        ("a: 1\n'b':1\n", "line 2, column 1: a line with no ':' where a key is expected (write key: value)"),
        (
            "a:\n  b: 1\n   c: 2\n",
            "line 3, column 4: this key is indented more than the key above it, which already has a value; "
            "line up the keys",
        ),
    ],
)
def test_a_line_that_is_not_a_glued_key_keeps_its_message(text, said):
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    assert caught.value.render() == f"malformed YAML: {said}"


def test_the_check_of_a_scenario_says_the_space_is_missing_as_for_the_flow_style(tmp_path):
    """The same hint, block and flow: the flow style's words come from the scenario's keys (``{horizon_days:10}``
    reads as a key with no value), the block style's from the YAML reader."""
    block, flow = tmp_path / "block.yaml", tmp_path / "flow.yaml"
    block.write_text("name: x\nhorizon_days:10\n")
    flow.write_text("{name: x, horizon_days:10}\n")
    block_said, flow_said = invoke("check", block).output, invoke("check", flow).output
    assert (
        f"{block}: malformed YAML: line 2, column 1: 'horizon_days:10' {HINT} (horizon_days: 10, not horizon_days:10)"
        in block_said
    )
    assert "YAML needs a space after the colon ({horizon_days: 10}, not {horizon_days:10})" in flow_said
