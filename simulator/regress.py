"""Scenario regression checks: baselines on disk, comparison under tolerances, reports.

Layer: studies.

A baseline (``scenarios/baselines/<file stem>.json``, named after the scenario file) holds the package version, the
scenario's hash and seed, every flat summary metric of the run, and fingerprints of
the curves: days of cover and cumulative shortfall per region and material, every
``FINGERPRINT_EVERY_DAYS`` days and on the last day. Files are plain JSON with sorted
keys, one value per line, so that a change reads well in a diff.

A check re-runs the scenario and compares every baselined number with
``|now - baseline| <= atol + rtol * |baseline|`` (``numpy.isclose``), using per-metric
tolerances from ``tolerances.yaml`` beside the baselines when given.
"""

from __future__ import annotations

import fnmatch
import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from simulator.errors import InputError
from simulator.quantities import fingerprint_names, metric_names
from simulator.results import Result
from simulator.scenario import Scenario, load_scenario, scenario_hash
from simulator.version import __version__

FORMAT = "stockpile-baseline/1"
FINGERPRINT_EVERY_DAYS = 7
CURVES = fingerprint_names()
DEFAULT_RTOL = 1e-9
DEFAULT_ATOL = 1e-6
METRIC_NAMES = metric_names()


def baseline_path(scenario_file: Path, folder: Path | None = None) -> Path:
    """Where the baseline of a scenario file lives (``<its folder>/baselines/<stem>.json``)."""
    return (folder or scenario_file.parent / "baselines") / f"{scenario_file.stem}.json"


def fingerprints(result: Result) -> dict[str, dict[str, list[float | None]]]:
    """Curves sampled every ``FINGERPRINT_EVERY_DAYS`` days and on the last day."""
    ts = result.timeseries
    horizon = result.scenario.horizon_days
    days = sorted({*range(0, horizon, FINGERPRINT_EVERY_DAYS), horizon - 1})
    out: dict[str, dict[str, list[float | None]]] = {}
    for curve in CURVES:
        out[curve] = {}
        for (region, material), rows in ts.groupby(["region", "material"], sort=False):
            values = rows[curve].to_numpy(float)[days]
            out[curve][f"{region}.{material}"] = [None if math.isnan(v) else float(v) for v in values]
    out["days"] = {"sampled": [float(d) for d in days]}
    return out


def make_baseline(scenario: Scenario, result: Result) -> dict[str, Any]:
    """The baseline record of a run (see the module docstring)."""
    return {
        "format": FORMAT,
        "package_version": __version__,
        "scenario": scenario.name,
        "scenario_hash": scenario_hash(scenario),
        "seed": result.seed,
        "metrics": {k: v for k, v in result.metrics.items()},
        "curves": fingerprints(result),
    }


