"""MkDocs hooks: add the generated pages and the code style sheet to the site at build time.

``scenario-reference.md``, ``cli-reference.md`` and ``outputs-reference.md`` are made from the code
(:mod:`simulator.docs_reference`) on every build and added to the site as generated
files, so they can never drift from the code and are never written into ``docs/``.
A file of the same name in ``docs/`` is replaced by the generated one.

``css/pygments.css`` colours the code blocks, which the ``codehilite`` extension marks
up with Pygments at build time, so that the site loads no script from the network and
reads the same opened from disk.
"""

from __future__ import annotations

from typing import Any

from mkdocs.structure.files import File, Files
from pygments.formatters import HtmlFormatter

from simulator.docs_reference import cli_reference, outputs_reference, scenario_reference

GENERATED = {
    "scenario-reference.md": scenario_reference,
    "cli-reference.md": cli_reference,
    "outputs-reference.md": outputs_reference,
    "css/pygments.css": lambda: HtmlFormatter(style="default").get_style_defs(".codehilite") + "\n",
}


def on_files(files: Files, config: Any) -> Files:
    """Add (or replace) the generated pages and style sheet."""
    for name, make in GENERATED.items():
        existing = files.get_file_from_path(name)
        if existing is not None:
            files.remove(existing)
        files.append(File.generated(config, name, content=make()))
    return files
