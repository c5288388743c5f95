"""Fixes from review 3 of session 52 (RunResult's source, --set wording, the sweep's tonnes note, explore's signal)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.helpers import TINY_SCENARIO_TEXT, TWO_MEMBERS, add_material, build, shipped_group, shipped_result

ROOT = Path(__file__).resolve().parents[1]


def test_run_result_write_refuses_its_scenario_after_the_working_folder_changes(tmp_path, monkeypatch):
    """M1: RunResult.source kept the path as given, so after os.chdir a relative path named another
    file and write() replaced the scenario the run was read from."""
    import simulator
    from simulator.errors import InputError

    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "summary.csv").write_text(TINY_SCENARIO_TEXT)  # a name run writes; any scenario: the file is protected
    before = (folder / "summary.csv").read_bytes()
    monkeypatch.chdir(tmp_path)
    result = simulator.run("out/summary.csv")
    assert result.source == str(folder / "summary.csv")
    monkeypatch.chdir(folder)
    with pytest.raises(InputError, match="is the input"):
        result.write(".", plots=False, force=True)
    assert (folder / "summary.csv").read_bytes() == before
    assert "scenario file the run was read from" in " ".join(simulator.RunResult.write.__doc__.split())


UNSURE_PAIR = add_material(
    build(
        TWO_MEMBERS,
        start_date="2010-07-01",
        horizon_days=40,
        regions__japan__commercial_stock__ree__tonnes=1000,
        regions__eu__commercial_stock__ree__tonnes=1300,
        shocks=[
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": 5, "end": 20}
        ],
        uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "low": 60, "high": 120, "source": "test"}],
    ),
    "heavy_ree",
    {"price_usd_per_kg": 50},
)
UNSURE_PAIR["regions"]["japan"]["commercial_stock"]["heavy_ree"]["tonnes"] = 0
"""The pair with China's supply halted days 5-20 and 40 days of the EU's demand of rare earths uncertain, 60-120
t/day, and a second material, heavy rare earths, as rare earths are but with no stock in Japan. Japan's 1,000 t of
rare earths cover its 15 x 20 t in every sample; its 0 t of heavy ones cover none of its 15 x 20 t, while the
EU's 1,300 t of each cover its 15 x 80 t as written but not its demand of rare earths in the samples above
1,300 / 15 = 87 t/day. So the uncertainty section has every line that names the run, as embargo_2010's has: the
headline, the column, the held-fixed row (the halt's dates), both fan charts' captions and legends, a panel's
note of the run at 0 throughout (the EU's shortfall of rare earths) and a panel's note of band, median and run
at 0 throughout (Japan's shortfall of rare earths, the EU's of heavy ones). Japan's shortfall of heavy rare
earths is a curve, so its panel of rare earths at 0 is drawn with that note, where with rare earths alone the
legend named Japan "0 throughout in every panel (not drawn)" and drew no panel of it."""


def drawn_texts(page: str) -> list[str]:
    """Each text of the page's SVG figures, its lines joined by spaces: a note broken to fit its panel reads whole."""
    groups = re.findall(r'<g id="(?:[\w.-]+-)?text_\d+">(.*?)</g>', page, re.S)  # ids prefixed by the figure's name
    return [" ".join(re.findall(r"<text[^>]*>([^<]*)</text>", group)) for group in groups]


def test_a_report_with_set_names_its_run_as_changed_throughout_the_uncertainty_section(tmp_path):
    """M2: with --set, the headline said "as changed for this run" but the section *How sure are
    these figures?* still named the run "as written": its column, the fan charts' captions and
    legends, and the held-fixed row's value used. All now take run_words's words."""
    from click.testing import CliRunner

    from simulator.cli import main
    from simulator.names import AS_CHANGED, AS_WRITTEN, run_words

    assert (run_words(False), run_words(True)) == (AS_WRITTEN, AS_CHANGED) == ("as written", "as changed for this run")
    scenario = tmp_path / "pair.yaml"
    scenario.write_text(yaml.safe_dump(UNSURE_PAIR))

    def page(*more: str) -> str:
        out = tmp_path / f"r{len(more)}"
        args = ["run", str(scenario), "--report", "--no-plots"]
        # 4 samples reach every line that names the run (legend, captions, column, held-fixed row, the notes of a
        # curve at 0 throughout) as 20 do: one of the 4 Latin-hypercube strata of the EU's demand is 105-120 t/day
        args += ["--uncertainty", "4", "--workers", "1", "-o", str(out), *more]
        done = CliRunner().invoke(main, args)
        assert done.exit_code == 0, done.output
        return (out / "report.html").read_text()

    written = page()
    assert "<th>Figure</th><th>As written</th>" in written
    assert 'data-label="Value used">as written</td>' in written  # the held-fixed row
    assert written.count("dashed: the scenario as written.") == 2  # the two fan charts' captions
    assert "scenario as written" in written.split("<svg", 1)[1]  # a fan chart's legend
    notes = {"EU: as written 0 throughout", "Japan: band, median and as written 0 throughout"}  # whole, as drawn
    assert notes <= set(drawn_texts(written))
    changed = page("--set", "agreement.ratio.japan=0.3")
    assert "as written" not in changed.lower()
    assert "<th>Figure</th><th>As changed for this run</th>" in changed
    assert "at this run\u2019s values (the scenario\u2019s own, apart from the changes listed at the top)" in changed
    assert changed.count("dashed: the scenario as changed for this run.") == 2
    assert changed.split("<svg", 1)[1].count("scenario as changed for this run") >= 1  # a fan chart's legend
    notes = {"EU: this run (as changed) 0 throughout", "Japan: band, median and this run (as changed) 0 throughout"}
    assert notes <= set(drawn_texts(changed))


@pytest.mark.parametrize("values", [("oxide", "magnet"), ("magnet", "oxide")])
def test_the_sweeps_tonnes_note_names_every_reason_whatever_the_order_of_the_values(values):
    """L1: Sweep.shortfall_adds gave the first combination's reason, so the note followed the order of
    an axis's values. long_embargo_12m prices light rare earths at 12 USD/kg and heavy ones at 330
    (330 > 2 x 12: priced far apart); NdFeB magnets count magnet. With tonnes_of=magnet the kinds
    differ (magnet and oxide, which why_apart names first); with oxide all count oxide, but the
    prices are still far apart. The grid holds both points whichever comes first, so both are named,
    sorted."""
    import warnings

    from simulator.api.inputs import raw_data
    from simulator.sweep.grid import Axis, SweepSpec
    from simulator.sweep.runner import plan_sweep

    raw, source = raw_data(str(ROOT / "scenarios" / "long_embargo_12m.yaml"), [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sweep = plan_sweep(raw, source, SweepSpec((Axis("materials.ndfeb_magnets.tonnes_of", values),), runs=1))
    assert sweep.shortfall_adds == "tonnes of magnet and tonnes of oxide, or tonnes of materials priced far apart"


CTRL_C_AFTER_PAGE = """
import os, signal, sys

import simulator.explore as explore

if sys.argv[1] == "replace":  # just after the page is renamed into place, inside the write
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        real_replace(src, dst, *args, **kwargs)
        if str(dst).endswith("e.html"):
            os.kill(os.getpid(), signal.SIGINT)

    os.replace = replace
else:  # once the page is written, as the command tells the size
    real_write = explore.write_page

    def write_page(*args, **kwargs):
        real_write(*args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)

    explore.write_page = write_page
from simulator.cli import main
main(sys.argv[2:], prog_name="stockpile")
"""


@pytest.mark.parametrize("when", ["replace", "after"])
def test_explore_interrupted_once_its_page_is_in_place_does_not_say_nothing_written(tmp_path, when):
    """L2: a Ctrl-C after explore's page was renamed into place ended "explore interrupted by SIGINT:
    nothing written" (exit 130) while the page was there. The write is now shielded and the message
    names the page once it is in place."""
    import subprocess
    import sys

    page = tmp_path / "e.html"
    args = ["explore", "scenarios/long_embargo_6m.yaml", "--axis", "shocks.china_embargo.severity=0.5,1"]
    child = subprocess.run(
        [sys.executable, "-c", CTRL_C_AFTER_PAGE, when, *args, "--workers", "1", "-o", str(page)],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
    )
    assert child.returncode == 130, child.stderr
    assert child.stderr.strip().splitlines()[-1] == f"explore interrupted by SIGINT: {page} written"
    assert page.read_text().startswith("<!DOCTYPE html>") and page.read_text().rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e.html"]  # no temporary file left


def test_the_chunks_refusal_names_its_files_by_first_and_more(tmp_path):
    """L4: checkpoints wrote its own "first five, N more" ("a, ..., e, 3 more"); it now names them
    as every message does (simulator.errors.first_and_more): "a, ..., e and 3 more"."""
    from simulator.sweep.checkpoints import CHUNK_DIR, _not_ours

    chunks = tmp_path / CHUNK_DIR
    chunks.mkdir()
    for name in "abcdefgh":
        (chunks / f"{name}.txt").write_text("mine")
    said = _not_ours(chunks, tmp_path, True)
    assert "(it holds a.txt, b.txt, c.txt, d.txt, e.txt and 3 more)" in said
    (chunks / "h.txt").unlink()
    (chunks / "g.txt").unlink()
    (chunks / "f.txt").unlink()
    assert "(it holds a.txt, b.txt, c.txt, d.txt, e.txt)" in _not_ours(chunks, tmp_path, True)  # as before


@shipped_group("long_embargo_6m")
@pytest.mark.parametrize(
    ("fields", "words"),
    [
        (3, "<code>f0</code>, <code>f1</code> and <code>f2</code>."),  # as before: join_words
        (10, ", ".join(f"<code>f{i}</code>" for i in range(8)) + " and 2 more."),
    ],
)
def test_the_comparison_names_the_fields_that_differ_by_first_and_more(monkeypatch, fields, words):
    """L4: the report's comparison wrote its own "first eight and N more fields" (after join_words:
    "..., f6 and f7 and 2 more fields"); it now takes first_and_more's words, with "and" before the
    last of a list shown whole, as before."""
    import simulator.report as report
    from simulator.report.findings import Run

    result = shipped_result("long_embargo_6m")  # the run as written, made once per test process
    monkeypatch.setattr(report, "differences", lambda a, b: [f"f{i}" for i in range(fields)])
    section = report._comparison(Run.of(result), Run.of(result, "baseline"), figures=False)  # reads words only
    assert f"The two scenarios differ in {words}" in section
