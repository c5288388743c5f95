"""What a metric column of a sweep table is: its quantity in the registry and its title.

Layer: studies.

A sweep table's metric columns (:func:`simulator.quantities.sweep_metric_names`) are a
registry name, then the region and material they are about: ``total_shortfall_t``,
``shortfall_t.eu``, ``shortfall_t.eu.heavy_ree``. Figures and printed tables title them
with the registry's label and unit.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from simulator.errors import InputError, Problem
from simulator.names import default_material_name, default_region_name, in_sentence, join_words
from simulator.quantities import AGREEMENT_SUMMARY, ALL, SUMMARY, Quantity, sweep_metric_names


def quantity_of(column: str) -> Quantity:
    """The registry entry of a metric column (``KeyError`` when it is none).

    >>> quantity_of("shortfall_t.eu.heavy_ree").label
    'Shortfall'
    """
    name = column.split(".", 1)[0]
    for q in (*AGREEMENT_SUMMARY, *SUMMARY):
        if q.name == name:
            return q
    raise KeyError(column)


def metric_title(column: str) -> str:
    """``Label, region, material (unit)`` for a metric column; the column itself if it is not one.

    The region and material are named as the figures and the report name them by default
    (:mod:`simulator.names`; a scenario's own labels are not known here).

    >>> metric_title("shortfall_t.eu.heavy_ree"), metric_title("total_shortfall_t")
    ('Shortfall, EU, heavy rare earths (t)', 'Total shortfall (t)')
    >>> metric_title("shortfall_t.japan"), metric_title("fairness_jain")
    ('Shortfall, Japan (t)', "Fairness (Jain's index)")
    >>> metric_title("total_shortfall_t.all.heavy_ree")
    'Total shortfall, heavy rare earths (t)'
    """
    try:
        q = quantity_of(column)
    except KeyError:
        return column
    where = column.split(".")[1:]
    names = [default_region_name(where[0])] if where and where[0] != ALL else []  # all: agreement-wide
    names += [in_sentence(default_material_name(m)) for m in where[1:2]]
    label = ", ".join([q.label or q.name, *names, *where[2:]])
    unit = q.display[len(q.label or q.name.replace("_", " ")) :]
    return label + unit


def metric_unit(column: str) -> str:
    """The unit of a metric column (empty for an index or a column that is not a metric)."""
    try:
        q = quantity_of(column)
    except KeyError:
        return ""
    return "" if q.unit in ("", "name", "flag", "index") else q.unit


DRAWN_PARAMETERS = frozenset({"low", "mode", "high", "mean", "sd"})
"""Parameters of a distribution (``uniform``, ``triangular``, ``lognormal``), in the unit of the field it draws."""


def schema_unit_of(path: str) -> str | None:
    """The unit the scenario schema gives the field at a ``--set`` path, None when it gives none.

    A distribution's ``low``, ``mode``, ``high``, ``mean`` or ``sd`` written in place of a
    value has the unit of that value.

    >>> schema_unit_of("shocks.china_embargo_both.duration_days.mean"), schema_unit_of("agreement.ratio.japan")
    ('days', 'fraction')
    >>> schema_unit_of("agreement.mechanism") is None
    True
    """
    from simulator.scenario.load import field_unit

    found = field_unit(path)
    parent, _, name = path.rpartition(".")
    if found is None and name in DRAWN_PARAMETERS and parent:
        found = field_unit(parent)
    return found


def axis_title(path: str) -> str:
    """A swept path as an axis title, with the schema's unit where it gives one that reads as a unit.

    A unit of ``none (...)`` (a pure number) and ``day or date`` (a day number or a date,
    shown as they are) add nothing.

    >>> axis_title("shocks.china_embargo_both.duration_days.mean"), axis_title("agreement.ratio.japan")
    ('shocks.china_embargo_both.duration_days.mean (days)', 'agreement.ratio.japan (fraction)')
    >>> axis_title("shocks.china_embargo_both.start"), axis_title("agreement.mechanism")
    ('shocks.china_embargo_both.start', 'agreement.mechanism')
    """
    unit = schema_unit_of(path)
    if unit is None or unit.startswith("none") or unit == "day or date":
        return path
    return f"{path} ({unit})"


def check_metrics(names: Iterable[str], regions: Iterable[str], materials: Iterable[str]) -> list[str]:
    """``names`` if each is a per-run metric of a scenario with these regions and materials; else exit 2.

    >>> check_metrics(["total_shortfall_t"], ["eu"], ["ree"])
    ['total_shortfall_t']
    """
    known = sweep_metric_names(regions, materials)
    names = list(names)
    problems = []
    for name in names:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=3)
            meant = join_words([f"'{near}'" for near in close], last="or")
            hint = f"; did you mean {meant}?" if close else ""
            problems.append(
                Problem(
                    "--metric",
                    f"'{name}' is not a per-run metric of this scenario{hint} "
                    "(the metric columns of a sweep table: docs/outputs.md)",
                )
            )
    if problems:
        raise InputError(problems)
    return names
