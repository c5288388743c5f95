"""China's quotas served by contract volumes first in the 2010 replay (docs/model.md, "Contract volumes first")."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import simulator
from tests.helpers import shipped_group, shipped_result

QUOTAS = ("china_quota_h2_2010", "china_quota_2011", "china_quota_2012")
# the scenario's sourcing shares from China (region, material)
CHINA_SHARE = {
    ("japan", "light_ree"): 0.81,
    ("japan", "heavy_ree"): 0.98,
    ("eu", "light_ree"): 0.9,
    ("eu", "heavy_ree"): 1.0,
}
# normal China flows (t/day): Japan 62.0 + 1.67, the EU 18.0 + 0.5 (the scenario's H2-2010 quota comment)
EU_NORMAL_SHARE = 18.5 / (62.0 + 1.67 + 18.5)


def licensed_by_period(table: pd.DataFrame) -> pd.DataFrame:
    """Each region's licensed exports from China (``ordered_t`` x China share - ``border_lost_t``) by quota period."""
    share = np.array([CHINA_SHARE[(r, m)] for r, m in zip(table["region"], table["material"], strict=True)])
    licensed = table["ordered_t"] * share - table["border_lost_t"]
    period = np.select([table["day"] < 184, table["day"] < 549], ["H2-2010", "2011"], "H1-2012")
    by_period = licensed.groupby([period, table["region"]]).sum().unstack()
    by_period.attrs["lowest_cover"] = table.groupby("region")["days_of_cover"].min()
    return by_period


@shipped_group("embargo_2010_historical")
def test_contracts_first_gives_the_eu_its_normal_share_of_chinas_quotas_and_keeps_it_off_empty():
    run = simulator.run(
        "embargo_2010_historical", set={f"shocks.{quota}.sharing": "contracts_first" for quota in QUOTAS}
    )
    first = licensed_by_period(run.timeseries)
    eu_share = first["eu"] / (first["eu"] + first["japan"])
    # the quotas sit at or below the normal flows, so every tonne goes to contracts, pro rata to them
    assert eu_share.to_numpy() == pytest.approx(EU_NORMAL_SHARE, abs=5e-4)
    assert first["eu"]["H2-2010"] / 184 == pytest.approx(18.5, abs=0.05)
    assert first.attrs["lowest_cover"]["eu"] > 14.0
    # pro rata to orders Japan's precautionary orders take the EU's room: 15.8% in H2-2010, down to 1.6 days
    pro_rata = licensed_by_period(shipped_result("embargo_2010_historical").timeseries)  # as shipped
    assert pro_rata["eu"]["H2-2010"] / (pro_rata["eu"]["H2-2010"] + pro_rata["japan"]["H2-2010"]) < 0.16
    assert pro_rata.attrs["lowest_cover"]["eu"] < 2.0
    moved = first["eu"]["H2-2010"] - pro_rata["eu"]["H2-2010"]
    assert 1000 < moved < 1020  # "about 1,010 t" (docs/model.md)


def test_contracts_first_on_the_2011_quota_alone_leaves_the_eu_short_as_the_docs_warn():
    # the EU enters 2011 low after pro rata sharing in H2-2010 and is held to its normal flow
    # while it orders more to rebuild: 56.3 t short from 10 Aug 2011 (docs/model.md)
    result = simulator.run("embargo_2010_historical", set={"shocks.china_quota_2011.sharing": "contracts_first"})
    short = result.summary.groupby("region")["shortfall_t"].sum()
    assert short["japan"] == 0.0
    assert 55.0 < short["eu"] < 57.0
    assert result.summary.query("region == 'eu'")["first_shortfall_day"].min() == 405  # 10 Aug 2011
