"""docs/release-rules.md, "A release cap that tells the rules apart": what it shows is what the command gives.

The section pastes ``stockpile compare scenarios/club_of_five.yaml --set
agreement.release_cap_t_per_day.heavy_ree=1.35`` and its printed output, and tabulates the members'
heavy rare-earth shortfall from its ``compare.csv``; both are checked against a rerun here, and the
claims of its text that the tables carry: the rules (eleven on 7 December 2026) give one row fewer than
there are rules (only ``proportional_to_demand`` and ``equal_cover`` coincide), and the cap raises the
heavy shortfall of the rules without restraint from 52.9 t to 141.2 t. The counts are read from the
registry (:mod:`simulator.mechanisms`), so a rule added there fails here with a message saying what of
the section to update, not with a bare ``assert 12 == 11``.
"""

from __future__ import annotations

import re
import shlex

import pandas as pd
import pytest
from click.testing import CliRunner

from simulator.cli import main
from simulator.mechanisms import MECHANISMS, NAMES
from tests.helpers import ROOT
from tests.test_rule_counts import NUMBER_WORDS, RESTRAINT

TITLE = "## A release cap that tells the rules apart"
WRITTEN_TO = "wrote results/club_of_five_compare/"
"""The last printed line as a user who types the command sees it (the test writes elsewhere)."""
MEMBERS = {"Japan": "japan", "EU": "eu", "United States": "united_states"}
COMMAND = "rerun `stockpile compare scenarios/club_of_five.yaml --set agreement.release_cap_t_per_day.heavy_ree=1.35`"
SHARING_RULES = [m.name for m in MECHANISMS if m.shares_when == "always" and m.allocate and m.name not in RESTRAINT]
"""The member table's rules, in registry order: those that share every day by a function of their own, no restraint
(not the rules of ``RESTRAINT``, which leave a shortfall of their own, nor ``hybrid``, which shares by ``fair_ratio``
under a threat, nor ``auction``)."""

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
    shown = {line.split()[0] for line in pasted if line.split()}
    unshown = [rule for rule in NAMES if rule not in shown]
    assert pasted[:-1] == printed[:-1], f"docs/release-rules.md, '{TITLE[3:]}': {COMMAND} and paste what it prints" + (
        f" ({len(NAMES)} rules registered, {unshown} not in the pasted output)" if unshown else ""
    )


def test_the_members_heavy_shortfall_is_compare_csvs(rerun):
    _, written = rerun
    lines = [line for line in _section().splitlines() if line.startswith("| `")]
    header = [c.strip() for c in _section().split("| rule |", 1)[1].splitlines()[0].strip(" |").split("|")]
    listed = [line.split("`")[1] for line in lines]
    missing = {
        rule: [round(float(written.loc[rule, f"shortfall_t.{MEMBERS[member]}.heavy_ree"]), 1) for member in header]
        for rule in SHARING_RULES
        if rule not in listed
    }
    assert listed == SHARING_RULES, (
        f"docs/release-rules.md, '{TITLE[3:]}': the member table lists {len(listed)} rules, the registry has "
        f"{len(SHARING_RULES)} that share every day without restraint; give it one row per rule in registry order "
        f"{SHARING_RULES} (missing rows, t of {header}: {missing})"
    )
    for line in lines:
        rule, *cells = [c.strip() for c in line.strip("|").split("|")]
        for member, cell in zip(header, cells, strict=True):
            value = written.loc[rule.strip("`"), f"shortfall_t.{MEMBERS[member]}.heavy_ree"]
            assert float(cell) == pytest.approx(value, abs=0.05), (rule, member)


def test_every_rule_but_two_gives_a_row_of_its_own_and_the_cap_raises_the_shortfall(rerun):
    _, written = rerun
    rules = written.drop(index=["no agreement", "own shares alone"])
    assert list(rules.index) == list(NAMES), f"compare ran {list(rules.index)}, the registry has {list(NAMES)}"
    numbers = rules.select_dtypes("number").round(9)
    twins = sorted(numbers[numbers.duplicated(keep=False)].index)
    assert twins == ["equal_cover", "proportional_to_demand"], (
        f"under the cap {twins} give rows identical to another rule's: a new rule whose row is another's is that rule "
        "(docs/architecture.md, '... a release rule', step 1); if it is not, update the words under the "
        f"section's table ('{TITLE[3:]}', docs/release-rules.md), which say which rules coincide"
    )
    distinct = len(numbers.drop_duplicates())
    said = f"Under the cap the {NUMBER_WORDS[len(rules)]} rules give {NUMBER_WORDS[distinct]} different rows."
    assert said in " ".join(_section().split()), f"docs/release-rules.md, '{TITLE[3:]}': {COMMAND} and write '{said}'"
    without_restraint = rules.drop(index=["need_with_restraint", "iea_ess", "auction"])
    assert without_restraint["total_shortfall_t.all.heavy_ree"].round(1).unique().tolist() == [141.2]
    assert without_restraint["unused_release_t"].round(1).unique().tolist() == [141.2]
