"""The package version and a fingerprint of its code, in one place (``pyproject.toml`` reads the version here).

Layer: ground.
"""

import functools
import hashlib
from pathlib import Path
from typing import Any

__version__ = "0.1.0"


@functools.cache
def code_fingerprint() -> str:
    """16 hex digits of SHA-256 over the package's Python source files (paths and contents).

    The version string does not change with every edit, the numbers may: a sweep resumes
    only chunks made by the same code, and Dask workers must run the code the command runs.
    Windows line endings are read as Unix ones, so a Windows checkout of the same code agrees.
    """
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*.py")):
        text = path.read_bytes().replace(b"\r\n", b"\n")
        digest.update(path.relative_to(root).as_posix().encode() + b"\0" + text + b"\0")
    return digest.hexdigest()[:16]


NUMERIC_LIBRARIES = ("numpy", "pandas", "scipy", "simpy")
"""The libraries whose versions may move the numbers: recorded with every study, and a Dask worker's must match."""


def library_versions() -> dict[str, str]:
    """The installed version of each of :data:`NUMERIC_LIBRARIES` (``"not installed"`` where one is missing).

    Read from the installed packages' metadata, so none of them is imported.
    """
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in NUMERIC_LIBRARIES:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = "not installed"
    return found


def made_with() -> dict[str, Any]:
    """What made an output besides its inputs: stockpile's code, Python, the numeric libraries, the platform.

    ``code`` is :func:`code_fingerprint`; ``python`` the interpreter's version (``3.11.9``);
    ``libraries`` :func:`library_versions`; ``platform`` :func:`platform.platform`
    (``Linux-6.8.0-x86_64-with-glibc2.39``).
    All but ``code`` are facts of the machine: two machines give the same numbers with other ones only as far
    as the libraries agree. Recorded as ``made_with`` in a run's and a comparison's ``manifest.json``, ``sweep.json``
    and ``sensitivity.json`` (``docs/outputs.md``).
    """
    import platform

    return {
        "code": code_fingerprint(),
        "python": platform.python_version(),
        "libraries": library_versions(),
        "platform": platform.platform(),
    }


def libraries_apart(theirs: dict[str, str], ours: dict[str, str]) -> list[str]:
    """Each library of :data:`NUMERIC_LIBRARIES` whose version differs, as ``name theirs (here ours)``.

    >>> libraries_apart({"numpy": "2.4.6", "pandas": "3.1.1"}, {"numpy": "2.3.0", "pandas": "3.1.1"})
    ['numpy 2.4.6 (here 2.3.0)']
    """
    return [
        f"{name} {theirs.get(name, 'not installed')} (here {ours.get(name, 'not installed')})"
        for name in NUMERIC_LIBRARIES
        if theirs.get(name, "not installed") != ours.get(name, "not installed")
    ]
