"""Sweep figures decide on what they plot, keep their labels inside the axes, and plot-sweep says what it drew.

Tables are made by hand: every per-point mean, median and band below is worked out from
the rows written here.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text

from simulator.sweep.figures import frontier_figure, heatmap_figure, metrics_figure, pool_frontier_figure
from tests.helpers import invoke, manifest_of

RATIO, DAYS = "agreement.ratio.japan", "agreement.pool.contributions.japan.ree.days"
MEMBERS = ["japan", "eu"]


def noisy(points: list[tuple[float, float]], runs: list[float]) -> pd.DataFrame:
    """A 2-axis sweep table: at every point the same runs, ``total_shortfall_t`` = 30 + the run's noise.

    The total varies from run to run (10 + 30 ... 50 + 30) but its mean, median and band are
    the same at every point. Fairness, japan and eu vary from point to point.
    """
    rows = []
    for point, (ratio, days) in enumerate(points):
        for run, noise in enumerate(runs):
            rows.append(
                {
                    RATIO: ratio,
                    DAYS: days,
                    "point": point,
                    "run": run,
                    "seed": run,
                    "total_shortfall_t": 30.0 + noise,
                    "fairness_jain": 0.6 + 0.1 * point,
                    "shortfall_t.japan": float(point),
                    "shortfall_t.eu": 30.0 + noise - point,
                }
            )
    return pd.DataFrame(rows)


RUNS = [10.0, -10.0, 0.0, 20.0, -20.0]  # mean 0: the total's mean is 30 at every point
GRID = [(r, d) for d in (60, 120) for r in (0.2, 0.8)]


def sentences(fig) -> dict[str, str]:
    """Panel title -> the words it shows instead of a plot (panels that plot show none)."""
    return {
        ax.get_title().replace("\n", " "): " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
        for ax in fig.axes
        if ax.texts
    }


def test_a_heatmap_panel_whose_median_is_the_same_at_every_point_says_so_though_runs_differ():
    table = noisy(GRID, RUNS)
    fig = heatmap_figure(table, RATIO, DAYS, MEMBERS)
    # median of 40, 20, 30, 50, 10 = 30 at each of the 4 points: the panel would be one colour
    assert sentences(fig) == {"Total shortfall (t), median over runs": "Total shortfall (t): median 30 at every point"}
    assert len(fig.axes) == 4 + 3  # three colour bars: fairness, japan, eu vary from point to point


def test_a_metrics_panel_whose_median_and_band_are_the_same_at_every_point_says_so():
    table = noisy(GRID[:2], RUNS)  # one swept path: ratio 0.2, 0.8 at 60 days
    fig = metrics_figure(table.drop(columns=DAYS), RATIO, MEMBERS)
    # runs 10, -10, 0, 20, -20 -> totals 40, 20, 30, 50, 10: median 30; 5% and 95% by linear
    # interpolation of 10, 20, 30, 40, 50 at positions 0.2 and 3.8: 12 and 48
    assert sentences(fig) == {
        "Total shortfall (t)": "Total shortfall (t): median 30 at every point (5-95% of runs: 12 to 48)"
    }
    shifted = table.assign(total_shortfall_t=table["total_shortfall_t"] + table["point"])  # the median moves
    assert "Total shortfall (t)" not in sentences(metrics_figure(shifted.drop(columns=DAYS), RATIO, MEMBERS))


def test_a_heatmap_whose_every_median_is_the_same_at_every_point_shows_every_median_in_words():
    table = noisy(GRID, RUNS).assign(fairness_jain=0.9, **{"shortfall_t.japan": 0.0})
    table["shortfall_t.eu"] = table["total_shortfall_t"]
    fig = heatmap_figure(table, RATIO, DAYS, MEMBERS)
    assert sentences(fig) == {
        "Total shortfall (t), median over runs": "Total shortfall (t): median 30 at every point",
        # no shortfall_share columns in this table: every run is summarised, and the title says so
        "Fairness (Jain's index), median over all runs (1 where none is short)": (
            "Fairness (Jain's index): 0.9 at every point"
        ),
        "Shortfall, Japan (t), median over runs": "Shortfall, Japan (t): 0 at every point",
        "Shortfall, EU (t), median over runs": "Shortfall, EU (t): median 30 at every point",
    }
    assert len(fig.axes) == 4  # no colour bar: no scale of a single value


def drawn(fig):
    """The figure drawn by the Agg renderer, as it is saved: every text where it ends up."""
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    return canvas.get_renderer()


def labels_of(fig) -> list:
    return [t for t in fig.axes[0].texts if t.get_text()]


def assert_labels_inside_apart_and_beside_their_dots(fig, dots: list[tuple[float, float]]) -> None:
    """Every label inside the axes, none over another, none nearer to another dot than to its own or led to it."""
    renderer = drawn(fig)
    ax = fig.axes[0]
    frame = ax.get_window_extent(renderer)
    boxes = [Text.get_window_extent(t, renderer) for t in labels_of(fig)]  # the words, not the leader line
    for text, box in zip(labels_of(fig), boxes, strict=True):
        assert frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1, (
            text.get_text(),
            box,
            frame,
        )
    for i, a in enumerate(boxes):
        assert not any(a.overlaps(b) for b in boxes[i + 1 :]), labels_of(fig)[i].get_text()
    pixels = ax.transData.transform(np.array(dots, float))
    for text, box in zip(labels_of(fig), boxes, strict=True):
        own = ax.transData.transform(text.xy)
        distance = [np.hypot(np.clip(x, box.x0, box.x1) - x, np.clip(y, box.y0, box.y1) - y) for x, y in pixels]
        mine = np.hypot(np.clip(own[0], box.x0, box.x1) - own[0], np.clip(own[1], box.y0, box.y1) - own[1])
        others = [d for d, p in zip(distance, pixels, strict=True) if np.hypot(*(p - own)) > 3]
        led = text.arrow_patch is not None
        assert led or (mine < min(others, default=np.inf) and mine < 12), text.get_text()


def test_eleven_nearly_coincident_points_share_one_label_inside_the_axes():
    # ratio 0..1 in steps of 0.1: the same total 7111.33, fairness 0.62630 down to 0.62543 (less
    # than a point apart on an axis from 0.485 to 1.015): one dot, at 90% of the x axis
    ratios = [round(0.1 * i, 1) for i in range(11)]
    table = pd.DataFrame(
        {
            RATIO: ratios,
            "point": range(11),
            "run": 0,
            "seed": 0,
            "total_shortfall_t": 7111.33,
            "fairness_jain": [0.626296 - 0.0000871 * i for i in range(11)],
        }
    )
    fig = frontier_figure(table, [RATIO], MEMBERS)
    # only ratio 0 is efficient (the same total, the fairest): its label first, the ten dominated others "alike"
    # among themselves (not counted in the efficient dot's label: they are drawn hollow)
    assert [t.get_text() for t in labels_of(fig)] == ["0", "0.1 (+9 alike)"]
    assert_labels_inside_apart_and_beside_their_dots(
        fig, list(zip(table["total_shortfall_t"], table["fairness_jain"], strict=True))
    )


def test_pool_frontier_labels_stay_inside_and_do_not_lean_on_the_next_dot():
    # 5 stock sizes x 5 ratios: the ratio changes nothing, so each stock size is one dot of 5 alike;
    # 60 days: cost 5.5, shortfall 7111; from 120 days on the shortfall is 5925 and the cost rises
    # to 17.9 at the right edge, the dots 3.35 apart, less than a label's width
    rows = []
    for d, (days, cost, total) in enumerate(
        [(60, 5.55, 7111.0), (120, 7.9, 5925.0), (180, 11.25, 5925.0), (240, 14.6, 5925.0), (300, 17.9, 5925.0)]
    ):
        for r, ratio in enumerate((0.1, 0.3, 0.5, 0.7, 0.9)):
            rows.append(
                {
                    DAYS: days,
                    RATIO: ratio,
                    "point": 5 * d + r,
                    "run": 0,
                    "seed": 0,
                    "total_shortfall_t": total,
                    "fairness_jain": 0.6,
                    "holding_cost_usd.japan": cost * 1e6,
                    "holding_cost_usd.eu": 0.0,
                }
            )
    table = pd.DataFrame(rows)
    fig = pool_frontier_figure(table, [DAYS, RATIO], MEMBERS)
    assert sorted(t.get_text() for t in labels_of(fig)) == [f"{d} / 0.1 (+4 alike)" for d in (120, 180, 240, 300, 60)]
    dots = [(5.55, 7111.0)] + [(cost, 5925.0) for cost in (7.9, 11.25, 14.6, 17.9)]
    assert_labels_inside_apart_and_beside_their_dots(fig, dots)


def test_a_frontier_of_a_crowded_corner_keeps_every_label_inside():
    # 12 points on a short diagonal in the lower right corner, each about 6 pt from the next
    # (twice the 3 pt at which dots share a label): 12 labels, which must stack beside their
    # dots, not run below the axes
    table = pd.DataFrame(
        {
            RATIO: [round(0.05 * i, 2) for i in range(12)],
            "point": range(12),
            "run": 0,
            "seed": 0,
            "total_shortfall_t": [1000.0 - 8 * i for i in range(12)],
            "fairness_jain": [0.5 + 0.008 * i for i in range(12)],
        }
    )
    fig = frontier_figure(table, [RATIO], MEMBERS)
    assert sorted(t.get_text() for t in labels_of(fig)) == sorted(f"{0.05 * i:g}" for i in range(12))
    assert_labels_inside_apart_and_beside_their_dots(
        fig, list(zip(table["total_shortfall_t"], table["fairness_jain"], strict=True))
    )


def two_points(path: str, values: tuple[float, float], **metrics) -> pd.DataFrame:
    """A 1-axis sweep table of two points (``path`` at ``values``) x two runs, with ``metrics`` as columns."""
    keys = {path: np.repeat(values, 2), "point": [0, 0, 1, 1], "run": [0, 1, 0, 1], "seed": [0, 1, 0, 1]}
    return pd.DataFrame({**keys, **metrics})


def write_sweep(folder, table: pd.DataFrame, grid: dict) -> None:
    folder.mkdir()
    table.to_parquet(folder / "sweep.parquet")
    (folder / "sweep.json").write_text(json.dumps({"grid": grid, "members": MEMBERS}))


def test_plot_sweep_says_why_it_drew_no_figure(tmp_path):
    # one swept path, every key metric 0 or 1 at every run: no metrics figure, no frontier
    table = two_points(RATIO, (0.2, 0.8), total_shortfall_t=0.0, fairness_jain=1.0)
    write_sweep(tmp_path / "flat", table, {RATIO: [0.2, 0.8]})
    result = invoke("plot-sweep", tmp_path / "flat")
    assert result.exit_code == 0
    assert result.stdout == ""
    assert (
        "note: sweep_metrics.png not drawn: every key metric is the same at every point (Total shortfall (t): 0 "
        "at every point; Fairness (Jain's index): 1 at every point)" in result.stderr
    )
    assert "note: sweep_frontier.png not drawn: every point has the same" in result.stderr
    assert f"no figure drawn in {tmp_path / 'flat'}" in result.stderr
    assert not list((tmp_path / "flat").glob("*.png"))


def test_no_frontier_when_the_runs_differ_but_every_point_has_the_same_medians(tmp_path):
    # runs of 10 and 30 t at both points (medians 20 t), fairness 0.5 and 0.7 (medians 0.6):
    # the frontier's dots, one per point at its medians, would be one dot
    table = two_points(RATIO, (0.2, 0.8), total_shortfall_t=[10.0, 30.0] * 2, fairness_jain=[0.5, 0.7] * 2)
    write_sweep(tmp_path / "same", table, {RATIO: [0.2, 0.8]})
    result = invoke("plot-sweep", tmp_path / "same")
    assert result.exit_code == 0
    assert (
        "note: sweep_frontier.png not drawn: every point has the same Total shortfall (t) and Fairness (Jain's "
        "index) (medians over its runs)" in result.stderr
    )
    assert not (tmp_path / "same" / "sweep_frontier.png").exists()


def test_plot_sweep_names_the_figure_it_wrote_and_says_why_not_the_others(tmp_path):
    # a larger stock costs more and changes no key metric: only the pool frontier has something to show
    costs = {"holding_cost_usd.japan": [1e6, 1e6, 2e6, 2e6]}
    table = two_points(DAYS, (60, 120), total_shortfall_t=5.0, fairness_jain=1.0, **costs)
    write_sweep(tmp_path / "s", table, {DAYS: [60, 120]})
    result = invoke("plot-sweep", tmp_path / "s")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [f"wrote {tmp_path / 's' / 'sweep_pool_frontier.png'}"]
    assert "note: sweep_metrics.png not drawn: every key metric is the same at every point" in result.stderr
    assert "note: sweep_frontier.png not drawn: every point has the same Total shortfall (t)" in result.stderr
    assert "no figure drawn" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "s").glob("*.png")) == ["sweep_pool_frontier.png"]


def test_plot_sweep_removes_a_figure_it_no_longer_draws_and_keeps_the_rest(tmp_path):
    # a metrics figure drawn once; the table then says every key metric is flat: redrawn,
    # the old figure goes (a stale PNG would contradict the note), the table and json stay
    folder = tmp_path / "s"
    varying = two_points(RATIO, (0.2, 0.8), total_shortfall_t=[1.0, 2.0, 3.0, 4.0], fairness_jain=1.0)
    write_sweep(folder, varying, {RATIO: [0.2, 0.8]})
    assert invoke("plot-sweep", folder).exit_code == 0
    manifest = manifest_of(folder)
    assert "sweep_metrics.png" in manifest["files"] and (folder / "sweep_metrics.png").is_file()
    varying.assign(total_shortfall_t=0.0).to_parquet(folder / "sweep.parquet")
    (folder / "notes.txt").write_text("mine")  # not the tool's: never touched
    result = invoke("plot-sweep", folder)
    assert result.exit_code == 0 and "no figure drawn" in result.stderr
    assert not (folder / "sweep_metrics.png").exists()
    assert "sweep_metrics.png" not in manifest_of(folder)["files"]
    assert (folder / "sweep.parquet").is_file() and (folder / "notes.txt").read_text() == "mine"
