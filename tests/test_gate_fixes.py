"""stockpile check: a baseline of another scenario, and options --update would ignore (audit findings).

The tiny two-member scenario ``pair`` of ``tests/test_check.py`` (about 0.1 s a run):
its ``name:`` does not change its numbers, so a baseline of ``pair`` matches ``twin_pair``
(``pair`` under another name) number by number, the case that passed unnoticed.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests import test_check
from tests.helpers import assert_bad_input
from tests.test_check import check, pair_yaml

twins_tree, twins_repo = test_check.twins_tree, test_check.twins_repo
"""``pair`` and ``twin_pair`` with their baselines, and a test's own copy (the fixtures of test_check)."""


def test_a_baseline_copied_from_another_scenario_is_an_error_naming_the_file_and_both_names(twins_repo):
    assert check(twins_repo).exit_code == 0  # the two baselines agree number by number, but for their names
    pair = json.loads((twins_repo / "baselines" / "pair.json").read_text())
    twin = json.loads((twins_repo / "baselines" / "twin_pair.json").read_text())
    assert (pair["scenario"], twin["scenario"]) == ("pair", "twin_pair")
    assert pair["metrics"] == twin["metrics"] and pair["curves"] == twin["curves"]
    target = twins_repo / "baselines" / "twin_pair.json"
    shutil.copy(twins_repo / "baselines" / "pair.json", target)  # a team copies a baseline under another name
    result = check(twins_repo)
    assert_bad_input(
        result,
        "ok           pair\n",
        "error        twin_pair\n",
        f"{target}: scenario: the baseline of scenario 'pair', not of 'twin_pair' "
        f"(name: in {twins_repo}/twin_pair.yaml)",
        "If the name was changed on purpose, rewrite the baseline: "
        f"stockpile check --update {twins_repo}/twin_pair.yaml\n",
        f"2 scenarios of {twins_repo}/ checked in ",
    )
    assert result.output.splitlines()[-1].endswith(": 1 ok, 1 error")
    outcomes = json.loads(check("--format", "json", twins_repo / "twin_pair.yaml").output)
    assert [(o["scenario"], o["status"], o["drifts"]) for o in outcomes] == [("twin_pair", "error", [])]


def test_a_wrong_baselines_folder_fails_with_the_option_in_the_command_that_rewrites(twins_repo, tmp_path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "pair.yaml").write_text(pair_yaml(name="pair_b"))  # the same numbers under another name
    result = check("--baselines", twins_repo / "baselines", other / "pair.yaml")
    assert_bad_input(
        result,
        f"{twins_repo}/baselines/pair.json: scenario: the baseline of scenario 'pair', not of 'pair_b'",
        f"stockpile check --update --baselines {twins_repo}/baselines {other}/pair.yaml\n",
    )


def test_a_name_changed_on_purpose_passes_once_its_baseline_is_rewritten(twins_repo):
    (twins_repo / "pair.yaml").write_text(pair_yaml(name="pair_renamed"))
    assert_bad_input(check(twins_repo / "pair.yaml"), "the baseline of scenario 'pair', not of 'pair_renamed'")
    result = check("--update", twins_repo / "pair.yaml")
    assert result.exit_code == 0, result.output
    # no number moved; the fields that did are named (the name is one of the hashed parts)
    fields = "0 numbers changed; scenario, scenario_hash, scenario_parts"
    assert f"updated      {twins_repo}/baselines/pair.json ({fields})\n" in result.output
    assert json.loads((twins_repo / "baselines" / "pair.json").read_text())["scenario"] == "pair_renamed"
    assert check(twins_repo).exit_code == 0


def _spoil_total(baseline: Path, total_t: float) -> bytes:
    """Store ``total_t`` as the total shortfall (a number ``--update`` would rewrite); the file's bytes."""
    test_check._spoil(baseline, total_shortfall_t=total_t)
    return baseline.read_bytes()


