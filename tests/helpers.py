"""Small scenarios built in code, for tests whose numbers are worked out by hand."""

from __future__ import annotations

import contextlib
import copy
import functools
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.engine import ReferenceEngine, simulate
from simulator.errors import InputError
from simulator.plan import Plan, compile_plan
from simulator.results import Recorder, Result
from simulator.scenario import Scenario, apply_overrides, load_raw, load_scenario, validate_data
from simulator.sweep import runner as sweep_runner

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

TINY_SCENARIO_TEXT = """\
name: tiny
start_date: 2010-07-01
horizon_days: 40
materials:
  ree: {price_usd_per_kg: 50}
suppliers:
  china: {lead_time_days: {japan: 5}}
regions:
  japan:
    demand:
      ree: {tonnes_per_day: 10}
    commercial_stock:
      ree: {tonnes: 100}
    sourcing:
      ree: {china: 1.0}
shocks:
  - {id: halt, kind: embargo, supplier: china, regions: [japan], start: 5, end: 20}
"""
"""One region, one material, one supplier, 40 days, one embargo: a valid scenario as a user writes it."""

ONE_REGION: dict[str, Any] = {
    "name": "tiny",
    "horizon_days": 40,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 100}},
            "sourcing": {"ree": {"china": 1.0}},
        }
    },
}

TWO_MEMBERS: dict[str, Any] = {
    "name": "pair",
    "horizon_days": 60,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 5}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 20}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 80}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
    },
    "shocks": [
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": 1000}
    ],
    "agreement": {
        "members": ["japan", "eu"],
        "mechanism": "fair_ratio",
        "ratio": {"japan": 0.5, "eu": 0.5},
        "pool": {"contributions": {"japan": {"ree": {"tonnes": 30}}, "eu": {"ree": {"tonnes": 30}}}},
    },
}


def words_page(result: Result, *args: Any, **kwargs: Any) -> str:
    """``render_report(result, ...)`` with ``figures=False``: the page without its Matplotlib figures, each
    ``<figure>`` and caption kept, in about a third of the time. For tests that read only the page's words
    and tables; a test of a figure, of the page's size or of the page in a browser renders it in full."""
    from simulator.report import render_report

    return render_report(result, *args, figures=False, **kwargs)


@functools.cache
def two_members_report() -> str:
    """``render_report(run(TWO_MEMBERS))`` without its figures (:func:`words_page`), made once per test process
    (runs are deterministic): the many report tests that read the two-member world's words share it, and only
    read it. They carry :data:`TWO_MEMBERS_REPORT`."""
    return words_page(run(TWO_MEMBERS))


TWO_MEMBERS_REPORT = pytest.mark.xdist_group("two-members-report")
"""The ``xdist_group`` of the tests that read :func:`two_members_report`: under ``pytest -n`` they run in one
process, which renders the page once (about 0.3 CPU s a page)."""


def japan_halted() -> dict[str, Any]:
    """``TWO_MEMBERS`` with China halting Japan's supply all along and the EU never short (5,000 t of stock, sampled
    5,000 or 6,000 t in an uncertainty study): Japan bears all the shortfall."""
    return build(
        TWO_MEMBERS,
        regions__eu__commercial_stock__ree__tonnes=5000,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}
        ],
        uncertain=[{"path": "regions.eu.commercial_stock.ree.tonnes", "values": [5000, 6000], "source": "test"}],
    )


