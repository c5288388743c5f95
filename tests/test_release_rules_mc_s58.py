"""docs/release-rules.md, "Which rule in a Monte Carlo of embargoes": its table is what its commands give.

The section gives two ``stockpile sweep`` commands of ``embargo_stochastic`` (the three rules, and
the auction without its bid margin) and tabulates, per rule and per material, the median, 95th
percentile and largest total shortfall of the 200 runs and the EU's median auction spend. Both
commands are rerun here (about 3.5 CPU s together) and every cell is checked against their
``sweep.parquet``, with the claims of the text that the table alone does not carry: the heavy
stock runs dry in the same 4 runs under every rule, the worst of which leaves 196.9 t short under
all three, and no member but the EU is ever short of light rare earths.
"""

from __future__ import annotations

import re
import shlex

import pandas as pd
import pytest
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import ROOT

TITLE = "### Which rule in a Monte Carlo of embargoes"
NO_MARGIN = "`auction` without the bid margin (`service_level: null`)"
MATERIALS = ("light", "heavy")
STATISTICS = ("median", "95th percentile", "largest")

pytestmark = pytest.mark.xdist_group("release-rules-mc")  # one rerun of both commands (the fixture), also under -n


def _section() -> str:
    text = (ROOT / "docs" / "release-rules.md").read_text(encoding="utf-8")
    return text.split(TITLE, 1)[1].split("\n## ", 1)[0]


def _commands() -> list[str]:
    (block,) = re.findall(r"^```console\n(.*?)^```", _section(), re.M | re.S)
    return block.splitlines()


def _sweep(command: str, out: str) -> pd.DataFrame:
    """The runs of one of the section's commands, run from the project root."""
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.chdir(ROOT)
    try:
        done = CliRunner().invoke(main, [*shlex.split(command)[1:], "--no-plots", "-o", out])
    finally:
        monkeypatch.undo()
    assert done.exit_code == 0, done.output
    return pd.read_parquet(f"{out}/sweep.parquet")


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    """The 200 runs of each row of the table, by the row's label."""
    rules, no_margin = _commands()
    assert rules.startswith("stockpile sweep scenarios/embargo_stochastic.yaml ") and rules.endswith(" --runs 200")
    assert "service_level=null" in no_margin and no_margin.endswith(" --runs 200")
    folder = tmp_path_factory.mktemp("mc")
    by_rule = dict(tuple(_sweep(rules, str(folder / "rules")).groupby("agreement.mechanism")))
    rows = {f"`{rule}`": table for rule, table in by_rule.items()}
    rows[NO_MARGIN] = _sweep(no_margin, str(folder / "no_margin"))
    assert {len(table) for table in rows.values()} == {200}
    return rows


def _table() -> dict[str, list[str]]:
    lines = [line for line in _section().splitlines() if line.startswith("| `")]
    return {cells[0]: cells[1:] for cells in ([c.strip() for c in line.strip("|").split("|")] for line in lines)}


def _statistic(values: pd.Series, name: str) -> float:
    return {"median": values.median(), "95th percentile": values.quantile(0.95), "largest": values.max()}[name]


def test_the_table_has_the_four_rows_and_the_columns_it_is_checked_by():
    assert sorted(_table()) == sorted(["`fair_ratio`", "`hybrid`", "`auction`", NO_MARGIN])
    header = _section().split("| rule |", 1)[1].splitlines()[0].strip(" |").split("|")
    expected = [f"{material}: {name}" for material in MATERIALS for name in STATISTICS]
    assert [c.strip() for c in header] == [*expected, "EU's auction spend, median"]


def test_every_shortfall_cell_is_the_reruns(runs):
    for row, cells in _table().items():
        shortfall = cells[:6]
        wanted = [(m, s) for m in MATERIALS for s in STATISTICS]
        for cell, (material, name) in zip(shortfall, wanted, strict=True):
            values = runs[row][f"total_shortfall_t.all.{material}_ree"]
            assert float(cell) == pytest.approx(_statistic(values, name), abs=0.05), (row, material, name)


def test_the_eus_auction_spend_is_the_reruns(runs):
    for row, cells in _table().items():
        spend_usd = runs[row]["auction_spend_usd.eu"].median()
        if cells[6] == "—":
            assert spend_usd == 0, row
        else:
            millions = float(re.fullmatch(r"USD ([\d.]+) m", cells[6]).group(1))
            assert millions * 1e6 == pytest.approx(spend_usd, abs=0.05e6), row


def test_the_heavy_stock_runs_dry_in_the_same_four_runs_under_every_rule(runs):
    worst_t = 196.9
    heavy_short_runs = set()
    for rule in ("`fair_ratio`", "`hybrid`", "`auction`"):
        table = runs[rule].set_index("run")
        short = table["total_shortfall_t.all.heavy_ree"]
        dry = table["pool_end_t.all.heavy_ree"] < 1e-9
        heavy_short_runs.add(frozenset(short[short > 1].index))
        assert set(short[short > 1].index) == set(dry[dry].index), rule
        assert round(short.max(), 1) == worst_t, rule
        assert (table[["shortfall_t.japan.light_ree"]] == 0).all().all(), rule
    (same,) = heavy_short_runs
    assert len(same) == 4
    assert "in 4 runs of 200" in _section() and f"{worst_t} t in the worst run" in _section()
