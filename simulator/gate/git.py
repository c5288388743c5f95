"""The git commands the gate reads history with, shared by the check of missing baselines and of edited fields.

Layer: studies.

Every command runs as ``git --literal-pathspecs -C <folder>`` (a path is a name, never a
pattern) and gives up after :data:`GIT_SECONDS`; a failure of any kind (no git, not a work
tree, too slow) reads as "git cannot tell", never as an error of the check.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

GIT_SECONDS = 10.0
"""How long one git command may take before the check gives up on git's history (the general advice then)."""


def git_output(top: str | Path, *args: str, text_in: str | None = None) -> str | None:
    """The output of ``git -C top ARGS`` (None: git failed, is missing, or took over :data:`GIT_SECONDS`)."""
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "-C", str(top), *args],
            input=text_in,
            capture_output=True,
            text=True,
            timeout=GIT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.SubprocessError, UnicodeDecodeError):
        return None
    return done.stdout if done.returncode == 0 else None