@pytest.mark.parametrize(
    ("options", "named"),
    [
        (["--rtol", "1"], "--rtol: only the check uses it"),
        (["--atol", "0"], "--atol: only the check uses it"),
        (["--rtol", "nan"], "--rtol: only the check uses it"),  # not even validated before
        (["--format", "json"], "--format json: only the check uses it"),
        (["--junit", "{tmp}/check.xml"], "--junit: only the check uses it"),
        (["--summary", "{tmp}/summary.md"], "--summary: only the check uses it"),
        (
            ["--summary", "{tmp}/summary.md", "--format", "github", "--atol", "1", "--junit", "{tmp}/check.xml"],
            "--format github, --atol, --junit, --summary: only the check uses them",
        ),
    ],
    ids=["rtol", "atol", "rtol-nan", "format-json", "junit", "summary", "several"],
)
def test_update_refuses_the_options_only_the_check_uses_and_writes_nothing(twins_repo, tmp_path, options, named):
    baseline = twins_repo / "baselines" / "pair.json"
    spoiled = _spoil_total(baseline, 5940 * 1.5)  # 8910 t where the run gives 5940: an update would rewrite it
    given = [option.format(tmp=tmp_path) for option in options]
    result = check("--update", *given, twins_repo)
    assert_bad_input(
        result,
        f"Error: --update cannot take {named} (--update prints text, writes no JUnit or summary report, and keeps",
        "update without it" if named.endswith("it") else "update without them",
    )
    assert baseline.read_bytes() == spoiled
    assert not (tmp_path / "check.xml").exists() and not (tmp_path / "summary.md").exists()
    # without them, the same update rewrites the number (and --format text is what --update prints anyway)
    result = check("--update", "--format", "text", twins_repo)
    assert result.exit_code == 0, result.output
    assert f"updated      {baseline} (1 number changed)\n" in result.output
    assert json.loads(baseline.read_text())["metrics"]["total_shortfall_t"] == 60 * 100 - 60


def test_update_keeps_a_stored_number_within_the_tolerances_file_it_is_given(twins_repo, tmp_path):
    baseline = twins_repo / "baselines" / "pair.json"
    spoiled = _spoil_total(baseline, 5940 * 1.01)  # 5999.4 t, 1% above the run's 5940 t
    loose = tmp_path / "loose.yaml"
    loose.write_text("default: {rtol: 0.02}\n")
    result = check("--update", "--tolerances", loose, twins_repo / "pair.yaml")
    assert result.exit_code == 0, result.output
    assert f"unchanged    {baseline} (1 number within tolerance of this run kept as stored)\n" in result.output
    assert baseline.read_bytes() == spoiled
    assert check("--tolerances", loose, twins_repo / "pair.yaml").exit_code == 0
    assert check(twins_repo / "pair.yaml").exit_code == 1  # the default tolerances see the 1%


def test_a_baselines_recorded_name_is_printed_on_one_line_and_paths_quoted(twins_repo, tmp_path):
    """Audit 39: a name with newlines put ``::warning ...`` at the start of a line of the text report,
    which a GitHub runner reads as a workflow command; the path in the advice could not be pasted."""
    spaced = Path(shutil.copytree(twins_repo, tmp_path / "my scenarios"))
    target = spaced / "baselines" / "pair.json"
    baseline = json.loads(target.read_text())
    baseline["scenario"] = "evil\n::warning title=forged::from a baseline\n" + "x" * 200
    target.write_text(json.dumps(baseline))
    result = check(spaced / "pair.yaml")
    assert result.exit_code == 2, result.output
    assert not any(line.lstrip().startswith("::") for line in result.output.splitlines())
    assert "scenario 'evil ::warning title=forged::from a baseline xxxxxxx" in result.output
    assert "x" * 32 + "...', not of 'pair'" in result.output  # 80 characters at most
    assert f"stockpile check --update '{spaced}/pair.yaml'\n" in result.output
    result = check("--baselines", spaced / "baselines", spaced / "pair.yaml")
    assert f"stockpile check --update --baselines '{spaced}/baselines' '{spaced}/pair.yaml'\n" in result.output
    target.unlink()
    result = check(spaced / "pair.yaml")
    assert f"write it with stockpile check --update '{spaced}/pair.yaml'" in result.output


def test_a_file_name_holding_a_newline_is_shown_on_one_line(tmp_path):
    """Review 39: the name of a scenario file is the checked team's to choose; one holding a newline
    put '::warning::' at the start of a line of the text report, as a recorded name once did."""
    folder = tmp_path / "scenarios"
    folder.mkdir()
    (folder / "a\n::warning::forged.yaml").write_text(pair_yaml())
    result = check(folder)
    assert result.exit_code == 2, result.output  # a scenario without a baseline could not be checked
    assert not any(line.lstrip().startswith("::") for line in result.output.splitlines())
    assert f"no baseline at {folder}/baselines/a ::warning::forged.json" in result.output


def test_a_tolerance_compares_a_day_as_days_for_any_caller_that_names_the_number():
    """Review: every caller of ``Tolerance.accepts`` had to work the day rule out itself (one did not)."""
    from simulator.gate.tolerances import Tolerance, Tolerances

    loose = Tolerances(Tolerance(rtol=0.5, atol=10))
    day, cover = "min_days_of_cover_day.eu.light_ree", "min_days_of_cover.eu.light_ree"
    # 354 -> 404: as numbers within 10 + 0.5 x 354 = 187; as days 50 > 10 days
    assert not loose.for_metric("s", day).accepts(day, 404, 354)
    assert loose.for_metric("s", cover).accepts(cover, 404, 354)
    assert loose.for_metric("s", day).accepts(day, 364, 354)  # 10 days
    # -1 (never short) is no day: |291 - -1| = 292 <= 300 would hide a region newly short
    wide = Tolerance(rtol=0.0, atol=300.0)
    assert not wide.accepts("first_shortfall_day.eu.heavy_ree", 291, -1)
    assert wide.accepts("first_shortfall_day.eu.heavy_ree", 291, 0)  # 291 days <= 300
    assert wide.accepts("shortfall_t.eu", 291, -1)  # a number of tonnes: 292 <= 300
    # an empty number only matches an empty one, day or not
    assert wide.accepts("peak_price_day.eu.light_ree", None, None)
    assert not wide.accepts("peak_price_day.eu.light_ree", None, -1)


