"""``stockpile check`` counts its nouns as the other commands do (review of session 53, finding 4).

The gate printed hand-made plurals (``1 scenario(s) of scenarios/ checked``, ``2 number(s) moved``,
``1 baseline(s): ...``) where sweep, explore and the interrupted check say ``1 scenario`` and
``2 scenarios`` (:func:`simulator.names.plural`). Each count below is checked at 1 and at 2.
"""

from __future__ import annotations

import json
from pathlib import Path

from simulator.gate.compare import Drift, Outcome
from simulator.gate.formats import MOST_ROWS, text_table
from tests import test_check
from tests.test_check import check, pair_yaml, sealed

pair_tree, pair_repo = test_check.pair_tree, test_check.pair_repo
twins_tree, twins_repo = test_check.twins_tree, test_check.twins_repo


def _last(result) -> str:
    return result.output.splitlines()[-1]


def _spoil(path: Path, **metrics: float) -> None:
    """Baseline ``metrics`` other than the run gives, sealed as the tool writes them: each is a number that moved."""
    data = json.loads(path.read_text())
    data["metrics"].update(metrics)
    path.write_text(json.dumps(sealed(data), indent=2, sort_keys=True) + "\n")


def test_the_summary_line_counts_one_scenario(pair_repo):
    line = _last(check(pair_repo))
    assert line.startswith(f"1 scenario of {pair_repo}/ checked in ") and line.endswith(": 1 ok")


def test_the_summary_line_counts_two_scenarios(twins_repo):
    line = _last(check(twins_repo))
    assert line.startswith(f"2 scenarios of {twins_repo}/ checked in ") and line.endswith(": 2 ok")


def test_the_summary_and_update_lines_count_one_and_two_baselines_without_scenario(twins_repo):
    # a third scenario with its baseline; then twin_pair.yaml gone (1 orphan), then third.yaml too (2)
    (twins_repo / "third.yaml").write_text(pair_yaml(name="third"))
    assert check("--update", twins_repo).exit_code == 0
    (twins_repo / "twin_pair.yaml").unlink()
    _assert_lines(
        twins_repo,
        ("2 scenarios", ": 2 ok; 1 baseline without scenario: 1 no scenario"),
        "2 baselines: 0 created, 0 updated, 2 unchanged; 1 baseline without scenario (orphan above)",
    )
    (twins_repo / "third.yaml").unlink()
    _assert_lines(
        twins_repo,
        ("1 scenario", ": 1 ok; 2 baselines without scenario: 2 no scenario"),
        "1 baseline: 0 created, 0 updated, 1 unchanged; 2 baselines without scenario (orphan above)",
    )


def _assert_lines(repo, summary: tuple[str, str], update: str) -> None:
    """``check``'s last line opens with ``summary[0] of REPO/ checked in`` and ends with ``summary[1]``;
    ``check --update``'s last line is ``update``."""
    line = _last(check(repo))
    assert line.startswith(f"{summary[0]} of {repo}/ checked in ") and line.endswith(summary[1])
    assert _last(check("--update", repo)) == update


def test_the_summary_line_counts_one_and_two_files_that_are_not_baselines(pair_repo):
    folder = pair_repo / "baselines"
    (folder / "index.json").write_text("{}\n")  # another tool's file
    assert _last(check(pair_repo)).endswith(": 1 ok; 1 file of a baselines folder not a baseline: 1 error")
    (folder / "other.json").write_text("{}\n")
    assert _last(check(pair_repo)).endswith(": 1 ok; 2 files of a baselines folder not a baseline: 2 error")


def test_the_update_line_counts_one_baseline(pair_repo):
    assert _last(check("--update", pair_repo)) == "1 baseline: 0 created, 0 updated, 1 unchanged"
    (pair_repo / "baselines" / "pair.json").unlink()
    assert _last(check("--update", pair_repo)) == "1 baseline: 1 created, 0 updated, 0 unchanged"


def test_the_update_line_counts_two_baselines(twins_repo):
    assert _last(check("--update", twins_repo)) == "2 baselines: 0 created, 0 updated, 2 unchanged"


def test_the_drift_status_and_headline_count_one_number_and_two_numbers(pair_repo):
    baseline = pair_repo / "baselines" / "pair.json"
    # the run gives 6000 - 60 = 5940 t short and an empty pool at the end (pool_end_t 0)
    _spoil(baseline, total_shortfall_t=5000.0)
    result = check(pair_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("drift        pair: 1 number moved (scenario unchanged")
    quiet = check(pair_repo, "--quiet").output.splitlines()[0]
    assert quiet.startswith("drift        pair: 1 number moved beyond tolerance; scenario unchanged")
    _spoil(baseline, total_shortfall_t=5000.0, pool_end_t=1.0)
    result = check(pair_repo)
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith("drift        pair: 2 numbers moved (scenario unchanged")
    quiet = check(pair_repo, "--quiet").output.splitlines()[0]
    assert quiet.startswith("drift        pair: 2 numbers moved beyond tolerance; scenario unchanged")


def test_the_drift_table_counts_one_and_two_rows_not_shown_and_moved_days():
    def table(drifts: list[Drift]) -> list[str]:
        return text_table([Outcome("s", "s.yaml", "drift", drifts=drifts)]).splitlines()

    spend = [Drift("s", f"r{i:02}", "all", "auction_spend_usd", 0.0, 1e6) for i in range(MOST_ROWS + 2)]
    assert table(spend[:-1])[-1] == "s: 1 more row not shown (--format json lists all)"
    assert table(spend)[-1] == "s: 2 more rows not shown (--format json lists all)"
    # a curve row stands for every sampled day of the curve that moved
    day_7, day_14 = (Drift("s", "eu", "ree", "days_of_cover", 40.0, 20.0, day=d) for d in (7, 14))
    assert table([day_7])[1].endswith("-20 (-50.0%); largest of 1 moved day")
    assert table([day_7, day_14])[1].endswith("-20 (-50.0%); largest of 2 moved days")


def test_a_baseline_curve_of_the_wrong_length_counts_its_one_value(pair_repo):
    baseline = pair_repo / "baselines" / "pair.json"
    data = json.loads(baseline.read_text())
    cells = data["curves"]["days_of_cover"]
    cell = sorted(cells)[0]
    sampled = len(cells[cell])  # 0, 7, ..., 56 and the last day, 59
    assert sampled == 10
    cells[cell] = cells[cell][:1]
    baseline.write_text(json.dumps(sealed(data), indent=2, sort_keys=True) + "\n")
    result = check(pair_repo)
    assert result.exit_code == 2
    assert f"curves.days_of_cover.{cell}: 1 value for 10 sampled days" in " ".join(result.output.split())
