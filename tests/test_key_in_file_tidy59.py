"""A sweep file's key that is no path is always named by the file's text or by YAML's reading of it (session 59).

``refuse_keys_not_paths`` fell back to Python's ``repr`` where the sweep file's ``key_in_file`` gave no text; it
always gives some (the file's own words, else ``shown`` of the value YAML read), so the fallback went. These files
reach each way ``key_in_file`` finds its text: as written, and as read where the text is not the key's own.
"""

from __future__ import annotations

import pytest

from simulator.errors import InputError
from simulator.sweep.grid import load_spec_file


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("grid:\n  1.5 : [1, 2]\n", "1.5"),  # as written
        ("set:\n  a.b: 1\n  0x1f : 3\n", "0x1f"),  # as written, the second key
        ("grid:\n  ' ' : [1]\n", "' '"),  # a blank text, quoted as written
        ("grid:\n  <<: {0x1f : [1]}\n", "31"),  # brought in by a merge key: as YAML reads it
        ("set:\n  <<: {no : 1}\n", "false"),
        ("<<: {grid: {1.5 : [1]}}\n", "1.5"),  # the grid itself merged in: the file has no key grid
        ("grid:\n  !!str : [1]\n", "''"),  # a tag alone: an empty text
        ("grid:\n  ? >\n  : [1]\n", "''"),  # an empty folded block
    ],
    ids=["number", "second", "blank", "merged-hex", "merged-bool", "merged-grid", "tag-only", "folded"],
)
def test_the_key_is_named_in_words_never_by_pythons_repr(tmp_path, text, key):
    spec = tmp_path / "sweep.yaml"
    spec.write_text(text)
    with pytest.raises(InputError) as caught:
        load_spec_file(spec)
    name = text.split(":")[0] if not text.startswith("<<") else "grid"
    assert str(caught.value) == (
        f"{spec}: {name}: the key {key} is not a dotted path; give each path as text, such as 'agreement.ratio.japan'"
    )
