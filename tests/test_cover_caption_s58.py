"""The days-of-cover caption names the release bars only when a member received shared stock (as the bars do).

TWO_MEMBERS: cut off from day 0, no commercial stock; the 60 t pool goes out on day 0 (20 t to Japan,
40 t to the EU). Without a pool but with a national reserve of 100 t, Japan draws its own reserve while
the rule acts (release_rule is set, released_t above 0) and no member receives shared stock: no bar is
drawn, so the caption must not speak of bars.
"""

from __future__ import annotations

from tests.helpers import TWO_MEMBERS, build, run, words_page
from tests.test_report_answers import plain

BARS = (
    "Bars under the 0 line: days on which a member received shared stock, a lane per member in its colour "
    "(a second rule hatched)."
)


def _caption(result) -> str:
    page = words_page(result)
    start = page.index("Drawable days of cover: commercial stock")
    return plain(page[start : page.index("</figcaption>", start)])


def test_the_caption_names_the_bars_when_members_received_shared_stock():
    assert _caption(run(TWO_MEMBERS)).endswith(BARS)


def test_no_bars_in_the_caption_when_a_member_drew_only_its_own_reserve():
    data = build(TWO_MEMBERS, agreement__pool__contributions={}, regions__japan__reserve={"ree": {"tonnes": 100}})
    result = run(data)
    series = result.timeseries
    japan = series[series["region"] == "japan"]
    assert japan["released_t"].sum() == 100.0 and japan["released_joint_t"].sum() == 0.0
    assert (japan.loc[japan["released_t"] > 0, "release_rule"] != "").all()  # drawn while the rule acted
    assert "received shared stock" not in _caption(result)  # the bars, or the bands they replaced
