"""Broken YAML told in plain words: where (line and column) and what to change.

Layer: ground.

PyYAML words a broken text as its parser sees it ("while parsing a block mapping ...
expected <block end>, but found '<block mapping start>'"). :func:`plain_words` says the
same as a writer of the file sees it ("this line starts at column 4, which lines up with
nothing above it"), at the place to fix: where a quote or bracket that is never closed
opens, where a line is indented wrongly. A PyYAML error it does not know keeps PyYAML's
own words.

A file that is not UTF-8 text at all (a scenario, a sweep file, a record) is told by
:func:`not_utf8`: its first bad byte, by line and column.
"""

from __future__ import annotations

import re

import yaml
from yaml.error import Mark

_TOKENS = {
    "<stream end>": "the end of the text",
    "<scalar>": "text",
    "?": "a key",
    "-": "a list item ('- ')",
    "<block mapping start>": "a mapping",
    "<block sequence start>": "a list",
    "<document start>": "'---'",
    "<document end>": "'...'",
    "<alias>": "an alias ('*')",
    "<anchor>": "an anchor ('&')",
    "<tag>": "a tag ('!')",
    "<directive>": "a directive ('%')",
}
"""PyYAML's names of the tokens it found, in plain words (others, such as ``]``, are quoted as they are)."""

GLUED_KEY = re.compile(r"([a-z][a-z0-9_]*):(\S.*)")
"""A key and its value written without a space after the colon (``light_ree:15``), which YAML reads as one text."""

_FOUND = re.compile(r"but (?:found|got) '(.+)'$")
_OPENERS = {"]": ("list", "["), "}": ("mapping", "{")}


def plain_words(exc: yaml.YAMLError, text: str) -> str:
    """``line L, column C: what is wrong`` for a PyYAML error in ``text`` (lines and columns from 1).

    Without a place (an error PyYAML gives none for), only what is wrong.

    >>> try:
    ...     yaml.safe_load("a: [1, 2")
    ... except yaml.YAMLError as exc:
    ...     plain_words(exc, "a: [1, 2")
    "line 1, column 4: the list opened with '[' here is never closed with ']'"
    """
    mark, words = _explained(exc, text)
    if mark is None:
        return words
    return f"line {mark.line + 1}, column {mark.column + 1}: {words}"


def _explained(exc: yaml.YAMLError, text: str) -> tuple[Mark | None, str]:
    """Where to point and what to say for ``exc``."""
    if isinstance(exc, yaml.reader.ReaderError):
        return _reader(exc, text)
    problem = str(getattr(exc, "problem", None) or "")
    context = str(getattr(exc, "context", None) or "")
    mark: Mark | None = getattr(exc, "problem_mark", None)
    opened: Mark | None = getattr(exc, "context_mark", None)
    for explain in (_scanner, _flow, _block, _composer):
        said = explain(problem, context, mark, opened, text)
        if said is not None:
            return said
    return mark, problem or str(exc)


Said = tuple[Mark | None, str] | None
"""A place and plain words, or None where an explainer does not know the error."""


def _reader(exc: yaml.reader.ReaderError, text: str) -> tuple[Mark | None, str]:
    """A character YAML forbids (a NUL, a control character): named by code point, placed by line."""
    character = exc.character if isinstance(exc.character, int) else ord(exc.character)
    words = f"the character U+{character:04X} is not allowed in YAML (a control character, not text)"
    if not isinstance(exc.position, int) or not 0 <= exc.position <= len(text):
        return None, words
    before = text[: exc.position]
    line = before.count("\n")
    return Mark("", exc.position, line, exc.position - (before.rfind("\n") + 1), None, None), words


