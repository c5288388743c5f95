"""`stockpile compare` where no member is short (audit of embargo_2010: a fairness of 1 under every rule).

Jain's index counts no burden as equal (1, ``metrics.jain_index``); compare.csv keeps that
number, but the printed table shows ``-`` for a row nobody is short in, a line says when no
row has anyone short, and ``compare.png`` says so in words instead of flat lines at 0 t and
fairness bars of 1.

COVERED is SMALL of test_compare_baseline (10 days, Japan needing 1 t a day and the EU 2 t,
China's embargo all along, a 60 t pool) with each member holding commercial stock of its own
for the whole period and more: Japan 15 t against 10 x 1 = 10 t, the EU 30 t against
10 x 2 = 20 t. Nobody has a gap in any row, so no rule releases anything.

MAGNETS adds to SMALL (no commercial stock) magnets, which the pool does not hold: the EU
needs 10 t a day with no stock (short 100 t in every row), Japan 1 t a day with 100 t of its
own (never short). Of rare earths, without the agreement Japan is short 10 t and the EU 20 t;
held alone or pooled, the 30 t each covers them. So per row, members' total shortfall and
shares (shortfall over demand, both materials added):

- no agreement: 10 + 20 + 100 = 130 t; Japan 10/20 = 0.5, the EU 120/120 = 1; Jain
  (0.5 + 1)^2 / (2 x (0.25 + 1)) = 0.9.
- own shares alone and every rule: 100 t; Japan 0, the EU 100/120; Jain 1/2 = 0.5.

Without the magnets (SMALL), every row but ``no agreement`` has nobody short.
"""

from __future__ import annotations

import csv

import pytest
import yaml
from matplotlib.lines import Line2D
from matplotlib.text import Text

from simulator.compare import BASELINE, OWN_SHARES, compare
from simulator.plots import compare_figure
from tests.helpers import TWO_MEMBERS, build, invoke, table_cell

SMALL = build(
    TWO_MEMBERS,
    horizon_days=10,
    regions__japan__demand__ree={"tonnes_per_day": 1},
    regions__eu__demand__ree={"tonnes_per_day": 2},
)
COVERED = build(
    SMALL,
    regions__japan__commercial_stock__ree={"tonnes": 15},
    regions__eu__commercial_stock__ree={"tonnes": 30},
)
MAGNETS = build(
    SMALL,
    materials__mag={"price_usd_per_kg": 50},
    regions__eu__demand__mag={"tonnes_per_day": 10},
    regions__eu__commercial_stock__mag={"tonnes": 0},
    regions__eu__sourcing__mag={"china": 1.0},
    regions__japan__demand__mag={"tonnes_per_day": 1},
    regions__japan__commercial_stock__mag={"tonnes": 100},
    regions__japan__sourcing__mag={"china": 1.0},
)
RULES = ["fair_ratio", "proportional_to_demand"]
NO_BURDEN_NOTE = (
    "fairness_jain none short: no member is short in that row, so there is no burden to share (1 in compare.csv)"
)
"""The line under the printed table that says what ``none short`` for Jain's index means (a lone dash until s65)."""
NOBODY_SHORT_BAR = "no member short"
"""What compare.png writes in place of a fairness bar for a row nobody is short in."""
ROWS = [BASELINE, OWN_SHARES, *RULES]


def _write(tmp_path, data):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def _printed_rows(output: str, columns: tuple[str, ...]) -> dict[str, list[str]]:
    """The printed table's rows by mechanism: the cells of ``columns``, read by column (a cell may hold words)."""
    lines = output.splitlines()
    return {name: [table_cell(lines, name, column) for column in columns] for name in ROWS}


def _data_lines(ax) -> list[Line2D]:
    return [line for line in ax.get_lines() if len(line.get_xdata())]


