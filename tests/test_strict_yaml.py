"""The two YAML readers of :mod:`simulator.scenario.strict_yaml` read every text the same way.

libyaml reads first; a text it finds any problem in goes to the pure-Python reader, whose
messages name field paths (their wording is tested in ``test_input_limits.py``).
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from simulator.errors import InputError
from simulator.scenario.strict_yaml import _UNSURE, MAX_DEPTH, _quick, _StrictLoader, load_yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED_SCENARIOS = [path.read_text() for path in sorted((ROOT / "scenarios").glob("*.yaml"))]
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
        # mkdocs.yml and the GitHub workflow are other tools' files (the workflow's `on:` is a key YAML 1.1 reads as
        # true, which stockpile refuses in its own files); every stockpile file has no problem for the careful reader
        if name.endswith((".yaml", ".yml")) and "mkdocs" not in name and "github-actions" not in name:
            assert quick is not _UNSURE, name
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


# --- broken YAML in plain words (simulator.scenario.yaml_messages) ---------------------------------

BROKEN = {
    "tab": ("a:\n\tb: 1\n", "line 2, column 1: a tab character; YAML indents with spaces only"),
    "reserved": ("a: @x\n", "line 1, column 4: '@' cannot start a value (YAML reserves it); put the value in quotes"),
    "second colon": ("a: b: c\n", "line 1, column 5: a second ': ' on one line; put a value that holds ': ' in quotes"),
    # c (column 4) is under b's value 1, so "1 c" is one text and its ':' is no key's
    "indented under a value": (
        "a:\n  b: 1\n   c: 2\n",
        "line 3, column 4: this key is indented more than the key above it, which already has a value; "
        "line up the keys",
    ),
    "line without a key above": (
        "a\nb: 1\n",
        "line 2, column 1: line 1 has no ':', so this line continues its text; give line 1 a key",
    ),
    "single quote": ("a: 'x\nb: 1\n", "line 1, column 4: the quoted text opened here is never closed"),
    "double quote": ('a: "x\n', "line 1, column 4: the quoted text opened here is never closed"),
    # the backslash is the 7th character of a: "C:\data"
    "escape": (
        'a: "C:\\data"\n',
        "line 1, column 7: '\\d' is not an escape YAML knows in double quotes: write '\\\\' for a backslash, "
        "or use single quotes",
    ),
    # "\u" wants 4 hexadecimal digits: the 'l' of "\ulm" (7th character) is not one
    "short escape": (
        'a: "\\ulm"\n',
        "line 1, column 7: an escape in double quotes needs 4 hexadecimal digits here: write '\\\\' for a backslash, "
        "or use single quotes",
    ),
    "list never closed": ("a: [1, 2\n", "line 1, column 4: the list opened with '[' here is never closed with ']'"),
    "list opened at the end": ("a: [\n", "line 2, column 1: the text ends before a '[' or '{' above it is closed"),
    "mapping never closed": (
        "a: {b: 1\n",
        "line 1, column 4: the mapping opened with '{' here is never closed with '}'",
    ),
    "list closed by a brace": (
        "a: {b: [1, 2}\n",
        "line 1, column 13: '}' before the list opened with '[' at line 1, column 8 is closed with ']'",
    ),
    "between two indentations": (
        "a:\n  b: 1\n c: 2\n",
        "line 3, column 2: this line starts at column 2, which lines up with nothing above it "
        "(the mapping from line 1 starts its keys at column 1)",
    ),
    "list item between two indentations": (
        "- a: 1\n - b: 2\n",
        "line 2, column 2: this line starts at column 2, which lines up with nothing above it "
        "(the list from line 1 starts its items at column 1)",
    ),
    "key among list items": (
        "s:\n  - a\n  foo: 1\n",
        "line 3, column 3: a key among the items of the list from line 2; each item starts with '- '",
    ),
    "list item among keys": (
        "a:\n  b: 1\n  - c\n",
        "line 3, column 3: a list item ('- ') among the keys of the mapping from line 2; "
        "give the list a key of its own",
    ),
    "line without a colon among keys": (
        "a: 1\nb\nc: 2\n",
        "line 2, column 1: a line with no ':' where a key is expected (write key: value)",
    ),
    "text after a quote": (
        "a: 'x' y\n",
        "line 1, column 8: text after the end of a value; put the whole value in quotes",
    ),
    "colon without a key": ("a: 1\n: 2\n", "line 2, column 1: a ':' with no key before it"),
    "closing bracket alone": ("a: 1\n]\n", "line 2, column 1: a ']' with no '[' before it"),
    "empty list item": ("a: [1,,2]\n", "line 1, column 7: a value is missing before ','"),
    "list item after a value": (
        "a: - b\n",
        "line 1, column 4: a list item ('- ') cannot start here; put the list on the lines under its key",
    ),
    "undefined alias": (
        "a: *x\n",
        "line 1, column 4: '*x' refers to no anchor '&x' above it; put a value starting with '*' in quotes",
    ),
    "anchor without a name": (
        "a: & b\n",
        "line 1, column 4: '&' must be followed by a name here; put a value starting with '&' in quotes",
    ),
    "anchor twice": ("a: &x 1\nb: &x 2\n", "line 2, column 4: the anchor '&x' is given twice (lines 1 and 2)"),
    "two documents": ("a: 1\n---\nb: 2\n", "line 2, column 1: a second document starts here; a file holds one"),
    "block scalar with text": (
        "a: |x\n",
        "line 1, column 4: '|' starts text on the lines below it and must end its line; "
        "put a value starting with '|' in quotes",
    ),
    "tag without a name": (
        'a: !"x"\n',
        "line 1, column 4: '!' starts a tag here; put a value starting with '!' in quotes",
    ),
    "directive": (
        "%\na: 1\n",
        "line 1, column 1: a line starting with '%' is a YAML directive; put its text in quotes",
    ),
    "python tag": (
        "a: !!python/object x\n",
        "line 1, column 4: the tag '!!python/object' is not allowed: only plain data is read "
        "(text, numbers, dates, lists, mappings)",
    ),
    "list as a key": ("? [a]\n: 1\n", "line 1, column 3: a list or mapping used as a key; a key is text or a number"),
    # BEL is the 5th character of "a: x\ay"
    "control character": (
        "a: x\x07y\n",
        "line 1, column 5: the character U+0007 is not allowed in YAML (a control character, not text)",
    ),
}


@pytest.mark.parametrize(("text", "words"), BROKEN.values(), ids=list(BROKEN))
def test_broken_yaml_is_told_in_plain_words(text, words):
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    assert str(caught.value) == f"malformed YAML: {words}"


def test_a_set_value_is_named_by_its_path():
    with pytest.raises(InputError) as caught:
        load_yaml("[1, 2", prefix="shocks")
    assert (
        str(caught.value)
        == "shocks: malformed YAML: line 1, column 1: the list opened with '[' here is never closed with ']'"
    )


PARSER_WORDS = re.compile(r"while (parsing|scanning)|<block|<stream|<scalar|<document|found '\?'|but (found|got)")
"""PyYAML's own terms, which a message in plain words has none of."""


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.data())
def test_a_shipped_scenario_broken_anywhere_is_told_in_plain_words(data):
    """One character put in, or taken out of, a shipped scenario: never a traceback, never PyYAML's terms."""
    text = data.draw(st.sampled_from(SHIPPED_SCENARIOS))
    where = data.draw(st.integers(0, len(text)))
    if data.draw(st.booleans()):
        text = text[:where] + data.draw(st.sampled_from(list("\t[]{}'\":,-&*!%@`|>?# "))) + text[where:]
    else:
        text = text[:where] + text[where + 1 :]
    message = ""
    try:
        load_yaml(text)
    except InputError as exc:
        message = str(exc)
    assert not PARSER_WORDS.search(message), message


