"""The drawable cover's words say which share of the pool it counts: the member's by the rule's weights.

Before: ``days_of_cover``'s description, docs/model.md and docs/release-rules.md said it counts "the member's own
share only", which reads as its ownership share; under ``fair_ratio`` the share counted is its ratio
(``drawable_shared_t``: its weight in the rule x the pool left), and a ratio need not be an ownership share.
"""

from __future__ import annotations

from simulator.quantities import REGISTRY
from tests.helpers import ROOT


def test_the_drawable_cover_says_it_counts_the_share_by_the_rule_s_weights():
    said = next(q for q in REGISTRY if q.name == "days_of_cover").description
    assert "own share only" not in said
    assert "by the rule's weights" in said and "under fair_ratio, its ratio" in said
    for doc in ("model.md", "release-rules.md", "outputs.md"):
        text = " ".join((ROOT / "docs" / doc).read_text().split())
        assert "own share only" not in text and "own share of the pool" not in text, doc
        assert "by the rule's weights" in text and "under `fair_ratio`, its ratio" in text, doc
