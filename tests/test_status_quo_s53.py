"""The report's first answer against the stocks held today: ``agreement.pool.already_held`` (s53, audit item 1).

Where a member's pool contribution is a national stock it holds today (Japan's JOGMEC stock in the scenarios
of today's world), the report used to set the joint stock against no stock at all, crediting the pool with
that stock. Now the run it is measured against is the status quo: each listed member holding its
contribution alone as national reserve, the others nothing.

``TWO_MEMBERS`` (tests/helpers.py): Japan needs 20 t/day, the EU 80 t/day, no commercial stock, every
delivery halted over the 60 days; a joint pool of 30 + 30 t shared 50/50 by the fair ratio, no lag.
Worked by hand (tests/test_verdict_pooling.py works the first two):

- pooled: Japan 1,200 - 20 = 1,180 t short, the EU 4,800 - 40 = 4,760 t: 5,940 t in all;
- no agreement, no stock: 1,200 + 4,800 = 6,000 t;
- the status quo with Japan's 30 t already held: Japan draws its 30 t alone (1,170 t short), the EU has
  nothing (4,800 t): 5,970 t.
"""

from __future__ import annotations

import html
import re

import pytest

from simulator.counterfactuals import status_quo_scenario, without_agreement
from simulator.engine import simulate
from simulator.scenario import validate_data
from simulator.sensitivity import plan_study
from simulator.sensitivity.intervals import run_uncertainty
from tests.helpers import (
    TWO_MEMBERS,
    assert_bad_input,
    build,
    invoke,
    run,
    shipped_group,
    shipped_report,
    shipped_result,
    words_page,
)

HELD = build(TWO_MEMBERS, agreement__pool__already_held=["japan"])


