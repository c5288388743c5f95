"""A swept ``agreement.ratio`` that changes no member's shortfall for want of a release cap, and ``auction`` leaving the
shortfalls ``fair_ratio`` does: each now gets a line saying why.

A walkthrough swept Japan's share of the fair ratio from 0.2 to 0.8 in a twelve-member rare-earth agreement without a
release cap: every point left the same 61.2 t short and the sweep said nothing, so the frontier's "0.6 (+6 alike)"
read as a choice. ``stockpile compare`` explained why the sharing rules coincide without a cap, and why ``hybrid``
did, but not why ``auction`` gave the fixed ratio's 61.234 t.

The world: ``TWO_MEMBERS``, Japan 20 t a day and the EU 80 t a day, both cut off from day -100 with no stock of their
own; the sweeps on the command line run it over 365 days with a pool of 125 t from each (250 t): two days meet both
gaps in full (200 t), and the third day's 50 t is all the ratio splits. The comparisons run it over 60 days with bids
of 100 USD/kg from both members for their gap over the next 7 days (Japan 140 t, the EU 560 t: 700 t an auction).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from simulator.compare import compare
from tests.helpers import ROOT, TWO_MEMBERS, build, invoke

WHY = (
    "without a release cap (agreement.release_cap_t_per_day) the shared stock meets every member's whole gap on each "
    "day it can, so the ratio decides who gets what only on a day the stock is smaller than the gaps, as when it runs "
    "out; a cap releases at most so much a day, so the ratio's values split the stock on every day it binds, and "
    "differently (docs/release-rules.md#cap-comparison)"
)
ALIKE = (
    "agreement.ratio.japan: its values leave each member's shortfall of each material within 0.1% under fair_ratio: "
    + WHY
)
GUIDE = ROOT / "docs" / "writing-scenarios.md"


def cli(*args: Any) -> Any:
    """``stockpile ARGS``, which must succeed, in this process (click's CliRunner, its standard output and error
    apart as a terminal gets them): a new Python for each command only cost its start-up."""
    done = invoke(*args)
    assert done.exit_code == 0, (done.output, done.exception)
    return done


def scenario_file(folder: Path, data: dict[str, Any]) -> Path:
    path = folder / "pair.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def sweep_world(pool_t_each: float = 125, horizon_days: int = 365) -> dict[str, Any]:
    data = build(TWO_MEMBERS, horizon_days=horizon_days)
    each = {"ree": {"tonnes": pool_t_each}}
    data["agreement"]["pool"]["contributions"] = {"japan": each, "eu": each}
    return data


def swept(folder: Path, data: dict[str, Any], *options: str) -> tuple[list[str], list[str], list[list[float]]]:
    """The ``note:`` lines of ``stockpile sweep --grid agreement.ratio.japan=0.2,0.8``, ``sweep.json``'s notes, and
    Japan's and the EU's shortfall (t) at each point."""
    import pandas as pd

    out = folder / "out"
    done = cli(
        "sweep",
        scenario_file(folder, data),
        "--grid",
        "agreement.ratio.japan=0.2,0.8",
        "--no-plots",
        *options,
        "-o",
        out,
        "--force",
    )
    said = [line.removeprefix("note: ") for line in done.stderr.splitlines() if line.startswith("note: ")]
    said = [line for line in said if not line.startswith(str(out))]  # "replaced the earlier sweep": not these
    table = pd.read_parquet(out / "sweep.parquet")
    shortfalls = table[["shortfall_t.japan", "shortfall_t.eu"]].to_numpy().tolist()
    return said, json.loads((out / "sweep.json").read_text())["notes"], shortfalls


def test_a_ratio_swept_without_a_cap_says_it_splits_only_the_last_day_and_with_a_cap_says_nothing(tmp_path: Path):
    """Uncapped, the third day's 50 t is split by the ratio: at 0.2 Japan gets 0.2 x 50 = 10 t and the EU the other
    40 t; at 0.8 Japan's 40 t would pass its 20 t gap, so it gets 20 t and the EU 30 t. Japan is short
    365 x 20 - 2 x 20 - 10 = 7,250 t or 7,240 t, the EU 365 x 80 - 2 x 80 - 40 = 29,000 t or 29,010 t: 10 t of the
    members' 36,250 t (0.03%) apart, within 0.1%, yet not the same, so no note said the ratio changed nothing.
    Capped at 50 t a day the 250 t goes over five days, each split by the ratio: Japan gets 10 t a day or its whole
    20 t, and is short 7,300 - 50 = 7,250 t or 7,300 - 100 = 7,200 t (the EU 29,000 t or 29,050 t), and no note."""
    said, kept, shortfalls = swept(tmp_path, sweep_world())
    assert shortfalls == [[7250.0, 29000.0], [7240.0, 29010.0]]
    assert said == kept == [ALIKE]
    guide = GUIDE.read_text()  # "An agreement" shows the note and these numbers
    assert f"```text\nnote: {ALIKE}\n```" in guide
    for words in ("Japan is short 7,250 t or 7,240 t", "Japan is short 7,250 t or 7,200 t"):
        assert words in " ".join(guide.split())
    said, kept, shortfalls = swept(tmp_path, sweep_world(), "--set", "agreement.release_cap_t_per_day.ree=50")
    assert shortfalls == [[7250.0, 29000.0], [7200.0, 29050.0]]
    assert said == kept == []


def test_a_ratio_that_changes_nothing_at_all_is_said_so_and_why(tmp_path: Path):
    """300 t meet both gaps for three days exactly and nothing is left to split: Japan is short 60 x 20 - 3 x 20 =
    1,140 t and the EU 4,800 - 240 = 4,560 t at both values. The note that the values changed no output comes
    first, then why, not the same note twice."""
    said, kept, shortfalls = swept(tmp_path, sweep_world(pool_t_each=150, horizon_days=60))
    assert shortfalls == [[1140.0, 4560.0], [1140.0, 4560.0]]
    assert (
        said
        == kept
        == [
            "agreement.ratio.japan: its values changed no output of this sweep (every metric is the same for each "
            "value)",
            "agreement.ratio.japan: why its values changed no output under fair_ratio: " + WHY,
        ]
    )


def test_a_ratio_swept_with_a_rule_that_does_not_read_it_is_said_of_the_rule_that_does(tmp_path: Path):
    """Swept with ``agreement.mechanism`` over fair_ratio and equal_awards: equal awards gives the third day's 50 t
    as 20 t to Japan (its whole claim) and 30 t to the EU whatever the ratio, and fair_ratio's rows are those above;
    the note names fair_ratio, whose rows it is about (equal_awards's changed nothing: it does not read the ratio)."""
    grid = ("--grid", "agreement.mechanism=fair_ratio,equal_awards")
    said, kept, shortfalls = swept(tmp_path, sweep_world(), *grid)
    assert shortfalls == [[7250.0, 29000.0], [7240.0, 29010.0], [7240.0, 29010.0], [7240.0, 29010.0]]
    assert said == kept == [ALIKE]


BIDS = {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]}


