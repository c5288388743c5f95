"""An export quota covers every region: pro_rata_quotas needs no test of the regions it targets (review, item 2).

The review asked that :func:`simulator.report.findings.pro_rata_quotas` check a quota's ``regions``, and gave as
its case the replay's three quotas re-aimed at Japan only (``regions: [japan]``). The schema has no such field:
an ``export_quota`` caps the supplier's exports of its materials to all regions (simulator/kernel/border.py), so
that scenario does not load, and every region that buys from the supplier shares the quota. These tests pin that
premise: if export quotas ever take ``regions``, the first fails and pro_rata_quotas must then require ``region``
and the other buyers to be among them.
"""

from __future__ import annotations

import pytest
import yaml

from simulator.api import run as api_run
from simulator.errors import ScenarioError
from simulator.report.findings import Run, pro_rata_quotas
from simulator.scenario import validate_data
from simulator.scenario.schema import ExportQuota
from tests.helpers import ROOT

REPLAY = ROOT / "scenarios" / "embargo_2010.yaml"


def test_an_export_quota_cannot_be_aimed_at_some_regions():
    assert "regions" not in ExportQuota.model_fields
    data = yaml.safe_load(REPLAY.read_text())
    for shock in data["shocks"]:
        if shock["kind"] == "export_quota":
            shock["regions"] = ["japan"]
    with pytest.raises(ScenarioError, match=r"shocks\.china_quota_2011\.regions: unknown key for 'export_quota'"):
        validate_data(data)


def test_every_buyer_of_the_supplier_shares_the_replays_quotas():
    result = api_run(REPLAY).result
    run = Run.of(result)
    quotas = [k for k, s in enumerate(result.scenario.shocks) if s.kind == "export_quota"]
    assert len(quotas) == 3
    # the EU's lowest cover (heavy rare earths, day 367: 3 Jul 2011) comes after the two quotas begun by then
    # (H2 2010, 2011); Japan buys heavy rare earths from China too, so each is shared between the two
    assert pro_rata_quotas(run, "eu", "heavy_ree", 367) == quotas[:2]
    assert pro_rata_quotas(run, "japan", "heavy_ree", 367) == quotas[:2]
