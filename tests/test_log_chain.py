"""Append-only for real and tamper-evident (docs/quote-log.md, "Append-only" and "Hash
chain"): SQL written by hand cannot replace an entry; an entry changed, removed or slipped
in is named by `quotes verify`, and `show` and `export` warn about it; one damaged entry
is one line, and the rest is shown."""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketacost.cli import cli
from ketacost.entries import Entry
from ketacost.report.to_data import to_data
from ketacost.store.chain import GENESIS, HASHED_COLUMNS, canonical, entry_sha256
from ketacost.store.key import load_key
from ketacost.store.opening import open_quote_log
from ketacost.store.sqlite import SQLiteLog
from tests.helpers import add_entry, report_with

FIXTURE_010 = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
RESULT = to_data(report_with())


def make_log(path: Path, count: int = 5) -> list[Entry]:
    with open_quote_log(path) as log:
        return [
            add_entry(log, "quote", RESULT, patient=f"Patient {n}", prepared_by="Sam")
            for n in range(count)
        ]


def by_hand(path: Path, *statements: str, triggers_off: bool = False) -> None:
    """What someone with the sqlite3 shell might do."""
    conn = sqlite3.connect(path, isolation_level=None)
    if triggers_off:
        triggers = conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
        for (name,) in triggers.fetchall():
            conn.execute(f"DROP TRIGGER {name}")
    for statement in statements:
        conn.execute(statement)
    conn.close()


def run(runner: CliRunner, *args: str) -> Result:
    return runner.invoke(cli, list(args))


REPLACING = [
    "INSERT OR REPLACE INTO entries (id, created, kind, inputs, sheet_name, sheet_sha256, "
    "version, result, prev_sha256, sha256) SELECT id, created, kind, inputs, sheet_name, "
    "sheet_sha256, version, '{}', prev_sha256, sha256 FROM entries WHERE seq = 1",
    "REPLACE INTO entries SELECT seq, id, created, kind, prepared_by, 'Eve', dob, replaces, "
    "inputs, sheet_name, sheet_sha256, version, result, html, prev_sha256, sha256, key_id, "
    "mac, origin "
    "FROM entries WHERE seq = 2",
    "INSERT INTO entries SELECT * FROM entries WHERE seq = 3 "
    "ON CONFLICT (id) DO UPDATE SET patient = 'Eve'",
    "INSERT INTO entries SELECT * FROM entries WHERE seq = 3 "
    "ON CONFLICT DO UPDATE SET patient = 'Eve'",
    "INSERT OR REPLACE INTO entries (seq, id, created, kind, inputs, sheet_name, "
    "sheet_sha256, version, result, prev_sha256, sha256) SELECT 4, 'Q-X', created, kind, "
    "inputs, sheet_name, sheet_sha256, version, result, prev_sha256, sha256 FROM entries "
    "WHERE seq = 4",
    "UPDATE entries SET patient = 'Eve'",
    "DELETE FROM entries WHERE seq = 5",
    "INSERT INTO entries (id, created, kind, inputs, sheet_name, sheet_sha256, version, "
    f"result, prev_sha256, sha256) VALUES ('Q-NEW', 'x', 'quote', '{{}}', 's', 's', 'v', "
    f"'{{}}', '{GENESIS}', '{'1' * 64}')",  # does not extend the chain
    "UPDATE history SET note = 'nothing'",
    "DELETE FROM history",
    "INSERT OR REPLACE INTO history (version, applied, ketacost, note) "
    "VALUES (1, 'x', 'x', 'nothing happened')",
]


@pytest.mark.parametrize("statement", REPLACING)
def test_sql_written_by_hand_cannot_change_an_entry(tmp_path: Path, statement: str) -> None:
    """INSERT OR REPLACE, REPLACE, UPSERT, UPDATE, DELETE, an unchained insert: each is
    refused by the database itself, and the log still verifies."""
    db = tmp_path / "q.db"
    entries = make_log(db)
    with pytest.raises(sqlite3.IntegrityError, match=r"never|chain"):
        by_hand(db, statement)
    with open_quote_log(db, write=False) as log:
        assert list(log.entries(newest_first=False)) == entries
        assert log.verify().intact


