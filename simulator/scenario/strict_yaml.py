"""Reading YAML text strictly, so that a file means one thing.

Layer: ground.

On top of PyYAML's safe loader (plain data only, never Python objects):

- a key given twice in one mapping is an error (YAML says keys are unique; PyYAML
  would silently keep the last one);
- more than :data:`MAX_DEPTH` lists or mappings nested in one another is an error (a
  scenario needs seven; PyYAML would hit Python's recursion limit);
- an integer written with more than :data:`MAX_INTEGER_DIGITS` digits is an error
  (no field holds one, and Python refuses to read very long ones);
- a value tagged ``!!int`` or ``!!float`` that is not one is an error, and so is a number
  too large for a float (``1e400``, which would read as infinity; ``.inf`` is infinity);
- numbers in exponent form (``1e3``, ``2.5E-4``) are numbers, as in YAML 1.2
  (PyYAML's YAML 1.1 rules read them as text);
- a plain base-60 number (``12:10``, 730 in YAML 1.1) or integer with a leading zero
  (``017``, octal 15) is an error: YAML 1.2 and people read them otherwise;
- a text whose aliases stand for more than :data:`MAX_EXPANDED_VALUES` values is an error;
- a date-like value that is not a real date (``2010-13-01``) is kept as text, so that
  the schema rejects it at its field with "not a valid date" (and a description may
  still say ``2010-13-01``).

Problems name the field path and the line, and every problem of a text is reported
at once.

Two readers share these rules. libyaml (PyYAML's C reader, when installed) reads a text
first, about ten times faster; any text it finds a problem in, or cannot read, is read
again by the pure-Python reader, which tracks field paths, so messages do not depend on
which reader ran.
"""

from __future__ import annotations

import math
import re
from collections.abc import Hashable
from typing import Any

import yaml
from yaml.error import Mark
from yaml.events import MappingStartEvent, SequenceStartEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from simulator.errors import InputError, Problem
from simulator.scenario.yaml_messages import plain_words

MAX_DEPTH = 32
"""Most lists and mappings nested in one another (a scenario needs seven)."""
MAX_INTEGER_DIGITS = 30
"""Most characters in a written integer (the largest field, ``seed``, needs ten)."""

MAX_EXPANDED_VALUES = 1_000_000
"""Most values (scalars, lists, mappings) a text may stand for once its aliases (``*a``) are
expanded: an alias repeats its anchor's value without copying it, so nine nested lists of
nine aliases each (a line of text) stand for 387 million values, which printing or
validating them would expand ("billion laughs")."""

_BOOL_TAG = "tag:yaml.org,2002:bool"
_MERGE_TAG = "tag:yaml.org,2002:merge"


def _label(index: Any) -> str | None:
    """Path segment of a child: its key (a scalar key node) or its list position."""
    if isinstance(index, ScalarNode):
        return str(index.value)
    if isinstance(index, int):
        return str(index)
    return None  # the document itself, or a key being composed


