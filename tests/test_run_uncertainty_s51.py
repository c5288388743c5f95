"""stockpile run --uncertainty (s51): --workers, a --set on a varied input, the unlike-tonnes note, the drivers note.

The test world is tests/test_uncertainty_run.py's: one region short of all its demand, two
uncertain inputs (demand and a holding cost).
"""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

import simulator.sensitivity.intervals as intervals
from tests.helpers import assert_bad_input, invoke
from tests.test_uncertainty_run import SHORT


def _scenario(tmp_path, data=SHORT):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


@pytest.fixture
def workers_used(monkeypatch):
    """The workers each run_uncertainty call was given; the samples run on one, whatever was asked."""
    used = []
    real = intervals.run_uncertainty

    def recording(study, runs, workers=1, *args, **kwargs):
        used.append(workers)
        return real(study, runs, 1, *args, **kwargs)

    monkeypatch.setattr(intervals, "run_uncertainty", recording)
    monkeypatch.setattr("simulator.cli.default_workers", lambda: 5)
    return used


def test_workers_is_given_to_the_samples_and_defaults_to_the_cores(tmp_path, workers_used):
    path = _scenario(tmp_path)
    result = invoke("run", path, "--uncertainty", 4, "--workers", 1, "--no-plots", "-o", tmp_path / "one")
    assert result.exit_code == 0, result.output
    result = invoke("run", path, "--uncertainty", 4, "--no-plots", "-o", tmp_path / "cores")
    assert result.exit_code == 0, result.output
    assert workers_used == [1, 5]


def test_workers_is_checked_as_on_the_other_study_commands(tmp_path):
    path = _scenario(tmp_path)
    assert_bad_input(
        invoke("run", path, "--uncertainty", 4, "--workers", 0, "-o", tmp_path / "a"),
        "Invalid value for '--workers'",
        "not in the range",
    )
    assert_bad_input(invoke("run", path, "--workers", 2, "-o", tmp_path / "b"), "--workers needs --uncertainty")


