"""``compare.png``: cumulative shortfall per member and material under each rule, totals and fairness.

Layer: studies.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

from simulator.burden import members_with_demand
from simulator.mechanisms import BASELINE, BY_NAME, OWN_SHARES, STATUS_QUO
from simulator.metrics import anyone_short, members_burden
from simulator.names import AS_CHANGED, Names, cap, index_text, join_words
from simulator.palette import BASELINE_COLOUR, RULE_COLOURS
from simulator.plots.columns import days_as_x, table_column, table_rows
from simulator.plots.finish import finish_figure
from simulator.plots.layout import (
    TEXT_GAP_IN,
    empty_panel,
    fit_x_label,
    fixed_margins,
    format_axis,
    row_titles,
    sentence_figure,
    wrapped_grid,
    wrapped_width_in,
)
from simulator.plots.text import HINTED_TEXT, drawn_width_in, plain_text, text_width_in
from simulator.results import Result
from simulator.scenario.portfolio import has_demand

BASELINE_STYLES = {BASELINE: ("--", None), STATUS_QUO: ("-.", "//"), OWN_SHARES: (":", "...")}
"""Per baseline row (:data:`simulator.mechanisms.BASELINE`, :data:`~simulator.mechanisms.STATUS_QUO`,
:data:`~simulator.mechanisms.OWN_SHARES`): line, hatch."""
RULE_DASHES = ("-", (0, (5, 2)), (0, (1.5, 1.5)))
"""The rules' line styles: solid for the first eight (:data:`~simulator.palette.RULE_COLOURS`), then dashed in the
same colours, then dotted; the dashes are shorter than the grey baselines' so a rule is not read as one."""
RULE_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")
"""A marker per rule along its curves (the ``k``-th rule's, ``k`` mod 8): the first eight rules' lines are all solid,
and colour alone told them apart (the red and a brown were 6.6 apart under deuteranopia, the teal 5 from the
baselines' grey). The baselines' lines have none."""
RULE_MARK_EVERY = 0.12
"""Gap between a rule's markers along its curve, as a share of the panel's diagonal (Matplotlib's ``markevery``)."""


BAR_LABEL_INK = "#111111"
"""A value label's colour inside a fairness bar's end: on the teal (``#2a9d8f``) 5.7:1 and on the baselines' grey
5.6:1, where white was 3.3:1 (WCAG asks 4.5:1 of 8 pt text)."""


