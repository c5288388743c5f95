"""The shipped scenario library: where it is, and scenarios in it by bare name.

Layer: ground. The repository's ``scenarios/`` folder (the scenario files and their
regression baselines in ``scenarios/baselines/``) is installed with the package as
``simulator/scenario_library/`` (``pyproject.toml`` maps one onto the other). In a source
checkout that folder does not exist inside the package, and the checkout's own
``scenarios/`` is the library.

Where a command takes a scenario folder or file, ``./scenarios`` (the folder the user
works in) comes first and the shipped library second.
"""

from __future__ import annotations

import difflib
import os
from importlib import resources
from pathlib import Path

from simulator.errors import InputError, ScenarioError
from simulator.names import join_words

INSTALLED_NAME = "scenario_library"
"""The library's folder inside the installed package."""

LOCAL_FOLDER = Path("scenarios")
"""The scenario folder of the working directory, searched before the shipped library."""


def shipped_library() -> Path:
    """The folder of scenario files installed with the package (in a checkout, its ``scenarios/``)."""
    package = Path(str(resources.files("simulator")))
    installed = package / INSTALLED_NAME
    return installed if installed.is_dir() else package.parent / "scenarios"


def default_folder() -> Path:
    """``./scenarios`` when it exists, the shipped library otherwise."""
    return LOCAL_FOLDER if LOCAL_FOLDER.is_dir() else shipped_library()


def resolve_scenario(text: str, folders: bool = False) -> str:
    """A scenario argument as a path: an existing file as given, else a library scenario by name.

    A bare name (no folder part) such as ``embargo_2010`` or ``embargo_2010.yaml`` that is
    not a file here (a folder of that name, such as an output folder, does not count) is
    looked up in ``./scenarios`` and then in the shipped library, as ``.yaml`` or ``.yml``;
    a stem that names both there is refused. With ``folders`` (a command that takes folders
    too, such as ``validate``) a folder here named as given is taken as it is.

    A bare name found nowhere that is close to the name of a scenario there (a typo such as
    ``embargo_201``) is refused with a :class:`ScenarioError` that says "did you mean", as
    loading it would have said "file not found" (not with ``folders``: ``validate`` names
    each missing file in turn). Anything else comes back unchanged, so that loading it
    reports the missing file.
    """
    path = Path(text)
    if (path.exists() if folders else path.is_file()) or path.name != text:
        return text
    names = [text] if text.endswith((".yaml", ".yml")) else [f"{text}.yaml", f"{text}.yml"]
    for folder in (LOCAL_FOLDER, shipped_library()):
        found = [folder / name for name in names if (folder / name).is_file()]
        if len(found) > 1:
            raise InputError(f"a bare name that means two files ({found[0]} and {found[1]}): name one of them", text)
        if found:
            return str(found[0])
    if not folders and not path.exists() and (close := close_names(text)):
        meant = join_words([f"'{name}'" for name in close], last="or")
        raise ScenarioError(f"file not found, nor a scenario of that name; did you mean {meant}?", text)
    return text


def scenario_names() -> list[str]:
    """The names of the scenarios a bare name finds: those of ``./scenarios``, then the shipped library's."""
    names: dict[str, None] = {}
    for folder in (LOCAL_FOLDER, shipped_library()):
        if folder.is_dir():
            names.update(dict.fromkeys(sorted(p.stem for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))))
    return list(names)


def close_names(text: str, most: int = 3) -> list[str]:
    """Up to ``most`` scenario names close to ``text`` (its ``.yaml``/``.yml`` ignored), closest first.

    >>> close_names("embargo_20100")[0], close_names("club_of_fiv"), close_names("no_such_scenario")
    ('embargo_2010', ['club_of_five'], [])
    """
    stem = text.removesuffix(".yaml").removesuffix(".yml")
    return difflib.get_close_matches(stem, scenario_names(), n=most, cutoff=0.6)


def missing_name(text: str) -> bool:
    """Whether ``text``, as :func:`resolve_scenario` left it, is a bare name found nowhere.

    A broken link of that name here is found (loading it says it is broken), as a FIFO is.
    """
    path = Path(text)
    return path.name == text and not os.path.lexists(path)


def refuse_missing_name(text: str) -> None:
    """Raise :class:`ScenarioError` saying where a bare name found nowhere was looked for (the API and the CLI)."""
    if missing_name(text):
        raise ScenarioError(_not_found(text), text)


def why_missing(text: str) -> str | None:
    """Why the scenario argument ``text`` names no file, or None when it does (a sweep file's ``scenario:``).

    ``text`` is resolved first (:func:`resolve_scenario`, whose "did you mean" refusal of a
    close name is raised as it is). A bare name found nowhere: where it was looked for, as
    for a SCENARIO argument (:func:`_not_found`); a path to nothing: ``file not found``, with
    the folder a relative path is taken from.
    """
    path = resolve_scenario(text)
    if missing_name(path):
        return _not_found(path)
    if not os.path.lexists(path):
        relative = (
            "" if os.path.isabs(path) else f" (a path is taken from the folder the command runs in, {Path.cwd()})"
        )
        return f"file not found{relative}"
    return None


def _not_found(name: str) -> str:
    """Where a bare name was looked for: here, ``./scenarios`` and the shipped library, by their full paths.

    >>> _not_found("no_such").startswith("file not found here, nor as no_such.yaml or no_such.yml in ./scenarios")
    True
    """
    stem = name.removesuffix(".yaml").removesuffix(".yml")
    names = f"{name}" if stem != name else f"{stem}.yaml or {stem}.yml"
    local, library = LOCAL_FOLDER.resolve(), shipped_library().resolve()
    where = (
        f"./scenarios, which is the shipped library ({local})"
        if local == library
        else f"./scenarios ({local}) or the shipped library ({library})"
    )
    return f"file not found here, nor as {names} in {where}"
