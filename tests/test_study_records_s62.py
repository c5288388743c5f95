"""Records of a study that a pipeline and a referee can read (session 62).

- A samples table's text column holds a list or a mapping as JSON text (``json.loads`` reads it back), not
  Python's repr; words stay plain.
- ``uncertainty_samples.parquet`` starts with ``sample`` (0..N-1), the key ``uncertainty_without_agreement.parquet``
  joins on.
- ``random_inputs`` holds the ids of the random streams (``noise``, ``shock/<id>``) in ``sweep.json``,
  ``sensitivity.json`` and a comparison's ``manifest.json`` alike; the words the notes print are
  ``random_inputs_words``, and the notes read as before.
- Provenance: ``sensitivity.json`` and a comparison's ``manifest.json`` record ``--set`` as ``set`` (a run's
  manifest's list of ``PATH=VALUE``); the comparison's records ``made_with``; ``sensitivity.json`` records the
  scenario file resolved (``scenario_file_resolved``) beside it as typed.
- A study on a Dask cluster of eight workers cuts its samples for eight, not for the five that
  ``scheduler_info()["workers"]`` lists in distributed 2025.5-2026.6.
- ``run --uncertainty``'s words on drivers: the bound keeps the odds of naming an input without effect under 5% for
  one figure, up to ``1 - 0.95^k`` over the run's ``k`` figures; where more inputs clear it than are named (three),
  the line says of how many the named are the largest.
- ``run --uncertainty`` says in a note why fairness is given by material, where it is, as ``sensitivity`` does.
"""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import simulator.sensitivity.study as study_module
from simulator.scenario.schema import UncertainValues
from simulator.scenario.uncertain import Input
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import drivers_text, main_drivers, no_drivers_note, run_uncertainty
from simulator.sensitivity.study import evaluate, typed_values
from tests.helpers import invoke
from tests.test_dask_workers_s62 import EightWorkersListedAsFive
from tests.test_sensitivity import SHORT
from tests.test_uncertainty_run import SHORT as DEMAND_ALONE

STOCHASTIC = Path("scenarios/embargo_stochastic.yaml")
BIDS = "agreement.auction.bids.eu.light_ree"
SAMPLES = 12