def rule_style(k: int) -> dict[str, Any]:
    """The colour, line style and marker of the ``k``-th rule's curves (from 0) in ``compare.png``.

    Each rule's markers start a step further along (an eighth of :data:`RULE_MARK_EVERY`), so that two rules'
    curves drawn over each other show both rules' markers.

    >>> rule_style(0)
    {'color': '#1f5fa6', 'ls': '-', 'marker': 'o', 'markevery': (0.0, 0.12), 'ms': 4.0}
    >>> [rule_style(k)[key] for k, key in ((9, "color"), (9, "ls"), (9, "marker"))]
    ['#d1495b', (0, (5, 2)), 's']
    """
    colours = len(RULE_COLOURS)
    marker = k % len(RULE_MARKERS)
    return {
        "color": RULE_COLOURS[k % colours],
        "ls": RULE_DASHES[k // colours % len(RULE_DASHES)],
        "marker": RULE_MARKERS[marker],
        "markevery": (RULE_MARK_EVERY * marker / len(RULE_MARKERS), RULE_MARK_EVERY),
        "ms": 4.0,
    }


BASELINE_WHAT = {
    BASELINE: "the scenario without it",
    STATUS_QUO: "the shares members hold today, held alone",
    OWN_SHARES: "each member's share as its own reserve",
}
"""What each baseline is, in the title of ``compare.png``."""


def compare_figure(
    results: dict[str, Result],
    skipped: Mapping[str, str] | None = None,
    baseline: Mapping[str, Result] | Result | None = None,
    changes: Sequence[str] = (),
) -> Figure:
    """Cumulative shortfall per member and material under each rule; totals and fairness.

    A member without demand for a material gets a panel that says so, not a flat line at
    0 t that reads as "never short". The rules that could not run (``skipped``: rule and
    why, as :class:`simulator.compare.Comparison` keeps them) are named in the title.
    ``baseline``, the runs without the agreement (``Comparison.baselines``, keyed by
    :data:`~simulator.mechanisms.BASELINE`, :data:`~simulator.mechanisms.STATUS_QUO` and
    :data:`~simulator.mechanisms.OWN_SHARES` only; a lone run is :data:`~simulator.mechanisms.BASELINE`'s), are
    grey lines in each panel, the scenario without it dashed, the stocks held today dash-dotted and each
    member's share alone dotted (:data:`BASELINE_STYLES`), and
    the first, grey, bars of the totals and of the fairness among members (both of the members
    alone, :func:`~simulator.metrics.members_burden`), and the legend and title say what they are.

    Where a member is never short of a material in any row, its panel says so instead of
    drawing flat lines at 0 t; a material no member is short of in any row gets no panels, and the words under
    the legend name it (:func:`_left_out_note`); the members' panels of a material wrap into rows of at most
    :data:`~simulator.plots.layout.WRAP_COLUMNS_MAX`; a row in which no member is short gets no fairness bar (its
    Jain's index of 1 is a convention, :func:`~simulator.metrics.anyone_short`) but the words
    :data:`NOBODY_SHORT_BAR`; and when no member is short in any row, the figure is one
    sentence saying so (:func:`sentence_figure`, as ``stockpile compare`` prints it). Where the
    members' total would add tonnes that may not be added (oxide and magnet, or materials priced
    far apart: :func:`simulator.compare.shortfall_by_material`), the totals' panel is one panel per
    material short, each on its own axis, and none adds them. ``changes``: the command line's changes to the
    scenario (``--set PATH=VALUE``, ``--seed N``), which the title names (:func:`_scenario_title`).
    """
    if isinstance(baseline, Result):
        baseline = {BASELINE: baseline}
    baselines = dict(baseline or {})
    first = next(iter(results.values()))
    names = Names.of(first.scenario)
    members = first.structure.member_names
    materials = list(first.structure.materials)
    blocks, cols = wrapped_grid(len(members))  # blocks: rows of panels a material takes
    cols = max(2, cols)
    runs = [*baselines.values(), *results.values()]
    short = _short_pairs(runs, members, materials)
    if not short:  # every line flat at 0 t and every fairness 1 by convention: said in words instead
        title = _scenario_title(first.scenario.name, changes)
        if skipped:
            title += f"; not run: {', '.join(skipped)} (why: compare.csv's skipped column)"
        return sentence_figure(wrapped_width_in(cols), title, _nobody_short_text(len(results), bool(baselines)))
    # a material no member is short of under any rule (nor any baseline) gets no row of panels, each saying so
    left_out = [m for m in materials if not any((member, m) in short for member in members)]
    drawn = [m for m in materials if m not in left_out]
    panel_rows = len(drawn) * blocks
    fig = Figure(figsize=(wrapped_width_in(cols), 2.9 * panel_rows + 3.8))
    grid = fig.add_gridspec(panel_rows + 1, cols, height_ratios=[1.0] * panel_rows + [1.3])
    panels = []
    curves: dict[str, list[np.ndarray]] = {name: [] for name in results}  # each rule's, panel by panel
    heights_t: list[float] = []  # each panel's highest line, t
    for j, material in enumerate(drawn):
        for n, member in enumerate(members):
            block, col = divmod(n, cols)
            ax = fig.add_subplot(grid[j * blocks + block, col])
            panels.append(ax)
            if not has_demand(first.scenario, member, material):
                ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
                empty_panel(ax, f"No demand for {names.material_text(material)}.")
                continue
            if (member, material) not in short:  # flat lines at 0 t on an axis of nothing: a sentence
                ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
                without = ",\nnor without the agreement" if baselines else ""
                empty_panel(ax, f"Never short under any rule{without}.")
                continue
            heights_t.append(0.0)
            for name, run in baselines.items():
                rows = table_rows(run, "timeseries", region=member, material=material)
                heights_t[-1] = max(
                    heights_t[-1], float(table_column(run, "timeseries", "shortfall_cum_t")[rows].max())
                )
                ax.plot(
                    days_as_x(run, table_column(run, "timeseries", "day")[rows]),
                    table_column(run, "timeseries", "shortfall_cum_t")[rows],
                    lw=1.6,
                    ls=BASELINE_STYLES[name][0],
                    color=BASELINE_COLOUR,
                    label=f"{name} (baseline)",
                    zorder=3,  # over the rules' lines: seen where a rule leaves the shortfall as it was
                )
            for k, (mechanism, result) in enumerate(results.items()):
                rows = table_rows(result, "timeseries", region=member, material=material)
                curve = table_column(result, "timeseries", "shortfall_cum_t")[rows].astype(float)
                curves[mechanism].append(curve)
                heights_t[-1] = max(heights_t[-1], float(curve.max()))
                ax.plot(
                    days_as_x(result, table_column(result, "timeseries", "day")[rows]),
                    curve,
                    lw=max(1.1, 2.2 - 0.3 * k),
                    **rule_style(k),
                    label=BY_NAME[mechanism].label if mechanism in BY_NAME else mechanism,
                )
            ax.set_title(plain_text(f"{names.region(member)}, {names.material_text(material)}"), fontsize=10)
            ax.set_ylabel("cumulative shortfall (t)", fontsize=8)
            ax.set_ylim(bottom=0)
            format_axis(ax, first, ticks=4)
    labels = [plain_text(BY_NAME[name].label if name in BY_NAME else name) for name in results]
    totals = [results[name].metrics["total_shortfall_t"] for name in results]
    fairness = [results[name].metrics["fairness_jain"] for name in results]
    burdened = [anyone_short(results[name].metrics, members) for name in results]
    colours = ["#1f5fa6"] * len(results)
    fair_colours = ["#2a9d8f"] * len(results)
    hatches: list[str | None] = [None] * len(results)
    if baselines:  # first and grey: the members' shortfall and its fairness without the agreement
        burdens = [members_burden(run.metrics, members) for run in baselines.values()]
        labels = [*baselines, *labels]
        totals = [*(total for total, _, _ in burdens), *totals]
        fairness = [*(fair for _, fair, _ in burdens), *fairness]
        burdened = [*(anyone_short(run.metrics, members) for run in baselines.values()), *burdened]
        colours = [BASELINE_COLOUR] * len(baselines) + colours
        fair_colours = [BASELINE_COLOUR] * len(baselines) + fair_colours
        hatches = [BASELINE_STYLES[name][1] for name in baselines] + hatches
    # where the index over all materials misleads, each material short's own (as stockpile run's last line)
    fair_of, sole_users = _fairness_by_material(baselines, results, members)
    # the left margin holds the longest rule name whole (plus tick and padding)
    left_in = max(1.2, text_width_in(labels, "medium") + 0.3)
    # where a total would add unlike tonnes (oxide and magnet, prices far apart), one panel per material short
    from simulator.compare import shortfall_by_material

    # a row nobody is short in has no burden to share: no bar of 1 (Jain's convention), words instead
    fairs = [(fairness, burdened, None)] if fair_of is None else [(v, b, m) for m, (v, b) in fair_of.items()]
    # each panel's axis starts at its index's floor, 1/n of the members it is over (one member bears all)
    floors = [fairness_floor(first.scenario, members, m) for _, _, m in fairs]
    fairs = [([f if s else 0.0 for f, s in zip(v, b, strict=True)], b, m) for v, b, m in fairs]
    by_material = shortfall_by_material(runs, members)
    if by_material:
        width = wrapped_width_in(cols) - left_in - 0.2  # the figure's, less its margins (fixed_margins)
        gap_in = 0.35
        fair_panels = max(1, len(fair_of or []))
        # wider where a value label would fit neither right of its bar nor inside its end
        panels_in = width - gap_in * (len(by_material) + fair_panels - 1)
        fair_ratio = _fair_ratio(_fair_panel_in(fairs, floors), len(by_material), fair_panels, panels_in)
        wide = [1.0] * len(by_material) + [fair_ratio] * fair_panels
        mean_in = (width - gap_in * (len(wide) - 1)) / len(wide)
        row = grid[-1, :].subgridspec(1, len(wide), width_ratios=wide, wspace=gap_in / mean_in)
        # the first material's panel, which names the rules, and a fairness panel last in fig.axes, as without
        others = [fig.add_subplot(row[0, k]) for k in range(1, len(by_material) + fair_panels - 1)]
        ax_total = fig.add_subplot(row[0, 0])
        fair_axes = [*others[len(by_material) - 1 :], fig.add_subplot(row[0, -1])]
        others = others[: len(by_material) - 1]
        for ax in [*others, *fair_axes]:
            ax.sharey(ax_total)
        # each panel's width: mean_in is the panels' mean, each drawn in proportion to its ratio
        total_in, fair_in = (mean_in * len(wide) * wide[k] / sum(wide) for k in (0, -1))  # fair: labels near 1 inside
        totals_axes = [ax_total, *others]
        tonnes_of = {m: first.scenario.materials[m].tonnes_of for m in by_material}
        bars = [
            (ax, values, f"members' shortfall, t{f' of {tonnes_of[m]}' if tonnes_of[m] else ''}")
            for ax, (m, values) in zip(totals_axes, by_material.items(), strict=True)
        ]
        for ax, m in zip(totals_axes, by_material, strict=True):  # named as the panels above name them
            ax.set_title(plain_text(names.material(m)), fontsize=10)
    else:
        half = cols // 2
        ax_total = fig.add_subplot(grid[-1, :half])
        fair_axes = [fig.add_subplot(grid[-1, half:], sharey=ax_total)]
        # half the figure's width: room right of a bar of 1 for 1.000, not for "above 0.9999", which goes inside
        fair_in = fair_axes[0].get_position().width * fig.get_figwidth()
        total_in = 0.0  # unused: one wide totals' panel, its axis to 1.25 times the longest bar
        bars = [(ax_total, totals, "total shortfall of members (t)")]
    fair_bars = list(zip(fair_axes, fairs, strict=False))  # none where no material short has two users
    floor_of = {id(ax): low for ax, low in zip(fair_axes, floors, strict=False)}  # each fairness panel's 1/n
    fair_faces = [(ax, values, fair_colours) for ax, (values, _, _) in fair_bars]
    for ax, values, face in [*((ax, values, colours) for ax, values, _ in bars), *fair_faces]:
        # from 0, as the index's value: a fairness panel's axis starts at its floor, which cuts the bar there
        for bar, hatch in zip(ax.barh(labels, values, color=face), hatches, strict=True):
            if hatch:  # white dots (or hatching) on grey: the dotted (dash-dotted) baseline's bar
                bar.set_hatch(hatch)
                bar.set_edgecolor("white")
    for ax, values, label in bars:
        if by_material and text_width_in([plain_text(label)], 8) > total_in:  # shorter where it would overrun
            label = label.removeprefix("members' ")
        ax.set_xlabel(plain_text(label), **({"fontsize": 8} if by_material else {}))
        ax.set_xlim(0, max(values) * (_room_factor(values, total_in) if by_material else 1.25) or 1.0)
        if by_material:  # narrow panels: three ticks, none under the value labels' end
            ax.xaxis.set_major_locator(MaxNLocator(3))
    # the rules are named once, left of the bar panels: the other panels' own names
    # would be drawn over the totals' value labels
    for ax in [*(ax for ax, _, _ in bars[1:]), *fair_axes]:
        ax.tick_params(axis="y", labelleft=False)
    fair_max = FAIR_MAX
    for ax, (_, _, material) in fair_bars:
        ax.set_xlim(floor_of[id(ax)], fair_max)
        if floor_of[id(ax)] > 0:  # a tick at the floor, written as briefly as it reads (0.5, 0.33, 0.083)
            ax.xaxis.set_major_locator(FixedLocator(fairness_ticks(floor_of[id(ax)], wide=not by_material)))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda t, _: f"{t:.2g}"))
        ax.set_xlabel(
            plain_text(_fairness_label(names, material, narrow=bool(by_material))),
            **({"fontsize": 8} if by_material else {}),
        )
        if by_material and material:  # named as the totals' panels are
            ax.set_title(plain_text(names.material(material)), fontsize=10)  # as theirs, smaller where one is wide
    for ax in fair_axes[len(fair_bars) :]:  # every material short has one user: no burden to share
        ax.tick_params(axis="y", labelleft=False)
        empty_panel(ax, _sole_users_text(names, sole_users))
    ax_total.invert_yaxis()  # shared with the other bar panels: inverted once
    tonnes_text, jain_text = "{:,.1f}".format, index_text  # Jain's 0.99995 is not 1.000: "above 0.9999"
    everyone = [True] * len(labels)
    written = [(ax, values, tonnes_text, everyone, "") for ax, values, _ in bars]
    nobody = {None: NOBODY_SHORT_BAR}  # a material's narrow panel: NONE_SHORT_OF
    written += [(ax, values, jain_text, short, nobody.get(m, NONE_SHORT_OF)) for ax, (values, short, m) in fair_bars]
    for ax, values, write, burdened, no_burden in written:
        fair = ax in fair_axes
        for y, value in enumerate(values):
            shown = write(value) if burdened[y] else no_burden
            if fair:  # a row nobody is short in (0) writes its words at the axis's start, its floor
                value = max(value, floor_of[id(ax)])
            # a narrow panel leaves about 0.1 inch right of a bar near 1, less than its label (which ran past the
            # panel and the figure's edge): such a label is written inside its bar's end
            if fair and burdened[y] and _written_inside(shown, value, floor_of[id(ax)], fair_in):
                ax.annotate(
                    shown,
                    (value, y),
                    xytext=(-3, 0),
                    textcoords="offset points",
                    va="center",
                    ha="right",
                    fontsize=8,
                    color=BAR_LABEL_INK,
                    # on the bar's own colour, over the white dots of a dotted baseline bar too
                    bbox={"facecolor": fair_colours[y], "edgecolor": "none", "pad": 1},
                )
                continue
            ax.annotate(shown, (value, y), xytext=(3, 0), textcoords="offset points", va="center", fontsize=8)
        ax.grid(True, axis="x", color="#dddddd")
    title = _scenario_title(first.scenario.name, changes)
    if baselines:
        styles = {"--": "dashed", "-.": "dash-dotted", ":": "dotted"}
        title += "; grey: " + ", ".join(
            f"{name} ({BASELINE_WHAT[name]}" + (f", {styles[BASELINE_STYLES[name][0]]})" if len(baselines) > 1 else ")")
            for name in baselines
        )
    if skipped:
        title += f"; not run: {', '.join(skipped)} (why: compare.csv's skipped column)"
    notes = [
        _drawn_as_one_note(_rules_drawn_as_one(curves, heights_t)),
        _left_out_note(names, left_out, bool(baselines)),
    ]
    footnote = " ".join(note for note in notes if note) or None
    # a bar panel's x label wider than the panel ran into the next one's, or past the figure's edge: broken into
    # lines (at the panels' widths as finish_figure sets them), the bottom margin grown by the lines added
    labelled = [*(ax for ax, _, _ in bars), *(ax for ax, _ in fair_bars)]
    fixed_margins(fig, panel_rows + 1, cols, left_in=left_in)
    x_label_in = max(fit_x_label(fig, ax, labelled) for ax in labelled)
    finish_figure(fig, panels, title, panel_rows + 1, cols, left_in=left_in, footnote=footnote, x_label_in=x_label_in)
    for ax in labelled:  # again where a wide y axis narrowed the panels
        fit_x_label(fig, ax, labelled)
    if by_material:  # the row's titles in one size; ticks as many as stand apart at the panels' drawn widths
        row_titles(fig, [*totals_axes, *fair_axes])
        for ax in totals_axes:
            ax.xaxis.set_major_locator(MaxNLocator(_ticks_apart(fig, ax)))
    return fig


