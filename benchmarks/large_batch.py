"""One batch of a large club on the fast path: peak memory and CPU (``run_benchmarks.py --memory``).

Usage: ``python benchmarks/large_batch.py MEMBERS DAYS RUNS``. The scenario is the 2010
replay with ``MEMBERS - 2`` more members, copies of Japan and the EU in turn (same
demand, stocks, sourcing, lead times, shocks, pool contributions and bids), so that every
size keeps the replay's mix of members, and with the quotas and capacities they all share
grown with them; all in the joint pool at equal ratios (Japan takes the rounding), 5%
noise on every demand, and a horizon of ``DAYS`` days. One batch of
``RUNS`` distinct runs is drawn and simulated in this process, summaries only.
"""

from __future__ import annotations

import copy
import resource
import sys
import time
from pathlib import Path
from typing import Any

from simulator.fastpath import run_batch
from simulator.plan import compile_plan, stack_plans
from simulator.randomness import draw_batch, run_seed
from simulator.scenario import Scenario, load_raw, validate_data

REPLAY = Path(__file__).resolve().parent.parent / "scenarios" / "embargo_2010.yaml"


def _copy_entries(node: Any, source: str, names: list[str]) -> Any:
    """``node`` with every entry keyed ``source`` copied under each of ``names``, and ``names``
    added to every list that names ``source``."""
    if isinstance(node, dict):
        for key in list(node):
            node[key] = _copy_entries(node[key], source, names)
        if source in node:
            for name in names:
                node[name] = copy.deepcopy(node[source])
    elif isinstance(node, list):
        if source in node:
            node.extend(names)
        else:
            node[:] = [_copy_entries(item, source, names) for item in node]
    return node


def _grown(data: dict[str, Any], sources: tuple[str, str], size: int) -> None:
    """Copies of the two ``sources`` in turn (the first gets the odd one) until there are
    ``size`` in all, named ``<source>_2``, ``<source>_3`` and on; every entry and list
    naming a source names its copies too."""
    for k, source in enumerate(sources):
        copies = len(range(k, size - 2, 2))
        _copy_entries(data, source, [f"{source}_{n}" for n in range(2, copies + 2)])


def _quotas_scaled(data: dict[str, Any], factors: list[float]) -> None:
    """Each export quota's tonnes times its shock's factor (as many more as now share it)."""
    for shock, factor in zip(data["shocks"], factors, strict=True):
        if shock["kind"] == "export_quota":
            shock["tonnes_per_period"] *= factor


def _materials_served(data: dict[str, Any]) -> list[int]:
    """How many materials each shock acts on: those it lists, else every material."""
    return [len(shock.get("materials", data["materials"])) for shock in data["shocks"]]


def _noisy(data: dict[str, Any], days: int) -> None:
    """``days`` days of horizon and 5% noise on every demand."""
    data["horizon_days"] = days
    for region in data["regions"].values():
        for demand in region["demand"].values():
            demand["noise_cv"] = 0.05


def club(members: int, days: int) -> Scenario:
    """The replay grown to ``members`` members and ``days`` days (see the module docstring)."""
    data: dict[str, Any] = copy.deepcopy(load_raw(REPLAY))
    _noisy(data, days)
    _grown(data, ("japan", "eu"), members)
    # what all members share grows with them: every quota (it serves every region) and
    # every supplier's capacity, so each copy meets the limits its original met
    _quotas_scaled(data, [members / 2] * len(data["shocks"]))
    for supplier in data["suppliers"].values():
        supplier["capacity_t_per_day"] = {m: t * members / 2 for m, t in supplier.get("capacity_t_per_day", {}).items()}
        for addition in supplier.get("capacity_additions", []):
            addition["capacity_t_per_day"] *= members / 2
    agreement = data["agreement"]
    share = round(1.0 / members, 6)
    agreement["ratio"] = {m: share for m in agreement["members"]}
    agreement["ratio"]["japan"] = round(1.0 - share * (members - 1), 6)
    return validate_data(data, f"{REPLAY.name} grown to {members} members")


def assortment(materials: int, days: int) -> Scenario:
    """The replay with ``materials`` materials over ``days`` days: copies of light and heavy
    REEs in turn, each with its demand, stocks, sourcing, capacity, market, shocks, pool
    contributions and bids; quotas on every material grown with them; 5% noise on every
    demand; no ``uncertain:`` block (its paths name only the two materials of the replay).
    """
    data: dict[str, Any] = copy.deepcopy(load_raw(REPLAY))
    data.pop("uncertain", None)
    _noisy(data, days)
    before = _materials_served(data)
    _grown(data, ("light_ree", "heavy_ree"), materials)
    # a quota on every material (or on copied ones) is shared by the copies too
    _quotas_scaled(data, [after / was for after, was in zip(_materials_served(data), before, strict=True)])
    return validate_data(data, f"{REPLAY.name} with {materials} materials")


def main() -> None:
    members, days, runs = (int(x) for x in sys.argv[1:4])
    plan = compile_plan(club(members, days))
    started = time.process_time()
    draws = draw_batch([plan] * runs, [run_seed(1, k) for k in range(runs)])
    run_batch(stack_plans([plan] * runs), draws)
    cpu = time.process_time() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{members} members x {days} days x {runs} runs: CPU {cpu:.1f} s, peak RSS {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
