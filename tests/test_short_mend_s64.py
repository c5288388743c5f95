"""One "short" rule where a count is made (simulator.shortages.short); the held-out fit tied to the Makefile.

A shortfall of 1e-13 t is floating-point residue, which the words show as 0: no count of samples, members or runs
short may say 1 for it. ``HELD_OUT_PRICES_2010`` types ``make calibrate-holdout``'s ranges and window: they must be
the Makefile's.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from simulator import console
from simulator.calibrate import HELD_OUT_PRICES_2010
from simulator.metrics import anyone_short, runs_short
from simulator.results import ALL
from simulator.sensitivity.figures import short_samples

MAKEFILE = Path(__file__).resolve().parents[1] / "Makefile"


def test_a_sample_short_by_a_residue_is_not_counted_short_in_the_fan_chart():
    samples = pd.DataFrame({"shortfall_t.japan.heavy_ree": [1e-13, 0.0, 3e-7, 1.0]})
    short = short_samples(samples, ["japan"], ["heavy_ree"])
    assert short.shape == (4, 1, 1)
    # 1e-13 and 3e-7 t round to 0 at the 6th decimal: only the sample short by 1 t is short
    assert short[:, 0, 0].tolist() == [False, False, False, True]
    assert int(short.sum()) == 1


def _summary(total: float, by_material: dict[str, float]):
    """A run with just what ``summary_text``'s fairness line and total read: the summary's ``all`` rows."""
    rows = [{"region": ALL, "material": ALL, "total_shortfall_t": total, "fairness_jain": 1.0}]
    rows += [{"region": ALL, "material": m, "total_shortfall_t": t} for m, t in by_material.items()]
    return rows


def test_a_residue_total_reads_no_member_is_short(monkeypatch):
    rows = _summary(1e-13, {"heavy_ree": 1e-13})
    result = SimpleNamespace(
        tables={"summary": SimpleNamespace(rows=lambda: rows)},
        structure=SimpleNamespace(member_names=["eu", "japan"]),
        scenario=None,
    )
    monkeypatch.setattr(console, "used_rows", lambda result: [])  # console reads them from simulator.against
    monkeypatch.setattr(console, "total_text", lambda result: "total shortfall 0.0 t")
    text = console.summary_text(result)
    assert text.splitlines()[-1] == "total shortfall 0.0 t; no member is short, so there is no burden to share"
    # and a residue of a material is not a material short; 2 t is
    assert console._short_by_material(rows) == {}
    assert console._short_by_material(_summary(2.0, {"heavy_ree": 2.0, "light_ree": 1e-13})) == {"heavy_ree": 2.0}


def test_the_rows_total_counts_a_material_short_only_above_a_residue(monkeypatch):
    import simulator.scenario.tonnes as tonnes

    asked = []

    def not_added(scenario, short):
        asked.append(dict(short))
        return None

    monkeypatch.setattr(tonnes, "not_added", not_added)
    run = SimpleNamespace(scenario=None)
    line = console._rows_total_text(run, {"a": [1e-13, 0.0], "b": [0.0, 4.0]}, 1e-13, 4.0)
    assert asked == [{"b": [0.0, 4.0]}]
    assert line == "shortfall of these rows 0.0 t against 4.0 t in the baseline"


def test_anyone_short_decides_from_the_tonnes_where_a_run_has_them():
    residue = {"shortfall_t.a": 1e-13, "shortfall_share.a": 1e-17, "shortfall_t.b": 0.0, "shortfall_share.b": 0.0}
    assert not anyone_short(residue, ["a", "b"])
    assert anyone_short({**residue, "shortfall_t.b": 0.001, "shortfall_share.b": 1e-4}, ["a", "b"])
    # without tonnes (a table made by hand) a share above 0 is short, as before
    assert anyone_short({"shortfall_share.a": 1e-17}, ["a"])
    # the table's reading agrees row by row
    table = pd.DataFrame([residue, {**residue, "shortfall_t.b": 0.001, "shortfall_share.b": 1e-4}])
    assert runs_short(table, ["a", "b"]).tolist() == [False, True]
    assert runs_short(table, ["a", "b"]).tolist() == [anyone_short(r, ["a", "b"]) for _, r in table.iterrows()]


def test_where_compare_empties_a_members_total_its_tonnes_by_material_decide():
    # compare.csv empties shortfall_t.<member> where tonnes may not be added (compare.unlike_totals): the member's
    # tonnes by material say whether it is short, not the empty cell (which is no answer) nor the share alone
    row = {
        "shortfall_t.a": float("nan"),
        "shortfall_share.a": 0.3,
        "shortfall_t.a.ndfeb": 0.0,
        "shortfall_t.a.ree": 2.5,
    }
    assert anyone_short(row, ["a"])
    residue = {**row, "shortfall_t.a.ree": 1e-13, "shortfall_share.a": 1e-17}
    assert not anyone_short(residue, ["a"])
    skipped = dict.fromkeys(row, float("nan"))  # a rule that could not run: every cell empty
    assert not anyone_short(skipped, ["a"])
    table = pd.DataFrame([row, residue, skipped])
    assert runs_short(table, ["a"]).tolist() == [True, False, False]


def _makefile_command(target: str) -> list[str]:
    """The words of ``target``'s recipe in the Makefile, its variables (``$(NAME)``) expanded but ``$(BIN)``."""
    text = MAKEFILE.read_text().replace("\\\n", " ")
    variables = dict(re.findall(r"^([A-Z_0-9]+)\s*=\s*(.*)$", text, flags=re.M))
    recipe = re.search(rf"^{re.escape(target)}:.*\n((?:\t.*\n)+)", text, flags=re.M)
    assert recipe, f"no target {target} in the Makefile"
    command = recipe.group(1).strip()
    for _ in range(5):
        command = re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)] if m.group(1) != "BIN" else "BIN", command)
    return shlex.split(command)


def _options(words: list[str], name: str) -> list[str]:
    return [words[i + 1] for i, word in enumerate(words) if word == name]


def test_the_held_out_fit_is_the_makefiles_calibrate_holdout():
    words = _makefile_command("calibrate-holdout")
    assert words[:3] == ["BIN/stockpile", "calibrate", HELD_OUT_PRICES_2010.scenario]
    assert _options(words, "--hold-out") == [HELD_OUT_PRICES_2010.hold_out]
    assert [Path(r).name for r in _options(words, "--record")] == [HELD_OUT_PRICES_2010.record]
    fits = []
    for option in _options(words, "--fit"):
        paths, _, span = option.partition("=")
        low, _, high = span.partition(":")
        fits.append((tuple(paths.split(",")), float(low), float(high)))
    assert fits == [(p.paths, p.low, p.high) for p in HELD_OUT_PRICES_2010.parameters]
    assert len(fits) == 7


def test_the_makefile_reader_sees_a_changed_range(tmp_path, monkeypatch):
    changed = MAKEFILE.read_text().replace("price.sensitivity=0.5:20", "price.sensitivity=0.5:25")
    assert changed != MAKEFILE.read_text()
    (tmp_path / "Makefile").write_text(changed)
    monkeypatch.setitem(globals(), "MAKEFILE", tmp_path / "Makefile")
    with pytest.raises(AssertionError):
        test_the_held_out_fit_is_the_makefiles_calibrate_holdout()
