"""``compare.png`` tells its rules apart (session 58).

With the eleven rules of session 58 the rules took the regions' colours in turn: the eleventh (Talmud) came back
to the first's blue, and hybrid, equal cover, equal awards and Talmud were four blues no reader could tell apart.
"""

from __future__ import annotations

from matplotlib.colors import to_rgb

from simulator.mechanisms import BY_NAME
from simulator.plots import compare_figure
from tests.helpers import TWO_MEMBERS, build, run


def test_every_rule_has_a_colour_and_line_style_of_its_own():
    result = run(build(TWO_MEMBERS, agreement__pool__contributions={"japan": {"ree": {"tonnes": 30}}}))
    rules = list(BY_NAME)  # every registered rule, drawn from one run: only their styles tell them apart
    assert len(rules) >= 11  # the eleven of session 58 at least: a registry read wrong would draw too few to test
    fig = compare_figure({rule: result for rule in rules})
    labels = {BY_NAME[rule].label for rule in rules}
    checked = 0
    for ax in fig.axes:
        lines = [line for line in ax.get_lines() if line.get_label() in labels]
        if not lines:
            continue  # the totals, the fairness and the panels that say why they are empty
        styles = {(to_rgb(line.get_color()), str(line.get_linestyle())) for line in lines}
        assert len(lines) == len(rules), f"{ax.get_title()}: {len(rules)} rules registered, {len(lines)} drawn"
        assert len(styles) == len(rules), f"{ax.get_title()}: {len(rules)} rules share {len(styles)} styles"
        checked += 1
    assert checked == 2  # the two panels of curves (Japan, the EU): a test that checked none would pass
