"""The labels of the shipped scenarios' uncertain inputs are words, not ids.

They are printed on report pages ("How sure are these figures?", the uncertain-inputs
table), in the terminal and in sensitivity outputs, where policy staff read them: a label
such as ``china-united_states lead time`` or ``japan.procurement.resourcing.reaction days``
reads as code. A label names regions, materials and suppliers as the scenario displays
them ("China → United States lead time").
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from simulator.names import default_material_name, default_region_name, default_supplier_name
from simulator.scenario import read_yaml
from tests.helpers import SCENARIOS

DOTTED = re.compile(r"[A-Za-z]\w*(?:\.[A-Za-z]\w*)+")
"""A dotted path (``pool.lendable``, ``japan.procurement``); "No. 18" has a space after its dot."""


def _names(data: dict[str, Any], section: str, default) -> dict[str, str]:
    return {
        key: (spec or {}).get("label") or default(key)
        for key, spec in (data.get(section) or {}).items()
        if isinstance(spec, dict) or spec is None
    }


def id_tokens(label: str, data: dict[str, Any]) -> list[str]:
    """The id-like parts of one label: underscores, dotted paths, ids not written as their display names.

    A region is a proper noun, so its id written in place of its name counts even when only
    the case differs (``japan`` for "Japan", ``eu`` for "EU"); a material or supplier id
    counts when its name differs in more than case (``lithium`` reads as "Lithium").

    >>> data = {"regions": {"japan": {}, "eu": {}}, "materials": {"lithium": {}}, "suppliers": {"lynas": {}}}
    >>> id_tokens("lynas-japan lead time", data), id_tokens("Japan lithium stock", data)
    (['japan'], [])
    >>> id_tokens("pool.donor floor days", data), id_tokens("eu light_ree stock", data)
    (['pool.donor'], ['_', 'eu'])
    """
    found = ["_"] if "_" in label else []
    found += DOTTED.findall(label)
    regions = _names(data, "regions", default_region_name)
    others = {**_names(data, "materials", default_material_name), **_names(data, "suppliers", default_supplier_name)}
    for word in re.findall(r"[A-Za-z0-9]+", label):
        in_place_of_region = word in regions and regions[word] != word
        in_place_of_other = word in others and others[word].lower() != word.lower()
        if in_place_of_region or in_place_of_other:
            found.append(word)
    return found


def test_the_check_finds_the_labels_policy_staff_could_not_read():
    data = {
        "regions": {"japan": {}, "united_states": {}, "eu": {}},
        "materials": {"light_ree": {}},
        "suppliers": {"china": {}, "japan_refiners": {"label": "Japanese refiners"}},
    }
    assert id_tokens("china-united_states lead time", data) == ["_"]
    assert id_tokens("japan.procurement.resourcing.reaction days", data) == [
        "japan.procurement.resourcing.reaction",
        "japan",
    ]
    assert id_tokens("japan's ratio", data) == ["japan"]
    assert id_tokens("China → United States lead time", data) == []
    assert id_tokens("Japanese refiners → Japan lead time", data) == []
    assert id_tokens("EU light REE stock", data) == []
    assert id_tokens("End of No. 18 licensing, Apr-Jun 2025", data) == []


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_no_uncertain_label_is_written_with_ids(path):
    data = read_yaml(path)
    labels = [entry["label"] for entry in data.get("uncertain") or [] if entry.get("label")]
    bad = {label: id_tokens(label, data) for label in labels if id_tokens(label, data)}
    assert bad == {}, f"{path.name}: labels written with ids: {bad}"
    assert len(set(labels)) == len(labels), f"{path.name}: a label is used twice"
