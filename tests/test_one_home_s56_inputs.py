"""Input checks with one home each (session 56): their messages, pinned on both the CLI's and the API's side.

1. The refusal of a scenario with more regions than a figure tells apart (72: 18 colours x 4 line
   styles, :data:`simulator.palette.MAX_REGIONS`; 40 before session 63): the same words from
   ``stockpile run``, ``run --report``, ``report`` and the Python API,
   each front end adding its own advice (the API none).
2. A sweep's fixed value (``--set``, ``set=``) the scenario cannot take: said of the scenario file,
   keeping the class and the assignment of the error that refused it.
3. A ``--compare`` baseline: its own problem is named ``FILE: --compare: FIELD``; a change the baseline
   cannot take says so itself and is left as it is, known by its class, not by its words.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import simulator
from simulator.errors import InputError, Problem
from tests.helpers import TINY_SCENARIO_TEXT, invoke
from tests.test_input_limits import many_regions

REFUSED_73 = "regions: figures tell at most 72 regions apart and this scenario has 73"
"""73 regions, one more than the 18 colours x 4 line styles a figure tells apart (``many_regions(73, 10)``:
the one-region scenario with its region copied as ``r0`` to ``r72``, 10 days)."""


def written(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# --- 1: too many regions to draw ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("command", "advice"),
    [
        (["run", "{path}", "-o", "{out}"], "run with --no-plots"),
        (["run", "{path}", "--report", "-o", "{out}"], "the report draws them too (run without --report)"),
        (["report", "{path}", "-o", "{out}/r.html"], "the report cannot show them"),
    ],
)
def test_the_cli_refuses_73_regions_to_draw_with_its_advice(tmp_path, command, advice):
    path = written(tmp_path, "many.yaml", yaml.safe_dump(many_regions(73, 10)))
    out = tmp_path / "out"
    result = invoke(*(part.format(path=path, out=out) for part in command))
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {path}: {REFUSED_73}; {advice}\n"
    assert not out.exists()


def test_the_api_refuses_73_regions_to_draw_without_advice(tmp_path):
    with pytest.raises(InputError) as refused:
        simulator.report(many_regions(73, 10), path=tmp_path / "r.html")
    assert str(refused.value) == f"<scenario data>: {REFUSED_73}"
    ran = simulator.run(many_regions(73, 10))
    with pytest.raises(InputError) as refused:
        ran.figures()
    assert str(refused.value) == f"tiny: {REFUSED_73}"  # a run names its scenario by its name
    with pytest.raises(InputError) as refused:
        ran.write(tmp_path / "out")
    assert str(refused.value) == f"tiny: {REFUSED_73}"
    assert not (tmp_path / "out").exists()


# --- 2: a sweep's fixed value the scenario cannot take ------------------------------------------

NO_SUCH_SHOCK = "shocks.nope: no item with id 'nope' (ids: halt)"


def test_the_cli_names_the_scenario_file_for_a_fixed_value_it_cannot_take(tmp_path):
    path = written(tmp_path, "s.yaml", TINY_SCENARIO_TEXT)
    result = invoke("sweep", path, "--set", "shocks.nope.end=3", "--grid", "horizon_days=10,20", "-o", tmp_path / "out")
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {path} [set shocks.nope.end=3]: {NO_SUCH_SHOCK}\n"  # as run says it (s57)


def test_the_api_names_the_scenario_file_for_a_fixed_value_it_cannot_take_keeping_its_class(tmp_path):
    from simulator.scenario.overrides import OverrideError

    path = written(tmp_path, "s.yaml", TINY_SCENARIO_TEXT)
    with pytest.raises(InputError) as refused:
        simulator.sweep(str(path), grid={"horizon_days": [10, 20]}, set={"shocks.nope.end": 3})
    assert str(refused.value) == f"{path} [set shocks.nope.end=3]: {NO_SUCH_SHOCK}"  # as simulator.run says it
    assert refused.value.source == f"{path} [set shocks.nope.end=3]"
    assert isinstance(refused.value, OverrideError)  # as apply_overrides raised it, said of the file
    assert refused.value.assignment == ("shocks.nope.end", 3)


# --- 3: the --compare baseline ------------------------------------------------------------------

TWO_MATERIALS = TINY_SCENARIO_TEXT.replace(
    "  ree: {price_usd_per_kg: 50}\n", "  ree: {price_usd_per_kg: 50}\n  co: {}\n"
)
TWO_MATERIALS = TWO_MATERIALS.replace(
    "      ree: {china: 1.0}\n", "      ree: {china: 1.0}\n      co: {china: 1.0}\n"
).replace(
    "      ree: {tonnes_per_day: 10}\n", "      ree: {tonnes_per_day: 10}\n      co: {tonnes_per_day: 1}\n"
)  # japan uses co: sourcing without demand would be noted before the refusal this file is about


@pytest.mark.parametrize("command", ["run", "report"])
def test_a_malformed_compare_baseline_is_named_as_the_compare_baseline(tmp_path, command):
    mine = written(tmp_path, "s.yaml", TINY_SCENARIO_TEXT)
    baseline = written(tmp_path, "base.yaml", TINY_SCENARIO_TEXT.replace("horizon_days: 40", "horizon_days: 0"))
    out = tmp_path / "out"
    result = invoke(command, mine, "--compare", baseline, "-o", out if command == "run" else out / "r.html")
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {baseline}: --compare: horizon_days: must be >= 1\n"
    assert not out.exists()


TWO_SUPPLIERS = TINY_SCENARIO_TEXT.replace(
    "  china: {lead_time_days: {japan: 5}}\n",
    "  china: {lead_time_days: {japan: 5}}\n  aus: {lead_time_days: {japan: 5}}\n",
).replace("      ree: {china: 1.0}\n", "      ree: {china: 0.5, aus: 0.5}\n")


@pytest.mark.parametrize(
    ("text", "change", "refusal"),
    [
        # a material the baseline lacks
        (TWO_MATERIALS, "materials.co={price_usd_per_kg: 9}", "materials.co: the baseline has no material 'co'"),
        # valid in the run, it makes the baseline's shares (china alone) sum to 0.5
        (
            TWO_SUPPLIERS,
            "regions.japan.sourcing.ree.china=0.5",
            "regions.japan.sourcing.ree: shares must sum to 1 (they sum to 0.5, 0.5 short)",
        ),
    ],
    ids=["a-material-it-lacks", "a-value-invalid-there"],
)
def test_a_change_the_compare_baseline_cannot_take_is_said_as_it_is(tmp_path, text, change, refusal):
    mine = written(tmp_path, "mine.yaml", text)
    baseline = written(tmp_path, "base.yaml", TINY_SCENARIO_TEXT)
    out = tmp_path / "out"
    result = invoke("run", mine, "--compare", baseline, "--set", change, "-o", out)
    assert result.exit_code == 2, result.output
    assert result.output == (
        f"error: {baseline}: {refusal} "
        "(--set applies to the --compare baseline too; compare with a baseline that has it)\n"
    )
    assert not out.exists()


def test_a_change_refused_by_the_baseline_is_known_by_its_class_not_its_words():
    """Reworded, a change's refusal is still left as it is; another problem is named the baseline's whatever it says."""
    from simulator.cli import _as_baseline
    from simulator.errors import ChangeRefusedError, setting

    reworded = ChangeRefusedError([Problem("materials.co", "the baseline lacks it")], "base.yaml")
    with pytest.raises(ChangeRefusedError) as left, _as_baseline():
        raise reworded
    assert str(left.value) == "base.yaml: materials.co: the baseline lacks it"
    naming_the_option = InputError([Problem("horizon_days", f"must be >= 1 (see {setting('compare')})")], "base.yaml")
    with pytest.raises(InputError) as named, _as_baseline():
        raise naming_the_option
    assert str(named.value) == "base.yaml: --compare: horizon_days: must be >= 1 (see --compare)"


WHOLE_AND_INSIDE = [("materials.co", {"price_usd_per_kg": 9}), ("materials.co.price_usd_per_kg", 10)]


def test_with_changes_refuses_a_change_by_its_class_and_an_invalid_baseline_by_another(tmp_path):
    from simulator.errors import ChangeRefusedError
    from simulator.scenario.changes import changes_of, with_changes
    from simulator.scenario.load import load_raw

    mine = written(tmp_path, "two.yaml", TWO_MATERIALS)
    good = load_raw(written(tmp_path, "base.yaml", TINY_SCENARIO_TEXT))
    bad = {**good, "horizon_days": 0}
    whole, inside = (changes_of(load_raw(mine), [change]) for change in WHOLE_AND_INSIDE)
    for changes in (whole, inside):  # a material the baseline lacks: set whole, or a field inside it
        with pytest.raises(ChangeRefusedError):
            with_changes(good, changes, "base.yaml")
    with pytest.raises(InputError) as invalid:  # the baseline's own problem comes first
        with_changes(bad, inside, "base.yaml")
    assert not isinstance(invalid.value, ChangeRefusedError)
    with pytest.raises(InputError) as invalid:
        with_changes(bad, [], "base.yaml")
    assert not isinstance(invalid.value, ChangeRefusedError)
    assert str(invalid.value) == "base.yaml: horizon_days: must be >= 1"
