"""The variables the gate's git commands leave out are those git itself clears, less the stated exceptions (session 60).

:data:`simulator.gate.git.REPOSITORY_VARIABLES` says it is ``git rev-parse --local-env-vars`` less the
configuration's variables and the replace refs'; it lacked ``GIT_INTERNAL_SUPER_PREFIX``, which git 2.39 lists.
"""

from __future__ import annotations

import shutil
import subprocess

import pytest

from simulator.gate.git import REPOSITORY_VARIABLES

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")

KEPT = {"GIT_CONFIG", "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT", "GIT_NO_REPLACE_OBJECTS", "GIT_REPLACE_REF_BASE"}
"""What the docstring keeps: the configuration (GIT_CONFIG, GIT_CONFIG_*) and the replace refs, as git 2.39 names it."""
DROPPED_BY_LATER_GIT = {"GIT_INTERNAL_SUPER_PREFIX"}
"""Listed by git 2.39 (this project's machine); git versions without ``--super-prefix`` may not list it."""


def local_env_vars() -> set[str]:
    """The variables ``git rev-parse --local-env-vars`` prints, one a line (it needs no repository)."""
    listed = subprocess.run(["git", "rev-parse", "--local-env-vars"], capture_output=True, text=True, check=True)
    return set(listed.stdout.split())


def test_the_gate_leaves_out_what_git_clears_less_the_configuration_and_the_replace_refs():
    listed = local_env_vars()
    assert listed >= KEPT  # the exceptions are git's names: a typo here would pass the comparison below
    cleared = listed - KEPT - {name for name in listed if name.startswith("GIT_CONFIG_")}
    assert cleared <= REPOSITORY_VARIABLES
    assert REPOSITORY_VARIABLES - cleared <= DROPPED_BY_LATER_GIT
