"""Errors the command line turns into a short message and exit code 2.

Layer: ground.

Every problem names the file it came from and the dotted field path inside it, so
a user can go straight to the line that needs fixing.

A message that names a setting the user gave (a sweep's largest grid, its ``--grid``
values) names it by :func:`setting`, and each front end words it its own way: the
command line as its option (``--max-points``, the default), the Python API as its
argument (``max_points=``, :meth:`InputError.in_python_words`).

The command line prints every problem on its own line, each after ``error:``
(:meth:`InputError.for_console`), so each line names its file and field alone, whichever
command printed it.

A refusal both front ends give before any work is worded here once (:func:`check_drawable`),
the command line adding its own advice after it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from simulator.names import join_words
from simulator.palette import MAX_REGIONS

if TYPE_CHECKING:
    from simulator.scenario import Scenario

CONSOLE_PREFIX = "error: "
"""What starts every line of a bad-input message on the command line."""

_OPEN, _KEY, _CLOSE = "\x02", "\x1f", "\x03"
_SETTING = re.compile(f"{_OPEN}([a-z_]+)(?:{_KEY}([^{_CLOSE}]*))?{_CLOSE}")


def closest_hint(name: str, known: Iterable[str]) -> str:
    """``; did you mean 'x'?`` for the name in ``known`` closest to a misspelled ``name``, else nothing.

    >>> closest_hint("light_re", ["heavy_ree", "light_ree"]), closest_hint("cobalt", ["light_ree"])
    ("; did you mean 'light_ree'?", '')
    """
    close = difflib.get_close_matches(name, sorted(known), n=1)
    return f"; did you mean '{close[0]}'?" if close else ""


def known_hint(name: str, known: Iterable[str]) -> str:
    """``(known: a, b); did you mean 'a'?``: the names a misspelled ``name`` could have been, and the closest.

    >>> known_hint("light_re", ["light_ree", "heavy_ree"])
    "(known: heavy_ree, light_ree); did you mean 'light_ree'?"
    """
    known = sorted(known)
    return f"(known: {', '.join(known) or 'none'}){closest_hint(name, known)}"


def setting(name: str, key: str | None = None) -> str:
    """A setting named in a message, by its Python argument name (``max_points``).

    ``key`` names one entry of a setting that maps paths to values (``grid``, ``set``).
    The text stands in the message until it is worded (:func:`worded`).

    >>> worded(f"raise {setting('max_points')}", python=False), worded(f"raise {setting('max_points')}", python=True)
    ('raise --max-points', 'raise max_points=')
    >>> worded(setting("grid", "agreement.ratio.japan"), python=True)
    "grid['agreement.ratio.japan']"
    """
    if key is None:
        return f"{_OPEN}{name}{_CLOSE}"
    plain_key = "".join(c for c in key if c not in (_OPEN, _KEY, _CLOSE))
    return f"{_OPEN}{name}{_KEY}{plain_key}{_CLOSE}"


def renamed(text: str, old: str, new: str) -> str:
    """``text`` with setting ``old`` named ``new`` instead, keyed or not (a parser shared by two options).

    >>> worded(renamed(setting("grid", "x"), "grid", "axis"), python=False)
    '--axis x'
    """
    return text.replace(f"{_OPEN}{old}{_CLOSE}", f"{_OPEN}{new}{_CLOSE}").replace(
        f"{_OPEN}{old}{_KEY}", f"{_OPEN}{new}{_KEY}"
    )


def worded(text: str, python: bool, label: bool = False) -> str:
    """``text`` with its settings worded for the command line or, with ``python``, the Python API.

    The command line says ``--max-points`` and ``--grid PATH``; Python says ``max_points=``
    and ``grid['PATH']``, or the bare ``max_points`` where the setting is a message's
    ``label`` (what the message is about, before the colon).
    """

    def word(found: re.Match[str]) -> str:
        name, key = found[1], found[2]
        if not python:
            option = "--" + name.replace("_", "-")
            return option if key is None else f"{option} {key}"
        if key is not None:
            return f"{name}[{key!r}]"
        return name if label else f"{name}="

    return _SETTING.sub(word, text)


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (dotted field path) and what."""

    path: str
    message: str

    def render(self, source: str | None, python: bool = False) -> str:
        """Format as ``file: path: message`` (parts that are empty are left out).

        Settings in the path and message are worded for the command line, or with
        ``python`` for the Python API (:func:`worded`).
        """
        path = worded(self.path, python, label=True)
        parts = [p for p in (plain(source or "", one_line=True), path) if p]  # a file's name: one line, as shown
        return ": ".join([*parts, worded(self.message, python)])


