"""The uncertain: block: its schema, where its paths lead, and values from quantiles (worked by hand)."""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import pytest
import yaml

from simulator.errors import ScenarioError
from simulator.scenario import load_scenario, validate_data
from simulator.scenario.uncertain import Input, inputs_of, values_at
from tests.helpers import SCENARIOS, TWO_MEMBERS, build, no_traceback


def with_uncertain(*entries, base=TWO_MEMBERS):
    return build(base, uncertain=list(entries))


def problems(data) -> str:
    with pytest.raises(ScenarioError) as caught:
        validate_data(data, "s.yaml")
    return caught.value.render()


def entry(**fields):
    return {"path": "regions.eu.demand.ree.tonnes_per_day", "source": "assumption", **fields}


# --- schema: both sides of each boundary ------------------------------------------------------


def test_a_uniform_range_needs_low_below_high():
    assert validate_data(with_uncertain(entry(low=70, high=90)), "s").uncertain[0].high == 90
    text = problems(with_uncertain(entry(low=90, high=90)))
    assert "uncertain.0: need low < high (the entry on regions.eu.demand.ree.tonnes_per_day)" in text


def test_a_triangular_range_needs_its_mode_inside():
    ok = entry(distribution="triangular", low=70, mode=70, high=90)
    assert validate_data(with_uncertain(ok), "s").uncertain[0].mode == 70
    assert "low <= mode <= high" in problems(with_uncertain(entry(distribution="triangular", low=70, mode=95, high=90)))


def test_bounds_are_finite_numbers_or_dates_of_one_kind():
    assert "finite number" in problems(with_uncertain(entry(low=float("nan"), high=1)))
    assert "finite number" in problems(with_uncertain(entry(low=0, high=float("inf"))))
    assert "must be a number, not true/false" in problems(with_uncertain(entry(low=True, high=2)))
    mixed = entry(path="shocks.halt.end", low=10, high="2011-01-01")
    assert "every bound as a number or every bound as a date" in problems(with_uncertain(mixed))


def test_a_lognormal_needs_a_positive_mean_and_sd():
    assert "sd: must be > 0" in problems(with_uncertain(entry(distribution="lognormal", mean=80, sd=0)))
    assert validate_data(with_uncertain(entry(distribution="lognormal", mean=80, sd=1e-3)), "s").uncertain


def test_a_discrete_set_needs_two_different_values():
    assert "at least 2" in problems(with_uncertain(entry(values=[80])))
    assert "a value is given twice" in problems(with_uncertain(entry(values=[80, 80])))
    assert validate_data(with_uncertain(entry(values=[80, 90])), "s").uncertain[0].values == [80, 90]


def test_an_entry_without_a_range_or_a_source_is_refused():
    assert "give low/high (uniform)" in problems(with_uncertain(entry(distribution="beta", low=0, high=1)))
    assert "give the source of the range" in problems(with_uncertain(entry(low=70, high=90, source=" ")))
    assert "is not a dotted path" in problems(with_uncertain(entry(path="regions eu", low=70, high=90)))


# --- paths: they must lead to a field that can take the range ----------------------------------


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("regions.eu.demand.ree.tonnes", "'regions.eu.demand.ree.tonnes' is not a field"),
        ("shocks.storm.severity", "no item with id 'storm'"),
        ("shocks.3.severity", "index 3 out of range"),
        ("regions.india.demand", "no 'india' at 'regions.india'"),
        ("agreement.mechanism", "holds 'fair_ratio'"),
        ("regions.eu.demand.ree", "holds Demand"),
        ("name", "'name' is not a model input"),
    ],
)
def test_a_path_that_cannot_take_the_range_is_an_error_naming_it(path, message):
    text = problems(with_uncertain(entry(path=path, low=1, high=2)))
    assert "s.yaml: uncertain.0.path: " in text and message in text


def test_each_path_is_uncertain_once():
    text = problems(with_uncertain(entry(low=70, high=90), entry(low=60, high=90)))
    assert "uncertain.1.path: 'regions.eu.demand.ree.tonnes_per_day' is already uncertain.0" in text


@pytest.mark.parametrize("order", ["mapping first", "key first"])
def test_a_mapping_and_one_of_its_keys_are_not_both_uncertain(order):
    """Both would write the same sample column and the same field: the later one used to win silently."""
    mapping = entry(path="regions.eu.demand.ree", values=[{"tonnes_per_day": 80}, {"tonnes_per_day": 90}])
    key = entry(low=70, high=90)
    first, second = (mapping, key) if order == "mapping first" else (key, mapping)
    text = problems(with_uncertain(first, second))
    assert f"uncertain.1.path: '{second['path']}' and uncertain.0 ('{first['path']}') overlap" in text


