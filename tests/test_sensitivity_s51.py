"""Session 51's audit of ``stockpile sensitivity``: what its indices are, and what they count.

Index tables are written by hand where the rule is about the words; the numbers that a study
gives are worked out from the model's invariants (a step of Morris' 4-level grid is 2/3 of the
range, so an elementary effect is 3/2 of the change a step simulated).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.errors import InputError
from simulator.scenario import load_raw
from simulator.sensitivity import (
    analyse_study,
    check_samples,
    plan_study,
    study_notes,
    top_drivers,
    unlike_tonnes,
)
from simulator.sensitivity.figures import sensitivity_figure
from tests.helpers import invoke
from tests.test_sensitivity import SHORT, write

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

TOTAL = "total_shortfall_t"


def _sobol(rows: list[tuple[str, float, float]], metric: str = TOTAL) -> pd.DataFrame:
    """(label, S1, ST) per input; intervals narrow."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "S1": s1, "S1_conf": 0.01, "ST": st, "ST_conf": 0.01}
            | {"label": label, "metric_unit": "t"}
            for label, s1, st in rows
        ]
    )


def test_floating_point_residue_of_an_input_without_effect_is_not_called_sampling_noise():
    # the audit's se6 study: Japan's ratio changes nothing; SALib leaves S1 2.7e-18 over ST 1.9e-34
    table = _sobol([("quota", 0.09, 0.87), ("Japan's ratio", 2.7346854578045893e-18, 1.9259299443872367e-34)])
    assert top_drivers(table, "sobol") == [
        "Total shortfall (t): quota (ST 0.87 +- 0.01, S1 0.09), Japan's ratio (ST 0.00 +- 0.01, S1 0.00)"
    ]
    assert sensitivity_figure(table, "sobol", 32).axes[0].get_title() == "Total shortfall (t)"
    # a real excess, however small on the page, is still noise to be said
    noisy = _sobol([("quota", 0.09, 0.87), ("ratio", 0.004, 0.001)])
    assert top_drivers(noisy, "sobol")[1] == "  caution: S1 above ST for 1 input: sampling noise"


def _morris(rows: list[tuple[str, float, float, float]], metric: str = TOTAL) -> pd.DataFrame:
    """(label, mu_star, mu_star_conf, sigma) per input."""
    return pd.DataFrame(
        [
            {"metric": metric, "parameter": f"p.{label}", "mu_star": mu, "mu_star_conf": conf, "sigma": sigma}
            | {"mu": mu, "label": label, "metric_unit": "t" if metric != "fairness_jain" else ""}
            for label, mu, conf, sigma in rows
        ]
    )


def test_morris_drivers_print_every_number_in_one_format():
    # long_embargo_6m, --samples 2: 16,198.4 printed as 1.62e+04 beside 2,863 and 7,500
    table = _morris([("end", 16198.44585, 2862.93468, 2806.41284), ("severity", 7499.56245, 5459.15362, 5435.10761)])
    (line,) = top_drivers(table, "morris", 2)
    assert (
        line
        == "Total shortfall (t): end (mu* 16,198 +- 2,863, sigma 2,806), severity (mu* 7,500 +- 5,459, sigma 5,435)"
    )
    fairness = _morris([("end", 0.47321, 0.04262, 0.04178)], "fairness_jain")
    assert top_drivers(fairness, "morris", 1)[0].endswith("end (mu* 0.473 +- 0.0426, sigma 0.0418)")


DEMAND = "regions.japan.demand.ree.tonnes_per_day"  # uniform on 5-15 t/day: 40 days short of all of it