class _TooDeep(yaml.YAMLError):
    """Nesting past :data:`MAX_DEPTH`: composing stops at once."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem


class _StrictConstruction:
    """What both readers construct strictly: unique keys, bounded integers, real numbers and dates.

    A mix-in for a PyYAML loader; problems are recorded in ``self.problems``, not raised.
    """

    problems: list[tuple[int, int, Problem]]  # (line, column, problem): sorted for the reader

    def _problem(self, node: Node, message: str, path: str | None = None) -> None:
        mark = node.start_mark
        path = getattr(node, "field_path", "") if path is None else path
        self.problems.append((mark.line, mark.column, Problem(path, message)))

    def construct_mapping(self, node: Node, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key given twice is recorded as a problem (merged keys may be overridden).

        So is a number split at the commas between its thousands (:meth:`_without_split_numbers`).
        """
        if isinstance(node, MappingNode):
            pairs = self._without_split_numbers(node)
            if len(pairs) < len(node.value):
                node = MappingNode(node.tag, pairs, node.start_mark, node.end_mark, flow_style=node.flow_style)
            first: dict[Any, Mark] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE_TAG or not isinstance(key_node, ScalarNode):
                    continue
                if key_node.tag == _BOOL_TAG and not key_node.style:  # no: Norway, on: a field (plain, unquoted)
                    path = ".".join(p for p in (getattr(node, "field_path", ""), key_node.value) if p)
                    self._problem(
                        key_node,
                        f"YAML reads the key {key_node.value} as {str(self.construct_object(key_node)).lower()}; "
                        f"write '{key_node.value}' in quotes to use it as a name ({_line(key_node)})",
                        path,
                    )
                    continue
                key = self.construct_object(key_node)
                if not isinstance(key, Hashable):
                    continue  # the safe loader reports it
                if key in first:
                    path = ".".join(p for p in (getattr(node, "field_path", ""), str(key)) if p)
                    self._problem(key_node, f"key given twice ({_where(first[key], key_node.start_mark)})", path)
                else:
                    first[key] = key_node.start_mark
        return super().construct_mapping(node, deep=deep)

    def _without_split_numbers(self, node: MappingNode) -> list[tuple[Node, Node]]:
        """``node``'s pairs but those that are a number's thousands, each such number recorded as a problem.

        In braces a comma ends a value: ``{tonnes: 1,000}`` is ``tonnes: 1`` and a key ``000`` with no
        value (an octal number in YAML 1.1). A plain value of up to three digits followed, with no
        space, by a comma and a key of three digits (with no value) is such a number. One comma is said
        as read (``1 and a key 000``); more are said as splitting the number (``1,000,000.5``: three keys).
        """
        if not node.flow_style:  # (a block mapping's comma is in its value)
            return node.value
        kept = []
        i = 0
        while i < len(node.value):
            key_node, value_node = node.value[i]
            kept.append((key_node, value_node))
            parts = [value_node]
            i += 1
            while _is_plain(value_node, _LEADING_DIGITS) and i < len(node.value) and _continues(parts, node.value[i]):
                parts.append(node.value[i][0])
                i += 1
            if len(parts) > 1:
                written = ",".join(part.value for part in parts)
                read = (
                    f"is read as {value_node.value} and a key {parts[1].value}"
                    if len(parts) == 2
                    else "is split at its commas"
                )
                message = (
                    f"'{written}' in braces {read} (a comma ends a value there): write {written.replace(',', '')}, "
                    f"without the commas ({_line(value_node)})"
                )
                self._problem(value_node, message)
        return kept

    def construct_yaml_int(self, node: Node) -> int:
        """An integer, unless it is too long to be any field's value or is not one."""
        text = str(node.value).replace("_", "").lstrip("+-")
        if len(text) > MAX_INTEGER_DIGITS:
            self._problem(node, f"an integer of {len(text):,} digits is too large ({_line(node)})")
            return 0
        try:
            value = super().construct_yaml_int(node)
        except (ValueError, IndexError):
            self._problem(node, f"'{shortened(node.value)}' is not an integer ({_line(node)})")
            return 0
        if not node.style:  # written plainly (a quoted value tagged !!int is as meant)
            surprise = _yaml11_surprise(str(node.value), value)
            if surprise:
                self._problem(node, f"{surprise} ({_line(node)})")
        return value

    def construct_yaml_float(self, node: Node) -> float:
        """A float, or a problem when a value tagged ``!!float`` is not a number."""
        try:
            value = super().construct_yaml_float(node)
        except (ValueError, IndexError):
            self._problem(node, f"'{shortened(node.value)}' is not a number ({_line(node)})")
            return 0.0
        if ":" in str(node.value):  # a float has no octal form
            self._problem(node, f"{_yaml11_surprise(str(node.value), value)} ({_line(node)})")
        elif math.isinf(value) and "inf" not in str(node.value).lower():  # 1e400, not .inf
            why = "is too large for a number (it would read as infinity)"
            self._problem(node, f"{shortened(str(node.value))} {why} ({_line(node)})")
        return value

    def construct_yaml_timestamp(self, node: Node) -> Any:
        """A date or time; text when it is not a real one (the schema names the field)."""
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, AttributeError, OverflowError):
            return str(node.value)


