"""A page written into an output folder by ``report -o`` or ``explore -o`` is the tool's own (audit s50, item 1).

``make explore`` writes ``results/long_embargo_6m/explorer.html`` and then, by
``stockpile report -o results/long_embargo_6m/report.html``, the report beside it. Those
commands write one file and no manifest, so a later ``stockpile run --report`` into the
folder once refused: "report.html: exists and is not listed in this folder's
manifest.json, so not written by stockpile". A folder command now knows such a page by the
mark by which ``report -o`` replaces only its own pages (``output_folder.is_page``): it
replaces the page when it writes that name, leaves it when it does not, and still refuses
the user's own file of that name.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.output_folder import PAGE_HEAD, is_page
from tests.helpers import (
    TWO_MEMBERS,
    TWO_MEMBERS_REPORT,
    assert_bad_input,
    contents,
    forbid_simulation,
    invoke,
    manifest_of,
    two_members_report,
)
from tests.test_sweep import write

AXIS = ("--axis", "agreement.mechanism=fair_ratio,equal_cover", "--workers", 1)
RUN = ("--report", "--no-plots", "--set", "horizon_days=50")
"""A run whose report differs from the one ``report`` writes for the scenario as it is (60 days)."""


def run_report(tmp_path: Path, scenario: Path) -> bytes:
    """The report of ``run SCENARIO RUN`` written into a new folder (reports are deterministic)."""
    fresh = tmp_path / "fresh"
    assert invoke("run", scenario, *RUN, "-o", fresh).exit_code == 0
    return (fresh / "report.html").read_bytes()


def test_a_run_replaces_the_report_page_that_report_wrote_into_its_folder(tmp_path):
    """(a) ``report -o F/report.html`` then ``run --report -o F``: no --force, and the report is the run's."""
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "out"
    assert invoke("report", scenario, "-o", folder / "report.html").exit_code == 0
    earlier = (folder / "report.html").read_bytes()
    result = invoke("run", scenario, *RUN, "-o", folder)
    assert result.exit_code == 0, result.output
    now = (folder / "report.html").read_bytes()
    assert now == run_report(tmp_path, scenario)
    assert now != earlier
    assert "report.html" in manifest_of(folder)["files"]  # the run's output now: listed like any file it wrote


def test_the_pages_of_make_explore_are_kept_or_replaced_and_nothing_else_is_touched(tmp_path):
    """(b), (d) ``make explore`` (explorer page, then report) then ``run --report``: the explorer page
    is kept as it was, unlisted, and the run's report links to it; the user's file beside them is
    not touched or listed. A later run without --report leaves the explorer page again."""
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "out"
    assert invoke("explore", scenario, *AXIS, "-o", folder / "explorer.html").exit_code == 0
    assert invoke("report", scenario, "-o", folder / "report.html").exit_code == 0
    (folder / "notes.txt").write_text("my notes\n")
    explorer = (folder / "explorer.html").read_bytes()
    result = invoke("run", scenario, *RUN, "-o", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "explorer.html").read_bytes() == explorer
    assert (folder / "notes.txt").read_text() == "my notes\n"
    files = manifest_of(folder)["files"]
    assert "report.html" in files
    assert "explorer.html" not in files
    assert "notes.txt" not in files
    assert 'href="explorer.html#agreement.mechanism=fair_ratio"' in (folder / "report.html").read_text()
    # the next run does not write a report: the run's report goes with its output, the rest stays
    result = invoke("run", scenario, "--no-plots", "-o", folder)
    assert result.exit_code == 0, result.output
    assert not (folder / "report.html").exists()
    assert (folder / "explorer.html").read_bytes() == explorer
    assert (folder / "notes.txt").read_text() == "my notes\n"


def test_a_report_page_the_run_does_not_write_is_left_unlisted(tmp_path):
    """(d) A run without --report leaves ``report -o``'s page as it was; a later run with --report replaces it."""
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "out"
    assert invoke("run", scenario, "--no-plots", "-o", folder).exit_code == 0
    assert invoke("report", scenario, "-o", folder / "report.html").exit_code == 0
    page = (folder / "report.html").read_bytes()
    assert invoke("run", scenario, "--no-plots", "-o", folder).exit_code == 0
    assert (folder / "report.html").read_bytes() == page
    assert "report.html" not in manifest_of(folder)["files"]
    result = invoke("run", scenario, *RUN, "-o", folder)
    assert result.exit_code == 0, result.output
    assert (folder / "report.html").read_bytes() == run_report(tmp_path, scenario)


