"""An `uncertain:` entry on a field drawn at random: the message names the real cause (the `--set`
that made the field random, or the file's own value) and says in words what the field holds.

It was said of the sweep's first grid point, with the schema's class name:
``[shocks.china_embargo_three.severity=0.6]: uncertain.42.path: a range needs a field holding a
number or a date, 'shocks.china_embargo_three.start' holds Uniform``.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.helpers import invoke, no_traceback
from tests.test_sweep import STOCHASTIC, write

CLUB = Path(__file__).resolve().parents[1] / "scenarios" / "club_of_five.yaml"
START = "shocks.china_embargo_three.start"
RANDOM_START = "{distribution: uniform, low: 40, high: 80}"


def _entry_of(path: str) -> int:
    """The position of ``path``'s entry in the club's uncertain: list, as the file lists it."""
    entries = yaml.safe_load(CLUB.read_text())["uncertain"]
    return next(i for i, entry in enumerate(entries) if entry["path"] == path)


def _club_message() -> str:
    i = _entry_of(START)
    return (
        f"error: {CLUB} [set {START}={RANDOM_START}]: {START}: is drawn at random (uniform between 40 and 80), "
        f"so uncertain.{i} cannot also sample it: give the field one value, or remove uncertain.{i}\n"
    )


def test_a_sweep_names_the_set_that_made_a_sampled_field_random_not_its_grid_point(tmp_path):
    grid = ("--grid", "shocks.china_embargo_three.severity=0.6,0.8", "--runs", 2)
    result = invoke("sweep", CLUB, "--set", f"{START}={RANDOM_START}", *grid, "-o", tmp_path / "out")
    assert (result.exit_code, result.output) == (2, _club_message())
    assert no_traceback(result) and not (tmp_path / "out").exists()


def test_a_run_names_the_set_that_made_a_sampled_field_random(tmp_path):
    result = invoke("run", CLUB, "--set", f"{START}={RANDOM_START}", "--no-plots", "-o", tmp_path / "out")
    assert (result.exit_code, result.output) == (2, _club_message())
    assert no_traceback(result) and not (tmp_path / "out").exists()


def test_a_file_that_samples_its_own_random_field_is_told_so_at_the_field_named_by_its_id(tmp_path):
    """The file's own value is the cause: said of the file, at the field (the shock by its id, not
    its position as the entry gives it), the distribution in words; one problem per entry."""
    uncertain = [
        {"path": "shocks.0.start", "low": 0, "high": 5, "source": "test"},
        {"path": "shocks.halt.duration_days", "low": 10, "high": 20, "source": "test"},
    ]
    path = write(tmp_path, {**STOCHASTIC, "uncertain": uncertain})
    result = invoke("validate", path)
    assert result.exit_code == 2 and no_traceback(result), result.output
    assert "holds" not in result.output and "Uniform" not in result.output and "LogNormal" not in result.output
    assert (
        "shocks.halt.start: is drawn at random (uniform between 0 and 10), so uncertain.0 cannot also sample it: "
        "give the field one value, or remove uncertain.0"
    ) in result.output
    assert (
        "shocks.halt.duration_days: is drawn at random (lognormal with mean 15 and sd 5), so uncertain.1 cannot "
        "also sample it: give the field one value, or remove uncertain.1"
    ) in result.output
