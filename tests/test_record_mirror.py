"""The replay's record against itself: China's reported exports below Japan's own count, and prices it stops short of.

An audit of the replay's page found its out-of-sample lead opening with China's exports to Japan and
the EU, a derived series (China's reported exports x 0.67) whose 2011 row, 12,462 t, is below the
15,400 t Japan alone counted importing from China: an exporter's reported exports and a partner's
reported imports are different counts (mirror statistics). The lead now opens with the series the
sources give, and a sentence says the two counts disagree and why. The same page values stock at the
run's last day's light price, 30 Jun 2012, while the record's light prices stop on 31 Dec 2011: where
the page sets the model's prices against the record, it says which prices the record does not test.
"""

from __future__ import annotations

import re

import pandas as pd

from simulator.report.accounts import end_prices
from simulator.report.findings import Run
from simulator.report.record import against_record, load_record, mirror_sentence
from tests.helpers import SHIPPED_RECORD, run, shipped_group, shipped_replay_report, shipped_result, words_page
from tests.test_report_answers import plain, section
from tests.test_report_record import WORLD, write

RECORD = SHIPPED_RECORD


def _replay(record_path=RECORD) -> str:
    """The replay's page against ``record_path``: against the shipped record, the page made once per process;
    against another, without its figures (the tests read its words)."""
    if record_path == RECORD:
        return shipped_replay_report()
    result = shipped_result("embargo_2010")
    return words_page(result, record=load_record(record_path, result.scenario))


def _lead(page: str) -> tuple[str, str]:
    """The record section's worst-series paragraph: its bold lead and the normal-weight rest, as plain text."""
    record = section(page, "record")
    start = record.index('<p class="overall">')
    paragraph = record[start : record.index("</p>", start)]
    bold, rest = paragraph.split('<span class="detail">', 1)
    return plain(bold), plain(rest)


@shipped_group("embargo_2010")
def test_the_replays_lead_opens_with_japans_imports_and_says_why_chinas_exports_are_below_them():
    rows = pd.read_csv(RECORD)
    year = rows[(rows["date"] == "2011-01-01") & (rows["period"] == "year")].set_index("quantity")["value"]
    exports, imports = year["exports"], year["imports"]
    # the record contradicts itself: China's exports to Japan and the EU, derived, below Japan's imports alone
    assert (exports, imports) == (12462, 15400) and exports < imports
    assert rows.loc[rows["quantity"] == "exports", "source"].str.startswith("DERIVED: x 0.67 of").all()
    assert round(18600 * 0.67) == exports  # the 2011 row: China's reported 18,600 t (Q11) x 0.67
    bold, rest = _lead(_replay())
    # the bold lead is the series its sources give, missed by 2.57 times in H1 2012, not the derived one
    assert bold.startswith(
        "Out of sample, on the rows held out of the fit, the series the model misses most, of those whose rows are all "
        "figures their sources give, is Japan's imports from China, all materials:"
    )
    assert bold.endswith("(H1 2012) the record has 3,007 t and the model 7,715 t, 2.57 times the record.")
    assert "China's exports" not in bold
    # the derived series follows, flagged as derived; then why the two series disagree
    assert rest.index(
        "Only a series not among them is missed by more: China's exports to Japan and the EU"
    ) < rest.index("All 6 of its rows are derived")
    assert (
        "The record's two counts disagree: China's exports to Japan and the EU, 12,462 t of all materials in 2011, are "
        "less than the 15,400 t of Japan's imports from China alone, because the first is 0.67 times what China "
        "reported exporting and the second what Japan reported importing" in rest
    )


def test_the_disagreement_is_said_only_when_exports_fall_below_ones_imports_over_the_same_period(tmp_path):
    # the hand-made world: 10 t/day from China, 1 Jan to 9 Feb 2020
    result = run(WORLD)

    def overall(rows: str) -> str:
        path = write(tmp_path, rows)
        page = words_page(result, record=load_record(path, result.scenario))
        record = section(page, "record")
        start = record.index('<p class="overall">')
        return plain(record[start : record.index("</p>", start)])

    imports = "2020-01-01,imports,japan,ree,china,month,400\n"
    said = overall(imports + "2020-01-01,exports,all,ree,china,month,300\n")
    assert (
        "The record's two counts disagree: China's exports to Japan, rare earths, 300 t in Jan 2020, are less than "
        "the 400 t of Japan's imports from China alone, because the first is what China reported "
        "exporting and the second what Japan reported importing" in said
    )
    assert "disagree" not in overall(imports + "2020-01-01,exports,all,ree,china,month,400\n")  # not less
    assert "disagree" not in overall(imports + "2020-01-05,exports,all,ree,china,day,5\n")  # another period


