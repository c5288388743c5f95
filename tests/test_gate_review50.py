"""stockpile check after the review of stop 50's gate changes (notes/s50/gate_review.md).

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run): the run
gives 6000 - 60 = 5940 t short in all; a baseline spoiled to 5000 t stored is off by 940 t,
940 / 5000 = 18.8 % of the stored number.
"""

from __future__ import annotations

import json
import shutil

from tests import test_check
from tests.test_check import _spoil, check

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
"""``pair`` alone with its baseline, and a test's own copy (the fixtures of test_check)."""


# --- 1. a tolerance pattern names the plain key of same-named files too ---------------------------


def test_a_tolerance_pattern_naming_the_plain_key_applies_to_same_named_files_labelled_apart(tmp_path, pair_tree):
    folders, files = [], []
    for region in ("eu", "jp"):
        folders.append(tmp_path / region)
        folders[-1].mkdir()
        files.append(folders[-1] / "dup.yaml")
        shutil.copy(pair_tree / "pair.yaml", files[-1])
        assert check("--update", files[-1]).exit_code == 0
        _spoil(folders[-1] / "baselines" / "dup.json", total_shortfall_t=5000.0)
    # 940 t off 5000 t: within rtol 0.2 (1000 t), beyond the default (6.94e-6 t)
    loose = tmp_path / "loose.yaml"
    loose.write_text("scenarios:\n  dup: {rtol: 0.2}\n")
    alone = check("--tolerances", loose, files[0])
    assert alone.exit_code == 0, alone.output
    assert alone.output.startswith("ok           dup (name: pair)\n")
    both = check("--tolerances", loose, *files)  # labelled eu/dup and jp/dup: 'dup' still names both
    assert both.exit_code == 0, both.output
    assert both.output.splitlines()[:2] == ["ok           eu/dup (name: pair)", "ok           jp/dup (name: pair)"]
    in_folders = check("--tolerances", loose, *folders)  # each 'dup' in its folder: not an unused pattern
    assert in_folders.exit_code == 0, in_folders.output
    assert in_folders.output.splitlines()[:2] == both.output.splitlines()[:2]
    # the longer label names one of them only
    one = tmp_path / "one.yaml"
    one.write_text("scenarios:\n  jp/dup: {rtol: 0.2}\n")
    lines = check("-q", "--tolerances", one, *files).output.splitlines()
    assert lines[0].startswith("drift        eu/dup (name: pair): 1 number(s) moved beyond tolerance")
    assert not any(line.startswith("drift        jp/dup") for line in lines)
    # --update keeps the stored 5000 t within the entry's tolerance (scenario and version unchanged)
    update = check("--update", "--tolerances", loose, *files)
    assert update.exit_code == 0, update.output
    assert update.output.splitlines()[:2] == [
        f"unchanged    {folders[0]}/baselines/dup.json (1 number within tolerance of this run kept as stored)",
        f"unchanged    {folders[1]}/baselines/dup.json (1 number within tolerance of this run kept as stored)",
    ]
    stored = json.loads((folders[1] / "baselines" / "dup.json").read_text())["metrics"]["total_shortfall_t"]
    assert stored == 5000.0