FAIR_MAX = 1.15
"""The right end of a fairness panel's axis: room right of a bar of 1 for ``1.000`` in a wide panel."""
FAIR_RATIO = 0.8
"""A fairness panel's width beside a totals' panel's (1) in ``compare.png``'s row of narrow bar panels, where its
value labels fit (:func:`_fair_ratio`)."""
FAIR_RATIO_MAX = 1.5
"""The widest a fairness panel is beside a totals' panel's (1), the totals' panels keeping their room
(:func:`_fair_ratio`)."""
FAIR_SPARE_IN = 0.01
"""Room a fairness panel widened for its value labels has over what they need, inches (:func:`_fair_ratio`)."""
VALUE_PT = 8
"""Size of the bar panels' value labels, points."""
VALUE_PAD_IN = 3 / 72
"""Room between a bar's end and its value label, inches."""


def _fair_panel_in(
    fairs: Sequence[tuple[Sequence[float], Sequence[bool], str | None]], floors: Sequence[float] | None = None
) -> float:
    """The narrowest fairness panel in which each value label of ``fairs`` fits, inches.

    A label goes right of its bar where the room left of :data:`FAIR_MAX` holds it, else inside the bar's end:
    ``above 0.9999`` (0.76 inch at 8 pt) beside a bar of 0.99995 fits neither in a panel of 0.91 inch, and ran into
    the next panel in ``long_embargo_12m_2030``'s ``compare.png``. A row nobody is short in writes words at the
    axis's start. ``fairs``: each panel's values, whether anyone is short in each row, and its material (None:
    all); ``floors``: where each panel's axis starts (:func:`fairness_floor`; None: at 0).
    """
    need_in = 0.0
    for (values, burdened, material), low in zip(fairs, floors or [0.0] * len(fairs), strict=True):
        span = FAIR_MAX - low
        for value, short in zip(values, burdened, strict=True):
            words = index_text(value) if short else (NOBODY_SHORT_BAR if material is None else NONE_SHORT_OF)
            label_in = _value_label_in(words)
            right = label_in * span / (FAIR_MAX - value) if short and value < FAIR_MAX else np.inf
            inside = label_in * span / (value - low) if short and value > low else np.inf
            need_in = max(need_in, min(right, inside) if short else label_in)
    return need_in


