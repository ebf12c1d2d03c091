"""The storage suite, run against both storages (docs/quote-log.md): an SQLite file and a
PostgreSQL database on a throwaway server (tests/pg_server.py). The same promises hold:
entries only added, refused by the database itself when changed or removed; the same
hash chain, verified the same way; 8 processes saving at once lose nothing and never
fork the chain; migrations run once when several desks start together."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from ketacost.entries import Entry, new_entry
from ketacost.report.to_data import to_data
from ketacost.store import IdTaken, NoLog, QuoteLog, StoreError
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, entry_sha256
from ketacost.store.key import load_key
from ketacost.store.opening import open_quote_log
from tests.helpers import report_with
from tests.pg_server import PgServer

RESULT = to_data(report_with())


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where a new, empty log goes: an SQLite file's path, or a PostgreSQL URL."""
    if request.param == "sqlite":
        return str(tmp_path / "quotes.db")
    url: str = request.getfixturevalue("pg_url")
    return url


def by_hand(target: str, statement: str) -> None:
    """What someone with psql or the sqlite3 shell might do, as the log's owner."""
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target, autocommit=True) as pg:
            pg.execute(statement.encode())
        return
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        conn.execute(statement)
    finally:
        conn.close()


def add_entry(log: QuoteLog, kind: Any, result: dict[str, Any], **who: Any) -> Entry:
    """Save a new entry; the entry as stored (PostgreSQL sets its time)."""
    from ketacost.entries import new_id

    created = _now()
    return log.add(new_entry(kind, result, entry_id=new_id(kind, created), created=created, **who))


def make_log(target: str, count: int = 4) -> list[Entry]:
    with open_quote_log(target) as log:
        return [
            add_entry(log, "quote", RESULT, patient=f"Patient {n}", prepared_by="Sam")
            for n in range(count)
        ]


def test_add_get_and_filter(target: str) -> None:
    """Saved entries come back whole, newest first by default, filtered by patient (any
    case, % and _ taken literally), day, revised entry and limit."""
    with open_quote_log(target) as log:
        first = add_entry(log, "quote", RESULT, patient="Ann Lee", dob="1980-04-30")
        odd = add_entry(log, "quote", RESULT, patient="50%_off")
        second = add_entry(log, "gfe", RESULT, patient="Ann LEE", html="<p>page</p>",
                           replaces=first.id)  # fmt: skip
    with open_quote_log(target, write=False) as log:
        assert [e.id for e in log.entries()] == [second.id, odd.id, first.id]
        assert [e.id for e in log.entries(newest_first=False, limit=2)] == [first.id, odd.id]
        assert [e.id for e in log.entries(patient="ann lee")] == [second.id, first.id]
        assert [e.id for e in log.entries(patient="%_")] == [odd.id]
        assert [e.id for e in log.entries(patient="0%")] == [odd.id]
        assert [e.id for e in log.entries(patient="5_")] == []
        assert log.replaced_by(first.id.lower()) == [second.id]
        got = log.get(second.id.lower())
        assert got == second
        assert got is not None and got.html == "<p>page</p>" and got.flaw is None
        assert log.get("Q-20000101-AAAAAA") is None
        assert list(log.entries(since=date(2999, 1, 1))) == []


def test_an_id_taken_and_a_missing_revision_are_refused(target: str) -> None:
    with open_quote_log(target) as log:
        entry = add_entry(log, "quote", RESULT)
        with pytest.raises(IdTaken):
            log.add(entry)
        stray = new_entry("quote", RESULT, entry_id="Q-20261123-ZZZZZZ", created=_now(),
                          replaces="Q-20000101-AAAAAA")  # fmt: skip
        with pytest.raises(StoreError, match="no entry Q-20000101-AAAAAA to replace"):
            log.add(stray)
        assert [e.id for e in log.entries()] == [entry.id]


