"""No test and no benchmark run reads the user's own files: every test has a temporary
HOME and XDG directories (tests/conftest.py), and the benchmark's children do too."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import XDG_DIRS

ROOT = Path(__file__).resolve().parent.parent
REAL_HOME = os.environ.get("HOME")  # read at import, before any fixture runs

BROKEN_SHEET = '[sheet]\nname = "Broken"\n[treatments.depression]\nprice = "lots"\n'


def test_every_test_has_a_temporary_home(
    isolated_home: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """HOME and every XDG directory are inside a fresh temporary folder; no KETACOST_*."""
    home = Path(os.environ["HOME"])
    assert home == isolated_home
    assert str(home) != REAL_HOME
    assert tmp_path_factory.getbasetemp() in home.parents
    assert list(home.iterdir()) == []
    for name in XDG_DIRS:
        assert Path(os.environ[name]).is_relative_to(home)
    assert not [key for key in os.environ if key.startswith("KETACOST_")]


def test_a_broken_sheet_in_the_real_home_changes_nothing(tmp_path: Path) -> None:
    """A user with a broken ~/.config/ketacost/sheet.toml, KETACOST_SHEET and KETACOST_DB
    pointing at junk: the tests that resolve sheets and write quote logs still pass."""
    home = tmp_path / "user"
    (home / ".config" / "ketacost").mkdir(parents=True)
    (home / ".config" / "ketacost" / "sheet.toml").write_text(BROKEN_SHEET)
    (tmp_path / "junk.toml").write_text(BROKEN_SHEET)
    env = {key: value for key, value in os.environ.items() if not key.startswith("XDG_")}
    env.update(
        HOME=str(home),
        KETACOST_SHEET=str(tmp_path / "junk.toml"),
        KETACOST_DB=str(tmp_path / "not-a-log.db"),
        COLUMNS="40",
    )
    (tmp_path / "not-a-log.db").write_text("not sqlite")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "-p",
            "no:xdist",
            "tests/test_sheet_resolution.py",
            "tests/test_quote_cli.py",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert " passed" in result.stdout
    assert (home / ".config" / "ketacost" / "sheet.toml").read_text() == BROKEN_SHEET
    assert sorted(p.name for p in home.rglob("*")) == [".config", "ketacost", "sheet.toml"]


def budget() -> ModuleType:
    spec = importlib.util.spec_from_file_location("budget", ROOT / "benchmarks" / "budget.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_benchmark_runs_its_children_in_a_temporary_home(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The benchmark's children see its own HOME and XDG directories and no KETACOST_*."""
    bench = budget()
    monkeypatch.setenv("KETACOST_SHEET", "/nowhere/sheet.toml")
    env = bench.child_env(tmp_path)
    assert env["HOME"] == str(tmp_path / "home")
    assert env["XDG_CONFIG_HOME"] == str(tmp_path / "xdg_config_home")
    assert env["XDG_DATA_HOME"] == str(tmp_path / "xdg_data_home")
    assert not [key for key in env if key.startswith("KETACOST_")]
    check = (
        "import os, sys; sys.exit(os.environ['HOME'] != sys.argv[1] "
        "or 'KETACOST_SHEET' in os.environ)"
    )
    home = str(tmp_path / "home")
    bench.run([sys.executable, "-c", check, home], env)  # exits the test if it fails
    with pytest.raises(SystemExit):
        bench.run([sys.executable, "-c", check, home], dict(os.environ))
