"""What the quote log refuses, and leaves byte for byte as it was (docs/quote-log.md,
"Refusing what is not ours"): empty files, other programs' databases with a pending WAL,
a hot journal or only a view, damaged logs, files that are not regular files. And what it
never does: write from a read-only command, or leave a log readable by others."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.report.to_data import to_data
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

FIXTURE_010 = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
SIDES = ("-wal", "-shm", "-journal")
READING = [
    ["quotes", "list"],
    ["quotes", "show", "Q-20261130-6DCMQ0"],
    ["quotes", "export", "-f", "json"],
    ["quotes", "export", "-f", "csv"],
    ["quotes", "verify"],
]
COMMANDS = [*READING, ["quote", "--start", "2026-11-23"]]


def state(path: Path) -> dict[str, str]:
    """The SHA-256 of the file and of each file beside it that exists."""
    files = [path, *(path.with_name(path.name + side) for side in SIDES)]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def refused(result: Result, *words: str) -> None:
    assert result.exit_code == 1, (result.stdout, result.stderr)
    assert result.stderr.startswith("Error: ")
    assert len(result.stderr.splitlines()) == 1, result.stderr
    for word in words:
        assert word in result.stderr


def _foreign_with_pending_wal(path: Path) -> None:
    """Another program's database whose last transaction is only in its WAL (the program
    still runs, or crashed): copied while its connection is open."""
    work = path.with_name("work.db")
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('pending')")
    for side in ("", "-wal", "-shm"):
        shutil.copyfile(f"{work}{side}", f"{path}{side}")
    conn.close()


def _foreign_with_hot_journal(path: Path) -> None:
    """Another program's database caught in the middle of a write: its journal is hot."""
    work = path.with_name("work.db")
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("CREATE TABLE contacts (name TEXT)")
    conn.execute("INSERT INTO contacts VALUES ('before')")
    conn.execute("PRAGMA cache_size = 1")
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO contacts VALUES (?)", [("x" * 500,)] * 200)
    assert Path(f"{work}-journal").exists()
    for side in ("", "-journal"):
        shutil.copyfile(f"{work}{side}", f"{path}{side}")
    conn.execute("ROLLBACK")
    conn.close()


