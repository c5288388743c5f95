"""A report of many members (six to twelve) says what each member shares once and keeps its tables on the page.

A walkthrough's pilot of twelve members (ten EU states, Japan, South Korea) read "Germany's shortfall is, by material,
heavy rare earths 4.5 t against 23.6 t alone; France's shortfall is, by material, heavy rare earths ..." eleven times,
"Germany is short of heavy rare earths, France is short of heavy rare earths, ..." twelve times, and its tables with a
column per member ran past the text at 1280 px and off the paper in print. Here a small world of the same shape: each
member uses rare earths (10 t a day times its place in the list) and gallium (1 t a day, 1,000 t in stock, never
short), all from China, which halts them all along; each puts 60 t of rare earths and 1 t of gallium in the pool,
shared by a fair ratio of equal shares.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from simulator.counterfactuals import own_share_alone
from simulator.report.findings import Run
from simulator.report.sharing import movers_line
from simulator.report.style import CSS
from simulator.report.verdict import outlasts_line
from tests.helpers import BROWSER, build, emulate_screen, load, reset_browser, run, words_page
from tests.test_report import plain

MEMBERS = [
    "germany",
    "france",
    "italy",
    "spain",
    "poland",
    "austria",
    "netherlands",
    "belgium",
    "sweden",
    "czechia",
    "japan",
    "south_korea",
]
MEMBERS_NAMED = ["Germany", "France", "Italy", "Spain", "Poland", "Austria"]
HORIZON = 60


def world(members: int, **paths: Any) -> dict[str, Any]:
    """The first ``members`` of :data:`MEMBERS` in the world the module's docstring describes, with ``paths``."""
    names = MEMBERS[:members]
    regions = {
        m: {
            "demand": {"ree": {"tonnes_per_day": 10 * (k + 1)}, "ga": {"tonnes_per_day": 1}},
            "commercial_stock": {"ree": {"tonnes": 0}, "ga": {"tonnes": 1000}},
            "sourcing": {"ree": {"china": 1.0}, "ga": {"china": 1.0}},
        }
        for k, m in enumerate(names)
    }
    data = {
        "name": "many",
        "horizon_days": HORIZON,
        "materials": {"ree": {"price_usd_per_kg": 50}, "ga": {"price_usd_per_kg": 400}},
        "suppliers": {"china": {"lead_time_days": dict.fromkeys(names, 5)}},
        "regions": regions,
        "shocks": [
            {"id": "halt", "kind": "embargo", "supplier": "china", "regions": names, "start": -100, "end": 1000}
        ],
        "agreement": {
            "members": names,
            "mechanism": "fair_ratio",
            "ratio": dict.fromkeys(names, 1 / members),
            "pool": {"contributions": {m: {"ree": {"tonnes": 60}, "ga": {"tonnes": 1}} for m in names}},
        },
    }
    return build(data, **paths)


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", plain(html)).strip()


def test_six_members_short_of_one_material_are_listed_with_it_named_once():
    result = run(world(6))
    pooled, apart = Run.of(result), Run.of(own_share_alone(result))
    # alone, each has its own 60 t of rare earths against 60 days of its demand: 600 t x its place, less 60 t
    alone = {m: 600 * (k + 1) - 60 for k, m in enumerate(MEMBERS[:6])}
    for member, tonnes in alone.items():
        assert apart.cell(member, "ree", "shortfall_t") == pytest.approx(tonnes)
    short = {m: float(pooled.cell(m, "ree", "shortfall_t")) for m in alone}
    assert sum(short.values()) == pytest.approx(sum(alone.values()))  # pooling moves the 360 t, it adds none
    changed = [m for m in alone if round(short[m], -1) != alone[m]]  # as the report rounds them: to 3 figures
    assert len(changed) == 5  # Italy's 1,740 t is the same either way
    first, *rest = changed
    told = [f"{pooled.names.subject(first)} is short of {short[first]:,.0f} t against {alone[first]:,} t alone"]
    told += [f"{pooled.names.subject(m)} {short[m]:,.0f} t against {alone[m]:,} t" for m in rest]
    line = _text(movers_line(pooled, apart))
    assert line == f"Pooled, of rare earths, {', '.join(told[:-1])} and {told[-1]}.", line
    assert "by material" not in line  # gallium, which no member is short of, is not said: one material is


def test_when_every_member_ends_short_of_one_material_the_sentence_says_all():
    line = _text(outlasts_line(Run.of(run(world(6)))))
    assert line.endswith(
        "is still in force on day 59, the last day simulated, when all 6 members are short of rare earths. "
        "What follows is not simulated."
    ), line
    assert line.count("short of") == 1
    few = _text(outlasts_line(Run.of(run(world(3)))))  # of three members, each is still told in turn
    assert "when Germany is short of rare earths, France is short of rare earths and Italy is short of rare" in few


def test_when_all_members_but_one_end_short_the_sentence_names_the_one():
    # Austria holds 10,000 t of rare earths, 167 days of its 60 t a day: neither short at the end nor low
    line = _text(outlasts_line(Run.of(run(world(6, regions__austria__commercial_stock__ree__tonnes=10_000)))))
    assert "when all members but Austria are short of rare earths." in line, line
    assert line.count("short of") == 1


