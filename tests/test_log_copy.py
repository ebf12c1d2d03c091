"""``quotes copy`` (docs/quote-log.md, "Copying a log"): every entry with its id, time,
content, page and hashes, in order, between SQLite and PostgreSQL either way; copying
again adds nothing twice; a target holding other entries is refused with nothing written;
the copy verifies."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from ketacost.cli import cli
from ketacost.entries import Kind
from ketacost.report.to_data import to_data
from ketacost.store.chain import HASHED_COLUMNS
from ketacost.store.opening import open_quote_log
from ketacost.store.transfer import stored_rows
from tests.helpers import add_entry, report_with
from tests.pg_server import PgServer

FIXTURE_010 = Path(__file__).parent / "fixtures" / "quotes-0.1.0.db"
RESULT = to_data(report_with())


def run(runner: CliRunner, *args: str, code: int = 0) -> Result:
    result = runner.invoke(cli, list(args))
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def rows(target: str | Path) -> list[dict[str, Any]]:
    with open_quote_log(target, write=False) as log:
        return list(stored_rows(log))


def fill(target: str | Path, count: int, *, first: int = 0) -> None:
    with open_quote_log(target) as log:
        for n in range(first, first + count):
            kind: Kind = "gfe" if n % 2 else "quote"
            add_entry(log, kind, RESULT, patient=f"Pätient {n}", dob="1980-04-30",
                      html=f"<p>page {n}</p>" if kind == "gfe" else None)  # fmt: skip


def test_a_round_trip_keeps_every_entry_as_saved(
    runner: CliRunner, tmp_path: Path, pg_url: str
) -> None:
    """SQLite -> PostgreSQL -> SQLite: the same rows, byte for byte (ids, times, text,
    pages, both hashes); each copy verifies; copying again adds nothing; entries saved
    since are added, and only they."""
    desk, archive = tmp_path / "desk.db", tmp_path / "archive.db"
    fill(desk, 5)
    first = run(runner, "quotes", "copy", "--from", str(desk), "--to", pg_url).stdout
    assert first.startswith("Copied 5 entries from ")
    again = run(runner, "quotes", "copy", "--from", str(desk), "--to", pg_url).stdout
    assert again.startswith("Nothing to copy from ") and "all 5 entries are there" in again
    fill(desk, 2, first=5)
    more = run(runner, "quotes", "copy", "--from", str(desk), "--to", pg_url).stdout
    assert "Copied 2 entries" in more and "(5 were there already)" in more
    run(runner, "quotes", "copy", "--from", pg_url, "--to", str(archive))
    assert rows(desk) == rows(pg_url) == rows(archive)
    assert len(rows(archive)) == 7
    for log in (str(desk), pg_url, str(archive)):
        assert "intact, 7 entries" in run(runner, "quotes", "verify", "--db", log).stdout
    shown = run(runner, "quotes", "show", rows(desk)[1]["id"], "--db", pg_url, "-f", "html")
    assert shown.stdout.strip() == "<p>page 1</p>"


def test_a_second_desks_log_is_merged_after_the_targets_own_entries(
    runner: CliRunner, tmp_path: Path, pg_url: str
) -> None:
    """A target holding other entries takes a second desk's log after them, in order:
    ids, times and content as saved, the original hashes kept as each entry's origin,
    chained and keyed anew; it verifies, and merging again adds nothing twice."""
    desk, other = tmp_path / "desk.db", tmp_path / "other.db"
    fill(desk, 3)
    fill(other, 2, first=3)
    run(runner, "quotes", "copy", "--from", str(desk), "--to", pg_url)
    merged = run(runner, "quotes", "copy", "--from", str(other), "--to", pg_url).stdout
    assert merged.startswith("Copied 2 entries")
    target, theirs = rows(pg_url), rows(other)
    assert target[:3] == rows(desk)
    for copied, original in zip(target[3:], theirs, strict=True):
        assert {c: copied[c] for c in HASHED_COLUMNS} == {c: original[c] for c in HASHED_COLUMNS}
        origin = json.loads(copied["origin"])
        assert origin["sha256"] == original["sha256"]
        assert origin["prev_sha256"] == original["prev_sha256"]
        assert copied["sha256"] != original["sha256"]
    assert target[3]["prev_sha256"] == target[2]["sha256"]
    again = run(runner, "quotes", "copy", "--from", str(other), "--to", pg_url).stdout
    assert "Nothing to copy" in again and "all 2 entries are there" in again
    assert "intact, 5 entries" in run(runner, "quotes", "verify", "--db", pg_url).stdout
    fill(desk, 1, first=5)  # the target, not the source, is ahead: nothing to add
    run(runner, "quotes", "copy", "--from", str(desk), "--to", str(tmp_path / "new.db"))
    assert len(rows(tmp_path / "new.db")) == 4


def test_a_0_1_0_log_is_merged_keeping_the_hashes_its_migration_gives(
    runner: CliRunner, tmp_path: Path, pg_url: str
) -> None:
    """A log without a chain yet (nor a key): its entries come in as saved, each keeping
    as its origin the hash the upgrade gives it, keyed anew; the source is not written
    to."""
    source = tmp_path / "old.db"
    shutil.copy(FIXTURE_010, source)
    before = source.read_bytes()
    run(runner, "quotes", "copy", "--from", str(source), "--to", pg_url)
    assert source.read_bytes() == before
    open_quote_log(source).close()  # the upgrade
    upgraded, copied = rows(source), rows(pg_url)
    assert [json.loads(r["origin"])["sha256"] for r in copied] == [r["sha256"] for r in upgraded]
    assert [r["id"] for r in copied] == [r["id"] for r in upgraded]
    assert "intact" in run(runner, "quotes", "verify", "--db", pg_url).stdout


def test_a_source_failing_its_chain_is_not_copied(
    runner: CliRunner, tmp_path: Path, pg_url: str
) -> None:
    desk = tmp_path / "desk.db"
    fill(desk, 3)
    conn = sqlite3.connect(desk, isolation_level=None)
    conn.execute("DROP TRIGGER entries_never_updated")
    conn.execute("UPDATE entries SET patient = 'Eve' WHERE seq = 2")
    conn.close()
    result = run(runner, "quotes", "copy", "--from", str(desk), "--to", pg_url, code=1)
    assert "cannot be copied (its content does not match its hash" in result.stderr
    assert "nothing was copied" in result.stderr
    assert rows(pg_url) == []


def test_copying_a_log_onto_itself_is_refused(runner: CliRunner, tmp_path: Path) -> None:
    desk = tmp_path / "desk.db"
    fill(desk, 1)
    result = run(runner, "quotes", "copy", "--from", str(desk), "--to", str(desk), code=2)
    assert "'--to'" in result.stderr


def test_postgresql_to_postgresql(runner: CliRunner, pg_server: PgServer, pg_url: str) -> None:
    fill(pg_url, 3)
    name = pg_server.new_database()
    try:
        other = pg_server.url(name)
        run(runner, "quotes", "copy", "--from", pg_url, "--to", other)
        assert rows(other) == rows(pg_url)
    finally:
        pg_server.drop_database(name)


@pytest.mark.parametrize("missing", ["source", "target"])
def test_a_missing_source_or_a_folder_as_target_fails_in_one_line(
    runner: CliRunner, tmp_path: Path, missing: str
) -> None:
    source, target = tmp_path / "none.db", tmp_path / "copy.db"
    if missing == "target":
        fill(source, 1)
        target = tmp_path
    result = run(runner, "quotes", "copy", "--from", str(source), "--to", str(target), code=1)
    assert len(result.stderr.splitlines()) == 1
    assert ("no quote log" if missing == "source" else "directory") in result.stderr


def test_verify_and_copy_take_witnesses_by_one_declaration() -> None:
    """--witness and --checkpoints are declared once (ketacost.cli.witnesses) for both
    commands that check heads: the same type, callback and help, but for what must
    extend them (the log verified, the log copied from)."""
    from ketacost.cli.quotes_cmd import verify
    from ketacost.cli.quotes_copy_cmd import copy

    def declared(command: click.Command) -> dict[str, tuple[object, ...]]:
        return {
            p.name: (p.opts, p.metavar, p.multiple, p.callback, type(p.type), p.help)
            for p in command.params
            if isinstance(p, click.Option) and p.name in ("witnesses", "checkpoints")
        }

    ours, theirs = declared(verify), declared(copy)
    assert set(ours) == {"witnesses", "checkpoints"}
    for name in ours:
        assert ours[name][:-1] == theirs[name][:-1]
        assert str(ours[name][-1]).replace("the log ", "the source ") == theirs[name][-1]
