"""The days-of-cover fan chart shows the release trigger as the samples have it: a range where it is sampled.

Session 61: ``embargo_2010``'s ``uncertain:`` block samples ``agreement.trigger.commercial_days_below`` from 5 to 30
days, and the fan chart drew the trigger as one dotted line at the 15 days written: a reader took it as fixed. It now
draws a light band over the range the block gives, named in the legend and in the report's caption, behind the
line; where the trigger is not sampled, no band (the PNG is then byte for byte the old one: checked with ``cmp``
against main's ``stockpile run ... --uncertainty 20 --set agreement.trigger.commercial_days_below=15``).
The range is read here from the scenario's YAML, not from the code's own reading of it.
"""

from __future__ import annotations

import copy
import functools

import numpy as np
import pytest
import yaml
from matplotlib.colors import to_rgb

from simulator.engine import simulate
from simulator.palette import TRIGGER_COLOUR
from simulator.plots import trigger_lines
from simulator.report.uncertainty import uncertainty_section
from simulator.scenario import load_raw, validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import fan_chart, own_curves, run_uncertainty
from tests.helpers import ROOT, shipped_group

SCENARIO = ROOT / "scenarios" / "embargo_2010.yaml"
TRIGGER = "agreement.trigger.commercial_days_below"
SAMPLES = 2
"""Enough for a fan chart: the band over the trigger's range does not depend on the samples drawn."""


def declared_range() -> tuple[float, float]:
    """The trigger's range as the scenario's YAML writes it (5 and 30 days)."""
    entries = yaml.safe_load(SCENARIO.read_text())["uncertain"]
    (entry,) = [e for e in entries if e["path"] == TRIGGER]
    return float(entry["low"]), float(entry["high"])


@functools.cache
def drawn(sampled: bool):
    """The run, its samples (the trigger sampled, or every other input only) and the days-of-cover fan chart."""
    raw = load_raw(SCENARIO)
    scenario = validate_data(copy.deepcopy(raw), "embargo_2010")
    paths = [e["path"] for e in raw["uncertain"]]
    only = paths if sampled else [p for p in paths if p != TRIGGER]
    found = run_uncertainty(plan_study(copy.deepcopy(raw), "embargo_2010.yaml", only=only, fixed=()), SAMPLES)
    result = simulate(scenario)
    own = own_curves(result.timeseries, list(result.structure.regions), list(result.structure.materials))
    fig = fan_chart(found, own, "days_of_cover", scenario, triggers=trigger_lines(result))
    return result, found, fig


def trigger_bands(ax) -> list[tuple[float, float, float, float]]:
    """Each patch of ``ax`` in the trigger's colour: (left, right) in axes fraction, (low, high) in days."""
    bands = []
    for patch in ax.patches:
        if np.allclose(to_rgb(patch.get_facecolor()), to_rgb(TRIGGER_COLOUR)):
            box = patch.get_path().transformed(patch.get_transform()).get_extents()
            (left, _), (right, _) = ax.transAxes.inverted().transform([[box.x0, box.y0], [box.x1, box.y1]])
            (_, low), (_, high) = ax.transData.inverted().transform([[box.x0, box.y0], [box.x1, box.y1]])
            bands.append((left, right, low, high))
    return bands


def trigger_panels(fig) -> list:
    """The panels that draw the trigger's dotted line (its label beside it: ``trigger 15 days``)."""
    return [ax for ax in fig.axes if ax.get_visible() and any("trigger" in t.get_text() for t in ax.texts)]


@shipped_group("embargo_2010")
def test_a_sampled_trigger_is_a_band_over_the_declared_range_behind_its_line():
    _, _, fig = drawn(sampled=True)
    low, high = declared_range()
    assert (low, high) == (5.0, 30.0)
    panels = trigger_panels(fig)
    assert len(panels) == 4  # Japan and the EU, light and heavy rare earths: the line on each
    for ax in panels:
        ((left, right, band_low, band_high),) = trigger_bands(ax)
        assert (left, right) == pytest.approx((0.0, 1.0))  # across the panel, as the line
        assert (band_low, band_high) == pytest.approx((low, high))
        assert ax.get_ylim()[1] >= high  # the whole range in view
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert any("as sampled: 5 to 30 days" in text for text in legend)


@shipped_group("embargo_2010")
def test_a_trigger_not_sampled_has_no_band_and_keeps_its_line():
    _, found, fig = drawn(sampled=False)
    assert TRIGGER not in [item.path for item in found.study.inputs]
    panels = trigger_panels(fig)
    assert len(panels) == 4
    assert all(trigger_bands(ax) == [] for ax in panels)
    assert not any("as sampled" in t.get_text() for t in fig.legends[0].get_texts())


@shipped_group("embargo_2010")
def test_the_report_caption_says_what_the_band_and_the_line_are_only_where_the_trigger_is_sampled():
    result, found, _ = drawn(sampled=True)
    caption = uncertainty_section(result, found, figures=False).split('data-figure="fan_days_of_cover"')[1]
    caption = caption.split("</figcaption>")[0]
    assert "Dotted line: the release trigger as written, 15 days" in caption
    assert "the range the samples draw the trigger from, 5 to 30 days" in caption
    result, found, _ = drawn(sampled=False)
    caption = uncertainty_section(result, found, figures=False).split('data-figure="fan_days_of_cover"')[1]
    assert "release trigger" not in caption.split("</figcaption>")[0]
