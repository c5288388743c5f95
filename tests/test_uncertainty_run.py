"""stockpile run --uncertainty N: intervals worked out by hand, drivers, fan charts, the report section.

The test world is short of all its demand from day 0 (a permanent embargo, no stock, no
goods in transit), so over its 40 days the shortfall is exactly 40 x demand. With demand
uniform on [5, 15] t/day the shortfall is uniform on [200, 600] t: its median is 400 t
and its 90% interval 220-580 t. A Latin hypercube of N samples puts one sample in each
1/N of the range, so with N = 200 the sample quantiles are within 400 / 200 = 2 t of these.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import simulate
from simulator.report import render_report
from simulator.scenario import validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import headline_lines, interval_text, run_uncertainty, same_in_every_sample
from tests.helpers import ONE_REGION, build, japan_halted, manifest_of, words_page

SHORT = build(
    ONE_REGION,
    regions__japan__commercial_stock__ree__tonnes=0,
    materials__ree__holding_cost_usd_per_t_year=500,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
    uncertain=[
        {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test", "label": "demand"},
        {"path": "materials.ree.holding_cost_usd_per_t_year", "low": 100, "high": 900, "source": "assumption"},
    ],
)


@pytest.fixture(scope="module")
def found():
    return run_uncertainty(plan_study(SHORT, "s.yaml", fixed=()), 200)


@pytest.fixture(scope="module")
def page(found) -> str:
    """The report of SHORT as written with the study ``found``, rendered once for the tests that read it (text)."""
    return words_page(simulate(validate_data(SHORT, "s.yaml")), uncertainty=found)


def test_the_headline_interval_is_the_one_worked_out_by_hand(found):
    total = found.headlines.set_index("metric").loc["total_shortfall_t"]
    assert total["median"] == pytest.approx(400, abs=2)
    assert total["p5"] == pytest.approx(220, abs=2)
    assert total["p95"] == pytest.approx(580, abs=2)
    assert total["title"] == "Total shortfall (t)"


def test_the_driver_is_the_input_the_shortfall_follows_and_not_the_one_it_ignores(found):
    drivers = found.drivers["total_shortfall_t"]
    assert [d.label for d in drivers] == ["demand"]
    assert drivers[0].rho == pytest.approx(1.0)  # the shortfall rises with demand, rank for rank
    # rank for rank: |rho| 1, said with which way the figure moves, on the input's own values
    assert headline_lines(found)[0].endswith(
        "most associated with demand (the higher it is, the larger the total shortfall; absolute rank correlation 1.00)"
    )


def test_the_fan_bands_bracket_the_cumulative_shortfall_of_every_day(found):
    bands = found.bands["shortfall_cum_t"]
    days = np.arange(1, 41)[:, None, None]
    within = days * 10 / 200 + 1e-3  # one stratum of demand (10 / 200 t/day) on each day so far
    # demand 10 t/day at the median, 5.5 and 14.5 t/day at the 5th and 95th percentiles, all of it short
    for band, demand in (("p50", 10.0), ("p5", 5.5), ("p95", 14.5)):
        assert (np.abs(bands[band] - days * demand) <= within).all(), band


def test_each_sample_uses_its_own_run_seed_and_its_values(found):
    assert found.samples["seed"].nunique() == 200
    demand = found.samples["regions.japan.demand.ree.tonnes_per_day"]
    assert np.allclose(found.samples["total_shortfall_t"], 40 * demand)
    # a Latin hypercube: exactly one sample in each 1/200 of the range
    strata = np.floor((demand - 5) / 10 * 200).astype(int)
    assert sorted(strata) == list(range(200))


def test_the_report_shows_intervals_and_a_place_for_each_fan_chart(page):
    # the page is read without its figures (words_page): the fan charts drawn in it are tested in
    # tests/test_report_without_figures.py (an <svg> each) and tests/test_report_robust_table.py (the trigger line)
    html = page
    assert "How sure are these figures?" in html
    assert 'data-figure="fan_days_of_cover"' in html and 'data-figure="fan_shortfall_cum_t"' in html
    assert "<td>400</td>" in html  # the scenario as written: 10 t/day x 40 days
    # the verdict's answer is one run's, and beside it how often the region runs short over the samples
    # (always: no stock, halted all run)
    text = re.sub(r"<[^>]+>", "", html)
    verdict = text[text.index("Who runs short?") : text.index("The question")]
    assert "In the scenario as written \u2014 there is no joint stock in this scenario" in verdict
    # every sample short all 40 days of its own 5-15 t/day, so all 200 by more than a day of that demand and each
    # by 40 days of it (not up to 60 days of the 10 t/day as written: no run of 40 days is short 60 days); of those
    # tied at 40 days the most tonnes, in the top 1/200 of the demand range: 40 x 14.95-15 = 598-600 t. Then that
    # the samples are not weighted by fit: the report has no record
    assert re.search(
        r"How robust: in 200 of the 200 samples of its 2 uncertain inputs Japan runs short \(200 by more than a "
        r"day of its demand of a material; the largest (598|599|600) t of rare earths, 40 days of its demand in "
        r"that sample\); intervals in How sure are these figures\? The samples are not weighted by any fit to a "
        r"record\.",
        verdict.replace("\u00a0", " "),
    )
    assert 'href="#uncertainty">How sure are these figures?</a>' in html
    # Japan's lowest cover is 0 days in every sample: no driver to name, and the table says why
    assert "none: the same in every sample" in text
    assert "named when it clears 0.20 (what chance alone could reach over these samples)" in text
    assert "A day's median is not the median of the samples' lowest points" in text


def test_a_figure_short_in_few_samples_is_neither_the_same_in_every_sample_nor_driven(found):
    from simulator.report.uncertainty import _no_driver

    # Japan short in 9 of the 200 samples only: its 5th, 50th and 95th percentiles are all 0,
    # yet the figure varies, so it is not "the same in every sample"; ranked against random
    # order no input is behind it, and with 2 inputs and 200 samples chance alone reaches
    # 2.24 / sqrt(199) = 0.16, under the 0.2 floor of the bound
    samples = found.samples.copy()
    samples["shortfall_t.japan"] = np.r_[np.zeros(191), np.linspace(10, 209, 9)]
    rare = dataclasses.replace(found, samples=samples)
    assert np.percentile(samples["shortfall_t.japan"], [5, 50, 95]).tolist() == [0.0, 0.0, 0.0]
    assert not same_in_every_sample(rare, "shortfall_t.japan")
    assert same_in_every_sample(rare, "min_days_of_cover.japan")  # 0 days in every sample: no stock, halted
    japan = rare.headlines[rare.headlines["metric"] == "shortfall_t.japan"]
    (row,) = japan.assign(p5=0.0, median=0.0, p95=0.0).itertuples()  # its headline row, as the table reads it
    # 191 of the 200 are 0: ties, not too few samples, leave the ranks little to tell
    assert _no_driver(row, rare) == (
        "no input stands out<br><small>none clears an absolute rank correlation of 0.20 over 200 samples, "
        "191 of them tied at 0</small>"
    )
    assert interval_text(0.0, 0.0, 0.0, "t", same_in_every_sample(rare, "shortfall_t.japan")) == (
        "median 0 t (90% interval 0 to 0 t)"
    )


def test_the_verdict_counts_the_samples_that_leave_each_member_short(found):
    from types import SimpleNamespace

    from simulator.report.uncertainty import samples_short_line
    from tests.helpers import TWO_MEMBERS, run

    # ten samples by hand, with the joint stock and the same ten without the agreement; one material, whose
    # demand as written is 80 t/day for the EU and 20 for Japan. With it the EU is short in 7 (a NaN counts as
    # not short), 2 of them by more than a day of its demand (400 and 1,047 t; 20 and 12 t are not, though over
    # 10 t), the largest 1,047 / 80 = 13 days; Japan in 1, 171.4 / 20 = 8.6 days.
    # Without it: the EU's samples 0, 3, 4 and 9 are as short (no smaller: 4), 1 and 8 less short (cut: 2),
    # 2 short only without (avoided: 1), 5 short only with (brought: 1), so short in 7 without, 2 by more than
    # 80 t (400, 2,000 = 25 days); Japan's sample 0 is avoided and 9 no smaller, both over 20 t. The most often
    # short comes first. Over both members, classified as the verdict's headline classifies the run as written:
    # no one short either way in 6 and 7 ('not needed': 2); short only with the stock in 5 (6 t, 1); sample 2
    # closed (1); the members' total smaller as shown in 0, 1, 8 (cut: 3); no smaller in 3, 4 and 9 (3): in 9
    # the EU's 12 t against 12.01 t without is no cut, 183.4 t and 183.41 t both reading 183 t (nor is it for
    # the EU alone: 12.0 t both ways).
    pair = run(TWO_MEMBERS)
    nan = np.nan
    samples = pd.DataFrame(
        {
            "shortfall_t.japan": [0, 0, 0, 0, 0, 0, 0, 0, 0, 171.4],
            "shortfall_t.eu": [0.5, 20, 0, 400, 0.01, 6, nan, 0, 1047, 12],
        }
    )
    without = pd.DataFrame(
        {
            "shortfall_t.japan": [50, 0, 0, 0, 0, 0, 0, 0, 0, 171.4],
            "shortfall_t.eu": [0.5, 30, 5, 400, 0.01, 0, nan, 0, 2000, 12.01],
        }
    )
    for frame in (samples, without):
        for member in ("japan", "eu"):
            frame[f"shortfall_t.{member}.ree"] = frame[f"shortfall_t.{member}"]
    # two inputs, one of them the agreement's own design
    study = SimpleNamespace(inputs=[None, None], paths=["agreement.pool.days_of_demand", "regions.eu.x"])
    ten = dataclasses.replace(found, samples=samples, runs=10, without=without, study=study)

    def line(of, answer=None):
        return re.sub(r"<[^>]+>", "", samples_short_line(pair, of).html(answer)).replace("\u00a0", " ")

    # the headline's answer leads: 'not needed' holds in 2 of the 10 samples, and the other 8 are counted by what
    # the stock does in them (the headline's own answer is left out of that list); a count of 0 would be left out
    assert line(ten, "not_needed").split("\n")[0] == (
        "How robust: the answer \u2018not needed\u2019 holds in 2 "
        "of the 10 runs with its 2 uncertain inputs varied; of the other 8, the joint stock closes every shortfall "
        "in 1, "
        "cuts the members\u2019 total in 3, leaves it no smaller in 3 and brings a shortfall where there was none "
        "in 1. The samples are not weighted by any fit to a record."
    )
    assert line(ten, "cuts").split("\n")[0] == (
        "How robust: the answer that the joint stock cuts the members\u2019 shortfall holds in 3 of the 10 runs "
        "with its 2 uncertain inputs varied; of the other 7, no member is short either way in 2, and the joint "
        "stock closes "
        "every shortfall in 1, leaves it no smaller in 3 and brings a shortfall where there was none in 1. The "
        "samples are not weighted by any fit to a record."
    )
    # the table: a row per member in the scenario's order, each count under its column; every column of what the
    # stock did is there, since each has a count above 0 for the EU
    html = samples_short_line(pair, ten).html("not_needed")
    assert table_cells(html) == {
        "Japan": {
            "Samples short with the stock": "1",
            "Samples short without it": "2 (2 by more than a day of its demand)",
            "Stock closes a shortfall": "1",
            "Stock cuts one": "0",
            "Stock leaves one no smaller": "1",
            "Stock brings one where there was none": "0",
            "Largest with the stock, in days of demand": "8.6 days of its demand (171 t of rare earths)",
            "Largest without it (any sample)": "8.6 days of its demand (171 t of rare earths)",
        },
        "EU": {
            "Samples short with the stock": "7, 5 of them by a day or less (2 by more)",
            "Samples short without it": "7, 5 of them by a day or less (2 by more)",
            "Stock closes a shortfall": "1",
            "Stock cuts one": "2",
            "Stock leaves one no smaller": "4",
            "Stock brings one where there was none": "1",
            "Largest with the stock, in days of demand": "13 days of its demand (1,047 t of rare earths)",
            "Largest without it (any sample)": "25 days of its demand (2,000 t of rare earths)",
        },
    }
    assert (
        "<caption>How many of the 10 samples leave each member short, with the joint stock and in the same samples "
        "without it<" in html
    )
    assert html.count('<th scope="col">') == 9 and html.count('<th scope="row">') == 2
    assert line(ten).endswith(
        "The samples vary the joint stock\u2019s own design too: 1 of the 2 inputs is the agreement\u2019s; "
        "intervals in How sure are these figures?"
    )
    # without the paired runs the line says that the count with the stock cannot say whether it is needed, and the
    # table gives the counts with the stock only
    alone = dataclasses.replace(ten, without=None, without_why="")
    assert line(alone).split("\n")[0] == (
        "How robust: not measured against the joint stock\u2019s absence. Whether the joint stock is needed takes the "
        "same samples without it, which this study does not have; run the scenario without its agreement with "
        "--uncertainty 10. The samples are not weighted by any fit to a record."
    )
    assert table_cells(samples_short_line(pair, alone).html())["EU"] == {
        "Samples short with the stock": "7, 5 of them by a day or less (2 by more)",
        "Largest with the stock, in days of demand": "13 days of its demand (1,047 t of rare earths)",
    }
    # no member short in any sample either way: one sentence, no table of zeros
    none = dataclasses.replace(ten, samples=samples * 0, without=without * 0)
    assert line(none, "not_needed") == (
        "How robust: the answer \u2018not needed\u2019 holds in all 10 of the 10 runs with its 2 uncertain "
        "inputs varied. The samples are not weighted by any fit to a record."
        "\nThe samples vary the joint stock\u2019s own design "
        "too: 1 of the 2 inputs is the agreement\u2019s; intervals in How sure are these figures?"
    )
    assert "<table" not in samples_short_line(pair, none).html("not_needed")


def table_cells(html: str) -> dict[str, dict[str, str]]:
    """The robustness table's cells by member and column, as text (a note under a count in brackets)."""
    table = html[html.index('<table class="robust">') : html.index("</table>") + len("</table>")]
    heads = re.findall(r'<th scope="col">(.*?)</th>', table)
    rows = {}
    for row in re.findall(r"<tr><th scope=\"row\">(.*?)</tr>", table):
        name, _, rest = row.partition("</th>")
        cells = re.findall(r"<td[^>]*>(.*?)</td>", rest)
        labels = re.findall(r'data-label="(.*?)"', rest)
        assert labels == heads[1:]
        text = [re.sub(r"<br><small>(.*?)</small>", r" (\1)", c).replace("\u00a0", " ") for c in cells]
        rows[name] = dict(zip(heads[1:], text, strict=True))
    return rows


