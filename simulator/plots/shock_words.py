"""How a shock is named in figures and reports: its kind, whom it acts on, how severe it is, whether it acts.

Layer: studies.
"""

from __future__ import annotations

from typing import Any

from simulator.names import Names
from simulator.plots.columns import table_column
from simulator.quantities import SHOCK_SIZE_COLUMN
from simulator.results import Result, span_dates
from simulator.scenario.checks import day_number
from simulator.shock_effects import KnownShocks, idle_in

KIND_NAMES = {
    "embargo": "Embargo",
    "quota_cut": "Quota cut",
    "delay": "Delay",
    "demand_surge": "Demand surge",
    "export_quota": "Export quota",
    "licensing": "Licensing",
}


def _percent(share: float) -> str:
    value = 100 * share
    return f"{value:.0f}%" if value >= 10 or value == 0 else f"{value:.1f}%"


REGIONS_NAMED = 3
"""Up to this many regions a shock on all of a scenario's regions names them in its label; beyond, it counts them."""


def shock_target(result: Result, index: int, *, materials: bool = True) -> str:
    """Who does what to whom: ``China → Japan``, ``China → Japan, EU``, ``demand of the EU``.

    A shock of a kind with no supplier (a demand surge, or any kind without one) acts on the
    demand of its regions. A shock that names no regions (a quota, a quota cut) acts on the supplier's exports to
    the scenario's regions only, not on all it exports: it names them, or counts them when
    there are more than :data:`REGIONS_NAMED` (``China → the 5 regions modelled``).
    """
    names = Names.of(result.scenario)
    spec = result.scenario.shocks[index]
    supplier = getattr(spec, "supplier", None)
    named = getattr(spec, "regions", None)
    regions = named or list(result.structure.regions)
    if len(regions) > REGIONS_NAMED and not named:
        whom = f"the {len(regions)} regions modelled"
    else:
        whom = ", ".join(names.region(r) for r in regions)
    if supplier is None:
        text = f"demand of {whom}"
    else:
        text = f"{names.supplier(supplier)} \u2192 {whom}"
    if materials and spec.materials:
        text += f" ({', '.join(names.material_text(m) for m in spec.materials)})"
    return text


def shock_size(result: Result, index: int) -> float:
    """The drawn size of shock ``index``, from the ``shocks`` column of its kind's unit (a severity, days ...)."""
    kind = str(table_column(result, "shocks", "kind")[index])
    return float(table_column(result, "shocks", SHOCK_SIZE_COLUMN[kind])[index])


def shock_idle(result: Result, index: int) -> str | None:
    """Why shock ``index`` does nothing in this run, or None when it acts (:func:`idle_shocks`, for one shock)."""
    return idle_shocks(result)[index]


def idle_shocks(result: Result) -> list[str | None]:
    """Why each shock does nothing in this run (``severity 0``), or None where it acts, in the scenario's order.

    :func:`~simulator.shock_effects.idle_in` of this run's draws and days: a what-if switch off
    as written gets no band in the figures and no legend entry; the report's shocks table says
    it is not applied. Callers that go over the shocks ask once, not once per shock.
    """
    count = len(result.scenario.shocks)
    sizes = [shock_size(result, k) for k in range(count)]
    starts, ends = list(table_column(result, "shocks", "start_day")), list(table_column(result, "shocks", "end_day"))
    known = KnownShocks(result.scenario, result.structure, sizes, starts, ends)
    return [idle_in(known, k) for k in range(count)]


