"""Tamper attacks tried after issue 23's two halves were merged (docs/quote-log.md, "What
the log promises"), against both storages: variants the first suite does not cover."""

from __future__ import annotations

import hashlib
import hmac
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tests import test_log_tamper as tamper
from tests.test_log_tamper import (
    Row,
    fails,
    is_pg,
    rewrite,
    run,
    save,
    sql,
    stored,
)

FIXTURE = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
target = tamper.target  # the same fixture: a new log on each storage


def _drop_keying_line(target: str) -> None:
    """What an owner with psql or the sqlite3 shell can do to the history: delete the
    line that says where the log was keyed (its append-only triggers set aside)."""
    history = "ketacost.history" if is_pg(target) else "history"
    if is_pg(target):
        sql(target, f"ALTER TABLE {history} DISABLE TRIGGER USER",
            f"DELETE FROM {history} WHERE key_id IS NOT NULL",
            f"ALTER TABLE {history} ENABLE TRIGGER USER")  # fmt: skip
        return
    body = sql(target, "SELECT sql FROM sqlite_master WHERE name = 'history_never_deleted'")
    sql(target, "DROP TRIGGER history_never_deleted",
        f"DELETE FROM {history} WHERE key_id IS NOT NULL", body[0]["sql"])  # fmt: skip


def _stripped(rows: list[Row]) -> list[Row]:
    for row in rows:
        row.update(key_id=None, mac=None, patient="Eve")
    return rows


def test_the_keying_line_deleted_with_the_macs_stripped_is_named(
    runner: CliRunner, target: str
) -> None:
    """A forger without the key strips every MAC, recomputes the plain chain and deletes
    the history's keying line, so the log looks as if it was never keyed: a log of this
    schema is always keyed, so verify says the keying line is gone (not 'run quotes
    init', which would key the forgery from then on), with or without the key."""
    save(runner, target, "Patient 0")
    rewrite(target, _stripped)
    _drop_keying_line(target)
    printed = fails(runner, target)
    assert "keying" in printed and "removed" in printed
    assert "quotes init" not in printed


def test_no_save_goes_on_unkeyed_after_the_keying_line_is_deleted(
    runner: CliRunner, target: str
) -> None:
    """After that forgery a desk holding the key would save unkeyed entries, silently,
    for ever: the save is refused instead (status 1, nothing saved), naming the cause."""
    save(runner, target, "Patient 0")
    rewrite(target, _stripped)
    _drop_keying_line(target)
    table = "ketacost.entries" if is_pg(target) else "entries"
    before = sql(target, f"SELECT count(*) AS n FROM {table}")[0]["n"]
    result = run(runner, "quote", "--db", target, "--patient", "Ann", "--start", "2026-12-07",
                 "--sessions", "6", code=1)  # fmt: skip
    assert "keying" in result.stderr and "Traceback" not in result.stderr
    assert sql(target, f"SELECT count(*) AS n FROM {table}")[0]["n"] == before


