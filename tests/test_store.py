"""The quote log's storage: private files, append-only entries, schema versions, and
files that are not ours left untouched (docs/quote-log.md)."""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from ketacost import store
from ketacost.entries import Entry
from ketacost.report.to_data import to_data
from ketacost.store import StoreError, location, schema
from ketacost.store.opening import open_quote_log
from ketacost.store.sqlite import SQLiteLog
from tests.conftest import START
from tests.helpers import add_entry, report_with


def result() -> dict[str, Any]:
    return to_data(report_with())


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def sqlite_log(path: Path, *, write: bool = True) -> SQLiteLog:
    """The SQLite log itself, to reach its connection."""
    return SQLiteLog.open_file(path, write=write)


def test_new_log_and_its_wal_files_are_private(tmp_path: Path) -> None:
    """The log, its -wal and -shm files and a new folder are readable by the owner only."""
    path = tmp_path / "new" / "quotes.db"
    with open_quote_log(path) as log:
        add_entry(log, "quote", result(), patient="Ann Lee")
        assert mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            side = path.with_name(path.name + suffix)
            assert side.exists()
            assert mode(side) == 0o600
    assert mode(path.parent) == 0o700


def test_wal_mode_and_busy_timeout(tmp_path: Path) -> None:
    """Several desks can write: WAL journal and a busy timeout on every connection."""
    with sqlite_log(tmp_path / "q.db") as log:
        assert log.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert log.conn.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """On Linux: $XDG_DATA_HOME/ketacost/quotes.db (absolute only), else
    ~/.local/share/ketacost/quotes.db: the platform's place and 0.1.0's are one."""
    monkeypatch.setattr("sys.platform", "linux")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert store.default_path() == tmp_path / "data" / "ketacost" / "quotes.db"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/is/ignored")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert store.default_path() == tmp_path / ".local" / "share" / "ketacost" / "quotes.db"


def _platform_folder(monkeypatch: pytest.MonkeyPatch, folder: Path) -> None:
    import platformdirs

    monkeypatch.setattr(platformdirs, "user_data_dir", lambda *a, **k: str(folder))


