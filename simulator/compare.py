"""Run one scenario under several release mechanisms and tabulate the outcomes.

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from simulator import quantities
from simulator.compare_materials import baseline_columns, mark_by_material, rule_columns
from simulator.engine import simulate
from simulator.errors import InputError, Problem, ScenarioError, setting
from simulator.mechanisms import BASELINE, BY_NAME, OWN_SHARES, STATUS_QUO, current_name
from simulator.mechanisms import NAMES as MECHANISMS
from simulator.metrics import anyone_short, members_burden
from simulator.numeric import EPS_T
from simulator.plan import compile_plan
from simulator.randomness import SEEDS_ADVISED
from simulator.results import Result
from simulator.scenario import Scenario, apply_overrides, validate_data
from simulator.scenario.schema import Agreement
from simulator.scenario.tonnes import not_added

PEAK_PRICE = quantities.get("summary", "peak_price_usd_per_kg")
"""Per member and material with a market: the highest price it paid under each rule."""
SURPLUS = quantities.get("summary", "lost_surplus_usd")
"""The surplus lost on the demand the price destroyed."""
MARKET_METRICS = (quantities.get("summary", "crisis_extra_cost_usd"), quantities.get("summary", "demand_destroyed_t"))
"""Per member, with a market: the extra cost at crisis prices and the demand destroyed (then :data:`SURPLUS`)."""
BASELINE_NOTES = {
    BASELINE: (
        f"{BASELINE}: the same scenario without the agreement (as --set agreement=null), so without the pool's "
        "stock, even where it is national stock pooled"
    ),
    STATUS_QUO: (
        f"{STATUS_QUO}: without the agreement, the pool contributions in agreement.pool.already_held (stocks held "
        "today: all of a member listed alone, the materials listed with a member) added to their members' own "
        "national reserves and drawn for their own gaps only, the rest held by no one: the status quo stockpile "
        "report measures the joint stock against"
    ),
    OWN_SHARES: (
        f"{OWN_SHARES}: without the agreement, each member's pool contribution added to its own national "
        "reserve and drawn for its own gaps only (stockpile report's own-share run; where every contribution is in "
        "agreement.pool.already_held, also the status quo the report measures the joint stock against)"
    ),
}
"""What each baseline row is, a line under the table ``stockpile compare`` prints."""
NO_POOL = "no pool"
"""A cell of the table ``stockpile compare`` prints for a metric of the pool in a row without one (a baseline's)."""
NONE_SHORT = "none short"
"""A Jain's index cell of that table where no member is short: words a screen reader reads, not a lone ``-``."""
EMPTY_NOTE = f"{NO_POOL}: a metric that needs the pool, which the row has not (empty in compare.csv)"
"""What an empty cell of a baseline row means, under the table ``stockpile compare`` prints."""
NO_BURDEN_NOTE = (
    f"fairness_jain {NONE_SHORT}: no member is short in that row, so there is no burden to share (1 in compare.csv)"
)
"""What :data:`NONE_SHORT` in a row's ``fairness_jain`` means, under the printed table: Jain's index counts no burden
as equal (1, :func:`~simulator.metrics.jain_index`), which compare.csv keeps and the table does not show."""


def nobody_short_line(baselines: bool, among: str = "any rule") -> str:
    """What ``stockpile compare`` prints, and ``compare.png`` says, when no member is short in any row.

    ``baselines``: the rows without the agreement were compared too; ``among``: how the rules are named
    (the figure counts them: "any of the 11 rules", as many as the registry holds).

    >>> nobody_short_line(True)
    'no member is short under any rule, nor without the agreement: the rules cannot be told apart on shortfall here'
    """
    without = ", nor without the agreement" if baselines else ""
    return f"no member is short under {among}{without}: the rules cannot be told apart on shortfall here"


@dataclass(frozen=True)
class Comparison:
    """Results per mechanism, and the mechanisms that could not run with why.

    ``baselines`` are the runs the rules are read against, in their rows' order:
    :data:`BASELINE` (the same scenario without its agreement), :data:`STATUS_QUO` (where
    ``agreement.pool.already_held`` lists members: those members' shares held alone) and
    :data:`OWN_SHARES` (without it, each member holding its share alone). Empty when not asked for; one that
    could not run is left out, and ``skipped`` has it with why.
    """

    results: dict[str, Result]
    skipped: dict[str, str]
    baselines: dict[str, Result] = field(default_factory=dict)
    seed: int | None = None
    """The seed every row ran with (the scenario's, or ``--seed``)."""
    random_input_words: list[str] = field(default_factory=list)
    """What the scenario draws at random, in words (:func:`~simulator.sensitivity.scenario_random_input_words`): every
    row is one draw of them, the same draw (:func:`one_draw_note`)."""
    random_sources: list[str] = field(default_factory=list)
    """The same as ids of their random streams (``noise``, ``shock/<id>``): the manifest's ``random_inputs``, as
    ``sweep.json``'s."""

    @property
    def baseline(self) -> Result | None:
        """The run of :data:`BASELINE` (None when not compared or when it could not run)."""
        return self.baselines.get(BASELINE)

    def table(self) -> pd.DataFrame:
        """One row per mechanism: agreement-wide metrics, then per-member shortfall, spend and net position.

        The agreement-wide metrics are those the registry gives a ``compare_order``, in that order
        (:func:`~simulator.quantities.compare_metrics`).

        With a market, per member also the peak price of each material with a market
        (``peak_price_usd_per_kg.<member>.<material>``), the extra cost at crisis prices,
        the demand destroyed and the surplus lost (``<name>.<member>``). Last, the members'
        shortfall of each material and each member's (:func:`_material_columns`). The baseline
        rows (:data:`BASELINE`, :data:`STATUS_QUO`, then :data:`OWN_SHARES`) come first: see :func:`_baseline_row`.
        Where the materials' tonnes may not be added (:func:`shortfall_by_material`), the totals over every material
        (:func:`unlike_totals`) are empty in every row: the columns by material give the answer. Then each
        material's index and pool figures (:mod:`simulator.compare_materials`), whose totals over the pooled
        materials are empty where those tonnes may not be added. Last, ``skipped``: why a rule could not run, empty
        in every other row (a column of every comparison, so that every compare.csv of a scenario has the same
        columns); a skipped row's other columns are empty (no run: no value, not -1's "never").
        """
        rows: list[dict[str, Any]] = []
        members = next(iter(self.results.values())).structure.member_names
        compared = quantities.compare_metrics()  # the registry sorted once per table, not once per row
        rows.extend(_baseline_row(name, result, members, compared) for name, result in self.baselines.items())
        for mechanism, result in self.results.items():  # one scenario: the same members under every rule
            row: dict[str, Any] = {"mechanism": mechanism}
            net_positions = _net_positions_usd(result)
            row.update({k: result.metrics[k] for k in compared})
            for member in members:
                row[f"shortfall_t.{member}"] = result.metrics[f"shortfall_t.{member}"]
                row[f"shortfall_share.{member}"] = result.metrics[f"shortfall_share.{member}"]
                row[f"first_shortfall_day.{member}"] = result.metrics[f"first_shortfall_day.{member}"]
                row[f"auction_spend_usd.{member}"] = result.metrics[f"auction_spend_usd.{member}"]
                row[f"draw_to_contribution.{member}"] = _draw_to_contribution(result, member)
                row[f"net_position_usd.{member}"] = net_positions.get(member, 0.0)
            row.update(_market_columns(result))
            row.update(_material_columns(result, members, result.metrics))
            row.update(rule_columns(result, members))  # fairness and the pool's figures, by material
            rows.append(row)
        rows.extend({"mechanism": mechanism} for mechanism in self.skipped)
        table = pd.DataFrame(rows)
        table["skipped"] = table["mechanism"].map(self.skipped)  # every table has it: empty where the rule ran
        table = _whole_numbers(table)
        runs = [*self.baselines.values(), *self.results.values()]  # the rows' order, skipped rows last
        by_material = shortfall_by_material(runs, members)
        if by_material:  # what the printed table gives in place of total_shortfall_t (compare.csv has every material)
            table.attrs[BY_MATERIAL] = {m: [*values, *[None] * len(self.skipped)] for m, values in by_material.items()}
            table.attrs[NOT_ADDED] = not_added(runs[0].scenario, by_material)
            table[unlike_totals(members)] = float("nan")  # they would add unlike tonnes
        mark_by_material(table, runs, list(self.results.values()), members)
        table.attrs[RULE_NOTES] = rule_notes(self)
        table.attrs[START_DATE] = runs[0].scenario.start_date  # the printed table's first short is a date
        return table


BY_MATERIAL = "members_shortfall_t_by_material"
"""``Comparison.table().attrs`` key: the members' shortfall of each material, row by row (a skipped row's None), where
``total_shortfall_t`` adds tonnes that may not be added (:func:`shortfall_by_material`); missing elsewhere."""
NOT_ADDED = "not_added"
"""``Comparison.table().attrs`` key beside :data:`BY_MATERIAL`: what a total would add (``tonnes of magnet and tonnes
of oxide``)."""
RULE_NOTES = "rule_notes"
"""``Comparison.table().attrs`` key: lines under the printed table about the rules compared (:func:`rule_notes`)."""
START_DATE = "start_date"
"""``Comparison.table().attrs`` key: the scenario's start date (None without one), for the printed table's dates."""
EQUAL_COVER_AS_DEMAND = (
    "equal_cover = proportional_to_demand here: under agreement.order national_first a member is short only once "
    "its own stock (commercial, national reserve, bought at auction) is used up, so equal cover counts no own "
    "stock for any member it shares among and shares by demand; they differ under joint_first "
    "(docs/release-rules.md#equal-cover-equal_cover)"
)
"""The line under the printed table where ``equal_cover`` cannot differ from ``proportional_to_demand``."""


SAME_SHORTFALL_SHARE = 1e-3
"""Two rules leave the members the same shortfalls when each member's shortfall of each material differs by at most
this share of the members' shortfall of it (0.1%). Splitting only the day an uncapped pool runs dry otherwise moves
little: 0.01 t of Japan's 24.7 t (0.02% of the members' 41.65 t) in a nine-month gallium ban on Japan, the EU and
Korea; a cap of 0.15 t a day, split every day, moves 1.7 t (4%)."""
UNCAPPED_WHY = (
    "without a release cap (agreement.release_cap_t_per_day) the shared stock meets every member's whole gap on each "
    "day it can, so {decides} who gets what only on a day the stock is smaller than the gaps, as when it runs out; a "
    "cap releases at most so much a day, so {split} the stock on every day it binds, and differently "
    "(docs/release-rules.md#cap-comparison)"
)
"""Why sharing without a release cap leaves the members the same shortfalls, whatever shares them: ``{decides}`` as
``a rule decides``, ``{split}`` as ``the rules split``. Said under the printed table (:data:`UNCAPPED_RULES_ALIKE`) and
by a sweep of ``agreement.ratio`` (:func:`simulator.sweep.unread.uncapped_ratio_notes`)."""
UNCAPPED_RULES_ALIKE = "{rules} here (each member's shortfall within 0.1%): " + UNCAPPED_WHY.format(
    decides="a rule decides", split="the rules split"
)
"""The line under the printed table where sharing rules without a release cap leave the members the same
shortfalls (:func:`uncapped_rules_alike`); ``{rules}`` as ``fair_ratio = proportional_to_demand``."""
CAP_NEVER_BINDS = (
    "{rules} here (each member's shortfall within 0.1%): the release cap of {cap} (agreement.release_cap_t_per_day) "
    "never binds in their runs (on no day were both the shared stock and the members' gaps above it), so they are "
    "alike as without a cap: the shared stock meets every member's whole gap on each day it can, and a rule decides "
    "who gets what only on a day the stock is smaller than the gaps, as when it runs out; a cap that binds splits "
    "the stock on every day it does, and differently (docs/release-rules.md#cap-comparison)"
)
"""The line under the printed table where sharing rules leave the members the same shortfalls under a release cap
that bound on no day of their runs (:func:`uncapped_rules_alike`, :func:`cap_bound_days`); ``{cap}`` as
``1,000 t/day of rare earths``."""


def rule_notes(comparison: Comparison) -> list[str]:
    """Lines under the printed table about the rules compared: why two rules' rows coincide.

    ``equal_cover`` raises the lowest days of cover, counting each member's own stock; under
    ``agreement.order: national_first`` (the default) every member still short when the agreement
    shares has none left, so the rule is ``proportional_to_demand`` (docs/release-rules.md, Equal
    cover). Not where a member's reserve is sold by tender (``regions.<id>.reserve_release``): it is
    short with its reserve in hand while its tender waits. Nor where no member is short under
    ``equal_cover``: no rule shares anything, and a line says so already (:func:`nobody_short_line`).
    Then the sharing rules that leave the members the same shortfalls without a release cap, or with one that never
    bound in their runs (:func:`uncapped_rules_alike`; without ``equal_cover`` where the line above names it); then
    ``hybrid`` where it leaves the shortfalls ``fair_ratio`` does (:func:`hybrid_as_fair_ratio`), and ``auction``
    where it does (:func:`auction_as_fair_ratio`).
    """
    notes = [EQUAL_COVER_AS_DEMAND] if _equal_cover_is_demand(comparison) else []
    groups = uncapped_rules_alike(comparison)
    if notes:  # equal_cover = proportional_to_demand said already, and alike for that reason whatever the cap
        groups = [kept for group in groups if len(kept := [n for n in group if n != "equal_cover"]) > 1]
    if groups:
        rules = " and ".join(" = ".join(group) for group in groups)
        cap = _cap_text(comparison)
        notes.append(
            UNCAPPED_RULES_ALIKE.format(rules=rules) if cap is None else CAP_NEVER_BINDS.format(rules=rules, cap=cap)
        )
    hybrid = hybrid_as_fair_ratio(comparison)
    auction = auction_as_fair_ratio(comparison)
    return notes + [line for line in (hybrid, auction) if line]


HYBRID_AS_FAIR_RATIO = (
    "hybrid = fair_ratio here (each member's shortfall within 0.1%): hybrid shares the stock by the fair ratio on "
    "the days a threat to supply is on (an embargo against a member, agreement.trigger.switch_on) and auctions it on "
    "the agreement's other open days; {why} (docs/release-rules.md#hybrid-hybrid)"
)
"""The line under the printed table where ``hybrid`` leaves the members the shortfalls ``fair_ratio`` does
(:func:`hybrid_as_fair_ratio`); ``{why}`` says why its auctions changed nothing."""
NO_AUCTION_HELD = "here no auction of it sold anything, so every release was the fair ratio's"
"""``{why}`` of :data:`HYBRID_AS_FAIR_RATIO` where ``hybrid``'s auctions sold nothing: no open day without a threat,
nothing to sell (the pool empty, or no member bidding), or bids under the reserve price on each."""
AUCTIONS_HELD = (
    "its {count} (on open days without a threat) sold {sold}, which met the gaps as the fair ratio's releases from "
    "the same stock did"
)
"""``{why}`` of :data:`HYBRID_AS_FAIR_RATIO` where ``hybrid`` auctioned: the stock it sold met the gaps the ratio
would have met, so no member's shortfall moved."""


def hybrid_as_fair_ratio(comparison: Comparison) -> str | None:
    """Why ``hybrid``'s row reads as ``fair_ratio``'s, where both are compared and leave alike shortfalls.

    ``hybrid`` applies ``fair_ratio`` on the days a threat is on (:mod:`simulator.kernel.agreement`: the
    rule's days are the days an embargo against a member is in force, or a measured loss with
    ``switch_on``) and holds auctions on the agreement's other open days. Its shortfalls are the
    ratio's where it held no auction (the agreement was open only under the threat, or the pool was
    empty or no member bid when the threat ended), or where the stock its auctions sold met the gaps
    the ratio would have met. Alike as in :func:`uncapped_rules_alike`, with or without a cap.
    None where a member is short under neither, or the two leave different shortfalls.
    """
    if not {"hybrid", "fair_ratio"} <= set(comparison.results):
        return None
    hybrid, fair_ratio = comparison.results["hybrid"], comparison.results["fair_ratio"]
    if not anyone_short(hybrid.metrics, hybrid.structure.member_names) or not _same_shortfalls(hybrid, fair_ratio):
        return None
    auctions = hybrid.auctions[hybrid.auctions["sold_t"] > 0]  # an auction held may sell nothing (reserve price)
    if auctions.empty:
        return HYBRID_AS_FAIR_RATIO.format(why=NO_AUCTION_HELD)
    from simulator.names import Names, number_text, plural

    sold_t = auctions.groupby("material", sort=False)["sold_t"].sum()  # by material: tonnes not added
    sold = Names.of(hybrid.scenario).amounts_text({m: f"{number_text(float(t))} t" for m, t in sold_t.items()})
    count = plural(len(auctions), "auction")
    return HYBRID_AS_FAIR_RATIO.format(why=AUCTIONS_HELD.format(count=count, sold=sold))


AUCTION_AS_FAIR_RATIO = (
    "auction = fair_ratio here (each member's shortfall within 0.1%): auction sells the shared stock in lots "
    "(agreement.auction), each member bidding for its expected gap until the next auction{lot}; {why} "
    "(docs/release-rules.md#auction)"
)
"""The line under the printed table where ``auction`` leaves the members the shortfalls ``fair_ratio`` does
(:func:`auction_as_fair_ratio`); ``{lot}`` says what a lot is where nothing limits it, ``{why}`` how its auctions
went."""
WHOLE_STOCK_LOT = ", and without a release cap or agreement.auction.lot_t each lot is all the shared stock"
"""``{lot}`` of :data:`AUCTION_AS_FAIR_RATIO` where no material auctioned has a release cap or a lot size."""
ALL_BIDS_FILLED = (
    "{filled} filled every bid in full (the bids added up to no more than the lot), as the fair ratio meets every "
    "gap in full while the stock lasts"
)
"""How ``auction``'s auctions went where some filled every member's bid in full; ``{filled}`` as ``each of its 71
auctions`` or ``70 of its 71 auctions``."""
LOT_SHORT = (
    "{count} sold all of a lot smaller than the bids, as when the stock runs out: only there could the bids' prices "
    "(and volumes, at one price) split the stock otherwise than the ratio"
)
"""Then the auctions that sold all their lot and filled not every bid: the stock's last days, or a capped lot."""
UNDER_RESERVE = "{count} left bids under the reserve price unfilled (agreement.auction.reserve_price_usd_per_kg)"
"""Then the auctions that left some of their lot unsold and some bid unfilled: bids under the reserve price."""
NO_STOCK_SOLD = "no auction of it sold anything, and the fair ratio released nothing either"
"""``{why}`` of :data:`AUCTION_AS_FAIR_RATIO` where neither rule put any of the shared stock out."""


def auction_as_fair_ratio(comparison: Comparison) -> str | None:
    """Why ``auction``'s row reads as ``fair_ratio``'s, where both are compared and leave alike shortfalls.

    Each member bids for its expected gap until the next auction, and a lot is ``agreement.auction.lot_t``, else the
    release cap times ``every_days``, else all the shared stock (:mod:`simulator.kernel.agreement`). An auction whose
    lot covers the bids fills each in full (:func:`simulator.release.clear_auction`: no bid is above the clearing
    price's share), as ``fair_ratio`` meets each gap in full while the stock lasts: the two differ only on the
    auctions that could not fill every bid, where the lot was smaller than the bids (as the stock runs out) or a bid
    was under the reserve price. The line counts each kind from ``auctions.csv`` (a bid filled in full:
    ``won_t.<member>`` within :data:`~simulator.numeric.EPS_T` of ``bid_t.<member>`` for every member; a lot sold
    out: ``unsold_t`` within it of 0). Alike as in :func:`uncapped_rules_alike`. None where a member is short under
    neither, the two leave different shortfalls, or the auction sold nothing while the fair ratio released stock.
    """
    if not {"auction", "fair_ratio"} <= set(comparison.results):
        return None
    auction, fair_ratio = comparison.results["auction"], comparison.results["fair_ratio"]
    if not anyone_short(auction.metrics, auction.structure.member_names) or not _same_shortfalls(auction, fair_ratio):
        return None
    from simulator.names import number_text, plural

    held = auction.auctions
    members = auction.structure.member_names
    won = held[[f"won_t.{m}" for m in members]].to_numpy(float)
    bid = held[[f"bid_t.{m}" for m in members]].to_numpy(float)
    full = (won >= bid - EPS_T).all(axis=1)
    if not (held["sold_t"] > EPS_T).any():
        released = float(fair_ratio.releases["released_t"].sum()) if len(fair_ratio.releases) else 0.0
        return AUCTION_AS_FAIR_RATIO.format(lot=_lot_text(auction), why=NO_STOCK_SOLD) if released <= EPS_T else None
    count = plural(len(held), "auction")
    if full.all():
        return AUCTION_AS_FAIR_RATIO.format(
            lot=_lot_text(auction),
            why=ALL_BIDS_FILLED.format(filled=f"each of its {count}" if len(held) > 1 else "its one auction"),
        )
    sold_out = ~full & (held["unsold_t"].to_numpy(float) <= EPS_T)  # the lot smaller than the bids
    kinds = ((LOT_SHORT, int(sold_out.sum())), (UNDER_RESERVE, int((~full & ~sold_out).sum())))
    if full.any():
        lines = [ALL_BIDS_FILLED.format(filled=f"{number_text(int(full.sum()))} of its {count}")]
        lines += [text.format(count="the other one" if n == 1 else f"the other {n}") for text, n in kinds if n]
    else:
        lines = [text.format(count=f"{n} of its {count}") for text, n in kinds if n]
    return AUCTION_AS_FAIR_RATIO.format(lot=_lot_text(auction), why="; ".join(lines))


def _lot_text(result: Result) -> str:
    """``{lot}`` of :data:`AUCTION_AS_FAIR_RATIO`: :data:`WHOLE_STOCK_LOT` where no lot is limited, else ''."""
    agreement = result.scenario.agreement
    assert agreement is not None  # a comparison needs an agreement
    lots = agreement.auction.lot_t if agreement.auction is not None else {}
    return "" if agreement.release_cap_t_per_day or lots else WHOLE_STOCK_LOT


def _equal_cover_is_demand(comparison: Comparison) -> bool:
    """Whether ``equal_cover`` and ``proportional_to_demand`` are compared and cannot differ (:func:`rule_notes`)."""
    if not {"equal_cover", "proportional_to_demand"} <= set(comparison.results):
        return False
    result = comparison.results["equal_cover"]
    if not anyone_short(result.metrics, result.structure.member_names):
        return False
    scenario = result.scenario
    assert scenario.agreement is not None  # a comparison needs an agreement
    by_tender = any(scenario.regions[member].reserve_release is not None for member in scenario.agreement.members)
    return scenario.agreement.order == "national_first" and not by_tender


def uncapped_rules_alike(comparison: Comparison) -> list[list[str]]:
    """Groups of two or more sharing rules that leave every member the same shortfall, where no release cap acts.

    Every sharing rule releases ``min(available, sum of gaps)`` and gives no member more than
    its gap (:mod:`simulator.release.sharing`), and without ``agreement.release_cap_t_per_day``
    ``available`` is all the shared stock (:mod:`simulator.kernel.agreement`): on a day the stock
    covers every gap, every rule meets each in full, and rules differ only on days it does not,
    which may be a single day, as the pool runs out. Rules considered: those that share on every
    open day, not ``iea_ess`` (it restrains demand and passes supplies between members) nor
    ``fair_ratio`` with ``strict`` (it withholds shares a member cannot use). Alike: each member's
    shortfall of each material within :data:`SAME_SHORTFALL_SHARE` of the members' shortfall of
    it. With a cap, only the rules whose runs it bound on no day (:func:`cap_bound_days`): each of those runs is the
    run without the cap, so the same holds of them. Empty where no member is short (:func:`nobody_short_line` says so).
    """
    sharing = [
        name
        for name, result in comparison.results.items()
        if shares_every_gap(result.scenario.agreement) and cap_bound_days(result) == 0
    ]
    if len(sharing) < 2:
        return []
    first = comparison.results[sharing[0]]
    if not anyone_short(first.metrics, first.structure.member_names):
        return []
    groups: list[list[str]] = []
    for name in sharing:
        group = next((g for g in groups if _same_shortfalls(comparison.results[g[0]], comparison.results[name])), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return [group for group in groups if len(group) > 1]


def cap_bound_days(result: Result) -> int:
    """On how many days of ``result``'s run the release cap (``agreement.release_cap_t_per_day``) bound, any material.

    The cap binds on a day the rule would have released more without it: the shared stock the rule could release
    (``available_t``, the stock or the cap, whichever is less) reached the cap, and the members' gaps that day
    (``gap_t.<member>`` added) were above it (more than :data:`~simulator.numeric.EPS_T` above). Read from the days the
    rule decided (releases.csv's rows): on no other day does it release. 0 without a cap.
    """
    agreement = result.scenario.agreement
    assert agreement is not None  # a comparison needs an agreement
    releases = result.releases
    gaps_t = releases[[f"gap_t.{member}" for member in result.structure.member_names]].sum(axis=1)
    bound = pd.Series(False, index=releases.index)
    for material, cap_t_per_day in agreement.release_cap_t_per_day.items():
        at_cap = releases["available_t"] >= cap_t_per_day - EPS_T
        bound |= (releases["material"] == material) & at_cap & (gaps_t > cap_t_per_day + EPS_T)
    return int(releases.loc[bound, "day"].nunique())


def _cap_text(comparison: Comparison) -> str | None:
    """The release cap of the rules compared, as :data:`CAP_NEVER_BINDS` names it (``1,000 t/day of rare earths``).

    None without a cap.
    """
    from simulator.names import Names, number_text

    scenario = next(iter(comparison.results.values())).scenario
    assert scenario.agreement is not None  # a comparison needs an agreement
    caps = scenario.agreement.release_cap_t_per_day
    if not caps:
        return None
    return Names.of(scenario).amounts_text({m: f"{number_text(float(t))} t/day" for m, t in caps.items()})


def shares_every_gap(agreement: Agreement) -> bool:
    """Whether ``agreement``'s rule shares the stock on every open day and meets each gap in full while it can.

    Not a rule that shares on some open days only and auctions on the others (``hybrid``) or never shares
    (``auction``), nor one that governs the members' consumption (:attr:`~simulator.mechanisms.Mechanism.shares_supply`:
    ``iea_ess``), nor ``fair_ratio`` with ``strict`` (it withholds shares a member cannot use):
    :func:`uncapped_rules_alike`.
    """
    mechanism = BY_NAME[agreement.mechanism]
    return (
        mechanism.shares_when == "always"
        and not mechanism.shares_supply
        and not (mechanism.name == "fair_ratio" and agreement.strict)
    )


def _same_shortfalls(one: Result, other: Result) -> bool:
    """Whether each member's shortfall of each material is alike in both runs (:func:`shortfalls_alike`)."""
    members, materials = one.structure.member_names, one.structure.materials
    return shortfalls_alike(
        np.array(
            [[[float(run.metrics[f"shortfall_t.{n}.{m}"]) for m in materials] for n in members] for run in (one, other)]
        )
    )


def shortfalls_alike(shortfall_t: np.ndarray) -> bool:
    """Whether runs leave the members alike shortfalls: ``shortfall_t`` by run, member and material (t).

    Alike: each member's shortfall of each material spans at most :data:`SAME_SHORTFALL_SHARE` of the members'
    shortfall of it in the run where that is largest. Two rules' runs in ``stockpile compare``
    (:func:`uncapped_rules_alike`), or the runs of a sweep's values of ``agreement.ratio``
    (:func:`simulator.sweep.unread.uncapped_ratio_notes`).

    >>> shortfalls_alike(np.array([[[40.722], [1.0]], [[40.720], [1.0]]]))  # 0.002 t of 41.7 t: within 0.1%
    True
    >>> shortfalls_alike(np.array([[[40.0], [1.0]], [[39.0], [2.0]]]))
    False
    """
    members_t = shortfall_t.sum(axis=1)  # (runs, materials)
    allowed = SAME_SHORTFALL_SHARE * members_t.max(axis=0)
    spread = shortfall_t.max(axis=0) - shortfall_t.min(axis=0)  # (members, materials)
    return bool((spread <= allowed).all())


def members_shortfall(result: Result, members: list[str], material: str) -> float:
    """The members' shortfall of ``material`` in ``result`` (t): ``shortfall_t.<member>.<material>`` added.

    Over every material, these add up to the members' ``total_shortfall_t`` (:func:`~simulator.metrics.members_burden`).
    """
    return float(sum(float(result.metrics[f"shortfall_t.{member}.{material}"]) for member in members))


def shortfall_by_material(runs: list[Result], members: list[str]) -> dict[str, list[float]]:
    """The members' shortfall of each material in each of ``runs``, where their total may not be given.

    That is where tonnes of the scenario's materials may not be added
    (:func:`simulator.scenario.tonnes.tonnes_apart`: oxide and magnet, or prices far apart) and
    two materials or more are short in some run: then only the materials short in some run,
    in the scenario's order; else {} (the total says it).
    """
    first = runs[0]
    values = {m: [members_shortfall(run, members, m) for run in runs] for m in first.structure.materials}
    short = {m: v for m, v in values.items() if any(t > 0 for t in v)}
    return short if not_added(first.scenario, short) is not None else {}


def unlike_totals(members: list[str]) -> list[str]:
    """compare.csv's columns that add every material's tonnes: ``total_shortfall_t``, ``shortfall_t.<member>``.

    Empty in every row where those tonnes may not be added (:func:`shortfall_by_material`), as the printed table and
    ``compare.png`` do not add them: ``total_shortfall_t.all.<material>`` and ``shortfall_t.<member>.<material>``
    give the answer by material.
    """
    return ["total_shortfall_t", *(f"shortfall_t.{member}" for member in members)]


def _baseline_row(name: str, result: Result, members: list[str], compared: tuple[str, ...]) -> dict[str, Any]:
    """The row ``name`` (:data:`BASELINE`, :data:`STATUS_QUO`, :data:`OWN_SHARES`): the members' shortfalls.

    ``result`` is a run without the agreement; ``compared``: the agreement-wide metrics of the table
    (:func:`~simulator.quantities.compare_metrics`).

    ``total_shortfall_t``, ``fairness_jain`` and ``max_shortfall_share_gap`` are the members'
    (:func:`~simulator.metrics.members_burden`), and so is ``total_shortfall_t.all.<material>``
    (:func:`members_shortfall`; not every region's, as a run without an
    agreement counts them), so that they read against the rules'. The metrics of a pool
    (contributions and draws, envy, unused releases, the pool's end, auction spend, net
    positions) are left empty, not 0: there is no pool. The market's columns keep their
    meaning without a pool and are filled.
    """
    row: dict[str, Any] = {"mechanism": name}
    row.update(dict.fromkeys(compared))
    total, fairness, gap = members_burden(result.metrics, members)
    row.update(total_shortfall_t=total, fairness_jain=fairness, max_shortfall_share_gap=gap)
    for member in members:
        for metric in ("shortfall_t", "shortfall_share", "first_shortfall_day"):
            row[f"{metric}.{member}"] = result.metrics[f"{metric}.{member}"]
        for metric in ("auction_spend_usd", "draw_to_contribution", "net_position_usd"):
            row[f"{metric}.{member}"] = None
    row.update(_market_columns(result, members))
    totals = {f"{TOTAL_BY_MATERIAL}{m}": members_shortfall(result, members, m) for m in result.structure.materials}
    row.update(_material_columns(result, members, totals))
    row.update(baseline_columns(result, members))
    return row


TOTAL_BY_MATERIAL = "total_shortfall_t.all."
"""The start of compare.csv's members' shortfall of a material, ``total_shortfall_t.all.<material>``: as sweep.parquet
names it (the agreement-wide total of one material, ``all`` its members)."""


def _material_columns(result: Result, members: list[str], totals: Mapping[str, Any]) -> dict[str, Any]:
    """The members' shortfall of each material, then each member's: the columns after the market's.

    ``total_shortfall_t.all.<material>`` (read from ``totals``: a rule's run's metrics, or a baseline row's members'
    shortfall), then ``shortfall_t.<member>.<material>``, named and ordered as sweep.parquet's: where the tonnes of
    the materials may not be added, the honest answer is by material, which ``total_shortfall_t`` and
    ``shortfall_t.<member>`` add.
    """
    materials = result.structure.materials
    out: dict[str, Any] = {f"{TOTAL_BY_MATERIAL}{m}": totals[f"{TOTAL_BY_MATERIAL}{m}"] for m in materials}
    for member in members:
        out.update({f"shortfall_t.{member}.{m}": result.metrics[f"shortfall_t.{member}.{m}"] for m in materials})
    return out


def _whole_numbers(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` with its whole-number columns (days, counts) as ``Int64``.

    A skipped rule's empty cells would otherwise turn them into floats, and compare.csv
    would write ``119.0`` for the other rules' day 119 (``-1``, never, stays ``-1``). They stay empty
    (``<NA>``): -1 would read as "never short" for a rule that did not run.
    """
    from simulator.frames import quantity_of, whole_column

    for column in table.columns:
        q = quantity_of(str(column), "compare")
        if q is not None and q.dtype == "int" and q.unit != "date":
            table[column] = whole_column(table[column])
    return table


def _market_columns(result: Result, members: list[str] | None = None) -> dict[str, Any]:
    """With a market, per member: each market's peak price, the extra cost, demand destroyed and surplus lost.

    Columns are named as the sweep metrics (``<name>.<member>[.<material>]``); ``members``
    defaults to the run's own (the baseline has none: it names the agreement's).
    """
    markets = [m for m in result.structure.materials if m in result.scenario.market]
    out: dict[str, Any] = {}
    for member in (result.structure.member_names if members is None else members) if markets else []:
        for material in markets:
            out[f"{PEAK_PRICE.name}.{member}.{material}"] = result.metrics[f"{PEAK_PRICE.name}.{member}.{material}"]
        for q in (*MARKET_METRICS, SURPLUS):
            out[f"{q.name}.{member}"] = result.metrics[f"{q.name}.{member}"]
    return out


def _draw_to_contribution(result: Result, member: str) -> float | None:
    """The member's share of all draws over its share of all contributions, every material added (None: undefined)."""
    summary = result.summary
    rows = summary[summary["region"].isin(result.structure.member_names)]
    totals = rows.groupby("region")[["released_joint_t", "contributed_t"]].sum()
    drawn, paid = totals["released_joint_t"], totals["contributed_t"]
    if drawn.sum() <= 0 or paid[member] <= 0:
        return None
    return float((drawn[member] / drawn.sum()) / (paid[member] / paid.sum()))


def _net_positions_usd(result: Result) -> dict[str, float]:
    """Each member's net position at the end from the settlement ledger, every material added (USD)."""
    return {str(k): float(v) for k, v in result.ledger.groupby("member")["net_position_usd"].sum().items()}


def parse_mechanisms(text: str | None) -> list[str]:
    """``fair_ratio,auction`` as a list; every mechanism when None (a text naming none is refused)."""
    if text is None:
        return list(MECHANISMS)
    names = [name.strip() for name in text.split(",") if name.strip()]
    if not names:
        message = f"names no mechanism ({text!r}); give at least one, or leave it out to compare every one"
        raise InputError([Problem(setting("mechanisms"), message)])
    unknown = [name for name in names if current_name(name) not in MECHANISMS]
    if unknown:
        message = f"unknown mechanism(s) {', '.join(unknown)} (known: {', '.join(MECHANISMS)})"
        if any(name.replace("_", " ").lower() in (BASELINE, OWN_SHARES, "none", "baseline") for name in unknown):
            message += (
                f"; the rows '{BASELINE}' and '{OWN_SHARES}' are compared by default, not named here "
                "(--no-baseline leaves them out)"
            )
        raise InputError([Problem(setting("mechanisms"), message)])
    # a former name is its rule under its current name, and a rule named twice runs once (first place kept)
    return list(dict.fromkeys(current_name(name) for name in names))


def mechanism_notes(text: str | None) -> list[str]:
    """What :func:`parse_mechanisms` changed in ``text``: each former name it renamed, each rule given twice.

    >>> for note in mechanism_notes("proportional,fair_ratio,proportional_to_demand,fair_ratio"):
    ...     print(note)
    proportional is the former name of proportional_to_demand: compared as proportional_to_demand
    proportional_to_demand is given more than once: compared once
    fair_ratio is given more than once: compared once
    >>> mechanism_notes(None), mechanism_notes("fair_ratio,auction")
    ([], [])
    """
    names = [name.strip() for name in (text or "").split(",") if name.strip()]
    notes = [
        f"{name} is the former name of {current_name(name)}: compared as {current_name(name)}"
        for name in dict.fromkeys(names)
        if current_name(name) != name
    ]
    current = [current_name(name) for name in names]
    twice = [name for name in dict.fromkeys(current) if current.count(name) > 1]
    return notes + [f"{name} is given more than once: compared once" for name in twice]


def compare(
    raw: dict[str, Any], mechanisms: list[str], source: str, baseline: bool = True, *, validated: Scenario | None = None
) -> Comparison:
    """Run ``raw`` scenario data once per mechanism (a mechanism that cannot run is skipped).

    With ``baseline``, also once without its agreement (``agreement`` removed, as
    ``--set agreement=null``): the row :data:`BASELINE`, first; and, for a joint pool
    with contributions, once with each member's share held as its own reserve
    (:func:`~simulator.counterfactuals.own_share_scenario`, with the rules' seed):
    the row :data:`OWN_SHARES`, last. Where ``agreement.pool.already_held`` lists members whose
    contributions are stocks they hold today, also the status quo, those members' shares held alone
    (:func:`~simulator.counterfactuals.status_quo_scenario`, the world the report measures the
    joint stock against, with the rules' seed): the row :data:`STATUS_QUO`, second; left out where
    every contributor is listed, as :data:`OWN_SHARES` is then the same world. The scenario as written
    is validated first: a problem of its own (an unknown key a ``--set`` added, say) is
    reported once, as ``stockpile run`` reports it, not once per mechanism, and before a
    missing agreement, as every command reports it first. ``validated``: ``raw`` validated
    already by the caller (naming the ``--set`` that caused a problem,
    :func:`~simulator.scenario.load.validate_overridden`), not validated again.
    """
    written = validate_data(raw, source) if validated is None else validated
    if not raw.get("agreement"):
        raise InputError("the scenario has no agreement: nothing to compare", source)
    results: dict[str, Result] = {}
    skipped: dict[str, str] = {}
    baselines: dict[str, Result] = {}
    if baseline:
        from simulator.counterfactuals import own_share_scenario, status_quo_is_own_shares, status_quo_scenario

        # validated as written without the agreement, not counterfactuals.without_agreement (a copy of a
        # rule's validated run with agreement=None, never validated): a scenario invalid without its agreement
        # is then a skipped row saying why, and the agreement's uncertain: entries go with it (apply_overrides)
        try:
            baselines[BASELINE] = simulate(validate_data(apply_overrides(raw, [("agreement", None)]), source))
        except ScenarioError as exc:
            skipped[BASELINE] = "; ".join(p.render(None) for p in exc.problems)
        # every share held today: the own-share row is the status quo, whose world is then not built
        builds = {} if status_quo_is_own_shares(written) else {STATUS_QUO: status_quo_scenario}
        builds[OWN_SHARES] = own_share_scenario
        for name, build in builds.items():
            world = build(written)
            if world is None:
                continue  # no such world
            try:
                baselines[name] = simulate(world, seed=written.seed)  # the rules' runs take the scenario's seed
            except ScenarioError as exc:
                skipped[name] = "; ".join(p.render(None) for p in exc.problems)
    for mechanism in mechanisms:
        data = apply_overrides(raw, [("agreement.mechanism", mechanism)])
        try:
            scenario = validate_data(data, source)
        except ScenarioError as exc:
            skipped[mechanism] = "; ".join(p.render(None) for p in exc.problems)
            continue
        results[mechanism] = simulate(scenario)
    if not results:
        raise InputError("no mechanism could run: " + " | ".join(f"{k}: {v}" for k, v in skipped.items()), source)
    drawn: list[str] = []
    sources = list(compile_plan(written).random_sources)
    if sources:  # the study layer's words, imported only when there is one to name
        from simulator.sensitivity import scenario_random_input_words

        drawn = scenario_random_input_words(written)
    return Comparison(results, skipped, baselines, written.seed, drawn, sources)


def one_draw_note(comparison: Comparison, scenario: str, assignments: Sequence[str] = ()) -> str | None:
    """That the rules are compared on one draw of the scenario's random inputs, and how to compare them over many.

    Every row runs with the same seed (common random numbers), as ``sensitivity`` runs every sample
    (:func:`~simulator.sensitivity.words.one_draw_text`): a ranking that may not hold for another draw.
    ``scenario`` and ``assignments`` (``--set``'s) name what the suggested sweep runs. None without random inputs.

    >>> c = Comparison({"fair_ratio": None, "auction": None}, {}, seed=2010, random_input_words=["demand noise"])
    >>> print(one_draw_note(c, "embargo_stochastic.yaml"))  # doctest: +NORMALIZE_WHITESPACE
    the comparison is conditional on one draw of the random inputs (demand noise): seed 2010 in every row, so
    another seed (--seed) may rank the rules otherwise; for their spread over draws: stockpile sweep
    embargo_stochastic.yaml --grid agreement.mechanism=fair_ratio,auction --runs 200
    """
    if not comparison.random_input_words:
        return None
    import shlex

    names = "; ".join(comparison.random_input_words)
    sets = "".join(f" --set {shlex.quote(a)}" for a in assignments)
    rules = ",".join(comparison.results)
    return (
        f"the comparison is conditional on one draw of the random inputs ({names}): seed {comparison.seed} in every "
        "row, so another seed (--seed) may rank the rules otherwise; for their spread over draws: stockpile sweep "
        f"{shlex.quote(scenario)}{sets} --grid agreement.mechanism={rules} --runs {SEEDS_ADVISED}"
    )
