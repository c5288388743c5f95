"""The explorer page's scenario hash is the scenario's (with --set), as a sweep of it records: not a grid point's."""

from __future__ import annotations

import json

import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.explore.page import read_page
from simulator.scenario import apply_overrides, scenario_hash, validate_data
from tests.helpers import TWO_MEMBERS


def test_the_page_shows_the_hash_a_sweep_of_the_same_scenario_records(tmp_path):
    path = tmp_path / "pair.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    fixed = ["--set", "regions.eu.reserve.ree.tonnes=10"]
    axis = ["--axis", "agreement.ratio.japan=0.2,0.8"]
    page = tmp_path / "explorer.html"
    result = CliRunner().invoke(main, ["explore", str(path), *fixed, *axis, "--workers", "1", "-o", str(page)])
    assert result.exit_code == 0, result.output
    meta, _ = read_page(page.read_text())

    raw = yaml.safe_load(path.read_text())
    base = validate_data(apply_overrides(raw, [("regions.eu.reserve.ree.tonnes", 10)]), str(path))
    first_point = validate_data(
        apply_overrides(raw, [("regions.eu.reserve.ree.tonnes", 10), ("agreement.ratio.japan", 0.2)]), str(path)
    )
    assert scenario_hash(base) != scenario_hash(first_point)  # the test tells them apart
    assert meta["scenario_hash"] == scenario_hash(base)[:12]

    sweep = tmp_path / "sweep"
    grid = ["--grid", "agreement.ratio.japan=0.2,0.8"]
    done = CliRunner().invoke(
        main, ["sweep", str(path), *fixed, *grid, "--workers", "1", "--no-plots", "-o", str(sweep)]
    )
    assert done.exit_code == 0, done.output
    recorded = json.loads((sweep / "sweep.json").read_text())["scenario_hash"]
    assert recorded.startswith(meta["scenario_hash"])
