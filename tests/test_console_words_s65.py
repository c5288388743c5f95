"""Console words a screen reader reads aloud right (session 65).

An accessibility review of what ``stockpile run --uncertainty`` and ``stockpile compare`` print: ranges written
``0-4,785 t`` (read "zero minus 4,785"), a lone ``-`` for never or none (skipped by a screen reader),
``|rank correlation|`` and ``<material>`` placeholders; one interval whose ends were rounded by different rules
(``0.00247-143 days``). A cobalt analyst's walkthrough: the chance of a shortfall was said only inside the Jain's
index line, and ``compare`` gave tonnes to the gram and no date, in a table some 330 characters wide.
Each number checked here is worked out from the files the command wrote, not read back from its words.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import _no_progress, _progress, main
from simulator.compare import compare
from simulator.console import compare_text
from simulator.names import rounded_half_up
from simulator.shortages import SHORT_ABOVE_T
from tests.helpers import ROOT, japan_halted
from tests.test_uncertainty_run import SHORT as DEMAND_ALONE

REPLAY = str(ROOT / "scenarios" / "embargo_2010.yaml")
"""The shipped replay of the 2010 embargo (make run's), with its joint stock: Japan and the EU members."""
RANGE_WITH_HYPHEN = re.compile(r"\d\s?[-\u2013]+\s?\.?\d")
"""Two numbers joined by a hyphen or en dash (``0-4,785``, ``13.1-143``, ``-0.3--0.02``): read "minus"."""
LONE_DASH = re.compile(r"(?:^|\s)-(?:\s|$)")
"""A cell that is a lone ``-``, which a screen reader skips."""
PLACEHOLDER = re.compile(r"<[a-z_]+>")
"""``<material>``, ``<region>``: read "less than material greater than"."""


def _invoke(args: list[str]) -> str:
    done = CliRunner().invoke(main, args)
    assert done.exit_code == 0, done.output
    return done.output


def _spoken(output: str) -> list[str]:
    """The lines a screen reader reads, without those that name the folder written (a path may hold ``-``)."""
    return [line for line in output.splitlines() if not line.startswith(("wrote ", "report: "))]


@pytest.fixture(scope="module")
def replay(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    """``stockpile run`` of the replay with 20 samples, no figures: what it printed and its folder."""
    out = tmp_path_factory.mktemp("replay") / "out"
    return _invoke(["run", REPLAY, "--uncertainty", "20", "--no-plots", "-o", str(out)]), out


def test_no_range_is_written_with_a_hyphen_between_numbers(replay):
    output, _ = replay
    ranged = [line for line in _spoken(output) if RANGE_WITH_HYPHEN.search(line)]
    assert not ranged, ranged
    assert "(90% interval 0 to " in output  # the total shortfall's, from 0 t (no sample short at its 5th percentile)


def test_an_interval_of_days_has_one_decimal_at_both_ends(replay):
    """As the report's table gives days of cover (0.1 day): not ``0.00247-143 days``, 3 digits then whole."""
    output, out = replay
    table = pd.read_csv(out / "uncertainty.csv").set_index("metric")
    for region, name in (("japan", "Japan"), ("eu", "EU")):
        row = table.loc[f"min_days_of_cover.{region}"]
        (line,) = [line for line in output.splitlines() if line.startswith(f"  Lowest days of cover, {name}:")]
        low, high = re.search(r"\(90% interval (\S+) to (\S+) days\)", line).groups()
        ends = tuple(float(rounded_half_up(row[end], 1)) for end in ("p5", "p95"))  # half up, as the line rounds
        assert (float(low), float(high)) == ends, line
        assert all(re.fullmatch(r"[\d,]+\.\d", end) for end in (low, high)), line


def test_the_first_uncertainty_line_is_how_often_a_member_is_short(replay):
    """Counted by hand from the samples table: a member short in a sample has more than a residue of shortfall."""
    output, out = replay
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    short = samples[["shortfall_t.japan", "shortfall_t.eu"]].fillna(0) > SHORT_ABOVE_T
    anyone, japan, eu = (
        int(short.any(axis=1).sum()),
        int(short["shortfall_t.japan"].sum()),
        int(short["shortfall_t.eu"].sum()),
    )
    assert 0 < anyone < 20  # the replay at 20 samples: some short, not all (else the line below is not tested)
    lines = output.splitlines()
    first = lines[lines.index(next(line for line in lines if line.startswith("uncertainty: "))) + 1]
    said = f"  A member is short in {anyone} of 20 samples ({round(100 * anyone / 20)}%)"
    if japan == eu == anyone:
        assert first == said, first
    else:  # each member's count, the most often short first
        counts = sorted([(eu, "the EU"), (japan, "Japan")], key=lambda pair: -pair[0])
        each = [f"{who} in {n} ({round(100 * n / 20)}%)" if n else f"{who} in none" for n, who in counts]
        assert first == f"{said}: {each[0]} and {each[1]}", first


def test_the_summary_says_never_where_no_member_was_short(replay):
    output, out = replay
    summary = pd.read_csv(out / "summary.csv")
    never = summary[(summary["region"] != "all") & (summary["first_shortfall_day"] < 0)]
    assert len(never) == 4  # the replay with its joint stock: nobody short, each region's two materials
    table = [line.split() for line in output.splitlines()[1:5]]
    assert [(row[0], row[1], row[4]) for row in table] == [
        (r, m, "never") for r, m in zip(never["region"], never["material"], strict=True)
    ]
    assert not [line for line in _spoken(output) if LONE_DASH.search(line)]


def test_rank_correlation_and_placeholders_are_in_words(replay):
    output, _ = replay
    assert "|" not in output
    assert "none reaches an absolute rank correlation of " in output  # why no driver is named (one: below)
    assert not PLACEHOLDER.search(output), PLACEHOLDER.findall(output)


def test_a_driver_line_says_absolute_rank_correlation_in_words(tmp_path):
    """The replay's 20 samples name no driver: a small world whose shortfall follows its demand names one.

    Japan with no stock and China, its only supplier, halted all along (test_uncertainty_run's SHORT): the total
    shortfall is the demand over the run, so demand is its driver; the rank correlation worked out from the
    samples table with pandas, said in words, not ``|rank correlation| 1.00``.
    """
    path = tmp_path / "short.yaml"
    path.write_text(yaml.safe_dump(DEMAND_ALONE, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    output = _invoke(["run", str(path), "--uncertainty", "10", "--no-plots", "-o", str(out)])
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    rho = samples["regions.japan.demand.ree.tonnes_per_day"].corr(samples["total_shortfall_t"], method="spearman")
    (line,) = [line for line in output.splitlines() if line.startswith("  Total shortfall: ")]
    assert line.endswith(
        "; most associated with demand (the higher it is, the larger the total shortfall; "
        f"absolute rank correlation {abs(rho):.2f})"
    ), line
    assert "|" not in output


@pytest.fixture(scope="module")
def compared(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, pd.DataFrame]:
    """``stockpile compare`` of the 12-month embargo (oxide and magnet, members short) under two rules."""
    out = tmp_path_factory.mktemp("compare") / "out"
    scenario = str(ROOT / "scenarios" / "long_embargo_12m.yaml")
    printed = _invoke(["compare", scenario, "--mechanisms", "fair_ratio,iea_ess", "--no-plots", "-o", str(out)])
    return printed, pd.read_csv(out / "compare.csv").set_index("mechanism")


def test_compare_gives_tonnes_to_a_tenth_and_each_rules_first_short_date(compared):
    output, written = compared
    lines = output.splitlines()
    header = lines[0].split()
    assert header[:4] == [
        "mechanism",
        "total_shortfall_t.all.light_ree",
        "total_shortfall_t.all.heavy_ree",
        "total_shortfall_t.all.ndfeb_magnets",
    ]
    assert header[4] == "first_shortfall_day"
    start = dt.date(2026, 1, 1)  # long_embargo_12m's start
    for line in lines[1:5]:
        mechanism, *cells = line.split()
        if mechanism == "no":  # "no agreement" and "own shares alone" are names of two or three words
            mechanism, cells = "no agreement", cells[1:]
        elif mechanism == "own":
            mechanism, cells = "own shares alone", cells[2:]
        row = written.loc[mechanism]
        for cell, material in zip(cells[:3], ("light_ree", "heavy_ree", "ndfeb_magnets"), strict=True):
            assert cell == f"{row[f'total_shortfall_t.all.{material}']:,.1f}", (mechanism, cell)
        day = min(int(row[c]) for c in written.columns if c.startswith("first_shortfall_day.") and row[c] >= 0)
        when = start + dt.timedelta(days=day)
        assert cells[3:6] == [str(when.day), f"{when:%b}", str(when.year)], (mechanism, cells)


def test_compare_is_narrower_and_says_that_compare_csv_has_every_column(compared):
    output, written = compared
    table = output.splitlines()[:5]  # the header and four rows (two baselines, two rules)
    assert max(map(len, table)) < 200  # 330 with every column by material
    assert "max_shortfall_share_gap.all.light_ree" in written and "max_shortfall_share_gap.all." not in table[0]
    assert (
        "compare.csv has every column; this table leaves out max_shortfall_share_gap.all.MATERIAL, "
        "draw_contribution_gap.all.MATERIAL and envious_members.all.MATERIAL"
    ) in output.splitlines()
    assert not [line for line in _spoken(output) if LONE_DASH.search(line) or PLACEHOLDER.search(line)]


def test_compare_says_none_short_and_never_in_words(tmp_path: Path):
    """The replay with its joint stock: nobody is short under any rule, nor without the agreement."""
    out = tmp_path / "out"
    output = _invoke(["compare", REPLAY, "--mechanisms", "fair_ratio", "--no-plots", "-o", str(out)])
    written = pd.read_csv(out / "compare.csv")
    assert (written.filter(like="first_shortfall_day.") == -1).all().all()  # never short, in every row
    rows = output.splitlines()[1:4]  # no agreement, own shares alone, fair_ratio
    assert all(re.search(r" never +none short ", row) for row in rows), rows
    assert "fairness_jain none short: no member is short in that row, so there is no burden to share" in output
    assert not [line for line in _spoken(output) if LONE_DASH.search(line)]


def test_a_baseline_row_says_no_pool_where_a_metric_needs_one():
    """One material, so the pool's metrics over all materials are shown: empty in the baseline rows' compare.csv."""
    table = compare(japan_halted(), ["fair_ratio"], "japan_halted.yaml").table()
    lines = compare_text(table).splitlines()
    for k, name in ((1, "no agreement"), (2, "own shares alone")):
        assert table.loc[k - 1, "mechanism"] == name
        assert pd.isna(table.loc[k - 1, "draw_contribution_gap"]) and pd.isna(table.loc[k - 1, "envious_members"])
        assert lines[k].split()[-4:] == ["no", "pool", "no", "pool"], lines[k]
        # Japan first short on day 0 without the agreement, day 1 with its own share; no start date: day numbers
        assert f" day {int(table.loc[k - 1, 'first_shortfall_day.japan'])} " in lines[k], lines[k]
    assert lines[3].split()[-2:] == ["0.500", "0"]  # fair_ratio has a pool: its draw gap and envy
    assert "no pool: a metric that needs the pool, which the row has not (empty in compare.csv)" in lines
    assert not [line for line in lines if LONE_DASH.search(line)]


def test_quiet_prints_no_tables_only_the_folder(tmp_path: Path):
    out = tmp_path / "out"
    output = _invoke(
        ["run", str(ROOT / "scenarios" / "embargo_2010_historical.yaml"), "--no-plots", "-q", "-o", str(out)]
    )
    assert output.splitlines() == [f"wrote {out}/"]
    assert (out / "summary.csv").exists()


def test_quiet_draws_no_progress_bar_on_a_terminal(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with _progress(10, quiet=True) as advance:
        assert advance is _no_progress