def _only_a_view(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIEW v AS SELECT 1")
    conn.close()


def _ours_with_only_a_view(path: Path) -> None:
    """Our application id, but no entries table: still not a quote log."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1263813457")
    conn.execute("CREATE VIEW entries_view AS SELECT 1")
    conn.close()


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _text(path: Path) -> None:
    path.write_text("my notes\n" * 30)


FOREIGN: dict[str, Callable[[Path], None]] = {
    "empty file": _empty,
    "text": _text,
    "pending WAL": _foreign_with_pending_wal,
    "hot journal": _foreign_with_hot_journal,
    "only a view": _only_a_view,
    "our id, only a view": _ours_with_only_a_view,
}


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
@pytest.mark.parametrize("make", FOREIGN.values(), ids=list(FOREIGN))
def test_a_file_that_is_not_a_log_is_refused_and_left_as_it_was(
    runner: CliRunner, tmp_path: Path, make: Callable[[Path], None], command: list[str]
) -> None:
    """Every command: status 1, one line naming the file, and the file and its -wal,
    -shm and -journal byte for byte as they were, with nothing new beside them."""
    db = tmp_path / "other.db"
    make(db)
    before, names = state(db), sorted(os.listdir(tmp_path))
    refused(run(runner, *command, "--db", str(db)), "not a ketacost quote log")
    assert state(db) == before
    assert sorted(os.listdir(tmp_path)) == names


def test_backup_refuses_a_foreign_file_untouched(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    _foreign_with_pending_wal(db)
    before = state(db)
    refused(run(runner, "quotes", "backup", str(tmp_path / "b.db"), "--db", str(db)))
    assert state(db) == before
    assert not (tmp_path / "b.db").exists()


@pytest.mark.parametrize(
    "command", [*READING, ["quotes", "backup", "BACKUP"]], ids=lambda c: " ".join(c[:2])
)
def test_reading_commands_never_write(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """On a 0.1.0 log (schema 1, rollback journal): no migration, no WAL switch, the file
    byte for byte as it was."""
    db = tmp_path / "quotes.db"
    shutil.copyfile(FIXTURE_010, db)
    before = state(db)
    args = [str(tmp_path / "b.db") if word == "BACKUP" else word for word in command]
    result = run(runner, *args, "--db", str(db))
    assert result.exit_code in (0, 1), result.stderr  # verify: 1, no chain yet
    assert "Traceback" not in result.stderr
    assert state(db) == before
    assert db.read_bytes()[18:20] == b"\x01\x01"  # not switched to WAL


def test_a_log_is_created_only_where_no_file_exists(runner: CliRunner, tmp_path: Path) -> None:
    """Saving makes a log where there is none, whole; reading never does."""
    db = tmp_path / "new" / "quotes.db"
    for command in READING:
        run(runner, *command, "--db", str(db))
    assert not db.exists()
    assert run(runner, "quote", "--start", "2026-11-23", "--db", str(db)).exit_code == 0
    assert sorted(os.listdir(db.parent)) == ["quotes.db"]  # no temporary file left


def _damaged(path: Path) -> None:
    with open_quote_log(path) as log:
        for n in range(40):
            add_entry(log, "quote", to_data(report_with()), patient=f"Patient {n}")
    with open(path, "r+b") as file:
        # Which page the cut damages depends on the size of a stored report: 2000 bytes
        # leaves a log that opens and fails its integrity check with today's reports.
        file.truncate(path.stat().st_size - 2000)


def test_a_damaged_log_is_refused_before_writing(runner: CliRunner, tmp_path: Path) -> None:
    """A log cut short: saving is refused in one line saying to restore from a backup,
    and the file is left as it was."""
    db = tmp_path / "quotes.db"
    _damaged(db)
    before = state(db)
    result = run(runner, "quote", "--start", "2026-11-23", "--db", str(db))
    refused(result, "damaged", "restore it from a backup")
    assert state(db) == before


def test_verify_and_backup_report_a_damaged_log(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "quotes.db"
    _damaged(db)
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert result.exit_code == 1
    assert "SQLite:" in result.stdout
    assert len(result.stderr.splitlines()) == 1
    assert "Traceback" not in result.stderr
    backup = run(runner, "quotes", "backup", str(tmp_path / "b.db"), "--db", str(db))
    assert backup.exit_code == 1
    assert len(backup.stderr.splitlines()) == 1


def _fifo(path: Path) -> None:
    os.mkfifo(path)


@pytest.mark.parametrize("make", [_fifo, Path.mkdir], ids=["FIFO", "directory"])
def test_a_file_that_is_not_regular_is_refused_at_once(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    """A FIFO as --db would hang a reader forever: refused before it is opened. Run in
    a process of its own with a time limit, so a hang fails the test."""
    db = tmp_path / "odd"
    make(db)
    for command in COMMANDS:
        done = subprocess.run(
            [sys.executable, "-m", "ketacost", *command, "--db", str(db)],
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
            env={**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)},
        )
        assert done.returncode == 1, (command, done.stderr)
        assert "not a quote log file" in done.stderr
        assert len(done.stderr.splitlines()) == 1
    assert stat.S_ISFIFO(db.stat().st_mode) or db.is_dir()


def test_a_device_is_refused_and_kept(runner: CliRunner) -> None:
    """/dev/null as --db: refused, and still a device afterwards."""
    for command in COMMANDS:
        refused(run(runner, *command, "--db", os.devnull), "a device")
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)


def test_a_symbolic_link_to_a_log_is_followed(runner: CliRunner, tmp_path: Path) -> None:
    """A link to a log elsewhere (a synced or shared folder) works like the log itself."""
    real = tmp_path / "shared" / "quotes.db"
    real.parent.mkdir()
    link = tmp_path / "quotes.db"
    link.symlink_to(real)
    refused(run(runner, "quote", "--start", "2026-11-23", "--db", str(link)), "link to nothing")
    assert not real.exists()
    assert run(runner, "quote", "--start", "2026-11-23", "--db", str(real)).exit_code == 0
    assert run(runner, "quote", "--start", "2026-11-23", "--db", str(link)).exit_code == 0
    assert link.is_symlink()
    listing = run(runner, "quotes", "list", "--db", str(link)).stdout
    assert listing.count("Q-") == 2


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_log_readable_by_others_is_made_private(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """A log restored with mode 0644 (and its -wal and -shm): made 0600, with one line
    saying so; the command then goes on."""
    db = tmp_path / "quotes.db"
    shutil.copyfile(FIXTURE_010, db)
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").write_bytes(b"")
    for file in tmp_path.iterdir():
        file.chmod(0o644)
    result = run(runner, *command, "--db", str(db))
    assert result.exit_code in (0, 1), result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("Note: made")]
    assert len(notes) == 1
    assert "quotes.db (was 0644)" in notes[0]
    assert "0600" in notes[0]
    for file in tmp_path.iterdir():
        assert stat.S_IMODE(file.stat().st_mode) == 0o600, file
    again = run(runner, *command, "--db", str(db))
    assert "Note:" not in again.stderr


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_a_log_opened_through_a_link_has_its_side_files_made_private(
    runner: CliRunner, tmp_path: Path, command: list[str]
) -> None:
    """Through a symbolic link, SQLite keeps -wal and -shm beside the real file: those
    are made 0600 too (not only files beside the link)."""
    real = tmp_path / "synced" / "quotes.db"
    real.parent.mkdir()
    shutil.copyfile(FIXTURE_010, real)
    real.chmod(0o600)
    for side in ("-wal", "-shm"):
        Path(f"{real}{side}").write_bytes(b"")
        Path(f"{real}{side}").chmod(0o644)
    link = tmp_path / "quotes.db"
    link.symlink_to(real)
    result = run(runner, *command, "--db", str(link))
    assert result.exit_code in (0, 1), result.stderr
    for side in ("-wal", "-shm"):
        if Path(f"{real}{side}").exists():  # a save ends by folding the WAL in, removing it
            assert stat.S_IMODE(Path(f"{real}{side}").stat().st_mode) == 0o600, side
    assert "quotes.db-wal (was 0644)" in result.stderr
