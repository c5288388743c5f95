"""The console output that docs/uncertainty.md and the policy guide paste, against what the commands print.

Both pages quoted lines the commands no longer printed (s62): uncertainty.md the top drivers of
``embargo_2010_scarce`` at 16 samples with the half-widths of 100 bootstrap resamples and no clause on
overlapping intervals, the guide ``make run``'s one fairness line where the run now prints one per
material. Each quoted line must be a line of the command's output, in the output's order; the figure lines
the guide quotes under ``uncertainty:`` must be all of them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import BROWSER, ROOT
from tests.make_run import make_run_printed
from tests.test_docs import no_sensitivity_figure

DOCS = ROOT / "docs"
TEXT_BLOCK = re.compile(r"^```text\n(.*?)^```$", re.M | re.S)


def quoted(page: str, holding: str) -> list[str]:
    """The lines of the one ``text`` block of ``docs/<page>`` that holds ``holding``."""
    found = [
        m.group(1) for m in TEXT_BLOCK.finditer((DOCS / page).read_text(encoding="utf-8")) if holding in m.group(1)
    ]
    assert len(found) == 1, f"{page}: {len(found)} text blocks hold {holding!r}"
    return found[0].splitlines()


def not_printed(lines: list[str], printed: list[str]) -> list[str]:
    """The ``lines`` that are not lines of ``printed`` in its order (each after the one before): empty when all are.

    >>> not_printed(["a", "c"], ["a", "b", "c"]), not_printed(["c", "a"], ["a", "b", "c"])
    ([], ['a'])
    """
    missing, at = [], 0
    for line in lines:
        if line in printed[at:]:
            at = printed.index(line, at) + 1
        else:
            missing.append(line)
    return missing


def figure_lines(lines: list[str]) -> list[str]:
    """The indented lines right under ``uncertainty: ...``: one per headline figure, and the line on intervals."""
    start = next(i for i, line in enumerate(lines) if line.startswith("uncertainty: ")) + 1
    end = next((i for i in range(start, len(lines)) if not lines[i].startswith("  ")), len(lines))
    return lines[start:end]


def printed_by(args: list[str]) -> list[str]:
    """What ``stockpile ARGS`` prints, standard output and error as a terminal shows them, by line.

    A sensitivity study draws no ``sensitivity.png`` here: only what it prints is read
    (:func:`tests.test_docs.no_sensitivity_figure`; the figure has its own tests)."""
    with pytest.MonkeyPatch.context() as patch:
        no_sensitivity_figure(patch)
        done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return done.output.splitlines()


def test_the_sensitivity_example_is_what_embargo_2010_scarce_at_16_samples_prints(tmp_path: Path):
    lines = quoted("uncertainty.md", "Total shortfall (t)")
    assert any(line.lstrip().startswith("caution: ") for line in lines)  # the example is of the caution
    scenario = str(ROOT / "scenarios" / "embargo_2010_scarce.yaml")
    printed = printed_by(["sensitivity", scenario, "--samples", "16", "-o", str(tmp_path / "out")])
    missing = not_printed(lines, printed)
    assert not missing, "docs/uncertainty.md quotes lines it no longer prints:\n" + "\n".join(missing)


@BROWSER  # make run's command runs once in the process that lays out its report (tests/make_run.py)
def test_the_policy_guide_quotes_what_make_runs_command_prints(tmp_path_factory: pytest.TempPathFactory):
    lines = quoted("getting-started-policy.md", "uncertainty: 100 samples")
    # no figure is drawn (nor said: the report draws its own)
    printed = make_run_printed(tmp_path_factory)
    missing = not_printed(lines, printed)
    assert not missing, "docs/getting-started-policy.md quotes lines make run no longer prints:\n" + "\n".join(missing)
    assert figure_lines(lines) == figure_lines(printed)  # every headline figure, none left out
    assert lines == printed  # the whole of what it prints, no note left out (the figures' line aside: not drawn)
