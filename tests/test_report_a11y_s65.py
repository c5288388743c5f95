"""The report page read without sight (WCAG 2.2 AA review of session 65).

The 2010 replay's report, as ``stockpile run --report`` writes it, parsed with the standard library's HTML parser:
no id is used twice (Matplotlib gave every inline figure ``figure_1``, ``axes_1``, ...) and every reference to one
finds it; every chart (``<svg role="img">``) names a description (``aria-describedby``), its caption, which gives
the chart's key numbers, here worked out from the run's own tables with pandas (the lowest days of cover per
region, each world price's peak, the tonnes China delivered under its share and the others over theirs, the
number of shocks); the shock timeline's text is as large as the page's small text at a 640 px window and its
shock ids are dark enough (4.5:1); the tables the page scrolls are in named regions that take the focus; the page's
header and footer are landmarks of their own, not inside ``<main>``. Browser: the timeline's text measured at 640 px.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pandas as pd
import pytest

from tests.helpers import (
    BROWSER,
    TWO_MEMBERS,
    emulate_screen,
    japan_halted,
    load,
    reset_browser,
    run,
    shipped_group,
    shipped_report,
    shipped_result,
    words_page,
)

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
"""Elements without an end tag."""


@dataclass
class Element:
    """One element of the page: its tag, attributes, the tags it sits in, and its text (with its children's)."""

    tag: str
    attrs: dict[str, str]
    inside: tuple[str, ...]
    text: list[str] = field(default_factory=list)
    parent: Element | None = None


class Page(HTMLParser):
    """Every element of a page, in order (:class:`Element`)."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._open: list[Element] = []
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        parent = self._open[-1] if self._open else None
        element = Element(tag, {k: v or "" for k, v in attrs}, tuple(e.tag for e in self._open), parent=parent)
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._open.pop()

    def handle_endtag(self, tag: str) -> None:
        while self._open:  # an end tag closes its element (and any left open inside it)
            if self._open.pop().tag == tag:
                break

    def handle_data(self, data: str) -> None:
        for element in self._open:
            element.text.append(data)

    def by_id(self) -> dict[str, Element]:
        return {e.attrs["id"]: e for e in self.elements if "id" in e.attrs}

    def within(self, outer: Element) -> list[Element]:
        """The elements inside ``outer``."""
        out = []
        for e in self.elements:
            parent = e.parent
            while parent is not None and parent is not outer:
                parent = parent.parent
            if parent is outer:
                out.append(e)
        return out

    def text_of(self, element: Element) -> str:
        """The element's text, its no-break spaces as spaces."""
        return "".join(element.text).replace("\xa0", " ")


REPLAY = "embargo_2010"
"""The 2010 replay: its report is the page ``stockpile run scenarios/embargo_2010.yaml --report`` writes (the
suite's cached :func:`shipped_report`, its numbers read from the cached run's tables, as the run's CSV files hold
them)."""


@pytest.fixture(scope="module")
def page() -> Page:
    return Page(shipped_report(REPLAY))


def _date(start: str, day: int) -> str:
    """Day ``day`` of a run starting on ``start`` (ISO) as the report writes a date: ``3 Jul 2011``."""
    when = pd.Timestamp(start) + pd.Timedelta(days=day)
    return f"{when.day} {when:%b %Y}"


@shipped_group(REPLAY)
def test_no_id_is_used_twice_and_every_reference_to_one_finds_it(page):
    ids = Counter(e.attrs["id"] for e in page.elements if "id" in e.attrs)
    assert [i for i, n in ids.items() if n > 1] == []  # was 180 ids three times over: figure_1, axes_1, ...
    references = [
        ref
        for e in page.elements
        for key, value in e.attrs.items()
        for ref in re.findall(r"url\(#([^)]+)\)", value) + (re.findall(r"^#(.+)$", value) if "href" in key else [])
    ]
    assert sum(r.startswith(("prices-", "cover-", "supply-")) for r in references) >= 21  # the charts' clip paths
    assert [r for r in references if r not in ids] == []


@shipped_group(REPLAY)
def test_each_chart_is_described_by_its_caption_and_it_gives_the_run_s_key_numbers(page):
    charts = {e.parent.parent.attrs["data-figure"]: e for e in page.elements if e.tag == "svg"}
    assert set(charts) == {"prices", "timeline", "days_of_cover", "supply_mix"}
    described = {}
    for name, svg in charts.items():
        assert svg.attrs["role"] == "img" and svg.attrs["aria-label"], name
        target = page.by_id().get(svg.attrs.get("aria-describedby", ""))
        assert target is not None and target.tag == "figcaption", name  # the figure's own caption
        described[name] = page.text_of(target)
    result = shipped_result(REPLAY)
    series = result.timeseries
    start = str(series["date"].iloc[0])
    # days of cover: each region's lowest and its first day (Japan 120.0 days on day 0, the EU 1.6 on 3 Jul 2011)
    for region, name in (("japan", "Japan"), ("eu", "the EU")):
        rows = series[series["region"] == region]
        low = rows.loc[rows["days_of_cover"].idxmin()]
        assert f"{name} {low['days_of_cover']:.1f} days" in described["days_of_cover"]
        assert (
            _date(start, int(rows[rows["days_of_cover"] == low["days_of_cover"]]["day"].min()))
            in (described["days_of_cover"])
        )
    assert "1.6 days (heavy rare earths, 3 Jul 2011), under the 15-day release trigger" in described["days_of_cover"]
    # prices: each world price's peak (above 100 USD/kg, written in whole dollars) and its first day
    market = result.market
    for material in ("light_ree", "heavy_ree"):
        rows = market[market["material"] == material]
        peak = rows["world_price_usd_per_kg"].max()
        day = int(rows[rows["world_price_usd_per_kg"] == peak]["day"].min())
        assert f"{peak:,.0f} USD/kg on {_date(start, day)}" in described["prices"]
    # supply: every shock of the replay is China's, over days 0-914, past the 731-day horizon: over the whole run,
    # China's arrivals against its sourcing share of baseline demand, the others' against theirs
    shocks = result.shocks
    assert set(shocks["kind"]) <= {"export_quota", "embargo", "delay"} and shocks["start_day"].min() == 0
    assert shocks["end_day"].max() >= len(series["day"].unique())
    supply, shares = result.supply, result.portfolio
    said = described["supply_mix"]
    assert said.startswith("Did other suppliers fill the gap? In part.")
    for region, name in (("japan", "Japan"), ("eu", "EU")):
        demand = series[(series["region"] == region) & (series["material"] == "light_ree")]["baseline_demand_t"].sum()
        rows = supply[(supply["region"] == region) & (supply["material"] == "light_ree")]
        got = rows.groupby("supplier")["arrivals_t"].sum()
        share = shares[(shares["region"] == region) & (shares["material"] == "light_ree")].set_index("supplier")
        normal = share["sourcing_share"] * demand
        short = normal["china"] - got["china"]
        more = (got - normal).drop("china").sum()
        assert 0 < more < short  # in part
        assert (
            f"{name}, light rare earths: China delivered {short:,.0f} t less, other suppliers {more:,.0f} t more "
            f"({100 * more / short:.2g}% of the gap)" in said
        )
    assert described["timeline"].startswith(f"{len(shocks)} shocks, ")


def test_a_short_region_s_shortfall_and_a_supplier_with_no_one_to_replace_it_are_said_in_the_captions():
    # TWO_MEMBERS with China halting Japan's supply all along, its only supplier: Japan short, the EU not
    result = run(japan_halted())
    page = Page(words_page(result))
    captions = {e.parent.attrs["data-figure"]: page.text_of(e) for e in page.elements if e.tag == "figcaption"}
    series, supply = result.timeseries, result.supply
    japan = series[series["region"] == "japan"]
    short, first = japan["shortfall_t"].sum(), int(japan[japan["shortfall_t"] > 0]["day"].min())
    assert short >= 100 and not series[series["region"] == "eu"]["shortfall_t"].any()
    assert captions["shortfall"].startswith(
        f"Short over the run: Japan {short:,.0f} t of rare earths (from day {first})."
    )
    # China's share is all of Japan's demand (20 t a day over the 60 days); what arrived from it is the rest
    gap = japan["baseline_demand_t"].sum() - supply[supply["region"] == "japan"]["arrivals_t"].sum()
    assert captions["supply_mix"].startswith(
        f"Did other suppliers fill the gap? No. Over the shocks, against each supplier's share of baseline demand: "
        f"Japan, rare earths: China delivered {gap:,.0f} t less, and no other supplier serves it."
    )


def test_the_comparison_s_caption_gives_each_run_s_lowest_cover_under_its_name():
    result, baseline = run(japan_halted()), run(TWO_MEMBERS)  # the EU has 5,000 t in the run, none in the baseline
    page = Page(words_page(result, baseline))
    (caption,) = [page.text_of(e) for e in page.elements if e.tag == "figcaption" and "comparison" in e.attrs["id"]]
    lows = [r.timeseries.groupby("region")["days_of_cover"].min() for r in (result, baseline)]
    assert lows[0]["eu"] != lows[1]["eu"]
    assert (
        caption.startswith(
            f"Lowest cover in {result.scenario.name}: Japan {lows[0]['japan']:.1f} days (rare earths, day "
        )
        and f"the EU {lows[0]['eu']:.1f} days" in caption.split(". Lowest cover in ")[0]
    )
    assert f". Lowest cover in {baseline.scenario.name}: Japan {lows[1]['japan']:.1f} days" in caption
    assert f"the EU {lows[1]['eu']:.1f} days" in caption.split(". Lowest cover in ")[1]


TIMELINE_COLUMN_PX = 597
"""The page's text column at a 640 px window beside a 15 px scroll bar: 640 - 15 - 2 x 14 px of padding."""
SMALL_TEXT_PX = 12
"""The page's small text (its footer, a table's sources): what the timeline's text must show at, at least."""


def _contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours ``#rrggbb``."""

    def luminance(colour: str) -> float:
        rgb = [int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5)]
        lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]

    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@shipped_group(REPLAY)