@shipped_group("embargo_2010")
def test_the_untested_light_prices_are_said_beside_the_record_figure_and_the_last_days_value(tmp_path):
    rows = pd.read_csv(RECORD)
    light = rows[(rows["quantity"] == "price") & (rows["material"] == "light_ree")]
    assert light["date"].max() == "2011-12-31" and set(light.loc[light["date"] == "2011-12-31", "period"]) == {"day"}
    heavy = rows[(rows["quantity"] == "price") & (rows["material"] == "heavy_ree")]
    assert heavy["date"].max() == "2012-06-01" and set(heavy.loc[heavy["date"] == "2012-06-01", "period"]) == {"month"}
    page = _replay()
    result = shipped_result("embargo_2010")
    # the light price at which the member table values what members still own: market.csv's last day
    last_light = end_prices(Run.of(result))["light_ree"][0]
    shown = f"{last_light:.1f}"
    assert shown == "109.2"
    verdict = plain(section(page, "verdict"))
    assert f"30 Jun 2012 (light rare earths {shown} USD/kg;" in verdict  # the "Still owns" note's basis
    clause = "The record has no world price of light rare earths after 31 Dec 2011, so it does not test the model's "
    assert (
        clause + f"price of them from then to the run's last day, 30 Jun 2012 ({shown} USD/kg, at which what members "
        "still own is valued)." in verdict
    )
    caption = plain(
        re.search(r'<figcaption id="record-caption">.*?Red: (.*?)</figcaption>', section(page, "record"), re.S).group(1)
    )
    assert caption.endswith(clause + "price of them from then to the run's last day, 30 Jun 2012.")
    # heavy rare earths run to June 2012, the run's last month: nothing said of them
    assert "world price of heavy rare earths after" not in page
    # a light row over June 2012 (held out, so the fit is as shipped) covers the run to its end: no clause
    extended = tmp_path / "extended.csv"
    extended.write_text(RECORD.read_text() + "2012-06-01,price,world,light_ree,,month,80,USD/kg,1,out,a test row,L,\n")
    assert "The record has no world price" not in _replay(extended)


def test_the_caption_names_each_price_series_that_stops_before_the_run_and_only_those(tmp_path):
    result = run(WORLD)  # 1 Jan to 9 Feb 2020

    def caption(rows: str) -> str:
        page = words_page(result, record=load_record(write(tmp_path, rows), result.scenario))
        return plain(
            re.search(
                r'<figcaption id="record-caption">.*?Red: (.*?)</figcaption>', section(page, "record"), re.S
            ).group(1)
        )

    early = caption("2020-01-05,price,world,ree,,day,40\n")
    assert early.endswith(
        "The record has no world price of rare earths after 5 Jan 2020, so it does not test the model's price of "
        "them from then to the run's last day, 9 Feb 2020."
    )
    # a row on the run's last day covers it; a region's price is not the world price
    assert "no world price" not in caption("2020-01-05,price,world,ree,,day,40\n2020-02-09,price,world,ree,,day,50\n")
    assert "no world price" not in caption("2020-01-05,price,japan,ree,,day,40\n")


def test_a_forecast_of_exports_below_ones_imports_is_called_a_forecast_not_what_was_reported(tmp_path):
    # the hand-made world (10 t/day from China, 1 Jan to 9 Feb 2020); a record whose January exports row is a
    # forecast made before the month (its source begins FORECAST), 300 t, below Japan's 400 t counted importing
    result = run(WORLD)
    path = tmp_path / "record.csv"
    path.write_text(
        "date,quantity,region,material,supplier,period,value,source\n"
        "2020-01-01,imports,japan,ree,china,month,400,Japan's customs\n"
        "2020-01-01,exports,all,ree,china,month,300,FORECAST: a trade ministry's outlook in December 2019\n"
    )
    said = plain(mirror_sentence(against_record(result, load_record(path, result.scenario)), result.scenario))
    assert said == (
        "The record's two counts disagree: China's exports to Japan, rare earths, 300 t in Jan 2020, are less than "
        "the 400 t of Japan's imports from China alone, because the first is a forecast of what China would export "
        "and the second what Japan reported importing, and a forecast is not a count: no one value of the model can "
        "match both."
    )
    assert "reported exporting" not in said