def _scanner(problem: str, context: str, mark: Mark | None, opened: Mark | None, text: str) -> Said:
    """Errors found reading characters: tabs, stray characters, quotes never closed, colons."""
    if "tab character" in problem or problem.startswith("found character '\\t'"):
        return mark, "a tab character; YAML indents with spaces only"
    stray = re.fullmatch(r"found character (.+) that cannot start any token", problem)
    if stray:
        return mark, f"{stray[1]} cannot start a value (YAML reserves it); put the value in quotes"
    if "quoted scalar" in context and ("end of stream" in problem or "document separator" in problem):
        return opened, "the quoted text opened here is never closed"
    escape = re.fullmatch(r"found unknown escape character '(.+)'", problem)
    if escape and mark is not None:
        backslash = Mark("", mark.index - 1, mark.line, mark.column - 1, None, None)
        said = f"'\\{escape[1]}' is not an escape YAML knows in double quotes"
        return backslash, f"{said}: write '\\\\' for a backslash, or use single quotes"
    digits = re.match(r"expected escape sequence of (\d+) hexadecimal numbers", problem)
    if digits:
        said = f"an escape in double quotes needs {digits[1]} hexadecimal digits here"
        return mark, f"{said}: write '\\\\' for a backslash, or use single quotes"
    if problem == "could not find expected ':'" and "simple key" in context:
        if opened is not None and _key_length(opened, text) > MAX_KEY:
            return opened, f"a key longer than {MAX_KEY:,} characters, which YAML does not read; shorten it"
        return opened, _glued(opened.line, text) or "a line with no ':' where a key is expected (write key: value)"
    if problem.startswith("expected alphabetic or numeric character") and ("anchor" in context or "alias" in context):
        sign = "&" if "anchor" in context else "*"
        return opened, f"'{sign}' must be followed by a name here; put a value starting with '{sign}' in quotes"
    if "block scalar" in context and opened is not None:
        sign = _character(opened, text)
        said = f"'{sign}' starts text on the lines below it and must end its line"
        return opened, f"{said}; put a value starting with '{sign}' in quotes"
    if context in ("while scanning a tag", "while parsing a tag"):
        return opened, "'!' starts a tag here; put a value starting with '!' in quotes"
    if "directive" in context:
        return opened, "a line starting with '%' is a YAML directive; put its text in quotes"
    if problem == "mapping values are not allowed here" and mark is not None:
        return _colon(mark, text)
    if problem == "sequence entries are not allowed here":
        return mark, "a list item ('- ') cannot start here; put the list on the lines under its key"
    return None


MAX_KEY = 1024
"""The longest key PyYAML reads (a longer one on one line is "could not find expected ':'")."""


def _key_length(opened: Mark, text: str) -> int:
    """How long the key starting at ``opened`` is, up to the ':' on its line that ends it (0 without one)."""
    lines = text.splitlines()
    line = lines[opened.line] if opened.line < len(lines) else ""
    colon = re.search(r":(\s|$)", line[opened.column :])
    return colon.start() if colon else 0


def _colon(mark: Mark, text: str) -> Said:
    """A ``:`` where no mapping can start: a second ``: `` on a line, or a key indented under a value."""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    before = line[: mark.column]
    if ": " in before or before.rstrip().endswith(":"):
        return mark, "a second ': ' on one line; put a value that holds ': ' in quotes"
    key = Mark("", mark.index, mark.line, len(line) - len(line.lstrip(" ")), None, None)
    above = _content_line_above(mark.line, text)
    if above is not None and ":" not in lines[above]:
        return key, f"line {above + 1} has no ':', so this line continues its text; give line {above + 1} a key"
    if above is not None and (glued := _glued(above, text)):  # its text runs on into this line's key
        return _line_start(above, text), glued
    return key, "this key is indented more than the key above it, which already has a value; line up the keys"


def _content_line_above(line_index: int, text: str) -> int | None:
    """The nearest line (from 0) above ``line_index`` that is neither blank nor a comment, or None."""
    lines = text.splitlines()
    return next(
        (k for k in range(line_index - 1, -1, -1) if lines[k].strip() and not lines[k].lstrip().startswith("#")), None
    )


def _flow(problem: str, context: str, mark: Mark | None, opened: Mark | None, text: str) -> Said:
    """A ``[list]`` or ``{mapping}`` never closed, or an item missing in one."""
    unclosed = re.fullmatch(r"expected ',' or '([\]}])', but got '(.+)'", problem)
    if unclosed and opened is not None:
        kind, opener = _OPENERS[unclosed[1]]
        if unclosed[2] == "<stream end>":
            return opened, f"the {kind} opened with '{opener}' here is never closed with '{unclosed[1]}'"
        where = f"line {opened.line + 1}, column {opened.column + 1}"
        found = _token(unclosed[2])
        return mark, f"{found} before the {kind} opened with '{opener}' at {where} is closed with '{unclosed[1]}'"
    content = re.fullmatch(r"expected the node content, but found '(.+)'", problem)
    if content:
        if content[1] == "<stream end>":  # a '[' or '{' just opened, or just after a ','
            return mark, "the text ends before a '[' or '{' above it is closed"
        if content[1] in _OPENERS:
            return mark, f"a '{content[1]}' with no '{_OPENERS[content[1]][1]}' before it"
        return mark, f"a value is missing before {_token(content[1])}"
    return None


