"""The PostgreSQL quote log's schema and its forward migrations (docs/quote-log.md,
"Several desks, one log").

Everything lives in the schema ``ketacost``: ``entries`` (the same columns as the SQLite
log, kept as the same text, so the hashes are the same) and ``history`` (one line per
migration). Triggers refuse every UPDATE, DELETE and TRUNCATE, and make every insert
extend the chain from the last entry, under the advisory lock that serializes appends.
``MIGRATIONS[n]`` takes the schema from version n to n + 1; :func:`migrate` runs the
missing ones in one transaction under another advisory lock, so several desks starting
at once migrate it once.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from ketacost import __version__
from ketacost.store.chain import GENESIS, history_sha256
from ketacost.store.key import log_key

if TYPE_CHECKING:
    import psycopg

CHAIN_LOCK = 0x4B544351  # "KTCQ": held by every append, inside its transaction
MIGRATION_LOCK = 0x4B54434D  # "KTCM": held while the schema is checked and brought forward

ENTRIES = "ketacost.entries"
HISTORY = "ketacost.history"

REFUSE = """
BEGIN
    RAISE EXCEPTION 'quote log % are never %', TG_ARGV[0], TG_ARGV[1];
END
"""

# Schema 1's chain function, kept word for word: databases made then hold it until
# their migration replaces it with SERVER_TIME, and verify compares it at that version.
EXTEND_CHAIN = f"""
DECLARE
    last_seq bigint;
    last_sha256 text;
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    SELECT seq, sha256 INTO last_seq, last_sha256
        FROM ketacost.entries ORDER BY seq DESC LIMIT 1;
    IF NEW.prev_sha256 IS DISTINCT FROM coalesce(last_sha256, '{GENESIS}') THEN
        RAISE EXCEPTION 'a new entry must extend the chain from the last one'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    NEW.seq := coalesce(last_seq, 0) + 1;
    RETURN NEW;
END
"""

SERVER_TIME = rf"""
DECLARE
    last_seq bigint;
    last_sha256 text;
    server timestamptz := date_trunc('second', clock_timestamp());
