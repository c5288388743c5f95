"""Claims of fact in the docs and the scenarios' texts, checked against their sources and the code."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.release.ess import need_with_restraint

ROOT = Path(__file__).resolve().parent.parent
TEXTS = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md"), *(ROOT / "scenarios").glob("*.yaml")])


def test_the_60_day_pool_is_not_called_a_rare_earth_target():
    # Japan's old stockpile target (J11, docs/calibration.md: 60 days = 42 national + 18 private) was set
    # for seven other rare metals (Ni, Cr, W, Co, Mo, Mn, V), not for rare earths: wherever a text sizes
    # the pool by it, the same sentence says so
    named = re.compile(r"old[\s#]+Japanese[\s#]+(?:stockpile[\s#]+)?target|Japan's[\s#]+old[\s#]+stockpile[\s#]+target")
    found, unsaid = 0, []
    for path in TEXTS:
        text = path.read_text(encoding="utf-8")
        for hit in named.finditer(text):
            found += 1
            after = " ".join(text[hit.end() : hit.end() + 250].replace("#", " ").split())
            if "not rare earths" not in after:
                unsaid.append(f"{path.relative_to(ROOT)}: {text[hit.start() : hit.end() + 80]!r}")
    assert found >= 6  # embargo_2010 (description, comment, assumption), embargo_stochastic (2), calibration.md
    assert not unsaid, unsaid


def test_the_policy_guide_says_what_need_with_restraint_leaves_a_member_to_bear():
    # demand 100 t, supplied 50 t (a gap of 50 t), restraint 7%: stock fills up to 93 t, so 43 t; the member
    # bears 7 t, 7% of its demand, not 3.5 t (7% of its gap). Two members alike, the group's gap 50% of demand.
    need = need_with_restraint(
        np.array([50.0, 50.0]), np.array(1000.0), np.array([50.0, 50.0]), np.array([100.0, 100.0]), 0.07, 0.07
    )
    assert need == pytest.approx([43.0, 43.0])
    borne = 50.0 - need[0]
    assert borne == pytest.approx(7.0) and borne != pytest.approx(0.07 * 50.0)
    guide = " ".join((ROOT / "docs" / "getting-started-policy.md").read_text(encoding="utf-8").split())
    said = guide.split("`need_with_restraint` (", 1)[1].split(")", 1)[0]
    assert "7% of its demand" in said and "first 7% of its gap" not in said


def test_the_docs_tell_the_models_price_rise_from_the_records():
    # the model's replay rises ten- to elevenfold to its daily peaks (145 / 13.13 = 11.0x, 1,631 / 156.5 = 10.4x);
    # the record's highest prices are means over a quarter and a month, 189 / 13.13 = 14.4x (the light basket's
    # index over Q2 2011, with no light row for Q3 2011) and 2,377 / 156.5 = 15.2x (Dy oxide over August 2011): "at
    # least 14- to 15-fold", set beside the model's means over the same periods, 138.9 and 1,622 USD/kg (11x, 10x)
    record = pd.read_csv(ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv")
    prices = record[record["quantity"] == "price"]
    highest = prices.loc[prices.groupby("material")["value"].idxmax()].set_index("material")
    assert (highest.loc["light_ree", "value"], highest.loc["heavy_ree", "value"]) == (189.0, 2377.0)
    assert (highest.loc["light_ree", "period"], highest.loc["heavy_ree", "period"]) == ("quarter", "month")
    light = prices[prices["material"] == "light_ree"]["date"]
    assert not light.between("2011-07-01", "2011-09-30").any()  # no light price in Q3 2011: "at least"
    assert [int(highest.loc["light_ree", "value"] / 13.13), int(highest.loc["heavy_ree", "value"] / 156.5)] == [14, 15]
    told = 0
    for path in TEXTS:
        text = " ".join(path.read_text(encoding="utf-8").split())
        for hit in re.finditer(r"ten- to elevenfold", text):
            told += 1
            near = text[hit.start() : hit.end() + 500]
            where = path.relative_to(ROOT)
            assert (
                near.startswith("ten- to elevenfold in the model")
                or "in the model rise ten" in text[hit.start() - 20 : hit.end()]
            ), f"{where}: the rise is not said to be the model's"
            assert "at least 14- to 15-fold" in near and "14- to 15-fold from" not in near.replace("at least 14", ""), (
                f"{where}: the record's rise is a mean over a period, so the peak was at least that"
            )
            assert "189" in near and "2,377" in near and "188" not in near, f"{where}: not the record's prices"
            assert "138.9" in near and "1,622" in near, f"{where}: not the model's means over the record's periods"
    assert told >= 4  # README, docs/index.md, docs/scenarios.md, the policy guide