def with_korea(
    data: dict[str, Any], tonnes_per_day: float | None = 20, ratio: dict[str, float] | None = None
) -> dict[str, Any]:
    """A copy of ``data`` (``TWO_MEMBERS`` or a world built on it) with Korea a third member of its agreement.

    With ``tonnes_per_day``, Korea uses that much ``ree`` a day, all from China (5 days at sea), holds no stock, puts
    nothing into the pool and is halted by the first shock with the others; with None it uses nothing (no demand,
    stock nor sourcing) and no shock names it. ``ratio``, when given, is the agreement's new ratio.
    """
    data = copy.deepcopy(data)
    if tonnes_per_day is None:
        data["regions"]["korea"] = {"demand": {}, "commercial_stock": {}, "sourcing": {}}
    else:
        data["regions"]["korea"] = {
            "demand": {"ree": {"tonnes_per_day": tonnes_per_day}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        }
        data["suppliers"]["china"]["lead_time_days"]["korea"] = 5
        data["shocks"][0]["regions"].append("korea")
    data["agreement"]["members"].append("korea")
    if ratio is not None:
        data["agreement"]["ratio"] = ratio
    return data


def with_korea_on_gallium(price_usd_per_kg: float) -> dict[str, Any]:
    """A copy of ``TWO_MEMBERS`` with South Korea a third member using gallium (``ga``) alone: 5 t a day, 100 t in
    stock, all from China (5 days at sea), under no shock; the ratio 0.4/0.4/0.2."""
    data = copy.deepcopy(TWO_MEMBERS)
    data["materials"]["ga"] = {"price_usd_per_kg": price_usd_per_kg}
    data["suppliers"]["china"]["lead_time_days"]["south_korea"] = 5
    data["regions"]["south_korea"] = {
        "demand": {"ga": {"tonnes_per_day": 5}},
        "commercial_stock": {"ga": {"tonnes": 100}},
        "sourcing": {"ga": {"china": 1.0}},
    }
    data["agreement"]["members"].append("south_korea")
    data["agreement"]["ratio"] = {"japan": 0.4, "eu": 0.4, "south_korea": 0.2}
    return data


def halt(**fields: object) -> dict[str, Any]:
    """An embargo by China on Japan's supply from day 10 to day 20 (for ``ONE_REGION``), with ``fields``."""
    return {
        "id": "halt",
        "kind": "embargo",
        "supplier": "china",
        "regions": ["japan"],
        "start": 10,
        "end": 20,
        **fields,
    }


def with_gallium(data: dict[str, Any], price_usd_per_kg: float | None = 400) -> dict[str, Any]:
    """``data`` (``TWO_MEMBERS``') with a second material ``ga`` (no price where ``price_usd_per_kg`` is None): Japan
    uses 1 t/day and the EU 4 t/day, none in stock, all from China, and Japan puts 10 t of it in the pool."""
    data["materials"]["ga"] = {"price_usd_per_kg": price_usd_per_kg} if price_usd_per_kg else {}
    for region, tonnes_per_day in (("japan", 1), ("eu", 4)):
        data["regions"][region]["demand"]["ga"] = {"tonnes_per_day": tonnes_per_day}
        data["regions"][region]["commercial_stock"]["ga"] = {"tonnes": 0}
        data["regions"][region]["sourcing"]["ga"] = {"china": 1.0}
    data["agreement"]["pool"]["contributions"]["japan"]["ga"] = {"tonnes": 10}
    return data


def hybrid_pair() -> dict[str, Any]:
    """``TWO_MEMBERS`` under the hybrid rule with daily bids (Japan 100, the EU 50 USD/kg for magnets) and a pool
    of 5,000 t of rare earths from each: auctions, except where an embargo on a member switches it to the fair
    ratio (tests/test_agreement.py's case)."""
    bids = {
        "every_days": 1,
        "bids": {
            "japan": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 100}]},
            "eu": {"ree": [{"end_use": "magnets", "share": 1.0, "price_usd_per_kg": 50}]},
        },
    }
    data = build(TWO_MEMBERS, agreement__mechanism="hybrid", agreement__auction=bids)
    data["agreement"]["pool"]["contributions"] = {"japan": {"ree": {"tonnes": 5000}}, "eu": {"ree": {"tonnes": 5000}}}
    return data


def threat(perceived_severity: float) -> dict[str, Any]:
    """A quota cut by China from day 0 that cuts nothing (severity 0), perceived at ``perceived_severity``."""
    return {
        "id": "threat",
        "kind": "quota_cut",
        "supplier": "china",
        "start": 0,
        "end": 1000,
        "severity": 0.0,
        "perceived_severity": perceived_severity,
    }


def build(base: dict[str, Any], **paths: Any) -> dict[str, Any]:
    """A copy of ``base`` with dotted-path changes (``__`` stands for ``.``)."""
    return apply_overrides(copy.deepcopy(base), [(k.replace("__", "."), v) for k, v in paths.items()])


