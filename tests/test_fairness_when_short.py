"""Fairness over the runs in which a member is short: one test of "short" for a table, used everywhere.

Jain's index is 1 by convention in a run where no member is short (no burden to share);
summarised with the runs that have one, those 1s make a study look fairer. Worked by hand:
five runs, members a and b, shares (a, b) = (1, 0), (0, 0), (0.5, 0.5), (0, 0), (nan, 0.2),
Jain's index 0.5, 1, 1, 1, 1. The runs short are 0, 2 and 4 (a NaN share, a skipped rule's
empty cell, is no shortfall; b's 0.2 is).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.metrics import anyone_short, fairness_when_short, runs_short
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import counted_text, headline_lines, run_uncertainty
from simulator.sweep.figures import FAIRNESS_OVER_ALL, FAIRNESS_WHEN_SHORT, heatmap_figure, metrics_figure
from tests.helpers import TWO_MEMBERS, add_material, build, words_page

FIVE = pd.DataFrame(
    {
        "fairness_jain": [0.5, 1.0, 1.0, 1.0, 1.0],
        "shortfall_share.a": [1.0, 0.0, 0.5, 0.0, np.nan],
        "shortfall_share.b": [0.0, 0.0, 0.5, 0.0, 0.2],
        "total_shortfall_t": [10.0, 0.0, 4.0, 0.0, 1.0],
        "x": [1, 1, 2, 2, 2],
        "y": [1, 2, 1, 2, 2],
    }
)


def test_the_table_test_of_short_is_the_one_run_test_row_by_row():
    short = runs_short(FIVE, ["a", "b"])
    assert short.tolist() == [True, False, True, False, True]
    assert short.tolist() == [anyone_short(row, ["a", "b"]) for _, row in FIVE.iterrows()]
    shown, applied = fairness_when_short(FIVE, ["a", "b"])
    assert applied
    # the mean of the runs short is (0.5 + 1 + 1) / 3 = 0.833, not (0.5 + 4) / 5 = 0.9 with the 1s by convention
    assert shown["fairness_jain"].mean() == pytest.approx(2.5 / 3)


def test_a_table_that_cannot_tell_comes_back_as_it_is_and_says_so():
    assert runs_short(FIVE, None) is None
    assert runs_short(FIVE, ["a", "c"]) is None  # no shortfall_share.c: a table made by hand
    for members in (None, ["a", "c"]):
        shown, applied = fairness_when_short(FIVE, members)
        assert not applied and shown["fairness_jain"].tolist() == FIVE["fairness_jain"].tolist()


def _fairness_title(fig) -> str:
    return next(ax.get_title() for ax in fig.axes if ax.get_title().startswith("Fairness"))


def test_the_sweep_figures_say_over_which_runs_they_summarise_fairness():
    table = FIVE.assign(point=[0, 1, 2, 3, 3], run=[0, 0, 0, 0, 1])
    assert _fairness_title(metrics_figure(table, "x", ["a", "b"])).endswith(FAIRNESS_WHEN_SHORT)
    assert _fairness_title(heatmap_figure(table, "x", "y", ["a", "b"])).endswith(FAIRNESS_WHEN_SHORT)
    # no members, or no share columns: every run, the title says so (it said "with a member short")
    assert _fairness_title(metrics_figure(table, "x", None)).endswith(FAIRNESS_OVER_ALL)
    no_shares = table.drop(columns=["shortfall_share.a"])
    assert _fairness_title(heatmap_figure(no_shares, "x", "y", ["a", "b"])).endswith(FAIRNESS_OVER_ALL)


# Japan's commercial stock is either none or 5,000 t: with none Japan is short all run (embargo from before day 0,
# 20 t/day over 60 days against a 60 t pool) and the EU is not (5,000 t of its own against 80 x 60 = 4,800 t), so
# Jain's index of the shares (share, 0) is 0.5; with 5,000 t no one is short, and the index is 1 by convention.
HALF = build(
    TWO_MEMBERS,
    regions__eu__commercial_stock__ree__tonnes=5000,
    uncertain=[{"path": "regions.japan.commercial_stock.ree.tonnes", "values": [0, 5000], "source": "test"}],
)


@pytest.fixture(scope="module")
def half():
    return run_uncertainty(plan_study(HALF, "s.yaml", fixed=()), 20)


def test_the_interval_on_fairness_is_over_the_samples_with_a_member_short(half):
    stock = half.samples["regions.japan.commercial_stock.ree.tonnes"]
    short = int((stock == 0).sum())
    assert 0 < short < 20  # both values drawn
    assert (half.samples["shortfall_t.japan"] > 0).sum() == short and (half.samples["shortfall_t.eu"] == 0).all()
    row = half.headlines.set_index("metric").loc["fairness_jain"]
    # over all 20 samples the median would lie between 0.5 and 1; over those short it is 0.5 in each
    assert (row["median"], row["p5"], row["p95"], row["samples"]) == (0.5, 0.5, 0.5, short)
    assert counted_text(half, "fairness_jain") == f"over the {short} samples with a member short"
    assert (
        f"Fairness (Jain's index): 0.5 in every sample over the {short} samples with a member short"
        " (1 = each short the same share of its demand; 0.5 = one of two members bears it all)"
    ) in headline_lines(half)


def test_with_no_sample_short_fairness_says_so():
    nobody = build(HALF, regions__japan__commercial_stock__ree__tonnes=5000)
    nobody["uncertain"] = [{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 20, "source": "t"}]
    found = run_uncertainty(plan_study(nobody, "s.yaml", fixed=()), 5)
    assert found.headlines.set_index("metric").loc["fairness_jain", "samples"] == 0
    assert "Fairness (Jain's index): no sample with a member short, so no burden to share" in headline_lines(found)


def test_each_sample_is_run_again_without_the_agreement_with_its_other_inputs():
    # Japan's demand (not the agreement's) and its pool share (the agreement's) both sampled. Without the
    # agreement Japan, with no stock and no supply, is short of its whole demand: 60 days x the sample's demand;
    # the EU of 80 x 60 = 4,800 t (its 5,000 t are set back to none here)
    data = build(
        TWO_MEMBERS,
        uncertain=[
            {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "t"},
            {"path": "agreement.pool.contributions.japan.ree.tonnes", "low": 0, "high": 60, "source": "t"},
        ],
    )
    found = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 6)
    assert found.without is not None and found.without_why == ""
    demand = found.samples["regions.japan.demand.ree.tonnes_per_day"].to_numpy(float)
    np.testing.assert_allclose(found.without["shortfall_t.japan"], 60 * demand, rtol=1e-9)
    np.testing.assert_allclose(found.without["shortfall_t.eu"], 4800.0, rtol=1e-9)
    # with the stock the members are short by less: the pool (30 t of the EU's and the sample's of Japan's) is drawn
    assert (found.samples["total_shortfall_t"] < found.without["shortfall_t.japan"] + 4800).all()


RANDOM_HALT_PAIR = add_material(
    build(
        TWO_MEMBERS,
        shocks=[
            {
                "id": "halt",
                "kind": "embargo",
                "supplier": "china",
                "regions": ["japan", "eu"],
                "start": {"distribution": "uniform", "low": 30, "high": 55},
                "duration_days": 20,
            }
        ],
        uncertain=[
            {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "test"},
            {"path": "agreement.ratio.japan", "low": 0.3, "high": 0.7, "source": "test"},
        ],
    ),
    "heavy_ree",
    {"price_usd_per_kg": 300},
    tonnes_per_day=2,
)
"""The pair (no stock, a pool) with a 20-day halt starting on a random day 30-55 of its 60, cut short by the horizon
by a number of days that moves with the seed, two materials, Japan's demand and its ratio uncertain (an input
of the agreement, left out of the runs without it): as embargo_stochastic's random shocks, in a fraction of its
time."""


def test_each_row_written_without_the_agreement_is_its_sample_run_again_with_its_seed(tmp_path):
    """A scenario with random shocks: a run without the agreement differs with the seed (checked below), so
    row k of the file matches sample k's own scenario without the agreement only when it used sample k's seed."""
    from pathlib import Path

    import yaml

    from simulator.engine import simulate
    from simulator.randomness import run_seed
    from simulator.scenario import validate_data
    from simulator.scenario.overrides import apply_overrides
    from simulator.sensitivity.intervals import WITHOUT_FILE, is_agreement_input
    from tests.helpers import invoke, manifest_of

    source = str(tmp_path / "pair.yaml")
    Path(source).write_text(yaml.safe_dump(RANDOM_HALT_PAIR))
    out = tmp_path / "u"
    result = invoke("run", source, "--uncertainty", 3, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    assert WITHOUT_FILE in manifest_of(out)["files"]
    without = pd.read_parquet(out / WITHOUT_FILE)
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    assert without["sample"].tolist() == [0, 1, 2] and without["seed"].tolist() == samples["seed"].tolist()
    study = plan_study(yaml.safe_load(Path(source).read_text()), source, fixed=())
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(study.inputs), seed=np.random.default_rng(study.root_seed)).random(3)
    seeds = [run_seed(study.root_seed, k) for k in range(3)]
    differs = 0
    for k, point in enumerate(study.points(unit)):
        kept = [(path, value) for path, value in point.items() if not is_agreement_input(path)]
        scenario = validate_data(apply_overrides(study.raw, [("agreement", None), *kept]), source)
        metrics = simulate(scenario, seed=seeds[k]).metrics
        for column in ("total_shortfall_t", "shortfall_t.eu", "shortfall_t.japan", "shortfall_t.eu.heavy_ree"):
            assert without[column][k] == pytest.approx(metrics[column], rel=1e-9, abs=1e-9), (k, column)
        if not differs:  # one sample whose run moves with the seed is enough: no more runs once found
            other = simulate(scenario, seed=seeds[(k + 1) % 3]).metrics["total_shortfall_t"]
            differs = other != pytest.approx(metrics["total_shortfall_t"], rel=1e-9, abs=1e-9)
    assert differs  # the seed matters in this scenario, so the test above can tell a wrong one


def test_the_second_pass_advances_the_progress_and_says_which_pass_failed(monkeypatch):
    import simulator.sensitivity.study as study_module

    data = build(
        TWO_MEMBERS,
        uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "t"}],
    )
    study = plan_study(data, "s.yaml", fixed=())
    done = []
    found = run_uncertainty(study, 4, progress=done.append)
    assert found.without is not None and sum(done) == 8  # 4 samples with the agreement, then the same 4 without

    def broken(*args, **kwargs):
        raise RuntimeError("worker lost")

    monkeypatch.setattr(study_module, "run_points", broken)  # what evaluate runs a pass with
    from simulator.sensitivity.intervals import WITHOUT_PASS, paired_without_agreement

    with pytest.raises(RuntimeError) as caught:
        paired_without_agreement(study, [{}] * 2, [1, 2])
    assert caught.value.__notes__ == [f"while {WITHOUT_PASS}"]


def test_a_table_that_cannot_tell_who_is_short_says_fairness_is_over_all_samples(monkeypatch):
    """Before, a study whose table could not tell (runs_short None) claimed 'each with a member short'."""
    import simulator.sensitivity.intervals as intervals

    data = build(
        TWO_MEMBERS,
        uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "t"}],
    )
    assert run_uncertainty(plan_study(data, "s.yaml", fixed=()), 3).short is not None
    monkeypatch.setattr(intervals, "runs_short", lambda table, members: None)  # as a table without share columns
    blind = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 3)
    assert blind.short is None and blind.headlines.set_index("metric").loc["fairness_jain", "samples"] == 3
    assert counted_text(blind, "fairness_jain") == (
        "over all samples: the samples table does not tell which have a member short"
    )


def test_a_scenario_that_does_not_run_without_its_agreement_says_why_in_the_robust_line(monkeypatch):
    import re

    import simulator.scenario.overrides as overrides
    from simulator.engine import simulate
    from simulator.errors import InputError, Problem
    from simulator.report.uncertainty import samples_short_line
    from simulator.scenario import validate_data

    data = build(
        TWO_MEMBERS,
        uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 10, "high": 30, "source": "t"}],
    )

    def refuse(raw, assignments):
        raise InputError([Problem("regions.eu.stock", "is needed without the agreement")])

    monkeypatch.setattr(overrides, "apply_overrides", refuse)
    found = run_uncertainty(plan_study(data, "s.yaml", fixed=()), 3)
    assert found.without is None and "is needed without the agreement" in found.without_why
    line = re.sub(r"<[^>]+>", "", samples_short_line(simulate(validate_data(data, "s.yaml")), found).html())
    assert (
        "Whether the joint stock is needed takes the same samples without it, which this study does not have "
        f"(without its agreement the scenario does not run: {found.without_why}); run the scenario without its "
        "agreement with --uncertainty 3"
    ) in line.replace("\u00a0", " ")


def test_the_report_table_gives_fairness_over_the_samples_short_and_none_short_as_written():
    import html as html_text
    import re

    from simulator.engine import simulate
    from simulator.scenario import validate_data

    written = build(HALF, regions__japan__commercial_stock__ree__tonnes=5000)  # as written no one is short
    found = run_uncertainty(plan_study(written, "s.yaml", fixed=()), 20)
    short = int((found.samples["regions.japan.commercial_stock.ree.tonnes"] == 0).sum())
    html = words_page(simulate(validate_data(written, "s.yaml")), uncertainty=found)
    row = re.search(r"<tr><td class=\"text\">Fairness.*?</tr>", html).group(0)
    cells = [html_text.unescape(re.sub(r"<[^>]+>", " ", c)).split() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
    # the run as written has no one short: its 1 is a convention, shown as such; the samples' 0.5 is over those
    # short, and with two members and one short it is 1/2 by construction: one member bears it all
    assert [" ".join(c) for c in cells[:4]] == [
        "Fairness (Jain's index) Jain's index of the members' shortfalls as shares of their demand: 1 = each short "
        f"the same share of its demand; 0.5 = one of two members bears it all over the {short} samples with a "
        "member short",
        "none short",
        "0.5",  # the title says what 0.5 means: no note under the cell repeating it
        "0.5 to 0.5",
    ]
