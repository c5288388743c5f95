"""Mends to the s65 scenario messages, through ``stockpile validate`` (or ``run --set``).

Each message names the file and the field and exits 2 with no traceback: a duration of 400
digits is told to drop its unit (it crashed working out its days); ``day`` and 5,000 digits is
told to write a day number (it was told Python's digit limit); a negative duration is told the
least a field of days takes (it was told the negative number, which the field refuses); two
years are 731 days, half up (730.5 was written 730); a number of several commas in braces is said
to be split at them (it was said to be the first two parts). A misspelt definition is found
from the unknown references themselves, whatever their messages say, and only where the unknown
name is referred to twice or more. The scenario is ``TWO_MEMBERS`` (Japan and the EU, one
embargo ``halt`` on China).
"""

from __future__ import annotations

import pytest
import yaml

from simulator.scenario import checks
from tests.helpers import TWO_MEMBERS, assert_bad_input, build, invoke, refusals, told

HUGE = "9" * 400
"""A number of 400 digits: a float reads it as 1e400, infinite."""


def test_a_duration_too_long_for_a_float_is_told_to_drop_its_unit_in_a_file(tmp_path):
    """``HUGE years`` is infinitely many days: ``round(inf)`` raised OverflowError (exit 1, a traceback)."""
    told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__release_days=f"{HUGE} years"),
        "shocks.halt.release_days: must be a number, not text: write the number alone, without 'years'\n",
    )


def test_a_duration_too_long_for_a_float_is_told_to_drop_its_unit_in_a_set(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS, sort_keys=False))
    result = invoke("run", path, "--set", f"shocks.halt.release_days={HUGE} years", "--no-plots", "-o", tmp_path / "o")
    assert_bad_input(
        result,
        f"error: {path} [set shocks.halt.release_days=999",
        "]: shocks.halt.release_days: must be a number, not text: write the number alone, without 'years'\n",
    )
    assert not (tmp_path / "o").exists()


def test_a_day_of_thousands_of_digits_is_told_to_write_a_day_number(tmp_path):
    """``int()`` of 5,000 digits raised Python's "Exceeds the limit (4300 digits)", which was the message."""
    output = told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__start="day " + "5" * 5000),
        "shocks.halt.start: not a valid date 'day 555555555555555555555555555555555...': write a day number or a "
        "date (YYYY-MM-DD)\n",
    )
    assert "4300" not in output and "set_int_max_str_digits" not in output


@pytest.mark.parametrize(
    ("written", "days"),
    [("-2 weeks", "-14"), ("-1 month", "-30.4375"), ("-3 days", "-3")],  # a month: 365.25 / 12 days
)
def test_a_negative_duration_is_told_the_least_days_not_the_negative_number(tmp_path, written, days):
    """``-2 weeks`` was told "write ... -14", which ``release_days`` (at least 0) then refuses."""
    output = told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__release_days=written),
        f"shocks.halt.release_days: must be a number, not text: write the days as a number, at least 0 "
        f"({written} would be {days} days)\n",
    )
    assert f"write {days}" not in output and f": {days}" not in output


def test_two_years_are_731_days_rounded_half_up(tmp_path):
    """2 x 365.25 = 730.5 days: ``round`` (half to even) wrote 730."""
    told(
        tmp_path,
        build(TWO_MEMBERS, shocks__halt__release_days="2 years"),
        "shocks.halt.release_days: must be a number, not text: write the days as a number: 731 "
        "(2 years is about 731 days)\n",
    )
    assert refusals(build(TWO_MEMBERS, shocks__halt__release_days=731)) == []  # (what it is told to write validates)


def test_a_number_of_several_commas_in_braces_is_named_whole_as_split(tmp_path):
    """``{tonnes: 1,000,000.5}`` was "read as 1 and a key 000": the key ``000.5`` went unsaid."""
    text = yaml.safe_dump(TWO_MEMBERS, sort_keys=False, default_flow_style=None)
    text = text.replace("      ree: {tonnes: 0}\n", "      ree: {tonnes: 1,000,000.5}\n", 1)
    line = text[: text.index("1,000,000.5")].count("\n") + 1
    output = told(
        tmp_path,
        text,
        "regions.japan.commercial_stock.ree.tonnes: '1,000,000.5' in braces is split at its commas (a comma ends a "
        f"value there): write 1000000.5, without the commas (line {line})\n",
    )
    assert "a key" not in output and output.count("error:") == 1


def test_a_misspelt_definition_is_found_whatever_an_unknown_reference_says(tmp_path, monkeypatch):
    """The definition was found by reading the references' messages back: other words switched it off."""
    monkeypatch.setattr(checks, "known_hint", lambda name, known: f"- defined are {', '.join(sorted(known))}")
    data = build(TWO_MEMBERS)
    data["suppliers"] = {"chna" if key == "china" else key: value for key, value in data["suppliers"].items()}
    output = told(
        tmp_path,
        data,
        "suppliers.chna: unknown supplier 'china' (known: chna); the supplier defined as 'chna' is never referred "
        "to: is 'chna' the misspelt one?\n",
    )
    assert output.count("error:") == 1 and "defined are" not in output


def test_an_unknown_name_referred_to_once_stays_at_its_reference(tmp_path):
    """One reference ``chna`` beside an unused ``china`` is as likely the typo as the definition: said there."""
    data = build(TWO_MEMBERS)
    data["suppliers"]["lynas"] = {"lead_time_days": {"japan": 30, "eu": 40}}
    data["regions"]["japan"]["sourcing"]["ree"] = {"lynas": 1.0}
    data["regions"]["eu"]["sourcing"]["ree"] = {"lynas": 1.0}
    data["shocks"][0]["supplier"] = "chna"
    output = told(
        tmp_path,
        data,
        "shocks.halt.supplier: unknown supplier 'chna' (known: china, lynas); did you mean 'china'?\n",
    )
    assert output.count("error:") == 1 and "suppliers.china" not in output