def _value_label_in(words: str) -> float:
    """Room a bar panel's value label ``words`` takes right of its bar (or inside its end), inches.

    Its width as Agg may draw it (:data:`~simulator.plots.text.HINTED_TEXT`) and :data:`VALUE_PAD_IN`: the width
    :func:`_fair_panel_in` sizes the fairness panel by and :func:`_written_inside` places the label by.
    """
    return text_width_in([words], VALUE_PT) * HINTED_TEXT + VALUE_PAD_IN


def _written_inside(words: str, value: float, low: float, fair_in: float) -> bool:
    """Whether a fairness bar's value label ``words`` is written inside its bar's end, not right of it.

    Where the room right of the bar of ``value``, on a panel ``fair_in`` inches wide whose axis runs from ``low``
    (:func:`fairness_floor`) to :data:`FAIR_MAX`, is less than the label (:func:`_value_label_in`) and the bar holds
    it: a narrow panel leaves about 0.1 inch right of a bar near 1, less than its label (which ran past the panel
    and the figure's edge).
    """
    label_in = _value_label_in(words)
    room_in = (FAIR_MAX - value) / (FAIR_MAX - low) * fair_in
    return room_in < label_in <= (value - low) / (FAIR_MAX - low) * fair_in


def fairness_floor(scenario: Any, members: list[str], material: str | None) -> float:
    """Where a fairness panel's axis starts: Jain's index's floor, 1/n of the members it is over (0 for one or none).

    The index of ``n`` members' shortfall shares runs from 1/n (one member bears all of it) to 1 (equal shares); on
    an axis from 0, two members' 0.5 read as half fair. Here ``n`` is the members with demand
    (:func:`~simulator.burden.members_with_demand`) of ``material`` (None: of any material), as
    :func:`~simulator.metrics.jain_index` counts them; the sweep's figures
    (:func:`simulator.sweep.figures._fairness_range`) take 1/n of all the agreement's members instead, a lower
    floor where a member has no demand.
    """
    n = len(members_with_demand(scenario, members, None if material is None else [material]))
    return 1 / n if n >= 2 else 0.0


