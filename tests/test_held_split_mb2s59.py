"""Which run splits the 2030 shortage which way: the report names both, each computed (report/held_split.py).

long_embargo_12m_2030's description quotes the benchmarks alone as a run with the agreement kept and
the EU's pool contributions set to 0 days (the EU short of 492 t, 19 t and 8,421 t); the verdict's
column Short with the stocks held today runs no agreement (the EU short of 492 t, 41.4 t and 8,421 t,
docs/scenarios.md). Without a sentence saying which is which, the page contradicted itself.
"""

from __future__ import annotations

import re

from simulator.counterfactuals import held_stocks_shared_scenario
from simulator.engine import simulate
from simulator.scenario.load import load_scenario
from tests.helpers import ROOT, shipped_group, shipped_report
from tests.test_report import plain

NAME = "long_embargo_12m_2030"


def _question(page: str) -> str:
    return plain(re.search(r'<section id="question">(.*?)</section>', page, re.S).group(1))


@shipped_group(NAME)  # with the scenario's other tests, which make its report once per process
def test_the_question_says_which_run_gives_which_split() -> None:
    question = _question(shipped_report(NAME))
    sentence = next(s for s in question.split("\n") if s.startswith("Which run is which"))
    column, shared = sentence.split("; the agreement kept")
    # the column: no agreement, Japan's stock alone (docs/scenarios.md: EU 492 t, 41.4 t and 8,421 t)
    assert "runs no agreement" in column
    assert "492 t of light rare earths, 41.4 t of heavy rare earths and 8,421 t of NdFeB magnets" in column
    # the description's run: the agreement with the EU's contributions at 0 (docs: EU 492 t, 19 t and 8,421 t)
    assert "the EU's contributions at 0 t" in shared
    assert "492 t of light rare earths, 19.1 t of heavy rare earths and 8,421 t of NdFeB magnets" in shared


def test_the_shared_run_is_the_descriptions_set_to_0_days() -> None:
    """The run the sentence computes is the one the description names: --set ...eu.<material>.days=0."""
    path = ROOT / "scenarios" / f"{NAME}.yaml"
    scenario = load_scenario(path)
    zero_days = [(f"agreement.pool.contributions.eu.{m}.days", 0) for m in ("light_ree", "heavy_ree", "ndfeb_magnets")]
    described = simulate(load_scenario(path, zero_days), seed=scenario.seed).metrics
    shared = held_stocks_shared_scenario(scenario)
    assert shared is not None
    computed = simulate(shared, seed=scenario.seed).metrics
    for member in ("japan", "eu"):
        assert computed[f"shortfall_t.{member}"] == described[f"shortfall_t.{member}"]
    # the totals of the benchmarks alone, as the description gives them: 6,884 t + 129 t + 8,421 t
    assert round(computed["total_shortfall_t"]) == round(described["total_shortfall_t"])


@shipped_group("embargo_2010")
def test_no_sentence_where_the_stocks_held_today_are_every_share() -> None:
    """embargo_2010 lists no stock held today: no second run, no sentence."""
    assert "Which run is which" not in _question(shipped_report("embargo_2010"))
