"""Mends from this session's reviews."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from simulator.sensitivity.intervals import numbered


def test_numbering_a_table_built_column_by_column_raises_no_performance_warning():
    # a samples table of a 12-member scenario has hundreds of columns added one at a time:
    # pandas warned "DataFrame is highly fragmented" on the insert of the sample column
    table = pd.DataFrame(index=range(3))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", pd.errors.PerformanceWarning)  # (building it warns too)
        for i in range(150):
            table[f"c{i}"] = np.full(3, float(i))
    with warnings.catch_warnings():
        warnings.simplefilter("error", pd.errors.PerformanceWarning)
        out = numbered(table)
    assert out.columns[0] == "sample" and out["sample"].tolist() == [0, 1, 2]
    assert out.iloc[:, 1:].equals(table)


def _run_of(shortfall_t: dict[tuple[str, str], float]):
    """A stand-in for the report's Run: two materials, each member's shortfall of each, written as the report does."""
    from types import SimpleNamespace

    from simulator.report.words import shortfall_tonnes, tonnes
    from simulator.shortages import short

    return SimpleNamespace(
        materials=lambda: ["a", "b"],
        cell=lambda member, material, key: shortfall_t[(member, material)],
        names=SimpleNamespace(subject=lambda m: m, material_text=lambda m: m),
        t=lambda value, metric, zero: zero if value == 0 else tonnes(value),
        short_t=lambda value, metric, zero="0 t": shortfall_tonnes(value) if short(value) else zero,
    )


def test_members_whose_materials_read_the_same_pooled_and_alone_make_no_empty_pooled_sentence():
    from simulator.report.sharing import _movers_by_material

    members = [f"m{i}" for i in range(5)]  # more than MANY_NAMED: told material by material
    # totals 10.04 against 10.08 t differ as written (10.0, 10.1), each material (5.02 against 5.04 t) does not
    pooled = _run_of({(m, x): 5.02 for m in members for x in "ab"})
    alone = _run_of({(m, x): 5.04 for m in members for x in "ab"})
    assert _movers_by_material(pooled, alone, members) == ""
    # one member no longer short of a: its clause leads with 0 t, not "is short of none"
    pooled = _run_of({(m, x): 5.02 for m in members for x in "ab"} | {("m0", "a"): 0.0})
    said = _movers_by_material(pooled, alone, members)
    assert said == " Pooled, of a, m0 is short of 0 t against 5.0\u00a0t alone.", said  # (a no-break space in "5.0 t")
