"""The report's wording after the s52 wording audit's items 5 and 10, and the near-record masks made once.

- The note beside a record's highest price ("14x in the record") names every weakness of the row: an interpolated
  price with its unit, and a basket index that holds the other elements' shares fixed (docs/calibration.md, A21).
- The robustness part computes which samples come near the record's peaks once per report.
"""

from __future__ import annotations

from simulator.report import uncertainty as uncertainty_module
from tests.helpers import run
from tests.test_cal_report_s52 import _near_record_case
from tests.test_report_audit import CAPPED, verdict_with_record

HEAD = "date,quantity,region,material,supplier,period,value,sample,source,confidence\n"


def test_the_records_figure_gives_the_unit_of_its_interpolated_price_and_names_the_fixed_share_index(tmp_path):
    # the July mean, 900 USD/kg (18x the 50 USD/kg reference), is a basket index built from oxide prices, one of
    # them interpolated: both weaknesses are named in one note, after the confidence, the Nd price with its unit
    result = run(CAPPED)
    source = "DERIVED basket index from oxide prices, a table: La 135 USD/kg; Nd ~200 (interpolated, no source)"
    verdict = verdict_with_record(
        result, tmp_path / "r.csv", HEAD + f'2010-07-01,price,world,ree,,month,900,in,"{source}",L\n'
    )
    assert (
        "18x in the record (900 USD/kg, its mean over Jul 2010; low confidence: derived as a basket index that holds "
        "the other elements\u2019 shares fixed, from an interpolated Nd price of about 200 USD/kg with no source), "
        "75x in the model" in verdict
    )
    assert "Nd ~200" not in verdict  # the source's bare figure, without its unit, is not quoted
    # a basket index with nothing interpolated still names its fixed shares; a row that is not an index does not
    source = "DERIVED basket index from oxide prices, a table: La 135 and Nd 200 USD/kg"
    verdict = verdict_with_record(
        result, tmp_path / "r.csv", HEAD + f'2010-07-01,price,world,ree,,month,900,in,"{source}",L\n'
    )
    assert "(900 USD/kg, its mean over Jul 2010; low confidence: derived as a basket index that holds the other " in (
        verdict
    )
    verdict = verdict_with_record(
        result, tmp_path / "r.csv", HEAD + "2010-07-01,price,world,ree,,month,900,in,Lynas basket,L\n"
    )
    assert "18x in the record (900 USD/kg, its mean over Jul 2010; low confidence), 75x in the model" in verdict


def test_the_near_record_masks_are_made_once_per_robustness_part(tmp_path, monkeypatch):
    # the fit sentence and the count of samples near every recorded peak read the same masks: made once
    calls = []
    made = uncertainty_module.near_record

    def counted(*args, **kwargs):
        calls.append(args)
        return made(*args, **kwargs)

    monkeypatch.setattr(uncertainty_module, "near_record", counted)
    first = _near_record_case(tmp_path, [100.0, 150.0, 250.0, 400.0])
    assert "and in 1 of the 2 near the recorded price peak of rare earths" in first  # the masks were used
    assert len(calls) == 1
