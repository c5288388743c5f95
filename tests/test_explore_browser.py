"""The explorer page in a real headless Chromium (Selenium with the system's chromedriver).

The page is loaded from disk (file://); each slider and selector is moved with the
keyboard or a click as a user would, and after every move the drawn headline, the
curves (their data and their SVG geometry) and the command must be those of the grid
point the controls now show, as packed by the Python side. The browser must make no
network request. Needs ``chromium`` and ``chromedriver`` (Debian: ``apt-get install
chromium chromium-driver``): conftest.py's shared browser, skipped with a message when
they are missing, a failure in CI.
"""

from __future__ import annotations

import base64
import datetime as dt
import math
import re
import zlib
from pathlib import Path

import numpy as np
import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.explore.data import unpack
from simulator.explore.page import read_page
from simulator.results import date_label
from tests.helpers import BROWSER, TWO_MEMBERS, build, threat

pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[dev]')")
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

pytestmark = BROWSER  # the shared browser, and the module's pages made once, also under pytest -n

AXES = (
    "agreement.pool.contributions.japan.ree.tonnes=0,30,90",
    "agreement.ratio.japan=0.2:0.8:0.3",
    "agreement.mechanism=fair_ratio,proportional",
)


def _write_page(folder: Path, data: dict, axes: tuple[str, ...], runs: int = 1) -> tuple[Path, dict, tuple]:
    scenario = folder / f"{data['name']}.yaml"
    scenario.write_text(yaml.safe_dump(data, sort_keys=False))
    out = folder / f"{data['name']}.html"
    args = ["explore", str(scenario), *[a for axis in axes for a in ("--axis", axis)], "--runs", str(runs)]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    meta, packed = read_page(out.read_text())
    return out, meta, unpack(packed)


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return _write_page(tmp_path_factory.mktemp("pair"), TWO_MEMBERS, AXES)


@pytest.fixture(scope="module")
def noisy(tmp_path_factory):
    data = build(TWO_MEMBERS, name="noisy", regions__japan__demand__ree__noise_cv=0.3, seed=4, start_date="2026-01-01")
    # a shock drawn at random (it cuts nothing): it has no bar, and the legend says so
    maybe = {"distribution": "uniform", "low": 10, "high": 30}
    data["shocks"].append({**threat(0.0), "id": "maybe", "start": maybe, "end": None, "duration_days": 5})
    return _write_page(tmp_path_factory.mktemp("noisy"), data, (*AXES[1:], "shocks.halt.end=30,45,60"), runs=9)


def _open(browser, path: Path) -> None:
    browser.get(path.as_uri())
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))


def _number(text: str) -> float:
    return math.nan if text == "NaN" else float(text)


def _same(a: float, b: float) -> bool:
    return (math.isnan(a) and math.isnan(b)) or a == b


def _formatted(name: str, value: float, start: dt.date | None) -> str:
    """What the page should print for a headline quantity."""
    if name.startswith("first_shortfall_day"):
        return "never" if math.isnan(value) else date_label(start, int(value))
    if name.startswith("min_days_of_cover"):
        return "–" if math.isnan(value) else f"{value:,.1f} d"
    if name == "short_runs_share":
        return f"{round(value * 100)}%"
    return _tonnes(value)


def _tonnes(value: float) -> str:
    """The page's tonnages: a small shortfall never reads as none (docs/explorer.md)."""
    if value < 1e-9:
        return "0.0 t"
    if value < 0.001:
        return "< 0.001 t"
    if value < 0.095:
        return f"{float(f'{value:.2g}')!r} t"
    return f"{value:,.1f} t"


def _with_headline(path: Path, out: Path, changes: dict[tuple[int, str, int], float]) -> Path:
    """A copy of page ``path`` whose packed headline numbers ``(point, quantity, series)`` are changed."""
    html = path.read_text()
    meta, packed = read_page(html)
    raw = bytearray(zlib.decompress(packed.blob))
    lay = meta["layout"]
    for (point, name, series), value in changes.items():
        at = (point * lay["quantities"] + meta["quantities"].index(name)) * lay["series"] + series
        raw[8 * at : 8 * at + 8] = np.float64(value).tobytes()
    blob = base64.b64encode(packed.blob).decode()
    out.write_text(html.replace(blob, base64.b64encode(zlib.compress(bytes(raw))).decode()))
    return out


