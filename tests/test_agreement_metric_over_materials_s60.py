"""An agreement-wide metric's figure over all materials is right or refused (session 60 review).

A generic agreement-wide metric (a ``source``, no rule of its own in ``metrics._AGREEMENT``) gets its figure over
all materials as the sum of its figures per material. That is the agreement's figure for a sum, a count or the
last day's stock; for a highest, lowest or first day it is not (one material released 10 t on day 0, another
10 t on day 5: the highest daily release is 10 t, their highest ones summed 20 t). Such an entry is refused
when the registry is checked unless ``region_total='sum'`` asks for the sum. A derived entry with no rule passed
that check (it ran before the rules were defined) and failed only after a run; it is refused too, at import.
"""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from simulator import quantities
from simulator.metrics import check_sources
from tests.test_agreement_metric_registry_s60 import RELEASED

ROOT = Path(__file__).resolve().parents[1]
"""This checkout: the package the subprocess imports."""


@pytest.mark.parametrize("aggregation", ["max", "min", "first"])
def test_an_aggregation_that_does_not_add_up_over_materials_is_refused(aggregation):
    entry = replace(RELEASED, aggregation=aggregation)
    told = rf"'released_pool_t' has aggregation='{aggregation}': its figures per material do not add up"
    with pytest.raises(ValueError, match=told) as err:
        check_sources((*quantities.AGREEMENT_SUMMARY, entry))
    assert str(err.value).startswith("simulator/quantities.py: ")
    check_sources((replace(entry, region_total="sum"),))  # the sum asked for: accepted
    check_sources(tuple(replace(RELEASED, aggregation=adding) for adding in ("sum", "count", "last")))


def test_a_derived_agreement_metric_without_a_rule_is_refused():
    derived = replace(RELEASED, name="pool_gini", aggregation="derived", source=None)
    with pytest.raises(
        ValueError, match=r"'pool_gini' has aggregation='derived', no source and no entry in _AGREEMENT"
    ):
        check_sources((derived,))


def test_the_import_refuses_a_derived_agreement_metric_without_a_rule():
    """The registry as shipped plus one derived entry with no rule: importing simulator.metrics stops."""
    script = (
        "from dataclasses import replace\n"
        "from simulator import quantities as q\n"
        "extra = replace(q.AGREEMENT_SUMMARY[0], name='pool_gini')\n"
        "q.AGREEMENT_SUMMARY = (*q.AGREEMENT_SUMMARY, extra)\n"
        "import simulator.metrics\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == 1
    assert "ValueError: simulator/quantities.py: the agreement-wide metric 'pool_gini' has aggregation='derived'" in (
        done.stderr
    )