def fairness_ticks(low: float, wide: bool) -> list[float]:
    """A fairness panel's ticks: its floor ``low`` (:func:`fairness_floor`), 1, and in a ``wide`` panel a few between.

    Those between are where a 0.25 step puts them, each a tenth of the axis or more from the floor and from 1.

    >>> fairness_ticks(0.5, wide=False), fairness_ticks(0.5, wide=True), fairness_ticks(1 / 3, wide=True)
    ([0.5, 1.0], [0.5, 0.75, 1.0], [0.3333333333333333, 0.5, 0.75, 1.0])
    """
    gap = 0.1 * (FAIR_MAX - low)
    between = [t for t in (0.25, 0.5, 0.75) if wide and low + gap <= t <= 1.0 - gap]
    return [low, *between, 1.0]


def _fair_ratio(need_in: float, totals: int, fairs: int, panels_in: float) -> float:
    """A fairness panel's width beside a totals' panel's: :data:`FAIR_RATIO`, more where ``need_in`` needs it.

    ``totals`` totals' panels (ratio 1) and ``fairs`` fairness panels share ``panels_in`` inches: at the ratio
    ``r`` a fairness panel is ``panels_in * r / (totals + fairs * r)`` wide, solved for ``need_in`` (and
    :data:`FAIR_SPARE_IN` over) where :data:`FAIR_RATIO` leaves it narrower; at most :data:`FAIR_RATIO_MAX`.

    >>> _fair_ratio(0.5, 3, 2, 5.2), round(_fair_ratio(0.95, 3, 2, 5.2), 3)
    (0.8, 0.878)
    """
    if panels_in * FAIR_RATIO / (totals + fairs * FAIR_RATIO) >= need_in:
        return FAIR_RATIO
    need_in += FAIR_SPARE_IN
    return min(FAIR_RATIO_MAX, totals * need_in / max(panels_in - fairs * need_in, 1e-9))


