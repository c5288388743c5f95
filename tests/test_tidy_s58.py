"""Session 58 tidying: one JSON reader, a sweep spec's paths, one parse of sensitivity's --set, a file named with a
trailing slash."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import simulator.scenario
from simulator.errors import InputError
from simulator.gate.baseline import read_baseline
from simulator.json_text import NestedTooDeeply, read_json
from simulator.sweep.grid import Axis, SweepSpec
from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

PACKAGE = Path(__file__).resolve().parent.parent / "simulator"
DEEP_JSON = "[" * 100_000 + "]" * 100_000
"""Valid JSON that Python's reader cannot read: it stops with a RecursionError, not a JSONDecodeError."""


# --- one JSON reader ----------------------------------------------------------------------------


def test_json_nested_past_reading_is_a_value_error_with_its_words():
    with pytest.raises(ValueError, match=r"^lists or objects nested too deeply to read$") as caught:
        read_json(DEEP_JSON.encode())
    assert isinstance(caught.value, NestedTooDeeply)
    assert read_json(b'{"a": [1, 2.5]}') == {"a": [1, 2.5]}


def test_a_baseline_nested_past_reading_says_so_in_the_readers_words(tmp_path):
    """It said Python's 'maximum recursion depth exceeded while decoding a JSON array from a unicode string'."""
    path = tmp_path / "deep.json"
    path.write_text(DEEP_JSON)
    with pytest.raises(InputError) as caught:
        read_baseline(path)
    assert str(caught.value) == f"{path}: corrupt baseline: lists or objects nested too deeply to read"


def test_no_read_catches_recursion_error_but_the_json_reader_and_the_yaml_reader():
    """Every JSON read goes through read_json, whose ValueError the reads catch; strict YAML is its own reader."""
    catching = sorted(
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if re.search(r"except\b[^:\n]*\bRecursionError\b", path.read_text())
    )
    assert catching == ["json_text.py", "scenario/strict_yaml.py"]


# --- a sweep spec's paths -------------------------------------------------------------------------


def test_a_sweep_specs_paths_are_its_axes_paths_in_order_repeats_kept():
    spec = SweepSpec((Axis("regions.eu.reserve.ree.days", (1, 2)), Axis("seed", (3,)), Axis("horizon_days", (4,))))
    assert spec.paths == ["regions.eu.reserve.ree.days", "seed", "horizon_days"]
    twice = SweepSpec((Axis("horizon_days", (1,)), Axis("seed", (2,)), Axis("horizon_days", (3,))))
    assert twice.paths == ["horizon_days", "seed", "horizon_days"]
    assert twice.repeated_paths() == ["horizon_days"]
    assert SweepSpec(()).paths == []


# --- sensitivity parses its --set pairs once ------------------------------------------------------


def test_sensitivity_parses_each_set_once(tmp_path, monkeypatch):
    """Two --set, two parses (it parsed each twice: once for the fixed paths, once inside load_checked).

    The tiny scenario declares no uncertain inputs: refused (exit 2) once the pairs are applied, before any run.
    """
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY_SCENARIO_TEXT)
    parsed: list[str] = []
    parse = simulator.scenario.parse_assignment

    def counted(text: str):
        parsed.append(text)
        return parse(text)

    monkeypatch.setattr(simulator.scenario, "parse_assignment", counted)
    sets = ("horizon_days=30", "regions.japan.demand.ree.tonnes_per_day=12")
    result = invoke("sensitivity", scenario, "--samples", 8, "--set", sets[0], "--set", sets[1], "-o", tmp_path / "o")
    assert_bad_input(result, "the scenario declares no uncertain inputs")
    assert parsed == list(sets)
