"""The member table's buying cell where a member holds one material today and buys another (s61).

``already_held`` per material lets a member's pool share be partly a stock it holds today, partly bought for the
agreement. The cell must show ``?`` for a purchase the scenario gives no price for, and only for one: a stock
held today is not bought, priced or not.

The world (tests/test_held_per_material_s61.py's): ``TWO_MEMBERS`` (a 30 + 30 t pool of ``ree``, Japan and the EU)
with a second material ``ga``; Japan puts 10 t of ``ga`` in as well and holds its 30 t of ``ree`` today
(``already_held: [{japan: [ree]}]``).

- Case A, ``ree`` at 50 USD/kg and ``ga`` without a price: Japan bought 10 t of ``ga`` it cannot value and holds its
  ree: the cell reads ``? + held already`` (before: ``held already``, the unpriced purchase gone).
- Case B, ``ree`` without a price and ``ga`` at 400 USD/kg: Japan bought 10 t x 400 USD/kg x 1,000 kg/t =
  USD 4.0 m of ``ga``, every purchase valued: ``USD 4.0 m + held already`` (before: ``USD 4.0 m + ? + held
  already``, the ``?`` pointing at the ree it holds, which is not counted). The EU's 30 t of ree are bought
  without a price: ``USD 0 + ?``.
"""

from __future__ import annotations

import html
import re

from simulator.engine import simulate
from simulator.report import Run
from simulator.report.accounts import accounts
from simulator.scenario import validate_data
from tests.helpers import TWO_MEMBERS, build, with_gallium, words_page


def _world(ree_price: float | None, ga_price: float | None) -> dict:
    data = build(TWO_MEMBERS, agreement__pool__already_held=[{"japan": ["ree"]}])
    data["materials"]["ree"] = {"price_usd_per_kg": ree_price} if ree_price else {}
    return with_gallium(data, ga_price)


def _bought_cell(page: str, member: str) -> str:
    row = re.search(rf'<tr data-member="{member}">(.*?)</tr>', page, re.S)
    assert row is not None
    money = re.findall(r'<span class="money">(.*?)</span>', row.group(1))
    return html.unescape(re.sub(r"<[^>]+>", "", money[-2])).replace("\u00a0", " ")  # the last is what it owns


def test_an_unpriced_purchase_beside_a_stock_held_today_shows_its_question_mark():
    result = simulate(validate_data(_world(ree_price=50, ga_price=None), "s.yaml"))
    japan = accounts(Run.of(result))["japan"]
    assert japan.unpriced == ["ga"] and japan.materials_held_today == ["ree"] and japan.buying_usd == 0
    assert _bought_cell(words_page(result), "japan") == "? + held already"


def test_an_unpriced_stock_held_today_gets_no_question_mark():
    result = simulate(validate_data(_world(ree_price=None, ga_price=400), "s.yaml"))
    japan = accounts(Run.of(result))["japan"]
    assert japan.unpriced == [] and japan.materials_held_today == ["ree"]
    assert japan.buying_usd == 10 * 400 * 1000
    page = words_page(result)
    assert _bought_cell(page, "japan") == "USD 4.0 m + held already"
    assert _bought_cell(page, "eu") == "USD 0 + ?"  # the EU bought its 30 t of ree, which has no price


def test_a_stock_held_today_without_a_price_is_valued_as_unknown_not_as_nothing():
    """Case B: Japan's ree held today has no price, so its value at reference prices is unknown: the note under the
    table says ``?`` (and what ``?`` means), not ``USD 0``."""
    result = simulate(validate_data(_world(ree_price=None, ga_price=400), "s.yaml"))
    assert accounts(Run.of(result))["japan"].held_unpriced == ["ree"]
    page = html.unescape(re.sub(r"<[^>]+>", "", words_page(result))).replace("\u00a0", " ")
    assert "its value at the reference prices (?)" in page
    assert "its value at the reference prices (USD 0)" not in page
    assert "neither its value at reference prices (?) nor" in page  # the cost line above the table
    assert "?: the scenario gives no price for a material, so its share is not valued." in page
