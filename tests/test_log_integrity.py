"""A log whose index no longer matches its table (damage SQLite's quick_check misses) is
refused before a save writes through it; the full integrity_check runs within a time
budget, and a log too large for it gets the quick check (docs/quote-log.md)."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ketacost.cli import cli
from ketacost.store import sqlite_open
from ketacost.store.schema import TRIGGERS


def _stale_index(db: Path) -> None:
    """The entries_created index left behind by a change to the table it indexes (the
    trigger put back as it was): quick_check says ok, integrity_check does not."""
    conn = sqlite3.connect(db, isolation_level=None)
    index = conn.execute(
        "SELECT type, name, tbl_name, rootpage, sql FROM sqlite_master "
        "WHERE name = 'entries_created'"
    ).fetchone()
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("DELETE FROM sqlite_master WHERE name = 'entries_created'")
    conn.close()
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER entries_never_updated")
    conn.execute("UPDATE entries SET created = '2026-01-01T00:00:00+00:00' WHERE seq = 2")
    conn.execute(f"CREATE TRIGGER entries_never_updated {TRIGGERS['entries_never_updated']}")
    conn.execute("PRAGMA writable_schema = ON")
    conn.execute("INSERT INTO sqlite_master VALUES (?, ?, ?, ?, ?)", index)
    conn.close()
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA quick_check").fetchall() == [("ok",)]
    assert conn.execute("PRAGMA integrity_check").fetchall() != [("ok",)]
    conn.close()


@pytest.fixture
def damaged(runner: CliRunner, tmp_path: Path) -> Path:
    db = tmp_path / "quotes.db"
    for _ in range(3):
        assert runner.invoke(cli, ["quote", "--db", str(db)]).exit_code == 0
    _stale_index(db)
    return db


def test_a_stale_index_stops_a_save(runner: CliRunner, damaged: Path) -> None:
    """Status 1, one line saying to restore from a backup; the log as it was."""
    before = hashlib.sha256(damaged.read_bytes()).hexdigest()
    result = runner.invoke(cli, ["quote", "--patient", "Ann Lee", "--db", str(damaged)])
    assert result.exit_code == 1, result.output
    [line] = result.stderr.splitlines()
    assert "is damaged (row 2 missing from index entries_created)" in line
    assert "restore it from a backup" in line
    assert hashlib.sha256(damaged.read_bytes()).hexdigest() == before


def test_past_the_budget_a_save_gets_the_quick_check(
    runner: CliRunner, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log too large for the full check in time is checked quickly (no error for the
    interrupted check); quotes verify still names the index."""
    monkeypatch.setattr(sqlite_open, "INTEGRITY_BUDGET_SECONDS", -1.0)
    saved = runner.invoke(cli, ["quote", "--db", str(damaged)])
    assert saved.exit_code == 0, saved.output
    verified = runner.invoke(cli, ["quotes", "verify", "--db", str(damaged)])
    assert "SQLite: row 2 missing from index entries_created" in verified.stdout
