"""The tamper attacks of issue 23 against both storages (docs/quote-log.md, "What the log
promises"): an insider with the file or the database rewrites a total and recomputes the
plain hash chain, reorders entries, cuts the newest off or rolls the log back to an older
copy, appends a backdated Good Faith Estimate, plants a trigger or rule that swallows
saves, changes the migration history, or copies a rewritten log. Each is caught.

The attacks use only the command line, SQL and the documented hash (written out here), so
they read as what someone with psql or the sqlite3 shell would do.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import re
import shutil
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.entries import new_entry, new_id
from ketacost.store.opening import open_quote_log
from tests.clinic import clinic_sheet
from tests.pg_server import PgServer

HASHED = ("id", "created", "kind", "prepared_by", "patient", "dob", "replaces", "inputs",
          "sheet_name", "sheet_sha256", "version", "result", "html")  # fmt: skip
GENESIS = "0" * 64
Row = dict[str, Any]


@pytest.fixture(params=["sqlite", "postgresql"])
def target(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new, empty log: an SQLite file, or a PostgreSQL database (as its owner)."""
    if request.param == "sqlite":
        return str(tmp_path / "quotes.db")
    url: str = request.getfixturevalue("pg_url")
    return url


def is_pg(target: str) -> bool:
    return target.startswith("postgresql://")


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.exit_code, result.stdout, result.stderr)
    return result


def save(runner: CliRunner, target: str, patient: str, *more: str) -> str:
    """A quote saved through the command line; its id."""
    out = run(runner, "quote", "--db", target, "--patient", patient, "--start", "2026-12-07",
              "--sessions", "6", "--format", "json", *more).stdout  # fmt: skip
    entry_id: str = json.loads(out)["id"]
    return entry_id


def sha256_of(row: Row, prev: str) -> str:
    """The documented hash: canonical JSON of the hashed columns, prev_sha256, and the
    key id and origin when set."""
    data = {column: row[column] for column in HASHED}
    data["prev_sha256"] = prev
    for column in ("key_id", "origin"):
        if row.get(column) is not None:
            data[column] = row[column]
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def sql(target: str, *statements: str, params: tuple[Any, ...] = ()) -> list[Row]:
    """Run statements as the log's owner; the rows of the last, as dicts."""
    if is_pg(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as pg:
            cursor = None
            for statement in statements:
                cursor = pg.execute(statement.encode() if not params else statement, params)
            assert cursor is not None
            if cursor.description is None:
                return []
            names = [d.name for d in cursor.description]
            return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        cur = None
        for statement in statements:
            cur = conn.execute(statement, params)
        assert cur is not None
        if cur.description is None:
            return []
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]
    finally:
        conn.close()


def table(target: str) -> str:
    return "ketacost.entries" if is_pg(target) else "entries"


def stored(target: str) -> list[Row]:
    return sql(target, f"SELECT * FROM {table(target)} ORDER BY seq")


def rewrite(target: str, change: Callable[[list[Row]], list[Row]]) -> None:
    """What an owner with psql or the sqlite3 shell can do: take the entries out, change
    them, recompute the plain chain and put them back with the triggers as they were."""
    rows = change(stored(target))
    prev = GENESIS
    for seq, row in enumerate(rows, start=1):
        row["seq"], row["prev_sha256"] = seq, prev
        row["sha256"] = prev = sha256_of(row, prev)
    columns = list(rows[0]) if rows else []
    insert = (
        f"INSERT INTO {table(target)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(('%s' if is_pg(target) else '?') for _ in columns)})"
    )
    if is_pg(target):
        import psycopg

        with psycopg.connect(target, autocommit=True) as pg, pg.transaction():
            pg.execute("ALTER TABLE ketacost.entries DISABLE TRIGGER USER")
            pg.execute("DELETE FROM ketacost.entries")
            for row in rows:
                pg.execute(insert.encode(), [row[c] for c in columns])
            pg.execute("ALTER TABLE ketacost.entries ENABLE TRIGGER USER")
        return
    conn = sqlite3.connect(target, isolation_level=None)
    try:
        triggers = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
        kept = triggers.fetchall()
        conn.execute("BEGIN")
        for name, _ in kept:
            conn.execute(f"DROP TRIGGER {name}")
        conn.execute("DELETE FROM entries")
        for row in rows:
            conn.execute(insert, [row[c] for c in columns])
        for _, body in kept:
            conn.execute(body)
        conn.execute("COMMIT")
    finally:
        conn.close()


