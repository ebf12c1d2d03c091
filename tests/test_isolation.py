"""No test and no benchmark run reads the user's own files: every test has a temporary
HOME and XDG directories (tests/conftest.py), and the benchmark's children do too."""

from __future__ import annotations

import importlib.util
import os
import shutil
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


def run_suite(folder: Path, test: str) -> subprocess.CompletedProcess[str]:
    """pytest with the working-tree plugin, in ``folder``, on one test file."""
    (folder / "test_it.py").write_text(test, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": ""}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "tests.worktree",
            "--rootdir",
            str(folder),
            "test_it.py",
        ],
        check=False,
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


STRAY = """\
from pathlib import Path

def test_writes_a_log_where_it_runs():
    Path("Q-20261130-6DCMQ0").write_bytes(b"SQLite format 3")
    Path("build").mkdir(exist_ok=True)
    Path("build", "q-1").write_bytes(b"SQLite format 3")
"""

TIDY = """\
def test_writes_nothing(tmp_path):
    (tmp_path / "q.db").write_bytes(b"SQLite format 3")
"""


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """A git checkout that ignores build/ and the caches, as ours does."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    folder = tmp_path / "checkout"
    folder.mkdir()
    (folder / ".gitignore").write_text("__pycache__/\n.pytest_cache/\n.hypothesis/\nbuild/\n")
    subprocess.run(["git", "init", "-q", str(folder)], check=True)
    return folder


def test_a_run_that_leaves_a_file_in_the_checkout_fails(checkout: Path) -> None:
    """A test writing a quote log at the root, or in an ignored folder, fails the run and
    the run names the files; bytecode and pytest's own cache do not count."""
    result = run_suite(checkout, STRAY)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 passed" in result.stdout
    assert "left the working tree changed" in result.stdout
    assert "?? Q-20261130-6DCMQ0" in result.stdout
    assert "!! build/q-1" in result.stdout
    assert "cache" not in result.stdout.split("left the working tree changed")[1]


DEEP = """\
from pathlib import Path

def test_writes_deep_in_a_folder_that_was_there():
    Path("build", "sub", "q-1").write_bytes(b"SQLite format 3")
    Path("notes", "deep", "old.txt").write_text("rewritten, same size")
"""


def test_a_file_left_deep_in_a_folder_that_was_there_fails(checkout: Path) -> None:
    """A file added or rewritten in a subfolder of a folder that was already there
    (ignored or untracked) changes neither folder's own size or time: it is seen all
    the same, by its own path."""
    (checkout / "build" / "sub").mkdir(parents=True)
    (checkout / "build" / "sub" / "keep").write_text("x")
    (checkout / "notes" / "deep").mkdir(parents=True)
    (checkout / "notes" / "deep" / "old.txt").write_text("the text of before..")
    os.utime(checkout / "notes" / "deep" / "old.txt", (1, 1))
    result = run_suite(checkout, DEEP)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "!! build/sub/q-1" in result.stdout
    assert "?? notes/deep/old.txt" in result.stdout


def test_a_tidy_run_passes_and_outside_git_the_check_stands_aside(
    checkout: Path, tmp_path: Path
) -> None:
    """A run that writes only in tmp_path passes (its caches changing is fine); outside a
    git checkout the check does nothing, even when a file is left."""
    result = run_suite(checkout, TIDY)
    assert result.returncode == 0, result.stdout + result.stderr
    plain = tmp_path / "plain"
    plain.mkdir()
    result = run_suite(plain, STRAY)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "working tree" not in result.stdout


def test_this_checkout_holds_no_quote_log() -> None:
    """No SQLite file is committed or lying in the checkout (three quote logs with made-up
    patients once were, written by an early test run)."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(
        ["git", "-C", str(ROOT), "ls-files", "--others", "--cached", "--exclude-standard"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout.splitlines()
    logs = [
        name
        for name in listed
        if not name.startswith("tests/fixtures/")
        and (ROOT / name).is_file()
        and (ROOT / name).read_bytes()[:16] == b"SQLite format 3\0"
    ]
    assert logs == []


@pytest.fixture(scope="module")
def home_of_a_module_fixture() -> str | None:
    return os.environ.get("HOME")


def test_a_module_fixture_never_sees_the_users_home(home_of_a_module_fixture: str | None) -> None:
    """A fixture of a wider scope than a test (a module's quote log, which makes a clinic
    key in the data folder) runs in the run's temporary HOME, not the user's."""
    from tests.conftest import REAL_HOME

    assert home_of_a_module_fixture is not None
    assert home_of_a_module_fixture != REAL_HOME