def test_a_morris_step_simulates_two_thirds_of_mu_star_and_the_study_says_mu_star_is_extrapolated():
    # the test world's shortfall is 40 * demand - stock: over demand's whole range (10 t/day) 400 t
    study = plan_study(SHORT, "s.yaml", ["total_shortfall_t"], fixed=())
    found = analyse_study(study, "morris", 4)
    mu_star = found.table.set_index("parameter").loc[DEMAND, "mu_star"]
    assert mu_star == pytest.approx(400)
    runs = found.samples
    inputs = [c for c in runs.columns if c.startswith(("regions.", "materials."))]
    step = runs.groupby(np.arange(len(runs)) // (len(inputs) + 1)).diff()  # within each trajectory of 4 runs
    moved = step[inputs].fillna(0).ne(0).sum(axis=1).eq(1) & step[DEMAND].fillna(0).ne(0)
    steps, changes = step[DEMAND][moved].abs(), step["total_shortfall_t"][moved].abs()
    assert len(steps) == 4 and steps.to_numpy() == pytest.approx(np.full(4, 10 * 2 / 3))  # 2/3 of 5-15
    assert changes.to_numpy() == pytest.approx(np.full(4, 40 * 10 * 2 / 3))  # 266.7 t a step, not 400
    assert found.info["morris_step"] == pytest.approx(2 / 3)
    assert changes.mean() == pytest.approx(found.info["morris_step"] * mu_star)
    (note,) = study_notes(found.info)
    assert "change per whole range of the input (in quantiles), extrapolated from steps of 2/3 of the range" in note
    axis = sensitivity_figure(found.table, "morris", len(runs)).axes[0].get_xlabel()
    assert axis == (
        "mu*: mean absolute change per whole range of the input (t),\n"
        "extrapolated from steps of 2/3 of the range; sigma: their spread"
    )
    assert analyse_study(study, "sobol", 2).info["morris_step"] is None


QUOTA = "shocks.china_quota_2011.tonnes_per_period"


def test_fairness_says_in_how_many_runs_no_member_is_short_and_its_index_is_1_by_convention():
    # embargo_2010_scarce: the 2011 quota alone decides whether the EU is short (Japan never is). Its light and
    # heavy rare earths are priced far apart, so Jain's index is studied material by material (session 62): each
    # material's own index is 1 where no member is short of it, 0.5 where the EU alone is
    raw = load_raw(str(SCENARIOS / "embargo_2010_scarce.yaml"), [])
    study = plan_study(raw, "embargo_2010_scarce.yaml", only=["agreement.ratio.japan", QUOTA], fixed=())
    assert "fairness_jain" in study.metrics  # a default: members share a stock
    found = analyse_study(study, "morris", 4)
    runs, info = found.samples, found.info
    counts = {}
    for material in ("light_ree", "heavy_ree"):
        index = f"fairness_jain.all.{material}"
        nobody = runs[[f"shortfall_t.japan.{material}", f"shortfall_t.eu.{material}"]].eq(0).all(axis=1)
        assert runs.loc[nobody, index].eq(1).all()  # no burden counted as equal
        assert runs.loc[~nobody, index].eq(0.5).all()  # one of two members bears it all
        counts[index] = int(nobody.sum())
    assert all(0 < count < 12 for count in counts.values())  # the quota's range covers both cases in each
    assert info["no_member_short_runs"] == counts and info["runs"] == 12  # Morris, 2 inputs, 4 trajectories: 4 x 3
    assert "fairness_jain" not in info["metrics"]
    fairness = [line for line in top_drivers(found.table, "morris", no_member_short=counts, runs=12) if "Jain" in line]
    titles = [ax.get_title() for ax in sensitivity_figure(found.table, "morris", 12, no_member_short=counts).axes]
    notes = study_notes(info)
    for k, (material, name) in enumerate((("light_ree", "light rare earths"), ("heavy_ree", "heavy rare earths"))):
        n = counts[f"fairness_jain.all.{material}"]
        flag = f"1 where no member is short of it, in {n} of 12 runs"
        assert fairness[k].startswith(f"Fairness (Jain's index), {name}, {flag}: ")
        assert titles[1 + k] == f"Fairness (Jain's index), {name}\n{flag}"
        assert notes[k].startswith(f"Jain's index of {name} is 1 by convention in the {n} of 12 runs where")
    assert titles[0] == "Total shortfall (t)"
    # not studied, nothing to say: the key is null and no note is printed
    alone = analyse_study(plan_study(raw, "s", ["total_shortfall_t"], only=[QUOTA], fixed=()), "morris", 2)
    assert alone.info["no_member_short_runs"] is None
    assert not any("Jain" in note for note in study_notes(alone.info))


UNLIKE = "tonnes of magnet and tonnes of oxide"


def test_totals_that_add_tonnes_of_magnet_and_of_oxide_say_so_as_the_sweep_does():
    # long_embargo_6m: the EU short of light rare earths (oxide) and of NdFeB magnets in every run
    raw = load_raw(str(SCENARIOS / "long_embargo_6m.yaml"), [])
    metrics = ["total_shortfall_t", "shortfall_t.eu", "shortfall_t.eu.light_ree", "fairness_jain"]
    only = ["shocks.china_embargo.end", "shocks.china_embargo.severity"]
    found = analyse_study(plan_study(raw, "long_embargo_6m.yaml", metrics, only=only, fixed=()), "morris", 2)
    runs, info = found.samples, found.info
    materials = [f"shortfall_t.eu.{m}" for m in ("light_ree", "heavy_ree", "ndfeb_magnets")]
    assert runs["shortfall_t.eu"].to_numpy() == pytest.approx(runs[materials].sum(axis=1).to_numpy())
    assert (runs["shortfall_t.eu.light_ree"] > 0).any() and (runs["shortfall_t.eu.ndfeb_magnets"] > 0).any()
    assert info["shortfall_adds"] == UNLIKE  # as sweep.json records it
    assert info["unlike_tonnes_metrics"] == {
        "total_shortfall_t": UNLIKE,
        "shortfall_t.eu": UNLIKE,
    }  # not one material's
    flagged = unlike_tonnes(info)
    lines = top_drivers(found.table, "morris", 1, unlike_tonnes=flagged)
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == [
        f"Total shortfall (t), adds {UNLIKE}",
        f"Shortfall, EU (t), adds {UNLIKE}",
        "Shortfall, EU, light rare earths (t)",
        "Fairness (Jain's index), light rare earths",  # each material's own (session 62)
        "Fairness (Jain's index), heavy rare earths",
    ]
    titles = [ax.get_title() for ax in sensitivity_figure(found.table, "morris", 6, unlike_tonnes=flagged).axes[:3]]
    assert titles[0] == f"Total shortfall (t)\nadds {UNLIKE}" and titles[2] == "Shortfall, EU, light rare earths (t)"
    assert any(
        note.startswith(f"total_shortfall_t and shortfall_t.eu (and their panels and top drivers) add {UNLIKE}")
        for note in study_notes(info)
    )
    # one material (the test world): nothing unlike to add, nothing to say
    alike = analyse_study(plan_study(SHORT, "s.yaml", ["total_shortfall_t"], fixed=()), "morris", 2)
    assert alike.info["shortfall_adds"] is None and alike.info["unlike_tonnes_metrics"] == {}
    assert unlike_tonnes(alike.info) == {} and not any(" add " in note for note in study_notes(alike.info))


APART = "tonnes of materials priced far apart"


def test_each_total_says_what_it_adds_in_the_runs_not_what_the_scenario_could_add():
    # review s51 finding 4. long_embargo_6m: Japan has no magnet demand (its magnet makers' exposure
    # is their oxide), so its shortfall, like the pool at the end, holds light (12 USD/kg) and heavy
    # (330 USD/kg) oxide: one kind of tonnes, priced 27.5 times apart (more than 2), never magnet.
    # The EU is short of magnets and oxide: its total and the total shortfall add both kinds.
    raw = load_raw(str(SCENARIOS / "long_embargo_6m.yaml"), [])
    metrics = ["shortfall_t.japan", "pool_end_t", "total_shortfall_t", "shortfall_t.eu"]
    only = ["shocks.china_embargo.end", "shocks.china_embargo.severity"]
    found = analyse_study(plan_study(raw, "long_embargo_6m.yaml", metrics, only=only, fixed=()), "morris", 2)
    runs, info = found.samples, found.info
    for oxide in ("shortfall_t.japan.light_ree", "shortfall_t.japan.heavy_ree", "pool_end_t.all.light_ree"):
        assert (runs[oxide] > 0).any()
    assert (runs["pool_end_t.all.heavy_ree"] > 0).any()
    assert (runs["shortfall_t.japan.ndfeb_magnets"] == 0).all() and (runs["pool_end_t.all.ndfeb_magnets"] == 0).all()
    assert (runs["shortfall_t.eu.ndfeb_magnets"] > 0).any()
    assert info["shortfall_adds"] == UNLIKE  # scenario-wide, as sweep.json records it
    assert info["unlike_tonnes_metrics"] == {
        "shortfall_t.japan": APART,
        "pool_end_t": APART,
        "total_shortfall_t": UNLIKE,
        "shortfall_t.eu": UNLIKE,
    }
    flagged = unlike_tonnes(info)
    lines = top_drivers(found.table, "morris", 1, unlike_tonnes=flagged)
    assert [line.split(":")[0] for line in lines if not line.startswith(" ")] == [
        f"Shortfall, Japan (t), adds {APART}",
        f"Pool at the end (t), adds {APART}",
        f"Total shortfall (t), adds {UNLIKE}",
        f"Shortfall, EU (t), adds {UNLIKE}",
    ]
    titles = [ax.get_title() for ax in sensitivity_figure(found.table, "morris", 6, unlike_tonnes=flagged).axes[:4]]
    assert titles[:2] == [f"Shortfall, Japan (t)\nadds {APART}", f"Pool at the end (t)\nadds {APART}"]
    assert titles[2] == f"Total shortfall (t)\nadds {UNLIKE}"
    assert (
        f"shortfall_t.japan and pool_end_t add {APART}; total_shortfall_t and shortfall_t.eu add {UNLIKE}; "
        "their panels and top drivers say so: --metric shortfall_t.REGION.MATERIAL or pool_end_t.all.MATERIAL "
        "or total_shortfall_t.all.MATERIAL studies each material"
    ) in study_notes(info)
    # Japan alone: one thing to say, said as before
    japan = analyse_study(plan_study(raw, "long_embargo_6m.yaml", metrics[:1], only=only, fixed=()), "morris", 2)
    assert japan.info["unlike_tonnes_metrics"] == {"shortfall_t.japan": APART}
    assert f"shortfall_t.japan (and its panel and top drivers) adds {APART}: " in " ".join(study_notes(japan.info))


def test_too_many_runs_for_one_input_says_input():
    # review s51 finding 7's wording: Morris over 1 input needs N x (1 + 1) runs; 5,000,001 x 2 > 10,000,000
    with pytest.raises(InputError) as refused:
        check_samples("morris", 5_000_001, 1)
    assert str(refused.value) == ("--samples: 5,000,001 x (1 input + 1) = 10,000,002 runs, more than 10,000,000")


def test_a_study_of_one_input_says_input(tmp_path):
    # the test world's one input studied by Morris: 2 trajectories x (1 input + 1) = 4 runs
    args = ("--method", "morris", "--samples", 2, "--input", "regions.japan.demand.ree.tonnes_per_day", "--workers", 1)
    result = invoke("sensitivity", write(tmp_path), *args, "-o", tmp_path / "one")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("morris over 1 uncertain input: 4 runs in ")
