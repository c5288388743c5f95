"""Studies of Jain's index material by material where tonnes are apart (session 62).

``stockpile run``'s last line gives each material short its own index where the scenario's tonnes may not be
added; ``stockpile sensitivity`` and ``run --uncertainty`` (with the report's rows) studied ``fairness_jain``
over all materials, which divides each member's gallium shortfall by its demand for every material.

The world, worked by hand: ``TWO_MEMBERS`` (tests/helpers.py) with gallium (``with_gallium``: 400 USD/kg beside
the rare earths' 50, so the tonnes are priced far apart), every delivery from China halted over the 60 days.
Japan uses 80 t/day of rare earths and 1 t/day of gallium, the EU 80 and 4. Both hold 5,000 t of rare earths,
more than their 4,800 t of demand, so no one is short of them; the pool holds rare earths only (Japan's 10 t of
gallium taken out). Japan holds ``s_j`` t of gallium, the EU ``s_e`` (the uncertain inputs), so their gallium
shortfalls are ``60 - s_j`` and ``240 - s_e`` (at least 0), their shares of their gallium demand
``a = (60 - s_j) / 60`` and ``b = (240 - s_e) / 240``, and gallium's own index ``(a + b)^2 / (2 (a^2 + b^2))``
(1 by convention where neither is short). Over all materials the shares would be ``(60 - s_j) / 4,860`` and
``(240 - s_e) / 5,040``: another index.
"""

from __future__ import annotations

import numpy as np
import pytest
import yaml

from simulator.report.uncertainty import uncertainty_section
from simulator.sensitivity import analyse_study, plan_study, study_notes
from simulator.sensitivity.intervals import counted_text, run_uncertainty
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, invoke, run, with_gallium

JAPAN_GA = "regions.japan.commercial_stock.ga.tonnes"
EU_GA = "regions.eu.commercial_stock.ga.tonnes"
GA = "fairness_jain.all.ga"


def world(ree_stock: float = 5000, japan_high: float = 120, eu_high: float = 300) -> dict:
    """The world above; ``ree_stock`` 0 leaves both short of rare earths too."""
    data = with_gallium(
        build(
            TWO_MEMBERS,
            regions__japan__demand__ree__tonnes_per_day=80,
            regions__japan__commercial_stock__ree__tonnes=ree_stock,
            regions__eu__commercial_stock__ree__tonnes=ree_stock,
        )
    )
    del data["agreement"]["pool"]["contributions"]["japan"]["ga"]
    data["uncertain"] = [
        {"path": JAPAN_GA, "low": 0, "high": japan_high, "source": "test"},
        {"path": EU_GA, "low": 0, "high": eu_high, "source": "test"},
    ]
    return data


def with_cobalt(data: dict) -> dict:
    """``data`` with cobalt (``co``, 400 USD/kg), which the EU alone uses: 1 t a day, none in stock, all from China
    (short all along under the halt)."""
    data["materials"]["co"] = {"price_usd_per_kg": 400}
    data["regions"]["eu"]["demand"]["co"] = {"tonnes_per_day": 1}
    data["regions"]["eu"]["commercial_stock"]["co"] = {"tonnes": 0}
    data["regions"]["eu"]["sourcing"]["co"] = {"china": 1.0}
    return data