def test_copy_refuses_a_source_whose_keying_line_was_deleted(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """Copied on its plain chain, that forgery would verify in the target: refused."""
    save(runner, target, "Patient 0")
    rewrite(target, _stripped)
    _drop_keying_line(target)
    copy = tmp_path / "copy.db"
    result = run(runner, "quotes", "copy", "--from", target, "--to", str(copy), code=1)
    assert "keying" in result.stderr and not copy.exists()


def _head(runner: CliRunner, db: str) -> str:
    """The log's head as a page or a checkpoint witnesses it: N:HASH."""
    printed = run(runner, "quotes", "verify", "--db", db).stdout
    found = re.search(r"intact, (\d+) entries; last hash ([0-9a-f]{64})", printed)
    assert found, printed
    return f"{found[1]}:{found[2]}"


def _upgraded(runner: CliRunner, tmp_path: Path) -> str:
    """A desk's log from before keying (ketacost 0.1.0's, 11 entries), brought up to
    date and keyed by its next save: its first entries carry no MAC."""
    desk = tmp_path / "desk.db"
    shutil.copyfile(FIXTURE, desk)
    desk.chmod(0o600)
    save(runner, str(desk), "Patient 0")
    return str(desk)


def test_witnesses_of_an_upgraded_log_hold_in_a_copy_of_it(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """A log from before keying copied into a new one (the clinic's shared database, or
    a PostgreSQL log restored from its backup): its unkeyed entries are merged, chained
    anew. The heads its pages and checkpoints gave must still prove the copy (the
    original hashes are kept, and checked), or every patient's page would say the log
    was rewritten."""
    desk = _upgraded(runner, tmp_path)
    checkpoint = tmp_path / "heads.txt"
    run(runner, "quotes", "checkpoint", str(checkpoint), "--db", desk)
    save(runner, desk, "Patient 1")
    number, digest = _head(runner, desk).split(":")
    run(runner, "quotes", "copy", "--from", desk, "--to", target)
    run(runner, "quotes", "verify", "--db", target, "--witness", f"{number}:{digest[:16]}",
        "--checkpoints", str(checkpoint))  # fmt: skip


def test_a_merged_copy_rewritten_by_the_key_holder_fails_its_witness(
    runner: CliRunner, target: str, tmp_path: Path
) -> None:
    """Someone holding that copy and the key rewrites a merged entry before a witnessed
    head, keeping its origin (and making every MAC anew): the original hash no longer
    recomputes from the content, so the witness fails."""
    desk = _upgraded(runner, tmp_path)
    number, digest = _head(runner, desk).split(":")
    run(runner, "quotes", "copy", "--from", desk, "--to", target)
    secret = bytes.fromhex(next(Path.home().rglob("clinic.key")).read_text().strip())

    def changed(rows: list[Row]) -> list[Row]:
        rows[0]["patient"] = "Eve"
        return rows

    rewrite(target, changed)
    rows = stored(target)
    for row in rows:
        row["mac"] = hmac.new(secret, row["sha256"].encode(), hashlib.sha256).hexdigest()
    rewrite(target, lambda _: rows)
    printed = fails(runner, target, "--witness", f"{number}:{digest[:16]}")
    assert f"witness {number}:{digest[:16]}" in printed


def test_a_migration_after_keying_needs_the_logs_key(
    runner: CliRunner, target: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A keyed log brought up to date by a desk (or a PostgreSQL owner) that does not
    hold its key: the history line of that migration would be MACed under a new key
    made on the spot, and every desk's verify would then say the history was changed.
    The migration is refused instead, naming where the key belongs; nothing changes and
    no key is made. With the key it goes ahead and the log verifies."""
    if is_pg(target):
        from ketacost.store import pg_schema as steps
    else:
        from ketacost.store import schema as steps  # type: ignore[no-redef]
    every: tuple[Any, ...] = steps.MIGRATIONS
    if not is_pg(target):  # one step beyond keying, as a later version will add
        every = (*every, lambda conn: "a later step")
    monkeypatch.setattr(steps, "MIGRATIONS", every[: steps.KEYED])
    save(runner, target, "Patient 0")
    monkeypatch.setattr(steps, "MIGRATIONS", every)
    key = next(Path.home().rglob("clinic.key"))
    secret = key.read_bytes()
    key.unlink()
    refused = run(runner, "quotes", "init", "--db", target, code=1)
    assert "this desk does not hold it" in refused.stderr and "Traceback" not in refused.stderr
    assert not key.exists()
    history = "ketacost.history" if is_pg(target) else "history"
    assert sql(target, f"SELECT max(version) AS v FROM {history}")[0]["v"] == steps.KEYED
    key.write_bytes(secret)
    key.chmod(0o600)
    run(runner, "quotes", "init", "--db", target)
    run(runner, "quotes", "verify", "--db", target)


def test_a_checkpoint_is_appended_only_to_a_checkpoint_file(
    runner: CliRunner, tmp_path: Path
) -> None:
    """'quotes checkpoint FILE' with FILE (or the file a link names) holding something
    else, a system's file, notes, a spreadsheet: refused untouched (status 2), as verify
    would refuse to read it, rather than a line appended to it. A checkpoint file, and a
    link to one, take the line, also after a last line without its newline."""
    db = str(tmp_path / "quotes.db")
    save(runner, db, "Patient 0")
    foreign = tmp_path / "passwd"
    foreign.write_text("root:x:0:0:root:/root:/bin/bash")
    link = tmp_path / "link"
    link.symlink_to(foreign)
    huge = tmp_path / "huge.txt"
    huge.write_text("# notes\n" * 200_000)
    for path in (foreign, link, huge):
        before = path.read_bytes()
        result = run(runner, "quotes", "checkpoint", str(path), "--db", db, code=2)
        assert "not a checkpoint file" in result.stderr and "Traceback" not in result.stderr
        assert path.read_bytes() == before
    heads = tmp_path / "heads.txt"
    head = _head(runner, db)
    heads.write_text(f"# kept on the USB disk\n{head}")
    (tmp_path / "heads-link").symlink_to(heads)
    run(runner, "quotes", "checkpoint", str(tmp_path / "heads-link"), "--db", db)
    lines = heads.read_text().splitlines()
    assert lines[1] == head and lines[2].startswith(head + "  ")
    run(runner, "quotes", "verify", "--db", db, "--checkpoints", str(heads))
