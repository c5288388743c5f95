"""``compare.png`` reads "short of a material" as ``stockpile compare``'s table does: one definition, not two.

The figure's panels of a member never short of a material (a sentence, not flat lines at 0 t) were decided by
a check of its own; they now ask :func:`simulator.compare_materials.is_short_of`, the table's. The world is
tests/test_compare_nobody_short.py's MAGNETS: of rare earths Japan is short 10 t and the EU 20 t without the
agreement; of magnets the EU is short 100 t in every row and Japan, with 100 t of its own against 10 t needed,
in none.
"""

from __future__ import annotations

import simulator.compare_materials
from simulator.compare import compare
from simulator.plots import compare_figure
from tests.test_compare_nobody_short import MAGNETS, RULES

NEVER_SHORT = "Never short under any rule, nor without the agreement."


def never_short_panels() -> set[str]:
    """The titles of ``compare.png``'s panels for MAGNETS that say their member is never short."""
    return never_short_and_titles()[0]


def never_short_and_titles() -> tuple[set[str], set[str], str]:
    """Of ``compare.png`` for MAGNETS: the never-short panels' titles, every panel's title and the figure's texts."""
    comparison = compare(MAGNETS, RULES, "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    never = {ax.get_title() for ax in fig.axes if [" ".join(t.get_text().split()) for t in ax.texts] == [NEVER_SHORT]}
    return never, {ax.get_title() for ax in fig.axes}, " ".join(" ".join(t.get_text().split()) for t in fig.texts)


def test_the_figure_says_never_short_only_of_japan_and_magnets():
    assert never_short_panels() == {"Japan, mag"}


def test_the_figure_follows_the_tables_definition_of_short(monkeypatch):
    # counted short only of magnets: Japan's and the EU's rare earths (10 t and 20 t without the agreement) read as
    # never short, as they would in compare's table; nobody then is short of rare earths, whose panels are left out
    # and named under the legend (session 63: a row of panels each saying so); Japan's magnets stay never short
    table_definition = simulator.compare_materials.is_short_of

    def short_of_magnets_only(figures, members, material):
        return material == "mag" and table_definition(figures, members, material)

    monkeypatch.setattr(simulator.compare_materials, "is_short_of", short_of_magnets_only)
    never, titles, texts = never_short_and_titles()
    assert never == {"Japan, mag"}
    assert not any(title.endswith(", rare earths") for title in titles)
    assert "Not drawn: rare earths, of which no member is short under any rule, nor without the agreement." in texts
