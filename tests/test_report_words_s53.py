"""The report's wording after the s52 wording audit's items 5 and 10, and the near-record masks made once.

- The note beside a record's highest price ("14x in the record") names every weakness of the row: an interpolated
  price with its unit, and a basket index that holds the other elements' shares fixed (docs/calibration.md, A21).
- The headline's "not needed" answer is a sentence with a verb; "closes" is the one verb for what the joint stock
  does to a shortfall; the page header names the release rule by its label ("IEA ESS"), never "iea ess".
- The robustness part computes which samples come near the record's peaks once per report.
"""

from __future__ import annotations

import re

from simulator.report import uncertainty as uncertainty_module
from tests.helpers import build, run, words_page
from tests.test_cal_report_s52 import _near_record_case
from tests.test_report_answers import AMPLE, CLOSE_CALL, MARKET, plain, section
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


def test_not_needed_is_a_sentence_with_a_verb():
    # the EU's 400 t carries it through a 4-day halt: nobody is short with or without the pool (test_cal_report_s52)
    data = build(AMPLE, shocks=CLOSE_CALL, regions__eu__commercial_stock__ree__tonnes=400, market=MARKET)
    verdict = plain(section(words_page(run(data)), "verdict"))
    assert (
        "The joint stock is not needed to close a shortfall: neither member runs short, with it or without it. "
        "Whether it would have tempered the price rise is outside this model." in verdict
    )
    assert "in tonnes" not in verdict


def test_the_robustness_part_names_the_answer_as_the_headline_does_and_says_closes(tmp_path):
    # four samples, two of which leave the EU short by 10 t without the stock and not at all with it
    # (test_cal_report_s52._near_record_case): the answer is quoted in the headline's words, and the table's column
    # of samples where the stock takes a shortfall to none says "closes", as the sentence beside it does
    first = _near_record_case(tmp_path, [100.0, 150.0, 250.0, 400.0])
    # under the headline that says it, the answer is named short (the members' table shares the first screen)
    assert first.startswith("How robust: the answer \u2018not needed\u2019 holds in 2 of the 4 ")
    assert "the joint stock closes every shortfall in 2" in first
    # where the headline gave no answer, in the headline's words, with what they mean
    counts = {"not_needed": 2, "only_with": 0, "closes": 2, "cuts": 0, "no_help": 0}
    assert uncertainty_module.outcome_sentence(counts, 4, 1).startswith(
        "<strong>How robust:</strong> the answer \u2018not needed to close a shortfall\u2019 (no member short with or "
        "without the joint stock) holds in 2 of the 4 runs"
    )
    heads = [head for _, head in uncertainty_module.ROBUST_COLUMNS]
    assert "Stock closes a shortfall" in heads and not any("avoid" in head for head in heads)


def test_the_page_header_names_the_release_rule_by_its_label():
    page = words_page(run(build(AMPLE, agreement__mechanism="iea_ess")))
    header = plain(re.search(r'<p class="sub">.*?</p>', page).group(0))
    assert header.endswith("release rule: IEA ESS")
    assert "iea ess" not in page  # the label, never the name's words lowered
    page = words_page(run(build(AMPLE, agreement__mechanism="talmud")))
    assert plain(re.search(r'<p class="sub">.*?</p>', page).group(0)).endswith("release rule: Talmud")


def test_the_days_of_cover_legend_names_the_release_rule_by_its_label():
    # the page above is read without its figures: its legend is read here, on the figure the report draws. The
    # EU's shipments stop on days 0-3 (CLOSE_CALL) and the pool releases under the IEA ESS rule from day 5
    from simulator.plots import days_of_cover_figure
    from simulator.report import SIZE

    figure = days_of_cover_figure(run(build(AMPLE, agreement__mechanism="iea_ess", shocks=CLOSE_CALL)), **SIZE)
    legends = [*figure.legends, *(ax.get_legend() for ax in figure.axes if ax.get_legend() is not None)]
    labels = [text.get_text() for legend in legends for text in legend.get_texts()]
    released = [label for label in labels if label.startswith("released")]  # both members draw on days 5-8
    assert released == ["released (IEA ESS) to Japan", "released (IEA ESS) to EU"]  # the label, never the name lowered
    assert not any("iea ess" in label or "iea_ess" in label for label in labels)


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