def test_the_hash_is_sha256_of_the_documented_canonical_json(tmp_path: Path) -> None:
    """Recomputed here from the stored columns exactly as docs/quote-log.md says."""
    db = tmp_path / "q.db"
    make_log(db, 2)
    conn = sqlite3.connect(db)
    rows = conn.execute(
        f"SELECT {', '.join(HASHED_COLUMNS)}, key_id, prev_sha256, sha256 FROM entries ORDER BY seq"
    ).fetchall()
    prev = "0" * 64
    for *values, key_id, prev_sha256, sha256 in rows:
        data = dict(zip(HASHED_COLUMNS, values, strict=True))
        data["prev_sha256"] = prev
        assert key_id is not None  # a new log is keyed from its first entry
        data["key_id"] = key_id
        text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        assert canonical({**data, "prev_sha256": None}, prev) == text.encode()
        import hashlib

        assert hashlib.sha256(text.encode("utf-8")).hexdigest() == sha256
        assert prev_sha256 == prev
        prev = sha256


def test_verify_says_intact(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    make_log(db, 3)
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert result.exit_code == 0, result.stderr
    assert "intact, 3 entries" in result.stdout
    assert result.stderr == ""


def test_a_changed_entry_is_named_everywhere(runner: CliRunner, tmp_path: Path) -> None:
    """Someone drops the triggers and edits a figure: verify names the entry and each
    missing trigger (status 1); show and export warn in one line and still show it."""
    db = tmp_path / "q.db"
    entries = make_log(db)
    target = entries[2].id
    changed = json.dumps({**RESULT, "note": "edited"}).replace("'", "''")
    by_hand(db, f"UPDATE entries SET result = '{changed}' WHERE id = '{target}'", triggers_off=True)
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert [line for line in lines if line.startswith("Q-")] == [
        f"{target}: its content does not match its hash (changed after it was saved)"
    ]
    assert "trigger entries_never_updated is missing or changed" in lines
    assert "trigger entries_never_replaced is missing or changed" in lines
    assert len(result.stderr.splitlines()) == 1
    show = run(runner, "quotes", "show", target, "--db", str(db))
    assert show.exit_code == 0
    assert show.stderr.count("\n") == 1
    assert target in show.stderr
    assert "quotes verify" in show.stderr
    for fmt in ("csv", "json"):
        export = run(runner, "quotes", "export", "-f", fmt, "--db", str(db))
        assert export.exit_code == 0
        assert export.stderr.splitlines() == show.stderr.splitlines()
        assert all(e.id in export.stdout for e in entries)
    other = run(runner, "quotes", "show", entries[1].id, "--db", str(db))
    assert other.stderr == ""


def test_a_removed_entry_breaks_the_chain_at_the_next(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    entries = make_log(db)
    by_hand(db, f"DELETE FROM entries WHERE id = '{entries[1].id}'", triggers_off=True)
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert result.exit_code == 1
    assert [line for line in result.stdout.splitlines() if line.startswith("Q-")] == [
        f"{entries[2].id}: the chain is broken before it (an entry was removed or changed)"
    ]


def test_a_trigger_emptied_by_hand_is_named(runner: CliRunner, tmp_path: Path) -> None:
    """A trigger of the right name that no longer refuses anything counts as missing."""
    db = tmp_path / "q.db"
    make_log(db, 1)
    by_hand(
        db,
        "DROP TRIGGER entries_never_deleted",
        "CREATE TRIGGER entries_never_deleted BEFORE DELETE ON entries BEGIN SELECT 1; END",
    )
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert result.exit_code == 1
    assert result.stdout.splitlines() == ["trigger entries_never_deleted is missing or changed"]


COLUMN_CHANGES = st.sampled_from(
    ["patient", "dob", "prepared_by", "created", "replaces", "sheet_name", "result", "html"]
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    index=st.integers(min_value=0, max_value=4),
    column=COLUMN_CHANGES,
    text=st.text(min_size=1, max_size=20),
)
def test_any_change_to_any_entry_is_found(
    tmp_path_factory: pytest.TempPathFactory, index: int, column: str, text: str
) -> None:
    """Whatever column of whatever entry is changed, to whatever text: verify names that
    entry and only that one."""
    db = tmp_path_factory.mktemp("log") / "q.db"
    entries = make_log(db)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("DROP TRIGGER entries_never_updated")
    stored = conn.execute(f"SELECT {column} FROM entries WHERE seq = ?", (index + 1,)).fetchone()
    value = json.dumps({**RESULT, "x": text}) if column == "result" else text
    if stored[0] == value:
        return
    conn.execute(f"UPDATE entries SET {column} = ? WHERE seq = ?", (value, index + 1))
    conn.close()
    with open_quote_log(db, write=False) as log:
        verification = log.verify()
    named = [p.split(":")[0] for p in verification.problems if p.startswith("Q-")]
    assert named == [entries[index].id]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    index=st.integers(min_value=0, max_value=3),
    column=st.sampled_from(["result", "inputs", "created", "kind"]),
    damage=st.one_of(
        st.binary(max_size=30),
        st.text(max_size=30),
        st.sampled_from(['{"a": ', "[]", "null", "7", '"text"', '{"scenarios": 1}']),
    ),
)
def test_one_damaged_entry_is_one_line(
    tmp_path_factory: pytest.TempPathFactory, index: int, column: str, damage: bytes | str
) -> None:
    """An entry whose stored JSON, time or kind is damaged (any bytes, any text): list,
    show and export name it in one line and show every other entry; nothing crashes."""
    folder = tmp_path_factory.mktemp("log")
    db = folder / "q.db"
    entries = make_log(db, 4)
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("PRAGMA ignore_check_constraints = ON")
    for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute(f"UPDATE entries SET {column} = ? WHERE seq = ?", (damage, index + 1))
    conn.close()
    runner = CliRunner()
    bad, rest = entries[index].id, [e.id for n, e in enumerate(entries) if n != index]
    for command in (
        ["quotes", "list"],
        ["quotes", "export", "-f", "csv"],
        ["quotes", "export", "-f", "json"],
    ):
        result = runner.invoke(cli, [*command, "--db", str(db)], env={"HOME": str(folder)})
        assert result.exit_code == 0, (command, result.stderr, result.exception)
        assert all(entry_id in result.stdout for entry_id in rest), command
        warnings = result.stderr.splitlines()
        assert len(warnings) <= 1, warnings
        if warnings:  # a change that still reads as an entry only fails the chain
            assert bad in warnings[0]
        if command[-1] == "json":
            json.loads(result.stdout)
    show = runner.invoke(cli, ["quotes", "show", bad, "--db", str(db)], env={"HOME": str(folder)})
    assert show.exit_code in (0, 1), show.exception
    assert len(show.stderr.splitlines()) == 1
    assert bad in show.stderr


def test_damaged_json_is_named_by_verify(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "q.db"
    entries = make_log(db, 3)
    by_hand(
        db,
        f"UPDATE entries SET result = '{{broken' WHERE id = '{entries[0].id}'",
        triggers_off=True,
    )
    result = run(runner, "quotes", "verify", "--db", str(db))
    assert f"{entries[0].id}: its stored result JSON is damaged" in result.stdout.splitlines()
    show = run(runner, "quotes", "show", entries[0].id, "--db", str(db))
    assert show.exit_code == 1
    assert show.stderr.splitlines() == [
        f"Error: entry {entries[0].id} cannot be read (its stored result JSON is damaged); "
        "a backup of the log holds it as saved"
    ]


def test_the_010_log_is_hashed_by_the_migration_and_its_history_says_so(
    runner: CliRunner, tmp_path: Path
) -> None:
    """Reading leaves a 0.1.0 log as it is (verify: no chain yet, status 1); saving
    brings it forward: every old entry hashed, the history line says how many and by
    which version they were written, and verify passes."""
    db = tmp_path / "quotes.db"
    shutil.copyfile(FIXTURE_010, db)
    before = run(runner, "quotes", "verify", "--db", str(db))
    assert before.exit_code == 1
    assert "no hash chain yet" in before.stdout
    assert run(runner, "quote", "--start", "2026-12-07", "--db", str(db)).exit_code == 0
    after = run(runner, "quotes", "verify", "--db", str(db))
    assert after.exit_code == 0, after.stdout
    assert "intact, 12 entries" in after.stdout
    conn = sqlite3.connect(db)
    lines = conn.execute("SELECT version, ketacost, note FROM history").fetchall()
    assert lines[0] == (
        2,
        "0.2.0",
        "added the hash chain: hashed the 11 entries saved before it (by ketacost 0.1.0)",
    )
    assert [line[0] for line in lines] == [2, 3, 4]
    assert lines[1][2].endswith("every entry after the first 11 carries a MAC")
    assert lines[2][2] == "allowed superbills and claim payments in the log"


MIGRATING_DESK = """
import sys, time
from ketacost.store import QuoteLog
from ketacost.store.opening import open_quote_log
start_at = float(sys.argv[2])
while time.time() < start_at:
    time.sleep(0.002)
open_quote_log(sys.argv[1]).close()
"""


def test_eight_desks_opening_a_010_log_at_once_migrate_it_once(tmp_path: Path) -> None:
    db = tmp_path / "quotes.db"
    shutil.copyfile(FIXTURE_010, db)
    start_at = time.time() + 2
    desks = [
        subprocess.Popen(
            [sys.executable, "-c", MIGRATING_DESK, str(db), str(start_at)],
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(8)
    ]
    for desk in desks:
        _, err = desk.communicate(timeout=120)
        assert desk.returncode == 0, err
    with SQLiteLog.open_file(db, write=False) as log:
        assert log.verify().intact
        assert log.verify().entries == 11
        assert log.conn.execute("SELECT count(*) FROM history").fetchone()[0] == 3


def test_add_returns_the_entry_as_stored_and_the_head_follows(tmp_path: Path) -> None:
    """add() gives back the entry with its hashes; each is the chain's new head, computed
    from the columns as stored; the first follows GENESIS."""
    from datetime import UTC, datetime

    from ketacost.entries import new_entry, new_id

    db = tmp_path / "q.db"
    prev = GENESIS
    with open_quote_log(db) as log:
        for n in range(3):
            created = datetime.now(UTC).replace(microsecond=0)
            entry = new_entry("quote", RESULT, entry_id=new_id("quote", created), created=created)
            stored = log.add(entry)
            assert stored == entry
            assert stored.prev_sha256 == prev
            key = load_key()
            assert key is not None
            assert stored.sha256 == entry_sha256(
                {**{c: _stored(entry, c) for c in HASHED_COLUMNS}, "key_id": key.id}, prev
            )
            assert log.verify().head == stored.sha256
            assert log.get(entry.id) is not None
            prev = stored.sha256 or ""
            del n


def _stored(entry: Entry, column: str) -> str | None:
    value = getattr(entry, column)
    if column in ("inputs", "result"):
        return json.dumps(value, ensure_ascii=False)
    return value if value is None else str(value)


def test_a_0_2_0_log_is_keyed_from_then_on(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A log as 0.2.0 wrote it (the chain, no key): the first save keys it; the entries
    before verify by their plain chain, the history's keying line (hashed, covering the
    lines before it) says from where, and new entries carry a MAC."""
    from ketacost.store import schema

    db = tmp_path / "q.db"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        make_log(db, 2)
    before = run(runner, "quotes", "verify", "--db", str(db))
    assert before.exit_code == 0, before.stdout
    assert run(runner, "quote", "--start", "2026-12-07", "--db", str(db)).exit_code == 0
    after = run(runner, "quotes", "verify", "--db", str(db))
    assert after.exit_code == 0, after.stdout
    conn = sqlite3.connect(db)
    keyed = conn.execute("SELECT key_id IS NOT NULL, mac IS NOT NULL FROM entries ORDER BY seq")
    assert keyed.fetchall() == [(0, 0), (0, 0), (1, 1)]
    lines = conn.execute("SELECT version, keyed_after, sha256 IS NOT NULL FROM history")
    assert lines.fetchall() == [(1, None, 0), (2, None, 0), (3, 2, 1), (4, None, 1)]
    conn.close()


def test_times_out_of_order_from_before_keying_still_verify(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A 0.2.0 log saved by desks whose clocks disagreed (an entry a minute before the
    one saved before it) verifies, and keeps verifying once keyed: only entries saved
    since keying are held to times that never go back."""
    from ketacost.store import schema

    db = tmp_path / "q.db"
    with monkeypatch.context() as patch:
        patch.setattr(schema, "MIGRATIONS", schema.MIGRATIONS[:2])
        make_log(db, 1)
        conn = sqlite3.connect(db, isolation_level=None)
        columns = ", ".join(HASHED_COLUMNS)
        *values, prev = conn.execute(
            f"SELECT {columns}, sha256 FROM entries ORDER BY seq DESC LIMIT 1"
        ).fetchone()
        row = dict(zip(HASHED_COLUMNS, values, strict=True))
        earlier = datetime.fromisoformat(row["created"]) - timedelta(minutes=1)
        row.update(id="Q-20000101-SKEW00", created=earlier.isoformat())
        conn.execute(
            f"INSERT INTO entries ({columns}, prev_sha256, sha256) "
            f"VALUES ({', '.join('?' for _ in HASHED_COLUMNS)}, ?, ?)",
            (*row.values(), prev, entry_sha256(row, prev)),
        )
        conn.close()
    assert run(runner, "quotes", "verify", "--db", str(db)).exit_code == 0
    assert run(runner, "quote", "--start", "2026-12-07", "--db", str(db)).exit_code == 0
    after = run(runner, "quotes", "verify", "--db", str(db))
    assert after.exit_code == 0, after.stdout
