"""The figures' key numbers say what the findings say: the price peak's cap, a shortfall under 0.01 t.

Before: :func:`simulator.report.figures.price_words` said when a price peaked without the cap it was rising toward
(the price section says it), and :func:`~simulator.report.figures.shortfall_words` left out a shortfall too small to
show in tonnes, which the findings write ``under 0.01 t``.
"""

from __future__ import annotations

import re
from html import unescape

import pytest
import yaml

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


def test_a_shortfall_too_small_to_show_in_tonnes_is_in_the_caption_as_under_0_01_t(tmp_path):
    """Japan short of 1e-6 t a day over 3 days (supply halted, no stock): 3e-6 t, short (above 5e-7 t), under
    what ``tonnes`` shows (0.005 t); the caption says it as the findings do, ``under 0.01 t``, from day 0."""
    from simulator.engine import simulate
    from simulator.report.figures import shortfall_words
    from simulator.scenario.load import load_scenario
    from tests.helpers import ONE_REGION, build

    data = build(
        ONE_REGION,
        horizon_days=3,
        regions__japan__commercial_stock__ree__tonnes=0,
        regions__japan__demand__ree__tonnes_per_day=1e-6,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
        ],
    )
    path = tmp_path / "tiny.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    run = Run.of(simulate(load_scenario(path)))
    assert float(run.cell("japan", "ree", "shortfall_t")) == pytest.approx(3e-6)
    assert _plain(shortfall_words(run)) == "Short over the run: Japan under 0.01 t of rare earths (from day 0)."
