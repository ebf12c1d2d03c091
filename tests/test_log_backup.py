"""`quotes backup FILE`: a consistent, private, verified copy; never over an existing file
unless --force (docs/quote-log.md, "Backups")."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.report.to_data import to_data
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def make_log(path: Path, count: int) -> None:
    with open_quote_log(path) as log:
        for n in range(count):
            add_entry(log, "quote", to_data(report_with()), patient=f"Patient {n}")


def exported(runner: CliRunner, db: Path) -> list[dict[str, object]]:
    result = run(runner, "quotes", "export", "-f", "json", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    data: list[dict[str, object]] = json.loads(result.stdout)
    return data


def test_backup_is_a_private_verified_copy(runner: CliRunner, tmp_path: Path) -> None:
    """Owner-only, one self-contained file (no WAL), every entry as in the log, and it
    verifies with the same chain head."""
    db, copy = tmp_path / "quotes.db", tmp_path / "backup" / "copy.db"
    copy.parent.mkdir()
    make_log(db, 5)
    result = run(runner, "quotes", "backup", str(copy), "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "Backed up 5 entries" in result.stdout
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert copy.read_bytes()[18:20] == b"\x01\x01"  # rollback journal: one file
    assert sorted(p.name for p in copy.parent.iterdir()) == ["copy.db"]
    assert exported(runner, copy) == exported(runner, db)
    head = run(runner, "quotes", "verify", "--db", str(db)).stdout.split()[-1]
    assert run(runner, "quotes", "verify", "--db", str(copy)).stdout.split()[-1] == head
    assert head in result.stdout


def test_backup_never_replaces_a_file_unless_forced(runner: CliRunner, tmp_path: Path) -> None:
    """An existing FILE: status 2 naming FILE, kept as it was; --force replaces it."""
    db, copy = tmp_path / "quotes.db", tmp_path / "copy.db"
    make_log(db, 2)
    copy.write_text("yesterday's notes")
    result = run(runner, "quotes", "backup", str(copy), "--db", str(db))
    assert result.exit_code == 2
    assert "'FILE'" in result.stderr
    assert "--force" in result.stderr
    assert copy.read_text() == "yesterday's notes"
    assert run(runner, "quotes", "backup", str(copy), "--force", "--db", str(db)).exit_code == 0
    assert len(exported(runner, copy)) == 2


def test_backup_refuses_the_log_itself_and_odd_targets(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "quotes.db"
    make_log(db, 1)
    before = hashlib.sha256(db.read_bytes()).hexdigest()
    same = run(runner, "quotes", "backup", str(db), "--force", "--db", str(db))
    assert same.exit_code == 1
    assert "the quote log itself" in same.stderr
    assert hashlib.sha256(db.read_bytes()).hexdigest() == before
    missing = run(runner, "quotes", "backup", str(tmp_path / "no" / "x.db"), "--db", str(db))
    assert missing.exit_code == 2
    device = run(runner, "quotes", "backup", "/dev/null", "--force", "--db", str(db))
    assert device.exit_code == 1
    assert stat.S_ISCHR(Path("/dev/null").stat().st_mode)
    assert len(device.stderr.splitlines()) == 1


def test_backup_of_a_log_with_a_changed_entry_says_so(runner: CliRunner, tmp_path: Path) -> None:
    """The copy is written (it is what the log holds) and the problem named: status 1."""
    db, copy = tmp_path / "quotes.db", tmp_path / "copy.db"
    make_log(db, 3)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER entries_never_updated")
    conn.execute("UPDATE entries SET patient = 'Eve' WHERE seq = 2")
    conn.close()
    result = run(runner, "quotes", "backup", str(copy), "--db", str(db))
    assert result.exit_code == 1
    assert "trigger entries_never_updated is missing or changed" in result.stdout
    assert len(result.stderr.splitlines()) == 1
    assert copy.exists()


WRITER = """
import sys
from datetime import UTC, datetime
from ketacost.entries import new_entry, new_id
from ketacost.report.to_data import to_data
from ketacost.store import QuoteLog
from ketacost.store.opening import open_quote_log
from tests.helpers import report_with
result = to_data(report_with())
with open_quote_log(sys.argv[1]) as log:
    for n in range(int(sys.argv[2])):
        created = datetime.now(UTC)
        log.add(new_entry("quote", result, entry_id=new_id("quote", created), created=created))
"""


def test_backup_while_a_desk_keeps_saving(runner: CliRunner, tmp_path: Path) -> None:
    """Backups taken while another process saves are each consistent: they verify."""
    db = tmp_path / "quotes.db"
    make_log(db, 1)
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(db), "200"], cwd=Path.cwd())
    counts = []
    try:
        for n in range(5):
            copy = tmp_path / f"copy{n}.db"
            result = run(runner, "quotes", "backup", str(copy), "--db", str(db))
            assert result.exit_code == 0, result.stdout + result.stderr
            counts.append(int(result.stdout.split()[2]))
            time.sleep(0.05)
    finally:
        assert writer.wait(timeout=120) == 0
    assert counts == sorted(counts)
    assert all(
        run(runner, "quotes", "verify", "--db", str(tmp_path / f"copy{n}.db")).exit_code == 0
        for n in range(5)
    )