def test_a_mapping_over_two_uncertain_keys_names_the_first_and_a_longer_name_is_no_key():
    """Overlaps are found by the dotted paths a path lies inside: ``ree`` holds ``ree.noise_cv``,
    not a field whose name merely begins with ``ree``; the earliest overlapping entry is named."""
    level, noise = entry(low=70, high=90), entry(path="regions.eu.demand.ree.noise_cv", low=0.0, high=0.1)
    mapping = entry(path="regions.eu.demand.ree", values=[{"tonnes_per_day": 80}, {"tonnes_per_day": 90}])
    text = problems(with_uncertain(level, noise, mapping))
    assert "uncertain.2.path: 'regions.eu.demand.ree' and uncertain.0 ('regions.eu.demand.ree.tonnes_per_day')" in text
    assert "uncertain.1.path" not in text  # two keys of one mapping do not overlap
    longer = entry(path="regions.eu.demand.ree.tonnes_per_day_x", low=1, high=2)
    text = problems(with_uncertain(level, longer))
    assert "uncertain.1.path: no such field in the scenario" in text and "overlap" not in text


def test_paths_reach_list_items_by_id_and_index_and_fields_left_at_their_default():
    data = with_uncertain(
        entry(path="shocks.halt.end", low=100, high=200),
        entry(path="shocks.0.start", low=-100, high=-50),
        entry(path="agreement.decision_lag_days", low=0, high=10),  # not written: its default, 0
        entry(path="agreement.mechanism", values=["fair_ratio", "proportional"]),
    )
    found = inputs_of(validate_data(data, "s"))
    assert [i.current for i in found] == [1000, -100, 0, "fair_ratio"]
    assert [i.kind for i in found] == ["int", "int", "int", "any"]


# --- values from quantiles ---------------------------------------------------------------------


def item(current=80.0, **fields) -> Input:
    data = with_uncertain(entry(**fields))
    return Input(validate_data(data, "s").uncertain[0], current)


def test_a_uniform_float_range_is_linear_in_the_quantile():
    assert values_at(item(low=60, high=100), np.array([0.0, 0.25, 1.0])) == [60.0, 70.0, 100.0]


def test_whole_numbers_from_a_uniform_range_are_equally_likely():
    # 7..9 has three whole numbers: thirds of the unit interval map to 7, 8 and 9
    lead = item(current=5, low=7, high=9)
    assert values_at(lead, np.array([0.0, 0.33, 0.34, 0.66, 0.67, 1.0])) == [7, 7, 8, 8, 9, 9]


def test_dates_are_whole_days():
    end = item(current=1000, low="2011-01-01", high="2011-01-03")
    assert values_at(end, np.array([0.0, 0.5, 1.0])) == [dt.date(2011, 1, 1), dt.date(2011, 1, 2), dt.date(2011, 1, 3)]


def test_a_triangular_range_follows_its_inverse_distribution():
    # mode at low: F(x) = 1 - (1 - x)^2 on [0, 1], so the quantile at u is 1 - sqrt(1 - u)
    tri = item(distribution="triangular", low=0, mode=0, high=1)
    assert values_at(tri, np.array([0.0, 0.75, 1.0])) == pytest.approx([0.0, 0.5, 1.0])
    # symmetric on [0, 2]: the median is the mode, a quarter of the mass lies below 2 - sqrt(2)... at u=1/8: 0.5
    sym = item(distribution="triangular", low=0, mode=1, high=2)
    assert values_at(sym, np.array([0.125, 0.5, 0.875])) == pytest.approx([0.5, 1.0, 1.5])


def test_a_lognormal_has_its_median_at_the_middle_quantile_and_finite_tails():
    # mean 1, sd 1: sigma^2 = ln 2, mu = -ln 2 / 2, so the median exp(mu) = 1 / sqrt(2)
    logn = item(distribution="lognormal", mean=1, sd=1)
    low, median, high = values_at(logn, np.array([0.0, 0.5, 1.0]))
    assert median == pytest.approx(1 / math.sqrt(2))
    assert 0 < low < median < high < math.inf


def test_a_discrete_set_splits_the_unit_interval_equally():
    choice = item(values=[60, 80, 100])
    assert values_at(choice, np.array([0.0, 0.33, 0.34, 0.99, 1.0])) == [60, 60, 80, 100, 100]


# --- the shipped scenarios -----------------------------------------------------------------------


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_shipped_scenario_declares_its_uncertain_inputs(path):
    scenario = load_scenario(path)
    assert len(scenario.uncertain) >= 5
    raw = yaml.safe_load(path.read_text())
    assert all(e.get("source") for e in raw["uncertain"])


# --- every ASSUMPTION of the shipped scenarios has a range --------------------------------------


