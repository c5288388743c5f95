"""Where the replay's page says why nothing was released, and that its prices were fitted.

The 2010 replay releases nothing: the rule section's first paragraph must say so (it was a small
note after the bids table), and with the shipped record the prices section must say that its
13 world-price rows are all fitted, so none tests the model (the page used to say it only in
the record section).
"""

from __future__ import annotations

import pandas as pd

from tests.helpers import ROOT, SHIPPED_RECORD, shipped_group, shipped_replay_report
from tests.test_report_answers import plain, section

RECORD = SHIPPED_RECORD

# the tests read the replay's page against the shipped record, made once per process (tests/helpers.py)
pytestmark = shipped_group("embargo_2010")


def _replay_page() -> str:
    return shipped_replay_report()


def test_the_rule_section_opens_with_why_nothing_was_released_and_the_prices_say_they_were_fitted():
    page = _replay_page()
    rule = section(page, "rule")
    first_paragraph = plain(rule[rule.index("<p") : rule.index("</p>")])
    assert first_paragraph.startswith("The arrangement released no stock in this run, although the EU's commercial")
    assert plain(rule).count("The arrangement released no stock") == 1
    # the record's world-price rows inside the run, counted from the CSV: every one marked in the fit
    rows = pd.read_csv(RECORD, comment="#")
    world = rows[(rows["quantity"] == "price") & (rows["region"] == "world")]
    assert set(world["sample"]) == {"in"} and len(world) == 13
    prices = plain(section(page, "prices"))
    assert "The model's prices are fitted to the record's 13 world-price rows over this run" in prices
    assert "tests nothing" in prices


def test_the_shocks_table_says_where_its_bracketed_source_codes_are_looked_up():
    import re

    import yaml

    shocks = yaml.safe_load((ROOT / "scenarios" / "embargo_2010.yaml").read_text())["shocks"]
    first_code = next(m for s in shocks for m in re.findall(r"\[([A-Z]{1,2}\d+)", s.get("description", "")))
    text = plain(section(_replay_page(), "shocks"))
    assert f"Bracketed codes ([{first_code}]," in text
    assert "are rows of the source tables in docs/calibration.md" in text


def test_the_headline_is_bold_up_to_the_answer_and_its_circumstances_are_not():
    page = _replay_page()
    headline = page[page.index('<p class="headline">') : page.index("</p>", page.index('<p class="headline">'))]
    answer, detail = headline.split('<span class="detail">')
    assert plain(answer).endswith(
        "the joint stock is not needed to close a shortfall: neither member runs short, with it or without it."
    )
    # the answer is in tonnes: what it leaves open (the price) comes first in the circumstances, then the close call
    assert plain(detail).startswith(
        "Whether it would have tempered the price rise is outside this model. It was a close call."
    )
    assert "p.headline .detail, .overall .detail { font-weight: 400; }" in page
    # the record section's lead: bold up to its worst series' row, the caveats that follow in normal weight
    record = section(page, "record")
    lead = record[record.index('<p class="overall">') : record.index("</p>", record.index('<p class="overall">'))]
    bold, rest = lead.split('<span class="detail">', 1)
    assert plain(bold).startswith(
        "Out of sample, on the rows held out of the fit, the series the model misses most, of those whose rows are all "
        "figures their sources give, is Japan's imports from China"
    )
    assert plain(bold).endswith("the record has 3,007 t and the model 7,715 t, 2.57 times the record.")
    assert "China's exports to Japan and the EU" in plain(rest)  # the derived series, missed by more, not bold
    assert "fall in Japan's imports from China" in plain(rest)