def test_the_groups_that_appeared_or_disappeared_are_worked_out_once_per_outcome(monkeypatch):
    """Review: every format (and the status line, summary and table of one format) grouped them anew."""
    from simulator.gate import compare, formats
    from simulator.gate.run import Report

    calls = []
    real = compare.absent_groups

    def counted(drifts, parts=None):
        calls.append(len(drifts))
        return real(drifts, parts)

    monkeypatch.setattr(compare, "absent_groups", counted)
    drifts = [
        compare.Drift("s", "eu", "all", "shortfall_t", 80.0, 100.0),
        compare.Drift("s", "korea", "all", "shortfall_t", 5.0, None, None, "now", "region korea"),
        compare.Drift("s", "korea", "all", "first_shortfall_day", 40, None, None, "now", "region korea"),
    ]
    outcome = compare.Outcome("s", "s.yaml", "drift", drifts=drifts, part_changes={"regions.korea": "removed"})
    report = Report([outcome], 1.0)
    shown = [line for fmt in formats.FORMATS for line in formats.progress(outcome, fmt)]
    shown += [formats.closing(report, fmt) for fmt in formats.FORMATS] + [formats.junit_xml(report)]
    assert calls == [3]  # once, for the three drifts, though every format shows the group
    status = "drift        s: 1 number moved; region korea removed (2 metrics)"
    assert f"{status} (scenario unchanged: the code moved the numbers)" in shown
    (as_json,) = json.loads(formats.closing(report, "json"))
    assert as_json["appeared_or_disappeared"] == [
        {"what": "region korea", "change": "removed", "metrics": 2, "curve_points": 0}
    ]
    assert calls == [3]
    # an outcome with nothing absent does not group at all
    assert compare.Outcome("t", "t.yaml", "drift", drifts=drifts[:1]).absent_groups == [] and calls == [3]


def test_a_day_metrics_minus_one_takes_its_word_from_the_registrys_none_words(monkeypatch):
    """Review: the gate spelled 'never' for first_shortfall_day by name and 'none' for any other day.

    A first day other than the first day short (here a made-up ``first_release_day``, aggregated
    ``first`` like it) is 'never' at -1, as NONE_WORDS says; the days of lowest cover and of
    peak price stay 'none', the change saying why.
    """
    import dataclasses

    from simulator import quantities
    from simulator.gate import compare, formats

    assert quantities.NONE_WORDS["first"] == "never"
    # the registry learns one more first day; the gate is told nothing else about it
    first_release = dataclasses.replace(quantities.get("summary", "first_shortfall_day"), name="first_release_day")
    monkeypatch.setattr(quantities, "REGISTRY", (*quantities.REGISTRY, first_release))
    monkeypatch.setattr(compare, "DAY_METRICS", compare.DAY_METRICS | {"first_release_day"})
    monkeypatch.setattr(formats, "DAY_METRICS", formats.DAY_METRICS | {"first_release_day"})
    drifts = [
        compare.Drift("s", "eu", "ree", "first_release_day", -1, 302),
        compare.Drift("s", "japan", "ree", "first_release_day", 290, -1),
        compare.Drift("s", "eu", "ree", "peak_price_day", 302, -1),
        compare.Drift("s", "eu", "ree", "min_days_of_cover_day", -1, 40),
    ]
    outcome = compare.Outcome("s", "s.yaml", "drift", drifts=drifts, start_date="2010-07-01")
    rows = {(r.region, r.metric): (r.baseline, r.now, r.change) for r in formats._rows(outcome)[0]}
    # day 302 after 1 Jul 2010 is 29 Apr 2011; day 290, 17 Apr 2011; day 40, 10 Aug 2010
    assert rows == {
        ("eu", "first_release_day"): ("never", "302 (2011-04-29)", "now day 302 (never before)"),
        ("japan", "first_release_day"): ("290 (2011-04-17)", "never", "now never"),
        ("eu", "peak_price_day"): ("302 (2011-04-29)", "none", "now none (no price)"),
        ("eu", "min_days_of_cover_day"): ("none", "40 (2010-08-10)", "now day 40 (none before)"),
    }