def test_nobody_short_prints_none_short_for_fairness_and_says_the_rules_cannot_be_told_apart(tmp_path):
    out = tmp_path / "c"
    result = invoke("compare", _write(tmp_path, COVERED), "--mechanisms", ",".join(RULES), "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    with (out / "compare.csv").open() as f:
        written = {row["mechanism"]: row for row in csv.DictReader(f)}
    assert list(written) == ROWS
    # compare.csv keeps the convention: no burden is equal, 1, and no shortfall anywhere
    assert {row["fairness_jain"] for row in written.values()} == {"1.0"}
    assert {row["total_shortfall_t"] for row in written.values()} == {"0.0"}
    printed = _printed_rows(result.output, ("total_shortfall_t", "fairness_jain", "first_shortfall_day"))
    assert list(printed.values()) == [["0.0", "none short", "never"]] * 4  # not 1.000, nor a dash (s65)
    lines = result.output.splitlines()
    line = (
        "no member is short under any rule, nor without the agreement: the rules cannot be told apart on shortfall here"
    )
    assert lines.count(line) == 1 and lines.index(line) == 1 + len(ROWS)  # right under the table
    assert lines.count(NO_BURDEN_NOTE) == 1
    assert "1.000" not in result.output

    again = invoke(
        "compare",
        _write(tmp_path, COVERED),
        "--mechanisms",
        ",".join(RULES),
        "--no-plots",
        "--no-baseline",
        "--force",
        "-o",
        out,
    )
    assert again.exit_code == 0, again.output
    assert "no member is short under any rule: the rules cannot be told apart on shortfall here" in (
        again.output.splitlines()
    )


def test_nobody_short_draws_a_sentence_not_flat_lines_and_fairness_bars_of_one():
    comparison = compare(COVERED, RULES, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    assert [line for ax in fig.axes for line in _data_lines(ax)] == []  # no line at 0 t on a 0-0.05 t axis
    assert [patch for ax in fig.axes for patch in ax.patches] == []  # no bars of 0 t, no fairness of 1
    texts = [" ".join(t.get_text().split()) for ax in fig.axes for t in ax.texts]
    assert texts == [
        "No member is short under any of the 2 rules, nor without the agreement: the rules cannot be told apart "
        "on shortfall here, and with no shortfall to share there is no fairness to compare."
    ]
    assert fig.legends == []
    assert not any("1.000" in t.get_text() for t in fig.findobj(Text))  # no fairness of 1 anywhere, ticks included
    # the title names no grey lines or bars, as there are none
    assert " ".join(fig._suptitle.get_text().split()) == "pair: release rules compared"


def test_a_member_never_short_of_a_material_gets_a_sentence_and_the_short_keep_their_lines_and_numbers(tmp_path):
    comparison = compare(MAGNETS, RULES, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    panels = {ax.get_title(): ax for ax in fig.axes if ax.get_title()}
    # Japan has its own 100 t of magnets, 10 t needed: in no row is it short of them
    japan_mag = panels["Japan, mag"]
    assert _data_lines(japan_mag) == []
    assert [" ".join(t.get_text().split()) for t in japan_mag.texts] == [
        "Never short under any rule, nor without the agreement."
    ]
    # the panels of those who are short somewhere are drawn as before: a line per row
    ends = {ax: {line.get_label(): line.get_ydata()[-1] for line in _data_lines(ax)} for ax in panels.values()}
    assert ends[panels["Japan, rare earths"]] == {
        f"{BASELINE} (baseline)": pytest.approx(10),
        f"{OWN_SHARES} (baseline)": 0,
        "fair ratio": 0,
        "proportional to demand": 0,
    }
    assert ends[panels["EU, rare earths"]][f"{BASELINE} (baseline)"] == pytest.approx(20)
    assert list(ends[panels["EU, mag"]].values()) == [pytest.approx(100)] * 4
    totals = next(ax for ax in fig.axes if ax.get_xlabel() == "total shortfall of members (t)")
    fairness = next(ax for ax in fig.axes if ax.get_xlabel().startswith("fairness"))
    assert [bar.get_width() for bar in totals.patches] == [pytest.approx(130), *[pytest.approx(100)] * 3]
    assert [bar.get_width() for bar in fairness.patches] == [pytest.approx(0.9), *[pytest.approx(0.5)] * 3]
    assert [t.get_text() for t in fairness.texts] == ["0.900", "0.500", "0.500", "0.500"]
    # printed: every row has someone short, so numbers, no dash for fairness and no line about it
    result = invoke(
        "compare", _write(tmp_path, MAGNETS), "--mechanisms", ",".join(RULES), "--no-plots", "-o", tmp_path / "c"
    )
    assert result.exit_code == 0, result.output
    printed = _printed_rows(result.output, ("total_shortfall_t", "fairness_jain", "max_shortfall_share_gap"))
    # shortfall, Jain, largest share gap: without the agreement 0.5 and 1 (gap 0.5); then 0 and 100/120 (gap 0.833)
    assert list(printed.values()) == [
        ["130.0", "0.900", "0.500"],
        ["100.0", "0.500", "0.833"],
        ["100.0", "0.500", "0.833"],
        ["100.0", "0.500", "0.833"],
    ]
    assert NO_BURDEN_NOTE not in result.output and "cannot be told apart" not in result.output


def test_a_row_nobody_is_short_in_has_no_fairness_bar_and_none_short_while_a_real_one_stays(tmp_path):
    """SMALL: without the agreement both members are short of all they need (a real 1: equal burdens);
    held alone or pooled, nobody is short (1 by convention only)."""
    comparison = compare(SMALL, RULES, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    fairness = next(ax for ax in fig.axes if ax.get_xlabel().startswith("fairness"))
    assert [bar.get_width() for bar in fairness.patches] == [1.0, 0.0, 0.0, 0.0]
    assert [t.get_text() for t in fairness.texts] == ["1.000", *[NOBODY_SHORT_BAR] * 3]
    assert comparison.table()["fairness_jain"].tolist() == [1.0] * 4  # compare.csv's numbers as they were
    result = invoke(
        "compare", _write(tmp_path, SMALL), "--mechanisms", ",".join(RULES), "--no-plots", "-o", tmp_path / "c"
    )
    assert result.exit_code == 0, result.output
    printed = _printed_rows(result.output, ("total_shortfall_t", "fairness_jain"))
    assert list(printed.values()) == [["30.0", "1.000"], *[["0.0", "none short"]] * 3]
    assert result.output.splitlines().count(NO_BURDEN_NOTE) == 1
    assert "cannot be told apart" not in result.output  # someone is short in one row
