"""A ratio set for one member says what it did to the others' (policy audit s51, item 7).

``--set agreement.ratio.<member>=x`` rescales the members not set to share the 1 - x left,
in their file's proportions (simulator/scenario/overrides.py). The run said nothing of it:
the console now prints one ``note:`` giving the others' new ratios, and the report's
"Changed for this run" box lists them, both from the ratios the rule set.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.scenario import load_raw
from simulator.scenario.changes import changes_of
from tests.helpers import ROOT, TWO_MEMBERS, invoke

CLUB = load_raw(str(ROOT / "scenarios" / "club_of_five.yaml"), [])  # japan 0.44, eu 0.32, us 0.17, korea 0.07, au 0


def write(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_the_change_carries_the_other_members_ratios_before_and_after():
    (change,) = changes_of(CLUB, [("agreement.ratio.japan", 0.7)])
    got = {member: (was, round(now, 6)) for member, was, now in change.rescaled}
    # 0.3 left, shared 0.32 : 0.17 : 0.07 (of 0.56); australia's 0 stays 0 and is not listed
    assert got == {"eu": (0.32, 0.171429), "united_states": (0.17, 0.091071), "south_korea": (0.07, 0.0375)}


def test_two_ratios_set_in_one_call_rescale_the_rest_once_listed_on_the_last():
    first, second = changes_of(CLUB, [("agreement.ratio.japan", 0.3), ("agreement.ratio.eu", 0.3)])
    assert first.rescaled == ()
    got = {member: round(now, 6) for member, _, now in second.rescaled}
    assert got == {"united_states": round(0.17 * 0.4 / 0.24, 6), "south_korea": round(0.07 * 0.4 / 0.24, 6)}


def test_a_ratio_set_to_its_own_value_rescales_nothing():
    (change,) = changes_of(CLUB, [("agreement.ratio.japan", 0.44)])
    assert change.rescaled == ()


@pytest.mark.parametrize("command", ["run", "report"])
def test_the_console_notes_the_rescaled_ratio(tmp_path, command):
    scenario = write(tmp_path, TWO_MEMBERS)  # japan 0.5, eu 0.5
    out = tmp_path / ("out" if command == "run" else "r.html")
    extra = ["--no-plots", "--report"] if command == "run" else []
    result = invoke(command, scenario, "--set", "agreement.ratio.japan=0.2", "-o", out, *extra)
    assert result.exit_code == 0, result.output
    note = (
        f"note: {scenario}: agreement.ratio.japan: the other members' ratios are rescaled to what is left: "
        "eu 0.8 (in the file: 0.5)"
    )
    assert [line for line in result.output.splitlines() if "rescaled" in line] == [note]
    page = (out / "report.html" if command == "run" else out).read_text()
    box = page[page.index('<aside id="changes"') :]
    box = html.unescape(re.sub(r"<[^>]+>", "", box[: box.index("</aside>")]))
    assert "The other members' ratios are rescaled to what is left: eu 0.8 (in the file: 0.5)" in box


def test_no_note_without_a_ratio_change(tmp_path):
    scenario = write(tmp_path, TWO_MEMBERS)
    result = invoke("run", scenario, "--set", "horizon_days=50", "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert "rescaled" not in result.output


def test_ratios_given_whole_after_a_members_ratio_are_not_said_to_be_rescaled():
    # the whole mapping set last decides every ratio: nothing was rescaled to what is left
    whole = {"japan": 0.6, "eu": 0.4}
    changes = changes_of(TWO_MEMBERS, [("agreement.ratio.japan", 0.7), ("agreement.ratio", whole)])
    assert [c.rescaled for c in changes] == [(), ()]
    # given whole first, a member's ratio then rescales the others from those (eu 0.4 -> 0.3), said against the file
    first, second = changes_of(TWO_MEMBERS, [("agreement.ratio", whole), ("agreement.ratio.japan", 0.7)])
    file_eu = TWO_MEMBERS["agreement"]["ratio"]["eu"]
    assert first.rescaled == () and [(m, was, round(now, 9)) for m, was, now in second.rescaled] == [
        ("eu", file_eu, 0.3)
    ]