TICKS_MOST = 3
"""Most ticks on a narrow totals' panel of ``compare.png`` (one per material short)."""


def _ticks_apart(fig: Figure, ax: Axes) -> int:
    """The most ticks, up to :data:`TICKS_MOST`, whose labels stand :data:`TEXT_GAP_IN` apart on ``ax`` as drawn.

    ``long_embargo_12m_2030``'s totals' panels of 1.1 inch ran ``6000`` into ``12000``. Call once the margins are set.
    """
    low, high = ax.get_xlim()
    width_in = ax.get_position().width * fig.get_figwidth()
    size = ax.xaxis.get_major_ticks()[0].label1.get_fontsize()
    formatter = ax.xaxis.get_major_formatter()
    for bins in range(TICKS_MOST, 1, -1):
        ticks = [t for t in MaxNLocator(bins).tick_values(low, high) if low <= t <= high]
        texts = formatter.format_ticks(ticks)
        half_in = [drawn_width_in([text], size) / 2 for text in texts]
        at_in = [(t - low) / (high - low) * width_in for t in ticks]
        if all(at_in[k + 1] - at_in[k] - half_in[k] - half_in[k + 1] >= TEXT_GAP_IN for k in range(len(ticks) - 1)):
            return bins
    return 1


def _left_out_note(names: Names, left_out: list[str], baselines: bool) -> str | None:
    """The words under ``compare.png``'s legend naming the materials it draws no panels of, or None.

    A material no member is short of under any rule (nor without the agreement) is left out: its row was a panel per
    member saying so, 12 of them in a 12-member scenario.

    >>> _left_out_note(Names(), ["ga"], True)
    'Not drawn: ga, of which no member is short under any rule, nor without the agreement.'
    """
    if not left_out:
        return None
    texts = [names.material_text(m) for m in left_out]
    of = join_words(texts)
    without = ", nor without the agreement" if baselines else ""
    return f"Not drawn: {of}, of which no member is short under any rule{without}."


