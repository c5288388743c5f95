"""The figures' key numbers say what the findings say: the price peak's cap, a shortfall under 0.01 t.

Before: :func:`simulator.report.figures.price_words` said when a price peaked without the cap it was rising toward
(the price section says it), and :func:`~simulator.report.figures.shortfall_words` left out a shortfall too small to
show in tonnes, which the findings write ``under 0.01 t``.
"""

from __future__ import annotations

import re
from html import unescape

from simulator.report.figures import price_words
from simulator.report.findings import Run
from simulator.report.prices import price_line
from tests.helpers import shipped_group, shipped_result

LICENSING = "china_2025_licensing"


def _plain(html: str) -> str:
    return unescape(re.sub(r"<[^>]+>", "", html)).replace("\u00a0", " ")


@shipped_group(LICENSING)
def test_the_price_figure_says_the_peak_was_still_rising_toward_its_cap_as_the_price_section_does():
    """Heavy rare earths in china_2025_licensing: target at the cap (1,390 USD/kg) from day 109, peak on the last day
    (729, 31 Dec 2026) at 1,334 USD/kg (tests/test_report_s48_audit.py works the days out from market.csv)."""
    run = Run.of(shipped_result(LICENSING))
    said = "1,334 USD/kg on 31 Dec 2026, the last day: still rising toward its cap of 1,390 USD/kg when the run ends"
    assert said in _plain(price_line(run))  # the price section
    assert said in _plain(price_words(run))  # the figure's caption, the same words
