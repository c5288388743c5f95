"""The release rule in plain words, and what the rule did in the run (auctions, rule releases).

Layer: studies.
"""

from __future__ import annotations

from html import escape
from typing import Any

from simulator import shortages
from simulator.mechanisms import BY_NAME, Mechanism
from simulator.names import is_residue
from simulator.numeric import EPS_T
from simulator.report.accounts import Account, Stake
from simulator.report.html_names import HtmlNames
from simulator.report.style import caption, scroll_region
from simulator.report.words import (
    DASH,
    VISIBLE_T,
    bid_segment,
    cap,
    in_millions,
    join_words,
    percent,
    plural,
    price,
    rounded_half_up,
    tonnes,
    usd,
    usd_all,
    when,
    whole_percent,
)
from simulator.report.words import days as days_text
from simulator.results import Result, shared_stock_held
from simulator.scenario import Scenario
from simulator.scenario.portfolio import has_demand
from simulator.stocks import starting_stocks

NO_DEMAND_CELL = '<td colspan="{}"><small>no demand</small></td>'
"""A member's cell(s) for a material it has no demand for, in tables of what members bought or received."""

AUCTIONS_HEADING = "Auctions in this run"
"""The heading over :func:`auction_results`' table, and the table's (hidden) caption: one name for both."""
RELEASES_HEADING = "What members received from the shared stock"
"""The heading over :func:`rule_releases`' table, and the table's (hidden) caption."""

MEMBER_COLUMNS = 5
"""Of more members than this, a table with a column per member (:func:`pool_table`, :func:`rule_releases`) gives each
a row instead: twelve members' columns do not fit the page's width on a screen of 1280 px or on A4, and a table
that scrolls sideways hides members and prints cut off."""


def _table(
    cls: str,
    name: str,
    corner: str,
    heads: list[str],
    rows: list[tuple[str, list[str]]],
    by_member: bool,
    hidden: bool = False,
) -> str:
    """A table of ``rows`` (a header cell's HTML, then its ``<td>`` cells), ``heads`` over their cells.

    ``name``: its caption (HTML, :func:`~simulator.report.style.caption`'s, ``hidden`` where a heading names it),
    and the name of the box it scrolls in (:func:`~simulator.report.style.scroll_region`).
    ``by_member``: turned over, each row a column and each column a row (``corner`` heads the first column either
    way), as :data:`MEMBER_COLUMNS` asks of a table whose columns are the members; its class adds ``by-member``.
    """
    if by_member:
        cells = [[row[k] for _, row in rows] for k in range(len(heads))]
        heads, rows = [head for head, _ in rows], [(head, cells[k]) for k, head in enumerate(heads)]
        cls += " by-member"
    head = "".join(f"<th>{h}</th>" for h in heads)
    body = "".join(f"<tr><th>{h}</th>{''.join(cells)}</tr>" for h, cells in rows)
    table = (
        f'<table class="{cls}">{caption(name, hidden)}<thead><tr><th>{corner}</th>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table>"
    )
    return scroll_region(table, name)


def _demand(scenario: Scenario, region: str, material: str) -> float:
    demand = scenario.regions[region].demand.get(material)
    return demand.tonnes_per_day if demand is not None else 0.0


def _measured_loss_words(loss: Any) -> str:
    """``their arrivals over the last 30 days below 90% of normal, or one member's below 80%``."""
    return (
        f"their arrivals over the last {loss.window_days} days below {percent(loss.group_below)} of normal, "
        f"or one member's below {percent(loss.member_below)}"
    )


def _switch_words(trigger: Any) -> str:
    """What switches a rule applied under a threat, in words (``trigger.switch_on``)."""
    declared = "an embargo is declared against a member"
    measured = "the members measure a supply loss"
    if trigger.switch_on != "declared_embargo" and trigger.measured_loss is not None:
        measured += f" ({_measured_loss_words(trigger.measured_loss)})"
    return {"declared_embargo": declared, "measured_loss": measured, "either": f"{declared} or {measured}"}[
        trigger.switch_on
    ]


THREAT = "under a threat to supply"
"""The words of a mechanism's description (:data:`simulator.mechanisms.MECHANISMS`) that the
report replaces by what switches it in the scenario (:func:`_switch_words`)."""


def _description(mechanism: Mechanism, trigger: Any) -> str:
    """The mechanism's description, saying what switches a rule applied under a threat in this scenario.

    ``hybrid`` auctions ``... under a threat to supply, each release is shared by the ...
    ratio``: the threat is a declared embargo, a measured supply loss, or either
    (``trigger.switch_on``), so the page names the one the run's kernel tests.
    """
    if mechanism.shares_when != "embargo_on_member":
        return mechanism.description
    assert THREAT in mechanism.description
    return mechanism.description.replace(THREAT, f"while {_switch_words(trigger)}")