def _check_point(browser, meta: dict, data: tuple, state: list[int]) -> int:
    """The drawn page shows grid point ``state`` (axis indices): headline, curves and command."""
    headline, values = data
    point = 0
    for axis, index in zip(meta["axes"], state, strict=True):
        point = point * len(axis["labels"]) + index
    assert int(browser.find_element(By.TAG_NAME, "body").get_attribute("data-point")) == point
    mid = 1 if meta["layout"]["series"] == 3 else 0
    cover = [curve["id"] for curve in meta["curves"]].index("days_of_cover")
    start = dt.date.fromisoformat(meta["start_date"]) if meta["start_date"] else None
    shown = browser.find_elements(By.CSS_SELECTOR, "#headline .v[data-quantity]")
    assert {e.get_attribute("data-quantity") for e in shown} >= {"total_shortfall_t", "shortfall_t.japan"}
    for element in shown:
        name = element.get_attribute("data-quantity")
        expected = headline[point, meta["quantities"].index(name), mid]
        assert _same(_number(element.get_attribute("data-value")), expected), name
        assert element.text == _formatted(name, expected, start), name
    for c, curve in enumerate(meta["curves"]):
        for m, material in enumerate(meta["materials"]):
            box = browser.find_element(By.ID, f"chart-{c}-{m}")
            assert box.get_attribute("data-curve") == curve["id"]
            assert box.get_attribute("data-material") == material["id"]
            svg = box.find_element(By.TAG_NAME, "svg")
            y_max = float(svg.get_attribute("data-y-max"))
            top, height = float(svg.get_attribute("data-plot-top")), float(svg.get_attribute("data-plot-height"))
            lines = {e.get_attribute("data-region"): e for e in svg.find_elements(By.CSS_SELECTOR, "path.line")}
            for r, region in enumerate(meta["regions"]):
                expected = values[point, c, r, m, mid]
                if np.isnan(values[point, cover, r, m, mid]).all():  # no demand for the material: no line
                    assert region["id"] not in lines, (curve["id"], region["id"])
                    continue
                drawn = [_number(v) for v in lines[region["id"]].get_attribute("data-values").split(",")]
                assert all(_same(a, b) for a, b in zip(drawn, expected, strict=True)), (curve["id"], region["id"])
                # the SVG geometry draws those values: y of each vertex back to a value (2-decimal coordinates)
                ys = [float(y) for y in re.findall(r"[ML][\d.]+,([\d.]+)", lines[region["id"]].get_attribute("d"))]
                finite = expected[~np.isnan(expected)]
                assert len(ys) == len(finite)
                np.testing.assert_allclose((top + height - np.array(ys)) / height * y_max, finite, atol=y_max / height)
    options = [axis["options"][i] for axis, i in zip(meta["axes"], state, strict=True)]
    command = " ".join([meta["command"]["run"], *[f"--set {o}" for o in options]])
    if meta["command"]["seed"]:
        command += " " + meta["command"]["seed"]
    assert browser.find_element(By.ID, "command").text == command
    return point


def _move(browser, meta: dict, state: list[int], axis: int, index: int) -> None:
    """Move control ``axis`` to value ``index`` as a user would; update ``state``."""
    control = browser.find_element(By.ID, f"axis-{axis}")
    if meta["axes"][axis]["kind"] == "slider":
        key = Keys.ARROW_RIGHT if index > state[axis] else Keys.ARROW_LEFT
        for _ in range(abs(index - state[axis])):
            control.send_keys(key)
        assert int(control.get_attribute("value")) == index
        label = browser.find_element(By.ID, f"value-{axis}").text
        assert label == meta["axes"][axis]["texts"][index]
        assert control.get_attribute("aria-valuetext") == label
    else:
        Select(control).select_by_visible_text(meta["axes"][axis]["texts"][index])
    state[axis] = index


