"""Display names of regions and materials: the scenario's ``label`` fields, or names made from the ids.

Layer: ground.

Figures, the report and the explorer show "Japan", "EU" and "Light rare earths"
rather than ``japan``, ``eu`` and ``light_ree``. A region or material with a ``label``
is shown by its label, as written; without one its name is made from its id: words
split at underscores, title case for regions, known abbreviations written as such
(``eu`` is "EU", ``ree`` "rare earths", ``ndfeb`` "NdFeB").

Also the small words every layer above writes: counts (:func:`plural`), lists, and numbers
as ``stockpile run --uncertainty`` prints them (:func:`number_text`).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

# region ids whose name is not the id in title case: (name, name inside a sentence)
_KNOWN_REGIONS = {
    "eu": ("EU", "the EU"),
    "us": ("US", "the US"),
    "usa": ("USA", "the USA"),
    "uk": ("UK", "the UK"),
    "united_states": ("United States", "the United States"),
    "united_kingdom": ("United Kingdom", "the United Kingdom"),
}
_TOKENS = {
    "ree": "rare earths",
    "reo": "REO",
    "ndfeb": "NdFeB",
    "pgm": "PGM",
    "eu": "EU",
    "us": "US",
    "uk": "UK",
}
_ARTICLE_WORDS = ("United", "European")
"""A region named with one of these first words takes "the" inside a sentence."""


def default_region_name(region: str) -> str:
    """``japan`` -> ``Japan``, ``eu`` -> ``EU``, ``south_korea`` -> ``South Korea``.

    >>> default_region_name("eu"), default_region_name("south_korea")
    ('EU', 'South Korea')
    """
    if region in _KNOWN_REGIONS:
        return _KNOWN_REGIONS[region][0]
    return " ".join(_TOKENS.get(w, w.capitalize()) for w in region.split("_"))


def default_supplier_name(supplier: str) -> str:
    """``china`` -> ``China``, ``rest_of_world`` -> ``Rest of world``, ``eu_recycling`` -> ``EU recycling``.

    A supplier is often a group (``europe_reprocessors``, ``rest_of_world``) rather than a
    country: its words are written as in a sentence, as a material's are, not each in
    title case ("Rest Of World"). A supplier id that is a known region's (``eu``,
    ``united_states``) is named as that region.

    >>> default_supplier_name("rest_of_world"), default_supplier_name("europe_reprocessors")
    ('Rest of world', 'Europe reprocessors')
    >>> default_supplier_name("china"), default_supplier_name("us_domestic"), default_supplier_name("united_states")
    ('China', 'US domestic', 'United States')
    """
    if supplier in _KNOWN_REGIONS:
        return _KNOWN_REGIONS[supplier][0]
    return default_material_name(supplier)


def default_material_name(material: str) -> str:
    """``light_ree`` -> ``Light rare earths``, ``ndfeb_magnets`` -> ``NdFeB magnets``.

    >>> default_material_name("light_ree"), default_material_name("ndfeb_magnets"), default_material_name("cobalt")
    ('Light rare earths', 'NdFeB magnets', 'Cobalt')
    """
    text = " ".join(_TOKENS.get(w, w) for w in material.split("_"))
    return text[:1].upper() + text[1:]


def join_words(items: list[str], last: str = "and") -> str:
    """``a``, ``a and b``, ``a, b and c``.

    >>> join_words(["a", "b", "c"]), join_words(["Japan", "the EU"])
    ('a, b and c', 'Japan and the EU')
    """
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {last} {items[-1]}"


def shared_words_once(names: list[str]) -> list[str]:
    """Names listed together, the trailing words they all share said once, on the last (each keeps a word of its own).

    >>> shared_words_once(["light rare earths", "heavy rare earths"]), shared_words_once(["gallium", "germanium"])
    (['light', 'heavy rare earths'], ['gallium', 'germanium'])
    """
    if len(names) < 2:
        return names
    words = [name.split(" ") for name in names]
    shared = 0
    while shared < min(map(len, words)) - 1 and len({tuple(w[len(w) - shared - 1 :]) for w in words}) == 1:
        shared += 1
    if not shared:
        return names
    return [" ".join(w[:-shared]) for w in words[:-1]] + [names[-1]]


def plural(count: int, noun: str, spec: str = "") -> str:
    """``1 day``, ``2 days``; ``spec`` formats the count (``","``: ``1,000 samples``).

    >>> plural(1, "day"), plural(60, "day"), plural(1000, "input", ",")
    ('1 day', '60 days', '1,000 inputs')
    """
    return f"{count:{spec}} {noun}" if count == 1 else f"{count:{spec}} {noun}s"


NUMBER_DECIMALS_MOST = 6
"""The finest decimal :func:`number_text` writes: that of 3 significant digits at 0.000123, the smallest ``.3g`` writes
without an exponent. What rounds to 0 there is below the precision shown (floating-point residue) and reads 0."""


def is_residue(value: float, decimals: int = NUMBER_DECIMALS_MOST) -> bool:
    """Whether ``value`` rounds to 0 at ``decimals`` decimals (the :data:`NUMBER_DECIMALS_MOST` 6th unless told).

    The one residue rule of the words: what rounds to 0 at the finest decimal shown is floating-point residue of a
    sum (a lowest cover of 3.84e-16 days, -2e-17 t, a shortfall of 1e-13 t), not a value, and reads 0 (never
    ``3.84e-16`` or ``-0``); a real small value (0.004, -6e-7) is not one. :func:`number_text`, :func:`small_text`,
    :func:`decimals_text` (at its own decimals), ``stockpile run``'s shortfall column
    (:func:`simulator.console.shortfall_text`) and the report's words ask it here. :func:`simulator.shortages.short`
    does not call it: it compares with :data:`simulator.shortages.SHORT_ABOVE_T`, half the 6th decimal's unit, which
    for a shortfall of 0 or more is the same rule (``t > SHORT_ABOVE_T`` is ``not is_residue(t)``).

    >>> is_residue(3.84e-16), is_residue(-2e-17), is_residue(-0.0), is_residue(4e-7)
    (True, True, True, True)
    >>> is_residue(0.004), is_residue(-6e-7), is_residue(0.04, 1), is_residue(0.06, 1)
    (False, False, True, False)
    """
    return round(value, decimals) == 0


def small_text(value: float, digits: int) -> str:
    """``value`` to ``digits`` significant figures in decimals, never past the 6th; a residue reads ``0``.

    For a value under ``10 ** (digits - 1)`` in size (under 100 for 3 digits), which ``.{digits}g`` writes without an
    exponent unless it is small.

    ``.3g`` would write an exponent under 0.0001 (``4.4e-05``): such a value is written in decimals instead, to
    the :data:`NUMBER_DECIMALS_MOST` (6th) decimal at most, its trailing zeros dropped. A residue
    (:func:`is_residue`) reads ``0``, never ``3.84e-16`` or ``-0``. A value of ``10 ** digits`` or more, out of that
    range, would get an exponent too (``1.5e+02``): it is written whole, rounded to ``digits`` significant figures,
    with thousands separators, never with a trailing dot (``150.``):

    >>> small_text(150, 2), small_text(1234, 2), small_text(-98765.4, 3), small_text(99.96, 3)
    ('150', '1,200', '-98,800', '100')
    >>> small_text(0.5625, 3), small_text(0.0349, 2), small_text(4.4e-5, 3), small_text(0.0000123, 2)
    ('0.562', '0.035', '0.000044', '0.000012')
    >>> small_text(-6e-7, 3), small_text(1.23e-6, 2), small_text(3.84e-16, 3), small_text(-2e-17, 2)
    ('-0.000001', '0.000001', '0', '0')
    """
    if is_residue(value):  # below the precision shown: not "3.84e-16" nor "-0"
        return "0"
    text = f"{value:,.{digits}g}"
    if "e" not in text:
        return text
    if abs(value) >= 1:  # 150 at 2 digits: 1.5e+02, written whole (not "150.")
        return f"{float(text):,.0f}"
    return f"{value:.{NUMBER_DECIMALS_MOST}f}".rstrip("0")  # a small real value has a digit before the zeros


def number_text(value: float) -> str:
    """A number as ``stockpile run --uncertainty`` prints one: whole with thousands separators from 100, else 3 digits.

    >>> number_text(16204.3), number_text(2863.2), number_text(0.5625), number_text(42.0)
    ('16,204', '2,863', '0.562', '42')

    Under 100 it is 3 significant digits, but never a digit past the :data:`NUMBER_DECIMALS_MOST` (6th) decimal,
    the finest 3 digits reach without an exponent (0.000123). A value that rounds to 0 at 6 decimals is below the
    precision any figure here is shown in, floating-point residue of a sum (a lowest cover of 3.84e-16 days, -2e-17
    t): it reads ``0``, never ``3.84e-16`` or ``-0``. A real small value keeps its digits: 0.004 days reads
    ``0.004``, not 0, and one under 0.0001 is written in decimals, not with an exponent:

    >>> number_text(3.84e-16), number_text(1.28e-16), number_text(-2e-17), number_text(-0.0)
    ('0', '0', '0', '0')
    >>> number_text(0.004), number_text(2.61), number_text(0.000123), number_text(4.4e-5), number_text(-6e-7)
    ('0.004', '2.61', '0.000123', '0.000044', '-0.000001')
    """
    if abs(value) >= 100:
        return f"{value:,.0f}"
    return small_text(value, 3)


def rounded_half_up(value: float, decimals: int) -> Decimal | float:
    """``value`` rounded half up to ``decimals``, after dropping float noise (12 significant digits).

    A float prints its binary value: 9.45 is 9.4499999999999993 and ``f"{9.45:.1f}"`` is
    ``9.4``, while 9.450000000000001 gives ``9.5``; both are 9.45 here, which rounds to 9.5.

    >>> rounded_half_up(9.45, 1), rounded_half_up(9.450000000000001, 1), rounded_half_up(-0.004, 2)
    (Decimal('9.5'), Decimal('9.5'), Decimal('-0.00'))

    What is not finite has no decimals to round: it comes back as the float it is, so that the words built on
    this one write it as Python does (``inf``, ``-inf``, ``nan``), where a Decimal would raise or read ``NaN``:

    >>> inf = float("inf")
    >>> rounded_half_up(inf, 1), f"{rounded_half_up(-inf, 2):,}", f"{rounded_half_up(float('nan'), 0)}"
    (inf, '-inf', 'nan')
    """
    if not math.isfinite(value):
        return float(value)
    return Decimal(f"{value:.12g}").quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def price_text(value: float) -> str:
    """A price per kg with the decimals it needs: ``40``, ``13.13``, ``156.5``, ``921.2``, ``1,606``, never an exponent.

    The report's prices (:func:`simulator.report.words.price`) and the calibration's notes write prices with it.

    For prices a scenario sets or a market reaches, read as the scenario writes them (no ``40.00`` for its 40):
    :func:`price_decimals` to its size, the zeros that end it dropped. An amount of money per kg that the run
    works out reads :func:`simulator.report.words.usd_per_kg`, its decimals all kept.

    >>> [price_text(v) for v in (40.0, 13.13, 156.5, 921.2, 1606.26, 21.434, 12345.0)]
    ['40', '13.13', '156.5', '921.2', '1,606', '21.43', '12,345']

    A half rounds up, as :func:`simulator.report.words.usd` rounds (:func:`rounded_half_up`), a ``numpy.float64``
    as a float; the decimals follow the price as rounded (99.996 is ``100``, 999.96 ``1,000``):

    >>> [price_text(v) for v in (21.435, 156.45, 1606.5, 2.675, 99.996, 999.96)]
    ['21.44', '156.5', '1,607', '2.68', '100', '1,000']
    """
    text = f"{price_decimals(value):,}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def price_decimals(value: float) -> Decimal | float:
    """A price per kg (USD) rounded half up to the decimals its size gives: two below 100, one below 1,000, none on.

    The decimals follow the value as rounded: 99.996 is 100.0, 999.96 is 1000.

    >>> price_decimals(39.175), price_decimals(99.996), price_decimals(999.96)
    (Decimal('39.18'), Decimal('100.0'), Decimal('1000'))
    """
    decimals = 0 if abs(value) >= 1000 else 1 if abs(value) >= 100 else 2
    rounded = rounded_half_up(value, decimals)
    while decimals > 0 and abs(rounded) >= (100 if decimals == 2 else 1000):  # 99.996 -> 100.00 -> 100.0
        decimals -= 1
        rounded = rounded_half_up(value, decimals)
    return rounded


def decimals_text(value: float, decimals: int = 1, separators: bool = False) -> str:
    """``value`` in ``decimals`` decimals (days of cover: ``38.6``), what rounds to 0 read ``0.0``, never ``-0.0``.

    A lowest cover of -2e-17 days is floating-point residue of a sum: ``f"{-2e-17:.1f}"`` would write ``-0.0``.
    ``separators``: thousands separators (``1,234.5``).

    >>> decimals_text(38.61), decimals_text(-2e-17), decimals_text(3.84e-16), decimals_text(0.04), decimals_text(-0.06)
    ('38.6', '0.0', '0.0', '0.0', '-0.1')
    >>> decimals_text(1234.56, separators=True), decimals_text(-0.0, 2)
    ('1,234.6', '0.00')

    A half rounds up (:func:`rounded_half_up`), a ``numpy.float64`` as a float: ``round`` takes 2.45 to 2.5 for
    one and to 2.4 for the other.

    >>> decimals_text(2.45), decimals_text(142.45), decimals_text(1234.55, separators=True)
    ('2.5', '142.5', '1,234.6')
    """
    rounded = 0.0 if is_residue(value, decimals) else rounded_half_up(value, decimals)  # what rounds to 0 is 0.0
    return f"{rounded:,.{decimals}f}" if separators else f"{rounded:.{decimals}f}"


INDEX_DECIMALS_MOST = 4
"""The most decimals an index is written in: past them the digits are unreadable (0.9999998)."""
INDEX_NOISE_DECIMALS = 9
"""An index that rounds to 0 or 1 at this many decimals is that end: the rest is floating-point rounding."""


NUMBER_WORDS = {2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}
"""The whole numbers a sentence writes in words, 2 to 9; any other is written in digits."""


def count_in_words(count: int) -> str:
    """A count as a sentence gives it (``one of five members``): in words from 2 to 9, beyond in digits.

    >>> count_in_words(5), count_in_words(12)
    ('five', '12')
    """
    return NUMBER_WORDS.get(count, str(count))


def jain_definition(members: int) -> str:
    """What Jain's index of the members' shortfall shares says at its ends, with this many ``members`` counted.

    ``members`` is those the index counts, the members with demand: a member without it has no share and is left
    out (:func:`simulator.metrics.jain_index`), so ``1/n`` is over these, not over every member.

    The index is of the members' shortfall shares (each one's shortfall over its demand,
    :func:`simulator.metrics.jain_index`): 1 when each is short the same share of its demand,
    ``1/n`` when one of ``n`` members bears it all.

    >>> jain_definition(2)
    '1 = each short the same share of its demand; 0.5 = one of two members bears it all'
    >>> jain_definition(5).split("; ", 1)[1]
    '0.2 = one of five members bears it all'
    """
    return f"1 = each short the same share of its demand; {number_text(1 / members)} = {one_bears_all(members)}"


def one_of(counted: int, noun: str = "member") -> str:
    """``one of two members``: the one among ``counted`` (``noun``: ``region`` without an agreement).

    >>> one_of(2), one_of(12, "region")
    ('one of two members', 'one of 12 regions')
    """
    return f"one of {count_in_words(counted)} {noun}s"


def one_bears_all(counted: int, noun: str = "member") -> str:
    """What Jain's index of ``1/n`` means, ``n`` the ``counted`` members (``noun``: ``region`` without an agreement).

    ``counted`` is the members the index counts, those with demand (:func:`simulator.metrics.jain_index`): the
    one wording of the index's low end, in :func:`jain_definition` and the report's sentences alike.

    >>> one_bears_all(2), one_bears_all(12, "region")
    ('one of two members bears it all', 'one of 12 regions bears it all')
    """
    return f"{one_of(counted, noun)} bears it all"


def index_text(value: float, decimals: int = 3) -> str:
    """An index or a share from 0 to 1 in ``decimals`` decimals, up to 4 where those read 0 or 1 and it is neither.

    Jain's index of 1 means equal burdens (or no one short): 0.9996 is not that, nor 0.0004 no share. Where even
    :data:`INDEX_DECIMALS_MOST` decimals (or ``decimals``, if more) would read 1 or 0, more digits would be
    unreadable (0.9999998): the value reads ``above 0.9999`` or ``below 0.0001``, words that stand in a sentence
    and a table cell alike. A value that rounds to 1 or 0 at :data:`INDEX_NOISE_DECIMALS` decimals is that end
    (floating-point rounding, not a difference), written in ``decimals`` decimals. A value outside 0 to 1 past that
    rounding has no bound to read as: it is written in as many decimals as tell it from 1 or 0 (1.00003, -0.00004).

    >>> index_text(0.9996), index_text(0.641), index_text(0.9996, 2), index_text(1.0), index_text(0.0004)
    ('0.9996', '0.641', '0.9996', '1.000', '0.0004')
    >>> index_text(0.9999998), index_text(0.99999, 2), index_text(0.00004), index_text(0.99994)
    ('above 0.9999', 'above 0.9999', 'below 0.0001', '0.9999')
    >>> index_text(0.9999999999999998), index_text(0.9999999999999998, 2), index_text(-1e-17)  # rounding of an end
    ('1.000', '1.00', '0.000')
    >>> index_text(0.5, 5), index_text(0.9999998, 6)  # more decimals than 4 asked for
    ('0.50000', 'above 0.999999')
    >>> index_text(1.00003), index_text(-4e-05), index_text(1.25)  # outside 0 to 1: digits, not a bound
    ('1.00003', '-0.00004', '1.250')
    """
    end = float(f"{value:.{INDEX_NOISE_DECIMALS}f}")
    if end in (0.0, 1.0):  # the rest is floating-point rounding, not a difference
        return f"{abs(end):.{decimals}f}"
    if not 0.0 < value < 1.0:
        return _text_past_an_end(value, decimals)
    most = max(decimals, INDEX_DECIMALS_MOST)
    for places in range(decimals, most + 1):
        text = f"{value:.{places}f}"
        if float(text) not in (0.0, 1.0):
            return text
    finest = 10.0**-most
    return f"above {1 - finest:.{most}f}" if value > 0.5 else f"below {finest:.{most}f}"


def _text_past_an_end(value: float, decimals: int) -> str:
    """``value`` below 0 or above 1 (past rounding) in the fewest decimals from ``decimals`` that do not read 0 or 1."""
    for places in range(decimals, INDEX_NOISE_DECIMALS):
        text = f"{value:.{places}f}"
        if float(text) not in (0.0, 1.0):
            return text
    return f"{value:.{max(decimals, INDEX_NOISE_DECIMALS)}f}"


def cap(text: str) -> str:
    """First letter upper case (``the EU ...`` -> ``The EU ...``): a name starting a cell, a title or a sentence."""
    return text[:1].upper() + text[1:]


def in_sentence(name: str) -> str:
    """A material's name inside a sentence: the first letter lowered when its first word is an ordinary word.

    >>> in_sentence("Light rare earths"), in_sentence("NdFeB magnets"), in_sentence("REO")
    ('light rare earths', 'NdFeB magnets', 'REO')
    """
    first = name.split(" ", 1)[0]
    if len(first) > 1 and first[0].isupper() and first[1:].islower():
        return name[:1].lower() + name[1:]
    return name


def _subject(region: str, name: str, labelled: bool) -> str:
    if not labelled and region in _KNOWN_REGIONS:
        return _KNOWN_REGIONS[region][1]
    first = name.split(" ", 1)[0]
    acronym = name.isupper() and name.isalpha() and len(name) <= 5
    return f"the {name}" if acronym or first in _ARTICLE_WORDS else name


def possessive_of(subject: str) -> str:
    """``Japan's``, ``the United States'``: a name with its possessive ending.

    >>> possessive_of("Japan"), possessive_of("the United States")
    ("Japan's", "the United States'")
    """
    return subject + ("'" if subject.endswith("s") else "'s")


@dataclass(frozen=True)
class Names:
    """Display names of one scenario's regions and materials (labels first, then defaults)."""

    region_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels the scenario gives its regions, by id."""
    material_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels the scenario gives its materials, by id."""
    region_ids: frozenset[str] = frozenset()
    """The scenario's region ids: a supplier with one of them is named as that region."""
    supplier_labels: Mapping[str, str] = field(default_factory=dict)
    """Labels the scenario gives its suppliers, by id."""

    @classmethod
    def of(cls, scenario: Any) -> Names:
        """The names of ``scenario`` (a :class:`~simulator.scenario.Scenario`)."""
        return cls(
            {r: spec.label for r, spec in scenario.regions.items() if spec.label},
            {m: spec.label for m, spec in scenario.materials.items() if spec.label},
            frozenset(scenario.regions),
            {s: spec.label for s, spec in scenario.suppliers.items() if spec.label},
        )

    def region(self, region: str) -> str:
        """The region's name as a heading or legend shows it: ``Japan``, ``EU``."""
        return self.region_labels.get(region) or default_region_name(region)

    def subject(self, region: str) -> str:
        """The region inside a sentence: ``Japan``, ``the EU``."""
        return _subject(region, self.region(region), region in self.region_labels)

    def possessive(self, region: str) -> str:
        """``Japan's``, ``the EU's``, ``the United States'``."""
        subject = self.subject(region)
        return possessive_of(subject)

    def supplier(self, supplier: str) -> str:
        """The supplier's name as a legend shows it: ``China``, ``Rest of world``, ``Europe reprocessors``.

        The scenario's label first; then a supplier whose id is a region's is named as that
        region (a country that both ships and consumes: ``south_korea`` is "South Korea" in
        both roles); otherwise its name is made from its id (:func:`default_supplier_name`).

        >>> names = Names({"japan": "Japan (METI)"}, {}, frozenset({"japan", "south_korea"}), {"mp": "MP Materials"})
        >>> names.supplier("japan"), names.supplier("south_korea"), names.supplier("rest_of_world")
        ('Japan (METI)', 'South Korea', 'Rest of world')
        >>> names.supplier("mp")
        'MP Materials'
        """
        if supplier in self.supplier_labels:
            return self.supplier_labels[supplier]
        if supplier in self.region_ids or supplier in self.region_labels:
            return self.region(supplier)
        return default_supplier_name(supplier)

    def supplier_possessive(self, supplier: str) -> str:
        """The supplier's name as :meth:`supplier` gives it, possessive: ``China's``, ``MP Materials'``.

        A supplier named as a region reads as that region does (``the EU's``).

        >>> names = Names({}, {}, frozenset({"eu"}), {"mp": "MP Materials"})
        >>> names.supplier_possessive("rest_of_world"), names.supplier_possessive("mp"), names.supplier_possessive("eu")
        ("Rest of world's", "MP Materials'", "the EU's")
        """
        if supplier not in self.supplier_labels and (supplier in self.region_ids or supplier in self.region_labels):
            return self.possessive(supplier)
        subject = _subject(supplier, self.supplier(supplier), True)
        return possessive_of(subject)

    def material(self, material: str) -> str:
        """The material's name as a heading or legend shows it: ``Light rare earths``."""
        return self.material_labels.get(material) or default_material_name(material)

    def material_text(self, material: str) -> str:
        """The material inside a sentence: ``light rare earths``, ``NdFeB magnets``."""
        return in_sentence(self.material(material))

    def materials_text(self, materials: Iterable[str]) -> str:
        """Materials listed inside a sentence, their shared trailing words once (:func:`shared_words_once`); '' none.

        >>> Names().materials_text(["light_ree", "heavy_ree"]), Names().materials_text(["gallium"])
        ('light and heavy rare earths', 'gallium')
        """
        return join_words(shared_words_once([self.material_text(m) for m in materials]))

    def amounts_text(self, figures: Mapping[str, str], name_as: Callable[[str], str] = str) -> str:
        """Each material's figure (as given: it may be HTML) of it, the names' shared trailing words once.

        ``name_as``: how each name (the words said of it) is written, the figures left as given
        (:meth:`simulator.report.html_names.HtmlNames.amounts_text` escapes them for HTML).

        >>> Names().amounts_text({"light_ree": "2,088 t", "heavy_ree": "57.4 t"})
        '2,088 t of light and 57.4 t of heavy rare earths'
        """
        said = shared_words_once([self.material_text(m) for m in figures])
        return join_words([f"{shown} of {name_as(name)}" for shown, name in zip(figures.values(), said, strict=True)])