SHORT_AND_UNSURE: dict[str, Any] = build(
    ONE_REGION,
    regions__japan__commercial_stock__ree__tonnes=0,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
    uncertain=[{"path": "regions.japan.demand.ree.tonnes_per_day", "low": 5, "high": 15, "source": "test"}],
)
"""``ONE_REGION`` with Japan cut off all 40 days and no stock, its demand uncertain (5-15 t/day): three figures of
a run (days of cover, shortfall, supply mix) and, with ``--uncertainty``, the two fan charts (days of cover,
shortfall), each with a run to name, as long_embargo_6m's, in a fraction of its time."""


def add_material(
    data: dict[str, Any], material: str, spec: dict[str, Any], tonnes_per_day: float | None = None
) -> dict[str, Any]:
    """``data`` with a second material ``material`` (its ``materials`` entry ``spec``) handled as ``ree`` is.

    Every region gets ``ree``'s demand, commercial stock and sourcing for it (copies), or
    ``tonnes_per_day`` of demand instead when given. Changes ``data`` in place and returns it.
    """
    data["materials"][material] = spec
    for region in data["regions"].values():
        for block in ("demand", "commercial_stock", "sourcing"):
            region[block][material] = copy.deepcopy(region[block]["ree"])
        if tonnes_per_day is not None:
            region["demand"][material] = {"tonnes_per_day": tonnes_per_day}
    return data


def refusals(data: dict[str, Any]) -> list[str]:
    """Every problem :func:`validate_data` finds in ``data`` as ``path: message``, in its order (none: it validates)."""
    try:
        validate_data(data, "s.yaml")
    except InputError as exc:
        return [f"{p.path}: {p.message}" for p in exc.problems]
    return []


def run(data: dict[str, Any], seed: int | None = None) -> Result:
    return simulate(validate_data(data, "test"), seed=seed)


def series(result: Result, column: str, region: str, material: str | None = None) -> np.ndarray:
    ts = result.timeseries
    rows = ts[(ts["region"] == region) & ((ts["material"] == material) if material else True)]
    return rows[column].to_numpy()


def frame_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


@dataclass(frozen=True)
class ShippedRun:
    """The reference engine's run of a shipped scenario as written, with its plan and daily arrays."""

    scenario: Scenario
    plan: Plan
    engine: ReferenceEngine
    recorder: Recorder


@functools.cache
def shipped_run(name: str) -> ShippedRun:
    """The reference run of the shipped scenario ``name`` as written, made once per test process.

    The steps of :func:`simulator.engine.simulate`, kept apart so that tests of the engine's
    daily arrays (``recorder.arrays``) read the same run as the tests of its tables. Tests only
    read it. The tests of one shipped scenario in different files share an ``xdist_group``
    (see :func:`each_shipped`), so that under ``pytest -n`` they run in the same process and
    the scenario is simulated once.
    """
    scenario = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    plan = compile_plan(scenario)
    engine = ReferenceEngine(plan, scenario.seed)
    return ShippedRun(scenario, plan, engine, engine.run())


@functools.cache
def shipped_result(name: str) -> Result:
    """The tables of :func:`shipped_run` (what :func:`simulator.engine.simulate` returns for it)."""
    found = shipped_run(name)
    return Result.build(found.scenario, found.plan, found.scenario.seed, found.recorder, found.engine.draws)


HISTORICAL_2010 = "embargo_2010_historical"
"""The 2010 replay with the stocks of 2010 and no agreement: the world without the agreement of embargo_2010 and
its variants (embargo_2010_scarce), and with :data:`HARSHER`, of their harsher worlds."""


@functools.cache
def shipped_alone(name: str) -> Result | None:
    """:func:`shipped_result` run without its agreement, or where it lists ``agreement.pool.already_held``, with
    those stocks held alone (the world the report's verdict measures against,
    :func:`simulator.report.without_agreement`), or None without an agreement. Made once
    per test process, for the reports and the tests of the verdict's numbers alike. Tests only read it.

    The 2010 replays' world without the agreement is the historical replay (:data:`HISTORICAL_2010`), which their
    tests run too (the reports against it): its run is taken, as ``stockpile report --compare`` takes a baseline of
    that very world (the same seed and no difference but in what describes a scenario; runs are deterministic, so
    the same tables a new run gives). A replay whose world it is not is run."""
    from simulator.report import without_agreement

    result = shipped_result(name)
    if result.scenario.agreement is None:
        return None
    return without_agreement(result, shipped_result(HISTORICAL_2010) if name.startswith("embargo_2010") else None)