def shock_severity(result: Result, index: int, *, suspended: bool = True) -> str:
    """How severe a shock is: ``full halt``, ``halt with 70% leaking through, the rest held and released over 30 days``.

    A full halt whose cargo is held says so (``full halt, its cargo held and released when it ends``).
    Others: ``50% cut``, ``+14 days lead time``, ``demand ×1.2``, ``cap of 15,125 t of light and heavy rare
    earths per 184 days on what they take from China together, pro rata to orders`` (:func:`_quota_cap`).

    An embargo with a ``leak_share`` says what leaks and what becomes of the rest
    (:func:`_halted_rest`): held at origin and released when it ends (``on_halt: held``,
    over ``release_days``) or lost.

    A licensing shock's suspensions are named (``, suspended 7 Nov 2025 – 9 Nov 2026``)
    unless ``suspended`` is False (the report's timeline draws and names them apart).

    A kind not worded here reads as its ``shocks.csv`` size column and the size (``demand_cut_share 0.25``):
    plain, never another kind's words, and tests/test_shock_kinds.py asks for its own.
    """
    spec = result.scenario.shocks[index]
    kind = spec.kind
    magnitude = shock_size(result, index)
    if kind == "embargo":  # with what leaks through: a halt with 70% leaking, the rest held (or lost)
        leak = spec.leak_share
        if not isinstance(leak, float | int) or leak <= 0:  # held cargo is said: it arrives later, not never
            what = "full halt" if magnitude >= 1 else f"{_percent(magnitude)} cut"
            stopped = "its cargo" if magnitude >= 1 else "the cut cargo"
            return what if spec.on_halt != "held" else f"{what}, {_halted_rest(spec, stopped)}"
        rest = _halted_rest(spec)
        if magnitude >= 1:
            return f"halt with {_percent(leak)} leaking through, {rest}"
        return f"{_percent(magnitude)} cut with {_percent(leak)} of it leaking through, {rest}"
    if kind == "quota_cut":
        return f"{_percent(magnitude)} cut"
    if kind == "delay":
        return f"+{magnitude:g} days lead time"
    if kind == "export_quota":
        return f"{_quota_cap(result, spec, magnitude)}, {_quota_sharing(result, spec)}"
    if kind == "licensing":
        if magnitude <= 0:
            text = "licences refused"
        elif magnitude >= 1:  # every licence granted: what restricts is the wait, not refusals
            text = f"every licence approved, after {_processing_days(spec.processing_days)} days' processing"
        else:
            text = f"{_percent(magnitude)} of licences approved after {_processing_days(spec.processing_days)} days"
        if spec.end_use_share < 1:
            text += f", for {_percent(spec.end_use_share)} of the flow"
        start = result.scenario.start_date
        windows = [span_dates(start, day_number(a, start) or 0, day_number(b, start) or 0) for a, b in spec.suspended]
        return text + (f", suspended {', '.join(windows)}" if windows and suspended else "")
    if kind == "demand_surge":
        return f"demand \u00d7{magnitude:g}"
    return f"{SHOCK_SIZE_COLUMN.get(kind, 'size')} {magnitude:g}"


def _halted_rest(spec: Any, subject: str = "the rest") -> str:
    """What becomes of what an embargo stops and does not leak: ``the rest held and released over 30 days``.

    ``on_halt: held`` waits at origin and ships when the embargo ends, all at once or over
    ``release_days`` (docs/model.md, held cargo); ``lost`` never leaves. ``subject`` names what
    is stopped (``its cargo`` for an embargo that leaks nothing).
    """
    if spec.on_halt != "held":
        return f"{subject} lost"
    days = spec.release_days
    if not days:
        return f"{subject} held and released when it ends"
    return f"{subject} held and released over {days:g} days after it ends"


def _quota_cap(result: Result, spec: Any, tonnes: float) -> str:
    """What an export quota's tonnes are, e.g. ``cap of 15,125 t of light and heavy rare earths per 184 days``.

    The words go on ``on what they take from China together``, or ``on what Japan takes from China`` where the
    label names one region. The tonnes are of the quota's
    materials summed (docs/model.md): those it lists, else all the scenario's, named here.

    ``tonnes`` (per ``period_days``) caps the supplier's exports to the regions the label names before it
    (:func:`shock_target`: all the scenario's regions unless the shock lists some) taken together, not all it
    exports: a quota a government announces for all its buyers, which a scenario's description may give (the
    2010 replay's 7,976 t for China's second half of 2010 against the 15,125 t the model lets Japan and the EU
    take), is another number, and the words say which this one is.
    """
    names = Names.of(result.scenario)
    of = names.materials_text(spec.materials or result.structure.materials)
    supplier = names.supplier(spec.supplier)
    regions = getattr(spec, "regions", None) or list(result.structure.regions)
    if len(regions) == 1:
        taker = f"what {names.subject(regions[0])} takes from {supplier}"
    else:
        taker = f"what they take from {supplier} together"
    return f"cap of {tonnes:,.0f} t of {of} per {spec.period_days} days on {taker}"


def _quota_sharing(result: Result, spec: Any) -> str:
    """How a binding quota is shared: ``pro rata to orders``, ``normal flows first``, ``the EU served first``."""
    if spec.sharing == "contracts_first":
        text = "normal flows first"
    elif spec.sharing == "preference":
        names = Names.of(result.scenario)
        text = f"{', then '.join(names.region(r) for r in spec.preference)} served first"
    else:
        text = "pro rata to orders"
    return text + (f", {_percent(spec.smuggling_share)} of what it stops smuggled" if spec.smuggling_share else "")


def _processing_days(spec: Any) -> str:
    """``45``, ``20-63`` (a range), ``about 45`` (a lognormal's mean)."""
    low, high = getattr(spec, "low", None), getattr(spec, "high", None)
    if low is not None and high is not None:
        return f"{low:g}-{high:g}"
    mean = getattr(spec, "mean", None)
    return f"about {mean:g}" if mean is not None else f"{spec:g}"


def shock_label(result: Result, index: int) -> str:
    """A shock as a legend names it: ``Embargo: China → Japan, full halt``."""
    kind = str(table_column(result, "shocks", "kind")[index])
    target = shock_target(result, index, materials=False)
    return f"{KIND_NAMES.get(kind, kind)}: {target}, {shock_severity(result, index)}"