def test_every_slider_and_selector_redraws_the_headline_curves_and_command_of_its_point(browser, pair):
    path, meta, data = pair
    _open(browser, path)
    assert [a["kind"] for a in meta["axes"]] == ["slider", "slider", "select"]
    # the page opens at the scenario's own values: japan puts in 30 t, ratio 0.5, fair_ratio
    state = [a["start"] for a in meta["axes"]]
    assert state == [1, 1, 0]
    _check_point(browser, meta, data, state)
    for axis, moves in enumerate(([2, 1, 0], [0, 2], [1, 0])):
        for index in moves:
            _move(browser, meta, state, axis, index)
            _check_point(browser, meta, data, state)


def test_a_point_worked_out_by_hand(browser, pair):
    path, meta, data = pair
    _open(browser, path)
    state = [a["start"] for a in meta["axes"]]
    _move(browser, meta, state, 0, 0)  # japan puts nothing in the pool
    _move(browser, meta, state, 1, 0)  # ratio 0.2 for japan
    assert _check_point(browser, meta, data, state) == 0
    # 60 days without supply; demand 20 (japan) + 80 (eu) t/day; a 30 t pool shared 0.2/0.8 on day 0:
    # japan gets 6 of its 20 t gap, the EU 24 of 80; then the pool is empty
    total = browser.find_element(By.CSS_SELECTOR, '#headline .v[data-quantity="total_shortfall_t"]')
    assert total.text == "5,970.0 t"
    japan = browser.find_element(By.CSS_SELECTOR, '#headline .v[data-quantity="shortfall_t.japan"]')
    assert japan.text == f"{14 + 20 * 59:,.1f} t"
    line = browser.find_element(By.CSS_SELECTOR, '#chart-1-0 path.line[data-region="eu"]')
    eu = [float(v) for v in line.get_attribute("data-values").split(",")]
    assert eu[:3] == pytest.approx([56, 136, 216], abs=(56 + 80 * 59) / 65534 / 2)
    # the embargo runs from day -100 to 1000: its bar spans the whole 60-day horizon
    bar = browser.find_element(By.CSS_SELECTOR, '#chart-0-0 rect.shock[data-shock="halt"]')
    assert (bar.get_attribute("data-start"), bar.get_attribute("data-end")) == ("0", "60")


def test_bands_and_medians_of_many_runs(browser, noisy):
    path, meta, data = noisy
    _open(browser, path)
    assert meta["runs"] == 9
    assert meta["layout"]["series"] == 3
    state = [a["start"] for a in meta["axes"]]
    for axis, index in ((0, 2), (1, 1)):
        _move(browser, meta, state, axis, index)
        point = _check_point(browser, meta, data, state)
        bands = browser.find_elements(By.CSS_SELECTOR, "#chart-1-0 path.band")
        assert {b.get_attribute("data-region") for b in bands} == {"japan", "eu"}
        headline = data[0]
        low = browser.find_element(By.CSS_SELECTOR, '#headline .range[data-quantity="total_shortfall_t"]')
        q = meta["quantities"].index("total_shortfall_t")
        assert float(low.get_attribute("data-p5")) == headline[point, q, 0]
        assert float(low.get_attribute("data-p95")) == headline[point, q, 2]
        assert headline[point, q, 0] <= headline[point, q, 1] <= headline[point, q, 2]
    sweep = browser.find_element(By.ID, "sweep-command").text
    assert sweep.startswith("stockpile sweep ")
    assert "--runs 9 --seed 4 --curves" in sweep
    assert browser.find_element(By.ID, "command").text.endswith(meta["command"]["seed"])