def test_the_timeline_s_text_is_as_large_as_the_page_s_small_text_at_640_px_and_its_ids_dark_enough(page):
    svg = next(e for e in page.elements if e.tag == "svg" and e.attrs.get("class") == "timeline")
    width = float(svg.attrs["viewbox"].split()[2])  # the parser lowers attribute names
    drawn = page.within(svg)
    inside = [e for e in drawn if e.tag in ("text", "tspan")]
    sizes = {float(e.attrs.get("font-size", svg.attrs["font-size"])) for e in inside}
    # shown as wide as the column: a unit is 597 / width px (was 0.597: text at 7.2 and 6.0 px)
    assert min(sizes) * TIMELINE_COLUMN_PX / width >= SMALL_TEXT_PX, (sizes, width)
    lanes = {e.attrs["fill"] for e in drawn if e.tag == "rect" and e.attrs.get("fill") in ("#f7f8fa", "#eceff3")}
    ids = [e for e in inside if page.text_of(e).strip() in {"china_japan_halt", "china_quota_2011"}]
    assert len(ids) == 2 and lanes == {"#f7f8fa", "#eceff3"}  # lanes alternate in shade
    for e in ids:  # on either shade of lane (was #6b7682: 4.35:1 and 4.0:1)
        assert min(_contrast(e.attrs["fill"], lane) for lane in lanes) >= 4.5, e.attrs


