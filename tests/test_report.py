"""The HTML report: self-contained, complete, its sentences true to the summaries, and it renders.

Reports of the shipped scenarios are built from their reference runs, made once per test
process and shared with ``test_shipped_scenarios.py`` (``tests.helpers.shipped_result``); the
reports themselves and the runs without the agreement are shared with the other report tests
(``tests.helpers.shipped_report``, ``shipped_alone``); one test renders a report in headless Chromium.
"""

from __future__ import annotations

import html
import io
import json
import math
import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import yaml

from simulator.counterfactuals import own_share_alone
from simulator.plots import short_materials, shortfall_figure
from simulator.report import render_report, without_agreement, write_report
from simulator.report.findings import Run, compare_overall, compare_region
from simulator.report.glossary import GLOSSARY
from simulator.report.prices import ROUGH
from simulator.results import Result, date_label
from simulator.scenario import load_raw
from tests.helpers import (
    BROWSER,
    ONE_REGION,
    ROOT,
    TWO_MEMBERS,
    build,
    each_shipped,
    emulate_screen,
    harsh,
    harsh_alone,
    harsh_apart,
    harsh_compared_report,
    invoke,
    load,
    no_traceback,
    replay_against_historical_report,
    run,
    shipped_alone,
    shipped_apart,
    shipped_group,
    shipped_report,
    shipped_result,
    words_page,
)

TAG = re.compile(
    r'<span class="num" data-run="(?P<run>\w+)" data-metric="(?P<metric>[^"]+)" '
    r'data-value="(?P<value>[^"]+)">(?P<text>[^<]*)</span>'
)
NUMBER = re.compile(r"-?[\d,]*\.?\d+")


# --- shared runs ----------------------------------------------------------------------


def runs_of(name: str) -> dict[str, Result]:
    """The runs a shipped scenario's report tags numbers from, by tag."""
    found = {"scenario": shipped_result(name)}
    if (solo := shipped_alone(name)) is not None:
        found["alone"] = solo
    if 'data-run="own_share"' in shipped_report(name):  # the page measures pooling against it
        found["own_share"] = shipped_apart(name)
    return found


# --- reading a report ------------------------------------------------------------------


