"""The SQLite quote log's schema and its forward migrations (docs/quote-log.md).

``MIGRATIONS[n]`` takes a log from schema version n to n + 1 inside the one transaction
that :func:`migrate` runs, and returns a line for the log's history. Entries are never
changed: migration 2 copies them into a new table with their hashes, then drops the old.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime

from ketacost import __version__
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256, history_sha256
from ketacost.store.guard import APPLICATION_ID
from ketacost.store.key import ensure_key, log_key

ENTRY_COLUMNS = """id TEXT NOT NULL UNIQUE, created TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('quote', 'gfe')), prepared_by TEXT,
    patient TEXT, dob TEXT, replaces TEXT REFERENCES entries (id),
    inputs TEXT NOT NULL, sheet_name TEXT NOT NULL, sheet_sha256 TEXT NOT NULL,
    version TEXT NOT NULL, result TEXT NOT NULL, html TEXT"""

NEVER = "BEGIN SELECT RAISE(ABORT, 'quote log {what} are never {done}'); END"
TRIGGERS = {
    "entries_never_updated": "BEFORE UPDATE ON entries "
    + NEVER.format(what="entries", done="changed"),
    "entries_never_deleted": "BEFORE DELETE ON entries "
    + NEVER.format(what="entries", done="deleted"),
    # INSERT OR REPLACE and UPSERT would remove or change an entry without an UPDATE or a
    # DELETE trigger firing: an insert that meets an existing id or seq is refused first,
    # as is one that does not extend the chain from its last entry.
    "entries_never_replaced": """BEFORE INSERT ON entries
        WHEN EXISTS (SELECT 1 FROM entries WHERE id = NEW.id OR seq = NEW.seq)
        """
    + NEVER.format(what="entries", done="replaced"),
    "entries_extend_the_chain": """BEFORE INSERT ON entries
        WHEN NEW.prev_sha256 IS NOT coalesce(
            (SELECT sha256 FROM entries ORDER BY seq DESC LIMIT 1), '"""
    + GENESIS
    + """')
        BEGIN SELECT RAISE(ABORT, 'a new entry must extend the chain from the last one'); END""",
    "history_never_updated": "BEFORE UPDATE ON history "
    + NEVER.format(what="history lines", done="changed"),
    "history_never_deleted": "BEFORE DELETE ON history "
    + NEVER.format(what="history lines", done="deleted"),
    "history_never_replaced": """BEFORE INSERT ON history
        WHEN EXISTS (SELECT 1 FROM history WHERE version = NEW.version)
        """
    + NEVER.format(what="history lines", done="replaced"),
}
"""What keeps the log append-only, by name; ``quotes verify`` checks each is there as is."""


def _v1(conn: sqlite3.Connection) -> str:
    """The entries table of ketacost 0.1.0, append-only."""
    conn.execute(f"CREATE TABLE entries (seq INTEGER PRIMARY KEY, {ENTRY_COLUMNS})")
    conn.execute("CREATE INDEX entries_created ON entries (created)")
    conn.execute("CREATE INDEX entries_replaces ON entries (replaces)")
    for name in ("entries_never_updated", "entries_never_deleted"):
        conn.execute(f"CREATE TRIGGER {name} {TRIGGERS[name]}")
    return "created the quote log"


