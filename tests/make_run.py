"""make run's command (the 2010 replay with its agreement, the historical replay, the record and 100 samples),
run once per test process for every test that reads its output.

tests/test_report_robust_table.py recounts its robustness table and tests/test_report_browser.py lays that
table out on a desktop and a phone: both read the same report, so one uncertainty study (the slow part:
100 samples run with the joint stock and again without it) serves both. Their modules share
``xdist_group("browser")``, so that under ``pytest -n`` they run in one process too.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import ROOT

SAMPLES = 100
"""make run's ``--uncertainty``."""

_MADE: dict[Path, tuple[Path, str]] = {}
"""The output folder made in each test session (by its base temporary folder), and what the command printed."""


def make_run_args(out: Path) -> list[str]:
    """make run's ``stockpile run`` arguments, writing to ``out``."""
    return [
        "run",
        str(ROOT / "scenarios" / "embargo_2010.yaml"),
        "-o",
        str(out),
        "--report",
        "--compare",
        str(ROOT / "scenarios" / "embargo_2010_historical.yaml"),
        "--record",
        str(ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"),
        "--uncertainty",
        str(SAMPLES),
    ]


def _made(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    base = tmp_path_factory.getbasetemp()
    if base not in _MADE:
        out = tmp_path_factory.mktemp("make_run") / "out"
        # no test reads its PNG figures (report.html, the same bytes with or without them, draws its own): not drawn
        result = CliRunner().invoke(main, [*make_run_args(out), "--no-plots"])
        assert result.exit_code == 0, result.output
        _MADE[base] = out, result.output
    return _MADE[base]


def make_run_output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The output folder of make run's command (without its PNG figures), made on the first call of the session
    and reused after."""
    return _made(tmp_path_factory)[0]


def make_run_printed(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """What make run's command (:func:`make_run_output`'s run) printed, standard output and error as a terminal shows
    them, by line, its output folder written as the README's ``results/embargo_2010``."""
    out, printed = _made(tmp_path_factory)
    return printed.replace(str(out), "results/embargo_2010").splitlines()
