"""Session 57 second mends of a review of the merged s57 changes (overrides' record, plot-sweep notes,
a grid key's properties, a loop of links on the way to a file).

Each test states what was printed or done before its mend.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
import yaml

from tests.helpers import ROOT, SHORT_AND_UNSURE, TINY_SCENARIO_TEXT, add_material

SCENARIO = str(ROOT / "scenarios" / "embargo_2010.yaml")
"""A shipped scenario, for the sweep file's and the links' tests (nothing of it is run)."""
MADE = {"regions.japan.reserve.ree.days": 90}
"""A --set that makes two mappings: the tiny scenario's Japan has no reserve at all."""


def two_materials() -> dict[str, Any]:
    """The tiny scenario (TINY_SCENARIO_TEXT) with a second material, ``other``, handled as ``ree`` is."""
    return add_material(yaml.safe_load(TINY_SCENARIO_TEXT), "other", {"price_usd_per_kg": 50})


# --- 1. the mappings a --set made are recorded beside the data, not in it ---------------------------


def test_the_data_of_a_run_whose_set_made_a_mapping_dumps_as_plain_yaml(tmp_path):
    """``yaml.safe_dump(simulator.run(..., set=MADE).data)`` raised RepresenterError (a dict subclass marked it)."""
    import simulator

    path = tmp_path / "tiny.yaml"
    path.write_text(TINY_SCENARIO_TEXT)
    data = simulator.run(str(path), set=MADE).data
    assert yaml.safe_load(yaml.safe_dump(data))["regions"]["japan"]["reserve"]["ree"] == {"days": 90}
    assert "python/" not in yaml.dump(data)


def test_a_second_set_is_not_blamed_for_the_users_own_edit_of_a_mapping_an_earlier_set_made():
    """The edit of a copy of ``r.data`` was said of the new --set: ``<scenario data> [set
    regions.japan.reserve.other.days=30]: regions.japan.reserve.ree.days: must be >= 0``."""
    import simulator
    from simulator.errors import InputError

    edited = copy.deepcopy(simulator.run(two_materials(), set=MADE).data)
    edited["regions"]["japan"]["reserve"]["ree"]["days"] = -1
    with pytest.raises(InputError) as caught:
        simulator.run(edited, set={"regions.japan.reserve.other.days": 30})
    assert str(caught.value) == "<scenario data>: regions.japan.reserve.ree.days: must be >= 0"


# --- 3. a grid key of only an anchor or a tag is shown as the null it reads as ----------------------


@pytest.mark.parametrize("key", ["&a", "!!null"])
def test_a_grid_key_of_only_an_anchor_or_a_tag_is_shown_as_null(tmp_path, key):
    """``grid:\\n  &a : [1, 2]`` was said to have "the key &a", ``!!null : [1]`` "the key !!null": both read as null."""
    from tests.helpers import assert_bad_input, invoke

    spec = tmp_path / "sweep.yaml"
    spec.write_text(f"scenario: {SCENARIO}\ngrid:\n  {key} : [1, 2]\n")
    result = invoke("sweep", "--spec", spec, "-o", tmp_path / "out")
    assert_bad_input(result, f"{spec}: grid: the key null is not a dotted path")


# --- 4. a loop of links on the way to a file is said to be one, by every command -------------------


@pytest.mark.parametrize(
    ("command", "words"),
    [
        (["list"], "not a folder: it is "),
        (["check"], "neither a scenario file nor a folder: it is "),
        (["run", "--no-plots"], ""),
    ],
)
def test_a_loop_of_links_on_the_way_to_a_file_is_said_to_be_one_by_each_command(tmp_path, command, words):
    """``d -> d``, then ``d/x.yaml``: run said "cannot read: [Errno 40] Too many levels of symbolic links", check
    and list "a path that cannot be read (Too many levels of symbolic links)"."""
    import os

    from tests.helpers import assert_bad_input, invoke

    os.symlink("d", tmp_path / "d")
    inside = tmp_path / "d" / "x.yaml"
    result = invoke(*command, inside, *(["-o", tmp_path / "out"] if command[0] == "run" else []))
    assert_bad_input(result, f"{inside}: {words}a loop of symbolic links")
    assert "Too many levels" not in result.output and "Errno" not in result.output


def test_run_uncertainty_with_a_set_reads_the_scenario_file_once(tmp_path, monkeypatch):
    """run --uncertainty with --set read the file a second time, for its uncertain: entries before the --set."""
    from pathlib import Path

    import simulator.scenario.load as load
    from tests.helpers import invoke

    reads: list[Path] = []
    read = load.read_yaml
    monkeypatch.setattr(load, "read_yaml", lambda path, *rest: reads.append(Path(path)) or read(path, *rest))
    unsure = tmp_path / "unsure.yaml"  # one uncertain: entry, 40 days
    unsure.write_text(yaml.safe_dump(SHORT_AND_UNSURE))
    out = tmp_path / "out"
    result = invoke("run", unsure, "--uncertainty", 4, "--workers", 1, "--no-plots", "--set", "seed=3", "-o", out)
    assert result.exit_code == 0, result.output
    assert reads == [unsure]


def test_a_mapping_the_second_set_made_is_blamed_on_it_after_a_first_set_that_made_none():
    """Every --set is looked at against the record of all made mappings (4e60264f let the first one's list
    replace it: the agreement the second made was not looked for, and the problem was said of the data alone)."""
    import simulator
    from simulator.errors import InputError

    data = yaml.safe_load(TINY_SCENARIO_TEXT)  # no agreement
    with pytest.raises(InputError) as caught:
        simulator.run(data, set={"horizon_days": 30, "agreement.ratio.japan": 1.0})
    assert str(caught.value) == "<scenario data> [set agreement.ratio.japan=1.0]: agreement.members: is required"