def fails(runner: CliRunner, target: str, *args: str) -> str:
    """``quotes verify`` fails (status 1); what it printed."""
    result = run(runner, "quotes", "verify", "--db", target, *args, code=1)
    return result.stdout + result.stderr


def typical_total(runner: CliRunner, target: str, entry_id: str) -> str:
    shown = json.loads(run(runner, "quotes", "show", entry_id, "--db", target, "-f", "json").stdout)
    total: str = shown["scenarios"]["typical"]["charges"]
    return total


# 1. A saved total rewritten, the chain recomputed; entries reordered.


def test_a_total_rewritten_with_the_chain_recomputed_is_caught(
    runner: CliRunner, target: str
) -> None:
    """$3,000.00 becomes $1.00 and every hash from there on is recomputed: verify fails
    naming the entry, and show warns that it fails the log's check."""
    ids = [save(runner, target, f"Patient {n}") for n in range(3)]
    total = typical_total(runner, target, ids[1])

    def cheaper(rows: list[Row]) -> list[Row]:
        rows[1]["result"] = rows[1]["result"].replace(f'"{total}"', '"1.00"')
        return rows

    rewrite(target, cheaper)
    assert '"1.00"' in stored(target)[1]["result"]  # the attack took
    assert ids[1] in fails(runner, target)
    shown = runner.invoke(cli, ["quotes", "show", ids[1], "--db", target])
    # never shown as if it were the quote given: a warning that it fails the log's check,
    # or (its total no longer the sum of its lines) refused as unreadable, naming it
    assert f"entry {ids[1]}" in shown.stderr and "$1.00" not in shown.stdout


def test_an_insurers_payment_rewritten_with_the_chain_recomputed_is_caught(
    runner: CliRunner, target: str
) -> None:
    """Superbills and claim payments are entries like any other: an insider who turns a
    recorded payment of $384.00 into $38.40 and recomputes the chain is named by verify."""
    save(runner, target, "Patient 0")
    created = datetime.now(UTC).replace(microsecond=0)
    result = {
        "ketacost": "0.3.0",
        "sheet": {"name": "Clinic", "sha256": "0" * 64},
        "inputs": {"superbill": "S-20270104-ABCDEF", "amount": "384.00", "on": "2027-03-01"},
        "claim": {"superbill": "S-20270104-ABCDEF", "amount": "384.00", "on": "2027-03-01"},
    }
    with open_quote_log(target) as log:
        paid = log.add(
            new_entry("claim", result, entry_id=new_id("claim", created), created=created)
        )

    def less(rows: list[Row]) -> list[Row]:
        rows[-1]["result"] = rows[-1]["result"].replace('"384.00"', '"38.40"')
        return rows

    rewrite(target, less)
    assert '"38.40"' in stored(target)[-1]["result"]  # the attack took
    assert paid.id in fails(runner, target)


def test_entries_reordered_with_the_chain_recomputed_are_caught(
    runner: CliRunner, target: str
) -> None:
    ids = [save(runner, target, f"Patient {n}") for n in range(3)]
    rewrite(target, lambda rows: [rows[1], rows[0], rows[2]])
    assert [row["id"] for row in stored(target)] == [ids[1], ids[0], ids[2]]
    printed = fails(runner, target)
    assert ids[1] in printed


def test_keying_stripped_and_the_chain_recomputed_is_caught(runner: CliRunner, target: str) -> None:
    """The forger without the key drops every MAC and key id and recomputes the plain
    chain: the log is keyed (its history says from where), so the entries are named."""
    ids = [save(runner, target, f"Patient {n}") for n in range(2)]

    def stripped(rows: list[Row]) -> list[Row]:
        for row in rows:
            row.update(key_id=None, mac=None, patient="Eve")
        return rows

    rewrite(target, stripped)
    printed = fails(runner, target)
    assert ids[0] in printed and ids[1] in printed


