"""The verdict box names the material of a one-material cell and says when it leaves a case out (s51).

Policy audit of session 51: item 4, a verdict-table cell short of one material did not name it in a run of
several, while one short of two did (``club_of_five``: Japan 17.4 t with the stock, heavy rare earths, and 994 t
with its share alone, light); item 9, the box left the own-share-alone case out, silently, when no member is
short without the agreement (the 2010 replay), while docs/getting-started-policy.md said it always compares three.

The worlds are ``tests.helpers.TWO_MEMBERS`` (Japan 20 t/day, the EU 80 t/day, no supply, 60 days).
"""

from __future__ import annotations

import re
from html import unescape

from tests.helpers import TWO_MEMBERS, add_material, build, run, words_page

NBSP = "\u00a0"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace(NBSP, " ")


def _verdict_rows(html: str) -> dict[str, list[str]]:
    table = re.search(r'<table class="verdict">.*?</table>', html, re.S)
    assert table
    head = [_plain(h) for h in re.findall(r"<thead><tr>(.*?)</tr>", table.group(), re.S)[0].split("</th>")[:-1]]
    rows = {}
    for member, cells in re.findall(r'<tr data-member="([^"]+)">(.*?)</tr>', table.group(), re.S):
        texts = [_plain(re.sub(r"<br>", " / ", c)) for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", cells, re.S)]
        rows[member] = dict(zip(head, texts, strict=True))
    return rows


def test_a_verdict_cell_short_of_one_material_names_it():
    # a pool of 10,000 t of rare earths (more than the 100 t/day x 60 days they need) and none of mag, under an
    # embargo on all supply: with the stock Japan is short of mag only, 20 t/day x 60 = 1,200 t, the EU of
    # 80 x 60 = 4,800 t; without it, of both materials (the cell of two named them already)
    data = build(TWO_MEMBERS)
    add_material(data, "mag", {"price_usd_per_kg": 500})
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 5000}}, "eu": {"ree": {"tonnes": 5000}}}
    rows = _verdict_rows(words_page(run(data)))
    assert rows["japan"]["Short with the stock"] == "1,200 t of mag / from day 0"
    assert rows["eu"]["Short with the stock"] == "4,800 t of mag / from day 0"
    assert rows["japan"]["Short with its share alone"] == "1,200 t of mag / from day 0"
    assert rows["japan"]["Short without it"] == "1,200 t of rare earths / 1,200 t of mag / from day 0"
    # one material: nothing to tell apart, no name. TWO_MEMBERS' pool of 60 t against 100 t/day, no supply
    rows = _verdict_rows(words_page(run(TWO_MEMBERS)))
    assert rows["japan"]["Short without it"] == "1,200 t / from day 0"  # 20 t/day x 60 days, unnamed
    assert re.fullmatch(r"[\d,]+ t / from day \d+", rows["japan"]["Short with the stock"])


def test_the_box_says_when_it_leaves_each_share_alone_out():
    # no shock: no member is short without the agreement, so the own-share run is not made; the note says so
    html = words_page(run(build(TWO_MEMBERS, shocks=[])))
    rows = _verdict_rows(html)
    assert "Short with its share alone" not in rows["japan"]
    note = _plain(re.search(r'</table></div><p class="note">(.*?)</p>', html, re.S).group(1))
    assert note.endswith(
        "No member is short without the agreement, so each member's share held alone is not run: the table has no "
        "column Short with its share alone."
    )
    # with members short without it (all supply halted), the column is there and the note does not say it
    html = words_page(run(TWO_MEMBERS))
    assert "Short with its share alone" in _verdict_rows(html)["japan"]
    assert "is not run" not in _plain(html)