def test_the_page_makes_no_network_request(browser, pair):
    path, _, _ = pair
    browser.get_log("performance")  # drop what came before
    _open(browser, path)
    _move(browser, read_page(path.read_text())[0], [1, 1, 0], 0, 2)
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0
    requested = [
        entry["message"] for entry in browser.get_log("performance") if "Network.requestWillBeSent" in entry["message"]
    ]
    urls = set(re.findall(r'"documentURL":"([^"]+)"', " ".join(requested)))
    assert urls <= {path.as_uri()}
    assert all('"url":"' + path.as_uri() + '"' in message for message in requested)
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []


def test_the_reports_link_opens_the_explorer_at_the_runs_point(browser, pair, tmp_path):
    path, meta, data = pair
    scenario = path.with_suffix(".yaml")
    report = tmp_path / "report.html"
    args = ["report", str(scenario), "-o", str(report), "--set", "agreement.ratio.japan=0.8", "--explorer", str(path)]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    browser.get(report.as_uri())
    browser.find_element(By.CSS_SELECTOR, "#explorer a").click()
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    assert browser.current_url.split("#")[0] == path.as_uri()
    # the run's values: japan puts in 30 t (the file's), ratio 0.8 (set), fair_ratio (the file's)
    state = [1, 2, 0]
    assert [a["labels"][i] for a, i in zip(meta["axes"], state, strict=True)] == ["30", "0.8", "fair_ratio"]
    _check_point(browser, meta, data, state)


def _lines(browser, element) -> int:
    """How many lines ``element``'s text takes: the distinct tops of its words' line boxes."""
    script = "return [...arguments[0].querySelectorAll('.word')].flatMap(w => [...w.getClientRects()].map(r => r.top))"
    return len({round(top) for top in browser.execute_script(script, element)})


def test_on_a_phone_the_command_breaks_between_words_and_copies_whole(browser, pair):
    path, meta, _ = pair
    _open(browser, path)  # at the fixture's desktop width first
    desktop_lines = _lines(browser, browser.find_element(By.ID, "command"))
    browser.set_window_size(390, 900)  # the browser fixture gives the next test its own size again
    _open(browser, path)
    command = browser.find_element(By.ID, "command")
    words = command.find_elements(By.CSS_SELECTOR, ".word")
    # the command fits the phone's width and wraps onto more lines than on a desktop, none running off the right
    viewport = browser.execute_script("return document.documentElement.clientWidth")
    assert viewport <= 390 and command.size["width"] <= viewport
    assert command.location["x"] + command.size["width"] <= viewport
    assert browser.execute_script("return arguments[0].scrollWidth <= arguments[0].clientWidth", command)
    assert _lines(browser, command) > desktop_lines
    # several lines at this width, but no word that fits on a line is cut across two
    assert command.size["height"] > 2 * words[0].size["height"]
    short = [w for w in words if w.size["width"] < command.size["width"] - 20]
    assert short and all(browser.execute_script("return arguments[0].getClientRects().length", w) == 1 for w in short)
    # a flag and its value are one word, so "--set" never ends a line without its PATH=VALUE
    settings = [w.text for w in words if w.text.startswith("--set ")]
    assert settings == [f"--set {a['options'][a['start']]}" for a in meta["axes"]]
    assert all(w.text != "--set" for w in words)
    assert " ".join(w.text for w in words) == command.text  # the text to copy is the whole command