class Page(HTMLParser):
    """Tags with their attributes, figures and tables of a report."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.figures: dict[str, list[str]] = {}
        self._figure: str | None = None
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if tag == "figure":
            self._figure = values.get("data-figure", "")
            self.figures[self._figure] = []
        elif self._figure is not None:
            self.figures[self._figure].append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure":
            self._figure = None

    def all(self, tag: str, **attrs: str) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and all(a.get(k) == v for k, v in attrs.items())]


def plain(text: str) -> str:
    """Text of an HTML fragment without its tags (no-break spaces as plain spaces)."""
    return html.unescape(re.sub(r"<[^>]+>", "", text)).replace("\u00a0", " ")


def assert_self_contained(text: str, page: Page | None = None) -> None:
    """Nothing in ``text`` loads from elsewhere (``page``: ``Page(text)``, if already parsed)."""
    page = Page(text) if page is None else page
    for tag, attrs in page.tags:
        for name in ("src", "href", "xlink:href", "action", "poster", "data"):
            value = attrs.get(name, "").strip().lower()
            assert not value.startswith(("http:", "https:", "//", "ftp:", "file:")), (tag, name, value)
            if tag == "img" and name == "src":
                assert value.startswith("data:"), value
        assert tag not in ("script", "link", "iframe", "object", "embed"), tag
    assert not re.search(r"@import|url\(\s*['\"]?\s*(https?:|//)", text, flags=re.I)


def resolve(result: Result, metric: str) -> float:
    """A tagged metric's value from the run's summary (region totals: ``Result.metrics``)."""
    if metric.startswith("sum:"):
        _, name, regions = metric.split(":")
        return sum(result.metrics[f"{name}.{region}"] for region in regions.split(","))
    parts = metric.split(".")
    if len(parts) <= 2:
        return result.metrics[metric]
    name, region, material = parts
    table = result.summary
    row = table[(table["region"] == region) & (table["material"] == material)]
    assert len(row) == 1, metric
    return row.iloc[0][name]


def check_tags(text: str, runs: dict[str, Result]) -> int:
    """Every tagged number equals its summary value and is shown rounded from it; returns the count."""
    count = 0
    for tag in TAG.finditer(text):
        result = runs[tag["run"]]
        metric, shown = tag["metric"], html.unescape(tag["text"]).replace("\u00a0", " ")
        value = float(tag["value"])
        if metric.startswith("change:"):
            name = metric.removeprefix("change:")
            old, new = resolve(runs["baseline"], name), resolve(runs["scenario"], name)
            expected = (new - old) / old
        else:
            expected = resolve(result, metric)
        assert value == pytest.approx(expected, rel=1e-12, abs=1e-12), (metric, value, expected)
        assert_shown(shown, value, metric, result)
        count += 1
    return count


def assert_shown(shown: str, value: float, metric: str, result: Result) -> None:
    if "first_shortfall_day" in metric:
        assert shown == date_label(result.start_date, int(value)), (metric, shown, value)
        return
    if shown == "none":
        assert value == 0, (metric, value)
        return
    number = NUMBER.search(shown)
    assert number, shown
    digits = number.group().replace(",", "")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    if shown.startswith(("above ", "below ")):  # an index closer to 1 or 0 than 4 decimals show (names.index_text)
        low, high = (float(digits), 1.0) if shown.startswith("above ") else (0.0, float(digits))
        assert low < value < high, (metric, shown, value)
        return
    expected = abs(value) if metric.startswith("change:") else value
    if shown.endswith("%"):
        expected *= 100
        if "<" in shown:  # a trace: below the smallest shown value
            assert 0 < abs(expected) < float(digits), (metric, shown, value)
            return
    elif shown.endswith(" m"):
        expected /= 1e6
    elif shown.endswith(" bn"):
        expected /= 1e9
    if any(name in metric for name in ROUGH):  # two significant figures (prices.ROUGH): 10,285 t reads 10,000 t
        # within half a unit of the second significant figure of the value (worked out here, not by two_figures)
        second_figure = 10 ** (math.floor(math.log10(abs(expected))) - 1)
        assert abs(float(digits) - expected) <= 0.5 * second_figure * (1 + 1e-9), (metric, shown, value)
        assert float(f"{float(digits):.2g}") == float(digits), (metric, shown)  # no third significant figure
        return
    assert abs(float(digits) - expected) <= 0.5 * 10**-decimals + 1e-9, (metric, shown, value)


# --- every shipped scenario --------------------------------------------------------------


@pytest.mark.parametrize("name", each_shipped())
def test_report_of_each_shipped_scenario(name):
    result, text = shipped_result(name), shipped_report(name)
    page = Page(text)
    assert_self_contained(text, page)
    stray = [text[max(0, m.start() - 40) : m.start() + 10] for m in re.finditer(r"<(?![A-Za-z/!])", text)]
    assert not stray, f"a '<' that starts no tag (text the page did not escape): {stray}"
    for figure in ("days_of_cover", "timeline"):
        assert "svg" in page.figures.get(figure, []), f"{figure} curve missing"
    if short_materials(result):
        assert "svg" in page.figures.get("shortfall", []), "shortfall curve missing"
    else:  # nobody short: a sentence instead of empty panels
        assert "shortfall" not in page.figures
        assert page.all("p", **{"data-figure": "shortfall"}), "no sentence in place of the shortfall curves"
    regions = [t["data-region"] for t in page.all("table") if "member" in t.get("class", "").split()]
    assert regions == list(result.structure.regions)
    assert f"<h1>{name}</h1>" in text
    # the scenario's own words, whole, but for what an abbreviation means where the report first uses it
    meanings = [re.escape(added) for t in GLOSSARY for added in (f" ({t.meaning})", f", {t.meaning}")]
    own_words = re.sub("|".join(meanings), "", text)
    assert html.escape(result.scenario.description) in own_words
    for assumption in result.scenario.assumptions:
        assert html.escape(assumption.statement) in own_words
        if assumption.source:
            assert html.escape(assumption.source) in own_words
    assert check_tags(text, runs_of(name)) >= len(result.structure.regions)
    lowest = Run.of(result).lowest_day  # the date a sentence gives for the lowest cover
    ts = result.timeseries.set_index(["region", "material", "day"])["days_of_cover"]
    for (region, material), day in lowest.items():
        assert ts[region, material, day] == resolve(result, f"min_days_of_cover.{region}.{material}")
    if result.start_date is not None:
        assert date_label(result.start_date, 0) in text


def _pooled() -> list[Any]:
    """The shipped scenarios whose agreement has a pool (joint or national)."""
    return [
        case
        for case in each_shipped()
        if "pool" in (load_raw(ROOT / "scenarios" / f"{case.values[0]}.yaml").get("agreement") or {})
    ]


def test_most_shipped_scenarios_have_a_pool():
    assert len(_pooled()) >= 10


@pytest.mark.parametrize("name", _pooled())
def test_each_shipped_pool_states_its_settlement_and_its_report_shows_the_ledger(name):
    """A scenario with a pool says how rule releases are settled, with a comment why, and its report has the ledger."""
    text = (ROOT / "scenarios" / f"{name}.yaml").read_text(encoding="utf-8")
    agreement = yaml.safe_load(text)["agreement"]
    assert "settlement" in agreement, f"{name}: agreement.settlement is not stated"
    lines = text.splitlines()
    (at,) = [i for i, line in enumerate(lines) if re.match(r"^  settlement:", line)]
    assert lines[at - 1].strip().startswith("#"), f"{name}: no comment says why {lines[at].strip()}"
    page = shipped_report(name)
    assert '<section id="ledger">' in page and '<table class="ledger">' in page, name
    ledger = shipped_result(name).ledger
    assert (ledger["settlement"] == str(agreement["settlement"])).all()


@shipped_group("embargo_2010")
def test_a_baseline_of_the_world_without_the_agreement_is_not_run_again(monkeypatch):
    """``make run`` compares the replay with the stocks of 2010, its world without the agreement:
    the verdict's counterfactual is that baseline's run (the same page), not a second run of it."""
    import dataclasses

    import simulator.counterfactuals as counterfactuals

    result, world = shipped_result("embargo_2010"), shipped_alone("embargo_2010")
    described = {"name": "the_record", "description": "The same world told otherwise."}
    base = dataclasses.replace(world, scenario=world.scenario.model_copy(update=described))
    page = words_page(result, baseline=base, alone=world)
    monkeypatch.setattr(counterfactuals, "simulate", lambda *a, **k: pytest.fail("the baseline's world was run again"))
    assert words_page(result, baseline=base) == page
    assert counterfactuals.without_agreement(result, base).scenario == world.scenario  # its own name, not the_record
    another_seed = dataclasses.replace(base, seed=base.seed + 1)
    another_world = dataclasses.replace(base, scenario=base.scenario.model_copy(update={"horizon_days": 700}))
    for other in (another_seed, another_world):
        with pytest.raises(pytest.fail.Exception, match="run again"):
            counterfactuals.without_agreement(result, other)


@shipped_group("embargo_2010")
def test_report_states_shocks_rule_and_auctions():
    result = harsh("embargo_2010")
    text = words_page(result, alone=harsh_alone("embargo_2010"), own_share=harsh_apart("embargo_2010"))
    page = Page(text)
    assert len(page.all("table", **{"class": "shocks"})) == 1
    for shock in result.shocks.itertuples():
        assert shock.id in text
    assert "full halt, 21 Sep 2010 \u2013 30 Dec 2011" in text or "full halt" in text
    assert "Japan 79%, EU 21%" in text
    assert "below 15 days" in text
    assert "every 7 days" in text
    assert "uniform price" in text
    assert "5,796 t" in text  # the light-REE pool, 60 days of the members' demand
    assert f"{len(result.auctions)}" in text
    assert len(result.auctions) > 0
    assert result.metrics["auction_spend_usd.japan"] == 0.0  # Japan, with months of stock, never bids
    spend_eu = result.metrics["auction_spend_usd.eu"] / 1e6
    assert f"Spend at auction: EU USD {spend_eu:.1f} m." in plain(text)


@shipped_group("embargo_2010")  # with the other tests of the harsher world, which also run its scarce pool
def test_report_shows_fair_ratio_releases():
    result = harsh("embargo_2010_scarce")
    text = words_page(result, alone=harsh_alone("embargo_2010_scarce"))
    assert "Under the fair allocation ratio" in text
    assert len(result.releases) > 0
    assert '<table class="releases">' in text


# --- comparison -------------------------------------------------------------------------


@shipped_group("embargo_2010")
def test_compare_sentences_state_the_numbers_of_both_summaries():
    scenario, baseline = harsh("embargo_2010"), harsh("embargo_2010_historical")
    text = harsh_compared_report()
    assert_self_contained(text)
    runs = {"scenario": scenario, "baseline": baseline, "alone": harsh_alone("embargo_2010")}
    section = text[text.index('<section id="comparison">') : text.index('<section id="findings">')]
    assert check_tags(section, runs) >= 8
    words = plain(section)
    first = baseline.metrics["first_shortfall_day.eu"]
    assert date_label(baseline.start_date, first) in words
    light, heavy = (baseline.metrics[f"shortfall_t.eu.{m}"] for m in ("light_ree", "heavy_ree"))
    assert "the EU no longer runs short" in words
    # by material: a total would add tonnes of materials priced far apart (13.13 and 156.5 USD/kg)
    assert (
        f"its shortfall of light rare earths falls by 100%, from {light:,.0f} t to none, and that of heavy rare "
        f"earths falls by 100%, from {heavy:.1f} t to none (not added: tonnes of materials priced far apart)"
    ) in words
    page = Page(text)
    assert "svg" in page.figures["comparison"]
    assert len(page.all("table", **{"class": "comparison"})) == 1


@shipped_group("embargo_2010")
def test_compare_sentences_with_a_partial_change_and_a_zero_baseline():
    scarce, historical, joint = (
        Run.of(harsh(n)) for n in ("embargo_2010_scarce", "embargo_2010_historical", "embargo_2010")
    )
    base = Run.of(historical.result, "baseline")
    sentence = compare_region(scarce, base, "eu")
    old, new = historical.metric("shortfall_t.eu.light_ree"), scarce.metric("shortfall_t.eu.light_ree")
    assert 0 < new < old
    assert f"its shortfall of light rare earths falls by {100 * (old - new) / old:.0f}%" in plain(sentence)
    assert check_tags(sentence, {"scenario": scarce.result, "baseline": historical.result}) >= 4
    # the other way round: from no shortfall at all to some
    zero = Run.of(joint.result, "baseline")
    sentence = compare_region(historical, zero, "eu")
    assert "Without the joint stock, the EU now runs short, first on" in plain(sentence)
    assert "its shortfall of light rare earths rises from none to" in plain(sentence)
    overall = compare_overall(historical, zero)
    assert "rises from" in overall
    assert check_tags(sentence + overall, {"scenario": historical.result, "baseline": joint.result}) >= 3
    # nothing to compare: neither runs short
    same = compare_region(joint, Run.of(joint.result, "baseline"), "japan")
    assert "runs short in neither" in same
    # not "the total shortfall is none in both runs"
    overall = plain(compare_overall(joint, Run.of(joint.result, "baseline")))
    assert overall == "Across Japan and the EU, there is no shortfall in either run."


def test_a_baseline_on_another_calendar_gets_both_first_dates_not_a_move():
    # the same world from 1 Jul 2010 and from 1 Jul 2020: both first short on day 0, which is no "stays on"
    result = run(build(TWO_MEMBERS, start_date="2010-07-01"))
    later = run(build(TWO_MEMBERS, name="later", start_date="2020-07-01", agreement=None))
    sentence = plain(compare_region(Run.of(result), Run.of(later, "baseline"), "eu"))
    assert sentence.startswith("In pair, the EU's first shortfall is on 1 Jul 2010 (later: 1 Jul 2020);")
    assert "stays on" not in sentence


def test_report_without_start_date_shows_day_numbers(tmp_path):
    result, baseline = run(TWO_MEMBERS), run(build(TWO_MEMBERS, agreement=None))
    path = write_report(result, tmp_path / "r.html", baseline=baseline)
    text = path.read_text()
    assert_self_contained(text)
    assert re.search(r"first runs short on <span[^>]*>day \d+</span>", text)
    runs = {
        "scenario": result,
        "baseline": baseline,
        "alone": without_agreement(result),
        "own_share": own_share_alone(result),
    }
    assert check_tags(text, runs) > 5
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_write_report_fails_cleanly(tmp_path):
    from simulator.errors import InputError

    blocker = tmp_path / "a_file"
    blocker.write_text("not a folder")
    with pytest.raises(InputError, match="cannot write the report"):
        write_report(run(TWO_MEMBERS), blocker / "r.html", figures=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a_file"]


# --- command line -------------------------------------------------------------------------


def write_yaml(tmp_path: Path, data: dict[str, Any], name: str) -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def test_report_command_writes_one_file(tmp_path):
    scenario = write_yaml(tmp_path, build(TWO_MEMBERS, start_date="2010-07-01"), "s.yaml")
    baseline = write_yaml(tmp_path, build(TWO_MEMBERS, agreement=None, start_date="2010-07-01"), "b.yaml")
    out = tmp_path / "out" / "report.html"
    result = invoke("report", scenario, "-o", out, "--compare", baseline, "--set", "agreement.ratio.japan=0.3")
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output
    text = out.read_text()
    assert_self_contained(text)
    assert "Japan 30%" in text
    assert "Against the baseline" in text
    assert sorted(p.name for p in out.parent.iterdir()) == ["report.html"]


def test_run_with_report_writes_report_html(tmp_path):
    scenario = write_yaml(tmp_path, TWO_MEMBERS, "s.yaml")
    result = invoke("run", scenario, "-o", tmp_path / "out", "--report", "--no-plots")
    assert result.exit_code == 0, result.output
    assert_self_contained((tmp_path / "out" / "report.html").read_text())


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["{missing}", "-o", "{out}"], "file not found"),
        (["{good}", "-o", "{blocked}"], "cannot write this file"),
        (["{good}", "-o", "{out}", "--set", "horizon_days=-1"], "horizon_days"),
        (["{bad}", "-o", "{out}"], "unknown key"),
        (["{good}", "-o", "{out}", "--compare", "{missing}"], "file not found"),
        (["{good}", "-o", "{out}", "--compare", "{elsewhere}"], "no region in common"),
        (["{good}", "-o", "{tmp}"], "is a directory"),
    ],
)
def test_report_command_bad_input_exits_2(tmp_path, args, fragment):
    good = write_yaml(tmp_path, TWO_MEMBERS, "good.yaml")
    bad = write_yaml(tmp_path, build(TWO_MEMBERS, regions__japan__colour="red"), "bad.yaml")
    other = build(TWO_MEMBERS, agreement=None, shocks=[])
    other["regions"] = {"korea": other["regions"]["japan"]}
    other["suppliers"]["china"]["lead_time_days"] = {"korea": 5}
    elsewhere = write_yaml(tmp_path, other, "elsewhere.yaml")
    (tmp_path / "blocker").write_text("a file, not a folder")
    names = {
        "missing": tmp_path / "none.yaml",
        "good": good,
        "bad": bad,
        "elsewhere": elsewhere,
        "out": tmp_path / "r.html",
        "blocked": tmp_path / "blocker" / "r.html",
        "tmp": tmp_path,
    }
    result = invoke("report", *(a.format(**names) for a in args))
    assert result.exit_code == 2, result.output
    assert no_traceback(result)
    assert fragment in result.output, result.output
    assert not (tmp_path / "r.html").exists()


# --- in a real browser --------------------------------------------------------------------

MEASURE = """<script>
(function () {
  var out = {figures: [], tables: []};
  document.querySelectorAll('figure[data-figure]').forEach(function (f) {
    var el = f.querySelector('svg, img');
    var r = el ? el.getBoundingClientRect() : {width: 0, height: 0};
    out.figures.push({name: f.dataset.figure, tag: el ? el.tagName.toLowerCase() : '', width: r.width,
                      height: r.height});
  });
  document.querySelectorAll('table').forEach(function (t) {
    var r = t.getBoundingClientRect();
    out.tables.push({cls: t.className, region: t.dataset.region || '', rows: t.rows.length, width: r.width,
                     height: r.height});
  });
  var pre = document.createElement('pre');
  pre.id = 'measured';
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
})();
</script>
"""


@BROWSER
def test_report_renders_in_headless_chromium(browser, tmp_path):
    text = replay_against_historical_report()
    report = tmp_path / "report.html"
    report.write_text(text, encoding="utf-8")
    probe = tmp_path / "measured.html"
    probe.write_text(text.replace("</body>", MEASURE + "</body>"), encoding="utf-8")

    emulate_screen(browser, 800, 600)  # about the window headless Chromium opens on its own
    load(browser, probe)
    measured = json.loads(browser.execute_script("return document.getElementById('measured').textContent"))
    figures = {f["name"]: f for f in measured["figures"]}
    expected = ["days_of_cover", "timeline", "supply_mix"]  # no comparison figure: the two runs coincide
    expected += ["shortfall"] if short_materials(shipped_result("embargo_2010")) else []
    assert "comparison" not in figures
    for name in expected:
        assert figures[name]["tag"] == "svg", figures
        assert figures[name]["width"] > 300, figures[name]
        assert figures[name]["height"] > 100, figures[name]
    members = [t for t in measured["tables"] if "member" in t["cls"].split()]
    assert [t["region"] for t in members] == ["japan", "eu"]
    assert all(t["rows"] > 8 and t["width"] > 300 and t["height"] > 100 for t in members), members
    assert any("comparison" in t["cls"] for t in measured["tables"])

    emulate_screen(browser, 1280, 4000)
    load(browser, report)
    shot = browser.get_screenshot_as_png()
    assert shot[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(io.BytesIO(shot)) as image:
        assert image.size == (1280, 4000)
        colours = image.convert("L").getextrema()
    assert colours[1] - colours[0] > 100, "the screenshot is blank"


def test_a_region_short_in_neither_run_is_named_first_and_its_cover_change_follows():
    # "With the joint stock, the EU runs short in neither ..." would credit a stock that
    # changed nothing; the sentence opens with the region (capitalised) instead
    calm = build(TWO_MEMBERS, shocks=[{**TWO_MEMBERS["shocks"][0], "start": 10, "end": 30}])
    # the halt stops 20 days of the EU's 80 t/day (arrivals of days 15-34): 1,600 t drawn
    calm["regions"]["eu"]["commercial_stock"]["ree"]["tonnes"] = 3400  # lowest 1,800 t = 22.5 days
    more = build(calm, name="more")
    more["regions"]["eu"]["commercial_stock"]["ree"]["tonnes"] = 4800  # lowest 3,200 t = 40 days
    sentence = plain(compare_region(Run.of(run(more)), Run.of(run(calm), "baseline"), "eu"))
    expected = "The EU runs short in neither more nor pair; in more, its lowest cover rises from 22.5 to 40.0 days."
    assert sentence == expected


# --- a region without demand for a material ---------------------------------------------

MAGNETS = build(
    TWO_MEMBERS,
    materials__mag={"price_usd_per_kg": 50},
    suppliers__china__lead_time_days={"japan": 5, "eu": 5},
    regions__eu__demand__mag={"tonnes_per_day": 10},
    regions__eu__commercial_stock__mag={"tonnes": 0},
    regions__eu__sourcing__mag={"china": 1.0},
    market={"mag": {"price": {"sensitivity": 2.0, "adjustment_days": 1.0}}},
)
"""TWO_MEMBERS with a second material, magnets, that only the EU uses (10 t/day, no stock,
all from China, halted throughout: 10 t short every day); Japan, like Japan in
long_embargo_12m, has no magnet demand. Magnets have a market, so the report has prices."""


def _findings_of(text: str, region: str) -> str:
    start = text.index(f"<h3>{region}</h3>")
    return plain(text[start : text.index("</div>", start)])


def _columns(text: str, region: str) -> list[str]:
    table = re.search(rf'<table class="member" data-region="{region}">.*?</table>', text).group()
    return re.findall(r"<th>([^<]*)</th>", table.split("</thead>")[0])  # its corner is a <td>, not a header


def test_a_region_without_demand_for_a_material_gets_no_statement_on_it():
    result = run(MAGNETS)
    text = words_page(result)
    japan, eu = _findings_of(text, "Japan"), _findings_of(text, "EU")
    # Japan: one note instead of "Mag: never short; ..."; the EU: 10 t x 60 days short
    assert "Mag:" not in japan and "Its use of mag is not modelled in this scenario (no demand given)." in japan
    assert "Mag: short of 600 t (100% of demand) on 60 days from day 0" in eu
    assert _columns(text, "japan") == ["Rare earths", "All materials"]
    assert _columns(text, "eu") == ["Rare earths", "Mag", "All materials"]
    prices = plain(text[text.index('<section id="prices">') : text.index("</section>", text.index('id="prices"'))])
    assert "Japan paid" not in prices and prices.count("paid up to") == 1  # the EU's magnets only
    pool = plain(re.search(r'<table class="pool">.*?</table>', text).group())
    assert "Mag0 tno demand0 t" in pool  # Japan's cell (no days of its demand to count), then the EU's
    panel = next(ax for ax in shortfall_figure(result).axes if ax.get_title() == "Mag")
    assert [line.get_label() for line in panel.get_lines()] == ["EU"]


def test_a_member_holding_a_material_it_does_not_use_keeps_its_costs_but_no_outcome():
    # Japan puts 10 t of magnets into the pool, as Australia its heavy rare earths in club_of_five:
    # buying them costs 10 t x 50 USD/kg x 1,000 kg/t = USD 0.50 m; the EU, short, draws all 10 t
    data = build(MAGNETS, agreement__pool__contributions__japan__mag={"tonnes": 10})
    text = words_page(run(data))
    assert _columns(text, "japan") == ["Rare earths", "Mag", "All materials"]
    table = re.search(r'<table class="member" data-region="japan">.*?</table>', text).group()
    rows = {k: re.findall(r"<td>(.*?)</td>", v) for k, v in re.findall(r"<tr[^>]*><th>(.*?)</th>(.*?)</tr>", table)}
    assert rows["Demand over the horizon (t)"][1] == "no demand"
    for label in (
        "Shortfall (t)",
        "Days short",
        "First shortfall",
        "Minimum days of cover",
        "Lowest cover on (end of day)",
    ):
        assert rows[label][1] == "\u2013", label
    assert rows["Buying its pool share (USD m)"][1] == "0.50"
    released = plain(re.search(r'<table class="releases">.*?</table>', text).group())
    # magnets: 1 day of release, 10 t of open needs, 10 t released; Japan's cell, then the EU's
    assert "Magfair ratio110.0 t10.0 tno demand10.0 t100%" in released


# --- the day cover ran out and the first day short ------------------------------------------

RUN_DRY = build(
    ONE_REGION,
    shocks=[{"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan"], "start": -100, "end": 1000}],
)
"""Japan uses 10 t a day from 100 t of stock with nothing arriving (halted since before day 0)."""


@pytest.mark.parametrize(
    ("stock_t", "expected"),
    [
        # 100 t last days 0-9: 0 t at the end of day 9 (cover 0.0), short 10 t a day on days 10-39 (30 days: all
        # of their 300 t)
        (100, ("day 10", "300 t", "75%", "30 short days it lacks 100%", "day 9, the day before it first ran short")),
        # 95 t: 5 t left at the end of day 8 (0.5 days); day 9 meets 5 of its 10 t, short from then on (31 days:
        # 305 t of their 310 t, 98%)
        (95, ("day 9", "305 t", "76%", "31 short days it lacks 98%", "day 9, the day it first ran short")),
    ],
)
def test_the_day_cover_ran_out_is_said_with_the_first_day_short(stock_t, expected):
    first, short, share, depth, ran_out = expected
    text = words_page(run(build(RUN_DRY, regions__japan__commercial_stock__ree={"tonnes": stock_t})))
    assert (
        f"Japan first runs short on {first} (rare earths) and is short of {short} in all, {share} of its demand "
        f"over the 40 days (on its {depth} of its demand); its cover of rare earths ran out (0.0 days) on "
        f"{ran_out}." in _findings_of(text, "Japan")
    )
    assert f"from {first}, at most 10.0 t a day; its cover ran out (0.0 days) on {ran_out}." in plain(text)
    table = re.search(r'<table class="member" data-region="japan">.*?</table>', text).group()
    rows = {k: re.findall(r"<td>(.*?)</td>", v) for k, v in re.findall(r"<tr[^>]*><th>(.*?)</th>(.*?)</tr>", table)}
    assert rows["First shortfall"] == [first, first]
    assert rows["Lowest cover on (end of day)"] == ["day 9", "day 9"]


def test_the_lowest_cover_of_all_materials_is_dated_by_the_first_material_to_reach_it():
    # rare earths (listed first): 100 t at 10 t a day run out at the end of day 9; magnets: 50 t
    # at 10 t a day at the end of day 4, short from day 5. Both reach 0.0: the region's lowest
    # cover is first reached on day 4, by magnets, the day before its first shortfall
    data = build(
        RUN_DRY,
        materials__mag={"price_usd_per_kg": 50},
        regions__japan__demand__mag={"tonnes_per_day": 10},
        regions__japan__commercial_stock__mag={"tonnes": 50},
        regions__japan__sourcing__mag={"china": 1.0},
    )
    text = words_page(run(data))
    assert "first runs short on day 5 (mag)" in _findings_of(text, "Japan")
    assert "its cover of mag ran out (0.0 days) on day 4, the day before it first ran short." in plain(text)
    table = re.search(r'<table class="member" data-region="japan">.*?</table>', text).group()
    rows = {k: re.findall(r"<td>(.*?)</td>", v) for k, v in re.findall(r"<tr[^>]*><th>(.*?)</th>(.*?)</tr>", table)}
    assert rows["Lowest cover on (end of day)"] == ["day 9", "day 4", "day 4"]


# --- money in one unit per table or sentence ----------------------------------------------


def test_amounts_from_usd_100000_are_in_millions_and_a_group_shares_one_unit():
    from simulator.report.words import NBSP, usd, usd_all

    def shown(texts: list[str]) -> list[str]:
        return [t.replace(NBSP, " ") for t in texts]

    # club_of_five's verdict table had "hold USD 879,178" beside "USD 22.6 m"
    assert shown([usd(879_178.0), usd(22_600_000.0), usd(45_300.0)]) == ["USD 0.88 m", "USD 22.6 m", "USD 45,300"]
    # beside millions, USD 45,300 is 0.0453 m and USD 2,373 is 0.002373 m; without them, whole dollars
    assert shown(usd_all([2_300_000.0, 45_300.0, 2_373.0, 0.0])) == ["USD 2.3 m", "USD 0.05 m", "USD 0.002 m", "USD 0"]
    assert shown(usd_all([45_300.0, 2_373.0])) == ["USD 45,300", "USD 2,373"]


def test_who_owes_whom_states_its_amounts_in_one_unit():
    # Japan owns the 60 t pool (40 USD/kg) and needs none of it; the EU (80 t/day short) and the
    # US (1 t/day) share it by a 50/50 ratio: the US takes its 1 t gap, the EU the other 59 t.
    # Sold: the EU owes 59 t x 40,000 USD/t = USD 2,360,000, the US 1 t x 40,000 = USD 40,000
    data = build(
        TWO_MEMBERS,
        materials__ree={"price_usd_per_kg": 40},
        suppliers__china__lead_time_days={"japan": 5, "eu": 5, "us": 5},
        regions__japan__commercial_stock__ree={"tonnes": 10_000},
        regions__us={
            "demand": {"ree": {"tonnes_per_day": 1}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
        agreement__members=["japan", "eu", "us"],
        agreement__ratio={"japan": 0.0, "eu": 0.5, "us": 0.5},
        agreement__pool={"contributions": {"japan": {"ree": {"tonnes": 60}}}},
        agreement__settlement="sale",
    )
    data["shocks"][0]["regions"] = ["japan", "eu", "us"]
    ledger = words_page(run(data)).split('<section id="ledger">')[1].split("</section>")[0]
    assert "Rare earths: EU (USD 2.4 m), US (USD 0.04 m) to Japan." in plain(ledger)


# --- scenario text is escaped once: shown as written, never read as HTML -------------------------

XSS = "<img src=x onerror=alert(1)>"
AMP = "A&B"
MATERIAL = "R&D <b>ree</b>"


def _labelled(tmp_path: Path) -> tuple[Path, Path]:
    """``TWO_MEMBERS`` with a market, labels that are HTML, and its baseline without the agreement (files)."""
    data = build(TWO_MEMBERS, regions__japan__label=XSS, regions__eu__label=AMP, materials__ree__label=MATERIAL)
    data["market"] = {"ree": {"reference_price_usd_per_kg": 50.0}}
    base = build(data, name="base")
    del base["agreement"]
    paths = tmp_path / "labelled.yaml", tmp_path / "base.yaml"
    for path, written in zip(paths, (data, base), strict=True):
        path.write_text(yaml.safe_dump(written))
    return paths


def _assert_labels_are_text(text: str) -> str:
    """No tag or attribute from the labels; their text as written (escaped once, not twice). The page's text."""
    page = Page(text)
    assert not [(tag, attrs) for tag, attrs in page.tags if tag in ("img", "b") or "onerror" in attrs]
    shown = plain(text)
    assert "&amp;" not in shown and "&lt;" not in shown  # escaped twice would show the entity
    # the region findings (findings.py) and the rule (rule.py) name them as written
    assert f"{XSS} first runs short on day 1 ({MATERIAL})" in shown
    assert f"Members: {XSS} and {AMP}." in shown
    return shown


