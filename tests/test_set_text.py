"""The text a value is shown as after ``--set PATH=`` (:func:`simulator.scenario.overrides.shown`) reads back
through the ``--set`` parser as the same value, of the same type.

Messages, the report and the explorer page all write values with that one formatter; the page's
"copy as command" line is pasted back as ``--set``, so text the parser would read as another
value (``'0.3'`` read as 0.3, ``'yes'`` as true) is a wrong command.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario.overrides import parse_assignment, shown
from simulator.scenario.strict_yaml import MAX_INTEGER_DIGITS


def same(a: Any, b: Any) -> bool:
    """Equal and of the same types all the way down (0.3 and '0.3', 1 and 1.0, 1 and True differ)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(k, j) and same(a[k], b[j]) for k, j in zip(a, b, strict=True))
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return a == b


def read_back(value: Any) -> Any:
    return parse_assignment(f"regions.japan.x={shown(value)}")[1]


WORDS = st.sampled_from(
    ["0.3", "1e-05", "yes", "No", "on", "null", "~", "true", ".inf", "2010-09-07", "12:30", "0x1F", "-inf", "010"]
)
"""Text that YAML reads as another type when it is not quoted."""
TEXT = st.one_of(WORDS, st.text(max_size=12), st.from_regex(r"[a-z_]{1,10}", fullmatch=True))
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**MAX_INTEGER_DIGITS) + 1, 10**MAX_INTEGER_DIGITS - 1),  # longer: refused as too large
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(min_value=dt.date(1000, 1, 1)),
    TEXT,
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(VALUES)
def test_a_value_shown_reads_back_through_set_as_itself(value):
    assert same(read_back(value), value), (value, shown(value))


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("0.3", "'0.3'"),  # was 0.3: pasted back, a number
        ("yes", "'yes'"),  # was yes: pasted back, true
        ({"days": 60}, "{days: 60}"),  # the page wrote this, messages wrote {"days": 60}
        (1e-05, "1e-05"),  # the page wrote 1.0e-05
        ({"kind": "loan", "end": dt.date(9999, 12, 31)}, "{kind: loan, end: 9999-12-31}"),
        ({"note": "a, b", "when": "2010-09-07"}, "{note: 'a, b', when: '2010-09-07'}"),
        (None, "null"),
        ("it's", "'it''s'"),  # quoted: an apostrophe is YAML's quote
        ("line\nbreak", '"line\\nbreak"'),
    ],
)
def test_text_yaml_would_read_as_another_value_is_quoted(value, text):
    assert shown(value) == text
    assert same(read_back(value), value)
