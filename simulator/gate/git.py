"""The git commands the gate reads history with, shared by the check of missing baselines and of edited fields.

Layer: studies.

Every command runs as ``git --literal-pathspecs -C <folder>`` (a path is a name, never a
pattern) and gives up after :data:`GIT_SECONDS`; a failure of any kind (no git, not a work
tree, too slow) reads as "git cannot tell", never as an error of the check.

The repository read is the one holding the scenario's folder, found from that folder as git
finds it from a shell there: the variables that name a repository (:data:`REPOSITORY_VARIABLES`)
are left out of git's environment. A git hook sets them for its own repository (``GIT_INDEX_FILE``
always, ``GIT_DIR`` in a linked work tree), often relative to the hook's folder, and git reads
them before ``-C``'s folder: from a hook, ``rev-parse --show-toplevel`` named the scenario's
folder as the top and the history of the file was never found.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_SECONDS = 10.0
"""How long one git command may take before the check gives up on git's history (the general advice then)."""

REPOSITORY_VARIABLES = frozenset(
    {
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_IMPLICIT_WORK_TREE",
        "GIT_COMMON_DIR",
        "GIT_INDEX_FILE",
        "GIT_OBJECT_DIRECTORY",
        "GIT_ALTERNATE_OBJECT_DIRECTORIES",
        "GIT_SHALLOW_FILE",
        "GIT_GRAFT_FILE",
        "GIT_PREFIX",
        "GIT_INTERNAL_SUPER_PREFIX",
    }
)
"""The environment variables that tell git where a repository and its files are, left out of the gate's git
commands: those of ``git rev-parse --local-env-vars`` (what git itself clears to work in another repository)
less the configuration's (``GIT_CONFIG`` and ``GIT_CONFIG_*``: a ``safe.directory`` a CI job sets there still
applies) and the replace refs' (``GIT_NO_REPLACE_OBJECTS``, ``GIT_REPLACE_REF_BASE``). ``GIT_INTERNAL_SUPER_PREFIX``
(git 2.39 lists it: set while git recurses into a submodule, the submodule's path in its superproject) would put
that path before the file paths some commands print."""

_TOPS: dict[str, str] = {}
"""The top of the work tree found for each folder (resolved), in this process: see :func:`tracked_path`."""


def git_output(top: str | Path, *args: str, text_in: str | None = None) -> str | None:
    """The output of ``git -C top ARGS`` (None: git failed, is missing, or took over :data:`GIT_SECONDS`)."""
    done = _git(top, args, None if text_in is None else text_in.encode())
    try:
        return None if done is None else done.decode()
    except UnicodeDecodeError:
        return None


def _git(top: str | Path, args: tuple[str, ...], bytes_in: bytes | None = None) -> bytes | None:
    """The output bytes of ``git -C top ARGS`` (None: git failed, is missing, or took over :data:`GIT_SECONDS`)."""
    try:
        done = subprocess.run(
            ["git", "--literal-pathspecs", "-C", str(top), *args],
            input=bytes_in,
            capture_output=True,
            timeout=GIT_SECONDS,
            check=False,
            env=git_environment(),
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def git_environment() -> dict[str, str]:
    """The environment git runs in: this process's less :data:`REPOSITORY_VARIABLES` (read at each command)."""
    return {name: value for name, value in os.environ.items() if name not in REPOSITORY_VARIABLES}


def tracked_path(path: Path) -> tuple[str, str] | None:
    """The top of the git work tree holding ``path`` and the file's path in it (None: in no work tree, or out of it).

    The top is looked up once per folder in a process (a check of several scenarios of one
    folder asks git once); a folder found in no work tree is asked again next time, as it
    may have become one (``git init``).
    """
    folder = str(path.resolve().parent)
    if folder not in _TOPS:
        top = (git_output(folder, "rev-parse", "--show-toplevel") or "").strip()
        if not top:
            return None
        _TOPS[folder] = top
    top = _TOPS[folder]
    try:
        return top, Path(os.path.realpath(path)).relative_to(top).as_posix()
    except ValueError:  # the work tree git names is elsewhere (core.worktree): the file is not in it
        return None


def committed_texts(top: str, relative: str, most: int) -> list[str]:
    """The texts of ``relative`` in the last ``most`` commits that changed it, newest first, read in two commands.

    One ``git log`` names the commits, one ``cat-file --batch`` reads every version. A version
    missing from its commit (the commit deleted the file) or not UTF-8 is left out; git failing
    leaves out all.
    """
    if "\n" in relative:  # cat-file reads a name a line
        return []
    commits = (git_output(top, "log", f"-n{most}", "--format=%H", "--", relative) or "").split()
    if not commits:
        return []
    said = _git(top, ("cat-file", "--batch"), "".join(f"{c}:{relative}\n" for c in commits).encode())
    return [text for text in _batch_texts(said or b"") if text is not None]


def _batch_texts(said: bytes) -> list[str | None]:
    r"""The objects ``cat-file --batch`` gave, in order, as text (None: missing, or not UTF-8).

    Each is ``<id> <type> <size>\n<size bytes>\n``, or ``<name> missing\n`` (also ``ambiguous``).

    >>> _batch_texts(b"ab12 blob 3\nx: \nHEAD:gone.yaml missing\nab13 blob 2\n\xff\xfe\n")
    ['x: ', None, None]
    """
    texts: list[str | None] = []
    at = 0
    while (end := said.find(b"\n", at)) >= 0:
        header = said[at:end].split(b" ")
        at = end + 1
        if len(header) != 3 or not header[2].isdigit():  # missing or ambiguous: no content follows
            texts.append(None)
            continue
        size = int(header[2])
        try:
            texts.append(said[at : at + size].decode())
        except UnicodeDecodeError:
            texts.append(None)
        at += size + 1
    return texts
