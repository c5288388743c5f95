"""What a policy officer's broken twelve-member scenario was told, said so that the file or the --set is plain.

A walkthrough tester wrote a CRMA pilot (ten EU states, Japan, Korea) and broke it five ways. Each case here is
the smallest world that shows the same message, at the command line: a three-member agreement (Japan, the EU,
Korea, all using rare earths; India a fourth where a --set leaves two out) built on ``TWO_MEMBERS``.

- ``--set agreement.members=[...]`` that leaves members out was told as the file's problem, one line per key of
  every mapping (30 lines): now the --set is named and each mapping says the regions it leaves out in one line.
- A region left out of ``agreement.members`` only was an ``unknown member``: now it is said to be a region that
  is not a member.
- Ratios written as percentages: 1.95 among values summing to 100 got no hint (only 2 to 100 did).
- A member with no pool contribution that can draw from the pool validated silently: now a note (exit 0).
- Ratios that do not sum to 1 said the sum only: now how far short or over too.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import yaml

from tests.helpers import TWO_MEMBERS, assert_bad_input, invoke, with_korea


def three_members(ratio: dict[str, Any] | None = None, korea_puts_in: bool = True) -> dict[str, Any]:
    """``TWO_MEMBERS`` with Korea a third member (20 t/day of ree), the ratio ``ratio`` (0.5/0.3/0.2 by default);
    Korea puts 30 t into the pool as the others do, or (``korea_puts_in`` False) has no contribution entry."""
    data = with_korea(TWO_MEMBERS, ratio=ratio or {"japan": 0.5, "eu": 0.3, "korea": 0.2})
    if korea_puts_in:
        data["agreement"]["pool"]["contributions"]["korea"] = {"ree": {"tonnes": 30}}
    return data


def written(tmp_path: Path, data: dict[str, Any]) -> Path:
    path = tmp_path / "crma.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def test_a_set_of_the_members_is_named_and_each_mapping_says_the_regions_it_leaves_out_once(tmp_path):
    """Two members dropped by the --set, keys in the ratio and the contributions: two lines, not four, each
    naming the --set (as any --set's problem is, ``[set PATH=VALUE]``) and both regions."""
    data = three_members(ratio={"japan": 0.4, "eu": 0.3, "korea": 0.2, "india": 0.1})
    data["regions"]["india"] = copy.deepcopy(data["regions"]["korea"])
    data["suppliers"]["china"]["lead_time_days"]["india"] = 5
    data["agreement"]["members"].append("india")
    data["agreement"]["pool"]["contributions"]["india"] = {"ree": {"tonnes": 30}}
    path = written(tmp_path, data)
    assert invoke("validate", path).exit_code == 0
    result = invoke("run", path, "--set", "agreement.members=[japan, eu]", "-o", tmp_path / "out", "--no-plots")
    assert_bad_input(result)
    source = f"error: {path} [set agreement.members=[japan, eu]]: "
    assert errors(result.output) == [
        f"{source}agreement.ratio: 2 regions here are not in agreement.members: korea, india; "
        "list them there, or remove their entries",
        f"{source}agreement.pool.contributions: 2 regions here are not in agreement.members: korea, india; "
        "list them there, or remove their entries",
    ]
    assert not (tmp_path / "out").exists()


def test_a_region_left_out_of_the_members_is_said_to_be_a_region_that_is_no_member(tmp_path):
    """Korea taken out of ``agreement.members`` only: its ratio and contribution name a region, not a typo (a
    misspelled member, ``koera``, is still an unknown member)."""
    data = three_members()
    data["agreement"]["members"].remove("korea")
    result = invoke("validate", written(tmp_path, data))
    assert_bad_input(result)
    assert [line.split(": ", 2)[2] for line in errors(result.output)] == [
        "agreement.ratio.korea: 'korea' is a region but not in agreement.members: list it there, or remove this entry",
        "agreement.pool.contributions.korea: 'korea' is a region but not in agreement.members: list it there, or "
        "remove this entry",
    ]
    assert "unknown member" not in result.output
    data = three_members()  # a key naming no region at all keeps its message and its suggestion
    data["agreement"]["ratio"] = {"japan": 0.5, "eu": 0.3, "koera": 0.2}
    result = invoke("validate", written(tmp_path, data))
    assert_bad_input(result, "agreement.ratio.koera: unknown member 'koera'", "did you mean 'korea'?")


def test_ratios_written_as_percentages_are_each_told_so_below_2_too(tmp_path):
    """60.5 + 37.55 + 1.95 = 100: the 1.95 is a percentage as its neighbours are (0.0195); 1.5 among values summing
    to 2 (1.5 + 0.3 + 0.2) is no percentage, and may be a typo of 0.15 or of 1: no hint."""
    data = three_members(ratio={"japan": 60.5, "eu": 37.55, "korea": 1.95})
    result = invoke("validate", written(tmp_path, data))
    assert_bad_input(result)
    assert [line.split(": ", 2)[2] for line in errors(result.output)] == [
        "agreement.ratio.japan: must be <= 1 (a share: 60.5% is 0.605)",
        "agreement.ratio.eu: must be <= 1 (a share: 37.55% is 0.3755)",
        "agreement.ratio.korea: must be <= 1 (a share: 1.95% is 0.0195)",
    ]
    data = three_members(ratio={"japan": 1.5, "eu": 0.3, "korea": 0.2})  # 2 in all: 1.5 alone gets no hint
    result = invoke("validate", written(tmp_path, data))
    assert_bad_input(result, "agreement.ratio.japan: must be <= 1")
    assert "a share:" not in result.output


def test_a_member_with_no_contribution_that_can_draw_from_the_pool_is_a_note_at_validate_and_run(tmp_path):
    """Korea, with a ratio of 0.2 and no contribution entry: a note, exit 0. None for Korea with a ratio of 0 (it
    draws nothing under fair_ratio), nor with a contribution written as 0 t (said on purpose)."""
    path = written(tmp_path, three_members(korea_puts_in=False))
    note = (
        f"note: {path}: agreement.pool.contributions.korea: missing: 'korea' puts nothing into the joint pool, yet "
        "can draw ree from it under 'fair_ratio'; give agreement.pool.contributions.korea if it should pay in"
    )
    validated = invoke("validate", path)
    assert validated.exit_code == 0, validated.output
    assert note in validated.output.splitlines()
    ran = invoke("run", path, "-o", tmp_path / "out", "--no-plots")
    assert ran.exit_code == 0, ran.output
    assert note in ran.output.splitlines()
    # none for a member that cannot draw (a ratio of 0 under fair_ratio) or says it puts in nothing (0 t)
    no_share = three_members(ratio={"japan": 0.5, "eu": 0.5, "korea": 0.0}, korea_puts_in=False)
    zero = three_members()
    zero["agreement"]["pool"]["contributions"]["korea"] = {"ree": {"tonnes": 0}}
    for n, data in enumerate((no_share, zero)):
        folder = tmp_path / str(n)
        folder.mkdir()
        result = invoke("validate", written(folder, data))
        assert result.exit_code == 0, result.output
        assert "puts nothing" not in result.output


def test_ratios_that_miss_1_say_by_how_much(tmp_path):
    """0.5 + 0.3 + 0.1 = 0.9: 0.1 short; 0.5 + 0.3 + 0.25 = 1.05: 0.05 over (too far to be rounding: no value to
    write)."""
    for ratio, said in (
        ({"japan": 0.5, "eu": 0.3, "korea": 0.1}, "(they sum to 0.9, 0.1 short)"),
        ({"japan": 0.5, "eu": 0.3, "korea": 0.25}, "(they sum to 1.05, 0.05 over)"),
    ):
        result = invoke("validate", written(tmp_path, three_members(ratio=copy.deepcopy(ratio))))
        assert_bad_input(result, f"agreement.ratio: ratios must sum to 1 {said}")