AS_WRITTEN = "as written"
"""How the report and the figures beside a run name the run, without ``--set`` changes: the scenario's own values."""
AS_CHANGED = "as changed for this run"
""":data:`AS_WRITTEN` for a run with ``--set`` changes, which the page lists above the verdict
("Changed for this run")."""


RUN_NOUNS = {AS_CHANGED: "this run (as changed)"}
"""How a note names the run as a thing ("median and this run (as changed) 0 throughout"), where :data:`AS_CHANGED`,
an adjective phrase, would not read; :data:`AS_WRITTEN` stands as it is."""
HELD_AS = {AS_CHANGED: "at this run\u2019s values (the scenario\u2019s own, apart from the changes listed at the top)"}
"""The held-fixed inputs' value in a run with ``--set`` changes: one of them may be changed, not all."""


def run_noun(as_run: str) -> str:
    """:data:`RUN_NOUNS`' name of the run for ``as_run`` (:func:`run_words`), else ``as_run`` itself."""
    return RUN_NOUNS.get(as_run, as_run)


def run_words(changed: bool) -> str:
    """How a run is named: :data:`AS_CHANGED` with ``--set`` changes, else :data:`AS_WRITTEN`.

    The one choice of those words: the report's headline
    (:func:`simulator.report.verdict.one_run_headline`), its *How sure are these figures?*
    section (the run's column, the fan charts' captions and legends, the held-fixed row) and
    the fan charts ``stockpile run --uncertainty`` writes take them from here.
    """
    return AS_CHANGED if changed else AS_WRITTEN
