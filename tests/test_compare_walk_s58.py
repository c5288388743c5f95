"""``stockpile compare`` with ``--set``: what its folder records, and compare.csv's totals (walkthrough s58).

The walkthrough ran ``stockpile compare scenarios/club_of_five.yaml --set
agreement.release_cap_t_per_day.heavy_ree=1.35``:

1. its folder did not record the ``--set``: compare.png's title named the shipped scenario, and the folder could not
   be redone. It now holds ``scenario.json`` (the scenario as compared, as ``run`` writes it), its manifest the
   ``scenario_hash`` ``run`` records for the same ``--set``, and the figure's title names the change;
2. compare.csv's ``total_shortfall_t`` was 7,463.7 t without the agreement, light and heavy rare earths added, though
   the command says they are "not added" (priced far apart): the totals over every material are now empty there;
3. compare.csv's ``first_shortfall_day.<member>`` is ``-1`` for "never", as summary.csv's is; the Python API gives
   ``<NA>`` (docs/api.md: "``-1`` in the files"), as promised. Kept, and said in docs/outputs.md.
"""

from __future__ import annotations

import functools
import json

import pandas as pd
import pytest

import simulator
from simulator.errors import ScenarioError
from simulator.plots import compare_figure
from tests.helpers import ROOT, invoke

SCENARIO = ROOT / "scenarios" / "club_of_five.yaml"
CAP = "agreement.release_cap_t_per_day.heavy_ree=1.35"
MEMBERS = ["japan", "eu", "united_states", "south_korea", "australia"]

pytestmark = pytest.mark.xdist_group("compare-walk")  # one comparison's folders (the fixture), also under pytest -n


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A comparison and a run of club_of_five with the walkthrough's ``--set``, each in its own folder."""
    root = tmp_path_factory.mktemp("walk")
    compared = invoke("compare", SCENARIO, "--set", CAP, "--mechanisms", "fair_ratio", "--no-plots", "-o", root / "c")
    assert compared.exit_code == 0, compared.output
    ran = invoke(
        "run", SCENARIO, "--set", CAP, "--set", "agreement.mechanism=fair_ratio", "--no-plots", "-o", root / "r"
    )
    assert ran.exit_code == 0, ran.output
    shipped = invoke("run", SCENARIO, "--no-plots", "-o", root / "s")
    assert shipped.exit_code == 0, shipped.output
    return root


def _manifest(folder):
    return json.loads((folder / "manifest.json").read_text())


def test_the_folder_records_the_scenario_as_compared(folders):
    compared = _manifest(folders / "c")
    assert "scenario.json" in compared["files"]
    data = json.loads((folders / "c" / "scenario.json").read_text())
    assert data["agreement"]["release_cap_t_per_day"] == {"heavy_ree": 1.35}  # the --set, not the file's cap
    # run's hash for the same change (the rule aside, which the manifest lists under mechanisms), not the shipped one's
    assert compared["scenario_hash"] != _manifest(folders / "s")["scenario_hash"]
    as_run = json.loads((folders / "r" / "scenario.json").read_text())
    as_run["agreement"]["mechanism"] = data["agreement"]["mechanism"]
    assert as_run == data


def test_the_folder_is_redone_from_its_scenario_json(folders, tmp_path):
    again = invoke(
        "compare", folders / "c" / "scenario.json", "--mechanisms", "fair_ratio", "--no-plots", "-o", tmp_path
    )
    assert again.exit_code == 0, again.output
    assert (tmp_path / "compare.csv").read_bytes() == (folders / "c" / "compare.csv").read_bytes()
    assert _manifest(tmp_path)["scenario_hash"] == _manifest(folders / "c")["scenario_hash"]


def test_the_hash_is_runs_for_the_same_scenario(tmp_path):
    """Without a rule to set, a comparison of the file's own rule and its run hash the same scenario."""
    compared = invoke(
        "compare", SCENARIO, "--set", CAP, "--mechanisms", "hybrid", "--no-plots", "--no-baseline", "-o", tmp_path / "c"
    )
    ran = invoke("run", SCENARIO, "--set", CAP, "--no-plots", "-o", tmp_path / "r")
    assert compared.exit_code == 0 and ran.exit_code == 0, compared.output + ran.output
    assert simulator.load_scenario(SCENARIO).agreement.mechanism == "hybrid"  # the file's rule: nothing else differs
    assert _manifest(tmp_path / "c")["scenario_hash"] == _manifest(tmp_path / "r")["scenario_hash"]


