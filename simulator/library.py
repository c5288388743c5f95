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

from importlib import resources
from pathlib import Path

from simulator.errors import InputError

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
    Anything else comes back unchanged, so that loading it reports the missing file.
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
    return text
