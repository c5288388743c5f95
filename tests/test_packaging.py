"""The install: what a wheel ships, the slim dependency set, and the scenario library found
outside the repository.

Building a wheel takes too long for a test; these tests check the packaging configuration
that decides what a wheel holds, and the lookup that finds the shipped files.
"""

from __future__ import annotations

import fnmatch
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import yaml
from click.testing import CliRunner

from simulator import library
from simulator.cli import main
from tests.helpers import ONE_REGION, TWO_MEMBERS, no_traceback

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]
LIBRARY_PACKAGE = f"simulator.{library.INSTALLED_NAME}"


def _shipped_files() -> set[str]:
    """Files of ``scenarios/`` the wheel ships, by the package-dir and package-data settings."""
    shipped = set()
    for package, patterns in SETUPTOOLS["package-data"].items():
        if not package.startswith(LIBRARY_PACKAGE):
            continue
        sub = package.removeprefix(LIBRARY_PACKAGE).lstrip(".").replace(".", "/")
        folder = ROOT / SETUPTOOLS["package-dir"][LIBRARY_PACKAGE] / sub
        shipped |= {
            str(p.relative_to(ROOT)) for p in folder.iterdir() if any(fnmatch.fnmatch(p.name, g) for g in patterns)
        }
    return shipped


def test_every_python_package_is_listed_for_the_wheel():
    on_disk = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in (ROOT / "simulator").rglob("__init__.py")
        if "__pycache__" not in init.parts
    }
    listed = set(SETUPTOOLS["packages"])
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    assert {LIBRARY_PACKAGE, f"{LIBRARY_PACKAGE}.baselines"} <= listed


def test_the_wheel_ships_every_scenario_and_baseline():
    assert SETUPTOOLS["package-dir"][LIBRARY_PACKAGE] == "scenarios"
    tracked = subprocess.run(
        ["git", "ls-files", "scenarios"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert "scenarios/embargo_2010.yaml" in tracked and "scenarios/baselines/embargo_2010.json" in tracked
    assert set(tracked) <= _shipped_files()


def test_the_library_lookup_finds_the_scenarios_and_baselines():
    found = library.shipped_library()
    names = {p.name for p in found.glob("*.yaml")}
    assert names == {p.name for p in (ROOT / "scenarios").glob("*.yaml")}
    assert len(names) >= 12
    assert (found / "baselines" / "embargo_2010.json").is_file()


def test_an_installed_library_comes_before_the_checkout(tmp_path, monkeypatch):
    package = tmp_path / "simulator"
    (package / library.INSTALLED_NAME).mkdir(parents=True)
    monkeypatch.setattr(library.resources, "files", lambda name: package)
    assert library.shipped_library() == package / library.INSTALLED_NAME


def test_dask_is_an_extra_kept_in_dev():
    assert not any("dask" in d or "distributed" in d for d in PYPROJECT["project"]["dependencies"])
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert any(d.startswith("dask[distributed]") for d in extras["dask"])
    assert "stockpile-simulator[dask]" in extras["dev"]


def test_workbooks_are_written_with_xlsxwriter_and_openpyxl_only_reads_them_in_tests():
    # openpyxl wrote them at ~14 us a cell; it stays to read them back in the tests
    assert any(d.startswith("xlsxwriter") for d in PYPROJECT["project"]["dependencies"])
    assert not any(d.startswith("openpyxl") for d in PYPROJECT["project"]["dependencies"])
    assert any(d.startswith("openpyxl") for d in PYPROJECT["project"]["optional-dependencies"]["dev"])
    importing = re.compile(r"^\s*(import|from) openpyxl\b", re.MULTILINE)
    assert [p for p in (ROOT / "simulator").rglob("*.py") if importing.search(p.read_text(encoding="utf-8"))] == []


# --- outside the repository ------------------------------------------------------------------


def test_list_outside_the_repository_shows_the_shipped_library(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["list"])
    assert result.exit_code == 0, result.output
    assert "embargo_2010  (" in result.output and "club_of_five  (" in result.output


def test_a_local_scenarios_folder_comes_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "scenarios").mkdir()
    (tmp_path / "scenarios" / "tiny.yaml").write_text(yaml.safe_dump(ONE_REGION))
    listed = CliRunner().invoke(main, ["list"])
    assert listed.exit_code == 0, listed.output
    assert "tiny  (scenarios/tiny.yaml)" in listed.output and "embargo_2010" not in listed.output
    ran = CliRunner().invoke(main, ["run", "tiny", "-o", "out", "--no-plots"])
    assert ran.exit_code == 0, ran.output
    assert (tmp_path / "out" / "timeseries.csv").is_file()


def test_bare_names_resolve_to_library_files_and_nothing_else(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shipped = library.shipped_library()
    assert library.resolve_scenario("embargo_2010") == str(shipped / "embargo_2010.yaml")
    assert library.resolve_scenario("embargo_2010.yaml") == str(shipped / "embargo_2010.yaml")
    (tmp_path / "embargo_2010.yaml").write_text("name: mine\n")
    assert library.resolve_scenario("embargo_2010.yaml") == "embargo_2010.yaml"  # a file here wins
    (tmp_path / "embargo_stochastic").mkdir()  # an output folder named after the scenario is not it
    assert library.resolve_scenario("embargo_stochastic") == str(shipped / "embargo_stochastic.yaml")
    assert library.resolve_scenario("embargo_stochastic", folders=True) == "embargo_stochastic"  # validate's folder
    for text in ("no_such_scenario", "elsewhere/embargo_2010", "./club_of_five"):
        assert library.resolve_scenario(text) == text
    result = CliRunner().invoke(main, ["validate", "club_of_five", "no_such_scenario"])
    assert result.exit_code == 2, result.output
    assert "club_of_five.yaml: ok" in result.output and "no_such_scenario" in result.output
    assert no_traceback(result)


def test_check_never_updates_the_installed_library_unasked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["check", "--update"])
    assert result.exit_code == 2, result.output
    assert "scenarios" in result.output and "wrote" not in result.output


# --- without Dask ----------------------------------------------------------------------------


def test_dask_option_without_dask_installed_is_bad_input(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # `import distributed` now fails
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS))
    args = ["sweep", str(path), "--grid", "agreement.ratio.japan=0.5", "--dask", "tcp://127.0.0.1:9"]
    result = CliRunner().invoke(main, [*args, "-o", str(tmp_path / "out")])
    assert result.exit_code == 2, result.output
    assert "pip install 'stockpile-simulator[dask]'" in result.output
    assert no_traceback(result) and not (tmp_path / "out").exists()


def test_nothing_imports_dask_unless_asked(tmp_path):
    """Every module imports, and a local sweep runs, with dask and distributed unimportable."""
    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(TWO_MEMBERS))
    script = f"""
import importlib, pkgutil, sys
sys.modules["dask"] = sys.modules["distributed"] = None
import simulator
for module in pkgutil.walk_packages(simulator.__path__, "simulator."):
    importlib.import_module(module.name)
from click.testing import CliRunner
from simulator.cli import main
args = ["sweep", {str(path)!r}, "--grid", "agreement.ratio.japan=0.2,0.8", "--workers", "1"]
result = CliRunner().invoke(main, [*args, "-o", {str(tmp_path / "out")!r}])
assert result.exit_code == 0, result.output
"""
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert (tmp_path / "out" / "sweep.parquet").is_file()
