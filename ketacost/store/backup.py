"""``quotes backup``: a consistent copy of a quote log, private, never over an existing
file unless asked, checked after writing (an SQLite log through SQLite's online backup
API); and ``quotes restore``, which puts such a copy in place as an SQLite log."""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from ketacost.store import guard
from ketacost.store.audit import Verification
from ketacost.store.base import QuoteLog
from ketacost.store.errors import StoreError
from ketacost.store.guard import SIDE_FILES
from ketacost.store.postgres import PostgresLog
from ketacost.store.sqlite import SQLiteLog
from ketacost.store.transfer import backup_to_sqlite
from ketacost.store.whole_file import new_backup, single_file, sync_folder


def _copied(log: SQLiteLog, temporary: Path) -> tuple[Verification, list[str]]:
    """``log`` copied through SQLite's backup API into ``temporary`` (a new private file)
    as one self-contained file, then checked as written: its verification, and what of it
    makes it unfit to put in place (:func:`_problems`)."""
    copy = sqlite3.connect(temporary, isolation_level=None)
    try:
        log.conn.backup(copy)
    finally:
        copy.close()
    single_file(temporary)
    with SQLiteLog.open_file(temporary, write=False) as written:
        verification = written.verify()
        return verification, _problems(written, verification)


def backup_log(log: QuoteLog, target: Path, *, force: bool = False) -> Verification:
    """A consistent copy of ``log`` as an SQLite file at ``target`` (owner-only; an
    existing file only with ``force``), verified after writing: an SQLite log through
    SQLite's backup API, a PostgreSQL log as a copy of one snapshot of it."""
    if isinstance(log, SQLiteLog):
        return backup_sqlite(log, target, force=force)
    if isinstance(log, PostgresLog):
        return backup_to_sqlite(log, target, force=force)
    raise StoreError(f"cannot back up {log.name}: unknown storage")


def backup_sqlite(log: SQLiteLog, target: Path, *, force: bool) -> Verification:
    """Copy ``log`` to ``target`` whole or not at all: one self-contained file, checked
    with ``integrity_check`` and the chain before it is put in place."""
    try:
        with new_backup(target, force=force, log_path=log.path) as temporary:
            verification, _ = _copied(log, temporary)
            if any(p.startswith("SQLite: ") for p in verification.problems):
                raise StoreError(
                    f"the backup {target} came out damaged ({verification.problems[0]})"
                )
    except sqlite3.Error as error:
        raise StoreError(f"quote log {log.path}: {error}") from None
    return verification


class Restored(NamedTuple):
    """What ``quotes restore`` did: the restored log's check, where the log it
    replaced was kept (None: there was none), and whether the backup was made before
    logs were keyed (its next save brings it up to date)."""

    verification: Verification
    kept: Path | None
    older: bool = False


OLDER = ("the log is not keyed:", "the log was written by ketacost 0.1.0")
"""What verify says of a log made before keying (0.2) or before the chain (0.1.0): true
of a backup made then, and no reason to refuse it; its next save keys it."""


def _problems(log: SQLiteLog, checked: Verification) -> list[str]:
    """What makes a backup unfit to restore: its check's problems, less what an older
    version's log is bound to show."""
    if log.keyed_schema:
        return checked.problems
    return [problem for problem in checked.problems if not problem.startswith(OLDER)]


def restore_sqlite(source: Path, target: Path) -> Restored:
    """Put a backup in place as the quote log at ``target``, whole or not at all.

    The backup is checked first (a ketacost log, ``integrity_check`` and the chain) and
    copied through SQLite's backup API into a new private file beside ``target``. The log
    it replaces is never deleted: it is renamed aside, with its ``-wal``, ``-shm`` and
    ``-journal``, to ``<name>.replaced-<UTC time>`` (a crashed desk's write-ahead log
    left beside the log would otherwise be replayed onto the backup when the log is next
    opened, and corrupt it). Then the copy takes the log's place."""
    guard.existing(target)  # a FIFO, a folder, a link to nothing: refused, untouched
    target = Path(os.path.realpath(target))  # a link to a log: restore the file it names
    if guard.existing(target) and os.path.samefile(source, target):
        raise StoreError(f"{source} is the quote log itself; restore from a backup of it")
    with SQLiteLog.open_file(source, write=False) as backup:
        checked = backup.verify()
        problems = _problems(backup, checked)
        older = not backup.keyed_schema
        if problems:
            raise StoreError(
                f"the backup {source} fails verification ({problems[0]}); nothing "
                "was restored: see 'ketacost quotes verify --db' on it"
            )
        folder = target.parent
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".new", dir=folder)
        os.close(descriptor)
        temporary = Path(name)
        try:
            verification, unfit = _copied(backup, temporary)
            if unfit:
                raise StoreError(f"the copy of {source} came out damaged; nothing was restored")
            with open(temporary, "rb") as file:
                os.fsync(file.fileno())
            kept = _set_aside(target)
            os.replace(temporary, target)
            sync_folder(folder)
        finally:
            for leftover in (temporary, *(Path(f"{temporary}{s}") for s in guard.SIDE_FILES)):
                with suppress(FileNotFoundError):
                    leftover.unlink()
    return Restored(verification, kept, older)


def _set_aside(target: Path) -> Path | None:
    """Rename the log at ``target`` and the files SQLite keeps beside it out of the way,
    together; the new name of the log, or None when there was none."""
    if not os.path.lexists(target):
        for side in SIDE_FILES:  # a stale write-ahead log with no log: never replayed
            stale = Path(f"{target}{side}")
            if stale.exists():
                stale.rename(Path(f"{target}.stale-{datetime.now(UTC):%Y%m%dT%H%M%SZ}{side}"))
        return None
    kept = Path(f"{target}.replaced-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
    number = 1
    while os.path.lexists(kept):
        number += 1
        kept = Path(f"{target}.replaced-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{number}")
    os.rename(target, kept)
    for side in SIDE_FILES:
        with suppress(FileNotFoundError):
            os.rename(f"{target}{side}", f"{kept}{side}")
    return kept
