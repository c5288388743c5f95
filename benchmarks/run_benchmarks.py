"""Speed and memory of the shipped 2010 replay: single runs, sweeps, peak memory.

Run with ``make bench``. Prints a table; never asserts (targets live in
``benchmarks/README.md``). Sweeps run as subprocesses of the real CLI so that the
figures include start-up, workers and writing the table, as a user sees them.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REPLAY = ROOT / "scenarios" / "embargo_2010.yaml"
# demand noise on every demand makes every Monte Carlo run distinct (no repeated runs)
NOISE = [f"--set=regions.{r}.demand.{m}.noise_cv=0.05" for r in ("japan", "eu") for m in ("light_ree", "heavy_ree")]


def timed(args: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a child process running ``args``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return wall, max(peak, before) / 1024


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
    args = [sys.executable, "-m", "simulator.cli", "sweep", str(REPLAY), *extra, "-o", str(out), "--workers", "2"]
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
    axes = [
        "--axis=agreement.ratio.japan=0.05:0.95:0.1",  # 10
        "--axis=shocks.china_quota_2011.severity=0:0.38:0.02",  # 20
        "--axis=agreement.pool.contributions.japan.light_ree.days=0:90:10",  # 10
    ]
    args = [sys.executable, "-m", "simulator.cli", "explore", str(REPLAY), *axes, "--runs", "100", *NOISE]
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
    "shocks.china_quota_2011.severity",
    "shocks.china_quota_h2_2010.severity",
    "regions.eu.commercial_stock.light_ree.days",
    "regions.eu.demand.light_ree.tonnes_per_day",
    "shocks.china_quota_2011.end",
    "regions.japan.commercial_stock.light_ree.days",
    "regions.japan.demand.light_ree.tonnes_per_day",
    "suppliers.europe_reprocessors.capacity_t_per_day.light_ree",
)
"""The historical replay's eight inputs that matter most by Morris screening (docs/uncertainty.md);
DESIGN asks for Sobol' with 8 parameters and N = 512."""


def sensitivity(folder: Path) -> dict[str, float]:
    """``stockpile sensitivity`` of the historical replay: Sobol', 8 inputs, N = 512 (5,120 runs), 2 workers."""
    out = folder / "sensitivity"
    historical = REPLAY.with_name("embargo_2010_historical.yaml")
    inputs = [f"--input={path}" for path in SENSITIVITY_INPUTS]
    args = [sys.executable, "-m", "simulator.cli", "sensitivity", str(historical), "--samples", "512", *inputs]
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


def main() -> None:
    large = "--large" in sys.argv
    results: dict[str, float] = {}
    if "--sensitivity" in sys.argv:  # only this measurement
        with tempfile.TemporaryDirectory() as tmp:
            results.update(sensitivity(Path(tmp)))
        for key, value in results.items():
            print(f"{key:<{max(len(k) for k in results)}}  {value:12.3f}")
        return
    results.update(single_runs())
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wall, _ = timed([sys.executable, "-m", "simulator.cli", "run", str(REPLAY), "-o", str(folder / "run")])
        results["stockpile run (plots included), wall s"] = wall
        historical = str(REPLAY.with_name("embargo_2010_historical.yaml"))
        wall, _ = timed(
            [
                sys.executable,
                "-m",
                "simulator.cli",
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
        grid = ["--grid", "agreement.ratio.japan=0.05:0.95:0.1"]  # 10 points
        results.update(sweep("10k Monte Carlo", [*grid, "--runs", "1000", *NOISE], 10_000, folder))
        results.update(
            sweep(
                "10k grid",
                [
                    "--grid",
                    "agreement.ratio.japan=0.01:1:0.01",
                    "--grid",
                    "shocks.china_quota_2011.severity=0:0.99:0.01",
                ],
                10_000,
                folder,
            )
        )
        results.update(explore(folder))
        results.update(sensitivity(folder))
        if large:
            results.update(sweep("100k Monte Carlo", [*grid, "--runs", "10000", *NOISE], 100_000, folder))
    width = max(len(k) for k in results)
    for key, value in results.items():
        print(f"{key:<{width}}  {value:12.3f}")


if __name__ == "__main__":
    main()
