"""The one reader of the JSON files stockpile reads back: manifests, sweep.json, chunk receipts, baselines, pages.

Layer: ground (imports nothing from the project).

Python's :func:`json.loads` stops with a :class:`RecursionError`, not a
:class:`json.JSONDecodeError`, at lists or objects nested past its recursion limit
(``[[[...]]]`` some thousand deep: valid JSON it cannot read). :func:`read_json` turns that
into :class:`NestedTooDeeply`, a :class:`ValueError` as every other unreadable JSON is, so a
read catches ``ValueError`` alone and the words for it are written here once.
"""

from __future__ import annotations

import json
from typing import Any


class NestedTooDeeply(ValueError):
    """Valid JSON whose lists or objects nest too deeply for Python to read (its recursion limit).

    ``message`` has a default so that the error can be unpickled (pickle passes the message back),
    as from a worker process.
    """

    def __init__(self, message: str = "lists or objects nested too deeply to read") -> None:
        super().__init__(message)


def read_json(text: str | bytes, **hooks: Any) -> Any:
    """The value ``text`` holds (bytes: UTF-8, -16 or -32, as :func:`json.loads` tells them apart).

    ``hooks``: passed to :func:`json.loads` (``object_pairs_hook``, ``parse_float``...).
    Raises :class:`json.JSONDecodeError` for text that is not JSON, :class:`NestedTooDeeply`
    for JSON nested past reading, :class:`UnicodeDecodeError` for bytes that are not text:
    all three are :class:`ValueError`.
    """
    try:
        return json.loads(text, **hooks)
    except RecursionError:
        raise NestedTooDeeply from None
