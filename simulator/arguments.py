"""Arguments as a Python caller gives them: whole numbers, flags and ``set`` changes, checked before use.

Layer: ground. The Python API (:mod:`simulator.api.inputs`) and the lower-level entry
points it exposes (``simulator.load_scenario``, ``simulator.simulate``) check their
arguments with the same helpers, so each refuses bad input with the same
:class:`~simulator.errors.InputError` naming the argument and what it accepts.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from simulator.errors import InputError, Problem, renamed
from simulator.scenario.overrides import parse_assignment


def yaml_value(value: Any) -> Any:
    """A value as YAML would give it: NumPy scalars and arrays, tuples become Python ones."""
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, list | tuple):
        return [yaml_value(v) for v in value]
    if isinstance(value, dict):
        return {k: yaml_value(v) for k, v in value.items()}
    return value


def refuse_keys_not_paths(mapping: Mapping[Any, Any], name: str, written: Callable[[int], str] | None = None) -> None:
    """Refuse (:class:`InputError`, no source) a key of ``mapping`` (argument or field ``name``) that is no path.

    A dotted path is written as text: a number, None, a date or a blank string is none (YAML reads
    ``1.5:`` or ``null:`` so). The key is shown as ``written`` gives the one at its position in
    ``mapping`` (a sweep file's text, :func:`simulator.sweep.grid.key_in_file`: ``2010-01-01``), else
    (a mapping given to the API) as Python writes it (``datetime.date(2010, 1, 1)``).
    """
    keys = list(mapping)
    if not_paths := [position for position, key in enumerate(keys) if not isinstance(key, str) or not key.strip()]:
        first = not_paths[0]  # the position of the first key that is no path
        shown = written(first) if written is not None else repr(keys[first])
        raise InputError(
            f"{name}: the key {shown} is not a dotted path; give each path as text, such as 'agreement.ratio.japan'"
        )


def assignments(changes: Any, name: str = "set") -> list[tuple[str, Any]]:
    """Changes given as argument ``name`` as ``(path, value)`` pairs, in order.

    Accepted: None, a mapping ``{path: value}``, a list of ``(path, value)`` pairs or
    ``"PATH=VALUE"`` strings, or one such string.
    """
    if changes is None:
        return []
    if isinstance(changes, Mapping):
        refuse_keys_not_paths(changes, name)
        items: list[Any] = list(changes.items())
    elif isinstance(changes, str):
        items = [changes]
    elif isinstance(changes, Iterable):
        items = list(changes)
    else:
        raise InputError(
            f"{name}: give a mapping {{path: value}} or a list of (path, value) pairs or 'PATH=VALUE' strings, "
            f"not {changes!r}"
        )
    out = []
    for item in items:
        if isinstance(item, str):
            out.append(_parsed(item, name))
        elif isinstance(item, tuple | list) and len(item) == 2 and isinstance(item[0], str) and item[0].strip():
            out.append((item[0].strip(), yaml_value(item[1])))
        else:
            raise InputError(f"{name}: {item!r} is neither a (path, value) pair nor a 'PATH=VALUE' string")
    return out


def _parsed(text: str, name: str) -> tuple[str, Any]:
    """``PATH=VALUE`` as a pair; its problems name argument ``name`` (``set`` is worded by each front end)."""
    try:
        return parse_assignment(text)
    except InputError as exc:
        if name == "set":
            raise
        problems = [Problem(renamed(p.path, "set", name), renamed(p.message, "set", name)) for p in exc.problems]
        raise InputError(problems, exc.source).in_python_words() from None


def whole(value: Any, name: str, least: int, most: int | None = None) -> int:
    """An option that must be a whole number ``>= least`` (and ``<= most`` when given)."""
    value = yaml_value(value)
    if isinstance(value, bool) or not isinstance(value, int) or value < least or (most is not None and value > most):
        bounds = f">= {least}" if most is None else f"in [{least}, {most}]"
        raise InputError(f"{name}: must be a whole number {bounds}, got {value!r}")
    return value


def flag(value: Any, name: str) -> bool:
    """An option that must be True or False (not a truthy text such as ``"no"``)."""
    value = yaml_value(value)
    if not isinstance(value, bool):
        raise InputError(f"{name}: must be True or False, got {value!r}")
    return value


def path_argument(value: Any, name: str, what: str, *, empty: bool = False) -> Path:
    """An argument that names a file or folder: a ``str`` or an ``os.PathLike``, as a ``Path``.

    ``what`` says what the argument takes in the message (``"an output folder path"``). An
    empty (or blank) path is refused unless ``empty``: ``Path("")`` is the current folder,
    so an output there would be written where the caller did not mean.
    """
    text = os.fspath(value) if isinstance(value, os.PathLike) else value
    if not isinstance(text, str):
        kind = "None" if value is None else type(value).__name__
        raise InputError(f"{name}: give {what}, not {kind}")
    if not empty and not text.strip():
        raise InputError(f"{name}: give {what}, not an empty path (it would name the current folder)")
    if "\0" in text:
        raise InputError(f"{name}: give {what}, not a path holding a NUL character (no file can be named so)")
    return Path(text)
