"""Output tables with one unit per column and typed sample tables.

- ``shocks.csv`` has a column per unit (``severity`` a share, ``extra_days`` days,
  ``demand_factor`` a multiple of normal demand, ``quota_t_per_period`` tonnes with its
  ``quota_period_days``, ``approval_share`` a share), each empty for the kinds it does not
  apply to, instead of one ``magnitude`` column whose unit changed with the kind.
- ``samples.parquet`` and ``uncertainty_samples.parquet`` hold the sampled inputs as typed
  columns: dates as ``datetime64[ms]``, whole numbers as ``int64``, numbers as ``float64``
  and a mapping as one number column per key (``<path>.<key>``), not text.

The values are worked out by hand from the scenario and the quantiles given.
"""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
import yaml
from openpyxl import load_workbook

from simulator.plots import shock_severity
from simulator.quantities import in_table
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import run_uncertainty
from tests.helpers import ONE_REGION, TWO_MEMBERS, build, invoke, run

UNIT_COLUMNS = [
    "severity",
    "leak_share",
    "extra_days",
    "demand_factor",
    "quota_t_per_period",
    "quota_period_days",
    "approval_share",
]
SHOCK_COLUMNS = ["id", "kind", "start_day", "end_day", "start_date", "last_date", *UNIT_COLUMNS]

WINDOW = {"start": 5, "end": 20}
EVERY_KIND = build(
    ONE_REGION,
    start_date="2010-07-01",
    shocks=[
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "severity": 0.5, **WINDOW},
        {"id": "cut", "kind": "quota_cut", "supplier": "china", "severity": 0.25, **WINDOW},
        {"id": "late", "kind": "delay", "supplier": "china", "regions": ["japan"], "extra_days": 14, **WINDOW},
        {"id": "rush", "kind": "demand_surge", "regions": ["japan"], "factor": 1.2, **WINDOW},
        {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 15125, "period_days": 184}
        | WINDOW,
        {"id": "licence", "kind": "licensing", "supplier": "china", "regions": ["japan"], "approval_share": 0.6}
        | WINDOW,
    ],
)
"""One shock of each kind, each with its size in its own unit."""

NAN = math.nan
EXPECTED_UNITS = {  # shock id: its values of UNIT_COLUMNS, in order
    "halt": (0.5, 0.0, NAN, NAN, NAN, NAN, NAN),  # an embargo states its leak, 0 when nothing leaks
    "cut": (0.25, NAN, NAN, NAN, NAN, NAN, NAN),
    "late": (NAN, NAN, 14.0, NAN, NAN, NAN, NAN),
    "rush": (NAN, NAN, NAN, 1.2, NAN, NAN, NAN),
    "quota": (NAN, NAN, NAN, NAN, 15125.0, 184, NAN),
    "licence": (NAN, NAN, NAN, NAN, NAN, NAN, 0.6),
}


# --- shocks.csv: a column per unit -------------------------------------------------------------


@pytest.fixture(scope="module")
def every_kind_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("kinds")
    path = folder / "kinds.yaml"
    path.write_text(yaml.safe_dump(EVERY_KIND, sort_keys=False))
    out = folder / "out"
    result = invoke("run", path, "-o", out, "--no-plots", "--excel")
    assert result.exit_code == 0, result.output
    return out


def test_shocks_csv_has_one_column_per_unit_each_empty_for_the_kinds_it_does_not_apply_to(every_kind_run):
    table = pd.read_csv(every_kind_run / "shocks.csv")
    assert list(table.columns) == SHOCK_COLUMNS
    assert "magnitude" not in table.columns
    for column in UNIT_COLUMNS:  # numbers only: a blank cell is NaN, never text
        assert table[column].dtype == np.float64, column
    rows = table.set_index("id")[UNIT_COLUMNS]
    for shock, expected in EXPECTED_UNITS.items():
        assert rows.loc[shock].tolist() == pytest.approx(list(expected), nan_ok=True), shock
    text = (every_kind_run / "shocks.csv").read_text().splitlines()
    # the quota's period is a whole number of days, written without a decimal point; blanks are empty cells
    assert text[5].endswith(",,,,,15125.0,184,")
    assert text[1].endswith(",0.5,0.0,,,,,")
    assert text[3].endswith(",,,14,,,,")  # whole days


