"""A frontier group whose only efficient point is one dot draws no line, and its legend entry shows no line.

docs/sweeps.md's pool-frontier example (embargo ends 151 to 331, EU light days 0 to 90) said "four
lines, one per end", but the ends 151 and 211 have one efficient point each (0 days: a larger
contribution costs more and cuts nothing), which draws no line; the legend still gave them a
line glyph (simulator/sweep/figures.py, _grouped_dots).
"""

from __future__ import annotations

import pandas as pd

from simulator.sweep.figures import pool_frontier_figure

END = "shocks.china_embargo.end"
DAYS = "agreement.pool.contributions.eu.light_ree.days"
MEMBERS = ["japan", "eu"]


def _table() -> pd.DataFrame:
    """Two ends, four contributions each: end 151 flat (shortfall 2,000 t whatever is held, so only 0 days is
    efficient), end 331 falling (each 30 days more cuts 1,000 t: all four efficient)."""
    rows = []
    for end, shortfall_t in ((151, [2000.0] * 4), (331, [15000.0, 14000.0, 13000.0, 12000.0])):
        for k, days in enumerate((0, 30, 60, 90)):
            rows.append(
                {
                    END: end,
                    DAYS: days,
                    "point": len(rows),
                    "run": 0,
                    "seed": 0,
                    "total_shortfall_t": shortfall_t[k],
                    "fairness_jain": 0.6,
                    "holding_cost_usd.japan": 4e6 + 1e6 * k,  # more days, more cost
                    "holding_cost_usd.eu": 0.0,
                }
            )
    return pd.DataFrame(rows)


def test_a_group_of_one_efficient_dot_has_no_line_drawn_nor_in_its_legend_entry() -> None:
    fig = pool_frontier_figure(_table(), [END, DAYS], MEMBERS)
    ax = fig.axes[0]
    lines = [line for line in ax.get_lines() if len(line.get_xdata()) > 0]
    assert len(lines) == 1  # end 331's four efficient dots, joined
    assert list(lines[0].get_ydata()) == [15000.0, 14000.0, 13000.0, 12000.0]
    entries = {
        text.get_text(): handle
        for text, handle in zip(ax.get_legend().get_texts(), ax.get_legend().legend_handles, strict=True)
    }
    one, four = (next(h for t, h in entries.items() if t.endswith(f" {end}")) for end in (151, 331))
    assert one.get_linewidth() == 0 and one.get_marker() not in ("", "None", None)  # a dot alone
    assert four.get_linewidth() > 0  # a line, as drawn
