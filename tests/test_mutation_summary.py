"""The summary `make mutate` prints after mutmut (tools/mutation_summary.py)."""

from __future__ import annotations

from tools.mutation_summary import documented, module_of, parse_results, summary

RESULTS = """\
    simulator.release.ess.x_iea_ess__mutmut_1: killed
    simulator.release.ess.x_iea_ess__mutmut_2: survived
    simulator.release.ess.x_iea_ess__mutmut_3: survived
    simulator.kernel.procure.xǁProcurementǁ_resource__mutmut_6: timeout
    simulator.kernel.procure.xǁProcurementǁ_resource__mutmut_7: not checked
"""

DOCS = """
| `simulator.release.ess.x_iea_ess__mutmut_2` | `>` to `>=` | equivalent |
| `simulator.release.ess.x_iea_ess__mutmut_1` | ... | (killed since) |
"""


def test_a_mutant_belongs_to_the_module_before_its_function():
    assert module_of("simulator.kernel.procure.xǁProcurementǁ_resource__mutmut_6") == "simulator.kernel.procure"
    assert module_of("simulator.release.ess.x_iea_ess__mutmut_2") == "simulator.release.ess"


def test_survivors_split_into_documented_and_unexplained_and_stale_entries_are_found():
    results = parse_results(RESULTS)
    assert len(results) == 5
    table, unexplained, stale = summary(results, documented(DOCS))
    assert unexplained == ["simulator.release.ess.x_iea_ess__mutmut_3"]
    assert stale == ["simulator.release.ess.x_iea_ess__mutmut_1"]
    rows = {line.split()[0]: line.split()[1:] for line in table.splitlines()[1:] if line.startswith("simulator")}
    # mutants, checked, killed, score (killed / checked), documented, unexplained
    assert rows["simulator.release.ess"] == ["3", "3", "1", "33.3%", "1", "1"]
    assert rows["simulator.kernel.procure"] == ["2", "1", "1", "100.0%", "0", "0"]  # a timeout counts as killed


def test_a_documented_survivor_that_this_run_did_not_test_is_not_stale():
    # a subset run (MUTANTS=...) leaves the other modules' mutants "not checked": their
    # documented survivors may still survive and must not be reported for removal
    results = parse_results("    simulator.release.ess.x_iea_ess__mutmut_2: not checked\n")
    _, unexplained, stale = summary(results, documented(DOCS))
    assert (unexplained, stale) == ([], [])