def test_the_shock_columns_are_registered_in_the_order_written():
    assert [q.column_name for q in in_table("shocks", keys=True)] == SHOCK_COLUMNS
    units = {q.column_name: q.unit for q in in_table("shocks", keys=True)}
    assert [units[c] for c in UNIT_COLUMNS] == [
        "fraction",
        "fraction",
        "days",
        "x normal demand",
        "t per period",
        "days",
        "fraction",
    ]


def test_a_halt_that_leaks_states_its_leak_beside_its_severity():
    # a full halt of which 70% leaks (the fitted 2010 halt to Japan) stops 30% of the flow: both numbers are in the row
    halt = {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "severity": 1.0,
            "leak_share": 0.7, **WINDOW}  # fmt: skip
    row = run(build(ONE_REGION, shocks=[halt])).shocks.iloc[0]
    assert (row["severity"], row["leak_share"]) == (1.0, 0.7)


def test_the_python_table_types_the_unit_columns():
    result = run(EVERY_KIND)
    shocks = result.shocks.set_index("id")
    assert shocks.loc["quota", "quota_t_per_period"] == 15125.0
    assert pd.isna(shocks.loc["halt", "quota_t_per_period"])
    from simulator.api import run as api_run

    typed = api_run(EVERY_KIND).shocks
    assert str(typed["quota_period_days"].dtype) == "Int64" and str(typed["extra_days"].dtype) == "Int64"
    assert typed["quota_period_days"].tolist()[4] == 184 and typed["quota_period_days"].isna().sum() == 5
    assert typed["severity"].dtype == np.float64 and typed["severity"].tolist()[:2] == [0.5, 0.25]
    assert typed.attrs["units"]["demand_factor"] == "x normal demand"


def test_the_shock_labels_read_each_kinds_own_column():
    result = run(EVERY_KIND)
    labels = [shock_severity(result, k) for k in range(6)]
    assert labels == [
        "50% cut",
        "25% cut",
        "+14 days lead time",
        "demand \u00d71.2",
        "cap of 15,125 t of rare earths per 184 days on what Japan takes from China, pro rata to orders",
        "60% of licences approved after 45 days",
    ]


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        (
            {"sharing": "contracts_first"},
            "cap of 15,125 t of rare earths per 184 days on what they take from China together, normal flows first",
        ),
        (
            {"sharing": "preference", "preference": ["eu", "japan"]},
            "cap of 15,125 t of rare earths per 184 days on what they take from China together, "
            "EU, then Japan served first",
        ),
        (
            {"smuggling_share": 0.2},
            "cap of 15,125 t of rare earths per 184 days on what they take from China together, pro rata to orders, "
            "20% of what it stops smuggled",
        ),
    ],
)
def test_a_quota_label_says_how_it_is_shared(fields, label):
    quota = {"id": "quota", "kind": "export_quota", "supplier": "china", "tonnes_per_period": 15125}
    data = build(TWO_MEMBERS, shocks=[quota | {"period_days": 184, **WINDOW, **fields}])
    assert shock_severity(run(data), 0) == label


def test_the_workbook_shows_each_shock_column_with_its_unit(every_kind_run):
    sheet = load_workbook(every_kind_run / "workbook.xlsx")["Shocks"]
    header = [c.value for c in sheet[1]]
    assert header[6:] == [
        "severity (fraction)",
        "leak_share (fraction)",
        "extra_days (days)",
        "demand_factor (x normal demand)",
        "quota_t_per_period (t per period)",
        "quota_period_days (days)",
        "approval_share (fraction)",
    ]
    rows = {row[0].value: row for row in sheet.iter_rows(min_row=2)}
    halt, quota = rows["halt"], rows["quota"]
    assert halt[6].value == 0.5 and halt[6].number_format == "0.00%"
    assert halt[7].value == 0.0 and halt[7].number_format == "0.00%"  # an embargo's leak, none here
    assert [c.value for c in halt[8:]] == [None] * 5
    assert quota[10].value == 15125.0 and quota[11].value == 184


