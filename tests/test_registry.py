"""The registry of quantities and the registry of mechanisms are the single source of truth.

Every dataclass, table, metric list and reference page derived from them must agree with
them exactly: a quantity added in one place and forgotten in another fails here.
"""

from __future__ import annotations

import typing
from dataclasses import fields, replace

import numpy as np
import pandas as pd
import pytest

from simulator import mechanisms, quantities
from simulator.docs_reference import outputs_reference
from simulator.engine import ReferenceEngine, simulate
from simulator.kernel import Kernel
from simulator.metrics import _AGREEMENT, _DERIVED
from simulator.plan import AgreementPlan, AuctionPlan, Plan, array_fields, compile_plan
from simulator.quantities import REGISTRY, in_table, names, of_record
from simulator.randomness import draw_run
from simulator.records import AgreementDay, MarketDay, ProcurementDay
from simulator.release import allocator
from simulator.results import log_columns, metric_columns
from simulator.scenario import load_scenario, validate_data
from simulator.scenario.schema import Agreement
from tests.helpers import ROOT, SCENARIOS, TWO_MEMBERS, build, each_shipped, shipped_run

BIDS = [{"end_use": "all", "share": 1.0, "price_usd_per_kg": 100.0}]
AUCTION = build(
    TWO_MEMBERS,
    start_date="2010-07-01",
    agreement__mechanism="hybrid",
    agreement__auction={"every_days": 7, "bids": {"japan": {"ree": BIDS}, "eu": {"ree": BIDS}}},
)


def dataclass_fields(cls: type, leave_out: set[str]) -> list[str]:
    return [f.name for f in fields(cls) if f.name not in leave_out]


def test_names_are_unique_within_a_record_and_columns_within_a_table():
    keys = [(q.record, q.name) for q in REGISTRY]
    assert len(keys) == len(set(keys))
    for table in {t for q in REGISTRY for t in q.tables}:
        columns = [q.column_name for q in in_table(table, keys=True)]
        assert len(columns) == len(set(columns)), table


def test_axes_follow_the_one_axis_order():
    order = quantities.AXIS_ORDER
    for q in REGISTRY:
        positions = [order.index(axis) for axis in q.axes]
        assert positions == sorted(positions), q.name
        assert not q.axes or q.grain == "key" or q.axes[-1] == "run", q.name


def test_the_plan_is_exactly_the_registry_parameters():
    assert array_fields(Plan) == list(names(quantities.PLAN_WORLD))
    assert array_fields(AgreementPlan) == list(names(quantities.PLAN_AGREEMENT))
    assert array_fields(AuctionPlan) == list(names(quantities.PLAN_AUCTION))


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_compiled_arrays_have_the_registry_axes(path):
    plan = compile_plan(load_scenario(path))
    st = plan.structure
    sizes = {
        "day": st.horizon_days - st.first_day,
        "step": st.share_steps,
        "region": len(st.regions),
        "member": len(st.members),
        "bid": len(st.bid_owners),
        "material": len(st.materials),
        "supplier": len(st.suppliers),
        "run": 1,
    }
    for part in (plan, plan.agreement, plan.auction):
        if part is None:
            continue
        for name in array_fields(part):
            q = quantities.get("plan", name)
            assert getattr(part, name).shape == tuple(sizes[axis] for axis in q.axes), name


def test_the_kernel_records_are_exactly_the_registry_quantities():
    for record, cls, leave_out in (
        ("market", MarketDay, {"agreement"}),
        ("agreement", AgreementDay, {"is_quiet"}),
        ("procurement", ProcurementDay, set()),
    ):
        fields_, registered = dataclass_fields(cls, leave_out), list(names(of_record(record)))
        assert fields_ == registered, (
            f"simulator/records.py: the fields of {cls.__name__} must be the quantities of simulator/quantities.py "
            f"with record={record!r}, in registry order; add {[n for n in registered if n not in fields_]}, "
            f"remove {[n for n in fields_ if n not in registered]} (or put them in the registry's order)"
        )


def run_tables(data: dict) -> dict[str, pd.DataFrame]:
    result = simulate(validate_data(data))
    tables = ("timeseries", "summary", "supply", "pool", "releases", "auctions", "shocks", "portfolio")
    return {t: getattr(result, t) for t in tables}


@pytest.mark.parametrize(
    "data", [AUCTION, build(TWO_MEMBERS, agreement__mechanism="equal_cover")], ids=["hybrid", "rule"]
)
def test_tables_have_the_registry_columns_in_registry_order(data):
    members = data["agreement"]["members"]
    for table, frame in run_tables(data).items():
        expected = []
        for q in in_table(table, keys=True):
            if "member" in q.axes:
                continue
            expected.append(q.column_name)
        if table in ("releases", "auctions"):
            expected += [f"{q.column_name}.{m}" for m in members for q in in_table(table) if "member" in q.axes]
        assert list(frame.columns) == expected, table
    assert log_columns("releases", compile_plan(validate_data(data)).structure)[:3] == ["day", "material", "mechanism"]


