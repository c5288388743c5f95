"""One test per fixed bug (found while building the scenario library)."""

from __future__ import annotations

import pytest

from simulator.errors import ScenarioError
from tests.helpers import ROOT, TWO_MEMBERS, build, run, series, shipped_group, shipped_result
from tests.test_procurement import quota_world


def test_normal_orders_never_exceed_a_suppliers_capacity():
    # order-up-to orders grow while China is cut off; "other" (capacity 15 t/day) must
    # never ship more than 15 t/day, however much is ordered from it
    data = {
        "name": "cap",
        "horizon_days": 60,
        "materials": {"ree": {}},
        "suppliers": {
            "china": {"lead_time_days": {"japan": 5}},
            "other": {"lead_time_days": {"japan": 5}, "capacity_t_per_day": {"ree": 15}},
        },
        "regions": {
            "japan": {
                "demand": {"ree": {"tonnes_per_day": 20}},
                "commercial_stock": {"ree": {"days": 30}},
                "sourcing": {"ree": {"china": 0.5, "other": 0.5}},
                "procurement": {"replenishment": {"policy": "order_up_to", "review_days": 1, "safety_days": 20}},
            }
        },
        "shocks": [{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": 5, "end": 40}],
    }
    supply = run(data).supply
    other = supply[supply["supplier"] == "other"]["shipped_t"].to_numpy()
    assert other.max() == pytest.approx(15.0)
    assert (other <= 15.0 + 1e-9).all()


def test_a_quota_never_moves_volume_to_a_supplier_without_a_route_to_the_region():
    data = quota_world()
    data["suppliers"]["elsewhere"] = {"lead_time_days": {"japan": 3}}  # no route to the EU, unlimited
    data["regions"]["japan"] = {"demand": {"ree": {"tonnes_per_day": 1}}, "sourcing": {"ree": {"elsewhere": 1.0}}}
    portfolio = run(data).portfolio
    eu = portfolio[portfolio["region"] == "eu"].set_index("supplier")
    assert "elsewhere" not in eu.index
    assert eu["sourcing_share"].sum() == pytest.approx(1.0)


def test_a_partner_minimum_beyond_the_partners_capacity_is_an_error():
    data = quota_world()
    data["regions"]["eu"]["procurement"]["quota"]["ree"] = {"partner_minimum": {"b": 0.5}}  # b can ship 15 of 100
    with pytest.raises(ScenarioError, match="partner minimum exceeds"):
        run(data)


@shipped_group("long_embargo_6m_2030")
def test_rounding_residue_is_not_a_shortfall():
    # long_embargo_6m_2030 once reported fairness 0.5 with "0.0 t" of shortfall: a
    # 1.4e-15 t residue in one row counted as the EU bearing all of the shortfall
    result = shipped_result("long_embargo_6m_2030")  # its reference run as written, shared
    assert result.metrics["total_shortfall_t"] == 0.0
    assert result.metrics["fairness_jain"] == 1.0


def test_summary_table_columns_stay_aligned_with_long_region_names():
    from simulator.console import summary_text

    data = build(
        {
            "name": "x",
            "horizon_days": 5,
            "materials": {"ree": {}},
            "suppliers": {"china": {"lead_time_days": {"a_rather_long_region_name": 2}}},
            "regions": {
                "a_rather_long_region_name": {
                    "demand": {"ree": {"tonnes_per_day": 1}},
                    "sourcing": {"ree": {"china": 1.0}},
                }
            },
        }
    )
    lines = summary_text(run(data)).splitlines()
    assert lines[0].index("material") == lines[1].index("ree")
    assert lines[1].startswith("a_rather_long_region_name  ree")


def test_the_summary_line_gives_fairness_only_where_someone_bears_a_shortfall():
    from simulator.console import summary_text

    # nobody short: Jain's index is 1 by convention, which the line must not present as a fair share
    calm = summary_text(run(build(TWO_MEMBERS, shocks=[]))).splitlines()[-1]
    assert calm == "total shortfall 0.0 t; no member is short, so there is no burden to share"
    # the total is the members': a region outside the agreement short is in the table, not in that line
    outsider = {"demand": {"ree": {"tonnes_per_day": 5}}, "sourcing": {"ree": {"china": 1.0}}}
    data = build(TWO_MEMBERS, shocks=[], regions__korea=outsider, suppliers__china__lead_time_days__korea=5)
    data = build(data, shocks=[{"id": "cut", "kind": "embargo", "supplier": "china", "regions": ["korea"], "start": -10,
                                "end": 100}])  # fmt: skip
    lines = summary_text(run(data)).splitlines()
    assert lines[-2].startswith("korea ") and lines[-2].split()[2] == "300.0"  # 60 days x 5 t/day, no stock
    assert lines[-1] == "total shortfall 0.0 t; no member is short, so there is no burden to share"
    # without an agreement the total is every region's
    alone = summary_text(run(build(TWO_MEMBERS, shocks=[], agreement=None))).splitlines()[-1]
    assert alone == "total shortfall 0.0 t; no one is short, so there is no burden to share"
    # both halted with nothing in stock, the 60 t pool the only supply (Japan 20 t, the EU 40 t): Japan short of
    # 1,180 / 1,200 = 0.98333 of its demand, the EU of 4,760 / 4,800 = 0.99167: Jain 1.975^2 / (2 x 1.950347) =
    # 0.999982: not 1 (equal burdens), so not 1.000, but past 4 decimals its digits do not read: above 0.9999
    halted = summary_text(run(TWO_MEMBERS)).splitlines()[-1]
    assert halted.startswith("total shortfall ") and halted.endswith(" t; fairness (Jain) above 0.9999"), halted


def test_summary_table_has_no_row_for_a_material_a_region_does_not_use():
    from simulator.console import summary_text

    data = build(TWO_MEMBERS, materials__magnets={}, regions__eu__demand__magnets={"tonnes_per_day": 1})
    data = build(data, regions__eu__sourcing__magnets={"china": 1.0})
    rows = [line.split()[:2] for line in summary_text(run(data)).splitlines()[1:-1]]
    assert rows == [["japan", "ree"], ["eu", "ree"], ["eu", "magnets"]]


def test_resourcing_never_buys_from_a_supplier_without_a_route():
    # "spare" ships only to Japan; the EU, cut off too, must not re-source from it
    from tests.test_procurement import resourcing_world

    data = resourcing_world(15, 5)
    data["suppliers"]["spare"]["lead_time_days"] = {"japan": 2}
    result = run(data)
    assert series(result, "resourced_t", "eu") == pytest.approx(0.0)
    assert series(result, "resourced_t", "japan")[12:] == pytest.approx(10.0)  # all the spare capacity


def test_validate_rejects_an_infeasible_quota_naming_the_file(tmp_path):
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main

    path = tmp_path / "q.yaml"
    path.write_text(yaml.safe_dump(quota_world(cap=0.5)))
    result = CliRunner().invoke(main, ["validate", str(path)])
    assert result.exit_code == 2
    assert f"{path}: regions.eu.procurement.quota.ree: other suppliers can take" in result.output


def test_a_scenario_that_fails_to_run_is_an_error_outcome_not_a_crash_of_the_check(tmp_path, monkeypatch):
    import yaml

    from simulator.gate.compare import check_one, update_one
    from simulator.gate.tolerances import Tolerances

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(build(quota_world(), name="s")))
    assert update_one(path, None, Tolerances()).status == "created"

    def broken(*_args, **_kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("simulator.engine.simulate", broken)
    outcome = check_one(path, None, Tolerances())
    assert outcome.status == "error" and "boom" in outcome.message


def test_check_junit_to_an_unwritable_place_exits_2(tmp_path):
    from click.testing import CliRunner

    from simulator.cli import main

    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = CliRunner().invoke(
        main, ["check", str(ROOT / "scenarios" / "embargo_2010.yaml"), "--junit", str(blocker / "report.xml")]
    )
    assert result.exit_code == 2 and "report.xml: --junit: cannot write this file" in result.output


def test_a_new_run_removes_outputs_of_an_earlier_run_that_it_does_not_write(tmp_path):
    import yaml
    from click.testing import CliRunner

    from simulator.cli import main
    from tests.helpers import TWO_MEMBERS, manifest_of

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS))
    out = tmp_path / "out"
    (tmp_path / "notes.txt").write_text("mine")
    assert CliRunner().invoke(main, ["run", str(path), "-o", str(out), "--report", "--no-plots"]).exit_code == 0
    (out / "notes.txt").write_text("a user's own file")
    assert (out / "report.html").exists() and (out / "releases.csv").exists()
    lone = {k: v for k, v in TWO_MEMBERS.items() if k != "agreement"}
    path.write_text(yaml.safe_dump(lone))
    assert CliRunner().invoke(main, ["run", str(path), "-o", str(out), "--no-plots"]).exit_code == 0
    assert not (out / "report.html").exists() and not (out / "releases.csv").exists()
    assert (out / "notes.txt").read_text() == "a user's own file"
    files = manifest_of(out)["files"]
    assert sorted(files) == sorted(p.name for p in out.iterdir() if p.name != "notes.txt")


def test_checking_an_output_folder_leaves_no_empty_folder_behind(tmp_path):
    from simulator.output_folder import check_file_writable

    check_file_writable(tmp_path / "a" / "b" / "report.html")
    assert not (tmp_path / "a").exists()
