"""The report's settlement table: who paid in, who drew, who owes whom.

Layer: studies. One row per member and material from the run's ledger
(:func:`simulator.results.ledger_table`); a sentence names the settlement and, where
members owe each other, who owes whom.
"""

from __future__ import annotations

from html import escape

from simulator.report.html_names import HtmlNames
from simulator.report.words import tonnes, usd_all, usd_m
from simulator.results import Result
from simulator.scenario.checks import reference_price

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
            f"<td>{names.region(row.member)}</td><td>{names.material(row.material)}</td>"
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
    table = f'<table class="ledger"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>' if rows else ""
    return (
        '<section id="ledger"><h2>Who paid in, who drew, who owes whom</h2>'
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
    """One sentence per material: the members with a negative net position and those with a positive one."""
    items = []
    for material, rows in result.ledger.groupby("material", sort=False):
        debtors = rows[rows["net_position_usd"] < -0.5]
        creditors = rows[rows["net_position_usd"] > 0.5]
        if debtors.empty:
            continue
        owed_usd = usd_all(-debtors["net_position_usd"])  # one unit for the sentence's amounts
        owe = ", ".join(f"{names.region(r.member)} ({v})" for r, v in zip(debtors.itertuples(), owed_usd, strict=True))
        owed = ", ".join(names.region(r.member) for r in creditors.itertuples())
        items.append(f"<li>{names.material(str(material))}: {owe} to {owed}.</li>")
    grants = result.ledger[result.ledger["grant_t"] > 0]
    if not items and not grants.empty:
        given = grants[grants["drawn_from_others_t"] > 0.5]
        if not given.empty:
            drawn = ", ".join(
                f"{names.region(r.member)} {tonnes(r.drawn_from_others_t)} of {names.material(r.material)}"
                for r in given.itertuples()
            )
            return f"<p>Received from other members' shares as grants, owing nothing: {drawn}.</p>"
        return ""
    return f'<p>Who owes whom at the end:</p><ul class="findings">{"".join(items)}</ul>' if items else ""