def _v2(conn: sqlite3.Connection) -> str:
    """The hash chain, the history, and no INSERT OR REPLACE: every entry is copied, in
    order, with its hash, into a table that holds them; then the old table is dropped."""
    conn.execute(
        "CREATE TABLE history (version INTEGER PRIMARY KEY, applied TEXT NOT NULL, "
        "ketacost TEXT NOT NULL, note TEXT NOT NULL)"
    )
    conn.execute(
        f"CREATE TABLE chained (seq INTEGER PRIMARY KEY, {ENTRY_COLUMNS}, "
        "prev_sha256 TEXT NOT NULL CHECK (length(prev_sha256) = 64), "
        "sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64))"
    )
    columns = ", ".join(HASHED_COLUMNS)
    prev, count = GENESIS, 0
    for seq, *values in conn.execute(f"SELECT seq, {columns} FROM entries ORDER BY seq"):
        sha256 = entry_sha256(dict(zip(HASHED_COLUMNS, values, strict=True)), prev)
        conn.execute(
            f"INSERT INTO chained (seq, {columns}, prev_sha256, sha256) "
            f"VALUES (?, {', '.join('?' for _ in HASHED_COLUMNS)}, ?, ?)",
            (seq, *values, prev, sha256),
        )
        prev, count = sha256, count + 1
    versions = sorted({v for (v,) in conn.execute("SELECT DISTINCT version FROM entries")})
    conn.execute("DROP TABLE entries")  # its triggers and indexes go with it
    conn.execute("ALTER TABLE chained RENAME TO entries")
    conn.execute("CREATE INDEX entries_created ON entries (created)")
    conn.execute("CREATE INDEX entries_replaces ON entries (replaces)")
    for name, body in TRIGGERS.items():
        conn.execute(f"CREATE TRIGGER {name} {body}")
    if not count:
        return "added the hash chain"
    return (
        f"added the hash chain: hashed the {count} entries saved before it "
        f"(by ketacost {', '.join(versions)})"
    )


def _v3(conn: sqlite3.Connection) -> str:
    """The clinic key: entries saved from now on carry the key's id (in their hash) and a
    MAC; the history is hash-chained from its keying line on (whose hash covers the lines
    before it, as they are), and that line says where keying began."""
    for column in ("key_id TEXT", "mac TEXT", "origin TEXT"):
        conn.execute(f"ALTER TABLE entries ADD COLUMN {column}")
    for column in HISTORY_ADDED:
        conn.execute(f"ALTER TABLE history ADD COLUMN {column}")
    key = ensure_key()
    count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
    return (
        f"keyed the chain with the clinic key {key.id}: every entry after the first "
        f"{count} carries a MAC"
    )


KINDS = ("quote", "gfe", "superbill", "claim")
"""The kinds of entry a log of schema 4 on holds (:data:`ketacost.entries.PREFIXES`)."""


def _v4(conn: sqlite3.Connection) -> str:
    """Superbills and claim payments: the kinds of entry widened to
    :data:`KINDS`. SQLite cannot change a CHECK, so every entry is copied as stored (its
    hashes, key id and MAC untouched) into a table that allows them, in order; the old
    table is dropped and the triggers made again."""
    kinds = ", ".join(f"'{kind}'" for kind in KINDS)
    columns = ENTRY_COLUMNS.replace("IN ('quote', 'gfe')", f"IN ({kinds})")
    conn.execute(
        f"CREATE TABLE widened (seq INTEGER PRIMARY KEY, {columns}, "
        "prev_sha256 TEXT NOT NULL CHECK (length(prev_sha256) = 64), "
        "sha256 TEXT NOT NULL UNIQUE CHECK (length(sha256) = 64), "
        "key_id TEXT, mac TEXT, origin TEXT)"
    )
    every = ", ".join(("seq", *HASHED_COLUMNS, "prev_sha256", "sha256", "key_id", "mac", "origin"))
    conn.execute(f"INSERT INTO widened ({every}) SELECT {every} FROM entries ORDER BY seq")
    conn.execute("DROP TABLE entries")  # its triggers and indexes go with it
    conn.execute("ALTER TABLE widened RENAME TO entries")
    conn.execute("CREATE INDEX entries_created ON entries (created)")
    conn.execute("CREATE INDEX entries_replaces ON entries (replaces)")
    for name, body in TRIGGERS.items():
        if name.startswith("entries_"):
            conn.execute(f"CREATE TRIGGER {name} {body}")
    return "allowed superbills and claim payments in the log"


HISTORY_ADDED = (
    "key_id TEXT",
    "keyed_after INTEGER",
    "prev_sha256 TEXT",
    "sha256 TEXT",
    "mac TEXT",
)
KEYED = 3
"""The schema version that keyed the chain and hashed the history."""


