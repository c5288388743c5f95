"""The registry's words on the restraint and on region_total name what a user can set (session 60 review).

``restraint_t`` said "(7%, 10% past the higher loss)", figures a scenario can change, without the fields that
set them; ``region_total='distinct'`` was explained for a region's materials only, though an agreement-wide
metric takes it over all materials.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator import quantities
from simulator.scenario.schema import IeaEss


def test_restraint_t_names_the_fields_that_set_it_and_gives_their_defaults():
    text = quantities.get("agreement", "restraint_t").description
    ess = IeaEss()
    assert (ess.restraint, ess.higher_restraint, ess.higher_loss_share) == (0.07, 0.10, 0.12)  # the IEP's
    for words in (
        "agreement.iea_ess.restraint, 7% by default",
        "higher_restraint, 10% by default",
        "higher_loss_share, 12% by default",
    ):
        assert words in text


def test_distinct_is_refused_in_words_that_cover_an_agreement_wide_metric():
    entry = quantities.get("agreement_summary", "pool_end_t")
    with pytest.raises(ValueError, match=r"over a region's materials \(an agreement-wide metric: over all materials\)"):
        replace(entry, region_total="distinct")
