"""The first box's *How robust* part: shortfalls in days of each sample's own demand, and the samples' fit to a record.

simulator/report/uncertainty.py. Two defects an audit of ``make run``'s report found, each on a case small
enough to count by hand:

- the robustness table gave a sample's shortfall in days of the demand of the run as written (after its
  price response), not of that sample's own: the EU's 9,926 t of light rare earths read "608 days of its
  demand" in a run of 731 days, where that sample's own 37.5 t/day make it 265;
- the robustness sentence counted samples drawn across each input's range as if each fitted the record
  equally well, without saying so: one sentence now says that they are not weighted by any fit and, with a
  record, in how many of them each material's peak world price comes within a factor 1.5 of the record's
  highest.
"""

from __future__ import annotations

import re
from types import SimpleNamespace

import pandas as pd
import pytest

from simulator.report.record import load_record
from simulator.report.uncertainty import samples_short_line
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import run_uncertainty
from tests.helpers import TWO_MEMBERS, add_material, build, run

NBSP = "\u00a0"


def _cells(html: str) -> dict[str, dict[str, str]]:
    """The robustness table's largest-shortfall cells by member and column, as text (a line under another: " / ")."""
    out = {}
    for name, rest in re.findall(r'<tr><th scope="row">(.*?)</th>(.*?)</tr>', html):
        out[name] = {
            label: re.sub(r"<br>(<small>)?", " / ", cell).replace("</small>", "").replace(NBSP, " ")
            for label, cell in re.findall(r'data-label="((?:Largest|Same material)[^"]*)">(.*?)</td>', rest)
        }
    return out


def test_a_samples_shortfall_is_in_days_of_its_own_demand_not_of_the_demand_as_written():
    # TWO_MEMBERS: both members halted all run (from day -100, nothing in transit), no commercial stock, 60 days.
    # The EU's demand is 80 t/day as written; its samples draw 40 or 160 t/day (a discrete set: of 4 Latin
    # hypercube samples, 2 each). Without the joint stock a sample is short of all its demand: 60 days of its own,
    # 60 x 160 = 9,600 t at 160 t/day, which in days of the 80 t/day as written read 120 days in a run of 60.
    data = build(
        TWO_MEMBERS,
        uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "values": [40, 160], "source": "test"}],
    )
    found = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 4)
    drawn = found.samples["regions.eu.demand.ree.tonnes_per_day"]
    assert sorted(drawn) == [40, 40, 160, 160]
    released = found.samples["released_t.eu.ree"]
    short = found.samples["shortfall_t.eu.ree"]
    assert (short == 60 * drawn - released).all()  # short of its demand less what the joint stock gave it
    assert (found.without["shortfall_t.eu.ree"] == 60 * drawn).all()  # all of it without the stock
    # with the stock the most days short is a 160 t/day sample: (9,600 - its release) / 160 (not / 80)
    big = int(drawn.idxmax())
    with_stock = 60 * 160 - float(released[big])
    assert ((short / drawn).max(), float(short[big])) == (with_stock / 160, with_stock)
    line = samples_short_line(run(data), found)
    assert line is not None
    cells = _cells(line.table)
    assert cells["EU"] == {
        "Largest with the stock, in days of demand": f"{with_stock / 160:,.0f} days of its demand / "
        f"{with_stock:,.0f} t of rare earths",
        "Largest without it (any sample)": "60 days of its demand / 9,600 t of rare earths",
    }
    assert cells["EU"]["Largest with the stock, in days of demand"] != (
        f"{with_stock / 80:,.0f} days of its demand / {with_stock:,.0f} t of rare earths"
    )  # 9,560 / 80 = 120 days: the demand as written
    # Japan's demand is not sampled: its own is the 20 t/day as written, 60 days short without the stock
    assert cells["Japan"]["Largest without it (any sample)"] == "60 days of its demand / 1,200 t of rare earths"
    # the caption says what the days are of, and the samples table holds each sample's own demand
    assert (
        "Largest: each column\u2019s own worst sample (often not the same one), in days of that sample\u2019s own "
        "mean daily demand of the material before the price response</small></caption>" in line.table
    )
    assert (found.samples["baseline_demand_t_per_day.eu.ree"] == drawn).all()
    assert (found.samples["baseline_demand_t_per_day.japan.ree"] == 20.0).all()


