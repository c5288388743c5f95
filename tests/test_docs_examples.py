"""The worked examples of docs/writing-scenarios.md give the numbers their tables show.

An example is a ``yaml`` block holding a complete scenario (it has ``horizon_days:``)
followed, before the next ``yaml`` block, by a Markdown table whose first column is
``day``. Each row gives a day or a range of days (``15–24``: every day from 15 to 24)
and, per column, the value of that ``timeseries.csv`` column on those days (empty:
not stated). A column ``arrivals_t (eu)`` is region ``eu``'s; a bare column belongs to
the scenario's only region. The numbers in the tables are worked out by hand in the
text beside them; this test keeps the page and the model in agreement.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from simulator.engine import simulate
from simulator.scenario import validate_data

PAGE = Path(__file__).resolve().parent.parent / "docs" / "writing-scenarios.md"
YAML_BLOCK = re.compile(r"^```yaml\n(.*?)^```", re.M | re.S)
HEADER = re.compile(r"^(\w+)(?: \((\w+)\))?$")
DAYS = re.compile(r"^(\d+)(?:[–-](\d+))?$")


def examples() -> list[tuple[str, dict, list[str]]]:
    """(name, scenario data, table lines) of every example with a ``day`` table."""
    text = PAGE.read_text(encoding="utf-8")
    found = []
    matches = list(YAML_BLOCK.finditer(text))
    for i, match in enumerate(matches):
        if not re.search(r"^horizon_days:", match.group(1), re.M):
            continue
        tail = text[match.end() : matches[i + 1].start() if i + 1 < len(matches) else len(text)]
        lines = tail.splitlines()
        start = next((k for k, line in enumerate(lines) if re.match(r"^\|\s*day\s*\|", line)), None)
        if start is None:
            continue
        table = []
        for line in lines[start:]:
            if not line.startswith("|"):
                break
            table.append(line)
        data = yaml.safe_load(match.group(1))
        found.append((data["name"], data, table))
    return found


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


EXAMPLES = examples()


def test_the_page_has_an_example_for_every_border_mechanism_and_the_path():
    names = {name for name, _, _ in EXAMPLES}
    expected = {
        "held_cargo",
        "leak",
        "quota_pro_rata",
        "quota_preference",
        "quota_contracts_first",
        "licences",
        "dependency_path",
        "capacity_ramp",
        "measured_loss",
    }
    assert expected <= names
    text = {name: yaml.safe_dump(data) for name, data, _ in EXAMPLES}
    assert "release_days" in text["held_cargo"] and "leak_share" in text["leak"]
    assert "smuggling_share" in text["quota_pro_rata"] and "preference" in text["quota_preference"]
    assert "contracts_first" in text["quota_contracts_first"]
    assert "distribution" in text["licences"] and "suspended" in text["licences"]
    assert "ramp_days" in text["capacity_ramp"]
    assert "switch_on: measured_loss" in text["measured_loss"]


@pytest.mark.parametrize(("name", "data", "table"), EXAMPLES, ids=[name for name, _, _ in EXAMPLES])
def test_a_documented_example_gives_the_numbers_in_its_table(name, data, table):
    result = simulate(validate_data(data, name))
    ts = result.timeseries
    regions = list(data["regions"])
    header = cells(table[0])
    assert header[0] == "day"
    columns = []
    for cell in header[1:]:
        match = HEADER.match(cell)
        assert match, f"{name}: bad column header '{cell}'"
        column, region = match.group(1), match.group(2)
        if region is None:
            assert len(regions) == 1, f"{name}: '{column}' needs a region"
            region = regions[0]
        assert column in ts.columns, f"{name}: no column {column}"
        columns.append((column, region))
    checked = 0
    for line in table[2:]:
        row = cells(line)
        days = DAYS.match(row[0])
        assert days, f"{name}: bad day range '{row[0]}'"
        first = int(days.group(1))
        last = int(days.group(2) or first)
        for (column, region), value in zip(columns, row[1:], strict=True):
            if not value:
                continue
            series = ts[ts["region"] == region].set_index("day")[column]
            got = series.loc[first:last].to_numpy()
            assert len(got) == last - first + 1, f"{name}: days {row[0]} outside the horizon"
            want = float(value.replace(",", ""))
            assert np.allclose(got, want, atol=1e-9), f"{name}: {column} ({region}) on days {row[0]}: {got} != {want}"
            checked += 1
    assert checked >= 4, f"{name}: the table checks too little"
