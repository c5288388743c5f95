""" "did you mean" quotes the name it suggests, in every message and in the docs that copy them.

Before, a tolerance key (``did you mean atol?``), a ``--baselines`` folder, a library scenario
name and a sweep metric were suggested bare while a scenario key was quoted
(``did you mean 'severity'?``). A misspelled tolerance metric names the close metric before the
list of every metric (dozens of names), not after it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from simulator.errors import InputError
from simulator.sweep.columns import check_metrics
from tests.helpers import assert_bad_input, invoke
from tests.test_messages_gate59 import with_baseline

DOCS = Path("docs")


def test_a_tolerance_key_typo_quotes_the_key(tmp_path):
    folder = with_baseline(tmp_path)
    (folder / "baselines" / "tolerances.yaml").write_text("scenarios:\n  pair: {atl: 0.01}\n")
    assert_bad_input(
        invoke("check", folder), "scenarios.pair.atl: unknown key (known: rtol, atol); did you mean 'atol'?"
    )


def test_a_near_baselines_folder_is_quoted(tmp_path):
    folder = with_baseline(tmp_path)
    typo = folder / "baseline"
    assert_bad_input(
        invoke("check", folder, "--baselines", typo),
        f"--baselines: no such folder; did you mean '{folder / 'baselines'}'?",
    )


def test_a_library_name_typo_quotes_each_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no ./scenarios: the shipped library is searched
    assert_bad_input(
        invoke("validate", "club_of_fiv"),
        "file not found, nor a scenario of that name; did you mean 'club_of_five'?",
    )


def test_a_sweep_metric_typo_quotes_each_name():
    with pytest.raises(InputError) as caught:
        check_metrics(["total_shortfal_t"], ["eu"], ["ree"])
    assert "is not a per-run metric of this scenario; did you mean 'total_shortfall_t'" in caught.value.render()


def test_every_did_you_mean_in_the_docs_quotes_its_name():
    bare = [
        f"{page.name}: {hit}"
        for page in sorted(DOCS.glob("*.md"))
        for hit in re.findall(r"did you mean\s+\S+", page.read_text(encoding="utf-8"))
        if not re.fullmatch(r"did you mean\s+`?'.*", hit)
    ]
    assert bare == []
