"""Speed and memory of the shipped 2010 replay: single runs, sweeps, peak memory.

Run with ``make bench``. Prints a table; never asserts (targets live in
``benchmarks/README.md``). Sweeps run as subprocesses of the real CLI so that the
figures include start-up, workers and writing the table, as a user sees them: the
installed ``stockpile`` program, with Python's bytecode cache kept.

Every figure is printed next to the naive SimPy reference (``naive_simpy.py``, measured
in the same run): rates of runs as a multiple of what the reference does per core.
CPU seconds are printed beside wall times: on a machine shared with other work the wall
time says more about the other work than about the code.

Parts: ``--per-run`` (fast path, naive SimPy, NumPy floor), ``--delays`` (a sweep with a
random-start delay against a fixed one), ``--startup`` (``stockpile run``), ``--memory``
(a 2,500-run batch of a 20-member, 3,650-day scenario; about a minute of CPU),
``--scaling`` (cost per run against the number of members and of materials), ``--sensitivity``,
``--large``; no part: everything but ``--memory``, ``--scaling`` and ``--large``.
"""

from __future__ import annotations

import argparse
import itertools
import json
import math
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))  # the naive reference and the NumPy floor
REPLAY = ROOT / "scenarios" / "embargo_2010.yaml"
# demand noise on every demand makes every Monte Carlo run distinct (no repeated runs)
GRID_AXES = ("agreement.ratio.japan=0.01:1:0.01", "shocks.china_quota_2011.tonnes_per_period=10000:19900:100")
"""The 10k grid: 100 ratios x 100 tonnages of the 2011 export quota (distinct deterministic points)."""
EXPLORER_AXES = (
    "agreement.ratio.japan=0.05:0.95:0.1",  # 10
    "shocks.china_quota_2011.tonnes_per_period=10000:19500:500",  # 20
    "agreement.pool.contributions.japan.light_ree.days=0:90:10",  # 10
)
"""The explorer's 2,000-point grid."""
NOISE = [f"--set=regions.{r}.demand.{m}.noise_cv=0.05" for r in ("japan", "eu") for m in ("light_ree", "heavy_ree")]


