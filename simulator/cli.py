"""The ``stockpile`` command line: thin click commands over the library.

Each command parses, loads and validates, calls the library, writes and exits.
Exit codes: 0 success; 1 a regression check found drift; 2 bad input (a scenario,
an option or a path), with a message naming the file and the field path and no
traceback (``stockpile --debug ...`` shows it); 3 a sweep stopped by an error in a run
and 130 a sweep interrupted, both with their finished chunks kept for resuming.
"""

from __future__ import annotations

import contextlib
import json
import signal
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import click

from simulator import __version__
from simulator.errors import InputError
from simulator.gate.formats import FORMATS

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


class OneStreamCommand(click.Command):
    """A command whose usage errors go to standard output, like all its other messages.

    ``stockpile check ... | tee log`` then keeps every reason in the log.
    """

    def make_context(self, info_name: str | None, args: list[str], parent: Any = None, **extra: Any) -> Any:
        """Parse the options; a usage error is shown on standard output."""
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _UsageErrorOnStdout(exc.format_message(), exc.ctx) from None


class _UsageErrorOnStdout(click.UsageError):
    def show(self, file: Any = None) -> None:
        super().show(file or sys.stdout)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, handled like Ctrl-C but with exit code 143."""


@contextlib.contextmanager
def _sigterm_as_interrupt() -> Iterator[None]:
    """Turn SIGTERM into :class:`_Terminated` while the block runs (main thread only)."""

    def terminated(_signum: int, _frame: Any) -> None:
        raise _Terminated

    try:
        previous = signal.signal(signal.SIGTERM, terminated)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


@main.command(cls=OneStreamCommand)
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--update", is_flag=True, help="Write the baselines anew instead of checking.")
@click.option("--rtol", type=float, help="Relative tolerance, finite and >= 0 [1e-9, or tolerances.yaml].")
@click.option("--atol", type=float, help="Absolute tolerance, finite and >= 0 [1e-6, or tolerances.yaml].")
@click.option(
    "--baselines", "baseline_dir", type=click.Path(file_okay=False), help="Baseline folder [<scenarios>/baselines]."
)
@click.option("--tolerances", "tolerance_file", type=click.Path(dir_okay=False), help="[<baselines>/tolerances.yaml]")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="text", help="Output format.")
@click.option("--junit", "junit_file", type=click.Path(dir_okay=False), help="Also write a JUnit XML report.")
@click.option(
    "--summary",
    "summary_file",
    type=click.Path(dir_okay=False),
    help="Also append the Markdown summary to this file [$GITHUB_STEP_SUMMARY with --format markdown].",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only failures and the final line.")
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
    fmt: str,
    junit_file: str | None,
    summary_file: str | None,
    quiet: bool,
    workers: int | None,
) -> None:
    """Re-run scenarios and compare with their baselines (exit 1 on drift, 2 on bad input).

    PATHS are scenario files or folders (default: scenarios/). Baselines live in
    <folder>/baselines/<file name>.json; --update writes them. Every message goes to
    standard output.
    """
    import os

    from simulator import gate
    from simulator.gate import formats
    from simulator.output import check_writable

    baselines = Path(baseline_dir) if baseline_dir else None
    tolerances = Path(tolerance_file) if tolerance_file else None
    n_workers = workers or os.cpu_count() or 1
    summary = summary_file or (os.environ.get("GITHUB_STEP_SUMMARY") if fmt == "markdown" else None)
    done: list[Any] = []

    def show(item: Any, lines: list[str]) -> None:
        done.append(item)
        for line in lines:
            click.echo(line)

    try:
        with _sigterm_as_interrupt():
            if update:
                updates = gate.update(
                    paths,
                    baselines=baselines,
                    tolerance_file=tolerances,
                    workers=n_workers,
                    on_update=lambda u: show(u, [] if quiet and u.status != "error" else [formats.update_line(u)]),
                )
                click.echo(formats.update_final_line(updates))
                ctx.exit(2 if any(u.status == "error" for u in updates) else 0)
            for path in (junit_file, summary):
                if path:
                    check_writable(Path(path).parent)
            report = gate.check(
                paths,
                baselines=baselines,
                tolerance_file=tolerances,
                rtol=rtol,
                atol=atol,
                workers=n_workers,
                on_outcome=lambda o: show(o, formats.progress(o, fmt, quiet)),
            )
            if junit_file:
                formats.write_file(Path(junit_file), formats.junit_xml(report))
            click.echo(formats.closing(report, fmt, quiet))
            if summary:
                formats.append_file(Path(summary), formats.markdown(report, quiet))
    except KeyboardInterrupt as exc:
        signal_name, code = ("SIGTERM", 143) if isinstance(exc, _Terminated) else ("Ctrl-C", 130)
        what = "baseline(s) written or unchanged" if update else "scenario(s) checked; no report written"
        click.echo(f"check {'--update ' if update else ''}interrupted by {signal_name} after {len(done)} {what}")
        ctx.exit(code)
    except InputError as exc:
        if ctx.meta.get("debug"):
            raise
        click.echo(f"error: {exc.render()}")
        ctx.exit(2)
    ctx.exit(report.exit_code)


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
