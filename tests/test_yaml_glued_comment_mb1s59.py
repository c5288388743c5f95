"""A key glued to its value (``mechanism:hybrid``) is named as that whatever comment or blank lines follow it.

A comment line ends a plain text in YAML, so the key on the line after the comment is read as a
new mapping that "lines up with nothing above it"; the one cause is the glued line above, at its
own line and column.
"""

from __future__ import annotations

import pytest

from simulator.errors import InputError
from simulator.scenario.strict_yaml import load_yaml
from tests.helpers import ROOT

HINT = "is not a key and its value: YAML needs a space after the colon"
GLUED = f"line 2, column 3: 'mechanism:hybrid' {HINT} (mechanism: hybrid, not mechanism:hybrid)"


@pytest.mark.parametrize(
    "between",
    [
        "",  # nothing between: YAML already stopped at a ':' the glued text runs on into
        "  # a comment\n",
        "# a comment at column 1\n",
        "\n  # a comment after a blank line\n\n",
    ],
)
def test_the_glued_line_is_named_whatever_comment_or_blank_lines_follow(between):
    text = f"agreement:\n  mechanism:hybrid\n{between}  members: [japan]\n"
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    assert caught.value.render() == f"malformed YAML: {GLUED}"


def test_the_shipped_embargo_file_with_its_members_glued_names_the_glued_line():
    text = (ROOT / "scenarios" / "long_embargo_6m.yaml").read_text(encoding="utf-8")
    assert "\n  members: [japan, eu]\n" in text
    glued = text.replace("\n  members: [japan, eu]\n", "\n  members:[japan, eu]\n")
    with pytest.raises(InputError) as caught:
        load_yaml(glued)
    line = text[: text.index("  members: [japan, eu]")].count("\n") + 1  # the glued line, not the next key's
    said = f"line {line}, column 3: 'members:[japan, eu]' {HINT} (members: [japan, eu], not members:[japan, eu])"
    assert caught.value.render() == f"malformed YAML: {said}"


def test_a_mis_indented_key_under_a_comment_still_lines_up_with_nothing():
    text = "agreement:\n  mechanism: hybrid\n  # a comment\n members: [japan]\n"
    with pytest.raises(InputError) as caught:
        load_yaml(text)
    said = (
        "line 4, column 2: this line starts at column 2, which lines up with nothing above it "
        "(the mapping from line 1 starts its keys at column 1)"
    )
    assert caught.value.render() == f"malformed YAML: {said}"
