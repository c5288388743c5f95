"""A failing figure in a sweep into a folder keeps the table and the workbook, from Python as from the command.

``stockpile sweep -o`` caught a figure's error, wrote ``workbook.xlsx`` and warned; ``simulator.sweep(out=...)``
had its own copy of that step, which let the error through: the table was written, but the workbook was not,
and the call raised where the command exits 0. Both now write through one ``FiguresAndWorkbook``.
"""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest
import yaml

import simulator
import simulator.sweep.figures as figures
from tests.helpers import TWO_MEMBERS, invoke, manifest_of

RATIO = "agreement.ratio.japan"
BROKEN = "MemoryError('no room for the figure')"


@pytest.fixture
def broken_figure(monkeypatch):
    def broken(*_args, **_kwargs):
        raise MemoryError("no room for the figure")

    monkeypatch.setattr(figures, "metrics_figure", broken)


def _kept(folder) -> None:
    """The folder holds the table of 2 points x 1 run and the workbook, both listed, and no figure."""
    assert pd.read_parquet(folder / "sweep.parquet")[RATIO].tolist() == [0.2, 0.8]
    book = openpyxl.load_workbook(folder / "workbook.xlsx")
    assert [row[0].value for row in book["Sweep"].iter_rows(min_row=2)] == [0.2, 0.8]
    files = manifest_of(folder)["files"]
    assert {"sweep.parquet", "sweep.json", "workbook.xlsx"} <= set(files)
    assert "sweep_metrics.png" not in files and not (folder / "sweep_metrics.png").exists()
    assert not (folder / ".chunks").exists()


def test_a_failing_figure_in_a_python_sweep_keeps_the_table_and_the_workbook_and_warns_as_the_command(
    tmp_path, broken_figure
):
    out = tmp_path / "api"
    with pytest.warns(UserWarning, match="sweep figures not drawn|total shortfall the same") as warned:
        table = simulator.sweep(TWO_MEMBERS, grid={RATIO: [0.2, 0.8]}, workers=1, out=out, excel=True)
    assert table[RATIO].tolist() == [0.2, 0.8]
    _kept(out)
    said = f"sweep figures not drawn ({BROKEN}); the table is complete; draw them with: stockpile plot-sweep"
    assert f"{said} {out}" in [str(w.message) for w in warned]

    cli = tmp_path / "cli"
    scenario = tmp_path / "pair.yaml"
    scenario.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    result = invoke("sweep", scenario, "--grid", f"{RATIO}=0.2,0.8", "--workers", 1, "--excel", "-o", cli)
    assert result.exit_code == 0, result.output
    _kept(cli)
    assert f"warning: {said} {cli}" in result.stderr