# --- typed sample tables ----------------------------------------------------------------------

SAMPLED = build(
    ONE_REGION,
    start_date="2010-07-01",
    **{"suppliers.recycler": {"lead_time_days": {"japan": 20}}},
    **{"regions.japan.sourcing.ree": {"china": 0.9, "recycler": 0.1}},
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 25}],
) | {  # set after the changes above: a change drops the uncertain entries under its path
    "uncertain": [
        {"path": "shocks.halt.end", "low": dt.date(2010, 7, 20), "high": dt.date(2010, 7, 29), "source": "test"},
        {"path": "suppliers.recycler.lead_time_days.japan", "low": 7, "high": 9, "source": "test"},
        {"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"},
        {
            "path": "regions.japan.sourcing.ree",
            "values": [{"china": 0.9, "recycler": 0.1}, {"china": 0.6, "recycler": 0.4}, {"china": 1.0}],
            "source": "test",
        },
        {"path": "shocks.halt.on_halt", "values": ["held", "lost"], "source": "test"},
        {"path": "shocks.halt.start", "values": [dt.date(2010, 7, 5), dt.date(2010, 7, 9)], "source": "test"},
    ]
}
"""One region with two suppliers and an embargo; six uncertain inputs, one of each kind of value."""

QUANTILES = np.array([0.0, 0.25, 0.5, 0.99, 1.0])


@pytest.fixture(scope="module")
def study():
    return plan_study(SAMPLED, "s.yaml", fixed=())


def values_at_quantiles(study) -> pd.DataFrame:
    """Every input at the same quantiles, one row per quantile."""
    unit = np.repeat(QUANTILES[:, None], len(study.inputs), axis=1)
    return study.values_table(study.points(unit))


def test_a_date_input_sampled_at_known_quantiles_gives_known_dates(study):
    table = values_at_quantiles(study)
    # ten days, 20 to 29 July, equally likely: quantile u gives day floor(10 u), the last for u = 1
    expected = ["2010-07-20", "2010-07-22", "2010-07-25", "2010-07-29", "2010-07-29"]
    assert str(table["shocks.halt.end"].dtype) == "datetime64[ms]"
    assert table["shocks.halt.end"].tolist() == [pd.Timestamp(d) for d in expected]
    # a discrete set of dates: the first for u < 1/2, the second from 1/2
    starts = ["2010-07-05", "2010-07-05", "2010-07-09", "2010-07-09", "2010-07-09"]
    assert str(table["shocks.halt.start"].dtype) == "datetime64[ms]"
    assert table["shocks.halt.start"].tolist() == [pd.Timestamp(d) for d in starts]


def test_whole_numbers_are_int64_and_other_numbers_float64(study):
    table = values_at_quantiles(study)
    lead = table["suppliers.recycler.lead_time_days.japan"]
    assert lead.dtype == np.int64 and lead.tolist() == [7, 7, 8, 9, 9]  # 7, 8, 9 alike: floor(3 u)
    demand = table["regions.japan.demand.ree.tonnes_per_day"]
    assert demand.dtype == np.float64 and demand.tolist() == [5.0, 7.5, 10.0, 14.9, 15.0]


def test_a_mapping_expands_to_one_number_column_per_key_summing_as_the_mapping(study):
    table = values_at_quantiles(study)
    path = "regions.japan.sourcing.ree"
    assert path not in table.columns
    china, recycler = table[f"{path}.china"], table[f"{path}.recycler"]
    assert china.dtype == np.float64 and recycler.dtype == np.float64
    # three mappings: the first for u < 1/3, the second up to 2/3, the third (China alone) from 2/3
    assert china.tolist() == [0.9, 0.9, 0.6, 1.0, 1.0]
    assert recycler.tolist()[:3] == [0.1, 0.1, 0.4]
    assert recycler.isna().tolist() == [False, False, False, True, True]  # not in the third mapping
    assert table[[f"{path}.china", f"{path}.recycler"]].sum(axis=1).tolist() == pytest.approx([1.0] * 5)