def pool_table(scenario: Scenario, names: HtmlNames) -> str:
    """Contributions (joint) or reserves (national) per member and material, in t and days."""
    agreement = scenario.agreement
    assert agreement is not None
    members = agreement.members
    joint = agreement.pool.mode == "joint"
    stocks = starting_stocks(scenario)
    held_t = stocks.contributed_t if joint else stocks.reserve_t
    rows = []
    for material in scenario.materials:
        cells, total_t = [], 0.0
        total_demand = sum(_demand(scenario, m, material) for m in members)
        for member in members:
            daily = _demand(scenario, member, material)
            t = held_t[member, material]
            total_t += t
            if daily <= 0:
                shown = f"{tonnes(t)}<br><small>no demand</small>"
            else:
                shown = f"{tonnes(t)}<br><small>{_days_of_demand(t / daily)}</small>" if t else tonnes(t)
            cells.append(f"<td>{shown}</td>")
        pool_days = (
            f"<br><small>{_days_of_demand(total_t / total_demand)} of members' demand</small>" if total_demand else ""
        )
        rows.append((names.material(material), [*cells, f"<td><strong>{tonnes(total_t)}</strong>{pool_days}</td>"]))
    what = "Contribution to the joint pool" if joint else "National reserve"
    heads = [names.region(m) for m in members] + ["Joint pool" if joint else "All members"]
    turned = len(members) > MEMBER_COLUMNS
    return (
        _table("pool", f"{what} on day 0", "Member" if turned else "Material", heads, rows, by_member=turned)
        + f'<p class="note">{what} on day 0 per member, in tonnes and in days of the member\'s own normal demand '
        "(no demand: the member uses none of the material).</p>"
    )


def rule_words(scenario: Scenario, names: HtmlNames) -> list[str]:
    """HTML blocks (paragraphs and tables) stating the agreement's release rule in plain words.

    Names come escaped from ``names``; the report's own words are escaped where they may hold an apostrophe.
    """
    a = scenario.agreement
    if a is None:
        reserves = [
            f"{names.region(r)}: {join_words([names.material_text(m) for m in spec.reserve])}"
            for r, spec in scenario.regions.items()
            if spec.reserve
        ]
        text = "There is no joint arrangement: each region meets its demand from its own commercial stock"
        text += f" and its national reserve ({'; '.join(reserves)})." if reserves else "; no region holds a reserve."
        return [f"<p>{text}</p>"]
    members = join_words([names.region(m) for m in a.members])
    out = [f"Members: {members}. Release rule: {escape(_description(BY_NAME[a.mechanism], a.trigger))}."]
    tables = [pool_table(scenario, names)]
    pool = a.pool
    if pool.mode == "joint":
        text = "The members hold one joint pool per material, owned in proportion to their contributions (table below)"
        if pool.refill_t_per_day:
            refill = ", ".join(f"{names.material_text(m)} {tonnes(v)} a day" for m, v in pool.refill_t_per_day.items())
            text += f"; after a drawdown it is refilled at up to {refill}"
        out.append(text + ".")
    else:
        out.append(
            escape(
                f"Each member keeps its own national reserve (table below); up to {percent(pool.lendable_share)} of it "
                f"may go to other members, never pushing the donor below {pool.donor_floor_days:g} days of cover."
            )
        )
    mechanism = BY_NAME[a.mechanism]
    if mechanism.needs_ratio or a.ratio:
        ratio = ", ".join(f"{names.region(m)} {percent(w)}" for m, w in a.ratio.items())
        text = f"Pre-agreed fair allocation ratio: {ratio}"
        if not mechanism.needs_ratio:
            text += " (set, but not used by this rule)."
        elif a.strict:
            text += "; a share a member cannot use is withheld."
        else:
            text += "; a share a member cannot use goes to the others still in need, in proportion to their ratios."
        out.append(text)
    trigger = a.trigger
    if trigger.commercial_days_below > 0:
        text = (
            f"A member can call on the stock once its commercial (industry) stock falls below "
            f"{trigger.commercial_days_below:g} days of its normal demand"
        )
    else:
        text = "A member can call on the stock once its commercial stock no longer meets its demand"
    if trigger.measured_loss is not None:
        text += f", or when the members measure a supply loss ({_measured_loss_words(trigger.measured_loss)})"
    text += f"; the arrangement stands down after {trigger.standdown_days} days without a call."
    out.append(escape(text))
    if mechanism.shares_when != "embargo_on_member" and trigger.switch_on != "declared_embargo":
        out.append(escape(f"switch_on: {trigger.switch_on} is set, but not used by this rule (it switches hybrid)."))
    if a.release_times is not None:
        times = a.release_times
        lags = (
            f"Releases open {times.normal_days} days after the first call, or {times.emergency_days} days after "
            "it in an emergency (a supply shock cutting a member's shipments), and arrive the day they are decided."
        )
    else:
        lags = f"Releases open {a.decision_lag_days} days after the first call (time to decide)"
        lags += (
            f" and each release arrives {a.delivery_days} days after its decision"
            if a.delivery_days
            else " and arrive the day they are decided"
        )
        lags += unset_lags(a) + "."
    lags = escape(lags)
    if a.release_cap_t_per_day:
        caps = ", ".join(f"{names.material_text(m)} {tonnes(v)}" for m, v in a.release_cap_t_per_day.items())
        lags += f" At most this much is released a day: {caps}."
    out.append(lags)
    if any(spec.reserve for spec in scenario.regions.values()) and pool.mode == "joint":
        first = "before" if a.order == "national_first" else "after"
        out.append(escape(f"Members draw their own national reserves {first} the shared stock."))
    bids = ""
    if a.auction is not None and mechanism.holds_auctions:
        words, bids = _auction_words(scenario, names)
        out.append(words)
    if mechanism.shares_as == "iea_ess":
        e = a.iea_ess
        out.append(
            escape(
                f"IEA system settings: it activates when the group loses {whole_percent(e.trigger_loss_share)} of "
                f"its supply, or one member {whole_percent(e.selective_loss_share)} of its own; members then restrain "
                f"demand by {whole_percent(e.restraint)} ({whole_percent(e.higher_restraint)} from a "
                f"{whole_percent(e.higher_loss_share)} loss), draw stock by their reserve commitments and pass "
                "supplies to members below their supply right. This follows the arithmetic of the IEA's "
                "International Energy Program (IEP), with supply measured as what a member drew from its "
                "commercial stock each day rather than the arrivals the IEP counts: a member cut off counts as "
                "supplied while its stock lasts, so under an embargo on one member it can pass "
                "supplies on where under the IEP it would receive (docs/release-rules.md, “Where it departs from "
                "the IEP”)."
            )
        )
    if mechanism.shares_as == "need_with_restraint":
        e = a.iea_ess
        out.append(
            escape(
                f"IEA system settings: demand restraint {whole_percent(e.restraint)}; it activates when the group's "
                f"gap reaches {whole_percent(e.trigger_loss_share)} of its demand."
            )
        )
    blocks = [f"<p>{text}</p>" for text in out]
    return [*blocks[:2], *tables, *blocks[2:], bids]