class _StrictLoader(_StrictConstruction, yaml.SafeLoader):
    """The careful reader: PyYAML's pure-Python composer, which tracks field paths.

    It stops at :data:`MAX_DEPTH`; every problem is reported with its path and line.
    """

    def __init__(self, stream: str, prefix: str) -> None:
        super().__init__(stream)
        self.labels: list[str | None] = [prefix or None]
        self.problems = []

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        """Compose a node, remembering its field path; refuse nesting past :data:`MAX_DEPTH`."""
        if len(self.labels) > MAX_DEPTH and self.check_event(SequenceStartEvent, MappingStartEvent):
            line = self.peek_event().start_mark.line + 1
            path = ".".join(label for label in self.labels if label is not None)
            raise _TooDeep(Problem(path, f"more than {MAX_DEPTH} nested lists or mappings (line {line})"))
        self.labels.append(_label(index))
        try:
            node = super().compose_node(parent, index)
            if not hasattr(node, "field_path"):  # an alias keeps the path of its anchor
                node.field_path = ".".join(label for label in self.labels if label is not None)
        finally:
            self.labels.pop()
        return node


class _QuickLoader(_StrictConstruction, yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):  # type: ignore[misc]
    """The quick reader: libyaml composes (about ten times faster); same resolvers and constructors."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.problems = []


for _loader in (_StrictLoader, _QuickLoader):
    _loader.add_implicit_resolver(
        "tag:yaml.org,2002:float",
        re.compile(r"^[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?[eE][-+]?[0-9]+$"),
        list("-+0123456789"),
    )
    _loader.add_constructor("tag:yaml.org,2002:int", _StrictConstruction.construct_yaml_int)
    _loader.add_constructor("tag:yaml.org,2002:float", _StrictConstruction.construct_yaml_float)
    _loader.add_constructor("tag:yaml.org,2002:timestamp", _StrictConstruction.construct_yaml_timestamp)


_LEADING_DIGITS = re.compile(r"[-+]?\d{1,3}")
"""The part of a number with commas between its thousands before its first comma."""
_THOUSAND = re.compile(r"\d{3}(?:\.\d+)?")
"""A part of such a number after a comma (the last may have decimals)."""


def _is_plain(node: Node, pattern: re.Pattern[str]) -> bool:
    """Whether ``node`` is a plain (unquoted) text that is all ``pattern``."""
    return isinstance(node, ScalarNode) and not node.style and bool(pattern.fullmatch(node.value))


def _continues(parts: list[Node], pair: tuple[Node, Node]) -> bool:
    """Whether ``pair`` is the next thousands of the number whose ``parts`` are read: ``,000`` with no value."""
    key_node, value_node = pair
    return (
        _is_plain(key_node, _THOUSAND)
        and key_node.start_mark.index == parts[-1].end_mark.index + 1  # just after the comma
        and isinstance(value_node, ScalarNode)
        and value_node.value == ""
        and not value_node.style
        and "." not in parts[-1].value
    )


def _yaml11_surprise(text: str, value: float) -> str | None:
    """Why a number YAML 1.1 reads in a way a reader would not expect is refused, or None.

    Base 60 (``12:10`` is 730: a time of day or a ratio was meant) and a leading zero
    (``017`` is octal, 15; YAML 1.2 and people read 17).

    >>> _yaml11_surprise("12:10", 730)
    "'12:10' is a base-60 number in YAML 1.1 (730): write the number meant, or quote it as text"
    >>> _yaml11_surprise("017", 15)
    "'017' is octal in YAML 1.1 (15): write it without the leading zero, or quote it as text"
    >>> _yaml11_surprise("0", 0), _yaml11_surprise("0.5", 0.5), _yaml11_surprise("0x1F", 31)
    (None, None, None)
    """
    shown = shortened(text)
    if ":" in text:
        return f"'{shown}' is a base-60 number in YAML 1.1 ({value:g}): write the number meant, or quote it as text"
    digits = text.lstrip("+-")
    if len(digits) > 1 and digits[0] == "0" and digits[1] in "01234567_":
        return f"'{shown}' is octal in YAML 1.1 ({value:g}): write it without the leading zero, or quote it as text"
    return None


def _line(node: Node) -> str:
    return f"line {node.start_mark.line + 1}"


def _where(one: Mark, other: Mark) -> str:
    """Two places in a text: lines, or columns of one line."""
    if one.line == other.line:
        return f"line {one.line + 1}, columns {one.column + 1} and {other.column + 1}"
    return f"lines {one.line + 1} and {other.line + 1}"


def shortened(text: str, width: int = 40) -> str:
    """``text`` cut to at most ``width`` characters, ending in "..." when cut (for quoting in messages)."""
    return text if len(text) <= width else text[: width - 3] + "..."


_CONFLICT_MARKER = re.compile(r"^(?:(?:<<<<<<<|\|\|\|\|\|\|\||>>>>>>>)(?: .*)?|=======)[ \t]*$", re.MULTILINE)
"""A line git writes into a file it could not merge: ``<<<<<<< HEAD``, ``||||||| base``
(the diff3 style), ``=======``, ``>>>>>>> branch``, each from the line's start."""


