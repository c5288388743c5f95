"""Errors the command line turns into a short message and exit code 2.

Layer: ground.

Every problem names the file it came from and the dotted field path inside it, so
a user can go straight to the line that needs fixing.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where (dotted field path) and what."""

    path: str
    message: str

    def render(self, source: str | None) -> str:
        """Format as ``file: path: message`` (parts that are empty are left out)."""
        parts = [p for p in (source, self.path) if p]
        return ": ".join([*parts, self.message])


class InputError(Exception):
    """Bad input from the user: a scenario, an option or a path (exit code 2)."""

    def __init__(self, problems: list[Problem] | str, source: str | None = None) -> None:
        if isinstance(problems, str):
            problems = [Problem("", problems)]
        self.problems = problems
        self.source = source
        super().__init__(self.render())

    def render(self) -> str:
        """All problems, one per line."""
        return "\n".join(p.render(self.source) for p in self.problems)


class ScenarioError(InputError):
    """A scenario file that cannot be loaded or fails validation."""