_PROGRAM = Path(sys.executable).with_name("stockpile")
STOCKPILE = [str(_PROGRAM)] if _PROGRAM.exists() else [sys.executable, "-m", "simulator.cli"]
"""The command as a user runs it: the installed program (``python -m`` would compile the
command-line module anew each time)."""
USER_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""The environment of every measured command: Python keeps its bytecode cache, as on a
user's machine after the first run (this machine sets ``PYTHONDONTWRITEBYTECODE``)."""


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process running ``args``."""
    wall, _, peak = timed_cpu(args)
    return wall, peak


def timed_cpu(args: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (the child and its workers) and peak RSS (MB, largest process) of ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL, env=USER_ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, max(after.ru_maxrss, before.ru_maxrss) / 1024


def noisy_replay_raw() -> dict:
    """The replay with 5% demand noise on every demand (every run distinct)."""
    from simulator.scenario import load_raw, parse_assignment

    return load_raw(REPLAY, [parse_assignment(a.removeprefix("--set=")) for a in NOISE])


def per_run(naive_runs: int = 10, repeats: int = 3) -> dict[str, float]:
    """CPU per noisy run of the replay: the fast path, the naive SimPy reference, the floor.

    All three in this process, one after the other, each warmed up once and then timed
    ``repeats`` times, keeping the cheapest; the fast path and the floor at the batch a
    sweep of the replay runs (:func:`~simulator.sweep.runner.scenario_batch_runs`).
    """
    import naive_simpy
    import numpy_floor

    from simulator.scenario import validate_data
    from simulator.sweep.runner import scenario_batch_runs

    scenario = validate_data(noisy_replay_raw(), str(REPLAY))
    batch = scenario_batch_runs(scenario)
    project = _cheapest(_one_batch(scenario), repeats)
    naive = _cheapest(
        _per_run_timer(lambda: [naive_simpy.run(seed) for seed in range(naive_runs)], naive_runs), repeats
    )
    floor = _cheapest(_per_run_timer(lambda: numpy_floor.run_batch(batch), batch), repeats)
    return {
        f"per run: project fast path, CPU us/run (batch {batch:,})": project * 1e6,
        "per run: naive SimPy reference, CPU us/run": naive * 1e6,
        f"per run: NumPy floor, CPU us/run (batch {batch:,})": floor * 1e6,
        "per run: project vs naive SimPy, x faster": naive / project,
        "per run: project vs NumPy floor, x slower": project / floor,
        "naive SimPy reference, runs/s per core": 1 / naive,
    }


def _per_run_timer(work: Callable[[], Any], runs: int) -> Callable[[], float]:
    """A call runs ``work`` (``runs`` runs) and gives its CPU seconds per run."""

    def cpu_per_run_s() -> float:
        started = time.process_time()
        work()
        return (time.process_time() - started) / runs

    return cpu_per_run_s


def _cheapest(timer: Callable[[], float], repeats: int) -> float:
    """The cheapest of ``repeats`` timings, after one that warms up."""
    timer()
    return min(timer() for _ in range(repeats))


def delays(folder: Path, runs: int = 10_000) -> dict[str, float]:
    """A 10,000-run sweep of the noisy replay whose customs delay starts on a random day, against a fixed start.

    The delay lasts 23 days and starts uniformly between days 92 and 274, or on day 119.
    CPU seconds of all processes are compared (the wall time on a shared machine is not).
    """
    import yaml

    out: dict[str, float] = {}
    for label, start in (("fixed", 119), ("random", {"distribution": "uniform", "low": 92, "high": 274})):
        data = noisy_replay_raw()
        for shock in data["shocks"]:
            if shock["id"] == "china_japan_customs_delay":
                shock.pop("end")
                shock.update(duration_days=23, start=start)
        scenario = folder / f"delay_{label}.yaml"
        scenario.write_text(yaml.safe_dump(data, sort_keys=False))
        args = [*STOCKPILE, "sweep", str(scenario), "--runs", str(runs)]
        wall, cpu, _ = timed_cpu([*args, "--workers", "2", "-o", str(folder / f"delay_{label}")])
        out[f"sweep with a {label}-start delay, 10k runs: CPU s (all processes)"] = cpu
        out[f"sweep with a {label}-start delay, 10k runs: command wall s"] = wall
    fixed, random = (out[f"sweep with a {k}-start delay, 10k runs: CPU s (all processes)"] for k in ("fixed", "random"))
    out["random-start delay / fixed delay, CPU"] = random / fixed
    return out


def startup(folder: Path, repeats: int = 3) -> dict[str, float]:
    """``stockpile run`` of the replay, with and without figures: best of ``repeats`` (wall and CPU).

    After one run that leaves Python's bytecode cache written.
    """
    out: dict[str, float] = {}
    for label, flags in (("--no-plots", ["--no-plots"]), ("plots included", [])):
        args = [*STOCKPILE, "run", str(REPLAY), "--force", *flags, "-o", str(folder / "startup")]
        timed_cpu(args)  # writes the bytecode cache
        measured = [timed_cpu(args) for _ in range(repeats)]
        out[f"stockpile run ({label}), wall s (best of {repeats})"] = min(m[0] for m in measured)
        out[f"stockpile run ({label}), CPU s (best of {repeats})"] = min(m[1] for m in measured)
    return out


def memory() -> dict[str, float]:
    """Peak RSS of one 2,500-run batch of a 20-member, 3,650-day noisy scenario (in a child process)."""
    script = Path(__file__).resolve().parent / "large_batch.py"
    wall, cpu, peak = timed_cpu([sys.executable, str(script), "20", "3650", "2500"])
    return {
        "20 members x 3,650 days x 2,500 runs: peak RSS MB": peak,
        "20 members x 3,650 days x 2,500 runs: CPU s": cpu,
        "20 members x 3,650 days x 2,500 runs: wall s": wall,
    }


SCALING_MEMBERS = (2, 4, 8, 16, 32)
"""Club sizes of ``--scaling`` (issue 19 target 5: the cost exponent in members)."""
SCALING_MATERIALS = (2, 4, 8, 16)
"""Numbers of materials of ``--scaling`` (the cost exponent in materials)."""


def _one_batch(scenario: Any) -> Callable[[], float]:
    """A fast-path batch of ``scenario``, sized as a sweep sizes it: a call runs it and gives CPU seconds per run."""
    from simulator.fastpath import run_batch
    from simulator.plan import compile_plan, stack_plans
    from simulator.randomness import draw_batch, run_seed
    from simulator.sweep.runner import scenario_batch_runs

    runs = scenario_batch_runs(scenario)
    plans = [compile_plan(scenario)] * runs
    seeds = [run_seed(1, k) for k in range(runs)]
    return _per_run_timer(lambda: run_batch(stack_plans(plans), draw_batch(plans, seeds)), runs)


def _exponents(label: str, cost_s: dict[int, float]) -> dict[str, float]:
    """``log(cost ratio) / log(size ratio)`` between neighbouring sizes and between the ends: 1.0 is linear."""
    sizes = sorted(cost_s)
    pairs = [*itertools.pairwise(sizes), (sizes[0], sizes[-1])]
    return {
        f"scaling: cost exponent in {label} {small}->{big}": math.log(cost_s[big] / cost_s[small])
        / math.log(big / small)
        for small, big in pairs
    }


def scaling(days: int = 365, rounds: int = 3) -> dict[str, float]:
    """CPU per run of one fast-path batch of the replay grown in members, then in materials, and the exponents.

    Members: ``large_batch.club`` (copies of Japan and the EU in turn, 5% noise on every
    demand). Materials: ``large_batch.assortment`` (copies of light and heavy REEs in
    turn). Each size keeps the replay's mix, so the exponent measures size alone, not a
    club that grows dearer per member (copies of the EU alone start auctions Japan never
    needs; copies of light REEs alone carry more of the model than heavy ones). Both over ``days``
    days, in batches sized as a sweep sizes them. Each size is warmed up once, then the
    sizes run in turn ``rounds`` times and each keeps its cheapest batch: a machine whose
    speed drifts over the minutes this takes then slows every size alike.
    """
    from large_batch import assortment, club

    results: dict[str, float] = {}
    for label, sizes, grow in (("members", SCALING_MEMBERS, club), ("materials", SCALING_MATERIALS, assortment)):
        batches = {n: _one_batch(grow(n, days)) for n in sizes}
        for batch in batches.values():
            batch()  # warm-up
        cost_s = dict.fromkeys(sizes, math.inf)
        for _ in range(rounds):
            for n in sizes:
                cost_s[n] = min(cost_s[n], batches[n]())
        results.update({f"scaling: {n} {label} x {days} days, CPU us/run": cost_s[n] * 1e6 for n in sizes})
        results.update(_exponents(label, cost_s))
    return results


def single_runs(repeats: int = 20) -> dict[str, float]:
    """Reference-engine runs of the replay in this process (after imports and a warm-up)."""
    from simulator import load_scenario, simulate

    scenario = load_scenario(REPLAY)
    simulate(scenario)
    started = time.perf_counter()
    for _ in range(repeats):
        simulate(scenario)
    per_run = (time.perf_counter() - started) / repeats
    return {"reference engine, s/run": per_run, "reference engine, runs/s": 1 / per_run}


def sweep(label: str, extra: list[str], runs: int, folder: Path) -> dict[str, float]:
    """One CLI sweep; rates from the sweep's own wall time and from the whole command."""
    out = folder / label
    args = [*STOCKPILE, "sweep", str(REPLAY), *extra, "-o", str(out), "--workers", "2"]
    wall, peak = timed(args)
    info = json.loads((out / "sweep.json").read_text())
    return {
        f"{label}: runs": runs,
        f"{label}: sweep wall s": info["wall_time_s"],
        f"{label}: runs/s (sweep)": runs / info["wall_time_s"],
        f"{label}: command wall s": wall,
        f"{label}: runs/s (command)": runs / wall,
        f"{label}: peak RSS MB (largest process)": peak,
    }


