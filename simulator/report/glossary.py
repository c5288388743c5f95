"""Abbreviations a policy reader may not know, explained in words where the report first uses them.

Layer: studies.

The report's text comes partly from the scenario's own prose (its key assumptions, sources and
descriptions) and from the release rules' descriptions, which use the abbreviations of the field
(``REO``, ``REE``, ``FOB China``, the ``KAS–NPI`` policy paper, ministries and agencies).
:func:`explained_at_first_use` adds the words after the first use of each in the report's text, wherever it
falls, and leaves the later
uses as they are. Markup, code, figures and the page's head are not text a reader reads as prose:
nothing is added inside them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["GLOSSARY", "Term", "explained_at_first_use"]


@dataclass(frozen=True)
class Term:
    """An abbreviation (``pattern``, a regular expression over the text) and what it means (``meaning``, HTML).

    ``topic``: terms of one topic are explained once between them, at the first use of any (the
    policy paper is named either way); '' for a term of its own.
    """

    pattern: str
    meaning: str
    topic: str = ""


PAPER = (
    "the 2024 proposal of an EU\u2013Japan critical raw materials alliance by two think tanks, the "
    "Konrad-Adenauer-Stiftung and the Nakasone Peace Institute, on which this model is built"
)
"""What the KAS\u2013NPI policy paper is."""

GLOSSARY = (
    Term(r"KAS[\u2013-]NPI(?: policy paper)?", PAPER, topic="paper"),
    Term(  # the rule it proposed: the words after the rule, of the paper
        r"\b[Tt]he policy paper(?:&#x27;|'|\u2019)s [a-z]+ rule\b",
        f"the paper, KAS\u2013NPI's: {PAPER}",
        topic="paper",
    ),
    Term(r"\b[Tt]he policy paper\b(?!&#x27;|'|\u2019)", f"KAS\u2013NPI's, {PAPER}", topic="paper"),
    Term(r"\bREO\b", "rare-earth oxide: tonnes counted as oxide, the form in which rare earths are traded"),
    Term(r"\bREEs?\b", "rare-earth elements"),
    Term(r"\bFOB\b(?: [A-Z][a-z]+)?", "free on board: the price at the seller's port, before freight and insurance"),
    Term(r"\bMETI\b", "Japan's Ministry of Economy, Trade and Industry"),
    Term(r"\bMOFCOM\b", "China's Ministry of Commerce, which licenses exports"),
    Term(r"\bMIIT\b", "China's Ministry of Industry and Information Technology"),
    Term(r"\bJOGMEC\b", "Japan Organization for Metals and Energy Security, Japan's state agency for metals"),
    Term(r"\bIEA\b", "International Energy Agency"),
    Term(r"\bUSGS\b", "United States Geological Survey"),
    Term(r"\bFCC\b", "fluid catalytic cracking, the oil refineries' process whose catalysts use lanthanum"),
)
"""The terms explained, in the order they are looked for."""

SKIPPED = frozenset({"head", "header", "style", "script", "svg", "code", "title"})
"""Elements whose content is not prose (or not shown), and the page's header (its title and the line under it,
which name the run as the tool does): no explanation is added inside them."""

_TAG = re.compile(r"(<[^>]*>)")
_NAME = re.compile(r"<\s*(/?)\s*([A-Za-z][A-Za-z0-9-]*)")


_POSSESSIVE = re.compile(r"(?:&#x27;|'|\u2019)s\b")
"""A possessive ending as the page writes it (the scenario's apostrophes escaped, ``&#x27;``)."""


def _explained(match: re.Match[str], term: Term, text: str) -> tuple[str, int]:
    """The term with its meaning after it, and where in ``text`` the words so explained end.

    After a comma inside a bracket that closes right after it, else bracketed: ``(FOB China)`` becomes
    ``(FOB China, free on board: ...)``, not a bracket inside a bracket. A possessive keeps its ending on
    the term, the meaning after it: ``JOGMEC's (Japan Organization ...) stockpile``, not ``JOGMEC (...)'s``.
    """
    possessive = _POSSESSIVE.match(text, match.end())
    said = match.group(0) + possessive.group(0) if possessive else match.group(0)
    end = possessive.end() if possessive else match.end()
    closes = text[end : end + 1] == ")"
    return (f"{said}, {term.meaning}" if closes else f"{said} ({term.meaning})"), end


def explained_at_first_use(html: str, glossary: tuple[Term, ...] = GLOSSARY) -> str:
    r"""``html`` with the meaning of each term of ``glossary`` added after its first use in the text.

    Only text outside tags and outside :data:`SKIPPED` elements counts as a use; a term never used is
    not explained.

    >>> explained_at_first_use('<p>Tonnes of REO.</p><code>REO</code><p>More REO (FOB China).</p>',
    ...                        (Term(r"\bREO\b", "oxide"), Term(r"\bFOB\b(?: [A-Z][a-z]+)?", "at port")))
    '<p>Tonnes of REO (oxide).</p><code>REO</code><p>More REO (FOB China, at port).</p>'
    >>> explained_at_first_use("<p>METI&#x27;s estimate</p>", (Term(r"\bMETI\b", "a ministry"),))
    '<p>METI&#x27;s (a ministry) estimate</p>'
    """
    left = list(glossary)
    skipped = 0
    pieces = _TAG.split(html)
    for i, piece in enumerate(pieces):
        if not left:
            break
        if i % 2:  # a tag
            name = _NAME.match(piece)
            if name and name.group(2).lower() in SKIPPED and not piece.endswith("/>"):
                skipped += -1 if name.group(1) else 1
            continue
        if skipped > 0 or not piece.strip():
            continue
        for term in list(left):
            if term not in left:  # explained already, under another term of its topic
                continue
            match = re.search(term.pattern, piece)
            if match is None:
                continue
            explained, end = _explained(match, term, piece)
            piece = piece[: match.start()] + explained + piece[end:]
            left = [other for other in left if other is not term and (not term.topic or other.topic != term.topic)]
        pieces[i] = piece
    return "".join(pieces)