def test_a_small_shortfall_never_reads_as_none(browser, noisy, tmp_path):
    path, meta, _ = noisy
    state = [a["start"] for a in meta["axes"]]
    point = (state[0] * len(meta["axes"][1]["labels"]) + state[1]) * len(meta["axes"][2]["labels"]) + state[2]
    # a median run 0.05 t short, from 0.0004 t to 5.1 t; Japan 1e-12 t (rounding dust: none), 0.0012 t, 0.08 t
    changed = {(point, "total_shortfall_t", 0): 0.0004, (point, "total_shortfall_t", 1): 0.0499}
    changed |= {(point, "total_shortfall_t", 2): 5.1, (point, "shortfall_t.japan", 0): 1e-12}
    changed |= {(point, "shortfall_t.japan", 1): 0.0012, (point, "shortfall_t.japan", 2): 0.08}
    _open(browser, _with_headline(path, tmp_path / "small.html", changed))
    total = browser.find_element(By.CSS_SELECTOR, '#headline .v[data-quantity="total_shortfall_t"]')
    assert total.text == "0.05 t"
    low = browser.find_element(By.CSS_SELECTOR, '#headline .range[data-quantity="total_shortfall_t"]')
    assert low.text == "< 0.001 t – 5.1 t"
    japan = browser.find_element(By.CSS_SELECTOR, '#headline .v[data-quantity="shortfall_t.japan"]')
    assert japan.text == "0.0012 t"
    low = browser.find_element(By.CSS_SELECTOR, '#headline .range[data-quantity="shortfall_t.japan"]')
    assert low.text == "0.0 t – 0.08 t"
    assert _tonnes(0.0949) == "0.095 t" and _tonnes(0.095) == "0.1 t" and _tonnes(1234.56) == "1,234.6 t"
    # the share counts a run as short by any amount, so its name says so
    share = browser.find_element(By.CSS_SELECTOR, '#headline .v[data-quantity="short_runs_share"]')
    assert share.find_element(By.XPATH, "../../span[@class='name']").text == "Runs short by any amount"


def _contrast_on_white(colour: str) -> float:
    """WCAG contrast of ``#rrggbb`` on white, worked out here (not with the page's helper)."""
    channels = [c / 255 for c in bytes.fromhex(colour[1:])]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 1.05 / (0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2] + 0.05)


def test_a_screen_reader_hears_the_sliders_values_and_the_charts_names(browser, pair):
    path, meta, _ = pair
    _open(browser, path)
    state = [a["start"] for a in meta["axes"]]
    slider = browser.find_element(By.ID, "axis-0")
    assert slider.get_attribute("aria-valuetext") == "30"  # japan's 30 t, not the index 1
    _move(browser, meta, state, 0, 2)
    assert slider.get_attribute("aria-valuetext") == "90"
    names = [svg.get_attribute("aria-label") for svg in browser.find_elements(By.CSS_SELECTOR, "#charts svg")]
    assert names == [
        f"{label} of rare earths ({unit}), one line per region with demand for it: Japan, EU; day 0 to day 59"
        for label, unit in (("Days of cover", "days"), ("Cumulative shortfall", "t"))
    ]
    # the shock's bar (the palette's #f4a261, 2.06:1 on white) has an outline of at least 3:1
    bar = browser.find_element(By.CSS_SELECTOR, '#chart-0-0 rect.shock[data-shock="halt"]')
    assert bar.get_attribute("fill") == "#f4a261" and _contrast_on_white("#f4a261") < 2.1
    assert _contrast_on_white(bar.get_attribute("stroke")) >= 3
    assert browser.execute_script("return getComputedStyle(arguments[0]).strokeWidth", bar) == "1px"


def test_a_shock_drawn_at_random_is_listed_apart_from_the_bars(browser, noisy):
    path, meta, _ = noisy
    _open(browser, path)
    assert [(s["id"], s["random"]) for s in meta["shocks"]["list"]] == [("halt", False), ("maybe", True)]
    fixed = browser.find_element(By.ID, "shocks-fixed")
    assert fixed.text == "Shocks (bars above each chart):"
    assert browser.find_element(By.ID, "shocks-random").text == "Drawn at random, no bar:"
    keys = browser.find_elements(By.CSS_SELECTOR, "#legend .key[data-shock]")
    assert [(k.get_attribute("data-shock"), len(k.find_elements(By.CSS_SELECTOR, ".swatch"))) for k in keys] == [
        ("halt", 1),
        ("maybe", 0),
    ]
    assert browser.find_elements(By.CSS_SELECTOR, 'rect.shock[data-shock="maybe"]') == []
    assert len(browser.find_elements(By.CSS_SELECTOR, 'rect.shock[data-shock="halt"]')) == 2


