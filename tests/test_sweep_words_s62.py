"""The sweep figures' words (session 62): materials by name, swept paths that say whose, one note per case.

Tables are made by hand. Two members, Japan and the EU, are short of light rare earths alone, in tonnes that may
not be added to the other material's (``sweep.json``'s ``shortfall_adds``), so the figures' fairness is light
rare earths' own index (:func:`simulator.sweep.figures.fairness_material`).
"""

from __future__ import annotations

import matplotlib.text
import pandas as pd

from simulator.sweep.figures import _draws, sweep_notes

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
