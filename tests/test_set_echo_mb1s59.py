"""A ``--set`` mapping typed without spaces after its colons is echoed as typed, not as YAML read it.

``{light_ree:15,heavy_ree:0.3}`` is read as two keys ``light_ree:15`` and ``heavy_ree:0.3`` with
no values; the echo ``[set PATH=VALUE]`` wrote that reading back,
``{'light_ree:15': null, 'heavy_ree:0.3': null}``, which the user never typed. Each such key is
now written as typed (a flow mapping reads ``{light_ree:15}`` back as the same mapping).
"""

from __future__ import annotations

from simulator.scenario.overrides import parse_assignment, shown
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import assert_bad_input, invoke

TYPED = "{light_ree:15,heavy_ree:0.3}"


def test_the_set_echo_shows_the_glued_mapping_as_typed(tmp_path):
    result = invoke(
        "run", "scenarios/long_embargo_6m.yaml", "--set", f"agreement.release_cap_t_per_day={TYPED}", "-o", tmp_path
    )
    echo = "scenarios/long_embargo_6m.yaml [set agreement.release_cap_t_per_day={light_ree:15, heavy_ree:0.3}]: "
    assert_bad_input(result, f"{echo}agreement.release_cap_t_per_day: key 'light_ree:15' has no value")
    assert "null" not in result.output
    assert result.output.count("error:") == 2, result.output


def test_the_echoed_text_reads_back_as_the_same_value():
    _, value = parse_assignment(f"agreement.release_cap_t_per_day={TYPED}")
    assert value == {"light_ree:15": None, "heavy_ree:0.3": None}
    assert load_yaml(shown(value)) == value


def test_a_key_with_a_value_and_a_quoted_colon_key_keep_their_form():
    assert shown({"light_ree": 15, "heavy_ree": None}) == "{light_ree: 15, heavy_ree: null}"
    assert shown({"a: b": None}) == "{'a: b': null}"  # a colon and a space: not a glued key
