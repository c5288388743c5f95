"""A drift of an edited scenario names the fields edited, with their values then and now, found in
git's history (the baseline records only a hash of each part); and --format json lists the drifts
in the order of the text table, largest move first."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

from tests.helpers import TWO_MEMBERS, invoke

GIT = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


def git(folder: Path, *args: str) -> None:
    """``git ARGS`` in ``folder`` alone: no GIT_* variable of a hook that runs the tests (GIT_DIR, GIT_INDEX_FILE)
    points it at another repository, and a fixed author with no signing commits whatever the user's config."""
    subprocess.run(
        ["git", "-c", "user.email=t@example.org", "-c", "user.name=t", "-c", "commit.gpgsign=false", *args],
        cwd=folder,
        check=True,
        capture_output=True,
        env={name: value for name, value in os.environ.items() if not name.startswith("GIT_")},
    )


def baselined(tmp_path: Path, in_git: bool = True) -> Path:
    """A work tree holding scenarios/pair.yaml (TWO_MEMBERS) and its baseline, committed when ``in_git``."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "pair.yaml").write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    assert invoke("check", "--update", folder).exit_code == 0
    if in_git:
        git(tmp_path, "init", "-q")
        git(tmp_path, "add", ".")
        git(tmp_path, "commit", "-qm", "scenarios and baselines")
    return folder / "pair.yaml"


def edit(path: Path, **demand: float) -> None:
    """Set the demand (t/d) of the regions named (TWO_MEMBERS: japan 20, eu 80)."""
    data = yaml.safe_load(path.read_text())
    for region, tonnes in demand.items():
        data["regions"][region]["demand"]["ree"]["tonnes_per_day"] = tonnes
    path.write_text(yaml.safe_dump(data, sort_keys=False))


@GIT
def test_a_drift_names_the_field_edited_with_its_value_then_and_now(tmp_path):
    path = baselined(tmp_path)
    edit(path, eu=81)
    result = invoke("check", path)
    assert result.exit_code == 1, result.output
    assert "(scenario changed since its baseline: regions.eu.demand.ree.tonnes_per_day 80 -> 81)" in result.output


@GIT
def test_an_edit_committed_since_the_baseline_is_found_one_commit_back(tmp_path):
    """In CI the edit is committed: the baseline's values are those of the commit before."""
    path = baselined(tmp_path)
    edit(path, eu=81)
    git(tmp_path, "commit", "-qam", "EU demand 81 t/d")
    result = invoke("check", path, "--format", "json")
    assert result.exit_code == 1, result.output
    (outcome,) = json.loads(result.output)
    field = {"field": "regions.eu.demand.ree.tonnes_per_day", "baseline": 80, "now": 81, "missing_from": None}
    assert outcome["changed_parts"] == [{"part": "regions.eu", "change": "changed", "fields": [field]}]
    assert outcome["cause"] == "scenario changed since its baseline: regions.eu.demand.ree.tonnes_per_day 80 -> 81"


@GIT
def test_fields_edited_in_several_parts_are_capped_with_how_many_more(tmp_path):
    """Five fields are named, then how many more: six edits (two regions, horizon, four shock fields)."""
    path = baselined(tmp_path)
    data = yaml.safe_load(path.read_text())
    data["regions"]["japan"]["demand"]["ree"]["tonnes_per_day"] = 21
    data["regions"]["eu"]["demand"]["ree"]["tonnes_per_day"] = 81
    data["shocks"][0].update(start=-90, end=900, severity=0.5)
    data["horizon_days"] = 61
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    result = invoke("check", path, "--format", "json")
    (outcome,) = json.loads(result.output)
    texts = [
        f"{f['field']} {f['baseline']:g} -> {f['now']:g}"
        for p in outcome["changed_parts"]
        for f in p["fields"]
        if f["missing_from"] is None
    ]
    assert sorted(texts) == sorted(
        [
            "horizon_days 60 -> 61",
            "regions.eu.demand.ree.tonnes_per_day 80 -> 81",
            "regions.japan.demand.ree.tonnes_per_day 20 -> 21",
            "shocks.halt.start -100 -> -90",
            "shocks.halt.end 1000 -> 900",
        ]
    )
    severity = next(f for p in outcome["changed_parts"] for f in p["fields"] if f["field"].endswith("severity"))
    assert severity["missing_from"] == "baseline"  # at its default then, so not in the baseline's data
    line = invoke("check", path).output.splitlines()[0]
    assert line.endswith(" and 1 more)"), line
    assert line.count(" -> ") == 5, line
    assert "shocks.halt.severity 1 (default) -> 0.5" in outcome["cause"]  # every field, uncut


def test_json_lists_the_drifts_in_the_order_of_the_text_table(tmp_path):
    """Japan's demand 20 -> 30 t/d, out of git: the JSON drifts come as the table's rows do, largest move first.

    The table shows the summary metrics first, then each moved curve's largest move; the JSON lists
    every summary metric, then every point of each curve, the curve's largest move first.
    """
    path = baselined(tmp_path, in_git=False)
    edit(path, japan=30)
    (outcome,) = json.loads(invoke("check", path, "--format", "json").output)
    assert outcome["changed_parts"] == [{"part": "regions.japan", "change": "changed"}]  # no git: the part alone
    drifts = outcome["drifts"]
    lines = invoke("check", path).output.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("scenario "))
    rows = [line.split()[1:5] for line in lines[header + 1 :] if line.startswith("pair ")]
    summary_rows = [row[:3] for row in rows if row[3] == "-"]
    curve_rows = [row for row in rows if row[3] != "-"]
    assert len(summary_rows) >= 5 and curve_rows, rows
    days = [d["day"] for d in drifts]
    first_curve_point = days.index(next(day for day in days if day is not None))
    assert all(day is None for day in days[:first_curve_point])
    assert all(day is not None for day in days[first_curve_point:])
    summary = [[d["region"], d["material"], d["metric"]] for d in drifts[:first_curve_point]]
    # largest move first: each summary metric's move relative to its baseline (none is 0 or a day here), read
    # from the JSON's own numbers; 1e-9 as the numbers are rounded (eu shortfall_t and share both move 1/476)
    relative_moves = [abs(d["now"] - d["baseline"]) / abs(d["baseline"]) for d in drifts[:first_curve_point]]
    assert relative_moves[0] == pytest.approx(1.0) and relative_moves[-1] < 0.01, relative_moves  # -100% ... -0.001%
    assert all(later <= earlier + 1e-9 for earlier, later in itertools.pairwise(relative_moves)), relative_moves
    assert summary[: len(summary_rows)] == summary_rows
    assert summary != sorted(summary)  # not alphabetical, as the JSON list was
    curves: dict[tuple, list] = {}
    for d in drifts[first_curve_point:]:
        curves.setdefault((d["region"], d["material"], d["metric"]), []).append(str(d["day"]))
    firsts = [[*key, points[0]] for key, points in curves.items()]
    assert firsts[: len(curve_rows)] == curve_rows
