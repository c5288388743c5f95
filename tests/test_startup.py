"""What `stockpile run` imports: the libraries it does not need stay unloaded (start-up time)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from tests.helpers import ONE_REGION, ROOT

LOADED = """
import json, sys
from simulator.cli import main
main(sys.argv[1:], standalone_mode=False)
print(json.dumps(sorted({m.split('.')[0] for m in sys.modules} & {'matplotlib', 'scipy', 'PIL'})))
"""


def _run_and_list_loaded(tmp_path: Path, *flags: str) -> list[str]:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(yaml.safe_dump(ONE_REGION))
    out = tmp_path / "out"
    args = [sys.executable, "-c", LOADED, "run", str(scenario), "-o", str(out), *flags]
    done = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (out / "timeseries.csv").is_file()
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_run_without_plots_imports_neither_matplotlib_nor_scipy(tmp_path):
    assert _run_and_list_loaded(tmp_path, "--no-plots") == []
    assert not (tmp_path / "out" / "days_of_cover.png").exists()


def test_run_with_plots_loads_matplotlib_to_draw(tmp_path):
    # the same probe sees Matplotlib when the figures are drawn (so the test above can fail)
    assert "matplotlib" in _run_and_list_loaded(tmp_path)
    assert (tmp_path / "out" / "days_of_cover.png").is_file()


def test_the_json_schema_describes_fields_by_their_docstrings_read_after_import():
    from simulator.scenario import json_schema
    from simulator.scenario.schema import Scenario

    schema = json_schema()
    assert schema["properties"]["horizon_days"]["description"] == "Number of simulated days."
    # a shock kind inherits the common fields' docstrings from its base class
    start = schema["$defs"]["Embargo"]["properties"]["start"]
    assert start["description"] == "First day the shock is active (day number or date), or a distribution of days."
    assert list(start) == sorted(start)  # keys in pydantic's order
    # the models themselves carry no description until the JSON Schema is asked for
    assert Scenario.model_fields["horizon_days"].description is None