@functools.cache
def shipped_apart(name: str) -> Result | None:
    """:func:`shipped_result` run with each member's pool share held alone (what pooling is measured
    against, :func:`simulator.counterfactuals.own_share_alone`), made once per test process."""
    from simulator.counterfactuals import own_share_alone

    return own_share_alone(shipped_result(name))


@functools.cache
def shipped_report(name: str) -> str:
    """The HTML report of :func:`shipped_result` as ``stockpile report`` renders it, made once per test process.

    The same page as ``render_report(shipped_result(name))``: :func:`simulator.report.render_report`
    makes the run without the agreement and the own-share run itself when none is given, here
    :func:`shipped_alone` and :func:`shipped_apart`, which other tests read too. The own-share run
    is given only where a member runs short without the agreement, the only page that uses it
    (elsewhere render_report would make it if it needed it, so the page is the same either way).
    """
    from simulator.report import render_report

    result, alone = shipped_result(name), shipped_alone(name)
    members = result.scenario.agreement.members if result.scenario.agreement is not None else []
    short_without = alone is not None and any(alone.metrics[f"shortfall_t.{m}"] > 0 for m in members)
    return render_report(result, alone=alone, own_share=shipped_apart(name) if short_without else None)


@functools.cache
def shipped_run_with(name: str, changes: tuple[tuple[str, Any], ...]) -> Any:
    """The shipped scenario ``name`` run with ``changes`` (``--set`` pairs, in order): the
    :class:`simulator.api.RunResult` (typed tables: dates as dates) ``simulator.api.run(path, set=dict(changes))``
    returns, made once per test process: tests of one scenario in different files that run the same variant share
    it (and its ``shipped_group``). Tests only read it."""
    from simulator.api import run as api_run

    return api_run(ROOT / "scenarios" / f"{name}.yaml", set=dict(changes))


def shipped_with(name: str, changes: tuple[tuple[str, Any], ...]) -> Result:
    """The model's :class:`Result` of :func:`shipped_run_with` (the same cached run)."""
    return shipped_run_with(name, changes).result


@functools.cache
def shipped_comparison(name: str) -> Any:
    """``stockpile compare scenarios/<name>.yaml --mechanisms hybrid,iea_ess``'s comparison
    (:func:`simulator.compare.compare`: both rules and the two baselines), made once per test process
    for the tests of the table and of compare.png that read it (with ``shipped_group(name)``). Tests only read it."""
    from simulator.compare import compare
    from simulator.scenario import load_raw

    path = f"scenarios/{name}.yaml"
    return compare(load_raw(ROOT / path), ["hybrid", "iea_ess"], path)


FIGURE_SIZES = ("png", "report")
"""The sizes of a run figure in the tests (:func:`figure_size`): as ``stockpile run`` writes its PNGs, and at the
report's width."""


def figure_size(size: str) -> dict[str, Any]:
    """The keyword arguments of a run figure at ``size`` (one of :data:`FIGURE_SIZES`): none for the PNG, the
    report's width and columns (:mod:`simulator.report.figures`) for the report's."""
    from simulator.report.figures import REPORT_COLUMNS, REPORT_WIDTH_IN

    return {"png": {}, "report": {"width_in": REPORT_WIDTH_IN, "columns": REPORT_COLUMNS}}[size]


@functools.cache
def shipped_cover_figure(name: str, size: str = "png") -> Any:
    """The days-of-cover figure of :func:`shipped_result` at ``size`` (:func:`figure_size`), made once per test
    process: making it takes 0.06 to 0.95 CPU s, 0.4 on average (its labels' places are searched). Tests of one
    scenario in different files share it (and its ``shipped_group``); they only read it, or draw it: one that sets
    its dpi puts it back. The run's other figures take a tenth of that: the tests make their own."""
    from simulator.plots import days_of_cover_figure

    return days_of_cover_figure(shipped_result(name), **figure_size(size))


