"""The package version and a fingerprint of its code, in one place (``pyproject.toml`` reads the version here).

Layer: ground.
"""

import functools
import hashlib
from pathlib import Path

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
