"""Shared fixtures: a CLI runner and a fixed start date for reproducible schedules."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner

pytest_plugins = ("tests.pg_server",)  # a throwaway PostgreSQL server, when one can run

START = date(2026, 11, 23)  # a Monday


@pytest.fixture
def runner(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> CliRunner:
    """A CLI runner isolated from the user's sheet, quote log and config."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    for name in ("KETACOST_SHEET", "KETACOST_DB", "KETACOST_DESK", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)
    return CliRunner()