def _auction_words(scenario: Scenario, names: HtmlNames) -> tuple[str, str]:
    a = scenario.agreement
    assert a is not None
    auction = a.auction
    assert auction is not None
    pricing = (
        "uniform price: every winning bid pays the clearing price, the lowest accepted bid"
        if auction.pricing == "uniform"
        else "pay as bid: each winning bid pays its own price"
    )
    every = "every day" if auction.every_days == 1 else f"every {auction.every_days} days"
    rule = BY_NAME[a.mechanism]
    unless = f" and {BY_NAME[str(rule.shares_as)].phrase} does not apply" if rule.shares_when != "never" else ""
    text = f"Auctions are held {every} while the arrangement is active{unless}; {pricing}."
    if auction.reserve_price_usd_per_kg:
        prices = ", ".join(
            f"{names.material_text(m)} {price(v)} USD/kg" for m, v in auction.reserve_price_usd_per_kg.items()
        )
        text += f" Reserve prices (no stock is sold below them): {prices}."
    if auction.lot_t:
        lots = ", ".join(f"{names.material_text(m)} {tonnes(v)}" for m, v in auction.lot_t.items())
        text += f" Lot per auction: {lots}."
    else:
        text += " Each auction offers all stock available for release."
    fixed = _fixed_bid_materials(scenario)
    if fixed:
        text += (
            f" The bids for {join_words([names.material_text(m) for m in fixed])} are fixed prices in USD/kg "
            "(per kg of the material as the scenario counts it) and do not follow the model&#x27;s world price. "
            "So when the market price is above the bids, the auction sells below market, at the lowest accepted "
            "bid: a subsidy to the winners. (A scenario can instead set bids as a multiple of the day&#x27;s price.)"
        )
    text += escape(" Members' buyers bid for their expected needs in price segments by end use:")
    rows = []
    for member, by_material in auction.bids.items():
        for material, segments in by_material.items():
            uses = names.end_uses[member, material]
            bids = "; ".join(
                bid_segment(s.share, s.price_usd_per_kg, use, s.price_multiplier, s.max_usd_per_kg)
                for s, use in zip(segments, uses, strict=True)
            )
            rows.append(f"<tr><td>{names.region(member)}</td><td>{names.material(material)}</td><td>{bids}</td></tr>")
    name = "Members' bids at auction"
    table = (
        f'<table class="bids">{caption(escape(name))}<thead><tr><th>Member</th><th>Material</th>'
        f"<th>Bids (share of expected need at a price)</th></tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
    table = scroll_region(table, escape(name)) if rows else ""
    return text, table


def _fixed_bid_materials(scenario: Scenario) -> list[str]:
    """The materials with a market that some member bids for at a fixed price (``price_usd_per_kg``), in order.

    Such a bid ignores the model's world price: an auction held while the market is above it sells the
    pool's stock below the market (docs/release-rules.md, "The shipped bids are fixed prices").
    """
    a = scenario.agreement
    if a is None or a.auction is None:
        return []
    bid = {
        m
        for by_material in a.auction.bids.values()
        for m, segments in by_material.items()
        if m in scenario.market and any(s.price_usd_per_kg is not None for s in segments)
    }
    return [m for m in scenario.materials if m in bid]


def _amounts(names: HtmlNames, by_member: dict[str, float]) -> list[str]:
    """``EU USD 2.9 m``, ``South Korea USD 0.99 m``: the members' positive amounts of one sentence, in one unit."""
    paid = {m: v for m, v in by_member.items() if v > 0}
    return [f"{names.region(m)} {text}" for m, text in zip(paid, usd_all(paid.values()), strict=True)]


def _won_cells(stake: Stake, spend: str) -> str:
    """A member's two cells of the auction table: won (spend) and drew (unused at the end)."""
    return (
        f"<td>{tonnes(stake.won_t)}<br><small>{spend}</small></td>"
        f"<td>{tonnes(stake.drawn_auction_t)}<br><small>{tonnes(stake.unused_auction_t)} unused</small></td>"
    )


def auction_results(result: Result, accounts: dict[str, Account], names: HtmlNames) -> str:
    """What the auctions sold, to whom, at which prices, and what the winners drew of it (HTML; empty without)."""
    auctions = result.auctions
    if auctions.empty:
        return _no_auction(result, names)
    start = result.start_date
    members = result.structure.member_names
    sentences = []
    rows = []
    spent = [float(auctions[f"spend_usd.{m}"].sum()) for m in members]  # the table's amounts: one unit for all
    millions = in_millions(spent)
    for material, group in auctions.groupby("material", sort=False):
        material = str(material)
        sold = group[group["sold_t"] > 0]
        prices = sold["clearing_price_usd_per_kg"].dropna()
        text = f"{names.material(material)}: {plural(len(group), 'auction')} {_span(start, group['day'])}"
        if len(sold):
            rng = (
                f"a clearing price of {price(prices.min())} USD/kg"
                if prices.min() == prices.max()
                else f"clearing prices from {price(prices.min())} to {price(prices.max())} USD/kg"
            )
            of_them = "" if len(group) == 1 else f" in {len(sold)} of them"
            text += f"; {tonnes(sold['sold_t'].sum())} sold{of_them} at {rng}"
        else:  # bids all below the reserve price (an auction of an empty pool is not held)
            text += "; nothing sold"
        sentences.append(text + ".")
        for member in members:
            stake = accounts[member].stakes[material]
            if stake.won_t > 0:
                sentence = (
                    f"{cap(names.subject(member))} won {tonnes(stake.won_t)} of {names.material_text(material)} "
                    f"and drew {tonnes(stake.drawn_auction_t)} of it"
                )
                if stake.unused_auction_t >= VISIBLE_T:  # tonnes, not money: what reads 0 t is not mentioned
                    sentence += (
                        f"; the other {tonnes(stake.unused_auction_t)} it had bought was still unused on the last "
                        "day, held in the pool for it"
                    )
                sentences.append(sentence + ".")
        won = [
            NO_DEMAND_CELL.format(2)
            if not has_demand(result.scenario, m, material) and not accounts[m].stakes[material].won_t
            else _won_cells(accounts[m].stakes[material], usd(group[f"spend_usd.{m}"].sum(), in_millions=millions))
            for m in members
        ]
        price_cell = DASH if not len(prices) else price(prices.min())
        if len(prices) and prices.max() > prices.min():
            price_cell += f"{DASH}{price(prices.max())}"
        rows.append((names.material(material), [len(group), len(sold), tonnes(group["sold_t"].sum()), price_cell], won))
    auctioned = set(auctions["material"])
    unsold = {m: day for m, day in _emptied_for_good(result).items() if m not in auctioned}
    if unsold:  # auctions of the other materials were held: say why these had none
        none_of = join_words([names.material_text(m) for m in unsold])
        sentences.append(f"No auction of {none_of} was held. {_emptied_words(result, names, unsold)}")  # HTML names
    if never := [m for m in _bid_for_never_held(result) if m not in auctioned]:
        none_of = join_words([names.material_text(m) for m in never])
        sentences.append(f"No auction of {none_of} was held: the pool holds none of {_it(never)}.")  # HTML names
    spend = _amounts(names, {m: a.auction_paid_usd for m, a in accounts.items()})
    revenue = _amounts(names, {m: a.auction_received_usd for m, a in accounts.items()})
    if spend:
        sentences.append(f"Spend at auction: {join_words(spend)}.")
    if revenue:
        sentences.append(
            escape("The proceeds go to the pool's owners in proportion to what they own of it: ")
            + f"{join_words(revenue)}."
        )
    if not (auctions["sold_t"] > 0).any():
        return "".join(f"<p>{s}</p>" for s in sentences)
    table = (
        _auction_table([names.region(m) for m in members], rows)
        + '<p class="note">Stock a member wins stays in the pool, held for it, and is drawn as its gaps open: '
        "won = drawn + unused at the end.</p>"
    )
    return "".join(f"<p>{s}</p>" for s in sentences) + table


AUCTION_HEADS = ("Auctions", "With sales", "Sold", "Clearing price<br><small>USD/kg</small>")
"""The auctions table's columns of a material (:func:`_auction_table`), before its members' two each."""


WIDE_CELL = '<td colspan="2">{}</td>'
"""A material's cell of the turned auctions table over its members' two columns."""


def _auction_table(members: list[str], rows: list[tuple[str, list[Any], list[str]]]) -> str:
    """The auctions table: a row per material, or past :data:`MEMBER_COLUMNS` members a row per member (turned).

    ``members``: the members' names (HTML); ``rows``: each material's name (HTML), its :data:`AUCTION_HEADS`' values
    and each member's two cells (:func:`_won_cells`, or one of two columns where it has no demand). Turned over as
    :func:`pool_table` is, each material has two columns and each member a row: twelve members' 24 columns beside
    a material's four scrolled sideways on a screen of 1,280 px (Poland's cut off) and ran off the paper. The
    turned table's corner says "Member", as :func:`pool_table`'s: its first column holds the auctions' row labels
    and then the members, the materials heading the columns.
    """
    cells = "won (spend) | drew (unused at the end)"
    if len(members) > MEMBER_COLUMNS:  # the members' two cells named once, over each material's pair
        head = "".join(f'<th colspan="2">{material}<br><small>members: {cells}</small></th>' for material, _, _ in rows)
        body = [
            f"<tr><th>{h}</th>{''.join(WIDE_CELL.format(values[k]) for _, values, _ in rows)}</tr>"
            for k, h in enumerate(AUCTION_HEADS)
        ]
        body += [f"<tr><th>{m}</th>{''.join(won[k] for _, _, won in rows)}</tr>" for k, m in enumerate(members)]
        table = (
            f'<table class="auctions by-member">{caption(AUCTIONS_HEADING, hidden=True)}<thead><tr><th>Member</th>'
            f"{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        )
        return scroll_region(table, AUCTIONS_HEADING)
    head = "".join(f"<th>{h}</th>" for h in AUCTION_HEADS)
    head += "".join(f'<th colspan="2">{m}<br><small>{cells}</small></th>' for m in members)
    body = [
        f"<tr><th>{material}</th>{''.join(f'<td>{v}</td>' for v in values)}{''.join(won)}</tr>"
        for material, values, won in rows
    ]
    table = (
        f'<table class="auctions">{caption(AUCTIONS_HEADING, hidden=True)}<thead><tr><th>Material</th>{head}</tr>'
        f"</thead><tbody>{''.join(body)}</tbody></table>"
    )
    return scroll_region(table, AUCTIONS_HEADING)


def _no_auction(result: Result, names: HtmlNames) -> str:
    """Why a rule that auctions held no auction in a run where its sharing rule released stock (HTML; '' otherwise).

    auctions.csv has a row for each auction held; an auction without bids, or on an empty pool, is not held.
    An auction is due only on days releases are open and the sharing rule does not apply
    (:meth:`simulator.kernel.agreement.AgreementStep._auction_due`); a day the rule decided
    (``release_rule`` in timeseries.csv, a row of releases.csv) is a day it applied, so where
    the rule decided every day from its first decision to the last day of the run, no
    auction of that material was due in that time. A run that released nothing at all is
    told by :func:`no_release_note`.
    """
    agreement = result.scenario.agreement
    releases = result.releases
    if agreement is None or agreement.auction is None or not BY_NAME[agreement.mechanism].holds_auctions:
        return ""
    if releases.empty or not (releases["released_t"] > 0).any():
        return ""
    mechanism = BY_NAME[agreement.mechanism]
    text = "No auction was held in this run. An auction is held only on a day releases are open"
    if mechanism.shares_when != "never":
        text += f" and {BY_NAME[str(mechanism.shares_as)].phrase} does not apply (the switch above)"
    text += (
        ", and only if a member bids and the pool has stock to offer: a member bids for the shortfall it expects "
        "before the next auction, net of its commercial stock and of stock it already bought, and an auction "
        "without bids, or on an empty pool, is not held."
    )
    text = escape(text)
    last = result.scenario.horizon_days - 1
    start = result.start_date
    throughout = []
    for material, group in releases[releases["mechanism"] != "auction"].groupby("material", sort=False):
        days = group["day"].drop_duplicates()
        first = int(days.min())
        if int(days.max()) == last and len(days) == last - first + 1:
            throughout.append(f"{names.material_text(str(material))} from {when(start, first)}")
    if throughout:
        text += (
            escape(f" Here {BY_NAME[str(mechanism.shares_as)].phrase} applied every day from its first release to the ")
            + f"end of the run ({join_words(throughout)}), so no auction of {_it(throughout)} was due."
        )
    if emptied := _emptied_for_good(result):
        text += " " + _emptied_words(result, names, emptied)  # HTML: the names escaped
    if never := _bid_for_never_held(result):
        none_of = join_words([names.material_text(m) for m in never])
        text += f" The pool holds no {none_of}, so no auction of {_it(never)} had stock to offer."  # HTML names
    return f"<p>{text}</p>"


def _it(materials: list[str]) -> str:
    """``it`` for one material, ``them`` for more."""
    return "it" if len(materials) == 1 else "them"


def _bid_for_never_held(result: Result) -> list[str]:
    """The materials members bid for whose joint pool never held any stock (in the scenario's order).

    An auction of such a material is never held (:meth:`~simulator.kernel.agreement.AgreementStep._auction`:
    nothing to offer); :func:`~simulator.results.shared_stock_held` says whether the pool held it on
    some day, from its contributions on. None in ``national`` mode (no pool.csv).
    """
    agreement = result.scenario.agreement
    if agreement is None or agreement.auction is None or result.pool.empty:
        return []
    bid = {m for by_material in agreement.auction.bids.values() for m in by_material}
    return [m for m in result.scenario.materials if m in bid and not shared_stock_held(result, m)]


def _emptied_words(result: Result, names: HtmlNames, emptied: dict[str, int]) -> str:
    """The sentence (HTML, names escaped) saying on which day each pool of ``emptied`` (material: day) emptied."""
    days = [f"{when(result.start_date, day)} ({names.material_text(m)})" for m, day in emptied.items()]
    return (
        f"The pool was emptied on {join_words(days)} and held nothing after that, so no auction from then on had "
        "stock to offer."
    )


def _emptied_for_good(result: Result) -> dict[str, int]:
    """The first day of the empty pool, by material, for each pool that held stock and was empty from a day on.

    pool.csv's ``pool_stock_t`` is the stock at the end of each day: the day named is the first
    of the days that end with nothing left (day 0 for a pool released whole on its first day).
    Nothing is up to :data:`~simulator.numeric.EPS_T` tonnes, the kernel's test for an auction
    with nothing to offer: a pool sold down in lots can end with a rounding residue (1.4e-16 t).
    """
    released = result.releases.loc[result.releases["released_t"] > 0, "material"]
    emptied = {}
    for material, group in result.pool.groupby("material", sort=False):
        days = group.sort_values("day")
        held = (days["pool_stock_t"] > EPS_T).to_numpy()
        if held[-1] or not (held.any() or (released == material).any()):
            continue
        emptied[str(material)] = int(days["day"].iloc[int(held.nonzero()[0][-1]) + 1 if held.any() else 0])
    return emptied


def rule_releases(result: Result, names: HtmlNames) -> str:
    """What members received from the shared stock: drawn from what they bought, or allocated by the rule."""
    releases = result.releases
    if releases.empty:
        return ""
    start = result.start_date
    members = result.structure.member_names
    ratio = result.scenario.agreement.ratio if result.scenario.agreement else {}
    out, rows = [], []
    sources = [("auction", "released_auction_t")] + [
        (str(m), "released_rule_t") for m in dict.fromkeys(releases["mechanism"]) if m != "auction"
    ]
    for material, by_material in releases.groupby("material", sort=False):
        material = str(material)
        for source, column in sources:
            group = by_material if source == "auction" else by_material[by_material["mechanism"] == source]
            given = {m: float(group[f"{column}.{m}"].sum()) for m in members}
            released = sum(given.values())
            days = group[sum(group[f"{column}.{m}"] for m in members) > 0]
            if released <= 0:
                continue
            shares = [f"{names.region(m)} {tonnes(t)} ({percent(t / released)})" for m, t in given.items() if t]
            if source == "auction":
                text = (
                    f"Members drew {tonnes(released)} of {names.material_text(material)} they had bought at auction, "
                    f"{_on_days(start, days['day'])}: {join_words(shares)}."
                )
                label, gaps = "drawn from stock bought at auction", DASH
            else:
                gap_t = float(sum(days[f"gap_t.{m}"].sum() for m in members))
                text = (
                    f"Under {escape(BY_NAME[source].phrase)}, {tonnes(released)} of {names.material_text(material)} "
                    f"was released {_on_days(start, days['day'])}: {join_words(shares)}. "
                    + escape("Members' open needs of ")
                    + f"{names.material_text(material)} on those days came to {tonnes(gap_t)}."
                )
                label, gaps = BY_NAME[source].label, tonnes(gap_t)
            out.append(f"<p>{text}</p>")
            cells = [
                NO_DEMAND_CELL.format(1)
                if not has_demand(result.scenario, m, material) and not given[m]
                else f"<td>{tonnes(given[m])}<br><small>{percent(given[m] / released)}</small></td>"
                for m in members
            ]
            rows.append(
                (
                    names.material(material),
                    [*(f"<td>{c}</td>" for c in (escape(label), len(days), gaps, tonnes(released))), *cells],
                )
            )
    if not rows:  # the rule decided days but released nothing (the IEA system below its triggers)
        return ""
    uses_ratio = any(BY_NAME[str(name)].needs_ratio for name in set(releases["mechanism"]))
    heads = ["How", "Days", "Open needs", "Released"] + [
        names.region(m) + (f"<br><small>ratio {percent(ratio[m])}</small>" if uses_ratio and m in ratio else "")
        for m in members
    ]
    by_member = len(members) > MEMBER_COLUMNS
    where = "Against each member" if by_member else "Under each member"
    table = (
        _table("releases", RELEASES_HEADING, "Material", heads, rows, by_member, hidden=True)
        + '<p class="note">As in releases.csv. Open needs: members\' gaps summed over the days of release. '
        f"{where}: tonnes received and their share of the release.</p>"
    )
    return "".join(out) + table


def below_trigger(result: Result) -> list[tuple[str, str, int, int]]:
    """Member, material, days and first day its commercial stock was below the agreement's trigger.

    The trigger as the kernel tests it (:mod:`simulator.kernel.agreement`): a member with
    demand whose commercial stock after the day's demand is below
    ``trigger.commercial_days_below`` days of its baseline demand. Empty without a commercial
    trigger; pairs never below are left out.
    """
    agreement = result.scenario.agreement
    if agreement is None or agreement.trigger.commercial_days_below <= 0:
        return []
    ts = result.timeseries
    threshold = agreement.trigger.commercial_days_below
    low = (ts["baseline_demand_t"] > 0) & (ts["commercial_stock_t"] < threshold * ts["baseline_demand_t"])
    found = []
    for member in result.structure.member_names:
        for material in result.structure.materials:
            rows = ts.loc[low & (ts["region"] == member) & (ts["material"] == material), "day"]
            if len(rows):
                found.append((member, material, len(rows), int(rows.min())))
    return found


def _why_no_release(result: Result) -> str:
    """Why a member's call released nothing, from the rule (:mod:`simulator.kernel.agreement`), in words.

    Stock goes out only at an auction with bids or by the sharing rule against a member's
    gap on a day releases are open: with auctions.csv and releases.csv both empty, no
    member bid and no gap met an open day of the rule.
    """
    agreement = result.scenario.agreement
    assert agreement is not None
    mechanism = BY_NAME[agreement.mechanism]
    members = result.structure.member_names
    summary = result.summary
    short = bool(shortages.short(float(summary.loc[summary["region"].isin(members), "shortfall_t"].sum())))
    parts = []
    if mechanism.holds_auctions and agreement.auction is not None:
        every = agreement.auction.every_days
        margin = " plus a safety margin" if agreement.auction.service_level else ""
        where = f"unless {_switch_words(agreement.trigger)}, " if mechanism.shares_when != "never" else ""
        parts.append(
            f"{where}it is sold at auction, where a member bids only for the shortfall it expects before the next "
            f"auction (its demand less the day's arrivals, over {plural(every, 'day')}{margin}) net of its commercial "
            "stock and of stock it already bought, and no member ever bid, so no auction was held"
        )
    if mechanism.shares_as is not None and mechanism.shares_when != "never":
        always = mechanism.shares_when == "always"
        where = "" if always else f"while {_switch_words(agreement.trigger)}, "
        rule = f"{where}it goes, under {BY_NAME[mechanism.shares_as].phrase}, only to gaps that a member's own stock "
        rule += "cannot meet, and no member "
        if not short:
            rule += "ran short"
        else:
            rule += "was short on a day when releases were open" + ("" if always else " and the rule applied")
        parts.append(rule)
    if not parts:
        return ""
    return escape(
        f" Being below the trigger lets a member call on the stock, but that alone releases none: {'; '.join(parts)}."
    )


def _span(start: Any, days: Any) -> str:
    """``from 8 Jan 2026 to 22 Jan 2026``, or ``on 8 Jan 2026`` when all ``days`` (day numbers) are one."""
    first, last = when(start, int(days.min())), when(start, int(days.max()))
    return f"on {first}" if first == last else f"from {first} to {last}"


def _on_days(start: Any, days: Any) -> str:
    """``on 3 days from 8 Jan 2026 to 22 Jan 2026``, or ``on 8 Jan 2026`` for one day (``days``: day numbers)."""
    count = days.nunique()
    return _span(start, days) if count == 1 else f"on {count} days {_span(start, days)}"


UNSET_LAGS = {"decision_lag_days": "decision lag", "delivery_days": "delivery time"}
"""The agreement's lead times that default to 0 days, by the words that name them."""


def unset_lags(agreement: Any) -> str:
    """``: the scenario sets no decision lag nor delivery time``: the lead times that read 0 days by default.

    A lead time of 0 days the scenario does not write (pydantic's ``model_fields_set``: what the file, or a
    ``--set``, gave) is no finding of the run but the schema's default, and the rule's sentence says so; one the
    scenario sets to 0 is its input, stated as it is ('' where it sets both, or the lead time is not 0).

    >>> from simulator.scenario.schema import Agreement
    >>> unset_lags(Agreement(members=["a", "b"], delivery_days=0)), unset_lags(Agreement(members=["a", "b"]))
    (': the scenario sets no decision lag', ': the scenario sets no decision lag nor delivery time')
    >>> unset_lags(Agreement(members=["a", "b"], decision_lag_days=0, delivery_days=0))
    ''
    """
    unset = [words for name, words in UNSET_LAGS.items() if name not in agreement.model_fields_set]
    return f": the scenario sets no {' nor '.join(unset)}" if unset else ""


def _days_of_demand(value: float) -> str:
    """``0.3 days``, ``1 day``, ``60 days``: a stock in days of demand, whole days from one day on.

    >>> _days_of_demand(0.0), _days_of_demand(0.3), _days_of_demand(1.2), _days_of_demand(59.6)
    ('0 days', '0.3 days', '1 day', '60 days')

    A residue (:func:`~simulator.names.is_residue`: it rounds to 0 at the 6th decimal) is none:

    >>> _days_of_demand(3.84e-16), _days_of_demand(-2e-17), _days_of_demand(0.04)
    ('0 days', '0 days', '0.0 days')

    A half rounds up (:func:`~simulator.report.words.rounded_half_up`), a ``numpy.float64`` as a float:

    >>> _days_of_demand(0.25), _days_of_demand(2.5), _days_of_demand(1.5)
    ('0.3 days', '3 days', '2 days')
    """
    if is_residue(value):
        return "0 days"
    if value < 0.95:
        return f"{days_text(value)} days"
    whole = rounded_half_up(value, 0)  # a half up, as days() rounds (round() takes 2.5 to 2)
    return "1 day" if whole == 1 else f"{whole:,} days"


def no_release_note(result: Result, names: HtmlNames) -> str:
    """The note of a run whose arrangement released nothing, with the members' days under the trigger (HTML).

    ``The arrangement released no stock in this run, although the EU's commercial stock was below its 15-day
    trigger on 557 days for light rare earths (first on 25 Nov 2010) ... Yet stock goes out only ...``: a
    member under its trigger may call on the stock, so the page says why that released nothing.
    A normal paragraph, not a small note: it is the section's finding for the run (the bids table
    only says what members would bid).
    """
    text = "The arrangement released no stock in this run"
    low = below_trigger(result)
    if not low:
        return f"<p>{text}.{_ess_below_triggers(result)}</p>"
    agreement = result.scenario.agreement
    assert agreement is not None
    start = result.start_date
    told = {}
    for member, material, n, first in low:
        told.setdefault(member, []).append(
            f"on {plural(n, 'day')} for {names.material_text(material)} (first on {when(start, first)})"
        )
    trigger = f"{agreement.trigger.commercial_days_below:g}-day trigger"
    if len(told) == 1:
        member, spans = next(iter(told.items()))
        text += f", although {names.possessive(member)} commercial stock was below its {trigger} {join_words(spans)}"
    else:
        each = [f"{names.possessive(m)} {join_words(spans)}" for m, spans in told.items()]
        text += escape(f", although members' commercial stock was below the {trigger}: ") + "; ".join(each)
    late = _opens_after_the_end(result, min(first for _, _, _, first in low))
    why = _why_no_release(result) if late == "" else late or ""
    return f"<p>{text}.{why}{_ess_below_triggers(result)}</p>"


def _opens_after_the_end(result: Result, first_low: int) -> str | None:
    """When releases would have opened, if only after the last day (HTML; '', None otherwise).

    '' when they opened within the run; None when the run's outputs cannot tell. A measured
    supply loss (``trigger.measured_loss``) may call the agreement before either of the days
    below, and the outputs do not record it: then a call the two days would open only after
    the end is None (the page gives no reason rather than a wrong one).

    The first call is the first day a member's commercial stock was below the trigger
    (``first_low``) or a member ran short; releases open ``decision_lag_days +
    delivery_days`` later (with release times, at the earliest the shorter of the normal
    and emergency lead times), as :meth:`simulator.kernel.agreement.AgreementStep._activation`
    opens them. Later calls (after a stand-down) open later still.
    """
    agreement = result.scenario.agreement
    assert agreement is not None
    ts = result.timeseries
    members = ts["region"].isin(result.structure.member_names)
    short = ts.loc[members & shortages.short(ts["shortfall_t"]), "day"]
    first = min(first_low, int(short.min())) if len(short) else first_low
    times = agreement.release_times
    if times is not None:
        lag = min(int(times.normal_days), int(times.emergency_days))
        words = f"at the earliest {plural(lag, 'day')} after the first call"
    else:
        lag = agreement.decision_lag_days + agreement.delivery_days
        words = f"{plural(lag, 'day')} after the first call"
    opens = first + lag
    if opens < result.scenario.horizon_days:
        return ""
    if agreement.trigger.measured_loss is not None:
        return None
    start = result.start_date
    return escape(
        f" Being below the trigger lets a member call on the stock, but releases open {words} "
        f"(on {when(start, first)}): they would have opened on {when(start, opens)}, after the run ends."
    )


def _ess_below_triggers(result: Result) -> str:
    """Why the IEA system, consulted on days a member was short, released nothing (HTML; '' otherwise).

    releases.csv has a row for each day the rule decided (releases open, a member short);
    the IEA system then shares only once the group, or one member, has lost its trigger
    share of supply, and with neither it shares nothing.
    """
    agreement = result.scenario.agreement
    releases = result.releases
    if agreement is None or BY_NAME[agreement.mechanism].shares_as != "iea_ess" or releases.empty:
        return ""
    e = agreement.iea_ess
    decided = releases[(releases["mechanism"] == "iea_ess") & (releases["available_t"] > 0)]
    passed_t = decided.filter(like="transferred_t.").clip(lower=0).sum(axis=1)
    text = ""
    # one member's own loss past its trigger, the group's not: supplies pass between members, no stock is drawn
    passed_days = decided.loc[passed_t > 0, "day"].nunique()
    if passed_days:
        text += (
            f" On {plural(passed_days, 'day')} one member's own loss reached the IEA system's "
            f"{percent(e.selective_loss_share)} trigger while the group's stayed under "
            f"{percent(e.trigger_loss_share)}: members passed it {tonnes(float(passed_t.sum()))} of their supplies "
            "but drew no stock."
        )
    # with stock to share, a group trigger that held would have drawn the obligations: none held on these days
    idle_days = decided.loc[passed_t == 0, "day"].nunique()
    if idle_days:
        text += (
            f" On {plural(idle_days, 'day')} a member was short while releases were open and stock was there to "
            f"share, but the IEA system shares only once the group loses {percent(e.trigger_loss_share)} of its "
            f"supply or one member {percent(e.selective_loss_share)} of its own, and neither loss was reached."
        )
    return escape(text)
