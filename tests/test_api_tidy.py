"""The API as dir() shows it: only public names; refusals that
say what is allowed or where a scenario was looked for, and dtypes as the docs give them."""

from __future__ import annotations

import pytest

import simulator
from tests.helpers import TWO_MEMBERS


def test_a_run_result_holds_its_values_and_stays_frozen():
    import dataclasses

    with pytest.warns(UserWarning, match="the other members' ratios are rescaled to what is left: eu 0.7"):
        result = simulator.run(TWO_MEMBERS, set={"agreement.ratio.japan": 0.3})
    assert result.data["agreement"]["ratio"]["japan"] == 0.3
    assert [(c.path, c.value, c.was) for c in result.changes] == [("agreement.ratio.japan", 0.3, 0.5)]
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.data = None
    assert simulator.run(TWO_MEMBERS).changes == ()


def test_dir_lists_the_public_names_and_not_the_package_s_own_helpers():
    names = set(dir(simulator))
    assert set(simulator.__all__) <= names
    assert names.isdisjoint({"Any", "CALLABLE_MODULES", "importlib", "sys", "types", "TYPE_CHECKING", "annotations"})


def test_an_engine_other_than_the_reference_is_refused_saying_which_one_runs():
    with pytest.raises(simulator.InputError) as refused:
        simulator.run(TWO_MEMBERS, engine="fast")
    assert "engine: 'fast' cannot run a single scenario; only 'reference' (the SimPy engine) can" in str(refused.value)


def test_a_bare_name_found_nowhere_says_where_it_was_looked_for(tmp_path, monkeypatch):
    from simulator.library import shipped_library

    monkeypatch.chdir(tmp_path)  # ./scenarios is then not the shipped library
    with pytest.raises(simulator.ScenarioError) as refused:
        simulator.run("no_such")
    assert str(refused.value) == (
        f"no_such: file not found here, nor as no_such.yaml or no_such.yml in ./scenarios "
        f"({tmp_path.resolve() / 'scenarios'}) or the shipped library ({shipped_library().resolve()})"
    )


def test_point_run_and_seed_are_int64_and_the_whole_number_metrics_int64_with_na_as_the_docs_say():
    from tests.test_sweep import STOCHASTIC

    with pytest.warns(UserWarning, match="leave the members' total shortfall the same"):  # the ratio moves who is short
        table = simulator.sweep(STOCHASTIC, grid={"agreement.ratio.japan": [0.2, 0.8]}, runs=2, workers=1)
    plain = {str(c) for c in table.columns if str(table[c].dtype) == "int64"}
    assert plain == {"point", "run", "seed"}
    assert str(table["shortfall_days.japan"].dtype) == "Int64"
    doc = " ".join(simulator.sweep.__doc__.split())
    assert "``point``, ``run`` and ``seed`` are ``int64`` (never missing)" in doc