def test_the_figures_title_names_the_change(monkeypatch, tmp_path):
    titles: list[str] = []

    def drawn(*args, **kwargs):
        figure = compare_figure(*args, **kwargs)
        titles.append(figure.get_suptitle())
        return figure

    monkeypatch.setattr("simulator.plots.compare_figure", drawn)
    result = invoke("compare", SCENARIO, "--set", CAP, "--seed", 3, "--mechanisms", "fair_ratio", "-o", tmp_path)
    assert result.exit_code == 0, result.output
    flat = " ".join(titles[0].split())  # the title is broken into lines at spaces
    assert flat.startswith(f"club_of_five (as changed for this run: --set {CAP} --seed 3): release rules compared")
    comparison = _shipped_comparison()
    plain = compare_figure(comparison.results, comparison.skipped, comparison.baselines).get_suptitle()
    assert " ".join(plain.split()).startswith("club_of_five: release rules compared; grey:")  # no change, no words


def _shipped_comparison():
    from simulator.compare import compare
    from simulator.scenario import load_raw

    return compare(load_raw(str(SCENARIO)), ["fair_ratio"], str(SCENARIO))


def test_compare_csv_leaves_the_totals_of_unlike_tonnes_empty(folders):
    table = pd.read_csv(folders / "c" / "compare.csv").set_index("mechanism")
    totals = ["total_shortfall_t", *(f"shortfall_t.{m}" for m in MEMBERS)]
    assert table[totals].isna().all().all(), table[totals]  # 7,463.7 t without the agreement was light + heavy
    light, heavy = table.loc["no agreement", ["total_shortfall_t.all.light_ree", "total_shortfall_t.all.heavy_ree"]]
    assert (round(light, 1), round(heavy, 1)) == (7040.9, 422.9)  # pinned: the printed table's figures
    for material in ("light_ree", "heavy_ree"):  # the answer by material is whole: the members' add up to it
        members = table[[f"shortfall_t.{m}.{material}" for m in MEMBERS]].sum(axis=1)
        assert list(members) == pytest.approx(list(table[f"total_shortfall_t.all.{material}"]), rel=1e-12)


def test_never_short_is_minus_one_in_the_file_and_na_in_python(folders):
    table = pd.read_csv(folders / "c" / "compare.csv").set_index("mechanism")
    summary = pd.read_csv(folders / "r" / "summary.csv")
    korea = summary[summary["region"] == "south_korea"]["first_shortfall_day"]
    assert list(korea) == [-1, -1]  # summary.csv's never, of each material
    assert table.loc["fair_ratio", "first_shortfall_day.south_korea"] == -1  # compare.csv's, the same
    japan = summary[(summary["region"] == "japan") & (summary["first_shortfall_day"] >= 0)]["first_shortfall_day"]
    assert table.loc["fair_ratio", "first_shortfall_day.japan"] == japan.min() == 170  # the run's first short day
    api = simulator.compare(SCENARIO, "fair_ratio", set={CAP.split("=")[0]: 1.35}).set_index("mechanism")
    assert api.loc["fair_ratio", "first_shortfall_day.south_korea"] is pd.NA
    assert api.loc["fair_ratio", "first_shortfall_day.japan"] == japan.min()


def test_the_python_compare_says_a_changes_problem_of_that_change_as_run_does():
    """simulator.compare said "embargo_2010.yaml: agreement.foo: unknown key", not naming the change that made it."""
    scenario = str(SCENARIO.parent / "embargo_2010.yaml")
    said = []
    for call in (simulator.run, functools.partial(simulator.compare, mechanisms="fair_ratio")):
        with pytest.raises(ScenarioError) as caught:
            call(scenario, set={"agreement.foo": 1})
        said.append(str(caught.value))
    assert said[0] == said[1] and "embargo_2010.yaml [set agreement.foo=1]: agreement.foo: unknown key" in said[1]