@pytest.fixture(scope="module")
def uncertainty_run(tmp_path_factory) -> tuple[Path, str]:
    """``run embargo_stochastic --uncertainty 12`` once: its folder and what it printed (stdout and stderr)."""
    out = tmp_path_factory.mktemp("records") / "u"
    result = invoke("run", STOCHASTIC, "--uncertainty", SAMPLES, "--no-plots", "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    return out, result.output


def _declared_values(path: str) -> list:
    """The values the scenario's ``uncertain:`` entry at ``path`` lists."""
    entries = yaml.safe_load(STOCHASTIC.read_text(encoding="utf-8"))["uncertain"]
    return next(entry["values"] for entry in entries if entry["path"] == path)


def test_a_list_in_the_samples_table_reads_back_with_json(uncertainty_run):
    out, _ = uncertainty_run
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    bids = samples[BIDS].map(json.loads)  # Python's repr ('end_use': ...) would not parse
    declared = _declared_values(BIDS)
    assert len(bids) == SAMPLES and all(b in declared for b in bids)
    assert all(abs(sum(segment["share"] for segment in b) - 1.0) < 1e-12 for b in bids)  # each split sums to 1


def test_words_stay_plain_and_a_mapping_among_other_kinds_is_json():
    mixed = Input(UncertainValues(path="p", source="s", values=["held", {"a": dt.date(2011, 2, 3)}, [1, "x"]]), None)
    points = [{"p": "held"}, {"p": {"a": dt.date(2011, 2, 3)}}, {"p": [1, "x"]}]
    column = typed_values([mixed], points)["p"].tolist()
    assert column == ["held", '{"a": "2011-02-03"}', '[1, "x"]']
    assert json.loads(column[1]) == {"a": "2011-02-03"} and json.loads(column[2]) == [1, "x"]


def test_the_samples_table_numbers_its_samples_as_the_runs_without_the_agreement_do(uncertainty_run):
    out, _ = uncertainty_run
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    without = pd.read_parquet(out / "uncertainty_without_agreement.parquet")
    assert samples.columns[0] == "sample" and samples["sample"].tolist() == list(range(SAMPLES))
    paired = samples.merge(without, on="sample", suffixes=("", "_without"), validate="one_to_one")
    assert len(paired) == SAMPLES and (paired["seed"] == paired["seed_without"]).all()  # each pair shares its seed


# embargo_stochastic draws daily demand noise and its one embargo's start, length and severity (its statement says so)
STREAMS = ["noise", "shock/china_embargo_both"]
WORDS = ["demand noise", "china_embargo_both's start, length, severity"]
ONE_INPUT = ("--input", "shocks.china_quota_2011.perceived_severity")


@pytest.fixture(scope="module")
def sensitivity_run(tmp_path_factory) -> tuple[Path, str]:
    """``sensitivity embargo_stochastic`` of one input, Morris with 2 trajectories (4 runs): its folder and output."""
    out = tmp_path_factory.mktemp("records") / "s"
    args = ("--method", "morris", "--samples", 2, *ONE_INPUT, "--workers", 1, "-o", out)
    result = invoke("sensitivity", STOCHASTIC, "--set", "horizon_days=400", *args)
    assert result.exit_code == 0, result.output
    return out, result.output


@pytest.fixture(scope="module")
def compare_run(tmp_path_factory) -> tuple[Path, str]:
    """``compare embargo_stochastic --mechanisms fair_ratio --set horizon_days=400``: its folder and output."""
    out = tmp_path_factory.mktemp("records") / "c"
    args = ("--mechanisms", "fair_ratio", "--no-baseline", "--no-plots", "-o", out)
    result = invoke("compare", STOCHASTIC, "--set", "horizon_days=400", *args)
    assert result.exit_code == 0, result.output
    return out, result.output


def test_random_inputs_are_the_streams_ids_in_every_record_and_the_words_a_key_of_their_own(
    tmp_path, sensitivity_run, compare_run
):
    sweep = tmp_path / "w"
    result = invoke("sweep", STOCHASTIC, "--grid", "horizon_days=400", "--workers", 1, "--no-plots", "-o", sweep)
    assert result.exit_code == 0, result.output
    swept = json.loads((sweep / "sweep.json").read_text())
    studied = json.loads((sensitivity_run[0] / "sensitivity.json").read_text())
    compared = json.loads((compare_run[0] / "manifest.json").read_text())
    assert swept["random_inputs"] == studied["random_inputs"] == compared["random_inputs"] == STREAMS
    assert studied["random_inputs_words"] == compared["random_inputs_words"] == WORDS
    # the notes print the words, as before
    assert f"conditional on one draw of the random inputs ({'; '.join(WORDS)})" in sensitivity_run[1]
    assert f"the comparison is conditional on one draw of the random inputs ({'; '.join(WORDS)})" in compare_run[1]


def test_the_study_and_the_comparison_record_their_set_and_what_made_them(
    sensitivity_run, compare_run, uncertainty_run
):
    studied = json.loads((sensitivity_run[0] / "sensitivity.json").read_text())
    compared = json.loads((compare_run[0] / "manifest.json").read_text())
    ran = json.loads((uncertainty_run[0] / "manifest.json").read_text())
    assert studied["set"] == compared["set"] == ["horizon_days=400"] and ran["set"] == []
    assert studied["scenario_file"] == str(STOCHASTIC)  # as typed, relative
    assert studied["scenario_file_resolved"] == str(STOCHASTIC.resolve())
    assert compared["made_with"] == ran["made_with"]  # the same code, Python and libraries made both
    assert set(compared["made_with"]) == {"code", "python", "libraries", "platform"}


class Planned(Exception):
    """Stops a study once it has cut its samples into chunks."""


def test_a_study_on_a_dask_cluster_cuts_its_samples_for_every_worker(monkeypatch):
    chunks: list[int] = []

    def plan_points(raw, source, points, seeds, curves, chunk_runs, *rest):
        chunks.append(chunk_runs)
        raise Planned

    monkeypatch.setattr(study_module, "plan_points", plan_points)
    study = plan_study(SHORT, "short.yaml", fixed=())
    points = study.points(np.full((80, len(study.inputs)), 0.5))
    with pytest.raises(Planned):
        evaluate(study, points, [1] * 80, client=EightWorkersListedAsFive())
    # 80 samples on 8 workers: fewer than a batch (250) each, so one chunk of 80 / 8 = 10 per worker (five: 16)
    assert chunks == [10]


def test_a_driver_line_says_when_more_inputs_clear_the_bound_than_it_names():
    study = plan_study(yaml.safe_load(STOCHASTIC.read_text(encoding="utf-8")), str(STOCHASTIC), fixed=())
    unit = np.random.default_rng(1).random((1000, len(study.inputs)))
    y = unit[:, :4].sum(axis=1)  # four inputs of equal weight: each rank correlation about 1/2
    # the bound: z(1 - 0.05 / 122) = 3.35 over sqrt(999) is 0.11, below the floor of 0.2; the other 57 inputs' rank
    # correlations are about normal with sd 1 / sqrt(999) = 0.03, so none reaches 0.2
    named, past, least = main_drivers(study, unit, y)
    assert (len(named), past, least) == (3, 4, 0.2)
    assert {d.path for d in named} < {i.path for i in study.inputs[:4]}
    found = types.SimpleNamespace(
        study=study, drivers={"total_shortfall_t": named}, cleared={"total_shortfall_t": (4, 0.2)}
    )
    line = drivers_text(found, "total_shortfall_t")
    assert line.count("absolute rank correlation") == 4 and line.endswith(
        "(the 3 largest of 4 past an absolute rank correlation of 0.20)"
    )


def test_a_run_records_how_many_inputs_clear_the_bound_and_names_them_all_when_three_or_fewer():
    # 10 samples of 2 inputs: the bound is z(1 - 0.05 / 4) = 2.2414 over sqrt(9) = 0.747; demand alone reaches it
    found = run_uncertainty(plan_study(DEMAND_ALONE, "s.yaml", fixed=()), 10)
    past, least = found.cleared["total_shortfall_t"]
    assert past == 1 and least == pytest.approx(2.2414 / 3, abs=1e-4)
    assert "largest of" not in drivers_text(found, "total_shortfall_t")


def test_the_odds_of_the_bound_are_said_for_one_figure_and_over_the_runs_figures():
    seven = {f"figure{k}": [] for k in range(7)}
    fake = types.SimpleNamespace(runs=20, drivers=seven, study=types.SimpleNamespace(inputs=[None] * 63))
    # 1 - 0.95^7 = 0.302
    assert "under 5% for one figure (over the run's 7 figures, up to about 30%; 63 inputs, 20 samples)" in (
        no_drivers_note(fake)
    )
    fake.runs = 3  # z(1 - 0.05 / 126) = 3.36 over sqrt(2): above 1, so no input can be named
    assert "without effect under 5% for one figure (over the run's 7 figures, up to about 30%) would take" in (
        no_drivers_note(fake)
    )


def test_run_uncertainty_says_why_fairness_is_given_by_material(uncertainty_run):
    out, output = uncertainty_run
    table = pd.read_csv(out / "uncertainty.csv")
    # light and heavy rare earths are priced far apart (the run's last line: not added), so each has its own index
    assert "fairness_jain" not in set(table["metric"])
    assert {"fairness_jain.all.light_ree", "fairness_jain.all.heavy_ree"} <= set(table["metric"])
    (note,) = [line for line in output.splitlines() if line.startswith("note: Jain's index is given")]
    assert note == (
        "note: Jain's index is given for each material short, light and heavy rare earths "
        "(fairness_jain.all.MATERIAL), as the run's last line gives it: over all materials (fairness_jain, kept in "
        "uncertainty_samples.parquet) it would add tonnes of materials priced far apart"
    )


def test_no_such_note_where_fairness_is_not_given_by_material(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(DEMAND_ALONE, sort_keys=False))  # one region, one material: no index by material
    result = invoke("run", path, "--uncertainty", 10, "--no-plots", "-o", tmp_path / "u")
    assert result.exit_code == 0, result.output
    assert "Jain's index is given" not in result.output
