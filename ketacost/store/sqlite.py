"""The quote log in an SQLite file (docs/quote-log.md).

Opening checks the file before SQLite sees it (:mod:`ketacost.store.guard`), then opens it
read-only to check its schema; only a command that saves opens it for writing, checks it
for damage, brings the schema forward and turns on WAL. Several desks may write at once
(WAL, a busy timeout, short ``BEGIN IMMEDIATE`` transactions).
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from ketacost.entries import Entry, normalize_id
from ketacost.store import guard, schema
from ketacost.store.audit import KEYING_LOST, Audit, Verification, Witness, history_check
from ketacost.store.base import QuoteLog
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256
from ketacost.store.errors import IdTaken, NoLog, StoreError
from ketacost.store.key import load_key
from ketacost.store.rows import JSON_COLUMNS
from ketacost.store.sqlite_open import (
    build,
    check_damage,
    check_schema,
    check_version,
    connect,
    use_wal,
)

COLUMNS = HASHED_COLUMNS
ROW_COLUMNS = (*COLUMNS, "key_id", "mac", "origin", "prev_sha256", "sha256")


def _later(first: str, second: str) -> bool:
    """Whether the saved time ``first`` is after ``second`` (both ISO 8601)."""
    try:
        return datetime.fromisoformat(first) > datetime.fromisoformat(second)
    except (TypeError, ValueError):
        return False


BEFORE = "(SELECT p.sha256 FROM entries p WHERE p.seq < e.seq ORDER BY p.seq DESC LIMIT 1)"


class SQLiteLog(QuoteLog):
    """A quote log in one SQLite file."""

    def __init__(self, conn: sqlite3.Connection, path: Path, version: int) -> None:
        super().__init__(str(path))
        self.conn = conn
        self.path = path
        self.version = version

    @classmethod
    def open_file(cls, path: Path, *, write: bool) -> SQLiteLog:
        umask = os.umask(0o077)  # what sqlite creates (-wal, -shm) is the owner's only
        try:
            if not guard.existing(path):
                if not write:
                    raise NoLog(f"there is no quote log at {path} yet (nothing has been saved)")
                guard.create_whole(path, build)
                guard.existing(path)
            check_version(guard.header_version(path, guard.read_header(path)), path)
            note = guard.tighten(path)
            log = cls._checked(path, write)
            log.notes += [note] if note else []
            try:
                log._load_keying()
            except BaseException:
                log.close()
                raise
            return log
        except sqlite3.OperationalError as error:  # busy, read-only, ...
            raise StoreError(f"cannot use the quote log {path}: {error}") from None
        except sqlite3.DatabaseError as error:  # a damaged file
            raise StoreError(f"{path} cannot be read ({error}): restore it from a backup") from None
        except OSError as error:
            raise StoreError(
                f"cannot open the quote log {path}: {error.strerror or error}"
            ) from None
        finally:
            os.umask(umask)

    @classmethod
    def _checked(cls, path: Path, write: bool) -> SQLiteLog:
        notes: list[str] = []
        conn = connect(path, write=False)
        try:
            version = check_schema(conn, path)
            if write:
                conn.close()
                conn = connect(path, write=True)
                check_damage(conn, path)
                if version < schema.current():
                    notes = schema.migrate(conn)
                    version = schema.current()
                use_wal(conn)
                conn.execute("PRAGMA foreign_keys = ON")
        except BaseException:
            conn.close()
            raise
        log = cls(conn, path, version)
        if notes:  # one note, however many steps it took
            log.notes.append(f"brought {path} up to date: {'; '.join(notes)}")
        return log

    def close(self) -> None:
        self.conn.close()

    @property
    def keyed_schema(self) -> bool:
        """Whether the log has the clinic key's columns and a hashed history (schema 3)."""
        return self.version >= schema.KEYED

    def _load_keying(self) -> None:
        self.key = load_key()
        if self.keyed_schema:
            found, self.keying = history_check(schema.history(self.conn), self.key, keyed=True)
            self.keying_lost = KEYING_LOST in found

    @property
    def chained(self) -> bool:
        return self.version >= 2

    @contextmanager
    def _errors(self) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as error:
            raise StoreError(f"quote log {self.path}: {error}") from None

    def _insert(self, entry: Entry) -> Entry | None:
        values: dict[str, Any] = {
            c: json.dumps(getattr(entry, c), ensure_ascii=False)
            if c in JSON_COLUMNS
            else getattr(entry, c)
            for c in COLUMNS
        }
        key_id, key = self._keyed()
        with self._errors():
            self.conn.execute("BEGIN IMMEDIATE")
            try:
                if entry.replaces is not None and not self._has(entry.replaces):
                    raise StoreError(f"there is no entry {entry.replaces} to replace")
                if self._has(entry.id):
                    self.conn.execute("ROLLBACK")
                    return None
                last = self.conn.execute(
                    "SELECT sha256, created, seq FROM entries ORDER BY seq DESC LIMIT 1"
                ).fetchone()
                prev, before, number = last or (GENESIS, None, 0)
                if before is not None and _later(before, values["created"]):
                    values["created"] = before  # a clock behind the last save's: never back
                sha256 = entry_sha256({**values, "key_id": key_id}, prev)
                mac = None if key is None else key.mac(sha256)
                self.conn.execute(
                    f"INSERT INTO entries ({', '.join(COLUMNS)}, "
                    f"{'key_id, mac, ' if self.keyed_schema else ''}prev_sha256, sha256) "
                    f"VALUES ({', '.join('?' for _ in COLUMNS)}, "
                    f"{'?, ?, ' if self.keyed_schema else ''}?, ?)",
                    [*values.values(), *([key_id, mac] if self.keyed_schema else []), prev, sha256],
                )
                self._check_saved(self.conn, sha256)
                self.conn.execute("COMMIT")
            except BaseException:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise
        return Entry(
            **{
                **entry.__dict__,
                "created": values["created"],
                "sha256": sha256,
                "prev_sha256": prev,
                "number": number + 1,
            }
        )

    def add(self, entry: Entry) -> Entry:
        stored = self._insert(entry)
        if stored is None:
            raise IdTaken(entry.id)
        return stored

    def _has(self, entry_id: str) -> bool:
        query = "SELECT 1 FROM entries WHERE id = ?"
        return self.conn.execute(query, (normalize_id(entry_id),)).fetchone() is not None

    def head(self) -> tuple[int, str] | None:
        if not self.chained:
            return None
        with self._errors():
            count, last = self.conn.execute(
                "SELECT count(*), (SELECT sha256 FROM entries ORDER BY seq DESC LIMIT 1) "
                "FROM entries"
            ).fetchone()
        return (int(count), str(last)) if count else None

    def _select(self) -> str:
        chain = f"e.prev_sha256, e.sha256, {BEFORE}" if self.chained else "NULL, NULL, NULL"
        keyed = "e.key_id, e.mac, e.origin, " if self.keyed_schema else "NULL, NULL, NULL, "
        chain = keyed + chain
        return f"SELECT e.seq, {', '.join('e.' + c for c in COLUMNS)}, {chain} FROM entries e"

    def _row(self, entry_id: str) -> tuple[Any, ...] | None:
        with self._errors():
            row: tuple[Any, ...] | None = self.conn.execute(
                self._select() + " WHERE e.id = ?", (entry_id,)
            ).fetchone()
        return row

    def _rows(self, sql: str, args: list[object]) -> Iterator[tuple[Any, ...]]:
        with self._errors():
            rows = self.conn.execute(sql, args)
        while True:
            with self._errors():
                row = rows.fetchone()
            if row is None:
                return
            yield row

    def verify(self, witnesses: Sequence[Witness] = ()) -> Verification:
        with self._errors():
            return self._verify(self.conn, witnesses)

    def _verify(self, conn: sqlite3.Connection, witnesses: Sequence[Witness] = ()) -> Verification:
        # the thorough check: quick_check misses some damage on a read-only connection
        problems = [f"SQLite: {row[0]}" for row in conn.execute("PRAGMA integrity_check")]
        problems = [] if problems == ["SQLite: ok"] else problems
        if not self.chained:
            problems.append(
                "the log was written by ketacost 0.1.0 and has no hash chain yet; "
                "saving the next quote adds it"
            )
            count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            return Verification(count, problems, None)
        problems += schema.missing_triggers(conn)
        conn.execute("BEGIN")  # one read transaction: the history and entries agree
        try:
            keying = None
            if self.keyed_schema:
                found, keying = history_check(schema.history(conn), self.key, keyed=True)
                problems += found
            audit = Audit(self.key, keying, witnesses, problems)
            keyed = "key_id, mac, origin" if self.keyed_schema else "NULL, NULL, NULL"
            for row in conn.execute(
                f"SELECT {', '.join(COLUMNS)}, {keyed}, prev_sha256, sha256 FROM entries "
                "ORDER BY seq"
            ):
                audit.entry(dict(zip(ROW_COLUMNS, row, strict=True)))
        finally:
            conn.execute("COMMIT")
        return audit.finish()
