"""The figures of a run and of ``stockpile compare`` with twelve members (session 63).

A policy officer's scenario of ten EU states, Japan and South Korea drew Japan in Germany's blue and South Korea in
France's red, with release bars alike; a legend of 38 entries taller than the panels; twelve release lanes that left
the curves under half of each panel; ten EU curves on top of one another without a word; and a ``compare.png`` of
one row of 24 panels, 5,258 pixels wide, its first row twelve panels saying nobody was short of light rare earths.

The world here is the smallest that shows it: twelve members ``m01`` to ``m12``, each using 10 t of ``ree`` a day,
all cut off by China from day 5; ``m01`` to ``m10`` hold 200 t each (their curves one line), ``m11`` 100 t and
``m12`` 300 t; each puts 400 t into the pool shared by the fair ratio, so every member receives stock once its own
runs out. Each also uses 1 t a day of ``ga`` and holds 1,000 t of it: nobody is ever short of gallium.
"""

from __future__ import annotations

from typing import Any

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex

from simulator.compare import compare
from simulator.plots import compare_figure, days_of_cover_figure
from tests.helpers import run

MEMBERS = [f"m{k:02d}" for k in range(1, 13)]
NAMES = [m.upper() for m in MEMBERS]
"""The members as the figures name them (names made from the ids)."""
STOCK = {**{m: 200 for m in MEMBERS[:10]}, "m11": 100, "m12": 300}


def twelve() -> dict[str, Any]:
    """Twelve members of one agreement, as the module's docstring says."""
    return {
        "name": "twelve",
        "horizon_days": 60,
        "materials": {"ree": {"price_usd_per_kg": 50}, "ga": {"price_usd_per_kg": 300}},
        "suppliers": {"china": {"lead_time_days": dict.fromkeys(MEMBERS, 5)}},
        "regions": {
            m: {
                "demand": {"ree": {"tonnes_per_day": 10}, "ga": {"tonnes_per_day": 1}},
                "commercial_stock": {"ree": {"tonnes": STOCK[m]}, "ga": {"tonnes": 1000}},
                "sourcing": {"ree": {"china": 1.0}, "ga": {"china": 1.0}},
            }
            for m in MEMBERS
        },
        "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": MEMBERS, "start": 5, "end": 1000}],
        "agreement": {
            "members": MEMBERS,
            "mechanism": "fair_ratio",
            "ratio": dict.fromkeys(MEMBERS, 1 / 12),
            "pool": {"contributions": {m: {"ree": {"tonnes": 400}} for m in MEMBERS}},
        },
    }


def cover_figure():
    fig = days_of_cover_figure(run(twelve()))
    FigureCanvasAgg(fig).draw()
    return fig


def test_each_of_twelve_members_has_a_colour_of_its_own_and_its_release_bars_are_in_it():
    fig = cover_figure()
    ax = fig.axes[0]  # ree
    colours = {line.get_label(): to_hex(line.get_color()) for line in ax.get_lines() if line.get_label() in NAMES}
    assert sorted(colours) == NAMES
    assert len(set(colours.values())) == 12  # m11 was drawn in M01's blue, M12 in M02's red
    # each member's first release bar is named for it: in its curve's colour, twelve colours for twelve lanes
    bars = {
        p.get_label().rsplit(" to ", 1)[1]: to_hex(p.get_facecolor()) for p in ax.patches if " to M" in p.get_label()
    }
    assert bars == colours


def test_twelve_release_lanes_take_a_quarter_of_the_panel_as_five_do():
    fig = cover_figure()
    ax = fig.axes[0]
    low, top = ax.get_ylim()
    bars = [p for p in ax.patches if p.get_y() < 0]
    assert len({round(p.get_y(), 6) for p in bars}) == 12  # a lane each
    # under the 0 line: a quarter of the panel (0.025 + 5 x 0.045, RELEASE_LANES_MAX_SHARE), 0.565 before
    assert -low / (top - low) <= 0.25 + 1e-9
    assert min(p.get_y() for p in bars) >= low


def test_the_legend_names_each_member_once_side_by_side_and_is_shorter_than_a_panel():
    fig = cover_figure()
    names, legend = fig.legends[-1], fig.legends[0]  # the members' row is set last, over the other entries
    assert [t.get_text() for t in names.get_texts()] == NAMES
    texts = [t.get_text() for t in legend.get_texts()]
    assert not set(texts) & set(NAMES)
    # one entry for every member's release lanes in grey, none of a member's own: 12 of them before
    assert [t for t in texts if t.startswith("released (")] == [
        "released (fair ratio) to each member, in its own lane and its curve's colour"
    ]
    renderer = fig.canvas.get_renderer()
    panel = fig.axes[0].get_window_extent(renderer)
    # short names, side by side in one row (a column of 12 before)
    assert len({round(t.get_window_extent(renderer).y0) for t in names.get_texts()}) == 1
    boxes = [legend.get_window_extent(renderer), names.get_window_extent(renderer)]
    for box in boxes:  # on the figure, under the panels
        assert box.x0 >= 0 and box.x1 <= fig.bbox.width and box.y0 >= 0 and box.y1 <= panel.y0
    assert boxes[0].y1 <= boxes[1].y0  # the members' row over the rest, not on it
    # 12 + 1 + 12 + 1 rows in one column were taller than the panel
    assert boxes[1].y1 - boxes[0].y0 <= panel.height


def test_curves_drawn_one_over_another_are_named_under_the_legend():
    fig = cover_figure()
    notes = [" ".join(t.get_text().split()) for t in fig.texts]
    named = ", ".join(NAMES[:10])  # M11 and M12 hold other stocks: their curves are apart
    assert f"Drawn one over another (within a line's width of each other in every panel): {named}." in notes


def compared():
    comparison = compare(twelve(), ["fair_ratio", "auction"], "s.yaml")
    return compare_figure(comparison.results, comparison.skipped, comparison.baselines)


def test_compare_wraps_twelve_members_into_rows_of_four_and_leaves_out_a_material_nobody_is_short_of():
    fig = compared()
    width_in = fig.get_figwidth()
    assert width_in <= 3.9 * 5 + 1.0  # at most five panels a row: 47.8 inches in one row of twelve
    panels = [ax for ax in fig.axes if ax.get_title().startswith("M")]
    assert sorted(ax.get_title() for ax in panels) == [f"{m}, rare earths" for m in NAMES]  # no row of gallium
    rows = {}
    for ax in panels:
        rows.setdefault(round(ax.get_position().y0, 4), []).append(ax)
    assert sorted(len(row) for row in rows.values()) == [4, 4, 4]
    for row in rows.values():  # in the members' order, left to right and row by row
        row.sort(key=lambda ax: ax.get_position().x0)
    ordered = [ax.get_title() for y in sorted(rows, reverse=True) for ax in rows[y]]
    assert ordered == [f"{m}, rare earths" for m in NAMES]
    notes = " ".join(" ".join(t.get_text().split()) for t in fig.texts)
    assert "Not drawn: ga, of which no member is short under any rule, nor without the agreement." in notes
