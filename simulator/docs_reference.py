"""Reference pages generated from the code, so that they cannot drift from it.

Layer: face.

Two pure functions return Markdown for the documentation site (``docs/hooks.py`` adds
them to the site at build time; nothing is written to ``docs/``):

- :func:`scenario_reference`: every model of the scenario's JSON Schema
  (:func:`simulator.scenario.json_schema`) with every field's name, type, unit (the
  schema's ``unit`` entry), default and description, and the dotted paths where the
  model appears in a scenario file;
- :func:`cli_reference`: every command of the click group :data:`simulator.cli.main`
  with its usage line, help text, arguments and options, as click itself reports them.
"""

from __future__ import annotations

import inspect
import json
import re
from collections import deque
from typing import Any

import click

ID_PATTERN = "^[a-z][a-z0-9_]*$"
ROOT = "Scenario"
COMMAND_ORDER = ("run", "validate", "list", "compare", "report", "sweep", "plot-sweep", "check", "schema")

SCENARIO_INTRO = """\
# Scenario reference

*This page is generated from the scenario model's JSON Schema (the output of
`stockpile schema`) each time the documentation is built; edit the field docstrings in
`simulator/scenario/schema.py`, not this page.*

A scenario file is a YAML mapping whose top level is a [Scenario](#scenario). Each
section below is one kind of mapping (a *model*) with its fields:

- **Type**: *id* is a name of lower-case letters, digits and `_` starting with a letter
  (at most 40 characters); *map of id → X* is a mapping whose keys are such names
  (material, supplier, region, member or shock ids) and whose values are X; *one of* a
  list of models means the field's `kind` or `distribution` key selects the model.
- **Unit**: t are tonnes of what each material's `tonnes_of` says (oxide in the shipped
  rare-earth scenarios); days are model days; fraction is a number
  in [0, 1] (0.25 = 25%).
- **Default**: *required* fields must be given; the others take the default shown.
- **Found at**: the dotted paths where the model appears in a file, as used by `--set`
  and `--grid`; `*` stands for any id and `[]` for any list item (in `--set`, a list
  item is chosen by its `id`, e.g. `shocks.china_halt.severity`).

Unknown keys are errors. How to write a scenario, with examples:
[Writing scenarios](writing-scenarios.md).
"""

CLI_INTRO = """\
# Command-line reference

*This page is generated from the `stockpile` command itself (its click commands) each
time the documentation is built; `stockpile COMMAND --help` prints the same text.*

Exit codes of every command: **0** success; **1** a regression check found drift; **2**
bad input (a scenario, an option or a path), with a message naming the file and the
field path and no Python traceback; **3** a sweep stopped by an error in a run; **130**
or **143** a command interrupted by SIGINT or SIGTERM (a sweep keeps its finished
chunks; run the same command to resume). `stockpile check` exits 2 also for a scenario
without baseline or a baseline without scenario ([Gate scenarios in
CI](ci.md#the-gates-refusals)).
`stockpile --debug COMMAND ...` shows the traceback of an error.
"""


# --- scenario reference -----------------------------------------------------------------


def _anchor(name: str) -> str:
    return name.lower()


def _link(name: str) -> str:
    return f"[{name}](#{_anchor(name)})"


def _ref_name(schema: dict[str, Any]) -> str | None:
    ref = schema.get("$ref")
    return ref.rsplit("/", 1)[-1] if isinstance(ref, str) else None


def _outside_code(text: str, change: Any) -> str:
    """``text`` with ``change`` applied to every part outside `code spans`."""
    parts = re.split(r"(`[^`]*`)", text)
    return "".join(part if part.startswith("`") else change(part) for part in parts)


