"""The figures of a run by name, and their PNG files.

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from matplotlib.figure import Figure

from simulator.forked import run_shared
from simulator.plots.cover import days_of_cover_figure
from simulator.plots.prices import prices_figure
from simulator.plots.shortfall import shortfall_figure
from simulator.plots.style import PNG_DPI
from simulator.plots.supply import supply_mix_figure
from simulator.results import Result


def run_figures(result: Result) -> dict[str, Callable[[Result], Figure]]:
    """A run's figures by name (``<name>.png``): days of cover, shortfall, supply mix and, with a market, prices."""
    figures = {"days_of_cover": days_of_cover_figure, "shortfall": shortfall_figure, "supply_mix": supply_mix_figure}
    if result.structure.market:
        figures["prices"] = prices_figure
    return figures


def write_figures(result: Result, folder: Path, shared: bool = True) -> list[Path]:
    """Write each of :func:`run_figures` as ``<name>.png`` into ``folder``; in order here unless ``shared``."""
    figures = [(f"{name}.png", make) for name, make in run_figures(result).items()]

    def drawing(path: Path, make: Callable[[Result], Figure]) -> Callable[[], None]:
        return lambda: make(result).savefig(path, dpi=PNG_DPI)

    tasks = [drawing(folder / name, make) for name, make in figures]
    if shared:  # half of them in a forked child where two cores allow: the same bytes, in about half the time
        run_shared(tasks)
    else:
        for task in tasks:
            task()
    return [folder / name for name, _ in figures]
