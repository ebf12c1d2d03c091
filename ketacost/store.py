"""The quote log: every quote and Good Faith Estimate given, kept in an SQLite file
(docs/quote-log.md).

Entries are only ever added (triggers refuse UPDATE and DELETE); a revision is a new entry
naming the one it replaces. Several desks may write at once (WAL, a busy timeout, short
``BEGIN IMMEDIATE`` transactions). The file is its owner's only, and a file that is not a
ketacost quote log is never written to.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from datetime import UTC, date, datetime, time
from pathlib import Path
from time import monotonic, sleep
from typing import Any

from ketacost.entries import Entry, normalize_id

APPLICATION_ID = 0x4B544351  # "KTCQ" in the file header: this file is a ketacost quote log
BUSY_TIMEOUT_SECONDS = 30.0
SQLITE_MAGIC = b"SQLite format 3\x00"
COLUMNS = (
    "id",
    "created",
    "kind",
    "prepared_by",
    "patient",
    "dob",
    "replaces",
    "inputs",
    "sheet_name",
    "sheet_sha256",
    "version",
    "result",
    "html",
)
JSON_COLUMNS = ("inputs", "result")

MIGRATIONS: tuple[tuple[str, ...], ...] = (
    # 1: the entries table, append-only.
    (
        """CREATE TABLE entries (
            seq INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
            kind TEXT NOT NULL CHECK (kind IN ('quote', 'gfe')), prepared_by TEXT,
            patient TEXT, dob TEXT, replaces TEXT REFERENCES entries (id),
            inputs TEXT NOT NULL, sheet_name TEXT NOT NULL, sheet_sha256 TEXT NOT NULL,
            version TEXT NOT NULL, result TEXT NOT NULL, html TEXT)""",
        "CREATE INDEX entries_created ON entries (created)",
        "CREATE INDEX entries_replaces ON entries (replaces)",
        """CREATE TRIGGER entries_never_updated BEFORE UPDATE ON entries
           BEGIN SELECT RAISE(ABORT, 'quote log entries are never changed'); END""",
        """CREATE TRIGGER entries_never_deleted BEFORE DELETE ON entries
           BEGIN SELECT RAISE(ABORT, 'quote log entries are never deleted'); END""",
    ),
)
"""Forward migrations: ``MIGRATIONS[n]`` takes a log from schema version n to n + 1."""


class StoreError(Exception):
    """The quote log cannot be used or an entry cannot be found; says which and why."""


class IdTaken(StoreError):
    """The log holds an entry with this id already."""


def default_path() -> Path:
    """``$XDG_DATA_HOME/ketacost/quotes.db``, else ``~/.local/share/ketacost/quotes.db``."""
    base = os.environ.get("XDG_DATA_HOME", "")
    root = Path(base) if os.path.isabs(base) else Path.home() / ".local" / "share"
    return root / "ketacost" / "quotes.db"


def _not_ours(path: Path, why: str) -> StoreError:
    return StoreError(f"{path} is not a ketacost quote log ({why}); it was left untouched")


def _check_header(path: Path) -> None:
    """Refuse a file that is not SQLite before SQLite opens it."""
    with path.open("rb") as file:
        header = file.read(100)
    if header and (len(header) < 100 or not header.startswith(SQLITE_MAGIC)):  # empty: new
        raise _not_ours(path, "not an SQLite database")


def _check_schema(conn: sqlite3.Connection, path: Path) -> int:
    """The log's schema version (0 for a new file); refuses foreign or newer files."""
    conn.execute("BEGIN")  # one read transaction: a consistent view while others migrate
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        application = int(conn.execute("PRAGMA application_id").fetchone()[0])
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.execute("COMMIT")
    if application == 0 and version == 0 and not tables:
        return 0
    if application != APPLICATION_ID:
        raise _not_ours(path, "an SQLite database without the quote log's tables")
    if version > len(MIGRATIONS):
        raise StoreError(
            f"{path} was written by a newer ketacost (quote log schema {version}; "
            f"this version reads up to {len(MIGRATIONS)}): upgrade ketacost; "
            "the file was left untouched"
        )
    if "entries" not in tables:
        raise _not_ours(path, "its entries table is missing")
    return version


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to date, once, even when several desks open a new log at once."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version < len(MIGRATIONS):  # else another desk got here first
            for statement in (s for step in MIGRATIONS[version:] for s in step):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _use_wal(conn: sqlite3.Connection) -> None:
    """Switch a new log to WAL for good; SQLite does not wait out a busy lock for that."""
    deadline = monotonic() + BUSY_TIMEOUT_SECONDS
    while conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
        try:
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or monotonic() > deadline:
                raise
            sleep(0.01)


