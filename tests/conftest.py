"""Shared fixtures: every test runs in a temporary HOME (never the user's own sheet, quote
log or config), a CLI runner, and a fixed start date for reproducible schedules."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest_plugins = (
    "tests.pg_server",  # a throwaway PostgreSQL server, when one can run
    "tests.worktree",  # the run fails if it leaves a file in the working tree
)

START = date(2026, 11, 23)  # a Monday
TODAY = date(2026, 11, 20)
"""The day every test runs on, as far as a Good Faith Estimate's duties count (a date
"in the past", a due date): fixed, so no test turns false as the calendar moves on."""

XDG_DIRS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_STATE_HOME": ".local/state",
    "XDG_CACHE_HOME": ".cache",
}
"""The XDG base directories a test sees, inside its temporary HOME."""

CLEARED = ("NO_COLOR", "FORCE_COLOR", "COLUMNS", "LINES", "APPDATA", "LOCALAPPDATA")
"""Variables of the user's shell that would change what a command prints or reads."""


REAL_HOME = os.environ.get("HOME")
"""The HOME the suite was started with: no test, and no fixture, may see it."""


def _isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    for name, relative in XDG_DIRS.items():
        monkeypatch.setenv(name, str(home / relative))
    for name in [*CLEARED, *(key for key in os.environ if key.startswith("KETACOST_"))]:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session", autouse=True)
def isolated_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A temporary HOME for the whole run, set before any fixture of a module's or the
    session's scope (a module's quote log, say) runs: those too never reach the user's
    own files (a clinic key made in the data folder, a log, a sheet)."""
    monkeypatch = pytest.MonkeyPatch()
    home = tmp_path_factory.mktemp("session-home")
    _isolate(monkeypatch, home)
    yield home
    monkeypatch.undo()


@pytest.fixture(autouse=True)
def isolated_home(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    """Every test gets an empty temporary HOME with its XDG directories, and no KETACOST_*
    variable: nothing the user keeps (a sheet in ~/.config/ketacost/, a quote log,
    KETACOST_SHEET) can change a result, and no test can write there."""
    home = tmp_path_factory.mktemp("home")
    _isolate(monkeypatch, home)
    # The terminal consoles are made once per process and read COLUMNS then: each test
    # gets new ones, so a width one test sets never leaks into the next.
    from ketacost.render.console import console, error_console

    console.cache_clear()
    error_console.cache_clear()
    from ketacost.cli import clock

    monkeypatch.setattr(clock, "today", lambda: TODAY)
    return home


@pytest.fixture
def runner(isolated_home: Path) -> CliRunner:
    """A CLI runner; like every test, it runs in the temporary HOME of ``isolated_home``."""
    return CliRunner()
