"""What a member's national reserve passes to other members is "given" under a grant settlement
(nothing owed or repaid), "sold" under a sale (paid for) and "lent" under a loan (owed back in
kind): the region table's ``lent_t`` row and the verdict's note say which.

``battery_materials`` (grant) said Japan "lent" the EU 364 t of cobalt, which it never gets back.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers import TWO_MEMBERS, build, run, shipped_group, shipped_report, words_page


def national(settlement: object) -> str:
    """Japan holds a 100 t reserve and may pass half of it on: on day 0 it draws 20 t for itself
    and 50 t goes to the EU (min(80 t left, 50% of 100 t)), the only such tonnes of the run."""
    data = build(TWO_MEMBERS, agreement__settlement=settlement)
    data["agreement"]["pool"] = {"mode": "national", "lendable_share": 0.5}
    data["regions"]["japan"]["reserve"] = {"ree": {"tonnes": 100}}
    result = run(data)
    assert result.summary["lent_t"].sum() == pytest.approx(50.0)  # NaN (no figure) elsewhere: skipped
    return words_page(result)


def rows(page: str) -> list[str]:
    return re.findall(r"<th>(\w+) to other members \(t\)</th>", page)


def test_a_grant_gives():
    page = national("grant")
    assert rows(page) == ["Given"]
    assert "gave 50.0\N{NO-BREAK SPACE}t to other members" in page
    assert "lent 50" not in page and "Lent to" not in page


@pytest.mark.parametrize(
    ("settlement", "row", "verb"), [({"kind": "loan", "term_days": 30}, "Lent", "lent"), ("sale", "Sold", "sold")]
)
def test_a_loan_lends_and_a_sale_sells(settlement, row, verb):
    page = national(settlement)
    assert rows(page) == [row]
    assert f"{verb} 50.0\N{NO-BREAK SPACE}t to other members" in page
    assert "gave" not in page and "Given to" not in page
    assert ("Lent to" in page) == (row == "Lent") and ("Sold to" in page) == (row == "Sold")


@shipped_group("battery_materials")
def test_battery_materials_japan_gives_the_eu_cobalt():
    page = shipped_report("battery_materials")
    assert rows(page) == ["Given"]
    assert "gave 364\N{NO-BREAK SPACE}t to other members" in page
