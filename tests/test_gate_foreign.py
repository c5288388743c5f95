"""What ``foreign`` says of a file where a baseline goes: a kind to branch on, and its message.

The callers (``check --update``, the orphan baselines of a folder) branch on the kind; the
messages are the ones users read (each worked out from the file's text below).
"""

from __future__ import annotations

import json

import pytest

from simulator.gate.baseline import Foreign, Kind, foreign


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda path: None, None),  # no file
        (lambda path: path.write_text('{\n  "format": "stockpile-baseline/2",\n  "bad": \n'), None),  # damaged: ours
        (lambda path: path.write_text('{\n  "format": "stockpile-baseline/1"\n}\n'), None),  # the earlier format
        (lambda path: path.mkdir(), Foreign(Kind.NOT_A_FILE, "not a regular file")),
        (
            lambda path: path.write_text(json.dumps({"format": "stockpile-baseline/9"}, indent=2)),
            Foreign(
                Kind.NEWER, "written by a newer stockpile (format 'stockpile-baseline/9'); this version reads format 2"
            ),
        ),
        (  # a format number not above this one's is no later baseline, whatever its text
            lambda path: path.write_text(json.dumps({"format": "stockpile-baseline/0"}, indent=2)),
            Foreign(Kind.NOT_A_BASELINE, 'not a stockpile baseline (no "format": "stockpile-baseline/2" line)'),
        ),
        (
            lambda path: path.write_text("written by a newer stockpile\n"),  # the words alone make no kind
            Foreign(Kind.NOT_A_BASELINE, 'not a stockpile baseline (no "format": "stockpile-baseline/2" line)'),
        ),
    ],
    ids=["none", "damaged", "earlier", "folder", "newer", "format-0", "words"],
)
def test_foreign_gives_the_kind_and_the_message(tmp_path, make, expected):
    path = tmp_path / "pair.json"
    make(path)
    assert foreign(path) == expected