def test_every_registered_quantity_is_in_the_outputs_reference_and_nothing_else_is_documented_as_a_column():
    page = outputs_reference()
    for q in REGISTRY:
        assert f"`{q.column_name}" in page or f"`{q.name}`" in page, q.name
    documented = {
        cell.strip("`").removesuffix(".<member>")
        for line in page.splitlines()
        if line.startswith("| `")
        for cell in [line.split("|")[1].strip()]
    }
    registered = {q.column_name for q in REGISTRY} | {q.name for q in REGISTRY}
    assert documented <= registered


def test_a_day_metric_that_can_be_minus_one_says_so_where_the_reference_describes_it():
    # the summary files write -1 for "never" (docs/outputs.md); the reference once said "empty when never"
    page = outputs_reference()
    for q in REGISTRY:
        if q.aggregation in quantities.NONE_WORDS:
            assert "-1" in q.description and "empty" not in q.description, q.name
            row = next(line for line in page.splitlines() if line.startswith(f"| `{q.column_name}`"))
            assert "-1" in row, row


def test_the_sweep_metrics_are_the_registry_metrics():
    scenario = validate_data(AUCTION)
    result = simulate(scenario)
    st = result.structure
    assert list(metric_columns(st, result.summary_arrays)) == quantities.sweep_metric_names(st.regions, st.materials)
    assert {key.split(".")[0] for key in result.metrics} <= quantities.metric_names()


def test_every_derived_metric_has_its_formula():
    derived = {q.name for q in quantities.SUMMARY if q.aggregation == "derived"}
    assert derived == set(_DERIVED), (
        "summary metrics with aggregation='derived' in simulator/quantities.py (SUMMARY) need their inputs and "
        f"formula in simulator/metrics.py (_DERIVED): add {sorted(derived - set(_DERIVED))}, "
        f"remove {sorted(set(_DERIVED) - derived)}"
    )
    agreement = {q.name for q in quantities.AGREEMENT_SUMMARY}
    derived_agreement = {q.name for q in quantities.AGREEMENT_SUMMARY if q.source is None}
    assert derived_agreement <= set(_AGREEMENT) <= agreement, (
        "agreement-wide metrics in simulator/quantities.py (AGREEMENT_SUMMARY) without a source need their inputs "
        f"and rule in simulator/metrics.py (_AGREEMENT): add {sorted(derived_agreement - set(_AGREEMENT))}, "
        f"remove {sorted(set(_AGREEMENT) - agreement)}"
    )
    for q in (*quantities.SUMMARY, *quantities.AGREEMENT_SUMMARY):
        if q.aggregation not in ("derived", "none"):
            assert q.source is not None, (
                f"simulator/quantities.py: summary metric {q.name!r} aggregates ({q.aggregation}) a daily quantity: "
                "give it source=<that quantity's name>"
            )


def test_summary_metrics_declared_whole_numbers_are_integers():
    # counts of days and first days: an integer array per run (a float there would write
    # 40.0 days into sweep tables)
    plan = compile_plan(validate_data(TWO_MEMBERS))
    summary = ReferenceEngine(plan, 0).run().summary
    whole = {q.name for q in quantities.SUMMARY if q.dtype == "int"}
    assert {"shortfall_days", "first_shortfall_day"} <= whole
    for name in whole:
        assert summary[name].dtype.kind == "i", name
    for name in {q.name for q in quantities.SUMMARY} - whole:
        assert summary[name].dtype.kind == "f", name


@pytest.mark.parametrize("name", each_shipped())
def test_flows_a_plan_skips_are_zero_when_computed(name):
    """A flow the kernel declares absent (never summed) really is zero every day.

    The run is the shipped scenario's reference run that the report and shipped-scenario
    tests read (``tests.helpers.shipped_run``, made once per test process).
    """
    found = shipped_run(name)
    kernel = Kernel(found.plan, draw_run(found.plan, found.scenario.seed))
    absent = kernel.absent_flows()
    for flow in absent:
        assert not np.any(found.recorder.arrays[flow]), flow
    # and the flows it keeps are the ones it can produce
    assert "shortfall_t" not in absent


def test_conditions_cover_every_condition_a_quantity_names():
    declared, used = set(typing.get_args(quantities.Condition)), {q.present_when for q in REGISTRY}
    assert declared == used, (
        f"simulator/quantities.py: Condition should list exactly the present_when values the registry uses; "
        f"add {sorted(used - declared)}, remove {sorted(declared - used)}"
    )


