"""`stockpile compare`'s row `no agreement`: the same scenario without its agreement (audit: what is the pool worth).

SMALL is TWO_MEMBERS over 10 days, Japan needing 1 t a day and the EU 2 t, with no stock
and China's embargo on both the whole time. Without the agreement nothing else supplies
them: Japan is short 10 x 1 = 10 t, the EU 10 x 2 = 20 t, both from day 0. With it, the
60 t pool split 50:50 by the fair ratio gives each member 30 t, more than either needs
(10 t, 20 t): nobody is short and 60 - 30 = 30 t are left in the pool.

The second row, `own shares alone`, is the same scenario without the agreement, each
member holding its pool contribution as its own reserve (the report's own-share run): in
SMALL each holds 30 t, more than it needs, so neither is short. In LOPSIDED only Japan
contributes, 6 t, which under the fair ratio the EU draws too; held alone, Japan covers
its own first 6 days (1 t a day) and is short 10 - 6 = 4 t from day 6, while the EU,
with nothing of its own, is short all 20 t from day 0: 24 t in all, against 30 t
without the agreement.
"""

from __future__ import annotations

import csv
import json
import math

import pandas as pd
import pytest
import yaml

import simulator.api as api
from simulator.compare import BASELINE, OWN_SHARES, compare, parse_mechanisms, unlike_totals
from simulator.counterfactuals import own_share_scenario
from simulator.errors import InputError
from simulator.palette import BASELINE_COLOUR
from simulator.plots import compare_figure
from tests.helpers import ROOT, TWO_MEMBERS, build, invoke

SMALL = build(
    TWO_MEMBERS,
    horizon_days=10,
    regions__japan__demand__ree={"tonnes_per_day": 1},
    regions__eu__demand__ree={"tonnes_per_day": 2},
)
LOPSIDED = build(SMALL, agreement__pool__contributions={"japan": {"ree": {"tonnes": 6}}})
WITH_KOREA = build(
    SMALL,
    regions__korea={
        "demand": {"ree": {"tonnes_per_day": 5}},
        "commercial_stock": {"ree": {"tonnes": 10}},
        "sourcing": {"ree": {"china": 1.0}},
    },
    suppliers__china__lead_time_days__korea=5,
    shocks=[{**TWO_MEMBERS["shocks"][0], "regions": ["japan", "eu", "korea"]}],
)
"""SMALL and Korea, outside the agreement: 5 t a day, 10 t of stock, halted with the members (40 t short)."""
POOL_ONLY = (
    "draw_contribution_gap",
    "envious_members",
    "unused_release_t",
    "pool_end_t",
    *(
        f"{name}.{m}"
        for name in ("auction_spend_usd", "draw_to_contribution", "net_position_usd")
        for m in ("japan", "eu")
    ),
)


def _write(tmp_path, data):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_the_baseline_row_is_the_members_shortfall_without_the_pool():
    table = compare(SMALL, ["fair_ratio"], "s.yaml").table().set_index("mechanism")
    assert list(table.index) == [BASELINE, OWN_SHARES, "fair_ratio"]  # the baselines first, read against each rule
    without, fair = table.loc[BASELINE], table.loc["fair_ratio"]
    assert (without["shortfall_t.japan"], without["shortfall_t.eu"]) == (pytest.approx(10), pytest.approx(20))
    assert without["total_shortfall_t"] == pytest.approx(30)
    assert (without["shortfall_share.japan"], without["shortfall_share.eu"]) == (1.0, 1.0)
    assert (without["first_shortfall_day.japan"], without["first_shortfall_day.eu"]) == (0, 0)
    assert (fair["shortfall_t.eu"], fair["total_shortfall_t"], fair["pool_end_t"]) == (0, 0, pytest.approx(30))
    # empty, not 0: there is no pool to draw from or to pay into
    assert all(pd.isna(without[column]) for column in POOL_ONLY), without[list(POOL_ONLY)]
    # but the burden among members is there: each is short of all its demand, an equal share
    assert (without["fairness_jain"], without["max_shortfall_share_gap"]) == (1.0, 0.0)
    # each member's 30 t held alone covers its 10 t or 20 t: nobody is short
    apart = table.loc[OWN_SHARES]
    assert (apart["shortfall_t.japan"], apart["shortfall_t.eu"], apart["total_shortfall_t"]) == (0, 0, 0)
    assert all(pd.isna(apart[column]) for column in POOL_ONLY), apart[list(POOL_ONLY)]
    assert (apart["fairness_jain"], apart["max_shortfall_share_gap"]) == (1.0, 0.0)  # no burden counts as equal
    assert str(table["envious_members"].dtype) == "Int64"  # the empty cell keeps the rules' counts whole
    assert compare(SMALL, ["fair_ratio"], "s.yaml", baseline=False).table()["mechanism"].tolist() == ["fair_ratio"]