def _key_lines(text: str) -> dict[int, str]:
    """Line (0-based) of every key of a YAML document -> its dotted path (list items by id or index)."""
    found: dict[int, str] = {}

    def walk(node: yaml.Node, path: list[str]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                found.setdefault(key.start_mark.line, ".".join([*path, key.value]))
                walk(value, [*path, key.value])
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                pairs = item.value if isinstance(item, yaml.MappingNode) else []
                ident = next((v.value for k, v in pairs if k.value == "id"), None)
                step = [*path, ident if isinstance(ident, str) else str(i)]
                if isinstance(item, yaml.ScalarNode):
                    found.setdefault(item.start_mark.line, ".".join(step))
                walk(item, step)

    walk(yaml.compose(text), [])
    return found


def assumed_fields(text: str) -> list[tuple[int, str]]:
    """(line, path) of the field each ``# ASSUMPTION`` comment is about.

    A comment after a value is about that value; a comment on lines of its own is about
    the next key; ``# key: none. ASSUMPTION`` is about the absent ``key`` of the mapping
    the comment sits in.
    """
    lines = text.splitlines()
    keys = _key_lines(text)
    found = []
    for i, line in enumerate(lines):
        if (
            "ASSUMPTION" not in line
            or "#" not in line
            or "marked ASSUMPTION" in line
            or line.startswith("  # The range")
        ):
            continue
        code = line.split("#", 1)[0].strip()
        absent = re.match(r"(\s*)#\s*([a-z_]+):\s*none", line)
        if code and code != "-":
            found.append((i + 1, keys[i]))
        elif absent:
            indent, j = len(absent.group(1)), i - 1
            while (
                not lines[j].strip()
                or lines[j].lstrip().startswith("#")
                or len(lines[j]) - len(lines[j].lstrip()) >= indent
            ):
                j -= 1
            found.append((i + 1, f"{keys[j]}.{absent.group(2)}"))
        else:
            j = i + 1
            while not lines[j].strip() or lines[j].lstrip().startswith("#"):
                j += 1
            found.append((i + 1, keys[j]))
    return found


def test_the_comment_reader_finds_the_field_of_each_kind_of_comment():
    text = (
        "a:\n"
        "  b: 1   # ASSUMPTION [X1]\n"
        "  # ASSUMPTION: about c\n"
        "  # (more words)\n"
        "  c: {days: 5}\n"
        "  # d: none. ASSUMPTION: no d\n"
        "shocks:\n"
        "  - id: halt\n"
        "    # ASSUMPTION: severity\n"
        "    severity: 1.0\n"
    )
    assert assumed_fields(text) == [(2, "a.b"), (3, "a.c"), (6, "a.d"), (9, "shocks.halt.severity")]


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.name)
def test_every_assumption_in_a_shipped_scenario_has_an_uncertain_entry(path):
    text = path.read_text()
    entries = [e["path"] for e in yaml.safe_load(text)["uncertain"]]

    def covered(field: str) -> bool:  # an entry on the field, inside it, or on a mapping holding it
        return any(e == field or e.startswith(field + ".") or field.startswith(e + ".") for e in entries)

    missing = [f"line {line}: {field}" for line, field in assumed_fields(text) if not covered(field)]
    assert not missing, f"{path.name}: ASSUMPTION without an uncertain: entry: {missing}"


def test_validate_refuses_a_discrete_value_the_field_cannot_take(tmp_path):
    from tests.helpers import invoke

    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 0, "end": 9}
    data = build(TWO_MEMBERS, shocks=[halt])
    data["uncertain"] = [{"path": "shocks.halt.on_halt", "values": ["held", "kept"], "source": "assumption"}]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data))
    result = invoke("validate", path)
    assert result.exit_code == 2 and no_traceback(result)
    assert f"{path}: uncertain.0: shocks.halt.on_halt='kept' is not valid: shocks.halt.on_halt:" in result.output
    data["uncertain"][0]["values"] = ["held", "lost"]
    path.write_text(yaml.safe_dump(data))
    assert invoke("validate", path).exit_code == 0


def test_a_stocks_two_units_are_not_both_uncertain():
    """A sample sets one unit of a stock and removes the other: the second entry's samples would undo the first's."""
    days = entry(path="regions.eu.commercial_stock.ree.days", low=10, high=30)
    tonnes = entry(path="regions.eu.commercial_stock.ree.tonnes", low=100, high=300)
    text = problems(with_uncertain(days, tonnes))
    assert (
        "uncertain.1.path: 'regions.eu.commercial_stock.ree.tonnes' and uncertain.0 "
        "('regions.eu.commercial_stock.ree.days') are one stock in two units" in text
    )