def conflict_line(text: str) -> int | None:
    """The line of the first merge conflict marker in ``text`` (:data:`_CONFLICT_MARKER`), or None.

    A file with them holds both sides of a merge, which YAML would report as a line with
    no key (or, worse, read); the baseline reader names them the same way.

    >>> conflict_line(chr(10).join(["name: a", "<<<<<<< HEAD", "seed: 1", "=======", "seed: 2", ">>>>>>> b"]))
    2

    A ``=======`` line counts only beside another marker: alone it may be valid YAML (an
    underline in a quoted description that runs over lines from the line's start).

    >>> conflict_line(chr(10).join(["seed: 1", "=======", "seed: 2", ">>>>>>> b"]))  # its <<<<<<< deleted
    2
    >>> conflict_line(chr(10).join(['description: "Notes', "=======", 'A long embargo."']))  # valid YAML
    >>> conflict_line("description: '<<<<<<< HEAD'"), conflict_line("  =======") , conflict_line("<<<<<<<<")
    (None, None, None)
    """
    found = list(_CONFLICT_MARKER.finditer(text))
    if not any(match.group(0).rstrip() != "=======" for match in found):
        return None
    return text.count("\n", 0, found[0].start()) + 1


def conflict_problem(text: str) -> Problem | None:
    """The problem of a file holding merge conflict markers (:func:`conflict_line`), or None."""
    line = conflict_line(text)
    if line is None:
        return None
    return Problem(
        "",
        f"merge conflict markers from line {line}: resolve the merge (keep one side and delete the "
        "<<<<<<<, ======= and >>>>>>> lines)",
    )


def load_yaml(text: str, prefix: str = "") -> Any:
    """The data of a YAML text, read strictly (see the module docstring).

    Parameters
    ----------
    text
        The YAML text.
    prefix
        Dotted field path of the text's place in a scenario (for a ``--set`` value),
        put in front of the paths of problems.

    Raises
    ------
    InputError
        Malformed YAML (with line, column and what is wrong in plain words,
        :mod:`~simulator.scenario.yaml_messages`), or every problem found, one per field.
    """
    data = _quick(text, prefix)
    if data is not _UNSURE:
        return _without_surrogates(data, text, prefix)
    try:
        loader = _StrictLoader(text, prefix)  # PyYAML's reader refuses characters YAML forbids here
    except yaml.YAMLError as exc:
        raise _malformed(exc, text, prefix) from None
    try:
        node = loader.get_single_node()
        if node is not None and "*" in text:  # the quick reader's check, for a text it left to this one
            _refuse_alias_bombs(node, prefix)
        data = None if node is None else loader.construct_document(node)
    except _TooDeep as exc:
        raise InputError([exc.problem]) from None
    except yaml.YAMLError as exc:
        raise _malformed(exc, text, prefix) from None
    finally:
        loader.dispose()
    if loader.problems:
        raise InputError([problem for _, _, problem in sorted(loader.problems, key=lambda found: found[:2])])
    return _without_surrogates(data, text, prefix)