SHIPPED_RECORD = ROOT / "scenarios" / "records" / "rare_earths_2010_2012.csv"
"""The record shipped beside the 2010 replay (embargo_2010), whose rows its market was fitted to."""


@functools.cache
def shipped_replay_report() -> str:
    """The HTML report of embargo_2010 set against :data:`SHIPPED_RECORD`, made once per test process.

    The page ``stockpile report scenarios/embargo_2010.yaml --record scenarios/records/rare_earths_2010_2012.csv``
    writes (``render_report`` with the record; the run without the agreement given as :func:`shipped_alone`,
    which it would make itself otherwise: the same page). Tests of it carry ``shipped_group("embargo_2010")``
    and only read it (one reads the record figure's legend: the page keeps its figures).
    """
    from simulator.report import render_report
    from simulator.report.record import load_record

    result = shipped_result("embargo_2010")
    record = load_record(SHIPPED_RECORD, result.scenario)
    return render_report(result, alone=shipped_alone("embargo_2010"), record=record)


LONG_HALT: dict[str, Any] = {
    "shocks.china_japan_halt.end": "2012-01-01",
    "shocks.china_japan_halt.on_halt": "lost",
    "shocks.china_japan_halt.leak_share": 0,
}
"""The 2010 halt to Japan through 2011, cargo lost, nothing leaking: the long halt of docs/release-rules.md's
``iea_ess`` (``--set`` changes of embargo_2010)."""

LONG_HALT_ESS = (*LONG_HALT.items(), ("agreement.mechanism", "iea_ess"))
"""The long halt under ``iea_ess``, as ``shipped_run_with("embargo_2010", LONG_HALT_ESS)`` runs it once per test
process for the tests of docs/release-rules.md's account in several files (``shipped_group("embargo_2010")``)."""


HARSHER = (("shocks.china_japan_halt.end", "2011-12-31"), ("shocks.china_japan_halt.on_halt", "lost"))
"""The 2010 world with the halt to Japan lasting to 30 December 2011 (an end is exclusive) and its cargo lost: with the
calibrated market the replays as written have no shortfall and no release, so the report's
sentences about shortfalls, releases and auctions are tested on this harsher world (the
EU runs short without a pool, less with the scarce one, not at all with the 60-day one)."""


@functools.cache
def harsh(name: str) -> Result:
    """The shipped 2010 replay ``name`` (embargo_2010 or a variant) run with :data:`HARSHER`, made once per test
    process. Its tests carry ``shipped_group("embargo_2010")`` and only read it."""
    return simulate(validate_data(load_raw(ROOT / "scenarios" / f"{name}.yaml", list(HARSHER)), name))


@functools.cache
def harsh_alone(name: str) -> Result:
    """:func:`harsh` without its agreement (the report's verdict's counterfactual), made once per test process.

    That world is the harsher :data:`HISTORICAL_2010`, which the tests of the harsher world run too (the report
    against it): its run is taken, as :func:`shipped_alone` takes the historical replay's. A variant whose world
    without the agreement is another is run."""
    from simulator.report import without_agreement

    return without_agreement(harsh(name), harsh(HISTORICAL_2010))


@functools.cache
def harsh_apart(name: str) -> Result | None:
    """The harsher world with each member's pool share held alone: what ``render_report`` makes
    itself when none is given, made once for the reports of ``harsh(name)`` that need it."""
    from simulator.counterfactuals import own_share_alone

    return own_share_alone(harsh(name))


@functools.cache
def harsh_compared_report() -> str:
    """The report of the harsher embargo_2010 against the harsher embargo_2010_historical (``stockpile report
    embargo_2010.yaml --compare embargo_2010_historical.yaml`` with :data:`HARSHER` set on both), made once per test
    process: the runs differ, so the comparison has its figure. The page render_report makes without ``alone`` and
    ``own_share`` too (it makes those runs itself). Its tests carry ``shipped_group("embargo_2010")`` and only
    read it."""
    from simulator.report import render_report

    return render_report(
        harsh("embargo_2010"),
        harsh("embargo_2010_historical"),
        alone=harsh_alone("embargo_2010"),
        own_share=harsh_apart("embargo_2010"),
    )


