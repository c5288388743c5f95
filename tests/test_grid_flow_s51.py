"""``--grid PATH=SPEC`` is cut at its top-level commas only, each item one value read as ``--set`` reads it.

Audit s51, item 8: the value was split at every comma before it was read, so ``{japan: 0.3, eu: 0.7}``
was refused as malformed YAML and a mapping such as a release cap per material could not be swept
from the command line. Its first fix read a text opening with ``[`` as a flow list *of values*, which
broke the older reading (review s51, finding 2): ``--grid 'shocks.china_japan_halt.regions=[eu]'`` had
swept one value, the list ``['eu']``, and was then refused ("must be a list") for a value ``eu`` never
written, while ``[japan],[eu]`` still gave two lists. Now a comma inside ``[...]`` or ``{...}`` does not
cut, and ``[eu]`` is one list value, as ``--set`` reads it.
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.api.sweeps import _axes
from simulator.errors import InputError, setting
from simulator.sweep.grid import parse_axis, parse_values
from tests.helpers import ROOT
from tests.test_sweep import invoke, write

TWO_RATIOS = "{japan: 0.3, eu: 0.7},{japan: 0.5, eu: 0.5}"
REGIONS = "shocks.china_japan_halt.regions"
EMBARGO = ROOT / "scenarios" / "embargo_2010.yaml"


@pytest.mark.parametrize(
    ("text", "values"),
    [
        ("[eu]", (["eu"],)),  # one value, the list, as before 2aacc23
        ("[japan, eu]", (["japan", "eu"],)),  # the comma inside the list does not cut
        ("[japan],[eu]", (["japan"], ["eu"])),  # two values, each a list: the same reading as [eu]
        ("[japan], [japan, eu]", (["japan"], ["japan", "eu"])),
        ("[[japan], [japan, eu]]", ([["japan"], ["japan", "eu"]],)),  # one value, a list of lists
        ("[0.2, 0.4]", ([0.2, 0.4],)),  # one list, not the items 0.2 and 0.4 (that is 0.2,0.4)
        ("[]", ([],)),  # the empty list, as --set regions=[] sets it
        ("{light_ree: 15, heavy_ree: 0.3}", ({"light_ree": 15, "heavy_ree": 0.3},)),
        (TWO_RATIOS, ({"japan": 0.3, "eu": 0.7}, {"japan": 0.5, "eu": 0.5})),
        ("{a: [1, 2]}, {a: [3]}", ({"a": [1, 2]}, {"a": [3]})),  # nested brackets
        ("0.5,[eu],{a: 1}", (0.5, ["eu"], {"a": 1})),
        ("fair_ratio,auction", ("fair_ratio", "auction")),  # scalar lists and ranges as before
        ("0:1:0.5", (0.0, 0.5, 1.0)),
    ],
)
def test_each_top_level_item_is_one_value(text, values):
    assert parse_values(text, "x") == values


def test_the_grid_the_explorer_and_the_api_read_a_list_spec_alike():
    assert parse_axis(f"{REGIONS}=[eu]").values == (["eu"],)  # --grid, --axis, a sweep file's string
    assert _axes({REGIONS: "[eu]"}, 10)[0].values == (["eu"],)  # simulator.sweep(grid={path: "[eu]"})


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{japan: 0.3", "malformed YAML: line 1, column 1: the mapping opened with '{' here is never closed with '}'"),
        ("[japan],[eu", "malformed YAML: line 1, column 1: the list opened with '[' here is never closed with ']'"),
        ("{japan: 0.3, eu: 0.7},", "empty item in '{japan: 0.3, eu: 0.7},'"),  # as 0.3, is
    ],
)
def test_a_bad_flow_value_is_refused_naming_the_option(text, message):
    with pytest.raises(InputError) as caught:
        parse_values(text, "agreement.ratio")
    assert [(p.path, p.message) for p in caught.value.problems] == [(setting("grid", "agreement.ratio"), message)]


def test_a_sweep_of_one_list_value_runs_as_set_would(tmp_path):
    """Review s51 finding 2's command: one point, the run of ``--set`` with the same text."""
    swept = invoke("sweep", EMBARGO, "--grid", f"{REGIONS}=[eu]", "--workers", 1, "--no-plots", "-o", tmp_path / "g")
    assert swept.exit_code == 0, swept.output
    table = pd.read_parquet(tmp_path / "g" / "sweep.parquet")
    for out, sets in [("r", ("--set", f"{REGIONS}=[eu]")), ("b", ())]:  # as --set reads it; as written
        ran = invoke("run", EMBARGO, *sets, "--no-plots", "-o", tmp_path / out)
        assert ran.exit_code == 0, ran.output
    alone, before = (pd.read_csv(tmp_path / out / "summary.csv").set_index(["region", "material"]) for out in "rb")
    assert [list(value) for value in table[REGIONS]] == [["eu"]]  # one point, the list
    assert table["total_shortfall_t"].iloc[0] == alone["total_shortfall_t"].dropna().iloc[0]
    for column in ["min_days_of_cover", "peak_price_usd_per_kg", "demand_destroyed_t"]:
        for region in ["japan", "eu"]:
            assert table[f"{column}.{region}.light_ree"].iloc[0] == alone.loc[(region, "light_ree"), column]
    # the halt moved from Japan to the EU (days 82 to 119): the EU's cover is lowest after it starts and earlier
    # than in the scenario as written (day 354 there)
    eu = ("eu", "light_ree")
    assert 82 <= alone.loc[eu, "min_days_of_cover_day"] < before.loc[eu, "min_days_of_cover_day"]


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
