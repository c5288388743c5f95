"""Under the IEA rule, a shortfall that is mostly the rule's own demand restraint is said to be, with the stock
left unused in the pool (session 60, point 3). Small scenarios built here, worked out by hand.
"""

from __future__ import annotations

from tests.helpers import TWO_MEMBERS, build, run, words_page
from tests.test_report_answers import plain, section


def _iea_pair(commitments: dict[str, float]) -> dict:
    """Both members halted for the 60 days with no stock of their own, 5,000 t each in the pool, under iea_ess.

    Each day the group loses all its 100 t (past 12%): restraint 10%, so Japan may use 18 t and the EU 72 t,
    90 t drawn from the pool by the members' commitment shares.
    """
    data = build(TWO_MEMBERS, agreement__mechanism="iea_ess", agreement__iea_ess={"commitments": commitments})
    del data["agreement"]["ratio"]
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 5000}}, "eu": {"ree": {"tonnes": 5000}}}
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
    # commitments 25:75: obligations 22.5 and 67.5 t; Japan draws its 18 t, the EU 67.5 of its 72 t: short 2 and
    # 12.5 t a day, 870 t, of which the restraint's 10 t a day, 600 t, is 69%: most of it, with its share
    text = _verdict(_iea_pair({"japan": 25, "eu": 75}))
    assert "against 870 t pooled" in text
    assert "Most of the members' shortfall with the stock is the IEA" in text
    assert (
        "up to 7% of each member's demand while the rule acts (10% from a 12% loss): 600 t of rare earths here "
        "(69% of it)" in text
    )
    # equal commitments: obligations 45 t each; Japan draws its 18 t, the EU 45 of its 72 t: short 2 and 35 t a
    # day, 2,220 t, of which the restraint is 10 t a day, 600 t (27%): not most of it, so not said
    text = _verdict(_iea_pair({"japan": 1, "eu": 1}))
    assert "against 2,220 t pooled" in text
    assert "demand restraint" not in text
