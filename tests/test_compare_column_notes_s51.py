"""``stockpile compare`` says under its table what each metric column means (policy audit s51, item 11).

max_shortfall_share_gap, draw_contribution_gap, envious_members (and fairness_jain,
extra_cost_usd_m with a market) were printed with no word on what they measure: one line
each now says it, and a last line names where they are defined, an anchor that exists.
"""

from __future__ import annotations

import re

import pandas as pd

from simulator.console import compare_text
from tests.helpers import ROOT

ROWS = pd.DataFrame(
    {
        "mechanism": ["fair_ratio", "hybrid"],
        "total_shortfall_t": [10.0, 12.0],
        "fairness_jain": [0.9, 0.8],
        "max_shortfall_share_gap": [0.1, 0.2],
        "draw_contribution_gap": [0.268, 0.1],
        "envious_members": [0, 1],
        "shortfall_share.japan": [0.1, 0.2],
        "shortfall_share.eu": [0.2, 0.1],
    }
)


def _under(text: str) -> dict[str, str]:
    lines = text.splitlines()[1 + len(ROWS) :]
    return dict(line.split(": ", 1) for line in lines if ": " in line and not line.startswith("defined in"))


def test_each_metric_column_shown_gets_one_line_under_the_table():
    text = compare_text(ROWS)
    under = _under(text)
    for column in ("fairness_jain", "max_shortfall_share_gap", "draw_contribution_gap", "envious_members"):
        assert column in under, text
    assert "shares of the draws" in under["draw_contribution_gap"] and "paid in" in under["draw_contribution_gap"]
    assert "extra_cost_usd_m" not in under  # no market, no such column, no line
    assert text.splitlines()[-1].startswith("defined in docs/release-rules.md#fairness")


def test_the_extra_cost_column_of_a_market_gets_its_line():
    rows = ROWS.assign(**{"crisis_extra_cost_usd.japan": [1e6, 2e6], "crisis_extra_cost_usd.eu": [3e6, 4e6]})
    assert "USD million" in _under(compare_text(rows))["extra_cost_usd_m"]


def test_the_places_named_exist():
    text = compare_text(ROWS).splitlines()[-1]
    links = re.findall(r"docs/([\w-]+\.md)#([\w-]+)", text)
    assert links == [("release-rules.md", "fairness"), ("outputs.md", "files-of-stockpile-compare")]
    for page, anchor in links:
        source = (ROOT / "docs" / page).read_text()
        headings = [line for line in source.splitlines() if line.startswith("#")]
        slugs = {
            re.sub(r"[^\w -]", "", h.lstrip("# ").split(" {#")[0]).strip().lower().replace(" ", "-") for h in headings
        }
        ids = set(re.findall(r"\{#([\w-]+)\}", source))
        assert anchor in slugs | ids, (page, anchor)