@functools.cache
def replay_against_historical_report() -> str:
    """``stockpile report embargo_2010.yaml --compare embargo_2010_historical.yaml``'s page (the runs coincide: nobody
    draws the pool), made once per test process for the tests that only read it."""
    from simulator.report import render_report

    return render_report(
        shipped_result("embargo_2010"),
        shipped_result("embargo_2010_historical"),
        alone=shipped_alone("embargo_2010"),  # nobody is short without it: no own-share run to give
    )


@functools.cache
def replay_against_historical_words() -> str:
    """:func:`replay_against_historical_report`'s page without its figures (:func:`words_page`), made once per test
    process for the tests that read only its words and tables. The runs coincide, so neither page has a comparison
    figure: its place holds the sentence saying so, as it would hold the comparison's ``<figure>`` element (with
    its caption, and without its chart here) if they differed. The browser test, which measures the figures,
    reads the full page."""
    return words_page(
        shipped_result("embargo_2010"),
        shipped_result("embargo_2010_historical"),
        alone=shipped_alone("embargo_2010"),  # nobody is short without it: no own-share run to give
    )


def shipped_group(name: str) -> pytest.MarkDecorator:
    """The ``xdist_group`` of the tests that read the shipped scenario ``name``'s reference run."""
    return pytest.mark.xdist_group(f"shipped-{name}")


def each_shipped(as_path: bool = False) -> list[Any]:
    """Parameters for a test of every shipped scenario (its name, or its path), grouped by scenario."""
    return [
        pytest.param(path if as_path else path.stem, id=path.stem, marks=shipped_group(path.stem)) for path in SCENARIOS
    ]


# --- the shared headless Chromium (conftest.py's browser fixtures) -------------------------------

SELENIUM_CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
"""Flags of the headless Chromium the browser tests drive: no GPU, no network of its own."""

BROWSER_WINDOW = (1280, 1000)
"""The shared browser's window (outer size, in pixels), as it starts and after :func:`reset_browser`."""

BROWSER = pytest.mark.xdist_group("browser")
"""The mark of every test that drives the shared browser (``conftest.py`` checks it is there):
under ``pytest -n`` they run in one worker, which starts the browser once."""


def reset_browser(driver: Any) -> None:
    """Put the shared browser back as it started, whatever the test before did with it: its own
    window size, no emulated screen, scrollbars shown, a blank page and nothing in its logs."""
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": False})
    driver.set_window_size(*BROWSER_WINDOW)
    driver.get("about:blank")
    for log in ("browser", "performance"):
        driver.get_log(log)


def emulate_screen(driver: Any, width: int, height: int, mobile: bool = False) -> None:
    """From the next page on, show pages at ``width`` x ``height`` CSS pixels, one device pixel each,
    with no scrollbar taking room (as on a phone, or in Chromium run with ``--hide-scrollbars``)."""
    driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
    metrics = {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)


def load(driver: Any, page: Path) -> None:
    """Open ``page`` (a file) in ``driver`` and wait until the whole page is parsed and loaded.

    On a loaded machine ``driver.get`` can return while the page is still being parsed (once,
    the comparison figure at a report's end was not there yet).
    """
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 30).until(lambda d: d.execute_script("return document.readyState") == "complete")


def invoke(*args: Any) -> Any:
    """``stockpile ARGS`` in this process (arguments as text)."""
    return CliRunner().invoke(main, [str(a) for a in args])


def no_traceback(result: Any) -> bool:
    """Whether a :class:`CliRunner` result ended as the program would, with no exception escaping.

    CliRunner catches an escaping exception into ``result.exception`` and never prints its
    traceback into ``result.output``, so ``"Traceback" not in result.output`` holds whatever
    happened; an exit of the program (any code) is a ``SystemExit`` or nothing.
    """
    return result.exception is None or isinstance(result.exception, SystemExit)