LINES_OF_PIECES = """
const out = [];
for (const box of document.querySelectorAll(arguments[0])) {
  // the line (top) of each character, then per piece of text between " – " the lines it spans
  const tops = [], walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let k = 0; k < node.length; k++) {
      const range = document.createRange();
      range.setStart(node, k);
      range.setEnd(node, k + 1);
      const rect = range.getBoundingClientRect();
      tops.push([node.data[k], Math.round(rect.top + rect.height / 2)]);
    }
  }
  const swatch = box.querySelector(".swatch");
  let at = 0;
  box.textContent.split(" – ").forEach(function (piece, n) {
    const mine = tops.slice(at, at + piece.length);
    const lines = new Set(mine.map(function (t) { return t[1]; }));
    if (swatch && n === 0) {  // the swatch must sit on the line of the region's name
      const r = swatch.getBoundingClientRect();
      if (Math.abs(r.top + r.height / 2 - mine[0][1]) > 8) lines.add("swatch");
    }
    out.push([piece, lines.size]);
    at += piece.length + 3;
  });
}
return out;
"""


def test_on_a_phone_no_number_is_cut_from_its_unit(browser, noisy):
    path, _, _ = noisy
    browser.set_window_size(390, 900)  # the browser fixture gives the next test its own size again
    _open(browser, path)
    assert browser.execute_script("return document.documentElement.scrollWidth") <= 390
    # each value and each end of a range on one line ("5,970.0 t", "19 Jan 2011"), a region beside its swatch
    pieces = browser.execute_script(LINES_OF_PIECES, "#headline .v, #headline .range, #headline td:first-child")
    assert len(pieces) == 4 + 3 * 2 + 2 * (3 + 3 * 2 + 1)  # values, both ends of ranges, per region
    assert [p for p in pieces if p[1] != 1] == []


def test_an_axis_of_day_numbers_shows_their_dates(browser, noisy):
    path, meta, data = noisy
    _open(browser, path)
    # the embargo's end, day 30, 45 or 60 from 1 Jan 2026; it starts at the value nearest the file's 1000;
    # an end is the first day without the embargo, so each value shows the day before, its last day
    assert meta["axes"][2]["texts"] == [
        "30 (last day 30 Jan 2026)",
        "45 (last day 14 Feb 2026)",
        "60 (last day 1 Mar 2026)",
    ]
    state = [a["start"] for a in meta["axes"]]
    assert state[2] == 2
    slider = browser.find_element(By.ID, "axis-2")
    assert browser.find_element(By.ID, "value-2").text == "60 (last day 1 Mar 2026)"
    assert slider.get_attribute("aria-valuetext") == "60 (last day 1 Mar 2026)"
    ticks = slider.find_element(By.XPATH, "following-sibling::span[@class='ticks']").text.split("\n")
    assert ticks == ["30 (last day 30 Jan 2026)", "60 (last day 1 Mar 2026)"]
    _move(browser, meta, state, 2, 1)
    _check_point(browser, meta, data, state)
    # the link and the command keep the day number
    assert browser.current_url.endswith("&shocks.halt.end=45")
    assert "--set shocks.halt.end=45" in browser.find_element(By.ID, "command").text
    bar = browser.find_element(By.CSS_SELECTOR, '#chart-0-0 rect.shock[data-shock="halt"]')
    assert (bar.get_attribute("data-start"), bar.get_attribute("data-end")) == ("0", "45")
    # a hand-written link may give the day as its date: 31 Jan 2026 is day 30, opened as such
    browser.get("about:blank")
    browser.get(path.as_uri() + "#shocks.halt.end=2026-01-31")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    state[2] = 0
    _check_point(browser, meta, data, state)
    assert not browser.find_element(By.ID, "link-note").is_displayed()


