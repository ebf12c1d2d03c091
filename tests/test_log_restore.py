"""`quotes restore BACKUP` (docs/quote-log.md, "Backups"): a checked backup put in place
whole; the log it replaces kept aside with its -wal and -shm, so a crashed desk's stale
write-ahead log is never replayed onto the backup (copying a backup over the log, as the
docs once said, corrupts it)."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.store.opening import open_quote_log

CRASHING_DESK = """
import os, sys
from ketacost.report.to_data import to_data
from ketacost.store import QuoteLog
from ketacost.store.opening import open_quote_log
from tests.helpers import add_entry, report_with

log = open_quote_log(sys.argv[1])
log.conn.execute("PRAGMA wal_autocheckpoint = 0")  # everything stays in the -wal
for n in range(int(sys.argv[2])):
    add_entry(log, "quote", to_data(report_with()), patient=f"Late {n}")
os._exit(0)  # the desk's machine loses power: no checkpoint, the -wal stays
"""


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


def _crashed_log(folder: Path, runner: CliRunner) -> tuple[Path, Path]:
    """A log of 3 entries backed up; then a desk saved 40 more and crashed, leaving them
    in the log's -wal only."""
    db, backup = folder / "quotes.db", folder / "backup.db"
    for _ in range(3):
        assert run(runner, "quote", "--db", str(db)).exit_code == 0
    assert run(runner, "quotes", "backup", str(backup), "--db", str(db)).exit_code == 0
    root = Path(__file__).parent.parent
    subprocess.run(
        [sys.executable, "-c", CRASHING_DESK, str(db), "40"],
        check=True,
        cwd=root,
        env={**os.environ, "HOME": str(folder)},
    )
    assert Path(f"{db}-wal").stat().st_size > 0
    return db, backup