def test_the_kernel_tells_for_every_condition_whether_it_holds():
    plan = compile_plan(validate_data(TWO_MEMBERS))
    holds = Kernel(plan, draw_run(plan, 0)).conditions()
    declared = set(typing.get_args(quantities.Condition))
    assert set(holds) == declared, (
        "simulator/kernel/__init__.py: Kernel.conditions must say for each quantities.Condition whether it holds "
        f"for a plan; add {sorted(declared - set(holds))}, remove {sorted(set(holds) - declared)}"
    )
    assert holds["always"] and holds["agreement"] and not holds["licensing"]  # two members, an embargo only


# --- mechanisms -------------------------------------------------------------------------------


def test_every_mechanism_entry_is_whole():
    codes = [m.code for m in mechanisms.MECHANISMS if m.code]
    shared = {
        code: [m.name for m in mechanisms.MECHANISMS if m.code == code] for code in codes if codes.count(code) > 1
    }
    assert not shared, (
        f"simulator/mechanisms.py: log codes used twice {shared}; give a new entry max(code) + 1 = {max(codes) + 1}"
        " (the codes are not in registry order)"
    )
    assert mechanisms.AUCTION_CODE in codes
    for m in mechanisms.MECHANISMS:
        if m.allocate is not None:
            assert allocator(m.name).__name__ == m.allocate.partition(":")[2]
        if m.shares_as is not None:
            assert mechanisms.BY_NAME[m.shares_as].allocate is not None, m.name
        assert (m.shares_when == "never") == (m.shares_as is None), m.name
        assert m.holds_auctions or m.shares_when == "always", m.name
        # the report says how an auctioning rule's shared stock goes out, in its description's own words
        assert (m.auctions_as is not None) == m.holds_auctions, m.name
        assert m.auctions_as is None or m.auctions_as in m.description, m.name


def test_the_schema_offers_exactly_the_registered_mechanisms():
    assert typing.get_args(Agreement.model_fields["mechanism"].annotation) == mechanisms.NAMES


def test_a_rule_receives_members_first():
    gaps = np.array([[20.0], [80.0]])  # two members, one run
    inputs = dict(
        gaps_t=gaps,
        available_t=np.array([60.0]),
        baseline_demand_t=np.array([[20.0], [80.0]]),
        own_stock_t=np.zeros((2, 1)),
        supplied_t=np.zeros((2, 1)),
        ratio=np.array([[0.5], [0.5]]),
        strict=False,
        ess_restraint=np.array([0.0]),
        ess_trigger_loss_share=np.array([0.0]),
    )
    from simulator.release import RuleInputs

    # the worked check of the claims literature: 12/48, 20/40, 0/60, 10/50
    expected = {
        "proportional_to_demand": [12, 48],
        "proportional_to_claims": [12, 48],
        "equal_awards": [20, 40],
        "equal_losses": [0, 60],
        "talmud": [10, 50],
    }
    for name, awards in expected.items():
        assert allocator(name)(RuleInputs(**inputs))[:, 0] == pytest.approx(awards), name


def test_a_new_summary_metric_needs_only_its_registry_entry(monkeypatch):
    """The worked example of docs/architecture.md: one entry, and the summary has the metric."""
    from simulator import metrics, output, results
    from simulator.output import summary_json
    from tests.helpers import ONE_REGION, run

    entry = quantities._s(
        "max_daily_demand_t", "t", "max", "Largest demand of one day.", "Largest daily demand", source="demand_t"
    )
    summary = (*quantities.SUMMARY, entry)
    for module in (quantities, metrics, results, output):
        monkeypatch.setattr(module, "SUMMARY", summary)
    monkeypatch.setattr(quantities, "REGISTRY", (*quantities.REGISTRY, entry))
    # demand grows 10% a year from 10 t/day: the largest day is the last, day 39
    result = run(build(ONE_REGION, regions__japan__demand__ree__growth_per_year=0.1))
    expected = 10 * 1.1 ** (39 / 365)
    assert result.summary.iloc[0]["max_daily_demand_t"] == pytest.approx(expected)
    assert summary_json(result)["records"][0]["max_daily_demand_t"] == pytest.approx(expected)
    assert "`max_daily_demand_t`" in outputs_reference()