def _block(problem: str, context: str, mark: Mark | None, opened: Mark | None, text: str) -> Said:
    """Indentation: a line that lines up with nothing, a key among list items, a list item among keys."""
    found = _FOUND.search(problem)
    if not problem.startswith("expected <block end>") or not found or mark is None or opened is None:
        if problem.startswith("expected '<document start>'") and found:
            if found[1] == "<stream end>":  # only a directive ('%YAML') can be followed by no document
                return _directive(mark, text), "a line starting with '%' is a YAML directive; put its text in quotes"
            return mark, f"{_token(found[1])} after the end of the document"
        return None
    token = found[1]
    here = f"line {opened.line + 1}"
    if "block mapping" in context:
        what, parts = "mapping", "keys"
    else:
        what, parts = "list", "items"
    if token in ("<block mapping start>", "<block sequence start>"):
        above = _content_line_above(mark.line, text)
        if above is not None and (glued := _glued(above, text)):  # a comment ended its text before this line
            return _line_start(above, text), glued
        return mark, (
            f"this line starts at column {mark.column + 1}, which lines up with nothing above it "
            f"(the {what} from {here} starts its {parts} at column {opened.column + 1})"
        )
    if token in _OPENERS:
        return mark, f"a '{token}' with no '{_OPENERS[token][1]}' before it"
    if what == "list":
        return mark, f"{_token(token)} among the items of the list from {here}; each item starts with '- '"
    if token == "-":
        return mark, f"a list item ('- ') among the keys of the mapping from {here}; give the list a key of its own"
    if token == ":" and _starts_line(mark, text):
        return mark, "a ':' with no key before it"
    if token == "<scalar>" and _starts_line(mark, text):
        return mark, f"a line with no ':' among the keys of the mapping from {here} (write key: value)"
    if token == "<scalar>":
        return mark, "text after the end of a value; put the whole value in quotes"
    return mark, f"{_token(token)} where the mapping from {here} expects a key"


def _composer(problem: str, context: str, mark: Mark | None, opened: Mark | None, text: str) -> Said:
    """Aliases, documents and tags: what the reader cannot make plain data of."""
    alias = re.fullmatch(r"found undefined alias '(.+)'", problem)
    if alias:
        name = alias[1]
        return mark, f"'*{name}' refers to no anchor '&{name}' above it; put a value starting with '*' in quotes"
    if context == "expected a single document in the stream":
        return mark, "a second document starts here; a file holds one"
    anchor = re.match(r"found duplicate anchor '(.+)';", context)
    if anchor and opened is not None and mark is not None:
        return mark, f"the anchor '&{anchor[1]}' is given twice (lines {opened.line + 1} and {mark.line + 1})"
    tag = re.fullmatch(r"could not determine a constructor for the tag '(.+)'", problem)
    if tag:
        shown = tag[1].replace("tag:yaml.org,2002:", "!!")
        return (
            mark,
            f"the tag '{shown}' is not allowed: only plain data is read (text, numbers, dates, lists, mappings)",
        )
    if problem == "found unhashable key":
        return mark, "a list or mapping used as a key; a key is text or a number"
    return None


def _token(name: str) -> str:
    """A token PyYAML names, in plain words."""
    return _TOKENS.get(name, f"'{name}'")


def _directive(mark: Mark, text: str) -> Mark:
    """The last line starting with ``%`` before ``mark`` (``mark`` itself if there is none)."""
    lines = text.splitlines()
    for number in range(min(mark.line, len(lines) - 1), -1, -1):
        if lines[number].startswith("%"):
            return Mark("", -1, number, 0, None, None)
    return mark


def space_after_colon(glued: re.Match[str], opener: str = "", closer: str = "") -> str:
    """What to write for a key glued to its value (a match of :data:`GLUED_KEY`), in a flow mapping's braces or not.

    >>> space_after_colon(GLUED_KEY.fullmatch("seed:7"))
    'YAML needs a space after the colon (seed: 7, not seed:7)'
    """
    name, given = glued.groups()
    return f"YAML needs a space after the colon ({opener}{name}: {given}{closer}, not {opener}{glued[0]}{closer})"


