"""Review of the status quo (s53): where the stocks held today are every share there is, the
report says each comparison once. ``TWO_MEMBERS`` (tests/helpers.py) with both members' 30 t
listed as held today: pooled, Japan is short 1,180 t and the EU 4,760 t; each alone, 1,170 t and
4,770 t (the numbers tests/test_status_quo_s53.py works by hand)."""

from __future__ import annotations

import html
import re

import pytest

from tests.helpers import (
    TWO_MEMBERS,
    build,
    run,
    shipped_alone,
    shipped_group,
    shipped_report,
    shipped_result,
    words_page,
)

BOTH = build(TWO_MEMBERS, agreement__pool__already_held=["japan", "eu"])
JAPAN = build(TWO_MEMBERS, agreement__pool__already_held=["japan"])


def _verdict_text(page: str) -> str:
    start = page.index('<section id="verdict"')
    section = page[start : page.index("</section>", start)]
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", section)))


def test_where_the_status_quo_is_each_share_alone_no_pooling_paragraph_repeats_the_headline():
    page = words_page(run(BOTH))
    assert 'class="pooling"' not in page  # the headline already sets the pool against each share alone
    text = _verdict_text(page)
    assert (
        "No: the members are short of the same 5,940 t of rare earths with the joint stock and with the stocks held "
        "today" in text
    )
    # the moved tonnes name the status quo without repeating whose stocks: the heading and headline said it
    assert (
        "Japan is short of 1,180 t with it and 1,170 t with the stocks held today and the EU of 4,760 t with it and "
        "4,770 t with the stocks held today." in text
    )
    assert text.count("(Japan's and the EU's held alone)") == 2  # the heading and the headline, no more
    assert "each of Japan's and the EU's pool contribution added to its own national reserve" in text
    assert "held by no one" not in text


def test_where_a_member_holds_a_share_not_held_today_the_pooling_paragraph_stays():
    page = words_page(run(JAPAN))
    assert 'class="pooling"' in page  # the share-alone run is another world: its comparison is worth a sentence
    assert "the other members' contributions are held by no one" in _verdict_text(page)


BRACKET_CAPTION = "A bracket marks days after the shocks when every curve reads empty yet no one is short"
"""The cover caption's sentence on the bracket, said only where a panel has one."""


@shipped_group("long_embargo_6m")
def test_the_reports_cover_caption_names_the_bracket_only_where_a_panel_has_one():
    caption = BRACKET_CAPTION
    assert caption in shipped_report("long_embargo_6m")  # every panel has one (tests/test_figures_post_s53.py)
    # a page without its figures keeps the sentence: the days-of-cover figure is made for it, not drawn
    assert caption in words_page(shipped_result("long_embargo_6m"), alone=shipped_alone("long_embargo_6m"))


@shipped_group("embargo_2010")  # the other half of the test above, with the tests that make this report anyway
def test_the_reports_cover_caption_names_no_bracket_where_no_panel_has_one():
    assert BRACKET_CAPTION not in shipped_report("embargo_2010")  # its shocks last to the horizon: no bracket


def test_a_heading_with_set_says_once_that_both_runs_have_the_changes(tmp_path):
    """Both runs it compares with have the --set changes: said right after "the same scenario", not after the
    last run only (review 4)."""
    import yaml

    from tests.helpers import invoke

    scenario, page = tmp_path / "s.yaml", tmp_path / "r.html"
    scenario.write_text(yaml.safe_dump(JAPAN))
    result = invoke("report", scenario, "--set", "regions.eu.demand.ree.tonnes_per_day=81", "-o", page)
    assert result.exit_code == 0, result.output
    heading = _verdict_text(page.read_text()).split("?", 1)[1]
    assert (
        "against the same scenario (with the same changes) with the stocks held today (Japan's held alone) and with "
        "each member's share held alone" in heading
    )
    assert heading.count("the same changes") == 1


@shipped_group("long_embargo_6m")
def test_where_the_pool_cuts_the_total_the_box_still_says_who_it_leaves_short():
    """long_embargo_6m: the headline cuts the light shortfall 1,399 t -> 1,184 t against Japan's stock held
    alone, which is all the pool holds; Japan, short of none alone, is short 509 t pooled (review 4)."""
    text = _verdict_text(shipped_report("long_embargo_6m"))
    assert "Pooled, Japan's shortfall is, by material, light rare earths 509 t against none alone" in text
    assert "Pooling adds to what the tonnes do" not in text  # the totals are the headline's: not said twice


@pytest.mark.parametrize(("data", "runs"), [(BOTH, 1), (JAPAN, 2)], ids=["every-share-held", "japan-held"])
def test_the_status_quo_that_is_each_share_alone_is_run_once(monkeypatch, data, runs):
    """Every contributor listed in already_held: the status quo and each share held alone are one world, run once;
    with the EU's share not held today they are two runs (both members are short in either)."""
    import simulator.counterfactuals as counterfactuals

    made = []
    real = counterfactuals.simulate
    monkeypatch.setattr(counterfactuals, "simulate", lambda *a, **k: made.append(1) or real(*a, **k))
    words_page(run(data))
    assert len(made) == runs