def _plain(text: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", text)).replace("\u00a0", " "))


def _verdict(page: str) -> str:
    start = page.index('<section id="verdict"')
    return page[start : page.index("</section>", start)]


def _headline(page: str) -> str:
    return _plain(page.split('<p class="headline">', 1)[1].split("</p>", 1)[0]).strip()


def test_a_compare_baseline_without_any_stock_is_not_taken_for_the_stocks_held_today():
    """``--compare`` hands the report a baseline; one that is the scenario with no stock at all is a
    different world from the status quo and must not be reused as it (5,970 t, not 6,000 t)."""
    result = run(HELD)
    none = simulate(result.scenario.model_copy(update={"agreement": None}), seed=result.seed)
    assert without_agreement(result, none).metrics["total_shortfall_t"] == pytest.approx(5970.0)
    page = words_page(result, baseline=none)
    assert _headline(page).startswith(
        "In part: the joint stock cuts the members' shortfall of rare earths from 5,970 t to 5,940 t"
    )


def test_the_status_quo_keeps_only_the_listed_members_shares_as_national_reserves():
    held = status_quo_scenario(validate_data(HELD, "test"))
    assert held is not None and held.agreement is None
    assert held.regions["japan"].reserve["ree"].tonnes == 30.0
    assert "ree" not in held.regions["eu"].reserve  # the EU's 30 t exist only with the agreement
    assert status_quo_scenario(validate_data(TWO_MEMBERS, "test")) is None  # none listed: the joint stock is new


def test_the_first_answer_measures_the_joint_stock_against_the_stocks_held_today():
    result = run(HELD)
    quo = simulate(status_quo_scenario(result.scenario), seed=result.seed)
    none = simulate(result.scenario.model_copy(update={"agreement": None}), seed=result.seed)
    by_member = [quo.metrics[f"shortfall_t.{m}"] for m in ("japan", "eu")]
    assert by_member == pytest.approx([1170.0, 4800.0])
    assert none.metrics["total_shortfall_t"] == pytest.approx(6000.0)
    assert result.metrics["total_shortfall_t"] == pytest.approx(5940.0)
    assert without_agreement(result).metrics["total_shortfall_t"] == pytest.approx(5970.0)
    page = words_page(result)
    verdict = _plain(_verdict(page))
    assert "against the same scenario with the stocks held today (Japan's held alone)" in verdict
    # the tonnes of the status quo, not the 6,000 t of no stock at all: (5,970 - 5,940) / 5,970 = 0.5% less
    assert _headline(page).startswith(
        "In part: the joint stock cuts the members' shortfall of rare earths from 5,970 t to 5,940 t"
    )
    assert "6,000 t" not in verdict
    # the column of that run is named for it; the EU's share, not held today, still gets its own column
    assert "<th>Short with the stocks held today</th>" in page and "<th>Short with its share alone</th>" in page
    assert "Short without it" not in page


def test_where_every_share_is_held_today_the_two_runs_are_one_column():
    # only Japan contributes (30 t) and holds it today: the status quo is every share held alone
    data = build(HELD, agreement__pool__contributions={"japan": {"ree": {"tonnes": 30}}})
    page = words_page(run(data))
    assert "<th>Short with the stocks held today</th>" in page
    assert "<th>Short with its share alone</th>" not in page
    assert "and with each member&#x27;s share held alone" not in page and "and with each member's" not in page
    assert "Short with the stocks held today: the same scenario without the agreement, Japan" in _plain(page)


def test_the_samples_note_says_their_runs_without_it_are_the_stocks_held_today():
    # the samples are paired with the status quo sample by sample (intervals.paired_without_agreement, since
    # tests/test_status_quo_costs_s53.py): the line under their table says what "without" is there
    sampled = build(
        HELD, uncertain=[{"path": "regions.eu.demand.ree.tonnes_per_day", "values": [70, 80], "source": "test"}]
    )
    found = run_uncertainty(plan_study(sampled, "s.yaml", fixed=()), 4)
    assert found.without is not None
    note = (
        "Here the samples without the joint stock are those with the stocks held today (Japan's held alone), as in "
        "the answer above."
    )
    assert note in _plain(words_page(simulate(validate_data(sampled, "s.yaml")), uncertainty=found))
    plain = build(TWO_MEMBERS, uncertain=sampled["uncertain"])
    found = run_uncertainty(plan_study(plain, "s.yaml", fixed=()), 4)
    assert "stocks held today" not in _plain(words_page(simulate(validate_data(plain, "s.yaml")), uncertainty=found))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"already_held": ["japn"]}, "agreement.pool.already_held.0: unknown member 'japn'"),
        ({"already_held": ["japan", "japan"]}, "agreement.pool.already_held: must be unique: 'japan' given twice"),
        ({"already_held": ["china"]}, "agreement.pool.already_held.0: unknown member 'china'"),
        (
            {"already_held": ["eu"], "contributions": {"japan": {"ree": {"tonnes": 30}}}},
            "agreement.pool.already_held.0: 'eu' puts nothing into the pool",
        ),
        (  # listed with a contribution of 0 t: the "status quo" would be the no-stock run under another name
            {"already_held": ["eu"], "contributions": {"japan": {"ree": {"tonnes": 30}}, "eu": {"ree": {"days": 0}}}},
            "agreement.pool.already_held.0: 'eu' puts nothing into the pool (every agreement.pool.contributions.eu "
            "entry is 0)",
        ),
        (
            {"already_held": ["japan"], "mode": "national", "contributions": {}},
            "agreement.pool.already_held: national mode has no pool contributions",
        ),
    ],
)
def test_a_wrong_list_is_one_error_naming_the_field(tmp_path, change, message):
    import yaml

    data = build(TWO_MEMBERS)
    data["agreement"]["pool"].update(change)
    if change.get("mode") == "national":
        for region in data["regions"].values():
            region["reserve"] = {"ree": {"tonnes": 30}}
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(data))
    result = invoke("validate", path)
    assert_bad_input(result, message)
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "agreement.pool.already_held" in errors[0], result.output
    if "japn" in message:
        assert "did you mean 'japan'?" in errors[0]


@shipped_group("long_embargo_6m")
def test_long_embargo_6m_headline_credits_the_pool_with_what_pooling_does_not_japans_stock():
    # Japan's 2,772 t of light rare earths are its national stock today: held alone, the members are short of
    # 1,399 t of light rare earths (all the EU's), pooled 1,184 t; with no stock at all 3,956 t
    result = shipped_result("long_embargo_6m")
    quo = simulate(status_quo_scenario(result.scenario), seed=result.seed)
    none = simulate(result.scenario.model_copy(update={"agreement": None}), seed=result.seed)
    assert round(quo.metrics["total_shortfall_t.all.light_ree"]) == 1399
    assert round(result.metrics["total_shortfall_t.all.light_ree"]) == 1184
    assert round(none.metrics["total_shortfall_t.all.light_ree"]) == 3956
    headline = _headline(shipped_report("long_embargo_6m"))
    assert "cuts the shortfall of light rare earths from 1,399 t of oxide to 1,184 t of oxide (15% less)" in headline
    assert "3,956" not in headline  # (1,399 - 1,184) / 1,399 = 15.4%, not the 70% of no stock at all
