"""The explorer, session 52's audit: a typo in --axis, unlike tonnes on the page, the start note's style."""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import TWO_MEMBERS, no_traceback


def _scenario(tmp_path, data=TWO_MEMBERS):
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


# --- M6: a typo in --axis gets the "did you mean" of --set ---------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("agreement.ratioo.japan", "agreement.ratioo: unknown key; did you mean 'ratio'?"),
        ("shocks.halt.severty", "shocks.halt.severty: unknown key; did you mean 'severity'?"),
    ],
)
def test_a_typo_in_an_axis_is_refused_in_the_words_of_set(tmp_path, path, words):
    scenario = _scenario(tmp_path)
    out = tmp_path / "explorer.html"
    explored = CliRunner().invoke(main, ["explore", scenario, "--axis", f"{path}=0.1,0.5", "-o", str(out)])
    assert explored.exit_code == 2, explored.output
    assert no_traceback(explored)
    assert not out.exists()
    ran = CliRunner().invoke(main, ["run", scenario, "--set", f"{path}=0.1", "-o", str(tmp_path / "run")])
    assert ran.exit_code == 2
    assert words in ran.output  # what --set says of the same typo
    assert explored.output.strip() == f"error: {scenario}: {words}"
