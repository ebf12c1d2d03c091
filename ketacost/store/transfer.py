"""``quotes copy``: a log's entries into another log, whatever keeps either
(docs/quote-log.md, "Copying a log"); and ``quotes backup`` of a PostgreSQL log, which is
such a copy into a new SQLite file.

The source must verify first (its chain and its MACs, and any witnessed heads). An entry
that extends the target's chain under the target's key is added exactly as stored (id,
time, content, page, hashes, MAC), so a copy into an empty log is the source's chain and
copying again adds only what is new. Any other entry (after the target's own, or from an
unkeyed log) is merged: its original hashes kept as its ``origin``, chained and keyed
anew. The entries are added in one transaction, all or none, and read back before it is
committed.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Generator, Iterable, Iterator, Sequence
from contextlib import closing
from pathlib import Path
from typing import Any, NamedTuple

from ketacost.store.audit import KEYING_LOST, Audit, Verification, Witness
from ketacost.store.base import QuoteLog
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, check_stored, entry_sha256
from ketacost.store.errors import StoreError
from ketacost.store.key import ClinicKey
from ketacost.store.postgres import PostgresLog
from ketacost.store.sqlite import SQLiteLog
from ketacost.store.whole_file import new_backup, single_file

ROW_COLUMNS = (*HASHED_COLUMNS, "key_id", "mac", "origin", "prev_sha256", "sha256")
Row = dict[str, Any]


class Copied(NamedTuple):
    """What a copy did: entries added, entries the target held already, its last hash."""

    added: int
    already: int
    head: str | None


def stored_rows(log: QuoteLog) -> Generator[Row]:
    """Every entry of ``log`` as stored, oldest first, with its hashes (those the chain
    migration would give, for a 0.1.0 log that has none yet)."""
    if isinstance(log, SQLiteLog):
        yield from _sqlite_rows(log)
        return

    if isinstance(log, PostgresLog):
        yield from log.stored_rows()
        return
    raise StoreError(f"cannot copy from {log.name}: unknown storage")


def _sqlite_rows(log: Any) -> Iterator[Row]:
    hashes = "prev_sha256, sha256" if log.chained else "NULL, NULL"
    hashes = ("key_id, mac, origin, " if log.keyed_schema else "NULL, NULL, NULL, ") + hashes
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


def _checked(
    rows: Iterable[Row], source: QuoteLog, witnesses: Sequence[Witness] = ()
) -> Generator[Row]:
    """The rows, refusing one that fails its chain, its MAC or cannot be read, and at the
    end a source that does not extend a witnessed head or whose MACs this desk cannot
    check: a copy must verify (a log from before keying is copied on its plain chain)."""
    audit = Audit(source.key, source.keying, witnesses)
    for row in rows:
        audit.entry(row)
        if audit.problems:
            label = row["id"] if isinstance(row["id"], str) else f"#{audit.count}"
            reason = audit.problems[0].removeprefix(f"{label}: ")
            raise StoreError(
                f"entry {label} of {source.name} cannot be copied ({reason}); nothing was "
                "copied: see 'ketacost quotes verify'"
            )
        if any("\x00" in row[c] for c in HASHED_COLUMNS if isinstance(row[c], str)):
            raise StoreError(
                f"entry {row['id']} of {source.name} cannot be copied (it holds a NUL "
                "character); nothing was copied"
            )
        yield row
    problems = audit.finish().problems
    if source.keying is None:
        problems = [p for p in problems if not p.startswith("the log is not keyed")]
    if problems:
        raise StoreError(f"{source.name} cannot be copied ({problems[0]}); nothing was copied")


def _append(log: QuoteLog, rows: Iterable[Row], after: str | None) -> int:
    if isinstance(log, SQLiteLog):
        return _sqlite_append(log, rows, after)

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
            held = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
            expected: tuple[Any, ...] | None = None
            for row in rows:
                conn.execute(insert, [row[c] for c in ROW_COLUMNS])
                expected = (row["id"], row["created"], row["sha256"])
                added += 1
            found = conn.execute(
                "SELECT count(*), (SELECT id || ' ' || created || ' ' || sha256 FROM entries "
                "ORDER BY seq DESC LIMIT 1) FROM entries"
            ).fetchone()
            check_stored(found, held + added, expected)
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    except sqlite3.Error as error:
        raise StoreError(f"quote log {log.path}: {error}; nothing was copied") from None
    return added


def check_source_key(source: QuoteLog) -> None:
    """A keyed log is copied only by a desk holding its key (its MACs must be checked);
    said before anything is made or written. A log whose keying line was removed is not
    copied at all: copied on its plain chain, a forgery would verify in the target."""
    if source.keying_lost:
        raise StoreError(f"{source.name} cannot be copied ({KEYING_LOST}); nothing was copied")
    keying = source.keying
    if keying is not None and (source.key is None or source.key.id != keying.key_id):
        raise StoreError(
            f"{source.name} is keyed with the clinic key {keying.key_id}, which this desk "
            "does not hold, so its entries cannot be checked; nothing was copied"
        )


def copy_log(source: QuoteLog, target: QuoteLog, witnesses: Sequence[Witness] = ()) -> Copied:
    """Add to ``target`` the entries of ``source`` it does not hold yet. An entry that
    extends the target's chain as it is, under the target's clinic key, is added exactly
    as stored; any other (from an unkeyed log, or after the target's own entries) is
    merged: added in order with its id, time and content, its original hashes kept as
    its ``origin``, chained and keyed anew in the target. Refused, with nothing written,
    when an entry of the source fails verification or its id is another entry's in the
    target. ``witnesses``: heads the source must still extend."""
    check_source_key(source)
    held: set[str] = set()
    ids: set[str] = set()
    head: str | None = None
    for row in stored_rows(target):
        held.add(row["sha256"])
        if row.get("origin"):
            held.add(json.loads(row["origin"]).get("sha256", ""))
        ids.add(row["id"])
        head = row["sha256"]
    key_id, key = target._keyed()
    stored = stored_rows(source)
    already = 0
    last: list[str] = []

    def pending() -> Iterator[Row]:
        nonlocal already
        tip = head
        for row in _checked(stored, source, witnesses):
            if row["sha256"] in held:
                already += 1
                continue
            if row["id"] in ids:
                raise StoreError(
                    f"entry {row['id']} of {source.name} differs from the target's entry "
                    "with that id; nothing was copied"
                )
            exact = row["prev_sha256"] == (tip or GENESIS) and row.get("key_id") == key_id
            placed = row if exact else _merged(row, tip, key_id, key, source.name)
            tip = placed["sha256"]
            last[:] = [tip]
            yield placed

    with closing(stored):
        added = _append(target, pending(), head)
    return Copied(added, already, last[0] if last else head)


def _merged(row: Row, tip: str | None, key_id: str | None, key: ClinicKey | None, name: str) -> Row:
    """An entry of another log, chained (and keyed) anew after ``tip``: its original
    hashes and key are kept as its ``origin``."""
    origin = {"log": name, "sha256": row["sha256"], "prev_sha256": row["prev_sha256"]}
    if row.get("key_id"):
        origin["key_id"] = row["key_id"]
    merged = {column: row[column] for column in HASHED_COLUMNS}
    merged["key_id"] = key_id
    merged["origin"] = json.dumps(origin, sort_keys=True, ensure_ascii=False)
    merged["prev_sha256"] = prev = tip or GENESIS
    merged["sha256"] = sha256 = entry_sha256(merged, prev)
    merged["mac"] = None if key is None else key.mac(sha256)
    return merged


def backup_to_sqlite(log: PostgresLog, target: Path, *, force: bool) -> Verification:
    """``quotes backup`` of a PostgreSQL log: a copy of one consistent snapshot of it
    into a new SQLite log file (owner-only, self-contained), verified, then put in place
    whole or not at all (:func:`ketacost.store.whole_file.new_backup`)."""
    check_source_key(log)
    with new_backup(target, force=force, made=False) as temporary:
        with SQLiteLog.open_file(temporary, write=True) as copy:
            copy_log(log, copy)
        single_file(temporary)
        with SQLiteLog.open_file(temporary, write=False) as written:
            verification = written.verify()
    return verification
