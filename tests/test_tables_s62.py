"""Tables a data pipeline can load with one schema (session 62): every table a command writes keeps its columns
and their types whatever the run, a quantity has one name's value wherever it is written, and a cost is not
negative noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import simulator
import simulator.api
from simulator.compare import compare
from simulator.docs_reference import outputs_reference
from simulator.kernel.pricing import PriceDay, Pricing
from tests.helpers import ROOT, TWO_MEMBERS, build, invoke, shipped_group, shipped_result


def _compare_csv(tmp_path, mechanisms: str) -> pd.DataFrame:
    """compare.csv of ``stockpile compare`` of TWO_MEMBERS under ``mechanisms``, read as a pipeline reads it."""
    scenario = tmp_path / "pair.yaml"
    scenario.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    out = tmp_path / mechanisms.replace(",", "_")
    result = invoke("compare", scenario, "--mechanisms", mechanisms, "--no-baseline", "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    return pd.read_csv(out / "compare.csv")


def with_skipped_path(tmp_path) -> object:
    """Where :func:`_compare_csv` wrote fair_ratio and auction's compare.csv."""
    return tmp_path / "fair_ratio_auction" / "compare.csv"


def test_compare_csv_has_the_same_columns_whether_or_not_a_rule_was_skipped(tmp_path):
    # TWO_MEMBERS has no bids: auction cannot run there, fair_ratio can
    ran = _compare_csv(tmp_path, "fair_ratio")
    with_skipped = _compare_csv(tmp_path, "fair_ratio,auction")
    assert list(ran.columns) == list(with_skipped.columns)
    assert ran.columns[-1] == "skipped" and ran["skipped"].isna().all()
    rows = with_skipped.set_index("mechanism")
    assert pd.isna(rows.loc["fair_ratio", "skipped"]) and "bids" in rows.loc["auction", "skipped"]
    whole = [c for c in ran.columns if c.startswith(("first_shortfall_day.", "envious_members"))]
    assert len(whole) == 2 + 1 + 1  # each member's first short day; envy over all materials and of the one, ree
    assert all(ran[c].dtype == np.int64 for c in whole), ran[whole].dtypes
    # a rule that did not run has no value, not -1 ("never short"); the rule that ran keeps its whole numbers
    assert rows.loc["auction", whole].isna().all()
    assert rows.loc["fair_ratio", whole].tolist() == ran.set_index("mechanism").loc["fair_ratio", whole].tolist()
    typed = pd.read_csv(with_skipped_path(tmp_path), dtype={c: "Int64" for c in whole} | {"skipped": "string"})
    assert all(str(typed[c].dtype) == "Int64" for c in whole)  # as docs/outputs.md says to read it


def _fixed_pricing(reference: float, materials: int) -> Pricing:
    """A :class:`Pricing` without a market: every material at the fixed price ``reference`` (USD/kg), one region."""
    pricing = Pricing.__new__(Pricing)
    pricing.market = None
    pricing.fixed = np.full((1, materials, 1), reference)
    return pricing


def test_a_price_a_rounding_off_its_reference_costs_nothing_and_a_real_saving_stays():
    pricing = _fixed_pricing(50.0, 4)
    # 49.99999999999999 is 50 after the price steps' rounding; 40 is 10 USD/kg below (a saving of 10,000 USD/t),
    # 60 is 10 above; the last material, at 40, is not used that day
    paid = np.array([[[50.0 - 7e-15], [40.0], [60.0], [40.0]]])
    realised = np.array([[[43.8], [2.0], [3.0], [0.0]]])
    prices = PriceDay(paid[0], paid, np.ones_like(paid))
    extra, lost = pricing.costs(prices, realised, realised)
    assert extra[0, :, 0].tolist() == [0.0, -20_000.0, 30_000.0, 0.0]
    assert not np.signbit(extra[extra == 0]).any()  # 0.0, never -0.0 (which a CSV writes "-0.0")
    assert not lost.any()


@shipped_group("china_2025_licensing")
def test_china_2025_licensing_writes_no_negative_extra_cost():
    # no price in it falls below its reference: every day's extra spend is 0 or more, and so is every sum of them
    result = shipped_result("china_2025_licensing")
    daily = result.timeseries["crisis_extra_cost_usd"].to_numpy()
    assert (daily >= 0).all() and not np.signbit(daily).any()
    summed = result.summary["crisis_extra_cost_usd"].dropna().to_numpy()
    assert (summed >= 0).all() and not np.signbit(summed).any()


