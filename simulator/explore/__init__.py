"""The what-if explorer: one offline HTML page with a slider per swept parameter.

Layer: studies. :mod:`simulator.explore.grid` checks the axes and runs the grid through
the sweep machinery, :mod:`simulator.explore.data` packs its curves into a compact
binary, and :mod:`simulator.explore.page` writes the page (``docs/explorer.md``).

>>> from simulator.explore import plan_grid, run_grid, render, write_page  # the public functions
"""

from simulator.explore.grid import Grid, plan_grid, run_grid
from simulator.explore.page import Page, render, write_page

__all__ = ["Grid", "Page", "plan_grid", "render", "run_grid", "write_page"]