def test_a_key_yaml_reads_as_a_boolean_is_told_with_the_quotes_that_fix_it():
    # YAML 1.1 reads the plain key no (Norway) as false; quoted, it is the text "no"
    with pytest.raises(InputError) as caught:
        load_yaml("regions:\n  no: 1\n")
    assert [(p.path, p.message) for p in caught.value.problems] == [
        ("regions.no", "YAML reads the key no as false; write 'no' in quotes to use it as a name (line 2)")
    ]
    assert load_yaml("regions:\n  'no': 1\n") == {"regions": {"no": 1}}


# --- YAML 1.1 numbers a reader would not expect (audit 38, finding 22) ----------------------------


BASE_60 = "is a base-60 number in YAML 1.1 ({}): write the number meant, or quote it as text"
OCTAL = "is octal in YAML 1.1 ({}): write it without the leading zero, or quote it as text"


@pytest.mark.parametrize(
    ("text", "meant_by_yaml_1_1", "why"),
    [
        ("12:10", 730, BASE_60.format(730)),  # 12 * 60 + 10
        ("1:30", 90, BASE_60.format(90)),
        ("1:30.5", 90.5, BASE_60.format(90.5)),
        ("017", 15, OCTAL.format(15)),  # 1 * 8 + 7
        ("-017", -15, OCTAL.format(-15)),
    ],
)
def test_base_60_and_leading_zero_numbers_are_refused_naming_the_field(text, meant_by_yaml_1_1, why):
    """Audit 38 #22: ``horizon_days: 12:10`` was read as 730 without a word."""
    assert yaml.safe_load(f"a: {text}") == {"a": meant_by_yaml_1_1}  # what plain PyYAML makes of it
    with pytest.raises(InputError) as caught:
        load_yaml(f"run:\n  horizon_days: {text}\n")
    assert [(p.path, p.message) for p in caught.value.problems] == [("run.horizon_days", f"'{text}' {why} (line 2)")]


def test_other_numbers_and_quoted_times_are_read_as_before():
    data = load_yaml("a: 0\nb: 10\nc: 0.5\nd: 0x1F\ne: '12:10'\nf: 1_000\ng: 1e3\nh: 0o17\n")
    assert data == {"a": 0, "b": 10, "c": 0.5, "d": 31, "e": "12:10", "f": 1000, "g": 1000.0, "h": "0o17"}


def test_a_base_60_set_value_is_refused_naming_the_option(tmp_path):
    from tests.helpers import TINY_SCENARIO_TEXT, assert_bad_input, invoke

    path = tmp_path / "s.yaml"
    path.write_text(TINY_SCENARIO_TEXT.replace("horizon_days: 40", "horizon_days: 12:10"))
    assert_bad_input(invoke("validate", path), f"{path}: horizon_days: '12:10' is a base-60 number in YAML 1.1 (730)")
    path.write_text(TINY_SCENARIO_TEXT)
    result = invoke("run", path, "--no-plots", "-o", tmp_path / "out", "--set", "horizon_days=1:30")
    assert_bad_input(result, "--set horizon_days: '1:30' is a base-60 number in YAML 1.1 (90)")
