"""A file that cannot be made in a folder that exists says why in words: a read-only file system, or no permission.

Tests run as root, on a writable disk: neither refusal happens here, so the temporary file of the
write check fails with the error a read-only mount (EROFS) or a folder without write permission
(EACCES, or EPERM where an attribute forbids it) gives.
"""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from simulator.errors import InputError
from simulator.output_folder import check_file_writable


def refused_with(monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    """Every temporary file made from now on fails with ``code``, naming the file it would have made."""

    def refuse(*_args: Any, dir: Any = None, prefix: str = "", **_options: Any) -> Any:
        raise OSError(code, os.strerror(code), str(Path(dir) / f"{prefix}abc123"))

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", refuse)


@pytest.mark.parametrize(
    ("code", "why"),
    [
        (errno.EROFS, "its file system is read-only"),
        (errno.EACCES, "no permission to write in that folder (Permission denied)"),
        (errno.EPERM, "no permission to write in that folder (Operation not permitted)"),
    ],
)
def test_a_file_refused_in_a_folder_that_exists_says_why(tmp_path, monkeypatch, code, why):
    """``tmp_path/report.xml``: the file's name, the folder, and the refusal in words (not a system folder)."""
    refused_with(monkeypatch, code)
    with pytest.raises(InputError) as caught:
        check_file_writable(tmp_path / "report.xml")
    assert (
        caught.value.render()
        == f"{tmp_path / 'report.xml'}: cannot write this file: cannot create report.xml in {tmp_path}: {why}"
    )