def _drivers_run(tmp_path, samples):
    out = tmp_path / f"n{samples}"
    result = invoke("run", _scenario(tmp_path), "--uncertainty", samples, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    return result.output, pd.read_csv(out / "uncertainty.csv", keep_default_na=False).set_index("metric")


def test_a_threshold_above_1_is_not_printed_and_the_samples_that_could_name_a_driver_are(tmp_path):
    """2 inputs: z(1 - 0.05 / 4) = 2.2414; z / sqrt(6 - 1) = 1.0024, more than any rank correlation, and
    z / sqrt(7 - 1) = 0.915. The shortfall is 40 x demand (rank correlation 1), so at 7 samples demand is named."""
    output, table = _drivers_run(tmp_path, 6)
    assert set(table["drivers"]) == {""}
    (note,) = [line for line in output.splitlines() if "drivers are empty" in line]
    assert "rank correlation of 1.00" not in note and "rank correlation above 1, which none can reach" in note
    assert "with 2 inputs and 6 samples" in note and "one could be named from 7 samples" in note
    output, table = _drivers_run(tmp_path, 7)
    assert table.loc["total_shortfall_t", "drivers"] == "demand (+1.00)"
    assert "drivers are empty" not in output


def _with_magnets(tonnes_of="magnet"):
    """SHORT and a second material, 2 t/day of it demanded, none in stock, all from China: 80 t short in each sample."""
    data = yaml.safe_load(yaml.safe_dump(SHORT))
    data["materials"]["ree"]["tonnes_of"] = "oxide"
    data["materials"]["mag"] = {"price_usd_per_kg": 50, "tonnes_of": tonnes_of}
    japan = data["regions"]["japan"]
    japan["demand"]["mag"] = {"tonnes_per_day": 2}
    japan["commercial_stock"]["mag"] = {"tonnes": 0}
    japan["sourcing"]["mag"] = {"china": 1.0}
    return data


UNLIKE = (
    "note: the Total shortfall line and each region's Shortfall line (uncertainty.csv's total_shortfall_t and "
    "shortfall_t.REGION) add tonnes of magnet and tonnes of oxide: uncertainty_samples.parquet's "
    "shortfall_t.REGION.MATERIAL gives each material"
)


def test_headline_totals_adding_oxide_and_magnet_say_so_as_the_run_and_sweep_do(tmp_path):
    out = tmp_path / "mag"
    result = invoke(
        "run", _scenario(tmp_path, _with_magnets()), "--uncertainty", 4, "--workers", 1, "--no-plots", "-o", out
    )
    assert result.exit_code == 0, result.output
    assert "(not added: tonnes of magnet and tonnes of oxide)" in result.output  # the run's own last line
    assert UNLIKE in result.output.splitlines()
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    # the total is 40 x demand of oxide plus 40 x 2 t of magnet: what the note says it adds
    assert (samples["shortfall_t.japan.mag"] == 80).all()
    assert (samples["total_shortfall_t"] - samples["shortfall_t.japan.ree"] == 80).all()
    # no note where the tonnes may be added: both materials in tonnes of oxide at one price, or one material
    for name, data in (("oxide", _with_magnets("oxide")), ("one", SHORT)):
        result = invoke(
            "run", _scenario(tmp_path, data), "--uncertainty", 4, "--workers", 1, "--no-plots", "-o", tmp_path / name
        )
        assert result.exit_code == 0, result.output
        assert "add tonnes" not in result.output, name


def _with_stock_entry():
    """SHORT and a third uncertain input, Japan's stock in tonnes (0-50 t)."""
    data = yaml.safe_load(yaml.safe_dump(SHORT))
    path = "regions.japan.commercial_stock.ree.tonnes"
    data["uncertain"].append({"path": path, "low": 0, "high": 50, "source": "test", "label": "stock"})
    return data


def test_a_set_on_a_varied_input_fixes_it_and_the_study_varies_the_others(tmp_path):
    """Demand set to 12 t/day and the stock to 0 days (its other unit: the entry on tonnes goes too): every
    sample is 40 x 12 = 480 t short, and only the holding cost, which changes no shortfall, still varies."""
    path = _scenario(tmp_path, _with_stock_entry())
    out = tmp_path / "fixed"
    demand, stock = "regions.japan.demand.ree.tonnes_per_day", "regions.japan.commercial_stock.ree.days"
    result = invoke(
        "run", path, "--uncertainty", 4, "--workers", 1, "--set", f"{demand}=12", "--set", f"{stock}=0",
        "--no-plots", "-o", out,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert (
        "note: --set fixes 2 uncertain inputs at the value set, left out of the study: demand "
        f"({demand}) and stock (regions.japan.commercial_stock.ree.tonnes); it varies the other 1"
    ) in result.output.splitlines()
    assert "uncertainty: 4 samples of 1 uncertain input" in result.output.splitlines()
    table = pd.read_csv(out / "uncertainty.csv").set_index("metric")
    assert table.loc["total_shortfall_t", ["p5", "median", "p95"]].tolist() == [480, 480, 480]
    samples = pd.read_parquet(out / "uncertainty_samples.parquet")
    assert demand not in samples and samples["materials.ree.holding_cost_usd_per_t_year"].nunique() == 4
    assert (samples["total_shortfall_t"] == 480).all()
    # with every input fixed nothing is left to vary: refused before any run, naming the option
    result = invoke(
        "run", _scenario(tmp_path), "--uncertainty", 4, "--set", f"{demand}=12",
        "--set", "materials.ree.holding_cost_usd_per_t_year=300", "-o", tmp_path / "none",
    )  # fmt: skip
    assert_bad_input(result, "--uncertainty: --set fixes every uncertain input (demand (", "none is left to vary")
    assert not (tmp_path / "none").exists()


def test_the_docs_give_the_seed_each_sample_uses(tmp_path):
    """docs/uncertainty.md said sample k uses run seed k; the seed column is run_seed(scenario seed, k)."""
    from simulator.randomness import run_seed
    from tests.helpers import ROOT

    out = tmp_path / "seeds"
    result = invoke("run", _scenario(tmp_path), "--uncertainty", 3, "--workers", 1, "--no-plots", "-o", out)
    assert result.exit_code == 0, result.output
    seed = SHORT.get("seed", 0)
    assert pd.read_parquet(out / "uncertainty_samples.parquet")["seed"].tolist() == [
        run_seed(seed, k) for k in range(3)
    ]
    text = " ".join((ROOT / "docs" / "uncertainty.md").read_text().split())
    assert "sample `k` uses run seed `k`" not in text
    assert "sample `k` uses run seed `run_seed(seed, k)`" in text
    assert f"{run_seed(0, 0)}, {run_seed(0, 1)}, ... for seed 0" in text  # the values the docs quote


def test_the_reports_how_sure_table_says_its_shortfall_rows_add_oxide_and_magnet(tmp_path):
    # the same study as above, with --report: under the table of "How sure are these figures?", the note the console
    # prints, in the page's words (its rows are Total shortfall and Shortfall, Japan: 40 x demand + 80 t of magnet)
    out = tmp_path / "mag"
    result = invoke(
        "run",
        _scenario(tmp_path, _with_magnets()),
        "--uncertainty",
        4,
        "--workers",
        1,
        "--report",
        "--no-plots",
        "-o",
        out,
    )
    assert result.exit_code == 0, result.output
    page = (out / "report.html").read_text()
    section = page.split('<section id="uncertainty"')[1].split("</section>")[0]
    assert (
        '<p class="note">The rows Total shortfall and Shortfall of each region add '
        "tonnes of magnet and tonnes of oxide: "
        "<code>uncertainty_samples.parquet</code>'s <code>shortfall_t.&lt;region&gt;.&lt;material&gt;</code> "
        "gives each material in each sample.</p>"
    ) in section


def test_a_set_on_the_uncertain_block_edits_its_entries_and_fixes_none(tmp_path):
    # uncertain.0.high narrows the demand entry's range (it still varies): no input is fixed, all three vary
    result = invoke(
        "run", _scenario(tmp_path, _with_stock_entry()), "--uncertainty", 4, "--workers", 1,
        "--set", "uncertain.0.high=12", "--no-plots", "-o", tmp_path / "edited",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "--set fixes" not in result.output
    assert "uncertainty: 4 samples of 3 uncertain inputs" in result.output.splitlines()