BEGIN
    PERFORM pg_advisory_xact_lock({CHAIN_LOCK});
    SELECT seq, sha256 INTO last_seq, last_sha256
        FROM ketacost.entries ORDER BY seq DESC LIMIT 1;
    IF NEW.prev_sha256 IS DISTINCT FROM coalesce(last_sha256, '{GENESIS}') THEN
        RAISE EXCEPTION 'a new entry must extend the chain from the last one'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    -- the time is the server's: a desk's role cannot set its own (an owner copying a
    -- log in keeps the times it was given; the owner could drop this trigger anyway)
    IF NOT pg_has_role(session_user, (SELECT relowner FROM pg_class
            WHERE oid = 'ketacost.entries'::regclass), 'MEMBER')
        AND (NEW.created IS NULL
            OR NEW.created !~ '^\d{{4}}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$'
            OR NEW.created::timestamptz NOT BETWEEN server - interval '10 seconds' AND server)
    THEN
        NEW.created := to_char(server AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"');
    END IF;
    NEW.seq := coalesce(last_seq, 0) + 1;
    RETURN NEW;
END
"""

FUNCTIONS = {"refuse": REFUSE, "extend_chain": SERVER_TIME}
"""The trigger functions in schema ``ketacost``, by name, with their bodies (as the newest
schema has them)."""

TRIGGERS = {
    "entries_never_updated": "BEFORE UPDATE ON ketacost.entries FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('entries', 'changed')",
    "entries_never_deleted": "BEFORE DELETE ON ketacost.entries FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('entries', 'deleted')",
    "entries_never_truncated": "BEFORE TRUNCATE ON ketacost.entries FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('entries', 'deleted')",
    "entries_extend_the_chain": "BEFORE INSERT ON ketacost.entries FOR EACH ROW "
    "EXECUTE FUNCTION ketacost.extend_chain()",
    "history_never_updated": "BEFORE UPDATE ON ketacost.history FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('history lines', 'changed')",
    "history_never_deleted": "BEFORE DELETE ON ketacost.history FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('history lines', 'deleted')",
    "history_never_truncated": "BEFORE TRUNCATE ON ketacost.history FOR EACH STATEMENT "
    "EXECUTE FUNCTION ketacost.refuse('history lines', 'deleted')",
}
"""What keeps the log append-only, by name; ``quotes verify`` checks each is there as is."""

V1 = [
    "CREATE SCHEMA IF NOT EXISTS ketacost",
    f"""CREATE TABLE {HISTORY} (version integer PRIMARY KEY, applied text NOT NULL,
        ketacost text NOT NULL, note text NOT NULL)""",
    f"""CREATE TABLE {ENTRIES} (seq bigint PRIMARY KEY, id text NOT NULL UNIQUE,
        created text NOT NULL, kind text NOT NULL CHECK (kind IN ('quote', 'gfe')),
        prepared_by text, patient text, dob text, replaces text REFERENCES {ENTRIES} (id),
        inputs text NOT NULL, sheet_name text NOT NULL, sheet_sha256 text NOT NULL,
        version text NOT NULL, result text NOT NULL, html text,
        prev_sha256 text NOT NULL CHECK (length(prev_sha256) = 64),
        sha256 text NOT NULL UNIQUE CHECK (length(sha256) = 64))""",
    f"CREATE INDEX entries_created ON {ENTRIES} (created)",
    f"CREATE INDEX entries_replaces ON {ENTRIES} (replaces)",
    *(
        f"CREATE FUNCTION ketacost.{name}() RETURNS trigger LANGUAGE plpgsql AS $body${body}$body$"
        for name, body in {"refuse": REFUSE, "extend_chain": EXTEND_CHAIN}.items()
    ),
    *(f"CREATE TRIGGER {name} {body}" for name, body in TRIGGERS.items()),
]

ISO_TIME = r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d|Z)$"
"""A time as ketacost writes it: ISO 8601, to the second (or finer), with its offset."""

V2 = [
    f"ALTER TABLE {ENTRIES} ADD COLUMN key_id text, ADD COLUMN mac text, ADD COLUMN origin text",
    f"""ALTER TABLE {HISTORY} ADD COLUMN key_id text, ADD COLUMN keyed_after integer,
        ADD COLUMN prev_sha256 text, ADD COLUMN sha256 text, ADD COLUMN mac text""",
    "CREATE OR REPLACE FUNCTION ketacost.extend_chain() RETURNS trigger LANGUAGE plpgsql "
    f"AS $body${SERVER_TIME}$body$",
]
KEYED = 2
"""The schema version that keyed the chain, hashed the history and set server time."""

V3 = [
    # A time ketacost can show in every time zone, as it writes one (years 2000 to 9998):
    # a desk's own INSERT with a time in year 9999 (or 1) would otherwise be stored, and
    # fail to show for every other desk. NOT VALID: rows already stored are read (and
    # named if damaged), never refused.
    f"ALTER TABLE {ENTRIES} ADD CONSTRAINT entries_created_in_range CHECK (created ~ "
    f"'{ISO_TIME}' AND created >= '2000-01-01' AND created < '9999') NOT VALID",
]

V4 = [
    # superbills and claim payments (ketacost.store.schema.KINDS)
    f"ALTER TABLE {ENTRIES} DROP CONSTRAINT entries_kind_check",
    f"ALTER TABLE {ENTRIES} ADD CONSTRAINT entries_kind_check "
    "CHECK (kind IN ('quote', 'gfe', 'superbill', 'claim'))",
]

MIGRATIONS: tuple[tuple[list[str], str], ...] = (
    (V1, "created the quote log"),
    (V2, "keyed the chain with the clinic key {key_id}: every entry after the first "
     "{count} carries a MAC; the server sets every entry's time"),
    (V3, "refused saved times out of range (years 2000 to 9998)"),
    (V4, "allowed superbills and claim payments in the log"),
)  # fmt: skip
"""Each step: its statements and the line it leaves in the history."""


def current() -> int:
    """The schema version this ketacost writes."""
    return len(MIGRATIONS)


def version(conn: psycopg.Connection[Any]) -> int | None:
    """The schema version of the log in this database, or None when it has none yet."""
    # the catalog itself, through this statement's snapshot: a name lookup could answer
    # from a cache made before another desk's migration committed
    row = conn.execute(
        "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
        "ON n.oid = c.relnamespace WHERE n.nspname = 'ketacost' AND c.relname = 'history')"
    ).fetchone()
    if not row or not row[0]:
        return None
    found = conn.execute(f"SELECT max(version) FROM {HISTORY}").fetchone()
    return int(found[0]) if found and found[0] is not None else 0


def migrate(conn: psycopg.Connection[Any]) -> int:
    """Bring the schema up to date in one transaction, once, even when several desks
    start at the same moment (whoever takes the lock second finds the work done)."""
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        found = version(conn) or 0
        applied = datetime.now(UTC).replace(microsecond=0).isoformat()
        for number, (statements, note) in enumerate(MIGRATIONS, start=1):
            if number <= found:
                continue
            for statement in statements:
                conn.execute(statement.encode())  # no parameters: '%' is literal
            _record(conn, {"version": number, "applied": applied, "ketacost": __version__,
                           "note": note})  # fmt: skip
    return current()


def history(conn: psycopg.Connection[Any]) -> list[dict[str, Any]]:
    """The log's history lines, oldest first (with their hashes, schema 2 on)."""
    columns: tuple[str, ...] = ("version", "applied", "ketacost", "note")
    if (version(conn) or 0) >= KEYED:
        columns += ("key_id", "keyed_after", "prev_sha256", "sha256", "mac")
    rows = conn.execute(f"SELECT {', '.join(columns)} FROM {HISTORY} ORDER BY version")
    return [dict(zip(columns, row, strict=True)) for row in rows.fetchall()]


def _record(conn: psycopg.Connection[Any], line: dict[str, Any]) -> None:
    """A line of the history; from the keying on, hash-chained under the key's MAC."""
    if line["version"] < KEYED:
        conn.execute(
            f"INSERT INTO {HISTORY} (version, applied, ketacost, note) VALUES (%s, %s, %s, %s)",
            (line["version"], line["applied"], line["ketacost"], line["note"]),
        )
        return
    earlier_lines = history(conn)
    key = log_key(next((str(e["key_id"]) for e in earlier_lines if e.get("key_id")), None))
    if line["version"] == KEYED:
        count = conn.execute(f"SELECT count(*) FROM {ENTRIES}").fetchone()
        after = int(count[0]) if count else 0
        line = {**line, "key_id": key.id, "keyed_after": after}
        line["note"] = line["note"].format(key_id=key.id, count=after)
    prev = GENESIS
    for earlier in earlier_lines:
        prev = history_sha256(earlier, prev)
    sha256 = history_sha256(line, prev)
    conn.execute(
        f"INSERT INTO {HISTORY} (version, applied, ketacost, note, key_id, keyed_after, "
        "prev_sha256, sha256, mac) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
        (line["version"], line["applied"], line["ketacost"], line["note"], line.get("key_id"),
         line.get("keyed_after"), prev, sha256, key.mac(sha256)),
    )  # fmt: skip


def _normal(sql: str) -> str:
    return re.sub(r"\s+", " ", sql).strip()


def missing_triggers(conn: psycopg.Connection[Any]) -> list[str]:
    """The triggers (and their functions) that keep the log append-only and are gone,
    changed or not firing as made; and any other trigger or rule on its tables (one
    could silently drop a save)."""
    rows = conn.execute(
        "SELECT t.tgname, pg_get_triggerdef(t.oid), t.tgenabled FROM pg_trigger t "
        "WHERE t.tgrelid IN ('ketacost.entries'::regclass, 'ketacost.history'::regclass) "
        "AND NOT t.tgisinternal"
    ).fetchall()
    found = {str(name): (str(sql), str(enabled)) for name, sql, enabled in rows}
    problems = []
    for name, body in TRIGGERS.items():
        sql, enabled = found.get(name, ("", ""))
        if _normal(sql) != _normal(f"CREATE TRIGGER {name} {body}"):
            problems.append(f"trigger {name} is missing or changed")
        elif enabled != "O":  # D: disabled; R: replica only; A: always (fires for replicas)
            problems.append(f"trigger {name} is disabled or set to fire only in some sessions")
    problems += [
        f"trigger {name} is not one of the log's own (it could drop or change saves)"
        for name in sorted(set(found) - set(TRIGGERS))
    ]
    rules = conn.execute(
        "SELECT rulename FROM pg_catalog.pg_rules WHERE schemaname = 'ketacost'"
    ).fetchall()
    problems += [
        f"rule {name} is not one of the log's (it could drop or rewrite saves)" for (name,) in rules
    ]
    sources: dict[str, str] = dict(
        conn.execute(
            "SELECT p.proname, p.prosrc FROM pg_proc p JOIN pg_namespace n "
            "ON n.oid = p.pronamespace WHERE n.nspname = 'ketacost'"
        ).fetchall()
    )
    functions = FUNCTIONS
    if (version(conn) or 0) < KEYED:
        functions = {**FUNCTIONS, "extend_chain": EXTEND_CHAIN}
    problems += [
        f"trigger function ketacost.{name} is missing or changed"
        for name, body in functions.items()
        if _normal(str(sources.get(name, ""))) != _normal(body)
    ]
    return problems