def test_words_stay_text_and_columns_keep_the_declared_order(study):
    table = values_at_quantiles(study)
    assert table["shocks.halt.on_halt"].tolist() == ["held", "held", "lost", "lost", "lost"]
    assert list(table.columns) == [
        "shocks.halt.end",
        "suppliers.recycler.lead_time_days.japan",
        "regions.japan.demand.ree.tonnes_per_day",
        "regions.japan.sourcing.ree.china",
        "regions.japan.sourcing.ree.recycler",
        "shocks.halt.on_halt",
        "shocks.halt.start",
    ]


def test_values_of_mixed_kinds_fall_back_to_text_and_numbers_with_blanks_to_float():
    from simulator.scenario.schema import UncertainValues
    from simulator.scenario.uncertain import Input
    from simulator.sensitivity.study import typed_values

    def entry(path: str, values: list) -> Input:
        return Input(UncertainValues(path=path, source="t", values=values), current=None)

    inputs = [entry("a", [1, "x"]), entry("b", [None, 2]), entry("c", [True, False]), entry("d", [1, 2.5])]
    points = [{"a": 1, "b": None, "c": True, "d": 1}, {"a": "x", "b": 2, "c": False, "d": 2.5}]
    table = typed_values(inputs, points)
    assert table["a"].tolist() == ["1", "x"]
    assert table["b"].dtype == np.float64 and np.isnan(table["b"][0]) and table["b"][1] == 2.0
    assert table["c"].dtype == bool
    assert table["d"].dtype == np.float64 and table["d"].tolist() == [1.0, 2.5]


def test_the_uncertainty_samples_file_reads_back_with_the_same_types(tmp_path, study):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SAMPLED, sort_keys=False))
    out = tmp_path / "u"
    result = invoke("run", path, "--uncertainty", 6, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    assert str(samples["shocks.halt.end"].dtype) == "datetime64[ms]"
    assert samples["shocks.halt.end"].between(pd.Timestamp("2010-07-20"), pd.Timestamp("2010-07-29")).all()
    assert samples["suppliers.recycler.lead_time_days.japan"].dtype == np.int64
    assert samples["regions.japan.sourcing.ree.china"].dtype == np.float64
    assert samples["seed"].dtype == np.int64
    assert samples["sample"].tolist() == list(range(6))  # the key the runs without the agreement join on
    pd.testing.assert_frame_equal(samples.drop(columns="sample"), run_uncertainty(study, 6).samples)


def test_the_sensitivity_samples_file_has_the_same_typed_columns(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(SAMPLED, sort_keys=False))
    out = tmp_path / "s"
    result = invoke("sensitivity", path, "--method", "morris", "--samples", 2, "--workers", 1, "-o", out)
    assert result.exit_code == 0, result.output
    samples = pd.read_parquet(out / "samples.parquet")
    assert len(samples) == 2 * (6 + 1)
    assert str(samples["shocks.halt.start"].dtype) == "datetime64[ms]"
    assert samples["regions.japan.sourcing.ree.china"].dtype == np.float64
    assert not any(samples[c].dtype == object for c in samples.columns if c != "shocks.halt.on_halt")


@pytest.mark.parametrize(
    ("fields", "label"),
    [
        ({"approval_share": 0.7, "processing_days": {"distribution": "uniform", "low": 0, "high": 28},
          "suspended": [[3, 5]]}, "70% of licences approved after 0-28 days, suspended 4 Jul \u2013 5 Jul 2010"),
        ({"approval_share": 0.0, "processing_days": 0, "end_use_share": 0.1}, "licences refused, for 10% of the flow"),
        ({"approval_share": 1.0, "processing_days": 30}, "every licence approved, after 30 days' processing"),
    ],
)  # fmt: skip
def test_a_licensing_label_gives_its_processing_time_suspensions_and_refusals(fields, label):
    """'100% of licences approved' read as no restriction, and a suspension did not show. The window
    [3, 5) is days 3 and 4: 4 and 5 Jul 2010 from the start on 1 Jul."""
    licence = {"id": "licence", "kind": "licensing", "supplier": "china", "regions": ["japan"], **fields} | WINDOW
    assert shock_severity(run(build(EVERY_KIND, shocks=[licence])), 0) == label
