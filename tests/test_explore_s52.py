"""The explorer, session 52's audit: a typo in --axis, unlike tonnes on the page, the start note's style."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.explore.data import unpack
from simulator.explore.grid import headline_names
from simulator.explore.page import read_page
from tests.helpers import BROWSER, TWO_MEMBERS, build, load, no_traceback


def _scenario(tmp_path, data=TWO_MEMBERS):
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


# --- M6: a typo in --axis gets the "did you mean" of --set ---------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("agreement.ratioo.japan", "agreement.ratioo: unknown key; did you mean 'ratio'?"),
        ("shocks.halt.severty", "shocks.halt.severty: unknown key; did you mean 'severity'?"),
    ],
)
def test_a_typo_in_an_axis_is_refused_in_the_words_of_set(tmp_path, path, words):
    scenario = _scenario(tmp_path)
    out = tmp_path / "explorer.html"
    explored = CliRunner().invoke(main, ["explore", scenario, "--axis", f"{path}=0.1,0.5", "-o", str(out)])
    assert explored.exit_code == 2, explored.output
    assert no_traceback(explored)
    assert not out.exists()
    ran = CliRunner().invoke(main, ["run", scenario, "--set", f"{path}=0.1", "-o", str(tmp_path / "run")])
    assert ran.exit_code == 2
    assert words in ran.output  # what --set says of the same typo
    assert explored.output.strip() == f"error: {scenario} [{path}=0.1]: {words}"  # the value named, as sweep does


# --- M10: where a control starts is information, not an error ------------------------------


def _page(tmp_path, data, axes, runs=1):
    out = tmp_path / f"{data['name']}.html"
    args = ["explore", _scenario(tmp_path, data), *[a for axis in axes for a in ("--axis", axis)], "--runs", str(runs)]
    result = CliRunner().invoke(main, [*args, "--workers", "1", "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _open(browser, page):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    load(browser, page)
    WebDriverWait(browser, 20).until(lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-ready"))


def _rgb(css: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", css)[:3])


@BROWSER
def test_the_note_on_where_a_control_starts_is_not_styled_as_an_error(browser, tmp_path):
    """The file's embargo ends on day 1000, the axis offers 30 and 45: the page says where it starts,
    in the ink of information; the dark red (155, 34, 38) stays the page's error's (#status)."""
    page = _page(tmp_path, TWO_MEMBERS, ("shocks.halt.end=30,45",))
    _open(browser, page)
    note = browser.find_element("id", "link-note")
    assert note.is_displayed()
    assert note.text.startswith("Not the scenario's own value: shocks.halt.end starts at 45")
    error = browser.execute_script("return getComputedStyle(document.getElementById('status')).color")
    assert _rgb(error) == (155, 34, 38)
    colour = _rgb(note.value_of_css_property("color"))
    assert colour != _rgb(error)
    red, green, blue = colour
    assert red <= max(green, blue)  # no red cast: an ink, not an alarm


# --- D2: tonnes of unlike materials are not added on the page ------------------------------

# rare earths (oxide) and magnets (magnet), priced alike: only what their tonnes count differs.
# All 60 days embargoed, no stock: rare earths 60 days x (20 + 80) t/day = 6,000 t, less the pool's
# 2 x 30 t = 60 t (TWO_MEMBERS' contributions), so 6,000 - 60 = 5,940 t short; magnets (the EU's only,
# no pool) 10 t/day x 60 days = 600 t; 5,940 + 600 = 6,540 t "in all"
UNLIKE = build(
    TWO_MEMBERS,
    name="unlike",
    materials__ree={"price_usd_per_kg": 50, "tonnes_of": "oxide"},
    materials__mag={"price_usd_per_kg": 50, "tonnes_of": "magnet"},
    regions__eu__demand__mag={"tonnes_per_day": 10},
    regions__eu__commercial_stock__mag={"tonnes": 0},
    regions__eu__sourcing__mag={"china": 1.0},
)
WHY = "tonnes of magnet and tonnes of oxide"


def test_the_pages_data_hold_each_materials_shortfall_and_why_it_is_not_added(tmp_path):
    """The explorer packs the shortfalls by material where the rule of ``stockpile run``'s last line
    (simulator.scenario.tonnes.not_added) refuses their total, per value of an axis that moves the rule."""
    page = _page(tmp_path, UNLIKE, ("materials.mag.tonnes_of=oxide,magnet", "agreement.ratio.japan=0.2,0.5"))
    meta, packed = read_page(page.read_text())
    headline, _ = unpack(packed)
    q = meta["quantities"].index
    # both materials short at every point, over all regions and in the EU; Japan is short of rare earths only;
    # their tonnes are apart only where magnets count magnet (value 1 of axis 0)
    assert meta["by_material"] == {"label": "Members' shortfall", "axes": [0], "why": {"1;0,1": WHY}}
    for point in range(4):
        assert headline[point, q("total_shortfall_t.all.ree"), 0] == pytest.approx(5940.0)
        assert headline[point, q("total_shortfall_t.all.mag"), 0] == pytest.approx(600.0)
        assert headline[point, q("total_shortfall_t"), 0] == pytest.approx(6540.0)
        assert headline[point, q("shortfall_t.eu.mag"), 0] == pytest.approx(600.0)
        assert headline[point, q("shortfall_t.japan.mag"), 0] == 0.0
        by_region = headline[point, q("shortfall_t.japan.ree"), 0] + headline[point, q("shortfall_t.eu.ree"), 0]
        assert by_region == pytest.approx(5940.0)
    # the console refuses the same total
    ran = CliRunner().invoke(main, ["run", str(tmp_path / "unlike.yaml"), "-o", str(tmp_path / "run"), "--no-plots"])
    assert f"members' shortfall 5,940.0 t of rare earths and 600.0 t of mag (not added: {WHY})" in ran.output
    # two materials that count the same tonnes at one price: the page is the page it was, one total
    alike = build(UNLIKE, name="alike", materials__mag={"price_usd_per_kg": 50, "tonnes_of": "oxide"})
    meta, packed = read_page(_page(tmp_path, alike, ("agreement.ratio.japan=0.2,0.5",)).read_text())
    assert "by_material" not in meta
    assert meta["quantities"] == headline_names(("japan", "eu"))
    assert unpack(packed)[0][:, 0, 0] == pytest.approx([6540.0, 6540.0])


@BROWSER
def test_the_page_gives_the_shortfall_by_material_where_the_console_does(browser, tmp_path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    page = _page(tmp_path, UNLIKE, ("materials.mag.tonnes_of=magnet,oxide", "agreement.ratio.japan=0.2,0.5"))
    _open(browser, page)  # at the scenario's values: magnets count magnet, the ratio 0.5

    def shown() -> dict[str, str]:
        return {
            e.get_attribute("data-quantity"): e.text
            for e in browser.find_elements(By.CSS_SELECTOR, "#headline .v[data-quantity*='shortfall_t']")
        }

    # magnets count magnet: no total, each material's shortfall, and why, as the console's last line
    box = browser.find_element(By.ID, "shortfall-by-material")
    assert box.text.split("\n") == [
        "Members' shortfall by material",
        "5,940.0 t",
        "rare earths",
        "600.0 t",
        "mag",
        f"not added: {WHY}",
    ]
    values = shown()
    assert "total_shortfall_t" not in values and "shortfall_t.eu" not in values
    assert values["total_shortfall_t.all.ree"] == "5,940.0 t" and values["total_shortfall_t.all.mag"] == "600.0 t"
    assert values["shortfall_t.eu.mag"] == "600.0 t"
    assert "shortfall_t.japan" in values and "shortfall_t.japan.ree" not in values  # one material short: one figure
    note = browser.find_element(By.ID, "regions-not-added")
    assert note.text == f"A shortfall given by material is not added: {WHY}."
    # magnets counted as oxide, at the same price: one total again, 5,940 + 600 t
    Select(browser.find_element(By.ID, "axis-0")).select_by_visible_text("oxide")
    assert not browser.find_elements(By.ID, "shortfall-by-material")
    assert not browser.find_elements(By.ID, "regions-not-added")
    values = shown()
    assert values["total_shortfall_t"] == "6,540.0 t"
    assert not any(name.count(".") == 2 for name in values)
