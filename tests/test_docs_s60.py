"""Numbers docs/model.md, docs/limitations.md and docs/release-rules.md quote after the s60 docs review,
each checked against a run of the command the page names and found in the page's text.
"""

from __future__ import annotations

import pytest

import simulator
from tests.helpers import ROOT, shipped_group, shipped_result

THIN_JAPAN = {f"regions.japan.commercial_stock.{m}.days": 90 for m in ("light_ree", "heavy_ree")}


def _page(name: str) -> str:
    return " ".join((ROOT / "docs" / name).read_text(encoding="utf-8").split())


def _peaks(result) -> dict[str, float]:
    return result.market.groupby("material")["world_price_usd_per_kg"].max().to_dict()


def _eu_lowest_cover(result) -> dict[str, float]:
    eu = result.summary.query("region == 'eu'")
    return dict(zip(eu["material"], eu["min_days_of_cover"], strict=True))


def _japan_desired_cover(result, material: str) -> tuple[float, float]:
    """Japan's desired cover of ``material`` on day 0 (its normal cover) and at its highest, in days."""
    rows = result.timeseries.query("region == 'japan' and material == @material")["desired_cover_days"]
    return rows.iloc[0], rows.max()


@shipped_group("embargo_2010_historical")
def test_a_thinner_japanese_stock_makes_the_milder_crisis_the_docs_describe():
    written, thin = shipped_result("embargo_2010_historical"), simulator.run("embargo_2010_historical", set=THIN_JAPAN)
    # Normal cover is the day-0 stock, and the precautionary term scales it: the same risk path in
    # both runs (risk reads the shocks only) multiplies 140 and 90 days by the same factor.
    normal_written, top_written = _japan_desired_cover(written, "light_ree")
    normal_thin, top_thin = _japan_desired_cover(thin, "light_ree")
    assert (round(normal_written), round(normal_thin)) == (140, 90)
    assert top_written / normal_written == pytest.approx(top_thin / normal_thin, rel=1e-9)
    assert (round(top_written), round(top_thin)) == (336, 216)
    # the quoted outcomes: milder prices and a fuller EU
    assert {m: round(p, 1) for m, p in _peaks(written).items()} == {"light_ree": 145.0, "heavy_ree": 1631.3}
    assert {m: round(p, 1) for m, p in _peaks(thin).items()} == {"light_ree": 121.3, "heavy_ree": 1015.0}
    assert {m: round(d, 1) for m, d in _eu_lowest_cover(written).items()} == {"light_ree": 3.4, "heavy_ree": 1.6}
    assert {m: round(d, 1) for m, d in _eu_lowest_cover(thin).items()} == {"light_ree": 26.4, "heavy_ree": 29.2}
    for page in ("model.md", "limitations.md"):
        text = _page(page)
        assert "from 145.0 to 121.3 USD/kg (light) and from 1,631 to 1,015 USD/kg (Dy)" in text, page
        assert "from 3.4 to 26.4 days (light) and from 1.6 to 29.2 days (heavy)" in text, page
    assert "peaks at 216 days instead of 336" in _page("model.md")


def test_the_readme_says_make_calibrate_keeps_another_fit_than_the_scenarios_ship():
    scenario = simulator.load_scenario("embargo_2010_historical")
    shipped = {(m.stocking.precaution_gain, m.risk.memory_days) for m in scenario.market.values()}
    assert shipped == {(1.68, 924)}  # one shared fit, both materials
    fit = _page("model-vs-record.md")  # the refit on today's record, as measured there
    assert "objective 0.1479, light sensitivity 5.77" in fit and "gain 1.91, memory 1,436 days" in fit
    assert "0.1477 with the rounded values written into the scenarios" in fit
    readme = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    row = next(line for line in readme.split("| `make ") if line.startswith("calibrate` |"))
    assert "precaution gain 1.91 and risk memory 1,436 days against 1.68 and 924" in row
    assert "objective 0.1479 against 0.1477" in row
    assert "(docs/model-vs-record.md#the-fit)" in row