USERS_REPORTS = {
    "plain": "<p>my own report</p>",
    "html": "<!DOCTYPE html>\n<html><head><title>my report</title></head><body></body></html>\n",
    "quoting": (
        "<!DOCTYPE html>\n<html>\n<head>\n<title>my notes</title>\n</head>\n<body>\n"
        '<!-- <meta name="generator" content="stockpile"> -->\n</body>\n</html>\n'
    ),
    # review s50: the mark quoted in a comment inside <head>, in a textarea's text, in a page with no head
    "comment in head": (
        '<!DOCTYPE html>\n<html><head><title>mine</title><!-- copy of <meta name="generator" content="stockpile 0.1">'
        " --></head><body>mine</body></html>\n"
    ),
    "textarea": (
        "<!DOCTYPE html>\n<html><body><h1>How to tag pages</h1><textarea><head>"
        '<meta name="generator" content="stockpile"></head></textarea></body></html>\n'
    ),
    "no head": (
        '<!DOCTYPE html><html><body><p>See <code><head><meta name="generator" content="stockpile"></code></p>'
        "</body></html>\n"
    ),
}
"""Files of the user's at ``report.html``: not pages stockpile wrote (the others quote the mark, none opens as a
page stockpile writes does)."""


@pytest.mark.parametrize("kind", [*USERS_REPORTS, "link"])
def test_the_users_own_report_is_still_refused(tmp_path, monkeypatch, kind):
    """(c) A report.html stockpile did not write: the run refuses before it simulates, touching nothing.

    A link to a page stockpile wrote is the user's too (stockpile writes no links)."""
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "out"
    folder.mkdir()
    if kind == "link":
        assert invoke("report", scenario, "-o", tmp_path / "page.html").exit_code == 0
        (folder / "report.html").symlink_to(tmp_path / "page.html")
    else:
        (folder / "report.html").write_text(USERS_REPORTS[kind])
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("run", scenario, *RUN, "-o", folder)
    assert_bad_input(result, f"error: {folder}: report.html: exists and is not listed in this folder's manifest.json")
    assert contents(folder) == before
    assert not is_page(folder / "report.html")


def test_only_the_users_files_are_named_beside_a_page_stockpile_wrote(tmp_path, monkeypatch):
    """(c) Beside ``report -o``'s page, the user's own ``pool.csv`` is refused, and it alone is named."""
    scenario = write(tmp_path, TWO_MEMBERS)
    folder = tmp_path / "out"
    assert invoke("report", scenario, "-o", folder / "report.html").exit_code == 0
    (folder / "pool.csv").write_text("my,own\n1,2\n")
    before = contents(folder)
    forbid_simulation(monkeypatch)
    result = invoke("run", scenario, *RUN, "-o", folder)
    assert_bad_input(result, f"error: {folder}: pool.csv: exists and is not listed")
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, lines  # one line per file refused: report.html is not among them
    assert "report.html" not in result.output
    assert contents(folder) == before


@TWO_MEMBERS_REPORT
def test_both_kinds_of_page_open_with_the_head_is_page_reads():
    """The report's and the explorer's templates open with :data:`PAGE_HEAD`, byte for byte: a change to either
    head must change it too, or a folder command would no longer know its own pages."""
    from simulator.explore.page import template

    assert template().encode().startswith(PAGE_HEAD)
    assert two_members_report().encode().startswith(PAGE_HEAD)


def test_is_page_knows_only_html_pages_stockpile_wrote(tmp_path):
    """The mark must open the file and sit in its ``<head>``, in a regular file named ``*.html``."""
    scenario = write(tmp_path, TWO_MEMBERS)
    page = tmp_path / "report.html"
    assert invoke("report", scenario, "-o", page).exit_code == 0
    assert is_page(page)
    renamed = tmp_path / "report.csv"
    renamed.write_bytes(page.read_bytes())
    assert not is_page(renamed)  # a page under another name is not what a command writes there
    assert not is_page(tmp_path / "missing.html")
    for kind, text in USERS_REPORTS.items():
        mine = tmp_path / f"{kind}.html"
        mine.write_text(text)
        assert not is_page(mine), kind
