"""The key assumptions are numbered K1, K2, ...: not bare numbers, which read as the page's bracketed codes.

The page cites rows of docs/calibration.md in brackets ([A18], [J12], [Q6]); a table of key assumptions
numbered 1 to 21 beside them made [A18] look like assumption 18 (audit of the replay's report, item 4).
"""

from __future__ import annotations

import re
from html import unescape

from tests.helpers import ONE_REGION, build, run, words_page

ASSUMPTIONS = [
    {"statement": "China ships 10 t a day.", "source": "[Q6] a count"},
    {"statement": "The price is 50 USD/kg."},
    {"statement": "Stocks last 10 days.", "source": "[A18] derived"},
]


def _section(html: str) -> str:
    start = html.index('<section id="assumptions">')
    return html[start : html.index("</section>", start)]


def test_each_key_assumption_is_numbered_with_a_k_and_has_an_id_to_link_to():
    html = words_page(run(build(ONE_REGION, assumptions=ASSUMPTIONS)))
    section = _section(html)
    rows = re.findall(r'<tr id="([^"]+)"><td class="n">([^<]*)</td><td class="text">([^<]*)</td>', section)
    # three assumptions in the file's order, K1 to K3, each row's id its code
    assert rows == [
        ("assumption-K1", "K1", "China ships 10 t a day."),
        ("assumption-K2", "K2", "The price is 50 USD/kg."),
        ("assumption-K3", "K3", "Stocks last 10 days."),
    ]
    assert not re.search(r'<td class="n">\d', section)  # no bare number, which [A18] would be read beside
    text = unescape(re.sub(r"<[^>]+>", "", section))
    assert "Numbered K1 to K3; a code in brackets, such as [Q6] or [A18], is a row of the project's " in text
    assert len(re.findall(r'id="assumption-K\d+"', html)) == 3  # each id once on the page


def test_one_assumption_is_k1_and_none_gives_the_note():
    html = words_page(run(build(ONE_REGION, assumptions=ASSUMPTIONS[:1])))
    assert '<td class="n">K1</td>' in html and "Numbered K1;" in html
    assert "The scenario lists no assumptions." in words_page(run(ONE_REGION))
