"""Loading scenarios: safe YAML, overrides, both validation tiers, readable errors.

Layer: ground.
"""

from __future__ import annotations

import difflib
import errno
import functools
import hashlib
import json
import math
import os
import re
import stat
import types
import typing
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import Annotated, Any

from pydantic import ValidationError

from simulator.errors import InputError, Problem, ScenarioError
from simulator.scenario import schema
from simulator.scenario.checks import NAMED, all_names, check_scenario, unlisted_member
from simulator.scenario.overrides import (
    ECHO_WIDTH,
    Overridden,
    OverrideError,
    ScenarioOverrideError,
    apply_overrides,
    mappings_made_for,
    overridden,
    ratio_member,
    shown,
    within,
)
from simulator.scenario.portfolio import check_benchmarks, check_quotas
from simulator.scenario.schema import ID_PATTERN, Scenario
from simulator.scenario.strict_yaml import conflict_problem, load_yaml
from simulator.scenario.yaml_messages import GLUED_KEY, not_utf8, share_hint, space_after_colon

_MESSAGES = {
    "greater_than_equal": "must be >= {ge}",
    "greater_than": "must be > {gt}",
    "less_than_equal": "must be <= {le}",
    "less_than": "must be < {lt}",
    "missing": "is required",
    "too_short": "needs at least {min_length} item(s)",
    "too_long": "has {actual_length} items; at most {max_length}",
    "string_too_long": "is longer than {max_length} characters",
    "string_pattern_mismatch": "must be lower-case letters, digits and '_', starting with a letter",
    "finite_number": "must be a finite number",
    "float_type": "must be a number",
    "int_type": "must be a whole number",
    "int_from_float": "must be a whole number",
    "model_attributes_type": "must be a mapping of fields",
    "model_type": "must be a mapping of fields",
    "dict_type": "must be a mapping",
    "list_type": "must be a list",
    "string_type": "must be text",
    "union_tag_invalid": "{discriminator} must be one of {expected_tags}, not '{tag}'",
    "union_tag_not_found": "needs {discriminator}",
}
_MISMATCHES = frozenset(
    {
        "float_type",
        "int_type",
        "number_type",
        "date_type",
        "model_attributes_type",
        "model_type",
        "dict_type",
        "list_type",
        "string_type",
    }
)
"""Error types that only say "this branch of a union has another shape"."""


MAX_FILE_BYTES = 10_000_000
"""Largest scenario or sweep file read (the shipped scenarios are about 20 kB)."""

_FILE_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def _not_regular(mode: int) -> str:
    """Why an input that is not a regular file is refused, in words.

    >>> _not_regular(stat.S_IFIFO), _not_regular(stat.S_IFCHR)
    ('not a regular file (it is a FIFO (named pipe))', 'not a regular file (it is a device)')
    """
    return f"not a regular file (it is {_kind(mode)})"


def _kind(mode: int) -> str:
    """What a file of ``mode`` (not a regular file) is, in words: ``a folder``, ``a FIFO (named pipe)``, ..."""
    return next((name for test, name in _FILE_KINDS if test(mode)), "not a file")


def what_is_at(path: str | os.PathLike[str]) -> str | None:
    """What is at ``path`` where neither a regular file nor a folder is, in words; None for nothing at all.

    Told without opening it (a FIFO is never waited on), links followed: ``a FIFO (named
    pipe)``, ``a device``, ``a socket``, or :func:`link_to_no_file`'s words for a broken link
    or a loop of links. A regular file or a folder is said to be one.
    """
    if (dead_end := link_to_no_file(path)) is not None:
        return dead_end
    try:
        mode = os.stat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # NotADirectoryError: a file on the way, so nothing here
        return None
    except OSError as exc:  # a folder on the way that cannot be searched, or a loop of links on the way
        return _unreachable(exc) or f"a path that cannot be read ({exc.strerror})"
    return "a regular file" if stat.S_ISREG(mode) else _kind(mode)


LINK_LOOP = "a loop of symbolic links"
"""What a link whose chain of links comes back on itself (``a -> b -> a``) is said to be, by every command."""


def link_to_no_file(path: str | os.PathLike[str]) -> str | None:
    """Words for a symbolic link at ``path`` that leads to no file, else None.

    ``a broken symbolic link to TARGET, which does not exist`` only when the target is
    missing (following the links raises FileNotFoundError, or NotADirectoryError for a target
    that goes through a file; TARGET as the link holds it, a relative one taken from the
    link's folder); :data:`LINK_LOOP` for a chain of links
    that comes back on itself, whose targets all exist. None for a path that is no link
    or a link to a file, a folder or anything else that is there.
    """
    if not os.path.islink(path):
        return None
    try:
        os.stat(path)
    except (FileNotFoundError, NotADirectoryError):
        return f"a broken symbolic link to {os.readlink(path)}, which does not exist"
    except OSError as exc:
        return _unreachable(exc)
    return None


def file_on_the_way(path: str | os.PathLike[str]) -> str:
    """Why nothing can be at ``path``: a folder it goes through is a file (the error ENOTDIR).

    ``a folder on the way is a file: NAME``, NAME the first such part of ``path`` (``plain.txt``
    of ``plain.txt/x.yaml``). A path that ends at the file, followed by a slash (``plain.txt/``),
    is told apart before anything reads it: :func:`file_followed_by_slash`.
    """
    given = Path(path)
    parts = [*reversed(given.parents), given]
    name = next((part.name for part in parts if part.exists() and not part.is_dir()), None)
    return f"a folder on the way is a file: {name}" if name else "a folder on the way is a file"


_SEPARATORS = re.escape("/" + os.sep)
_FOLDER_ENDING = re.compile(f"(?:[{_SEPARATORS}]+(?:\\.(?=[{_SEPARATORS}]|$))?)+$")
"""What ends a path written as a folder: slashes, each run of them maybe followed by ``.``
(``/``, ``//``, ``/.``, ``/./``); ``..`` is not one (``plain.txt/..`` goes up, through the file)."""


def file_followed_by_slash(path: str | os.PathLike[str]) -> str | None:
    """Words for a path written as a folder that names a file (``plain.txt/``, ``plain.txt/.``), else None.

    Told from the path as written: :class:`~pathlib.Path` drops a trailing slash and a
    trailing ``/.``, so ``Path("plain.txt/.")`` would read the file. Such a path cannot be a
    folder, as the file is at its end; a file within the path (``plain.txt/x.yaml``) is
    :func:`file_on_the_way`'s. ``list`` and every command reading a scenario
    (:func:`load_overridden`), a sweep file or a record say it alike.

    >>> file_followed_by_slash("pyproject.toml/"), file_followed_by_slash("pyproject.toml")
    ('the path names a file followed by a slash (pyproject.toml is a file, not a folder)', None)
    >>> file_followed_by_slash("pyproject.toml/./") == file_followed_by_slash("pyproject.toml/")
    True
    """
    written = os.fspath(path)
    name = _FOLDER_ENDING.sub("", written)
    if name in ("", written) or not os.path.isfile(name):
        return None
    return f"the path names a file followed by a slash ({name} is a file, not a folder)"


def refuse_file_followed_by_slash(path: str | os.PathLike[str]) -> None:
    """Raise :class:`InputError` naming ``path`` as written if it is a file followed by a slash.

    Called with the path as given, before :class:`~pathlib.Path` drops the slash and the
    file would be read (:func:`file_followed_by_slash`).
    """
    if (slash := file_followed_by_slash(path)) is not None:
        raise InputError(slash, os.fspath(path))


