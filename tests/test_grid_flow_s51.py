"""``--grid PATH=SPEC`` takes a YAML flow list of values or one mapping, as ``--set`` reads them (audit s51, item 8).

The value was split at every comma before it was read, so ``{japan: 0.3, eu: 0.7}`` was refused
as malformed YAML ("the mapping opened with '{' here is never closed") and a mapping such as a
release cap per material could not be swept from the command line.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.errors import InputError, setting
from simulator.sweep.grid import parse_axis, parse_values
from tests.test_sweep import invoke, write

TWO_RATIOS = "[{japan: 0.3, eu: 0.7}, {japan: 0.5, eu: 0.5}]"


def test_a_flow_list_gives_its_items_as_values_and_a_mapping_is_one_value():
    assert parse_values(TWO_RATIOS, "agreement.ratio") == ({"japan": 0.3, "eu": 0.7}, {"japan": 0.5, "eu": 0.5})
    assert parse_axis("agreement.release_cap_t_per_day={light_ree: 15, heavy_ree: 0.3}").values == (
        {"light_ree": 15, "heavy_ree": 0.3},
    )
    assert parse_values("[0.2, 0.4]", "x") == (0.2, 0.4)  # the items, not one list value
    assert parse_values("[[japan], [japan, eu]]", "x") == (["japan"], ["japan", "eu"])  # list values: nested


def test_a_comma_list_of_flow_values_gives_each_as_a_value():
    """As the comma list of scalars (and as before, for values without commas inside)."""
    two = "{japan: 0.3, eu: 0.7},{japan: 0.5, eu: 0.5}"
    assert parse_values(two, "agreement.ratio") == ({"japan": 0.3, "eu": 0.7}, {"japan": 0.5, "eu": 0.5})
    assert parse_values("[japan], [japan, eu]", "x") == (["japan"], ["japan", "eu"])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[]", "no values given (an empty list)"),
        ("{japan: 0.3", "malformed YAML: line 1, column 1: the mapping opened with '{' here is never closed with '}'"),
    ],
)
def test_a_bad_flow_value_is_refused_naming_the_option(text, message):
    with pytest.raises(InputError) as caught:
        parse_values(text, "agreement.ratio")
    assert [(p.path, p.message) for p in caught.value.problems] == [(setting("grid", "agreement.ratio"), message)]


def test_a_sweep_over_ratio_mappings_runs_each_as_set_would(tmp_path):
    scenario = write(tmp_path)
    swept = invoke("sweep", scenario, "--grid", f"agreement.ratio={TWO_RATIOS}", "--runs", 2, "--no-plots",
                   "--workers", 1, "-o", tmp_path / "grid")  # fmt: skip
    assert swept.exit_code == 0, swept.output
    table = pd.read_parquet(tmp_path / "grid" / "sweep.parquet")
    assert len(table) == 4 and list(table["point"]) == [0, 0, 1, 1]
    for point, ratio in enumerate(["{japan: 0.3, eu: 0.7}", "{japan: 0.5, eu: 0.5}"]):
        out = tmp_path / f"set{point}"
        fixed = invoke("sweep", scenario, "--set", f"agreement.ratio={ratio}", "--runs", 2, "--no-plots",
                       "--workers", 1, "-o", out)  # fmt: skip
        assert fixed.exit_code == 0, fixed.output
        alone = pd.read_parquet(out / "sweep.parquet")
        rows = table[table["point"] == point].reset_index(drop=True)
        for column in ["seed", "total_shortfall_t", "shortfall_t.japan", "shortfall_t.eu"]:
            assert rows[column].tolist() == alone[column].tolist()
    # the two ratios give different shares: the axis was applied, not dropped
    assert (
        table.loc[table["point"] == 0, "shortfall_t.japan"].tolist()
        != table.loc[table["point"] == 1, "shortfall_t.japan"].tolist()
    )