def _room_factor(values: Sequence[float], panel_in: float) -> float:
    """How far past the longest of ``values`` a narrow totals' panel's axis runs: room right of it for its label.

    At least 1.7; more where the label (``13,696.3``, 8 pt, 3 pt from the bar) would run past a panel ``panel_in``
    inches wide.
    """
    label_in = text_width_in([f"{max(values):,.1f}"], 8) + 6 / 72
    return max(1.7, 1.0 / (1.0 - min(0.6, label_in / panel_in)))


def _fairness_by_material(
    baselines: Mapping[str, Result], results: Mapping[str, Result], members: list[str]
) -> tuple[dict[str, tuple[list[float], list[bool]]] | None, list[tuple[str, str]]]:
    """Each row's index of each material short and whether a member is short of it, where the index is by material.

    As ``stockpile compare``'s table (:func:`simulator.compare_materials.fairness_materials`): None where the index
    over all materials is the answer; with it, (material, member) of each material short that one member alone uses.
    Rows in the figure's order, baselines first (their members' index, as the rules' runs count it).
    """
    from simulator.compare_materials import FAIRNESS_OF, fairness_materials, is_short_of, members_fairness

    runs = [*baselines.values(), *results.values()]
    materials, sole_users = fairness_materials(runs, members)
    if not materials and not sole_users:
        return None, []
    by_material = {}
    for m in materials:
        values = [members_fairness(run, members, m) for run in baselines.values()]
        values += [float(run.metrics[f"{FAIRNESS_OF}{m}"]) for run in results.values()]
        short = [is_short_of(run.metrics, members, m) for run in runs]
        by_material[m] = (values, short)
    return by_material, sole_users


def _fairness_label(names: Names, material: str | None, narrow: bool) -> str:
    """The x label of a fairness panel: over all materials (None), or of one material (a ``narrow`` one's title).

    >>> _fairness_label(Names(), None, narrow=False), _fairness_label(Names(), "ga", narrow=True)
    ("fairness (Jain's index, 1 = equal)", 'fairness (Jain)')
    >>> _fairness_label(Names(), "ga", narrow=False)
    "fairness of ga (Jain's index, 1 = equal)"
    """
    if narrow:  # a narrow panel of one material is titled with it
        return "fairness (Jain)" if material else "fairness (Jain's index)"
    of = f" of {names.material_text(material)}" if material else ""
    return f"fairness{of} (Jain's index, 1 = equal)"


def _sole_users_text(names: Names, sole_users: list[tuple[str, str]]) -> str:
    """What the fairness panel says where each material short has one user: no burden of it to share."""
    alone = [f"only {names.subject(member)} uses {names.material_text(m)}" for m, member in sole_users]
    return f"{cap('; '.join(alone))}: no burden to share."


def _scenario_title(scenario: str, changes: Sequence[str]) -> str:
    """The start of ``compare.png``'s title: the scenario, and the ``changes`` made to it for this comparison.

    With ``changes``, the scenario is named :data:`~simulator.names.AS_CHANGED` and the changes as typed,
    so that the chart is not read as the scenario's own (the folder's ``scenario.json`` holds it as compared).

    >>> _scenario_title("club_of_five", ["--set agreement.ratio.japan=0.3"])
    'club_of_five (as changed for this run: --set agreement.ratio.japan=0.3): release rules compared'
    """
    changed = f" ({AS_CHANGED}: {' '.join(changes)})" if changes else ""
    return f"{scenario}{changed}: release rules compared"