def _unreachable(exc: OSError) -> str | None:
    """:data:`LINK_LOOP` for an error of following links that came back on themselves (ELOOP), else None.

    The one place every command words such a loop, at the path itself (``a -> a``) or on the way to it
    (``d -> d``, then ``d/x.yaml``).
    """
    return LINK_LOOP if exc.errno == errno.ELOOP else None


def read_input(path: Path, limit: int = MAX_FILE_BYTES, what: str = "file") -> bytes:
    """The bytes of the input file at ``path``: every input a user names goes through here.

    Only a regular file (links followed) is read: a folder, device (``/dev/zero`` never
    ends), FIFO (opening one waits for a writer) or socket is refused before it is opened.
    The limit holds for the bytes actually read, not only for the size the file system
    states (0 for a device; a file may grow after it is looked at).

    Raises
    ------
    InputError
        Naming the path: missing (a broken link said to be one, a file on the way named:
        :func:`file_on_the_way`), a loop of links, not a regular file, more than ``limit``
        bytes ("{what} of N bytes is too large"), or unreadable.
    """
    source = str(path)
    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            raise InputError(_not_regular(info.st_mode), source)
        if info.st_size > limit:
            raise InputError(f"{what} of {info.st_size:,} bytes is too large (at most {limit:,})", source)
        # O_NONBLOCK: if the path became a FIFO since the stat, opening it does not wait
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(handle, "rb") as file:
            mode = os.fstat(file.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise InputError(_not_regular(mode), source)
            data = file.read(limit + 1)
    except FileNotFoundError:
        raise InputError(link_to_no_file(path) or "file not found", source) from None
    except NotADirectoryError:
        raise InputError(link_to_no_file(path) or f"file not found ({file_on_the_way(path)})", source) from None
    except OSError as exc:
        raise InputError(link_to_no_file(path) or _unreachable(exc) or f"cannot read: {exc}", source) from None
    if len(data) > limit:
        raise InputError(f"{what} of more than {limit:,} bytes is too large (at most {limit:,})", source)
    return data


def read_input_text(path: Path, limit: int = MAX_FILE_BYTES, what: str = "file") -> str:
    """:func:`read_input` as UTF-8 text with universal newlines (as ``Path.read_text``).

    Raises :class:`InputError` naming the path and, for a file that is not UTF-8, where.
    """
    data = read_input(path, limit, what)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(not_utf8(exc), str(path)) from None
    return text.replace("\r\n", "\n").replace("\r", "\n")


def read_yaml(path: Path, kind: str = "scenario") -> dict[str, Any]:
    """Read a YAML mapping strictly (:mod:`~simulator.scenario.strict_yaml`); errors name the file.

    ``kind`` names what the file holds in the message for one that is not a mapping
    ("a scenario must be a YAML mapping of fields, not a list").
    """
    return read_yaml_and_text(path, kind)[0]


def read_yaml_and_text(path: Path, kind: str = "scenario") -> tuple[dict[str, Any], str]:
    """:func:`read_yaml`'s mapping and the text it was read from, to quote a part as written (a key)."""
    data, text = _yaml_and_text(path)
    if not isinstance(data, dict):
        start = f": {STARTING_POINT}" if kind == "scenario" and data is None else ""
        raise ScenarioError(f"a {kind} must be a YAML mapping of fields, {_not_a_mapping(data)}{start}", str(path))
    return data, text


_REQUIRED = [name for name, info in Scenario.model_fields.items() if info.is_required()]
STARTING_POINT = (
    f"write at least {', '.join(_REQUIRED[:-1])} and {_REQUIRED[-1]} "
    "(docs/writing-scenarios.md), or start from a copy of a shipped scenario (stockpile list scenarios)"
)
"""What an empty scenario file is told to hold."""


def yaml_data(path: Path) -> Any:
    """What a YAML file holds (None if empty), read strictly (kind, size, encoding, keys, depth); errors name it.

    A file holding merge conflict markers is refused at the first, before it is read as YAML.
    """
    return _yaml_and_text(path)[0]


def _yaml_and_text(path: Path) -> tuple[Any, str]:
    """:func:`yaml_data`'s data and the file's text (UTF-8, universal newlines) it was read from."""
    source = str(path)
    try:
        text = read_input_text(path)
    except InputError as exc:
        raise ScenarioError(exc.problems, source) from None
    if (conflict := conflict_problem(text)) is not None:  # before YAML, which would blame a line with no key
        raise ScenarioError([conflict], source)
    try:
        return load_yaml(text), text
    except InputError as exc:
        raise ScenarioError(exc.problems, source) from None


def _not_a_mapping(data: Any) -> str:
    """What a file holds instead of a mapping, in words.

    >>> _not_a_mapping(None), _not_a_mapping([1]), _not_a_mapping("x"), _not_a_mapping(2.5)
    ('but the file holds no data', 'not a list', 'not text', 'not a number')
    """
    if data is None:
        return "but the file holds no data"
    if isinstance(data, list):
        return "not a list"
    if isinstance(data, str):
        return "not text"
    if isinstance(data, bool):
        return "not true/false"
    if isinstance(data, int | float):
        return "not a number"
    return f"not a {type(data).__name__}"


_PRIMITIVE_TAGS = frozenset({"int", "float", "str", "bool", "date", "list", "dict", "none"})


def _union_tags() -> frozenset[str]:
    """Names pydantic puts in error locations for the schema's tagged unions.

    Each branch's discriminator value (``export_quota``, ``lognormal``, ...).
    """
    tags: set[str] = set()
    for alias in vars(schema).values():
        if typing.get_origin(alias) is not Annotated:
            continue
        union, *metadata = typing.get_args(alias)
        for info in metadata:
            key = getattr(info, "discriminator", None)
            if isinstance(key, str):
                for model in typing.get_args(union):
                    tags.update(typing.get_args(model.model_fields[key].annotation))
    return frozenset(tags)


_UNION_TAGS = _union_tags()


def _is_tag(item: Any) -> bool:
    """Pydantic's names for union branches and validators (field names have no '-')."""
    return isinstance(item, str) and ("[" in item or "-" in item or item in _PRIMITIVE_TAGS or item in _UNION_TAGS)


def _readable_path(loc: tuple[Any, ...], data: Any) -> str:
    """Dotted path of an error location, without pydantic's union and type tags."""
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(node, dict) and item not in node and isinstance(item, str):
            item = next((key for key in node if not isinstance(key, str) and str(key) == item), item)
        if (isinstance(node, dict) and item in node) or (
            isinstance(node, list) and isinstance(item, int) and 0 <= item < len(node)
        ):
            parts.append(item if isinstance(item, str) else str(item) if isinstance(node, list) else shown(item))
            node = node[item]
        elif not _is_tag(item):
            if node is not _OFF and not isinstance(node, dict | list):  # a short form (settlement: foo)
                break  # expanded by the schema ({kind: foo}): the field is the one the user wrote
            parts.append(str(item))
            node = _OFF
    return ".".join(parts)


_OFF = object()
"""Where a path has left the data (a field the data does not have)."""


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _field_names() -> list[str]:
    """Every field name of the scenario schema (the vocabulary for 'did you mean')."""
    names: set[str] = set()
    for obj in vars(schema).values():
        if isinstance(obj, type) and issubclass(obj, schema.Model):
            names.update(obj.model_fields)
    return sorted(names)


def _message(error: dict[str, Any]) -> str:
    kind = error["type"]
    ctx = {k: _number(v) for k, v in (error.get("ctx") or {}).items()}
    if kind == "extra_forbidden":
        key = str(error["loc"][-1])
        close = difflib.get_close_matches(key, _field_names(), n=1)
        if close and close[0] == key:  # a field of other entries: say which kind refused it
            kinds = [str(i) for i in error["loc"][:-1] if str(i) in _UNION_TAGS or str(i).startswith("uncertain-")]
            return f"unknown key for '{kinds[-1].removeprefix('uncertain-')}'" if kinds else "unknown key here"
        longer = [name for name in _field_names() if name.startswith(f"{key}_")]  # duration: duration_days
        close = longer if len(longer) == 1 else close
        hint = f"; did you mean '{close[0]}'?" if close else ""
        return f"unknown key{hint}"
    if kind in ("literal_error", "enum") and "expected" in ctx:
        return f"must be one of {ctx['expected']}, not {_given(error.get('input'))}" + _choice_hint(error)
    if kind in _MESSAGES:
        try:
            message = _MESSAGES[kind].format(**ctx)
        except KeyError:
            pass
        else:
            hint = _HINTS.get(kind)
            return message + (hint(error) if hint else "")
    message = str(error["msg"]).removeprefix("Value error, ")
    hint = _HINTS.get(kind)
    return message + (hint(error) if hint else "")


def _given(value: Any) -> str:
    """A value a field refused, as the message quotes it: text in quotes, anything else as written.

    Cut to :data:`~simulator.scenario.overrides.ECHO_WIDTH` characters (and its quotes).

    >>> _given("shared"), _given(3), _given(None), len(_given("x" * 500)) <= ECHO_WIDTH + 2
    ("'shared'", '3', 'null', True)
    """
    if isinstance(value, str):
        return f"'{value}'" if len(value) <= ECHO_WIDTH else f"'{value[: ECHO_WIDTH - 3]}...'"
    return shown(value, ECHO_WIDTH)


def _field_at(loc: tuple[Any, ...]) -> tuple[type[schema.Model], str] | None:
    """The model and the name of the field an error's ``loc`` ends at, followed through the schema, else None.

    A union's branch is taken by its tag in ``loc`` (``('shocks', 0, 'delay', 'regions')``:
    :class:`~simulator.scenario.schema.Delay`'s ``regions``) or, untagged, by the shape the
    next part needs; list positions and mapping keys go to the item's type.

    >>> _field_at(("shocks", 0, "embargo", "regions")), _field_at(("regions", "eu", "reserve", "ree", "days"))
    ((<class 'simulator.scenario.schema.Embargo'>, 'regions'), (<class 'simulator.scenario.schema.Reserve'>, 'days'))
    """
    node: Any = Scenario
    field = None
    for item in loc:
        options = _branches(node)
        tagged = [m for m in options if _is_model(m) and item in _tags(m)]
        if tagged:  # a union's tag names the branch: the next part is its field
            node = tagged[0]
            continue
        models = [m for m in options if _is_model(m) and item in m.model_fields]
        items = [
            o
            for o in options
            if typing.get_origin(o) is dict or (typing.get_origin(o) is list and isinstance(item, int))
        ]
        if models:
            field = (models[0], str(item))
            node = models[0].model_fields[item].annotation
        elif items:
            field = None
            node = typing.get_args(items[0])[-1]
        elif not _is_tag(item):
            return None
    return field


def _branches(node: Any) -> list[Any]:
    """The types a value of annotation ``node`` may have: a union's members, ``Annotated`` and None left out."""
    while typing.get_origin(node) is Annotated:
        node = typing.get_args(node)[0]
    if typing.get_origin(node) in (typing.Union, types.UnionType):
        return [b for member in typing.get_args(node) if member is not type(None) for b in _branches(member)]
    return [node]


def _is_model(node: Any) -> bool:
    return isinstance(node, type) and issubclass(node, schema.Model)


def _tags(model: type[schema.Model]) -> tuple[Any, ...]:
    """The tags a model is chosen by in a tagged union (``Delay``: ``('delay',)``), from its ``Literal`` fields."""
    return tuple(
        tag
        for info in model.model_fields.values()
        if typing.get_origin(info.annotation) is typing.Literal
        for tag in typing.get_args(info.annotation)
        if tag in _UNION_TAGS
    )


def _names_hint(error: dict[str, Any], data: dict[str, Any]) -> str:
    """For a list of names given as one value (``regions: all``, ``regions: japan``): what to write.

    The example is the value itself where it is a name of the scenario, else the scenario's first
    two names of that kind. A field that means all when left out (a delay's ``regions``) says so; a
    list that must name every one (an embargo's ``regions``, the agreement's ``members``) says that.

    >>> data = {"regions": {"korea": {}, "japan": {}, "eu": {}}}
    >>> _names_hint({"type": "list_type", "input": "all", "loc": ("shocks", 0, "delay", "regions")}, data)
    ", not 'all': a list of region names, e.g. [korea, japan]; leave the key out for all regions"
    >>> _names_hint({"type": "list_type", "input": "all", "loc": ("shocks", 0, "embargo", "regions")}, data)
    ", not 'all': a list of region names, e.g. [korea, japan]; list every one for all regions"
    >>> _names_hint({"type": "list_type", "input": "eu", "loc": ("agreement", "members")}, data)
    ", not 'eu': a list of region names, e.g. [eu]"
    """
    found = _field_at(tuple(error["loc"])) if error["type"] == "list_type" else None
    if found is None or found[1] not in NAMED:
        return ""
    model, name = found
    kind = NAMED[name]
    value = error.get("input")
    known = data.get(f"{kind}s") if isinstance(data.get(f"{kind}s"), dict) else {}
    names = [str(key) for key in known if isinstance(key, str) and _ID.fullmatch(key)]
    example = [value] if value in names else names[:2]
    hint = f", not {_given(value)}" if isinstance(value, str | int | float) else ""
    hint += f": a list of {kind} names" + (f", e.g. [{', '.join(example)}]" if example else "")
    if model.model_fields[name].default is None or value == "all":
        return f"{hint}; {all_names(model, name)}"
    return hint


def _id_hint(error: dict[str, Any]) -> str:
    """For an id written with capitals or spaces (``Gallium``, ``light ree``): the id it may mean."""
    value = error.get("input")
    if not isinstance(value, str):
        return ""
    guess = "_".join(value.strip().lower().replace("-", " ").split())
    return f"; did you mean '{guess}'?" if guess != value and _ID.fullmatch(guess) else ""


def _fields_hint(error: dict[str, Any]) -> str:
    """For a number given where a mapping of fields is needed (``demand.ree: 0.2``): which field.

    A key glued to its value (``tonnes_per_day:46.2``, the entry's one line) is text to YAML: the
    missing space is said instead.

    >>> _fields_hint({"input": "tonnes_per_day:46.2", "ctx": {"class_name": "Demand"}})
    ", not 'tonnes_per_day:46.2': YAML needs a space after the colon (tonnes_per_day: 46.2, not tonnes_per_day:46.2)"
    """
    value = error.get("input")
    if not isinstance(value, int | float | str):
        return ""
    if isinstance(value, str) and (glued := GLUED_KEY.fullmatch(value)):
        return f", not {value!r}: {space_after_colon(glued)}"
    model = getattr(schema, str((error.get("ctx") or {}).get("class_name")), None)
    fields = getattr(model, "model_fields", {})
    if "days" in fields and "tonnes" in fields:
        return f", not {value!r}: e.g. {_stock_forms(value, fields, model is schema.StrategicStock)}"
    first = next((name for name, info in fields.items() if info.is_required()), None) or next(iter(fields), None)
    return f", not {value!r}: e.g. {{{first}: {value}}}" if first else ""


def _stock_forms(value: Any, fields: Collection[str], member: bool) -> str:
    """The ways to write an amount of stock of ``value``: in days first (the forms a stock's ``fields`` take).

    The days are of the holder's demand: a region's, or a member's own in a pool contribution.

    >>> _stock_forms(45, ("tonnes", "days"), False)
    "{days: 45} (days of the region's demand) or {tonnes: 45}"
    >>> _stock_forms(45, ("tonnes", "days", "net_import_days"), True)
    "{days: 45} (days of the member's own demand), {tonnes: 45} or {net_import_days: 45} (days of its net imports)"
    """
    holder = "member's own" if member else "region's"
    days = f"{{days: {value}}} (days of the {holder} demand)"
    if "net_import_days" in fields:
        return f"{days}, {{tonnes: {value}}} or {{net_import_days: {value}}} (days of its net imports)"
    return f"{days} or {{tonnes: {value}}}"


def _percent_hint(error: dict[str, Any]) -> str:
    """For a share written as a percentage (``approval_share: 30``): how to write it.

    A member's ``agreement.ratio`` may be a weight as well (:func:`~simulator.scenario.yaml_messages.share_hint`).
    """
    value = error.get("input")
    if (error.get("ctx") or {}).get("le") != 1 or not isinstance(value, int | float):
        return ""
    return share_hint(value, weights=tuple(error.get("loc", ()))[:2] == ("agreement", "ratio"))


PERCENT_SUM_NEAR = 5.0
"""How far from 100 the values of a mapping of shares may sum and still be read as percentages
(:func:`_among_percentages`): rounded percentages, or one of them left out."""


def _among_percentages(path: str, error: dict[str, Any], data: dict[str, Any]) -> str:
    """For a share above 1 that :func:`_percent_hint` leaves alone (``1.95``) among values summing to about 100.

    A value from 1 to 2 alone may be a typo of 0.195 or of 1 (no hint); among shares that sum to 100
    (within :data:`PERCENT_SUM_NEAR`) it is a percentage as its neighbours are, told as they are.

    >>> data = {"agreement": {"ratio": {"germany": 60.5, "belgium": 1.95, "japan": 37.55}}}
    >>> error = {"type": "less_than_equal", "input": 1.95, "ctx": {"le": 1}, "loc": ("agreement", "ratio", "belgium")}
    >>> _among_percentages("agreement.ratio.belgium", error, data)
    ' (a share: 1.95% is 0.0195)'
    >>> data["agreement"]["ratio"]["japan"] = 0.3755
    >>> _among_percentages("agreement.ratio.belgium", error, data)
    ''
    >>> data["agreement"]["ratio"]["japan"] = float("nan")  # no sum to judge by
    >>> _among_percentages("agreement.ratio.belgium", error, data)
    ''
    """
    value = error.get("input")
    if (
        error["type"] != "less_than_equal"
        or (error.get("ctx") or {}).get("le") != 1
        or not isinstance(value, int | float)
        or isinstance(value, bool)
        or not 1 < value <= 100
        or _percent_hint(error)
    ):
        return ""
    found = _key_in_data(path, tuple(error["loc"]), data)
    if found is None:
        return ""
    numbers = [v for v in found[0].values() if isinstance(v, int | float) and not isinstance(v, bool)]
    if len(numbers) < 2 or not abs(sum(numbers) - 100.0) <= PERCENT_SUM_NEAR:  # (a NaN among them: no hint)
        return ""
    return f" (a share: {value:g}% is {value / 100:g})"


def _choice_hint(error: dict[str, Any]) -> str:
    """For a value that is not one of a field's choices (``mechanism: fair-ratio``): the choice it may mean.

    The choices are those the message lists; a former mechanism name
    (:data:`simulator.mechanisms.RENAMED`) close to the value suggests its current name.

    >>> _choice_hint({"input": "fair-ratio", "ctx": {"expected": "'hybrid', 'fair_ratio' or 'auction'"}})
    "; did you mean 'fair_ratio'?"
    >>> _choice_hint({"input": "embargoo", "ctx": {"expected_tags": "'embargo', 'delay'"}})
    "; did you mean 'embargo'?"
    >>> _choice_hint({"input": "zzz", "ctx": {"expected": "'hybrid' or 'auction'"}})
    ''
    """
    from simulator.mechanisms import RENAMED

    value = error.get("input")
    ctx = error.get("ctx") or {}
    if isinstance(value, dict):  # a tagged union's entry: the value is its tag
        value = ctx.get("tag")
    if not isinstance(value, str):
        return ""
    choices = re.findall(r"'([^']*)'", str(ctx.get("expected", ctx.get("expected_tags", ""))))
    current = {name: name for name in choices}
    current.update({old: new for old, new in RENAMED.items() if new in current})
    guess = "_".join(value.strip().lower().replace("-", " ").split())
    close = [guess] if guess in current else difflib.get_close_matches(guess, list(current), n=1)
    return f"; did you mean '{current[close[0]]}'?" if close and current[close[0]] != value else ""


_NUMBER_WITH_WORDS = re.compile(r"\s*([-+]?(?:\d+\.?\d*|\.\d+))\s*([^\W\d_][^\d]*?)\s*")
"""A number followed by a unit in words (``4 months``, ``50 t``, ``50 USD/kg``)."""

_THOUSANDS = re.compile(r"\s*[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?\s*")
"""A number written with commas between its thousands (``1,000``), which YAML reads as text."""

_DAYS_PER = {"day": 1.0, "week": 7.0, "month": 365.25 / 12, "year": 365.25}
"""Days in each span of time a duration may be written in (a month and a year on average)."""


def _unit_hint(error: dict[str, Any]) -> str:
    """For a number written with a unit (``duration_days: 4 months``, ``tonnes: 50 t``): the number to write.

    A span of time in a field of days is turned into whole days, rounded half up; a negative one is
    told the least any field of days takes, 0; one too long for a float is told to drop its unit, as
    any other unit is. A number written with commas between its thousands (``tonnes: 1,000``) is
    told to leave them out.

    >>> text = "must be a number, not text"
    >>> _unit_hint({"msg": text, "input": "4 months", "loc": ("shocks", 0, "embargo", "duration_days")})
    ': write the days as a number: 122 (4 months is about 122 days)'
    >>> _unit_hint({"msg": text, "input": "2 weeks", "loc": ("suppliers", "china", "lead_time_days", "eu")})
    ': write the days as a number: 14 (2 weeks is 14 days)'
    >>> _unit_hint({"msg": text, "input": "2 years", "loc": ("horizon_days",)})
    ': write the days as a number: 731 (2 years is about 731 days)'
    >>> _unit_hint({"msg": text, "input": "-2 weeks", "loc": ("shocks", 0, "embargo", "release_days")})
    ': write the days as a number, at least 0 (-2 weeks would be -14 days)'
    >>> _unit_hint({"msg": text, "input": "1" + "0" * 400 + " years", "loc": ("horizon_days",)})
    ": write the number alone, without 'years'"
    >>> _unit_hint({"msg": text, "input": "50 t", "loc": ("regions", "eu", "reserve", "ree", "tonnes")})
    ': write the number alone: 50'
    >>> _unit_hint({"msg": text, "input": "30 days", "loc": ("horizon_days",)})
    ': write the number alone: 30'
    >>> _unit_hint({"msg": text, "input": "50 USD/kg", "loc": ("materials", "ree", "price_usd_per_kg")})
    ': write the number alone: 50'
    >>> _unit_hint({"msg": text, "input": "1,500.5", "loc": ("regions", "eu", "reserve", "ree", "tonnes")})
    ': write 1500.5, without the commas'
    """
    value = error.get("input")
    if not isinstance(value, str) or error.get("msg") != "must be a number, not text":  # (a share's own hint)
        return ""
    if _THOUSANDS.fullmatch(value):
        return f": write {value.strip().replace(',', '')}, without the commas"
    written = _NUMBER_WITH_WORDS.fullmatch(value)
    if written is None:
        return ""
    number, word = float(written[1]), written[2].lower()
    names = [item for item in error.get("loc", ()) if isinstance(item, str) and not _is_tag(item)]
    span = next((unit for unit in _DAYS_PER if word in (unit, unit + "s")), None)
    if span is None or not any(name.endswith("_days") for name in names[-2:]):
        return f": write the number alone: {written[1]}"
    days = number * _DAYS_PER[span]
    if not math.isfinite(days):  # (more digits than a float holds: no count of days to give, nor the number)
        return f": write the number alone, without '{written[2]}'"
    if days < 0:  # (no field of days takes a negative number)
        return f": write the days as a number, at least 0 ({value.strip()} would be {days:g} days)"
    if span == "day":
        return f": write the number alone: {written[1]}"
    whole = math.floor(days + 0.5)  # (half up: 2 years, 730.5 days, is about 731)
    about = "" if days == whole else "about "
    return f": write the days as a number: {whole} ({value.strip()} is {about}{whole} days)"


def _given_hint(error: dict[str, Any]) -> str:
    """For a value a field refuses outright (``.nan``, ``inf``): the value, as a ratio's error echoes it.

    >>> _given_hint({"input": float("nan")}), _given_hint({"input": "-inf"})
    (', got nan', ', got -inf')
    """
    return f", got {error.get('input')}" if "input" in error else ""


_HINTS: dict[str, Callable[[dict[str, Any]], str]] = {
    "literal_error": _choice_hint,
    "enum": _choice_hint,
    "union_tag_invalid": _choice_hint,
    "less_than_equal": _percent_hint,
    "model_type": _fields_hint,
    "model_attributes_type": _fields_hint,
    "string_pattern_mismatch": _id_hint,
    "number_type": _unit_hint,
    "finite_number": _given_hint,
    "infinite_text": _given_hint,
}
"""What a message of each error type may add, from the value given."""


def _problems(exc: ValidationError, data: dict[str, Any]) -> list[Problem]:
    """One problem per field path.

    A union (a number or a distribution, a day or a date) reports one error per branch.
    The message kept for a path is its first error that is not a mere shape mismatch; a
    mismatch is dropped altogether when another branch found a problem inside the value
    (the value had that branch's shape, so the problem inside is the one to fix).
    """
    errors = [(_readable_path(tuple(error["loc"]), data), error) for error in exc.errors(include_url=False)]
    keys = {}  # a key that is not text (~, 3): its mapping's problem, naming the key as written
    for i, (path, error) in enumerate(errors):
        if error["loc"][-1:] == ("[key]",) and path:
            parent, _, key = path.rpartition(".")
            errors[i] = (parent, error)
            keys[id(error)] = f"key {key}: "
    enclosing = {".".join(path.split(".")[:n]) for path, _ in errors if path for n in range(path.count(".") + 1)}
    best: dict[str, tuple[bool, str]] = {}
    emptied: set[str] = set()  # the empty entries a mis-indented field was meant for: its message says them
    for path, error in errors:
        mismatch = error["type"] in _MISMATCHES and id(error) not in keys
        if mismatch and path in enclosing:
            continue
        if path not in best or (best[path][0] and not mismatch):
            misplaced, entry = _misplaced_field(path, error, data)
            if entry:
                emptied.add(entry)
            message = misplaced or _message(error) + _among_percentages(path, error, data) + _names_hint(error, data)
            best[path] = (mismatch, keys.get(id(error), "") + message)
    return [Problem(path, message) for path, (_, message) in best.items() if path not in emptied]


def _misplaced_field(path: str, error: dict[str, Any], data: dict[str, Any]) -> tuple[str | None, str | None]:
    """For a field written one level too far left: what to say, and the empty entry that probably lost it.

    Among the entries that should hold it, the field's message, and the path of the empty entry
    above it (:func:`_emptied_entry`; None where there is none); else (None, None).

    ``tonnes_per_day: 34.8`` dedented under ``regions.eu.demand`` reads as a material named
    ``tonnes_per_day``; its message says that it is a field of a material (the materials the
    scenario names, and the empty entry above it that probably lost it), not a material.
    The key is found in the data once (:func:`_key_in_data`) for both.

    >>> data = {"materials": {"ree": {}}, "regions": {"eu": {"demand": {"ree": None, "tonnes_per_day": 3}}}}
    >>> error = {"type": "model_type", "input": 3, "ctx": {"class_name": "Demand"},
    ...     "loc": ("regions", "eu", "demand", "tonnes_per_day")}
    >>> _misplaced_field("regions.eu.demand.tonnes_per_day", error, data)
    ("'tonnes_per_day' is a field of a material, not a material (known materials: ree): probably mis-indented, \
one level too far left; write it under ree, which is empty: ree: {tonnes_per_day: 3}", 'regions.eu.demand.ree')
    """
    if error["type"] not in ("model_type", "model_attributes_type"):
        return None, None
    model = getattr(schema, str((error.get("ctx") or {}).get("class_name")), None)
    found = _key_in_data(path, tuple(error["loc"]), data)
    if found is None or found[1] not in getattr(model, "model_fields", {}):
        return None, None
    entries, key, parent_path = found
    materials = data.get("materials") if isinstance(data.get("materials"), dict) else {}
    if any(name in materials for name in entries):
        kind, kinds, known = "a material", "materials", list(materials)
    else:
        kind, kinds = f"an entry of {parent_path}", f"entries of {parent_path}"
        known = [name for name in entries if name not in model.model_fields]
    entry = _emptied_entry(entries, key, parent_path)
    empty = entry.rpartition(".")[2] if entry else None
    where = f"; write it under {empty}, which is empty: {empty}: {{{key}: {error.get('input')}}}" if empty else ""
    message = (
        f"'{key}' is a field of {kind}, not {kind} (known {kinds}: {', '.join(map(str, known)) or 'none'}): "
        f"probably mis-indented, one level too far left{where}"
    )
    return message, entry


def _key_in_data(path: str, loc: tuple[Any, ...], data: Any) -> tuple[dict[Any, Any], str, str] | None:
    """The mapping that holds the key an error's ``loc`` ends with, the key, and the mapping's path as ``path`` reads.

    Followed through the data by ``loc`` itself, not by splitting ``path`` at its dots: a key may
    hold a dot (``light_ree.tonnes_per_day: 50``). None where ``loc`` leads nowhere in the data (a
    union's branch name in it) or ``path`` does not end with the key.

    >>> _key_in_data("a.b.c", ("a", "b.c"), {"a": {"b.c": 1}})
    ({'b.c': 1}, 'b.c', 'a')
    """
    if not loc or not isinstance(loc[-1], str) or not path.endswith(f".{loc[-1]}"):
        return None
    entries: Any = data
    for part in loc[:-1]:
        if isinstance(entries, dict):
            entries = entries.get(part)
        elif isinstance(entries, list) and isinstance(part, int) and 0 <= part < len(entries):
            entries = entries[part]
        else:
            return None
    if not isinstance(entries, dict) or loc[-1] not in entries:
        return None
    return entries, loc[-1], path[: -len(loc[-1]) - 1]


def _emptied_entry(entries: dict[Any, Any], key: str, parent_path: str) -> str | None:
    """The path of the last empty entry written above ``key`` among its siblings ``entries``, or None.

    A field dedented one level (``tonnes_per_day`` under ``regions.eu.demand``) leaves the entry
    it belonged to empty (``light_ree:`` with nothing under it): that entry's own problem (not
    a mapping) has the one cause the field's message says. ``entries``, ``key`` and ``parent_path``
    (the path of ``entries``): as :func:`_key_in_data` finds them.

    >>> _emptied_entry({"ree": None, "tonnes_per_day": 3}, "tonnes_per_day", "regions.eu.demand")
    'regions.eu.demand.ree'
    """
    siblings = list(entries)
    empty = [name for name in siblings[: siblings.index(key)] if entries[name] is None]
    return f"{parent_path}.{empty[-1]}" if empty else None


_ID = re.compile(ID_PATTERN)
_POSITION = re.compile(r"-?[0-9]{1,9}")  # as a --set path gives one (simulator.scenario.overrides)


def item_id(items: list[Any], item: Any) -> str | None:
    """A list item's ``id`` when it is a valid id no other item of the list has, else None."""
    ident = item.get("id") if isinstance(item, dict) else None
    if not isinstance(ident, str) or not _ID.fullmatch(ident):
        return None
    same = sum(1 for other in items if isinstance(other, dict) and other.get("id") == ident)
    return ident if same == 1 else None


def named_path(path: str, data: Any) -> str:
    """``path`` with each list position replaced by the item's ``id`` where it has one.

    ``shocks.4.end`` becomes ``shocks.china_quota_2011.end``: the user finds the shock
    by its name instead of counting, and the path is the one ``--set`` takes. An item
    whose id is missing, invalid or shared keeps its position (counted from 0, as a
    ``--set`` path's ``-1`` is). A path that names an item by id is left as it is.

    >>> named_path("shocks.1.end", {"shocks": [{"id": "a"}, {"id": "b"}]})
    'shocks.b.end'
    >>> named_path("shocks.1.id", {"shocks": [{"id": "a"}, {"id": "a"}]}), named_path("x.-1", {"x": [1, 2]})
    ('shocks.1.id', 'x.1')
    """
    parts: list[str] = []
    node = data
    for part in path.split(".") if path else []:
        if isinstance(node, list) and _POSITION.fullmatch(part) and -len(node) <= int(part) < len(node):
            position = int(part) % len(node)
            item = node[position]
            parts.append(item_id(node, item) or str(position))
            node = item
        elif isinstance(node, list):  # an id, as a --set path may give it
            parts.append(part)
            node = next((item for item in node if isinstance(item, dict) and item.get("id") == part), None)
        elif isinstance(node, dict) and part in node:
            parts.append(part)
            node = node[part]
        else:
            parts.append(part)
            node = None
    return ".".join(parts)


_UNCERTAIN_ITEM = re.compile(r"uncertain\.(\d+)(?:\.|$)")


def _named(problems: list[Problem], data: dict[str, Any]) -> list[Problem]:
    """The problems with list items in their paths named by id (see :func:`named_path`).

    An ``uncertain`` entry has no id: a problem of one that does not name the field it
    varies says it, ``need low < high (the entry on regions.eu.demand.ree.tonnes_per_day)``.
    """
    named = []
    for p in problems:
        message = p.message
        if (item := _UNCERTAIN_ITEM.match(p.path)) and isinstance(entries := data.get("uncertain"), list):
            i = int(item[1])
            varied = entries[i].get("path") if i < len(entries) and isinstance(entries[i], dict) else None
            if isinstance(varied, str) and varied and varied not in message:
                message += f" (the entry on {varied})"
        named.append(Problem(named_path(p.path, data), message))
    return named


def _glued_keys(data: Any, path: str = "") -> list[Problem]:
    """One problem per key written as ``name:value`` with no space after the colon, found anywhere in ``data``.

    YAML reads ``{light_ree:15}`` as a key ``light_ree:15`` with no value, which would give
    one message for the key and one for the missing value (and a path split at its ``.``):
    the one cause, a missing space, is said instead.

    >>> _glued_keys({"agreement": {"cap": {"light_ree:15": None, "heavy_ree:0.3": None}}})[1]
    Problem(path='agreement.cap', message="key 'heavy_ree:0.3' has no value: YAML needs a space after the colon \
({heavy_ree: 0.3}, not {heavy_ree:0.3})")
    """
    problems = []
    if isinstance(data, dict):
        for key, value in data.items():
            glued = GLUED_KEY.fullmatch(key) if isinstance(key, str) and value is None else None
            if glued:
                problems.append(Problem(path, f"key {key!r} has no value: {space_after_colon(glued, '{', '}')}"))
            else:
                problems += _glued_keys(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, item in enumerate(data):
            problems += _glued_keys(item, f"{path}.{i}" if path else str(i))
    return problems


def validate_data(data: dict[str, Any], source: str | None = None) -> Scenario:
    """Validate raw scenario data (both tiers); raise one :class:`ScenarioError`.

    Every problem's path names list items by their ``id`` (:func:`named_path`). Keys glued to their
    values (:func:`_glued_keys`) are looked for only once the data fails, and are then said instead of
    the other problems: valid data has none, and the walk is a tenth of a validation (once per sweep point).
    """
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_named(_glued_keys(data) or _problems(exc, data), data), source) from None
    problems = check_scenario(scenario)
    if not problems:  # quotas and benchmarks are computed only on a consistent scenario
        problems = check_quotas(scenario) + check_benchmarks(scenario)
    if problems:
        raise ScenarioError(_named(_glued_keys(data) or problems, data), source)
    return scenario


def value_problems(
    data: dict[str, Any],
    source: str,
    entries: Iterable[tuple[int, str, Iterable[Any]]],
    text: Callable[[Any], str] = repr,
) -> list[Problem]:
    """For each ``(i, path, values)``, the first value the field cannot take, as a problem of ``uncertain.<i>``.

    ``stockpile validate`` passes each discrete ``uncertain:`` entry's values, a sampling
    study each input's extremes, so a bad value is found before any run.
    """
    problems = []
    for i, path, values in entries:
        for value in values:
            try:
                validate_data(apply_overrides(data, [(path, value)]), source)
            except InputError as exc:
                reasons = "; ".join(f"{p.path}: {p.message}" if p.path else p.message for p in exc.problems)
                problems.append(Problem(f"uncertain.{i}", f"{path}={text(value)} is not valid: {reasons}"))
                break
    return problems


SWEEP_ONLY_KEYS = ("grid", "runs")
"""Keys of a sweep file (``stockpile sweep --spec``) that no scenario has."""


def not_a_scenario(data: dict[str, Any], folder: Path = Path("scenarios")) -> str | None:
    """Why a file's data is not a scenario at all but another kind of file, or None.

    ``folder``: the file's own folder, where the advice puts a folder check skips (``folder/_sweeps/``).

    A sweep file (``grid:``, ``runs:``) and none of a scenario's required keys: one line
    saying so and where such files belong, instead of one "is required" per missing field
    and one "unknown key" per sweep key. Data with any required key is a scenario, however
    malformed, and gets the ordinary messages.

    >>> sweep = {"scenario": "s.yaml", "grid": {"seed": [1, 2]}, "runs": 5}
    >>> not_a_scenario(sweep).split(";")[0]  # doctest: +ELLIPSIS
    'not a scenario: it looks like a sweep file (it has grid and runs, no name, horizon_days, ... or regions)'
    >>> not_a_scenario({"name": "x", "grid": {}}), not_a_scenario({"nme": "x"})
    (None, None)

    Data none of whose keys is near a scenario's (notes, another tool's settings) says so too
    (:func:`_foreign`).
    """
    sweep = [key for key in SWEEP_ONLY_KEYS if key in data]
    if not sweep:
        return _foreign(data, folder)
    if any(key in data for key in _REQUIRED_KEYS):
        return None
    return (
        f"not a scenario: it looks like a sweep file (it has {' and '.join(sweep)}, no "
        f"{', '.join(_REQUIRED_KEYS[:-1])} or {_REQUIRED_KEYS[-1]}); run it with stockpile sweep --spec FILE "
        f"and keep it outside the scenario folder or in {_skipped(folder, 'sweeps')} (check, validate and list skip "
        "folders whose name starts with '_')"
    )


_REQUIRED_KEYS = tuple(name for name, info in Scenario.model_fields.items() if info.is_required())
"""A scenario's required keys (name, horizon_days, materials, suppliers, regions)."""


def _skipped(folder: Path, name: str) -> str:
    """A folder beside a file that check, validate and list skip: ``scenarios/_notes/``; ``_notes/`` for ``.``.

    >>> _skipped(Path("scenarios"), "notes"), _skipped(Path("."), "sweeps"), _skipped(Path("/tmp/x"), "notes")
    ('scenarios/_notes/', '_sweeps/', '/tmp/x/_notes/')
    """
    return f"{folder / ('_' + name)}/"


def _foreign(data: dict[str, Any], folder: Path = Path("scenarios")) -> str | None:
    """Why data none of whose keys is (or is near) a scenario's is not a scenario, or None.

    A file of notes or another tool's settings in a scenario folder would otherwise get one
    "is required" per missing field and one "unknown key" per key. A key near a scenario's
    (``nme``) is a scenario's key mistyped: the ordinary messages then say which.

    >>> not_a_scenario({"title": "my notes", "items": ["a"]}).split(";")[0]
    'not a scenario: none of its keys (title, items) is a scenario key (name, horizon_days, ... or regions)'
    >>> _foreign({"nme": "x", "title": "t"}), _foreign({})
    (None, None)
    """
    keys = [str(key) for key in data]
    if not keys or any(difflib.get_close_matches(key, list(Scenario.model_fields), n=1) for key in keys):
        return None
    shown_keys = ", ".join(keys[:5]) + (f" and {len(keys) - 5} more" if len(keys) > 5 else "")
    return (
        f"not a scenario: none of its keys ({shown_keys}) is a scenario key ({', '.join(_REQUIRED_KEYS[:2])}, ... "
        f"or {_REQUIRED_KEYS[-1]}); keep other YAML files outside the scenario folder or in a folder whose name "
        f"starts with '_' ({_skipped(folder, 'notes')}), which check, validate and list skip"
    )


def load_raw(path: str | Path, overrides: list[tuple[str, Any]] | None = None) -> dict[str, Any]:
    """Raw scenario data from a YAML file with overrides applied (not validated).

    A file that is another kind of file (:func:`not_a_scenario`) is refused here, naming it.
    """
    return load_overridden(path, overrides or []).data


def load_overridden(path: str | Path, overrides: Sequence[tuple[str, Any]]) -> Overridden:
    """:func:`load_raw`, with the mappings the overrides made (:attr:`Overridden.made`, for :func:`blamed`).

    A file followed by a slash is refused (:func:`file_followed_by_slash`), not read as the file.
    """
    refuse_file_followed_by_slash(path)
    path = Path(path)
    data = read_yaml(path)
    if (other := not_a_scenario(data, path.parent)) is not None:
        raise ScenarioError(other, str(path))
    return overridden_file(data, str(path), overrides)


def overridden_file(data: dict[str, Any], source: str, overrides: Sequence[tuple[str, Any]]) -> Overridden:
    """``data`` of ``source`` (a file, or the API's scenario data) with ``overrides`` applied (a copy).

    An override that leads nowhere is said of the source and the ``--set`` (:func:`said_of_override`).
    """
    try:
        return overridden(data, overrides)
    except OverrideError as exc:  # a bad --set path: name the file and the --set
        raise said_of_override(exc, source) from None


def set_source(source: str, assignment: tuple[str, Any]) -> str:
    """``SOURCE [set PATH=VALUE]``: how every command (run, sweep, explore) names the override a problem is of.

    >>> set_source("s.yaml", ("agreement.ratio.japan", 0.3))
    's.yaml [set agreement.ratio.japan=0.3]'
    """
    path, value = assignment
    return f"{source} [set {path}={shown(value, ECHO_WIDTH)}]"


def said_of_override(exc: OverrideError, source: str) -> ScenarioOverrideError:
    """An override that could not be applied (:class:`OverrideError`), said of it: ``SOURCE [set PATH=VALUE]``.

    The one rule for every command that takes ``--set`` (run, report, sweep, explore, compare,
    sensitivity, calibrate) and the API, a file or data: a :class:`ScenarioOverrideError`, so
    a ScenarioError as the scenario's other problems and an OverrideError keeping its assignment.
    """
    return ScenarioOverrideError(exc.problems, exc.assignment).said_of(set_source(source, exc.assignment))


def blame_overrides(
    exc: InputError,
    data: dict[str, Any],
    source: str,
    overrides: Sequence[tuple[str, Any]],
    made: Collection[str],
    varied: Sequence[str] = (),
) -> None:
    """Raise ``exc``'s problems that an override caused, as ``source [set PATH=VALUE]: ...`` (:func:`set_source`).

    The first override with problems of its own is named, with those problems only
    (:func:`blamed`, which ``made`` and ``varied`` are for): the file's own problems are left
    for after that one is fixed. Returns when no override caused any.
    """
    if (found := blamed(exc, data, overrides, made, varied)) is not None:
        assignment, ours = found
        raise exc.said_of(set_source(source, assignment)).with_problems(ours) from None


def blamed(
    exc: InputError,
    data: dict[str, Any],
    overrides: Sequence[tuple[str, Any]],
    made: Collection[str],
    varied: Sequence[str] = (),
) -> tuple[tuple[str, Any], list[Problem]] | None:
    """The first override with problems of its own, and those problems; else None.

    ``data``: the scenario data with ``overrides`` applied (:func:`apply_overrides`). An
    override's problems are those at or inside its path, looked for in every override
    first. A member's ratio (``agreement.ratio.eu``) also owns the problems of the ratios as a
    whole (they sum to 0.8): the other members' ratios are rescaled to it. The members
    (``agreement.members``) also own the keys that name regions they leave out
    (:func:`~simulator.scenario.checks.unlisted_member`): the file listed them.

    An override also owns the problems at or inside a mapping above its path that the
    overrides made (``made``: :attr:`~simulator.scenario.overrides.Overridden.made` of the
    call that applied them; ``agreement`` of ``agreement.ratio.japan`` where the file has no
    agreement, ``agreement.members: is required``): such a mapping holds nothing the file
    gave. Not where a path of ``varied`` (a sweep's axes) sets a value inside the mapping: the
    grid points say what is wrong there.
    """
    for path, value in overrides:
        named = named_path(path, data)  # as the problems name it: a shock by its id, given by id or position
        whole = "agreement.ratio" if ratio_member(path) is not None else None
        members = named == "agreement.members"  # owns the keys left naming regions it no longer lists
        if ours := [
            p
            for p in exc.problems
            if p.path in (named, whole) or within(p.path, named) or (members and unlisted_member(p))
        ]:
            return (path, value), ours
    made_named = {named_path(mapping, data) for mapping in made}  # as the problems name them: a shock by its id
    for path, value in overrides:
        above = [
            mapping
            for mapping in mappings_made_for(named_path(path, data), made_named)
            if not any(within(named_path(axis, data), mapping) for axis in varied)
        ]
        if ours := [p for p in exc.problems if any(p.path == m or within(p.path, m) for m in above)]:
            return (path, value), ours
    return None


def validate_overridden(loaded: Overridden, source: str, overrides: Sequence[tuple[str, Any]]) -> Scenario:
    """:func:`validate_data` of data with ``overrides`` applied, naming an override that caused a problem.

    ``loaded``: the data and the mappings the overrides made in it (:func:`load_overridden`,
    :func:`~simulator.scenario.overrides.overridden`), so a problem in such a mapping is the
    override's (:func:`blamed`) with nothing read again, data given as a mapping as a file.
    """
    try:
        return validate_data(loaded.data, source)
    except InputError as exc:
        blame_overrides(exc, loaded.data, source, overrides, loaded.made)
        raise


def load_scenario(path: str | os.PathLike[str], overrides: Any = None) -> Scenario:
    """Load, override and validate a scenario file.

    Parameters
    ----------
    path
        YAML scenario file, or the bare name of a scenario in ``./scenarios`` or the
        shipped library (``"embargo_2010"``), as ``simulator.run`` takes it.
    overrides
        Changes applied before validation, as ``set=`` of ``simulator.run`` (see
        :mod:`simulator.scenario.overrides`): a mapping ``{dotted_path: value}``, a list of
        ``(dotted_path, value)`` pairs or ``"PATH=VALUE"`` strings.
    """
    from simulator.arguments import assignments
    from simulator.library import refuse_missing_name, resolve_scenario

    if not isinstance(path, str | os.PathLike):
        raise InputError(f"path: give a scenario file path or a scenario name, not {type(path).__name__}")
    pairs = assignments(overrides, "overrides")
    source = resolve_scenario(os.fspath(path))
    refuse_missing_name(source)  # a bare name found nowhere: where it was looked for, as simulator.run says
    return validate_overridden(load_overridden(source, pairs), source, pairs)


ORDERED_MAPPINGS = ("regions", "materials", "suppliers")
"""Top-level mappings whose order is part of a scenario: the model lays its arrays out in that
order, draws demand noise cell by cell in it, and a few rules take regions in file order."""


def with_order(data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with each of :data:`ORDERED_MAPPINGS` also given as its list of names, in order.

    For hashing with sorted keys: two files whose regions, materials or suppliers come in
    another order give other numbers, so they must not hash alike.

    >>> with_order({"regions": {"japan": 1, "eu": 2}, "horizon_days": 30})["order"]
    {'regions': ['japan', 'eu']}
    """
    order = {key: list(data[key]) for key in ORDERED_MAPPINGS if isinstance(data.get(key), dict)}
    return {**data, "order": order}


def canonical_data(scenario: Scenario) -> dict[str, Any]:
    """The scenario's data as hashed: its values not left at their defaults, and its order (:func:`with_order`).

    A field added later with a default then changes no hash.
    """
    return with_order(scenario.model_dump(mode="json", exclude_defaults=True))


def scenario_hash(scenario: Scenario) -> str:
    """SHA-256 of the scenario's canonical JSON (:func:`canonical_data`, keys sorted).

    Same content in the same order of regions, materials and suppliers (:data:`ORDERED_MAPPINGS`),
    same hash, however the file is formatted and whatever values it writes out at their defaults.
    """
    return sha256_of(canonical_data(scenario))


def sha256_of(data: Any) -> str:
    """SHA-256 of ``data`` as compact JSON with its keys sorted (the scenario hashes' form)."""
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def json_schema() -> dict[str, Any]:
    """The JSON Schema of a scenario file, each field described by its docstring."""
    from simulator.scenario.descriptions import with_field_descriptions

    return with_field_descriptions(Scenario.model_json_schema(), Scenario)


@functools.cache
def _plain_schema() -> dict[str, Any]:
    """The JSON Schema without descriptions (what :func:`field_unit` reads), built once."""
    return Scenario.model_json_schema()


def _concrete(nodes: Iterable[dict[str, Any]], defs: dict[str, Any]) -> list[dict[str, Any]]:
    """``nodes`` with references followed and unions (``anyOf``, ``oneOf``, ``allOf``) opened into their branches."""
    out: list[dict[str, Any]] = []
    for node in nodes:
        ref = node.get("$ref")
        if isinstance(ref, str):
            out.extend(_concrete([defs[ref.rsplit("/", 1)[-1]]], defs))
            continue
        out.append(node)
        for key in ("anyOf", "oneOf", "allOf"):
            out.extend(_concrete(node.get(key, []), defs))
    return out


def field_unit(path: str) -> str | None:
    """The unit the schema gives the field at a ``--set`` path, None when it gives none (or several).

    List items are named by their id, their position or ``[k]`` (``shocks.halt.severity``,
    ``bids.japan.ree[0].share``); map keys by anything (``regions.japan.sourcing.ree.china``).

    >>> field_unit("agreement.trigger.commercial_days_below"), field_unit("shocks.halt.severity")
    ('days', 'fraction')
    >>> field_unit("regions.japan.sourcing.ree.china"), field_unit("name"), field_unit("no.such.field")
    ('fraction', None, None)
    """
    units = {str(node["unit"]) for node in field_schemas(path) if "unit" in node}
    return units.pop() if len(units) == 1 else None


def field_schemas(path: str) -> list[dict[str, Any]]:
    """The schemas of the field at a ``--set`` path (one per branch of a union); empty for no such field."""
    schema = _plain_schema()
    defs = schema.get("$defs", {})
    nodes = [schema]
    for step in re.findall(r"\[[^\]]*\]|[^.\[]+", path):
        found: list[dict[str, Any]] = []
        for node in _concrete(nodes, defs):
            if step.startswith("[") or (node.get("type") == "array" and step not in node.get("properties", {})):
                if isinstance(node.get("items"), dict):
                    found.append(node["items"])
            elif step in node.get("properties", {}):
                found.append(node["properties"][step])
            else:
                found.extend(node.get("patternProperties", {}).values())
                if isinstance(node.get("additionalProperties"), dict):
                    found.append(node["additionalProperties"])
        nodes = found
    return _concrete(nodes, defs)
