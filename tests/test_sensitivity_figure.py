"""The sensitivity figure and top drivers say what they show: shares on 0-1, metrics non-zero in few runs flagged.

Index tables are written by hand; the positions and lengths below are worked out from them.
"""

from __future__ import annotations

import json

import pandas as pd
import yaml
from matplotlib.collections import LineCollection

from simulator.sensitivity import top_drivers
from simulator.sensitivity.figures import sensitivity_figure
from simulator.sensitivity.words import sparse_text
from tests.helpers import invoke
from tests.test_figure_fixes import unreadable
from tests.test_sensitivity import SHORT

JAPAN = "shortfall_t.japan"


def sobol_rows(metric: str, rows: list[tuple[str, float, float, float]]) -> pd.DataFrame:
    """(label, ST, ST_conf, S1) per input, most influential first."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "S1": s1, "S1_conf": 0.01, "ST": st, "ST_conf": conf}
            | {"label": label}
            for label, st, conf, s1 in rows
        ]
    )


def test_sobol_shares_stay_on_0_to_1_and_a_whisker_past_1_is_cut_and_marked():
    # the audit's Japan panel: ST 0.52 +- 2.56 and S1 0.70 (S1 above ST); a second input ST 0.3 +- 0.1
    table = sobol_rows(JAPAN, [("precaution", 0.52, 2.56, 0.70), ("demand", 0.3, 0.1, 0.2)])
    fig = sensitivity_figure(table, "sobol", 1280, {JAPAN: 11})
    ax = fig.axes[0]
    assert ax.get_xlim() == (0.0, 1.0)  # was (0, 3.08): 0.52 + 2.56
    widths = [p.get_width() for p in ax.patches]
    assert widths == [0.52, 0.3, 0.7, 0.2]  # ST bars then S1 bars, each as estimated
    (whiskers,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    spans = sorted((round(s[0][0], 9), round(s[1][0], 9)) for s in whiskers.get_segments())
    # 0.52 - 2.56 < 0 and 0.52 + 2.56 > 1: cut to 0 and 1; 0.3 +- 0.1: 0.2 to 0.4
    assert spans == [(0.0, 1.0), (0.2, 0.4)]
    (cut,) = [line for line in ax.lines if line.get_marker() == ">"]
    assert list(cut.get_xdata()) == [1.0] and list(cut.get_ydata()) == [1]  # the top bar (y = 1 of 0, 1)
    # 11 of 1,280 runs is under 5% (64): flagged; S1 0.70 > ST 0.52 said too
    assert ax.get_title() == (
        "Shortfall, Japan (t)\nnon-zero in only 11 of 1,280 runs: indices rest on those runs\n"
        "S1 above ST for 1 input: sampling noise"
    )
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["total (ST)", "95% confidence interval of ST", "first order (S1)", "past 1, cut at the edge"]


def test_a_metric_non_zero_in_5_percent_of_runs_or_more_is_not_flagged():
    table = sobol_rows(JAPAN, [("demand", 0.6, 0.1, 0.5)])
    for nonzero in (64, 0, None):  # 64 = 5% of 1,280; 0: the same in every run, nothing to doubt
        fig = sensitivity_figure(table, "sobol", 1280, None if nonzero is None else {JAPAN: nonzero})
        assert fig.axes[0].get_title() == "Shortfall, Japan (t)", nonzero
    assert "63 of 1,280" in sensitivity_figure(table, "sobol", 1280, {JAPAN: 63}).axes[0].get_title()


def test_morris_says_how_many_inputs_it_shows_and_does_not_call_sigma_a_mean():
    rows = [
        {"metric": "total_shortfall_t", "parameter": f"p{i}", "label": f"input {i}"}
        | {"mu_star": 14.0 - i, "mu_star_conf": 1.0, "sigma": 2.0, "mu": 1.0}
        for i in range(14)
    ]
    fig = sensitivity_figure(pd.DataFrame(rows), "morris", 150)
    assert fig._suptitle.get_text() == (
        "Morris elementary effects: 150 runs\n12 of 14 inputs shown per metric (the most influential)"
    )
    ax = fig.axes[0]
    assert len(ax.get_yticklabels()) == 12
    assert ax.get_xlabel() == (
        "mu*: mean absolute change per whole range of the input (t),\n"
        "extrapolated from steps of 2/3 of the range; sigma: their spread"
    )


def test_top_drivers_print_no_minus_zero_and_flag_a_metric_non_zero_in_few_runs():
    table = sobol_rows(JAPAN, [("precaution", 0.59, 2.56, -0.004), ("demand", 0.52, 1.08, 0.70)])
    line, caution = top_drivers(table, "sobol", 2, {JAPAN: 11}, 1280)
    assert caution.startswith("  caution: ")  # 2.56 > 0.59 (tests/test_sensitivity_cautions.py)
    assert line == (
        "Shortfall, Japan (t), non-zero in only 11 of 1,280 runs: precaution (ST 0.59 +- 2.56, S1 0.00), "
        "demand (ST 0.52 +- 1.08, S1 0.70)"
    )
    assert "-0.00" not in line
    assert top_drivers(table, "sobol", 1, {JAPAN: 640}, 1280)[0].startswith("Shortfall, Japan (t): precaution")


def _rarely_short(tmp_path, *options):
    """``stockpile sensitivity`` of the test world short by 40 x demand - stock, with stock from 0
    to 10,000 t and demand 5-15 t/day: short in about 4% of the samples (40 x 10 / 10,000 on
    average). The command's result, its samples and sensitivity.json."""
    data = yaml.safe_load(yaml.safe_dump(SHORT))
    data["uncertain"][1]["high"] = 10_000
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    out = tmp_path / "out"
    result = invoke("sensitivity", path, "--samples", 64, "--workers", 1, *options, "-o", out)
    assert result.exit_code == 0, result.output
    return result, pd.read_parquet(out / "samples.parquet"), json.loads((out / "sensitivity.json").read_text())