def _html_safe(text: str) -> str:
    """``<``, ``>`` and ``&`` as entities, so that ``<name>`` shows instead of vanishing as a tag."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _literal(text: str) -> str:
    r"""Plain text (click's help) as Markdown that shows it as written.

    >>> print(_literal("Output folder [results/<name>_*]"))
    Output folder \[results/&lt;name&gt;\_\*\]
    """
    return re.sub(r"([\\*_\[\]])", r"\\\1", _html_safe(text))


def _rst_to_md(text: str) -> str:
    """Docstring text as one Markdown line: ``code`` becomes `code`, whitespace collapses."""
    text = re.sub(r"``([^`]+)``", r"`\1`", text)
    return _outside_code(" ".join(text.split()), _html_safe)


def _cell(text: str) -> str:
    """Text for a table cell: pipes escaped, except inside code spans (where tables keep them)."""
    return _outside_code(text, lambda part: part.replace("|", "\\|"))


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds(schema: dict[str, Any]) -> str:
    low = ("≥", schema["minimum"]) if "minimum" in schema else None
    if "exclusiveMinimum" in schema:
        low = (">", schema["exclusiveMinimum"])
    high = ("≤", schema["maximum"]) if "maximum" in schema else None
    if "exclusiveMaximum" in schema:
        high = ("<", schema["exclusiveMaximum"])
    if low and high and low[0] == "≥" and high[0] == "≤":
        return f" in [{_number(low[1])}, {_number(high[1])}]"
    parts = [f"{bound[0]} {_number(bound[1])}" for bound in (low, high) if bound is not None]
    return (" " + ", ".join(parts)) if parts else ""


def _type_text(schema: dict[str, Any]) -> str:
    """A field's type in words, with links to the models it refers to."""
    name = _ref_name(schema)
    if name:
        return _link(name)
    if "oneOf" in schema:
        choices = ", ".join(_type_text(s) for s in schema["oneOf"])
        key = schema.get("discriminator", {}).get("propertyName")
        return f"one of {choices}" + (f" (chosen by `{key}`)" if key else "")
    if "anyOf" in schema:
        branches = [s for s in schema["anyOf"] if s.get("type") != "null"]
        text = " or ".join(_type_text(s) for s in branches)
        return text + (" or null" if len(branches) < len(schema["anyOf"]) else "")
    if "const" in schema:
        return f"`{schema['const']}`"
    if "enum" in schema:
        return "one of " + ", ".join(f"`{v}`" for v in schema["enum"])
    kind = schema.get("type")
    if kind == "object":
        values = list(schema.get("patternProperties", {}).values())
        if values:
            return f"map of id → {_type_text(values[0])}"
        extra = schema.get("additionalProperties")
        if isinstance(extra, dict):
            return f"map of string → {_type_text(extra)}"
        return "mapping"
    if kind == "array":
        counts = [f"at least {schema['minItems']}"] if "minItems" in schema else []
        counts += [f"at most {schema['maxItems']}"] if "maxItems" in schema else []
        return f"list of {_type_text(schema.get('items', {}))}" + (f" ({', '.join(counts)})" if counts else "")
    if kind == "string":
        if schema.get("format") == "date":
            span = (schema.get("formatMinimum"), schema.get("formatMaximum"))
            return "date (YYYY-MM-DD)" + (f" from {span[0]} to {span[1]}" if all(span) else "")
        if schema.get("pattern") == ID_PATTERN:
            return "id"
        if "pattern" in schema:
            return f"string matching `{schema['pattern']}`"
        return "string"
    if kind in ("number", "integer"):
        return ("number" if kind == "number" else "whole number") + _bounds(schema)
    if kind == "boolean":
        return "true or false"
    return str(kind or "any value")


def _units(schema: dict[str, Any]) -> list[str]:
    """Every ``unit`` entry of a field's schema and its branches (not following references)."""
    found: list[str] = []
    if "unit" in schema:
        found.append(str(schema["unit"]))
    nested: list[dict[str, Any]] = []
    for key in ("anyOf", "oneOf", "allOf"):
        nested.extend(schema.get(key, []))
    nested.extend(schema.get("patternProperties", {}).values())
    if isinstance(schema.get("items"), dict):
        nested.append(schema["items"])
    if isinstance(schema.get("additionalProperties"), dict):
        nested.append(schema["additionalProperties"])
    for child in nested:
        found.extend(u for u in _units(child) if u not in found)
    return found


def _default_text(schema: dict[str, Any], required: bool) -> str:
    if required:
        return "required"
    if "default" not in schema:
        return "—"
    value = schema["default"]
    if value is None:
        return "none"
    if isinstance(value, dict) and value:
        models = _refs(schema)
        return f"defaults of {_link(models[0])}" if models else f"`{json.dumps(value)}`"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    if isinstance(value, str):
        return f'`"{value}"`' if value == "" else f"`{value}`"
    if isinstance(value, float):
        return f"`{_number(value)}`"
    return f"`{json.dumps(value)}`"


def _refs(schema: Any) -> list[str]:
    """Names of the models a field refers to, in order of appearance."""
    out: list[str] = []
    if isinstance(schema, dict):
        name = _ref_name(schema)
        if name:
            out.append(name)
        for key, value in schema.items():
            if key not in ("$ref", "discriminator", "default"):
                out.extend(n for n in _refs(value) if n not in out)
    elif isinstance(schema, list):
        for item in schema:
            out.extend(n for n in _refs(item) if n not in out)
    return out


def _child_paths(schema: dict[str, Any], path: str) -> list[tuple[str, str]]:
    """(model name, dotted path) for every model reachable from a field at ``path``."""
    name = _ref_name(schema)
    if name:
        return [(name, path)]
    out: list[tuple[str, str]] = []
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in schema.get(key, []):
            out.extend(_child_paths(branch, path))
    for value in schema.get("patternProperties", {}).values():
        out.extend(_child_paths(value, f"{path}.*"))
    if isinstance(schema.get("items"), dict):
        out.extend(_child_paths(schema["items"], f"{path}[]"))
    return out


def _walk(schema: dict[str, Any]) -> tuple[list[str], dict[str, list[str]], dict[str, list[str]]]:
    """Models in breadth-first order from the root, the paths of each, and their parents."""
    defs = schema.get("$defs", {})
    order = [ROOT]
    paths: dict[str, list[str]] = {ROOT: []}
    parents: dict[str, list[str]] = {ROOT: []}
    queue: deque[tuple[str, dict[str, Any], str]] = deque([(ROOT, schema, "")])
    while queue:
        name, model, prefix = queue.popleft()
        for field, field_schema in model.get("properties", {}).items():
            for child, path in _child_paths(field_schema, f"{prefix}{field}"):
                if child not in paths:
                    order.append(child)
                    paths[child], parents[child] = [], []
                if path not in paths[child]:
                    paths[child].append(path)
                    queue.append((child, defs[child], f"{path}."))
                if name not in parents[child]:
                    parents[child].append(name)
    for name in defs:  # models not reachable from the root still get a section
        if name not in paths:
            order.append(name)
            paths[name], parents[name] = [], []
    return order, paths, parents


def _field_row(field: str, schema: dict[str, Any], required: bool) -> str:
    units = ", ".join(_units(schema))
    description = schema.get("description", "")
    if not description and "const" in schema:
        description = f"Always `{schema['const']}`: selects this model."
    cells = [
        f"`{field}`",
        _type_text(schema),
        units,
        _default_text(schema, required),
        _rst_to_md(description),
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _model_section(name: str, model: dict[str, Any], paths: list[str], parents: list[str]) -> list[str]:
    lines = [f"## {name} {{#{_anchor(name)}}}", ""]
    if model.get("description"):
        lines += [_rst_to_md(model["description"]), ""]
    if name == ROOT:
        lines += ["**Found at:** the top level of a scenario file.", ""]
    elif paths:
        shown = ", ".join(f"`{p}`" for p in paths)
        lines += [f"**Found at:** {shown} (in {', '.join(_link(p) for p in parents)}).", ""]
    required = set(model.get("required", []))
    lines += ["| Field | Type | Unit | Default | Description |", "|---|---|---|---|---|"]
    for field, field_schema in model.get("properties", {}).items():
        lines.append(_field_row(field, field_schema, field in required))
    lines.append("")
    return lines


def scenario_reference(schema: dict[str, Any] | None = None) -> str:
    """Markdown reference of every model and field of the scenario JSON Schema.

    Parameters
    ----------
    schema
        A JSON Schema as produced by pydantic (default: :func:`simulator.scenario.json_schema`).

    Returns
    -------
    str
        One section per model (``## Name {#name}``), the top-level ``Scenario`` first and
        then every model in the order a reader meets it; each section has a table with a
        row per field.

    Examples
    --------
    >>> text = scenario_reference()
    >>> "## Scenario {#scenario}" in text and "| `horizon_days` | whole number in [1, 36500] | days |" in text
    True
    """
    if schema is None:
        from simulator.scenario import json_schema

        schema = json_schema()
    defs = schema.get("$defs", {})
    order, paths, parents = _walk(schema)
    lines = [SCENARIO_INTRO, "## Models", ""]
    lines += [f"- {_link(name)}: {_rst_to_md((defs.get(name) or schema).get('description', ''))}" for name in order]
    lines.append("")
    for name in order:
        model = schema if name == ROOT else defs[name]
        lines += _model_section(name, model, paths[name], parents[name])
    return "\n".join(lines).rstrip() + "\n"


# --- command-line reference ---------------------------------------------------------------


def _commands(group: click.Group, ctx: click.Context) -> list[str]:
    names = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None and not command.hidden:
            names.append(name)
    first = [n for n in COMMAND_ORDER if n in names]
    return first + sorted(n for n in names if n not in first)


def _usage(command: click.Command, ctx: click.Context) -> str:
    return " ".join(command.get_usage(ctx).split())


def _param_rows(command: click.Command, ctx: click.Context) -> tuple[list[str], list[str]]:
    arguments, options = [], []
    for param in command.get_params(ctx):
        if getattr(param, "hidden", False):
            continue
        if isinstance(param, click.Argument):
            many = "yes" if param.nargs == -1 else "no"
            needed = "yes" if param.required else "no"
            arguments.append(f"| `{param.human_readable_name}` | {needed} | {many} |")
            continue
        record = param.get_help_record(ctx)
        if record is None:
            continue
        flags, help_text = record
        extra = ""
        default = param.get_default(ctx, call=False)
        plain = isinstance(default, str | int | float) and not isinstance(default, bool)
        if isinstance(param, click.Option) and not param.is_flag and plain and "[default:" not in help_text:
            extra = f" Default: `{default}`."
        if isinstance(param, click.Option) and param.multiple:
            extra += " Repeatable."
        options.append(f"| `{flags}` | {_cell(_outside_code(' '.join(help_text.split()), _literal) + extra)} |")
    return arguments, options


def _command_section(title: str, command: click.Command, ctx: click.Context) -> list[str]:
    anchor = title.replace(" ", "-")
    lines = [f"## {title} {{#{anchor}}}", "", "```text", _usage(command, ctx), "```", ""]
    help_text = inspect.cleandoc(command.help or "")
    if help_text:
        lines += [_outside_code(help_text.replace("\b\n", ""), _literal), ""]
    arguments, options = _param_rows(command, ctx)
    if arguments:
        lines += ["**Arguments**", "", "| Argument | Required | Several |", "|---|---|---|", *arguments, ""]
    if options:
        lines += ["**Options**", "", "| Option | Meaning |", "|---|---|", *options, ""]
    return lines


def cli_reference(group: click.Group | None = None, program: str = "stockpile") -> str:
    """Markdown reference of every command of the ``stockpile`` click group.

    Parameters
    ----------
    group
        The click group (default: :data:`simulator.cli.main`).
    program
        The program name shown in usage lines.

    Returns
    -------
    str
        The group's own options, then a section per command (``## stockpile run``) with
        its usage line, help text, an arguments table and an options table, each taken
        from click (``get_usage``, ``get_help_record``), so new options appear by
        themselves.

    Examples
    --------
    >>> text = cli_reference()
    >>> "## stockpile run {#stockpile-run}" in text and "`--set PATH=VALUE`" in text
    True
    """
    if group is None:
        from simulator.cli import main

        group = main
    root = click.Context(group, info_name=program, **group.context_settings)
    lines = [CLI_INTRO]
    names = _commands(group, root)
    lines += ["Commands: " + ", ".join(f"[`{n}`](#{program}-{n})" for n in names) + ".", ""]
    lines += _command_section(program, group, root)
    for name in names:
        command = group.get_command(root, name)
        assert command is not None
        ctx = click.Context(command, info_name=name, parent=root)
        lines += _command_section(f"{program} {name}", command, ctx)
    return "\n".join(lines).rstrip() + "\n"


# --- outputs reference ------------------------------------------------------------------------

OUTPUTS_INTRO = """\
# Outputs reference

*This page is generated from the registry of quantities (`simulator/quantities.py`)
each time the documentation is built: the tables of a run and the per-run metrics are
made from the same registry, so this page cannot drift from them. What the files are
and how to read them: [Outputs](outputs.md).*

Units: t are tonnes of what each material's `tonnes_of` says (oxide in the shipped rare-earth
scenarios), USD are US dollars, days are model days.
*Over days* says how a column adds up over a run (sum, lowest, last value, ...): the
summary metrics are those aggregations. A column `<name>.<member>` is repeated for each
member of the agreement.
"""

MEMBER_BLOCKS = (
    "The columns run in this order: the `<member>` columns come last, as one block per member in the "
    "agreement's order (all of the first member's columns, then all of the next's)."
)
"""Said above the columns of a table with member columns: the order of the file's columns."""

TABLE_TITLES = {
    "timeseries": ("timeseries.csv", "one row per day, region and material"),
    "summary": ("summary.csv and summary.json", "one row per region and material, then agreement-wide rows"),
    "supply": ("supply.csv", "one row per day, region, material and supplier"),
    "pool": ("pool.csv", "one row per day and material (joint pool)"),
    "market": ("market.csv", "one row per day and material (with a market block)"),
    "releases": ("releases.csv", "one row per release decision of a sharing rule"),
    "auctions": ("auctions.csv", "one row per auction held"),
    "shocks": ("shocks.csv", "one row per shock as it happened in the run"),
    "portfolio": ("portfolio.csv", "one row per region, material and supplier with a share"),
    "ledger": ("ledger.csv", "one row per member and material: the settlement at the end of the run"),
}


def outputs_reference() -> str:
    """Markdown of every output table's columns and every per-run metric, from the registry."""
    from simulator.quantities import AGREEMENT_SUMMARY, REGISTRY, SUMMARY, in_table

    lines = [OUTPUTS_INTRO]
    for table, (title, grain) in TABLE_TITLES.items():
        lines += [f"## {title} {{#{table}}}", "", f"*{grain.capitalize()}.*", ""]
        # in the file's order: a member's columns after the others, as a block per member (results.log_columns)
        shown = sorted(in_table(table, keys=True), key=lambda q: "member" in q.axes)
        if shown[-1:] and "member" in shown[-1].axes:
            lines += [MEMBER_BLOCKS, ""]
        lines += ["| column | unit | over days | meaning |", "|---|---|---|---|"]
        for q in shown:
            column = f"{q.column_name}.<member>" if "member" in q.axes else q.column_name
            over = "" if q.grain in ("key", "parameter") or q.aggregation == "none" else q.aggregation
            lines.append(f"| `{_cell(column)}` | {_cell(q.unit)} | {over} | {_cell(q.description)} |")
        lines.append("")
    lines += [
        "## Per-run metrics {#metrics}",
        "",
        "The columns of a sweep table and the `metrics` of `summary.json`: the agreement-wide",
        "metrics over all materials (`<metric>`) and per material (`<metric>.all.<material>`:",
        "region `all`, as in `summary.csv`), then each region's metrics over all its materials",
        "(`<metric>.<region>`) and per material (`<metric>.<region>.<material>`). A figure over",
        "all materials adds tonnes of different materials: read the per-material columns to",
        "compare like with like (a region's days short count each day once, however many",
        "materials it was short of). `stockpile check` compares the columns its",
        "baselines store (*in baselines*: all, or only those over all materials); the",
        "others break down totals a baseline stores and were added later, left out so that",
        "adding them moved no baseline.",
        "",
        "| metric | unit | per material | per region | per region and material | in baselines | meaning |",
        "|---|---|---|---|---|---|---|",
    ]
    stored = {"all": "all", "totals": "over all materials"}
    for q in AGREEMENT_SUMMARY:
        per = "yes" if q.per_material else ""
        lines.append(
            f"| `{q.name}` | {_cell(q.unit)} | {per} | | | {stored[q.in_baselines]} | {_cell(q.description)} |"
        )
    for q in SUMMARY:
        if q.region_total or q.per_material:
            region = {
                "sum": "sum",
                "min": "lowest",
                "first": "earliest",
                "share": "of the totals",
                "distinct": "distinct days",
            }.get(q.region_total or "", "")
            per = "yes" if q.per_material else ""
            lines.append(
                f"| `{q.name}` | {_cell(q.unit)} | | {region} | {per} | {stored[q.in_baselines]} "
                f"| {_cell(q.description)} |"
            )
    lines += [
        "",
        "## The middle layer {#middle-layer}",
        "",
        "Quantities that cross between the compiled plan, the kernel and the engines but are",
        "not written to a table (the plan's parameters are the compiled scenario; see",
        "[Architecture](architecture.md)).",
        "",
        "| record | name | unit | axes | meaning |",
        "|---|---|---|---|---|",
    ]
    for q in REGISTRY:
        if q.table is None:
            lines.append(
                f"| {q.record} | `{q.name}` | {_cell(q.unit)} | {_cell(', '.join(q.axes))} | {_cell(q.description)} |"
            )
    return "\n".join(lines) + "\n"