def _connect(path: Path, create: bool) -> sqlite3.Connection:
    if path.is_dir():
        raise StoreError(f"{path} is a directory, not a quote log file")
    if not path.exists():
        if not create:
            raise StoreError(f"there is no quote log at {path} yet (nothing has been saved)")
        path.parent.mkdir(parents=True, exist_ok=True)
        with suppress(FileExistsError):  # another desk created it a moment ago
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    _check_header(path)
    conn = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
    try:
        version = _check_schema(conn, path)
        if version < len(MIGRATIONS):
            _migrate(conn)
        _use_wal(conn)
        conn.execute("PRAGMA foreign_keys = ON")
    except BaseException:
        conn.close()
        raise
    return conn


class QuoteLog(AbstractContextManager["QuoteLog"]):
    """An open quote log. Use :meth:`open`, ideally in a ``with`` block."""

    def __init__(self, conn: sqlite3.Connection, path: Path) -> None:
        self.conn = conn
        self.path = path

    @classmethod
    def open(cls, path: Path | str, *, create: bool = True) -> QuoteLog:
        """Open (and, with ``create``, make) the log at ``path``, migrating it forward."""
        path = Path(path)
        umask = os.umask(0o077)  # what sqlite creates (-wal, -shm) is the owner's only
        try:
            return cls(_connect(path, create), path)
        except sqlite3.OperationalError as error:  # busy, read-only, ...
            raise StoreError(f"cannot use the quote log {path}: {error}") from None
        except sqlite3.DatabaseError as error:  # not a database, or a damaged one
            raise _not_ours(path, str(error)) from None
        except OSError as error:
            raise StoreError(
                f"cannot open the quote log {path}: {error.strerror or error}"
            ) from None
        finally:
            os.umask(umask)

    def close(self) -> None:
        self.conn.close()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreError(f"quote log {self.path}: {error}") from None

    def add(self, entry: Entry) -> None:
        """Save a new entry; :class:`IdTaken` when its id is in the log already (draw
        another id and try again)."""
        if not self._insert(entry):
            raise IdTaken(entry.id)

    def _insert(self, entry: Entry) -> bool:
        """Insert in one short write transaction; False when the id is already taken."""
        values = [
            json.dumps(getattr(entry, c), ensure_ascii=False)
            if c in JSON_COLUMNS
            else getattr(entry, c)
            for c in COLUMNS
        ]
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if entry.replaces is not None and self.get(entry.replaces) is None:
                    raise StoreError(f"there is no entry {entry.replaces} to replace")
                if self.conn.execute("SELECT 1 FROM entries WHERE id = ?", (entry.id,)).fetchone():
                    self.conn.execute("ROLLBACK")
                    return False
                self.conn.execute(
                    f"INSERT INTO entries ({', '.join(COLUMNS)}) "
                    f"VALUES ({', '.join('?' for _ in COLUMNS)})",
                    values,
                )
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        return True

    def get(self, entry_id: str) -> Entry | None:
        """The entry with this id (any case), or None."""
        with self._errors():
            row = self.conn.execute(
                f"SELECT {', '.join(COLUMNS)} FROM entries WHERE id = ?", (normalize_id(entry_id),)
            ).fetchone()
        return None if row is None else _entry(row)

    def replaced_by(self, entry_id: str) -> list[str]:
        """The ids of the entries that revise this one, oldest first."""
        return [e.id for e in self.entries(replaces=entry_id, newest_first=False)]

    def entries(
        self,
        *,
        patient: str | None = None,
        since: date | None = None,
        limit: int | None = None,
        newest_first: bool = True,
        replaces: str | None = None,
    ) -> list[Entry]:
        """Entries whose patient name contains ``patient`` (any case), saved on or after
        local midnight of ``since``; the newest (or oldest) ``limit`` of them."""
        conditions = []
        if patient:
            escaped = patient.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            conditions.append(("patient LIKE ? ESCAPE '\\'", f"%{escaped}%"))
        if since is not None:
            midnight = datetime.combine(since, time()).astimezone(UTC)
            conditions.append(("created >= ?", midnight.isoformat()))
        if replaces:
            conditions.append(("replaces = ?", normalize_id(replaces)))
        sql = f"SELECT {', '.join(COLUMNS)} FROM entries"
        if conditions:
            sql += " WHERE " + " AND ".join(clause for clause, _ in conditions)
        sql += f" ORDER BY seq {'DESC' if newest_first else 'ASC'}"
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        args = [arg for _, arg in conditions]
        with self._errors():
            return [_entry(row) for row in self.conn.execute(sql, args)]


def _entry(row: tuple[Any, ...]) -> Entry:
    return Entry(
        **{c: json.loads(v) if c in JSON_COLUMNS else v for c, v in zip(COLUMNS, row, strict=True)}
    )
