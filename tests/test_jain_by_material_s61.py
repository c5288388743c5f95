"""One material short in a scenario whose tonnes may not be added: Jain's index is that material's (session 61).

Over all materials a member's share of the shortfall is its shortfall over its demand for every material, so with
only gallium short a member using gallium alone reads as bearing more than one whose gallium is a small part of its
tonnes. ``stockpile run``'s last line, the report's overall finding and ``stockpile compare``'s table and figure give
gallium's own index there, worked out by hand below.
"""

from __future__ import annotations

import math
from typing import Any

from simulator.compare import compare
from simulator.console import compare_text, summary_text
from simulator.report.findings import Run, overall_finding
from tests.helpers import halt, run, table_cell
from tests.test_report_answers import plain

GALLIUM_SHORT: dict[str, Any] = {
    "name": "gallium_short",
    "horizon_days": 10,
    "materials": {
        "gallium": {"price_usd_per_kg": 300, "tonnes_of": "Ga metal"},
        "germanium": {"price_usd_per_kg": 1500, "tonnes_of": "Ge metal"},
    },
    "suppliers": {
        "china": {"lead_time_days": {"japan": 5, "eu": 5, "korea": 5}},
        "canada": {"lead_time_days": {"japan": 5, "eu": 5}},
    },
    "regions": {
        "japan": {
            "demand": {"gallium": {"tonnes_per_day": 2}, "germanium": {"tonnes_per_day": 1}},
            "commercial_stock": {"gallium": {"tonnes": 10}, "germanium": {"tonnes": 0}},
            "sourcing": {"gallium": {"china": 1.0}, "germanium": {"canada": 1.0}},
        },
        "eu": {
            "demand": {"gallium": {"tonnes_per_day": 4}, "germanium": {"tonnes_per_day": 3}},
            "commercial_stock": {"gallium": {"tonnes": 0}, "germanium": {"tonnes": 0}},
            "sourcing": {"gallium": {"china": 1.0}, "germanium": {"canada": 1.0}},
        },
        "korea": {
            "demand": {"gallium": {"tonnes_per_day": 1}},
            "commercial_stock": {"gallium": {"tonnes": 0}},
            "sourcing": {"gallium": {"china": 1.0}},
        },
    },
    "shocks": [halt(regions=["japan", "eu", "korea"], start=-100, end=1000)],
    "agreement": {
        "members": ["japan", "eu", "korea"],
        "mechanism": "fair_ratio",
        "ratio": {"japan": 0.4, "eu": 0.4, "korea": 0.2},
        "pool": {"contributions": {"japan": {"germanium": {"tonnes": 5}}}},
    },
}
"""Ten days of China's gallium halted for three members (germanium, from Canada, flows): Japan uses 2 t of gallium
and 1 t of germanium a day and holds 10 t of gallium, the EU 4 t and 3 t with none, Korea 1 t of gallium only
with none. Gallium short: Japan 20 - 10 = 10 t (share 1/2), the EU 40 t (1), Korea 10 t (1); Jain's index of
gallium (2.5)^2 / (3 x 2.25) = 25/27 = 0.926. Over all materials the shares are 10/30, 40/70 and 10/10: (40/21)^2 /
(3 x 634/441) = 1600/1902 = 0.841. The pool holds germanium only, never short."""

GALLIUM_INDEX = 25 / 27
OVER_ALL_INDEX = 1600 / 1902


def test_the_run_line_gives_gallium_index_named():
    result = run(GALLIUM_SHORT)
    metrics = result.metrics  # the world as worked out: the two indices differ
    assert [metrics[f"shortfall_t.{m}.gallium"] for m in ("japan", "eu", "korea")] == [10.0, 40.0, 10.0]
    assert math.isclose(metrics["fairness_jain.all.gallium"], GALLIUM_INDEX, rel_tol=1e-9)
    assert math.isclose(metrics["fairness_jain"], OVER_ALL_INDEX, rel_tol=1e-9)
    last = summary_text(result).splitlines()[-1]
    assert last == "total shortfall 60.0 t; fairness (Jain) of gallium 0.926"


def test_the_report_gives_gallium_index_not_the_index_over_all():
    sentence = plain(overall_finding(Run.of(run(GALLIUM_SHORT))))
    assert "short of 60.0 t of gallium in all" in sentence
    assert sentence.endswith(
        "; fairness of the burden of the material short (Jain's index of the members' shortfalls as shares of "
        "their demand for it, 1 = equal): gallium 0.93."
    )
    assert "0.84" not in sentence


def test_compare_gives_gallium_index_in_table_and_figure():
    from simulator.plots import compare_figure

    comparison = compare(GALLIUM_SHORT, ["fair_ratio", "equal_losses"], "gallium_short.yaml")
    table = comparison.table()
    lines = compare_text(table).splitlines()
    header = lines[0].split()
    assert "fairness_jain.all.gallium" in header and "fairness_jain" not in header
    names = ("no agreement", "own shares alone", "fair_ratio", "equal_losses")
    cells = {name: table_cell(lines, name, "fairness_jain.all.gallium") for name in names}
    # the pool (germanium) never draws for gallium: every row leaves the shortfalls worked out above, the members'
    # own in the rows without the agreement too
    assert cells == dict.fromkeys(names, "0.926")
    assert any(line.startswith("fairness_jain.all.MATERIAL: ") and "those no one is short of" in line for line in lines)
    assert math.isclose(table.set_index("mechanism").loc["no agreement", "fairness_jain.all.gallium"], GALLIUM_INDEX)
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    fair = fig.axes[-1]
    assert fair.get_xlabel() == "fairness of gallium (Jain's index, 1 = equal)"
    assert [t.get_text() for t in fair.texts if t.get_text()] == ["0.926"] * 4  # no agreement, own shares, 2 rules