def test_the_samples_are_counted_material_by_material_where_the_headline_answers_so():
    from simulator.report.uncertainty import outcome_counts

    # one sample: 5 t of a short with the stock and 0 t of b; without it 1 t of a and 3 t of b. In all 5 t against
    # 4 t: no smaller. Where tonnes of a and b may not be added the headline answers by material: b is cut (3 t to
    # none), so the stock cuts a shortfall.
    with_stock, without = {"a": np.array([5.0]), "b": np.array([0.0])}, {"a": np.array([1.0]), "b": np.array([3.0])}
    assert outcome_counts(with_stock, without) == {
        "not_needed": 0,
        "only_with": 0,
        "closes": 0,
        "cuts": 0,
        "no_help": 1,
    }
    assert outcome_counts(with_stock, without, kinds=True)["cuts"] == 1


def test_a_material_without_demand_as_written_is_sized_in_tonnes_never_in_days():
    from simulator.names import Names
    from simulator.report.uncertainty import _by_material, _sizes
    from tests.helpers import TWO_MEMBERS, run

    names = Names.of(run(TWO_MEMBERS).scenario)
    # the EU's demand as written: 80 t/day of ree, none of mag (a sample may still draw some). Three samples
    # short: 40 t of ree (0.5 days), 0.4 t of mag only, 30 t of mag only. Large: over a day of ree (none) or
    # 1 t or more of mag (the third): 1. The largest in days is the ree sample's; no "0.0 days" for mag.
    demand = {("eu", "ree"): 80.0, ("eu", "mag"): 0.0}
    table = pd.DataFrame({"shortfall_t.eu.ree": [40.0, 0, 0, 0], "shortfall_t.eu.mag": [0, 0.4, 30.0, 0]})
    total = (table["shortfall_t.eu.ree"] + table["shortfall_t.eu.mag"]).to_numpy(float)
    text = _sizes(total, _by_material(table, "eu", demand), names).replace("\u00a0", " ")
    # the other 2 (40 t of ree, 0.4 t of mag) said first. Each count says its measure in the same words, the
    # small ones' turned round: a day or less of each material AND under 1 t of each without demand (they were
    # "a day or less of its demand or under 1 t of a material ...", an "or" where each sample meets both), and
    # neither has a comma of its own, so that the comma between the two counts is the only one (there was one
    # inside the second count: "of a material, or by 1 t or more", read as a third count)
    assert text == (
        "2 of them by a day or less of its demand of each material and by under 1 t of each without demand as "
        "written, 1 by more than a day of its demand of a material or by 1 t or more of one without demand as "
        "written; the largest 40 t of rare earths, 0.5 days of its demand in that sample"
    )
    # short only of mag: the largest in tonnes, without days
    only = table.assign(**{"shortfall_t.eu.ree": 0.0})
    total = only["shortfall_t.eu.mag"].to_numpy(float)
    text = _sizes(total, _by_material(only, "eu", demand), names).replace("\u00a0", " ")
    assert text == (
        "1 of them by a day or less of its demand of each material and by under 1 t of each without demand as "
        "written, 1 by more than a day of its demand of a material or by 1 t or more of one without demand as "
        "written; the largest 30 t of mag"
    )
    single = only.assign(**{"shortfall_t.eu.mag": [0, 0.4, 0, 0]})
    text = _sizes(single["shortfall_t.eu.mag"].to_numpy(float), _by_material(single, "eu", demand), names)
    assert text.replace("\u00a0", " ") == "under 1 t of mag"


