"""Shared fixtures: the system's Chromium for browser tests, one local Dask cluster.

The Selenium tests share one headless Chromium for the session (``shared_browser``; a test
gets it through ``browser``, which first puts it back as it started). Each carries
``helpers.BROWSER``, so that under ``pytest -n`` they all run in one worker and only that
worker starts it.

Tests never install anything. CI's entry point (``.ci/run``) installs Debian's
``chromium`` and ``chromium-driver`` before the test command; elsewhere a browser test
is skipped with a message saying how to get them. In CI (``CI`` set) a missing browser is
a failure, not a skip, so that the browser tests cannot silently stop running.
"""

from __future__ import annotations

import gc
import os
import shutil
import warnings
from pathlib import Path
from typing import Any

import pytest

HOW = "install Debian's chromium and chromium-driver (as .ci/run does) to run the browser tests"


def _missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} is not installed on this CI machine: .ci/run should have installed it")
    pytest.skip(f"{what} is not installed: {HOW}")


@pytest.fixture(scope="session")
def chromium() -> str:
    """Path of the system's Chromium."""
    found = next((p for p in (shutil.which("chromium"), shutil.which("chromium-browser")) if p), None)
    if found is None:
        _missing("chromium")
    return str(found)


@pytest.fixture(scope="session")
def chromedriver() -> str:
    """Path of the system's ChromeDriver (Selenium tests): Debian's, the one for its chromium, if there."""
    found = "/usr/bin/chromedriver" if Path("/usr/bin/chromedriver").exists() else shutil.which("chromedriver")
    if found is None:
        _missing("chromedriver")
    return str(found)


@pytest.fixture(scope="session")
def shared_browser(chromium: str, chromedriver: str, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """One headless Chromium driven by Selenium, started on first use and shared by every browser
    test of the process (starting one costs about a second of CPU, more on a loaded machine).

    A test takes it through ``browser``; a fixture of wider scope calls
    :func:`helpers.reset_browser` itself before using it and after.
    """
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
    from tests.helpers import BROWSER_WINDOW, SELENIUM_CHROMIUM_FLAGS

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        *SELENIUM_CHROMIUM_FLAGS,
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
        f"--window-size={BROWSER_WINDOW[0]},{BROWSER_WINDOW[1]}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=chromedriver), options=options)
    yield driver
    driver.quit()


@pytest.fixture
def browser(shared_browser: Any) -> Any:
    """The shared headless Chromium, as it started: its own window size, no emulated screen,
    scrollbars shown, a blank page, empty logs (:func:`helpers.reset_browser`)."""
    from tests.helpers import reset_browser

    reset_browser(shared_browser)
    return shared_browser


class _SharedCluster:
    """A local Dask cluster of two worker processes, started on first use and closed after the
    last of the tests that use it one after the other.

    Starting one costs seconds of CPU (each worker is a new Python process), and an idle one
    keeps costing (heartbeats), so it lives exactly as long as a run of tests that need it.
    """

    def __init__(self) -> None:
        self.cluster: Any = None

    def get(self) -> Any:
        if self.cluster is None:
            from distributed import LocalCluster

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # Dask's start-up chatter (ports, deprecations) is not under test
                self.cluster = LocalCluster(
                    n_workers=2, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, processes=True
                )
        return self.cluster

    def close(self) -> None:
        if self.cluster is not None:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.cluster.close()
            self.cluster = None


_DASK = _SharedCluster()


@pytest.fixture
def dask_cluster() -> Any:
    """A healthy local Dask cluster (two worker processes), shared by consecutive tests.

    The tests that use it carry ``xdist_group("dask-cluster")`` so that under ``pytest -n`` they
    run one after the other in one process. Each connects its own client. Tests that break a
    cluster (kill its workers or its scheduler) start their own.
    """
    return _DASK.get()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Close the shared Dask cluster once the next test does not need it."""
    if nextitem is None or "dask_cluster" not in getattr(nextitem, "fixturenames", ()):
        _DASK.close()


def pytest_collection_finish(session: pytest.Session) -> None:
    """Exclude what collection loaded (the package, NumPy, pandas, Matplotlib, pydantic's
    schemas) from the garbage collector's later passes: every full pass would otherwise walk
    those millions of long-lived objects again. About 3% less CPU for the suite; nothing a
    test sees changes (objects made from here on are collected as usual)."""
    gc.collect()
    gc.freeze()


def _check_browser_group(items: list[pytest.Item]) -> None:
    """Refuse a test that drives the shared browser without ``helpers.BROWSER`` (and no other
    group): under ``pytest -n`` its worker would start a second browser."""
    for item in items:
        if "shared_browser" in getattr(item, "fixturenames", ()):
            groups = {str(m.args[0]) if m.args else "" for m in item.iter_markers("xdist_group")}
            if groups != {"browser"}:
                raise pytest.UsageError(f"{item.nodeid} drives the shared browser: mark it with helpers.BROWSER alone")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Keep ``xdist_group`` marks working under ``--dist loadgroup`` (see pyproject.toml).

    pytest-xdist tells its scheduler a test's group by appending ``@<group>`` to the test's
    node id, which has no effect since pytest 9.2 made node ids structured: the groups are
    silently ignored (pytest-xdist issue #1386). Until pytest-xdist handles it, append it here;
    once it does, the ids already end with the group and this does nothing. Without it the
    tests still pass, only slower. First, with or without ``-n``, a browser test must carry
    ``helpers.BROWSER`` (:func:`_check_browser_group`).
    """
    _check_browser_group(items)
    if not getattr(config.option, "loadgroup", False):  # set in xdist's workers under --dist loadgroup
        return
    try:
        from _pytest.nodeid import NodeId
    except ImportError:  # a pytest without structured node ids: xdist's own suffix works
        return
    for item in items:
        names = sorted(
            {str(m.args[0] if m.args else m.kwargs.get("name", "default")) for m in item.iter_markers("xdist_group")}
        )
        suffix = "@" + "_".join(names)
        if names and not item.nodeid.endswith(suffix) and hasattr(item, "_id"):
            item._id = NodeId.parse(item.nodeid + suffix)
