"""The scenario's own text as the report page shows it: escaped for HTML once, here.

Layer: studies.

Region and material labels, the scenario's name and description, the shocks (their ids,
targets and descriptions), the assumptions, what a material's tonnes count (``tonnes_of``)
and the end uses of auction bids come from the scenario file, which anyone may write. The
report's writers take them only from an :class:`HtmlNames`, made once per run where the
report starts (:meth:`simulator.report.findings.Run.of`), whose every value is already
escaped by :func:`html.escape` (``&``, ``<``, ``>``, ``"`` and ``'``): it goes as it is into
the text of a sentence, a table cell or an attribute in double quotes, and a writer never
escapes a name itself. A sentence that forgets to escape a name cannot exist: there is no
unescaped name to forget.

The report's own words around a name (``'s`` of a possessive, "all regions") are not
scenario text and are left as written.

>>> from simulator.names import Names, possessive_of
>>> names = HtmlNames(Names({"japan": "<b>J&J</b>"}, {"ree": "R&D"}))
>>> names.region("japan"), names.possessive("japan"), names.material_text("ree"), names.region("eu")
('&lt;b&gt;J&amp;J&lt;/b&gt;', "&lt;b&gt;J&amp;J&lt;/b&gt;'s", 'R&amp;D', 'EU')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape
from types import MappingProxyType

from simulator.names import Names, possessive_of
from simulator.plots import shock_target
from simulator.results import Result


def _frozen(items: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(items))


@dataclass(frozen=True)
class HtmlNames:
    """One run's names and scenario text, each escaped for HTML (text and double-quoted attributes)."""

    _plain: Names = field(repr=False)
    """The names as written (labels, or names made from ids): kept inside, given out only escaped."""
    scenario: str = ""
    """The scenario's name."""
    description: str = ""
    """The scenario's description ("" without one)."""
    tonnes_of: Mapping[str, str] = field(default_factory=dict)
    """What a material's tonnes count (``oxide``), by material id; materials that do not say are missing."""
    shock_ids: tuple[str, ...] = ()
    """Each shock's id, in the scenario's order."""
    shock_targets: tuple[str, ...] = ()
    """Who each shock acts on, materials included (:func:`simulator.plots.shock_target`)."""
    shock_descriptions: tuple[str, ...] = ()
    """What happened, with sources: each shock's description."""
    assumptions: tuple[tuple[str, str], ...] = ()
    """The scenario's key assumptions: (statement, source), a source "" when none is given."""
    end_uses: Mapping[tuple[str, str], tuple[str, ...]] = field(default_factory=dict)
    """The end use of each price segment of a member's auction bids, by (member, material)."""

    @classmethod
    def of(cls, result: Result) -> HtmlNames:
        """The names and text of ``result``'s scenario, escaped."""
        s = result.scenario
        auction = s.agreement.auction if s.agreement is not None else None
        bids = auction.bids if auction is not None else {}
        return cls(
            Names.of(s),
            escape(s.name),
            escape(s.description),
            _frozen({m: escape(spec.tonnes_of) for m, spec in s.materials.items() if spec.tonnes_of}),
            tuple(escape(str(shock.id)) for shock in s.shocks),
            tuple(escape(shock_target(result, k)) for k in range(len(s.shocks))),
            tuple(escape(shock.description) for shock in s.shocks),
            tuple((escape(a.statement), escape(a.source)) for a in s.assumptions),
            MappingProxyType(
                {
                    (member, material): tuple(escape(segment.end_use) for segment in segments)
                    for member, by_material in bids.items()
                    for material, segments in by_material.items()
                }
            ),
        )

    def region(self, region: str) -> str:
        """The region's name as a heading shows it: ``Japan``, ``EU``."""
        return escape(self._plain.region(region))

    def subject(self, region: str) -> str:
        """The region inside a sentence: ``Japan``, ``the EU``."""
        return escape(self._plain.subject(region))

    def possessive(self, region: str) -> str:
        """``Japan's``, ``the EU's``, ``the United States'`` (the apostrophe is the report's own)."""
        subject = self._plain.subject(region)
        return escape(subject) + possessive_of(subject).removeprefix(subject)  # the ending of the raw name

    def supplier(self, supplier: str) -> str:
        """The supplier's name: ``China``, ``Europe reprocessors``."""
        return escape(self._plain.supplier(supplier))

    def material(self, material: str) -> str:
        """The material's name as a heading shows it: ``Light rare earths``."""
        return escape(self._plain.material(material))

    def material_text(self, material: str) -> str:
        """The material inside a sentence: ``light rare earths``, ``NdFeB magnets``."""
        return escape(self._plain.material_text(material))

    def materials_text(self, materials: Iterable[str]) -> str:
        """Materials listed inside a sentence, their shared words once: ``light and heavy rare earths`` ('' none)."""
        return escape(self._plain.materials_text(materials))

    def amounts_text(self, figures: Mapping[str, str]) -> str:
        """:meth:`Names.amounts_text` with the names escaped (the figures are HTML already)."""
        return self._plain.amounts_text(figures, escape)