def assert_bad_input(result: Any, *fragments: str) -> None:
    """Exit code 2, no traceback, and every fragment in the message."""
    assert result.exit_code == 2, (result.exit_code, result.output, result.exception)
    assert no_traceback(result), result.exception
    for fragment in fragments:
        assert fragment in result.output, result.output


def told(tmp_path: Path, data: dict[str, Any] | str, *fragments: str) -> str:
    """``stockpile validate`` on ``data`` (or YAML text): exit 2, no traceback, the file named, each fragment said."""
    path = tmp_path / "s.yaml"
    path.write_text(data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False))
    result = invoke("validate", path)
    assert_bad_input(result, f"error: {path}: ", *fragments)
    return result.output


def with_shock(**fields: Any) -> dict[str, Any]:
    """``TWO_MEMBERS`` with a second shock on China's shipments, days 5-20: ``fields`` make it."""
    shock = {"id": "extra", "supplier": "china", "start": 5, "end": 20, **fields}
    return build(TWO_MEMBERS, shocks=[*TWO_MEMBERS["shocks"], shock])


def pool_processes(monkeypatch: Any) -> list[int]:
    """Count local worker processes: the list gets, per process pool closed, how many processes it started.

    Every local pool (sweep, explore, sensitivity, calibrate) is made in
    :func:`simulator.sweep.backends.local_processes`; a forking pool starts all its
    processes at its first task, and ``_processes`` holds each one started.
    """
    from concurrent.futures import ProcessPoolExecutor

    from simulator.sweep import backends

    started: list[int] = []

    class Counting(ProcessPoolExecutor):
        def shutdown(self, *args: Any, **kwargs: Any) -> None:
            started.append(len(self._processes or {}))  # type: ignore[attr-defined]
            super().shutdown(*args, **kwargs)

    monkeypatch.setattr(backends, "ProcessPoolExecutor", Counting)
    return started


# --- reading an output folder ---------------------------------------------------------------------


def contents(folder: Path) -> dict[str, bytes | None]:
    """Everything under ``folder``, hidden entries and subfolders' entries too, by path relative to it:
    a file's bytes, or None for a folder. Equal before and after a command: it touched nothing there."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None for p in folder.rglob("*")}


def manifest_of(folder: Path) -> dict[str, Any]:
    """The ``manifest.json`` of an output folder, read as JSON."""
    return json.loads((folder / "manifest.json").read_text())


def scenario_folder(tmp_path: Path, monkeypatch: Any, files: dict[str, str]) -> Path:
    """``tmp_path/scenarios`` holding ``files`` (name -> text); simulating is forbidden (:func:`forbid_simulation`)."""
    forbid_simulation(monkeypatch)
    folder = tmp_path / "scenarios"
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text)
    return folder


def forbid_simulation(monkeypatch: Any) -> None:
    """From now on, fail the test if any command gets as far as simulating (a refusal must cost nothing).

    Every way in: a run or a report (``engine.simulate``), ``compare``, ``explore``'s grid,
    ``sensitivity``'s study, ``calibrate``'s search and a sweep's chunks.
    """
    import simulator.calibrate
    import simulator.compare
    import simulator.engine
    import simulator.explore
    import simulator.report  # binds the real simulate now, not the stand-in
    import simulator.sensitivity
    from simulator.sweep import runner

    def simulated(*args, **kwargs):
        pytest.fail("simulated")

    monkeypatch.setattr(simulator.engine, "simulate", simulated)
    monkeypatch.setattr(simulator.compare, "compare", simulated)
    monkeypatch.setattr(simulator.explore, "run_grid", simulated)
    monkeypatch.setattr(simulator.sensitivity, "analyse_study", simulated)
    monkeypatch.setattr(simulator.calibrate, "calibrate", simulated)
    monkeypatch.setattr(runner, "run_chunk", simulated)


# --- another command in an output folder ---------------------------------------------------------

HOLD_LOCK = """\
import sys
from pathlib import Path
from simulator.output_folder import FolderLock
lock = FolderLock(Path(sys.argv[1]))
lock.acquire()
print("locked", flush=True)
sys.stdin.read()
lock.release()
"""


@contextlib.contextmanager
def lock_held(folder: Path) -> Iterator[int]:
    """``folder``'s output lock held by another process while the block runs; yields its PID.

    The process takes the lock as a folder command does (:class:`simulator.output_folder.FolderLock`,
    which writes ``PID <pid> on <host>`` in the lock file). Leaving the block, it releases the
    lock, which removes the lock file, and must exit cleanly.
    """
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(folder)],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        yield holder.pid
    finally:
        holder.communicate("")
    assert holder.returncode == 0


TWO_POINT_SWEEP = ("--grid", "shocks.halt.severity.high=0.6,1.0", "--runs", 2, "--workers", 1)
"""A sweep's arguments for a two-point grid (the halt's severity 0.6 and 1.0) x 2 runs, in this process."""


def folder_commands(tmp_path: Path) -> dict[str, tuple]:
    """Each folder command's arguments, but ``-o``: small inputs written in ``tmp_path``."""
    from tests.test_calibrate import MARKET_WORLD, write_record
    from tests.test_sweep import write

    world = tmp_path / "world.yaml"
    world.write_text(yaml.safe_dump(MARKET_WORLD))
    record = write_record(tmp_path, "2020-02-01,price,world,ree,,month,80,1\n")
    fit = ("--fit", "market.ree.price.sensitivity=0.5:8", "--population", 4, "--iterations", 1)
    historical = ROOT / "scenarios" / "embargo_2010_historical.yaml"
    return {
        "run": ("run", write(tmp_path, TWO_MEMBERS), "--no-plots"),
        "compare": ("compare", write(tmp_path, TWO_MEMBERS)),
        "sweep": ("sweep", write(tmp_path), *TWO_POINT_SWEEP),
        "sensitivity": ("sensitivity", historical, "--method", "morris", "--samples", 4, "--workers", 1),
        "calibrate": ("calibrate", world, "--record", record, *fit),
    }


