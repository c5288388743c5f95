"""Fuzzing the input: whatever a scenario file or a ``--set`` option says, the command ends
in exit 0 (valid: and then its numbers are finite) or exit 2 (bad input), never a traceback.

Mutations of a small valid scenario put generated YAML values at its fields, or at new
keys: plausible values (so that many runs stay valid and are run), numbers of every
magnitude and the non-finite ones, integers far too long,
booleans, dates real and impossible, deep nesting, duplicate keys, unicode text and
random structures. Examples are derandomized (the same on every machine and in CI) and
bounded in number, so the module runs in a few seconds.
"""

from __future__ import annotations

import copy
import itertools
import json
import math
import traceback
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.mechanisms import NAMES as MECHANISMS
from simulator.scenario.schema import (
    MAX_DAYS,
    MAX_FACTOR,
    MAX_GROWTH_PER_YEAR,
    MAX_NOISE_CV,
    MAX_TONNES,
    MAX_TONNES_PER_DAY,
    MAX_TRANSIT_DAYS,
    MAX_USD_PER_KG,
    MAX_USD_PER_T_YEAR,
    MIN_DEMAND_T_PER_DAY,
    MIN_GROWTH_PER_YEAR,
)
from tests.helpers import invoke, no_traceback

BASE: dict[str, Any] = {
    "name": "fuzz",
    "start_date": "2010-07-01",
    "horizon_days": 30,
    "seed": 1,
    "materials": {"ree": {"price_usd_per_kg": 50.0, "holding_cost_usd_per_t_year": 100.0}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 6}, "capacity_t_per_day": {"ree": 500.0}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 20.0, "growth_per_year": 0.05, "noise_cv": 0.1}},
            "commercial_stock": {"ree": {"days": 10}},
            "sourcing": {"ree": {"china": 1.0}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 40.0}},
            "commercial_stock": {"ree": {"tonnes": 300.0}},
            "reserve": {"ree": {"days": 5, "refill_t_per_day": 2.0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
    },
    "shocks": [
        {
            "id": "halt",
            "kind": "embargo",
            "supplier": "china",
            "regions": ["japan", "eu"],
            "start": "2010-07-05",
            "duration_days": {"distribution": "lognormal", "mean": 12, "sd": 4},
            "severity": {"distribution": "uniform", "low": 0.5, "high": 1.0},
        },
        {"id": "surge", "kind": "demand_surge", "start": 3, "end": 9, "factor": 1.2},
        {"id": "slow", "kind": "delay", "supplier": "china", "start": 0, "end": 5, "extra_days": 3},
    ],
    "agreement": {
        "members": ["japan", "eu"],
        "mechanism": "hybrid",
        "ratio": {"japan": 0.4, "eu": 0.6},
        "pool": {"contributions": {"japan": {"ree": {"tonnes": 100.0}}, "eu": {"ree": {"days": 3}}}},
        "auction": {"bids": {"japan": {"ree": [{"share": 1.0, "price_usd_per_kg": 80.0}]}}},
    },
}
FINITE_COLUMNS = ("demand_t", "supplied_t", "released_t", "shortfall_t", "commercial_stock_t", "reserve_stock_t")
COUNTER = itertools.count()


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every place in the data: each mapping value and list item, at any depth."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, (*prefix, key))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, (*prefix, index))
    return found


PLACES = paths(BASE)
DOTTED = sorted({".".join(str(p) for p in place) for place in PLACES} | {"shocks.halt.severity", "shocks.slow.end"})


def yaml_number(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    return repr(value)


def nested(depth: int, mapping: bool) -> str:
    return ("{a: " * depth + "1" + "}" * depth) if mapping else ("[" * depth + "]" * depth)


SCALARS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True).map(yaml_number),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.integers(min_value=1, max_value=6000).map(lambda digits: "9" * digits),
    st.sampled_from(["yes", "no", "on", "off", "true", "False", "null", "~", '""', "1e3", "-1E-7", "0x1F", "1_000"]),
    st.dates().map(lambda d: d.isoformat()),
    st.tuples(st.integers(0, 99999), st.integers(0, 99), st.integers(0, 99)).map(
        lambda ymd: f"{ymd[0]:04d}-{ymd[1]:02d}-{ymd[2]:02d}"
    ),
    st.text(max_size=30).map(json.dumps),
    st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=10),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)
