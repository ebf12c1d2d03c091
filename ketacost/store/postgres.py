"""The quote log in a PostgreSQL database, shared by several desks (docs/quote-log.md,
"Several desks, one log").

The same promises as the SQLite file: entries only added (triggers refuse UPDATE, DELETE
and TRUNCATE; the desks' role has INSERT and SELECT only), the same hash chain over the
same text, appends serialized by an advisory lock held inside the insert transaction (so
concurrent desks never fork the chain), times from the server's clock, and migrations run
once under another lock. psycopg is imported here only, when a PostgreSQL log is opened.
Errors are one line and never repeat the password.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC
from itertools import count, islice
from typing import Any

from ketacost.entries import Entry, normalize_id
from ketacost.store import pg_schema
from ketacost.store.audit import KEYING_LOST, Audit, Verification, Witness, history_check
from ketacost.store.base import QuoteLog
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, check_stored, entry_sha256
from ketacost.store.errors import IdTaken, NoLog, StoreError
from ketacost.store.key import load_key
from ketacost.store.rows import JSON_COLUMNS
from ketacost.store.target import (
    SECRET_KEYWORDS,
    ambiguous_url,
    unknown_keyword,
    without_password,
)

COLUMNS = HASHED_COLUMNS
ROW_COLUMNS = (*COLUMNS, "prev_sha256", "sha256")
KEYED_COLUMNS = (*COLUMNS, "key_id", "mac", "origin", "prev_sha256", "sha256")
ENTRIES = pg_schema.ENTRIES
BEFORE = f"(SELECT p.sha256 FROM {ENTRIES} p WHERE p.seq < e.seq ORDER BY p.seq DESC LIMIT 1)"
CONNECT_TIMEOUT_SECONDS = 10
LOCK_TIMEOUT_SECONDS = 30
"""How long a save waits for the log's lock (another desk's save takes milliseconds):
a session of any role can take an advisory lock, so one that keeps it is named, never
waited for forever."""
STATEMENT_TIMEOUT_SECONDS = 300
"""The longest one statement may run (a fetch of a few hundred entries, one insert)."""
EXTRA = "pip install 'ketacost[postgres]'"

_cursors = count()


class MissingDriver(StoreError):
    """psycopg is not installed: the user has to add the ``postgres`` extra."""


def _psycopg() -> Any:
    try:
        import psycopg
    except ImportError:
        raise MissingDriver(
            f"a PostgreSQL quote log needs psycopg, which is not installed: {EXTRA}"
        ) from None
    return psycopg


def check_conninfo(conninfo: str) -> None:
    """Refuse what libpq cannot parse (without repeating it: it may hold a password), a
    connection string starting with a word libpq does not know (never a file's name), and
    a URL whose password libpq could read two ways."""
    unknown = unknown_keyword(conninfo)
    if unknown is not None:
        raise StoreError(
            f"{unknown}= is not a libpq connection keyword (a quote log file whose name "
            "holds = is written ./NAME)"
        )
    if ambiguous_url(conninfo):
        raise StoreError(
            "a URL's password must have its @, /, ? and # percent-encoded (%40, %2F, %3F, "
            "%23), or be given as PGPASSWORD or in ~/.pgpass"
        )
    psycopg = _psycopg()
    try:
        psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        raise StoreError(
            "not a PostgreSQL URL or connection string libpq can read "
            "(postgresql://USER@HOST/DATABASE or 'service=NAME')"
        ) from None


def secrets_of(conninfo: str) -> list[str]:
    """What no message may repeat: each secret of ``conninfo`` as libpq reads it (quotes
    and escapes undone, percent-decoded), and PGPASSWORD."""
    psycopg = _psycopg()
    try:
        parsed = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError:
        parsed = {}
    found = [str(parsed.get(keyword) or "") for keyword in SECRET_KEYWORDS]
    found.append(os.environ.get("PGPASSWORD", ""))
    return [secret for secret in found if secret]


def _one_line(text: str) -> str:
    return "; ".join(p.strip() for p in str(text).splitlines() if p.strip())


def display_name(info: Any) -> str:
    """``postgresql://user@host:port/dbname`` of a connection, without the password."""
    host = str(info.host or "")
    where = f"@/{info.dbname}?host={host}" if host.startswith("/") else f"@{host}:{info.port}"
    return f"postgresql://{info.user}{where}" + ("" if host.startswith("/") else f"/{info.dbname}")


class PostgresLog(QuoteLog):
    """A quote log in a PostgreSQL database (schema ``ketacost``)."""

    PLACEHOLDER = "%s"
    TABLE = ENTRIES
    LIKE = "ILIKE"

    def __init__(self, conn: Any, conninfo: str, version: int) -> None:
        super().__init__(display_name(conn.info))
        self.conn = conn
        self.conninfo = conninfo
        self.secrets = secrets_of(conninfo)
        self.version = version

    @classmethod
    def open_url(cls, conninfo: str, *, write: bool) -> PostgresLog:
        check_conninfo(conninfo)
        psycopg = _psycopg()
        try:
            conn = psycopg.connect(
                conninfo,
                autocommit=True,
                connect_timeout=CONNECT_TIMEOUT_SECONDS,
                application_name="ketacost",
            )
        except psycopg.Error as error:
            reason = without_password(_one_line(str(error)), conninfo, secrets_of(conninfo))
            raise StoreError(f"cannot connect to the PostgreSQL quote log: {reason}") from None
        except (UnicodeError, ValueError):  # a host name no resolver can take
            raise StoreError(
                "cannot connect to the PostgreSQL quote log: its host name is not a valid one"
            ) from None
        log = cls(conn, conninfo, 0)
        try:
            with log._errors():
                conn.execute(
                    "SELECT set_config('lock_timeout', %s, false), "
                    "set_config('statement_timeout', %s, false)",
                    (f"{LOCK_TIMEOUT_SECONDS}s", f"{STATEMENT_TIMEOUT_SECONDS}s"),
                )
                if not write:
                    conn.execute("SET default_transaction_read_only = on")
                log.version = log._checked(write)
                log.key = load_key()
                if log.keyed_schema:
                    found, log.keying = history_check(pg_schema.history(conn), log.key, keyed=True)
                    log.keying_lost = KEYING_LOST in found
        except BaseException:
            conn.close()
            raise
        return log

    def _checked(self, write: bool) -> int:
        found = pg_schema.version(self.conn)
        if found is not None and found > pg_schema.current():
            raise StoreError(
                f"{self.name} was written by a newer ketacost (quote log schema {found}; "
                f"this version reads up to {pg_schema.current()}): upgrade ketacost"
            )
        if found == pg_schema.current():
            return found
        if not write:
            if found is None:
                raise NoLog(f"there is no quote log in {self.name} yet (nothing has been saved)")
            return found
        try:
            return pg_schema.migrate(self.conn)
        except _psycopg().errors.InsufficientPrivilege:
            raise StoreError(
                f"the quote log in {self.name} needs its tables made or brought up to date, "
                "and this role may not: the database's owner runs 'ketacost quotes init' once"
            ) from None

    def close(self) -> None:
        self.conn.close()

    @property
    def keyed_schema(self) -> bool:
        """Whether the log has the clinic key's columns and a hashed history."""
        return self.version >= pg_schema.KEYED

    def head(self) -> tuple[int, str] | None:
        with self._errors():
            row = self.conn.execute(
                f"SELECT count(*), (SELECT sha256 FROM {ENTRIES} ORDER BY seq DESC LIMIT 1) "
                f"FROM {ENTRIES}"
            ).fetchone()
        return (int(row[0]), str(row[1])) if row and row[0] else None

    @contextmanager
    def _errors(self) -> Iterator[None]:
        psycopg = _psycopg()
        try:
            yield
        except psycopg.errors.LockNotAvailable:
            raise StoreError(
                f"quote log {self.name}: waited {LOCK_TIMEOUT_SECONDS} s for the log's lock, "
                "and another session still holds it (a desk in the middle of a save, or "
                f"another program holding advisory lock {pg_schema.CHAIN_LOCK}: the "
                "database's owner can find it in pg_locks); nothing was saved, try again"
            ) from None
        except psycopg.errors.QueryCanceled:
            raise StoreError(
                f"quote log {self.name}: the database took more than "
                f"{STATEMENT_TIMEOUT_SECONDS} s to answer (another session may be holding "
                "the log's table); the command stopped and changed nothing: try again"
            ) from None
        except psycopg.errors.InsufficientPrivilege as error:
            reason = without_password(
                _one_line(error.diag.message_primary or ""), self.conninfo, self.secrets
            )
            raise StoreError(f"quote log {self.name}: permission denied ({reason})") from None
        except psycopg.Error as error:
            reason = error.diag.message_primary or str(error)
            reason = without_password(_one_line(reason), self.conninfo, self.secrets)
            raise StoreError(f"quote log {self.name}: {reason}") from None

    def add(self, entry: Entry) -> Entry:
        values = {
            c: json.dumps(getattr(entry, c), ensure_ascii=False) if c in JSON_COLUMNS else None
            for c in COLUMNS
        }
        key_id, key = self._keyed()
        with self._errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.CHAIN_LOCK,))
            if entry.replaces is not None and not self._has(entry.replaces):
                raise StoreError(f"there is no entry {entry.replaces} to replace")
            if self._has(entry.id):
                raise IdTaken(entry.id)
            row = self.conn.execute(
                f"SELECT clock_timestamp(), (SELECT sha256 FROM {ENTRIES} "
                f"ORDER BY seq DESC LIMIT 1), (SELECT count(*) FROM {ENTRIES})"
            ).fetchone()
            created = row[0].astimezone(UTC).replace(microsecond=0).isoformat()
            prev = row[1] or GENESIS
            fields = {**entry.__dict__, "created": created}
            for column in COLUMNS:
                if column not in JSON_COLUMNS:
                    values[column] = fields[column]
            sha256 = entry_sha256({**values, "key_id": key_id}, prev)
            stored = {**values, "prev_sha256": prev, "sha256": sha256}
            if self.keyed_schema:
                stored |= {"key_id": key_id, "mac": None if key is None else key.mac(sha256)}
            self._insert([stored])
            self._check_saved(self.conn, sha256)
        return Entry(**{**fields, "sha256": sha256, "prev_sha256": prev, "number": row[2] + 1})

    def _insert(self, rows: list[dict[str, Any]]) -> None:
        columns = KEYED_COLUMNS if self.keyed_schema else ROW_COLUMNS
        placeholders = ", ".join("%s" for _ in columns)
        with self.conn.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {ENTRIES} ({', '.join(columns)}) VALUES ({placeholders})",
                [[row.get(c) for c in columns] for row in rows],
            )

    def _has(self, entry_id: str) -> bool:
        query = f"SELECT 1 FROM {ENTRIES} WHERE id = %s"
        return self.conn.execute(query, (normalize_id(entry_id),)).fetchone() is not None

    def _select(self) -> str:
        columns = ", ".join("e." + c for c in COLUMNS)
        keyed = "e.key_id, e.mac, e.origin" if self.keyed_schema else "NULL, NULL, NULL"
        return (
            f"SELECT e.seq, {columns}, {keyed}, e.prev_sha256, e.sha256, {BEFORE} FROM {ENTRIES} e"
        )

    def _row(self, entry_id: str) -> tuple[Any, ...] | None:
        with self._errors():
            row: tuple[Any, ...] | None = self.conn.execute(
                self._select() + " WHERE e.id = %s", (entry_id,)
            ).fetchone()
        return row

    def _rows(self, sql: str, args: list[object]) -> Iterator[tuple[Any, ...]]:
        """Rows a few hundred at a time (a server-side cursor), so memory stays flat."""
        name = f"ketacost_{next(_cursors)}"
        with self._errors(), self.conn.transaction(), self.conn.cursor(name=name) as cursor:
            cursor.itersize = 200
            cursor.execute(sql, args)
            yield from cursor

    def stored_rows(self) -> Iterator[dict[str, Any]]:
        """Every entry as stored (its columns and both hashes), oldest first, from one
        consistent snapshot of the log."""
        with self._errors(), self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            yield from self._plain_rows()

    def verify(self, witnesses: Sequence[Witness] = ()) -> Verification:
        with self._errors(), self.conn.transaction():
            self.conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            problems = pg_schema.missing_triggers(self.conn)
            keying = None
            if self.keyed_schema:
                found, keying = history_check(pg_schema.history(self.conn), self.key, keyed=True)
                problems += found
            audit = Audit(self.key, keying, witnesses, problems)
            for row in self._plain_rows():
                audit.entry(row)
        return audit.finish()

    def _plain_rows(self) -> Iterator[dict[str, Any]]:
        columns = KEYED_COLUMNS if self.keyed_schema else ROW_COLUMNS
        sql = f"SELECT {', '.join(columns)} FROM {ENTRIES} ORDER BY seq"
        with self.conn.cursor(name=f"ketacost_{next(_cursors)}") as cursor:
            cursor.itersize = 200
            cursor.execute(sql)
            for row in cursor:
                yield dict(zip(columns, row, strict=True))

    def append_rows(self, rows: Iterable[dict[str, Any]], after: str | None) -> int:
        """Add entries exactly as stored elsewhere (ids, times, hashes), in one
        transaction, provided the log's last hash is still ``after`` (None: it is
        empty); how many were added."""
        added = 0
        with self._errors(), self.conn.transaction():
            self.conn.execute("SELECT pg_advisory_xact_lock(%s)", (pg_schema.CHAIN_LOCK,))
            last = self.conn.execute(
                f"SELECT sha256 FROM {ENTRIES} ORDER BY seq DESC LIMIT 1"
            ).fetchone()
            if (last[0] if last else None) != after:
                raise StoreError(f"{self.name} changed while copying; nothing was copied")
            held = self.conn.execute(f"SELECT count(*) FROM {ENTRIES}").fetchone()[0]
            expected: tuple[Any, ...] | None = None
            iterator = iter(rows)
            while batch := list(islice(iterator, 200)):
                self._insert(batch)
                added += len(batch)
                expected = (batch[-1]["id"], batch[-1]["created"], batch[-1]["sha256"])
            found = self.conn.execute(
                f"SELECT count(*), (SELECT id || ' ' || created || ' ' || sha256 FROM {ENTRIES} "
                f"ORDER BY seq DESC LIMIT 1) FROM {ENTRIES}"
            ).fetchone()
            check_stored(found, held + added, expected)
        return added
