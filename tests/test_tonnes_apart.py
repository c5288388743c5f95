"""Tonnes of unlike materials are not added into one figure by `stockpile run` and `stockpile compare` either.

The report gives its answer material by material where tonnes count different things (oxide
and magnet) or lie far apart in price (simulator/scenario/tonnes.py, the report's rule too). The
console's last line of a run, the printed comparison and compare.png gave one total: for
long_embargo_12m, 24,650.8 t, of which 13,696.3 t of NdFeB magnets and the rest oxide. Here
each gives the members' shortfall of each material instead; the figures add up to the old
total (the invariant), and where tonnes may be added nothing changes.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from simulator.compare import BY_MATERIAL, NOT_ADDED, compare
from simulator.console import against_text, compare_text, summary_text
from simulator.scenario import load_raw, validate_data
from simulator.scenario.tonnes import PRICES_APART, prices_apart, tonnes_apart, why_apart
from tests.helpers import (
    TWO_MEMBERS,
    build,
    shipped_alone,
    shipped_comparison,
    shipped_group,
    shipped_report,
    shipped_result,
)

SCENARIOS = Path(__file__).resolve().parents[1] / "scenarios"


def _raw(name: str) -> dict:
    return load_raw(str(SCENARIOS / f"{name}.yaml"), [])


@cache
def _scenario(name: str):
    return validate_data(_raw(name), name)


def _run(name: str):
    """The run of the shipped scenario ``name`` as `stockpile run` makes it: simulate(scenario), the same tables as
    :func:`shipped_result`, which is made once per test process (the tests of a scenario share its xdist_group)."""
    return shipped_result(name)


def test_the_rule_is_a_function_of_the_scenario():
    s = _scenario("long_embargo_12m")  # light_ree and heavy_ree in oxide (12 and 330 USD/kg), magnets 50 USD/kg
    assert PRICES_APART == 2.0
    assert prices_apart(s, ["light_ree", "heavy_ree", "ndfeb_magnets"]) == {
        "light_ree": 12.0,
        "heavy_ree": 330.0,
        "ndfeb_magnets": 50.0,
    }
    assert prices_apart(s, ["light_ree"]) == {}  # one material: nothing to be apart from
    assert tonnes_apart(s, ["light_ree", "ndfeb_magnets"])  # oxide and magnet
    assert not tonnes_apart(s, ["light_ree"])
    assert why_apart(s, ["light_ree", "heavy_ree", "ndfeb_magnets"]) == "tonnes of magnet and tonnes of oxide"
    assert why_apart(s, ["light_ree", "heavy_ree"]) == "tonnes of materials priced far apart"  # 330 > 2 x 12
    assert why_apart(s, ["heavy_ree"]) == ""


@shipped_group("long_embargo_12m")
def test_the_report_answers_by_material_where_the_rule_keeps_tonnes_apart():
    """long_embargo_12m: light and heavy rare earths in oxide, NdFeB magnets in magnet: the report's answer
    gives each material's shortfall, with the agreement and with the stocks held today (Japan's national stock
    held alone: agreement.pool.already_held), and says why it gives no total."""
    import html
    import re

    result, alone = shipped_result("long_embargo_12m"), shipped_alone("long_embargo_12m")
    assert alone is not None
    ours = {m: result.metrics[f"total_shortfall_t.all.{m}"] for m in ("light_ree", "heavy_ree", "ndfeb_magnets")}
    theirs = {m: alone.metrics[f"total_shortfall_t.all.{m}"] for m in ("light_ree", "heavy_ree", "ndfeb_magnets")}
    # the run's figures, rounded as the report rounds tonnes (whole tonnes from 100 t)
    assert [round(ours[m], 1) for m in ours] == [10_706.8, 247.7, 13_696.3]
    # held alone, Japan's stock meets only its own gaps: the same totals, shared otherwise (test_status_quo_s53.py)
    assert [round(theirs[m], 1) for m in theirs] == [10_706.8, 247.7, 13_696.3]
    page = html.unescape(re.sub(r"<[^>]+>", " ", shipped_report("long_embargo_12m"))).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", page)
    answer = text[text.index("Would a joint stock help?") : text.index("Member Short with the stock")]
    assert (
        "no, by material: the joint stock leaves the shortfall of light rare earths at 10,707 t of oxide, leaves "
        "that of heavy rare earths at 248 t of oxide and leaves that of NdFeB magnets at 13,696 t of magnet. It "
        "moves 723 t of the shortfall of light rare earths from the EU to Japan." in answer
    )
    assert "The answer is given by material: a total would add tonnes of magnet and tonnes of oxide." in answer
    total = result.metrics["total_shortfall_t"]  # 24,650.8 t: the sum the answer does not give
    assert f"{round(total):,} t" not in answer


@shipped_group("long_embargo_6m")
def test_the_reports_region_findings_give_unlike_tonnes_by_material_too():
    """long_embargo_6m: "What happens to each region" said "the members are short of 7,111 t in all" (1,184 t of
    light REE oxide and 5,927 t of magnets) and "the EU ... is short of 6,602 t in all"; each is by material now,
    the region's figures from its own rows. Japan, short of light rare earths alone (its heavy shortfall rounds to
    0 t), keeps one figure."""
    import html
    import re

    result = shipped_result("long_embargo_6m")
    eu = {m: result.metrics[f"shortfall_t.eu.{m}"] for m in ("light_ree", "heavy_ree", "ndfeb_magnets")}
    assert [round(t, 1) for t in eu.values()] == [675.3, 0.0, 5_927.0]
    japan = {m: result.metrics[f"shortfall_t.japan.{m}"] for m in ("light_ree", "heavy_ree")}
    assert round(japan["light_ree"], 1) == 509.0 and japan["heavy_ree"] < 0.5  # one material short: one figure
    page = html.unescape(re.sub(r"<[^>]+>", " ", shipped_report("long_embargo_6m"))).replace("\u00a0", " ")
    text = re.sub(r"\s+", " ", page)
    assert (
        "the members are short of 1,184 t of light rare earths and 5,927 t of NdFeB magnets (not added: tonnes of "
        "magnet and tonnes of oxide)" in text
    )  # 509.0 + 675.3 = 1,184.3 t of light rare earths
    # a share of all its demand would add those tonnes too: none is given (each material's line gives its own)
    assert (
        "is short of 675 t of light rare earths and 5,927 t of NdFeB magnets (not added: tonnes of magnet and tonnes "
        "of oxide) over the " in text
    )
    assert "is short of 509 t in all" in text
    regions = text[text.index("What happens to each region") :]
    regions = regions[: regions.index("Against the record") if "Against the record" in regions else None]
    assert "7,111 t in all" not in regions and "6,602 t in all" not in regions


@shipped_group("long_embargo_12m")
def test_run_gives_the_members_shortfall_by_material_not_a_total():
    result = _run("long_embargo_12m")
    last = summary_text(result).splitlines()[-1]
    assert last == (
        "members' shortfall 10,706.8 t of light rare earths, 247.7 t of heavy rare earths and 13,696.3 t of "
        "NdFeB magnets (not added: tonnes of magnet and tonnes of oxide); fairness (Jain) by material: light rare "
        "earths 0.962 and heavy rare earths 0.978; only the EU uses NdFeB magnets"
    )
    assert "total shortfall" not in summary_text(result)
    # the invariant: the materials' figures (the summary's "all" rows) add up to the total it no longer prints
    by_material = {k: v for k, v in result.metrics.items() if k.startswith("total_shortfall_t.all.")}
    assert len(by_material) == 3
    assert sum(by_material.values()) == pytest.approx(result.metrics["total_shortfall_t"], rel=1e-12)
    assert result.metrics["total_shortfall_t"] == pytest.approx(24_650.806, abs=1e-3)


@shipped_group("quota_diversification")
def test_run_without_an_agreement_and_with_materials_priced_apart():
    # quota_diversification: no agreement, light and heavy rare earths both in oxide, priced 12 and 330 USD/kg
    last = summary_text(_run("quota_diversification")).splitlines()[-1]
    assert last.startswith(
        "shortfall 471.8 t of light rare earths and 47.2 t of heavy rare earths "
        "(not added: tonnes of materials priced far apart); "
    )


@shipped_group("new_supply_2031")
def test_run_keeps_one_total_where_tonnes_may_be_added_or_one_material_is_short():
    # new_supply_2031: heavy rare earths only; club_of_five: only heavy rare earths short under the hybrid rule
    # Japan short of 222.3 of 2,739 t (0.08117), the EU of 71.3 of 913 t (0.07808): Jain 0.99964, not 1 (equal)
    assert summary_text(_run("new_supply_2031")).splitlines()[-1] == "total shortfall 293.6 t; fairness (Jain) 0.9996"
    assert summary_text(_run("club_of_five")).splitlines()[-1].startswith("total shortfall 52.9 t; ")


@shipped_group("long_embargo_12m")
def test_run_against_a_baseline_gives_the_rows_by_material():
    # run long_embargo_12m --compare long_embargo_6m: was "shortfall of these rows 24,650.8 t against 7,111.3 t"
    result, baseline = _run("long_embargo_12m"), _run("long_embargo_6m")
    last = against_text(result, baseline).splitlines()[-1]
    assert last == (
        "shortfall of these rows by material (not added: tonnes of magnet and tonnes of oxide): light rare earths "
        "10,706.8 t against 1,184.3 t, heavy rare earths 247.7 t against 0.0 t and NdFeB magnets 13,696.3 t "
        "against 5,927.0 t in the baseline"
    )
    # the invariant: 10,706.796 + 247.750 + 13,696.260 t and 1,184.314 + 0 + 5,927.016 t, each run's total
    assert baseline.metrics["total_shortfall_t"] == pytest.approx(7_111.33, abs=1e-3)
    assert sum(v for k, v in baseline.metrics.items() if k.startswith("total_shortfall_t.all.")) == pytest.approx(
        baseline.metrics["total_shortfall_t"], rel=1e-12
    )


@cache
def _comparison(name: str, horizon_days: int | None = None):
    """compare NAME --mechanisms hybrid,iea_ess (shipped_comparison's, shared with test_label_fits), or over its
    first ``horizon_days``."""
    if horizon_days is None:
        return shipped_comparison(name)
    return compare(build(_raw(name), horizon_days=horizon_days), ["hybrid", "iea_ess"], name)


ONE_MATERIAL = ("new_supply_2031", 365)
"""new_supply_2031 (heavy rare earths alone) over its first year: one material, the hybrid and iea_ess rows short
of 0 t and 28.7 t and the world without the agreement of 42.2 t (its five years cost four times the runs' time)."""


@shipped_group("long_embargo_6m")
def test_compare_prints_each_material_in_place_of_the_total():
    table = _comparison("long_embargo_6m").table()
    by_material = table.attrs[BY_MATERIAL]
    assert list(by_material) == ["light_ree", "heavy_ree", "ndfeb_magnets"]
    assert table.attrs[NOT_ADDED] == "tonnes of magnet and tonnes of oxide"
    # row by row (no agreement, own shares alone, hybrid, iea_ess), what the materials would add up to
    added = [sum(values[k] for values in by_material.values()) for k in range(len(table))]
    assert [round(t, 3) for t in added] == [10_066.23, 7_395.198, 7_111.33, 7_139.13]
    assert table["total_shortfall_t"].isna().all()  # which compare.csv does not add either
    text = compare_text(table)
    header, *rows = text.splitlines()
    assert "total_shortfall_t" not in header.split()
    assert header.split()[:4] == [  # compare.csv's columns of each material
        "mechanism",
        "total_shortfall_t.all.light_ree",
        "total_shortfall_t.all.heavy_ree",
        "total_shortfall_t.all.ndfeb_magnets",
    ]
    hybrid = next(row for row in rows if row.split()[0] == "hybrid").split()
    iea = next(row for row in rows if row.split()[0] == "iea_ess").split()
    # to 0.1 t, as stockpile run's summary gives tonnes (s65; three decimals before)
    assert hybrid[1:4] == ["1,184.3", "0.0", "5,927.0"]  # 7,111.330 t in all
    assert iea[1:4] == ["1,184.3", "27.8", "5,927.0"]  # 7,139.130 t in all (53 t of heavy before levelling)
    assert (
        "total_shortfall_t.all.MATERIAL: the members' shortfall of each, not added (tonnes of magnet and tonnes of "
        "oxide)" in rows
    )
    header, first = table.to_csv(index=False).splitlines()[:2]
    assert header.split(",")[1] == "total_shortfall_t" and first.split(",")[1] == ""  # kept, empty


def test_compare_keeps_the_total_where_tonnes_may_be_added():
    table = _comparison(*ONE_MATERIAL).table()  # one material
    assert BY_MATERIAL not in table.attrs
    header = compare_text(table).splitlines()[0]
    assert header.split()[:2] == ["mechanism", "total_shortfall_t"]


def _bar_panels(figure):
    return {ax.get_xlabel(): [bar.get_width() for bar in ax.patches] for ax in figure.axes if ax.get_xlabel()}


@shipped_group("long_embargo_6m")
def test_compare_figure_has_one_bar_panel_per_material_and_no_total():
    from simulator.plots import compare_figure

    comparison = _comparison("long_embargo_6m")
    figure = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    assert "total shortfall of members (t)" not in _bar_panels(figure)
    # the bar panels of the materials, from the left
    axes = sorted(
        (ax for ax in figure.axes if "shortfall, t" in ax.get_xlabel()),
        key=lambda ax: ax.get_position().x0,
    )
    assert [ax.get_title() for ax in axes] == ["Light rare earths", "Heavy rare earths", "NdFeB magnets"]
    # beside two fairness panels (light and heavy rare earths, session 61) too narrow for "members' shortfall, ..."
    assert [ax.get_xlabel() for ax in axes] == [
        "shortfall, t of oxide",
        "shortfall, t of oxide",
        "shortfall, t of magnet",
    ]
    widths = [[bar.get_width() for bar in ax.patches] for ax in axes]
    table = comparison.table()
    assert widths == [list(values) for values in table.attrs[BY_MATERIAL].values()]
    # the bars of a row add up to the members' shortfall of every material, which no bar shows
    for k, total in enumerate([10_066.23, 7_395.198, 7_111.33, 7_139.13]):
        assert sum(w[k] for w in widths) == pytest.approx(total, abs=1e-3)


def test_compare_figure_keeps_its_total_where_tonnes_may_be_added():
    from simulator.plots import compare_figure

    comparison = _comparison(*ONE_MATERIAL)
    figure = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    totals = _bar_panels(figure)["total shortfall of members (t)"]
    assert totals == pytest.approx(list(comparison.table()["total_shortfall_t"]))


def test_a_run_results_repr_gives_the_shortfall_as_run_does():
    """RunResult's repr printed ``total shortfall 24,650.8 t`` for long_embargo_12m, adding oxide and magnet."""
    import simulator.api as api

    apart = repr(api.run(SCENARIOS / "long_embargo_12m.yaml", plots=False))
    assert apart == (
        "<RunResult 'long_embargo_12m' seed=0: 730 days, 2 region(s) x 3 material(s), members' shortfall "
        "10,706.8 t of light rare earths, 247.7 t of heavy rare earths and 13,696.3 t of NdFeB magnets (not added: "
        "tonnes of magnet and tonnes of oxide)>"
    )  # the figures of test_run_gives_the_members_shortfall_by_material_not_a_total, 24,650.8 t in all
    assert "total shortfall" not in apart
    one = api.run(TWO_MEMBERS, plots=False)  # one material, 5,940 t short: its tonnes are one total
    assert one.metrics["total_shortfall_t"] > 0
    assert repr(one).endswith(f"material(s), total shortfall {one.metrics['total_shortfall_t']:,.1f} t>")
    assert (
        summary_text(one.result)
        .splitlines()[-1]
        .startswith(f"total shortfall {one.metrics['total_shortfall_t']:,.1f} t; ")
    )


def test_a_sweep_says_where_its_shortfall_totals_add_unlike_tonnes(tmp_path):
    """long_embargo_6m over the embargo's end (day 151: only the EU's NdFeB magnets short; day 331: light rare
    earths too): total_shortfall_t adds tonnes of magnet and of oxide, and the sweep's notes say so and name the
    per-material columns; sweep.json records what the totals add. embargo_2010 (light and heavy rare earths, priced
    far apart) records it too, but with fewer than two materials short in its table it notes nothing."""
    import json

    from tests.helpers import ROOT, invoke

    note = (
        "note: total_shortfall_t and shortfall_t.<member> (and the figures' panels of them) add tonnes of magnet and "
        "tonnes of oxide: shortfall_t.<member>.<material> gives each material"
    )
    out = tmp_path / "six"
    args = ("--grid", "shocks.china_embargo.end=151,331", "--workers", 1, "-o", out)
    result = invoke("sweep", ROOT / "scenarios" / "long_embargo_6m.yaml", *args)
    assert result.exit_code == 0, result.output
    assert note in result.output
    assert json.loads((out / "sweep.json").read_text())["shortfall_adds"] == "tonnes of magnet and tonnes of oxide"
    out = tmp_path / "replay"
    args = ("--grid", "agreement.ratio.japan=0.3,0.6", "--workers", 1, "--no-plots", "-o", out)
    result = invoke("sweep", ROOT / "scenarios" / "embargo_2010.yaml", *args)
    assert result.exit_code == 0, result.output
    assert "add tonnes" not in result.output
    assert json.loads((out / "sweep.json").read_text())["shortfall_adds"] == "tonnes of materials priced far apart"
