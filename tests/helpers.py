"""Small scenarios built in code, for tests whose numbers are worked out by hand."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from simulator.engine import simulate
from simulator.results import Result
from simulator.scenario import apply_overrides, validate_data

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = sorted((ROOT / "scenarios").glob("*.yaml"))

ONE_REGION: dict[str, Any] = {
    "name": "tiny",
    "horizon_days": 40,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 10}},
            "commercial_stock": {"ree": {"tonnes": 100}},
            "sourcing": {"ree": {"china": 1.0}},
        }
    },
}

TWO_MEMBERS: dict[str, Any] = {
    "name": "pair",
    "horizon_days": 60,
    "materials": {"ree": {"price_usd_per_kg": 50}},
    "suppliers": {"china": {"lead_time_days": {"japan": 5, "eu": 5}}},
    "regions": {
        "japan": {
            "demand": {"ree": {"tonnes_per_day": 20}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
        "eu": {
            "demand": {"ree": {"tonnes_per_day": 80}},
            "commercial_stock": {"ree": {"tonnes": 0}},
            "sourcing": {"ree": {"china": 1.0}},
        },
    },
    "shocks": [
        {"id": "halt", "kind": "embargo", "supplier": "china", "regions": ["japan", "eu"], "start": -100, "end": 1000}
    ],
    "agreement": {
        "members": ["japan", "eu"],
        "mechanism": "fair_ratio",
        "ratio": {"japan": 0.5, "eu": 0.5},
        "pool": {"contributions": {"japan": {"ree": {"tonnes": 30}}, "eu": {"ree": {"tonnes": 30}}}},
    },
}


def build(base: dict[str, Any], **paths: Any) -> dict[str, Any]:
    """A copy of ``base`` with dotted-path changes (``__`` stands for ``.``)."""
    return apply_overrides(copy.deepcopy(base), [(k.replace("__", "."), v) for k, v in paths.items()])


def run(data: dict[str, Any], seed: int | None = None) -> Result:
    return simulate(validate_data(data, "test"), seed=seed)


def series(result: Result, column: str, region: str, material: str | None = None) -> np.ndarray:
    ts = result.timeseries
    rows = ts[(ts["region"] == region) & ((ts["material"] == material) if material else True)]
    return rows[column].to_numpy()


def frame_bytes(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()
