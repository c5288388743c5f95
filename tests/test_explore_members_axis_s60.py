"""explore refuses an --axis over who is a member of the agreement (session 60 review).

The page marks and totals the first grid point's members: over ``agreement.members`` (or one of its items) every
other point's page was drawn with the first point's members. Such an axis is refused before any run (exit 2).
"""

from __future__ import annotations

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.test_sweep_members_core60 import three_regions


@pytest.mark.parametrize("axis", ["agreement.members=[japan,korea],[japan,korea,eu]", "agreement.members.1=korea,eu"])
def test_an_axis_over_the_members_is_refused(tmp_path, axis):
    """Japan and Korea members, the EU joining at one point: each value valid, the axis refused before a run."""
    scenario = tmp_path / "three.yaml"
    scenario.write_text(yaml.safe_dump(three_regions(), sort_keys=False))
    out = tmp_path / "explorer.html"
    args = ["explore", str(scenario), "--axis", axis, "--workers", "1", "-o", str(out)]
    result = CliRunner().invoke(main, args)
    path = axis.split("=")[0]
    told = (
        f"error: {scenario}: {path}: the explorer shows the first point's members of the agreement: an axis that "
        "changes who is a member cannot be explored (sweep it with stockpile sweep --grid)\n"
    )
    assert (result.exit_code, result.output) == (2, told)
    assert not out.exists()
