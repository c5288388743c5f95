"""docs/release-rules.md, "A release cap that tells the rules apart": what it shows is what the command gives.

The section pastes ``stockpile compare scenarios/club_of_five.yaml --set
agreement.release_cap_t_per_day.heavy_ree=1.35`` and its printed output, and tabulates the members'
heavy rare-earth shortfall from its ``compare.csv``; both are checked against a rerun here, and the
claims of its text that the tables carry: the eleven rules give ten different rows (only
``proportional_to_demand`` and ``equal_cover`` coincide), and the cap raises the heavy shortfall of
the rules without restraint from 52.9 t to 141.2 t.
"""

from __future__ import annotations

import re
import shlex

import pandas as pd
import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import ROOT

TITLE = "## A release cap that tells the rules apart"
WRITTEN_TO = "wrote results/club_of_five_compare/"
"""The last printed line as a user who types the command sees it (the test writes elsewhere)."""
MEMBERS = {"Japan": "japan", "EU": "eu", "United States": "united_states"}

pytestmark = pytest.mark.xdist_group("release-rules-cap")  # one rerun of the command (the fixture), also under -n


def _section() -> str:
    text = (ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8")
    return text.split(TITLE, 1)[1].split("\n## ", 1)[0]


def _blocks(section: str) -> dict[str, str]:
    return {lang: code for lang, code in re.findall(r"^```(\w+)\n(.*?)^```", section, re.M | re.S)}


@pytest.fixture(scope="module")
def rerun(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[str], pd.DataFrame]:
    """The printed lines and compare.csv of the section's command, run from the project root."""
    (command,) = _blocks(_section())["console"].splitlines()
    assert command.startswith("stockpile compare scenarios/club_of_five.yaml --set ")
    out = tmp_path_factory.mktemp("cap") / "compare"
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    try:
        done = CliRunner().invoke(main, [*shlex.split(command)[1:], "--no-plots", "-o", str(out)])
    finally:
        monkeypatch.undo()
    assert done.exit_code == 0, done.output
    return done.output.splitlines(), pd.read_csv(out / "compare.csv").set_index("mechanism")


def test_the_pasted_output_is_what_the_command_prints(rerun):
    printed, _ = rerun
    pasted = _blocks(_section())["text"].splitlines()
    assert pasted[-1] == WRITTEN_TO and printed[-1].startswith("wrote ")
    assert pasted[:-1] == printed[:-1], "rerun the section's command and paste what it prints"


def test_the_members_heavy_shortfall_is_compare_csvs(rerun):
    _, written = rerun
    lines = [line for line in _section().splitlines() if line.startswith("| `")]
    assert len(lines) == 7
    header = [c.strip() for c in _section().split("| rule |", 1)[1].splitlines()[0].strip(" |").split("|")]
    for line in lines:
        rule, *cells = [c.strip() for c in line.strip("|").split("|")]
        for member, cell in zip(header, cells, strict=True):
            value = written.loc[rule.strip("`"), f"shortfall_t.{MEMBERS[member]}.heavy_ree"]
            assert float(cell) == pytest.approx(value, abs=0.05), (rule, member)


def test_ten_rows_of_eleven_rules_and_the_cap_raises_the_shortfall(rerun):
    _, written = rerun
    rules = written.drop(index=["no agreement", "own shares alone"])
    assert len(rules) == 11
    numbers = rules.select_dtypes("number").round(9)
    assert len(numbers.drop_duplicates()) == 10
    twins = numbers[numbers.duplicated(keep=False)].index
    assert sorted(twins) == ["equal_cover", "proportional_to_demand"]
    without_restraint = rules.drop(index=["need_with_restraint", "iea_ess", "auction"])
    assert without_restraint["total_shortfall_t.all.heavy_ree"].round(1).unique().tolist() == [141.2]
    assert without_restraint["unused_release_t"].round(1).unique().tolist() == [141.2]