# --- a sweep's chunks -----------------------------------------------------------------------------

RUN_CHUNK = sweep_runner.run_chunk
"""The real ``simulator.sweep.runner.run_chunk``, whatever a test has put in its place since."""


def no_run(monkeypatch: Any) -> None:
    """From now on, fail the test if a sweep computes a chunk (it must stop before any run)."""
    monkeypatch.setattr(sweep_runner, "run_chunk", lambda chunk: pytest.fail(f"a run started (chunk {chunk.index})"))


def counted(monkeypatch: Any, lost_after: int | None = None) -> list[int]:
    """The indices of the chunks a sweep computes from now on, in the order it starts them.

    Each is computed for real; with ``lost_after``, only the first ``lost_after`` chunks started
    are, and each later one fails as a lost worker would (``RuntimeError``), its index recorded too.
    """
    calls: list[int] = []

    def run_chunk(chunk: Any) -> Any:
        calls.append(chunk.index)
        if lost_after is not None and len(calls) > lost_after:
            raise RuntimeError("worker lost")
        return RUN_CHUNK(chunk)

    monkeypatch.setattr(sweep_runner, "run_chunk", run_chunk)
    return calls


# --- a printed table ---------------------------------------------------------------------------


def table_cell(lines: list[str], row: str, column: str) -> str:
    """The cell in ``column`` of the row named ``row`` in a printed table (``stockpile compare``'s), read by column.

    ``lines[0]`` is the header; the row is the one whose first cell is ``row`` (exactly one). Every cell is
    right-aligned under its column's name and may hold words (``above 0.9999``, ``no agreement``), so a cell is
    what lies between the end of the name before its column's and the end of its column's name, not a word. The
    notes under the table are no rows: their words run across the columns' ends (``own shares alone: without``).
    """
    names = list(re.finditer(r"\S+", lines[0]))
    starts = [0, *(name.end() for name in names[:-1])]

    def is_row(line: str) -> bool:
        ends = [name.end() for name in names]
        return len(line) == len(lines[0]) and all(
            line[end - 1] != " " and line[end : end + 1] in ("", " ") for end in ends
        )

    def cells(line: str) -> dict[str, str]:
        return {name.group(): line[start : name.end()].strip() for start, name in zip(starts, names, strict=True)}

    (named,) = [found for line in lines[1:] if is_row(line) and (found := cells(line))[names[0].group()] == row]
    return named[column]
