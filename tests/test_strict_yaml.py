"""The two YAML readers of :mod:`simulator.scenario.strict_yaml` read every text the same way.

libyaml reads first; a text it finds any problem in goes to the pure-Python reader, whose
messages name field paths (their wording is tested in ``test_input_limits.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.scenario.strict_yaml import _UNSURE, MAX_DEPTH, _quick, _StrictLoader, load_yaml

ROOT = Path(__file__).resolve().parents[1]
SCALARS = [
    "1e3",
    "-2.5E-4",
    "1_000",
    "0x1F",
    "0o17",
    "010",
    "~",
    "null",
    "yes",
    "No",
    "on",
    ".inf",
    "-.Inf",
    ".nan",
    "2010-09-07",
    "2010-13-01",
    "2010-09-07 12:30:00",
    "'quoted: text'",
    '"escaped \\u00e9"',
    "12:30",
    "+5",
    "1.",
    "text with # no comment",
]


def careful(text: str) -> object:
    loader = _StrictLoader(text, "")
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def shipped_texts() -> dict[str, str]:
    """Every shipped scenario, the project's other YAML files and every YAML block of the docs."""
    files = [*(ROOT / "scenarios").glob("*.yaml"), ROOT / "mkdocs.yml", *(ROOT / "docs").rglob("*.yml")]
    texts = {str(path): path.read_text() for path in files}
    for page in (ROOT / "docs").glob("*.md"):
        for k, block in enumerate(re.findall(r"```yaml\n(.*?)```", page.read_text(), re.DOTALL)):
            texts[f"{page.name} block {k}"] = block
    return texts


def test_every_shipped_scenario_and_docs_example_reads_the_same_with_both_readers():
    texts = shipped_texts()
    assert len(texts) > 40
    for name, text in texts.items():
        quick = _quick(text)
        if name.endswith((".yaml", ".yml")) and "mkdocs" not in name:
            assert quick is not _UNSURE, name  # a file without problems never needs the careful reader
        if quick is not _UNSURE:
            assert repr(quick) == repr(careful(text)), name


@settings(max_examples=150, deadline=None)
@given(
    st.recursive(
        st.sampled_from(SCALARS),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4).map(lambda items: "[" + ", ".join(items) + "]"),
            st.dictionaries(st.from_regex(r"[a-z]{1,6}", fullmatch=True), inner, max_size=4).map(
                lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs.items()) + "}"
            ),
        ),
        max_leaves=12,
    ),
    st.booleans(),
)
def test_tricky_scalars_in_flow_and_block_style_read_the_same(flow_text, as_block):
    text = flow_text
    if as_block:  # the same data written in block style by PyYAML
        try:
            text = yaml.safe_dump(careful(flow_text), default_flow_style=False)
        except yaml.YAMLError:
            return
    quick = _quick(text)
    if quick is not _UNSURE:
        assert repr(quick) == repr(careful(text))


def test_texts_with_a_problem_go_to_the_careful_reader():
    assert _quick("a: 1\na: 2\n") is _UNSURE  # a key given twice
    assert _quick("n: " + "9" * 31) is _UNSURE  # an integer too long
    assert _quick("n: !!int abc") is _UNSURE
    assert _quick("a: [1, 2") is _UNSURE  # malformed
    assert _quick("[" * MAX_DEPTH + "]" * MAX_DEPTH) is _UNSURE  # as deep as allowed: left to the careful reader
    assert load_yaml("[" * MAX_DEPTH + "]" * MAX_DEPTH) is not None
    assert _quick("[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is not _UNSURE


def test_values_the_rules_define():
    assert load_yaml("a: 1e3\nb: 2010-09-07\nc: 2010-13-01\nd: 1_000\n") == {
        "a": 1000.0,
        "b": dt.date(2010, 9, 7),
        "c": "2010-13-01",
        "d": 1000,
    }
    assert load_yaml("base: &b {x: 1, y: 2}\nuse:\n  <<: *b\n  y: 3\n")["use"] == {"x": 1, "y": 3}
    assert load_yaml("") is None
