"""The explorer, session 52's audit: a typo in --axis, unlike tonnes on the page, the start note's style."""

from __future__ import annotations

import re

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from tests.helpers import BROWSER, TWO_MEMBERS, load, no_traceback


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
    assert explored.output.strip() == f"error: {scenario}: {words}"


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