@shipped_group(REPLAY)
def test_the_member_tables_scroll_in_named_regions_that_take_the_focus(page):
    members = [e for e in page.elements if e.tag == "table" and "member" in e.attrs.get("class", "").split()]
    assert len(members) == 2
    for table, name in zip(members, ("Japan", "EU"), strict=True):
        box = table.parent
        assert box is not None and box.tag == "div" and box.attrs.get("class") == "scroll", box
        assert (box.attrs.get("role"), box.attrs.get("tabindex"), box.attrs.get("aria-label")) == (
            "region",
            "0",
            f"Outcome for {name}",
        )


@shipped_group(REPLAY)
def test_every_table_that_may_scroll_sideways_is_in_a_focusable_named_region(page):
    cards = {"shocks", "assumptions", "uncertain-inputs", "robust"}  # cards on a narrow screen: never scrolled
    for table in (e for e in page.elements if e.tag == "table"):
        if cards & set(table.attrs.get("class", "").split()):
            continue
        box = table.parent
        assert box is not None and box.attrs.get("role") == "region" and box.attrs.get("tabindex") == "0", table.attrs


@shipped_group(REPLAY)
def test_every_table_has_a_caption_and_no_empty_header_cell(page):
    tables = [e for e in page.elements if e.tag == "table"]
    assert tables
    for table in tables:
        assert any(e.tag == "caption" and e.parent is table for e in page.elements), table.attrs
    empty = [e for e in page.elements if e.tag == "th" and not page.text_of(e).strip()]
    assert empty == []


@shipped_group(REPLAY)
def test_the_header_and_footer_are_landmarks_outside_main(page):
    header = next(e for e in page.elements if e.tag == "header")
    footer = next(e for e in page.elements if e.tag == "footer")
    assert "main" not in header.inside and "main" not in footer.inside  # were inside it
    assert "main" in next(e for e in page.elements if e.tag == "section").inside


MEASURE = r"""
const svg = document.querySelector('figure[data-figure=timeline] svg');
const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
const sizes = [...svg.querySelectorAll('text, tspan')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
const focus = [...document.querySelectorAll('.scroll[role=region]')].map(box => { box.focus();
  return document.activeElement === box; });
return {smallest: Math.min(...sizes), footer: parseFloat(getComputedStyle(document.querySelector('footer')).fontSize),
        focus};
"""


@BROWSER  # in the browser's worker, which renders the replay's report for test_report.py too
def test_at_640_px_the_timeline_s_text_is_as_large_as_the_footer_s_and_scroll_regions_take_the_focus(browser, tmp_path):
    report = tmp_path / "report.html"
    report.write_text(shipped_report(REPLAY), encoding="utf-8")
    reset_browser(browser)
    try:
        emulate_screen(browser, 640, 900)
        load(browser, report)
        found = browser.execute_script(MEASURE)
    finally:
        reset_browser(browser)
    assert found["smallest"] >= found["footer"] - 0.01, found  # was 7.3 and 6.1 px against the footer's 12
    assert found["focus"] and all(found["focus"]), found
