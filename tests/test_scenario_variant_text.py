"""The numbers embargo_2010.yaml's key assumptions quote for its harsher variant, against a run of that variant.

The statement is read from the scenario file, so an edit of the text or a change of the model
that moves the figures fails here instead of leaving the report's assumptions table stale.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml

from tests.helpers import harsh, harsh_alone, shipped_group

ROOT = Path(__file__).resolve().parents[1]
SAID = re.compile(
    r"EU is then short without the pool by ([\d,.]+) t of light rare earths \(from (\d+ \w+ \d{4}), "
    r"on (\d+) days\) and ([\d,.]+) t of heavy rare earths \(from (\d+ \w+ \d{4}), on (\d+) days; Japan 0 t\), "
    r"draws as much of each from it, and no one runs short"
)


def _statement() -> str:
    raw = yaml.safe_load((ROOT / "scenarios" / "embargo_2010.yaml").read_text())
    (text,) = [a["statement"] for a in raw["assumptions"] if a["statement"].startswith("A harsher variant")]
    return " ".join(text.split())


@shipped_group("embargo_2010")  # the process that already holds the harsher world and its run alone
def test_the_harsher_variant_quoted_in_the_assumptions_is_what_a_run_of_it_gives():
    said = SAID.search(_statement())
    assert said, _statement()
    light, light_from, light_days, heavy, heavy_from, heavy_days = said.groups()
    with_pool, alone = harsh("embargo_2010"), harsh_alone("embargo_2010")  # shared: only read
    rows = alone.summary.query("region != 'all'").set_index(["region", "material"])
    for material, tonnes, first, days in (
        ("light_ree", light, light_from, light_days),
        ("heavy_ree", heavy, heavy_from, heavy_days),
    ):
        row = rows.loc[("eu", material)]
        assert f"{row['shortfall_t']:,.1f}" == tonnes
        assert int(row["shortfall_days"]) == int(days)
        day = dt.date(2010, 7, 1) + dt.timedelta(days=int(row["first_shortfall_day"]))
        assert day == dt.datetime.strptime(first, "%d %b %Y").date()
        assert rows.loc[("japan", material), "shortfall_t"] == 0.0  # "Japan 0 t"
        # "draws as much of each from it": the pool releases to the EU what it lacked alone
        drawn = with_pool.summary.query("region == 'eu' and material == @material")["released_joint_t"].sum()
        assert f"{drawn:,.1f}" == tonnes
    assert with_pool.metrics["total_shortfall_t"] == 0.0  # "no one runs short"
