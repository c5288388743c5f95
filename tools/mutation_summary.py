"""Score of the last ``mutmut run``, per module, against the documented equivalent mutants.

Developer tooling, outside the package and its layers, and not a test: ``make mutate``
runs it after mutmut (``python tools/mutation_summary.py``).
It reads ``mutmut results --all true`` and ``docs/mutation-testing.md``, and prints per
module the mutants killed, the survivors documented as equivalent (or as not yet
treated) and the survivors nobody has looked at yet, which are the ones to act on:
kill each with a test, or document why it cannot change behaviour.

Mutant names number the mutations inside one function, so editing a function renames
its mutants: survivors of an edited function show up as new, and entries of the docs
that no longer survive are reported as stale.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "mutation-testing.md"
MUTANT = re.compile(r"`(simulator\.[\w.ǁ]+__mutmut_\d+)`")
KILLED = ("killed", "timeout", "caught by type check")


def module_of(mutant: str) -> str:
    """``simulator.kernel.procure.xǁProcurementǁ_resource__mutmut_6`` -> ``simulator.kernel.procure``."""
    return re.split(r"\.xǁ|\.x_", mutant, maxsplit=1)[0]


def parse_results(text: str) -> dict[str, str]:
    """Mutant name -> status from the lines ``    name: status`` of ``mutmut results``."""
    out = {}
    for line in text.splitlines():
        name, sep, status = line.strip().partition(": ")
        if sep and name.startswith("simulator."):
            out[name] = status
    return out


def documented(text: str) -> set[str]:
    """Mutant names written in backticks in the docs page."""
    return set(MUTANT.findall(text))


def summary(results: dict[str, str], known: set[str]) -> tuple[str, list[str], list[str]]:
    """The per-module table, the unexplained survivors and the stale docs entries.

    The score is killed / checked: mutants not yet run (``not checked``) do not count,
    and a documented mutant is stale only if it was run and did not survive.
    """
    rows: dict[str, Counter[str]] = {}
    for name, status in results.items():
        count = rows.setdefault(module_of(name), Counter())
        count["total"] += 1
        if status in KILLED:
            count["killed"] += 1
        elif status == "survived":
            count["documented" if name in known else "unexplained"] += 1
        else:
            count[status] += 1
    header = ("module", "mutants", "checked", "killed", "score", "documented", "unexplained")
    lines = [f"{header[0]:34} " + " ".join(f"{h:>11}" for h in header[1:])]
    for module in sorted(rows):
        c = rows[module]
        checked = c["total"] - c["not checked"]
        score = f"{c['killed'] / checked:.1%}" if checked else "-"
        numbers = (c["total"], checked, c["killed"], score, c["documented"], c["unexplained"])
        lines.append(f"{module:34} " + " ".join(f"{n:>11}" for n in numbers))
        other = {k: v for k, v in c.items() if k not in ("total", "killed", "documented", "unexplained", "not checked")}
        if other:
            lines.append(f"{'':34} also: {', '.join(f'{v} {k}' for k, v in sorted(other.items()))}")
    unexplained = sorted(n for n, s in results.items() if s == "survived" and n not in known)
    # a documented mutant this run did not test (a subset run) may still survive
    stale = sorted(n for n in known if results.get(n, "not checked") not in ("survived", "not checked"))
    return "\n".join(lines), unexplained, stale


def main() -> int:
    """Print the summary of the last run (exit 0; the lists say what to do)."""
    text = subprocess.run(
        [str(Path(sys.executable).parent / "mutmut"), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    table, unexplained, stale = summary(parse_results(text), documented(DOCS.read_text()))
    print(table)
    if unexplained:
        print(f"\n{len(unexplained)} survivors not in docs/mutation-testing.md (kill each, or document it):")
        print("\n".join(f"  {name}   (mutmut show {name})" for name in unexplained))
    if stale:
        print(f"\n{len(stale)} mutants listed in docs/mutation-testing.md no longer survive (remove them):")
        print("\n".join(f"  {name}" for name in stale))
    return 0


if __name__ == "__main__":
    sys.exit(main())