def test_a_first_day_metric_of_a_procurement_flow_gives_its_day(monkeypatch):
    """A "first" metric on a flow of the procurement record once said day 0 whatever the day:
    the procurement's summary was folded in without its day."""
    from simulator import metrics, output, results

    entry = quantities._s(
        "first_resourced_day",
        "day",
        "first",
        "First day re-sourced.",
        "First re-sourced",
        source="resourced_t",
        dtype="int",
    )
    summary = (*quantities.SUMMARY, entry)
    for module in (quantities, metrics, results, output):
        monkeypatch.setattr(module, "SUMMARY", summary)
    monkeypatch.setattr(quantities, "REGISTRY", (*quantities.REGISTRY, entry))
    result = simulate(load_scenario(ROOT / "scenarios" / "club_of_five.yaml"))
    ts, found = result.timeseries, result.summary.set_index(["region", "material"])["first_resourced_day"]
    resourced = ts[ts["resourced_t"] > 1e-9].groupby(["region", "material"])["day"].min()
    assert len(resourced) > 0 and (resourced > 0).all()  # re-sourcing starts after day 0 here
    assert found[found >= 0].to_dict() == resourced.to_dict()  # -1: never


@pytest.mark.parametrize(
    ("field", "value", "refused"),
    [
        ("region_total", "max", "region_total='max'"),
        ("aggregation", "median", "aggregation='median'"),
        ("grain", "daily", "grain='daily'"),
        ("present_when", "sometimes", "present_when='sometimes'"),
        ("table", "timeserie", "table='timeserie'"),  # once a column gone from every output, every test passing
        ("also_in", ("summary", "supplies"), "also_in='supplies'"),
        ("dtype", "float64", "dtype='float64'"),
        ("record", "plans", "record='plans'"),
        ("in_baselines", "none", "in_baselines='none'"),  # no metric is left out of baselines any more
    ],
)
def test_a_registry_entry_with_a_value_outside_its_choices_is_refused(field, value, refused):
    """``region_total="max"`` used to fall through to "first": a sweep's ``<metric>.<region>``
    then gave the earliest value, not the largest. Each choice field now refuses such a typo."""
    entry = quantities.SUMMARY[0]
    assert entry.name == "demand_t"
    with pytest.raises(ValueError, match=rf"quantity 'demand_t': {refused} is not one of"):
        replace(entry, **{field: value})


def test_distinct_region_totals_are_refused_on_a_quantity_that_is_not_a_count():
    """``distinct`` counts each day once over a region's materials: only a count of days has such days. On demand_t
    (a sum of tonnes) it used to be accepted and fail only in a sweep's stream, by an assert."""
    entry = quantities.SUMMARY[0]
    assert (entry.name, entry.aggregation) == ("demand_t", "sum")
    with pytest.raises(ValueError, match=r"quantity 'demand_t': region_total='distinct' .* needs aggregation='count'"):
        replace(entry, region_total="distinct")
    days = quantities.get("summary", "shortfall_days")
    assert (days.aggregation, days.region_total) == ("count", "distinct")  # the one that is: accepted
    assert replace(days, label="again").region_total == "distinct"


def test_the_documented_tables_are_the_registry_tables():
    from simulator.docs_reference import TABLE_TITLES

    assert tuple(TABLE_TITLES) == quantities.TABLES


@pytest.mark.parametrize("flow", ["shortfall_t", "demand_t", "ordered_t"])  # market, market summed only, procurement
def test_a_flow_marked_absent_where_the_kernel_makes_it_is_refused(monkeypatch, flow):
    """A present_when too narrow once zeroed a flow's sum in silence (its days, maximum and
    timeseries still showed it): a single run now refuses such a flow by name."""
    from simulator import kernel, metrics

    narrowed = tuple(replace(q, present_when="holding") if q.name == flow else q for q in quantities.DAILY)
    for module in (kernel, metrics):
        monkeypatch.setattr(module, "DAILY", narrowed)
    data = build(TWO_MEMBERS)  # no holding costs; demand, orders, and shortfall under an embargo from before day 0
    with pytest.raises(AssertionError, match=rf"{flow} has present_when='holding'.*Widen present_when"):
        simulate(validate_data(data))


def test_a_summary_metric_fed_by_no_daily_quantity_is_refused_by_name():
    """A misspelt source was a bare KeyError: 'demand' from deep in a run; the registry is checked on import."""
    from simulator.metrics import check_sources

    check_sources((*quantities.SUMMARY, *quantities.AGREEMENT_SUMMARY))  # the registry as shipped
    typo = replace(quantities.SUMMARY[0], source="demand")
    with pytest.raises(ValueError, match=r"simulator/quantities.py: the source of .*demand_t \(source='demand'\)"):
        check_sources((*quantities.SUMMARY, typo))


def test_compare_order_is_refused_outside_the_agreement_wide_metrics():
    """``stockpile compare`` reads an agreement-wide metric by its bare name: a region metric there has none."""
    with pytest.raises(ValueError, match=r"quantity 'demand_t': compare_order=1: stockpile compare shows"):
        replace(quantities.SUMMARY[0], compare_order=1)
    with pytest.raises(ValueError, match=r"quantity 'pool_end_t': compare_order=0"):
        replace(quantities.get("agreement_summary", "pool_end_t"), compare_order=0)
