"""A key with a dot in it, and a key glued to its value as an entry's one line: plain messages, no traceback.

Session 59's final read: the mis-indented-field message found its place in the data by splitting the error's
path at its dots, so ``light_ree.tonnes_per_day: 50`` under a demand was told as a field "mis-indented, one level
too far left" (it is a dotted key), a key ``japan.x`` beside ``japan: {x: ...}`` ended in a ValueError traceback,
and an entry of suppliers read "a field of a entry". An entry whose one line is ``tonnes_per_day:46.2`` was told
``e.g. {tonnes_per_day: tonnes_per_day:46.2}`` instead of the missing space.
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

from tests.helpers import TWO_MEMBERS, assert_bad_input, invoke


def _validate(tmp_path, data: dict[str, Any] | str) -> Any:
    path = tmp_path / "s.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    return invoke("validate", str(path))


def test_a_dotted_key_under_a_demand_is_not_told_as_a_mis_indented_field(tmp_path):
    data = copy.deepcopy(TWO_MEMBERS)
    data["regions"]["japan"]["demand"]["ree.tonnes_per_day"] = 50  # beside ree: {tonnes_per_day: 20}
    result = _validate(tmp_path, data)
    assert_bad_input(result, "regions.japan.demand.ree.tonnes_per_day: must be a mapping of fields, not 50: e.g. ")
    assert "mis-indented" not in result.output, result.output


def test_a_dotted_key_beside_the_entry_it_names_is_told_without_a_traceback(tmp_path):
    data = copy.deepcopy(TWO_MEMBERS)
    data["regions"] = {"japan.x": {"demand": {"tonnes_per_day": 3}}, **data["regions"]}
    data["regions"]["japan"] = {"x": {"demand": {}}, **data["regions"]["japan"]}
    assert_bad_input(_validate(tmp_path, data), "regions.japan: key x: must be lower-case letters")


def test_a_field_dedented_among_suppliers_reads_an_entry(tmp_path):
    data = copy.deepcopy(TWO_MEMBERS)
    data["suppliers"]["description"] = "Chinese separators"  # the supplier's field, one level too far left
    result = _validate(tmp_path, data)
    assert_bad_input(
        result,
        "suppliers.description: 'description' is a field of an entry of suppliers, not an entry of suppliers "
        "(known entries of suppliers: china): probably mis-indented, one level too far left",
    )
    assert " a entry" not in result.output


def test_an_entry_whose_one_line_is_a_glued_key_is_told_the_missing_space(tmp_path):
    text = yaml.safe_dump(TWO_MEMBERS, sort_keys=False).replace(
        "    demand:\n      ree:\n        tonnes_per_day: 20\n",
        "    demand:\n      ree:\n        tonnes_per_day:20\n",
        1,
    )
    assert "tonnes_per_day:20" in text
    result = _validate(tmp_path, text)
    assert_bad_input(
        result,
        "regions.japan.demand.ree: must be a mapping of fields, not 'tonnes_per_day:20': YAML needs a space after "
        "the colon (tonnes_per_day: 20, not tonnes_per_day:20)",
    )
