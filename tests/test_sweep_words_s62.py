"""The sweep figures' words (session 62): materials by name, swept paths that say whose, one note per case.

Tables are made by hand. Two members, Japan and the EU, are short of light rare earths alone, in tonnes that may
not be added to the other material's (``sweep.json``'s ``shortfall_adds``), so the figures' fairness is light
rare earths' own index (:func:`simulator.sweep.figures.fairness_material`).
"""

from __future__ import annotations

import matplotlib.text
import pandas as pd
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg

from simulator.sweep.figures import (
    _draws,
    _shorts,
    fairness_at_points,
    fairness_notes,
    sweep_notes,
    unlike_tonnes_notes,
)

RATIO = "agreement.ratio.japan"
END = "shocks.halt.end"
ADDS = "tonnes of materials priced far apart"


def light_ree_table(paths: list[str], fairness_flat: bool = False) -> pd.DataFrame:
    """One run at each point of ``RATIO`` 0.2, 0.8 (by ``END`` 10, 20 where two paths are swept).

    Japan is short of 10 t of light rare earths at every point, the EU of 30 t times the ratio: the totals and
    the index differ from point to point, unless ``fairness_flat``, where each point's index is 0.9.
    """
    values = [(0.2, 10), (0.8, 10), (0.2, 20), (0.8, 20)] if len(paths) == 2 else [(0.2, 10), (0.8, 10)]
    rows = []
    for point, (ratio, end) in enumerate(values):
        eu = 30 * ratio + end
        fairness = 0.9 if fairness_flat else 0.5 + ratio / 2
        rows.append(
            {
                **dict(zip((RATIO, END), (ratio, end), strict=False)),
                "point": point,
                "run": 0,
                "seed": 0,
                "total_shortfall_t": 10 + eu,
                "fairness_jain": 0.6,  # over all materials: not what the figures draw
                "fairness_jain.all.light_ree": fairness,
                "fairness_jain.all.heavy_ree": 1.0,
                "shortfall_t.japan": 10.0,
                "shortfall_t.eu": eu,
                "shortfall_t.japan.light_ree": 10.0,
                "shortfall_t.eu.light_ree": eu,
                "shortfall_t.japan.heavy_ree": 0.0,
                "shortfall_t.eu.heavy_ree": 0.0,
                "shortfall_share.japan": 0.1,
                "shortfall_share.eu": 0.2,
            }
        )
    return pd.DataFrame(rows)[[p for p in (RATIO, END) if p in paths] + list(rows[0].keys() - {RATIO, END})]


def info_of(table: pd.DataFrame, paths: list[str]) -> dict:
    return {"grid": {p: list(pd.unique(table[p])) for p in paths}, "members": ["japan", "eu"], "shortfall_adds": ADDS}


def texts(figure) -> list[str]:
    """Every text of a drawn figure: titles, axis labels, tick labels, legends, notes in panels."""
    return [t.get_text() for t in figure.findobj(matplotlib.text.Text) if t.get_text()]


def test_the_figures_name_the_material_whose_index_they_draw_by_its_name_not_its_id():
    for paths, figures in (
        ([RATIO], ("sweep_metrics.png", "sweep_frontier.png")),
        ([RATIO, END], ("sweep_heatmap.png", "sweep_frontier.png")),
    ):
        table = light_ree_table(paths)
        draws = _draws(table, info_of(table, paths))
        for name in figures:
            draw, _why = draws[name]
            words = texts(draw())
            assert not [w for w in words if "light_ree" in w], name
            assert any("Fairness of light rare earths (Jain's index)" in w for w in words), name


def test_a_note_of_a_panel_not_drawn_names_the_material_by_its_name():
    """Every key metric the same at every point: no metrics figure, and the note gives each panel's value."""
    table = light_ree_table([RATIO], fairness_flat=True).assign(**{"total_shortfall_t": 25.0, "shortfall_t.eu": 15.0})
    notes = sweep_notes(table, info_of(table, [RATIO]))
    said = [note for note in notes if note.startswith("sweep_metrics.png not drawn")]
    assert len(said) == 1 and "Fairness of light rare earths (Jain's index): 0.9 at every point" in said[0], notes
    assert not [note for note in notes if "light_ree" in note and "<material>" not in note], notes


KOREA_GALLIUM = "agreement.pool.contributions.korea.gallium.tonnes"
EU_GALLIUM = "agreement.pool.contributions.eu.gallium.tonnes"


def pool_table() -> pd.DataFrame:
    """Korea's gallium in the pool, 0 or 40 t, by the EU's gallium demand, 1 or 2 t/day: four points, one run each.

    Each tonne Korea puts in takes 1 t off the total shortfall, 50 t at 1 t/day (100 t at 2): the frontier has two
    condition groups (the demand), a dot each for Korea's 0 and 40 t.
    """
    rows = []
    for point, (korea, demand) in enumerate([(0, 1), (40, 1), (0, 2), (40, 2)]):
        total = 50.0 * demand - korea
        rows.append(
            {
                KOREA_GALLIUM: korea,
                "regions.eu.demand.gallium.tonnes_per_day": demand,
                "point": point,
                "run": 0,
                "seed": 0,
                "total_shortfall_t": total,
                "fairness_jain": 0.5 + korea / 100,
                "shortfall_t.korea": total / 2,
                "shortfall_t.eu": total / 2,
                "shortfall_share.korea": 0.1,
                "shortfall_share.eu": 0.1,
                "holding_cost_usd.korea": korea * 1000.0,
                "holding_cost_usd.eu": 0.0,
            }
        )
    return pd.DataFrame(rows)