def test_labels_reach_the_report_as_text_with_a_baseline(tmp_path):
    scenario, base = _labelled(tmp_path)
    result = invoke("report", scenario, "-o", tmp_path / "r.html", "--compare", base)
    assert result.exit_code == 0, result.output
    shown = _assert_labels_are_text((tmp_path / "r.html").read_text(encoding="utf-8"))
    # findings.py's comparison: without the agreement Japan is short of 20 t/day x 60 days = 1,200 t and the EU of
    # 80 x 60 = 4,800 t, 6,000 t in all; the pool's 60 t released cuts it to 5,940 t, 1.0% less
    assert f"Across {AMP} and {XSS}, the total shortfall falls by 1.0%, from 6,000 t to 5,940 t." in shown
    # sharing.py's pooling line and prices.py's sentences name the member as written
    assert f"Pooled, {XSS} is short of" in shown
    assert f"{XSS} paid up to " in shown


def test_labels_reach_the_report_of_run_as_text(tmp_path):
    scenario, _ = _labelled(tmp_path)
    result = invoke("run", scenario, "--report", "--no-plots", "-o", tmp_path / "out")
    assert result.exit_code == 0, result.output
    _assert_labels_are_text((tmp_path / "out" / "report.html").read_text(encoding="utf-8"))


