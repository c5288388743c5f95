"""The scenarios' citations and sweep ranges agree with the pages that document them.

Every figure id a scenario cites in ``[brackets]`` is defined on a figure page the
scenario names (``docs/calibration.md`` for the 2010 replay, ``docs/scenarios.md`` for the
2025+ library); every section a scenario cites by name exists; and the sweep table of
``docs/calibration.md`` lists the ``uncertain:`` ranges of the 2010 replays as they are.
"""

from __future__ import annotations

import datetime
import re
from pathlib import Path

import pytest

from simulator.scenario import load_raw

ROOT = Path(__file__).resolve().parents[1]
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))
FIGURE_PAGES = ("docs/calibration.md", "docs/scenarios.md")
REPLAYS = ("embargo_2010_historical.yaml", "embargo_2010.yaml", "embargo_2010_scarce.yaml")

ID = r"[A-Z]{1,2}\d+"
CITATION = re.compile(rf"\[({ID}(?:[-–]{ID})?(?:\s*[,;]\s*{ID}(?:[-–]{ID})?)*)\]")
DEFINITION = re.compile(rf"^(?:\|\s*({ID})\s*\||- \*\*({ID})\*\*)", re.M)
SECTION_CITATION = re.compile(r"docs/calibration\.md,?\s*\(?\"([^\"]+)\"")


def cited_ids(text: str) -> set[str]:
    """Figure ids cited in ``[brackets]``; a range ``P3-P6`` cites P3, P4, P5 and P6.

    >>> sorted(cited_ids("x [Q6, P3-P5] y [japan, eu] [A2]"))
    ['A2', 'P3', 'P4', 'P5', 'Q6']
    """
    ids = set()
    for group in CITATION.findall(text):
        for item in re.split(r"\s*[,;]\s*", group):
            ends = [re.fullmatch(r"([A-Z]+)(\d+)", part) for part in re.split(r"[-–]", item)]
            prefix, first, last = ends[0][1], int(ends[0][2]), int(ends[-1][2])
            ids |= {f"{prefix}{n}" for n in range(first, last + 1)}
    return ids


def defined_ids(page: str) -> list[str]:
    """Ids defined on a figure page: first cell of a table row, or a bold list item."""
    return [a or b for a, b in DEFINITION.findall((ROOT / page).read_text())]


def headings(page: str) -> set[str]:
    """Heading texts of a page, as written (without a ``{#anchor}`` attribute list)."""
    found = re.findall(r"^#+ (.+?)(?: \{#[\w-]+\})?$", (ROOT / page).read_text(), re.M)
    return {m.strip() for m in found}


def test_no_figure_id_is_defined_twice():
    ids = [i for page in FIGURE_PAGES for i in defined_ids(page)]
    assert sorted({i for i in ids if ids.count(i) > 1}) == []


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_every_cited_figure_id_is_defined_on_a_page_the_scenario_names(scenario: Path):
    text = scenario.read_text()
    cited = cited_ids(text)
    pages = [page for page in FIGURE_PAGES if page in text]
    assert pages or not cited, f"{scenario.name} cites figure ids but names no figure page"
    defined = {i for page in pages for i in defined_ids(page)}
    assert sorted(cited - defined) == [], f"{scenario.name}: ids not defined on {pages}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda p: p.name)
def test_sections_of_the_calibration_page_cited_by_name_exist(scenario: Path):
    titles = headings("docs/calibration.md")
    for title in SECTION_CITATION.findall(scenario.read_text()):
        assert any(h == title or h.startswith(title + " (") for h in titles), (
            f'{scenario.name}: no section "{title}" in docs/calibration.md'
        )


def sweep_rows() -> dict[str, str]:
    """Field path -> range cell, from the table of the calibration page's sweep section."""
    text = (ROOT / "docs/calibration.md").read_text()
    section = text.split("## Where sources disagree, and what to sweep", 1)[1].split("\n## ", 1)[0]
    rows: dict[str, str] = {}
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0].isdigit():
            for path in re.findall(r"`([^`]+)`", cells[1]):
                if "." in path:
                    rows[path] = cells[2]
    return rows


def written(value: object) -> str:
    """A value as the sweep table writes it: a date in ISO form, a number without a trailing ``.0``."""
    if isinstance(value, datetime.date) or re.fullmatch(r"\d{4}-\d\d-\d\d", str(value)):
        return str(value)
    return f"{float(value):g}"


def ranges(cell: str) -> set[tuple[str, str]]:
    """Ranges written in a cell, ``low–high`` or ``low to high`` (thousands commas and minus signs allowed).

    >>> sorted(ranges("16,900–22,300 t (30,184 × 0.56–0.74)"))
    [('0.56', '0.74'), ('16900', '22300')]
    >>> sorted(ranges("−0.3 to −0.02; 2010-11-20 – 2010-12-07; 0.5–1.0"))
    [('-0.3', '-0.02'), ('0.5', '1'), ('2010-11-20', '2010-12-07')]
    """
    plain = re.sub(r"(?<=\d),(?=\d{3})", "", cell).replace("−", "-")
    value = r"(\d{4}-\d\d-\d\d|-?\d+(?:\.\d+)?)"
    return {(written(a), written(b)) for a, b in re.findall(rf"{value}\s*(?:–|to)\s*{value}", plain)}


def uncertain_entries() -> list[tuple[str, dict]]:
    return [(name, entry) for name in REPLAYS for entry in load_raw(ROOT / "scenarios" / name)["uncertain"]]


@pytest.mark.parametrize(("name", "entry"), uncertain_entries(), ids=lambda x: x if isinstance(x, str) else x["path"])
def test_sweep_table_gives_each_uncertain_range_of_the_replays(name: str, entry: dict):
    rows = sweep_rows()
    assert entry["path"] in rows, f"{name}: {entry['path']} is not in the sweep table"
    if "low" in entry:
        wanted = (written(entry["low"]), written(entry["high"]))
        cell = rows[entry["path"]]
        assert wanted in ranges(cell), f"{name}: {entry['path']} range {wanted} not in {cell!r}"


def test_sweep_table_lists_only_fields_the_replays_sample():
    sampled = {entry["path"] for _, entry in uncertain_entries()}
    assert sorted(set(sweep_rows()) - sampled) == []
