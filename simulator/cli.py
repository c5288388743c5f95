"""The ``stockpile`` command line: thin click commands over the library.

Each command parses, loads and validates, calls the library, writes and exits.
Exit codes: 0 success; 1 a regression check found drift; 2 bad input (a scenario,
an option or a path), with a message naming the file and the field path and no
traceback (``stockpile --debug ...`` shows it); 3 a sweep stopped by an error in a run
and 130 a sweep interrupted, both with their finished chunks kept for resuming.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from simulator import __version__
from simulator.errors import InputError

SET_HELP = "Override a scenario field, e.g. --set agreement.ratio.japan=0.3 (repeatable)."


def compare_option(help_text: str) -> Any:
    """``--compare BASELINE``: a baseline scenario for the report (``run`` and ``report``)."""
    return click.option(
        "--compare", "baseline_path", type=click.Path(dir_okay=False), metavar="BASELINE", help=help_text
    )


class StockpileGroup(click.Group):
    """Turns known input errors into one short message and exit code 2."""

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; report :class:`InputError` without a traceback."""
        try:
            return super().invoke(ctx)
        except InputError as exc:
            if ctx.meta.get("debug"):
                raise
            click.echo(f"error: {exc.render()}", err=True)
            ctx.exit(2)


@click.group(cls=StockpileGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="stockpile")
@click.option("--debug", is_flag=True, help="Show Python tracebacks for errors.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """Simulate joint strategic stockpiles of critical raw materials under embargo shocks."""
    ctx.meta["debug"] = debug


def _overrides(assignments: tuple[str, ...]) -> list[tuple[str, Any]]:
    from simulator.scenario import parse_assignment

    return [parse_assignment(text) for text in assignments]


def load(path: str, assignments: tuple[str, ...] = (), seed: int | None = None) -> Any:
    """Load and validate a scenario with ``--set`` overrides and an optional seed."""
    from simulator.scenario import load_raw, validate_data

    overrides = _overrides(assignments)
    if seed is not None:
        overrides.append(("seed", seed))
    return validate_data(load_raw(path, overrides), path)


def summary_text(result: Any) -> str:
    """The short table ``stockpile run`` prints: shortfall, days short, cover."""
    from simulator.results import ALL, date_label

    table = result.summary
    rows = table[table["region"] != ALL]
    header = ("region", "material", "shortfall t", "days short", "first short", "min cover d")
    cells = []
    for _, row in rows.iterrows():
        first = int(row["first_shortfall_day"])
        cover = row["min_days_of_cover"]
        cells.append(
            (
                row["region"],
                row["material"],
                f"{row['shortfall_t']:,.1f}",
                str(int(row["shortfall_days"])),
                date_label(result.start_date, first) if first >= 0 else "-",
                f"{cover:.1f}" if cover is not None and cover == cover else "-",
            )
        )
    widths = [max(len(str(c[k])) for c in [header, *cells]) for k in range(len(header))]
    lines = [
        "  ".join(
            str(c).ljust(w) if k < 2 else str(c).rjust(w) for k, (c, w) in enumerate(zip(line, widths, strict=True))
        )
        for line in [header, *cells]
    ]
    overall = table[(table["region"] == ALL) & (table["material"] == ALL)].iloc[0]
    lines.append(
        f"total shortfall {overall['total_shortfall_t']:.1f} t; fairness (Jain) {overall['fairness_jain']:.3f}"
    )
    return "\n".join(lines)


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Output folder [results/<name>].")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option("--seed", type=click.IntRange(min=0), help="Seed of the run (overrides the scenario's).")
@click.option("--report", "with_report", is_flag=True, help="Also write report.html.")
@compare_option("With --report: compare against the BASELINE scenario in the report.")
@click.option("--no-plots", is_flag=True, help="Skip the figures.")
def run(
    scenario: str,
    out_dir: str | None,
    assignments: tuple[str, ...],
    seed: int | None,
    with_report: bool,
    baseline_path: str | None,
    no_plots: bool,
) -> None:
    """Run SCENARIO once and write curves, tables and a summary."""
    from simulator.engine import simulate
    from simulator.output import check_writable, write_run
    from simulator.plots import write_figures
    from simulator.scenario import load_raw

    if baseline_path and not with_report:
        raise InputError("--compare needs --report")
    loaded = load(scenario, assignments, seed)
    base = load(baseline_path) if baseline_path else None
    if base is not None:
        from simulator.report import comparison_problem

        if problem := comparison_problem(loaded, base):
            raise InputError(f"--compare: {problem}", baseline_path)
    folder = Path(out_dir or Path("results") / loaded.name)
    check_writable(folder)
    result = simulate(loaded)
    baseline = simulate(base) if base is not None else None

    def figures(res: Any, stage: Path) -> None:
        if not no_plots:
            write_figures(res, stage)
        if with_report:
            from simulator.report import write_report

            write_report(res, stage / "report.html", baseline=baseline)

    raw = load_raw(scenario, _overrides(assignments) + ([("seed", seed)] if seed is not None else []))
    write_run(result, folder, figures=figures, scenario_data=raw)
    click.echo(summary_text(result))
    click.echo(f"wrote {folder}/")
    if with_report:
        against = f" (compared with {base.name})" if base is not None else ""
        click.echo(f"report: {folder / 'report.html'}{against}")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "-o", "--out", "out_file", type=click.Path(dir_okay=False), help="Report file [results/<name>/report.html]."
)
@compare_option("Also run the BASELINE scenario and compare against it (figures, tables and sentences).")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP + " Not applied to BASELINE.")
def report(scenario: str, out_file: str | None, baseline_path: str | None, assignments: tuple[str, ...]) -> None:
    """Run SCENARIO and write a self-contained HTML report (printable to A4)."""
    from simulator.engine import simulate
    from simulator.output import check_writable
    from simulator.report import comparison_problem, write_report

    loaded = load(scenario, assignments)
    base = load(baseline_path) if baseline_path else None
    if base is not None and (problem := comparison_problem(loaded, base)):
        raise InputError(f"--compare: {problem}", baseline_path)
    path = Path(out_file or Path("results") / loaded.name / "report.html")
    check_writable(path.parent)
    result = simulate(loaded)
    baseline = simulate(base) if base is not None else None
    write_report(result, path, baseline=baseline)
    click.echo(summary_text(result))
    click.echo(f"wrote {path}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(scenarios: tuple[str, ...]) -> None:
    """Check scenario files; list every problem of each (exit 2 if any)."""
    from simulator.errors import ScenarioError
    from simulator.scenario import load_scenario

    failed = False
    for path in scenarios:
        try:
            load_scenario(path)
        except ScenarioError as exc:
            failed = True
            click.echo(exc.render(), err=True)
        else:
            click.echo(f"{path}: ok")
    if failed:
        sys.exit(2)


@main.command()
def schema() -> None:
    """Print the JSON Schema of scenario files."""
    from simulator.scenario import json_schema

    click.echo(json.dumps(json_schema(), indent=2))


@main.command(name="compare")
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option("--mechanisms", help="Comma-separated rules [every mechanism].")
@click.option(
    "-o", "--out", "out_dir", type=click.Path(file_okay=False), help="Output folder [results/<name>_compare]."
)
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
def compare_command(scenario: str, mechanisms: str | None, out_dir: str | None, assignments: tuple[str, ...]) -> None:
    """Run SCENARIO under each release rule; write compare.csv and compare.png."""
    from simulator.compare import compare, parse_mechanisms
    from simulator.output import check_writable, staged
    from simulator.plots import compare_figure
    from simulator.scenario import load_raw

    names = parse_mechanisms(mechanisms)
    raw = load_raw(scenario, _overrides(assignments))
    folder = Path(out_dir or Path("results") / f"{raw.get('name', 'scenario')}_compare")
    check_writable(folder)
    comparison = compare(raw, names, scenario)
    table = comparison.table()
    with staged(folder) as stage:
        table.to_csv(stage / "compare.csv", index=False)
        compare_figure(comparison.results).savefig(stage / "compare.png", dpi=110)
    shown = [c for c in ("mechanism", "total_shortfall_t", "fairness_jain", "max_shortfall_share_gap") if c in table]
    click.echo(table[shown].to_string(index=False, float_format=lambda v: f"{v:,.3f}"))
    for mechanism, reason in comparison.skipped.items():
        click.echo(f"skipped {mechanism}: {reason}", err=True)
    click.echo(f"wrote {folder}/")


@main.command()
@click.argument("scenario", required=False, type=click.Path(dir_okay=False))
@click.option(
    "--grid",
    "grids",
    multiple=True,
    metavar="PATH=SPEC",
    help="Swept path: start:stop:step (stop included), a,b,c or one value (repeatable: cross product).",
)
@click.option("--spec", "spec_file", type=click.Path(dir_okay=False), help="Sweep described in a YAML file.")
@click.option("--runs", type=click.IntRange(min=1), help="Runs (seeds) per grid point [1].")
@click.option("--seed", type=click.IntRange(min=0), help="Root seed [the scenario's].")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes [cores].")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://host:8786.")
@click.option("--curves", is_flag=True, help="Also write 5/50/95% curves per grid point (curves.parquet).")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["parquet", "csv"]),
    default="parquet",
    help="csv also writes sweep.csv next to sweep.parquet.",
)
@click.option("--chunk-runs", type=click.IntRange(min=1), default=None, help="Runs per checkpointed chunk [2500].")
@click.option("-o", "--out", "out_dir", required=True, type=click.Path(file_okay=False), help="Output folder.")
@click.pass_context
def sweep(
    ctx: click.Context,
    scenario: str | None,
    grids: tuple[str, ...],
    spec_file: str | None,
    runs: int | None,
    seed: int | None,
    assignments: tuple[str, ...],
    workers: int | None,
    dask_address: str | None,
    curves: bool,
    fmt: str,
    chunk_runs: int | None,
    out_dir: str,
) -> None:
    """Run SCENARIO over a grid of parameters and seeds; write one row per run."""
    import dataclasses
    import os

    from simulator.output import check_writable
    from simulator.scenario import load_raw
    from simulator.sweep import SweepSpec, parse_axis, plan_sweep, run_sweep
    from simulator.sweep.figures import write_sweep_figures
    from simulator.sweep.grid import load_spec_file
    from simulator.sweep.runner import CHUNK_RUNS

    if workers and dask_address:
        raise InputError("give --workers or --dask, not both")
    spec = SweepSpec(())
    if spec_file:
        from_file, spec = load_spec_file(spec_file)
        scenario = scenario or from_file
    if not scenario:
        raise InputError("give a SCENARIO (or a --spec file naming one)")
    axes = spec.axes + tuple(parse_axis(text) for text in grids)
    spec = dataclasses.replace(
        spec,
        axes=axes,
        runs=runs or spec.runs,
        seed=seed if seed is not None else spec.seed,
        fixed=spec.fixed + tuple(_overrides(assignments)),
    )
    raw = load_raw(scenario)
    planned = plan_sweep(raw, scenario, spec, curves=curves, chunk_runs=chunk_runs or CHUNK_RUNS)
    folder = Path(out_dir)
    check_writable(folder)
    client = _dask_client(dask_address) if dask_address else None
    n_workers = len(client.scheduler_info()["workers"]) if client is not None else (workers or os.cpu_count() or 1)
    with _progress(planned.n_runs) as advance:
        try:
            table = run_sweep(
                planned,
                folder,
                workers=n_workers,
                client=client,
                fmt=fmt,
                progress=advance,
                figures=write_sweep_figures,
            )
        except KeyboardInterrupt:
            _stopped(folder, "interrupted")
            ctx.exit(130)
        except Exception as exc:
            if ctx.meta.get("debug") or isinstance(exc, InputError):
                raise
            _stopped(folder, f"stopped by an error: {exc!r}")
            ctx.exit(3)
        finally:
            if client is not None:
                client.close()
    points = len(planned.points)
    click.echo(f"{len(table)} runs ({points} point(s) x {planned.spec.runs}) written to {folder}/sweep.parquet")


@main.command()
@click.argument("scenario", type=click.Path(dir_okay=False))
@click.option(
    "--axis",
    "axes",
    multiple=True,
    metavar="PATH=SPEC",
    help="A slider or selector: start:stop:step (stop included) or a,b,c (one to four --axis options).",
)
@click.option("--runs", type=click.IntRange(min=1), default=1, show_default=True, help="Runs (seeds) per grid point.")
@click.option("--seed", type=click.IntRange(min=0), help="Root seed [the scenario's].")
@click.option("--set", "assignments", multiple=True, metavar="PATH=VALUE", help=SET_HELP)
@click.option("--workers", type=click.IntRange(min=1), help="Local worker processes [cores].")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on a Dask scheduler, e.g. tcp://host:8786.")
@click.option(
    "-o", "--out", "out_file", type=click.Path(dir_okay=False), help="Page to write [results/<name>/explorer.html]."
)
@click.pass_context
def explore(
    ctx: click.Context,
    scenario: str,
    axes: tuple[str, ...],
    runs: int,
    seed: int | None,
    assignments: tuple[str, ...],
    workers: int | None,
    dask_address: str | None,
    out_file: str | None,
) -> None:
    """Precompute a grid of SCENARIO and write one offline HTML page with a slider per axis."""
    import dataclasses
    import os

    from simulator.explore import plan_grid, render, run_grid, write_page
    from simulator.explore.grid import may_be_random
    from simulator.output import check_writable
    from simulator.scenario import load_raw
    from simulator.sweep import SweepSpec, parse_axis

    if workers and dask_address:
        raise InputError("give --workers or --dask, not both")
    parsed = []
    for text in axes:
        try:
            parsed.append(parse_axis(text))
        except InputError as exc:  # the sweep's parser names its option --grid
            raise InputError(exc.render().replace("--grid ", "--axis ", 1)) from None
    raw = load_raw(scenario)
    spec = SweepSpec(tuple(parsed), runs=runs, seed=seed, fixed=tuple(_overrides(assignments)))
    n_workers = workers or os.cpu_count() or 1
    planned = plan_grid(raw, scenario, spec, n_workers)
    if runs > 1 and not may_be_random(planned):
        click.echo(f"note: {scenario} has no random inputs, so its runs are all alike; exploring 1 run", err=True)
        spec = dataclasses.replace(spec, runs=1)
        planned = plan_grid(raw, scenario, spec, n_workers)
    path = Path(out_file or Path("results") / planned.first.name / "explorer.html")
    check_writable(path.parent)
    client = _dask_client(dask_address) if dask_address else None
    if client is not None:
        n_workers = len(client.scheduler_info()["workers"])
        planned = plan_grid(raw, scenario, spec, n_workers)
    with _progress(planned.n_runs) as advance:
        try:
            grid = run_grid(planned, workers=n_workers, client=client, progress=advance)
        except KeyboardInterrupt:
            click.echo("explore interrupted: nothing written", err=True)
            ctx.exit(130)
        except Exception as exc:
            if ctx.meta.get("debug") or isinstance(exc, InputError):
                raise
            click.echo(f"explore stopped by an error: {exc!r}; nothing written", err=True)
            ctx.exit(3)
        finally:
            if client is not None:
                client.close()
    page = render(grid)
    write_page(page.html, path)
    size_mb = len(page.html.encode()) / 1e6
    window = "daily" if page.layout["stride_days"] == 1 else f"{page.layout['stride_days']}-day windows"
    points = len(planned.points)
    click.echo(f"{points} point(s) x {planned.spec.runs} run(s); curves {window}; {size_mb:.1f} MB written to {path}")


def _stopped(folder: Path, why: str) -> None:
    chunks = len(list((folder / ".chunks").glob("chunk-*.parquet")))
    click.echo(
        f"sweep {why}: {chunks} finished chunk(s) kept in {folder}/.chunks; run the same command to resume", err=True
    )


def _dask_client(address: str) -> Any:
    """Connect before any run, so an unreachable scheduler is bad input (exit 2)."""
    from distributed import Client

    try:
        return Client(address, timeout="5s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise InputError(f"--dask {address}: cannot reach the scheduler ({exc})") from None


class _progress:
    """A tqdm bar on a terminal, nothing otherwise; yields an ``advance(n)`` callable."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.bar: Any = None

    def __enter__(self) -> Any:
        from tqdm import tqdm

        self.bar = tqdm(total=self.total, unit="run", disable=not sys.stderr.isatty(), dynamic_ncols=True)
        return self.bar.update

    def __exit__(self, *exc: object) -> None:
        self.bar.close()


@main.command(name="plot-sweep")
@click.argument("folder", type=click.Path(file_okay=False))
def plot_sweep(folder: str) -> None:
    """Redraw the figures of a finished sweep in FOLDER from its table."""
    from simulator.sweep.figures import redraw

    for path in redraw(Path(folder)):
        click.echo(f"wrote {path}")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--update", is_flag=True, help="Write the baselines anew instead of checking.")
@click.option("--rtol", type=click.FloatRange(min=0), help="Relative tolerance [1e-9, or tolerances.yaml].")
@click.option("--atol", type=click.FloatRange(min=0), help="Absolute tolerance [1e-6, or tolerances.yaml].")
@click.option(
    "--baselines", "baseline_dir", type=click.Path(file_okay=False), help="Baseline folder [<scenarios>/baselines]."
)
@click.option("--tolerances", "tolerance_file", type=click.Path(dir_okay=False), help="[<baselines>/tolerances.yaml]")
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False), help="Also write a JUnit XML report.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", help="Output format.")
@click.option("--workers", type=click.IntRange(min=1), help="Scenarios checked in parallel [cores].")
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    update: bool,
    rtol: float | None,
    atol: float | None,
    baseline_dir: str | None,
    tolerance_file: str | None,
    junit_file: str | None,
    fmt: str,
    workers: int | None,
) -> None:
    """Re-run scenarios and compare with their baselines (exit 1 on drift).

    PATHS are scenario files or folders (default: scenarios/). Baselines live in
    <folder>/baselines/<file name>.json; --update writes them.
    """
    import os
    import time

    from simulator import regress

    files = regress.scenario_files(paths)
    baselines = Path(baseline_dir) if baseline_dir else None
    if update:
        for path in files:
            click.echo(f"wrote {regress.update_one(path, baselines)}")
        return
    tolerance_path = (
        Path(tolerance_file)
        if tolerance_file
        else regress.baseline_path(files[0], baselines).parent / ("tolerances.yaml")
    )
    if tolerance_file and not tolerance_path.exists():
        raise InputError("no such tolerance file", str(tolerance_path))
    tolerances = regress.load_tolerances(tolerance_path, rtol, atol)
    if junit_file:
        from simulator.output import check_writable

        check_writable(Path(junit_file).parent)
    started = time.perf_counter()
    outcomes = _map(regress.check_one, files, baselines, tolerances, workers or os.cpu_count() or 1)
    seconds = time.perf_counter() - started
    if junit_file:
        _write_atomically(Path(junit_file), regress.junit_xml(outcomes, seconds))
    if fmt == "json":
        click.echo(json.dumps(regress.as_json(outcomes), indent=2))
    else:
        for outcome in outcomes:
            note = " (scenario changed since its baseline)" if outcome.scenario_changed else ""
            detail = f": {len(outcome.drifts)} number(s) moved" if outcome.drifts else ""
            click.echo(f"{outcome.status:<12} {outcome.scenario}{detail}{note}")
            if outcome.message:
                click.echo(f"             {outcome.message}", err=True)
        table = regress.drift_table(outcomes)
        if table:
            click.echo("\n" + table)
            click.echo("\nIf the change is intended, update the baselines in the same commit: stockpile check --update")
        click.echo(f"{len(outcomes)} scenario(s) checked in {seconds:.1f} s")
    if any(o.status in ("error", "no baseline") for o in outcomes):
        ctx.exit(2)
    if any(o.status == "drift" for o in outcomes):
        ctx.exit(1)


