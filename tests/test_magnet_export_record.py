"""china_2025_licensing against China's monthly NdFeB magnet exports of 2025 ([CX7], [EU1]).

The audit found the file's magnet licence (25% of tonnes approved to July 2025, 60% after, and the
October review) holding China's magnet shipments to the EU at ~60% of normal to the end of 2026
(8,276 t short), while the file's own source has China's magnet exports back to their 2024 level
from mid-2025. No. 18 now approves every tonne of magnets after its processing time (fitted on
May, Aug-Oct 2025 and Jan-Jul; Nov-Dec 2025 held out). 1.0 is a bound: the model cannot ship
above its normal flow. August is China's exports to the EU over Europe's share (2,582 / 0.41):
no longer the 2025 total less Sep-Dec, which was built from the held-out Nov and Dec.
docs/model-vs-record.md's tables are the comparison; these tests work their numbers again
from the run and from the record.
"""

from __future__ import annotations

import re

import pandas as pd

from tests.helpers import ROOT, shipped_group, shipped_result, shipped_with

NORMAL_T_PER_DAY = 0.98 * 43.8  # China's share of the EU's magnet demand [EU1]
MAY_2024_T_PER_DAY = 1238 / (1 - 0.74) / 31  # May 2025's 1,238 t was -74% y/y [CX7]
JAN_JUL_T = 11477 / 0.41  # China's magnet exports to Europe Jan-Jul 2025, 41% of all [EU1]
RECORD_T = {  # month: (tonnes, days) [CX7]; August from its exports to the EU [EU1]
    "May": (1238, 31),
    "Aug": (2582 / 0.41, 31),
    "Sep": (5773, 30),
    "Oct": (5473, 31),
    "Nov": (6150, 30),
    "Dec": (5952, 31),
}
MONTH = {"May": 5, "Aug": 8, "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12}


def _monthly_ratio(supply: pd.DataFrame | None = None) -> pd.Series:
    """China -> EU magnet shipments of a run (by default the shipped one) by month, over the normal flow."""
    if supply is None:
        supply = shipped_result("china_2025_licensing").supply
    rows = supply[(supply.region == "eu") & (supply.material == "ndfeb_magnets") & (supply.supplier == "china")]
    dates = pd.to_datetime(rows["date"])
    by_month = rows.groupby(dates.dt.to_period("M"))["shipped_t"].agg(["sum", "count"])
    return by_month["sum"] / (NORMAL_T_PER_DAY * by_month["count"])


@shipped_group("china_2025_licensing")
def test_magnet_shipments_dip_for_the_processing_time_then_run_at_the_normal_flow():
    ratio = _monthly_ratio()
    assert (abs(ratio["2025-01":"2025-03"] - 1.0) < 1e-9).all()
    # April: 3 normal days, then applications from 4 Apr approved after 20-63 days (triangular, mode 45):
    # by 30 Apr (26 days) a share (x - 20)^2 / (43 x 25) of each day's, summed over 24-30 Apr, 91 / 1,075
    assert abs(ratio["2025-04"] - (3 + 91 / 1075) / 30) < 0.005
    assert 0.45 < ratio["2025-05"] < 0.55
    # every tonne approved: from July the normal flow, through the October review (Dy/Tb only) and to the end
    assert (abs(ratio["2025-07":"2026-12"] - 1.0) < 1e-9).all()


def _errors(ratio: pd.Series) -> dict[str, float]:
    """Model minus record, in shares of the normal flow, for each row of the record."""
    jan_jul = ratio["2025-01":"2025-07"]
    days = pd.Series([31, 28, 31, 30, 31, 30, 31], index=jan_jul.index)
    errors = {"Jan–Jul": float((jan_jul * days).sum() / 212) - JAN_JUL_T / (212 * MAY_2024_T_PER_DAY)}
    for name, (tonnes, n) in RECORD_T.items():
        errors[name] = float(ratio[f"2025-{MONTH[name]:02d}"]) - tonnes / (n * MAY_2024_T_PER_DAY)
    return errors


def _rms(errors: dict[str, float], names: list[str]) -> float:
    return (sum(errors[k] ** 2 for k in names) / len(names)) ** 0.5


FITTED = ["Jan–Jul", "May", "Aug", "Sep", "Oct"]
HELD_OUT = ["Nov", "Dec"]


def _every_share_tried() -> dict[str, list[str]]:
    """docs/model-vs-record.md's table of every share tried: its rows by their first cell."""
    page = (ROOT / "docs" / "model-vs-record.md").read_text(encoding="utf-8")
    table = page.split("| share of magnet tonnes approved |", 1)[1].split("\n\n", 1)[0]
    rows = {"share": [c.strip() for c in table.splitlines()[0].strip("|").split("|")]}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells[1:]
    return rows


@shipped_group("china_2025_licensing")
def test_the_record_table_of_model_versus_record_is_the_run_and_the_record():
    ratio = _monthly_ratio()
    page = (ROOT / "docs" / "model-vs-record.md").read_text(encoding="utf-8")
    table = page.split("{#chinas-magnet-exports-2025}", 1)[1].split("| month (2025) |", 1)[1].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [c.strip() for c in line.strip("|").split("|")]
        rows[cells[0]] = cells
    assert set(rows) == {"Jan–Jul", *RECORD_T}
    jan_jul = ratio["2025-01":"2025-07"]
    days = pd.Series([31, 28, 31, 30, 31, 30, 31], index=jan_jul.index)
    model = {"Jan–Jul": float((jan_jul * days).sum() / 212)}
    record = {"Jan–Jul": JAN_JUL_T / (212 * MAY_2024_T_PER_DAY)}
    for name, (tonnes, n) in RECORD_T.items():
        model[name] = float(ratio[f"2025-{MONTH[name]:02d}"])
        record[name] = tonnes / (n * MAY_2024_T_PER_DAY)
    errors = {"fitted": [], "held out": []}
    for name, cells in rows.items():
        _, tonnes, shown_record, shown_model, shown_error, used = cells
        tonnes_t = JAN_JUL_T if name == "Jan–Jul" else RECORD_T[name][0]
        assert tonnes == f"{tonnes_t:,.0f}"
        assert shown_record == f"{record[name]:.2f}" and shown_model == f"{model[name]:.2f}"
        assert shown_error == f"{model[name] - record[name]:+.2f}".replace("-", "−")
        errors[used.strip("*")].append(model[name] - record[name])
    assert len(errors["held out"]) == 2 and len(errors["fitted"]) == 5  # Nov and Dec held out
    rms = {k: (sum(e * e for e in v) / len(v)) ** 0.5 for k, v in errors.items()}
    said = re.search(r"RMS error ([0-9.]+) on the fitted rows and \*\*([0-9.]+) on the held-out rows", page)
    assert said is not None
    assert (said.group(1), said.group(2)) == (f"{rms['fitted']:.2f}", f"{rms['held out']:.2f}")
    # the shipped share's column of the table of every share tried
    tried = _every_share_tried()
    at = tried["share"].index("1.0")
    assert tried["RMS error, fitted rows"][at] == f"{_rms(_errors(ratio), FITTED):.2f}"
    assert tried["RMS error, held-out rows"][at] == f"{_rms(_errors(ratio), HELD_OUT):.2f}"
    assert tried["EU magnet shortfall, t"][at] == "0"


@shipped_group("china_2025_licensing")
def test_the_answer_hinges_on_the_share_of_magnet_tonnes_approved_as_the_file_says():
    """At 60% of magnet tonnes approved (the share of applications [CX5]) the EU is short; the file says by how much."""
    import yaml

    path = ROOT / "scenarios" / "china_2025_licensing.yaml"
    # api.run(path, set=...), made once per process: test_report_s48_audit reads the same run
    result = shipped_with("china_2025_licensing", (("shocks.no18_licences_magnets.approval_share", 0.6),))
    short = float(result.summary.set_index(["region", "material"])["shortfall_t"]["eu", "ndfeb_magnets"])
    assert short > 1971  # more than the EU's 45 days of magnet stock: a refused share is lost for good
    # its column of the table of every share tried: 0.6 of normal from July, so Nov is 0.6 - 1.33
    errors = _errors(_monthly_ratio(result.supply))
    assert abs(errors["Nov"] - (0.6 - 6150 / (30 * MAY_2024_T_PER_DAY))) < 1e-9
    tried = _every_share_tried()
    at = tried["share"].index("0.6")
    assert tried["RMS error, fitted rows"][at] == f"{_rms(errors, FITTED):.2f}"
    assert tried["RMS error, held-out rows"][at] == f"{_rms(errors, HELD_OUT):.2f}"
    assert tried["EU magnet shortfall, t"][at] == f"{short:,.0f}"
    statements = [" ".join(a["statement"].split()) for a in yaml.safe_load(path.read_text())["assumptions"]]
    assert any(f"At 60% of magnet tonnes approved the EU would be short {short:,.0f} t" in s for s in statements)
    page = " ".join((ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8").split())
    assert f"at 0.6 (the share of applications) {short:,.0f} t" in page


def test_the_record_file_holds_the_monthly_rows_of_the_page_in_the_eus_tonnes_with_nov_and_dec_out():
    """scenarios/records/magnet_exports_2025.csv, for `stockpile calibrate --record`: each month's exports over the
    May 2024 rate, times the EU's normal flow from China and the month's days; Nov and Dec held out. Jan-Jul is not
    in it (a record row is a day, month, quarter, half or year), as the page says."""
    import yaml

    from simulator.calibrate import read_record
    from simulator.scenario import validate_data

    path = ROOT / "scenarios" / "china_2025_licensing.yaml"
    scenario = validate_data(yaml.safe_load(path.read_text()), str(path))
    record = read_record(ROOT / "scenarios" / "records" / "magnet_exports_2025.csv", scenario)
    assert len(record) == len(RECORD_T)
    for row in record.itertuples():
        name = next(k for k, m in MONTH.items() if m == row.date.month)
        tonnes, days = RECORD_T[name]
        assert (row.quantity, row.region, row.material, row.supplier) == ("exports", "all", "ndfeb_magnets", "china")
        assert abs(row.value - tonnes / (days * MAY_2024_T_PER_DAY) * NORMAL_T_PER_DAY * days) < 0.05
        assert row.in_sample == (name not in HELD_OUT)
    page = (ROOT / "docs" / "model-vs-record.md").read_text(encoding="utf-8")
    assert "--record scenarios/records/magnet_exports_2025.csv" in page