def test_the_robustness_sentence_says_how_many_samples_come_near_the_records_prices(tmp_path):
    # two materials, each with a world price in the record: rare earths 100 (a day) and 200 (a month's mean),
    # so its highest is 200 and within a factor 1.5 is 133.3-300; magnets 30 (a month's mean): 20-45.
    # Six samples' peak world prices, by hand (the ends count as within):
    #   rare earths 100, 140, 300, 301, 250,  50 -> samples 1, 2, 4: 3, across 50-301 (shown 50-300)
    #   magnets      20,  44,  46,  30,  10,  45 -> samples 0, 1, 3, 5: 4, across 10-46
    #   both: sample 1 only
    # Both have a market: a price the model simulates.
    data = add_material(
        build(TWO_MEMBERS, start_date="2026-01-01"), "mag", {"price_usd_per_kg": 30, "label": "NdFeB magnets"}
    )
    data["market"] = {"ree": {}, "mag": {}}
    result = run(data)
    record_file = tmp_path / "record.csv"
    record_file.write_text(
        "date,quantity,region,material,supplier,period,value,unit,weight\n"
        "2026-01-05,price,world,ree,,day,100,USD/kg,1\n"
        "2026-01-01,price,world,ree,,month,200,USD/kg,1\n"
        "2026-01-01,price,world,mag,,month,30,USD/kg,1\n"
        "2026-01-01,price,japan,ree,,month,900,USD/kg,1\n",  # what Japan paid: not the world price
        encoding="utf-8",
    )
    record = load_record(record_file, result.scenario)
    zero = [0.0] * 6
    samples = pd.DataFrame(
        {
            **{f"shortfall_t.{r}{m}": zero for r in ("japan", "eu") for m in ("", ".ree", ".mag")},
            "peak_world_price_usd_per_kg.ree": [100.0, 140, 300, 301, 250, 50],
            "peak_world_price_usd_per_kg.mag": [20.0, 44, 46, 30, 10, 45],
        }
    )
    study = SimpleNamespace(inputs=[None], paths=["regions.eu.x"])
    found = SimpleNamespace(study=study, runs=6, samples=samples, without=samples, without_why="")

    def robust(record):
        html = samples_short_line(result, found, record).html("not_needed")
        return re.sub(r"<[^>]+>", "", html.split("</p>", 1)[0]).replace(NBSP, " ")

    # near both: sample 1 alone (rare earths 140 within 133-300, magnets 44 within 20-45), not needed there too
    assert robust(record) == (
        "How robust: the answer \u2018not needed\u2019 holds in all 6 of the 6 runs with its 1 uncertain "
        "input varied, and in the one sample near both recorded peaks. The runs are not weighted by fit to the "
        "record: 3 for rare earths (50\u2013300 USD/kg; record 200) and 4 for NdFeB magnets (10\u201346 USD/kg; "
        "record 30) peak within a factor 1.5 of it."
    )
    # without a record: that they are not weighted by any fit, and nothing more
    assert robust(None).endswith(
        " with its 1 uncertain input varied. The samples are not weighted by any fit to a record."
    )


@pytest.mark.parametrize("peaks", [False, True])
def test_a_record_without_world_prices_or_samples_without_peaks_is_named_without_counts(tmp_path, peaks):
    data = build(TWO_MEMBERS, start_date="2026-01-01")
    result = run(data)
    record_file = tmp_path / "record.csv"
    record_file.write_text(
        "date,quantity,region,material,supplier,period,value,unit,weight\n"
        + ("2026-01-01,price,world,ree,,month,200,USD/kg,1\n" if peaks else "")
        + "2026-01-01,price,japan,ree,,month,900,USD/kg,1\n",
        encoding="utf-8",
    )
    zero = [0.0] * 2
    samples = pd.DataFrame({f"shortfall_t.{r}{m}": zero for r in ("japan", "eu") for m in ("", ".ree")})
    study = SimpleNamespace(inputs=[None], paths=["regions.eu.x"])
    found = SimpleNamespace(study=study, runs=2, samples=samples, without=samples, without_why="")
    line = samples_short_line(result, found, load_record(record_file, result.scenario))
    # a world price in the record but no peaks in the samples, or only what Japan paid: no count to give
    assert line.fit == "The samples are not weighted by fit to the record."


def _fit(data: dict, tmp_path, peaks: dict[str, list[float]], rows: str) -> str:
    """The fit sentence of hand-made samples' ``peaks`` against a record of ``rows``, the scenario ``data``'s."""
    result = run(data)
    record_file = tmp_path / "record.csv"
    record_file.write_text("date,quantity,region,material,supplier,period,value,unit,weight\n" + rows, encoding="utf-8")
    zero = [0.0] * len(next(iter(peaks.values())))
    samples = pd.DataFrame(
        {
            **{f"shortfall_t.{r}{m}": zero for r in ("japan", "eu") for m in ("", ".ree", ".mag")},
            **{f"peak_world_price_usd_per_kg.{m}": p for m, p in peaks.items()},
        }
    )
    study = SimpleNamespace(inputs=[None], paths=["regions.eu.x"])
    found = SimpleNamespace(study=study, runs=len(zero), samples=samples, without=samples, without_why="")
    return samples_short_line(result, found, load_record(record_file, result.scenario)).fit.replace(NBSP, " ")


