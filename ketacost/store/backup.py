"""``quotes backup``: a consistent copy of an SQLite quote log through SQLite's online
backup API, private, never over an existing file unless asked, checked after writing."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING

from ketacost.store.base import Verification
from ketacost.store.errors import StoreError

if TYPE_CHECKING:
    from ketacost.store.sqlite import SQLiteLog


def _check_target(log: SQLiteLog, target: Path, force: bool) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise StoreError(f"{target} is not a regular file; a backup is written only as a file")
    if not force:
        raise StoreError(f"{target} exists already; give --force to replace it")
    if os.path.samefile(target, log.path):
        raise StoreError(f"{target} is the quote log itself; back it up to another file")


def backup_sqlite(log: SQLiteLog, target: Path, *, force: bool) -> Verification:
    """Copy ``log`` to ``target`` whole or not at all: into a new private file beside it
    (one self-contained file, no WAL), checked with ``quick_check`` and the chain, flushed
    to disk, then linked (or, with ``force``, renamed) into place."""
    from ketacost.store.sqlite import SQLiteLog

    _check_target(log, target, force)
    folder = target.parent
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror}") from None
    os.close(descriptor)
    temporary = Path(name)
    try:
        copy = sqlite3.connect(temporary, isolation_level=None)
        try:
            log.conn.backup(copy)
            copy.execute("PRAGMA journal_mode = DELETE")
        finally:
            copy.close()
        with SQLiteLog.open_file(temporary, write=False) as written:
            verification = written.verify()
        if any(p.startswith("SQLite: ") for p in verification.problems):
            raise StoreError(f"the backup {target} came out damaged ({verification.problems[0]})")
        with open(temporary, "rb") as file:
            os.fsync(file.fileno())
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise StoreError(f"{target} exists already; give --force to replace it") from None
        _sync_folder(folder)
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror or error}") from None
    finally:
        with suppress(FileNotFoundError):
            temporary.unlink()
    return verification


def _sync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