PLAUSIBLE = st.one_of(
    st.integers(0, 100).map(str),
    st.floats(0, 1).map(repr),
    st.floats(0, 1e4).map(repr),
    st.sampled_from(["2010-08-01", "-3", "fair_ratio", "auction", "[japan]", "{tonnes: 50}", "{days: 20}", "null"]),
)
FRAGMENTS = st.one_of(
    PLAUSIBLE,
    PLAUSIBLE,
    PLAUSIBLE,
    SCALARS,
    st.tuples(st.integers(1, 200), st.booleans()).map(lambda args: nested(*args)),
    JSON_VALUES.map(json.dumps),
    st.sampled_from(["{a: 1, a: 2}", "{distribution: uniform, low: .nan, high: 1}", "{distribution: lognormal}"]),
    st.lists(SCALARS, min_size=1, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
)
NEW_KEYS = st.one_of(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True), st.text(min_size=1, max_size=12))


def traceback_of(result: Any) -> str:
    if result.exc_info is None:
        return result.output
    return result.output + "".join(traceback.format_exception(*result.exc_info))


def assert_exit_0_or_2(result: Any) -> None:
    assert result.exit_code in (0, 2), traceback_of(result)
    assert no_traceback(result)


def assert_finite_results(folder: Path) -> None:
    table = pd.read_csv(folder / "timeseries.csv")
    for column in FINITE_COLUMNS:
        assert np.isfinite(table[column].to_numpy(float)).all(), column
    json.loads((folder / "summary.json").read_text(), parse_constant=lambda word: pytest.fail(f"summary has {word}"))


def text_with(mutations: list[tuple[tuple[Any, ...], str]]) -> str:
    """The base scenario as YAML with each mutation's fragment written at its place."""
    data = copy.deepcopy(BASE)
    for n, (place, _) in enumerate(mutations):
        node = data
        for key in place[:-1]:
            node = node[key]
        node[place[-1]] = f"@@{n}@@"
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    for n, (_, fragment) in enumerate(mutations):
        text = text.replace(f"'@@{n}@@'", fragment, 1)
    return text


@st.composite
def mutations(draw: Any) -> list[tuple[tuple[Any, ...], str]]:
    """One to three places, distinct and none inside another, each with a new value."""
    chosen: list[tuple[tuple[Any, ...], str]] = []
    for _ in range(draw(st.sampled_from([1, 1, 2, 3]))):
        place = draw(st.sampled_from(PLACES))
        if draw(st.integers(0, 4)) == 0 and isinstance(_at(place[:-1]), dict):
            place = (*place[:-1], draw(NEW_KEYS))  # a new key beside an existing one
        if any(place[: len(other)] == other or other[: len(place)] == place for other, _ in chosen):
            continue
        chosen.append((place, draw(FRAGMENTS)))
    return chosen


def _at(place: tuple[Any, ...]) -> Any:
    node: Any = BASE
    for key in place:
        node = node[key]
    return node


FUZZ = settings(
    max_examples=100,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)


def test_the_base_scenario_is_valid_and_runs(tmp_path):
    path = tmp_path / "base.yaml"
    path.write_text(text_with([]))
    assert invoke("validate", path).exit_code == 0
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, traceback_of(result)
    assert_finite_results(tmp_path / "out")


@FUZZ
@given(mutations())
def test_a_mutated_scenario_file_validates_to_exit_0_or_2(tmp_path_factory, changes):
    folder = tmp_path_factory.mktemp("file")
    path = folder / "s.yaml"
    path.write_text(text_with(changes), encoding="utf-8")
    result = invoke("validate", path)
    assert_exit_0_or_2(result)


SET_PATHS = st.one_of(
    st.sampled_from(DOTTED),
    st.sampled_from(DOTTED),
    st.tuples(st.sampled_from(DOTTED), st.one_of(NEW_KEYS, st.integers(-5, 10**30).map(str))).map(".".join),
    st.text(max_size=20),
)


