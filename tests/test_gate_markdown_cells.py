"""The Markdown table of ``stockpile check --format markdown`` shows file names as they are.

A table cell escaped ``<`` but not ``_`` or ``*`` (notes/s50/final_review.md, item 5): a scenario
``sc/star*_x_.yaml`` read ``sc/star*<em>x</em>.yaml`` once rendered, in the file column and inside
the command of the row's message. Cells now escape what the advice paragraphs escape (one function).
"""

from __future__ import annotations

import shutil
from pathlib import Path

from simulator.gate.formats import _cell, _markdown_text
from tests import test_check
from tests.test_check import check

pair_tree = test_check.pair_tree


def test_a_file_name_with_markdown_marks_reads_literally_in_the_table(tmp_path, pair_tree, monkeypatch):
    monkeypatch.chdir(tmp_path)  # relative paths: the expected row is written out whole
    Path("sc").mkdir()
    shutil.copy(pair_tree / "pair.yaml", Path("sc") / "star*_x_.yaml")  # no baseline
    result = check("sc", "--format", "markdown")
    assert result.exit_code == 2, result.output  # bad input: no baseline
    lines = result.output.splitlines()
    table = lines.index("| status | scenario | file | what moved |")
    assert lines[table + 2] == (
        "| no baseline | star\\*\\_x\\_ (name: pair) | sc/star\\*\\_x\\_.yaml | no baseline at "
        "sc/baselines/star\\*\\_x\\_.json: for a new scenario, write it with stockpile check --update "
        "'sc/star\\*\\_x\\_.yaml'; if a baseline was deleted, restore it from your copy instead (no git history "
        "could be read here; an update would hide the deletion) |"
    )


def test_a_cell_escapes_as_an_advice_line_does_and_its_pipes_too():
    text = "a|b <c&d> _e_ *f* ~g~ [h] `i` \\j"
    assert _cell(text) == _markdown_text(text) == "a\\|b \\<c\\&d\\> \\_e\\_ \\*f\\* \\~g\\~ \\[h\\] \\`i\\` \\\\j"
