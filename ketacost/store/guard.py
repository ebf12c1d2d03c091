"""What the quote log checks before SQLite ever opens a file, and the file's privacy
(docs/quote-log.md, "Refusing what is not ours" and "Privacy").

Nothing here writes to a file that is not a ketacost quote log: a file is recognised by
its first 100 bytes alone (SQLite's header, with the quote log's application id).
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path

from ketacost.store.errors import StoreError

APPLICATION_ID = 0x4B544351  # "KTCQ" in the file header: this file is a ketacost quote log
SQLITE_MAGIC = b"SQLite format 3\x00"
HEADER_SIZE = 100
SIDE_FILES = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database; they hold its data too."""


def not_ours(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} is not a ketacost quote log ({why}); it was left untouched")


def _what(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a FIFO"),
        (stat.S_ISCHR, "a device"),
        (stat.S_ISBLK, "a device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a regular file"


def existing(path: Path) -> bool:
    """Whether there is a log file at ``path``: False when nothing is there; True for a
    regular file or a symbolic link to one (followed, as for any file a user names).
    Anything else is refused at once, without opening it (a FIFO would never answer)."""
    try:
        os.lstat(path)
    except FileNotFoundError:
        return False
    except OSError as error:
        raise StoreError(f"cannot use the quote log {path}: {error.strerror}") from None
    try:
        mode = os.stat(path).st_mode
    except FileNotFoundError:
        raise StoreError(
            f"{path} is a symbolic link to nothing; ketacost does not create a log through it"
        ) from None
    if not stat.S_ISREG(mode):
        raise StoreError(f"{path} is {_what(mode)}, not a quote log file; it was left untouched")
    return True


def read_header(path: Path) -> bytes:
    """The file's first 100 bytes, read without blocking and only from a regular file."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    descriptor = os.open(path, flags)
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):  # swapped after the first look
            raise StoreError(f"{path} is {_what(mode)}, not a quote log file")
        return os.read(descriptor, HEADER_SIZE)
    finally:
        os.close(descriptor)


def header_version(path: Path, header: bytes) -> int:
    """The schema version a ketacost log's header records; refuses any other file."""
    if not header:
        raise not_ours(path, "an empty file; a new log is only made where no file exists")
    if len(header) < HEADER_SIZE or not header.startswith(SQLITE_MAGIC):
        raise not_ours(path, "not an SQLite database")
    if int.from_bytes(header[68:72], "big") != APPLICATION_ID:
        raise not_ours(path, "an SQLite database of another program")
    return int.from_bytes(header[60:64], "big", signed=True)


def tighten(path: Path) -> str | None:
    """Make the log and the files beside it its owner's only; a note saying so when a
    mode had to change. Refuses a log whose mode cannot be changed (not the user's)."""
    loosened = []
    real = Path(os.path.realpath(path))  # through a link, SQLite keeps them beside the file
    sides = {p.with_name(p.name + side) for p in (path, real) for side in SIDE_FILES}
    for file in (path, *sorted(sides)):
        try:
            mode = stat.S_IMODE(os.stat(file).st_mode)
        except FileNotFoundError:
            continue
        if mode & 0o077:
            try:
                os.chmod(file, 0o600)
            except OSError as error:
                raise StoreError(
                    f"{file} is readable by others (mode {mode:04o}) and cannot be made "
                    f"private ({error.strerror}): its owner can run chmod 600 on it"
                ) from None
            loosened.append(f"{file.name} (was {mode:04o})")
    if not loosened:
        return None
    return f"made {', '.join(loosened)} readable by you only (mode 0600): it holds patient data"


def create_whole(path: Path, build: Callable[[Path], None]) -> None:
    """Make a new log at ``path`` only if no file is there: ``build`` fills a private
    temporary file beside it, which is then linked into place, so the log never exists
    half made. If another desk got there first, its log is kept and this one dropped."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    descriptor, name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".new", dir=path.parent)
    os.close(descriptor)
    temporary = Path(name)
    try:
        build(temporary)
        with suppress(FileExistsError):
            os.link(temporary, path)
    finally:
        for file in (temporary, *(temporary.with_name(temporary.name + s) for s in SIDE_FILES)):
            with suppress(FileNotFoundError):
                file.unlink()