class InputError(Exception):
    """Bad input from the user: a scenario, an option or a path (exit code 2)."""

    def __init__(self, problems: list[Problem] | str, source: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems = problems
        self.source = source
        self.python = False
        """Settings are worded as the Python API's arguments (else as command-line options)."""
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.render(self.source, self.python) for p in self.problems)

    def for_console(self) -> str:
        """The message the command line prints: every problem on its own line, each after ``error:``.

        >>> print(InputError([Problem("a", "too big"), Problem("b", "unknown key")], "s.yaml").for_console())
        error: s.yaml: a: too big
        error: s.yaml: b: unknown key
        """
        return "\n".join(f"{CONSOLE_PREFIX}{p.render(self.source, self.python)}" for p in self.problems)

    def __reduce__(self) -> tuple[Callable[..., InputError], tuple[type[InputError], dict[str, Any]]]:
        """Pickled as its class and attributes (from a sweep's worker), whatever its ``__init__`` takes.

        Its problems, so the API can still word their settings, its source and a subclass's own attributes.
        """
        return _rebuilt, (type(self), dict(self.__dict__))

    def said_of(self, source: str) -> InputError:
        """A copy of this error said of ``source``: of its class, with its problems, wording and other attributes."""
        return _rebuilt(type(self), {**self.__dict__, "source": source})

    def with_problems(self, problems: list[Problem]) -> InputError:
        """A copy of this error with ``problems`` instead of its own: of its class, with its source and attributes."""
        return _rebuilt(type(self), {**self.__dict__, "problems": problems})

    def in_python_words(self) -> InputError:
        """Word the settings as the Python API's arguments (``max_points=``); return the same error."""
        self.python = True
        self.args = (self.render(),)
        return self


def _rebuilt(kind: type[InputError], attributes: dict[str, Any]) -> InputError:
    """An error of class ``kind`` with ``attributes``, its message rendered from them (its ``__init__`` not called)."""
    error = kind.__new__(kind)
    error.__dict__.update(attributes)
    error.args = (error.render(),)
    return error


class ScenarioError(InputError):
    """A scenario file that cannot be loaded or fails validation."""


class ChangeRefusedError(InputError):
    """A change of the run (a ``--set``) that the ``--compare`` baseline cannot take; its message says so.

    Raised by :func:`simulator.scenario.changes.with_changes`. The command line names the baseline's
    other problems as the ``--compare`` baseline's and leaves these as they are, known by their class.
    """


def check_drawable(scenario: Scenario, source: str | None, advice: str | None = None) -> None:
    """Refuse, before any work, a scenario with more regions than a figure tells apart (:data:`MAX_REGIONS`).

    ``advice`` (what to run instead: the command line's, each command its own) follows the reason
    after a semicolon; the Python API gives none.
    """
    if len(scenario.regions) > MAX_REGIONS:
        message = f"figures tell at most {MAX_REGIONS} regions apart and this scenario has {len(scenario.regions)}"
        raise InputError([Problem("regions", f"{message}; {advice}" if advice else message)], source)


_ANSI = re.compile(r"\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)?|[@-Z\\-_])")
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def first_and_more(items: Iterable[str], shown: int | None, *, sentence: bool = False) -> str:
    """``items`` joined by commas: the first ``shown`` (None: all), then how many more.

    The one way messages, notes and reprs name a list that may be long. With ``sentence`` (a
    report's prose), a list shown whole joins its last two by "and", as
    :func:`simulator.names.join_words` does.

    >>> first_and_more(["japan", "eu"], 8), first_and_more(map(str, range(10)), 3)
    ('japan, eu', '0, 1, 2 and 7 more')
    >>> first_and_more(["a", "b", "c"], 8, sentence=True), first_and_more("abcd", 3, sentence=True)
    ('a, b and c', 'a, b, c and 1 more')
    """
    items = list(items)
    kept = items if shown is None else items[:shown]
    more = len(items) - len(kept)
    if sentence and not more:
        return join_words(kept)
    return ", ".join(kept) + (f" and {more} more" if more else "")


def plain(text: Any, one_line: bool = False) -> str:
    r"""``text`` without ANSI escapes and control characters (newlines and tabs kept unless ``one_line``).

    For text read from a file or the system (a name, a lock file's holder) put into a message:
    no escape sequence reaches the terminal, and with ``one_line`` no line of it starts a new
    line of the output (a CI log obeys a line starting with ``::``).

    >>> plain("\x1b[31mred\x1b[0m\x07 alert\r\n"), plain("a\nb\tc", one_line=True)
    ('red alert\n', 'a b c')
    """
    text = _ANSI.sub("", str(text)).replace("\r\n", "\n")
    if one_line:
        text = re.sub(r"[\n\t]+", " ", text)
    return _CONTROL.sub("", text)
