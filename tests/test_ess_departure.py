"""The IEP rule's departure that docs/release-rules.md quotes ("Where it departs from the IEP").

``iea_ess`` counts as a member's supply what its commercial stock can give today, where the
IEP counts production and net imports (Art. 7(2), (3)). With the 2010 halt to Japan
extended through 2011, its cargo lost and none leaking, Japan therefore counts as supplied
while its stock lasts: once the EU's stock has run out (7 Feb 2011, day 221) Japan, the
member cut off, is above its supply right and passes light rare earths to the EU. The
figures are the page's; a change of the supply measure makes this test fail, and the
page's paragraph then has to be rewritten from a rerun of the command it names.
"""

from __future__ import annotations

import simulator
from tests.helpers import ROOT

HALT_THROUGH_2011 = [
    "shocks.china_japan_halt.end=2012-01-01",
    "shocks.china_japan_halt.on_halt=lost",
    "shocks.china_japan_halt.leak_share=0",
]
SCENARIO = ROOT / "scenarios" / "embargo_2010.yaml"


def test_under_iea_ess_japan_cut_off_passes_supplies_to_the_eu():
    result = simulator.run(SCENARIO, set=[*HALT_THROUGH_2011, "agreement.mechanism=iea_ess"])
    t = result.timeseries
    japan = t[t.region == "japan"]
    light = japan[japan.material == "light_ree"]
    passed = light[light.transferred_t < 0]
    assert passed.day.iloc[0] == 221  # 7 Feb 2011 (day 0 is 1 Jul 2010)
    assert round(-passed.transferred_t.sum()) == 1707
    assert round(light[light.transferred_t > 0].transferred_t.sum()) == 130
    # passing on: Japan's transfers and the EU's add up to nothing every day
    eu = t[(t.region == "eu") & (t.material == "light_ree")]
    assert (light.transferred_t.to_numpy() + eu.transferred_t.to_numpy() == 0).all()
    assert japan[japan.shortfall_t > 0].day.min() == 221
    assert round(japan.shortfall_t.sum()) == 2331 and round(light.shortfall_t.sum()) == 2031


def test_without_the_agreement_the_eu_runs_out_first_and_japan_on_1_march_2011():
    result = simulator.run(SCENARIO, set=[*HALT_THROUGH_2011, "agreement=null"])
    t = result.timeseries
    assert t[(t.region == "eu") & (t.shortfall_t > 0)].day.min() == 221
    japan = t[t.region == "japan"]
    assert japan[japan.shortfall_t > 0].day.min() == 243  # 1 Mar 2011
    assert round(japan.shortfall_t.sum()) == 5028