def test_both_storages_read_a_save_back_through_one_check(
    target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each storage's save reads the row back through the one check of the base class
    (inside its transaction, with the hash it sent); when that check refuses, nothing is
    saved."""
    checked: list[str] = []
    check = QuoteLog._check_saved

    def recording(log: QuoteLog, conn: Any, sha256: str) -> None:
        checked.append(sha256)
        check(log, conn, sha256)

    monkeypatch.setattr(QuoteLog, "_check_saved", recording)
    with open_quote_log(target) as log:
        entry = add_entry(log, "quote", RESULT)
        assert checked == [entry.sha256]

        def refusing(log: QuoteLog, conn: Any, sha256: str) -> None:
            raise StoreError("refused")

        monkeypatch.setattr(QuoteLog, "_check_saved", refusing)
        with pytest.raises(StoreError, match="refused"):
            add_entry(log, "quote", RESULT)
        assert [e.id for e in log.entries()] == [entry.id]


def _now() -> Any:
    from datetime import UTC, datetime

    return datetime.now(UTC).replace(microsecond=0)


def test_reading_never_creates_a_log(target: str) -> None:
    with pytest.raises(NoLog):
        open_quote_log(target, write=False)


def test_the_chain_is_the_documented_one_and_verifies(target: str) -> None:
    """Each entry's sha256 is that of its stored text and the hash before it, from 64
    zeros; verify counts them and names the last as the head."""
    entries = make_log(target, 3)
    key = load_key()
    assert key is not None
    with open_quote_log(target, write=False) as log:
        stored = list(log.entries(newest_first=False))
        verification = log.verify()
    prev = GENESIS
    for entry in stored:
        values = {c: getattr(entry, c) for c in HASHED_COLUMNS}
        values["inputs"] = json.dumps(entry.inputs, ensure_ascii=False)
        values["result"] = json.dumps(entry.result, ensure_ascii=False)
        values["key_id"] = key.id  # a new log is keyed from its first entry
        assert entry.prev_sha256 == prev
        assert entry.sha256 == entry_sha256(values, prev)
        prev = entry.sha256
    assert [e.id for e in stored] == [e.id for e in entries]
    assert verification.intact, verification.problems
    assert (verification.entries, verification.head) == (3, prev)


CHANGES = [
    "UPDATE entries SET patient = 'Eve'",
    "DELETE FROM entries",
    "UPDATE history SET note = 'nothing'",
    "DELETE FROM history",
]
PG_CHANGES = [
    "TRUNCATE ketacost.entries",
    "TRUNCATE ketacost.entries CASCADE",
    "INSERT INTO ketacost.entries SELECT * FROM ketacost.entries ORDER BY seq LIMIT 1 "
    "ON CONFLICT (id) DO UPDATE SET patient = 'Eve'",
    "INSERT INTO ketacost.entries (id, created, kind, inputs, sheet_name, sheet_sha256, "
    f"version, result, prev_sha256, sha256) VALUES ('Q-NEW', 'x', 'quote', '{{}}', 's', 's', "
    f"'v', '{{}}', '{GENESIS}', '{'1' * 64}')",
]


def _unchanged(target: str, entries: list[Entry]) -> None:
    with open_quote_log(target, write=False) as log:
        assert list(log.entries(newest_first=False)) == entries
        assert log.verify().intact


@pytest.mark.parametrize("statement", CHANGES)
def test_the_database_refuses_to_change_an_entry(target: str, statement: str) -> None:
    """Even for the log's owner: UPDATE and DELETE of an entry or a history line."""
    entries = make_log(target)
    if target.startswith("postgresql://"):
        statement = statement.replace(" entries", " ketacost.entries")
        statement = statement.replace(" history", " ketacost.history")
    with pytest.raises(Exception, match=r"never"):
        by_hand(target, statement)
    _unchanged(target, entries)


@pytest.mark.parametrize("statement", PG_CHANGES)
def test_postgresql_refuses_truncate_upsert_and_an_unchained_insert(
    pg_url: str, statement: str
) -> None:
    """PostgreSQL's own ways (SQLite's: tests/test_log_chain.py)."""
    entries = make_log(pg_url)
    with pytest.raises(Exception, match=r"never|chain"):
        by_hand(pg_url, statement)
    _unchanged(pg_url, entries)


def test_a_change_behind_the_triggers_back_is_named(target: str) -> None:
    """The owner drops a trigger and edits a patient's name: verify names the entry and
    the missing trigger."""
    entries = make_log(target)
    if target.startswith("postgresql://"):
        by_hand(target, "DROP TRIGGER entries_never_updated ON ketacost.entries")
        by_hand(target, f"UPDATE ketacost.entries SET patient = 'Eve' WHERE id = '{entries[1].id}'")
    else:
        by_hand(target, "DROP TRIGGER entries_never_updated")
        by_hand(target, f"UPDATE entries SET patient = 'Eve' WHERE id = '{entries[1].id}'")
    with open_quote_log(target, write=False) as log:
        problems = log.verify().problems
        assert log.get(entries[1].id).flaw  # type: ignore[union-attr]
    assert "trigger entries_never_updated is missing or changed" in problems
    assert f"{entries[1].id}: its content does not match its hash (changed after it was saved)" in (
        problems
    )


WORKER = """
import contextlib, io, json, sys, time
from ketacost.cli import cli
db, count, desk, start_at = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
while time.time() < start_at:
    time.sleep(0.005)
for n in range(count):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli.main(["quote", "--db", db, "--start", "2026-11-23", "--format", "json",
                         "--desk", f"Desk {desk}", "--patient", f"Desk {desk} patient {n}"],
                        standalone_mode=False)
    assert code == 0, code
    print(json.loads(out.getvalue())["id"], flush=True)
"""
DESKS = 8
EACH = 20


def _together(script: str, *args: str, processes: int = DESKS) -> list[str]:
    """Run ``processes`` copies of ``script`` starting at the same moment; their output."""
    start_at = time.time() + 3
    running = [
        subprocess.Popen(
            [sys.executable, "-c", script, *args, str(n), str(start_at)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(processes)
    ]
    printed = []
    for process in running:
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, err
        printed.append(out)
    return printed


def test_eight_desks_saving_at_once_lose_nothing_and_keep_one_chain(target: str) -> None:
    """8 processes x 20 quotes: every entry saved, unique ids, each desk recorded, one
    unforked chain that verifies."""
    make_log(target, 1)  # the log exists: the desks race to append, not to create
    printed = [line for out in _together(WORKER, target, str(EACH)) for line in out.split()]
    with open_quote_log(target, write=False) as log:
        entries = list(log.entries(newest_first=False))[1:]
        verification = log.verify()
    assert len(printed) == len(set(printed)) == DESKS * EACH
    assert sorted(e.id for e in entries) == sorted(printed)
    assert {(e.desk, e.patient) for e in entries} == {
        (f"Desk {d}", f"Desk {d} patient {n}") for d in range(DESKS) for n in range(EACH)
    }
    assert verification.intact, verification.problems
    assert verification.entries == DESKS * EACH + 1
    assert len({e.prev_sha256 for e in entries}) == len(entries)  # no two share a parent


OPENER = """
import sys, time
from ketacost.store import QuoteLog
from ketacost.store.opening import open_quote_log
target, start_at = sys.argv[1], float(sys.argv[3])
while time.time() < start_at:
    time.sleep(0.002)
with open_quote_log(target) as log:
    pass
"""


def test_desks_starting_together_migrate_once(target: str) -> None:
    """8 processes open a new log for saving at the same moment: all succeed, and the
    log's history holds each migration once."""
    _together(OPENER, target)
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as pg:
            versions = [r[0] for r in pg.execute("SELECT version FROM ketacost.history")]
    else:
        conn = sqlite3.connect(target)
        versions = [r[0] for r in conn.execute("SELECT version FROM history")]
        conn.close()
    assert sorted(versions) == list(range(1, len(versions) + 1))
    with open_quote_log(target, write=False) as log:
        assert log.verify().intact


def test_postgresql_takes_the_time_from_the_server(pg_url: str) -> None:
    """An entry's time is the server's clock when it is saved, whatever the desk's says."""
    from datetime import UTC, datetime, timedelta

    with open_quote_log(pg_url) as log:
        entry = new_entry("quote", RESULT, entry_id="Q-20000101-AAAAAA",
                          created=datetime(2000, 1, 1, tzinfo=UTC))  # fmt: skip
        stored = log.add(entry)
        again = log.get(entry.id)
    assert again is not None and again.created == stored.created
    saved = datetime.fromisoformat(stored.created)
    assert abs(saved - datetime.now(UTC)) < timedelta(minutes=5)
    assert stored.created.endswith("+00:00") and saved.microsecond == 0


def test_a_newer_postgresql_schema_is_refused(pg_server: PgServer, pg_url: str) -> None:
    open_quote_log(pg_url).close()
    by_hand(pg_url, "INSERT INTO ketacost.history VALUES (99, 'x', '9.9', 'future')")
    with pytest.raises(StoreError, match="newer ketacost"):
        open_quote_log(pg_url, write=False)


def test_an_unkeyed_log_is_keyed_from_then_on(target: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A log written before the clinic key (0.2.0's schema): opening it to save keys it;
    its old entries verify by their plain chain, new ones carry a MAC, and the history's
    keying line (hashed, covering the lines before it) says from which entry."""
    from ketacost.store import pg_schema, schema

    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        patch.setattr(pg_schema, "MIGRATIONS", pg_schema.MIGRATIONS[:1])
        old = make_log(target, 2)
    assert load_key() is None
    new = make_log(target, 1)
    with open_quote_log(target, write=False) as log:
        verification = log.verify()
        assert log.keying is not None and log.keying.after == 2
    assert verification.intact, verification.problems
    assert verification.entries == 3
    table = "ketacost.entries" if target.startswith("postgresql://") else "entries"
    if target.startswith("postgresql://"):
        import psycopg

        with psycopg.connect(target) as pg:
            keyed = pg.execute(f"SELECT id, mac IS NOT NULL FROM {table} ORDER BY seq").fetchall()
    else:
        conn = sqlite3.connect(target)
        keyed = conn.execute(f"SELECT id, mac IS NOT NULL FROM {table} ORDER BY seq").fetchall()
        conn.close()
    assert [(i, bool(m)) for i, m in keyed] == [
        (old[0].id, False),
        (old[1].id, False),
        (new[0].id, True),
    ]