def test_default_path_is_the_platforms_unless_a_log_is_only_at_the_old_place(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A new log goes where the platform keeps data (macOS, Windows: not ~/.local/share);
    an existing log at the old place keeps being used, never stranded; once a log is at
    the platform's place, that one wins."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    platform = tmp_path / "Library" / "Application Support" / "ketacost"
    _platform_folder(monkeypatch, platform)
    old = tmp_path / ".local" / "share" / "ketacost" / "quotes.db"
    assert store.default_path() == platform / "quotes.db"
    with open_quote_log(old) as log:
        kept = add_entry(log, "quote", result())
    assert store.default_path() == old
    with open_quote_log(store.default_path(), write=False) as log:
        assert log.get(kept.id) == kept
    open_quote_log(platform / "quotes.db").close()
    assert store.default_path() == platform / "quotes.db"


def test_the_platform_path_is_quotes_db() -> None:
    """Where the platform keeps data, the log is a file named quotes.db."""
    assert location.platform_path().name == "quotes.db"


def test_entry_round_trip(tmp_path: Path) -> None:
    """What is saved is what comes back: every field, the result unchanged."""
    data = result()
    with open_quote_log(tmp_path / "q.db") as log:
        saved = add_entry(
            log, "quote", data, patient="Ann Lee", dob="1980-04-30", prepared_by="Sam"
        )
        again = log.get(saved.id.lower())
    assert again == saved
    assert saved.result == data
    assert saved.inputs == data["inputs"]
    assert saved.sheet_sha256 == data["sheet"]["sha256"]
    assert saved.version == data["ketacost"]
    assert saved.id.startswith("Q-")
    assert saved.created.endswith("+00:00")


def test_entries_are_never_changed_or_deleted(tmp_path: Path) -> None:
    """Triggers refuse UPDATE and DELETE, even by hand."""
    with sqlite_log(tmp_path / "q.db") as log:
        entry = add_entry(log, "quote", result())
        for sql in ("UPDATE entries SET patient = 'x'", "DELETE FROM entries"):
            with pytest.raises(sqlite3.IntegrityError, match="never"):
                log.conn.execute(sql)
        assert log.get(entry.id) == entry


def test_no_update_or_delete_statement_in_the_code() -> None:
    """ketacost's own code holds no statement that changes or removes an entry."""
    for module in Path(store.__file__).parent.glob("*.py"):
        source = module.read_text(encoding="utf-8").upper()
        assert "UPDATE ENTRIES" not in source, module
        assert "UPDATE HISTORY" not in source, module
        assert "DELETE FROM" not in source, module


def test_replaces_must_exist(tmp_path: Path) -> None:
    """A revision names an entry that is in the log."""
    with open_quote_log(tmp_path / "q.db") as log:
        first = add_entry(log, "quote", result())
        second = add_entry(log, "quote", result(), replaces=first.id.lower())
        assert second.replaces == first.id
        assert log.replaced_by(first.id) == [second.id]
        with pytest.raises(StoreError, match="no entry Q-0"):
            add_entry(log, "quote", result(), replaces="Q-0")


def test_an_id_already_taken_is_drawn_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ids are unique: a clash draws a new one instead of failing or overwriting."""
    draws = iter("AAAAAA" + "AAAAAA" + "BBBBBB")
    monkeypatch.setattr(secrets, "choice", lambda _: next(draws))
    from ketacost.cli.logbook import save
    from ketacost.entries import new_entry

    def make(entry_id: str, created: datetime) -> Entry:
        return new_entry("quote", result(), entry_id=entry_id, created=created)

    with open_quote_log(tmp_path / "q.db") as log:
        first, second = save(log, make, "quote"), save(log, make, "quote")
        with pytest.raises(store.IdTaken):
            log.add(first)
    assert first.id.endswith("-AAAAAA")
    assert second.id.endswith("-BBBBBB")


def test_filters(tmp_path: Path) -> None:
    """By patient (any case, % and _ taken literally), newest first, with a limit."""
    with open_quote_log(tmp_path / "q.db") as log:
        ids = [
            add_entry(log, "quote", result(), patient=name).id
            for name in ("Ann Lee", "Bo Lee", "100% Cho", "Ann_X")
        ]
        assert [e.id for e in log.entries(patient="lee")] == [ids[1], ids[0]]
        assert [e.id for e in log.entries(patient="%")] == [ids[2]]
        assert [e.id for e in log.entries(patient="_")] == [ids[3]]
        assert [e.id for e in log.entries(limit=2)] == [ids[3], ids[2]]
        assert [e.id for e in log.entries(newest_first=False)] == ids
        assert list(log.entries(since=START.replace(year=2100))) == []


@pytest.mark.parametrize(
    "content", [b"hello, not a database\n" * 10, b"SQLite format 3\x00", bytes(range(256)) * 8]
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    """Not SQLite: a clear error, and the file is exactly as it was."""
    path = tmp_path / "notes.db"
    path.write_bytes(content)
    before = digest(path)
    with pytest.raises(StoreError, match="is not a ketacost quote log"):
        open_quote_log(path)
    assert digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.db"]


def _other_programs_db(path: Path, pragmas: str = "") -> None:
    conn = sqlite3.connect(path)
    conn.executescript(
        f"CREATE TABLE contacts (name TEXT); INSERT INTO contacts VALUES ('x');{pragmas}"
    )
    conn.commit()
    conn.close()


@pytest.mark.parametrize("pragmas", ["", "PRAGMA user_version = 1;", "PRAGMA application_id = 42;"])
def test_another_programs_sqlite_file_is_refused_untouched(tmp_path: Path, pragmas: str) -> None:
    """SQLite without our schema: a clear error, and the file is exactly as it was."""
    path = tmp_path / "other.db"
    _other_programs_db(path, pragmas)
    before = digest(path)
    with pytest.raises(StoreError, match="is not a ketacost quote log"):
        open_quote_log(path)
    assert digest(path) == before


def test_a_log_from_a_newer_ketacost_is_refused_untouched(tmp_path: Path) -> None:
    """A schema newer than this version knows: upgrade, and nothing is written."""
    path = tmp_path / "q.db"
    open_quote_log(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute(f"PRAGMA user_version = {schema.current() + 1}")
    conn.close()
    before = digest(path)
    for write in (True, False):
        with pytest.raises(StoreError, match=r"newer ketacost.*upgrade"):
            open_quote_log(path, write=write)
    assert digest(path) == before


def test_forward_migration(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An older log is brought forward in place, keeping its entries."""
    path = tmp_path / "q.db"
    with open_quote_log(path) as log:
        kept = add_entry(log, "quote", result(), patient="Ann Lee")

    def notes(conn: sqlite3.Connection) -> str:
        conn.execute("CREATE TABLE notes (entry TEXT REFERENCES entries (id))")
        return "added notes"

    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, notes))
    with sqlite_log(path, write=False) as log:  # reading never migrates
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == 4
    with sqlite_log(path) as log:
        assert log.conn.execute("PRAGMA user_version").fetchone()[0] == 5
        log.conn.execute("SELECT * FROM notes").fetchall()
        assert log.get(kept.id) == kept
        assert log.keying is not None
        history = log.conn.execute("SELECT version, note FROM history ORDER BY version")
        assert history.fetchall() == [
            (1, "created the quote log"),
            (2, "added the hash chain"),
            (3, "keyed the chain with the clinic key "
             f"{log.keying.key_id}: every entry after the first 0 carries a MAC"),
            (4, "allowed superbills and claim payments in the log"),
            (5, "added notes"),
        ]  # fmt: skip
        assert log.verify().intact


def test_opening_without_create_needs_a_log(tmp_path: Path) -> None:
    """Reading commands do not make a log where there is none."""
    with pytest.raises(StoreError, match="no quote log"):
        open_quote_log(tmp_path / "none.db", write=False)
    assert not (tmp_path / "none.db").exists()