def auction_world(pool_t_each: float, eu_price_usd_per_kg: float = 100) -> dict[str, Any]:
    eu = {"ree": [{**BIDS["ree"][0], "price_usd_per_kg": eu_price_usd_per_kg}]}
    data = build(TWO_MEMBERS, agreement__auction={"every_days": 7, "bids": {"japan": BIDS, "eu": eu}})
    each = {"ree": {"tonnes": pool_t_each}}
    data["agreement"]["pool"]["contributions"] = {"japan": each, "eu": each}
    return data


AUCTION = (
    "auction = fair_ratio here (each member's shortfall within 0.1%): auction sells the shared stock in lots "
    "(agreement.auction), each member bidding for its expected gap until the next auction, and without a release cap "
    "or agreement.auction.lot_t each lot is all the shared stock; "
)
FILLED = (
    "filled every bid in full (the bids added up to no more than the lot), as the fair ratio meets every gap in full "
    "while the stock lasts"
)


def compared_on_the_command_line(folder: Path, data: dict[str, Any]) -> list[str]:
    """The lines under ``stockpile compare --mechanisms fair_ratio,auction``'s table that begin ``auction =``."""
    done = cli(
        "compare",
        scenario_file(folder, data),
        "--mechanisms",
        "fair_ratio,auction",
        "--no-plots",
        "--no-baseline",
        "-o",
        folder / "out",
        "--force",
    )
    return [line for line in done.stdout.splitlines() if line.startswith("auction =")]


def shortfalls(data: dict[str, Any]) -> dict[str, tuple[float, float]]:
    comparison = compare(data, ["fair_ratio", "auction"], "pair.yaml", baseline=False)
    return {
        rule: (result.metrics["shortfall_t.japan"], result.metrics["shortfall_t.eu"])
        for rule, result in comparison.results.items()
    }


def test_auctions_that_fill_every_bid_leave_the_ratios_shortfalls_and_say_why(tmp_path: Path):
    """2,800 t: the auctions of days 0, 7, 14 and 21 each sell Japan 140 t and the EU 560 t in full, and the pool is
    empty; the fair ratio meets both gaps for the same 28 days. Japan is short 60 x 20 - 28 x 20 = 640 t and the EU
    4,800 - 2,240 = 2,560 t under both."""
    data = auction_world(1400)
    assert shortfalls(data) == {"fair_ratio": (640.0, 2560.0), "auction": (640.0, 2560.0)}
    (line,) = compared_on_the_command_line(tmp_path, data)
    assert line == f"{AUCTION}each of its 4 auctions {FILLED} (docs/release-rules.md#auction)"
    guide = GUIDE.read_text()  # "An agreement" shows the line and these numbers
    assert f"```text\n{line}\n```" in guide
    assert "so Japan is short 640 t and the EU 2,560 t under both" in " ".join(guide.split())


def test_an_auction_short_of_the_bids_is_counted_and_a_higher_bid_there_parts_the_rules(tmp_path: Path):
    """3,000 t: four auctions of 700 t in full, then 200 t on day 28 for 700 t of bids at one price, shared pro rata:
    Japan 200 x 140/700 = 40 t, the EU 160 t. Japan then holds 600 t (30 days) and the EU 2,400 t (30 days), as the
    fair ratio's 30 days of both gaps in full: Japan short 1,200 - 600 = 600 t, the EU 4,800 - 2,400 = 2,400 t.
    With the EU bidding 50 USD/kg the day-28 lot goes to Japan's bid first: its whole 140 t (700 t, 35 days,
    short 500 t), the EU 60 t (2,300 t, short 2,500 t), 100 t of each member's apart from the ratio: no line."""
    data = auction_world(1500)
    assert shortfalls(data) == {"fair_ratio": (600.0, 2400.0), "auction": (600.0, 2400.0)}
    assert compared_on_the_command_line(tmp_path, data) == [
        f"{AUCTION}4 of its 5 auctions {FILLED}; the other one sold all of a lot smaller than the bids, as when the "
        "stock runs out: only there could the bids' prices (and volumes, at one price) split the stock otherwise than "
        "the ratio (docs/release-rules.md#auction)"
    ]
    data = auction_world(1500, eu_price_usd_per_kg=50)
    assert shortfalls(data) == {"fair_ratio": (600.0, 2400.0), "auction": (500.0, 2500.0)}
    assert compared_on_the_command_line(tmp_path, data) == []
