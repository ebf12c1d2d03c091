"""``quotes copy``: a log's entries into another log, exactly as stored, whatever keeps
either (docs/quote-log.md, "Copying a log"); and ``quotes backup`` of a PostgreSQL log,
which is such a copy into a new SQLite file.

A copy keeps every entry's id, time, content, page and both hashes, in order, so the
target's chain is the source's chain and ``quotes verify`` passes on it. It therefore
only fills an empty log, or extends one that holds an earlier copy of the same source
(copying again adds only what is new); a target holding other entries is refused. The
entries are added in one transaction: all or none.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Generator, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from ketacost.store.base import QuoteLog, Verification
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256, flaw
from ketacost.store.errors import StoreError
from ketacost.store.rows import read_entry

if TYPE_CHECKING:
    from ketacost.store.postgres import PostgresLog

ROW_COLUMNS = (*HASHED_COLUMNS, "prev_sha256", "sha256")
Row = dict[str, Any]


class Copied(NamedTuple):
    """What a copy did: entries added, entries the target held already, its last hash."""

    added: int
    already: int
    head: str | None


def stored_rows(log: QuoteLog) -> Generator[Row]:
    """Every entry of ``log`` as stored, oldest first, with its hashes (those the chain
    migration would give, for a 0.1.0 log that has none yet)."""
    from ketacost.store.sqlite import SQLiteLog

    if isinstance(log, SQLiteLog):
        yield from _sqlite_rows(log)
        return
    from ketacost.store.postgres import PostgresLog

    if isinstance(log, PostgresLog):
        yield from log.stored_rows()
        return
    raise StoreError(f"cannot copy from {log.name}: unknown storage")


def _sqlite_rows(log: Any) -> Iterator[Row]:
    hashes = "prev_sha256, sha256" if log.chained else "NULL, NULL"
    conn: sqlite3.Connection = log.conn
    try:
        conn.execute("BEGIN")  # one read transaction: a consistent view
        try:
            cursor = conn.execute(
                f"SELECT {', '.join(HASHED_COLUMNS)}, {hashes} FROM entries ORDER BY seq"
            )
            prev = GENESIS
            for values in cursor:
                row = dict(zip(ROW_COLUMNS, values, strict=True))
                if not log.chained:
                    row["prev_sha256"], row["sha256"] = prev, entry_sha256(row, prev)
                    prev = row["sha256"]
                yield row
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise StoreError(f"quote log {log.path}: {error}") from None


def _checked(rows: Iterable[Row], name: str) -> Generator[Row]:
    """The rows, refusing one that fails its chain or cannot be read: a copy must verify."""
    before: str | None = None
    for number, row in enumerate(rows, start=1):
        stored = {column: row[column] for column in HASHED_COLUMNS}
        label = row["id"] if isinstance(row["id"], str) else f"#{number}"
        problem = flaw(stored, row["prev_sha256"], row["sha256"], before)
        entry = read_entry(label, stored, row["prev_sha256"], row["sha256"], problem)
        reason = getattr(entry, "reason", None) or getattr(entry, "flaw", None)
        if reason is None and any("\x00" in (v or "") for v in stored.values()):
            reason = "it holds a NUL character"
        if reason:
            raise StoreError(
                f"entry {label} of {name} cannot be copied ({reason}); nothing was copied: "
                "see 'ketacost quotes verify'"
            )
        before = row["sha256"]
        yield row


def _append(log: QuoteLog, rows: Iterable[Row], after: str | None) -> int:
    from ketacost.store.sqlite import SQLiteLog

    if isinstance(log, SQLiteLog):
        return _sqlite_append(log, rows, after)
    from ketacost.store.postgres import PostgresLog

    if isinstance(log, PostgresLog):
        return log.append_rows(rows, after)
    raise StoreError(f"cannot copy to {log.name}: unknown storage")


def _sqlite_append(log: Any, rows: Iterable[Row], after: str | None) -> int:
    conn: sqlite3.Connection = log.conn
    insert = (
        f"INSERT INTO entries ({', '.join(ROW_COLUMNS)}) "
        f"VALUES ({', '.join('?' for _ in ROW_COLUMNS)})"
    )
    added = 0
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            last = conn.execute("SELECT sha256 FROM entries ORDER BY seq DESC LIMIT 1").fetchone()
            if (last[0] if last else None) != after:
                raise StoreError(f"{log.path} changed while copying; nothing was copied")
            for row in rows:
                conn.execute(insert, [row[c] for c in ROW_COLUMNS])
                added += 1
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as error:
        raise StoreError(f"quote log {log.path}: {error}; nothing was copied") from None
    return added


def copy_log(source: QuoteLog, target: QuoteLog) -> Copied:
    """Add to ``target`` the entries of ``source`` it does not hold yet, exactly as
    stored. Refused, with nothing written, when the target holds entries that are not
    the source's, or when an entry of the source fails its chain."""
    held = [row["sha256"] for row in stored_rows(target)]
    stored = stored_rows(source)
    with closing(stored), closing(_checked(stored, source.name)) as rows:
        already = 0
        for row in rows:
            if already == len(held):
                last: list[str] = []
                pending = _remember(_prepend(row, rows), last)
                added = _append(target, pending, held[-1] if held else None)
                return Copied(added, already, last[0])
            if row["sha256"] != held[already]:
                raise StoreError(
                    f"{target.name} holds entries that are not {source.name}'s (its entry "
                    f"{already + 1} differs); a copy keeps every entry's hash, so it only "
                    "fills an empty log or one holding an earlier copy of the same log: "
                    "nothing was copied"
                )
            already += 1
    return Copied(0, already, held[-1] if held else None)


def _prepend(first: Row, rest: Iterator[Row]) -> Iterator[Row]:
    yield first
    yield from rest


def _remember(rows: Iterator[Row], last: list[str]) -> Iterator[Row]:
    """The rows, keeping the hash of the last one in ``last``."""
    for row in rows:
        last[:] = [row["sha256"]]
        yield row


def backup_to_sqlite(log: PostgresLog, target: Path, *, force: bool) -> Verification:
    """``quotes backup`` of a PostgreSQL log: a copy of one consistent snapshot of it
    into a new SQLite log file (owner-only, self-contained), verified, then put in place
    whole or not at all (:func:`ketacost.store.backup.new_backup`)."""
    from ketacost.store.backup import new_backup, single_file
    from ketacost.store.sqlite import SQLiteLog

    with new_backup(target, force=force, made=False) as temporary:
        with SQLiteLog.open_file(temporary, write=True) as copy:
            copy_log(log, copy)
        single_file(temporary)
        with SQLiteLog.open_file(temporary, write=False) as written:
            verification = written.verify()
    return verification
