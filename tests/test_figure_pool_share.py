"""Days of cover as the report defines it, and the pool share a member owns but may not draw.

In ``embargo_2010`` (hybrid rule) no member may draw the joint pool on any day
(``drawable_shared_t`` 0): the EU's cover falls to 1.6 days of heavy rare earths although
it owns 30 t of the heavy pool, 60 days of its 0.5 t a day. The figure draws that share as
a thin dotted line, and the report defines days of cover one way, as the caption does.
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from simulator.plots import POOL_SHARE_LABEL, days_of_cover_figure, pool_share_days
from tests.helpers import ONE_REGION, run, series, shipped_cover_figure, shipped_group, shipped_report, shipped_result

pytestmark = shipped_group("embargo_2010")


def pool_lines(fig) -> dict[tuple[str, str], np.ndarray]:
    """(panel title, legend label) -> y values of the dotted pool-share lines."""
    return {
        (ax.get_title(), line.get_label()): np.asarray(line.get_ydata(), float)
        for ax in fig.axes
        for line in ax.get_lines()
        if line.get_label().endswith(POOL_SHARE_LABEL)
    }


def test_each_members_pool_share_is_drawn_in_days_of_its_baseline_demand():
    result = shipped_result("embargo_2010")
    lines = pool_lines(days_of_cover_figure(result))
    assert set(lines) == {
        (panel, f"{region}: {POOL_SHARE_LABEL}")
        for panel in ("Light rare earths", "Heavy rare earths")
        for region in ("Japan", "EU")
    }
    eu_heavy = lines["Heavy rare earths", f"EU: {POOL_SHARE_LABEL}"]
    # the CSV's columns: 30 t owned / 0.5 t a day = 60 days, every day; none of it drawable
    share = series(result, "pool_share_t", "eu", "heavy_ree")
    demand = series(result, "baseline_demand_t", "eu", "heavy_ree")
    assert (series(result, "drawable_shared_t", "eu", "heavy_ree") == 0).all()
    assert (share == 30.0).all() and (demand == 0.5).all()
    np.testing.assert_allclose(eu_heavy, 60.0)
    assert len(eu_heavy) == result.scenario.horizon_days
    # while its drawable cover is far below it: its lowest commercial stock over its 0.5 t a day, the verdict's
    # 1.6 days (tests/test_report_answers.py ties that number to the sentence)
    assert series(result, "days_of_cover", "eu", "heavy_ree").min() == pytest.approx(1.6, abs=0.05)
    japan_light = lines["Light rare earths", f"Japan: {POOL_SHARE_LABEL}"]
    np.testing.assert_allclose(japan_light, 4596.0 / 76.6)


def test_the_lines_are_thin_dotted_and_interleave_where_they_coincide():
    fig = shipped_cover_figure("embargo_2010")
    ax = next(a for a in fig.axes if a.get_title() == "Heavy rare earths")
    dotted = [line for line in ax.get_lines() if line.get_label().endswith(POOL_SHARE_LABEL)]
    curves = [line for line in ax.get_lines() if line.get_label() in ("Japan", "EU")]
    assert all(line.get_linewidth() < min(c.get_linewidth() for c in curves) for line in dotted)
    offsets = [line._unscaled_dash_pattern[0] for line in dotted]  # the same value: dots one after the other
    assert len(set(offsets)) == 2
    assert any("not drawable" in t.get_text() for t in ax.texts)


def test_no_line_without_a_pool():
    result = run(ONE_REGION)
    assert pool_share_days(result, "japan", result.structure.materials[0]) is None
    assert not pool_lines(days_of_cover_figure(result))


def test_the_report_defines_days_of_cover_once_as_drawable_and_names_the_dotted_lines():
    html = shipped_report("embargo_2010")  # render_report(shipped_result, alone=shipped_alone), made once
    footer = re.search(r"<footer>.*?</footer>", html, re.S).group(0)
    caption = re.search(r'data-figure="days_of_cover".*?<figcaption[^>]*>(.*?)</figcaption>', html, re.S).group(1)
    drawable = "the shared stock the rule would let the region draw that day"
    assert drawable in footer and drawable in caption
    assert "strategic stock available" not in html
    assert "Thin dotted lines in a region's colour (Japan and the EU)" in caption


def test_a_pool_share_on_a_target_line_replaces_it_and_its_label_says_so():
    """Every member owns 60 days of the pool in embargo_2010: the dotted lines lie on the 60-day target line.

    Drawn both, the dashed 60-day line and the dotted shares are one line with two names; the
    60-day line is left out there and the shares' label gives their value instead.
    """
    fig = shipped_cover_figure("embargo_2010")
    for ax in fig.axes:
        dotted = [line for line in ax.get_lines() if line.get_label().endswith(POOL_SHARE_LABEL)]
        if not dotted:
            continue
        values = np.concatenate([np.asarray(line.get_ydata(), float) for line in dotted])
        np.testing.assert_allclose(values, 60.0)  # the EU's 30 t at 0.5 t a day; Japan's 4,596 t at 76.6 t
        dashed = [
            float(np.asarray(line.get_ydata(), float)[0])
            for line in ax.get_lines()
            if line.get_color() == "0.45"  # the target lines' grey
        ]
        assert dashed == [30.0]  # the 30-day target only: none under the dotted shares
        texts = [t.get_text() for t in ax.texts]
        assert "own pool shares = 60 days, not drawable under the rule" in texts
        assert "60 days" not in texts and "30 days" in texts
    labels = fig.legends[0].get_texts() if fig.legends else []
    assert "30 days of normal demand, for reference" in [t.get_text() for t in labels]


def test_a_single_share_on_the_target_line_is_named_in_the_singular():
    # the EU contributes 45 days of heavy rare earths instead of 60: only Japan's share (102 t at 1.7 t a
    # day, 60 days) lies on the 60-day line, which it replaces; the EU's lies at 45 days, apart
    from pathlib import Path

    import yaml

    from simulator.engine import simulate
    from simulator.scenario import validate_data

    data = yaml.safe_load(Path("scenarios/embargo_2010.yaml").read_text())
    data["agreement"]["pool"]["contributions"]["eu"]["heavy_ree"]["days"] = 45
    fig = days_of_cover_figure(simulate(validate_data(data, "embargo_2010.yaml")))
    ax = next(a for a in fig.axes if a.get_title() == "Heavy rare earths")
    shares = {line.get_label(): np.asarray(line.get_ydata(), float) for line in ax.get_lines()}
    np.testing.assert_allclose(shares[f"Japan: {POOL_SHARE_LABEL}"], 60.0)
    np.testing.assert_allclose(shares[f"EU: {POOL_SHARE_LABEL}"], 45.0)
    texts = [t.get_text() for t in ax.texts]
    assert "own pool share = 60 days, not drawable under the rule" in texts
    assert [float(line.get_ydata()[0]) for line in ax.get_lines() if line.get_color() == "0.45"] == [30.0]