def test_its_total_and_fairness_count_the_members_only():
    """A third region outside the agreement, 5 t a day with 10 t of stock, is short 40 t of its 50 t.

    Not in the members' total (30 t, not 70 t), nor in their fairness: both members are short
    of all they need (shares 1 and 1: Jain 1, gap 0), where over all three regions the shares
    1, 1 and 0.8 give 2.8^2 / (3 x 2.64) = 0.990 and a gap of 0.2.
    """
    comparison = compare(WITH_KOREA, ["fair_ratio"], "s.yaml")
    table = comparison.table().set_index("mechanism")
    assert table.loc[BASELINE, "total_shortfall_t"] == pytest.approx(30)
    assert table.loc[OWN_SHARES, "total_shortfall_t"] == 0  # Korea's 40 t are not counted here either
    assert "shortfall_t.korea" not in table.columns
    for row in (BASELINE, OWN_SHARES):
        assert (table.loc[row, "fairness_jain"], table.loc[row, "max_shortfall_share_gap"]) == (1.0, 0.0), row
    everyone = comparison.baseline.metrics  # the run's own, over all regions
    assert everyone["shortfall_t.korea"] == pytest.approx(40)
    assert everyone["fairness_jain"] == pytest.approx(2.8**2 / (3 * 2.64))
    assert everyone["max_shortfall_share_gap"] == pytest.approx(0.2)


def member_columns(table: pd.DataFrame) -> list[str]:
    """The per-member columns a baseline row fills (shortfall, share, first day short, market); two members or more."""
    assert sum(c.startswith("shortfall_t.") for c in table.columns) >= 2
    kinds = ("shortfall_t", "shortfall_share", "first_shortfall_day", "peak_price_usd_per_kg", "crisis_extra_cost_usd")
    return [c for c in table.columns if c.partition(".")[0] in kinds]


def test_the_baseline_row_is_a_run_with_the_agreement_set_to_null():
    """On a shipped world with a market: every member's shortfall, share, first day short and market cells."""
    path = ROOT / "scenarios" / "china_2025_licensing.yaml"
    table = api.compare(path, "fair_ratio").set_index("mechanism")
    alone = api.run(path, set={"agreement": None})
    checked = member_columns(table)
    members = [c.partition(".")[2] for c in table.columns if c.startswith("shortfall_t.") and c.count(".") == 1]
    assert any(c.startswith("peak_price_usd_per_kg.") for c in checked)
    for column in checked:
        got, expected = table.loc[BASELINE, column], alone.metrics[column]
        assert (pd.isna(got) and pd.isna(expected)) or got == pytest.approx(expected), column
    assert table.loc[BASELINE, "total_shortfall_t"] == pytest.approx(
        sum(alone.metrics[f"shortfall_t.{m}"] for m in members)
    )
    assert table.loc[BASELINE, "total_shortfall_t"] > table.loc["fair_ratio", "total_shortfall_t"]


def test_a_scenario_without_an_agreement_is_still_refused(tmp_path):
    """No agreement: nothing to compare, and no lone baseline row either."""
    with pytest.raises(InputError, match="no agreement: nothing to compare"):
        compare(build(SMALL, agreement=None), ["fair_ratio"], "s.yaml")
    result = invoke("compare", _write(tmp_path, SMALL), "--set", "agreement=null", "-o", tmp_path / "c")
    assert result.exit_code == 2 and "no agreement" in result.output
    assert not (tmp_path / "c" / "compare.csv").exists()