def write_baseline(path: Path, baseline: dict[str, Any]) -> None:
    """Write sorted, indented JSON atomically."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(baseline, indent=2, sort_keys=True, allow_nan=False) + "\n")
    tmp.replace(path)


def read_baseline(path: Path) -> dict[str, Any]:
    """A baseline file, or an :class:`InputError` naming it when it is corrupt or foreign."""
    try:
        data = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"corrupt baseline: {exc}", str(path)) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise InputError(f"not a stockpile baseline (expected format '{FORMAT}')", str(path))
    for key in ("metrics", "curves", "scenario_hash"):
        if key not in data:
            raise InputError(f"corrupt baseline: '{key}' is missing", str(path))
    return data


# --- tolerances -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Tolerance:
    """Relative and absolute tolerance of one number."""

    rtol: float = DEFAULT_RTOL
    atol: float = DEFAULT_ATOL


@dataclass(frozen=True)
class Tolerances:
    """Default tolerances, per-metric overrides and per-scenario overrides.

    ``tolerances.yaml``::

        default: {rtol: 1.0e-9, atol: 1.0e-6}
        metrics:                      # by metric name (the part before the first dot)
          fairness_jain: {atol: 1.0e-4}
          days_of_cover: {atol: 0.01}
        scenarios:                    # by scenario name (glob patterns allowed)
          embargo_stochastic: {rtol: 1.0e-6}
    """

    default: Tolerance = field(default_factory=Tolerance)
    metrics: dict[str, Tolerance] = field(default_factory=dict)
    scenarios: dict[str, Tolerance] = field(default_factory=dict)

    def for_metric(self, scenario: str, key: str) -> Tolerance:
        """The tolerance of ``key`` in ``scenario``: metric entry, else scenario entry, else default."""
        name = key.split(".", 1)[0].split("@", 1)[0]
        if name in self.metrics:
            return self.metrics[name]
        for pattern, tolerance in self.scenarios.items():
            if fnmatch.fnmatch(scenario, pattern):
                return tolerance
        return self.default


def _tolerance(data: Any, where: str, base: Tolerance, source: str) -> Tolerance:
    if not isinstance(data, dict) or set(data) - {"rtol", "atol"}:
        raise InputError(f"{where}: give rtol and/or atol", source)
    values = {}
    for key in ("rtol", "atol"):
        value = data.get(key, getattr(base, key))
        if isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
            raise InputError(f"{where}.{key}: must be a number >= 0", source)
        values[key] = float(value)
    return Tolerance(**values)


def load_tolerances(path: Path | None, rtol: float | None = None, atol: float | None = None) -> Tolerances:
    """Tolerances from a file (if it exists) with ``--rtol/--atol`` as the defaults."""
    default = Tolerance(
        DEFAULT_RTOL if rtol is None else rtol,
        DEFAULT_ATOL if atol is None else atol,
    )
    if path is None or not path.exists():
        return Tolerances(default)
    source = str(path)
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise InputError(f"cannot read tolerances: {exc}", source) from None
    if not isinstance(data, dict) or set(data) - {"default", "metrics", "scenarios"}:
        raise InputError("expected keys default, metrics and scenarios", source)
    if "default" in data:  # the file's defaults, with --rtol/--atol taking precedence
        from_file = _tolerance(data["default"], "default", Tolerance(), source)
        default = Tolerance(
            from_file.rtol if rtol is None else rtol,
            from_file.atol if atol is None else atol,
        )
    metrics = {}
    for name, entry in (data.get("metrics") or {}).items():
        if name not in METRIC_NAMES:
            raise InputError(f"metrics.{name}: unknown metric (known: {', '.join(sorted(METRIC_NAMES))})", source)
        metrics[name] = _tolerance(entry, f"metrics.{name}", default, source)
    scenarios = {
        str(pattern): _tolerance(entry, f"scenarios.{pattern}", default, source)
        for pattern, entry in (data.get("scenarios") or {}).items()
    }
    return Tolerances(default, metrics, scenarios)


# --- comparison ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Drift:
    """One number that moved beyond its tolerance."""

    scenario: str
    region: str
    material: str
    metric: str
    baseline: float | None
    now: float | None

    @property
    def change(self) -> str:
        """The change in words: absolute and relative."""
        if self.baseline is None or self.now is None:
            return "appeared" if self.baseline is None else "disappeared"
        delta = self.now - self.baseline
        relative = f" ({delta / abs(self.baseline):+.1%})" if self.baseline else ""
        return f"{delta:+.6g}{relative}"


@dataclass
class Outcome:
    """The result of checking one scenario."""

    scenario: str
    file: str
    status: str
    """``ok``, ``drift``, ``no baseline`` or ``error``."""
    drifts: list[Drift] = field(default_factory=list)
    message: str = ""
    scenario_changed: bool = False


def _split(key: str) -> tuple[str, str, str]:
    """``shortfall_t.japan.heavy_ree`` -> (japan, heavy_ree, shortfall_t)."""
    metric, _, rest = key.partition(".")
    region, _, material = rest.partition(".")
    return region or "all", material or "all", metric


def _close(now: Any, then: Any, tolerance: Tolerance) -> bool:
    if now is None or then is None:
        return now is None and then is None
    return bool(np.isclose(float(now), float(then), rtol=tolerance.rtol, atol=tolerance.atol))


def compare(name: str, baseline: dict[str, Any], current: dict[str, Any], tolerances: Tolerances) -> list[Drift]:
    """Every baselined number that moved beyond its tolerance."""
    drifts: list[Drift] = []
    for key in sorted(set(baseline["metrics"]) | set(current["metrics"])):
        then, now = baseline["metrics"].get(key), current["metrics"].get(key)
        if not _close(now, then, tolerances.for_metric(name, key)):
            region, material, metric = _split(key)
            drifts.append(Drift(name, region, material, metric, then, now))
    days = baseline["curves"].get("days", {}).get("sampled", [])
    for curve in CURVES:
        old, new = baseline["curves"].get(curve, {}), current["curves"].get(curve, {})
        for cell in sorted(set(old) | set(new)):
            region, _, material = cell.partition(".")
            a, b = old.get(cell, []), new.get(cell, [])
            for i in range(max(len(a), len(b))):
                then = a[i] if i < len(a) else None
                now = b[i] if i < len(b) else None
                if not _close(now, then, tolerances.for_metric(name, curve)):
                    day = int(days[i]) if i < len(days) else i
                    drifts.append(Drift(name, region, material, f"{curve}@day {day}", then, now))
    return drifts


def check_one(path: Path, baselines: Path | None, tolerances: Tolerances) -> Outcome:
    """Re-run one scenario and compare it with its baseline (errors become outcomes)."""
    from simulator.engine import simulate

    target = baseline_path(path, baselines)
    try:
        scenario = load_scenario(path)
    except InputError as exc:
        return Outcome(path.stem, str(path), "error", message=exc.render())
    if not target.exists():
        return Outcome(scenario.name, str(path), "no baseline", message=f"no baseline at {target}")
    try:
        baseline = read_baseline(target)
    except InputError as exc:
        return Outcome(scenario.name, str(path), "error", message=exc.render())
    try:
        current = make_baseline(scenario, simulate(scenario))
    except InputError as exc:
        return Outcome(scenario.name, str(path), "error", message=exc.render())
    except Exception as exc:  # a crash in one scenario must not hide the others' results
        return Outcome(scenario.name, str(path), "error", message=f"the run failed: {exc!r}")
    drifts = compare(scenario.name, baseline, current, tolerances)
    changed = baseline["scenario_hash"] != current["scenario_hash"]
    return Outcome(scenario.name, str(path), "drift" if drifts else "ok", drifts, scenario_changed=changed)


def update_one(path: Path, baselines: Path | None) -> Path:
    """Write (or overwrite) the baseline of one scenario."""
    from simulator.engine import simulate

    scenario = load_scenario(path)
    target = baseline_path(path, baselines)
    write_baseline(target, make_baseline(scenario, simulate(scenario)))
    return target


def scenario_files(paths: Iterable[str]) -> list[Path]:
    """Scenario files named, or found in the folders named (``scenarios/`` by default)."""
    found: list[Path] = []
    for text in paths or ["scenarios"]:
        path = Path(text)
        if path.is_dir():
            found.extend(sorted(path.glob("*.yaml")))
        elif path.is_file():
            found.append(path)
        else:
            raise InputError("no such scenario file or folder", str(path))
    if not found:
        raise InputError("no scenario files (*.yaml) found", ", ".join(paths or ["scenarios"]))
    return found


# --- reports ---------------------------------------------------------------------------------


def drift_table(outcomes: list[Outcome], most: int = 25) -> str:
    """What moved, as an aligned text table.

    Summary metrics come first, largest relative change first; each curve that moved is
    one row naming how many of its sampled days moved and showing the largest change.
    """
    header = ("scenario", "region", "material", "metric", "baseline", "now", "change")
    rows: list[tuple[str, ...]] = []
    notes: list[str] = []
    for outcome in outcomes:
        summary = [d for d in outcome.drifts if "@day" not in d.metric]
        curves: dict[tuple[str, str, str], list[Drift]] = {}
        for d in outcome.drifts:
            if "@day" in d.metric:
                curves.setdefault((d.region, d.material, d.metric.split("@", 1)[0]), []).append(d)
        shown = sorted(summary, key=_magnitude, reverse=True)
        for (region, material, curve), moved in curves.items():
            worst = max(moved, key=lambda d: abs((d.now or 0.0) - (d.baseline or 0.0)))
            label = f"{curve}: {len(moved)} sampled day(s), largest at {worst.metric.split('@', 1)[1]}"
            shown.append(Drift(worst.scenario, region, material, label, worst.baseline, worst.now))
        for d in shown[:most]:
            rows.append((d.scenario, d.region, d.material, d.metric, _text(d.baseline), _text(d.now), d.change))
        if len(shown) > most:
            notes.append(f"{outcome.scenario}: {len(shown) - most} more row(s) not shown (--format json lists all)")
    if not rows:
        return ""
    widths = [max(len(r[k]) for r in [header, *rows]) for k in range(len(header))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, *rows]]
    return "\n".join([*lines, *notes])


def _magnitude(d: Drift) -> float:
    if d.baseline is None or d.now is None:
        return math.inf
    return abs(d.now - d.baseline) / max(abs(d.baseline), 1e-12)


def _text(value: float | None) -> str:
    return "-" if value is None else f"{value:.6g}"


def as_json(outcomes: list[Outcome]) -> list[dict[str, Any]]:
    """Machine-readable outcomes (``--format json``)."""
    return [
        {
            "scenario": o.scenario,
            "file": o.file,
            "status": o.status,
            "message": o.message,
            "scenario_changed_since_baseline": o.scenario_changed,
            "drifts": [
                {"region": d.region, "material": d.material, "metric": d.metric, "baseline": d.baseline, "now": d.now}
                for d in o.drifts
            ],
        }
        for o in outcomes
    ]


def junit_xml(outcomes: list[Outcome], seconds: float) -> str:
    """A JUnit XML report: one test case per scenario, drifting ones failed."""
    from xml.etree import ElementTree as ET

    failures = sum(o.status == "drift" for o in outcomes)
    errors = sum(o.status in ("error", "no baseline") for o in outcomes)
    suite = ET.Element(
        "testsuite",
        name="stockpile check",
        tests=str(len(outcomes)),
        failures=str(failures),
        errors=str(errors),
        time=f"{seconds:.3f}",
    )
    for o in outcomes:
        case = ET.SubElement(suite, "testcase", classname="stockpile.scenarios", name=o.scenario, file=o.file)
        if o.status == "drift":
            failure = ET.SubElement(case, "failure", message=f"{len(o.drifts)} number(s) moved beyond tolerance")
            failure.text = drift_table([o], most=200)
        elif o.status in ("error", "no baseline"):
            error = ET.SubElement(case, "error", message=o.message or o.status)
            error.text = o.message
    ET.indent(suite)
    return ET.tostring(suite, encoding="unicode", xml_declaration=True) + "\n"
