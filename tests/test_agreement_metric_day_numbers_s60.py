"""An agreement-wide metric of a day number is never summed over materials (session 60, last read).

``region_total='sum'`` asks that a highest, lowest or first figure be added over materials; a day number
(``day_of_max``: the day of a material's highest release) added over materials is no day at all (day 5 of one
material and day 300 of another are not day 305), so such an entry needs a rule of its own, whatever it says.
And ``region_total`` is checked on every agreement-wide entry, those with a rule of their own included.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from simulator import quantities
from simulator.metrics import check_sources
from tests.test_agreement_metric_registry_s60 import RELEASED


@pytest.mark.parametrize("aggregation", ["day_of_max", "day_of_min"])
@pytest.mark.parametrize("region_total", [None, "sum"])
def test_a_day_number_is_not_added_over_materials(aggregation, region_total):
    entry = replace(RELEASED, aggregation=aggregation, region_total=region_total)
    with pytest.raises(ValueError, match=rf"'released_pool_t' has aggregation='{aggregation}': its figures per"):
        check_sources((entry,))


def test_region_total_is_checked_on_an_entry_with_a_rule_of_its_own():
    unused = next(q for q in quantities.AGREEMENT_SUMMARY if q.name == "unused_release_t")
    check_sources((unused,))  # as shipped
    with pytest.raises(ValueError, match=r"'unused_release_t' has region_total='min': over all materials"):
        check_sources((replace(unused, region_total="min"),))