DRAWN_AS_ONE_SHARE = 0.005
"""Rules' curves no further apart than this share of a panel's height (its highest line) are drawn as one line there:
one over another, a line width apart or less (0.5 pt of a panel about 110 pt high). In ``long_embargo_6m`` nine rules'
cumulative shortfalls are at most 1.5 t apart on axes of 1,400 and 2,600 t.

A question of drawing, not of values: such rules need not leave the same shortfall (equal losses' fairness there is
0.625 against the others' 0.626), so ``compare.png`` says they are drawn one over another, never that they are the
same. The report asks another question of a run and its baseline, whether their curves are the same numbers
(:func:`simulator.report.figures.runs_coincide`, to rounding): only then does it say so in words and leave out
their figure."""


def _rules_drawn_as_one(curves: Mapping[str, list[np.ndarray]], heights_t: list[float]) -> list[list[str]]:
    """The groups of two or more rules whose ``curves`` are drawn as one in every panel (:data:`DRAWN_AS_ONE_SHARE`).

    ``curves``: each rule's cumulative shortfall, t, in each panel with lines (the same panels, in order);
    ``heights_t``: each such panel's highest line, t. A rule joins the first group whose first rule it is drawn as
    one with everywhere; groups and their rules in the rules' order. An empty list without a panel of lines.
    """
    groups: list[list[str]] = []
    for name, mine in curves.items():
        if not mine:
            return []
        group = next((g for g in groups if _drawn_as_one(curves[g[0]], mine, heights_t)), None)
        if group is None:
            groups.append([name])
        else:
            group.append(name)
    return [group for group in groups if len(group) > 1]


def _drawn_as_one(a: list[np.ndarray], b: list[np.ndarray], heights_t: list[float]) -> bool:
    """Whether two rules' curves ``a`` and ``b`` are within :data:`DRAWN_AS_ONE_SHARE` of each panel's height in all."""
    return all(
        float(np.abs(x - y).max()) <= DRAWN_AS_ONE_SHARE * height for x, y, height in zip(a, b, heights_t, strict=True)
    )


DRAWN_AS_ONE_WORDS = "Drawn one over another (within a line's width of each other in every panel)"
"""How ``compare.png`` introduces the rules whose lines it draws one over another (:func:`_rules_drawn_as_one`):
a line's width apart, which the words say, not the same curve (they may differ by a tonne or two)."""


def _drawn_as_one_note(groups: list[list[str]]) -> str | None:
    """The words under ``compare.png``'s legend naming the rules drawn one over another in every panel, or None.

    The legend lists a colour per rule; where several rules' curves are drawn as one line (:func:`_rules_drawn_as_one`)
    only the last drawn is seen: the reader is told which rules to look for there.
    """
    return drawn_as_one_words(
        [[BY_NAME[name].label if name in BY_NAME else name for name in group] for group in groups]
    )


def drawn_as_one_words(groups: list[list[str]]) -> str | None:
    """The words naming the ``groups`` of lines (by their legend's names) drawn one over another in every panel.

    None without a group. ``compare.png``'s rules (:func:`_drawn_as_one_note`) and the days-of-cover figure's
    regions (:func:`simulator.plots.cover._regions_drawn_as_one`) alike.

    >>> drawn_as_one_words([["Germany", "France"]])
    "Drawn one over another (within a line's width of each other in every panel): Germany, France."
    """
    if not groups:
        return None
    named = "; ".join(", ".join(plain_text(name) for name in group) for group in groups)
    each = "" if len(groups) == 1 else ", each group as one line"
    return f"{DRAWN_AS_ONE_WORDS}{each}: {named}."


NOBODY_SHORT_BAR = "no member short"
"""In place of a fairness bar in ``compare.png`` for a row nobody is short in (its 1 is a convention)."""
NONE_SHORT_OF = "none short"
"""In place of a bar in a fairness panel of one material for a row no member is short of it in (shorter: the panel
is narrow, and its x label names the material)."""


def _short_pairs(runs: list[Result], members: list[str], materials: list[str]) -> set[tuple[str, str]]:
    """(member, material) of each member short of a material (above 0 t in total) in any of ``runs``.

    As ``stockpile compare`` reads a row (:func:`simulator.compare_materials.is_short_of`), asked of one member at
    a time: the figure draws a panel per member and material.
    """
    from simulator.compare_materials import is_short_of

    return {
        (member, material)
        for member in members
        for material in materials
        if any(is_short_of(run.metrics, [member], material) for run in runs)
    }


def _nobody_short_text(rules: int, baselines: bool) -> str:
    """The sentence of ``compare.png`` when no member is short in any row (as ``stockpile compare`` prints it)."""
    from simulator.compare import nobody_short_line

    line = nobody_short_line(baselines, f"any of the {rules} rules" if rules > 1 else "the rule")
    return f"{cap(line)}, and with no shortfall to share there is no fairness to compare."
