"""The ``stockpile`` command line: thin click commands over the library.

Each command parses, loads and validates, calls the library, writes and exits.
Exit codes: 0 success; 1 a regression check found drift; 2 bad input (a scenario,
an option or a path), with a message naming the file and the field path and no
traceback (``stockpile --debug ...`` shows it).
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
    lines = ["{:<12} {:<14} {:>12} {:>10} {:>13} {:>11}".format(*header)]
    for _, row in rows.iterrows():
        first = int(row["first_shortfall_day"])
        when = date_label(result.start_date, first) if first >= 0 else "-"
        cover = row["min_days_of_cover"]
        cover_text = f"{cover:11.1f}" if cover == cover and cover is not None else f"{'-':>11}"
        lines.append(
            f"{row['region']:<12} {row['material']:<14} {row['shortfall_t']:12.1f} "
            f"{int(row['shortfall_days']):10d} {when:>13} {cover_text}"
        )
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
@click.option("--no-plots", is_flag=True, help="Skip the figures.")
def run(
    scenario: str,
    out_dir: str | None,
    assignments: tuple[str, ...],
    seed: int | None,
    with_report: bool,
    no_plots: bool,
) -> None:
    """Run SCENARIO once and write curves, tables and a summary."""
    from simulator.engine import simulate
    from simulator.output import check_writable, write_run
    from simulator.plots import write_figures
    from simulator.scenario import load_raw

    loaded = load(scenario, assignments, seed)
    folder = Path(out_dir or Path("results") / loaded.name)
    check_writable(folder)
    result = simulate(loaded)

    def figures(res: Any, stage: Path) -> None:
        if not no_plots:
            write_figures(res, stage)
        if with_report:
            from simulator.report import write_report

            write_report(res, stage / "report.html")

    raw = load_raw(scenario, _overrides(assignments) + ([("seed", seed)] if seed is not None else []))
    write_run(result, folder, figures=figures, scenario_data=raw)
    click.echo(summary_text(result))
    click.echo(f"wrote {folder}/")


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
