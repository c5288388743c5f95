"""The comparison with a baseline in one section, said in words, without a figure of coinciding curves.

The audit of ``run embargo_2010 --report --compare embargo_2010_historical`` found
"Against the baseline" and "embargo_2010 against embargo_2010_historical" six sections
apart, the second repeating the days-of-cover figure although "the two runs coincide
throughout"; "The two scenarios differ in: agreement" named a YAML key; and the
baseline's description, shown as a note, spoke of embargo_2010_scarce, which the report
does not show.
"""

from __future__ import annotations

import re

from simulator.engine import simulate
from simulator.report.figures import runs_coincide
from simulator.scenario import load_raw, validate_data
from tests.helpers import (
    ROOT,
    harsh,
    harsh_compared_report,
    replay_against_historical_words,
    shipped_alone,
    shipped_group,
    shipped_result,
    words_page,
)

pytestmark = shipped_group("embargo_2010")


def comparison_section(html: str) -> str:
    return re.search(r'<section id="comparison">.*?</section>', html, re.S).group(0)


def test_coinciding_runs_have_one_section_with_the_table_and_no_figure():
    result, baseline = shipped_result("embargo_2010"), shipped_result("embargo_2010_historical")
    assert runs_coincide(result, baseline)  # nobody draws the pool: the cover curves are the same every day
    html = replay_against_historical_words()
    section = comparison_section(html)
    assert 'id="comparison-curves"' not in html
    assert '<figure data-figure="comparison"' not in html
    assert "The two runs coincide" in section
    assert section.count('<table class="comparison">') == 1 and html.count('<table class="comparison">') == 1
    # the table comes right after the findings it details
    assert section.index("</ul>") < section.index('<table class="comparison">')


def test_the_difference_is_said_in_words_from_the_scenarios_values():
    html = replay_against_historical_words()
    section = comparison_section(html).replace("\u00a0", " ")  # tonnes keep their unit on the line (no-break space)
    assert "differ in: <code>agreement</code>" not in section
    # light: Japan 4,596 t + EU 1,200 t; heavy: 102 t + 30 t; 60 days of each member's demand
    assert (
        "The two scenarios differ in the agreement (embargo_2010 has one, embargo_2010_historical none): a 60-day "
        "joint pool of 5,796 t of light rare earths and 132 t of heavy rare earths, the hybrid rule, the 79/21 ratio "
        "(Japan/EU) and a 15-day trigger." in section
    )
    # the baseline's own description, which names embargo_2010_scarce, is labelled as the file's own words
    assert "embargo_2010_scarce" in section
    assert "<strong>embargo_2010_historical</strong>, as its scenario file describes itself:" in section


def test_a_changed_agreement_names_the_field_and_other_values():
    data = load_raw(ROOT / "scenarios" / "embargo_2010.yaml", [("agreement.mechanism", "fair_ratio")])
    other = simulate(validate_data(data, "embargo_2010"))
    # without the agreement the world is the same whatever its rule: the shared run (render_report makes the same)
    html = words_page(other, shipped_result("embargo_2010"), alone=shipped_alone("embargo_2010"))
    assert "differ in the agreement\u2019s <code>mechanism</code>" in comparison_section(html)


def test_runs_that_differ_keep_their_figure_in_the_same_section():
    # the halt to Japan through 2011, its cargo lost (HARSHER): the EU draws the pool, so the runs differ
    assert not runs_coincide(harsh("embargo_2010"), harsh("embargo_2010_historical"))
    html = harsh_compared_report()
    section = comparison_section(html)
    assert '<figure data-figure="comparison">' in section and "<svg" in section
    assert "The two runs coincide" not in section
    assert section.index('<table class="comparison">') < section.index('<figure data-figure="comparison">')
