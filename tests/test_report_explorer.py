"""The report's link to a what-if explorer page (``--explorer``, or ``explorer.html`` beside it)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import TWO_MEMBERS, build, no_traceback

pytestmark = pytest.mark.xdist_group("report-explorer")  # one explorer page for the module, also under pytest -n

AXES = ("agreement.ratio.japan=0.2:0.8:0.3", "agreement.mechanism=fair_ratio,proportional_to_demand")


@pytest.fixture(scope="module")
def explored(tmp_path_factory) -> tuple[Path, Path]:
    """The two-member scenario and its explorer page, in a folder of their own."""
    folder = tmp_path_factory.mktemp("explored")
    scenario = folder / "pair.yaml"
    scenario.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    page = folder / "pages" / "explorer.html"
    args = ["explore", str(scenario), *[a for axis in AXES for a in ("--axis", axis)], "--workers", "1"]
    result = CliRunner().invoke(main, [*args, "-o", str(page)])
    assert result.exit_code == 0, result.output
    return scenario, page


def _section(report: Path) -> str | None:
    found = re.search(r'<section id="explorer">.*?</section>', report.read_text(), re.DOTALL)
    return found.group(0) if found else None


def test_a_named_page_is_linked_by_its_relative_address_at_this_runs_point(explored, tmp_path):
    scenario, page = explored
    report = tmp_path / "out" / "report.html"
    args = ["report", str(scenario), "-o", str(report), "--set", "agreement.ratio.japan=0.8", "--explorer", str(page)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    section = _section(report)
    assert section is not None
    href = re.search(r'<a href="([^"]+)">open the explorer</a>', section).group(1)
    relative = Path("..") / ".." / page.parent.parent.name / "pages" / "explorer.html"
    assert (report.parent / relative).resolve() == page.resolve()
    # the run's ratio (0.8, set) and its mechanism (the file's fair_ratio) are both values of the page's axes
    assert href == f"{relative.as_posix()}#agreement.ratio.japan=0.8&amp;agreement.mechanism=fair_ratio"
    assert "6 variants (one run a point)" in section
    assert "<code>agreement.ratio.japan</code>: 0.2, 0.5, 0.8" in section
    # both values are on the page and nothing else was set: the page opens at this run's case
    assert "different case" not in section


def test_a_set_the_page_was_computed_without_is_named_with_both_values(explored, tmp_path):
    """The page's EU put in the file's 30 t; this run 90 t (its ratio 0.5 and fair_ratio are on the page)."""
    scenario, page = explored
    report = tmp_path / "report.html"
    args = ["report", str(scenario), "-o", str(report), "--explorer", str(page)]
    result = CliRunner().invoke(main, [*args, "--set", "agreement.pool.contributions.eu.ree.tonnes=90"])
    assert result.exit_code == 0, result.output
    section = _section(report)
    assert "<strong>The page opens at a different case from this report</strong>" in section
    items = re.findall(r"<li>(.*?)</li>", section.split("different case")[1].split("</ul>")[0])
    assert items == ["<code>agreement.pool.contributions.eu.ree.tonnes</code> is 90 in this run but 30 on the page"]


def test_a_page_computed_with_a_set_matches_a_run_with_it_and_not_one_without(explored, tmp_path):
    scenario, _ = explored
    page = tmp_path / "set.html"
    args = ["explore", str(scenario), "--axis", AXES[0], "--set", "agreement.pool.contributions.eu.ree.tonnes=90"]
    assert CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(page)]).exit_code == 0
    same, without = tmp_path / "same.html", tmp_path / "without.html"
    report = ["report", str(scenario), "--explorer", str(page)]
    with_set = ["--set", "agreement.pool.contributions.eu.ree.tonnes=90.0"]  # written otherwise, the same value
    assert CliRunner().invoke(main, [*report, "-o", str(same), *with_set]).exit_code == 0
    assert "different case" not in _section(same)
    assert CliRunner().invoke(main, [*report, "-o", str(without)]).exit_code == 0
    assert "<code>agreement.pool.contributions.eu.ree.tonnes</code> is 30 in this run but 90 on the page" in (
        _section(without)
    )


def test_a_shock_end_off_the_axis_names_the_day_the_page_opens_at_by_its_last_day(tmp_path):
    """The file's embargo ends on day 43; the page's axis has 30, 40 and 50 and starts at the nearest, 40.

    From 1 Jan 2026, day 40 is 10 Feb, so the embargo's last day on the page is 9 Feb 2026;
    day 43 is 13 Feb, so in the run it is 12 Feb.
    """
    scenario = tmp_path / "dated.yaml"
    data = build(TWO_MEMBERS, name="dated", start_date="2026-01-01", shocks__halt__end=43)
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    page = tmp_path / "explorer.html"
    args = ["explore", str(scenario), "--axis", "shocks.halt.end=30,40,50", "--workers", "1", "-o", str(page)]
    assert CliRunner().invoke(main, args).exit_code == 0
    report = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(scenario), "-o", str(report)]).exit_code == 0
    section = _section(report)
    assert 'href="explorer.html"' in section  # no value of the run is on the page: none in the address
    items = re.findall(r"<li>(.*?)</li>", section.split("different case")[1].split("</ul>")[0])
    assert items == [
        "<code>shocks.halt.end</code>: this run's 43 (last day 12 Feb 2026) is not one of the page's values; "
        "the page opens at 40 (last day 9 Feb 2026)"
    ]


def test_a_value_off_the_axis_is_left_out_of_the_address(explored, tmp_path):
    scenario, page = explored
    report = tmp_path / "report.html"
    args = ["report", str(scenario), "-o", str(report), "--set", "agreement.ratio.japan=0.35", "--explorer", str(page)]
    assert CliRunner().invoke(main, args).exit_code == 0
    section = _section(report)
    href = re.search(r'<a href="([^"]+)">', section).group(1)
    assert href.endswith("explorer.html#agreement.mechanism=fair_ratio")
    # the page opens at its start, the file's 0.5, and the section says so (not EU's derived 0.65 either)
    items = re.findall(r"<li>(.*?)</li>", section.split("different case")[1].split("</ul>")[0])
    assert items == [
        "<code>agreement.ratio.japan</code>: this run's 0.35 is not one of the page's values; the page opens at 0.5"
    ]


def test_a_page_beside_the_report_is_linked_without_the_option_and_none_otherwise(explored, tmp_path):
    scenario, page = explored
    beside = tmp_path / "beside"
    beside.mkdir()
    (beside / "explorer.html").write_bytes(page.read_bytes())
    assert CliRunner().invoke(main, ["run", str(scenario), "-o", str(beside), "--report", "--no-plots"]).exit_code == 0
    assert 'href="explorer.html#agreement.ratio.japan=0.5&amp;agreement.mechanism=fair_ratio"' in _section(
        beside / "report.html"
    )
    # the run leaves the page alone: it is not one of the run's files
    assert (beside / "explorer.html").read_bytes() == page.read_bytes()
    alone = tmp_path / "alone.html"
    assert CliRunner().invoke(main, ["report", str(scenario), "-o", str(alone)]).exit_code == 0
    assert _section(alone) is None


def test_a_file_beside_the_report_that_is_not_an_explorer_is_not_linked(explored, tmp_path):
    scenario, _ = explored
    (tmp_path / "explorer.html").write_text("<html>my own notes</html>")
    assert CliRunner().invoke(main, ["report", str(scenario), "-o", str(tmp_path / "report.html")]).exit_code == 0
    assert _section(tmp_path / "report.html") is None
    assert (tmp_path / "explorer.html").read_text() == "<html>my own notes</html>"


def test_the_page_of_another_scenario_says_so(explored, tmp_path):
    _, page = explored
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(build(TWO_MEMBERS, name="other"), sort_keys=False))
    report = tmp_path / "report.html"
    assert CliRunner().invoke(main, ["report", str(other), "-o", str(report), "--explorer", str(page)]).exit_code == 0
    assert "computed from the scenario <strong>pair</strong>, not from this one" in _section(report)


@pytest.mark.parametrize("what", ["missing", "not a page"])
def test_a_named_page_that_is_not_an_explorer_stops_with_exit_2_and_writes_nothing(explored, tmp_path, what):
    scenario, _ = explored
    page = tmp_path / "page.html"
    if what == "not a page":
        page.write_text("<html>not an explorer</html>")
    report = tmp_path / "out" / "report.html"
    result = CliRunner().invoke(main, ["report", str(scenario), "-o", str(report), "--explorer", str(page)])
    assert result.exit_code == 2
    assert str(page) in result.output and "--explorer" in result.output
    assert no_traceback(result)
    assert not report.exists()
    out = tmp_path / "run"
    result = CliRunner().invoke(main, ["run", str(scenario), "-o", str(out), "--report", "--explorer", str(page)])
    assert result.exit_code == 2
    assert not out.exists()


def test_explorer_needs_report(explored, tmp_path):
    scenario, page = explored
    result = CliRunner().invoke(main, ["run", str(scenario), "-o", str(tmp_path), "--explorer", str(page)])
    assert result.exit_code == 2
    assert "--explorer needs --report" in result.output


def test_the_python_api_links_the_same_page(explored, tmp_path):
    import simulator
    from simulator.errors import InputError

    scenario, page = explored
    with pytest.warns(UserWarning, match=r"rescaled to what is left: eu 0\.8 \(in the file: 0\.5\)"):
        report = simulator.report(
            str(scenario), tmp_path / "r.html", set={"agreement.ratio.japan": 0.2}, explorer=page, figures=False
        )
    assert "explorer.html#agreement.ratio.japan=0.2&amp;agreement.mechanism=fair_ratio" in _section(report)
    with pytest.raises(InputError, match="not an explorer page"):
        simulator.report(str(scenario), tmp_path / "bad.html", explorer=scenario)
    assert not (tmp_path / "bad.html").exists()


def test_a_page_that_does_not_record_its_settings_says_they_cannot_be_checked(explored, tmp_path):
    """A page from before pages recorded their scenario: the link works, the comparison is said to be impossible."""
    scenario, page = explored
    html = page.read_text()
    found = re.search(r'(<script id="explorer-meta" type="application/json">)(.*?)(</script>)', html, re.DOTALL)
    meta = json.loads(found.group(2))
    del meta["base"], meta["fixed"]
    for axis in meta["axes"]:  # older still: no texts beside the labels
        del axis["texts"], axis["start_note"]
    older = tmp_path / "older.html"
    older.write_text(html.replace(found.group(2), json.dumps(meta)))
    report = tmp_path / "report.html"
    assert (
        CliRunner().invoke(main, ["report", str(scenario), "-o", str(report), "--explorer", str(older)]).exit_code == 0
    )
    section = _section(report)
    assert "does not record the settings it was computed with" in section
    assert "different case" not in section  # the run's values are both on the page's axes