def test_a_link_to_values_off_the_grid_says_what_it_ignored(browser, pair):
    path, meta, data = pair
    browser.get("about:blank")  # from another page, so that the address' part is read on opening
    link = (
        "#agreement.ratio.japan=0.35&agreement.mechanism=bogus&agreement.pool.contributions.japan.ree.tonnes=90&foo=1"
    )
    browser.get(path.as_uri() + link)
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    # 90 t is on the grid and shown; 0.35 and "bogus" are not: ratio 0.5 and fair_ratio, the scenario's
    state = [2, 1, 0]
    _check_point(browser, meta, data, state)
    note = browser.find_element(By.ID, "link-note")
    assert note.is_displayed()
    assert note.text == (
        "The address asks for what is not on this page's grid, ignored: agreement.ratio.japan=0.35, "
        "agreement.mechanism=bogus, foo=1. agreement.ratio.japan starts at 0.5, the scenario's value; "
        "agreement.mechanism starts at fair_ratio, the scenario's value; foo names no control on this page."
    )
    _move(browser, meta, state, 1, 2)  # the address now names the point shown
    assert not note.is_displayed()
    # an address the page wrote itself has nothing to ignore
    browser.get("about:blank")
    _open(browser, path)
    assert not browser.find_element(By.ID, "link-note").is_displayed()


def test_a_control_the_link_names_off_its_axis_starts_at_the_nearest_value_and_says_so(browser, noisy):
    """The file's embargo ends on day 1000; the axis has 30, 45 and 60 days, so it starts at 60."""
    path, meta, data = noisy
    browser.get("about:blank")
    browser.get(path.as_uri() + "#shocks.halt.end=44")
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))
    state = [a["start"] for a in meta["axes"]]
    assert state[2] == 2
    _check_point(browser, meta, data, state)
    assert browser.find_element(By.ID, "link-note").text == (
        "The address asks for what is not on this page's grid, ignored: shocks.halt.end=44. "
        "shocks.halt.end starts at 60 (last day 1 Mar 2026), the nearest to the scenario's 1000."
    )


def test_a_control_that_cannot_start_at_the_scenarios_value_says_so(browser, noisy):
    """Opened without an address, the page starts the embargo's end at 60, not the file's 1000: it says so."""
    path, meta, data = noisy
    _open(browser, path)
    state = [a["start"] for a in meta["axes"]]
    _check_point(browser, meta, data, state)
    note = browser.find_element(By.ID, "link-note")
    assert note.text == (
        "Not the scenario's own value: shocks.halt.end starts at 60 (last day 1 Mar 2026), "
        "the nearest to the scenario's 1000."
    )
    _move(browser, meta, state, 2, 1)  # moved by hand: the page now shows what the control says
    assert not note.is_displayed()


def test_a_region_without_demand_for_a_material_has_no_line_on_its_charts(browser, tmp_path):
    """Only the EU uses magnets: their charts have the EU's line alone, not a Japan flat at 0 t."""
    data = build(
        TWO_MEMBERS,
        name="magnets",
        materials__mag={"price_usd_per_kg": 50},
        regions__eu__demand__mag={"tonnes_per_day": 10},
        regions__eu__commercial_stock__mag={"tonnes": 0},
        regions__eu__sourcing__mag={"china": 1.0},
    )
    path, meta, packed = _write_page(tmp_path, data, ("agreement.ratio.japan=0.2,0.8",))
    assert [m["id"] for m in meta["materials"]] == ["ree", "mag"]
    _open(browser, path)
    for c in range(2):
        regions = [
            e.get_attribute("data-region") for e in browser.find_elements(By.CSS_SELECTOR, f"#chart-{c}-1 path.line")
        ]
        assert regions == ["eu"]
        both = [
            e.get_attribute("data-region") for e in browser.find_elements(By.CSS_SELECTOR, f"#chart-{c}-0 path.line")
        ]
        assert both == ["japan", "eu"]
    # the EU runs 10 t a day short of magnets over the 60 days (no stock, no pool of them, the embargo throughout)
    shortfall = browser.find_element(By.CSS_SELECTOR, "#chart-1-1 path.line").get_attribute("data-values")
    assert float(shortfall.split(",")[-1]) == pytest.approx(600, abs=600 / 65534)
    name = browser.find_element(By.CSS_SELECTOR, "#chart-1-1 svg").get_attribute("aria-label")
    assert "one line per region with demand for it: EU;" in name
    _check_point(browser, meta, packed, [0])