def test_without_samples_the_report_names_the_inputs_the_figures_rest_on():
    html = words_page(simulate(validate_data(SHORT, "s.yaml")))
    assert "What rests on assumptions" in html and "regions.japan.demand.ree.tonnes_per_day" in html
    assert "5 to 15" in html
    plain = words_page(simulate(validate_data({**SHORT, "uncertain": []}, "s.yaml")))
    assert "What rests on assumptions" not in plain


def test_cli_writes_the_intervals_and_fan_charts_and_lists_them_in_the_manifest(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SHORT, sort_keys=False))
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["run", str(path), "--uncertainty", "40", "--report", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "uncertainty: 40 samples of 2 uncertain inputs" in result.output
    assert "Total shortfall: median" in result.output
    files = set(manifest_of(out)["files"])
    assert {"uncertainty.csv", "uncertainty_samples.parquet", "fan_days_of_cover.png", "fan_shortfall.png"} <= files
    table = pd.read_csv(out / "uncertainty.csv")
    columns = ["metric", "title", "unit", "median", "p5", "p95", "drivers", "samples"]
    assert list(table.columns) == columns
    assert (table["p5"] <= table["median"]).all() and (table["median"] <= table["p95"]).all()
    assert "How sure are these figures?" in (out / "report.html").read_text()


def test_cli_refuses_uncertainty_without_uncertain_inputs(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump({**SHORT, "uncertain": []}, sort_keys=False))
    result = CliRunner().invoke(main, ["run", str(path), "--uncertainty", "10", "-o", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "declares no uncertain inputs" in result.output and not (tmp_path / "out").exists()


def test_a_run_without_the_option_writes_no_uncertainty_files(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SHORT, sort_keys=False))
    result = CliRunner().invoke(main, ["run", str(path), "--no-plots", "-o", str(tmp_path / "out")])
    assert result.exit_code == 0
    assert not any(p.name.startswith(("uncertainty", "fan_")) for p in Path(tmp_path / "out").iterdir())


def test_the_fan_charts_use_the_names_the_scenario_gives(tmp_path, monkeypatch):
    # a region and a material with labels: the report's and the files' fan charts show them
    from matplotlib.text import Text

    from simulator.sensitivity import figures, intervals

    labelled = build(SHORT, regions__japan__label="Nippon", materials__ree__label="Magnet metals")
    scenario = validate_data(labelled, "s.yaml")
    seen, cut = [], []

    real = figures.fan_figure

    def drawn(*args, **kwargs):  # the report and the run's files both draw through intervals.fan_chart
        figure = real(*args, **kwargs)
        seen.append({text.get_text() for text in figure.findobj(Text)})
        cut.append((args[5], kwargs.get("clip")))  # the title, and whether a spike may be cut
        return figure

    monkeypatch.setattr(figures, "fan_figure", drawn)  # intervals.fan_chart imports it where it draws
    found_labelled = run_uncertainty(plan_study(labelled, "s.yaml", fixed=()), 20)
    result = simulate(scenario)
    render_report(result, uncertainty=found_labelled)
    own = intervals.own_curves(result.timeseries, ["japan"], ["ree"])
    intervals.write_uncertainty(found_labelled, own, tmp_path)
    assert len(seen) == 4, seen  # two curves, in the report and in the run's files
    # the shortfall's legend, and the note of the cover's panel: 0 days in every sample (no stock, halted)
    assert all("Magnet metals" in texts for texts in seen), seen
    assert [
        ("Nippon: median, 5-95%" in texts, "Nippon: band, median and as written 0 throughout" in texts)
        for texts in seen
    ] == [
        (False, True),
        (True, False),
    ] * 2, seen
    # days of cover spikes where demand nearly stops: its axis may be cut; a shortfall's tail is real
    assert cut == [("Days of cover", True), ("Cumulative shortfall", False)] * 2


def test_the_console_and_the_report_give_the_unit_with_the_numbers_and_not_twice(found, page):
    # "Total shortfall (t): median 400 t" said the unit twice: the title drops it, the numbers keep it
    lines = headline_lines(found)
    total = r"Total shortfall: median \d{3} t \(90% interval \d{3} to \d{3} t\)"
    driver = re.escape(
        "; most associated with demand (the higher it is, the larger the total shortfall; "
        "absolute rank correlation 1.00)"
    )
    assert re.fullmatch(total + driver, lines[0]), lines[0]
    assert "Lowest days of cover, Japan: 0.0 days in every sample" in lines  # no stock, halted all run
    assert [line for line in lines if re.search(r"\((t|days)\):", line)] == []
    html = page
    assert re.search(total + driver + r"\.", re.sub(r"<[^>]+>", "", html))  # the lead sentence, as the console
    assert '<td class="text">Total shortfall (t)</td>' in html  # the table's numbers have no unit: its title does


SPLIT = build(
    SHORT,
    suppliers__rest_of_world={"lead_time_days": {"japan": 5}},
    uncertain=[
        *SHORT["uncertain"],
        {
            "path": "regions.japan.sourcing.ree",
            "values": [{"china": 1.0}, {"china": 0.6, "rest_of_world": 0.4}],
            "source": "test",
        },
    ],
)


def test_the_page_says_why_the_samples_table_has_more_input_columns_than_inputs():
    from simulator.sensitivity.intervals import input_columns

    split = run_uncertainty(plan_study(SPLIT, "s.yaml", fixed=()), 10)
    inputs = list(split.samples.columns[: split.samples.columns.get_loc("seed")])
    # the sourcing split takes a column per supplier: 4 columns for 3 inputs
    assert inputs == [
        "regions.japan.demand.ree.tonnes_per_day",
        "materials.ree.holding_cost_usd_per_t_year",
        "regions.japan.sourcing.ree.china",
        "regions.japan.sourcing.ree.rest_of_world",
    ]
    assert list(input_columns(split).values()) == [1, 1, 2]
    text = re.sub(r"<[^>]+>", "", words_page(simulate(validate_data(SPLIT, "s.yaml")), uncertainty=split))
    assert "10 runs sampled the scenario's 3 uncertain inputs" in text
    assert (
        "The samples table, uncertainty_samples.parquet, has 4 input columns for these 3 inputs: an input whose "
        "values are mappings (sourcing shares, say) takes a column per key (regions.japan.sourcing.ree 2)."
    ) in text


def test_a_samples_table_with_a_column_per_input_needs_no_word_on_it(page):
    html = page
    assert "The samples table" not in html


def test_a_figure_short_in_few_samples_says_how_many_beside_its_interval_of_0_to_0(found):
    from simulator.sensitivity.intervals import off_interval_text

    # Japan short in 9 of 200 samples, 10 to 209 t: 5th, 50th and 95th percentiles all 0, so
    # "median 0 t (90% interval 0 to 0 t)" alone would read as never short
    samples = found.samples.copy()
    samples["shortfall_t.japan"] = np.r_[np.zeros(191), np.linspace(10, 209, 9)]
    japan = found.headlines["metric"] == "shortfall_t.japan"
    headlines = found.headlines.copy()
    headlines.loc[japan, ["median", "p5", "p95"]] = 0.0
    drivers = {**found.drivers, "shortfall_t.japan": []}  # ranked against random order: none
    rare = dataclasses.replace(found, samples=samples, headlines=headlines, drivers=drivers)
    assert off_interval_text(rare, "shortfall_t.japan", "t") == "9 of 200 samples above it, up to 209 t"
    assert "Shortfall, Japan: median 0 t (90% interval 0 to 0 t); 9 of 200 samples above it, up to 209 t" in (
        headline_lines(rare)
    )
    # an interval with width, or a figure the same in every sample, needs no such words
    assert off_interval_text(found, "total_shortfall_t", "t") == ""
    assert off_interval_text(found, "min_days_of_cover.japan", "days") == ""
    assert "Lowest days of cover, Japan: 0.0 days in every sample" in headline_lines(rare)


def test_each_fan_chart_says_how_its_days_relate_to_the_table(found, page):
    html = page
    captions = dict(re.findall(r'data-figure="fan_(\w+)">.*?<figcaption[^>]*>(.*?)</figcaption>', html, re.S))
    # the lowest cover: samples reach it on different days, so a day's median is not the median of the lows
    assert "A day's median is not the median of the samples' lowest points" in captions["days_of_cover"]
    # a running total ends at each sample's total: its last day's median is the samples' median total
    assert "A day's median is not" not in captions["shortfall_cum_t"]
    assert "the last day's median and band are those of the samples' totals" in captions["shortfall_cum_t"]
    last = found.bands["shortfall_cum_t"]["p50"][-1, 0, 0]
    assert last == pytest.approx(np.median(found.samples["shortfall_t.japan"]))  # one region, one material


def test_each_fan_chart_s_caption_opens_with_its_key_numbers(page):
    captions = dict(re.findall(r'<figcaption id="fan_(\w+)-caption">(.*?)</figcaption>', page, re.S))
    # no stock and halted from day 0: no cover on any day in any sample, at its lowest first on day 0
    assert captions["days_of_cover"].startswith(
        "Median cover at its lowest: Japan 0.0 days (rare earths, day 0; 5-95%: 0.0 to 0.0 days). Days of cover:"
    )
    # the run's shortfall is 40 days x demand, uniform on [5, 15] t/day: 400 t at the median, 220 and 580 t at the
    # 5th and 95th percentiles (within 2 t: a sample in each 1/200 of the range)
    shown = re.match(
        r"Short over the run, median: Japan, rare earths (\d+)\xa0t \(5-95%: (\d+) to (\d+)\xa0t\)\. Cumulative",
        captions["shortfall_cum_t"],
    )
    assert shown is not None, captions["shortfall_cum_t"]
    assert [float(v) for v in shown.groups()] == pytest.approx([400, 220, 580], abs=2)


def test_a_driver_says_which_way_on_the_inputs_own_values():
    import types

    from simulator.scenario.schema import UncertainUniform, UncertainValues
    from simulator.scenario.uncertain import Input
    from simulator.sensitivity.intervals import Driver, drivers_text

    inputs = [
        Input(UncertainUniform(path="e", low=-0.3, high=-0.02, source="a", label="elasticity"), -0.1),
        Input(UncertainUniform(path="g", low=0.5, high=3.5, source="a", label="gain"), 1.7),
        Input(UncertainValues(path="v", values=["a", "b"], source="a", label="choice"), "a"),
    ]
    fake = types.SimpleNamespace(
        study=types.SimpleNamespace(inputs=inputs),
        drivers={
            "total_shortfall_t": [Driver("elasticity", "e", 0.42)],
            "min_days_of_cover.eu": [Driver("elasticity", "e", -0.46), Driver("gain", "g", -0.38)],
            "shortfall_t.eu": [Driver("choice", "v", 0.3)],
        },
        cleared={},  # no more inputs past the bound than named
    )
    # +0.42 with an elasticity from -0.3 to -0.02: the nearer 0 (the higher), the larger the shortfall
    assert drivers_text(fake, "total_shortfall_t") == (
        "most associated with elasticity (the nearer 0 it is, the larger the total shortfall; "
        "absolute rank correlation 0.42)"
    )
    assert drivers_text(fake, "min_days_of_cover.eu") == (
        "most associated with elasticity (the nearer 0 it is, the shorter the lowest cover; absolute rank correlation "
        "0.46) and gain (the higher it is, the shorter the lowest cover; absolute rank correlation 0.38)"
    )
    assert drivers_text(fake, "shortfall_t.eu") == (
        "most associated with choice (the further down its list of values, the larger the shortfall; "
        "absolute rank correlation 0.30)"
    )
    assert drivers_text(fake, "fairness_jain") == ""


def test_the_table_defines_jains_index_and_gives_days_of_cover_to_a_tenth(page):
    from simulator.names import jain_definition
    from simulator.report.uncertainty import _figure_number

    # shortfall shares: each member's shortfall over its demand; equal shares give 1, one of n short 1/n
    assert jain_definition(2).endswith(
        "1 = each short the same share of its demand; 0.5 = one of two members bears it all"
    )
    assert jain_definition(4).endswith("0.25 = one of four members bears it all")
    assert [_figure_number(x, "days") for x in (0.06277, 53.0415, 142.52)] == ["0.1", "53.0", "142.5"]
    html = page
    assert "on the fast path" not in html
    # cover is 0 days in every sample (no stock, halted): 0.0, as the report's other sections give days
    row = re.search(r"Lowest days of cover, Japan \(days\)</td>(.*?)</tr>", html, re.S)[1]
    assert "<td>0.0</td><td>0.0</td><td>0.0 to 0.0</td>" in row, row


def test_the_inputs_table_says_where_bracketed_source_codes_are_looked_up():
    from simulator.report.uncertainty import source_codes_note

    coded = build(SHORT, uncertain=[{**SHORT["uncertain"][0], "source": "assumption [A5]; ~90% in 2012 [J9, J13]"}])
    html = words_page(simulate(validate_data(coded, "s.yaml")))
    note = '<p class="note">Bracketed codes ([A5], [J9] ...) are rows of the source tables in docs/calibration.md.</p>'
    box = '<div class="scroll" role="region" aria-label="Uncertain inputs" tabindex="0">'
    assert note + box + '<table class="uncertain-inputs">' in html  # the line just above the table
    # no code, no line
    assert source_codes_note(["test", "fitted 1.7 (docs/model-vs-record.md)"]) == ""
    assert "Bracketed codes" not in words_page(simulate(validate_data(SHORT, "s.yaml")))


def test_jains_index_of_one_bearing_it_all_is_said_once_in_words_for_any_member_count():
    """The fairness row's title defines Jain's index (1/n: one of n members bears it all); the cells don't repeat it.

    With two members and one short the as-written run and the median are both 0.5 (x^2 / (2 x^2)): the title says
    what 0.5 means, so a note under each cell would say it three times.
    """
    import html as html_text

    from simulator.names import jain_definition

    assert [jain_definition(n).split("; ", 1)[1] for n in (2, 3, 5, 12)] == [
        "0.5 = one of two members bears it all",
        "0.333 = one of three members bears it all",
        "0.2 = one of five members bears it all",
        "0.0833 = one of 12 members bears it all",
    ]
    # China halts Japan's supply all along; the EU, with 5,000 t or more, is never short: Japan bears it all
    world = japan_halted()
    found = run_uncertainty(plan_study(world, "s.yaml", fixed=()), 20)
    page = words_page(simulate(validate_data(world, "s.yaml")), uncertainty=found)
    row = re.search(r"<tr><td class=\"text\">Fairness.*?</tr>", page).group(0)
    cells = [html_text.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    assert "0.5 = one of two members bears it all" in " ".join(cells[0])
    assert [" ".join(c) for c in cells[1:3]] == ["0.5", "0.5"]  # the number alone
    assert row.count("bears it all") == 1


def test_a_bound_above_one_is_not_printed_and_the_page_says_from_how_many_samples_one_could_be_named(found):
    from simulator.report.uncertainty import _named_when, no_driver_detail

    # 2 inputs: chance alone reaches z / sqrt(n - 1) with z = 2.2414, so over 5 samples 2.2414 / 2 = 1.12, which no
    # rank correlation reaches; from n - 1 >= 2.2414^2 = 5.02, i.e. 7 samples, one could be named
    few = dataclasses.replace(found, runs=5)
    japan = few.headlines[few.headlines["metric"] == "shortfall_t.japan"]
    (row,) = japan.assign(samples=5).itertuples()
    assert no_driver_detail(row, few) == "none can be named from 5 samples of 2 inputs: one could be from 7"
    assert _named_when(few).endswith(
        "over 5 samples of 2 inputs that is above 1, which no rank correlation reaches, "
        "so none is named (one could be from 7 samples)"
    )
    assert "1.12" not in _named_when(few)
    assert _named_when(found) == "named when it clears 0.20 (what chance alone could reach over these samples)"