# 2. The newest entries cut off, or the log rolled back to an older copy.


def test_the_newest_entries_cut_off_show_against_a_page_and_a_checkpoint(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """A quote page prints the log's head; a checkpoint file keeps another. The newest
    entries removed (the rest verify by themselves): both witnesses say so."""
    save(runner, target, "Patient 0")
    page = tmp_path / "quote.html"
    run(runner, "quote", "--db", target, "--patient", "Patient 1", "-o", str(page))
    witness = re.search(r"quote log witness (\d+:[0-9a-f]{16})", page.read_text())
    assert witness is not None and witness[1].startswith("2:")
    checkpoints = tmp_path / "heads.txt"
    save(runner, target, "Patient 2")
    run(runner, "quotes", "checkpoint", str(checkpoints), "--db", target)
    save(runner, target, "Patient 3")
    run(runner, "quotes", "verify", "--db", target, "--witness", witness[1],
        "--checkpoints", str(checkpoints))  # fmt: skip
    rewrite(target, lambda rows: rows[:1])
    assert "the log has only 1 entries" in fails(runner, target, "--witness", witness[1])
    assert "the log has only 1 entries" in fails(runner, target, "--checkpoints", str(checkpoints))


def test_a_gfe_page_witnesses_the_log_it_was_issued_from(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """The patient's copy of a Good Faith Estimate prints the head it was issued after;
    the log rewritten before it (chain recomputed) no longer extends it."""
    save(runner, target, "Patient 0")
    save(runner, target, "Patient 1")
    sheet = clinic_sheet(tmp_path)
    page = tmp_path / "gfe.html"
    run(runner, "gfe", "--db", target, "--sheet", str(sheet), "--patient", "Ann Lee",
        "--dob", "1980-04-30", "--dx", "F33.1", "-o", str(page))  # fmt: skip
    witness = re.search(r"Quote log witness: (\d+:[0-9a-f]{16})", page.read_text())
    assert witness is not None and witness[1].startswith("2:")

    def changed(rows: list[Row]) -> list[Row]:
        rows[0]["patient"] = "Eve"
        return rows

    run(runner, "quotes", "verify", "--db", target, "--witness", witness[1] + ".")  # as printed
    rewrite(target, changed)
    assert f"witness {witness[1]}: entry 2 now has the hash" in fails(
        runner, target, "--witness", witness[1]
    )


def test_a_sqlite_log_rolled_back_to_an_older_copy_shows(runner: CliRunner, tmp_path: Path) -> None:
    """An older backup copied over the log verifies by itself; not against the later
    checkpoint."""
    db, old, checkpoints = tmp_path / "quotes.db", tmp_path / "old.db", tmp_path / "heads.txt"
    save(runner, str(db), "Patient 0")
    run(runner, "quotes", "backup", str(old), "--db", str(db))
    save(runner, str(db), "Patient 1")
    run(runner, "quotes", "checkpoint", str(checkpoints), "--db", str(db))
    for side in ("-wal", "-shm"):
        Path(f"{db}{side}").unlink(missing_ok=True)
    shutil.copyfile(old, db)
    run(runner, "quotes", "verify", "--db", str(db))
    assert "the log has only 1 entries" in fails(runner, str(db), "--checkpoints", str(checkpoints))


# 3. A forged, backdated Good Faith Estimate appended.


def _forged(rows: list[Row], when: str) -> Row:
    """A copy of the last GFE under a new id and an old time, chained after the last."""
    forged = {**[row for row in rows if row["kind"] == "gfe"][-1]}
    forged.update(id="G-20260102-FAKE00", created=when, seq=len(rows) + 1)
    forged["prev_sha256"] = rows[-1]["sha256"]
    forged["sha256"] = sha256_of(forged, forged["prev_sha256"])
    return forged


def _insert(target: str, row: Row, url: str | None = None) -> None:
    columns = [c for c in row if c != "seq"]
    mark = "%s" if is_pg(target) else "?"
    statement = (
        f"INSERT INTO {table(target)} ({', '.join(columns)}) "
        f"VALUES ({', '.join(mark for _ in columns)})"
    )
    sql(url or target, statement, params=tuple(row[c] for c in columns))


def _with_a_gfe(runner: CliRunner, target: str, tmp_path: Path) -> None:
    save(runner, target, "Patient 0")
    sheet = clinic_sheet(tmp_path)
    run(runner, "gfe", "--db", target, "--sheet", str(sheet), "--patient", "Ann Lee",
        "--dob", "1980-04-30", "--dx", "F33.1", "-o", str(tmp_path / "gfe.html"))  # fmt: skip
    save(runner, target, "Patient 2")


def test_a_backdated_gfe_appended_to_sqlite_with_the_triggers_untouched_is_caught(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = str(tmp_path / "quotes.db")
    _with_a_gfe(runner, db, tmp_path)
    _insert(db, _forged(stored(db), "2026-01-02T15:00:00+00:00"))
    assert "G-20260102-FAKE00" in fails(runner, db)


def test_a_backdated_gfe_appended_by_someone_holding_the_key_is_caught(
    runner: CliRunner, tmp_path: Path
) -> None:
    """With the clinic key as well (a desk's own account): the MAC is right, but the time
    goes back."""
    db = str(tmp_path / "quotes.db")
    _with_a_gfe(runner, db, tmp_path)
    key = next(Path.home().rglob("clinic.key")).read_text().strip()
    forged = _forged(stored(db), "2026-01-02T15:00:00+00:00")
    digest = hmac.new(bytes.fromhex(key), forged["sha256"].encode(), hashlib.sha256)
    forged["mac"] = digest.hexdigest()
    _insert(db, forged)
    assert "G-20260102-FAKE00: its time is earlier than the entry before it" in fails(runner, db)


DESK_ROLE = "ketacost_desk"


def _desk_url(pg_server: PgServer, database: str) -> str:
    """The desks' role of the README's set-up: INSERT and SELECT only."""
    pg_server.admin(f"DROP ROLE IF EXISTS {DESK_ROLE}", database)
    pg_server.admin(f"CREATE ROLE {DESK_ROLE} LOGIN PASSWORD 'desk-secret'", database)
    for grant in (
        f"GRANT USAGE ON SCHEMA ketacost TO {DESK_ROLE}",
        f"GRANT SELECT, INSERT ON ketacost.entries TO {DESK_ROLE}",
        f"GRANT SELECT ON ketacost.history TO {DESK_ROLE}",
    ):
        pg_server.admin(grant, database)
    return pg_server.url(database, DESK_ROLE, "desk-secret")


def test_the_postgresql_desk_role_cannot_backdate_an_entry(
    runner: CliRunner, tmp_path: Path, pg_server: PgServer, pg_database: str, pg_url: str
) -> None:
    """The desk's role inserts a backdated GFE with a correct plain chain: the server
    keeps its own time, so the entry does not say what the desk wrote, and verify names
    it."""
    _with_a_gfe(runner, pg_url, tmp_path)
    desk = _desk_url(pg_server, pg_database)
    try:
        _insert(pg_url, _forged(stored(pg_url), "2026-01-02T15:00:00+00:00"), desk)
        rows = stored(pg_url)
        assert rows[-1]["id"] == "G-20260102-FAKE00"
        assert rows[-1]["created"] != "2026-01-02T15:00:00+00:00"
        assert "G-20260102-FAKE00" in fails(runner, pg_url)
    finally:
        pg_server.admin(f"DROP OWNED BY {DESK_ROLE}", pg_database)
        pg_server.admin(f"DROP ROLE {DESK_ROLE}")


# 4. Something in the database that swallows saves; triggers not firing; the history.


def _refused(runner: CliRunner, target: str) -> None:
    """A save meets a log that drops it: status 1, said so, no id printed as saved."""
    before = len(stored(target))
    result = run(runner, "quote", "--db", target, "--patient", "Bo", "--format", "json", code=1)
    assert "the log refused the save" in result.stderr
    assert "Saved as" not in result.stderr and result.stdout == ""
    assert len(stored(target)) == before


def test_a_sqlite_trigger_that_ignores_inserts_is_refused_and_named(
    runner: CliRunner, tmp_path: Path
) -> None:
    db = str(tmp_path / "quotes.db")
    save(runner, db, "Patient 0")
    sql(db, "CREATE TRIGGER swallow BEFORE INSERT ON entries BEGIN SELECT RAISE(IGNORE); END")
    _refused(runner, db)
    assert "swallow" in fails(runner, db)


@pytest.mark.parametrize(
    "plant",
    [
        "CREATE FUNCTION ketacost.swallow() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN RETURN NULL; END $$; CREATE TRIGGER swallow BEFORE INSERT ON "
        "ketacost.entries FOR EACH ROW EXECUTE FUNCTION ketacost.swallow()",
        "CREATE RULE swallow AS ON INSERT TO ketacost.entries DO INSTEAD NOTHING",
    ],
    ids=["trigger-returning-null", "do-instead-nothing"],
)
def test_a_postgresql_trigger_or_rule_that_drops_saves_is_refused_and_named(
    runner: CliRunner, pg_url: str, plant: str
) -> None:
    save(runner, pg_url, "Patient 0")
    sql(pg_url, plant)
    _refused(runner, pg_url)
    assert "swallow" in fails(runner, pg_url)


def test_postgresql_triggers_set_to_fire_only_for_replicas_are_named(
    runner: CliRunner, pg_url: str
) -> None:
    save(runner, pg_url, "Patient 0")
    sql(pg_url, "ALTER TABLE ketacost.entries ENABLE REPLICA TRIGGER entries_never_updated")
    assert "entries_never_updated" in fails(runner, pg_url)


def test_the_migration_history_rewritten_is_named(runner: CliRunner, target: str) -> None:
    save(runner, target, "Patient 0")
    history = "ketacost.history" if is_pg(target) else "history"
    if is_pg(target):
        sql(target, f"ALTER TABLE {history} DISABLE TRIGGER USER",
            f"UPDATE {history} SET applied = '2020-01-01T00:00:00+00:00' WHERE version = 1",
            f"ALTER TABLE {history} ENABLE TRIGGER USER")  # fmt: skip
    else:
        body = sql(target, "SELECT sql FROM sqlite_master WHERE name = 'history_never_updated'")
        sql(target, "DROP TRIGGER history_never_updated",
            f"UPDATE {history} SET applied = '2020-01-01T00:00:00+00:00' WHERE version = 1",
            body[0]["sql"])  # fmt: skip
    assert "the history was changed" in fails(runner, target)


# 5. A rewritten log copied.


def test_copy_refuses_a_consistently_rewritten_source(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """Backdated times and a total changed, the chain recomputed: the copy refuses it and
    writes nothing."""
    save(runner, target, "Patient 0")
    save(runner, target, "Patient 1")

    def backdated(rows: list[Row]) -> list[Row]:
        for row in rows:
            row["created"] = "2026-01-02T15:00:00+00:00"
        return rows

    rewrite(target, backdated)
    copy = tmp_path / "copy.db"
    result = run(runner, "quotes", "copy", "--from", target, "--to", str(copy), code=1)
    assert "cannot be copied" in result.stderr and "nothing was copied" in result.stderr
    assert not copy.exists() or sql(str(copy), "SELECT count(*) AS n FROM entries")[0]["n"] == 0


# 6. A rewritten page shown as the "copy as issued".


def test_a_page_issued_now_runs_no_script(runner: CliRunner, tmp_path: Path) -> None:
    _with_a_gfe(runner, str(tmp_path / "quotes.db"), tmp_path)
    issued = (tmp_path / "gfe.html").read_text()
    assert '<meta http-equiv="Content-Security-Policy" content="default-src \'none\';' in issued


def test_show_writes_no_page_of_an_entry_that_fails(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """A GFE's stored page rewritten with a script (chain recomputed): `quotes show -o`
    refuses and writes nothing."""
    _with_a_gfe(runner, target, tmp_path)
    gfe_id = next(row["id"] for row in stored(target) if row["kind"] == "gfe")

    def scripted(rows: list[Row]) -> list[Row]:
        for row in rows:
            if row["html"]:
                row["html"] = row["html"].replace("</main>", "<script>alert(1)</script></main>")
        return rows

    rewrite(target, scripted)
    page = tmp_path / "copy.html"
    result = run(runner, "quotes", "show", gfe_id, "--db", target, "-o", str(page), code=1)
    assert "fails the log's check" in result.stderr and "no page was written" in result.stderr
    assert not page.exists()


def test_the_desk_role_cannot_copy_entries_in_with_their_own_times(
    runner: CliRunner, tmp_path: Path, pg_server: PgServer, pg_database: str, pg_url: str
) -> None:
    """Copying keeps each entry's time, which the server refuses the desks' role: the copy
    checks what was stored, says the log refused it, and writes nothing."""
    run(runner, "quotes", "init", "--db", pg_url)
    desk = _desk_url(pg_server, pg_database)
    source = tmp_path / "old.db"
    shutil.copyfile(Path(__file__).parent / "fixtures" / "quotes-0.1.0.db", source)
    try:
        result = run(runner, "quotes", "copy", "--from", str(source), "--to", desk, code=1)
        assert "the log refused the copy" in result.stderr
        assert stored(pg_url) == []
    finally:
        pg_server.admin(f"DROP OWNED BY {DESK_ROLE}", pg_database)
        pg_server.admin(f"DROP ROLE {DESK_ROLE}")


def test_copy_refuses_a_source_cut_short_below_a_witnessed_head(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    save(runner, target, "Patient 0")
    save(runner, target, "Patient 1")
    checkpoints = tmp_path / "heads.txt"
    run(runner, "quotes", "checkpoint", str(checkpoints), "--db", target)
    rewrite(target, lambda rows: rows[:1])
    copy = tmp_path / "copy.db"
    result = run(runner, "quotes", "copy", "--from", target, "--to", str(copy),
                 "--checkpoints", str(checkpoints), code=1)  # fmt: skip
    assert "the log has only 1 entries" in result.stderr and "nothing was copied" in result.stderr


def test_checkpoint_files_are_regular_files_only(runner: CliRunner, tmp_path: Path) -> None:
    """A FIFO or a device is refused in one line naming the option, never read or
    written (a FIFO would block); a bad line is named by its number."""
    db = str(tmp_path / "quotes.db")
    save(runner, db, "Patient 0")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for args in (("verify", "--checkpoints", str(fifo)), ("checkpoint", str(fifo)),
                 ("checkpoint", os.devnull)):  # fmt: skip
        result = run(runner, "quotes", *args, "--db", db, code=2)
        assert "it is not a regular file" in result.stderr
    bad = tmp_path / "heads.txt"
    bad.write_text("# heads\n1:nothex\n")
    result = run(runner, "quotes", "verify", "--checkpoints", str(bad), "--db", db, code=2)
    assert "'--checkpoints': line 2: a witness is N:HASH" in result.stderr


def test_a_postgresql_trigger_that_changes_a_save_is_refused(
    runner: CliRunner, pg_url: str
) -> None:
    """A planted trigger rewrites what is stored (the total): the save reads its row
    back, finds it is not what it sent, and nothing is saved."""
    save(runner, pg_url, "Patient 0")
    sql(pg_url, "CREATE FUNCTION ketacost.cheaper() RETURNS trigger LANGUAGE plpgsql AS "
        "$$ BEGIN NEW.result := replace(NEW.result, '\"typical\"', '\"typicaI\"'); "
        "RETURN NEW; END $$; CREATE TRIGGER cheaper BEFORE INSERT ON ketacost.entries "
        "FOR EACH ROW EXECUTE FUNCTION ketacost.cheaper()")  # fmt: skip
    _refused(runner, pg_url)


def test_every_witness_of_one_entry_is_checked(runner: CliRunner, tmp_path: Path) -> None:
    """Two heads for the same entry (one from before a rollback): each must hold."""
    db = str(tmp_path / "quotes.db")
    save(runner, db, "Patient 0")
    head = stored(db)[0]["sha256"]
    wrong = ("f" if head[0] != "f" else "e") + head[1:16]
    printed = fails(runner, db, "--witness", f"1:{head[:16]}", "--witness", f"1:{wrong}")
    assert f"witness 1:{wrong}: entry 1 now has the hash {head[:16]}" in printed
    assert f"witness 1:{head[:16]}" not in printed