def _write_atomically(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary file (never half-written)."""
    import os

    tmp = path.with_name(f".{path.name}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(text)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InputError(f"cannot write: {exc.strerror or exc}", str(path)) from None


def _map(function: Any, files: list[Path], *args: Any) -> list[Any]:
    """``function(file, *args[:-1])`` for every file, in parallel on ``args[-1]`` processes, in order."""
    *fixed, workers = args
    if workers <= 1 or len(files) == 1:
        return [function(path, *fixed) for path in files]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(min(workers, len(files)), mp_context=multiprocessing.get_context(method)) as pool:
        return list(pool.map(function, files, *([value] * len(files) for value in fixed)))


@main.command(name="list")
@click.argument("folder", required=False, default="scenarios", type=click.Path(file_okay=False))
def list_scenarios(folder: str) -> None:
    """List the scenarios in FOLDER (default: scenarios/) with the question each answers."""
    import textwrap

    from simulator.errors import ScenarioError
    from simulator.scenario import load_scenario

    files = sorted(Path(folder).glob("*.yaml"))
    if not files:
        raise InputError("no scenario files (*.yaml) here", folder)
    for path in files:
        try:
            scenario = load_scenario(path)
        except ScenarioError as exc:
            click.echo(f"{path.name}: invalid ({exc.problems[0].render(None)})\n")
            continue
        click.echo(f"{scenario.name}  ({path})")
        text = " ".join(scenario.description.split()) or "(no description)"
        click.echo(textwrap.fill(text, width=96, initial_indent="    ", subsequent_indent="    ") + "\n")


if __name__ == "__main__":
    main()