def gallium_index(japan_stock: np.ndarray, eu_stock: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Gallium's own index of each sample, worked out as above, and whether a member is short of gallium in it."""
    a = np.maximum(0.0, 60 - japan_stock) / 60
    b = np.maximum(0.0, 240 - eu_stock) / 240
    short = (a > 0) | (b > 0)
    index = np.where(short, (a + b) ** 2 / (2 * np.where(short, a**2 + b**2, 1.0)), 1.0)
    return index, short


def test_the_world_as_worked_out():
    result = run(build(world(), **{JAPAN_GA: 20, EU_GA: 40}))
    metrics = result.metrics
    assert [metrics[f"shortfall_t.{m}.ga"] for m in ("japan", "eu")] == [40.0, 200.0]
    assert [metrics[f"shortfall_t.{m}.ree"] for m in ("japan", "eu")] == [0.0, 0.0]
    index, _ = gallium_index(np.array([20.0]), np.array([40.0]))
    assert metrics[GA] == pytest.approx(index[0], rel=1e-12)
    a, b = 40 / 4860, 200 / 5040  # over all materials: another index
    assert metrics["fairness_jain"] == pytest.approx((a + b) ** 2 / (2 * (a * a + b * b)), rel=1e-12)
    assert abs(metrics["fairness_jain"] - metrics[GA]) > 0.05


def test_sensitivity_studies_the_one_material_short_and_never_the_one_no_one_is_short_of():
    study = plan_study(world(), "gallium.yaml", fixed=())
    assert "fairness_jain" in study.metrics  # the default metrics, as planned before any run
    found = analyse_study(study, "sobol", 8)  # 8 x (2 + 2) = 32 runs
    info, samples = found.info, found.samples
    assert info["metrics"] == ["total_shortfall_t", GA, "shortfall_t.japan", "shortfall_t.eu"]
    assert list(dict.fromkeys(found.table["metric"])) == info["metrics"]
    assert not any("ree" in metric for metric in info["metrics"])  # no one is short of rare earths
    index, short = gallium_index(samples[JAPAN_GA].to_numpy(), samples[EU_GA].to_numpy())
    assert samples[GA].to_numpy() == pytest.approx(index, rel=1e-9)  # the studied runs' index is gallium's own
    assert info["no_member_short_runs"] == {GA: int((~short).sum())}
    assert info["fairness_by_material"] == {
        "materials": ["ga"],
        "metrics": [GA],
        "sole_users": {},
        "over_all_adds": None,  # one material short: over all materials it would divide, not add
    }
    # the same indices as a study asked for gallium's index by name: the same samples, the same column
    named = analyse_study(plan_study(world(), "gallium.yaml", [GA], fixed=()), "sobol", 8)
    studied = found.table[found.table["metric"] == GA].reset_index(drop=True)
    assert studied.equals(named.table.reset_index(drop=True))
    # and with the same count of runs in which no member is short of it (its panel and top drivers say so)
    assert named.info["no_member_short_runs"] == {GA: int((~short).sum())}
    assert any(
        note.startswith(f"{GA}, the members' Jain's index of ga alone, is studied") for note in study_notes(info)
    )


def test_sensitivity_studies_each_material_short_and_leaves_out_one_used_by_one_member_alone():
    data = world(ree_stock=0)  # both short of rare earths all along
    with_cobalt(data)  # the EU's alone, short all along
    found = analyse_study(plan_study(data, "gallium.yaml", fixed=()), "sobol", 8)
    info = found.info
    assert info["metrics"] == ["total_shortfall_t", "fairness_jain.all.ree", GA, "shortfall_t.japan", "shortfall_t.eu"]
    assert info["fairness_by_material"]["sole_users"] == {"co": "eu"}  # no burden to share: no index
    assert info["fairness_by_material"]["over_all_adds"] == "tonnes of materials priced far apart"


def test_sensitivity_keeps_the_index_over_all_materials_where_tonnes_may_be_added():
    one_material = build(TWO_MEMBERS, uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "low": 60,
                                                  "high": 100, "source": "test"}])  # fmt: skip
    info = analyse_study(plan_study(one_material, "pair.yaml", fixed=()), "sobol", 8).info
    assert "fairness_jain" in info["metrics"] and not any(m.startswith("fairness_jain.") for m in info["metrics"])
    assert "fairness_by_material" not in info and isinstance(info["no_member_short_runs"], int)


def test_run_uncertainty_gives_the_material_short_its_own_row_over_the_samples_short_of_it():
    found = run_uncertainty(plan_study(world(), "gallium.yaml", fixed=()), 48)
    samples = found.samples
    metrics = list(found.headlines["metric"])
    assert GA in metrics and "fairness_jain" not in metrics and "fairness_jain.all.ree" not in metrics
    index, short = gallium_index(samples[JAPAN_GA].to_numpy(), samples[EU_GA].to_numpy())
    assert 0 < short.sum() < len(short)  # some samples with no one short of gallium: left out, as 1 is a convention
    assert samples[GA].to_numpy() == pytest.approx(index, rel=1e-9)
    row = found.headlines.set_index("metric").loc[GA]
    assert row["samples"] == short.sum()
    assert [row["p5"], row["median"], row["p95"]] == pytest.approx(np.percentile(index[short], [5, 50, 95]))
    assert counted_text(found, GA) == f"over the {short.sum()} samples with a member short of it"
    section = uncertainty_section(run(world()), found, figures=False)
    assert "Fairness (Jain&#x27;s index), ga<br>" in section
    assert "Jain&#x27;s index is given of ga alone (fairness_jain.all.ga), as the run&#x27;s last line" in section


def cobalt_world() -> dict:
    """Neither member is ever short of gallium (stocks of 500 t and more against 60 and 240 t lost) nor of rare
    earths; cobalt, the EU's alone, is short all along: no material's index to study."""
    data = world()
    data["uncertain"] = [
        {"path": JAPAN_GA, "low": 500, "high": 1000, "source": "test"},
        {"path": EU_GA, "low": 500, "high": 1000, "source": "test"},
    ]
    return with_cobalt(data)


def test_fairness_alone_asked_where_each_material_short_has_one_user_is_refused_in_words(tmp_path):
    """In :func:`cobalt_world` the study stopped with exit 3 (``No objects to concatenate``) after every run; it is
    bad input, told as such."""
    scenario = tmp_path / "cobalt.yaml"
    scenario.write_text(yaml.safe_dump(cobalt_world(), sort_keys=False))
    out = tmp_path / "out"
    result = invoke("sensitivity", scenario, "--metric", "fairness_jain", "--samples", 2, "--workers", 1, "-o", out)
    assert_bad_input(
        result,
        "--metric fairness_jain: no Jain's index to study",
        "only eu uses co",
        "study another metric (shortfall_t.REGION.MATERIAL, say)",  # placeholders as the console writes them
    )
    assert not out.exists()


def test_run_uncertainty_says_no_index_is_given_where_each_material_short_has_one_user(tmp_path):
    """It said only "only the EU uses co": not that no fairness row is given, nor why."""
    scenario = tmp_path / "cobalt.yaml"
    scenario.write_text(yaml.safe_dump(cobalt_world(), sort_keys=False))
    result = invoke("run", scenario, "--uncertainty", 4, "--no-plots", "--workers", 1, "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    note = next(line for line in result.output.splitlines() if "no burden of it to share" in line)
    assert "no Jain's index is given: each material short has one user; only the EU uses co" in note
