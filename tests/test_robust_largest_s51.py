"""The robustness table's two Largest columns are read as two worst samples, not one sample's before and after (s51).

Policy audit of session 51, item 5: in the 2010 replay's table the EU's "Largest with the stock" was 44 t of heavy
rare earths (sample 21, 88.8 t without the stock) and "Same material without it" 197 t (sample 63): read across,
as if the stock had cut that worst case from 197 t to 44 t.
"""

from __future__ import annotations

import re
from html import unescape

from simulator.report.uncertainty import LARGEST_WITHOUT, MemberSamples, Size, robust_table

NBSP = "\u00a0"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(NBSP, " ")


def test_the_two_largest_columns_are_read_as_two_worst_samples():
    # the audit's EU: 44 t of heavy rare earths in its worst sample with the stock (88.8 t without it in that
    # sample), 197 t in another sample's without it. The column says it is any sample, the caption that each
    # column gives its own worst sample (what the stock did sample by sample is in the columns Stock ...)
    did = {"closes": 0, "cuts": 2, "no_help": 0, "only_with": 0}
    size_with = Size(2, False, "44 t of heavy rare earths", "116 days of its demand")
    size_without = Size(2, False, "197 t of heavy rare earths", "285 days of its demand")
    row = MemberSamples("EU", 2, size_with, short_without=2, sizes_without=size_without, did=did)
    html = robust_table([row], 100)
    heads = [_plain(h) for h in re.findall(r'<th scope="col">(.*?)</th>', html)]
    assert heads[-2:] == ["Largest with the stock, in days of demand", "Largest without it (any sample)"]
    assert heads[-1] == LARGEST_WITHOUT
    caption = _plain(re.search(r"<caption>(.*?)</caption>", html, re.S).group(1))
    # one line under the caption, with what the days are of: the member table below stays on a desktop's first
    # screen (tests/test_report_browser.py)
    assert caption.endswith(
        "Largest: each column\u2019s own worst sample (often not the same one), in days of that sample\u2019s own "
        "mean daily demand of the material before the price response"
    )
    assert "Stock closes a shortfall" in heads and "Stock cuts one" in heads
    # without the samples run without the agreement there is one Largest column and no such line
    alone = robust_table([MemberSamples("EU", 2, size_with)], 100)
    assert "worst sample" not in alone and "any sample" not in alone
