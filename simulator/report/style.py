"""The report's stylesheet (system fonts only, a calm screen layout, A4 print rules); table captions, scroll boxes.

Layer: studies.
"""

CSS = """\
:root { --ink: #1d2733; --muted: #5d6975; --rule: #d8dee5; --accent: #1f5fa6; --band: #f3f6f9; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans",
  "Liberation Sans", sans-serif; }
.page { max-width: 1040px; margin: 24px auto; padding: 36px 48px 28px; background: #fff;
  box-shadow: 0 1px 4px rgba(0, 0, 0, .08); }
header { border-bottom: 3px solid var(--accent); padding-bottom: 8px; margin-bottom: 8px; }
.sub { margin: 0; color: var(--muted); font-size: 14px; }
.kicker { margin: 0; color: var(--accent); font-size: 12px; font-weight: 600; letter-spacing: .08em;
  text-transform: uppercase; }
h1 { margin: 2px 0 4px; font-size: 28px; line-height: 1.2; overflow-wrap: anywhere; }
h2 { margin: 30px 0 10px; padding-bottom: 4px; font-size: 20px; border-bottom: 1px solid var(--rule);
  break-after: avoid; page-break-after: avoid; }
h3 { margin: 18px 0 6px; font-size: 16px; break-after: avoid; page-break-after: avoid; }
p { margin: 6px 0 10px; }
.lede { font-size: 16px; color: #2c3a48; max-width: 60em; }
.note, figcaption, small { color: var(--muted); }
.note { font-size: 13px; }
dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 10px 0 0;
  font-size: 13px; }
dl.meta dt { color: var(--muted); }
dl.meta dd { margin: 0; }
ul.findings { padding-left: 20px; }
ul.findings li { margin-bottom: 6px; }
ul.compare { background: var(--band); border-left: 4px solid var(--accent); padding: 10px 12px 10px 30px; }
.overall { font-weight: 600; }
.region-findings { break-inside: avoid; page-break-inside: avoid; }
.region-findings ul { margin: 0 0 8px; padding-left: 20px; }
.num { font-variant-numeric: tabular-nums; }
figure { margin: 14px 0 18px; break-inside: avoid; page-break-inside: avoid; }
figure svg { display: block; width: 100%; height: auto; }
figure svg.chart { max-width: 820px; margin: 0 auto; }
figure svg.timeline { max-width: 640px; margin: 0 auto; }
figcaption { font-size: 12.5px; margin-top: 4px; }
table { width: 100%; border-collapse: collapse; margin: 10px 0 16px; font-size: 13px;
  font-variant-numeric: tabular-nums; break-inside: avoid; page-break-inside: avoid; }
caption { text-align: left; font-weight: 700; font-size: 15px; padding: 4px 0 6px; }
caption .role { font-weight: 400; font-size: 12px; color: var(--muted); margin-left: 6px; }
caption.minor { font-size: 13px; font-weight: 400; color: var(--muted); padding: 0 0 4px; }
.visually-hidden { position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden;
  clip: rect(0 0 0 0); clip-path: inset(50%); white-space: nowrap; border: 0; }
th, td { padding: 4px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
thead th, thead td { background: var(--band); border-bottom: 2px solid #b9c3ce; text-align: right; font-weight: 600; }
thead th:first-child, tbody th { text-align: left; }
thead th[colspan] { text-align: center; }
table.comparison thead th:nth-child(2) { text-align: left; }
tbody th { font-weight: 500; }
td { text-align: right; }
td.text, td.source, td.name { text-align: left; }
td.source { font-size: 12px; color: #3b4754; overflow-wrap: anywhere; word-break: break-word; }
td.n { color: var(--muted); }
tr.key th, tr.key td { font-weight: 600; }
table.member tbody th { width: 34%; }
table.shocks td, table.shocks th { text-align: left; }
table.assumptions, table.shocks { break-inside: auto; page-break-inside: auto; }
table.shocks td.text { font-size: 12px; color: #3b4754; }
table.bids td, table.bids th, table.assumptions th { text-align: left; }
table.assumptions td.n { width: 2em; }
table.assumptions td.text:not(.source) { width: 58%; }
table.comparison tbody th { vertical-align: middle; }
table.releases td:nth-child(2), table.releases thead th:nth-child(2) { text-align: left; }
table.ledger thead th:nth-child(2) { text-align: left; }
table.releases.by-member :is(td, thead th):nth-child(2) { text-align: right; }
table.comparison td.material { text-align: left; white-space: nowrap; }
table.comparison caption { font-size: 13px; font-weight: 400; color: var(--muted); }
table.shocks td.when { white-space: nowrap; }
aside.changes { background: #fff8e6; border-left: 4px solid #e9a03b; padding: 6px 12px; margin: 10px 0;
  font-size: 13px; }
aside.changes ul { margin: 2px 0 4px; padding-left: 18px; }
aside.changes code { overflow-wrap: anywhere; }
table.uncertain-inputs { table-layout: fixed; }
table.uncertain-inputs th:nth-child(1) { width: 36%; }
table.uncertain-inputs th:nth-child(2) { width: 13%; }
table.uncertain-inputs th:nth-child(3) { width: 17%; }
table.uncertain-inputs td, table.uncertain-inputs code.source { overflow-wrap: anywhere; }
section.verdict { background: var(--band); border: 1px solid #c9d6e3; border-left: 5px solid var(--accent);
  padding: 2px 16px 6px; margin: 12px 0 8px; break-inside: avoid; page-break-inside: avoid; }
section.verdict h2 { margin: 8px 0 4px; font-size: 19px; border: 0; padding: 0; }
section.verdict h2 .when { display: block; font-size: 12.5px; font-weight: 400; color: var(--muted); }
p.headline { font-size: 17px; font-weight: 600; margin: 4px 0 4px; }
p.headline .detail, .overall .detail { font-weight: 400; }
p.headline .detail { font-size: 15px; }
p.headline { line-height: 1.35; }
p.cost, p.prices-line { font-size: 14px; margin: 4px 0 8px; }
table.verdict { margin: 6px 0 4px; background: #fff; }
table.verdict thead th { text-align: left; }
table.verdict td { text-align: left; }
table.verdict td.net { font-weight: 700; white-space: nowrap; }
table.verdict .money { white-space: nowrap; }
table.robust { margin: 4px 0 2px; background: #fff; }
table.robust caption { font-size: 13px; font-weight: 400; color: var(--muted); padding: 0 0 4px; }
table.robust thead th { text-align: left; font-size: 12.5px; }
table.robust td { text-align: left; }
table.robust td.size { min-width: 12.5em; }
p.robust-note { margin: 2px 0 8px; }
.scroll { overflow-x: auto; }
.scroll[tabindex]:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
p.empty { color: var(--muted); font-style: italic; }
footer { margin-top: 28px; padding-top: 10px; border-top: 1px solid var(--rule); font-size: 12px;
  color: var(--muted); }
@page { size: A4; margin: 15mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  .page { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  h1 { font-size: 20pt; }
  h2 { font-size: 14pt; margin-top: 18pt; }
  table { font-size: 8.5pt; }
  td.source, table.shocks td.text { font-size: 7.5pt; }
  section { break-before: auto; }
  #curves, #regions, #rule, #assumptions { break-before: page; page-break-before: always; }
  tr, li { break-inside: avoid; page-break-inside: avoid; }
}
@media (max-width: 700px) {
  .page { padding: 14px; margin: 0; }
  h1 { font-size: 22px; }
  section.verdict { padding: 2px 10px 6px; }
  p.headline { font-size: 16px; }
  dl.meta { grid-template-columns: 1fr; }
  dl.meta dd { margin-bottom: 4px; }
  table { display: block; overflow-x: auto; }
  .scroll > table { display: table; min-width: 600px; }
  .scroll > table.member { min-width: 0; }
  figure svg, figure img { max-width: 100%; height: auto; }
}
@media screen and (max-width: 700px) {
  /* tables of prose (shocks, assumptions, uncertain inputs): each row a card, each cell a line
     under its column's name, so that no column is squeezed to a few words a line */
  table:is(.shocks, .assumptions, .uncertain-inputs), .scroll > table.uncertain-inputs,
  table:is(.shocks, .assumptions, .uncertain-inputs) :is(tbody, tr, td) {
    display: block; width: auto; min-width: 0; }
  table:is(.shocks, .assumptions, .uncertain-inputs) { table-layout: auto; overflow: visible; }
  table:is(.shocks, .assumptions, .uncertain-inputs) thead {
    position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table:is(.shocks, .assumptions, .uncertain-inputs) tr { border-bottom: 2px solid var(--rule); padding: 6px 0; }
  table:is(.shocks, .assumptions, .uncertain-inputs) td, table.assumptions td.text:not(.source),
  table.shocks td.when { border: 0; padding: 1px 0; text-align: left; width: auto; white-space: normal; }
  table:is(.shocks, .assumptions, .uncertain-inputs) td[data-label]::before {
    content: attr(data-label) ": "; font-weight: 600; color: var(--muted); font-size: 12px; }
  table.assumptions td.n, table.assumptions td.text:not(.source) { display: inline; }
  table.assumptions td.n { font-weight: 600; margin-right: 5px; }
  table.assumptions td.source { margin-top: 2px; }
  table.assumptions td.n::after { content: "."; }
  table.uncertain-inputs td:first-child::before { content: none; }
  /* the robustness table: a card per member, its name on top, each count a line under its column's name */
  table.robust, table.robust :is(tbody, tr, th, td) { display: block; width: auto; min-width: 0; }
  table.robust { overflow: visible; }
  table.robust caption { display: block; }
  table.robust thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.robust tr { border-bottom: 2px solid var(--rule); padding: 4px 8px; }
  table.robust :is(th, td) { border: 0; padding: 1px 0; min-width: 0; }
  table.robust tbody th { font-weight: 600; }
  table.robust td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted);
    font-size: 12px; }
  table.robust td br { display: none; }
  table.robust td small::before { content: " ("; }
  table.robust td small::after { content: ")"; }
  table.uncertain-inputs td:first-child { font-weight: 600; }
  table.uncertain-inputs td:first-child code { font-weight: 400; }
  table.uncertain-inputs td:nth-child(2), table.uncertain-inputs td:nth-child(3) {
    display: inline-block; margin-right: 14px; vertical-align: top; }
  th, td { padding: 4px 6px; }
  /* a table that scrolls in its own box shows a shadow at an edge with more beyond it */
  table:not(.shocks, .assumptions, .uncertain-inputs, .robust, .scroll > *), .scroll:has(> table.member) { background:
    linear-gradient(to right, #fff 30%, rgba(255, 255, 255, 0)) left / 24px 100% no-repeat local,
    linear-gradient(to left, #fff 30%, rgba(255, 255, 255, 0)) right / 24px 100% no-repeat local,
    radial-gradient(farthest-side at 0 50%, rgba(0, 0, 0, .35), transparent) left / 12px 100% no-repeat scroll,
    radial-gradient(farthest-side at 100% 50%, rgba(0, 0, 0, .35), transparent) right / 12px 100% no-repeat scroll; }
}
@media screen and (max-width: 700px) {
  /* a table that keeps 600 px (above) in a column about as wide or narrower says how to scroll it, with a finger
     or with the keys of a box that takes the focus (scroll_region) */
  .scroll:has(> table:not(.uncertain-inputs, .member))::before {
    content: "Wide table: scroll it sideways (swipe, or Tab to it and use the arrow keys) \\2192"; display: block;
    font-size: 12px; color: var(--accent); margin-bottom: -6px; }
}
@media print {
  /* paper does not scroll: a table is as wide as the text (A4's 180 mm is under the 700 px above), its cells a little
     closer, and one with a column per member turns over beyond a few members (rule.MEMBER_COLUMNS) */
  .scroll { overflow: visible; }
  table, .scroll > table { display: table; min-width: 0; overflow: visible; }
  th, td { padding: 3px 5px; }
  /* eight columns or more (the auctions' two a member, the ledger's eleven): smaller, to fit the 180 mm */
  table:has(> thead > tr > th:nth-child(8)) { font-size: 7.5pt; }
  table:has(> thead > tr > th:nth-child(8)) :is(th, td) { padding: 3px; }
}
"""


def caption(text: str, hidden: bool = False) -> str:
    """A table's ``<caption>``: ``text`` (HTML), its name, which a screen reader says as it enters the table.

    ``hidden``: shown to no one who sees the page (``.visually-hidden``), where a heading right above already names
    the table; else a small line over it (``caption.minor``).
    """
    return f'<caption class="{"visually-hidden" if hidden else "minor"}">{text}</caption>'


def scroll_region(table: str, name: str) -> str:
    """``table`` (HTML) in the box it scrolls sideways in on a narrow screen (the CSS's ``.scroll``).

    ``name``: the table's name, escaped for HTML (a region's, as :class:`~simulator.report.html_names.HtmlNames`
    gives it). The box is a named region that takes the keyboard's focus (``tabindex="0"``), so that a reader
    without a pointer can scroll it with the arrow keys; the table inside keeps its display, and with it what a
    screen reader says of its rows and columns (a table shown as a block loses that in some of them).
    """
    return f'<div class="scroll" role="region" aria-label="{name}" tabindex="0">{table}</div>'