def explore(folder: Path) -> dict[str, float]:
    """``stockpile explore`` of a 2,000-point grid x 100 noisy runs (200,000 distinct runs), 2 workers.

    CPU seconds (all processes) are printed beside the wall time: on a machine shared
    with other work the wall time grows, while CPU seconds / 2 is what two idle cores need.
    """
    out = folder / "explorer.html"
    axes = [f"--axis={axis}" for axis in EXPLORER_AXES]
    args = [*STOCKPILE, "explore", str(REPLAY), *axes, "--runs", "100", *NOISE]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak = timed([*args, "--workers", "2", "-o", str(out)])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {
        "explorer 2,000 points x 100 runs: command wall s": wall,
        "explorer 2,000 points x 100 runs: CPU s (all processes)": cpu,
        "explorer 2,000 points x 100 runs: runs/s (command)": 200_000 / wall,
        "explorer 2,000 points x 100 runs: page MB": out.stat().st_size / 1e6,
        "explorer 2,000 points x 100 runs: peak RSS MB (largest process)": peak,
    }


SENSITIVITY_INPUTS = (
    "market.light_ree.demand.short_run_elasticity",
    "regions.japan.demand.light_ree.tonnes_per_day",
    "regions.eu.demand.light_ree.tonnes_per_day",
    "regions.eu.commercial_stock.light_ree.days",
    "market.light_ree.demand.substitution.max_share",
    "shocks.china_quota_2011.tonnes_per_period",
    "market.light_ree.stocking.precaution_gain",
    "market.light_ree.price.sensitivity",
)
"""The historical replay's eight inputs that lead the Morris screening (docs/uncertainty.md, its Sobol' study);
DESIGN asks for Sobol' with 8 parameters and N = 512."""


