"""A file written whole or not at all, for a backup of any kind of log: filled (and
checked) under an unpredictable private name beside its target, flushed to disk, then
linked (or, when asked, renamed) into place."""

from __future__ import annotations

import os
import sqlite3
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

from ketacost.store.errors import StoreError


def _check_target(target: Path, force: bool, log_path: Path | None) -> None:
    try:
        mode = os.lstat(target).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise StoreError(f"{target} is not a regular file; a backup is written only as a file")
    if not force:
        raise StoreError(f"{target} exists already; give --force to replace it")
    if log_path is not None and os.path.samefile(target, log_path):
        raise StoreError(f"{target} is the quote log itself; back it up to another file")


@contextmanager
def new_backup(
    target: Path, *, force: bool, log_path: Path | None = None, made: bool = True
) -> Iterator[Path]:
    """A backup file written whole or not at all, for every kind of log: the block fills
    (and checks) a new private file with an unpredictable name beside ``target``; it is
    then flushed to disk and linked (or, with ``force``, renamed) into place. Whatever
    goes wrong leaves ``target`` as it was and no temporary file behind. ``made``: the
    temporary file is created (owner-only) for the block; else only its name is chosen,
    for the block to create."""
    _check_target(target, force, log_path)
    folder = target.parent
    try:
        descriptor, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        os.close(descriptor)
        if not made:
            os.unlink(name)
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror}") from None
    temporary = Path(name)
    try:
        yield temporary
        with open(temporary, "rb") as file:
            os.fsync(file.fileno())
        if force:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)
            except FileExistsError:
                raise StoreError(f"{target} exists already; give --force to replace it") from None
        sync_folder(folder)
    except OSError as error:
        raise StoreError(f"cannot write the backup {target}: {error.strerror or error}") from None
    finally:
        for leftover in (temporary, *(Path(f"{temporary}{s}") for s in ("-wal", "-shm"))):
            with suppress(FileNotFoundError):
                leftover.unlink()


def single_file(path: Path) -> None:
    """An SQLite file made self-contained: no write-ahead log beside it."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def sync_folder(folder: Path) -> None:
    with suppress(OSError):  # not every platform can open a folder
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