def test_the_command_writes_prints_and_can_leave_out_the_baseline(tmp_path):
    out = tmp_path / "cmp"
    result = invoke("compare", _write(tmp_path, SMALL), "--mechanisms", "fair_ratio", "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    with (out / "compare.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert [row["mechanism"] for row in rows] == [BASELINE, OWN_SHARES, "fair_ratio"]
    assert float(rows[0]["shortfall_t.eu"]) == 20 and rows[0]["first_shortfall_day.eu"] == "0"
    assert rows[0]["pool_end_t"] == rows[0]["envious_members"] == ""
    assert (rows[0]["fairness_jain"], rows[0]["max_shortfall_share_gap"]) == ("1.0", "0.0")  # both short of all
    assert json.loads((out / "manifest.json").read_text())["baseline"] is True
    lines = result.output.splitlines()
    assert "NaN" not in result.output and "<NA>" not in result.output
    # tonnes to 0.1 t, the first day short (day 0: SMALL has no start date), the pool's metrics "no pool" (s65)
    assert lines[1].split() == [*BASELINE.split(), "30.0", "day", "0", "1.000", "0.000", "no", "pool", "no", "pool"]
    # nobody is short with the shares held alone: no burden to share, its 1 (kept in compare.csv) not shown
    assert lines[2].split() == [
        *OWN_SHARES.split(),
        "0.0",
        "never",
        "none",
        "short",
        "0.000",
        "no",
        "pool",
        "no",
        "pool",
    ]
    assert lines[3].split()[:5] == ["fair_ratio", "0.0", "never", "none", "short"]
    assert lines[4].startswith(f"{BASELINE}: the same scenario without the agreement (as --set agreement=null)")
    assert lines[5].startswith(f"{OWN_SHARES}: without the agreement, each member's pool contribution added to its own")

    again = invoke(
        "compare",
        _write(tmp_path, SMALL),
        "--mechanisms",
        "fair_ratio",
        "--no-baseline",
        "--no-plots",
        "-o",
        out,
        "--force",
    )
    assert again.exit_code == 0, again.output
    with (out / "compare.csv").open() as f:
        assert [row["mechanism"] for row in csv.DictReader(f)] == ["fair_ratio"]
    assert BASELINE not in again.output and OWN_SHARES not in again.output
    assert json.loads((out / "manifest.json").read_text())["baseline"] is False


def test_naming_the_baseline_as_a_rule_says_how_to_get_it():
    with pytest.raises(InputError, match="compared by default, not named here"):
        parse_mechanisms("fair_ratio,no_agreement")
    with pytest.raises(InputError, match="compared by default, not named here"):
        parse_mechanisms("own_shares_alone")


def test_the_figure_draws_the_baselines_grey_dashed_and_dotted_and_says_what_they_are():
    """LOPSIDED: Japan is short 10 t without the agreement (dashed), 4 t with its 6 t alone (dotted)."""
    comparison = compare(LOPSIDED, ["fair_ratio", "proportional_to_demand"], "s.yaml")
    fig = compare_figure(comparison.results, comparison.skipped, comparison.baselines)
    japan = next(ax for ax in fig.axes if ax.get_title() == "Japan, rare earths")
    dashed = [line for line in japan.get_lines() if line.get_linestyle() == "--"]
    dotted = [line for line in japan.get_lines() if line.get_linestyle() == ":"]
    assert len(dashed) == len(dotted) == 1
    assert dashed[0].get_color() == dotted[0].get_color() == BASELINE_COLOUR
    assert dashed[0].get_label() == f"{BASELINE} (baseline)" and dotted[0].get_label() == f"{OWN_SHARES} (baseline)"
    assert (dashed[0].get_ydata()[-1], dotted[0].get_ydata()[-1]) == (pytest.approx(10), pytest.approx(4))
    assert len(japan.get_lines()) == 4  # and one line per rule
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend[:2] == [f"{BASELINE} (baseline)", f"{OWN_SHARES} (baseline)"]
    title = " ".join(fig._suptitle.get_text().split())
    assert f"grey: {BASELINE} (the scenario without it, dashed), {OWN_SHARES} (each member's share" in title
    totals = next(ax for ax in fig.axes if ax.get_xlabel() == "total shortfall of members (t)")
    bars = totals.patches
    assert [t.get_text() for t in totals.get_yticklabels()][:2] == [BASELINE, OWN_SHARES]
    assert (bars[0].get_width(), bars[1].get_width()) == (pytest.approx(30), pytest.approx(24))
    assert bars[0].get_hatch() is None and bars[1].get_hatch()  # the dotted one hatched
    assert bars[0].get_facecolor() == bars[1].get_facecolor() != bars[2].get_facecolor()
    # fairness among the members: without the agreement both are short of all they need (1);
    # alone, Japan is short of 0.4 of its demand and the EU of all: 1.4^2 / (2 x 1.16) = 0.845
    fairness = next(ax for ax in fig.axes if ax.get_xlabel().startswith("fairness"))
    widths = [bar.get_width() for bar in fairness.patches]
    assert (widths[0], widths[1]) == (1.0, pytest.approx(1.96 / 2.32))
    assert [t.get_text() for t in fairness.texts][:2] == ["1.000", "0.845"]
    assert fairness.patches[0].get_facecolor() == bars[0].get_facecolor() != fairness.patches[2].get_facecolor()
    assert fairness.patches[1].get_hatch() and not math.isnan(widths[2])
    # a lone run is the no-agreement baseline, as before
    lone = compare_figure(comparison.results, baseline=comparison.baseline)
    assert f"grey: {BASELINE} (the scenario without it)" in " ".join(lone._suptitle.get_text().split())
    assert not [ln for ax in lone.axes for ln in ax.get_lines() if ln.get_linestyle() == ":"]
    # without a baseline, as before: no dashed or dotted line, no grey bar
    plain = compare_figure(comparison.results)
    assert not [ln for ax in plain.axes for ln in ax.get_lines() if ln.get_linestyle() in ("--", ":")]


def test_own_shares_alone_is_each_members_share_held_apart_not_the_pool_removed():
    """LOPSIDED by hand: Japan's 6 t covers its own first 6 days, the EU has nothing of its own."""
    table = compare(LOPSIDED, ["fair_ratio"], "s.yaml").table().set_index("mechanism")
    assert list(table.index) == [BASELINE, OWN_SHARES, "fair_ratio"]
    without, apart = table.loc[BASELINE], table.loc[OWN_SHARES]
    assert (without["shortfall_t.japan"], without["shortfall_t.eu"], without["total_shortfall_t"]) == (
        pytest.approx(10),
        pytest.approx(20),
        pytest.approx(30),
    )
    assert (apart["shortfall_t.japan"], apart["shortfall_t.eu"], apart["total_shortfall_t"]) == (
        pytest.approx(4),
        pytest.approx(20),
        pytest.approx(24),
    )
    assert (apart["shortfall_share.japan"], apart["shortfall_share.eu"]) == (pytest.approx(0.4), 1.0)
    assert (apart["first_shortfall_day.japan"], apart["first_shortfall_day.eu"]) == (6, 0)
    assert all(pd.isna(apart[column]) for column in POOL_ONLY), apart[list(POOL_ONLY)]
    # Jain's index of the shares 0.4 and 1.0: 1.4^2 / (2 x (0.16 + 1)) = 1.96 / 2.32; the gap 1.0 - 0.4
    assert apart["fairness_jain"] == pytest.approx(1.96 / 2.32) and apart["max_shortfall_share_gap"] == 0.6
    # the fair ratio gives the EU part of Japan's 6 t: Japan is shorter than alone, the EU less short
    assert table.loc["fair_ratio", "shortfall_t.japan"] > 4 and table.loc["fair_ratio", "shortfall_t.eu"] < 20


def test_own_shares_alone_is_the_reports_own_share_run_with_the_rules_seed():
    """On a shipped world whose pool is national stock pooled: every member cell is the separate run's."""
    from simulator import load_scenario, simulate

    path = ROOT / "scenarios" / "long_embargo_6m.yaml"
    table = api.compare(path, "fair_ratio", set={"seed": 7}).set_index("mechanism")
    alone = simulate(own_share_scenario(load_scenario(path)), seed=7)
    members = [c.partition(".")[2] for c in table.columns if c.startswith("shortfall_t.") and c.count(".") == 1]
    added = unlike_totals(members)  # oxide and magnet: the totals over every material are left empty
    assert table[added].isna().all().all()
    checked = [c for c in member_columns(table) if c not in added]
    for column in checked:
        got, expected = table.loc[OWN_SHARES, column], alone.metrics[column]
        if column.startswith("first_shortfall_day.") and expected == -1:
            expected = pd.NA  # the API's <NA>: never short
        assert (pd.isna(got) and pd.isna(expected)) or got == pytest.approx(expected), column
    light = "total_shortfall_t.all.light_ree"
    assert table.loc[OWN_SHARES, light] == pytest.approx(
        sum(alone.metrics[f"shortfall_t.{m}.light_ree"] for m in members)
    )
    assert pd.isna(table.loc[OWN_SHARES, "first_shortfall_day.japan"])  # its own stock covers Japan alone
    # the pool is Japan's national stock: held alone it still covers part of Japan's gap
    assert table.loc[OWN_SHARES, light] < table.loc[BASELINE, light]


def test_no_own_shares_row_without_contributions_to_split():
    table = compare(build(SMALL, agreement__pool__contributions={}), ["fair_ratio"], "s.yaml").table()
    assert table["mechanism"].tolist() == [BASELINE, "fair_ratio"]


def test_a_baseline_that_cannot_run_is_a_skipped_row_and_the_rules_still_run(monkeypatch):
    """Should the scenario be invalid without its agreement, the row says why, as a rule that cannot run does."""
    import simulator.compare as module
    from simulator.errors import Problem, ScenarioError

    checked = module.validate_data

    def refusing(data, source):
        if data.get("agreement") is None:
            raise ScenarioError([Problem("regions", "needs the agreement")])
        return checked(data, source)

    monkeypatch.setattr(module, "validate_data", refusing)
    comparison = compare(SMALL, ["fair_ratio"], "s.yaml")
    assert comparison.baseline is None and comparison.skipped == {BASELINE: "regions: needs the agreement"}
    table = comparison.table()
    assert table["mechanism"].tolist() == [OWN_SHARES, "fair_ratio", BASELINE]  # own shares is not the YAML's
    assert table.set_index("mechanism").loc[BASELINE, "skipped"] == "regions: needs the agreement"


def test_the_baseline_rows_fairness_is_worked_out_as_the_rules_own():
    """members_burden on a rule's run gives that rule's own total, Jain's index and gap, bit for bit.

    Japan's 6 t released at most 1 t a day, 90:10 under the fair ratio: Japan gets 0.9 t a
    day for 6 days (5.4 t; short 4.6 of 10 t, 0.46) and the EU 0.6 t (short 19.4 of 20 t,
    0.97): Jain 1.43^2 / (2 x (0.46^2 + 0.97^2)) = 0.8872, gap 0.51.
    """
    from simulator.metrics import members_burden

    capped = build(LOPSIDED, agreement__ratio={"japan": 0.9, "eu": 0.1}, agreement__release_cap_t_per_day={"ree": 1})
    comparison = compare(capped, ["fair_ratio", "proportional_to_demand"], "s.yaml", baseline=False)
    fair = comparison.results["fair_ratio"].metrics
    assert (fair["shortfall_t.japan"], fair["shortfall_t.eu"]) == (pytest.approx(4.6), pytest.approx(19.4))
    assert fair["fairness_jain"] == pytest.approx(1.43**2 / (2 * (0.46**2 + 0.97**2)))
    assert fair["max_shortfall_share_gap"] == pytest.approx(0.51)
    for result in comparison.results.values():
        metrics = result.metrics
        assert members_burden(metrics, ["japan", "eu"]) == (
            metrics["total_shortfall_t"],
            metrics["fairness_jain"],
            metrics["max_shortfall_share_gap"],
        )