def test_copying_a_backup_over_a_crashed_log_does_not_restore_it(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Why restore exists: the old advice replays the stale -wal onto the backup, so the
    log is not the backup (here the crashed desk's pages win; with a backup whose pages
    differ more, the result is a corrupt file)."""
    db, backup = _crashed_log(tmp_path, runner)
    shutil.copyfile(backup, db)
    checked = run(runner, "quotes", "verify", "--db", str(db))
    assert "intact, 3 entries;" not in checked.stdout, checked.output


def test_restore_puts_the_backup_in_place_and_keeps_the_crashed_log(
    runner: CliRunner, tmp_path: Path
) -> None:
    """The backup's 3 entries, verified; the replaced log and its -wal are kept aside,
    and still hold the 43 entries the crashed desk saved."""
    db, backup = _crashed_log(tmp_path, runner)
    result = run(runner, "quotes", "restore", str(backup), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith(f"Restored 3 entries from {backup} to {db}; verified")
    assert not Path(f"{db}-wal").exists() and not Path(f"{db}-shm").exists()
    verified = run(runner, "quotes", "verify", "--db", str(db))
    assert verified.exit_code == 0 and "intact, 3 entries" in verified.stdout
    [kept] = [
        p
        for p in tmp_path.iterdir()
        if p.name.startswith("quotes.db.replaced-")
        and p.suffix not in (".db-wal", ".db-shm")
        and not p.name.endswith(("-wal", "-shm"))
    ]
    assert f"kept as {kept}" in result.stdout
    assert Path(f"{kept}-wal").exists()
    with open_quote_log(kept, write=False) as old:
        assert old.verify().entries == 43
    assert oct(db.stat().st_mode & 0o777) == "0o600"
    assert run(runner, "quote", "--db", str(db)).exit_code == 0
    assert "intact, 4 entries" in run(runner, "quotes", "verify", "--db", str(db)).stdout


def test_restore_where_no_log_is_makes_it(runner: CliRunner, tmp_path: Path) -> None:
    _, backup = _crashed_log(tmp_path, runner)
    fresh = tmp_path / "new" / "quotes.db"
    result = run(runner, "quotes", "restore", str(backup), "--db", str(fresh))
    assert result.exit_code == 0, result.output
    assert "kept as" not in result.stdout
    assert "intact, 3 entries" in run(runner, "quotes", "verify", "--db", str(fresh)).stdout


def _tampered(path: Path) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("DROP TRIGGER entries_never_updated")
    conn.execute("UPDATE entries SET patient = 'Eve' WHERE seq = 1")
    conn.close()


@pytest.mark.parametrize(
    "spoil",
    [_tampered, lambda p: p.write_bytes(b"not a log"), lambda p: p.write_bytes(b"")],
    ids=["fails its chain", "not a log", "empty"],
)
def test_a_bad_backup_is_refused_and_nothing_changes(
    runner: CliRunner, tmp_path: Path, spoil: object
) -> None:
    """One line, status 1; the log, its -wal and the backup as they were."""
    db, backup = _crashed_log(tmp_path, runner)
    spoil(backup)  # type: ignore[operator]
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()}
    result = run(runner, "quotes", "restore", str(backup), "--db", str(db))
    assert result.exit_code == 1, result.output
    assert len(result.stderr.splitlines()) == 1
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir() if p.is_file()} == before


def test_a_postgresql_log_is_not_restored_this_way(runner: CliRunner, tmp_path: Path) -> None:
    backup = tmp_path / "b.db"
    backup.write_bytes(b"")
    result = run(runner, "quotes", "restore", str(backup), "--db", "postgresql://desk@db/k")
    assert result.exit_code == 2
    assert "'--db'" in result.stderr and "quotes copy" in result.stderr


def test_through_a_link_the_file_it_names_is_restored(runner: CliRunner, tmp_path: Path) -> None:
    """A log kept elsewhere behind a link: that file is restored, the link stays a link;
    a link to nothing is refused, and nothing is made through it."""
    db, backup = _crashed_log(tmp_path, runner)
    link = tmp_path / "link.db"
    link.symlink_to(db)
    result = run(runner, "quotes", "restore", str(backup), "--db", str(link))
    assert result.exit_code == 0, result.output
    assert link.is_symlink()
    assert "intact, 3 entries" in run(runner, "quotes", "verify", "--db", str(db)).stdout
    dangling = tmp_path / "dangling.db"
    dangling.symlink_to(tmp_path / "nowhere" / "quotes.db")
    refused = run(runner, "quotes", "restore", str(backup), "--db", str(dangling))
    assert refused.exit_code == 1
    assert "symbolic link to nothing" in refused.stderr
    assert not (tmp_path / "nowhere").exists()


def _before_keying(folder: Path, runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A backup made before the log was keyed (ketacost 0.2's schema: the plain chain)."""
    from ketacost.store import schema

    every = schema.MIGRATIONS
    monkeypatch.setattr(schema, "MIGRATIONS", every[: schema.KEYED - 1])
    old = folder / "old.db"
    assert run(runner, "quote", "--db", str(old)).exit_code == 0
    backup = folder / "backup-0.2.db"
    assert run(runner, "quotes", "backup", str(backup), "--db", str(old)).exit_code == 0
    monkeypatch.setattr(schema, "MIGRATIONS", every)
    return backup


def test_a_backup_made_before_keying_is_restored_and_keyed_by_the_next_save(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A desk that holds the clinic key restores a backup made before upgrading: it
    verifies on its plain chain, as it did when it was made, so it is put in place (not
    refused as 'not keyed'); the next save keys it, and it verifies."""
    backup = _before_keying(tmp_path, runner, monkeypatch)
    db = tmp_path / "quotes.db"
    assert run(runner, "quote", "--db", str(db)).exit_code == 0  # this desk's key is made
    result = run(runner, "quotes", "restore", str(backup), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "Restored 1 entries" in result.stdout and "not keyed yet" in result.stdout
    assert run(runner, "quote", "--db", str(db)).exit_code == 0
    assert "intact, 2 entries" in run(runner, "quotes", "verify", "--db", str(db)).stdout


def test_a_backup_from_ketacost_010_is_restored(runner: CliRunner, tmp_path: Path) -> None:
    """A 0.1.0 log has no chain yet: restored as it is (integrity checked); the next save
    adds the chain and keys it."""
    backup = tmp_path / "backup-0.1.0.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "quotes-0.1.0.db", backup)
    backup.chmod(0o600)
    db = tmp_path / "quotes.db"
    result = run(runner, "quotes", "restore", str(backup), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert run(runner, "quote", "--db", str(db)).exit_code == 0
    assert "intact, 12 entries" in run(runner, "quotes", "verify", "--db", str(db)).stdout