def _without_surrogates(data: Any, text: str, prefix: str) -> Any:
    """``data`` with escaped surrogate pairs joined; a lone surrogate escape is refused at its field.

    PyYAML reads the escapes of a character past U+FFFF (how JSON writes an emoji) as two surrogates; joined,
    they are the character meant. A lone one cannot be written as UTF-8 (a report, a
    table), so it is refused here rather than when the first output is written.
    """
    if "\\" not in text:  # a file read as UTF-8 holds no surrogate: only an escape makes one
        return data
    problems: list[Problem] = []

    def joined(value: str, path: str) -> str:
        if not any("\ud800" <= c <= "\udfff" for c in value):
            return value
        try:
            return value.encode("utf-16", "surrogatepass").decode("utf-16")
        except UnicodeDecodeError:
            problems.append(Problem(path, "holds a lone surrogate escape (U+D800 to U+DFFF), not a character"))
            return value

    def visit(node: Any, path: str) -> Any:
        if isinstance(node, str):
            return joined(node, path)
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                here = f"{path}.{key}" if path else str(key)
                name = joined(key, here) if isinstance(key, str) else key
                out[name] = visit(value, here)
            return out
        if isinstance(node, list):
            return [visit(value, f"{path}.{i}" if path else str(i)) for i, value in enumerate(node)]
        return node

    data = visit(data, prefix)
    if problems:
        raise InputError(problems)
    return data


def _malformed(exc: yaml.YAMLError, text: str, prefix: str) -> InputError:
    """A YAML error as one problem at ``prefix``: line, column and what is wrong, in plain words."""
    return InputError([Problem(prefix, f"malformed YAML: {plain_words(exc, text)}")])


_UNSURE = object()
"""What :func:`_quick` returns for a text it leaves to the careful reader."""


def _quick(text: str, prefix: str = "") -> Any:
    """The data of a text libyaml reads without any problem; :data:`_UNSURE` otherwise.

    Whatever the careful reader could object to (a YAML error, a recorded problem, nesting
    as deep as :data:`MAX_DEPTH`) is left to it, so that a message is the same whichever
    reader would have found it; a text with none reads the same in both.
    """
    loader = _QuickLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None and "*" in text:  # no alias, no expansion
            _refuse_alias_bombs(node, prefix)
        if node is not None and _nesting(node) >= MAX_DEPTH:
            return _UNSURE
        data = None if node is None else loader.construct_document(node)
    except (yaml.YAMLError, RecursionError):
        return _UNSURE
    finally:
        loader.dispose()
    return _UNSURE if loader.problems else data


def _children(node: Node) -> list[Node]:
    if isinstance(node, ScalarNode):
        return []
    return list(node.value) if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]


def _refuse_alias_bombs(root: Node, prefix: str) -> None:
    """Refuse a text whose aliases stand for more than :data:`MAX_EXPANDED_VALUES` values.

    Counted on the composed nodes, each once (an alias is the node of its anchor), before
    any value is built: time and memory grow with the text, not with what it stands for.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:  # depth first, each node once; a node's size once its children's are known
        node, done = stack.pop()
        children = _children(node)
        if done:  # a child still open is on a cycle back to it: one value
            sizes[id(node)] = min(1 + sum(sizes.get(id(child), 1) for child in children), MAX_EXPANDED_VALUES + 1)
        elif id(node) not in sizes:
            sizes[id(node)] = 1
            stack.append((node, True))
            stack.extend((child, False) for child in children)
    if sizes[id(root)] > MAX_EXPANDED_VALUES:
        raise InputError(
            [
                Problem(
                    prefix,
                    f"its aliases ('*') stand for more than {MAX_EXPANDED_VALUES:,} values; "
                    "write the values out or use fewer aliases",
                )
            ]
        )


def _nesting(root: Node) -> int:
    """Most lists and mappings nested in one another from ``root`` down (each node counted once)."""
    deepest = 0
    seen: set[int] = set()
    stack = [(root, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, ScalarNode) or id(node) in seen:
            continue
        seen.add(id(node))
        deepest = max(deepest, depth)
        children = node.value if isinstance(node, SequenceNode) else [n for pair in node.value for n in pair]
        stack.extend((child, depth + 1) for child in children)
    return deepest
