"""Under the IEA rule, a shortfall that is mostly the rule's own demand restraint is said to be, with the stock
left unused in the pool (session 60, point 3). Small scenarios built here, worked out by hand.
"""

from __future__ import annotations

from tests.helpers import TWO_MEMBERS, build, run, words_page
from tests.test_report_answers import plain, section


def _iea_pair(commitments: dict[str, float], contributions_t: tuple[float, float] = (5000, 5000)) -> dict:
    """Both members halted for the 60 days with no stock of their own, Japan's and the EU's ``contributions_t`` in
    the pool (5,000 t each unless given), under iea_ess.

    Each day the group loses all its 100 t (past 12%): restraint 10%, so Japan may use 18 t and the EU 72 t,
    90 t drawn from the pool by the members' commitment shares, as long as the pool holds it.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__iea_ess={"commitments": commitments})
    del data["agreement"]["ratio"]
    data["agreement"]["pool"]["contributions"] = {
        "japan": {"ree": {"tonnes": contributions_t[0]}},
        "eu": {"ree": {"tonnes": contributions_t[1]}},
    }
    return data


def _verdict(data: dict) -> str:
    return plain(section(words_page(run(data)), "verdict"))


def test_a_shortfall_that_is_the_iea_rules_restraint_is_said_to_be_with_the_stock_left_in_the_pool():
    # commitments 20:80 as the demands: obligations 18 and 72 t, each member uses exactly its 90%; short 2 and 8 t
    # a day, 600 t over 60 days, all restraint; the pool gives 90 t a day, 5,400 t, and keeps 10,000 - 5,400 t
    text = _verdict(_iea_pair({"japan": 20, "eu": 80}))
    assert (
        "no member would run short, against 600 t pooled. Pooled, Japan is short of 120 t more of rare earths "
        "(120 t against none alone) and the EU of 480 t more (480 t against none). All of the members' shortfall "
        "with the stock is the IEA"
    ) in text
    assert (
        "rule's own demand restraint, up to 7% of each member's demand while the rule acts (10% from a 12% loss): "
        "600 t of rare earths here, though 4,600 t of rare earths was still in the pool at the end (the rule draws "
        "stock only for a loss beyond the restraint)."
    ) in text
    # a pool of 1,130 + 4,000 t gives 90 t a day for 57 days and is empty on the last 3: short 10 t a day, then the
    # whole 100 t, 570 + 300 = 870 t, of which the restraint's 10 t a day, 600 t, is 69%: most of it, with its share
    # (commitments 25:75 would have Japan owe 22.5 t, above its 18 t: it owes 18 t and the EU 72 t, as at 20:80)
    text = _verdict(_iea_pair({"japan": 25, "eu": 75}, contributions_t=(1130, 4000)))
    assert "cuts the members' shortfall of rare earths from 6,000 t to 870 t" in text
    assert "Most of the members' shortfall with the stock is the IEA" in text
    assert (
        "up to 7% of each member's demand while the rule acts (10% from a 12% loss): 600 t of rare earths here "
        "(69% of it)" in text
    )
    # a pool of 780 + 3,000 t gives 90 t a day for 42 days: short 420 + 18 x 100 = 2,220 t, of which the restraint is
    # 10 t a day, 600 t (27%): not most of it, so not said (equal commitments: Japan owes its 18 t, the EU 72 t)
    text = _verdict(_iea_pair({"japan": 1, "eu": 1}, contributions_t=(780, 3000)))
    assert "cuts the members' shortfall of rare earths from 6,000 t to 2,220 t" in text
    assert "demand restraint" not in text