def sensitivity(folder: Path) -> dict[str, float]:
    """``stockpile sensitivity`` of the historical replay: Sobol', 8 inputs, N = 512 (5,120 runs), 2 workers."""
    out = folder / "sensitivity"
    historical = REPLAY.with_name("embargo_2010_historical.yaml")
    inputs = [f"--input={path}" for path in SENSITIVITY_INPUTS]
    args = [*STOCKPILE, "sensitivity", str(historical), "--samples", "512", *inputs]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall, peak = timed([*args, "--workers", "2", "-o", str(out)])
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    info = json.loads((out / "sensitivity.json").read_text())
    label = "sensitivity Sobol 8 x 512 (5,120 runs)"
    return {
        f"{label}: study wall s": info["wall_time_s"],
        f"{label}: command wall s": wall,
        f"{label}: CPU s (all processes)": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        f"{label}: runs/s (command)": info["runs"] / wall,
        f"{label}: peak RSS MB (largest process)": peak,
    }


def show(results: dict[str, float]) -> None:
    """The figures, and next to each rate of runs what the naive SimPy reference does on as many cores."""
    naive = results.get("naive SimPy reference, runs/s per core")
    width = max(len(k) for k in results)
    for key, value in results.items():
        beside = ""
        if naive and "runs/s" in key and key != "naive SimPy reference, runs/s per core":
            cores = 1 if "reference engine" in key else 2
            beside = f"   naive SimPy on {cores} core(s): {naive * cores:8.1f} runs/s -> x{value / (naive * cores):.0f}"
        print(f"{key:<{width}}  {value:12.3f}{beside}")


PARTS = {
    "per-run": "the fast path, the naive SimPy reference and the NumPy floor, CPU per run",
    "delays": "a sweep with a random-start delay against the same sweep with a fixed one",
    "startup": "stockpile run of the replay, with and without figures",
    "memory": "a 2,500-run batch of a 20-member, 3,650-day scenario (a minute or more of CPU)",
    "scaling": "cost per run against the number of members and of materials",
    "sensitivity": "a Sobol' study of the historical replay",
}
"""The parts that can be measured alone, each with what it measures."""


def arguments(argv: list[str] | None = None) -> argparse.Namespace:
    """The parts asked for (none: every part but memory, scaling and the 100k check).

    A misspelt or shortened part is refused (exit 2) rather than read as "no part", which
    runs every part for many minutes.
    """
    parser = argparse.ArgumentParser(
        allow_abbrev=False,
        description="Speed and memory of the shipped 2010 replay (benchmarks/README.md).",
        epilog="No part: everything but --memory, --scaling and --large.",
    )
    for part, what in PARTS.items():
        parser.add_argument(f"--{part}", action="store_true", help=f"only {what}")
    parser.add_argument("--large", action="store_true", help="with no part: add the 100,000-run Monte Carlo sweep")
    asked = parser.parse_args(argv)
    if asked.large and any(getattr(asked, part.replace("-", "_")) for part in PARTS):
        parser.error("--large adds to the run of every part; it does nothing beside a part")
    return asked


def main() -> None:
    asked = arguments()
    results: dict[str, float] = {}
    chosen = [part for part in PARTS if getattr(asked, part.replace("-", "_"))]
    if chosen:  # only these measurements
        with tempfile.TemporaryDirectory() as tmp:
            if "per-run" in chosen:
                results.update(per_run())
            if "delays" in chosen:
                results.update(delays(Path(tmp)))
            if "startup" in chosen:
                results.update(startup(Path(tmp)))
            if "memory" in chosen:
                results.update(memory())
            if "scaling" in chosen:
                results.update(scaling())
            if "sensitivity" in chosen:
                results.update(sensitivity(Path(tmp)))
        show(results)
        return
    results.update(per_run())
    results.update(single_runs())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wall, _ = timed([*STOCKPILE, "run", str(REPLAY), "-o", str(folder / "run")])
        results["stockpile run (plots included), wall s"] = wall
        historical = str(REPLAY.with_name("embargo_2010_historical.yaml"))
        wall, _ = timed(
            [
                *STOCKPILE,
                "run",
                str(REPLAY),
                "-o",
                str(folder / "mr"),
                "--report",
                "--compare",
                historical,
            ]
        )
        results["make run (plots, report vs historical), wall s"] = wall
        results.update(startup(folder))
        results.update(delays(folder))
        grid = ["--grid", "agreement.ratio.japan=0.05:0.95:0.1"]  # 10 points
        results.update(sweep("10k Monte Carlo", [*grid, "--runs", "1000", *NOISE], 10_000, folder))
        results.update(sweep("10k grid", [f"--grid={axis}" for axis in GRID_AXES], 10_000, folder))
        results.update(explore(folder))
        results.update(sensitivity(folder))
        if asked.large:
            results.update(sweep("100k Monte Carlo", [*grid, "--runs", "10000", *NOISE], 100_000, folder))
    show(results)


if __name__ == "__main__":
    main()