def test_the_frontiers_name_a_swept_path_with_whose_it_is():
    """The last two segments, ``gallium.tonnes`` and ``gallium.tonnes_per_day``, said neither whose tonnes nor whose
    demand: both frontiers' label keys and the legend of condition groups name Korea and the EU."""
    table = pool_table()
    paths = [KOREA_GALLIUM, "regions.eu.demand.gallium.tonnes_per_day"]
    info = {"grid": {p: list(pd.unique(table[p])) for p in paths}, "members": ["korea", "eu"]}
    draws = _draws(table, info)
    for name in ("sweep_frontier.png", "sweep_pool_frontier.png"):
        ax = draws[name][0]().axes[0]
        assert ax.get_title().splitlines()[1].endswith(": korea.gallium.tonnes / eu.demand.gallium.tonnes_per_day"), (
            name
        )
        legend = [t.get_text() for t in ax.get_legend().get_texts()]
        assert legend[:2] == ["eu.demand.gallium.tonnes_per_day 1", "eu.demand.gallium.tonnes_per_day 2"], name


def test_two_swept_paths_that_differ_are_never_named_alike():
    """Whatever the paths: each of these pairs, swept together, is told apart (and each keeps its ids)."""
    pairs = [
        (KOREA_GALLIUM, EU_GALLIUM),
        (KOREA_GALLIUM, "regions.korea.reserve.gallium.tonnes"),
        ("regions.japan.reserve.gallium.days", "regions.japan.commercial_stock.gallium.days"),
        ("regions.japan.reserve.gallium.days", "agreement.pool.contributions.japan.gallium.days"),
        ("agreement.ratio.japan", "agreement.pool.contributions.japan.gallium.days"),
        ("shocks.halt.end", "shocks.quota.end"),
        ("a.b", "x.a.b"),
    ]
    for pair in pairs:
        names = _shorts(list(pair))
        assert len(set(names)) == 2, pair
        for path, name in zip(pair, names, strict=True):
            assert path.endswith(name) and len(name.split(".")) >= min(2, len(path.split("."))), (path, name)
    assert _shorts([KOREA_GALLIUM, EU_GALLIUM]) == ["korea.gallium.tonnes", "eu.gallium.tonnes"]
    assert _shorts(["regions.japan.reserve.gallium.days"]) == ["japan.reserve.gallium.days"]


def test_the_frontier_s_fairness_axis_label_stays_inside_the_figure():
    """Named by its name, light rare earths' index made the y label 6 inches long, on a figure 5.8 inches high: it
    is set on two lines, broken after its comma, and the panel keeps its width."""
    table = light_ree_table([RATIO])
    fig = _draws(table, info_of(table, [RATIO]))["sweep_frontier.png"][0]()
    ax = fig.axes[0]
    assert ax.get_ylabel() == (
        "Fairness of light rare earths (Jain's index),\nmedian over all runs (1 where none is short)"
    )
    canvas = FigureCanvasAgg(fig)
    canvas.draw()  # the label set where the draw puts it
    renderer = canvas.get_renderer()
    label, whole = ax.yaxis.label.get_window_extent(renderer), fig.bbox
    assert whole.y0 <= label.y0 and label.y1 <= whole.y1 and whole.x0 <= label.x0, (label, whole)
    assert ax.get_position().width * fig.get_figwidth() == pytest.approx(7.8 - 0.95 - 0.3)  # no legend: one group


def test_without_figures_no_note_says_what_the_figures_read():
    """``--no-plots`` and a sweep kept in memory draw no figure: the notes that the totals and Jain's index add
    unlike tonnes name the columns alone, as ``sweep.json`` keeps the latter; with figures they say that the
    figures' panels add them too."""
    table = light_ree_table([RATIO]).assign(**{"shortfall_t.eu.heavy_ree": 1.0})  # two materials short
    info = info_of(table, [RATIO])
    without = unlike_tonnes_notes(table, info, figures=False)
    assert without == [
        f"total_shortfall_t and shortfall_t.<member> add {ADDS}: shortfall_t.<member>.<material> gives each material",
        f"fairness_jain adds {ADDS}: fairness_jain.all.<material> gives each material's index",
    ]
    assert fairness_notes(table, info) == without[1:]  # as sweep.json keeps it: written before any figure is drawn
    drawn = unlike_tonnes_notes(table, info)
    assert [note.split(" add")[0] for note in drawn] == [
        "total_shortfall_t and shortfall_t.<member> (and the figures' panels of them)",
        "fairness_jain (which the fairness figures read)",
    ]


def test_fairness_is_summarised_once_per_figure_drawn(monkeypatch):
    """The flat panels are told and the figure drawn from one summary of fairness over the runs with a member
    short (:func:`~simulator.sweep.figures.fairness_at_points`): worked out once, not once for each."""
    import simulator.sweep.figures as figures

    calls = []

    def counted(*args, **kwargs):
        calls.append(args)
        return fairness_at_points(*args, **kwargs)

    monkeypatch.setattr(figures, "fairness_at_points", counted)
    for paths, name in (([RATIO], "sweep_metrics.png"), ([RATIO, END], "sweep_heatmap.png")):
        calls.clear()
        table = light_ree_table(paths)
        draw, _why = _draws(table, info_of(table, paths))[name]
        titles = [ax.get_title() for ax in draw().axes]
        assert len(calls) == 1, name
        assert any(title.startswith("Fairness of light rare earths") for title in titles), name
