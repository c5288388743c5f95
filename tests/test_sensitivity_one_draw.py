"""A sensitivity study of a scenario with random inputs says that its indices are those of one draw of them.

Every sample runs with one run seed (common random numbers), so the random inputs (here
the embargo's severity, uniform on [0.5, 1]) are drawn once for the whole study: the
terminal, sensitivity.json and the figure's title say so, and say nothing for a
scenario without random inputs.
"""

from __future__ import annotations

import json

import yaml

from simulator.sensitivity.figures import sensitivity_figure
from tests.helpers import invoke
from tests.test_sensitivity import SHORT

RANDOM = {
    **SHORT,
    "shocks": [{**SHORT["shocks"][0], "severity": {"distribution": "uniform", "low": 0.5, "high": 1.0}}],
}
ARGS = ("--method", "morris", "--samples", 2, "--input", "regions.japan.demand.ree.tonnes_per_day", "--workers", 1)


def write(tmp_path, data) -> str:
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


def test_the_terminal_and_the_json_say_the_indices_are_of_one_draw_of_the_random_inputs(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path, RANDOM), *ARGS, "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sensitivity.json").read_text())
    assert (info["random_inputs"], info["random_inputs_words"]) == (["shock/halt"], ["halt's severity"])
    note = (
        "note: the indices are conditional on one draw of the random inputs (halt's severity): "
        f"run seed {info['run_seed']} in every sample; they do not average over those inputs' distributions"
    )
    assert note in result.output


def test_a_scenario_without_random_inputs_gets_no_such_note(tmp_path):
    out = tmp_path / "out"
    result = invoke("sensitivity", write(tmp_path, SHORT), *ARGS, "-o", out)
    assert result.exit_code == 0, result.output
    info = json.loads((out / "sensitivity.json").read_text())
    assert info["random_inputs"] == info["random_inputs_words"] == []
    assert "one draw" not in result.output


def test_sensitivity_png_says_which_draw_in_its_title(tmp_path, monkeypatch):
    import simulator.sensitivity.figures as figures

    drawn = []

    def keep(*args, **kwargs):
        drawn.append(sensitivity_figure(*args, **kwargs))
        return drawn[-1]

    monkeypatch.setattr(figures, "sensitivity_figure", keep)  # run_sensitivity imports it where it draws
    out = tmp_path / "out"
    assert invoke("sensitivity", write(tmp_path, RANDOM), *ARGS, "-o", out).exit_code == 0
    seed = json.loads((out / "sensitivity.json").read_text())["run_seed"]
    note = f"conditional on one draw of the random inputs (halt's severity): run seed {seed} in every sample"
    # under the method's line and the inputs shown, wrapped to the figure's width
    assert " ".join(drawn[0].get_suptitle().split("\n")[2:]) == note
    # the study took one (--input) of the three inputs the scenario declares: the title says so (review s50: an
    # --input study of 8 of 48 read "all 8 inputs")
    assert drawn[0].get_suptitle().split("\n")[1] == "1 input studied (of the 3 declared)"
    assert (out / "sensitivity.png").is_file()
    assert invoke("sensitivity", write(tmp_path, SHORT), *ARGS, "-o", tmp_path / "fixed").exit_code == 0
    assert "one draw" not in drawn[1].get_suptitle()
