"""Opening an SQLite quote log: the connection, and the checks before anything is read
or written (docs/quote-log.md): the schema version, the log's own tables, damage, WAL."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from time import monotonic, sleep
from urllib.parse import quote

from ketacost.store import guard, schema
from ketacost.store.errors import StoreError

BUSY_TIMEOUT_SECONDS = 30.0
"""How long a command waits for another desk's write to finish."""


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")  # a damaged row stays one bad row


def connect(path: Path, write: bool) -> sqlite3.Connection:
    uri = f"file:{quote(os.fspath(path.absolute()))}?mode={'rw' if write else 'ro'}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    conn.text_factory = _text
    return conn


def check_schema(conn: sqlite3.Connection, path: Path) -> int:
    """The log's schema version; refuses a file without the quote log's tables."""
    conn.execute("BEGIN")  # one read transaction: a consistent view while others migrate
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.execute("COMMIT")
    check_version(version, path)
    if "entries" not in tables:
        raise guard.not_ours(path, "its entries table is missing")
    return version


def check_version(version: int, path: Path) -> None:
    if version > schema.current():
        raise StoreError(
            f"{path} was written by a newer ketacost (quote log schema {version}; "
            f"this version reads up to {schema.current()}): upgrade ketacost; "
            "the file was left untouched"
        )


INTEGRITY_BUDGET_SECONDS = 2.0
"""How long a save may spend on SQLite's full ``integrity_check`` before it settles for
the quick check (docs/quote-log.md, "Refusing what is not ours")."""


def check_damage(conn: sqlite3.Connection, path: Path) -> None:
    """Refuse a damaged log before anything is written to it. SQLite's full
    ``integrity_check`` also finds an index that no longer matches its table (which
    ``quick_check`` misses, and a save would then write through); it runs for at most
    :data:`INTEGRITY_BUDGET_SECONDS`, and a log too large to finish in that time gets
    ``quick_check`` instead (``quotes verify`` and ``quotes backup`` check it fully)."""
    deadline = monotonic() + INTEGRITY_BUDGET_SECONDS
    conn.set_progress_handler(lambda: monotonic() > deadline, 100)
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
    except sqlite3.OperationalError as error:
        if "interrupt" not in str(error):
            raise
        problems = None
    finally:
        conn.set_progress_handler(None, 0)
    if problems is None:  # out of time: the quick check, which reads every page once
        problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
    if problems != ["ok"]:
        raise StoreError(
            f"{path} is damaged ({problems[0]}); nothing was written: restore it from a "
            "backup (ketacost quotes backup makes one)"
        )


def use_wal(conn: sqlite3.Connection) -> None:
    """Switch a log to WAL for good; SQLite does not wait out a busy lock for that."""
    deadline = monotonic() + BUSY_TIMEOUT_SECONDS
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or monotonic() > deadline:
                raise
            sleep(0.01)


def build(path: Path) -> None:
    """A new, empty log, complete, in the file at ``path``."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        schema.migrate(conn)
    finally:
        conn.close()