@settings(FUZZ, max_examples=50)
@given(st.lists(st.tuples(SET_PATHS, FRAGMENTS), min_size=1, max_size=2))
def test_generated_set_options_run_to_exit_0_or_2(tmp_path_factory, assignments):
    folder = tmp_path_factory.mktemp("set")
    path = folder / "s.yaml"
    path.write_text(text_with([]), encoding="utf-8")
    options = [item for path_text, value in assignments for item in ("--set", f"{path_text}={value}")]
    out = folder / f"out{next(COUNTER)}"
    # a short horizon keeps valid runs quick; the horizon's own limits are tested elsewhere
    result = invoke("run", path, "--no-plots", "-o", out, *options, "--set", "horizon_days=30")
    assert_exit_0_or_2(result)
    if result.exit_code == 0:
        assert_finite_results(out)


# Numbers of the base scenario and their stated ranges: any value within them must run to
# finite results (or be refused by a cross-field check, never crash or overflow).
IN_RANGE = {
    "regions.japan.demand.ree.tonnes_per_day": st.floats(0, MAX_TONNES_PER_DAY),
    "regions.eu.demand.ree.tonnes_per_day": st.floats(MIN_DEMAND_T_PER_DAY, MAX_TONNES_PER_DAY),
    "regions.japan.demand.ree.growth_per_year": st.floats(MIN_GROWTH_PER_YEAR, MAX_GROWTH_PER_YEAR),
    "regions.japan.demand.ree.noise_cv": st.floats(0, MAX_NOISE_CV),
    "regions.japan.commercial_stock.ree.days": st.floats(0, MAX_DAYS),
    "regions.eu.commercial_stock.ree.tonnes": st.floats(0, MAX_TONNES),
    "regions.eu.reserve.ree.days": st.floats(0, MAX_DAYS),
    "regions.eu.reserve.ree.refill_t_per_day": st.floats(0, MAX_TONNES_PER_DAY),
    "materials.ree.price_usd_per_kg": st.floats(0, MAX_USD_PER_KG),
    "materials.ree.holding_cost_usd_per_t_year": st.floats(0, MAX_USD_PER_T_YEAR),
    "suppliers.china.capacity_t_per_day.ree": st.floats(0, MAX_TONNES_PER_DAY),
    "suppliers.china.lead_time_days.japan": st.integers(1, MAX_TRANSIT_DAYS - 3),
    "shocks.surge.factor": st.floats(0, MAX_FACTOR),
    "shocks.slow.extra_days": st.integers(0, 3),
    "shocks.halt.severity": st.floats(0, 1),
    "agreement.pool.contributions.japan.ree.tonnes": st.floats(0, MAX_TONNES),
    "agreement.auction.bids.japan.ree.0.price_usd_per_kg": st.floats(0, MAX_USD_PER_KG),
    "agreement.ratio.japan": st.floats(0, 1),
    "agreement.mechanism": st.sampled_from(MECHANISMS),
    "agreement.pool.mode": st.just("national"),
    "agreement.release_cap_t_per_day.ree": st.floats(0, MAX_TONNES_PER_DAY),
    "regions.japan.procurement.replenishment": st.sampled_from(["{policy: order_up_to, safety_days: 3}"]),
    "regions.eu.procurement.resourcing.price_multiplier": st.floats(0, MAX_FACTOR),
}


@settings(FUZZ, max_examples=20)
@given(
    st.dictionaries(st.sampled_from(sorted(IN_RANGE)), st.just(None), min_size=1, max_size=5).flatmap(
        lambda chosen: st.fixed_dictionaries({path: IN_RANGE[path] for path in chosen})
    )
)
def test_numbers_within_their_limits_run_to_finite_results(tmp_path_factory, values):
    folder = tmp_path_factory.mktemp("range")
    path = folder / "s.yaml"
    path.write_text(text_with([]), encoding="utf-8")
    options = [item for key, value in values.items() for item in ("--set", f"{key}={value}")]
    out = folder / "out"
    result = invoke("run", path, "--no-plots", "-o", out, *options)
    assert_exit_0_or_2(result)
    if result.exit_code == 0:
        assert_finite_results(out)