def _history(conn: sqlite3.Connection) -> list[dict[str, object]]:
    present = {row[1] for row in conn.execute("PRAGMA table_info(history)")}
    columns = [c for c in HISTORY_COLUMNS if c in present]
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM history ORDER BY version")
    return [dict(zip(columns, row, strict=True)) for row in rows]


HISTORY_COLUMNS = ("version", "applied", "ketacost", "note", "key_id", "keyed_after",
                   "prev_sha256", "sha256", "mac")  # fmt: skip


def history(conn: sqlite3.Connection) -> list[dict[str, object]]:
    """The log's history lines, oldest first (with their hashes, schema 3 on)."""
    return _history(conn)


Migration = Callable[[sqlite3.Connection], str]
MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3, _v4)


def current() -> int:
    """The schema version this ketacost writes."""
    return len(MIGRATIONS)


def migrate(conn: sqlite3.Connection) -> list[str]:
    """Bring the schema up to date in one transaction, once, even when several desks open
    an old or a new log at the same moment (the write lock is taken first; whoever comes
    second finds the work done). Then the space the migration freed (an old table
    copied and dropped) is given back: the file does not double. The lines it left in
    the history (none when another desk did the work)."""
    version, notes = _migrate(conn)
    if notes and version > 0:  # an old log's tables were copied: not a new, empty log
        conn.execute("VACUUM")  # after COMMIT: rewrites the file without the freed pages
    return [note for _, note in notes]


def _migrate(conn: sqlite3.Connection) -> tuple[int, list[tuple[int, str]]]:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        notes = [(n + 1, step(conn)) for n, step in enumerate(MIGRATIONS) if n >= version]
        if notes:
            applied = datetime.now(UTC).replace(microsecond=0).isoformat()
            for number, note in notes:
                _record(
                    conn,
                    {"version": number, "applied": applied, "ketacost": __version__, "note": note},
                )
            conn.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return version, notes


def _record(conn: sqlite3.Connection, line: dict[str, object]) -> None:
    """Add a line to the history (the schema is current by then): hash-chained and under
    the key's MAC once the history is hashed; the keying line also says where keying
    began."""
    if "sha256" not in {row[1] for row in conn.execute("PRAGMA table_info(history)")}:
        conn.execute(
            "INSERT INTO history (version, applied, ketacost, note) VALUES (?, ?, ?, ?)",
            (line["version"], line["applied"], line["ketacost"], line["note"]),
        )
        return
    earlier_lines = _history(conn)
    keyed_with = next((str(e["key_id"]) for e in earlier_lines if e.get("key_id")), None)
    key = log_key(keyed_with)
    if line["version"] == KEYED:
        count = conn.execute("SELECT count(*) FROM entries").fetchone()[0]
        line = {**line, "key_id": key.id, "keyed_after": count}
    prev = GENESIS
    for earlier in earlier_lines:  # lines from before the keying are hashed as they are
        prev = history_sha256(earlier, prev)  # type: ignore[arg-type]
    sha256 = history_sha256(line, prev)  # type: ignore[arg-type]
    conn.execute(
        "INSERT INTO history (version, applied, ketacost, note, key_id, keyed_after, "
        "prev_sha256, sha256, mac) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            line["version"],
            line["applied"],
            line["ketacost"],
            line["note"],
            line.get("key_id"),
            line.get("keyed_after"),
            prev,
            sha256,
            key.mac(sha256),
        ),
    )


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def missing_triggers(conn: sqlite3.Connection) -> list[str]:
    """The triggers that keep the log append-only and are gone or changed, and any other
    trigger or view (one could silently drop a save: ``RAISE(IGNORE)``), as lines."""
    found = dict(
        conn.execute("SELECT name, sql FROM sqlite_master WHERE type IN ('trigger', 'view')")
    )
    problems = [
        f"trigger {name} is missing or changed"
        for name, body in TRIGGERS.items()
        if _normal(found.get(name) or "") != _normal(f"CREATE TRIGGER {name} {body}")
    ]
    problems += [
        f"trigger or view {name} is not one of the log's own (it could hide or drop entries)"
        for name in sorted(set(found) - set(TRIGGERS))
    ]
    return problems
