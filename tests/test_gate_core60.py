"""The gate's pieces shared between its modules are public names, defined once (session 60).

``short_hash``: the hash a baseline records for each scenario part; the check of edited
fields (:mod:`simulator.gate.fields`) hashes the committed versions' parts the same way,
so it imports the one public definition rather than a private name of another module.
"""

from __future__ import annotations

import ast
import json
from pathlib import Path

import simulator.gate.baseline as baseline
import simulator.gate.fields as fields

ROOT = Path(__file__).resolve().parents[1]
GATE = ROOT / "simulator" / "gate"


def test_short_hash_is_what_the_shipped_baseline_records():
    """long_embargo_6m.yaml has ``members: [japan, eu]`` and ``horizon_days: 730``; its baseline records
    77c124e7c08d for the members (SHA-256 of the JSON text ``["japan","eu"]``, first 12 digits) and
    61182f398518 for the horizon (of ``730``)."""
    recorded = json.loads((ROOT / "scenarios" / "baselines" / "long_embargo_6m.json").read_text())["scenario_parts"]
    assert baseline.short_hash(["japan", "eu"]) == recorded["agreement.members"] == "77c124e7c08d"
    assert baseline.short_hash(730) == recorded["horizon_days"] == "61182f398518"
    assert fields.short_hash is baseline.short_hash


def _private(name: str) -> bool:
    """``_name``, not a dunder such as ``__version__``."""
    return name.startswith("_") and not name.endswith("__")


def test_no_gate_module_imports_a_private_name_of_another():
    private = []
    for path in sorted(GATE.glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("simulator."):
                private += [f"{path.name}: {node.module}.{a.name}" for a in node.names if _private(a.name)]
    assert private == []
