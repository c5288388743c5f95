"""The explorer, session 60's walkthrough: a page that stopped after its runs, --axis problems named as
sweep names them, read_page given a file's path (holding ``<`` or not) or a page's bytes."""

from __future__ import annotations

import copy
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from simulator.cli import main
from simulator.errors import InputError
from simulator.explore.page import read_page
from tests.helpers import TWO_MEMBERS


def _scenario(tmp_path, data=TWO_MEMBERS):
    path = tmp_path / f"{data['name']}.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return str(path)


def _explore(tmp_path, scenario, *args):
    out = tmp_path / "explorer.html"
    result = CliRunner().invoke(main, ["explore", scenario, *args, "--workers", "1", "-o", str(out)])
    return result, out


# --- the page is drawn from what the runs checked: nothing refuses the scenario after them --------


def test_an_axis_on_the_field_a_set_leaves_out_draws_its_page(tmp_path):
    """--set shocks.halt.end=null leaves the halt neither an end nor a duration: the axis gives the
    duration, as sweep --grid does. The page once validated the file with --set alone to find where the
    control starts, after the runs, and exited 2 blaming the file. It has no value of its own: the
    control starts on the first value. The halt starts on day -100: 130 and 160 days end it on days
    30 and 60, the horizon's last."""
    args = ["--set", "shocks.halt.end=null", "--axis", "shocks.halt.duration_days=130,160"]
    result, out = _explore(tmp_path, _scenario(tmp_path), *args)
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    (axis,) = meta["axes"]
    assert (axis["start"], axis["start_note"]) == (0, "the first value; the scenario does not set it")
    assert meta["shocks"]["windows"] == {"0": [[0, 30]], "1": [[0, 60]]}


def test_a_file_valid_only_with_its_axis_value_draws_its_page(tmp_path):
    """The EU buys half its ree from a supplier the file gives no lead time to the EU: only the axis
    does. No axis moves the halt, so its window was worked out from the file alone, after the runs, which
    stopped with ``[base]: ... missing lead time``; now from a grid point. The halt covers the whole
    horizon (day -100 to 1000 of 60 days)."""
    data = copy.deepcopy(TWO_MEMBERS)
    data["suppliers"]["rest"] = {"lead_time_days": {"japan": 5}}
    data["regions"]["eu"]["sourcing"]["ree"] = {"china": 0.5, "rest": 0.5}
    result, out = _explore(tmp_path, _scenario(tmp_path, data), "--axis", "suppliers.rest.lead_time_days.eu=5,10")
    assert result.exit_code == 0, result.output
    meta, _ = read_page(out.read_text())
    assert meta["shocks"]["windows"] == {"": [[0, 60]]}


# --- a problem of an --axis value is named as sweep --grid names it --------------------------------


def test_a_typo_in_an_axis_is_said_of_the_axis_value_as_sweep_says_it(tmp_path):
    """``agreement.ratios`` (for ``ratio``) was said of the file alone (``FILE: agreement.ratios: ...``),
    as if the file had the typo; sweep --grid names the value it tried, and so does explore now."""
    scenario = _scenario(tmp_path)
    grid = "agreement.ratios.japan=0.2,0.4"
    explored, out = _explore(tmp_path, scenario, "--axis", grid)
    swept = CliRunner().invoke(main, ["sweep", scenario, "--grid", grid, "-o", str(tmp_path / "sweep")])
    told = f"error: {scenario} [agreement.ratios.japan=0.2]: agreement.ratios: unknown key; did you mean 'ratio'?\n"
    assert (explored.exit_code, explored.output) == (2, told)
    assert (swept.exit_code, swept.output) == (2, told)
    assert not out.exists()


# --- read_page takes a page's file as well as its text ---------------------------------------------


def test_read_page_reads_a_page_from_its_path_or_its_text(tmp_path):
    """docs/explorer.md says read_page reads a page's numbers back; given the page's path it said the
    file was "not an explorer page (its data elements are missing)". Two points of one run each:
    a headline of 2 points x 10 quantities (4 over the regions, 3 for each of the 2) x 1 series,
    whichever way the page is given."""
    result, out = _explore(tmp_path, _scenario(tmp_path), "--axis", "agreement.ratio.japan=0.2,0.8")
    assert result.exit_code == 0, result.output
    read = [read_page(given) for given in (str(out), out, out.read_text(encoding="utf-8"))]
    for meta, packed in read:
        assert meta["scenario"] == "pair"
        assert (packed.layout["points"], packed.layout["quantities"], packed.layout["series"]) == (2, 10, 1)
        assert packed.blob == read[0][1].blob


def test_read_page_names_a_file_that_is_missing_or_no_page(tmp_path):
    missing = tmp_path / "nowhere.html"
    told = "neither an existing file nor an explorer page's text"
    with pytest.raises(InputError, match=f"^{re.escape(str(missing))}: {told}$"):
        read_page(str(missing))
    with pytest.raises(InputError, match=f"^{re.escape(str(missing))}: file not found$"):
        read_page(missing)
    scenario = _scenario(tmp_path)
    with pytest.raises(InputError, match=f"^{re.escape(scenario)}: not an explorer page"):
        read_page(Path(scenario))


def test_read_page_reads_a_file_whose_path_holds_an_angle_bracket(tmp_path):
    """A path holding ``<`` was taken for the page's text: an existing page's file was refused as "not
    an explorer page" without its name, and a file that is no page was not named either. A ``str``
    naming an existing file is the file now, whatever it holds."""
    result, out = _explore(tmp_path, _scenario(tmp_path), "--axis", "agreement.ratio.japan=0.2,0.8")
    assert result.exit_code == 0, result.output
    odd = tmp_path / "a<b>.html"
    odd.write_bytes(out.read_bytes())
    meta, packed = read_page(str(odd))
    assert (meta["scenario"], packed.layout["points"]) == ("pair", 2)
    no_page = tmp_path / "<no page>.html"
    no_page.write_text("<html></html>\n", encoding="utf-8")
    with pytest.raises(InputError, match=f"^{re.escape(str(no_page))}: not an explorer page"):
        read_page(str(no_page))
    missing = str(tmp_path / "<gone>.html")
    with pytest.raises(InputError, match=f"^{re.escape(missing)}: neither an existing file"):
        read_page(missing)


def test_read_page_reads_a_page_s_bytes_and_refuses_bytes_not_utf8(tmp_path):
    """bytes once raised a TypeError (``"<" in b"..."``). A page's bytes are its content as written,
    read as its text is; bytes that are not UTF-8 are refused as an input, at the first bad byte
    (0xFF, after the 6 characters of ``<body>``: column 7 of line 2)."""
    result, out = _explore(tmp_path, _scenario(tmp_path), "--axis", "agreement.ratio.japan=0.2,0.8")
    assert result.exit_code == 0, result.output
    from_bytes, from_text = read_page(out.read_bytes()), read_page(out.read_text(encoding="utf-8"))
    assert from_bytes[0] == from_text[0]
    assert from_bytes[1].blob == from_text[1].blob
    with pytest.raises(InputError, match="not UTF-8 text: byte 0xFF at line 2, column 7"):
        read_page(b"<html>\n<body>\xff</body>\n")
