"""Numbers as a policy reader expects them, and the tagged numbers of sentences.

Layer: studies.

Every number a sentence states from a run's summary is wrapped by :func:`num` in a
``<span>`` that names the run, the metric and the exact value it was rounded from, so a
test (or a curious reader of the HTML source) can check it against ``summary.csv``.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable
from html import escape
from typing import Any

from simulator import shortages
from simulator.mechanisms import BY_NAME
from simulator.names import INDEX_NOISE_DECIMALS, NUMBER_DECIMALS_MOST, NUMBER_WORDS, Names, is_residue, price_decimals
from simulator.names import cap as cap  # the report's sentences take it from here
from simulator.names import join_words as join_words  # the report's sentences take it from here
from simulator.names import plural as plural  # the report's sentences take it from here
from simulator.names import price_text as price  # the report's prices take it from here
from simulator.names import rounded_half_up as rounded_half_up  # the report's words take it from here
from simulator.results import date_label
from simulator.results import span_dates as span_dates  # the report's spans take it from here
from simulator.stocks import held_today_members


def finite(value: Any) -> bool:
    """A real number (not None, not NaN, not infinite)."""
    return value is not None and isinstance(value, int | float) and math.isfinite(value)


NBSP = "\u00a0"
"""Joins a number to its unit so that a line never breaks between them."""
DASH = "\u2013"
"""An en dash: a table cell with nothing to show."""


EXACT_UP_TO_T = 1e15
"""Tonnes from this size on are printed as floats: rounding them half up through Decimal gains nothing."""


def tonnes(value: float) -> str:
    """Tonnes rounded for reading: ``0.35 t``, ``19.8 t``, ``942 t``, ``5,796 t`` (a no-break space before ``t``).

    One quantity reached by two sums (9.450000000000001 t won at auction, 9.449999999999999 t
    drawn of it) reads the same: the value is first taken to 12 significant digits, which
    drops that float noise, then rounded half up. What rounds to zero is ``0 t``, never
    ``0.00 t`` or ``-0.00 t``.

    >>> [text.replace(NBSP, " ") for text in (tonnes(0.347), tonnes(19.8271), tonnes(941.78), tonnes(5796))]
    ['0.35 t', '19.8 t', '942 t', '5,796 t']
    >>> [text.replace(NBSP, " ") for text in (tonnes(9.450000000000001), tonnes(9.449999999999999), tonnes(-2e-15))]
    ['9.5 t', '9.5 t', '0 t']

    The decimals follow the rounded value, so a value just under 1 or 100 t that rounds up
    to it reads as the value it rounds to does; what is not finite, or too large to round
    exactly, is printed as it is:

    >>> [text.replace(NBSP, " ") for text in (tonnes(0.996), tonnes(99.96), tonnes(100.01), tonnes(float("inf")))]
    ['1.0 t', '100 t', '100 t', 'inf t']
    """
    if not math.isfinite(value) or abs(value) >= EXACT_UP_TO_T:
        return f"{value:,.0f}{NBSP}t"
    decimals = 2 if abs(value) < 1 else 1 if abs(value) < 100 else 0
    rounded = rounded_half_up(value, decimals)
    while decimals > 0 and abs(rounded) >= (1 if decimals == 2 else 100):  # 0.996 -> 1.00 -> 1.0
        decimals -= 1
        rounded = rounded_half_up(value, decimals)
    if rounded == 0:
        return f"0{NBSP}t"
    return f"{rounded:,.{decimals}f}{NBSP}t"


def whole_percent(share: float) -> str:
    """A setting's share as a percent in as few digits as it takes, up to 4 significant: ``7%``, ``7.5%``.

    For the figures a scenario sets (the IEA rule's restraint and triggers), not for measured shares
    (:func:`percent`).

    >>> whole_percent(0.07), whole_percent(0.075), whole_percent(0.12)
    ('7%', '7.5%', '12%')
    """
    return f"{share * 100:.4g}%"


def percent(share: float) -> str:
    """A fraction as a percentage: ``0.03%``, ``1.6%``, ``62%``, ``under 0.01%`` for a trace.

    A trace is said in words, with no ``<``, so the text needs no escaping in HTML. A share
    short of all of it never reads 100%: 99.7% keeps its decimal, and what would round to
    100.0% is ``over 99.9%``.

    >>> percent(0.000347), percent(0.01598), percent(0.6169), percent(2e-6), percent(-2e-6)
    ('0.03%', '1.6%', '62%', 'under 0.01%', 'above -0.01%')
    >>> percent(0.99721), percent(0.99996), percent(1.0), percent(0.994)
    ('99.7%', 'over 99.9%', '100%', '99%')

    A share that rounds to 0 at :data:`~simulator.names.INDEX_NOISE_DECIMALS` (9) decimals is floating-point
    residue (:func:`~simulator.names.is_residue` at 9 decimals), not a trace: it reads ``0%``, as
    :func:`~simulator.names.index_text` reads such an index 0.

    >>> percent(3.84e-16), percent(-2e-17), percent(2e-9)
    ('0%', '0%', 'under 0.01%')

    A share at a half rounds up, as :func:`tonnes` rounds (:func:`rounded_half_up`), a ``numpy.float64`` as a float:

    >>> percent(0.0345), percent(0.00045), percent(0.345), percent(0.99945)
    ('3.5%', '0.05%', '35%', '99.9%')
    """
    value = 100 * share
    if is_residue(share, INDEX_NOISE_DECIMALS):
        return "0%"
    if 0 < abs(value) < 0.005:
        return "under 0.01%" if value > 0 else "above -0.01%"
    if abs(value) < 0.1:
        return f"{rounded_half_up(value, 2)}%"
    if abs(value) < 10:
        return f"{rounded_half_up(value, 1)}%"
    if 99.5 <= abs(value) < 100:
        if abs(rounded_half_up(value, 1)) < 100:
            return f"{rounded_half_up(value, 1)}%"
        return "over 99.9%" if value > 0 else "under -99.9%"
    return f"{rounded_half_up(value, 0)}%"


def over_days(horizon: int) -> str:
    """``over the 731 days``, ``over the 1 day``, ``over the 1,826 days``.

    Thousands separated, as other counts of days in the report (``on 1,047 days``).

    >>> over_days(1), over_days(731), over_days(1826)
    ('over the 1 day', 'over the 731 days', 'over the 1,826 days')
    """
    return f"over the {plural(horizon, 'day', ',')}"


def days(value: float, *, separators: bool = False) -> str:
    """Days of cover with one decimal: ``38.6``; a residue of -2e-17 days reads ``0.0``, not ``-0.0``.

    ``separators``: thousands separators (``1,234.5``).

    >>> days(38.61), days(3.84e-16), days(-2e-17), days(0.04), days(-0.04)
    ('38.6', '0.0', '0.0', '0.0', '0.0')

    A half rounds up (:func:`rounded_half_up`), a ``numpy.float64`` as a float (``round`` would take 2.45 to
    2.5 for one and 2.4 for the other):

    >>> days(2.45), days(0.25), days(38.65)
    ('2.5', '0.3', '38.7')
    """
    rounded = rounded_half_up(value, 1)
    return "0.0" if rounded == 0 else f"{rounded:,}" if separators else f"{rounded}"


VISIBLE_T = 0.005
"""Tonnes below this round to 0 t and are not mentioned."""
HALF_CENT_USD = 0.005
"""Money below this (USD) rounds to 0 cents: see :func:`drop_residue_usd`."""
MILLIONS_FROM_USD = 100_000.0
"""Amounts from this one on are written in millions (``USD 0.32 m``), as the tables' USD m columns."""


def usd(value: float, *, in_millions: bool = False) -> str:
    """Money: ``USD 45,300``, ``USD 0.32 m``, ``USD 18.9 m``, ``USD 1.24 bn`` (no-break spaces inside).

    From USD 100,000 in millions (two decimals below 1 m, as :func:`usd_m`), from 1 bn
    in billions. ``in_millions`` writes a smaller amount in millions too (to three decimals
    below 0.01 m), so that it reads like the millions beside it (:func:`usd_all`).

    >>> [text.replace(NBSP, " ") for text in (usd(45300), usd(322350), usd(18874513.5), usd(1.2391e9))]
    ['USD 45,300', 'USD 0.32 m', 'USD 18.9 m', 'USD 1.24 bn']
    >>> [usd(v, in_millions=True).replace(NBSP, " ") for v in (45300, 2373, 0)]
    ['USD 0.05 m', 'USD 0.002 m', 'USD 0']

    The unit follows the amount as rounded: 99,999.5 dollars would read 100,000, so it is in millions.

    >>> [usd(v).replace(NBSP, " ") for v in (99_999.4, 99_999.5, 99_999.6, -99_999.5)]
    ['USD 99,999', 'USD 0.10 m', 'USD 0.10 m', 'USD -0.10 m']

    A half rounds up, as :func:`tonnes` rounds (:func:`rounded_half_up`), a ``numpy.float64`` as a float:

    >>> [usd(v).replace(NBSP, " ") for v in (54_450_000.0, 345_000.0, 45_300.5, 1.245e9, 0.9995e9, 0.995e6)]
    ['USD 54.5 m', 'USD 0.35 m', 'USD 45,301', 'USD 1.25 bn', 'USD 1.00 bn', 'USD 1.0 m']
    """
    size = abs(value)
    if size >= 0.9995e9:  # 999.96 m rounds to 1.00 bn, not 1000.0 m
        return f"USD{NBSP}{rounded_half_up(value / 1e9, 2)}{NBSP}bn"
    if size >= 0.995e6:  # 999,999 rounds to 1.0 m, not 1.00 m
        return f"USD{NBSP}{rounded_half_up(value / 1e6, 1)}{NBSP}m"
    if value and (_whole_dollars(value) >= MILLIONS_FROM_USD or in_millions):
        millions = value / 1e6
        decimals = min(3, max(2, -math.floor(math.log10(abs(millions)))))  # USD 2,373: 0.002 m; USD 400: 0.000 m
        return f"USD{NBSP}{rounded_half_up(millions, decimals)}{NBSP}m"
    return f"USD{NBSP}{rounded_half_up(value, 0):,}"


def drop_residue_usd(value_usd: float) -> float:
    """``value_usd`` (USD), or 0 where it rounds to 0 cents (below :data:`HALF_CENT_USD` either way).

    Where the report takes one sum of money from another equal to it (a run's holding less that of a
    share held already, both in USD), floats leave a residue of either sign, from about 1e-13 USD in a
    small world to about 1e-8 USD in a large one (-1.0e-8 on ``china_2025_licensing``): it is no
    amount, and shown in millions it would read ``USD 0.000 m`` or ``-0.00``, not ``USD 0``. No amount
    the report shows is finer than a cent.

    >>> [drop_residue_usd(v) for v in (-1.0244548320770264e-08, 0.0049, -0.0049, 0.005, -2.0)]
    [0.0, 0.0, 0.0, 0.005, -2.0]
    """
    return 0.0 if abs(value_usd) < HALF_CENT_USD else value_usd


def usd_all(values: Iterable[float]) -> list[str]:
    """Amounts of one table or sentence by :func:`usd`, all in millions when one of them is.

    >>> [text.replace(NBSP, " ") for text in usd_all([2.3e6, 879178.0, 2373.0, 0.0])]
    ['USD 2.3 m', 'USD 0.88 m', 'USD 0.002 m', 'USD 0']
    >>> [text.replace(NBSP, " ") for text in usd_all([45300.0, 2373.0])]
    ['USD 45,300', 'USD 2,373']
    """
    amounts = list(values)
    millions = in_millions(amounts)
    return [usd(v, in_millions=millions) for v in amounts]


def _whole_dollars(value: float) -> float:
    """The size of an amount as :func:`usd` writes it in dollars, rounded half up (:func:`rounded_half_up`)."""
    return float(abs(rounded_half_up(value, 0)))


def in_millions(amounts: Iterable[float]) -> bool:
    """Whether amounts shown together are written in millions: when one of them is (:func:`usd`)."""
    return any(_whole_dollars(v) >= MILLIONS_FROM_USD for v in amounts)


def two_figures(value: float) -> str:
    """A number to two significant figures, rounded half up, with thousands separators.

    For figures that rest on an assumption known to a factor, not a per cent (demand
    destroyed and surplus lost scale with an assumed elasticity): more digits would claim
    a precision they do not have.

    >>> [two_figures(v) for v in (10285.0, 2685.0, 122.4, 8.43, 0.3247, 0.0, 99.6, -328.1, 0.00237, 2.4499999999999997)]
    ['10,000', '2,700', '120', '8.4', '0.32', '0', '100', '-330', '0.0024', '2.5']

    What rounds to 0 at :data:`~simulator.names.NUMBER_DECIMALS_MOST` (6) decimals is floating-point residue
    (3.84e-16 t, :func:`~simulator.names.is_residue`), below any precision a figure here is shown in: ``0``, not
    ``0.00000000000000038``. Nor is a digit written past that 6th decimal, as
    :func:`~simulator.names.number_text` writes none: under 0.00001 the figures stop there.

    >>> [two_figures(v) for v in (3.84e-16, -2e-17, 0.004, 0.0000123, 0.00000123, -0.0000096)]
    ['0', '0', '0.0040', '0.000012', '0.000001', '-0.000010']
    """
    if not math.isfinite(value) or is_residue(value):
        return f"{abs(value) if math.isfinite(value) else value:,.0f}"
    exponent = math.floor(math.log10(abs(value)))
    places = min(1 - exponent, NUMBER_DECIMALS_MOST)  # two figures, to the 6th decimal at most
    rounded = float(rounded_half_up(value, places))  # float noise dropped, as tonnes() drops it
    if rounded == 0:
        return "0"
    decimals = max(0, min(1 - math.floor(math.log10(abs(rounded))), NUMBER_DECIMALS_MOST))  # 99.6 is 100: none
    return f"{rounded:,.{decimals}f}"


def as_shown_2(amount: float) -> float:
    """An amount as :func:`two_figures` shows it, as a number: 99,960 is 100,000.

    >>> as_shown_2(99_960.0), as_shown_2(2373.0)
    (100000.0, 2400.0)
    """
    return float(two_figures(amount).replace(",", ""))


def shows_tonnes(value: float) -> bool:
    """Whether :func:`tonnes` writes ``value`` as anything but 0 t (a residue of rounding does not show).

    >>> shows_tonnes(0.004), shows_tonnes(0.005), shows_tonnes(-2.0)
    (False, True, True)
    """
    return tonnes(value) != tonnes(0.0)


UNDER_SHOWN_T = f"under 0.01{NBSP}t"
"""A shortfall (:func:`simulator.shortages.short`: above 5e-7 t) that :func:`tonnes` would round to 0 t."""


def shortfall_tonnes(value: float) -> str:
    """A shortfall's tonnes as :func:`tonnes` writes them, never ``0 t`` for one that counts as short.

    The report calls a region short of a material where its shortfall is above
    :data:`simulator.shortages.SHORT_ABOVE_T` (5e-7 t), while :func:`tonnes` rounds anything under 0.005 t to
    ``0 t``: a shortfall between the two reads :data:`UNDER_SHOWN_T`, so that no member said to be short is short
    of ``0 t``. A residue (1e-13 t) is no shortfall and reads ``0 t``, as :func:`tonnes` writes it; so does every
    other shortfall.

    >>> [shortfall_tonnes(v).replace(NBSP, " ") for v in (3e-6, 0.0049, 1e-13, 0.0, 0.005, 19.8271)]
    ['under 0.01 t', 'under 0.01 t', '0 t', '0 t', '0.01 t', '19.8 t']
    """
    if shortages.short(value) and not shows_tonnes(value):
        return UNDER_SHOWN_T
    return tonnes(value)


def tonnes_2(value: float) -> str:
    """Tonnes to two significant figures (:func:`two_figures`): ``10,000 t``, ``120 t``, ``0 t``.

    >>> [text.replace(NBSP, " ") for text in (tonnes_2(10285.0), tonnes_2(122.4), tonnes_2(0.0))]
    ['10,000 t', '120 t', '0 t']
    """
    return f"{two_figures(value)}{NBSP}t"


def usd_2(value: float, *, in_millions: bool = False) -> str:
    """Money to two significant figures (:func:`two_figures`), in the units :func:`usd` would use.

    >>> [usd_2(v).replace(NBSP, " ") for v in (4.1234e9, 6.64e9, 328.1e6, 85.8e6, 322350.0, 45300.0, 999.6e6)]
    ['USD 4.1 bn', 'USD 6.6 bn', 'USD 330 m', 'USD 86 m', 'USD 0.32 m', 'USD 45,000', 'USD 1.0 bn']

    The unit follows the amount as rounded, so no amount is written as 100,000 or 1,000 m:

    >>> [usd_2(v).replace(NBSP, " ") for v in (99_499.0, 99_500.0, 99_960.0, 100_000.0, 994.9e6, 995e6)]
    ['USD 99,000', 'USD 0.10 m', 'USD 0.10 m', 'USD 0.10 m', 'USD 990 m', 'USD 1.0 bn']

    Rougher than :func:`usd`, never finer: a small amount in millions has no more decimals than
    :func:`usd` gives it (three below 0.01 m, two below 1 m), so that beside :func:`usd`'s
    ``USD 0.002 m`` it does not read ``USD 0.0024 m``.

    >>> [usd_2(v, in_millions=True).replace(NBSP, " ") for v in (2373.0, 45300.0, 5000.0, 322350.0, 0.0)]
    ['USD 0.002 m', 'USD 0.05 m', 'USD 0.005 m', 'USD 0.32 m', 'USD 0']
    """
    size = abs(as_shown_2(value))  # the unit is chosen on the amount as shown:
    if size >= 1e9:  # 999.6 m is 1,000 m to two figures: 1.0 bn
        return f"USD{NBSP}{two_figures(value / 1e9)}{NBSP}bn"
    if size and (size >= MILLIONS_FROM_USD or in_millions):  # 99,960 is 100,000 to two figures: 0.10 m
        millions = value / 1e6
        shown = two_figures(millions)
        # usd's decimals below 1 m (two figures of 1 m or more never have more than its one)
        most = min(3, max(2, -math.floor(math.log10(abs(millions))))) if abs(millions) < 1 else 1
        if len(shown.partition(".")[2]) > most:
            shown = f"{rounded_half_up(millions, most):,.{most}f}"
        return f"USD{NBSP}{shown}{NBSP}m"
    return f"USD{NBSP}{two_figures(value)}"


def ratio_in_words(ratio: float) -> str:
    """A ratio as a sentence says it before the word "times" (``more than three times the highest``).

    A whole one from 2 to 9 in words, any other in its shortest digits; :func:`times`
    writes a ratio of prices in a table's short form, ``9x``.

    >>> ratio_in_words(3.0), ratio_in_words(2.5), ratio_in_words(12.0)
    ('three', '2.5', '12')
    """
    return NUMBER_WORDS.get(ratio, f"{ratio:g}")


def times(ratio: float) -> str:
    """A ratio of prices in a table's short form: ``9x``, ``9.4x``, ``12x`` (:func:`ratio_in_words` for a sentence's).

    >>> times(9.0), times(9.43), times(11.6), times(1.04)
    ('9x', '9.4x', '12x', '1x')

    A half rounds up (:func:`rounded_half_up`), a ``numpy.float64`` as a float:

    >>> times(9.45), times(10.5), times(12.5)
    ('9.5x', '11x', '13x')
    """
    text = f"{rounded_half_up(ratio, 0)}" if ratio >= 10 else f"{rounded_half_up(ratio, 1)}".removesuffix(".0")
    return text + "x"


def usd_m(value: float) -> str:
    """Money in millions for tables, to three significant figures (two below 1 m).

    The inputs behind a cost (prices, fitted parameters) are known to a few per cent at
    best, so a table shows no more than the sentences do (:func:`usd`).

    >>> [usd_m(v) for v in (3913968513.67, 593386640.5, 60347000.0, 7654321.0, 322350.0, 0.0, -18874513.5)]
    ['3,910', '593', '60.3', '7.65', '0.32', '0', '-18.9']

    A half rounds up, as :func:`usd` rounds (:func:`rounded_half_up`): a pool share of USD 54.45 m reads as the
    verdict writes it, whether a float or a ``numpy.float64`` (``round`` took the latter to 54.4):

    >>> [usd_m(v) for v in (54_450_000.0, 345_000.0, 7_655_000.0, 99_950_000.0, 2_225_000_000.0)]
    ['54.5', '0.35', '7.66', '100', '2,230']

    What is not finite reads as Python writes it (it has no digits to count):

    >>> usd_m(float("inf")), usd_m(float("-inf")), usd_m(float("nan"))
    ('inf', '-inf', 'nan')
    """
    if value == 0:
        return "0"
    if not math.isfinite(value):
        return f"{value}"
    millions = value / 1e6
    if abs(millions) < 1:
        return f"{rounded_half_up(millions, 2):,}"
    rounded = rounded_half_up(millions, 3 - _digits(millions))
    return f"{rounded:,.{max(0, 3 - _digits(rounded))}f}"  # 99.96 rounds to 100, a digit more


def _digits(value: float) -> int:
    """Digits before the decimal point of ``abs(value) >= 1``."""
    return math.floor(math.log10(abs(value))) + 1


def usd_per_kg(value: float) -> str:
    """Money per kg that a run works out (a cost per kg of shortfall avoided), every decimal of its size kept.

    Two decimals below USD 100, one below 1,000, none from there on (:func:`~simulator.names.price_decimals`), as
    :func:`price` rounds, but a whole amount keeps them: ``33.00`` beside ``39.18``, where ``33`` would read as a
    rougher figure.

    >>> usd_per_kg(33.0), usd_per_kg(39.18), usd_per_kg(156.5), usd_per_kg(260.0), usd_per_kg(1606.26)
    ('33.00', '39.18', '156.5', '260.0', '1,606')
    """
    return f"{price_decimals(value):,}"


def bid_segment(
    share: float,
    price_usd_per_kg: float | None,
    end_use: str | None,
    multiplier: float | None = None,
    max_usd_per_kg: float | None = None,
) -> str:
    """One bid segment as the bids table gives it, its end use in brackets when it has one.

    A segment bids a fixed price, or a ``multiplier`` of the day's market price (with a cap
    ``max_usd_per_kg`` when it has one).

    >>> bid_segment(0.15, 260.0, "NdFeB magnets"), bid_segment(1.0, 50.0, None)
    ('15% at 260 USD/kg (NdFeB magnets)', '100% at 50 USD/kg')
    >>> bid_segment(1.0, None, None, 1.5, 60.0)
    '100% at 1.5 times the market price, at most 60 USD/kg'
    """
    if price_usd_per_kg is not None:
        at = f"{price(price_usd_per_kg)} USD/kg"
    else:
        at = f"{multiplier:g} times the market price"
        at += f", at most {price(max_usd_per_kg)} USD/kg" if max_usd_per_kg is not None else ""
    return f"{percent(share)} at {at}" + (f" ({end_use})" if end_use else "")


def when(start: dt.date | None, day: int) -> str:
    """A model day as a date (``7 Nov 2011``) or, without a start date, ``day 496``."""
    return date_label(start, day)


def num(text: str, value: Any, metric: str, run: str = "scenario") -> str:
    """``text`` (already formatted from ``value``) tagged with where it came from.

    ``metric`` is ``<name>.<region>`` (a region total, ``Result.metrics``),
    ``<name>.<region>.<material>`` (a row of ``Result.summary``), ``change:<name>.<region>``
    (relative change from the baseline run to this one) or ``sum:<name>:<key>,<key>`` (the metrics
    ``<name>.<key>`` added, a key a region or ``<region>.<material>``).
    """
    shown = value if isinstance(value, int) else repr(float(value))
    return (
        f'<span class="num" data-run="{escape(run)}" data-metric="{escape(metric)}" '
        f'data-value="{shown}">{escape(text)}</span>'
    )


SOURCE_CODE = re.compile(r"\[([A-Z]{1,2}\d+[a-z]?(?:\s*[,;/]\s*[A-Z]{1,2}\d+[a-z]?)*)\]")
"""A bracketed source code: ``[A16]``, ``[J2, J13]``, a row of a source table in docs/calibration.md."""


def source_codes_note(sources: list[str]) -> str:
    """One line saying where the bracketed codes of ``sources`` are looked up ('' when none has one).

    The report names docs pages as plain text paths (docs/limitations.md), so this does too.

    >>> source_codes_note(["assumption [A5]; ~90% in 2012 [J9, J13]", "[A5]"])[:64]
    '<p class="note">Bracketed codes ([A5], [J9] ...) are rows of the'
    >>> source_codes_note(["fitted 1.7 (docs/model-vs-record.md)"])
    ''
    """
    found = (code for text in sources for m in SOURCE_CODE.finditer(text) for code in re.split(r"[,;/\s]+", m[1]))
    codes = list(dict.fromkeys(f"[{code}]" for code in found))
    if not codes:
        return ""
    shown = ", ".join(codes[:2]) + (" ..." if len(codes) > 2 else "")
    return (
        f'<p class="note">Bracketed codes ({escape(shown)}) are rows of the source tables in docs/calibration.md.</p>'
    )


def detail(text: str) -> str:
    """``text`` in a normal-weight span inside a bold lead paragraph (HTML; '' for '').

    The answer is bold, its circumstances are not (style: ``.detail``).
    """
    return f'<span class="detail">{text}</span>' if text else ""


LENT_WORDS = {"grant": "given", "sale": "sold", "loan": "lent"}
"""The word for ``lent_t`` by settlement: nothing owed (a grant), paid for (a sale), owed back in kind (a loan)."""


def lent_word(scenario: Any) -> str:
    """The word for ``lent_t``: ``given`` under a ``grant``, ``sold`` under a ``sale``, ``lent`` under a ``loan``.

    Under a rule that shares supply (:func:`draws_own`) ``lent_t`` is no transfer at all: see there.
    """
    agreement = scenario.agreement
    return LENT_WORDS[agreement.settlement.kind] if agreement is not None else "lent"


def draws_own(scenario: Any) -> bool:
    """Whether members draw their own reserves by the rule: one sharing supply (``iea_ess``), ``pool.mode: national``.

    Each member then draws its own reserve by obligation (``kernel/agreement.py``): its ``lent_t`` and its
    ``released_rule_t`` are that draw, stock from its own reserve, not stock given to or received from other
    members (what passes between them is ``transferred_t``). Over a joint pool the rule's releases come from
    the pool, as under any other rule.
    """
    agreement = scenario.agreement
    return agreement is not None and BY_NAME[agreement.mechanism].shares_supply and agreement.pool.mode == "national"


NOT_NEEDED_SHORT = "not needed"
"""The answer's name where the sentence before it gave it whole (:data:`NOT_NEEDED`)."""
NOT_NEEDED = f"{NOT_NEEDED_SHORT} to close a shortfall"
"""The headline's answer where no member runs short with the joint stock or without it, as the verdict says it
("The joint stock is not needed to close a shortfall: ...") and the robustness sentence names it. "Close": the one
verb the report uses for what the stock does to a shortfall (the headline's "closes every shortfall", the samples'
"closes the gap", the robustness table's "Stock closes a shortfall")."""


def rule_label(mechanism: str) -> str:
    """The release rule's label, as a page header or a list names it: ``hybrid``, ``IEA ESS``, ``Talmud``.

    The label of :data:`simulator.mechanisms.MECHANISMS`, never the name's words lowered (``iea ess``).
    """
    return BY_NAME[mechanism].label


HELD_TODAY = "the stocks held today"
"""The status quo where pool shares are stocks members hold today (``agreement.pool.already_held``)."""


def without_it(scenario: Any, it: str = "it", *, whose: bool = True) -> str:
    """What the joint stock is measured against, as a sentence of the report says it (HTML): ``without it``.

    Where members' pool contributions are stocks they hold today (``agreement.pool.already_held``), the
    run it is measured against is the status quo, those stocks held alone
    (:func:`simulator.counterfactuals.without_agreement`): ``with the stocks held today (Japan's
    held alone)``, or ``(Japan's rare earths held alone)`` where ``already_held`` lists its materials,
    the parenthesis left out with ``whose`` false.

    >>> without_it(None), without_it(None, "the joint stock"), without_it(None, "")
    ('without it', 'without the joint stock', 'without')
    """
    held = held_today_members(scenario)
    if not held:
        return f"without {it}".strip()
    names = Names.of(scenario)
    whose_held = [names.possessive(m) + held_part(scenario, m, names).replace(" of ", " ", 1) for m in held]
    return f"with {HELD_TODAY}" + (f" ({escape(join_words(whose_held))} held alone)" if whose else "")


def held_part(scenario: Any, member: str, names: Any) -> str:
    """`` of light and heavy rare earths``: the materials ``already_held`` lists with ``member``, after its pool share.

    '' where it lists the member alone (all it puts in is held today) or not at all. ``names``: the report's
    HTML names or the plain :class:`~simulator.names.Names`, escaping the words or not.
    """
    agreement = scenario.agreement if scenario is not None else None
    held = agreement.pool.held_today().get(member) if agreement is not None else None
    return f" of {names.materials_text(held)}" if held else ""