HOSTILE = "<b>&\"'"
"""Every character that HTML text or a quoted attribute must escape."""


def _hostile() -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """china_2025_licensing (pool, auctions with end uses, a market, two ``tonnes_of``) and its baseline without the
    agreement, every kind of name the scenario file gives set to ``<kind> <b>&"'``: the two files and the names."""
    data = load_raw(ROOT / "scenarios" / "china_2025_licensing.yaml")
    written: dict[str, str] = {}

    def name(kind: str) -> str:
        written[kind] = f"{kind} {HOSTILE}"
        return written[kind]

    data["description"] = name("description")
    for region, spec in data["regions"].items():
        spec["label"] = name(f"region {region}")
    for material, spec in data["materials"].items():
        spec["label"] = name(f"material {material}")
        spec["tonnes_of"] = name(f"tonnes of {material}")
    for supplier, spec in data["suppliers"].items():
        # every supplier is labelled, so a writer that names any of them is checked (HOSTILE must show nowhere raw);
        # this page names only China, its shocks' supplier (the shocks table and the verdict), so only it must show
        label = f"supplier {supplier} {HOSTILE}"
        spec["label"] = name(f"supplier {supplier}") if supplier == "china" else label
    for k, shock in enumerate(data["shocks"]):
        shock["description"] = name(f"shock {k}")
    for k, assumption in enumerate(data["assumptions"]):
        assumption["statement"], assumption["source"] = name(f"assumption {k}"), name(f"source {k}")
    for member, by_material in data["agreement"]["auction"]["bids"].items():
        for material, segments in by_material.items():
            for k, segment in enumerate(segments):
                segment["end_use"] = name(f"end use {member} {material} {k}")
    base = build(data, name="base", description=name("baseline description"))
    del base["agreement"]
    base.pop("uncertain", None)  # some of its inputs are the agreement's
    return data, base, written


