"""Shared fixtures: the system's Chromium for browser tests.

Tests never install anything. CI's entry point (``.ci/run``) installs Debian's
``chromium`` and ``chromium-driver`` before the test command; elsewhere a browser test
is skipped with a message saying how to get them. In CI (``CI`` set) a missing browser is
a failure, not a skip, so that the browser tests cannot silently stop running.
"""

from __future__ import annotations

import os
import shutil

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
    """Path of the system's ChromeDriver (Selenium tests)."""
    found = shutil.which("chromedriver")
    if found is None:
        _missing("chromedriver")
    return str(found)