def test_compare_csv_gives_the_unused_shared_stock_of_each_material_as_the_run_and_the_sweep_do():
    # both members short of 100 t a day from day 0; the 60 t pool may release 30 t a day: on day 0, 30 t stayed in
    # the pool while 70 t of gaps remained, on day 1 the last 30 t went; 30 t unused
    data = build(TWO_MEMBERS, agreement__release_cap_t_per_day={"ree": 30})
    rows = compare(data, ["fair_ratio"], "pair.yaml").table().set_index("mechanism")
    assert rows.loc["fair_ratio", "unused_release_t.all.ree"] == pytest.approx(30)
    assert rows.loc["fair_ratio", "unused_release_t"] == pytest.approx(30)  # one material: the same figure
    assert pd.isna(rows.loc["no agreement", "unused_release_t.all.ree"])  # no pool, as unused_release_t there
    swept = simulator.sweep(data, grid={"agreement.mechanism": ["fair_ratio"]})
    assert float(swept["unused_release_t.all.ree"].iloc[0]) == pytest.approx(30)


LEDGER_TWINS = {
    "drawn_t": "released_joint_t",
    "drawn_auction_t": "released_auction_t",
    "drawn_rule_t": "released_rule_t",
    "auction_paid_usd": "auction_spend_usd",
    "loan_returned_t": "loan_repaid_t",
    "sale_paid_usd": "settlement_paid_usd",
    "sale_received_usd": "settlement_received_usd",
}
"""ledger.csv's columns that summary.csv and timeseries.csv name otherwise, with those names."""


@pytest.mark.parametrize("settlement", ["grant", "sale", "{kind: loan, term_days: 90}"])
def test_the_ledgers_columns_named_otherwise_hold_the_summarys_and_the_daily_sums(settlement):
    # china_2025_licensing's hybrid rule draws heavy rare earths for both members; settled each way in turn
    scenario = ROOT / "scenarios" / "china_2025_licensing.yaml"
    result = simulator.api.run(scenario, set=[f"agreement.settlement={settlement}"]).result
    ledger = result.ledger.set_index(["member", "material"])
    summary = result.summary.set_index(["region", "material"]).loc[ledger.index]
    daily = result.timeseries.groupby(["region", "material"])[list(LEDGER_TWINS.values())].sum().loc[ledger.index]
    assert ledger["drawn_rule_t"].sum() > 0
    for column, twin in LEDGER_TWINS.items():
        assert ledger[column].tolist() == summary[twin].tolist(), column
        assert ledger[column].to_numpy() == pytest.approx(daily[twin].to_numpy(), rel=1e-9, abs=1e-6), column
    if settlement == "sale":
        assert ledger["sale_paid_usd"].sum() > 0 and ledger["sale_received_usd"].sum() > 0
    if settlement != "grant" and settlement != "sale":
        assert ledger["loan_t"].sum() > 0


def test_the_outputs_reference_names_each_ledger_columns_twin():
    page = outputs_reference()
    section = page[page.index("## ledger.csv") :].split("\n## ", 1)[0]
    rows = {line.split("`")[1]: line for line in section.splitlines() if line.startswith("| `")}
    assert "region" in rows["member"]
    for column, twin in LEDGER_TWINS.items():
        assert f"summary.csv's {twin} (timeseries.csv's, day by day)" in rows[column], column


def _reference_columns(page: str, table: str, members: list[str]) -> list[str]:
    """The columns the outputs reference lists for ``table``, in its order, ``<member>`` read as its note says."""
    section = page[page.index(f"{{#{table}}}") :].split("\n## ", 1)[0]
    assert "as one block per member" in section  # what the page says of the order
    listed = [line.split("`")[1] for line in section.splitlines() if line.startswith("| `")]
    alone = [c for c in listed if not c.endswith(".<member>")]
    blocks = [c.removesuffix("<member>") for c in listed if c.endswith(".<member>")]
    return [*alone, *(f"{c}{m}" for m in members for c in blocks)]


@shipped_group("china_2025_licensing")
def test_the_outputs_reference_lists_the_columns_of_releases_and_auctions_in_the_files_order():
    # the files: day, date, material, the decision's figures, then all of japan's columns, then all of the EU's
    result = shipped_result("china_2025_licensing")
    members = result.structure.member_names
    assert members == ["japan", "eu"]
    page = outputs_reference()
    for table in ("releases", "auctions"):
        columns = list(getattr(result, table).columns)  # the header of releases.csv and auctions.csv
        assert columns == _reference_columns(page, table, members), table