def test_a_material_whose_price_is_fixed_is_not_counted_as_near_the_record(tmp_path):
    # rare earths have a market, magnets none: every sample's "peak" magnet price is the fixed 30 USD/kg, which
    # is within a factor 1.5 of the record's 40 (26.7-60) in all four samples and would make "both" the count of
    # rare earths alone. Rare earths against the record's 200 (133.3-300): 100, 150, 290, 310 -> samples 1, 2: 2.
    data = add_material(
        build(TWO_MEMBERS, start_date="2026-01-01"), "mag", {"price_usd_per_kg": 30, "label": "NdFeB magnets"}
    )
    data["market"] = {"ree": {}}
    rows = "2026-01-01,price,world,ree,,month,200,USD/kg,1\n2026-01-01,price,world,mag,,month,40,USD/kg,1\n"
    peaks = {"ree": [100.0, 150, 290, 310], "mag": [30.0] * 4}
    assert _fit(data, tmp_path, peaks, rows) == (
        "The runs are not weighted by fit to the record: 2 for rare earths (100\u2013310 USD/kg; record 200) peak "
        "within a factor 1.5 of it; the price of NdFeB magnets is fixed in this scenario."
    )
    # no market at all (club_of_five): nothing to count, and the sentence says no more than that
    del data["market"]
    assert _fit(data, tmp_path, peaks, rows) == "The samples are not weighted by fit to the record."


def test_the_samples_price_ranges_are_rounded_to_two_figures_half_up_as_the_report_rounds(tmp_path):
    # words.two_figures: 0.0996 -> 0.10, 9.96 -> 10, 9.95 -> 10 (half up; the float 9.95 is 9.9499...)
    # rare earths against the record's 10 (6.67-15): 0.0996, 9.96 -> sample 1: 1
    # magnets against the record's 20 (13.3-30): 9.95, 30 -> sample 1 (the end counts): 1; both: sample 1
    data = add_material(
        build(TWO_MEMBERS, start_date="2026-01-01"), "mag", {"price_usd_per_kg": 20, "label": "NdFeB magnets"}
    )
    data["market"] = {"ree": {}, "mag": {}}
    rows = "2026-01-01,price,world,ree,,month,10,USD/kg,1\n2026-01-01,price,world,mag,,month,20,USD/kg,1\n"
    peaks = {"ree": [0.0996, 9.96], "mag": [9.95, 30.0]}
    # the count for both (sample 1) is the robustness sentence's: the members are paired
    assert _fit(data, tmp_path, peaks, rows) == (
        "The runs are not weighted by fit to the record: 1 for rare earths (0.10\u201310 USD/kg; record 10) and 1 "
        "for NdFeB magnets (10\u201330 USD/kg; record 20) peak within a factor 1.5 of it."
    )


def test_a_samples_own_demand_is_its_growing_baseline_averaged_over_the_run_not_its_warm_up():
    # TWO_MEMBERS with demand doubling each year (growth_per_year 1): day t's baseline is d0 x 2^(t/365). The plan's
    # days start at -5 (the 5-day lead time: a warm-up), the run's at 0. Over the run's 60 days, a geometric series:
    #   mean = d0 x (2^(60/365) - 1) / (60 x (2^(1/365) - 1)) = d0 x 0.12069 / 0.11405 = d0 x 1.05819
    # (with the warm-up's 5 days in, days -5 to 59, it would be d0 x 1.05328: 168.5 t/day for 160, not 169.3)
    data = build(
        TWO_MEMBERS,
        uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "values": [40, 160], "source": "test"}],
        regions__eu__demand__ree__growth_per_year=1.0,
        regions__japan__demand__ree__growth_per_year=1.0,
    )
    found = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 4)
    drawn = found.samples["regions.eu.demand.ree.tonnes_per_day"]
    assert sorted(drawn) == [40, 40, 160, 160]
    factor = 1.0581924586094213  # the series above, to double precision
    assert found.samples["baseline_demand_t_per_day.eu.ree"].to_numpy() == pytest.approx(
        drawn.to_numpy() * factor, rel=1e-12
    )
    assert found.samples["baseline_demand_t_per_day.japan.ree"].to_numpy() == pytest.approx(
        [20 * factor] * 4, rel=1e-12
    )
    # 160 x factor = 169.3 t/day: the horizon's mean, against 168.5 with the warm-up's five days counted
