"""The release lanes read each member's rules from the timeseries once, not once per lane (session 59)."""

from __future__ import annotations

import simulator.plots.releases as releases
from simulator.plots import days_of_cover_figure
from tests.helpers import TWO_MEMBERS, build, run, shipped_group, shipped_result

POOL = {"japan": {"ree": {"tonnes": 300}}, "eu": {"ree": {"tonnes": 300}}}
"""tests/test_cover_lanes_s58.py's pool: both members receive ree under the fair ratio from day 0 to day 6."""


@shipped_group("long_embargo_6m")  # run once per process, with the other tests that read it
def test_each_members_rules_are_those_its_timeseries_rows_name():
    # long_embargo_6m: the EU receives under the fair ratio and, for 35 days of heavy rare earths, bought at auction
    # (tests/test_cover_lanes_s58.py), counted here from timeseries.csv's rows with released_joint_t above 0
    result = shipped_result("long_embargo_6m")
    series = result.timeseries
    got = series[(series["released_joint_t"] > 0) & (series["release_rule"] != "")]
    counted = {region: set(rows["release_rule"]) for region, rows in got.groupby("region")}
    assert counted["eu"] == {"fair_ratio", "auction"}
    assert releases.FigureReleases.of_run(result).members_rules == counted


def test_a_days_of_cover_figure_reads_each_materials_received_days_once(monkeypatch):
    result = run(build(TWO_MEMBERS, agreement__pool__contributions=POOL))
    calls = []
    read = releases._received_days

    def counted(result, material):
        calls.append(material)
        return read(result, material)

    monkeypatch.setattr(releases, "_received_days", counted)
    fig = days_of_cover_figure(result)
    # one material, two lanes: its days read once for the figure, for the lanes held, the order of the rules and
    # the panel's bars alike (three reads before session 60)
    assert calls == ["ree"]
    # and the lanes are still drawn: both members received ree from day 0 to day 6, one legend entry each
    _, labels = fig.axes[0].get_legend_handles_labels()
    assert sum(label.startswith("released (fair ratio) to ") for label in labels) == 2
