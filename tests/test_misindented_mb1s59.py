"""A field dedented one level out of the entry it belongs to gets one message, the one that says so.

``tonnes_per_day: 34.8`` written beside the materials under ``regions.eu.demand`` leaves
``light_ree:`` empty above it; the empty entry's own complaint ("must be a mapping of fields")
has the same one cause and would come first, pointing at the wrong line, so it is left out.
An empty entry with no field dedented below it keeps its complaint.
"""

from __future__ import annotations

from pathlib import Path

from tests.helpers import assert_bad_input, invoke

SHIPPED = Path("scenarios/long_embargo_6m.yaml")
EU_LIGHT = "        tonnes_per_day: 34.8\n"  # under regions.eu.demand.light_ree, 8 spaces in


def written(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_dedented_field_gets_only_the_message_that_names_it(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    assert text.count(EU_LIGHT) == 1
    path = written(tmp_path, text.replace(EU_LIGHT, EU_LIGHT[2:]))  # one level (2 spaces) too far left
    result = invoke("validate", path)
    said = (
        "s.yaml: regions.eu.demand.tonnes_per_day: 'tonnes_per_day' is a field of a material, not a material "
        "(known materials: light_ree, heavy_ree, ndfeb_magnets): probably mis-indented, one level too far left; "
        "write it under light_ree, which is empty: light_ree: {tonnes_per_day: 34.8}"
    )
    assert_bad_input(result, said)
    assert "must be a mapping of fields" not in result.output
    assert result.output.count("regions.eu.demand.") == 1, result.output


def test_an_empty_entry_with_nothing_dedented_below_it_keeps_its_message(tmp_path):
    text = SHIPPED.read_text(encoding="utf-8")
    path = written(tmp_path, text.replace(EU_LIGHT, ""))  # light_ree: left with comments only
    result = invoke("validate", path)
    assert_bad_input(result, "s.yaml: regions.eu.demand.light_ree: must be a mapping of fields")