def test_every_kind_of_name_reaches_the_page_escaped_once():
    # names reach the page only through the report's HtmlNames, which escapes them once: a name that is HTML in
    # every character shows as written in each place, and its raw text (a <b> tag, a broken attribute) nowhere
    data, base, written = _hostile()
    text = render_report(run(data), run(base))  # in full: the names reach the figures too
    assert HOSTILE not in text
    assert not Page(text).all("b")
    shown = plain(text)
    for kind, name in written.items():
        assert html.escape(name) in text, kind  # html.escape: quotes too, so a name is safe in an attribute
        assert name in shown, kind
    for entity in ("&amp;", "&lt;", "&quot;", "&#x27;"):
        assert entity not in shown  # escaped twice would show the entity
    # every writer names them: the region findings, the verdict, the rule, auctions, prices, the tables
    for section in ("findings", "verdict", "rule", "prices", "regions", "comparison", "shocks", "assumptions"):
        part = text.split(f'<section id="{section}"')[1].split("</section>")[0]
        assert html.escape(HOSTILE) in part, section
    # the supplier's label: its shocks' rows and the verdict's sentence on them
    for section in ("shocks", "verdict"):
        part = text.split(f'<section id="{section}"')[1].split("</section>")[0]
        assert html.escape(written["supplier china"]) in part, section


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        pytest.param("embargo_2010", "Dotted line: the release trigger", marks=shipped_group("embargo_2010")),
        pytest.param("long_embargo_12m", None, marks=shipped_group("long_embargo_12m")),
        pytest.param("club_of_five", None, marks=shipped_group("club_of_five")),
    ],
)
def test_the_trigger_caption_names_the_panels_it_is_drawn_on(name, expected):
    # the dotted line is drawn only where a member's cover is all commercial stock and there is shared stock
    # to call on: embargo_2010 on both panels; long_embargo_12m on none (its members hold reserves of the rare
    # earths, and its pool holds no NdFeB magnets, the only panel where cover is all commercial);
    # club_of_five on none (reserves or a drawable pool share everywhere)
    text = shipped_report(name)
    start = text.index('<figure data-figure="days_of_cover"')
    caption = plain(text[text.index("<figcaption", start) : text.index("</figcaption>", start)])
    if expected is None:
        assert "Dotted line" not in caption
    else:
        assert expected in caption
        # the EU sits under the line for months with nothing released: the caption says why
        assert "released only for demand its own stock cannot meet, so cover can stay under the line" in caption


@pytest.mark.parametrize(
    ("name", "told"),
    [
        pytest.param("embargo_2010", True, marks=shipped_group("embargo_2010")),  # a market with a precaution gain
        pytest.param("long_embargo_12m", False, marks=shipped_group("long_embargo_12m")),  # no market
    ],
)
def test_the_cover_caption_says_why_cover_rises_in_a_crisis_when_buyers_stock_up(name, told):
    text = shipped_report(name)
    start = text.index('<figure data-figure="days_of_cover"')
    caption = plain(text[text.index("<figcaption", start) : text.index("</figcaption>", start)])
    assert ("Cover can rise during a shock: buyers raise their stock targets" in caption) is told