def _table(html: str, cls: str) -> tuple[list[str], list[list[str]]]:
    """The head row's cells and each body row's cells (plain text) of the table of class ``cls``."""
    found = re.search(rf'<table class="{cls}">(.*?)</table>', html, re.S)
    assert found, cls
    cells = [
        [_text(c.replace("<br>", " ")) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", found.group(1), re.S)
    ]
    return cells[0], cells[1:]


def test_beyond_five_members_the_tables_with_a_column_per_member_give_each_a_row():
    page = words_page(run(world(6)))
    head, rows = _table(page, "pool by-member")
    assert head == ["Member", "Rare earths", "Ga"]  # gallium as the scenario names it
    names = MEMBERS_NAMED[:6]
    assert [r[0] for r in rows] == [*names, "Joint pool"]
    assert rows[0][1:] == ["60.0 t 6 days", "1.0 t 1 day"]  # 60 t is 6 days of Germany's 10 t a day
    assert rows[-1][1] == "360 t 2 days of members' demand"  # 360 t over the members' 210 t a day
    head, rows = _table(page, "releases by-member")
    assert head == ["Material", "Rare earths"]
    assert [r[0] for r in rows] == ["How", "Days", "Open needs", "Released"] + [f"{n} ratio 17%" for n in names]
    # the pool's 360 t go in two days of the members' 210 t gaps (no stock of their own): 420 t of open needs
    assert [r[1] for r in rows[:4]] == ["fair ratio", "2", "420 t", "360 t"]
    five = words_page(run(world(5)))  # five members keep a column each
    head, _ = _table(five, "pool")
    assert head == ["Material", *MEMBERS_NAMED[:5], "Joint pool"]
    assert 'class="pool by-member"' not in five and 'class="releases by-member"' not in five


def test_print_turns_scrolling_boxes_back_into_tables_after_the_narrow_screen_rule():
    # A4's text is 180 mm, 680 px: the narrow-screen rule (max-width 700px) also holds on paper, and its scrolling
    # boxes print cut off; the print rule that undoes it comes after it, so that it wins
    narrow = CSS.index("@media (max-width: 700px)")
    printed = CSS.rindex("@media print")
    assert printed > narrow
    rule = CSS[printed : CSS.index("\n}\n", printed)]
    assert ".scroll { overflow: visible; }" in rule
    assert "table, .scroll > table { display: table; min-width: 0; overflow: visible; }" in rule


FIT = r"""
const main = document.querySelector('main'), style = getComputedStyle(main);
const right = main.getBoundingClientRect().right - parseFloat(style.paddingRight);
return [...document.querySelectorAll('table')].map(t => {
  let box = null;
  for (let e = t; e && e !== document.body; e = e.parentElement) {
    const o = getComputedStyle(e).overflowX;
    if (o === 'auto' || o === 'scroll') { box = e; break; }
  }
  return {cls: t.className, right: t.getBoundingClientRect().right, text: right,
          sideways: box ? box.scrollWidth > box.clientWidth + 1 : false};
});
"""


@pytest.fixture(scope="module")
def twelve(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("twelve") / "report.html"
    out.write_text(words_page(run(world(12))), encoding="utf-8")
    return out


@BROWSER
@pytest.mark.parametrize(("media", "width"), [("screen", 1280), ("print", 680)])
def test_twelve_members_tables_fit_the_text_on_a_screen_and_on_a4(browser, twelve, media, width):
    reset_browser(browser)
    try:
        emulate_screen(browser, width, 1000)
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": media})
        load(browser, twelve)
        tables = browser.execute_script(FIT)
    finally:
        browser.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})
        reset_browser(browser)
    assert {"pool by-member", "releases by-member", "ledger"} <= {t["cls"] for t in tables}
    for table in tables:  # within the text's margin, and none in a box that scrolls (hiding members, cut on paper)
        assert table["right"] <= table["text"] + 0.5 and not table["sideways"], table


@pytest.fixture(scope="module")
def unsure() -> tuple[Any, Any]:
    """The six members' world with China's halt ending on a day from 10 to 60, 20 samples: each member's shortfall
    grows with it, in the same order in every sample (rank correlation 1.00 each), and so does the total."""
    from simulator.sensitivity import plan_study
    from simulator.sensitivity.intervals import run_uncertainty

    data = world(6)
    data["uncertain"] = [{"path": "shocks.halt.end", "low": 10, "high": 60, "source": "test"}]
    return run(data), run_uncertainty(plan_study(data, "s.yaml", fixed=()), 20)


DRIVER = "shocks.halt.end (the higher it is, the larger the shortfall; absolute rank correlation 1.00)"


def test_the_console_says_drivers_alike_once_then_as_the_line_above(unsure):
    from simulator.sensitivity.intervals import headline_lines

    lines = [line for line in headline_lines(unsure[1]) if line.startswith("Shortfall, ")]
    assert [line.split(":")[0] for line in lines] == [f"Shortfall, {n}" for n in MEMBERS_NAMED[:6]]
    assert lines[0].endswith(f"; most associated with {DRIVER}"), lines[0]
    for line in lines[1:]:
        assert line.endswith("; most associated with the same as the line above"), line
    total = headline_lines(unsure[1])[0]  # the total's words differ ("the total shortfall"): said in full
    assert total.endswith("absolute rank correlation 1.00)") and "the line above" not in total, total


def test_the_table_gives_drivers_alike_one_cell_over_their_rows(unsure):
    page = words_page(unsure[0], uncertainty=unsure[1])
    table = re.search(r'<table class="uncertainty">.*?</table>', page, re.S).group(0)
    rows = re.findall(r"<tr>(.*?)</tr>", table, re.S)
    shortfall = [k for k, row in enumerate(rows) if re.search(r'<td class="text">Shortfall, ', row)]
    assert len(shortfall) == 6
    first = rows[shortfall[0]]
    assert first.count("<td") == 5 and '<td class="text" rowspan="6">shocks.halt.end<br><small>' in first, first
    for k in shortfall[1:]:  # the other five: the figure's four cells, the drivers' cell spanning them
        assert rows[k].count("<td") == 4, rows[k]
    assert plain(table).count("the larger the shortfall;") == 1
