"""The report's settlement table: who paid in, who drew, who owes whom.

Layer: studies. One row per member and material from the run's ledger
(:func:`simulator.results.ledger_table`); a sentence names the settlement and, where
members still owe each other loans, who owes whom (auctions and sales are paid when made).
"""

from __future__ import annotations

from html import escape
from typing import Any

from simulator.report.html_names import HtmlNames
from simulator.report.style import caption, scroll_region
from simulator.report.words import VISIBLE_T, tonnes, usd_all, usd_m
from simulator.results import Result
from simulator.scenario.checks import reference_price

HEADING = "Who paid in, who drew, who owes whom"
"""The section's heading, and its table's (hidden) caption."""

_SETTLED = {
    "grant": "as grants: free transfers, nothing is owed",
    "sale": "as sales: the member pays the owners for each tonne beyond its own share",
    "loan": "as loans: the member returns each tonne beyond its own share in kind, through the pool's refills",
}


def ledger_section(result: Result, names: HtmlNames) -> str:
    """The section ``Who paid in, who drew, who owes whom`` (empty without an agreement)."""
    ledger = result.ledger
    if ledger.empty:
        return ""
    kind = str(ledger["settlement"].iloc[0])
    rows = []
    unpriced = False
    for row in ledger.itertuples(index=False):
        if row.contributed_t == 0 and row.drawn_t == 0 and row.loan_receivable_t == 0:
            continue
        priced = reference_price(result.scenario, str(row.material)) is not None
        unpriced |= not priced and row.contributed_t > 0
        paid_in = usd_m(row.contributed_usd) if priced or row.contributed_t == 0 else "?"
        rows.append(
            "<tr>"
            f'<td class="name">{names.region(row.member)}</td><td class="name">{names.material(row.material)}</td>'
            f'<td class="num">{tonnes(row.contributed_t)}</td><td class="num">{paid_in}</td>'
            f'<td class="num">{tonnes(row.drawn_t)}</td><td class="num">{tonnes(row.drawn_from_others_t)}</td>'
            f'<td class="num">{usd_m(row.auction_paid_usd + row.sale_paid_usd)}</td>'
            f'<td class="num">{usd_m(row.auction_revenue_usd + row.sale_received_usd)}</td>'
            f'<td class="num">{tonnes(row.loan_owed_t)}</td><td class="num">{tonnes(row.loan_receivable_t)}</td>'
            f'<td class="num">{usd_m(row.net_position_usd)}</td>'
            "</tr>"
        )
    head = (
        "<tr><th>Member</th><th>Material</th><th>Paid in</th><th>Paid in (USD m)</th><th>Drew</th>"
        "<th>Drew from others' share</th><th>Paid (USD m)</th><th>Received (USD m)</th><th>Owes</th>"
        "<th>Is owed</th><th>Net position (USD m)</th></tr>"
    )
    name = f"{HEADING}: each member and material"
    table = f'<table class="ledger">{caption(name, hidden=True)}<thead>{head}</thead><tbody>{"".join(rows)}</tbody>'
    table = scroll_region(f"{table}</table>", name) if rows else ""
    return (
        f'<section id="ledger"><h2>{HEADING}</h2>'
        f"<p>Stock allocated by the release rule is settled {escape(_SETTLED[kind])}; stock bought at auction is "
        "paid at the auction's price to the pool's owners.</p>"
        f"{_owes_whom(result, names)}{table}"
        '<p class="note">Paid in: contributions to the pool (national mode: the lendable part of the reserve), in '
        "tonnes and at the day-0 world price (with a market, its reference price). Drew from others' share: "
        "rule draws beyond the member's own part of them "
        "(negative: its stock went to others). Net position: received minus paid, plus tonnes owed to it minus "
        "tonnes it owes at the last day's price."
        + (" ?: the scenario gives the material no price, so what was paid in is not valued." if unpriced else "")
        + "</p></section>"
    )


def _owes_whom(result: Result, names: HtmlNames) -> str:
    """What members still owe each other at the end, what they paid each other during the run, and grants.

    Only loans are owed at the end: auctions and sales are paid the day the stock is bought
    (``auction_paid_usd``, ``sale_paid_usd``), grants are free. A member's loans are netted
    against those owed to it (``loan_owed_t - loan_receivable_t``), per material, and valued
    at the last day's price; what was paid is netted the same way (received minus paid).
    """
    ledger = result.ledger
    owed, paid = [], []
    for material, rows in ledger.groupby("material", sort=False):
        label = names.material(str(material))
        net_t = rows["loan_owed_t"] - rows["loan_receivable_t"]
        debtors, creditors = rows[net_t >= VISIBLE_T], rows[net_t <= -VISIBLE_T]
        if not debtors.empty:
            end_price = float(rows["end_price_usd_per_kg"].iloc[0])
            owed_t = net_t[debtors.index]
            values = usd_all(owed_t * end_price * 1000.0) if end_price > 0 else [""] * len(owed_t)
            owe = ", ".join(
                f"{names.region(r.member)} ({tonnes(t)}" + (f", {v})" if v else ")")
                for r, t, v in zip(debtors.itertuples(), owed_t, values, strict=True)
            )
            owed.append(f"<li>{label}: {owe} to {_members(names, creditors)}.</li>")
        received = rows["auction_revenue_usd"] + rows["sale_received_usd"]
        cash = received - rows["auction_paid_usd"] - rows["sale_paid_usd"]
        payers, payees = rows[cash < -0.5], rows[cash > 0.5]
        if not payers.empty:
            amounts = usd_all(-cash[payers.index])  # one unit for the sentence's amounts
            pay = ", ".join(
                f"{names.region(r.member)} ({v})" for r, v in zip(payers.itertuples(), amounts, strict=True)
            )
            paid.append(f"<li>{label}: {pay} to {_members(names, payees)}.</li>")
    out = []
    if owed:
        out.append(
            "<p>Who owes whom at the end: loans not yet returned in kind, net of those owed back (tonnes, and their "
            f'value at the last day\'s price):</p><ul class="findings">{"".join(owed)}</ul>'
        )
    if paid:
        ways = [("at auction", "auction_paid_usd"), ("for the rule's tonnes sold", "sale_paid_usd")]
        what = " and ".join(words for words, column in ways if (ledger[column] > 0).any())
        out.append(
            f"<p>Paid during the run, {escape(what)}, net of what each received (settled when the stock was "
            f'bought):</p><ul class="findings">{"".join(paid)}</ul>'
        )
    given = ledger[(ledger["grant_t"] > 0) & (ledger["drawn_from_others_t"] > 0.5)]
    if not given.empty:
        drawn = ", ".join(
            f"{names.region(r.member)} {tonnes(r.drawn_from_others_t)} of {names.material_text(r.material)}"
            for r in given.itertuples()
        )
        out.append(f"<p>Received from other members' shares as grants, owing nothing: {drawn}.</p>")
    if (paid or not given.empty) and not owed:
        out.insert(0, "<p>Nothing is owed at the end.</p>")
    return "".join(out)


def _members(names: HtmlNames, rows: Any) -> str:
    """The members of ``rows`` (ledger rows), named and joined by commas."""
    return ", ".join(names.region(r.member) for r in rows.itertuples())