def _glued(line_index: int, text: str) -> str | None:
    """The words for a line of ``text`` (from 0) that is a key glued to its value (``- seed:7  # note``), or None.

    YAML reads such a line as text, not as a key, and complains of what follows; the one cause is said instead.
    """
    lines = text.splitlines()
    line = lines[line_index] if line_index < len(lines) else ""
    written = re.split(r"\s#", line.strip().removeprefix("- ").lstrip(" "), maxsplit=1)[0].rstrip()
    glued = GLUED_KEY.fullmatch(written)
    return f"{written!r} is not a key and its value: {space_after_colon(glued)}" if glued else None


def _line_start(line_index: int, text: str) -> Mark:
    """Where the text of a line (from 0) starts, after its indentation and any ``- `` of a list item."""
    lines = text.splitlines(keepends=True)
    column = len(lines[line_index]) - len(lines[line_index].lstrip(" -"))
    return Mark("", len("".join(lines[:line_index])) + column, line_index, column, None, None)


def _character(mark: Mark, text: str) -> str:
    """The character at ``mark`` (by its index in ``text``)."""
    return text[mark.index] if 0 <= mark.index < len(text) else "?"


def _starts_line(mark: Mark, text: str) -> bool:
    """Whether nothing but spaces comes before ``mark`` on its line."""
    lines = text.splitlines()
    return mark.line < len(lines) and not lines[mark.line][: mark.column].strip()


def not_utf8(exc: UnicodeDecodeError) -> str:
    """A file that is not UTF-8 text: the first bad byte, by line and column, and what to do.

    >>> try:
    ...     (b"name: caf" + bytes([0xE9])).decode("utf-8")
    ... except UnicodeDecodeError as exc:
    ...     not_utf8(exc)
    'not UTF-8 text: byte 0xE9 at line 1, column 10; save the file as UTF-8'
    """
    data = bytes(exc.object)
    before = data[: exc.start]
    line_start = before.rfind(b"\n") + 1
    column = len(before[line_start:].decode("utf-8", errors="replace")) + 1
    line = before.count(b"\n") + 1
    return f"not UTF-8 text: byte 0x{data[exc.start]:02X} at line {line}, column {column}; save the file as UTF-8"


PERCENT_TEXT = re.compile(r"([-+]?(\d+\.?\d*|\.\d+))\s*%")
"""A percentage (``60%``, ``12.5 %``): text to YAML, quoted or not."""


WEIGHT_MOST = 10
"""A member's ratio given as a whole number from 2 to this may be a weight (``japan: 2`` for 2:1) as much as a
percentage: :func:`share_hint` then says how to write either."""


def share_hint(value: object, weights: bool = False) -> str:
    """How to write a share given as a percentage: ``60%`` or ``60`` -> `` (a share: 60% is 0.6)``; else ''.

    A number from 2 to 100 is taken for a percentage (1.2 may be a typo of 0.12 or of 1); a percentage written
    out, from 0% to 100% (``150%`` or ``-5%`` is no share: not told it is 1.5 or -0.05). With ``weights`` (the
    value is a member's ``agreement.ratio``), a whole number from 2 to :data:`WEIGHT_MOST` may as well be a weight
    (2 for 2:1): the hint says what to write for either.

    >>> share_hint("60%"), share_hint(" 12.5 %"), share_hint(60), share_hint(1.2), share_hint("abc"), share_hint(True)
    (' (a share: 60% is 0.6)', ' (a share: 12.5% is 0.125)', ' (a share: 60% is 0.6)', '', '', '')
    >>> share_hint("0%"), share_hint("100%"), share_hint("150%"), share_hint("-5%")
    (' (a share: 0% is 0)', ' (a share: 100% is 1)', '', '')
    >>> share_hint(2, weights=True)
    ' (a share between 0 and 1: for 2% write 0.02; for weights, give each member its share of their sum)'
    >>> share_hint(2), share_hint(2.5, weights=True), share_hint(60, weights=True), share_hint("2%", weights=True)
    (' (a share: 2% is 0.02)', ' (a share: 2.5% is 0.025)', ' (a share: 60% is 0.6)', ' (a share: 2% is 0.02)')
    """
    if isinstance(value, str) and (percent := PERCENT_TEXT.fullmatch(value.strip())):
        number = float(percent[1])
        if not 0 <= number <= 100:
            return ""
    elif isinstance(value, int | float) and not isinstance(value, bool) and 2 <= value <= 100:
        number = float(value)
        if weights and number <= WEIGHT_MOST and number.is_integer():
            return (
                f" (a share between 0 and 1: for {number:g}% write {number / 100:g}; for weights, give each member "
                "its share of their sum)"
            )
    else:
        return ""
    return f" (a share: {number:g}% is {number / 100:g})"