def test_the_command_counts_the_runs_each_metric_is_non_zero_in_and_flags_the_few(tmp_path):
    result, samples, info = _rarely_short(tmp_path)
    short = int((samples[JAPAN] != 0).sum())
    assert info["runs"] == 320 and 0 < short < 16  # under 5% of 320 runs
    assert info["nonzero_runs"] == {"total_shortfall_t": short, JAPAN: short}
    assert info["sparse_metrics"] == ["total_shortfall_t", JAPAN]
    assert f"  Shortfall, Japan (t), non-zero in only {short} of 320 runs: " in result.output
    # the terminal's note is told the counts too: a sparse metric's intervals set no --samples there either
    note = next(line for line in result.output.splitlines() if line.startswith("note: where an interval"))
    assert f"non-zero in only {short} of 320 runs: its intervals rest on those {short} runs" in note
    assert "rough guide" not in note


def test_a_first_day_short_counts_the_runs_it_occurs_in_not_those_it_is_never(tmp_path):
    # the world above: "never" is -1 (or empty), which is not a run in which Japan is short
    first = "first_shortfall_day.japan"
    result, samples, info = _rarely_short(tmp_path, "--metric", first, "--metric", JAPAN)
    short = int((samples[JAPAN] > 0).sum())
    assert 0 < short < 16
    assert info["nonzero_runs"] == {first: short, JAPAN: short}
    assert info["sparse_metrics"] == [first, JAPAN]
    # not "non-zero"; and the others' -1 is not a day -1 in the indices
    flag = f", in only {short} of 320 runs (never in the others, counted as day 40, after the horizon): "
    assert flag in result.output
    assert info["never_runs"] == {first: 320 - short} and info["never_as_day"] == 40


def test_a_day_metric_says_what_its_minus_one_means_never_no_demand_or_no_price():
    # only a first day short is "never"; a day of lowest cover or of peak price has none without demand or price
    assert sparse_text(5, 128, "first_shortfall_day.japan") == (
        "in only 5 of 128 runs (never in the others, counted as after the horizon)"
    )
    assert sparse_text(5, 128, "peak_price_day.eu.light_ree") == (
        "in only 5 of 128 runs (no price in the others, counted as after the horizon)"
    )
    assert sparse_text(5, 128, "min_days_of_cover_day.eu", 731) == (
        "in only 5 of 128 runs (no demand in the others, counted as day 731, after the horizon)"
    )
    assert sparse_text(5, 128, "shortfall_t.eu") == "non-zero in only 5 of 128 runs"


def test_a_first_day_never_in_most_runs_is_flagged_with_how_its_indices_count_never():
    # the audit's study: first short in 95 of 800 runs (12%, not sparse), never in 705
    first = "first_shortfall_day.japan"
    table = sobol_rows(first, [("precaution", 0.6, 0.1, 0.5)])
    title = sensitivity_figure(table, "sobol", 800, {first: 95}, 731).axes[0].get_title()
    assert title == "First day short, Japan (day)\nnever in 705 of 800 runs, counted as day 731, after the horizon"
    (line,) = top_drivers(table, "sobol", 1, {first: 95}, 800, 731)
    assert line.startswith("First day short, Japan (day), never in 705 of 800 runs, counted as day 731, after the")
    # short in every run, or in none (the same in every run): nothing to say
    for occurs in (800, 0):
        assert sensitivity_figure(table, "sobol", 800, {first: occurs}, 731).axes[0].get_title() == (
            "First day short, Japan (day)"
        )


def test_the_figure_title_and_the_panel_titles_of_three_lines_are_drawn_apart():
    # the audit: 48 inputs (two title lines) over a first panel whose title has three (sparse, S1 above ST)
    rows = [(f"input {i}", 0.5 - 0.01 * i, 0.1, 0.1) for i in range(48)]
    rows[0] = ("input 0", 0.5, 0.1, 0.7)
    metrics = ["total_shortfall_t", "shortfall_t.japan", "shortfall_t.eu"]
    table = pd.concat([sobol_rows(m, rows) for m in metrics], ignore_index=True)
    fig = sensitivity_figure(table, "sobol", 800, {"total_shortfall_t": 11, "shortfall_t.japan": 11})
    assert (
        fig._suptitle.get_text() == "Sobol' indices: 800 runs\n12 of 48 inputs shown per metric (the most influential)"
    )
    assert fig.axes[0].get_title().count("\n") == 2
    assert unreadable(fig) == []
